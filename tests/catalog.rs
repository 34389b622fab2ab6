//! Loading fixture repositories: broken files, `$ref` cycles, odd names, exports.

mod common;

use common::{minimal_definition, snapshot, Repo, MINIMAL_PROPERTIES};
use std::fs;
use switchyard::model::Tier;
use switchyard::problem::Severity;

const CERT: &str = "certified-connectors";
const IP: &str = "independent-publisher-connectors";

#[test]
fn broken_json_is_recovered_and_each_repair_is_located() {
    let repo = Repo::new();
    let broken = minimal_definition("Broken")
        .replace("\"version\": \"1.0\"}", "\"version\": \"1.0\",}") // trailing comma (line 3)
        .replace("  \"host\"", "  // a comment\n  \"host\""); // comment (line 4)
    repo.file(&format!("{CERT}/Broken/apiDefinition.swagger.json"), broken)
        .file(
            &format!("{CERT}/Broken/apiProperties.json"),
            MINIMAL_PROPERTIES,
        );
    let catalog = repo.catalog();
    let c = &catalog.connectors[0];
    assert_eq!(
        c.details().operations.len(),
        1,
        "the operations survive recovery"
    );
    let repairs: Vec<(u32, &str)> = c
        .problems
        .iter()
        .filter(|p| p.rule == "F002")
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(repairs.len(), 2, "{repairs:?}");
    assert_eq!(repairs[0].0, 3);
    assert!(repairs[0].1.contains("trailing comma"));
    assert_eq!(repairs[1].0, 4);
    assert!(repairs[1].1.contains("comment"));
    assert!(c.problems.iter().all(|p| p.severity == Severity::Warning));
}

#[test]
fn bom_and_latin1_files_are_decoded_and_reported() {
    let repo = Repo::new();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(minimal_definition("Bom").as_bytes());
    let latin1: Vec<u8> = minimal_definition("Br\u{f8}nn\u{f8}y")
        .chars()
        .map(|c| c as u32 as u8)
        .collect();
    repo.file(&format!("{IP}/Bom/apiDefinition.swagger.json"), bom)
        .file(&format!("{IP}/Bom/apiProperties.json"), MINIMAL_PROPERTIES)
        .file(&format!("{IP}/Latin/apiDefinition.swagger.json"), latin1)
        .file(
            &format!("{IP}/Latin/apiProperties.json"),
            MINIMAL_PROPERTIES,
        );
    let catalog = repo.catalog();
    let bom = catalog
        .connectors
        .iter()
        .find(|c| c.folder() == "Bom")
        .expect("bom");
    assert!(bom
        .problems
        .iter()
        .any(|p| p.message.contains("byte-order mark") && p.line == 1));
    let latin = catalog
        .connectors
        .iter()
        .find(|c| c.folder() == "Latin")
        .expect("latin");
    assert_eq!(latin.about.title(), Some("Brønnøy"));
    let p = latin
        .problems
        .iter()
        .find(|p| p.message.contains("Windows-1252"))
        .expect("reported");
    assert_eq!(
        (p.line, p.column),
        (3, 24),
        "points at the first byte that is not UTF-8"
    );
}

/// Regression (fuzzing, `convert` target, round 6): the fuzz target found the end of a file
/// with `from_utf8_lossy`, which makes one replacement character of several bytes that are
/// not UTF-8, while the build reads each as a Windows-1252 character; a repair reported at the
/// last column of such a line looked past the end. The build was right: positions count the
/// characters it decoded. The crash input, which is also truncated, as a connector.
#[test]
fn positions_in_a_windows_1252_file_count_its_decoded_characters() {
    let definition =
        b"{\"swagger\":\"2.0\", paths: {\"/\xff\xff\xff\x84{\xf2W\x9f\xec\x80:operties\":";
    let repo = Repo::new();
    repo.file(
        &format!("{CERT}/Fuzz/apiDefinition.swagger.json"),
        definition,
    )
    .file(&format!("{CERT}/Fuzz/apiProperties.json"), b"\xff\xfe");
    let catalog = repo.catalog();
    let c = &catalog.connectors[0];
    let decoded = switchyard::parse::decode::decode(definition);
    assert_eq!(
        decoded.text.chars().count(),
        definition.len(),
        "a character a byte"
    );
    let end = switchyard::parse::lenient::line_col(&decoded.text, decoded.text.len());
    let repaired = c
        .problems
        .iter()
        .find(|p| {
            p.message
                .contains("closed unterminated object at end of file")
        })
        .expect("the truncation is repaired and reported");
    assert_eq!((repaired.line, repaired.column), (1, 50));
    for p in c
        .problems
        .iter()
        .filter(|p| p.path.ends_with(".swagger.json"))
    {
        assert!((p.line, p.column) <= end, "{p:?} past {end:?}");
    }
}

