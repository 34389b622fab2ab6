//! "Other connectors that do this": for each live operation, the operations of other
//! connectors that do the same job.
//!
//! An operation is the set of analysed terms of its summary and id (the search index's
//! analysis, see `similar_words`), each weighted by its inverse document frequency
//! over all live operations. Two operations do the same job when their weighted Jaccard
//! similarity reaches `MIN_SIMILARITY`. Candidates come from an inverted index of the
//! distinctive terms only: a term in more than `MAX_TERM_SHARE` of operations ("get",
//! "list", "id"), or in more than `MAX_TERM_OPS`, never makes two operations alike on its
//! own, so the work stays linear.
//! Verbs weigh little (every other summary says "get"), so two summaries that open with
//! different common verbs ("Add documents to an envelope", "Get envelope documents") are
//! never the same job, however many nouns they share.

use crate::model::{index32, Catalog, OpList};
use crate::similar_words::{Grouped, Live, LiveOp, LiveOps};
use foldhash::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::Range;

/// Operations at least this alike (weighted Jaccard) do the same job.
pub const MIN_SIMILARITY: f32 = 0.6;
/// At most this many other connectors are named per operation.
pub const KEEP: usize = 5;
/// Terms in more than this share of operations do not select candidates.
const MAX_TERM_SHARE: f32 = 0.02;
/// Nor do terms in more than this many operations, however large the catalog: with a share
/// alone the candidates of each operation grow with the catalog, and the stage with its
/// square (four minutes at 50× the synthetic repository). On the real repository 2% is
/// about 330 operations, below this.
const MAX_TERM_OPS: f32 = 400.0;
/// A first word of this many summaries or more is a verb ("get", "send", "convert").
const VERB_MIN_USES: usize = 5;

/// An operation of another connector: indexes into `Catalog::connectors` and its
/// `operations` (32 bits: half the size, and every live operation has a list of them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OtherOp {
    pub connector: u32,
    pub operation: u32,
    pub similarity: f32,
}

/// An operation of another connector doing the same job, named as a page links to it: what a
/// spilled build keeps on disk for each page (`similar::neighbours_spilled`), so that its
/// pages need not read the other connectors' operations back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedOp<'a> {
    /// Index into `Catalog::connectors`.
    pub connector: u32,
    /// `OpRef::title`.
    pub title: Cow<'a, str>,
    /// The page of its connector it is on, and its anchor there.
    pub page: u32,
    pub anchor: Cow<'a, str>,
}

/// `[connector]`: per operation, the other connectors' operations that do the same job, most
/// alike first, one per connector, at most `KEEP`.
pub type SameJob = Vec<JobLists>;

/// One connector's same-job lists, packed: operation `i`'s list is
/// `others[ends[i - 1]..ends[i]]`. With a list of its own per operation (24 bytes and an
/// allocation each), the lists held 10.0 MB at 10× the real repository for the whole build;
/// packed, 6.8 MB.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobLists {
    ends: Box<[u32]>,
    others: Box<[OtherOp]>,
}

impl JobLists {
    /// `operations` empty lists.
    pub fn empty(operations: usize) -> JobLists {
        JobLists {
            ends: vec![0; operations].into(),
            others: Box::default(),
        }
    }

    /// The lists of `operations` operations, from `(operation, list)` in operation order;
    /// the operations not named have empty lists.
    fn of(operations: usize, mut found: Vec<(u32, Vec<OtherOp>)>) -> JobLists {
        found.sort_by_key(|f| f.0);
        let mut others = Vec::with_capacity(found.iter().map(|f| f.1.len()).sum());
        let mut ends = Vec::with_capacity(operations);
        let mut found = found.into_iter().peekable();
        for i in 0..operations {
            while let Some((_, list)) = found.next_if(|f| f.0 as usize <= i) {
                others.extend(list);
            }
            ends.push(index32(others.len()));
        }
        JobLists {
            ends: ends.into(),
            others: others.into(),
        }
    }

