//! Edit distance for "did you mean" suggestions (misspelt `x-ms-*` keys, rule ids, names).
//!
//! Optimal string alignment distance: insertions, deletions, substitutions and transpositions
//! of neighbours each cost 1, which is how keys like `x-ms-visibiltiy` are really misspelt.

/// Optimal string alignment distance between `a` and `b`, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// `distance(a, b)` when it is at most `max`: the rows of the table never decrease their
/// minimum by more than the transposition reach, so a row whose every cell is past `max`
/// (and the row before it) ends the search (every unknown key of a definition was compared
/// in full with every known one).
fn within(a: &str, b: &str, max: usize) -> Option<usize> {
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
        let row_min = |r: usize| d[r * width..(r + 1) * width].iter().copied().min();
        if row_min(i) > Some(max) && row_min(i - 1) > Some(max) {
            return None;
        }
    }
    Some(d[a.len() * width + b.len()]).filter(|&n| n <= max)
}

/// The candidate closest to `word`, when it is within `max` edits.
pub fn closest<'a>(word: &str, candidates: &[&'a str], max: usize) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .iter()
        .filter(|c| c.chars().count().abs_diff(len) <= max)
        .filter_map(|c| within(word, c, max).map(|d| (d, *c)))
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
