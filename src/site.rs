//! The build, as a flat list of stages: config → discover → parse+lint (each folder read
//! once) → history → changelog → index, beside similar → export → render → write (a
//! spilled build runs similar first, then the index beside the rest).
//! `Site::load` resolves configuration; `Site::build` runs the stages and returns a report.
//! Each stage is a module named after it.

use crate::config::{self, Config};
use crate::discover;
use crate::export;
use crate::history;
use crate::index;
use crate::model::{Catalog, SourceInfo, Tier};
use crate::output::Staging;
use crate::problem::Tally;
use crate::quality;
use crate::render::{self, RenderStats, ThemeDirs};
use crate::similar;
use crate::slug;
use crate::source;
use crate::spill::{Memory, Spill};
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Command-line overrides of the config.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub source: Option<String>,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub no_history: bool,
    /// Build this commit, branch or tag of a git source.
    pub rev: Option<String>,
    /// Keep connector details in memory, or spill them to disk (`spill::Memory`).
    pub memory: Memory,
}

/// How much the build prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

pub struct Site {
    pub config: Config,
    /// A folder, a repository or a git URL.
    pub source: String,
    pub rev: Option<String>,
    pub out: PathBuf,
    pub base_dir: PathBuf,
    pub memory: Memory,
}

/// A build's report with the catalog it rendered, kept for incremental rebuilds.
pub struct Kept {
    pub report: Report,
    pub catalog: Catalog,
    pub similar: similar::Neighbours,
}

/// What a build did, for the summary line and for callers.
#[derive(Debug)]
pub struct Report {
    pub connectors: usize,
    pub operations: usize,
    pub triggers: usize,
    pub problems: Tally,
    pub stages: Vec<(&'static str, Duration)>,
    pub elapsed: Duration,
    pub out: PathBuf,
    /// Pages written by the render stage and their sizes.
    pub render: RenderStats,
}

impl Site {
    pub fn load(config_path: Option<&Path>, overrides: Overrides) -> Result<Site> {
        crate::threads::ensure();
        let loaded = config::load(config_path)?;
        let mut config = loaded.config.clone();
        if let Some(url) = overrides.base_url {
            config.base_url = url;
        }
        if overrides.no_history {
            config.history = false;
        }
        let source = match overrides.source {
            Some(s) => s,
            None if source::is_url(&config.source) => config.source.clone(),
            None => loaded.resolve(&config.source).display().to_string(),
        };
        let out = overrides.out.unwrap_or_else(|| loaded.resolve(&config.out));
        Ok(Site {
            config,
            source,
            rev: overrides.rev,
            out,
            base_dir: loaded.base_dir,
            memory: overrides.memory,
        })
    }

    /// Opens the source (cloning a git URL into the cache first).
    pub fn open_source(&self) -> Result<source::Opened> {
        source::open(&self.source, self.rev.as_deref(), &cache_dir())
    }

    /// Loads the catalog: open the source, discover and parse.
    pub fn load_catalog(&self, stages: &mut Stages) -> Result<Catalog> {
        let opened = self.open_source()?;
        self.load_catalog_from(&opened, stages)
    }

    pub fn load_catalog_from(
        &self,
        opened: &source::Opened,
        stages: &mut Stages,
    ) -> Result<Catalog> {
        self.load_catalog_spilling(opened, stages, Memory::Full)
    }

    /// `load_catalog_from`, spilling the connectors' details to disk when `memory` says so
    /// for this catalog (the build's choice, `spill`).
    pub fn load_catalog_spilling(
        &self,
        opened: &source::Opened,
        stages: &mut Stages,
        memory: Memory,
    ) -> Result<Catalog> {
        let default_tier = Tier::from_id(&self.config.default_tier).unwrap_or(Tier::Custom);
        let tree = opened.tree.as_ref();
        let found = stages.run("discover", || {
            discover::discover_for(
                tree,
                &opened.start,
                opened.root_name.as_deref(),
                default_tier,
                memory,
            )
        });
        let definitions: u64 = found
            .folders
            .iter()
            .map(discover::Found::definition_bytes)
            .sum();
        let spill = if memory.spills(definitions) {
            Some(Spill::beside(&self.out)?)
        } else {
            None
        };
        if spill.is_some() {
            // Each folder is listed again as its connector is read, and forgotten after.
            tree.forget_listings_under("");
        }
        if spill.is_some() && stages.verbosity >= Verbosity::Verbose {
            eprintln!(
                "  spill: {} MB of definitions; connector details wait on disk",
                definitions >> 20
            );
        }
        // Each folder is read once: the linter works on the parsed values, then they move
        // into the model.
        let discover::Discovered {
            folders,
            mut problems,
        } = found;
        let mut connectors = stages.run("parse+lint", || {
            quality::read_all(folders, tree, &self.config.lint, spill.as_ref())
        })?;
        if spill.is_some() {
            tree.forget_listings();
        }
        let keys: Vec<(&str, &str, &str)> = connectors
            .iter()
            .map(|c| (c.path(), c.folder(), c.tier.id()))
            .collect();
        let slugs = slug::unique_slugs(&keys);
        for (c, s) in connectors.iter_mut().zip(slugs) {
            c.set_slug(&s);
        }
        problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(Catalog {
            source: SourceInfo {
                source: opened.label.clone(),
                rev: opened.rev.clone(),
                time: None,
            },
            connectors,
            problems,
            retired: Vec::new(),
            spilled: spill.map(Arc::new),
        })
    }

