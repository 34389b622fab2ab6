//! Synthetic repositories for the scale benchmark (`bench/scale.sh`): `--scale K` copies of
//! every connector folder of a real repository, each copy under a renamed folder with its
//! titles and operation ids prefixed so the copies are distinct connectors, and a git history
//! of many commits touching those folders (one commit adds each folder, the rest edit
//! readmes, and now and then a folder is added and retired).
//!
//! The history is streamed to `git fast-import` into a bare repository: writing tens of
//! thousands of commits through libgit2 loose objects would take longer than the benchmark.
//!
//! `cargo run --release --example synth -- --from ../shared/corpus --scale 10 --out /tmp/synth10
//!  [--commits N]` (default N: 3,021 × scale, the real repository's count times the scale).
//!
//! `--plain` writes the same folders (without history) as a plain directory instead. At 50×
//! the history cannot be generated in useful time: each of its 150,000 commits rewrites a
//! tier folder's tree of up to 25,000 entries, so `git fast-import` works for hours.

use anyhow::{bail, Context, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Commits of the real repository (microsoft/PowerPlatformConnectors) at the snapshot.
const REAL_COMMITS: usize = 3021;
/// One commit in this many adds a throw-away folder; the next commit retires it.
const RETIRE_EVERY: usize = 200;
/// Keys whose string values are prefixed in a copy, so copies differ in title and ids.
const MUTATED_KEYS: [&str; 2] = ["title", "operationId"];

struct Args {
    from: PathBuf,
    scale: usize,
    commits: Option<usize>,
    out: PathBuf,
    plain: bool,
}

/// A connector folder: its path relative to the root and its files (relative to the folder).
struct Unit {
    tier: String,
    name: String,
    files: Vec<String>,
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let root_files = files_under(&args.from, 1)?;
    let units = units(&args.from)?;
    if units.is_empty() {
        bail!("no connector folders under {}", args.from.display());
    }
    if args.plain {
        return write_plain(&args, &root_files, &units);
    }
    let adds = units.len() * args.scale;
    let commits = args
        .commits
        .unwrap_or(REAL_COMMITS * args.scale)
        .max(adds + 1);
    init_bare(&args.out)?;
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(&args.out)
        .stdin(Stdio::piped())
        .spawn()
        .context("cannot start git fast-import")?;
    let stdin = child.stdin.take().context("no stdin")?;
    let mut w = Writer::new(BufWriter::with_capacity(1 << 20, stdin));
    w.commit("Repository skeleton")?;
    for f in &root_files {
        w.put(f, &std::fs::read(args.from.join(f))?)?;
    }
    let plan = Plan::new(adds, commits);
    let mut rng = Rng(0x5eed_2026);
    let mut added = 0;
    for n in 1..commits {
        match plan.kind(n, added) {
            Step::Add => {
                let (unit, copy) = (&units[added % units.len()], added / units.len());
                w.commit(&format!("Add {}", copy_name(&unit.name, copy)))?;
                add_unit(&mut w, &args.from, unit, copy, "")?;
                added += 1;
            }
            Step::Edit => {
                let pick = rng.below(added.max(1));
                let (unit, copy) = (&units[pick % units.len()], pick / units.len());
                w.commit(&format!("Update {}", copy_name(&unit.name, copy)))?;
                edit_readme(&mut w, &args.from, unit, copy, n)?;
            }
            Step::AddRetired => {
                let unit = &units[rng.below(units.len())];
                w.commit(&format!("Add {} (retired later)", unit.name))?;
                add_unit(&mut w, &args.from, unit, 0, &format!("-retired{n}"))?;
            }
            Step::Retire => {
                let name = w.last_retired.take().unwrap_or_default();
                w.commit(&format!("Retire {name}"))?;
                if !name.is_empty() {
                    w.delete(&name)?;
                }
            }
        }
    }
    w.finish()?;
    let status = child.wait()?;
    if !status.success() {
        bail!("git fast-import failed: {status}");
    }
    println!(
        "{}: {} connector folders ({} × {}), {} commits",
        args.out.display(),
        adds,
        units.len(),
        args.scale,
        commits
    );
    Ok(())
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        from: PathBuf::from("../shared/corpus"),
        scale: 10,
        commits: None,
        out: PathBuf::from("/tmp/synth"),
        plain: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--plain" {
            args.plain = true;
            continue;
        }
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--from" => args.from = value.into(),
            "--scale" => args.scale = value.parse().context("--scale")?,
            "--commits" => args.commits = Some(value.parse().context("--commits")?),
            "--out" => args.out = value.into(),
            _ => bail!("unknown flag {flag} (--from DIR --scale K --commits N --out DIR --plain)"),
        }
    }
    if args.scale == 0 {
        bail!("--scale must be at least 1");
    }
    Ok(args)
}

