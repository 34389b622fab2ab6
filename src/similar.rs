//! Similar connectors: which other connectors do the same job.
//!
//! Each connector is a bag of the words of its live operations (summaries and operation ids
//! split at case changes), weighted by TF-IDF so that words every connector has ("get",
//! "list", "id") count for little. Cosine similarity over an inverted index finds
//! neighbours without comparing every pair; the same host or stack owner adds to the score.
//! Used by the connector page ("similar connectors"), compare links and the overlap check.

use crate::model::{index32, Catalog, Connector};
use crate::similar_ops::{same_job, same_job_reading, same_job_taking, JobLists, SameJob};
use crate::similar_reach::{candidates, Bar, READ_ALL_UP_TO};
use crate::similar_words::{
    counts_from, live_beside, word_counts, Counts, Grouped, Live, LiveOp, LiveOps,
};
use foldhash::HashMap;
use rayon::prelude::*;
use serde::Serialize;

/// How many similar connectors are kept per connector.
pub const KEEP: usize = 6;
/// Below this score a connector is not called similar.
const MIN_SCORE: f32 = 0.12;
/// Words in more than this share of connectors carry no signal.
const MAX_DOC_SHARE: f32 = 0.2;
/// Added to the score of a connector on the same host.
const HOST_BONUS: f32 = 0.35;
/// Added to the score of a connector with the same stack owner.
const OWNER_BONUS: f32 = 0.1;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Similar {
    /// Index of the other connector in `Catalog::connectors`.
    pub index: usize,
    pub score: f32,
    /// This connector's operations (their indices, `Connector::op_ref`) that the other one
    /// also has, in the order of their titles, one per title. Indices, not the titles: at 10× the
    /// real repository the lists held 18 MB of copied titles.
    pub shared: Vec<u32>,
    pub same_host: bool,
    pub same_stack_owner: bool,
}

impl Similar {
    /// The titles of the shared operations; `c` is the connector the list belongs to.
    pub fn shared_titles<'a>(&'a self, c: &'a Connector) -> impl Iterator<Item = &'a str> {
        self.shared
            .iter()
            .filter_map(|&i| c.op_ref(usize::try_from(i).ok()?))
            .map(|o| o.title())
    }
}

/// What the similar stage finds, for the pages.
#[derive(Debug, Default)]
pub struct Neighbours {
    /// `connectors[i]`: the connectors similar to connector `i`, best first. Empty after
    /// `neighbours_spilled`, which left each list in the spill.
    pub connectors: Vec<Vec<Similar>>,
    /// Per connector and operation, other connectors' operations doing the same job (empty
    /// after `neighbours_spilled`, likewise).
    pub operations: SameJob,
}

impl Neighbours {
    /// Forgets what names operations of connector `index` by position, once it was parsed
    /// again with `operations` operations (`serve`, after an edit): its operations may have
    /// moved, so its same-job lists, the operations it shares with its similar connectors and
    /// other connectors' links to its operations wait for the next full build rather than
    /// name the wrong operation. Its similar connectors stay.
    pub fn forget_operations_of(&mut self, index: usize, operations: usize) {
        if let Some(ops) = self.operations.get_mut(index) {
            *ops = JobLists::empty(operations);
        }
        let moved = index32(index);
        for lists in &mut self.operations {
            if lists.iter().flatten().any(|o| o.connector == moved) {
                lists.retain(|o| o.connector != moved);
            }
        }
        for similar in self.connectors.get_mut(index).into_iter().flatten() {
            similar.shared.clear();
        }
    }
}

/// Similar connectors and operations that do the same job, for every connector.
pub fn neighbours(catalog: &Catalog) -> anyhow::Result<Neighbours> {
    // Each operation's words are worked out once, for both.
    let live = live_in(catalog)?;
    // A spilled build is there to save memory: at 10× the real repository, the two halves'
    // working sets side by side added 11 MB to the stage's peak, so there they run one after
    // the other, each on both cores where it can.
    let (connectors, operations) = if catalog.spilled.is_some() {
        let connectors = similar_of(catalog, &live);
        (connectors, same_job_taking(catalog, live))
    } else {
        rayon::join(|| similar_of(catalog, &live), || same_job(catalog, &live))
    };
    Ok(Neighbours {
        connectors,
        operations,
    })
}

/// `neighbours` for a catalog that spilled its details (`spill`). Each similar list goes to
/// the spill as soon as it is named, and so do each connector's same-job lists, named as the
/// page links them (the other connectors' operations read back from the spill); each page
/// reads its own back. At 50× the real repository, the similar lists had reached 20 MB by the
/// end of the stage, and the same-job lists 39 MB through the whole render.
///
/// The operations are read and analysed once (`counts_from`): their words' counts become the
/// weights and postings that find the similar connectors, 12 bytes each (`Chosen`), and
/// their words go to the spill (`Spill::put_words`). Each connector's words are read back
/// from there with those of its similar connectors, to name the operations they share, and
/// twice more by the same-job weighing. Every connector's words held at once (28.6 MB at
/// 50×: 731,400 operations, 3.48 million words) were the stage's peak there: 98 MB of
/// anonymous RSS, against 78 MB while the similar connectors are found. The lists it
/// returns are empty.
pub fn neighbours_spilled(catalog: &Catalog) -> anyhow::Result<Neighbours> {
    let Some(spill) = &catalog.spilled else {
        return neighbours(catalog);
    };
    let n = catalog.connectors.len();
    let counted = counts_from(n, |i| catalog.op_list(i), |i, ops| spill.put_words(i, ops))?;
    let vocabulary = counted.vocabulary.len();
    let chosen = similar_chosen(catalog, counted.counts, vocabulary);
    let ranks = counted.ranks;
    let words = |i: usize| spill.words(i).map(|ops| ops.ranked(&ranks));
    let name = |i: usize, chosen: &[Chosen]| {
        if chosen.is_empty() {
            return spill.put_similar(i, &[]);
        }
        let theirs: Vec<(usize, LiveOps)> = chosen
            .iter()
            .map(|c| Ok((c.index as usize, words(c.index as usize)?)))
            .collect::<anyhow::Result<_>>()?;
        let of = |j: usize| theirs.iter().find(|t| t.0 == j).map(|t| &t.1);
        spill.put_similar(i, &named(chosen, &words(i)?, of))
    };
    let written: Vec<anyhow::Result<()>> = chosen
        .par_iter()
        .enumerate()
        .map(|(i, chosen)| name(i, chosen))
        .collect();
    written.into_iter().collect::<anyhow::Result<()>>()?;
    drop(chosen);
    let put = |i, lists: JobLists| spill.put_same_job(i, &lists.named_in(catalog)?);
    let written = same_job_reading(catalog, vocabulary, words, put)?;
    written.into_iter().collect::<anyhow::Result<()>>()?;
    Ok(Neighbours::default())
}

