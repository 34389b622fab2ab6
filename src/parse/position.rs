//! Line and column of many JSON pointers in one pass over a file.
//!
//! Rules produce findings with JSON pointers; this turns them into positions. `Locator`
//! indexes every node of a document, which costs more than parsing the file again; here a
//! single scan of strict JSON follows only the members that lead to a wanted pointer and
//! skips every other subtree byte by byte. Damaged files (the few that needed repairs) fall
//! back to `Locator`, which tolerates what the lenient parser tolerates. A pointer that is
//! not in the file gets the position of its nearest existing ancestor.

use crate::parse::lenient::Cursor;
use crate::parse::locate::{Locator, Span};
use crate::parse::pointer::unescape;
use foldhash::HashMap;
use std::borrow::Cow;

/// Deepest nesting followed by the fast scan (deeper files use `Locator`).
const MAX_DEPTH: usize = 512;

/// The bytes `skip_container` stops at: strings, brackets and `/` (a comment).
const STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let bytes = *b"\"{}[]/";
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// The first byte at or after `from` that matters to a skipped container. Indentation, most
/// of a pretty-printed definition's bytes outside strings, is passed eight spaces at a time.
fn next_structural(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let b = *bytes.get(from)?;
        if STRUCTURAL[usize::from(b)] {
            return Some(from);
        }
        from += 1;
        if b == b'\n' {
            while bytes.get(from..from + 8) == Some(b"        ") {
                from += 8;
            }
        }
    }
}

/// Where a pointer is: line and column of its value and key, and their byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub span: Span,
    pub offset: usize,
    pub key_offset: usize,
}

/// What the caller knows of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// It parsed as strict JSON without a repeated key: the scan may stop as soon as every
    /// wanted pointer is settled, since nothing after that can move one.
    Clean,
    /// It may be damaged or repeat keys (a later duplicate wins): the scan reads it to the
    /// end, and falls back to `Locator` when it is not strict JSON.
    Unknown,
}

/// Positions of `pointers` in `text`, in the same order.
pub fn locate(text: &str, kind: Text, pointers: &[&str]) -> Vec<Place> {
    if pointers.is_empty() {
        return Vec::new();
    }
    let trie = Trie::of(pointers);
    let mut scan = Scan {
        bytes: text.as_bytes(),
        pos: 0,
        trie: &trie,
        found: vec![None; trie.nodes.len()],
        unsettled: trie.nodes.iter().map(|n| n.children.len()).collect(),
        settled: vec![false; trie.nodes.len()],
        may_stop: kind == Text::Clean,
        done: false,
    };
    if scan.document().is_some() {
        return scan.spans(pointers.len());
    }
    let locator = Locator::new(text);
    let starts = line_starts(text);
    pointers
        .iter()
        .map(|p| {
            let span = locator.find_nearest(p);
            Place {
                span,
                offset: offset_of(text, &starts, span.line, span.column),
                key_offset: offset_of(text, &starts, span.key_line, span.key_column),
            }
        })
        .collect()
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, starts: &[usize], line: u32, column: u32) -> usize {
    let start = starts
        .get((line.max(1) - 1) as usize)
        .copied()
        .unwrap_or(text.len());
    let rest = text.get(start..).unwrap_or("");
    rest.char_indices()
        .nth((column.max(1) - 1) as usize)
        .map_or(text.len(), |(i, _)| start + i)
}

/// The wanted pointers as a tree of segments; node 0 is the document.
struct Trie {
    nodes: Vec<TrieNode>,
    /// For each wanted pointer, its nodes from the root down.
    paths: Vec<Vec<usize>>,
}

#[derive(Default)]
struct TrieNode {
    children: HashMap<String, usize>,
    /// The node above (the root's is itself).
    parent: usize,
}

impl Trie {
    fn of(pointers: &[&str]) -> Trie {
        let mut trie = Trie {
            nodes: vec![TrieNode::default()],
            paths: Vec::with_capacity(pointers.len()),
        };
        for p in pointers {
            let mut node = 0;
            let mut path = vec![0];
            for segment in p.split('/').skip(1) {
                let segment = unescape(segment).into_owned();
                node = match trie.nodes[node].children.get(&segment) {
                    Some(&child) => child,
                    None => {
                        let child = trie.nodes.len();
                        trie.nodes.push(TrieNode {
                            parent: node,
                            ..TrieNode::default()
                        });
                        trie.nodes[node].children.insert(segment, child);
                        child
                    }
                };
                path.push(node);
            }
            trie.paths.push(path);
        }
        trie
    }

    fn child(&self, node: Option<usize>, key: &str) -> Option<usize> {
        let n = self.nodes.get(node?)?;
        if n.children.is_empty() {
            return None;
        }
        n.children.get(key).copied()
    }
}

