//! Watching for edits: the source folder, the site's content and theme folders, with the
//! system's file notifications (`notify`: inotify on Linux). Events are reduced to paths and
//! sorted into source edits and site (content or theme) edits; editor droppings and hidden
//! folders such as `.git` are ignored.

use crate::site::Site;
use anyhow::{Context, Result};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};

/// What a watched folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Source,
    Site,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub kind: Kind,
}

/// One edited path, sorted by what it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A path relative to the source root, with `/` separators.
    Source(String),
    Site(PathBuf),
}

/// A running watcher (dropped to stop) and the changes it sends.
pub struct Watching {
    pub watcher: Option<RecommendedWatcher>,
    pub receiver: Receiver<Vec<Change>>,
}

/// The folders to watch: the source when it is a folder on disk, and the site's content,
/// theme and override folders that exist.
pub fn targets(site: &Site) -> Vec<Target> {
    let mut out = Vec::new();
    let source = Path::new(&site.source);
    if !crate::source::is_url(&site.source) && site.rev.is_none() && source.is_dir() {
        out.push(Target {
            path: canonical(source),
            kind: Kind::Source,
        });
    }
    let base = &site.base_dir;
    let theme = base.join("themes").join(&site.config.theme);
    for dir in [
        base.join(&site.config.content_dir),
        theme,
        base.join("templates"),
        base.join("static"),
    ] {
        if dir.is_dir() {
            out.push(Target {
                path: canonical(&dir),
                kind: Kind::Site,
            });
        }
    }
    out
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// Starts watching `targets`; each batch of notifications becomes a list of changes.
pub fn start(targets: &[Target]) -> Result<Watching> {
    let (tx, rx) = channel();
    let (raw_tx, raw_rx) = channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(raw_tx).context("cannot watch files")?;
    for t in targets {
        watcher
            .watch(&t.path, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", t.path.display()))?;
    }
    let targets = targets.to_vec();
    std::thread::Builder::new()
        .name("watch".into())
        .spawn(move || {
            for event in raw_rx.into_iter().flatten() {
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                let changes: Vec<Change> = event
                    .paths
                    .iter()
                    .filter_map(|p| classify(&targets, p))
                    .collect();
                if !changes.is_empty() && tx.send(changes).is_err() {
                    return;
                }
            }
        })?;
    Ok(Watching {
        watcher: Some(watcher),
        receiver: rx,
    })
}

/// Which change an edited path is, or `None` when it is not worth a rebuild.
pub fn classify(targets: &[Target], path: &Path) -> Option<Change> {
    let target = targets.iter().find(|t| path.starts_with(&t.path))?;
    let rel = path.strip_prefix(&target.path).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let name = parts.last().map(String::as_str).unwrap_or_default();
    let ignored = parts.iter().any(|p| p.starts_with('.'))
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913";
    if ignored {
        return None;
    }
    Some(match target.kind {
        Kind::Source => Change::Source(parts.join("/")),
        Kind::Site => Change::Site(path.to_path_buf()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_sorted_and_droppings_ignored() {
        let targets = vec![
            Target {
                path: PathBuf::from("/repo"),
                kind: Kind::Source,
            },
            Target {
                path: PathBuf::from("/site/content"),
                kind: Kind::Site,
            },
        ];
        let c = |p: &str| classify(&targets, Path::new(p));
        assert_eq!(
            c("/repo/certified-connectors/A/apiDefinition.swagger.json"),
            Some(Change::Source(
                "certified-connectors/A/apiDefinition.swagger.json".into()
            ))
        );
        assert_eq!(
            c("/site/content/about.md"),
            Some(Change::Site(PathBuf::from("/site/content/about.md")))
        );
        assert_eq!(c("/repo/.git/index"), None);
        assert_eq!(c("/repo/A/.readme.md.swp"), None);
        assert_eq!(c("/repo/A/readme.md~"), None);
        assert_eq!(c("/elsewhere/x"), None);
    }
}
