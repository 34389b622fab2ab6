//! The documentation site, built from the bundled sample repository (and from the real
//! corpus when it is beside the project): pages, anchors, safety, copies, facets, sitemap,
//! determinism, and snapshots of a connector page and the list page.

mod common;
#[path = "common/hostile.rs"]
mod hostile;

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use switchyard::site::{Overrides, Site, Verbosity};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample-repo")
}

/// Builds `source` into `out` with the project's own site.toml, theme and content.
fn build(source: &Path, out: &Path) -> switchyard::site::Report {
    let overrides = Overrides {
        source: Some(source.display().to_string()),
        out: Some(out.to_path_buf()),
        no_history: true,
        ..Overrides::default()
    };
    let site = Site::load(None, overrides).expect("site");
    site.build(false, Verbosity::Quiet).expect("build")
}

struct Built {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    catalog: Value,
}

impl Built {
    fn sample() -> Built {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        build(&sample(), &out);
        let catalog = json(&out.join("catalog.json"));
        Built {
            _tmp: tmp,
            out,
            catalog,
        }
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn connectors(&self) -> &Vec<Value> {
        self.catalog["connectors"].as_array().expect("connectors")
    }
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).expect("read json")).expect("json")
}

/// The `<main>` element of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    &html[start..end]
}

fn first_difference(a: &str, b: &str) -> Option<usize> {
    let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y);
    at.or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))
}

fn around(s: &str, at: usize) -> &str {
    let mut start = at.saturating_sub(120);
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 120).min(s.len());
    while !s.is_char_boundary(end) {
        end += 1;
    }
    &s[start..end]
}

/// Every file under `dir`, relative, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            (rel.display().to_string(), fs::read(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_connector_has_a_page_with_an_anchor_per_operation() {
    let b = Built::sample();
    assert_eq!(b.connectors().len(), 8);
    for c in b.connectors() {
        let slug = c["slug"].as_str().expect("slug");
        let html = b.read(&format!("connectors/{slug}/index.html"));
        let model = json(&b.out.join(format!("connectors/{slug}.json")));
        let ops = model["operations"].as_array().expect("operations");
        assert!(!ops.is_empty(), "{slug} has operations");
        for op in ops {
            let anchor = op["anchor"].as_str().expect("anchor");
            assert!(
                html.contains(&format!(" id=\"{anchor}\" data-operation-id=")),
                "{slug}: no section with the anchor {anchor}"
            );
        }
        let mut ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "{slug}: duplicate ids");
        let title = c["title"].as_str().expect("title");
        let escaped = title.replace('&', "&amp;").replace('\'', "&#39;");
        assert!(html.contains(&escaped), "{slug}: title {title}");
    }
}

#[test]
fn the_hostile_readme_is_defused() {
    let b = Built::sample();
    let html = b.read("connectors/open-trivia-vault/index.html");
    let readme = &html[html.find("id=\"readme\"").expect("readme")..];
    let readme = &readme[..readme.find("</section>").expect("end of section")];
    for trick in [
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "evil.test",
        "secret.md",
        "steal(",
    ] {
        assert!(!readme.contains(trick), "{trick} survived: {readme}");
    }
    assert!(
        readme.contains("<b>At most 50 questions</b>"),
        "harmless markup stays"
    );
    assert!(readme.contains("href=\"https://trivia-vault.example\""));
    // The page's only scripts are the theme's own.
    let scripts: Vec<&str> = html
        .match_indices("<script")
        .map(|(i, _)| &html[i..i + 40])
        .collect();
    assert!(
        scripts
            .iter()
            .all(|s| s.starts_with("<script>(function(){var d=") || s.contains("static/")),
        "{scripts:?}"
    );
}

#[test]
fn icons_readme_images_and_definitions_are_copied() {
    let b = Built::sample();
    assert!(b.out.join("connectors/task-board/icon.png").is_file());
    assert!(b
        .out
        .join("connectors/task-board/apiDefinition.swagger.json")
        .is_file());
    let bj = "connectors/bjornos-data-weather-preview";
    assert!(b
        .out
        .join(format!("{bj}/img/readme-images-setup.png"))
        .is_file());
    let html = b.read(&format!("{bj}/index.html"));
    assert!(html.contains("src=\"img/readme-images-setup.png\""));
    assert!(html.contains("src=\"icon.png\""));
    // No icon: a monogram instead.
    let lf = b.read("connectors/ledgerline-files/index.html");
    assert!(!lf.contains("src=\"icon.png\""));
    assert!(lf.contains(">LF</span>"), "monogram");
    // A misnamed definition is still offered under the right name.
    assert!(b
        .out
        .join("connectors/helpdesklite/apiDefinition.swagger.json")
        .is_file());
}

/// The value of `data-<name>` in one tag.
fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let key = format!("data-{name}=\"");
    let start = tag.find(&key).unwrap_or_else(|| panic!("{key} in {tag}")) + key.len();
    &tag[start..start + tag[start..].find('"').expect("closing quote")]
}

