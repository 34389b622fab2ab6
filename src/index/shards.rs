//! The browser's share of the index: term weights sharded by prefix, as Pagefind does.
//!
//! For every term, the score tantivy gives each document for it (BM25 per field times the
//! field boost, summed over fields, times the document's factor) is read straight from the
//! tantivy segment, so the browser adds up the same numbers the command line does. Terms
//! are grouped by their first two characters into `search/t/<key>.json` (each term with its
//! document frequency, and its postings when it is rare); a common term's postings are a file
//! of their own, `search/p/<term>.json`. A query fetches the shards of its words, then the
//! postings of the terms it really uses: all of them, never a truncated list, so the browser's
//! ranking is the command line's. `search/meta.json` (small) maps documents to connectors and
//! carries the lexicon; document and connector details come in chunks, fetched for the
//! results shown.

use super::analysis::lexicon;
use super::documents::{Doc, FIELDS};
use super::{schema, Stats};
use crate::export::connector_url;
use crate::model::{Catalog, FileKind};
use crate::output::Staging;
use anyhow::Result;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, TERMINATED};

/// Terms with at most this many postings carry them inline in their shard; the postings of
/// commoner terms are a file of their own (`search/p/<term>.json`), fetched only when a query
/// uses that very term, so a shard stays small however common its words are, and the
/// browser still adds up every posting the command line does.
pub const INLINE_POSTINGS: usize = 32;
/// Weights are written as integers in hundredths.
pub const WEIGHT_SCALE: f32 = 100.0;
/// Documents and connectors per detail chunk (64 documents: a results page of twenty hits
/// fetches well under 100 KB on the full corpus).
pub const DOC_CHUNK: usize = 64;
pub const CONNECTOR_CHUNK: usize = 128;

/// Hands every term of the index to `each`, in byte order, with its (document, weight)
/// postings in document order, and returns how many there were. tantivy's term dictionaries
/// come sorted, so the fields' dictionaries are merged like sorted lists and only one term's
/// postings are held at a time. Holding every term's at once took the index stage's peak
/// from 122 to 132 MB at 10× the real repository.
///
/// A large catalog's index is left in segments (`index::write`): documents are numbered
/// across them, and a term's weights use its frequency and the fields' lengths over all of
/// them, as tantivy's own scoring does, so the weights are those of one segment.
pub fn each_term(
    index: &Index,
    factors: &[f32],
    mut each: impl FnMut(&str, &[(u32, f32)]) -> Result<()>,
) -> Result<usize> {
    let (_, fields) = schema();
    let searcher = index.reader()?.searcher();
    let total_docs = searcher.num_docs();
    let bases = super::query::segment_bases(&searcher);
    // Field by field, each segment's dictionary (field-major: a document's scores are then
    // summed in field order, as `merge_documents` expects).
    let mut sources = Vec::new();
    let mut weighing = Vec::new();
    for (k, (field, (_, boost))) in fields.text.iter().zip(FIELDS).enumerate() {
        let mut tokens = 0u64;
        for (segment, base) in searcher.segment_readers().iter().zip(&bases) {
            let inverted = segment.inverted_index(*field)?;
            tokens += inverted.total_num_tokens();
            let norms = segment.get_fieldnorms_reader(*field)?;
            sources.push((k, inverted, norms, *base));
        }
        weighing.push((tokens as f32 / total_docs.max(1) as f32, boost));
    }
    let mut streams = Vec::with_capacity(sources.len());
    for (_, inverted, ..) in &sources {
        let mut stream = inverted.terms().stream()?;
        let live = stream.advance();
        streams.push((stream, live));
    }
    let mut postings: Vec<(u32, f32)> = Vec::new();
    let mut terms = 0;
    loop {
        let next = streams.iter().filter(|s| s.1).map(|s| s.0.key()).min();
        let Some(term) = next.map(<[u8]>::to_vec) else {
            return Ok(terms);
        };
        postings.clear();
        let has = |(stream, live): &(tantivy::termdict::TermStreamer, bool)| {
            *live && stream.key() == term.as_slice()
        };
        for (k, (average, boost)) in weighing.iter().enumerate() {
            // The segments whose dictionary of field `k` has the term.
            let has_term = |j: &usize| sources[*j].0 == k && has(&streams[*j]);
            let found: Vec<usize> = (0..sources.len()).filter(has_term).collect();
            if found.is_empty() {
                continue;
            }
            let doc_freq: u64 = found
                .iter()
                .map(|&j| u64::from(streams[j].0.value().doc_freq))
                .sum();
            let bm25 = Bm25Weight::for_one_term(doc_freq, total_docs, *average).boost_by(*boost);
            for j in found {
                let (_, inverted, norms, base) = &sources[j];
                let (stream, live) = &mut streams[j];
                let mut read = inverted
                    .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)?;
                let mut doc = read.doc();
                while doc != TERMINATED {
                    let numbered = base + doc;
                    let factor = factors.get(numbered as usize).copied().unwrap_or(1.0);
                    postings.push((
                        numbered,
                        bm25.score(norms.fieldnorm_id(doc), read.term_freq()) * factor,
                    ));
                    doc = read.advance();
                }
                *live = stream.advance();
            }
        }
        merge_documents(&mut postings);
        each(&String::from_utf8_lossy(&term), &postings)?;
        terms += 1;
    }
}

