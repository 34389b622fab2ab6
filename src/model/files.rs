//! The files found in a connector folder, held compactly for the whole build.
//!
//! Every connector keeps the paths of its files for the whole build (its page links and
//! copies them, `serve` reads them again). They were six strings that each repeat the
//! folder's path, in a 160-byte struct: at 10× the real repository, holding the names instead
//! took 1.7 MB off the live heap's peak. Here the folder's path is held once and each file by its name: the names nearly every folder uses
//! (`apiDefinition.swagger.json`, `readme.md`…) as a number, any other as a string. A path
//! is put together when it is asked for; the export spells each path out as before.

use serde::{Deserialize, Serialize};

/// The files found in a connector folder, as paths relative to the source root
/// (`definition()`, `readme()`…: `folder/name`, as `source::join` makes them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectorFiles {
    /// The folder the files are in, relative to the source root; empty for names that are
    /// whole paths, and when the connector holding them keeps the folder (`without_folder`).
    folder: Box<str>,
    /// Whether the folder was taken away (`without_folder`): the connector's `Names` hold
    /// it, and its files are read through `within`.
    folder_elsewhere: bool,
    /// Each file's name in `folder`, by `Kind`: `NONE`, a place in `COMMON` plus one, or `ODD`.
    names: [u8; KINDS],
    /// The names that are not `COMMON`, by `Kind` (none for nearly every folder).
    odd: Option<Box<[Option<Box<str>>; KINDS]>>,
    /// Size of the definition in bytes.
    pub definition_bytes: u64,
    /// Size of the icon in bytes, as listed (not exported).
    pub icon_bytes: u64,
}

/// The kinds of file a connector folder has, in the export's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Definition,
    Properties,
    Readme,
    Intro,
    Icon,
    Script,
}

const KINDS: usize = 6;

/// File names shared by every connector that has them: those of nearly every folder of the
/// real repository.
const COMMON: [&str; 9] = [
    "apiDefinition.swagger.json",
    "apiProperties.json",
    "readme.md",
    "README.md",
    "Readme.md",
    "README.MD",
    "intro.md",
    "icon.png",
    "script.csx",
];

/// In `ConnectorFiles::names`: no such file.
const NONE: u8 = 0;

/// In `ConnectorFiles::names`: a name not in `COMMON`, kept in `odd`.
const ODD: u8 = u8::MAX;

/// `name` as `ConnectorFiles::names` holds it.
fn number_of(name: &str) -> u8 {
    COMMON
        .iter()
        .position(|&n| n == name)
        .map_or(ODD, |at| at as u8 + 1)
}

impl ConnectorFiles {
    /// The files of `folder` at `paths` (by `Kind`, each `folder/name` or, for a folder at
    /// the root, the name), with the definition's and the icon's sizes.
    pub fn of(folder: &str, paths: [Option<&str>; KINDS], sizes: (u64, u64)) -> ConnectorFiles {
        let prefix = format!("{folder}/");
        let in_folder = |p: &&str| folder.is_empty() || p.starts_with(&prefix);
        // A path outside the folder never comes from the parse; should one, every path is
        // kept whole rather than wrongly cut.
        let folder = match paths.iter().flatten().all(in_folder) {
            true => folder,
            false => "",
        };
        let skip = if folder.is_empty() {
            0
        } else {
            folder.len() + 1
        };
        ConnectorFiles::named(folder, paths.map(|p| p.map(|p| &p[skip..])), sizes)
    }

    /// The files of `folder` by their names in it (by `Kind`), with the definition's and
    /// the icon's sizes: what discover finds.
    pub fn named(folder: &str, names: [Option<&str>; KINDS], sizes: (u64, u64)) -> ConnectorFiles {
        let numbers = names.map(|n| n.map_or(NONE, number_of));
        let odd = numbers.contains(&ODD).then(|| {
            let kept = |k: usize| match numbers[k] {
                ODD => names[k].map(Box::from),
                _ => None,
            };
            Box::new(std::array::from_fn(kept))
        });
        ConnectorFiles {
            folder: folder.into(),
            folder_elsewhere: false,
            names: numbers,
            odd,
            definition_bytes: sizes.0,
            icon_bytes: sizes.1,
        }
    }

    /// The same files without their folder when it is `folder`, which the connector holding
    /// them keeps in its `Names` (every connector held its folder's path twice: 0.4 MB of
    /// live heap at 10× the real repository). Read them through `within(folder)` from then on.
    pub fn without_folder(mut self, folder: &str) -> ConnectorFiles {
        if !self.folder_elsewhere && *self.folder == *folder {
            self.folder = Box::default();
            self.folder_elsewhere = true;
        }
        self
    }

