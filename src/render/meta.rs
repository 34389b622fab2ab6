//! The machine-facing files of the site: `sitemap.xml` (absolute URLs from `base_url`),
//! `robots.txt` and the OpenSearch description. Small enough to write by hand.

use super::html::escape;

/// `base_url` with exactly one trailing slash.
pub fn base(base_url: &str) -> String {
    format!("{}/", base_url.trim().trim_end_matches('/'))
}

/// A sitemap of `paths` (site-relative page URLs such as `connectors/x/`), sorted.
pub fn sitemap(base_url: &str, paths: &[&str]) -> String {
    let base = base(base_url);
    let mut sorted: Vec<&str> = paths.to_vec();
    sorted.sort_unstable();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in sorted {
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
        let s = sitemap("https://x.test/docs", &["connectors/b/", "", "a&b/"]);
        let locs: Vec<&str> = s.lines().filter(|l| l.contains("<loc>")).collect();
        assert_eq!(locs[0], "  <url><loc>https://x.test/docs/</loc></url>");
        assert!(locs[1].contains("https://x.test/docs/a&amp;b/"));
        assert!(locs[2].contains("https://x.test/docs/connectors/b/"));
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
