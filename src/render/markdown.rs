//! Markdown to safe HTML: readmes (untrusted, from strangers) and the site's own content pages.
//!
//! pulldown-cmark renders, then ammonia cleans with an allow-list: no script, style, iframe,
//! form or object elements, no event handlers, only `http`, `https` and `mailto` URLs.
//! Relative URLs are resolved here: an image inside the connector folder is copied next to
//! the page and its link rewritten; anything that leaves the folder, goes through a symlink
//! or does not exist is dropped (the text stays, the link goes); other files of the folder
//! link to the source repository when the site has a `source_link`.
//! Headings get ids (prefixed `doc-`, so a readme can never clobber an id of the page).

use crate::slug::slugify;
use ammonia::Builder;
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};
use std::sync::{Arc, Mutex};

/// Prefix of every id that comes from a document.
pub const ID_PREFIX: &str = "doc-";
/// The only URL schemes a link or image of a document may use.
const URL_SCHEMES: [&str; 3] = ["http", "https", "mailto"];
/// `rel` of every link of a document.
const LINK_REL: &str = "nofollow noopener";

/// Image types copied from connector folders (never SVG: it can carry script).
const IMAGE_TYPES: [&str; 5] = ["png", "jpg", "jpeg", "gif", "webp"];

/// A file to copy into the site: `to` is relative to the page's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// Path of the file in the source tree.
    pub from: String,
    pub to: String,
}

/// Clean HTML and the images it needs.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub copies: Vec<Copy>,
}

/// Where an untrusted document lives, for resolving its relative links.
#[derive(Debug, Clone)]
pub struct DocSource {
    /// The connector folder's path in the source tree: nothing outside it is followed.
    pub folder: String,
    /// The regular files of the connector folder, relative to it (links are never listed).
    pub files: std::collections::BTreeSet<String>,
    /// The document's folder, relative to `folder` (usually empty).
    pub doc_dir: Vec<String>,
    /// The connector folder's path in the repository (for source links).
    pub repo_path: String,
    /// `source_link` of the site config (`{path}` is replaced).
    pub source_link: Option<String>,
    /// Names of copied images start with this (`img/readme-`).
    pub prefix: String,
    /// Heading ids start with `doc-` and this (so two documents of a page never clash).
    pub heading_prefix: String,
}

/// Untrusted documents are cut at this size (the largest real readme is 46 KB), so that a
/// page stays under 2 MB even when every character must be escaped.
pub const MAX_DOC_BYTES: usize = 256 * 1024;

/// Renders an untrusted readme of a connector.
pub fn render_untrusted(text: &str, source: DocSource) -> Rendered {
    render_untrusted_by(text, source, Sanitiser::Fastest)
}

/// `render_untrusted` through ammonia alone, for the fuzz target that checks the fast path
/// writes the same bytes (`fuzz/fuzz_targets/markdown.rs`).
#[doc(hidden)]
pub fn render_untrusted_by_ammonia(text: &str, source: DocSource) -> Rendered {
    render_untrusted_by(text, source, Sanitiser::Ammonia)
}

/// Which sanitiser cleans a readme's HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sanitiser {
    /// `generated` when the Markdown has no raw HTML, ammonia otherwise.
    Fastest,
    /// ammonia always (what `generated` is tested against).
    Ammonia,
}

fn render_untrusted_by(text: &str, source: DocSource, sanitiser: Sanitiser) -> Rendered {
    let (raw, has_raw_html) = to_html_noting(&capped(text), 2, &source.heading_prefix);
    let resolver = Arc::new(Resolver {
        source,
        state: Mutex::new(State::default()),
    });
    let fast = (sanitiser == Sanitiser::Fastest && !has_raw_html)
        .then(|| {
            generated::clean(&raw, &|el: &str, attr: &str, value| {
                resolver.filter(el, attr, value)
            })
        })
        .flatten();
    let html = fast.unwrap_or_else(|| {
        let filter = Arc::clone(&resolver);
        builder()
            .attribute_filter(move |el, attr, value| filter.filter(el, attr, value))
            .clean(&raw)
            .to_string()
    });
    let copies = match resolver.state.lock() {
        Ok(state) => state.copies.clone(),
        Err(_) => Vec::new(),
    };
    Rendered { html, copies }
}

