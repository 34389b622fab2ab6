//! Fuzzes the Swagger-to-model conversion through the public parse entry point: an in-memory
//! connector folder (definition, apiProperties.json and readme, split at NUL bytes) is
//! discovered and parsed; it never panics and every problem is located inside its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::io;
use switchyard::discover::discover;
use switchyard::model::Tier;
use switchyard::parse::decode::decode;
use switchyard::parse::lenient::line_col;
use switchyard::parse::parse_connector;
use switchyard::source::{Entry, Tree};

struct Memory(BTreeMap<String, Vec<u8>>);

impl Tree for Memory {
    fn list(&self, dir: &str) -> Vec<Entry> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut out: Vec<Entry> = Vec::new();
        for (path, bytes) in &self.0 {
            let Some(rest) = path.strip_prefix(&prefix) else {
                continue;
            };
            let (name, is_dir) = match rest.split_once('/') {
                Some((d, _)) => (d, true),
                None => (rest, false),
            };
            if out.last().is_some_and(|e| e.name == name) {
                continue;
            }
            let size = if is_dir { 0 } else { bytes.len() as u64 };
            out.push(Entry {
                name: name.to_string(),
                is_dir,
                size,
            });
        }
        out
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        self.0
            .get(path)
            .cloned()
            .ok_or(io::ErrorKind::NotFound.into())
    }

    fn describe(&self) -> String {
        "memory".into()
    }
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let names = [
        "apiDefinition.swagger.json",
        "apiProperties.json",
        "readme.md",
    ];
    let files: BTreeMap<String, Vec<u8>> = names
        .iter()
        .zip(parts.by_ref())
        .map(|(n, bytes)| (format!("certified-connectors/Fuzz/{n}"), bytes.to_vec()))
        .collect();
    let tree = Memory(files);
    let found = discover(&tree, "", None, Tier::Custom);
    for f in &found.folders {
        let c = parse_connector(f, &tree);
        for p in &c.problems {
            let Some(bytes) = tree.0.get(&p.path) else {
                continue;
            };
            // Positions count the characters the build read, so the end is found in the same
            // decoding (Windows-1252 bytes are one character each; `from_utf8_lossy` made
            // one replacement of several, and put a column the build had right past the end).
            let text = decode(bytes).text;
            let end = line_col(&text, text.len());
            assert!((p.line, p.column) <= end, "problem outside its file: {p:?}");
        }
        serde_json::to_string(&c).expect("the model serialises");
    }
});
