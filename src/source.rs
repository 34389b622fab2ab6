//! Where the files come from: a folder on disk, or a tree in a git repository.
//!
//! Discover and parse read through `Tree`, so `--rev` builds a catalog from any commit of a
//! repository (bare or not) straight from git objects, with nothing checked out. Paths are
//! `/`-separated and relative to the tree's root. A `DirTree` never follows a symbolic link
//! and never reads outside its root.

use anyhow::{bail, Context, Result};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub mod kept;

/// A directory entry: its name, whether it is a folder, and (for files) its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
    pub size: u64,
}

/// Why an entry of a folder is left out of its listing (discover reports each, F008).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// A symbolic link: never followed.
    Link,
    /// A name a git tree lists more than once (only a damaged or hostile tree does): the
    /// first entry is the one listed.
    Duplicate,
    /// A name that is not UTF-8 (paths here are text): it could not be read by its name.
    NotUtf8,
    /// A submodule of a git tree: its files are in another repository.
    Submodule,
}

pub trait Tree: Sync {
    /// Entries of the folder at `dir` (`""` is the root), sorted by name; empty if absent.
    fn list(&self, dir: &str) -> Vec<Entry>;
    /// The bytes of the file at `path`.
    fn read(&self, path: &str) -> io::Result<Vec<u8>>;
    /// A name for messages (a folder, or `repo@rev`).
    fn describe(&self) -> String;
    /// Entries of the folder at `dir` that `list` leaves out, with why (a name that is not
    /// UTF-8 as a lossy copy), in the folder's order.
    fn left_out(&self, _dir: &str) -> Vec<(String, LeftOut)> {
        Vec::new()
    }
    /// Why the folder at `dir` could not be read, when it exists but could not be (no
    /// permission; its git object missing or damaged). Discover reports it (F000).
    fn unreadable(&self, _dir: &str) -> Option<String> {
        None
    }
    /// Copies the file at `path` to `dest` on disk. A folder on disk lets the kernel copy
    /// (no trip of the bytes through this process); other trees read and write.
    fn copy_to(&self, path: &str, dest: &Path) -> io::Result<()> {
        fs::write(dest, self.read(path)?)
    }
    /// Keeps what is read from here in `dir`, an empty scratch folder that goes with the
    /// tree, so a file read once is copied later without being read again (`kept`). Only a
    /// git tree keeps anything: a folder on disk is already a copy the kernel can read.
    fn keep_reads_in(&self, _dir: PathBuf) {}
    /// Forgets the folder listings remembered so far and lists each folder afresh from now
    /// on. A build that spills calls it once the connectors are read: after that each page
    /// lists only its own connector's folder, and at 10× the real repository the listings
    /// held 4.8 MB for the rest of the build. A git tree's listings are its index of the
    /// repository, and stay.
    fn forget_listings(&self) {}
    /// Forgets the listings of the folder `dir` and of the folders under it (it is listed
    /// afresh if asked again; `""`: every folder). A build that spills calls it once
    /// discover is done, and again once each connector is read, rather than hold every
    /// connector's listing to the end of the parse (25 MB at 50× the real repository, beside
    /// the largest connectors, which are read first).
    fn forget_listings_under(&self, _dir: &str) {}
}

/// Copies a file's bytes (the kernel copies them where it can) into a new file with the
/// default permissions: `fs::copy` would also copy the mode, so a read-only source made a
/// read-only page of the site, which `rm -r` then asks about file by file.
pub fn copy_contents(from: &Path, to: &Path) -> io::Result<()> {
    let mut source = fs::File::open(from)?;
    let mut dest = fs::File::create(to)?;
    io::copy(&mut source, &mut dest).map(drop)
}

/// Joins a relative folder and a name.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The last component of a relative path.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Files under a folder on disk.
///
/// Each folder is listed once and remembered: a build looks into the same folders many
/// times (discover, the linter's file rules, icons, readme images, copies), and listing one
/// costs a system call per entry. A tree is a snapshot for one build or one `serve` rebuild,
/// which opens a new one; files are still read fresh, and never through a link.
pub struct DirTree {
    root: PathBuf,
    /// Sorted, so that the folders under one are found together (`forget_listings_under`).
    listed: Mutex<BTreeMap<String, Arc<Listing>>>,
    /// Cleared by `forget_listings`: each folder is listed afresh from then on.
    remember: AtomicBool,
}

