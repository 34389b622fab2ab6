//! The one conversion step from raw input types to the domain model.
//!
//! Resolves `$ref`s to shared parameters and responses (inlined: they are flat) and to
//! definitions (kept as references, see `model::schema`), normalises metadata, derives
//! trigger kinds, Copilot flags and custom-code operations, and gives every operation a
//! unique anchor. Anything it cannot make sense of becomes a `Finding` with a JSON pointer;
//! the parse stage turns pointers into lines and columns.

use super::keyed;
use super::normalize::{self, clean, MetadataKey};
use super::pointer;
use super::raw::{
    self, RawDefinition, RawOperation, RawParameter, RawPathItem, RawProperties, RawResponse,
    RawSchema,
};
use crate::model::*;
use crate::problem::Severity;
use crate::slug;
use copies::Copies;
use serde_json::Value;

mod copies;

/// Schemas nested deeper than this are cut (`Schema::truncated`).
const MAX_SCHEMA_DEPTH: usize = 40;

/// A finding of the conversion, located by JSON pointer in the definition file.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub pointer: String,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
}

/// What `convert` fills in; identity, files and texts are set by the parse stage.
pub struct Converted {
    pub info: Info,
    pub contact: Contact,
    pub metadata: Metadata,
    pub links: Links,
    pub host: Option<String>,
    pub base_path: Option<String>,
    pub schemes: Vec<String>,
    pub publisher: Option<String>,
    pub stack_owner: Option<String>,
    pub brand_color: Option<String>,
    pub auth: Vec<AuthScheme>,
    pub connection_sets: Vec<ConnectionSet>,
    pub policies: Vec<Policy>,
    pub script_operations: Vec<String>,
    pub capabilities: Vec<String>,
    pub test_connection: Option<String>,
    pub copilot_manifest: bool,
    pub operations: Vec<Operation>,
    pub definitions: Vec<Definition>,
    pub findings: Vec<Finding>,
}

pub fn convert(def: RawDefinition, props: RawProperties) -> Converted {
    convert_within(def, props, copies::BUDGET)
}

/// `convert`, with `budget` bytes for copies of shared entries (see `copies`).
fn convert_within(mut def: RawDefinition, props: RawProperties, budget: usize) -> Converted {
    let (shared_parameters, shared_responses) =
        (Shared::of(&def.parameters), Shared::of(&def.responses));
    let mut cx = Context {
        shared_parameters: &shared_parameters,
        shared_responses: &shared_responses,
        findings: Vec::new(),
        copies: Copies::new(budget),
    };
    let props = props.properties;
    let policies = policies(props.policy_template_instances);
    let script_operations = props.script_operations;
    let paths = std::mem::take(&mut def.paths);
    let operations = cx.operations(paths, &policies, &script_operations);
    cx.report_slimmed_copies();
    let findings = cx.findings;
    let definitions = definitions(std::mem::take(&mut def.definitions));
    let mut capabilities = props.capabilities;
    if let Some(Value::Object(caps)) = &def.capabilities {
        capabilities.extend(caps.keys().cloned());
    }
    capabilities.sort();
    capabilities.dedup();
    let (info, contact) = info(def.info);
    let (metadata, links) = metadata(def.connector_metadata);
    Converted {
        info,
        contact,
        metadata,
        links,
        host: clean(def.host),
        base_path: clean(def.base_path),
        schemes: def.schemes,
        publisher: clean(props.publisher),
        stack_owner: clean(props.stack_owner),
        brand_color: clean(props.icon_brand_color),
        auth: auth_schemes(def.security_definitions),
        connection_sets: connection_sets(
            props.connection_parameters,
            props.connection_parameter_sets,
        ),
        policies,
        script_operations,
        capabilities,
        test_connection: def
            .capabilities
            .as_ref()
            .and_then(|c| str_at(c, &["testConnection", "operationId"])),
        copilot_manifest: def.openai_manifest.is_some(),
        operations,
        definitions,
        findings,
    }
}

