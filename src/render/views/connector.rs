//! The connector page's view: every section of SPEC §5 (except history) for one connector,
//! plus its problems and its similar connectors. Built from that connector alone and the
//! summary rows of the connectors it links to.

use super::operation::{op_list, AlsoView, OpList, OpOptions};
use super::Badge;
use crate::model::order::{self, escaped_len};
use crate::model::{clip, shown_description, TITLE_SHOWN};
use crate::model::{
    AuthKind, AuthScheme, ConnectionParameter, ConnectionSet, Connector, FlattenLimits, Operation,
    OperationKind, ParamLocation,
};
use crate::problem::{Problem, Tally};
use crate::quality::Completeness;
use crate::render::derive::{Named, Row};
use crate::render::tables::{self, Links};
use crate::render::{urls, Similar};
use crate::similar_ops::NamedOp;
use foldhash::HashMap;
use serde::Serialize;
use std::sync::Arc;

/// Name of the copied definition, next to the page.
pub const DEFINITION_FILE: &str = "apiDefinition.swagger.json";
/// About how many schema rows one page may show before schemas are cut.
const PAGE_FIELD_BUDGET: usize = 1200;
/// Rows each schema keeps however many there are. It was 25, which let 300 operations on
/// one large schema make a 4 MB page (SPEC §7: no page over 2 MB).
const MIN_FIELDS: usize = 3;
/// About how many definition rows one page may show.
const PAGE_DEFINITION_BUDGET: usize = 600;

#[derive(Serialize)]
pub struct ConnectorPage<'a> {
    pub c: ConnectorView<'a>,
}

#[derive(Serialize)]
pub struct ConnectorView<'a> {
    pub slug: &'a str,
    pub folder: &'a str,
    pub title: &'a str,
    pub tier: &'static str,
    pub tier_label: &'static str,
    pub badges: Vec<Badge>,
    pub brand: Option<&'a str>,
    pub brand_fg: &'static str,
    pub icon: Option<&'static str>,
    pub monogram: String,
    pub lead: Option<&'a str>,
    pub contact: ContactView<'a>,
    pub publisher: Option<&'a str>,
    pub publisher_href: Option<String>,
    pub stack_owner: Option<&'a str>,
    pub website: Option<LinkView<'a>>,
    pub privacy: Option<LinkView<'a>>,
    pub categories: &'a [Arc<Named>],
    pub host: Option<&'a str>,
    pub base_path: Option<&'a str>,
    pub schemes: &'a [String],
    pub version: Option<&'a str>,
    pub keywords: Vec<&'a str>,
    pub keywords_more: usize,
    pub source_path: &'a str,
    pub source_url: Option<String>,
    pub definition_file: Option<&'static str>,
    pub definition_kb: u64,
    pub json_href: String,
    pub policies: Vec<PolicyView<'a>>,
    pub policies_more: usize,
    pub capabilities: &'a [String],
    pub capabilities_more: usize,
    pub test_connection: Option<&'a str>,
    pub actions_count: usize,
    pub triggers_count: usize,
    /// The pages of the connector's operations, when they do not fit this one.
    pub pages: Option<PagesView>,
    pub deprecated_count: usize,
    pub docs: u8,
    pub intro_html: Option<String>,
    pub readme_html: Option<String>,
    /// The documentation is long: shown collapsed, with its size in KB.
    pub docs_kb: Option<usize>,
    /// Flags for templates: testing a long string in `{% if %}` costs an escape of it.
    pub has_docs: bool,
    pub has_intro: bool,
    pub has_readme: bool,
    pub connection_sets: Vec<ConnSetView<'a>>,
    pub auth: Vec<AuthView<'a>>,
    pub auth_more: usize,
    pub actions: OpList<'a>,
    pub triggers: OpList<'a>,
    pub definitions: Vec<DefView<'a>>,
    /// How many definitions the connector has; past `MAX_DEFINITIONS_SHOWN`, more than shown.
    pub definition_count: usize,
    /// The first `MAX_PROBLEMS_LISTED` problems.
    pub problems: Vec<ProblemView<'a>>,
    pub problem_count: usize,
    pub tally: Tally,
    pub quality: QualityView<'a>,
    pub similar: Vec<SimilarView<'a>>,
    /// Some schema was cut to keep the page light.
    pub cut: bool,
}

