//! The changelog of each revision: the definition at that revision compared with the one
//! before it (`crate::changes`), parsed with the build's own lenient parser and conversion.
//!
//! `read` recorded each revision's definition blob while walking history; here consecutive
//! distinct blobs of each folder are compared. Folders are done in parallel (each thread
//! reads git through its own repository handle), each blob is parsed at most once per
//! folder, and the definitions of the built revision are taken from the catalog rather than
//! parsed again. A definition that cannot be read, even leniently, gets a note and is
//! skipped: the next revision is compared with the last one that could be read.
//!
//! Blobs never change, so what was learnt about them (how they read, what changed from one
//! to another) is kept in a `Store` between builds: a rebuild parses only new definitions.

use super::{FolderHistory, History};
use crate::changes::{self, Change};
use crate::model::Connector;
use crate::parse::{self, decode};
use crate::problem::{Problem, Severity};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// How a definition blob reads: its note, and whether it could be read at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlobFacts {
    pub unreadable: bool,
    pub note: Option<String>,
}

/// What earlier builds learnt, by blob id: kept in the cache folder, valid for one build of
/// the program (`stamp`), since another build may compare differently.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Store {
    stamp: String,
    blobs: BTreeMap<String, BlobFacts>,
    /// `old..new` → the changes from one to the other.
    pairs: BTreeMap<String, Vec<Change>>,
}

impl Store {
    /// The store at `path`, or an empty one when it is missing, unreadable or was written by
    /// another build of the program.
    pub fn load(path: &Path) -> Store {
        let stamp = program_stamp();
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Store>(&bytes).ok())
            .filter(|s| !stamp.is_empty() && s.stamp == stamp)
            .unwrap_or_else(|| Store {
                stamp,
                ..Store::default()
            })
    }

    /// Adds what a `fill` learnt; `true` when there was anything new.
    pub fn learn(&mut self, learnt: Learnt) -> bool {
        let new = !learnt.blobs.is_empty() || !learnt.pairs.is_empty();
        self.blobs.extend(learnt.blobs);
        self.pairs.extend(learnt.pairs);
        new
    }

    /// Writes the store (through a temporary file, so a reader never sees half of it).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if self.stamp.is_empty() {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, serde_json::to_vec(self)?)?;
        std::fs::rename(tmp, path)
    }
}

/// This build of the program: its version and its executable's size and time.
fn program_stamp() -> String {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    let Ok(meta) = meta else {
        return String::new();
    };
    let time = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{} {} {time}", env!("CARGO_PKG_VERSION"), meta.len())
}

/// What one `fill` computed that the store did not know.
#[derive(Debug, Default)]
pub struct Learnt {
    blobs: Vec<(String, BlobFacts)>,
    pairs: Vec<(String, Vec<Change>)>,
}

/// The built revision's model of a folder (by path), whose definition is the folder's last
/// revision's: borrowed from the catalog, or read back from its spill.
pub type Current<'a> = dyn Fn(&str) -> Option<Cow<'a, Connector>> + Sync + 'a;

/// Fills every revision's `changes` (and `note`), with `current` the built models.
pub fn fill<'a>(
    history: &mut History,
    repo: &Path,
    current: &Current<'a>,
    store: &Store,
) -> Learnt {
    let mut folders: Vec<(&String, &mut FolderHistory)> = history.folders.iter_mut().collect();
    // The longest chains first, so that the last thread to finish has a short one.
    folders.sort_by_key(|(path, f)| (std::cmp::Reverse(f.revisions.len()), path.as_str()));
    let learnt: Vec<Learnt> = folders
        .into_par_iter()
        .map(|(path, folder)| {
            let last = folder.revisions.last().and_then(|r| r.definition);
            let head = current(path.as_str()).map(Model::from).zip(last);
            let mut cx = Folder {
                repo,
                path,
                head,
                store,
                models: HashMap::new(),
                learnt: Learnt::default(),
            };
            cx.fill(folder);
            cx.learnt
        })
        .collect();
    let mut all = Learnt::default();
    for l in learnt {
        all.blobs.extend(l.blobs);
        all.pairs.extend(l.pairs);
    }
    all
}

/// One folder's chain of definitions.
struct Folder<'a> {
    repo: &'a Path,
    path: &'a str,
    /// The catalog's model and the blob it was read from.
    head: Option<(Model<'a>, git2::Oid)>,
    store: &'a Store,
    /// Blobs parsed here (`None`: unreadable).
    models: HashMap<git2::Oid, Option<Arc<Connector>>>,
    learnt: Learnt,
}

/// A model, parsed here (or read back from a spill) or borrowed from the catalog.
#[derive(Clone)]
enum Model<'a> {
    Parsed(Arc<Connector>),
    Catalog(&'a Connector),
}

impl<'a> From<Cow<'a, Connector>> for Model<'a> {
    fn from(c: Cow<'a, Connector>) -> Model<'a> {
        match c {
            Cow::Borrowed(c) => Model::Catalog(c),
            Cow::Owned(c) => Model::Parsed(Arc::new(c)),
        }
    }
}

