// Bytes a browser downloads for a first query on a built site (SPEC §7: under 100 KB).
//
// Runs the site's own static/search.js under Node with `fetch` answered from the folder and
// records every file it asks for: meta.json, the term shards, the postings of the terms the
// query uses, the detail chunks of the hits shown, and search.js itself. Sizes are gzip -6,
// as a server compresses them.
//
// node bench/query_bytes.js SITE LIMIT QUERY...   (one JSON line per query)
"use strict";
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const [site, limitArg, ...queries] = process.argv.slice(2);
if (!site || !limitArg || !queries.length) {
  console.error("usage: node bench/query_bytes.js SITE LIMIT QUERY...");
  process.exit(2);
}
const limit = Number(limitArg);
const ORIGIN = "http://site.invalid/";
let fetched = new Set();
global.location = { href: ORIGIN + "index.html" };
global.document = { currentScript: { src: ORIGIN + "static/search.js" }, readyState: "loading", addEventListener() {} };
global.window = {};
global.fetch = (url) => {
  const rel = url.slice(ORIGIN.length), file = path.join(site, rel);
  fetched.add(rel);
  if (!fs.existsSync(file)) return Promise.resolve({ ok: false, status: 404 });
  return Promise.resolve({ ok: true, json: () => Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8"))) });
};
eval(fs.readFileSync(path.join(site, "static/search.js"), "utf8"));

(async () => {
  for (const query of queries) {
    fetched = new Set(["static/search.js"]);
    const hits = await window.switchyardSearch(query, limit);
    const files = [...fetched].sort().map((rel) => {
      const bytes = fs.readFileSync(path.join(site, rel));
      return { file: rel, bytes: bytes.length, gzip: zlib.gzipSync(bytes, { level: 6 }).length };
    });
    const sum = (k) => files.reduce((n, f) => n + f[k], 0);
    console.log(JSON.stringify({ query, limit, hits: hits.length, bytes: sum("bytes"), gzip: sum("gzip"), files }));
  }
})().catch((e) => { console.error(e); process.exit(1); });
