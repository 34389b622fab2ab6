//! Test support: a connector folder written to a temporary directory from literal files,
//! linted, with assertions on rule id, severity, line and column.

use crate::discover;
use crate::lint::context::Finding;
use crate::lint::runner::{lint_folder, Inputs};
use crate::model::{Connector, Tier};
use crate::problem::{Problem, Severity};
use crate::similar::CatalogIndex;
use crate::source::DirTree;
use std::fs;
use std::path::Path;

/// apiProperties.json that passes the metadata and connection rules for certified connectors
/// (the fixture `tests/lint_check.rs` checks through the command line, too).
pub const CERTIFIED_PROPS: &str =
    include_str!("../../tests/fixtures/contoso-tasks/apiProperties.json");

/// apiProperties.json for independent publishers.
pub const INDEPENDENT_PROPS: &str = r##"{"properties": {"publisher": "Sam", "stackOwner": "Contoso", "iconBrandColor": "#da3b01"}}"##;

/// A small definition with no findings of its own.
pub const GOOD_DEFINITION: &str =
    include_str!("../../tests/fixtures/contoso-tasks/apiDefinition.swagger.json");

/// A readme with every section, listing `ListTasks`.
pub const GOOD_README: &str = include_str!("../../tests/fixtures/contoso-tasks/readme.md");

/// A connector folder to lint.
pub struct Case {
    tier: Tier,
    definition: String,
    properties: Option<String>,
    readme: Option<Vec<u8>>,
    icon: bool,
    definition_name: String,
}

impl Case {
    pub fn new(tier: Tier) -> Case {
        let properties = match tier {
            Tier::IndependentPublisher => INDEPENDENT_PROPS,
            _ => CERTIFIED_PROPS,
        };
        Case {
            tier,
            definition: GOOD_DEFINITION.to_string(),
            properties: Some(properties.to_string()),
            readme: Some(GOOD_README.as_bytes().to_vec()),
            icon: false,
            definition_name: "apiDefinition.swagger.json".to_string(),
        }
    }

    pub fn definition(mut self, text: &str) -> Case {
        self.definition = text.to_string();
        self
    }

    pub fn properties(mut self, text: &str) -> Case {
        self.properties = Some(text.to_string());
        self
    }

    pub fn no_properties(mut self) -> Case {
        self.properties = None;
        self
    }

    pub fn readme(mut self, text: &str) -> Case {
        self.readme = Some(text.as_bytes().to_vec());
        self
    }

    /// A readme given as raw bytes (to test encodings).
    pub fn readme_bytes(mut self, bytes: &[u8]) -> Case {
        self.readme = Some(bytes.to_vec());
        self
    }

    pub fn no_readme(mut self) -> Case {
        self.readme = None;
        self
    }

    /// Writes the definition under another file name.
    pub fn definition_name(mut self, name: &str) -> Case {
        self.definition_name = name.to_string();
        self
    }

    pub fn icon(mut self) -> Case {
        self.icon = true;
        self
    }

    pub fn run(self) -> Outcome {
        self.run_with(None, None)
    }

    /// Lints with a previous revision (V008).
    pub fn against_previous(self, previous: &Connector) -> Outcome {
        self.run_with(Some(previous), None)
    }

    /// Lints against existing connectors (X001, X002).
    pub fn against_catalog(self, catalog: &[Connector]) -> Outcome {
        let index = CatalogIndex::new(catalog);
        self.run_with(None, Some(&index))
    }

    /// The model of this connector (to use as a previous revision or a catalog entry).
    pub fn connector(self) -> Connector {
        self.run().connector
    }

    fn run_with(self, previous: Option<&Connector>, against: Option<&CatalogIndex>) -> Outcome {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join(self.tier.folder()).join("Test");
        fs::create_dir_all(&dir).expect("mkdir");
        write(&dir.join(&self.definition_name), &self.definition);
        if let Some(p) = &self.properties {
            write(&dir.join("apiProperties.json"), p);
        }
        if let Some(r) = &self.readme {
            fs::write(dir.join("readme.md"), r).expect("write");
        }
        if self.icon {
            write(&dir.join("icon.png"), "\u{89}PNG");
        }
        let tree = DirTree::new(tmp.path());
        let found = discover::discover(&tree, "", None, Tier::Custom);
        let folder = found.folders.first().expect("one connector folder");
        let linted = lint_folder(
            folder,
            &tree,
            Inputs {
                previous,
                baseline: None,
                against,
                model: true,
            },
        );
        Outcome {
            connector: linted.connector.expect("the model was asked for"),
            findings: linted.findings,
        }
    }
}

fn write(path: &Path, text: &str) {
    fs::write(path, text).expect("write");
}

/// The findings of a lint.
pub struct Outcome {
    pub connector: Connector,
    pub findings: Vec<Finding>,
}

impl Outcome {
    fn of(&self, rule: &str) -> Vec<&Problem> {
        self.findings
            .iter()
            .map(|f| &f.problem)
            .filter(|p| p.rule == rule)
            .collect()
    }

    /// Asserts a finding of `rule` with this severity at this line and column; returns it.
    pub fn expect(&self, rule: &str, severity: Severity, line: u32, column: u32) -> &Problem {
        let all = self.of(rule);
        all.iter()
            .find(|p| p.severity == severity && p.line == line && p.column == column)
            .copied()
            .unwrap_or_else(|| {
                panic!("no {rule} {severity} at {line}:{column}; {rule} findings: {all:#?}")
            })
    }

    /// Asserts there is no finding of `rule`.
    pub fn none(&self, rule: &str) {
        let all = self.of(rule);
        assert!(all.is_empty(), "unexpected {rule} findings: {all:#?}");
    }

    pub fn count(&self, rule: &str) -> usize {
        self.of(rule).len()
    }

    /// The messages of `rule`'s findings.
    pub fn messages(&self, rule: &str) -> Vec<String> {
        self.of(rule).iter().map(|p| p.message.clone()).collect()
    }
}

#[test]
fn the_good_connector_has_no_findings() {
    let out = Case::new(Tier::Certified).icon().run();
    let all: Vec<String> = out.findings.iter().map(|f| f.problem.to_string()).collect();
    assert!(all.is_empty(), "{all:#?}");
}

/// Line and column (1-based, in characters) where `needle` first occurs in `text`.
pub fn at(text: &str, needle: &str) -> (u32, u32) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u32, column as u32)
}

impl Outcome {
    /// Like `expect`, at the position of `needle` in `text`.
    pub fn expect_at(&self, rule: &str, severity: Severity, text: &str, needle: &str) -> &Problem {
        let (line, column) = at(text, needle);
        self.expect(rule, severity, line, column)
    }
}

/// Like `at`, for the first `needle` after the first `anchor`.
pub fn at_after(text: &str, anchor: &str, needle: &str) -> (u32, u32) {
    let start = text
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor:?} not in the text"));
    let (line, column) = at(&text[start..], needle);
    let (anchor_line, anchor_column) = at(text, anchor);
    if line == 1 {
        (anchor_line, anchor_column + column - 1)
    } else {
        (anchor_line + line - 1, column)
    }
}
