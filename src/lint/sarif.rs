//! SARIF 2.1.0 output, the format code-scanning services read.
//!
//! One run; `tool.driver.rules` lists every rule of the registry (id, name, descriptions,
//! help, default level); each result names its rule, level (`error`, `warning`, `note`),
//! message, and a physical location relative to a `uriBaseId` whose absolute root is given in
//! `originalUriBaseIds`. Columns count Unicode code points, as the run says. The finding's
//! JSON pointer and help line are in the result's `properties`.

use crate::lint::context::Finding;
use crate::lint::registry::RULES;
use crate::problem::Severity;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// Characters escaped in a path segment of a URI reference (RFC 3986 `pchar` is kept).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Findings with the root their paths are relative to.
pub struct Group<'a> {
    pub base: &'a Path,
    pub findings: Vec<&'a Finding>,
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative `/`-separated path as a URI reference.
pub fn uri(path: &str) -> String {
    path.split('/')
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// `file://` URI of a folder, ending in `/`.
fn folder_uri(dir: &Path) -> String {
    let absolute: PathBuf = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let text = absolute.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    let mut out = format!("file://{}", uri(&text));
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

fn rules() -> Vec<Value> {
    RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name(),
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": format!("{}: {}", r.title, r.help)},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect()
}

fn result(f: &Finding, base_id: &str) -> Value {
    let p = &f.problem;
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({"uri": uri(&p.path), "uriBaseId": base_id}),
    );
    if p.line > 0 {
        physical.insert(
            "region".into(),
            json!({"startLine": p.line, "startColumn": p.column.max(1)}),
        );
    }
    let mut properties = Map::new();
    if let Some(pointer) = &p.pointer {
        properties.insert("pointer".into(), json!(pointer));
    }
    if let Some(help) = &p.help {
        properties.insert("help".into(), json!(help));
    }
    let mut out = json!({
        "ruleId": p.rule,
        "level": level(p.severity),
        "message": {"text": p.message},
        "locations": [{"physicalLocation": physical}],
        "properties": properties,
    });
    if let (Some(index), Some(obj)) = (
        RULES.iter().position(|r| r.id == p.rule),
        out.as_object_mut(),
    ) {
        obj.insert("ruleIndex".into(), json!(index));
    }
    out
}

/// The SARIF log of `groups` (one base folder each).
pub fn log(groups: &[Group]) -> Value {
    let mut bases = Map::new();
    let mut results = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let id = if i == 0 {
            "SRCROOT".to_string()
        } else {
            format!("SRCROOT{i}")
        };
        bases.insert(id.clone(), json!({"uri": folder_uri(g.base)}));
        results.extend(g.findings.iter().map(|f| result(f, &id)));
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "switchyard",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules(),
            }},
            "originalUriBaseIds": bases,
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_escaped_per_segment() {
        assert_eq!(
            uri("certified-connectors/Bjørnø's Data & Weather (Preview)/apiDefinition.swagger.json"),
            "certified-connectors/Bj%C3%B8rn%C3%B8's%20Data%20&%20Weather%20(Preview)/apiDefinition.swagger.json"
        );
        assert_eq!(uri("a%b/c#d"), "a%25b/c%23d");
    }

    #[test]
    fn levels() {
        assert_eq!(level(Severity::Info), "note");
        assert_eq!(level(Severity::Error), "error");
    }
}
