//! `switchyard check PATH... [--format human|json|sarif] [--against DIR] [--config FILE]`.
//!
//! Exit status: 0 when no error-level finding remains after the `[lint]` configuration, 1
//! when one does, 2 for usage errors (a path that does not exist or holds no connector, an
//! invalid config, an `--against` folder that cannot be read).

use crate::config;
use crate::history::previous::Baseline;
use crate::lint::context::Finding;
use crate::lint::human::{self, Style};
use crate::lint::runner::{self, Inputs, PathRun};
use crate::lint::{overlap, sarif};
use crate::model::{Connector, Tier};
use crate::problem::Severity;
use crate::similar::CatalogIndex;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Located diagnostics with the source line, and a summary by rule.
    Human,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// Lint connector folders.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Connector folders, or a repository (or any folder) holding them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// A built site or a connector repository: report existing connectors that overlap.
    #[arg(long, value_name = "DIR")]
    pub against: Option<PathBuf>,
    /// Configuration file with a `[lint]` section (default: ./site.toml when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report only error-level findings.
    #[arg(short, long)]
    pub quiet: bool,
}

/// A usage error: exit status 2.
struct Usage(anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for Usage {
    fn from(e: E) -> Usage {
        Usage(e.into())
    }
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let format = args.format;
    let quiet = args.quiet;
    let runs = match lint(&args) {
        Ok(done) => done,
        Err(Usage(e)) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut groups: Vec<(&PathRun, Vec<&Finding>)> = Vec::new();
    let mut connectors = 0;
    for run in &runs {
        connectors += run.linted.len();
        let shown: Vec<&Finding> = run
            .linted
            .iter()
            .flat_map(|l| l.findings.iter())
            .chain(run.problems.iter())
            .filter(|f| !quiet || f.problem.severity == Severity::Error)
            .collect();
        groups.push((run, shown));
    }
    let failed = groups
        .iter()
        .any(|(_, fs)| runner::has_errors(fs.iter().copied()));
    let written = write(format, &groups, connectors);
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Loads the config and the `--against` catalog, then lints every path.
fn lint(args: &CheckArgs) -> Result<Vec<PathRun>, Usage> {
    let config = config::load(args.config.as_deref())?.config;
    for path in &args.paths {
        if !path.is_dir() {
            return Err(Usage(anyhow::anyhow!("{} is not a folder", path.display())));
        }
    }
    let default_tier = Tier::from_id(&config.default_tier).unwrap_or(Tier::Custom);
    let catalog: Vec<Connector> = match &args.against {
        Some(dir) => overlap::load(dir, &config)?,
        None => Vec::new(),
    };
    let index = args.against.as_ref().map(|_| CatalogIndex::new(&catalog));
    let inputs = Inputs {
        previous: None,
        baseline: None,
        against: index.as_ref(),
        model: false,
    };
    let mut runs = Vec::new();
    for path in &args.paths {
        // V008: in a git working tree, each folder is compared with its previous revision.
        let baseline = Baseline::open(path);
        let inputs = Inputs {
            baseline: baseline.as_ref(),
            ..inputs
        };
        let mut run = runner::lint_path(path, default_tier, inputs)?;
        if run.linted.is_empty() && run.problems.is_empty() {
            return Err(Usage(anyhow::anyhow!(
                "no connector folder under {}",
                path.display()
            )));
        }
        for linted in &mut run.linted {
            runner::configure(&config.lint, &mut linted.findings);
        }
        runner::configure(&config.lint, &mut run.problems);
        runs.push(run);
    }
    Ok(runs)
}

fn write(
    format: Format,
    groups: &[(&PathRun, Vec<&Finding>)],
    connectors: usize,
) -> io::Result<()> {
    let stdout = io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut w = io::BufWriter::new(stdout.lock());
    match format {
        Format::Human => {
            let style = Style { color };
            let all: Vec<&Finding> = groups
                .iter()
                .flat_map(|(_, fs)| fs.iter().copied())
                .collect();
            for f in &all {
                human::write_finding(&mut w, f, style)?;
            }
            human::write_summary(&mut w, &all, connectors, style)?;
        }
        Format::Json => {
            let all: Vec<&Finding> = groups
                .iter()
                .flat_map(|(_, fs)| fs.iter().copied())
                .collect();
            serde_json::to_writer_pretty(&mut w, &all)?;
            writeln!(w)?;
        }
        Format::Sarif => {
            let parts: Vec<sarif::Group> = groups
                .iter()
                .map(|(run, fs)| sarif::Group {
                    base: &run.base,
                    findings: fs.clone(),
                })
                .collect();
            serde_json::to_writer_pretty(&mut w, &sarif::log(&parts))?;
            writeln!(w)?;
        }
    }
    w.flush()
}
