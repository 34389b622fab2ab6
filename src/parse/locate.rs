//! Source positions for JSON pointers, so diagnostics can name a line and column.
//!
//! Checks run on parsed `serde_json::Value`s, which forget where things were. A
//! [`Locator`] re-reads the text with the lenient tokenizer (same tolerance, so it
//! works on damaged files too) and records where every value and its key start,
//! indexed by RFC 6901 JSON pointer. Pointers are not stored as strings: each
//! value is a node, and a map from (parent node, key or index) to child node
//! resolves a pointer one segment at a time.

use foldhash::HashMap;

use serde_json::Value;

use super::lenient::{run, Cursor, Kind, Sink};
use super::pointer::unescape;

/// Position of a value, and of its key when inside an object (else same as value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub key_line: u32,
    pub key_column: u32,
}

/// Index of every value's position in a (possibly damaged) JSON text, keyed by RFC 6901 JSON pointer ("/paths/~1users/get").
#[derive(Debug, Clone, Default)]
pub struct Locator {
    spans: Vec<Span>,
    kinds: Vec<NodeKind>,
    children: HashMap<Child, u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeKind {
    Scalar,
    Object,
    Array,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Child {
    Member(u32, Box<str>),
    Index(u32, u32),
}

impl Locator {
    /// Indexes `text`. Damage is tolerated like `parse_lenient` does; if the text
    /// cannot be read to the end, what was read before the fatal error is kept.
    pub fn new(text: &str) -> Locator {
        let (indexer, _) = run(text, || Indexer::new(text.as_bytes()));
        indexer.locator
    }

    /// Position of the value at `pointer` ("" is the whole document).
    pub fn find(&self, pointer: &str) -> Option<Span> {
        match self.walk(pointer) {
            (Some(node), true) => self.spans.get(node).copied(),
            _ => None,
        }
    }

    /// nearest existing ancestor when the pointer itself is absent
    ///
    /// Falls back to line 1, column 1 when nothing at all was indexed.
    pub fn find_nearest(&self, pointer: &str) -> Span {
        self.walk(pointer)
            .0
            .and_then(|node| self.spans.get(node).copied())
            .unwrap_or(Span {
                line: 1,
                column: 1,
                key_line: 1,
                key_column: 1,
            })
    }

    /// Deepest node reached along `pointer`, and whether the whole pointer was found.
    fn walk(&self, pointer: &str) -> (Option<usize>, bool) {
        if self.spans.is_empty() {
            return (None, false);
        }
        let mut node: u32 = 0;
        if pointer.is_empty() {
            return (Some(0), true);
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return (Some(0), false);
        };
        for raw in rest.split('/') {
            let next = match self.kinds.get(node as usize) {
                Some(NodeKind::Object) => self.children.get(&Child::Member(
                    node,
                    unescape(raw).into_owned().into_boxed_str(),
                )),
                Some(NodeKind::Array) => {
                    parse_index(raw).and_then(|index| self.children.get(&Child::Index(node, index)))
                }
                _ => None,
            };
            match next {
                Some(&child) => node = child,
                None => return (Some(node as usize), false),
            }
        }
        (Some(node as usize), true)
    }
}

fn parse_index(segment: &str) -> Option<u32> {
    if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok()
}

/// Sink that records node positions; offsets arrive in increasing order, so one
/// forward cursor turns them all into lines and columns in a single pass.
struct Indexer<'t> {
    bytes: &'t [u8],
    cursor: Cursor,
    locator: Locator,
    /// Open containers: node, kind, next array index.
    stack: Vec<(u32, Kind, u32)>,
    pending_key: Option<(Box<str>, u32, u32)>,
}

impl<'t> Indexer<'t> {
    fn new(bytes: &'t [u8]) -> Self {
        Indexer {
            bytes,
            cursor: Cursor::new(),
            locator: Locator::default(),
            stack: Vec::new(),
            pending_key: None,
        }
    }

    fn add(&mut self, at: usize, kind: NodeKind) -> u32 {
        let (line, column) = self.cursor.advance(self.bytes, at);
        let (key_line, key_column, key) = match self.pending_key.take() {
            Some((key, key_line, key_column)) => (key_line, key_column, Some(key)),
            None => (line, column, None),
        };
        let id = u32::try_from(self.locator.spans.len()).unwrap_or(u32::MAX);
        self.locator.spans.push(Span {
            line,
            column,
            key_line,
            key_column,
        });
        self.locator.kinds.push(kind);
        if let Some((parent, parent_kind, next_index)) = self.stack.last_mut() {
            match parent_kind {
                Kind::Object => {
                    if let Some(key) = key {
                        self.locator
                            .children
                            .insert(Child::Member(*parent, key), id);
                    }
                }
                Kind::Array => {
                    self.locator
                        .children
                        .insert(Child::Index(*parent, *next_index), id);
                    *next_index = next_index.saturating_add(1);
                }
            }
        }
        id
    }
}

impl Sink for Indexer<'_> {
    fn begin(&mut self, kind: Kind, at: usize) {
        let node_kind = match kind {
            Kind::Object => NodeKind::Object,
            Kind::Array => NodeKind::Array,
        };
        let id = self.add(at, node_kind);
        self.stack.push((id, kind, 0));
    }