impl DirTree {
    pub fn new(root: impl Into<PathBuf>) -> DirTree {
        DirTree {
            root: root.into(),
            listed: Mutex::default(),
            remember: AtomicBool::new(true),
        }
    }

    fn path(&self, rel: &str) -> io::Result<PathBuf> {
        let p = Path::new(rel);
        if p.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("not a relative path: {rel:?}"),
            ));
        }
        Ok(self.root.join(p))
    }
}

impl DirTree {
    /// The path of the file at `rel`, refused when it is a symbolic link.
    fn regular_file(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.path(rel)?;
        if fs::symlink_metadata(&path)?.file_type().is_symlink() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "refusing to follow a symbolic link",
            ));
        }
        Ok(path)
    }

    /// The folder at `dir`, listed on first use (`a/b/` and `a/b` are the same folder).
    fn listing(&self, dir: &str) -> Arc<Listing> {
        let dir = dir.trim_end_matches('/');
        if let Some(found) = self.listed.lock().ok().and_then(|l| l.get(dir).cloned()) {
            return found;
        }
        let listing = Arc::new(self.read_listing(dir));
        if !self.remember.load(Ordering::Relaxed) {
            return listing;
        }
        if let Ok(mut listed) = self.listed.lock() {
            listed.insert(dir.to_string(), Arc::clone(&listing));
        }
        listing
    }

    /// The entries of `dir`, sorted by name: files and folders, and apart the links (never
    /// followed) and anything else (sockets, devices), which are left out. (`fs::read_dir`,
    /// not walkdir: a walk one level deep still opens and reads every subfolder.)
    fn read_listing(&self, dir: &str) -> Listing {
        let mut listing = Listing::default();
        let Ok(path) = (if dir.is_empty() {
            Ok(self.root.clone())
        } else {
            self.path(dir)
        }) else {
            return listing;
        };
        let read = match fs::read_dir(path) {
            Ok(read) => read,
            Err(e) => {
                // A folder that is not there is simply empty; one that is there but cannot be
                // listed is reported.
                if e.kind() != io::ErrorKind::NotFound {
                    listing.error = Some(e.to_string());
                }
                return listing;
            }
        };
        let mut found: Vec<fs::DirEntry> = read.filter_map(Result::ok).collect();
        found.sort_by_key(fs::DirEntry::file_name);
        for e in found {
            let Ok(kind) = e.file_type() else { continue };
            let name = match e.file_name().into_string() {
                Ok(name) => name,
                Err(name) => {
                    let lossy = name.to_string_lossy().into_owned();
                    listing.left_out.push((lossy, LeftOut::NotUtf8));
                    continue;
                }
            };
            if kind.is_symlink() {
                listing.left_out.push((name, LeftOut::Link));
            } else if kind.is_file() || kind.is_dir() {
                let size = if kind.is_file() {
                    e.metadata().map(|m| m.len()).unwrap_or(0)
                } else {
                    0
                };
                listing.entries.push(Entry {
                    name,
                    is_dir: kind.is_dir(),
                    size,
                });
            }
        }
        listing
    }
}

/// One folder of a `DirTree`.
#[derive(Default)]
struct Listing {
    entries: Vec<Entry>,
    left_out: Vec<(String, LeftOut)>,
    /// Why the folder could not be listed.
    error: Option<String>,
}

impl Tree for DirTree {
    fn list(&self, dir: &str) -> Vec<Entry> {
        self.listing(dir).entries.clone()
    }

    fn left_out(&self, dir: &str) -> Vec<(String, LeftOut)> {
        self.listing(dir).left_out.clone()
    }

    fn forget_listings(&self) {
        self.remember.store(false, Ordering::Relaxed);
        if let Ok(mut listed) = self.listed.lock() {
            *listed = BTreeMap::default();
        }
    }

    fn forget_listings_under(&self, dir: &str) {
        let dir = dir.trim_end_matches('/');
        let Ok(mut listed) = self.listed.lock() else {
            return;
        };
        if dir.is_empty() {
            listed.clear();
            return;
        }
        listed.remove(dir);
        // The folders under `dir` sort together (`dir 2` sorts between `dir` and `dir/`).
        let under = format!("{dir}/");
        let gone: Vec<String> = listed
            .range(under.clone()..)
            .map(|(k, _)| k)
            .take_while(|k| k.starts_with(&under))
            .cloned()
            .collect();
        for k in gone {
            listed.remove(&k);
        }
    }

