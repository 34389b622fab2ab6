//! Connection rule tests (C001, C002, C005): a failing and a passing apiProperties each.

use crate::lint::testing::{Case, GOOD_DEFINITION};
use crate::model::Tier;
use crate::problem::Severity::Warning;

fn lint(properties: &str) -> crate::lint::testing::Outcome {
    Case::new(Tier::Certified).properties(properties).run()
}

const HEAD: &str =
    r##"{"properties": {"publisher": "A", "stackOwner": "A", "iconBrandColor": "#123456","##;

#[test]
fn c001_connection_parameters_described() {
    let props = format!("{HEAD}\n  \"connectionParameters\": {{\"api_key\": {{\"type\": \"securestring\", \"uiDefinition\": {{\"displayName\": \"Key\"}}}}}}}}}}");
    let got = lint(&props);
    let hit = got.expect_at("C001", Warning, &props, "\"api_key\"");
    assert!(hit.message.contains("description"), "{}", hit.message);
    Case::new(Tier::Certified).run().none("C001");
}

#[test]
fn c002_policy_template_ids() {
    let props = format!("{HEAD}\n  \"policyTemplateInstances\": [{{\"templateId\": \"SetHeader\"}},\n    {{\"templateId\": \"setheadr\"}}]}}}}");
    let got = lint(&props);
    got.expect_at("C002", Warning, &props, "\"SetHeader\"");
    let hit = got.expect_at("C002", Warning, &props, "\"setheadr\"");
    assert_eq!(hit.help.as_deref(), Some("did you mean `setheader`?"));
    let ok =
        format!("{HEAD}\n  \"policyTemplateInstances\": [{{\"templateId\": \"setheader\"}}]}}}}");
    lint(&ok).none("C002");
}

#[test]
fn c005_security_agrees_with_connection_parameters() {
    let props = format!(
        "{HEAD}\n  \"connectionParameters\": {{\"token\": {{\"type\": \"oauthSetting\"}}}}}}}}"
    );
    let got = lint(&props);
    got.expect_at("C005", Warning, GOOD_DEFINITION, "\"api_key\"");
    got.expect_at("C005", Warning, &props, "\"oauthSetting\"");
    Case::new(Tier::Certified).run().none("C005");
}
