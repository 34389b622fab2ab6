//! Fixture repositories written by the tests themselves, in temporary folders.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use switchyard::model::Catalog;
use switchyard::site::{Overrides, Report, Site, Stages, Verbosity};

pub struct Repo {
    pub dir: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    /// Writes `bytes` at `rel` under the repository root.
    pub fn file(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Repo {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
        self
    }

    /// A connector folder holding `definition` and the minimal `apiProperties.json`.
    pub fn definition(&self, folder: &str, definition: impl AsRef<[u8]>) -> &Repo {
        self.file(&format!("{folder}/apiDefinition.swagger.json"), definition)
            .file(&format!("{folder}/apiProperties.json"), MINIMAL_PROPERTIES)
    }

    /// A small valid connector with one action, under `tier_folder/name`.
    pub fn connector(&self, tier_folder: &str, name: &str) -> &Repo {
        self.file(
            &format!("{tier_folder}/{name}/apiDefinition.swagger.json"),
            minimal_definition(name),
        );
        self.file(
            &format!("{tier_folder}/{name}/apiProperties.json"),
            MINIMAL_PROPERTIES,
        );
        self.file(
            &format!("{tier_folder}/{name}/readme.md"),
            format!("# {name}\n\nA test connector.\n"),
        )
    }

    pub fn site(&self, out: &Path) -> Site {
        let overrides = Overrides {
            source: Some(self.root().display().to_string()),
            out: Some(out.to_path_buf()),
            no_history: true,
            ..Overrides::default()
        };
        // An empty config file: the tests do not depend on the project's site.toml.
        let config = self.dir.path().join("site.toml");
        if !config.exists() {
            fs::write(&config, "").expect("config");
        }
        Site::load(Some(&config), overrides).expect("site")
    }

    pub fn catalog(&self) -> Catalog {
        let site = self.site(&self.dir.path().join("out"));
        site.load_catalog(&mut Stages::new(Verbosity::Quiet))
            .expect("catalog")
    }

    pub fn build(&self, out: &Path) -> anyhow::Result<Report> {
        self.site(out).build(false, Verbosity::Quiet)
    }
}

/// Builds the site of the repository at `source` into `out` with the project's defaults,
/// with or without git history (what the browser tests serve).
pub fn build_site(source: &Path, out: &Path, history: bool) {
    let overrides = Overrides {
        source: Some(source.display().to_string()),
        out: Some(out.to_path_buf()),
        no_history: !history,
        ..Overrides::default()
    };
    Site::load(None, overrides)
        .expect("site")
        .build(false, Verbosity::Quiet)
        .expect("build");
}

/// A `site.toml` with lists of three connectors a page: the sample's eight take three pages.
pub const PAGED: &str = "page_size = 3\n";

/// The bundled sample repository built into `<temp>/site` without history: with the
/// project's defaults, or with `config` as its `site.toml`.
pub fn build_sample(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/sample-repo");
    let site = dir.path().join("site");
    let Some(config) = config else {
        build_site(&source, &site, false);
        return dir;
    };
    let config_path = dir.path().join("site.toml");
    fs::write(&config_path, config).expect("config");
    let overrides = Overrides {
        source: Some(source.display().to_string()),
        out: Some(site),
        no_history: true,
        ..Overrides::default()
    };
    Site::load(Some(&config_path), overrides)
        .expect("site")
        .build(false, Verbosity::Quiet)
        .expect("build");
    dir
}

pub fn minimal_definition(title: &str) -> String {
    let title = serde_json::to_string(title).expect("json string");
    format!(
        r#"{{
  "swagger": "2.0",
  "info": {{"title": {title}, "description": "A connector used by the tests of switchyard.", "version": "1.0"}},
  "host": "api.example.test",
  "basePath": "/",
  "schemes": ["https"],
  "paths": {{
    "/items": {{
      "get": {{
        "operationId": "ListItems",
        "summary": "List items",
        "description": "Lists the items.",
        "responses": {{"200": {{"description": "OK", "schema": {{"type": "array", "items": {{"type": "string"}}}}}}}}
      }}
    }}
  }}
}}
"#
    )
}

pub const MINIMAL_PROPERTIES: &str = r##"{"properties": {"publisher": "Tests", "stackOwner": "Tests", "iconBrandColor": "#da3b01"}}"##;

/// The pages of the connector list of a built site, in order: `connectors/index.html`, then
/// `page-2.html`, `page-3.html`… until one is missing.
pub fn list_pages(out: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for n in 1.. {
        let name = match n {
            1 => "index.html".to_string(),
            n => format!("page-{n}.html"),
        };
        let Ok(html) = fs::read_to_string(out.join("connectors").join(name)) else {
            return pages;
        };
        pages.push(html);
    }
    pages
}

/// Every HTML page of the built site, relative to its root, with `/` separators.
pub fn html_pages(root: &Path) -> std::collections::BTreeSet<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(root).expect("under root");
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

