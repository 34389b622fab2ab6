//! What changed between two versions of a connector's model: the one comparison behind both
//! the changelog of each git revision (`history::changelog`) and lint rule V008 (breaking
//! changes against the previous revision).
//!
//! Operations are matched by `operationId`, parameters by name and location, response fields
//! by dotted path. A change that breaks existing flows is marked `breaking` and worded as the
//! official breaking-change checker words it; edits of summaries and descriptions only are
//! folded into one line.

use crate::model::{
    flatten, type_label, Connector, EnumValue, Flat, FlattenLimits, Operation, Parameter, Schema,
    Visibility,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

pub const BREAKS: &str = "This change breaks existing flows.";

/// The kinds of change a changelog lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    OperationDeprecated,
    OperationRevised,
    ParameterAdded,
    ParameterRemoved,
    ParameterRequired,
    ParameterType,
    ParameterEnum,
    ResponseFieldRemoved,
    ResponseType,
    Visibility,
    Auth,
    Descriptions,
}

impl Kind {
    /// The name it is written under (as in JSON and the pages' `change-<kind>` classes).
    pub fn id(self) -> &'static str {
        match self {
            Kind::OperationAdded => "operation-added",
            Kind::OperationRemoved => "operation-removed",
            Kind::OperationDeprecated => "operation-deprecated",
            Kind::OperationRevised => "operation-revised",
            Kind::ParameterAdded => "parameter-added",
            Kind::ParameterRemoved => "parameter-removed",
            Kind::ParameterRequired => "parameter-required",
            Kind::ParameterType => "parameter-type",
            Kind::ParameterEnum => "parameter-enum",
            Kind::ResponseFieldRemoved => "response-field-removed",
            Kind::ResponseType => "response-type",
            Kind::Visibility => "visibility",
            Kind::Auth => "auth",
            Kind::Descriptions => "descriptions",
        }
    }
}

/// One change from a previous version to the current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: Kind,
    /// The operation (its id in the previous version when it was removed).
    pub operation: Option<String>,
    /// The parameter concerned, when there is one.
    pub parameter: Option<String>,
    pub breaking: bool,
    pub message: String,
}

/// Every change from `previous` to `current`: removed and changed operations in the previous
/// version's order, then added ones, then the auth change, then one line for description
/// edits.
pub fn compare(previous: &Connector, current: &Connector) -> Vec<Change> {
    let now: HashMap<&str, &Operation> = with_ids(current).map(|o| (o.id.as_str(), o)).collect();
    let before: HashMap<&str, &Operation> =
        with_ids(previous).map(|o| (o.id.as_str(), o)).collect();
    let (prev_defs, cur_defs) = (previous.schemas_by_name(), current.schemas_by_name());
    let mut out = Vec::new();
    let mut edited = 0;
    for old in with_ids(previous) {
        let Some(new) = now.get(old.id.as_str()) else {
            out.push(op_change(
                Kind::OperationRemoved,
                &old.id,
                None,
                true,
                "the operation has been deleted",
            ));
            continue;
        };
        let pair = Pair {
            prev: &prev_defs,
            cur: &cur_defs,
            id: &new.id,
        };
        operation(&pair, old, new, &mut out);
        parameters(&pair, old, new, &mut out);
        outputs(&pair, old, new, &mut out);
        edited += usize::from(descriptions_differ(old, new));
    }
    for new in with_ids(current).filter(|o| !before.contains_key(o.id.as_str())) {
        out.push(op_change(
            Kind::OperationAdded,
            &new.id,
            None,
            false,
            "new operation",
        ));
    }
    auth(previous, current, &mut out);
    if edited > 0 {
        let noun = if edited == 1 {
            "operation"
        } else {
            "operations"
        };
        out.push(Change {
            kind: Kind::Descriptions,
            operation: None,
            parameter: None,
            breaking: false,
            message: format!("Descriptions edited in {edited} {noun}."),
        });
    }
    out
}

/// The breaking changes only (what V008 reports).
pub fn breaking(previous: &Connector, current: &Connector) -> Vec<Change> {
    let mut all = compare(previous, current);
    all.retain(|c| c.breaking);
    all
}

fn with_ids(c: &Connector) -> impl Iterator<Item = &Operation> {
    c.details().operations.iter().filter(|o| o.has_operation_id)
}

/// A connector's definitions by name (`Connector::schemas_by_name`).
type Definitions<'a> = foldhash::HashMap<&'a str, &'a Schema>;

/// Both versions' definitions and the operation being compared.
struct Pair<'a> {
    prev: &'a Definitions<'a>,
    cur: &'a Definitions<'a>,
    id: &'a str,
}

impl Pair<'_> {
    fn change(&self, kind: Kind, param: Option<&str>, breaking: bool, text: &str) -> Change {
        op_change(kind, self.id, param, breaking, text)
    }
}