    fn key(&mut self, key: String, at: usize) {
        let (line, column) = self.cursor.advance(self.bytes, at);
        self.pending_key = Some((key.into_boxed_str(), line, column));
    }

    fn scalar(&mut self, _value: Value, at: usize) {
        self.add(at, NodeKind::Scalar);
    }

    fn end(&mut self) {
        self.stack.pop();
        self.pending_key = None;
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A span, for the tests of both locators.
    pub(in crate::parse) fn span(line: u32, column: u32, key_line: u32, key_column: u32) -> Span {
        Span {
            line,
            column,
            key_line,
            key_column,
        }
    }

    /// Escaped and empty keys, arrays and non-ASCII text: what both locators must agree on.
    pub(in crate::parse) const DOC: &str = r#"{
  "swagger": "2.0",
  "paths": {
    "/users/{id}": {
      "get": {"parameters": [{"name": "id"}, {"name": "q"}]}
    },
    "a~b": [1, [2, 3]],
    "": {"é": true},
    "esc\"aped": {"é": true}
  }
}"#;

    #[test]
    fn finds_values_and_keys() {
        let locator = Locator::new(DOC);
        assert_eq!(locator.find(""), Some(span(1, 1, 1, 1)));
        assert_eq!(locator.find("/swagger"), Some(span(2, 14, 2, 3)));
        assert_eq!(locator.find("/paths"), Some(span(3, 12, 3, 3)));
        assert_eq!(
            locator.find("/paths/~1users~1{id}/get"),
            Some(span(5, 14, 5, 7))
        );
        assert_eq!(
            locator.find("/paths/~1users~1{id}/get/parameters/1/name"),
            Some(span(5, 55, 5, 47))
        );
    }

    #[test]
    fn tilde_escapes_and_array_indices() {
        let locator = Locator::new(DOC);
        assert_eq!(locator.find("/paths/a~0b"), Some(span(7, 12, 7, 5)));
        assert_eq!(locator.find("/paths/a~0b/0"), Some(span(7, 13, 7, 13)));
        assert_eq!(locator.find("/paths/a~0b/1/1"), Some(span(7, 20, 7, 20)));
        assert_eq!(locator.find("/paths//é"), Some(span(8, 15, 8, 10)));
        assert_eq!(locator.find("/paths/a~0b/01x"), None);
        assert_eq!(locator.find("/paths/a~0b/2"), None);
        assert_eq!(locator.find("/paths/a~1b"), None);
        assert_eq!(locator.find("paths"), None);
    }

    #[test]
    fn nearest_ancestor_when_absent() {
        let locator = Locator::new(DOC);
        assert_eq!(
            locator.find_nearest("/paths/~1users~1{id}/post/responses"),
            span(4, 20, 4, 5)
        );
        assert_eq!(locator.find_nearest("/nothing"), span(1, 1, 1, 1));
        assert_eq!(locator.find_nearest("/swagger/x"), span(2, 14, 2, 3));
        assert_eq!(Locator::new("").find_nearest("/a"), span(1, 1, 1, 1));
    }

    #[test]
    fn works_on_damaged_text() {
        let text = "{\n  // comment\n  'a': [1, 2,],\n  b: {\"c\": 3\n  \"d\": \"tab\there\"\n";
        let locator = Locator::new(text);
        assert_eq!(locator.find("/a/1"), Some(span(3, 12, 3, 12)));
        assert_eq!(locator.find("/b"), Some(span(4, 6, 4, 3)));
        assert_eq!(locator.find("/b/d"), Some(span(5, 8, 5, 3)));
    }

    #[test]
    fn keeps_what_was_read_before_a_fatal_error() {
        let locator = Locator::new("{\"a\": {\"b\": 1}, \"c\": <oops>}");
        assert_eq!(locator.find("/a/b"), Some(span(1, 13, 1, 8)));
        assert_eq!(locator.find("/c"), None);
        assert_eq!(locator.find_nearest("/c"), span(1, 1, 1, 1));
    }

    #[test]
    fn duplicate_keys_point_at_the_last() {
        let locator = Locator::new("{\"a\": 1,\n \"a\": 2}");
        assert_eq!(locator.find("/a"), Some(span(2, 7, 2, 2)));
    }
}
