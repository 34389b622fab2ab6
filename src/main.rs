//! The `switchyard` command line.

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use switchyard::site::{Overrides, Site, Verbosity};
use switchyard::spill::Memory;

#[derive(Parser)]
#[command(
    name = "switchyard",
    version,
    about = "Static catalog site generator for Power Platform connector repositories"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the catalog site and its exports.
    Build(BuildArgs),
    /// Search the index of a built site for connectors that do a job.
    Search(SearchArgs),
    /// Lint connector folders: located diagnostics (human, JSON or SARIF).
    Check(switchyard::lint::cli::CheckArgs),
    /// Build, serve on loopback, rebuild what changed on edits and reload open pages.
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Configuration file (default: ./site.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
    /// A repository checkout, a folder of connectors, or one connector folder.
    #[arg(long)]
    source: Option<String>,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Loopback address to listen on (127.0.0.1, ::1 or localhost).
    #[arg(long, default_value = "127.0.0.1")]
    interface: String,
    /// Do not read git history.
    #[arg(long)]
    no_history: bool,
}

#[derive(clap::Args)]
struct SearchArgs {
    /// What you want to do, in plain words ("send a text message").
    query: Vec<String>,
    /// The built site (default: `out` of the config, else `public`).
    #[arg(long)]
    site: Option<PathBuf>,
    /// Configuration file, to find the site.
    #[arg(long)]
    config: Option<PathBuf>,
    /// How many connectors to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print a JSON array of hits.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Configuration file (default: ./site.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
    /// A repository (checkout or bare), a git URL, a folder of connectors, or one connector folder.
    #[arg(long)]
    source: Option<String>,
    /// Build this commit, branch or tag of a git source, read straight from git.
    #[arg(long)]
    rev: Option<String>,
    /// Output folder (default from site.toml, else `public`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// URL the site will be served from.
    #[arg(long)]
    base_url: Option<String>,
    /// Do not read git history.
    #[arg(long)]
    no_history: bool,
    /// Fail (and leave the previous output) when any error-level problem is found.
    #[arg(long)]
    strict: bool,
    /// Keep connector details on disk between stages (`low`: about half the memory, a tenth
    /// to a half more time), in memory (`full`), or decide by size (`auto`: on disk above
    /// 256 MB of definitions).
    #[arg(long, value_enum, default_value_t = Memory::Auto)]
    memory: Memory,
    /// Print only errors.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Print stage timings and every problem.
    #[arg(short, long)]
    verbose: bool,
}

fn main() -> ExitCode {
    restore_sigpipe();
    no_huge_pages();
    // SAFETY: first thing in `main`, before any thread exists or libgit2 is used. A failure
    // leaves libgit2's defaults, which only map more.
    let _ = unsafe { switchyard::source::limit_pack_maps() };
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Search(args) => search(args),
        Command::Check(args) => switchyard::lint::cli::run(args),
        Command::Serve(args) => serve(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Rust ignores SIGPIPE, so `switchyard search ... | head` would panic on the closed pipe;
/// like other Unix tools, end quietly instead.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Transparent huge pages make the kernel zero 2 MiB at the first touch of each region the
/// allocator maps; the build touches a few hundred MiB sparsely, and the zeroing took a
/// quarter of its CPU time (BENCHMARKS.md). Small pages are faulted in as they are used.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only sets a flag of this
    // process; a failure (an old kernel) changes nothing and is ignored.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn build(args: BuildArgs) -> Result<ExitCode> {
    let verbosity = if args.quiet {
        Verbosity::Quiet
    } else if args.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let overrides = Overrides {
        source: args.source,
        out: args.out,
        base_url: args.base_url,
        no_history: args.no_history,
        rev: args.rev,
        memory: args.memory,
    };
    let site = Site::load(args.config.as_deref(), overrides)?;
    let kept = site.build_kept(args.strict, verbosity)?;
    let report = kept.report;
    let (mut catalog, similar) = (kept.catalog, kept.similar);
    // The spill folder goes when its handle drops. The process ends right after: freeing
    // the rest one allocation at a time would add about 90 ms of work that the operating
    // system does for free at exit.
    drop(catalog.spilled.take());
    std::mem::forget((catalog, similar));
    if verbosity >= Verbosity::Normal {
        println!(
            "Built {} connectors ({} operations, {} triggers) in {:.2} s → {}",
            report.connectors,
            report.operations,
            report.triggers,
            report.elapsed.as_secs_f64(),
            report.out.display()
        );
        println!(
            "Problems: {} errors, {} warnings, {} info (see catalog.json)",
            report.problems.errors, report.problems.warnings, report.problems.infos
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(args: ServeArgs) -> Result<ExitCode> {
    switchyard::serve::run(switchyard::serve::Options {
        config: args.config,
        source: args.source,
        port: args.port,
        interface: args.interface,
        no_history: args.no_history,
    })?;
    Ok(ExitCode::SUCCESS)
}

fn search(args: SearchArgs) -> Result<ExitCode> {
    let site_dir = match args.site {
        Some(dir) => dir,
        None => Site::load(args.config.as_deref(), Overrides::default())?.out,
    };
    let searcher = switchyard::index::query::Searcher::open(&site_dir)?;
    let query = args.query.join(" ");
    let hits = searcher.search(&query, args.limit)?;
    if args.json {
        println!("{}", switchyard::index::query::hits_json(&hits)?);
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        println!("No connector matches \"{query}\".");
    }
    for (n, hit) in hits.iter().enumerate() {
        println!(
            "{:>2}. {}  [{}]  {:.2}  {}",
            n + 1,
            hit.title,
            hit.tier,
            hit.score,
            hit.url
        );
        if hit.folder != hit.title {
            println!("    folder: {}", hit.folder);
        }
        for a in &hit.actions {
            println!("    - {} ({}, {})", a.summary, a.kind, a.operation_id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The build allocates and frees millions of small strings and maps; mimalloc does that in
/// about half the time glibc's allocator takes (measured in BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
