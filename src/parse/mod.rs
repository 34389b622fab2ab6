//! Parse: read each connector folder's files and build its `Connector` (in parallel).
//!
//! The fast path is plain serde_json straight into the raw types. When a file is not strict
//! JSON, the lenient parser recovers what it can and every repair becomes a located warning;
//! what cannot be recovered is a located error and the connector is still listed with what
//! its other files say. A bad file never stops the catalog.

pub mod convert;
pub mod decode;
pub mod keyed;
pub mod lenient;
pub mod locate;
pub mod normalize;
pub mod pointer;
pub mod position;
pub mod raw;
pub mod strict;

use crate::discover::Found;
use crate::model::{About, AboutParts, Connector, Details, FileKind, Names};
use crate::problem::{Problem, Severity};
use crate::source::Tree;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The rule a definition's reading and parsing problems are reported under.
pub const DEFINITION_RULE: &str = "F002";

/// Files larger than this are not read at all (a definition over 1 MB is already a warning).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The text of a file that was read, with the problems met while reading it.
pub struct Loaded<T> {
    pub value: T,
    pub text: Option<String>,
}

pub fn parse_connector(found: &Found, tree: &dyn Tree) -> Connector {
    let mut problems = found.problems.clone();
    let definition: Loaded<raw::RawDefinition> = match found.files().definition() {
        Some(p) => load_json(
            tree,
            &p,
            DEFINITION_RULE,
            found.definition_bytes(),
            &mut problems,
        ),
        None => Loaded {
            value: Default::default(),
            text: None,
        },
    };
    let properties: raw::RawProperties = match found.files().path(FileKind::Properties) {
        Some(p) => load_json(tree, &p, "F003", 0, &mut problems).value,
        None => {
            missing_properties(found, &mut problems);
            Default::default()
        }
    };
    let (readme, intro) = read_texts(found, tree, &mut problems);
    let texts = Texts {
        definition: definition
            .text
            .as_deref()
            .map(|t| (t, position::Text::Unknown)),
        readme,
        intro,
        problems,
    };
    assemble(found, definition.value, properties, texts)
}

/// The model of one definition's text alone (an older revision read from git, for the
/// changelog): the same strict-then-lenient parsing and conversion as the build, with no
/// other file of the folder. Parsing problems go to `problems`.
pub fn definition_model(rel: &str, text: &str, problems: &mut Vec<Problem>) -> Connector {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let name = crate::source::base_name(rel);
    let found = Found::new(
        dir,
        crate::model::Tier::Certified,
        [Some(name), None, None, None, None, None],
        (text.len() as u64, 0),
    );
    let definition = parse_text(text, rel, DEFINITION_RULE, problems);
    let texts = Texts {
        definition: None,
        readme: None,
        intro: None,
        problems: Vec::new(),
    };
    assemble(&found, definition, Default::default(), texts)
}

/// A JSON file read into a `serde_json::Value`, with its text (for locating findings).
pub struct JsonFile {
    /// Path relative to the source root.
    pub rel: String,
    pub text: String,
    /// `None` when the file could not be read as a JSON object, even leniently.
    pub value: Option<Value>,
    /// `Clean` when the text is strict JSON without a repeated key (no repair was needed),
    /// for `position::locate`.
    pub kind: position::Text,
}

/// The files of a connector read as values: what the linter works on. Parsing problems are
/// in `problems`, reported as `parse_connector` reports them.
pub struct ParsedValues {
    pub definition: Option<JsonFile>,
    pub properties: Option<JsonFile>,
    pub problems: Vec<Problem>,
}

/// Reads a connector folder's JSON files as values (one parse per file).
pub fn read_values(found: &Found, tree: &dyn Tree) -> ParsedValues {
    let mut problems = found.problems.clone();
    let definition = found.files().definition().and_then(|p| {
        load_value(
            tree,
            &p,
            DEFINITION_RULE,
            found.definition_bytes(),
            &mut problems,
        )
    });
    let properties = match found.files().path(FileKind::Properties) {
        Some(p) => load_value(tree, &p, "F003", 0, &mut problems),
        None => {
            missing_properties(found, &mut problems);
            None
        }
    };
    ParsedValues {
        definition,
        properties,
        problems,
    }
}

