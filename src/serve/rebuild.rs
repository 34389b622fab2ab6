//! Rebuilding what an edit touched. An edit inside a connector folder re-parses that
//! connector only and re-renders its page and its JSON; a content or theme edit re-renders
//! every page without parsing; a new, removed or moved connector folder rebuilds the whole
//! site into a fresh folder that replaces the served one only when complete. An edit that
//! brings a new error-level problem (say, JSON that cannot be recovered) leaves the last good
//! pages served and shows the located errors instead. Lists, exports and the other pages
//! that mention a connector are refreshed in the background once edits pause; the search
//! index and similar lists are refreshed by full rebuilds only.

use super::reload::Shown;
use super::watch::Change;
use super::Shared;
use crate::discover;
use crate::export;
use crate::model::{Catalog, Connector, Tier};
use crate::output::Staging;
use crate::problem::Severity;
use crate::quality;
use crate::render::{self, Prepared};
use crate::similar::Neighbours;
use crate::site::{Site, Verbosity};
use crate::source::{self, Opened};
use crate::spill::Memory;
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Edits closer together than this are one batch.
const QUIET: Duration = Duration::from_millis(8);
/// A batch is handled after this at the latest, even while edits keep coming.
const MAX_BATCH: Duration = Duration::from_millis(100);
/// Pause after which the pages that list connectors are refreshed.
const REFRESH_AFTER: Duration = Duration::from_millis(1500);
/// Key of `broken` for errors of the theme or content.
const SITE_KEY: &str = "";

/// The catalog being served and what a rebuild needs to update it.
pub struct Rebuilder {
    site: Site,
    work: PathBuf,
    generation: u32,
    catalog: Catalog,
    similar: Neighbours,
    /// Located errors of broken edits, by connector path (`SITE_KEY` for theme or content).
    broken: BTreeMap<String, Vec<Shown>>,
    /// Lists and exports lag behind an incremental rebuild.
    stale: bool,
    /// Theme and content, loaded again after an edit to either.
    prepared: Option<Prepared>,
}

/// What one batch of edits did.
enum Outcome {
    /// Pages were rewritten: reload.
    Rendered(String),
    /// Nothing new to show (a broken edit, or nothing that matters).
    Unchanged,
}

