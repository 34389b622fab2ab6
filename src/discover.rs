//! Discover: find connector folders and the files in each.
//!
//! Accepts a repository (the three tier folders), a single connector folder, or any root
//! that holds connector folders, on disk or in a git tree (`source::Tree`). File names are
//! matched case-insensitively because the real repository spells them many ways; a
//! definition found under another name is used and reported (F001).

use crate::model::{ConnectorFiles, Files, Tier};
use crate::problem::{Problem, Severity};
use crate::source::{base_name, join, Entry, LeftOut, Tree};
use crate::spill::Memory;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// How deep below the root connector folders are looked for.
const MAX_DEPTH: usize = 3;

/// One connector folder and the files it holds. The names are kept as the connector keeps
/// them (`ConnectorFiles`: the folder once, a byte for each common name), not as whole
/// paths: at 50× the real repository the found folders held 31 MB as eight strings each.
#[derive(Debug, Clone)]
pub struct Found {
    /// The folder, relative to the tree's root, and its files by kind with their sizes.
    pub files: ConnectorFiles,
    pub tier: Tier,
    pub problems: Vec<Problem>,
}

impl Found {
    /// The folder at `rel` holding the files `names` (by `Kind`), with the definition's and
    /// the icon's sizes.
    pub fn new(rel: &str, tier: Tier, names: [Option<&str>; 6], sizes: (u64, u64)) -> Found {
        Found {
            files: ConnectorFiles::named(rel, names, sizes),
            tier,
            problems: Vec::new(),
        }
    }

    /// The folder, relative to the tree's root.
    pub fn rel(&self) -> &str {
        self.files.here().folder()
    }

    /// The folder's own name.
    pub fn folder(&self) -> &str {
        base_name(self.rel())
    }

    pub fn definition_bytes(&self) -> u64 {
        self.files.definition_bytes
    }

    /// Its files, with their paths.
    pub fn files(&self) -> Files<'_> {
        self.files.here()
    }
}

/// Connector folders sorted by (tier, folder), plus problems with folders that are not connectors.
#[derive(Debug, Default)]
pub struct Discovered {
    pub folders: Vec<Found>,
    pub problems: Vec<Problem>,
}

/// Finds connectors under `start` (`""` for the whole tree). `root_name` is the name of the
/// tree's root folder, which may name the tier of a single connector.
pub fn discover(
    tree: &dyn Tree,
    start: &str,
    root_name: Option<&str>,
    default_tier: Tier,
) -> Discovered {
    discover_for(tree, start, root_name, default_tier, Memory::Full)
}

/// `discover` for a build that keeps its memory as `memory` says: once the definitions found
/// so far are enough for it to spill, each connector folder's listing is forgotten as soon as
/// the folder is inspected (`Listings`).
pub fn discover_for(
    tree: &dyn Tree,
    start: &str,
    root_name: Option<&str>,
    default_tier: Tier,
    memory: Memory,
) -> Discovered {
    let listings = Listings {
        memory,
        definitions: AtomicU64::new(0),
    };
    let mut out = Discovered::default();
    let tier_of = |rel: &str| {
        rel.split('/')
            .find_map(Tier::from_folder)
            .or_else(|| root_name.and_then(Tier::from_folder))
            .unwrap_or(default_tier)
    };
    if let Some(problem) = unreadable(tree, start) {
        out.problems.push(problem);
        return out;
    }
    if let Some(found) = inspect(tree, start, tier_of(start)) {
        out.folders.push(found);
        return out;
    }
    walk(tree, start, 1, &tier_of, &listings, &mut out);
    out.folders
        .sort_by(|a, b| (a.tier, a.folder(), a.rel()).cmp(&(b.tier, b.folder(), b.rel())));
    out
}

/// Whether discover keeps the listings of the connector folders it has inspected. A build
/// that spills lists each folder again as its connector is read (`quality::read_all`), so
/// holding every listing until the end of discover only raised its peak: at 50× the real
/// repository they took about 25 MB, on top of the found folders.
struct Listings {
    memory: Memory,
    /// The definitions' bytes found so far.
    definitions: AtomicU64,
}

impl Listings {
    fn inspected(&self, tree: &dyn Tree, found: &Found) {
        let bytes = found.definition_bytes();
        let so_far = self
            .definitions
            .fetch_add(bytes, Ordering::Relaxed)
            .saturating_add(bytes);
        if self.memory.spills(so_far) {
            tree.forget_listings_under(found.rel());
        }
    }
}

