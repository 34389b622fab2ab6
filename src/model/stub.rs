//! What a spilled build keeps of an operation, and one way to read an operation whether its
//! connector is whole or spilled.
//!
//! An `Operation` is 384 bytes before any of its text. A spilled build (`spill`) keeps every
//! connector in memory for the whole build, but only its own page, its export, its changelog
//! and its search documents read its operations in full, and each of them reads the
//! connector back from disk. What the rest reads of another connector's operations is small:
//! the lists count them, the similar stages compare their ids and summaries, and a page links
//! to those that do the same job by title, page and anchor. `OpStubs` holds that, about 65
//! bytes an operation with its texts (at 10× the real repository, 11 MB where the operations
//! took 78 MB). `OpRef` reads either. A spilled build writes the stubs to its spill as bytes
//! (`to_bytes`) and keeps only their counts (`OpStubs::forget`): held until the similar stage
//! was done, they took 54 MB at 50×.

use super::{clip, index32, Operation, OperationKind, TITLE_SHOWN};

/// The operations of a spilled connector, as the catalog-wide stages read them, packed: the
/// texts of all of them in one string, and 20 bytes of each. A stub of its own per operation
/// (56 bytes and two strings, each an allocation) held 101 bytes an operation at 10× the real
/// repository.
///
/// Once `forget` dropped them, only their counts are left, in the same 32 bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpStubs(Stubs);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Stubs {
    Held {
        /// Each operation's id, then its anchor unless it is the id (nearly always), then
        /// its summary, one after the other.
        text: Box<str>,
        ops: Box<[Packed]>,
    },
    Forgotten(OpCounts),
}

impl Default for Stubs {
    fn default() -> Stubs {
        Stubs::Held {
            text: Box::default(),
            ops: Box::default(),
        }
    }
}

/// What the lists and exports count of a connector's operations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpCounts {
    pub total: u32,
    pub actions: u32,
    pub triggers: u32,
    pub deprecated: u32,
    /// Any operation marked for Copilot.
    pub copilot: bool,
}

impl OpCounts {
    pub fn of<'a>(ops: impl Iterator<Item = OpRef<'a>>) -> OpCounts {
        let mut counts = OpCounts::default();
        for o in ops {
            let add = |n: &mut u32, on: bool| *n += u32::from(on);
            add(&mut counts.total, true);
            add(&mut counts.actions, o.kind == OperationKind::Action);
            add(&mut counts.triggers, o.kind == OperationKind::Trigger);
            add(&mut counts.deprecated, o.deprecated);
            counts.copilot |= o.copilot;
        }
        counts
    }
}

/// One operation of `OpStubs`: where its texts end in `OpStubs::text` (each begins where the
/// one before it ends), and the rest of what `OpRef` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    id_end: u32,
    anchor_end: u32,
    summary_end: u32,
    page: u32,
    kind: OperationKind,
    flags: u8,
}

const DEPRECATED: u8 = 1;
const INTERNAL: u8 = 2;
const COPILOT: u8 = 4;
/// `None` and an empty summary are told apart.
const SUMMARY: u8 = 8;
/// The anchor is the id and is not written twice.
const ANCHOR_IS_ID: u8 = 16;

impl OpStubs {
    pub fn of(operations: &[Operation]) -> OpStubs {
        let mut text = String::with_capacity(
            operations
                .iter()
                .map(|o| o.id.len() + o.summary.as_ref().map_or(0, String::len))
                .sum(),
        );
        let ops = operations
            .iter()
            .map(|o| {
                let anchor_is_id = o.anchor == o.id;
                let id_end = push(&mut text, &o.id);
                let anchor_end = if anchor_is_id {
                    id_end
                } else {
                    push(&mut text, &o.anchor)
                };
                let summary_end = push(&mut text, o.summary.as_deref().unwrap_or_default());
                let flag = |on: bool, f: u8| if on { f } else { 0 };
                Packed {
                    id_end,
                    anchor_end,
                    summary_end,
                    page: o.page,
                    kind: o.kind,
                    flags: flag(o.deprecated, DEPRECATED)
                        | flag(o.visibility.is_internal(), INTERNAL)
                        | flag(o.copilot.is_some(), COPILOT)
                        | flag(o.summary.is_some(), SUMMARY)
                        | flag(anchor_is_id, ANCHOR_IS_ID),
                }
            })
            .collect();
        OpStubs(Stubs::Held {
            text: text.into_boxed_str(),
            ops,
        })
    }

