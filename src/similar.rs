//! Similar connectors: which other connectors do the same job.
//!
//! Each connector is a bag of the words of its live operations (summaries and operation ids
//! split at case changes), weighted by TF-IDF so that words every connector has ("get",
//! "list", "id") count for little. Cosine similarity over an inverted index finds
//! neighbours without comparing every pair; the same host or stack owner adds to the score.
//! Used by the connector page ("similar connectors"), compare links and the overlap check.

use crate::index::analysis::{lexicon, split_identifier};
use crate::model::{Catalog, Connector};
use crate::similar_ops::{index32, same_job, SameJob};
use foldhash::{HashMap, HashSet};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// How many similar connectors are kept per connector.
pub const KEEP: usize = 6;
/// Below this score a connector is not called similar.
const MIN_SCORE: f32 = 0.12;
/// Words in more than this share of connectors carry no signal.
const MAX_DOC_SHARE: f32 = 0.2;

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
    /// `connectors[i]`: the connectors similar to connector `i`, best first.
    pub connectors: Vec<Vec<Similar>>,
    /// Per connector and operation, other connectors' operations doing the same job.
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
            *ops = vec![Vec::new(); operations];
        }
        let moved = index32(index);
        for list in self.operations.iter_mut().flatten() {
            list.retain(|o| o.connector != moved);
        }
        for similar in self.connectors.get_mut(index).into_iter().flatten() {
            similar.shared.clear();
        }
    }
}

/// Similar connectors and operations that do the same job, for every connector.
pub fn neighbours(catalog: &Catalog) -> Neighbours {
    // Each operation's words are worked out once, for both.
    let ops = live_in(catalog);
    // A spilled build is there to save memory: its similar stage is the build's peak (at
    // 10× the real repository, the two halves' working sets side by side added 11 MB to it),
    // so there they run one after the other, each on both cores where it can.
    let (connectors, operations) = if catalog.spilled.is_some() {
        let connectors = similar_of(catalog, &ops);
        (connectors, same_job(catalog, &ops))
    } else {
        rayon::join(|| similar_of(catalog, &ops), || same_job(catalog, &ops))
    };
    Neighbours {
        connectors,
        operations,
    }
}

/// The live operations of every connector, with their words.
pub fn live_in(catalog: &Catalog) -> Vec<Vec<LiveOp<'_>>> {
    live_in_connectors(&catalog.connectors)
}

fn live_in_connectors(connectors: &[Connector]) -> Vec<Vec<LiveOp<'_>>> {
    connectors
        .par_iter()
        .map_init(Words::default, |words, c| live_operations(c, words))
        .collect()
}

/// For every connector (by index), its most similar connectors, best first.
#[cfg(test)]
pub fn similar(catalog: &Catalog) -> Vec<Vec<Similar>> {
    similar_of(catalog, &live_in(catalog))
}

/// `similar`, from the connectors' live operations (`live_in`).
fn similar_of(catalog: &Catalog, ops: &[Vec<LiveOp>]) -> Vec<Vec<Similar>> {
    let connectors = &catalog.connectors;
    let docs: Vec<BTreeMap<Word, f32>> = ops.iter().map(|o| term_counts(o)).collect();
    let weights = tf_idf(&docs);
    drop(docs); // the counts are not needed once weighed, while every connector is compared
    let mut postings: HashMap<&str, Vec<(usize, f32)>> = HashMap::default();
    for (i, doc) in weights.iter().enumerate() {
        for (term, w) in doc {
            postings.entry(term).or_default().push((i, *w));
        }
    }
    let keys = Keys::of(connectors);
    let n = connectors.len();
    (0..n)
        .into_par_iter()
        .map_init(
            || Scores::new(n),
            |scores, i| neighbours_of(i, ops, &keys, &weights, &postings, scores),
        )
        .collect()
}

