/* switchyard: compare 2 to 4 connectors. The choice lives in the URL (?c=slug1,slug2); each
   connector's facts come from its JSON export (../connectors/<slug>.json). Everything is
   inserted with textContent: nothing from a connector is ever parsed as HTML. */
(function () {
  "use strict";
  var MAX = 4;
  var form = document.getElementById("compare-form");
  var input = document.getElementById("compare-input");
  var chosenEl = document.getElementById("compare-chosen");
  var statusEl = document.getElementById("compare-status");
  var resultEl = document.getElementById("compare-result");
  var hidden = document.getElementById("compare-c");
  if (!form || !input || !resultEl) return;

  /* Every connector by slug: from the datalist's options, or, for a catalog cut into pages,
     from list.json (data-options), the datalist then offering what matches the typed text. */
  var datalist = document.getElementById("compare-options");
  var optionsUrl = datalist && datalist.getAttribute("data-options");
  var SUGGEST = 50;
  var options = {};
  /* list.json's entries, once read (paged catalogs only). */
  var entries = null;
  if (!optionsUrl) {
    Array.prototype.forEach.call(document.querySelectorAll("#compare-options option"), function (o) {
      options[o.value] = { slug: o.value, title: o.getAttribute("data-title") || o.value, docs: +o.getAttribute("data-docs") || 0 };
    });
  }
  var cache = {};
  var chosen = [];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function fromUrl() {
    var c = new URLSearchParams(location.search).get("c") || "";
    var out = [];
    c.split(",").forEach(function (s) {
      s = s.trim();
      if (options[s] && out.indexOf(s) < 0 && out.length < MAX) out.push(s);
    });
    return out;
  }

  function toUrl() {
    hidden.value = chosen.join(",");
    var q = chosen.length ? "?c=" + chosen.join(",") : location.pathname;
    try { history.replaceState(null, "", q); } catch (e) { /* file:// */ }
  }

  function find(text) {
    text = text.trim();
    if (options[text]) return text;
    var lower = text.toLowerCase();
    for (var k in options) if (options[k].title.toLowerCase() === lower) return k;
    return null;
  }

  /* The datalist of a paged catalog: the first SUGGEST connectors whose title or slug
     holds what is typed. */
  function suggest() {
    if (!entries) return;
    var q = input.value.trim().toLowerCase();
    var frag = document.createDocumentFragment();
    for (var i = 0, n = 0; i < entries.length && n < SUGGEST; i++) {
      var c = entries[i];
      if (q && c.title.toLowerCase().indexOf(q) < 0 && c.slug.toLowerCase().indexOf(q) < 0) continue;
      var o = el("option", c.title + " (" + c.tier_label + ")");
      o.value = c.slug;
      frag.appendChild(o);
      n++;
    }
    datalist.textContent = "";
    datalist.appendChild(frag);
  }

  function drawChips() {
    chosenEl.textContent = "";
    chosen.forEach(function (slug) {
      var li = el("li");
      li.setAttribute("data-slug", slug);
      li.appendChild(el("span", options[slug].title));
      var b = el("button", "×");
      b.type = "button";
      b.setAttribute("aria-label", "Remove " + options[slug].title);
      b.addEventListener("click", function () { chosen = chosen.filter(function (s) { return s !== slug; }); update(); });
      li.appendChild(b);
      chosenEl.appendChild(li);
    });
    input.disabled = chosen.length >= MAX;
  }

  function getJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  function load(slug) {
    if (!cache[slug]) cache[slug] = getJson("../connectors/" + slug + ".json");
    return cache[slug];
  }

  function failed(what, err) {
    statusEl.textContent = "Could not load " + what + " (" + err.message + "). " +
      (location.protocol === "file:" ? "Browsers do not let pages opened from files read other files: serve the site over HTTP (switchyard serve)." : "");
  }

  function update() {
    toUrl();
    drawChips();
    resultEl.textContent = "";
    if (chosen.length < 2) {
      statusEl.textContent = chosen.length ? "Add at least one more connector." : "Pick two to four connectors.";
      return;
    }
    statusEl.textContent = "Loading…";
    var want = chosen.slice();
    Promise.all(want.map(load)).then(function (models) {
      if (want.join() !== chosen.join()) return;
      statusEl.textContent = "";
      draw(want, models);
    }, function (err) { failed("the connectors' data", err); });
  }

  /* Facts of one connector, from its JSON model. */
  function facts(m, slug) {
    var ops = m.operations || [];
    var visible = ops.filter(function (o) { return o.visibility !== "internal"; });
    var kinds = {};
    (m.auth || []).forEach(function (a) { kinds[a.kind] = 1; });
    (m.connection_sets || []).forEach(function (s) {
      (s.parameters || []).forEach(function (p) { if (String(p.kind).toLowerCase() === "oauthsetting") kinds.oauth2 = 1; });
    });
    var labels = { apiKey: "API key", oauth2: "OAuth 2.0", basic: "Basic", none: "None" };
    var auth = Object.keys(kinds).sort().map(function (k) { return labels[k] || k; });
    var modes = {};
    ops.forEach(function (o) { if (o.kind === "trigger" && o.trigger) modes[o.trigger.mode] = (modes[o.trigger.mode] || 0) + 1; });
    var policies = {};
    (m.policies || []).forEach(function (p) { policies[p.template_id] = 1; });
    return {
      "Tier": { "certified": "Certified", "independent-publisher": "Independent publisher", "custom": "Custom" }[m.tier] || m.tier,
      "Publisher": m.publisher || "—",
      "Authentication": auth.length ? auth.join(", ") : "None",
      "Actions": ops.filter(function (o) { return o.kind === "action"; }).length,
      "Triggers": ops.filter(function (o) { return o.kind === "trigger"; }).length,
      "Trigger kinds": Object.keys(modes).sort().map(function (k) { return modes[k] + " " + (k === "unknown" ? "not stated" : k); }).join(", ") || "—",
      "Deprecated operations": ops.filter(function (o) { return o.deprecated; }).length,
      "Internal operations": ops.length - visible.length,
      "Categories": (m.metadata && m.metadata.categories || []).join(", ") || "—",
      "Policy templates": Object.keys(policies).sort().join(", ") || "—",
      "Copilot-enabled": (m.copilot_manifest || ops.some(function (o) { return o.copilot; })) ? "Yes" : "No",
      "Custom code": ((m.script_operations || []).length || (m.files && m.files.script)) ? "Yes" : "No",
      "Documentation": options[slug].docs + "% complete",
      "Preview": m.info && m.info.status === "Preview" ? "Yes" : "No",
      "Host": (m.host || "—") + (m.base_path || "")
    };
  }

  function draw(slugs, models) {
    var all = models.map(function (m, i) { return facts(m, slugs[i]); });
    var table = el("table", null, "compare-table");
    table.id = "compare-facts";
    var head = table.createTHead().insertRow();
    head.appendChild(el("th", ""));
    slugs.forEach(function (s) {
      var th = el("th");
      th.scope = "col";
      var a = el("a", options[s].title);
      a.href = "../connectors/" + s + "/index.html";
      th.appendChild(a);
      th.setAttribute("data-slug", s);
      head.appendChild(th);
    });
    var body = table.createTBody();
    Object.keys(all[0]).forEach(function (k) {
      var tr = body.insertRow();
      var th = el("th", k);
      th.scope = "row";
      tr.appendChild(th);
      all.forEach(function (f) { tr.appendChild(el("td", f[k])); });
    });
    resultEl.appendChild(el("h2", "At a glance"));
    var wrap = el("div", null, "table-scroll");
    wrap.appendChild(table);
    resultEl.appendChild(wrap);
    drawOps(slugs, models);
  }

  var STOP = {};
  "a an the of to for in on by with and or from into at as is are be its it this that your my all v1 v2 v3 v4 using via".split(" ").forEach(function (w) { STOP[w] = 1; });

  /* The words of what an operation does: its summary (else its id), lower case, without
     filler words, plural "s" cut. */
  function words(o) {
    var text = o.summary || String(o.id || "").replace(/([a-z0-9])([A-Z])/g, "$1 $2");
    var out = {};
    text.toLowerCase().split(/[^a-z0-9]+/).forEach(function (w) {
      if (!w || STOP[w]) return;
      if (w.length > 3 && w.charAt(w.length - 1) === "s") w = w.slice(0, -1);
      out[w] = 1;
    });
    return out;
  }

  /* Words in most of one connector's operations ("pdf", "sms") say which connector it is,
     not what the operation does: leave them out. */
  function themeless(ops) {
    var sets = ops.map(words), df = {};
    sets.forEach(function (w) { for (var k in w) df[k] = (df[k] || 0) + 1; });
    if (ops.length >= 4) {
      sets.forEach(function (w) { for (var k in w) if (df[k] > ops.length / 2 && Object.keys(w).length > 1) delete w[k]; });
    }
    return sets;
  }

  /* Dice coefficient of two word sets. */
  function similarity(a, b) {
    var inter = 0, na = 0, nb = 0, k;
    for (k in a) { na++; if (b[k]) inter++; }
    for (k in b) nb++;
    return na + nb ? 2 * inter / (na + nb) : 0;
  }

  /* Rows of operations that do the same thing: each operation joins the most similar row
     that has nothing from its connector yet, if similar enough; else it starts a row. */
  function align(models) {
    var rows = [];
    models.forEach(function (m, ci) {
      var ops = (m.operations || []).filter(function (o) { return o.visibility !== "internal"; });
      var sets = themeless(ops);
      ops.forEach(function (o, oi) {
        var w = sets[oi], best = null, bestScore = 0.6;
        rows.forEach(function (r) {
          if (r.cells[ci] || r.kind !== o.kind) return;
          var s = similarity(w, r.words);
          if (s >= bestScore) { best = r; bestScore = s; }
        });
        if (!best) { best = { kind: o.kind, words: w, cells: [], filled: 0 }; rows.push(best); }
        best.cells[ci] = o;
        best.filled++;
      });
    });
    rows.sort(function (a, b) {
      if (a.kind !== b.kind) return a.kind === "trigger" ? 1 : -1;
      return b.filled - a.filled || label(a).localeCompare(label(b));
    });
    return rows;
  }

  function label(r) {
    for (var i = 0; i < r.cells.length; i++) if (r.cells[i]) return r.cells[i].summary || r.cells[i].id;
    return "";
  }

  function drawOps(slugs, models) {
    var rows = align(models);
    var shared = rows.filter(function (r) { return r.filled > 1; }).length;
    resultEl.appendChild(el("h2", "Operations, lined up by what they do"));
    resultEl.appendChild(el("p", shared + " of " + rows.length + " rows are offered by more than one of these connectors (matched on the words of their summaries).", "muted"));
    var table = el("table", null, "compare-table compare-ops");
    table.id = "compare-ops";
    var head = table.createTHead().insertRow();
    head.appendChild(el("th", "Kind"));
    slugs.forEach(function (s) { head.appendChild(el("th", options[s].title)); });
    var body = table.createTBody();
    rows.slice(0, 400).forEach(function (r) {
      var tr = body.insertRow();
      if (r.filled > 1) tr.className = "shared";
      tr.appendChild(el("td", r.kind, "muted"));
      slugs.forEach(function (s, ci) {
        var o = r.cells[ci];
        if (!o) { tr.appendChild(el("td", "—", "missing")); return; }
        var td = el("td");
        var a = el("a", o.summary || o.id);
        a.href = "../connectors/" + s + "/" + (o.page ? "operations-" + (o.page + 1) + ".html" : "index.html") + "#" + encodeURIComponent(o.anchor);
        td.appendChild(a);
        if (o.deprecated) td.appendChild(el("span", " deprecated", "tag deprecated"));
        tr.appendChild(td);
      });
    });
    var wrap = el("div", null, "table-scroll");
    wrap.appendChild(table);
    resultEl.appendChild(wrap);
    if (rows.length > 400) resultEl.appendChild(el("p", "Showing the first 400 rows.", "muted"));
  }

  /* Settles once every connector's name is known: at once, or when list.json has loaded. A
     name submitted before then waits for it rather than being called unknown. */
  var ready;

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value;
    ready.then(function () {
      var slug = find(text);
      if (!slug) { statusEl.textContent = "No connector called “" + text + "”. Pick one from the list."; return; }
      if (chosen.indexOf(slug) < 0 && chosen.length < MAX) chosen.push(slug);
      if (input.value === text) input.value = "";
      suggest();
      update();
    }, function () { /* failed() has said why */ });
  });
  if (optionsUrl) input.addEventListener("input", suggest);
  input.addEventListener("change", function () {
    if (options[input.value.trim()]) form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
  });

  function start() {
    chosen = fromUrl();
    update();
  }

  if (optionsUrl) {
    statusEl.textContent = "Loading the list of connectors…";
    ready = getJson(optionsUrl).then(function (items) {
      items.forEach(function (c) { options[c.slug] = { slug: c.slug, title: c.title, docs: +c.docs || 0 }; });
      entries = items;
      suggest();
      start();
    }, function (err) { failed("the list of connectors", err); throw err; });
  } else {
    ready = Promise.resolve();
    start();
  }
})();