#[test]
fn an_unrecoverable_file_is_an_error_with_a_location_and_the_catalog_goes_on() {
    let repo = Repo::new();
    repo.connector(CERT, "Fine")
        .file(
            &format!("{CERT}/Garbage/apiDefinition.swagger.json"),
            "{\n  \"swagger\": \"2.0\",\n  \"info\": \"unterminated",
        )
        .file(
            &format!("{CERT}/Garbage/apiProperties.json"),
            MINIMAL_PROPERTIES,
        );
    let catalog = repo.catalog();
    assert_eq!(
        catalog.connectors.len(),
        2,
        "the broken connector is listed, not lost"
    );
    let garbage = catalog
        .connectors
        .iter()
        .find(|c| c.folder() == "Garbage")
        .expect("listed");
    let err = garbage
        .problems
        .iter()
        .find(|p| p.severity == Severity::Error)
        .expect("error");
    assert_eq!(err.rule, "F002");
    assert_eq!(err.line, 3, "{err}");
    assert!(err.column > 0);
    let fine = catalog
        .connectors
        .iter()
        .find(|c| c.folder() == "Fine")
        .expect("fine");
    assert_eq!(fine.details().operations.len(), 1);
}

#[test]
fn ref_cycles_terminate_and_are_marked() {
    let repo = Repo::new();
    let def = r##"{
      "swagger": "2.0", "info": {"title": "Cycles"},
      "paths": {"/t": {"get": {"operationId": "GetTree",
        "parameters": [{"$ref": "#/parameters/Loop"}],
        "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Node"}}}}}},
      "parameters": {"Loop": {"$ref": "#/parameters/Loop"}},
      "definitions": {
        "Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}, "peer": {"$ref": "#/definitions/Peer"}}},
        "Peer": {"type": "object", "properties": {"back": {"$ref": "#/definitions/Node"}}}}
    }"##;
    repo.file(&format!("{CERT}/Cycles/apiDefinition.swagger.json"), def)
        .file(
            &format!("{CERT}/Cycles/apiProperties.json"),
            MINIMAL_PROPERTIES,
        );
    let catalog = repo.catalog();
    let c = &catalog.connectors[0];
    assert!(c.details().definitions.iter().all(|d| d.recursive));
    let loop_problem = c
        .problems
        .iter()
        .find(|p| p.rule == "P010")
        .expect("reported");
    assert_eq!(
        loop_problem.line, 4,
        "located at the use of the cycle: {loop_problem}"
    );
    let op = &c.details().operations[0];
    let schema = op
        .success_response()
        .and_then(|r| r.schema.as_ref())
        .expect("schema");
    let lookup = |name: &str| c.definition(name).map(|d| &d.schema);
    let flat = switchyard::model::flatten(schema, &lookup, Default::default());
    assert!(flat
        .fields
        .iter()
        .any(|f| matches!(f.note, Some(switchyard::model::FieldNote::Recursive(_)))));
    assert!(flat.fields.len() < 20);
}

#[test]
fn odd_and_colliding_names_get_unique_safe_slugs() {
    let repo = Repo::new();
    for name in [
        "A B",
        "A-B",
        "Ørsted's (Test) & Co.",
        "..hidden-ish",
        "日本語",
    ] {
        repo.connector(CERT, name);
    }
    repo.connector(IP, "a b");
    let out = repo.dir.path().join("out");
    repo.build(&out).expect("build");
    let catalog: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("catalog.json")).expect("catalog"))
            .expect("json");
    let connectors = catalog["connectors"].as_array().expect("list");
    let slugs: Vec<&str> = connectors
        .iter()
        .filter_map(|c| c["slug"].as_str())
        .collect();
    let unique: std::collections::BTreeSet<&&str> = slugs.iter().collect();
    assert_eq!(unique.len(), slugs.len(), "{slugs:?}");
    for s in &slugs {
        assert!(
            s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{s}"
        );
        assert!(out.join("connectors").join(format!("{s}.json")).is_file());
    }
    assert!(slugs.contains(&"orsteds-test-co"));
    let folders: Vec<&str> = connectors
        .iter()
        .filter_map(|c| c["folder"].as_str())
        .collect();
    assert!(
        folders.contains(&"Ørsted's (Test) & Co."),
        "folder names are kept exactly"
    );
}

