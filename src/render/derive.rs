//! Facts derived once per build from the whole catalog and shared by many pages: each
//! connector's summary row, and the groupings by tier, category and publisher.
//!
//! Pages borrow from here; nothing in it is HTML. Grouping is case-insensitive (the source
//! spells "Productivity" and "productivity") and every list is sorted, so output is stable.

use crate::model::{clip, TITLE_SHOWN};
use crate::model::{AuthKind, Catalog, Connector, Tier};
use crate::slug::unique_slugs;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::urls;

/// A connector as one line of a list or comparison table. One is held for every connector
/// through the render, so it holds only what the connector cannot say by itself (its groups
/// and its documentation score); the rest is read from the connector when a page shows the
/// row (`Serialize` below writes every field a theme reads). Holding them all took 29 MB at
/// 50 times the real repository; a row is now 40 bytes and its categories.
#[derive(Debug)]
pub struct Row<'a> {
    pub connector: &'a Connector,
    /// Shared with the category groups: with a copy of each category's three strings, the
    /// rows held 7.6 MB at 10× the real repository, and 5.8 MB shared.
    pub categories: Box<[Arc<Named>]>,
    /// The publisher's group, for its page's link.
    pub publisher_group: Option<Arc<Named>>,
    /// Documentation completeness, 0–100 (see `docs_score`).
    pub docs: u8,
}

impl<'a> Row<'a> {
    pub fn slug(&self) -> &'a str {
        self.connector.slug()
    }

    pub fn title(&self) -> &'a str {
        self.connector.display_title()
    }

    /// Site-relative link to the page (`connectors/x/index.html`).
    pub fn href(&self) -> String {
        urls::href(&format!("connectors/{}/", self.connector.slug()))
    }

    pub fn tier(&self) -> Tier {
        self.connector.tier
    }

    pub fn publisher(&self) -> Option<&'a str> {
        let p = self.connector.about.publisher();
        p.map(|p| clip(p.trim(), TITLE_SHOWN))
    }

    pub fn publisher_slug(&self) -> Option<&str> {
        self.publisher_group.as_ref().map(|n| n.slug.as_str())
    }

    pub fn auth(&self) -> Vec<AuthKind> {
        self.connector.auth_kinds()
    }

    pub fn actions(&self) -> usize {
        self.connector.action_count()
    }

    pub fn triggers(&self) -> usize {
        self.connector.trigger_count()
    }

    pub fn deprecated(&self) -> usize {
        self.connector.deprecated_count()
    }

    pub fn copilot(&self) -> bool {
        self.connector.is_copilot_enabled()
    }

    pub fn code(&self) -> bool {
        self.connector.has_custom_code()
    }

    pub fn preview(&self) -> bool {
        self.connector.is_preview()
    }

    /// The icon is copied into the site (`source::copyable`).
    pub fn icon(&self) -> bool {
        self.connector.files().icon_copyable()
    }

    /// The definition is copied beside the page for download (`source::copyable`).
    pub fn definition(&self) -> bool {
        self.connector.files().definition_copyable()
    }

    pub fn monogram(&self) -> String {
        monogram(self.title())
    }

    pub fn brand(&self) -> Option<&'a str> {
        self.connector
            .about
            .brand_color()
            .and_then(urls::brand_colour)
    }

    /// The colour of text on the brand colour.
    pub fn brand_fg(&self) -> &'static str {
        self.brand().map_or("#fff", urls::text_on)
    }

    /// `|`-joined category names for `data-category`. Names never hold a `|`
    /// (`normalize::canonical_category`).
    pub fn data_category(&self) -> String {
        let names: Vec<&str> = self.categories.iter().map(|n| n.name.as_str()).collect();
        names.join("|")
    }

    /// First added (`YYYY-MM-DD`), when the catalog has history.
    pub fn added(&self) -> Option<&'a str> {
        let history = self.connector.history.as_ref();
        history.and_then(|h| Some(h.first_added()?.date.as_str()))
    }

    /// Last updated (`YYYY-MM-DD`), when the catalog has history.
    pub fn updated(&self) -> Option<&'a str> {
        let history = self.connector.history.as_ref();
        history.and_then(|h| Some(h.last_updated()?.date.as_str()))
    }
}