    /// How many operations it has lists for.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The list of operation `i` (empty past the last).
    pub fn get(&self, i: usize) -> &[OtherOp] {
        let start = match i.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.others
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// Every operation's list, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[OtherOp]> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Each operation's list named from the catalog's operations (`Catalog::op_list`, where
    /// `OtherOp` points), in the same order: borrowed from the connectors that hold them, or
    /// read back once per connector from a spill. An operation no longer there (a connector
    /// parsed again under `serve`) is left out.
    pub fn named_in<'c>(&self, catalog: &'c Catalog) -> anyhow::Result<Vec<Vec<NamedOp<'c>>>> {
        let mut lists: HashMap<u32, OpList<'c>> = HashMap::default();
        for o in self.iter().flatten() {
            let known = (o.connector as usize) < catalog.connectors.len();
            if known && !lists.contains_key(&o.connector) {
                lists.insert(o.connector, catalog.op_list(o.connector as usize)?);
            }
        }
        let name = |o: &OtherOp| {
            let (title, page, anchor) = match lists.get(&o.connector)? {
                OpList::Held(c) => {
                    let op = c.op_ref(o.operation as usize)?;
                    (Cow::Borrowed(op.title()), op.page, Cow::Borrowed(op.anchor))
                }
                OpList::Read(stubs) => {
                    let op = stubs.get(o.operation as usize)?;
                    let owned = |s: &str| Cow::Owned(s.to_owned());
                    (owned(op.title()), op.page, owned(op.anchor))
                }
            };
            Some(NamedOp {
                connector: o.connector,
                title,
                page,
                anchor,
            })
        };
        Ok(self
            .iter()
            .map(|list| list.iter().filter_map(name).collect())
            .collect())
    }

    /// Keeps the others `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&OtherOp) -> bool) {
        let found = self
            .iter()
            .enumerate()
            .map(|(i, list)| (index32(i), list.iter().copied().filter(&keep).collect()))
            .collect();
        *self = JobLists::of(self.len(), found);
    }
}

/// `lists[i]` for `lists.get(i)`, in tests.
#[cfg(test)]
impl std::ops::Index<usize> for JobLists {
    type Output = [OtherOp];

    fn index(&self, i: usize) -> &[OtherOp] {
        self.get(i)
    }
}

/// Every live operation, in connector order, with all their terms in one array (a list per
/// operation cost 24 bytes and an allocation each; with the lists filled in place, the
/// stage's peak at 10× the real repository went from +28.2 to +20.3 MB), and each term's
/// weight once: a term weighs the same in every operation, and a weight beside each term
/// held 14 MB more at 50× the real repository.
struct Ops {
    list: Vec<Op>,
    /// Each operation's term ids, ascending, one after the other, each written as its
    /// distance from the one before (the first from 0) in LEB128 (`Terms`): at 50× the real
    /// repository, 3.48 million terms took 13.9 MB as four bytes each.
    terms: Vec<u8>,
    /// The term ids of the operation being added, sorted here before they are written.
    adding: Vec<u32>,
    /// By term id: its weight, negative for a term in too many operations to select
    /// candidates (it still counts in how alike two operations are).
    weights: Vec<f32>,
}

/// One live operation: its index among its connector's operations, and where its terms (ids,
/// ascending) start in `Ops::terms` (they end where the next operation's start). Its
/// connector is the one whose run of `Ops::list` holds it (`connector_of`): with the
/// connector and the end of its terms beside each operation, and its verb as an `Option`,
/// the 731,400 live operations of 50× the real repository took 28 bytes each, where the
/// same-job weighing set the build's peak.
struct Op {
    operation: u32,
    start: u32,
    total: f32,
    /// The first term of the summary when it is a common verb, else `NO_VERB`.
    verb: u32,
}

/// An `Op::verb` for an operation whose summary does not open with a common verb.
const NO_VERB: u32 = u32::MAX;

impl Op {
    /// Whether the two open with different common verbs.
    fn verb_differs(&self, other: &Op) -> bool {
        self.verb != NO_VERB && other.verb != NO_VERB && self.verb != other.verb
    }
}

