//! Text analysis shared by the tantivy index, the command line and the browser.
//!
//! The browser must find exactly what the command line finds, so analysis is deliberately
//! simple and written twice, line for line: here and in `themes/default/static/search.js`.
//! Lower-case; fold accented Latin letters with a table (built here from deunicode and
//! shipped to the browser in `search/lexicon.json`); split on anything that is not a letter
//! or digit; drop one-letter words and stop words; strip common English suffixes.
//! `tests/search_vectors.json` holds inputs and their terms; both sides are tested on it.

use foldhash::{HashMap, HashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Longest term kept (longer tokens are noise: ids, base64).
pub const MAX_TERM_CHARS: usize = 30;

#[derive(Deserialize)]
struct LexiconSource {
    stopwords: Vec<String>,
    synonyms: Vec<Vec<String>>,
}

/// The analysed lexicon, as written for the browser.
#[derive(Debug, Serialize)]
pub struct Lexicon {
    /// Accented letter → ASCII replacement.
    pub fold: BTreeMap<char, String>,
    pub stopwords: Vec<String>,
    /// Groups of stems that mean the same.
    pub synonyms: Vec<Vec<String>>,
    #[serde(skip)]
    stop_set: HashSet<String>,
    #[serde(skip)]
    synonym_of: HashMap<String, Vec<String>>,
}

pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(build_lexicon)
}

fn build_lexicon() -> Lexicon {
    let fold: BTreeMap<char, String> = ('\u{c0}'..='\u{24f}')
        .filter(|c| c.is_alphabetic())
        .filter_map(|c| {
            let ascii = deunicode::deunicode_char(c)?.to_lowercase();
            let lower: String = c.to_lowercase().collect();
            (ascii != lower
                && !ascii.is_empty()
                && ascii.chars().all(|a| a.is_ascii_alphanumeric()))
            .then_some((c, ascii))
        })
        .collect();
    let source: LexiconSource =
        serde_json::from_str(include_str!("lexicon.json")).unwrap_or(LexiconSource {
            stopwords: Vec::new(),
            synonyms: Vec::new(),
        });
    let stop_set: HashSet<String> = source.stopwords.iter().cloned().collect();
    let mut lex = Lexicon {
        fold,
        stopwords: source.stopwords,
        synonyms: Vec::new(),
        stop_set,
        synonym_of: HashMap::default(),
    };
    let groups: Vec<Vec<String>> = source
        .synonyms
        .iter()
        .map(|g| {
            let mut stems: Vec<String> = g.iter().flat_map(|w| lex.terms(w)).collect();
            stems.dedup();
            stems
        })
        .filter(|g| g.len() > 1)
        .collect();
    for group in &groups {
        for term in group {
            let others = group.iter().filter(|t| *t != term).cloned();
            lex.synonym_of
                .entry(term.clone())
                .or_default()
                .extend(others);
        }
    }
    lex.synonyms = groups;
    lex
}