/// A change of one operation, worded `` `id`: text. `` (plus the breaking sentence).
fn op_change(kind: Kind, id: &str, param: Option<&str>, breaking: bool, text: &str) -> Change {
    let tail = if breaking {
        format!(" {BREAKS}")
    } else {
        String::new()
    };
    Change {
        kind,
        operation: Some(id.to_string()),
        parameter: param.map(str::to_string),
        breaking,
        message: format!("`{id}`: {text}.{tail}"),
    }
}

/// Deprecation, revision (family/revision of `x-ms-api-annotation`) and visibility.
fn operation(p: &Pair, old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    if new.deprecated && !old.deprecated {
        out.push(p.change(
            Kind::OperationDeprecated,
            None,
            false,
            "the operation is now deprecated",
        ));
    }
    let (a, b) = (&old.annotation, &new.annotation);
    if a.family != b.family || a.revision != b.revision {
        let text = format!(
            "revised to family `{}` revision {} (was `{}` revision {})",
            b.family, b.revision, a.family, a.revision
        );
        out.push(p.change(Kind::OperationRevised, None, false, &text));
    }
    if old.visibility != new.visibility {
        let text = format!(
            "visibility changed from `{}` to `{}`",
            visibility(&old.visibility),
            visibility(&new.visibility)
        );
        out.push(p.change(Kind::Visibility, None, false, &text));
    }
}

pub fn visibility(v: &Visibility) -> &str {
    match v {
        Visibility::Important => "important",
        Visibility::Normal => "none",
        Visibility::Advanced => "advanced",
        Visibility::Internal => "internal",
        Visibility::Other(s) => s,
    }
}

fn parameters(p: &Pair, before: &Operation, after: &Operation, out: &mut Vec<Change>) {
    let find = |list: &'_ [Parameter], q: &Parameter| -> Option<usize> {
        list.iter()
            .position(|x| x.name == q.name && x.location == q.location)
    };
    for param in &after.parameters {
        let name = Some(param.name.as_str());
        let Some(i) = find(&before.parameters, param) else {
            let required = param.required && param.default.is_none();
            let text = if required {
                format!("a new required parameter `{}` was added", param.name)
            } else {
                format!("a new optional parameter `{}` was added", param.name)
            };
            out.push(p.change(Kind::ParameterAdded, name, required, &text));
            continue;
        };
        let old = &before.parameters[i];
        if param.required && !old.required && param.default.is_none() {
            let text = format!("the parameter `{}` has become required", param.name);
            out.push(p.change(Kind::ParameterRequired, name, true, &text));
        }
        if let (Some(a), Some(b)) = (&old.ty, &param.ty) {
            if a != b {
                let text = format!(
                    "the parameter `{}` changed type from `{a}` to `{b}`",
                    param.name
                );
                out.push(p.change(Kind::ParameterType, name, true, &text));
            }
        }
        let what = format!("the parameter `{}`", param.name);
        if let Some((breaking, text)) = enum_change(&what, &old.enum_values, &param.enum_values) {
            out.push(p.change(Kind::ParameterEnum, name, breaking, &text));
        }
        body_fields(p, old, param, out);
    }
    for old in &before.parameters {
        if find(&after.parameters, old).is_none() {
            let text = format!("the parameter `{}` has been deleted", old.name);
            out.push(p.change(Kind::ParameterRemoved, Some(&old.name), true, &text));
        }
    }
}

/// How an enum changed: adding one to a free input or removing values breaks; adding values
/// does not.
fn enum_change(what: &str, old: &[EnumValue], new: &[EnumValue]) -> Option<(bool, String)> {
    if new.is_empty() || old == new {
        return None;
    }
    if old.is_empty() {
        let text = format!("{what} now takes only listed values (an enum was added)");
        return Some((true, text));
    }
    let keys =
        |l: &[EnumValue]| -> BTreeSet<String> { l.iter().map(|e| e.value.to_string()).collect() };
    let (was, now) = (keys(old), keys(new));
    let gone: Vec<&String> = was.difference(&now).collect();
    if !gone.is_empty() {
        return Some((true, format!("{what} no longer accepts {}", listed(&gone))));
    }
    let added: Vec<&String> = now.difference(&was).collect();
    (!added.is_empty()).then(|| {
        (
            false,
            format!("{what} accepts new values {}", listed(&added)),
        )
    })
}

