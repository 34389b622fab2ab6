//! The rule registry: every rule the linter knows, with its default severity, a short title and
//! the help shown with its findings.
//!
//! One table, so that the command line, `site.toml` validation (unknown ids are rejected), the
//! SARIF `rules` array and the summary all agree on what a rule id means. Ids follow SPEC §6;
//! a few extra ids name findings that the parser makes (F000, P010, R003) and the overlap
//! check (X001, X002), so they can be turned off or re-levelled like any other.

use crate::problem::Severity;

/// The family a rule belongs to (the letter of its id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Files,
    Metadata,
    Operations,
    Versioning,
    Parameters,
    Triggers,
    Connection,
    Readme,
    Overlap,
}

/// One rule: its id, default severity, a short title and the help shown with its findings.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub help: &'static str,
}

impl Rule {
    pub fn family(&self) -> Family {
        match self.id.as_bytes().first() {
            Some(b'F') => Family::Files,
            Some(b'M') => Family::Metadata,
            Some(b'O') => Family::Operations,
            Some(b'V') => Family::Versioning,
            Some(b'P') => Family::Parameters,
            Some(b'T') => Family::Triggers,
            Some(b'C') => Family::Connection,
            Some(b'R') => Family::Readme,
            _ => Family::Overlap,
        }
    }

    /// A PascalCase name made from the title (SARIF `reportingDescriptor.name`).
    pub fn name(&self) -> String {
        self.title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut cs = w.chars();
                match cs.next() {
                    Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                    None => String::new(),
                }
            })
            .collect()
    }
}

use Severity::{Error as E, Info as I, Warning as W};

const fn rule(
    id: &'static str,
    severity: Severity,
    title: &'static str,
    help: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        title,
        help,
    }
}

