//! What a rule sees and how it reports: the `Subject` (one connector folder: the parsed values
//! of its files, its operations, the model when needed) and `Findings` (findings located by JSON pointer, turned into lines
//! and columns in one batch per file once every rule has run).
//!
//! Rules never compute positions themselves: they say which file, which pointer and whether
//! the key or the value is at fault, so a finding in a damaged file is located the same way.

use crate::discover::Found;
use crate::lint::registry;
use crate::lint::walk::{self, Op, Param};
use crate::model::{Connector, Tier};
use crate::parse::position;
use crate::parse::JsonFile;
use crate::problem::{Problem, Severity};
use crate::similar::CatalogIndex;
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;

static NULL: Value = Value::Null;

/// A text file that was read (the readme).
pub struct TextFile {
    /// Path relative to the source root.
    pub rel: String,
    pub text: String,
}

/// One connector folder as the rules see it: its files as parsed values, the operations and
/// their parameters read from the definition once, and the model where a rule needs one.
pub struct Subject<'a> {
    pub folder: &'a Found,
    pub definition: Option<&'a JsonFile>,
    pub properties: Option<&'a JsonFile>,
    pub readme: Option<&'a TextFile>,
    /// Operations of the definition, in model order.
    pub ops: Vec<Op<'a>>,
    /// Parameters of each operation (same index as `ops`), `$ref`s followed.
    pub params: Vec<Vec<Param<'a>>>,
    /// The domain model; built only for the rules that compare models (V008, overlap).
    pub model: Option<&'a Connector>,
    /// The connector as it was at the previous revision (V008), when history supplies it.
    pub previous: Option<&'a Connector>,
    /// Existing connectors to compare with (X001, X002), from `check --against`.
    pub against: Option<&'a CatalogIndex<'a>>,
}

impl<'a> Subject<'a> {
    pub fn new(
        folder: &'a Found,
        definition: Option<&'a JsonFile>,
        properties: Option<&'a JsonFile>,
        readme: Option<&'a TextFile>,
    ) -> Subject<'a> {
        let def = definition.and_then(|f| f.value.as_ref()).unwrap_or(&NULL);
        let ops = walk::operations(def);
        let params = ops.iter().map(|op| walk::parameters(def, op)).collect();
        Subject {
            folder,
            definition,
            properties,
            readme,
            ops,
            params,
            model: None,
            previous: None,
            against: None,
        }
    }

    /// The definition as parsed (`null` when missing or unreadable).
    pub fn def(&self) -> &'a Value {
        self.definition
            .and_then(|f| f.value.as_ref())
            .unwrap_or(&NULL)
    }

    /// `apiProperties.json` as parsed (`null` when missing or unreadable).
    pub fn props(&self) -> &'a Value {
        self.properties
            .and_then(|f| f.value.as_ref())
            .unwrap_or(&NULL)
    }

    pub fn has_definition(&self) -> bool {
        self.def().is_object()
    }

    pub fn tier(&self) -> Tier {
        self.folder.tier
    }

    /// Operations with their parameters.
    pub fn operations(&self) -> impl Iterator<Item = (&Op<'a>, &[Param<'a>])> {
        self.ops.iter().zip(self.params.iter().map(Vec::as_slice))
    }
}

/// Which file a finding is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum File {
    Definition,
    Properties,
    Readme,
    /// The connector folder as a whole (a missing file).
    Folder,
}

/// Which position of the pointed-at member a finding names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The value (the usual case: "this value is wrong").
    Value,
    /// The key ("this key is misspelt").
    Key,
    /// A line and column given directly (readme findings).
    At(u32, u32),
}

/// A finding before it has a position.
#[derive(Debug, Clone)]
pub struct Pending {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: File,
    pub pointer: Option<String>,
    pub anchor: Anchor,
    pub message: String,
    pub help: Option<Cow<'static, str>>,
    /// For a finding about a whole file: that file (else the folder).
    pub path: Option<String>,
}

impl Pending {
    /// Locates the finding at the key of the pointed-at member.
    pub fn key(&mut self) -> &mut Pending {
        self.anchor = Anchor::Key;
        self
    }

    /// A help line specific to this finding (else the rule's help is shown).
    pub fn help(&mut self, help: impl Into<Cow<'static, str>>) -> &mut Pending {
        self.help = Some(help.into());
        self
    }

    pub fn severity(&mut self, severity: Severity) -> &mut Pending {
        self.severity = severity;
        self
    }
}

