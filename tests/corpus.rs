//! End to end on the real connectors repository snapshot (`../shared/corpus`), when present.

mod common;

use std::collections::BTreeMap;
use switchyard::problem::Severity;

#[test]
fn the_whole_corpus_loads_with_every_file_recovered() {
    let Some(corpus) = common::corpus() else {
        eprintln!("../shared/corpus not present; skipping");
        return;
    };
    let catalog = common::catalog_of(&corpus);
    // 1,030 folders with `apiDefinition.swagger.json` plus 4 whose definition is misnamed.
    assert_eq!(catalog.connectors.len(), 1034);
    let by_tier = catalog.connectors.iter().fold(BTreeMap::new(), |mut m, c| {
        *m.entry(c.tier.id()).or_insert(0) += 1;
        m
    });
    assert_eq!(by_tier["certified"], 619);
    assert_eq!(by_tier["independent-publisher"], 395);
    assert_eq!(by_tier["custom"], 20);
    let operations = catalog.operation_count();
    assert!(
        (15_500..17_500).contains(&operations),
        "{operations} operations"
    );
    let triggers = catalog.trigger_count();
    assert!((700..760).contains(&triggers), "{triggers} triggers");

    // Zero unrecoverable files: every F002/F003 finding is a located, recovered warning.
    for p in catalog
        .all_problems()
        .filter(|p| p.rule == "F002" || p.rule == "F003")
    {
        assert_eq!(p.severity, Severity::Warning, "{p}");
        assert!(p.line > 0 && p.column > 0, "{p}");
    }
    let recovered: std::collections::BTreeSet<&str> = catalog
        .all_problems()
        .filter(|p| p.rule == "F002" || p.rule == "F003")
        .map(|p| p.path.as_str())
        .collect();
    assert!(
        recovered.len() >= 25,
        "{} damaged files reported",
        recovered.len()
    );

    // The misnamed definitions are used and reported.
    let f001: Vec<&str> = catalog
        .all_problems()
        .filter(|p| p.rule == "F001")
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(f001.len(), 5, "{f001:?}");

    // Known damaged files still give their operations.
    let paths = |folder: &str| {
        catalog
            .connectors
            .iter()
            .find(|c| c.folder() == folder)
            .map(|c| c.details().operations.len())
            .unwrap_or(0)
    };
    assert!(paths("DocuSignDemo") > 60);
    assert!(paths("envoy") > 0);
    assert!(paths("Yelp") > 0);
    let bronnoy = catalog
        .connectors
        .iter()
        .find(|c| c.folder() == "Brønnøysundregistrene")
        .expect("present");
    assert!(bronnoy.about.title().unwrap_or("").contains("Brønnøy"));

    // Slugs are unique.
    let slugs: std::collections::HashSet<&str> =
        catalog.connectors.iter().map(|c| c.slug()).collect();
    assert_eq!(slugs.len(), catalog.connectors.len());
}