/// A row as the themes read it (`list.html`, `macros.html`, `connector.html`,
/// `quality.html`): written when a page shows it.
#[derive(Serialize)]
struct RowOut<'r> {
    slug: &'r str,
    title: &'r str,
    href: String,
    tier: &'static str,
    tier_label: &'static str,
    /// `Tier::short_label`, for narrow columns.
    tier_short: &'static str,
    publisher: Option<&'r str>,
    publisher_slug: Option<&'r str>,
    categories: &'r [Arc<Named>],
    auth: Vec<&'static str>,
    auth_labels: Vec<&'static str>,
    actions: usize,
    triggers: usize,
    deprecated: usize,
    copilot: bool,
    code: bool,
    preview: bool,
    docs: u8,
    icon: bool,
    definition: bool,
    monogram: String,
    brand: Option<&'r str>,
    brand_fg: &'static str,
    data_category: String,
    added: Option<&'r str>,
    updated: Option<&'r str>,
}

impl Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let auth = self.auth();
        RowOut {
            slug: self.slug(),
            title: self.title(),
            href: self.href(),
            tier: self.tier().id(),
            tier_label: self.tier().label(),
            tier_short: self.tier().short_label(),
            publisher: self.publisher(),
            publisher_slug: self.publisher_slug(),
            categories: &self.categories,
            auth: auth.iter().map(|k| k.id()).collect(),
            auth_labels: auth.iter().map(|k| k.label()).collect(),
            actions: self.actions(),
            triggers: self.triggers(),
            deprecated: self.deprecated(),
            copilot: self.copilot(),
            code: self.code(),
            preview: self.preview(),
            docs: self.docs,
            icon: self.icon(),
            definition: self.definition(),
            monogram: self.monogram(),
            brand: self.brand(),
            brand_fg: self.brand_fg(),
            data_category: self.data_category(),
            added: self.added(),
            updated: self.updated(),
        }
        .serialize(serializer)
    }
}

/// A name with its slug and the site-relative link of its page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Named {
    pub name: String,
    pub slug: String,
    pub href: String,
}

/// A tier, category or publisher and its connectors (indexes into the catalog, in list
/// order).
#[derive(Debug, Serialize)]
pub struct Group {
    #[serde(flatten)]
    pub named: Arc<Named>,
    pub members: Vec<usize>,
}

/// Everything derived from the catalog as a whole.
pub struct Derived<'a> {
    pub rows: Vec<Row<'a>>,
    /// Indexes of `rows` in list order (by title, then slug): sorted once here, not by
    /// every page of every list.
    pub order: Vec<usize>,
    pub tiers: Vec<Group>,
    pub categories: Vec<Group>,
    pub publishers: Vec<Group>,
}

/// Categories of one connector the site files it under at most; real connectors have one or
/// two. 20,000 made 20,000 category pages and a list of megabytes.
const MAX_CATEGORIES: usize = 10;

impl<'a> Derived<'a> {
    /// Which icons and definitions may be copied is what the connectors' folders listed when
    /// they were read (`ConnectorFiles::icon_copyable`): `serve` opens a fresh tree for each
    /// edit, and listing every folder again made showing one edited connector take 35 ms
    /// instead of 9.
    pub fn new(catalog: &'a Catalog) -> Derived<'a> {
        let mut categories = group_by(catalog, "categories", |c| {
            let first = c.about.categories().take(MAX_CATEGORIES);
            first.map(|n| clip(n, TITLE_SHOWN).to_string()).collect()
        });
        let mut publishers = group_by(catalog, "publishers", |c| {
            let names = c.about.publisher().into_iter();
            names
                .map(|p| clip(p.trim(), TITLE_SHOWN).to_string())
                .collect()
        });
        let mut tiers = tier_groups(catalog);
        let rows = rows(catalog, &categories, &publishers);
        let order = list_order(&rows);
        let rank = positions(&order);
        for g in tiers
            .iter_mut()
            .chain(&mut categories)
            .chain(&mut publishers)
        {
            g.members
                .sort_by_key(|&i| rank.get(i).copied().unwrap_or(u32::MAX));
        }
        Derived {
            rows,
            order,
            tiers,
            categories,
            publishers,
        }
    }
}

/// Every connector's row, with its categories' and its publisher's groups.
fn rows<'a>(catalog: &'a Catalog, categories: &[Group], publishers: &[Group]) -> Vec<Row<'a>> {
    let first_publisher = first_groups(publishers, catalog.connectors.len());
    let mut in_categories = memberships(categories).into_iter().peekable();
    let named = |groups: &[Group], g: u32| groups.get(g as usize).map(|g| Arc::clone(&g.named));
    (catalog.connectors.iter().zip(0u32..))
        .map(|(c, i)| {
            let mut mine = Vec::new();
            while let Some((_, g)) = in_categories.next_if(|&(of, _)| of == i) {
                mine.extend(named(categories, g));
            }
            let publisher = first_publisher.get(i as usize);
            Row {
                connector: c,
                categories: mine.into_boxed_slice(),
                publisher_group: publisher.and_then(|&g| named(publishers, g)),
                docs: docs_score(c),
            }
        })
        .collect()
}