/// A strict JSON scanner that records the byte offsets of trie nodes (value, key).
struct Scan<'a> {
    bytes: &'a [u8],
    pos: usize,
    trie: &'a Trie,
    found: Vec<Option<(usize, usize)>>,
    /// Per node, how many of its children are not settled yet. A node is settled when its
    /// place can no longer change: a leaf once found, an inner node once all its children
    /// are settled or its value has been read to the end.
    unsettled: Vec<usize>,
    settled: Vec<bool>,
    /// Whether the scan may stop once the root is settled (`Text::Clean`).
    may_stop: bool,
    /// Every wanted pointer is settled: the rest of the text is not read.
    done: bool,
}

impl<'a> Scan<'a> {
    fn document(&mut self) -> Option<()> {
        self.ws();
        self.value(Some(0), self.pos, 0)?;
        if self.done {
            return Some(());
        }
        self.ws();
        (self.pos == self.bytes.len()).then_some(())
    }

    /// Marks `node` settled, and each node above it whose children are now all settled.
    fn settle(&mut self, mut node: usize) {
        loop {
            if std::mem::replace(&mut self.settled[node], true) {
                return;
            }
            if node == 0 {
                self.done = self.may_stop;
                return;
            }
            node = self.trie.nodes[node].parent;
            self.unsettled[node] -= 1;
            if self.unsettled[node] > 0 {
                return;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.ws();
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    fn value(&mut self, node: Option<usize>, key_at: usize, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let Some(n) = node else {
            return self.skip();
        };
        self.found[n] = Some((self.pos, key_at));
        if self.trie.nodes.get(n).is_none_or(|t| t.children.is_empty()) {
            self.settle(n);
            return if self.done { Some(()) } else { self.skip() };
        }
        match self.peek()? {
            b'{' => self.object(n, depth)?,
            b'[' => self.array(n, depth)?,
            _ => self.skip()?,
        }
        self.settle(n);
        Some(())
    }

    fn object(&mut self, node: usize, depth: usize) -> Option<()> {
        self.pos += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.ws();
            let key_at = self.pos;
            let key = self.string()?;
            self.expect(b':')?;
            self.ws();
            let child = self.trie.child(Some(node), &key);
            self.value(child, key_at, depth + 1)?;
            if self.done {
                return Some(());
            }
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, node: usize, depth: usize) -> Option<()> {
        self.pos += 1;
        self.ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        let wants_children = self
            .trie
            .nodes
            .get(node)
            .is_some_and(|n| !n.children.is_empty());
        let mut index = 0usize;
        loop {
            self.ws();
            let child = if wants_children {
                self.trie.child(Some(node), &index.to_string())
            } else {
                None
            };
            let at = self.pos;
            self.value(child, at, depth + 1)?;
            if self.done {
                return Some(());
            }
            index += 1;
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Reads a string at `pos` and returns its decoded text.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.pos;
        let escaped = self.skip_string()?;
        let bytes: &'a [u8] = self.bytes;
        let raw = bytes.get(start..self.pos)?;
        if escaped {
            serde_json::from_slice::<String>(raw).ok().map(Cow::Owned)
        } else {
            std::str::from_utf8(raw.get(1..raw.len() - 1)?)
                .ok()
                .map(Cow::Borrowed)
        }
    }

    /// Skips a string at `pos`; true when it contained escapes.
    fn skip_string(&mut self) -> Option<bool> {
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        let mut escaped = false;
        loop {
            // Raw control characters inside a string do not change the structure: they are
            // let through (the parser has already reported them).
            let rest = self.bytes.get(self.pos..)?;
            let at = memchr::memchr2(b'"', b'\\', rest)?;
            self.pos += at;
            if self.peek()? == b'"' {
                self.pos += 1;
                return Some(escaped);
            }
            escaped = true;
            self.pos += 2;
        }
    }

    /// Skips any value without recording anything.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string().map(|_| ()),
            b'{' | b'[' => self.skip_container(),
            _ => self.skip_scalar(),
        }
    }

    fn skip_scalar(&mut self) -> Option<()> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.pos += 1;
        }
        let word = self.bytes.get(start..self.pos)?;
        let ok = matches!(word, b"true" | b"false" | b"null")
            || word
                .first()
                .is_some_and(|b| b.is_ascii_digit() || *b == b'-');
        ok.then_some(())
    }

