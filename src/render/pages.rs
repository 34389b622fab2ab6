//! The list of pages and how each is rendered: one job per page, run in parallel; each job
//! builds its view, renders its template and writes its file (and the files it shows).

use super::content::{self, Content};
use super::derive::{Derived, Group, Row};
use super::markdown::{self, DocSource};
use super::theme::{self, Asset, Theme, ThemeDirs};
use super::views::connector::{self, Extras, DEFINITION_FILE};
use super::views::{history, lists, quality, Ctx, NavItem, PageMeta, SiteView};
use super::{connector_main, feeds, meta, paging, urls, Input, RenderStats};
use crate::config::Config;
use crate::model::Connector;
use crate::output::Staging;
use crate::similar::Similar;
use crate::similar_ops::NamedOp;
use crate::source;
use crate::threads;
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::ops::Range;

/// A list page's URL in its folder: the folder itself for the first page, so a list that
/// fits on one page keeps the address it always had.
fn paged_file(page: usize) -> String {
    if page == 0 {
        String::new()
    } else {
        paging::file_name(page + 1)
    }
}

/// A list page's title: "Certified" first, then "Certified, page 2".
fn titled(title: &str, page: usize) -> String {
    if page == 0 {
        title.to_string()
    } else {
        format!("{title}, page {}", page + 1)
    }
}

/// A page that was written.
///
/// Every page's is held to the end of the render (for the sitemap and the stage's figures):
/// 32 bytes and its path, where a `String` and a list for each connector's pages held an
/// estimated 9 MB at 50× the real repository.
struct Written {
    /// Site-relative URL (`connectors/x/`).
    path: Box<str>,
    bytes: usize,
    /// Files copied beside the page.
    copied: u32,
    in_sitemap: bool,
}

#[derive(Clone, Copy)]
enum GroupKind {
    Tier,
    Category,
    Publisher,
}

impl GroupKind {
    const ALL: [GroupKind; 3] = [GroupKind::Tier, GroupKind::Category, GroupKind::Publisher];

    /// Its place in `ALL`.
    fn index(self) -> usize {
        match self {
            GroupKind::Tier => 0,
            GroupKind::Category => 1,
            GroupKind::Publisher => 2,
        }
    }

    fn section(self) -> &'static str {
        match self {
            GroupKind::Tier => "tiers",
            GroupKind::Category => "categories",
            GroupKind::Publisher => "publishers",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            GroupKind::Tier => "tier",
            GroupKind::Category => "category",
            GroupKind::Publisher => "publisher",
        }
    }

    fn title(self) -> &'static str {
        match self {
            GroupKind::Tier => "Tiers",
            GroupKind::Category => "Categories",
            GroupKind::Publisher => "Publishers",
        }
    }

    fn groups<'d>(self, d: &'d Derived) -> &'d [Group] {
        match self {
            GroupKind::Tier => &d.tiers,
            GroupKind::Category => &d.categories,
            GroupKind::Publisher => &d.publishers,
        }
    }
}

/// Every page except the connector pages. A list cut into pages is one job per page
/// (the last number: 0 for `index.html`, 1 for `page-2.html`…).
enum Job {
    Home,
    List(usize),
    Compare,
    Search,
    Problems(usize),
    Quality(usize),
    NotFound,
    Groups(GroupKind),
    Group(GroupKind, usize, usize),
    Content(usize),
    /// `whats-new/`, when the catalog has history.
    WhatsNew,
}

struct Renderer<'a> {
    input: &'a Input<'a>,
    theme: &'a Theme,
    site: &'a SiteView<'a>,
    derived: &'a Derived<'a>,
    /// The connector list's filters, counted once for all its pages.
    facets: &'a [lists::Facet<'a>],
    paging: &'a Paging,
    /// The quality ranking, worked out once for all its pages.
    ranking: &'a quality::Ranking,
    content: &'a Content,
    staging: &'a Staging,
}