/// `--plain`: the root's files and every copy of every folder, written as they are at the
/// end of the history (less the readme edits), in a new directory.
fn write_plain(args: &Args, root_files: &[String], units: &[Unit]) -> Result<()> {
    if args.out.exists() {
        bail!("{} exists; remove it first", args.out.display());
    }
    for f in root_files {
        write_file(&args.out.join(f), &std::fs::read(args.from.join(f))?)?;
    }
    for copy in 0..args.scale {
        for unit in units {
            let folder = args.out.join(&unit.tier).join(copy_name(&unit.name, copy));
            for f in &unit.files {
                let bytes = std::fs::read(args.from.join(&unit.tier).join(&unit.name).join(f))?;
                write_file(&folder.join(f), &mutate(f, bytes, copy))?;
            }
        }
    }
    println!(
        "{}: {} connector folders ({} × {}), no history",
        args.out.display(),
        units.len() * args.scale,
        units.len(),
        args.scale
    );
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Which kind of commit the `n`th is: adds spread evenly over the history, a retired folder
/// now and then, edits in between.
enum Step {
    Add,
    Edit,
    AddRetired,
    Retire,
}

struct Plan {
    adds: usize,
    commits: usize,
}

impl Plan {
    fn new(adds: usize, commits: usize) -> Plan {
        Plan { adds, commits }
    }

    fn kind(&self, n: usize, added: usize) -> Step {
        let left = self.commits - n;
        if self.adds - added >= left {
            return Step::Add;
        }
        if n.is_multiple_of(RETIRE_EVERY) {
            return Step::AddRetired;
        }
        if n % RETIRE_EVERY == 1 && n > 1 {
            return Step::Retire;
        }
        // Adds are due when the share of adds so far falls behind the share of commits.
        if added * self.commits <= n * self.adds || added == 0 {
            Step::Add
        } else {
            Step::Edit
        }
    }
}

fn copy_name(name: &str, copy: usize) -> String {
    if copy == 0 {
        name.to_string()
    } else {
        format!("{name}-s{copy}")
    }
}

fn add_unit(w: &mut Writer, from: &Path, unit: &Unit, copy: usize, suffix: &str) -> Result<()> {
    let folder = format!("{}/{}{suffix}", unit.tier, copy_name(&unit.name, copy));
    for f in &unit.files {
        let bytes = std::fs::read(from.join(&unit.tier).join(&unit.name).join(f))?;
        w.put(&format!("{folder}/{f}"), &mutate(f, bytes, copy))?;
    }
    if !suffix.is_empty() {
        w.last_retired = Some(folder);
    }
    Ok(())
}

/// Rewrites the folder's readme (if it has one) with a revision marker at the end.
fn edit_readme(w: &mut Writer, from: &Path, unit: &Unit, copy: usize, n: usize) -> Result<()> {
    let Some(readme) = unit
        .files
        .iter()
        .find(|f| f.eq_ignore_ascii_case("readme.md"))
    else {
        let folder = format!("{}/{}", unit.tier, copy_name(&unit.name, copy));
        return w.put(&format!("{folder}/.revision"), n.to_string().as_bytes());
    };
    let mut bytes = std::fs::read(from.join(&unit.tier).join(&unit.name).join(readme))?;
    bytes.extend_from_slice(format!("\n<!-- revision {n} -->\n").as_bytes());
    let folder = format!("{}/{}", unit.tier, copy_name(&unit.name, copy));
    w.put(&format!("{folder}/{readme}"), &bytes)
}

/// A copy's JSON files get `S<copy> ` before every title and `S<copy>` before every
/// operation id, byte for byte (broken files stay broken the same way).
fn mutate(file: &str, bytes: Vec<u8>, copy: usize) -> Vec<u8> {
    if copy == 0 || !file.to_ascii_lowercase().ends_with(".json") {
        return bytes;
    }
    let mut out = bytes;
    for key in MUTATED_KEYS {
        let prefix = if key == "title" {
            format!("S{copy} ")
        } else {
            format!("S{copy}")
        };
        out = prefix_values(&out, key, prefix.as_bytes());
    }
    out
}

/// Inserts `prefix` at the start of every string value of `"key"`.
fn prefix_values(text: &[u8], key: &str, prefix: &[u8]) -> Vec<u8> {
    let needle = format!("\"{key}\"");
    let mut out = Vec::with_capacity(text.len() + 1024);
    let mut at = 0;
    for hit in memchr::memmem::find_iter(text, needle.as_bytes()) {
        if hit < at {
            continue;
        }
        let mut i = hit + needle.len();
        while i < text.len() && text[i].is_ascii_whitespace() {
            i += 1;
        }
        if text.get(i) != Some(&b':') {
            continue;
        }
        i += 1;
        while i < text.len() && text[i].is_ascii_whitespace() {
            i += 1;
        }
        if text.get(i) == Some(&b'"') {
            out.extend_from_slice(&text[at..=i]);
            out.extend_from_slice(prefix);
            at = i + 1;
        }
    }
    out.extend_from_slice(&text[at..]);
    out
}

/// Connector folders: the folders two levels down (tier folder / connector folder).
fn units(root: &Path) -> Result<Vec<Unit>> {
    let mut out = Vec::new();
    for tier in sorted_dirs(root)? {
        for name in sorted_dirs(&root.join(&tier))? {
            let files = files_under(&root.join(&tier).join(&name), usize::MAX)?;
            out.push(Unit {
                tier: tier.clone(),
                name,
                files,
            });
        }
    }
    Ok(out)
}

fn sorted_dirs(dir: &Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}

/// Regular files below `dir` (at most `depth` levels), relative to it, sorted.
fn files_under(dir: &Path, depth: usize) -> Result<Vec<String>> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .max_depth(depth)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            rel.to_str().map(|s| s.replace('\\', "/"))
        })
        .collect();
    out.sort();
    Ok(out)
}

