//! The site-wide quality page: every connector ranked by how completely it documents itself,
//! with what the linter finds in it, and the linter's findings counted by rule. Sees summary
//! rows and each connector's findings, never operations.

use crate::lint::registry;
use crate::model::Catalog;
use crate::problem::{RuleCount, Tally};
use crate::render::derive::{Derived, Row};
use crate::render::paging::Pager;
use crate::render::views::lists::page_of;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

#[derive(Serialize)]
pub struct QualityPage<'a> {
    /// This page's rows of the ranking.
    pub rows: Vec<QualityRow<'a>>,
    /// Rows on all pages.
    pub total: usize,
    pub pager: Option<Pager>,
    pub rules: Vec<RuleRow>,
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

/// Page `page` of the quality ranking, cut at `pages`.
pub fn quality<'a>(
    catalog: &'a Catalog,
    d: &'a Derived,
    pages: &[Range<usize>],
    page: usize,
) -> QualityPage<'a> {
    let ranked = ranked(catalog, d);
    let counts: Vec<Cow<[RuleCount]>> =
        catalog.connectors.iter().map(|c| c.lint_counts()).collect();
    let mut bands = [0; 4];
    for (r, _) in &ranked {
        bands[band(r.docs)] += 1;
    }
    let total: usize = ranked.iter().map(|(r, _)| usize::from(r.docs)).sum();
    let rows = ranked
        .into_iter()
        .enumerate()
        .map(|(i, (r, tally))| QualityRow {
            rank: i + 1,
            title: r.title(),
            href: r.href(),
            tier: r.tier().id(),
            tier_label: r.tier().label(),
            score: r.docs,
            tally,
        })
        .collect::<Vec<_>>();
    QualityPage {
        mean: (total as f64 / rows.len().max(1) as f64).round() as u8,
        bands,
        tally: Tally::of_counts(counts.iter().flat_map(|c| c.iter())),
        rules: rules(&counts),
        total: rows.len(),
        rows: page_of(rows, pages.get(page)),
        pager: Pager::new(pages, page),
    }
}

/// Every connector's row with its findings, best documented first.
pub fn ranked<'a>(catalog: &'a Catalog, d: &'a Derived<'a>) -> Vec<(&'a Row<'a>, Tally)> {
    let mut ranked: Vec<(&Row, Tally)> = catalog
        .connectors
        .iter()
        .zip(&d.rows)
        .map(|(c, r)| (r, Tally::of_counts(c.lint_counts().iter())))
        .collect();
    // Best first; among equals, fewer errors and warnings, then by title.
    ranked.sort_by_cached_key(|(r, t)| {
        (
            std::cmp::Reverse(r.docs),
            t.errors,
            t.warnings,
            r.title().to_lowercase(),
            r.slug(),
        )
    });
    ranked
}

fn band(score: u8) -> usize {
    match score {
        90.. => 0,
        75..=89 => 1,
        50..=74 => 2,
        _ => 3,
    }
}

/// The linter's findings by rule: how many, in how many connectors, most frequent first,
/// from each connector's counts (`Connector::lint_counts`, in catalog order).
fn rules(counts: &[Cow<[RuleCount]>]) -> Vec<RuleRow> {
    let mut by_rule: BTreeMap<&'static str, (usize, BTreeSet<usize>, &'static str)> =
        BTreeMap::new();
    for (i, connector) in counts.iter().enumerate() {
        for n in connector.iter() {
            let e = by_rule
                .entry(n.rule)
                .or_insert((0, BTreeSet::new(), n.severity.as_str()));
            e.0 += n.count;
            e.1.insert(i);
        }
    }
    let mut rows: Vec<RuleRow> = by_rule
        .into_iter()
        .map(|(rule, (findings, connectors, severity))| RuleRow {
            rule,
            severity,
            title: registry::lookup(rule).map_or("", |r| r.title),
            findings,
            connectors: connectors.len(),
        })
        .collect();
    rows.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.rule.cmp(b.rule)));
    rows
}

#[cfg(test)]
mod tests {
    use super::band;

    #[test]
    fn bands_split_at_90_75_and_50() {
        assert_eq!(
            [100, 90, 89, 75, 74, 50, 49, 0].map(band),
            [0, 0, 1, 1, 2, 2, 3, 3]
        );
    }
}
