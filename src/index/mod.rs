//! Index: the search index of a built site, for the command line, `serve` and the browser.
//!
//! One tantivy index (`search/index/`) of connector and operation documents, analysed by
//! `analysis` (the same analysis the browser runs), plus what the browser needs to search a
//! static site: the term weights tantivy would compute, sharded by term prefix so a query
//! downloads only the shards of its words (`shards`). `query` answers queries.

pub mod analysis;
pub mod documents;
pub mod query;
pub mod shards;

use crate::model::Catalog;
use crate::output::Staging;
use anyhow::{Context, Result};
use documents::{Doc, FIELDS};
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

/// What tantivy's writer is told it may use. It only sizes the writer's table of terms
/// from it (a third of it, at most 2^19 entries), which grows when it must: with 30 MB, a
/// table of 4 MB was taken before a term was met, for catalogs that need a tenth of it.
const TABLE_BUDGET: usize = 1_000_000;

/// Builds the tantivy index and the browser shards into the staging folder.
pub fn write(catalog: &Catalog, staging: &Staging) -> Result<Stats> {
    let dir = staging.path_for(INDEX_DIR)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut rows = shards::DocRows::new(staging);
    let index = build_tantivy(&dir, catalog, |d| rows.push(d))?;
    let stats = shards::write(&index, catalog, &rows.finish()?, staging)?;
    drop(index);
    make_deterministic(&dir)?;
    Ok(stats)
}

/// The tantivy index of the catalog's documents. Each document goes to `done` once tantivy
/// has it, then is dropped: the browser's document rows are written as they come
/// (`shards::DocRows`), so only a factor per document is held to the end of the stage
/// (holding every document's details put the stage's peak at 122 MB at 10× the real
/// repository; without them it is 41 MB).
fn build_tantivy(
    dir: &Path,
    catalog: &Catalog,
    mut done: impl FnMut(&Doc) -> Result<()> + Send,
) -> Result<Index> {
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema).context("cannot create the search index")?;
    register_tokenizer(&index);
    let mut writer = SingleSegmentIndexWriter::new(index, TABLE_BUDGET)?;
    let count = catalog.connectors.len();
    let batch = |start: usize| documents::documents_of(catalog, start..count.min(start + BATCH));
    let mut next = batch(0)?;
    for start in (0..count).step_by(BATCH) {
        // tantivy takes one batch on this thread while the next is analysed beside it.
        let (added, following) = rayon::join(
            || -> Result<()> {
                for d in &next {
                    writer.add_document(tantivy_doc(&f, catalog, d))?;
                    done(d)?;
                }
                Ok(())
            },
            || (start + BATCH < count).then(|| batch(start + BATCH)),
        );
        added?;
        next = following.transpose()?.unwrap_or_default();
    }
    let index = writer.finalize()?;
    register_tokenizer(&index);
    Ok(index)
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
        doc.add_text(f.folder, &c.folder);
        doc.add_text(f.slug, &c.slug);
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
            std::fs::write(&path, sorted_if_list(&text))?;
        }
    }
    readable_by_all(dir)
}

/// `.managed.json` lists files in hash order: sort it.
fn sorted_if_list(text: &str) -> String {
    match serde_json::from_str::<Vec<String>>(text) {
        Ok(mut names) => {
            names.sort();
            serde_json::to_string(&names).unwrap_or_else(|_| text.to_string())
        }
        Err(_) => text.to_string(),
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
                c.slug = format!("c{i}");
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
