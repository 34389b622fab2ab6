//! Info and metadata rules (M001–M009): title, description, contact, connector metadata,
//! categories, publisher, brand colour, host and release status.
//!
//! They read the definition's `info` and `x-ms-connector-metadata` and apiProperties as
//! written, because the model normalises exactly the spellings these rules report.

use crate::lint::context::{Findings, Subject};
use crate::lint::spelling;
use crate::lint::walk;
use crate::model::Tier;
use crate::parse::normalize::CATEGORIES;
use crate::problem::Severity;
use serde_json::Value;

const MAX_TITLE: usize = 30;
const DESCRIPTION: std::ops::RangeInclusive<usize> = 30..=500;
const METADATA_NAMES: [&str; 3] = ["Website", "Privacy policy", "Categories"];
const PRODUCT_NAMES: [&str; 10] = [
    "power apps",
    "powerapps",
    "power automate",
    "power bi",
    "power pages",
    "power platform",
    "power virtual agents",
    "copilot studio",
    "microsoft flow",
    "logic apps",
];
const INDEPENDENT_COLOUR: &str = "#da3b01";
const RESERVED_COLOURS: [&str; 2] = ["#007ee5", "#ffffff"];

pub fn check(s: &Subject, out: &mut Findings) {
    if s.has_definition() {
        title(s, out);
        description(s, out);
        contact(s, out);
        connector_metadata(s, out);
        host(s, out);
        status(s, out);
    }
    if s.props().is_object() {
        publisher(s, out);
        brand_colour(s, out);
    }
}

/// Custom connectors are not certified: certification requirements are warnings for them.
fn relax(s: &Subject, p: &mut crate::lint::context::Pending) {
    if s.tier() == Tier::Custom {
        p.severity(Severity::Warning);
    }
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    crate::parse::pointer::lookup(v, pointer).and_then(Value::as_str)
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Ends in a letter or digit; a closing bracket after one (`(Preview)`) is accepted.
pub fn ends_alphanumeric(text: &str) -> bool {
    let t = text.trim_end();
    let t = t.strip_suffix(')').unwrap_or(t);
    t.chars().last().is_some_and(char::is_alphanumeric)
}

fn title(s: &Subject, out: &mut Findings) {
    let Some(title) = str_at(s.def(), "/info/title")
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        out.def("M001", "/info/title", "`info.title` is missing");
        return;
    };
    let len = title.chars().count();
    if len > MAX_TITLE {
        out.def(
            "M001",
            "/info/title",
            format!("title is {len} characters, over {MAX_TITLE}"),
        );
    }
    let banned =
        words(title).filter(|w| matches!(w.as_str(), "api" | "apis" | "connector" | "connectors"));
    for word in banned {
        out.def("M001", "/info/title", format!("title contains \"{word}\""))
            .help(
                "drop \"API\" and \"Connector\" from the title: every entry in the catalog is one",
            );
    }
    let lower = title.to_lowercase();
    if let Some(product) = PRODUCT_NAMES.iter().find(|p| lower.contains(*p)) {
        out.def(
            "M001",
            "/info/title",
            format!("title contains the product name \"{product}\""),
        );
    }
    if !ends_alphanumeric(title) {
        out.def(
            "M001",
            "/info/title",
            "title does not end with a letter or digit",
        );
    }
}

fn description(s: &Subject, out: &mut Findings) {
    let def = s.def();
    let Some(text) = str_at(def, "/info/description")
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        out.def("M002", "/info/description", "`info.description` is missing");
        return;
    };
    let len = text.chars().count();
    if !DESCRIPTION.contains(&len) {
        out.def(
            "M002",
            "/info/description",
            format!("description is {len} characters; it must be 30 to 500"),
        );
    }
    let title = str_at(def, "/info/title").unwrap_or("").trim();
    if text.eq_ignore_ascii_case(title) {
        out.def(
            "M002",
            "/info/description",
            "description is the same as the title",
        );
    }
}

