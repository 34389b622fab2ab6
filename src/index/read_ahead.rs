//! The written index, opened for the one pass `shards::write` makes over its terms.
//!
//! tantivy maps an index's files into memory, and every page the pass touches stays counted
//! in the process's memory until the index is dropped: at 50 times the real repository, about
//! 37 MiB at the end of the index stage, which set the build's peak. The pass reads each segment's postings in file order, a few
//! bytes a term, field by field side by side, so here each file is read in small blocks
//! instead, a few blocks kept per file: what the pass holds is its blocks, the term
//! dictionaries and the field norms, not every page it has read. `serve` and `search` still
//! map the index (`query`), which suits their random reads.

use anyhow::{Context, Result};
use std::collections::VecDeque;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::{HasLen, Index};

/// Bytes read at a time for a small read.
const BLOCK: usize = 16 * 1024;
/// Blocks kept per file: the pass reads one place in each of a segment's five fields'
/// postings side by side, and a block for anything else.
const BLOCKS: usize = super::documents::FIELDS.len() + 1;

/// Opens the index in `dir` to be read in blocks.
pub fn open(dir: &Path) -> Result<Index> {
    let directory = BlockDirectory {
        root: dir.to_path_buf(),
    };
    let index = Index::open(directory)
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    super::register_tokenizer(&index);
    Ok(index)
}

/// A read-only directory of files read in blocks.
#[derive(Debug, Clone)]
struct BlockDirectory {
    root: PathBuf,
}

impl Directory for BlockDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|e| read_error(e, path))?;
        let len = file.metadata().map_err(|e| read_error(e, path))?.len();
        Ok(Arc::new(BlockFile::new(file, len as usize)))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.root.join(path).is_file())
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        std::fs::read(self.root.join(path)).map_err(|e| read_error(e, path))
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    // Nothing writes to the index while the pass reads it: there is no lock to take and
    // nothing to watch.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

fn read_error(error: io::Error, path: &Path) -> OpenReadError {
    if error.kind() == io::ErrorKind::NotFound {
        OpenReadError::FileDoesNotExist(path.to_path_buf())
    } else {
        OpenReadError::wrap_io_error(error, path.to_path_buf())
    }
}

fn read_only() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "the index is open for reading only",
    )
}

/// One file, read a block at a time for small reads, and whole for large ones.
#[derive(Debug)]
struct BlockFile {
    file: File,
    len: usize,
    /// The blocks last read, as (offset, bytes), the last used first.
    blocks: Mutex<VecDeque<(usize, Vec<u8>)>>,
}

impl BlockFile {
    fn new(file: File, len: usize) -> BlockFile {
        BlockFile {
            file,
            len,
            blocks: Mutex::new(VecDeque::with_capacity(BLOCKS)),
        }
    }

    fn read_at(&self, range: Range<usize>) -> io::Result<Vec<u8>> {
        if range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("bytes {range:?} are past the end of a file of {}", self.len),
            ));
        }
        let mut bytes = vec![0; range.len()];
        self.file.read_exact_at(&mut bytes, range.start as u64)?;
        Ok(bytes)
    }
}

impl HasLen for BlockFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for BlockFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.len() >= BLOCK {
            return Ok(OwnedBytes::new(self.read_at(range)?));
        }
        let mut blocks = self.blocks.lock().unwrap_or_else(PoisonError::into_inner);
        let held = blocks
            .iter()
            .position(|(at, b)| *at <= range.start && range.end <= at + b.len());
        let (at, block) = match held {
            Some(k) => blocks.remove(k).unwrap_or_default(),
            None => {
                let end = (range.start + BLOCK).min(self.len).max(range.end);
                (range.start, self.read_at(range.start..end)?)
            }
        };
        // A copy: a block is not kept alive by a small read the caller holds on to.
        let bytes = block[range.start - at..range.end - at].to_vec();
        blocks.push_front((at, block));
        blocks.truncate(BLOCKS);
        Ok(OwnedBytes::new(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_of(bytes: &[u8]) -> (tempfile::TempDir, BlockFile) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f");
        std::fs::write(&path, bytes).expect("write");
        let file = File::open(&path).expect("open");
        (dir, BlockFile::new(file, bytes.len()))
    }

    /// Reads of every size, in and across blocks, out of order, give the file's bytes.
    #[test]
    fn every_read_gives_the_files_bytes_whatever_the_blocks_held() {
        let bytes: Vec<u8> = (0..BLOCK * BLOCKS + 123)
            .map(|k| (k * 7 % 251) as u8)
            .collect();
        let (_dir, file) = file_of(&bytes);
        let reads = [
            0..10,
            5..20,
            BLOCK - 3..BLOCK + 3,
            0..BLOCK * BLOCKS + 123,
            BLOCK * BLOCKS + 100..BLOCK * BLOCKS + 123,
            7..7,
            BLOCK * 2..BLOCK * 2 + 1,
            1..2,
        ];
        for _ in 0..2 {
            for k in 0..BLOCKS * 2 {
                let at = k * BLOCK / 2;
                assert_eq!(
                    file.read_bytes(at..at + 9).expect("read").as_slice(),
                    &bytes[at..at + 9]
                );
            }
            for r in reads.clone() {
                assert_eq!(
                    file.read_bytes(r.clone()).expect("read").as_slice(),
                    &bytes[r]
                );
            }
        }
        assert!(file.blocks.lock().expect("blocks").len() <= BLOCKS);
    }

    /// A read past the end is an error, not a panic.
    #[test]
    fn a_read_past_the_end_is_an_error() {
        let (_dir, file) = file_of(b"short");
        assert!(file.read_bytes(3..9).is_err());
        assert!(file.read_bytes(0..BLOCK + 1).is_err());
        assert_eq!(file.read_bytes(0..5).expect("read").as_slice(), b"short");
    }

    /// The directory writes nothing, and a missing file is tantivy's "does not exist".
    #[test]
    fn the_directory_is_read_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = BlockDirectory {
            root: dir.path().to_path_buf(),
        };
        assert!(d.atomic_write(Path::new("meta.json"), b"{}").is_err());
        assert!(d.open_write(Path::new("x")).is_err());
        assert!(d.delete(Path::new("x")).is_err());
        assert!(matches!(
            d.get_file_handle(Path::new("missing")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
        assert!(!dir.path().join("meta.json").exists());
    }
}
