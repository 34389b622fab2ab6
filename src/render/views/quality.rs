//! The site-wide quality page: every connector ranked by how completely it documents itself,
//! with what the linter finds in it, and the linter's findings counted by rule. Sees summary
//! rows and each connector's findings, never operations.

use crate::lint::registry;
use crate::model::Catalog;
use crate::problem::{RuleCount, Tally};
use crate::render::derive::{positions, Derived, Row};
use crate::render::paging::Pager;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

#[derive(Serialize)]
pub struct QualityPage<'a> {
    /// This page's rows of the ranking.
    pub rows: Vec<QualityRow<'a>>,
    /// Rows on all pages.
    pub total: usize,
    pub pager: Option<Pager>,
    pub rules: &'a [RuleRow],
    /// The mean score, rounded.
    pub mean: u8,
    /// How many connectors score in each band: 90–100, 75–89, 50–74, under 50.
    pub bands: [usize; 4],
    pub tally: Tally,
}

#[derive(Serialize)]
pub struct QualityRow<'a> {
    pub rank: usize,
    pub title: &'a str,
    pub href: String,
    pub tier: &'static str,
    pub tier_label: &'static str,
    pub score: u8,
    pub tally: Tally,
}

#[derive(Serialize)]
pub struct RuleRow {
    pub rule: &'static str,
    pub severity: &'static str,
    pub title: &'static str,
    pub findings: usize,
    pub connectors: usize,
}

/// The quality ranking, worked out once for all its pages: which connectors come first, and
/// what every page's head shows. Each page used to rank the whole catalog again and count
/// each rule's connectors in a set of their indices: 2.7 MB at a time at 10× the real
/// repository, on each render thread, for every page.
pub struct Ranking {
    /// Indices into the catalog (and `Derived::rows`), best documented first.
    order: Vec<u32>,
    rules: Vec<RuleRow>,
    mean: u8,
    bands: [usize; 4],
    tally: Tally,
}

impl Ranking {
    pub fn new(catalog: &Catalog, d: &Derived) -> Ranking {
        // Each connector's counts read once (a spilled connector unpacks them each time).
        let mut rules = RuleTally::default();
        let mut ranked: Vec<(u32, &Row, Tally)> = catalog
            .connectors
            .iter()
            .zip(&d.rows)
            .zip(0u32..)
            .map(|((c, r), i)| {
                let counts = c.lint_counts();
                rules.add(i, &counts);
                (i, r, Tally::of_counts(counts.iter()))
            })
            .collect();
        // Best first; among equals, fewer errors and warnings, then by title and slug: their
        // place in the list order, which sorts by them (with a lowercased copy of every
        // title the ranking's peak at 10× the real repository was 1.3 MB; now 0.9 MB).
        let by_title = positions(&d.order);
        ranked.sort_by_key(|&(i, r, t)| {
            let title = by_title.get(i as usize).copied().unwrap_or(u32::MAX);
            (std::cmp::Reverse(r.docs), t.errors, t.warnings, title)
        });
        let mut bands = [0; 4];
        ranked.iter().for_each(|(_, r, _)| bands[band(r.docs)] += 1);
        let total: usize = ranked.iter().map(|(_, r, _)| usize::from(r.docs)).sum();
        Ranking {
            mean: (total as f64 / ranked.len().max(1) as f64).round() as u8,
            tally: ranked.iter().map(|&(_, _, t)| t).sum(),
            order: ranked.into_iter().map(|(i, _, _)| i).collect(),
            bands,
            rules: rules.rows(),
        }
    }

    /// The ranked rows, best first.
    pub fn rows<'s, 'a: 's>(
        &'s self,
        d: &'a Derived<'a>,
    ) -> impl Iterator<Item = &'a Row<'a>> + 's {
        self.order.iter().filter_map(|&i| d.rows.get(i as usize))
    }
}

