//! Each kind of change, between two small definitions parsed as the build parses them.

use super::*;
use crate::parse::definition_model;

/// A definition with operation `GetTask` (extra keys, parameters, response schema) and more
/// paths and top-level keys.
fn def(op: &str, params: &str, response: &str, more: &str) -> Connector {
    let text = format!(
        r#"{{"swagger": "2.0", "paths": {{"/tasks": {{"get": {{"operationId": "GetTask", {op}
          "parameters": [{params}],
          "responses": {{"200": {{"description": "OK", "schema": {response}}}}}}}}}}}{more}}}"#
    );
    model(&text)
}

fn model(text: &str) -> Connector {
    let mut problems = Vec::new();
    let model = definition_model("c/Alpha/apiDefinition.swagger.json", text, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    model
}

const OUT: &str = r#"{"type": "object", "properties": {"done": {"type": "boolean"}, "owner": {"type": "object", "properties": {"name": {"type": "string"}}}}}"#;
const P: &str = r#"{"name": "view", "in": "query", "type": "string"}"#;

fn messages(a: &Connector, b: &Connector) -> Vec<(Kind, bool, String)> {
    compare(a, b)
        .into_iter()
        .map(|c| (c.kind, c.breaking, c.message))
        .collect()
}

fn one(a: &Connector, b: &Connector) -> (Kind, bool, String) {
    let all = messages(a, b);
    assert_eq!(all.len(), 1, "{all:?}");
    all.into_iter().next().expect("one change")
}

#[test]
fn no_change_no_line() {
    let a = def("", P, OUT, "");
    assert!(compare(&a, &a.clone()).is_empty());
}

#[test]
fn operations_added_and_removed() {
    let a = def("", P, OUT, "");
    let b = model(
        r#"{"paths": {"/tasks": {"get": {"operationId": "GetTask", "parameters": [{"name": "view", "in": "query", "type": "string"}],
          "responses": {"200": {"description": "OK", "schema": {"type": "object", "properties": {"done": {"type": "boolean"}, "owner": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}}},
          "/more": {"post": {"operationId": "AddTask", "responses": {}}}}}"#,
    );
    assert_eq!(
        one(&a, &b),
        (
            Kind::OperationAdded,
            false,
            "`AddTask`: new operation.".into()
        )
    );
    assert_eq!(
        one(&b, &a),
        (
            Kind::OperationRemoved,
            true,
            "`AddTask`: the operation has been deleted. This change breaks existing flows.".into()
        )
    );
}

#[test]
fn deprecated_revised_and_visibility() {
    let a = def("", P, OUT, "");
    let b = def(
        r#""deprecated": true, "x-ms-visibility": "internal", "x-ms-api-annotation": {"family": "GetTask", "revision": 2},"#,
        P,
        OUT,
        "",
    );
    let kinds: Vec<(Kind, bool)> = messages(&a, &b).iter().map(|m| (m.0, m.1)).collect();
    assert_eq!(
        kinds,
        [
            (Kind::OperationDeprecated, false),
            (Kind::OperationRevised, false),
            (Kind::Visibility, false)
        ]
    );
    assert_eq!(
        messages(&a, &b)[2].2,
        "`GetTask`: visibility changed from `none` to `internal`."
    );
}