/// Every connector's similar connectors, best first, found from its words' counts alone
/// (`counts_from`; `words` is the vocabulary's size), before the operations they share are
/// named.
fn similar_chosen(catalog: &Catalog, counts: Vec<Counts>, words: usize) -> Vec<Box<[Chosen]>> {
    let n = catalog.connectors.len();
    let weights = weights_of(counts, words);
    let postings = Postings::of(&weights, words);
    let keys = Keys::of(&catalog.connectors);
    let sources = (&keys, &weights[..], &postings);
    (0..n)
        .into_par_iter()
        .map_init(
            || Scores::new(n),
            |scores, i| best_of(i, sources, READ_ALL_UP_TO, scores).into_boxed_slice(),
        )
        .collect()
}

/// The live operations of every connector, with their words (a spilled catalog's read back
/// from the spill).
pub fn live_in(catalog: &Catalog) -> anyhow::Result<Live> {
    crate::similar_words::live_from(catalog.connectors.len(), |i| catalog.op_list(i))
}

/// For every connector (by index), its most similar connectors, best first.
#[cfg(test)]
pub fn similar(catalog: &Catalog) -> Vec<Vec<Similar>> {
    similar_of(catalog, &live_in(catalog).expect("a catalog in memory"))
}

/// `similar`, from the connectors' live operations (`live_in`).
fn similar_of(catalog: &Catalog, live: &Live) -> Vec<Vec<Similar>> {
    similar_reading(catalog, live, READ_ALL_UP_TO)
}

/// `similar_of`, reading every posting of a connector's words when they are at most
/// `read_all_up_to` (`similar_reach`).
fn similar_reading(catalog: &Catalog, live: &Live, read_all_up_to: usize) -> Vec<Vec<Similar>> {
    similar_each(catalog, live, read_all_up_to, |_, list| list)
}

/// `similar_reading`, giving each connector's list to `each` (with the connector's index) as
/// soon as it is found: a spilled build writes it to disk there, rather than hold every list
/// until the last is found (20 MB at 50× the real repository).
fn similar_each<R: Send>(
    catalog: &Catalog,
    live: &Live,
    read_all_up_to: usize,
    each: impl Fn(usize, Vec<Similar>) -> R + Sync,
) -> Vec<R> {
    let connectors = &catalog.connectors;
    let weights = tf_idf(&live.ops, live.vocabulary.len());
    let postings = Postings::of(&weights, live.vocabulary.len());
    let keys = Keys::of(connectors);
    let n = connectors.len();
    (0..n)
        .into_par_iter()
        .map_init(
            || Scores::new(n),
            |scores, i| {
                let sources = (&keys, &weights[..], &postings);
                each(
                    i,
                    neighbours_of(i, &live.ops, sources, read_all_up_to, scores),
                )
            },
        )
        .collect()
}

/// A document's words (`Vocabulary` ranks, ascending) and a number for each: how often the
/// word is in it, or its weight.
type Terms = Counts;

/// Word → every connector that has it (in catalog order) and the word's weight there
/// (`Grouped`: one array, rather than a list per word).
pub(crate) struct Postings {
    /// Word → (connector, weight there), connectors in catalog order.
    connectors: Grouped<(u32, f32)>,
    /// Each word's largest weight in any connector.
    largest: Vec<f32>,
}

impl Postings {
    pub(crate) fn of(weights: &[Terms], words: usize) -> Postings {
        let pairs = || {
            weights.iter().enumerate().flat_map(|(i, doc)| {
                doc.iter()
                    .map(move |&(w, weight)| (w, (index32(i), weight)))
            })
        };
        let mut largest = vec![0.0f32; words];
        for (w, (_, weight)) in pairs() {
            if let Some(max) = largest.get_mut(w as usize) {
                *max = max.max(weight);
            }
        }
        Postings {
            connectors: Grouped::of(words, pairs),
            largest,
        }
    }

    /// The word's largest weight in any connector (0 for a word no connector has).
    pub(crate) fn largest(&self, w: u32) -> f32 {
        self.largest.get(w as usize).copied().unwrap_or(0.0)
    }

    pub(crate) fn of_word(&self, w: u32) -> &[(u32, f32)] {
        self.connectors.of_key(w)
    }
}

/// Cosine sums of one connector against every other, in a dense array reused across
/// connectors: the postings of common words are long (at 50× the synthetic repository, tens
/// of thousands of connectors), and a hash map per connector made the stage take minutes.
pub(crate) struct Scores {
    sums: Vec<f32>,
    seen: Vec<bool>,
    /// The connectors with a sum, in the order they were first reached.
    touched: Vec<usize>,
}

