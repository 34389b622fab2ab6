//! The browser's search (`search.js` over the shards) against the command line's
//! (`Searcher` over tantivy) on the full corpus, and what a first query downloads.
//! Skipped without `../shared/corpus` or chromedriver.

mod browser;
mod common;

use browser::{serve, Browser};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use switchyard::index::query::Searcher;

fn gzip_len(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut child = Command::new("gzip")
        .args(["-c", "-9"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().expect("gzip output");
    writer.join().expect("join").expect("write");
    out.stdout.len()
}

#[test]
fn browser_ranks_like_the_command_line() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        println!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let Some(b) = Browser::start() else { return };
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("site");
    common::build_site(&corpus, &out, false);
    let base = serve(&out);
    b.set_script_timeout(60_000);

    // First query on a fresh page: what does it download?
    b.navigate(&format!("{base}index.html"));
    b.wait_for("return typeof window.switchyardSearch === 'function'", 20);
    let first = b.execute_async(
        "const done = arguments[arguments.length - 1]; window.switchyardSearch('send a text message', 5).then(() => done(performance.getEntriesByType('resource').map(e => e.name)), e => done(String(e)));",
        json!([]),
    );
    let urls: Vec<String> = first
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|u| u.as_str())
        .filter(|u| u.contains("/search/") || u.ends_with("/static/search.js"))
        .map(str::to_string)
        .collect();
    let mut compressed = 0;
    let mut raw = 0;
    for url in &urls {
        let rel = url.strip_prefix(&base).expect("same origin");
        let file = out.join(rel);
        raw += std::fs::metadata(&file).expect("file").len() as usize;
        compressed += gzip_len(&file);
    }
    println!(
        "first query downloads {} files: {:.1} KB raw, {:.1} KB gzip ({urls:?})",
        urls.len(),
        raw as f64 / 1024.0,
        compressed as f64 / 1024.0
    );
    assert!(
        compressed < 100 * 1024,
        "first query: {compressed} bytes gzip"
    );

    // Agreement on the judged queries: top five connector folders, as sets.
    let judgments: Vec<Value> =
        serde_json::from_str(include_str!("search_judgments.json")).expect("judgments");
    let searcher = Searcher::open(&out).expect("searcher");
    let mut agree = 0;
    let mut total = 0;
    for j in &judgments {
        let q = j["query"].as_str().expect("query");
        let cli: BTreeSet<String> = searcher
            .search(q, 5)
            .expect("search")
            .into_iter()
            .map(|h| h.folder)
            .collect();
        let web = b.execute_async(
            "const done = arguments[arguments.length - 1]; window.switchyardSearch(arguments[0], 5).then(h => done(h.map(x => x.folder)), e => done('error: ' + e));",
            json!([q]),
        );
        let web: BTreeSet<String> = web
            .as_array()
            .unwrap_or_else(|| panic!("{q}: {web}"))
            .iter()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect();
        total += 1;
        if web == cli {
            agree += 1;
        } else {
            println!("differs: {q:?}\n  cli {cli:?}\n  web {web:?}");
        }
    }
    let share = agree as f64 / total.max(1) as f64;
    println!(
        "browser/CLI top-5 agreement: {agree}/{total} = {:.1}%",
        share * 100.0
    );
    assert!(share >= 0.9, "agreement {:.1}%", share * 100.0);
    assert!(b.console_errors().is_empty());
}