    /// Runs every stage and replaces the output folder. With `strict`, error-level problems
    /// fail the build before the output is touched.
    pub fn build(&self, strict: bool, verbosity: Verbosity) -> Result<Report> {
        self.build_kept(strict, verbosity).map(|k| k.report)
    }

    /// `build`, keeping the catalog and similar lists (what `serve` rebuilds one connector from).
    pub fn build_kept(&self, strict: bool, verbosity: Verbosity) -> Result<Kept> {
        let started = Instant::now();
        let mut stages = Stages::new(verbosity);
        let opened = self.open_source()?;
        if opened.rev.is_some() {
            // Read from git: what the parse reads is kept for the render's copies.
            opened
                .tree
                .keep_reads_in(crate::output::scratch_dir(&self.out, "blobs")?);
        }
        let mut catalog = self.load_catalog_spilling(&opened, &mut stages, self.memory)?;
        self.add_history(&opened, &mut catalog, &mut stages, verbosity)?;
        let tally = Tally::of(catalog.all_problems());
        if strict && tally.errors > 0 {
            bail!(
                "--strict: {} error-level problem(s); the output was left as it was",
                tally.errors
            );
        }
        let staging = Staging::new(&self.out)?;
        let tree = opened.tree.as_ref();
        // tantivy's single-segment writer keeps one core busy with the search index; the
        // other works through similar → the catalog-wide exports → render (which writes each
        // connector's export beside its page), and once the index is written its thread joins
        // the render (rayon steals the remaining pages). A spilled build, which is there to
        // save memory, runs the three in turn, each on both cores where it can (the index
        // analyses its next documents while tantivy takes the last): tantivy's writer, the
        // similar stage's working set and the pages being rendered, each tens of MB at 10× the
        // real repository, are then never held at the same time. Side by side, the live heap
        // peaked at 120 MB there; in turn, at 101 MB, for about 5% more time. Between the
        // similar stage and the pages, a spilled build also puts each page's lists in the
        // spill (`similar::neighbours_spilled`).
        let (indexed, pages) = stages.run("index+pages", || {
            if catalog.spilled.is_some() {
                let indexed = timed(|| index::write(&catalog, &staging));
                let similar = timed(|| similar::neighbours_spilled(&catalog));
                let (similar, took) = (similar.0?, similar.1);
                Ok((
                    indexed,
                    self.pages(&catalog, (similar, took), tree, &staging),
                ))
            } else {
                let similar_then_pages = || {
                    let (similar, took) = timed(|| similar::neighbours(&catalog));
                    anyhow::Ok(self.pages(&catalog, (similar?, took), tree, &staging))
                };
                let index = || timed(|| index::write(&catalog, &staging));
                let (indexed, pages) = rayon::join(index, similar_then_pages);
                pages.map(|pages: Pages| (indexed, pages))
            }
        })?;
        let (similar, exported, rendered) = pages;
        stages.beside("index", indexed.1);
        stages.beside("similar", similar.1);
        stages.beside("export", exported.1);
        stages.beside("render", rendered.1);
        let (similar, rendered) = (similar.0, rendered.0?);
        indexed.0?;
        exported.0?;
        if verbosity >= Verbosity::Verbose {
            print_render_stats(&rendered);
        }
        stages
            .run("write", || staging.commit())
            .with_context(|| format!("cannot replace {}", self.out.display()))?;
        let report = Report {
            connectors: catalog.connectors.len(),
            operations: catalog.operation_count(),
            triggers: catalog.trigger_count(),
            problems: tally,
            stages: stages.timings,
            elapsed: started.elapsed(),
            out: self.out.clone(),
            render: rendered,
        };
        Ok(Kept {
            report,
            catalog,
            similar,
        })
    }

    /// What follows the similar stage: the catalog-wide exports, then the pages (each
    /// connector's export is written beside its page).
    fn pages(
        &self,
        catalog: &Catalog,
        similar: (similar::Neighbours, Duration),
        tree: &dyn source::Tree,
        staging: &Staging,
    ) -> Pages {
        let exported = timed(|| export::write_summaries(catalog, staging));
        let rendered = timed(|| self.render(catalog, &similar.0, tree, staging));
        (similar, exported, rendered)
    }

