//! The main block of a connector page, rendered in Rust: the same bytes as the default
//! theme's `connector.html` (with `operation.html`, `history.html`, `connector-quality.html`
//! and the `logo` and `badge` macros), without the template engine's cost per variable. The
//! template engine still wraps it in `base.html`, so a site can restyle the frame. A theme
//! that overrides any of those templates gets them used instead; `tests/site_render.rs`
//! checks that both ways give identical pages.

use super::html::{given, Html};
use super::opsection::badge;
use super::views::connector::{ConnectorView, PagesView, ProblemView, SimilarView};
use super::views::history::HistoryView;
use super::views::operation::OpList;

/// The templates this module stands in for: any of them overridden means the template way.
pub const TEMPLATES: &[&str] = &[
    "connector.html",
    "operation.html",
    "op.html",
    "op-pages.html",
    "history.html",
    "connector-quality.html",
    "macros.html",
];

/// A built-in template that wraps a pre-rendered main block in `base.html`.
pub const SHELL: (&str, &str) = (
    "switchyard-connector-shell.html",
    "{% extends \"base.html\" %}{% block main %}{{ main | safe }}{% endblock main %}",
);

/// The main block of the page of `c`; `root` leads back to the site root.
pub fn render(c: &ConnectorView, history: Option<&HistoryView>, root: &str, size: usize) -> String {
    let mut h = Html::with_capacity(size);
    head(&mut h, c, root);
    h.tag("<div class=\"wrap connector-layout\">\n");
    toc(&mut h, c, history);
    h.tag("<div class=\"connector-body\">\n\n");
    about(&mut h, c, root);
    docs(&mut h, c);
    connection(&mut h, c);
    h.tag("<section id=\"sec-actions\" aria-labelledby=\"h-actions\">\n<h2 id=\"h-actions\">Actions <span class=\"count\">")
        .num(c.actions_count)
        .tag("</span></h2>\n");
    if let Some(pages) = &c.pages {
        pages_nav(&mut h, pages);
    }
    h.tag("\n");
    operations(&mut h, &c.actions, "action", "actions");
    h.tag("\n</section>\n\n<section id=\"sec-triggers\" aria-labelledby=\"h-triggers\">\n<h2 id=\"h-triggers\">Triggers <span class=\"count\">")
        .num(c.triggers_count)
        .tag("</span></h2>\n\n");
    operations(&mut h, &c.triggers, "trigger", "triggers");
    h.tag("\n</section>\n\n");
    definitions(&mut h, c);
    h.tag("\n\n");
    if let Some(history) = history {
        timeline(&mut h, history);
    }
    problems(&mut h, c);
    h.tag("\n\n");
    quality(&mut h, c, root);
    h.tag("\n\n");
    similar(&mut h, c, root);
    h.tag("</div>\n</div>\n</article>\n");
    h.into_string()
}

/// " and N more" after a list cut at its limit (`MAX_ITEMS_LISTED`, `MAX_VALUES_LISTED`).
fn more(h: &mut Html, n: usize) {
    if n > 0 {
        h.tag(" and ").num(n).tag(" more");
    }
}

fn plural(h: &mut Html, n: usize) {
    if n != 1 {
        h.tag("s");
    }
}

/// `items` escaped and joined with ", " (the `join` filter).
fn joined<S: AsRef<str>>(h: &mut Html, items: &[S]) {
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            h.tag(", ");
        }
        h.text(s.as_ref());
    }
}

/// Each item as `<code>item</code>`, separated by ", ".
fn codes<S: AsRef<str>>(h: &mut Html, items: &[S]) {
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            h.tag(", ");
        }
        h.el("<code>", s.as_ref(), "</code>");
    }
}

