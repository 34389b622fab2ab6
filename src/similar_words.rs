//! The words of live operations, as numbers, for both similar stages.
//!
//! Both similar stages (`similar`, `similar_ops`) compare operations by their words: the
//! distinct analysed terms of the summary and the id (the search index's analysis). Each
//! distinct word of the catalog is held once, in a sorted `Vocabulary`, and an operation holds
//! the ranks of its words there. A rank is 4 bytes where a shared string and its hash took 24,
//! and the live operations of 10× the real repository went from 30 MB to under 10 MB. Ranks
//! sort as the words do, so a sum taken in rank order is the sum that was taken in word order,
//! bit for bit.

use crate::index::analysis::{lexicon, split_identifier};
use crate::model::{index32, Connector, OpList, OpRef};
use rayon::prelude::*;
use std::convert::Infallible;

/// A live operation: where it is and its words, read from its connector's `LiveOps`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveOp<'w> {
    /// Its index in the connector's operations (`Connector::op_ref`, which also gives its
    /// title).
    pub operation: u32,
    /// Its distinct words (`Vocabulary` ranks), ascending.
    pub words: &'w [u32],
    /// The first word of its summary.
    pub first: Option<u32>,
    /// Its title's rank among its connector's live operations' titles: alike titles, alike
    /// ranks, in the titles' order. The similar stage names shared operations in title order,
    /// one per title, from this alone, without the titles (a spilled build keeps them on
    /// disk).
    pub title: u32,
}

/// One connector's live operations, packed: all their words in one array, and for each
/// operation its index, where its words end, its first word and its title's rank. With a struct, a title and
/// an array of words for each operation, the live operations of 50× the real repository held
/// 51 MB.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LiveOps {
    entries: Box<[Entry]>,
    words: Box<[u32]>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    operation: u32,
    /// Where its words end in `LiveOps::words` (they start where the previous ones end).
    end: u32,
    /// `NO_FIRST` for none.
    first: u32,
    title: u32,
}

/// An `Entry::first` for an operation whose summary has no word. No word is numbered this:
/// a number out of the vocabulary counts as no word wherever a first word is read.
const NO_FIRST: u32 = u32::MAX;