/// Sorts a term's postings (one run per field) by document and sums each document's
/// scores, in field order, in place: a term in every document of a catalog 50 times the real
/// one has millions of postings, and a second list of them was 7 MB more at the stage's peak.
fn merge_documents(postings: &mut Vec<(u32, f32)>) {
    if postings.is_sorted_by(|a, b| a.0 < b.0) {
        return; // one field's run: already in order, each document once
    }
    postings.sort_by_key(|p| p.0); // stable: a document's scores stay in field order
    let mut kept: usize = 0;
    for read in 0..postings.len() {
        let (doc, score) = postings[read];
        match kept.checked_sub(1).map(|last| &mut postings[last]) {
            Some(last) if last.0 == doc => last.1 += score,
            _ => {
                postings[kept] = (doc, score);
                kept += 1;
            }
        }
    }
    postings.truncate(kept);
}

/// The shard a term belongs to: its first two characters, as a file name. Terms come sorted
/// by bytes, so the terms of one shard come one after another. No two prefixes share a name:
/// terms hold only letters and digits, so a name in hex comes from a non-ASCII letter and is
/// at least four characters long, a plain one at most two.
pub fn shard_key(term: &str) -> String {
    file_name(&term.chars().take(2).collect::<String>())
}

/// `text` as a safe file name: itself when plain lowercase ASCII letters and digits, else
/// its UTF-8 bytes in hex.
pub fn file_name(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        text.to_string()
    } else {
        text.bytes().map(|b| format!("{b:02x}")).collect()
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    documents: usize,
    /// First document of each connector; a connector's documents are contiguous.
    first_doc: &'a [u32],
    doc_chunk: usize,
    connector_chunk: usize,
    weight_scale: f32,
    shards: Vec<&'a str>,
    lexicon: &'a super::analysis::Lexicon,
    expansion: super::query::Expansion,
}

/// One shard's terms, written once the terms move on to the next shard (terms come sorted,
/// so a shard's terms come together).
#[derive(Default)]
struct Shard {
    key: String,
    terms: BTreeMap<String, serde_json::Value>,
}

impl Shard {
    fn write(&mut self, staging: &Staging, written: &mut BTreeSet<String>) -> Result<()> {
        if self.terms.is_empty() {
            return Ok(());
        }
        let rel = format!("search/t/{}.json", self.key);
        if !written.insert(self.key.clone()) {
            // A shard's terms always come together (see `shard_key`); should another order
            // ever split one, the earlier part is merged, not overwritten.
            let earlier = std::fs::read(staging.path_for(&rel)?)?;
            let earlier: BTreeMap<String, serde_json::Value> = serde_json::from_slice(&earlier)?;
            self.terms.extend(earlier);
        }
        staging.write(&rel, serde_json::to_vec(&self.terms)?)?;
        self.terms.clear();
        Ok(())
    }
}

/// The browser's document rows (`search/d/<n>.json`), written a chunk at a time as the
/// documents are indexed, and what the shards still need of each document.
pub struct DocRows<'a> {
    staging: &'a Staging,
    chunk: Vec<serde_json::Value>,
    chunks: usize,
    kept: Kept,
}

/// What the shards need of every document once its rows are written.
#[derive(Debug, Default)]
pub struct Kept {
    /// Each document's factor (`Doc::factor`), by document number.
    pub factors: Vec<f32>,
    /// First document of each connector; a connector's documents are contiguous.
    pub first_doc: Vec<u32>,
}

