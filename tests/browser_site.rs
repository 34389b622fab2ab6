//! The sample site in headless Chromium: pages load without console errors, the connector
//! list filters, compare shows its connectors, the hostile readme runs nothing, and search
//! answers from the browser shards. Skipped (passing) without chromedriver.

mod browser;
mod common;

use browser::{serve, Browser};
use serde_json::json;

/// Hooks that record whether any payload ran, installed before the page's own scripts run
/// cannot be done over plain WebDriver; the payloads would call `alert`/`steal`, so we check
/// the DOM holds nothing that could run and that no global appeared.
const NO_ACTIVE_CONTENT: &str = r#"
const sec = document.querySelector('#readme') || document.querySelector('#sec-docs');
if (!sec) return 'no readme section';
if (sec.querySelector('script, iframe, object, embed')) return 'active element in readme';
for (const el of sec.querySelectorAll('*')) {
  for (const a of el.attributes) {
    if (a.name.startsWith('on')) return 'handler ' + a.name + ' on ' + el.tagName;
    if (/^\s*javascript:/i.test(a.value)) return 'javascript: url in ' + a.name;
  }
}
for (const el of document.querySelectorAll('*')) {
  for (const a of el.attributes) if (a.name.startsWith('on')) return 'handler ' + a.name + ' on ' + el.tagName;
}
if (typeof window.steal !== 'undefined') return 'steal defined';
return 'ok';
"#;

