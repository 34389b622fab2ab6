//! `switchyard check` as a publisher runs it: on fixture folders written here and on the
//! sample repository. Human output (caret line), exit codes, JSON, SARIF validated against
//! the SARIF 2.1.0 schema, `[lint]` configuration and `--against`.

mod common;

use common::Repo;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_switchyard");
const CERT: &str = "certified-connectors";

fn sample() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sample-repo"))
}

/// Runs `switchyard check ARGS` with no site.toml in the working directory.
fn check(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("check")
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run switchyard")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The clean connector (the linter's unit tests use the same files).
const GOOD: &str = include_str!("fixtures/contoso-tasks/apiDefinition.swagger.json");

const PROPS: &str = include_str!("fixtures/contoso-tasks/apiProperties.json");

const README: &str = include_str!("fixtures/contoso-tasks/readme.md");

/// A repository with one clean certified connector, `Tasks`.
fn clean_repo() -> Repo {
    let repo = Repo::new();
    repo.file(&format!("{CERT}/Tasks/apiDefinition.swagger.json"), GOOD)
        .file(&format!("{CERT}/Tasks/apiProperties.json"), PROPS)
        .file(&format!("{CERT}/Tasks/readme.md"), README)
        .file(&format!("{CERT}/Tasks/icon.png"), b"\x89PNG\r\n");
    repo
}

/// The same connector with a misspelt key (a warning) and a trailing comma (an error).
fn broken_repo() -> Repo {
    let repo = clean_repo();
    let broken = GOOD
        .replace(
            "\"x-ms-visibility\": \"advanced\"",
            "\"x-ms-visibilty\": \"advanced\"",
        )
        .replace("\"basePath\": \"/\",", "\"basePath\": \"/\",,");
    repo.file(&format!("{CERT}/Tasks/apiDefinition.swagger.json"), broken);
    repo
}

#[test]
fn a_clean_connector_passes_with_exit_status_0() {
    let repo = clean_repo();
    let out = check(repo.dir.path(), &["repo/certified-connectors/Tasks"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Checked 1 connector folder: 0 errors, 0 warnings, 0 info."),
        "{text}"
    );
}

#[test]
fn human_output_points_at_the_place_with_a_caret() {
    let repo = broken_repo();
    let out = check(repo.dir.path(), &["repo"]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an error-level finding fails: {text}"
    );
    let expected = "warning[O011]: misspelt extension `x-ms-visibilty`
  --> certified-connectors/Tasks/apiDefinition.swagger.json:15:118
   |
15 | …ummary\": \"Top\", \"description\": \"How many tasks.\", \"x-ms-visibilty\": \"advanced\"}
   |                                                    ^
   = help: did you mean `x-ms-visibility`?
   = pointer: /paths/~1tasks/get/parameters/0/x-ms-visibilty
";
    assert!(text.contains(expected), "{text}");
    let f002 = "error[F002]: not strict JSON: removed extra comma
 --> certified-connectors/Tasks/apiDefinition.swagger.json:6:19
  |
6 |   \"basePath\": \"/\",,
  |                   ^
";
    assert!(text.contains(f002), "{text}");
    assert!(text.contains("Summary by rule:"), "{text}");
    assert!(
        text.contains("       1  O011  warning  unknown or misspelt x-ms-* key"),
        "{text}"
    );
}

#[test]
fn json_output_is_an_array_of_located_findings() {
    let repo = broken_repo();
    let out = check(repo.dir.path(), &["--format", "json", "repo"]);
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).expect("a JSON array");
    let o011 = findings
        .iter()
        .find(|f| f["rule"] == "O011")
        .expect("an O011 finding");
    assert_eq!(
        o011["path"],
        "certified-connectors/Tasks/apiDefinition.swagger.json"
    );
    assert_eq!(o011["line"], 15);
    assert_eq!(o011["column"], 118);
    assert_eq!(o011["severity"], "warning");
    assert_eq!(
        o011["pointer"],
        "/paths/~1tasks/get/parameters/0/x-ms-visibilty"
    );
    assert_eq!(o011["help"], "did you mean `x-ms-visibility`?");
    assert!(findings
        .iter()
        .any(|f| f["rule"] == "F002" && f["severity"] == "error"));
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("fixtures/sarif-2.1.0.json")).expect("schema");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let repo = broken_repo();
    let out = check(repo.dir.path(), &["--format", "sarif", "repo"]);
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules
        .iter()
        .any(|r| r["id"] == "O011" && r["name"] == "UnknownOrMisspeltXMsKey"));
    let result = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "O011")
        .expect("an O011 result");
    assert_eq!(result["level"], "warning");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "certified-connectors/Tasks/apiDefinition.swagger.json"
    );
    assert_eq!(location["artifactLocation"]["uriBaseId"], "SRCROOT");
    assert_eq!(location["region"]["startLine"], 15);
    assert_eq!(location["region"]["startColumn"], 118);
    assert_eq!(
        result["properties"]["pointer"],
        "/paths/~1tasks/get/parameters/0/x-ms-visibilty"
    );
    let root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .expect("base uri");
    assert!(
        root.starts_with("file:///") && root.ends_with("/repo/"),
        "{root}"
    );
}

#[test]
fn sarif_validation_catches_a_broken_log() {
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal"}]}]});
    assert!(
        !sarif_validator().is_valid(&bad),
        "the schema check must not pass everything"
    );
}

