//! The parameter, returns and definition tables of a connector page, built as escaped HTML.
//!
//! They are the bulk of a big connector's page (thousands of rows for Encodian), so they
//! are written straight into a string instead of through the template engine; every text
//! goes through `Html::text`/`Html::attr`. Themes style them through their classes
//! (`fields`, `params`, `returns`, `defs`, `extra`, `tag`) documented in the theme README.

use super::html::{shorten, Html};
use crate::model::order;
use crate::model::shown_description as shown;
use crate::model::{
    flatten, type_label, Connector, Definition, Dynamic, DynamicKind, EnumValue, Field, FieldNote,
    FlattenLimits, Operation, ParamLocation, Parameter, Schema, Visibility,
};
use crate::slug::unique_anchors;
use foldhash::{HashMap, HashSet};
use serde_json::Value;
use std::borrow::Cow;
use std::cell::Cell;

/// Tables with more rows than this are collapsed in a `<details>`.
pub const COLLAPSE_ROWS: usize = 15;
/// At most this many enum values are listed in a cell.
const MAX_ENUM: usize = 12;

/// Definitions a page shows at most; the corpus's largest connector has 430. Each keeps at
/// least 8 rows, so 20,000 definitions made a 10 MB page (SPEC §7: none over 2 MB). The others
/// are in the parsed model and the definition file, which the page links to.
pub const MAX_DEFINITIONS_SHOWN: usize = 500;

/// The definitions a page shows, by name: the first `MAX_DEFINITIONS_SHOWN`.
pub fn shown_definitions(c: &Connector) -> Vec<&Definition> {
    let mut sorted: Vec<&Definition> = c.details().definitions.iter().collect();
    sorted.sort_by_cached_key(|d| (d.name.to_lowercase(), d.name.as_str()));
    sorted.truncate(MAX_DEFINITIONS_SHOWN);
    sorted
}

/// What tables link to on the same page: operations by id and definitions by name.
pub struct Links<'a> {
    ops: HashMap<&'a str, &'a Operation>,
    defs: HashMap<&'a str, String>,
    /// Every definition's schema by name, shown or not, for flattening.
    schemas: HashMap<&'a str, &'a Schema>,
    /// The copied definition file, when there is one (for "see the full schema").
    pub definition_file: Option<&'a str>,
    /// The page of the connector the tables are on (`model::order`): definitions are on the
    /// first, operations on theirs.
    page: u32,
    /// Bytes of table rows and operation descriptions this page may still take.
    allowance: Cell<usize>,
}

/// Bytes of table rows and operation descriptions one page holds at most. Pages get their
/// operations by `model::order::weight`, which does not walk schemas: a definition of a few
/// megabytes whose long-described properties every operation refers to made a 176 MB page.
/// The corpus's heaviest page takes 0.58 MB.
pub const PAGE_ALLOWANCE: usize = 1_200_000;

