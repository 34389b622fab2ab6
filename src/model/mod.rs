//! The domain model: what a connector *is*, independent of how its files spell it.
//!
//! These types hold facts only (normalised, `$ref`s resolved, no HTML). They are built once by
//! `parse::convert` and read by every later stage: exports, search, history, site, linter.
//! They serialise to the per-connector JSON export that the compare page reads.

mod about;
mod connector;
mod files;
mod names;
pub mod order;
mod schema;
mod stub;

pub use schema::{
    flatten, type_label, Definition, Field, FieldNote, Flat, FlattenLimits, Property, Schema,
};

pub use about::{About, AboutParts, Aside};
pub use connector::{Connector, Details};
pub use files::{ConnectorFiles, Files, Kind as FileKind};
pub use names::Names;
pub use stub::{OpCounts, OpList, OpRef, OpStubs};

use crate::problem::Problem;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;

/// Characters of a title shown at most (pages, lists, feeds, search results); the corpus's
/// longest is 82. A title of megabytes made every list that names the connector megabytes.
/// The model and its export keep the whole text (`info.title`, `summary`).
pub const TITLE_SHOWN: usize = 200;

/// Characters of a description shown at most (an operation's, a parameter's, a field's, the
/// connector's lead); the corpus's longest is 14,089. The definition, linked from every
/// connector page, has the whole text.
pub const DESCRIPTION_SHOWN: usize = 20_000;

/// A description as pages show it: cut at `DESCRIPTION_SHOWN`.
pub fn shown_description(text: &str) -> &str {
    clip(text, DESCRIPTION_SHOWN)
}

/// An index or a length as 32 bits, as the packed structures hold them (a catalog of four
/// billion connectors or operations, or 4 GiB of an operation's texts, is not built).
pub fn index32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// `text` cut after `max_chars` characters (at a character boundary).
pub fn clip(text: &str, max_chars: usize) -> &str {
    if text.len() <= max_chars {
        return text;
    }
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Which of the repository's three collections a connector belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    #[serde(rename = "certified")]
    Certified,
    #[serde(rename = "independent-publisher")]
    IndependentPublisher,
    #[serde(rename = "custom")]
    Custom,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Certified, Tier::IndependentPublisher, Tier::Custom];

    /// The id used in exports and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Tier::Certified => "certified",
            Tier::IndependentPublisher => "independent-publisher",
            Tier::Custom => "custom",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tier::Certified => "Certified",
            Tier::IndependentPublisher => "Independent publisher",
            Tier::Custom => "Custom",
        }
    }

    /// The label where a column is narrow (the connector list's Tier column).
    pub fn short_label(self) -> &'static str {
        match self {
            Tier::IndependentPublisher => "Independent",
            other => other.label(),
        }
    }

    /// The folder that holds this tier in the public repository.
    pub fn folder(self) -> &'static str {
        match self {
            Tier::Certified => "certified-connectors",
            Tier::IndependentPublisher => "independent-publisher-connectors",
            Tier::Custom => "custom-connectors",
        }
    }

    pub fn from_folder(name: &str) -> Option<Tier> {
        Tier::ALL
            .into_iter()
            .find(|t| t.folder().eq_ignore_ascii_case(name))
    }

    pub fn from_id(id: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.id() == id)
    }
}

/// A whole catalog: every connector found in the source, sorted by tier then folder.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub source: SourceInfo,
    pub connectors: Vec<Connector>,
    /// Problems that belong to no connector (e.g. a folder without a definition).
    pub problems: Vec<Problem>,
    /// Connector folders that existed in the history and are gone now.
    #[serde(skip_serializing_if = "Vec::is_empty", skip_deserializing)]
    pub retired: Vec<crate::history::Retired>,
    /// Where the connectors' details wait when the build spilled them (`Catalog::full`).
    #[serde(skip)]
    pub spilled: Option<std::sync::Arc<crate::spill::Spill>>,
}