fn info(raw: raw::RawInfo) -> (Info, Contact) {
    let info = Info {
        title: clean(raw.title),
        description: clean(raw.description),
        version: clean(raw.version),
        status: clean(raw.annotation.status).map(|s| normalize::status(&s)),
        keywords: raw.keywords,
    };
    let contact = Contact {
        name: clean(raw.contact.name),
        url: clean(raw.contact.url),
        email: clean(raw.contact.email),
    };
    (info, contact)
}

/// The website and privacy policy of `x-ms-connector-metadata`.
#[derive(Debug, Default)]
pub struct Links {
    pub website: Option<String>,
    pub privacy_policy: Option<String>,
}

fn metadata(entries: Vec<raw::RawMetadataEntry>) -> (Metadata, Links) {
    let mut m = Metadata::default();
    let mut links = Links::default();
    for e in entries {
        let (Some(name), Some(value)) = (e.property_name, clean(e.property_value)) else {
            continue;
        };
        match normalize::metadata_key(&name) {
            MetadataKey::Website => links.website = Some(value),
            MetadataKey::PrivacyPolicy => links.privacy_policy = Some(value),
            MetadataKey::Categories => m.categories.extend(normalize::categories(&value)),
            MetadataKey::Other => {}
        }
    }
    (m, links)
}

fn auth_schemes(defs: raw::Map<raw::RawSecurityScheme>) -> Vec<AuthScheme> {
    defs.into_iter()
        .filter_map(|(name, s)| {
            let kind = match s.kind.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("apikey") => AuthKind::ApiKey,
                Some("oauth2") => AuthKind::OAuth2,
                Some("basic") => AuthKind::Basic,
                _ => return None,
            };
            Some(AuthScheme {
                name,
                kind,
                key_in: s.location,
                key_name: s.name,
                flow: s.flow,
                authorization_url: s.authorization_url,
                token_url: s.token_url,
                scopes: s.scopes.into_iter().map(|(k, _)| k).collect(),
            })
        })
        .collect()
}

fn connection_sets(
    single: raw::Map<raw::RawConnectionParameter>,
    sets: raw::RawParameterSets,
) -> Vec<ConnectionSet> {
    let mut out = Vec::new();
    if !single.is_empty() {
        out.push(ConnectionSet {
            parameters: connection_parameters(single),
            ..ConnectionSet::default()
        });
    }
    for set in sets.values {
        out.push(ConnectionSet {
            name: set.name.unwrap_or_default(),
            display_name: clean(set.ui_definition.display_name),
            description: clean(set.ui_definition.description),
            parameters: connection_parameters(set.parameters),
        });
    }
    out
}

fn connection_parameters(
    params: raw::Map<raw::RawConnectionParameter>,
) -> Vec<ConnectionParameter> {
    params
        .into_iter()
        .map(|(name, p)| {
            let ui = p.ui_definition;
            let mut allowed: Vec<String> = p
                .allowed_values
                .iter()
                .chain(ui.constraints.allowed_values.iter())
                .filter_map(|v| v.get("text").or(v.get("value")).or(Some(v)))
                .filter_map(scalar_text)
                .collect();
            allowed.dedup();
            ConnectionParameter {
                name,
                kind: p.kind.unwrap_or_else(|| "string".into()),
                display_name: clean(ui.display_name),
                description: clean(ui.description),
                tooltip: clean(ui.tooltip),
                required: ui.constraints.required,
                hidden: ui.constraints.hidden,
                allowed_values: allowed,
                oauth: p.oauth_settings.map(|o| OAuthSetting {
                    identity_provider: clean(o.identity_provider),
                    scopes: o.scopes,
                    redirect_mode: clean(o.redirect_mode),
                }),
            }
        })
        .collect()
}

fn policies(raw: Vec<raw::RawPolicy>) -> Vec<Policy> {
    raw.into_iter()
        .filter_map(|p| {
            let written = p.template_id?;
            let template_id = normalize::policy_id(&written);
            let operations = p
                .parameters
                .as_ref()
                .and_then(|v| v.get("x-ms-apimTemplate-operationName"))
                .map(strings)
                .unwrap_or_default();
            Some(Policy {
                written_id: (written != template_id).then_some(written),
                template_id,
                title: clean(p.title),
                operations,
            })
        })
        .collect()
}

