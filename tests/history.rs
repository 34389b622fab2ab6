//! History on the site and in `switchyard check`, from small git repositories built here:
//! the History section, What's new, the Atom feeds (well-formed, stable ids, same bytes
//! twice), the list's dates, nothing of it without history, and V008 against the previous
//! revision in a working tree.

mod common;

use common::{commit_all, Repo};
use std::fs;
use std::path::Path;
use std::process::Command;
use switchyard::site::{Overrides, Site, Verbosity};

const CERT: &str = "certified-connectors";
const DAY: i64 = 86_400;

/// Alpha's definition with its one action renamed: the old one is deleted (breaking).
fn alpha_v2(r: &Repo) {
    let path = r.root().join(CERT).join("Alpha/apiDefinition.swagger.json");
    let text = fs::read_to_string(&path).expect("definition");
    fs::write(path, text.replace("ListItems", "ListAllItems")).expect("write");
}

/// A repository with two connectors, then a breaking change to Alpha 40 days later.
fn repo_with_history() -> Repo {
    let r = Repo::new();
    r.connector(CERT, "Alpha").connector(CERT, "Beta");
    commit_all(&r.root(), "Add Alpha and Beta (#10)", 1_700_000_000);
    alpha_v2(&r);
    commit_all(
        &r.root(),
        "Alpha: rename the action (#11)",
        1_700_000_000 + 40 * DAY,
    );
    r
}

