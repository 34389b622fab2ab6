//! Spill: a large catalog's connector details wait on disk between the parse and the pages.
//!
//! Four fifths of a connector's model are its operations' parameters and responses and its
//! definitions. Only the connector's page, its JSON export and its search documents read
//! them. Held for every connector at once, they made the build's memory grow with the catalog
//! (14 GB at 50× the real repository). With a spill, the parse writes each connector's details
//! to a file as soon as the linter is done with it and keeps the rest in memory. The render
//! stage reads them back one connector at a time (`Catalog::full`) and writes the page and
//! the export from that copy; the index reads back only what it searches: parameters,
//! operation descriptions and the readme (`Catalog::searchable`). The linter's findings go
//! with the details (only the connector's page lists them); their counts by rule stay for the
//! quality page (`Connector::lint_counts`). The readme, the intro and the operations'
//! descriptions and webhook payloads go too: only the connector's page, its changelog and its
//! search documents read them, and at 10× the real repository they were a quarter of what
//! stayed in memory (54 of 227 MB). The operations themselves go whole: what the rest of the
//! build reads of them is their counts, which stay in memory, and what the similar stages
//! read: their ids, summaries, titles, pages and anchors, packed as `OpStubs` into one file
//! of the spill (`stubs`, read through `Catalog::op_list`). Held in memory until the similar
//! stage was done, the stubs took 54 MB at 50×. The similar stage keeps each connector's
//! words in another such file as it first reads them (`put_words`), and its similar and
//! same-job lists in two more (`put_similar`, `put_same_job`). The connection parameters go
//! to the spill too, their authentication kinds noted for the lists, and the policies, their
//! templates noted for `catalog.json`. So do the facts only the connector's page shows (its
//! security schemes, contact, links, base path, schemes, capabilities): all of these are the
//! connector's `model::Details`, which the spill takes whole (`OnDisk`) and the connector
//! then holds as an empty pointer. The connector's description, version and keywords go
//! with them (`model::Aside`): only its page, its exports and its search documents read them,
//! and `catalog.json` reads every description from a file of their own (`descriptions`, read
//! through `Catalog::description`). The site is the same byte for byte.
//!
//! Writing and reading the details back costs CPU, so a catalog with less than `SPILL_ABOVE`
//! of definitions keeps everything in memory unless `build --memory low` asks for a spill.

use crate::model::{Aside, AuthKinds, Connector, Details, OpStubs, Operation, Parameter, Response};
use crate::output::scratch_dir;
use crate::problem::NotedCounts;
use crate::similar::Similar;
use crate::similar_ops::NamedOp;
use crate::similar_words::LiveOps;
use anyhow::{bail, Context, Result};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A catalog whose definitions add up to more than this spills by default; below it, its
/// details fit comfortably in memory (the real repository has 79 MB of definitions).
pub const SPILL_ABOVE: u64 = 256 << 20;

/// Whether a build keeps connector details in memory or spills them (`build --memory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Memory {
    /// Spill when the definitions add up to more than 256 MB.
    #[default]
    Auto,
    /// Always spill: about half the memory, a tenth to a half more time.
    Low,
    /// Never spill: the fastest build, memory in proportion to the catalog (`serve` builds
    /// this way, since it rebuilds one connector from the whole catalog it keeps).
    Full,
}

impl Memory {
    /// Whether a catalog with `definition_bytes` of definitions spills.
    pub fn spills(self, definition_bytes: u64) -> bool {
        match self {
            Memory::Auto => definition_bytes > SPILL_ABOVE,
            Memory::Low => true,
            Memory::Full => false,
        }
    }
}

/// A folder beside the output with one file of details per spilled connector, removed when
/// the build is done with it.
#[derive(Debug)]
pub struct Spill {
    dir: PathBuf,
    /// Every connector's operation stubs, one after the other in one file (`put`, `stubs`).
    stubs: Mutex<Records>,
    /// Every connector's description, likewise (`put`, `description`): `catalog.json` reads
    /// them all, which from the connectors' files would read every one whole.
    descriptions: Mutex<Records>,
    /// Every connector's live operations' words, likewise (`put_words`, `words`), written
    /// by the similar stage as it first reads them, so that it need not hold them for every
    /// connector.
    words: Mutex<Records>,
    /// Every connector's similar connectors and same-job lists, as JSON, likewise
    /// (`put_similar`, `put_same_job`), rather than two small files per connector (100,000
    /// files at 50× the real repository).
    similar: Mutex<Records>,
    same_job: Mutex<Records>,
}

