use super::*;
use crate::parse::raw::{RawDefinition, RawProperties};

fn convert_json(def: &str, props: &str) -> Converted {
    let d: RawDefinition = serde_json::from_str(def).expect("definition");
    let p: RawProperties = serde_json::from_str(props).expect("properties");
    convert(d, p)
}

#[test]
fn shared_parameters_and_responses_are_inlined() {
    let c = convert_json(
        r##"{
          "paths": {"/items/{id}": {
            "parameters": [{"$ref": "#/parameters/Id"}],
            "get": {"operationId": "GetItem", "parameters": [{"$ref": "#/parameters/Top"}],
                    "responses": {"200": {"$ref": "#/responses/Ok"}}}}},
          "parameters": {
            "Id": {"name": "id", "in": "path", "required": true, "type": "string", "x-ms-summary": "Item ID"},
            "Top": {"name": "top", "in": "query", "type": "integer"}},
          "responses": {"Ok": {"description": "fine", "schema": {"$ref": "#/definitions/Item"}}},
          "definitions": {"Item": {"type": "object", "properties": {"name": {"type": "string"}}}}
        }"##,
        "{}",
    );
    let op = &c.operations[0];
    assert_eq!(op.parameters.len(), 2);
    assert_eq!(op.parameters[0].name, "id");
    assert_eq!(op.parameters[0].summary.as_deref(), Some("Item ID"));
    assert!(op.parameters[0].required);
    assert_eq!(op.responses[0].description.as_deref(), Some("fine"));
    assert_eq!(
        op.responses[0]
            .schema
            .as_ref()
            .and_then(|s| s.reference.as_deref()),
        Some("Item")
    );
    assert!(c.findings.is_empty());
}

/// Regression: 1,000 operations that each referred to the same 500 long parameters (a 26 MB
/// definition) made a 2.2 GB site and a build of 3.4 GB.
#[test]
fn copies_of_shared_entries_past_the_budget_keep_their_facts_and_say_so() {
    let described = "d".repeat(1_000);
    let def = format!(
        r##"{{
          "paths": {{
            "/a": {{"get": {{"parameters": [{{"$ref": "#/parameters/Q"}}], "responses": {{"200": {{"$ref": "#/responses/Ok"}}}}}}}},
            "/b": {{"get": {{"parameters": [{{"$ref": "#/parameters/Q"}}], "responses": {{"200": {{"$ref": "#/responses/Ok"}}}}}}}},
            "/c": {{"get": {{"parameters": [{{"$ref": "#/parameters/Q"}}, {{"name": "own", "in": "query", "type": "string", "description": "{described}"}}]}}}}}},
          "parameters": {{"Q": {{"name": "q", "in": "query", "required": true, "type": "string", "description": "{described}"}}}},
          "responses": {{"Ok": {{"description": "{described}", "schema": {{"type": "object", "description": "{described}"}}}}}}
        }}"##
    );
    let convert_with = |budget: usize| {
        let d: RawDefinition = serde_json::from_str(&def).expect("definition");
        convert_within(d, RawProperties::default(), budget)
    };
    let whole = convert_with(usize::MAX);
    let param_len = serde_json::to_vec(&whole.operations[0].parameters[0]).map_or(0, |j| j.len());
    let response_len = serde_json::to_vec(&whole.operations[0].responses[0]).map_or(0, |j| j.len());
    // Room for /a's two copies and /b's parameter, not for /b's response.
    let c = convert_with(2 * param_len + response_len + 10);
    let q = |op: usize| &c.operations[op].parameters[0];
    let ok = |op: usize| &c.operations[op].responses[0];
    // /a: both copies whole.
    assert_eq!(q(0).description.as_deref(), Some(described.as_str()));
    assert_eq!(ok(0).description.as_deref(), Some(described.as_str()));
    // /b: the parameter still fits, the response no longer does.
    assert_eq!(q(1).description.as_deref(), Some(described.as_str()));
    assert_eq!(ok(1).description, None);
    assert_eq!(
        ok(1).schema.as_ref().and_then(|s| s.ty.as_deref()),
        Some("object")
    );
    assert_eq!(
        ok(1).schema.as_ref().and_then(|s| s.description.as_deref()),
        None
    );
    // /c: the copy is slim, the operation's own parameter is not a copy and stays whole.
    assert_eq!(
        (
            q(2).name.as_str(),
            q(2).required,
            q(2).description.as_deref()
        ),
        ("q", true, None)
    );
    let own = &c.operations[2].parameters[1];
    assert_eq!(own.description.as_deref(), Some(described.as_str()));
    let warned: Vec<&Finding> = c.findings.iter().filter(|f| f.rule == "P011").collect();
    assert_eq!(warned.len(), 1, "{:?}", c.findings);
    assert_eq!(warned[0].pointer, "/paths/~1b/get/responses/200");
    assert!(
        warned[0].message.contains(", 2 copies keep"),
        "{}",
        warned[0].message
    );
}