fn init_bare(out: &Path) -> Result<()> {
    if out.exists() {
        bail!("{} exists; remove it first", out.display());
    }
    git2::Repository::init_opts(
        out,
        git2::RepositoryInitOptions::new()
            .bare(true)
            .initial_head("main"),
    )?;
    Ok(())
}

/// The fast-import stream: commits on `refs/heads/main`, one author per commit.
struct Writer {
    out: BufWriter<std::process::ChildStdin>,
    n: usize,
    last_retired: Option<String>,
}

impl Writer {
    fn new(out: BufWriter<std::process::ChildStdin>) -> Writer {
        Writer {
            out,
            n: 0,
            last_retired: None,
        }
    }

    fn commit(&mut self, message: &str) -> Result<()> {
        let when = 1_577_836_800 + self.n * 3_600;
        let who = (self.n * 7919) % 97;
        writeln!(self.out, "commit refs/heads/main")?;
        writeln!(
            self.out,
            "committer Contributor {who} <c{who}@example.com> {when} +0000"
        )?;
        writeln!(self.out, "data {}\n{message}", message.len())?;
        self.n += 1;
        Ok(())
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        writeln!(self.out, "M 100644 inline {}", quote(path))?;
        writeln!(self.out, "data {}", bytes.len())?;
        self.out.write_all(bytes)?;
        writeln!(self.out)?;
        Ok(())
    }

    fn delete(&mut self, path: &str) -> Result<()> {
        writeln!(self.out, "D {}", quote(path))?;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        writeln!(self.out, "done")?;
        self.out.flush()?;
        Ok(())
    }
}

/// A path as fast-import reads it: C-quoted when it holds a quote, backslash or newline.
fn quote(path: &str) -> String {
    if !path.contains(['"', '\\', '\n']) {
        return path.to_string();
    }
    let escaped = path
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

/// A small deterministic generator (xorshift), so the same arguments give the same repository.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_prefix_titles_and_operation_ids_whatever_the_spacing() {
        let text = br#"{"title" : "Mail", "x": {"operationId":"Send", "title": 3}}"#;
        let out = mutate("apiDefinition.swagger.json", text.to_vec(), 2);
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            r#"{"title" : "S2 Mail", "x": {"operationId":"S2Send", "title": 3}}"#
        );
    }

    #[test]
    fn the_first_copy_and_other_files_are_left_as_they_are() {
        let text = br#"{"title": "Mail"}"#.to_vec();
        assert_eq!(mutate("apiProperties.json", text.clone(), 0), text);
        assert_eq!(mutate("readme.md", text.clone(), 3), text);
    }

    #[test]
    fn every_add_fits_in_the_planned_commits() {
        let plan = Plan::new(50, 60);
        let mut added = 0;
        for n in 1..60 {
            if matches!(plan.kind(n, added), Step::Add) {
                added += 1;
            }
        }
        assert_eq!(added, 50);
    }

    #[test]
    fn paths_with_quotes_are_c_quoted() {
        assert_eq!(quote("a b/c"), "a b/c");
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
