//! History: when each connector came, and every revision since, from one pass over git.
//!
//! `info.version` says "1.0" almost everywhere; the real versions of a connector are its
//! commits. Every commit reachable from the built revision is compared with its parents at
//! the level of connector folders only (the tier folders' tree entries), so the whole
//! history costs one tree comparison per commit, never one git query per folder. A folder
//! changes in a commit when its tree differs from the first parent's, except in a merge
//! whose result equals another parent's (the change is already counted on that branch),
//! which is how `git log -- <folder>` simplifies history too.

pub mod changelog;
pub mod dates;
pub mod previous;
pub mod trees;

use crate::model::Tier;
use crate::source::Entry;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// One commit that changed a connector folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub commit: String,
    pub date: String,
    /// Seconds since 1970 (author time), for sorting and feeds.
    pub time: i64,
    pub subject: String,
    pub pr: Option<u32>,
    pub author: String,
    /// The definition's blob at this revision (what the changelog compares).
    #[serde(skip)]
    pub definition: Option<git2::Oid>,
    /// What changed in the definition since the previous revision that changed it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<crate::changes::Change>,
    /// Why this revision has no changelog (its definition could not be read), or how it was
    /// read (leniently).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The history of one connector folder, oldest revision first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FolderHistory {
    pub revisions: Vec<Revision>,
    pub contributors: usize,
}

impl FolderHistory {
    pub fn first_added(&self) -> Option<&Revision> {
        self.revisions.first()
    }

    pub fn last_updated(&self) -> Option<&Revision> {
        self.revisions.last()
    }
}

/// A folder that existed once and is gone at the built revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retired {
    pub path: String,
    pub removed: Revision,
    /// The folder it was renamed to, when it left in the same commit another came with the
    /// same content.
    pub renamed_to: Option<String>,
}

/// The history of every connector folder ever present.
#[derive(Debug, Clone, Default, Serialize)]
pub struct History {
    pub commits: usize,
    /// The commit time of the built revision: "now" for everything dated relative to it.
    pub time: i64,
    /// By folder path (`certified-connectors/Foo`).
    pub folders: BTreeMap<String, FolderHistory>,
    pub retired: Vec<Retired>,
    /// Commits whose objects could not be read (a damaged or partial clone, a hostile
    /// repository), in walk order, each with why: their changes are not in the history.
    pub unreadable: Vec<String>,
}

/// Folders that held connectors at some point of the public repository's life.
const ROOTS: [&str; 4] = [
    "certified-connectors",
    "independent-publisher-connectors",
    "custom-connectors",
    "connectors",
];

/// Reads the history of `rev` (default HEAD) in the repository at `repo_path`. Each revision
/// records its definition's blob; `changelog::fill` compares them afterwards.
pub fn read(repo_path: &Path, rev: Option<&str>) -> Result<History> {
    let repo = crate::source::open_repository(repo_path)
        .with_context(|| format!("cannot open {}", repo_path.display()))?;
    let head = repo
        .revparse_single(rev.unwrap_or("HEAD"))
        .and_then(|o| o.peel_to_commit())
        .context("cannot find the commit to read history from")?;
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push(head.id())?;
    let mut changes: BTreeMap<String, Vec<(Revision, Option<git2::Oid>)>> = BTreeMap::new();
    let mut authors: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut commits = 0;
    let walker = Walker::new(&repo)?;
    let mut unreadable = Vec::new();
    for oid in walk {
        commits += 1;
        // A commit whose objects cannot be read costs its own changes, not the history.
        let read = oid.map_err(anyhow::Error::from).and_then(|oid| {
            let commit = repo.find_commit(oid)?;
            let changed = walker
                .changed_folders(&commit)
                .with_context(|| format!("commit {}", crate::source::short(oid)))?;
            Ok((commit, changed))
        });
        let (commit, changed) = match read {
            Ok(read) => read,
            Err(error) => {
                unreadable.push(reason(&error));
                continue;
            }
        };
        if changed.is_empty() {
            continue;
        }
        let revision = revision_of(&commit);
        for (path, tree) in changed {
            authors
                .entry(path.clone())
                .or_default()
                .insert(revision.author.clone());
            let definition = tree.and_then(|t| definition_blob(&repo, t));
            let revision = Revision {
                definition,
                ..revision.clone()
            };
            changes.entry(path).or_default().push((revision, tree));
        }
    }
    let final_folders = folders_of(&repo, &head)?;
    let mut history = assemble(commits, changes, &authors, &final_folders);
    history.time = head.time().seconds();
    history.unreadable = unreadable;
    Ok(history)
}

/// An error's chain in one line, libgit2's errors by their message alone (without their
/// class and code).
fn reason(error: &anyhow::Error) -> String {
    let parts: Vec<String> = error
        .chain()
        .map(|e| match e.downcast_ref::<git2::Error>() {
            Some(git) => git.message().to_string(),
            None => e.to_string(),
        })
        .collect();
    parts.join(": ")
}

