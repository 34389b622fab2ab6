//! Tolerant JSON parsing for the damaged files found in real connector repositories.
//!
//! `serde_json` stops at the first defect, but connector repositories ship
//! definitions with trailing or missing commas, comments, unquoted keys, raw tabs
//! in strings, odd whitespace, truncated endings and stray braces: damage a person
//! fixes by eye. This parser makes those fixes, reports each one as a [`Repair`]
//! with its line and column, and gives up with a located [`Fatal`] only when no
//! sensible reading exists. It keeps an explicit stack instead of recursing, runs
//! in linear time and never panics, whatever the input. The same tokenizer drives
//! `locate.rs` through the crate-internal [`Sink`] trait, so both have the same
//! tolerance.

use std::fmt;

use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

/// Deepest nesting of objects and arrays that is accepted.
pub const MAX_DEPTH: usize = 512;

/// Most repairs listed one by one; past this, one summary repair counts the rest
/// (so a file of ten million raw tabs cannot fill memory with messages).
pub const MAX_REPAIRS: usize = 1000;

/// One defect that was fixed while parsing, at the place of the damage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Why a text could not be read as JSON at all, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fatal {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for Fatal {}

/// Parses `text` as JSON, repairing the damage commonly found in hand-edited files.
///
/// Returns the value with every repair that was made (in text order), or a
/// [`Fatal`] when the text cannot be read as JSON. Object key order is kept.
pub fn parse_lenient(text: &str) -> Result<(Value, Vec<Repair>), Fatal> {
    let (builder, outcome) = run(text, Builder::default);
    if let Some((offset, message)) = outcome.fatal {
        let (line, column) = line_col(text, offset);
        return Err(Fatal {
            line,
            column,
            message,
        });
    }
    let Some(value) = builder.root else {
        let (line, column) = line_col(text, text.len());
        return Err(Fatal {
            line,
            column,
            message: "expected a value, found end of file".to_string(),
        });
    };
    let mut raw = outcome.repairs;
    raw.extend(builder.repairs.into_vec());
    Ok((value, locate_repairs(text, raw)))
}

/// Line and column of a byte offset (for turning serde_json errors and offsets into locations).
///
/// Both are 1-based; the column counts Unicode characters. Offsets past the end
/// give the position just after the last character.
pub fn line_col(text: &str, byte_offset: usize) -> (u32, u32) {
    Cursor::new().advance(text.as_bytes(), byte_offset)
}

/// Turns byte offsets into line/column positions, moving forward through the text
/// so that a sequence of increasing offsets costs one pass in total.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cursor {
    pos: usize,
    line: u32,
    column: u32,
}

impl Cursor {
    pub(crate) fn new() -> Cursor {
        Cursor {
            pos: 0,
            line: 1,
            column: 1,
        }
    }

    /// Position of `offset`; restarts from the top when asked to go backwards.
    pub(crate) fn advance(&mut self, bytes: &[u8], offset: usize) -> (u32, u32) {
        let offset = offset.min(bytes.len());
        if offset < self.pos {
            *self = Cursor::new();
        }
        let mut rest = bytes.get(self.pos..offset).unwrap_or(&[]);
        // Lines are counted with memchr and characters only after the last line break: the
        // byte-by-byte loop this replaces was 2% of a corpus build (every finding is located).
        if let Some(last) = memchr::memrchr(b'\n', rest) {
            let breaks = memchr::memchr_iter(b'\n', rest).count();
            self.line = self
                .line
                .saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
            self.column = 1;
            rest = &rest[last + 1..];
        }
        let chars = rest.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        self.column = self
            .column
            .saturating_add(u32::try_from(chars).unwrap_or(u32::MAX));
        self.pos = offset;
        (self.line, self.column)
    }
}

/// Repairs as (byte offset, message), keeping at most [`MAX_REPAIRS`].
#[derive(Default)]
struct RepairLog {
    list: Vec<(usize, String)>,
    dropped: usize,
    first_dropped: usize,
}

impl RepairLog {
    fn push(&mut self, at: usize, message: impl Into<String>) {
        if self.list.len() < MAX_REPAIRS {
            self.list.push((at, message.into()));
        } else {
            if self.dropped == 0 {
                self.first_dropped = at;
            }
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    fn into_vec(mut self) -> Vec<(usize, String)> {
        if self.dropped > 0 {
            self.list.push((
                self.first_dropped,
                format!(
                    "{} more repairs from here on are not listed (only the first {MAX_REPAIRS} are)",
                    self.dropped
                ),
            ));
        }
        self.list
    }
}

fn locate_repairs(text: &str, mut raw: Vec<(usize, String)>) -> Vec<Repair> {
    raw.sort_by_key(|(offset, _)| *offset);
    let mut cursor = Cursor::new();
    raw.into_iter()
        .map(|(offset, message)| {
            let (line, column) = cursor.advance(text.as_bytes(), offset);
            Repair {
                line,
                column,
                message,
            }
        })
        .collect()
}

/// Kind of container being parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
}

impl Kind {
    fn closer(self) -> char {
        match self {
            Kind::Object => '}',
            Kind::Array => ']',
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
        }
    }
}

/// Receives the structure found by the parser, in text order. `at` is the byte
/// offset where the token starts. A key is always followed by its value, except
/// at a truncated end, where `end` comes instead.
pub(crate) trait Sink {
    fn begin(&mut self, kind: Kind, at: usize);
    fn key(&mut self, key: String, at: usize);
    fn scalar(&mut self, value: Value, at: usize);
    fn end(&mut self);
}

/// Result of a run: repairs as (byte offset, message), and the fatal error if any.
pub(crate) struct Outcome {
    pub(crate) repairs: Vec<(usize, String)>,
    pub(crate) fatal: Option<(usize, String)>,
}

/// Parses `text` into a sink made by `make`.
///
/// A first pass takes the text at face value. If it fails, ignores extra data
/// after the top-level value, reopens the top-level object or closes containers
/// at the end of the file, and the text holds a closer that its indentation
/// marks as extra (two closers in a row at the same indentation, the second one
/// deeper than the line that opened its container), a second pass drops such
/// closers; its result is kept only if it reads the text cleanly to the end.
pub(crate) fn run<S: Sink>(text: &str, make: impl Fn() -> S) -> (S, Outcome) {
    let mut first = Parser::new(text, make(), false);
    let result = first.parse();
    if first.saw_suspicious
        && (result.is_err() || first.extra_data || first.reopened_root || first.closed_at_eof)
    {
        let mut second = Parser::new(text, make(), true);
        let result2 = second.parse();
        if result2.is_ok() && !second.extra_data && !second.closed_at_eof && !second.reopened_root {
            return second.finish(result2);
        }
    }
    first.finish(result)
}

type RawError = (usize, String);

#[derive(Debug, Clone, Copy)]
enum State {
    /// Just after the opener.
    Start,
    /// After a comma at the given offset.
    AfterComma(usize),
    /// Object only: after a key, expecting `:`.
    Colon,
    /// Object only: after `:`, expecting the value.
    Value,
    /// After a member or element.
    AfterValue,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    kind: Kind,
    state: State,
    /// Offset of the start of the line holding the opener.
    line_start: usize,
    /// Leading spaces and tabs on that line.
    indent: usize,
}

#[derive(Debug, Clone, Copy)]
struct LastCloser {
    end: usize,
    indent: usize,
    /// First on its line and indented like the line that opened its container.
    aligned: bool,
}

struct Parser<'t, S> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    line_start: usize,
    stack: Vec<Frame>,
    sink: S,
    repairs: RepairLog,
    skip_suspicious: bool,
    saw_suspicious: bool,
    last_closer: Option<LastCloser>,
    /// End of the last key, value or closer.
    token_end: usize,
    extra_data: bool,
    closed_at_eof: bool,
    reopened_root: bool,
}