impl Scores {
    pub(crate) fn new(n: usize) -> Scores {
        Scores {
            sums: vec![0.0; n],
            seen: vec![false; n],
            touched: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, j: usize, value: f32) {
        if !self.seen[j] {
            self.seen[j] = true;
            self.touched.push(j);
        }
        self.sums[j] += value;
    }

    /// Reads one word's postings: `weight` times each connector's weight for the word is
    /// added to its sum, for every connector that has the word except `me`.
    pub(crate) fn add_word(
        &mut self,
        postings: &Postings,
        word: u32,
        weight: f32,
        me: Option<usize>,
    ) {
        for &(j, wj) in postings.of_word(word) {
            if Some(j as usize) != me {
                self.add(j as usize, weight * wj);
            }
        }
    }

    /// Every connector reached so far and its sum.
    pub(crate) fn reached(&self) -> impl Iterator<Item = (usize, f32)> + '_ {
        self.touched.iter().map(|&j| (j, self.sums[j]))
    }

    /// Every connector reached and its sum; leaves the array cleared for the next one.
    pub(crate) fn drain(&mut self) -> Vec<(usize, f32)> {
        let out = self.reached().collect();
        for j in self.touched.drain(..) {
            self.sums[j] = 0.0;
            self.seen[j] = false;
        }
        out
    }
}

/// Host and stack-owner keys, computed once, with the connectors that share each.
struct Keys {
    host: Key,
    owner: Key,
}

impl Keys {
    fn of(connectors: &[Connector]) -> Keys {
        Keys {
            host: Key::of(connectors.iter().map(host_key)),
            owner: Key::of(connectors.iter().map(owner_key)),
        }
    }

    fn same_host(&self, a: usize, b: usize) -> bool {
        self.host.same(a, b)
    }

    fn same_owner(&self, a: usize, b: usize) -> bool {
        self.owner.same(a, b)
    }

    /// The connectors that share connector `i`'s host, then those that share its owner.
    fn sharing(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.having(self.host.number_of(i), self.owner.number_of(i))
    }

    /// The connectors with host number `host`, then those with owner number `owner`.
    fn having(&self, host: u32, owner: u32) -> impl Iterator<Item = usize> + '_ {
        let hosts = self.host.members.of_key(host);
        hosts
            .iter()
            .chain(self.owner.members.of_key(owner))
            .map(|&j| j as usize)
    }
}

/// One kind of key (a host, a stack owner) as numbers: compared for every connector reached
/// (comparing the strings was 1.9% of a 50× build's samples up to this stage), and each
/// string held once, not once for each connector and again in a map (about 100 bytes a
/// connector).
struct Key {
    /// Each connector's key as a number, 0 for none.
    numbers: Vec<u32>,
    /// The connectors that have each key, in catalog order, by number.
    members: Grouped<u32>,
    /// Each key's number, for a connector from outside the catalog (`CatalogIndex::query`).
    by_key: HashMap<String, u32>,
}

impl Key {
    fn of(keys: impl Iterator<Item = Option<String>>) -> Key {
        let mut by_key: HashMap<String, u32> = HashMap::default();
        let numbers: Vec<u32> = keys
            .map(|k| {
                let Some(k) = k else { return 0 };
                let next = index32(by_key.len() + 1);
                *by_key.entry(k).or_insert(next)
            })
            .collect();
        let pairs = || {
            let numbered = numbers.iter().enumerate().filter(|(_, &n)| n != 0);
            numbered.map(|(i, &n)| (n, index32(i)))
        };
        Key {
            members: Grouped::of(by_key.len() + 1, pairs),
            numbers,
            by_key,
        }
    }

    fn number_of(&self, i: usize) -> u32 {
        self.numbers.get(i).copied().unwrap_or(0)
    }

    /// The number of `key`, 0 for none or one no catalog connector has.
    fn number(&self, key: Option<&str>) -> u32 {
        key.and_then(|k| self.by_key.get(k)).copied().unwrap_or(0)
    }

    fn same(&self, a: usize, b: usize) -> bool {
        self.is(b, self.number_of(a))
    }

    /// Whether connector `j`'s key is number `n` (never for none).
    fn is(&self, j: usize, n: u32) -> bool {
        n != 0 && self.number_of(j) == n
    }
}

/// What a connector's neighbours are found in: every connector's keys and weighted words,
/// and the postings.
type Sources<'a> = (&'a Keys, &'a [Terms], &'a Postings);

fn neighbours_of(
    i: usize,
    ops: &[LiveOps],
    sources: Sources,
    read_all_up_to: usize,
    scores: &mut Scores,
) -> Vec<Similar> {
    let chosen = best_of(i, sources, read_all_up_to, scores);
    named(&chosen, &ops[i], |j| ops.get(j))
}

/// Connector `i`'s similar connectors, best first, before the operations they share are
/// named.
fn best_of(
    i: usize,
    (keys, weights, postings): Sources,
    read_all_up_to: usize,
    scores: &mut Scores,
) -> Vec<Chosen> {
    // The same host or owner are always candidates, whatever their words: their bonus is
    // known before any word is read.
    for j in keys.sharing(i) {
        if j != i {
            scores.add(j, 0.0);
        }
    }
    let bar = Bar {
        keep: KEEP,
        least: MIN_SCORE,
        bonus: &|j| bonus(keys.same_host(i, j), keys.same_owner(i, j)),
        read_all_up_to,
    };
    let found = candidates(i, weights, postings, &bar, scores)
        .into_iter()
        .map(|(j, cosine)| (j, cosine, keys.same_host(i, j), keys.same_owner(i, j)));
    best(found, KEEP)
}

/// What the same host and the same stack owner add to a connector's score, for a bound.
fn bonus(same_host: bool, same_stack_owner: bool) -> f32 {
    (if same_host { HOST_BONUS } else { 0.0 }) + if same_stack_owner { OWNER_BONUS } else { 0.0 }
}

/// `(connector, cosine, same host, same stack owner)` scored with the host and owner
/// bonuses: the best `keep` at or above `MIN_SCORE`, each with the operations of `mine` that
/// it also has.
fn ranked(
    candidates: impl Iterator<Item = (usize, f32, bool, bool)>,
    keep: usize,
    mine: &LiveOps,
    ops: &[LiveOps],
) -> Vec<Similar> {
    named(&best(candidates, keep), mine, |j| ops.get(j))
}

