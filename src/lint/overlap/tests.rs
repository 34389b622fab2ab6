//! Overlap tests (X001, X002) against small hand-made catalogs.

use crate::lint::testing::{Case, GOOD_DEFINITION};
use crate::model::Tier;
use crate::problem::Severity::Info;

fn other(title: &str, host: &str, summary: &str, id: &str) -> crate::model::Connector {
    let def = GOOD_DEFINITION
        .replace("Contoso Tasks", title)
        .replace("api.contoso.example", host)
        .replace("List tasks", summary)
        .replace("ListTasks", id);
    let props = crate::lint::testing::CERTIFIED_PROPS.replace(
        "\"stackOwner\": \"Contoso\"",
        "\"stackOwner\": \"Fabrikam\"",
    );
    let mut c = Case::new(Tier::Certified)
        .definition(&def)
        .properties(&props)
        .connector();
    c.names = crate::model::Names::new(&format!("certified-connectors/{title}"), title, c.slug());
    c
}

#[test]
fn x001_same_host_and_x002_overlapping_operations() {
    let catalog = vec![
        other(
            "Tasks Two",
            "api.contoso.example",
            "Get the weather",
            "GetWeather",
        ),
        other(
            "Board Tasks",
            "api.board.example",
            "List tasks",
            "ListTasks",
        ),
        other(
            "Weather",
            "api.weather.example",
            "Get the forecast",
            "GetForecast",
        ),
    ];
    let got = Case::new(Tier::Certified).against_catalog(&catalog);
    let hit = got.expect_at("X001", Info, GOOD_DEFINITION, "\"api.contoso.example\"");
    assert!(hit.message.contains("Tasks Two"), "{}", hit.message);
    let overlap = got.expect_at("X002", Info, GOOD_DEFINITION, "\"paths\"");
    assert!(
        overlap.message.contains("Board Tasks") && overlap.message.ends_with("List tasks"),
        "{}",
        overlap.message
    );
    assert_eq!(got.count("X002"), 1, "{:?}", got.messages("X002"));
}

#[test]
fn x001_x002_nothing_in_common() {
    let catalog = vec![other(
        "Weather",
        "api.weather.example",
        "Get the forecast",
        "GetForecast",
    )];
    let got = Case::new(Tier::Certified).against_catalog(&catalog);
    got.none("X001");
    got.none("X002");
    Case::new(Tier::Certified).run().none("X001");
}

#[test]
fn x001_same_stack_owner() {
    let mut same = other(
        "Weather",
        "api.weather.example",
        "Get the forecast",
        "GetForecast",
    );
    same.about.edit(|p| p.stack_owner = Some("contoso".into()));
    let got = Case::new(Tier::Certified).against_catalog(&[same]);
    let hit = got.expect_at(
        "X001",
        Info,
        crate::lint::testing::CERTIFIED_PROPS,
        "\"Contoso\", \"icon",
    );
    assert!(
        hit.message
            .contains("1 existing connector(s) have the stack owner `Contoso`"),
        "{}",
        hit.message
    );
}