impl<'a> Links<'a> {
    pub fn new(c: &'a Connector, definition_file: Option<&'a str>) -> Links<'a> {
        // Only the definitions the page shows can be linked to (in the source's order, which
        // decides the anchors of names that slug alike).
        let shown: HashSet<&str> = shown_definitions(c)
            .into_iter()
            .map(|d| d.name.as_str())
            .collect();
        let names: Vec<&str> = c
            .details()
            .definitions
            .iter()
            .map(|d| d.name.as_str())
            .filter(|name| shown.contains(name))
            .collect();
        let ids = unique_anchors(&names);
        Links {
            ops: c
                .details()
                .operations
                .iter()
                .map(|o| (o.id.as_str(), o))
                .collect(),
            defs: names
                .into_iter()
                .zip(ids)
                .map(|(n, id)| (n, format!("def-{id}")))
                .collect(),
            schemas: c.schemas_by_name(),
            definition_file,
            page: 0,
            allowance: Cell::new(PAGE_ALLOWANCE),
        }
    }

    /// Takes `bytes` of the page's allowance, or none and `false` when they do not fit
    /// (then nothing more fits: the page shows no row after the first one cut).
    pub fn take(&self, bytes: usize) -> bool {
        let left = self.allowance.get();
        let fits = bytes <= left;
        self.allowance.set(if fits { left - bytes } else { 0 });
        fits
    }

    /// Takes `bytes` of the page's allowance, or all that is left.
    pub fn spend(&self, bytes: usize) {
        let left = self.allowance.get();
        self.allowance.set(left.saturating_sub(bytes));
    }

    /// The same links, from page `page` of the connector.
    pub fn on_page(self, page: u32) -> Links<'a> {
        Links { page, ..self }
    }

    /// The page of the connector these links are from.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// A link to `op` from this page.
    pub fn op_href(&self, op: &Operation) -> String {
        order::op_href(op, self.page)
    }

    /// A link to a definition's anchor from this page.
    fn def_href(&self, id: &str) -> String {
        order::href_to(0, self.page, id)
    }

    pub fn op_by_id(&self, id: &str) -> Option<&'a Operation> {
        self.ops.get(id).copied()
    }

    /// The schema of a definition of this connector.
    pub fn schema_of(&self, name: &str) -> Option<&'a Schema> {
        self.schemas.get(name).copied()
    }

    pub fn def_id(&self, name: &str) -> Option<&str> {
        self.defs.get(name).map(String::as_str)
    }

    /// A link to an operation of this connector, or its id as code when it is not one.
    pub fn op(&self, h: &mut Html, id: &str) {
        match self.ops.get(id) {
            Some(op) => {
                h.tag("<a").attr("href", &self.op_href(op)).tag(">");
                h.text(op.title()).tag("</a>");
            }
            None => {
                h.el("<code>", id, "</code>");
            }
        }
    }
}

/// One row of a parameters or returns table, before it becomes HTML.
struct Row<'a> {
    name: Option<Cow<'a, str>>,
    key: Cow<'a, str>,
    required: bool,
    ty: Cow<'a, str>,
    format: Option<&'a str>,
    description: Option<&'a str>,
    default: Option<&'a Value>,
    enums: &'a [EnumValue],
    dynamic: Option<&'a Dynamic>,
    visibility: &'a Visibility,
    note: Option<&'a FieldNote>,
}

impl<'a> Row<'a> {
    fn of_param(p: &'a Parameter) -> Row<'a> {
        let ty = match (&p.ty, &p.schema) {
            (Some(t), Some(s)) if t == "array" => Cow::Owned(format!("array of {}", type_label(s))),
            (Some(t), _) => Cow::Borrowed(t.as_str()),
            (None, Some(s)) => Cow::Owned(type_label(s)),
            (None, None) => Cow::Borrowed("any"),
        };
        Row {
            name: p.summary.as_deref().map(Cow::Borrowed),
            key: Cow::Borrowed(&p.name),
            required: p.required,
            ty,
            format: p.format.as_deref(),
            description: p.description.as_deref().map(shown),
            default: p.default.as_deref(),
            enums: &p.enum_values,
            dynamic: p.dynamic.as_deref(),
            visibility: &p.visibility,
            note: None,
        }
    }

    fn of_field(f: &'a Field<'a>, root_key: &'a str, inherited: &'a Visibility) -> Row<'a> {
        let key = if f.path.is_empty() {
            Cow::Borrowed(root_key)
        } else {
            Cow::Borrowed(f.path.as_str())
        };
        let visibility = if inherited.is_internal() {
            inherited
        } else {
            f.visibility
        };
        Row {
            name: f.summary.map(Cow::Borrowed),
            key,
            required: f.required,
            ty: Cow::Borrowed(&f.ty),
            format: f.format,
            description: f.description.map(shown),
            default: None,
            enums: f.enum_values,
            dynamic: f.dynamic,
            visibility,
            note: f.note.as_ref(),
        }
    }
}

/// The tables of one operation.
pub struct OpTables {
    pub parameters: String,
    pub returns: String,
    /// Fields left out because the page budget was reached.
    pub cut: bool,
}

/// Flattens a schema with the connector's definitions.
fn flat<'a>(
    links: &Links<'a>,
    schema: &'a Schema,
    limits: FlattenLimits,
) -> crate::model::Flat<'a> {
    let lookup = |name: &str| links.schema_of(name);
    flatten(schema, &lookup, limits)
}

pub fn operation(op: &Operation, links: &Links, limits: FlattenLimits) -> OpTables {
    let (parameters, cut_in) = parameters(op, links, limits);
    let (returns, cut_out) = returns(op, links, limits);
    OpTables {
        parameters,
        returns,
        cut: cut_in || cut_out,
    }
}

