//! A connector: its summary, held for the whole build, and its details, held apart.
//!
//! The summary is what the catalog-wide stages read (lists, similar connectors, exports,
//! feeds). The details (operations, definitions, security and connection settings, policies,
//! capabilities, contact and links, readme, intro, the linter's findings) are what only the
//! connector's own page, its export, its search documents and its changelog read. They sit
//! behind one pointer, so that a spilled build, which keeps them on disk (`spill`), holds 8
//! bytes for them rather than fifteen empty fields (408 bytes a connector). At 10× the real
//! repository, that took 2.9 MB off the live heap's peak for the first twelve fields and
//! 1.2 MB more for the contact and links. The summary's texts are packed in one `About` (title,
//! description, status, keywords, categories, host, publisher, stack owner, brand colour):
//! with that, the forgotten stubs' counts in the stubs' own 32 bytes and the noted counts as
//! boxed slices, the struct went from 560 to 320 bytes and a spilled connector's summary
//! from 1.29 to 0.80 KB of live heap at 10×. The export spells the connector as it always
//! has (`Exported`).

use super::{
    clip, About, AboutParts, AuthKind, AuthKinds, AuthScheme, ConnectionSet, ConnectorFiles,
    Contact, Definition, Files, Info, Metadata, Names, OpCounts, OpRef, OpStubs, Operation,
    OperationKind, Policy, Schema, Status, Tier, TITLE_SHOWN,
};
use crate::history::FolderHistory;
use crate::problem::{NotedCounts, Problem, RuleCount};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Debug, Clone, Deserialize)]
#[serde(from = "Imported")]
pub struct Connector {
    /// Its folder's path relative to the source root, the folder's name in the source
    /// repository (exactly) and its slug: a stable, unique, URL- and file-system-safe
    /// identifier (`folder`, `path`, `slug`).
    pub names: Names,
    pub tier: Tier,
    /// Its files, without their folder when `names` holds it
    /// (`ConnectorFiles::without_folder`): read them through `files()`, whose paths have
    /// the folder.
    pub(crate) files: ConnectorFiles,
    /// Its title, description, status, keywords, categories, host, publisher, stack owner
    /// and brand colour.
    pub about: About,
    pub script_operations: Vec<String>,
    pub copilot_manifest: bool,
    /// Its details, read through `details`; `None` while a spill holds them (or made
    /// without any).
    pub(crate) details: Option<Box<Details>>,
    /// Not read back from a built site's connector JSON (findings are recomputed).
    pub problems: Vec<Problem>,
    /// Revisions from git, when the source is a repository and history is on.
    pub history: Option<Box<FolderHistory>>,
    /// `lint` counted by rule, noted when a spill took the findings away
    /// (`spill::Spill::put`); otherwise counted when needed (`lint_counts`).
    pub lint_noted: Option<NotedCounts>,
    /// The completeness score (`quality::Completeness`), noted when a spill took away the
    /// details it is measured on (`spill::Spill::put`); otherwise measured when needed.
    pub docs_score: Option<u8>,
    /// `auth_kinds`, noted when a spill took away the connection parameters it reads
    /// (`spill::Spill::put`); otherwise worked out when needed.
    pub auth_noted: Option<AuthKinds>,
    /// `policy_templates`, noted when a spill took the policies away (`spill::Spill::put`).
    pub policies_noted: Option<Box<[Box<str>]>>,
    /// What stays in memory of each operation while a spill holds them (`spill::Spill::put`),
    /// in the same order; empty otherwise.
    pub stubs: OpStubs,
}

