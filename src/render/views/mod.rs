//! Render-time views: small borrowed structs that serialise into a page's tera context.
//!
//! Each page gets only what it shows (a connector page never sees the catalog, a list page
//! sees summary rows, not operations). Views hold text, never HTML, except fields named
//! `*_html`, which are built from escaped parts (`tables`, `html`) or sanitised (`markdown`)
//! and are the only values templates print with `| safe`.

pub mod connector;
pub mod history;
pub mod lists;
pub mod operation;
pub mod quality;

use serde::Serialize;

/// What every page shows of the site: its name and navigation.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub nav: Vec<NavItem>,
    /// Content pages in the navigation, by weight.
    pub pages: Vec<NavItem>,
    /// The site has history: a site-wide Atom feed and a What's new page.
    pub has_feed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    /// Site-relative link (`connectors/index.html`).
    pub href: String,
    /// Compared with `page.section` to mark the current entry.
    pub key: String,
}

impl NavItem {
    pub fn new(title: &str, path: &str, key: &str) -> NavItem {
        NavItem {
            title: title.to_string(),
            href: super::urls::href(path),
            key: key.to_string(),
        }
    }
}

/// The page being rendered.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// Site-relative URL of the page (`connectors/x/`).
    pub path: String,
    /// The way back to the site root (`../../`); every link starts with it.
    pub root: String,
    pub title: String,
    pub description: Option<String>,
    /// The navigation entry this page belongs to.
    pub section: String,
    /// This page's own Atom feed (relative to the page), besides the site's.
    pub feed: Option<String>,
}

impl PageMeta {
    pub fn new(path: &str, title: impl Into<String>, section: &str) -> PageMeta {
        PageMeta {
            path: path.to_string(),
            root: super::urls::root_of(path),
            title: title.into(),
            description: None,
            section: section.to_string(),
            feed: None,
        }
    }

    pub fn describe(mut self, description: Option<&str>) -> PageMeta {
        self.description = description.map(|d| super::html::shorten(d, 200));
        self
    }
}

/// The whole tera context of a page: the site, the page, and the page's own view.
#[derive(Serialize)]
pub struct Ctx<'a, T: Serialize> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    #[serde(flatten)]
    pub view: T,
}

/// A small label: `class` picks its colour (`badge-<class>`), `title` explains it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Badge {
    pub label: String,
    pub class: &'static str,
    pub title: Option<String>,
}

impl Badge {
    pub fn new(label: impl Into<String>, class: &'static str) -> Badge {
        Badge {
            label: label.into(),
            class,
            title: None,
        }
    }

    pub fn titled(mut self, title: impl Into<String>) -> Badge {
        self.title = Some(title.into());
        self
    }
}
