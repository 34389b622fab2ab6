//! Operation rules (O001–O010, O012, O013): ids, summaries, descriptions, responses, paths
//! and the values of `x-ms-visibility` and `x-ms-pageable`. O011 (extension keys) has its
//! own module, `extensions`.

use crate::lint::context::{Findings, Subject};
use crate::lint::metadata::ends_alphanumeric;
use crate::lint::walk::{self, Node, Op, Param};
use crate::parse::pointer;
use crate::problem::Severity;
use foldhash::HashMap;
use serde_json::Value;

const MAX_SUMMARY: usize = 80;
const VISIBILITIES: [&str; 3] = ["important", "advanced", "internal"];
const NEXT_LINK_NAMES: [&str; 2] = ["nextLink", "@odata.nextLink"];

pub fn check(s: &Subject, out: &mut Findings) {
    let def = s.def();
    operation_ids(&s.ops, out);
    for (op, params) in s.operations() {
        summary(op, out);
        description(op, out);
        responses(def, op, out);
        get_body(op, params, out);
        if op.value.contains_key("x-ms-summary") {
            out.def(
                "O010",
                op.at("x-ms-summary"),
                format!(
                    "{} has an operation-level `x-ms-summary`, which the platform ignores",
                    op.label()
                ),
            )
            .key();
        }
        next_link(op, out);
    }
    paths(def, out);
}

fn operation_ids(ops: &[Op], out: &mut Findings) {
    let mut seen: HashMap<String, &str> = HashMap::default();
    for op in ops {
        let Some(id) = op.operation_id() else {
            out.def(
                "O001",
                &op.pointer,
                format!("{} has no `operationId`", op.label()),
            )
            .key();
            continue;
        };
        let at = op.at("operationId");
        match seen.get(&id.to_lowercase()) {
            Some(first) if *first == id => {
                out.def(
                    "O001",
                    &at,
                    format!("operationId `{id}` is used more than once"),
                );
            }
            Some(first) => {
                out.def(
                    "O001",
                    &at,
                    format!("operationId `{id}` differs from `{first}` only in case"),
                );
            }
            None => {
                seen.insert(id.to_lowercase(), id);
            }
        }
        if !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.def(
                "O002",
                &at,
                format!("operationId `{id}` has characters other than letters and digits"),
            );
        }
    }
}

fn summary(op: &Op, out: &mut Findings) {
    let Some(summary) = op.str("summary").map(str::trim).filter(|t| !t.is_empty()) else {
        out.def(
            "O003",
            &op.pointer,
            format!("{} has no `summary`", op.label()),
        )
        .key();
        return;
    };
    let at = op.at("summary");
    let len = summary.chars().count();
    if len > MAX_SUMMARY {
        out.def(
            "O003",
            &at,
            format!("summary is {len} characters, over {MAX_SUMMARY}"),
        );
    }
    if summary.contains('/') {
        out.def("O003", &at, "summary contains `/`")
            .severity(Severity::Warning);
    }
    if !ends_alphanumeric(summary) {
        out.def("O003", &at, "summary does not end with a letter or digit")
            .severity(Severity::Warning);
    }
}

/// Ends in `.`, `!` or `?`; a bracketed remark after the sentence (`(deprecated)`) is accepted.
pub fn ends_in_punctuation(text: &str) -> bool {
    let t = text.trim_end();
    let ends =
        |t: &str| t.ends_with(['.', '!', '?', '…']) || t.ends_with(".\"") || t.ends_with(".)");
    if ends(t) {
        return true;
    }
    t.strip_suffix(')')
        .and_then(|inner| inner.rfind('(').map(|i| &inner[..i]))
        .is_some_and(|before| ends(before.trim_end()))
}

fn description(op: &Op, out: &mut Findings) {
    let Some(text) = op
        .str("description")
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        out.def(
            "O004",
            &op.pointer,
            format!("{} has no `description`", op.label()),
        )
        .key();
        return;
    };
    let at = op.at("description");
    if !ends_in_punctuation(text) {
        out.def("O004", &at, "description does not end in punctuation");
    }
    if op
        .str("summary")
        .is_some_and(|s| s.trim().eq_ignore_ascii_case(text))
    {
        out.def("O004", &at, "description is the same as the summary");
    }
}