impl Catalog {
    /// Connector `index` with all its details: borrowed, or read back from the spill.
    pub fn full(&self, index: usize) -> anyhow::Result<Cow<'_, Connector>> {
        self.read_back(index, crate::spill::Spill::full)
    }

    /// Connector `index` with at least what its search documents read (its operations'
    /// parameters and descriptions, its readme): borrowed, or read back from the spill without
    /// responses and definitions.
    pub fn searchable(&self, index: usize) -> anyhow::Result<Cow<'_, Connector>> {
        self.read_back(index, crate::spill::Spill::searchable)
    }

    /// Connector `index` as held, or completed by `read` when the build spilled it.
    fn read_back(
        &self,
        index: usize,
        read: fn(&crate::spill::Spill, usize, &Connector) -> anyhow::Result<Connector>,
    ) -> anyhow::Result<Cow<'_, Connector>> {
        let light = &self.connectors[index];
        match &self.spilled {
            None => Ok(Cow::Borrowed(light)),
            Some(spill) => read(spill, index, light).map(Cow::Owned),
        }
    }

    /// Connector `index`'s description: its own, or read back from the spill that set it
    /// aside (`model::Aside`).
    pub fn description(&self, index: usize) -> anyhow::Result<Option<Cow<'_, str>>> {
        let Some(c) = self.connectors.get(index) else {
            anyhow::bail!("no connector {index} in the catalog");
        };
        match (&self.spilled, c.about.is_aside()) {
            (Some(spill), true) => Ok(spill.description(index)?.map(Cow::Owned)),
            _ => Ok(c.about.description().map(Cow::Borrowed)),
        }
    }

    /// Connector `index`'s operations as the similar stages read them: from the connector,
    /// or, in a spilled build, the stubs read back from the spill (`Spill::put` keeps them
    /// there, not in memory).
    pub fn op_list(&self, index: usize) -> anyhow::Result<OpList<'_>> {
        match (&self.spilled, self.connectors.get(index)) {
            (Some(spill), _) => spill.stubs(index).map(OpList::Read),
            (None, Some(c)) => Ok(OpList::Held(c)),
            (None, None) => anyhow::bail!("no connector {index} in the catalog"),
        }
    }

    pub fn operation_count(&self) -> usize {
        self.connectors.iter().map(Connector::op_count).sum()
    }

    pub fn trigger_count(&self) -> usize {
        self.connectors.iter().map(|c| c.trigger_count()).sum()
    }

    /// Every problem of the build, connector problems first, in a stable order.
    pub fn all_problems(&self) -> impl Iterator<Item = &Problem> {
        self.connectors
            .iter()
            .flat_map(|c| c.problems.iter())
            .chain(self.problems.iter())
    }

    pub fn by_slug(&self, slug: &str) -> Option<&Connector> {
        self.connectors.iter().find(|c| c.slug() == slug)
    }
}

/// Where the catalog came from.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SourceInfo {
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    /// The commit time of the built revision (seconds), when history was read: the "now" of
    /// everything dated relative to the build, so the output never depends on the clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Info {
    pub title: Option<String>,
    pub description: Option<String>,
    pub version: Option<String>,
    pub status: Option<Status>,
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    pub name: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
}

/// Release status of a connector or an operation, with casing normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Preview,
    Production,
    /// Any other value, kept as written.
    Other(String),
}

/// `x-ms-connector-metadata`, normalised: its categories (its website and privacy policy are
/// `Details`, which only the connector's page reads).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Metadata {
    /// Canonical category names (one of the 19) where recognised, else as written.
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AuthKind {
    #[serde(rename = "apiKey")]
    ApiKey,
    #[serde(rename = "oauth2")]
    OAuth2,
    #[serde(rename = "basic")]
    Basic,
    #[serde(rename = "none")]
    None,
}

impl AuthKind {
    /// Every kind, in their order.
    pub const ALL: [AuthKind; 4] = [
        AuthKind::ApiKey,
        AuthKind::OAuth2,
        AuthKind::Basic,
        AuthKind::None,
    ];

    pub fn id(self) -> &'static str {
        match self {
            AuthKind::ApiKey => "apiKey",
            AuthKind::OAuth2 => "oauth2",
            AuthKind::Basic => "basic",
            AuthKind::None => "none",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuthKind::ApiKey => "API key",
            AuthKind::OAuth2 => "OAuth 2.0",
            AuthKind::Basic => "Basic",
            AuthKind::None => "No authentication",
        }
    }
}

/// A set of authentication kinds in one byte: what a spilled connector notes of them for the
/// lists (`Connector::auth_noted`), rather than a list of its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthKinds(u8);