fn definitions(defs: raw::Map<RawSchema>) -> Vec<Definition> {
    let mut out: Vec<Definition> = defs
        .into_iter()
        .map(|(name, v)| Definition {
            name,
            schema: schema(v, 0),
            recursive: false,
        })
        .collect();
    let recursive = recursive_definitions(&out);
    for (d, r) in out.iter_mut().zip(recursive) {
        d.recursive = r;
    }
    out
}

/// For each definition, whether it can reach itself through references.
fn recursive_definitions(defs: &[Definition]) -> Vec<bool> {
    use foldhash::HashMap;
    let index: HashMap<&str, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|d| {
            let mut refs = Vec::new();
            collect_references(&d.schema, &mut refs);
            let mut targets: Vec<usize> = refs
                .iter()
                .filter_map(|r| index.get(r.as_str()).copied())
                .collect();
            targets.sort_unstable();
            targets.dedup();
            targets
        })
        .collect();
    in_a_cycle(&edges)
}

/// For each node of a directed graph, whether some path leads from it back to itself: it
/// refers to itself, or its strongly connected component has other members. Tarjan's
/// algorithm with an explicit stack, so a chain of 100,000 definitions cannot overflow the
/// thread's; linear in nodes and edges. (Regression: a search from every definition was
/// quadratic, and a definition file with 20,000 definitions took 3.8 s to parse.)
fn in_a_cycle(edges: &[Vec<usize>]) -> Vec<bool> {
    let mut t = Tarjan {
        order: vec![None; edges.len()],
        low: vec![0; edges.len()],
        on_stack: vec![false; edges.len()],
        stack: Vec::new(),
        path: Vec::new(),
        reached: 0,
    };
    let mut out = vec![false; edges.len()];
    for root in 0..edges.len() {
        if t.order[root].is_some() {
            continue;
        }
        t.enter(root);
        while let Some(top) = t.path.last_mut() {
            let (v, next) = *top;
            if let Some(&w) = edges[v].get(next) {
                top.1 += 1;
                match t.order[w] {
                    None => t.enter(w),
                    Some(o) if t.on_stack[w] => t.low[v] = t.low[v].min(o),
                    Some(_) => {}
                }
                continue;
            }
            t.path.pop();
            if let Some(&(parent, _)) = t.path.last() {
                t.low[parent] = t.low[parent].min(t.low[v]);
            }
            if Some(t.low[v]) == t.order[v] {
                let members = t.pop_component(v);
                let cyclic = members.len() > 1 || edges[v].contains(&v);
                for m in members {
                    out[m] = cyclic;
                }
            }
        }
    }
    out
}

struct Tarjan {
    /// When each node was first reached.
    order: Vec<Option<usize>>,
    /// The earliest-reached node still on the stack that each node leads to.
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    /// The depth-first path: each node with the position of the next edge to follow.
    path: Vec<(usize, usize)>,
    reached: usize,
}

impl Tarjan {
    fn enter(&mut self, v: usize) {
        self.order[v] = Some(self.reached);
        self.low[v] = self.reached;
        self.reached += 1;
        self.on_stack[v] = true;
        self.stack.push(v);
        self.path.push((v, 0));
    }

    /// The component whose first-reached node is `v`: the stack down to `v`.
    fn pop_component(&mut self, v: usize) -> Vec<usize> {
        let mut members = Vec::new();
        while let Some(w) = self.stack.pop() {
            self.on_stack[w] = false;
            members.push(w);
            if w == v {
                break;
            }
        }
        members
    }
}

fn collect_references(s: &Schema, out: &mut Vec<String>) {
    if let Some(r) = &s.reference {
        out.push(r.to_string());
    }
    for p in &s.properties {
        collect_references(&p.schema, out);
    }
    for part in s.items.iter().chain(s.additional.iter()) {
        collect_references(part, out);
    }
    for part in &s.all_of {
        collect_references(part, out);
    }
}

