//! Reading the parsed definition the way the rules need it: operations with their pointers,
//! parameters with `$ref`s followed, and a walk over every object that has Swagger meaning
//! (skipping the keys that are names, like `properties` or `paths`, and the values that are
//! data, like `example` or `default`).

use serde_json::{Map, Value};

/// The HTTP methods of a path item, in the order the model lists operations.
pub const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Keys whose value is an object of names (property names, status codes, paths...).
const NAME_MAPS: [&str; 9] = [
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "properties",
    "headers",
    "scopes",
    "patternProperties",
];

/// Keys whose value is data, not Swagger (anything may be spelled inside).
const DATA: [&str; 8] = [
    "example",
    "examples",
    "default",
    "enum",
    "const",
    "x-ms-test-value",
    "x-ms-examples",
    "x-ms-openai-manifest",
];

/// Deepest nesting visited.
const MAX_DEPTH: usize = 256;

use crate::parse::keyed;
use crate::parse::pointer::{child, escape};

/// One operation of the definition.
pub struct Op<'a> {
    pub path: &'a str,
    pub method: &'static str,
    /// `/paths/<path>/<method>`.
    pub pointer: String,
    /// `/paths/<path>`.
    pub item_pointer: String,
    pub value: &'a Map<String, Value>,
    pub item: &'a Map<String, Value>,
}

impl<'a> Op<'a> {
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.value.get(key).and_then(Value::as_str)
    }

    /// Pointer to a member of the operation.
    pub fn at(&self, key: &str) -> String {
        child(&self.pointer, key)
    }

    pub fn operation_id(&self) -> Option<&'a str> {
        self.str("operationId")
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// `deprecated: true` (also `"true"`, as the model reads it).
    pub fn deprecated(&self) -> bool {
        self.value
            .get("deprecated")
            .is_some_and(crate::parse::raw::truthy)
    }

    pub fn is_trigger(&self) -> bool {
        self.value.contains_key("x-ms-trigger")
    }

    /// A name for messages: the operation id, else `METHOD path`.
    pub fn label(&self) -> String {
        match self.operation_id() {
            Some(id) => format!("`{id}`"),
            None => format!("`{} {}`", self.method.to_ascii_uppercase(), self.path),
        }
    }
}

/// Every operation, paths in source order, methods in `METHODS` order.
pub fn operations(def: &Value) -> Vec<Op<'_>> {
    let Some(paths) = def.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        let item_pointer = child("/paths", path);
        for method in METHODS {
            if let Some(value) = item.get(method).and_then(Value::as_object) {
                out.push(Op {
                    path,
                    method,
                    pointer: child(&item_pointer, method),
                    item_pointer: item_pointer.clone(),
                    value,
                    item,
                });
            }
        }
    }
    out
}

/// Every `x-ms-api-annotation.status` (the connector's, then each operation's) with its pointer.
pub fn statuses<'a>(def: &'a Value, ops: &[Op<'a>]) -> Vec<(String, &'a Value)> {
    let mut out = Vec::new();
    if let Some(v) = def.pointer("/info/x-ms-api-annotation/status") {
        out.push(("/info/x-ms-api-annotation/status".to_string(), v));
    }
    for op in ops {
        if let Some(v) = op
            .value
            .get("x-ms-api-annotation")
            .and_then(|a| a.get("status"))
        {
            out.push((child(&op.at("x-ms-api-annotation"), "status"), v));
        }
    }
    out
}

/// Follows `$ref`s (`#/...`) from `value` at `pointer`; `None` when one does not resolve.
pub fn resolve<'a>(def: &'a Value, value: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
    let mut current = value;
    let mut at = pointer.to_string();
    for _ in 0..8 {
        let Some(target) = current.get("$ref").and_then(Value::as_str) else {
            return Some((current, at));
        };
        let target = target.strip_prefix('#')?;
        current = crate::parse::pointer::lookup(def, target)?;
        at = target.to_string();
    }
    None
}

/// One parameter of an operation, `$ref` followed.
pub struct Param<'a> {
    pub value: &'a Map<String, Value>,
    /// Where the parameter is defined (a shared `#/parameters/...` entry or inline).
    pub pointer: String,
    /// Where the operation lists it (`.../parameters/<i>`).
    pub site: String,
    pub name: &'a str,
    /// `in`, as written.
    pub location: &'a str,
}

impl<'a> Param<'a> {
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.value.get(key).and_then(Value::as_str)
    }

    pub fn at(&self, key: &str) -> String {
        child(&self.pointer, key)
    }

    pub fn required(&self) -> bool {
        self.value
            .get("required")
            .is_some_and(crate::parse::raw::truthy)
    }

    pub fn visibility(&self) -> Option<&'a str> {
        self.str("x-ms-visibility")
    }

    pub fn is_internal(&self) -> bool {
        self.visibility()
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("internal"))
    }

    pub fn is_body(&self) -> bool {
        self.location.eq_ignore_ascii_case("body")
    }
}

