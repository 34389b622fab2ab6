//! Discover: find connector folders and the files in each.
//!
//! Accepts a repository checkout (the three tier folders), a single connector folder, or any
//! root that holds connector folders. File names are matched case-insensitively because the
//! real repository spells them many ways; a definition found under another name is used and
//! reported (F001). Symbolic links are never followed out of the source tree.

use crate::model::Tier;
use crate::problem::{Problem, Severity};
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// How deep below the root connector folders are looked for.
const MAX_DEPTH: usize = 3;

/// One connector folder and the files it holds (absolute paths).
#[derive(Debug, Clone)]
pub struct Found {
    pub dir: PathBuf,
    /// Path relative to the source root, `/`-separated.
    pub rel: String,
    pub folder: String,
    pub tier: Tier,
    pub definition: Option<PathBuf>,
    pub properties: Option<PathBuf>,
    pub readme: Option<PathBuf>,
    pub intro: Option<PathBuf>,
    pub icon: Option<PathBuf>,
    pub script: Option<PathBuf>,
    pub problems: Vec<Problem>,
}

/// The result of discovery: connector folders sorted by (tier, folder), plus problems with
/// folders that are not connectors.
#[derive(Debug, Default)]
pub struct Discovered {
    pub folders: Vec<Found>,
    pub problems: Vec<Problem>,
}

pub fn discover(root: &Path, default_tier: Tier) -> Discovered {
    let mut out = Discovered::default();
    if let Some(found) = inspect(root, root, default_tier) {
        // The root is itself a connector folder.
        out.folders.push(found);
        return out;
    }
    let walker = WalkDir::new(root)
        .min_depth(1)
        .max_depth(MAX_DEPTH)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    let mut walker = walker;
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let rel = err.path().map(|p| relative(root, p)).unwrap_or_default();
                out.problems.push(Problem::new(
                    "F000",
                    Severity::Warning,
                    rel,
                    format!("cannot read: {err}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_dir() || is_hidden(entry.file_name().to_string_lossy().as_ref()) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let tier = tier_of(root, entry.path()).unwrap_or(default_tier);
        if let Some(found) = inspect(root, entry.path(), tier) {
            out.folders.push(found);
            walker.skip_current_dir();
        } else if entry.depth() == 2 && is_tier_dir(entry.path().parent()) {
            out.problems.push(
                Problem::new(
                    "F001",
                    Severity::Error,
                    relative(root, entry.path()),
                    "connector folder has no API definition (`apiDefinition.swagger.json`)",
                )
                .help("add the definition file, or remove the folder"),
            );
            walker.skip_current_dir();
        }
    }
    out.folders
        .sort_by(|a, b| (a.tier, &a.folder, &a.rel).cmp(&(b.tier, &b.folder, &b.rel)));
    out
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

fn is_tier_dir(dir: Option<&Path>) -> bool {
    dir.and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .and_then(Tier::from_folder)
        .is_some()
}

fn tier_of(root: &Path, dir: &Path) -> Option<Tier> {
    dir.strip_prefix(root)
        .ok()?
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .find_map(Tier::from_folder)
        .or_else(|| root.file_name()?.to_str().and_then(Tier::from_folder))
        .or_else(|| {
            // A single folder given directly: its parent may name the tier.
            root.parent()?
                .file_name()?
                .to_str()
                .and_then(Tier::from_folder)
        })
}

/// Relative `/`-separated path of `path` under `root` (`.` for the root itself).
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        root.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| ".".into())
    } else {
        parts.join("/")
    }
}

/// Reads one folder; `Some` when it holds a definition or an `apiProperties.json`.
fn inspect(root: &Path, dir: &Path, default_tier: Tier) -> Option<Found> {
    let mut files: Vec<(String, PathBuf)> = fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    files.sort();
    let pick = |pred: &dyn Fn(&str) -> bool| {
        files
            .iter()
            .find(|(n, _)| pred(&n.to_ascii_lowercase()))
            .map(|(_, p)| p.clone())
    };
    let exact_definition = files
        .iter()
        .find(|(n, _)| n == "apiDefinition.swagger.json")
        .map(|(_, p)| p.clone());
    let definition = exact_definition.clone().or_else(|| {
        pick(&|n| n == "apidefinition.swagger.json")
            .or_else(|| pick(&|n| n.starts_with("apidefin") && n.ends_with(".json")))
            .or_else(|| pick(&|n| n.ends_with(".swagger.json")))
    });
    let properties = pick(&|n| n == "apiproperties.json");
    if definition.is_none() && properties.is_none() {
        return None;
    }
    let rel = if dir == root {
        relative(root.parent().unwrap_or(root), dir)
    } else {
        relative(root, dir)
    };
    let base = if dir == root {
        root.parent().unwrap_or(root)
    } else {
        root
    };
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| rel.clone());
    let mut problems = Vec::new();
    match (&definition, &exact_definition) {
        (Some(found), None) => problems.push(
            Problem::new(
                "F001",
                Severity::Error,
                relative(base, found),
                "the definition file must be named exactly `apiDefinition.swagger.json`",
            )
            .help(format!(
                "rename `{}` to `apiDefinition.swagger.json`",
                file_name(found)
            )),
        ),
        (None, _) => problems.push(Problem::new(
            "F001",
            Severity::Error,
            rel.clone(),
            "no API definition (`apiDefinition.swagger.json`) in this folder",
        )),
        _ => {}
    }
    Some(Found {
        tier: tier_of(root, dir).unwrap_or(default_tier),
        readme: pick(&|n| n == "readme.md").or_else(|| pick(&|n| n.starts_with("readme"))),
        intro: pick(&|n| n == "intro.md"),
        icon: pick(&|n| n == "icon.png"),
        script: pick(&|n| n == "script.csx"),
        dir: dir.to_path_buf(),
        rel,
        folder,
        definition,
        properties,
        problems,
    })
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let d = discover(root, Tier::Custom);
        let names: Vec<_> = d
            .folders
            .iter()
            .map(|f| (f.tier, f.folder.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (Tier::Certified, "Good"),
                (Tier::Certified, "Lower"),
                (Tier::IndependentPublisher, "Other Name")
            ]
        );
        assert!(d.folders[0].readme.is_some());
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

    #[test]
    fn a_single_connector_folder_is_one_connector() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp
            .path()
            .join("independent-publisher-connectors")
            .join("Mine");
        touch(&dir.join("apiDefinition.swagger.json"));
        let d = discover(&dir, Tier::Custom);
        assert_eq!(d.folders.len(), 1);
        assert_eq!(d.folders[0].tier, Tier::IndependentPublisher);
        assert_eq!(d.folders[0].rel, "Mine");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_followed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let outside = tempfile::tempdir().expect("tmp");
        touch(&outside.path().join("Secret/apiDefinition.swagger.json"));
        let root = tmp.path().join("repo");
        fs::create_dir_all(root.join("custom-connectors")).expect("mkdir");
        std::os::unix::fs::symlink(
            outside.path().join("Secret"),
            root.join("custom-connectors/Link"),
        )
        .expect("link");
        let d = discover(&root, Tier::Custom);
        assert!(d.folders.is_empty());
    }
}