impl Rebuilder {
    /// Builds the whole site once, into `site.out`, with the catalog in memory whatever
    /// `site.memory` says: a rebuild of one connector starts from the whole catalog kept
    /// here, and its incremental export reads `catalog.connectors` directly.
    pub fn start(mut site: Site, work: PathBuf) -> Result<Rebuilder> {
        site.memory = Memory::Full;
        let kept = site.build_kept(false, Verbosity::Quiet)?;
        println!(
            "Built {} connectors in {:.2} s ({} errors, {} warnings)",
            kept.report.connectors,
            kept.report.elapsed.as_secs_f64(),
            kept.report.problems.errors,
            kept.report.problems.warnings
        );
        Ok(Rebuilder {
            site,
            work,
            generation: 0,
            catalog: kept.catalog,
            similar: kept.similar,
            broken: BTreeMap::new(),
            stale: false,
            prepared: None,
        })
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The folder the site is in now.
    pub fn root(&self) -> PathBuf {
        self.site.out.clone()
    }

    /// Handles batches of edits until the watcher stops.
    pub fn run(mut self, changes: Receiver<Vec<Change>>, shared: &Shared) {
        loop {
            let first = match changes.recv_timeout(REFRESH_AFTER) {
                Ok(first) => first,
                Err(RecvTimeoutError::Timeout) => {
                    self.refresh_if_stale();
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let batch = collect(first, &changes);
            let handled = panic::catch_unwind(AssertUnwindSafe(|| self.apply(&batch, shared)));
            if handled.is_err() {
                eprintln!(
                    "serve: the rebuild failed unexpectedly; the last good site stays served"
                );
            }
        }
    }

    /// Rebuilds for one batch, then tells the pages (problems first, then reload).
    pub fn apply(&mut self, batch: &BTreeSet<Change>, shared: &Shared) {
        let started = Instant::now();
        let outcome = self.rebuild(batch);
        let took = started.elapsed().as_secs_f64() * 1000.0;
        let shown: Vec<Shown> = self.broken.values().flatten().cloned().collect();
        shared.hub.problems(&shown);
        match outcome {
            Ok(Outcome::Rendered(what)) => {
                let now = self.root().canonicalize().unwrap_or_else(|_| self.root());
                let old = shared.root();
                if now != old {
                    // A full rebuild went to a new folder: serve it, then drop the old one.
                    shared.set_root(now);
                    let _ = std::fs::remove_dir_all(old);
                }
                eprintln!("serve: {what} re-rendered in {took:.1} ms");
                shared.hub.reload(&what);
            }
            Ok(Outcome::Unchanged) if !shown.is_empty() => {
                eprintln!("serve: the edit is broken; the last good pages stay served");
                for p in &shown {
                    eprintln!(
                        "  {}:{}:{} {} {}",
                        p.path, p.line, p.column, p.rule, p.message
                    );
                }
            }
            Ok(Outcome::Unchanged) => {}
            Err(e) => eprintln!("serve: rebuild failed: {e:#}"),
        }
    }

    fn rebuild(&mut self, batch: &BTreeSet<Change>) -> Result<Outcome> {
        let source: BTreeSet<&str> = batch
            .iter()
            .filter_map(|c| match c {
                Change::Source(rel) => Some(rel.as_str()),
                Change::Site(_) => None,
            })
            .collect();
        let site_edit = batch.iter().any(|c| matches!(c, Change::Site(_)));
        if site_edit {
            self.prepared = None;
        }
        let opened = self.site.open_source()?;
        let mut outcome = Outcome::Unchanged;
        if !source.is_empty() {
            outcome = match self.connectors(&opened, &source)? {
                Some(outcome) => outcome,
                None => return self.guard(SITE_KEY, |r| r.full()),
            };
        }
        if site_edit {
            outcome = self.guard(SITE_KEY, |r| r.render_all(&opened))?;
        }
        Ok(outcome)
    }

    /// Runs a whole-site step; its error becomes the overlay instead of failing.
    fn guard(
        &mut self,
        key: &str,
        step: impl FnOnce(&mut Rebuilder) -> Result<()>,
    ) -> Result<Outcome> {
        match step(self) {
            Ok(()) => {
                self.broken.remove(key);
                Ok(Outcome::Rendered("the whole site".into()))
            }
            Err(e) => {
                let shown = Shown {
                    path: "site".into(),
                    line: 0,
                    column: 0,
                    rule: "build".into(),
                    message: format!("{e:#}"),
                };
                self.broken.insert(key.to_string(), vec![shown]);
                Ok(Outcome::Unchanged)
            }
        }
    }

    /// Re-parses and re-renders the connectors edited; `None` when the edit adds, removes
    /// or moves a connector folder (a full rebuild).
    fn connectors(&mut self, opened: &Opened, edited: &BTreeSet<&str>) -> Result<Option<Outcome>> {
        let mut which = BTreeSet::new();
        for rel in edited {
            let rel = source::join(&opened.start, rel);
            match self.catalog.connectors.iter().position(|c| holds(c, &rel)) {
                Some(i) => which.insert(i),
                None if may_be_a_connector(&rel) => return Ok(None),
                None => false,
            };
        }
        let started = Instant::now();
        let mut good = Vec::new();
        for i in which {
            let Some(new) = self.reparse(opened, &self.catalog.connectors[i]) else {
                return Ok(None);
            };
            let old = &self.catalog.connectors[i];
            let broken = newly_broken(old, &new);
            if broken.is_empty() {
                self.broken.remove(old.path());
                // Its operations may have moved: what they share with other connectors is
                // found again by the next full rebuild, never shown against the wrong one.
                self.similar
                    .forget_operations_of(i, new.details().operations.len());
                self.catalog.connectors[i] = new;
                good.push(i);
            } else {
                self.broken.insert(old.path().to_string(), broken);
            }
        }
        if good.is_empty() {
            return Ok(Some(Outcome::Unchanged));
        }
        let parsed = started.elapsed();
        self.render_some(opened, &good)?;
        self.stale = true;
        let slugs: Vec<String> = good
            .iter()
            .map(|&i| format!("connectors/{}/", self.catalog.connectors[i].slug()))
            .collect();
        Ok(Some(Outcome::Rendered(format!(
            "{} (parse {:.1} ms, render and write {:.1} ms)",
            slugs.join(", "),
            parsed.as_secs_f64() * 1000.0,
            (started.elapsed() - parsed).as_secs_f64() * 1000.0
        ))))
    }

    /// The connector's folder parsed again, or `None` when it is no longer a connector.
    fn reparse(&self, opened: &Opened, old: &Connector) -> Option<Connector> {
        let tree = opened.tree.as_ref();
        let default_tier = Tier::from_id(&self.site.config.default_tier).unwrap_or(Tier::Custom);
        let found = discover::discover(tree, old.path(), opened.root_name.as_deref(), default_tier);
        let found = found.folders.into_iter().find(|f| f.rel() == old.path())?;
        let mut new = quality::read(&found, tree, &self.site.config.lint);
        new.set_slug(old.slug());
        new.history = old.history.clone();
        Some(new)
    }

    /// The theme and content, loaded on first use after an edit to them.
    fn prepared(&mut self) -> Result<()> {
        if self.prepared.is_none() {
            self.prepared = Some(Prepared::load(&self.site.config, &self.site.theme_dirs())?);
        }
        Ok(())
    }

    fn input<'a>(&'a self, opened: &'a Opened) -> render::Input<'a> {
        render::Input {
            catalog: &self.catalog,
            similar: &self.similar,
            config: &self.site.config,
            tree: opened.tree.as_ref(),
        }
    }

    /// Renders the pages and JSON of the connectors at `which` into the served folder.
    fn render_some(&mut self, opened: &Opened, which: &[usize]) -> Result<()> {
        self.prepared()?;
        let prepared = self.prepared.as_ref().context("theme")?;
        let root = self.root();
        let staging = Staging::new(&root)?;
        let input = self.input(opened);
        render::render_connectors(&input, prepared, &staging, which)?;
        merge(staging.dir(), &root)?;
        for &i in which {
            remove_stale_pages(&root, &self.catalog.connectors[i]);
        }
        Ok(())
    }

    /// Every page and export again from the catalog in memory (no parsing).
    fn render_all(&mut self, opened: &Opened) -> Result<()> {
        let root = self.root();
        let staging = Staging::new(&root)?;
        export::write_summaries(&self.catalog, &staging)?;
        self.site
            .render(&self.catalog, &self.similar, opened.tree.as_ref(), &staging)?;
        merge(staging.dir(), &root)?;
        self.stale = false;
        Ok(())
    }

    /// The pages that list connectors, and the exports, from the catalog in memory.
    fn render_lists(&mut self, opened: &Opened) -> Result<()> {
        self.prepared()?;
        let prepared = self.prepared.as_ref().context("theme")?;
        let root = self.root();
        let staging = Staging::new(&root)?;
        export::write_summaries(&self.catalog, &staging)?;
        let input = self.input(opened);
        render::render_lists(&input, prepared, &staging)?;
        let gone = stale_list_pages(staging.dir(), &root);
        merge(staging.dir(), &root)?;
        for path in gone {
            // Best effort: a page left behind is unlinked, and the next full build drops it.
            let _ = std::fs::remove_file(path);
        }
        self.stale = false;
        Ok(())
    }

    /// Brings lists and exports up to date after incremental rebuilds (no reload needed).
    fn refresh_if_stale(&mut self) {
        if !self.stale {
            return;
        }
        let started = Instant::now();
        let result = self.site.open_source().and_then(|o| self.render_lists(&o));
        match result {
            Ok(()) => eprintln!(
                "serve: lists and exports refreshed in {:.0} ms",
                started.elapsed().as_secs_f64() * 1000.0
            ),
            Err(e) => {
                self.stale = false;
                eprintln!("serve: refresh failed: {e:#}");
            }
        }
    }

    /// Builds the whole site into a new folder; the caller switches to it.
    fn full(&mut self) -> Result<()> {
        let mut next = Site {
            config: self.site.config.clone(),
            source: self.site.source.clone(),
            rev: self.site.rev.clone(),
            out: self.work.join(format!("gen-{}", self.generation + 1)),
            base_dir: self.site.base_dir.clone(),
            memory: self.site.memory,
        };
        let kept = next.build_kept(false, Verbosity::Quiet)?;
        self.generation += 1;
        std::mem::swap(&mut self.site, &mut next);
        self.catalog = kept.catalog;
        self.similar = kept.similar;
        self.stale = false;
        self.broken.retain(|k, _| k == SITE_KEY);
        Ok(())
    }
}

/// Does connector `c` hold the source path `rel`?
fn holds(c: &Connector, rel: &str) -> bool {
    rel == c.path()
        || rel
            .strip_prefix(c.path())
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Could a path outside every known connector add or remove one? A folder (no extension)
/// or a JSON file can; a stray readme or licence at the top of the repository cannot.
fn may_be_a_connector(rel: &str) -> bool {
    let name = source::base_name(rel).to_ascii_lowercase();
    !name.contains('.') || name.ends_with(".json")
}

/// Error-level problems of `new` of a kind (file and rule) that `old` did not have: what
/// makes an edit broken. Errors the connector already had do not block its page.
pub fn newly_broken(old: &Connector, new: &Connector) -> Vec<Shown> {
    let known: BTreeSet<(&str, &str)> = old
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.path.as_str(), p.rule))
        .collect();
    new.problems
        .iter()
        .filter(|p| p.severity == Severity::Error && !known.contains(&(p.path.as_str(), p.rule)))
        .map(Shown::from)
        .collect()
}

/// Waits for the edits that come right after `first`, so one save is one rebuild.
fn collect(first: Vec<Change>, changes: &Receiver<Vec<Change>>) -> BTreeSet<Change> {
    let mut all: BTreeSet<Change> = first.into_iter().collect();
    let started = Instant::now();
    while started.elapsed() < MAX_BATCH {
        match changes.recv_timeout(QUIET) {
            Ok(more) => all.extend(more),
            Err(_) => break,
        }
    }
    all
}

/// Moves every file of `from` to the same place under `to`; each rename is atomic, so a
/// request sees the old file or the new one, never half of one.
/// The pages of long lists (`page-N.html`) and the `list.json` that the served site has but a
/// fresh render of its lists (`from`) no longer writes, because a list got shorter: merged
/// over, they would linger as unlinked copies of old rows.
fn stale_list_pages(from: &Path, to: &Path) -> Vec<PathBuf> {
    let walk = walkdir::WalkDir::new(to).max_depth(3).sort_by_file_name();
    walk.into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            let page = name
                .strip_prefix("page-")
                .and_then(|n| n.strip_suffix(".html"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            page || (e.depth() == 1 && name == render::LIST_JSON)
        })
        .filter_map(|e| {
            let rel = e.path().strip_prefix(to).ok()?;
            let folder = from.join(rel.parent()?);
            let rendered = folder.join("index.html").is_file();
            (rendered && !from.join(rel).exists()).then(|| e.path().to_path_buf())
        })
        .collect()
}

fn merge(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(from)?;
        let dest = to.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::rename(entry.path(), &dest)
            .with_context(|| format!("cannot update {}", dest.display()))?;
    }
    Ok(())
}

/// Removes the pages of operations a connector no longer has (an edit that left it fewer
/// operations), which the merge of its new pages leaves behind.
fn remove_stale_pages(root: &Path, c: &Connector) {
    let dir = root.join("connectors").join(c.slug());
    let last = crate::model::order::last_page(&c.details().operations);
    for page in last + 1.. {
        let file = dir.join(crate::model::order::page_file(page));
        if std::fs::remove_file(&file).is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_keeps_its_catalog_in_memory_even_when_asked_to_spill() {
        let work = tempfile::tempdir().expect("tempdir");
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample-repo");
        let overrides = crate::site::Overrides {
            source: Some(sample.to_string_lossy().into_owned()),
            out: Some(work.path().join("gen-0")),
            no_history: true,
            memory: Memory::Low,
            ..Default::default()
        };
        let site = Site::load(None, overrides).expect("site");
        let rebuilder = Rebuilder::start(site, work.path().to_path_buf()).expect("start");
        assert!(rebuilder.catalog.spilled.is_none());
        assert!(rebuilder.catalog.connectors.iter().any(|c| c
            .details()
            .operations
            .iter()
            .any(|o| !o.parameters.is_empty())));
        assert_eq!(rebuilder.site.memory, Memory::Full);
    }

    #[test]
    fn only_folders_and_json_files_outside_connectors_rebuild_everything() {
        assert!(may_be_a_connector("certified-connectors/New One"));
        assert!(may_be_a_connector(
            "certified-connectors/New/apiProperties.json"
        ));
        assert!(!may_be_a_connector("README.md"));
        assert!(!may_be_a_connector("LICENSE.txt"));
    }

    #[test]
    fn list_pages_a_shorter_list_no_longer_has_are_found() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (from, to) = (tmp.path().join("from"), tmp.path().join("to"));
        let write = |dir: &Path, rel: &str| {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "x").expect("write");
        };
        for rel in [
            "index.html",
            "list.json",
            "connectors/index.html",
            "connectors/page-2.html",
            "connectors/page-3.html",
            "connectors/page-x.html",
            "tiers/custom/index.html",
            "tiers/custom/page-2.html",
            "tiers/gone/page-2.html",
        ] {
            write(&to, rel);
        }
        // The new render: the list is down to two pages, fits without list.json, and the
        // custom tier fits on one page; `tiers/gone` was not rendered at all.
        for rel in [
            "index.html",
            "connectors/index.html",
            "connectors/page-2.html",
            "tiers/custom/index.html",
        ] {
            write(&from, rel);
        }
        let stale: Vec<String> = stale_list_pages(&from, &to)
            .iter()
            .map(|p| p.strip_prefix(&to).expect("inside").display().to_string())
            .collect();
        assert_eq!(
            stale,
            [
                "connectors/page-3.html",
                "list.json",
                "tiers/custom/page-2.html"
            ]
        );
    }

    #[test]
    fn merged_files_replace_the_served_ones() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (from, to) = (tmp.path().join("from"), tmp.path().join("to"));
        std::fs::create_dir_all(from.join("connectors/a")).expect("mkdir");
        std::fs::create_dir_all(to.join("connectors/b")).expect("mkdir");
        std::fs::write(from.join("connectors/a/index.html"), "new").expect("w");
        std::fs::write(to.join("connectors/b/index.html"), "kept").expect("w");
        merge(&from, &to).expect("merge");
        let read = |p: &str| std::fs::read_to_string(to.join(p)).expect("read");
        assert_eq!(read("connectors/a/index.html"), "new");
        assert_eq!(read("connectors/b/index.html"), "kept");
    }
}
