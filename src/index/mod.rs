//! Index: the search index of a built site, for the command line, `serve` and the browser.
//!
//! One tantivy index (`search/index/`) of connector and operation documents, analysed by
//! `analysis` (the same analysis the browser runs), plus what the browser needs to search a
//! static site: the term weights tantivy would compute, sharded by term prefix so a query
//! downloads only the shards of its words (`shards`). `query` answers queries.

pub mod analysis;
pub mod documents;
pub mod query;
mod read_ahead;
pub mod shards;

use crate::model::Catalog;
use crate::output::Staging;
use anyhow::{Context, Result};
use documents::{Doc, FIELDS};
use std::ops::Range;
use std::path::Path;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, SingleSegmentIndexWriter, TantivyDocument};

/// Where the tantivy index lives in a built site.
pub const INDEX_DIR: &str = "search/index";
/// Name of the tokenizer: terms are analysed before tantivy sees them.
const TOKENIZER: &str = "terms";
/// A fixed segment id, so two builds of the same catalog give the same bytes.
const SEGMENT_ID: &str = "5ea4c40000000000000000000000000a";

/// The fields of the tantivy schema.
#[derive(Clone, Copy)]
pub struct Fields {
    pub text: [Field; 5],
    pub connector: Field,
    pub kind: Field,
    pub factor: Field,
    pub anchor: Field,
    /// Stored only for an operation past its connector's first page.
    pub page: Field,
    pub operation_id: Field,
    pub title: Field,
    pub folder: Field,
    pub slug: Field,
    pub tier: Field,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqs);
    let text_options = TextOptions::default().set_indexing_options(indexing);
    let text = FIELDS.map(|(name, _)| b.add_text_field(name, text_options.clone()));
    let numeric = NumericOptions::default().set_stored().set_fast();
    let fields = Fields {
        text,
        connector: b.add_u64_field("connector", numeric.clone()),
        kind: b.add_u64_field("kind", numeric.clone()),
        factor: b.add_f64_field("factor", numeric),
        anchor: b.add_text_field("anchor", STORED),
        operation_id: b.add_text_field("operation_id", STORED),
        title: b.add_text_field("label", STORED),
        folder: b.add_text_field("folder", STORED),
        slug: b.add_text_field("slug", STORED),
        tier: b.add_text_field("tier", STORED),
        // Last, so the other fields keep their numbers in the stored documents.
        page: b.add_u64_field("page", STORED),
    };
    (b.build(), fields)
}

/// Registers the analysis with an index (after creating or opening it).
pub fn register_tokenizer(index: &Index) {
    index.tokenizers().register(
        TOKENIZER,
        TextAnalyzer::from(WhitespaceTokenizer::default()),
    );
}

/// What the index stage wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub documents: usize,
    pub terms: usize,
    pub shards: usize,
}

/// Connectors whose documents are analysed at a time: the analysed texts of a batch are
/// held until tantivy has them, not the whole catalog's (12 MB on the real repository,
/// 139 MB at 10× its size).
const BATCH: usize = 256;

/// Documents analysed at a time at most (unless one connector has more): a batch of
/// `BATCH` connectors is about 4,400 documents in the real repository, but one of 256 large
/// connectors held tens of thousands (at 50× the real repository, where a batch can hold 50
/// copies of its largest connector, 49 MB, the stage's peak).
const BATCH_DOCUMENTS: usize = 4_096;

/// What tantivy's writer is told it may use. It only sizes the writer's table of terms
/// from it (a third of it, at most 2^19 entries), which grows when it must: with 30 MB, a
/// table of 4 MB was taken before a term was met, for catalogs that need a tenth of it.
const TABLE_BUDGET: usize = 1_000_000;

/// Where the parts of a large catalog's index are written, before their segments move into
/// the index (removed once they have).
const PARTS_DIR: &str = "search/index-parts";

/// Documents per part of the index. tantivy's single-segment writer holds its whole segment
/// in memory until it is written: at 10× the real repository (182,000 documents) that was
/// 37 MB, against 16 MB for the real repository's 18,000. A larger catalog is indexed in parts,
/// each part a segment of the index. The segments are not merged: tantivy's merge of 22 parts
/// (50 times the real repository) held maps and norms of every document, and searching the
/// segments one after the other answers the same (`query`, `shards::each_term`).
const PART_DOCUMENTS: usize = 40_000;

