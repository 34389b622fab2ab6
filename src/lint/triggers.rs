//! Trigger rules: T001 (a webhook trigger has an internal, required `x-ms-notification-url`
//! string the platform fills with its callback) and T003 (trigger summaries start "When").

use crate::lint::context::{Findings, Subject};
use crate::lint::walk::{self, Op, Param};
use crate::parse::pointer;
use crate::parse::raw::truthy;
use serde_json::{Map, Value};

pub fn check(s: &Subject, out: &mut Findings) {
    let def = s.def();
    for (op, params) in s.operations().filter(|(o, _)| o.is_trigger()) {
        if is_webhook(op, params) {
            notification_url(def, op, params, out);
        }
        summary_starts_with_when(op, out);
    }
}

/// A webhook trigger: notification content, or a callback parameter.
fn is_webhook(op: &Op, params: &[Param]) -> bool {
    op.value.contains_key("x-ms-notification-content")
        || op.item.contains_key("x-ms-notification-content")
        || params
            .iter()
            .any(|p| p.value.get("x-ms-notification-url").is_some_and(truthy))
}

/// Where the callback URL is declared, and whether it is required.
struct Callback<'a> {
    value: &'a Map<String, Value>,
    pointer: String,
    required: bool,
}

fn notification_url<'a>(def: &'a Value, op: &Op, params: &[Param<'a>], out: &mut Findings) {
    let mut found = Vec::new();
    for p in params {
        if p.value.get("x-ms-notification-url").is_some_and(truthy) {
            found.push(Callback {
                value: p.value,
                pointer: p.pointer.clone(),
                required: p.required(),
            });
        } else if p.is_body() {
            if let Some(schema) = p.value.get("schema") {
                in_schema(def, schema, &p.at("schema"), p.required(), 0, &mut found);
            }
        }
    }
    if found.is_empty() {
        out.def(
            "T001",
            &op.pointer,
            format!(
                "webhook trigger {} has no `x-ms-notification-url` parameter",
                op.label()
            ),
        )
        .key();
        return;
    }
    for cb in found {
        callback_is_hidden_required_string(op, &cb, out);
    }
}

/// The callback URL is a string, internal and required (T001).
fn callback_is_hidden_required_string(op: &Op, cb: &Callback, out: &mut Findings) {
    let mut problems = Vec::new();
    if cb.value.get("type").and_then(Value::as_str) != Some("string") {
        problems.push("a string");
    }
    let internal = cb
        .value
        .get("x-ms-visibility")
        .and_then(Value::as_str)
        .is_some_and(|v| v.eq_ignore_ascii_case("internal"));
    if !internal {
        problems.push("internal");
    }
    if !cb.required {
        problems.push("required");
    }
    if !problems.is_empty() {
        out.def(
            "T001",
            pointer::child(&cb.pointer, "x-ms-notification-url"),
            format!(
                "the notification URL of {} must be {}",
                op.label(),
                problems.join(", ")
            ),
        )
        .key();
    }
}

/// Properties with `x-ms-notification-url` in a body schema (`$ref` followed, 3 levels).
fn in_schema<'a>(
    def: &'a Value,
    schema: &'a Value,
    at: &str,
    required: bool,
    depth: usize,
    found: &mut Vec<Callback<'a>>,
) {
    let Some((schema, at)) = walk::resolve(def, schema, at) else {
        return;
    };
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required_names: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (name, prop) in properties {
        let here = pointer::child(&pointer::child(&at, "properties"), name);
        let is_required = required && required_names.contains(&name.as_str());
        match walk::resolve(def, prop, &here) {
            Some((Value::Object(map), pointer))
                if map.get("x-ms-notification-url").is_some_and(truthy) =>
            {
                found.push(Callback {
                    value: map,
                    pointer,
                    required: is_required,
                });
            }
            Some((value, pointer)) if depth < 3 => {
                in_schema(def, value, &pointer, is_required, depth + 1, found)
            }
            _ => {}
        }
    }
}

fn summary_starts_with_when(op: &Op, out: &mut Findings) {
    let Some(summary) = op.str("summary") else {
        return;
    };
    let first = summary.split_whitespace().next().unwrap_or("");
    if !first.eq_ignore_ascii_case("when") {
        out.def(
            "T003",
            op.at("summary"),
            format!("trigger summary \"{summary}\" does not start with \"When\""),
        );
    }
}

#[cfg(test)]
mod tests;