#[test]
fn misnamed_definitions_are_used_and_reported() {
    let repo = Repo::new();
    repo.file(
        &format!("{IP}/Odd/Odd-Connector.swagger.json"),
        minimal_definition("Odd"),
    )
    .file(&format!("{IP}/Odd/apiProperties.json"), MINIMAL_PROPERTIES)
    .file(&format!("{IP}/Empty/readme.md"), "nothing here");
    let catalog = repo.catalog();
    assert_eq!(catalog.connectors.len(), 1);
    let c = &catalog.connectors[0];
    assert_eq!(c.tier, Tier::IndependentPublisher);
    assert_eq!(c.details().operations.len(), 1);
    let f001 = c
        .problems
        .iter()
        .find(|p| p.rule == "F001")
        .expect("reported");
    assert_eq!(f001.path, format!("{IP}/Odd/Odd-Connector.swagger.json"));
    assert!(catalog
        .problems
        .iter()
        .any(|p| p.path == format!("{IP}/Empty")));
}

#[test]
fn a_single_connector_folder_is_a_catalog_of_one() {
    let repo = Repo::new();
    repo.connector(IP, "Solo");
    let catalog = common::catalog_of(&repo.root().join(IP).join("Solo"));
    assert_eq!(catalog.connectors.len(), 1);
    assert_eq!(catalog.connectors[0].tier, Tier::IndependentPublisher);
    assert_eq!(
        catalog.connectors[0].files().definition().as_deref(),
        Some("Solo/apiDefinition.swagger.json")
    );
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let repo = Repo::new();
    for name in ["Zeta", "Alpha", "Mid Name"] {
        repo.connector(CERT, name);
    }
    repo.file(
        &format!("{CERT}/Alpha/apiProperties.json"),
        "{\"properties\": {\"publisher\": \"X\",}}",
    );
    let (a, b) = (repo.dir.path().join("a"), repo.dir.path().join("b"));
    repo.build(&a).expect("build a");
    repo.build(&b).expect("build b");
    assert!(snapshot(&a).len() >= 5);
    common::assert_same_tree(&a, &b);
}

/// Building again into the same folder links the previous site's unchanged files (the same
/// inode) and writes the changed ones, and the site is what a build into a new folder makes.
#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_files_and_writes_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let inode = |p: &std::path::Path| fs::metadata(p).expect("stat").ino();
    let repo = Repo::new();
    for name in ["Alpha", "Beta"] {
        repo.connector(CERT, name);
    }
    let out = repo.dir.path().join("out");
    repo.build(&out).expect("first build");
    let page = |slug: &str| out.join(format!("connectors/{slug}/index.html"));
    let definition = out.join("connectors/beta/apiDefinition.swagger.json");
    let (alpha, beta, beta_definition) = (
        inode(&page("alpha")),
        inode(&page("beta")),
        inode(&definition),
    );
    repo.file(
        &format!("{CERT}/Beta/apiDefinition.swagger.json"),
        minimal_definition("Beta")
            .replace("A connector used by the tests of switchyard.", "Changed."),
    );
    repo.build(&out).expect("second build");
    assert_eq!(inode(&page("alpha")), alpha, "an unchanged page is linked");
    assert_ne!(inode(&page("beta")), beta, "a changed page is written");
    assert_ne!(
        inode(&definition),
        beta_definition,
        "a changed copy is written"
    );
    assert!(fs::read_to_string(page("beta"))
        .expect("read")
        .contains("Changed."));
    let fresh = repo.dir.path().join("fresh");
    repo.build(&fresh).expect("fresh build");
    common::assert_same_tree(&out, &fresh);
}

#[test]
fn strict_builds_fail_on_errors_and_leave_the_previous_output() {
    let repo = Repo::new();
    repo.connector(CERT, "Good");
    let out = repo.dir.path().join("out");
    repo.build(&out).expect("first build");
    let before = snapshot(&out);
    repo.file(
        &format!("{CERT}/Bad/apiDefinition.swagger.json"),
        "<html>not json</html>",
    )
    .file(
        &format!("{CERT}/Bad/apiProperties.json"),
        MINIMAL_PROPERTIES,
    );
    let err = repo
        .site(&out)
        .build(true, switchyard::site::Verbosity::Quiet)
        .expect_err("strict fails");
    assert!(err.to_string().contains("--strict"), "{err}");
    assert!(snapshot(&out) == before, "previous output intact");
    let report = repo.build(&out).expect("non-strict build still writes");
    assert_eq!(report.connectors, 2);
    assert!(report.problems.errors >= 1);
}