impl Ops {
    /// The terms of operation `k` (of `list`), ascending.
    fn terms(&self, k: usize) -> Terms<'_> {
        let start = self.list.get(k).map_or(0, |o| o.start as usize);
        let end = self
            .list
            .get(k + 1)
            .map_or(self.terms.len(), |o| o.start as usize);
        Terms {
            bytes: self.terms.get(start..end).unwrap_or_default(),
            last: 0,
        }
    }

    fn weight(&self, term: u32) -> f32 {
        self.weights.get(term as usize).copied().unwrap_or(0.0)
    }

    /// The terms of operation `k` that select candidates.
    fn keys(&self, k: usize) -> impl Iterator<Item = u32> + '_ {
        self.terms(k).filter(|&t| self.weight(t) > 0.0)
    }
}

/// The term ids of one operation, read from `Ops::terms`.
struct Terms<'a> {
    bytes: &'a [u8],
    last: u32,
}

impl Iterator for Terms<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let (mut distance, mut shift) = (0u32, 0);
        loop {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            distance |= u32::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        self.last = self.last.wrapping_add(distance);
        Some(self.last)
    }
}

/// Writes `ascending` term ids after `out`'s bytes, as `Terms` reads them.
fn write_terms(out: &mut Vec<u8>, ascending: &[u32]) {
    let mut last = 0;
    for &id in ascending {
        let mut distance = id - last;
        last = id;
        while distance >= 0x80 {
            out.push((distance & 0x7f) as u8 | 0x80);
            distance >>= 7;
        }
        out.push(distance as u8);
    }
}

/// The connector (by catalog index) whose run holds operation `k` of `Ops::list`.
fn connector_of(runs: &[Range<usize>], k: usize) -> u32 {
    // Runs are in order and meet end to end; an empty run never holds `k`.
    index32(runs.partition_point(|r| r.end <= k))
}

/// The same job, from the connectors' live operations (`similar::live_in`).
pub fn same_job(catalog: &Catalog, live: &Live) -> SameJob {
    let (ops, runs) = (weighted(live), runs(catalog, live));
    fill_lists(catalog, &ops, runs)
}

/// `same_job`, freeing each connector's words as soon as they are weighed
/// (`weighted_taking`): what a spilled build does once the similar connectors no longer need
/// them.
pub fn same_job_taking(catalog: &Catalog, live: Live) -> SameJob {
    let runs = runs(catalog, &live);
    fill_lists(catalog, &weighted_taking(live), runs)
}

/// `same_job_taking`, for a catalog whose connectors' live operations `read` gives, words as
/// ranks in a vocabulary of `vocabulary` words (a spilled catalog's, kept in the spill as the
/// similar stage first read them). They are read twice, once to count the words and once to
/// be weighed, rather than held for every connector: every connector's words beside the
/// room made for every operation's terms were the similar stage's peak at 50× the real
/// repository (129.9 MB of live heap against 114 MB while the similar connectors are found).
/// Each connector's lists go to `each` as they are found, not held until the last are
/// (34 MB at 50×).
pub fn same_job_reading<R: Send>(
    catalog: &Catalog,
    vocabulary: usize,
    read: impl Fn(usize) -> anyhow::Result<LiveOps> + Sync,
    each: impl Fn(usize, JobLists) -> R + Sync,
) -> anyhow::Result<Vec<R>> {
    let n = catalog.connectors.len();
    let (mut tally, mut lengths) = (Tally::new(vocabulary), Vec::with_capacity(n));
    read_in_order(n, &read, |mine| {
        mine.iter().for_each(|op| tally.add(op));
        lengths.push(mine.len());
    })?;
    let (weighing, runs) = (tally.weighing(), runs_of(lengths));
    let mut ops = Ops::with_room(&weighing);
    read_in_order(n, &read, |mine| {
        mine.iter().for_each(|op| ops.push(op, &weighing));
    })?;
    Ok(fill_lists_each(catalog, &ops, runs, each))
}

