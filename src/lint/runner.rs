//! The runner: reads each connector folder once (the definition and apiProperties as values;
//! the model is built from those same values only when a rule compares models), runs every
//! rule family, passes on what the parser found, locates everything, and applies the `[lint]`
//! configuration. Folders are linted in parallel.
//!
//! `lint_folder` takes `Inputs::previous`, the connector's model at its previous git revision;
//! `lint_path` finds it for each folder through `Inputs::baseline` when the checked path is in
//! a git working tree. V008 reports the breaking changes from it to the current files.

use crate::config::LintConfig;
use crate::discover::{self, Found};
use crate::history::previous::Baseline;
use crate::lint::context::{self, Finding, Findings, Lines, SourceLine, Subject, TextFile};
use crate::lint::{
    breaking, connection, extensions, files, metadata, operations, overlap, parameters, readme,
    registry, triggers, versioning, walk,
};
use crate::model::{Connector, Tier};
use crate::parse::{self, ParsedValues};
use crate::problem::{Problem, Severity};
use crate::similar::CatalogIndex;
use crate::source::{self, Tree};
use anyhow::Result;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Optional inputs of a lint besides the folder itself.
#[derive(Clone, Copy, Default)]
pub struct Inputs<'a> {
    /// The connector at its previous revision, for V008 (breaking changes).
    pub previous: Option<&'a Connector>,
    /// The git working tree of the checked path: each folder's previous revision (V008)
    /// comes from it when `previous` is not given.
    pub baseline: Option<&'a Baseline>,
    /// Existing connectors, for the overlap findings (X001, X002).
    pub against: Option<&'a CatalogIndex<'a>>,
    /// Build and return the connector's model even when no rule needs it.
    pub model: bool,
}

/// One linted connector folder.
pub struct Linted {
    /// The model, when one was built (see `Inputs`).
    pub connector: Option<Connector>,
    pub folder: String,
    pub findings: Vec<Finding>,
}

type Family = fn(&Subject, &mut Findings);

/// Every rule family, in report order. `anywhere` is the one pass over every object of the
/// definition that the rules about keys found anywhere share (O011, O012, P008–P010).
const FAMILIES: [Family; 11] = [
    files::check,
    metadata::check,
    operations::check,
    versioning::check,
    breaking::check,
    parameters::check,
    triggers::check,
    connection::check,
    readme::check,
    overlap::check,
    anywhere,
];

/// A connector folder's files, each read once: the JSON files as values, the readme and
/// intro as text.
struct Read {
    values: ParsedValues,
    readme: Option<TextFile>,
    intro: Option<String>,
}

impl Read {
    fn of(found: &Found, tree: &dyn Tree) -> Read {
        let mut values = parse::read_values(found, tree);
        let (readme, intro) = parse::read_texts(found, tree, &mut values.problems);
        let readme = readme
            .zip(found.files().readme())
            .map(|(text, rel)| TextFile { rel, text });
        Read {
            values,
            readme,
            intro,
        }
    }

    /// The model, built from copies of the values (the rules still need them).
    fn model(&self, found: &Found) -> Connector {
        let readme = self.readme.as_ref().map(|r| r.text.clone());
        parse::connector_from_values(found, &self.values, readme, self.intro.clone())
    }

    /// The model, the values moving into it (the rules are done with them).
    fn into_model(self, found: &Found) -> Connector {
        let readme = self.readme.map(|r| r.text);
        parse::connector_from_owned(found, self.values, readme, self.intro)
    }

    /// Every rule's findings and the parser's, located and sorted.
    fn findings(&self, found: &Found, model: Option<&Connector>, inputs: Inputs) -> Vec<Finding> {
        let mut subject = Subject::new(
            found,
            self.values.definition.as_ref(),
            self.values.properties.as_ref(),
            self.readme.as_ref(),
        );
        subject.model = model;
        subject.previous = inputs.previous;
        subject.against = inputs.against;
        let mut findings = run_rules(&subject);
        findings.extend(parser_findings(&self.values, self.readme.as_ref()));
        sort(&mut findings);
        findings
    }
}

/// Lints one connector folder of a source tree, reading each of its files once.
pub fn lint_folder(found: &Found, tree: &dyn Tree, inputs: Inputs) -> Linted {
    let read = Read::of(found, tree);
    // V008 and the overlap rules compare models, so the model is built before the rules;
    // otherwise it is built after them, from the values the rules are done with.
    let compares = inputs.previous.is_some() || inputs.against.is_some();
    let early = compares.then(|| read.model(found));
    let findings = read.findings(found, early.as_ref(), inputs);
    let connector = early.or_else(|| inputs.model.then(|| read.into_model(found)));
    Linted {
        connector,
        folder: found.rel().to_string(),
        findings,
    }
}

/// The build's parse stage for one folder: its model and the linter's findings, each file
/// read and parsed once.
pub fn model_and_findings(found: &Found, tree: &dyn Tree) -> (Connector, Vec<Finding>) {
    let read = Read::of(found, tree);
    let findings = read.findings(found, None, Inputs::default());
    (read.into_model(found), findings)
}