impl<'t, S: Sink> Parser<'t, S> {
    fn new(text: &'t str, sink: S, skip_suspicious: bool) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            line_start: 0,
            stack: Vec::new(),
            sink,
            repairs: RepairLog::default(),
            skip_suspicious,
            saw_suspicious: false,
            last_closer: None,
            token_end: 0,
            extra_data: false,
            closed_at_eof: false,
            reopened_root: false,
        }
    }

    fn finish(self, result: Result<(), RawError>) -> (S, Outcome) {
        (
            self.sink,
            Outcome {
                repairs: self.repairs.into_vec(),
                fatal: result.err(),
            },
        )
    }

    fn parse(&mut self) -> Result<(), RawError> {
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return Err((
                self.pos,
                "expected a value, found end of file (the input is empty)".to_string(),
            ));
        }
        self.value()?;
        while !self.stack.is_empty() {
            self.skip_ws();
            self.step()?;
        }
        self.skip_ws();
        if self.pos < self.bytes.len() {
            self.repair(self.pos, "ignored extra data after the JSON value");
            self.extra_data = true;
        }
        Ok(())
    }

    fn step(&mut self) -> Result<(), RawError> {
        let Some(frame) = self.stack.last().copied() else {
            return Ok(());
        };
        let Some(b) = self.peek() else {
            self.close_all_at_eof();
            return Ok(());
        };
        match frame.kind {
            Kind::Object => self.step_object(frame, b),
            Kind::Array => self.step_array(frame, b),
        }
    }

    fn step_object(&mut self, frame: Frame, b: u8) -> Result<(), RawError> {
        match frame.state {
            State::Start | State::AfterComma(_) => {
                let comma = match frame.state {
                    State::AfterComma(at) => Some(at),
                    _ => None,
                };
                match b {
                    b'}' => {
                        self.trailing_comma(comma);
                        self.close_matching();
                        Ok(())
                    }
                    b']' => {
                        self.trailing_comma(comma);
                        self.mismatched(b);
                        Ok(())
                    }
                    b',' => {
                        self.repair(self.pos, "removed extra comma");
                        self.pos += 1;
                        Ok(())
                    }
                    b'{' => match comma {
                        // `{"a": 1, {`: an element object was not closed before
                        // the next element of the enclosing array.
                        Some(at) if self.parent_kind() == Some(Kind::Array) => {
                            self.repair(self.pos, "inserted missing `}`");
                            self.pop();
                            self.token_end = at;
                            self.set_state(State::AfterComma(at));
                            Ok(())
                        }
                        _ => Err(self.expected("a key", self.pos)),
                    },
                    _ => self.key(),
                }
            }
            State::Colon => match b {
                b':' => {
                    self.pos += 1;
                    self.set_state(State::Value);
                    Ok(())
                }
                b'"' | b'\'' | b'{' | b'[' | b'-' | b'0'..=b'9' => {
                    self.repair(self.token_end, "inserted missing `:`");
                    self.set_state(State::Value);
                    Ok(())
                }
                _ => Err(self.expected("`:` after the key", self.pos)),
            },
            State::Value => match b {
                b'}' | b']' | b',' => {
                    self.repair(self.pos, "inserted `null` for a missing value");
                    self.sink.scalar(Value::Null, self.pos);
                    self.token_end = self.pos;
                    self.set_state(State::AfterValue);
                    Ok(())
                }
                _ => {
                    self.set_state(State::AfterValue);
                    self.value()
                }
            },
            State::AfterValue => match b {
                b',' => {
                    self.set_state(State::AfterComma(self.pos));
                    self.pos += 1;
                    Ok(())
                }
                b'}' => {
                    self.close_matching();
                    Ok(())
                }
                b']' => {
                    self.mismatched(b);
                    Ok(())
                }
                b'{' if self.parent_kind() == Some(Kind::Array) => {
                    self.repair(self.pos, "inserted missing `}`");
                    self.pop();
                    self.token_end = self.pos;
                    Ok(())
                }
                _ if self.at_key_start() => {
                    self.repair(self.token_end, "inserted missing comma");
                    self.set_state(State::AfterComma(self.token_end));
                    Ok(())
                }
                _ => Err(self.expected("`,` or `}`", self.pos)),
            },
        }
    }

    fn step_array(&mut self, frame: Frame, b: u8) -> Result<(), RawError> {
        match frame.state {
            State::Start | State::AfterComma(_) => {
                let comma = match frame.state {
                    State::AfterComma(at) => Some(at),
                    _ => None,
                };
                match b {
                    b']' => {
                        self.trailing_comma(comma);
                        self.close_matching();
                        Ok(())
                    }
                    b'}' => {
                        self.trailing_comma(comma);
                        self.mismatched(b);
                        Ok(())
                    }
                    b',' => {
                        self.repair(self.pos, "removed extra comma");
                        self.pos += 1;
                        Ok(())
                    }
                    _ => {
                        self.set_state(State::AfterValue);
                        self.value()
                    }
                }
            }
            State::Colon | State::Value | State::AfterValue => match b {
                b',' => {
                    self.set_state(State::AfterComma(self.pos));
                    self.pos += 1;
                    Ok(())
                }
                b']' => {
                    self.close_matching();
                    Ok(())
                }
                b'}' => {
                    self.mismatched(b);
                    Ok(())
                }
                _ if self.at_value_start() => {
                    self.repair(self.token_end, "inserted missing comma");
                    self.set_state(State::AfterComma(self.token_end));
                    Ok(())
                }
                _ => Err(self.expected("`,` or `]`", self.pos)),
            },
        }
    }

    // ----- structure -------------------------------------------------------

    fn set_state(&mut self, state: State) {
        if let Some(frame) = self.stack.last_mut() {
            frame.state = state;
        }
    }

    fn parent(&self) -> Option<&Frame> {
        self.stack
            .len()
            .checked_sub(2)
            .and_then(|i| self.stack.get(i))
    }

    fn parent_kind(&self) -> Option<Kind> {
        self.parent().map(|f| f.kind)
    }

    fn pop(&mut self) {
        if self.stack.pop().is_some() {
            self.sink.end();
        }
    }

    fn trailing_comma(&mut self, comma: Option<usize>) {
        if let Some(at) = comma {
            self.repair(at, "removed trailing comma");
        }
    }

    fn open(&mut self, kind: Kind) -> Result<(), RawError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err((self.pos, format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let indent = self.indent_of_line();
        self.sink.begin(kind, self.pos);
        self.stack.push(Frame {
            kind,
            state: State::Start,
            line_start: self.line_start,
            indent,
        });
        self.pos += 1;
        Ok(())
    }

    /// The current byte closes the innermost container.
    fn close_matching(&mut self) {
        let pos = self.pos;
        let Some(frame) = self.stack.last().copied() else {
            return;
        };
        if self.extra_closer(&frame) {
            return;
        }
        if self.stack.len() == 1 && frame.kind == Kind::Object && self.members_follow(pos + 1) {
            // `{ ... } , "key": ...`: members were added after the closing brace.
            self.repair(
                pos,
                "ignored `}` that closed the top-level object too early",
            );
            self.pos += 1;
            self.reopened_root = true;
            self.last_closer = None;
            return;
        }
        let first_on_line = self.first_on_line(pos);
        let indent = pos.saturating_sub(self.line_start);
        self.pop();
        self.pos += 1;
        self.token_end = self.pos;
        self.last_closer = Some(LastCloser {
            end: self.pos,
            indent,
            aligned: first_on_line && indent == frame.indent,
        });
    }

    /// Whether the closer at the current position is one too many, judging by
    /// indentation: first on its line, right after another closer at the same
    /// indentation that matched its opener's line, and deeper than the line that
    /// opened the container it would close. Skips it when the pass allows.
    fn extra_closer(&mut self, frame: &Frame) -> bool {
        let pos = self.pos;
        if !self.first_on_line(pos) || frame.line_start == self.line_start {
            return false;
        }
        let indent = pos.saturating_sub(self.line_start);
        let Some(prev) = self.last_closer else {
            return false;
        };
        if indent <= frame.indent
            || !prev.aligned
            || prev.indent != indent
            || !self.only_whitespace(prev.end, pos)
        {
            return false;
        }
        self.saw_suspicious = true;
        if !self.skip_suspicious {
            return false;
        }
        let closer = self.peek().map_or('}', char::from);
        self.repair(pos, format!("removed extra `{closer}`"));
        self.pos += 1;
        self.last_closer = Some(LastCloser {
            end: self.pos,
            ..prev
        });
        true
    }

    /// Whether object members follow `from`: `, "key"` or `"key":` (after whitespace
    /// and comments). Looks ahead without consuming anything.
    fn members_follow(&self, from: usize) -> bool {
        let mut at = self.skip_ws_ahead(from);
        if self.peek_at(at) == Some(b',') {
            at = self.skip_ws_ahead(at + 1);
        }
        let after_key = match self.peek_at(at) {
            Some(quote @ (b'"' | b'\'')) => {
                let mut i = at + 1;
                loop {
                    match self.peek_at(i) {
                        None => return false,
                        Some(b'\\') => i += 2,
                        Some(b) if b == quote => break i + 1,
                        Some(_) => i += 1,
                    }
                }
            }
            _ if self.char_at(at).is_some_and(is_word_start) => self.word_end(at),
            _ => return false,
        };
        self.peek_at(self.skip_ws_ahead(after_key)) == Some(b':')
    }

    /// Position after whitespace and comments from `from`, without side effects.
    fn skip_ws_ahead(&self, from: usize) -> usize {
        let mut at = from;
        loop {
            match self.peek_at(at) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => at += 1,
                Some(b'/') if self.peek_at(at + 1) == Some(b'/') => {
                    while !matches!(self.peek_at(at), None | Some(b'\n')) {
                        at += 1;
                    }
                }
                Some(b'/') if self.peek_at(at + 1) == Some(b'*') => {
                    at += 2;
                    while self.peek_at(at).is_some()
                        && !(self.peek_at(at) == Some(b'*') && self.peek_at(at + 1) == Some(b'/'))
                    {
                        at += 1;
                    }
                    at = at.saturating_add(2).min(self.bytes.len());
                }
                Some(_) => match self.char_at(at) {
                    Some(c) if is_unusual_ws(c) => at += c.len_utf8(),
                    _ => return at,
                },
                None => return at,
            }
        }
    }

    /// The current byte is a closer of the other kind than the innermost container.
    fn mismatched(&mut self, closer: u8) {
        let pos = self.pos;
        let Some(frame) = self.stack.last().copied() else {
            return;
        };
        if self.extra_closer(&frame) {
            return;
        }
        let closer_kind = if closer == b'}' {
            Kind::Object
        } else {
            Kind::Array
        };
        let parent = self.parent().copied();
        let indent = pos.saturating_sub(self.line_start);
        // Indented like the innermost container's opener and not like its
        // parent's: a typo for the right closer rather than a missing one.
        let belongs_to_top = self.first_on_line(pos)
            && indent == frame.indent
            && parent.is_none_or(|p| p.indent != indent);
        if parent.map(|p| p.kind) == Some(closer_kind) && !belongs_to_top {
            self.repair(pos, format!("inserted missing `{}`", frame.kind.closer()));
            self.pop();
            self.token_end = pos;
        } else {
            self.repair(
                pos,
                format!(
                    "replaced `{}` with `{}`",
                    char::from(closer),
                    frame.kind.closer()
                ),
            );
            self.pop();
            self.pos += 1;
            self.token_end = self.pos;
        }
        self.last_closer = None;
    }

    fn close_all_at_eof(&mut self) {
        let end = self.bytes.len();
        while let Some(frame) = self.stack.last().copied() {
            if frame.kind == Kind::Object && matches!(frame.state, State::Colon | State::Value) {
                self.repair(end, "dropped a key that has no value at end of file");
            }
            self.repair(
                end,
                format!("closed unterminated {} at end of file", frame.kind.name()),
            );
            self.pop();
        }
        self.closed_at_eof = true;
        self.token_end = end;
    }

    // ----- tokens ----------------------------------------------------------

    fn value(&mut self) -> Result<(), RawError> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.open(Kind::Object),
            Some(b'[') => self.open(Kind::Array),
            Some(quote @ (b'"' | b'\'')) => {
                if quote == b'\'' {
                    self.repair(start, "converted single-quoted string to double quotes");
                }
                let s = self.string(quote)?;
                self.sink.scalar(Value::String(s), start);
                self.token_end = self.pos;
                Ok(())
            }
            Some(b'-' | b'+' | b'.' | b'0'..=b'9') => self.number(),
            _ => match self.char_at(start) {
                Some(c) if is_word_start(c) => self.word(),
                _ => Err(self.expected("a value", start)),
            },
        }
    }

    fn key(&mut self) -> Result<(), RawError> {
        let start = self.pos;
        let key = match self.peek() {
            Some(quote @ (b'"' | b'\'')) => {
                if quote == b'\'' {
                    self.repair(start, "converted single-quoted key to double quotes");
                }
                self.string(quote)?
            }
            _ => match self.char_at(start) {
                Some(c) if is_word_start(c) => {
                    let end = self.word_end(start);
                    let word = self.text.get(start..end).unwrap_or_default();
                    let mut after = end;
                    while matches!(self.bytes.get(after), Some(b' ' | b'\t')) {
                        after += 1;
                    }
                    if self.bytes.get(after) != Some(&b':') {
                        return Err(self.expected("a key", start));
                    }
                    self.repair(start, format!("quoted unquoted key `{}`", shorten(word)));
                    self.pos = end;
                    word.to_string()
                }
                _ => return Err(self.expected("a key", start)),
            },
        };
        self.sink.key(key, start);
        self.token_end = self.pos;
        self.set_state(State::Colon);
        Ok(())
    }

    /// Reads a string whose opening quote is at the current position.
    fn string(&mut self, quote: u8) -> Result<String, RawError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let chunk = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == quote || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(chunk..self.pos).unwrap_or_default());
            match self.peek() {
                None => return Err(unterminated(start)),
                Some(b) if b == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(quote, &mut out)?,
                Some(control) => {
                    self.repair(
                        self.pos,
                        format!("escaped raw control character U+{control:04X} in string"),
                    );
                    out.push(char::from(control));
                    self.pos += 1;
                    if control == b'\n' {
                        self.line_start = self.pos;
                    }
                }
            }
        }
    }

    /// Reads the escape sequence whose backslash is at the current position.
    fn escape(&mut self, quote: u8, out: &mut String) -> Result<(), RawError> {
        let at = self.pos;
        let Some(e) = self.peek_at(at + 1) else {
            return Err(unterminated(at));
        };
        let simple = match e {
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'/' => Some('/'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            b'\'' => Some('\''),
            _ => None,
        };
        if let Some(c) = simple {
            if e == b'\'' && quote == b'"' {
                self.repair(at, "replaced invalid escape `\\'` with `'`");
            }
            out.push(c);
            self.pos += 2;
            return Ok(());
        }
        if e == b'u' {
            if let Some(unit) = self.hex4(at + 2) {
                self.pos += 6;
                let c = if (0xD800..0xDC00).contains(&unit) {
                    match self.low_surrogate() {
                        Some(low) => {
                            self.pos += 6;
                            let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        }
                        None => {
                            self.lone_surrogate(at, unit);
                            '\u{FFFD}'
                        }
                    }
                } else if (0xDC00..0xE000).contains(&unit) {
                    self.lone_surrogate(at, unit);
                    '\u{FFFD}'
                } else {
                    char::from_u32(unit).unwrap_or('\u{FFFD}')
                };
                out.push(c);
                return Ok(());
            }
        }
        let shown = match self.char_at(at + 1) {
            Some(c) if c.is_control() => format!("U+{:04X}", u32::from(c)),
            Some(c) => format!("`\\{c}`"),
            None => "`\\`".to_string(),
        };
        self.repair(at, format!("kept invalid escape {shown} as literal text"));
        out.push('\\');
        self.pos += 1;
        Ok(())
    }

    fn low_surrogate(&self) -> Option<u32> {
        if self.peek() != Some(b'\\') || self.peek_at(self.pos + 1) != Some(b'u') {
            return None;
        }
        self.hex4(self.pos + 2)
            .filter(|low| (0xDC00..0xE000).contains(low))
    }

    fn lone_surrogate(&mut self, at: usize, unit: u32) {
        self.repair(
            at,
            format!("replaced unpaired surrogate `\\u{unit:04X}` with U+FFFD"),
        );
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at.saturating_add(4))?;
        if digits.len() != 4 {
            return None;
        }
        digits.iter().try_fold(0u32, |acc, &d| {
            char::from(d).to_digit(16).map(|v| acc * 16 + v)
        })
    }

    fn number(&mut self) -> Result<(), RawError> {
        let start = self.pos;
        let mut end = start;
        while let Some(&b) = self.bytes.get(end) {
            if b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E') {
                end += 1;
            } else {
                break;
            }
        }
        let raw = self.text.get(start..end).unwrap_or_default();
        if matches!(raw, "-" | "+") && self.char_at(end).is_some_and(is_word_start) {
            // -Infinity, +NaN and the like.
            let word_end = self.word_end(end);
            let word = self.text.get(start..word_end).unwrap_or_default();
            let lower = word.to_ascii_lowercase();
            if matches!(lower.get(1..), Some("infinity" | "inf" | "nan")) {
                self.repair(start, format!("replaced `{word}` with `null`"));
                self.sink.scalar(Value::Null, start);
                self.pos = word_end;
                self.token_end = word_end;
                return Ok(());
            }
            return Err((
                start,
                format!("expected a value, found `{}`", shorten(word)),
            ));
        }
        let Some((normalized, changed)) = normalize_number(raw) else {
            return Err((start, format!("invalid number `{}`", shorten(raw))));
        };
        let value = match to_number(&normalized) {
            Some(n) => {
                if changed {
                    self.repair(start, format!("repaired number `{raw}` as `{normalized}`"));
                }
                Value::Number(n)
            }
            None => {
                self.repair(
                    start,
                    format!(
                        "replaced out-of-range number `{}` with `null`",
                        shorten(raw)
                    ),
                );
                Value::Null
            }
        };
        self.sink.scalar(value, start);
        self.pos = end;
        self.token_end = end;
        Ok(())
    }

    /// A bare word in value position: `true`, `false`, `null`, or a near miss.
    fn word(&mut self) -> Result<(), RawError> {
        let start = self.pos;
        let end = self.word_end(start);
        let word = self.text.get(start..end).unwrap_or_default();
        let found = match word {
            "true" => Some((Value::Bool(true), false)),
            "false" => Some((Value::Bool(false), false)),
            "null" => Some((Value::Null, false)),
            _ if word.len() <= 9 => match word.to_ascii_lowercase().as_str() {
                "true" => Some((Value::Bool(true), true)),
                "false" => Some((Value::Bool(false), true)),
                "null" | "none" | "nil" | "undefined" | "nan" | "infinity" => {
                    Some((Value::Null, true))
                }
                _ => None,
            },
            _ => None,
        };
        let Some((value, repaired)) = found else {
            return Err(self.expected("a value", start));
        };
        if repaired {
            self.repair(start, format!("replaced `{word}` with `{value}`"));
        }
        self.sink.scalar(value, start);
        self.pos = end;
        self.token_end = end;
        Ok(())
    }

    /// Skips whitespace and comments, repairing what JSON does not allow.
    fn skip_ws(&mut self) {
        let mut prev_unusual = false;
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' => {
                    self.pos += 1;
                    prev_unusual = false;
                }
                b'\n' => {
                    self.pos += 1;
                    self.line_start = self.pos;
                    prev_unusual = false;
                }
                b'/' => {
                    prev_unusual = false;
                    match self.peek_at(self.pos + 1) {
                        Some(b'/') => {
                            self.repair(self.pos, "skipped comment");
                            while let Some(c) = self.peek() {
                                if c == b'\n' {
                                    break;
                                }
                                self.pos += 1;
                            }
                        }
                        Some(b'*') => self.block_comment(),
                        _ => return,
                    }
                }
                _ => {
                    let Some(c) = self.char_at(self.pos) else {
                        return;
                    };
                    if !is_unusual_ws(c) {
                        return;
                    }
                    if !prev_unusual {
                        self.repair(
                            self.pos,
                            format!("treated U+{:04X} as whitespace", u32::from(c)),
                        );
                    }
                    prev_unusual = true;
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        self.pos += 2;
        loop {
            match self.peek() {
                None => {
                    self.repair(start, "skipped unterminated comment");
                    return;
                }
                Some(b'*') if self.peek_at(self.pos + 1) == Some(b'/') => {
                    self.pos += 2;
                    self.repair(start, "skipped comment");
                    return;
                }
                Some(b'\n') => {
                    self.pos += 1;
                    self.line_start = self.pos;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    // ----- helpers ---------------------------------------------------------

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|s| s.chars().next())
    }

    fn repair(&mut self, at: usize, message: impl Into<String>) {
        self.repairs.push(at, message);
    }

    fn at_key_start(&self) -> bool {
        matches!(self.peek(), Some(b'"' | b'\''))
            || self.char_at(self.pos).is_some_and(is_word_start)
    }

    fn at_value_start(&self) -> bool {
        matches!(
            self.peek(),
            Some(b'"' | b'\'' | b'{' | b'[' | b'-' | b'+' | b'.' | b'0'..=b'9')
        ) || self.char_at(self.pos).is_some_and(is_word_start)
    }

    fn word_end(&self, start: usize) -> usize {
        let rest = self.text.get(start..).unwrap_or_default();
        let len = rest
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(rest.len(), |(i, _)| i);
        start + len
    }

    /// Leading spaces and tabs of the current line.
    fn indent_of_line(&self) -> usize {
        self.bytes
            .get(self.line_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count()
    }

    fn first_on_line(&self, at: usize) -> bool {
        self.bytes
            .get(self.line_start..at)
            .is_some_and(|s| s.iter().all(|&b| b == b' ' || b == b'\t'))
    }

    fn only_whitespace(&self, from: usize, to: usize) -> bool {
        self.bytes
            .get(from..to)
            .is_some_and(|s| s.iter().all(|b| b" \t\r\n".contains(b)))
    }

    fn describe(&self, at: usize) -> String {
        match self.char_at(at) {
            None => "end of file".to_string(),
            Some(c) if is_word_start(c) => {
                let word = self.text.get(at..self.word_end(at)).unwrap_or_default();
                format!("`{}`", shorten(word))
            }
            Some(c) if c.is_control() || is_unusual_ws(c) => format!("U+{:04X}", u32::from(c)),
            Some(c) => format!("`{c}`"),
        }
    }

    fn expected(&self, what: &str, at: usize) -> RawError {
        (at, format!("expected {what}, found {}", self.describe(at)))
    }
}

fn unterminated(start: usize) -> RawError {
    (
        start,
        "unterminated string: no closing quote before the end of the file".to_string(),
    )
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '-' | '.')
}

/// Characters that are not JSON whitespace but are taken as such between tokens.
fn is_unusual_ws(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}')
}

fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_string(),
    }
}

/// Whether `s` follows the JSON number grammar exactly.
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let digits = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == digits {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let digits = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == digits {
            return false;
        }
    }
    i == b.len()
}

/// The number as valid JSON, and whether it had to be changed (`+1`, `01`, `.5`, `5.`).
fn normalize_number(raw: &str) -> Option<(String, bool)> {
    if is_json_number(raw) {
        return Some((raw.to_string(), false));
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (negative, body) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i)?, Some(body.get(i + 1..)?)),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((int, frac)) => (int, Some(frac).filter(|f| !f.is_empty())),
        None => (mantissa, None),
    };
    if !all_digits(int) || (int.is_empty() && frac.is_none()) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let mut out = String::with_capacity(raw.len() + 1);
    if negative {
        out.push('-');
    }
    out.push_str(if int.is_empty() { "0" } else { int });
    if let Some(frac) = frac {
        if !all_digits(frac) {
            return None;
        }
        out.push('.');
        out.push_str(frac);
    }
    if let Some(exponent) = exponent {
        out.push('e');
        out.push_str(exponent);
    }
    is_json_number(&out).then_some((out, true))
}

/// Converts a valid JSON number the way `serde_json` does: `u64`, then `i64`,
/// else `f64` (`-0` is the float `-0.0`). `None` when it does not fit an `f64`.
fn to_number(s: &str) -> Option<Number> {
    if !s.contains(['.', 'e', 'E']) {
        if s.starts_with('-') {
            match s.parse::<i64>() {
                Ok(0) => return Number::from_f64(-0.0),
                Ok(v) => return Some(Number::from(v)),
                Err(_) => {}
            }
        } else if let Ok(v) = s.parse::<u64>() {
            return Some(Number::from(v));
        }
    }
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(Number::from_f64)
}

