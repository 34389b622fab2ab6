//! Findings about a connector's files, with their location.
//!
//! One `Problem` type flows from every stage (discover, parse, convert, lint) to the console
//! report, `catalog.json`, the site's problem pages and the linter, so a finding is written
//! once and shown the same way everywhere.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One located finding. `path` is relative to the source root, with `/` separators.
/// `line` and `column` are 1-based; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub line: u32,
    pub column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    pub severity: Severity,
    pub rule: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Problem {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            path: path.into(),
            line: 0,
            column: 0,
            pointer: None,
            severity,
            rule,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, line: u32, column: u32) -> Problem {
        self.line = line;
        self.column = column;
        self
    }

    pub fn pointer(mut self, pointer: impl Into<String>) -> Problem {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// Sort key that makes reports deterministic.
    pub fn sort_key(&self) -> (&str, u32, u32, &'static str, &str) {
        (&self.path, self.line, self.column, self.rule, &self.message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: ", self.path, self.line, self.column)?;
        } else {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{} [{}] {}", self.severity, self.rule, self.message)
    }
}

/// Counts of problems by severity, for summaries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Tally {
    pub fn of<'a>(problems: impl IntoIterator<Item = &'a Problem>) -> Tally {
        let mut t = Tally::default();
        for p in problems {
            match p.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Info => t.infos += 1,
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_includes_location_when_known() {
        let p = Problem::new(
            "F002",
            Severity::Warning,
            "a/b.json",
            "removed trailing comma",
        )
        .at(3, 7);
        assert_eq!(
            p.to_string(),
            "a/b.json:3:7: warning [F002] removed trailing comma"
        );
        let whole = Problem::new("F004", Severity::Error, "a", "no readme");
        assert_eq!(whole.to_string(), "a: error [F004] no readme");
    }

    #[test]
    fn tally_counts_by_severity() {
        let ps = [
            Problem::new("X", Severity::Error, "a", "m"),
            Problem::new("X", Severity::Warning, "a", "m"),
            Problem::new("X", Severity::Warning, "a", "m"),
        ];
        assert_eq!(
            Tally::of(&ps),
            Tally {
                errors: 1,
                warnings: 2,
                infos: 0
            }
        );
    }
}