    /// The stubs' texts (none once forgotten).
    fn text(&self) -> &str {
        match &self.0 {
            Stubs::Held { text, .. } => text,
            Stubs::Forgotten(_) => "",
        }
    }

    /// The stubs (none once forgotten).
    fn ops(&self) -> &[Packed] {
        match &self.0 {
            Stubs::Held { ops, .. } => ops,
            Stubs::Forgotten(_) => &[],
        }
    }

    /// How many operations there are, held or forgotten.
    pub fn len(&self) -> usize {
        match &self.0 {
            Stubs::Forgotten(counts) => counts.total as usize,
            Stubs::Held { ops, .. } => ops.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops the stubs and keeps their counts: what a spilled connector keeps once its stubs
    /// are in the spill (`spill::Spill::put`). `get` and `iter` find nothing from then on.
    pub fn forget(&mut self) {
        *self = OpStubs(Stubs::Forgotten(self.counts()));
    }

    /// The counts `forget` kept, once it was called.
    pub fn forgotten(&self) -> Option<OpCounts> {
        match &self.0 {
            Stubs::Forgotten(counts) => Some(*counts),
            Stubs::Held { .. } => None,
        }
    }

    fn counts(&self) -> OpCounts {
        self.forgotten()
            .unwrap_or_else(|| OpCounts::of(self.iter()))
    }

    /// Operation `index`.
    pub fn get(&self, index: usize) -> Option<OpRef<'_>> {
        let start = match index.checked_sub(1) {
            Some(before) => self.ops().get(before)?.summary_end,
            None => 0,
        };
        let p = self.ops().get(index)?;
        let slice = |from: u32, to: u32| self.text().get(from as usize..to as usize).unwrap_or("");
        let id = slice(start, p.id_end);
        let on = |f: u8| p.flags & f != 0;
        Some(OpRef {
            id,
            anchor: if on(ANCHOR_IS_ID) {
                id
            } else {
                slice(p.id_end, p.anchor_end)
            },
            summary: on(SUMMARY).then(|| slice(p.anchor_end, p.summary_end)),
            page: p.page,
            kind: p.kind,
            deprecated: on(DEPRECATED),
            internal: on(INTERNAL),
            copilot: on(COPILOT),
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = OpRef<'_>> {
        (0..self.ops().len()).filter_map(|i| self.get(i))
    }

    /// The stubs as bytes, for a spill to keep on disk (`from_bytes` reads them back): the
    /// text's length and the text, then the number of operations and 18 bytes of each,
    /// little-endian. What `forget` kept is not written.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.text().len() + self.ops().len() * PACKED_BYTES);
        out.extend_from_slice(&index32(self.text().len()).to_le_bytes());
        out.extend_from_slice(self.text().as_bytes());
        out.extend_from_slice(&index32(self.ops().len()).to_le_bytes());
        for p in self.ops().iter() {
            for n in [p.id_end, p.anchor_end, p.summary_end, p.page] {
                out.extend_from_slice(&n.to_le_bytes());
            }
            out.push(match p.kind {
                OperationKind::Action => 0,
                OperationKind::Trigger => 1,
            });
            out.push(p.flags);
        }
        out
    }

    /// Stubs written by `to_bytes`, or `None` for bytes it did not write.
    pub fn from_bytes(bytes: &[u8]) -> Option<OpStubs> {
        let mut rest = bytes;
        let text_len = take_u32(&mut rest)? as usize;
        let text = std::str::from_utf8(rest.get(..text_len)?).ok()?;
        rest = rest.get(text_len..)?;
        let n = take_u32(&mut rest)? as usize;
        if rest.len() != n.checked_mul(PACKED_BYTES)? {
            return None;
        }
        let ops = rest
            .chunks_exact(PACKED_BYTES)
            .map(|p| {
                let mut fields = p;
                let mut next = || take_u32(&mut fields);
                let (id_end, anchor_end, summary_end, page) = (next()?, next()?, next()?, next()?);
                let kind = match fields.first()? {
                    0 => OperationKind::Action,
                    1 => OperationKind::Trigger,
                    _ => return None,
                };
                Some(Packed {
                    id_end,
                    anchor_end,
                    summary_end,
                    page,
                    kind,
                    flags: *fields.get(1)?,
                })
            })
            .collect::<Option<Box<[Packed]>>>()?;
        Some(OpStubs(Stubs::Held {
            text: text.into(),
            ops,
        }))
    }
}

/// A `Packed` written by `OpStubs::to_bytes`: four numbers, its kind and its flags.
const PACKED_BYTES: usize = 18;

/// Reads a little-endian `u32` off the front of `bytes`.
fn take_u32(bytes: &mut &[u8]) -> Option<u32> {
    let (n, rest) = bytes.split_first_chunk::<4>()?;
    *bytes = rest;
    Some(u32::from_le_bytes(*n))
}

/// A connector's operations as the similar stages read them: held by the connector (whole or
/// as stubs), or stubs read back from the spill that keeps them (`Catalog::op_list`).
#[derive(Debug)]
pub enum OpList<'c> {
    Held(&'c super::Connector),
    Read(OpStubs),
}

impl<'c> OpList<'c> {
    /// Operation `index`.
    pub fn get(&self, index: usize) -> Option<OpRef<'_>> {
        match self {
            OpList::Held(c) => c.op_ref(index),
            OpList::Read(stubs) => stubs.get(index),
        }
    }

    /// Every operation, in order.
    pub fn iter(&self) -> impl Iterator<Item = OpRef<'_>> {
        let n = match self {
            OpList::Held(c) => c.op_count(),
            OpList::Read(stubs) => stubs.len(),
        };
        (0..n).map_while(|i| self.get(i))
    }
}

