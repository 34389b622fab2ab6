//! The previous revision of a connector being checked in a git working tree, for V008
//! (breaking changes) in `switchyard check`: the definition at HEAD when the working file
//! differs from it (an edit not yet committed), else the definition of the last revision
//! before the one that made the file what it is. The repository's history is read once, in
//! one pass (`history::read`), however many folders are checked.

use super::History;
use crate::model::Connector;
use crate::problem::Severity;
use std::path::{Path, PathBuf};

/// A git working tree and its history, opened once per checked path.
pub struct Baseline {
    /// The repository's git folder (for `source::with_repo`).
    repo: PathBuf,
    /// The working tree's root, canonical.
    workdir: PathBuf,
    history: Option<History>,
}

impl Baseline {
    /// The working tree that holds `path`, if any (a bare repository has no working files).
    pub fn open(path: &Path) -> Option<Baseline> {
        let repo = git2::Repository::discover(path).ok()?;
        let workdir = repo.workdir()?.canonicalize().ok()?;
        let history = super::read(&workdir, None).ok();
        Some(Baseline {
            repo: repo.path().to_path_buf(),
            workdir,
            history,
        })
    }

    /// The model of the definition at `definition` (a file of the working tree) as it was
    /// at its previous revision; `None` when there is none or it cannot be read.
    pub fn previous(&self, definition: &Path) -> Option<Connector> {
        // A definition over the parser's limit is not compared (nor read whole to hash it).
        let size = std::fs::metadata(definition).ok()?.len();
        if size > crate::parse::MAX_FILE_BYTES {
            return None;
        }
        let bytes = std::fs::read(definition).ok()?;
        let rel = definition.canonicalize().ok()?;
        let rel = rel.strip_prefix(&self.workdir).ok()?;
        let rel = rel.to_str()?.replace('\\', "/");
        let working = git2::Oid::hash_object(git2::ObjectType::Blob, &bytes).ok()?;
        let at_head = crate::source::with_repo(&self.repo, |r| {
            let tree = r.head().and_then(|h| h.peel_to_tree());
            Ok(tree
                .and_then(|t| t.get_path(Path::new(&rel)))
                .map(|e| e.id())
                .ok())
        })
        .ok()
        .flatten();
        let blob = match at_head {
            Some(head) if head != working => Some(head),
            _ => self.before(&rel, working),
        }?;
        self.model(&rel, blob)
    }

    /// The last definition blob of the folder's history that is not `working`'s, going back
    /// from the newest revision.
    fn before(&self, rel: &str, working: git2::Oid) -> Option<git2::Oid> {
        let folder = rel.rsplit_once('/')?.0;
        let revisions = &self.history.as_ref()?.folders.get(folder)?.revisions;
        revisions
            .iter()
            .rev()
            .filter_map(|r| r.definition)
            .find(|b| *b != working)
    }

    fn model(&self, rel: &str, blob: git2::Oid) -> Option<Connector> {
        let bytes = crate::source::with_repo(&self.repo, |r| {
            super::read_definition(r, blob).map(|b| b.content().to_vec())
        })
        .ok()?;
        let text = crate::parse::decode::decode(&bytes).text;
        let mut problems = Vec::new();
        let model = crate::parse::definition_model(rel, &text, &mut problems);
        let unreadable = problems.iter().any(|p| p.severity == Severity::Error);
        (!unreadable).then_some(model)
    }
}
