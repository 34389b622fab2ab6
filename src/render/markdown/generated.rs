//! The sanitiser's fast path: pulldown-cmark's own HTML, for a document without raw HTML,
//! cleaned by ammonia's rules and written as ammonia writes it.
//!
//! ammonia parses HTML with html5ever, prunes the tree by its allow-list and writes the tree
//! again: 4% of a whole build, for readmes that are nearly all plain Markdown (921 of the
//! corpus's 1,024 have no `<` at all). When the Markdown has no raw HTML, every tag in
//! pulldown-cmark's output is one pulldown-cmark wrote, from a short list, with attribute
//! values it escaped; a scan of tags and text then does what the tree did. The rules are
//! ammonia's, in ammonia's order (allowed attributes and URL schemes, `loading` on images,
//! `rel` on links, the `doc-` id prefix, then the caller's attribute filter), and the text
//! is escaped as html5ever escapes it. Anything this module does not expect (another tag or
//! attribute, another entity, a NUL) returns `None`, and the caller uses ammonia. The tests
//! render many documents both ways and compare the bytes.

use super::{ID_PREFIX, LINK_REL, URL_SCHEMES};
use std::borrow::Cow;
use url::Url;

/// Tags pulldown-cmark writes with the options the readmes use (tables, strikethrough).
/// The void ones (`br`, `hr`, `img`) it writes as `<br />`, html5ever as `<br>`.
#[rustfmt::skip]
const TAGS: [&str; 26] = [
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
];
/// The attributes pulldown-cmark may write on these tags: class (code), style (cells), id,
/// href, title, src, alt, start.
#[rustfmt::skip]
const KNOWN_ATTRIBUTES: [&str; 8] = [
    "class", "style", "id", "href", "title", "src", "alt", "start",
];

/// The caller's attribute filter (ammonia's `attribute_filter`): given element, attribute
/// and value, the new value, or `None` to drop the attribute.
pub trait Filter: for<'u> Fn(&str, &str, &'u str) -> Option<Cow<'u, str>> {}
impl<F: for<'u> Fn(&str, &str, &'u str) -> Option<Cow<'u, str>>> Filter for F {}

/// `html` (pulldown-cmark's output for a document without raw HTML) as ammonia would clean
/// it, or `None` when it holds something this path does not handle.
pub fn clean(html: &str, filter: &impl Filter) -> Option<String> {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut tree = Tree::default();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        tree.text(text)?;
        write_text(&mut out, text)?;
        let tag_and_rest = &rest[open + 1..];
        let close = tag_and_rest.find('>')?;
        write_tag(&mut out, &tag_and_rest[..close], filter, &mut tree)?;
        rest = &tag_and_rest[close + 1..];
    }
    tree.text(rest)?;
    write_text(&mut out, rest)?;
    tree.open.is_empty().then_some(out)
}

/// The elements open at a point of the scan, to refuse what html5ever would build
/// differently from the tags as written: pulldown-cmark writes a link inside a link's text
/// (`[<http://a>](b)`), which html5ever closes first. Anything but plain nesting, in the
/// places pulldown-cmark puts things, is refused the same way.
#[derive(Default)]
struct Tree {
    open: Vec<&'static str>,
    /// The last tag was `<pre>` (html5ever drops a line break right after it).
    after_pre: bool,
}

/// Blocks whose start tag makes html5ever close an open paragraph.
#[rustfmt::skip]
const CLOSE_P: [&str; 13] = [
    "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ol", "p", "pre", "table", "ul",
];

impl Tree {
    fn start(&mut self, name: &'static str) -> Option<()> {
        let parent = self.open.last().copied();
        let well_placed = match name {
            "a" => !self.open.contains(&"a"),
            "li" => matches!(parent, Some("ol" | "ul")),
            "thead" | "tbody" => parent == Some("table"),
            "tr" => matches!(parent, Some("thead" | "tbody")),
            "td" | "th" => parent == Some("tr"),
            "code" if self.after_pre => true,
            _ if self.after_pre => false,
            _ if is_heading(name) => !self.open.iter().any(|o| is_heading(o)),
            _ => true,
        };
        let opens_block_in_p = CLOSE_P.contains(&name) && self.open.contains(&"p");
        if !well_placed || opens_block_in_p {
            return None;
        }
        self.after_pre = name == "pre";
        if !matches!(name, "br" | "hr" | "img") {
            self.open.push(name);
        }
        Some(())
    }

    fn end(&mut self, name: &str) -> Option<()> {
        self.after_pre = false;
        (self.open.pop()? == name).then_some(())
    }

