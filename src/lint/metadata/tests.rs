//! Metadata rule tests (M001–M009): a failing and a passing input each, located.

use crate::lint::testing::{Case, GOOD_DEFINITION, INDEPENDENT_PROPS};
use crate::model::Tier;
use crate::problem::Severity::{Error, Warning};

fn certified(definition: &str) -> crate::lint::testing::Outcome {
    Case::new(Tier::Certified).definition(definition).run()
}

#[test]
fn m001_title() {
    let def = "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"Contoso Tasks API Connector for Power Apps!\"}\n}";
    let got = certified(def);
    got.expect_at("M001", Error, def, "\"Contoso");
    assert_eq!(got.count("M001"), 5, "{:?}", got.messages("M001"));
    certified(GOOD_DEFINITION).none("M001");
    let preview = GOOD_DEFINITION.replace("\"Contoso Tasks\"", "\"Contoso Tasks (Preview)\"");
    certified(&preview).none("M001");
}

#[test]
fn m002_description() {
    let def = "{\n  \"info\": {\"title\": \"Tasks\",\n    \"description\": \"Short.\"}\n}";
    certified(def).expect_at("M002", Error, def, "\"Short.\"");
    let same = "{\n  \"info\": {\"title\": \"Tasks of the Contoso board app\",\n    \"description\": \"Tasks of the Contoso board app\"}\n}";
    certified(same).expect_at("M002", Error, same, "\"Tasks of the Contoso board app\"}");
    certified(GOOD_DEFINITION).none("M002");
}

#[test]
fn m003_contact() {
    let def = "{\n  \"info\": {\"title\": \"Tasks\", \"contact\": {\"name\": \"A\", \"url\": \"https://a.example\",\n    \"email\": \"not-an-email\"}}\n}";
    certified(def).expect_at("M003", Error, def, "\"not-an-email\"");
    let none = "{\n  \"info\": {\"title\": \"Tasks\"}\n}";
    Case::new(Tier::Custom)
        .definition(none)
        .run()
        .expect_at("M003", Warning, none, "{\"title\"");
    certified(GOOD_DEFINITION).none("M003");
}

#[test]
fn m004_connector_metadata_names() {
    let def = r#"{
  "x-ms-connector-metadata": [
    {"propertyName": "Website", "propertyValue": "https://a.example"},
    {"propertyName": "Privacy Policy", "propertyValue": "https://a.example/p"},
    {"propertyName": "Categories", "propertyValue": "Data"}
  ]
}"#;
    let got = certified(def);
    let hit = got.expect_at("M004", Error, def, "\"Privacy Policy\"");
    assert_eq!(hit.help.as_deref(), Some("did you mean `Privacy policy`?"));
    assert_eq!(got.count("M004"), 1);
    certified(GOOD_DEFINITION).none("M004");
}

#[test]
fn m005_categories() {
    let def = r#"{
  "x-ms-connector-metadata": [
    {"propertyName": "Website", "propertyValue": "https://a.example"},
    {"propertyName": "Privacy policy", "propertyValue": "https://a.example/p"},
    {"propertyName": "Categories", "propertyValue": "productivity;Data;AI"}
  ]
}"#;
    let got = certified(def);
    got.expect_at("M005", Error, def, "\"productivity;");
    assert_eq!(got.count("M005"), 2, "too many, and casing");
    certified(GOOD_DEFINITION).none("M005");
}

#[test]
fn m006_publisher_and_stack_owner() {
    let props = "{\"properties\": {\n  \"publisher\": \"A\"}}";
    let got = Case::new(Tier::Certified).properties(props).run();
    got.expect_at("M006", Error, props, "{\n");
    assert_eq!(got.messages("M006"), ["`properties.stackOwner` is missing"]);
    Case::new(Tier::Certified).run().none("M006");
}

#[test]
fn m007_brand_colour() {
    let red = "{\"properties\": {\"publisher\": \"A\", \"stackOwner\": \"B\",\n  \"iconBrandColor\": \"#ff0000\"}}";
    Case::new(Tier::IndependentPublisher)
        .properties(red)
        .run()
        .expect_at("M007", Error, red, "\"#ff0000\"");
    let blue = red.replace("#ff0000", "#007ee5");
    Case::new(Tier::Certified)
        .properties(&blue)
        .run()
        .expect_at("M007", Error, &blue, "\"#007ee5\"");
    Case::new(Tier::Certified)
        .properties(red)
        .run()
        .none("M007");
    Case::new(Tier::IndependentPublisher)
        .properties(INDEPENDENT_PROPS)
        .run()
        .none("M007");
}

#[test]
fn m008_host_schemes_base_path() {
    let def =
        "{\n  \"host\": \"https://api.example/v1\",\n  \"basePath\": \"v1\",\n  \"schemes\": []\n}";
    let got = certified(def);
    got.expect_at("M008", Error, def, "\"https://api");
    got.expect_at("M008", Error, def, "\"v1\"");
    got.expect_at("M008", Error, def, "[]");
    certified(GOOD_DEFINITION).none("M008");
}

#[test]
fn m009_status_values() {
    let def =
        "{\n  \"info\": {\"title\": \"Tasks\", \"x-ms-api-annotation\": {\"status\": \"Beta\"}}\n}";
    certified(def).expect_at("M009", Warning, def, "\"Beta\"");
    let ok = def.replace("Beta", "Preview");
    certified(&ok).none("M009");
}