/// Hands `each` the live operations of connectors `0..n` in catalog order, read in parallel
/// `BATCH` at a time.
fn read_in_order(
    n: usize,
    read: &(impl Fn(usize) -> anyhow::Result<LiveOps> + Sync),
    mut each: impl FnMut(LiveOps),
) -> anyhow::Result<()> {
    const BATCH: usize = 256;
    for start in (0..n).step_by(BATCH) {
        let batch: Vec<LiveOps> = (start..n.min(start + BATCH))
            .into_par_iter()
            .map(read)
            .collect::<anyhow::Result<_>>()?;
        batch.into_iter().for_each(&mut each);
    }
    Ok(())
}

/// Each connector's live operations are one run of `Ops::list`, in catalog order.
fn runs(catalog: &Catalog, live: &Live) -> Vec<Range<usize>> {
    let n = catalog.connectors.len();
    runs_of((0..n).map(|i| live.ops.get(i).map_or(0, LiveOps::len)))
}

/// One run after the other, of the lengths given.
fn runs_of(lengths: impl IntoIterator<Item = usize>) -> Vec<Range<usize>> {
    let mut start = 0;
    let runs = lengths.into_iter().map(|n| {
        start += n;
        start - n..start
    });
    runs.collect()
}

/// Every connector's lists, filled in place from its run of operations (not gathered for
/// every operation first and then moved).
fn fill_lists(catalog: &Catalog, ops: &Ops, runs: Vec<Range<usize>>) -> SameJob {
    fill_lists_each(catalog, ops, runs, |_, lists| lists)
}

/// `fill_lists`, handing each connector's lists to `each` as they are filled.
fn fill_lists_each<R: Send>(
    catalog: &Catalog,
    ops: &Ops,
    runs: Vec<Range<usize>>,
    each: impl Fn(usize, JobLists) -> R + Sync,
) -> Vec<R> {
    let candidates_of = candidates(ops);
    catalog
        .connectors
        .par_iter()
        .zip(&runs)
        .enumerate()
        .map(|(i, (c, run))| {
            let found = run.clone().filter_map(|k| {
                let op = ops.list.get(k)?;
                Some((op.operation, alike(k, run, &runs, ops, &candidates_of)))
            });
            each(i, JobLists::of(c.op_count(), found.collect()))
        })
        .collect()
}

/// What weighing one operation's words needs to know of all of them: each word's term id and
/// in how many operations it is, and how many summaries each word starts (a common verb
/// starts at least `VERB_MIN_USES`); counted by `Tally`.
struct Weighing {
    ids: Vec<u32>,
    df: Vec<f32>,
    firsts: Vec<u32>,
    /// How many live operations there are, as the weights count them (at least 1).
    n: f32,
    distinctive: f32,
    /// How many live operations and words there are, to make room for them at once.
    ops: usize,
    words: usize,
}

impl Weighing {
    fn of(live: &Live) -> Weighing {
        let mut tally = Tally::new(live.vocabulary.len());
        live.ops
            .iter()
            .flat_map(LiveOps::iter)
            .for_each(|op| tally.add(op));
        tally.weighing()
    }

    fn id_of(&self, word: u32) -> Option<u32> {
        self.ids
            .get(word as usize)
            .copied()
            .filter(|&id| id != u32::MAX)
    }

    fn is_verb(&self, word: u32) -> bool {
        self.firsts
            .get(word as usize)
            .is_some_and(|&n| n as usize >= VERB_MIN_USES)
    }
}

impl Ops {
    /// Room for every live operation and its terms, made once: grown by doubling, the terms
    /// would for a moment be held twice.
    fn with_room(weighing: &Weighing) -> Ops {
        let Weighing { df, n, .. } = weighing;
        // A term in few operations marks the job.
        let weight = |df: f32| {
            let w = (n / df).ln().max(0.0) + 0.1;
            if df > weighing.distinctive {
                -w // weighted, but never a candidate key
            } else {
                w
            }
        };
        Ops {
            list: Vec::with_capacity(weighing.ops),
            // Most distances take one or two bytes.
            terms: Vec::with_capacity(weighing.words * 2),
            adding: Vec::new(),
            weights: df.iter().map(|&d| weight(d)).collect(),
        }
    }