#[derive(Serialize)]
pub struct ContactView<'a> {
    pub name: Option<&'a str>,
    pub url: Option<&'a str>,
    pub url_text: Option<&'a str>,
    pub email: Option<&'a str>,
    pub email_text: Option<&'a str>,
}

/// A URL from the source: `href` only when it is a safe `http(s)` URL.
#[derive(Serialize)]
pub struct LinkView<'a> {
    pub text: &'a str,
    pub href: Option<&'a str>,
}

impl<'a> LinkView<'a> {
    fn of(url: Option<&'a str>) -> Option<LinkView<'a>> {
        let url = url?.trim();
        // A URL of megabytes is shown cut and not linked.
        (!url.is_empty()).then(|| LinkView {
            text: clip(url, TITLE_SHOWN),
            href: urls::safe_external(url).filter(|u| u.len() <= MAX_URL),
        })
    }
}

/// A URL longer than this is not linked (browsers cut URLs at about 2 MB, servers sooner).
const MAX_URL: usize = 2048;

#[derive(Serialize)]
pub struct PolicyView<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub operations: &'a [String],
}

#[derive(Serialize)]
pub struct ConnSetView<'a> {
    pub title: String,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub params: Vec<ConnParamView<'a>>,
    /// Visible parameters past `MAX_ITEMS_LISTED`.
    pub more: usize,
    pub hidden: usize,
}

#[derive(Serialize)]
pub struct ConnParamView<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub description: Option<&'a str>,
    pub required: bool,
    pub allowed: &'a [String],
    pub allowed_more: usize,
    pub oauth: Option<OAuthView<'a>>,
}

#[derive(Serialize)]
pub struct OAuthView<'a> {
    pub provider: Option<&'a str>,
    pub provider_label: Option<&'static str>,
    pub scopes: &'a [String],
    pub scopes_more: usize,
    pub redirect_mode: Option<&'a str>,
}

#[derive(Serialize)]
pub struct AuthView<'a> {
    pub name: &'a str,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub key_in: Option<&'a str>,
    pub key_name: Option<&'a str>,
    pub flow: Option<&'a str>,
    pub authorization_url: Option<&'a str>,
    pub token_url: Option<&'a str>,
    pub scopes: &'a [String],
    pub scopes_more: usize,
}

#[derive(Serialize)]
pub struct DefView<'a> {
    pub name: &'a str,
    /// The whole `<details class="definition">` element.
    pub html: String,
}

#[derive(Serialize)]
pub struct ProblemView<'a> {
    pub location: String,
    pub severity: &'static str,
    pub rule: &'static str,
    pub message: &'a str,
    pub help: Option<&'a str>,
}

impl<'a> ProblemView<'a> {
    pub fn of(p: &'a Problem) -> ProblemView<'a> {
        let location = if p.line > 0 {
            format!("{}:{}:{}", p.path, p.line, p.column)
        } else {
            p.path.clone()
        };
        ProblemView {
            location,
            severity: p.severity.as_str(),
            rule: p.rule,
            // Messages quote the source (ids, names), which may be megabytes long.
            message: clip(&p.message, MESSAGE_SHOWN),
            help: p.help.as_deref(),
        }
    }

    /// About how many bytes the problem takes on a page.
    pub fn html_len(&self) -> usize {
        let texts = [
            self.location.as_str(),
            self.message,
            self.help.unwrap_or(""),
        ];
        200 + texts.into_iter().map(escaped_len).sum::<usize>()
    }
}

/// The documentation-quality panel: the completeness score, its parts and the linter's
/// findings.
#[derive(Serialize)]
pub struct QualityView<'a> {
    pub score: u8,
    pub parts: Vec<PartView>,
    /// The first `MAX_PROBLEMS_LISTED` of the linter's findings.
    pub findings: Vec<ProblemView<'a>>,
    /// All the linter's findings.
    pub count: usize,
    pub tally: Tally,
}

#[derive(Serialize)]
pub struct PartView {
    pub label: &'static str,
    pub done: usize,
    pub of: usize,
    pub percent: u8,
}

