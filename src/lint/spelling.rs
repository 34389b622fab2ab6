//! Edit distance for "did you mean" suggestions (misspelt `x-ms-*` keys, rule ids, names).
//!
//! Optimal string alignment distance: insertions, deletions, substitutions and transpositions
//! of neighbours each cost 1, which is how keys like `x-ms-visibiltiy` are really misspelt.

/// Optimal string alignment distance between `a` and `b`, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        if let Some(first) = row.first_mut() {
            *first = i;
        }
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// The candidate closest to `word`, when it is within `max` edits.
pub fn closest<'a>(word: &str, candidates: &[&'a str], max: usize) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .iter()
        .filter(|c| c.chars().count().abs_diff(len) <= max)
        .map(|c| (distance(word, c), *c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_transpositions_as_one_edit() {
        assert_eq!(distance("x-ms-visibiltiy", "x-ms-visibility"), 1);
        assert_eq!(distance("x-ms-sumamry", "x-ms-summary"), 1);
        assert_eq!(distance("x-ms-summmary", "x-ms-summary"), 1);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_respects_the_limit() {
        let known = ["x-ms-visibility", "x-ms-summary"];
        assert_eq!(
            closest("x-ms-visbility", &known, 2),
            Some("x-ms-visibility")
        );
        assert_eq!(closest("x-ms-foo", &known, 2), None);
    }
}