    /// Adds operation `op` after the last, its terms sorted. Operations come in catalog
    /// order, so each connector's are one run of `list` (`runs`).
    fn push(&mut self, op: LiveOp, weighing: &Weighing) {
        let start = self.terms.len();
        let ids = op.words.iter().filter_map(|&w| weighing.id_of(w));
        self.adding.clear();
        self.adding.extend(ids);
        self.adding.sort_unstable(); // distinct: a word has one id
        write_terms(&mut self.terms, &self.adding);
        let total = self
            .adding
            .iter()
            .map(|&t| self.weights[t as usize].abs())
            .sum();
        let verb = op
            .first
            .filter(|&f| weighing.is_verb(f))
            .and_then(|f| weighing.id_of(f));
        self.list.push(Op {
            operation: op.operation,
            start: index32(start),
            total,
            verb: verb.unwrap_or(NO_VERB),
        });
    }
}

/// Every live operation with its terms weighted by inverse document frequency.
fn weighted(live: &Live) -> Ops {
    weighing_each(Weighing::of(live), &live.ops)
}

/// `weighted`, freeing each connector's words as soon as they are weighed: the words and
/// their weights were otherwise held side by side (at 50× the real repository, 51 MB of
/// words beside as much of weights, where the similar stage peaked).
fn weighted_taking(live: Live) -> Ops {
    weighing_each(Weighing::of(&live), live.ops)
}

/// Every connector's live operations weighed in turn, each connector's dropped after it
/// when they are given by value.
fn weighing_each<L: std::borrow::Borrow<LiveOps>>(
    weighing: Weighing,
    connectors: impl IntoIterator<Item = L>,
) -> Ops {
    let mut ops = Ops::with_room(&weighing);
    for mine in connectors {
        mine.borrow().iter().for_each(|op| ops.push(op, &weighing));
    }
    ops
}

/// What `Weighing` counts of the live operations, given one at a time in catalog order: each
/// word's term id, numbered in the order the operations first use it (`u32::MAX` for none),
/// in how many operations each term is, and how many summaries each word starts. The totals
/// and similarities are sums in term order, so this order, not the vocabulary's, keeps them
/// what they were.
struct Tally {
    ids: Vec<u32>,
    df: Vec<f32>,
    firsts: Vec<u32>,
    ops: usize,
    words: usize,
}

impl Tally {
    fn new(vocabulary: usize) -> Tally {
        Tally {
            ids: vec![u32::MAX; vocabulary],
            df: Vec::new(),
            firsts: vec![0; vocabulary],
            ops: 0,
            words: 0,
        }
    }

    fn add(&mut self, op: LiveOp) {
        if let Some(n) = op.first.and_then(|f| self.firsts.get_mut(f as usize)) {
            *n = n.saturating_add(1);
        }
        for &w in op.words {
            let Some(id) = self.ids.get_mut(w as usize) else {
                continue;
            };
            if *id == u32::MAX {
                *id = index32(self.df.len());
                self.df.push(0.0);
            }
            self.df[*id as usize] += 1.0;
        }
        self.ops += 1;
        self.words += op.words.len();
    }

    fn weighing(self) -> Weighing {
        let n = self.ops.max(1) as f32;
        Weighing {
            ids: self.ids,
            df: self.df,
            firsts: self.firsts,
            n,
            distinctive: distinctive_limit(n),
            ops: self.ops,
            words: self.words,
        }
    }
}

/// In how many of `n` live operations a term may be and still select candidates.
fn distinctive_limit(n: f32) -> f32 {
    (n * MAX_TERM_SHARE).clamp(2.0, MAX_TERM_OPS)
}

/// Distinctive term → the operations that have it (indices into `Ops::list`, ascending).
fn candidates(ops: &Ops) -> Grouped<u32> {
    let pairs = || {
        let keyed = |k| ops.keys(k).map(move |term| (term, index32(k)));
        (0..ops.list.len()).flat_map(keyed)
    };
    Grouped::of(ops.weights.len(), pairs)
}