#[test]
fn a_missing_ref_is_a_finding_with_a_pointer() {
    let c = convert_json(
        r##"{"paths": {"/a": {"get": {"operationId": "A", "parameters": [{"$ref": "#/parameters/Nope"}]}}}}"##,
        "{}",
    );
    assert!(c.operations[0].parameters.is_empty());
    assert_eq!(c.findings[0].pointer, "/paths/~1a/get/parameters/0/$ref");
}

#[test]
fn a_ref_cycle_between_shared_parameters_does_not_loop() {
    let c = convert_json(
        r##"{"paths": {"/a": {"get": {"parameters": [{"$ref": "#/parameters/A"}]}}},
             "parameters": {"A": {"$ref": "#/parameters/B"}, "B": {"$ref": "#/parameters/A"}}}"##,
        "{}",
    );
    assert!(c.operations[0].parameters.is_empty());
    assert_eq!(c.findings.len(), 1);
    assert!(c.findings[0].message.contains("cycle"));
}

#[test]
fn recursive_definitions_are_detected() {
    let c = convert_json(
        r##"{"definitions": {
            "Folder": {"properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/Folder"}}}},
            "A": {"properties": {"b": {"$ref": "#/definitions/B"}}},
            "B": {"properties": {"a": {"$ref": "#/definitions/A"}}},
            "Leaf": {"properties": {"x": {"type": "string"}}},
            "UsesA": {"properties": {"a": {"$ref": "#/definitions/A"}}}}}"##,
        "{}",
    );
    let flags: Vec<(&str, bool)> = c
        .definitions
        .iter()
        .map(|d| (d.name.as_str(), d.recursive))
        .collect();
    assert_eq!(
        flags,
        [
            ("Folder", true),
            ("A", true),
            ("B", true),
            ("Leaf", false),
            ("UsesA", false)
        ]
    );
}

/// The plain definition: a search from every node (quadratic, which is why it is not used).
fn reaches_itself(edges: &[Vec<usize>], start: usize) -> bool {
    let mut seen = vec![false; edges.len()];
    let mut stack = edges[start].clone();
    while let Some(n) = stack.pop() {
        if n == start {
            return true;
        }
        if !std::mem::replace(&mut seen[n], true) {
            stack.extend(&edges[n]);
        }
    }
    false
}

#[test]
fn cycles_are_found_as_a_search_from_every_node_finds_them() {
    // 2,000 graphs of 1 to 7 nodes, their edges drawn from a fixed xorshift sequence.
    let mut seed = 0x2545_f491_u64;
    for _ in 0..2_000 {
        let n = 1 + (seed % 7) as usize;
        let edges: Vec<Vec<usize>> = (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (0..n).filter(|j| (seed >> (j * 3)) & 3 == 0).collect()
            })
            .collect();
        let want: Vec<bool> = (0..n).map(|v| reaches_itself(&edges, v)).collect();
        assert_eq!(in_a_cycle(&edges), want, "{edges:?}");
    }
}

