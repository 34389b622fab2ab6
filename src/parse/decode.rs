//! Turning raw file bytes into text before parsing.
//!
//! Connector files are mostly UTF-8, but some carry a byte-order mark, a few are
//! UTF-16, and some were saved by Windows editors as Windows-1252 (`’` as 0x92,
//! `ø` as 0xF8). Rather than reject those, [`decode`] picks the encoding, reports
//! which one it used and, for Windows-1252, where the first non-UTF-8 byte was.
//! Valid UTF-8 without a BOM, the common case, is borrowed without copying.

use std::borrow::Cow;

/// The encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// Decoded text with the encoding that was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
    /// first byte that was not valid UTF-8 (line, column), when Windows-1252 was used
    pub first_invalid: Option<(u32, u32)>,
}

/// Decodes file bytes: UTF-8 (BOM stripped), UTF-16 (by BOM, or by the zero bytes
/// of ASCII text), else Windows-1252 for the bytes that are not valid UTF-8.
///
/// In the Windows-1252 case valid UTF-8 sequences are still read as UTF-8, so a
/// file with both kinds of text keeps both readable. Never fails.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8_or_1252(rest, Encoding::Utf8Bom);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, Encoding::Utf16Be);
    }
    match bytes {
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => utf16(bytes, Encoding::Utf16Le),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => utf16(bytes, Encoding::Utf16Be),
        _ => utf8_or_1252(bytes, Encoding::Utf8),
    }
}

/// `decode`, taking the bytes: plain UTF-8 (the common case) becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Decoded<'static> {
    let marked = bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF");
    let utf16 =
        matches!(bytes.as_slice(), [a, 0, b, 0, ..] | [0, a, 0, b, ..] if *a != 0 && *b != 0);
    let bytes = if marked || utf16 {
        bytes
    } else {
        match String::from_utf8(bytes) {
            Ok(text) => {
                return Decoded {
                    text: Cow::Owned(text),
                    encoding: Encoding::Utf8,
                    first_invalid: None,
                }
            }
            Err(e) => e.into_bytes(),
        }
    };
    let d = decode(&bytes);
    Decoded {
        text: Cow::Owned(d.text.into_owned()),
        encoding: d.encoding,
        first_invalid: d.first_invalid,
    }
}

fn utf8_or_1252(bytes: &[u8], encoding: Encoding) -> Decoded<'_> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(text),
            encoding,
            first_invalid: None,
        };
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut first_invalid = None;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        let invalid = chunk.invalid();
        if first_invalid.is_none() && !invalid.is_empty() {
            first_invalid = Some(end_position(&text));
        }
        text.extend(invalid.iter().map(|&b| windows_1252(b)));
    }
    Decoded {
        text: Cow::Owned(text),
        encoding: Encoding::Windows1252,
        first_invalid,
    }
}

