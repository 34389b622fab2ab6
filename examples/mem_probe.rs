//! Where the catalog's memory goes: heap bytes live after loading, and what each part frees.
//! `cargo run --release --example mem_probe -- [CORPUS] [low] [build|discover]` (`low`: details
//! spilled to disk, as `build --memory low` keeps them; `build`: instead, a whole build
//! without history, printing the live heap's peak every quarter second beside the stage
//! lines, since peak RSS also counts what the allocator has not yet given back; `discover`:
//! only the discover stage, and what its found folders and the tree's listings hold).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(l.size() as isize, Ordering::Relaxed) + l.size() as isize;
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    // The system's own realloc, as the build's allocator does: the default one allocates
    // anew and copies, which showed a shrink in place as the block held twice.
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        let grown = new_size as isize - l.size() as isize;
        let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.realloc(p, l, new_size) }
    }
}
#[global_allocator]
static A: Counting = Counting;

fn mb() -> f64 {
    LIVE.load(Ordering::Relaxed) as f64 / 1e6
}

/// Runs `f` and prints how far it took the live heap above where it started, and what it left.
fn peak_of<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let start = mb();
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let out = f();
    let peak = PEAK.load(Ordering::Relaxed) as f64 / 1e6;
    println!(
        "{name:<28} peak +{:>6.1} MB, left +{:.1} MB",
        peak - start,
        mb() - start
    );
    out
}

fn main() -> anyhow::Result<()> {
    let corpus = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus".into());
    let memory = match std::env::args().nth(2).as_deref() {
        Some("low") => switchyard::spill::Memory::Low,
        _ => switchyard::spill::Memory::Full,
    };
    match std::env::args().nth(3).as_deref() {
        Some("build") => return whole_build(corpus, memory),
        Some("discover") => return discover_only(corpus),
        _ => {}
    }
    let site = site_of(corpus)?;
    let mut stages = switchyard::site::Stages::new(switchyard::site::Verbosity::Quiet);
    let opened = site.open_source()?;
    let before = mb();
    let mut catalog = site.load_catalog_spilling(&opened, &mut stages, memory)?;
    println!("catalog live: {:.1} MB", mb() - before);
    let out = tempfile::tempdir()?;
    let staging = switchyard::output::Staging::new(&out.path().join("site"))?;
    peak_of("index stage", || {
        switchyard::index::write(&catalog, &staging)
    })?;
    let live = peak_of("live ops", || switchyard::similar::live_in(&catalog))?;
    let nops: usize = live.ops.iter().map(|v| v.len()).sum();
    let nwords: usize = live.ops.iter().map(|o| o.all_words().len()).sum();
    println!(
        "live ops {nops}, word occurrences {nwords}, vocabulary {}",
        live.vocabulary.len()
    );
    let jobs = peak_of("  same job alone", || {
        switchyard::similar_ops::same_job(&catalog, &live)
    });
    drop(jobs);
    drop(live);
    let similar = peak_of("similar stage", || {
        switchyard::similar::neighbours(&catalog)
    })?;
    let b = mb();
    let mut similar = similar;
    similar.operations = Vec::new();
    println!("  of which same-job lists     {:.1} MB", b - mb());
    drop(similar);
    let derived = peak_of("derived lists (rows, groups)", || {
        switchyard::render::derive::Derived::new(&catalog)
    });
    {
        use switchyard::render::views::{lists, quality};
        let first = 0..100;
        let pages = std::slice::from_ref(&first);
        let ranking = peak_of("quality ranking", || {
            quality::Ranking::new(&catalog, &derived)
        });
        peak_of("quality page", || {
            drop(quality::quality(&catalog, &derived, &ranking, pages, 0))
        });
        peak_of("problems page", || {
            drop(lists::problems(&catalog, &derived, pages, 0))
        });
        let facets = lists::facets(&derived);
        peak_of("list page", || {
            drop(lists::list(&derived, &facets, pages, 0))
        });
    }
    drop(derived);
    use switchyard::model::*;
    println!(
        "sizes: Schema {} Property {} Parameter {} Response {} Operation {} Definition {} Value {}",
        std::mem::size_of::<Schema>(),
        std::mem::size_of::<Property>(),
        std::mem::size_of::<Parameter>(),
        std::mem::size_of::<Response>(),
        std::mem::size_of::<Operation>(),
        std::mem::size_of::<Definition>(),
        std::mem::size_of::<serde_json::Value>(),
    );
    println!(
        "sizes: Connector {} About {} ConnectorFiles {} FolderHistory {}",
        std::mem::size_of::<Connector>(),
        std::mem::size_of::<About>(),
        std::mem::size_of::<ConnectorFiles>(),
        std::mem::size_of::<switchyard::history::FolderHistory>(),
    );
    let mut nodes = 0usize;
    fn count(s: &Schema, n: &mut usize) {
        *n += 1;
        s.properties.iter().for_each(|p| count(&p.schema, n));
        s.items.iter().for_each(|i| count(i, n));
        s.additional.iter().for_each(|i| count(i, n));
        s.all_of.iter().for_each(|i| count(i, n));
    }
    for c in &catalog.connectors {
        for d in &c.details().definitions {
            count(&d.schema, &mut nodes);
        }
        for o in &c.details().operations {
            for p in &o.parameters {
                if let Some(s) = &p.schema {
                    count(s, &mut nodes);
                }
            }
            for r in &o.responses {
                if let Some(s) = &r.schema {
                    count(s, &mut nodes);
                }
            }
        }
    }
    println!("schema nodes: {nodes}");
    let mut step = |name: &str, f: &mut dyn FnMut(&mut switchyard::model::Connector)| {
        let b = mb();
        catalog.connectors.iter_mut().for_each(&mut *f);
        println!("{name:<28} {:>7.1} MB", b - mb());
    };
    // The details' parts, for connectors that hold them (a spilled catalog's hold none).
    let held = |f: fn(&mut switchyard::model::Details)| {
        move |c: &mut switchyard::model::Connector| {
            if let Some(d) = c.held_details_mut() {
                f(d)
            }
        }
    };
    step(
        "readme+intro",
        &mut held(|d| {
            d.readme = None;
            d.intro = None;
        }),
    );
    step("problem help texts", &mut |c| {
        c.problems.iter_mut().for_each(|p| p.help = None);
        held(|d| d.lint.iter_mut().for_each(|p| p.help = None))(c)
    });
    step("problem pointers", &mut |c| {
        c.problems.iter_mut().for_each(|p| p.pointer = None);
        held(|d| d.lint.iter_mut().for_each(|p| p.pointer = None))(c)
    });
    step("problems+lint", &mut |c| {
        c.problems = Vec::new();
        held(|d| d.lint = Vec::new())(c)
    });
    step("definitions", &mut held(|d| d.definitions = Vec::new()));
    step(
        "op responses",
        &mut held(|d| {
            d.operations.iter_mut().for_each(|o| {
                o.responses = Vec::new();
                o.notification = None;
            })
        }),
    );
    step(
        "op descriptions",
        &mut held(|d| d.operations.iter_mut().for_each(|o| o.description = None)),
    );
    step(
        "op parameters",
        &mut held(|d| {
            d.operations
                .iter_mut()
                .for_each(|o| o.parameters = Vec::new())
        }),
    );
    step("operations (rest, or stubs)", &mut |c| {
        held(|d| d.operations = Vec::new())(c);
        c.stubs = Default::default();
    });
    step("policies", &mut |c| {
        held(|d| d.policies = Vec::new())(c);
        c.policies_noted = None;
    });
    step("auth, connection sets", &mut |c| {
        held(|d| {
            d.auth = Vec::new();
            d.connection_sets = Vec::new();
        })(c);
        c.auth_noted = None;
    });
    step("about (title, description…)", &mut |c| {
        c.about = Default::default();
    });
    step("files", &mut |c| *c.files_mut() = Default::default());
    step("lint counts", &mut |c| c.lint_noted = None);
    step("script operations, details", &mut |c| {
        c.script_operations = Vec::new();
        held(|d| *d = Default::default())(c);
    });
    step("names (folder, slug, path)", &mut |c| {
        c.names = Default::default();
    });
    let held = catalog.connectors.capacity() * std::mem::size_of::<switchyard::model::Connector>();
    println!(
        "connector structs {:>7.1} MB ({} bytes each)",
        held as f64 / 1e6,
        std::mem::size_of::<switchyard::model::Connector>()
    );
    println!("left: {:.1} MB", mb() - before);
    let b = mb();
    drop(opened);
    println!("the source tree's listings {:>7.1} MB", b - mb());
    Ok(())
}