fn build(r: &Repo, out: &Path, history: bool) {
    let config = r.dir.path().join("site.toml");
    fs::write(&config, "base_url = \"https://docs.example.test/\"\n").expect("config");
    let overrides = Overrides {
        source: Some(r.root().display().to_string()),
        out: Some(out.to_path_buf()),
        no_history: !history,
        ..Overrides::default()
    };
    Site::load(Some(&config), overrides)
        .expect("site")
        .build(false, Verbosity::Quiet)
        .expect("build");
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn history_section_whats_new_and_feeds_render_from_git() {
    let r = repo_with_history();
    let out = r.dir.path().join("out");
    build(&r, &out, true);
    let page = read(&out, "connectors/alpha/index.html");
    assert!(page.contains(r#"<section id="sec-history""#));
    assert!(
        page.contains("<dt>First added</dt><dd>2023-11-14</dd>"),
        "dates from git"
    );
    assert!(page.contains("<dt>Last updated</dt><dd>2023-12-24</dd>"));
    assert!(page.contains(
        r#"<a href="https://github.com/microsoft/PowerPlatformConnectors/pull/11" rel="noopener">#11</a>"#
    ));
    assert!(page.contains(
        "<strong class=\"breaking-mark\">Breaking:</strong> <code>ListItems</code>: the operation has been deleted. This change breaks existing flows."
    ));
    assert!(page.contains("<code>ListAllItems</code>: new operation."));
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml" title="Alpha: revisions" href="feed.xml">"#));
    let beta = read(&out, "connectors/beta/index.html");
    assert!(!beta.contains("Breaking:"), "Beta never changed");

    let news = read(&out, "whats-new/index.html");
    let december = news.find("December 2023").expect("the month of the change");
    let november = news.find("November 2023").expect("the month both came");
    assert!(december < november, "newest month first");
    assert!(news[december..november].contains("Breaking changes"));
    assert!(news[november..].contains("New connectors <span class=\"count\">2</span>"));

    let home = read(&out, "index.html");
    assert!(home.contains("Recently updated"));
    let list = read(&out, "connectors/index.html");
    assert!(list.contains(r#"data-added="2023-11-14" data-updated="2023-12-24""#));
    assert!(
        list.contains(r#"data-now="2023-12-24""#),
        "now is the built commit's date"
    );

    let site_feed = read(&out, "feed.xml");
    let alpha_feed = read(&out, "connectors/alpha/feed.xml");
    for feed in [&site_feed, &alpha_feed] {
        well_formed(feed);
        assert!(feed.contains("<updated>2023-12-24T22:13:20Z</updated>"));
    }
    assert_eq!(site_feed.matches("<entry>").count(), 3);
    assert!(alpha_feed.contains("<id>tag:github.com,2023-11-14:certified-connectors/Alpha</id>"));
    assert!(alpha_feed.contains("<id>tag:github.com,2023-12-24:certified-connectors/Alpha/"));
    assert!(alpha_feed.contains(
        r#"<link rel="alternate" type="text/html" href="https://docs.example.test/connectors/alpha/#sec-history"/>"#
    ));

    // The same input gives the same bytes, feeds and their ids included.
    let again = r.dir.path().join("again");
    build(&r, &again, true);
    common::assert_same_tree(&out, &again);
}

#[test]
fn without_history_the_sections_are_absent() {
    let r = repo_with_history();
    let out = r.dir.path().join("out");
    build(&r, &out, false);
    assert!(!read(&out, "connectors/alpha/index.html").contains("sec-history"));
    assert!(!out.join("feed.xml").exists());
    assert!(!out.join("connectors/alpha/feed.xml").exists());
    assert!(!out.join("whats-new").exists());
    let home = read(&out, "index.html");
    assert!(!home.contains("Recently updated") && !home.contains("whats-new/"));
    assert!(!read(&out, "connectors/index.html").contains("data-updated"));
}

/// `switchyard check` on a folder of a working tree, as JSON findings.
fn check_v008(dir: &Path) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_switchyard"))
        .args(["check", "--format", "json"])
        .arg(dir)
        .current_dir(dir)
        .output()
        .expect("run switchyard");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    findings
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["rule"] == "V008")
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn check_compares_with_head_then_with_the_previous_revision() {
    let r = Repo::new();
    r.connector(CERT, "Alpha");
    commit_all(&r.root(), "Add Alpha", 1_700_000_000);
    let alpha = r.root().join(CERT).join("Alpha");
    assert!(
        check_v008(&alpha).is_empty(),
        "nothing before the first revision"
    );
    alpha_v2(&r);
    let deleted = "`ListItems`: the operation has been deleted. This change breaks existing flows.";
    assert_eq!(
        check_v008(&alpha),
        [deleted],
        "the working file against HEAD"
    );
    commit_all(&r.root(), "Alpha: rename the action", 1_700_000_000 + DAY);
    assert_eq!(
        check_v008(&alpha),
        [deleted],
        "committed: HEAD against the revision before it"
    );
}

/// A small well-formedness check: balanced tags, quoted attributes, known entities only.
fn well_formed(xml: &str) {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
        .expect("XML declaration");
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open]);
        let close = rest[open..].find('>').expect("unclosed tag") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
            continue;
        }
        let name = tag.split([' ', '/']).next().expect("name");
        assert!(!name.is_empty() && !tag.contains('<'), "bad tag <{tag}>");
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unquoted attribute in <{tag}>"
        );
        check_text(tag);
        if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    check_text(rest);
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

fn check_text(text: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        let known = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&apos;"].contains(&entity);
        assert!(known, "unescaped & in {text:?}");
    }
    assert!(!text.chars().any(|c| c < ' ' && !"\t\n\r".contains(c)));
}

/// `--source` as a git URL: cloned into the cache with progress the first time, fetched
/// after, and built from the fetched HEAD (a local `file://` repository stands in for GitHub).
#[test]
fn a_git_url_is_cloned_with_progress_then_fetched() {
    let r = Repo::new();
    r.connector(CERT, "Alpha");
    commit_all(&r.root(), "Add Alpha (#1)", 1_700_000_000);
    let tmp = tempfile::tempdir().expect("temp");
    let url = format!("file://{}", r.root().display());
    let build_from_url = || {
        let out = Command::new(env!("CARGO_BIN_EXE_switchyard"))
            .args(["build", "--no-history", "--source", &url, "--out"])
            .arg(tmp.path().join("site"))
            .env("SWITCHYARD_CACHE", tmp.path().join("cache"))
            .current_dir(tmp.path())
            .output()
            .expect("run switchyard");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        let catalog: serde_json::Value =
            serde_json::from_str(&read(&tmp.path().join("site"), "catalog.json")).expect("json");
        (stderr, catalog)
    };
    let (stderr, catalog) = build_from_url();
    assert!(stderr.contains(&format!("Cloning {url}")), "{stderr}");
    assert!(stderr.contains(" objects, "), "progress: {stderr}");
    assert_eq!(catalog["connectors"].as_array().map(Vec::len), Some(1));
    let source = catalog["generated_from"]["source"]
        .as_str()
        .expect("source");
    assert!(source.starts_with(&url), "{source}");

    r.connector(CERT, "Beta");
    commit_all(&r.root(), "Add Beta (#2)", 1_700_000_000 + DAY);
    let (stderr, catalog) = build_from_url();
    assert!(stderr.contains(&format!("Fetching {url}")), "{stderr}");
    assert_eq!(catalog["connectors"].as_array().map(Vec::len), Some(2));
}