/// Builds a `serde_json::Value`, keeping the last of duplicate keys.
#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    root: Option<Value>,
    repairs: RepairLog,
}

struct Open {
    container: Container,
    pending: Option<(String, usize)>,
}

enum Container {
    Object(Map<String, Value>),
    Array(Vec<Value>),
}

impl Builder {
    fn attach(&mut self, value: Value) {
        let Some(open) = self.stack.last_mut() else {
            self.root = Some(value);
            return;
        };
        match &mut open.container {
            Container::Array(items) => items.push(value),
            Container::Object(map) => {
                if let Some((key, at)) = open.pending.take() {
                    match map.entry(key) {
                        Entry::Occupied(mut entry) => {
                            self.repairs.push(
                                at,
                                format!(
                                    "duplicate key `{}`: kept the last value",
                                    shorten(entry.key())
                                ),
                            );
                            entry.insert(value);
                        }
                        Entry::Vacant(entry) => {
                            entry.insert(value);
                        }
                    }
                }
            }
        }
    }
}

impl Sink for Builder {
    fn begin(&mut self, kind: Kind, _at: usize) {
        let container = match kind {
            Kind::Object => Container::Object(Map::new()),
            Kind::Array => Container::Array(Vec::new()),
        };
        self.stack.push(Open {
            container,
            pending: None,
        });
    }

