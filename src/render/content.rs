//! The site's own Markdown pages (`content/*.md`), with TOML front matter between `+++`
//! lines: `title`, `weight`, `draft`, `description`. `_index.md` is the home page's text;
//! every other page is rendered at `<slug>/index.html` and listed in the navigation by
//! weight. These files are the site author's, so an error in them stops the build.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::Path;

/// Top-level folders of the site that a content page may not take.
const RESERVED: [&str; 10] = [
    "connectors",
    "categories",
    "publishers",
    "tiers",
    "compare",
    "problems",
    "static",
    "search",
    "feeds",
    "history",
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct FrontMatter {
    title: Option<String>,
    weight: i64,
    draft: bool,
    description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub weight: i64,
    pub description: Option<String>,
    pub markdown: String,
}

#[derive(Debug, Default)]
pub struct Content {
    /// `_index.md`: the home page's text.
    pub index: Option<Page>,
    /// The other pages, by weight then title; drafts left out.
    pub pages: Vec<Page>,
}

/// Loads `dir/*.md`; a missing folder is an empty site.
pub fn load(dir: &Path) -> Result<Content> {
    let mut content = Content::default();
    if !dir.is_dir() {
        return Ok(content);
    }
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let page = parse(&stem, &text).with_context(|| format!("in {}", path.display()))?;
        match page {
            Some(p) if stem == "_index" => content.index = Some(p),
            Some(p) => content.pages.push(p),
            None => {}
        }
    }
    content
        .pages
        .sort_by(|a, b| (a.weight, &a.title, &a.slug).cmp(&(b.weight, &b.title, &b.slug)));
    Ok(content)
}

/// Parses one file; `None` for a draft.
pub fn parse(stem: &str, text: &str) -> Result<Option<Page>> {
    let (front, body) = split(text)?;
    let front: FrontMatter = toml::from_str(front).context("invalid front matter")?;
    if front.draft {
        return Ok(None);
    }
    let slug = crate::slug::slugify(stem.trim_start_matches('_'));
    if RESERVED.contains(&slug.as_str()) {
        bail!("the page slug `{slug}` is taken by the site; rename the file");
    }
    Ok(Some(Page {
        title: front.title.unwrap_or_else(|| stem.replace(['-', '_'], " ")),
        slug,
        weight: front.weight,
        description: front.description,
        markdown: body.to_string(),
    }))
}

/// Splits `+++\n<toml>\n+++\n<body>`; a file without front matter is all body.
fn split(text: &str) -> Result<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        return Ok(("", text));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    bail!("front matter opened with +++ is never closed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_read() {
        let p = parse(
            "about",
            "+++\ntitle = \"About\"\nweight = 2\ndescription = \"d\"\n+++\n# Hi\n",
        )
        .expect("valid")
        .expect("not a draft");
        assert_eq!(p.title, "About");
        assert_eq!(p.weight, 2);
        assert_eq!(p.slug, "about");
        assert_eq!(p.description.as_deref(), Some("d"));
        assert_eq!(p.markdown, "# Hi\n");
    }

    #[test]
    fn drafts_are_skipped_and_errors_reported() {
        assert!(parse("x", "+++\ndraft = true\n+++\nx")
            .expect("valid")
            .is_none());
        assert!(parse("x", "+++\ntitel = \"typo\"\n+++\n").is_err());
        assert!(parse("x", "+++\ntitle = \"x\"\n").is_err());
        assert!(parse("connectors", "# x").is_err());
        let plain = parse("my_page", "just text").expect("valid").expect("page");
        assert_eq!(plain.title, "my page");
        assert_eq!(plain.markdown, "just text");
    }
}
