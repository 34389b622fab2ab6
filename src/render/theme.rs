//! Templates and static assets, resolved file by file through three layers:
//! site (`<site dir>/templates/`, `<site dir>/static/`) → theme
//! (`<site dir>/themes/<theme>/templates|static/`) → built-in (`themes/default`, embedded in
//! the binary). A file in a higher layer replaces the same-named file below it, as in Zola
//! and mdBook; the templates are registered once per build.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;
use walkdir::WalkDir;

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

macro_rules! builtin_assets {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/static/", $name)) as &[u8])),*]
    };
}

/// The default theme's templates.
const TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "macros.html",
    "index.html",
    "list.html",
    "connector.html",
    "operation.html",
    "op.html",
    "op-pages.html",
    "connector-part.html",
    "group.html",
    "groups.html",
    "compare.html",
    "search.html",
    "problems.html",
    "quality.html",
    "connector-quality.html",
    "page.html",
    "404.html",
    "history.html",
    "whats-new.html",
);

/// The default theme's static files, written under `static/`.
const ASSETS: &[(&str, &[u8])] = builtin_assets!(
    "style.css",
    "site.js",
    "list.js",
    "compare.js",
    "search.js",
    "search.css",
    "favicon.svg"
);

/// Where a site keeps its overrides.
#[derive(Debug, Clone)]
pub struct ThemeDirs {
    /// The site folder (where `site.toml` is).
    pub site: PathBuf,
    /// `theme` of the config.
    pub theme: String,
}

impl ThemeDirs {
    pub fn new(site: &Path, theme: &str) -> ThemeDirs {
        ThemeDirs {
            site: site.to_path_buf(),
            theme: theme.to_string(),
        }
    }

    /// The layers above the built-in one, lowest first.
    fn layers(&self) -> Result<[PathBuf; 2]> {
        let t = &self.theme;
        if t.is_empty()
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            || t.starts_with('.')
        {
            bail!("theme = {t:?} is not a folder name under themes/");
        }
        Ok([self.site.join("themes").join(t), self.site.clone()])
    }
}

/// An asset to write: embedded, or a file of a theme or the site.
#[derive(Debug, Clone)]
pub enum Asset {
    Builtin(&'static [u8]),
    File(PathBuf),
}

pub struct Theme {
    pub tera: Tera,
    /// Path under `static/` → content.
    pub assets: BTreeMap<String, Asset>,
    /// No layer changes `op.html`, so operation sections may be rendered in Rust
    /// (`opsection`), which gives the same bytes faster.
    pub fast_ops: bool,
    /// No layer changes the templates of a connector page's main block, so it may be
    /// rendered in Rust (`connector_main`) and wrapped in `base.html`: the same bytes faster.
    pub fast_connector: bool,
}

/// Loads every layer and registers the templates.
pub fn load(dirs: &ThemeDirs) -> Result<Theme> {
    let mut templates: BTreeMap<String, String> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut assets: BTreeMap<String, Asset> = ASSETS
        .iter()
        .map(|(n, b)| (n.to_string(), Asset::Builtin(b)))
        .collect();
    for layer in dirs.layers()? {
        for (name, path) in files_under(&layer.join("templates"))? {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read template {}", path.display()))?;
            templates.insert(name, text);
        }
        for (name, path) in files_under(&layer.join("static"))? {
            assets.insert(name, Asset::File(path));
        }
    }
    let builtin = |name: &str| templates.get(name).map(String::as_str) == builtin_template(name);
    let fast_ops = builtin("op.html");
    let fast_connector = super::connector_main::TEMPLATES.iter().all(|n| builtin(n));
    let (shell, shell_text) = super::connector_main::SHELL;
    templates.insert(shell.to_string(), shell_text.to_string());
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Escapes what HTML needs (`& < > " '`) but not `/`, which tera's default turns into
    // `&#x2F;` in every path and URL.
    tera.set_escape_fn(super::html::escape);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .context("invalid template")?;
    Ok(Theme {
        tera,
        assets,
        fast_ops,
        fast_connector,
    })
}

fn builtin_template(name: &str) -> Option<&'static str> {
    TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Regular files under `dir` (symlinks are not followed), by `/`-separated relative path.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        out.push((name.join("/"), entry.path().to_path_buf()));
    }
    Ok(out)
}

impl Theme {
    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<String> {
        self.tera
            .render(template, ctx)
            .map_err(|e| anyhow::anyhow!(chain(&e)))
            .with_context(|| format!("cannot render {template}"))
    }

    /// Renders into a buffer of `capacity` bytes (templates are UTF-8, values are strings,
    /// so the bytes are UTF-8 too).
    pub fn render_bytes(
        &self,
        template: &str,
        ctx: &tera::Context,
        capacity: usize,
    ) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| anyhow::anyhow!(chain(&e)))
            .with_context(|| format!("cannot render {template}"))?;
        Ok(out)
    }
}

/// Tera hides the useful part of an error in its sources.
fn chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn higher_layers_replace_files_one_by_one() {
        let tmp = tempfile::tempdir().expect("tmp");
        let site = tmp.path();
        fs::create_dir_all(site.join("themes/calm/templates")).expect("mkdir");
        fs::create_dir_all(site.join("themes/calm/static")).expect("mkdir");
        fs::create_dir_all(site.join("templates")).expect("mkdir");
        fs::write(site.join("themes/calm/templates/404.html"), "theme 404").expect("w");
        fs::write(site.join("templates/404.html"), "site 404").expect("w");
        fs::write(site.join("themes/calm/templates/page.html"), "theme page").expect("w");
        fs::write(site.join("themes/calm/static/style.css"), "body{}").expect("w");
        let theme = load(&ThemeDirs::new(site, "calm")).expect("theme");
        let ctx = tera::Context::new();
        assert_eq!(theme.render("404.html", &ctx).expect("404"), "site 404");
        assert_eq!(theme.render("page.html", &ctx).expect("page"), "theme page");
        assert!(matches!(theme.assets["style.css"], Asset::File(_)));
        assert!(matches!(theme.assets["site.js"], Asset::Builtin(_)));
    }

    #[test]
    fn theme_names_cannot_escape() {
        let tmp = tempfile::tempdir().expect("tmp");
        assert!(load(&ThemeDirs::new(tmp.path(), "../x")).is_err());
        assert!(load(&ThemeDirs::new(tmp.path(), "")).is_err());
        assert!(load(&ThemeDirs::new(tmp.path(), "default")).is_ok());
    }
}