/// The findings of one connector, in the order the rules made them.
#[derive(Debug, Default)]
pub struct Findings {
    pub items: Vec<Pending>,
}

impl Findings {
    fn push(
        &mut self,
        rule: &'static str,
        file: File,
        pointer: Option<String>,
        message: String,
    ) -> &mut Pending {
        let severity = registry::lookup(rule).map_or(Severity::Warning, |r| r.severity);
        let index = self.items.len();
        self.items.push(Pending {
            rule,
            severity,
            file,
            pointer,
            anchor: Anchor::Value,
            message,
            help: None,
            path: None,
        });
        &mut self.items[index]
    }

    /// A finding in the definition, at the value of `pointer`.
    pub fn def(
        &mut self,
        rule: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Pending {
        self.push(rule, File::Definition, Some(pointer.into()), message.into())
    }

    /// A finding in apiProperties.json, at the value of `pointer`.
    pub fn props(
        &mut self,
        rule: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Pending {
        self.push(rule, File::Properties, Some(pointer.into()), message.into())
    }

    /// A finding in the readme, at a line (0: the whole file).
    pub fn readme(
        &mut self,
        rule: &'static str,
        line: u32,
        message: impl Into<String>,
    ) -> &mut Pending {
        let p = self.push(rule, File::Readme, None, message.into());
        p.anchor = Anchor::At(line, u32::from(line > 0));
        p
    }

    /// A finding about the folder as a whole.
    pub fn folder(&mut self, rule: &'static str, message: impl Into<String>) -> &mut Pending {
        self.push(rule, File::Folder, None, message.into())
    }

    /// A finding about a whole file of the folder (`rel`: its path from the source root).
    pub fn file(
        &mut self,
        rule: &'static str,
        rel: &str,
        message: impl Into<String>,
    ) -> &mut Pending {
        let p = self.push(rule, File::Folder, None, message.into());
        p.path = Some(rel.to_string());
        p
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Rule ids of the findings, in order (for tests).
    pub fn rules(&self) -> Vec<&'static str> {
        self.items.iter().map(|p| p.rule).collect()
    }
}

/// A located finding, with the source line it points at (for the caret display).
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(flatten)]
    pub problem: Problem,
    #[serde(skip)]
    pub source_line: Option<SourceLine>,
}

/// The part of the source line a finding points into that a report can show: at most
/// `SOURCE_WINDOW` bytes each side of it, marked `…` where cut. A minified file is one line
/// of megabytes, and each of its findings used to keep a whole copy (a 50 MB definition with
/// 300 findings held 16 GB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub text: String,
    /// 1-based character column of the finding in `text`.
    pub column: u32,
}

const SOURCE_WINDOW: usize = 512;

