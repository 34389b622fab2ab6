//! A repository whose git objects are hostile: tree entries that no checkout could hold
//! (`..`, a name with `/`, control characters), one pointing at an object that is not there,
//! a symbolic link out of the tree and a submodule. They are written straight into the object
//! database, as a hostile remote could send them; the build from the repository (`--rev`,
//! with history) must finish, list the good connector, and write nothing outside its output.

mod common;
#[path = "common/hostile.rs"]
mod hostile;

use common::{commit_tree as commit, commit_tree_by, minimal_definition, Repo};
use git2::{ObjectType, Oid, Repository};
use hostile::{all, live_script};
use std::fs;
use std::path::Path;
use switchyard::site::{Overrides, Site, Verbosity};

/// An author name with what a name may hold (git refuses `<` and `>` in one): quotes that
/// would end an attribute, and a handler. (The site counts authors; it shows none today.)
const HOSTILE_AUTHOR: &str = "Eve\" onmouseover=\"document.documentElement.dataset.pwned=1\" x='";

const PROPERTIES: &str = r#"{"properties": {"publisher": "Test", "stackOwner": "Test"}}"#;

/// Writes a raw tree object; `entries` are (mode, name, id), already in git's order.
fn raw_tree(repo: &Repository, entries: &[(&str, &[u8], Oid)]) -> Oid {
    let mut bytes = Vec::new();
    for (mode, name, id) in entries {
        bytes.extend_from_slice(format!("{mode} ").as_bytes());
        bytes.extend_from_slice(name);
        bytes.push(0);
        bytes.extend_from_slice(id.as_bytes());
    }
    repo.odb()
        .expect("odb")
        .write(ObjectType::Tree, &bytes)
        .expect("tree")
}

fn blob(repo: &Repository, bytes: &[u8]) -> Oid {
    repo.blob(bytes).expect("blob")
}

/// A connector folder's tree: a definition titled `title` and minimal properties.
fn connector(repo: &Repository, title: &str) -> Oid {
    let definition = blob(repo, minimal_definition(title).as_bytes());
    let properties = blob(repo, PROPERTIES.as_bytes());
    raw_tree(
        repo,
        &[
            ("100644", b"apiDefinition.swagger.json", definition),
            ("100644", b"apiProperties.json", properties),
        ],
    )
}

/// The hostile repository: a first commit whose tier folder is missing, one with `Good`
/// alone, then one that adds every hostile entry beside it (so the history walk compares
/// the tier trees).
fn hostile_repository(root: &Path) {
    let repo = Repository::init(root).expect("init");
    let good = connector(&repo, "Good");
    let tier = |entries: &[(&str, &[u8], Oid)]| {
        let tier = raw_tree(&repo, entries);
        raw_tree(&repo, &[("40000", b"certified-connectors", tier)])
    };
    let missing = Oid::from_bytes(&[7; 20]).expect("oid");
    // History the walk cannot read: a first commit whose tier folder's tree is missing (as in
    // a damaged or partial clone).
    let unreadable = raw_tree(&repo, &[("40000", b"certified-connectors", missing)]);
    commit(&repo, unreadable, "Lost", 1_699_000_000);
    commit(
        &repo,
        tier(&[("40000", b"Good", good)]),
        "Add Good",
        1_700_000_000,
    );
    let outside = blob(&repo, b"../../../../etc");
    // A folder whose definition and icon are not in the repository.
    let properties = blob(&repo, PROPERTIES.as_bytes());
    let hollow = raw_tree(
        &repo,
        &[
            ("100644", b"apiDefinition.swagger.json", missing),
            ("100644", b"apiProperties.json", properties),
            ("100644", b"icon.png", missing),
        ],
    );
    // By a hostile author, with script in its subject: the history section, What's new and
    // the feeds show both.
    commit_tree_by(
        &repo,
        tier(&[
            ("40000", b"..", connector(&repo, "Dots")),
            ("40000", b"Bad\xffName", connector(&repo, "NotUtf8")),
            ("40000", b"Good", good),
            ("40000", b"Good", connector(&repo, "Twin")),
            ("40000", b"Hollow", hollow),
            ("120000", b"Link", outside),
            ("40000", b"Missing", missing),
            ("160000", b"Sub", missing),
            ("40000", b"a\x01b", connector(&repo, "Control")),
            ("40000", b"x/y", connector(&repo, "Slash")),
        ]),
        &all("Add hostile entries"),
        1_700_086_400,
        HOSTILE_AUTHOR,
    );
}

/// Every path under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string()
        })
        .collect()
}