    /// Skips an object or array by counting brackets outside strings.
    fn skip_container(&mut self) -> Option<()> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            // Straight to the next byte that matters (indentation and scalars are most of a
            // definition's bytes outside strings).
            self.pos = next_structural(self.bytes, self.pos)?;
            match self.peek()? {
                b'"' => {
                    self.skip_string()?;
                    continue;
                }
                open @ (b'{' | b'[') => {
                    if stack.len() > MAX_DEPTH {
                        return None;
                    }
                    stack.push(if open == b'{' { b'}' } else { b']' });
                }
                close @ (b'}' | b']') => {
                    if stack.pop()? != close {
                        return None;
                    }
                    if stack.is_empty() {
                        self.pos += 1;
                        return Some(());
                    }
                }
                _ => return None, // `/`: a comment, not strict JSON
            }
            self.pos += 1;
        }
    }

    /// For each wanted pointer, the place of its deepest node that was found.
    fn spans(&self, count: usize) -> Vec<Place> {
        let offsets: Vec<(usize, usize)> = (0..count)
            .map(|i| {
                self.trie.paths[i]
                    .iter()
                    .rev()
                    .find_map(|&n| self.found[n])
                    .unwrap_or((0, 0))
            })
            .collect();
        let mut all: Vec<usize> = offsets.iter().flat_map(|&(v, k)| [v, k]).collect();
        all.sort_unstable();
        all.dedup();
        let mut cursor = Cursor::new();
        let positions: Vec<(usize, (u32, u32))> = all
            .into_iter()
            .map(|o| (o, cursor.advance(self.bytes, o)))
            .collect();
        let at = |o: usize| {
            positions
                .binary_search_by_key(&o, |(offset, _)| *offset)
                .ok()
                .and_then(|i| positions.get(i))
                .map_or((1, 1), |(_, p)| *p)
        };
        offsets
            .into_iter()
            .map(|(v, k)| {
                let (line, column) = at(v);
                let (key_line, key_column) = at(k);
                Place {
                    span: Span {
                        line,
                        column,
                        key_line,
                        key_column,
                    },
                    offset: v,
                    key_offset: k,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::locate::tests::{span, DOC};

    #[test]
    fn agrees_with_the_locator() {
        let pointers = [
            "",
            "/swagger",
            "/paths/~1users~1{id}/get",
            "/paths/~1users~1{id}/get/parameters/1/name",
            "/paths/a~0b/1/1",
            "/paths/esc\"aped/é",
            "/paths//é",
            "/paths/~1users~1{id}/post/responses",
            "/nothing",
        ];
        let locator = Locator::new(DOC);
        let starts = line_starts(DOC);
        for kind in [Text::Unknown, Text::Clean] {
            let fast = locate(DOC, kind, &pointers);
            for (p, got) in pointers.iter().zip(fast) {
                let span = locator.find_nearest(p);
                assert_eq!(got.span, span, "{p} {kind:?}");
                assert_eq!(
                    got.offset,
                    offset_of(DOC, &starts, span.line, span.column),
                    "{p} {kind:?}"
                );
            }
        }
    }

    /// Each wanted pointer alone, then all the document's pointers in every order of
    /// finishing: a clean text's scan stops early and must land where the full scan lands.
    #[test]
    fn a_clean_scan_that_stops_early_lands_where_the_full_scan_lands() {
        let text = "{\"a\": {\"b\": [1, {\"c\": 2}], \"d\": 3}, \"e\": {\"f\": 4}, \"g\": 5}";
        let pointers = [
            "",
            "/a",
            "/a/b",
            "/a/b/0",
            "/a/b/1",
            "/a/b/1/c",
            "/a/b/1/x",
            "/a/b/9",
            "/a/d",
            "/a/zz",
            "/e",
            "/e/f",
            "/e/f/deeper",
            "/g",
            "/missing",
            "/missing/too",
        ];
        let all = locate(text, Text::Unknown, &pointers);
        assert_eq!(locate(text, Text::Clean, &pointers), all);
        for (i, p) in pointers.iter().enumerate() {
            assert_eq!(locate(text, Text::Clean, &[p]), [all[i]], "{p}");
            for q in &pointers[i..] {
                let pair = locate(text, Text::Clean, &[p, q]);
                let j = pointers.iter().position(|x| x == q).unwrap_or(0);
                assert_eq!(pair, [all[i], all[j]], "{p} {q}");
            }
        }
    }

    /// The scan of a clean text stops at the first settled place: shown here on a repeated
    /// key, which is why only text without repeated keys may be called clean.
    #[test]
    fn a_clean_scan_stops_once_every_pointer_is_settled() {
        let text = "{\"a\": 1,\n \"a\": 2}";
        assert_eq!(locate(text, Text::Clean, &["/a"])[0].span, span(1, 7, 1, 2));
        assert_eq!(
            locate(text, Text::Unknown, &["/a"])[0].span,
            span(2, 7, 2, 2)
        );
    }

    #[test]
    fn damaged_text_falls_back_to_the_locator() {
        let text = "{\n  // comment\n  \"a\": [1, 2,],\n  \"b\": {\"c\": 3}\n}";
        let got = locate(text, Text::Unknown, &["/a/1", "/b/c"]);
        assert_eq!(got[0].span, span(3, 12, 3, 12));
        assert_eq!(got[1].span, span(4, 14, 4, 9));
        assert_eq!(&text[got[1].offset..got[1].offset + 1], "3");
    }

    #[test]
    fn duplicate_keys_point_at_the_last() {
        let got = locate("{\"a\": 1,\n \"a\": 2}", Text::Unknown, &["/a"]);
        assert_eq!(got[0].span, span(2, 7, 2, 2));
    }
}
