//! A catalog cut into pages, in headless Chromium: the sample repository (8 connectors)
//! built with `page_size = 3`. The connector list shows its page and pager until a filter
//! asks for more, then filters every connector from `list.json` (rows made as text, never
//! as HTML) and comes back to the page when the filters are cleared; compare reads its
//! options from `list.json`. Skipped (passing) without chromedriver.

mod browser;
mod common;

use browser::{serve, serve_slowly, Browser};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

/// The sample built with `page_size = 3` into `<temp>/site`.
fn build_paged() -> tempfile::TempDir {
    common::build_sample(Some(common::PAGED))
}

/// `list.json` of a built site.
fn list_json(site: &Path) -> Vec<Value> {
    let bytes = std::fs::read(site.join("list.json")).expect("list.json is written");
    serde_json::from_slice(&bytes).expect("list.json parses")
}

fn slugs<'a>(items: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    items
        .into_iter()
        .map(|c| c["slug"].as_str().expect("slug").to_string())
        .collect()
}

const VISIBLE_SLUGS: &str = "return [...document.querySelectorAll('#connector-rows > tr.connector-row:not([hidden])')].map(r => r.dataset.slug)";
const PAGER_HIDDEN: &str = "return document.getElementById('pager').hidden";
const COUNT_TEXT: &str = "return document.getElementById('result-count').textContent";