#[test]
fn list_rows_carry_the_right_facet_data() {
    let b = Built::sample();
    let html = b.read("connectors/index.html");
    let rows: Vec<&str> = html
        .split("<tr class=\"connector-row\"")
        .skip(1)
        .map(|r| &r[..r.find('>').expect("end of tag")])
        .collect();
    assert_eq!(rows.len(), 8);
    for c in b.connectors() {
        let slug = c["slug"].as_str().expect("slug");
        let row = rows
            .iter()
            .find(|r| attr(r, "slug") == slug)
            .unwrap_or_else(|| panic!("row of {slug}"));
        assert_eq!(
            attr(row, "tier"),
            c["tier"].as_str().expect("tier"),
            "{slug}"
        );
        let cats: BTreeSet<&str> = attr(row, "category")
            .split('|')
            .filter(|s| !s.is_empty())
            .collect();
        let want: BTreeSet<&str> = c["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(cats, want, "{slug} categories");
        let auth: Vec<&str> = attr(row, "auth").split(' ').collect();
        let want: Vec<&str> = c["auth"]
            .as_array()
            .expect("auth")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(auth, want, "{slug} auth");
        let flag = |b: bool| if b { "1" } else { "0" };
        let triggers = c["triggers"].as_u64().expect("triggers");
        assert_eq!(attr(row, "triggers"), flag(triggers > 0), "{slug}");
        assert_eq!(attr(row, "copilot"), flag(c["copilot"] == true), "{slug}");
        assert_eq!(attr(row, "code"), flag(c["custom_code"] == true), "{slug}");
        let deprecated = c["deprecated_operations"].as_u64().expect("deprecated");
        assert_eq!(attr(row, "deprecated"), flag(deprecated > 0), "{slug}");
        assert_eq!(attr(row, "actions"), c["actions"].to_string(), "{slug}");
    }
    assert!(html.contains("<form id=\"facets\""));
    assert!(html.contains("value=\"certified\" data-facet=\"tier\""));
}

#[test]
fn the_sitemap_lists_every_page_and_the_machine_files_exist() {
    let b = Built::sample();
    let sitemap = b.read("sitemap.xml");
    let mut pages = 0;
    for (rel, _) in files(&b.out) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let url = rel.trim_end_matches("index.html");
        assert!(
            sitemap.contains(&format!("<loc>/{url}</loc>")),
            "{rel} not in sitemap"
        );
        pages += 1;
    }
    assert_eq!(sitemap.matches("<loc>").count(), pages);
    assert!(b.read("robots.txt").contains("Sitemap: /sitemap.xml"));
    assert!(b.read("opensearch.xml").contains("search/?q={searchTerms}"));
    for page in [
        "index.html",
        "connectors/index.html",
        "compare/index.html",
        "problems/index.html",
        "categories/index.html",
        "publishers/index.html",
        "about/index.html",
        "reading-a-connector-page/index.html",
        "404.html",
    ] {
        assert!(b.out.join(page).is_file(), "{page}");
    }
}

#[test]
fn pages_link_relatively_and_the_home_page_has_the_search_form() {
    let b = Built::sample();
    let home = b.read("index.html");
    assert!(home.contains("<form id=\"search-form\" class=\"search-form\" action=\"search/\""));
    assert!(home.contains("<input id=\"search-input\" name=\"q\""));
    let page = b.read("connectors/task-board/index.html");
    assert!(page.contains("href=\"../../static/style.css\""));
    assert!(!page.contains("href=\"/"), "no root-absolute links");
    assert!(page.contains("id=\"ListTasksV2\""));
    assert!(
        page.contains("href=\"#ListTasksV2\""),
        "deprecated ListTasks links to its replacement"
    );
    assert!(page.contains("--brand: #2f6fde"));
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&sample(), &a);
    build(&sample(), &b);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.len(), fb.len());
    for ((pa, ba), (pb, bb)) in fa.iter().zip(&fb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
}

/// The default theme renders a connector page's main block and its operation sections in
/// Rust for speed; a theme that overrides any of their templates goes through the templates.
/// Both must give the same pages. Builds `source` twice, the fast way and through a copy of
/// `op.html` (which turns both off), checks that the main block of every connector page is
/// byte for byte the same, and returns the fast build.
fn assert_rust_pages_match_templates(source: &Path, history: bool) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let fast = tmp.path().join("fast");
    let out = tmp.path().join("out");
    build_with(source, &fast, history, None);
    let template = include_str!("../themes/default/templates/op.html");
    let site_dir = site_with_template(tmp.path(), "op.html", &format!("{{# a copy #}}{template}"));
    build_with(source, &out, history, Some(&site_dir));
    let catalog = json(&fast.join("catalog.json"));
    for c in catalog["connectors"].as_array().expect("connectors") {
        let slug = c["slug"].as_str().expect("slug");
        pages_match(&fast, &out, &format!("connectors/{slug}/index.html"));
        // Further pages of operations (the template way both times, with the sections
        // pre-rendered in Rust in one build and through `op.html` in the other).
        for n in 2.. {
            let page = format!("connectors/{slug}/operations-{n}.html");
            if !fast.join(&page).is_file() {
                break;
            }
            pages_match(&fast, &out, &page);
        }
    }
    (tmp, fast)
}

/// The main blocks of `page` in the sites `fast` and `out` are byte for byte the same.
fn pages_match(fast: &Path, out: &Path, page: &str) {
    let read = |dir: &Path| fs::read_to_string(dir.join(page)).expect("page");
    let (a, b) = (read(fast), read(out));
    // The site folders differ in their content pages (listed in the navigation).
    let (a, b) = (main_of(&a), main_of(&b));
    if let Some(at) = first_difference(a, b) {
        panic!(
            "{page} differs at byte {at}:\nrust:     {:?}\ntemplate: {:?}",
            around(a, at),
            around(b, at)
        );
    }
}

/// A site folder (under `dir`) with the project's site.toml and `templates/<name>`.
fn site_with_template(dir: &Path, name: &str, text: &str) -> PathBuf {
    let site_dir = dir.join(format!("site-{name}"));
    fs::create_dir_all(site_dir.join("templates")).expect("mkdir");
    fs::write(site_dir.join("templates").join(name), text).expect("template");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("site.toml"),
        site_dir.join("site.toml"),
    )
    .expect("site.toml");
    site_dir
}

/// Builds `source` into `out`, with the site folder `site_dir` (else the project's).
fn build_with(source: &Path, out: &Path, history: bool, site_dir: Option<&Path>) {
    let overrides = Overrides {
        source: Some(source.display().to_string()),
        out: Some(out.to_path_buf()),
        no_history: !history,
        ..Overrides::default()
    };
    let config = site_dir.map(|d| d.join("site.toml"));
    let site = Site::load(config.as_deref(), overrides).expect("site");
    site.build(false, Verbosity::Quiet).expect("build");
}

#[test]
fn connector_pages_from_rust_match_the_templates_with_history() {
    let r = common::Repo::new();
    r.connector("certified-connectors", "Alpha Items")
        .connector("independent-publisher-connectors", "Beta <Items>");
    common::commit_all(&r.root(), "Add both (#1)", 1_700_000_000);
    let def = r
        .root()
        .join("certified-connectors/Alpha Items/apiDefinition.swagger.json");
    let original = fs::read_to_string(&def).expect("definition");
    // Eight more revisions, so the timeline collapses its older ones; one renames the
    // action (breaking), some subjects have no pull request, one has hostile text.
    for i in 1..=8 {
        let text = if i % 3 == 0 {
            original.replace("ListItems", &format!("ListItems{i}"))
        } else {
            original.replace("Lists the items.", &format!("Lists the items, take {i}."))
        };
        fs::write(&def, text).expect("edit");
        let subject = match i % 3 {
            0 => format!("Alpha: rename <b>the</b> action (#{})", 10 + i),
            1 => format!("Alpha: revise `ListItems`, take {i}"),
            _ => format!("Alpha: take {i} (#{})", 10 + i),
        };
        common::commit_all(&r.root(), &subject, 1_700_000_000 + i * 86_400);
    }
    let (_tmp, site) = assert_rust_pages_match_templates(&r.root(), true);
    let alpha = fs::read_to_string(site.join("connectors/alpha-items/index.html")).expect("page");
    assert!(
        alpha.contains("<details class=\"timeline-older\">"),
        "collapsed revisions"
    );
    assert!(alpha.contains("Breaking"), "a breaking revision is marked");
    assert!(
        alpha.contains("rename &lt;b&gt;the&lt;/b&gt; action"),
        "escaped subject"
    );
}