/// A definition's blob read from `repo`, refused by its object header when it is over the
/// parser's limit (so an oversized blob is never inflated whole).
pub(crate) fn read_definition(
    repo: &git2::Repository,
    id: git2::Oid,
) -> std::io::Result<git2::Blob<'_>> {
    let git = |e: git2::Error| std::io::Error::other(e.message().to_string());
    let (size, _) = repo
        .odb()
        .and_then(|odb| odb.read_header(id))
        .map_err(git)?;
    if size as u64 > crate::parse::MAX_FILE_BYTES {
        return Err(std::io::Error::other(
            "the definition is over the size limit",
        ));
    }
    repo.find_blob(id).map_err(git)
}

/// The definition file's blob in a connector folder's tree (picked as discover picks it).
fn definition_blob(repo: &git2::Repository, tree: git2::Oid) -> Option<git2::Oid> {
    let tree = repo.find_tree(tree).ok()?;
    let files: Vec<(Entry, git2::Oid)> = tree
        .iter()
        .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
        .filter_map(|e| {
            let entry = Entry {
                name: e.name()?.to_string(),
                is_dir: false,
                size: 0,
            };
            Some((entry, e.id()))
        })
        .collect();
    let entries: Vec<Entry> = files.iter().map(|(e, _)| e.clone()).collect();
    let picked = crate::discover::pick_definition(&entries)?;
    files
        .iter()
        .find(|(e, _)| e.name == picked.name)
        .map(|(_, id)| *id)
}

fn assemble(
    commits: usize,
    changes: BTreeMap<String, Vec<(Revision, Option<git2::Oid>)>>,
    authors: &HashMap<String, BTreeSet<String>>,
    present: &BTreeMap<String, git2::Oid>,
) -> History {
    let mut history = History {
        commits,
        ..History::default()
    };
    // Trees of folders added by each commit, for rename detection.
    let mut added_by: HashMap<(String, git2::Oid), String> = HashMap::new();
    for (path, revs) in &changes {
        if let Some((rev, Some(tree))) = revs.first() {
            added_by.insert((rev.commit.clone(), *tree), path.clone());
        }
    }
    for (path, revs) in changes {
        let removed = revs
            .last()
            .filter(|(_, tree)| tree.is_none())
            .map(|(r, _)| r.clone());
        if let (false, Some(removed)) = (present.contains_key(&path), removed) {
            let last_tree = revs.iter().rev().find_map(|(_, t)| *t);
            let renamed_to =
                last_tree.and_then(|t| added_by.get(&(removed.commit.clone(), t)).cloned());
            history.retired.push(Retired {
                path: path.clone(),
                removed,
                renamed_to,
            });
        }
        let folder = FolderHistory {
            contributors: authors.get(&path).map_or(0, BTreeSet::len),
            revisions: revs
                .into_iter()
                .filter(|(_, t)| t.is_some())
                .map(|(r, _)| r)
                .collect(),
        };
        history.folders.insert(path, folder);
    }
    history
}

/// Finds the connector folders each commit changed, by diffing tier folder trees.
struct Walker<'r> {
    repo: &'r git2::Repository,
    odb: git2::Odb<'r>,
    /// Tier folder trees lately read, as stored (see `trees`) and parsed (for merges): a
    /// commit's are mostly its child's parent's. (libgit2 does not cache trees this large.)
    raw: Recent<std::rc::Rc<[u8]>>,
    parsed: Recent<git2::Tree<'r>>,
}

impl<'r> Walker<'r> {
    fn new(repo: &'r git2::Repository) -> Result<Walker<'r>> {
        Ok(Walker {
            repo,
            odb: repo.odb()?,
            raw: Recent::default(),
            parsed: Recent::default(),
        })
    }

    /// Folders whose tree differs from the first parent's, unless a merge took them
    /// unchanged from another parent; with the folder's tree now (`None`: removed). A tier
    /// folder whose tree id equals the first parent's costs nothing more; otherwise the two
    /// tier trees are compared (`trees::changed`).
    fn changed_folders(&self, commit: &git2::Commit) -> Result<Vec<(String, Option<git2::Oid>)>> {
        // A parent whose tree cannot be read holds nothing (it is reported itself).
        let parents: Vec<Option<git2::Tree>> = commit.parents().map(|p| p.tree().ok()).collect();
        let tree = commit.tree()?;
        let mut out = Vec::new();
        for root in ROOTS {
            let now = tier_id(&tree, root);
            let before: Vec<Option<git2::Oid>> = parents
                .iter()
                .map(|p| p.as_ref().and_then(|p| tier_id(p, root)))
                .collect();
            let first = before.first().copied().flatten();
            if !parents.is_empty() && first == now {
                continue;
            }
            for (name, here) in self.changed_entries(first, now)? {
                let elsewhere = before
                    .iter()
                    .skip(1)
                    .any(|p| self.folder_in(*p, &name) == here);
                if !elsewhere {
                    out.push((format!("{root}/{name}"), here));
                }
            }
        }
        Ok(out)
    }

    /// The folders that differ between two versions of a tier folder, with their tree now.
    fn changed_entries(
        &self,
        old: Option<git2::Oid>,
        new: Option<git2::Oid>,
    ) -> Result<Vec<trees::Changed>> {
        // A parent's tree that cannot be read counts as empty (the parent itself is reported
        // as unreadable): what this commit holds is new, as at the start of a shallow clone.
        let old_raw = self.raw(old).or_else(|_| self.raw(None))?;
        if let Some(found) = trees::changed(&old_raw, &self.raw(new)?) {
            return Ok(found);
        }
        // Stored out of git's order, or not readable as stored: libgit2's reading of the
        // trees, put in order.
        let canonical = |id| {
            self.tier(id)
                .map(|t| trees::canonical(&t))
                .unwrap_or_default()
        };
        Ok(trees::changed(&canonical(old), &canonical(new)).unwrap_or_default())
    }

    /// The tree id of folder `name` in the tier folder `tier`.
    fn folder_in(&self, tier: Option<git2::Oid>, name: &str) -> Option<git2::Oid> {
        self.tier(tier).and_then(|t| folder_id(&t, name))
    }

    fn tier(&self, id: Option<git2::Oid>) -> Option<git2::Tree<'r>> {
        let id = id?;
        self.parsed.get(id, || self.repo.find_tree(id)).ok()
    }

