//! Which connectors can still be among a connector's most similar ones, without reading
//! every posting.
//!
//! Summing a connector's cosine against every connector that shares a word with it reads the
//! postings of all its words, and the postings of common words hold up to a fifth of the
//! catalog: the similar stage grew with the square of the catalog (2.1 per 1× from 10× to
//! 50× the real repository). Here a connector's words are read in order of the most each
//! can add to any cosine (its weight here times its largest weight anywhere). Once the words
//! left could not lift a connector not reached yet to the score it would have to beat (the
//! `keep`-th best lower bound so far, and never below the least score kept), their postings
//! are skipped: the long postings of common words, which add little, come last.
//!
//! The sums read in that order are only bounds. The cosines of the connectors reached are
//! summed again, in the words' own order, which is bit for bit the sum the full reading
//! took, so the kept lists are the same.

use crate::similar::{Postings, Scores};

/// Added to both sides of every comparison of bounds: sums of the same products in another
/// order differ in the last bits (about 1e-6 here), and a skipped connector must be strictly
/// below the bar.
const SLACK: f32 = 1e-3;

/// What a connector is compared with.
pub(crate) struct Bar<'a> {
    /// How many neighbours are kept.
    pub keep: usize,
    /// The least score kept.
    pub least: f32,
    /// The score a connector gets besides its cosine (same host, same stack owner).
    pub bonus: &'a dyn Fn(usize) -> f32,
    /// Up to this many postings, all are read: skipping costs more than it saves.
    pub read_all_up_to: usize,
}

/// In the real repository a connector's words have about 600 postings, at 10× about 6,000:
/// skipping pays from there. With every connector pruned (and the bar looked for among all
/// the connectors reached) the corpus's stage went from 26 to 38 ms.
pub(crate) const READ_ALL_UP_TO: usize = 2_000;

/// Every connector (other than `me`) that may be among the `keep` best for `mine`'s words,
/// with its cosine, in no particular order. `weights` are every connector's weighted words.
/// Connectors already in `scores` (the same host or owner) are always candidates. `scores` is
/// left cleared for the next connector.
pub(crate) fn candidates(
    me: usize,
    weights: &[Vec<(u32, f32)>],
    postings: &Postings,
    bar: &Bar,
    scores: &mut Scores,
) -> Vec<(usize, f32)> {
    let mine = &weights[me];
    let postings_read: usize = mine.iter().map(|&(w, _)| postings.of_word(w).len()).sum();
    if postings_read <= bar.read_all_up_to {
        // Summed in the words' order: these sums are the cosines.
        for &(word, w) in mine {
            scores.add_word(postings, word, w, Some(me));
        }
        return scores.drain();
    }
    reach(me, mine, postings, bar, scores)
        .into_iter()
        .map(|j| (j, cosine(mine, &weights[j])))
        .collect()
}

/// Every connector (other than `me`) that may be among the `keep` best for `mine`'s words,
/// in no particular order. Connectors already in `scores` (the same host or owner) are
/// always read to the end. `scores` is left cleared for the next connector.
fn reach(
    me: usize,
    mine: &[(u32, f32)],
    postings: &Postings,
    bar: &Bar,
    scores: &mut Scores,
) -> Vec<usize> {
    let mut order: Vec<(f32, u32, f32)> = mine
        .iter()
        .map(|&(word, w)| (w * postings.largest(word), word, w))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // What the words from each position on can add at most, summed from the end.
    let mut left = vec![0.0f32; order.len() + 1];
    for k in (0..order.len()).rev() {
        left[k] = left[k + 1] + order[k].0;
    }
    let mut next_look = left[0] / 2.0;
    let mut rest = 0.0;
    for (k, &(_, word, w)) in order.iter().enumerate() {
        let mut stop = below(left[k], bar.least);
        if !stop && left[k] <= next_look {
            // The bar is worked out again each time what is left has halved: it costs a
            // pass over the first connectors reached.
            next_look = left[k] / 2.0;
            stop = below(left[k], kth_best(scores, bar));
        }
        if stop {
            rest = left[k];
            break;
        }
        scores.add_word(postings, word, w, Some(me));
    }
    // A connector reached is dropped too when what it has plus all the words left could
    // give it stays under the bar.
    let bar_now = kth_best(scores, bar).max(bar.least);
    scores
        .drain()
        .into_iter()
        .filter(|&(j, sum)| !below(sum + (bar.bonus)(j) + rest, bar_now))
        .map(|(j, _)| j)
        .collect()
}

/// Whether a score of at most `most` is surely under `bar`, whatever the order its sums were
/// taken in.
fn below(most: f32, bar: f32) -> bool {
    most + 2.0 * SLACK < bar
}

/// How many of the connectors reached first are looked at for the bar.
const LOOKED_AT: usize = 256;

/// The `keep`-th best lower bound among the first connectors reached (0 while fewer are).
/// Any of them gives a bar that holds, since the `keep`-th best of all is at least as high,
/// and the first were reached by the heaviest words: looking at all of them cost more than
/// the postings skipped.
fn kth_best(scores: &Scores, bar: &Bar) -> f32 {
    if bar.keep == 0 {
        return f32::INFINITY;
    }
    let mut bounds: Vec<f32> = scores
        .reached()
        .take(LOOKED_AT)
        .map(|(j, sum)| sum + (bar.bonus)(j))
        .collect();
    if bounds.len() < bar.keep {
        return 0.0;
    }
    let (_, kth, _) = bounds.select_nth_unstable_by(bar.keep - 1, |a, b| b.total_cmp(a));
    *kth
}

/// The cosine of two weighted word lists (ranks ascending), summed in the words' order: what
/// the full reading of the postings sums for a pair.
fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut x, mut y, mut sum) = (0, 0, 0.0f32);
    while let (Some(&(wa, va)), Some(&(wb, vb))) = (a.get(x), b.get(y)) {
        match wa.cmp(&wb) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                sum += va * vb;
                x += 1;
                y += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One connector shares a rare, heavy word with one other, and a light common word with
    /// forty: those forty are never read, whether the bar is the least score kept or the
    /// best so far.
    #[test]
    fn connectors_sharing_only_light_words_are_skipped() {
        let mut weights: Vec<Vec<(u32, f32)>> = vec![vec![(0, 0.9), (1, 0.1)]; 2];
        weights.extend((0..40).map(|_| vec![(1, 1.0)]));
        let postings = Postings::of(&weights, 2);
        let mut scores = Scores::new(weights.len());
        for least in [0.12, 0.0] {
            let bar = Bar {
                keep: 1,
                least,
                bonus: &|_| 0.0,
                read_all_up_to: 0,
            };
            assert_eq!(reach(0, &weights[0], &postings, &bar, &mut scores), vec![1]);
            assert_eq!(scores.reached().count(), 0, "left cleared");
        }
    }

    #[test]
    fn cosine_sums_the_shared_words_products_in_word_order() {
        let a = [(1, 0.5), (3, 0.25), (7, 0.125)];
        let b = [(0, 1.0), (3, 0.5), (7, 2.0), (9, 1.0)];
        assert_eq!(cosine(&a, &b), 0.25 * 0.5 + 0.125 * 2.0);
        assert_eq!(cosine(&a, &[]), 0.0);
    }
}
