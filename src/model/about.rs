//! What a connector says about itself, packed: its title, description, version and status,
//! keywords, categories, host, publisher, stack owner and brand colour.
//!
//! Every connector holds these for the whole build (the lists, similar connectors, exports
//! and feeds read them). As `Info`, `Metadata` and four `Option<String>`s they took 240
//! bytes of struct and a dozen small allocations a connector (a string each, a list of
//! strings each for the keywords and categories): at 10× the real repository, 3.6 MB of live
//! heap and more of RSS in the allocator's headers. Here they are one string followed by
//! where each text ends: 32 bytes and one allocation. `Info` and `Metadata` stay the types
//! the conversion fills and the export reads back (`AboutParts`).
//!
//! A spilled build keeps the description, version and keywords on disk too (`Aside`): only
//! the connector's own page, its exports and its search documents read them, and the
//! descriptions alone are 206 bytes a connector on average.

use super::{index32, Info, Metadata, Status};
use serde::{Deserialize, Serialize};

/// The texts of `AboutParts`, packed (`About::pack`; `About::parts` unpacks them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct About {
    /// Every text, one after the other (the `Single` ones in their order, then the
    /// keywords, then the categories), then where each text ends (each begins where the one
    /// before it ends): two bytes each while the texts add up to less than 64 KiB (nearly
    /// always), else four (`wide`). One allocation: the ends in a list of their own took
    /// another, of 48 bytes or more, in every connector.
    packed: Box<[u8]>,
    /// Where the texts end in `packed`, and their ends begin.
    text_len: u32,
    /// How many of the lists' texts are keywords (the rest are categories).
    keywords: u32,
    /// Which `Single` texts are given (one bit each): none and an empty one are told apart.
    given: u8,
    status: StatusKind,
    /// Whether `Aside` texts were taken away (`set_aside`).
    aside: bool,
}

/// The texts a spill keeps on disk (`About::set_aside`, `About::put_back`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aside {
    pub description: Option<String>,
    pub version: Option<String>,
    pub keywords: Vec<String>,
}

/// The texts of which a connector has at most one, in their place in `About::text`.
#[derive(Debug, Clone, Copy)]
enum Single {
    Title,
    Description,
    Version,
    /// A status other than preview or production, as written.
    OtherStatus,
    Host,
    Publisher,
    StackOwner,
    BrandColor,
}

const SINGLES: usize = 8;
// `About::given` has one bit for each.
const _: () = assert!(SINGLES <= u8::BITS as usize);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum StatusKind {
    #[default]
    None,
    Preview,
    Production,
    /// Its text is `Single::OtherStatus`.
    Other,
}

/// `About` unpacked: what the conversion fills, and what a test changes (`About::edit`).
#[derive(Debug, Clone, Default)]
pub struct AboutParts {
    pub info: Info,
    pub metadata: Metadata,
    pub host: Option<String>,
    pub publisher: Option<String>,
    pub stack_owner: Option<String>,
    pub brand_color: Option<String>,
}

impl About {
    pub fn pack(parts: AboutParts) -> About {
        let AboutParts {
            info,
            metadata,
            host,
            publisher,
            stack_owner,
            brand_color,
        } = parts;
        let (status, other) = match info.status {
            None => (StatusKind::None, None),
            Some(Status::Preview) => (StatusKind::Preview, None),
            Some(Status::Production) => (StatusKind::Production, None),
            Some(Status::Other(s)) => (StatusKind::Other, Some(s)),
        };
        let singles: [Option<String>; SINGLES] = [
            info.title,
            info.description,
            info.version,
            other,
            host,
            publisher,
            stack_owner,
            brand_color,
        ];
        let lists = info.keywords.iter().chain(&metadata.categories);
        let texts = singles.iter().map(|s| s.as_deref().unwrap_or(""));
        let texts: Vec<&str> = texts.chain(lists.map(String::as_str)).collect();
        let text_len: usize = texts.iter().map(|t| t.len()).sum();
        let wide = text_len > usize::from(u16::MAX);
        let width = if wide { 4 } else { 2 };
        let mut packed = Vec::with_capacity(text_len + width * texts.len());
        texts
            .iter()
            .for_each(|t| packed.extend_from_slice(t.as_bytes()));
        let mut end = 0;
        for t in &texts {
            end += t.len();
            match wide {
                true => packed.extend_from_slice(&index32(end).to_le_bytes()),
                false => packed.extend_from_slice(&(end as u16).to_le_bytes()),
            }
        }
        let given = singles.iter().enumerate().filter(|(_, s)| s.is_some());
        About {
            given: given.fold(0, |bits, (i, _)| bits | 1 << i),
            packed: packed.into_boxed_slice(),
            text_len: index32(text_len),
            keywords: index32(info.keywords.len()),
            status,
            aside: false,
        }
    }