/// A file of one record per connector (its stubs, its description, its words, its lists), and
/// where each is in it (by catalog index).
#[derive(Debug)]
struct Records {
    /// What each record is, for errors ("operations", "description").
    what: &'static str,
    file: fs::File,
    end: u64,
    /// Where each connector's record begins (`NONE` for a connector without one yet) and
    /// how long it is, apart: 12 bytes a connector, where an `Option<(u64, usize)>` took 24
    /// (about 6 MB for the five files at 50 times the real repository, by count).
    offsets: Vec<u64>,
    lengths: Vec<u32>,
}

/// The offset of a record not written.
const NONE: u64 = u64::MAX;

impl Records {
    fn create(path: &Path, what: &'static str) -> Result<Records> {
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Records {
            what,
            file,
            end: 0,
            offsets: Vec::new(),
            lengths: Vec::new(),
        })
    }

    fn append(&mut self, index: usize, bytes: &[u8]) -> std::io::Result<()> {
        let length = u32::try_from(bytes.len()).map_err(|_| {
            let message = format!("a record of {} bytes (4 GiB at most)", bytes.len());
            std::io::Error::new(std::io::ErrorKind::InvalidInput, message)
        })?;
        self.file.seek(SeekFrom::Start(self.end))?;
        self.file.write_all(bytes)?;
        if self.offsets.len() <= index {
            self.offsets.resize(index + 1, NONE);
            self.lengths.resize(index + 1, 0);
        }
        (self.offsets[index], self.lengths[index]) = (self.end, length);
        self.end += bytes.len() as u64;
        Ok(())
    }

    fn read(&mut self, index: usize) -> Result<Vec<u8>> {
        let written = self.offsets.get(index).zip(self.lengths.get(index));
        let Some((&offset, &length)) = written.filter(|(&offset, _)| offset != NONE) else {
            bail!("no {} of connector {index} in the spill", self.what);
        };
        let mut bytes = vec![0; length as usize];
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

/// What a spill takes out of a connector: its details (`model::Details`: its operations,
/// definitions, the linter's findings, readme, intro, security and connection settings,
/// policies, and the facts only its page shows), its operations' heavy parts apart
/// (`OperationDetails`) so that the search documents can skip the responses. Its operations'
/// stubs stay behind, counted, and go to the file of stubs; the lists read the
/// authentication kinds its schemes and connection parameters imply, and `catalog.json` its
/// policies' templates, each noted first (`Connector::auth_noted`, `policies_noted`).
#[derive(Serialize, Deserialize)]
struct OnDisk {
    /// The connector's folder, checked when they come back.
    path: String,
    /// The operations without their `OperationDetails`, in order.
    light: Vec<Operation>,
    operations: Vec<OperationDetails>,
    /// The rest of its details, without the operations.
    rest: Details,
    /// Its description, version and keywords (`model::Aside`).
    aside: Aside,
}

/// An operation's heavy parts: its parameters, responses, webhook payload
/// (`Operation::notification`) and description. A tuple, so the spilled file does not repeat
/// field names for every operation.
#[derive(Serialize, Deserialize)]
struct OperationDetails(
    Vec<Parameter>,
    Vec<Response>,
    Option<Box<Response>>,
    Option<String>,
);

/// `OnDisk` read for what the search documents need: the responses and the rest of the file
/// are skipped, not built.
#[derive(Deserialize)]
struct Searchable {
    path: String,
    light: Vec<Operation>,
    operations: Vec<(Vec<Parameter>, IgnoredAny, IgnoredAny, Option<String>)>,
    rest: Readme,
    aside: Aside,
}

/// The readme among the rest of the details (the rest is skipped).
#[derive(Deserialize)]
struct Readme {
    readme: Option<String>,
}

impl OnDisk {
    /// Takes `c`'s details away.
    fn take(c: &mut Connector) -> OnDisk {
        let mut rest = c.take_details();
        let mut light = std::mem::take(&mut rest.operations);
        let operations = light
            .iter_mut()
            .map(|o| {
                OperationDetails(
                    std::mem::take(&mut o.parameters),
                    std::mem::take(&mut o.responses),
                    o.notification.take(),
                    o.description.take(),
                )
            })
            .collect();
        OnDisk {
            path: c.path().to_string(),
            light,
            operations,
            rest,
            aside: c.about.set_aside(),
        }
    }

    fn restore(self, c: &mut Connector) -> Result<()> {
        fits(&self.path, [self.light.len(), self.operations.len()], c)?;
        let mut operations = self.light;
        for (o, details) in operations.iter_mut().zip(self.operations) {
            let OperationDetails(parameters, responses, notification, description) = details;
            o.parameters = parameters;
            o.responses = responses;
            o.notification = notification;
            o.description = description;
        }
        c.set_details(Details {
            operations,
            ..self.rest
        });
        c.about.put_back(self.aside);
        c.stubs = OpStubs::default();
        Ok(())
    }
}

/// Details of `path` with `operations` (counted twice: whole and heavy parts) belong to the
/// spilled `c`, or it is an error, not a wrong page.
fn fits(path: &str, operations: [usize; 2], c: &Connector) -> Result<()> {
    if path != c.path() || operations.iter().any(|&n| n != c.op_count()) {
        bail!(
            "spilled details of {path} ({} operations) do not fit {} ({} operations)",
            operations[0],
            c.path(),
            c.op_count()
        );
    }
    Ok(())
}

/// How long mimalloc keeps freed memory before giving it back to the system, in a build that
/// spills, in milliseconds. Its default (1,000 ms in mimalloc 3) kept a spilled build's
/// transient peaks (the index, the similar stage, the largest connectors' pages) as resident
/// memory long after they were freed: at 10× the real repository, 153–183 MB of peak RSS
/// against 112–117 MB with 10 ms, for about 3% more time (11% at 50×, where 478 MiB became
/// 397 MiB). A build that keeps everything in
/// memory is about speed and keeps the default (10 ms cost it 4% on the real repository for
/// 5% less memory).
const SPILLED_PURGE_DELAY_MS: std::os::raw::c_long = 10;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (`mimalloc.h` of mimalloc 2 and 3;
/// the bindings do not name it). `tests/allocator.rs` checks that it holds the default delay.
pub const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has mimalloc, when it is the allocator (the `switchyard` binary's), give freed memory
/// back after `SPILLED_PURGE_DELAY_MS`; otherwise it sets an option nothing reads.
fn give_memory_back_sooner() {
    // SAFETY: `mi_option_set` takes plain integers and only stores the option's value, which
    // mimalloc reads each time it schedules a purge; it may be called at any time, from any
    // thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, SPILLED_PURGE_DELAY_MS) }
}

impl Spill {
    /// An empty spill folder beside the output folder `target`. The build is saving memory
    /// from here on, so freed memory goes back to the system sooner.
    pub fn beside(target: &Path) -> Result<Spill> {
        give_memory_back_sooner();
        let dir = scratch_dir(target, "spill")?;
        let stubs = Mutex::new(Records::create(&dir.join("stubs"), "operations")?);
        let descriptions = Mutex::new(Records::create(&dir.join("descriptions"), "description")?);
        let words = Mutex::new(Records::create(&dir.join("words"), "words")?);
        let similar = Mutex::new(Records::create(&dir.join("similar"), "similar connectors")?);
        let same_job = Mutex::new(Records::create(&dir.join("same-job"), "same-job lists")?);
        Ok(Spill {
            dir,
            stubs,
            descriptions,
            words,
            similar,
            same_job,
        })
    }

    /// Keeps connector `index`'s live operations' words (`similar_words::LiveOps`), for
    /// `words` to read back.
    pub fn put_words(&self, index: usize, ops: &LiveOps) -> Result<()> {
        put_record(&self.words, "words", index, &ops.to_bytes())
    }

    /// Connector `index`'s live operations' words, as `put_words` kept them.
    pub fn words(&self, index: usize) -> Result<LiveOps> {
        let bytes = read_record(&self.words, "words", index)?;
        LiveOps::from_bytes(&bytes)
            .with_context(|| format!("the spilled words of connector {index} are damaged"))
    }

    fn stubs_file(&self) -> Result<std::sync::MutexGuard<'_, Records>> {
        locked(&self.stubs, "stubs")
    }

    /// Connector `index`'s description, as `put` set it aside.
    pub fn description(&self, index: usize) -> Result<Option<String>> {
        let bytes = locked(&self.descriptions, "descriptions")?.read(index)?;
        let text = bytes.split_first().map(|(&given, text)| (given, text));
        let damaged = || anyhow::anyhow!("the spilled description of connector {index} is damaged");
        match text {
            Some((0, [])) => Ok(None),
            Some((1, text)) => Ok(Some(
                String::from_utf8(text.to_vec()).map_err(|_| damaged())?,
            )),
            _ => Err(damaged()),
        }
    }

    /// Connector `index`'s operation stubs, as `put` left them.
    pub fn stubs(&self, index: usize) -> Result<OpStubs> {
        let bytes = self.stubs_file()?.read(index)?;
        OpStubs::from_bytes(&bytes)
            .with_context(|| format!("the spilled operations of connector {index} are damaged"))
    }

    /// The file of connector `index`'s details.
    fn file(&self, index: usize) -> PathBuf {
        self.dir.join(format!("{index}.json"))
    }

    /// Writes connector `index`'s same-job lists, named (one list per operation, in order),
    /// for its page to read back (`same_job`).
    pub fn put_same_job(&self, index: usize, lists: &[Vec<NamedOp>]) -> Result<()> {
        put_json_record(&self.same_job, "same-job lists", index, &lists)
    }

    /// Writes connector `index`'s similar connectors, for its page to read back (`similar`).
    pub fn put_similar(&self, index: usize, list: &[Similar]) -> Result<()> {
        let kept: Vec<SpilledSimilar> = list.iter().map(SpilledSimilar::of).collect();
        put_json_record(&self.similar, "similar connectors", index, &kept)
    }

    /// Connector `index`'s similar connectors, as `put_similar` wrote them.
    pub fn similar(&self, index: usize) -> Result<Vec<Similar>> {
        let kept: Vec<SpilledSimilar> =
            read_json_record(&self.similar, "similar connectors", index)?;
        Ok(kept.into_iter().map(SpilledSimilar::back).collect())
    }

    /// Connector `index`'s same-job lists, as `put_same_job` wrote them.
    pub fn same_job(&self, index: usize) -> Result<Vec<Vec<NamedOp<'static>>>> {
        read_json_record(&self.same_job, "same-job lists", index)
    }

    /// Moves the details of connector `index` (in catalog order) to disk, first noting its
    /// completeness score and its authentication kinds, which need them and which the lists
    /// show, its findings' counts, which the quality page shows, and its policies' templates,
    /// which `catalog.json` names. Its operations' stubs go to the file of stubs, their counts
    /// kept (`OpStubs::forget`): only the similar stage reads them (`Catalog::op_list`).
    pub fn put(&self, index: usize, c: &mut Connector) -> Result<()> {
        c.docs_score = Some(crate::quality::Completeness::of(c).score);
        c.lint_noted = Some(NotedCounts::of(&c.lint_counts()));
        c.auth_noted = Some(AuthKinds::of(&c.auth_kinds()));
        let templates = c.policy_templates().into_iter().map(Box::from).collect();
        c.policies_noted = Some(templates);
        let details = OnDisk::take(c);
        write_json(&self.file(index), &details)
            .with_context(|| format!("cannot spill the details of {}", c.path()))?;
        let description = match &details.aside.description {
            Some(d) => [&[1], d.as_bytes()].concat(),
            None => vec![0],
        };
        locked(&self.descriptions, "descriptions")?
            .append(index, &description)
            .with_context(|| format!("cannot spill the description of {}", c.path()))?;
        let mut stubs = OpStubs::of(&details.light);
        self.stubs_file()?
            .append(index, &stubs.to_bytes())
            .with_context(|| format!("cannot spill the operations of {}", c.path()))?;
        stubs.forget();
        c.stubs = stubs;
        Ok(())
    }

    /// Connector `index` whole again: `light` with its details read back.
    pub fn full(&self, index: usize, light: &Connector) -> Result<Connector> {
        let details: OnDisk = self.read(index)?;
        let mut c = light.clone();
        details.restore(&mut c)?;
        Ok(c)
    }

    /// `light` with what its search documents read back: its operations' parameters and
    /// descriptions and its readme, but not their responses nor its definitions.
    pub fn searchable(&self, index: usize, light: &Connector) -> Result<Connector> {
        let only: Searchable = self.read(index)?;
        fits(&only.path, [only.light.len(), only.operations.len()], light)?;
        let mut c = light.clone();
        let mut operations = only.light;
        for (o, (parameters, _, _, description)) in operations.iter_mut().zip(only.operations) {
            o.parameters = parameters;
            o.description = description;
        }
        c.set_details(Details {
            operations,
            readme: only.rest.readme,
            ..Details::default()
        });
        c.about.put_back(only.aside);
        c.stubs = OpStubs::default();
        Ok(c)
    }

    fn read<T: serde::de::DeserializeOwned>(&self, index: usize) -> Result<T> {
        read_json(&self.file(index))
    }
}

/// One of the spill's files of records, to read or add to.
fn locked<'a>(
    records: &'a Mutex<Records>,
    what: &str,
) -> Result<std::sync::MutexGuard<'a, Records>> {
    records
        .lock()
        .map_err(|_| anyhow::anyhow!("the spill's {what} were left half-written"))
}