pub use crate::model::order::MAX_PARAMETERS_SHOWN;

fn parameters(op: &Operation, links: &Links, limits: FlattenLimits) -> (String, bool) {
    let shown = &op.parameters[..op.parameters.len().min(MAX_PARAMETERS_SHOWN)];
    let mut flats = Vec::new();
    for p in shown {
        let body = matches!(p.location, ParamLocation::Body);
        let schema = p.schema.as_ref().filter(|_| body);
        flats.push(schema.map(|s| flat(links, s, limits)));
    }
    let mut rows = Vec::new();
    let mut cut = false;
    for (p, f) in shown.iter().zip(&flats) {
        match f {
            Some(f) if !f.fields.is_empty() => {
                cut |= f.cut;
                let fields = f.fields.iter().filter(|x| !is_bare_item(x));
                rows.extend(fields.map(|x| Row::of_field(x, &p.name, &p.visibility)));
            }
            _ => rows.push(Row::of_param(p)),
        }
    }
    let mut h = Html::with_capacity(256 + rows.len() * 200);
    if rows.is_empty() {
        h.tag("<p class=\"none\">No parameters.</p>");
    }
    split_tables(&mut h, &rows, links, Kind::Params);
    if shown.len() < op.parameters.len() {
        h.tag("<p class=\"note\">The first ")
            .num(shown.len())
            .tag(" of ")
            .num(op.parameters.len())
            .tag(" parameters are listed; all of them are in ");
        definition_link(&mut h, links);
        h.tag(".</p>");
    }
    if cut {
        cut_note(&mut h, links);
    }
    (h.into_string(), cut)
}

fn returns(op: &Operation, links: &Links, limits: FlattenLimits) -> (String, bool) {
    let mut h = Html::with_capacity(512);
    let Some(resp) = op.success_response() else {
        h.tag("<p class=\"none\">The definition describes no response.</p>");
        return (h.into_string(), false);
    };
    let Some(schema) = &resp.schema else {
        h.tag("<p class=\"none\">No body");
        if let Some(d) = &resp.description {
            h.tag(" (").text(shown(d)).tag(")");
        }
        h.tag(".</p>");
        return (h.into_string(), false);
    };
    let root = resolve(links, schema);
    if let Some(d) = root.dynamic.as_ref().or(schema.dynamic.as_ref()) {
        h.tag("<p class=\"dynamic\">Dynamic: the output schema comes from ");
        dynamic_source(&mut h, d, links);
        h.tag(" at design time.</p>");
        return (h.into_string(), false);
    }
    let f = flat(links, schema, limits);
    let rows: Vec<Row> = f
        .fields
        .iter()
        .filter(|x| !is_bare_item(x))
        .map(|x| Row::of_field(x, "(body)", &Visibility::Normal))
        .collect();
    match rows.as_slice() {
        [] => {
            h.tag("<p class=\"none\">An object without described properties.</p>");
        }
        [only] if only.key == "(body)" => {
            // A plain value (a string, a file): one line says it all.
            h.tag("<div class=\"returns-one\"><code>")
                .text(&only.ty)
                .tag("</code>");
            if let Some(fmt) = only.format {
                h.tag(" <span class=\"fmt\">(").text(fmt).tag(")</span>");
            }
            // A response that is a `$ref` to a missing or recursive definition says so.
            note(&mut h, only.note, links);
            if let Some(d) = only.description {
                h.tag(": ").text(d);
            }
            extras(&mut h, only, links);
            h.tag("</div>");
        }
        _ => split_tables(&mut h, &rows, links, Kind::Returns),
    }
    if f.cut {
        cut_note(&mut h, links);
    }
    (h.into_string(), f.cut)
}

/// The item row of an array of plain values (`tags.[]`, a string): its parent row already
/// says "array of string", so it only adds a line unless it has something of its own.
fn is_bare_item(f: &Field) -> bool {
    f.path.ends_with("[]")
        && f.description.is_none()
        && f.summary.is_none()
        && f.enum_values.is_empty()
        && f.dynamic.is_none()
        && f.note.is_none()
        && f.format.is_none()
        && !matches!(f.ty.as_str(), "object" | "any" | "array")
        && !f.ty.starts_with("array")
}

