//! Versioning rule tests (V001–V005, V007): a failing and a passing input each, located.

use crate::lint::testing::{Case, GOOD_DEFINITION};
use crate::model::Tier;
use crate::problem::Severity::{Error, Warning};

fn lint(definition: &str) -> crate::lint::testing::Outcome {
    Case::new(Tier::Certified).definition(definition).run()
}

fn paths(info: &str, ops: &str) -> String {
    format!(
        "{{\n  \"swagger\": \"2.0\",\n  \"info\": {{{info}}},\n  \"paths\": {{\n{ops}\n  }}\n}}"
    )
}

#[test]
fn v001_deprecated_operations_say_so() {
    let def = paths(
        "\"title\": \"T\"",
        "    \"/a\": {\"get\": {\"operationId\": \"A\", \"deprecated\": true,\n      \"summary\": \"List tasks\", \"description\": \"Lists tasks (deprecated).\", \"responses\": {}}}",
    );
    let got = lint(&def);
    got.expect_at("V001", Warning, &def, "\"List tasks\"");
    assert_eq!(got.count("V001"), 1);
    lint(&def.replace("\"List tasks\"", "\"List tasks (deprecated)\"")).none("V001");
}

#[test]
fn v002_summary_saying_deprecated_is_deprecated() {
    let def = paths(
        "\"title\": \"T\"",
        "    \"/a\": {\"get\": {\"operationId\": \"A\",\n      \"summary\": \"List tasks (deprecated)\", \"responses\": {}}}",
    );
    lint(&def).expect_at("V002", Warning, &def, "\"List tasks (deprecated)\"");
    let marked = def.replace(
        "\"operationId\": \"A\",",
        "\"operationId\": \"A\", \"deprecated\": true,",
    );
    lint(&marked).none("V002");
}

#[test]
fn v003_families() {
    let op = |path: &str, id: &str, extra: &str, revision: u32| {
        format!("    \"{path}\": {{\"get\": {{\"operationId\": \"{id}\", {extra}\"responses\": {{}}, \"x-ms-api-annotation\": {{\"family\": \"List\", \"revision\": {revision}}}}}}}")
    };
    let def = paths(
        "\"title\": \"T\"",
        &[
            op("/v1", "ListV1", "", 1),
            op("/v2", "ListV2", "", 1),
            op("/v3", "ListV3", "", 3),
        ]
        .join(",\n"),
    );
    let got = lint(&def);
    let (line, column) = crate::lint::testing::at_after(&def, "\"/v2\"", "1}");
    got.expect("V003", Error, line, column);
    let (line, column) = crate::lint::testing::at_after(&def, "\"/v3\"", "\"x-ms-api-annotation\"");
    got.expect("V003", Error, line, column);
    assert_eq!(got.count("V003"), 2, "{:?}", got.messages("V003"));
    let fixed = paths(
        "\"title\": \"T\"",
        &[
            op("/v1", "ListV1", "\"deprecated\": true, ", 1),
            op("/v2", "ListV2", "", 2),
            op("/v3", "ListV3", "", 3),
        ]
        .join(",\n"),
    );
    lint(&fixed).none("V003");
}

#[test]
fn v004_replacement() {
    let def = paths(
        "\"title\": \"T\"",
        "    \"/a\": {\"get\": {\"operationId\": \"A\", \"responses\": {},\n      \"x-ms-api-annotation\": {\"replacement\": {\"api\": \"tasks\"}}}}",
    );
    let got = lint(&def);
    got.expect_at("V004", Error, &def, "\"replacement\"");
    got.expect_at("V004", Error, &def, "{\"api\"");
    let ok = def
        .replace(
            "\"operationId\": \"A\",",
            "\"operationId\": \"A\", \"deprecated\": true,",
        )
        .replace(
            "{\"api\": \"tasks\"}",
            "{\"api\": \"tasks\", \"operationId\": \"B\"}",
        );
    lint(&ok).none("V004");
}

#[test]
fn v005_no_production_operation_in_preview_connector() {
    let def = paths(
        "\"title\": \"T\", \"x-ms-api-annotation\": {\"status\": \"Preview\"}",
        "    \"/a\": {\"get\": {\"operationId\": \"A\", \"responses\": {},\n      \"x-ms-api-annotation\": {\"status\": \"Production\"}}}",
    );
    lint(&def).expect_at("V005", Error, &def, "\"Production\"");
    lint(&def.replace("\"Production\"", "\"Preview\"")).none("V005");
}

#[test]
fn v007_status_casing() {
    let def = paths(
        "\"title\": \"T\", \"x-ms-api-annotation\": {\"status\": \"production\"}",
        "    \"/a\": {\"get\": {\"operationId\": \"A\", \"responses\": {}}}",
    );
    let got = lint(&def);
    let hit = got.expect_at("V007", Error, &def, "\"production\"");
    assert_eq!(hit.help.as_deref(), Some("write `Production`"));
    got.none("M009");
    lint(GOOD_DEFINITION).none("V007");
}
