/* switchyard: stackable facets for the connector list. Rows carry their facts in data-*
   attributes; the state lives in the URL (?tier=certified&category=AI&sort=actions), so a
   filtered view can be shared. Without JavaScript the full list shows. */
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

  var rows = Array.prototype.map.call(tbody.rows, function (tr) {
    var d = tr.dataset;
    var pub = tr.cells[2] ? tr.cells[2].textContent.toLowerCase() : "";
    return {
      el: tr, title: d.title || "", publisherName: pub,
      tier: [d.tier], category: list(d.category, "|"), auth: list(d.auth, " "),
      publisher: list(d.publisher, " "),
      triggers: d.triggers === "1", copilot: d.copilot === "1", code: d.code === "1",
      deprecated: d.deprecated === "1",
      actions: +d.actions || 0, triggerCount: +d.triggerCount || 0, docs: +d.docs || 0,
      added: d.added || "", updated: d.updated || "",
      age: d.updated && !isNaN(now) ? (now - Date.parse(d.updated)) / 86400000 : Infinity
    };
  });

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

  function tally(s) {
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

  var currentSort = null;
  function sortRows(key) {
    if (key === currentSort) return;
    currentSort = key;
    var by = SORTS[key] || SORTS.title;
    var sorted = rows.slice().sort(function (a, b) {
      return by(a, b) || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0);
    });
    var frag = document.createDocumentFragment();
    sorted.forEach(function (r) { frag.appendChild(r.el); });
    tbody.appendChild(frag);
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

  function apply(s, updateUrl) {
    var shown = 0;
    rows.forEach(function (r) {
      var ok = matches(r, s, null);
      r.el.hidden = !ok;
      if (ok) shown++;
    });
    sortRows(s.sort);
    showCounts(tally(s));
    if (countEl) countEl.textContent = shown === rows.length ? rows.length + " connectors" : shown + " of " + rows.length + " connectors";
    if (noResults) noResults.hidden = shown > 0;
    if (updateUrl) writeUrl(s);
  }

  form.hidden = false;
  if (sortBox) sortBox.hidden = false;
  var initial = readUrl();
  var panel = document.getElementById("facet-panel");
  var active = initial.changed || KEYS.some(function (k) { return FLAGS.indexOf(k) >= 0 ? initial[k] : initial[k].length; });
  if (panel && !active && window.matchMedia && window.matchMedia("(max-width: 860px)").matches) panel.open = false;
  writeForm(initial);
  apply(initial, false);
  form.addEventListener("change", function () { apply(readForm(), true); });
  if (sortSelect) sortSelect.addEventListener("change", function () { apply(readForm(), true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(readForm(), true); }, 0); });
  window.addEventListener("popstate", function () { var s = readUrl(); writeForm(s); apply(s, false); });
})();
