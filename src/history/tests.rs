//! Small repositories built with git2 in temporary folders.

use super::*;
use std::borrow::Cow;
use std::fs;

struct Repo {
    dir: tempfile::TempDir,
    repo: git2::Repository,
    time: i64,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().expect("tmp");
        let repo = git2::Repository::init(dir.path()).expect("init");
        Repo {
            dir,
            repo,
            time: 1_700_000_000,
        }
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    fn remove(&self, rel: &str) {
        fs::remove_dir_all(self.dir.path().join(rel)).expect("rm");
    }

    /// Commits the whole work tree on HEAD (with extra parents for a merge).
    fn commit(&mut self, subject: &str, author: &str, extra_parents: &[git2::Oid]) -> git2::Oid {
        let mut index = self.repo.index().expect("index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("add");
        index.update_all(["*"], None).expect("update");
        index.write().expect("write index");
        let tree = self
            .repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        self.time += 86_400;
        let sig = git2::Signature::new(
            author,
            &format!("{author}@example.test"),
            &git2::Time::new(self.time, 0),
        )
        .expect("sig");
        let mut parents: Vec<git2::Commit> = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        for p in extra_parents {
            parents.push(self.repo.find_commit(*p).expect("parent"));
        }
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, subject, &tree, &refs)
            .expect("commit")
    }
}

const A: &str = "certified-connectors/Alpha";
const B: &str = "independent-publisher-connectors/Beta";

#[test]
fn additions_updates_and_pull_requests_are_dated() {
    let mut r = Repo::new();
    r.write(&format!("{A}/apiDefinition.swagger.json"), "{}");
    r.commit("Alpha connector (#12)", "ann", &[]);
    r.write(&format!("{B}/apiDefinition.swagger.json"), "{}");
    r.commit("Beta (Independent Publisher) (#13)", "bob", &[]);
    r.write(&format!("{A}/apiDefinition.swagger.json"), "{\"x\": 1}");
    r.commit("Update Alpha", "cid", &[]);
    r.write("README.md", "not a connector");
    r.commit("Docs only", "ann", &[]);
    let h = read(r.dir.path(), None).expect("history");
    assert_eq!(h.commits, 4);
    let a = &h.folders[A];
    assert_eq!(a.revisions.len(), 2);
    assert_eq!(a.first_added().and_then(|r| r.pr), Some(12));
    assert_eq!(
        a.last_updated().map(|r| r.subject.as_str()),
        Some("Update Alpha")
    );
    assert_eq!(a.contributors, 2);
    assert_eq!(a.first_added().map(|r| r.date.as_str()), Some("2023-11-15"));
    assert_eq!(h.folders[B].revisions.len(), 1);
    assert!(h.retired.is_empty());
}

/// The walk merges a tier folder's entries in git's order, where a folder sorts as if its
/// name ended with `/`: `Alpha-2/` < `Alpha.md` < `Alpha/`. Files beside the connector
/// folders are not connectors, and a folder is dated only when its own tree changed.
#[test]
fn files_beside_connector_folders_and_names_that_sort_around_them() {
    let mut r = Repo::new();
    r.write(&format!("{A}/apiDefinition.swagger.json"), "{}");
    r.write(
        "certified-connectors/Alpha-2/apiDefinition.swagger.json",
        "{}",
    );
    r.write("certified-connectors/Alpha.md", "notes");
    r.commit("Add", "ann", &[]);
    r.write("certified-connectors/Alpha.md", "more notes");
    r.commit("Notes only", "ann", &[]);
    r.write(
        "certified-connectors/Alpha-2/apiDefinition.swagger.json",
        "{\"x\": 1}",
    );
    r.commit("Update Alpha-2", "bob", &[]);
    r.write(&format!("{A}/readme.md"), "# Alpha");
    r.commit("Readme for Alpha", "cid", &[]);
    let h = read(r.dir.path(), None).expect("history");
    let subjects = |path: &str| -> Vec<String> {
        h.folders[path]
            .revisions
            .iter()
            .map(|r| r.subject.clone())
            .collect()
    };
    assert_eq!(subjects(A), ["Add", "Readme for Alpha"]);
    assert_eq!(
        subjects("certified-connectors/Alpha-2"),
        ["Add", "Update Alpha-2"]
    );
    assert!(!h.folders.contains_key("certified-connectors/Alpha.md"));
}