fn walk(
    tree: &dyn Tree,
    dir: &str,
    depth: usize,
    tier_of: &(dyn Fn(&str) -> Tier + Sync),
    listings: &Listings,
    out: &mut Discovered,
) {
    let parent_is_tier = Tier::from_folder(base_name(dir)).is_some();
    let entries = tree.list(dir);
    out.problems.extend(odd_entries(tree, dir, &entries));
    // Each folder is inspected in parallel (a listing and a size per file); the results are
    // merged in name order, so the outcome does not depend on the threads.
    let folders: Vec<Discovered> = entries
        .par_iter()
        .filter(|e| e.is_dir && !e.name.starts_with('.'))
        .map(|entry| {
            let rel = join(dir, &entry.name);
            let mut here = Discovered::default();
            if let Some(problem) = unreadable(tree, &rel) {
                here.problems.push(problem);
            } else if let Some(found) = inspect(tree, &rel, tier_of(&rel)) {
                listings.inspected(tree, &found);
                here.folders.push(found);
            } else if parent_is_tier {
                here.problems.push(
                    Problem::new(
                        "F001",
                        Severity::Error,
                        rel,
                        "connector folder has no API definition (`apiDefinition.swagger.json`)",
                    )
                    .help("add the definition file, or remove the folder"),
                );
            } else if depth < MAX_DEPTH {
                walk(tree, &rel, depth + 1, tier_of, listings, &mut here);
            }
            here
        })
        .collect();
    for here in folders {
        out.folders.extend(here.folders);
        out.problems.extend(here.problems);
    }
}

/// F000 for a folder that is there but cannot be read: whatever it holds is missing from
/// the catalog, so it is an error, located at the folder.
fn unreadable(tree: &dyn Tree, dir: &str) -> Option<Problem> {
    let why = tree.unreadable(dir)?;
    Some(
        Problem::new(
            "F000",
            Severity::Error,
            dir.to_string(),
            format!("the folder cannot be read ({why}); whatever it holds is not in the catalog"),
        )
        .help("check the folder's permissions, or repair the repository (`git fsck`)"),
    )
}

/// The definition among a folder's files: `apiDefinition.swagger.json`, else the closest
/// spelling (the history reads old revisions' folders with the same rule).
pub fn pick_definition(files: &[Entry]) -> Option<&Entry> {
    let pick =
        |pred: &dyn Fn(&str) -> bool| files.iter().find(|e| pred(&e.name.to_ascii_lowercase()));
    files
        .iter()
        .find(|e| !e.is_dir && e.name == "apiDefinition.swagger.json")
        .or_else(|| pick(&|n| n == "apidefinition.swagger.json"))
        .or_else(|| pick(&|n| n.starts_with("apidefin") && n.ends_with(".json")))
        .or_else(|| pick(&|n| n.ends_with(".swagger.json")))
}

/// Reads one folder; `Some` when it holds a definition or an `apiProperties.json`.
fn inspect(tree: &dyn Tree, dir: &str, tier: Tier) -> Option<Found> {
    let entries = tree.list(dir);
    let files: Vec<Entry> = entries.iter().filter(|e| !e.is_dir).cloned().collect();
    let pick =
        |pred: &dyn Fn(&str) -> bool| files.iter().find(|e| pred(&e.name.to_ascii_lowercase()));
    let exact = files
        .iter()
        .find(|e| e.name == "apiDefinition.swagger.json");
    let definition = pick_definition(&files);
    let properties = pick(&|n| n == "apiproperties.json");
    if definition.is_none() && properties.is_none() {
        return None;
    }
    let path = |e: &Entry| join(dir, &e.name);
    let mut problems = odd_entries(tree, dir, &entries);
    match (definition, exact) {
        (Some(found), None) => problems.push(
            Problem::new(
                "F001",
                Severity::Error,
                path(found),
                "the definition file must be named exactly `apiDefinition.swagger.json`",
            )
            .help(format!(
                "rename `{}` to `apiDefinition.swagger.json`",
                found.name
            )),
        ),
        (None, _) => problems.push(Problem::new(
            "F001",
            Severity::Error,
            dir.to_string(),
            "no API definition (`apiDefinition.swagger.json`) in this folder",
        )),
        _ => {}
    }
    let icon = pick(&|n| n == "icon.png");
    let readme = pick(&|n| n == "readme.md").or_else(|| pick(&|n| n.starts_with("readme")));
    let intro = pick(&|n| n == "intro.md");
    let script = pick(&|n| n == "script.csx");
    let names = [definition, properties, readme, intro, icon, script];
    let sizes = (definition.map_or(0, |e| e.size), icon.map_or(0, |e| e.size));
    let mut found = Found::new(dir, tier, names.map(|e| e.map(|e| e.name.as_str())), sizes);
    found.problems = problems;
    Some(found)
}

