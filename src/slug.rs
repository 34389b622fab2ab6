//! Slugs: stable, readable, unique, safe identifiers for connectors and operations.
//!
//! Folder names come from strangers (`Africa's Talking SMS`, `Asite (US Gov.)`,
//! `Brønnøysundregistrene`, `..`). A slug is lower-case ASCII letters, digits and single
//! hyphens, so it is safe as a URL segment and a file name on any file system (no case
//! collisions either). It depends only on the name, except that colliding names get a
//! suffix derived from what distinguishes them, so adding a connector never renames another
//! that does not collide with it.

use foldhash::{HashMap, HashSet};
use std::collections::BTreeMap;

const MAX_LEN: usize = 60;

/// The readable base slug of a name: `Africa's Talking SMS` → `africas-talking-sms`.
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut out = String::with_capacity(ascii.len());
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if ch == '\'' || ch == '’' {
            // "Africa's" reads better as "africas" than "africa-s".
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.len() > MAX_LEN {
        out.truncate(MAX_LEN);
        while out.ends_with('-') {
            out.pop();
        }
    }
    if out.is_empty() {
        out.push_str("connector");
    }
    out
}

/// FNV-1a, for short stable suffixes (not for security).
pub fn short_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:06x}", h & 0xff_ffff)
}

/// Unique slugs for `(key, name, qualifier)` items, in input order.
///
/// Items whose base slugs collide are ordered by their key; the first keeps the base slug,
/// the others get `-<qualifier>` and, if that still collides, a hash of their key.
pub fn unique_slugs(items: &[(&str, &str, &str)]) -> Vec<String> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (_, name, _)) in items.iter().enumerate() {
        groups.entry(slugify(name)).or_default().push(i);
    }
    let mut out = vec![String::new(); items.len()];
    let mut taken: HashSet<String> = groups.keys().cloned().collect();
    for (base, mut members) in groups {
        members.sort_by_key(|&i| items[i].0);
        for (n, &i) in members.iter().enumerate() {
            out[i] = if n == 0 {
                base.clone()
            } else {
                let (key, _, qualifier) = items[i];
                let qualified = format!("{base}-{}", slugify(qualifier));
                if taken.insert(qualified.clone()) {
                    qualified
                } else {
                    let hashed = format!("{base}-{}", short_hash(key));
                    taken.insert(hashed.clone());
                    hashed
                }
            };
        }
    }
    out
}

/// An HTML id / file name for an operation id: keeps letters, digits, `_` and `-`.
pub fn anchor(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    out.truncate(80);
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "op-");
    }
    out
}

/// Makes anchors unique ignoring case (pages may be files on a case-insensitive disk).
pub fn unique_anchors(ids: &[&str]) -> Vec<String> {
    let mut seen = HashSet::default();
    // For each base, the last suffix tried (1: none): every one up to it is taken, and taken
    // stays taken. Trying from 2 each time was quadratic (20,000 operations sharing an id: 23 s).
    let mut last: HashMap<String, usize> = HashMap::default();
    let suffixed = |base: &str, n: usize| match n {
        1 => base.to_string(),
        _ => format!("{base}-{n}"),
    };
    ids.iter()
        .map(|id| {
            let base = anchor(id);
            let tried = last.entry(base.to_ascii_lowercase()).or_insert(0);
            loop {
                *tried += 1;
                let candidate = suffixed(&base, *tried);
                if seen.insert(candidate.to_ascii_lowercase()) {
                    return candidate;
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_ascii() {
        assert_eq!(slugify("Africa's Talking SMS"), "africas-talking-sms");
        assert_eq!(slugify("Asite (US Gov.)"), "asite-us-gov");
        assert_eq!(slugify("Brønnøysundregistrene"), "bronnoysundregistrene");
        assert_eq!(slugify("A & B"), "a-b");
        assert_eq!(
            slugify("Easyvista_Service._Manager"),
            "easyvista-service-manager"
        );
    }

    #[test]
    fn hostile_names_give_safe_slugs() {
        assert_eq!(slugify(".."), "connector");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("<script>"), "script");
        assert!(slugify(&"x".repeat(500)).len() <= MAX_LEN);
    }

    #[test]
    fn colliding_names_get_unique_stable_slugs() {
        let items = [
            ("certified-connectors/A B", "A B", "certified"),
            ("certified-connectors/A-B", "A-B", "certified"),
            (
                "independent-publisher-connectors/a b",
                "a b",
                "independent-publisher",
            ),
        ];
        let slugs = unique_slugs(&items);
        assert_eq!(slugs[0], "a-b");
        assert_eq!(slugs[1], "a-b-certified");
        assert_eq!(slugs[2], "a-b-independent-publisher");
        let set: HashSet<_> = slugs.iter().collect();
        assert_eq!(set.len(), 3);

        // Input order does not matter.
        let reversed: Vec<_> = items.iter().rev().cloned().collect();
        let mut again = unique_slugs(&reversed);
        again.reverse();
        assert_eq!(again, slugs);
        // A qualified slug never takes another connector's base slug.
        let clash = [
            ("x/A B", "A B", "t"),
            ("x/A-B", "A-B", "t"),
            ("x/A B T", "A B T", "t"),
        ];
        let slugs = unique_slugs(&clash);
        assert_eq!(slugs[2], "a-b-t");
        assert_eq!(slugs[1], format!("a-b-{}", short_hash("x/A-B")));
    }

    #[test]
    fn anchors_are_unique_ignoring_case() {
        let a = unique_anchors(&["GetItem", "getitem", "GET /x?y", "1st"]);
        assert_eq!(a, ["GetItem", "getitem-2", "GET--x-y", "op-1st"]);
    }

    /// Regression: each repeat of an id tried every suffix from 2 up, quadratic in the
    /// repeats (20,000 operations sharing an id took 23 s). The anchors are the same as that
    /// plain search gives, ids that look like suffixed ones included.
    #[test]
    fn repeated_ids_get_the_anchors_the_plain_search_gives() {
        let plain = |ids: &[&str]| -> Vec<String> {
            let mut seen = HashSet::default();
            ids.iter()
                .map(|id| {
                    let base = anchor(id);
                    let mut candidate = base.clone();
                    let mut n = 2;
                    while !seen.insert(candidate.to_ascii_lowercase()) {
                        candidate = format!("{base}-{n}");
                        n += 1;
                    }
                    candidate
                })
                .collect()
        };
        let ids = [
            "a", "A", "a-2", "a", "a-3", "b", "a", "A-2", "a-2", "b", "a", "B-2", "b",
        ];
        assert_eq!(unique_anchors(&ids), plain(&ids));
        let many = vec!["Same"; 20_000];
        let got = unique_anchors(&many);
        assert_eq!(got.last().map(String::as_str), Some("Same-20000"));
        assert_eq!(got.iter().collect::<HashSet<_>>().len(), 20_000);
    }
}