fn listed(values: &[&String]) -> String {
    let shown: Vec<String> = values.iter().take(5).map(|v| format!("`{v}`")).collect();
    let more = values.len().saturating_sub(5);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Changes inside a body parameter's schema: required properties and enums.
fn body_fields(p: &Pair, old: &Parameter, new: &Parameter, out: &mut Vec<Change>) {
    let (Some(a), Some(b)) = (&old.schema, &new.schema) else {
        return;
    };
    let before = fields(p.prev, a).fields;
    for field in fields(p.cur, b)
        .fields
        .iter()
        .filter(|f| !f.path.is_empty())
    {
        let was = before.iter().find(|f| f.path == field.path);
        let (kind, text) = match was {
            None if field.required => (
                Kind::ParameterAdded,
                format!(
                    "a new required property `{}` was added to `{}`",
                    field.path, new.name
                ),
            ),
            Some(was) if field.required && !was.required => (
                Kind::ParameterRequired,
                format!(
                    "the property `{}` of `{}` has become required",
                    field.path, new.name
                ),
            ),
            Some(was) if !field.enum_values.is_empty() && was.enum_values.is_empty() => (
                Kind::ParameterEnum,
                format!(
                    "the property `{}` of `{}` now takes only listed values (an enum was added)",
                    field.path, new.name
                ),
            ),
            _ => continue,
        };
        out.push(p.change(kind, Some(&new.name), true, &text));
    }
}

/// The success response: its root type, then fields retyped or removed.
fn outputs(p: &Pair, before: &Operation, after: &Operation, out: &mut Vec<Change>) {
    let schema = |o: &'_ Operation| -> Option<Schema> {
        o.success_response().and_then(|r| r.schema.clone())
    };
    let (Some(a), Some(b)) = (schema(before), schema(after)) else {
        return;
    };
    let (was, now) = (root_type(p.prev, &a), root_type(p.cur, &b));
    if was != now && was != "any" && now != "any" {
        let text = format!("the output changed type from `{was}` to `{now}`");
        out.push(p.change(Kind::ResponseType, None, true, &text));
        return;
    }
    let (old, new) = (fields(p.prev, &a), fields(p.cur, &b));
    for field in new.fields.iter().filter(|f| !f.path.is_empty()) {
        let Some(was) = old.fields.iter().find(|f| f.path == field.path) else {
            continue;
        };
        if was.ty != field.ty && was.ty != "any" && field.ty != "any" {
            let text = format!(
                "the output `{}` changed type from `{}` to `{}`",
                field.path, was.ty, field.ty
            );
            out.push(p.change(Kind::ResponseType, None, true, &text));
        }
    }
    if old.cut || new.cut {
        return; // a field past the budget is not known to be gone
    }
    let kept: BTreeSet<&str> = new.fields.iter().map(|f| f.path.as_str()).collect();
    let gone: BTreeSet<&str> = old
        .fields
        .iter()
        .map(|f| f.path.as_str())
        .filter(|path| !path.is_empty() && !kept.contains(path))
        .collect();
    for path in &gone {
        // Only the top of a removed subtree is listed.
        let parent = path.rsplit_once('.').map(|(head, _)| head);
        if parent.is_some_and(|head| gone.contains(head)) {
            continue;
        }
        let text = format!("the output `{path}` has been removed");
        out.push(p.change(Kind::ResponseFieldRemoved, None, true, &text));
    }
}

/// A connector-level change of authentication: another kind breaks every connection.
fn auth(previous: &Connector, current: &Connector, out: &mut Vec<Change>) {
    let kinds = |c: &Connector| -> Vec<&str> {
        let mut k: Vec<&str> = c.details().auth.iter().map(|a| a.kind.id()).collect();
        k.sort_unstable();
        k.dedup();
        if k.is_empty() {
            k.push("none");
        }
        k
    };
    let (was, now) = (kinds(previous), kinds(current));
    let change = |breaking: bool, message: String| Change {
        kind: Kind::Auth,
        operation: None,
        parameter: None,
        breaking,
        message,
    };
    if was != now {
        out.push(change(
            true,
            format!(
                "The authentication changed from `{}` to `{}`. {BREAKS}",
                was.join("`, `"),
                now.join("`, `")
            ),
        ));
        return;
    }
    let details = |c: &Connector| -> Vec<String> {
        let mut d: Vec<String> = c.details().auth.iter().map(|a| format!("{a:?}")).collect();
        d.sort();
        d
    };
    if details(previous) != details(current) {
        out.push(change(
            false,
            "The authentication settings changed (scopes, URLs or key).".to_string(),
        ));
    }
}

fn descriptions_differ(old: &Operation, new: &Operation) -> bool {
    if old.summary != new.summary || old.description != new.description {
        return true;
    }
    new.parameters.iter().any(|p| {
        old.parameters
            .iter()
            .find(|q| q.name == p.name && q.location == p.location)
            .is_some_and(|q| q.summary != p.summary || q.description != p.description)
    })
}

/// The type of a schema's root, `$ref` followed once.
fn root_type(defs: &Definitions, schema: &Schema) -> String {
    let target = schema
        .reference
        .as_deref()
        .and_then(|name| defs.get(name).copied())
        .unwrap_or(schema);
    type_label(target)
}

fn fields<'a>(defs: &Definitions<'a>, schema: &'a Schema) -> Flat<'a> {
    let lookup = |name: &str| defs.get(name).copied();
    flatten(schema, &lookup, FlattenLimits::default())
}

#[cfg(test)]
mod tests;
