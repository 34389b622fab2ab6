//! Parameter rules (P001–P006, P008–P010): path parameters and their template, URL encoding,
//! hidden required values, display names, forbidden and duplicate parameters, dynamic-value
//! references, enums and `$ref`s.
//!
//! Findings about a shared parameter (`#/parameters/...`) point at its definition once, not
//! at every operation that uses it (the runner drops identical findings).

use crate::lint::context::{Findings, Subject};
use crate::lint::walk::{self, Node, Op, Param};
use crate::parse::keyed::scalar_key;
use crate::parse::pointer;
use foldhash::HashSet;
use serde_json::{Map, Value};

const DYNAMIC: [&str; 5] = [
    "x-ms-dynamic-values",
    "x-ms-dynamic-list",
    "x-ms-dynamic-schema",
    "x-ms-dynamic-properties",
    "x-ms-dynamic-tree",
];

pub fn check(s: &Subject, out: &mut Findings) {
    let def = s.def();
    for (op, params) in s.operations() {
        path_template(op, params, out);
        for p in params {
            encoding(p, out);
            hidden_required(p, out);
            display(p, out);
        }
        forbidden_and_duplicates(def, op, params, out);
    }
}

/// The operation ids of the definition (targets of dynamic references).
pub fn operation_ids<'a>(s: &Subject<'a>) -> HashSet<&'a str> {
    s.ops.iter().filter_map(Op::operation_id).collect()
}

/// P008, P009 and P010 for one key of an object of the definition (called from the runner's
/// shared walk).
pub fn visit_key(
    def: &Value,
    node: &Node,
    key: &str,
    value: &Value,
    ids: &HashSet<&str>,
    out: &mut Findings,
) {
    match key {
        "$ref" => reference(def, node, value, out),
        "enum" => enum_types(node, value, out),
        "x-ms-enum-values" => enum_names(node, value, out),
        k if DYNAMIC.contains(&k) => dynamic_reference(node, k, value, ids, out),
        _ => {}
    }
}

/// P010: a `$ref` inside the document points at something that exists.
fn reference(def: &Value, node: &Node, value: &Value, out: &mut Findings) {
    let Some(target) = value.as_str() else {
        return;
    };
    let Some(path) = target.strip_prefix('#') else {
        return; // a reference to another file: not checked
    };
    let found = pointer::lookup(def, path).is_some()
        || percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .is_ok_and(|decoded| pointer::lookup(def, &decoded).is_some());
    if !found {
        out.def(
            "P010",
            node.at("$ref"),
            format!("`$ref` to `{target}`, which is not defined"),
        );
    }
}

/// The `{name}`s of a path template.
pub fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

fn path_template(op: &Op, params: &[Param], out: &mut Findings) {
    let names = template_names(op.path);
    for p in params
        .iter()
        .filter(|p| p.location.eq_ignore_ascii_case("path"))
    {
        if !p.required() {
            out.def(
                "P001",
                p.at("name"),
                format!("path parameter `{}` is not required", p.name),
            )
            .help("add `\"required\": true`: a path parameter is always required");
        }
        if !names.contains(&p.name) {
            out.def(
                "P001",
                p.at("name"),
                format!(
                    "path parameter `{}` is not in the path `{}`",
                    p.name, op.path
                ),
            );
        }
    }
    for name in names {
        let declared = params
            .iter()
            .any(|p| p.name == name && p.location.eq_ignore_ascii_case("path"));
        if !declared {
            out.def(
                "P001",
                &op.pointer,
                format!(
                    "`{{{name}}}` in the path of {} has no path parameter",
                    op.label()
                ),
            )
            .key();
        }
    }
}

fn encoding(p: &Param, out: &mut Findings) {
    let has = p.value.contains_key("x-ms-url-encoding");
    if p.location.eq_ignore_ascii_case("path") && !has {
        out.def(
            "P002",
            p.at("name"),
            format!("path parameter `{}` has no `x-ms-url-encoding`", p.name),
        );
    }
    if p.location.eq_ignore_ascii_case("query") && has {
        out.def(
            "P003",
            p.at("x-ms-url-encoding"),
            format!("query parameter `{}` has `x-ms-url-encoding`", p.name),
        )
        .key();
    }
}

fn hidden_required(p: &Param, out: &mut Findings) {
    if p.is_body() || !p.is_internal() || !p.required() || p.value.contains_key("default") {
        return;
    }
    out.def(
        "P004",
        p.at("name"),
        format!("internal, required parameter `{}` has no `default`", p.name),
    );
}

