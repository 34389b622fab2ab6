//! Atom feeds of the history: `feed.xml` for the whole catalog and `connectors/<slug>/feed.xml`
//! for each connector. One entry per revision, newest first; entry ids are `tag:` URIs made
//! of the repository's host, the revision's date, the folder and the commit, so they never
//! change between builds. "Updated" is the newest entry's time, never the clock. Text is
//! escaped and characters XML does not allow are dropped.

use crate::history::{dates, Revision};
use crate::model::{Catalog, Connector};
use crate::render::html::escape;
use crate::render::meta;
use crate::render::urls;
use crate::render::views::history::{code_spans, pr_href};

/// Entries in the site-wide feed.
const SITE_ENTRIES: usize = 50;
/// Entries in a connector's feed.
const CONNECTOR_ENTRIES: usize = 30;

/// What the feeds need from the configuration.
pub struct FeedConfig<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub repository_url: &'a str,
}

/// The site-wide feed: the latest revisions of every connector.
pub fn site_feed(catalog: &Catalog, cfg: &FeedConfig) -> String {
    let mut all: Vec<(&Connector, &Revision)> = catalog
        .connectors
        .iter()
        .filter_map(|c| Some((c, &c.history.as_ref()?.revisions)))
        .flat_map(|(c, revs)| revs.iter().map(move |r| (c, r)))
        .collect();
    newest_first(&mut all);
    all.truncate(SITE_ENTRIES);
    let base = meta::base(cfg.base_url);
    let title = format!("{}: connector updates", cfg.title);
    let since = catalog
        .connectors
        .iter()
        .filter_map(|c| c.history.as_ref()?.first_added())
        .map(|r| r.date.as_str())
        .min()
        .unwrap_or("2000-01-01");
    let id = format!("tag:{},{since}:feed", host(cfg.repository_url));
    let urls = FeedUrls {
        id,
        this: format!("{base}feed.xml"),
        page: base.clone(),
    };
    feed(&title, &urls, &all, cfg)
}

/// A connector's feed: its revisions, newest first.
pub fn connector_feed(c: &Connector, cfg: &FeedConfig) -> Option<String> {
    let h = c.history.as_ref()?;
    let mut all: Vec<(&Connector, &Revision)> = h.revisions.iter().map(|r| (c, r)).collect();
    newest_first(&mut all);
    all.truncate(CONNECTOR_ENTRIES);
    let base = meta::base(cfg.base_url);
    let page = format!("{base}{}", crate::export::connector_url(c));
    let title = format!("{}: {}", cfg.title, c.display_title());
    let since = h.first_added().map_or("2000-01-01", |r| r.date.as_str());
    let urls = FeedUrls {
        id: format!(
            "tag:{},{since}:{}",
            host(cfg.repository_url),
            urls::encode_path(c.path())
        ),
        this: format!("{page}feed.xml"),
        page,
    };
    Some(feed(&title, &urls, &all, cfg))
}

fn newest_first(all: &mut [(&Connector, &Revision)]) {
    all.sort_by(|a, b| {
        (b.1.time, &a.0.path(), &a.1.commit).cmp(&(a.1.time, &b.0.path(), &b.1.commit))
    });
}

/// A feed's stable id, its own address and the page it follows.
struct FeedUrls {
    id: String,
    this: String,
    page: String,
}

fn feed(
    title: &str,
    urls: &FeedUrls,
    entries: &[(&Connector, &Revision)],
    cfg: &FeedConfig,
) -> String {
    let updated = entries.iter().map(|(_, r)| r.time).max().unwrap_or(0);
    let mut out = String::with_capacity(1024 + entries.len() * 800);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    push_el(&mut out, "  ", "title", title);
    push_el(&mut out, "  ", "id", &urls.id);
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&urls.this),
        xml(&urls.page)
    ));
    push_el(&mut out, "  ", "updated", &dates::iso_datetime(updated));
    out.push_str("  <author><name>");
    out.push_str(&xml(cfg.title));
    out.push_str("</name></author>\n");
    let base = meta::base(cfg.base_url);
    for (c, r) in entries {
        entry(&mut out, c, r, &base, cfg);
    }
    out.push_str("</feed>\n");
    out
}

