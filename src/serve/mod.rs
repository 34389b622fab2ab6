//! `switchyard serve`: a live preview for publishers. Builds the site into a private folder,
//! serves it on loopback, watches the source, content and theme, rebuilds only what an edit
//! touched and tells open pages to reload (or shows the located error of a broken edit while
//! the last good pages stay served). Concerns, one module each: `http` (the server), `files`
//! (safe path resolution), `api` (search endpoint), `watch`, `rebuild`, `reload` (events).

pub mod api;
pub mod files;
pub mod http;
pub mod rebuild;
pub mod reload;
pub mod watch;

use crate::index::query::Searcher;
use crate::site::{Overrides, Site};
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// What `serve` was asked for on the command line.
#[derive(Debug, Clone)]
pub struct Options {
    pub config: Option<PathBuf>,
    pub source: Option<String>,
    pub port: u16,
    pub interface: String,
    pub no_history: bool,
}

/// What the request handlers share with the rebuild thread.
pub struct Shared {
    /// The folder of the site being served (replaced by a full rebuild).
    root: RwLock<PathBuf>,
    searcher: RwLock<Option<Arc<Searcher>>>,
    pub hub: reload::Hub,
}

impl Shared {
    fn new(root: PathBuf) -> Shared {
        let shared = Shared {
            root: RwLock::new(PathBuf::new()),
            searcher: RwLock::new(None),
            hub: reload::Hub::default(),
        };
        shared.set_root(root);
        shared
    }

    /// The served folder, canonical (so that resolved files can be checked to stay inside).
    pub fn root(&self) -> PathBuf {
        self.root.read().map(|r| r.clone()).unwrap_or_default()
    }

    /// Serves `root` from now on and reopens its search index.
    pub fn set_root(&self, root: PathBuf) {
        let root = root.canonicalize().unwrap_or(root);
        let searcher = Searcher::open(&root).ok().map(Arc::new);
        if let Ok(mut s) = self.searcher.write() {
            *s = searcher;
        }
        if let Ok(mut r) = self.root.write() {
            *r = root;
        }
    }

    pub fn searcher(&self) -> Option<Arc<Searcher>> {
        self.searcher.read().ok().and_then(|s| s.clone())
    }
}

/// Runs `serve` until the process is stopped.
pub fn run(opts: Options) -> Result<()> {
    let listener = bind(&opts.interface, opts.port)?;
    let addr = listener.local_addr()?;
    let work = work_dir()?;
    let overrides = Overrides {
        source: opts.source.clone(),
        out: Some(work.join("gen-0")),
        base_url: Some("/".into()),
        no_history: opts.no_history,
        rev: None,
        // The memory mode is `Rebuilder::start`'s: always the whole catalog in memory.
        ..Default::default()
    };
    let site = Site::load(opts.config.as_deref(), overrides)?;
    let rebuilder = rebuild::Rebuilder::start(site, work.clone())?;
    let shared = Arc::new(Shared::new(rebuilder.root()));
    let watched = watch::targets(rebuilder.site());
    let changes = watch::start(&watched)?;
    let url = format!("http://{addr}/");
    println!("Serving {} at {url}", rebuilder.site().source);
    println!("site: {}", shared.root().display());
    for w in &watched {
        println!("watching: {}", w.path.display());
    }
    println!("Press Ctrl-C to stop.");
    std::io::stdout().flush()?;
    let for_rebuild = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("rebuild".into())
        .spawn(move || rebuilder.run(changes.receiver, &for_rebuild))?;
    reload::start_heartbeat(Arc::clone(&shared));
    http::serve(listener, shared);
    drop(changes.watcher);
    Ok(())
}

/// Binds the listener, on loopback only, with a clear message when the port is taken.
pub fn bind(interface: &str, port: u16) -> Result<TcpListener> {
    let ip = loopback(interface)?;
    TcpListener::bind(SocketAddr::new(ip, port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "port {port} is in use; try --port {}",
                port.saturating_add(1)
            )
        } else {
            anyhow::anyhow!("cannot listen on {ip}:{port}: {e}")
        }
    })
}

/// The address of `--interface`, refused unless it is a loopback address.
pub fn loopback(interface: &str) -> Result<IpAddr> {
    if interface.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    let ip: IpAddr = interface
        .trim_matches(|c| c == '[' || c == ']')
        .parse()
        .with_context(|| format!("--interface {interface:?} is not an IP address"))?;
    if !ip.is_loopback() {
        bail!(
            "--interface {interface} is not a loopback address: serve is a local preview and \
             only listens on loopback (127.0.0.1 or ::1)"
        );
    }
    Ok(ip)
}

/// A private folder for the built site: `$TMPDIR/switchyard-serve-<pid>`, after removing
/// the folders of earlier runs whose process is gone.
fn work_dir() -> Result<PathBuf> {
    let tmp = std::env::temp_dir();
    crate::output::remove_abandoned(&tmp, "switchyard-serve-");
    let dir = tmp.join(format!("switchyard-serve-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_interfaces_are_accepted() {
        assert!(loopback("127.0.0.1").is_ok());
        assert!(loopback("::1").is_ok());
        assert!(loopback("[::1]").is_ok());
        assert!(loopback("localhost").is_ok());
        let err = loopback("0.0.0.0").unwrap_err().to_string();
        assert!(err.contains("not a loopback address"), "{err}");
        assert!(loopback("192.168.1.10").is_err());
        assert!(loopback("example.com").is_err());
    }

    #[test]
    fn a_taken_port_says_which_to_try() {
        let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = taken.local_addr().expect("addr").port();
        let err = bind("127.0.0.1", port).unwrap_err().to_string();
        assert_eq!(
            err,
            format!("port {port} is in use; try --port {}", port + 1)
        );
    }
}
