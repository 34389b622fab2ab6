//! History views: a connector's History section (timeline newest first, each revision's
//! changelog, breaking changes marked), the "What's new" page by month and the home page's
//! "Recently updated" list. Built only when the catalog has history; "now" is the commit
//! time of the built revision, never the clock, so the same input gives the same pages.

use crate::changes::{Change, Kind};
use crate::history::{dates, FolderHistory, Revision};
use crate::model::{Catalog, Connector};
use crate::render::html::Html;
use crate::render::urls;
use serde::Serialize;
use std::collections::BTreeMap;

/// Revisions shown before the rest of a timeline is collapsed.
pub const SHOWN: usize = 6;
/// Months the What's new page covers.
const MONTHS: usize = 12;

#[derive(Serialize)]
pub struct HistoryView {
    pub first_added: Option<String>,
    pub last_updated: Option<String>,
    pub contributors: usize,
    pub count: usize,
    /// Revisions with at least one breaking change.
    pub breaking: usize,
    /// Newest first; those from index `shown` on are collapsed.
    pub revisions: Vec<RevView>,
    pub shown: usize,
    pub older: usize,
}

#[derive(Serialize)]
pub struct RevView {
    pub date: String,
    pub commit: String,
    pub subject: String,
    pub pr: Option<u32>,
    pub pr_href: Option<String>,
    /// The revision that added the connector.
    pub added: bool,
    pub breaking: bool,
    pub changes: Vec<ChangeView>,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct ChangeView {
    /// The message, escaped, with `quoted` names as `<code>`.
    pub text_html: String,
    pub breaking: bool,
    pub kind: Kind,
}

/// `{repository_url}/pull/N`, when the configured URL is a safe web address.
pub fn pr_href(repository_url: &str, pr: Option<u32>) -> Option<String> {
    let base = urls::safe_external(repository_url)?;
    pr.map(|n| format!("{}/pull/{n}", base.trim_end_matches('/')))
}

pub fn connector_history(h: &FolderHistory, repository_url: &str) -> HistoryView {
    let mut all: Vec<RevView> = h
        .revisions
        .iter()
        .enumerate()
        .map(|(i, r)| rev_view(r, i == 0, repository_url))
        .collect();
    all.reverse();
    HistoryView {
        shown: SHOWN,
        older: all.len().saturating_sub(SHOWN),
        first_added: h.first_added().map(|r| r.date.clone()),
        last_updated: h.last_updated().map(|r| r.date.clone()),
        contributors: h.contributors,
        count: h.revisions.len(),
        breaking: h.revisions.iter().filter(|r| is_breaking(r)).count(),
        revisions: all,
    }
}

pub fn is_breaking(r: &Revision) -> bool {
    r.changes.iter().any(|c| c.breaking)
}

fn rev_view(r: &Revision, added: bool, repository_url: &str) -> RevView {
    RevView {
        date: r.date.clone(),
        commit: r.commit.clone(),
        subject: r.subject.clone(),
        pr: r.pr,
        pr_href: pr_href(repository_url, r.pr),
        added,
        breaking: is_breaking(r),
        changes: r.changes.iter().map(change_view).collect(),
        note: r.note.clone(),
    }
}

pub fn change_view(c: &Change) -> ChangeView {
    ChangeView {
        text_html: code_spans(&c.message),
        breaking: c.breaking,
        kind: c.kind,
    }
}

/// Escapes `text`, turning each `quoted` span into `<code>`.
pub fn code_spans(text: &str) -> String {
    let mut h = Html::with_capacity(text.len() + 16);
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            h.el("<code>", part, "</code>");
        } else {
            h.text(part);
        }
    }
    h.into_string()
}

/// A connector in the lists of the What's new page and the home page.
#[derive(Serialize)]
pub struct Item {
    pub title: String,
    /// Site-relative (`connectors/x/index.html`).
    pub href: String,
    pub date: String,
    pub subject: String,
    pub pr: Option<u32>,
    pub pr_href: Option<String>,
    pub changes: Vec<ChangeView>,
}

fn item(c: &Connector, r: &Revision, changes: Vec<ChangeView>, repository_url: &str) -> Item {
    Item {
        title: c.display_title().to_string(),
        href: href_of(c),
        date: r.date.clone(),
        subject: r.subject.clone(),
        pr: r.pr,
        pr_href: pr_href(repository_url, r.pr),
        changes,
    }
}

fn href_of(c: &Connector) -> String {
    urls::href(&crate::export::connector_url(c))
}

/// The connectors updated last, newest first.
pub fn recently_updated(catalog: &Catalog, n: usize, repository_url: &str) -> Vec<Item> {
    let mut latest: Vec<(&Connector, &Revision)> = catalog
        .connectors
        .iter()
        .filter_map(|c| Some((c, c.history.as_ref()?.last_updated()?)))
        .collect();
    latest.sort_by(|a, b| {
        b.1.time
            .cmp(&a.1.time)
            .then_with(|| a.0.path().cmp(b.0.path()))
    });
    latest
        .into_iter()
        .take(n)
        .map(|(c, r)| item(c, r, Vec::new(), repository_url))
        .collect()
}