/// Runs every family on a subject and locates the findings.
pub fn run_rules(subject: &Subject) -> Vec<Finding> {
    let mut out = Findings::default();
    for family in FAMILIES {
        family(subject, &mut out);
    }
    context::locate(subject, out.items)
}

/// One walk over every object of the definition for the rules that look at keys anywhere.
fn anywhere(s: &Subject, out: &mut Findings) {
    let def = s.def();
    let ids = parameters::operation_ids(s);
    walk::objects(def, &mut |node| {
        for (key, value) in node.map {
            extensions::visit_key(node, key, out);
            if key == "x-ms-visibility" {
                operations::visibility(node, value, out);
            }
            parameters::visit_key(def, node, key, value, &ids, out);
        }
    });
}

/// What discover and the parser reported (F001–F003, R003), at the rules' severity.
fn parser_findings(values: &ParsedValues, readme: Option<&TextFile>) -> Vec<Finding> {
    let text_of = |path: &str| -> Option<&str> {
        [&values.definition, &values.properties]
            .into_iter()
            .flatten()
            .find(|f| f.rel == path)
            .map(|f| f.text.as_str())
            .or_else(|| readme.filter(|r| r.rel == path).map(|r| r.text.as_str()))
    };
    let mut lines: Vec<(&str, Lines)> = Vec::new();
    let mut out = Vec::with_capacity(values.problems.len());
    for p in &values.problems {
        if p.line > 0 && !lines.iter().any(|(path, _)| *path == p.path) {
            if let Some(text) = text_of(&p.path) {
                lines.push((&p.path, Lines::of(text)));
            }
        }
        let source_line = lines
            .iter()
            .find(|(path, _)| *path == p.path)
            .and_then(|(_, l)| l.get(p.line))
            .map(|l| SourceLine::of_line(l, p.column));
        out.push(Finding {
            problem: relevel(p.clone()),
            source_line,
        });
    }
    out
}

/// A parser problem at its rule's severity (F002 recovered repairs are errors to the linter:
/// the platform rejects what this tool recovered).
fn relevel(mut p: Problem) -> Problem {
    if let Some(rule) = registry::lookup(p.rule) {
        p.severity = p.severity.max(rule.severity);
        if p.help.is_none() {
            p.help = Some(rule.help.into());
        }
    }
    p
}

/// Deterministic order, identical findings (a shared parameter used by many operations) once.
pub fn sort(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.problem.sort_key().cmp(&b.problem.sort_key()));
    findings.dedup_by(|a, b| a.problem == b.problem);
}

/// The result of linting one path given on the command line.
pub struct PathRun {
    /// The root that finding paths are relative to.
    pub base: PathBuf,
    pub linted: Vec<Linted>,
    /// Problems with folders that are not connectors.
    pub problems: Vec<Finding>,
}

/// Lints every connector folder under `path` (a repository, a folder of connectors or one
/// connector folder), in parallel.
pub fn lint_path(path: &Path, default_tier: Tier, inputs: Inputs) -> Result<PathRun> {
    crate::threads::ensure();
    let label = path.display().to_string();
    let opened = source::open(&label, None, &std::env::temp_dir())?;
    let tree = opened.tree.as_ref();
    let found = discover::discover(
        tree,
        &opened.start,
        opened.root_name.as_deref(),
        default_tier,
    );
    // A single connector folder is read from its parent, so paths keep the folder's name.
    let base = if opened.start.is_empty() {
        path.to_path_buf()
    } else {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        canonical
            .parent()
            .map_or(canonical.clone(), Path::to_path_buf)
    };
    let linted = found
        .folders
        .par_iter()
        .map(|f| {
            let previous = match (inputs.previous, inputs.baseline, f.files().definition()) {
                (None, Some(git), Some(def)) => git.previous(&base.join(def)),
                _ => None,
            };
            let inputs = Inputs {
                previous: inputs.previous.or(previous.as_ref()),
                ..inputs
            };
            lint_folder(f, tree, inputs)
        })
        .collect();
    let problems = found
        .problems
        .into_iter()
        .map(|p| Finding {
            problem: relevel(p),
            source_line: None,
        })
        .collect();
    Ok(PathRun {
        base,
        linted,
        problems,
    })
}

/// Applies `[lint]`: rules turned off are dropped, re-levelled ones get their new severity.
pub fn configure(config: &LintConfig, findings: &mut Vec<Finding>) {
    findings.retain(|f| !config.off.iter().any(|id| id == f.problem.rule));
    for f in findings.iter_mut() {
        if let Some(severity) = config.severity.get(f.problem.rule) {
            f.problem.severity = *severity;
        }
    }
}

/// Whether any finding is an error.
pub fn has_errors<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> bool {
    findings
        .into_iter()
        .any(|f| f.problem.severity == Severity::Error)
}