impl Model<'_> {
    fn get(&self) -> &Connector {
        match self {
            Model::Parsed(m) => m,
            Model::Catalog(m) => m,
        }
    }
}

impl<'a> Folder<'a> {
    fn fill(&mut self, folder: &mut FolderHistory) {
        if folder.revisions.len() < 2 {
            return;
        }
        let mut previous: Option<git2::Oid> = None;
        for rev in &mut folder.revisions {
            let Some(blob) = rev.definition else {
                continue;
            };
            if previous == Some(blob) {
                continue; // another file of the folder changed, not the definition
            }
            let facts = self.facts(blob);
            rev.note = facts.note;
            if facts.unreadable {
                continue;
            }
            if let Some(before) = previous {
                rev.changes = self.changes(before, blob);
            }
            previous = Some(blob);
        }
    }

    fn facts(&mut self, blob: git2::Oid) -> BlobFacts {
        if let Some((model, _)) = self.head.as_ref().filter(|(_, b)| *b == blob) {
            return head_facts(model.get());
        }
        if let Some(known) = self.store.blobs.get(&blob.to_string()) {
            return known.clone();
        }
        self.parse(blob)
    }

    fn changes(&mut self, before: git2::Oid, after: git2::Oid) -> Vec<Change> {
        let key = format!("{before}..{after}");
        if let Some(known) = self.store.pairs.get(&key) {
            return known.clone();
        }
        let (Some(a), Some(b)) = (self.model(before), self.model(after)) else {
            return Vec::new();
        };
        let found = changes::compare(a.get(), b.get());
        self.learnt.pairs.push((key, found.clone()));
        found
    }

    fn model(&mut self, blob: git2::Oid) -> Option<Model<'a>> {
        if let Some((model, b)) = &self.head {
            if *b == blob {
                return Some(model.clone());
            }
        }
        if !self.models.contains_key(&blob) {
            self.parse(blob);
        }
        self.models.get(&blob)?.clone().map(Model::Parsed)
    }

    /// Reads and parses a blob, remembering the model and what was learnt about it.
    fn parse(&mut self, blob: git2::Oid) -> BlobFacts {
        let (model, facts) = parse_blob(self.repo, self.path, blob);
        self.models.insert(blob, model.map(Arc::new));
        self.learnt.blobs.push((blob.to_string(), facts.clone()));
        facts
    }
}

fn parse_blob(repo: &Path, folder: &str, blob: git2::Oid) -> (Option<Connector>, BlobFacts) {
    let rel = format!("{folder}/apiDefinition.swagger.json");
    let parsed = crate::source::with_repo(repo, |r| {
        let blob = super::read_definition(r, blob)?;
        let text = decode::decode(blob.content()).text;
        let mut problems = Vec::new();
        let model = parse::definition_model(&rel, &text, &mut problems);
        Ok((model, problems))
    });
    match parsed {
        Ok((model, problems)) => {
            let facts = facts_of(problems.iter());
            (Some(model).filter(|_| !facts.unreadable), facts)
        }
        Err(e) => (None, unreadable(&e.to_string())),
    }
}

/// How the built revision's definition read, from the problems the build met parsing it:
/// a head the build read leniently gets the same note as an older revision, and one it could
/// not read is skipped like one, not compared as an empty definition.
fn head_facts(c: &Connector) -> BlobFacts {
    let definition = c.files().definition();
    let definition = definition.as_deref();
    facts_of(
        c.problems
            .iter()
            .filter(|p| p.rule == parse::DEFINITION_RULE && Some(p.path.as_str()) == definition),
    )
}

/// What a definition's parsing problems say about it: the first error makes it unreadable,
/// any other problem means it was read leniently.
fn facts_of<'p>(problems: impl Iterator<Item = &'p Problem>) -> BlobFacts {
    let mut lenient = false;
    for p in problems {
        if p.severity == Severity::Error {
            return unreadable(&format!("{}, line {}", p.message, p.line));
        }
        lenient = true;
    }
    BlobFacts {
        unreadable: false,
        note: lenient
            .then(|| "The definition was not strict JSON; it was read leniently.".to_string()),
    }
}

fn unreadable(why: &str) -> BlobFacts {
    BlobFacts {
        unreadable: true,
        note: Some(format!(
            "The definition could not be read ({why}); the next revision is compared with the last one that could."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An oversized definition in a repository's past is refused with a note. (Its size now
    /// comes from the object's header: the blob was inflated whole before the check, so a
    /// hostile commit of gigabytes cost as much memory; this test sees the outcome only.)
    #[test]
    fn an_oversized_definition_blob_is_refused_by_its_header() {
        let tmp = tempfile::tempdir().expect("tmp");
        let repo = git2::Repository::init(tmp.path()).expect("init");
        let big = vec![b' '; (parse::MAX_FILE_BYTES + 1) as usize];
        let blob = repo.blob(&big).expect("blob");
        let (model, facts) = parse_blob(tmp.path(), "certified-connectors/Big", blob);
        assert!(model.is_none());
        assert!(facts.unreadable);
        let note = facts.note.expect("note");
        assert!(note.contains("over the size limit"), "{note}");
    }
}
