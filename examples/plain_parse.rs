//! The parsing floor as a whole process (SPEC §7): walk a repository and parse every JSON
//! file with plain serde_json, on as many threads as rayon has. `bench/run.sh` times it with
//! hyperfine beside the full build, so the two are compared the same way.
//!
//! `cargo run --release --example plain_parse -- [PATH]` (default `../shared/corpus`).

#[path = "../benches/plain/mod.rs"]
mod plain;

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus".into());
    let files = plain::json_files(std::path::Path::new(&root));
    let ok = plain::plain_parse(&files);
    println!("{ok} of {} JSON files parsed", files.len());
}
