//! The low-memory build (`spill`): whether the connectors' details stay in memory or wait on
//! disk between the parse and the pages, the site is the same byte for byte, and the spill
//! folder is gone when the build is done. The fixture is the bundled sample repository with
//! git history (a changelog), plus a connector of 600 operations over three pages.

mod common;

use common::{assert_same_tree, commit_all, paged_definition, Repo, MINIMAL_PROPERTIES};
use std::fs;
use std::path::Path;
use std::process::Command;
use switchyard::site::{Overrides, Site, Stages, Verbosity};
use switchyard::spill::Memory;

const DAY: i64 = 86_400;
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sample-repo");

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).expect("under from");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The sample repository, a paged connector and a copy of Kestrel SMS under another name (so
/// that pages link operations doing the same job in another connector), committed, then two
/// of them changed (an operation renamed, a parameter made required) in a second commit.
fn fixture() -> Repo {
    let r = Repo::new();
    copy_tree(Path::new(SAMPLE), &r.root());
    r.definition("certified-connectors/Big One", paged_definition());
    let sms = Path::new(SAMPLE).join("certified-connectors/Kestrel SMS");
    copy_tree(&sms, &r.root().join("custom-connectors/Wren SMS"));
    commit_all(&r.root(), "Add the sample connectors (#1)", 1_700_000_000);
    let kestrel = r
        .root()
        .join("certified-connectors/Kestrel SMS/apiDefinition.swagger.json");
    let text = fs::read_to_string(&kestrel).expect("definition");
    let changed = text.replacen("\"operationId\": \"", "\"operationId\": \"Renamed", 1);
    assert_ne!(text, changed, "the fixture renames an operation");
    fs::write(&kestrel, changed).expect("write");
    r.file(
        "certified-connectors/Big One/apiProperties.json",
        MINIMAL_PROPERTIES.replace("Tests", "Big Tests"),
    );
    commit_all(
        &r.root(),
        "Kestrel SMS: rename (#2)",
        1_700_000_000 + 30 * DAY,
    );
    r
}

fn site(r: &Repo, out: &Path, memory: Memory) -> Site {
    let config = r.dir.path().join("site.toml");
    fs::write(&config, "base_url = \"https://docs.example.test/\"\n").expect("config");
    let overrides = Overrides {
        source: Some(r.root().display().to_string()),
        out: Some(out.to_path_buf()),
        memory,
        ..Overrides::default()
    };
    Site::load(Some(&config), overrides).expect("site")
}

/// Names in `dir` that a spill leaves behind (`.<out>.spill-<pid>`).
fn spill_folders(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".spill-"))
        .collect()
}

/// `switchyard build --memory low` or `full`, and a cache of its own: the changelog of
/// one build must not come from what the other learnt.
fn build_with_cli(r: &Repo, out: &str, low_memory: bool) {
    let config = r.dir.path().join("site.toml");
    fs::write(&config, "base_url = \"https://docs.example.test/\"\n").expect("config");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_switchyard"));
    cmd.args(["build", "-q", "--config"])
        .arg(&config)
        .arg("--source")
        .arg(r.root())
        .arg("--out")
        .arg(r.dir.path().join(out))
        .env(
            "SWITCHYARD_CACHE",
            r.dir.path().join(format!("cache-{out}")),
        );
    cmd.args(["--memory", if low_memory { "low" } else { "full" }]);
    let done = cmd.output().expect("runs");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
}

#[test]
fn a_spilled_build_writes_the_same_site_as_one_in_memory() {
    let r = fixture();
    build_with_cli(&r, "low", true);
    build_with_cli(&r, "full", false);
    let (full, low) = (r.dir.path().join("full"), r.dir.path().join("low"));
    let page = fs::read_to_string(low.join("connectors/kestrel-sms/index.html")).expect("page");
    assert!(
        page.contains("the operation has been deleted"),
        "the changelog compared the spilled model with the previous revision"
    );
    let big = fs::read_to_string(low.join("connectors/big-one/index.html")).expect("page");
    assert!(big.contains("Action 000"), "the paged connector is in");
    // Read back from the spill, named: the other connectors' operations were forgotten.
    let wren = fs::read_to_string(low.join("connectors/wren-sms/index.html")).expect("page");
    assert!(
        wren.contains("<p class=\"also\">Other connectors that do this: ")
            && wren.contains("href=\"../../connectors/kestrel-sms/index.html#"),
        "the same-job links"
    );
    assert_same_tree(&full, &low);
    assert_eq!(spill_folders(r.dir.path()), Vec::<String>::new());
}

#[test]
fn a_spilled_catalog_keeps_the_details_on_disk_until_a_stage_asks() {
    let r = fixture();
    let out = r.dir.path().join("out");
    let load = |memory| {
        let s = site(&r, &out, memory);
        let opened = s.open_source().expect("source");
        s.load_catalog_spilling(&opened, &mut Stages::new(Verbosity::Quiet), memory)
            .expect("catalog")
    };
    let whole = load(Memory::Full);
    let light = load(Memory::Low);
    assert!(whole.spilled.is_none() && light.spilled.is_some());
    assert_eq!(
        spill_folders(r.dir.path()).len(),
        1,
        "one spill, beside the output"
    );
    let held = |c: &switchyard::model::Connector| {
        c.details().definitions.len()
            + c.details()
                .operations
                .iter()
                .map(|o| o.parameters.len())
                .sum::<usize>()
    };
    assert!(whole.connectors.iter().map(held).sum::<usize>() > 0);
    assert_eq!(light.connectors.iter().map(held).sum::<usize>(), 0);
    assert!(
        whole.connectors.iter().all(|c| c.holds_details())
            && !light.connectors.iter().any(|c| c.holds_details()),
        "a spilled catalog's connectors hold no details, not even empty ones"
    );
    for i in 0..whole.connectors.len() {
        let back = light.full(i).expect("read back");
        assert_eq!(
            serde_json::to_string(&*back).expect("json"),
            serde_json::to_string(&whole.connectors[i]).expect("json"),
            "{}",
            whole.connectors[i].path()
        );
    }
    drop(light);
    assert_eq!(spill_folders(r.dir.path()), Vec::<String>::new());
}

/// The same on the real repository snapshot, when present: every connector's page, export
/// and search documents come back whole from the spill.
#[test]
fn the_corpus_builds_the_same_site_with_its_details_spilled() {
    let Some(corpus) = common::corpus() else {
        eprintln!("../shared/corpus not present; skipping");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let build = |out: &str, memory: Memory| {
        let overrides = Overrides {
            source: Some(corpus.display().to_string()),
            out: Some(dir.path().join(out)),
            memory,
            ..Overrides::default()
        };
        let config = dir.path().join("site.toml");
        fs::write(&config, "").expect("config");
        Site::load(Some(&config), overrides)
            .expect("site")
            .build(false, Verbosity::Quiet)
            .expect("build")
    };
    let full = build("full", Memory::Full);
    let low = build("low", Memory::Low);
    assert_eq!(full.connectors, 1034);
    assert_eq!(
        (full.operations, full.triggers),
        (low.operations, low.triggers)
    );
    assert_same_tree(&dir.path().join("full"), &dir.path().join("low"));
}