#[derive(Serialize)]
pub struct WhatsNew {
    pub months: Vec<MonthView>,
    /// The built revision's date.
    pub now: String,
}

#[derive(Serialize)]
pub struct MonthView {
    /// `2024-10`.
    pub key: String,
    pub label: String,
    pub sections: Vec<Section>,
}

#[derive(Serialize)]
pub struct Section {
    pub title: &'static str,
    pub class: &'static str,
    pub collapsed: bool,
    pub items: Vec<Item>,
}

#[derive(Default)]
struct Month {
    key: String,
    label: String,
    added: Vec<Item>,
    updated: Vec<Item>,
    deprecations: Vec<Item>,
    breaking: Vec<Item>,
}

impl Month {
    fn view(self) -> MonthView {
        let section = |title, class, collapsed, items: Vec<Item>| {
            (!items.is_empty()).then_some(Section {
                title,
                class,
                collapsed,
                items,
            })
        };
        let sections = [
            section("New connectors", "added", false, self.added),
            section("Breaking changes", "breaking", false, self.breaking),
            section("New deprecations", "deprecations", false, self.deprecations),
            section("Updated connectors", "updated", true, self.updated),
        ];
        MonthView {
            key: self.key,
            label: self.label,
            sections: sections.into_iter().flatten().collect(),
        }
    }
}

/// The last twelve months before `now` (seconds), newest first; empty months left out.
pub fn whats_new(catalog: &Catalog, now: i64, repository_url: &str) -> WhatsNew {
    let from = month_key(now);
    let mut months: BTreeMap<String, Month> = BTreeMap::new();
    for c in &catalog.connectors {
        let Some(h) = &c.history else { continue };
        for (i, r) in h.revisions.iter().enumerate() {
            let key = month_key(r.time);
            if months_between(&key, &from) >= MONTHS as i64 || r.time > now {
                continue;
            }
            let m = months.entry(key.clone()).or_insert_with(|| Month {
                label: month_label(&key),
                key,
                ..Month::default()
            });
            let of = |pick: fn(&Change) -> bool| -> Vec<ChangeView> {
                r.changes
                    .iter()
                    .filter(|c| pick(c))
                    .map(change_view)
                    .collect()
            };
            if i == 0 {
                m.added.push(item(c, r, Vec::new(), repository_url));
            } else if !m.updated.iter().any(|x| x.href == href_of(c)) {
                m.updated.push(item(c, r, Vec::new(), repository_url));
            }
            let deprecated = of(|c| c.kind == Kind::OperationDeprecated);
            if !deprecated.is_empty() {
                m.deprecations.push(item(c, r, deprecated, repository_url));
            }
            let breaking = of(|c| c.breaking);
            if !breaking.is_empty() {
                m.breaking.push(item(c, r, breaking, repository_url));
            }
        }
    }
    let mut months: Vec<Month> = months.into_values().rev().collect();
    for m in &mut months {
        for list in [
            &mut m.added,
            &mut m.updated,
            &mut m.deprecations,
            &mut m.breaking,
        ] {
            list.sort_by(|a, b| (&b.date, &a.title, &a.href).cmp(&(&a.date, &b.title, &b.href)));
        }
        // An update in the month a connector came is part of its coming.
        let added: Vec<String> = m.added.iter().map(|x| x.href.clone()).collect();
        m.updated.retain(|x| !added.contains(&x.href));
    }
    WhatsNew {
        months: months.into_iter().map(Month::view).collect(),
        now: dates::iso_date(now),
    }
}

fn month_key(time: i64) -> String {
    dates::iso_date(time)[..7].to_string()
}

fn months_between(from: &str, to: &str) -> i64 {
    let n = |k: &str| -> i64 {
        let (y, m) = k.split_once('-').unwrap_or(("0", "0"));
        y.parse::<i64>().unwrap_or(0) * 12 + m.parse::<i64>().unwrap_or(0)
    };
    n(to) - n(from)
}

fn month_label(key: &str) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m) = key.split_once('-').unwrap_or((key, "01"));
    let name = m
        .parse::<usize>()
        .ok()
        .and_then(|m| NAMES.get(m.wrapping_sub(1)))
        .unwrap_or(&"");
    format!("{name} {y}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_become_code_and_text_is_escaped() {
        assert_eq!(
            code_spans("`<Get>`: the operation & more"),
            "<code>&lt;Get&gt;</code>: the operation &amp; more"
        );
    }

    #[test]
    fn months() {
        assert_eq!(month_label("2024-10"), "October 2024");
        assert_eq!(months_between("2023-11", "2024-10"), 11);
        assert_eq!(
            pr_href("https://x.test/r/", Some(5)).as_deref(),
            Some("https://x.test/r/pull/5")
        );
        assert_eq!(pr_href("javascript:alert(1)", Some(5)), None);
    }
}
