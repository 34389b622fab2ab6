//! Views of the pages that list connectors: home, all connectors (with facets), tier /
//! category / publisher pages and their indexes, compare, and problems. They see summary
//! rows (`derive::Row`), never operations.

use super::connector::ProblemView;
use crate::model::order::escaped_len;
use crate::model::Catalog;
use crate::problem::Tally;
use crate::render::derive::{Derived, Group, Row};
use crate::render::paging::Pager;
use crate::render::urls;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// A group as a link with its size.
#[derive(Serialize)]
pub struct GroupLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub href: &'a str,
    pub count: usize,
}

impl<'a> GroupLink<'a> {
    pub fn of(g: &'a Group) -> GroupLink<'a> {
        GroupLink {
            name: &g.named.name,
            slug: &g.named.slug,
            href: &g.named.href,
            count: g.members.len(),
        }
    }
}

/// Catalog figures, formatted for reading (`16,445`).
#[derive(Serialize)]
pub struct Figures {
    pub connectors: String,
    pub operations: String,
    pub actions: String,
    pub triggers: String,
    pub publishers: String,
    pub categories: String,
    pub copilot: String,
    pub custom_code: String,
    pub deprecated: usize,
    pub problems: Tally,
}

/// `16445` → `16,445`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Serialize)]
pub struct HomeView<'a> {
    pub intro_html: Option<String>,
    pub has_intro: bool,
    pub figures: Figures,
    pub tiers: Vec<GroupLink<'a>>,
    pub categories: Vec<GroupLink<'a>>,
    pub top_publishers: Vec<GroupLink<'a>>,
    /// The one connector of a one-connector site (`build --source path/to/MyConnector`):
    /// the home page sends readers straight to its page.
    pub only: Option<OnlyView<'a>>,
}

#[derive(Serialize)]
pub struct OnlyView<'a> {
    pub title: &'a str,
    pub href: String,
}

pub fn home<'a>(catalog: &Catalog, d: &'a Derived, intro_html: Option<String>) -> HomeView<'a> {
    let mut top: Vec<&Group> = d.publishers.iter().collect();
    top.sort_by_key(|g| std::cmp::Reverse(g.members.len()));
    let trigger_count = catalog.trigger_count();
    HomeView {
        has_intro: intro_html.is_some(),
        intro_html,
        figures: Figures {
            connectors: thousands(catalog.connectors.len()),
            operations: thousands(catalog.operation_count()),
            actions: thousands(catalog.operation_count() - trigger_count),
            triggers: thousands(trigger_count),
            publishers: thousands(d.publishers.len()),
            categories: thousands(d.categories.len()),
            copilot: thousands(d.rows.iter().filter(|r| r.copilot()).count()),
            custom_code: thousands(d.rows.iter().filter(|r| r.code()).count()),
            deprecated: d.rows.iter().map(|r| r.deprecated()).sum(),
            problems: Tally::of(catalog.all_problems()),
        },
        tiers: d.tiers.iter().map(GroupLink::of).collect(),
        categories: d.categories.iter().map(GroupLink::of).collect(),
        top_publishers: top.into_iter().take(12).map(GroupLink::of).collect(),
        only: match d.rows.as_slice() {
            [row] => Some(OnlyView {
                title: row.title(),
                href: row.href(),
            }),
            _ => None,
        },
    }
}

/// One facet of the connector list: checkboxes (`multi`, `flag`) or a `select`.
#[derive(Serialize)]
pub struct Facet<'a> {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub values: Vec<FacetValue<'a>>,
}

#[derive(Serialize)]
pub struct FacetValue<'a> {
    pub value: &'a str,
    pub label: &'a str,
    pub count: usize,
}

#[derive(Serialize)]
pub struct ListView<'a> {
    /// This page's rows.
    pub rows: Vec<&'a Row<'a>>,
    /// Rows on all pages.
    pub total: usize,
    pub pager: Option<Pager>,
    /// Every row as JSON (`LIST_JSON`, relative to the site root), for the filters to work
    /// across pages; only when the list has more than one.
    pub rows_url: Option<&'static str>,
    pub facets: &'a [Facet<'a>],
    pub tiers: Vec<GroupLink<'a>>,
    pub categories: Vec<GroupLink<'a>>,
}

/// Every connector's list row, once, for the filters and the compare picker of a catalog
/// too large for one page.
pub const LIST_JSON: &str = "list.json";

