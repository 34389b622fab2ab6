//! Parse-stage benchmark: loads a connector repository (default `../shared/corpus`) and prints
//! the time of discover + parse + lint (one read per folder) beside a plain serde_json parse
//! of the same JSON files, in the same run, with the same thread pool. Medians of several
//! rounds.
//!
//! `cargo bench --bench parse [-- PATH [ROUNDS]]`

mod plain;

use plain::{json_files, plain_parse};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use switchyard::site::{Overrides, Site, Stages, Verbosity};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let root = PathBuf::from(
        args.first()
            .cloned()
            .unwrap_or_else(|| "../shared/corpus".into()),
    );
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(7);
    if !root.is_dir() {
        eprintln!("no corpus at {}; pass a path", root.display());
        return;
    }
    let files = json_files(&root);
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "corpus: {} ({} JSON files, {:.1} MB), {} threads, {rounds} rounds",
        root.display(),
        files.len(),
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );
    let site = Site::load(
        None,
        Overrides {
            source: Some(root.display().to_string()),
            ..Overrides::default()
        },
    )
    .expect("config");
    let mut plain = Vec::new();
    let mut load = Vec::new();
    for _ in 0..rounds {
        plain.push(time(|| assert!(plain_parse(&files) > 0)));
        load.push(time(|| {
            let mut stages = Stages::new(Verbosity::Quiet);
            let catalog = site.load_catalog(&mut stages).expect("catalog");
            assert!(!catalog.connectors.is_empty());
        }));
    }
    let (p, l) = (median(&mut plain), median(&mut load));
    println!("plain serde_json parse (median): {:>8.1} ms", ms(p));
    println!("switchyard discover+parse+lint (median): {:>8.1} ms", ms(l));
    // The old 2x target was for parsing alone; the stage now lints the same values too, and
    // this process uses the system allocator, not the binary's mimalloc.
    println!(
        "ratio: {:.2}x (parse and lint, one read per folder; catalog dropped in the timing)",
        l.as_secs_f64() / p.as_secs_f64()
    );
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