    /// A tier folder's tree as stored (empty when there is none).
    fn raw(&self, id: Option<git2::Oid>) -> Result<std::rc::Rc<[u8]>> {
        let Some(id) = id else {
            return Ok(std::rc::Rc::from(&[][..]));
        };
        Ok(self.raw.get(id, || {
            self.odb.read(id).map(|o| std::rc::Rc::from(o.data()))
        })?)
    }
}

/// The objects last loaded, by id: at most 32, forgotten all at once.
struct Recent<T>(std::cell::RefCell<HashMap<git2::Oid, T>>);

impl<T> Default for Recent<T> {
    fn default() -> Recent<T> {
        Recent(Default::default())
    }
}

impl<T: Clone> Recent<T> {
    fn get<E>(&self, id: git2::Oid, load: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        if let Some(hit) = self.0.borrow().get(&id) {
            return Ok(hit.clone());
        }
        let loaded = load()?;
        let mut cache = self.0.borrow_mut();
        if cache.len() >= 32 {
            cache.clear();
        }
        cache.insert(id, loaded.clone());
        Ok(loaded)
    }
}

/// The tree id of folder `name` in a tier folder's tree.
fn folder_id(tier: &git2::Tree, name: &str) -> Option<git2::Oid> {
    tier.get_name(name)
        .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
        .map(|e| e.id())
}

fn tier_id(tree: &git2::Tree, root: &str) -> Option<git2::Oid> {
    tree.get_name(root)
        .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
        .map(|e| e.id())
}

fn subfolders(repo: &git2::Repository, tier: git2::Oid) -> BTreeMap<String, git2::Oid> {
    let Ok(sub) = repo.find_tree(tier) else {
        return BTreeMap::new();
    };
    sub.iter()
        .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
        .filter_map(|e| Some((e.name()?.to_string(), e.id())))
        .collect()
}

/// The connector folders of a commit's tree: path → tree id.
fn folders_of(
    repo: &git2::Repository,
    commit: &git2::Commit,
) -> Result<BTreeMap<String, git2::Oid>> {
    let tree = commit.tree()?;
    let mut out = BTreeMap::new();
    for root in ROOTS {
        if let Some(id) = tier_id(&tree, root) {
            for (name, folder) in subfolders(repo, id) {
                out.insert(format!("{root}/{name}"), folder);
            }
        }
    }
    Ok(out)
}

fn revision_of(commit: &git2::Commit) -> Revision {
    let subject = commit.summary().unwrap_or("").to_string();
    let author = commit.author();
    let time = author.when().seconds();
    // The date as the author saw it (what `git log --format=%as` prints).
    let local = time + i64::from(author.when().offset_minutes()) * 60;
    Revision {
        commit: crate::source::short(commit.id()),
        date: dates::iso_date(local),
        time,
        pr: pull_request(&subject),
        author: author.email().or(author.name()).unwrap_or("").to_string(),
        subject,
        definition: None,
        changes: Vec::new(),
        note: None,
    }
}

/// The pull request a subject names: `... (#1234)` or `Merge pull request #1234 from ...`.
pub fn pull_request(subject: &str) -> Option<u32> {
    let digits_after = |s: &str| -> Option<u32> {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        d.parse().ok()
    };
    if let Some(i) = subject.rfind("(#") {
        if let Some(n) = digits_after(&subject[i + 2..]) {
            return Some(n);
        }
    }
    subject
        .strip_prefix("Merge pull request #")
        .and_then(digits_after)
}

/// Which tier a history path belongs to (the legacy `connectors/` folder held certified ones).
pub fn tier_of(path: &str) -> Tier {
    path.split('/')
        .next()
        .and_then(Tier::from_folder)
        .unwrap_or(Tier::Certified)
}

#[cfg(test)]
mod tests;
