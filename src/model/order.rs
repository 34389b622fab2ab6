//! The order a reader meets a connector's operations in, and which page shows each.
//!
//! The connector page lists actions, then triggers; within each, `important` first, then by
//! title, a family's revisions together (newest first), internal operations last (behind a
//! toggle). A connector with more operations than one light page holds has them spread over
//! several pages in that order, and every link to an operation (search, same job, compare)
//! needs to know the page, so the page is worked out once here, when the model is built.

use super::{clip, shown_description, Operation, OperationKind, Visibility, TITLE_SHOWN};
use foldhash::HashMap;
use std::collections::BTreeMap;

/// Operations one connector page shows at most. A small operation section is about 1.4 KB,
/// so this keeps a page of small operations far under 2 MB (SPEC §7); the corpus's largest
/// connector has 219 operations and stays on one page.
pub const OPS_PER_PAGE: usize = 250;

/// What the operations of one page may `weigh` together: about 1 MB of HTML, so that with
/// the rest of the page it stays under 2 MB (SPEC §7). 250 operations with descriptions of
/// 20,000 characters made a 7 MB page, and 100 parameters of 2 KB each on every one a 52 MB
/// page; the corpus's heaviest connector weighs 0.61 MB.
pub const PAGE_WEIGHT: usize = 1_000_000;

/// Parameters an operation's table lists at most; the corpus's most is 66. 50,000 made a
/// 4 MB page (SPEC §7: none over 2 MB).
pub const MAX_PARAMETERS_SHOWN: usize = 500;

/// An operation section's markup besides its texts (a small section is about 1.4 KB).
const SECTION_MARKUP: usize = 1_500;
/// A parameter row's markup besides its texts.
const ROW_MARKUP: usize = 400;
/// Allowed values a parameter row names at most (as `tables` lists them).
const VALUES_COUNTED: usize = 12;

/// The revisions of each family (`x-ms-api-annotation.family`, or the operation's own id),
/// newest first.
pub fn families<'a>(ops: &[&'a Operation]) -> BTreeMap<&'a str, Vec<&'a Operation>> {
    let mut map: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in ops {
        map.entry(op.annotation.family.as_str())
            .or_default()
            .push(op);
    }
    for members in map.values_mut() {
        members.sort_by(|a, b| {
            b.annotation
                .revision
                .cmp(&a.annotation.revision)
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    map
}

/// Important first, then by title; a family's revisions together (newest first) at the
/// place of its newest member.
pub fn order<'a>(ops: &[&'a Operation]) -> Vec<&'a Operation> {
    order_of(&families(ops))
}

/// `order`, from the `families` of the operations.
pub fn order_of<'a>(families: &BTreeMap<&'a str, Vec<&'a Operation>>) -> Vec<&'a Operation> {
    let mut groups: Vec<(u8, String, &str, &Vec<&Operation>)> = families
        .iter()
        .map(|(name, members)| {
            let newest = members[0];
            let rank = u8::from(
                !members
                    .iter()
                    .any(|m| m.visibility == Visibility::Important),
            );
            (rank, newest.title().to_lowercase(), *name, members)
        })
        .collect();
    groups.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    groups
        .into_iter()
        .flat_map(|g| g.3.iter().copied())
        .collect()
}

/// Indexes of `ops` in page order: actions then triggers, each visible ones first, then
/// internal ones, in `order`.
pub fn page_order(ops: &[Operation]) -> Vec<usize> {
    let index: HashMap<*const Operation, usize> = ops
        .iter()
        .enumerate()
        .map(|(i, o)| (std::ptr::from_ref(o), i))
        .collect();
    let mut out = Vec::with_capacity(ops.len());
    for kind in [OperationKind::Action, OperationKind::Trigger] {
        let of_kind: Vec<&Operation> = ops.iter().filter(|o| o.kind == kind).collect();
        let ordered = order(&of_kind);
        for internal in [false, true] {
            out.extend(
                ordered
                    .iter()
                    .filter(|o| o.visibility.is_internal() == internal)
                    .filter_map(|o| index.get(&std::ptr::from_ref(*o)).copied()),
            );
        }
    }
    out
}

