//! O011: unknown or misspelt `x-ms-*` keys, with a "did you mean".
//!
//! The platform silently ignores an extension it does not know, so `x-ms-visibilty` means the
//! parameter is not hidden and nobody notices. Every key of every object with Swagger meaning
//! (not names like property names or header names, not example data) that starts `x-ms` is
//! compared with the extensions the platform documents and the Microsoft generator extensions
//! that harmlessly appear in definitions (AutoRest, Graph); a near miss gets a suggestion.

use crate::lint::context::Findings;
use crate::lint::spelling;
use crate::lint::walk::Node;

/// Extensions the Power Platform reads (SPEC §5 and the platform documentation).
pub const PLATFORM: [&str; 33] = [
    "x-ms-api-annotation",
    "x-ms-apihub-cached-response",
    "x-ms-apihub-obo",
    "x-ms-capabilities",
    "x-ms-connector-metadata",
    "x-ms-deployment-version",
    "x-ms-dynamic-list",
    "x-ms-dynamic-properties",
    "x-ms-dynamic-schema",
    "x-ms-dynamic-tree",
    "x-ms-dynamic-values",
    "x-ms-editor",
    "x-ms-editor-options",
    "x-ms-enum-values",
    "x-ms-explicit-input",
    "x-ms-keywords",
    "x-ms-media-kind",
    "x-ms-no-generic-test",
    "x-ms-notification-content",
    "x-ms-notification-url",
    "x-ms-openai-data",
    "x-ms-openai-manifest",
    "x-ms-openai-published-to-copilots",
    "x-ms-operation-context",
    "x-ms-pageable",
    "x-ms-require-user-confirmation",
    "x-ms-summary",
    "x-ms-test-value",
    "x-ms-trigger",
    "x-ms-trigger-hint",
    "x-ms-trigger-metadata",
    "x-ms-url-encoding",
    "x-ms-visibility",
];

/// Extensions of Microsoft's generators (AutoRest, Graph) found in definitions; harmless.
pub const GENERATORS: [&str; 20] = [
    "x-ms-azure-resource",
    "x-ms-client-flatten",
    "x-ms-client-name",
    "x-ms-discriminator-value",
    "x-ms-docs-operation-type",
    "x-ms-enum",
    "x-ms-error-response",
    "x-ms-examples",
    "x-ms-external",
    "x-ms-identifiers",
    "x-ms-long-running-operation",
    "x-ms-long-running-operation-options",
    "x-ms-mutability",
    "x-ms-navigationProperty",
    "x-ms-odata",
    "x-ms-parameter-location",
    "x-ms-parameterized-host",
    "x-ms-paths",
    "x-ms-secret",
    "x-ms-skip-url-encoding",
];

/// Swagger keys that an `x-ms-` prefix was mistakenly put on.
const SWAGGER: [&str; 4] = ["description", "summary", "title", "default"];

/// O011 for one key of an object of the definition (called from the runner's shared walk).
pub fn visit_key(node: &Node, key: &str, out: &mut Findings) {
    let prefixed = key
        .as_bytes()
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"x-ms"));
    if !prefixed || is_known(key) {
        return;
    }
    {
        let at = node.at(key);
        match suggestion(key) {
            Some(known) => {
                out.def("O011", at, format!("misspelt extension `{key}`"))
                    .key()
                    .help(format!("did you mean `{known}`?"));
            }
            None => {
                out.def(
                    "O011",
                    at,
                    format!("unknown extension `{key}`: the platform ignores it"),
                )
                .key();
            }
        }
    }
}

/// Both lists are sorted (a test checks), so a lookup is a binary search.
fn is_known(key: &str) -> bool {
    PLATFORM.binary_search(&key).is_ok() || GENERATORS.binary_search(&key).is_ok()
}

