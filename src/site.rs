//! The build, as a flat list of stages: config → discover → parse → (history → index) →
//! render → write. `Site::load` resolves configuration; `Site::build` runs the stages and
//! returns a report. Each stage is a module named after it.

use crate::config::{self, Config};
use crate::discover;
use crate::export;
use crate::index;
use crate::model::{Catalog, SourceInfo, Tier};
use crate::output::Staging;
use crate::parse;
use crate::problem::{Problem, Tally};
use crate::slug;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Command-line overrides of the config.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub source: Option<String>,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub no_history: bool,
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
    pub source: PathBuf,
    pub out: PathBuf,
    pub base_dir: PathBuf,
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
}

impl Site {
    pub fn load(config_path: Option<&Path>, overrides: Overrides) -> Result<Site> {
        let loaded = config::load(config_path)?;
        let mut config = loaded.config.clone();
        if let Some(url) = overrides.base_url {
            config.base_url = url;
        }
        if overrides.no_history {
            config.history = false;
        }
        let source = match overrides.source {
            Some(s) => PathBuf::from(s),
            None => loaded.resolve(&config.source),
        };
        let out = overrides.out.unwrap_or_else(|| loaded.resolve(&config.out));
        Ok(Site {
            config,
            source,
            out,
            base_dir: loaded.base_dir,
        })
    }

    /// Loads the catalog: discover and parse.
    pub fn load_catalog(&self, stages: &mut Stages) -> Result<Catalog> {
        if !self.source.is_dir() {
            bail!("source {} is not a folder", self.source.display());
        }
        let default_tier = Tier::from_id(&self.config.default_tier).unwrap_or(Tier::Custom);
        let found = stages.run("discover", || {
            discover::discover(&self.source, default_tier)
        });
        let base = if found.folders.len() == 1 && found.folders[0].dir == self.source {
            self.source.parent().unwrap_or(&self.source).to_path_buf()
        } else {
            self.source.clone()
        };
        let mut connectors = stages.run("parse", || parse::parse_all(&found.folders, &base));
        let keys: Vec<(&str, &str, &str)> = connectors
            .iter()
            .map(|c| (c.path.as_str(), c.folder.as_str(), c.tier.id()))
            .collect();
        let slugs = slug::unique_slugs(&keys);
        for (c, s) in connectors.iter_mut().zip(slugs) {
            c.slug = s;
        }
        let mut problems: Vec<Problem> = found.problems;
        problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(Catalog {
            source: SourceInfo {
                source: self.source.display().to_string(),
                rev: None,
            },
            connectors,
            problems,
        })
    }

    /// Runs every stage and replaces the output folder. With `strict`, error-level problems
    /// fail the build before the output is touched.
    pub fn build(&self, strict: bool, verbosity: Verbosity) -> Result<Report> {
        let started = Instant::now();
        let mut stages = Stages::new(verbosity);
        let catalog = self.load_catalog(&mut stages)?;
        let tally = Tally::of(catalog.all_problems());
        if strict && tally.errors > 0 {
            bail!(
                "--strict: {} error-level problem(s); the output was left as it was",
                tally.errors
            );
        }
        let staging = Staging::new(&self.out)?;
        stages.run("export", || export::write_all(&catalog, &staging))?;
        stages.run("index", || index::write(&catalog, &staging))?;
        stages
            .run("write", || staging.commit())
            .with_context(|| format!("cannot replace {}", self.out.display()))?;
        Ok(Report {
            connectors: catalog.connectors.len(),
            operations: catalog.operation_count(),
            triggers: catalog.trigger_count(),
            problems: tally,
            stages: stages.timings,
            elapsed: started.elapsed(),
            out: self.out.clone(),
        })
    }
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
        let start = Instant::now();
        let out = f();
        let took = start.elapsed();
        if self.verbosity >= Verbosity::Verbose {
            eprintln!("  {name:<10} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
        self.timings.push((name, took));
        out
    }
}