/// Items of the lists in a connector's About and connection sections that a page shows at
/// most: security definitions, connection parameters, policy templates, keywords and
/// capabilities. The corpus's longest has 50; 20,000 security definitions made a 4.9 MB page
/// (SPEC §7: none over 2 MB). Each list says how many it leaves out.
pub const MAX_ITEMS_LISTED: usize = 200;
/// Values listed inside one of those items at most: scopes and allowed values (the corpus's
/// most is 22). 500 parameters of 500 allowed values each made 9.5 MB.
pub const MAX_VALUES_LISTED: usize = 50;

/// The first `max` of `items`, and how many are left out.
fn first<T>(items: &[T], max: usize) -> (&[T], usize) {
    let n = items.len().min(max);
    (&items[..n], items.len() - n)
}

/// Characters of a problem's message shown at most.
const MESSAGE_SHOWN: usize = 2_000;

/// Problems (and linter findings) a page lists at most. The corpus's most is 644 findings;
/// a connector made to have tens of thousands made a page of megabytes (SPEC §7: none over
/// 2 MB). `switchyard check` lists every one.
pub const MAX_PROBLEMS_LISTED: usize = 1000;

/// Bytes of problems one list shows at most: a thousand problems quoting ids of a few
/// hundred characters made lists of megabytes. The corpus's longest list takes 0.26 MB.
const PROBLEMS_LISTED_BYTES: usize = 400_000;

/// The problems a page lists: the first ones, while `MAX_PROBLEMS_LISTED` and
/// `PROBLEMS_LISTED_BYTES` last.
fn listed(problems: &[Problem]) -> Vec<ProblemView<'_>> {
    let mut left = PROBLEMS_LISTED_BYTES;
    problems
        .iter()
        .take(MAX_PROBLEMS_LISTED)
        .map(ProblemView::of)
        .take_while(|v| {
            let size = v.html_len();
            left = left.saturating_sub(size);
            left > 0
        })
        .collect()
}

impl<'a> QualityView<'a> {
    pub fn of(c: &'a Connector) -> QualityView<'a> {
        let completeness = Completeness::of(c);
        QualityView {
            score: completeness.score,
            parts: completeness
                .parts
                .iter()
                .map(|p| PartView {
                    label: p.label,
                    done: p.done,
                    of: p.of,
                    percent: p.percent(),
                })
                .collect(),
            findings: listed(&c.details().lint),
            count: c.details().lint.len(),
            tally: Tally::of(&c.details().lint),
        }
    }
}

#[derive(Serialize)]
pub struct SimilarView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub href: String,
    pub tier_label: &'static str,
    pub score: u32,
    pub shared: Vec<&'a str>,
    pub more_shared: usize,
    pub same_host: bool,
    pub same_stack_owner: bool,
}

impl ConnectorPage<'_> {
    /// About how many bytes the page will have: its pre-rendered parts and some room.
    pub fn size_hint(&self) -> usize {
        let c = &self.c;
        let docs = c.intro_html.as_ref().map_or(0, String::len)
            + c.readme_html.as_ref().map_or(0, String::len);
        let defs: usize = c.definitions.iter().map(|d| d.html.len()).sum();
        32 * 1024 + ops_size(&c.actions) + ops_size(&c.triggers) + docs + defs
    }
}

/// About how many bytes the sections of `l` take.
fn ops_size(l: &OpList) -> usize {
    l.visible
        .iter()
        .chain(&l.internal)
        .map(|o| o.html.as_ref().map_or(2048, String::len) + 256)
        .sum()
}

/// Inputs of a connector page besides the connector itself.
pub struct Extras<'a> {
    pub row: &'a Row<'a>,
    pub rows: &'a [Row<'a>],
    pub similar: &'a [Similar],
    /// Per operation of this connector, other connectors' operations doing the same job
    /// (`JobLists::named`; empty when there are none).
    pub same_job: &'a [Vec<NamedOp<'a>>],
    pub source_link: Option<&'a str>,
    pub intro_html: Option<String>,
    pub readme_html: Option<String>,
    /// Operation sections rendered in Rust (the theme does not override `op.html`).
    pub fast_ops: bool,
}

