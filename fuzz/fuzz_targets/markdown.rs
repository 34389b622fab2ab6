//! Fuzzes the readme renderer and its sanitiser: whatever the Markdown and raw HTML, the
//! output holds no script element, no event-handler attribute, no `javascript:`/`data:`
//! URL, and copies only files of the connector folder; and the fast path for readmes without
//! raw HTML writes exactly what ammonia writes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchyard::render::markdown::{render_untrusted, render_untrusted_by_ammonia, DocSource};

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

/// Attributes (name, value) of every tag in serialised HTML (ammonia always double-quotes
/// values and escapes quotes inside them, so a value never hides an attribute; text is
/// escaped, so a `<` always opens a tag).
fn attributes(html: &str) -> Vec<(String, String)> {
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
            let name = rest[..n].to_ascii_lowercase();
            rest = &rest[n..];
            let mut value = String::new();
            if let Some(v) = rest.strip_prefix("=\"") {
                let end = v.find('"').unwrap_or(v.len());
                value = v[..end].to_ascii_lowercase();
                rest = v.get(end + 1..).unwrap_or("");
            }
            names.push((name, value));
        }
    }
    names
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let out = render_untrusted(&text, source());
    let by_ammonia = render_untrusted_by_ammonia(&text, source());
    assert_eq!(out.html, by_ammonia.html, "fast path and ammonia differ");
    assert_eq!(
        out.copies, by_ammonia.copies,
        "fast path and ammonia copy differently"
    );
    assert!(
        !out.html.to_ascii_lowercase().contains("<script"),
        "script element: {}",
        out.html
    );
    for (name, value) in attributes(&out.html) {
        assert!(
            !name.starts_with("on"),
            "event handler {name}: {}",
            out.html
        );
        if ![
            "href",
            "src",
            "srcset",
            "action",
            "formaction",
            "cite",
            "poster",
        ]
        .contains(&name.as_str())
        {
            continue;
        }
        let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        for scheme in ["javascript:", "vbscript:", "data:", "&#"] {
            assert!(!value.starts_with(scheme), "{name}={value}: {}", out.html);
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