/// What only a connector's own page, its export, its search documents and its changelog
/// read of it. Empty while a spill holds it (`Connector::take_details`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Details {
    /// `info.contact`.
    pub contact: Contact,
    /// The website and privacy policy of `x-ms-connector-metadata`.
    pub website: Option<String>,
    pub privacy_policy: Option<String>,
    pub base_path: Option<String>,
    pub schemes: Vec<String>,
    /// Security schemes from `securityDefinitions`.
    pub auth: Vec<AuthScheme>,
    /// Ways to create a connection: one set, or several with `connectionParameterSets`.
    pub connection_sets: Vec<ConnectionSet>,
    pub policies: Vec<Policy>,
    /// `capabilities` of apiProperties plus the keys of `x-ms-capabilities`.
    pub capabilities: Vec<String>,
    pub test_connection: Option<String>,
    /// Empty while a spill holds them (`Connector::stubs` then keeps their counts; the
    /// similar stages read them through `Catalog::op_list`).
    pub operations: Vec<Operation>,
    pub definitions: Vec<Definition>,
    pub readme: Option<String>,
    pub intro: Option<String>,
    /// What the linter finds beyond the parse problems (see `quality::read_all`); shown in
    /// the site's quality panel, not exported.
    pub lint: Vec<Problem>,
}

/// Details with nothing in them, for a connector that holds none.
static NO_DETAILS: Details = Details {
    contact: Contact {
        name: None,
        url: None,
        email: None,
    },
    website: None,
    privacy_policy: None,
    base_path: None,
    schemes: Vec::new(),
    auth: Vec::new(),
    connection_sets: Vec::new(),
    policies: Vec::new(),
    capabilities: Vec::new(),
    test_connection: None,
    operations: Vec::new(),
    definitions: Vec::new(),
    readme: None,
    intro: None,
    lint: Vec::new(),
};

impl Connector {
    /// The folder's name in the source repository, exactly.
    pub fn folder(&self) -> &str {
        self.names.folder()
    }

    /// The folder's path relative to the source root.
    pub fn path(&self) -> &str {
        self.names.path()
    }

    /// Stable, unique, URL- and file-system-safe identifier (empty until the catalog gives
    /// it one).
    pub fn slug(&self) -> &str {
        self.names.slug()
    }

    pub fn set_slug(&mut self, slug: &str) {
        self.names = self.names.with_slug(slug);
    }