struct Context<'a> {
    shared_parameters: &'a Shared<'a, RawParameter>,
    shared_responses: &'a Shared<'a, RawResponse>,
    findings: Vec<Finding>,
    /// What copies of shared entries have cost the model so far.
    copies: Copies,
}

/// The shared `parameters` or `responses` of a definition, by name: a search of the list per
/// `$ref` was quadratic (5,000 operations with 20 shared parameters each: 1.9 s).
struct Shared<'a, T> {
    entries: &'a raw::Map<T>,
    by_name: foldhash::HashMap<&'a str, usize>,
}

impl<'a, T> Shared<'a, T> {
    fn of(entries: &'a raw::Map<T>) -> Shared<'a, T> {
        let by_name = entries
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (name.as_str(), i))
            .collect();
        Shared { entries, by_name }
    }

    fn get(&self, name: &str) -> Option<&'a T> {
        let i = *self.by_name.get(name)?;
        self.entries.get(i).map(|(_, v)| v)
    }
}

impl Context<'_> {
    fn operations(
        &mut self,
        paths: raw::Map<RawPathItem>,
        policies: &[Policy],
        scripts: &[String],
    ) -> Vec<Operation> {
        let mut ops = Vec::new();
        for (path, mut item) in paths {
            let shared = std::mem::take(&mut item.parameters);
            let notification = item.notification.take();
            let path_notification_at = format!(
                "/paths/{}/x-ms-notification-content",
                pointer::escape(&path)
            );
            for (method, mut raw) in item.take_operations() {
                let pointer = format!("/paths/{}/{method}", pointer::escape(&path));
                // An operation's own notification content wins over its path item's.
                let notification_at = if raw.notification_content.is_some() {
                    format!("{pointer}/x-ms-notification-content")
                } else {
                    raw.notification_content = notification.clone();
                    path_notification_at.clone()
                };
                let site = Site {
                    path: &path,
                    method,
                    pointer: &pointer,
                    notification_at: &notification_at,
                };
                ops.push(self.operation(site, raw, &shared, policies, scripts));
            }
        }
        let ids: Vec<&str> = ops.iter().map(|o| o.id.as_str()).collect();
        let anchors = slug::unique_anchors(&ids);
        for (op, anchor) in ops.iter_mut().zip(anchors) {
            op.anchor = anchor;
        }
        crate::model::order::assign_pages(&mut ops);
        // Grown by pushing, the vector has room for up to as many operations again, and it is
        // kept for the whole build: at 10× the real repository that room was 28 MB.
        ops.shrink_to_fit();
        ops
    }

    fn operation(
        &mut self,
        site: Site,
        raw: Box<RawOperation>,
        path_params: &[RawParameter],
        policies: &[Policy],
        scripts: &[String],
    ) -> Operation {
        let operation_id = clean(raw.operation_id);
        let id = operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {}", site.method.to_ascii_uppercase(), site.path));
        let parameters = self.parameters(path_params, raw.parameters, site.pointer);
        let responses = self.responses(raw.responses, site.pointer);
        let kind = if raw.trigger.is_some() {
            OperationKind::Trigger
        } else {
            OperationKind::Action
        };
        let notification = match (kind, raw.notification_content) {
            (OperationKind::Trigger, Some(n)) => {
                self.response("notification".to_string(), n, site.notification_at)
            }
            _ => None,
        };
        let trigger = (kind == OperationKind::Trigger).then(|| {
            let webhook = notification.is_some() || parameters.iter().any(|p| p.notification_url);
            trigger_info(
                &raw.trigger,
                &raw.trigger_hint,
                &raw.trigger_metadata,
                webhook,
                site.method,
                &id,
                policies,
            )
        });
        let annotation = raw.annotation;
        let replacement = annotation.replacement;
        Operation {
            has_operation_id: operation_id.is_some(),
            anchor: String::new(),
            page: 0,
            method: site.method.to_ascii_uppercase(),
            path: site.path.to_string(),
            kind,
            summary: clean(raw.summary),
            description: clean(raw.description),
            tags: raw.tags,
            visibility: Visibility::parse(raw.visibility.as_deref()),
            deprecated: raw.deprecated,
            annotation: Annotation {
                status: clean(annotation.status).map(|s| normalize::status(&s)),
                family: clean(annotation.family).unwrap_or_else(|| id.clone()),
                revision: annotation
                    .revision
                    .as_deref()
                    .and_then(|r| r.trim().parse().ok())
                    .unwrap_or(1),
                replacement: (replacement.api.is_some() || replacement.operation_id.is_some())
                    .then(|| {
                        Box::new(Replacement {
                            api: replacement.api,
                            operation_id: replacement.operation_id,
                        })
                    }),
            },
            parameters,
            responses,
            notification: notification.map(Box::new),
            trigger: trigger.map(Box::new),
            paging: raw
                .pageable
                .as_ref()
                .map(|p| str_at(p, &["nextLinkName"]).unwrap_or_else(|| "nextLink".into())),
            chunked_upload: raw
                .capabilities
                .as_ref()
                .and_then(|c| c.get("chunkTransfer"))
                .is_some_and(raw::truthy),
            custom_code: scripts.iter().any(|s| s == &id),
            copilot: raw.openai_data.as_ref().and_then(copilot),
            keywords: raw.keywords,
            id,
        }
    }

    /// Path-level parameters first, overridden by operation-level ones of the same name and place.
    fn parameters(
        &mut self,
        shared: &[RawParameter],
        own: Vec<RawParameter>,
        pointer: &str,
    ) -> Vec<Parameter> {
        let path_pointer = pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or(pointer);
        let shared = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), format!("{path_pointer}/parameters/{i}")));
        let own = own
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{pointer}/parameters/{i}")));
        let resolved: Vec<Parameter> = shared
            .chain(own)
            .filter_map(|(raw, at)| {
                let shared = self.shared_parameters;
                let reference = raw.reference.clone();
                let p = self
                    .resolve(raw, "parameters", shared, &at)
                    .map(parameter)?;
                Some(match reference {
                    Some(entry) => self.copies.parameter(p, &entry, &at),
                    None => p,
                })
            })
            .collect();
        keyed::later_replaces(resolved, |p| (p.name.clone(), p.location))
    }

    fn responses(&mut self, responses: raw::Map<RawResponse>, pointer: &str) -> Vec<Response> {
        responses
            .into_iter()
            .filter_map(|(status, raw)| {
                let at = format!("{pointer}/responses/{}", pointer::escape(&status));
                self.response(status, raw, &at)
            })
            .collect()
    }

    /// One response (or notification content, which has the same shape) found at `at`.
    fn response(&mut self, status: String, raw: RawResponse, at: &str) -> Option<Response> {
        let reference = raw.reference.clone();
        let resolved = self.resolve(raw, "responses", self.shared_responses, at)?;
        let response = Response {
            status,
            description: clean(resolved.description),
            schema: resolved.schema.map(|s| schema(s, 0)),
        };
        Some(match reference {
            Some(entry) => self.copies.response(response, &entry, at),
            None => response,
        })
    }

    /// One warning (P011) when copies of shared entries passed the model's budget.
    fn report_slimmed_copies(&mut self) {
        let Some(at) = self.copies.first_slimmed.take() else {
            return;
        };
        let message = format!(
            "shared parameters and responses are copied into so many operations that the \
             copies pass {} MB; from here on, {} copies keep their name, place, type and \
             requirement but not their texts or schemas (the definition has them)",
            copies::BUDGET / (1024 * 1024),
            self.copies.slimmed
        );
        self.findings.push(Finding {
            pointer: at,
            rule: "P011",
            severity: Severity::Warning,
            message,
        });
    }

    /// Follows `{"$ref": "#/<section>/<name>"}` (chains included) to the shared entry.
    fn resolve<T: Referable + Clone>(
        &mut self,
        value: T,
        section: &str,
        shared: &Shared<T>,
        at: &str,
    ) -> Option<T> {
        let mut current = value;
        for _ in 0..8 {
            let Some(target) = current.reference() else {
                return Some(current);
            };
            let prefix = format!("#/{section}/");
            let found = target
                .strip_prefix(&prefix)
                .map(pointer::unescape)
                .and_then(|name| shared.get(&name));
            match found {
                Some(next) => current = next.clone(),
                None => {
                    let message =
                        format!("`$ref` to `{target}`, which is not defined in `{section}`");
                    self.finding(at, message);
                    return None;
                }
            }
        }
        self.finding(at, "`$ref` chain longer than 8 steps (a cycle?)".into());
        None
    }

    fn finding(&mut self, at: &str, message: String) {
        self.findings.push(Finding {
            pointer: format!("{at}/$ref"),
            rule: "P010",
            severity: Severity::Error,
            message,
        });
    }
}

