//! The machine-facing files of the site: `sitemap.xml` (absolute URLs from `base_url`),
//! `robots.txt` and the OpenSearch description. Small enough to write by hand.

use super::html::escape;

/// `base_url` with exactly one trailing slash.
pub fn base(base_url: &str) -> String {
    format!("{}/", base_url.trim().trim_end_matches('/'))
}

/// The most URLs one sitemap file may list (sitemaps.org); a larger site gets a sitemap
/// index in `sitemap.xml` pointing at `sitemap-1.xml`, `sitemap-2.xml`…
pub const SITEMAP_URLS: usize = 50_000;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The sitemap files of `paths` (site-relative page URLs such as `connectors/x/`), sorted:
/// `sitemap.xml` alone, or an index and its parts when there are more than `per_file`.
pub fn sitemaps(base_url: &str, paths: &[&str], per_file: usize) -> Vec<(String, String)> {
    let base = base(base_url);
    let mut sorted: Vec<&str> = paths.to_vec();
    sorted.sort_unstable();
    if sorted.len() <= per_file {
        return vec![("sitemap.xml".into(), urlset(&base, &sorted))];
    }
    let parts: Vec<(String, String)> = sorted
        .chunks(per_file.max(1))
        .enumerate()
        .map(|(i, chunk)| (format!("sitemap-{}.xml", i + 1), urlset(&base, chunk)))
        .collect();
    let mut index = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{SITEMAP_NS}\">\n"
    );
    for (name, _) in &parts {
        index.push_str("  <sitemap><loc>");
        index.push_str(&escape(&format!("{base}{name}")));
        index.push_str("</loc></sitemap>\n");
    }
    index.push_str("</sitemapindex>\n");
    std::iter::once(("sitemap.xml".into(), index))
        .chain(parts)
        .collect()
}

fn urlset(base: &str, paths: &[&str]) -> String {
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n");
    for p in paths {
        out.push_str("  <url><loc>");
        out.push_str(&escape(&format!("{base}{p}")));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(base_url: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        base(base_url)
    )
}

pub fn opensearch(title: &str, description: &str, base_url: &str) -> String {
    let base = base(base_url);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n\
  <ShortName>{}</ShortName>\n\
  <Description>{}</Description>\n\
  <InputEncoding>UTF-8</InputEncoding>\n\
  <Url type=\"text/html\" method=\"get\" template=\"{}search/?q={{searchTerms}}\"/>\n\
  <Image height=\"16\" width=\"16\" type=\"image/svg+xml\">{}static/favicon.svg</Image>\n\
</OpenSearchDescription>\n",
        escape(&title.chars().take(16).collect::<String>()),
        escape(&description.chars().take(1024).collect::<String>()),
        escape(&base),
        escape(&base),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_urls_are_absolute_sorted_and_escaped() {
        let files = sitemaps("https://x.test/docs", &["connectors/b/", "", "a&b/"], 10);
        assert_eq!(files.len(), 1);
        let (name, s) = &files[0];
        assert_eq!(name, "sitemap.xml");
        let locs: Vec<&str> = s.lines().filter(|l| l.contains("<loc>")).collect();
        assert_eq!(locs[0], "  <url><loc>https://x.test/docs/</loc></url>");
        assert!(locs[1].contains("https://x.test/docs/a&amp;b/"));
        assert!(locs[2].contains("https://x.test/docs/connectors/b/"));
    }

    #[test]
    fn a_site_over_the_url_limit_gets_a_sitemap_index() {
        let files = sitemaps("https://x.test/", &["c/", "a/", "b/", "d/", "e/"], 2);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(files[0].1.contains("<sitemapindex"));
        assert!(files[0]
            .1
            .contains("<sitemap><loc>https://x.test/sitemap-3.xml</loc></sitemap>"));
        let in_parts: Vec<&str> = files[1..]
            .iter()
            .flat_map(|(_, x)| x.lines().filter(|l| l.contains("<loc>")))
            .collect();
        assert_eq!(in_parts.len(), 5);
        assert!(in_parts[0].contains("https://x.test/a/") && in_parts[4].contains("/e/"));
    }

    #[test]
    fn opensearch_points_at_search() {
        let o = opensearch("My <site>", "d", "https://x.test/");
        assert!(o.contains("template=\"https://x.test/search/?q={searchTerms}\""));
        assert!(o.contains("My &lt;site&gt;"));
        assert_eq!(
            robots("/"),
            "User-agent: *\nAllow: /\nSitemap: /sitemap.xml\n"
        );
    }
}
