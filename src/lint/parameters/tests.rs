//! Parameter rule tests (P001–P006, P008–P010): a failing and a passing input each, located.

use crate::lint::testing::{Case, GOOD_DEFINITION};
use crate::model::Tier;
use crate::problem::Severity::{Error, Warning};

fn lint(definition: &str) -> crate::lint::testing::Outcome {
    Case::new(Tier::Certified).definition(definition).run()
}

/// One GET operation at `path` with these parameters.
fn op(path: &str, params: &str) -> String {
    format!(
        "{{\n  \"swagger\": \"2.0\",\n  \"paths\": {{\n    \"{path}\": {{\"get\": {{\"operationId\": \"A\", \"responses\": {{}},\n      \"parameters\": [\n{params}\n      ]}}}}\n  }}\n}}"
    )
}

const GOOD_PATH_PARAM: &str = r#"        {"name": "id", "in": "path", "required": true, "type": "string", "x-ms-url-encoding": "single", "x-ms-summary": "Id", "description": "The task."}"#;

#[test]
fn p001_path_parameters() {
    let def = op(
        "/tasks/{id}/{other}",
        "        {\"name\": \"id\", \"in\": \"path\", \"type\": \"string\"},\n        {\"name\": \"extra\", \"in\": \"path\", \"required\": true, \"type\": \"string\"}",
    );
    let got = lint(&def);
    got.expect_at("P001", Error, &def, "\"id\"");
    got.expect_at("P001", Error, &def, "\"extra\"");
    got.expect_at("P001", Error, &def, "\"get\"");
    assert_eq!(got.count("P001"), 3, "{:?}", got.messages("P001"));
    lint(&op("/tasks/{id}", GOOD_PATH_PARAM)).none("P001");
}

#[test]
fn p002_path_parameter_url_encoding() {
    let def = op(
        "/tasks/{id}",
        &GOOD_PATH_PARAM.replace(", \"x-ms-url-encoding\": \"single\"", ""),
    );
    lint(&def).expect_at("P002", Warning, &def, "\"id\"");
    lint(&op("/tasks/{id}", GOOD_PATH_PARAM)).none("P002");
}

#[test]
fn p003_query_parameter_url_encoding() {
    let def = op("/tasks", "        {\"name\": \"q\", \"in\": \"query\", \"type\": \"string\", \"x-ms-url-encoding\": \"single\"}");
    lint(&def).expect_at("P003", Error, &def, "\"x-ms-url-encoding\"");
    lint(&op(
        "/tasks",
        "        {\"name\": \"q\", \"in\": \"query\", \"type\": \"string\"}",
    ))
    .none("P003");
}

#[test]
fn p004_internal_required_has_default() {
    let def = op("/tasks", "        {\"name\": \"v\", \"in\": \"query\", \"type\": \"string\", \"required\": true, \"x-ms-visibility\": \"internal\"}");
    lint(&def).expect_at("P004", Error, &def, "\"v\"");
    let ok = def.replace(
        "\"required\": true,",
        "\"required\": true, \"default\": \"1\",",
    );
    lint(&ok).none("P004");
}

#[test]
fn p005_summary_and_description() {
    let def = op("/tasks", "        {\"name\": \"q\", \"in\": \"query\", \"type\": \"string\", \"x-ms-summary\": \"Query\", \"description\": \"query\"}");
    lint(&def).expect_at("P005", Warning, &def, "\"query\"}");
    let bare = op(
        "/tasks",
        "        {\"name\": \"q\", \"in\": \"query\", \"type\": \"string\"}",
    );
    let got = lint(&bare);
    got.expect_at("P005", Warning, &bare, "\"q\"");
    assert_eq!(got.count("P005"), 2, "no summary, no description");
    let ok = def.replace(
        "\"description\": \"query\"",
        "\"description\": \"Words to look for.\"",
    );
    lint(&ok).none("P005");
}

#[test]
fn p006_connection_id_duplicates_bodies() {
    let def = op(
        "/tasks",
        "        {\"name\": \"connectionId\", \"in\": \"query\", \"type\": \"string\"},\n        {\"name\": \"a\", \"in\": \"body\", \"schema\": {}},\n        {\"name\": \"b\", \"in\": \"body\", \"schema\": {}},\n        {\"name\": \"q\", \"in\": \"query\", \"type\": \"string\"},\n        {\"name\": \"q\", \"in\": \"query\", \"type\": \"string\"}",
    );
    let got = lint(&def);
    got.expect_at("P006", Error, &def, "\"connectionId\"");
    got.expect_at("P006", Error, &def, "{\"name\": \"b\"");
    let (line, column) = crate::lint::testing::at_after(&def, "\"q\"", "{\"name\": \"q\"");
    got.expect("P006", Error, line, column);
    assert_eq!(got.count("P006"), 3, "{:?}", got.messages("P006"));
    lint(GOOD_DEFINITION).none("P006");
}

#[test]
fn p008_dynamic_references() {
    let def = op(
        "/tasks",
        "        {\"name\": \"p\", \"in\": \"query\", \"type\": \"string\", \"x-ms-dynamic-values\": {\"operationId\": \"ListProjects\"}}",
    );
    lint(&def).expect_at("P008", Error, &def, "\"ListProjects\"");
    lint(&def.replace("ListProjects", "A")).none("P008");
}

#[test]
fn p009_enums() {
    let def = op(
        "/tasks",
        "        {\"name\": \"n\", \"in\": \"query\", \"type\": \"integer\", \"enum\": [1, \"two\"]},\n        {\"name\": \"s\", \"in\": \"query\", \"type\": \"string\", \"enum\": [\"a\"], \"x-ms-enum-values\": [{\"value\": \"b\", \"displayName\": \"B\"}]}",
    );
    let got = lint(&def);
    got.expect_at("P009", Error, &def, "\"two\"");
    got.expect_at("P009", Error, &def, "\"b\"");
    let ok = def
        .replace("\"two\"", "2")
        .replace("\"value\": \"b\"", "\"value\": \"a\"");
    lint(&ok).none("P009");
}

#[test]
fn p010_references_resolve() {
    let def = "{\n  \"swagger\": \"2.0\",\n  \"paths\": {\"/a\": {\"get\": {\"operationId\": \"A\",\n    \"responses\": {\"200\": {\"description\": \"OK\", \"schema\": {\"$ref\": \"#/definitions/Task\"}}}}}},\n  \"definitions\": {\"Item\": {\"type\": \"object\"}}\n}";
    lint(def).expect_at("P010", Error, def, "\"#/definitions/Task\"");
    let ok = def.replace("\"Item\"", "\"Task\"");
    lint(&ok).none("P010");
    let spaced = ok
        .replace("#/definitions/Task", "#/definitions/My%20Task")
        .replace("\"Task\"", "\"My Task\"");
    lint(&spaced).none("P010");
}
