//! Escaped HTML built in Rust, for the few fragments that are too repetitive to render fast
//! through a template (parameter and schema tables: thousands of rows on big connectors).
//!
//! Every piece of text goes through `Html::text` or `Html::attr`, which escape it; markup is
//! only ever added from `&'static str` literals, so source text can never become markup.

use std::fmt::Write as _;

/// A growing HTML fragment whose dynamic parts are always escaped.
#[derive(Debug, Default)]
pub struct Html {
    out: String,
}

impl Html {
    pub fn with_capacity(n: usize) -> Html {
        Html {
            out: String::with_capacity(n),
        }
    }

    /// Markup from the program itself (never from input).
    pub fn tag(&mut self, markup: &'static str) -> &mut Self {
        self.out.push_str(markup);
        self
    }

    /// Text content, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.out, text);
        self
    }

    /// A number (never needs escaping).
    pub fn num(&mut self, n: usize) -> &mut Self {
        let _ = write!(self.out, "{n}");
        self
    }

    /// ` name="value"` with the value escaped; `name` comes from the program.
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value);
        self.out.push('"');
        self
    }

    /// An element with escaped text: `<tag>text</tag>`.
    pub fn el(&mut self, open: &'static str, text: &str, close: &'static str) -> &mut Self {
        self.tag(open).text(text).tag(close)
    }

    /// Appends another fragment (already escaped by construction).
    pub fn push(&mut self, other: Html) -> &mut Self {
        self.out.push_str(&other.out);
        self
    }

    /// Appends a fragment that was built with `Html` and kept as a `String`.
    pub fn fragment(&mut self, built: &str) -> &mut Self {
        self.out.push_str(built);
        self
    }

    pub fn len(&self) -> usize {
        self.out.len()
    }

    /// Drops what was written after byte `len` (a `len()` taken earlier).
    pub fn truncate(&mut self, len: usize) {
        self.out.truncate(len);
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    pub fn into_string(self) -> String {
        self.out
    }
}

/// Text that a template's `{% if %}` treats as present: given and not empty. The fragments
/// rendered in Rust test their text the same way, so they give the template's bytes.
pub fn given(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

/// Escapes `&`, `<`, `>`, `"` and `'` (enough for text and quoted attribute values).
pub fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut last = 0;
    while let Some(offset) = bytes[last..].iter().position(|&b| SPECIAL[usize::from(b)]) {
        let i = last + offset;
        out.push_str(&text[last..i]);
        out.push_str(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// The bytes `escape_into` replaces.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t
};

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Shortens text to about `max` characters at a word boundary, with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let end = cut.rfind(char::is_whitespace).filter(|&i| i > max / 2);
    let mut short = match end {
        Some(i) => cut[..i].trim_end().to_string(),
        None => cut,
    };
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut h = Html::default();
        h.tag("<a").attr("href", "\"><script>").tag(">");
        h.text("<b>&'x'</b>").tag("</a>");
        assert_eq!(
            h.into_string(),
            "<a href=\"&quot;&gt;&lt;script&gt;\">&lt;b&gt;&amp;&#39;x&#39;&lt;/b&gt;</a>"
        );
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four", 10), "one two…");
        assert_eq!(shorten("ééééééééééééé", 4), "éééé…");
    }
}