#[test]
fn hostile_git_objects_build_and_stay_inside() {
    let r = Repo::new();
    let root = r.root();
    hostile_repository(&root);
    let out = r.dir.path().join("out");
    let config = r.dir.path().join("site.toml");
    fs::write(&config, "").expect("config");
    let before = listing(r.dir.path());
    let overrides = Overrides {
        source: Some(root.display().to_string()),
        out: Some(out.clone()),
        rev: Some("HEAD".into()),
        ..Overrides::default()
    };
    let report = Site::load(Some(&config), overrides)
        .expect("site")
        .build(false, Verbosity::Quiet)
        .expect("the build finishes");
    assert!(report.connectors >= 1, "{} connectors", report.connectors);

    let catalog: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("catalog.json")).expect("catalog.json"))
            .expect("catalog.json is JSON");
    let titles: Vec<&str> = catalog["connectors"]
        .as_array()
        .expect("connectors")
        .iter()
        .filter_map(|c| c["title"].as_str())
        .collect();
    // `..` is a hidden name (like `.github`), never a connector; the other folders that no
    // checkout could hold are still read, under names made safe, and the folder whose files
    // are missing is listed under its name.
    assert_eq!(titles, ["Good", "Hollow", "Control", "Slash"]);
    let problems: Vec<(&str, &str, &str)> = catalog["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            let field = |k: &str| p[k].as_str().unwrap_or_default();
            (field("rule"), field("severity"), field("path"))
        })
        .collect();
    let expected = [
        (
            "F000",
            "error",
            "certified-connectors/Missing",
            "a folder whose object is missing",
        ),
        (
            "F008",
            "warning",
            "certified-connectors/Link",
            "a link, not followed",
        ),
        ("F008", "warning", "certified-connectors/Sub", "a submodule"),
        (
            "F008",
            "warning",
            "certified-connectors/Good",
            "a name listed twice",
        ),
        (
            "F008",
            "warning",
            "certified-connectors/Bad\u{fffd}Name",
            "a name not UTF-8",
        ),
        (
            "F002",
            "error",
            "certified-connectors/Hollow/apiDefinition.swagger.json",
            "a definition that cannot be read",
        ),
    ];
    for (rule, severity, path, what) in expected {
        assert!(
            problems.contains(&(rule, severity, path)),
            "{what} is reported ({rule} at {path}): {problems:?}"
        );
    }
    // Its page stands; the files that cannot be read are not copied (regression: a missing
    // blob made the copy of the definition for download stop the whole build).
    let hollow = out.join("connectors/hollow");
    assert!(hollow.join("index.html").is_file());
    assert!(!hollow.join("apiDefinition.swagger.json").exists());
    assert!(!hollow.join("icon.png").exists());
    // History was read across the hostile commit, and around the one it cannot read.
    let history = switchyard::history::read(&root, None).expect("history");
    assert_eq!(history.commits, 3);
    assert_eq!(history.unreadable.len(), 1, "{:?}", history.unreadable);
    assert!(history.unreadable[0].contains("not found"));
    let good = fs::read_to_string(out.join("connectors/good/index.html")).expect("Good's page");
    assert!(good.contains("Add Good"), "Good's history lists its commit");
    // The hostile commit's subject is shown as text (authors are only counted, never shown):
    // no page holds live script, and no feed holds markup from it.
    let shown = |kind: &str, text: &str| {
        listing(&out).into_iter().any(|p| {
            p.ends_with(kind)
                && fs::read_to_string(out.join(&p)).is_ok_and(|page| page.contains(text))
        })
    };
    let subject = "Add hostile entries pwned &lt;img";
    assert!(shown(".html", subject), "the subject is shown as text");
    assert!(shown(".xml", subject), "and is in a feed as text");
    for path in listing(&out) {
        let file = out.join(&path);
        if path.ends_with(".html") {
            let html = fs::read_to_string(&file).expect("page");
            assert_eq!(live_script(&html), Vec::<String>::new(), "{path}");
        } else if path.ends_with(".xml") {
            let xml = fs::read_to_string(&file).expect("feed");
            for raw in ["<script", "<img", "<svg", "<iframe", "onmouseover=\""] {
                assert!(!xml.contains(raw), "{path} holds {raw}");
            }
        }
    }

    // Nothing written beside the output but the output itself (and no spill or staging
    // folder left behind).
    let after: Vec<String> = listing(r.dir.path())
        .into_iter()
        .filter(|p| p != "out" && !p.starts_with("out/"))
        .collect();
    assert_eq!(before, after, "files appeared outside the output folder");
    for page in listing(&out) {
        assert!(
            !page.contains(".."),
            "a path with `..` in the output: {page}"
        );
        assert!(
            !page.chars().any(char::is_control),
            "a control character in an output path: {page:?}"
        );
    }
}