/// The extension `key` was probably meant to be.
pub fn suggestion(key: &str) -> Option<String> {
    let folded: String = key
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect::<String>()
        .to_lowercase();
    let all: Vec<&str> = PLATFORM.iter().chain(GENERATORS.iter()).copied().collect();
    if let Some(exact) = all.iter().find(|k| k.to_lowercase() == folded) {
        return Some(exact.to_string());
    }
    let limit = if folded.len() >= 12 { 2 } else { 1 };
    if let Some(near) = spelling::closest(&folded, &all, limit) {
        return Some(near.to_string());
    }
    // `x-ms-summary title`: a known extension followed by stray words.
    let head: String = key
        .split(|c: char| c.is_whitespace() || c == ':')
        .next()
        .unwrap_or("")
        .to_lowercase();
    if let Some(prefix) = all.iter().find(|k| k.to_lowercase() == head) {
        return Some(prefix.to_string());
    }
    let bare = folded.strip_prefix("x-ms-")?;
    SWAGGER.iter().find(|k| **k == bare).map(|k| k.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::Case;
    use crate::model::Tier;
    use crate::problem::Severity;

    #[test]
    fn known_lists_are_sorted() {
        assert!(PLATFORM.windows(2).all(|w| w[0] < w[1]));
        assert!(GENERATORS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_known("x-ms-visibility") && is_known("x-ms-navigationProperty"));
    }

    #[test]
    fn suggestions_for_the_misspellings_of_the_corpus() {
        let cases = [
            ("x-ms-visibilty", "x-ms-visibility"),
            ("x-ms-visbility", "x-ms-visibility"),
            ("x-ms-visibiltiy", "x-ms-visibility"),
            ("x-ms-summmary", "x-ms-summary"),
            ("x-ms-sumamry", "x-ms-summary"),
            ("x-ms-summary title", "x-ms-summary"),
            ("x-ms  -summary", "x-ms-summary"),
            ("x-ms-summary:", "x-ms-summary"),
            ("x-ms-enum-value", "x-ms-enum-values"),
            ("x-ms-api-annotations", "x-ms-api-annotation"),
            ("X-MS-Visibility", "x-ms-visibility"),
            ("x-ms-description", "description"),
        ];
        for (key, want) in cases {
            assert_eq!(suggestion(key).as_deref(), Some(want), "{key}");
        }
        assert_eq!(suggestion("x-ms-frobnicate"), None);
    }

    const FAIL: &str = r#"{
  "swagger": "2.0",
  "paths": {
    "/items": {
      "get": {
        "operationId": "ListItems",
        "parameters": [
          {"name": "top", "in": "query", "type": "integer", "x-ms-visibilty": "advanced"}
        ],
        "x-ms-frobnicate": true,
        "responses": {"200": {"description": "OK", "headers": {"x-ms-request-id": {"type": "string"}}}}
      }
    }
  },
  "definitions": {"Item": {"properties": {"x-ms-name": {"type": "string", "example": {"x-ms-data": 1}}}}}
}"#;

    #[test]
    fn o011_misspelt_and_unknown_keys() {
        let got = Case::new(Tier::Certified).definition(FAIL).run();
        let hit = got.expect_at("O011", Severity::Warning, FAIL, "\"x-ms-visibilty\"");
        assert_eq!(hit.help.as_deref(), Some("did you mean `x-ms-visibility`?"));
        assert_eq!(
            hit.pointer.as_deref(),
            Some("/paths/~1items/get/parameters/0/x-ms-visibilty")
        );
        got.expect_at("O011", Severity::Warning, FAIL, "\"x-ms-frobnicate\"");
        assert_eq!(
            got.count("O011"),
            2,
            "names and example data are not extensions"
        );
    }

    #[test]
    fn o011_passes_known_extensions() {
        let ok = FAIL
            .replace("x-ms-visibilty", "x-ms-visibility")
            .replace("\"x-ms-frobnicate\": true,", "\"x-ms-enum\": {},");
        Case::new(Tier::Certified)
            .definition(&ok)
            .run()
            .none("O011");
    }
}
