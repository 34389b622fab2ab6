//! Human output, like rustc: `error[O011]: message`, the location, the source line with a
//! caret under the column, the help, and a summary by rule at the end. Coloured only when
//! asked (the command line asks when stdout is a terminal and `NO_COLOR` is not set).

use crate::lint::context::Finding;
use crate::lint::registry;
use crate::problem::{Severity, Tally};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Widest source excerpt shown, in characters (minified definitions have huge lines).
const MAX_EXCERPT: usize = 110;
/// Characters kept before the column when an excerpt is cut.
const LEAD: usize = 50;

/// ANSI styling, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }
}

/// Writes one finding.
pub fn write_finding(w: &mut dyn Write, f: &Finding, style: Style) -> io::Result<()> {
    let p = &f.problem;
    let head = format!("{}[{}]", p.severity, p.rule);
    writeln!(
        w,
        "{}: {}",
        style.paint(severity_code(p.severity), &head),
        style.paint("1", &p.message)
    )?;
    let width = p.line.to_string().len();
    let pad = " ".repeat(width);
    let location = if p.line > 0 {
        format!("{}:{}:{}", p.path, p.line, p.column)
    } else {
        p.path.clone()
    };
    writeln!(w, "{pad}{} {location}", style.gutter("-->"))?;
    if let (Some(line), true) = (&f.source_line, p.line > 0) {
        let (excerpt, caret) = excerpt(&line.text, line.column);
        writeln!(w, "{pad} {}", style.gutter("|"))?;
        writeln!(w, "{} {excerpt}", style.gutter(&format!("{} |", p.line)))?;
        let marker = style.paint(severity_code(p.severity), "^");
        writeln!(
            w,
            "{pad} {} {}{marker}",
            style.gutter("|"),
            " ".repeat(caret)
        )?;
    }
    if let Some(help) = &p.help {
        writeln!(w, "{pad} {} help: {help}", style.gutter("="))?;
    }
    if let Some(pointer) = p.pointer.as_deref().filter(|p| !p.is_empty()) {
        writeln!(w, "{pad} {} pointer: {pointer}", style.gutter("="))?;
    }
    writeln!(w)
}

fn severity_code(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

/// The part of `line` to show and the caret's offset in it, for a 1-based character column.
pub fn excerpt(line: &str, column: u32) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let col = (column.max(1) as usize - 1).min(chars.len());
    let start = if chars.len() > MAX_EXCERPT && col > LEAD {
        col - LEAD
    } else {
        0
    };
    let end = (start + MAX_EXCERPT).min(chars.len());
    let mut shown = String::new();
    let mut caret = 0;
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    for (i, c) in chars.iter().enumerate().take(end).skip(start) {
        let text = if *c == '\t' {
            "    ".to_string()
        } else {
            c.to_string()
        };
        if i < col {
            caret += text.chars().count();
        }
        shown.push_str(&text);
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// Writes the summary: counts per rule and severity, then the totals.
pub fn write_summary(
    w: &mut dyn Write,
    findings: &[&Finding],
    connectors: usize,
    style: Style,
) -> io::Result<()> {
    let mut by_rule: BTreeMap<(&str, std::cmp::Reverse<Severity>), usize> = BTreeMap::new();
    for f in findings {
        *by_rule
            .entry((f.problem.rule, std::cmp::Reverse(f.problem.severity)))
            .or_default() += 1;
    }
    if !by_rule.is_empty() {
        writeln!(w, "{}", style.paint("1", "Summary by rule:"))?;
        for ((rule, severity), count) in &by_rule {
            let title = registry::lookup(rule).map_or("", |r| r.title);
            let label = format!("{:<7}", severity.0.as_str());
            writeln!(
                w,
                "  {count:>6}  {rule}  {}  {title}",
                style.paint(severity_code(severity.0), &label)
            )?;
        }
    }
    let t = Tally::of(findings.iter().map(|f| &f.problem));
    writeln!(
        w,
        "Checked {connectors} connector folder{}: {} error{}, {} warning{}, {} info.",
        plural(connectors),
        t.errors,
        plural(t.errors),
        t.warnings,
        plural(t.warnings),
        t.infos
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::context::SourceLine;
    use crate::problem::Problem;

    #[test]
    fn caret_under_the_column() {
        let f = Finding {
            problem: Problem::new(
                "O011",
                Severity::Warning,
                "c/apiDefinition.swagger.json",
                "misspelt extension `x-ms-visibilty`",
            )
            .at(12, 2)
            .pointer("/paths/~1a/get/x-ms-visibilty")
            .help("did you mean `x-ms-visibility`?"),
            source_line: Some(SourceLine::of_line(
                "\t\"x-ms-visibilty\": \"advanced\",",
                2,
            )),
        };
        let mut out = Vec::new();
        write_finding(&mut out, &f, Style { color: false }).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        let expected = "warning[O011]: misspelt extension `x-ms-visibilty`
  --> c/apiDefinition.swagger.json:12:2
   |
12 |     \"x-ms-visibilty\": \"advanced\",
   |     ^
   = help: did you mean `x-ms-visibility`?
   = pointer: /paths/~1a/get/x-ms-visibilty

";
        assert_eq!(text, expected);
    }

    #[test]
    fn colour_only_when_asked() {
        let f = Finding {
            problem: Problem::new("F004", Severity::Error, "c", "no readme"),
            source_line: None,
        };
        let mut out = Vec::new();
        write_finding(&mut out, &f, Style { color: true }).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.starts_with("\x1b[1;31merror[F004]\x1b[0m: \x1b[1mno readme\x1b[0m\n"),
            "{text:?}"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(500);
        let (shown, caret) = excerpt(&line, 300);
        assert_eq!(shown.chars().count(), MAX_EXCERPT + 2);
        assert_eq!(caret, LEAD + 1);
    }
}