/// Every rule, in id order within each family.
pub static RULES: &[Rule] = &[
    rule("F000", E, "folder readable", "check the folder's permissions, or repair the repository"),
    rule("F001", E, "definition file named apiDefinition.swagger.json",
        "name the definition exactly `apiDefinition.swagger.json` (the platform's tooling looks for that name)"),
    rule("F002", E, "definition is strict UTF-8 JSON",
        "save the file as UTF-8 without a byte-order mark and fix the JSON at the place shown"),
    rule("F003", E, "apiProperties.json present and valid",
        "add a strict-JSON `apiProperties.json` with publisher, stackOwner and connection parameters"),
    rule("F004", E, "readme present",
        "add a `readme.md` with the sections Publisher, Prerequisites, Supported Operations, Obtaining Credentials, Known Issues and Limitations"),
    rule("F005", W, "definition under 1 MB",
        "split the connector or trim unused schemas; large definitions are slow in the designer"),
    rule("F006", E, "independent publisher ships no icon.png",
        "remove `icon.png`: independent publisher connectors all get the standard independent-publisher icon (on brand colour #da3b01)"),
    rule("F007", E, "at most 256 operations",
        "split the connector: the platform accepts at most 256 operations"),
    rule("F008", W, "plain files with distinct names",
        "replace symbolic links with the files themselves, and give files names that differ in more than case"),
    rule("M001", E, "title is short, plain and ends alphanumeric",
        "keep `info.title` to 30 characters, without \"API\", \"Connector\" or product names, ending in a letter or digit"),
    rule("M002", E, "description is 30 to 500 characters",
        "write an `info.description` of 30–500 characters that says what the service does (not the title again)"),
    rule("M003", E, "contact has name, url and email",
        "give `info.contact` a `name`, a `url` and a valid `email`"),
    rule("M004", E, "connector metadata names Website, Privacy policy, Categories",
        "`x-ms-connector-metadata` lists exactly `Website`, `Privacy policy` and `Categories`, spelled so"),
    rule("M005", E, "categories from the list of 19, at most 2",
        "use one or two of: AI, Business Intelligence, Business Management, Collaboration, Commerce, Communication, Content and Files, Data, Finance, Human Resources, Internet of Things, IT Operations, Lifestyle and Entertainment, Marketing, Productivity, Sales and CRM, Security, Social Media, Website"),
    rule("M006", E, "publisher and stackOwner present",
        "set `publisher` and `stackOwner` under `properties` in apiProperties.json"),
    rule("M007", E, "brand colour fits the tier",
        "independent publishers use `#da3b01`; certified connectors use their own colour (not `#007ee5`, `#ffffff` or empty)"),
    rule("M008", E, "host, schemes and basePath are well formed",
        "`host` is a bare host name (no scheme, no path), `schemes` lists `https`, `basePath` starts with `/`"),
    rule("M009", W, "annotation status is Preview or Production",
        "set `x-ms-api-annotation.status` to `Preview` or `Production`"),
    rule("O001", E, "operationId present and unique",
        "give every operation a unique `operationId`"),
    rule("O002", W, "operationId alphanumeric",
        "use only letters and digits in `operationId` (e.g. `GetItemV2`)"),
    rule("O003", E, "summary present and short",
        "write a `summary` of at most 80 characters, without `/`, ending in a letter or digit"),
    rule("O004", W, "description present and distinct",
        "write a `description` sentence, ending in punctuation, that says more than the summary"),
    rule("O005", E, "success response has a schema",
        "give a 2xx response a `schema` (or `x-ms-dynamic-schema`) so makers can use the output"),
    rule("O006", E, "no schema on the default response",
        "remove the `schema` from the `default` response; describe errors in the description"),
    rule("O007", W, "only one response with a schema",
        "keep the schema on the one success response the designer uses"),
    rule("O008", E, "GET has no body",
        "move the value to a query or path parameter, or use POST"),
    rule("O009", E, "paths are plain and unique",
        "remove `?`, `#` and `*` from the path (use query parameters) and keep paths unique ignoring case"),
    rule("O010", W, "operation-level x-ms-summary is ignored",
        "use `summary` on operations; `x-ms-summary` is for parameters and properties"),
    rule("O011", W, "unknown or misspelt x-ms-* key",
        "fix the spelling of the extension, or remove it: the platform ignores unknown `x-ms-*` keys"),
    rule("O012", E, "visibility is important, advanced or internal",
        "set `x-ms-visibility` to `important`, `advanced` or `internal` (or leave it out)"),
    rule("O013", E, "nextLinkName is nextLink or @odata.nextLink",
        "set `x-ms-pageable.nextLinkName` to `nextLink` or `@odata.nextLink`"),
    rule("V001", W, "deprecated operations say so",
        "add \"(deprecated)\" to the summary and description of a deprecated operation"),
    rule("V002", W, "an operation that says deprecated is deprecated",
        "set `deprecated: true` on the operation, or remove \"deprecated\" from its summary"),
    rule("V003", E, "families have unique revisions and at most 2 active operations",
        "give each revision of a family its own `revision` number and deprecate older ones"),
    rule("V004", E, "replacement only on deprecated operations, complete",
        "set `replacement` (with `api` and `operationId`) only on deprecated operations"),
    rule("V005", E, "no Production operation in a Preview connector",
        "mark the operation `Preview` too, or release the connector as `Production`"),
    rule("V007", E, "status casing",
        "write the status exactly `Preview` or `Production`"),
    rule("V008", W, "no breaking change against the previous revision",
        "keep the old operation (deprecated) beside a new revision instead of changing it"),
    rule("P001", E, "path parameters are required and in the template",
        "declare each `{name}` of the path as a required `in: path` parameter, and no others"),
    rule("P002", W, "path parameter has x-ms-url-encoding",
        "add `\"x-ms-url-encoding\": \"single\"` (or `double`) to path parameters"),
    rule("P003", E, "query parameter has no x-ms-url-encoding",
        "remove `x-ms-url-encoding` from query parameters: it applies to path parameters only"),
    rule("P004", E, "internal required parameter has a default",
        "give an internal required parameter a `default`: makers cannot fill it in"),
    rule("P005", W, "parameters have x-ms-summary and a description",
        "give each parameter an `x-ms-summary` (its display name) and a `description` that says more"),
    rule("P006", E, "no connectionId parameter, no duplicates, one body",
        "remove `connectionId` parameters and duplicates; an operation takes at most one body parameter"),
    rule("P008", E, "dynamic references name an existing operation",
        "point `x-ms-dynamic-*` at an `operationId` defined in this connector"),
    rule("P009", E, "enum values match the type",
        "make `enum` values match the `type`, and every `x-ms-enum-values` value one of `enum`"),
    rule("P010", E, "$ref resolves", "point `$ref` at an entry that exists in the definition"),
    rule("P011", W, "shared entries are not copied past the model's budget",
        "keep shared parameters' and responses' texts short; put schemas in `definitions` (kept once, not copied)"),
    rule("T001", E, "webhook trigger has an internal, required notification URL",
        "add a required, internal string parameter (or body property) with `x-ms-notification-url: true`"),
    rule("T003", I, "trigger summary starts with When",
        "start a trigger's summary with \"When\" (e.g. \"When a task is created\")"),
    rule("C001", W, "connection parameters have display name, description, required",
        "give each connection parameter `uiDefinition.displayName`, `description` and `constraints.required`"),
    rule("C002", W, "policy template ids are lower-case and known",
        "use one of the 13 documented policy template ids, in lower case"),
    rule("C005", W, "security definitions agree with connection parameters",
        "match `securityDefinitions` with connection parameters (oauth2 ↔ oauthSetting, apiKey/basic ↔ securestring)"),
    rule("R001", W, "readme has the required sections",
        "add the sections Publisher, Prerequisites, Supported Operations, Obtaining Credentials, Known Issues and Limitations (certified: also Deployment Instructions)"),
    rule("R002", I, "readme lists every operation",
        "list each operation's summary under Supported Operations"),
    rule("R003", W, "readme is UTF-8", "save the readme as UTF-8"),
    rule("X001", I, "existing connector with the same host or stack owner",
        "check whether the existing connector already does the job before publishing a new one"),
    rule("X002", I, "existing connector with overlapping operations",
        "compare with the existing connector; extend it or explain the difference in your readme"),
];

/// The rule with this id.
pub fn lookup(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The known id closest to `id` (for "did you mean" in config errors).
pub fn closest(id: &str) -> Option<&'static str> {
    let upper = id.to_ascii_uppercase();
    RULES
        .iter()
        .map(|r| (crate::lint::spelling::distance(&upper, r.id), r.id))
        .filter(|(d, _)| *d <= 1)
        .min()
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sorted_within_families() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        let len = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), len);
        assert!(lookup("O011").is_some());
        assert!(lookup("V006").is_none());
    }

    #[test]
    fn names_are_pascal_case() {
        let r = lookup("O011").expect("O011");
        assert_eq!(r.name(), "UnknownOrMisspeltXMsKey");
        assert_eq!(closest("Q999"), None);
        assert_eq!(closest("o004"), Some("O004"));
        assert_eq!(closest("O0O4"), Some("O004"));
    }
}
