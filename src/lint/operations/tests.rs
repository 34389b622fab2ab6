//! Operation rule tests (O001–O010, O012, O013): a failing and a passing input each, located.

use crate::lint::testing::{Case, GOOD_DEFINITION};
use crate::model::Tier;
use crate::problem::Severity::{Error, Warning};

fn lint(definition: &str) -> crate::lint::testing::Outcome {
    Case::new(Tier::Certified).definition(definition).run()
}

/// A definition with `ops` as the members of `paths`.
fn paths(ops: &str) -> String {
    format!("{{\n  \"swagger\": \"2.0\",\n  \"paths\": {{\n{ops}\n  }}\n}}")
}

const OK_OP: &str = r#""summary": "Get a task", "description": "Gets one task.", "responses": {"200": {"description": "OK", "schema": {"type": "string"}}}"#;

#[test]
fn o001_operation_id_present_and_unique() {
    let def = paths(&format!(
        "    \"/a\": {{\"get\": {{\"operationId\": \"GetTask\", {OK_OP}}}}},\n    \"/b\": {{\"get\": {{\"operationId\": \"GetTask\", {OK_OP}}},\n      \"put\": {{{OK_OP}}}}}"
    ));
    let got = lint(&def);
    let (line, column) = crate::lint::testing::at_after(&def, "\"/b\"", "\"GetTask\"");
    got.expect("O001", Error, line, column);
    got.expect_at("O001", Error, &def, "\"put\"");
    assert_eq!(got.count("O001"), 2);
    lint(GOOD_DEFINITION).none("O001");
}

#[test]
fn o002_operation_id_alphanumeric() {
    let def = paths(&format!(
        "    \"/a\": {{\"get\": {{\"operationId\": \"get_task\", {OK_OP}}}}}"
    ));
    lint(&def).expect_at("O002", Warning, &def, "\"get_task\"");
    lint(GOOD_DEFINITION).none("O002");
}

#[test]
fn o003_summary() {
    let long = "x".repeat(81);
    let def = paths(&format!(
        "    \"/a\": {{\"get\": {{\"operationId\": \"A\", \"summary\": \"{long}\", \"description\": \"D.\", \"responses\": {{}}}}}},\n    \"/b\": {{\"get\": {{\"operationId\": \"B\", \"summary\": \"Get a/b.\", \"description\": \"D.\", \"responses\": {{}}}}}},\n    \"/c\": {{\"get\": {{\"operationId\": \"C\", \"description\": \"D.\", \"responses\": {{}}}}}}"
    ));
    let got = lint(&def);
    got.expect_at("O003", Error, &def, &format!("\"{long}\""));
    got.expect_at("O003", Warning, &def, "\"Get a/b.\"");
    assert_eq!(got.count("O003"), 4, "{:?}", got.messages("O003"));
    lint(GOOD_DEFINITION).none("O003");
}

#[test]
fn o004_description() {
    let def = paths(
        "    \"/a\": {\"get\": {\"operationId\": \"A\", \"summary\": \"Get it\", \"description\": \"Get it\", \"responses\": {}}}",
    );
    let got = lint(&def);
    got.expect_at("O004", Warning, &def, "\"Get it\", \"resp");
    assert_eq!(got.count("O004"), 2, "no punctuation, same as summary");
    let ok = def.replace(
        "\"description\": \"Get it\"",
        "\"description\": \"Gets it (deprecated).\"",
    );
    lint(&ok).none("O004");
}

#[test]
fn o005_success_response_schema() {
    let def = paths(
        "    \"/a\": {\"get\": {\"operationId\": \"A\", \"summary\": \"Get\", \"description\": \"D.\",\n      \"responses\": {\"200\": {\"description\": \"OK\"}}}}",
    );
    lint(&def).expect_at("O005", Error, &def, "{\"200\"");
    let dynamic = def.replace(
        "{\"description\": \"OK\"}",
        "{\"description\": \"OK\", \"schema\": {\"x-ms-dynamic-schema\": {\"operationId\": \"A\"}}}",
    );
    lint(&dynamic).none("O005");
    let no_content = def.replace("\"200\"", "\"204\"");
    lint(&no_content).none("O005");
}