    /// The files found in its folder, with their paths.
    pub fn files(&self) -> Files<'_> {
        self.files.within(self.path())
    }

    /// `files` to change them (sizes as listed).
    pub fn files_mut(&mut self) -> &mut ConnectorFiles {
        &mut self.files
    }

    /// Its details, empty while a spill holds them.
    pub fn details(&self) -> &Details {
        self.details.as_deref().unwrap_or(&NO_DETAILS)
    }

    /// Its details, to change them (empty ones are made for a connector without).
    pub fn details_mut(&mut self) -> &mut Details {
        self.details.get_or_insert_with(Box::default)
    }

    /// Whether it holds its details (not while a spill holds them).
    pub fn holds_details(&self) -> bool {
        self.details.is_some()
    }

    /// Its details to change, when it holds any (none while a spill holds them).
    pub fn held_details_mut(&mut self) -> Option<&mut Details> {
        self.details.as_deref_mut()
    }

    /// Takes its details away (a spill keeps them on disk), leaving it none.
    pub fn take_details(&mut self) -> Details {
        self.details.take().map_or_else(Details::default, |d| *d)
    }

    /// Gives it back its details (read back from a spill).
    pub fn set_details(&mut self, details: Details) {
        self.details = Some(Box::new(details));
    }
    /// The linter's findings counted by rule and severity, whether or not a spill holds them.
    pub fn lint_counts(&self) -> Cow<'_, [RuleCount]> {
        match &self.lint_noted {
            Some(noted) => noted.counts(),
            None => Cow::Owned(RuleCount::of(&self.details().lint)),
        }
    }

    /// The actions of a whole connector (a spilled one has none until it is read back; count
    /// with `action_count`, which reads stubs too).
    pub fn actions(&self) -> impl Iterator<Item = &Operation> {
        self.details()
            .operations
            .iter()
            .filter(|o| o.kind == OperationKind::Action)
    }

    /// The triggers of a whole connector (see `actions`).
    pub fn triggers(&self) -> impl Iterator<Item = &Operation> {
        self.details()
            .operations
            .iter()
            .filter(|o| o.kind == OperationKind::Trigger)
    }

    /// Every operation it holds, whole or as stubs, as the catalog-wide stages read it (a
    /// spilled connector holds none: `Catalog::op_list` reads them back).
    pub fn op_refs(&self) -> impl Iterator<Item = OpRef<'_>> {
        let whole = self.details().operations.iter().map(OpRef::of);
        whole.chain(self.stubs.iter())
    }

    /// Operation `index`, whole or spilled.
    pub fn op_ref(&self, index: usize) -> Option<OpRef<'_>> {
        match self.details().operations.get(index) {
            Some(o) => Some(OpRef::of(o)),
            None => self.stubs.get(index),
        }
    }

    /// How many operations it has, whole or spilled.
    pub fn op_count(&self) -> usize {
        self.details().operations.len() + self.stubs.len()
    }

    /// Its operations counted, whole, spilled or forgotten (`OpStubs::forget`).
    pub fn op_counts(&self) -> OpCounts {
        match self.stubs.forgotten() {
            Some(counts) => counts,
            None => OpCounts::of(self.op_refs()),
        }
    }

    pub fn action_count(&self) -> usize {
        self.op_counts().actions as usize
    }

    pub fn trigger_count(&self) -> usize {
        self.op_counts().triggers as usize
    }

    pub fn deprecated_count(&self) -> usize {
        self.op_counts().deprecated as usize
    }

    /// The templates of its policies, sorted, each once (`catalog.json`), whether or not a
    /// spill holds the policies.
    pub fn policy_templates(&self) -> Vec<&str> {
        if let Some(noted) = &self.policies_noted {
            return noted.iter().map(|t| &**t).collect();
        }
        let mut templates: Vec<&str> = self
            .details()
            .policies
            .iter()
            .map(|p| p.template_id.as_str())
            .collect();
        templates.sort_unstable();
        templates.dedup();
        templates
    }

    /// The distinct kinds of authentication a maker may meet, sorted.
    /// Taken from the security definitions; a connector without any is `none`.
    pub fn auth_kinds(&self) -> Vec<AuthKind> {
        if let Some(noted) = self.auth_noted {
            return noted.to_vec();
        }
        let mut kinds: Vec<AuthKind> = self.details().auth.iter().map(|a| a.kind).collect();
        for set in &self.details().connection_sets {
            kinds.extend(set.parameters.iter().filter_map(|p| p.auth_kind()));
        }
        if kinds.is_empty() {
            kinds.push(AuthKind::None);
        }
        kinds.sort();
        kinds.dedup();
        kinds
    }

    pub fn is_copilot_enabled(&self) -> bool {
        self.copilot_manifest || self.op_counts().copilot
    }

    pub fn has_custom_code(&self) -> bool {
        !self.script_operations.is_empty() || self.files.has(super::FileKind::Script)
    }

    pub fn is_preview(&self) -> bool {
        self.about.is_preview()
    }

    pub fn definition(&self, name: &str) -> Option<&Definition> {
        self.details().definitions.iter().find(|d| d.name == name)
    }

    /// Every definition's schema by name, for whatever follows `$ref`s schema after schema
    /// (a page's tables, the changelog): `definition` per `$ref` grew with definitions ×
    /// references (2,000 operations over 20,000 definitions: 0.4 s a page).
    pub fn schemas_by_name(&self) -> foldhash::HashMap<&str, &Schema> {
        self.details()
            .definitions
            .iter()
            .map(|d| (d.name.as_str(), &d.schema))
            .collect()
    }

    pub fn operation(&self, operation_id: &str) -> Option<&Operation> {
        self.details()
            .operations
            .iter()
            .find(|o| o.id == operation_id)
    }

    /// The title to show: `info.title`, else the folder name, cut at `TITLE_SHOWN`.
    pub fn display_title(&self) -> &str {
        clip(self.about.title().unwrap_or(self.folder()), TITLE_SHOWN)
    }
}

