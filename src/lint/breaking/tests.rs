//! V008 tests: breaking changes between two hand-made models.

use super::breaking_changes;
use crate::lint::testing::Case;
use crate::model::Tier;
use crate::problem::Severity::Warning;

/// A definition with one operation `GetTask` (parameters and response schema given).
fn def(params: &str, response: &str, extra_ops: &str) -> String {
    format!(
        "{{\n  \"swagger\": \"2.0\",\n  \"paths\": {{\n    \"/tasks/{{id}}\": {{\"get\": {{\"operationId\": \"GetTask\",\n      \"parameters\": [{params}],\n      \"responses\": {{\"200\": {{\"description\": \"OK\", \"schema\": {response}}}}}}}}}{extra_ops}\n  }}\n}}"
    )
}

const ID: &str = r#"{"name": "id", "in": "path", "required": true, "type": "string"}"#;
const OUT: &str = r#"{"type": "object", "properties": {"done": {"type": "boolean"}}}"#;
const DELETE: &str =
    ",\n    \"/old\": {\"delete\": {\"operationId\": \"DeleteOld\", \"responses\": {}}}";

fn model(definition: &str) -> crate::model::Connector {
    Case::new(Tier::Certified)
        .definition(definition)
        .connector()
}

#[test]
fn v008_breaking_changes_between_two_models() {
    let before = model(&def(
        &format!("{ID}, {{\"name\": \"view\", \"in\": \"query\", \"type\": \"string\"}}"),
        OUT,
        DELETE,
    ));
    let after_text = def(
        &format!("{ID}, {{\"name\": \"view\", \"in\": \"query\", \"type\": \"string\", \"required\": true, \"enum\": [\"a\", \"b\"]}}"),
        r#"{"type": "object", "properties": {"done": {"type": "string"}}}"#,
        "",
    );
    let after = model(&after_text);
    let changes = breaking_changes(&before, &after);
    let messages: Vec<&str> = changes.iter().map(|c| c.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`GetTask`: the parameter `view` has become required. This change breaks existing flows.",
            "`GetTask`: the parameter `view` now takes only listed values (an enum was added). This change breaks existing flows.",
            "`GetTask`: the output `done` changed type from `boolean` to `string`. This change breaks existing flows.",
            "`DeleteOld`: the operation has been deleted. This change breaks existing flows.",
        ]
    );
    let got = Case::new(Tier::Certified)
        .definition(&after_text)
        .against_previous(&before);
    got.expect_at("V008", Warning, &after_text, "\"paths\"");
    got.expect_at("V008", Warning, &after_text, "\"view\"");
    got.expect_at("V008", Warning, &after_text, "{\"200\"");
    assert_eq!(got.count("V008"), 4);
}

#[test]
fn v008_compatible_changes_pass() {
    let before = model(&def(ID, OUT, ""));
    let after_text = def(
        &format!("{ID}, {{\"name\": \"view\", \"in\": \"query\", \"type\": \"string\"}}"),
        r#"{"type": "object", "properties": {"done": {"type": "boolean"}, "title": {"type": "string"}}}"#,
        DELETE,
    );
    let got = Case::new(Tier::Certified)
        .definition(&after_text)
        .against_previous(&before);
    got.none("V008");
    Case::new(Tier::Certified)
        .definition(&after_text)
        .run()
        .none("V008");
}

#[test]
fn v008_new_required_parameter_and_root_type() {
    let before = model(&def(ID, OUT, ""));
    let after = model(&def(
        &format!("{ID}, {{\"name\": \"x\", \"in\": \"header\", \"type\": \"string\", \"required\": true}}"),
        r#"{"type": "array", "items": {"type": "string"}}"#,
        "",
    ));
    let messages: Vec<String> = breaking_changes(&before, &after)
        .into_iter()
        .map(|c| c.message)
        .collect();
    assert_eq!(
        messages,
        [
            "`GetTask`: a new required parameter `x` was added. This change breaks existing flows.",
            "`GetTask`: the output changed type from `object` to `array of string`. This change breaks existing flows.",
        ]
    );
}