fn display(p: &Param, out: &mut Findings) {
    if p.is_body() || p.is_internal() {
        return;
    }
    let summary = p
        .str("x-ms-summary")
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let description = p
        .str("description")
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if summary.is_none() {
        out.def(
            "P005",
            p.at("name"),
            format!("parameter `{}` has no `x-ms-summary`", p.name),
        );
    }
    match (summary, description) {
        (_, None) => {
            out.def(
                "P005",
                p.at("name"),
                format!("parameter `{}` has no `description`", p.name),
            );
        }
        (Some(s), Some(d)) if s.eq_ignore_ascii_case(d) => {
            out.def(
                "P005",
                p.at("description"),
                format!("the description of `{}` repeats its `x-ms-summary`", p.name),
            );
        }
        _ => {}
    }
}

fn forbidden_and_duplicates(def: &Value, op: &Op, params: &[Param], out: &mut Findings) {
    for p in params
        .iter()
        .filter(|p| p.name.eq_ignore_ascii_case("connectionId"))
    {
        out.def(
            "P006",
            p.at("name"),
            format!("{} declares `{}`", op.label(), p.name),
        )
        .help("remove it: the platform passes the connection itself");
    }
    let bodies: Vec<&Param> = params.iter().filter(|p| p.is_body()).collect();
    if let Some(second) = bodies.get(1) {
        out.def(
            "P006",
            &second.site,
            format!("{} has {} body parameters", op.label(), bodies.len()),
        );
    }
    let own = op.value.get("parameters").and_then(Value::as_array);
    let mut seen: HashSet<(String, String)> = HashSet::default();
    for (i, raw) in own.into_iter().flatten().enumerate() {
        let site = format!("{}/{i}", op.at("parameters"));
        let Some((value, _)) = walk::resolve(def, raw, &site) else {
            continue;
        };
        let key = (
            value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            value
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase(),
        );
        if !seen.insert(key.clone()) {
            out.def(
                "P006",
                site,
                format!("{} lists `{}` ({}) twice", op.label(), key.0, key.1),
            );
        }
    }
}

/// The `operationId`s named by an `x-ms-dynamic-*` value.
fn dynamic_targets(kind: &str, value: &Map<String, Value>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(id) = value.get("operationId").and_then(Value::as_str) {
        out.push(("operationId", id.to_string()));
    }
    if kind == "x-ms-dynamic-tree" {
        for part in ["browse", "open"] {
            if let Some(id) = value
                .get(part)
                .and_then(|v| v.get("operationId"))
                .and_then(Value::as_str)
            {
                out.push((part, id.to_string()));
            }
        }
    }
    out
}

fn dynamic_reference(
    node: &Node,
    kind: &str,
    value: &Value,
    ids: &HashSet<&str>,
    out: &mut Findings,
) {
    let Some(value) = value.as_object() else {
        return;
    };
    for (part, id) in dynamic_targets(kind, value) {
        if ids.contains(id.trim()) {
            continue;
        }
        let base = node.at(kind);
        let at = if part == "operationId" {
            pointer::child(&base, "operationId")
        } else {
            pointer::child(&pointer::child(&base, part), "operationId")
        };
        out.def(
            "P008",
            at,
            format!("`{kind}` names `{id}`, which is not an operation of this connector"),
        );
    }
}

/// Whether `value` is of JSON-schema `ty` (unknown types accept anything; `null` always fits).
pub fn fits(ty: &str, value: &Value) -> bool {
    match (ty, value) {
        (_, Value::Null) => true,
        ("string", v) => v.is_string(),
        ("integer", Value::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        ("integer", _) => false,
        ("number", v) => v.is_number(),
        ("boolean", v) => v.is_boolean(),
        _ => true,
    }
}

fn enum_types(node: &Node, values: &Value, out: &mut Findings) {
    let (Some(values), Some(ty)) = (
        values.as_array(),
        node.map.get("type").and_then(Value::as_str),
    ) else {
        return;
    };
    if let Some((i, bad)) = values.iter().enumerate().find(|(_, v)| !fits(ty, v)) {
        out.def(
            "P009",
            format!("{}/{i}", node.at("enum")),
            format!("enum value {bad} is not of type `{ty}`"),
        );
    }
}

fn enum_names(node: &Node, names: &Value, out: &mut Findings) {
    let Some(names) = names.as_array() else {
        return;
    };
    let names_at = node.at("x-ms-enum-values");
    let Some(values) = node.map.get("enum").and_then(Value::as_array) else {
        out.def("P009", &names_at, "`x-ms-enum-values` without an `enum`")
            .key();
        return;
    };
    // Scalars through a set: a search of the values per name was quadratic (100,000 took 23 s).
    let scalars: HashSet<String> = values.iter().filter_map(scalar_key).collect();
    let listed = |v: &Value| match scalar_key(v) {
        Some(key) => scalars.contains(&key),
        None => values.contains(v),
    };
    for (i, entry) in names.iter().enumerate() {
        let Some(value) = entry.get("value") else {
            continue;
        };
        if !listed(value) {
            out.def(
                "P009",
                format!("{names_at}/{i}/value"),
                format!("`x-ms-enum-values` value {value} is not in `enum`"),
            );
        }
    }
}

#[cfg(test)]
mod tests;
