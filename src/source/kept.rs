//! Kept blobs: what a build reads from git, kept on disk for the copies it makes later.
//!
//! A build from git reads each definition from its blob in the parse stage, then copies it
//! beside the connector's page in the render stage. Each read inflates the blob (and the
//! deltas it is stored as), so the copy inflated every definition a second time: a sixth of
//! a whole build's CPU from the real repository. With a `Kept` folder (a scratch folder
//! beside the output, removed with it), the first read leaves the bytes there; a copy links
//! that file into the site, or copies it where it cannot link, and a second read reads it.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A folder of blobs already read, by object id.
#[derive(Debug)]
pub struct Kept {
    dir: PathBuf,
    ids: Mutex<HashSet<git2::Oid>>,
}

impl Kept {
    /// Keeps blobs in `dir` (an empty scratch folder), which goes when this does.
    pub fn new(dir: PathBuf) -> Kept {
        Kept {
            dir,
            ids: Mutex::new(HashSet::new()),
        }
    }

    fn path(&self, id: git2::Oid) -> PathBuf {
        self.dir.join(id.to_string())
    }

    fn has(&self, id: git2::Oid) -> bool {
        self.ids.lock().is_ok_and(|ids| ids.contains(&id))
    }

    /// Leaves `bytes`, the content of blob `id`, in the folder. Keeping is an optimisation:
    /// a failure only means the blob is read from git again.
    pub fn keep(&self, id: git2::Oid, bytes: &[u8]) {
        if self.has(id) {
            return;
        }
        // Two threads may read the same blob (two folders with one definition): each writes
        // its own file and renames it into place, so a kept file is always whole.
        let partial = self
            .dir
            .join(format!("{id}.{:?}", std::thread::current().id()));
        let kept = fs::write(&partial, bytes).and_then(|()| fs::rename(&partial, self.path(id)));
        match kept {
            Ok(()) => {
                if let Ok(mut ids) = self.ids.lock() {
                    ids.insert(id);
                }
            }
            Err(_) => {
                let _ = fs::remove_file(&partial);
            }
        }
    }

    /// The bytes of blob `id`, when it was kept.
    pub fn read(&self, id: git2::Oid) -> Option<Vec<u8>> {
        if !self.has(id) {
            return None;
        }
        fs::read(self.path(id)).ok()
    }

    /// Puts blob `id` at `dest` when it was kept: a link to the kept file, or a copy of it
    /// where a link cannot be made (another file system). `None` when it was not kept.
    pub fn copy_to(&self, id: git2::Oid, dest: &Path) -> Option<io::Result<()>> {
        if !self.has(id) {
            return None;
        }
        let kept = self.path(id);
        Some(fs::hard_link(&kept, dest).or_else(|_| super::copy_contents(&kept, dest)))
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> git2::Oid {
        git2::Oid::from_bytes(&[n; 20]).expect("a 20-byte id")
    }

    #[test]
    fn a_kept_blob_is_read_and_copied_from_the_folder() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let dir = scratch.path().join("kept");
        fs::create_dir(&dir).expect("dir");
        let kept = Kept::new(dir.clone());
        assert_eq!(kept.read(id(1)), None, "nothing kept yet");
        kept.keep(id(1), b"{\"swagger\": \"2.0\"}");
        assert_eq!(
            kept.read(id(1)).as_deref(),
            Some(&b"{\"swagger\": \"2.0\"}"[..])
        );
        let dest = scratch.path().join("copy.json");
        kept.copy_to(id(1), &dest).expect("kept").expect("copied");
        assert_eq!(fs::read(&dest).expect("copy"), b"{\"swagger\": \"2.0\"}");
        assert!(kept.copy_to(id(2), &dest).is_none(), "never kept");
        let names: Vec<_> = fs::read_dir(&dir).expect("list").flatten().collect();
        assert_eq!(names.len(), 1, "no partial file is left behind");
        drop(kept);
        assert!(!dir.exists(), "the folder goes with the kept blobs");
        assert!(dest.exists(), "a copy in the site stays");
    }

    #[test]
    fn a_blob_that_cannot_be_kept_is_simply_not_kept() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let kept = Kept::new(scratch.path().join("never-created"));
        kept.keep(id(3), b"bytes");
        assert_eq!(kept.read(id(3)), None);
        assert!(kept.copy_to(id(3), &scratch.path().join("x")).is_none());
    }
}
