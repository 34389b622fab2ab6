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
use crate::model::Catalog;
use crate::output::Staging;
use anyhow::Result;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
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

/// Term → (document, weight) in document order, for every term of the index.
pub type Weights = BTreeMap<String, Vec<(u32, f32)>>;

/// Reads the weight of every (term, document) pair from the index.
pub fn weights(index: &Index, docs: &[Doc]) -> Result<Weights> {
    let (_, fields) = schema();
    let searcher = index.reader()?.searcher();
    let mut out: Weights = BTreeMap::new();
    let total_docs = searcher.num_docs();
    for segment in searcher.segment_readers() {
        for (field, (_, boost)) in fields.text.iter().zip(FIELDS) {
            let inverted = segment.inverted_index(*field)?;
            let norms = segment.get_fieldnorms_reader(*field)?;
            let average = inverted.total_num_tokens() as f32 / total_docs.max(1) as f32;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let term = String::from_utf8_lossy(stream.key()).into_owned();
                let info = stream.value();
                let bm25 = Bm25Weight::for_one_term(u64::from(info.doc_freq), total_docs, average)
                    .boost_by(boost);
                let mut postings =
                    inverted.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
                let entry = out.entry(term).or_default();
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let factor = docs.get(doc as usize).map_or(1.0, |d| d.factor);
                    let score = bm25.score(norms.fieldnorm_id(doc), postings.term_freq()) * factor;
                    entry.push((doc, score));
                    doc = postings.advance();
                }
            }
        }
    }
    out.values_mut().for_each(merge_documents);
    Ok(out)
}

/// Sorts a term's postings (one run per field) by document and sums each document's
/// scores, in field order.
fn merge_documents(postings: &mut Vec<(u32, f32)>) {
    postings.sort_by_key(|p| p.0); // stable: a document's scores stay in field order
    let mut merged: Vec<(u32, f32)> = Vec::with_capacity(postings.len());
    for &(doc, score) in postings.iter() {
        match merged.last_mut() {
            Some(last) if last.0 == doc => last.1 += score,
            _ => merged.push((doc, score)),
        }
    }
    *postings = merged;
}

/// The shard a term belongs to: its first two characters, as a file name.
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
    first_doc: Vec<u32>,
    doc_chunk: usize,
    connector_chunk: usize,
    weight_scale: f32,
    shards: Vec<&'a str>,
    lexicon: &'a super::analysis::Lexicon,
    expansion: super::query::Expansion,
}

pub fn write(index: &Index, catalog: &Catalog, docs: &[Doc], staging: &Staging) -> Result<Stats> {
    let weights = weights(index, docs)?;
    let mut shards: BTreeMap<String, BTreeMap<&str, serde_json::Value>> = BTreeMap::new();
    let mut vocabulary = String::new();
    for (term, postings) in &weights {
        vocabulary.push_str(&format!("{term}\t{}\n", postings.len()));
        let flat = encode(postings);
        let entry = if postings.len() <= INLINE_POSTINGS {
            json!([postings.len(), flat])
        } else {
            staging.write(
                &format!("search/p/{}.json", file_name(term)),
                serde_json::to_vec(&flat)?,
            )?;
            json!([postings.len()])
        };
        shards
            .entry(shard_key(term))
            .or_default()
            .insert(term, entry);
    }
    staging.write("search/terms.tsv", vocabulary)?;
    for (key, terms) in &shards {
        staging.write(&format!("search/t/{key}.json"), serde_json::to_vec(terms)?)?;
    }
    let mut first_doc = Vec::with_capacity(catalog.connectors.len());
    for (i, d) in docs.iter().enumerate() {
        if first_doc.len() <= d.connector as usize {
            first_doc.push(i as u32);
        }
    }
    let meta = Meta {
        version: 1,
        documents: docs.len(),
        first_doc,
        doc_chunk: DOC_CHUNK,
        connector_chunk: CONNECTOR_CHUNK,
        weight_scale: WEIGHT_SCALE,
        shards: shards.keys().map(String::as_str).collect(),
        lexicon: lexicon(),
        expansion: super::query::Expansion::default(),
    };
    staging.write("search/meta.json", serde_json::to_vec(&meta)?)?;
    for (n, chunk) in docs.chunks(DOC_CHUNK).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .map(|d| match d.page {
                // The page only for an operation past its connector's first page.
                0 => json!([d.kind.id(), d.anchor, d.title, d.operation_id]),
                p => json!([d.kind.id(), d.anchor, d.title, d.operation_id, p]),
            })
            .collect();
        staging.write(&format!("search/d/{n}.json"), serde_json::to_vec(&rows)?)?;
    }
    for (n, chunk) in catalog.connectors.chunks(CONNECTOR_CHUNK).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .map(|c| {
                json!([
                    c.slug,
                    c.display_title(),
                    c.tier.id(),
                    connector_url(c),
                    c.folder,
                    c.files.icon.is_some()
                ])
            })
            .collect();
        staging.write(&format!("search/c/{n}.json"), serde_json::to_vec(&rows)?)?;
    }
    Ok(Stats {
        documents: docs.len(),
        terms: weights.len(),
        shards: shards.len(),
    })
}

/// `[doc-delta, weight, doc-delta, weight, ...]`: every posting of a term, in document order.
fn encode(postings: &[(u32, f32)]) -> Vec<u32> {
    let mut flat = Vec::with_capacity(postings.len() * 2);
    let mut previous = 0;
    for &(doc, weight) in postings {
        flat.push(doc - previous);
        flat.push((weight * WEIGHT_SCALE).round().max(1.0) as u32);
        previous = doc;
    }
    flat
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_keys_are_safe_file_names() {
        assert_eq!(shard_key("send"), "se");
        assert_eq!(shard_key("42x"), "42");
        assert_eq!(shard_key("日本"), "e697a5e69cac");
    }

    #[test]
    fn postings_are_delta_encoded_in_hundredths() {
        assert_eq!(encode(&[(3, 1.234), (10, 0.001)]), vec![3, 123, 7, 1]);
    }

    #[test]
    fn a_documents_scores_from_several_fields_are_summed() {
        let mut p = vec![(7, 1.0), (2, 0.5), (7, 0.25), (2, 2.0)];
        merge_documents(&mut p);
        assert_eq!(p, vec![(2, 2.5), (7, 1.25)]);
    }
}