/// Builds the connector from values read by `read_values` (copied: the caller keeps them),
/// with the readme and intro the caller read: the same model as `parse_connector`, without
/// reading or parsing anything a second time.
pub fn connector_from_values(
    found: &Found,
    values: &ParsedValues,
    readme: Option<String>,
    intro: Option<String>,
) -> Connector {
    let mut problems = values.problems.clone();
    let definition: raw::RawDefinition =
        typed(values.definition.as_ref(), DEFINITION_RULE, &mut problems);
    let properties: raw::RawProperties = typed(values.properties.as_ref(), "F003", &mut problems);
    let texts = Texts {
        definition: values
            .definition
            .as_ref()
            .map(|f| (f.text.as_str(), f.kind)),
        readme,
        intro,
        problems,
    };
    assemble(found, definition, properties, texts)
}

/// Builds the connector from values read by `read_values` once nothing else needs them: the
/// values move into the model instead of being copied (the build's parse stage lints the
/// values first, then hands them here). `readme` and `intro` were read by the caller.
pub fn connector_from_owned(
    found: &Found,
    values: ParsedValues,
    readme: Option<String>,
    intro: Option<String>,
) -> Connector {
    let ParsedValues {
        definition,
        properties,
        mut problems,
    } = values;
    let (definition, definition_text) = typed_owned(definition, DEFINITION_RULE, &mut problems);
    let (properties, _) = typed_owned(properties, "F003", &mut problems);
    let texts = Texts {
        definition: definition_text
            .as_ref()
            .map(|(t, kind)| (t.as_str(), *kind)),
        readme,
        intro,
        problems,
    };
    assemble(found, definition, properties, texts)
}

fn typed<T: DeserializeOwned + Default>(
    file: Option<&JsonFile>,
    rule: &'static str,
    problems: &mut Vec<Problem>,
) -> T {
    match file {
        Some(JsonFile {
            rel,
            value: Some(v),
            ..
        }) => raw_from_value(v, rel, rule, problems),
        _ => T::default(),
    }
}

/// `typed`, consuming the file: the raw type, and the file's text with what it is.
fn typed_owned<T: DeserializeOwned + Default>(
    file: Option<JsonFile>,
    rule: &'static str,
    problems: &mut Vec<Problem>,
) -> (T, Option<(String, position::Text)>) {
    let Some(JsonFile {
        rel,
        text,
        value,
        kind,
    }) = file
    else {
        return (T::default(), None);
    };
    let Some(value) = value else {
        return (T::default(), Some((text, kind)));
    };
    match T::deserialize(value) {
        Ok(v) => (v, Some((text, kind))),
        Err(error) => {
            // Rare (the raw types accept nearly anything): the value was consumed, so it is
            // read again from the text and salvaged element by element.
            problems.push(structure_warning(&error, rel, rule));
            let again = serde_json::from_str::<Value>(&text)
                .ok()
                .or_else(|| lenient::parse_lenient(&text).ok().map(|(v, _)| v));
            let salvaged = again
                .and_then(|v| raw::from_value_salvaging(v).ok())
                .unwrap_or_default();
            (salvaged, Some((text, kind)))
        }
    }
}

fn structure_warning(error: &serde_json::Error, rel: String, rule: &'static str) -> Problem {
    Problem::new(
        rule,
        Severity::Warning,
        rel,
        format!("unexpected structure: {error}; skipped what did not fit"),
    )
}

/// The readme and intro of a folder, read and decoded (problems reported as R003).
pub fn read_texts(
    found: &Found,
    tree: &dyn Tree,
    problems: &mut Vec<Problem>,
) -> (Option<String>, Option<String>) {
    let mut read =
        |rel: Option<String>| rel.and_then(|p| read_decoded(tree, &p, "R003", 0, problems));
    let readme = read(found.files().readme());
    let intro = read(found.files().intro());
    (readme, intro)
}