    /// Text where html5ever would move it (inside a table, outside its cells) or drop part
    /// of it (a line break right after `<pre>`) is refused.
    fn text(&mut self, text: &str) -> Option<()> {
        if text.is_empty() {
            return Some(());
        }
        if std::mem::take(&mut self.after_pre) {
            return None;
        }
        let in_table = matches!(
            self.open.last(),
            Some(&("table" | "thead" | "tbody" | "tr"))
        );
        let blank = text
            .bytes()
            .all(|b| matches!(b, b' ' | b'\n' | b'\t' | b'\r' | b'\x0c'));
        (!in_table || blank).then_some(())
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn known_tag(name: &str) -> Option<&'static str> {
    TAGS.iter().find(|t| **t == name).copied()
}

/// One tag, without its `<` and `>`.
fn write_tag(out: &mut String, tag: &str, filter: &impl Filter, tree: &mut Tree) -> Option<()> {
    if let Some(name) = tag.strip_prefix('/') {
        let name = known_tag(name)?;
        tree.end(name)?;
        out.push_str("</");
        out.push_str(name);
        out.push('>');
        return Some(());
    }
    let tag = tag.strip_suffix(" /").unwrap_or(tag);
    let (name, mut rest) = tag.split_once(' ').unwrap_or((tag, ""));
    let name = known_tag(name)?;
    tree.start(name)?;
    let mut attributes: Vec<(&'static str, String)> = Vec::new();
    while !rest.is_empty() {
        let (attr, after) = rest.split_once("=\"")?;
        let attr = KNOWN_ATTRIBUTES.iter().find(|a| **a == attr)?;
        let (value, after) = after.split_once('"')?;
        attributes.push((attr, decode(value)?));
        rest = after.strip_prefix(' ').unwrap_or(after);
        if !after.is_empty() && !after.starts_with(' ') {
            return None;
        }
    }
    let attributes = apply_rules(name, attributes, filter);
    out.push('<');
    out.push_str(name);
    for (attr, value) in &attributes {
        out.push(' ');
        out.push_str(attr);
        out.push_str("=\"");
        escape(out, value, true);
        out.push('"');
    }
    out.push('>');
    Some(())
}

/// ammonia's rules for one element's attributes, in its order.
fn apply_rules(
    tag: &str,
    mut attributes: Vec<(&'static str, String)>,
    filter: &impl Filter,
) -> Vec<(&'static str, String)> {
    // The allow-list, with URLs checked against the schemes.
    attributes.retain(|(attr, value)| allowed(tag, attr) && (!is_url(attr) || url_allowed(value)));
    if tag == "img" {
        match attributes.iter_mut().find(|(a, _)| *a == "loading") {
            Some((_, value)) => *value = "lazy".to_string(),
            None => attributes.push(("loading", "lazy".to_string())),
        }
    }
    if tag == "a" {
        attributes.push(("rel", LINK_REL.to_string()));
    }
    for (attr, value) in attributes.iter_mut() {
        if *attr == "id" && !value.starts_with(ID_PREFIX) {
            value.insert_str(0, ID_PREFIX);
        }
    }
    // The filter, dropping as ammonia drops: by swapping the last attribute into the place.
    let mut dropped = Vec::new();
    for (i, (attr, value)) in attributes.iter_mut().enumerate() {
        let verdict = filter(tag, attr, value.as_str())
            .map(|new| (new != value.as_str()).then(|| new.into_owned()));
        match verdict {
            Some(Some(new)) => *value = new,
            Some(None) => {}
            None => dropped.push(i),
        }
    }
    for i in dropped.into_iter().rev() {
        attributes.swap_remove(i);
    }
    attributes
}

/// ammonia's default allow-list and `markdown::builder`'s additions, for the attributes
/// pulldown-cmark writes.
fn allowed(tag: &str, attr: &str) -> bool {
    match attr {
        "title" => true,
        "id" => matches!(tag, "h2" | "h3" | "h4" | "h5" | "h6"),
        "href" => tag == "a",
        "src" | "alt" => tag == "img",
        "start" => tag == "ol",
        _ => false, // class, style
    }
}

fn is_url(attr: &str) -> bool {
    matches!(attr, "href" | "src")
}

/// ammonia's URL check: an absolute URL of an allowed scheme, or a relative one.
fn url_allowed(value: &str) -> bool {
    match Url::parse(value) {
        Ok(url) => URL_SCHEMES.contains(&url.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// Text as html5ever reads it: pulldown-cmark's entities decoded, line ends made `\n`.
fn decode(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['&', '\r', '\0']) {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        let (decoded, len) = if at.starts_with('\r') {
            ("\n", if at.starts_with("\r\n") { 2 } else { 1 })
        } else if at.starts_with('\0') {
            return None; // html5ever drops or replaces it; pulldown-cmark never writes one
        } else {
            entity(at)?
        };
        out.push_str(decoded);
        rest = &at[len..];
    }
    out.push_str(rest);
    Some(out)
}

/// The entity at the start of `at` (one pulldown-cmark writes) and its length.
fn entity(at: &str) -> Option<(&'static str, usize)> {
    const ENTITIES: [(&str, &str); 6] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
    ];
    ENTITIES
        .iter()
        .find(|(name, _)| at.starts_with(name))
        .map(|(name, value)| (*value, name.len()))
}

/// Text between tags: decoded, then escaped as html5ever writes text.
fn write_text(out: &mut String, text: &str) -> Option<()> {
    if text.is_empty() {
        return Some(());
    }
    escape(out, &decode(text)?, false);
    Some(())
}

/// html5ever's escaping: `&`, `<`, `>` and no-break spaces always, `"` in attributes.
fn escape(out: &mut String, text: &str, attribute: bool) {
    let bytes = text.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let (replacement, len) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' if attribute => ("&quot;", 1),
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => ("&nbsp;", 2),
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(replacement);
        last = i + len;
    }
    out.push_str(&text[last..]);
}
