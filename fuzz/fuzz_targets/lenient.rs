//! Fuzzes the lenient JSON parser: it never panics or overflows the stack, every location it
//! reports lies inside the text, and on strict JSON it agrees with serde_json. The build's
//! strict parser (`parse::strict`) must agree with both: the same value on clean JSON, and
//! "duplicates" exactly when the lenient parser reports a duplicate key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchyard::parse::lenient::{line_col, parse_lenient};
use switchyard::parse::strict::{self, Strict};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let end = line_col(&text, text.len());
    let inside = |line: u32, column: u32| line >= 1 && (line, column) <= end;
    match parse_lenient(&text) {
        Ok((value, repairs)) => {
            for r in &repairs {
                assert!(inside(r.line, r.column), "repair outside the text: {r:?}");
            }
            if let Ok(strict) = serde_json::from_str::<serde_json::Value>(&text) {
                assert_eq!(value, strict, "lenient and strict parses differ");
            }
            let duplicate = repairs
                .iter()
                .any(|r| r.message.starts_with("duplicate key"));
            match strict::parse(&text) {
                Strict::Clean(v) => {
                    assert!(!duplicate, "strict parser missed a duplicate key");
                    assert_eq!(v, value, "strict parser and lenient parser differ");
                }
                Strict::Duplicates => assert!(duplicate, "strict parser saw a duplicate key"),
                Strict::Invalid(_) => {}
            }
        }
        Err(fatal) => assert!(
            inside(fatal.line, fatal.column),
            "error outside the text: {fatal:?}"
        ),
    }
});
