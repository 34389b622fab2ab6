//! The linter behind `switchyard check`: every rule of SPEC §6, located by file, line,
//! column and JSON pointer, with a help line, in human, JSON or SARIF output.
//!
//! Layout: `registry` (the rules), `context` (what rules see and how they report), `walk`
//! and `position` (reading the parsed definition, locating pointers), one module per rule
//! family (`files`, `metadata`, `operations` + `extensions`, `versioning` + `breaking`,
//! `parameters`, `triggers`, `connection`, `readme`, `overlap`), the `runner`, the outputs
//! (`human`, `sarif`) and the command line (`cli`).

pub mod breaking;
pub mod cli;
pub mod connection;
pub mod context;
pub mod extensions;
pub mod files;
pub mod human;
pub mod metadata;
pub mod operations;
pub mod overlap;
pub mod parameters;
pub mod readme;
pub mod registry;
pub mod runner;
pub mod sarif;
pub mod spelling;
pub mod triggers;
pub mod versioning;
pub mod walk;

#[cfg(test)]
pub mod testing;

pub use context::Finding;
pub use runner::{lint_folder, lint_path, Inputs};