/// The actions and triggers of one page of a connector.
struct PageOps<'a> {
    actions: OpList<'a>,
    triggers: OpList<'a>,
    cut: bool,
}

fn page_ops<'a>(c: &'a Connector, x: &Extras<'a>, links: &Links<'a>) -> PageOps<'a> {
    let options = OpOptions {
        limits: limits_for(c),
        fast: x.fast_ops,
    };
    let mut cut = false;
    let same_job: HashMap<&str, &[NamedOp]> = c
        .details()
        .operations
        .iter()
        .zip(x.same_job)
        .map(|(o, s)| (o.anchor.as_str(), s.as_slice()))
        .collect();
    let also = |op: &'a Operation| also_views(same_job.get(op.anchor.as_str()), x);
    let mut list = |kind| {
        op_list(
            &c.details().operations,
            kind,
            links,
            options,
            &also,
            &mut cut,
        )
    };
    let actions = list(OperationKind::Action);
    let triggers = list(OperationKind::Trigger);
    PageOps {
        actions,
        triggers,
        cut,
    }
}

/// The pages of a connector whose operations do not fit one, seen from page `current`.
#[derive(Serialize)]
pub struct PagesView {
    /// Operations of the connector, on all its pages.
    pub count: usize,
    pub pages: Vec<PageLink>,
    /// The 1-based range of operations on the current page.
    pub first: usize,
    pub last: usize,
}

#[derive(Serialize)]
pub struct PageLink {
    /// 1-based.
    pub number: u32,
    pub href: String,
    pub first: usize,
    pub last: usize,
    pub current: bool,
    /// Pages before this one are not listed (see `PAGES_AROUND`).
    pub gap_before: bool,
}

/// Pages the list names before and after the current one; with the first and last
/// `PAGES_AT_ENDS`, a connector of hundreds of pages does not list them all on each.
const PAGES_AROUND: u32 = 4;
const PAGES_AT_ENDS: u32 = 2;

/// `None` when every operation is on the connector's own page.
fn pages_view(c: &Connector, current: u32) -> Option<PagesView> {
    let sizes = order::page_sizes(&c.details().operations);
    if sizes.len() < 2 {
        return None;
    }
    // Pages hold different numbers of operations (`order::assign_pages`).
    let before: Vec<usize> = sizes
        .iter()
        .scan(0, |sum, n| {
            let first = *sum;
            *sum += n;
            Some(first)
        })
        .collect();
    let range = |p: usize| (before[p] + 1, before[p] + sizes[p]);
    let last_page = sizes.len() - 1;
    let listed = |p: usize| {
        let near = p.abs_diff(current as usize) <= PAGES_AROUND as usize;
        near || p < PAGES_AT_ENDS as usize || p + (PAGES_AT_ENDS as usize) > last_page
    };
    let (first, last) = range(current as usize);
    let mut pages = Vec::new();
    for p in (0..=last_page).filter(|&p| listed(p)) {
        let (first, last) = range(p);
        let gap_before = pages
            .last()
            .is_some_and(|l: &PageLink| l.number as usize != p);
        let number = u32::try_from(p).unwrap_or(u32::MAX);
        pages.push(PageLink {
            number: number.saturating_add(1),
            href: order::page_file(number),
            first,
            last,
            current: number == current,
            gap_before,
        });
    }
    Some(PagesView {
        count: c.details().operations.len(),
        first,
        last,
        pages,
    })
}

/// A further page of a connector with more operations than one page holds: its head, the
/// pages and that page's operations.
#[derive(Serialize)]
pub struct PartPage<'a> {
    pub c: OpsPageView<'a>,
}

#[derive(Serialize)]
pub struct OpsPageView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub tier: &'static str,
    pub tier_label: &'static str,
    pub pages: Option<PagesView>,
    pub actions_count: usize,
    pub triggers_count: usize,
    pub actions: OpList<'a>,
    pub triggers: OpList<'a>,
    pub cut: bool,
}

impl PartPage<'_> {
    pub fn size_hint(&self) -> usize {
        16 * 1024 + ops_size(&self.c.actions) + ops_size(&self.c.triggers)
    }
}