impl AuthKinds {
    pub fn of(kinds: &[AuthKind]) -> AuthKinds {
        let bit = |k: &AuthKind| 1u8 << AuthKind::ALL.iter().position(|a| a == k).unwrap_or(0);
        AuthKinds(kinds.iter().map(bit).fold(0, |set, b| set | b))
    }

    /// The kinds in the set, sorted.
    pub fn to_vec(self) -> Vec<AuthKind> {
        let kinds = AuthKind::ALL.into_iter().enumerate();
        kinds
            .filter(|&(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, k)| k)
            .collect()
    }
}

/// One entry of `securityDefinitions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthScheme {
    pub name: String,
    pub kind: AuthKind,
    /// For apiKey: where the key goes (`header`, `query`) and under which name.
    pub key_in: Option<String>,
    pub key_name: Option<String>,
    pub flow: Option<String>,
    pub authorization_url: Option<String>,
    pub token_url: Option<String>,
    pub scopes: Vec<String>,
}

/// A way to create a connection (one block per auth kind on the page).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectionSet {
    /// Empty for the plain `connectionParameters` set.
    pub name: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub parameters: Vec<ConnectionParameter>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectionParameter {
    pub name: String,
    /// `string`, `securestring`, `oauthSetting`, `bool`, `int`...
    pub kind: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub tooltip: Option<String>,
    pub required: bool,
    pub hidden: bool,
    pub allowed_values: Vec<String>,
    pub oauth: Option<OAuthSetting>,
}

impl ConnectionParameter {
    /// The auth kind a connection parameter implies, when it implies one.
    pub fn auth_kind(&self) -> Option<AuthKind> {
        match self.kind.to_ascii_lowercase().as_str() {
            "oauthsetting" => Some(AuthKind::OAuth2),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuthSetting {
    pub identity_provider: Option<String>,
    pub scopes: Vec<String>,
    pub redirect_mode: Option<String>,
}

/// A policy template instance from apiProperties, with its id lower-cased.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    pub template_id: String,
    /// The id as written, when it differs from `template_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_id: Option<String>,
    pub title: Option<String>,
    /// Operations it applies to (`x-ms-apimTemplate-operationName`); empty means all.
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperationKind {
    Action,
    Trigger,
}

impl OperationKind {
    pub fn id(self) -> &'static str {
        match self {
            OperationKind::Action => "action",
            OperationKind::Trigger => "trigger",
        }
    }
}

/// `x-ms-visibility`, on operations, parameters and schema properties.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Important,
    #[default]
    Normal,
    Advanced,
    Internal,
    /// A value outside the three known ones, as written (lint O012).
    Other(String),
}

impl Visibility {
    pub fn parse(value: Option<&str>) -> Visibility {
        match value.map(|v| v.trim().to_ascii_lowercase()) {
            None => Visibility::Normal,
            Some(v) => match v.as_str() {
                "" | "none" => Visibility::Normal,
                "important" => Visibility::Important,
                "advanced" => Visibility::Advanced,
                "internal" => Visibility::Internal,
                _ => Visibility::Other(value.unwrap_or_default().to_string()),
            },
        }
    }

