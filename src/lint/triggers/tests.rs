//! Trigger rule tests (T001, T003): a failing and a passing input each, located.

use crate::lint::testing::{Case, GOOD_DEFINITION};
use crate::model::Tier;
use crate::problem::Severity::{Error, Info};

fn lint(definition: &str) -> crate::lint::testing::Outcome {
    Case::new(Tier::Certified).definition(definition).run()
}

fn webhook(callback: &str) -> String {
    format!(
        "{{\n  \"swagger\": \"2.0\",\n  \"paths\": {{\n    \"/hooks\": {{\"x-ms-notification-content\": {{\"schema\": {{\"type\": \"object\"}}}},\n      \"post\": {{\"operationId\": \"WhenCreated\", \"summary\": \"When a task is created\", \"x-ms-trigger\": \"single\", \"responses\": {{}},\n        \"parameters\": [{{\"name\": \"body\", \"in\": \"body\", \"required\": true, \"schema\": {{\"type\": \"object\", \"required\": [\"url\"],\n          \"properties\": {{\"url\": {callback}}}}}}}]}}}}\n  }}\n}}"
    )
}

#[test]
fn t001_webhook_notification_url() {
    let def = webhook(r#"{"type": "string", "x-ms-notification-url": true}"#);
    let got = lint(&def);
    let hit = got.expect_at("T001", Error, &def, "\"x-ms-notification-url\"");
    assert!(hit.message.ends_with("must be internal"), "{}", hit.message);
    let none = webhook(r#"{"type": "string"}"#);
    lint(&none).expect_at("T001", Error, &none, "\"post\"");
    let ok = webhook(
        r#"{"type": "string", "x-ms-notification-url": true, "x-ms-visibility": "internal"}"#,
    );
    lint(&ok).none("T001");
}

#[test]
fn t003_trigger_summary_starts_with_when() {
    let def = webhook(
        r#"{"type": "string", "x-ms-notification-url": true, "x-ms-visibility": "internal"}"#,
    )
    .replace("When a task is created", "Task created");
    lint(&def).expect_at("T003", Info, &def, "\"Task created\"");
    lint(&def.replace("Task created", "When a task is created")).none("T003");
    lint(GOOD_DEFINITION).none("T003");
}
