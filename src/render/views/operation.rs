//! An action or trigger as the connector page shows it, in the order of `model::order`:
//! `important` first, then by title; revisions of one family together, newest first;
//! internal operations apart (behind a toggle).

use super::Badge;
use crate::model::order::{escaped_len, families, order_of};
use crate::model::{clip, shown_description, TITLE_SHOWN};
use crate::model::{
    FlattenLimits, Operation, OperationKind, TriggerCardinality, TriggerMode, Visibility,
};
use crate::render::html::shorten;
use crate::render::opsection;
use crate::render::tables::{self, Links};
use serde::Serialize;
use std::collections::BTreeMap;

/// An operation: what its index line needs, and either its whole section pre-rendered
/// (`html`, the default theme) or the details a theme's `op.html` renders (`detail`).
#[derive(Debug, Serialize)]
pub struct OpView<'a> {
    pub anchor: &'a str,
    pub title: &'a str,
    pub deprecated: bool,
    /// A shortened description for the index.
    pub short: Option<String>,
    pub html: Option<String>,
    #[serde(flatten)]
    pub detail: Option<OpDetail<'a>>,
}

/// Everything `op.html` shows besides the index fields.
#[derive(Debug, Serialize)]
pub struct OpDetail<'a> {
    pub id: &'a str,
    pub has_id: bool,
    pub description: Option<&'a str>,
    pub method: &'a str,
    pub path: &'a str,
    pub kind: &'static str,
    pub visibility: &'static str,
    pub badges: Vec<Badge>,
    pub replacement: Option<ReplacementView>,
    pub family: Option<FamilyView<'a>>,
    pub trigger: Option<TriggerView<'a>>,
    pub parameters_html: String,
    pub returns_html: String,
    /// Operations of other connectors that do the same job (`similar_ops`).
    pub also: Vec<AlsoView<'a>>,
}

/// An operation of another connector that does the same job, linked from this page.
#[derive(Debug, Serialize)]
pub struct AlsoView<'a> {
    pub connector: &'a str,
    pub operation: &'a str,
    pub href: String,
}

/// Gives an operation of the page its `AlsoView`s.
pub type AlsoOf<'f, 'a> = &'f dyn Fn(&'a Operation) -> Vec<AlsoView<'a>>;

#[derive(Debug, Serialize)]
pub struct ReplacementView {
    pub label: String,
    /// A link when the replacement is an operation of this connector.
    pub href: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FamilyView<'a> {
    pub name: &'a str,
    pub members: Vec<Member<'a>>,
    /// Members not listed (past `FAMILY_LISTED`).
    pub more: usize,
}

/// Revisions a family line lists, newest first (and the operation itself when it is older).
/// Every operation of a family listed every member: 20,000 operations sharing an id needed
/// 400 million entries. Real families have two to four revisions.
const FAMILY_LISTED: usize = 10;

#[derive(Debug, Serialize)]
pub struct Member<'a> {
    pub anchor: &'a str,
    /// `#anchor`, or the other page of the connector that shows it and the anchor.
    pub href: String,
    pub title: &'a str,
    pub revision: u32,
    pub deprecated: bool,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct TriggerView<'a> {
    pub mode: &'static str,
    pub cardinality: &'static str,
    pub hint: Option<&'a str>,
}

/// Operations of one kind, split into what makers see and the internal ones.
#[derive(Debug, Default, Serialize)]
pub struct OpList<'a> {
    /// Operations of this kind on every page of the connector.
    pub total: usize,
    pub visible: Vec<OpView<'a>>,
    pub internal: Vec<OpView<'a>>,
    /// Sections come pre-rendered in `html` (no `op.html` override).
    pub fast: bool,
}

impl OpList<'_> {
    pub fn len(&self) -> usize {
        self.visible.len() + self.internal.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How operations are rendered.
#[derive(Debug, Clone, Copy)]
pub struct OpOptions {
    pub limits: FlattenLimits,
    /// Render each section in Rust (`opsection`) instead of through the `op.html` template.
    pub fast: bool,
}

/// The operations of `kind` on the page `links` is for.
pub fn op_list<'a>(
    ops: &'a [Operation],
    kind: OperationKind,
    links: &Links<'a>,
    options: OpOptions,
    also: AlsoOf<'_, 'a>,
    cut: &mut bool,
) -> OpList<'a> {
    let of_kind: Vec<&Operation> = ops.iter().filter(|o| o.kind == kind).collect();
    let families = families(&of_kind);
    let mut list = OpList {
        total: of_kind.len(),
        fast: options.fast,
        ..OpList::default()
    };
    for op in order_of(&families)
        .into_iter()
        .filter(|o| o.page == links.page())
    {
        let view = view(op, &families, links, options, also(op), cut);
        if op.visibility.is_internal() {
            list.internal.push(view);
        } else {
            list.visible.push(view);
        }
    }
    list
}

fn view<'a>(
    op: &'a Operation,
    families: &BTreeMap<&'a str, Vec<&'a Operation>>,
    links: &Links<'a>,
    options: OpOptions,
    also: Vec<AlsoView<'a>>,
    cut: &mut bool,
) -> OpView<'a> {
    let mut detail = detail(op, families, links, options.limits, cut);
    detail.also = also;
    let mut view = OpView {
        anchor: &op.anchor,
        title: op.title(),
        deprecated: op.deprecated,
        short: op.description.as_deref().map(|d| shorten(d, 160)),
        html: None,
        detail: None,
    };
    if options.fast {
        view.html = Some(opsection::render(&view, &detail));
    } else {
        view.detail = Some(detail);
    }
    view
}