/// Where each long list is cut into pages (rows of each page, in the list's order).
struct Paging {
    list: Vec<Range<usize>>,
    quality: Vec<Range<usize>>,
    /// The problems list's groups (`lists::problem_pages`).
    problems: Vec<Range<usize>>,
    /// Per group kind (`GroupKind::ALL` order), per group.
    groups: Vec<Vec<Vec<Range<usize>>>>,
}

impl Paging {
    fn new(
        catalog: &crate::model::Catalog,
        d: &Derived,
        ranking: &quality::Ranking,
        page_size: usize,
    ) -> Paging {
        let quality: Vec<&Row> = ranking.rows(d).collect();
        Paging {
            list: paging::pages_of(&lists::sorted_rows(d), page_size),
            quality: paging::pages_of(&quality, page_size),
            problems: lists::problem_pages(catalog, d),
            groups: GroupKind::ALL
                .iter()
                .map(|kind| {
                    kind.groups(d)
                        .iter()
                        .map(|g| paging::pages_of(&lists::group_rows(d, g), page_size))
                        .collect()
                })
                .collect(),
        }
    }

    fn group(&self, kind: GroupKind, i: usize) -> &[Range<usize>] {
        self.groups[kind.index()]
            .get(i)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The connector list spans several pages (so `list.json` is written).
    fn list_is_paged(&self) -> bool {
        self.list.len() > 1
    }
}

/// The theme and content of a site, loaded once; `serve` keeps them between rebuilds.
pub struct Prepared {
    theme: Theme,
    content: Content,
}

impl Prepared {
    pub fn load(config: &Config, dirs: &ThemeDirs) -> Result<Prepared> {
        Ok(Prepared {
            theme: theme::load(dirs)?,
            content: content::load(&dirs.site.join(&config.content_dir))?,
        })
    }
}

/// Derives the catalog-wide lists and hands a renderer to `f`.
fn with_renderer<T>(
    input: &Input,
    prepared: &Prepared,
    staging: &Staging,
    f: impl FnOnce(&Renderer) -> Result<T>,
) -> Result<T> {
    let derived = Derived::new(input.catalog);
    let ranking = quality::Ranking::new(input.catalog, &derived);
    let paging = Paging::new(input.catalog, &derived, &ranking, input.config.page_size);
    let facets = lists::facets(&derived);
    let has_history = input.catalog.source.time.is_some();
    let site = site_view(input.config, &prepared.content, has_history);
    f(&Renderer {
        input,
        theme: &prepared.theme,
        site: &site,
        derived: &derived,
        facets: &facets,
        paging: &paging,
        ranking: &ranking,
        content: &prepared.content,
        staging,
    })
}

/// Renders only the pages of the connectors at `which` (indices into the catalog), for
/// `serve`'s incremental rebuild; lists and other pages are left as they are.
pub(super) fn render_connectors(
    input: &Input,
    prepared: &Prepared,
    staging: &Staging,
    which: &[usize],
) -> Result<()> {
    with_renderer(input, prepared, staging, |r| {
        which.par_iter().try_for_each(|&i| {
            if i >= input.catalog.connectors.len() {
                anyhow::bail!("no such connector");
            }
            r.connector(i, &*input.catalog.full(i)?).map(|_| ())
        })
    })
}

/// Renders every page but the connector pages (lists, groups, content), for `serve`'s
/// background refresh after incremental rebuilds.
pub(super) fn render_lists(input: &Input, prepared: &Prepared, staging: &Staging) -> Result<()> {
    with_renderer(input, prepared, staging, |r| {
        r.jobs()
            .par_iter()
            .try_for_each(|job| r.run(job).map(|_| ()))
    })
}

pub(super) fn render_all(
    input: &Input,
    dirs: &ThemeDirs,
    staging: &Staging,
) -> Result<RenderStats> {
    let prepared = Prepared::load(input.config, dirs)?;
    with_renderer(input, &prepared, staging, |r| render_every_page(input, r))
}

fn render_every_page(input: &Input, r: &Renderer) -> Result<RenderStats> {
    // The other pages beside the connectors' rather than after them: a list page takes as
    // long as a large connector's, and one of them left last kept a core idle at the end.
    let (pages, rest) = rayon::join(
        || {
            threads::map_largest_first(
                &input.catalog.connectors,
                |c| c.files().definition_bytes,
                |i, _| r.connector(i, &*input.catalog.full(i)?),
            )
        },
        || {
            r.jobs()
                .par_iter()
                .with_max_len(1)
                .map(|job| r.run(job))
                .collect::<Vec<_>>()
        },
    );
    let mut connectors = Vec::with_capacity(pages.len());
    let mut others = Vec::new();
    for page in pages {
        // Further pages of a connector's operations count as others.
        let (page, parts) = page?;
        connectors.push(page);
        others.extend(parts);
    }
    let rest: Vec<Written> = rest.into_iter().collect::<Result<_>>()?;
    others.extend(rest);
    r.assets()?;
    r.machine_files(connectors.iter().chain(&others))?;
    Ok(stats(&connectors, &others))
}

fn site_view<'a>(config: &'a Config, content: &Content, has_history: bool) -> SiteView<'a> {
    let nav = [
        ("Connectors", "connectors/", "connectors"),
        ("Categories", "categories/", "categories"),
        ("Publishers", "publishers/", "publishers"),
        ("What's new", "whats-new/", "whats-new"),
        ("Compare", "compare/", "compare"),
        ("Quality", "quality/", "quality"),
        ("Problems", "problems/", "problems"),
    ];
    SiteView {
        title: &config.title,
        description: &config.description,
        has_feed: has_history,
        nav: nav
            .iter()
            .filter(|(_, _, k)| has_history || *k != "whats-new")
            .map(|(t, p, k)| NavItem::new(t, p, k))
            .collect(),
        pages: content
            .pages
            .iter()
            .map(|p| NavItem::new(&p.title, &format!("{}/", p.slug), &p.slug))
            .collect(),
    }
}

