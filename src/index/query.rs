//! Answering a query: expansion, scoring with tantivy, and roll-up to connectors.
//!
//! The browser implements the same three steps in `search.js` with the numbers in
//! `search/meta.json`, so the two rank alike:
//! 1. each query term becomes a group of alternatives: itself, its synonyms, completions
//!    of a word being typed, and close spellings of a word the index does not know;
//! 2. a document's score is, summed over groups, the best alternative's weight times its
//!    factor (tantivy: a boolean query of disjunction-max queries);
//! 3. a connector's score combines its own document and its best operations.

use super::analysis::lexicon;
use super::documents::{DocKind, FIELDS};
use super::{register_tokenizer, schema, Fields, INDEX_DIR};
use crate::model::order;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::directory::{Directory, RamDirectory};
use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocId, Index, IndexReader, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

/// How queries are widened; written into `search/meta.json` for the browser.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Expansion {
    pub synonym: f32,
    pub prefix: f32,
    pub fuzzy: f32,
    pub max_prefix: usize,
    pub max_fuzzy: usize,
    pub min_prefix_chars: usize,
    pub min_fuzzy_chars: usize,
    /// Roll-up: weight of the second and third best operations.
    pub second: f32,
    pub third: f32,
    /// Roll-up: bonus share when both the connector and an operation match.
    pub both: f32,
    /// Operations shown with a hit score at least this share of the best one.
    pub action_share: f32,
    pub max_actions: usize,
}

impl Default for Expansion {
    fn default() -> Self {
        Expansion {
            synonym: 0.6,
            prefix: 0.5,
            fuzzy: 0.5,
            max_prefix: 3,
            max_fuzzy: 3,
            min_prefix_chars: 3,
            min_fuzzy_chars: 4,
            second: 0.2,
            third: 0.1,
            both: 0.25,
            action_share: 0.4,
            max_actions: 5,
        }
    }
}

/// Every term of the index with its document frequency.
#[derive(Debug, Default)]
pub struct Vocabulary {
    terms: BTreeMap<String, u32>,
}

impl Vocabulary {
    /// Reads `search/terms.tsv` (`term<TAB>df` lines).
    pub fn parse(text: &str) -> Vocabulary {
        let terms = text
            .lines()
            .filter_map(|l| {
                let (t, df) = l.split_once('\t')?;
                Some((t.to_string(), df.parse().ok()?))
            })
            .collect();
        Vocabulary { terms }
    }

    pub fn contains(&self, term: &str) -> bool {
        self.terms.contains_key(term)
    }

    /// Terms sharing the first two characters of `term` (the browser's shard of it).
    fn neighbourhood<'a>(&'a self, term: &str) -> impl Iterator<Item = (&'a String, u32)> + 'a {
        let prefix: String = term.chars().take(2).collect();
        self.terms
            .range(prefix.clone()..)
            .take_while(move |(t, _)| t.starts_with(&prefix))
            .map(|(t, df)| (t, *df))
    }
}

/// One alternative of a query term: a term of the index and its factor.
pub type Alternative = (String, f32);

/// Expands analysed query terms into groups of alternatives. Terms with none are dropped.
pub fn expand(terms: &[String], vocab: &Vocabulary, x: &Expansion) -> Vec<Vec<Alternative>> {
    let lex = lexicon();
    let mut groups = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        let known = vocab.contains(term);
        let mut alts: Vec<Alternative> = Vec::new();
        if known {
            alts.push((term.clone(), 1.0));
        }
        for s in lex.synonyms(term) {
            if vocab.contains(s) && !alts.iter().any(|(t, _)| t == s) {
                alts.push((s.clone(), x.synonym));
            }
        }
        let chars = term.chars().count();
        let last = i + 1 == terms.len();
        if (!known || last) && chars >= x.min_prefix_chars {
            let completions = best(
                vocab
                    .neighbourhood(term)
                    .filter(|(t, _)| t.starts_with(term.as_str()) && *t != term),
                x.max_prefix,
            );
            push_new(&mut alts, completions, x.prefix);
        }
        if !known && chars >= x.min_fuzzy_chars {
            let close = best(
                vocab
                    .neighbourhood(term)
                    .filter(|(t, _)| one_edit_apart(term, t)),
                x.max_fuzzy,
            );
            push_new(&mut alts, close, x.fuzzy);
        }
        if !alts.is_empty() {
            groups.push(alts);
        }
    }
    groups
}

