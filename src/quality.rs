//! Documentation quality: how completely a connector documents itself, and what the linter
//! finds in it. The completeness score is what the list sorts by, the connector page's
//! quality panel explains and the site-wide quality page ranks; the findings are the same
//! `switchyard check` prints, so a publisher sees one verdict everywhere.

use crate::config::LintConfig;
use crate::discover::Found;
use crate::lint::runner;
use crate::model::{Connector, ParamLocation};
use crate::problem::Problem;
use crate::source::Tree;
use crate::spill::Spill;
use crate::threads;
use serde::Serialize;

/// One measured part of the completeness score: `done` of `of` things documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Part {
    pub label: &'static str,
    pub done: usize,
    pub of: usize,
}

impl Part {
    /// The share done, 0–1; an empty part counts as done (nothing was left undocumented).
    pub fn share(&self) -> f64 {
        if self.of == 0 {
            1.0
        } else {
            self.done as f64 / self.of as f64
        }
    }

    pub fn percent(&self) -> u8 {
        (self.share() * 100.0).round() as u8
    }
}

/// How completely a connector is documented: five equal parts, and their mean as a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub parts: [Part; 5],
    /// 0–100.
    pub score: u8,
}

impl Completeness {
    /// Measures `c`: a readme; operations with a summary; operations with a description;
    /// parameters makers see (not internal, not a body) with a summary or a description;
    /// operations whose output is described (a response schema, or a trigger's payload).
    pub fn of(c: &Connector) -> Completeness {
        let ops = &c.details().operations;
        let count =
            |f: &dyn Fn(&crate::model::Operation) -> bool| ops.iter().filter(|o| f(o)).count();
        let params: Vec<_> = ops
            .iter()
            .flat_map(|o| o.parameters.iter())
            .filter(|p| !p.visibility.is_internal() && p.location != ParamLocation::Body)
            .collect();
        let params_done = params
            .iter()
            .filter(|p| p.summary.is_some() || p.description.is_some())
            .count();
        let parts = [
            Part {
                label: "Readme",
                done: usize::from(c.details().readme.is_some()),
                of: 1,
            },
            Part {
                label: "Operations with a summary",
                done: count(&|o| o.summary.is_some()),
                of: ops.len(),
            },
            Part {
                label: "Operations with a description",
                done: count(&|o| o.description.is_some()),
                of: ops.len(),
            },
            Part {
                label: "Parameters with a summary or description",
                done: params_done,
                of: params.len(),
            },
            Part {
                label: "Operations with a response schema",
                done: count(&|o| o.success_response().is_some_and(|r| r.schema.is_some())),
                of: ops.len(),
            },
        ];
        let mean = parts.iter().map(Part::share).sum::<f64>() / parts.len() as f64;
        // A definition without operations documents nothing, whatever its readme says.
        let score = if ops.is_empty() { 0.0 } else { mean * 100.0 };
        Completeness {
            parts,
            score: score.round() as u8,
        }
    }
}

/// Rules the parse stage already reports as the connector's problems; the quality panel
/// leaves them out rather than saying the same thing twice.
const PARSER_RULES: [&str; 4] = ["F001", "F002", "F003", "R003"];

/// Findings that are problems of the build, not of the documentation's quality: a `$ref`
/// that resolves to nothing leaves a hole in the connector's page. The converter finds those
/// of parameters and responses, the linter every one (schemas included, which the converter
/// keeps as names); each goes to the connector's problems (the build's summary,
/// `catalog.json`, `serve`'s overlay) once, in the linter's words.
const UNRESOLVED_RULES: [&str; 1] = ["P010"];

/// The parse stage of the build: every found folder read once (in parallel, in `found`
/// order) into its connector, with the linter's findings under the site's `[lint]` settings
/// in its details (`Details::lint`; what the parse stage already reports as problems is left
/// out).
/// With a `spill`, each connector's details go to disk as soon as it is read.
pub fn read_all(
    found: Vec<Found>,
    tree: &dyn Tree,
    config: &LintConfig,
    spill: Option<&Spill>,
) -> anyhow::Result<Vec<Connector>> {
    let read = |i: usize, f: Found| {
        let mut c = read(&f, tree, config);
        if let Some(spill) = spill {
            spill.put(i, &mut c)?;
            // Saving memory: the pages list the folder afresh.
            tree.forget_listings_under(f.rel());
        }
        Ok(c)
    };
    threads::map_largest_first_taking(found, Found::definition_bytes, read)
        .into_iter()
        .collect()
}

