//! Versioning rules (V001–V005, V007): deprecation is said and marked, operation families
//! (`x-ms-api-annotation`) are consistent, and release statuses agree and are spelled right.
//! V008 (breaking changes against the previous revision) is in `breaking`.

use crate::lint::context::{Findings, Subject};
use crate::lint::walk::{self, Op};
use crate::parse::pointer;
use serde_json::Value;
use std::collections::BTreeMap;

const MARK: &str = "(deprecated)";

pub fn check(s: &Subject, out: &mut Findings) {
    let def = s.def();
    let ops = &s.ops;
    let preview = def
        .pointer("/info/x-ms-api-annotation/status")
        .and_then(Value::as_str)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("preview"));
    for op in ops {
        said_deprecated(op, out);
        marked_deprecated(op, out);
        replacement(op, out);
        if preview {
            production_in_preview(op, out);
        }
    }
    families(ops, out);
    status_casing(def, ops, out);
}

fn has_mark(text: Option<&str>) -> bool {
    text.is_some_and(|t| t.to_lowercase().contains(MARK))
}

/// V001: a deprecated operation says "(deprecated)" in its summary and description.
fn said_deprecated(op: &Op, out: &mut Findings) {
    if !op.deprecated() {
        return;
    }
    let (summary, description) = (has_mark(op.str("summary")), has_mark(op.str("description")));
    let (what, at) = match (summary, description) {
        (true, true) => return,
        (false, true) => ("summary", op.value.get("summary").map(|_| op.at("summary"))),
        (true, false) => (
            "description",
            op.value.get("description").map(|_| op.at("description")),
        ),
        (false, false) => (
            "summary and description",
            op.value.get("summary").map(|_| op.at("summary")),
        ),
    };
    let p = out.def(
        "V001",
        at.unwrap_or_else(|| op.pointer.clone()),
        format!(
            "{} is deprecated but its {what} does not say \"{MARK}\"",
            op.label()
        ),
    );
    if !op.value.contains_key("summary") {
        p.key();
    }
}

/// V002: a summary that says deprecated goes with `deprecated: true`.
fn marked_deprecated(op: &Op, out: &mut Findings) {
    let says = op
        .str("summary")
        .is_some_and(|s| s.to_lowercase().contains("deprecated"));
    if says && !op.deprecated() {
        out.def(
            "V002",
            op.at("summary"),
            format!(
                "the summary of {} says deprecated, but it is not marked `deprecated: true`",
                op.label()
            ),
        );
    }
}

/// V004: `replacement` only on deprecated operations, with `api` and `operationId`.
fn replacement(op: &Op, out: &mut Findings) {
    let Some(replacement) = op
        .value
        .get("x-ms-api-annotation")
        .and_then(|a| a.get("replacement"))
    else {
        return;
    };
    let at = pointer::child(&op.at("x-ms-api-annotation"), "replacement");
    if !op.deprecated() {
        out.def(
            "V004",
            &at,
            format!("{} names a replacement but is not deprecated", op.label()),
        )
        .key();
    }
    for field in ["api", "operationId"] {
        let present = replacement
            .get(field)
            .and_then(Value::as_str)
            .is_some_and(|v| !v.trim().is_empty());
        if !present {
            out.def(
                "V004",
                &at,
                format!("the replacement of {} has no `{field}`", op.label()),
            );
        }
    }
}

/// V005: a Preview connector has no Production operation.
fn production_in_preview(op: &Op, out: &mut Findings) {
    let at = pointer::child(&op.at("x-ms-api-annotation"), "status");
    let production = op
        .value
        .get("x-ms-api-annotation")
        .and_then(|a| a.get("status"))
        .and_then(Value::as_str)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("production"));
    if production {
        out.def(
            "V005",
            at,
            format!("{} is Production in a Preview connector", op.label()),
        );
    }
}

/// The family of an operation (default: its id) and its revision (default 1).
fn family<'a>(op: &Op<'a>) -> Option<(&'a str, u32)> {
    let annotation = op.value.get("x-ms-api-annotation");
    let family = annotation
        .and_then(|a| a.get("family"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .or_else(|| op.operation_id())?;
    let revision = match annotation.and_then(|a| a.get("revision")) {
        Some(Value::Number(n)) => n.as_u64().and_then(|r| u32::try_from(r).ok()),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Some((family, revision.unwrap_or(1)))
}

/// Operations a V003 message names before "and N more".
const NAMES_LISTED: usize = 5;

/// V003: within a family, revisions are unique and at most two operations are active.
fn families(ops: &[Op], out: &mut Findings) {
    let mut by_family: BTreeMap<&str, Vec<(&Op, u32)>> = BTreeMap::new();
    for op in ops {
        if let Some((family, revision)) = family(op) {
            by_family.entry(family).or_default().push((op, revision));
        }
    }
    for (family, members) in by_family.into_iter().filter(|(_, m)| m.len() > 1) {
        let mut revisions: BTreeMap<u32, &Op> = BTreeMap::new();
        for (op, revision) in &members {
            if let Some(first) = revisions.insert(*revision, op) {
                let at = pointer::child(&op.at("x-ms-api-annotation"), "revision");
                out.def(
                    "V003",
                    at,
                    format!(
                        "{} and {} are both revision {revision} of family `{family}`",
                        first.label(),
                        op.label()
                    ),
                );
            }
        }
        let active: Vec<&Op> = members
            .iter()
            .map(|(op, _)| *op)
            .filter(|op| !op.deprecated())
            .collect();
        if active.len() > 2 {
            // Each extra operation gets a finding, so the list of names is capped: listing all
            // of them in each made findings grow with the square of the family (20,000
            // operations sharing an id needed 23 GB).
            let mut names: Vec<String> = active
                .iter()
                .take(NAMES_LISTED)
                .map(|o| o.label())
                .collect();
            if active.len() > NAMES_LISTED {
                names.push(format!("and {} more", active.len() - NAMES_LISTED));
            }
            for op in active.iter().skip(2) {
                out.def(
                    "V003",
                    op.at("x-ms-api-annotation"),
                    format!(
                        "family `{family}` has {} active operations ({}); at most 2",
                        active.len(),
                        names.join(", ")
                    ),
                )
                .key();
            }
        }
    }
}

/// V007: statuses are spelled `Preview` / `Production` exactly.
fn status_casing(def: &Value, ops: &[Op], out: &mut Findings) {
    for (pointer, value) in walk::statuses(def, ops) {
        let text = value.as_str().unwrap_or("");
        let Some(known) = ["Preview", "Production"]
            .into_iter()
            .find(|k| k.eq_ignore_ascii_case(text.trim()))
        else {
            continue;
        };
        if known != text {
            out.def(
                "V007",
                &pointer,
                format!("status `{text}` is spelled `{known}`"),
            )
            .help(format!("write `{known}`"));
        }
    }
}

#[cfg(test)]
mod tests;