    /// The files seen from `folder`, when `without_folder` took theirs away (else from their
    /// own).
    pub fn within<'a>(&'a self, folder: &'a str) -> Files<'a> {
        let folder = if self.folder_elsewhere {
            folder
        } else {
            &self.folder
        };
        Files {
            folder,
            files: self,
        }
    }

    /// The files seen from their own folder (`within`): what discover finds. Files that
    /// `without_folder` took the folder from are read through `within` instead.
    pub(crate) fn here(&self) -> Files<'_> {
        self.within("")
    }

    /// The name of its file of `kind`.
    fn name(&self, kind: Kind) -> Option<&str> {
        match self.names[kind as usize] {
            NONE => None,
            ODD => self.odd.as_ref()?[kind as usize].as_deref(),
            common => COMMON.get(usize::from(common) - 1).copied(),
        }
    }

    /// Whether the folder has a file of `kind`.
    pub fn has(&self, kind: Kind) -> bool {
        self.names[kind as usize] != NONE
    }

    /// Whether the icon may be copied into the site: listed as a regular file of the folder
    /// (links never are) and no larger than the parser reads (`source::copyable`, from what
    /// the folder's listing said when the connector was read).
    pub fn icon_copyable(&self) -> bool {
        self.has(Kind::Icon) && self.icon_bytes <= crate::parse::MAX_FILE_BYTES
    }

    /// `icon_copyable`, for the definition (offered for download).
    pub fn definition_copyable(&self) -> bool {
        self.has(Kind::Definition) && self.definition_bytes <= crate::parse::MAX_FILE_BYTES
    }
}

/// A connector's files with the folder they are in (`ConnectorFiles::within`): their paths,
/// and what the export writes of them.
#[derive(Clone, Copy)]
pub struct Files<'a> {
    folder: &'a str,
    files: &'a ConnectorFiles,
}

impl<'a> Files<'a> {
    /// The folder the files are in, relative to the source root.
    pub fn folder(&self) -> &'a str {
        self.folder
    }

    /// The path of its file of `kind`, relative to the source root.
    pub fn path(&self, kind: Kind) -> Option<String> {
        Some(crate::source::join(self.folder, self.files.name(kind)?))
    }

    pub fn definition(&self) -> Option<String> {
        self.path(Kind::Definition)
    }

    pub fn readme(&self) -> Option<String> {
        self.path(Kind::Readme)
    }

    pub fn intro(&self) -> Option<String> {
        self.path(Kind::Intro)
    }

    pub fn icon(&self) -> Option<String> {
        self.path(Kind::Icon)
    }
}

impl std::ops::Deref for Files<'_> {
    type Target = ConnectorFiles;

    fn deref(&self) -> &ConnectorFiles {
        self.files
    }
}

/// `ConnectorFiles` as the export spells it: each path whole.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct Exported {
    definition: Option<String>,
    properties: Option<String>,
    readme: Option<String>,
    intro: Option<String>,
    icon: Option<String>,
    script: Option<String>,
    definition_bytes: u64,
}

const ALL: [Kind; KINDS] = [
    Kind::Definition,
    Kind::Properties,
    Kind::Readme,
    Kind::Intro,
    Kind::Icon,
    Kind::Script,
];

impl Serialize for ConnectorFiles {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.here().serialize(serializer)
    }
}