/// A connector as its JSON export spells it, in the order it always has (details and summary
/// interleaved).
#[derive(Serialize)]
struct Exported<'a> {
    folder: &'a str,
    slug: &'a str,
    tier: Tier,
    path: &'a str,
    files: Files<'a>,
    info: InfoOut<'a>,
    metadata: MetadataOut<'a>,
    host: Option<&'a str>,
    base_path: &'a Option<String>,
    schemes: &'a [String],
    publisher: Option<&'a str>,
    stack_owner: Option<&'a str>,
    brand_color: Option<&'a str>,
    auth: &'a [AuthScheme],
    connection_sets: &'a [ConnectionSet],
    policies: &'a [Policy],
    script_operations: &'a [String],
    capabilities: &'a [String],
    test_connection: &'a Option<String>,
    copilot_manifest: bool,
    operations: &'a [Operation],
    definitions: &'a [Definition],
    readme: &'a Option<String>,
    intro: &'a Option<String>,
    problems: &'a [Problem],
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<&'a FolderHistory>,
}

impl Serialize for Connector {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (d, a) = (self.details(), &self.about);
        Exported {
            folder: self.folder(),
            slug: self.slug(),
            tier: self.tier,
            path: self.path(),
            files: self.files(),
            info: InfoOut {
                title: a.title(),
                description: a.description(),
                version: a.version(),
                contact: &d.contact,
                status: a.status(),
                keywords: a.keywords().collect(),
            },
            metadata: MetadataOut {
                website: &d.website,
                privacy_policy: &d.privacy_policy,
                categories: a.categories().collect(),
            },
            host: a.host(),
            base_path: &d.base_path,
            schemes: &d.schemes,
            publisher: a.publisher(),
            stack_owner: a.stack_owner(),
            brand_color: a.brand_color(),
            auth: &d.auth,
            connection_sets: &d.connection_sets,
            policies: &d.policies,
            script_operations: &self.script_operations,
            capabilities: &d.capabilities,
            test_connection: &d.test_connection,
            copilot_manifest: self.copilot_manifest,
            operations: &d.operations,
            definitions: &d.definitions,
            readme: &d.readme,
            intro: &d.intro,
            problems: &self.problems,
            history: self.history.as_deref(),
        }
        .serialize(serializer)
    }
}

/// `info` as the export spells it: the contact in its place.
#[derive(Serialize)]
struct InfoOut<'a> {
    title: Option<&'a str>,
    description: Option<&'a str>,
    version: Option<&'a str>,
    contact: &'a Contact,
    status: Option<Status>,
    keywords: Vec<&'a str>,
}

/// `metadata` as the export spells it: the links in their place.
#[derive(Serialize)]
struct MetadataOut<'a> {
    website: &'a Option<String>,
    privacy_policy: &'a Option<String>,
    categories: Vec<&'a str>,
}

/// `info` read back: `Info` and the contact.
#[derive(Deserialize, Default)]
#[serde(default)]
struct InfoIn {
    #[serde(flatten)]
    info: Info,
    contact: Contact,
}

/// `metadata` read back: `Metadata` and the links.
#[derive(Deserialize, Default)]
#[serde(default)]
struct MetadataIn {
    #[serde(flatten)]
    metadata: Metadata,
    website: Option<String>,
    privacy_policy: Option<String>,
}

/// A connector read back from its JSON export (`lint::overlap` reads a built site's):
/// findings and history are not read back.
#[derive(Deserialize)]
struct Imported {
    folder: String,
    slug: String,
    tier: Tier,
    path: String,
    files: ConnectorFiles,
    info: InfoIn,
    metadata: MetadataIn,
    host: Option<String>,
    base_path: Option<String>,
    schemes: Vec<String>,
    publisher: Option<String>,
    stack_owner: Option<String>,
    brand_color: Option<String>,
    auth: Vec<AuthScheme>,
    connection_sets: Vec<ConnectionSet>,
    policies: Vec<Policy>,
    script_operations: Vec<String>,
    capabilities: Vec<String>,
    test_connection: Option<String>,
    copilot_manifest: bool,
    operations: Vec<Operation>,
    definitions: Vec<Definition>,
    readme: Option<String>,
    intro: Option<String>,
}