    fn key(&mut self, key: String, at: usize) {
        if let Some(open) = self.stack.last_mut() {
            open.pending = Some((key, at));
        }
    }

    fn scalar(&mut self, value: Value, _at: usize) {
        self.attach(value);
    }

    fn end(&mut self) {
        if let Some(open) = self.stack.pop() {
            let value = match open.container {
                Container::Object(map) => Value::Object(map),
                Container::Array(items) => Value::Array(items),
            };
            self.attach(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(text: &str) -> (Value, Vec<Repair>) {
        match parse_lenient(text) {
            Ok(result) => result,
            Err(fatal) => panic!("unexpected fatal error {fatal}"),
        }
    }

    #[test]
    fn a_cursor_counts_lines_and_characters_as_a_reader_does() {
        let text = "{\n  \"é\": \"日本\",\r\n\n  \"b\": 1 }";
        // Every offset, forwards and then back to the start, against a plain count.
        let naive = |offset: usize| {
            let before = &text.as_bytes()[..offset];
            let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
            let last = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = 1 + before[last..].iter().filter(|&&b| b & 0xC0 != 0x80).count();
            (line as u32, column as u32)
        };
        let mut cursor = Cursor::new();
        for offset in (0..=text.len()).chain([3, 0, text.len() + 10]) {
            let want = naive(offset.min(text.len()));
            assert_eq!(cursor.advance(text.as_bytes(), offset), want, "{offset}");
        }
    }

    fn fatal(text: &str) -> Fatal {
        match parse_lenient(text) {
            Ok((value, repairs)) => panic!("expected a fatal error, got {value} {repairs:?}"),
            Err(fatal) => fatal,
        }
    }

    fn r(line: u32, column: u32, message: &str) -> Repair {
        Repair {
            line,
            column,
            message: message.to_string(),
        }
    }

    fn f(line: u32, column: u32, message: &str) -> Fatal {
        Fatal {
            line,
            column,
            message: message.to_string(),
        }
    }

    #[test]
    fn valid_json_needs_no_repair_and_matches_serde_json() {
        let text = r#"{"b": [1, -2, 3.5, -0, 1e3, 18446744073709551615, 18446744073709551616,
            -9223372036854775809, true, false, null], "a": {"é\u00e9\ud83d\ude00": "\"\\\/\b\f\n\r\t"}, "": []}"#;
        let (value, repairs) = ok(text);
        let expected: Value = serde_json::from_str(text).unwrap_or_default();
        assert_eq!(value, expected);
        assert!(repairs.is_empty(), "{repairs:?}");
        let keys: Vec<&String> = value
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["b", "a", ""]);
        assert_eq!(ok(" 42 ").0, json!(42));
    }

