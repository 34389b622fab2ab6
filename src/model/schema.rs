//! JSON schemas of bodies, responses and definitions, and their flattening to dotted paths.
//!
//! A `$ref` stays a reference (`Schema::reference`) to a named `Definition`: definitions are
//! stored once per connector, so a recursive schema is a finite graph, never an infinite tree.
//! `flatten` walks that graph with a stack of the definitions being expanded, so a cycle is
//! reported (`FieldNote::Recursive`) instead of followed, and it stops at a depth and field
//! budget so a huge schema cannot make a huge page.

use super::{Dynamic, EnumValue, Visibility};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One node of a schema. Its texts are boxed `str`s and its lists boxed slices, not `String`s
/// and `Vec`s: the corpus's catalog holds about 280,000 nodes, and each carried a capacity
/// field per text and list, often with spare room behind it (304 bytes a node before, 224
/// now; the catalog 243 MB before, 165 MB now). The JSON is the same.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Schema {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ty: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Box<str>>,
    /// `x-ms-summary`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Box<str>>,
    #[serde(skip_serializing_if = "is_normal")]
    pub visibility: Visibility,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub required: Box<[String]>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub properties: Box<[Property]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub all_of: Box<[Schema]>,
    /// Name of the definition this node refers to (`#/definitions/<name>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<Box<str>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub enum_values: Box<[EnumValue]>,
    /// Boxed, as `dynamic`: few nodes have one, and every node of every schema pays for the
    /// field's size (a catalog holds about 280,000 nodes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Box<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dynamic: Option<Box<Dynamic>>,
    /// The source nests deeper than the model keeps; the rest was cut.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

fn is_normal(v: &Visibility) -> bool {
    *v == Visibility::Normal
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Property {
    pub name: String,
    pub schema: Schema,
}

/// A named entry of `definitions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub name: String,
    pub schema: Schema,
    /// It refers back to itself, directly or through other definitions.
    pub recursive: bool,
}

/// One row of a flattened schema: `items.address.city`, its type and text. The texts are
/// the schema's own, borrowed: copying them for every row of every page was 1% of a build.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field<'a> {
    /// Dotted path; empty for the root itself, `[]` marks array items.
    pub path: String,
    pub summary: Option<&'a str>,
    pub ty: String,
    pub format: Option<&'a str>,
    pub description: Option<&'a str>,
    pub required: bool,
    pub visibility: &'a Visibility,
    pub enum_values: &'a [EnumValue],
    pub dynamic: Option<&'a Dynamic>,
    pub depth: usize,
    pub note: Option<FieldNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "lowercase")]
pub enum FieldNote {
    /// This field is the named definition again: expanding it would loop.
    Recursive(String),
    /// Nested deeper than the depth limit; not expanded.
    Deep,
    /// `$ref` to a definition that does not exist.
    Missing(String),
}

/// Nodes a flattening may walk per row of its field budget.
const STEPS_PER_FIELD: usize = 16;

/// Limits of one flattening.
#[derive(Debug, Clone, Copy)]
pub struct FlattenLimits {
    pub max_depth: usize,
    pub max_fields: usize,
}

impl Default for FlattenLimits {
    fn default() -> Self {
        FlattenLimits {
            max_depth: 8,
            max_fields: 400,
        }
    }
}

/// The result of flattening: rows, and whether the field budget cut it short.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Flat<'a> {
    pub fields: Vec<Field<'a>>,
    pub cut: bool,
}

/// Flatten `schema` into dotted-path rows, resolving references through `lookup`.
pub fn flatten<'a>(
    schema: &'a Schema,
    lookup: &dyn Fn(&str) -> Option<&'a Schema>,
    limits: FlattenLimits,
) -> Flat<'a> {
    let mut walker = Walker {
        lookup,
        limits,
        stack: Vec::new(),
        steps: 0,
        out: Flat::default(),
    };
    walker.visit(schema, "", 0, false);
    walker.out
}

struct Walker<'a, 'f> {
    lookup: &'f dyn Fn(&str) -> Option<&'a Schema>,
    limits: FlattenLimits,
    /// Definitions being expanded on the current path (cycle detection).
    stack: Vec<&'a str>,
    /// Nodes walked so far: `allOf` members emit no rows of their own, so the field budget
    /// alone does not bound the walk (an `allOf` lattice doubles at every level).
    steps: usize,
    out: Flat<'a>,
}

