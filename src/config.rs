//! Configuration: `site.toml`, with defaults, overridden by command-line flags.
//!
//! Unknown keys are rejected with the file, line and the list of known keys, because a typo
//! in a config file that is silently ignored is a bug report waiting to happen.

use crate::problem::Severity;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One line under the title on the home page.
    pub description: String,
    /// The connector repository (a checkout, one connector folder, or a git URL).
    pub source: String,
    /// Where the site is written.
    pub out: String,
    /// The URL the site is served from (for feeds, sitemap, OpenSearch). Pages use relative links.
    pub base_url: String,
    /// Theme folder under `themes/`.
    pub theme: String,
    /// Tier of connectors found outside the three tier folders.
    pub default_tier: String,
    /// Link to a connector's source folder: `{path}` is replaced by its path in the repository.
    pub source_link: Option<String>,
    /// Read the git history of the source when it is a repository.
    pub history: bool,
    /// The repository's web address: pull requests are linked as `{repository_url}/pull/N`.
    pub repository_url: String,
    /// Markdown pages of the site.
    pub content_dir: String,
    /// Most rows on one page of a long list (all connectors, a tier, the quality ranking);
    /// longer lists continue on `page-2.html`… (pages are also cut to stay under 2 MB).
    pub page_size: usize,
    /// `check`: rules turned off or re-levelled.
    pub lint: LintConfig,
}

/// The `[lint]` section: `off = ["O004"]` and `[lint.severity] O003 = "error"`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LintConfig {
    /// Rule ids that are not reported.
    pub off: Vec<String>,
    /// Rule ids reported at another severity (`error`, `warning` or `info`).
    pub severity: BTreeMap<String, Severity>,
}

impl LintConfig {
    /// Rejects rule ids the linter does not know, naming the closest known one.
    pub fn validate(&self) -> Result<()> {
        let ids = self
            .off
            .iter()
            .map(|id| ("off", id))
            .chain(self.severity.keys().map(|id| ("severity", id)));
        for (place, id) in ids {
            if crate::lint::registry::lookup(id).is_none() {
                let hint = crate::lint::registry::closest(id)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                bail!(
                    "[lint] {place}: unknown rule id `{id}`{hint}; `switchyard check --help` lists where the rules are described"
                );
            }
        }
        Ok(())
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "switchyard".into(),
            description: "Every Power Platform connector, searchable and comparable.".into(),
            source: ".".into(),
            out: "public".into(),
            base_url: "/".into(),
            theme: "default".into(),
            default_tier: "custom".into(),
            source_link: None,
            history: true,
            repository_url: "https://github.com/microsoft/PowerPlatformConnectors".into(),
            content_dir: "content".into(),
            page_size: 2000,
            lint: LintConfig::default(),
        }
    }
}

/// A loaded config and the folder its relative paths are relative to.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub base_dir: PathBuf,
}

impl Loaded {
    pub fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }
}

/// Loads `path`; a missing default `site.toml` gives the defaults, a missing explicit one is an error.
pub fn load(path: Option<&Path>) -> Result<Loaded> {
    let (file, explicit) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (PathBuf::from("site.toml"), false),
    };
    let base_dir = file
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    if !file.exists() && !explicit {
        return Ok(Loaded {
            config: Config::default(),
            base_dir,
        });
    }
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read config {}", file.display()))?;
    let config = parse(&text).with_context(|| format!("invalid config {}", file.display()))?;
    Ok(Loaded { config, base_dir })
}

pub fn parse(text: &str) -> Result<Config> {
    let config: Config = toml::from_str(text)?;
    if crate::model::Tier::from_id(&config.default_tier).is_none() {
        anyhow::bail!(
            "default_tier = {:?} is not one of \"certified\", \"independent-publisher\", \"custom\"",
            config.default_tier
        );
    }
    if config.page_size == 0 {
        anyhow::bail!("page_size = 0: a page of a long list needs room for at least one row");
    }
    config.lint.validate()?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_missing_keys() {
        let c = parse("title = \"Mine\"").expect("valid");
        assert_eq!(c.title, "Mine");
        assert_eq!(c.out, "public");
        assert!(c.history);
    }

    #[test]
    fn a_page_size_of_zero_is_refused() {
        assert_eq!(parse("page_size = 3").expect("valid").page_size, 3);
        let err = parse("page_size = 0").expect_err("zero rows per page");
        assert!(format!("{err:#}").contains("page_size = 0"), "{err:#}");
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_name_and_line() {
        let err = parse("title = \"x\"\noutput = \"site\"\n").expect_err("unknown key");
        let msg = format!("{err:#}");
        assert!(msg.contains("unknown field `output`"), "{msg}");
        assert!(msg.contains("line 2"), "{msg}");
    }

    #[test]
    fn lint_section_turns_rules_off_and_relevels_them() {
        let c = parse(
            "[lint]\noff = [\"O004\"]\n[lint.severity]\nO003 = \"error\"\nT003 = \"warning\"\n",
        )
        .expect("valid");
        assert_eq!(c.lint.off, ["O004"]);
        assert_eq!(c.lint.severity.get("T003"), Some(&Severity::Warning));
    }

    #[test]
    fn unknown_rule_ids_are_rejected() {
        let err = parse("[lint]\noff = [\"O0O4\"]\n").expect_err("unknown id");
        let msg = format!("{err:#}");
        assert!(msg.contains("unknown rule id `O0O4`"), "{msg}");
        assert!(msg.contains("did you mean `O004`?"), "{msg}");
        let err = parse("[lint.severity]\nO003 = \"fatal\"\n").expect_err("bad level");
        assert!(
            format!("{err:#}").contains("unknown variant `fatal`"),
            "{err:#}"
        );
    }

    #[test]
    fn bad_tier_is_rejected() {
        assert!(parse("default_tier = \"gold\"").is_err());
    }
}