/// Builds the tantivy index and the browser shards into the staging folder.
pub fn write(catalog: &Catalog, staging: &Staging) -> Result<Stats> {
    write_in_parts_of(catalog, staging, PART_DOCUMENTS)
}

/// `write`, with at most `part_documents` documents a part.
fn write_in_parts_of(catalog: &Catalog, staging: &Staging, part_documents: usize) -> Result<Stats> {
    let dir = staging.path_for(INDEX_DIR)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut rows = shards::DocRows::new(staging);
    let parts = staging.path_for(PARTS_DIR)?;
    build_tantivy(&dir, &parts, catalog, part_documents, |d| rows.push(d))?;
    let index = read_ahead::open(&dir)?;
    let stats = shards::write(&index, catalog, &rows.finish()?, staging)?;
    drop(index);
    make_deterministic(&dir)?;
    Ok(stats)
}

/// The tantivy index of the catalog's documents, in `dir`. Each document goes to `done` once
/// tantivy has it, then is dropped: the browser's document rows are written as they come
/// (`shards::DocRows`), so only a factor per document is held to the end of the stage
/// (holding every document's details put the stage's peak at 122 MB at 10× the real
/// repository; without them it is 41 MB). A catalog of more than `part_documents` documents
/// is indexed a part at a time, in `parts`, and each part's segment moves into `dir`, in
/// catalog order, so documents keep their numbers across segments. The index is closed when
/// it is written: `shards::write` opens it again to read it in blocks (`read_ahead`).
fn build_tantivy(
    dir: &Path,
    parts: &Path,
    catalog: &Catalog,
    part_documents: usize,
    mut done: impl FnMut(&Doc) -> Result<()> + Send,
) -> Result<()> {
    let ranges = ranges_of(
        catalog,
        0..catalog.connectors.len(),
        usize::MAX,
        part_documents,
    );
    if let [whole] = ranges.as_slice() {
        return index_part(dir, catalog, whole.clone(), &mut done);
    }
    let mut segments = Vec::with_capacity(ranges.len());
    for (k, range) in ranges.into_iter().enumerate() {
        let part = parts.join(k.to_string());
        std::fs::create_dir_all(&part)
            .with_context(|| format!("cannot create {}", part.display()))?;
        index_part(&part, catalog, range, &mut done)?;
        segments.push(take_segment(&part, dir, k)?);
    }
    write_segments_meta(&parts.join("0"), dir, &segments)?;
    std::fs::remove_dir_all(parts).with_context(|| format!("cannot remove {}", parts.display()))
}

/// The fixed id of the `k`th segment of an index in parts (`SEGMENT_ID` for the first).
fn segment_id(k: usize) -> String {
    format!("{}{k:024x}0a", &SEGMENT_ID[..6])
}

/// Moves the one segment of the part index in `part` into `dir` under the `k`th fixed id,
/// and returns that id with its number of documents.
fn take_segment(part: &Path, dir: &Path, k: usize) -> Result<(String, u64)> {
    let (meta, meta_path) = read_meta(part)?;
    let segment = &meta["segments"][0];
    let (Some(old), Some(max_doc)) = (segment["segment_id"].as_str(), segment["max_doc"].as_u64())
    else {
        anyhow::bail!(
            "{}: a part of the index without its segment",
            meta_path.display()
        );
    };
    let old = old.replace('-', "");
    let id = segment_id(k);
    for entry in std::fs::read_dir(part)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if let Some(rest) = name.as_deref().and_then(|n| n.strip_prefix(&old)) {
            let to = dir.join(format!("{id}{rest}"));
            std::fs::rename(&path, &to)
                .with_context(|| format!("cannot move {} to {}", path.display(), to.display()))?;
        }
    }
    Ok((id, max_doc))
}