/// Sets each operation's `page`: 0 for all of them when they fit one page, else pages of
/// the page order, each ending before `OPS_PER_PAGE` operations or `PAGE_WEIGHT` would be
/// passed (a page has at least one operation, however heavy).
pub fn assign_pages(ops: &mut [Operation]) {
    let weights: Vec<usize> = ops.iter().map(weight).collect();
    if ops.len() <= OPS_PER_PAGE && weights.iter().sum::<usize>() <= PAGE_WEIGHT {
        ops.iter_mut().for_each(|o| o.page = 0);
        return;
    }
    let (mut page, mut count, mut load) = (0u32, 0, 0);
    for index in page_order(ops) {
        let w = weights[index];
        if count == OPS_PER_PAGE || (count > 0 && load + w > PAGE_WEIGHT) {
            page = page.saturating_add(1);
            (count, load) = (0, 0);
        }
        ops[index].page = page;
        count += 1;
        load += w;
    }
}

/// About how many bytes of HTML an operation's own texts make on its page: its title, id
/// and description, and each listed parameter's name, display name, description and allowed
/// values, escaped as pages escape them and cut where pages cut them. Schemas are not walked:
/// the page cuts their rows to its own budget.
pub fn weight(op: &Operation) -> usize {
    // The title and the id each appear twice (index and section, attribute and text).
    let named = 2 * (escaped_len(op.title()) + escaped_len(clip(&op.id, TITLE_SHOWN)));
    let described = op
        .description
        .as_deref()
        .map_or(0, |d| escaped_len(shown_description(d)));
    let responses: usize = op
        .responses
        .iter()
        .map(|r| r.description.as_deref().map_or(0, escaped_len))
        .sum();
    let own = named + described + responses;
    let shown = &op.parameters[..op.parameters.len().min(MAX_PARAMETERS_SHOWN)];
    let rows: usize = shown
        .iter()
        .map(|p| {
            let values = p.enum_values.iter().take(VALUES_COUNTED);
            let values: usize = values
                .map(|v| {
                    v.display_name.as_deref().map_or(0, escaped_len) + v.value.to_string().len()
                })
                .sum();
            ROW_MARKUP
                + escaped_len(&p.name)
                + p.summary.as_deref().map_or(0, escaped_len)
                + p.description
                    .as_deref()
                    .map_or(0, |d| escaped_len(shown_description(d)))
                + values
        })
        .sum();
    SECTION_MARKUP + own + rows
}

/// The length of `text` once HTML-escaped (as `render::html::escape_into` escapes it): what
/// page weights and list page sizes are measured in.
pub fn escaped_len(text: &str) -> usize {
    let extra: usize = text
        .bytes()
        .map(|b| match b {
            b'"' => 5,
            b'&' | b'\'' => 4,
            b'<' | b'>' => 3,
            _ => 0,
        })
        .sum();
    text.len() + extra
}

/// How many of these operations each page of their connector shows, page 0 first.
pub fn page_sizes(ops: &[Operation]) -> Vec<usize> {
    let mut sizes = vec![0; last_page(ops) as usize + 1];
    for o in ops {
        sizes[o.page as usize] += 1;
    }
    sizes
}

/// The last page of a connector with these operations (0: they all fit its own page).
pub fn last_page(ops: &[Operation]) -> u32 {
    ops.iter().map(|o| o.page).max().unwrap_or(0)
}

/// The file of connector page `page` (0-based), relative to the connector's folder.
pub fn page_file(page: u32) -> String {
    match page {
        0 => "index.html".to_string(),
        n => format!("operations-{}.html", n + 1),
    }
}

/// A link to `op` from page `from` of its own connector.
pub fn op_href(op: &Operation, from: u32) -> String {
    href_to(op.page, from, &op.anchor)
}