    #[test]
    fn line_comment() {
        let (value, repairs) = ok("{\n  // note\n  \"a\": 1 // trailing\n}");
        assert_eq!(value, json!({"a": 1}));
        assert_eq!(
            repairs,
            [r(2, 3, "skipped comment"), r(3, 10, "skipped comment")]
        );
    }

    #[test]
    fn block_comment() {
        let (value, repairs) = ok("[1, /* two\n lines */ 2]");
        assert_eq!(value, json!([1, 2]));
        assert_eq!(repairs, [r(1, 5, "skipped comment")]);
    }

    #[test]
    fn unterminated_block_comment() {
        let (value, repairs) = ok("[1 /* open");
        assert_eq!(value, json!([1]));
        assert_eq!(
            repairs,
            [
                r(1, 4, "skipped unterminated comment"),
                r(1, 11, "closed unterminated array at end of file")
            ]
        );
    }

    #[test]
    fn trailing_comma_in_object() {
        let (value, repairs) = ok("{\n  \"a\": 1,\n  \"b\": 2,\n}");
        assert_eq!(value, json!({"a": 1, "b": 2}));
        assert_eq!(repairs, [r(3, 9, "removed trailing comma")]);
    }

    #[test]
    fn trailing_comma_in_array() {
        let (value, repairs) = ok("{\"a\": [\n  {\"x\": 1},\n],\n\"b\": 2}");
        assert_eq!(value, json!({"a": [{"x": 1}], "b": 2}));
        assert_eq!(repairs, [r(2, 11, "removed trailing comma")]);
    }

    #[test]
    fn extra_comma() {
        let (value, repairs) = ok("[1,,2]");
        assert_eq!(value, json!([1, 2]));
        assert_eq!(repairs, [r(1, 4, "removed extra comma")]);
    }

    #[test]
    fn missing_comma_between_members() {
        let (value, repairs) = ok("{\n  \"name\": \"Troy\"\n  \"url\": \"x\"\n}");
        assert_eq!(value, json!({"name": "Troy", "url": "x"}));
        assert_eq!(repairs, [r(2, 17, "inserted missing comma")]);
    }

    #[test]
    fn missing_comma_after_object_member() {
        let (value, repairs) = ok("{\"a\": {\n\t\t  }\n  \"b\": 1}");
        assert_eq!(value, json!({"a": {}, "b": 1}));
        assert_eq!(repairs, [r(2, 6, "inserted missing comma")]);
    }

