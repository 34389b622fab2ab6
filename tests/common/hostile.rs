//! A hostile repository, written by the tests: script payloads in every text field, unsafe
//! URLs, a 50 MB definition, 100,000-deep nesting, `$ref` cycles, symbolic links that loop
//! or leave the tree, invalid UTF-8, empty and truncated files, names with `..`, control
//! characters and case collisions. `tests/hostile.rs` builds it and checks that the build
//! finishes, reports each problem, stays in its output folder and renders no live script.
#![allow(dead_code)]

use crate::common::{minimal_definition, Repo, MINIMAL_PROPERTIES};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::Path;

/// What every payload sets when it runs: the browser test looks for it.
pub const MARKER: &str = "document.documentElement.dataset.pwned=1";

/// Script and event-handler payloads, each on its own and all in one string (`all()`).
pub fn payloads() -> Vec<String> {
    vec![
        format!("<img src=x onerror=\"{MARKER}\">"),
        format!("<script>{MARKER}</script>"),
        format!("\"><svg onload={MARKER}>"),
        format!("' onmouseover='{MARKER}' x='"),
        format!("</textarea></title></script><script>{MARKER}</script>"),
        format!("<details open ontoggle=\"{MARKER}\">"),
        format!("<a href=\"javascript:{MARKER}\">click</a>"),
        format!("<iframe srcdoc=\"<script>{MARKER}</script>\"></iframe>"),
        "{{ 7*7 }}{% raw %}${7*7}".to_string(),
    ]
}

/// Every payload in one text, behind a readable word so it is searchable.
pub fn all(word: &str) -> String {
    format!("{word} pwned {}", payloads().join(" "))
}

/// Links that must never become live (`javascript:`, `vbscript:`, `data:`).
pub fn bad_urls() -> Vec<String> {
    vec![
        format!("javascript:{MARKER}"),
        format!(" JaVaScRiPt:{MARKER}"),
        format!("java\tscript:{MARKER}"),
        "vbscript:msgbox(1)".to_string(),
        format!("data:text/html,<script>{MARKER}</script>"),
        "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+".to_string(),
    ]
}

/// The bytes outside the repository that a symbolic link points at; never in the output.
pub const OUTSIDE_SECRET: &str = "SECRET-OUTSIDE-THE-TREE";

/// Folder names of connectors that must each be listed (sanitised) in the catalog.
pub fn odd_folder_names() -> Vec<String> {
    vec![
        format!("\"><svg onload={MARKER}>"),
        format!("<img src=x onerror=\"{MARKER}\">"),
        "dots..up".to_string(),
        "x..".to_string(),
        "Ctl\u{1}\u{1b}[31mBell\u{7}\nLine".to_string(),
        "Collide".to_string(),
        "collide".to_string(),
        "COLLIDE".to_string(),
    ]
}

/// Writes the hostile repository under `repo.root()`; `outside` is a folder beside it that
/// symbolic links point into (it holds `OUTSIDE_SECRET`).
pub fn write(repo: &Repo, outside: &Path, huge: bool) {
    write_outside(outside);
    payload_connector(repo);
    odd_names(repo);
    cycles(repo);
    deep(repo);
    broken_files(repo);
    symlinks(repo, outside);
    if huge {
        repo.file(
            "certified-connectors/Huge/apiDefinition.swagger.json",
            huge_definition(50 << 20),
        );
        repo.file("certified-connectors/Huge/apiProperties.json", properties());
    }
}

fn write_outside(outside: &Path) {
    std::fs::create_dir_all(outside.join("Escaped")).expect("outside dir");
    let def = minimal_definition(OUTSIDE_SECRET);
    for (name, bytes) in [
        ("secret.json", def.as_bytes()),
        ("secret.md", OUTSIDE_SECRET.as_bytes()),
        ("leak.png", OUTSIDE_SECRET.as_bytes()),
        ("Escaped/apiDefinition.swagger.json", def.as_bytes()),
        ("Escaped/apiProperties.json", MINIMAL_PROPERTIES.as_bytes()),
    ] {
        std::fs::write(outside.join(name), bytes).expect("outside file");
    }
}