impl LiveOps {
    /// Packs `(operation, words, first word, title rank)` in order.
    pub fn of(ops: impl IntoIterator<Item = (u32, Vec<u32>, Option<u32>, u32)>) -> LiveOps {
        let (mut entries, mut words) = (Vec::new(), Vec::new());
        for (operation, mine, first, title) in ops {
            words.extend(mine);
            entries.push(Entry {
                operation,
                end: index32(words.len()),
                first: first.unwrap_or(NO_FIRST),
                title,
            });
        }
        LiveOps {
            entries: entries.into(),
            words: words.into(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<LiveOp<'_>> {
        let entry = self.entries.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => self.entries.get(before).map_or(0, |e| e.end),
            None => 0,
        };
        Some(LiveOp {
            operation: entry.operation,
            words: self.words.get(start as usize..entry.end as usize)?,
            first: (entry.first != NO_FIRST).then_some(entry.first),
            title: entry.title,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = LiveOp<'_>> + Clone {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Every word's number; each operation's words read as one array.
    pub fn all_words(&self) -> &[u32] {
        &self.words
    }

    /// The same operations with each word `w` numbered `numbers[w]`, each operation's words
    /// sorted again: `counts_from`'s operations, handed out with the numbers words were
    /// given as met, become `live_from`'s with the vocabulary's ranks (`Counted::ranks`).
    pub fn ranked(mut self, numbers: &[u32]) -> LiveOps {
        self.relabel(numbers);
        self.sort_words();
        self
    }

    /// The operations as bytes, for a spill to keep (`from_bytes` reads them back): the
    /// number of operations, each one's four numbers, then every word, all little-endian
    /// `u32`s.
    pub fn to_bytes(&self) -> Vec<u8> {
        let numbers = 1 + 4 * self.entries.len() + self.words.len();
        let mut bytes = Vec::with_capacity(4 * numbers);
        let mut put = |n: u32| bytes.extend_from_slice(&n.to_le_bytes());
        put(index32(self.entries.len()));
        for e in self.entries.iter() {
            [e.operation, e.end, e.first, e.title]
                .into_iter()
                .for_each(&mut put);
        }
        self.words.iter().for_each(|&w| put(w));
        bytes
    }

    /// `to_bytes` read back; `None` for bytes it did not write (cut short, ends out of order
    /// or past the words).
    pub fn from_bytes(bytes: &[u8]) -> Option<LiveOps> {
        let (numbers, rest) = bytes.as_chunks::<4>();
        if !rest.is_empty() {
            return None;
        }
        let mut numbers = numbers.iter().map(|b| u32::from_le_bytes(*b));
        let count = numbers.next()? as usize;
        let mut entries = Vec::with_capacity(count.min(bytes.len() / 16));
        for _ in 0..count {
            let [operation, end, first, title] = [(); 4].map(|()| numbers.next());
            entries.push(Entry {
                operation: operation?,
                end: end?,
                first: first?,
                title: title?,
            });
        }
        let words: Box<[u32]> = numbers.collect();
        let last = entries.last().map_or(0, |e| e.end as usize);
        let in_order = entries.iter().map(|e| e.end).is_sorted() && last == words.len();
        in_order.then(|| LiveOps {
            entries: entries.into(),
            words,
        })
    }

    /// Numbers each word `w` `numbers[w]` instead (which may unsort each operation's words).
    fn relabel(&mut self, numbers: &[u32]) {
        let at = |w: u32| numbers.get(w as usize).copied().unwrap_or(u32::MAX);
        self.words.iter_mut().for_each(|w| *w = at(*w));
        self.entries
            .iter_mut()
            .filter(|e| e.first != NO_FIRST)
            .for_each(|e| e.first = at(e.first));
    }

    /// Sorts each operation's words.
    fn sort_words(&mut self) {
        let mut start = 0;
        for e in self.entries.iter() {
            if let Some(words) = self.words.get_mut(start..e.end as usize) {
                words.sort_unstable();
            }
            start = e.end as usize;
        }
    }
}

/// Values grouped by a key below a known bound, in the order they come: one array cut at each
/// key's start, counted first and filled once, where a list per key grows by doubling. The
/// similar stage's postings (word → connectors) and the same-job stage's candidates (term →
/// operations) are both kept so.
pub(crate) struct Grouped<T> {
    /// `starts[k]..starts[k + 1]`: key `k`'s values.
    starts: Vec<usize>,
    values: Vec<T>,
}

impl<T: Copy + Default> Grouped<T> {
    /// Groups what `pairs` gives, `(key, value)`, by key; `pairs` gives the same each time it
    /// is called (it is read twice). Keys at or past `keys` are left out.
    pub(crate) fn of<I: Iterator<Item = (u32, T)>>(keys: usize, pairs: impl Fn() -> I) -> Self {
        let known = |k: u32| (k as usize) < keys;
        let mut starts = vec![0usize; keys + 1];
        for (k, _) in pairs().filter(|&(k, _)| known(k)) {
            starts[k as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next = starts.clone();
        let mut values = vec![T::default(); starts[keys]];
        for (k, v) in pairs().filter(|&(k, _)| known(k)) {
            let at = &mut next[k as usize];
            values[*at] = v;
            *at += 1;
        }
        Grouped { starts, values }
    }

    /// Key `k`'s values, in the order they came (none for a key past the bound).
    pub(crate) fn of_key(&self, k: u32) -> &[T] {
        let k = k as usize;
        match (self.starts.get(k), self.starts.get(k + 1)) {
            (Some(&a), Some(&b)) => self.values.get(a..b).unwrap_or_default(),
            _ => &[],
        }
    }
}

/// The live operations of every connector (by catalog index), and the words they use.
pub struct Live {
    pub ops: Vec<LiveOps>,
    pub vocabulary: Vocabulary,
}

/// Every distinct word, sorted; a word's id is its rank.
#[derive(Debug, Default)]
pub struct Vocabulary(Box<[Box<str>]>);

impl Vocabulary {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The rank of a word, if the vocabulary has it.
    pub fn id(&self, word: &str) -> Option<u32> {
        let rank = self.0.binary_search_by(|w| (**w).cmp(word)).ok()?;
        u32::try_from(rank).ok()
    }

    pub fn word(&self, id: u32) -> Option<&str> {
        self.0.get(usize::try_from(id).ok()?).map(|w| &**w)
    }
}

/// Connectors analysed at a time: their own words are held until the catalog's vocabulary
/// has them. All at once, at 10× the real repository, that took 30 MB for a vocabulary of
/// 5,000 words.
const BATCH: usize = 256;

/// The live operations of `connectors`, with their words as ranks in one vocabulary.
pub fn live_in(connectors: &[Connector]) -> Live {
    let held = |i: usize| Ok::<_, Infallible>(OpList::Held(&connectors[i]));
    let Ok(live) = live_from(connectors.len(), held);
    live
}

/// The live operations of `n` connectors, each read by `ops_of` (by catalog index), with
/// their words as ranks in one vocabulary.
pub fn live_from<'c, E: Send>(
    n: usize,
    ops_of: impl Fn(usize) -> Result<OpList<'c>, E> + Sync,
) -> Result<Live, E> {
    // Each batch of connectors is analysed in parallel, each connector's words numbered
    // among its own. In catalog order, each new word is then given the next number, and
    // the connector's operations take those numbers. Last, the numbers become ranks.
    let mut met = Met::default();
    let mut ops = Vec::with_capacity(n);
    read_numbered(n, ops_of, &mut met, |mut mine, numbers| {
        mine.relabel(&numbers);
        ops.push(mine);
        Ok(())
    })?;
    let (vocabulary, ranks) = met.sorted();
    ops.par_iter_mut().for_each(|mine| {
        mine.relabel(&ranks);
        mine.sort_words();
    });
    Ok(Live { ops, vocabulary })
}

/// Reads connectors `0..n` a batch at a time, each batch analysed in parallel, and hands
/// `each`, in catalog order, every connector's live operations (their words numbered among
/// its own) with the number `met` gives each of its words.
fn read_numbered<'c, E: Send>(
    n: usize,
    ops_of: impl Fn(usize) -> Result<OpList<'c>, E> + Sync,
    met: &mut Met,
    mut each: impl FnMut(LiveOps, Vec<u32>) -> Result<(), E>,
) -> Result<(), E> {
    for start in (0..n).step_by(BATCH) {
        let batch = start..n.min(start + BATCH);
        let locals: Result<Vec<Local>, E> = batch
            .into_par_iter()
            .map(|i| ops_of(i).map(|list| Local::of(list.iter())))
            .collect();
        for local in locals? {
            let numbers: Vec<u32> = local.words.into_iter().map(|w| met.number(w)).collect();
            each(local.ops, numbers)?;
        }
    }
    Ok(())
}

/// How often each word (a rank) is in a connector's live operations, by word, ascending.
pub type Counts = Vec<(u32, f32)>;

/// What `counts_from` finds.
pub struct Counted {
    /// Each connector's term counts.
    pub counts: Vec<Counts>,
    pub vocabulary: Vocabulary,
    /// The rank in `vocabulary` of each word, by the number it was met as: what turns the
    /// operations handed out as they were read into `live_from`'s (`LiveOps::ranked`).
    pub ranks: Vec<u32>,
}

/// Each connector's term counts (how many of its live operations have each word, words as
/// ranks, ascending), as `live_from`'s operations give them, and the vocabulary: the words
/// are counted as each connector is read, so only the counts wait for the vocabulary's
/// ranks, not every connector's operations (at 50× the real repository, 28.6 MB of
/// operations and their words, measured, beside an estimated 9 MB of counts). `keep` is
/// handed each connector's operations as they are read, in catalog order, their words
/// numbered as met (a spilled build keeps them in the spill).
pub fn counts_from<'c, E: Send>(
    n: usize,
    ops_of: impl Fn(usize) -> Result<OpList<'c>, E> + Sync,
    mut keep: impl FnMut(usize, &LiveOps) -> Result<(), E>,
) -> Result<Counted, E> {
    let mut met = Met::default();
    let mut counts = Vec::with_capacity(n);
    read_numbered(n, ops_of, &mut met, |mut mine, numbers| {
        mine.relabel(&numbers);
        keep(counts.len(), &mine)?;
        counts.push(word_counts(mine.all_words().to_vec()));
        Ok(())
    })?;
    let (vocabulary, ranks) = met.sorted();
    counts
        .par_iter_mut()
        .for_each(|mine: &mut Vec<(u32, f32)>| {
            for (w, _) in mine.iter_mut() {
                *w = ranks.get(*w as usize).copied().unwrap_or(u32::MAX);
            }
            mine.sort_unstable_by_key(|&(w, _)| w);
        });
    Ok(Counted {
        counts,
        vocabulary,
        ranks,
    })
}

/// How often each word is in `all` (every operation's distinct words, one after the other),
/// by word, ascending.
pub fn word_counts(mut all: Vec<u32>) -> Counts {
    all.sort_unstable();
    // Made to measure: grown by doubling, the lists of a large catalog's connectors left
    // their freed halves scattered among the weights that outlive them.
    let distinct = all.chunk_by(|a, b| a == b).count();
    let mut counts = Vec::with_capacity(distinct);
    for w in all {
        match counts.last_mut() {
            Some((last, n)) if *last == w => *n += 1.0,
            _ => counts.push((w, 1.0)),
        }
    }
    counts
}

/// The words met so far, numbered in the order they were met.
#[derive(Default)]
struct Met {
    numbers: foldhash::HashMap<Box<str>, u32>,
}

impl Met {
    fn number(&mut self, word: Box<str>) -> u32 {
        let next = index32(self.numbers.len());
        *self.numbers.entry(word).or_insert(next)
    }

    /// The vocabulary, and the rank there of each word's number.
    fn sorted(self) -> (Vocabulary, Vec<u32>) {
        let mut words: Vec<(Box<str>, u32)> = self.numbers.into_iter().collect();
        words.par_sort_unstable();
        let mut ranks = vec![0; words.len()];
        for (rank, (_, number)) in words.iter().enumerate() {
            if let Some(r) = ranks.get_mut(*number as usize) {
                *r = index32(rank);
            }
        }
        let vocabulary = Vocabulary(words.into_iter().map(|(w, _)| w).collect());
        (vocabulary, ranks)
    }
}

/// The live operations of a connector outside the catalog whose vocabulary this is
/// (`check --against`). Its words the vocabulary lacks are numbered past it, so that they
/// still count in how alike two operations are, but weigh nothing in the catalog.
pub fn live_beside(c: &Connector, vocabulary: &Vocabulary) -> LiveOps {
    live_ranked(c.op_refs(), vocabulary)
}

/// The live operations among `ops`, their words as ranks in `vocabulary`; words it lacks are
/// numbered past it (`live_beside`). A catalog connector's operations read again give what
/// `live_from` gave for them, with that catalog's vocabulary.
pub fn live_ranked<'o>(ops: impl Iterator<Item = OpRef<'o>>, vocabulary: &Vocabulary) -> LiveOps {
    let local = Local::of(ops);
    let mut next_unknown = index32(vocabulary.len());
    let ranks: Vec<u32> = local
        .words
        .iter()
        .map(|w| {
            vocabulary.id(w).unwrap_or_else(|| {
                let id = next_unknown;
                next_unknown = next_unknown.saturating_add(1);
                id
            })
        })
        .collect();
    let mut ops = local.ops;
    ops.relabel(&ranks);
    ops.sort_words(); // unknown words' numbers are past every known one
    ops
}

/// One connector's live operations, their words numbered by rank among its own words.
struct Local {
    words: Vec<Box<str>>,
    ops: LiveOps,
}

impl Local {
    fn of<'o>(ops: impl Iterator<Item = OpRef<'o>>) -> Local {
        // Each live operation: its index, title, terms (the summary's first), and whether
        // the summary had any.
        let analysed: Vec<(usize, &str, Vec<String>, bool)> = ops
            .enumerate()
            .filter(|(_, o)| o.is_live())
            .map(|(i, o)| {
                let mut terms = lexicon().terms(o.summary.unwrap_or(""));
                let has_summary = !terms.is_empty();
                terms.extend(lexicon().terms(&split_identifier(o.id)));
                (i, o.title(), terms, has_summary)
            })
            .collect();
        let words = sorted_distinct(analysed.iter().flat_map(|a| a.2.iter().map(String::as_str)));
        let titles = sorted_distinct(analysed.iter().map(|a| a.1));
        let rank = |among: &[&str], w: &str| among.binary_search(&w).map_or(u32::MAX, index32);
        let ops = LiveOps::of(analysed.iter().map(|(i, title, terms, has_summary)| {
            let mut ranks: Vec<u32> = terms.iter().map(|t| rank(&words, t)).collect();
            ranks.sort_unstable();
            ranks.dedup();
            let first = has_summary.then(|| rank(&words, &terms[0]));
            (index32(*i), ranks, first, rank(&titles, title))
        }));
        Local {
            words: words.into_iter().map(Box::from).collect(),
            ops,
        }
    }
}

fn sorted_distinct<'a>(all: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut all: Vec<&str> = all.collect();
    all.sort_unstable();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similar_ops::tests::connector;