impl<'a> Walker<'a, '_> {
    fn visit(&mut self, node: &'a Schema, path: &str, depth: usize, required: bool) {
        if self.out.fields.len() >= self.limits.max_fields {
            self.out.cut = true;
            return;
        }
        let Some((node, entered)) = self.enter(node, path, depth, required) else {
            return;
        };
        self.emit(node, path, depth, required, None);
        if depth >= self.limits.max_depth {
            if has_children(node) {
                if let Some(last) = self.out.fields.last_mut() {
                    last.note = Some(FieldNote::Deep);
                }
            }
        } else {
            self.children(node, path, depth);
        }
        if entered {
            self.stack.pop();
        }
    }

    /// Resolve references; returns the node to describe and whether a definition was pushed.
    fn enter(
        &mut self,
        node: &'a Schema,
        path: &str,
        depth: usize,
        required: bool,
    ) -> Option<(&'a Schema, bool)> {
        let Some(name) = node.reference.as_deref() else {
            return Some((node, false));
        };
        if self.stack.contains(&name) {
            let note = FieldNote::Recursive(name.to_string());
            self.emit(node, path, depth, required, Some(note));
            return None;
        }
        match (self.lookup)(name) {
            Some(target) => {
                self.stack.push(name);
                Some((target, true))
            }
            None => {
                let note = FieldNote::Missing(name.to_string());
                self.emit(node, path, depth, required, Some(note));
                None
            }
        }
    }

    fn children(&mut self, node: &'a Schema, path: &str, depth: usize) {
        self.steps += 1;
        if self.steps > self.limits.max_fields.saturating_mul(STEPS_PER_FIELD) {
            self.out.cut = true;
            return;
        }
        for part in &node.all_of {
            // allOf members describe the same object: their fields sit at this level.
            let Some((part, entered)) = self.enter(part, path, depth, false) else {
                continue;
            };
            self.children(part, path, depth);
            if entered {
                self.stack.pop();
            }
        }
        for prop in &node.properties {
            let child = join(path, &prop.name);
            let required = node.required.iter().any(|r| r == &prop.name);
            self.visit(&prop.schema, &child, depth + 1, required);
        }
        if let Some(items) = &node.items {
            let child = join(path, "[]");
            self.visit(items, &child, depth + 1, false);
        }
    }

    fn emit(
        &mut self,
        node: &'a Schema,
        path: &str,
        depth: usize,
        required: bool,
        note: Option<FieldNote>,
    ) {
        if path.is_empty() && note.is_none() && has_children(node) {
            return; // the root object itself is not a row
        }
        self.out.fields.push(Field {
            path: path.to_string(),
            summary: node.summary.as_deref().or(node.title.as_deref()),
            ty: type_label(node),
            format: node.format.as_deref(),
            description: node.description.as_deref(),
            required,
            visibility: &node.visibility,
            enum_values: &node.enum_values,
            dynamic: node.dynamic.as_deref(),
            depth,
            note,
        });
    }
}

fn has_children(node: &Schema) -> bool {
    !node.properties.is_empty() || node.items.is_some() || !node.all_of.is_empty()
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// A short type label: `string`, `array of object`, `object` (for a bare reference).
pub fn type_label(node: &Schema) -> String {
    match node.ty.as_deref() {
        Some("array") => match &node.items {
            Some(items) => format!("array of {}", type_label(items)),
            None => "array".to_string(),
        },
        Some(t) => t.to_string(),
        None if node.reference.is_some() || !node.properties.is_empty() => "object".to_string(),
        None => "any".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string() -> Schema {
        Schema {
            ty: Some("string".into()),
            ..Schema::default()
        }
    }

    fn reference(name: &str) -> Schema {
        Schema {
            reference: Some(name.into()),
            ..Schema::default()
        }
    }

    fn object(props: Vec<(&str, Schema)>) -> Schema {
        Schema {
            ty: Some("object".into()),
            properties: props
                .into_iter()
                .map(|(n, s)| Property {
                    name: n.into(),
                    schema: s,
                })
                .collect(),
            ..Schema::default()
        }
    }

    #[test]
    fn flattens_nested_objects_to_dotted_paths() {
        let s = object(vec![("a", object(vec![("b", string())])), ("c", string())]);
        let flat = flatten(&s, &|_| None, FlattenLimits::default());
        let paths: Vec<_> = flat.fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a", "a.b", "c"]);
    }

    #[test]
    fn a_self_referencing_definition_is_marked_recursive_not_followed() {
        let folder = object(vec![
            ("name", string()),
            (
                "children",
                Schema {
                    ty: Some("array".into()),
                    items: Some(Box::new(reference("Folder"))),
                    ..Schema::default()
                },
            ),
        ]);
        let root = reference("Folder");
        let lookup = |n: &str| (n == "Folder").then_some(&folder);
        let flat = flatten(&root, &lookup, FlattenLimits::default());
        let last = flat.fields.last().expect("rows");
        assert_eq!(last.path, "children.[]");
        assert_eq!(last.note, Some(FieldNote::Recursive("Folder".into())));
        assert_eq!(flat.fields.len(), 3);
    }

    #[test]
    fn missing_reference_is_reported_not_fatal() {
        let s = object(vec![("x", reference("Nope"))]);
        let flat = flatten(&s, &|_| None, FlattenLimits::default());
        assert_eq!(flat.fields[0].note, Some(FieldNote::Missing("Nope".into())));
    }

    #[test]
    fn field_budget_cuts_huge_schemas() {
        let props = (0..50).map(|i| {
            (
                Box::leak(format!("p{i}").into_boxed_str()) as &str,
                string(),
            )
        });
        let s = object(props.collect());
        let limits = FlattenLimits {
            max_depth: 8,
            max_fields: 10,
        };
        let flat = flatten(&s, &|_| None, limits);
        assert_eq!(flat.fields.len(), 10);
        assert!(flat.cut);
    }

    /// Regression: an `allOf` lattice (each definition `allOf` the next one twice) emits no
    /// rows until its leaf, so the field budget never stopped the walk: 2^40 nodes.
    #[test]
    fn allof_lattice_doubling_at_every_level_is_cut_not_walked() {
        let defs: Vec<Schema> = (0..=40)
            .map(|i| match i {
                40 => object(vec![("leaf", string())]),
                _ => Schema {
                    all_of: vec![reference(&format!("L{}", i + 1)); 2].into(),
                    ..Schema::default()
                },
            })
            .collect();
        let lookup = |n: &str| {
            n.strip_prefix('L')?
                .parse::<usize>()
                .ok()
                .and_then(|i| defs.get(i))
        };
        let root = reference("L0");
        let flat = flatten(&root, &lookup, FlattenLimits::default());
        assert!(flat.cut, "the walk was not cut");
        assert!(flat.fields.iter().all(|f| f.path == "leaf"));
        assert!(!flat.fields.is_empty() && flat.fields.len() <= 400);
    }
}
