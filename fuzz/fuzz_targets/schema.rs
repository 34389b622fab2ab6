//! Fuzzes `$ref` resolution and schema flattening: a definition file's schemas, converted to
//! the model and flattened with small and default limits, never loop, overflow the stack or
//! exceed the field budget and depth limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchyard::model::{flatten, FlattenLimits, Schema};
use switchyard::parse::convert::convert;
use switchyard::parse::parse_text;
use switchyard::parse::raw::RawDefinition;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut problems = Vec::new();
    let def: RawDefinition = parse_text(&text, "d.json", "F002", &mut problems);
    let converted = convert(def, Default::default());
    let defs = &converted.definitions;
    let lookup = |name: &str| defs.iter().find(|d| d.name == name).map(|d| &d.schema);
    let mut roots: Vec<&Schema> = defs.iter().map(|d| &d.schema).collect();
    for op in &converted.operations {
        roots.extend(op.parameters.iter().filter_map(|p| p.schema.as_deref()));
        roots.extend(op.responses.iter().filter_map(|r| r.schema.as_ref()));
    }
    for limits in [
        FlattenLimits {
            max_depth: 3,
            max_fields: 20,
        },
        FlattenLimits::default(),
    ] {
        for root in &roots {
            let flat = flatten(root, &lookup, limits);
            assert!(
                flat.fields.len() <= limits.max_fields,
                "over the field budget"
            );
            assert!(
                flat.fields.iter().all(|f| f.depth <= limits.max_depth + 1),
                "deeper than the limit"
            );
        }
    }
});
