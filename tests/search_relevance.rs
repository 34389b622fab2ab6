//! Relevance on maker tasks: a judged set of plain-language queries run against the real
//! corpus, reporting hit@5 and MRR@5 (`cargo test --test search_relevance -- --nocapture`).

mod common;

use serde::Deserialize;
use switchyard::index::query::Searcher;

#[derive(Deserialize)]
struct Judgment {
    query: String,
    relevant: Vec<String>,
}

pub fn judgments() -> Vec<(String, Vec<String>)> {
    let j: Vec<Judgment> =
        serde_json::from_str(include_str!("search_judgments.json")).expect("judgments");
    j.into_iter().map(|j| (j.query, j.relevant)).collect()
}

#[test]
fn maker_queries_find_a_right_connector_in_the_top_five() {
    let Some(corpus) = common::corpus() else {
        eprintln!("../shared/corpus not present; skipping");
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let site = switchyard::site::Site::load(
        None,
        switchyard::site::Overrides {
            source: Some(corpus.display().to_string()),
            out: Some(out.clone()),
            no_history: true,
            ..Default::default()
        },
    )
    .expect("site");
    site.build(false, switchyard::site::Verbosity::Quiet)
        .expect("build");
    let searcher = Searcher::open(&out).expect("index");
    let judged = judgments();
    assert!(judged.len() >= 40);
    let (mut hits, mut reciprocal) = (0usize, 0f64);
    for (query, relevant) in &judged {
        let results = searcher.search(query, 5).expect("search");
        let rank = results.iter().position(|h| relevant.contains(&h.folder));
        if let Some(r) = rank {
            hits += 1;
            reciprocal += 1.0 / (r as f64 + 1.0);
        }
        let top: Vec<&str> = results.iter().map(|h| h.folder.as_str()).collect();
        println!(
            "{} {query:?} → {top:?}",
            if rank.is_some() { "ok  " } else { "MISS" }
        );
    }
    let n = judged.len() as f64;
    let hit5 = hits as f64 / n;
    println!(
        "queries: {}  hit@5: {:.3}  MRR@5: {:.3}",
        judged.len(),
        hit5,
        reciprocal / n
    );
    assert!(hit5 >= 0.9, "hit@5 fell to {hit5:.3}");
}
