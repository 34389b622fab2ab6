//! Write: the output directory, replaced atomically.
//!
//! Everything is written into a staging folder beside the output; only when the whole site
//! is complete is it swapped in. A failed or interrupted build leaves the previous site
//! intact. Every path written is checked to stay inside the staging folder.
//!
//! A file whose bytes are those of the previous site's file at the same place is linked from
//! it rather than written again: on a disk, writing a whole site again was most of a rebuild
//! (see `Previous`).

use anyhow::{bail, Context, Result};
use foldhash::{HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// A folder's fingerprint for `Staging::made`: two independent 64-bit hashes of its path. The
/// paths themselves took about 100 bytes a folder, held through the whole render (an
/// estimated 8 MB for the 80,000 folders of 50× the real repository). Two folders with the
/// same fingerprint (about one chance in 10^29 there) would leave the second uncreated, and
/// the write of its first file would fail with its path: nothing is written elsewhere.
fn fingerprint(folder: &Path) -> u128 {
    use std::hash::BuildHasher;
    let hash = |seed| foldhash::quality::FixedState::with_seed(seed).hash_one(folder);
    (u128::from(hash(1)) << 64) | u128::from(hash(2))
}

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
    /// Folders already created (`fingerprint`): a site is thousands of files in hundreds of
    /// folders, and asking for an existing folder again costs two system calls per file.
    made: Mutex<HashSet<u128>>,
    /// The site being replaced, when there is one.
    previous: Option<Previous>,
}