#[test]
fn o006_default_response_schema() {
    let def = paths(
        "    \"/a\": {\"get\": {\"operationId\": \"A\", \"summary\": \"Get\", \"description\": \"D.\",\n      \"responses\": {\"200\": {\"description\": \"OK\", \"schema\": {\"type\": \"string\"}},\n      \"default\": {\"description\": \"Error\", \"schema\": {\"type\": \"object\"}}}}}",
    );
    let got = lint(&def);
    got.expect_at("O006", Error, &def, "{\"type\": \"object\"}");
    got.none("O007");
    lint(GOOD_DEFINITION).none("O006");
}

#[test]
fn o007_one_response_with_schema() {
    let def = paths(
        "    \"/a\": {\"get\": {\"operationId\": \"A\", \"summary\": \"Get\", \"description\": \"D.\",\n      \"responses\": {\"200\": {\"description\": \"OK\", \"schema\": {\"type\": \"string\"}}, \"201\": {\"description\": \"Made\", \"schema\": {\"type\": \"string\"}}}}}",
    );
    lint(&def).expect_at("O007", Warning, &def, "{\"200\"");
    lint(GOOD_DEFINITION).none("O007");
}

#[test]
fn o008_get_without_body() {
    let def = paths(&format!(
        "    \"/a\": {{\"get\": {{\"operationId\": \"A\", {OK_OP},\n      \"parameters\": [{{\"name\": \"body\", \"in\": \"body\", \"schema\": {{\"type\": \"object\"}}}}]}}}}"
    ));
    lint(&def).expect_at("O008", Error, &def, "{\"name\": \"body\"");
    let post = def.replace("\"get\"", "\"post\"");
    lint(&post).none("O008");
}

#[test]
fn o009_paths() {
    let def = paths(&format!(
        "    \"/a?x=1\": {{\"get\": {{\"operationId\": \"A\", {OK_OP}}}}},\n    \"/Items\": {{\"get\": {{\"operationId\": \"B\", {OK_OP}}}}},\n    \"/items\": {{\"put\": {{\"operationId\": \"C\", {OK_OP}}}}}"
    ));
    let got = lint(&def);
    got.expect_at("O009", Error, &def, "\"/a?x=1\"");
    got.expect_at("O009", Error, &def, "\"/items\"");
    lint(GOOD_DEFINITION).none("O009");
}

#[test]
fn o010_operation_x_ms_summary() {
    let def = paths(&format!(
        "    \"/a\": {{\"get\": {{\"operationId\": \"A\", \"x-ms-summary\": \"Get\", {OK_OP}}}}}"
    ));
    lint(&def).expect_at("O010", Warning, &def, "\"x-ms-summary\"");
    lint(GOOD_DEFINITION).none("O010");
}

#[test]
fn o012_visibility_values() {
    let def = paths(&format!(
        "    \"/a\": {{\"get\": {{\"operationId\": \"A\", \"x-ms-visibility\": \"Advanced\", {OK_OP}}}}}"
    ));
    let got = lint(&def);
    let hit = got.expect_at("O012", Error, &def, "\"Advanced\"");
    assert_eq!(
        hit.help.as_deref(),
        Some("did you mean `advanced`? (values are lower case)")
    );
    lint(&def.replace("Advanced", "advanced")).none("O012");
    lint(&def.replace("Advanced", "")).none("O012");
}

#[test]
fn o013_next_link_name() {
    let def = paths(&format!(
        "    \"/a\": {{\"get\": {{\"operationId\": \"A\", \"x-ms-pageable\": {{\"nextLinkName\": \"nextlink\"}}, {OK_OP}}}}}"
    ));
    lint(&def).expect_at("O013", Error, &def, "\"nextlink\"");
    lint(&def.replace("\"nextlink\"", "\"@odata.nextLink\"")).none("O013");
}
