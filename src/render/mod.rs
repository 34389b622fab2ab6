//! Render: the documentation site. Turns the catalog into HTML pages through the theme's
//! templates, copies what the pages show (icons, readme images, definitions) and writes the
//! site's machine-facing files (sitemap, robots, OpenSearch). Pages render in parallel and
//! every byte goes through `Staging`. Output is deterministic: same input, same bytes.

pub mod connector_main;
pub mod content;
pub mod derive;
pub mod feeds;
pub mod html;
pub mod markdown;
pub mod meta;
pub mod opsection;
pub mod pages;
pub mod paging;
pub mod tables;
pub mod theme;
pub mod urls;
pub mod views;

pub use crate::similar::{Neighbours, Similar};
pub use pages::Prepared;
pub use theme::ThemeDirs;
pub use views::lists::LIST_JSON;

use crate::config::Config;
use crate::model::Catalog;
use crate::output::Staging;
use crate::source::Tree;
use anyhow::Result;

/// What the render stage wrote.
#[derive(Debug, Clone, Default)]
pub struct RenderStats {
    pub pages: usize,
    /// Bytes of HTML written.
    pub html_bytes: u64,
    pub connector_pages: usize,
    pub median_connector_bytes: usize,
    /// The largest page and its size in bytes.
    pub largest: (String, usize),
    /// Files copied from the source (icons, images, definitions).
    pub copied: usize,
}

/// Everything a page may need, borrowed for the length of the stage.
pub struct Input<'a> {
    pub catalog: &'a Catalog,
    /// Similar connectors and operations doing the same job.
    pub similar: &'a Neighbours,
    pub config: &'a Config,
    /// The source tree that the connectors' paths are relative to.
    pub tree: &'a dyn Tree,
}

/// Renders the whole site into `staging`.
pub fn render(
    catalog: &Catalog,
    similar: &Neighbours,
    config: &Config,
    theme_dirs: &ThemeDirs,
    tree: &dyn Tree,
    staging: &Staging,
) -> Result<RenderStats> {
    let input = Input {
        catalog,
        similar,
        config,
        tree,
    };
    pages::render_all(&input, theme_dirs, staging)
}

/// Renders the pages of the connectors at `which` only (`serve`'s incremental rebuild).
pub fn render_connectors(
    input: &Input,
    prepared: &Prepared,
    staging: &Staging,
    which: &[usize],
) -> Result<()> {
    pages::render_connectors(input, prepared, staging, which)
}

/// Renders every page but the connector pages (`serve`'s refresh of lists).
pub fn render_lists(input: &Input, prepared: &Prepared, staging: &Staging) -> Result<()> {
    pages::render_lists(input, prepared, staging)
}