impl Staging {
    /// Creates an empty staging folder next to `target`.
    pub fn new(target: &Path) -> Result<Staging> {
        Ok(Staging {
            dir: scratch_dir(target, "staging")?,
            target: target.to_path_buf(),
            committed: false,
            made: Mutex::default(),
            previous: Previous::of(target),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The absolute path for a site-relative path, refusing anything that could escape.
    pub fn path_for(&self, rel: &str) -> Result<PathBuf> {
        let rel_path = Path::new(rel);
        if rel.is_empty()
            || rel_path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            bail!("refusing to write outside the output folder: {rel:?}");
        }
        Ok(self.dir.join(rel_path))
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> Result<()> {
        let path = self.file_path(rel)?;
        let bytes = bytes.as_ref();
        if self
            .previous
            .as_ref()
            .is_some_and(|p| p.link_if_same(rel, bytes, &path))
        {
            return Ok(());
        }
        self.unlink_for_rewrite(&path);
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Writes the file at `rel` as `fill` produces it, through a buffer, never holding it
    /// whole: for the catalog-wide files, tens of MB in a large catalog. It is always
    /// written, never linked from the previous site.
    pub fn write_streamed(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()> {
        let path = self.file_path(rel)?;
        self.unlink_for_rewrite(&path);
        let file =
            fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
        fill(&mut out)
            .and_then(|()| Ok(std::io::Write::flush(&mut out)?))
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// Removes a file written before at `path`: it may be a link to the previous site's file,
    /// which writing through would change in a site that must stay intact until the swap.
    fn unlink_for_rewrite(&self, path: &Path) {
        if self.previous.is_some() {
            let _ = fs::remove_file(path);
        }
    }

    /// The path of a file about to be written at `rel`, its folder created.
    fn file_path(&self, rel: &str) -> Result<PathBuf> {
        let path = self.path_for(rel)?;
        let Some(parent) = path.parent() else {
            return Ok(path);
        };
        let folder = fingerprint(parent);
        if !self.made.lock().is_ok_and(|made| made.contains(&folder)) {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
            if let Ok(mut m) = self.made.lock() {
                m.insert(folder);
            }
        }
        Ok(path)
    }

    /// Copies a file of the source tree into the site; `false` when the source file cannot
    /// be read (no permission, its git object missing), which leaves it out rather than stop
    /// the build. A failure to write still stops it.
    pub fn copy_from_tree(
        &self,
        tree: &dyn crate::source::Tree,
        from: &str,
        rel: &str,
    ) -> Result<bool> {
        match self.copy_with(rel, from, || tree.read(from), |to| tree.copy_to(from, to)) {
            Ok(()) => Ok(true),
            Err(_) if tree.read(from).is_err() => {
                // Nothing half-copied is left in the site.
                if let Ok(path) = self.file_path(rel) {
                    let _ = fs::remove_file(path);
                }
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }

    /// Copies a source file into the site.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let name = from.display().to_string();
        self.copy_with(
            rel,
            &name,
            || fs::read(from),
            |to| crate::source::copy_contents(from, to),
        )
    }

    /// Copies `from` to `rel`: through `write` when the previous site has a file there (so an
    /// unchanged one is linked), otherwise with `copy` (the kernel copies where it can).
    fn copy_with(
        &self,
        rel: &str,
        from: &str,
        read: impl FnOnce() -> std::io::Result<Vec<u8>>,
        copy: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> Result<()> {
        if self.previous.as_ref().is_some_and(|p| p.has(rel)) {
            let bytes = read().with_context(|| format!("cannot read {from}"))?;
            return self.write(rel, bytes);
        }
        let path = self.file_path(rel)?;
        self.unlink_for_rewrite(&path);
        copy(&path).with_context(|| format!("cannot copy {from} to {}", path.display()))
    }

    /// Swaps the staging folder in place of the target.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).with_context(|| {
                format!("cannot move the previous {} aside", self.target.display())
            })?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e)
                .with_context(|| format!("cannot move the new site to {}", self.target.display()));
        }
        self.committed = true;
        if had_old {
            remove_tree(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        Ok(())
    }
}

/// The site a build replaces, as the source of files that did not change.
///
/// Linking an unchanged file costs the kernel a name, where writing it costs its bytes: on
/// this project's ext4 disk, writing 6,000 files of 40 KB took 1.7–2.7 s and reading and
/// linking them 0.2 s. The new file is the old one's inode; once the swap deletes the old
/// site, the new name is its only one. Only regular files reached through real folders of
/// the previous site are linked (never a symbolic link, nor anything through one), and any
/// doubt or failure (another file system, a link limit) falls back to writing.
struct Previous {
    root: PathBuf,
    /// Folders of the previous site (relative), and whether each and every folder above it
    /// is a real folder, not a link.
    folders: Mutex<HashMap<PathBuf, bool>>,
}

impl Previous {
    fn of(target: &Path) -> Option<Previous> {
        let meta = fs::symlink_metadata(target).ok()?;
        meta.is_dir().then(|| Previous {
            root: target.to_path_buf(),
            folders: Mutex::default(),
        })
    }

    /// The previous site's regular file at `rel`, reached through real folders only.
    fn file(&self, rel: &str) -> Option<(PathBuf, u64)> {
        let rel = Path::new(rel);
        if !self.real_folder(rel.parent()?) {
            return None;
        }
        let path = self.root.join(rel);
        let meta = fs::symlink_metadata(&path).ok()?;
        meta.is_file().then_some((path, meta.len()))
    }

    fn has(&self, rel: &str) -> bool {
        self.file(rel).is_some()
    }

    /// Whether `folder` and every folder above it in the previous site is a real folder.
    fn real_folder(&self, folder: &Path) -> bool {
        if folder.as_os_str().is_empty() {
            return true;
        }
        let known = self
            .folders
            .lock()
            .ok()
            .and_then(|f| f.get(folder).copied());
        if let Some(known) = known {
            return known;
        }
        let real = folder.parent().is_some_and(|up| self.real_folder(up))
            && fs::symlink_metadata(self.root.join(folder)).is_ok_and(|m| m.is_dir());
        if let Ok(mut f) = self.folders.lock() {
            f.insert(folder.to_path_buf(), real);
        }
        real
    }

    /// Links the previous file at `rel` to `dest` when it holds exactly `bytes`.
    fn link_if_same(&self, rel: &str, bytes: &[u8], dest: &Path) -> bool {
        let Some((path, len)) = self.file(rel) else {
            return false;
        };
        if usize::try_from(len).ok() != Some(bytes.len())
            || fs::read(&path).ok().as_deref() != Some(bytes)
            || fs::hard_link(&path, dest).is_err()
        {
            return false;
        }
        // The file could have been swapped for a link since it was looked at: only a regular
        // file is kept.
        if fs::symlink_metadata(dest).is_ok_and(|m| m.is_file()) {
            return true;
        }
        let _ = fs::remove_file(dest);
        false
    }
}

/// Removes the folders in `parent` named `<prefix><pid>` whose process has ended: the staging
/// folders of builds of the same output killed before they could clean up (out of memory, a
/// power cut; each holds a whole site, and they piled up beside it), and `serve`'s work
/// folders. A folder whose process still runs (another build, `serve`) is left alone, and so
/// is anything that is not a folder (a link is never followed).
pub fn remove_abandoned(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let pid = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .and_then(|p| p.parse::<u32>().ok());
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if let (Some(pid), true) = (pid, is_dir) {
            if pid != std::process::id() && !process_runs(pid) {
                let _ = remove_tree(&e.path());
            }
        }
    }
}

/// An empty folder beside `target` for this process's `kind` of scratch work
/// (`.<target>.<kind>-<pid>`), after removing those that killed builds left behind.
pub fn scratch_dir(target: &Path, kind: &str) -> Result<PathBuf> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    remove_abandoned(parent, &format!(".{name}.{kind}-"));
    let dir = parent.join(format!(".{name}.{kind}-{}", std::process::id()));
    if dir.exists() {
        fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// Whether process `pid` exists (when unsure, it does: its folder is kept).
#[cfg(unix)]
fn process_runs(pid: u32) -> bool {
    // 0 and negative numbers name process groups, not a process.
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let sent = unsafe { libc::kill(pid, 0) };
    sent == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_runs(_pid: u32) -> bool {
    true
}

/// `fs::remove_dir_all` with the folders of each level removed in parallel: the previous site
/// has thousands of files, and deleting them one by one was the build's longest serial step.
/// Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            fs::remove_file(e.path())
        }
    })?;
    fs::remove_dir(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files in many folders, nested and side by side, each written once its folder was made
    /// (a folder's fingerprint stands for it); the same folder is not made twice.
    #[test]
    fn files_land_in_their_folders_each_made_once() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let staging = Staging::new(&tmp.path().join("site")).expect("staging");
        let files = [
            "a/index.html",
            "a/b/index.html",
            "a/c/x.json",
            "a/b/y.json",
            "z.txt",
        ];
        for rel in files {
            staging.write(rel, rel).expect("written");
        }
        for rel in files {
            let written = fs::read_to_string(staging.dir().join(rel)).expect("read");
            assert_eq!(written, rel);
        }
        let made = staging.made.lock().map(|m| m.len()).unwrap_or(0);
        assert_eq!(made, 4, "the site folder, a, a/b and a/c");
        let [ab, ac] = ["a/b", "a/c"].map(|f| fingerprint(&staging.dir().join(f)));
        assert_ne!(ab, ac);
        assert_eq!(ab, fingerprint(&staging.dir().join("a/b")));
    }

    /// Regression: a build killed before it could clean up left its staging folder (a whole
    /// site) beside the output, and every such build added one.
    #[cfg(unix)]
    #[test]
    fn abandoned_staging_folders_are_removed_and_live_ones_kept() {
        let tmp = tempfile::tempdir().expect("tmp");
        let site = tmp.path().join("site");
        let staging = |pid: u32| tmp.path().join(format!(".site.staging-{pid}"));
        let ended = || {
            let mut child = std::process::Command::new("true").spawn().expect("true");
            child.wait().expect("wait");
            child.id()
        };
        let (dead, dead_too) = (ended(), ended());
        let mut running = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep");
        let keep = tmp.path().join("keep");
        fs::create_dir_all(&keep).expect("mkdir");
        fs::write(keep.join("file"), "x").expect("write");
        for pid in [dead, running.id()] {
            fs::create_dir_all(staging(pid).join("connectors")).expect("mkdir");
            fs::write(staging(pid).join("index.html"), "x").expect("write");
        }
        // A link named like a staging folder is not followed.
        std::os::unix::fs::symlink(&keep, staging(dead_too)).expect("link");
        fs::create_dir_all(tmp.path().join(".other.staging-7")).expect("mkdir");
        let s = Staging::new(&site).expect("staging");
        assert!(
            !staging(dead).exists(),
            "the ended build's folder is removed"
        );
        assert!(
            staging(running.id()).exists(),
            "a running build's folder stays"
        );
        assert!(keep.join("file").exists(), "the link's target stays");
        assert!(
            fs::symlink_metadata(staging(dead_too)).is_ok(),
            "and so does the link"
        );
        assert!(
            tmp.path().join(".other.staging-7").exists(),
            "another output's stays"
        );
        drop(s);
        running.kill().expect("kill");
        running.wait().expect("wait");
    }

    #[cfg(unix)]
    #[test]
    fn removing_the_previous_site_deletes_links_not_their_targets() {
        let tmp = tempfile::tempdir().expect("tmp");
        let keep = tmp.path().join("keep");
        fs::create_dir_all(keep.join("inner")).expect("mkdir");
        fs::write(keep.join("inner/file"), "x").expect("write");
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("a/b/c")).expect("mkdir");
        fs::write(site.join("a/b/c/page.html"), "x").expect("write");
        fs::write(site.join("top.html"), "x").expect("write");
        std::os::unix::fs::symlink(&keep, site.join("a/link")).expect("link");
        remove_tree(&site).expect("removed");
        assert!(!site.exists());
        assert!(
            keep.join("inner/file").exists(),
            "the link's target is untouched"
        );
    }

    #[test]
    fn refuses_paths_that_escape() {
        let tmp = tempfile::tempdir().expect("tmp");
        let s = Staging::new(&tmp.path().join("out")).expect("staging");
        assert!(s.write("../evil", "x").is_err());
        assert!(s.write("/etc/evil", "x").is_err());
        assert!(s.write("a/../../evil", "x").is_err());
        assert!(s.write("a/ok.txt", "x").is_ok());
    }

    #[test]
    fn a_streamed_file_is_written_whole_inside_and_never_through_a_link() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        site(&out, &[("data/catalog.json", "old")]);
        let s = Staging::new(&out).expect("staging");
        s.write("data/catalog.json", "old").expect("linked");
        let big = "x".repeat(200_000);
        s.write_streamed("data/catalog.json", |w| Ok(w.write_all(big.as_bytes())?))
            .expect("streamed");
        assert_eq!(
            fs::read_to_string(s.dir().join("data/catalog.json")).expect("read"),
            big
        );
        let escape = s.write_streamed("../evil", |w| Ok(w.write_all(b"x")?));
        assert!(escape.is_err() && !tmp.path().join("evil").exists());
        let failed = s.write_streamed("b.json", |_| anyhow::bail!("serialising failed"));
        assert!(format!("{:#}", failed.expect_err("fails")).contains("serialising failed"));
        drop(s); // a failed build
        assert_eq!(
            fs::read_to_string(out.join("data/catalog.json")).expect("read"),
            "old",
            "the previous site's file, which the staged one was linked to, is intact"
        );
    }

