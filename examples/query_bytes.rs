//! Bytes a browser downloads for a first query on a built site (SPEC §7: under 100 KB).
//!
//! Follows `themes/default/static/search.js`: `search/meta.json`, then the term shards
//! `search/t/<key>.json` of the query's terms and their synonyms (`index::shards::shard_key`),
//! then the detail chunks of the results shown: `search/c/<n>.json` for each connector and
//! `search/d/<n>.json` for each matching action. The results are the command line's
//! (`Searcher`), which the browser tests check the browser agrees with. Sizes are gzip -6,
//! as a server compresses them (gzip must be on the PATH).
//!
//! `cargo run --release --example query_bytes -- SITE LIMIT QUERY...` prints one JSON line
//! per query: files, raw and gzip bytes.

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use switchyard::index::analysis::lexicon;
use switchyard::index::query::{Hit, Searcher};
use switchyard::index::shards::shard_key;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        bail!("usage: query_bytes SITE LIMIT QUERY...");
    }
    let site = PathBuf::from(&args[0]);
    let limit: usize = args[1].parse().context("LIMIT")?;
    let search = site.join("search");
    let meta: Value = serde_json::from_slice(&std::fs::read(search.join("meta.json"))?)?;
    let details = Details::load(&search, &meta)?;
    let searcher = Searcher::open(&site)?;
    for query in &args[2..] {
        let mut files = BTreeSet::from(["meta.json".to_string()]);
        files.extend(shard_files(&meta, query));
        let hits = searcher.search(query, limit)?;
        files.extend(details.chunk_files(&hits));
        let mut rows = Vec::new();
        let (mut raw, mut gz) = (0, 0);
        for f in &files {
            let bytes = std::fs::read(search.join(f))?;
            let g = gzip_len(&bytes)?;
            raw += bytes.len();
            gz += g;
            rows.push(json!({"file": f, "bytes": bytes.len(), "gzip": g}));
        }
        let line = json!({
            "query": query, "limit": limit, "hits": hits.len(),
            "bytes": raw, "gzip": gz, "files": rows,
        });
        println!("{line}");
    }
    Ok(())
}

/// The term shards search.js fetches: those of each query term and of its synonyms.
fn shard_files(meta: &Value, query: &str) -> BTreeSet<String> {
    let shards: BTreeSet<&str> = meta["shards"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let lex = lexicon();
    let mut keys = BTreeSet::new();
    for term in lex.query_terms(query) {
        keys.insert(shard_key(&term));
        keys.extend(lex.synonyms(&term).iter().map(|s| shard_key(s)));
    }
    keys.into_iter()
        .filter(|k| shards.contains(k.as_str()))
        .map(|k| format!("t/{k}.json"))
        .collect()
}

/// What maps a hit back to the chunks holding its details.
struct Details {
    /// Connector slug → connector number.
    connector: HashMap<String, usize>,
    /// (connector number, action anchor) → document number.
    doc: HashMap<(usize, String), usize>,
    connector_chunk: usize,
    doc_chunk: usize,
}

impl Details {
    fn load(search: &Path, meta: &Value) -> Result<Details> {
        let size = |k: &str| meta[k].as_u64().map(|n| n as usize).context("meta.json");
        let (connector_chunk, doc_chunk) = (size("connector_chunk")?, size("doc_chunk")?);
        let first: Vec<usize> = meta["first_doc"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_u64().map(|n| n as usize))
            .collect();
        let mut connector = HashMap::new();
        for (n, row) in rows(search, "c", first.len().div_ceil(connector_chunk))?
            .iter()
            .enumerate()
        {
            connector.insert(row[0].as_str().unwrap_or("").to_string(), n);
        }
        let documents = size("documents")?;
        let mut doc = HashMap::new();
        for (d, row) in rows(search, "d", documents.div_ceil(doc_chunk))?
            .iter()
            .enumerate()
        {
            let c = first.partition_point(|&f| f <= d).saturating_sub(1);
            doc.insert((c, row[1].as_str().unwrap_or("").to_string()), d);
        }
        Ok(Details {
            connector,
            doc,
            connector_chunk,
            doc_chunk,
        })
    }

    fn chunk_files(&self, hits: &[Hit]) -> BTreeSet<String> {
        let mut files = BTreeSet::new();
        for hit in hits {
            let Some(&c) = self.connector.get(&hit.slug) else {
                continue;
            };
            files.insert(format!("c/{}.json", c / self.connector_chunk));
            for action in &hit.actions {
                let anchor = action.url.rsplit_once('#').map_or("", |(_, a)| a);
                if let Some(d) = self.doc.get(&(c, anchor.to_string())) {
                    files.insert(format!("d/{}.json", d / self.doc_chunk));
                }
            }
        }
        files
    }
}

/// The rows of every chunk `search/<dir>/<n>.json`, in order.
fn rows(search: &Path, dir: &str, chunks: usize) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for n in 0..chunks {
        let path = search.join(dir).join(format!("{n}.json"));
        let chunk: Vec<Value> = serde_json::from_slice(&std::fs::read(&path)?)
            .with_context(|| path.display().to_string())?;
        out.extend(chunk);
    }
    Ok(out)
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("gzip")?;
    let mut stdin = child.stdin.take().context("gzip stdin")?;
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output()?;
    writer.join().ok();
    Ok(out.stdout.len())
}