/// A `Similar` as the spill keeps it: a tuple (no field names repeated), and the score's bits,
/// so that it comes back the same to the last bit.
#[derive(Serialize, Deserialize)]
struct SpilledSimilar(usize, u32, Vec<u32>, bool, bool);

impl SpilledSimilar {
    fn of(s: &Similar) -> SpilledSimilar {
        let shared = s.shared.clone();
        SpilledSimilar(
            s.index,
            s.score.to_bits(),
            shared,
            s.same_host,
            s.same_stack_owner,
        )
    }

    fn back(self) -> Similar {
        let SpilledSimilar(index, score, shared, same_host, same_stack_owner) = self;
        Similar {
            index,
            score: f32::from_bits(score),
            shared,
            same_host,
            same_stack_owner,
        }
    }
}

/// Appends `bytes` as connector `index`'s record of `records` (its `what`, for errors).
fn put_record(records: &Mutex<Records>, what: &str, index: usize, bytes: &[u8]) -> Result<()> {
    locked(records, what)?
        .append(index, bytes)
        .with_context(|| format!("cannot spill the {what} of connector {index}"))
}

/// Connector `index`'s record of `records`, as `put_record` appended it.
fn read_record(records: &Mutex<Records>, what: &str, index: usize) -> Result<Vec<u8>> {
    locked(records, what)?.read(index)
}

