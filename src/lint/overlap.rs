//! Overlap with existing connectors (`check --against DIR`): X001 same host or stack owner,
//! X002 operations that overlap most, with the overlapping operations named.
//!
//! DIR is a built site (its `catalog.json` and `connectors/<slug>.json` models are read back)
//! or a connector repository (parsed like a build does). Findings are info-level: overlap is
//! something to look at before publishing, not an error.

use crate::config::Config;
use crate::lint::context::{Findings, Subject};
use crate::model::Connector;
use crate::similar::host_key;
use crate::site::{Site, Stages, Verbosity};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::Path;

/// Most connectors named per finding kind.
const MAX_NAMED: usize = 8;
/// Most overlapping connectors reported.
const MAX_OVERLAPS: usize = 5;

/// Loads the connectors of a built site or a repository.
pub fn load(dir: &Path, config: &Config) -> Result<Vec<Connector>> {
    if !dir.is_dir() {
        bail!("--against {}: not a folder", dir.display());
    }
    if dir.join("catalog.json").is_file() {
        return load_site(dir);
    }
    let site = Site {
        config: config.clone(),
        source: dir.display().to_string(),
        rev: None,
        out: dir.join(".switchyard-unused"),
        base_dir: dir.to_path_buf(),
        memory: crate::spill::Memory::Full,
    };
    let catalog = site.load_catalog(&mut Stages::new(Verbosity::Quiet))?;
    Ok(catalog.connectors)
}

#[derive(Deserialize)]
struct CatalogFile {
    connectors: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    slug: String,
}

/// Reads a built site's models back; a model that does not read is skipped with a warning.
fn load_site(dir: &Path) -> Result<Vec<Connector>> {
    let path = dir.join("catalog.json");
    let text = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let catalog: CatalogFile = serde_json::from_slice(&text)
        .with_context(|| format!("{} is not a switchyard catalog", path.display()))?;
    let mut out = Vec::with_capacity(catalog.connectors.len());
    for entry in catalog.connectors {
        let file = dir.join("connectors").join(format!("{}.json", entry.slug));
        let model = std::fs::read(&file)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| Ok(serde_json::from_slice::<Connector>(&bytes)?));
        match model {
            Ok(c) => out.push(c),
            Err(e) => eprintln!("warning: skipped {}: {e}", file.display()),
        }
    }
    Ok(out)
}

/// Whether `other` is the connector being checked (the catalog may hold it).
fn is_same(target: &Connector, other: &Connector) -> bool {
    target.tier == other.tier && target.folder() == other.folder()
}

fn describe(c: &Connector) -> String {
    format!(
        "\"{}\" ({}, `{}`)",
        c.display_title(),
        c.tier.label().to_lowercase(),
        c.path()
    )
}

pub fn check(s: &Subject, out: &mut Findings) {
    let (Some(index), Some(target)) = (s.against, s.model) else {
        return;
    };
    same_host(target, index.connectors(), out);
    same_owner(target, index.connectors(), out);
    let skip = |c: &Connector| is_same(target, c);
    for similar in index.query(target, MAX_OVERLAPS, &skip) {
        let Some(other) = index.connectors().get(similar.index) else {
            continue;
        };
        if similar.shared.is_empty() {
            continue;
        }
        out.def(
            "X002",
            "/paths",
            format!(
                "{} overlaps with this connector (score {:.2}): {}",
                describe(other),
                similar.score,
                similar.shared_titles(target).collect::<Vec<_>>().join("; ")
            ),
        )
        .key();
    }
}

fn same_host(target: &Connector, catalog: &[Connector], out: &mut Findings) {
    let Some(host) = host_key(target) else {
        return;
    };
    let matches: Vec<&Connector> = catalog
        .iter()
        .filter(|c| !is_same(target, c) && host_key(c).as_deref() == Some(host.as_str()))
        .collect();
    for c in matches.iter().take(MAX_NAMED) {
        out.def(
            "X001",
            "/host",
            format!("{} uses the same host `{host}`", describe(c)),
        );
    }
    if matches.len() > MAX_NAMED {
        out.def(
            "X001",
            "/host",
            format!(
                "{} more connectors use the host `{host}`",
                matches.len() - MAX_NAMED
            ),
        );
    }
}

fn same_owner(target: &Connector, catalog: &[Connector], out: &mut Findings) {
    let Some(owner) = target
        .about
        .stack_owner()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    else {
        return;
    };
    let matches: Vec<&Connector> = catalog
        .iter()
        .filter(|c| {
            !is_same(target, c)
                && c.about
                    .stack_owner()
                    .is_some_and(|o| o.trim().eq_ignore_ascii_case(owner))
        })
        .collect();
    if matches.is_empty() {
        return;
    }
    let mut names: Vec<String> = matches
        .iter()
        .take(MAX_NAMED)
        .map(|c| describe(c))
        .collect();
    if matches.len() > MAX_NAMED {
        names.push(format!("and {} more", matches.len() - MAX_NAMED));
    }
    out.props(
        "X001",
        "/properties/stackOwner",
        format!(
            "{} existing connector(s) have the stack owner `{owner}`: {}",
            matches.len(),
            names.join(", ")
        ),
    );
}

#[cfg(test)]
mod tests;
