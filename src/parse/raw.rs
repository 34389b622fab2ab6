//! Raw input types: serde copies of Swagger 2.0 and `apiProperties.json`, as written.
//!
//! Kept apart from the domain model so that spelling, casing and shape quirks of the source
//! stay here. They are lenient: a scalar of the wrong type becomes `None`, `"true"` is a
//! boolean, a number where a string belongs is its text. They deserialise straight from the
//! text (no intermediate `Value` tree: that is the fast path). When a container has the wrong
//! shape the fast path fails and `from_value_salvaging` reads the lenient parser's value
//! instead, skipping just the elements that do not fit.

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::cell::Cell;
use std::fmt;

/// An object's entries in source order.
pub type Map<T> = Vec<(String, T)>;

thread_local! {
    /// Set while salvaging: list and map elements are buffered and bad ones skipped.
    static SALVAGING: Cell<bool> = const { Cell::new(false) };
}

/// The fast path: typed deserialisation straight from text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

/// The slow path: from an already parsed value, skipping elements of the wrong shape.
pub fn from_value_salvaging<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    let before = SALVAGING.with(|s| s.replace(true));
    let out = T::deserialize(value);
    SALVAGING.with(|s| s.set(before));
    out
}

/// The slow path from a borrowed value (the linter keeps the value for its rules).
pub fn from_value_ref_salvaging<T: DeserializeOwned>(
    value: &Value,
) -> Result<T, serde_json::Error> {
    let before = SALVAGING.with(|s| s.replace(true));
    let out = T::deserialize(value);
    SALVAGING.with(|s| s.set(before));
    out
}