fn head(h: &mut Html, c: &ConnectorView, root: &str) {
    h.tag("\n<article class=\"connector\" id=\"connector\" data-slug=\"")
        .text(c.slug)
        .tag("\" data-tier=\"")
        .text(c.tier)
        .tag("\"");
    if let Some(brand) = given(c.brand) {
        h.tag(" style=\"--brand: ").text(brand);
        h.tag("; --brand-fg: ").text(c.brand_fg).tag("\"");
    }
    h.tag(">\n<header class=\"connector-head\">\n<div class=\"wrap head-inner\">\n");
    h.tag("<span class=\"logo logo-lg\" aria-hidden=\"true\">");
    match given(c.icon) {
        Some(icon) => h
            .tag("<img src=\"")
            .text(icon)
            .tag("\" alt=\"\" loading=\"lazy\">"),
        None => h.text(&c.monogram),
    };
    h.tag("</span>\n<div class=\"head-text\">\n<p class=\"crumbs\"><a href=\"")
        .text(root)
        .tag(
            "connectors/index.html\">Connectors</a> <span aria-hidden=\"true\">›</span> <a href=\"",
        )
        .text(root)
        .tag("tiers/")
        .text(c.tier)
        .tag("/index.html\">")
        .text(c.tier_label)
        .tag("</a></p>\n<h1 id=\"connector-title\">")
        .text(c.title)
        .tag("</h1>\n<ul class=\"badges\" id=\"connector-badges\">");
    for b in &c.badges {
        badge(h, b);
    }
    h.tag("</ul>\n");
    if let Some(lead) = given(c.lead) {
        h.el("<p class=\"lead\">", lead, "</p>");
    }
    h.tag("\n<p class=\"head-actions\"><a class=\"button\" href=\"")
        .text(root)
        .tag("compare/index.html?c=")
        .text(c.slug)
        .tag("\">Compare</a>");
    if let Some(file) = given(c.definition_file) {
        h.tag(" <a class=\"button\" href=\"").text(file);
        h.tag("\" download>Definition (")
            .num(c.definition_kb as usize)
            .tag(" KB)</a>");
    }
    if let Some(url) = given(c.source_url.as_deref()) {
        h.tag(" <a class=\"button\" href=\"")
            .text(url)
            .tag("\" rel=\"noopener\">Source folder</a>");
    }
    h.tag("</p>\n</div>\n</div>\n</header>\n");
}

fn toc(h: &mut Html, c: &ConnectorView, history: Option<&HistoryView>) {
    h.tag("<nav class=\"toc\" aria-label=\"On this page\">\n<h2 class=\"toc-title\">On this page</h2>\n<ol>\n<li><a href=\"#sec-about\">About</a></li>\n");
    if c.has_docs {
        h.tag("<li><a href=\"#sec-docs\">Documentation</a></li>");
    }
    h.tag("\n<li><a href=\"#sec-connection\">Creating a connection</a></li>\n<li><a href=\"#sec-actions\">Actions <span class=\"count\">")
        .num(c.actions_count)
        .tag("</span></a></li>\n<li><a href=\"#sec-triggers\">Triggers <span class=\"count\">")
        .num(c.triggers_count)
        .tag("</span></a></li>\n");
    if !c.definitions.is_empty() {
        h.tag("<li><a href=\"#sec-definitions\">Definitions <span class=\"count\">")
            .num(c.definition_count)
            .tag("</span></a></li>");
    }
    h.tag("\n");
    if let Some(history) = history {
        h.tag("<li><a href=\"#sec-history\">History <span class=\"count\">")
            .num(history.count)
            .tag("</span></a></li>\n");
    }
    h.tag("<li><a href=\"#sec-problems\">Problems <span class=\"count\">")
        .num(c.problem_count)
        .tag("</span></a></li>\n<li><a href=\"#sec-quality\">Documentation quality <span class=\"count\">")
        .num(usize::from(c.quality.score))
        .tag("%</span></a></li>\n<li><a href=\"#sec-similar\">Similar connectors</a></li>\n</ol>\n</nav>\n");
}

