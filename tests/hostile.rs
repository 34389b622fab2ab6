//! The hostile repository (`tests/common/hostile.rs`) built end to end: the build finishes,
//! reports each problem with its file, writes nothing outside its output folder, copies
//! nothing from outside the tree, keeps every page small, and no page holds or runs script
//! from the input (statically, and in headless Chromium when it is installed).

mod browser;
mod common;
#[path = "common/hostile.rs"]
mod hostile;

use common::Repo;
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};

/// A built hostile repository; `outside` is the folder the links point into.
struct Built {
    repo: Repo,
    out: PathBuf,
    catalog: Value,
}

/// Every path under `dir` (links not followed) with its kind and bytes, except `skip`.
fn listing(dir: &Path, skip: &Path) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| !e.path().starts_with(skip))
        .filter_map(Result::ok)
        .map(|e| {
            let kind = e.file_type();
            let what = if kind.is_symlink() {
                format!("link {:?}", fs::read_link(e.path()).ok())
            } else if kind.is_file() {
                format!("file {:?}", fs::read(e.path()).map(|b| b.len()))
            } else {
                "dir".to_string()
            };
            (e.path().display().to_string(), what)
        })
        .collect();
    all.sort();
    all
}

fn build(huge: bool) -> Built {
    let repo = Repo::new();
    let outside = repo.dir.path().join("outside");
    hostile::write(&repo, &outside, huge);
    let out = repo.dir.path().join("out");
    repo.site(&out); // writes the (empty) config, so the snapshot below includes it
    let before = listing(repo.dir.path(), &out);
    let before_bytes = common::snapshot(repo.dir.path());
    let report = repo
        .build(&out)
        .expect("the build finishes without --strict");
    assert!(report.connectors >= 18, "{} connectors", report.connectors);
    // Nothing changed beside the output folder: no staging left, nothing written through links.
    assert_eq!(
        listing(repo.dir.path(), &out),
        before,
        "files changed outside the output"
    );
    let after_bytes: Vec<_> = common::snapshot(repo.dir.path())
        .into_iter()
        .filter(|(rel, _)| !Path::new(rel).starts_with("out"))
        .collect();
    assert!(
        after_bytes == before_bytes,
        "bytes changed outside the output"
    );
    let catalog = serde_json::from_slice(&fs::read(out.join("catalog.json")).expect("catalog"))
        .expect("catalog.json is JSON");
    Built { repo, out, catalog }
}