#[test]
fn renames_and_removals_are_retired() {
    let mut r = Repo::new();
    r.write(&format!("{A}/apiDefinition.swagger.json"), "{\"a\": 1}");
    r.write(&format!("{B}/apiDefinition.swagger.json"), "{\"b\": 1}");
    r.commit("Add both", "ann", &[]);
    r.remove(A);
    r.write(
        "certified-connectors/Alpha Renamed/apiDefinition.swagger.json",
        "{\"a\": 1}",
    );
    r.commit("Rename Alpha", "ann", &[]);
    r.remove(B);
    r.commit("Remove Beta (#99)", "bob", &[]);
    let h = read(r.dir.path(), None).expect("history");
    let retired: Vec<(&str, Option<&str>)> = h
        .retired
        .iter()
        .map(|x| (x.path.as_str(), x.renamed_to.as_deref()))
        .collect();
    assert_eq!(
        retired,
        [(A, Some("certified-connectors/Alpha Renamed")), (B, None)]
    );
    assert_eq!(h.retired[1].removed.pr, Some(99));
    assert_eq!(
        h.folders["certified-connectors/Alpha Renamed"]
            .revisions
            .len(),
        1
    );
}

#[test]
fn a_merge_counts_the_branch_commit_not_the_merge() {
    let mut r = Repo::new();
    r.write(&format!("{A}/apiDefinition.swagger.json"), "{}");
    let base = r.commit("Base", "ann", &[]);
    // A side branch changes Beta; the mainline changes Alpha; then they merge.
    r.write(&format!("{B}/apiDefinition.swagger.json"), "{}");
    let side = r.commit("Add Beta on a branch", "bob", &[]);
    r.repo.set_head_detached(base).expect("detach");
    r.repo
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .expect("checkout");
    r.write(&format!("{A}/apiDefinition.swagger.json"), "{\"v\": 2}");
    r.commit("Alpha v2", "ann", &[]);
    r.write(&format!("{B}/apiDefinition.swagger.json"), "{}");
    r.commit("Merge pull request #7 from bob/beta", "ann", &[side]);
    let h = read(r.dir.path(), None).expect("history");
    let beta: Vec<&str> = h.folders[B]
        .revisions
        .iter()
        .map(|r| r.subject.as_str())
        .collect();
    assert_eq!(
        beta,
        ["Add Beta on a branch"],
        "the merge took Beta unchanged from the branch"
    );
    assert_eq!(h.folders[A].revisions.len(), 2);
    assert_eq!(h.commits, 4);
}

#[test]
fn older_revisions_can_be_read() {
    let mut r = Repo::new();
    r.write(&format!("{A}/apiDefinition.swagger.json"), "{}");
    let first = r.commit("One", "ann", &[]);
    r.write(&format!("{B}/apiDefinition.swagger.json"), "{}");
    r.commit("Two", "ann", &[]);
    let h = read(r.dir.path(), Some(&first.to_string())).expect("history");
    assert_eq!(h.commits, 1);
    assert!(!h.folders.contains_key(B));
}

#[test]
fn pull_request_numbers_from_subjects() {
    assert_eq!(pull_request("Add X (#1234)"), Some(1234));
    assert_eq!(pull_request("Merge pull request #77 from a/b"), Some(77));
    assert_eq!(pull_request("Fix (#abc) thing"), None);
    assert_eq!(pull_request("No number"), None);
}

