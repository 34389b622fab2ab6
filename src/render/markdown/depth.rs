//! Bounds how deep a document nests before it reaches the HTML sanitiser. html5ever's tree
//! builder scans its stack of open elements for most tags, so 100,000 nested blockquotes or
//! `<div>`s cost about 10^10 steps (a readme could hang the build). Markdown structure past
//! the limit is flattened (its text stays); raw HTML that would open elements past it is
//! shown as text. Real readmes nest under 50 deep.

use pulldown_cmark::{CowStr, Event};

/// Elements open at once (Markdown and raw HTML together).
pub const MAX_NESTING: usize = 96;

/// Elements that never deepen the tree: void, or closed implicitly by their next sibling.
const FLAT: [&str; 22] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "param",
];

/// The events with nesting capped at `MAX_NESTING`.
pub fn limit(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut kept: Vec<bool> = Vec::new();
    let (mut depth, mut dropping, mut raw) = (0usize, 0usize, 0usize);
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::Start(tag) => {
                let keep = dropping == 0 && depth + raw < MAX_NESTING;
                kept.push(keep);
                if keep {
                    depth += 1;
                    out.push(Event::Start(tag));
                } else {
                    dropping += 1;
                }
            }
            Event::End(end) => match kept.pop() {
                Some(true) => {
                    depth -= 1;
                    out.push(Event::End(end));
                }
                Some(false) => dropping -= 1,
                None => out.push(Event::End(end)),
            },
            Event::Html(html) => out.push(raw_event(html, depth, &mut raw, Event::Html)),
            Event::InlineHtml(html) => {
                out.push(raw_event(html, depth, &mut raw, Event::InlineHtml))
            }
            other => out.push(other),
        }
    }
    out
}

/// Raw HTML as it is, or as text when it would open elements past the limit.
fn raw_event<'a>(
    html: CowStr<'a>,
    depth: usize,
    raw: &mut usize,
    wrap: fn(CowStr<'a>) -> Event<'a>,
) -> Event<'a> {
    let (after, peak) = raw_depth(&html, *raw);
    if depth + peak > MAX_NESTING {
        return Event::Text(html);
    }
    *raw = after;
    wrap(html)
}

/// The open raw elements after `html` and at its highest point, starting from `open` (a
/// rough count: enough to bound the tree, never used to decide what is safe).
fn raw_depth(html: &str, open: usize) -> (usize, usize) {
    let (mut now, mut peak) = (open, open);
    let bytes = html.as_bytes();
    for (i, _) in html.match_indices('<') {
        let rest = &bytes[i + 1..];
        if rest.first() == Some(&b'/') {
            now = now.saturating_sub(1);
            continue;
        }
        let name: String = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .map(|b| b.to_ascii_lowercase() as char)
            .collect();
        if !name.is_empty() && !FLAT.contains(&name.as_str()) {
            now += 1;
            peak = peak.max(now);
        }
    }
    (now, peak)
}