fn salvaging() -> bool {
    SALVAGING.with(Cell::get)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawDefinition {
    #[serde(deserialize_with = "text")]
    pub swagger: Option<String>,
    #[serde(deserialize_with = "object")]
    pub info: RawInfo,
    #[serde(deserialize_with = "text")]
    pub host: Option<String>,
    #[serde(rename = "basePath", deserialize_with = "text")]
    pub base_path: Option<String>,
    #[serde(deserialize_with = "texts")]
    pub schemes: Vec<String>,
    #[serde(deserialize_with = "map")]
    pub paths: Map<RawPathItem>,
    #[serde(deserialize_with = "map")]
    pub definitions: Map<RawSchema>,
    #[serde(deserialize_with = "map")]
    pub parameters: Map<RawParameter>,
    #[serde(deserialize_with = "map")]
    pub responses: Map<RawResponse>,
    #[serde(rename = "securityDefinitions", deserialize_with = "map")]
    pub security_definitions: Map<RawSecurityScheme>,
    #[serde(rename = "x-ms-connector-metadata", deserialize_with = "list")]
    pub connector_metadata: Vec<RawMetadataEntry>,
    #[serde(rename = "x-ms-capabilities")]
    pub capabilities: Option<Value>,
    #[serde(rename = "x-ms-openai-manifest")]
    pub openai_manifest: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawInfo {
    #[serde(deserialize_with = "text")]
    pub title: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(deserialize_with = "text")]
    pub version: Option<String>,
    #[serde(deserialize_with = "object")]
    pub contact: RawContact,
    #[serde(rename = "x-ms-api-annotation", deserialize_with = "object")]
    pub annotation: RawAnnotation,
    #[serde(rename = "x-ms-keywords", deserialize_with = "texts")]
    pub keywords: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawContact {
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(deserialize_with = "text")]
    pub url: Option<String>,
    #[serde(deserialize_with = "text")]
    pub email: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawMetadataEntry {
    #[serde(rename = "propertyName", deserialize_with = "text")]
    pub property_name: Option<String>,
    #[serde(rename = "propertyValue", deserialize_with = "text")]
    pub property_value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawSecurityScheme {
    #[serde(rename = "type", deserialize_with = "text")]
    pub kind: Option<String>,
    #[serde(rename = "in", deserialize_with = "text")]
    pub location: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(deserialize_with = "text")]
    pub flow: Option<String>,
    #[serde(rename = "authorizationUrl", deserialize_with = "text")]
    pub authorization_url: Option<String>,
    #[serde(rename = "tokenUrl", deserialize_with = "text")]
    pub token_url: Option<String>,
    #[serde(deserialize_with = "map")]
    pub scopes: Map<IgnoredAny>,
}

/// The operations of one path, by method, plus shared parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawPathItem {
    // The operations are boxed: seven of 1.2 KB made a path item 8.6 KB, copied whole at
    // every step of deserialising and converting it.
    #[serde(deserialize_with = "list")]
    pub parameters: Vec<RawParameter>,
    /// What a webhook sends to the flow, for the triggers of this path (where the corpus
    /// puts it; an operation may carry its own).
    #[serde(rename = "x-ms-notification-content", deserialize_with = "opt_object")]
    pub notification: Option<RawResponse>,
    #[serde(deserialize_with = "opt_object")]
    pub get: Option<Box<RawOperation>>,
    #[serde(deserialize_with = "opt_object")]
    pub put: Option<Box<RawOperation>>,
    #[serde(deserialize_with = "opt_object")]
    pub post: Option<Box<RawOperation>>,
    #[serde(deserialize_with = "opt_object")]
    pub delete: Option<Box<RawOperation>>,
    #[serde(deserialize_with = "opt_object")]
    pub options: Option<Box<RawOperation>>,
    #[serde(deserialize_with = "opt_object")]
    pub head: Option<Box<RawOperation>>,
    #[serde(deserialize_with = "opt_object")]
    pub patch: Option<Box<RawOperation>>,
}

impl RawPathItem {
    /// The operations of this path in the conventional method order, taken out.
    pub fn take_operations(&mut self) -> Vec<(&'static str, Box<RawOperation>)> {
        [
            ("get", self.get.take()),
            ("put", self.put.take()),
            ("post", self.post.take()),
            ("delete", self.delete.take()),
            ("options", self.options.take()),
            ("head", self.head.take()),
            ("patch", self.patch.take()),
        ]
        .into_iter()
        .filter_map(|(m, o)| o.map(|o| (m, o)))
        .collect()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawOperation {
    #[serde(rename = "operationId", deserialize_with = "text")]
    pub operation_id: Option<String>,
    #[serde(deserialize_with = "text")]
    pub summary: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(deserialize_with = "texts")]
    pub tags: Vec<String>,
    #[serde(deserialize_with = "list")]
    pub parameters: Vec<RawParameter>,
    #[serde(deserialize_with = "map")]
    pub responses: Map<RawResponse>,
    #[serde(deserialize_with = "flag")]
    pub deprecated: bool,
    #[serde(rename = "x-ms-visibility", deserialize_with = "text")]
    pub visibility: Option<String>,
    #[serde(rename = "x-ms-api-annotation", deserialize_with = "object")]
    pub annotation: RawAnnotation,
    #[serde(rename = "x-ms-trigger", deserialize_with = "text")]
    pub trigger: Option<String>,
    #[serde(rename = "x-ms-trigger-hint", deserialize_with = "text")]
    pub trigger_hint: Option<String>,
    #[serde(rename = "x-ms-trigger-metadata")]
    pub trigger_metadata: Option<Value>,
    #[serde(rename = "x-ms-notification-content", deserialize_with = "opt_object")]
    pub notification_content: Option<RawResponse>,
    #[serde(rename = "x-ms-pageable")]
    pub pageable: Option<Value>,
    #[serde(rename = "x-ms-capabilities")]
    pub capabilities: Option<Value>,
    #[serde(rename = "x-ms-openai-data")]
    pub openai_data: Option<Value>,
    #[serde(rename = "x-ms-keywords", deserialize_with = "texts")]
    pub keywords: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawAnnotation {
    #[serde(deserialize_with = "text")]
    pub status: Option<String>,
    #[serde(deserialize_with = "text")]
    pub family: Option<String>,
    #[serde(deserialize_with = "text")]
    pub revision: Option<String>,
    #[serde(deserialize_with = "object")]
    pub replacement: RawReplacement,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawReplacement {
    #[serde(deserialize_with = "text")]
    pub api: Option<String>,
    #[serde(rename = "operationId", deserialize_with = "text")]
    pub operation_id: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RawEnumName {
    pub value: Value,
    #[serde(rename = "displayName", deserialize_with = "text")]
    pub display_name: Option<String>,
}

/// A JSON schema, as far as the catalog needs one. A parameter is read as the same type:
/// it is a schema with a name and a place (and `required` as a flag instead of a list).
/// One flat struct, because `#[serde(flatten)]` would buffer every object and halve the speed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RawSchema {
    #[serde(rename = "$ref", deserialize_with = "text")]
    pub reference: Option<String>,
    #[serde(rename = "type", deserialize_with = "type_name")]
    pub ty: Option<String>,
    #[serde(deserialize_with = "text")]
    pub format: Option<String>,
    #[serde(deserialize_with = "text")]
    pub title: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(rename = "x-ms-summary", deserialize_with = "text")]
    pub summary: Option<String>,
    #[serde(rename = "x-ms-visibility", deserialize_with = "text")]
    pub visibility: Option<String>,
    /// Boxed, as the `x-ms-dynamic-*` values: few schemas have one, and every schema read
    /// is built and moved whole (a `Value` is 72 bytes, a box 8).
    pub default: Option<Box<Value>>,
    #[serde(rename = "enum", deserialize_with = "list")]
    pub enum_values: Vec<Value>,
    #[serde(rename = "x-ms-enum-values", deserialize_with = "list")]
    pub enum_names: Vec<RawEnumName>,
    #[serde(rename = "x-ms-dynamic-values")]
    pub dynamic_values: Option<Box<Value>>,
    #[serde(rename = "x-ms-dynamic-list")]
    pub dynamic_list: Option<Box<Value>>,
    #[serde(rename = "x-ms-dynamic-schema")]
    pub dynamic_schema: Option<Box<Value>>,
    #[serde(rename = "x-ms-dynamic-properties")]
    pub dynamic_properties: Option<Box<Value>>,
    #[serde(rename = "x-ms-dynamic-tree")]
    pub dynamic_tree: Option<Box<Value>>,
    #[serde(deserialize_with = "required")]
    pub required: Required,
    #[serde(deserialize_with = "map")]
    pub properties: Map<RawSchema>,
    #[serde(deserialize_with = "items")]
    pub items: Option<Box<RawSchema>>,
    #[serde(rename = "additionalProperties", deserialize_with = "opt_object")]
    pub additional: Option<Box<RawSchema>>,
    #[serde(rename = "allOf", deserialize_with = "list")]
    pub all_of: Vec<RawSchema>,
    // Parameter-only keys.
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(rename = "in", deserialize_with = "text")]
    pub location: Option<String>,
    #[serde(deserialize_with = "opt_object")]
    pub schema: Option<Box<RawSchema>>,
    #[serde(rename = "x-ms-url-encoding", deserialize_with = "text")]
    pub url_encoding: Option<String>,
    #[serde(rename = "x-ms-notification-url", deserialize_with = "flag")]
    pub notification_url: bool,
}

/// A parameter: see `RawSchema`.
pub type RawParameter = RawSchema;

/// `required`: a flag on a parameter, a list of property names on a schema.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Required {
    pub flag: bool,
    pub names: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RawResponse {
    #[serde(rename = "$ref", deserialize_with = "text")]
    pub reference: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(deserialize_with = "opt_object")]
    pub schema: Option<RawSchema>,
}

/// `apiProperties.json`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawProperties {
    #[serde(deserialize_with = "object")]
    pub properties: RawPropertiesBody,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawPropertiesBody {
    #[serde(rename = "connectionParameters", deserialize_with = "map")]
    pub connection_parameters: Map<RawConnectionParameter>,
    #[serde(rename = "connectionParameterSets", deserialize_with = "object")]
    pub connection_parameter_sets: RawParameterSets,
    #[serde(rename = "iconBrandColor", deserialize_with = "text")]
    pub icon_brand_color: Option<String>,
    #[serde(deserialize_with = "texts")]
    pub capabilities: Vec<String>,
    #[serde(rename = "policyTemplateInstances", deserialize_with = "list")]
    pub policy_template_instances: Vec<RawPolicy>,
    #[serde(rename = "scriptOperations", deserialize_with = "texts")]
    pub script_operations: Vec<String>,
    #[serde(deserialize_with = "text")]
    pub publisher: Option<String>,
    #[serde(rename = "stackOwner", deserialize_with = "text")]
    pub stack_owner: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawParameterSets {
    #[serde(rename = "uiDefinition", deserialize_with = "object")]
    pub ui_definition: RawUiDefinition,
    #[serde(deserialize_with = "list")]
    pub values: Vec<RawParameterSet>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawParameterSet {
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(rename = "uiDefinition", deserialize_with = "object")]
    pub ui_definition: RawUiDefinition,
    #[serde(deserialize_with = "map")]
    pub parameters: Map<RawConnectionParameter>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawConnectionParameter {
    #[serde(rename = "type", deserialize_with = "text")]
    pub kind: Option<String>,
    #[serde(rename = "uiDefinition", deserialize_with = "object")]
    pub ui_definition: RawUiDefinition,
    #[serde(rename = "oAuthSettings", deserialize_with = "opt_object")]
    pub oauth_settings: Option<RawOAuthSettings>,
    #[serde(rename = "allowedValues", deserialize_with = "list")]
    pub allowed_values: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawUiDefinition {
    #[serde(rename = "displayName", deserialize_with = "text")]
    pub display_name: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(deserialize_with = "text")]
    pub tooltip: Option<String>,
    #[serde(deserialize_with = "object")]
    pub constraints: RawConstraints,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawConstraints {
    #[serde(deserialize_with = "flag")]
    pub required: bool,
    #[serde(deserialize_with = "flag")]
    pub hidden: bool,
    #[serde(rename = "allowedValues", deserialize_with = "list")]
    pub allowed_values: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawOAuthSettings {
    #[serde(rename = "identityProvider", deserialize_with = "text")]
    pub identity_provider: Option<String>,
    #[serde(deserialize_with = "texts")]
    pub scopes: Vec<String>,
    #[serde(rename = "redirectMode", deserialize_with = "text")]
    pub redirect_mode: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawPolicy {
    #[serde(rename = "templateId", deserialize_with = "text")]
    pub template_id: Option<String>,
    #[serde(deserialize_with = "text")]
    pub title: Option<String>,
    pub parameters: Option<Value>,
}

/// `true`, `"true"` (any case) or 1 are true; everything else is false.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => s.trim().eq_ignore_ascii_case("true"),
        Value::Number(n) => n.as_i64() == Some(1),
        _ => false,
    }
}

// ---- lenient field deserialisers -------------------------------------------------------
//
// Each accepts any JSON value. Scalars of the wrong kind are dropped (never an error);
// containers are read element by element.

/// Scalars of the wrong kind give the visitor's default value.
macro_rules! drain_scalars {
    () => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
    };
}

/// Numbers, null and objects give the default value (objects are drained).
macro_rules! drain_others_but_seq {
    () => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.visit_bool(v == 1)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_bool(v == 1)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
    };
}

/// Scalars and lists give the default value (lists are drained).
macro_rules! drain_others_but_map {
    () => {
        drain_scalars!();
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
    };
}

/// A string, or the text of a number or boolean.
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(TextVisitor)
}

/// One element of a text list.
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor).map(Text)
    }
}