    fn unreadable(&self, dir: &str) -> Option<String> {
        self.listing(dir).error.clone()
    }

    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        fs::read(self.regular_file(rel)?)
    }

    fn copy_to(&self, rel: &str, dest: &Path) -> io::Result<()> {
        copy_contents(&self.regular_file(rel)?, dest)
    }

    fn describe(&self) -> String {
        self.root.display().to_string()
    }
}

/// The tree of one commit of a git repository, read from its objects.
pub struct GitTree {
    repo_path: PathBuf,
    label: String,
    /// Every folder's entries, and every file's blob id, indexed once.
    dirs: BTreeMap<String, Vec<Entry>>,
    blobs: BTreeMap<String, git2::Oid>,
    /// Entries left out of each folder's listing (links, names listed twice, names that are
    /// not UTF-8): never read, only reported.
    left_out: BTreeMap<String, Vec<(String, LeftOut)>>,
    /// Folders whose tree object could not be read, with why.
    unreadable: BTreeMap<String, String>,
    /// Where blobs already read are kept for the copies made later (`keep_reads_in`).
    kept: std::sync::OnceLock<kept::Kept>,
}

thread_local! {
    /// git2 repositories cannot be shared between threads; each thread opens its own.
    static REPO: RefCell<Option<(PathBuf, git2::Repository)>> = const { RefCell::new(None) };
}

/// How much of a repository's pack files libgit2 maps at once. By default (on 64-bit) it maps
/// windows of 1 GiB, up to 8 GiB in all, so a pack stays mapped whole: building from a bare
/// repository ten times the real one held its 145 MB pack beside the catalog (a quarter of
/// the build's peak).
pub const PACK_WINDOW: usize = 32 << 20;
pub const PACK_MAPPED_LIMIT: usize = 128 << 20;

/// Limits libgit2's pack maps to `PACK_MAPPED_LIMIT` in windows of `PACK_WINDOW`.
///
/// # Safety
/// libgit2's options are process-wide and not synchronised: call this before any thread
/// uses libgit2 (first thing in `main`).
pub unsafe fn limit_pack_maps() -> Result<(), git2::Error> {
    // SAFETY: the caller guarantees no other thread uses libgit2 yet.
    unsafe {
        git2::opts::set_mwindow_size(PACK_WINDOW)?;
        git2::opts::set_mwindow_mapped_limit(PACK_MAPPED_LIMIT)
    }
}

/// Opens the git repository at `path` for reading its objects. libgit2 hashes every object
/// it reads again to check it by default: a sixth of a build's CPU from a repository and a
/// tenth of the history walk, for objects that come from the repository being read.
pub fn open_repository(path: &Path) -> Result<git2::Repository, git2::Error> {
    git2::opts::strict_hash_verification(false);
    git2::Repository::open(path)
}

impl GitTree {
    /// The tree of `rev` (a commit, branch or tag; default `HEAD`) in the repository at `path`.
    pub fn open(path: &Path, rev: Option<&str>) -> Result<GitTree> {
        let repo = open_repository(path)
            .with_context(|| format!("{} is not a git repository", path.display()))?;
        let spec = rev.unwrap_or("HEAD");
        let commit = repo
            .revparse_single(spec)
            .and_then(|o| o.peel_to_commit())
            .with_context(|| format!("no commit `{spec}` in {}", path.display()))?;
        let mut index = Indexed::default();
        let odb = repo.odb()?;
        index_tree(&repo, &odb, &commit.tree()?, "", &mut index);
        let repo_path = repo.path().to_path_buf();
        Ok(GitTree {
            repo_path,
            label: format!("{}@{}", path.display(), short(commit.id())),
            dirs: index.dirs,
            blobs: index.blobs,
            left_out: index.left_out,
            unreadable: index.unreadable,
            kept: std::sync::OnceLock::new(),
        })
    }
}

pub fn short(oid: git2::Oid) -> String {
    oid.to_string().chars().take(10).collect()
}

/// What `index_tree` collects from a commit's tree.
#[derive(Default)]
struct Indexed {
    dirs: BTreeMap<String, Vec<Entry>>,
    blobs: BTreeMap<String, git2::Oid>,
    left_out: BTreeMap<String, Vec<(String, LeftOut)>>,
    unreadable: BTreeMap<String, String>,
}