/// A schema whose every text is a payload, with enums and `x-ms-enum-values`.
fn payload_schema() -> Value {
    json!({
        "type": "object",
        "title": all("schema title"),
        "description": all("schema description"),
        "x-ms-summary": all("schema summary"),
        "required": [all("req")],
        "properties": {
            all("property"): {
                "type": "string",
                "description": all("property description"),
                "x-ms-summary": all("property summary"),
                "enum": [all("enum"), format!("<b onclick=\"{MARKER}\">")],
                "x-ms-enum-values": [{"value": all("enum"), "displayName": all("enum name")}],
                "default": all("default"),
                "format": all("format"),
            },
            "nested": {"$ref": "#/definitions/Payload"},
        },
    })
}

fn payload_operation(word: &str) -> Value {
    json!({
        "operationId": format!("{word}<img src=x onerror=\"{MARKER}\">"),
        "summary": all(&format!("{word} summary")),
        "description": all(&format!("{word} description")),
        "x-ms-visibility": all("visibility"),
        "deprecated": true,
        "tags": [all("tag")],
        "externalDocs": {"url": format!("javascript:{MARKER}"), "description": all("docs")},
        "parameters": [
            {"name": all("query"), "in": "query", "type": "string", "required": true,
             "x-ms-summary": all("param summary"), "description": all("param description"),
             "enum": [all("penum")], "x-ms-enum-values": [{"value": all("penum"), "displayName": all("penum name")}],
             "default": all("pdefault"),
             "x-ms-dynamic-values": {"operationId": all("dyn"), "value-path": all("vp")}},
            {"name": "body", "in": "body", "schema": payload_schema()},
        ],
        "responses": {
            "200": {"description": all("response"), "schema": {"$ref": "#/definitions/Payload"}},
            "default": {"description": all("default response")},
        },
    })
}

fn payload_definition() -> Value {
    let metadata: Vec<Value> = bad_urls()
        .into_iter()
        .flat_map(|u| {
            [
                json!({"propertyName": "Website", "propertyValue": u}),
                json!({"propertyName": "Privacy policy", "propertyValue": u}),
            ]
        })
        .chain([json!({"propertyName": "Categories", "propertyValue": all("category")})])
        .collect();
    json!({
        "swagger": "2.0",
        "info": {
            "title": all("Payload"),
            "description": all("info description"),
            "version": all("version"),
            "contact": {"name": all("contact"), "url": format!("javascript:{MARKER}"),
                        "email": format!("\"><script>{MARKER}</script>@x.test")},
            "x-ms-api-annotation": {"status": all("status"), "family": all("family")},
        },
        "host": all("host"),
        "basePath": format!("/{}", all("base")),
        "schemes": [all("scheme")],
        "securityDefinitions": {
            all("security"): {"type": "oauth2", "flow": "accessCode",
                "authorizationUrl": format!("javascript:{MARKER}"),
                "tokenUrl": format!("data:text/html,<script>{MARKER}</script>"),
                "scopes": {all("scope"): all("scope description")}},
        },
        "paths": {
            format!("/{}", all("path")): {
                "get": payload_operation("action"),
                "post": {
                    "operationId": "OnNewPwned",
                    "summary": all("When a trigger"),
                    "description": all("trigger description"),
                    "x-ms-trigger": "single",
                    "x-ms-trigger-hint": all("hint"),
                    "parameters": [{"name": "body", "in": "body", "schema": {"type": "object",
                        "properties": {"callback": {"type": "string", "x-ms-notification-url": true,
                            "x-ms-visibility": "internal"}}, "required": ["callback"]}}],
                    "responses": {"201": {"description": all("created")}},
                },
            },
        },
        "definitions": {"Payload": payload_schema(), all("definition name"): payload_schema()},
        "x-ms-connector-metadata": metadata,
        "x-ms-openai-data": {"is-copilot-enabled": true, "operations": [all("copilot")]},
    })
}

fn properties() -> String {
    MINIMAL_PROPERTIES.to_string()
}