    pub fn is_internal(&self) -> bool {
        *self == Visibility::Internal
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Operation {
    /// `operationId`, or `METHOD path` when it has none.
    pub id: String,
    pub has_operation_id: bool,
    /// Unique within the connector and safe as an HTML id and file name.
    pub anchor: String,
    /// Which page of the connector shows it (0, the connector's own page, unless it has more
    /// operations than one page holds: `order::assign_pages`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub page: u32,
    pub method: String,
    pub path: String,
    pub kind: OperationKind,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub visibility: Visibility,
    pub deprecated: bool,
    pub annotation: Annotation,
    pub parameters: Vec<Parameter>,
    pub responses: Vec<Response>,
    /// What a webhook trigger sends to the flow (`x-ms-notification-content`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<Box<Response>>,
    /// Boxed: most operations are actions.
    pub trigger: Option<Box<TriggerInfo>>,
    /// `x-ms-pageable.nextLinkName`.
    pub paging: Option<String>,
    pub chunked_upload: bool,
    pub custom_code: bool,
    pub copilot: Option<Copilot>,
    pub keywords: Vec<String>,
}

impl Operation {
    /// The summary, or the id when there is none, cut at `TITLE_SHOWN`.
    pub fn title(&self) -> &str {
        clip(self.summary.as_deref().unwrap_or(&self.id), TITLE_SHOWN)
    }

    pub fn is_preview(&self) -> bool {
        self.annotation.status == Some(Status::Preview)
    }

    /// The response that describes the output: what a webhook sends when it says, else the
    /// first 2xx, else `default`.
    pub fn success_response(&self) -> Option<&Response> {
        self.notification
            .as_deref()
            .filter(|n| n.schema.is_some())
            .or_else(|| self.responses.iter().find(|r| r.status.starts_with('2')))
            .or_else(|| self.responses.iter().find(|r| r.status == "default"))
    }
}

/// `x-ms-api-annotation` on an operation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Annotation {
    pub status: Option<Status>,
    /// Versions of one operation share a family; defaults to the operation id.
    pub family: String,
    /// 1 when absent.
    pub revision: u32,
    /// Boxed: few operations name one, and every operation holds the field.
    pub replacement: Option<Box<Replacement>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Replacement {
    pub api: Option<String>,
    pub operation_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TriggerMode {
    Polling,
    Webhook,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TriggerCardinality {
    Single,
    Batch,
    Unknown,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TriggerInfo {
    pub mode: TriggerMode,
    pub cardinality: TriggerCardinality,
    pub hint: Option<String>,
}

/// Copilot (`x-ms-openai-data`) facts of an operation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Copilot {
    pub user_confirmation: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Body,
    FormData,
    Other,
}

impl ParamLocation {
    pub fn parse(s: &str) -> ParamLocation {
        match s.to_ascii_lowercase().as_str() {
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "header" => ParamLocation::Header,
            "body" => ParamLocation::Body,
            "formdata" => ParamLocation::FormData,
            _ => ParamLocation::Other,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Body => "body",
            ParamLocation::FormData => "formData",
            ParamLocation::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    pub location: ParamLocation,
    /// `x-ms-summary`: the display name makers see.
    pub summary: Option<String>,
    pub description: Option<String>,
    pub required: bool,
    pub ty: Option<String>,
    pub format: Option<String>,
    /// Boxed, as `dynamic` and `schema`: most parameters have none, and each of the
    /// catalog's 38,000 parameters paid for their full size (680 bytes a parameter before, 224 now).
    pub default: Option<Box<Value>>,
    pub enum_values: Vec<EnumValue>,
    pub visibility: Visibility,
    pub dynamic: Option<Box<Dynamic>>,
    pub url_encoding: Option<String>,
    /// `x-ms-notification-url: true` on a webhook's callback parameter.
    pub notification_url: bool,
    /// Body schema, or the item schema of an array parameter.
    pub schema: Option<Box<Schema>>,
}

/// An allowed value, with its display name from `x-ms-enum-values` when given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumValue {
    pub value: Value,
    pub display_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DynamicKind {
    #[serde(rename = "x-ms-dynamic-values")]
    Values,
    #[serde(rename = "x-ms-dynamic-list")]
    List,
    #[serde(rename = "x-ms-dynamic-schema")]
    Schema,
    #[serde(rename = "x-ms-dynamic-properties")]
    Properties,
    #[serde(rename = "x-ms-dynamic-tree")]
    Tree,
}

/// A value list or schema that another operation provides at design time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dynamic {
    pub kind: DynamicKind,
    pub operation_id: Option<String>,
    pub value_path: Option<String>,
    pub value_title: Option<String>,
    /// Names of the parameters passed to the source operation.
    pub parameters: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Response {
    pub status: String,
    pub description: Option<String>,
    pub schema: Option<Schema>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every set of kinds comes back from its byte as `Connector::auth_kinds` lists it:
    /// sorted, each once.
    #[test]
    fn auth_kinds_come_back_from_their_byte_sorted() {
        for mask in 0..16u8 {
            let mut kinds: Vec<AuthKind> = AuthKind::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, k)| k)
                .collect();
            kinds.reverse();
            kinds.extend(kinds.clone());
            let back = AuthKinds::of(&kinds).to_vec();
            kinds.sort();
            kinds.dedup();
            assert_eq!(back, kinds);
        }
    }
}