fn responses(def: &Value, op: &Op, out: &mut Findings) {
    let Some(list) = op.value.get("responses").and_then(Value::as_object) else {
        out.def(
            "O005",
            &op.pointer,
            format!("{} has no `responses`", op.label()),
        )
        .key();
        return;
    };
    let at = op.at("responses");
    let mut with_schema = 0;
    let mut success: Vec<(&str, Option<&Value>)> = Vec::new();
    for (status, raw) in list {
        let site = pointer::child(&at, status);
        let schema = walk::resolve(def, raw, &site)
            .and_then(|(r, _)| r.get("schema"))
            .filter(|v| !v.is_null());
        if status.starts_with('2') {
            success.push((status, schema));
        }
        if schema.is_none() {
            continue;
        }
        if status == "default" {
            out.def(
                "O006",
                pointer::child(&site, "schema"),
                format!("the `default` response of {} has a schema", op.label()),
            );
        } else {
            with_schema += 1;
        }
    }
    if with_schema > 1 {
        out.def(
            "O007",
            &at,
            format!("{} has {with_schema} responses with a schema", op.label()),
        );
    }
    success_schema(def, op, &success, &at, out);
}

/// Keys that make a schema describe something (a `$ref`, a type, members, a dynamic schema).
const DESCRIBING: [&str; 7] = [
    "$ref",
    "type",
    "properties",
    "items",
    "allOf",
    "x-ms-dynamic-schema",
    "x-ms-dynamic-properties",
];

/// O005: some 2xx response has a schema (or a dynamic one); webhook registrations and
/// `204 No Content` are exempt.
fn success_schema(
    def: &Value,
    op: &Op,
    success: &[(&str, Option<&Value>)],
    at: &str,
    out: &mut Findings,
) {
    let webhook = op.value.contains_key("x-ms-notification-content")
        || op.item.contains_key("x-ms-notification-content");
    if webhook || success.iter().any(|(status, _)| *status == "204") {
        return;
    }
    if success.is_empty() {
        out.def("O005", at, format!("{} has no 2xx response", op.label()));
        return;
    }
    let describes = |schema: &Value| {
        let resolved = walk::resolve(def, schema, "").map_or(schema, |(v, _)| v);
        [schema, resolved]
            .iter()
            .any(|s| DESCRIBING.iter().any(|k| s.get(k).is_some()))
    };
    if !success
        .iter()
        .any(|(_, schema)| schema.is_some_and(describes))
    {
        out.def(
            "O005",
            at,
            format!("no 2xx response of {} has a schema", op.label()),
        );
    }
}

fn get_body(op: &Op, params: &[Param], out: &mut Findings) {
    if op.method != "get" {
        return;
    }
    for p in params {
        if p.is_body() || p.location.eq_ignore_ascii_case("formData") {
            out.def(
                "O008",
                &p.site,
                format!("GET {} takes `{}` in {}", op.label(), p.name, p.location),
            );
        }
    }
}

fn next_link(op: &Op, out: &mut Findings) {
    let Some(pageable) = op.value.get("x-ms-pageable").and_then(Value::as_object) else {
        return;
    };
    let Some(value) = pageable.get("nextLinkName") else {
        return;
    };
    let at = pointer::child(&op.at("x-ms-pageable"), "nextLinkName");
    let name = value.as_str().unwrap_or("");
    if NEXT_LINK_NAMES.contains(&name) {
        return;
    }
    let p = out.def(
        "O013",
        at,
        format!("`nextLinkName` is {value}, not `nextLink` or `@odata.nextLink`"),
    );
    if let Some(known) = NEXT_LINK_NAMES
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))
    {
        p.help(format!("did you mean `{known}`?"));
    }
}

fn paths(def: &Value, out: &mut Findings) {
    let Some(paths) = def.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut seen: HashMap<String, &str> = HashMap::default();
    for path in paths.keys() {
        let at = pointer::child("/paths", path);
        if let Some(c) = path.chars().find(|c| matches!(c, '?' | '#' | '*')) {
            out.def("O009", &at, format!("path `{path}` contains `{c}`"))
                .key();
        }
        let lower = path.to_lowercase();
        match seen.get(&lower) {
            Some(first) => {
                out.def(
                    "O009",
                    &at,
                    format!("path `{path}` differs from `{first}` only in case"),
                )
                .key();
            }
            None => {
                seen.insert(lower, path);
            }
        }
    }
}

/// O012, for an `x-ms-visibility` anywhere in the definition (called from the runner's walk).
pub fn visibility(node: &Node, value: &Value, out: &mut Findings) {
    let text = value.as_str();
    let ok = text.is_some_and(|t| t.is_empty() || t == "none" || VISIBILITIES.contains(&t));
    if ok {
        return;
    }
    let p = out.def(
        "O012",
        node.at("x-ms-visibility"),
        format!("`x-ms-visibility` is {value}"),
    );
    if let Some(known) = VISIBILITIES
        .iter()
        .find(|k| text.is_some_and(|t| k.eq_ignore_ascii_case(t.trim())))
    {
        p.help(format!("did you mean `{known}`? (values are lower case)"));
    }
}

#[cfg(test)]
mod tests;
