//! What a spilled build keeps of an operation, and one way to read an operation whether its
//! connector is whole or spilled.
//!
//! An `Operation` is 384 bytes before any of its text. A spilled build (`spill`) keeps every
//! connector in memory for the whole build, but only its own page, its export, its changelog
//! and its search documents read its operations in full, and each of them reads the
//! connector back from disk. What the rest reads of another connector's operations is small:
//! the lists count them, the similar stages compare their ids and summaries, and a page links
//! to those that do the same job by title, page and anchor. An `OpStub` holds that, in 56
//! bytes; at 10× the real repository the operations kept in memory went from 78 to 17 MB.
//! `OpRef` reads either.

use super::{clip, Operation, OperationKind, TITLE_SHOWN};

/// An operation of a spilled connector, as the catalog-wide stages read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpStub {
    id: Box<str>,
    /// `None` when it is the id (nearly always).
    anchor: Option<Box<str>>,
    summary: Option<Box<str>>,
    page: u32,
    kind: OperationKind,
    deprecated: bool,
    internal: bool,
    copilot: bool,
}

impl OpStub {
    pub fn of(o: &Operation) -> OpStub {
        OpStub {
            id: o.id.as_str().into(),
            anchor: (o.anchor != o.id).then(|| o.anchor.as_str().into()),
            summary: o.summary.as_deref().map(Into::into),
            page: o.page,
            kind: o.kind,
            deprecated: o.deprecated,
            internal: o.visibility.is_internal(),
            copilot: o.copilot.is_some(),
        }
    }
}

/// An operation as the catalog-wide stages read it, from a whole connector or a spilled one
/// (`Connector::op_refs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpRef<'a> {
    pub id: &'a str,
    pub anchor: &'a str,
    pub summary: Option<&'a str>,
    pub page: u32,
    pub kind: OperationKind,
    pub deprecated: bool,
    pub internal: bool,
    pub copilot: bool,
}

impl<'a> OpRef<'a> {
    pub fn of(o: &'a Operation) -> OpRef<'a> {
        OpRef {
            id: &o.id,
            anchor: &o.anchor,
            summary: o.summary.as_deref(),
            page: o.page,
            kind: o.kind,
            deprecated: o.deprecated,
            internal: o.visibility.is_internal(),
            copilot: o.copilot.is_some(),
        }
    }

    pub fn stub(s: &'a OpStub) -> OpRef<'a> {
        OpRef {
            id: &s.id,
            anchor: s.anchor.as_deref().unwrap_or(&s.id),
            summary: s.summary.as_deref(),
            page: s.page,
            kind: s.kind,
            deprecated: s.deprecated,
            internal: s.internal,
            copilot: s.copilot,
        }
    }

    /// `Operation::title`.
    pub fn title(&self) -> &'a str {
        clip(self.summary.unwrap_or(self.id), TITLE_SHOWN)
    }

    /// An operation a maker can use: not internal, not deprecated.
    pub fn is_live(&self) -> bool {
        !self.deprecated && !self.internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Visibility;

    #[test]
    fn a_stub_reads_as_its_operation_does() {
        let mut ops = crate::parse::definition_model(
            "apiDefinition.swagger.json",
            r#"{"swagger": "2.0", "info": {"title": "T", "version": "1.0"}, "paths": {
              "/a": {"get": {"operationId": "GetA", "summary": "Get A",
                             "responses": {"200": {"description": "OK"}}}},
              "/b": {"post": {"operationId": "Get A", "x-ms-visibility": "internal",
                              "deprecated": true,
                              "responses": {"200": {"description": "OK"}}}}}}"#,
            &mut Vec::new(),
        )
        .operations;
        ops[0].copilot = Some(crate::model::Copilot {
            user_confirmation: true,
        });
        assert_ne!(ops[1].anchor, ops[1].id, "a made-up anchor is kept");
        for o in &ops {
            let stub = OpStub::of(o);
            assert_eq!(OpRef::stub(&stub), OpRef::of(o));
            assert_eq!(OpRef::stub(&stub).title(), o.title());
        }
        let hidden = OpRef::of(&ops[1]);
        assert!(hidden.internal && hidden.deprecated && !hidden.is_live());
        assert_eq!(ops[1].visibility, Visibility::Internal);
        assert!(OpRef::of(&ops[0]).is_live() && OpRef::of(&ops[0]).copilot);
        assert_eq!(std::mem::size_of::<OpStub>(), 56);
    }
}