fn push_new(alts: &mut Vec<Alternative>, terms: Vec<String>, factor: f32) {
    for t in terms {
        if !alts.iter().any(|(a, _)| *a == t) {
            alts.push((t, factor));
        }
    }
}

/// The `n` most frequent terms (ties by term order).
fn best<'a>(candidates: impl Iterator<Item = (&'a String, u32)>, n: usize) -> Vec<String> {
    let mut v: Vec<(&String, u32)> = candidates.collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().take(n).map(|(t, _)| t.clone()).collect()
}

/// True when `a` and `b` differ by one insertion, deletion, substitution or swap of two
/// neighbouring letters.
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        if diff.len() == 2
            && diff[1] == diff[0] + 1
            && a[diff[0]] == b[diff[1]]
            && a[diff[1]] == b[diff[0]]
        {
            return true;
        }
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len().max(b.len()) - prefix - suffix <= 1 && a.len().min(b.len()) <= prefix + suffix + 1
}

/// A scored document: (document id, score, connector index, kind).
pub type ScoredDoc = (u32, f32, u32, DocKind);

/// A connector in the results, with its best matching operations (document ids).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub connector: u32,
    pub score: f32,
    pub operations: Vec<(u32, f32)>,
}

/// Combines document scores into connector scores, best first.
pub fn roll_up(docs: &[ScoredDoc], x: &Expansion) -> Vec<Ranked> {
    let mut by_connector: BTreeMap<u32, (f32, Vec<(u32, f32)>)> = BTreeMap::new();
    for &(doc, score, connector, kind) in docs {
        let entry = by_connector.entry(connector).or_default();
        if kind == DocKind::Connector {
            entry.0 = entry.0.max(score);
        } else {
            entry.1.push((doc, score));
        }
    }
    let mut ranked: Vec<Ranked> = by_connector
        .into_iter()
        .map(|(connector, (own, mut ops))| {
            // Only the best few count and are shown: pick them before sorting (a broad
            // query matches hundreds of operations of one connector).
            let best_first =
                |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            let kept = x.max_actions.max(3);
            if ops.len() > kept {
                ops.select_nth_unstable_by(kept, best_first);
                ops.truncate(kept);
            }
            ops.sort_by(best_first);
            let op = |i: usize| ops.get(i).map_or(0.0, |o| o.1);
            let score =
                own.max(op(0)) + x.both * own.min(op(0)) + x.second * op(1) + x.third * op(2);
            let floor = op(0) * x.action_share;
            ops.retain(|o| o.1 >= floor && o.1 > 0.0);
            ops.truncate(x.max_actions);
            Ranked {
                connector,
                score,
                operations: ops,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.connector.cmp(&b.connector))
    });
    ranked
}

/// The index's files, read into memory. Opening the folder itself makes tantivy create a
/// lock file in it: on a site the user cannot write (a deployed, read-only copy) `search`
/// failed with "Failed to acquire Lockfile", and on any other it left the file behind in the
/// site. The index is about 2 MB; reading it costs a millisecond.
fn index_in_memory(dir: &Path) -> Result<Index> {
    let ram = RamDirectory::create();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let lock = name.to_string_lossy().ends_with(".lock");
        // Regular files only: a link in a site is not followed.
        if !entry.file_type()?.is_file() || lock {
            continue;
        }
        let path = entry.path();
        let data =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        ram.atomic_write(Path::new(&name), &data)?;
    }
    Ok(Index::open(ram)?)
}

/// Every matching document with its score times its factor, in document order: numbered
/// across the index's segments (a large catalog's index is left in parts, `index::write`),
/// as the browser numbers them. The roll-up needs them all, and `TopDocs` sorted them first:
/// a third of a query's time under load.
struct EveryMatch<'a> {
    /// The number of the first document of each segment.
    bases: &'a [DocId],
}

