//! The command line as scripts use it: `build` then `search` on the bundled sample, the
//! JSON contract of SPEC §2, and output into a closed pipe.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_switchyard");

/// Builds the bundled sample into a temporary folder and returns it.
fn built_sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample-repo");
    let status = Command::new(BIN)
        .args(["build", "-q", "--no-history", "--source"])
        .arg(&sample)
        .arg("--out")
        .arg(dir.path().join("site"))
        .status()
        .expect("build");
    assert!(status.success());
    dir
}

#[test]
fn search_json_has_the_fields_of_the_contract() {
    let dir = built_sample();
    let out = Command::new(BIN)
        .args([
            "search",
            "send a text message",
            "--json",
            "--limit",
            "3",
            "--site",
        ])
        .arg(dir.path().join("site"))
        .output()
        .expect("search");
    assert!(out.status.success());
    let hits: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert!(!hits.is_empty() && hits.len() <= 3);
    assert_eq!(hits[0]["folder"], "Kestrel SMS");
    for h in &hits {
        for key in ["folder", "title", "tier", "score", "url", "actions"] {
            assert!(h.get(key).is_some(), "{key} missing in {h}");
        }
        for a in h["actions"].as_array().expect("actions") {
            assert!(matches!(a["kind"].as_str(), Some("action" | "trigger")));
            assert!(a["url"]
                .as_str()
                .expect("url")
                .starts_with(h["url"].as_str().expect("url")));
        }
    }
}

/// Regression: `switchyard search ... | head` panicked with "failed printing to stdout:
/// Broken pipe" once the reader went away.
#[test]
fn search_into_a_closed_pipe_ends_quietly() {
    let dir = built_sample();
    let mut child = Command::new(BIN)
        .args(["search", "send", "--site"])
        .arg(dir.path().join("site"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .display()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

/// Regression: `search` opened the index folder itself, and tantivy created a lock file in
/// it: on a site the user cannot write (a deployed, read-only copy) the search failed with
/// "Failed to acquire Lockfile", and on any other the file stayed in the site.
#[test]
fn search_writes_nothing_into_the_site() {
    let dir = built_sample();
    let site = dir.path().join("site");
    let before = files_under(&site);
    for query in ["send a text message", "nothing matches this"] {
        let out = Command::new(BIN)
            .args(["search", query, "--site"])
            .arg(&site)
            .output()
            .expect("search");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(files_under(&site), before);
}