fn about(h: &mut Html, c: &ConnectorView, root: &str) {
    h.tag("<section id=\"sec-about\" aria-labelledby=\"h-about\">\n<h2 id=\"h-about\">About</h2>\n<dl class=\"facts\">\n");
    if let Some(publisher) = given(c.publisher) {
        h.tag("<div><dt>Publisher</dt><dd>");
        match given(c.publisher_href.as_deref()) {
            Some(href) => h
                .tag("<a href=\"")
                .text(root)
                .text(href)
                .tag("\">")
                .text(publisher)
                .tag("</a>"),
            None => h.text(publisher),
        };
        h.tag("</dd></div>");
    }
    h.tag("\n");
    if let Some(owner) = given(c.stack_owner) {
        h.el("<div><dt>Stack owner</dt><dd>", owner, "</dd></div>");
    }
    h.tag("\n");
    contact(h, c);
    h.tag("\n");
    link_fact(h, "Website", c.website.as_ref());
    h.tag("\n");
    link_fact(h, "Privacy policy", c.privacy.as_ref());
    h.tag("\n<div><dt>Categories</dt><dd>");
    if c.categories.is_empty() {
        h.tag("<span class=\"none\">None given</span>");
    }
    for (i, cat) in c.categories.iter().enumerate() {
        if i > 0 {
            h.tag(", ");
        }
        h.tag("<a href=\"").text(root).text(&cat.href).tag("\">");
        h.text(&cat.name).tag("</a>");
    }
    h.tag("</dd></div>\n<div><dt>Host and base path</dt><dd>");
    match given(c.host) {
        Some(host) => {
            h.tag("<code>").text(host);
            if let Some(base) = given(c.base_path) {
                h.text(base);
            }
            h.tag("</code>");
            if !c.schemes.is_empty() {
                h.tag(" <span class=\"muted\">(");
                joined(h, c.schemes);
                h.tag(")</span>");
            }
        }
        None => {
            h.tag("<span class=\"none\">Not in the definition</span>");
        }
    }
    h.tag("</dd></div>\n<div><dt>Source folder</dt><dd>");
    match given(c.source_url.as_deref()) {
        Some(url) => h
            .tag("<a href=\"")
            .text(url)
            .tag("\" rel=\"noopener\"><code>")
            .text(c.source_path)
            .tag("</code></a>"),
        None => h.el("<code>", c.source_path, "</code>"),
    };
    h.tag("</dd></div>\n<div><dt>Definition</dt><dd>");
    match given(c.definition_file) {
        Some(file) => h
            .tag("<a href=\"")
            .text(file)
            .tag("\" download>")
            .text(file)
            .tag("</a> (")
            .num(c.definition_kb as usize)
            .tag(" KB)"),
        None => h.tag("<span class=\"none\">None found</span>"),
    };
    h.tag(" · <a href=\"")
        .text(&c.json_href)
        .tag("\">parsed model (JSON)</a></dd></div>\n");
    about_tail(h, c);
}

fn contact(h: &mut Html, c: &ConnectorView) {
    let k = &c.contact;
    if given(k.name).is_none() && given(k.url_text).is_none() && given(k.email_text).is_none() {
        return;
    }
    h.tag("<div><dt>Contact</dt><dd>");
    if let Some(name) = given(k.name) {
        h.text(name);
    }
    if let Some(url) = given(k.url) {
        h.tag("<br><a href=\"")
            .text(url)
            .tag("\" rel=\"nofollow noopener\">");
        h.text(k.url_text.unwrap_or_default()).tag("</a>");
    } else if let Some(text) = given(k.url_text) {
        h.tag("<br>").text(text);
    }
    if let Some(email) = given(k.email) {
        h.tag("<br><a href=\"mailto:").text(email).tag("\">");
        h.text(email).tag("</a>");
    } else if let Some(text) = given(k.email_text) {
        h.tag("<br>").text(text);
    }
    h.tag("</dd></div>");
}

fn link_fact(h: &mut Html, label: &'static str, link: Option<&super::views::connector::LinkView>) {
    let Some(link) = link else { return };
    h.tag("<div><dt>").tag(label).tag("</dt><dd>");
    match given(link.href) {
        Some(href) => h
            .tag("<a href=\"")
            .text(href)
            .tag("\" rel=\"nofollow noopener\">")
            .text(link.text)
            .tag("</a>"),
        None => h.text(link.text),
    };
    h.tag("</dd></div>");
}