fn missing_properties(found: &Found, problems: &mut Vec<Problem>) {
    problems.push(
        Problem::new(
            "F003",
            Severity::Error,
            found.rel().to_string(),
            "no `apiProperties.json` in this folder",
        )
        .help("add apiProperties.json with publisher, stackOwner and connection parameters"),
    );
}

/// What `assemble` needs besides the raw types: the definition text, the readme and intro,
/// and the problems so far.
struct Texts<'a> {
    /// The definition's text and what it is known to be.
    definition: Option<(&'a str, position::Text)>,
    readme: Option<String>,
    intro: Option<String>,
    problems: Vec<Problem>,
}

fn assemble(
    found: &Found,
    definition: raw::RawDefinition,
    properties: raw::RawProperties,
    texts: Texts,
) -> Connector {
    let Texts {
        definition: definition_text,
        readme,
        intro,
        mut problems,
    } = texts;
    let c = convert::convert(definition, properties);
    if let (Some(path), Some((text, kind))) = (found.files().definition(), definition_text) {
        locate_findings(&c.findings, text, kind, &path, &mut problems);
    }
    problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    problems.dedup();
    Connector {
        names: Names::new(found.rel(), found.folder(), ""),
        tier: found.tier,
        files: found.files.clone().without_folder(found.rel()),
        about: About::pack(AboutParts {
            info: c.info,
            metadata: c.metadata,
            host: c.host,
            publisher: c.publisher,
            stack_owner: c.stack_owner,
            brand_color: c.brand_color,
        }),
        script_operations: c.script_operations,
        copilot_manifest: c.copilot_manifest,
        details: Some(Box::new(Details {
            contact: c.contact,
            website: c.links.website,
            privacy_policy: c.links.privacy_policy,
            base_path: c.base_path,
            schemes: c.schemes,
            auth: c.auth,
            connection_sets: c.connection_sets,
            policies: c.policies,
            capabilities: c.capabilities,
            test_connection: c.test_connection,
            operations: c.operations,
            definitions: c.definitions,
            readme,
            intro,
            lint: Vec::new(),
        })),
        problems,
        history: None,
        lint_noted: None,
        docs_score: None,
        auth_noted: None,
        policies_noted: None,
        stubs: Default::default(),
    }
}

fn locate_findings(
    findings: &[convert::Finding],
    text: &str,
    kind: position::Text,
    path: &str,
    problems: &mut Vec<Problem>,
) {
    if findings.is_empty() {
        return;
    }
    let pointers: Vec<&str> = findings.iter().map(|f| f.pointer.as_str()).collect();
    for (f, place) in findings.iter().zip(position::locate(text, kind, &pointers)) {
        let span = place.span;
        problems.push(
            Problem::new(f.rule, f.severity, path, f.message.clone())
                .at(span.line, span.column)
                .pointer(f.pointer.clone()),
        );
    }
}

/// Reads and decodes a file, reporting encoding repairs under `rule`.
pub fn read_decoded(
    tree: &dyn Tree,
    rel: &str,
    rule: &'static str,
    size: u64,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let bytes = match read_bounded(tree, rel, size) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::new(
                rule,
                Severity::Error,
                rel,
                format!("cannot read the file: {e}"),
            ));
            return None;
        }
    };
    let decoded = decode::decode_owned(bytes);
    match decoded.encoding {
        decode::Encoding::Utf8 => {}
        // A byte-order mark is harmless in Markdown; in JSON the platform rejects it.
        decode::Encoding::Utf8Bom if rule.starts_with('R') => {}
        decode::Encoding::Utf8Bom => problems.push(
            Problem::new(
                rule,
                Severity::Warning,
                rel,
                "starts with a UTF-8 byte-order mark; ignored it",
            )
            .at(1, 1)
            .help("save the file as UTF-8 without BOM"),
        ),
        decode::Encoding::Utf16Le | decode::Encoding::Utf16Be => problems.push(
            Problem::new(
                rule,
                Severity::Warning,
                rel,
                "is UTF-16, not UTF-8; decoded it as UTF-16",
            )
            .at(1, 1)
            .help("save the file as UTF-8"),
        ),
        decode::Encoding::Windows1252 => {
            let (line, column) = decoded.first_invalid.unwrap_or((1, 1));
            problems.push(
                Problem::new(
                    rule,
                    Severity::Warning,
                    rel,
                    "is not valid UTF-8; decoded it as Windows-1252 (Latin-1)",
                )
                .at(line, column)
                .help("save the file as UTF-8"),
            );
        }
    }
    Some(decoded.text.into_owned())
}