fn payload_properties() -> Value {
    json!({"properties": {
        "publisher": all("publisher"),
        "stackOwner": all("owner"),
        "iconBrandColor": format!("red;background:url(javascript:{MARKER})\"><script>{MARKER}</script>"),
        "capabilities": [all("capability")],
        "connectionParameters": {
            all("conn"): {"type": "securestring", "uiDefinition": {
                "displayName": all("conn name"), "description": all("conn description"),
                "tooltip": all("tooltip"), "constraints": {"required": "true"}}},
        },
        "policyTemplateInstances": [{"templateId": all("policy"), "title": all("policy title"),
            "parameters": {"x-ms-apimTemplate-operationName": [all("action summary")]}}],
        "scriptOperations": [all("script")],
        "publisherWebsite": format!("javascript:{MARKER}"),
    }})
}

/// A readme with raw HTML, unsafe links and images, and relative paths that leave the folder.
fn hostile_readme() -> String {
    let mut md = format!("# {}\n\n{}\n\n", all("Readme"), payloads().join("\n\n"));
    for (i, url) in bad_urls().iter().enumerate() {
        let _ = writeln!(md, "[link {i}]({url}) ![image {i}]({url}) <{url}>");
        let _ = writeln!(md, "<a href=\"{url}\">raw link {i}</a> <img src=\"{url}\">");
        let _ = writeln!(md, "[ref {i}]\n\n[ref {i}]: {url}\n");
    }
    md.push_str(&format!(
        "<a href=\"&#106;avascript:{MARKER}\">entity</a>\n\
         <form action=\"javascript:{MARKER}\"><button formaction=\"javascript:{MARKER}\">go</button>\
         <input autofocus onfocus=\"{MARKER}\"></form>\n\
         <object data=\"javascript:{MARKER}\"></object><embed src=\"javascript:{MARKER}\">\n\
         <style>body{{background:url(javascript:{MARKER})}}</style>\n\
         <meta http-equiv=\"refresh\" content=\"0;url=javascript:{MARKER}\">\n\
         <base href=\"javascript:{MARKER}//\">\n\
         <math><mtext><table><mglyph><style><img src=x onerror=\"{MARKER}\">\n\n\
         ![up](../../../outside/leak.png) ![abs](/etc/passwd) ![enc](..%2f..%2fleak.png)\n\
         ![ok](images/ok.png) ![svg](images/evil.svg)\n\n\
         | <b onclick=\"{MARKER}\">cell</b> | `<script>{MARKER}</script>` |\n|---|---|\n| a | b |\n"
    ));
    md
}

fn payload_connector(repo: &Repo) {
    let dir = "certified-connectors/Payload";
    let pretty = |v: Value| serde_json::to_string_pretty(&v).expect("json");
    repo.file(
        &format!("{dir}/apiDefinition.swagger.json"),
        pretty(payload_definition()),
    )
    .file(
        &format!("{dir}/apiProperties.json"),
        pretty(payload_properties()),
    )
    .file(&format!("{dir}/readme.md"), hostile_readme())
    .file(&format!("{dir}/intro.md"), hostile_readme())
    .file(&format!("{dir}/images/ok.png"), PNG)
    .file(
        &format!("{dir}/images/evil.svg"),
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"{MARKER}\"/>"),
    )
    .file(&format!("{dir}/icon.png"), PNG);
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn odd_names(repo: &Repo) {
    for name in odd_folder_names() {
        let tier = if name.starts_with('C') || name.starts_with('c') {
            "certified-connectors"
        } else {
            "independent-publisher-connectors"
        };
        repo.connector(tier, &name);
        repo.file(
            &format!("{tier}/{name}/apiProperties.json"),
            pretty_props(&name),
        );
    }
    // Two spellings of the same file in one folder.
    repo.connector("custom-connectors", "Twins")
        .file(
            "custom-connectors/Twins/apidefinition.swagger.json",
            minimal_definition("Twins lower"),
        )
        .file("custom-connectors/Twins/README.md", "# Other readme\n");
}

fn pretty_props(name: &str) -> String {
    json!({"properties": {"publisher": name, "stackOwner": name, "iconBrandColor": "#da3b01"}})
        .to_string()
}