/// Line and column (1-based, in characters) just after the end of `text`.
fn end_position(text: &str) -> (u32, u32) {
    let (line_start, line) = match text.rfind('\n') {
        Some(i) => (i + 1, text.bytes().filter(|&b| b == b'\n').count() + 1),
        None => (0, 1),
    };
    let column = text.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

fn utf16(bytes: &[u8], encoding: Encoding) -> Decoded<'static> {
    let little = encoding == Encoding::Utf16Le;
    let pairs = bytes.chunks_exact(2);
    let odd = !pairs.remainder().is_empty();
    let units = pairs.map(|pair| match pair {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    let mut text: String = char::decode_utf16(units)
        .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if odd {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    Decoded {
        text: Cow::Owned(text),
        encoding,
        first_invalid: None,
    }
}

/// The Windows-1252 character for a byte; bytes it leaves undefined give U+FFFD.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{FFFD}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{FFFD}',
        '\u{017D}', '\u{FFFD}', '\u{FFFD}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}',
        '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}',
        '\u{0153}', '\u{FFFD}', '\u{017E}', '\u{0178}',
    ];
    match byte {
        0x80..=0x9F => HIGH
            .get(usize::from(byte - 0x80))
            .copied()
            .unwrap_or(char::REPLACEMENT_CHARACTER),
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_owned_agrees_with_decode() {
        let samples: [&[u8]; 7] = [
            b"{\"a\": \"plain\"}",
            b"\xEF\xBB\xBF{}",
            b"\xFF\xFE{\x00}\x00",
            b"{\x00}\x00\"\x00a\x00",
            b"caf\xE9 \x92quoted\x92",
            b"",
            "ø UTF-8 ✓".as_bytes(),
        ];
        for bytes in samples {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes), "{bytes:?}");
        }
    }

    #[test]
    fn valid_utf8_is_borrowed() {
        let bytes = "{\"a\": \"ø\"}".as_bytes();
        let decoded = decode(bytes);
        assert!(matches!(decoded.text, Cow::Borrowed(_)));
        assert_eq!(decoded.text, "{\"a\": \"ø\"}");
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert_eq!(decoded.first_invalid, None);
    }

    #[test]
    fn utf8_bom_is_stripped_and_borrowed() {
        let decoded = decode(b"\xEF\xBB\xBF{}");
        assert!(matches!(decoded.text, Cow::Borrowed("{}")));
        assert_eq!(decoded.encoding, Encoding::Utf8Bom);
        assert_eq!(decoded.first_invalid, None);
    }

    #[test]
    fn utf16_with_bom() {
        let decoded = decode(b"\xFF\xFE{\x00\"\x00\xF8\x00\"\x00}\x00");
        assert_eq!(decoded.text, "{\"ø\"}");
        assert_eq!(decoded.encoding, Encoding::Utf16Le);
        let decoded = decode(b"\xFE\xFF\x00[\xD8\x3D\xDE\x00\x00]");
        assert_eq!(decoded.text, "[\u{1F600}]");
        assert_eq!(decoded.encoding, Encoding::Utf16Be);
    }

    #[test]
    fn utf16_without_bom_and_damaged() {
        let decoded = decode(b"{\x00}\x00");
        assert_eq!(decoded.text, "{}");
        assert_eq!(decoded.encoding, Encoding::Utf16Le);
        // A lone surrogate and an odd trailing byte become U+FFFD.
        let decoded = decode(b"\xFF\xFE\x00\xD8[\x00\x01");
        assert_eq!(decoded.text, "\u{FFFD}[\u{FFFD}");
    }

    #[test]
    fn windows_1252_fallback() {
        let decoded =
            decode(b"{\n  \"t\": \"Br\xF8nn\xF8y \x92s \x81 \x80\",\n  \"u\": \"\xC3\xA9\"\n}");
        assert_eq!(
            decoded.text,
            "{\n  \"t\": \"Brønnøy ’s \u{FFFD} €\",\n  \"u\": \"é\"\n}"
        );
        assert_eq!(decoded.encoding, Encoding::Windows1252);
        assert_eq!(decoded.first_invalid, Some((2, 11)));
    }

    #[test]
    fn windows_1252_after_a_bom_and_multibyte_text() {
        let decoded = decode(b"\xEF\xBB\xBF\"\xC3\xA9\xAD\"");
        assert_eq!(decoded.text, "\"é\u{AD}\"");
        assert_eq!(decoded.encoding, Encoding::Windows1252);
        assert_eq!(decoded.first_invalid, Some((1, 3)));
    }

    #[test]
    fn windows_1252_table() {
        assert_eq!(windows_1252(0x92), '\u{2019}');
        assert_eq!(windows_1252(0x9F), '\u{0178}');
        assert_eq!(windows_1252(0x8D), '\u{FFFD}');
        assert_eq!(windows_1252(0xA0), '\u{A0}');
        assert_eq!(windows_1252(0xFF), 'ÿ');
    }

    #[test]
    fn any_bytes_decode() {
        for bytes in [
            &b""[..],
            b"\xFF",
            b"\xFE",
            b"\xEF\xBB",
            b"\x00\x00",
            b"\xF0\x9F\x98",
        ] {
            let _ = decode(bytes);
        }
        assert_eq!(decode(b"").text, "");
    }
}