    #[test]
    fn missing_comma_between_elements() {
        let (value, repairs) = ok("[\n  \"a\"\n  \"b\"\n]");
        assert_eq!(value, json!(["a", "b"]));
        assert_eq!(repairs, [r(2, 6, "inserted missing comma")]);
    }

    #[test]
    fn unquoted_key() {
        let (value, repairs) = ok("{foo: 1, \"bar\": 2, x-ms-y : 3}");
        assert_eq!(value, json!({"foo": 1, "bar": 2, "x-ms-y": 3}));
        assert_eq!(
            repairs,
            [
                r(1, 2, "quoted unquoted key `foo`"),
                r(1, 20, "quoted unquoted key `x-ms-y`")
            ]
        );
    }

    #[test]
    fn single_quoted_strings() {
        let (value, repairs) = ok("{'a': 'say \"hi\" \\'you\\''}");
        assert_eq!(value, json!({"a": "say \"hi\" 'you'"}));
        assert_eq!(
            repairs,
            [
                r(1, 2, "converted single-quoted key to double quotes"),
                r(1, 7, "converted single-quoted string to double quotes")
            ]
        );
    }

    #[test]
    fn raw_tab_in_string() {
        let (value, repairs) = ok("{\n  \"title\": \"Default\t\"\n}");
        assert_eq!(value, json!({"title": "Default\t"}));
        assert_eq!(
            repairs,
            [r(2, 20, "escaped raw control character U+0009 in string")]
        );
    }

    #[test]
    fn raw_newline_in_string() {
        let (value, repairs) = ok("[\"a\nb\", 1]");
        assert_eq!(value, json!(["a\nb", 1]));
        assert_eq!(
            repairs,
            [r(1, 4, "escaped raw control character U+000A in string")]
        );
    }

    #[test]
    fn unicode_whitespace() {
        let (value, repairs) = ok("{\"a\": {\n\u{2003}\u{2003}},\u{a0}\"b\":\u{feff}1}");
        assert_eq!(value, json!({"a": {}, "b": 1}));
        assert_eq!(
            repairs,
            [
                r(2, 1, "treated U+2003 as whitespace"),
                r(2, 5, "treated U+00A0 as whitespace"),
                r(2, 10, "treated U+FEFF as whitespace")
            ]
        );
    }

    #[test]
    fn extra_data_after_value() {
        let (value, repairs) = ok("{\"a\": 1}\n}\n{\"b\": 2}");
        assert_eq!(value, json!({"a": 1}));
        assert_eq!(
            repairs,
            [r(2, 1, "ignored extra data after the JSON value")]
        );
    }

    #[test]
    fn extra_closer_found_by_indentation() {
        let text = "{\n  \"paths\": {\n    \"/a\": {\n      \"r\": {\n        \"200\": 1\n      }\n      }\n    },\n    \"/b\": {}\n  },\n  \"info\": 1\n}\n";
        let (value, repairs) = ok(text);
        assert_eq!(
            value,
            json!({"paths": {"/a": {"r": {"200": 1}}, "/b": {}}, "info": 1})
        );
        assert_eq!(repairs, [r(7, 7, "removed extra `}`")]);
    }

    #[test]
    fn extra_closer_in_array_found_by_indentation() {
        let text = "{\n  \"p\": [\n    {\n      \"a\": 1\n    }\n    }\n  ],\n  \"q\": 2\n}";
        let (value, repairs) = ok(text);
        assert_eq!(value, json!({"p": [{"a": 1}], "q": 2}));
        assert_eq!(repairs, [r(6, 5, "removed extra `}`")]);
    }

    #[test]
    fn members_after_the_top_level_object() {
        let text = "{\n  \"a\": 1\n}\n\"b\": [2],\n\"c\": 3\n";
        let (value, repairs) = ok(text);
        assert_eq!(value, json!({"a": 1, "b": [2], "c": 3}));
        assert_eq!(
            repairs,
            [
                r(2, 9, "inserted missing comma"),
                r(
                    3,
                    1,
                    "ignored `}` that closed the top-level object too early"
                ),
                r(6, 1, "closed unterminated object at end of file")
            ]
        );
    }

    #[test]
    fn array_closed_with_brace() {
        let (value, repairs) =
            ok("{\n  \"info\": {\n    \"k\": [\n      \"a\"\n  },\n  \"host\": \"h\"\n}");
        assert_eq!(value, json!({"info": {"k": ["a"]}, "host": "h"}));
        assert_eq!(repairs, [r(5, 3, "inserted missing `]`")]);
    }

    #[test]
    fn wrong_closer_typo() {
        let (value, repairs) = ok("{\"a\": 1]");
        assert_eq!(value, json!({"a": 1}));
        assert_eq!(repairs, [r(1, 8, "replaced `]` with `}`")]);
    }

    #[test]
    fn object_left_open_before_next_element() {
        let text = "{\"p\": [\n  {\n    \"name\": \"domain\",\n  {\n    \"name\": \"key\"\n  }\n]}";
        let (value, repairs) = ok(text);
        assert_eq!(value, json!({"p": [{"name": "domain"}, {"name": "key"}]}));
        assert_eq!(repairs, [r(4, 3, "inserted missing `}`")]);
    }

    #[test]
    fn object_left_open_before_array_end() {
        let (value, repairs) = ok("[{\"a\": 1]");
        assert_eq!(value, json!([{"a": 1}]));
        assert_eq!(repairs, [r(1, 9, "inserted missing `}`")]);
    }

    #[test]
    fn unterminated_containers_at_end_of_file() {
        let (value, repairs) = ok("{\n  \"a\": [1, {\"b\": 2}\n");
        assert_eq!(value, json!({"a": [1, {"b": 2}]}));
        assert_eq!(
            repairs,
            [
                r(3, 1, "closed unterminated array at end of file"),
                r(3, 1, "closed unterminated object at end of file")
            ]
        );
    }

    #[test]
    fn dangling_key_at_end_of_file() {
        let (value, repairs) = ok("{\"a\": 1, \"b\":");
        assert_eq!(value, json!({"a": 1}));
        assert_eq!(
            repairs,
            [
                r(1, 14, "dropped a key that has no value at end of file"),
                r(1, 14, "closed unterminated object at end of file")
            ]
        );
    }

    #[test]
    fn duplicate_keys_keep_the_last() {
        let (value, repairs) = ok("{\"a\": 1, \"b\": 2,\n \"a\": 3}");
        assert_eq!(value, json!({"a": 3, "b": 2}));
        assert_eq!(repairs, [r(2, 2, "duplicate key `a`: kept the last value")]);
    }