fn problems(catalog: &Value) -> Vec<(String, String, u64)> {
    catalog["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["rule"].as_str().unwrap_or_default().to_string(),
                p["path"].as_str().unwrap_or_default().to_string(),
                p["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn hostile_repository_builds_reports_each_problem_and_stays_inside() {
    let built = build(true);
    let found = problems(&built.catalog);
    let has = |rule: &str, path: &str| {
        found
            .iter()
            .any(|(r, p, line)| r == rule && p.ends_with(path) && *line > 0)
    };
    for (rule, path) in [
        ("F002", "BadBytes/apiDefinition.swagger.json"),
        ("F003", "BadBytes/apiProperties.json"),
        ("R003", "BadBytes/readme.md"),
        ("F002", "Deep/apiDefinition.swagger.json"),
        ("F002", "DeepValid/apiDefinition.swagger.json"),
        ("F002", "Empty/apiDefinition.swagger.json"),
        ("F003", "Empty/apiProperties.json"),
        ("F002", "Truncated/apiDefinition.swagger.json"),
        ("F003", "Truncated/apiProperties.json"),
        ("P010", "Cycles/apiDefinition.swagger.json"),
    ] {
        assert!(has(rule, path), "no located {rule} for {path} in {found:?}");
    }
    let messages = built.catalog["problems"].to_string();
    assert!(
        messages.contains("nesting deeper than"),
        "deep nesting not named"
    );
    assert!(messages.contains("(a cycle?)"), "$ref cycle not named");
    // Every link is reported where it is (never followed), and so is each name that differs
    // from another only in case.
    for path in [
        "certified-connectors/Links/apiDefinition.swagger.json",
        "certified-connectors/Links/readme.md",
        "certified-connectors/Links/images",
        "certified-connectors/Links/loop",
        "certified-connectors/Links/up",
        "certified-connectors/Escaped",
        "custom-connectors/Cycle",
        "independent-publisher-connectors/Outside",
        "certified-connectors/Collide",
        "certified-connectors/collide",
        "custom-connectors/Twins/apidefinition.swagger.json",
        "custom-connectors/Twins/readme.md",
    ] {
        assert!(
            found.iter().any(|(r, p, _)| r == "F008" && p == path),
            "no F008 for {path} in {found:?}"
        );
    }
    // The linked definition is not read: the folder has none, and says so.
    assert!(found
        .iter()
        .any(|(r, p, _)| r == "F001" && p.ends_with("Links")));

    // Every connector folder is listed once, with a unique slug; nothing from outside.
    let connectors = built.catalog["connectors"].as_array().expect("connectors");
    let folders: Vec<&str> = connectors
        .iter()
        .filter_map(|c| c["folder"].as_str())
        .collect();
    for name in hostile::odd_folder_names() {
        assert!(folders.contains(&name.as_str()), "{name:?} not listed");
    }
    for name in [
        "Payload",
        "Huge",
        "Cycles",
        "Deep",
        "BadBytes",
        "Empty",
        "Truncated",
        "Links",
    ] {
        assert!(folders.contains(&name), "{name} not listed");
    }
    for gone in ["Escaped", "Outside", "Cycle"] {
        assert!(!folders.contains(&gone), "{gone} (a link) was followed");
    }
    let mut slugs: Vec<&str> = connectors
        .iter()
        .filter_map(|c| c["slug"].as_str())
        .collect();
    let n = slugs.len();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), n, "slugs collide");
    for slug in &slugs {
        assert!(
            slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !slug.is_empty(),
            "unsafe slug {slug:?}"
        );
    }

    // Nothing read through a link, and no page is huge (SPEC §7: none over 2 MB).
    for (rel, bytes) in common::snapshot(&built.out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(hostile::OUTSIDE_SECRET),
            "{rel} holds a file from outside"
        );
        if rel.ends_with(".html") {
            assert!(bytes.len() < 2 << 20, "{rel} is {} bytes", bytes.len());
        }
    }
    let huge = fs::read_to_string(built.out.join("connectors/huge/index.html")).expect("page");
    assert!(
        huge.contains("Operation 299"),
        "the 300th operation is listed"
    );

    // No page holds script from the input, whatever page it is.
    let pages = common::html_pages(&built.out);
    assert!(pages.len() > 40, "{} pages", pages.len());
    for page in &pages {
        let html = fs::read_to_string(built.out.join(page)).expect("page");
        let live = hostile::live_script(&html);
        assert!(live.is_empty(), "{page}: {live:?}");
    }
    let payload =
        fs::read_to_string(built.out.join("connectors/payload/index.html")).expect("page");
    assert!(
        payload.contains("&lt;script&gt;"),
        "payloads are shown as text"
    );
    assert!(payload.contains("7*7"), "template syntax is shown as text");
    drop(built.repo);
}

#[test]
fn a_strict_build_of_the_hostile_repository_fails_and_writes_nothing() {
    let repo = Repo::new();
    hostile::write(&repo, &repo.dir.path().join("outside"), false);
    let out = repo.dir.path().join("out");
    let err = repo
        .site(&out)
        .build(true, switchyard::site::Verbosity::Quiet);
    assert!(err.is_err(), "--strict accepts the hostile repository");
    assert!(!out.exists(), "a failed strict build left an output folder");
}