/// Writes `dir`'s `meta.json` (the first part's, listing every segment in order) and
/// `.managed.json` (every file of the index).
fn write_segments_meta(first_part: &Path, dir: &Path, segments: &[(String, u64)]) -> Result<()> {
    let (mut meta, _) = read_meta(first_part)?;
    meta["segments"] = segments
        .iter()
        .map(|(id, max_doc)| serde_json::json!({"segment_id": id, "max_doc": max_doc, "deletes": null}))
        .collect();
    std::fs::write(
        dir.join("meta.json"),
        serde_json::to_string_pretty(&meta)? + "\n",
    )?;
    let mut files = vec!["meta.json".to_string()];
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if segments.iter().any(|(id, _)| name.starts_with(id.as_str())) {
            files.push(name);
        }
    }
    files.sort_unstable();
    std::fs::write(dir.join(".managed.json"), serde_json::to_string(&files)?)?;
    Ok(())
}

/// The `meta.json` of the index in `dir`, and its path.
fn read_meta(dir: &Path) -> Result<(serde_json::Value, std::path::PathBuf)> {
    let path = dir.join("meta.json");
    let text = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let meta =
        serde_json::from_slice(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    Ok((meta, path))
}

/// The connectors in `range` cut into consecutive ranges of whole connectors, in catalog
/// order, each of at most `connectors` connectors and `documents` documents unless one
/// connector alone has more: the parts of the index, and the batches analysed at a time.
fn ranges_of(
    catalog: &Catalog,
    range: Range<usize>,
    connectors: usize,
    documents: usize,
) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let (mut start, mut held) = (range.start, 0);
    for i in range.clone() {
        // The connector's document and its operations'.
        let own = 1 + catalog.connectors.get(i).map_or(0, |c| c.op_count());
        if held > 0 && (held + own > documents || i - start == connectors) {
            ranges.push(start..i);
            (start, held) = (i, 0);
        }
        held += own;
    }
    ranges.push(start..range.end);
    ranges
}

/// Writes one segment of the documents of the connectors in `range`, in `dir`.
fn index_part(
    dir: &Path,
    catalog: &Catalog,
    range: Range<usize>,
    done: &mut (impl FnMut(&Doc) -> Result<()> + Send),
) -> Result<()> {
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema).context("cannot create the search index")?;
    register_tokenizer(&index);
    let mut writer = SingleSegmentIndexWriter::new(index, TABLE_BUDGET)?;
    let batches = ranges_of(catalog, range, BATCH, BATCH_DOCUMENTS);
    let batch = |k: usize| {
        batches
            .get(k)
            .map(|b| documents::documents_of(catalog, b.clone()))
    };
    let mut next = batch(0).transpose()?.unwrap_or_default();
    for k in 0..batches.len() {
        // tantivy takes one batch on this thread while the next is analysed beside it.
        let (added, following) = rayon::join(
            || -> Result<()> {
                for d in &next {
                    writer.add_document(tantivy_doc(&f, catalog, d))?;
                    done(d)?;
                }
                Ok(())
            },
            || batch(k + 1),
        );
        added?;
        next = following.transpose()?.unwrap_or_default();
    }
    // Closed once written: its segment's files may move, and `shards::write` reads them
    // again in blocks.
    writer.finalize()?;
    Ok(())
}

fn tantivy_doc(f: &Fields, catalog: &Catalog, d: &Doc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    for (field, text) in f.text.iter().zip(&d.fields) {
        doc.add_text(*field, text);
    }
    doc.add_u64(f.connector, u64::from(d.connector));
    doc.add_u64(f.kind, d.kind as u64);
    doc.add_f64(f.factor, f64::from(d.factor));
    doc.add_text(f.title, &d.title);
    if d.kind == documents::DocKind::Connector {
        let c = &catalog.connectors[d.connector as usize];
        doc.add_text(f.folder, c.folder());
        doc.add_text(f.slug, c.slug());
        doc.add_text(f.tier, c.tier.id());
    } else {
        doc.add_text(f.anchor, &d.anchor);
        if d.page > 0 {
            doc.add_u64(f.page, u64::from(d.page));
        }
        doc.add_text(f.operation_id, &d.operation_id);
    }
    doc
}

