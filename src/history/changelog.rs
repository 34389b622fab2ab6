//! The changelog of each revision: the definition at that revision compared with the one
//! before it (`crate::changes`), parsed with the build's own lenient parser and conversion.
//!
//! `read` recorded each revision's definition blob while walking history; here consecutive
//! distinct blobs of each folder are compared. Folders are done in parallel (each thread
//! reads git through its own repository handle), each blob is parsed once per folder, and
//! the definitions of the built revision are taken from the catalog rather than parsed again.
//! A definition that cannot be read, even leniently, gets a note and is skipped: the next
//! revision is compared with the last one that could be read.

use super::{FolderHistory, History};
use crate::changes;
use crate::model::Connector;
use crate::parse::{self, decode};
use crate::problem::Severity;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Fills every revision's `changes` (and `note`). `current` gives the built revision's model
/// of a folder (by path), whose definition is the folder's last revision's.
pub fn fill(history: &mut History, repo: &Path, current: &HashMap<&str, &Connector>) {
    let mut folders: Vec<(&String, &mut FolderHistory)> = history.folders.iter_mut().collect();
    // The longest chains first, so that the last thread to finish has a short one.
    folders.sort_by_key(|(path, f)| (std::cmp::Reverse(f.revisions.len()), path.as_str()));
    folders.into_par_iter().for_each(|(path, folder)| {
        let head = current.get(path.as_str()).copied();
        fill_folder(path, folder, repo, head);
    });
}

/// A definition as parsed: the model, or why it could not be read.
enum Parsed<'a> {
    Model(Arc<Connector>, Option<String>),
    Borrowed(&'a Connector),
    Unreadable(String),
}

fn fill_folder(path: &str, folder: &mut FolderHistory, repo: &Path, head: Option<&Connector>) {
    if folder.revisions.len() < 2 {
        return;
    }
    let last_blob = folder.revisions.last().and_then(|r| r.definition);
    let mut cache: HashMap<git2::Oid, Arc<Connector>> = HashMap::new();
    let mut previous: Option<(git2::Oid, Parsed)> = None;
    for rev in &mut folder.revisions {
        let Some(blob) = rev.definition else {
            continue;
        };
        if previous.as_ref().is_some_and(|(p, _)| *p == blob) {
            continue; // another file of the folder changed, not the definition
        }
        let parsed = match (head, Some(blob) == last_blob) {
            (Some(model), true) => Parsed::Borrowed(model),
            _ => parse_blob(repo, path, blob, &mut cache),
        };
        let model = match &parsed {
            Parsed::Unreadable(why) => {
                rev.note = Some(why.clone());
                continue;
            }
            Parsed::Model(m, note) => {
                rev.note = note.clone();
                m.as_ref()
            }
            Parsed::Borrowed(m) => m,
        };
        if let Some((_, before)) = &previous {
            let before = match before {
                Parsed::Model(m, _) => m.as_ref(),
                Parsed::Borrowed(m) => m,
                Parsed::Unreadable(_) => continue,
            };
            rev.changes = changes::compare(before, model);
        }
        previous = Some((blob, parsed));
    }
}

fn parse_blob<'a>(
    repo: &Path,
    folder: &str,
    blob: git2::Oid,
    cache: &mut HashMap<git2::Oid, Arc<Connector>>,
) -> Parsed<'a> {
    if let Some(hit) = cache.get(&blob) {
        return Parsed::Model(hit.clone(), None);
    }
    let bytes = crate::source::with_repo(repo, |r| {
        r.find_blob(blob)
            .map(|b| b.content().to_vec())
            .map_err(|e| std::io::Error::other(e.message().to_string()))
    });
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return Parsed::Unreadable(format!("the definition could not be read: {e}")),
    };
    if bytes.len() as u64 > parse::MAX_FILE_BYTES {
        return Parsed::Unreadable("the definition is over the size limit".to_string());
    }
    let text = decode::decode(&bytes).text;
    let rel = format!("{folder}/apiDefinition.swagger.json");
    let mut problems = Vec::new();
    let model = Arc::new(parse::definition_model(&rel, &text, &mut problems));
    if let Some(fatal) = problems.iter().find(|p| p.severity == Severity::Error) {
        return Parsed::Unreadable(format!(
            "The definition could not be read ({}, line {}); the next revision is compared with the last one that could.",
            fatal.message, fatal.line
        ));
    }
    cache.insert(blob, model.clone());
    let note = (!problems.is_empty())
        .then(|| "The definition was not strict JSON; it was read leniently.".to_string());
    Parsed::Model(model, note)
}