/// Regression: recursion was found by a search from every definition, quadratic in their
/// number (20,000 definitions took 3.8 s to parse; this chain would have taken hours).
#[test]
fn a_chain_of_100_000_definitions_closed_into_a_ring_is_one_cycle() {
    let n = 100_000;
    let chain: Vec<Vec<usize>> = (0..n)
        .map(|i| vec![i + 1])
        .take(n - 1)
        .chain([vec![]])
        .collect();
    assert!(
        in_a_cycle(&chain).iter().all(|r| !r),
        "a chain has no cycle"
    );
    let mut ring = chain;
    ring[n - 1] = vec![0];
    assert!(in_a_cycle(&ring).iter().all(|r| *r));
}

/// Regression: each value searched the display names one by one, quadratic (100,000 values
/// took 48 s). Matching is still `Value` equality: the type counts, the first name wins.
#[test]
fn enum_display_names_match_by_value_the_first_name_winning() {
    let c = convert_json(
        r##"{"paths": {"/a": {"get": {"parameters": [{"name": "e", "in": "query",
            "enum": ["a", 1, 1.0, -0.0, true, null, "1", ["x"], "z"],
            "x-ms-enum-values": [
                {"value": "a", "displayName": "A"}, {"value": "a", "displayName": "A again"},
                {"value": 1, "displayName": "one"}, {"value": 1.0, "displayName": "one point oh"},
                {"value": 0.0, "displayName": "zero"}, {"value": true, "displayName": "yes"},
                {"value": null, "displayName": "nothing"}, {"value": "1", "displayName": "text one"},
                {"value": ["x"], "displayName": "list"}]}]}}}}"##,
        "{}",
    );
    let names: Vec<Option<&str>> = c.operations[0].parameters[0]
        .enum_values
        .iter()
        .map(|e| e.display_name.as_deref())
        .collect();
    let want = [
        Some("A"),
        Some("one"),
        Some("one point oh"),
        Some("zero"),
        Some("yes"),
        Some("nothing"),
        Some("text one"),
        Some("list"),
        None,
    ];
    assert_eq!(names, want);
}

#[test]
fn triggers_get_their_mode_and_cardinality() {
    let c = convert_json(
        r##"{"paths": {
            "/poll": {"get": {"operationId": "OnNew", "x-ms-trigger": "batch", "x-ms-trigger-hint": "Add a row"}},
            "/hook": {"post": {"operationId": "OnHook", "x-ms-trigger": "single",
                "parameters": [{"name": "body", "in": "body", "required": true,
                                "schema": {"type": "object", "properties": {"url": {"type": "string", "x-ms-notification-url": true}}}},
                               {"name": "cb", "in": "query", "type": "string", "x-ms-notification-url": true}]}},
            "/act": {"post": {"operationId": "Act"}}}}"##,
        "{}",
    );
    let t = c.operations[0].trigger.as_ref().expect("trigger");
    assert_eq!(
        (t.mode, t.cardinality),
        (TriggerMode::Polling, TriggerCardinality::Batch)
    );
    assert_eq!(t.hint.as_deref(), Some("Add a row"));
    let w = c.operations[1].trigger.as_ref().expect("trigger");
    assert_eq!(
        (w.mode, w.cardinality),
        (TriggerMode::Webhook, TriggerCardinality::Single)
    );
    assert_eq!(c.operations[2].kind, OperationKind::Action);
}