/// A list of strings; a single string counts as a list of one.
fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(Text(t)) = seq.next_element()? {
                out.extend(t);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

/// `true`, `"true"` (any case) or 1.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a boolean")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
            Ok(v.trim().eq_ignore_ascii_case("true"))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
            Ok(v == 1)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
            Ok(v == 1)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(false)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(false)
        }
    }
    d.deserialize_any(V)
}

fn required<'de, D: Deserializer<'de>>(d: D) -> Result<Required, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Required;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a boolean or a list of names")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Required, E> {
            Ok(Required {
                flag: v,
                names: Vec::new(),
            })
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Required, E> {
            // "true" on a parameter; a lone property name on a schema.
            let flag = v.trim().eq_ignore_ascii_case("true");
            let names = if flag || v.trim().eq_ignore_ascii_case("false") {
                Vec::new()
            } else {
                vec![v.to_string()]
            };
            Ok(Required { flag, names })
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Required, A::Error> {
            let mut names = Vec::new();
            while let Some(Text(t)) = seq.next_element()? {
                names.extend(t);
            }
            Ok(Required { flag: false, names })
        }
        drain_others_but_seq!();
    }
    d.deserialize_any(V)
}

/// `type`: a name, or a list of names (the first that is not `null`).
fn type_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a type name")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut first = None;
            while let Some(Text(t)) = seq.next_element()? {
                if first.is_none() && t.as_deref() != Some("null") {
                    first = t;
                }
            }
            Ok(first)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