/// Page `page` (1 or more) of a connector whose operations do not fit one page.
pub fn part_view<'a>(c: &'a Connector, x: &Extras<'a>, page: u32) -> PartPage<'a> {
    let definition_file = x.row.definition().then_some(DEFINITION_FILE);
    let links = Links::new(c, definition_file).on_page(page);
    let ops = page_ops(c, x, &links);
    PartPage {
        c: OpsPageView {
            slug: c.slug(),
            title: c.display_title(),
            tier: c.tier.id(),
            tier_label: c.tier.label(),
            pages: pages_view(c, page),
            actions_count: ops.actions.total,
            triggers_count: ops.triggers.total,
            actions: ops.actions,
            triggers: ops.triggers,
            cut: ops.cut,
        },
    }
}

/// The pages past the first of `c` (none for nearly every connector).
pub fn extra_pages(c: &Connector) -> std::ops::RangeInclusive<u32> {
    1..=order::last_page(&c.details().operations)
}

pub fn view<'a>(c: &'a Connector, x: Extras<'a>) -> ConnectorPage<'a> {
    let definition_file = x.row.definition().then_some(DEFINITION_FILE);
    let links = Links::new(c, definition_file);
    // The readme and intro share the page with the tables (each is cut at 256 KB of text).
    let docs = [&x.intro_html, &x.readme_html].map(|d| d.as_ref().map_or(0, String::len));
    links.spend(docs.iter().sum());
    let PageOps {
        actions,
        triggers,
        cut,
    } = page_ops(c, &x, &links);
    let keywords: Vec<&str> = c.about.keywords().take(MAX_ITEMS_LISTED).collect();
    let keywords_more = c.about.keywords().len() - keywords.len();
    let (policies, policies_more) = first(&c.details().policies, MAX_ITEMS_LISTED);
    let (capabilities, capabilities_more) = first(&c.details().capabilities, MAX_ITEMS_LISTED);
    let (auth_schemes, auth_more) = first(&c.details().auth, MAX_ITEMS_LISTED);
    let row = x.row;
    ConnectorPage {
        c: ConnectorView {
            slug: c.slug(),
            folder: c.folder(),
            title: c.display_title(),
            tier: c.tier.id(),
            tier_label: c.tier.label(),
            badges: badges(c, row),
            brand: row.brand(),
            brand_fg: row.brand_fg(),
            // The row's flag: the icon is copied (`source::copyable`), not merely named.
            icon: row.icon().then_some("icon.png"),
            monogram: row.monogram(),
            lead: c.about.description().map(shown_description),
            contact: contact(c),
            publisher: row.publisher(),
            publisher_href: row
                .publisher_slug()
                .map(|s| urls::href(&format!("publishers/{s}/"))),
            stack_owner: c.about.stack_owner(),
            website: LinkView::of(c.details().website.as_deref()),
            privacy: LinkView::of(c.details().privacy_policy.as_deref()),
            categories: &row.categories,
            host: c.about.host(),
            base_path: c.details().base_path.as_deref(),
            schemes: &c.details().schemes,
            version: c.about.version(),
            keywords,
            keywords_more,
            source_path: c.path(),
            source_url: urls::source_link(x.source_link, c.path()),
            definition_file,
            definition_kb: c.files().definition_bytes.div_ceil(1024),
            json_href: format!("../{}.json", c.slug()),
            policies: policies
                .iter()
                .map(|p| PolicyView {
                    id: &p.template_id,
                    title: p.title.as_deref(),
                    operations: &p.operations,
                })
                .collect(),
            capabilities,
            capabilities_more,
            test_connection: c.details().test_connection.as_deref(),
            actions_count: actions.total,
            triggers_count: triggers.total,
            pages: pages_view(c, 0),
            deprecated_count: c.deprecated_count(),
            docs: row.docs,
            docs_kb: long_docs(&x.intro_html, &x.readme_html),
            has_docs: x.intro_html.is_some() || x.readme_html.is_some(),
            has_intro: x.intro_html.is_some(),
            has_readme: x.readme_html.is_some(),
            intro_html: x.intro_html,
            readme_html: x.readme_html,
            connection_sets: c.details().connection_sets.iter().map(conn_set).collect(),
            policies_more,
            auth: auth_schemes.iter().map(auth).collect(),
            auth_more,
            actions,
            triggers,
            definitions: definitions(c, &links),
            definition_count: c.details().definitions.len(),
            problems: listed(&c.problems),
            problem_count: c.problems.len(),
            tally: Tally::of(&c.problems),
            quality: QualityView::of(c),
            similar: similar(c, x.similar, x.rows),
            cut,
        },
    }
}

