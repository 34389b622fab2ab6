//! The sample site read with JavaScript turned off, in headless Chromium: SPEC §7 says the
//! site works without it except search and the compare picker. Every page is reached from the
//! home page by plain links, every page shows its content, in-page links land on their
//! targets, the full connector list shows, schemas open by a click, and search and compare
//! say that they need scripts. Skipped (passing) without chromedriver.

mod browser;
mod common;

use browser::{serve, Browser};
use serde_json::{json, Value};
use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

/// What a page shows with scripts off, read by WebDriver (whose own scripts still run).
const READ_PAGE: &str = r##"
const main = document.querySelector('#main');
const toggle = document.querySelector('#theme-toggle');
const missing = [...document.querySelectorAll('a[href^="#"]')]
  .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
  .filter(id => id && !document.getElementById(id));
const shown = el => !!el && el.getClientRects().length > 0;
return {
  main_text: main ? main.innerText.trim().length : 0,
  toggle_hidden: !toggle || toggle.hidden,
  links: [...document.querySelectorAll('a[href]')].map(a => a.href)
    .concat([...document.forms].map(f => f.action)),
  missing_targets: missing,
  noscript_callout: shown(document.querySelector('#main .callout')) &&
    /needs JavaScript/.test(document.querySelector('#main .callout').innerText),
};
"##;

/// The site page a link leads to (`dir/` is `dir/index.html`), or `None` when it leaves the
/// site or is not a page.
fn page_of(link: &str, base: &str) -> Option<String> {
    let rel = link.strip_prefix(base)?;
    let rel = rel.split(['#', '?']).next().unwrap_or("");
    if rel.is_empty() || rel.ends_with('/') {
        return Some(format!("{rel}index.html"));
    }
    rel.ends_with(".html").then(|| rel.to_string())
}

fn open(b: &Browser, url: &str) -> Value {
    b.navigate(url);
    b.wait_for("return document.readyState === 'complete'", 10);
    b.execute(READ_PAGE, json!([]))
}

/// The pages a reader without scripts reaches, and those that say they need scripts.
struct Walk {
    reached: BTreeSet<String>,
    callouts: BTreeSet<String>,
}

/// Walks the site from its home page by plain links and forms (the search box leads to the
/// search page), as a reader without scripts would, checking each page on the way: no page
/// script ran, no console error, the main content shows and every in-page link has its
/// target. Then checks that every page was reached and every link leads to a page.
fn walk(b: &Browser, base: &str, root: &Path) -> Walk {
    let mut reached = BTreeSet::from(["index.html".to_string()]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    let mut callouts = BTreeSet::new();
    while let Some(page) = queue.pop_front() {
        let read = open(b, &format!("{base}{page}"));
        assert_eq!(read["toggle_hidden"], true, "{page}: a page script ran");
        let errors = b.console_errors();
        assert!(errors.is_empty(), "{page}: console errors {errors:?}");
        let text = read["main_text"].as_u64().expect("length");
        assert!(
            text > 40,
            "{page}: the main content shows {text} characters"
        );
        assert_eq!(
            read["missing_targets"],
            json!([]),
            "{page}: in-page links without a target"
        );
        if read["noscript_callout"] == true {
            callouts.insert(page.clone());
        }
        for link in read["links"].as_array().expect("links") {
            let Some(next) = page_of(link.as_str().expect("href"), base) else {
                continue;
            };
            if reached.insert(next.clone()) {
                queue.push_back(next);
            }
        }
    }
    let mut unreached = common::html_pages(root);
    unreached.retain(|p| !reached.contains(p));
    // The not-found page is what the server answers for a missing path; nothing links to it.
    assert_eq!(
        unreached,
        BTreeSet::from(["404.html".to_string()]),
        "pages no plain link reaches"
    );
    let missing: Vec<&String> = reached
        .iter()
        .filter(|p| !root.join(p.as_str()).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "links to pages that do not exist: {missing:?}"
    );
    Walk { reached, callouts }
}

/// Connector pages of a built site (`connectors/<slug>/index.html`).
fn connector_pages(root: &Path) -> usize {
    common::html_pages(root)
        .iter()
        .filter(|p| p.starts_with("connectors/") && p.matches('/').count() == 2)
        .count()
}

#[test]
fn the_site_reads_with_javascript_turned_off() {
    let Some(b) = Browser::start_without_page_scripts() else {
        return;
    };
    let dir = common::build_sample(None);
    let root = dir.path().join("site");
    let base = serve(&root);

    let walk = walk(&b, &base, &root);
    // Only the two parts that need scripts say so.
    assert_eq!(
        walk.callouts,
        BTreeSet::from([
            "compare/index.html".to_string(),
            "search/index.html".to_string()
        ])
    );

    // The connector list shows every connector; the filters, which need scripts, stay away.
    open(&b, &format!("{base}connectors/index.html"));
    let list = b.execute(
        "return {rows: document.querySelectorAll('#connector-rows > tr.connector-row').length,
          shown: [...document.querySelectorAll('#connector-rows > tr.connector-row')]
            .filter(r => r.getClientRects().length > 0).length,
          facets: document.querySelector('#facets').getClientRects().length,
          lead: document.querySelector('.lead').innerText}",
        json!([]),
    );
    let connectors = connector_pages(&root);
    assert_eq!(list["rows"], json!(connectors), "{list}");
    assert_eq!(list["shown"], json!(connectors), "{list}");
    assert_eq!(list["facets"], 0, "filters shown that cannot work");
    let lead = list["lead"].as_str().expect("lead");
    assert!(
        lead.contains("Browse them") && !lead.contains("Filter"),
        "the lead promises filters that need scripts: {lead}"
    );

    // A collapsed section (a schema, a long list) opens with a click on its summary.
    open(&b, &format!("{base}connectors/kestrel-sms/index.html"));
    let closed = b.execute(
        "const s = document.querySelector('#main details:not([open]) > summary');
         if (!s) return false; s.id = 'closed-summary'; return true;",
        json!([]),
    );
    assert_eq!(closed, true, "no collapsed section on the connector page");
    let summary = b.find("#closed-summary").expect("the summary");
    b.click(&summary);
    let opened = b.execute(
        "return document.getElementById('closed-summary').parentElement.open",
        json!([]),
    );
    assert_eq!(opened, true, "the summary's section did not open");
}

/// Regression guard for paged lists: a list cut into pages (three connectors a page here) is
/// read page by page through plain links, and every connector is reached that way.
#[test]
fn a_paged_list_reads_page_by_page_with_javascript_turned_off() {
    let Some(b) = Browser::start_without_page_scripts() else {
        return;
    };
    let dir = common::build_sample(Some(common::PAGED));
    let root = dir.path().join("site");
    let base = serve(&root);

    let walk = walk(&b, &base, &root);
    let list_pages: Vec<&String> = walk
        .reached
        .iter()
        .filter(|p| p.starts_with("connectors/") && p.matches('/').count() == 1)
        .collect();
    assert!(list_pages.len() >= 3, "list pages reached: {list_pages:?}");
    let mut rows = 0;
    for page in &list_pages {
        open(&b, &format!("{base}{page}"));
        let shown = b.execute(
            "return [...document.querySelectorAll('#connector-rows > tr.connector-row')]
               .filter(r => r.getClientRects().length > 0).length",
            json!([]),
        );
        let shown = shown.as_u64().expect("count");
        assert!((1..=3).contains(&shown), "{page} shows {shown} rows");
        rows += shown;
    }
    assert_eq!(
        rows as usize,
        connector_pages(&root),
        "rows over every list page"
    );
}
