"""Summarises the raw measurements bench/run.sh leaves in its work folder: prints the figures
and a verdict per SPEC §7 target, and writes them as JSON.

python3 bench/summarise.py WORK OUT.json CORPUS COMMIT
"""

import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

STAGE = re.compile(r"^ +([a-z+]+) +([0-9.]+) ms")
RENDER = re.compile(r"^  (\d+) pages, ([0-9.]+) MB of HTML; connector pages: median (\d+) KB, "
                    r"largest page (\S+) \((\d+) KB\)")
KB, MB = 1024, 1024 * 1024


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def wall_seconds(text):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    parts = [float(p) for p in m.group(1).split(":")]
    return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))


def run(prefix):
    """One timed build: wall time, peak RSS, stage timings, render stats."""
    t, log = read(prefix + ".time"), read(prefix + ".log")
    stages = {}
    render = None
    for line in log.splitlines():
        if m := STAGE.match(line):
            stages[m.group(1)] = float(m.group(2))
        elif m := RENDER.match(line):
            render = {"pages": int(m.group(1)), "html_mb": float(m.group(2)),
                      "median_connector_kb": int(m.group(3)), "largest": m.group(4),
                      "largest_kb": int(m.group(5))}
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
    user, system = (float(re.search(rf"{k} time \(seconds\): ([0-9.]+)", t).group(1))
                    for k in ("User", "System"))
    return {"wall_s": wall_seconds(t), "cpu_s": user + system, "user_s": user, "system_s": system,
            "peak_rss_mb": rss / 1024, "stages_ms": stages, "render": render}


def medians(runs):
    names = list(runs[0]["stages_ms"])
    return {n: statistics.median(r["stages_ms"].get(n, 0.0) for r in runs) for n in names}


def hyperfine(path):
    out = {}
    for r in json.loads(read(path))["results"]:
        out[r["command"]] = {k: r[k] * 1000 for k in ("median", "min", "max", "mean")}
    return out


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in read("/proc/cpuinfo").splitlines()
                if l.startswith("model name")), platform.processor())
    mem = int(re.search(r"MemTotal:\s+(\d+)", read("/proc/meminfo")).group(1))
    return {"cores": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / MB, 1),
            "load_average": os.getloadavg(), "kernel": platform.release()}


def sizes(path):
    return sorted(int(x) for x in read(path).split())


def main(work, out, corpus, commit):
    cold = run(os.path.join(work, "cold"))
    warm_runs = [run(p[:-5]) for p in sorted(glob.glob(os.path.join(work, "stages.*.time")))]
    warm = hyperfine(os.path.join(work, "warm.json"))
    history_runs = [run(p[:-5]) for p in sorted(glob.glob(os.path.join(work, "history.*.time")))]
    pages = sizes(os.path.join(work, "connector-pages"))
    all_pages = sizes(os.path.join(work, "all-pages"))
    queries = {}
    for limit in (20, 6):
        for line in read(os.path.join(work, f"query{limit}.jsonl")).splitlines():
            q = json.loads(line)
            queries.setdefault(q["query"], {})[f"limit_{limit}"] = {
                "gzip": q["gzip"], "bytes": q["bytes"], "hits": q["hits"],
                "files": [f["file"] for f in q["files"]]}
    r = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": commit, "corpus": corpus, "machine": machine(),
        "cold": cold,
        "warm_ms": warm["build"], "plain_parse_ms": warm["plain-parse"],
        "ratio_to_parse": warm["build"]["median"] / warm["plain-parse"]["median"],
        "warm_stage_medians_ms": medians(warm_runs),
        "warm_peak_rss_mb": max(x["peak_rss_mb"] for x in warm_runs),
        "warm_runs": warm_runs,
        "render": warm_runs[-1]["render"],
        "search_ms": hyperfine(os.path.join(work, "search.json")),
        "query_download": queries,
        "connector_pages": {"count": len(pages), "total_bytes": sum(pages),
                            "median_bytes": statistics.median(pages), "max_bytes": pages[-1],
                            "over_2mb": sum(p > 2 * MB for p in pages)},
        "html_pages": {"count": len(all_pages), "total_bytes": sum(all_pages)},
        "site_bytes": int(read(os.path.join(work, "site-bytes"))),
        "serve": read(os.path.join(work, "serve.txt")).strip(),
    }
    if history_runs:
        r["history"] = {
            "commits": int(read(os.path.join(work, "history.commits"))),
            "stage_ms_median": statistics.median(x["stages_ms"].get("history", 0) for x in history_runs),
            "stage_ms_all": [x["stages_ms"].get("history") for x in history_runs],
            "full_build_from_git_s_median": statistics.median(x["wall_s"] for x in history_runs),
            "peak_rss_mb": max(x["peak_rss_mb"] for x in history_runs)}
    with open(out, "w") as f:
        json.dump(r, f, indent=2)
    report(r)
    print(f"\nfigures written to {out}")