fn entry(out: &mut String, c: &Connector, r: &Revision, base: &str, cfg: &FeedConfig) {
    let link = format!("{base}{}#sec-history", crate::export::connector_url(c));
    out.push_str("  <entry>\n");
    push_el(
        out,
        "    ",
        "title",
        &format!("{}: {}", c.display_title(), r.subject),
    );
    push_el(
        out,
        "    ",
        "id",
        &entry_id(cfg.repository_url, c.path(), r),
    );
    out.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&link)
    ));
    push_el(out, "    ", "updated", &dates::iso_datetime(r.time));
    push_el(out, "    ", "content", &content_html(r, cfg.repository_url));
    out.push_str("  </entry>\n");
}

/// `tag:<host>,<date>:<folder>/<commit>`: the same revision always has the same id.
pub fn entry_id(repository_url: &str, folder: &str, r: &Revision) -> String {
    format!(
        "tag:{},{}:{}/{}",
        host(repository_url),
        r.date,
        urls::encode_path(folder),
        r.commit
    )
}

/// The host of the repository's URL: the authority of the `tag:` ids.
fn host(repository_url: &str) -> &str {
    repository_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':', '@']).next())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c))
        })
        .unwrap_or("switchyard.invalid")
}

/// The entry's content: the subject, a link to the pull request and the changelog, as HTML.
fn content_html(r: &Revision, repository_url: &str) -> String {
    let mut html = format!("<p>{}", escape(&r.subject));
    if let (Some(href), Some(n)) = (pr_href(repository_url, r.pr), r.pr) {
        html.push_str(&format!(" (<a href=\"{}\">#{n}</a>)", escape(&href)));
    }
    html.push_str("</p>");
    if !r.changes.is_empty() {
        html.push_str("<ul>");
        for ch in &r.changes {
            let mark = if ch.breaking {
                "<strong>Breaking:</strong> "
            } else {
                ""
            };
            html.push_str(&format!("<li>{mark}{}</li>", code_spans(&ch.message)));
        }
        html.push_str("</ul>");
    }
    html
}

fn push_el(out: &mut String, indent: &str, name: &str, text: &str) {
    let kind = if name == "content" {
        " type=\"html\""
    } else {
        ""
    };
    out.push_str(&format!("{indent}<{name}{kind}>{}</{name}>\n", xml(text)));
}

/// Escaped text with the characters XML 1.0 forbids dropped.
fn xml(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect();
    escape(&allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(subject: &str) -> Revision {
        Revision {
            commit: "0123456789".into(),
            date: "2024-10-23".into(),
            time: 1_729_696_498,
            subject: subject.into(),
            pr: Some(7),
            author: "ann@example.test".into(),
            definition: None,
            changes: Vec::new(),
            note: None,
        }
    }

    #[test]
    fn entry_ids_are_tag_uris_of_folder_and_commit() {
        let r = revision("x");
        assert_eq!(
            entry_id("https://github.com/o/r", "certified-connectors/A B", &r),
            "tag:github.com,2024-10-23:certified-connectors/A%20B/0123456789"
        );
        assert_eq!(
            entry_id("not a url", "c/A", &r),
            "tag:switchyard.invalid,2024-10-23:c/A/0123456789"
        );
    }

    #[test]
    fn text_is_escaped_and_characters_xml_forbids_are_dropped() {
        assert_eq!(xml("a\u{1}<b>&\u{FFFF}\tc"), "a&lt;b&gt;&amp;\tc");
        let html = content_html(&revision("Fix <script> (#7)"), "https://x.test/r");
        assert!(html.starts_with(
            "<p>Fix &lt;script&gt; (#7) (<a href=\"https://x.test/r/pull/7\">#7</a>)</p>"
        ));
    }
}
