/* switchyard search: the same analysis, expansion, scoring and roll-up as the command line
   (src/index/analysis.rs and src/index/query.rs), over the shards in search/. Fetches only
   the shards of a query's words, then the detail chunks of the results shown. Inserts text
   with textContent only. */
(function () {
  "use strict";
  var script = document.currentScript;
  var ROOT = new URL("../", script && script.src ? script.src : location.href).href;
  var BASE = ROOT + "search/";
  var LETTER = /[\p{L}\p{N}]/u;
  var MAX_TERM_CHARS = 30;
  var cache = {};
  var metaPromise = null;

  function getJSON(path) {
    if (!cache[path]) {
      cache[path] = fetch(BASE + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  function loadMeta() {
    if (!metaPromise) {
      metaPromise = getJSON("meta.json").then(function (m) {
        m.stop = new Set(m.lexicon.stopwords);
        m.synonymOf = new Map();
        m.lexicon.synonyms.forEach(function (group) {
          group.forEach(function (t) {
            var list = m.synonymOf.get(t) || [];
            group.forEach(function (o) { if (o !== t) list.push(o); });
            m.synonymOf.set(t, list);
          });
        });
        m.shardSet = new Set(m.shards);
        return m;
      });
      metaPromise.catch(function () { metaPromise = null; });
    }
    return metaPromise;
  }

  /* ---- analysis (analysis.rs) ---- */
  function chars(s) { return Array.from(s); }
  function ends(w, suffix) {
    var s = chars(suffix);
    if (w.length < s.length) return false;
    for (var i = 0; i < s.length; i++) if (w[w.length - s.length + i] !== s[i]) return false;
    return true;
  }
  function isAlpha(c) { return /\p{Alphabetic}/u.test(c); }
  function undouble(w) {
    var n = w.length;
    if (n >= 2 && w[n - 1] === w[n - 2] && "lsz".indexOf(w[n - 1]) < 0 && isAlpha(w[n - 1])) w.pop();
  }
  function stem(word) {
    var w = chars(word);
    if (w.length <= 3) return word;
    if (ends(w, "ies") && w.length > 4) { w.length -= 3; w.push("y"); }
    else if (ends(w, "sses")) w.length -= 2;
    else if (ends(w, "s") && !ends(w, "ss") && !ends(w, "us") && !ends(w, "is")) w.length -= 1;
    if (ends(w, "ing") && w.length >= 6) { w.length -= 3; undouble(w); }
    else if (ends(w, "ed") && w.length >= 5) { w.length -= 2; undouble(w); }
    if (ends(w, "e") && w.length > 4) w.length -= 1;
    return w.join("");
  }
  function terms(meta, text) {
    var fold = meta.lexicon.fold, out = [], word = "";
    function finish() {
      var n = chars(word).length;
      if (n >= 2 && n <= MAX_TERM_CHARS && !meta.stop.has(word)) out.push(stem(word));
      word = "";
    }
    for (var ch of String(text)) {
      for (var lower of ch.toLowerCase()) {
        if (Object.prototype.hasOwnProperty.call(fold, lower)) word += fold[lower];
        else if (LETTER.test(lower)) word += lower;
        else finish();
      }
    }
    finish();
    return out;
  }
  function queryTerms(meta, text) {
    var seen = new Set();
    return terms(meta, text).filter(function (t) {
      if (seen.has(t)) return false;
      seen.add(t);
      return true;
    });
  }

  /* ---- shards (shards.rs) ---- */
  function fileName(text) {
    if (/^[a-z0-9]*$/.test(text)) return text;
    return Array.from(new TextEncoder().encode(text), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }
  function shardKey(term) { return fileName(chars(term).slice(0, 2).join("")); }
  /* A term's postings: inline in its shard entry ([df, flat]) when it is rare, else in
     p/<term>.json, fetched for the terms a query really uses. */
  function postings(entry, term) {
    if (entry.length > 1) return Promise.resolve(entry[1]);
    return getJSON("p/" + fileName(term) + ".json");
  }

  /* ---- expansion (query::expand) ---- */
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function best(cands, n) {
    cands.sort(function (a, b) { return b[1] - a[1] || cmp(a[0], b[0]); });
    return cands.slice(0, n).map(function (c) { return c[0]; });
  }
  function oneEditApart(a, b) {
    a = chars(a); b = chars(b);
    if (a.join("") === b.join("") || Math.abs(a.length - b.length) > 1) return false;
    if (a.length === b.length) {
      var diff = [];
      for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
      if (diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]]) return true;
    }
    var min = Math.min(a.length, b.length), prefix = 0, suffix = 0;
    while (prefix < min && a[prefix] === b[prefix]) prefix++;
    while (suffix < min - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
    return Math.max(a.length, b.length) - prefix - suffix <= 1 && min <= prefix + suffix + 1;
  }
  function neighbourhood(sh, term) {
    var p = chars(term).slice(0, 2).join(""), out = [];
    for (var t in sh) if (t.startsWith(p)) out.push([t, sh[t][0]]);
    return out;
  }
  function expand(meta, qterms, shardsOf) {
    var x = meta.expansion, groups = [];
    function has(t) { var s = shardsOf(t); return Object.prototype.hasOwnProperty.call(s, t); }
    qterms.forEach(function (term, i) {
      var known = has(term), alts = [];
      function pushNew(list, factor) {
        list.forEach(function (t) {
          if (!alts.some(function (a) { return a[0] === t; })) alts.push([t, factor]);
        });
      }
      if (known) alts.push([term, 1.0]);
      (meta.synonymOf.get(term) || []).forEach(function (s) {
        if (has(s) && !alts.some(function (a) { return a[0] === s; })) alts.push([s, x.synonym]);
      });
      var n = chars(term).length, last = i + 1 === qterms.length, sh = shardsOf(term);
      if ((!known || last) && n >= x.min_prefix_chars) {
        pushNew(best(neighbourhood(sh, term).filter(function (c) {
          return c[0].startsWith(term) && c[0] !== term;
        }), x.max_prefix), x.prefix);
      }
      if (!known && n >= x.min_fuzzy_chars) {
        pushNew(best(neighbourhood(sh, term).filter(function (c) {
          return oneEditApart(term, c[0]);
        }), x.max_fuzzy), x.fuzzy);
      }
      if (alts.length) groups.push(alts);
    });
    return groups;
  }

  /* ---- scoring and roll-up (query::roll_up) ---- */
  function score(meta, groups, postingsOf) {
    var scores = new Map(), scale = meta.weight_scale;
    groups.forEach(function (alts) {
      var bestOf = new Map();
      alts.forEach(function (alt) {
        var flat = postingsOf[alt[0]];
        if (!flat) return;
        var doc = 0;
        for (var i = 0; i + 1 < flat.length; i += 2) {
          doc += flat[i];
          var s = (flat[i + 1] / scale) * alt[1], old = bestOf.get(doc);
          if (old === undefined || s > old) bestOf.set(doc, s);
        }
      });
      bestOf.forEach(function (s, doc) { scores.set(doc, (scores.get(doc) || 0) + s); });
    });
    return scores;
  }
  function connectorOf(first, doc) {
    var lo = 0, hi = first.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (first[mid] <= doc) lo = mid + 1; else hi = mid; }
    return Math.max(lo - 1, 0);
  }
  function rollUp(meta, scores) {
    var x = meta.expansion, first = meta.first_doc, by = new Map();
    scores.forEach(function (s, doc) {
      var c = connectorOf(first, doc), e = by.get(c);
      if (!e) { e = { own: 0, ops: [] }; by.set(c, e); }
      if (first[c] === doc) e.own = Math.max(e.own, s);
      else e.ops.push([doc, s]);
    });
    var ranked = [];
    by.forEach(function (e, c) {
      var ops = e.ops.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      function op(i) { return ops[i] ? ops[i][1] : 0; }
      var sc = Math.max(e.own, op(0)) + x.both * Math.min(e.own, op(0)) + x.second * op(1) + x.third * op(2);
      var floor = op(0) * x.action_share;
      ops = ops.filter(function (o) { return o[1] >= floor && o[1] > 0; }).slice(0, x.max_actions);
      ranked.push({ connector: c, score: sc, operations: ops });
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.connector - b.connector; });
    return ranked;
  }

  /* ---- the whole query ---- */
  function rank(query) {
    return loadMeta().then(function (meta) {
      var qterms = queryTerms(meta, query), needed = new Set();
      qterms.forEach(function (t) {
        needed.add(shardKey(t));
        (meta.synonymOf.get(t) || []).forEach(function (s) { needed.add(shardKey(s)); });
      });
      var keys = Array.from(needed);
      return Promise.all(keys.map(function (k) {
        return meta.shardSet.has(k) ? getJSON("t/" + k + ".json") : Promise.resolve({});
      })).then(function (loaded) {
        var byKey = {};
        keys.forEach(function (k, i) { byKey[k] = loaded[i]; });
        function shardsOf(t) { return byKey[shardKey(t)] || {}; }
        var groups = expand(meta, qterms, shardsOf), used = [];
        groups.forEach(function (alts) {
          alts.forEach(function (alt) { if (used.indexOf(alt[0]) < 0) used.push(alt[0]); });
        });
        return Promise.all(used.map(function (t) {
          var entry = shardsOf(t)[t];
          return entry ? postings(entry, t) : Promise.resolve(null);
        })).then(function (lists) {
          var postingsOf = {};
          used.forEach(function (t, i) { if (lists[i]) postingsOf[t] = lists[i]; });
          return { meta: meta, ranked: groups.length ? rollUp(meta, score(meta, groups, postingsOf)) : [] };
        });
      });
    });
  }

  function details(meta, ranked) {
    var need = new Set();
    ranked.forEach(function (r) {
      need.add("c/" + Math.floor(r.connector / meta.connector_chunk) + ".json");
      r.operations.forEach(function (o) { need.add("d/" + Math.floor(o[0] / meta.doc_chunk) + ".json"); });
    });
    var paths = Array.from(need);
    return Promise.all(paths.map(getJSON)).then(function (rows) {
      var got = {};
      paths.forEach(function (p, i) { got[p] = rows[i]; });
      return ranked.map(function (r) {
        var cc = meta.connector_chunk, c = got["c/" + Math.floor(r.connector / cc) + ".json"][r.connector % cc];
        var url = "connectors/" + c[0] + "/";
        return {
          folder: c[4], title: c[1], tier: c[2], slug: c[0],
          score: Math.round(r.score * 1000) / 1000, url: url,
          actions: r.operations.map(function (o) {
            var dc = meta.doc_chunk, d = got["d/" + Math.floor(o[0] / dc) + ".json"][o[0] % dc];
            return { operation_id: d[3], summary: d[2], kind: d[0], url: url + (d[4] ? "operations-" + (d[4] + 1) + ".html" : "") + "#" + d[1] };
          })
        };
      });
    });
  }

  /* The best `limit` hits with their details; `total` on the array says how many ranked. */
  function search(query, limit) {
    return rank(query).then(function (res) {
      return details(res.meta, res.ranked.slice(0, limit || 20)).then(function (hits) {
        hits.total = res.ranked.length;
        return hits;
      });
    });
  }
  window.switchyardSearch = search;

  /* ---- user interface ---- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var TIERS = { certified: "Certified", "independent-publisher": "Independent", custom: "Custom" };
  function badge(tier) {
    return el("span", "badge badge-" + (tier === "independent-publisher" ? "independent" : tier), TIERS[tier] || tier);
  }
  function searchPage(q) {
    return ROOT + "search/index.html" + (q ? "?q=" + encodeURIComponent(q) : "");
  }

  function headerBox() {
    var input = document.getElementById("search-input");
    if (input) return input;
    var inner = document.querySelector(".header-inner");
    if (!inner) return null;
    var form = el("form", "header-search");
    form.id = "search-form";
    form.setAttribute("role", "search");
    form.action = searchPage("");
    form.method = "get";
    input = el("input");
    input.id = "search-input";
    input.name = "q";
    input.type = "search";
    input.placeholder = "Search (/)";
    input.autocomplete = "off";
    input.setAttribute("aria-label", "Search connectors and actions");
    form.appendChild(input);
    inner.insertBefore(form, document.getElementById("theme-toggle"));
    return input;
  }

  function typeAhead(input) {
    var form = input.form, box = el("div", "search-suggest"), timer = 0, active = -1, seq = 0;
    box.id = "search-suggest";
    box.setAttribute("role", "listbox");
    box.hidden = true;
    form.classList.add("has-suggest");
    form.appendChild(box);
    input.setAttribute("aria-controls", box.id);
    input.setAttribute("aria-autocomplete", "list");
    function links() { return Array.prototype.slice.call(box.querySelectorAll("a")); }
    function close() { box.hidden = true; active = -1; }
    function mark(i) {
      var l = links();
      l.forEach(function (a, j) { a.classList.toggle("is-active", j === i); a.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (l[i]) l[i].scrollIntoView({ block: "nearest" });
    }
    function show(hits, q) {
      box.textContent = "";
      if (!hits.length) { box.appendChild(el("p", "suggest-none", "No match for “" + q + "”")); }
      hits.forEach(function (h) {
        var item = el("div", "suggest-item");
        var a = el("a", "suggest-connector");
        a.href = ROOT + h.url;
        a.setAttribute("role", "option");
        a.appendChild(el("span", "suggest-title", h.title));
        a.appendChild(document.createTextNode(" "));
        a.appendChild(badge(h.tier));
        item.appendChild(a);
        h.actions.slice(0, 3).forEach(function (op) {
          var o = el("a", "suggest-action", op.summary || op.operation_id);
          o.href = ROOT + op.url;
          o.setAttribute("role", "option");
          if (op.kind === "trigger") o.appendChild(el("span", "badge badge-trigger", "trigger"));
          item.appendChild(o);
        });
        box.appendChild(item);
      });
      var all = el("a", "suggest-all", "All results for “" + q + "”");
      all.href = searchPage(q);
      all.setAttribute("role", "option");
      box.appendChild(all);
      box.hidden = false;
      active = -1;
    }
    function run() {
      var q = input.value.trim(), mine = ++seq;
      if (!q) { close(); return; }
      search(q, 6).then(function (hits) { if (mine === seq) show(hits, q); }, function () {});
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 90); });
    input.addEventListener("focus", function () { if (input.value.trim() && box.childNodes.length) box.hidden = false; });
    input.addEventListener("keydown", function (e) {
      var l = links();
      if (e.key === "ArrowDown") { e.preventDefault(); if (box.hidden) run(); else mark(Math.min(active + 1, l.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter") {
        e.preventDefault();
        if (active >= 0 && l[active] && !box.hidden) location.href = l[active].href;
        else location.href = searchPage(input.value.trim());
      }
    });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); location.href = searchPage(input.value.trim()); });
  }

  function resultsPage(input) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var facets = document.getElementById("search-facets");
    if (!list || !status) return;
    var params = new URLSearchParams(location.search), q = (params.get("q") || "").trim(), hits = [];
    /* Details come PAGE hits at a time, so a query costs little whatever it matches. */
    var PAGE = 20, wanted = PAGE, more = document.getElementById("search-more");
    if (input) input.value = q;
    if (facets) {
      facets.hidden = false;
      Array.prototype.forEach.call(facets.elements, function (b) {
        if (b.type === "checkbox") b.checked = params.getAll(b.name).indexOf(b.value) >= 0;
      });
      facets.addEventListener("change", function () { update(); render(); });
    }
    function chosen(name) {
      if (!facets) return [];
      return Array.prototype.filter.call(facets.elements, function (b) { return b.name === name && b.checked; })
        .map(function (b) { return b.value; });
    }
    function update() {
      var p = new URLSearchParams();
      if (q) p.set("q", q);
      chosen("tier").forEach(function (v) { p.append("tier", v); });
      chosen("kind").forEach(function (v) { p.append("kind", v); });
      history.replaceState(null, "", "?" + p.toString());
    }
    function render() {
      var tiers = chosen("tier"), kinds = chosen("kind");
      var shown = hits.filter(function (h) {
        return (!tiers.length || tiers.indexOf(h.tier) >= 0) &&
          (!kinds.length || h.actions.some(function (a) { return kinds.indexOf(a.kind) >= 0; }));
      });
      list.textContent = "";
      shown.forEach(function (h) {
        var li = el("li", "search-hit");
        li.setAttribute("data-folder", h.folder);
        li.setAttribute("data-tier", h.tier);
        var head = el("p", "hit-head"), a = el("a", "hit-title", h.title);
        a.href = ROOT + h.url;
        head.appendChild(a);
        head.appendChild(document.createTextNode(" "));
        head.appendChild(badge(h.tier));
        li.appendChild(head);
        var ops = h.actions.filter(function (o) { return !kinds.length || kinds.indexOf(o.kind) >= 0; });
        if (ops.length) {
          var ul = el("ul", "hit-actions");
          ops.forEach(function (o) {
            var item = el("li"), oa = el("a", "", o.summary || o.operation_id);
            oa.href = ROOT + o.url;
            item.setAttribute("data-kind", o.kind);
            item.appendChild(oa);
            item.appendChild(document.createTextNode(" "));
            item.appendChild(el("code", "", o.operation_id));
            if (o.kind === "trigger") { item.appendChild(document.createTextNode(" ")); item.appendChild(el("span", "badge badge-trigger", "trigger")); }
            ul.appendChild(item);
          });
          li.appendChild(ul);
        }
        list.appendChild(li);
      });
      var total = hits.total || hits.length;
      status.textContent = !q ? "Type a few words: what should the connector do?" :
        shown.length === total ? total + " connectors for “" + q + "”" :
          "Showing " + shown.length + " of " + total + " connectors for “" + q + "”";
      if (more) more.hidden = !q || hits.length >= total;
    }
    function load() {
      status.textContent = "Searching…";
      search(q, wanted).then(function (h) { hits = h; render(); }, function (e) {
        status.textContent = "Search is unavailable here (" + e.message + "). Serve the site over HTTP.";
      });
    }
    if (more) more.addEventListener("click", function () { wanted += PAGE; load(); });
    if (!q) { render(); return; }
    load();
  }

  function init() {
    var input = headerBox();
    if (input && input.form) typeAhead(input);
    resultsPage(input);
    document.addEventListener("keydown", function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || !input) return;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