fn index_tree(
    repo: &git2::Repository,
    odb: &git2::Odb,
    tree: &git2::Tree,
    dir: &str,
    index: &mut Indexed,
) {
    let mut entries = Vec::new();
    let mut left_out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in tree.iter() {
        let Some(name) = e.name() else {
            left_out.push((
                String::from_utf8_lossy(e.name_bytes()).into_owned(),
                LeftOut::NotUtf8,
            ));
            continue;
        };
        if !seen.insert(name.to_string()) {
            // git never writes a name twice; a tree that does is damaged or hostile. The
            // first entry is used, as libgit2's lookups do.
            if !left_out.contains(&(name.to_string(), LeftOut::Duplicate)) {
                left_out.push((name.to_string(), LeftOut::Duplicate));
            }
            continue;
        }
        let path = join(dir, name);
        match e.kind() {
            Some(git2::ObjectType::Tree) => {
                if dir.matches('/').count() < 4 {
                    // A missing or damaged object (a broken or hostile repository) costs its
                    // folder only: it is listed, and reported as unreadable.
                    match repo.find_tree(e.id()) {
                        Ok(sub) => index_tree(repo, odb, &sub, &path, index),
                        Err(error) => {
                            let why = format!(
                                "its git object is missing or damaged: {}",
                                error.message()
                            );
                            index.unreadable.insert(path.clone(), why);
                        }
                    }
                }
                entries.push(Entry {
                    name: name.to_string(),
                    is_dir: true,
                    size: 0,
                });
            }
            // Symbolic links (mode 120000) are blobs too: they are left out of the listing.
            Some(git2::ObjectType::Blob) if e.filemode() == 0o120000 => {
                left_out.push((name.to_string(), LeftOut::Link));
            }
            Some(git2::ObjectType::Commit) => {
                left_out.push((name.to_string(), LeftOut::Submodule));
            }
            Some(git2::ObjectType::Blob) => {
                let size = odb
                    .read_header(e.id())
                    .map(|(size, _)| size as u64)
                    .unwrap_or(0);
                index.blobs.insert(path, e.id());
                entries.push(Entry {
                    name: name.to_string(),
                    is_dir: false,
                    size,
                });
            }
            _ => {}
        }
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    index.dirs.insert(dir.to_string(), entries);
    if !left_out.is_empty() {
        index.left_out.insert(dir.to_string(), left_out);
    }
}

impl Tree for GitTree {
    fn list(&self, dir: &str) -> Vec<Entry> {
        self.dirs.get(dir).cloned().unwrap_or_default()
    }

    fn left_out(&self, dir: &str) -> Vec<(String, LeftOut)> {
        self.left_out.get(dir).cloned().unwrap_or_default()
    }

    fn unreadable(&self, dir: &str) -> Option<String> {
        self.unreadable.get(dir).cloned()
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        let oid = self.blob(path)?;
        let kept = self.kept.get();
        if let Some(bytes) = kept.and_then(|k| k.read(oid)) {
            return Ok(bytes);
        }
        let bytes = self.inflate(oid)?;
        if let Some(k) = kept {
            k.keep(oid, &bytes);
        }
        Ok(bytes)
    }

    fn copy_to(&self, path: &str, dest: &Path) -> io::Result<()> {
        let oid = self.blob(path)?;
        match self.kept.get().and_then(|k| k.copy_to(oid, dest)) {
            Some(copied) => copied,
            None => fs::write(dest, self.inflate(oid)?),
        }
    }

    fn keep_reads_in(&self, dir: PathBuf) {
        let _ = self.kept.set(kept::Kept::new(dir));
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}

impl GitTree {
    fn blob(&self, path: &str) -> io::Result<git2::Oid> {
        self.blobs
            .get(path)
            .copied()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, path.to_string()))
    }

    /// The content of blob `oid`, read from the repository.
    fn inflate(&self, oid: git2::Oid) -> io::Result<Vec<u8>> {
        with_repo(&self.repo_path, |repo| {
            repo.find_blob(oid)
                .map(|b| b.content().to_vec())
                .map_err(|e| io::Error::other(e.message().to_string()))
        })
    }
}