impl SourceLine {
    /// The line of `text` around byte `offset`.
    pub fn at(text: &str, offset: usize) -> SourceLine {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let bytes = text.as_bytes();
        let mut lo = offset.saturating_sub(SOURCE_WINDOW);
        while !text.is_char_boundary(lo) {
            lo += 1;
        }
        let mut hi = (offset + SOURCE_WINDOW).min(text.len());
        while !text.is_char_boundary(hi) {
            hi -= 1;
        }
        let start = bytes[lo..offset]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(lo, |i| lo + i + 1);
        let end = bytes[offset..hi]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(hi, |i| offset + i);
        let cut_start = start > 0 && bytes[start - 1] != b'\n';
        let cut_end = end < text.len() && bytes[end] != b'\n';
        let before = text[start..offset].chars().count();
        let mut shown = String::with_capacity(end - start + 6);
        if cut_start {
            shown.push('…');
        }
        shown.push_str(text[start..end].trim_end_matches('\r'));
        if cut_end {
            shown.push('…');
        }
        let column = before + 1 + usize::from(cut_start);
        SourceLine {
            text: shown,
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// A whole `line`, with the finding at its 1-based character `column`.
    pub fn of_line(line: &str, column: u32) -> SourceLine {
        let at = usize::try_from(column.max(1) - 1).unwrap_or(usize::MAX);
        let offset = line.char_indices().nth(at).map_or(line.len(), |(i, _)| i);
        SourceLine::at(line, offset)
    }
}

/// Turns pending findings into located findings (one pass per file).
pub fn locate(subject: &Subject, pending: Vec<Pending>) -> Vec<Finding> {
    let mut out = Vec::with_capacity(pending.len());
    for (file, source) in [
        (File::Definition, subject.definition),
        (File::Properties, subject.properties),
    ] {
        let mine: Vec<&Pending> = pending.iter().filter(|p| p.file == file).collect();
        if mine.is_empty() {
            continue;
        }
        let Some(source) = source else {
            out.extend(mine.into_iter().map(|p| whole(p, subject.folder.rel())));
            continue;
        };
        let pointers: Vec<&str> = mine
            .iter()
            .map(|p| p.pointer.as_deref().unwrap_or(""))
            .collect();
        let places = position::locate(&source.text, source.kind, &pointers);
        for (p, place) in mine.into_iter().zip(places) {
            let (line, column, offset) = match p.anchor {
                Anchor::Key => (place.span.key_line, place.span.key_column, place.key_offset),
                Anchor::Value | Anchor::At(..) => {
                    (place.span.line, place.span.column, place.offset)
                }
            };
            let mut f = finding(p, &source.rel, line, column, None);
            f.source_line = Some(SourceLine::at(&source.text, offset));
            out.push(f);
        }
    }
    let readme = subject.readme.map(|r| (r, Lines::of(&r.text)));
    for p in pending
        .iter()
        .filter(|p| matches!(p.file, File::Readme | File::Folder))
    {
        match (p.file, &readme, p.anchor) {
            (File::Readme, Some((r, lines)), Anchor::At(line, column)) => {
                out.push(finding(p, &r.rel, line, column, Some(lines)));
            }
            _ => out.push(whole(p, p.path.as_deref().unwrap_or(subject.folder.rel()))),
        }
    }
    out
}

/// The line of `text` that holds byte `offset`, without its line break.
fn whole(p: &Pending, path: &str) -> Finding {
    finding(p, path, 0, 0, None)
}

fn finding(p: &Pending, path: &str, line: u32, column: u32, lines: Option<&Lines>) -> Finding {
    let help = p
        .help
        .clone()
        .or_else(|| registry::lookup(p.rule).map(|r| r.help.into()));
    Finding {
        problem: Problem {
            path: path.to_string(),
            line,
            column,
            pointer: p.pointer.clone(),
            severity: p.severity,
            rule: p.rule,
            message: p.message.clone(),
            help,
        },
        source_line: lines
            .and_then(|l| l.get(line))
            .map(|l| SourceLine::of_line(l, column)),
    }
}

/// The lines of a text, indexed once so that each finding's line costs no scan.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn of(text: &'t str) -> Lines<'t> {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// Line `line` (1-based), without its line break.
    pub fn get(&self, line: u32) -> Option<&'t str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        self.text.get(start..end).map(|l| l.trim_end_matches('\r'))
    }
}

#[cfg(test)]
mod source_line_tests {
    use super::SourceLine;

    #[test]
    fn a_short_line_is_kept_whole_with_its_column() {
        let text = "{\n  \"a\": \"é1\",\r\n  \"b\": 2\n}";
        let at = text.find("1\"").expect("the 1");
        let line = SourceLine::at(text, at);
        assert_eq!(line.text, "  \"a\": \"é1\",");
        assert_eq!(line.column, 10, "characters, not bytes");
        assert_eq!(SourceLine::of_line("  \"a\": \"é1\",", 10), line);
        assert_eq!(SourceLine::at(text, text.len()).text, "}");
    }

    /// Regression: every finding in a minified 50 MB definition (one line) copied the whole
    /// line, 16 GB for 300 findings.
    #[test]
    fn a_minified_line_is_cut_around_the_finding() {
        let text = format!("{}ééX{}", "[1,".repeat(100_000), "2,".repeat(100_000));
        let at = text.find('X').expect("X");
        let line = SourceLine::at(&text, at);
        assert!(line.text.len() < 1_100, "{} bytes kept", line.text.len());
        assert!(line.text.starts_with('…') && line.text.ends_with('…'));
        let shown: Vec<char> = line.text.chars().collect();
        assert_eq!(shown[line.column as usize - 1], 'X');
        // Inside a multi-byte character, at either end of the text: still a valid cut.
        for offset in [0, 1, at - 1, text.len() - 1, text.len() + 5] {
            let cut = SourceLine::at(&text, offset);
            assert!(cut.text.len() < 1_100);
        }
        let of_line = SourceLine::of_line(&text, 300_003);
        assert_eq!(
            of_line.text.chars().nth(of_line.column as usize - 1),
            Some('X')
        );
    }
}