impl<'a> DocRows<'a> {
    pub fn new(staging: &'a Staging) -> DocRows<'a> {
        DocRows {
            staging,
            chunk: Vec::with_capacity(DOC_CHUNK),
            chunks: 0,
            kept: Kept::default(),
        }
    }

    /// The next document, in document order.
    pub fn push(&mut self, d: &Doc) -> Result<()> {
        let number = self.kept.factors.len() as u32;
        if self.kept.first_doc.len() <= d.connector as usize {
            self.kept.first_doc.push(number);
        }
        self.kept.factors.push(d.factor);
        self.chunk.push(match d.page {
            // The page only for an operation past its connector's first page.
            0 => json!([d.kind.id(), d.anchor, d.title, d.operation_id]),
            p => json!([d.kind.id(), d.anchor, d.title, d.operation_id, p]),
        });
        if self.chunk.len() == DOC_CHUNK {
            self.write_chunk()?;
        }
        Ok(())
    }

    fn write_chunk(&mut self) -> Result<()> {
        let rel = format!("search/d/{}.json", self.chunks);
        self.staging.write(&rel, serde_json::to_vec(&self.chunk)?)?;
        self.chunk.clear();
        self.chunks += 1;
        Ok(())
    }

    /// Writes the last, partial chunk.
    pub fn finish(mut self) -> Result<Kept> {
        if !self.chunk.is_empty() {
            self.write_chunk()?;
        }
        Ok(self.kept)
    }
}

pub fn write(index: &Index, catalog: &Catalog, docs: &Kept, staging: &Staging) -> Result<Stats> {
    let mut shard = Shard::default();
    let mut written = BTreeSet::new();
    let mut vocabulary = String::new();
    let terms = each_term(index, &docs.factors, |term, postings| {
        vocabulary.push_str(&format!("{term}\t{}\n", postings.len()));
        let entry = if postings.len() <= INLINE_POSTINGS {
            json!([postings.len(), encode(postings)])
        } else {
            let rel = format!("search/p/{}.json", file_name(term));
            staging.write(&rel, encode_json(postings))?;
            json!([postings.len()])
        };
        let key = shard_key(term);
        if key != shard.key {
            shard.write(staging, &mut written)?;
            shard.key = key;
        }
        shard.terms.insert(term.to_string(), entry);
        Ok(())
    })?;
    shard.write(staging, &mut written)?;
    staging.write("search/terms.tsv", vocabulary)?;
    let meta = Meta {
        version: 1,
        documents: docs.factors.len(),
        first_doc: &docs.first_doc,
        doc_chunk: DOC_CHUNK,
        connector_chunk: CONNECTOR_CHUNK,
        weight_scale: WEIGHT_SCALE,
        shards: written.iter().map(String::as_str).collect(),
        lexicon: lexicon(),
        expansion: super::query::Expansion::default(),
    };
    staging.write("search/meta.json", serde_json::to_vec(&meta)?)?;
    for (n, chunk) in catalog.connectors.chunks(CONNECTOR_CHUNK).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .map(|c| {
                json!([
                    c.slug(),
                    c.display_title(),
                    c.tier.id(),
                    connector_url(c),
                    c.folder(),
                    c.files().has(FileKind::Icon)
                ])
            })
            .collect();
        staging.write(&format!("search/c/{n}.json"), serde_json::to_vec(&rows)?)?;
    }
    Ok(Stats {
        documents: docs.factors.len(),
        terms,
        shards: written.len(),
    })
}

/// `[doc-delta, weight, doc-delta, weight, ...]`: every posting of a term, in document order.
fn encode(postings: &[(u32, f32)]) -> Vec<u32> {
    let mut flat = Vec::with_capacity(postings.len() * 2);
    flat.extend(encoded(postings));
    flat
}

/// `encode`'s numbers as JSON, written straight from the postings: a common term's list of
/// numbers was as large again as its postings (7 MB at 50 times the real repository).
fn encode_json(postings: &[(u32, f32)]) -> Vec<u8> {
    use std::io::Write;
    let mut json = Vec::with_capacity(postings.len() * 8 + 2);
    json.push(b'[');
    for (k, n) in encoded(postings).enumerate() {
        if k > 0 {
            json.push(b',');
        }
        // Writing into a Vec cannot fail.
        let _ = write!(json, "{n}");
    }
    json.push(b']');
    json
}

