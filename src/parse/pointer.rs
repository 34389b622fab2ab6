//! RFC 6901 JSON pointer segments, escaped and unescaped in one place: the converter, the
//! linter and both locators build and read pointers, and a `/` or `~` in a path or key
//! (`/users/{id}` is one segment) must come out the same everywhere.

use std::borrow::Cow;

/// One segment as it is written in a pointer: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// One segment as the key it names: `~1` is `/`, `~0` is `~` (in that order, so `~01` is
/// the key `~1`).
pub fn unescape(segment: &str) -> Cow<'_, str> {
    if !segment.contains('~') {
        return Cow::Borrowed(segment);
    }
    // One pass (every path segment has its slashes escaped, and locating findings unescapes
    // them all).
    let mut out = String::with_capacity(segment.len());
    let mut rest = segment;
    while let Some(at) = rest.find('~') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match after.as_bytes().first() {
            Some(b'1') => out.push('/'),
            Some(b'0') => out.push('~'),
            _ => {
                out.push('~');
                rest = after;
                continue;
            }
        }
        rest = &after[1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `pointer` + `/` + the escaped `key`.
pub fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_with_slashes_is_one_segment_both_ways() {
        assert_eq!(escape("/users/{id}"), "~1users~1{id}");
        assert_eq!(unescape("~1users~1{id}"), "/users/{id}");
        assert_eq!(child("/paths", "/a~b"), "/paths/~1a~0b");
        for (escaped, key) in [
            ("~01", "~1"),
            ("a~", "a~"),
            ("~~1", "~/"),
            ("~2~0", "~2~"),
            ("", ""),
        ] {
            assert_eq!(unescape(escaped), key, "{escaped}");
            assert_eq!(unescape(&escape(key)), key, "{key}");
        }
    }

    #[test]
    fn tilde_zero_one_is_the_key_tilde_one() {
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(escape("~1"), "~01");
    }

    #[test]
    fn plain_segments_are_borrowed() {
        assert!(matches!(escape("get"), Cow::Borrowed("get")));
        assert!(matches!(unescape("get"), Cow::Borrowed("get")));
    }

    #[test]
    fn a_lone_tilde_is_kept() {
        assert_eq!(unescape("a~b"), "a~b");
    }
}