/// Page `page` of the connector list, cut at `pages`, with the list's filters (`facets`).
pub fn list<'a>(
    d: &'a Derived,
    facets: &'a [Facet<'a>],
    pages: &[Range<usize>],
    page: usize,
) -> ListView<'a> {
    let rows = sorted_rows(d);
    let total = rows.len();
    ListView {
        facets,
        rows: page_of(rows, pages.get(page)),
        total,
        pager: Pager::new(pages, page),
        rows_url: (pages.len() > 1).then_some(LIST_JSON),
        tiers: d.tiers.iter().map(GroupLink::of).collect(),
        categories: d.categories.iter().map(GroupLink::of).collect(),
    }
}

/// The rows of all connectors in list order (by title).
pub fn sorted_rows<'a>(d: &'a Derived) -> Vec<&'a Row<'a>> {
    d.order.iter().filter_map(|&i| d.rows.get(i)).collect()
}

/// The rows of `range` (all of them without one).
pub fn page_of<T>(rows: Vec<T>, range: Option<&Range<usize>>) -> Vec<T> {
    match range {
        Some(r) => rows.into_iter().skip(r.start).take(r.len()).collect(),
        None => rows,
    }
}

/// One connector in `list.json`: what a list row shows and filters on.
#[derive(Serialize)]
pub struct ListItem<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub href: String,
    pub tier: &'static str,
    pub tier_label: &'static str,
    /// The tier as the list's Tier column shows it.
    pub tier_short: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher_slug: Option<&'a str>,
    pub categories: Vec<&'a str>,
    pub auth: Vec<&'static str>,
    pub actions: usize,
    pub triggers: usize,
    pub deprecated: usize,
    pub copilot: bool,
    pub code: bool,
    pub docs: u8,
    pub icon: bool,
    pub monogram: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<&'a str>,
    pub brand_fg: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<&'a str>,
}

/// Writes `list.json` (`LIST_JSON`), every row in list order, to `out` one row at a time: at
/// 50× the real repository the rows and their JSON, held whole, were the render's peak
/// (about 50 MB).
pub fn write_list_json(d: &Derived, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    serde_json::to_writer(out, &ListItems(d))?;
    Ok(())
}

/// Every row of the list, serialised as they are met.
struct ListItems<'a>(&'a Derived<'a>);

impl Serialize for ListItems<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(sorted_rows(self.0).into_iter().map(ListItem::of))
    }
}

impl<'a> ListItem<'a> {
    fn of(r: &'a Row) -> ListItem<'a> {
        ListItem {
            slug: r.slug(),
            title: r.title(),
            href: r.href(),
            tier: r.tier().id(),
            tier_label: r.tier().label(),
            tier_short: r.tier().short_label(),
            publisher: r.publisher(),
            publisher_slug: r.publisher_slug(),
            categories: r.categories.iter().map(|c| c.name.as_str()).collect(),
            auth: r.auth().iter().map(|k| k.id()).collect(),
            actions: r.actions(),
            triggers: r.triggers(),
            deprecated: r.deprecated(),
            copilot: r.copilot(),
            code: r.code(),
            docs: r.docs,
            icon: r.icon(),
            monogram: r.monogram(),
            brand: r.brand(),
            brand_fg: r.brand_fg(),
            added: r.added(),
            updated: r.updated(),
        }
    }
}

fn group_facet<'a>(
    key: &'static str,
    label: &'static str,
    kind: &'static str,
    groups: &'a [Group],
    by_name: bool,
) -> Facet<'a> {
    Facet {
        key,
        label,
        kind,
        values: groups
            .iter()
            .map(|g| FacetValue {
                value: if by_name {
                    &g.named.name
                } else {
                    &g.named.slug
                },
                label: &g.named.name,
                count: g.members.len(),
            })
            .collect(),
    }
}

/// The connector list's filters, with how many connectors each value has: the same on every
/// page of the list, so counted once (each page counted every connector's again).
pub fn facets<'a>(d: &'a Derived) -> Vec<Facet<'a>> {
    let count = |f: &dyn Fn(&Row) -> bool| d.rows.iter().filter(|r| f(r)).count();
    let mut auth: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in &d.rows {
        for kind in r.auth() {
            *auth.entry((kind.id(), kind.label())).or_default() += 1;
        }
    }
    let flag = |key, label, n| Facet {
        key,
        label,
        kind: "flag",
        values: vec![FacetValue {
            value: "1",
            label,
            count: n,
        }],
    };
    vec![
        group_facet("tier", "Tier", "multi", &d.tiers, false),
        group_facet("category", "Category", "multi", &d.categories, true),
        Facet {
            key: "auth",
            label: "Authentication",
            kind: "multi",
            values: auth
                .into_iter()
                .map(|((value, label), count)| FacetValue {
                    value,
                    label,
                    count,
                })
                .collect(),
        },
        flag("triggers", "Has triggers", count(&|r| r.triggers() > 0)),
        flag("copilot", "Copilot-enabled", count(&|r| r.copilot())),
        flag("code", "Custom code", count(&|r| r.code())),
        flag(
            "deprecated",
            "Has deprecated operations",
            count(&|r| r.deprecated() > 0),
        ),
        group_facet("publisher", "Publisher", "select", &d.publishers, false),
    ]
}