impl Renderer<'_> {
    fn jobs(&self) -> Vec<Job> {
        let mut jobs = vec![Job::Home, Job::Compare, Job::Search, Job::NotFound];
        jobs.extend((0..self.paging.list.len()).map(Job::List));
        jobs.extend((0..self.paging.quality.len()).map(Job::Quality));
        jobs.extend((0..self.paging.problems.len()).map(Job::Problems));
        for kind in GroupKind::ALL {
            jobs.push(Job::Groups(kind));
            let n = kind.groups(self.derived).len();
            for i in 0..n {
                let pages = self.paging.group(kind, i).len();
                jobs.extend((0..pages).map(|p| Job::Group(kind, i, p)));
            }
        }
        jobs.extend((0..self.content.pages.len()).map(Job::Content));
        if self.site.has_feed {
            jobs.push(Job::WhatsNew);
        }
        jobs
    }

    fn run(&self, job: &Job) -> Result<Written> {
        let d = self.derived;
        let catalog = self.input.catalog;
        match *job {
            Job::Home => {
                let intro = self
                    .content
                    .index
                    .as_ref()
                    .map(|p| markdown::render_content(&p.markdown, "", 1));
                let meta = PageMeta::new("", self.site.title, "home")
                    .describe(Some(self.site.description));
                let view = WithRecent {
                    home: lists::home(catalog, d, intro),
                    recent: history::recently_updated(catalog, 10, self.repository_url()),
                };
                self.page("index.html", meta, view)
            }
            Job::List(page) => self.list(page),
            Job::Compare => {
                let meta = PageMeta::new("compare/", "Compare connectors", "compare");
                let view = lists::compare(d, self.paging.list_is_paged());
                self.page("compare.html", meta, view)
            }
            Job::Problems(page) => {
                let path = format!("problems/{}", paged_file(page));
                let meta = PageMeta::new(&path, titled("Problems found", page), "problems");
                let view = lists::problems(catalog, d, &self.paging.problems, page);
                self.page("problems.html", meta, view)
            }
            Job::Quality(page) => {
                let path = format!("quality/{}", paged_file(page));
                let title = titled("Documentation quality", page);
                let meta = PageMeta::new(&path, title, "quality");
                let view = quality::quality(catalog, d, self.ranking, &self.paging.quality, page);
                self.page("quality.html", meta, view)
            }
            Job::Search => self.search_page(),
            Job::NotFound => self.not_found(),
            Job::Groups(kind) => {
                let path = format!("{}/", kind.section());
                let meta = PageMeta::new(&path, kind.title(), kind.section());
                self.page(
                    "groups.html",
                    meta,
                    lists::groups(kind.groups(d), kind.singular()),
                )
            }
            Job::Group(kind, i, page) => self.group(kind, i, page),
            Job::Content(i) => self.content_page(i),
            Job::WhatsNew => {
                let now = catalog.source.time.unwrap_or(0);
                let meta = PageMeta::new("whats-new/", "What's new", "whats-new");
                let view = history::whats_new(catalog, now, self.repository_url());
                self.page("whats-new.html", meta, view)
            }
        }
    }

    /// Renders `template` with the page's view and writes it.
    fn page<T: Serialize>(&self, template: &str, meta: PageMeta, view: T) -> Result<Written> {
        self.page_sized(template, meta, view, 32 * 1024)
    }

    /// `page` with a guess of the page's size, so the output buffer is allocated once.
    fn page_sized<T: Serialize>(
        &self,
        template: &str,
        meta: PageMeta,
        view: T,
        size: usize,
    ) -> Result<Written> {
        let path = meta.path.clone();
        let html = self.rendered(template, meta, view, size)?;
        self.written(path, &html)
    }

    /// A page whose main block was rendered in Rust: the shell template is rendered around a
    /// marker, which is then replaced by `main`. Handing the template the main block itself
    /// copied it into the template's context and through the template engine: 2% of a build.
    fn page_around(&self, shell: &str, meta: PageMeta, main: &str) -> Result<Written> {
        let path = meta.path.clone();
        let around = self.rendered(shell, meta, Shell { main: MAIN_MARKER }, 8 * 1024)?;
        // The last one: untrusted texts (a title) come before the main block, never after.
        let html = match memchr::memmem::rfind(&around, MAIN_MARKER.as_bytes()) {
            Some(at) => {
                let mut html = Vec::with_capacity(around.len() + main.len());
                html.extend_from_slice(&around[..at]);
                html.extend_from_slice(main.as_bytes());
                html.extend_from_slice(&around[at + MAIN_MARKER.len()..]);
                html
            }
            None => around, // a theme's base.html without a main block
        };
        self.written(path, &html)
    }

    fn rendered<T: Serialize>(
        &self,
        template: &str,
        meta: PageMeta,
        view: T,
        size: usize,
    ) -> Result<Vec<u8>> {
        let path = meta.path.clone();
        let ctx = Ctx {
            site: self.site,
            page: meta,
            view,
        };
        let ctx = tera::Context::from_serialize(&ctx)
            .with_context(|| format!("cannot build the context of {path}"))?;
        self.theme
            .render_bytes(template, &ctx, size)
            .with_context(|| format!("page {path}"))
    }

    fn written(&self, path: String, html: &[u8]) -> Result<Written> {
        self.staging.write(&urls::file_of(&path), html)?;
        Ok(Written {
            in_sitemap: path != "404.html",
            bytes: html.len(),
            path: path.into_boxed_str(),
            copied: 0,
        })
    }

    /// Connector `i`'s similar connectors: from the similar stage, or read back from the
    /// spill that holds them (`similar::neighbours_spilled`).
    fn similar_of(&self, i: usize) -> Result<Cow<'_, [Similar]>> {
        let catalog = self.input.catalog;
        match (self.input.similar.connectors.get(i), &catalog.spilled) {
            (Some(list), _) => Ok(Cow::Borrowed(list)),
            (None, Some(spill)) => spill.similar(i).map(Cow::Owned),
            (None, None) => Ok(Cow::Borrowed(&[])),
        }
    }

    /// Connector `i`'s same-job lists, named: from the similar stage's lists and the other
    /// connectors' operations, or read back from the spill that holds them named
    /// (`similar::neighbours_spilled`).
    fn same_job_of(&self, i: usize) -> Result<Vec<Vec<NamedOp<'_>>>> {
        let catalog = self.input.catalog;
        match (self.input.similar.operations.get(i), &catalog.spilled) {
            (Some(lists), _) => lists.named_in(catalog),
            (None, Some(spill)) => spill.same_job(i),
            (None, None) => Ok(Vec::new()),
        }
    }

    /// The page of connector `i`, and its further pages of operations when it has more than
    /// one page holds (none for most: an empty list takes no memory).
    fn connector(&self, i: usize, c: &Connector) -> Result<(Written, Vec<Written>)> {
        // Its JSON export too, from the same copy of the connector.
        crate::export::write_connector(c, self.staging)?;
        let dir = format!("connectors/{}/", c.slug());
        let tree = self.input.tree;
        // Only files that may be copied: an image too large to copy is no file of the
        // folder to the readme either, so it is left out, not shown broken.
        let files: std::collections::BTreeSet<String> =
            source::files_under(tree, c.path(), 4).into_iter().collect();
        let mut copies: Vec<(String, String)> = Vec::new();
        let mut doc = |text: &Option<String>, file: &Option<String>, prefix: &str| {
            let text = text.as_deref()?;
            let source = self.doc_source(c, &files, file.as_deref(), prefix);
            let r = markdown::render_untrusted(text, source);
            copies.extend(r.copies.into_iter().map(|x| (x.from, x.to)));
            Some(r.html)
        };
        let intro_html = doc(&c.details().intro, &c.files().intro(), "intro");
        let readme_html = doc(&c.details().readme, &c.files().readme(), "readme");
        let row = &self.derived.rows[i];
        let (similar, same_job) = (self.similar_of(i)?, self.same_job_of(i)?);
        let extras = Extras {
            row,
            rows: &self.derived.rows,
            similar: &similar,
            same_job: &same_job,
            source_link: self.input.config.source_link.as_deref(),
            intro_html,
            readme_html,
            fast_ops: self.theme.fast_ops,
        };
        let mut meta =
            PageMeta::new(&dir, c.display_title(), "connectors").describe(c.about.description());
        let mut parts = Vec::new();
        for p in connector::extra_pages(c) {
            parts.push(self.connector_part(c, &extras, &dir, p)?);
        }
        let page = connector::view(c, extras);
        let size = page.size_hint();
        let history = c.history.as_ref().map(|h| {
            meta.feed = Some("feed.xml".into());
            history::connector_history(h, self.repository_url())
        });
        let mut written = if self.theme.fast_connector {
            let main = connector_main::render(&page.c, history.as_ref(), &meta.root, size);
            let (shell, _) = connector_main::SHELL;
            self.page_around(shell, meta, &main)?
        } else {
            let view = WithHistory { page, history };
            self.page_sized("connector.html", meta, view, size)?
        };
        if let Some(feed) = feeds::connector_feed(c, &self.feed_config()) {
            self.staging.write(&format!("{dir}feed.xml"), feed)?;
        }
        if let (true, Some(icon)) = (row.icon(), c.files().icon()) {
            copies.push((icon, "icon.png".into()));
        }
        if let Some(def) = c.files().definition() {
            copies.push((def, DEFINITION_FILE.into()));
        }
        for (from, to) in copies {
            // Only what `copyable` allows. One that cannot be read is left out: the parse stage
            // reported it when it is the definition or the readme (F002, R003), and the
            // connector's page still stands.
            if source::copyable(tree, &from)
                && self
                    .staging
                    .copy_from_tree(tree, &from, &format!("{dir}{to}"))?
            {
                written.copied += 1;
            }
        }
        Ok((written, parts))
    }

    /// Page `p` (1 or more) of a connector with more operations than one page holds.
    fn connector_part(
        &self,
        c: &Connector,
        extras: &connector::Extras,
        dir: &str,
        p: u32,
    ) -> Result<Written> {
        let view = connector::part_view(c, extras, p);
        let title = format!(
            "{}: operations {} to {}",
            c.display_title(),
            view.c.pages.as_ref().map_or(0, |v| v.first),
            view.c.pages.as_ref().map_or(0, |v| v.last)
        );
        let path = format!("{dir}{}", crate::model::order::page_file(p));
        let meta = PageMeta::new(&path, title, "connectors");
        let size = view.size_hint();
        self.page_sized("connector-part.html", meta, view, size)
    }

    fn doc_source(
        &self,
        c: &Connector,
        files: &std::collections::BTreeSet<String>,
        file: Option<&str>,
        prefix: &str,
    ) -> DocSource {
        let inner = file
            .and_then(|f| f.strip_prefix(c.path()))
            .map(|f| f.trim_start_matches('/'))
            .unwrap_or_default();
        let mut doc_dir: Vec<String> = inner.split('/').map(str::to_string).collect();
        doc_dir.pop();
        doc_dir.retain(|s| !s.is_empty());
        DocSource {
            folder: c.path().to_string(),
            files: files.clone(),
            doc_dir,
            repo_path: c.path().to_string(),
            source_link: self.input.config.source_link.clone(),
            prefix: format!("img/{prefix}-"),
            // The readme's headings keep GitHub's ids (its own `#links` work); the intro's
            // get their own so the two never share an id.
            heading_prefix: if prefix == "readme" {
                String::new()
            } else {
                format!("{prefix}-")
            },
        }
    }

    /// Page `page` of the connector list (with `list.json` beside the first when paged).
    fn list(&self, page: usize) -> Result<Written> {
        let d = self.derived;
        let path = format!("connectors/{}", paged_file(page));
        let meta = PageMeta::new(&path, titled("All connectors", page), "connectors");
        let view = WithNow {
            list: lists::list(d, self.facets, &self.paging.list, page),
            now: self
                .input
                .catalog
                .source
                .time
                .map(crate::history::dates::iso_date),
        };
        if page == 0 && self.paging.list_is_paged() {
            self.staging
                .write_streamed(lists::LIST_JSON, |out| lists::write_list_json(d, out))?;
        }
        self.page("list.html", meta, view)
    }

    fn group(&self, kind: GroupKind, i: usize, page: usize) -> Result<Written> {
        let g = &kind.groups(self.derived)[i];
        let path = format!("{}/{}/{}", kind.section(), g.named.slug, paged_file(page));
        let meta = PageMeta::new(&path, titled(&g.named.name, page), kind.section());
        let at = lists::GroupPage {
            kind: kind.singular(),
            kind_plural: kind.section(),
            pages: self.paging.group(kind, i),
            page,
        };
        self.page("group.html", meta, lists::group(self.derived, g, at))
    }

    fn content_page(&self, i: usize) -> Result<Written> {
        let p = &self.content.pages[i];
        let path = format!("{}/", p.slug);
        let mut meta = PageMeta::new(&path, p.title.clone(), "page");
        meta.section = p.slug.clone();
        let meta = meta.describe(p.description.as_deref());
        let body_html = markdown::render_content(&p.markdown, &meta.root, 1);
        self.page("page.html", meta, ContentView { body_html })
    }

    /// `search/index.html`: the results page; `search.js` fills it from `?q=`.
    fn search_page(&self) -> Result<Written> {
        let meta = PageMeta::new("search/", "Search", "search");
        self.page("search.html", meta, ContentView::default())
    }

    fn not_found(&self) -> Result<Written> {
        let mut meta = PageMeta::new("404.html", "Page not found", "none");
        meta.root = meta::base(&self.input.config.base_url);
        self.page("404.html", meta, ContentView::default())
    }

    fn assets(&self) -> Result<()> {
        for (name, asset) in &self.theme.assets {
            let to = format!("static/{name}");
            match asset {
                Asset::Builtin(bytes) => self.staging.write(&to, bytes)?,
                Asset::File(path) => self.staging.copy(path, &to)?,
            }
        }
        Ok(())
    }

    fn machine_files<'w>(&self, pages: impl Iterator<Item = &'w Written>) -> Result<()> {
        let config = self.input.config;
        let paths: Vec<&str> = pages.filter(|w| w.in_sitemap).map(|w| &*w.path).collect();
        for (name, xml) in meta::sitemaps(&config.base_url, &paths, meta::SITEMAP_URLS) {
            self.staging.write(&name, xml)?;
        }
        self.staging
            .write("robots.txt", meta::robots(&config.base_url))?;
        let search = meta::opensearch(&config.title, &config.description, &config.base_url);
        self.staging.write("opensearch.xml", search)?;
        if self.site.has_feed {
            let feed = feeds::site_feed(self.input.catalog, &self.feed_config());
            self.staging.write("feed.xml", feed)?;
        }
        Ok(())
    }

    fn repository_url(&self) -> &str {
        &self.input.config.repository_url
    }

    fn feed_config(&self) -> feeds::FeedConfig<'_> {
        let config = self.input.config;
        feeds::FeedConfig {
            title: &config.title,
            base_url: &config.base_url,
            repository_url: &config.repository_url,
        }
    }
}

