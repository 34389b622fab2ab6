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
mod trees;

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
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        commits += 1;
        let changed = walker.changed_folders(&commit)?;
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
    Ok(history)
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
    /// Tier folder trees lately read: a commit's are mostly its child's parent's. (libgit2
    /// does not cache trees this large.)
    tiers: std::cell::RefCell<HashMap<git2::Oid, git2::Tree<'r>>>,
    /// The same, as raw bytes (see `trees`).
    raw: std::cell::RefCell<HashMap<git2::Oid, std::rc::Rc<[u8]>>>,
    odb: git2::Odb<'r>,
}

impl<'r> Walker<'r> {
    fn new(repo: &'r git2::Repository) -> Result<Walker<'r>> {
        Ok(Walker {
            repo,
            tiers: Default::default(),
            raw: Default::default(),
            odb: repo.odb()?,
        })
    }

    /// Folders whose tree differs from the first parent's, unless a merge took them
    /// unchanged from another parent; with the folder's tree now (`None`: removed). A tier
    /// folder whose tree id equals the first parent's costs nothing more; otherwise the two
    /// tier trees are compared (`trees::changed`).
    fn changed_folders(&self, commit: &git2::Commit) -> Result<Vec<(String, Option<git2::Oid>)>> {
        let parents: Vec<git2::Tree> = commit
            .parents()
            .map(|p| p.tree())
            .collect::<Result<_, _>>()?;
        let tree = commit.tree()?;
        let mut out = Vec::new();
        for root in ROOTS {
            let now = tier_id(&tree, root);
            let before: Vec<Option<git2::Oid>> = parents.iter().map(|p| tier_id(p, root)).collect();
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
        let (old_raw, new_raw) = (self.raw(old)?, self.raw(new)?);
        if let Some(found) = trees::changed(&old_raw, &new_raw) {
            return Ok(found);
        }
        let (old, new) = (self.tier(old), self.tier(new));
        self.parsed_changes(old.as_ref(), new.as_ref())
    }

    /// `changed_entries` on the parsed trees.
    fn parsed_changes(
        &self,
        old: Option<&git2::Tree>,
        new: Option<&git2::Tree>,
    ) -> Result<Vec<trees::Changed>> {
        Ok(self
            .changed_names(old, new)?
            .into_iter()
            .map(|name| {
                let here = new.and_then(|t| folder_id(t, &name));
                (name, here)
            })
            .collect())
    }

    /// The tree id of folder `name` in the tier folder `tier`.
    fn folder_in(&self, tier: Option<git2::Oid>, name: &str) -> Option<git2::Oid> {
        self.tier(tier).and_then(|t| folder_id(&t, name))
    }

    fn tier(&self, id: Option<git2::Oid>) -> Option<git2::Tree<'r>> {
        let id = id?;
        let mut cache = self.tiers.borrow_mut();
        if let Some(hit) = cache.get(&id) {
            return Some(hit.clone());
        }
        if cache.len() >= 32 {
            cache.clear();
        }
        let found = self.repo.find_tree(id).ok()?;
        cache.insert(id, found.clone());
        Some(found)
    }

    /// A tier folder's tree as stored (empty when there is none).
    fn raw(&self, id: Option<git2::Oid>) -> Result<std::rc::Rc<[u8]>> {
        let Some(id) = id else {
            return Ok(std::rc::Rc::from(&[][..]));
        };
        let mut cache = self.raw.borrow_mut();
        if let Some(hit) = cache.get(&id) {
            return Ok(hit.clone());
        }
        if cache.len() >= 32 {
            cache.clear();
        }
        let bytes: std::rc::Rc<[u8]> = std::rc::Rc::from(self.odb.read(id)?.data());
        cache.insert(id, bytes.clone());
        Ok(bytes)
    }

    /// Names of the folders of a tier folder that differ between two of its trees.
    ///
    /// A merge of the two sorted entry lists, comparing ids: a tier folder holds thousands of
    /// entries, and libgit2's tree diff (an iterator building a path per entry) made the walk
    /// grow with commits × folders at a cost per entry a hundred times this one. The entries
    /// are read in place, in the order git stores them (see `EntryView`).
    fn changed_names(
        &self,
        old: Option<&git2::Tree>,
        new: Option<&git2::Tree>,
    ) -> Result<Vec<String>> {
        let (old_entries, new_entries) = (tree_entries(old), tree_entries(new));
        let (old, new) = (EntryView::list(&old_entries), EntryView::list(&new_entries));
        let (mut i, mut j) = (0, 0);
        let mut names: Vec<&[u8]> = Vec::new();
        while i < old.len() || j < new.len() {
            let order = match (old.get(i), new.get(j)) {
                (Some(a), Some(b)) => a.cmp_git(b),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match order {
                std::cmp::Ordering::Less => {
                    old[i].push_if_folder(&mut names);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    new[j].push_if_folder(&mut names);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    if old[i].id != new[j].id {
                        old[i].push_if_folder(&mut names);
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        names.sort_unstable();
        names.dedup();
        Ok(names
            .into_iter()
            .filter_map(|n| std::str::from_utf8(n).ok().map(str::to_string))
            .collect())
    }
}

/// The entries of a tree (libgit2's own, borrowed: nothing is copied).
fn tree_entries<'t>(tree: Option<&'t git2::Tree>) -> Vec<git2::TreeEntry<'t>> {
    tree.map(|t| t.iter().collect()).unwrap_or_default()
}

/// One entry of a tier folder's tree, its name read once.
struct EntryView<'e> {
    name: &'e [u8],
    id: git2::Oid,
    is_folder: bool,
}

impl<'e> EntryView<'e> {
    /// The entries in git's order. Stored trees are in that order already (so this does not
    /// sort, which at 10,000 folders and 30,000 commits was a fifth of the walk); a tree
    /// written by a tool that got the order wrong is sorted, so the merge stays right.
    fn list(entries: &'e [git2::TreeEntry<'_>]) -> Vec<EntryView<'e>> {
        let mut out: Vec<EntryView> = entries
            .iter()
            .map(|e| EntryView {
                name: e.name_bytes(),
                id: e.id(),
                is_folder: e.kind() == Some(git2::ObjectType::Tree),
            })
            .collect();
        if !out.is_sorted_by(|a, b| a.cmp_git(b).is_le()) {
            out.sort_by(EntryView::cmp_git);
        }
        out
    }

    fn cmp_git(&self, other: &EntryView) -> std::cmp::Ordering {
        trees::git_order((self.name, self.is_folder), (other.name, other.is_folder))
    }

    fn push_if_folder(&self, names: &mut Vec<&'e [u8]>) {
        if self.is_folder {
            names.push(self.name);
        }
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