    #[test]
    fn an_abandoned_build_leaves_the_previous_site() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        let s = Staging::new(&out).expect("staging");
        s.write("index.html", "v1").expect("write");
        s.commit().expect("commit");
        let s = Staging::new(&out).expect("staging");
        s.write("index.html", "v2").expect("write");
        drop(s); // failed build
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("read"),
            "v1"
        );
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).expect("ls").collect();
        assert_eq!(leftovers.len(), 1, "staging folder removed");
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(path).expect("stat").ino()
    }

    /// A site of `files` committed at `out`.
    fn site(out: &Path, files: &[(&str, &str)]) {
        let s = Staging::new(out).expect("staging");
        for (rel, text) in files {
            s.write(rel, text).expect("write");
        }
        s.commit().expect("commit");
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_file_is_linked_from_the_previous_site_and_a_changed_one_written() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        site(&out, &[("a/same.html", "same"), ("a/changed.html", "v1")]);
        let s = Staging::new(&out).expect("staging");
        s.write("a/same.html", "same").expect("write");
        s.write("a/changed.html", "v2").expect("write");
        s.write("a/new.html", "new").expect("write");
        let staged = |rel: &str| s.dir().join(rel);
        assert_eq!(
            inode(&staged("a/same.html")),
            inode(&out.join("a/same.html"))
        );
        assert_ne!(
            inode(&staged("a/changed.html")),
            inode(&out.join("a/changed.html"))
        );
        s.commit().expect("commit");
        for (rel, text) in [
            ("a/same.html", "same"),
            ("a/changed.html", "v2"),
            ("a/new.html", "new"),
        ] {
            assert_eq!(fs::read_to_string(out.join(rel)).expect("read"), text);
        }
        let left: Vec<_> = fs::read_dir(tmp.path()).expect("ls").collect();
        assert_eq!(left.len(), 1, "the previous site is gone");
    }

    /// A file linked from the previous site and then written again must not be written
    /// through the link: the previous site stays intact until the swap.
    #[test]
    fn rewriting_a_linked_file_leaves_the_previous_site_intact() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        site(&out, &[("index.html", "v1")]);
        let s = Staging::new(&out).expect("staging");
        s.write("index.html", "v1").expect("linked");
        s.write("index.html", "v2").expect("written");
        assert_eq!(
            fs::read_to_string(s.dir().join("index.html")).expect("read"),
            "v2"
        );
        drop(s); // a failed build
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("read"),
            "v1"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_in_the_previous_site_are_neither_linked_nor_followed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&outside).expect("mkdir");
        fs::write(outside.join("page.html"), "same").expect("write");
        let out = tmp.path().join("out");
        fs::create_dir_all(&out).expect("mkdir");
        std::os::unix::fs::symlink(&outside, out.join("folder")).expect("link");
        std::os::unix::fs::symlink(outside.join("page.html"), out.join("top.html")).expect("link");
        let s = Staging::new(&out).expect("staging");
        s.write("folder/page.html", "same").expect("write");
        s.write("top.html", "same").expect("write");
        for rel in ["folder/page.html", "top.html"] {
            let staged = s.dir().join(rel);
            assert!(
                fs::symlink_metadata(&staged).expect("stat").is_file(),
                "{rel}"
            );
            assert_ne!(inode(&staged), inode(&outside.join("page.html")), "{rel}");
        }
        s.commit().expect("commit");
        assert_eq!(
            fs::read_to_string(outside.join("page.html")).expect("read"),
            "same"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_copy_is_linked_too() {
        let tmp = tempfile::tempdir().expect("tmp");
        let source = tmp.path().join("logo.png");
        fs::write(&source, "png").expect("write");
        let out = tmp.path().join("out");
        let s = Staging::new(&out).expect("staging");
        s.copy(&source, "img/logo.png").expect("copy");
        s.commit().expect("commit");
        let s = Staging::new(&out).expect("staging");
        s.copy(&source, "img/logo.png").expect("copy");
        assert_eq!(
            inode(&s.dir().join("img/logo.png")),
            inode(&out.join("img/logo.png"))
        );
        assert_ne!(
            inode(&s.dir().join("img/logo.png")),
            inode(&source),
            "never the source's"
        );
        fs::write(&source, "new").expect("write");
        s.copy(&source, "img/other.png").expect("copy");
        s.commit().expect("commit");
        assert_eq!(
            fs::read_to_string(out.join("img/logo.png")).expect("read"),
            "png"
        );
    }

    /// A source tree with one readable file and one whose bytes are gone (a git object
    /// missing, a file without permission).
    struct HalfReadable;

    impl crate::source::Tree for HalfReadable {
        fn list(&self, _dir: &str) -> Vec<crate::source::Entry> {
            Vec::new()
        }
        fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
            match path {
                "a/ok.json" => Ok(b"{}".to_vec()),
                _ => Err(std::io::Error::other("object not found")),
            }
        }
        fn describe(&self) -> String {
            "half".into()
        }
    }

    /// Regression: a definition whose git object was missing stopped the whole build when
    /// its page's copy for download was made.
    #[test]
    fn a_source_file_that_cannot_be_read_is_left_out_not_fatal() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        let s = Staging::new(&out).expect("staging");
        s.write("c/gone.json", b"old").expect("write");
        s.commit().expect("commit");
        for round in 0..2 {
            // In the first round the previous site has the file (the copy goes through
            // `write`); in the second it has not (the copy is made by the tree).
            let s = Staging::new(&out).expect("staging");
            let copied = |from, to| s.copy_from_tree(&HalfReadable, from, to);
            assert!(
                copied("a/ok.json", "c/ok.json").expect("copy"),
                "round {round}"
            );
            assert!(!copied("a/gone.json", "c/gone.json").expect("left out"));
            assert!(!s.dir().join("c/gone.json").exists());
            s.commit().expect("commit");
        }
        assert!(out.join("c/ok.json").is_file());
        assert!(!out.join("c/gone.json").exists());
    }
}