/// A definition with one GET operation per id, and `extra` top-level keys.
fn definition(ops: &[&str], extra: &str) -> String {
    let paths: Vec<String> = ops
        .iter()
        .map(|id| format!(r#""/{id}": {{"get": {{"operationId": "{id}", "responses": {{}}}}}}"#))
        .collect();
    format!(
        r#"{{"swagger": "2.0", "paths": {{{}}}{extra}}}"#,
        paths.join(", ")
    )
}

fn changelog(r: &Repo, path: &str) -> Vec<(String, Vec<String>, Option<String>)> {
    let mut h = read(r.dir.path(), None).expect("history");
    changelog::fill(
        &mut h,
        r.dir.path(),
        &|_| None,
        &changelog::Store::default(),
    );
    h.folders[path]
        .revisions
        .iter()
        .map(|rev| {
            let lines = rev.changes.iter().map(|c| c.message.clone()).collect();
            (rev.subject.clone(), lines, rev.note.clone())
        })
        .collect()
}

const DEF_A: &str = "certified-connectors/Alpha/apiDefinition.swagger.json";

#[test]
fn changelog_per_revision_skips_a_broken_definition() {
    let mut r = Repo::new();
    r.write(DEF_A, &definition(&["GetTask"], ""));
    r.commit("Add Alpha", "ann", &[]);
    r.write(DEF_A, &definition(&["GetTask", "AddTask"], ""));
    r.commit("Alpha: AddTask", "ann", &[]);
    r.write(&format!("{A}/readme.md"), "# Alpha");
    r.commit("Alpha readme", "ann", &[]);
    r.write(DEF_A, "");
    r.commit("Alpha: emptied by mistake", "bob", &[]);
    r.write(DEF_A, &definition(&["AddTask"], ","));
    r.commit("Alpha: drop GetTask", "bob", &[]);
    let log = changelog(&r, A);
    let lines: Vec<(&str, Vec<&str>)> = log
        .iter()
        .map(|(s, l, _)| (s.as_str(), l.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        lines,
        [
            ("Add Alpha", vec![]),
            ("Alpha: AddTask", vec!["`AddTask`: new operation."]),
            ("Alpha readme", vec![]),
            ("Alpha: emptied by mistake", vec![]),
            (
                "Alpha: drop GetTask",
                vec![
                    "`GetTask`: the operation has been deleted. This change breaks existing flows."
                ]
            ),
        ],
        "the broken revision is skipped: the next one is compared with the last readable one"
    );
    let broken = log[3].2.as_deref().unwrap_or_default();
    assert!(
        broken.starts_with("The definition could not be read"),
        "{broken}"
    );
    assert_eq!(
        log[4].2.as_deref(),
        Some("The definition was not strict JSON; it was read leniently.")
    );
}

#[test]
fn changelog_of_a_branch_merged_and_of_a_renamed_folder() {
    let mut r = Repo::new();
    r.write(DEF_A, &definition(&["One"], ""));
    let base = r.commit("Base", "ann", &[]);
    r.write(DEF_A, &definition(&["One", "Two"], ""));
    let side = r.commit("Two on a branch", "bob", &[]);
    r.repo.set_head_detached(base).expect("detach");
    r.repo
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .expect("checkout");
    r.write("README.md", "mainline");
    r.commit("Docs", "ann", &[]);
    r.write(DEF_A, &definition(&["One", "Two"], ""));
    r.commit("Merge pull request #8 from bob/two", "ann", &[side]);
    let log = changelog(&r, A);
    let subjects: Vec<(&str, usize)> = log.iter().map(|(s, l, _)| (s.as_str(), l.len())).collect();
    assert_eq!(subjects, [("Base", 0), ("Two on a branch", 1)]);
    // A rename: the old folder is retired, the new one starts its own history.
    r.remove(A);
    r.write(
        "certified-connectors/Alpha 2/apiDefinition.swagger.json",
        &definition(&["One", "Two"], ""),
    );
    r.commit("Rename Alpha", "ann", &[]);
    let h = read(r.dir.path(), None).expect("history");
    assert_eq!(
        h.retired[0].renamed_to.as_deref(),
        Some("certified-connectors/Alpha 2")
    );
    assert_eq!(changelog(&r, "certified-connectors/Alpha 2").len(), 1);
    assert_eq!(changelog(&r, A).len(), 2, "the removal is not a revision");
}

#[test]
fn the_catalog_model_stands_for_the_last_revision() {
    let mut r = Repo::new();
    r.write(DEF_A, &definition(&["One"], ""));
    r.commit("One", "ann", &[]);
    r.write(DEF_A, &definition(&["One", "Two"], ""));
    r.commit("Two", "ann", &[]);
    let mut h = read(r.dir.path(), None).expect("history");
    // A stand-in with a third operation proves the catalog's model was used, not re-parsed.
    let mut problems = Vec::new();
    let built = crate::parse::definition_model(
        DEF_A,
        &definition(&["One", "Two", "Three"], ""),
        &mut problems,
    );
    let current = |path: &str| (path == A).then_some(Cow::Borrowed(&built));
    changelog::fill(&mut h, r.dir.path(), &current, &changelog::Store::default());
    let lines: Vec<&str> = h.folders[A].revisions[1]
        .changes
        .iter()
        .map(|c| c.message.as_str())
        .collect();
    assert_eq!(lines, ["`Two`: new operation.", "`Three`: new operation."]);
}

#[test]
fn a_store_of_earlier_builds_answers_without_reading_git() {
    let mut r = Repo::new();
    r.write(DEF_A, &definition(&["One"], ""));
    r.commit("One", "ann", &[]);
    r.write(DEF_A, "");
    r.commit("Broken", "ann", &[]);
    r.write(DEF_A, &definition(&["Two"], ""));
    r.commit("Two", "ann", &[]);
    let mut first = read(r.dir.path(), None).expect("history");
    let mut store = changelog::Store::default();
    let learnt = changelog::fill(&mut first, r.dir.path(), &|_| None, &store);
    assert!(store.learn(learnt), "three blobs and one pair were new");
    let mut again = read(r.dir.path(), None).expect("history");
    let nowhere = r.dir.path().join("no such repository");
    let learnt = changelog::fill(&mut again, &nowhere, &|_| None, &store);
    assert!(!store.learn(learnt), "nothing left to learn");
    assert_eq!(again.folders[A], first.folders[A]);
    assert_eq!(again.folders[A].revisions[2].changes.len(), 2);
}

/// The built revision's model, as the build makes it: parsed from `text`, with the problems
/// met on the way.
fn built_model(text: &str) -> crate::model::Connector {
    let mut problems = Vec::new();
    let mut built = crate::parse::definition_model(DEF_A, text, &mut problems);
    built.problems = problems;
    built
}

/// Regression: the built revision's definition always read as clean JSON in the changelog. A
/// head the build had read leniently got no note, and one it could not read at all was
/// compared as an empty definition: every operation "deleted", breaking flows.
#[test]
fn the_built_revision_reads_in_the_changelog_as_the_build_read_it() {
    let mut r = Repo::new();
    r.write(DEF_A, &definition(&["One"], ""));
    r.commit("One", "ann", &[]);
    let lenient = definition(&["One", "Two"], ",");
    r.write(DEF_A, &lenient);
    r.commit("Two, with a trailing comma", "ann", &[]);
    let built = built_model(&lenient);
    assert!(!built.problems.is_empty(), "the build reads it leniently");
    let mut h = read(r.dir.path(), None).expect("history");
    let current = |path: &str| (path == A).then_some(Cow::Borrowed(&built));
    changelog::fill(&mut h, r.dir.path(), &current, &changelog::Store::default());
    let head = &h.folders[A].revisions[1];
    assert_eq!(
        head.note.as_deref(),
        Some("The definition was not strict JSON; it was read leniently.")
    );
    assert_eq!(head.changes.len(), 1, "{:?}", head.changes);

    r.write(DEF_A, "");
    r.commit("Emptied by mistake", "bob", &[]);
    let built = built_model("");
    let mut h = read(r.dir.path(), None).expect("history");
    let current = |path: &str| (path == A).then_some(Cow::Borrowed(&built));
    changelog::fill(&mut h, r.dir.path(), &current, &changelog::Store::default());
    let head = &h.folders[A].revisions[2];
    let note = head.note.as_deref().unwrap_or_default();
    assert!(
        note.starts_with("The definition could not be read"),
        "{note}"
    );
    assert!(head.changes.is_empty(), "{:?}", head.changes);
}

/// The walk compares tier trees in git's own order and sorts only a tree that is out of it:
/// a folder sorts as if its name ended with `/`, so the order stored by git must read as
/// sorted (`Alpha-2/` < `Alpha.md` < `Alpha/` < `Alpha0`), or every commit would pay a sort.
#[test]
fn stored_tree_order_is_git_order() {
    let r = Repo::new();
    let blob = r.repo.blob(b"x").expect("blob");
    let mut sub = r.repo.treebuilder(None).expect("builder");
    sub.insert("f", blob, 0o100644).expect("insert");
    let folder = sub.write().expect("tree");
    let mut tier = r.repo.treebuilder(None).expect("builder");
    for name in ["Alpha", "Alpha-2", "Alph"] {
        tier.insert(name, folder, 0o040000).expect("folder");
    }
    for name in ["Alpha.md", "Alpha0", "alpha"] {
        tier.insert(name, blob, 0o100644).expect("file");
    }
    let tree = r.repo.find_tree(tier.write().expect("tree")).expect("find");
    let entries: Vec<git2::TreeEntry> = tree.iter().collect();
    let stored: Vec<&[u8]> = entries.iter().map(git2::TreeEntry::name_bytes).collect();
    assert_eq!(
        stored,
        [
            b"Alph".as_slice(),
            b"Alpha-2",
            b"Alpha.md",
            b"Alpha",
            b"Alpha0",
            b"alpha"
        ]
    );
    let keys: Vec<(&[u8], bool)> = entries
        .iter()
        .map(|e| (e.name_bytes(), e.kind() == Some(git2::ObjectType::Tree)))
        .collect();
    assert!(
        keys.is_sorted_by(|a, b| trees::git_order(*a, *b).is_lt()),
        "strictly in git's order"
    );
    let odb = r.repo.odb().expect("odb");
    let as_stored = odb.read(tree.id()).expect("read").data().to_vec();
    assert_eq!(
        trees::canonical(&tree),
        as_stored,
        "nothing was reordered (nor written otherwise)"
    );

    // A tree written out of order by some tool is put in order before the merge.
    let encode = |entries: &[(&str, &str, git2::Oid)]| {
        let mut raw = Vec::new();
        for (mode, name, id) in entries {
            raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            raw.extend_from_slice(id.as_bytes());
        }
        raw
    };
    let raw = encode(&[("40000", "Alpha", folder), ("100644", "Alpha.md", blob)]);
    let unordered = odb.write(git2::ObjectType::Tree, &raw).expect("write");
    let tree = r.repo.find_tree(unordered).expect("find");
    assert_eq!(
        trees::canonical(&tree),
        encode(&[("100644", "Alpha.md", blob), ("40000", "Alpha", folder)])
    );
}

/// The raw comparison of tier trees (`trees::changed`) against the parsed one, on random
/// pairs of trees written by libgit2: folders and files whose names sort around each other,
/// added, removed, changed and turned from one kind into the other.
#[test]
fn raw_tree_comparison_agrees_with_the_parsed_trees() {
    let r = Repo::new();
    let walker = Walker::new(&r.repo).expect("walker");
    let blobs: Vec<git2::Oid> = (0..4)
        .map(|i| r.repo.blob(format!("{i}").as_bytes()).expect("blob"))
        .collect();
    let folders: Vec<git2::Oid> = blobs
        .iter()
        .map(|b| {
            let mut t = r.repo.treebuilder(None).expect("builder");
            t.insert("f", *b, 0o100644).expect("insert");
            t.write().expect("tree")
        })
        .collect();
    const NAMES: [&str; 10] = ["A", "A-1", "A.md", "A0", "AB", "B", "B b", "a", "é", "A/"];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let random_tree = |next: &mut dyn FnMut(u64) -> u64| {
        let mut t = r.repo.treebuilder(None).expect("builder");
        for name in NAMES.iter().filter(|n| !n.contains('/')) {
            match next(4) {
                0 => {}
                1 => {
                    t.insert(name, blobs[next(4) as usize], 0o100644)
                        .expect("file");
                }
                _ => {
                    t.insert(name, folders[next(4) as usize], 0o040000)
                        .expect("folder");
                }
            }
        }
        t.write().expect("tree")
    };
    let mut differing = 0;
    for _ in 0..300 {
        let (old, new) = (random_tree(&mut next), random_tree(&mut next));
        let raw = trees::changed(
            &walker.raw(Some(old)).expect("raw"),
            &walker.raw(Some(new)).expect("raw"),
        )
        .expect("libgit2 writes trees in git's order");
        let canonical = |id| trees::canonical(&walker.tier(Some(id)).expect("tree"));
        let parsed = trees::changed(&canonical(old), &canonical(new)).expect("canonical");
        assert_eq!(raw, parsed);
        assert_eq!(
            raw,
            changed_by_name(&walker, old, new),
            "as a plain comparison by name"
        );
        differing += usize::from(!raw.is_empty());
    }
    assert!(differing > 250, "the pairs differ: {differing}");
}

/// The folders that differ between two tier trees, by comparing them name by name: what
/// `trees::changed` must find, computed the slow and obvious way.
fn changed_by_name(walker: &Walker, old: git2::Oid, new: git2::Oid) -> Vec<trees::Changed> {
    let entries = |id| -> BTreeMap<(String, bool), git2::Oid> {
        let tree = walker.tier(Some(id)).expect("tree");
        tree.iter()
            .map(|e| {
                let is_folder = e.kind() == Some(git2::ObjectType::Tree);
                ((e.name().expect("utf-8").to_string(), is_folder), e.id())
            })
            .collect()
    };
    let (old, new) = (entries(old), entries(new));
    let mut out: BTreeMap<String, Option<git2::Oid>> = BTreeMap::new();
    for ((name, is_folder), id) in &old {
        if *is_folder && new.get(&(name.clone(), true)) != Some(id) {
            out.insert(name.clone(), new.get(&(name.clone(), true)).copied());
        }
    }
    for ((name, is_folder), id) in &new {
        if *is_folder && old.get(&(name.clone(), true)) != Some(id) {
            out.insert(name.clone(), Some(*id));
        }
    }
    out.into_iter().collect()
}