/// The numbers of `encode`, one at a time.
fn encoded(postings: &[(u32, f32)]) -> impl Iterator<Item = u32> + '_ {
    let mut previous = 0;
    postings.iter().flat_map(move |&(doc, weight)| {
        let delta = doc - previous;
        previous = doc;
        [delta, (weight * WEIGHT_SCALE).round().max(1.0) as u32]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every term's postings read field by field into one map, as the stage did before it
    /// streamed: what `each_term` must hand over, term by term.
    fn whole_map(index: &Index, factors: &[f32]) -> BTreeMap<String, Vec<(u32, f32)>> {
        let (_, fields) = schema();
        let searcher = index.reader().expect("reader").searcher();
        let total = searcher.num_docs();
        let mut out: BTreeMap<String, Vec<(u32, f32)>> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            for (field, (_, boost)) in fields.text.iter().zip(FIELDS) {
                let inverted = segment.inverted_index(*field).expect("field");
                let norms = segment.get_fieldnorms_reader(*field).expect("norms");
                let average = inverted.total_num_tokens() as f32 / total.max(1) as f32;
                let mut stream = inverted.terms().stream().expect("terms");
                while stream.advance() {
                    let term = String::from_utf8_lossy(stream.key()).into_owned();
                    let info = stream.value();
                    let bm25 = Bm25Weight::for_one_term(u64::from(info.doc_freq), total, average)
                        .boost_by(boost);
                    let mut p = inverted
                        .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
                        .expect("postings");
                    let entry = out.entry(term).or_default();
                    while p.doc() != TERMINATED {
                        let factor = factors[p.doc() as usize];
                        let score = bm25.score(norms.fieldnorm_id(p.doc()), p.term_freq());
                        entry.push((p.doc(), score * factor));
                        p.advance();
                    }
                }
            }
        }
        out.values_mut().for_each(merge_documents);
        out
    }

    /// The fields' term dictionaries are merged term by term: every term once, in byte
    /// order, with the postings and weights of every field summed per document.
    #[test]
    fn terms_stream_in_order_with_every_fields_postings() {
        use crate::similar_ops::tests::{catalog, connector};
        let c = catalog(vec![
            connector(&[
                ("SendSms", "Send an SMS message"),
                ("GetMessage", "Get a message"),
            ]),
            connector(&[
                ("SendMail", "Send mail to a user"),
                ("ListUsers", "List users"),
            ]),
            connector(&[("Zebra", "Zebra crossing"), ("Axolotl", "Axolotl tank")]),
        ]);
        let dir = tempfile::tempdir().expect("temp dir");
        let mut factors = Vec::new();
        let parts = dir.path().join("parts");
        super::super::build_tantivy(dir.path(), &parts, &c, usize::MAX, |d| {
            factors.push(d.factor);
            Ok(())
        })
        .expect("index");
        // Streamed from the files read in blocks, as the build reads them; expected from
        // the files mapped, as tantivy reads them by default.
        let index = super::super::read_ahead::open(dir.path()).expect("open");
        let mapped = Index::open_in_dir(dir.path()).expect("open mapped");
        let mut streamed = Vec::new();
        let count = each_term(&index, &factors, |term, postings| {
            streamed.push((term.to_string(), postings.to_vec()));
            Ok(())
        })
        .expect("terms");
        let expected: Vec<(String, Vec<(u32, f32)>)> =
            whole_map(&mapped, &factors).into_iter().collect();
        assert_eq!(count, expected.len());
        assert_eq!(streamed, expected);
        let send = streamed.iter().find(|(t, _)| t == "send").expect("send");
        assert!(send.1.len() >= 2, "in two connectors: {send:?}");
    }

    /// Should a shard's terms ever come apart, its second part is merged into the first.
    #[test]
    fn a_shard_written_twice_keeps_both_parts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let staging = Staging::new(&dir.path().join("site")).expect("staging");
        let mut written = BTreeSet::new();
        for term in ["ab1", "cd", "ab2"] {
            let mut shard = Shard {
                key: shard_key(term),
                terms: BTreeMap::from([(term.to_string(), json!([1]))]),
            };
            shard.write(&staging, &mut written).expect("write");
        }
        let bytes =
            std::fs::read(staging.path_for("search/t/ab.json").expect("path")).expect("read");
        let terms: BTreeMap<String, serde_json::Value> =
            serde_json::from_slice(&bytes).expect("json");
        assert_eq!(terms.keys().collect::<Vec<_>>(), ["ab1", "ab2"]);
        assert_eq!(written.len(), 2);
    }

    /// Document rows are written a chunk at a time as the documents come, the last chunk
    /// partial; only each document's factor and each connector's first document are kept.
    #[test]
    fn document_rows_are_written_in_chunks_as_they_come() {
        use super::super::documents::DocKind;
        let dir = tempfile::tempdir().expect("temp dir");
        let staging = Staging::new(&dir.path().join("site")).expect("staging");
        let mut rows = DocRows::new(&staging);
        let count = 2 * DOC_CHUNK + 3;
        for n in 0..count {
            let connector = (n / DOC_CHUNK) as u32; // connectors of 64, 64 and 3 documents
            let first = n % DOC_CHUNK == 0;
            rows.push(&Doc {
                connector,
                kind: if first {
                    DocKind::Connector
                } else {
                    DocKind::Action
                },
                anchor: if first {
                    String::new()
                } else {
                    format!("op{n}")
                },
                page: u32::from(n == count - 1),
                operation_id: format!("Op{n}"),
                title: format!("Title {n}"),
                factor: if n % 2 == 0 { 1.0 } else { 0.5 },
                fields: Default::default(),
            })
            .expect("push");
            let written = staging.path_for("search/d/0.json").expect("path").exists();
            assert_eq!(written, n + 1 >= DOC_CHUNK, "chunk 0 is written once full");
        }
        let kept = rows.finish().expect("finish");
        assert_eq!(kept.first_doc, [0, DOC_CHUNK as u32, 2 * DOC_CHUNK as u32]);
        assert_eq!(kept.factors.len(), count);
        assert_eq!(kept.factors[1], 0.5);
        let chunk = |n: usize| -> Vec<serde_json::Value> {
            let path = staging
                .path_for(&format!("search/d/{n}.json"))
                .expect("path");
            serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json")
        };
        assert_eq!(chunk(0).len(), DOC_CHUNK);
        assert_eq!(chunk(1)[1], json!(["action", "op65", "Title 65", "Op65"]));
        let last = chunk(2);
        assert_eq!(last.len(), 3);
        assert_eq!(last[2], json!(["action", "op130", "Title 130", "Op130", 1]));
        assert!(!staging.path_for("search/d/3.json").expect("path").exists());
    }

    #[test]
    fn shard_keys_are_safe_file_names() {
        assert_eq!(shard_key("send"), "se");
        assert_eq!(shard_key("42x"), "42");
        assert_eq!(shard_key("日本"), "e697a5e69cac");
    }

    #[test]
    fn postings_are_delta_encoded_in_hundredths() {
        let postings = [(3, 1.234), (10, 0.001)];
        assert_eq!(encode(&postings), vec![3, 123, 7, 1]);
        assert_eq!(encode_json(&postings), b"[3,123,7,1]");
        let many: Vec<(u32, f32)> = (0..100).map(|k| (k * 7 + 1, k as f32 / 3.0)).collect();
        let json = serde_json::to_vec(&encode(&many)).expect("json");
        assert_eq!(encode_json(&many), json, "as serde_json writes the numbers");
        assert_eq!(encode_json(&[]), b"[]");
    }

    #[test]
    fn a_documents_scores_from_several_fields_are_summed() {
        let mut p = vec![(7, 1.0), (2, 0.5), (7, 0.25), (2, 2.0)];
        merge_documents(&mut p);
        assert_eq!(p, vec![(2, 2.5), (7, 1.25)]);
        let mut three = vec![
            (1, 1.0),
            (3, 1.0),
            (1, 0.5),
            (3, 0.25),
            (4, 1.0),
            (3, 0.125),
        ];
        merge_documents(&mut three);
        assert_eq!(three, vec![(1, 1.5), (3, 1.375), (4, 1.0)]);
        let mut one_run = vec![(1, 1.0), (2, 2.0), (9, 0.5)];
        merge_documents(&mut one_run);
        assert_eq!(one_run, vec![(1, 1.0), (2, 2.0), (9, 0.5)]);
        let mut none = Vec::new();
        merge_documents(&mut none);
        assert!(none.is_empty());
    }
}