impl Serialize for Files<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let [definition, properties, readme, intro, icon, script] = ALL.map(|k| self.path(k));
        Exported {
            definition,
            properties,
            readme,
            intro,
            icon,
            script,
            definition_bytes: self.definition_bytes,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ConnectorFiles {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let e = Exported::deserialize(deserializer)?;
        let paths = [
            &e.definition,
            &e.properties,
            &e.readme,
            &e.intro,
            &e.icon,
            &e.script,
        ];
        let folder = paths
            .iter()
            .find_map(|p| p.as_deref()?.rsplit_once('/'))
            .map_or("", |(folder, _)| folder);
        let paths = paths.map(|p| p.as_deref());
        Ok(ConnectorFiles::of(folder, paths, (e.definition_bytes, 0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::MAX_FILE_BYTES;

    fn files(folder: &str, paths: [Option<&str>; KINDS]) -> ConnectorFiles {
        ConnectorFiles::of(folder, paths, (10, 0))
    }

    /// What the lists and pages take as copyable without listing the folder again (`serve`
    /// listed every connector folder for each edit): a file the folder listed, no larger than
    /// the parser reads.
    #[test]
    fn icons_and_definitions_are_copyable_when_listed_and_small_enough() {
        let mut files = ConnectorFiles::default();
        assert!(
            !files.icon_copyable() && !files.definition_copyable(),
            "none listed"
        );
        let (icon, definition) = (Some("c/icon.png"), Some("c/apiDefinition.swagger.json"));
        files = ConnectorFiles::of("c", [definition, None, None, None, icon, None], (10, 0));
        (files.icon_bytes, files.definition_bytes) = (MAX_FILE_BYTES, 10);
        assert!(files.icon_copyable() && files.definition_copyable());
        (files.icon_bytes, files.definition_bytes) = (MAX_FILE_BYTES + 1, MAX_FILE_BYTES + 1);
        assert!(
            !files.icon_copyable() && !files.definition_copyable(),
            "too large"
        );
    }

    #[test]
    fn files_without_their_folder_read_back_within_it() {
        let folder = "certified-connectors/Açme";
        let readme = Some("certified-connectors/Açme/README.md");
        let given = files(folder, [None, None, readme, None, None, None]);
        let kept = given.clone().without_folder(folder);
        assert_eq!(
            kept.folder,
            Box::<str>::default(),
            "the folder is not held twice"
        );
        let seen = kept.within(folder);
        assert_eq!(seen.folder(), folder);
        assert_eq!(seen.readme().as_deref(), readme);
        assert_eq!(
            serde_json::to_string(&seen).expect("json"),
            serde_json::to_string(&given).expect("json"),
            "the export is the same"
        );
        let other = given.clone().without_folder("elsewhere");
        assert_eq!(other, given, "files in another folder keep theirs");
        assert_eq!(other.within("elsewhere").readme().as_deref(), readme);
    }

    #[test]
    fn paths_come_back_as_given_and_common_names_are_numbers() {
        let folder = "certified-connectors/Odd Name";
        let paths = [
            Some("certified-connectors/Odd Name/apiDefinition.swagger.json"),
            None,
            Some("certified-connectors/Odd Name/ReadMe.md"),
            None,
            Some("certified-connectors/Odd Name/icon.png"),
            None,
        ];
        let a = files(folder, paths);
        assert_eq!(
            ALL.map(|k| a.here().path(k)),
            paths.map(|p| p.map(String::from))
        );
        assert_eq!(a.here().readme().as_deref(), paths[2]);
        assert!(a.odd.is_some(), "`ReadMe.md` is not a common name");
        let common = [paths[0], None, None, None, paths[4], None];
        let b = files(folder, common);
        assert!(b.odd.is_none(), "common names only: nothing else held");
        assert_eq!(
            ALL.map(|k| b.here().path(k)),
            common.map(|p| p.map(String::from))
        );
        assert!(!b.has(Kind::Readme) && b.has(Kind::Icon));
        let at_root = files(
            "",
            [
                Some("apiDefinition.swagger.json"),
                None,
                None,
                None,
                None,
                None,
            ],
        );
        assert_eq!(
            at_root.here().definition().as_deref(),
            Some("apiDefinition.swagger.json")
        );
    }

    /// Never from the parse, but not a wrong path either: a file outside the folder keeps
    /// every path whole.
    #[test]
    fn a_path_outside_the_folder_keeps_every_path_whole() {
        let paths = [
            Some("a/apiDefinition.swagger.json"),
            None,
            None,
            None,
            Some("b/icon.png"),
            None,
        ];
        let f = files("a", paths);
        assert_eq!(f.here().icon().as_deref(), Some("b/icon.png"));
        assert_eq!(
            f.here().definition().as_deref(),
            Some("a/apiDefinition.swagger.json")
        );
        let prefix_only = files("a", [Some("ab/x.json"), None, None, None, None, None]);
        assert_eq!(
            prefix_only.here().definition().as_deref(),
            Some("ab/x.json")
        );
    }

    #[test]
    fn the_export_spells_out_paths_and_reads_back() {
        let paths = [
            Some("c/d/apiDefinition.swagger.json"),
            Some("c/d/apiProperties.json"),
            None,
            Some("c/d/intro.md"),
            None,
            Some("c/d/script.csx"),
        ];
        let f = files("c/d", paths);
        let json = serde_json::to_string(&f).expect("json");
        assert_eq!(
            json,
            r#"{"definition":"c/d/apiDefinition.swagger.json","properties":"c/d/apiProperties.json","readme":null,"intro":"c/d/intro.md","icon":null,"script":"c/d/script.csx","definition_bytes":10}"#
        );
        let back: ConnectorFiles = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, f);
        let empty: ConnectorFiles = serde_json::from_str("{}").expect("reads back");
        assert_eq!(empty, ConnectorFiles::default());
    }
}