/// Entries left out of `dir`'s listing (symbolic links, names listed twice, names that are
/// not UTF-8, submodules) and names that differ only in case (F008).
/// Neither stops the build: links are never followed and one of two colliding files is
/// used, but a publisher should know, since Windows and macOS see one file where git has two.
fn odd_entries(tree: &dyn Tree, dir: &str, entries: &[Entry]) -> Vec<Problem> {
    let visible = |name: &str| !name.starts_with('.');
    // Names left out of `entries`, each an F008 warning at its path.
    let mut problems: Vec<Problem> = tree
        .left_out(dir)
        .into_iter()
        .filter(|(name, _)| visible(name))
        .map(|(name, why)| {
            let (message, help) = match why {
                LeftOut::Link => (
                    "is a symbolic link; links are never followed, so it was left out",
                    "replace the link with the file or folder itself",
                ),
                LeftOut::Duplicate => (
                    "appears more than once in the git tree; only the first is read",
                    "repair the repository: git never writes a name twice (`git fsck`)",
                ),
                LeftOut::Submodule => (
                    "is a git submodule; its files are in another repository, so it was left out",
                    "put the connector's files in this repository",
                ),
                LeftOut::NotUtf8 => (
                    "has a name that is not valid UTF-8, so it was left out",
                    "rename it with UTF-8 characters (shown here with \u{fffd} for the others)",
                ),
            };
            Problem::new("F008", Severity::Warning, join(dir, &name), message).help(help)
        })
        .collect();
    let mut by_folded: Vec<(String, &str)> = entries
        .iter()
        .filter(|e| visible(&e.name))
        .map(|e| (e.name.to_lowercase(), e.name.as_str()))
        .collect();
    by_folded.sort();
    for pair in by_folded.windows(2) {
        if let [(a_folded, a), (b_folded, b)] = pair {
            if a_folded == b_folded {
                problems.push(
                    Problem::new(
                        "F008",
                        Severity::Warning,
                        join(dir, b),
                        format!("differs from `{a}` only in case; Windows and macOS see one name"),
                    )
                    .help("give each file or folder a name that differs in more than case"),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::DirTree;
    use std::fs;
    use std::path::Path;

    fn touch(p: &Path) {
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(p, "{}").expect("write");
    }

    #[test]
    fn finds_connectors_under_tier_folders_with_odd_file_names() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        touch(&root.join("certified-connectors/Good/apiDefinition.swagger.json"));
        touch(&root.join("certified-connectors/Good/README.MD"));
        touch(&root.join("certified-connectors/Lower/apidefinition.swagger.json"));
        touch(&root.join("independent-publisher-connectors/Other Name/Foo-Bar.swagger.json"));
        touch(&root.join("independent-publisher-connectors/Empty/readme.md"));
        let d = discover(&DirTree::new(root), "", None, Tier::Custom);
        let names: Vec<_> = d.folders.iter().map(|f| (f.tier, f.folder())).collect();
        assert_eq!(
            names,
            [
                (Tier::Certified, "Good"),
                (Tier::Certified, "Lower"),
                (Tier::IndependentPublisher, "Other Name")
            ]
        );
        assert_eq!(
            d.folders[0].files().readme().as_deref(),
            Some("certified-connectors/Good/README.MD")
        );
        assert_eq!(
            d.folders[2].files().definition().as_deref(),
            Some("independent-publisher-connectors/Other Name/Foo-Bar.swagger.json"),
            "a name that is not a common one is kept as found"
        );
        assert!(d.folders[0].problems.is_empty());
        assert_eq!(d.folders[1].problems[0].rule, "F001");
        assert_eq!(
            d.folders[1].problems[0].path,
            "certified-connectors/Lower/apidefinition.swagger.json"
        );
        assert_eq!(
            d.problems.len(),
            1,
            "the folder without a definition is reported"
        );
        assert_eq!(d.problems[0].path, "independent-publisher-connectors/Empty");
    }

    /// A folder tree that notes which folders' listings it was asked to forget.
    struct Forgetful {
        inner: DirTree,
        forgotten: std::sync::Mutex<Vec<String>>,
    }

    impl Tree for Forgetful {
        fn list(&self, dir: &str) -> Vec<crate::source::Entry> {
            self.inner.list(dir)
        }
        fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
            self.inner.read(path)
        }
        fn describe(&self) -> String {
            self.inner.describe()
        }
        fn forget_listings_under(&self, dir: &str) {
            self.forgotten.lock().expect("lock").push(dir.to_string());
            self.inner.forget_listings_under(dir);
        }
    }

    #[test]
    fn a_build_that_will_spill_forgets_each_connector_folders_listing_once_inspected() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        for name in ["A", "B", "C"] {
            touch(&root.join(format!(
                "certified-connectors/{name}/apiDefinition.swagger.json"
            )));
        }
        let forgotten = |memory: Memory| {
            let tree = Forgetful {
                inner: DirTree::new(root),
                forgotten: Default::default(),
            };
            let found = discover_for(&tree, "", None, Tier::Custom, memory).folders;
            assert_eq!(
                found.len(),
                3,
                "{memory:?}: every folder is found all the same"
            );
            let mut forgotten = tree.forgotten.into_inner().expect("lock");
            forgotten.sort();
            forgotten
        };
        let all = ["A", "B", "C"].map(|n| format!("certified-connectors/{n}"));
        assert_eq!(forgotten(Memory::Low), all);
        assert!(forgotten(Memory::Full).is_empty());
        assert!(
            forgotten(Memory::Auto).is_empty(),
            "three small definitions are far from a spill"
        );
    }

    /// A folder tree where one folder exists but cannot be read (as a folder without
    /// permission, or a git tree whose object is missing).
    struct Locked {
        inner: DirTree,
        locked: &'static str,
    }

    impl Tree for Locked {
        fn list(&self, dir: &str) -> Vec<crate::source::Entry> {
            if dir == self.locked {
                Vec::new()
            } else {
                self.inner.list(dir)
            }
        }
        fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
            self.inner.read(path)
        }
        fn describe(&self) -> String {
            "locked".into()
        }
        fn unreadable(&self, dir: &str) -> Option<String> {
            (dir == self.locked).then(|| "permission denied".to_string())
        }
    }

    #[test]
    fn an_unreadable_folder_is_reported_as_f000_not_as_a_missing_definition() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        touch(&root.join("certified-connectors/Good/apiDefinition.swagger.json"));
        touch(&root.join("certified-connectors/Locked/apiDefinition.swagger.json"));
        let tree = Locked {
            inner: DirTree::new(root),
            locked: "certified-connectors/Locked",
        };
        let d = discover(&tree, "", None, Tier::Custom);
        let names: Vec<_> = d.folders.iter().map(|f| f.folder()).collect();
        assert_eq!(names, ["Good"]);
        let found: Vec<_> = d
            .problems
            .iter()
            .map(|p| (p.rule, p.severity, p.path.as_str()))
            .collect();
        assert_eq!(
            found,
            [("F000", Severity::Error, "certified-connectors/Locked")]
        );
        assert!(d.problems[0].message.contains("permission denied"));
        // The folder given as the start (one connector) is reported the same way.
        let tree = Locked {
            inner: DirTree::new(root),
            locked: "certified-connectors/Good",
        };
        let d = discover(&tree, "certified-connectors/Good", None, Tier::Custom);
        assert!(d.folders.is_empty());
        assert_eq!(d.problems[0].rule, "F000");
    }

    #[test]
    fn a_single_connector_folder_is_one_connector() {
        let tmp = tempfile::tempdir().expect("tmp");
        let tier_dir = tmp.path().join("independent-publisher-connectors");
        touch(&tier_dir.join("Mine/apiDefinition.swagger.json"));
        let d = discover(
            &DirTree::new(&tier_dir),
            "Mine",
            Some("independent-publisher-connectors"),
            Tier::Custom,
        );
        assert_eq!(d.folders.len(), 1);
        assert_eq!(d.folders[0].tier, Tier::IndependentPublisher);
        assert_eq!(
            d.folders[0].files().definition().as_deref(),
            Some("Mine/apiDefinition.swagger.json")
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_followed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let outside = tempfile::tempdir().expect("tmp");
        touch(&outside.path().join("Secret/apiDefinition.swagger.json"));
        let root = tmp.path().join("repo");
        fs::create_dir_all(root.join("custom-connectors/Real")).expect("mkdir");
        std::os::unix::fs::symlink(
            outside.path().join("Secret"),
            root.join("custom-connectors/Link"),
        )
        .expect("link");
        std::os::unix::fs::symlink(
            outside.path().join("Secret/apiDefinition.swagger.json"),
            root.join("custom-connectors/Real/apiDefinition.swagger.json"),
        )
        .expect("link");
        let d = discover(&DirTree::new(&root), "", None, Tier::Custom);
        assert!(d.folders.is_empty(), "{:?}", d.folders);
        let reported: Vec<(&str, &str)> = d
            .problems
            .iter()
            .map(|p| (p.rule, p.path.as_str()))
            .collect();
        assert!(
            reported.contains(&("F008", "custom-connectors/Link")),
            "the link to a folder outside is reported: {reported:?}"
        );
        assert!(
            reported.contains(&("F001", "custom-connectors/Real")),
            "the folder whose definition is a link has none: {reported:?}"
        );
    }

    /// The paths of the F008 (link or case collision) problems among `problems`.
    fn f008_paths(problems: &[Problem]) -> Vec<&str> {
        problems
            .iter()
            .filter(|p| p.rule == "F008")
            .map(|p| p.path.as_str())
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_file_in_a_connector_folder_is_reported_not_read() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("repo");
        touch(&root.join("custom-connectors/Real/apiDefinition.swagger.json"));
        std::os::unix::fs::symlink("/etc/passwd", root.join("custom-connectors/Real/readme.md"))
            .expect("link");
        std::os::unix::fs::symlink(".", root.join("custom-connectors/Real/loop")).expect("link");
        let d = discover(&DirTree::new(&root), "", None, Tier::Custom);
        let found = &d.folders[0];
        assert_eq!(found.files().readme(), None, "the link is not the readme");
        let paths = f008_paths(&found.problems);
        assert_eq!(
            paths,
            [
                "custom-connectors/Real/loop",
                "custom-connectors/Real/readme.md"
            ]
        );
    }

    /// A link committed to git (mode 120000) is a blob holding its target: never listed or
    /// read, but reported like a link on disk.
    #[test]
    fn a_symlink_in_a_git_tree_is_reported_not_read() {
        let tmp = tempfile::tempdir().expect("tmp");
        let repo = git2::Repository::init(tmp.path()).expect("init");
        let blob = |bytes: &[u8]| repo.blob(bytes).expect("blob");
        let mut folder = repo.treebuilder(None).expect("builder");
        folder
            .insert("apiDefinition.swagger.json", blob(b"{}"), 0o100644)
            .expect("insert");
        folder
            .insert("readme.md", blob(b"/etc/passwd"), 0o120000)
            .expect("insert");
        let folder = folder.write().expect("tree");
        let mut tier = repo.treebuilder(None).expect("builder");
        tier.insert("Real", folder, 0o040000).expect("insert");
        let tier = tier.write().expect("tree");
        let mut root = repo.treebuilder(None).expect("builder");
        root.insert("custom-connectors", tier, 0o040000)
            .expect("insert");
        let root = repo.find_tree(root.write().expect("tree")).expect("tree");
        let sig = git2::Signature::now("t", "t@example.test").expect("sig");
        repo.commit(Some("HEAD"), &sig, &sig, "add", &root, &[])
            .expect("commit");
        let tree = crate::source::GitTree::open(tmp.path(), None).expect("git tree");
        let d = discover(&tree, "", None, Tier::Custom);
        let found = &d.folders[0];
        assert_eq!(found.files().readme(), None, "the link is not the readme");
        let links = f008_paths(&found.problems);
        assert_eq!(links, ["custom-connectors/Real/readme.md"]);
    }

    #[test]
    fn names_differing_only_in_case_are_reported_once_each() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        touch(&root.join("custom-connectors/Twin/apiDefinition.swagger.json"));
        touch(&root.join("custom-connectors/twin/apiDefinition.swagger.json"));
        touch(&root.join("custom-connectors/Twin/Readme.md"));
        touch(&root.join("custom-connectors/Twin/README.md"));
        let d = discover(&DirTree::new(root), "", None, Tier::Custom);
        assert_eq!(d.folders.len(), 2, "both folders are still connectors");
        let folder_level: Vec<&str> = d.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(folder_level, ["custom-connectors/twin"]);
        let twin = d
            .folders
            .iter()
            .find(|f| f.rel() == "custom-connectors/Twin");
        let files = f008_paths(twin.map_or(&[][..], |f| &f.problems));
        assert_eq!(files, ["custom-connectors/Twin/Readme.md"]);
    }
}