    fn words_of<'v>(op: &LiveOp, vocabulary: &'v Vocabulary) -> Vec<&'v str> {
        op.words
            .iter()
            .filter_map(|&w| vocabulary.word(w))
            .collect()
    }

    /// Operations kept as bytes come back as they were, whatever they hold (none, an
    /// operation without words or first word); bytes cut short, with a stray byte, or
    /// whose ends run past the words or back are refused, not read.
    #[test]
    fn live_operations_read_back_from_bytes_as_they_were() {
        let ops = LiveOps::of([
            (0, vec![1, 4, 9], Some(4), 1),
            (2, vec![], None, 0),
            (7, vec![u32::MAX - 1], Some(u32::MAX - 1), 2),
        ]);
        for kept in [ops.clone(), LiveOps::default()] {
            assert_eq!(LiveOps::from_bytes(&kept.to_bytes()), Some(kept));
        }
        let bytes = ops.to_bytes();
        assert_eq!(bytes.len(), 4 * (1 + 3 * 4 + 4));
        for cut in [0, 3, 4, 20, bytes.len() - 4] {
            assert_eq!(LiveOps::from_bytes(&bytes[..cut]), None, "cut at {cut}");
        }
        let stray = [&bytes[..], &[0]].concat();
        assert_eq!(LiveOps::from_bytes(&stray), None);
        let mut past = bytes.clone();
        past[8..12].copy_from_slice(&99u32.to_le_bytes()); // the first operation's end
        assert_eq!(LiveOps::from_bytes(&past), None);
        let mut back = bytes.clone();
        back[24..28].copy_from_slice(&0u32.to_le_bytes()); // the second's, before the first's
        assert_eq!(LiveOps::from_bytes(&back), None);
    }

    /// Ranked, the words take their new numbers and each operation's are sorted again.
    #[test]
    fn ranked_operations_take_the_new_numbers_sorted() {
        let ops = LiveOps::of([(3, vec![0, 1, 2], Some(2), 0)]).ranked(&[5, 9, 1]);
        let op = ops.get(0).expect("one operation");
        assert_eq!(
            (op.operation, op.words, op.first),
            (3, &[1, 5, 9][..], Some(1))
        );
    }

    /// Each operation's words are sorted and distinct, its first word is its summary's, and
    /// a word two connectors share is one word of the vocabulary.
    #[test]
    fn live_words_are_sorted_distinct_ranks_of_one_vocabulary() {
        let connectors = [
            connector(&[
                ("SendSms", "Send an SMS message"),
                ("ListMessages", "List messages"),
            ]),
            connector(&[("ArchiveMessage", "Archive a message")]),
        ];
        let live = live_in(&connectors);
        let v = &live.vocabulary;
        let all = || live.ops.iter().flat_map(LiveOps::iter);
        let words: Vec<Vec<&str>> = all().map(|o| words_of(&o, v)).collect();
        assert_eq!(
            words,
            [
                vec!["messag", "send", "sms"],
                vec!["list", "messag"],
                vec!["archiv", "messag"]
            ]
        );
        assert!(all().all(|o| o.words.is_sorted()));
        let first = |c: usize, o: usize| live.ops[c].get(o)?.first.and_then(|f| v.word(f));
        assert_eq!(
            (first(0, 0), first(0, 1), first(1, 0)),
            (Some("send"), Some("list"), Some("archiv"))
        );
        assert_eq!(v.len(), 5, "one `messag`");
        assert_eq!(v.id("messag"), Some(2), "after archiv, list");
        assert_eq!(v.id("zebra"), None);
    }

    /// `check --against`: a connector outside the catalog keeps the catalog's numbers for
    /// the words it knows, and its own words are numbered past them, distinct and sorted.
    #[test]
    fn words_outside_the_vocabulary_are_numbered_past_it() {
        let catalog = [connector(&[("SendSms", "Send an SMS message")])];
        let live = live_in(&catalog);
        let target = connector(&[
            ("SendFax", "Send a fax message"),
            ("PrintFax", "Print a fax"),
        ]);
        let mine = live_beside(&target, &live.vocabulary);
        let known = |w: &str| live.vocabulary.id(w).expect("known");
        let (fax, print) = (3, 4); // past messag, send, sms; in their own order
        let op = |i: usize| mine.get(i).expect("live");
        assert_eq!(op(0).words, [known("messag"), known("send"), fax]);
        assert_eq!(op(1).words, [fax, print]);
        assert_eq!(op(1).first, Some(print));
    }

    /// An operation's title rank orders it among its connector's live operations as its
    /// title does, alike titles alike; operations that are not live take no rank.
    #[test]
    fn title_ranks_order_operations_as_their_titles_do() {
        let mut c = connector(&[
            ("Zed", "Send a message"),
            ("Alpha", "Archive a message"),
            ("Beta", "Send a message"),
            ("Gamma", "Delete a message"),
        ]);
        c.details_mut().operations[3].deprecated = true;
        let live = live_in(std::slice::from_ref(&c));
        let ranks: Vec<(u32, u32)> = live.ops[0].iter().map(|o| (o.operation, o.title)).collect();
        assert_eq!(ranks, [(0, 1), (1, 0), (2, 1)]);
    }

    /// Packed, each operation reads back its own index, words and first word, and
    /// renumbering sorts each operation's words within its own.
    #[test]
    fn packed_live_operations_read_back_each_as_it_was() {
        let expected = [
            (0, vec![3, 7], Some(3), 1),
            (2, vec![], None, 0),
            (5, vec![1, 2, 9], Some(9), 1),
        ];
        let mut ops = LiveOps::of(expected.clone());
        let read: Vec<(u32, Vec<u32>, Option<u32>, u32)> = ops
            .iter()
            .map(|o| (o.operation, o.words.to_vec(), o.first, o.title))
            .collect();
        assert_eq!(read, expected);
        assert_eq!((ops.len(), ops.get(3)), (3, None));
        // 9 → 0 and 1 → 8: each operation's words sorted again, not mixed with the others'.
        let numbers = [0, 8, 2, 3, 4, 5, 6, 7, 8, 0];
        ops.relabel(&numbers);
        ops.sort_words();
        let words: Vec<&[u32]> = ops.iter().map(|o| o.words).collect();
        assert_eq!(words, [&[3, 7][..], &[], &[0, 2, 8]]);
        assert_eq!(ops.get(2).and_then(|o| o.first), Some(0));
    }
}