/// `$ref` cycles, self references, references that leave the file, and an `allOf` lattice
/// whose naive expansion doubles at every level.
fn cycles(repo: &Repo) {
    let mut defs = serde_json::Map::new();
    defs.insert(
        "A".into(),
        json!({"type": "object", "properties": {"b": {"$ref": "#/definitions/B"}}}),
    );
    defs.insert(
        "B".into(),
        json!({"type": "array", "items": {"$ref": "#/definitions/A"}}),
    );
    defs.insert("Self".into(), json!({"$ref": "#/definitions/Self"}));
    defs.insert(
        "SelfAll".into(),
        json!({"allOf": [{"$ref": "#/definitions/SelfAll"}]}),
    );
    defs.insert(
        "Map".into(),
        json!({"additionalProperties": {"$ref": "#/definitions/Map"}}),
    );
    defs.insert(
        "Outside".into(),
        json!({"$ref": "../../outside/secret.json#/definitions/X"}),
    );
    defs.insert(
        "Url".into(),
        json!({"$ref": "https://example.test/x.json#/y"}),
    );
    defs.insert("Missing".into(), json!({"$ref": "#/definitions/Nope"}));
    for i in 0..40 {
        let next = format!("#/definitions/L{}", i + 1);
        defs.insert(
            format!("L{i}"),
            json!({"allOf": [{"$ref": next}, {"$ref": next}]}),
        );
    }
    defs.insert(
        "L40".into(),
        json!({"type": "object", "properties": {"leaf": {"type": "string"}}}),
    );
    let schema_ref = |name: &str| json!({"$ref": format!("#/definitions/{name}")});
    let ops: serde_json::Map<String, Value> = [
        "A", "Self", "SelfAll", "Map", "Outside", "Url", "Missing", "L0",
    ]
    .iter()
    .map(|name| {
        (
            format!("/{name}"),
            json!({"post": {
                "operationId": format!("Op{name}"), "summary": format!("Op {name}"),
                "parameters": [{"name": "body", "in": "body", "schema": schema_ref(name)},
                               {"$ref": "#/parameters/SelfParam"}, {"$ref": "#/parameters/Nope"}],
                "responses": {"200": {"description": "ok", "schema": schema_ref(name)},
                              "400": {"$ref": "#/responses/Loop"}}}}),
        )
    })
    .collect();
    let def = json!({
        "swagger": "2.0", "info": {"title": "Cycles", "version": "1.0"},
        "host": "cycles.test", "basePath": "/", "schemes": ["https"],
        "parameters": {"SelfParam": {"$ref": "#/parameters/SelfParam"}},
        "responses": {"Loop": {"$ref": "#/responses/Loop2"}, "Loop2": {"$ref": "#/responses/Loop"}},
        "paths": ops, "definitions": defs,
    });
    repo.file(
        "certified-connectors/Cycles/apiDefinition.swagger.json",
        def.to_string(),
    )
    .file(
        "certified-connectors/Cycles/apiProperties.json",
        properties(),
    );
}

/// Nesting 100,000 deep in a definition, in apiProperties.json and in a readme.
fn deep(repo: &Repo) {
    const N: usize = 100_000;
    let dir = "certified-connectors/Deep";
    let arrays = format!("{}{}", "[".repeat(N), "]".repeat(N));
    let objects = format!("{}1{}", "{\"a\":".repeat(N), "}".repeat(N));
    let schemas = format!(
        "{}{{\"type\":\"string\"}}{}",
        "{\"type\":\"array\",\"items\":".repeat(N),
        "}".repeat(N)
    );
    let def = format!(
        "{{\"swagger\":\"2.0\",\"info\":{{\"title\":\"Deep\",\"version\":\"1.0\",\"x-deep\":{arrays}}},\
         \"paths\":{{\"/deep\":{{\"get\":{{\"operationId\":\"Deep\",\"responses\":{{\"200\":{{\"description\":\"ok\",\"schema\":{schemas}}}}}}}}}}},\
         \"definitions\":{{\"D\":{schemas}}},\"x-objects\":{objects}}}"
    );
    let readme = format!(
        "# Deep\n\n{}deep quote\n\n{}deep list\n\n{}{}\n\n{}",
        "> ".repeat(N),
        "- ".repeat(N),
        "<div>".repeat(N),
        "</div>".repeat(N),
        "*[".repeat(N),
    );
    repo.file(&format!("{dir}/apiDefinition.swagger.json"), def)
        .file(
            &format!("{dir}/apiProperties.json"),
            format!("{{\"properties\":{objects}}}"),
        )
        .file(&format!("{dir}/readme.md"), readme);
    // The same depth, well formed (serde_json refuses it; the lenient parser must not recurse).
    repo.file(
        "certified-connectors/DeepValid/apiDefinition.swagger.json",
        format!("{{\"swagger\":\"2.0\",\"info\":{{\"title\":\"DeepValid\",\"version\":\"1\"}},\"definitions\":{{\"D\":{schemas}}}}}"),
    )
    .file("certified-connectors/DeepValid/apiProperties.json", properties());
}