/// Polls `script` until it returns `want`; panics with the last answer after `secs`.
fn wait_until(b: &Browser, script: &str, want: &Value, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let got = b.execute(script, json!([]));
        if &got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {want} from: {script}\nlast answer: {got}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn paged_list_filters_every_connector_in_chromium() {
    let Some(b) = Browser::start() else { return };
    let dir = build_paged();
    let site = dir.path().join("site");
    let mut all = list_json(&site);
    assert_eq!(all.len(), 8, "the sample has 8 connectors");
    let page1 = slugs(&all[..3]);
    let page2 = slugs(&all[3..6]);

    // A title written by a stranger, in the JSON only: it keeps its place in the order
    // (it still starts with the real title) and must come out as text.
    let hostile_slug = "open-trivia-vault";
    let hostile = all
        .iter_mut()
        .find(|c| c["slug"] == json!(hostile_slug))
        .expect("the hostile sample connector");
    assert!(
        !page1.contains(&hostile_slug.to_string()),
        "{hostile_slug} is not on page 1"
    );
    let title = format!(
        "{} <img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>",
        hostile["title"].as_str().expect("title")
    );
    hostile["title"] = json!(title);
    let hostile_logo = if hostile["icon"] == json!(true) {
        "IMG.logo-sm"
    } else {
        "SPAN.logo logo-sm"
    };
    std::fs::write(
        site.join("list.json"),
        serde_json::to_vec(&all).expect("json"),
    )
    .expect("rewrite list.json");

    let base = serve(&site);

    // (a) The first page shows its 3 rows and the pager, and reads no list.json.
    b.navigate(&format!("{base}connectors/index.html"));
    b.wait_for("return document.readyState === 'complete'", 10);
    assert_eq!(b.execute(VISIBLE_SLUGS, json!([])), json!(page1));
    assert_eq!(b.execute(PAGER_HIDDEN, json!([])), json!(false));
    assert_eq!(b.execute(COUNT_TEXT, json!([])), json!("8 connectors"));
    assert_eq!(
        b.execute(
            "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/list.json'))",
            json!([])
        ),
        json!(false),
        "the page as built needs no list.json"
    );
    b.navigate(&format!("{base}connectors/page-2.html"));
    b.wait_for("return document.readyState === 'complete'", 10);
    assert_eq!(b.execute(VISIBLE_SLUGS, json!([])), json!(page2));
    assert_eq!(b.execute(PAGER_HIDDEN, json!([])), json!(false));
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console errors {errors:?}");

    // (b) A filter matching only connectors past page 1 shows them all, from the JSON.
    let tier = "independent-publisher";
    let independent: Vec<&Value> = all.iter().filter(|c| c["tier"] == json!(tier)).collect();
    let wanted = slugs(independent.iter().copied());
    assert!(
        wanted.iter().all(|s| !page1.contains(s)),
        "{wanted:?} should all be past page 1 ({page1:?})"
    );
    b.navigate(&format!("{base}connectors/index.html?tier={tier}"));
    wait_until(&b, VISIBLE_SLUGS, &json!(wanted), 10);
    assert_eq!(b.execute(PAGER_HIDDEN, json!([])), json!(true));
    assert_eq!(
        b.execute(COUNT_TEXT, json!([])),
        json!(format!("{} of 8 connectors", wanted.len()))
    );
    assert_eq!(
        b.execute(
            &format!("return document.querySelector(\"#facets input[data-facet='tier'][value='{tier}']\").checked"),
            json!([])
        ),
        json!(true)
    );
    // Facet counts are over every connector, not this page's 3.
    let certified = all
        .iter()
        .filter(|c| c["tier"] == json!("certified"))
        .count();
    assert_eq!(
        b.execute(
            "return document.querySelector(\"#facets input[data-facet='tier'][value='certified']\").closest('label').querySelector('[data-count]').textContent",
            json!([])
        ),
        json!(certified.to_string())
    );
    // Fewer than 500 matches: no "Show more".
    assert_eq!(
        b.execute(
            "const m = document.getElementById('list-more'); return !m || m.hidden",
            json!([])
        ),
        json!(true)
    );

    // (d) A row made from the JSON: its link (the logo, then the title as text), and the
    // stranger's title made no element.
    let row = b.execute(
        "const a = document.querySelector(`#connector-rows tr[data-slug='${arguments[0]}'] th a`); \
         if (!a) return null; \
         const text = [...a.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join(''); \
         return [a.getAttribute('href'), [...a.children].map(e => e.tagName + '.' + e.className), text.trim()]",
        json!([hostile_slug]),
    );
    assert_eq!(
        row,
        json!([
            format!("../connectors/{hostile_slug}/index.html"),
            [hostile_logo],
            title
        ])
    );
    assert_eq!(
        b.execute(
            "const t = document.getElementById('connector-rows'); return t.querySelectorAll('script, img[onerror], iframe').length",
            json!([])
        ),
        json!(0)
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        b.execute("return typeof window.__pwned", json!([])),
        json!("undefined")
    );
    let first = &independent[0];
    let cells = b.execute(
        "return [...document.querySelectorAll(`#connector-rows tr[data-slug='${arguments[0]}'] td`)].map(td => td.textContent)",
        json!([first["slug"]]),
    );
    let categories: Vec<&str> = first["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        cells,
        json!([
            first["tier_short"],
            first["publisher"].as_str().unwrap_or(""),
            categories.join(", "),
            first["actions"].to_string(),
            first["triggers"].to_string()
        ])
    );
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console errors {errors:?}");

    // (c) Clearing the filters brings the page back, pager and all.
    let reset = b.find("#facet-reset").expect("Clear filters");
    b.click(&reset);
    wait_until(&b, VISIBLE_SLUGS, &json!(page1), 10);
    assert_eq!(b.execute(PAGER_HIDDEN, json!([])), json!(false));
    assert_eq!(b.execute(COUNT_TEXT, json!([])), json!("8 connectors"));
    assert_eq!(b.execute("return location.search", json!([])), json!(""));

    // Another sort also needs every connector; the default sort is the page again.
    let set_sort = "const s = document.getElementById('sort'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));";
    b.execute(set_sort, json!(["actions"]));
    let mut by_actions: Vec<&Value> = all.iter().collect();
    by_actions.sort_by_key(|c| std::cmp::Reverse(c["actions"].as_u64()));
    let top = by_actions[0]["slug"].clone();
    wait_until(
        &b,
        "return document.querySelectorAll('#connector-rows > tr.connector-row:not([hidden])').length",
        &json!(8),
        10,
    );
    assert_eq!(
        b.execute(
            "return document.querySelector('#connector-rows > tr.connector-row').dataset.slug",
            json!([])
        ),
        top
    );
    assert_eq!(b.execute(PAGER_HIDDEN, json!([])), json!(true));
    b.execute(set_sort, json!(["title"]));
    wait_until(&b, VISIBLE_SLUGS, &json!(page1), 10);
    assert_eq!(b.execute(PAGER_HIDDEN, json!([])), json!(false));
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console errors {errors:?}");

    // Without list.json (as from file://) the filters work on this page's rows.
    std::fs::remove_file(site.join("list.json")).expect("remove list.json");
    b.navigate(&format!("{base}connectors/index.html?tier=certified"));
    let on_page: Vec<&str> = all[..3]
        .iter()
        .filter(|c| c["tier"] == json!("certified"))
        .filter_map(|c| c["slug"].as_str())
        .collect();
    wait_until(&b, VISIBLE_SLUGS, &json!(on_page), 10);
    assert_eq!(b.execute(PAGER_HIDDEN, json!([])), json!(false));
    assert_eq!(
        b.execute(COUNT_TEXT, json!([])),
        json!(format!("{} of 3 connectors on this page", on_page.len()))
    );
}

#[test]
fn paged_compare_reads_its_options_from_list_json() {
    let Some(b) = Browser::start() else { return };
    let dir = build_paged();
    let site = dir.path().join("site");
    let all = list_json(&site);
    let html = std::fs::read_to_string(site.join("compare/index.html")).expect("compare page");
    assert!(
        html.contains("data-options=\"../list.json\"") && !html.contains("<option"),
        "the paged compare page leaves its options to list.json"
    );
    let base = serve(&site);

    // One connector on the first page of the list, one past it.
    let (near, far) = ("kestrel-sms", "open-trivia-vault");
    assert!(slugs(&all[..3]).contains(&near.to_string()));
    assert!(!slugs(&all[..3]).contains(&far.to_string()));
    b.navigate(&format!("{base}compare/index.html?c={near},{far}"));
    b.wait_for(
        "return document.querySelectorAll('#compare-facts th[data-slug]').length >= 2",
        10,
    );
    let heads = b.execute(
        "return [...document.querySelectorAll('#compare-facts th[data-slug]')].map(t => [t.dataset.slug, t.textContent])",
        json!([]),
    );
    let title = |slug: &str| {
        all.iter()
            .find(|c| c["slug"] == json!(slug))
            .map(|c| c["title"].clone())
            .expect("in list.json")
    };
    assert_eq!(heads, json!([[near, title(near)], [far, title(far)]]));
    let chips = b.execute(
        "return [...document.querySelectorAll('#compare-chosen li')].map(l => l.dataset.slug)",
        json!([]),
    );
    assert_eq!(chips, json!([near, far]));

    // Typing fills the datalist with the connectors that match, title or slug.
    let options = "return [...document.querySelectorAll('#compare-options option')].map(o => [o.value, o.textContent])";
    b.execute(
        "const i = document.getElementById('compare-input'); i.value = 'TASK'; i.dispatchEvent(new Event('input'));",
        json!([]),
    );
    let want: Vec<Value> = all
        .iter()
        .filter(|c| {
            let (s, t) = (
                c["slug"].as_str().unwrap_or(""),
                c["title"].as_str().unwrap_or(""),
            );
            s.contains("task") || t.to_lowercase().contains("task")
        })
        .map(|c| {
            let text = format!(
                "{} ({})",
                c["title"].as_str().unwrap_or(""),
                c["tier_label"].as_str().unwrap_or("")
            );
            json!([c["slug"], text])
        })
        .collect();
    assert!(want.len() >= 2, "the sample has two task boards");
    wait_until(&b, options, &json!(want), 5);
    b.execute(
        "const i = document.getElementById('compare-input'); i.value = 'vault'; i.dispatchEvent(new Event('input'));",
        json!([]),
    );
    wait_until(
        &b,
        "return [...document.querySelectorAll('#compare-options option')].map(o => o.value)",
        &json!([far]),
        5,
    );
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console errors {errors:?}");
}

/// Regression: on a paged compare page, a name submitted before `list.json` had arrived was
/// answered "No connector called …"; it now waits for the list, then is chosen.
#[test]
fn a_name_submitted_before_list_json_arrives_is_chosen_once_it_does() {
    let Some(b) = Browser::start() else { return };
    let dir = build_paged();
    let site = dir.path().join("site");
    let all = list_json(&site);
    let (slug, title) = all
        .iter()
        .skip(3)
        .find_map(|c| Some((c["slug"].as_str()?, c["title"].as_str()?)))
        .expect("a connector past the first page");
    let base = serve_slowly(&site, "/list.json", Duration::from_millis(1500));

    b.navigate(&format!("{base}compare/index.html"));
    let status = "return document.getElementById('compare-status').textContent";
    assert_eq!(
        b.execute(status, json!([])),
        json!("Loading the list of connectors…"),
        "list.json is still on its way when the name is submitted"
    );
    b.execute(
        "const i = document.getElementById('compare-input'); i.value = arguments[0]; document.getElementById('compare-form').requestSubmit();",
        json!([title]),
    );
    wait_until(
        &b,
        "return [...document.querySelectorAll('#compare-chosen li')].map(l => l.dataset.slug)",
        &json!([slug]),
        10,
    );
    let said = b.execute(status, json!([]));
    assert!(
        !said.as_str().unwrap_or("").contains("No connector called"),
        "the name was found once the list came: {said}"
    );
    assert_eq!(
        b.execute(
            "return document.getElementById('compare-input').value",
            json!([])
        ),
        json!(""),
        "the chosen name leaves the input"
    );
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console errors {errors:?}");
}

/// More than 500 matches: the first 500 rows, then "Show 500 more" until all are shown.
#[test]
fn a_long_match_shows_500_rows_at_a_time() {
    let Some(b) = Browser::start() else { return };
    let dir = build_paged();
    let site = dir.path().join("site");
    let mut all = list_json(&site);
    let model = all
        .iter()
        .find(|c| c["tier"] == json!("certified"))
        .cloned()
        .expect("a certified connector");
    for n in 0..1100 {
        let mut c = model.clone();
        c["slug"] = json!(format!("filler-{n:04}"));
        c["title"] = json!(format!("Zz Filler {n:04}"));
        c["href"] = json!(format!("connectors/filler-{n:04}/index.html"));
        c["icon"] = json!(false);
        all.push(c);
    }
    std::fs::write(
        site.join("list.json"),
        serde_json::to_vec(&all).expect("json"),
    )
    .expect("rewrite list.json");
    let matching = all
        .iter()
        .filter(|c| c["tier"] == json!("certified"))
        .count();
    let base = serve(&site);

    let rows = "return document.querySelectorAll('#connector-rows > tr.connector-row').length";
    let more = "const m = document.getElementById('list-more'); return m ? [m.hidden, m.textContent] : null";
    b.navigate(&format!("{base}connectors/index.html?tier=certified"));
    wait_until(&b, rows, &json!(500), 10);
    assert_eq!(
        b.execute(COUNT_TEXT, json!([])),
        json!(format!("{matching} of {} connectors", all.len()))
    );
    assert_eq!(b.execute(more, json!([])), json!([false, "Show 500 more"]));
    b.click(&b.find("#list-more").expect("Show more"));
    wait_until(&b, rows, &json!(1000), 5);
    let left = matching - 1000;
    assert_eq!(
        b.execute(more, json!([])),
        json!([false, format!("Show {left} more")])
    );
    b.click(&b.find("#list-more").expect("Show more"));
    wait_until(&b, rows, &json!(matching), 5);
    assert_eq!(b.execute(more, json!([]))[0], json!(true));
    // Another filter starts again from the first 500.
    b.execute(
        "document.querySelector(\"#facets input[data-facet='triggers']\").click()",
        json!([]),
    );
    let with_triggers = all
        .iter()
        .filter(|c| c["tier"] == json!("certified") && c["triggers"].as_u64() > Some(0))
        .count();
    wait_until(&b, rows, &json!(with_triggers.min(500)), 5);
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console errors {errors:?}");
}

/// A connector with more operations than one page holds (`common::paged_definition`): the
/// browser's search and the compare page link its operation `ListItems` to the page that
/// shows it, and following either link lands on that operation.
#[test]
fn search_and_compare_link_to_the_page_that_shows_an_operation() {
    let Some(b) = Browser::start() else { return };
    let repo = common::Repo::new();
    repo.definition("certified-connectors/Big", common::paged_definition())
        .connector("certified-connectors", "Other");
    let out = repo.dir.path().join("site");
    common::build_site(&repo.root(), &out, false);
    let base = serve(&out);
    b.set_script_timeout(30_000);
    b.navigate(&format!("{base}index.html"));
    b.wait_for("return typeof window.switchyardSearch === 'function'", 20);
    let hits = b.execute_async(
        "const done = arguments[arguments.length - 1]; window.switchyardSearch('list items', 5).then(h => done(h), e => done('error: ' + e));",
        json!([]),
    );
    let big = hits
        .as_array()
        .unwrap_or_else(|| panic!("{hits}"))
        .iter()
        .find(|h| h["slug"] == "big")
        .unwrap_or_else(|| panic!("big is found: {hits}"));
    let url = big["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["operation_id"] == "ListItems")
        .map(|a| a["url"].as_str().expect("url").to_string())
        .expect("ListItems is a hit");
    assert_eq!(url, "connectors/big/operations-2.html#ListItems");
    b.navigate(&format!("{base}{url}"));
    let found = b.execute("return !!document.getElementById('ListItems')", json!([]));
    assert_eq!(found, json!(true), "the search link lands on the operation");

    b.navigate(&format!("{base}compare/index.html?c=big,other"));
    b.wait_for("return !!document.getElementById('compare-ops')", 20);
    let href = b.execute(
        "return [...document.querySelectorAll('#compare-ops a')].map(a => a.getAttribute('href')).find(h => h.includes('big/') && h.includes('ListItems'))",
        json!([]),
    );
    assert_eq!(
        href,
        json!("../connectors/big/operations-2.html#ListItems"),
        "compare links to the operation's page"
    );
    assert!(b.console_errors().is_empty(), "{:?}", b.console_errors());
}