def report(r):
    m = r["machine"]
    print(f"\n=== switchyard benchmark {r['date']} commit {r['commit']}")
    print(f"machine: {m['cores']} cores, {m['cpu']}, {m['ram_gib']} GiB; load average "
          + " ".join(f"{x:.2f}" for x in m["load_average"]))
    c, w, p = r["cold"], r["warm_ms"], r["plain_parse_ms"]
    print(f"cold build:  {c['wall_s']:.2f} s wall, {c['cpu_s']:.2f} s CPU (user+sys), "
          f"peak RSS {c['peak_rss_mb']:.0f} MB")
    print("warm CPU (user+sys, median): "
          f"{statistics.median(x['cpu_s'] for x in r['warm_runs']):.2f} s")
    print(f"warm build:  median {w['median']:.0f} ms (min {w['min']:.0f}, max {w['max']:.0f})")
    print(f"plain parse: median {p['median']:.0f} ms (min {p['min']:.0f}, max {p['max']:.0f})")
    print(f"ratio build/parse: {r['ratio_to_parse']:.1f}x")
    print("stages (cold | warm median, ms): " + ", ".join(
        f"{k} {c['stages_ms'].get(k, 0):.0f} | {v:.0f}" for k, v in r["warm_stage_medians_ms"].items()))
    print(f"peak RSS over warm runs: {r['warm_peak_rss_mb']:.0f} MB")
    h = r.get("history")
    if h:
        print(f"history ({h['commits']} commits): stage median {h['stage_ms_median']:.0f} ms "
              f"(runs {', '.join(f'{x:.0f}' for x in h['stage_ms_all'])}); full build from git "
              f"{h['full_build_from_git_s_median']:.2f} s, peak RSS {h['peak_rss_mb']:.0f} MB")
    else:
        print("history: skipped (no mirror)")
    for q, s in r["search_ms"].items():
        print(f"search '{q}': median {s['median']:.1f} ms (min {s['min']:.1f}, max {s['max']:.1f})")
    for q, s in r["query_download"].items():
        a, b = s["limit_20"], s["limit_6"]
        print(f"browser download '{q}': {a['gzip'] / KB:.1f} KB gzip for the results page "
              f"({len(a['files'])} files), {b['gzip'] / KB:.1f} KB for type-ahead")
    pg = r["connector_pages"]
    print(f"connector pages: {pg['count']}, total {pg['total_bytes'] / MB:.1f} MB, median "
          f"{pg['median_bytes'] / KB:.0f} KB, largest {pg['max_bytes'] / KB:.0f} KB, "
          f"{pg['over_2mb']} over 2 MB; all HTML {r['html_pages']['total_bytes'] / MB:.1f} MB; "
          f"site {r['site_bytes'] / MB:.0f} MB")
    print(r["serve"] if "\n" not in r["serve"] else "serve: see bench/serve-load.sh above")
    verdicts(r)


def verdicts(r):
    worst_query = max(s["limit_20"]["gzip"] for s in r["query_download"].values())
    slowest_search = max(s["median"] for s in r["search_ms"].values())
    h = r.get("history")
    rows = [
        ("full site <= 1 s cold", r["cold"]["wall_s"] <= 1.0, f"{r['cold']['wall_s']:.2f} s cold, "
         f"{r['warm_ms']['median'] / 1000:.2f} s warm"),
        ("<= 5x parsing floor", r["ratio_to_parse"] <= 5, f"{r['ratio_to_parse']:.1f}x"),
        ("peak memory < 1 GiB", max(r["cold"]["peak_rss_mb"], r["warm_peak_rss_mb"]) < 1024,
         f"{max(r['cold']['peak_rss_mb'], r['warm_peak_rss_mb']):.0f} MB"),
        ("history < 2 s", None if h is None else h["stage_ms_median"] < 2000,
         f"{h['stage_ms_median'] / 1000:.2f} s" if h else "not measured"),
        ("median connector page < 100 KB", r["connector_pages"]["median_bytes"] < 100 * KB,
         f"{r['connector_pages']['median_bytes'] / KB:.0f} KB"),
        ("no page over 2 MB", r["connector_pages"]["over_2mb"] == 0,
         f"largest {r['connector_pages']['max_bytes'] / KB:.0f} KB"),
        ("browser query < 100 KB", worst_query < 100 * KB, f"worst {worst_query / KB:.1f} KB gzip"),
        ("search process (CLI, cold start)", None, f"slowest median {slowest_search:.1f} ms"),
    ]
    print("\nSPEC §7 targets:")
    for name, ok, figure in rows:
        mark = "info" if ok is None else ("MET" if ok else "MISSED")
        print(f"  {mark:<6} {name}: {figure}")
    print("  (serve re-render < 100 ms and serve query < 10 ms: see serve above)")


if __name__ == "__main__":
    main(*sys.argv[1:5])
