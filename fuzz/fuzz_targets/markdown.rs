//! Fuzzes the readme renderer and its sanitiser: whatever the Markdown and raw HTML, the
//! output holds no script element, no event-handler attribute, no `javascript:`/`data:`
//! URL, and copies only files of the connector folder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchyard::render::markdown::{render_untrusted, DocSource};

fn source() -> DocSource {
    DocSource {
        folder: "certified-connectors/Fuzz".into(),
        files: ["readme.md", "images/a.png", "b.svg", "x y.jpg"]
            .into_iter()
            .map(String::from)
            .collect(),
        doc_dir: Vec::new(),
        repo_path: "certified-connectors/Fuzz".into(),
        source_link: Some("https://example.test/tree/{path}".into()),
        prefix: "img/readme-".into(),
        heading_prefix: String::new(),
    }
}

/// Attribute names of every tag in serialised HTML (ammonia always double-quotes values and
/// escapes quotes inside them, so a value never hides an attribute).
fn attribute_names(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let tag_end = rest
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(rest.len());
        rest = &rest[tag_end..];
        loop {
            rest = rest.trim_start();
            if rest.is_empty() || rest.starts_with('>') || rest.starts_with("/>") {
                break;
            }
            let n = rest.find(['=', '>', ' ']).unwrap_or(rest.len());
            names.push(rest[..n].to_ascii_lowercase());
            rest = &rest[n..];
            if let Some(v) = rest.strip_prefix("=\"") {
                rest = v.find('"').map_or("", |q| &v[q + 1..]);
            }
        }
    }
    names
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let out = render_untrusted(&text, source());
    let lower = out.html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script element: {}", out.html);
    let names = attribute_names(&out.html);
    assert!(
        !names.iter().any(|n| n.starts_with("on")),
        "event handler: {}",
        out.html
    );
    for scheme in ["javascript:", "vbscript:", "data:"] {
        for attr in ["href=\"", "src=\""] {
            let bad = format!("{attr}{scheme}");
            assert!(
                !lower.replace(char::is_whitespace, "").contains(&bad),
                "{bad}: {}",
                out.html
            );
        }
    }
    for c in &out.copies {
        let rel = c
            .from
            .strip_prefix("certified-connectors/Fuzz/")
            .expect("inside the folder");
        assert!(
            source().files.contains(rel),
            "copies a file not listed: {c:?}"
        );
        assert!(!c.to.contains(".."), "copy target escapes: {c:?}");
    }
});