/// Where an operation sits in the definition.
struct Site<'a> {
    path: &'a str,
    method: &'static str,
    pointer: &'a str,
    /// Where the operation's `x-ms-notification-content` is (on it or on its path item).
    notification_at: &'a str,
}

/// Raw types that can be a `$ref` to a shared entry.
trait Referable {
    fn reference(&self) -> Option<&str>;
}

impl Referable for RawSchema {
    fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

impl Referable for RawResponse {
    fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

fn parameter(mut p: RawParameter) -> Parameter {
    let location = p
        .location
        .as_deref()
        .map(ParamLocation::parse)
        .unwrap_or(ParamLocation::Other);
    let body_schema = p.schema.take().map(|s| schema(*s, 0));
    let item_schema = p.items.take().map(|s| schema(*s, 0));
    Parameter {
        name: p.name.take().unwrap_or_default(),
        location,
        summary: clean(p.summary.take()),
        description: clean(p.description.take()),
        required: p.required.flag,
        ty: p.ty.take().or_else(|| {
            body_schema
                .as_ref()
                .and_then(|s| s.ty.as_deref().map(String::from))
        }),
        format: p.format.take(),
        default: p.default.take(),
        enum_values: enum_values(&mut p),
        visibility: Visibility::parse(p.visibility.as_deref()),
        dynamic: dynamic(&p).map(Box::new),
        url_encoding: p.url_encoding.take(),
        notification_url: p.notification_url,
        schema: body_schema.or(item_schema).map(Box::new),
    }
}

/// Converts a JSON schema; at `depth >= MAX_SCHEMA_DEPTH` only scalar facts are kept.
fn schema(mut raw: RawSchema, depth: usize) -> Schema {
    let mut s = Schema {
        ty: raw.ty.take().map(String::into_boxed_str),
        format: raw.format.take().map(String::into_boxed_str),
        title: clean(raw.title.take()).map(String::into_boxed_str),
        description: clean(raw.description.take()).map(String::into_boxed_str),
        summary: clean(raw.summary.take()).map(String::into_boxed_str),
        visibility: Visibility::parse(raw.visibility.as_deref()),
        required: std::mem::take(&mut raw.required.names).into(),
        reference: raw.reference.as_deref().map(|r| reference_name(r).into()),
        enum_values: enum_values(&mut raw).into(),
        default: raw.default.take(),
        dynamic: dynamic(&raw).map(Box::new),
        ..Schema::default()
    };
    if depth >= MAX_SCHEMA_DEPTH {
        s.truncated = !raw.properties.is_empty()
            || raw.items.is_some()
            || raw.additional.is_some()
            || !raw.all_of.is_empty();
        return s;
    }
    s.properties = raw
        .properties
        .into_iter()
        .map(|(name, p)| Property {
            name,
            schema: schema(p, depth + 1),
        })
        .collect();
    s.items = raw.items.map(|i| Box::new(schema(*i, depth + 1)));
    s.additional = raw.additional.map(|a| Box::new(schema(*a, depth + 1)));
    s.all_of = raw
        .all_of
        .into_iter()
        .map(|p| schema(p, depth + 1))
        .collect();
    s
}

/// `#/definitions/Foo` → `Foo`; anything else is kept whole (and will not resolve).
fn reference_name(target: &str) -> String {
    match target.strip_prefix("#/definitions/") {
        Some(name) => pointer::unescape(name).into_owned(),
        None => target.to_string(),
    }
}

/// The allowed values, each with the display name of the first `x-ms-enum-values` entry equal
/// to it. Scalars are matched through a map: a search of the names per value was quadratic
/// (100,000 values took 48 s). Objects and arrays (never seen in a real enum) are searched.
fn enum_values(raw: &mut RawSchema) -> Vec<EnumValue> {
    let names = std::mem::take(&mut raw.enum_names);
    let mut first: foldhash::HashMap<String, usize> = Default::default();
    for (i, n) in names.iter().enumerate() {
        if let Some(key) = keyed::scalar_key(&n.value) {
            first.entry(key).or_insert(i);
        }
    }
    std::mem::take(&mut raw.enum_values)
        .into_iter()
        .map(|value| {
            let name = match keyed::scalar_key(&value) {
                Some(key) => first.get(&key).map(|&i| &names[i]),
                None => names.iter().find(|n| n.value == value),
            };
            EnumValue {
                display_name: name.and_then(|n| clean(n.display_name.clone())),
                value,
            }
        })
        .collect()
}

fn dynamic(raw: &RawSchema) -> Option<Dynamic> {
    let sources = [
        (&raw.dynamic_values, DynamicKind::Values),
        (&raw.dynamic_list, DynamicKind::List),
        (&raw.dynamic_schema, DynamicKind::Schema),
        (&raw.dynamic_properties, DynamicKind::Properties),
        (&raw.dynamic_tree, DynamicKind::Tree),
    ];
    sources.into_iter().find_map(|(v, kind)| {
        let v: &Value = v.as_deref()?;
        let operation_id = str_at(v, &["operationId"])
            .or_else(|| str_at(v, &["browse", "operationId"]))
            .or_else(|| str_at(v, &["open", "operationId"]));
        Some(Dynamic {
            kind,
            operation_id,
            value_path: str_at(v, &["value-path"]).or_else(|| str_at(v, &["itemValuePath"])),
            value_title: str_at(v, &["value-title"]).or_else(|| str_at(v, &["itemTitlePath"])),
            parameters: v
                .get("parameters")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default(),
        })
    })
}

fn trigger_info(
    trigger: &Option<String>,
    hint: &Option<String>,
    metadata: &Option<Value>,
    webhook: bool,
    method: &str,
    id: &str,
    policies: &[Policy],
) -> TriggerInfo {
    let polling_metadata = metadata
        .as_ref()
        .and_then(|m| str_at(m, &["mode"]))
        .is_some_and(|m| m.eq_ignore_ascii_case("polling"));
    let polling_policy = policies.iter().any(|p| {
        p.template_id == "pollingtrigger"
            && (p.operations.is_empty() || p.operations.iter().any(|o| o == id))
    });
    let mode = if webhook {
        TriggerMode::Webhook
    } else if polling_metadata || polling_policy || method == "get" {
        TriggerMode::Polling
    } else {
        TriggerMode::Unknown
    };
    let cardinality = match trigger.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("single") => TriggerCardinality::Single,
        Some("batch") => TriggerCardinality::Batch,
        _ => TriggerCardinality::Unknown,
    };
    TriggerInfo {
        mode,
        cardinality,
        hint: clean(hint.clone()),
    }
}

fn copilot(data: &Value) -> Option<Copilot> {
    let enabled = data.get("openai-enabled").map(raw::truthy).unwrap_or(true);
    enabled.then(|| Copilot {
        user_confirmation: data
            .get("operations")
            .and_then(Value::as_array)
            .is_some_and(|ops| {
                ops.iter().any(|o| {
                    o.get("x-ms-require-user-confirmation")
                        .is_some_and(raw::truthy)
                })
            }),
    })
}

fn str_at(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    cur.as_str().map(str::to_string)
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