/// A tier, category or publisher page: its connectors in a comparison table.
#[derive(Serialize)]
pub struct GroupView<'a> {
    pub kind: &'static str,
    pub kind_plural: &'static str,
    pub name: &'a str,
    /// This page's rows.
    pub rows: Vec<&'a Row<'a>>,
    /// Rows on all pages.
    pub total: usize,
    pub pager: Option<Pager>,
    /// `compare/index.html?c=...` for groups of 2 to 4 connectors.
    pub compare_href: Option<String>,
    /// The list page filtered to this group.
    pub filter_href: String,
}

/// The kind of a group page and which of its pages.
pub struct GroupPage<'p> {
    pub kind: &'static str,
    pub kind_plural: &'static str,
    pub pages: &'p [Range<usize>],
    pub page: usize,
}

pub fn group<'a>(d: &'a Derived, g: &'a Group, at: GroupPage) -> GroupView<'a> {
    let GroupPage {
        kind, kind_plural, ..
    } = at;
    let rows = group_rows(d, g);
    let compare_href = (2..=4).contains(&rows.len()).then(|| {
        let slugs: Vec<&str> = rows.iter().map(|r| r.slug()).collect();
        format!("compare/index.html?c={}", slugs.join(","))
    });
    let value = if kind == "category" {
        &g.named.name
    } else {
        &g.named.slug
    };
    GroupView {
        kind,
        kind_plural,
        name: &g.named.name,
        total: rows.len(),
        rows: page_of(rows, at.pages.get(at.page)),
        pager: Pager::new(at.pages, at.page),
        compare_href,
        filter_href: format!("connectors/index.html?{kind}={}", urls::encode_query(value)),
    }
}

/// A group's rows in list order.
pub fn group_rows<'a>(d: &'a Derived, g: &'a Group) -> Vec<&'a Row<'a>> {
    g.members.iter().filter_map(|&i| d.rows.get(i)).collect()
}

#[derive(Serialize)]
pub struct GroupsView<'a> {
    pub kind: &'static str,
    pub groups: Vec<GroupLink<'a>>,
}

pub fn groups<'a>(groups: &'a [Group], kind: &'static str) -> GroupsView<'a> {
    GroupsView {
        kind,
        groups: groups.iter().map(GroupLink::of).collect(),
    }
}

#[derive(Serialize)]
pub struct CompareOption<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub tier: &'static str,
    pub docs: u8,
}

#[derive(Serialize)]
pub struct CompareView<'a> {
    /// Every connector, in the page; none when they come from `options_url` instead.
    pub options: Vec<CompareOption<'a>>,
    /// `list.json` (relative to the site root) when the catalog is too large for one page.
    pub options_url: Option<&'static str>,
}