fn contact(s: &Subject, out: &mut Findings) {
    let Some(contact) = s.def().pointer("/info/contact").and_then(Value::as_object) else {
        let p = out.def("M003", "/info/contact", "`info.contact` is missing");
        relax(s, p);
        return;
    };
    for field in ["name", "url", "email"] {
        let present = contact
            .get(field)
            .and_then(Value::as_str)
            .is_some_and(|v| !v.trim().is_empty());
        if !present {
            let p = out.def(
                "M003",
                "/info/contact",
                format!("`info.contact` has no `{field}`"),
            );
            relax(s, p);
        }
    }
    if let Some(email) = contact
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| !e.trim().is_empty())
    {
        if !valid_email(email.trim()) {
            let p = out.def(
                "M003",
                "/info/contact/email",
                format!("`{email}` is not a valid e-mail address"),
            );
            relax(s, p);
        }
    }
    if let Some(url) = contact
        .get("url")
        .and_then(Value::as_str)
        .filter(|u| !u.trim().is_empty())
    {
        let u = url.trim().to_ascii_lowercase();
        if !(u.starts_with("https://") || u.starts_with("http://")) {
            let p = out.def(
                "M003",
                "/info/contact/url",
                format!("`{url}` is not an http(s) URL"),
            );
            relax(s, p);
        }
    }
}

/// `local@domain.tld`, without spaces, one `@`, a dot in the domain.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !email.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

fn connector_metadata(s: &Subject, out: &mut Findings) {
    let Some(entries) = s
        .def()
        .get("x-ms-connector-metadata")
        .and_then(Value::as_array)
    else {
        let p = out.def(
            "M004",
            "",
            "no `x-ms-connector-metadata` (Website, Privacy policy, Categories)",
        );
        relax(s, p);
        return;
    };
    let mut seen: Vec<&str> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("/x-ms-connector-metadata/{i}");
        let Some(name) = entry.get("propertyName").and_then(Value::as_str) else {
            out.def("M004", at, "metadata entry without a `propertyName`");
            continue;
        };
        seen.extend(metadata_name(name, &format!("{at}/propertyName"), out));
        if name.trim().eq_ignore_ascii_case("Categories") {
            if let Some(value) = entry.get("propertyValue").and_then(Value::as_str) {
                categories(value, &format!("{at}/propertyValue"), out);
            }
        }
    }
    metadata_presence(s, &seen, out);
}

/// The metadata property a `propertyName` means; a wrong spelling is reported (M004).
fn metadata_name(name: &str, at: &str, out: &mut Findings) -> Option<&'static str> {
    let known = METADATA_NAMES
        .iter()
        .find(|n| n.eq_ignore_ascii_case(name.trim()));
    if let Some(known) = known {
        if *known != name {
            out.def("M004", at, format!("`{name}` is spelled `{known}`"))
                .help(format!("did you mean `{known}`?"));
        }
        return Some(known);
    }
    const FOLDED: [&str; 3] = ["website", "privacypolicy", "categories"];
    let folded: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let p = out.def("M004", at, format!("unknown metadata property `{name}`"));
    let hint = spelling::closest(&folded, &FOLDED, 2)
        .and_then(|h| FOLDED.iter().position(|f| *f == h))
        .and_then(|i| METADATA_NAMES.get(i).copied());
    if let Some(meant) = hint {
        p.help(format!("did you mean `{meant}`?"));
    }
    hint
}

/// Each of the three metadata properties is given exactly once (M004).
fn metadata_presence(s: &Subject, seen: &[&str], out: &mut Findings) {
    for name in METADATA_NAMES {
        match seen.iter().filter(|n| **n == name).count() {
            0 => {
                let p = out.def(
                    "M004",
                    "/x-ms-connector-metadata",
                    format!("no `{name}` entry"),
                );
                relax(s, p);
            }
            1 => {}
            n => {
                out.def(
                    "M004",
                    "/x-ms-connector-metadata",
                    format!("`{name}` is given {n} times"),
                );
            }
        }
    }
}