/// Reads one element: directly on the fast path; buffered and skipped when bad while salvaging.
fn element<'de, T: DeserializeOwned, A: SeqAccess<'de>>(
    seq: &mut A,
) -> Result<Option<Option<T>>, A::Error> {
    if salvaging() {
        Ok(seq.next_element::<Value>()?.map(|v| T::deserialize(v).ok()))
    } else {
        Ok(seq.next_element::<T>()?.map(Some))
    }
}

fn entry_value<'de, T: DeserializeOwned, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<T>, A::Error> {
    if salvaging() {
        Ok(T::deserialize(map.next_value::<Value>()?).ok())
    } else {
        map.next_value::<T>().map(Some)
    }
}

/// An object of the expected shape as `T`, else absent.
fn opt_object<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let d = de::value::MapAccessDeserializer::new(map);
            if salvaging() {
                Ok(T::deserialize(Value::deserialize(d)?).ok())
            } else {
                T::deserialize(d).map(Some)
            }
        }
        drain_others_but_map!();
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// Like `opt_object`, with the default when absent.
fn object<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(d: D) -> Result<T, D::Error> {
    Ok(opt_object(d)?.unwrap_or_default())
}

/// `items`: a schema, or the first of a tuple of schemas.
fn items<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Box<RawSchema>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Box<RawSchema>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a schema")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let d = de::value::MapAccessDeserializer::new(map);
            if salvaging() {
                Ok(RawSchema::deserialize(Value::deserialize(d)?)
                    .ok()
                    .map(Box::new))
            } else {
                RawSchema::deserialize(d).map(|s| Some(Box::new(s)))
            }
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let first = element::<RawSchema, A>(&mut seq)?.flatten();
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(first.map(Box::new))
        }
        drain_scalars!();
    }
    d.deserialize_any(V)
}