/// Where `page_around` puts the main block.
const MAIN_MARKER: &str = "\u{1}switchyard-main\u{1}";

/// A connector page whose main block was rendered in Rust (`connector_main`).
#[derive(Serialize)]
struct Shell<'a> {
    main: &'a str,
}

/// A connector page's view and its History section (`history.html`).
#[derive(Serialize)]
struct WithHistory<T: Serialize> {
    #[serde(flatten)]
    page: T,
    history: Option<history::HistoryView>,
}

/// The list page's view and the built revision's date (for "changed in the last N days").
#[derive(Serialize)]
struct WithNow<T: Serialize> {
    #[serde(flatten)]
    list: T,
    now: Option<String>,
}

/// The home page's view and its "Recently updated" list.
#[derive(Serialize)]
struct WithRecent<T: Serialize> {
    #[serde(flatten)]
    home: T,
    recent: Vec<history::Item>,
}

#[derive(Serialize, Default)]
struct ContentView {
    body_html: String,
}

fn stats(connectors: &[Written], others: &[Written]) -> RenderStats {
    let mut sizes: Vec<usize> = connectors.iter().map(|w| w.bytes).collect();
    sizes.sort_unstable();
    let all = connectors.iter().chain(others);
    let largest = all
        .clone()
        .max_by(|a, b| a.bytes.cmp(&b.bytes).then_with(|| b.path.cmp(&a.path)))
        .map(|w| (w.path.to_string(), w.bytes))
        .unwrap_or_default();
    RenderStats {
        pages: connectors.len() + others.len(),
        html_bytes: all.clone().map(|w| w.bytes as u64).sum(),
        connector_pages: connectors.len(),
        median_connector_bytes: sizes.get(sizes.len() / 2).copied().unwrap_or(0),
        largest,
        copied: all.map(|w| w.copied as usize).sum(),
    }
}