/// Reads a file unless its known size is over the limit (then it is not read at all).
fn read_bounded(tree: &dyn Tree, rel: &str, size: u64) -> std::io::Result<Vec<u8>> {
    let too_big = |len: u64| {
        std::io::Error::other(format!(
            "{len} bytes is over the {} MiB limit",
            MAX_FILE_BYTES / 1024 / 1024
        ))
    };
    // A size not given is the listing's, so an oversized file is refused before it is read
    // (a readme of gigabytes would otherwise be read whole, then refused).
    let size = if size == 0 {
        crate::source::listed_file(tree, rel).map_or(0, |e| e.size)
    } else {
        size
    };
    if size > MAX_FILE_BYTES {
        return Err(too_big(size));
    }
    let bytes = tree.read(rel)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Loads a JSON file into raw type `T`, strictly when possible, leniently otherwise.
pub fn load_json<T: DeserializeOwned + Default>(
    tree: &dyn Tree,
    rel: &str,
    rule: &'static str,
    size: u64,
    problems: &mut Vec<Problem>,
) -> Loaded<T> {
    let Some(text) = read_decoded(tree, rel, rule, size, problems) else {
        return Loaded {
            value: T::default(),
            text: None,
        };
    };
    let value = parse_text(&text, rel, rule, problems);
    Loaded {
        value,
        text: Some(text),
    }
}

/// Parses JSON text into `T`: serde_json first, the lenient parser when that fails.
pub fn parse_text<T: DeserializeOwned + Default>(
    text: &str,
    rel: &str,
    rule: &'static str,
    problems: &mut Vec<Problem>,
) -> T {
    let strict_error = match raw::from_str::<T>(text) {
        Ok(v) => return v,
        Err(e) => e,
    };
    if strict_error.classify() == serde_json::error::Category::Data {
        problems.push(
            Problem::new(
                rule,
                Severity::Warning,
                rel,
                format!("unexpected structure: {strict_error}; skipped what did not fit"),
            )
            .at(strict_error.line() as u32, strict_error.column() as u32),
        );
    }
    let Some(value) = lenient_value(text, rel, rule, &strict_error, problems) else {
        return T::default();
    };
    match raw::from_value_salvaging::<T>(value) {
        Ok(v) => v,
        Err(e) => {
            problems.push(
                Problem::new(
                    rule,
                    Severity::Error,
                    rel,
                    format!("unexpected structure: {e}"),
                )
                .at(1, 1),
            );
            T::default()
        }
    }
}

/// Reads a JSON file into a value, reporting encoding problems and repairs under `rule`.
pub fn load_value(
    tree: &dyn Tree,
    rel: &str,
    rule: &'static str,
    size: u64,
    problems: &mut Vec<Problem>,
) -> Option<JsonFile> {
    let text = read_decoded(tree, rel, rule, size, problems)?;
    let (value, kind) = parse_value_noting(&text, rel, rule, problems);
    Some(JsonFile {
        rel: rel.to_string(),
        text,
        value,
        kind,
    })
}

/// Parses JSON text into a value: strictly, else leniently with every repair reported.
/// `None` when the text is not a JSON object even after repairs (reported as an error).
pub fn parse_value(
    text: &str,
    rel: &str,
    rule: &'static str,
    problems: &mut Vec<Problem>,
) -> Option<Value> {
    parse_value_noting(text, rel, rule, problems).0
}

/// `parse_value`, and whether the text was clean (strict JSON without a repeated key).
fn parse_value_noting(
    text: &str,
    rel: &str,
    rule: &'static str,
    problems: &mut Vec<Problem>,
) -> (Option<Value>, position::Text) {
    use position::Text::{Clean, Unknown};
    match strict::parse(text) {
        strict::Strict::Clean(v) if v.is_object() => (Some(v), Clean),
        strict::Strict::Clean(_) => {
            problems.push(not_an_object(rel, rule));
            (None, Clean)
        }
        // The lenient parser reports each repeated key where it is.
        strict::Strict::Duplicates => {
            let error = <serde_json::Error as serde::de::Error>::custom("duplicate keys");
            (lenient_value(text, rel, rule, &error, problems), Unknown)
        }
        strict::Strict::Invalid(error) => {
            (lenient_value(text, rel, rule, &error, problems), Unknown)
        }
    }
}

/// The raw type `T` read from a parsed value, skipping (and reporting) what does not fit.
pub fn raw_from_value<T: DeserializeOwned + Default>(
    value: &Value,
    rel: &str,
    rule: &'static str,
    problems: &mut Vec<Problem>,
) -> T {
    let error = match T::deserialize(value) {
        Ok(v) => return v,
        Err(e) => e,
    };
    problems.push(structure_warning(&error, rel.to_string(), rule));
    raw::from_value_ref_salvaging(value).unwrap_or_default()
}

fn not_an_object(rel: &str, rule: &'static str) -> Problem {
    Problem::new(
        rule,
        Severity::Error,
        rel,
        "the file holds JSON but not an object",
    )
    .at(1, 1)
}

/// The lenient parser's reading of `text`, with each repair reported as a located warning.
fn lenient_value(
    text: &str,
    rel: &str,
    rule: &'static str,
    strict_error: &serde_json::Error,
    problems: &mut Vec<Problem>,
) -> Option<Value> {
    match lenient::parse_lenient(text) {
        Ok((value, repairs)) => {
            for r in repairs {
                problems.push(
                    Problem::new(
                        rule,
                        Severity::Warning,
                        rel,
                        format!("not strict JSON: {}", r.message),
                    )
                    .at(r.line, r.column)
                    .help("fix the file so that it is strict JSON; this tool recovered it"),
                );
            }
            if value.is_object() {
                Some(value)
            } else {
                problems.push(not_an_object(rel, rule));
                None
            }
        }
        Err(fatal) => {
            let (line, column) = if fatal.line > 0 {
                (fatal.line, fatal.column)
            } else {
                (strict_error.line() as u32, strict_error.column() as u32)
            };
            problems.push(
                Problem::new(
                    rule,
                    Severity::Error,
                    rel,
                    format!("cannot parse the file, even leniently: {}", fatal.message),
                )
                .at(line, column)
                .help(format!("strict parser said: {strict_error}")),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Entry;

    /// A folder whose readme is listed at 5 GB, and whose bytes must never be read.
    struct Huge;

    impl Tree for Huge {
        fn list(&self, dir: &str) -> Vec<Entry> {
            match dir {
                "c/Big" => vec![Entry {
                    name: "readme.md".into(),
                    is_dir: false,
                    size: 5 << 30,
                }],
                _ => Vec::new(),
            }
        }
        fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
            panic!("{path} was read whole although it is listed over the limit")
        }
        fn describe(&self) -> String {
            "huge".into()
        }
    }

    /// Regression: a file read without a known size (readmes, `intro.md`,
    /// `apiProperties.json`) was read whole before its size was checked, so a readme of
    /// gigabytes cost as much memory.
    #[test]
    fn a_file_listed_over_the_limit_is_refused_unread() {
        let mut problems = Vec::new();
        let text = read_decoded(&Huge, "c/Big/readme.md", "R003", 0, &mut problems);
        assert!(text.is_none());
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].rule, problems[0].severity),
            ("R003", Severity::Error)
        );
        assert!(
            problems[0]
                .message
                .contains("5368709120 bytes is over the 64 MiB limit"),
            "{}",
            problems[0].message
        );
    }
}
