//! V008: breaking changes between the previous revision of a connector and this one.
//!
//! The history engineer supplies the previous revision's model as `Subject::previous` (see
//! `runner::lint_folder`); without it this rule is silent. A change breaks existing flows when
//! an operation is removed, a parameter becomes required (or a required one is added), an
//! output changes type, or an input that took any value now takes only listed values.

use crate::lint::context::{Findings, Subject};
use crate::model::{
    flatten, type_label, Connector, Field, FlattenLimits, Operation, Parameter, Schema,
};
use std::collections::HashMap;

const BREAKS: &str = "This change breaks existing flows.";

/// One breaking change, on an operation of the current revision (or removed from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The operation (its id in the previous revision when it was removed).
    pub operation: String,
    /// The parameter concerned, when there is one.
    pub parameter: Option<String>,
    pub removed: bool,
    pub message: String,
}

pub fn check(s: &Subject, out: &mut Findings) {
    let (Some(previous), Some(current)) = (s.previous, s.model) else {
        return;
    };
    for change in breaking_changes(previous, current) {
        let op = s
            .operations()
            .find(|(o, _)| o.operation_id() == Some(change.operation.as_str()));
        let pointer = match (op, &change.parameter) {
            (None, _) => "/paths".to_string(),
            (Some((op, params)), Some(name)) => params
                .iter()
                .find(|p| p.name == name)
                .map_or_else(|| op.pointer.clone(), |p| p.at("name")),
            (Some((op, _)), None) => op.at("responses"),
        };
        let p = out.def("V008", pointer, change.message);
        if change.removed {
            p.key().help(
                "restore the operation and mark it `deprecated: true` instead of deleting it",
            );
        }
    }
}

/// The breaking changes from `previous` to `current`, operations matched by id.
pub fn breaking_changes(previous: &Connector, current: &Connector) -> Vec<Change> {
    let now: HashMap<&str, &Operation> = current
        .operations
        .iter()
        .filter(|o| o.has_operation_id)
        .map(|o| (o.id.as_str(), o))
        .collect();
    let mut out = Vec::new();
    for before in previous.operations.iter().filter(|o| o.has_operation_id) {
        match now.get(before.id.as_str()) {
            None => out.push(Change {
                operation: before.id.clone(),
                parameter: None,
                removed: true,
                message: format!("`{}`: the operation has been deleted. {BREAKS}", before.id),
            }),
            Some(after) => {
                parameters(previous, before, current, after, &mut out);
                outputs(previous, before, current, after, &mut out);
            }
        }
    }
    out
}

fn parameters(
    prev: &Connector,
    before: &Operation,
    cur: &Connector,
    after: &Operation,
    out: &mut Vec<Change>,
) {
    let id = &after.id;
    for param in &after.parameters {
        let old = before
            .parameters
            .iter()
            .find(|p| p.name == param.name && p.location == param.location);
        let change = |message: String| Change {
            operation: id.clone(),
            parameter: Some(param.name.clone()),
            removed: false,
            message,
        };
        match old {
            None if param.required && param.default.is_none() => out.push(change(format!(
                "`{id}`: a new required parameter `{}` was added. {BREAKS}",
                param.name
            ))),
            None => {}
            Some(old) => {
                if param.required && !old.required && param.default.is_none() {
                    out.push(change(format!(
                        "`{id}`: the parameter `{}` has become required. {BREAKS}",
                        param.name
                    )));
                }
                if !param.enum_values.is_empty() && old.enum_values.is_empty() {
                    out.push(change(format!(
                        "`{id}`: the parameter `{}` now takes only listed values (an enum was added). {BREAKS}",
                        param.name
                    )));
                }
                body_fields(prev, old, cur, param, id, out);
            }
        }
    }
}

/// Changes inside a body parameter's schema: required properties and enums.
fn body_fields(
    prev: &Connector,
    old: &Parameter,
    cur: &Connector,
    new: &Parameter,
    id: &str,
    out: &mut Vec<Change>,
) {
    let (Some(a), Some(b)) = (&old.schema, &new.schema) else {
        return;
    };
    let before = fields(prev, a);
    for field in fields(cur, b).iter().filter(|f| !f.path.is_empty()) {
        let was = before.iter().find(|f| f.path == field.path);
        let message = match was {
            None if field.required => Some(format!(
                "a new required property `{}` was added to `{}`",
                field.path, new.name
            )),
            Some(was) if field.required && !was.required => Some(format!(
                "the property `{}` of `{}` has become required",
                field.path, new.name
            )),
            Some(was) if !field.enum_values.is_empty() && was.enum_values.is_empty() => {
                Some(format!(
                    "the property `{}` of `{}` now takes only listed values (an enum was added)",
                    field.path, new.name
                ))
            }
            _ => None,
        };
        if let Some(message) = message {
            out.push(Change {
                operation: id.to_string(),
                parameter: Some(new.name.clone()),
                removed: false,
                message: format!("`{id}`: {message}. {BREAKS}"),
            });
        }
    }
}

fn outputs(
    prev: &Connector,
    before: &Operation,
    cur: &Connector,
    after: &Operation,
    out: &mut Vec<Change>,
) {
    let schema = |o: &'_ Operation| -> Option<Schema> {
        o.success_response().and_then(|r| r.schema.clone())
    };
    let (Some(a), Some(b)) = (schema(before), schema(after)) else {
        return;
    };
    let (was, now) = (root_type(prev, &a), root_type(cur, &b));
    if was != now && was != "any" && now != "any" {
        out.push(Change {
            operation: after.id.clone(),
            parameter: None,
            removed: false,
            message: format!(
                "`{}`: the output changed type from `{was}` to `{now}`. {BREAKS}",
                after.id
            ),
        });
        return;
    }
    let old = fields(prev, &a);
    for field in fields(cur, &b).into_iter().filter(|f| !f.path.is_empty()) {
        let Some(was) = old.iter().find(|f| f.path == field.path) else {
            continue;
        };
        if was.ty != field.ty && was.ty != "any" && field.ty != "any" {
            out.push(Change {
                operation: after.id.clone(),
                parameter: None,
                removed: false,
                message: format!(
                    "`{}`: the output `{}` changed type from `{}` to `{}`. {BREAKS}",
                    after.id, field.path, was.ty, field.ty
                ),
            });
        }
    }
}

/// The type of a schema's root, `$ref` followed once.
fn root_type(c: &Connector, schema: &Schema) -> String {
    let target = schema
        .reference
        .as_deref()
        .and_then(|name| c.definition(name))
        .map_or(schema, |d| &d.schema);
    type_label(target)
}

fn fields(c: &Connector, schema: &Schema) -> Vec<Field> {
    let lookup = |name: &str| c.definition(name).map(|d| &d.schema);
    flatten(schema, &lookup, FlattenLimits::default()).fields
}

#[cfg(test)]
mod tests;
