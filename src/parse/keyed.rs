//! Keys of parsed things, shared by the converter and the linter, which read the same
//! definition separately: which of two parameters with the same name and place wins, and
//! when two JSON scalars are the same value. Both go through hash maps, because a search of
//! the list per item was quadratic on hostile definitions (50,000 parameters took 8 s;
//! 100,000 enum values 48 s).

use foldhash::HashMap;
use serde_json::Value;
use std::hash::Hash;

/// `items`, a later item replacing an earlier one with the same key, which leaves its place
/// for the end (an operation's own parameter over the path's of the same name and place).
pub fn later_replaces<T, K: Eq + Hash>(
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut out: Vec<Option<T>> = Vec::new();
    let mut at: HashMap<K, usize> = HashMap::default();
    for item in items {
        if let Some(earlier) = at.insert(key(&item), out.len()) {
            out[earlier] = None;
        }
        out.push(Some(item));
    }
    out.into_iter().flatten().collect()
}

/// A scalar's identity as `Value` equality sees it: the type and the text (`-0.0` is `0.0`),
/// for sets and maps of JSON values; `None` for objects and arrays.
pub fn scalar_key(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(format!("s{s}")),
        Value::Number(n) if n.is_f64() => n.as_f64().map(|f| format!("f{}", f + 0.0)),
        Value::Number(n) => Some(format!("n{n}")),
        Value::Bool(b) => Some(format!("b{b}")),
        Value::Null => Some("z".to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_later_item_replaces_an_earlier_one_and_moves_to_the_end() {
        let items = [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5)];
        let got = later_replaces(items, |(k, _)| *k);
        assert_eq!(got, [("a", 3), ("c", 4), ("b", 5)]);
    }

    #[test]
    fn scalars_with_the_same_key_are_equal_values() {
        let values = [
            json!("1"),
            json!(1),
            json!(1.0),
            json!(-0.0),
            json!(0.0),
            json!(true),
            json!(null),
            json!("true"),
        ];
        for a in &values {
            for b in &values {
                assert_eq!(scalar_key(a) == scalar_key(b), a == b, "{a} {b}");
            }
        }
        assert_eq!(scalar_key(&json!(["x"])), None);
    }
}