/// Runs `f` with this thread's handle on the repository at `path`.
pub fn with_repo<T>(
    path: &Path,
    f: impl FnOnce(&git2::Repository) -> io::Result<T>,
) -> io::Result<T> {
    REPO.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|(p, _)| p != path) {
            let repo = git2::Repository::open(path)
                .map_err(|e| io::Error::other(e.message().to_string()))?;
            *slot = Some((path.to_path_buf(), repo));
        }
        match slot.as_ref() {
            Some((_, repo)) => f(repo),
            None => Err(io::Error::other("repository not open")),
        }
    })
}

/// Is `path` a git repository (a checkout's root or a bare repository)?
pub fn is_git_repository(path: &Path) -> bool {
    path.join(".git").exists() || (path.join("HEAD").is_file() && path.join("objects").is_dir())
}

/// Refuses a `--rev` on a source that is not a repository.
pub fn require_repository(path: &Path) -> Result<()> {
    if !is_git_repository(path) {
        bail!(
            "--rev needs a git repository, and {} is not one",
            path.display()
        );
    }
    Ok(())
}

/// A source, opened: the tree to read, where to start in it, and the repository behind it.
pub struct Opened {
    pub tree: Box<dyn Tree>,
    /// Folder of the tree where discovery starts (`""`, or one connector's folder).
    pub start: String,
    /// The name of the tree's root folder (may name the tier of a single connector).
    pub root_name: Option<String>,
    /// The git repository, when the source is one (for history).
    pub repo: Option<PathBuf>,
    /// The commit that was read, when the tree comes from git.
    pub rev: Option<String>,
    pub label: String,
}

/// Is this source a git URL rather than a path?
pub fn is_url(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@")
}

/// Opens a folder, a repository (checkout or bare, at `rev` or HEAD), or a git URL (cloned
/// into `cache`, fetched when already there).
pub fn open(source: &str, rev: Option<&str>, cache: &Path) -> Result<Opened> {
    let path = if is_url(source) {
        remote::clone_or_fetch(source, cache)?
    } else {
        PathBuf::from(source)
    };
    if !path.exists() {
        bail!("source {} does not exist", path.display());
    }
    let bare = !path.join(".git").exists() && is_git_repository(&path);
    if rev.is_some() || bare || is_url(source) {
        require_repository(&path)?;
        let tree = GitTree::open(&path, rev)?;
        let commit = tree.label.rsplit('@').next().map(str::to_string);
        let label = if is_url(source) {
            format!("{source}@{}", commit.clone().unwrap_or_default())
        } else {
            tree.describe()
        };
        return Ok(Opened {
            repo: Some(path),
            rev: commit,
            label,
            start: String::new(),
            root_name: None,
            tree: Box::new(tree),
        });
    }
    if !path.is_dir() {
        bail!("source {} is not a folder", path.display());
    }
    let repo = is_git_repository(&path).then(|| path.clone());
    let holds_connector = DirTree::new(&path).list("").iter().any(|e| {
        !e.is_dir
            && (e.name.to_ascii_lowercase().ends_with(".swagger.json")
                || e.name.eq_ignore_ascii_case("apiProperties.json"))
    });
    if holds_connector {
        // One connector folder: read it from its parent so paths keep the folder's name.
        let canonical = path.canonicalize().unwrap_or(path.clone());
        let parent = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or(canonical.clone());
        let name = canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(Opened {
            root_name: parent.file_name().map(|n| n.to_string_lossy().into_owned()),
            tree: Box::new(SingleFolder {
                inner: DirTree::new(&parent),
                folder: name.clone(),
            }),
            start: name,
            repo: None,
            rev: None,
            label: path.display().to_string(),
        });
    }
    Ok(Opened {
        tree: Box::new(DirTree::new(&path)),
        start: String::new(),
        root_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        repo,
        rev: None,
        label: path.display().to_string(),
    })
}

/// A parent folder of which only one child folder may be read.
struct SingleFolder {
    inner: DirTree,
    folder: String,
}

impl SingleFolder {
    fn allowed(&self, rel: &str) -> bool {
        rel == self.folder || rel.starts_with(&format!("{}/", self.folder))
    }

    fn check(&self, rel: &str) -> io::Result<()> {
        if self.allowed(rel) {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "outside the connector folder",
            ))
        }
    }
}

impl Tree for SingleFolder {
    fn list(&self, dir: &str) -> Vec<Entry> {
        if self.allowed(dir) {
            self.inner.list(dir)
        } else {
            Vec::new()
        }
    }

    fn left_out(&self, dir: &str) -> Vec<(String, LeftOut)> {
        if self.allowed(dir) {
            self.inner.left_out(dir)
        } else {
            Vec::new()
        }
    }