/// The real corpus beside the project, when it is there.
pub fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    p.is_dir().then_some(p)
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .display()
                .to_string();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    out
}

/// Asserts two output folders hold the same files with the same bytes, naming the ones that differ.
pub fn assert_same_tree(a: &Path, b: &Path) {
    let (sa, sb) = (snapshot(a), snapshot(b));
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&sa),
        names(&sb),
        "the two outputs hold different files"
    );
    let differing: Vec<&str> = sa
        .iter()
        .zip(&sb)
        .filter(|(x, y)| x.1 != y.1)
        .map(|(x, _)| x.0.as_str())
        .collect();
    assert!(
        differing.is_empty(),
        "files differ between two builds: {differing:?}"
    );
}

/// Loads (discover + parse) the catalog of any source path, with default settings.
pub fn catalog_of(source: &Path) -> Catalog {
    let overrides = Overrides {
        source: Some(source.display().to_string()),
        ..Overrides::default()
    };
    Site::load(None, overrides)
        .expect("site")
        .load_catalog(&mut Stages::new(Verbosity::Quiet))
        .expect("catalog")
}

/// Commits the whole work tree of the repository at `root` (created on first use).
pub fn commit_all(root: &Path, subject: &str, time: i64) {
    let repo = git2::Repository::open(root)
        .or_else(|_| git2::Repository::init(root))
        .expect("repo");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.update_all(["*"], None).expect("update");
    index.write().expect("write index");
    commit_tree(&repo, index.write_tree().expect("tree"), subject, time);
}

/// Commits the tree `root` on HEAD (after its commit, if any) at `time`.
pub fn commit_tree(repo: &git2::Repository, root: git2::Oid, subject: &str, time: i64) {
    commit_tree_by(repo, root, subject, time, "Ann");
}

/// `commit_tree` by the author `name`.
pub fn commit_tree_by(
    repo: &git2::Repository,
    root: git2::Oid,
    subject: &str,
    time: i64,
    name: &str,
) {
    let tree = repo.find_tree(root).expect("tree");
    let sig = git2::Signature::new(name, "ann@example.test", &git2::Time::new(time, 0))
        .expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, subject, &tree, &parents)
        .expect("commit");
}

/// A connector of 600 operations, more than one page holds (`model::order::OPS_PER_PAGE`,
/// 250), titled "Big <One>": in reading order 249 actions "Action …" (one of them, `Old`,
/// deprecated for `ZNew`), the family `Fam` (revisions 3, 2, 1) across the end of page 1,
/// `ListItems` (what `connector()`'s connectors do) on page 2, 336 actions "Zebra …" and
/// `ZNew` after them, then 10 triggers on page 3.
pub fn paged_definition() -> String {
    let mut paths = serde_json::Map::new();
    let mut op = |path: &str, body: serde_json::Value| {
        paths.insert(path.to_string(), serde_json::json!({ "get": body }));
    };
    let ok = serde_json::json!({"200": {"description": "OK"}});
    for i in 0..248 {
        op(
            &format!("/a{i:03}"),
            serde_json::json!({"operationId": format!("A{i:03}"),
            "summary": format!("Action {i:03}"), "responses": ok}),
        );
    }
    // Page 1: a deprecated action replaced by one on page 2.
    op(
        "/old",
        serde_json::json!({"operationId": "Old", "summary": "Action 000 old",
        "deprecated": true, "x-ms-api-annotation": {"replacement": {"operationId": "ZNew"}},
        "responses": ok}),
    );
    // Places 249 to 251: a family across the end of page 1.
    for (rev, id) in [(3, "FamV3"), (2, "FamV2"), (1, "Fam")] {
        op(
            &format!("/{id}"),
            serde_json::json!({"operationId": id, "summary": "Family call",
            "x-ms-api-annotation": {"family": "Fam", "revision": rev}, "responses": ok}),
        );
    }
    // Page 2: what the other connector does too. Page 3: the replacement, after "Zebra 335".
    op(
        "/items",
        serde_json::json!({"operationId": "ListItems", "summary": "List items",
        "description": "Lists the items.", "responses": {"200": {"description": "OK",
        "schema": {"type": "array", "items": {"type": "string"}}}}}),
    );
    op(
        "/new",
        serde_json::json!({"operationId": "ZNew", "summary": "Zebra new", "responses": ok}),
    );
    for i in 0..336 {
        op(
            &format!("/z{i:03}"),
            serde_json::json!({"operationId": format!("Z{i:03}"),
            "summary": format!("Zebra {i:03}"), "responses": ok}),
        );
    }
    // Page 3: the triggers, after every action.
    for i in 0..10 {
        op(
            &format!("/t{i}"),
            serde_json::json!({"operationId": format!("T{i}"),
            "summary": format!("When thing {i} happens"), "x-ms-trigger": "single",
            "responses": ok}),
        );
    }
    serde_json::json!({"swagger": "2.0", "host": "example.com",
        "info": {"title": "Big <One>", "version": "1.0"}, "paths": paths})
    .to_string()
}
