//! Exports: `catalog.json`, `connectors.csv` and one JSON file per connector (written by the
//! render stage beside the connector's page, `write_connector`).
//!
//! These are the machine-readable contract of SPEC §3; their shape is stable and their bytes
//! are deterministic (the catalog is sorted, maps keep source order).

use crate::model::{Catalog, Connector};
use crate::output::Staging;
use crate::problem::{Problem, Tally};
use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;

/// The per-connector line of `catalog.json` and `connectors.csv`.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub folder: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub tier: &'static str,
    pub publisher: Option<&'a str>,
    pub stack_owner: Option<&'a str>,
    pub categories: Vec<&'a str>,
    pub auth: Vec<&'static str>,
    pub actions: usize,
    pub triggers: usize,
    pub deprecated_operations: usize,
    pub url: String,
    /// None while a spill holds it: `catalog.json` reads it back (`Catalog::description`).
    pub description: Option<Cow<'a, str>>,
    pub host: Option<&'a str>,
    pub preview: bool,
    pub copilot: bool,
    pub custom_code: bool,
    pub policies: Vec<&'a str>,
    pub source_path: &'a str,
    pub errors: usize,
    pub warnings: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_added: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revisions: Option<usize>,
}

impl<'a> Summary<'a> {
    pub fn of(c: &'a Connector) -> Summary<'a> {
        let tally = Tally::of(&c.problems);
        Summary {
            folder: c.folder(),
            slug: c.slug(),
            title: c.display_title(),
            tier: c.tier.id(),
            publisher: c.about.publisher(),
            stack_owner: c.about.stack_owner(),
            categories: c.about.categories().collect(),
            auth: c.auth_kinds().into_iter().map(|k| k.id()).collect(),
            actions: c.action_count(),
            triggers: c.trigger_count(),
            deprecated_operations: c.deprecated_count(),
            url: connector_url(c),
            description: c.about.description().map(Cow::Borrowed),
            host: c.about.host(),
            preview: c.is_preview(),
            copilot: c.is_copilot_enabled(),
            custom_code: c.has_custom_code(),
            policies: c.policy_templates(),
            source_path: c.path(),
            errors: tally.errors,
            warnings: tally.warnings,
            first_added: c
                .history
                .as_ref()
                .and_then(|h| h.first_added())
                .map(|r| r.date.as_str()),
            last_updated: c
                .history
                .as_ref()
                .and_then(|h| h.last_updated())
                .map(|r| r.date.as_str()),
            revisions: c.history.as_ref().map(|h| h.revisions.len()),
        }
    }
}

/// Site-relative URL of a connector's page.
pub fn connector_url(c: &Connector) -> String {
    format!("connectors/{}/", c.slug())
}

#[derive(Serialize)]
struct CatalogFile<'a> {
    generated_from: &'a crate::model::SourceInfo,
    connectors: Summaries<'a>,
    problems: Vec<&'a Problem>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    retired: &'a [crate::history::Retired],
}

/// Every connector's `Summary`, each made as it is written (with its description, read back
/// from the spill when a spill holds it): collected first, every connector's summary (a
/// struct of about 250 bytes and three small lists each) was held at once. Not measured
/// apart: the export stage was never the build's peak.
struct Summaries<'a>(&'a Catalog);

impl Serialize for Summaries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let catalog = self.0;
        let mut seq = serializer.serialize_seq(Some(catalog.connectors.len()))?;
        for (i, c) in catalog.connectors.iter().enumerate() {
            let mut summary = Summary::of(c);
            summary.description = catalog.description(i).map_err(S::Error::custom)?;
            seq.serialize_element(&summary)?;
        }
        seq.end()
    }
}

/// Writes `catalog.json` to `out`. Streamed: at 50× the real repository the file is 48 MB,
/// and built whole in memory (and grown by doubling) it was the build's peak.
pub fn write_catalog_json(catalog: &Catalog, out: &mut dyn std::io::Write) -> Result<()> {
    let file = CatalogFile {
        generated_from: &catalog.source,
        connectors: Summaries(catalog),
        problems: catalog.all_problems().collect(),
        retired: &catalog.retired,
    };
    Ok(serde_json::to_writer_pretty(out, &file)?)
}

const CSV_COLUMNS: [&str; 22] = [
    "folder",
    "slug",
    "title",
    "tier",
    "publisher",
    "stack_owner",
    "categories",
    "auth",
    "actions",
    "triggers",
    "deprecated_operations",
    "url",
    "host",
    "preview",
    "copilot",
    "custom_code",
    "policies",
    "errors",
    "warnings",
    "first_added",
    "last_updated",
    "revisions",
];

pub fn connectors_csv(catalog: &Catalog) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_COLUMNS.iter().map(|c| c.to_string()));
    for c in &catalog.connectors {
        let s = Summary::of(c);
        push_row(
            &mut out,
            [
                s.folder.to_string(),
                s.slug.to_string(),
                s.title.to_string(),
                s.tier.to_string(),
                s.publisher.unwrap_or_default().to_string(),
                s.stack_owner.unwrap_or_default().to_string(),
                s.categories.join(";"),
                s.auth.join(";"),
                s.actions.to_string(),
                s.triggers.to_string(),
                s.deprecated_operations.to_string(),
                s.url,
                s.host.unwrap_or_default().to_string(),
                s.preview.to_string(),
                s.copilot.to_string(),
                s.custom_code.to_string(),
                s.policies.join(";"),
                s.errors.to_string(),
                s.warnings.to_string(),
                s.first_added.unwrap_or_default().to_string(),
                s.last_updated.unwrap_or_default().to_string(),
                s.revisions.map(|r| r.to_string()).unwrap_or_default(),
            ],
        );
    }
    out
}

fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let mut first = true;
    for cell in cells {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&csv_cell(&cell));
    }
    out.push_str("\r\n");
}

/// RFC 4180 quoting, and a leading `'` on cells a spreadsheet would run as a formula.
pub fn csv_cell(cell: &str) -> String {
    let guarded =
        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
            format!("'{cell}")
        } else {
            cell.to_string()
        };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Writes the catalog-wide exports: `catalog.json` and `connectors.csv`.
pub fn write_summaries(catalog: &Catalog, staging: &Staging) -> Result<()> {
    staging.write_streamed("catalog.json", |out| write_catalog_json(catalog, out))?;
    staging.write("connectors.csv", connectors_csv(catalog))
}

/// Writes one connector's full model (`connectors/<slug>.json`). The render stage calls it
/// beside the connector's page, from the same copy (read back once when it was spilled).
pub fn write_connector(c: &Connector, staging: &Staging) -> Result<()> {
    // The model's JSON is about 60% of the definition's size: reserve that up front rather
    // than growing (and copying) the buffer a dozen times on the large connectors.
    let guess = usize::try_from(c.files().definition_bytes).unwrap_or(0) * 3 / 4 + 4096;
    let mut json = Vec::with_capacity(guess);
    serde_json::to_writer(&mut json, c)?;
    staging.write(&format!("connectors/{}.json", c.slug()), json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formula_safe() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-5"), "-5");
    }
}
