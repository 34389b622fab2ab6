//! `/api/search?q=...&limit=N`: the tantivy index of the served site, answered with the
//! same JSON as `switchyard search --json` (one function builds both).

use super::files::percent_decode;
use super::Shared;
use crate::index::query;

pub const SEARCH_PATH: &str = "/api/search";
const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 100;

/// The status and JSON body for a query string.
pub fn search(shared: &Shared, query_string: &str) -> (u16, String) {
    let Some((q, limit)) = parse(query_string) else {
        return (400, error("bad query string"));
    };
    let Some(searcher) = shared.searcher() else {
        return (503, error("the search index is not built yet"));
    };
    match searcher
        .search(&q, limit)
        .and_then(|hits| query::hits_json(&hits))
    {
        Ok(json) => (200, json),
        Err(e) => (500, error(&format!("{e:#}"))),
    }
}

fn error(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}

/// `q` and `limit` from a query string (`+` is a space); `None` when undecodable.
pub fn parse(query_string: &str) -> Option<(String, usize)> {
    let mut q = String::new();
    let mut limit = DEFAULT_LIMIT;
    for pair in query_string.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = String::from_utf8(percent_decode(&value.replace('+', " "))?).ok()?;
        match key {
            "q" => q = value,
            "limit" => limit = value.trim().parse().ok()?,
            _ => {}
        }
    }
    Some((q, limit.clamp(1, MAX_LIMIT)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_decoded_and_limits_bounded() {
        assert_eq!(parse("q=send+a%20text"), Some(("send a text".into(), 10)));
        assert_eq!(parse("q=sms&limit=3"), Some(("sms".into(), 3)));
        assert_eq!(parse("limit=100000&q=x"), Some(("x".into(), MAX_LIMIT)));
        assert_eq!(parse("limit=0"), Some((String::new(), 1)));
        assert_eq!(parse(""), Some((String::new(), 10)));
        assert_eq!(parse("q=%zz"), None);
        assert_eq!(parse("limit=ten"), None);
        assert_eq!(parse("q=%ff"), None);
    }
}