#[test]
fn the_sample_repository() {
    let out = check(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--config", "/dev/null", sample().to_str().expect("utf-8")],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // The three deliberate defects of Open Trivia Vault, where FEATURES.md says they are.
    for (line, column) in [(105, 12), (125, 9), (158, 39)] {
        let at = format!("--> independent-publisher-connectors/Open Trivia Vault/apiDefinition.swagger.json:{line}:{column}\n");
        assert!(text.contains(&at), "missing {at}");
    }
    assert!(
        text.contains(
            "--> independent-publisher-connectors/Penny Jar Budget/apiProperties.json:40:30\n"
        ),
        "{text}"
    );
    assert!(text.contains(
        "error[F001]: the definition file must be named exactly `apiDefinition.swagger.json`"
    ));
    assert!(text.contains("warning[C002]: policy template id `SetHeader` is not lower case"));
    assert!(text.contains("Checked 8 connector folders:"), "{text}");
    let sarif = check(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "--config",
            "/dev/null",
            "--format",
            "sarif",
            sample().to_str().expect("utf-8"),
        ],
    );
    let log: Value = serde_json::from_slice(&sarif.stdout).expect("SARIF");
    assert_valid_sarif(&log);
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        uris.iter().any(|u| u.starts_with(
            "certified-connectors/Bj%C3%B8rn%C3%B8's%20Data%20&%20Weather%20(Preview)/"
        )),
        "{uris:?}"
    );
}

#[test]
fn rules_are_turned_off_and_relevelled_in_site_toml() {
    let repo = broken_repo();
    let dir = repo.dir.path();
    // ./site.toml is read when --config is not given.
    std::fs::write(
        dir.join("site.toml"),
        "[lint]\noff = [\"O011\", \"F002\"]\n",
    )
    .expect("write");
    let out = check(dir, &["repo"]);
    let text = stdout(&out);
    assert!(
        !text.contains("[O011]") && !text.contains("[F002]"),
        "{text}"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "nothing at error level is left: {text}"
    );
    std::fs::write(
        dir.join("strict.toml"),
        "[lint]\noff = [\"F002\"]\n[lint.severity]\nO011 = \"error\"\n",
    )
    .expect("write");
    let out = check(dir, &["--config", "strict.toml", "repo"]);
    assert!(stdout(&out).contains("error[O011]"), "{}", stdout(&out));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_with_2() {
    let repo = clean_repo();
    let dir = repo.dir.path();
    let missing = check(dir, &["no-such-folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-folder is not a folder"));
    std::fs::write(dir.join("bad.toml"), "[lint]\noff = [\"O0O4\"]\n").expect("write");
    let bad = check(dir, &["--config", "bad.toml", "repo"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr).into_owned();
    assert!(
        err.contains("unknown rule id `O0O4`") && err.contains("did you mean `O004`?"),
        "{err}"
    );
    assert_eq!(
        check(dir, &["--format", "xml", "repo"]).status.code(),
        Some(2)
    );
    assert_eq!(check(dir, &[]).status.code(), Some(2));
    std::fs::create_dir_all(dir.join("empty")).expect("mkdir");
    assert_eq!(check(dir, &["empty"]).status.code(), Some(2));
}

#[test]
fn overlap_against_a_built_site_and_a_repository() {
    let repo = clean_repo();
    let dir = repo.dir.path();
    let site = dir.join("site");
    let built = Command::new(BIN)
        .args([
            "build",
            "--config",
            "/dev/null",
            "--no-history",
            "-q",
            "--source",
        ])
        .arg(repo.root())
        .arg("--out")
        .arg(&site)
        .output()
        .expect("build");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    // A new connector on the same host, with an operation like `List tasks`.
    let new = GOOD
        .replace("Contoso Tasks", "Task Lists")
        .replace("\"List tasks\"", "\"List all tasks\"")
        .replace("ListTasks", "ListAllTasks");
    let folder = dir.join("new/Task Lists");
    std::fs::create_dir_all(&folder).expect("mkdir");
    for (name, text) in [
        ("apiDefinition.swagger.json", new.as_str()),
        ("apiProperties.json", PROPS),
        ("readme.md", README),
    ] {
        std::fs::write(folder.join(name), text).expect("write");
    }
    for against in [site.as_path(), repo.root().as_path()] {
        let out = check(
            dir,
            &[
                "--format",
                "json",
                "--against",
                against.to_str().expect("utf-8"),
                "new/Task Lists",
            ],
        );
        let findings: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON");
        let messages = |rule: &str| -> Vec<String> {
            findings
                .iter()
                .filter(|f| f["rule"] == rule)
                .map(|f| f["message"].as_str().unwrap_or("").to_string())
                .collect()
        };
        let host = messages("X001");
        assert!(
            host.iter().any(|m| m.contains("\"Contoso Tasks\"")
                && m.contains("same host `api.contoso.example`")),
            "{host:?}"
        );
        assert!(
            host.iter().any(|m| m.contains("stack owner `Contoso`")),
            "{host:?}"
        );
        let overlap = messages("X002");
        assert!(
            overlap
                .iter()
                .any(|m| m.contains("\"Contoso Tasks\"") && m.ends_with("List all tasks")),
            "{overlap:?}"
        );
        assert!(findings
            .iter()
            .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with('X')))
            .all(|f| f["severity"] == "info"));
    }
    let missing = check(dir, &["--against", "nowhere", "new/Task Lists"]);
    assert_eq!(missing.status.code(), Some(2));
}
