//! RFC 6901 JSON pointer segments, escaped and unescaped in one place: the converter, the
//! linter and both locators build and read pointers, and a `/` or `~` in a path or key
//! (`/users/{id}` is one segment) must come out the same everywhere.

use serde_json::Value;
use std::borrow::Cow;

/// One segment as it is written in a pointer: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape(segment: &str) -> Cow<'_, str> {
    if !segment.contains(['~', '/']) {
        return Cow::Borrowed(segment);
    }
    // One pass: every path has slashes, and the converter escapes each once per operation.
    let mut out = String::with_capacity(segment.len() + 8);
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The value `pointer` names in `root` (as `Value::pointer`, which allocates two strings per
/// segment; the linter follows hundreds of thousands of `$ref`s and pointers).
pub fn lookup<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(root, |target, segment| {
        let key = unescape(segment);
        match target {
            Value::Object(map) => map.get(key.as_ref()),
            Value::Array(list) => index(&key).and_then(|i| list.get(i)),
            _ => None,
        }
    })
}

/// An array index as RFC 6901 writes it: digits, without a leading zero or sign.
fn index(segment: &str) -> Option<usize> {
    let digits = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = segment.len() > 1 && segment.starts_with('0');
    if !digits || leading_zero {
        return None;
    }
    segment.parse().ok()
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
    fn lookup_agrees_with_serde_json() {
        let v: Value = serde_json::from_str(
            r#"{"paths": {"/a/{id}": {"get": [1, {"x~y": true}]}}, "": {"": 0}, "0": [5]}"#,
        )
        .expect("json");
        for p in [
            "",
            "/",
            "//",
            "/paths",
            "/paths/~1a~1{id}/get/1/x~0y",
            "/paths/~1a~1{id}/get/01",
            "/paths/~1a~1{id}/get/+1",
            "/paths/~1a~1{id}/get/-1",
            "/paths/~1a~1{id}/get/9",
            "/0/0",
            "/0/00",
            "/missing/deeper",
            "no-slash",
            "/paths/~1a~1{id}/get/1/x~y",
        ] {
            assert_eq!(lookup(&v, p), v.pointer(p), "{p}");
        }
    }

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