/// A similar connector before the operations it shares are named: what a spilled build
/// holds for each connector between finding its similar connectors and naming them (12
/// bytes, where a `Similar` takes 40).
#[derive(Debug, Clone, Copy)]
struct Chosen {
    index: u32,
    /// With the host and owner bonuses, not yet rounded.
    score: f32,
    same_host: bool,
    same_stack_owner: bool,
}

/// `ranked`'s choice: the best `keep` at or above `MIN_SCORE`, best first.
fn best(candidates: impl Iterator<Item = (usize, f32, bool, bool)>, keep: usize) -> Vec<Chosen> {
    let mut ranked: Vec<Chosen> = candidates
        .map(|(index, cosine, same_host, same_stack_owner)| Chosen {
            index: index32(index),
            // Added one after the other, as always: a sum taken another way may differ in
            // its last bit, and so change the order of two connectors that tie.
            score: cosine
                + if same_host { HOST_BONUS } else { 0.0 }
                + if same_stack_owner { OWNER_BONUS } else { 0.0 },
            same_host,
            same_stack_owner,
        })
        .filter(|s| s.score >= MIN_SCORE)
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    ranked.truncate(keep);
    // `truncate` keeps the capacity of every candidate: at 10× the synthetic repository,
    // hundreds per connector, kept for the whole build (158 MB).
    ranked.shrink_to_fit();
    ranked
}

/// The similar connectors `chosen`, each with the operations of `mine` that it also has
/// (`theirs`: a connector's, by index) and its score rounded.
fn named<'o>(
    chosen: &[Chosen],
    mine: &LiveOps,
    theirs: impl Fn(usize) -> Option<&'o LiveOps>,
) -> Vec<Similar> {
    if chosen.is_empty() {
        return Vec::new();
    }
    let mine = by_title(mine);
    let empty = LiveOps::default();
    chosen
        .iter()
        .map(|f| Similar {
            index: f.index as usize,
            score: (f.score * 1000.0).round() / 1000.0,
            shared: shared_operations(&mine, theirs(f.index as usize).unwrap_or(&empty)),
            same_host: f.same_host,
            same_stack_owner: f.same_stack_owner,
        })
        .collect()
}

/// The host without `www.` and port, lower-case; placeholder hosts do not count.
pub fn host_key(c: &Connector) -> Option<String> {
    let h = c.about.host()?.trim().to_ascii_lowercase();
    let h = h.strip_prefix("www.").unwrap_or(&h);
    let h = h.split(':').next().unwrap_or(h);
    (!h.is_empty() && h.contains('.') && !h.contains('{') && h != "localhost")
        .then(|| h.to_string())
}

/// How often each word is in a connector's live operations.
fn term_counts(ops: &LiveOps) -> Terms {
    word_counts(ops.all_words().to_vec())
}

/// Normalised tf-idf weights of every connector's words; `words` is the vocabulary's size.
fn tf_idf(ops: &[LiveOps], words: usize) -> Vec<Terms> {
    weights_of(ops.iter().map(term_counts).collect(), words)
}

/// `tf_idf`, from every connector's term counts.
fn weights_of(docs: Vec<Terms>, words: usize) -> Vec<Terms> {
    let df = document_frequencies(&docs, words);
    let n = docs.len().max(1) as f32;
    docs.into_iter()
        .map(|doc| weigh(doc, &df, n, 0.0))
        .collect()
}

/// In how many documents each word (by rank) appears.
fn document_frequencies(docs: &[Terms], words: usize) -> Vec<f32> {
    let mut df = vec![0.0; words];
    for &(w, _) in docs.iter().flatten() {
        if let Some(d) = df.get_mut(w as usize) {
            *d += 1.0;
        }
    }
    df
}

/// Normalised tf-idf weights of one document, from its term counts; `extra` is added to
/// every document frequency (1 when the document itself is not among those `df` was counted
/// on). The norm is summed in the words' order.
fn weigh(mut weighted: Terms, df: &[f32], n: f32, extra: f32) -> Terms {
    // In place: the counts' list becomes the weights', rather than the weights taking a
    // second list beside it.
    weighted.retain_mut(|(w, tf)| {
        let d = df.get(*w as usize).copied().unwrap_or(0.0) + extra;
        let d = d.max(1.0);
        if d < 2.0 || (n >= 50.0 && d / n > MAX_DOC_SHARE) {
            return false; // unique to one connector, or everywhere
        }
        *tf = (1.0 + tf.ln()) * (n / d).ln();
        true
    });
    let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        weighted.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    weighted
}

/// A catalog indexed once, to ask which of its connectors a new connector resembles
/// (`check --against`). The new connector is not part of the catalog.
pub struct CatalogIndex<'a> {
    connectors: &'a [Connector],
    live: Live,
    /// In how many catalog connectors each word is.
    df: Vec<f32>,
    postings: Postings,
    keys: Keys,
}

impl<'a> CatalogIndex<'a> {
    pub fn new(connectors: &'a [Connector]) -> CatalogIndex<'a> {
        let live = crate::similar_words::live_in(connectors);
        let words = live.vocabulary.len();
        let docs: Vec<Terms> = live.ops.iter().map(term_counts).collect();
        let df = document_frequencies(&docs, words);
        // Weighed as if the queried connector were one more document that may share any term,
        // so a term only one catalog connector has still counts when the query has it too.
        let n = (docs.len() + 1) as f32;
        let weights: Vec<Terms> = docs
            .into_iter()
            .map(|doc| weigh(doc, &df, n, 1.0))
            .collect();
        CatalogIndex {
            connectors,
            keys: Keys::of(connectors),
            postings: Postings::of(&weights, words),
            live,
            df,
        }
    }

    /// The connectors of the catalog.
    pub fn connectors(&self) -> &'a [Connector] {
        self.connectors
    }

