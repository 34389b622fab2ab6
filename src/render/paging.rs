//! Long lists cut into pages: every connector, one tier, category or publisher, and the
//! quality ranking each grow with the catalog, and SPEC §7 wants no page over 2 MB however
//! large the repository gets (the full list passes 2 MB at about 3,000 connectors).
//!
//! A page holds at most `page_size` rows (`site.toml`) and at most `BUDGET` bytes of rows by
//! an estimate that counts escaping, so a few enormous titles cannot blow one page up either.
//! The first page keeps the list's usual address; the others are `page-2.html`,
//! `page-3.html`… in the same folder, so every relative link works unchanged.

use crate::model::order::escaped_len;
use crate::render::derive::Row;
use serde::Serialize;
use std::ops::Range;

/// Estimated bytes of rows on one page: under 2 MB with room for the frame and the facets.
pub const BUDGET: usize = 1_200_000;

/// A row's fixed markup (attributes, cells, links) in the heaviest of the list templates.
const ROW_MARKUP: usize = 700;

/// Cuts `sizes.len()` rows into consecutive pages of at most `page_size` rows and at most
/// `budget` bytes (a single row larger than the budget gets a page of its own). An empty
/// list is one empty page.
pub fn split(sizes: &[usize], page_size: usize, budget: usize) -> Vec<Range<usize>> {
    let page_size = page_size.max(1);
    let mut pages = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, &size) in sizes.iter().enumerate() {
        if i > start && (i - start == page_size || bytes + size > budget) {
            pages.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    pages.push(start..sizes.len());
    pages
}

/// Pages of `rows` (already in display order) under the site's page size.
pub fn pages_of(rows: &[&Row], page_size: usize) -> Vec<Range<usize>> {
    let sizes: Vec<usize> = rows.iter().map(|r| row_bytes(r)).collect();
    split(&sizes, page_size, BUDGET)
}

/// An upper estimate of one row's HTML in the list templates: every text the row shows,
/// escaped, as many times as the templates repeat it, plus the fixed markup.
pub fn row_bytes(r: &Row) -> usize {
    let categories: usize = r.categories.iter().map(|c| escaped_len(&c.name) + 2).sum();
    ROW_MARKUP
        + 2 * escaped_len(r.title())
        + 2 * r.publisher().map_or(0, escaped_len)
        + r.publisher_slug().map_or(0, str::len)
        + escaped_len(&r.data_category())
        + categories
        + 3 * r.slug().len()
        + r.href().len()
        + r.monogram().len()
        + r.brand().map_or(0, escaped_len)
}

/// The file of page `number` (1-based) in the list's folder.
pub fn file_name(number: usize) -> String {
    if number <= 1 {
        "index.html".to_string()
    } else {
        format!("page-{number}.html")
    }
}

/// The page's place among its siblings, for the "Page 2 of 5" navigation. Absent when the
/// list fits on one page, so small catalogs render exactly as before.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Pager {
    /// 1-based.
    pub number: usize,
    pub count: usize,
    /// 1-based positions of this page's first and last rows, and the rows of all pages.
    pub first: usize,
    pub last: usize,
    pub total: usize,
    /// File names beside this page (`index.html`, `page-3.html`).
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

impl Pager {
    pub fn new(pages: &[Range<usize>], index: usize) -> Option<Pager> {
        let here = pages.get(index)?;
        if pages.len() < 2 {
            return None;
        }
        let number = index + 1;
        Some(Pager {
            number,
            count: pages.len(),
            first: here.start + 1,
            last: here.end,
            total: pages.last().map_or(0, |p| p.end),
            prev: (number > 1).then(|| file_name(number - 1)),
            next: (number < pages.len()).then(|| file_name(number + 1)),
            links: (1..=pages.len())
                .map(|n| PageLink {
                    number: n,
                    href: file_name(n),
                    current: n == number,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_cut_by_count_and_by_bytes() {
        assert_eq!(split(&[10; 5], 2, 1_000), vec![0..2, 2..4, 4..5]);
        assert_eq!(split(&[400, 400, 400, 100], 10, 1_000), vec![0..2, 2..4]);
        // A row over the budget still gets a page, alone.
        assert_eq!(split(&[10, 5_000, 10], 10, 1_000), vec![0..1, 1..2, 2..3]);
        assert_eq!(split(&[], 10, 1_000), vec![0..0]);
        assert_eq!(split(&[1, 1], 0, 1_000), vec![0..1, 1..2]);
    }

    #[test]
    fn a_single_page_has_no_pager_and_the_others_link_their_neighbours() {
        let one: Vec<Range<usize>> = split(&[1, 1, 1], 10, 1_000);
        assert_eq!(Pager::new(&one, 0), None);
        let pages = [0..2, 2..4, 4..5];
        let middle = Pager::new(&pages, 1).expect("three pages");
        assert_eq!((middle.number, middle.count), (2, 3));
        assert_eq!((middle.first, middle.last, middle.total), (3, 4, 5));
        assert_eq!(middle.prev.as_deref(), Some("index.html"));
        assert_eq!(middle.next.as_deref(), Some("page-3.html"));
        assert!(middle.links[1].current && !middle.links[0].current);
        assert_eq!(Pager::new(&pages, 2).and_then(|p| p.next), None);
        assert_eq!(Pager::new(&pages, 3), None);
    }
}