/// In the browser: the marker the payloads set stays unset on every page, after links with
/// other schemes than http(s)/mailto are clicked and every element is hovered, focused and
/// clicked (navigation prevented); search and compare render the payloads as text.
const PAGE_CHECK: &str = r#"
const bad = [];
const check = (where) => {
  if (document.documentElement.dataset.pwned) bad.push('marker set ' + where);
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) if (/^on/i.test(a.name)) bad.push(where + ': handler ' + a.name + ' on ' + el.tagName);
  }
  for (const el of document.querySelectorAll('iframe, frame, object, embed, base')) bad.push(where + ': ' + el.tagName);
  for (const el of document.querySelectorAll('[href], [src], [action], [formaction]')) {
    for (const name of ['href', 'src', 'action', 'formaction']) {
      const v = (el.getAttribute(name) || '').replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (/^(javascript|vbscript|data):/.test(v)) bad.push(where + ': ' + name + '=' + v + ' on ' + el.tagName);
    }
  }
};
check('after load');
window.addEventListener('click', e => e.preventDefault(), true);
window.addEventListener('submit', e => e.preventDefault(), true);
for (const el of document.querySelectorAll('body *')) {
  for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'toggle', 'error', 'load', 'animationstart']) {
    el.dispatchEvent(new Event(type, {bubbles: true, cancelable: true}));
  }
}
check('after events');
return bad;
"#;

const OTHER_SCHEMES: &str = r#"
const other = [...document.querySelectorAll('a[href], area[href]')]
  .filter(a => !/^(https?|mailto):$/.test(a.protocol));
other.forEach(a => a.setAttribute('data-other-scheme', ''));
return other.length;
"#;

/// Loads `url`, waits until `ready` (a script) is true, then checks the page.
fn check_page(b: &browser::Browser, url: &str, ready: &str) {
    b.navigate(url);
    b.wait_for("return document.readyState === 'complete'", 20);
    b.wait_for(ready, 20);
    std::thread::sleep(std::time::Duration::from_millis(150));
    // Links to other schemes (there should be none) are clicked for real, one by one.
    let n = b.execute(OTHER_SCHEMES, json!([])).as_u64().unwrap_or(0);
    if let Some(el) = b.find("[data-other-scheme]") {
        b.click(&el);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let marker = b.execute(
        "return document.documentElement.dataset.pwned || null",
        json!([]),
    );
    assert_eq!(marker, Value::Null, "{url}: a payload ran");
    assert_eq!(
        n, 0,
        "{url}: {n} links with other schemes than http(s)/mailto"
    );
    let bad = b.execute(PAGE_CHECK, json!([]));
    assert_eq!(bad, json!([]), "{url}");
}

#[test]
fn hostile_pages_run_no_script_in_chromium() {
    if !Path::new("/usr/bin/chromium").exists() {
        println!("skipped: no chromium");
        return;
    }
    let Some(b) = browser::Browser::start() else {
        return;
    };
    let built = build(false);
    let base = browser::serve(&built.out);
    b.set_script_timeout(30_000);
    let pages = common::html_pages(&built.out);
    for rel in &pages {
        check_page(&b, &format!("{base}{rel}"), "return true");
    }
    // Pages that render input with script: search results and type-ahead, compare.
    let slugs: Vec<String> = built.catalog["connectors"]
        .as_array()
        .expect("connectors")
        .iter()
        .filter_map(|c| c["slug"].as_str().map(str::to_string))
        .collect();
    // The payload connector is found (the results render its payload title).
    check_page(
        &b,
        &format!("{base}search/index.html?q=pwned+img+onerror+script"),
        "return document.querySelectorAll('#search-results li').length > 0",
    );
    b.execute(
        "const i = document.querySelector('#search-input'); i.focus(); i.value = 'pwned onerror'; i.dispatchEvent(new Event('input', {bubbles: true}));",
        json!([]),
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let marker = b.execute(
        "return document.documentElement.dataset.pwned || null",
        json!([]),
    );
    assert_eq!(marker, Value::Null, "the type-ahead ran a payload");
    let compare = slugs
        .iter()
        .filter(|s| s.contains("payload") || s.contains("onload") || s.contains("onerror"))
        .cloned()
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(compare.matches(',').count(), 2, "{compare}");
    check_page(
        &b,
        &format!("{base}compare/index.html?c={compare}"),
        "return document.querySelectorAll('#compare-facts th[data-slug]').length === 3",
    );
    let errors = b.console_errors();
    assert!(
        errors.iter().all(|e| !e.contains("pwned")),
        "console: {errors:?}"
    );
}

/// Regression: each schema kept at least 25 rows, so 300 operations on one large schema made
/// a 4 MB page; the page budget now holds whatever the number of schemas.
#[test]
fn page_of_300_operations_on_one_large_schema_stays_under_2_mb() {
    let repo = Repo::new();
    repo.file(
        "certified-connectors/Huge/apiDefinition.swagger.json",
        hostile::huge_definition(4 << 20),
    )
    .file(
        "certified-connectors/Huge/apiProperties.json",
        common::MINIMAL_PROPERTIES,
    );
    let out = repo.dir.path().join("out");
    repo.build(&out).expect("build");
    let page = fs::read_to_string(out.join("connectors/huge/index.html")).expect("page");
    assert!(page.len() < 2 << 20, "{} bytes", page.len());
    assert!(
        page.contains("Operation 299"),
        "every operation is still listed"
    );
    assert!(page.contains("p0"), "the first fields are shown");
}

/// Regression: every definition was shown with at least 8 rows, so 20,000 definitions made a
/// 10 MB page; and finding which of them refer back to themselves was quadratic (3.8 s).
#[test]
fn page_of_20_000_definitions_stays_under_2_mb() {
    let n = 20_000;
    let defs: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| {
            let next = format!("#/definitions/D{}", (i + 1) % n);
            let schema = serde_json::json!({"type": "object", "properties": {
                "next": {"$ref": next}, "text": {"type": "string", "description": "Some text."}}});
            (format!("D{i}"), schema)
        })
        .collect();
    let definition = serde_json::json!({
        "swagger": "2.0", "info": {"title": "Ring", "version": "1.0"}, "host": "example.com",
        "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {
            "description": "OK", "schema": {"$ref": "#/definitions/D0"}}}}}},
        "definitions": defs,
    });
    let repo = Repo::new();
    repo.definition("certified-connectors/Ring", definition.to_string());
    let out = repo.dir.path().join("out");
    repo.build(&out).expect("build");
    let page = fs::read_to_string(out.join("connectors/ring/index.html")).expect("page");
    assert!(page.len() < 2 << 20, "{} bytes", page.len());
    assert!(page.contains("500 of 20000 definitions are shown"));
    let model = fs::read_to_string(out.join("connectors/ring.json")).expect("model");
    let model: serde_json::Value = serde_json::from_str(&model).expect("json");
    let defs = model["definitions"].as_array().expect("definitions");
    assert_eq!(defs.len(), n, "the parsed model keeps every definition");
    assert!(
        defs.iter().all(|d| d["recursive"] == true),
        "one ring: all recursive"
    );
}