/// Renames the segment from its random id to a fixed one, in file names and meta files.
fn make_deterministic(dir: &Path) -> Result<()> {
    let meta_path = dir.join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).context("cannot read the index meta.json")?;
    let value: serde_json::Value = serde_json::from_str(&meta)?;
    let Some(old) = value["segments"][0]["segment_id"]
        .as_str()
        .map(str::to_string)
    else {
        return Ok(()); // an empty index has no segment
    };
    let old_simple = old.replace('-', "");
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with(".tantivy-") && name.ends_with(".lock") {
            std::fs::remove_file(&path)?;
        } else if let Some(rest) = name.strip_prefix(&old_simple) {
            std::fs::rename(&path, dir.join(format!("{SEGMENT_ID}{rest}")))?;
        }
    }
    for file in ["meta.json", ".managed.json"] {
        let path = dir.join(file);
        if let Ok(text) = std::fs::read_to_string(&path) {
            let text = text
                .replace(&old, SEGMENT_ID)
                .replace(&old_simple, SEGMENT_ID);
            std::fs::write(&path, tidied(&text))?;
        }
    }
    readable_by_all(dir)
}

/// `.managed.json` lists files in hash order: sorted.
fn tidied(text: &str) -> String {
    use serde_json::Value;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(names)) => {
            let mut names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
            names.sort_unstable();
            serde_json::to_string(&names).unwrap_or_else(|_| text.to_string())
        }
        _ => text.to_string(),
    }
}