/// A link to `anchor` on page `page` of a connector, from its page `from`. From page 0 it is
/// also what follows the connector's folder URL (`connectors/<slug>/`).
pub fn href_to(page: u32, from: u32, anchor: &str) -> String {
    if page == from {
        format!("#{anchor}")
    } else {
        format!("{}#{anchor}", page_file(page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::definition_model;

    /// The operations of a definition of `(operationId, extra keys)`, converted as the build
    /// converts them (pages assigned).
    fn converted(ops: &[(String, &str)]) -> Vec<Operation> {
        let paths: Vec<String> = ops
            .iter()
            .map(|(id, extra)| {
                format!(r#""/{id}": {{"get": {{"operationId": "{id}", "summary": "{id}"{extra}, "responses": {{"200": {{"description": "OK"}}}}}}}}"#)
            })
            .collect();
        let text = format!(r#"{{"swagger": "2.0", "paths": {{{}}}}}"#, paths.join(","));
        let mut problems = Vec::new();
        definition_model("c/A/apiDefinition.swagger.json", &text, &mut problems)
            .take_details()
            .operations
    }

    /// Actions `A000`, `A001`… without extra keys.
    fn actions(n: usize) -> Vec<(String, &'static str)> {
        (0..n).map(|i| (format!("A{i:03}"), "")).collect()
    }

    #[test]
    fn operations_that_fit_one_page_stay_on_it() {
        let ops = converted(&actions(OPS_PER_PAGE));
        assert_eq!(ops.len(), OPS_PER_PAGE);
        assert!(ops.iter().all(|o| o.page == 0));
    }

    /// Pages follow the reading order, not the definition's: actions (visible, then
    /// internal) before triggers, by title.
    #[test]
    fn pages_follow_the_order_a_reader_meets_operations_in() {
        let mut ops = vec![
            ("T".to_string(), r#", "x-ms-trigger": "single""#),
            ("Hidden".to_string(), r#", "x-ms-visibility": "internal""#),
        ];
        ops.extend(actions(OPS_PER_PAGE));
        let ops = converted(&ops);
        let page = |id: &str| ops.iter().find(|o| o.id == id).map(|o| o.page);
        assert_eq!(page("A000"), Some(0));
        assert_eq!(page("A249"), Some(0), "the 250th");
        assert_eq!(
            page("Hidden"),
            Some(1),
            "internal actions after visible ones"
        );
        assert_eq!(page("T"), Some(1), "triggers last");
        let order = page_order(&ops);
        assert_eq!(order.len(), ops.len());
        assert_eq!(ops[order[OPS_PER_PAGE]].id, "Hidden");
    }

    /// Pages end before their operations would weigh more than `PAGE_WEIGHT`: a description
    /// of 20,000 quotes weighs 120,000 bytes as HTML, so eight such operations fill a page.
    /// An operation heavier than a page has one of its own.
    #[test]
    fn heavy_operations_end_pages_early() {
        let quotes = format!(r#", "description": "{}""#, r#"\""#.repeat(20_000));
        let ops: Vec<(String, &str)> = (0..20)
            .map(|i| (format!("A{i:02}"), quotes.as_str()))
            .collect();
        let converted_ops = converted(&ops);
        assert!((120_000..125_000).contains(&weight(&converted_ops[0])));
        assert_eq!(page_sizes(&converted_ops), [8, 8, 4]);
        let quoted = r#"\""#.repeat(400);
        let params: Vec<String> = (0..500)
            .map(|i| format!(r#"{{"name": "p{i}", "in": "query", "type": "string", "description": "{quoted}"}}"#))
            .collect();
        let params = format!(r#", "parameters": [{}]"#, params.join(","));
        let mut ops = vec![("Big".to_string(), params.as_str())];
        ops.extend(actions(3));
        let converted_ops = converted(&ops);
        let big = converted_ops.iter().find(|o| o.id == "Big").expect("Big");
        assert!(weight(big) > PAGE_WEIGHT);
        assert_eq!(
            page_sizes(&converted_ops),
            [3, 1],
            "A000 to A002, then Big alone"
        );
        assert_eq!(big.page, 1);
    }

    #[test]
    fn escaped_len_counts_what_escaping_adds() {
        assert_eq!(escaped_len(""), 0);
        assert_eq!(escaped_len("plain"), 5);
        for text in [r#"<a href="x">&'"#, "a&b", "\"<'>", "é & ü"] {
            let mut escaped = String::new();
            crate::render::html::escape_into(&mut escaped, text);
            assert_eq!(escaped_len(text), escaped.len(), "{text}");
        }
    }

    #[test]
    fn links_name_the_page_only_when_it_is_another() {
        let mut a = converted(&[("A".to_string(), "")]).remove(0);
        assert_eq!(op_href(&a, 0), "#A");
        assert_eq!(op_href(&a, 2), "index.html#A");
        assert_eq!(href_to(0, 0, "A"), "#A");
        a.page = 2;
        assert_eq!(op_href(&a, 2), "#A");
        assert_eq!(op_href(&a, 0), "operations-3.html#A");
        assert_eq!(href_to(2, 0, "A"), "operations-3.html#A");
    }
}