    #[test]
    fn python_literals() {
        let (value, repairs) = ok("[True, False, None, NaN, -Infinity]");
        assert_eq!(value, json!([true, false, null, null, null]));
        assert_eq!(
            repairs,
            [
                r(1, 2, "replaced `True` with `true`"),
                r(1, 8, "replaced `False` with `false`"),
                r(1, 15, "replaced `None` with `null`"),
                r(1, 21, "replaced `NaN` with `null`"),
                r(1, 26, "replaced `-Infinity` with `null`")
            ]
        );
    }

    #[test]
    fn odd_numbers() {
        let (value, repairs) = ok("[+1, 01, .5, -.5e2, 5.]");
        assert_eq!(value, json!([1, 1, 0.5, -50.0, 5]));
        assert_eq!(
            repairs,
            [
                r(1, 2, "repaired number `+1` as `1`"),
                r(1, 6, "repaired number `01` as `1`"),
                r(1, 10, "repaired number `.5` as `0.5`"),
                r(1, 14, "repaired number `-.5e2` as `-0.5e2`"),
                r(1, 21, "repaired number `5.` as `5`")
            ]
        );
        assert_eq!(fatal("[1.2.3]"), f(1, 2, "invalid number `1.2.3`"));
        let (value, repairs) = ok("[1e999]");
        assert_eq!(value, json!([null]));
        assert_eq!(
            repairs,
            [r(1, 2, "replaced out-of-range number `1e999` with `null`")]
        );
    }

    #[test]
    fn invalid_escapes() {
        let (value, repairs) = ok(r#"["\d+", "\ud800x", "\u12"]"#);
        assert_eq!(value, json!(["\\d+", "\u{fffd}x", "\\u12"]));
        assert_eq!(
            repairs,
            [
                r(1, 3, "kept invalid escape `\\d` as literal text"),
                r(1, 10, "replaced unpaired surrogate `\\uD800` with U+FFFD"),
                r(1, 21, "kept invalid escape `\\u` as literal text")
            ]
        );
    }

    #[test]
    fn missing_colon_and_missing_value() {
        let (value, repairs) = ok("{\"a\" 1, \"b\": , \"c\": }");
        assert_eq!(value, json!({"a": 1, "b": null, "c": null}));
        assert_eq!(
            repairs,
            [
                r(1, 5, "inserted missing `:`"),
                r(1, 14, "inserted `null` for a missing value"),
                r(1, 21, "inserted `null` for a missing value")
            ]
        );
    }

    #[test]
    fn not_json_is_fatal() {
        assert_eq!(
            fatal("<html>\n</html>"),
            f(1, 1, "expected a value, found `<`")
        );
        assert_eq!(
            fatal("{\"a\": hello}"),
            f(1, 7, "expected a value, found `hello`")
        );
        assert_eq!(
            fatal("{\"a\" 1 2}"),
            f(1, 8, "expected `,` or `}`, found `2`")
        );
        assert_eq!(fatal("{[1]}"), f(1, 2, "expected a key, found `[`"));
        assert_eq!(fatal("{foo bar}"), f(1, 2, "expected a key, found `foo`"));
    }

    #[test]
    fn unterminated_string_is_fatal() {
        assert_eq!(
            fatal("{\n  \"a\": \"open\n}"),
            f(
                2,
                8,
                "unterminated string: no closing quote before the end of the file"
            )
        );
    }

    #[test]
    fn empty_input_is_fatal() {
        let expected = "expected a value, found end of file (the input is empty)";
        assert_eq!(fatal(""), f(1, 1, expected));
        assert_eq!(fatal(" \n "), f(2, 2, expected));
        assert_eq!(fatal("// nothing"), f(1, 11, expected));
    }

    #[test]
    fn deep_nesting_is_fatal_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        assert_eq!(fatal(&text), f(1, 513, "nesting deeper than 512 levels"));
        let text = format!("{}{}", "[".repeat(512), "]".repeat(512));
        assert!(parse_lenient(&text).is_ok());
        let text = "{\"a\":".repeat(100_000);
        assert_eq!(
            fatal(&text),
            f(1, 5 * 512 + 1, "nesting deeper than 512 levels")
        );
    }

    #[test]
    fn repairs_are_capped() {
        let text = format!("[{}]", "1 ".repeat(MAX_REPAIRS + 11));
        let (value, repairs) = ok(&text);
        assert_eq!(value.as_array().map(Vec::len), Some(MAX_REPAIRS + 11));
        assert_eq!(repairs.len(), MAX_REPAIRS + 1);
        assert_eq!(repairs.first(), Some(&r(1, 3, "inserted missing comma")));
        assert_eq!(
            repairs.last(),
            Some(&r(
                1,
                2003,
                "10 more repairs from here on are not listed (only the first 1000 are)"
            ))
        );
    }

    #[test]
    fn line_col_counts_chars() {
        let text = "ab\nçé\u{2003}x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (1, 3));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 10), (2, 4));
        assert_eq!(line_col(text, 12), (3, 1));
        assert_eq!(line_col(text, 1000), (3, 1));
    }

    #[test]
    fn scalar_top_level_value_is_returned() {
        assert_eq!(ok("\"x\"").0, json!("x"));
        assert_eq!(ok("[]").0, json!([]));
    }

    /// A small deterministic mutation run: no input may panic.
    #[test]
    fn mutated_inputs_never_panic() {
        let seed = "{\n  \"swagger\": \"2.0\", // c\n  'info': {\"t\": [1, 2.5e3, true, null, \"\\u00e9\\n\"]},\n  paths: {\"/a~b\": {\"get\": {}}}\n}\n";
        let alphabet: &[u8] = b"{}[],:\"'\\/*\n\t -+.0123456789eEtrufalsn\xc3\xa9\xe2\x80\x83xyz";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let mut bytes = seed.as_bytes().to_vec();
            let edits = next() % 6 + 1;
            for _ in 0..edits {
                let len = bytes.len().max(1) as u64;
                let at = (next() % len) as usize;
                let pick = alphabet
                    .get((next() % alphabet.len() as u64) as usize)
                    .copied()
                    .unwrap_or(b'x');
                match next() % 3 {
                    0 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    1 => bytes.insert(at.min(bytes.len()), pick),
                    _ if at < bytes.len() => {
                        if let Some(b) = bytes.get_mut(at) {
                            *b = pick;
                        }
                    }
                    _ => {}
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_lenient(&text);
        }
    }
}