fn about_tail(h: &mut Html, c: &ConnectorView) {
    if let Some(version) = given(c.version) {
        h.el(
            "<div><dt>Version (info.version)</dt><dd>",
            version,
            "</dd></div>",
        );
    }
    h.tag("\n<div><dt>Documentation</dt><dd><span class=\"meter\" title=\"Documentation completeness\"><span style=\"width:")
        .num(usize::from(c.docs))
        .tag("%\"></span></span> ")
        .num(usize::from(c.docs))
        .tag("% complete</dd></div>\n");
    if !c.policies.is_empty() {
        h.tag("<div><dt>Policy templates</dt><dd>");
        for (i, p) in c.policies.iter().enumerate() {
            if i > 0 {
                h.tag(", ");
            }
            h.el("<code>", p.id, "</code>");
            if let Some(title) = given(p.title) {
                h.tag(" (").text(title).tag(")");
            }
        }
        more(h, c.policies_more);
        h.tag("</dd></div>");
    }
    h.tag("\n");
    if !c.capabilities.is_empty() {
        h.tag("<div><dt>Capabilities</dt><dd>");
        joined(h, c.capabilities);
        more(h, c.capabilities_more);
        if let Some(test) = given(c.test_connection) {
            h.tag("; test connection with <code>")
                .text(test)
                .tag("</code>");
        }
        h.tag("</dd></div>");
    }
    h.tag("\n");
    if !c.keywords.is_empty() {
        h.tag("<div><dt>Keywords</dt><dd>");
        joined(h, &c.keywords);
        more(h, c.keywords_more);
        h.tag("</dd></div>");
    }
    h.tag("\n</dl>\n<p class=\"muted small\">Not in the repository, so not shown: Standard or Premium licensing, regions, throttling limits.</p>\n</section>\n\n");
}

fn docs(h: &mut Html, c: &ConnectorView) {
    if c.has_docs {
        h.tag("\n<section id=\"sec-docs\" aria-labelledby=\"h-docs\">\n<h2 id=\"h-docs\">Publisher's documentation</h2>\n<p class=\"muted small\">From the connector's own files, shown as the publisher wrote them (made safe: scripts, forms and outside links removed).</p>\n");
        if let Some(kb) = c.docs_kb.filter(|&kb| kb > 0) {
            h.tag("<details class=\"docs-wrap\" id=\"docs-toggle\"><summary>Show the publisher's documentation (")
                .num(kb)
                .tag(" KB)</summary>");
        }
        h.tag("\n");
        if c.has_intro {
            h.tag("<div class=\"prose readme\" id=\"intro\">");
            h.fragment(c.intro_html.as_deref().unwrap_or_default())
                .tag("</div>");
        }
        h.tag("\n");
        if c.has_readme {
            h.tag("<div class=\"prose readme\" id=\"readme\">");
            h.fragment(c.readme_html.as_deref().unwrap_or_default())
                .tag("</div>");
        }
        h.tag("\n");
        if c.docs_kb.is_some_and(|kb| kb > 0) {
            h.tag("</details>");
        }
        h.tag("\n</section>\n");
    }
    h.tag("\n\n");
}

fn connection(h: &mut Html, c: &ConnectorView) {
    h.tag("<section id=\"sec-connection\" aria-labelledby=\"h-connection\">\n<h2 id=\"h-connection\">Creating a connection</h2>\n");
    for set in &c.connection_sets {
        h.tag("\n<div class=\"conn-set\" data-set=\"")
            .text(set.name);
        h.tag("\">\n<h3>").text(&set.title).tag("</h3>\n");
        if let Some(d) = given(set.description) {
            h.el("<p>", d, "</p>");
        }
        h.tag("\n");
        if set.params.is_empty() {
            h.tag(
                "<p class=\"none\">No parameters: the connection needs nothing from the maker.</p>",
            );
        } else {
            h.tag("\n<div class=\"table-scroll\"><table class=\"fields conn\">\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Key</th><th scope=\"col\">Type</th><th scope=\"col\">Required</th><th scope=\"col\">Description</th></tr></thead>\n<tbody>");
            for p in &set.params {
                connection_row(h, p);
            }
            h.tag("\n</tbody></table></div>\n");
        }
        h.tag("\n");
        if set.more > 0 {
            h.tag("<p class=\"muted small\">").num(set.more);
            h.tag(" more parameter");
            plural(h, set.more);
            h.tag(" not listed.</p>");
        }
        if set.hidden > 0 {
            h.tag("<p class=\"muted small\">").num(set.hidden);
            h.tag(" hidden parameter");
            plural(h, set.hidden);
            h.tag(" left out.</p>");
        }
        h.tag("\n</div>\n");
    }
    if c.connection_sets.is_empty() {
        h.tag("\n<p class=\"none\">No connection parameters: anyone can connect without signing in.</p>\n");
    }
    h.tag("\n");
    if !c.auth.is_empty() {
        h.tag("\n<h3>Security definitions</h3>\n<ul class=\"auth-list\">");
        for a in &c.auth {
            h.tag("\n<li data-auth=\"").text(a.kind).tag("\"><strong>");
            h.text(a.kind_label).tag("</strong> <code>").text(a.name);
            h.tag("</code>");
            if let Some(key_in) = given(a.key_in) {
                h.tag(": key in the ").text(key_in);
                if let Some(name) = given(a.key_name) {
                    h.tag(" as <code>").text(name).tag("</code>");
                }
            }
            if let Some(flow) = given(a.flow) {
                h.tag(": ").text(flow).tag(" flow");
            }
            if let Some(url) = given(a.authorization_url) {
                h.tag("; authorize at <code>").text(url).tag("</code>");
            }
            if let Some(url) = given(a.token_url) {
                h.tag("; token from <code>").text(url).tag("</code>");
            }
            if !a.scopes.is_empty() {
                h.tag("; scopes ");
                codes(h, a.scopes);
                more(h, a.scopes_more);
            }
            h.tag("</li>");
        }
        if c.auth_more > 0 {
            h.tag("\n<li>and ").num(c.auth_more).tag(" more</li>");
        }
        h.tag("\n</ul>\n");
    }
    h.tag("\n</section>\n\n");
}

