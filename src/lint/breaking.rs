//! V008: breaking changes between the previous revision of a connector and this one.
//!
//! `switchyard check` supplies the previous revision's model as `Subject::previous` (see
//! `runner::lint_folder`); without it this rule is silent. Which changes break existing flows
//! is decided in `crate::changes`, the comparison the changelog of the site uses too.

use crate::changes::{self, Change, Kind};
use crate::lint::context::{Findings, Subject};
use crate::model::Connector;

pub fn check(s: &Subject, out: &mut Findings) {
    let (Some(previous), Some(current)) = (s.previous, s.model) else {
        return;
    };
    for change in breaking_changes(previous, current) {
        let op = s
            .operations()
            .find(|(o, _)| o.operation_id() == change.operation.as_deref());
        let pointer = match (op, &change.parameter) {
            (None, _) if change.kind == Kind::Auth => "/securityDefinitions".to_string(),
            (None, _) => "/paths".to_string(),
            (Some((op, params)), Some(name)) => params
                .iter()
                .find(|p| p.name == name)
                .map_or_else(|| op.pointer.clone(), |p| p.at("name")),
            (Some((op, _)), None) => op.at("responses"),
        };
        let p = out.def("V008", pointer, change.message);
        if change.kind == Kind::OperationRemoved {
            p.key().help(
                "restore the operation and mark it `deprecated: true` instead of deleting it",
            );
        }
    }
}

/// The breaking changes from `previous` to `current`, operations matched by id: the
/// changelog's comparison (`crate::changes`), breaking changes only.
pub fn breaking_changes(previous: &Connector, current: &Connector) -> Vec<Change> {
    changes::breaking(previous, current)
}

#[cfg(test)]
mod tests;
