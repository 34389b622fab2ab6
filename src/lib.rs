//! switchyard: a static catalog site generator for Power Platform connector repositories.
//!
//! The build is a flat list of stages (see `site`): config → discover → parse+lint →
//! history → index, beside export and render → write. Raw input types live in `parse::raw`, the domain model in `model`, and a
//! `problem::Problem` carries every located finding to the report, the site and the linter.

pub mod changes;
pub mod config;
pub mod discover;
pub mod export;
pub mod history;
pub mod index;
pub mod lint;
pub mod model;
pub mod output;
pub mod parse;
pub mod problem;
pub mod quality;
pub mod render;
pub mod serve;
pub mod similar;
pub mod similar_ops;
pub mod similar_reach;
pub mod similar_words;
pub mod site;
pub mod slug;
pub mod source;
pub mod spill;
pub mod threads;