/// Cosine sums of one connector against every other, in a dense array reused across
/// connectors: the postings of common words are long (at 50× the synthetic repository, tens
/// of thousands of connectors), and a hash map per connector made the stage take minutes.
struct Scores {
    sums: Vec<f32>,
    seen: Vec<bool>,
    /// The connectors with a sum, in the order they were first reached.
    touched: Vec<usize>,
}

impl Scores {
    fn new(n: usize) -> Scores {
        Scores {
            sums: vec![0.0; n],
            seen: vec![false; n],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, j: usize, value: f32) {
        if !self.seen[j] {
            self.seen[j] = true;
            self.touched.push(j);
        }
        self.sums[j] += value;
    }

    /// Every connector reached and its sum; leaves the array cleared for the next one.
    fn drain(&mut self) -> Vec<(usize, f32)> {
        let out = self.touched.iter().map(|&j| (j, self.sums[j])).collect();
        for j in self.touched.drain(..) {
            self.sums[j] = 0.0;
            self.seen[j] = false;
        }
        out
    }
}

/// A word of an operation, shared by every operation of a batch of connectors that has it.
pub type Word = Arc<str>;

/// The words met so far in one batch of connectors (rayon's `map_init`), each held once. With
/// a set of owned strings per operation the similar stage peaked at 136 MB at ten times the
/// real repository; with shared words and the counts dropped once weighed, at 80 MB.
#[derive(Default)]
struct Words(HashSet<Word>);

impl Words {
    fn word(&mut self, text: &str) -> Word {
        if let Some(w) = self.0.get(text) {
            return w.clone();
        }
        let w: Word = text.into();
        self.0.insert(w.clone());
        w
    }
}

/// A live operation's title and words, and the words as sorted hashes (comparing two
/// operations is then a merge of two short integer lists, not of two string sets).
pub struct LiveOp<'a> {
    /// Its index in the connector's operations.
    pub operation: usize,
    title: &'a str,
    /// Its distinct words, sorted.
    pub words: Box<[Word]>,
    keys: Box<[u64]>,
    /// The first term of its summary.
    pub first: Option<Word>,
}

/// Operations a maker can use, with their words: the distinct terms of the summary and id
/// (the search index's analysis).
fn live_operations<'a>(c: &'a Connector, known: &mut Words) -> Vec<LiveOp<'a>> {
    c.op_refs()
        .enumerate()
        .filter(|(_, o)| o.is_live())
        .map(|(i, o)| {
            let mut terms = lexicon().terms(o.summary.unwrap_or(""));
            let first = terms.first().map(|f| known.word(f));
            terms.extend(lexicon().terms(&split_identifier(o.id)));
            terms.sort_unstable();
            terms.dedup();
            let words: Box<[Word]> = terms.iter().map(|t| known.word(t)).collect();
            LiveOp {
                operation: i,
                title: o.title(),
                keys: word_keys(&words),
                words,
                first,
            }
        })
        .collect()
}

/// Sorted 64-bit hashes of distinct words (a collision would need billions of words).
fn word_keys<W: std::hash::Hash>(words: impl IntoIterator<Item = W>) -> Box<[u64]> {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    let mut keys: Vec<u64> = words.into_iter().map(|w| hasher.hash_one(w)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_boxed_slice()
}

/// Host and stack-owner keys, computed once, with the connectors that share each.
struct Keys {
    host: Vec<Option<String>>,
    owner: Vec<Option<String>>,
    by_host: HashMap<String, Vec<usize>>,
    by_owner: HashMap<String, Vec<usize>>,
}

impl Keys {
    fn of(connectors: &[Connector]) -> Keys {
        let host: Vec<Option<String>> = connectors.iter().map(host_key).collect();
        let owner: Vec<Option<String>> = connectors.iter().map(owner_key).collect();
        Keys {
            by_host: group(&host),
            by_owner: group(&owner),
            host,
            owner,
        }
    }

    fn same_host(&self, a: usize, b: usize) -> bool {
        self.host[a].is_some() && self.host[a] == self.host[b]
    }

    fn same_owner(&self, a: usize, b: usize) -> bool {
        self.owner[a].is_some() && self.owner[a] == self.owner[b]
    }
}

fn group(keys: &[Option<String>]) -> HashMap<String, Vec<usize>> {
    let mut out: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, k) in keys.iter().enumerate() {
        if let Some(k) = k {
            out.entry(k.clone()).or_default().push(i);
        }
    }
    out
}