/// Indexes of `rows` by title (case-insensitive), then slug (unique, so the order is total).
/// The lowercased titles are kept in one string while they are sorted, not in a `String`
/// each (with the memberships below, the derived lists' peak at 10× the real repository went
/// from 2.9 to 1.7 MB, `mem_probe`).
fn list_order(rows: &[Row]) -> Vec<usize> {
    let mut lower = String::new();
    let mut ends = Vec::with_capacity(rows.len());
    for r in rows {
        lower.push_str(&r.title().to_lowercase());
        ends.push(lower.len());
    }
    let title = |i: usize| {
        let start = i.checked_sub(1).and_then(|b| ends.get(b)).copied();
        let end = ends.get(i).copied().unwrap_or_default();
        lower.get(start.unwrap_or(0)..end).unwrap_or_default()
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| (title(a), rows[a].slug()).cmp(&(title(b), rows[b].slug())));
    order
}

/// Where each index stands in `order` (`u32::MAX` for one it leaves out).
pub fn positions(order: &[usize]) -> Vec<u32> {
    let mut at = vec![u32::MAX; order.len()];
    for (position, &i) in (0u32..).zip(order) {
        if let Some(slot) = at.get_mut(i) {
            *slot = position;
        }
    }
    at
}

/// Which of `groups` each connector belongs to, as (connector, group) pairs sorted by
/// connector, each connector's groups in the groups' order: one pass over the members, not a
/// search of every group for every connector (thousands of publishers times thousands of
/// connectors in a large catalog), and 8 bytes a membership, not a list for every connector
/// (about 6 MB for the categories and publishers at 50 times the real repository, by count:
/// two lists of 24 bytes and their allocations for each of 51,700 connectors).
fn memberships(groups: &[Group]) -> Vec<(u32, u32)> {
    let pairs = groups.iter().zip(0u32..).flat_map(|(group, g)| {
        let members = group.members.iter();
        members.map(move |&i| (u32::try_from(i).unwrap_or(u32::MAX), g))
    });
    let mut pairs: Vec<(u32, u32)> = pairs.collect();
    // Stable: a connector's groups stay in the groups' order.
    pairs.sort_by_key(|&(i, _)| i);
    pairs
}

/// The first of `groups` each of `n` connectors belongs to (`u32::MAX` for none).
fn first_groups(groups: &[Group], n: usize) -> Vec<u32> {
    let mut first = vec![u32::MAX; n];
    for (group, g) in groups.iter().zip(0u32..) {
        for &i in &group.members {
            if let Some(slot) = first.get_mut(i).filter(|slot| **slot == u32::MAX) {
                *slot = g;
            }
        }
    }
    first
}