/// The compare picker; with `paged`, its options are left to `list.json`.
pub fn compare<'a>(d: &'a Derived, paged: bool) -> CompareView<'a> {
    let rows = if paged { Vec::new() } else { sorted_rows(d) };
    CompareView {
        options_url: paged.then_some(LIST_JSON),
        options: rows
            .into_iter()
            .map(|r| CompareOption {
                slug: r.slug(),
                title: r.title(),
                tier: r.tier().label(),
                docs: r.docs,
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct ProblemGroup<'a> {
    pub title: &'a str,
    pub href: Option<String>,
    pub path: &'a str,
    pub tally: Tally,
    /// Empty when the group alone is over `PROBLEMS_PAGE_BYTES`: the group is named with its
    /// counts and its problems are on the connector's page.
    pub problems: Vec<ProblemView<'a>>,
}

/// Bytes of problems one page of the problems list holds. At 50 times the real repository the
/// single page listed every problem of the catalog and reached 1,989 KB; then, with the
/// problems of the groups past this budget left to their connectors' pages, the groups' names
/// alone still made it 1,632 KB, growing with the catalog (SPEC §7: no page over 2 MB). So
/// the groups are cut into pages, as the long lists are (`paging`). The real repository's
/// list is one page of 43 KB.
const PROBLEMS_PAGE_BYTES: usize = 1_000_000;

/// A group's fixed markup on the problems page (section, heading, link, counts, table head).
const PROBLEM_GROUP_MARKUP: usize = 600;

/// Where the problems page's groups come from: folders without a connector, then every
/// connector with problems, in catalog order.
struct ProblemSource<'a> {
    title: &'a str,
    href: Option<String>,
    path: &'a str,
    problems: &'a [crate::problem::Problem],
}

impl<'a> ProblemSource<'a> {
    fn all(catalog: &'a Catalog, d: &'a Derived) -> impl Iterator<Item = ProblemSource<'a>> {
        // Folders without a connector first: they have no page of their own to list them.
        let folders = (!catalog.problems.is_empty()).then(|| ProblemSource {
            title: "Folders without a connector",
            href: None,
            path: "",
            problems: &catalog.problems,
        });
        let connectors = catalog
            .connectors
            .iter()
            .zip(&d.rows)
            .filter(|(c, _)| !c.problems.is_empty())
            .map(|(c, r)| ProblemSource {
                title: r.title(),
                href: Some(r.href()),
                path: c.path(),
                problems: &c.problems,
            });
        folders.into_iter().chain(connectors)
    }

    /// About how many bytes the group takes on the page, its problems listed.
    fn html_len(&self) -> usize {
        let listed = self.problems.iter().map(|p| ProblemView::of(p).html_len());
        self.frame_len() + listed.sum::<usize>()
    }

    /// About how many bytes the group takes on the page without its problems.
    fn frame_len(&self) -> usize {
        let named = escaped_len(self.title) + escaped_len(self.path);
        PROBLEM_GROUP_MARKUP + named + self.href.as_deref().map_or(0, str::len)
    }

    fn group(self) -> ProblemGroup<'a> {
        let mut shown: Vec<ProblemView> = self.problems.iter().map(ProblemView::of).collect();
        let listed: usize = shown.iter().map(ProblemView::html_len).sum();
        if self.frame_len() + listed > PROBLEMS_PAGE_BYTES {
            shown.clear();
        }
        ProblemGroup {
            title: self.title,
            href: self.href,
            path: self.path,
            tally: Tally::of(self.problems),
            problems: shown,
        }
    }
}

/// The problems list's pages: its groups cut at `PROBLEMS_PAGE_BYTES` (one page when empty).
pub fn problem_pages(catalog: &Catalog, d: &Derived) -> Vec<Range<usize>> {
    let sizes: Vec<usize> = ProblemSource::all(catalog, d)
        .map(|s| s.html_len())
        .collect();
    crate::render::paging::split(&sizes, usize::MAX, PROBLEMS_PAGE_BYTES)
}

#[derive(Serialize)]
pub struct RuleCount {
    pub rule: &'static str,
    pub severity: &'static str,
    pub count: usize,
}

#[derive(Serialize)]
pub struct ProblemsView<'a> {
    pub tally: Tally,
    pub rules: Vec<RuleCount>,
    pub groups: Vec<ProblemGroup<'a>>,
    /// Absent when the list fits on one page.
    pub pager: Option<Pager>,
}

/// Page `page` (0-based) of the problems list, cut into `pages` by `problem_pages`.
pub fn problems<'a>(
    catalog: &'a Catalog,
    d: &'a Derived,
    pages: &[Range<usize>],
    page: usize,
) -> ProblemsView<'a> {
    let mut rules: BTreeMap<&'static str, RuleCount> = BTreeMap::new();
    for p in catalog.all_problems() {
        let r = rules.entry(p.rule).or_insert(RuleCount {
            rule: p.rule,
            severity: p.severity.as_str(),
            count: 0,
        });
        r.count += 1;
    }
    let here = pages.get(page).cloned().unwrap_or(0..0);
    let groups = ProblemSource::all(catalog, d)
        .skip(here.start)
        .take(here.len())
        .map(ProblemSource::group)
        .collect();
    ProblemsView {
        tally: Tally::of(catalog.all_problems()),
        rules: rules.into_values().collect(),
        groups,
        pager: Pager::new(pages, page),
    }
}

#[cfg(test)]
mod tests {
    use super::{thousands, ProblemSource, PROBLEMS_PAGE_BYTES};
    use crate::problem::{Problem, Severity};

    #[test]
    fn a_group_alone_over_a_page_is_named_and_its_problems_left_to_its_connector() {
        let huge = Problem::new("F002", Severity::Warning, "c/x.json", "m")
            .help("h".repeat(PROBLEMS_PAGE_BYTES));
        let small = Problem::new("F002", Severity::Warning, "c/x.json", "m");
        let source = |problems| ProblemSource {
            title: "C",
            href: Some("connectors/c/index.html".to_string()),
            path: "c",
            problems,
        };
        let group = source(std::slice::from_ref(&huge)).group();
        assert!(group.problems.is_empty());
        assert_eq!(group.tally.warnings, 1, "still counted");
        assert_eq!(
            source(std::slice::from_ref(&small)).group().problems.len(),
            1
        );
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(16445), "16,445");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