#[test]
fn sample_site_in_chromium() {
    let Some(b) = Browser::start() else { return };
    let dir = common::build_sample(None);
    let base = serve(&dir.path().join("site"));
    b.set_script_timeout(30_000);

    for page in [
        "index.html",
        "connectors/kestrel-sms/index.html",
        "compare/index.html",
        "search/index.html?q=send",
    ] {
        b.navigate(&format!("{base}{page}"));
        b.wait_for("return document.readyState === 'complete'", 10);
        std::thread::sleep(std::time::Duration::from_millis(300));
        let errors = b.console_errors();
        assert!(errors.is_empty(), "{page}: console errors {errors:?}");
        assert!(b.find("#main").is_some(), "{page}: no #main");
        assert!(b.find("#search-input").is_some(), "{page}: no search box");
    }

    // Facets narrow the connector list.
    b.navigate(&format!("{base}connectors/index.html"));
    b.wait_for("return document.readyState === 'complete'", 10);
    let lead = b.execute(
        "return document.querySelector('.lead').innerText",
        json!([]),
    );
    let lead = lead.as_str().expect("lead");
    assert!(
        lead.contains("Filter by") && !lead.contains("Browse them"),
        "with scripts the lead offers the filters: {lead}"
    );
    let visible = "return document.querySelectorAll('#connector-rows > tr.connector-row:not([hidden])').length";
    let all = b.execute(visible, json!([])).as_u64().expect("count");
    let facet = b
        .find("#facets input[data-facet='tier'][value='certified']")
        .expect("tier facet");
    b.click(&facet);
    b.wait_for(&format!("{visible} < {all}"), 5);
    let narrowed = b.execute(visible, json!([])).as_u64().expect("count");
    assert!(narrowed > 0 && narrowed < all, "{narrowed} of {all}");
    let tiers = b.execute(
        "return [...document.querySelectorAll('#connector-rows > tr.connector-row:not([hidden])')].map(r => r.dataset.tier)",
        json!([]),
    );
    assert!(
        tiers
            .as_array()
            .expect("tiers")
            .iter()
            .all(|t| t == "certified"),
        "{tiers}"
    );
    assert!(b.console_errors().is_empty());

    // Compare shows both connectors.
    b.navigate(&format!(
        "{base}compare/index.html?c=kestrel-sms,task-board"
    ));
    b.wait_for(
        "return document.querySelectorAll('#compare-facts th[data-slug]').length >= 2",
        10,
    );
    let slugs = b.execute(
        "return [...document.querySelectorAll('#compare-facts th[data-slug]')].map(t => t.dataset.slug)",
        json!([]),
    );
    assert_eq!(slugs, json!(["kestrel-sms", "task-board"]));
    assert!(b.console_errors().is_empty());

    // The hostile readme runs nothing.
    b.navigate(&format!("{base}connectors/open-trivia-vault/index.html"));
    b.wait_for("return document.readyState === 'complete'", 10);
    b.execute("window.__xssMarker = 'clean'", json!([]));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(b.execute(NO_ACTIVE_CONTENT, json!([])), json!("ok"));
    assert_eq!(
        b.execute("return window.__xssMarker", json!([])),
        json!("clean")
    );
    let title = b.execute("return document.title", json!([]));
    assert!(
        title.as_str().unwrap_or("").contains("Trivia Vault"),
        "{title}"
    );
    assert!(b.console_errors().is_empty());

    // Search: the API, the type-ahead and the results page with facets.
    b.navigate(&format!("{base}index.html"));
    b.wait_for("return typeof window.switchyardSearch === 'function'", 10);
    let hits = b.execute_async(
        "const done = arguments[arguments.length - 1]; window.switchyardSearch('send a text message').then(done, e => done(String(e)));",
        json!([]),
    );
    let first = &hits[0];
    assert_eq!(first["url"], json!("connectors/kestrel-sms/"), "{hits}");
    assert!(
        first["actions"].as_array().is_some_and(|a| !a.is_empty()),
        "{hits}"
    );
    let input = b.find("#search-input").expect("box");
    b.click(&input);
    b.execute(
        "const i = document.getElementById('search-input'); i.value = 'sms'; i.dispatchEvent(new Event('input'));",
        json!([]),
    );
    b.wait_for(
        "const s = document.getElementById('search-suggest'); return !!s && !s.hidden && s.querySelectorAll('a.suggest-connector').length > 0",
        10,
    );
    b.navigate(&format!("{base}search/index.html?q=task"));
    b.wait_for(
        "return document.querySelectorAll('#search-results > li').length > 0",
        10,
    );
    let before = b
        .execute(
            "return document.querySelectorAll('#search-results > li').length",
            json!([]),
        )
        .as_u64()
        .expect("n");
    let custom = b
        .find("#search-facets input[name='tier'][value='custom']")
        .expect("facet");
    b.click(&custom);
    let tiers = b.execute(
        "return [...document.querySelectorAll('#search-results > li')].map(l => l.dataset.tier)",
        json!([]),
    );
    let tiers = tiers.as_array().expect("tiers");
    assert!(tiers.len() as u64 <= before);
    assert!(tiers.iter().all(|t| t == "custom"), "{tiers:?}");
    assert!(b.console_errors().is_empty());
}

/// The results page fetches details twenty hits at a time: "More results" loads the next
/// page and disappears when every hit is shown.
#[test]
fn results_page_loads_more_hits_on_demand() {
    let Some(b) = Browser::start() else { return };
    let repo = common::Repo::new();
    for n in 1..=25 {
        repo.connector("certified-connectors", &format!("Stockroom {n:02}"));
    }
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("site");
    repo.build(&out).expect("build");
    let base = serve(&out);
    b.navigate(&format!("{base}search/index.html?q=list+items"));
    b.wait_for(
        "return document.querySelectorAll('.search-hit').length > 0",
        20,
    );
    let count = || {
        b.execute(
            "return document.querySelectorAll('.search-hit').length",
            json!([]),
        )
    };
    assert_eq!(count(), json!(20));
    let status = b.execute(
        "return document.getElementById('search-status').textContent",
        json!([]),
    );
    assert!(
        status.as_str().expect("text").contains("20 of 25"),
        "{status}"
    );
    let more = b.find("#search-more").expect("More results button");
    b.click(&more);
    b.wait_for(
        "return document.querySelectorAll('.search-hit').length === 25",
        20,
    );
    assert_eq!(
        b.execute(
            "return document.getElementById('search-more').hidden",
            json!([])
        ),
        json!(true)
    );
    assert!(b.console_errors().is_empty());
}