/// A schema with its top-level reference followed (for a dynamic root).
fn resolve<'a>(links: &Links<'a>, schema: &'a Schema) -> &'a Schema {
    schema
        .reference
        .as_deref()
        .and_then(|n| links.schema_of(n))
        .unwrap_or(schema)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Params,
    Returns,
}

/// The visible table, then the internal rows behind a toggle.
fn split_tables(h: &mut Html, rows: &[Row], links: &Links, kind: Kind) {
    let (internal, visible): (Vec<&Row>, Vec<&Row>) =
        rows.iter().partition(|r| r.visibility.is_internal());
    if !visible.is_empty() {
        let collapse = visible.len() > COLLAPSE_ROWS;
        if collapse {
            h.tag("<details class=\"fields-wrap\"><summary>");
            h.text(&count_label(visible.len(), kind)).tag("</summary>");
        }
        table(h, &visible, links, kind);
        if collapse {
            h.tag("</details>");
        }
    }
    if !internal.is_empty() {
        h.tag("<details class=\"internal\"><summary>Internal ");
        h.text(if kind == Kind::Params {
            "parameters"
        } else {
            "fields"
        });
        h.tag(" (").num(internal.len());
        h.tag(")<span class=\"why\">: set by the connector, hidden from makers</span></summary>");
        table(h, &internal, links, kind);
        h.tag("</details>");
    }
}

fn count_label(n: usize, kind: Kind) -> String {
    match kind {
        Kind::Params => format!("Show all {n} parameters"),
        Kind::Returns => format!("Show all {n} fields"),
    }
}

fn table(h: &mut Html, rows: &[&Row], links: &Links, kind: Kind) {
    let names = rows.iter().any(|r| r.name.is_some());
    h.tag("<div class=\"table-scroll\"><table class=\"fields ");
    h.tag(if kind == Kind::Params {
        "params\"><thead><tr>"
    } else {
        "returns\"><thead><tr>"
    });
    if names {
        h.tag("<th>Name</th>");
    }
    h.tag(if kind == Kind::Params {
        "<th>Key</th><th>Required</th>"
    } else {
        "<th>Path</th>"
    });
    h.tag("<th>Type</th><th>Description</th></tr></thead><tbody>");
    let shown = rows_within(h, rows, links, |h, r| row(h, r, links, kind, names));
    h.tag("</tbody></table></div>");
    if shown < rows.len() {
        full_page_note(h, rows.len() - shown, links);
    }
}

/// Writes rows while the page's allowance lasts; how many were written.
fn rows_within<T>(
    h: &mut Html,
    rows: &[T],
    links: &Links,
    mut write: impl FnMut(&mut Html, &T),
) -> usize {
    for (i, r) in rows.iter().enumerate() {
        let start = h.len();
        write(h, r);
        if !links.take(h.len() - start) {
            h.truncate(start);
            return i;
        }
    }
    rows.len()
}

/// Says how many rows a table left out because its page is full.
fn full_page_note(h: &mut Html, left_out: usize, links: &Links) {
    h.tag("<p class=\"note\">").num(left_out);
    h.tag(if left_out == 1 {
        " more row is"
    } else {
        " more rows are"
    });
    h.tag(" not shown: this page has reached its size limit. They are in ");
    definition_link(h, links);
    h.tag(".</p>");
}

fn row(h: &mut Html, r: &Row, links: &Links, kind: Kind, names: bool) {
    h.tag("<tr>");
    if names {
        h.tag("<td>");
        if let Some(n) = &r.name {
            h.text(n);
        }
        h.tag("</td>");
    }
    h.tag("<td><code>").text(&r.key).tag("</code>");
    match r.visibility {
        Visibility::Important => {
            h.tag(" <span class=\"tag important\">important</span>");
        }
        Visibility::Advanced => {
            h.tag(" <span class=\"tag advanced\">advanced</span>");
        }
        _ => {}
    }
    h.tag("</td>");
    if kind == Kind::Params {
        h.tag(if r.required {
            "<td class=\"req\">Yes</td>"
        } else {
            "<td>No</td>"
        });
    }
    h.tag("<td>").text(&r.ty);
    if let Some(f) = r.format {
        h.tag(" <span class=\"fmt\">(").text(f).tag(")</span>");
    }
    note(h, r.note, links);
    h.tag("</td><td>");
    if let Some(d) = r.description {
        h.text(d);
    }
    extras(h, r, links);
    h.tag("</td></tr>");
}