/// The operations of other connectors alike to operation `k` (of `ops.list`, in run `own`
/// of `runs`), best per connector.
fn alike(
    k: usize,
    own: &Range<usize>,
    runs: &[Range<usize>],
    ops: &Ops,
    candidates_of: &Grouped<u32>,
) -> Vec<OtherOp> {
    let Some(op) = ops.list.get(k) else {
        return Vec::new();
    };
    let mut candidates: Vec<u32> = ops
        .keys(k)
        .flat_map(|term| candidates_of.of_key(term).iter().copied())
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let mut best: HashMap<u32, OtherOp> = HashMap::default();
    for c in candidates.into_iter().map(|c| c as usize) {
        let Some(other) = ops.list.get(c) else {
            continue;
        };
        // The similarity is at most the ratio of the two totals: most candidates end here.
        let (x, y) = (op.total, other.total);
        if own.contains(&c) || op.verb_differs(other) || x.min(y) < MIN_SIMILARITY * x.max(y) {
            continue;
        }
        let similarity = weighted_jaccard(ops, k, c);
        if similarity < MIN_SIMILARITY {
            continue;
        }
        let connector = connector_of(runs, c);
        let found = OtherOp {
            connector,
            operation: other.operation,
            similarity,
        };
        best.entry(connector)
            .and_modify(|b| {
                if (similarity, std::cmp::Reverse(other.operation))
                    > (b.similarity, std::cmp::Reverse(b.operation))
                {
                    *b = found;
                }
            })
            .or_insert(found);
    }
    let mut out: Vec<OtherOp> = best.into_values().collect();
    out.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(a.connector.cmp(&b.connector))
            .then(a.operation.cmp(&b.operation))
    });
    out.truncate(KEEP);
    out
}

