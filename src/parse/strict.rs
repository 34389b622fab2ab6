//! Strict JSON into a `serde_json::Value`, noticing duplicate keys.
//!
//! serde_json's own `Value` keeps the last of two equal keys without a word, but the platform
//! rejects such a file, so a duplicate must send the file to the lenient parser, which
//! reports each one with its line and column. This visitor builds the same `Value` as
//! serde_json and only remembers whether a key repeated: the common, clean file pays nothing.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::fmt;

/// How strict parsing went.
pub enum Strict {
    /// Strict JSON without duplicate keys.
    Clean(Value),
    /// Strict JSON, but an object repeats a key.
    Duplicates,
    /// Not strict JSON.
    Invalid(serde_json::Error),
}

/// Parses `text` strictly, noticing duplicate keys.
pub fn parse(text: &str) -> Strict {
    let duplicate = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Checked {
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match value {
        Err(e) => Strict::Invalid(e),
        Ok(_) if duplicate.get() => Strict::Duplicates,
        Ok(v) => Strict::Clean(v),
    }
}

#[derive(Clone, Copy)]
struct Checked<'a> {
    duplicate: &'a Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for Checked<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self)?;
            if object.insert(key, value).is_some() {
                self.duplicate.set(true);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_json_gives_the_same_value_as_serde_json() {
        let text =
            r#"{"a": [1, -2, 3.5, true, null, "x"], "b": {"c": {}}, "d": 18446744073709551615}"#;
        let Strict::Clean(v) = parse(text) else {
            panic!("clean JSON")
        };
        let expected: Value = serde_json::from_str(text).expect("valid");
        assert_eq!(v, expected);
        assert_eq!(
            serde_json::to_string(&v).expect("ser"),
            serde_json::to_string(&expected).expect("ser"),
            "same key order"
        );
    }

    /// Regression (fuzzing, `lenient` target, round 4): an integer too large for 64 bits
    /// became a float one unit in the last place apart in the strict and the lenient parse
    /// (serde_json's fast float parsing is not correctly rounded without `float_roundtrip`),
    /// so the same number read differently depending on whether its file needed repairs.
    #[test]
    fn a_huge_integer_reads_the_same_strictly_and_leniently() {
        let text = r#"{"a":2555555555555555555550}"#;
        let Strict::Clean(strict) = parse(text) else {
            panic!("clean JSON")
        };
        let (lenient, repairs) = crate::parse::lenient::parse_lenient(text).expect("parses");
        assert!(repairs.is_empty());
        assert_eq!(strict, lenient);
        assert_eq!(strict["a"].as_f64(), Some(2555555555555555555550_f64));
    }

    /// Regression: serde_json's `Value` kept the last of two equal keys silently, so the
    /// build stopped reporting duplicate keys when it began parsing into values.
    #[test]
    fn a_duplicate_key_at_any_depth_is_noticed() {
        assert!(matches!(
            parse(r#"{"a": {"b": [{"c": 1, "c": 2}]}}"#),
            Strict::Duplicates
        ));
        assert!(matches!(
            parse(r#"{"a": 1, "b": {"a": 2}}"#),
            Strict::Clean(_)
        ));
    }

    #[test]
    fn invalid_json_keeps_serde_jsons_error() {
        let Strict::Invalid(e) = parse("{\"a\": 1,\n}") else {
            panic!("invalid")
        };
        assert_eq!((e.line(), e.column()), (2, 1));
        assert!(matches!(parse("{} trailing"), Strict::Invalid(_)));
    }
}
