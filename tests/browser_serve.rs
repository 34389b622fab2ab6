//! `switchyard serve` in headless Chromium: open a connector page, edit its definition, wait
//! for the live reload and the new text (the save → reload time is printed, not asserted);
//! then a broken edit shows the located error in an overlay while the last good page stays
//! served, and the fix clears it. Runs on a small fixture, or on the folder named by
//! `SWITCHYARD_SERVE_SOURCE` (a copy: it is edited) with the connector folder named by
//! `SWITCHYARD_SERVE_CONNECTOR`. Skipped (passing) without chromedriver.

mod browser;
mod common;
mod serving;

use browser::Browser;
use common::Repo;
use serde_json::json;
use serving::Server;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// The definition with `marker` put at the start of the connector's description.
fn with_marker(original: &str, marker: &str) -> String {
    let mut def: serde_json::Value = serde_json::from_str(original).expect("a JSON definition");
    let old = def["info"]["description"].as_str().unwrap_or_default();
    def["info"]["description"] = json!(format!("{marker} {old}"));
    serde_json::to_string_pretty(&def).expect("json")
}

/// The page URL of the connector in `folder` (its last path segment), from `catalog.json`.
fn page_of(site: &Path, folder: &str) -> String {
    let catalog: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("catalog.json")).expect("catalog"))
            .expect("json");
    let name = folder.rsplit('/').next().unwrap_or(folder);
    catalog["connectors"]
        .as_array()
        .expect("connectors")
        .iter()
        .find(|c| c["folder"] == json!(name))
        .and_then(|c| c["url"].as_str())
        .expect("the connector is in the catalog")
        .to_string()
}

/// Waits for the page to have reloaded (the marker variable gone) and to show `text`;
/// returns the times from the save to the reload's start, to the page's HTML received and
/// to its first contentful paint, in ms.
fn wait_reload(b: &Browser, text: &str, saved: f64) -> [f64; 3] {
    let script = format!(
        "return window.__before === undefined && document.readyState !== 'loading' && document.body.innerText.includes({})",
        json!(text)
    );
    b.wait_for(&script, 30);
    let t = b.execute(
        "const n = performance.getEntriesByType('navigation')[0];
         const p = performance.getEntriesByName('first-contentful-paint')[0];
         const o = performance.timeOrigin;
         return [o, o + n.responseEnd, o + (p ? p.startTime : n.domContentLoadedEventEnd)];",
        json!([]),
    );
    [0, 1, 2].map(|i| t[i].as_f64().unwrap_or(0.0) - saved)
}

#[test]
fn an_edit_reloads_the_page_and_a_broken_edit_shows_the_overlay() {
    let Some(b) = Browser::start() else { return };
    let repo = Repo::new();
    repo.connector("certified-connectors", "Alpha Texts");
    let (source, folder) = match (
        std::env::var("SWITCHYARD_SERVE_SOURCE"),
        std::env::var("SWITCHYARD_SERVE_CONNECTOR"),
    ) {
        (Ok(s), Ok(c)) => (PathBuf::from(s), c),
        _ => (repo.root(), "certified-connectors/Alpha Texts".to_string()),
    };
    let server = Server::start(&source, repo.dir.path());
    let definition = source.join(&folder).join("apiDefinition.swagger.json");
    let original = std::fs::read_to_string(&definition).expect("definition");
    let page = page_of(&server.site, &folder);
    b.navigate(&server.url(&format!("/{page}")));
    b.wait_for("return document.readyState === 'complete'", 30);

    for round in 1..=3 {
        let marker = format!("LIVE-EDIT-{round}");
        b.execute("window.__before = 1; return true;", json!([]));
        // Give the events stream of the new page time to connect.
        std::thread::sleep(std::time::Duration::from_millis(300));
        let saved = now_ms();
        std::fs::write(&definition, with_marker(&original, &marker)).expect("edit");
        let [start, html, paint] = wait_reload(&b, &marker, saved);
        println!(
            "save → reload: navigation start {start:.0} ms, page received {html:.0} ms, first paint {paint:.0} ms"
        );
    }

    let broken = original.replacen("\"description\": \"", "\"description\": hello \"", 1);
    std::fs::write(&definition, broken).expect("broken edit");
    b.wait_for(
        "const o = document.getElementById('switchyard-overlay'); return !!o && o.innerText.includes('F002');",
        30,
    );
    let overlay = b.execute(
        "return document.getElementById('switchyard-overlay').innerText;",
        json!([]),
    );
    let overlay = overlay.as_str().unwrap_or_default();
    assert!(overlay.contains("apiDefinition.swagger.json:"), "{overlay}");
    assert!(overlay.contains("cannot parse the file"), "{overlay}");
    // The last good page is still the one shown, and still served on a new load.
    b.navigate(&server.url(&format!("/{page}")));
    b.wait_for(
        "return document.body.innerText.includes('LIVE-EDIT-3') && !!document.getElementById('switchyard-overlay');",
        30,
    );

    b.execute("window.__before = 1; return true;", json!([]));
    std::fs::write(&definition, with_marker(&original, "FIXED-AGAIN")).expect("fix");
    wait_reload(&b, "FIXED-AGAIN", now_ms());
    let overlay = b.execute(
        "return document.getElementById('switchyard-overlay') === null;",
        json!([]),
    );
    assert_eq!(overlay, json!(true), "the fix cleared the overlay");
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    std::fs::write(&definition, original).expect("restore");
}