/// `put_record` of `value` as JSON.
fn put_json_record(
    records: &Mutex<Records>,
    what: &str,
    index: usize,
    value: &impl Serialize,
) -> Result<()> {
    let bytes = serde_json::to_vec(value).context("cannot write JSON")?;
    put_record(records, what, index, &bytes)
}

/// `read_record` of a value `put_json_record` appended.
fn read_json_record<T: serde::de::DeserializeOwned>(
    records: &Mutex<Records>,
    what: &str,
    index: usize,
) -> Result<T> {
    let bytes = read_record(records, what, index)?;
    serde_json::from_slice(&bytes)
        .with_context(|| format!("the spilled {what} of connector {index} are damaged"))
}

fn write_json(file: &Path, value: &impl Serialize) -> Result<()> {
    let bytes = serde_json::to_vec(value).context("cannot write JSON")?;
    fs::write(file, bytes).with_context(|| format!("cannot write {}", file.display()))
}

fn read_json<T: serde::de::DeserializeOwned>(file: &Path) -> Result<T> {
    let bytes = fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("cannot read back {}", file.display()))
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Connector, Policy};
    use crate::parse::definition_model;
    use crate::problem::{Problem, Severity};

    fn connector() -> Connector {
        let def = r##"{
          "swagger": "2.0", "info": {"title": "Spilt", "version": "1.0"},
          "paths": {"/items/{id}": {
            "get": {"operationId": "GetItem", "summary": "Get an item", "tags": ["Items"],
              "parameters": [
                {"name": "id", "in": "path", "required": true, "type": "string", "x-ms-summary": "Item id"},
                {"name": "top", "in": "query", "type": "integer", "default": 10, "enum": [10, 2.5, null]}
              ],
              "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Item"}},
                            "default": {"description": "Error"}}},
            "post": {"operationId": "AddItem", "parameters": [{"name": "body", "in": "body",
              "schema": {"type": "object", "properties": {"n": {"type": "number", "default": 1e300}}}}],
              "responses": {"201": {"description": "Created"}}}
          },
          "/hooks": {"x-ms-notification-content": {"description": "The new item",
              "schema": {"$ref": "#/definitions/Item"}},
            "post": {"operationId": "OnItem", "x-ms-trigger": "single",
              "description": "When an item is added",
              "responses": {"201": {"description": "Created"}}}}},
          "definitions": {"Item": {"type": "object", "properties": {
            "id": {"type": "string"}, "child": {"$ref": "#/definitions/Item"}}}}
        }"##;
        let mut problems = Vec::new();
        let c = definition_model("apiDefinition.swagger.json", def, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        c
    }

    fn json(c: &Connector) -> String {
        serde_json::to_string(c).expect("serialises")
    }

    #[test]
    fn records_read_back_in_any_order_and_a_missing_one_is_an_error() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut records = Records::create(&dir.path().join("r"), "words").expect("create");
        records.append(2, b"two").expect("append");
        records.append(0, b"").expect("append");
        records.append(5, b"five").expect("append");
        assert_eq!(records.read(2).expect("2"), b"two");
        assert_eq!(
            records.read(0).expect("0"),
            b"",
            "an empty record is a record"
        );
        assert_eq!(records.read(5).expect("5"), b"five");
        for missing in [1, 3, 6] {
            let err = records.read(missing).expect_err("none written");
            assert!(err.to_string().contains("no words of connector"), "{err}");
        }
    }

    #[test]
    fn a_spilled_connector_comes_back_whole() {
        let out = tempfile::tempdir().expect("tempdir");
        let spill = Spill::beside(&out.path().join("site")).expect("spill");
        let mut whole = connector();
        whole.details_mut().readme = Some("# Spilt\n\nWhat it does.".into());
        whole.details_mut().intro = Some("An intro.".into());
        whole.details_mut().policies = ["sethost", "setheader", "sethost"]
            .map(|t| Policy {
                template_id: t.into(),
                written_id: None,
                title: Some(format!("A {t}")),
                operations: vec!["GetItem".into()],
            })
            .into();
        whole.details_mut().connection_sets = vec![crate::model::ConnectionSet {
            parameters: vec![crate::model::ConnectionParameter {
                name: "token".into(),
                kind: "oauthSetting".into(),
                ..Default::default()
            }],
            ..Default::default()
        }];
        whole.details_mut().lint = vec![
            Problem::new(
                "O011",
                Severity::Warning,
                "x/apiDefinition.swagger.json",
                "m",
            )
            .at(4, 2)
            .pointer("/paths/~1items"),
            Problem::new("M001", Severity::Error, "x/apiProperties.json", "n").help("own help"),
        ];
        whole.details_mut().auth = vec![crate::model::AuthScheme {
            name: "api_key".into(),
            kind: crate::model::AuthKind::ApiKey,
            key_in: Some("header".into()),
            key_name: Some("X-Key".into()),
            flow: None,
            authorization_url: None,
            token_url: None,
            scopes: Vec::new(),
        }];
        whole.details_mut().contact.email = Some("help@example.com".into());
        whole.details_mut().website = Some("https://example.com".into());
        whole.details_mut().privacy_policy = Some("https://example.com/privacy".into());
        whole.details_mut().base_path = Some("/v2".into());
        whole.details_mut().schemes = vec!["https".into()];
        whole.details_mut().capabilities = vec!["actions".into()];
        whole.details_mut().test_connection = Some("GetItem".into());
        let mut light = whole.clone();
        spill.put(3, &mut light).expect("put");
        assert!(
            !light.holds_details(),
            "a spilled connector holds no details, not even empty ones"
        );
        assert!(light.details().lint.is_empty(), "the findings wait on disk");
        let page_only = |c: &Connector| {
            let present = [
                !c.details().auth.is_empty(),
                c.details().contact.email.is_some(),
                c.details().website.is_some(),
                c.details().privacy_policy.is_some(),
                c.details().base_path.is_some(),
                !c.details().schemes.is_empty(),
                !c.details().capabilities.is_empty(),
                c.details().test_connection.is_some(),
            ];
            present.iter().filter(|&&p| p).count()
        };
        assert_eq!(
            (page_only(&whole), page_only(&light)),
            (8, 0),
            "page-only facts wait on disk"
        );
        assert_eq!(
            light.lint_counts(),
            whole.lint_counts(),
            "their counts stay"
        );
        assert!(light.details().definitions.is_empty());
        assert!(
            light.details().operations.is_empty(),
            "the operations wait on disk"
        );
        assert!(light.details().readme.is_none() && light.details().intro.is_none());
        assert!(light.details().connection_sets.is_empty());
        assert_eq!(light.auth_kinds(), whole.auth_kinds(), "noted");
        assert!(
            light.details().policies.is_empty(),
            "the policies wait on disk"
        );
        assert_eq!(light.policy_templates(), whole.policy_templates(), "noted");
        assert_eq!(whole.policy_templates(), ["setheader", "sethost"]);
        assert!(whole.auth_kinds().contains(&crate::model::AuthKind::OAuth2));
        assert_eq!(light.stubs.len(), 3, "their count stays");
        assert_eq!(light.op_refs().count(), 0, "the stubs wait on disk");
        let stubs = spill.stubs(3).expect("stubs");
        assert!(
            stubs.iter().eq(whole.op_refs()),
            "the stubs read back as the operations"
        );
        assert_eq!(light.op_counts(), whole.op_counts());
        assert_eq!(
            (light.action_count(), light.trigger_count()),
            (whole.action_count(), whole.trigger_count())
        );
        assert!(whole
            .details()
            .operations
            .iter()
            .any(|o| !o.tags.is_empty()));
        assert_eq!(
            light.docs_score,
            Some(crate::quality::Completeness::of(&whole).score)
        );
        assert!(whole
            .details()
            .operations
            .iter()
            .any(|o| o.notification.is_some()));
        let back = spill.full(3, &light).expect("full");
        assert_eq!(json(&back), json(&whole));
        assert!(back.stubs.is_empty());
        assert_eq!(back.details().lint, whole.details().lint);
        let with = spill.searchable(3, &light).expect("searchable");
        let params = |c: &Connector| {
            c.details()
                .operations
                .iter()
                .map(|o| o.parameters.len())
                .sum::<usize>()
        };
        assert_eq!(params(&with), 3);
        assert_eq!(
            serde_json::to_string(&with.details().operations[0].parameters).expect("json"),
            serde_json::to_string(&whole.details().operations[0].parameters).expect("json")
        );
        assert!(
            with.details().definitions.is_empty()
                && with.details().operations[0].responses.is_empty()
        );
        let descriptions = |c: &Connector| {
            c.details()
                .operations
                .iter()
                .map(|o| o.description.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(descriptions(&with), descriptions(&whole));
        assert_eq!(with.details().readme, whole.details().readme);
        assert!(
            with.details().intro.is_none(),
            "the search documents do not read the intro"
        );
    }

    /// The similar stage's words wait in the spill by connector, in any order, and come back
    /// as they were; a connector whose words were never kept is an error, not an empty list.
    #[test]
    fn words_come_back_from_the_spill_as_kept() {
        let out = tempfile::tempdir().expect("tempdir");
        let spill = Spill::beside(&out.path().join("site")).expect("spill");
        let first = LiveOps::of([(0, vec![2, 3], Some(2), 0), (4, vec![1], None, 1)]);
        let third = LiveOps::of([(1, vec![7], Some(7), 0)]);
        spill.put_words(2, &third).expect("put");
        spill.put_words(0, &first).expect("put");
        assert_eq!(spill.words(0).expect("read back"), first);
        assert_eq!(spill.words(2).expect("read back"), third);
        let missing = spill.words(1).expect_err("never kept");
        assert!(
            format!("{missing:#}").contains("no words of connector 1"),
            "{missing:#}"
        );
    }

    /// The similar stage's lists wait beside the details (the same-job lists named), and a
    /// connector whose stubs went to the spill still reads back whole (its count of
    /// operations was kept).
    #[test]
    fn neighbour_lists_come_back_as_written_after_the_stubs_are_forgotten() {
        use crate::similar_ops::NamedOp;
        use std::borrow::Cow;
        let out = tempfile::tempdir().expect("tempdir");
        let spill = Spill::beside(&out.path().join("site")).expect("spill");
        let whole = connector();
        let mut light = whole.clone();
        spill.put(3, &mut light).expect("put");
        assert_eq!(light.stubs.forgotten(), Some(whole.op_counts()));
        assert_eq!(light.op_count(), whole.op_count());
        assert_eq!(light.op_counts(), whole.op_counts());
        let back = spill.full(3, &light).expect("read back");
        let json = |c: &Connector| serde_json::to_string(c).expect("json");
        assert_eq!(json(&back), json(&whole));
        assert!(back.stubs.is_empty() && back.stubs.forgotten().is_none());
        let lists = vec![
            vec![NamedOp {
                connector: 7,
                title: Cow::Borrowed("Send \"it\" — ✓ </p><script>"),
                page: 2,
                anchor: Cow::Borrowed("SendIt"),
            }],
            Vec::new(),
        ];
        spill.put_same_job(3, &lists).expect("put lists");
        assert_eq!(spill.same_job(3).expect("read lists"), lists);
        assert!(
            spill.same_job(4).is_err(),
            "lists never written are an error"
        );
    }

    /// Each connector's stubs come back from the one file they share, whatever order they
    /// were put in; a connector never put is an error, not an empty list.
    #[test]
    fn descriptions_set_aside_come_back_to_their_page_and_to_the_catalog() {
        let out = tempfile::tempdir().expect("tempdir");
        let spill = Spill::beside(&out.path().join("site")).expect("spill");
        let texts = [Some("Signs <b>PDFs</b> in ünïcode"), Some(""), None];
        for (i, text) in texts.into_iter().enumerate() {
            let mut c = connector();
            c.about.edit(|p| {
                p.info.description = text.map(String::from);
                p.info.keywords = vec!["pdf".into(), "sign".into()];
            });
            let whole = json(&c);
            spill.put(i, &mut c).expect("put");
            assert!(c.about.is_aside());
            assert_eq!((c.about.description(), c.about.keywords().len()), (None, 0));
            assert_eq!(c.about.title(), Some("Spilt"), "the title stays");
            assert_eq!(spill.description(i).expect("read").as_deref(), text);
            assert_eq!(json(&spill.full(i, &c).expect("full")), whole);
            let searchable = spill.searchable(i, &c).expect("searchable");
            assert_eq!(searchable.about.description(), text);
            let keywords: Vec<&str> = searchable.about.keywords().collect();
            assert_eq!(keywords, ["pdf", "sign"]);
        }
        let error = spill.description(7).expect_err("never put");
        assert!(error.to_string().contains("no description of connector 7"));
    }

    #[test]
    fn stubs_put_in_any_order_come_back_each_its_own() {
        let out = tempfile::tempdir().expect("tempdir");
        let spill = Spill::beside(&out.path().join("site")).expect("spill");
        let mut first = connector();
        first.details_mut().operations.truncate(1);
        let second = connector();
        let mut none = connector();
        none.details_mut().operations.clear();
        for (i, c) in [(5, &second), (0, &first), (2, &none)] {
            spill.put(i, &mut c.clone()).expect("put");
        }
        for (i, c) in [(0, &first), (2, &none), (5, &second)] {
            let back = spill.stubs(i).expect("stubs");
            assert!(back.iter().eq(c.op_refs()), "connector {i}");
            assert_eq!(back.len(), c.op_count());
        }
        for never in [1, 6, 1000] {
            let error = spill.stubs(never).expect_err("never put");
            assert!(error.to_string().contains("no operations of connector"));
        }
    }

    #[test]
    fn the_spill_folder_goes_with_the_spill() {
        let out = tempfile::tempdir().expect("tempdir");
        let spill = Spill::beside(&out.path().join("site")).expect("spill");
        let dir = spill.dir.clone();
        spill.put(0, &mut connector()).expect("put");
        assert!(dir.join("0.json").is_file());
        drop(spill);
        assert!(!dir.exists());
    }

    /// A spill left by a killed build (out of memory is the likely end of a build large
    /// enough to spill) goes with the next build's spill; a running build's stays.
    #[cfg(unix)]
    #[test]
    fn a_spill_left_by_a_killed_build_is_removed_by_the_next() {
        let out = tempfile::tempdir().expect("tempdir");
        let left = |pid: u32| out.path().join(format!(".site.spill-{pid}"));
        let mut ended = std::process::Command::new("true").spawn().expect("true");
        ended.wait().expect("wait");
        let mut running = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep");
        for pid in [ended.id(), running.id()] {
            fs::create_dir_all(left(pid)).expect("mkdir");
            fs::write(left(pid).join("0.json"), "{}").expect("write");
        }
        let spill = Spill::beside(&out.path().join("site")).expect("spill");
        assert!(
            !left(ended.id()).exists(),
            "the killed build's spill is removed"
        );
        assert!(left(running.id()).exists(), "a running build's spill stays");
        assert!(spill.dir.is_dir());
        let _ = running.kill();
        let _ = running.wait();
    }

    #[test]
    fn details_that_do_not_fit_their_connector_are_an_error_not_a_wrong_page() {
        let out = tempfile::tempdir().expect("tempdir");
        let spill = Spill::beside(&out.path().join("site")).expect("spill");
        let mut light = connector();
        spill.put(0, &mut light).expect("put");
        light.stubs = OpStubs::of(&connector().details().operations[..2]);
        let err = spill.full(0, &light).expect_err("mismatch");
        assert!(err.to_string().contains("(3 operations)"), "{err}");
        let err = spill.searchable(0, &light).expect_err("mismatch");
        assert!(err.to_string().contains("(2 operations)"), "{err}");
    }

    #[test]
    fn a_build_that_spills_has_freed_memory_given_back_sooner() {
        let out = tempfile::tempdir().expect("tempdir");
        let _spill = Spill::beside(&out.path().join("site")).expect("spill");
        // SAFETY: reads an option's value (see `give_memory_back_sooner`).
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, SPILLED_PURGE_DELAY_MS);
    }

    #[test]
    fn auto_spills_only_large_catalogs() {
        assert!(!Memory::Auto.spills(SPILL_ABOVE));
        assert!(Memory::Auto.spills(SPILL_ABOVE + 1));
        assert!(Memory::Low.spills(0));
        assert!(!Memory::Full.spills(u64::MAX));
    }
}