/// The document, cut at a line end before `MAX_DOC_BYTES` with a note when it is longer.
fn capped(text: &str) -> Cow<'_, str> {
    if text.len() <= MAX_DOC_BYTES {
        return Cow::Borrowed(text);
    }
    let mut end = MAX_DOC_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').unwrap_or(end);
    Cow::Owned(format!(
        "{}\n\n*(The document is cut here: it is longer than {} KB.)*\n",
        &text[..end],
        MAX_DOC_BYTES / 1024
    ))
}

/// Renders a content page of the site. Links starting `@/` are site-root relative and are
/// rewritten with `root` (the way back from the page to the site root).
pub fn render_content(text: &str, root: &str, shift: usize) -> String {
    let raw = to_html(text, shift, "");
    let root = root.to_string();
    builder()
        .attribute_filter(move |_, attr, value| match attr {
            "href" | "src" => Some(site_link(&root, value)),
            _ => Some(value.into()),
        })
        .clean(&raw)
        .to_string()
}

fn site_link<'u>(root: &str, value: &'u str) -> Cow<'u, str> {
    match value.strip_prefix("@/") {
        Some(rest) => {
            let (path, frag) = rest.split_once('#').map_or((rest, ""), |(p, f)| (p, f));
            let mut out = format!("{root}{}", super::urls::href(path));
            if !frag.is_empty() {
                out.push('#');
                out.push_str(frag);
            }
            Cow::Owned(out)
        }
        None => Cow::Borrowed(value),
    }
}

/// The allow-list shared by readmes and content pages.
fn builder() -> Builder<'static> {
    let mut b = Builder::default();
    b.url_schemes(URL_SCHEMES.into_iter().collect())
        .link_rel(Some(LINK_REL))
        .id_prefix(Some(ID_PREFIX))
        .add_tag_attributes("h2", &["id"])
        .add_tag_attributes("h3", &["id"])
        .add_tag_attributes("h4", &["id"])
        .add_tag_attributes("h5", &["id"])
        .add_tag_attributes("h6", &["id"])
        .set_tag_attribute_value("img", "loading", "lazy");
    b
}

/// Markdown to (unclean) HTML: headings shifted down by `shift` levels and given ids.
fn to_html(text: &str, shift: usize, id_prefix: &str) -> String {
    to_html_noting(text, shift, id_prefix).0
}

/// `to_html`, and whether the Markdown held raw HTML.
fn to_html_noting(text: &str, shift: usize, id_prefix: &str) -> (String, bool) {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut events = depth::limit(Parser::new_ext(text, opts).collect());
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut used = BTreeMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { .. }) = &events[i] {
            let text = heading_text(&events[i + 1..]);
            let id = unique_id(&mut used, &format!("{id_prefix}{}", github_slug(&text)));
            if let Event::Start(Tag::Heading {
                level, id: slot, ..
            }) = &mut events[i]
            {
                *level = shifted(*level, shift);
                *slot = Some(CowStr::from(id));
            }
        } else if let Event::End(TagEnd::Heading(level)) = &mut events[i] {
            *level = shifted(*level, shift);
        }
        i += 1;
    }
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    (out, has_raw_html)
}

fn heading_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