/// Groups connectors by a multi-valued key, case-insensitively; each group is shown with
/// the spelling most of its members use. Sorted by name; slugs are unique.
fn group_by(
    catalog: &Catalog,
    section: &str,
    keys: impl Fn(&Connector) -> Vec<String>,
) -> Vec<Group> {
    let mut by_key: BTreeMap<String, (BTreeMap<String, usize>, Vec<usize>)> = BTreeMap::new();
    for (i, c) in catalog.connectors.iter().enumerate() {
        let mut seen: Vec<String> = Vec::new();
        for name in keys(c) {
            let name = name.trim().to_string();
            let key = name.to_lowercase();
            if name.is_empty() || seen.contains(&key) {
                continue;
            }
            seen.push(key.clone());
            let entry = by_key.entry(key).or_default();
            *entry.0.entry(name).or_default() += 1;
            entry.1.push(i);
        }
    }
    let names: Vec<(String, Vec<usize>)> = by_key
        .into_values()
        .map(|(spellings, members)| (most_used(spellings), members))
        .collect();
    let items: Vec<(&str, &str, &str)> = names
        .iter()
        .map(|(n, _)| (n.as_str(), n.as_str(), "x"))
        .collect();
    let slugs = unique_slugs(&items);
    let mut groups: Vec<Group> = names
        .into_iter()
        .zip(slugs)
        .map(|((name, members), slug)| Group {
            named: Arc::new(Named {
                href: urls::href(&format!("{section}/{slug}/")),
                name,
                slug,
            }),
            members,
        })
        .collect();
    groups.sort_by(|a, b| {
        let key = |g: &Group| (g.named.name.to_lowercase(), g.named.slug.clone());
        key(a).cmp(&key(b))
    });
    groups
}

fn most_used(spellings: BTreeMap<String, usize>) -> String {
    let mut best: Option<(String, usize)> = None;
    for (name, n) in spellings {
        if best.as_ref().is_none_or(|(_, m)| n > *m) {
            best = Some((name, n));
        }
    }
    best.map(|(n, _)| n).unwrap_or_default()
}

fn tier_groups(catalog: &Catalog) -> Vec<Group> {
    Tier::ALL
        .into_iter()
        .map(|t| Group {
            named: Arc::new(Named {
                name: t.label().to_string(),
                slug: t.id().to_string(),
                href: urls::href(&format!("tiers/{}/", t.id())),
            }),
            members: (0..catalog.connectors.len())
                .filter(|&i| catalog.connectors[i].tier == t)
                .collect(),
        })
        .filter(|g| !g.members.is_empty())
        .collect()
}

/// Up to two letters standing for a title when there is no icon.
pub fn monogram(title: &str) -> String {
    let words: Vec<&str> = title
        .split(|c: char| c.is_whitespace() || "-_/().,&+".contains(c))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let letters = |w: &str, n: usize| -> String {
        w.chars()
            .filter(|c| c.is_alphanumeric())
            .take(n)
            .flat_map(char::to_uppercase)
            .collect()
    };
    match words.as_slice() {
        [] => "?".to_string(),
        [one] => letters(one, 2),
        [a, b, ..] => letters(a, 1) + &letters(b, 1),
    }
}