/// Invalid UTF-8, empty files and files cut in the middle.
fn broken_files(repo: &Repo) {
    let good = minimal_definition("Truncated");
    let cut = &good[..good.len() / 2];
    let mut bad_utf8 = minimal_definition("BadBytes").into_bytes();
    let at = bad_utf8
        .windows(5)
        .position(|w| w == b"BadBy")
        .expect("title");
    bad_utf8.splice(at..at, [0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x00]);
    repo.file(
        "certified-connectors/BadBytes/apiDefinition.swagger.json",
        bad_utf8,
    )
    .file(
        "certified-connectors/BadBytes/apiProperties.json",
        b"{\"properties\":{\"publisher\":\"\xff\xfe\x80\"}}",
    )
    .file(
        "certified-connectors/BadBytes/readme.md",
        b"# Bad \xff\xfe bytes\n\n\xc3\x28 \x00 text\n",
    )
    .file("certified-connectors/Empty/apiDefinition.swagger.json", "")
    .file("certified-connectors/Empty/apiProperties.json", "")
    .file("certified-connectors/Empty/readme.md", "")
    .file(
        "certified-connectors/Truncated/apiDefinition.swagger.json",
        cut,
    )
    .file(
        "certified-connectors/Truncated/apiProperties.json",
        "{\"properties\": {\"publ",
    )
    .file(
        "certified-connectors/Truncated/readme.md",
        "# Trunc\n\n<img src=x onerror=\"",
    );
}

/// Links that loop, point at their parent, or leave the tree.
fn symlinks(repo: &Repo, outside: &Path) {
    use std::os::unix::fs::symlink;
    let root = repo.root();
    let dir = root.join("certified-connectors/Links");
    std::fs::create_dir_all(&dir).expect("links dir");
    let link = |target: &Path, at: &Path| symlink(target, at).expect("symlink");
    link(
        &outside.join("secret.json"),
        &dir.join("apiDefinition.swagger.json"),
    );
    link(&outside.join("secret.md"), &dir.join("readme.md"));
    link(outside, &dir.join("images"));
    link(Path::new("."), &dir.join("loop"));
    link(Path::new(".."), &dir.join("up"));
    std::fs::write(dir.join("apiProperties.json"), properties()).expect("props");
    link(
        &outside.join("Escaped"),
        &root.join("certified-connectors/Escaped"),
    );
    link(
        Path::new("../custom-connectors"),
        &root.join("custom-connectors/Cycle"),
    );
    link(
        outside,
        &root.join("independent-publisher-connectors/Outside"),
    );
    // A readme that reaches outside through a linked folder of its own connector.
    repo.connector("custom-connectors", "LinkedImages").file(
        "custom-connectors/LinkedImages/readme.md",
        "# Linked\n\n![leak](images/leak.png) ![up](up/outside/leak.png)\n",
    );
    let linked = root.join("custom-connectors/LinkedImages");
    link(outside, &linked.join("images"));
    link(Path::new("../.."), &linked.join("up"));
}