impl From<Imported> for Connector {
    fn from(i: Imported) -> Connector {
        let details = Details {
            contact: i.info.contact,
            website: i.metadata.website,
            privacy_policy: i.metadata.privacy_policy,
            base_path: i.base_path,
            schemes: i.schemes,
            auth: i.auth,
            connection_sets: i.connection_sets,
            policies: i.policies,
            capabilities: i.capabilities,
            test_connection: i.test_connection,
            operations: i.operations,
            definitions: i.definitions,
            readme: i.readme,
            intro: i.intro,
            lint: Vec::new(),
        };
        Connector {
            names: Names::new(&i.path, &i.folder, &i.slug),
            tier: i.tier,
            files: i.files.without_folder(&i.path),
            about: About::pack(AboutParts {
                info: i.info.info,
                metadata: i.metadata.metadata,
                host: i.host,
                publisher: i.publisher,
                stack_owner: i.stack_owner,
                brand_color: i.brand_color,
            }),
            script_operations: i.script_operations,
            copilot_manifest: i.copilot_manifest,
            details: Some(Box::new(details)),
            problems: Vec::new(),
            history: None,
            lint_noted: None,
            docs_score: None,
            auth_noted: None,
            policies_noted: None,
            stubs: OpStubs::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector() -> Connector {
        let definition = r#"{"swagger":"2.0","info":{"title":"T","description":"D",
            "contact":{"name":"N","email":"help@example.com"}},
            "host":"example.com","basePath":"/v1","schemes":["https"],
            "securityDefinitions":{"k":{"type":"apiKey","in":"header","name":"X"}},
            "x-ms-connector-metadata":[{"propertyName":"Website","propertyValue":"https://example.com"}],
            "paths":{"/a":{"get":{"operationId":"GetA","summary":"Get A","responses":{"200":{"description":"ok"}}}}}}"#;
        crate::parse::definition_model("c/apiDefinition.swagger.json", definition, &mut Vec::new())
    }

    /// The export's keys keep their order with the details held apart, and what is exported
    /// reads back the same (`lint::overlap` reads built sites' exports).
    #[test]
    fn the_export_keeps_its_order_and_reads_back() {
        let c = connector();
        let json = serde_json::to_string(&c).expect("serialises");
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        let keys: Vec<&str> = value
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "folder",
                "slug",
                "tier",
                "path",
                "files",
                "info",
                "metadata",
                "host",
                "base_path",
                "schemes",
                "publisher",
                "stack_owner",
                "brand_color",
                "auth",
                "connection_sets",
                "policies",
                "script_operations",
                "capabilities",
                "test_connection",
                "copilot_manifest",
                "operations",
                "definitions",
                "readme",
                "intro",
                "problems"
            ]
        );
        let keys_of = |key: &str| -> Vec<String> {
            value[key]
                .as_object()
                .expect("an object")
                .keys()
                .cloned()
                .collect()
        };
        assert_eq!(
            keys_of("info"),
            [
                "title",
                "description",
                "version",
                "contact",
                "status",
                "keywords"
            ]
        );
        assert_eq!(
            keys_of("metadata"),
            ["website", "privacy_policy", "categories"]
        );
        assert_eq!(value["info"]["contact"]["email"], "help@example.com");
        assert_eq!(value["metadata"]["website"], "https://example.com");
        assert_eq!(c.details().base_path.as_deref(), Some("/v1"));
        let back: Connector = serde_json::from_str(&json).expect("reads back");
        assert_eq!(serde_json::to_string(&back).expect("serialises"), json);
    }

    #[test]
    fn a_connector_without_details_reads_as_empty_and_gets_them_on_change() {
        let mut c = connector();
        let taken = c.take_details();
        assert_eq!(taken.operations.len(), 1);
        assert!(!c.holds_details() && c.details().operations.is_empty());
        c.details_mut().readme = Some("# R".into());
        assert_eq!(c.details().readme.as_deref(), Some("# R"));
        c.set_details(taken);
        assert_eq!((c.op_count(), c.details().readme.as_deref()), (1, None));
    }
}