/// How completely a connector is documented, 0–100 (see `quality::Completeness`; noted
/// before a spill took the details it is measured on).
pub fn docs_score(c: &Connector) -> u8 {
    c.docs_score
        .unwrap_or_else(|| crate::quality::Completeness::of(c).score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monograms() {
        assert_eq!(monogram("Task Board"), "TB");
        assert_eq!(monogram("encodian"), "EN");
        assert_eq!(monogram("Bjørnø's Data & Weather"), "BD");
        assert_eq!(monogram("!!"), "?");
    }

    fn connector(slug: &str, title: &str, category: &str, publisher: &str) -> Connector {
        let mut c =
            crate::parse::definition_model("x/apiDefinition.swagger.json", "{}", &mut Vec::new());
        c.set_slug(slug);
        c.about.edit(|p| p.info.title = Some(title.to_string()));
        c.about
            .edit(|p| p.metadata.categories = vec![category.to_string()]);
        c.about.edit(|p| p.publisher = Some(publisher.to_string()));
        c
    }

    #[test]
    fn a_connector_in_several_groups_has_them_in_the_groups_order() {
        let group = |name: &str, members: Vec<usize>| Group {
            named: Arc::new(Named {
                name: name.into(),
                slug: name.into(),
                href: String::new(),
            }),
            members,
        };
        let groups = [group("AI", vec![2, 0]), group("Data", vec![0, 1])];
        assert_eq!(
            memberships(&groups),
            [(0, 0), (0, 1), (1, 1), (2, 0)],
            "by connector; connector 0 in AI, then Data"
        );
        assert_eq!(first_groups(&groups, 4), [0, 1, 0, u32::MAX]);
        assert_eq!(positions(&[2, 0, 1]), [1, 2, 0]);
        assert_eq!(
            positions(&[1]),
            [u32::MAX],
            "an index past the end is left out"
        );
    }

    #[test]
    fn groups_hold_their_members_in_list_order_and_rows_know_their_groups() {
        let catalog = Catalog {
            source: Default::default(),
            connectors: vec![
                connector("zeta", "Zeta", "Data", "Contoso"),
                connector("alpha", "alpha", "AI", "Fabrikam"),
                connector("beta", "Beta", "data", "Contoso"),
            ],
            problems: Vec::new(),
            retired: Vec::new(),
            spilled: None,
        };
        let d = Derived::new(&catalog);
        assert_eq!(
            d.order,
            vec![1, 2, 0],
            "alpha, Beta, Zeta: by title, case-insensitive"
        );
        let members = |groups: &[Group], name: &str| -> Vec<usize> {
            groups
                .iter()
                .find(|g| g.named.name == name)
                .map(|g| g.members.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            members(&d.categories, "Data"),
            vec![2, 0],
            "Beta before Zeta"
        );
        assert_eq!(members(&d.publishers, "Contoso"), vec![2, 0]);
        assert_eq!(members(&d.tiers, "Certified"), vec![1, 2, 0]);
        let categories = |i: usize| -> Vec<&str> {
            d.rows[i]
                .categories
                .iter()
                .map(|n| n.name.as_str())
                .collect()
        };
        assert_eq!(
            (categories(0), categories(1), categories(2)),
            (vec!["Data"], vec!["AI"], vec!["Data"])
        );
        assert_eq!(d.rows[1].publisher_slug(), Some("fabrikam"));
        assert_eq!(d.rows[2].publisher_slug(), Some("contoso"));
        // A row's category is its group's, not a copy of it.
        let data = d.categories.iter().find(|g| g.named.name == "Data");
        let data = data.map(|g| &g.named).expect("Data");
        assert!(Arc::ptr_eq(&d.rows[0].categories[0], data));
        assert!(Arc::ptr_eq(&d.rows[2].categories[0], data));
    }

    /// A row holds the connector and its groups only, and writes every field the themes
    /// read, from the connector, when a page shows it.
    #[test]
    fn a_row_holds_its_connector_and_groups_and_writes_every_field() {
        assert!(
            std::mem::size_of::<Row>() <= 40,
            "{}",
            std::mem::size_of::<Row>()
        );
        let mut c = connector("zeta-sms", "Zeta SMS", "Communication", " Contoso ");
        c.about
            .edit(|p| p.metadata.categories.push("Data".to_string()));
        let catalog = Catalog {
            source: Default::default(),
            connectors: vec![c],
            problems: Vec::new(),
            retired: Vec::new(),
            spilled: None,
        };
        let d = Derived::new(&catalog);
        let row = serde_json::to_value(&d.rows[0]).expect("row");
        let keys: Vec<&str> = row
            .as_object()
            .expect("object")
            .keys()
            .map(|k| k.as_str())
            .collect();
        let mut expected = vec![
            "slug",
            "title",
            "href",
            "tier",
            "tier_label",
            "tier_short",
            "publisher",
            "publisher_slug",
            "categories",
            "auth",
            "auth_labels",
            "actions",
            "triggers",
            "deprecated",
            "copilot",
            "code",
            "preview",
            "docs",
            "icon",
            "definition",
            "monogram",
            "brand",
            "brand_fg",
            "data_category",
            "added",
            "updated",
        ];
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(row["href"], "connectors/zeta-sms/index.html");
        assert_eq!(row["title"], "Zeta SMS");
        assert_eq!(row["monogram"], "ZS");
        assert_eq!(row["tier_label"], "Certified");
        assert_eq!(row["publisher"], "Contoso");
        assert_eq!(row["publisher_slug"], "contoso");
        assert_eq!(row["data_category"], "Communication|Data");
        assert_eq!(row["categories"][1]["href"], "categories/data/index.html");
        assert_eq!(row["brand_fg"], "#fff");
        assert_eq!(row["added"], serde_json::Value::Null, "no history");
    }

    #[test]
    fn most_used_spelling_wins() {
        let m = BTreeMap::from([("Productivity".to_string(), 3), ("productivity".into(), 1)]);
        assert_eq!(most_used(m), "Productivity");
    }
}