/// Σ weights of shared terms / Σ weights of all terms of either operation (`ops.list`
/// indices; terms sorted by id).
fn weighted_jaccard(ops: &Ops, a: usize, b: usize) -> f32 {
    let (mut x, mut y) = (ops.terms(a), ops.terms(b));
    let total = |k: usize| ops.list.get(k).map_or(0.0, |o| o.total);
    let (mut i, mut j, mut shared) = (x.next(), y.next(), 0.0);
    while let (Some(s), Some(t)) = (i, j) {
        match s.cmp(&t) {
            std::cmp::Ordering::Less => i = x.next(),
            std::cmp::Ordering::Greater => j = y.next(),
            std::cmp::Ordering::Equal => {
                shared += ops.weight(s).abs();
                (i, j) = (x.next(), y.next());
            }
        }
    }
    let union = total(a) + total(b) - shared;
    if union > 0.0 {
        shared / union
    } else {
        0.0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lint::testing::Case;
    use crate::model::{Connector, SourceInfo, Tier};

    /// At 50× the synthetic repository a share of 2% let a word select 16,000 candidates
    /// per operation, and the stage took minutes.
    #[test]
    fn candidate_words_are_capped_however_large_the_catalog() {
        assert_eq!(distinctive_limit(10.0), 2.0, "a tiny catalog");
        assert_eq!(
            distinctive_limit(16_445.0),
            16_445.0 * MAX_TERM_SHARE,
            "the corpus"
        );
        assert_eq!(distinctive_limit(822_250.0), MAX_TERM_OPS, "50× the corpus");
    }

    /// A connector with one POST operation per (operation id, summary).
    pub(crate) fn connector(ops: &[(&str, &str)]) -> Connector {
        let paths: Vec<String> = ops
            .iter()
            .enumerate()
            .map(|(i, (id, summary))| {
                format!(
                    r#""/p{i}": {{"post": {{"operationId": "{id}", "summary": "{summary}", "responses": {{"200": {{"description": "OK"}}}}}}}}"#
                )
            })
            .collect();
        let definition = format!(
            r#"{{"swagger": "2.0", "info": {{"title": "T", "version": "1.0"}}, "paths": {{{}}}}}"#,
            paths.join(",")
        );
        Case::new(Tier::Certified)
            .definition(&definition)
            .connector()
    }

    pub(crate) fn catalog(connectors: Vec<Connector>) -> Catalog {
        Catalog {
            source: SourceInfo {
                source: "test".into(),
                rev: None,
                time: None,
            },
            connectors,
            problems: Vec::new(),
            retired: Vec::new(),
            spilled: None,
        }
    }

    /// Four connectors: the first two send an SMS, the last two create and list invoices,
    /// and every one gets an item.
    pub(crate) fn texts_and_invoices() -> Vec<Connector> {
        vec![
            connector(&[("SendSms", "Send an SMS message"), ("GetItem", "Get item")]),
            connector(&[
                ("SendTextMessage", "Send SMS message"),
                ("GetItem", "Get item"),
            ]),
            connector(&[
                ("CreateInvoice", "Create an invoice"),
                ("GetItem", "Get item"),
            ]),
            connector(&[("ListInvoices", "List invoices"), ("GetItem", "Get item")]),
        ]
    }

    #[test]
    fn operations_that_do_the_same_job_find_each_other() {
        let c = catalog(texts_and_invoices());
        let same = same_job(&c, &crate::similar::live_in(&c).expect("live"));
        let first = &same[0][0];
        assert_eq!(first.len(), 1, "{first:?}");
        assert_eq!((first[0].connector, first[0].operation), (1, 0));
        assert_eq!(same[1][0][0].connector, 0, "symmetric");
        // "Get item" is in every connector: no distinctive word, so no claim of sameness.
        assert!(same.iter().all(|ops| ops[1].is_empty()));
        // An invoice is created in one and listed in the other: not the same job.
        assert!(same[2][0].is_empty() && same[3][0].is_empty());
    }

    /// The lists are filled per connector from its run of live operations: a connector with
    /// none between two others, and a deprecated operation before a live one, leave every
    /// list beside its own operation.
    #[test]
    fn lists_stay_beside_their_operations_around_operations_that_are_not_live() {
        let mut first = connector(&[
            ("OldSendSms", "Send an SMS message"),
            ("SendSms", "Send an SMS message"),
            ("GetItem", "Get item"),
        ]);
        first.details_mut().operations[0].deprecated = true;
        let mut idle = connector(&[("SendSms", "Send an SMS message")]);
        idle.details_mut().operations[0].deprecated = true;
        let mut others = texts_and_invoices();
        let c = catalog(vec![first, idle, others.remove(1)]);
        let same = same_job(&c, &crate::similar::live_in(&c).expect("live"));
        assert_eq!(
            same.iter().map(JobLists::len).collect::<Vec<_>>(),
            [3, 1, 2]
        );
        assert!(same[0][0].is_empty() && same[1][0].is_empty(), "not live");
        let found = |list: &[OtherOp]| -> Vec<(u32, u32)> {
            list.iter().map(|o| (o.connector, o.operation)).collect()
        };
        assert_eq!(found(&same[0][1]), vec![(2, 0)]);
        assert_eq!(found(&same[2][0]), vec![(0, 1)]);
    }

    #[test]
    fn packed_lists_keep_each_list_beside_its_operation() {
        let other = |connector, operation| OtherOp {
            connector,
            operation,
            similarity: 0.7,
        };
        // Out of order, an operation past the last, operations without a list.
        let found = vec![
            (3, vec![other(9, 0)]),
            (1, vec![other(7, 2), other(8, 0)]),
            (5, vec![other(6, 6)]),
        ];
        let mut lists = JobLists::of(4, found);
        assert_eq!(lists.len(), 4);
        assert_eq!(lists.get(0), &[]);
        assert_eq!(lists.get(1), &[other(7, 2), other(8, 0)]);
        assert_eq!(lists.get(2), &[]);
        assert_eq!(&lists[3], &[other(9, 0)]);
        assert_eq!(lists.get(4), &[], "past the last");
        lists.retain(|o| o.connector != 7);
        let kept: Vec<&[OtherOp]> = lists.iter().collect();
        assert_eq!(kept, [&[][..], &[other(8, 0)], &[], &[other(9, 0)]]);
        assert_eq!(JobLists::empty(2).iter().count(), 2);
    }

    #[test]
    fn summaries_opening_with_different_verbs_are_different_jobs() {
        let c = catalog(vec![
            connector(&[
                ("AddEnvelopeDocuments", "Add documents to an envelope"),
                ("GetApples", "Get apples"),
                ("AddApples", "Add apples"),
            ]),
            connector(&[
                ("GetEnvelopeDocuments", "Get envelope documents"),
                ("GetPears", "Get pears"),
                ("AddPears", "Add pears"),
            ]),
            connector(&[
                ("GetPlums", "Get plums"),
                ("AddPlums", "Add plums"),
                ("AddFigs", "Add figs"),
            ]),
            connector(&[("GetKiwis", "Get kiwis"), ("GetLimes", "Get limes")]),
        ]);
        let same = same_job(&c, &crate::similar::live_in(&c).expect("live"));
        // Same nouns, different common verbs: not alike.
        assert!(
            same[0][0].iter().all(|o| o.connector != 1),
            "{:?}",
            &same[0][0]
        );
        // ... though their words alone would make them alike.
        let live = crate::similar::live_in(&c).expect("live");
        let (ops, runs) = (weighted(&live), runs(&c, &live));
        let at = |ci: usize| runs[ci].clone().find(|&k| ops.list[k].operation == 0);
        let (a, b) = (at(0).expect("op"), at(1).expect("op"));
        assert_eq!((connector_of(&runs, a), connector_of(&runs, b)), (0, 1));
        let verbs = [ops.list[a].verb, ops.list[b].verb];
        assert!(!verbs.contains(&NO_VERB) && ops.list[a].verb_differs(&ops.list[b]));
        assert!(weighted_jaccard(&ops, a, b) >= MIN_SIMILARITY);
    }

    #[test]
    fn weighted_jaccard_of_identical_terms_is_one() {
        let mut ops = Ops {
            list: Vec::new(),
            terms: Vec::new(),
            adding: Vec::new(),
            weights: vec![0.0, 2.0, -0.5, 2.0],
        };
        for (operation, terms) in [(0, [1, 2]), (1, [1, 3])] {
            let start = index32(ops.terms.len());
            write_terms(&mut ops.terms, &terms);
            ops.list.push(Op {
                operation,
                start,
                total: terms.iter().map(|&t| ops.weight(t).abs()).sum(),
                verb: NO_VERB,
            });
        }
        let terms = |k| ops.terms(k).collect::<Vec<_>>();
        assert_eq!((terms(0), terms(1)), (vec![1, 2], vec![1, 3]));
        assert!((weighted_jaccard(&ops, 0, 0) - 1.0).abs() < 1e-6);
        assert!((weighted_jaccard(&ops, 0, 1) - 2.0 / 4.5).abs() < 1e-6);
    }

    #[test]
    fn terms_read_back_as_written() {
        let ascending = [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            1 << 21,
            u32::MAX - 1,
            u32::MAX,
        ];
        let mut bytes = Vec::new();
        write_terms(&mut bytes, &ascending);
        let read = Terms {
            bytes: &bytes,
            last: 0,
        };
        assert_eq!(read.collect::<Vec<_>>(), ascending);
        let mut one = Vec::new();
        write_terms(&mut one, &[5, 6, 200]);
        assert_eq!(one.len(), 4, "one byte a small distance, two for 194");
        assert!(
            Terms {
                bytes: &[0x80],
                last: 0
            }
            .next()
            .is_none(),
            "cut short"
        );
    }

    /// An operation's connector is the run that holds it, whatever empty runs (connectors
    /// without live operations) come before or after.
    #[test]
    fn an_operations_connector_is_the_run_that_holds_it() {
        let runs = runs_of([0, 2, 0, 0, 3, 0]);
        let connectors: Vec<u32> = (0..5).map(|k| connector_of(&runs, k)).collect();
        assert_eq!(connectors, [1, 1, 4, 4, 4]);
    }
}
