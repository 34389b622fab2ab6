//! Findings about a connector's files, with their location.
//!
//! One `Problem` type flows from every stage (discover, parse, convert, lint) to the console
//! report, `catalog.json`, the site's problem pages and the linter, so a finding is written
//! once and shown the same way everywhere.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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
    /// Most findings carry their rule's fixed help (borrowed, not copied per finding).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Cow<'static, str>>,
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

    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Problem {
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

/// A `Problem` as written (by a spill): its rule is read back as the registry's own
/// `&'static str`, and an unknown rule is an error.
#[derive(Deserialize)]
struct Stored {
    path: String,
    line: u32,
    column: u32,
    pointer: Option<String>,
    severity: Severity,
    rule: String,
    message: String,
    help: Option<String>,
}

// By hand, not derived: a derived impl would borrow `rule` for `'static` from the input.
impl<'de> Deserialize<'de> for Problem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Problem, D::Error> {
        let s = Stored::deserialize(d)?;
        let rule = crate::lint::registry::lookup(&s.rule)
            .map(|r| r.id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule {}", s.rule)))?;
        Ok(Problem {
            path: s.path,
            line: s.line,
            column: s.column,
            pointer: s.pointer,
            severity: s.severity,
            rule,
            message: s.message,
            help: s.help.map(Cow::Owned),
        })
    }
}

/// How many findings of one rule, at one severity, a connector has (what the site's quality
/// page needs of them, kept when a spill takes the findings themselves to disk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: &'static str,
    pub severity: Severity,
    pub count: usize,
}

impl RuleCount {
    pub fn new(rule: &'static str, severity: Severity, count: usize) -> RuleCount {
        RuleCount {
            rule,
            severity,
            count,
        }
    }

    /// The counts of `problems`, by rule, then severity.
    pub fn of(problems: &[Problem]) -> Vec<RuleCount> {
        let mut counts: std::collections::BTreeMap<(&'static str, Severity), usize> =
            std::collections::BTreeMap::new();
        for p in problems {
            *counts.entry((p.rule, p.severity)).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|((rule, severity), count)| RuleCount::new(rule, severity, count))
            .collect()
    }
}

/// A connector's findings counted by rule and severity, as a spilled build keeps them for the
/// quality page: 8 bytes a count whose rule is in the registry, against a `RuleCount`'s 32
/// (about 4.5 MB at 50× the real repository). A count of a rule outside the registry, or of
/// more than `u32::MAX` findings, keeps them all as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotedCounts {
    Packed(Box<[PackedCount]>),
    Plain(Box<[RuleCount]>),
}

/// A `RuleCount` whose rule is its place in `registry::RULES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedCount {
    rule: u16,
    severity: Severity,
    count: u32,
}

impl NotedCounts {
    pub fn of(counts: &[RuleCount]) -> NotedCounts {
        let packed: Option<Box<[PackedCount]>> = counts.iter().map(PackedCount::of).collect();
        packed.map_or_else(|| NotedCounts::Plain(counts.into()), NotedCounts::Packed)
    }

    /// The counts, as they were noted.
    pub fn counts(&self) -> Cow<'_, [RuleCount]> {
        match self {
            NotedCounts::Plain(counts) => Cow::Borrowed(counts),
            NotedCounts::Packed(packed) => packed.iter().map(PackedCount::unpacked).collect(),
        }
    }
}

impl PackedCount {
    fn of(c: &RuleCount) -> Option<PackedCount> {
        let rules = crate::lint::registry::RULES;
        Some(PackedCount {
            rule: u16::try_from(rules.iter().position(|r| r.id == c.rule)?).ok()?,
            severity: c.severity,
            count: u32::try_from(c.count).ok()?,
        })
    }

    fn unpacked(&self) -> RuleCount {
        RuleCount {
            // Made by `of` from a place in the registry.
            rule: crate::lint::registry::RULES[usize::from(self.rule)].id,
            severity: self.severity,
            count: self.count as usize,
        }
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
        problems.into_iter().for_each(|p| t.add(p.severity, 1));
        t
    }

    /// The tally of findings counted by rule.
    pub fn of_counts<'a>(counts: impl IntoIterator<Item = &'a RuleCount>) -> Tally {
        let mut t = Tally::default();
        counts.into_iter().for_each(|c| t.add(c.severity, c.count));
        t
    }

    fn add(&mut self, severity: Severity, n: usize) {
        match severity {
            Severity::Error => self.errors += n,
            Severity::Warning => self.warnings += n,
            Severity::Info => self.infos += n,
        }
    }
}

impl std::iter::Sum for Tally {
    fn sum<I: Iterator<Item = Tally>>(tallies: I) -> Tally {
        tallies.fold(Tally::default(), |t, u| Tally {
            errors: t.errors + u.errors,
            warnings: t.warnings + u.warnings,
            infos: t.infos + u.infos,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noted_counts_come_back_as_counted() {
        let count = RuleCount::new;
        let known = [
            count("O006", Severity::Warning, 3),
            count("M001", Severity::Error, 1),
        ];
        let noted = NotedCounts::of(&known);
        assert!(matches!(noted, NotedCounts::Packed(_)), "{noted:?}");
        assert_eq!(noted.counts(), &known[..]);
        // Nothing is lost when a count cannot be packed.
        for odd in [
            [known[0], count("build", Severity::Error, 1)],
            [
                known[0],
                count("O006", Severity::Error, u32::MAX as usize + 1),
            ],
        ] {
            let noted = NotedCounts::of(&odd);
            assert!(matches!(noted, NotedCounts::Plain(_)), "{noted:?}");
            assert_eq!(noted.counts(), &odd[..]);
        }
        assert_eq!(std::mem::size_of::<PackedCount>(), 8);
    }

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
    fn rule_counts_tally_like_the_findings_they_count() {
        let ps = [
            Problem::new("O011", Severity::Warning, "a", "m"),
            Problem::new("M001", Severity::Error, "a", "m"),
            Problem::new("O011", Severity::Warning, "b", "n"),
            Problem::new("O011", Severity::Error, "b", "n"),
        ];
        let counts = RuleCount::of(&ps);
        let listed: Vec<_> = counts
            .iter()
            .map(|c| (c.rule, c.severity, c.count))
            .collect();
        assert_eq!(
            listed,
            [
                ("M001", Severity::Error, 1),
                ("O011", Severity::Warning, 2),
                ("O011", Severity::Error, 1)
            ]
        );
        assert_eq!(Tally::of_counts(&counts), Tally::of(&ps));
    }

    #[test]
    fn a_problem_reads_back_with_the_registrys_rule_and_an_unknown_rule_is_an_error() {
        let p = Problem::new("O011", Severity::Warning, "a/b.json", "m")
            .at(2, 3)
            .pointer("/paths")
            .help("fix it");
        let json = serde_json::to_string(&p).expect("json");
        let back: Problem = serde_json::from_str(&json).expect("reads");
        assert_eq!(back, p);
        let rule = crate::lint::registry::lookup("O011").map(|r| r.id.as_ptr());
        assert_eq!(Some(back.rule.as_ptr()), rule, "the registry's own id");
        let unknown = json.replace("O011", "Z999");
        let err = serde_json::from_str::<Problem>(&unknown).expect_err("unknown rule");
        assert!(err.to_string().contains("unknown rule Z999"), "{err}");
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