/// A connector with more definitions than a page shows: the first 500 by name are shown,
/// the count and a note say how many there are, and types referring to a definition left
/// out are not links to a missing anchor. The Rust main block and the templates agree.
#[test]
fn a_page_shows_the_first_500_definitions_and_says_how_many_there_are() {
    let defs: serde_json::Map<String, Value> = (0..600)
        .map(|i| {
            let next = format!("#/definitions/D{:03}", (i + 1) % 600);
            let schema =
                serde_json::json!({"type": "object", "properties": {"next": {"$ref": next}}});
            (format!("D{i:03}"), schema)
        })
        .collect();
    let definition = serde_json::json!({
        "swagger": "2.0", "info": {"title": "Many Definitions", "version": "1.0"},
        "host": "example.com",
        "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {
            "description": "OK", "schema": {"$ref": "#/definitions/D599"}}}}}},
        "definitions": defs,
    });
    let repo = common::Repo::new();
    repo.definition("certified-connectors/Many", definition.to_string());
    let (_tmp, site) = assert_rust_pages_match_templates(&repo.root(), false);
    let page = fs::read_to_string(site.join("connectors/many/index.html")).expect("page");
    assert!(
        page.contains("500 of 600 definitions are shown"),
        "the note"
    );
    assert!(
        page.contains("id=\"def-D499\""),
        "the 500th by name is shown"
    );
    assert!(!page.contains("id=\"def-D500\""), "the 501st is not");
    assert!(
        page.contains("href=\"#def-D001\""),
        "a shown definition is linked"
    );
    assert!(!page.contains("href=\"#def-D599\""), "one left out is not");
}

/// Regression: every operation of a family listed every member, so 20,000 operations sharing
/// an id made 400 million entries (23 GB). A family line lists ten revisions and says how
/// many more there are; the Rust main block and the templates agree.
#[test]
fn a_family_line_lists_ten_revisions_and_counts_the_rest() {
    let paths: serde_json::Map<String, Value> = (0..15)
        .map(|i| {
            let op = serde_json::json!({"get": {"operationId": "Same", "summary": format!("Call {i}"),
                "responses": {"200": {"description": "OK"}}}});
            (format!("/p{i:02}"), op)
        })
        .collect();
    let definition = serde_json::json!({
        "swagger": "2.0", "info": {"title": "Family", "version": "1.0"},
        "host": "example.com", "paths": paths,
    });
    let repo = common::Repo::new();
    repo.definition("certified-connectors/Family", definition.to_string());
    let (_tmp, site) = assert_rust_pages_match_templates(&repo.root(), false);
    let page = fs::read_to_string(site.join("connectors/family/index.html")).expect("page");
    assert_eq!(
        page.matches(" · and 5 more</p>").count(),
        10,
        "the newest ten"
    );
    assert_eq!(
        page.matches(" · and 4 more</p>").count(),
        5,
        "the older five list themselves too"
    );
}