fn shifted(level: HeadingLevel, shift: usize) -> HeadingLevel {
    let n = (level as usize + shift).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

/// GitHub's heading anchors: lower-case, punctuation dropped, spaces to hyphens.
pub fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

fn unique_id(used: &mut BTreeMap<String, usize>, base: &str) -> String {
    let n = used.entry(base.to_string()).or_insert(0);
    *n += 1;
    if *n == 1 {
        base.to_string()
    } else {
        format!("{base}-{}", *n - 1)
    }
}

#[derive(Default)]
struct State {
    /// Repository-relative image path → its name in the site.
    names: BTreeMap<String, String>,
    taken: BTreeSet<String>,
    copies: Vec<Copy>,
}

struct Resolver {
    source: DocSource,
    state: Mutex<State>,
}

/// What a relative URL of a readme points at.
enum Target {
    /// A regular file inside the connector folder: its path parts from the folder.
    Inside(Vec<String>),
    /// A document-internal anchor.
    Fragment(String),
    /// Absolute `http(s)`/`mailto` URL (already allowed by ammonia's scheme list).
    External,
    /// Anything else: outside the folder, a symlink, missing, protocol-relative, absolute path.
    Refused,
}

impl Resolver {
    fn filter<'u>(&self, element: &str, attr: &str, value: &'u str) -> Option<Cow<'u, str>> {
        match (element, attr) {
            ("img", "src") => match self.target(value) {
                Target::External => Some(Cow::Borrowed(value)),
                Target::Inside(parts) => self.copy_image(&parts).map(Cow::Owned),
                _ => None,
            },
            (_, "href") => match self.target(value) {
                Target::External => Some(Cow::Borrowed(value)),
                Target::Fragment(f) => Some(Cow::Owned(format!("#{ID_PREFIX}{f}"))),
                Target::Inside(parts) => self.source_url(&parts).map(Cow::Owned),
                Target::Refused => None,
            },
            (_, "src" | "cite" | "longdesc" | "srcset" | "action" | "poster") => None,
            _ => Some(Cow::Borrowed(value)),
        }
    }

    fn target(&self, value: &str) -> Target {
        let value = value.trim();
        if let Some(frag) = value.strip_prefix('#') {
            let frag = frag.strip_prefix(ID_PREFIX).unwrap_or(frag);
            return Target::Fragment(frag.to_string());
        }
        let lower = value.to_ascii_lowercase();
        if ["http://", "https://", "mailto:"]
            .iter()
            .any(|s| lower.starts_with(s))
        {
            return Target::External;
        }
        if value.starts_with(['/', '\\']) || value.contains(':') {
            return Target::Refused;
        }
        let path = value.split(['?', '#']).next().unwrap_or_default();
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        match self.inside(&decoded.replace('\\', "/")) {
            Some(parts) => Target::Inside(parts),
            None => Target::Refused,
        }
    }

    /// Resolves a relative path against the document's folder; `None` when it leaves the
    /// connector folder, passes through a symlink or is not a regular file.
    fn inside(&self, rel: &str) -> Option<Vec<String>> {
        let mut parts = self.source.doc_dir.clone();
        for c in Path::new(rel).components() {
            match c {
                Component::Normal(s) => parts.push(s.to_str()?.to_string()),
                Component::CurDir => {}
                Component::ParentDir => {
                    parts.pop()?;
                }
                _ => return None,
            }
        }
        let inside = !parts.is_empty() && self.source.files.contains(&parts.join("/"));
        inside.then_some(parts)
    }

    fn copy_image(&self, parts: &[String]) -> Option<String> {
        let rel = parts.join("/");
        let file = parts.last()?;
        let (stem, ext) = file.rsplit_once('.')?;
        let ext = ext.to_ascii_lowercase();
        if !IMAGE_TYPES.contains(&ext.as_str()) {
            return None;
        }
        let mut state = self.state.lock().ok()?;
        if let Some(name) = state.names.get(&rel) {
            return Some(name.clone());
        }
        let dir = parts[..parts.len() - 1].join("-");
        let base = format!(
            "{}{}",
            self.source.prefix,
            slugify(&format!("{dir} {stem}"))
        );
        let mut name = format!("{base}.{ext}");
        let mut n = 2;
        while !state.taken.insert(name.clone()) {
            name = format!("{base}-{n}.{ext}");
            n += 1;
        }
        state.copies.push(Copy {
            from: format!("{}/{rel}", self.source.folder),
            to: name.clone(),
        });
        state.names.insert(rel, name.clone());
        Some(name)
    }

    fn source_url(&self, parts: &[String]) -> Option<String> {
        let template = self.source.source_link.as_deref()?;
        let path = format!("{}/{}", self.source.repo_path, parts.join("/"));
        super::urls::source_link(Some(template), &path)
    }
}

mod depth;
mod generated;

#[cfg(test)]
mod tests;