fn connection_row(h: &mut Html, p: &super::views::connector::ConnParamView) {
    h.tag("\n<tr><td>").text(p.label).tag("</td><td><code>");
    h.text(p.key)
        .tag("</code></td><td>")
        .text(p.kind)
        .tag("</td><td>");
    h.tag(if p.required { "Yes" } else { "No" })
        .tag("</td><td>");
    if let Some(d) = given(p.description) {
        h.text(d);
    }
    if !p.allowed.is_empty() {
        h.tag("<div class=\"extra\">One of: ");
        codes(h, p.allowed);
        more(h, p.allowed_more);
        h.tag("</div>");
    }
    if let Some(o) = &p.oauth {
        h.tag("<div class=\"extra\">Identity provider: ");
        match given(o.provider) {
            Some(provider) => {
                h.el("<code>", provider, "</code>");
                if let Some(label) = given(o.provider_label) {
                    h.tag(" (").text(label).tag(")");
                }
            }
            None => {
                h.tag("not given");
            }
        }
        if !o.scopes.is_empty() {
            h.tag("; scopes: ");
            codes(h, o.scopes);
            more(h, o.scopes_more);
        }
        if let Some(mode) = given(o.redirect_mode) {
            h.tag("; redirect: ").text(mode);
        }
        h.tag("</div>");
    }
    h.tag("</td></tr>");
}

/// `op-pages.html`: the pages of a connector whose operations do not fit one.
fn pages_nav(h: &mut Html, pages: &PagesView) {
    h.tag("<nav class=\"op-pages\" aria-label=\"Pages of operations\">\n<p>")
        .num(pages.count)
        .tag(" operations, more than one page holds: this page has operations ")
        .num(pages.first)
        .tag(" to ")
        .num(pages.last)
        .tag(".</p>\n<ol>");
    for p in &pages.pages {
        if p.gap_before {
            h.tag("<li class=\"gap\">…</li>");
        }
        h.tag("<li>");
        if p.current {
            h.tag("<strong aria-current=\"page\">Page ")
                .num(p.number as usize)
                .tag("</strong>");
        } else {
            h.tag("<a href=\"").text(&p.href).tag("\">Page ");
            h.num(p.number as usize).tag("</a>");
        }
        h.tag(" <span class=\"muted\">(")
            .num(p.first)
            .tag("–")
            .num(p.last)
            .tag(")</span></li>");
    }
    h.tag("</ol>\n</nav>\n");
}