/// The other connectors' operations doing the same job, linked from this connector's page.
fn also_views<'a>(others: Option<&&'a [NamedOp<'a>]>, x: &Extras<'a>) -> Vec<AlsoView<'a>> {
    others
        .into_iter()
        .flat_map(|o| o.iter())
        .filter_map(|o| {
            let row = x.rows.get(o.connector as usize)?;
            Some(AlsoView {
                connector: row.title(),
                operation: &o.title,
                href: format!(
                    "../../connectors/{}/{}#{}",
                    row.slug(),
                    order::page_file(o.page),
                    o.anchor
                ),
            })
        })
        .collect()
}

/// Documentation longer than this (HTML bytes) is collapsed so the actions stay in reach.
const LONG_DOCS: usize = 8 * 1024;

fn long_docs(intro: &Option<String>, readme: &Option<String>) -> Option<usize> {
    let len = intro.as_ref().map_or(0, String::len) + readme.as_ref().map_or(0, String::len);
    (len > LONG_DOCS).then(|| len.div_ceil(1024))
}

fn badges(c: &Connector, row: &Row) -> Vec<Badge> {
    let mut b = vec![Badge::new(c.tier.label(), tier_class(c.tier.id()))];
    if c.is_preview() {
        b.push(Badge::new("Preview", "preview"));
    }
    if row.copilot() {
        b.push(
            Badge::new("Copilot", "copilot").titled("Has Copilot (x-ms-openai-data) operations"),
        );
    }
    if row.code() {
        b.push(Badge::new("Custom code", "code").titled("Ships a script.csx"));
    }
    if row.deprecated() > 0 {
        let label = format!("{} deprecated", row.deprecated());
        b.push(Badge::new(label, "deprecated").titled("Deprecated operations"));
    }
    b
}

pub fn tier_class(tier: &str) -> &'static str {
    match tier {
        "certified" => "certified",
        "independent-publisher" => "independent",
        _ => "custom",
    }
}

fn contact(c: &Connector) -> ContactView<'_> {
    let info = &c.details().contact;
    let url_text = info.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let email_text = info
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    ContactView {
        name: info.name.as_deref(),
        url: url_text.and_then(urls::safe_external),
        url_text,
        email: email_text.and_then(urls::safe_email),
        email_text,
    }
}

/// Flatten limits that keep a page light: the more schemas, the fewer rows each.
fn limits_for(c: &Connector) -> FlattenLimits {
    let schemas: usize = c
        .details()
        .operations
        .iter()
        .map(|o| {
            let bodies = o
                .parameters
                .iter()
                .filter(|p| p.location == ParamLocation::Body && p.schema.is_some())
                .count();
            bodies + usize::from(o.success_response().is_some_and(|r| r.schema.is_some()))
        })
        .sum();
    FlattenLimits {
        max_depth: if schemas > 60 { 4 } else { 5 },
        max_fields: (PAGE_FIELD_BUDGET / schemas.max(1)).clamp(MIN_FIELDS, 60),
    }
}

fn conn_set(s: &ConnectionSet) -> ConnSetView<'_> {
    let visible: Vec<&ConnectionParameter> = s.parameters.iter().filter(|p| !p.hidden).collect();
    let title = s
        .display_name
        .clone()
        .or_else(|| (!s.name.is_empty()).then(|| s.name.clone()))
        .unwrap_or_else(|| "Connection".to_string());
    let (shown, more) = first(&visible, MAX_ITEMS_LISTED);
    ConnSetView {
        title,
        name: &s.name,
        description: s.description.as_deref(),
        hidden: s.parameters.len() - visible.len(),
        more,
        params: shown.iter().copied().map(conn_param).collect(),
    }
}