    /// Takes the description, version and keywords away (a spill keeps them on disk):
    /// `description`, `version` and `keywords` find none until `put_back`.
    pub fn set_aside(&mut self) -> Aside {
        let mut parts = self.parts();
        let info = &mut parts.info;
        let aside = Aside {
            description: info.description.take(),
            version: info.version.take(),
            keywords: std::mem::take(&mut info.keywords),
        };
        *self = About::pack(parts);
        self.aside = true;
        aside
    }

    /// The texts `set_aside` took, back in their place.
    pub fn put_back(&mut self, aside: Aside) {
        self.edit(|p| {
            p.info.description = aside.description;
            p.info.version = aside.version;
            p.info.keywords = aside.keywords;
        });
        self.aside = false;
    }

    /// Whether its description, version and keywords were set aside (`set_aside`).
    pub fn is_aside(&self) -> bool {
        self.aside
    }

    /// The texts unpacked again.
    pub fn parts(&self) -> AboutParts {
        let owned = |s: Single| self.single(s).map(str::to_string);
        AboutParts {
            info: Info {
                title: owned(Single::Title),
                description: owned(Single::Description),
                version: owned(Single::Version),
                status: self.status(),
                keywords: self.keywords().map(str::to_string).collect(),
            },
            metadata: Metadata {
                categories: self.categories().map(str::to_string).collect(),
            },
            host: owned(Single::Host),
            publisher: owned(Single::Publisher),
            stack_owner: owned(Single::StackOwner),
            brand_color: owned(Single::BrandColor),
        }
    }

    /// Changes some of the texts (packs them again; what was set aside stays so).
    pub fn edit(&mut self, change: impl FnOnce(&mut AboutParts)) {
        let mut parts = self.parts();
        change(&mut parts);
        let aside = self.aside;
        *self = About::pack(parts);
        self.aside = aside;
    }

    /// How many texts it holds.
    fn count(&self) -> usize {
        let ends = self.packed.len().saturating_sub(self.text_len as usize);
        ends / self.width()
    }

    /// Whether the ends take four bytes each: the texts add up to 64 KiB or more.
    fn wide(&self) -> bool {
        self.text_len > u32::from(u16::MAX)
    }

    fn width(&self) -> usize {
        if self.wide() {
            4
        } else {
            2
        }
    }

    /// Where the `i`th text ends.
    fn end(&self, i: usize) -> Option<usize> {
        let at = self.text_len as usize + i * self.width();
        let bytes = self.packed.get(at..at + self.width())?;
        Some(match *bytes {
            [a, b] => usize::from(u16::from_le_bytes([a, b])),
            [a, b, c, d] => u32::from_le_bytes([a, b, c, d]) as usize,
            _ => return None,
        })
    }

