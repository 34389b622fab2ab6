//! One test per trick a hostile readme can try, and the rewriting of what is allowed.

use super::*;
use std::fs;
use std::path::PathBuf;

struct Folder {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    folder: PathBuf,
}

/// `root/outside.png`, `root/conn/images/setup.png`, `root/conn/logo.png` (symlink to the
/// outside file), `root/conn/notes.md`.
fn folder() -> Folder {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().to_path_buf();
    let folder = root.join("conn");
    fs::create_dir_all(folder.join("images")).expect("mkdir");
    fs::write(root.join("outside.png"), b"png").expect("write");
    fs::write(folder.join("images/setup.png"), b"png").expect("write");
    fs::write(folder.join("notes.md"), b"# notes").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("outside.png"), folder.join("logo.png")).expect("ln");
    Folder {
        _tmp: tmp,
        root,
        folder,
    }
}

fn source(f: &Folder, link: Option<&str>) -> DocSource {
    let tree = crate::source::DirTree::new(&f.root);
    DocSource {
        folder: "conn".into(),
        files: crate::source::files_under(&tree, "conn", 4)
            .into_iter()
            .collect(),
        doc_dir: Vec::new(),
        repo_path: "certified-connectors/My Conn".into(),
        source_link: link.map(str::to_string),
        prefix: "img/readme-".into(),
        heading_prefix: String::new(),
    }
}

fn render(md: &str) -> Rendered {
    let f = folder();
    render_untrusted(md, source(&f, None))
}

#[test]
fn script_tags_are_removed_with_their_content() {
    let html = render("Hi\n\n<script>alert(1)</script>\n\n<b>bold</b>").html;
    assert!(!html.contains("script"), "{html}");
    assert!(!html.contains("alert"), "{html}");
    assert!(html.contains("<b>bold</b>"), "{html}");
}

#[test]
fn event_handlers_are_removed() {
    let html = render(
        "<img src=x onerror=alert(1)>\n\n<a href=\"https://a.test\" onclick=\"steal()\">site</a>",
    )
    .html;
    assert!(!html.contains("onerror"), "{html}");
    assert!(!html.contains("onclick"), "{html}");
    assert!(!html.contains("alert"), "{html}");
    assert!(html.contains("href=\"https://a.test\""), "{html}");
}

#[test]
fn javascript_links_lose_their_target() {
    let html = render(
        "[click](javascript:alert(1)) and [b](JaVaScRiPt:alert(2)) <a href=\"vbscript:x\">v</a>",
    )
    .html;
    assert!(!html.to_ascii_lowercase().contains("script:"), "{html}");
    assert!(html.contains("click"), "the text stays: {html}");
}

#[test]
fn data_urls_are_refused() {
    let html =
        render("![x](data:image/png;base64,AAAA) [y](data:text/html,<script>1</script>)").html;
    assert!(!html.contains("data:"), "{html}");
}

#[test]
fn iframes_are_removed() {
    let html = render("<iframe src=\"https://evil.test\"></iframe>after").html;
    assert!(!html.contains("iframe"), "{html}");
    assert!(!html.contains("evil.test"), "{html}");
}

#[test]
fn forms_and_inputs_are_removed() {
    let html =
        render("<form action=\"https://evil.test\"><input name=p><button>Go</button></form>").html;
    assert!(!html.contains("<form"), "{html}");
    assert!(!html.contains("<input"), "{html}");
    assert!(!html.contains("action="), "{html}");
}

#[test]
fn style_elements_and_attributes_are_removed() {
    let html = render("<style>body{display:none}</style><p style=\"position:fixed\">x</p>").html;
    assert!(!html.contains("style"), "{html}");
    assert!(!html.contains("display:none"), "{html}");
}

#[test]
fn objects_and_embeds_are_removed() {
    let html = render("<object data=\"x.swf\"></object><embed src=\"x.swf\">").html;
    assert!(!html.contains("object"), "{html}");
    assert!(!html.contains("embed"), "{html}");
}

#[test]
fn images_outside_the_folder_are_not_followed() {
    let r = render("![up](../outside.png) ![deep](images/../../outside.png)");
    assert!(!r.html.contains("outside"), "{}", r.html);
    assert!(r.copies.is_empty());
}

#[test]
fn absolute_path_images_are_not_followed() {
    let r = render("![abs](/etc/passwd.png) ![proto](//evil.test/x.png) ![win](C:\\x.png)");
    assert!(!r.html.contains("passwd"), "{}", r.html);
    assert!(!r.html.contains("evil.test"), "{}", r.html);
    assert!(!r.html.contains("C:"), "{}", r.html);
    assert!(r.copies.is_empty());
}

#[cfg(unix)]
#[test]
fn symlinked_images_are_not_followed() {
    let r = render("![logo](logo.png)");
    assert!(!r.html.contains("logo.png"), "{}", r.html);
    assert!(r.copies.is_empty());
}