/// The parameters of an operation: path-level first, overridden by operation-level ones of
/// the same name and place, each with `$ref` followed. Unresolvable ones are left out (P010).
pub fn parameters<'a>(def: &'a Value, op: &Op<'a>) -> Vec<Param<'a>> {
    let lists = [
        (
            op.item.get("parameters"),
            child(&op.item_pointer, "parameters"),
        ),
        (op.value.get("parameters"), op.at("parameters")),
    ];
    let mut out: Vec<Param<'a>> = Vec::new();
    for (list, list_pointer) in lists {
        let Some(items) = list.and_then(Value::as_array) else {
            continue;
        };
        for (i, raw) in items.iter().enumerate() {
            let site = format!("{list_pointer}/{i}");
            let Some((value, pointer)) = resolve(def, raw, &site) else {
                continue;
            };
            let Some(value) = value.as_object() else {
                continue;
            };
            let param = Param {
                value,
                pointer,
                site,
                name: value.get("name").and_then(Value::as_str).unwrap_or(""),
                location: value.get("in").and_then(Value::as_str).unwrap_or(""),
            };
            out.push(param);
        }
    }
    // The operation's own parameter replaces the path's of the same name and place.
    keyed::later_replaces(out, |p| (p.name, p.location))
}

/// One segment of the way to a node.
#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// An object met by `objects`, with the way to it (its pointer is only built when asked).
pub struct Node<'a, 'p> {
    pub map: &'a Map<String, Value>,
    path: &'p [Segment<'a>],
}

impl Node<'_, '_> {
    /// The JSON pointer of this object.
    pub fn pointer(&self) -> String {
        let mut out = String::new();
        for segment in self.path {
            out.push('/');
            match segment {
                Segment::Key(k) => out.push_str(&escape(k)),
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    /// The pointer of a member of this object.
    pub fn at(&self, key: &str) -> String {
        child(&self.pointer(), key)
    }
}

/// Calls `f` with every object that has Swagger meaning: the document, its operations,
/// parameters, responses, schemas and extensions, but not the objects of names (whose members
/// are visited instead) nor data values. One pass, no pointer built unless a rule asks.
pub fn objects<'a>(root: &'a Value, f: &mut dyn FnMut(&Node<'a, '_>)) {
    let mut path: Vec<Segment<'a>> = Vec::new();
    visit(root, &mut path, f);
}

fn visit<'a>(value: &'a Value, path: &mut Vec<Segment<'a>>, f: &mut dyn FnMut(&Node<'a, '_>)) {
    if path.len() > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            f(&Node { map, path });
            for (key, v) in map {
                if DATA.contains(&key.as_str()) || !(v.is_object() || v.is_array()) {
                    continue;
                }
                path.push(Segment::Key(key));
                match v {
                    Value::Object(names) if NAME_MAPS.contains(&key.as_str()) => {
                        for (name, member) in names {
                            path.push(Segment::Key(name));
                            visit(member, path, f);
                            path.pop();
                        }
                    }
                    _ => visit(v, path, f),
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                if v.is_object() || v.is_array() {
                    path.push(Segment::Index(i));
                    visit(v, path, f);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_and_parameters_with_refs() {
        let def = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"$ref": "#/parameters/Id"}],
                "get": {"operationId": "GetA", "parameters": [{"name": "q", "in": "query"}]},
                "post": {"operationId": "PostA", "parameters": [{"name": "id", "in": "path", "type": "integer"}]}
            }},
            "parameters": {"Id": {"name": "id", "in": "path", "type": "string"}}
        });
        let ops = operations(&def);
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0].pointer, "/paths/~1a~1{id}/get");
        let get = parameters(&def, &ops[0]);
        assert_eq!(get.len(), 2);
        assert_eq!(get[0].pointer, "/parameters/Id");
        assert_eq!(get[0].site, "/paths/~1a~1{id}/parameters/0");
        let post = parameters(&def, &ops[1]);
        assert_eq!(post.len(), 1, "operation-level overrides path-level");
        assert_eq!(post[0].str("type"), Some("integer"));
    }

    #[test]
    fn objects_skip_names_and_data() {
        let def = json!({
            "definitions": {"x-ms-thing": {"properties": {"x-ms-prop": {"type": "string", "example": {"x-ms-no": 1}}}}}
        });
        let mut seen = Vec::new();
        objects(&def, &mut |node| seen.push(node.pointer()));
        let pointers: Vec<&str> = seen.iter().map(String::as_str).collect();
        assert_eq!(
            pointers,
            [
                "",
                "/definitions/x-ms-thing",
                "/definitions/x-ms-thing/properties/x-ms-prop"
            ]
        );
    }
}