impl Collector for EveryMatch<'_> {
    type Fruit = Vec<(DocId, Score)>;
    type Child = Matches;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Matches> {
        Ok(Matches {
            base: self.bases.get(ord as usize).copied().unwrap_or(0),
            factors: segment.fast_fields().f64("factor")?,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    /// The segments' fruits come in segment order, so the documents stay in order.
    fn merge_fruits(&self, fruits: Vec<Vec<(DocId, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

struct Matches {
    base: DocId,
    factors: tantivy::columnar::Column<f64>,
    found: Vec<(DocId, Score)>,
}

impl SegmentCollector for Matches {
    type Fruit = Vec<(DocId, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let factor = self.factors.first(doc).unwrap_or(1.0) as f32;
        self.found.push((self.base + doc, score * factor));
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}

/// The number of the first document of each of the searcher's segments.
pub fn segment_bases(searcher: &tantivy::Searcher) -> Vec<DocId> {
    let mut next = 0;
    searcher
        .segment_readers()
        .iter()
        .map(|segment| {
            let base = next;
            next += segment.max_doc();
            base
        })
        .collect()
}

/// Where a document numbered across the segments is (see `segment_bases`).
fn address(bases: &[DocId], doc: DocId) -> tantivy::DocAddress {
    let segment = bases.partition_point(|&b| b <= doc).saturating_sub(1);
    let base = bases.get(segment).copied().unwrap_or(0);
    tantivy::DocAddress::new(segment as SegmentOrdinal, doc - base)
}

/// A connector hit, as the command line and `serve` print it (SPEC §2).
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub folder: String,
    pub title: String,
    pub tier: String,
    pub slug: String,
    pub score: f32,
    pub url: String,
    pub actions: Vec<ActionHit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionHit {
    pub operation_id: String,
    pub summary: String,
    pub kind: &'static str,
    pub url: String,
}

/// The JSON array of hits that `search --json` prints and `serve` answers on `/api/search`.
pub fn hits_json(hits: &[Hit]) -> Result<String> {
    Ok(serde_json::to_string_pretty(hits)?)
}

/// An open index of a built site.
pub struct Searcher {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    vocab: Vocabulary,
    expansion: Expansion,
    first_doc: Vec<u32>,
}

impl Searcher {
    pub fn open(site: &Path) -> Result<Searcher> {
        let dir = site.join(INDEX_DIR);
        let index = index_in_memory(&dir).with_context(|| {
            format!(
                "no search index in {} (build the site first)",
                site.display()
            )
        })?;
        register_tokenizer(&index);
        let reader = index.reader()?;
        let vocab_text = std::fs::read_to_string(site.join("search/terms.tsv"))
            .context("cannot read search/terms.tsv")?;
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(site.join("search/meta.json"))?)?;
        let first_doc = meta["first_doc"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_u64())
                    .map(|v| v as u32)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Searcher {
            index,
            reader,
            fields: schema().1,
            vocab: Vocabulary::parse(&vocab_text),
            expansion: Expansion::default(),
            first_doc,
        })
    }

    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let terms = lexicon().query_terms(query);
        let groups = expand(&terms, &self.vocab, &self.expansion);
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let q = self.tantivy_query(&groups);
        let bases = segment_bases(&searcher);
        let matches = searcher.search(&q, &EveryMatch { bases: &bases })?;
        let scored: Vec<ScoredDoc> = matches
            .iter()
            .map(|&(doc, score)| {
                let connector = self.connector_of(doc);
                let kind = if self.first_doc.get(connector as usize) == Some(&doc) {
                    DocKind::Connector
                } else {
                    DocKind::Action
                };
                (doc, score, connector, kind)
            })
            .collect();
        let ranked = roll_up(&scored, &self.expansion);
        ranked
            .iter()
            .take(limit)
            .map(|r| self.hit(&searcher, &bases, r))
            .collect()
    }

    /// The connector a document belongs to (documents are contiguous per connector).
    fn connector_of(&self, doc: u32) -> u32 {
        self.first_doc
            .partition_point(|&f| f <= doc)
            .saturating_sub(1) as u32
    }

    fn tantivy_query(&self, groups: &[Vec<Alternative>]) -> BooleanQuery {
        let group_queries: Vec<(Occur, Box<dyn Query>)> = groups
            .iter()
            .map(|alts| {
                let disjuncts: Vec<Box<dyn Query>> = alts
                    .iter()
                    .map(|(term, factor)| {
                        let per_field: Vec<(Occur, Box<dyn Query>)> = self
                            .fields
                            .text
                            .iter()
                            .zip(FIELDS)
                            .map(|(field, (_, boost))| {
                                let tq = TermQuery::new(
                                    Term::from_field_text(*field, term),
                                    IndexRecordOption::WithFreqs,
                                );
                                (
                                    Occur::Should,
                                    Box::new(BoostQuery::new(Box::new(tq), boost * factor))
                                        as Box<dyn Query>,
                                )
                            })
                            .collect();
                        Box::new(BooleanQuery::new(per_field)) as Box<dyn Query>
                    })
                    .collect();
                (
                    Occur::Should,
                    Box::new(DisjunctionMaxQuery::new(disjuncts)) as Box<dyn Query>,
                )
            })
            .collect();
        BooleanQuery::new(group_queries)
    }

    fn hit(&self, searcher: &tantivy::Searcher, bases: &[DocId], r: &Ranked) -> Result<Hit> {
        let f = &self.fields;
        let first = self
            .first_doc
            .get(r.connector as usize)
            .copied()
            .unwrap_or(0);
        let doc: TantivyDocument = searcher.doc(address(bases, first))?;
        let text = |d: &TantivyDocument, field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let slug = text(&doc, f.slug);
        let url = format!("connectors/{slug}/");
        let mut actions = Vec::new();
        for (op, _) in &r.operations {
            let d: TantivyDocument = searcher.doc(address(bases, *op))?;
            let kind = DocKind::from_u64(d.get_first(f.kind).and_then(|v| v.as_u64()).unwrap_or(1));
            actions.push(ActionHit {
                operation_id: text(&d, f.operation_id),
                summary: text(&d, f.title),
                kind: kind.id(),
                url: format!(
                    "{url}{}",
                    order::href_to(
                        d.get_first(f.page)
                            .and_then(|v| v.as_u64())
                            .and_then(|p| u32::try_from(p).ok())
                            .unwrap_or(0),
                        0,
                        &text(&d, f.anchor)
                    )
                ),
            });
        }
        Ok(Hit {
            folder: text(&doc, f.folder),
            title: text(&doc, f.title),
            tier: text(&doc, f.tier),
            score: (r.score * 1000.0).round() / 1000.0,
            url,
            slug,
            actions,
        })
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart_is_levenshtein_one() {
        assert!(one_edit_apart("sned", "send"));
        assert!(one_edit_apart("sendd", "send"));
        assert!(one_edit_apart("snd", "send"));
        assert!(one_edit_apart("sond", "send"));
        assert!(!one_edit_apart("send", "send"));
        assert!(!one_edit_apart("sx", "send"));
    }

    #[test]
    fn expansion_adds_synonyms_completions_and_spellings() {
        let vocab =
            Vocabulary::parse("sms\t10\ntext\t50\nmessag\t40\nmessagebird\t1\nweather\t5\n");
        let x = Expansion::default();
        let groups = expand(&["text".into(), "weathr".into(), "mess".into()], &vocab, &x);
        assert_eq!(
            groups[0],
            [("text".to_string(), 1.0), ("sms".to_string(), x.synonym)]
        );
        assert_eq!(groups[1], [("weather".to_string(), x.fuzzy)]);
        assert_eq!(
            groups[2],
            [
                ("messag".to_string(), x.prefix),
                ("messagebird".to_string(), x.prefix)
            ]
        );
    }

    /// A connector with many matching operations: the best few are picked before sorting,
    /// and must be those a full sort gives (ties broken by document).
    #[test]
    fn roll_up_keeps_the_best_actions_of_many() {
        let x = Expansion::default();
        let docs: Vec<ScoredDoc> = (1..200u32)
            .map(|d| (d, ((d * 37) % 11) as f32 * 0.5, 0, DocKind::Action))
            .chain([(0, 3.0, 0, DocKind::Connector)])
            .collect();
        let mut all: Vec<(u32, f32)> = docs[..199].iter().map(|d| (d.0, d.1)).collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let floor = all[0].1 * x.action_share;
        let expected: Vec<(u32, f32)> = all
            .iter()
            .copied()
            .filter(|o| o.1 >= floor && o.1 > 0.0)
            .take(x.max_actions)
            .collect();
        let ranked = roll_up(&docs, &x);
        assert_eq!(ranked[0].operations, expected);
        let op = |i: usize| all[i].1;
        let score =
            3.0f32.max(op(0)) + x.both * 3.0f32.min(op(0)) + x.second * op(1) + x.third * op(2);
        assert_eq!(ranked[0].score, score);
    }

    #[test]
    fn roll_up_prefers_connectors_matching_in_several_places() {
        let x = Expansion::default();
        let docs = [
            (0, 2.0, 0, DocKind::Connector),
            (1, 2.0, 0, DocKind::Action),
            (5, 2.4, 1, DocKind::Action),
            (9, 1.0, 2, DocKind::Action),
        ];
        let ranked = roll_up(&docs, &x);
        assert_eq!(
            ranked.iter().map(|r| r.connector).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        assert_eq!(ranked[0].operations, [(1, 2.0)]);
    }
}