/// One folder read into its connector and linted (the build, and `serve` after an edit).
pub fn read(found: &Found, tree: &dyn Tree, config: &LintConfig) -> Connector {
    let (mut connector, mut findings) = runner::model_and_findings(found, tree);
    runner::configure(config, &mut findings);
    let mut unresolved = Vec::new();
    for p in findings.into_iter().map(|f| f.problem) {
        if UNRESOLVED_RULES.contains(&p.rule) {
            unresolved.push(p);
        } else if !PARSER_RULES.contains(&p.rule) {
            connector.details_mut().lint.push(p);
        }
    }
    if !unresolved.is_empty() {
        // A set of places, not a search per problem: thousands of broken `$ref`s would
        // make that quadratic.
        let place = |p: &Problem| (p.rule, p.path.clone(), p.line, p.column);
        let places: std::collections::HashSet<_> = unresolved.iter().map(place).collect();
        let problems = &mut connector.problems;
        problems.retain(|q| !places.contains(&place(q)));
        problems.extend(unresolved);
        problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    connector
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::Case;
    use crate::model::Tier;

    /// Two GET operations: the first fully documented, the second with a summary only and
    /// an undescribed query parameter; a body parameter that is not counted.
    const HALF_DOCUMENTED: &str = r#"{"swagger": "2.0", "info": {"title": "T", "version": "1.0"},
      "paths": {
        "/a": {"get": {"operationId": "A", "summary": "Get A", "description": "Gets A.",
          "parameters": [{"name": "q", "in": "query", "type": "string", "x-ms-summary": "Query"}],
          "responses": {"200": {"description": "OK"}}}},
        "/b": {"post": {"operationId": "B", "summary": "Post B",
          "parameters": [{"name": "p", "in": "query", "type": "string"},
                         {"name": "body", "in": "body", "schema": {"type": "object"}}],
          "responses": {"200": {"description": "OK", "schema": {"type": "object"}}}}}}}"#;

    #[test]
    fn every_part_counts_the_same() {
        let c = Case::new(Tier::Certified)
            .definition(HALF_DOCUMENTED)
            .connector();
        let q = Completeness::of(&c);
        let percents: Vec<u8> = q.parts.iter().map(Part::percent).collect();
        assert_eq!(percents, [100, 100, 50, 50, 50]);
        assert_eq!(q.parts[3].of, 2, "the body parameter is not counted");
        assert_eq!(q.score, 70);
    }

    #[test]
    fn the_good_connector_is_complete() {
        let c = Case::new(Tier::Certified).connector();
        assert_eq!(Completeness::of(&c).score, 100);
    }

    #[test]
    fn a_connector_without_operations_scores_zero() {
        let c = Case::new(Tier::Certified)
            .definition(
                r#"{"swagger": "2.0", "info": {"title": "T", "version": "1.0"}, "paths": {}}"#,
            )
            .connector();
        assert!(c.details().readme.is_some());
        assert_eq!(Completeness::of(&c).score, 0);
    }

    /// A source tree with one connector folder holding `definition`, and what discover
    /// finds in it (the tree lives in the returned temporary folder).
    fn one_folder(definition: &str) -> (tempfile::TempDir, crate::source::DirTree, Vec<Found>) {
        let dir = tempfile::tempdir().expect("temp");
        let folder = dir.path().join("Connector");
        std::fs::create_dir_all(&folder).expect("mkdir");
        std::fs::write(folder.join("apiDefinition.swagger.json"), definition).expect("write");
        let tree = crate::source::DirTree::new(dir.path());
        let found = crate::discover::discover(&tree, "", None, Tier::Custom).folders;
        (dir, tree, found)
    }

    #[test]
    fn read_all_keeps_rule_findings_and_leaves_parser_problems_to_the_parse_stage() {
        let (_dir, tree, found) = one_folder(
            r#"{"swagger": "2.0", "info": {"title": "T", "version": "1.0",}, "paths": {"/a": {"get": {"operationId": "A", "x-ms-visiblity": "internal", "responses": {"200": {"description": "OK"}}}}}}"#,
        );
        let mut config = LintConfig::default();
        let all = read_all(found.clone(), &tree, &config, None).expect("reads");
        assert_eq!(all.len(), 1);
        let rules: Vec<&str> = all[0].details().lint.iter().map(|p| p.rule).collect();
        assert!(rules.contains(&"O011"), "{rules:?}");
        assert!(!rules.contains(&"F002"), "{rules:?}");
        let parsed: Vec<&str> = all[0].problems.iter().map(|p| p.rule).collect();
        assert!(
            parsed.contains(&"F002"),
            "the parse problem stays a problem: {parsed:?}"
        );
        assert_eq!(all[0].details().operations.len(), 1);
        config.off.push("O011".into());
        let quiet = read_all(found.clone(), &tree, &config, None).expect("reads");
        assert!(!quiet[0].details().lint.iter().any(|p| p.rule == "O011"));
    }

    /// Regression: a `$ref` to a missing definition was only a finding of the quality panel
    /// (not in `catalog.json` nor the build's summary), and one to a missing parameter was
    /// shown twice on the page, once by the converter and once by the linter.
    #[test]
    fn an_unresolved_ref_is_one_problem_of_the_build_wherever_it_points() {
        let (_dir, tree, found) = one_folder(
            r##"{"swagger": "2.0", "info": {"title": "T", "version": "1.0"},
  "paths": {"/a": {"get": {"operationId": "A", "parameters": [{"$ref": "#/parameters/Nope"}],
    "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Missing"}}}}}},
  "definitions": {"Loop": {"type": "object", "properties": {"self": {"$ref": "#/definitions/Loop"}}}}}"##,
        );
        let c = read(&found[0], &tree, &LintConfig::default());
        let refs: Vec<(u32, u32, &str)> = c
            .problems
            .iter()
            .filter(|p| p.rule == "P010")
            .map(|p| (p.line, p.column, p.message.as_str()))
            .collect();
        assert_eq!(
            refs,
            vec![
                (2, 72, "`$ref` to `#/parameters/Nope`, which is not defined"),
                (
                    3,
                    67,
                    "`$ref` to `#/definitions/Missing`, which is not defined"
                ),
            ],
            "each missing target once, located; the self-reference is not a problem"
        );
        assert!(c
            .problems
            .iter()
            .filter(|p| p.rule == "P010")
            .all(|p| p.severity == crate::problem::Severity::Error));
        assert!(
            !c.details().lint.iter().any(|p| p.rule == "P010"),
            "not repeated in the quality panel"
        );
        let mut off = LintConfig::default();
        off.off.push("P010".into());
        let quiet = read(&found[0], &tree, &off);
        assert_eq!(
            quiet.problems.iter().filter(|p| p.rule == "P010").count(),
            1,
            "with P010 off, the converter still says the parameter is missing: {:?}",
            quiet.problems
        );
    }
}
