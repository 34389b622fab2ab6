//! Fuzzes the history walk's reader of raw git trees (`history::trees::changed`), the one
//! parser of binary input: a repository's tree objects, read without libgit2. On any two byte
//! strings it never panics nor reads out of bounds; on two well-formed trees in git's order
//! it finds exactly the folders a plain comparison by name finds, and nothing between a tree
//! and itself.
//!
//! The input is read twice: as two raw byte strings (its halves), and as instructions that
//! build an old tree and a new one derived from it (the shape of a real commit, where most
//! entries are shared and the reader skips the common head and tail).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use switchyard::history::trees::{changed, git_order, Changed};

/// A tree: (name, is a folder) → (mode, id).
type Entries = BTreeMap<(Vec<u8>, bool), (&'static str, [u8; 20])>;

/// Name bytes that sort around each other and around `/` (a folder sorts as if its name ended
/// with `/`), plus a byte that is not UTF-8.
const ALPHABET: &[u8] = b"ab-.0_~\xff";

/// One record: a flags byte, then 1–4 name bytes (taken from `ALPHABET`).
fn records(data: &[u8]) -> impl Iterator<Item = (u8, Vec<u8>)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let flags = *data.get(at)?;
        let len = 1 + usize::from(flags & 3);
        let name = data.get(at + 1..at + 1 + len)?;
        at += 1 + len;
        let name = name
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()])
            .collect();
        Some((flags, name))
    })
}

fn entry(flags: u8) -> (bool, &'static str, [u8; 20]) {
    let is_folder = flags & 4 != 0;
    let mode = match (is_folder, flags & 8 != 0) {
        (true, _) => "40000",
        (false, false) => "100644",
        (false, true) => "120000",
    };
    (is_folder, mode, [flags >> 4; 20])
}

/// The old tree from the first half's records; the new one is the old one with the second
/// half's records applied (bit 7 clear: add or replace; set: remove).
fn trees(data: &[u8]) -> (Entries, Entries) {
    let (first, second) = data.split_at(data.len() / 2);
    let mut old = Entries::new();
    for (flags, name) in records(first) {
        let (is_folder, mode, id) = entry(flags);
        old.insert((name, is_folder), (mode, id));
    }
    let mut new = old.clone();
    for (flags, name) in records(second) {
        let (is_folder, mode, id) = entry(flags & 0x7f);
        if flags & 0x80 != 0 {
            new.remove(&(name, is_folder));
        } else {
            new.insert((name, is_folder), (mode, id));
        }
    }
    (old, new)
}

/// The bytes git stores for `entries`: `<mode> <name>\0<id>`, in git's order.
fn raw(entries: &Entries) -> Vec<u8> {
    let mut sorted: Vec<_> = entries.iter().collect();
    sorted.sort_by(|a, b| git_order((&a.0 .0, a.0 .1), (&b.0 .0, b.0 .1)));
    let mut out = Vec::new();
    for ((name, _), (mode, id)) in sorted {
        out.extend_from_slice(mode.as_bytes());
        out.push(b' ');
        out.extend_from_slice(name);
        out.push(0);
        out.extend_from_slice(id);
    }
    out
}

/// The folders that differ, compared by name: what `changed` must find.
fn expected(old: &Entries, new: &Entries) -> Vec<Changed> {
    let oid = |id: &[u8; 20]| git2::Oid::from_bytes(id).expect("20 bytes");
    let folder = |tree: &Entries, name: &Vec<u8>| tree.get(&(name.clone(), true)).map(|e| e.1);
    let mut out: BTreeMap<String, Option<git2::Oid>> = BTreeMap::new();
    for (tree, other) in [(old, new), (new, old)] {
        for ((name, is_folder), (_, id)) in tree {
            if !is_folder || folder(other, name) == Some(*id) {
                continue;
            }
            if let Ok(name) = std::str::from_utf8(name) {
                out.insert(
                    name.to_string(),
                    folder(new, &name.as_bytes().to_vec()).map(|id| oid(&id)),
                );
            }
        }
    }
    out.into_iter().collect()
}

fuzz_target!(|data: &[u8]| {
    let (left, right) = data.split_at(data.len() / 2);
    let _ = changed(left, right);
    let _ = changed(data, left);
    let (old, new) = trees(data);
    let (old_raw, new_raw) = (raw(&old), raw(&new));
    assert_eq!(
        changed(&old_raw, &old_raw),
        Some(Vec::new()),
        "a tree differs from itself"
    );
    assert_eq!(
        changed(&old_raw, &new_raw),
        Some(expected(&old, &new)),
        "raw comparison and comparison by name differ"
    );
    // A damaged copy of the new tree (one byte changed) never panics.
    if let Some(&flip) = data.first() {
        let mut damaged = new_raw.clone();
        if !damaged.is_empty() {
            let at = usize::from(flip) * 7 % damaged.len();
            damaged[at] ^= flip | 1;
            let _ = changed(&old_raw, &damaged);
        }
    }
});
