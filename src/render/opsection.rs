//! One operation's section, rendered in Rust: the same bytes as the default theme's
//! `op.html`, without the template engine's cost per variable (a big connector has hundreds
//! of operations and the corpus sixteen thousand). A theme that overrides `op.html` gets its
//! template used instead; `tests/site_render.rs` checks that both give identical pages.

use super::html::{given, Html};
use super::views::operation::{OpDetail, OpView};
use super::views::Badge;

/// The section of `v`, ending with a newline as the template does.
pub fn render(v: &OpView, d: &OpDetail) -> String {
    let mut h = Html::with_capacity(d.parameters_html.len() + d.returns_html.len() + 1024);
    head(&mut h, v, d);
    badges(&mut h, d);
    if let Some(desc) = given(d.description) {
        h.tag("\n<p class=\"desc\">").text(desc).tag("</p>");
    }
    deprecation(&mut h, v, d);
    family(&mut h, d);
    meta(&mut h, d);
    h.tag("\n<h4>Parameters</h4>\n")
        .fragment(&d.parameters_html);
    h.tag("\n<h4>Returns</h4>\n").fragment(&d.returns_html);
    also(&mut h, d);
    h.tag("\n</section>\n");
    h.into_string()
}

fn head(h: &mut Html, v: &OpView, d: &OpDetail) {
    h.tag("<section class=\"op");
    if v.deprecated {
        h.tag(" is-deprecated");
    }
    h.tag("\" id=\"").text(v.anchor);
    h.tag("\" data-operation-id=\"").text(d.id);
    h.tag("\" data-kind=\"").text(d.kind);
    h.tag("\" data-visibility=\"").text(d.visibility).tag("\">");
    h.tag("\n<h3><a class=\"self\" href=\"#")
        .text(v.anchor)
        .tag("\">");
    h.text(v.title).tag("</a></h3>");
}

fn badges(h: &mut Html, d: &OpDetail) {
    if d.badges.is_empty() {
        return;
    }
    h.tag("\n<ul class=\"badges\">");
    for b in &d.badges {
        badge(h, b);
    }
    h.tag("</ul>");
}

/// One badge, as the `badge` macro of `macros.html` writes it.
pub fn badge(h: &mut Html, b: &Badge) {
    h.tag("<li class=\"badge badge-").text(b.class).tag("\"");
    if let Some(t) = given(b.title.as_deref()) {
        h.tag(" title=\"").text(t).tag("\"");
    }
    h.tag(">").text(&b.label).tag("</li>");
}

fn deprecation(h: &mut Html, v: &OpView, d: &OpDetail) {
    if let Some(r) = &d.replacement {
        h.tag("\n<p class=\"callout deprecated\">Deprecated: use ");
        match given(r.href.as_deref()) {
            Some(href) => {
                h.tag("<a href=\"").text(href).tag("\">");
                h.text(&r.label).tag("</a>");
            }
            None => {
                h.text(&r.label);
            }
        }
        h.tag(" instead. Existing flows keep working.</p>");
    } else if v.deprecated {
        h.tag("\n<p class=\"callout deprecated\">Deprecated: hidden in the designer; existing flows keep working.</p>");
    }
}

fn family(h: &mut Html, d: &OpDetail) {
    let Some(f) = &d.family else {
        return;
    };
    h.tag("\n<p class=\"family\">Revisions of <code>")
        .text(f.name);
    h.tag("</code>, newest first: ");
    for (i, m) in f.members.iter().enumerate() {
        if m.current {
            h.tag("<strong>revision ").num(m.revision as usize);
            h.tag(" (this one)</strong>");
        } else {
            h.tag("<a href=\"").text(&m.href).tag("\">revision ");
            h.num(m.revision as usize).tag("</a>");
        }
        if m.deprecated {
            h.tag(" (deprecated)");
        }
        if i + 1 < f.members.len() {
            h.tag(" · ");
        }
    }
    if f.more > 0 {
        h.tag(" · and ").num(f.more).tag(" more");
    }
    h.tag("</p>");
}

fn also(h: &mut Html, d: &OpDetail) {
    if d.also.is_empty() {
        return;
    }
    h.tag("\n<p class=\"also\">Other connectors that do this: ");
    for (i, a) in d.also.iter().enumerate() {
        h.tag("<a href=\"")
            .text(&a.href)
            .tag("\">")
            .text(a.connector);
        h.tag("</a> <span class=\"muted\">(")
            .text(a.operation)
            .tag(")</span>");
        if i + 1 < d.also.len() {
            h.tag(", ");
        }
    }
    h.tag("</p>");
}

fn meta(h: &mut Html, d: &OpDetail) {
    h.tag("\n<dl class=\"op-meta\">\n<div><dt>Operation ID</dt><dd>");
    if d.has_id {
        h.tag("<code>").text(d.id).tag("</code>");
    } else {
        h.tag("<span class=\"none\">none given</span>");
    }
    h.tag("</dd></div>\n<div><dt>Request</dt><dd><code><span class=\"method\">");
    h.text(d.method)
        .tag("</span> ")
        .text(d.path)
        .tag("</code></dd></div>");
    if let Some(t) = &d.trigger {
        h.tag("\n<div><dt>Trigger type</dt><dd>")
            .text(t.mode)
            .tag("</dd></div>");
        h.tag("\n<div><dt>Fires</dt><dd>")
            .text(t.cardinality)
            .tag("</dd></div>");
        if let Some(hint) = given(t.hint) {
            h.tag("\n<div><dt>How to fire it</dt><dd>")
                .text(hint)
                .tag("</dd></div>");
        }
    }
    h.tag("\n</dl>");
}
