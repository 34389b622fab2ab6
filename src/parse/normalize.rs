//! Normalisation of metadata that the source spells inconsistently.
//!
//! "Privacy policy" / "Privacy Policy" / "WebSite", "productivity" / "Productivity",
//! "SetHeader" / "setheader", "production" / "Production": one spelling each for display
//! and facets. The linter still sees the original spelling in the raw files.

use crate::model::Status;

/// The 19 categories the platform accepts.
pub const CATEGORIES: [&str; 19] = [
    "AI",
    "Business Intelligence",
    "Business Management",
    "Collaboration",
    "Commerce",
    "Communication",
    "Content and Files",
    "Data",
    "Finance",
    "Human Resources",
    "Internet of Things",
    "IT Operations",
    "Lifestyle and Entertainment",
    "Marketing",
    "Productivity",
    "Sales and CRM",
    "Security",
    "Social Media",
    "Website",
];

/// The 13 documented policy templates.
pub const POLICY_TEMPLATES: [&str; 13] = [
    "convertarraytoobject",
    "convertobjecttoarray",
    "dynamichosturl",
    "encodepropertyvalue",
    "pollingtrigger",
    "routerequesttoendpoint",
    "setheader",
    "setproperty",
    "setqueryparameter",
    "setvaluefromurl",
    "stringreplace",
    "stringtoarray",
    "updatenextlink",
];

/// Compare key: lower-case letters and digits only.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Splits a `Categories` value (`"Productivity;Data"`) and maps each to its canonical name.
pub fn categories(value: &str) -> Vec<String> {
    let mut out: Vec<String> = value
        .split([';', ','])
        .map(canonical_category)
        .filter(|c| !c.is_empty())
        .collect();
    let mut seen = foldhash::HashSet::default();
    out.retain(|c| seen.insert(c.clone()));
    out
}

/// The canonical spelling of a category, or the input with its spaces collapsed when it is
/// not one of the 19. A `|` becomes a space too: it separates categories where the site lists
/// them (`data-category`), and a name holding one could never match its own filter.
pub fn canonical_category(name: &str) -> String {
    let key = fold(name);
    CATEGORIES
        .iter()
        .find(|c| fold(c) == key)
        .map(|c| c.to_string())
        .unwrap_or_else(|| {
            name.split(|c: char| c.is_whitespace() || c == '|')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
}

/// Which `x-ms-connector-metadata` property a name means, whatever its spelling.
#[derive(Debug, PartialEq, Eq)]
pub enum MetadataKey {
    Website,
    PrivacyPolicy,
    Categories,
    Other,
}

pub fn metadata_key(name: &str) -> MetadataKey {
    match fold(name).as_str() {
        "website" => MetadataKey::Website,
        "privacypolicy" => MetadataKey::PrivacyPolicy,
        "categories" | "category" => MetadataKey::Categories,
        _ => MetadataKey::Other,
    }
}

pub fn status(value: &str) -> Status {
    match value.trim().to_ascii_lowercase().as_str() {
        "preview" => Status::Preview,
        "production" => Status::Production,
        _ => Status::Other(value.to_string()),
    }
}

pub fn policy_id(id: &str) -> String {
    id.trim().to_ascii_lowercase()
}

/// Trims text and turns empty strings into `None`.
pub fn clean(s: Option<String>) -> Option<String> {
    s.and_then(|s| {
        let t = s.trim();
        if t.is_empty() {
            None
        } else if t.len() == s.len() {
            Some(s)
        } else {
            Some(t.to_string())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_split_and_canonicalised() {
        assert_eq!(
            categories("productivity; Sales and crm;;Productivity"),
            ["Productivity", "Sales and CRM"]
        );
        assert_eq!(categories("IT  Operations"), ["IT Operations"]);
        assert_eq!(categories("Weather"), ["Weather"]);
        assert_eq!(categories("Odd|Name; |"), ["Odd Name"]);
    }

    #[test]
    fn metadata_names_in_any_spelling() {
        assert_eq!(metadata_key("Privacy policy"), MetadataKey::PrivacyPolicy);
        assert_eq!(metadata_key("Privacy Policy"), MetadataKey::PrivacyPolicy);
        assert_eq!(metadata_key("WebSite"), MetadataKey::Website);
        assert_eq!(metadata_key("Categories"), MetadataKey::Categories);
        assert_eq!(metadata_key("Owner"), MetadataKey::Other);
    }

    #[test]
    fn status_and_policy_casing() {
        assert_eq!(status("production"), Status::Production);
        assert_eq!(status("Preview"), Status::Preview);
        assert_eq!(status("beta"), Status::Other("beta".into()));
        assert_eq!(policy_id("SetHeader"), "setheader");
    }

    #[test]
    fn clean_trims_and_drops_empty() {
        assert_eq!(clean(Some("  x ".into())), Some("x".into()));
        assert_eq!(clean(Some("   ".into())), None);
    }
}
