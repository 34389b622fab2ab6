//! A bound on what shared parameters and responses copy into a connector's model.
//!
//! A `$ref` to `#/parameters/X` or `#/responses/X` is inlined: every operation that refers to
//! an entry gets its own copy, which is what makers read and what the export holds. A hostile
//! or careless definition can multiply that without limit: 1,000 operations that each refer to
//! the same 500 parameters with 2 KB descriptions (a 26 MB definition) made a 2.2 GB site and
//! a build of 3.4 GB (now 237 MB and 0.6–0.75 GB). Past `BUDGET` bytes of copies (counted as the
//! export writes them), a copy keeps its name, place, type and requirement, and leaves its
//! texts and schema to the definition, which the site links to; one warning (P011) says where
//! it started and how many copies were slimmed. No real connector comes near the budget.

use crate::model::{Parameter, Response, Schema};
use foldhash::HashMap;
use serde::Serialize;

/// Bytes of copied shared entries one connector's model may hold in full.
pub const BUDGET: usize = 32 * 1024 * 1024;

/// What has been copied so far, and where the budget ran out.
#[derive(Debug)]
pub struct Copies {
    left: usize,
    /// The exported size of each shared entry (by its `$ref`), counted at its first copy:
    /// every copy of an entry is the same (a response's status aside).
    sizes: HashMap<String, usize>,
    /// Copies slimmed, and the JSON pointer of the first.
    pub slimmed: usize,
    pub first_slimmed: Option<String>,
}

impl Copies {
    pub fn new(budget: usize) -> Copies {
        Copies {
            left: budget,
            sizes: HashMap::default(),
            slimmed: 0,
            first_slimmed: None,
        }
    }

    /// A copy of the shared parameter `entry` (found at `at`): whole while the budget lasts,
    /// slimmed after.
    pub fn parameter(&mut self, p: Parameter, entry: &str, at: &str) -> Parameter {
        if self.fits(&p, entry, at) {
            return p;
        }
        Parameter {
            summary: None,
            description: None,
            default: None,
            enum_values: Vec::new(),
            dynamic: None,
            schema: p.schema.map(|s| Box::new(slim_schema(&s))),
            ..p
        }
    }

    /// A copy of the shared response `entry` (found at `at`): whole while the budget lasts,
    /// slimmed after.
    pub fn response(&mut self, r: Response, entry: &str, at: &str) -> Response {
        if self.fits(&r, entry, at) {
            return r;
        }
        Response {
            description: None,
            schema: r.schema.as_ref().map(slim_schema),
            ..r
        }
    }

    /// Charges `copy` to the budget; false (and noted) once it no longer fits.
    fn fits(&mut self, copy: &impl Serialize, entry: &str, at: &str) -> bool {
        if self.slimmed == 0 {
            let size = match self.sizes.get(entry) {
                Some(&size) => size,
                None => {
                    let size = exported_len(copy);
                    self.sizes.insert(entry.to_string(), size);
                    size
                }
            };
            if size <= self.left {
                self.left -= size;
                return true;
            }
            self.left = 0;
        }
        self.slimmed += 1;
        self.first_slimmed.get_or_insert_with(|| at.to_string());
        false
    }
}

/// A schema's type and reference, without its texts and members.
fn slim_schema(s: &Schema) -> Schema {
    Schema {
        ty: s.ty.clone(),
        format: s.format.clone(),
        reference: s.reference.clone(),
        ..Schema::default()
    }
}

/// The length of `value`'s JSON, counted without writing it anywhere.
fn exported_len(value: &impl Serialize) -> usize {
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => usize::MAX,
    }
}

struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParamLocation;

    fn described(name: &str, bytes: usize) -> Parameter {
        Parameter {
            name: name.to_string(),
            location: ParamLocation::Query,
            summary: Some("Shown name".into()),
            description: Some("d".repeat(bytes)),
            required: true,
            ty: Some("string".into()),
            format: None,
            default: None,
            enum_values: Vec::new(),
            visibility: Default::default(),
            dynamic: None,
            url_encoding: None,
            notification_url: false,
            schema: None,
        }
    }

    #[test]
    fn copies_are_whole_until_the_budget_then_keep_their_facts() {
        let mut copies = Copies::new(10_000);
        for i in 0..4 {
            let p = copies.parameter(
                described("q", 2_000),
                "#/parameters/Q",
                &format!("/paths/~1a/get/parameters/{i}"),
            );
            assert_eq!(p.description.as_deref().map(str::len), Some(2_000));
        }
        let slim = copies.parameter(
            described("q", 2_000),
            "#/parameters/Q",
            "/paths/~1b/get/parameters/0",
        );
        assert_eq!((slim.description, slim.summary), (None, None));
        assert_eq!(
            (
                slim.name.as_str(),
                slim.location,
                slim.required,
                slim.ty.as_deref()
            ),
            ("q", ParamLocation::Query, true, Some("string"))
        );
        // Once slimming starts it goes on, even for a copy small enough to fit what is left.
        let small = copies.parameter(
            described("s", 1),
            "#/parameters/S",
            "/paths/~1c/get/parameters/0",
        );
        assert_eq!(small.description, None);
        assert_eq!(copies.slimmed, 2);
        assert_eq!(
            copies.first_slimmed.as_deref(),
            Some("/paths/~1b/get/parameters/0")
        );
    }

    #[test]
    fn a_slimmed_response_keeps_its_status_and_the_type_of_its_schema() {
        let mut copies = Copies::new(0);
        let schema = Schema {
            ty: Some("object".into()),
            description: Some("long".into()),
            reference: Some("Item".into()),
            ..Schema::default()
        };
        let r = copies.response(
            Response {
                status: "200".into(),
                description: Some("OK".into()),
                schema: Some(schema),
            },
            "#/responses/Ok",
            "/paths/~1a/get/responses/200",
        );
        assert_eq!(r.status, "200");
        assert_eq!(r.description, None);
        let s = r.schema.expect("schema");
        assert_eq!(
            (s.ty.as_deref(), s.reference.as_deref(), s.description),
            (Some("object"), Some("Item"), None)
        );
    }

    #[test]
    fn the_count_is_the_exported_length() {
        let p = described("q", 10);
        let json = serde_json::to_vec(&p).expect("json");
        assert_eq!(exported_len(&p), json.len());
    }
}