#[test]
fn annotations_enums_dynamic_values_and_copilot() {
    let c = convert_json(
        r##"{"paths": {"/v1": {"get": {"operationId": "GetV1", "deprecated": true,
              "x-ms-api-annotation": {"family": "Get", "revision": 1, "replacement": {"api": "x", "operationId": "GetV2"}},
              "parameters": [{"name": "color", "in": "query", "type": "string", "enum": ["r", "g"],
                              "x-ms-enum-values": [{"value": "r", "displayName": "Red"}],
                              "x-ms-dynamic-values": {"operationId": "ListColors", "value-path": "id", "value-title": "name",
                                                      "parameters": {"kind": {"parameter": "kind"}}}}]}},
            "/v2": {"get": {"operationId": "GetV2", "x-ms-api-annotation": {"family": "Get", "revision": "2", "status": "preview"},
              "x-ms-openai-data": {"openai-enabled": true, "operations": [{"operationId": "GetV2", "x-ms-require-user-confirmation": true}]},
              "x-ms-pageable": {"nextLinkName": "@odata.nextLink"}}}}}"##,
        r##"{"properties": {"scriptOperations": ["GetV2"]}}"##,
    );
    let v1 = &c.operations[0];
    assert!(v1.deprecated);
    assert_eq!(v1.annotation.family, "Get");
    assert_eq!(
        v1.annotation
            .replacement
            .as_ref()
            .and_then(|r| r.operation_id.as_deref()),
        Some("GetV2")
    );
    let p = &v1.parameters[0];
    assert_eq!(p.enum_values[0].display_name.as_deref(), Some("Red"));
    assert_eq!(p.enum_values[1].display_name, None);
    let dynamic = p.dynamic.as_ref().expect("dynamic");
    assert_eq!(dynamic.operation_id.as_deref(), Some("ListColors"));
    assert_eq!(dynamic.parameters, ["kind"]);
    let v2 = &c.operations[1];
    assert_eq!(v2.annotation.revision, 2);
    assert_eq!(v2.annotation.status, Some(Status::Preview));
    assert!(v2.copilot.as_ref().is_some_and(|c| c.user_confirmation));
    assert_eq!(v2.paging.as_deref(), Some("@odata.nextLink"));
    assert!(v2.custom_code);
    assert!(!v1.custom_code);
}

#[test]
fn metadata_auth_connection_sets_and_policies() {
    let c = convert_json(
        r##"{"info": {"title": " Demo ", "x-ms-api-annotation": {"status": "production"}},
            "securityDefinitions": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                                    "oauth": {"type": "oauth2", "flow": "accessCode", "scopes": {"read": "Read"}}},
            "x-ms-connector-metadata": [{"propertyName": "WebSite", "propertyValue": "https://x.test"},
                                        {"propertyName": "Privacy Policy", "propertyValue": "https://x.test/p"},
                                        {"propertyName": "Categories", "propertyValue": "productivity;AI"}]}"##,
        r##"{"properties": {
            "connectionParameterSets": {"values": [
              {"name": "key", "uiDefinition": {"displayName": "API key"},
               "parameters": {"api_key": {"type": "securestring", "uiDefinition": {"displayName": "Key", "constraints": {"required": "true"}}}}},
              {"name": "oauth", "parameters": {"token": {"type": "oauthSetting", "oAuthSettings": {"identityProvider": "aad", "scopes": ["a"]}}}}]},
            "policyTemplateInstances": [{"templateId": "SetHeader", "title": "Set", "parameters": {"x-ms-apimTemplate-operationName": ["A"]}}],
            "publisher": "Contoso", "stackOwner": "Contoso Ltd", "iconBrandColor": "#123456"}}"##,
    );
    assert_eq!(c.info.title.as_deref(), Some("Demo"));
    assert_eq!(c.info.status, Some(Status::Production));
    assert_eq!(c.links.website.as_deref(), Some("https://x.test"));
    assert_eq!(c.links.privacy_policy.as_deref(), Some("https://x.test/p"));
    assert_eq!(c.metadata.categories, ["Productivity", "AI"]);
    let kinds: Vec<AuthKind> = c.auth.iter().map(|a| a.kind).collect();
    assert_eq!(kinds, [AuthKind::ApiKey, AuthKind::OAuth2]);
    assert_eq!(c.auth[1].scopes, ["read"]);
    assert_eq!(c.connection_sets.len(), 2);
    assert!(c.connection_sets[0].parameters[0].required);
    let oauth = c.connection_sets[1].parameters[0]
        .oauth
        .as_ref()
        .expect("oauth");
    assert_eq!(oauth.identity_provider.as_deref(), Some("aad"));
    assert_eq!(c.policies[0].template_id, "setheader");
    assert_eq!(c.policies[0].written_id.as_deref(), Some("SetHeader"));
    assert_eq!(c.policies[0].operations, ["A"]);
    assert_eq!(c.publisher.as_deref(), Some("Contoso"));
}