    fn unreadable(&self, dir: &str) -> Option<String> {
        self.allowed(dir)
            .then(|| self.inner.unreadable(dir))
            .flatten()
    }

    fn forget_listings(&self) {
        self.inner.forget_listings();
    }

    fn forget_listings_under(&self, dir: &str) {
        self.inner.forget_listings_under(dir);
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        self.check(path)?;
        self.inner.read(path)
    }

    fn copy_to(&self, path: &str, dest: &Path) -> io::Result<()> {
        self.check(path)?;
        self.inner.copy_to(path, dest)
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

pub mod remote {
    //! Git URL sources: cloned into a cache folder the first time (with progress), fetched after.

    use anyhow::{Context, Result};
    use std::io::Write;
    use std::path::{Path, PathBuf};

    /// The cache folder of a URL: readable, and unique per URL.
    pub fn cache_dir(url: &str, cache: &Path) -> PathBuf {
        let name = crate::slug::slugify(url.rsplit('/').find(|s| !s.is_empty()).unwrap_or("repo"));
        cache.join(format!("{name}-{}", crate::slug::short_hash(url)))
    }

    pub fn clone_or_fetch(url: &str, cache: &Path) -> Result<PathBuf> {
        let dir = cache_dir(url, cache);
        if dir.join("HEAD").is_file() {
            eprintln!("Fetching {url} into {}", dir.display());
            let repo = git2::Repository::open_bare(&dir)?;
            let mut remote = repo.find_remote("origin")?;
            let mut options = git2::FetchOptions::new();
            options.remote_callbacks(progress());
            remote
                .fetch(
                    &["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
                    Some(&mut options),
                    None,
                )
                .with_context(|| format!("cannot fetch {url}"))?;
            set_head_to_remote_default(&repo, &mut remote);
            eprintln!();
            return Ok(dir);
        }
        eprintln!("Cloning {url} into {}", dir.display());
        std::fs::create_dir_all(cache)
            .with_context(|| format!("cannot create {}", cache.display()))?;
        let mut options = git2::FetchOptions::new();
        options.remote_callbacks(progress());
        git2::build::RepoBuilder::new()
            .bare(true)
            .fetch_options(options)
            .clone(url, &dir)
            .with_context(|| format!("cannot clone {url}"))?;
        eprintln!();
        Ok(dir)
    }

    fn set_head_to_remote_default(repo: &git2::Repository, remote: &mut git2::Remote) {
        if let Ok(Some(branch)) = remote
            .default_branch()
            .map(|b| b.as_str().map(str::to_string))
        {
            let _ = repo.set_head(&branch);
        }
    }

    fn progress<'a>() -> git2::RemoteCallbacks<'a> {
        let mut callbacks = git2::RemoteCallbacks::new();
        callbacks.transfer_progress(|p| {
            let total = p.total_objects().max(1);
            let done = p.received_objects();
            let width = 30;
            let filled = done * width / total;
            eprint!(
                "\r  [{}{}] {done}/{total} objects, {:.1} MB",
                "#".repeat(filled),
                " ".repeat(width - filled),
                p.received_bytes() as f64 / 1e6
            );
            let _ = std::io::stderr().flush();
            true
        });
        callbacks
    }
}

/// Whether the file at `rel` may be copied into the site (an icon, a readme's image, the
/// definition for download): a regular file of the tree (links are never listed) no larger
/// than the parser reads, so an image of gigabytes is left out.
pub fn copyable(tree: &dyn Tree, rel: &str) -> bool {
    listed_file(tree, rel).is_some_and(|e| small_enough(&e))
}

/// A listed file no larger than the parser reads (`parse::MAX_FILE_BYTES`).
fn small_enough(e: &Entry) -> bool {
    e.size <= crate::parse::MAX_FILE_BYTES
}

/// The regular file at `rel` as its folder's listing gives it (its size without reading it).
pub fn listed_file(tree: &dyn Tree, rel: &str) -> Option<Entry> {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    tree.list(dir)
        .into_iter()
        .find(|e| !e.is_dir && e.name == name)
}

/// Every regular file under `dir` that `copyable` allows (links never followed, nothing over
/// the parser's limit), relative to `dir`, sorted.
pub fn files_under(tree: &dyn Tree, dir: &str, max_depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), 0)];
    while let Some((sub, depth)) = stack.pop() {
        for e in tree.list(&join(dir, &sub)) {
            let rel = join(&sub, &e.name);
            if !e.is_dir {
                if small_enough(&e) {
                    out.push(rel);
                }
            } else if depth < max_depth {
                stack.push((rel, depth + 1));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository with one commit holding `a/def.json` (a loose object, so the test can
    /// take it away), and that object's path.
    fn one_file_repo(root: &Path, bytes: &[u8]) -> PathBuf {
        let repo = git2::Repository::init(root).expect("init");
        let blob = repo.blob(bytes).expect("blob");
        let mut folder = repo.treebuilder(None).expect("builder");
        folder.insert("def.json", blob, 0o100644).expect("insert");
        let folder = folder.write().expect("tree");
        let mut top = repo.treebuilder(None).expect("builder");
        top.insert("a", folder, 0o040000).expect("insert");
        let top = repo.find_tree(top.write().expect("tree")).expect("tree");
        let sig = git2::Signature::now("t", "t@example.test").expect("sig");
        repo.commit(Some("HEAD"), &sig, &sig, "add", &top, &[])
            .expect("commit");
        let hex = blob.to_string();
        root.join(".git/objects").join(&hex[..2]).join(&hex[2..])
    }

    /// A connector's folder and the folders under it are forgotten, and no other: not a
    /// sibling whose name sorts between `dir` and `dir/`, nor one that begins alike.
    #[test]
    fn forgetting_a_folder_forgets_the_folders_under_it_and_no_other() {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["a/b/img/x", "a/b 2", "a/bc", "a/c"] {
            fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        }
        let tree = DirTree::new(dir.path());
        for d in [
            "",
            "a",
            "a/b",
            "a/b/img",
            "a/b/img/x",
            "a/b 2",
            "a/bc",
            "a/c",
        ] {
            tree.list(d);
        }
        tree.forget_listings_under("a/b/");
        let held: Vec<String> = tree.listed.lock().expect("lock").keys().cloned().collect();
        assert_eq!(held, ["", "a", "a/b 2", "a/bc", "a/c"]);
        assert_eq!(tree.list("a/b").len(), 1, "listed afresh when asked");
        tree.forget_listings_under("");
        assert!(
            tree.listed.lock().expect("lock").is_empty(),
            "the root: every folder"
        );
        tree.list("a/c");
        let held: Vec<String> = tree.listed.lock().expect("lock").keys().cloned().collect();
        assert_eq!(held, ["a/c"], "and each is remembered again when listed");
    }

    #[test]
    fn a_folder_tree_remembers_listings_until_told_to_forget_them() {
        let tmp = tempfile::tempdir().expect("tmp");
        fs::create_dir(tmp.path().join("a")).expect("a");
        fs::write(tmp.path().join("a/one.json"), "{}").expect("one");
        let tree = DirTree::new(tmp.path());
        let names = |tree: &DirTree| -> Vec<String> {
            tree.list("a").into_iter().map(|e| e.name).collect()
        };
        assert_eq!(names(&tree), ["one.json"]);
        fs::write(tmp.path().join("a/two.json"), "{}").expect("two");
        assert_eq!(names(&tree), ["one.json"], "remembered");
        tree.forget_listings();
        assert_eq!(names(&tree), ["one.json", "two.json"], "listed afresh");
        assert!(tree.listed.lock().expect("lock").is_empty(), "nothing held");
        fs::write(tmp.path().join("a/three.json"), "{}").expect("three");
        assert_eq!(names(&tree).len(), 3, "and afresh each time");
    }

    /// Regression: a build from git inflated each definition twice, once to parse it and
    /// once to copy it beside its page. A kept read is copied without the repository: here
    /// its object is gone by the time of the copy.
    #[test]
    fn a_blob_read_once_is_copied_from_the_kept_file_not_read_again() {
        let tmp = tempfile::tempdir().expect("tmp");
        let repo = tmp.path().join("repo");
        let object = one_file_repo(&repo, b"{\"swagger\": \"2.0\"}");
        let kept_dir = tmp.path().join("kept");
        fs::create_dir(&kept_dir).expect("kept dir");
        let tree = GitTree::open(&repo, None).expect("git tree");
        tree.keep_reads_in(kept_dir.clone());
        let read = tree.read("a/def.json").expect("read");
        fs::remove_file(&object).expect("the object goes");
        let dest = tmp.path().join("copy.json");
        tree.copy_to("a/def.json", &dest)
            .expect("copied from the kept file");
        assert_eq!(fs::read(&dest).expect("copy"), read);
        assert_eq!(tree.read("a/def.json").expect("read again"), read);
        drop(tree);
        assert!(!kept_dir.exists(), "the kept folder goes with the tree");
        assert_eq!(fs::read(&dest).expect("copy"), read, "the copy stays");
    }

    /// Without a kept folder nothing is kept: the same copy needs the object.
    #[test]
    fn a_tree_that_keeps_nothing_reads_the_repository_for_each_copy() {
        let tmp = tempfile::tempdir().expect("tmp");
        let repo = tmp.path().join("repo");
        let object = one_file_repo(&repo, b"{}");
        let tree = GitTree::open(&repo, None).expect("git tree");
        assert_eq!(tree.read("a/def.json").expect("read"), b"{}");
        fs::remove_file(&object).expect("the object goes");
        assert!(tree.copy_to("a/def.json", &tmp.path().join("x")).is_err());
    }

    /// Regression: a folder whose name is not UTF-8 was listed under a lossy copy of its
    /// name, which then named nothing, so it was reported as having no definition.
    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_is_left_out_and_said_so() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let odd = std::ffi::OsStr::from_bytes(b"Bad\xffName");
        fs::create_dir(dir.path().join(odd)).expect("mkdir");
        fs::create_dir(dir.path().join("Good")).expect("mkdir");
        let tree = DirTree::new(dir.path());
        let names: Vec<String> = tree.list("").into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["Good"]);
        assert_eq!(
            tree.left_out(""),
            vec![("Bad\u{fffd}Name".to_string(), LeftOut::NotUtf8)]
        );
    }

    #[test]
    fn a_folder_is_listed_once_sorted_with_links_apart() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        fs::write(root.join("b.json"), "{}\n").expect("write");
        fs::create_dir(root.join("a")).expect("mkdir");
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/passwd", root.join("c-link")).expect("link");
        let tree = DirTree::new(root);
        let first = tree.list("");
        assert_eq!(
            first,
            vec![
                Entry {
                    name: "a".into(),
                    is_dir: true,
                    size: 0
                },
                Entry {
                    name: "b.json".into(),
                    is_dir: false,
                    size: 3
                },
            ]
        );
        #[cfg(unix)]
        assert_eq!(
            tree.left_out(""),
            vec![("c-link".to_string(), LeftOut::Link)]
        );

        // The listing is a snapshot for the life of the tree; the files are read fresh.
        fs::write(root.join("b.json"), "{\"x\": 1}").expect("write");
        fs::write(root.join("d.json"), "{}").expect("write");
        assert_eq!(tree.list(""), first);
        assert_eq!(tree.read("b.json").expect("read"), b"{\"x\": 1}");
        assert_eq!(
            DirTree::new(root).list("").len(),
            3,
            "a new tree sees d.json"
        );

        // `a/` is the folder `a` (the render asks with a trailing slash): listed once.
        assert!(tree.list("a").is_empty());
        fs::write(root.join("a/late.json"), "{}").expect("write");
        assert!(tree.list("a/").is_empty(), "the remembered listing of `a`");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_source_file_is_copied_writable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let from = dir.path().join("apiDefinition.swagger.json");
        fs::write(&from, "{\"swagger\": \"2.0\"}").expect("write");
        fs::set_permissions(&from, fs::Permissions::from_mode(0o444)).expect("chmod");
        fs::create_dir(dir.path().join("out")).expect("mkdir");
        let to = dir.path().join("out/copy.json");
        DirTree::new(dir.path())
            .copy_to("apiDefinition.swagger.json", &to)
            .expect("copy");
        assert_eq!(fs::read(&to).expect("read"), b"{\"swagger\": \"2.0\"}");
        let mode = fs::metadata(&to).expect("metadata").permissions().mode();
        assert_ne!(
            mode & 0o200,
            0,
            "the copy is writable by its owner: {mode:o}"
        );
    }

    #[test]
    fn a_missing_folder_lists_empty_and_paths_never_leave_the_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        let tree = DirTree::new(dir.path());
        assert!(tree.list("nowhere").is_empty());
        assert!(tree.list("../").is_empty());
        assert!(tree.read("../etc/passwd").is_err());
    }
}