    /// The history stage: on by default for git sources, skipped with a note otherwise.
    fn add_history(
        &self,
        opened: &source::Opened,
        catalog: &mut Catalog,
        stages: &mut Stages,
        verbosity: Verbosity,
    ) -> Result<()> {
        if !self.config.history {
            return Ok(());
        }
        let Some(repo) = &opened.repo else {
            if verbosity >= Verbosity::Normal {
                eprintln!(
                    "note: {} is not a git repository; history skipped",
                    opened.label
                );
            }
            return Ok(());
        };
        let rev = opened.rev.as_deref().or(self.rev.as_deref());
        // History adds to the catalog: when it cannot be read, the site is built without it,
        // and commits that cannot be read are left out of it; either way the build says so.
        let mut history = match stages.run("history", || history::read(repo, rev)) {
            Ok(history) => history,
            Err(error) => {
                if verbosity >= Verbosity::Normal {
                    eprintln!("warning: history skipped: {error:#}");
                }
                return Ok(());
            }
        };
        if let (Some(first), true) = (history.unreadable.first(), verbosity >= Verbosity::Normal) {
            eprintln!(
                "warning: {} of {} commits could not be read and are left out of the history \
                 (first: {first})",
                history.unreadable.len(),
                history.commits
            );
        }
        stages.run("changelog", || {
            let by_path: HashMap<&str, usize> = catalog
                .connectors
                .iter()
                .enumerate()
                .map(|(i, c)| (c.path(), i))
                .collect();
            // A spilled model that cannot be read back is parsed from git instead.
            let current = |path: &str| by_path.get(path).and_then(|&i| catalog.full(i).ok());
            // What earlier builds learnt about definition blobs: only new ones are parsed.
            let path = cache_dir().join("changelog.json");
            let mut store = history::changelog::Store::load(&path);
            let learnt = history::changelog::fill(&mut history, repo, &current, &store);
            if store.learn(learnt) {
                // The store only saves time: a build never fails for want of it.
                let _ = store.save(&path);
            }
        });
        catalog.source.time = Some(history.time);
        for c in &mut catalog.connectors {
            c.history = history.folders.remove(c.path()).map(Box::new);
        }
        catalog.retired = std::mem::take(&mut history.retired);
        Ok(())
    }

    /// The theme and content folders of this site.
    pub fn theme_dirs(&self) -> ThemeDirs {
        ThemeDirs::new(&self.base_dir, &self.config.theme)
    }

    /// The render stage: the documentation site, with this site's theme and content.
    pub(crate) fn render(
        &self,
        catalog: &Catalog,
        similar: &similar::Neighbours,
        tree: &dyn source::Tree,
        staging: &Staging,
    ) -> Result<RenderStats> {
        render::render(
            catalog,
            similar,
            &self.config,
            &self.theme_dirs(),
            tree,
            staging,
        )
    }
}

fn print_render_stats(s: &RenderStats) {
    eprintln!(
        "  {} pages, {:.1} MB of HTML; connector pages: median {:.0} KB, largest page {} ({:.0} KB); {} files copied",
        s.pages,
        s.html_bytes as f64 / 1e6,
        s.median_connector_bytes as f64 / 1024.0,
        s.largest.0,
        s.largest.1 as f64 / 1024.0,
        s.copied
    );
}

/// Runs named stages, timing each and printing a status line when verbose.
pub struct Stages {
    verbosity: Verbosity,
    pub timings: Vec<(&'static str, Duration)>,
}

impl Stages {
    pub fn new(verbosity: Verbosity) -> Stages {
        Stages {
            verbosity,
            timings: Vec::new(),
        }
    }

    pub fn run<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let (out, took) = timed(f);
        if self.verbosity >= Verbosity::Verbose {
            let ms = took.as_secs_f64() * 1000.0;
            match resident_mib() {
                Some((now, peak)) => {
                    eprintln!("  {name:<13} {ms:>8.1} ms   RSS {now:>5} MiB (peak {peak} MiB)")
                }
                None => eprintln!("  {name:<13} {ms:>8.1} ms"),
            }
        }
        self.timings.push((name, took));
        out
    }

    /// Records a part of the stage just run that ran beside other parts (its time overlaps
    /// theirs, so the parts add up to more than the stage).
    pub fn beside(&mut self, name: &'static str, took: Duration) {
        if self.verbosity >= Verbosity::Verbose {
            eprintln!("    {name:<11} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
        self.timings.push((name, took));
    }
}

/// The similar lists, the exports' outcome and the pages', each with how long it took.
type Pages = (
    (similar::Neighbours, Duration),
    (Result<()>, Duration),
    (Result<RenderStats>, Duration),
);

/// Runs `f`, returning its result and how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// The process's resident memory and its peak so far, in MiB (Linux only: read from
/// `/proc/self/status`), for the verbose stage lines.
fn resident_mib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Where git URL sources are cloned: `$SWITCHYARD_CACHE`, else `$XDG_CACHE_HOME/switchyard`,
/// else `~/.cache/switchyard`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SWITCHYARD_CACHE") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("switchyard")
}