/// The site with its default settings, reading `corpus`.
fn site_of(corpus: String) -> anyhow::Result<switchyard::site::Site> {
    switchyard::site::Site::load(
        None,
        switchyard::site::Overrides {
            source: Some(corpus),
            ..Default::default()
        },
    )
}

/// What discover leaves live: the found folders, and apart the listings the tree remembers.
fn discover_only(corpus: String) -> anyhow::Result<()> {
    let site = site_of(corpus)?;
    let opened = site.open_source()?;
    let before = mb();
    let found = peak_of("discover", || {
        switchyard::discover::discover(
            opened.tree.as_ref(),
            &opened.start,
            opened.root_name.as_deref(),
            switchyard::model::Tier::Custom,
        )
    });
    println!(
        "{} folders; live after discover {:.1} MB",
        found.folders.len(),
        mb() - before
    );
    let b = mb();
    opened.tree.forget_listings();
    println!("  of which listings            {:.1} MB", b - mb());
    let b = mb();
    drop(found);
    println!("  of which found folders       {:.1} MB", b - mb());
    Ok(())
}

/// A whole build, with the live heap's peak of each quarter second and of the build.
fn whole_build(corpus: String, memory: switchyard::spill::Memory) -> anyhow::Result<()> {
    let out = tempfile::tempdir()?;
    let site = switchyard::site::Site::load(
        None,
        switchyard::site::Overrides {
            source: Some(corpus),
            out: Some(out.path().join("site")),
            no_history: true,
            memory,
            ..Default::default()
        },
    )?;
    let started = std::time::Instant::now();
    let highest = std::sync::Arc::new(AtomicIsize::new(0));
    let seen = highest.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_millis(250));
        let peak = PEAK.swap(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
        seen.fetch_max(peak, Ordering::Relaxed);
        eprintln!(
            "{:7.2} s  live heap peak {:6.1} MB",
            started.elapsed().as_secs_f64(),
            peak as f64 / 1e6
        );
    });
    site.build(false, switchyard::site::Verbosity::Verbose)?;
    let last = PEAK.load(Ordering::Relaxed);
    let peak = highest.load(Ordering::Relaxed).max(last);
    println!("whole build: live heap peak {:.1} MB", peak as f64 / 1e6);
    Ok(())
}
