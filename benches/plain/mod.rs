//! The parsing floor of SPEC §7: walk a repository and parse every JSON file with plain
//! serde_json on the rayon pool. Shared by `benches/parse.rs` and `examples/plain_parse.rs`.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Every `.json` file under `root`, in walk order.
pub fn json_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| e.into_path())
        .collect()
}

/// Reads and parses the files in parallel; returns how many parsed.
pub fn plain_parse(files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .filter(|f| {
            std::fs::read(f)
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .is_some()
        })
        .count()
}
