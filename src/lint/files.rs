//! Files rules (F004–F007): what must (and must not) be in a connector folder and how big
//! the definition may be.
//!
//! F001–F003 are found while reading the files (discover and parse report them); the runner
//! passes those on, so a recovered repair is reported once, with what was recovered.

use crate::lint::context::{Findings, Subject};
use crate::model::{FileKind, Tier};
use crate::problem::Severity;

/// Definitions larger than this are slow to load in the designer (F005).
pub const MAX_DEFINITION_BYTES: u64 = 1024 * 1024;
/// The platform's limit on operations per connector (F007).
pub const MAX_OPERATIONS: usize = 256;

pub fn check(s: &Subject, out: &mut Findings) {
    let f = s.folder;
    if !f.files.has(FileKind::Readme) {
        let p = out.folder("F004", "no readme (`readme.md`) in this connector folder");
        if s.tier() == Tier::Custom {
            p.severity(Severity::Warning);
        }
    }
    let bytes = f.definition_bytes();
    if bytes > MAX_DEFINITION_BYTES {
        out.def(
            "F005",
            "",
            format!(
                "the definition is {:.1} MiB, over the 1 MiB limit",
                bytes as f64 / 1024.0 / 1024.0
            ),
        );
    }
    if let (Tier::IndependentPublisher, Some(icon)) = (s.tier(), f.files().icon()) {
        out.file(
            "F006",
            &icon,
            "an independent publisher connector ships `icon.png`",
        );
    }
    if s.ops.len() > MAX_OPERATIONS {
        out.def(
            "F007",
            "/paths",
            format!(
                "{} operations, over the limit of {MAX_OPERATIONS}",
                s.ops.len()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{Case, CERTIFIED_PROPS};
    use crate::model::Tier;
    use crate::problem::Severity;

    #[test]
    fn f001_definition_name() {
        let got = Case::new(Tier::Certified)
            .definition_name("apidefinition.swagger.json")
            .run();
        let hit = got.expect("F001", Severity::Error, 0, 0);
        assert!(
            hit.path.ends_with("Test/apidefinition.swagger.json"),
            "{}",
            hit.path
        );
        Case::new(Tier::Certified).run().none("F001");
    }

    #[test]
    fn f002_strict_json_says_what_was_recovered() {
        let broken = crate::lint::testing::GOOD_DEFINITION
            .replace("\"version\": \"1.0\",", "\"version\": \"1.0\",,");
        let got = Case::new(Tier::Certified).definition(&broken).run();
        let (line, column) = crate::lint::testing::at(&broken, ",,");
        let hit = got.expect("F002", Severity::Error, line, column + 1);
        assert!(hit.message.contains("not strict JSON"), "{}", hit.message);
        let bom = format!("\u{feff}{}", crate::lint::testing::GOOD_DEFINITION);
        Case::new(Tier::Certified)
            .definition(&bom)
            .run()
            .expect("F002", Severity::Error, 1, 1);
        Case::new(Tier::Certified).run().none("F002");
    }

    #[test]
    fn f003_properties_present_and_valid() {
        Case::new(Tier::Certified)
            .no_properties()
            .run()
            .expect("F003", Severity::Error, 0, 0);
        let broken = "{\"properties\": {\"publisher\": \"A\",}}";
        Case::new(Tier::Certified)
            .properties(broken)
            .run()
            .expect_at("F003", Severity::Error, broken, ",}");
        Case::new(Tier::Certified).run().none("F003");
    }

    #[test]
    fn f004_readme_required() {
        let fail = Case::new(Tier::Certified).no_readme().run();
        fail.expect("F004", Severity::Error, 0, 0);
        let custom = Case::new(Tier::Custom).no_readme().run();
        custom.expect("F004", Severity::Warning, 0, 0);
        Case::new(Tier::Certified).run().none("F004");
    }

    #[test]
    fn f005_large_definition() {
        let big = format!(
            "{{\"swagger\": \"2.0\", \"x-pad\": \"{}\"}}",
            "a".repeat(1024 * 1024 + 10)
        );
        Case::new(Tier::Certified)
            .definition(&big)
            .run()
            .expect("F005", Severity::Warning, 1, 1);
        Case::new(Tier::Certified).run().none("F005");
    }

    #[test]
    fn f006_independent_publisher_ships_no_icon() {
        let fail = Case::new(Tier::IndependentPublisher).icon().run();
        let hit = fail.expect("F006", Severity::Error, 0, 0);
        assert_eq!(hit.path, "independent-publisher-connectors/Test/icon.png");
        Case::new(Tier::IndependentPublisher).run().none("F006");
        Case::new(Tier::Certified).icon().run().none("F006");
    }

    #[test]
    fn f007_too_many_operations() {
        let paths: Vec<String> = (0..257)
            .map(|i| {
                format!(
                    "\"/p{i}\": {{\"get\": {{\"operationId\": \"Op{i}\", \"responses\": {{}}}}}}"
                )
            })
            .collect();
        let def = format!(
            "{{\"swagger\": \"2.0\",\n\"paths\": {{{}}}}}",
            paths.join(",")
        );
        Case::new(Tier::Certified)
            .definition(&def)
            .properties(CERTIFIED_PROPS)
            .run()
            .expect("F007", Severity::Error, 2, 10);
        Case::new(Tier::Certified).run().none("F007");
    }
}