/// tantivy writes some files owner-only; a static host must be able to serve them.
fn readable_by_all(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    for entry in std::fs::read_dir(dir)? {
        use std::os::unix::fs::PermissionsExt;
        let path = entry?.path();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similar_ops::tests::{catalog, connector};

    #[test]
    fn parts_are_whole_connectors_in_order_within_the_limit() {
        let ops = |n: usize| -> Vec<(String, String)> {
            (0..n)
                .map(|k| (format!("Op{k}"), format!("Do thing {k}")))
                .collect()
        };
        let with = |n: usize| {
            let o = ops(n);
            connector(
                &o.iter()
                    .map(|(a, b)| (a.as_str(), b.as_str()))
                    .collect::<Vec<_>>(),
            )
        };
        // Documents: 3, 2, 4, 9 (one connector over the limit alone), 1, 1.
        let cat = catalog(vec![with(2), with(1), with(3), with(8), with(0), with(0)]);
        let part_ranges =
            |cat: &Catalog, limit| ranges_of(cat, 0..cat.connectors.len(), usize::MAX, limit);
        assert_eq!(part_ranges(&cat, 5), [0..2, 2..3, 3..4, 4..6]);
        assert_eq!(
            part_ranges(&cat, 100),
            vec![0..6],
            "one part: written as before"
        );
        assert_eq!(part_ranges(&catalog(Vec::new()), 5), vec![0..0]);
        assert_eq!(
            ranges_of(&cat, 1..6, 2, 100),
            [1..3, 3..5, 5..6],
            "batches: at most so many connectors too, from where the range starts"
        );
        assert_eq!(ranges_of(&cat, 2..5, 2, 4), [2..3, 3..4, 4..5]);
    }

    /// A catalog indexed in parts reads as one indexed whole: the same browser shards and
    /// search results (only tantivy's own files differ: a segment a part), no folder of
    /// parts left, and the same bytes every time.
    #[test]
    fn an_index_left_in_parts_reads_as_one_written_whole() {
        let words = ["zebra", "quokka", "axolotl", "okapi"];
        let connectors = (0..40)
            .map(|i| {
                let summary = format!("Feed the {}", words[i % 4]);
                let other = format!("Count {}", words[(i + 1) % 4]);
                let mut c = connector(&[(&format!("Feed{i}"), &summary), ("Count", &other)]);
                c.set_slug(&format!("c{i}"));
                c
            })
            .collect();
        let cat = catalog(connectors);
        let out = tempfile::tempdir().expect("tempdir");
        let build = |name: &str, limit: usize| {
            let site = out.path().join(name);
            let staging = Staging::new(&site).expect("staging");
            let stats = write_in_parts_of(&cat, &staging, limit).expect("index");
            staging.commit().expect("commit");
            assert_eq!(stats.documents, 120);
            site
        };
        assert_eq!(ranges_of(&cat, 0..40, usize::MAX, 7).len(), 20);
        let whole = build("whole", PART_DOCUMENTS);
        let parts = build("parts", 7); // 20 parts of two connectors (six documents)
        let again = build("again", 7);
        assert!(!parts.join(PARTS_DIR).exists(), "the parts are removed");
        let differ = differing_files(&whole, &parts);
        assert!(
            differ.iter().all(|f| f.starts_with(INDEX_DIR)),
            "{differ:?}"
        );
        assert!(differ.contains(&format!("{INDEX_DIR}/{}.store", segment_id(19))));
        let meta: serde_json::Value = serde_json::from_slice(
            &std::fs::read(parts.join(INDEX_DIR).join("meta.json")).expect("meta"),
        )
        .expect("json");
        let ids: Vec<String> = (0..20).map(segment_id).collect();
        let listed: Vec<&str> = meta["segments"]
            .as_array()
            .expect("segments")
            .iter()
            .filter_map(|s| s["segment_id"].as_str())
            .collect();
        assert_eq!(listed, ids, "one segment a part, in catalog order");
        assert_eq!(segment_id(0), SEGMENT_ID);
        assert!(differing_files(&parts, &again).is_empty(), "deterministic");
        let hits = |site: &Path| -> Vec<String> {
            let searcher = query::Searcher::open(site).expect("open");
            let found = searcher.search("axolotl", 40).expect("search");
            found
                .into_iter()
                .map(|h| format!("{} {}", h.slug, h.score))
                .collect()
        };
        assert_eq!(hits(&whole), hits(&parts));
        assert_eq!(hits(&parts).len(), 20, "fed or counted in half of them");
    }

    /// Files under `a` and `b` whose bytes differ, or that only one has.
    fn differing_files(a: &Path, b: &Path) -> Vec<String> {
        let files = |root: &Path| -> std::collections::BTreeMap<String, Vec<u8>> {
            walkdir::WalkDir::new(root)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    let rel = e.path().strip_prefix(root).expect("under root");
                    let bytes = std::fs::read(e.path()).expect("read");
                    (rel.to_string_lossy().into_owned(), bytes)
                })
                .collect()
        };
        let (x, y) = (files(a), files(b));
        let names: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
        names
            .into_iter()
            .filter(|n| x.get(*n) != y.get(*n))
            .cloned()
            .collect()
    }

    /// The documents are analysed `BATCH` connectors at a time: a catalog of more than one
    /// batch has every connector's documents, numbered in catalog order across batches.
    #[test]
    fn documents_of_every_batch_are_indexed_in_catalog_order() {
        let n = BATCH + 7;
        let words = ["zebra", "quokka", "axolotl"];
        let connectors = (0..n)
            .map(|i| {
                let summary = format!("Feed the {}", words[i % 3]);
                let mut c = connector(&[(&format!("Feed{i}"), &summary)]);
                c.set_slug(&format!("c{i}"));
                c
            })
            .collect();
        let catalog = catalog(connectors);
        let out = tempfile::tempdir().expect("tempdir");
        let site = out.path().join("site");
        let staging = Staging::new(&site).expect("staging");
        let stats = write(&catalog, &staging).expect("index");
        staging.commit().expect("commit");
        assert_eq!(stats.documents, 2 * n);
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(site.join("search/meta.json")).expect("meta"))
                .expect("json");
        let first: Vec<u64> = (0..n as u64).map(|i| 2 * i).collect();
        assert_eq!(meta["first_doc"], serde_json::json!(first));
        let searcher = query::Searcher::open(&site).expect("open");
        let hits = searcher.search("axolotl", n).expect("search");
        let mut slugs: Vec<String> = hits.into_iter().map(|h| h.slug).collect();
        slugs.sort_by_key(|s| s[1..].parse::<usize>().unwrap_or(usize::MAX));
        let expected: Vec<String> = (2..n).step_by(3).map(|i| format!("c{i}")).collect();
        assert_eq!(slugs, expected, "the last batch's connectors are found too");
    }
}