fn detail<'a>(
    op: &'a Operation,
    families: &BTreeMap<&'a str, Vec<&'a Operation>>,
    links: &Links<'a>,
    limits: FlattenLimits,
    cut: &mut bool,
) -> OpDetail<'a> {
    let description = op
        .description
        .as_deref()
        .map(|d| page_description(d, links));
    let tables = tables::operation(op, links, limits);
    *cut |= tables.cut;
    OpDetail {
        id: clip(&op.id, TITLE_SHOWN),
        has_id: op.has_operation_id,
        description,
        method: &op.method,
        path: &op.path,
        kind: op.kind.id(),
        visibility: visibility_id(&op.visibility),
        badges: badges(op),
        replacement: op.deprecated.then(|| replacement(op, links)).flatten(),
        family: family(op, families, links),
        trigger: op.trigger.as_ref().map(|t| TriggerView {
            mode: match t.mode {
                TriggerMode::Polling => "Polling",
                TriggerMode::Webhook => "Webhook",
                TriggerMode::Unknown => "Not stated",
            },
            cardinality: match t.cardinality {
                TriggerCardinality::Single => "Single: fires once per item",
                TriggerCardinality::Batch => "Batch: fires with an array of items",
                TriggerCardinality::Unknown => "Not stated",
            },
            hint: t.hint.as_deref(),
        }),
        parameters_html: tables.parameters,
        returns_html: tables.returns,
        also: Vec::new(),
    }
}

/// Characters of a description a full page still shows (`Links::take`).
const DESCRIPTION_ON_FULL_PAGE: usize = 300;

/// An operation's description as its page shows it: whole (up to `DESCRIPTION_SHOWN`) while
/// the page's allowance lasts, its beginning once the page is full.
fn page_description<'a>(text: &'a str, links: &Links) -> &'a str {
    let shown = shown_description(text);
    if links.take(escaped_len(shown)) {
        shown
    } else {
        clip(shown, DESCRIPTION_ON_FULL_PAGE)
    }
}

fn visibility_id(v: &Visibility) -> &'static str {
    match v {
        Visibility::Important => "important",
        Visibility::Normal => "normal",
        Visibility::Advanced => "advanced",
        Visibility::Internal => "internal",
        Visibility::Other(_) => "other",
    }
}

pub fn badges(op: &Operation) -> Vec<Badge> {
    let mut b = Vec::new();
    match &op.visibility {
        Visibility::Important => b.push(Badge::new("Important", "important")),
        Visibility::Advanced => b.push(Badge::new("Advanced", "advanced")),
        Visibility::Internal => {
            b.push(Badge::new("Internal", "internal").titled("Hidden from makers"))
        }
        Visibility::Other(v) => b.push(
            Badge::new(format!("Visibility: {v}"), "warn").titled("Not a known x-ms-visibility"),
        ),
        Visibility::Normal => {}
    }
    if op.deprecated {
        b.push(
            Badge::new("Deprecated", "deprecated")
                .titled("Hidden in the designer; existing flows keep working"),
        );
    }
    if op.is_preview() {
        b.push(Badge::new("Preview", "preview"));
    }
    if let Some(t) = &op.trigger {
        match t.mode {
            TriggerMode::Webhook => b.push(Badge::new("Webhook", "trigger")),
            TriggerMode::Polling => b.push(Badge::new("Polling", "trigger")),
            TriggerMode::Unknown => {}
        }
        match t.cardinality {
            TriggerCardinality::Single => b.push(Badge::new("Single", "trigger")),
            TriggerCardinality::Batch => b.push(Badge::new("Batch", "trigger")),
            TriggerCardinality::Unknown => {}
        }
    }
    if let Some(next) = &op.paging {
        b.push(Badge::new("Paginated", "feature").titled(format!("Next page link: {next}")));
    }
    if op.chunked_upload {
        b.push(Badge::new("Chunked upload", "feature"));
    }
    if op.custom_code {
        b.push(Badge::new("Custom code", "code").titled("Runs the connector's script.csx"));
    }
    if let Some(c) = &op.copilot {
        let title = if c.user_confirmation {
            "Copilot asks the user to confirm before running it"
        } else {
            "Copilot can run it without asking"
        };
        b.push(Badge::new("Copilot", "copilot").titled(title));
    }
    b
}

fn replacement(op: &Operation, links: &Links) -> Option<ReplacementView> {
    let r = op.annotation.replacement.as_ref()?;
    let id = r.operation_id.as_deref()?;
    Some(match links.op_by_id(id) {
        Some(target) => ReplacementView {
            label: target.title().to_string(),
            href: Some(links.op_href(target)),
        },
        None => ReplacementView {
            label: match &r.api {
                Some(api) => format!("{id} (in {api})"),
                None => id.to_string(),
            },
            href: None,
        },
    })
}

fn family<'a>(
    op: &'a Operation,
    families: &BTreeMap<&'a str, Vec<&'a Operation>>,
    links: &Links<'a>,
) -> Option<FamilyView<'a>> {
    let members = families
        .get(op.annotation.family.as_str())
        .filter(|m| m.len() > 1)?;
    let member = |m: &&'a Operation| Member {
        anchor: &m.anchor,
        href: links.op_href(m),
        title: m.title(),
        revision: m.annotation.revision,
        deprecated: m.deprecated,
        current: std::ptr::eq(*m, op),
    };
    let mut listed: Vec<Member> = members.iter().take(FAMILY_LISTED).map(member).collect();
    if !listed.iter().any(|m| m.current) {
        listed.extend(members.iter().filter(|m| std::ptr::eq(**m, op)).map(member));
    }
    Some(FamilyView {
        name: &op.annotation.family,
        more: members.len() - listed.len(),
        members: listed,
    })
}