fn neighbours_of(
    i: usize,
    ops: &[Vec<LiveOp>],
    keys: &Keys,
    weights: &[BTreeMap<Word, f32>],
    postings: &HashMap<&str, Vec<(usize, f32)>>,
    scores: &mut Scores,
) -> Vec<Similar> {
    for (term, w) in &weights[i] {
        for &(j, wj) in postings.get(&**term).into_iter().flatten() {
            if j != i {
                scores.add(j, w * wj);
            }
        }
    }
    let hosts = keys.host[i].as_ref().and_then(|h| keys.by_host.get(h));
    let owners = keys.owner[i].as_ref().and_then(|o| keys.by_owner.get(o));
    for &j in hosts.into_iter().chain(owners).flatten() {
        if j != i {
            scores.add(j, 0.0);
        }
    }
    let candidates = scores
        .drain()
        .into_iter()
        .map(|(j, cosine)| (j, cosine, keys.same_host(i, j), keys.same_owner(i, j)));
    ranked(candidates, KEEP, &ops[i], ops)
}

/// `(connector, cosine, same host, same stack owner)` scored with the host and owner
/// bonuses: the best `keep` at or above `MIN_SCORE`, each with the operations of `mine` that
/// it also has.
fn ranked(
    candidates: impl Iterator<Item = (usize, f32, bool, bool)>,
    keep: usize,
    mine: &[LiveOp],
    ops: &[Vec<LiveOp>],
) -> Vec<Similar> {
    let mut ranked: Vec<Similar> = candidates
        .map(|(index, cosine, same_host, same_stack_owner)| Similar {
            index,
            score: cosine
                + if same_host { 0.35 } else { 0.0 }
                + if same_stack_owner { 0.1 } else { 0.0 },
            shared: Vec::new(),
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
    for s in &mut ranked {
        s.shared = shared_operations(mine, &ops[s.index]);
        s.score = (s.score * 1000.0).round() / 1000.0;
    }
    ranked
}

/// The host without `www.` and port, lower-case; placeholder hosts do not count.
pub fn host_key(c: &Connector) -> Option<String> {
    let h = c.host.as_deref()?.trim().to_ascii_lowercase();
    let h = h.strip_prefix("www.").unwrap_or(&h);
    let h = h.split(':').next().unwrap_or(h);
    (!h.is_empty() && h.contains('.') && !h.contains('{') && h != "localhost")
        .then(|| h.to_string())
}

fn term_counts(ops: &[LiveOp]) -> BTreeMap<Word, f32> {
    let mut counts: BTreeMap<Word, f32> = BTreeMap::new();
    for op in ops {
        for w in &op.words {
            *counts.entry(w.clone()).or_default() += 1.0;
        }
    }
    counts
}

fn tf_idf(docs: &[BTreeMap<Word, f32>]) -> Vec<BTreeMap<Word, f32>> {
    let df = document_frequencies(docs);
    let n = docs.len().max(1) as f32;
    docs.iter().map(|doc| weigh(doc, &df, n, 0.0)).collect()
}

/// In how many documents each term appears.
fn document_frequencies(docs: &[BTreeMap<Word, f32>]) -> HashMap<&str, f32> {
    let mut df: HashMap<&str, f32> = HashMap::default();
    for doc in docs {
        for term in doc.keys() {
            *df.entry(term).or_default() += 1.0;
        }
    }
    df
}

/// Normalised tf-idf weights of one document; `extra` is added to every document frequency
/// (1 when the document itself is not among those `df` was counted on).
fn weigh(
    doc: &BTreeMap<Word, f32>,
    df: &HashMap<&str, f32>,
    n: f32,
    extra: f32,
) -> BTreeMap<Word, f32> {
    let mut weighted: BTreeMap<Word, f32> = doc
        .iter()
        .filter_map(|(term, tf)| {
            let d = df.get(&**term).copied().unwrap_or(0.0) + extra;
            let d = d.max(1.0);
            if d < 2.0 || (n >= 50.0 && d / n > MAX_DOC_SHARE) {
                return None; // unique to one connector, or everywhere
            }
            Some((term.clone(), (1.0 + tf.ln()) * (n / d).ln()))
        })
        .collect();
    let norm = weighted.values().map(|w| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        weighted.values_mut().for_each(|w| *w /= norm);
    }
    weighted
}

/// A catalog indexed once, to ask which of its connectors a new connector resembles
/// (`check --against`). The new connector is not part of the catalog.
pub struct CatalogIndex<'a> {
    connectors: &'a [Connector],
    ops: Vec<Vec<LiveOp<'a>>>,
    df: BTreeMap<String, f32>,
    postings: HashMap<Word, Vec<(usize, f32)>>,
    keys: Keys,
}

impl<'a> CatalogIndex<'a> {
    pub fn new(connectors: &'a [Connector]) -> CatalogIndex<'a> {
        let ops = live_in_connectors(connectors);
        let docs: Vec<BTreeMap<Word, f32>> = ops.iter().map(|o| term_counts(o)).collect();
        let counted = document_frequencies(&docs);
        // Weighed as if the queried connector were one more document that may share any term,
        // so a term only one catalog connector has still counts when the query has it too.
        let n = (docs.len() + 1) as f32;
        let weights: Vec<BTreeMap<Word, f32>> = docs
            .iter()
            .map(|doc| weigh(doc, &counted, n, 1.0))
            .collect();
        let df = counted
            .into_iter()
            .map(|(t, d)| (t.to_string(), d))
            .collect();
        let mut postings: HashMap<Word, Vec<(usize, f32)>> = HashMap::default();
        for (i, doc) in weights.iter().enumerate() {
            for (term, w) in doc {
                postings.entry(term.clone()).or_default().push((i, *w));
            }
        }
        CatalogIndex {
            connectors,
            keys: Keys::of(connectors),
            ops,
            df,
            postings,
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
        let mine = live_operations(target, &mut Words::default());
        let df: HashMap<&str, f32> = self.df.iter().map(|(t, d)| (t.as_str(), *d)).collect();
        let n = (self.connectors.len() + 1) as f32;
        let weights = weigh(&term_counts(&mine), &df, n, 1.0);
        let mut scores = Scores::new(self.connectors.len());
        for (term, w) in &weights {
            for &(j, wj) in self.postings.get(&**term).into_iter().flatten() {
                scores.add(j, w * wj);
            }
        }
        let host = host_key(target);
        let owner = owner_key(target);
        let by_host = host.as_ref().and_then(|h| self.keys.by_host.get(h));
        let by_owner = owner.as_ref().and_then(|o| self.keys.by_owner.get(o));
        for &j in by_host.into_iter().chain(by_owner).flatten() {
            scores.add(j, 0.0);
        }
        let candidates = scores
            .drain()
            .into_iter()
            .filter(|(j, _)| self.connectors.get(*j).is_some_and(|c| !skip(c)))
            .map(|(j, cosine)| {
                let same_host = host.is_some() && self.keys.host[j] == host;
                let same_stack_owner = owner.is_some() && self.keys.owner[j] == owner;
                (j, cosine, same_host, same_stack_owner)
            });
        ranked(candidates, keep, &mine, &self.ops)
    }
}

/// The stack owner, trimmed and lower-case.
fn owner_key(c: &Connector) -> Option<String> {
    c.stack_owner
        .as_deref()
        .map(|o| o.trim().to_lowercase())
        .filter(|o| !o.is_empty())
}

/// `a`'s live operations that have a close match in `b` (word overlap ≥ 60%), as indices,
/// in the order of their titles, one per title, at most eight.
fn shared_operations(a: &[LiveOp], b: &[LiveOp]) -> Vec<u32> {
    let mut out: Vec<&LiveOp> = a
        .iter()
        .filter(|mine| {
            b.iter().any(|theirs| {
                // Jaccard is at most the ratio of the two sizes: most pairs end here.
                let (x, y) = (mine.keys.len(), theirs.keys.len());
                x.min(y) * 5 >= x.max(y) * 3 && jaccard(&mine.keys, &theirs.keys) >= 0.6
            })
        })
        .collect();
    // By title, the first of equal titles kept: the page names each once.
    out.sort_by(|x, y| x.title.cmp(y.title).then(x.operation.cmp(&y.operation)));
    out.dedup_by(|x, y| x.title == y.title);
    out.truncate(8);
    out.iter().map(|op| index32(op.operation)).collect()
}

/// Jaccard similarity of two sorted, distinct key lists.
fn jaccard(a: &[u64], b: &[u64]) -> f32 {
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
    use std::collections::BTreeSet;

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

    /// Each operation's words are sorted and distinct, its first word is its summary's, and a
    /// word two operations share is held once.
    #[test]
    fn live_words_are_sorted_distinct_and_held_once() {
        use crate::similar_ops::tests::connector;
        let c = connector(&[
            ("SendSms", "Send an SMS message"),
            ("ListMessages", "List messages"),
        ]);
        let ops = live_operations(&c, &mut Words::default());
        let words: Vec<Vec<&str>> = ops
            .iter()
            .map(|o| o.words.iter().map(|w| &**w).collect())
            .collect();
        assert_eq!(
            words,
            [vec!["messag", "send", "sms"], vec!["list", "messag"]]
        );
        assert_eq!(ops[0].first.as_deref(), Some("send"));
        assert_eq!(ops[1].first.as_deref(), Some("list"));
        assert!(
            Arc::ptr_eq(&ops[0].words[0], &ops[1].words[1]),
            "one `messag`"
        );
        assert_eq!(ops[0].keys.len(), 3);
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
                c.host = Some("api.example.com".into());
                c
            })
            .collect();
        let found = neighbours(&catalog(connectors));
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
            for list in ops {
                assert_eq!(list.capacity(), list.len(), "room for dropped candidates");
            }
        }
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
            c.host = Some("api.zoo.example.com".into());
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
            c.host = Some("api.zoo.example.com".into());
        }
        let mut found = neighbours(&catalog(connectors));
        let names_1 = |n: &Neighbours| {
            n.operations
                .iter()
                .flatten()
                .flatten()
                .filter(|o| o.connector == 1)
                .count()
        };
        assert!(names_1(&found) > 0);
        assert!(found.connectors[1].iter().any(|s| !s.shared.is_empty()));
        found.forget_operations_of(1, 3);
        assert_eq!(names_1(&found), 0, "no link to a moved operation");
        assert_eq!(found.operations[1], vec![Vec::new(); 3]);
        assert!(found.connectors[1].iter().all(|s| s.shared.is_empty()));
        assert!(
            !found.connectors[1].is_empty(),
            "its similar connectors stay"
        );
        assert!(found.connectors[0].iter().any(|s| !s.shared.is_empty()));
    }

    #[test]
    fn jaccard_of_identical_sets_is_one() {
        let a = word_keys(words("send text message"));
        assert!((jaccard(&a, &a) - 1.0).abs() < 1e-6);
        assert_eq!(jaccard(&a, &word_keys(words("delete folder"))), 0.0);
        let b = word_keys(words("send text"));
        assert!((jaccard(&a, &b) - 2.0 / 3.0).abs() < 1e-6);
    }
}