/// Regression: shapes that made the build quadratic in time or memory (found by probing, not
/// by the real data): 5,000 operations sharing one id (each listed every other: its family
/// line, its V003 finding and its anchor's suffix search), 20,000 enum values with display
/// names, and one operation with 5,000 parameters. The build finishes and keeps everything,
/// and no page passes 2 MB (all 5,001 operations and their findings on one page made 19 MB).
#[test]
fn a_connector_built_to_be_quadratic_builds_and_keeps_everything() {
    let mut paths = serde_json::Map::new();
    for i in 0..5_000 {
        paths.insert(
            format!("/same{i}"),
            serde_json::json!({"get": {"operationId": "Same", "responses": {"200": {"description": "OK"}}}}),
        );
    }
    let values: Vec<String> = (0..20_000).map(|i| format!("v{i}")).collect();
    let names: Vec<serde_json::Value> = values
        .iter()
        .map(|v| serde_json::json!({"value": v, "displayName": format!("Name {v}")}))
        .collect();
    let mut params: Vec<serde_json::Value> = (0..5_000)
        .map(|i| serde_json::json!({"name": format!("p{i}"), "in": "query", "type": "string"}))
        .collect();
    params.push(
        serde_json::json!({"name": "e", "in": "query", "type": "string",
        "enum": values, "x-ms-enum-values": names}),
    );
    paths.insert(
        "/wide".into(),
        serde_json::json!({"get": {"operationId": "Wide", "parameters": params,
            "responses": {"200": {"description": "OK"}}}}),
    );
    let definition = serde_json::json!({"swagger": "2.0",
        "info": {"title": "Quadratic", "version": "1.0"}, "host": "example.com", "paths": paths});
    let repo = Repo::new();
    repo.definition("certified-connectors/Quadratic", definition.to_string());
    let out = repo.dir.path().join("out");
    repo.build(&out).expect("build");
    let model = fs::read_to_string(out.join("connectors/quadratic.json")).expect("model");
    let model: serde_json::Value = serde_json::from_str(&model).expect("json");
    let ops = model["operations"].as_array().expect("operations");
    assert_eq!(ops.len(), 5_001);
    let anchors: std::collections::HashSet<&str> =
        ops.iter().filter_map(|o| o["anchor"].as_str()).collect();
    assert_eq!(anchors.len(), 5_001, "every operation has its own anchor");
    let wide = ops.iter().find(|o| o["id"] == "Wide").expect("wide");
    let params = wide["parameters"].as_array().expect("parameters");
    assert_eq!(params.len(), 5_001);
    let last = &params[5_000]["enum_values"][19_999];
    assert_eq!(last["display_name"], "Name v19999");
    let page = fs::read_to_string(out.join("connectors/quadratic/index.html")).expect("page");
    assert!(
        page.contains(" · and 4990 more</p>"),
        "the family line is capped"
    );
    // 5,001 operations are on 21 pages of 250 (the last holds one), none over 2 MB; the
    // page lists 1,000 of the linter's tens of thousands of findings (one V003 each).
    let dir = out.join("connectors/quadratic");
    let mut pages = vec![page.len()];
    for n in 2..=21 {
        let part = fs::read_to_string(dir.join(format!("operations-{n}.html"))).expect("part");
        assert!(part.contains("5001 operations, more than one page holds"));
        pages.push(part.len());
    }
    assert!(!dir.join("operations-22.html").exists());
    assert!(pages.iter().all(|&b| b < 2 * 1024 * 1024), "{pages:?}");
    assert!(page.contains("<p class=\"note\">The first 1000 of "));
}