fn conn_param(p: &ConnectionParameter) -> ConnParamView<'_> {
    let (allowed, allowed_more) = first(&p.allowed_values, MAX_VALUES_LISTED);
    ConnParamView {
        key: &p.name,
        label: p.display_name.as_deref().unwrap_or(&p.name),
        kind: &p.kind,
        description: p.description.as_deref().or(p.tooltip.as_deref()),
        required: p.required,
        allowed,
        allowed_more,
        oauth: p.oauth.as_ref().map(|o| {
            let (scopes, scopes_more) = first(&o.scopes, MAX_VALUES_LISTED);
            OAuthView {
                provider: o.identity_provider.as_deref(),
                provider_label: o.identity_provider.as_deref().and_then(provider_label),
                scopes,
                scopes_more,
                redirect_mode: o.redirect_mode.as_deref(),
            }
        }),
    }
}

fn provider_label(id: &str) -> Option<&'static str> {
    match id.to_ascii_lowercase().as_str() {
        "aad" => Some("Microsoft Entra ID"),
        "aadcertificate" => Some("Microsoft Entra ID with a certificate"),
        "oauth2" => Some("OAuth 2.0 (platform-registered provider)"),
        "oauth2generic" => Some("Generic OAuth 2.0"),
        _ => None,
    }
}

fn auth(a: &AuthScheme) -> AuthView<'_> {
    let (scopes, scopes_more) = first(&a.scopes, MAX_VALUES_LISTED);
    AuthView {
        name: &a.name,
        kind: a.kind.id(),
        kind_label: match a.kind {
            AuthKind::None => "None",
            k => k.label(),
        },
        key_in: a.key_in.as_deref(),
        key_name: a.key_name.as_deref(),
        flow: a.flow.as_deref(),
        authorization_url: a.authorization_url.as_deref(),
        token_url: a.token_url.as_deref(),
        scopes,
        scopes_more,
    }
}

fn definitions<'a>(c: &'a Connector, links: &Links<'a>) -> Vec<DefView<'a>> {
    let max_rows = (PAGE_DEFINITION_BUDGET / c.details().definitions.len().max(1)).clamp(8, 40);
    let open = c.details().definitions.len() <= 3;
    tables::shown_definitions(c)
        .into_iter()
        .map(|d| DefView {
            name: &d.name,
            html: tables::definition_details(d, links, max_rows, open),
        })
        .collect()
}

fn similar<'a>(c: &'a Connector, list: &'a [Similar], rows: &'a [Row<'a>]) -> Vec<SimilarView<'a>> {
    list.iter()
        .filter_map(|s| {
            let row = rows.get(s.index)?;
            Some(SimilarView {
                title: row.title(),
                slug: row.slug(),
                href: row.href(),
                tier_label: row.tier().label(),
                score: (s.score.clamp(0.0, 1.0) * 100.0).round() as u32,
                shared: s.shared_titles(c).take(6).collect(),
                more_shared: s.shared.len().saturating_sub(6),
                same_host: s.same_host,
                same_stack_owner: s.same_stack_owner,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Severity;

    /// A thousand problems quoting long ids: the list stops at `PROBLEMS_LISTED_BYTES`.
    #[test]
    fn a_list_of_problems_stops_at_its_bytes() {
        let quoting = |n: usize| {
            let message = format!("operation `{}` repeats", "\"".repeat(n));
            Problem::new(
                "O001",
                Severity::Error,
                "c/apiDefinition.swagger.json",
                message,
            )
        };
        let short: Vec<Problem> = (0..1500).map(|_| quoting(10)).collect();
        assert_eq!(
            listed(&short).len(),
            MAX_PROBLEMS_LISTED,
            "short ones: the count"
        );
        let long: Vec<Problem> = (0..1000).map(|_| quoting(1500)).collect();
        let shown = listed(&long);
        let bytes: usize = shown.iter().map(ProblemView::html_len).sum();
        assert!((30..50).contains(&shown.len()), "{}", shown.len());
        assert!(bytes <= PROBLEMS_LISTED_BYTES, "{bytes}");
    }
}