/// A list whose bad elements are skipped; a lone object counts as a list of one.
fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = element::<T, A>(&mut seq)? {
                out.extend(item);
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let d = de::value::MapAccessDeserializer::new(map);
            if salvaging() {
                Ok(T::deserialize(Value::deserialize(d)?)
                    .ok()
                    .into_iter()
                    .collect())
            } else {
                T::deserialize(d).map(|t| vec![t])
            }
        }
        drain_scalars!();
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// An object's entries in source order; bad entries skipped while salvaging.
fn map<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Map<T>, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
        type Value = Map<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out: Map<T> = Vec::with_capacity(map.size_hint().unwrap_or(0));
            while let Some(key) = map.next_key::<String>()? {
                if let Some(v) = entry_value::<T, A>(&mut map)? {
                    out.push((key, v));
                }
            }
            Ok(last_of_each_key(out))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Vec::new())
        }
        drain_scalars!();
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// Keeps one entry per key, at the first one's place with the last one's value, as
/// serde_json does. Repeats are rare (a `Value`'s keys never repeat), so the common map pays
/// one hash per key and no copies; a search of the entries per key was quadratic (a
/// definition with 200,000 properties took minutes).
fn last_of_each_key<T>(entries: Map<T>) -> Map<T> {
    let mut keys = foldhash::HashSet::with_capacity_and_hasher(entries.len(), Default::default());
    if entries.iter().all(|(k, _)| keys.insert(k.as_str())) {
        return entries;
    }
    let mut at: foldhash::HashMap<String, usize> = Default::default();
    let mut out: Map<T> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        match at.get(&key) {
            Some(&i) => out[i].1 = value,
            None => {
                at.insert(key.clone(), out.len());
                out.push((key, value));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_its_last_value() {
        let entries = vec![("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5)];
        let entries = entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let got: Vec<(String, i32)> = last_of_each_key(entries);
        let want = [("a", 3), ("b", 5), ("c", 4)].map(|(k, v)| (k.to_string(), v));
        assert_eq!(got, want);
        #[derive(Deserialize)]
        struct Holder {
            #[serde(deserialize_with = "map")]
            m: Map<u8>,
        }
        let read: Holder = from_str(r#"{"m": {"x": 1, "y": 2, "x": 3}}"#).expect("map");
        assert_eq!(read.m, [("x".to_string(), 3), ("y".to_string(), 2)]);
    }

    #[test]
    fn wrong_scalar_types_are_tolerated_on_the_fast_path() {
        let def: RawDefinition = from_str(
            r#"{"info": {"title": 12, "description": ["x"]}, "schemes": "https",
                "paths": {"/a": {"get": {"deprecated": "true", "operationId": "A"}}}}"#,
        )
        .expect("lenient");
        assert_eq!(def.info.title.as_deref(), Some("12"));
        assert_eq!(def.info.description, None);
        assert_eq!(def.schemes, ["https"]);
        let get = def.paths[0].1.get.as_ref().expect("get");
        assert!(get.deprecated);
    }

    #[test]
    fn salvaging_skips_elements_of_the_wrong_shape() {
        let v: Value = serde_json::from_str(
            r#"{"paths": {"/a": {"get": {"operationId": "A"}}, "/b": 7},
                "definitions": {"X": {"properties": {"p": {"type": "string"}}}, "Y": 5}}"#,
        )
        .expect("json");
        assert!(
            from_str::<RawDefinition>(&v.to_string()).is_err(),
            "fast path refuses"
        );
        let def: RawDefinition = from_value_salvaging(v).expect("salvaged");
        assert_eq!(def.paths.len(), 1);
        assert_eq!(def.definitions.len(), 1);
        assert_eq!(def.definitions[0].1.properties[0].0, "p");
    }

    #[test]
    fn properties_keep_source_order_and_types_accept_lists() {
        let s: RawSchema = from_str(
            r#"{"type": ["null", "object"], "properties": {"z": {"type": "string"}, "a": {"type": "integer"}},
                "items": [{"type": "string"}], "required": "z"}"#,
        )
        .expect("schema");
        assert_eq!(s.ty.as_deref(), Some("object"));
        let names: Vec<_> = s.properties.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["z", "a"]);
        assert_eq!(s.items.and_then(|i| i.ty), Some("string".into()));
        assert_eq!(s.required.names, ["z"]);
    }

    #[test]
    fn required_is_a_flag_on_parameters_and_a_list_on_schemas() {
        let p: RawParameter =
            from_str(r#"{"name": "id", "in": "path", "required": "true"}"#).expect("param");
        assert!(p.required.flag);
        let p: RawParameter =
            from_str(r#"{"name": "id", "in": "path", "required": true}"#).expect("param");
        assert!(p.required.flag);
        let s: RawSchema = from_str(r#"{"required": ["a", "b"]}"#).expect("schema");
        assert_eq!((s.required.flag, s.required.names.len()), (false, 2));
    }

    #[test]
    fn constraints_accept_string_booleans() {
        let p: RawConnectionParameter = from_str(
            r#"{"type": "securestring", "uiDefinition": {"constraints": {"required": "true", "hidden": "false"}}}"#,
        )
        .expect("parse");
        assert!(p.ui_definition.constraints.required);
        assert!(!p.ui_definition.constraints.hidden);
    }

    /// Regression: duplicate keys were found by searching every earlier entry, so an object
    /// with 200,000 properties (a 50 MB definition) took minutes to read.
    #[test]
    fn object_with_200000_properties_is_read_without_a_quadratic_search() {
        let props: Vec<String> = (0..200_000)
            .map(|i| format!("\"p{i}\":{{\"type\":\"string\"}}"))
            .collect();
        let text = format!(
            r#"{{"definitions":{{"Big":{{"properties":{{{},"p7":{{"type":"integer"}}}}}}}}}}"#,
            props.join(",")
        );
        let def: RawDefinition = from_str(&text).expect("parses");
        let big = &def.definitions[0].1;
        assert_eq!(big.properties.len(), 200_000);
        assert_eq!(big.properties[7].0, "p7");
        assert_eq!(
            big.properties[7].1.ty.as_deref(),
            Some("integer"),
            "the last duplicate wins"
        );
    }
}