/// Ten thousand tiny connectors (half of them spelt alike but for case and punctuation):
/// every one is listed with its own slug and page, and the list is cut into pages.
#[test]
fn ten_thousand_tiny_connectors_each_get_a_page() {
    let repo = Repo::new();
    for i in 0..10_000 {
        let name = match i % 2 {
            0 => format!("Tiny {i}"),
            _ => format!("tiny-{}", i - 1),
        };
        repo.connector("independent-publisher-connectors", &name);
    }
    let out = repo.dir.path().join("out");
    let report = repo.build(&out).expect("build");
    assert_eq!(report.connectors, 10_000);
    let catalog: Value =
        serde_json::from_slice(&fs::read(out.join("catalog.json")).expect("catalog"))
            .expect("json");
    let mut slugs: Vec<&str> = catalog["connectors"]
        .as_array()
        .expect("connectors")
        .iter()
        .filter_map(|c| c["slug"].as_str())
        .collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), 10_000, "slugs collide");
    for slug in &slugs {
        assert!(
            out.join("connectors")
                .join(slug)
                .join("index.html")
                .is_file(),
            "{slug}"
        );
    }
    // The list is cut into pages (2,000 rows each by default), none near 2 MB, which
    // together show every connector once; list.json holds them all for the filters.
    let mut listed = Vec::new();
    for (i, html) in common::list_pages(&out).iter().enumerate() {
        let n = i + 1;
        assert!(
            html.len() < 2 * 1024 * 1024,
            "list page {n}: {} bytes",
            html.len()
        );
        listed.extend(
            html.split("data-slug=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_string),
        );
    }
    assert_eq!(listed.len(), 10_000, "every connector on one list page");
    listed.sort();
    assert_eq!(listed, slugs, "the list pages show each connector once");
    let items: Value =
        serde_json::from_slice(&fs::read(out.join("list.json")).expect("list.json")).expect("json");
    assert_eq!(items.as_array().map(Vec::len), Some(10_000));
}