    /// Catalog connectors (by index) most like `target`, best first, at most `keep`;
    /// `skip` leaves some out (the target itself when the catalog holds it).
    pub fn query(
        &self,
        target: &Connector,
        keep: usize,
        skip: &dyn Fn(&Connector) -> bool,
    ) -> Vec<Similar> {
        // Words the catalog lacks weigh nothing (as in one document only).
        let mine = live_beside(target, &self.live.vocabulary);
        let n = (self.connectors.len() + 1) as f32;
        let weights = weigh(term_counts(&mine), &self.df, n, 1.0);
        let mut scores = Scores::new(self.connectors.len());
        for &(term, w) in &weights {
            scores.add_word(&self.postings, term, w, None);
        }
        let host = self.keys.host.number(host_key(target).as_deref());
        let owner = self.keys.owner.number(owner_key(target).as_deref());
        for j in self.keys.having(host, owner) {
            scores.add(j, 0.0);
        }
        let candidates = scores
            .drain()
            .into_iter()
            .filter(|(j, _)| self.connectors.get(*j).is_some_and(|c| !skip(c)))
            .map(|(j, cosine)| {
                let same_host = self.keys.host.is(j, host);
                let same_stack_owner = self.keys.owner.is(j, owner);
                (j, cosine, same_host, same_stack_owner)
            });
        ranked(candidates, keep, &mine, &self.live.ops)
    }
}

/// The stack owner, trimmed and lower-case.
fn owner_key(c: &Connector) -> Option<String> {
    c.about
        .stack_owner()
        .map(|o| o.trim().to_lowercase())
        .filter(|o| !o.is_empty())
}

/// How many of a connector's operations it shares with a similar connector are named.
const SHARED_NAMED: usize = 8;

/// A connector's live operations in the order its shared ones are named: by title, then by
/// index. Sorted once for all its similar connectors.
fn by_title(ops: &LiveOps) -> Vec<LiveOp<'_>> {
    let mut sorted: Vec<LiveOp> = ops.iter().collect();
    sort_by_title(&mut sorted);
    sorted
}

/// By title (`LiveOp::title`, the title's rank), then by index.
fn sort_by_title(ops: &mut [LiveOp]) {
    ops.sort_by_key(|o| (o.title, o.operation));
}

/// The operations of `mine` (sorted `by_title`) that have a close match in `b` (word overlap
/// ≥ 60%), as indices: in the order of their titles, one per title (the first that matches),
/// at most `SHARED_NAMED`. It stops at the last one named: between two copies of a large
/// connector (the synthetic catalogs have many) every operation matches, and a match was
/// looked for for each of them all the same.
fn shared_operations(mine: &[LiveOp], b: &LiveOps) -> Vec<u32> {
    let mut named: Vec<u32> = Vec::new();
    let mut last_title = None;
    for &op in mine {
        let title = op.title;
        if named.len() == SHARED_NAMED {
            break;
        }
        if last_title == Some(title) {
            continue;
        }
        if b.iter().any(|theirs| close(op, theirs)) {
            named.push(op.operation);
            last_title = Some(title);
        }
    }
    // Kept for the whole build: no spare room.
    named.shrink_to_fit();
    named
}

/// Whether two operations use mostly the same words (Jaccard ≥ 0.6).
fn close(mine: LiveOp, theirs: LiveOp) -> bool {
    // Jaccard is at most the ratio of the two sizes: most pairs end here.
    let (x, y) = (mine.words.len(), theirs.words.len());
    x.min(y) * 5 >= x.max(y) * 3 && jaccard(mine.words, theirs.words) >= 0.6
}