#[test]
fn operations_without_ids_get_unique_anchors() {
    let c = convert_json(
        r##"{"paths": {"/a": {"get": {}, "post": {"operationId": "GET /a"}}}}"##,
        "{}",
    );
    assert_eq!(c.operations[0].id, "GET /a");
    assert!(!c.operations[0].has_operation_id);
    assert_ne!(c.operations[0].anchor, c.operations[1].anchor);
}

#[test]
fn deep_schemas_are_truncated_not_overflowing() {
    let mut json = String::new();
    // 50 levels stay under serde_json's own nesting limit but over ours.
    for _ in 0..50 {
        json.push_str(r##"{"type": "object", "properties": {"x": "##);
    }
    json.push_str(r##"{"type": "string"}"##);
    for _ in 0..50 {
        json.push_str("}}");
    }
    let raw: RawSchema = serde_json::from_str(&json).expect("valid JSON");
    let s = schema(raw, 0);
    let mut depth = 0;
    let mut cur = &s;
    while let Some(p) = cur.properties.first() {
        cur = &p.schema;
        depth += 1;
    }
    assert_eq!(depth, MAX_SCHEMA_DEPTH);
    assert!(cur.truncated);
}

/// Regression: the corpus puts `x-ms-notification-content` on the path item (685 times, never
/// on an operation); such triggers were not webhooks and their payload was not shown.
#[test]
fn path_level_notification_content_makes_a_webhook_with_its_payload() {
    let c = convert_json(
        r##"{"paths": {
            "/webhooks": {
                "x-ms-notification-content": {"description": "The new event",
                    "schema": {"$ref": "#/definitions/Event"}},
                "post": {"operationId": "OnEvent", "x-ms-trigger": "single",
                    "responses": {"201": {"description": "Created"}}}},
            "/items": {"post": {"operationId": "AddItem",
                "responses": {"200": {"description": "OK"}}}}},
          "definitions": {"Event": {"type": "object", "properties": {"start": {"type": "string"}}}}}"##,
        "{}",
    );
    let hook = &c.operations[0];
    let t = hook.trigger.as_ref().expect("trigger");
    assert_eq!(t.mode, TriggerMode::Webhook);
    let out = hook.success_response().expect("output");
    assert_eq!(out.description.as_deref(), Some("The new event"));
    assert_eq!(
        out.schema.as_ref().and_then(|s| s.reference.as_deref()),
        Some("Event")
    );
    assert!(c.operations[1].notification.is_none(), "actions carry none");
    assert!(c.findings.is_empty());
}

/// A broken `$ref` in path-level notification content is located on the path item, where
/// the publisher wrote it, not under the operation.
#[test]
fn a_broken_path_level_notification_ref_is_located_on_the_path_item() {
    let c = convert_json(
        r##"{"paths": {"/hooks": {
            "x-ms-notification-content": {"$ref": "#/responses/Missing"},
            "post": {"operationId": "OnHook", "x-ms-trigger": "single",
                     "responses": {"201": {"description": "Created"}}}}}}"##,
        "{}",
    );
    assert!(c.operations[0].notification.is_none());
    assert_eq!(c.findings.len(), 1, "{:?}", c.findings[0].message);
    assert!(
        c.findings[0]
            .pointer
            .starts_with("/paths/~1hooks/x-ms-notification-content"),
        "{}",
        c.findings[0].pointer
    );
}