#[test]
fn parameters_added_removed_required_retyped() {
    let a = def("", P, OUT, "");
    let optional = def(
        "",
        &format!(r#"{P}, {{"name": "top", "in": "query", "type": "integer"}}"#),
        OUT,
        "",
    );
    assert_eq!(one(&a, &optional).0, Kind::ParameterAdded);
    assert!(!one(&a, &optional).1);
    assert_eq!(
        one(&optional, &a),
        (
            Kind::ParameterRemoved,
            true,
            "`GetTask`: the parameter `top` has been deleted. This change breaks existing flows."
                .into()
        )
    );
    let required = def(
        "",
        r#"{"name": "view", "in": "query", "type": "string", "required": true}"#,
        OUT,
        "",
    );
    assert_eq!(one(&a, &required).0, Kind::ParameterRequired);
    let retyped = def(
        "",
        r#"{"name": "view", "in": "query", "type": "integer"}"#,
        OUT,
        "",
    );
    assert_eq!(
        one(&a, &retyped).2,
        "`GetTask`: the parameter `view` changed type from `string` to `integer`. This change breaks existing flows."
    );
}

#[test]
fn enums_added_narrowed_and_widened() {
    let e = |values: &str| {
        def(
            "",
            &format!(r#"{{"name": "view", "in": "query", "type": "string", "enum": [{values}]}}"#),
            OUT,
            "",
        )
    };
    let free = def("", P, OUT, "");
    let (ab, a, abc) = (e(r#""a", "b""#), e(r#""a""#), e(r#""a", "b", "c""#));
    assert_eq!(one(&free, &ab).0, Kind::ParameterEnum);
    assert!(one(&free, &ab).1);
    assert_eq!(
        one(&ab, &a).2,
        "`GetTask`: the parameter `view` no longer accepts `\"b\"`. This change breaks existing flows."
    );
    assert_eq!(
        one(&ab, &abc),
        (
            Kind::ParameterEnum,
            false,
            "`GetTask`: the parameter `view` accepts new values `\"c\"`.".into()
        )
    );
}

#[test]
fn response_fields_removed_and_retyped() {
    let a = def("", P, OUT, "");
    let removed = def(
        "",
        P,
        r#"{"type": "object", "properties": {"done": {"type": "boolean"}}}"#,
        "",
    );
    assert_eq!(
        one(&a, &removed),
        (
            Kind::ResponseFieldRemoved,
            true,
            "`GetTask`: the output `owner` has been removed. This change breaks existing flows."
                .into()
        ),
        "only the top of the removed subtree"
    );
    let retyped = def(
        "",
        P,
        r#"{"type": "object", "properties": {"done": {"type": "string"}, "owner": {"type": "object", "properties": {"name": {"type": "string"}}}}}"#,
        "",
    );
    assert_eq!(one(&a, &retyped).0, Kind::ResponseType);
    assert!(
        compare(&removed, &a).is_empty(),
        "a new output field is no change to list"
    );
}

#[test]
fn auth_changes() {
    let key =
        r#", "securityDefinitions": {"k": {"type": "apiKey", "in": "header", "name": "X-Key"}}"#;
    let key2 =
        r#", "securityDefinitions": {"k": {"type": "apiKey", "in": "header", "name": "X-Other"}}"#;
    let oauth = r#", "securityDefinitions": {"o": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.test", "tokenUrl": "https://t.test", "scopes": {}}}"#;
    let (k, k2, o) = (
        def("", P, OUT, key),
        def("", P, OUT, key2),
        def("", P, OUT, oauth),
    );
    assert_eq!(
        one(&k, &o),
        (
            Kind::Auth,
            true,
            "The authentication changed from `apiKey` to `oauth2`. This change breaks existing flows."
                .into()
        )
    );
    assert_eq!(one(&k, &k2).0, Kind::Auth);
    assert!(!one(&k, &k2).1);
}

#[test]
fn description_edits_fold_into_one_line() {
    let a = def("", P, OUT, "");
    let b = def(
        r#""summary": "Get a task", "description": "Gets it.","#,
        r#"{"name": "view", "in": "query", "type": "string", "description": "How"}"#,
        OUT,
        "",
    );
    assert_eq!(
        one(&a, &b),
        (
            Kind::Descriptions,
            false,
            "Descriptions edited in 1 operation.".into()
        )
    );
    assert!(breaking(&a, &b).is_empty());
}

#[test]
fn a_kinds_id_is_its_json_name() {
    use Kind::*;
    let all = [
        OperationAdded,
        OperationRemoved,
        OperationDeprecated,
        OperationRevised,
        ParameterAdded,
        ParameterRemoved,
        ParameterRequired,
        ParameterType,
        ParameterEnum,
        ResponseFieldRemoved,
        ResponseType,
        Visibility,
        Auth,
        Descriptions,
    ];
    for kind in all {
        let json = serde_json::to_value(kind).unwrap();
        assert_eq!(json.as_str(), Some(kind.id()), "{kind:?}");
    }
}