fn note(h: &mut Html, note: Option<&FieldNote>, links: &Links) {
    match note {
        Some(FieldNote::Recursive(name)) => {
            h.tag(" <span class=\"tag recursive\">recursive: ");
            def_link(h, name, links);
            h.tag("</span>");
        }
        Some(FieldNote::Deep) => {
            h.tag(" <span class=\"tag\">nested deeper, not shown</span>");
        }
        Some(FieldNote::Missing(name)) => {
            h.tag(" <span class=\"tag\">missing definition ")
                .el("<code>", name, "</code>")
                .tag("</span>");
        }
        None => {}
    }
}

fn def_link(h: &mut Html, name: &str, links: &Links) {
    match links.def_id(name) {
        Some(id) => {
            h.tag("<a").attr("href", &links.def_href(id)).tag(">");
            h.text(name).tag("</a>");
        }
        None => {
            h.text(name);
        }
    }
}

fn extras(h: &mut Html, r: &Row, links: &Links) {
    if let Some(v) = r.default {
        h.tag("<div class=\"extra\">Default: <code>")
            .text(&shorten(&value_text(v), 80))
            .tag("</code></div>");
    }
    if !r.enums.is_empty() {
        enums(h, r.enums);
    }
    if let Some(d) = r.dynamic {
        h.tag("<div class=\"extra\">");
        h.tag(match d.kind {
            DynamicKind::Schema | DynamicKind::Properties => "Schema from ",
            _ => "Values from ",
        });
        dynamic_source(h, d, links);
        h.tag("</div>");
    }
}

fn enums(h: &mut Html, values: &[EnumValue]) {
    h.tag("<div class=\"extra\">One of: ");
    for (i, e) in values.iter().take(MAX_ENUM).enumerate() {
        if i > 0 {
            h.tag(", ");
        }
        h.el("<code>", &shorten(&value_text(&e.value), 60), "</code>");
        if let Some(name) = &e.display_name {
            h.tag(" (").text(name).tag(")");
        }
    }
    if values.len() > MAX_ENUM {
        h.tag(", and ").num(values.len() - MAX_ENUM).tag(" more");
    }
    h.tag("</div>");
}

fn dynamic_source(h: &mut Html, d: &Dynamic, links: &Links) {
    match &d.operation_id {
        Some(id) => links.op(h, id),
        None => {
            h.tag("another operation");
        }
    }
}

/// A JSON value as a maker would type it: strings without quotes.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

fn cut_note(h: &mut Html, links: &Links) {
    h.tag("<p class=\"note\">This schema is larger than a page can show; the rest is in ");
    definition_link(h, links);
    h.tag(".</p>");
}

/// "the definition", linked to the copied definition file when there is one.
fn definition_link(h: &mut Html, links: &Links) {
    match links.definition_file {
        Some(f) => {
            h.tag("<a").attr("href", f).tag(">the definition</a>");
        }
        None => {
            h.tag("the definition");
        }
    }
}

/// One definition of the Definitions section as a `<details>` element (open when `open`).
pub fn definition_details(d: &Definition, links: &Links, max_rows: usize, open: bool) -> String {
    let (table, count) = definition(d, links, max_rows);
    let mut h = Html::with_capacity(table.len() + 256);
    h.tag("<details class=\"definition\"");
    h.attr("id", links.def_id(&d.name).unwrap_or_default());
    if open {
        h.tag(" open");
    }
    h.tag(">\n<summary><code>")
        .text(&d.name)
        .tag("</code> <span class=\"muted\">");
    h.num(count).tag(if count == 1 {
        " property"
    } else {
        " properties"
    });
    h.tag("</span>");
    if d.recursive {
        h.tag(" <span class=\"tag recursive\">recursive</span>");
    }
    h.tag("</summary>\n").fragment(&table).tag("\n</details>\n");
    h.into_string()
}