impl Lexicon {
    /// The terms of a text, in order, repeats kept (for indexing).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.each_term(text, |t| out.push(t.to_string()));
        out
    }

    /// Calls `f` with each term of a text, in order, repeats kept: `terms` without a
    /// `String` per term (the search index analyses every text of the catalog).
    pub fn each_term(&self, text: &str, mut f: impl FnMut(&str)) {
        let mut word = String::new();
        let mut stemmed = Vec::new();
        for ch in text.chars() {
            // The fold table holds no ASCII: most text takes this branch, with no lookup.
            if ch.is_ascii() {
                if ch.is_ascii_alphanumeric() {
                    word.push(ch.to_ascii_lowercase());
                } else {
                    self.finish(&mut word, &mut stemmed, &mut f);
                }
                continue;
            }
            for lower in ch.to_lowercase() {
                if let Some(folded) = self.fold.get(&lower) {
                    word.push_str(folded);
                } else if lower.is_alphanumeric() {
                    word.push(lower);
                } else {
                    self.finish(&mut word, &mut stemmed, &mut f);
                }
            }
        }
        self.finish(&mut word, &mut stemmed, &mut f);
    }

    /// Hands the word on as a term (stemmed in `stemmed`) unless it is too short, too long or
    /// a stop word, and clears it.
    fn finish(&self, word: &mut String, stemmed: &mut Vec<u8>, f: &mut impl FnMut(&str)) {
        let n = if word.is_ascii() {
            word.len()
        } else {
            word.chars().count()
        };
        if (2..=MAX_TERM_CHARS).contains(&n) && !self.stop_set.contains(word.as_str()) {
            if word.is_ascii() {
                stemmed.clear();
                stemmed.extend_from_slice(word.as_bytes());
                stem_units(stemmed);
                // Only ASCII bytes were removed or pushed: still UTF-8.
                if let Ok(term) = std::str::from_utf8(stemmed) {
                    f(term);
                }
            } else {
                f(&stem(word));
            }
        }
        word.clear();
    }

    /// The distinct terms of a query, in order.
    pub fn query_terms(&self, text: &str) -> Vec<String> {
        let mut seen = HashSet::default();
        self.terms(text)
            .into_iter()
            .filter(|t| seen.insert(t.clone()))
            .collect()
    }

    pub fn synonyms(&self, term: &str) -> &[String] {
        self.synonym_of.get(term).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// A light English stemmer: plural, `-ing`, `-ed`, final `e`. Works on chars so the browser
/// (on code points) gets the same result; ASCII words (nearly all) are stemmed as bytes,
/// without collecting chars.
pub fn stem(word: &str) -> String {
    if word.is_ascii() {
        let mut w = word.as_bytes().to_vec();
        stem_units(&mut w);
        // Only ASCII bytes were removed or pushed, so the bytes are still UTF-8.
        return String::from_utf8(w).unwrap_or_else(|_| word.to_string());
    }
    let mut w: Vec<char> = word.chars().collect();
    stem_units(&mut w);
    w.into_iter().collect()
}

/// A letter of a word being stemmed: a byte of an ASCII word, or a char.
trait Unit: Copy + PartialEq {
    fn ascii(b: u8) -> Self;
    fn is_letter(self) -> bool;
}

impl Unit for u8 {
    fn ascii(b: u8) -> u8 {
        b
    }
    fn is_letter(self) -> bool {
        self.is_ascii_alphabetic()
    }
}

impl Unit for char {
    fn ascii(b: u8) -> char {
        char::from(b)
    }
    fn is_letter(self) -> bool {
        self.is_alphabetic()
    }
}

fn stem_units<T: Unit>(w: &mut Vec<T>) {
    if w.len() <= 3 {
        return;
    }
    if ends(w, "ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push(T::ascii(b'y'));
    } else if ends(w, "sses") {
        w.truncate(w.len() - 2);
    } else if ends(w, "s") && !ends(w, "ss") && !ends(w, "us") && !ends(w, "is") {
        w.truncate(w.len() - 1);
    }
    if ends(w, "ing") && w.len() >= 6 {
        w.truncate(w.len() - 3);
        undouble(w);
    } else if ends(w, "ed") && w.len() >= 5 {
        w.truncate(w.len() - 2);
        undouble(w);
    }
    if ends(w, "e") && w.len() > 4 {
        w.truncate(w.len() - 1);
    }
}

/// Does `w` end with the ASCII `suffix`?
fn ends<T: Unit>(w: &[T], suffix: &str) -> bool {
    let s = suffix.as_bytes();
    w.len() >= s.len()
        && w[w.len() - s.len()..]
            .iter()
            .zip(s)
            .all(|(a, &b)| *a == T::ascii(b))
}

/// `stopp` → `stop`, but `bill`, `pass`, `buzz` stay.
fn undouble<T: Unit>(w: &mut Vec<T>) {
    let n = w.len();
    if n >= 2
        && w[n - 1] == w[n - 2]
        && ![b'l', b's', b'z'].iter().any(|&b| w[n - 1] == T::ascii(b))
        && w[n - 1].is_letter()
    {
        w.pop();
    }
}

/// Splits `SendSMSMessageV2` into `Send SMS Message V2` so operation ids are searchable.
pub fn split_identifier(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::with_capacity(id.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if c.is_uppercase() => {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || next.is_some_and(char::is_lowercase) && p.is_uppercase()
            }
            Some(p) if c.is_ascii_digit() => p.is_alphabetic(),
            _ => false,
        };
        if boundary {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_fold_plurals_and_verb_forms_together() {
        for (a, b) in [
            ("messages", "message"),
            ("sending", "send"),
            ("created", "create"),
            ("companies", "company"),
            ("texting", "text"),
            ("stopped", "stop"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_eq!(stem("billing"), "bill");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("sms"), "sms");
    }

    #[test]
    fn terms_lowercase_fold_split_and_drop_stop_words() {
        let lex = lexicon();
        assert_eq!(
            lex.terms("Send a TEXT-message to Brønnøysund!"),
            ["send", "text", "messag", "bronnoysund"]
        );
        assert_eq!(lex.terms("Straße café"), ["strass", "cafe"]);
    }

    #[test]
    fn synonyms_are_analysed_groups() {
        let lex = lexicon();
        assert!(lex.synonyms("sms").contains(&"text".to_string()));
        assert!(lex.synonyms("signatur").contains(&"sign".to_string()));
    }

    #[test]
    fn identifiers_split_at_case_changes() {
        assert_eq!(split_identifier("SendSMSMessageV2"), "Send SMS Message V 2");
        assert_eq!(split_identifier("getItems"), "get Items");
    }

    #[test]
    fn shared_vectors_hold() {
        let vectors: Vec<(String, Vec<String>)> =
            serde_json::from_str(include_str!("../../tests/search_vectors.json")).expect("vectors");
        for (input, terms) in vectors {
            assert_eq!(lexicon().terms(&input), terms, "{input}");
        }
    }
}
