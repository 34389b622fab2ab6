//! What is searchable: one document per connector and one per operation.
//!
//! Documents are numbered in catalog order (a connector, then its operations), so a
//! connector's documents are contiguous and `first_doc` alone maps documents to connectors,
//! in the command line and in the browser alike.

use super::analysis::{lexicon, split_identifier};
use crate::model::{Catalog, Connector, Operation, OperationKind};
use rayon::prelude::*;
use std::ops::Range;

/// Searchable fields, with their boosts. The order is the order of `Doc::fields`.
pub const FIELDS: [(&str, f32); 5] = [
    ("title", 4.0),
    ("keywords", 2.0),
    ("opid", 1.5),
    ("body", 1.0),
    ("params", 0.5),
];

/// How much a hidden or retired operation's score is scaled down.
pub const RETIRED_FACTOR: f32 = 0.5;

/// Readmes are long and noisy: only their beginning is indexed.
const README_CHARS: usize = 3000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Connector = 0,
    Action = 1,
    Trigger = 2,
}

impl DocKind {
    pub fn id(self) -> &'static str {
        match self {
            DocKind::Connector => "connector",
            DocKind::Action => "action",
            DocKind::Trigger => "trigger",
        }
    }

    pub fn from_u64(v: u64) -> DocKind {
        match v {
            1 => DocKind::Action,
            2 => DocKind::Trigger,
            _ => DocKind::Connector,
        }
    }
}

/// One searchable document: analysed field texts (terms joined by spaces) and facts.
#[derive(Debug, Clone)]
pub struct Doc {
    pub connector: u32,
    pub kind: DocKind,
    /// Operation anchor; empty for a connector.
    pub anchor: String,
    /// The page of the connector that shows the operation (`model::order`); 0 for most.
    pub page: u32,
    /// Operation id; empty for a connector.
    pub operation_id: String,
    pub title: String,
    /// 1, or `RETIRED_FACTOR` for deprecated and internal operations.
    pub factor: f32,
    pub fields: [String; 5],
}

/// The documents of the connectors in `range`, in catalog order (an operation's document
/// names its parameters and description, a connector's its readme: a spill reads them back).
pub fn documents_of(catalog: &Catalog, range: Range<usize>) -> anyhow::Result<Vec<Doc>> {
    let per_connector: Vec<Vec<Doc>> = range
        .into_par_iter()
        .map(|i| {
            let c = catalog.searchable(i)?;
            let mut docs = Vec::with_capacity(c.details().operations.len() + 1);
            docs.push(connector_doc(i as u32, &c));
            docs.extend(
                c.details()
                    .operations
                    .iter()
                    .map(|op| operation_doc(i as u32, &c, op)),
            );
            Ok(docs)
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(per_connector.into_iter().flatten().collect())
}

/// The terms of `parts`, joined by spaces.
fn analysed(parts: &[&str]) -> String {
    let lex = lexicon();
    let mut out = String::new();
    for part in parts {
        lex.each_term(part, |term| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(term);
        });
    }
    out
}

fn connector_doc(index: u32, c: &Connector) -> Doc {
    let readme: String = c
        .details()
        .readme
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(README_CHARS)
        .collect();
    let keywords = [
        c.about.keywords().collect::<Vec<_>>().join(" "),
        c.about.categories().collect::<Vec<_>>().join(" "),
        c.about.publisher().unwrap_or_default().to_string(),
        c.about.stack_owner().unwrap_or_default().to_string(),
        c.folder().to_string(),
    ]
    .join(" ");
    Doc {
        connector: index,
        kind: DocKind::Connector,
        anchor: String::new(),
        page: 0,
        operation_id: String::new(),
        title: c.display_title().to_string(),
        factor: 1.0,
        fields: [
            analysed(&[c.display_title()]),
            analysed(&[&keywords]),
            String::new(),
            analysed(&[c.about.description().unwrap_or(""), &readme]),
            String::new(),
        ],
    }
}

fn operation_doc(index: u32, c: &Connector, op: &Operation) -> Doc {
    let params: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| !p.visibility.is_internal())
        .flat_map(|p| [p.summary.as_deref().unwrap_or(""), p.name.as_str()])
        .collect();
    let retired = op.deprecated || op.visibility.is_internal();
    Doc {
        connector: index,
        kind: if op.kind == OperationKind::Trigger {
            DocKind::Trigger
        } else {
            DocKind::Action
        },
        anchor: op.anchor.clone(),
        page: op.page,
        operation_id: op.id.clone(),
        title: op.title().to_string(),
        factor: if retired { RETIRED_FACTOR } else { 1.0 },
        fields: [
            analysed(&[op.summary.as_deref().unwrap_or("")]),
            analysed(&[&op.keywords.join(" "), c.display_title()]),
            analysed(&[&split_identifier(&op.id)]),
            analysed(&[op.description.as_deref().unwrap_or("")]),
            analysed(&params),
        ],
    }
}