/// `operation.html` with the default `op.html`: the index table, then each pre-rendered
/// section.
fn operations(h: &mut Html, ops: &OpList, kind: &'static str, kinds: &'static str) {
    // The line break after the template's opening comment (a comment trims nothing).
    h.tag("\n");
    if !ops.visible.is_empty() {
        h.tag("\n<div class=\"table-scroll\"><table class=\"op-index\" id=\"")
            .tag(kinds)
            .tag("-index\">\n<thead><tr><th scope=\"col\">")
            .tag(if kind == "trigger" {
                "Trigger"
            } else {
                "Action"
            })
            .tag("</th><th scope=\"col\">What it does</th></tr></thead>\n<tbody>");
        for op in &ops.visible {
            h.tag("\n<tr");
            if op.deprecated {
                h.tag(" class=\"is-deprecated\"");
            }
            h.tag("><td><a href=\"#").text(op.anchor).tag("\">");
            h.text(op.title).tag("</a>");
            if op.deprecated {
                h.tag(" <span class=\"tag deprecated\">deprecated</span>");
            }
            h.tag("</td><td>");
            if let Some(short) = given(op.short.as_deref()) {
                h.text(short);
            }
            h.tag("</td></tr>");
        }
        h.tag("\n</tbody></table></div>\n");
    } else if ops.internal.is_empty() && ops.total > 0 {
        h.tag("\n<p class=\"none\">None of the ")
            .num(ops.total)
            .tag(" ")
            .tag(kinds)
            .tag(" is on this page.</p>\n");
    } else if ops.internal.is_empty() {
        h.tag("\n<p class=\"none\">This connector has no ")
            .tag(kinds)
            .tag(".</p>\n");
    }
    for op in &ops.visible {
        h.tag("\n").fragment(op.html.as_deref().unwrap_or_default());
    }
    h.tag("\n");
    if !ops.internal.is_empty() {
        h.tag("\n<details class=\"internal-ops\" id=\"internal-")
            .tag(kinds)
            .tag("\">\n<summary>Internal ")
            .tag(kinds)
            .tag(" (")
            .num(ops.internal.len())
            .tag("): used by the connector itself, hidden from makers</summary>");
        for op in &ops.internal {
            h.tag("\n").fragment(op.html.as_deref().unwrap_or_default());
        }
        h.tag("\n</details>\n");
    }
    // The template file's last line break.
    h.tag("\n");
}

fn definitions(h: &mut Html, c: &ConnectorView) {
    if c.definitions.is_empty() {
        return;
    }
    h.tag("\n<section id=\"sec-definitions\" aria-labelledby=\"h-definitions\">\n<h2 id=\"h-definitions\">Definitions <span class=\"count\">")
        .num(c.definition_count)
        .tag("</span></h2>\n<p class=\"muted small\">The named schemas of the definition, one level deep; types link to the schemas they refer to.</p>\n");
    for d in &c.definitions {
        h.fragment(&d.html);
    }
    let left_out = c.definition_count.saturating_sub(c.definitions.len());
    if left_out > 0 {
        h.tag("<p class=\"note\">");
        h.num(c.definitions.len())
            .tag(" of ")
            .num(c.definition_count);
        h.tag(" definitions are shown, the first by name; all of them are in the definition file and the parsed model (see About).</p>\n");
    }
    h.tag("\n</section>\n");
}

/// `history.html`.
fn timeline(h: &mut Html, v: &HistoryView) {
    h.tag("\n<section id=\"sec-history\" aria-labelledby=\"h-history\">\n<h2 id=\"h-history\">History <span class=\"count\">")
        .num(v.count)
        .tag("</span></h2>\n<dl class=\"facts history-facts\">\n<div><dt>First added</dt><dd>");
    h.text(v.first_added.as_deref().unwrap_or_default())
        .tag("</dd></div>\n<div><dt>Last updated</dt><dd>");
    h.text(v.last_updated.as_deref().unwrap_or_default())
        .tag("</dd></div>\n<div><dt>Contributors</dt><dd>")
        .num(v.contributors)
        .tag("</dd></div>\n<div><dt>Revisions</dt><dd>")
        .num(v.count);
    if v.breaking > 0 {
        h.tag(" · <span class=\"badge badge-deprecated\">")
            .num(v.breaking)
            .tag(" with breaking changes</span>");
    }
    h.tag(" · <a href=\"feed.xml\">Atom feed</a></dd></div>\n</dl>\n<ol class=\"timeline\" id=\"history-timeline\">");
    for (i, r) in v.revisions.iter().enumerate() {
        if i == v.shown {
            h.tag("\n</ol>\n<details class=\"timeline-older\"><summary>")
                .num(v.older)
                .tag(" older revision");
            plural(h, v.older);
            h.tag("</summary>\n<ol class=\"timeline\">");
        }
        revision(h, r);
    }
    h.tag("\n</ol>");
    if v.older > 0 {
        h.tag("\n</details>");
    }
    h.tag("\n</section>\n\n");
}