#[test]
fn unknown_config_keys_are_rejected_clearly() {
    let repo = Repo::new();
    let config = repo.dir.path().join("bad.toml");
    fs::write(&config, "title = \"x\"\nsoruce = \"repo\"\n").expect("write");
    let err = switchyard::site::Site::load(Some(&config), Default::default())
        .err()
        .expect("rejected");
    let msg = format!("{err:#}");
    assert!(
        msg.contains("bad.toml") && msg.contains("soruce") && msg.contains("line 2"),
        "{msg}"
    );
}

#[test]
fn exports_follow_the_output_contract() {
    let repo = Repo::new();
    repo.connector(CERT, "Contract");
    let out = repo.dir.path().join("out");
    repo.build(&out).expect("build");
    let catalog: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("catalog.json")).expect("catalog"))
            .expect("json");
    assert!(catalog["generated_from"]["source"].is_string());
    let c = &catalog["connectors"][0];
    for key in [
        "folder",
        "slug",
        "title",
        "tier",
        "publisher",
        "stack_owner",
        "categories",
        "auth",
        "actions",
        "triggers",
        "deprecated_operations",
        "url",
    ] {
        assert!(c.get(key).is_some(), "catalog.json connector lacks {key}");
    }
    assert_eq!(c["auth"], serde_json::json!(["none"]));
    assert_eq!(c["url"], "connectors/contract/");
    let csv = fs::read_to_string(out.join("connectors.csv")).expect("csv");
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .expect("header")
        .starts_with("folder,slug,title,tier"));
    assert!(lines
        .next()
        .expect("row")
        .starts_with("Contract,contract,Contract,certified"));
    let model: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("connectors/contract.json")).expect("model"))
            .expect("json");
    assert_eq!(model["operations"][0]["id"], "ListItems");
}

/// Regression: an icon or a readme's image of gigabytes (sparse files here) was copied into
/// the site whole. Files larger than the parser reads are left out, and the page shows no
/// broken image or dead link for them; small ones are copied as before.
#[test]
fn files_too_large_to_copy_are_left_out_of_the_site() {
    let repo = Repo::new();
    repo.connector(CERT, "Heavy");
    let folder = repo.root().join(CERT).join("Heavy");
    repo.file(
        &format!("{CERT}/Heavy/readme.md"),
        "# Heavy\n\n![big](big.png) ![small](small.png)\n",
    );
    repo.file(&format!("{CERT}/Heavy/small.png"), b"\x89PNG small");
    for name in ["icon.png", "big.png"] {
        let file = fs::File::create(folder.join(name)).expect("create");
        file.set_len(switchyard::parse::MAX_FILE_BYTES + 1)
            .expect("sparse file");
    }
    // A definition of the same size is refused unread by the parser; no link to it either.
    repo.connector(CERT, "Vast");
    let definition = repo
        .root()
        .join(CERT)
        .join("Vast/apiDefinition.swagger.json");
    fs::File::create(definition)
        .and_then(|f| f.set_len(switchyard::parse::MAX_FILE_BYTES + 1))
        .expect("sparse definition");
    let out = repo.dir.path().join("out");
    repo.build(&out).expect("build");
    let vast = out.join("connectors/vast");
    let html = fs::read_to_string(vast.join("index.html")).expect("page");
    assert!(!vast.join("apiDefinition.swagger.json").exists());
    assert!(
        !html.contains("href=\"apiDefinition.swagger.json\""),
        "no dead link"
    );
    let page = out.join("connectors/heavy");
    let html = fs::read_to_string(page.join("index.html")).expect("page");
    let copied: Vec<String> = snapshot(&page)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| !p.ends_with(".html") && !p.ends_with(".xml"))
        .collect();
    assert_eq!(
        copied,
        ["apiDefinition.swagger.json", "img/readme-small.png"]
    );
    assert!(html.contains("src=\"img/readme-small.png\""));
    assert!(!html.contains("src=\"icon.png\""), "no broken icon");
    assert!(!html.contains("big.png"), "no broken image");
    assert!(html.contains("href=\"apiDefinition.swagger.json\""));
}
