//! A benchmark of the render stage on the real corpus (not a timed test: it is ignored by
//! default). Run it with
//! `ROUNDS=5 cargo test --release --test site_bench -- --ignored --nocapture`.
//! It prints the wall time and the process CPU time of each round, so a figure taken on a
//! busy machine can still be read.

use std::path::Path;
use std::time::Instant;
use switchyard::output::Staging;
use switchyard::render::{self, ThemeDirs};
use switchyard::site::{Overrides, Site, Stages, Verbosity};

/// User + system CPU time of this process so far, in milliseconds (Linux only).
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn render_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("no corpus at {}", corpus.display());
        return;
    }
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let tmp = tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .expect("tmp");
    let overrides = Overrides {
        source: Some(corpus.display().to_string()),
        out: Some(tmp.path().join("site")),
        no_history: true,
        ..Overrides::default()
    };
    let site = Site::load(None, overrides).expect("site");
    let opened = site.open_source().expect("source");
    let catalog = site
        .load_catalog_from(&opened, &mut Stages::new(Verbosity::Quiet))
        .expect("catalog");
    let similar = switchyard::similar::neighbours(&catalog).expect("similar");
    let dirs = ThemeDirs::new(&site.base_dir, &site.config.theme);
    let tree = opened.tree.as_ref();
    for round in 0..rounds {
        let staging = Staging::new(&tmp.path().join(format!("site{round}"))).expect("staging");
        let (cpu, wall) = (cpu_ms(), Instant::now());
        let stats = render::render(&catalog, &similar, &site.config, &dirs, tree, &staging)
            .expect("render");
        let wall = wall.elapsed().as_secs_f64() * 1000.0;
        let cpu = cpu_ms().zip(cpu).map_or(f64::NAN, |(b, a)| b - a);
        eprintln!(
            "round {round}: render {wall:.0} ms wall, {cpu:.0} ms CPU; {} pages, {:.1} MB",
            stats.pages,
            stats.html_bytes as f64 / 1e6
        );
    }
}