fn revision(h: &mut Html, r: &super::views::history::RevView) {
    h.tag("\n<li class=\"revision");
    if r.breaking {
        h.tag(" breaking");
    }
    h.tag("\" data-commit=\"").text(&r.commit);
    h.tag("\">\n<p class=\"rev-head\"><time>")
        .text(&r.date)
        .tag("</time> ");
    match (given(r.pr_href.as_deref()), r.pr.filter(|&n| n > 0)) {
        (Some(href), pr) => {
            h.tag("<a href=\"").text(href).tag("\" rel=\"noopener\">#");
            h.num(pr.map_or(0, |n| n as usize)).tag("</a> ");
        }
        (None, Some(pr)) => {
            h.tag("#").num(pr as usize).tag(" ");
        }
        (None, None) => {}
    }
    h.text(&r.subject)
        .tag(" <code class=\"muted\">")
        .text(&r.commit);
    h.tag("</code>");
    if r.added {
        h.tag(" <span class=\"badge badge-certified\">Added</span>");
    }
    if r.breaking {
        h.tag(" <span class=\"badge badge-deprecated\">Breaking</span>");
    }
    h.tag("</p>");
    if !r.changes.is_empty() {
        h.tag("\n<ul class=\"changes\">");
        for ch in &r.changes {
            h.tag("\n<li class=\"change change-").tag(ch.kind.id());
            if ch.breaking {
                h.tag(" breaking");
            }
            h.tag("\">");
            if ch.breaking {
                h.tag("<strong class=\"breaking-mark\">Breaking:</strong> ");
            }
            h.fragment(&ch.text_html).tag("</li>");
        }
        h.tag("\n</ul>");
    }
    if let Some(note) = given(r.note.as_deref()) {
        h.tag("\n<p class=\"muted small\">").text(note).tag("</p>");
    }
    h.tag("\n</li>");
}

/// The table of `problems`, the first of `total`, with a note when some are left out.
fn problem_rows(h: &mut Html, problems: &[ProblemView], total: usize) {
    h.tag("<div class=\"table-scroll\"><table class=\"problems\">\n<thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Rule</th><th scope=\"col\">Severity</th><th scope=\"col\">Message</th></tr></thead>\n<tbody>");
    for p in problems {
        h.tag("\n<tr class=\"sev-")
            .text(p.severity)
            .tag("\"><td><code>");
        h.text(&p.location)
            .tag("</code></td><td><code>")
            .text(p.rule);
        h.tag("</code></td><td><span class=\"sev sev-")
            .text(p.severity);
        h.tag("\">").text(p.severity).tag("</span></td><td>");
        h.text(p.message);
        if let Some(help) = given(p.help) {
            h.el("<div class=\"extra\">", help, "</div>");
        }
        h.tag("</td></tr>");
    }
    h.tag("\n</tbody></table></div>\n");
    if total > problems.len() {
        h.tag("<p class=\"note\">The first ")
            .num(problems.len())
            .tag(" of ")
            .num(total)
            .tag(" are listed; <code>switchyard check</code> lists every one.</p>\n");
    }
}

/// "N errors, N warnings and N info" with the template's wording around it.
fn tally(h: &mut Html, t: &crate::problem::Tally, last: &'static str) {
    h.num(t.errors).tag(" error");
    plural(h, t.errors);
    h.tag(", ").num(t.warnings).tag(" warning");
    plural(h, t.warnings);
    h.tag(last).num(t.infos).tag(" info");
}

fn problems(h: &mut Html, c: &ConnectorView) {
    h.tag("<section id=\"sec-problems\" aria-labelledby=\"h-problems\">\n<h2 id=\"h-problems\">Problems <span class=\"count\">")
        .num(c.problem_count)
        .tag("</span></h2>\n");
    if c.problems.is_empty() {
        h.tag("\n<p class=\"none\">No problems found in this connector's files.</p>\n");
    } else {
        h.tag("\n<p>");
        tally(h, &c.tally, ", ");
        h.tag(
            " found in the connector's files. <code>switchyard check</code> shows the same.</p>\n",
        );
        problem_rows(h, &c.problems, c.problem_count);
    }
    h.tag("\n</section>");
}

