//! The connector list's history controls in headless Chromium: the "changed in the last N
//! days" filter and the "recently updated" sort, on a small git repository built here.
//! Skipped (passing) without chromedriver.

mod browser;
mod common;

use browser::{serve, Browser};
use common::{build_site, commit_all, Repo};
use serde_json::json;

const DAY: i64 = 86_400;

#[test]
fn list_filters_by_recent_change_and_sorts_by_update() {
    let Some(b) = Browser::start() else { return };
    let r = Repo::new();
    r.connector("certified-connectors", "Aardvark Old")
        .connector("certified-connectors", "Zebra New");
    commit_all(&r.root(), "Add both (#1)", 1_700_000_000);
    let def = r
        .root()
        .join("certified-connectors/Zebra New/apiDefinition.swagger.json");
    let text = std::fs::read_to_string(&def).expect("definition");
    std::fs::write(&def, text.replace("Lists the items.", "Lists every item.")).expect("edit");
    commit_all(&r.root(), "Zebra: describe (#2)", 1_700_000_000 + 40 * DAY);
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("site");
    build_site(&r.root(), &out, true);
    let base = serve(&out);
    let visible = "return Array.from(document.querySelectorAll('tr.connector-row')).filter(r => !r.hidden).map(r => r.dataset.slug)";

    // The built commit is "now": Zebra changed today, Aardvark 40 days before.
    b.navigate(&format!("{base}connectors/index.html?changed=30"));
    b.wait_for("return !document.getElementById('facets').hidden", 10);
    assert_eq!(b.execute(visible, json!([])), json!(["zebra-new"]));
    b.navigate(&format!("{base}connectors/index.html?changed=90"));
    b.wait_for("return !document.getElementById('facets').hidden", 10);
    assert_eq!(
        b.execute(visible, json!([])),
        json!(["aardvark-old", "zebra-new"])
    );
    b.navigate(&format!("{base}connectors/index.html?sort=updated"));
    b.wait_for("return !document.getElementById('facets').hidden", 10);
    assert_eq!(
        b.execute(visible, json!([])),
        json!(["zebra-new", "aardvark-old"])
    );
    assert!(b.console_errors().is_empty());
}