    /// The `i`th text (an empty one past the end, which `pack` never leaves). The texts
    /// were whole `str`s, so a slice between two ends is always UTF-8.
    fn nth(&self, i: usize) -> &str {
        let start = i.checked_sub(1).and_then(|b| self.end(b)).unwrap_or(0);
        let end = self.end(i).unwrap_or(start);
        let bytes = self.packed.get(start..end).unwrap_or_default();
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    fn single(&self, s: Single) -> Option<&str> {
        let i = s as usize;
        (self.given & (1 << i) != 0).then(|| self.nth(i))
    }

    pub fn title(&self) -> Option<&str> {
        self.single(Single::Title)
    }

    /// None while set aside (`set_aside`).
    pub fn description(&self) -> Option<&str> {
        self.single(Single::Description)
    }

    pub fn version(&self) -> Option<&str> {
        self.single(Single::Version)
    }

    pub fn status(&self) -> Option<Status> {
        match self.status {
            StatusKind::None => None,
            StatusKind::Preview => Some(Status::Preview),
            StatusKind::Production => Some(Status::Production),
            StatusKind::Other => {
                let text = self.single(Single::OtherStatus).unwrap_or_default();
                Some(Status::Other(text.to_string()))
            }
        }
    }

    pub fn is_preview(&self) -> bool {
        self.status == StatusKind::Preview
    }

    pub fn host(&self) -> Option<&str> {
        self.single(Single::Host)
    }

    pub fn publisher(&self) -> Option<&str> {
        self.single(Single::Publisher)
    }

    pub fn stack_owner(&self) -> Option<&str> {
        self.single(Single::StackOwner)
    }

    pub fn brand_color(&self) -> Option<&str> {
        self.single(Single::BrandColor)
    }

    pub fn keywords(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        (SINGLES..SINGLES + self.keywords as usize).map(|i| self.nth(i))
    }

    /// Canonical category names (one of the 19) where recognised, else as written.
    pub fn categories(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        let first = SINGLES + self.keywords as usize;
        (first..self.count().max(first)).map(|i| self.nth(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> AboutParts {
        AboutParts {
            info: Info {
                title: Some("Brønnøy <b>".into()),
                description: Some(String::new()),
                version: None,
                status: Some(Status::Other("Beta".into())),
                keywords: vec!["pdf".into(), String::new(), "sign".into()],
            },
            metadata: Metadata {
                categories: vec!["AI".into(), "Data".into()],
            },
            host: Some("api.example.com".into()),
            publisher: None,
            stack_owner: Some("Contoso".into()),
            brand_color: Some("#ffffff".into()),
        }
    }

    fn texts(a: &About) -> Vec<Option<String>> {
        let own = |s: Option<&str>| s.map(str::to_string);
        vec![
            own(a.title()),
            own(a.description()),
            own(a.version()),
            own(a.host()),
            own(a.publisher()),
            own(a.stack_owner()),
            own(a.brand_color()),
        ]
    }

    #[test]
    fn packed_texts_read_back_as_given_with_none_and_empty_told_apart() {
        let a = About::pack(parts());
        let given = |s: &str| Some(s.to_string());
        let expected = vec![
            given("Brønnøy <b>"),
            given(""),
            None,
            given("api.example.com"),
            None,
            given("Contoso"),
            given("#ffffff"),
        ];
        assert_eq!(texts(&a), expected);
        assert_eq!(a.status(), Some(Status::Other("Beta".into())));
        assert!(!a.is_preview());
        assert_eq!(a.keywords().collect::<Vec<_>>(), ["pdf", "", "sign"]);
        assert_eq!(a.categories().collect::<Vec<_>>(), ["AI", "Data"]);
    }

    #[test]
    fn texts_over_64_kib_read_back_whole() {
        let long = "é".repeat(40_000);
        let mut p = parts();
        p.info.description = Some(long.clone());
        p.metadata.categories.push(long.clone());
        let a = About::pack(p);
        assert!(a.wide(), "80,000 bytes of text need four-byte ends");
        assert_eq!(a.description(), Some(long.as_str()));
        assert_eq!(a.categories().last(), Some(long.as_str()));
        assert_eq!(a.title(), Some("Brønnøy <b>"));
        assert_eq!(a.keywords().collect::<Vec<_>>(), ["pdf", "", "sign"]);
        let short = About::pack(parts());
        assert!(!short.wide());
        assert_eq!(texts(&short)[0].as_deref(), Some("Brønnøy <b>"));
    }

    #[test]
    fn nothing_packed_reads_as_nothing() {
        for a in [About::default(), About::pack(AboutParts::default())] {
            assert!(texts(&a).iter().all(Option::is_none));
            assert_eq!(a.status(), None);
            assert_eq!(a.keywords().len() + a.categories().len(), 0);
        }
    }

    #[test]
    fn an_edit_changes_only_what_it_names() {
        let mut a = About::pack(parts());
        a.edit(|p| {
            p.publisher = Some("Fabrikam".into());
            p.info.status = Some(Status::Preview);
            p.metadata.categories.push("Sales".into());
        });
        assert_eq!(a.publisher(), Some("Fabrikam"));
        assert_eq!(a.title(), Some("Brønnøy <b>"));
        assert!(a.is_preview());
        assert_eq!(a.keywords().count(), 3);
        assert_eq!(a.categories().collect::<Vec<_>>(), ["AI", "Data", "Sales"]);
        let again = About::pack(a.parts());
        assert_eq!(again, a);
    }

    #[test]
    fn texts_set_aside_come_back_in_their_place() {
        let whole = About::pack(parts());
        let mut a = whole.clone();
        let aside = a.set_aside();
        assert!(a.is_aside());
        assert_eq!((a.description(), a.version()), (None, None));
        assert_eq!(a.keywords().len(), 0);
        assert_eq!(a.title(), Some("Brønnøy <b>"));
        assert_eq!(a.categories().count(), 2);
        assert_eq!(aside.description.as_deref(), Some(""));
        assert_eq!(aside.keywords, ["pdf", "", "sign"]);
        a.edit(|p| p.host = Some("api.example.com".into()));
        assert!(a.is_aside(), "an edit keeps them aside");
        a.put_back(aside);
        assert!(!a.is_aside());
        assert_eq!(a, whole);
    }
}