/// One definition's own properties (one level), with links to the definitions they refer to.
pub fn definition(d: &Definition, links: &Links, max_rows: usize) -> (String, usize) {
    let mut props: Vec<(&str, &Schema, bool)> = Vec::new();
    collect_props(&d.schema, links, &mut props, 0);
    let mut h = Html::with_capacity(128 + props.len() * 120);
    if props.is_empty() {
        h.tag("<p class=\"none\">").text(&type_label(&d.schema));
        if let Some(desc) = &d.schema.description {
            h.tag(": ").text(shown(desc));
        }
        h.tag("</p>");
        return (h.into_string(), 0);
    }
    h.tag("<div class=\"table-scroll\"><table class=\"fields defs\"><thead><tr><th>Property</th><th>Type</th><th>Description</th></tr></thead><tbody>");
    let listed = &props[..props.len().min(max_rows)];
    let shown = rows_within(&mut h, listed, links, |h, (name, schema, required)| {
        def_row(h, name, schema, *required, links);
    });
    h.tag("</tbody></table></div>");
    if shown < listed.len() {
        // One note for every row left out: the page is full, the rest is in the file.
        full_page_note(&mut h, props.len() - shown, links);
    } else if props.len() > max_rows {
        h.tag("<p class=\"note\">And ").num(props.len() - max_rows);
        h.tag(" more properties, in the definition file.</p>");
    }
    (h.into_string(), props.len())
}

/// Direct properties, with `allOf` members merged in (through at most a few references).
fn collect_props<'a>(
    s: &'a Schema,
    links: &Links<'a>,
    out: &mut Vec<(&'a str, &'a Schema, bool)>,
    depth: usize,
) {
    for p in &s.properties {
        out.push((&p.name, &p.schema, s.required.contains(&p.name)));
    }
    if depth >= 4 {
        return;
    }
    for part in &s.all_of {
        let target = part
            .reference
            .as_deref()
            .and_then(|n| links.schema_of(n))
            .unwrap_or(part);
        collect_props(target, links, out, depth + 1);
    }
}

fn def_row(h: &mut Html, name: &str, s: &Schema, required: bool, links: &Links) {
    h.tag("<tr><td><code>").text(name).tag("</code>");
    if required {
        h.tag(" <span class=\"tag req\">required</span>");
    }
    h.tag("</td><td>");
    type_with_links(h, s, links);
    if let Some(f) = &s.format {
        h.tag(" <span class=\"fmt\">(").text(f).tag(")</span>");
    }
    h.tag("</td><td>");
    if let Some(d) = s.description.as_deref().or(s.summary.as_deref()) {
        h.text(shown(d));
    }
    h.tag("</td></tr>");
}

fn type_with_links(h: &mut Html, s: &Schema, links: &Links) {
    if let Some(r) = &s.reference {
        def_link(h, r, links);
    } else if let (Some("array"), Some(items)) = (s.ty.as_deref(), &s.items) {
        h.tag("array of ");
        type_with_links(h, items, links);
    } else {
        h.text(&type_label(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector(response_schema: &str) -> Connector {
        let text = format!(
            r##"{{"swagger": "2.0", "info": {{"title": "T", "version": "1"}},
              "paths": {{"/a": {{"get": {{"operationId": "A",
                "responses": {{"200": {{"description": "OK", "schema": {response_schema}}}}}}}}}}}}}"##
        );
        crate::parse::definition_model("x/apiDefinition.swagger.json", &text, &mut Vec::new())
    }

    fn returns_html(c: &Connector) -> String {
        let links = Links::new(c, None);
        returns(&c.details().operations[0], &links, FlattenLimits::default()).0
    }

    /// Regression: a response that is a `$ref` to a definition that does not exist read
    /// "object", as if it were one; it now says the definition is missing.
    #[test]
    fn a_response_referring_to_a_missing_definition_says_so() {
        let html = returns_html(&connector(r##"{"$ref": "#/definitions/Gone"}"##));
        assert!(
            html.contains("missing definition <code>Gone</code>"),
            "{html}"
        );
    }

    #[test]
    fn a_plain_response_is_one_line_without_a_note() {
        let html = returns_html(&connector(r#"{"type": "string", "format": "binary"}"#));
        assert!(
            html.starts_with("<div class=\"returns-one\"><code>string</code>"),
            "{html}"
        );
        assert!(!html.contains("tag"), "{html}");
    }
}
