/* switchyard: stackable facets for the connector list. Rows carry their facts in data-*
   attributes; the state lives in the URL (?tier=certified&category=AI&sort=actions), so a
   filtered view can be shared. Without JavaScript the full list shows. A list cut into pages
   (tbody[data-rows]) filters and sorts every connector, read from list.json when needed. */
(function () {
  "use strict";
  var form = document.getElementById("facets");
  var tbody = document.getElementById("connector-rows");
  if (!form || !tbody) return;
  var MULTI = ["tier", "category", "auth", "publisher"];
  var FLAGS = ["triggers", "copilot", "code", "deprecated"];
  var KEYS = MULTI.concat(FLAGS);
  var TIER_ORDER = { "certified": 0, "independent-publisher": 1, "custom": 2 };
  var sortBox = document.getElementById("sort-box");
  var sortSelect = document.getElementById("sort");
  var countEl = document.getElementById("result-count");
  var noResults = document.getElementById("no-results");
  /* "Changed in the last N days", counted back from the built revision's date (data-now). */
  var changedSelect = document.getElementById("facet-changed");
  var now = changedSelect ? Date.parse(changedSelect.getAttribute("data-now")) : NaN;
  var DAYS = changedSelect ? Array.prototype.map.call(changedSelect.options, function (o) { return o.value; }).filter(Boolean) : [];

  function list(v, sep) { return v ? v.split(sep) : []; }

  /* One row of the list, whatever it was read from: `el` is its <tr> (made on demand for a
     row of list.json, whose facts stay in `item`). */
  function row(f, el, item) {
    f.el = el;
    f.item = item;
    f.title = f.title.toLowerCase();
    f.publisherName = f.publisherName.toLowerCase();
    f.age = f.updated && !isNaN(now) ? (now - Date.parse(f.updated)) / 86400000 : Infinity;
    return f;
  }

  /* A row of this page, from its data-* attributes. */
  function fromDom(tr) {
    var d = tr.dataset;
    return row({
      title: d.title || "", publisherName: tr.cells[2] ? tr.cells[2].textContent : "",
      tier: [d.tier], category: list(d.category, "|"), auth: list(d.auth, " "),
      publisher: list(d.publisher, " "),
      triggers: d.triggers === "1", copilot: d.copilot === "1", code: d.code === "1",
      deprecated: d.deprecated === "1",
      actions: +d.actions || 0, triggerCount: +d.triggerCount || 0, docs: +d.docs || 0,
      added: d.added || "", updated: d.updated || ""
    }, tr, null);
  }

  /* A row of any page, from its entry in list.json. */
  function fromJson(c) {
    return row({
      title: c.title || "", publisherName: c.publisher || "",
      tier: [c.tier], category: c.categories || [], auth: c.auth || [],
      publisher: c.publisher_slug ? [c.publisher_slug] : [],
      triggers: c.triggers > 0, copilot: !!c.copilot, code: !!c.code,
      deprecated: c.deprecated > 0,
      actions: c.actions || 0, triggerCount: c.triggers || 0, docs: c.docs || 0,
      added: c.added || "", updated: c.updated || ""
    }, null, c);
  }

  var pageRows = Array.prototype.map.call(tbody.rows, fromDom);

  function readUrl() {
    var q = new URLSearchParams(location.search);
    var s = { sort: q.get("sort") || "title", changed: q.get("changed") || "" };
    MULTI.forEach(function (k) { s[k] = q.getAll(k).filter(Boolean); });
    FLAGS.forEach(function (k) { s[k] = q.get(k) === "1"; });
    return s;
  }

  function readForm() {
    var s = { sort: sortSelect ? sortSelect.value : "title", changed: "" };
    MULTI.forEach(function (k) { s[k] = []; });
    FLAGS.forEach(function (k) { s[k] = false; });
    Array.prototype.forEach.call(form.elements, function (el) {
      var k = el.getAttribute("data-facet");
      if (!k) return;
      if (k === "changed") { s.changed = el.value; return; }
      if (el.type === "checkbox" && el.checked) {
        if (FLAGS.indexOf(k) >= 0) s[k] = true; else s[k].push(el.value);
      } else if (el.tagName === "SELECT" && el.value) {
        s[k].push(el.value);
      }
    });
    return s;
  }

  function writeForm(s) {
    Array.prototype.forEach.call(form.elements, function (el) {
      var k = el.getAttribute("data-facet");
      if (!k) return;
      if (k === "changed") { el.value = s.changed; return; }
      if (el.type === "checkbox") {
        el.checked = FLAGS.indexOf(k) >= 0 ? s[k] : s[k].indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT") {
        el.value = s[k][0] || "";
      }
    });
    if (sortSelect) sortSelect.value = s.sort;
  }

  function matches(r, s, skip) {
    for (var i = 0; i < MULTI.length; i++) {
      var k = MULTI[i];
      if (k === skip || !s[k].length) continue;
      var hit = false;
      for (var j = 0; j < s[k].length && !hit; j++) hit = r[k].indexOf(s[k][j]) >= 0;
      if (!hit) return false;
    }
    for (var f = 0; f < FLAGS.length; f++) {
      if (FLAGS[f] !== skip && s[FLAGS[f]] && !r[FLAGS[f]]) return false;
    }
    if (skip !== "changed" && s.changed && !(r.age <= +s.changed)) return false;
    return true;
  }

  function tally(rows, s) {
    var counts = {};
    KEYS.forEach(function (k) {
      var c = counts[k] = {};
      rows.forEach(function (r) {
        if (!matches(r, s, k)) return;
        if (FLAGS.indexOf(k) >= 0) { if (r[k]) c["1"] = (c["1"] || 0) + 1; return; }
        r[k].forEach(function (v) { c[v] = (c[v] || 0) + 1; });
      });
    });
    var c = counts.changed = {};
    rows.forEach(function (r) {
      if (!matches(r, s, "changed")) return;
      DAYS.forEach(function (d) { if (r.age <= +d) c[d] = (c[d] || 0) + 1; });
    });
    return counts;
  }

  function showCounts(counts) {
    Array.prototype.forEach.call(form.elements, function (el) {
      var k = el.getAttribute("data-facet");
      if (!k) return;
      if (el.type === "checkbox") {
        var n = counts[k][el.value] || 0;
        var label = el.closest("label");
        var span = label && label.querySelector("[data-count]");
        if (span) span.textContent = n;
        if (label) label.classList.toggle("is-empty", n === 0);
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (o) {
          if (!o.value) return;
          o.textContent = o.getAttribute("data-label") + " (" + (counts[k][o.value] || 0) + ")";
        });
      }
    });
  }

  var SORTS = {
    title: function (a, b) { return 0; },
    actions: function (a, b) { return b.actions - a.actions; },
    triggers: function (a, b) { return b.triggerCount - a.triggerCount; },
    docs: function (a, b) { return b.docs - a.docs; },
    publisher: function (a, b) { return a.publisherName < b.publisherName ? -1 : a.publisherName > b.publisherName ? 1 : 0; },
    tier: function (a, b) { return TIER_ORDER[a.tier[0]] - TIER_ORDER[b.tier[0]]; },
    updated: function (a, b) { return a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0; },
    added: function (a, b) { return a.added < b.added ? 1 : a.added > b.added ? -1 : 0; }
  };

  function sorted(rows, key) {
    var by = SORTS[key] || SORTS.title;
    return rows.slice().sort(function (a, b) {
      return by(a, b) || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0);
    });
  }

  /* Puts these rows' elements in the table, in this order (making those not made yet). */
  function fill(rows) {
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r.el || (r.el = element(r.item))); });
    tbody.appendChild(frag);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  /* The <tr> of a list.json entry, as list.html writes it. Every text goes in as text. */
  function element(c) {
    var tr = el("tr", "connector-row");
    var data = {
      "slug": c.slug, "title": (c.title || "").toLowerCase(), "tier": c.tier,
      "category": (c.categories || []).join("|"),
      "auth": (c.auth || []).join(" "), "publisher": c.publisher_slug || "",
      "triggers": c.triggers > 0 ? "1" : "0", "copilot": c.copilot ? "1" : "0",
      "code": c.code ? "1" : "0", "deprecated": c.deprecated > 0 ? "1" : "0",
      "actions": c.actions, "trigger-count": c.triggers, "docs": c.docs
    };
    if (c.updated) { data.added = c.added || ""; data.updated = c.updated; }
    Object.keys(data).forEach(function (k) { tr.setAttribute("data-" + k, data[k]); });
    if (c.brand) {
      tr.style.setProperty("--brand", c.brand);
      tr.style.setProperty("--brand-fg", c.brand_fg);
    }
    var th = el("th");
    th.scope = "row";
    var a = el("a");
    a.setAttribute("href", "../" + c.href);
    if (c.icon) {
      var img = el("img", "logo-sm");
      img.setAttribute("src", c.slug + "/icon.png");
      img.setAttribute("alt", "");
      img.setAttribute("width", "24");
      img.setAttribute("height", "24");
      img.setAttribute("loading", "lazy");
      a.appendChild(img);
    } else {
      var logo = el("span", "logo logo-sm", c.monogram);
      logo.setAttribute("aria-hidden", "true");
      a.appendChild(logo);
    }
    a.appendChild(document.createTextNode(" " + c.title));
    th.appendChild(a);
    tr.appendChild(th);
    tr.appendChild(el("td", "", c.tier_short));
    tr.appendChild(el("td", "hide-narrow", c.publisher || ""));
    tr.appendChild(el("td", "hide-narrow", (c.categories || []).join(", ")));
    tr.appendChild(el("td", "num", c.actions));
    tr.appendChild(el("td", "num", c.triggers));
    return tr;
  }

  function writeUrl(s) {
    var q = new URLSearchParams();
    MULTI.forEach(function (k) { s[k].forEach(function (v) { q.append(k, v); }); });
    FLAGS.forEach(function (k) { if (s[k]) q.set(k, "1"); });
    if (s.changed) q.set("changed", s.changed);
    if (s.sort && s.sort !== "title") q.set("sort", s.sort);
    var query = q.toString();
    try { history.replaceState(null, "", query ? "?" + query : location.pathname); } catch (e) { /* file:// */ }
  }

  function filtering(s) {
    return !!s.changed || KEYS.some(function (k) { return FLAGS.indexOf(k) >= 0 ? s[k] : s[k].length; });
  }

  function showCount(shown, total, where) {
    if (countEl) countEl.textContent = (shown === total ? total : shown + " of " + total) + " connectors" + where;
    if (noResults) noResults.hidden = shown > 0;
  }

  /* This page's rows, filtered and sorted where they stand: the whole list when it fits on
     one page, else this page's part of it (when list.json cannot be read). */
  var currentSort = null;
  function filterPage(s, where) {
    var shown = 0;
    pageRows.forEach(function (r) {
      var ok = matches(r, s, null);
      r.el.hidden = !ok;
      if (ok) shown++;
    });
    if (s.sort !== currentSort) {
      currentSort = s.sort;
      fill(sorted(pageRows, s.sort));
    }
    showCounts(tally(pageRows, s));
    showCount(shown, pageRows.length, where);
  }

  /* A list cut into pages (tbody[data-rows]): this page as built until a filter or another
     sort asks for every connector, which then come from list.json, PAGE rows at a time. */
  var PAGE = 500;
  var paged = tbody.hasAttribute("data-rows");
  var pager = document.getElementById("pager");
  /* The count and facet counts as built (over every connector), for the page as built. */
  var builtCount = countEl ? countEl.textContent : "";
  var builtCounts = Array.prototype.map.call(form.querySelectorAll("[data-count], select[data-facet] option"), function (n) {
    return [n, n.textContent];
  });
  var allRows = null, loading = null, failed = false, latest = null;
  var found = [], drawn = 0, more = null;

  /* Reads list.json once, then shows the latest state again (from this page's rows alone
     when it cannot be read, as from file://). */
  function load() {
    if (loading) return;
    loading = fetch(tbody.getAttribute("data-rows")).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (items) {
      allRows = items.map(fromJson);
    }).catch(function () {
      failed = true;
    }).then(function () {
      apply(latest, false);
    });
  }

  function showPager(on) {
    if (pager) pager.hidden = !on;
    if (more) more.hidden = true;
  }

  /* The page as built: its own rows in their order, the pager, the counts over everything. */
  function showBuilt() {
    pageRows.forEach(function (r) { r.el.hidden = false; });
    tbody.textContent = "";
    fill(pageRows);
    currentSort = "title";
    showPager(true);
    if (allRows) {
      showCounts(tally(allRows, latest));
    } else {
      builtCounts.forEach(function (b) { b[0].textContent = b[1]; });
      Array.prototype.forEach.call(form.querySelectorAll(".is-empty"), function (l) { l.classList.remove("is-empty"); });
    }
    if (countEl) countEl.textContent = builtCount;
    if (noResults) noResults.hidden = true;
  }

  /* Every connector that matches, sorted, in rows made as they are first shown. */
  function filterAll(s) {
    found = sorted(allRows.filter(function (r) { return matches(r, s, null); }), s.sort);
    drawn = 0;
    tbody.textContent = "";
    currentSort = null;
    showPager(false);
    showMore();
    showCounts(tally(allRows, s));
    showCount(found.length, allRows.length, "");
  }

  function showMore() {
    var next = found.slice(drawn, drawn + PAGE);
    fill(next);
    drawn += next.length;
    var left = found.length - drawn;
    if (!more && left > 0) {
      more = el("button", "button list-more");
      more.type = "button";
      more.id = "list-more";
      more.addEventListener("click", showMore);
      var table = tbody.closest(".table-scroll") || tbody.closest("table");
      table.parentNode.insertBefore(more, table.nextSibling);
    }
    if (more) {
      more.hidden = left <= 0;
      more.textContent = "Show " + Math.min(PAGE, left) + " more";
    }
  }

  function apply(s, updateUrl) {
    latest = s;
    if (updateUrl) writeUrl(s);
    if (!paged) return filterPage(s, "");
    if (!filtering(s) && s.sort === "title") return showBuilt();
    if (failed) return filterPage(s, " on this page");
    if (allRows) return filterAll(s);
    if (countEl) countEl.textContent = "Loading every connector…";
    load();
  }

  form.hidden = false;
  if (sortBox) sortBox.hidden = false;
  // The lead promises filters only once they are there.
  var leadFilters = document.getElementById("lead-filters");
  var leadBrowse = document.getElementById("lead-browse");
  if (leadFilters) leadFilters.hidden = false;
  if (leadBrowse) leadBrowse.hidden = true;
  var initial = readUrl();
  var panel = document.getElementById("facet-panel");
  if (panel && !filtering(initial) && window.matchMedia && window.matchMedia("(max-width: 860px)").matches) panel.open = false;
  writeForm(initial);
  apply(initial, false);
  form.addEventListener("change", function () { apply(readForm(), true); });
  if (sortSelect) sortSelect.addEventListener("change", function () { apply(readForm(), true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(readForm(), true); }, 0); });
  window.addEventListener("popstate", function () { var s = readUrl(); writeForm(s); apply(s, false); });
})();