/// `connector-quality.html`.
fn quality(h: &mut Html, c: &ConnectorView, root: &str) {
    let q = &c.quality;
    let score = usize::from(q.score);
    // The line break after the template's opening comment.
    h.tag("\n<section id=\"sec-quality\" aria-labelledby=\"h-quality\">\n<h2 id=\"h-quality\">Documentation quality <span class=\"count\">")
        .num(score)
        .tag("%</span></h2>\n<div class=\"quality-score\"><span class=\"meter meter-lg\" role=\"img\" aria-label=\"")
        .num(score)
        .tag("% complete\"><span style=\"width:")
        .num(score)
        .tag("%\"></span></span> <strong>")
        .num(score)
        .tag("%</strong> complete, the mean of:</div>\n<table class=\"quality-parts\">\n<tbody>");
    for p in &q.parts {
        h.tag("\n<tr><th scope=\"row\">").text(p.label);
        h.tag("</th><td class=\"num\">")
            .num(p.done)
            .tag(" of ")
            .num(p.of);
        h.tag("</td><td><span class=\"meter\" aria-hidden=\"true\"><span style=\"width:")
            .num(usize::from(p.percent))
            .tag("%\"></span></span> ")
            .num(usize::from(p.percent))
            .tag("%</td></tr>");
    }
    h.tag("\n</tbody></table>\n");
    if q.findings.is_empty() {
        h.tag("\n<p class=\"none\">The linter finds nothing to fix.</p>\n");
    } else {
        h.tag("\n<p>The linter finds ");
        tally(h, &q.tally, " and ");
        h.tag(". <code>switchyard check ").text(c.source_path).tag(
            "</code> shows each with its source line.</p>\n<details class=\"quality-findings\"",
        );
        if q.count <= 12 {
            h.tag(" open");
        }
        h.tag(">\n<summary>").num(q.count).tag(" finding");
        plural(h, q.count);
        h.tag("</summary>\n");
        problem_rows(h, &q.findings, q.count);
        h.tag("</details>\n");
    }
    h.tag("\n<p class=\"muted small\"><a href=\"")
        .text(root)
        .tag("quality/index.html\">How every connector scores</a></p>\n</section>\n");
}

fn similar(h: &mut Html, c: &ConnectorView, root: &str) {
    h.tag("<section id=\"sec-similar\" aria-labelledby=\"h-similar\">\n<h2 id=\"h-similar\">Similar connectors</h2>\n");
    if c.similar.is_empty() {
        h.tag("\n<p class=\"none\">No connector in this catalog does much the same.</p>\n");
    } else {
        h.tag("\n<ul class=\"similar-list\">");
        for s in &c.similar {
            similar_item(h, s, c.slug, root);
        }
        h.tag("\n</ul>\n");
    }
    h.tag("\n</section>\n");
}

fn similar_item(h: &mut Html, s: &SimilarView, slug: &str, root: &str) {
    h.tag("\n<li data-slug=\"")
        .text(s.slug)
        .tag("\"><a href=\"");
    h.text(root).text(&s.href).tag("\">").text(s.title);
    h.tag("</a> <span class=\"muted\">")
        .text(s.tier_label)
        .tag(" · ");
    h.num(s.score as usize).tag("% alike</span>");
    if s.same_host {
        h.tag(" <span class=\"tag\">same host</span>");
    }
    if s.same_stack_owner {
        h.tag(" <span class=\"tag\">same stack owner</span>");
    }
    h.tag("\n · <a class=\"compare-link\" href=\"")
        .text(root)
        .tag("compare/index.html?c=")
        .text(slug)
        .tag(",")
        .text(s.slug)
        .tag("\">Compare</a>");
    if !s.shared.is_empty() {
        h.tag("<div class=\"extra\">Both: ");
        joined(h, &s.shared);
        if s.more_shared > 0 {
            h.tag(" and ").num(s.more_shared).tag(" more");
        }
        h.tag("</div>");
    }
    h.tag("</li>");
}