/// Regression: a connector with thousands of operations had them all on one page (3,000
/// small ones made 4.1 MB; SPEC §7: no page over 2 MB). Past `OPS_PER_PAGE` they are spread
/// over pages in reading order, each page says which it holds, and every link to an
/// operation (index, family, replacement, same job, search, export) names its page.
#[test]
fn a_connector_with_more_operations_than_a_page_holds_gets_pages_of_them() {
    let repo = common::Repo::new();
    repo.definition("certified-connectors/Big", common::paged_definition())
        .connector("certified-connectors", "Other");
    let (_tmp, site) = assert_rust_pages_match_templates(&repo.root(), false);
    let dir = site.join("connectors/big");
    let names = ["index.html", "operations-2.html", "operations-3.html"];
    let pages: Vec<String> = names
        .iter()
        .map(|n| fs::read_to_string(dir.join(n)).expect("page"))
        .collect();
    assert!(
        !dir.join("operations-4.html").exists(),
        "600 operations, three pages"
    );
    for (page, html) in names.iter().zip(&pages) {
        assert!(html.len() < 2 * 1024 * 1024, "{page}: {} bytes", html.len());
        assert!(
            html.contains("600 operations, more than one page holds"),
            "{page} says so"
        );
        let sections = html.matches("<section class=\"op").count();
        assert!(
            (100..=250).contains(&sections),
            "{page}: {sections} operations"
        );
    }
    assert!(pages[0].contains("this page has operations 1 to 250."));
    assert!(pages[2].contains("this page has operations 501 to 600."));
    assert!(pages[0].contains("None of the 10 triggers is on this page."));
    assert!(
        pages[0].contains("Actions <span class=\"count\">590</span>"),
        "counts are the connector's"
    );
    assert!(pages[2].contains("id=\"T0\""), "triggers come last");
    // Every operation without a description is a finding: the page lists the first 1,000.
    let findings = &pages[0][pages[0].find("id=\"sec-quality\"").expect("quality")..];
    assert!(
        findings.contains("<p class=\"note\">The first 1000 of "),
        "findings capped"
    );
    assert_eq!(findings.matches("<tr class=\"sev-").count(), 1000);
    // The family line and the replacement cross pages.
    assert!(pages[0].contains("href=\"operations-2.html#FamV2\">revision 2</a>"));
    assert!(pages[1].contains("href=\"index.html#FamV3\">revision 3</a>"));
    assert!(pages[0].contains("Deprecated: use <a href=\"operations-3.html#ZNew\">Zebra new</a>"));
    assert_links_land(&names, &pages);
    // Links from elsewhere name the page too.
    let other = fs::read_to_string(site.join("connectors/other/index.html")).expect("page");
    assert!(
        other.contains("href=\"../../connectors/big/operations-2.html#ListItems\""),
        "the same job"
    );
    let export = json(&site.join("connectors/big.json"));
    let list_items = export["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .find(|o| o["id"] == "ListItems")
        .expect("ListItems");
    assert_eq!(
        list_items["page"], 1,
        "the export says the page (compare reads it)"
    );
    let searcher = switchyard::index::query::Searcher::open(&site).expect("searcher");
    let hits = searcher.search("list items", 5).expect("search");
    let big = hits
        .iter()
        .find(|h| h.title == "Big <One>")
        .expect("big is found");
    let action = big
        .actions
        .iter()
        .find(|a| a.operation_id == "ListItems")
        .expect("action");
    assert_eq!(action.url, "connectors/big/operations-2.html#ListItems");
    let shards: String = (0..)
        .map_while(|n| fs::read_to_string(site.join(format!("search/d/{n}.json"))).ok())
        .collect();
    assert!(
        shards.contains("\"ListItems\",1]"),
        "the browser's search knows the page"
    );
    assert!(site.join("sitemap.xml").is_file());
    let sitemap = fs::read_to_string(site.join("sitemap.xml")).expect("sitemap");
    assert!(sitemap.contains("connectors/big/operations-3.html"));
}

/// Every link within a connector's pages (`names`, their HTML in `pages`) lands on an id
/// of the page it names.
fn assert_links_land<S: AsRef<str>>(names: &[S], pages: &[String]) {
    for (page, html) in names.iter().map(AsRef::as_ref).zip(pages) {
        for href in attr_values(html, "href") {
            let Some((file, id)) = href.split_once('#') else {
                continue;
            };
            if file.contains('/') || file.contains(':') {
                continue;
            }
            let target = if file.is_empty() { page } else { file };
            let at = names.iter().position(|n| n.as_ref() == target);
            let target_html = at
                .map(|i| &pages[i])
                .unwrap_or_else(|| panic!("{page}: {href}"));
            assert!(
                target_html.contains(&format!(" id=\"{id}\"")),
                "{page}: {href}"
            );
        }
    }
}

/// The values of every `name="…"` attribute in `html`, unescaped as far as the tests need.
fn attr_values(html: &str, name: &str) -> Vec<String> {
    let key = format!(" {name}=\"");
    html.match_indices(&key)
        .filter_map(|(at, _)| {
            let rest = &html[at + key.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// Regression (found by probing): one field of megabytes, or a list of thousands where real
/// connectors have a handful, went whole into pages. A title of 1 MB made every list naming
/// the connector megabytes; 20,000 security definitions a 4.9 MB page; 20,000 categories
/// 20,000 category pages. Texts are cut where they are shown (titles at 200 characters,
/// descriptions at 20,000, messages at 2,000), lists say how many they leave out, and the
/// Rust main block and the templates agree.
#[test]
fn megabyte_fields_and_endless_lists_keep_every_page_small() {
    let huge = "word ".repeat(200_000);
    let n = 2_000;
    let params: Vec<Value> = (0..n)
        .map(|i| serde_json::json!({"name": format!("p{i}"), "in": "query", "type": "string"}))
        .collect();
    let security: serde_json::Map<String, Value> = (0..n)
        .map(|i| {
            let scopes: serde_json::Map<String, Value> =
                (0..600).map(|j| (format!("s{j}"), Value::from("x"))).collect();
            let def = serde_json::json!({"type": "oauth2", "flow": "accessCode",
                "authorizationUrl": "https://a.test", "tokenUrl": "https://t.test", "scopes": scopes});
            (format!("auth{i}"), def)
        })
        .collect();
    let definition = serde_json::json!({"swagger": "2.0", "host": "example.com",
        "info": {"title": format!("Huge {huge}"), "description": huge, "version": "1.0",
            "x-ms-keywords": (0..n).map(|i| format!("k{i}")).collect::<Vec<_>>()},
        "x-ms-connector-metadata": [
            {"propertyName": "Categories", "propertyValue": (0..200).map(|i| format!("C{i}")).collect::<Vec<_>>().join(";")},
            {"propertyName": "Website", "propertyValue": format!("https://w.test/{huge}")}],
        "securityDefinitions": security,
        "paths": {"/w": {"get": {"operationId": format!("W{}", "x".repeat(1_000_000)),
            "summary": huge, "description": huge, "parameters": params,
            "responses": {"200": {"description": huge}}}}}});
    let connection: serde_json::Map<String, Value> = (0..n)
        .map(|i| {
            (
                format!("k{i}"),
                serde_json::json!({"type": "string",
            "allowedValues": (0..600).map(|j| format!("v{j}")).collect::<Vec<_>>()}),
            )
        })
        .collect();
    let properties = serde_json::json!({"properties": {"publisher": huge,
        "iconBrandColor": "#da3b01", "connectionParameters": connection,
        "capabilities": (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>(),
        "policyTemplateInstances": (0..n).map(|i| serde_json::json!({"templateId": "setheader",
            "title": format!("P{i}"), "parameters": {}})).collect::<Vec<_>>()}});
    let repo = common::Repo::new();
    repo.file(
        "certified-connectors/Huge/apiDefinition.swagger.json",
        definition.to_string(),
    )
    .file(
        "certified-connectors/Huge/apiProperties.json",
        properties.to_string(),
    )
    .connector("certified-connectors", "Other");
    let (_tmp, site) = assert_rust_pages_match_templates(&repo.root(), false);
    for (path, bytes) in files(&site) {
        if path.ends_with(".html") {
            assert!(bytes.len() < 1024 * 1024, "{path}: {} bytes", bytes.len());
        }
    }
    let page = fs::read_to_string(site.join("connectors/huge/index.html")).expect("page");
    for said in [
        "<li>and 1800 more</li>",
        "1800 more parameters not listed.",
        "<code>v49</code> and 550 more</div>",
        "<code>s49</code> and 550 more</li>",
        "The first 500 of 2000 parameters are listed",
        "(P199) and 1800 more</dd>",
        "k199 and 1800 more</dd>",
    ] {
        assert!(page.contains(said), "{said}");
    }
    assert_eq!(
        page.matches(" and 1800 more</dd>").count(),
        3,
        "policies, capabilities, keywords"
    );
    let categories = fs::read_dir(site.join("categories"))
        .expect("categories")
        .count();
    assert!(
        categories <= 11,
        "ten categories and the index: {categories}"
    );
    // The export keeps every text whole.
    let model = json(&site.join("connectors/huge.json"));
    assert_eq!(
        model["info"]["description"].as_str().map(str::len),
        Some(huge.trim().len())
    );
}

/// Regression (found by probing): pages took 250 operations whatever they held. 250
/// operations with descriptions of 20,000 characters made a 7 MB page, and 100 parameters
/// of 2 KB on each a 52 MB one. Operations now go to pages by the weight of their texts too,
/// the page list gives each page's real range, and a connector of many pages lists the
/// pages near the current one, not all of them.
#[test]
fn heavy_operations_are_spread_over_pages_by_weight() {
    let params: serde_json::Map<String, Value> = (0..100)
        .map(|i| {
            let p = serde_json::json!({"name": format!("q{i}"), "in": "query",
                "type": "string", "description": format!("{i} {}", "long ".repeat(400))});
            (format!("Q{i}"), p)
        })
        .collect();
    let refs: Vec<Value> = (0..100)
        .map(|i| serde_json::json!({"$ref": format!("#/parameters/Q{i}")}))
        .collect();
    let paths: serde_json::Map<String, Value> = (0..60)
        .map(|i| {
            let op = serde_json::json!({"operationId": format!("Op{i:02}"),
                "summary": format!("Operation {i:02}"), "parameters": refs,
                "responses": {"200": {"description": "OK"}}});
            (format!("/op{i:02}"), serde_json::json!({ "get": op }))
        })
        .collect();
    let definition = serde_json::json!({"swagger": "2.0", "host": "example.com",
        "info": {"title": "Heavy", "version": "1.0", "description": "Heavy operations."},
        "parameters": params, "paths": paths});
    let repo = common::Repo::new();
    repo.definition("certified-connectors/Heavy", definition.to_string());
    let (_tmp, site) = assert_rust_pages_match_templates(&repo.root(), false);
    let dir = site.join("connectors/heavy");
    let names: Vec<String> = std::iter::once("index.html".to_string())
        .chain((2..).map(|n| format!("operations-{n}.html")))
        .take_while(|n| dir.join(n).is_file())
        .collect();
    assert!(names.len() >= 12, "{} pages", names.len());
    let pages: Vec<String> = names
        .iter()
        .map(|n| fs::read_to_string(dir.join(n)).expect("page"))
        .collect();
    let mut next = 1;
    for (name, html) in names.iter().zip(&pages) {
        assert!(html.len() < 2 * 1024 * 1024, "{name}: {} bytes", html.len());
        let sections = html.matches("<section class=\"op").count();
        let said = format!(
            "this page has operations {next} to {}.",
            next + sections - 1
        );
        assert!(html.contains(&said), "{name}: {said}");
        next += sections;
    }
    assert_eq!(next, 61, "every operation on one page");
    // A page in the middle lists the first two, its neighbours and the last two.
    let middle = &pages[7];
    assert!(middle.contains("<strong aria-current=\"page\">Page 8</strong>"));
    assert_eq!(middle.matches("<li class=\"gap\">…</li>").count(), 2);
    for listed in [
        "index.html",
        "operations-2.html",
        "operations-4.html",
        "operations-12.html",
    ] {
        assert!(
            middle.contains(&format!("<a href=\"{listed}\">")),
            "{listed}"
        );
    }
    assert!(
        !middle.contains("<a href=\"operations-3.html\">"),
        "not near"
    );
    assert_links_land(&names, &pages);
    // Search and the export name the page an operation is on.
    let export = json(&site.join("connectors/heavy.json"));
    let last = export["operations"]
        .as_array()
        .and_then(|ops| ops.iter().find(|o| o["id"] == "Op59"))
        .expect("Op59");
    assert_eq!(last["page"].as_u64(), Some(names.len() as u64 - 1));
}

/// Regression (found by probing): a definition of 3 MB whose 80 properties have long
/// descriptions, which 250 operations each take and return, made a 176 MB page: each schema
/// shows at least three rows, and a page's rows were counted, not their bytes. A page now
/// has an allowance of bytes for table rows and descriptions; past it, tables say how many
/// rows they leave out and descriptions show their beginning.
#[test]
fn a_definition_every_operation_refers_to_cannot_make_a_page_of_megabytes() {
    let quoted = "\"".repeat(5_000);
    let fields: serde_json::Map<String, Value> = (0..40)
        .map(|k| {
            let f =
                serde_json::json!({"type": "string", "description": format!("<b>{k}</b>{quoted}")});
            (format!("f{k}"), f)
        })
        .collect();
    let paths: serde_json::Map<String, Value> = (0..60)
        .map(|i| {
            let op = serde_json::json!({"operationId": format!("Op{i:02}"),
                "summary": format!("Operation {i:02}"),
                "description": format!("Starts plainly. {}", "\"".repeat(1_500)),
                "parameters": [{"name": "body", "in": "body",
                    "schema": {"$ref": "#/definitions/Big"}}],
                "responses": {"200": {"description": "OK",
                    "schema": {"$ref": "#/definitions/Big"}}}});
            (format!("/op{i:02}"), serde_json::json!({ "post": op }))
        })
        .collect();
    let definition = serde_json::json!({"swagger": "2.0", "host": "example.com",
        "info": {"title": "Amplified", "version": "1.0", "description": "One big definition."},
        "definitions": {"Big": {"type": "object", "properties": fields}}, "paths": paths});
    let repo = common::Repo::new();
    repo.definition("certified-connectors/Amplified", definition.to_string());
    let (_tmp, site) = assert_rust_pages_match_templates(&repo.root(), false);
    let page = fs::read_to_string(site.join("connectors/amplified/index.html")).expect("page");
    assert!(page.len() < 2 * 1024 * 1024, "{} bytes", page.len());
    assert!(!site.join("connectors/amplified/operations-2.html").exists());
    assert_eq!(
        page.matches("<section class=\"op").count(),
        60,
        "all on one page"
    );
    assert!(
        page.contains(" more rows are not shown: this page has reached its size limit. They are in <a href=\"apiDefinition.swagger.json\">the definition</a>."),
        "tables say what they leave out"
    );
    assert!(
        page.contains("<h3><a class=\"self\" href=\"#Op59\">Operation 59</a></h3>"),
        "the last operation still has its section"
    );
    let whole = format!("Starts plainly. {}</p>", "&quot;".repeat(1_500));
    let cut = format!("Starts plainly. {}</p>", "&quot;".repeat(300 - 16));
    assert!(page.contains(&whole), "the first descriptions are whole");
    assert!(page.contains(&cut), "the later ones are cut");
}

/// The connector page's main block is spliced into its shell at a marker. A title is
/// written before the main block, so a title holding the marker itself must not receive it.
#[test]
fn a_title_holding_the_main_blocks_marker_does_not_receive_the_main_block() {
    let repo = common::Repo::new();
    let definition = common::minimal_definition("Marked")
        .replace("\"Marked\"", "\"Marked \\u0001switchyard-main\\u0001\"");
    assert!(
        definition.contains("\\u0001switchyard-main"),
        "{definition}"
    );
    repo.definition("certified-connectors/Marked", definition);
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    build(&repo.root(), &out);
    let page = fs::read_to_string(out.join("connectors/marked/index.html")).expect("page");
    let title = &page[page.find("<title>").expect("title")..page.find("</title>").expect("end")];
    assert!(
        title.contains("switchyard-main"),
        "the title keeps its text"
    );
    assert!(
        !title.contains("<section"),
        "the main block is not in the title"
    );
    assert_eq!(
        page.matches("id=\"sec-about\"").count(),
        1,
        "the main block, once"
    );
}

/// The readme shares a page's allowance with the tables: a readme of 256 KB that escaping
/// makes 1.3 MB, beside a definition whose tables fill the allowance, stays under 2 MB.
#[test]
fn a_long_readme_leaves_the_tables_less_room() {
    let quoted = "\"".repeat(5_000);
    let fields: serde_json::Map<String, Value> = (0..40)
        .map(|k| {
            let f = serde_json::json!({"type": "string", "description": format!("{k}{quoted}")});
            (format!("f{k}"), f)
        })
        .collect();
    let paths: serde_json::Map<String, Value> = (0..20)
        .map(|i| {
            let op = serde_json::json!({"operationId": format!("Op{i:02}"),
                "summary": format!("Operation {i:02}"),
                "responses": {"200": {"description": "OK",
                    "schema": {"$ref": "#/definitions/Big"}}}});
            (format!("/op{i:02}"), serde_json::json!({ "get": op }))
        })
        .collect();
    let definition = serde_json::json!({"swagger": "2.0", "host": "example.com",
        "info": {"title": "Read", "version": "1.0", "description": "A long readme."},
        "definitions": {"Big": {"type": "object", "properties": fields}}, "paths": paths});
    let repo = common::Repo::new();
    repo.definition("certified-connectors/Read", definition.to_string())
        .file(
            "certified-connectors/Read/readme.md",
            format!("# Read\n\n{}\n", "&".repeat(250_000)),
        );
    let (_tmp, site) = assert_rust_pages_match_templates(&repo.root(), false);
    let page = fs::read_to_string(site.join("connectors/read/index.html")).expect("page");
    assert!(
        page.matches("&amp;").count() >= 250_000,
        "the readme is on the page"
    );
    assert!(page.len() < 2 * 1024 * 1024, "{} bytes", page.len());
    assert!(page.contains(" more rows are not shown: this page has reached its size limit."));
}

/// Regression (the 50× synthetic repository): the site's problems page listed every problem
/// of the catalog, 1,989 KB there and growing with it. Then it listed problems up to 1 MB and
/// only named the connectors past it, and their names alone made it 1,632 KB at 50×. Now its
/// groups are cut into pages of up to 1 MB, and every problem is listed on one of them.
#[test]
fn the_problems_list_is_cut_into_pages_that_list_every_problem() {
    // A file's repairs are reported up to a thousand: four such connectors pass 1 MB.
    let entries: Vec<String> = (0..1200).map(|i| format!(r#""k{i}": [1,]"#)).collect();
    let repaired = |title: &str| {
        format!(
            r#"{{"swagger": "2.0", "info": {{"title": "{title}", "version": "1"}}, "paths": {{}}, "x-junk": {{{}}}}}"#,
            entries.join(", ")
        )
    };
    let repo = common::Repo::new();
    for name in ["A0", "A1", "A2", "A3"] {
        repo.definition(&format!("certified-connectors/{name}"), repaired(name));
    }
    repo.file(
        "certified-connectors/Bbb/apiDefinition.swagger.json",
        common::minimal_definition("Bbb"),
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    build(&repo.root(), &out);
    let pages: Vec<String> = ["index.html", "page-2.html"]
        .iter()
        .map(|f| fs::read_to_string(out.join("problems").join(f)).expect("page"))
        .collect();
    assert!(!out.join("problems/page-3.html").exists());
    let group = |path: &str| {
        let needle = format!("data-path=\"certified-connectors/{path}\"");
        let on: Vec<(usize, &String)> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.contains(&needle))
            .collect();
        assert_eq!(on.len(), 1, "{path} is on one page");
        let (number, page) = on[0];
        let rest = &page[page.find(&needle).expect("group")..];
        (
            number,
            rest[..rest.find("</section>").expect("end")].to_string(),
        )
    };
    for name in ["A0", "A1", "A2", "A3"] {
        let (_, listed) = group(name);
        assert_eq!(listed.matches("<tr class=\"sev-").count(), 1001, "{name}");
        assert!(listed.contains("0 E · 1001 W"), "with its counts");
    }
    assert_eq!(group("A0").0, 0, "in catalog order");
    assert_eq!(group("Bbb").0, 1, "the last page ends the list");
    assert!(group("Bbb").1.contains("<code>F003</code>"));
    for (i, page) in pages.iter().enumerate() {
        assert!(page.len() < 1024 * 1024 + 64 * 1024, "{} bytes", page.len());
        assert!(page.contains("<p class=\"pager-where\">Page "), "page {i}");
        assert!(page.contains("0 E · 1001 W"), "page {i} lists some");
    }
    assert!(pages[0].contains(r#"<a href="page-2.html" rel="next">"#));
    assert!(pages[1].contains(r#"<a href="index.html" rel="prev">"#));
    assert!(pages[1].contains("<title>Problems found, page 2"));
    assert!(
        pages[1].contains("Page 2 of 2: 3–5 of the 5 connectors and folders with problems."),
        "the top of a page says which it is"
    );
}

/// Script and event handlers in every text field, odd names, `$ref` cycles, broken files:
/// the main block written in Rust escapes exactly what the templates escape.
#[test]
fn hostile_pages_from_rust_match_the_templates() {
    let repo = common::Repo::new();
    let outside = repo.dir.path().join("outside");
    hostile::write(&repo, &outside, false);
    assert_rust_pages_match_templates(&repo.root(), false);
}

#[test]
fn a_theme_overriding_any_connector_template_gets_it_used() {
    let tmp = tempfile::tempdir().expect("tmp");
    let builtin = [
        (
            "connector.html",
            include_str!("../themes/default/templates/connector.html"),
        ),
        (
            "operation.html",
            include_str!("../themes/default/templates/operation.html"),
        ),
        (
            "op.html",
            include_str!("../themes/default/templates/op.html"),
        ),
        (
            "history.html",
            include_str!("../themes/default/templates/history.html"),
        ),
        (
            "connector-quality.html",
            include_str!("../themes/default/templates/connector-quality.html"),
        ),
        (
            "macros.html",
            include_str!("../themes/default/templates/macros.html"),
        ),
    ];
    for (name, text) in builtin {
        let changed = if name == "macros.html" {
            text.replace("<li class=\"badge", "<li data-override class=\"badge")
        } else if name == "connector.html" {
            text.replace(
                "<h1 id=\"connector-title\">",
                "<h1 id=\"connector-title\"><!--override-->",
            )
        } else {
            format!("<!--override-->{text}")
        };
        let site_dir = site_with_template(tmp.path(), name, &changed);
        let out = tmp.path().join(format!("out-{name}"));
        build_with(&sample(), &out, false, Some(&site_dir));
        let page = fs::read_to_string(out.join("connectors/kestrel-sms/index.html")).expect("page");
        let marker = if name == "macros.html" {
            "<li data-override"
        } else {
            "<!--override-->"
        };
        assert!(page.contains(marker), "{name} override not used");
    }
}

#[test]
fn connector_pages_from_rust_match_the_templates() {
    assert_rust_pages_match_templates(&sample(), false);
}

#[test]
fn actions_name_other_connectors_that_do_the_same_job() {
    let repo = common::Repo::new();
    repo.connector("certified-connectors", "Alpha Items")
        .connector("independent-publisher-connectors", "Beta <Items>");
    let (_tmp, site) = assert_rust_pages_match_templates(&repo.root(), false);
    let alpha = fs::read_to_string(site.join("connectors/alpha-items/index.html")).expect("page");
    let also = &alpha[alpha.find("<p class=\"also\">").expect("also line")..];
    let also = &also[..also.find("</p>").expect("end")];
    assert!(also.contains("Other connectors that do this"), "{also}");
    assert!(also.contains("Beta &lt;Items&gt;"), "escaped title: {also}");
    assert!(
        also.contains("href=\"../../connectors/beta-items/index.html#"),
        "{also}"
    );
}

#[test]
fn snapshot_of_a_connector_page() {
    let b = Built::sample();
    let html = b.read("connectors/kestrel-sms/index.html");
    insta::assert_snapshot!("kestrel_sms_main", main_of(&html));
}

#[test]
fn snapshot_of_the_connector_list() {
    let b = Built::sample();
    let html = b.read("connectors/index.html");
    insta::assert_snapshot!("connector_list_main", main_of(&html));
}

/// The real corpus, when it is beside the project: every connector gets a page, and pages
/// stay within the size budget (none over 2 MB, the median connector page under 100 KB).
#[test]
fn the_corpus_builds_within_the_page_budget() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let report = build(&corpus, &out);
    assert_eq!(report.connectors, 1034);
    let mut sizes = Vec::new();
    for entry in fs::read_dir(out.join("connectors")).expect("connectors") {
        let page = entry.expect("entry").path().join("index.html");
        if page.is_file() && page.parent() != Some(&out.join("connectors")) {
            sizes.push(fs::metadata(&page).expect("size").len());
        }
    }
    assert_eq!(sizes.len(), 1034, "one page per connector");
    let largest_html = files(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (b.len(), p))
        .max()
        .expect("pages");
    assert!(
        largest_html.0 < 2 * 1024 * 1024,
        "{largest_html:?} is over 2 MB"
    );
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    assert!(
        median < 100 * 1024,
        "median connector page is {median} bytes"
    );
    assert_eq!(report.render.connector_pages, 1034);
}

#[test]
fn the_quality_page_ranks_every_connector_and_each_page_has_its_panel() {
    let b = Built::sample();
    let page = b.read("quality/index.html");
    let scores: Vec<u32> = page
        .split("<tr data-score=\"")
        .skip(1)
        .map(|s| s[..s.find('"').expect("quote")].parse().expect("score"))
        .collect();
    assert_eq!(scores.len(), b.connectors().len(), "one row per connector");
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    assert!(page.contains("id=\"quality-rules\""), "findings by rule");
    assert!(
        page.contains("<code>O006</code>"),
        "the sample's O006 findings are counted"
    );
    // The connector page's panel shows the same findings `check` reports, located.
    let kestrel = b.read("connectors/kestrel-sms/index.html");
    let panel = &kestrel[kestrel.find("id=\"sec-quality\"").expect("panel")..];
    assert!(
        panel.contains("apiDefinition.swagger.json:46:22"),
        "located finding"
    );
    assert!(panel.contains("Operations with a response schema"));
    // Parser problems (the sample's Open Trivia Vault has F002 repairs) stay in the
    // Problems section, not repeated in the panel.
    let html = b.read("connectors/open-trivia-vault/index.html");
    let (problems, panel) = html.split_at(html.find("id=\"sec-quality\"").expect("panel"));
    assert!(problems.contains("<code>F002</code>"));
    assert!(!panel.contains("<code>F002</code>"));
}

#[test]
fn a_one_connector_site_opens_on_its_connector() {
    let repo = common::Repo::new();
    repo.connector("certified-connectors", "Solo Items");
    let folder = repo.root().join("certified-connectors/Solo Items");
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    build(&folder, &out);
    let home = fs::read_to_string(out.join("index.html")).expect("home");
    assert!(
        home.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=connectors/solo-items/index.html\">"
        ),
        "{}",
        &home[..home.find("</head>").unwrap_or(home.len())]
    );
    assert!(out.join("connectors/solo-items/index.html").is_file());
    // A catalog of several connectors keeps its home page.
    let b = Built::sample();
    assert!(!b.read("index.html").contains("http-equiv=\"refresh\""));
}

/// The `data-slug` of every connector row of a list page, in order.
fn row_slugs(html: &str) -> Vec<String> {
    html.split("<tr class=\"connector-row\"")
        .skip(1)
        .map(|row| attr(row, "slug").to_string())
        .collect()
}

/// Regression: the full list passed SPEC §7's 2 MB at about 3,000 connectors. A list longer
/// than `page_size` is cut into linked pages; each connector is on exactly one, and
/// `list.json` holds every row for the filters and the compare picker.
#[test]
fn long_lists_are_cut_into_linked_pages() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site_dir = tmp.path().join("site-paged");
    fs::create_dir_all(&site_dir).expect("mkdir");
    fs::write(
        site_dir.join("site.toml"),
        "title = \"Paged\"\npage_size = 3\n",
    )
    .expect("toml");
    let out = tmp.path().join("out");
    build_with(&sample(), &out, false, Some(&site_dir));
    let read =
        |rel: &str| fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));

    let pages = [
        "connectors/index.html",
        "connectors/page-2.html",
        "connectors/page-3.html",
    ];
    let on_pages: Vec<Vec<String>> = pages.iter().map(|p| row_slugs(&read(p))).collect();
    assert_eq!(on_pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 2]);
    assert!(!out.join("connectors/page-4.html").exists());
    let all: Vec<String> = on_pages.concat();
    let distinct: BTreeSet<&String> = all.iter().collect();
    assert_eq!(
        distinct.len(),
        8,
        "each connector on exactly one page: {all:?}"
    );

    let middle = read("connectors/page-2.html");
    assert!(middle.contains("<title>All connectors, page 2 · Paged</title>"));
    assert!(
        middle.contains("Page 2 of 3: 4–6 of 8"),
        "the pager says where it is"
    );
    assert!(middle.contains("<a href=\"index.html\" rel=\"prev\">"));
    assert!(middle.contains("<a href=\"page-3.html\" rel=\"next\">"));
    assert!(middle.contains("<span aria-current=\"page\">2</span>"));
    assert!(
        middle.contains("8 connectors"),
        "counts are of the whole list"
    );
    assert!(middle.contains("data-rows=\"../list.json\""));

    let items = json(&out.join("list.json"));
    let in_json: Vec<&str> = items
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(in_json, all, "list.json is the list, in the pages' order");
    assert_eq!(
        items[0]["href"],
        format!("connectors/{}/index.html", all[0])
    );

    let compare = read("compare/index.html");
    assert!(compare.contains("<datalist id=\"compare-options\" data-options=\"../list.json\">"));
    assert!(
        !compare.contains("<option value="),
        "options come from list.json"
    );

    let quality = read("quality/page-2.html");
    assert!(
        quality.contains("<td class=\"num\">4</td>"),
        "ranks continue across pages"
    );
    assert!(!quality.contains("<td class=\"num\">3</td><td><a"));
    let certified = read("tiers/certified/index.html");
    assert!(certified.contains("Page 1 of"), "group pages are cut too");
    let sitemap = read("sitemap.xml");
    for p in [
        "connectors/page-2.html",
        "quality/page-3.html",
        "tiers/certified/page-2.html",
    ] {
        assert!(
            sitemap.contains(&format!("/{p}</loc>")),
            "{p} in the sitemap"
        );
    }

    // The same catalog under the default page size: one page, exactly as before.
    let one = Built::sample();
    assert!(!one.out.join("list.json").exists());
    assert!(!one.out.join("connectors/page-2.html").exists());
    let list = one.read("connectors/index.html");
    assert_eq!(row_slugs(&list).len(), 8);
    assert!(!list.contains("class=\"pager\"") && !list.contains("data-rows="));
}

/// Regression: a category named with a `|` (the separator of `data-category`) could never
/// match its own filter: the row split it in two while the facet offered the whole name.
#[test]
fn a_category_with_a_bar_in_its_name_matches_its_own_filter() {
    let r = common::Repo::new();
    let definition = common::minimal_definition("Odd").replace(
        "\"paths\"",
        "\"x-ms-connector-metadata\": [{\"propertyName\": \"Categories\", \"propertyValue\": \"Data;Odd|Name\"}],\n  \"paths\"",
    );
    r.file(
        "independent-publisher-connectors/Odd/apiDefinition.swagger.json",
        definition,
    )
    .file(
        "independent-publisher-connectors/Odd/apiProperties.json",
        common::MINIMAL_PROPERTIES,
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    build(&r.root(), &out);
    let list = fs::read_to_string(out.join("connectors/index.html")).expect("list");
    assert!(
        list.contains("data-category=\"Data|Odd Name\""),
        "the row's categories"
    );
    assert!(
        list.contains("name=\"category\" value=\"Odd Name\""),
        "the facet offers the value the row carries"
    );
    let catalog = json(&out.join("catalog.json"));
    assert_eq!(catalog["connectors"][0]["categories"][1], "Odd Name");
}

/// Eight connectors whose titles are 50,000 quotes each (300 KB once escaped, twice per row)
/// would make one 4.8 MB list page under the default `page_size`. The list's byte budget
/// (`paging::row_bytes`, which counts the escaping) cut it into pages under 2 MB; since titles
/// are cut at 200 characters where they are shown, the list is one small page.
#[test]
fn list_pages_stay_under_2_mb_however_long_the_titles() {
    let r = common::Repo::new();
    let title = "\"".repeat(50_000);
    for i in 0..8 {
        let folder = format!("custom-connectors/Long{i}");
        r.file(
            &format!("{folder}/apiDefinition.swagger.json"),
            common::minimal_definition(&format!("{title}{i}")),
        )
        .file(
            &format!("{folder}/apiProperties.json"),
            common::MINIMAL_PROPERTIES,
        );
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    build(&r.root(), &out);
    let mut pages = 0;
    let mut listed = 0;
    for (i, html) in common::list_pages(&out).iter().enumerate() {
        let n = i + 1;
        assert!(
            html.len() < 2 * 1024 * 1024,
            "list page {n}: {} bytes",
            html.len()
        );
        pages += 1;
        listed += row_slugs(html).len();
    }
    assert_eq!(pages, 1, "titles of 200 characters fit one page");
    assert_eq!(listed, 8, "every connector listed once");
    let list = &common::list_pages(&out)[0];
    assert!(list.contains(&"&quot;".repeat(200)));
    assert!(!list.contains(&"&quot;".repeat(201)));
}