/// A valid definition of about `bytes` bytes: 300 operations and one definition with very
/// many properties.
pub fn huge_definition(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 4096);
    s.push_str("{\"swagger\":\"2.0\",\"info\":{\"title\":\"Huge\",\"description\":\"A very large definition.\",\"version\":\"1.0\"},");
    s.push_str("\"host\":\"huge.test\",\"basePath\":\"/\",\"schemes\":[\"https\"],\"paths\":{");
    for i in 0..300 {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            s,
            "{sep}\"/op{i}\":{{\"post\":{{\"operationId\":\"Op{i}\",\"summary\":\"Operation {i}\",\
             \"parameters\":[{{\"name\":\"body\",\"in\":\"body\",\"schema\":{{\"$ref\":\"#/definitions/Big\"}}}}],\
             \"responses\":{{\"200\":{{\"description\":\"ok\",\"schema\":{{\"$ref\":\"#/definitions/Big\"}}}}}}}}}}"
        );
    }
    s.push_str("},\"definitions\":{\"Big\":{\"type\":\"object\",\"properties\":{");
    let filler = "x".repeat(200);
    let mut i = 0;
    while s.len() < bytes {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            s,
            "{sep}\"p{i}\":{{\"type\":\"string\",\"description\":\"{filler}\"}}"
        );
        i += 1;
    }
    s.push_str("}}}}");
    s
}

/// One start tag of an HTML page: its name and attributes (values decoded).
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// The text of a `<script>` or `<style>` element.
    pub raw_text: String,
}

/// The start tags of a page, read the way a browser tokenises them (enough for checks:
/// comments, quoted and unquoted values, raw text of script and style).
pub fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let n = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        if n == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        let name = rest[..n].to_ascii_lowercase();
        rest = &rest[n..];
        let mut tag = Tag {
            name,
            attrs: Vec::new(),
            raw_text: String::new(),
        };
        rest = attributes(rest, &mut tag.attrs);
        if tag.name == "script" || tag.name == "style" {
            let close = format!("</{}", tag.name);
            let end = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
            tag.raw_text = rest[..end].to_string();
            rest = &rest[end..];
        }
        out.push(tag);
    }
    out
}

/// Reads attributes up to the end of the tag; returns what follows it.
fn attributes<'h>(mut rest: &'h str, attrs: &mut Vec<(String, String)>) -> &'h str {
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return rest;
        }
        if let Some(after) = rest.strip_prefix('>') {
            return after;
        }
        let n = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(rest.len())
            .max(1);
        let name = rest[..n].to_ascii_lowercase();
        rest = rest[n..].trim_start();
        let mut value = String::new();
        if let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start();
            let (raw, after) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &v[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = v
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(v.len());
                    (&v[..end], &v[end..])
                }
            };
            value = decode_entities(raw);
            rest = after;
        }
        attrs.push((name, value));
    }
}

/// Decodes the character references a browser would decode in an attribute value.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[..e];
            let code = match name.strip_prefix('#') {
                Some(n) => match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                },
                None => match name.to_ascii_lowercase().as_str() {
                    "amp" => Some(38),
                    "quot" => Some(34),
                    "apos" => Some(39),
                    "lt" => Some(60),
                    "gt" => Some(62),
                    "colon" => Some(58),
                    "tab" => Some(9),
                    "newline" => Some(10),
                    _ => None,
                },
            };
            code.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// Attributes whose value a browser loads or navigates to.
const URL_ATTRS: [&str; 10] = [
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
    "srcset",
    "background",
    "cite",
];

/// Everything in a page that could run script: handlers, unsafe URLs, script text from the
/// payloads, frames and objects, `srcdoc`, refresh and base tags, script in style.
pub fn live_script(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in tags(html) {
        if ["iframe", "frame", "object", "embed", "base", "applet"].contains(&tag.name.as_str()) {
            found.push(format!("<{}> element", tag.name));
        }
        if tag.raw_text.contains("pwned") {
            found.push(format!("payload inside <{}>", tag.name));
        }
        for (name, value) in &tag.attrs {
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            let bad_scheme = ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| squeezed.starts_with(s) || squeezed.contains(&format!("url({s}")));
            if name.starts_with("on") {
                found.push(format!("handler {name} on <{}>", tag.name));
            } else if name == "srcdoc" {
                found.push(format!("srcdoc on <{}>", tag.name));
            } else if (URL_ATTRS.contains(&name.as_str()) || name == "style") && bad_scheme {
                found.push(format!("{name}={value:?} on <{}>", tag.name));
            } else if name == "http-equiv" && squeezed == "refresh" {
                found.push("meta refresh".to_string());
            }
        }
    }
    found
}