#[test]
fn images_inside_the_folder_are_copied_and_rewritten() {
    let f = folder();
    let md = "![Setup](images/setup.png) again <img src=\"./images/setup.png\">";
    let r = render_untrusted(md, source(&f, None));
    assert_eq!(r.copies.len(), 1);
    assert_eq!(r.copies[0].from, "conn/images/setup.png");
    assert!(f.folder.join("images/setup.png").is_file());
    assert_eq!(r.copies[0].to, "img/readme-images-setup.png");
    assert_eq!(
        r.html
            .matches("src=\"img/readme-images-setup.png\"")
            .count(),
        2
    );
    assert!(r.html.contains("loading=\"lazy\""));
    assert!(
        !f.root.join("conn/img").exists(),
        "copying is the caller's job"
    );
}

#[test]
fn missing_images_lose_their_source() {
    let r = render("![gone](images/missing.png)");
    assert!(!r.html.contains("missing.png"), "{}", r.html);
    assert!(r.html.contains("alt=\"gone\""), "{}", r.html);
}

#[test]
fn links_to_files_in_the_folder_go_to_the_source_repository() {
    let f = folder();
    let link = Some("https://github.com/o/r/tree/dev/{path}");
    let r = render_untrusted(
        "[notes](notes.md) [secret](../../other/secret.md)",
        source(&f, link),
    );
    assert!(
        r.html.contains(
            "href=\"https://github.com/o/r/tree/dev/certified-connectors/My%20Conn/notes.md\""
        ),
        "{}",
        r.html
    );
    assert!(!r.html.contains("secret.md"), "{}", r.html);
    assert!(r.html.contains("secret"), "the text stays");
    let plain = render("[notes](notes.md)").html;
    assert!(
        !plain.contains("href"),
        "no source link configured: {plain}"
    );
}

#[test]
fn external_links_get_rel_and_headings_get_prefixed_ids() {
    let html = render(
        "# Intro\n\n## Known Issues & Limits\n\n## Intro\n\n[x](https://a.test) [top](#intro)",
    )
    .html;
    assert!(html.contains("<h3 id=\"doc-intro\">Intro</h3>"), "{html}");
    assert!(
        html.contains("<h4 id=\"doc-known-issues--limits\">"),
        "{html}"
    );
    assert!(html.contains("id=\"doc-intro-1\""), "{html}");
    assert!(html.contains("rel=\"nofollow noopener\""), "{html}");
    assert!(html.contains("href=\"#doc-intro\""), "{html}");
}

#[test]
fn raw_ids_cannot_clobber_page_ids() {
    let html = render("<h2 id=\"actions\">x</h2><div id=\"search-form\">y</div>").html;
    assert!(!html.contains("id=\"actions\""), "{html}");
    assert!(!html.contains("id=\"search-form\""), "{html}");
}

#[test]
fn content_pages_resolve_site_links() {
    let html = render_content(
        "[list](@/connectors/) [x](@/about/#a) <script>x</script>",
        "../",
        1,
    );
    assert!(html.contains("href=\"../connectors/index.html\""), "{html}");
    assert!(html.contains("href=\"../about/index.html#a\""), "{html}");
    assert!(!html.contains("script"), "{html}");
}

#[test]
fn a_second_document_gets_its_own_heading_ids() {
    let f = folder();
    let mut s = source(&f, None);
    s.heading_prefix = "intro-".into();
    let html = render_untrusted("## Prerequisites", s).html;
    assert!(html.contains("id=\"doc-intro-prerequisites\""), "{html}");
}

/// Regression: 100,000 nested blockquotes, list items or raw `<div>`s made the sanitiser's
/// HTML parser scan its whole stack of open elements for every tag (hours of work).
#[test]
fn readme_nested_100000_deep_is_flattened_not_parsed_quadratically() {
    const N: usize = 100_000;
    for md in [
        format!("{}deep quote", "> ".repeat(N)),
        format!("{}deep item", "- ".repeat(N)),
        // Raw tags take more bytes: 40,000 keeps them under the size cut.
        format!("{}deep div", "<div>".repeat(40_000)),
        format!("<div>{}deep span", "<span>".repeat(40_000)),
    ] {
        let html = render(&md).html;
        assert!(html.contains("deep"), "the text is kept: {}", &html[..200]);
        for tag in ["<blockquote", "<ul", "<li", "<div", "<span"] {
            let n = html.matches(tag).count();
            assert!(n <= depth::MAX_NESTING, "{n} {tag} elements kept");
        }
    }
}

#[test]
fn readme_nesting_within_the_limit_is_kept() {
    let md = format!("{}inner", "> ".repeat(10));
    assert_eq!(render(&md).html.matches("<blockquote>").count(), 10);
    let md = format!("{}x{}", "<div>".repeat(20), "</div>".repeat(20));
    assert_eq!(render(&md).html.matches("<div>").count(), 20);
}

/// Regression: a 1.3 MB readme of raw tags became a 2.9 MB page once escaped (SPEC §7 allows
/// no page over 2 MB).
#[test]
fn readme_over_256_kb_is_cut_so_the_page_stays_small() {
    let md = "<div>".repeat(300_000);
    let html = render(&md).html;
    assert!(html.len() < 2 << 20, "{} bytes", html.len());
    assert!(html.contains("The document is cut here"), "the cut is said");
    let small = render("# Small\n\nWhole text.").html;
    assert!(small.contains("Whole text.") && !small.contains("cut here"));
}