/// Appends `s` to `text` and says where it ends now. Text past 4 GiB is left out rather than
/// numbered wrong; it cannot happen, since no definition over 64 MB is read
/// (`parse::MAX_FILE_BYTES`).
fn push(text: &mut String, s: &str) -> u32 {
    if let Ok(end) = u32::try_from(text.len() + s.len()) {
        text.push_str(s);
        return end;
    }
    index32(text.len())
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

    /// The operations of a definition.
    fn operations(definition: &str) -> Vec<Operation> {
        crate::parse::definition_model("apiDefinition.swagger.json", definition, &mut Vec::new())
            .take_details()
            .operations
    }

    #[test]
    fn a_stub_reads_as_its_operation_does() {
        let mut ops = operations(
            r#"{"swagger": "2.0", "info": {"title": "T", "version": "1.0"}, "paths": {
              "/a": {"get": {"operationId": "GetA", "summary": "Get A",
                             "responses": {"200": {"description": "OK"}}}},
              "/b": {"post": {"operationId": "Get A", "x-ms-visibility": "internal",
                              "deprecated": true,
                              "responses": {"200": {"description": "OK"}}}}}}"#,
        );
        ops[0].copilot = Some(crate::model::Copilot {
            user_confirmation: true,
        });
        assert_ne!(ops[1].anchor, ops[1].id, "a made-up anchor is kept");
        let stubs = OpStubs::of(&ops);
        assert_eq!(stubs.len(), ops.len());
        for (i, o) in ops.iter().enumerate() {
            assert_eq!(stubs.get(i), Some(OpRef::of(o)));
            assert_eq!(stubs.get(i).map(|s| s.title()), Some(o.title()));
        }
        assert_eq!(stubs.get(ops.len()), None);
        assert!(stubs.iter().eq(ops.iter().map(OpRef::of)));
        let hidden = OpRef::of(&ops[1]);
        assert!(hidden.internal && hidden.deprecated && !hidden.is_live());
        assert_eq!(ops[1].visibility, Visibility::Internal);
        assert!(OpRef::of(&ops[0]).is_live() && OpRef::of(&ops[0]).copilot);
        assert_eq!(std::mem::size_of::<Packed>(), 20);
    }

    /// Written as bytes, stubs read back the same; bytes cut short, grown or bent are not
    /// read as stubs.
    #[test]
    fn stubs_read_back_from_their_bytes_and_damaged_bytes_are_refused() {
        let mut ops = operations(
            r#"{"swagger": "2.0", "info": {"title": "T", "version": "1.0"}, "paths": {
              "/a": {"get": {"operationId": "GetA", "summary": "Get «A» ✓",
                             "responses": {"200": {"description": "OK"}}},
                     "post": {"operationId": "OnA", "x-ms-trigger": "single", "deprecated": true,
                              "responses": {"200": {"description": "OK"}}}}}}"#,
        );
        ops[1].page = 3;
        ops[1].anchor = "on-a-2".into();
        let stubs = OpStubs::of(&ops);
        let bytes = stubs.to_bytes();
        assert_eq!(OpStubs::from_bytes(&bytes), Some(stubs.clone()));
        assert_eq!(
            OpStubs::from_bytes(&OpStubs::default().to_bytes()),
            Some(OpStubs::default())
        );
        for cut in 0..bytes.len() {
            assert_eq!(OpStubs::from_bytes(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(OpStubs::from_bytes(&longer), None);
        let mut bad_kind = bytes.clone();
        let kind_at = bytes.len() - 2;
        bad_kind[kind_at] = 7;
        assert_eq!(OpStubs::from_bytes(&bad_kind), None);
        let mut bad_text = bytes;
        bad_text[4] = 0xff;
        assert_eq!(OpStubs::from_bytes(&bad_text), None, "not UTF-8");
    }

    /// Forgotten, the stubs are gone but their counts stay (the lists and exports read them,
    /// and the spill checks a connector read back against its number of operations).
    #[test]
    fn forgotten_stubs_keep_their_counts() {
        let ops = operations(
            r#"{"swagger": "2.0", "info": {"title": "T", "version": "1.0"}, "paths": {
              "/a": {"get": {"operationId": "GetA", "responses": {"200": {"description": "OK"}}},
                     "post": {"operationId": "OnA", "x-ms-trigger": "single", "deprecated": true,
                              "responses": {"200": {"description": "OK"}}}},
              "/b": {"get": {"operationId": "GetB", "x-ms-openai-data": {"operation-enabled": true},
                             "responses": {"200": {"description": "OK"}}}}}}"#,
        );
        let mut stubs = OpStubs::of(&ops);
        let counted = OpCounts::of(stubs.iter());
        let expected = OpCounts {
            total: 3,
            actions: 2,
            triggers: 1,
            deprecated: 1,
            copilot: true,
        };
        assert_eq!(counted, expected);
        assert_eq!(stubs.forgotten(), None);
        stubs.forget();
        assert_eq!(stubs.forgotten(), Some(expected));
        assert_eq!(
            (stubs.len(), stubs.get(0), stubs.iter().count()),
            (3, None, 0)
        );
        stubs.forget();
        assert_eq!(
            stubs.forgotten(),
            Some(expected),
            "forgotten twice, still counted"
        );
    }
}