fn categories(value: &str, pointer: &str, out: &mut Findings) {
    let names: Vec<&str> = value
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if names.is_empty() {
        out.def("M005", pointer, "no category given");
    }
    if names.len() > 2 {
        out.def(
            "M005",
            pointer,
            format!("{} categories; at most 2 are allowed", names.len()),
        );
    }
    for name in names {
        match CATEGORIES.iter().find(|c| c.eq_ignore_ascii_case(name)) {
            Some(known) if *known == name => {}
            Some(known) => {
                out.def(
                    "M005",
                    pointer,
                    format!("category `{name}` is spelled `{known}`"),
                )
                .help(format!("did you mean `{known}`?"));
            }
            None => {
                let p = out.def(
                    "M005",
                    pointer,
                    format!("`{name}` is not one of the 19 categories"),
                );
                let lower: Vec<String> = CATEGORIES.iter().map(|c| c.to_lowercase()).collect();
                let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
                if let Some(hint) = spelling::closest(&name.to_lowercase(), &refs, 3) {
                    if let Some(i) = refs.iter().position(|r| *r == hint) {
                        p.help(format!("did you mean `{}`?", CATEGORIES[i]));
                    }
                }
            }
        }
    }
}

fn publisher(s: &Subject, out: &mut Findings) {
    for (key, pointer) in [
        ("publisher", "/properties/publisher"),
        ("stackOwner", "/properties/stackOwner"),
    ] {
        let present = str_at(s.props(), pointer).is_some_and(|v| !v.trim().is_empty());
        if !present {
            let p = out.props("M006", pointer, format!("`properties.{key}` is missing"));
            relax(s, p);
        }
    }
}

fn brand_colour(s: &Subject, out: &mut Findings) {
    let pointer = "/properties/iconBrandColor";
    let colour = str_at(s.props(), pointer).map(str::trim).unwrap_or("");
    match s.tier() {
        Tier::IndependentPublisher if !colour.eq_ignore_ascii_case(INDEPENDENT_COLOUR) => {
            out.props(
                "M007",
                pointer,
                format!("independent publishers use the brand colour `{INDEPENDENT_COLOUR}`, not `{colour}`"),
            );
        }
        Tier::Certified if colour.is_empty() => {
            out.props(
                "M007",
                pointer,
                "certified connector without a brand colour (`iconBrandColor`)",
            );
        }
        Tier::Certified
            if RESERVED_COLOURS
                .iter()
                .any(|c| c.eq_ignore_ascii_case(colour)) =>
        {
            out.props(
                "M007",
                pointer,
                format!("`{colour}` is reserved; use the brand's own colour"),
            );
        }
        _ => {}
    }
}

fn host(s: &Subject, out: &mut Findings) {
    let def = s.def();
    if let Some(host) = def.get("host").and_then(Value::as_str) {
        let bad = host.contains("://")
            || host.contains('/')
            || host.contains(char::is_whitespace)
            || host.is_empty();
        if bad {
            out.def("M008", "/host", format!("`{host}` is not a bare host name"))
                .help("write the host alone (`api.example.com`); the scheme goes in `schemes`, the path in `basePath`");
        }
    }
    let schemes = def.get("schemes").and_then(Value::as_array);
    if schemes.is_none_or(Vec::is_empty) {
        out.def("M008", "/schemes", "`schemes` is missing or empty")
            .help("add `\"schemes\": [\"https\"]`");
    }
    if let Some(base) = def.get("basePath").and_then(Value::as_str) {
        if !base.starts_with('/') {
            out.def(
                "M008",
                "/basePath",
                format!("`basePath` `{base}` does not start with `/`"),
            );
        }
    }
}

/// Release status of the connector and its operations is a known value (casing: V007).
fn status(s: &Subject, out: &mut Findings) {
    for (pointer, value) in walk::statuses(s.def(), &s.ops) {
        let text = value.as_str().unwrap_or("").trim();
        if !["Preview", "Production"]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(text))
        {
            out.def(
                "M009",
                &pointer,
                format!("status {value} is neither `Preview` nor `Production`"),
            );
        }
    }
}

#[cfg(test)]
mod tests;