/// Jaccard similarity of two sorted, distinct word lists.
fn jaccard(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let inter = inter as f32;
    inter / ((a.len() + b.len()) as f32 - inter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analysis::{lexicon, split_identifier};
    use std::collections::BTreeSet;

    /// Keys as numbers find who shares a host or an owner as the strings did: in catalog
    /// order, host first, and a key nobody else has (or none) shares with nobody.
    #[test]
    fn keys_as_numbers_share_as_the_strings_do() {
        let key = |k: &str| (!k.is_empty()).then(|| k.to_string());
        let hosts = Key::of(
            ["a.com", "", "b.com", "a.com", "a.com"]
                .map(key)
                .into_iter(),
        );
        let owners = Key::of(["x", "y", "", "", "x"].map(key).into_iter());
        let keys = Keys {
            host: hosts,
            owner: owners,
        };
        assert_eq!(keys.sharing(0).collect::<Vec<_>>(), [0, 3, 4, 0, 4]);
        assert_eq!(keys.sharing(1).collect::<Vec<_>>(), [1]);
        assert_eq!(keys.sharing(2).collect::<Vec<_>>(), [2]);
        assert!(keys.same_host(0, 3) && !keys.same_host(0, 2) && !keys.same_host(1, 1));
        assert!(
            keys.same_owner(0, 4) && !keys.same_owner(2, 3),
            "no owner is no match"
        );
        assert_eq!(keys.host.number(Some("b.com")), keys.host.number_of(2));
        assert_eq!(keys.host.number(Some("c.com")), 0);
        assert_eq!(keys.host.number(None), 0);
    }

    /// The distinct analysed terms of a text.
    fn words(text: &str) -> BTreeSet<String> {
        lexicon().terms(text).into_iter().collect()
    }

    #[test]
    fn dense_scores_sum_per_connector_and_start_clean_for_the_next() {
        let mut scores = Scores::new(5);
        scores.add(3, 0.25);
        scores.add(1, 0.5);
        scores.add(3, 0.25);
        scores.add(4, 0.0);
        assert_eq!(scores.drain(), vec![(3, 0.5), (1, 0.5), (4, 0.0)]);
        scores.add(1, 0.125);
        assert_eq!(scores.drain(), vec![(1, 0.125)], "nothing left from before");
        assert!(scores.drain().is_empty());
    }

    #[test]
    fn operation_words_split_identifiers_and_drop_noise() {
        let w = words(&split_identifier("SendSMSMessageV2"));
        assert!(
            w.contains("send") && w.contains("sms") && w.contains("messag"),
            "{w:?}"
        );
        let s = words("Send a text messages to the phone");
        assert_eq!(
            s.into_iter().collect::<Vec<_>>(),
            ["messag", "phon", "send", "text"]
        );
    }

    /// Regression: tf-idf weights and their norms were summed in `HashMap` order, which is
    /// random per map, so connectors that are exactly alike got scores differing in the
    /// last bit and swapped places from one build to the next.
    #[test]
    fn connectors_exactly_alike_are_ranked_by_position_every_time() {
        use crate::similar_ops::tests::{catalog, connector};
        let ops: Vec<(String, String)> = [
            "Send message",
            "Get message",
            "List messages",
            "Delete message",
            "Send file",
            "Upload file",
            "Download file",
            "List folders",
            "Create folder",
            "Rename folder",
            "Get user",
            "List users",
            "Create invoice",
            "Get invoice",
            "Pay invoice",
        ]
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("Op{i}"), s.to_string()))
        .collect();
        let refs: Vec<(&str, &str)> = ops.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let mut connectors: Vec<Connector> = (0..8).map(|_| connector(&refs)).collect();
        connectors.push(connector(&[
            ("A", "Translate text"),
            ("B", "Detect language"),
        ]));
        connectors.push(connector(&[
            ("C", "Translate document"),
            ("D", "List languages"),
        ]));
        let c = catalog(connectors);
        let expected: Vec<usize> = (1..=KEEP).collect();
        for _ in 0..20 {
            let ranked: Vec<usize> = similar(&c)[0].iter().map(|s| s.index).collect();
            assert_eq!(ranked, expected);
        }
    }

    /// Every connector's list as reading every posting made it (the stage before
    /// `similar_reach`): every connector sharing a word is summed in the words' order.
    fn read_every_posting(catalog: &Catalog, live: &Live) -> Vec<Vec<Similar>> {
        let weights = tf_idf(&live.ops, live.vocabulary.len());
        let postings = Postings::of(&weights, live.vocabulary.len());
        let keys = Keys::of(&catalog.connectors);
        let mut scores = Scores::new(catalog.connectors.len());
        (0..catalog.connectors.len())
            .map(|i| {
                for &(term, w) in &weights[i] {
                    for &(j, wj) in postings.of_word(term) {
                        if j as usize != i {
                            scores.add(j as usize, w * wj);
                        }
                    }
                }
                for j in keys.sharing(i) {
                    if j != i {
                        scores.add(j, 0.0);
                    }
                }
                let candidates = scores
                    .drain()
                    .into_iter()
                    .map(|(j, cosine)| (j, cosine, keys.same_host(i, j), keys.same_owner(i, j)));
                ranked(candidates, KEEP, &live.ops[i], &live.ops)
            })
            .collect()
    }

    /// A catalog of `n` connectors whose operations draw words from one pool, a few words
    /// far more often than the rest (as in the real repository), some on one host or with
    /// one stack owner, and every seventh a copy of the one before.
    fn drawn_catalog(n: usize) -> Catalog {
        use crate::similar_ops::tests::{catalog, connector};
        const SYLLABLES: [&str; 16] = [
            "ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "vu", "wa", "ze", "bo", "di", "fu",
            "go", "hy",
        ];
        let mut seed = 7u64;
        let mut draw = |m: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap_or(0) % m
        };
        let mut connectors: Vec<Connector> = Vec::new();
        for k in 0..n {
            if k % 7 == 6 {
                let copy = connectors[k - 1].clone();
                connectors.push(copy);
                continue;
            }
            let ops: Vec<(String, String)> = (0..2 + draw(8))
                .map(|o| {
                    let words: Vec<String> = (0..3)
                        .map(|_| {
                            let most = draw(256) + 1;
                            let w = draw(most);
                            format!("{}{}", SYLLABLES[w / 16], SYLLABLES[w % 16])
                        })
                        .collect();
                    (format!("Op{o}"), words.join(" "))
                })
                .collect();
            let refs: Vec<(&str, &str)> =
                ops.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let mut c = connector(&refs);
            if k % 5 == 0 {
                c.about
                    .edit(|p| p.host = Some(format!("api{}.example.com", k % 3)));
            }
            if k % 11 == 0 {
                c.about.edit(|p| p.stack_owner = Some("Acme".into()));
            }
            connectors.push(c);
        }
        catalog(connectors)
    }

    /// Regression guard for `similar_reach`: skipping postings must not change a list, a
    /// score's last bit, or the order of two connectors that tie.
    #[test]
    fn skipping_postings_keeps_the_lists_that_reading_every_posting_gave() {
        let c = drawn_catalog(400);
        let live = live_in(&c).expect("live");
        let lists = similar_reading(&c, &live, 0);
        assert_eq!(lists, read_every_posting(&c, &live));
        assert_eq!(similar_of(&c, &live), lists);
        assert!(
            lists.iter().filter(|l| l.len() == KEEP).count() > 300,
            "most lists are full, so the bar is high enough to skip"
        );
        let kept = || lists.iter().flatten();
        assert!(kept().any(|s| s.same_host) && kept().any(|s| s.same_stack_owner));
    }

    /// The counts made as each connector is read are those of its words read whole: the
    /// same vocabulary, the same counts, word for word. The operations handed out as they
    /// are read, their words ranked afterwards, are those read whole.
    #[test]
    fn words_counted_as_read_are_the_counts_of_the_live_operations() {
        let c = drawn_catalog(300);
        let live = live_in(&c).expect("live");
        let n = c.connectors.len();
        let mut handed = Vec::new();
        let keep = |i: usize, ops: &LiveOps| {
            assert_eq!(i, handed.len(), "handed out in catalog order");
            handed.push(ops.clone());
            Ok::<_, anyhow::Error>(())
        };
        let counted = counts_from(n, |i| c.op_list(i), keep).expect("counts as each is read");
        assert_eq!(counted.vocabulary.len(), live.vocabulary.len());
        let expected: Vec<Terms> = live.ops.iter().map(term_counts).collect();
        assert_eq!(counted.counts, expected);
        assert!(
            counted
                .counts
                .iter()
                .any(|mine| mine.iter().any(|&(_, k)| k > 1.0)),
            "some word is in more than one operation of a connector"
        );
        let ranked: Vec<LiveOps> = handed
            .into_iter()
            .map(|o| o.ranked(&counted.ranks))
            .collect();
        assert_eq!(ranked, live.ops);
    }

    /// A spilled catalog, whose operations wait in the spill (counted in memory), finds the
    /// lists a catalog in memory finds, and leaves them in the spill (the same-job lists
    /// named from the spilled operations).
    #[test]
    fn a_spilled_catalog_leaves_its_lists_in_the_spill_and_forgets_the_operations() {
        let whole = drawn_catalog(120);
        let (similar_lists, same) = (
            similar(&whole),
            same_job(&whole, &live_in(&whole).expect("live")),
        );
        let out = tempfile::tempdir().expect("temp dir");
        let spill = crate::spill::Spill::beside(&out.path().join("site")).expect("spill");
        let mut light = drawn_catalog(120);
        for (i, c) in light.connectors.iter_mut().enumerate() {
            spill.put(i, c).expect("put");
        }
        let spill = std::sync::Arc::new(spill);
        light.spilled = Some(spill.clone());
        let held = neighbours(&light).expect("lists in memory");
        assert_eq!(
            (&held.connectors, &held.operations),
            (&similar_lists, &same)
        );
        let found = neighbours_spilled(&light).expect("lists spilled");
        assert!(found.connectors.is_empty() && found.operations.is_empty());
        let named = |i: usize| same[i].named_in(&whole).expect("named");
        for (i, lists) in held.operations.iter().enumerate() {
            assert_eq!(
                lists.named_in(&light).expect("named from the spill"),
                named(i)
            );
        }
        for (i, c) in light.connectors.iter().enumerate() {
            assert_eq!(spill.similar(i).expect("similar"), similar_lists[i]);
            assert_eq!(spill.same_job(i).expect("same job"), named(i));
            let counts = whole.connectors[i].op_counts();
            assert_eq!(c.stubs.forgotten(), Some(counts));
            assert_eq!(
                (c.op_refs().count(), c.op_count()),
                (0, counts.total as usize)
            );
        }
        let links = (0..120).flat_map(named).flatten().count();
        assert!(
            links > 100,
            "the lists name other connectors' operations: {links}"
        );
    }

    /// A spilled build reads each connector's words again for the same-job weighing
    /// (`same_job_reading`, twice) rather than keep every connector's: read again (here
    /// analysed again from the operations), they are what the similar stage had, and the same
    /// jobs are found.
    #[test]
    fn reading_the_operations_again_finds_the_same_jobs() {
        let c = drawn_catalog(400);
        let live = live_in(&c).expect("live");
        let read = |i| {
            let list = c.op_list(i)?;
            Ok(crate::similar_words::live_ranked(
                list.iter(),
                &live.vocabulary,
            ))
        };
        for i in 0..c.connectors.len() {
            assert_eq!(read(i).expect("read"), live.ops[i], "connector {i}");
        }
        let kept = same_job(&c, &live);
        let read_again = same_job_reading(&c, live.vocabulary.len(), read, |_, lists| lists);
        assert_eq!(read_again.expect("read"), kept);
        let found = kept.iter().flat_map(JobLists::iter).flatten().count();
        assert!(found > 400, "{found}");
    }

    /// A spilled build weighs each connector's words and frees them at once
    /// (`same_job_taking`): it finds the same jobs as weighing them all first.
    #[test]
    fn freeing_words_as_they_are_weighed_finds_the_same_jobs() {
        let c = drawn_catalog(400);
        let kept = same_job(&c, &live_in(&c).expect("live"));
        assert_eq!(same_job_taking(&c, live_in(&c).expect("live")), kept);
        let found = kept.iter().flat_map(JobLists::iter).flatten().count();
        assert!(
            found > 400,
            "many operations have others doing their job: {found}"
        );
    }

    /// Regression: the lists were cut to `KEEP` with `truncate`, which keeps the capacity of
    /// every candidate; at 10× the synthetic repository, where each connector has hundreds,
    /// the similar lists held 176 MB for the whole build, 158 MB of it spare room.
    #[test]
    fn neighbour_lists_keep_no_room_for_the_candidates_they_dropped() {
        use crate::similar_ops::tests::{catalog, connector};
        // Groups of seven alike connectors (their words in under a fifth of the catalog, and
        // in under 2% of the operations beside ten of their own), all on one host, so that
        // every other connector is a candidate.
        let jobs = [
            "Send an SMS",
            "Sign a PDF",
            "Translate text",
            "Book a room",
            "Pay a bill",
        ];
        let connectors = (0..35)
            .map(|i| {
                let job = jobs[i % jobs.len()];
                let own: Vec<(String, String)> = (0..10)
                    .map(|k| (format!("Own{i}x{k}"), format!("Count thing{i}x{k}")))
                    .collect();
                let mut ops: Vec<(&str, &str)> = own.iter().map(|(a, b)| (&**a, &**b)).collect();
                let id = job.replace(' ', "");
                ops.insert(0, (&id, job));
                let mut c = connector(&ops);
                c.about.edit(|p| p.host = Some("api.example.com".into()));
                c
            })
            .collect();
        let found = neighbours(&catalog(connectors)).expect("neighbours");
        for list in &found.connectors {
            assert_eq!(list.len(), KEEP);
            assert_eq!(list.capacity(), KEEP, "room for dropped candidates");
            assert!(list.iter().all(|s| s.shared.capacity() == s.shared.len()));
        }
        for ops in &found.operations {
            assert_eq!(
                ops[0].len(),
                crate::similar_ops::KEEP,
                "six others, five kept"
            );
        }
    }

    /// Regression guard for `shared_operations` stopping at the last operation it names: on
    /// drawn operations (titles repeated, words from a small pool, so that many match and
    /// some titles match only on a later operation) it names what checking every operation,
    /// then sorting, deduplicating and cutting, named.
    #[test]
    fn naming_shared_operations_stops_early_and_names_what_checking_all_named() {
        fn checking_all(a: &LiveOps, b: &LiveOps) -> Vec<u32> {
            let mut out: Vec<LiveOp> = a
                .iter()
                .filter(|mine| b.iter().any(|theirs| close(*mine, theirs)))
                .collect();
            out.sort_by_key(|o| (o.title, o.operation));
            out.dedup_by_key(|o| o.title);
            out.truncate(SHARED_NAMED);
            out.iter().map(|op| op.operation).collect()
        }
        const TITLES: u64 = 12;
        let mut seed = 11u64;
        let mut draw = |m: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % m
        };
        // Operations with drawn words, and a drawn title for each (its rank).
        let ops = |n: u64, draw: &mut dyn FnMut(u64) -> u64| -> LiveOps {
            LiveOps::of((0..n).map(|o| {
                let mut words: Vec<u32> = (0..1 + draw(4)).map(|_| draw(7) as u32).collect();
                words.sort_unstable();
                words.dedup();
                (o as u32, words, None, draw(TITLES) as u32)
            }))
        };
        let (mut named_some, mut cut) = (false, false);
        for _ in 0..500 {
            let (n, m) = (draw(30), draw(30));
            let (a, b) = (ops(n, &mut draw), ops(m, &mut draw));
            let expected = checking_all(&a, &b);
            assert_eq!(shared_operations(&by_title(&a), &b), expected);
            named_some |= !expected.is_empty();
            cut |= expected.len() == SHARED_NAMED;
        }
        assert!(named_some && cut, "the draws reach both cases");
    }

    #[test]
    fn shared_operations_are_indices_named_once_per_title_in_title_order() {
        use crate::similar_ops::tests::{catalog, connector};
        let mut mine = connector(&[
            ("ZebraCreate", "Create a zebra record"),
            ("AardvarkCreate", "Create an aardvark record"),
            ("ZebraCreateCopy", "Create a zebra record"),
            ("PingMisc", "Ping the misc service"),
        ]);
        let mut theirs = connector(&[
            ("ZebraCreate", "Create a zebra record"),
            ("AardvarkCreate", "Create an aardvark record"),
        ]);
        for c in [&mut mine, &mut theirs] {
            c.about
                .edit(|p| p.host = Some("api.zoo.example.com".into()));
        }
        let cat = catalog(vec![mine, theirs]);
        let found = similar(&cat);
        let listed = &found[0];
        assert_eq!(listed.len(), 1);
        let c = &cat.connectors[0];
        let titles: Vec<&str> = listed[0].shared_titles(c).collect();
        assert_eq!(
            titles,
            ["Create a zebra record", "Create an aardvark record"]
        );
        // Of the two operations titled alike, the first is named.
        let zebra = listed[0].shared[0] as usize;
        let first = c
            .details()
            .operations
            .iter()
            .position(|o| o.title() == "Create a zebra record");
        assert_eq!(Some(zebra), first);
    }

    #[test]
    fn an_edited_connector_operations_are_forgotten_everywhere_they_are_named() {
        use crate::similar_ops::tests::{catalog, texts_and_invoices};
        let mut connectors = texts_and_invoices();
        for c in &mut connectors {
            c.about
                .edit(|p| p.host = Some("api.zoo.example.com".into()));
        }
        let mut found = neighbours(&catalog(connectors)).expect("neighbours");
        let names_1 = |n: &Neighbours| {
            n.operations
                .iter()
                .flat_map(JobLists::iter)
                .flatten()
                .filter(|o| o.connector == 1)
                .count()
        };
        assert!(names_1(&found) > 0);
        assert!(found.connectors[1].iter().any(|s| !s.shared.is_empty()));
        found.forget_operations_of(1, 3);
        assert_eq!(names_1(&found), 0, "no link to a moved operation");
        assert_eq!(found.operations[1], JobLists::empty(3));
        assert!(found.connectors[1].iter().all(|s| s.shared.is_empty()));
        assert!(
            !found.connectors[1].is_empty(),
            "its similar connectors stay"
        );
        assert!(found.connectors[0].iter().any(|s| !s.shared.is_empty()));
    }

    #[test]
    fn postings_list_each_word_connectors_in_order_and_nothing_for_unknown_words() {
        let weights: Vec<Terms> =
            vec![vec![(0, 0.5), (2, 0.25)], vec![], vec![(2, 0.75), (3, 1.0)]];
        let p = Postings::of(&weights, 4);
        assert_eq!(p.of_word(0), [(0, 0.5)]);
        assert!(p.of_word(1).is_empty(), "a word no connector weighs");
        assert_eq!(p.of_word(2), [(0, 0.25), (2, 0.75)]);
        assert_eq!(p.of_word(3), [(2, 1.0)]);
        assert!(p.of_word(4).is_empty() && p.of_word(u32::MAX).is_empty());
    }

    #[test]
    fn jaccard_of_identical_sets_is_one() {
        let a = [1, 4, 7]; // send text message
        assert!((jaccard(&a, &a) - 1.0).abs() < 1e-6);
        assert_eq!(jaccard(&a, &[2, 3]), 0.0);
        assert!((jaccard(&a, &[4, 7]) - 2.0 / 3.0).abs() < 1e-6);
    }
}
