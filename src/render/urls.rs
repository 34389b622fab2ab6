//! URLs of the site: every internal link is relative (the site works from any base path and
//! from `file://`), pages are addressed as `dir/index.html`, and URLs that come from the
//! source (websites, contacts, brand colours) are checked before they reach an attribute.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters escaped in one path segment of a URL.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'\'');

/// The prefix from a page at `path` (`connectors/x/`, or `""` for the home page) back to
/// the site root: `../../`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The file a page URL is stored in: `connectors/x/` → `connectors/x/index.html`.
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// A link that works over HTTP and from `file://`: directories get an explicit `index.html`.
pub fn href(path: &str) -> String {
    file_of(path)
}

/// Percent-encodes each `/`-separated segment of a repository path.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes a query value (`c=a,b`: the comma stays readable).
pub fn encode_query(value: &str) -> String {
    const QUERY: &AsciiSet = &SEGMENT.add(b'&').add(b'=').add(b'+');
    utf8_percent_encode(value, QUERY).to_string()
}

/// The link to a connector's folder in its repository, from `source_link` (`{path}`).
pub fn source_link(template: Option<&str>, path: &str) -> Option<String> {
    let template = template?;
    Some(template.replace("{path}", &encode_path(path)))
}

/// An `http(s)` URL from the source, trimmed, or `None` for anything else
/// (`javascript:`, `data:`, relative paths, text with spaces or control characters).
pub fn safe_external(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (scheme_ok && clean && url.len() > 8).then_some(url)
}

/// A plausible e-mail address for a `mailto:` link.
pub fn safe_email(email: &str) -> Option<&str> {
    let email = email.trim();
    let ok = email.contains('@')
        && !email.starts_with('@')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'()[]\\,;:".contains(c));
    ok.then_some(email)
}

/// A brand colour only when it matches `^#[0-9a-fA-F]{3,8}$`.
pub fn brand_colour(colour: &str) -> Option<&str> {
    let hex = colour.strip_prefix('#')?;
    let ok = (3..=8).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then_some(colour)
}

/// Black or white, whichever reads better on `colour` (WCAG relative luminance).
pub fn text_on(colour: &str) -> &'static str {
    let hex = colour.trim_start_matches('#');
    let channel = |s: &str| u8::from_str_radix(s, 16).ok().map(f64::from);
    let rgb = match hex.len() {
        3 | 4 => {
            let d = |i: usize| channel(&hex[i..=i].repeat(2));
            (d(0), d(1), d(2))
        }
        6 | 8 => (
            channel(&hex[0..2]),
            channel(&hex[2..4]),
            channel(&hex[4..6]),
        ),
        _ => return "#fff",
    };
    let (Some(r), Some(g), Some(b)) = rgb else {
        return "#fff";
    };
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    // Contrast with white is (1.05)/(l+0.05); with black (l+0.05)/0.05.
    if (l + 0.05) / 0.05 > 1.05 / (l + 0.05) {
        "#000"
    } else {
        "#fff"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_files() {
        assert_eq!(root_of(""), "");
        assert_eq!(root_of("connectors/"), "../");
        assert_eq!(root_of("connectors/x/"), "../../");
        assert_eq!(file_of("connectors/x/"), "connectors/x/index.html");
        assert_eq!(file_of(""), "index.html");
        assert_eq!(file_of("404.html"), "404.html");
    }

    #[test]
    fn source_paths_are_encoded_per_segment() {
        let link = source_link(
            Some("https://github.com/o/r/tree/dev/{path}"),
            "certified-connectors/Bjørnø's Data & Weather (Preview)",
        );
        assert_eq!(
            link.as_deref(),
            Some("https://github.com/o/r/tree/dev/certified-connectors/Bj%C3%B8rn%C3%B8%27s%20Data%20&%20Weather%20(Preview)")
        );
        assert_eq!(encode_path("a#b/c?d"), "a%23b/c%3Fd");
    }

    #[test]
    fn only_http_urls_pass() {
        assert_eq!(
            safe_external(" https://x.test/a "),
            Some("https://x.test/a")
        );
        assert_eq!(safe_external("HTTP://x.test"), Some("HTTP://x.test"));
        assert_eq!(safe_external("javascript:alert(1)"), None);
        assert_eq!(safe_external("data:text/html,x"), None);
        assert_eq!(safe_external("https://x.test/a b"), None);
        assert_eq!(safe_external("www.x.test"), None);
        assert_eq!(safe_email("a@b.test"), Some("a@b.test"));
        assert_eq!(safe_email("a@b.test?subject=x\"y"), None);
    }

    #[test]
    fn brand_colours_are_checked() {
        assert_eq!(brand_colour("#da3b01"), Some("#da3b01"));
        assert_eq!(brand_colour("#fff"), Some("#fff"));
        assert_eq!(brand_colour("red"), None);
        assert_eq!(brand_colour("#da3b01;background:url(x)"), None);
        assert_eq!(brand_colour("#12"), None);
        assert_eq!(text_on("#ffffff"), "#000");
        assert_eq!(text_on("#4b2e83"), "#fff");
        assert_eq!(text_on("#ff0"), "#000");
    }
}