/// Page `page` of the quality ranking, cut at `pages`.
pub fn quality<'a>(
    catalog: &'a Catalog,
    d: &'a Derived,
    ranking: &'a Ranking,
    pages: &[Range<usize>],
    page: usize,
) -> QualityPage<'a> {
    let here = pages.get(page).cloned().unwrap_or(0..ranking.order.len());
    let rows = ranking.order.get(here.clone()).unwrap_or_default();
    let row = |(rank, &i): (usize, &u32)| {
        let i = i as usize;
        let r = d.rows.get(i)?;
        let counts = catalog.connectors.get(i)?.lint_counts();
        Some(QualityRow {
            rank: rank + 1,
            title: r.title(),
            href: r.href(),
            tier: r.tier().id(),
            tier_label: r.tier().label(),
            score: r.docs,
            tally: Tally::of_counts(counts.iter()),
        })
    };
    QualityPage {
        mean: ranking.mean,
        bands: ranking.bands,
        tally: ranking.tally,
        rules: &ranking.rules,
        total: ranking.order.len(),
        rows: (here.start..).zip(rows).filter_map(row).collect(),
        pager: Pager::new(pages, page),
    }
}

fn band(score: u8) -> usize {
    match score {
        90.. => 0,
        75..=89 => 1,
        50..=74 => 2,
        _ => 3,
    }
}

/// The linter's findings by rule, counted from each connector's counts in catalog order
/// (`Connector::lint_counts`): how many, and in how many connectors.
#[derive(Default)]
struct RuleTally(BTreeMap<&'static str, Seen>);

struct Seen {
    findings: usize,
    connectors: usize,
    /// The last connector counted, so that a rule found at two severities in one connector
    /// counts it once.
    last: u32,
    severity: &'static str,
}

impl RuleTally {
    /// Adds the counts of connector `connector` (connectors come in catalog order).
    fn add(&mut self, connector: u32, counts: &[RuleCount]) {
        for n in counts {
            let e = self.0.entry(n.rule).or_insert(Seen {
                findings: 0,
                connectors: 0,
                last: u32::MAX,
                severity: n.severity.as_str(),
            });
            e.findings += n.count;
            if e.last != connector {
                (e.connectors, e.last) = (e.connectors + 1, connector);
            }
        }
    }

    /// One row per rule, most frequent first.
    fn rows(self) -> Vec<RuleRow> {
        let mut rows: Vec<RuleRow> = self
            .0
            .into_iter()
            .map(|(rule, seen)| RuleRow {
                rule,
                severity: seen.severity,
                title: registry::lookup(rule).map_or("", |r| r.title),
                findings: seen.findings,
                connectors: seen.connectors,
            })
            .collect();
        rows.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.rule.cmp(b.rule)));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::{band, Catalog, Derived, Ranking, RuleTally};
    use crate::problem::{RuleCount, Severity};

    #[test]
    fn a_rule_counts_each_connector_once_at_any_severity() {
        let count = RuleCount::new;
        let first = [
            count("O006", Severity::Warning, 2),
            count("O006", Severity::Error, 1),
            count("M001", Severity::Info, 1),
        ];
        let second = [count("O006", Severity::Warning, 4)];
        let connectors = [&first[..], &[], &second[..]];
        let mut tally = RuleTally::default();
        (0..).zip(connectors).for_each(|(i, c)| tally.add(i, c));
        let rows = tally.rows();
        let seen: Vec<_> = rows
            .iter()
            .map(|r| (r.rule, r.findings, r.connectors, r.severity))
            .collect();
        assert_eq!(
            seen,
            [("O006", 7, 2, "warning"), ("M001", 1, 1, "info")],
            "most findings first, each connector counted once"
        );
    }

    #[test]
    fn the_best_documented_come_first_then_by_title_and_slug() {
        let connector = |slug: &str, title: &str, docs: u8| {
            let definition = "x/apiDefinition.swagger.json";
            let mut c = crate::parse::definition_model(definition, "{}", &mut Vec::new());
            c.set_slug(slug);
            c.about.edit(|p| p.info.title = Some(title.to_string()));
            c.docs_score = Some(docs);
            c
        };
        let catalog = Catalog {
            source: Default::default(),
            connectors: vec![
                connector("b-2", "beta", 50),
                connector("z", "Zeta", 90),
                connector("b-1", "Beta", 50),
                connector("a", "alpha", 50),
            ],
            problems: Vec::new(),
            retired: Vec::new(),
            spilled: None,
        };
        let d = Derived::new(&catalog);
        let ranking = Ranking::new(&catalog, &d);
        let slugs: Vec<&str> = ranking.rows(&d).map(|r| r.slug()).collect();
        assert_eq!(slugs, ["z", "a", "b-1", "b-2"]);
    }

    #[test]
    fn bands_split_at_90_75_and_50() {
        assert_eq!(
            [100, 90, 89, 75, 74, 50, 49, 0].map(band),
            [0, 0, 1, 1, 2, 2, 3, 3]
        );
    }
}
