"""Prints the table of bench/scale.sh: per scale and `--memory` mode, build time (wall, and
the user and system CPU time apart), peak memory, the largest page, stages, and the growth
against the smallest scale built the same way and against the scale before (1.0 per 1× of
scale means linear). A slow minute of the disk can make one scale's wall time an outlier,
hence the growth against the scale before too, and user time, which the disk barely moves.

python3 bench/scale_table.py WORK OUT.json "MODE..." SCALE...
"""

import json
import os
import re
import sys
import time

sys.dont_write_bytecode = True
from summarise import machine, read, run  # noqa: E402


def figures(work, name):
    r = run(os.path.join(work, name))
    with open(os.path.join(work, f"{name}.site")) as f:
        r["site_mb"] = int(f.read()) / 1e6
    log = read(os.path.join(work, f"{name}.log"))
    built = re.search(r"Built (\d+) connectors", log)
    r["connectors"] = int(built.group(1)) if built else 0
    largest = re.search(r"largest page (\S+) \((\d+) KB\)", log)
    r["largest_page"] = largest.group(1) if largest else ""
    r["largest_page_kb"] = int(largest.group(2)) if largest else 0
    return r


def main(work, out, modes, scales):
    table = {}
    print("\nmemory  scale  connectors  wall s  per-1x  prev  user s  per-1x  prev  sys s"
          "  peak MB  per-1x  site MB  largest page KB  stages ms")
    for mode in modes.split():
        rows = [(int(k), figures(work, f"scale.{k}.{mode}")) for k in scales]
        base_k, base = rows[0]
        prev_k, prev = rows[0]
        for k, r in rows:
            stages = " ".join(f"{n} {v:.0f}" for n, v in r["stages_ms"].items())
            print(f"{mode:>6}  {k:>4}x  {r['connectors']:10}"
                  f"  {r['wall_s']:6.1f}  {growth(r, base, 'wall_s', k / base_k):6.2f}"
                  f"  {growth(r, prev, 'wall_s', k / prev_k):4.2f}"
                  f"  {r['user_s']:6.1f}  {growth(r, base, 'user_s', k / base_k):6.2f}"
                  f"  {growth(r, prev, 'user_s', k / prev_k):4.2f}  {r['system_s']:5.1f}"
                  f"  {r['peak_rss_mb']:7.0f}  {growth(r, base, 'peak_rss_mb', k / base_k):6.2f}"
                  f"  {r['site_mb']:7.0f}  {r['largest_page_kb']:15}  {stages}")
            table[f"{k}x {mode}"] = r
            prev_k, prev = k, r
    print("(per-1x: growth against the smallest scale divided by the scale ratio; prev: the same"
          " against the scale before; 1.00 = linear, below = sublinear. User time is the build's"
          " own work; system time is mostly the disk: reading the source, writing the site)")
    with open(out, "w") as f:
        source = "plain directories, no history" if os.environ.get("PLAIN") == "1" else "git"
        json.dump({"date": machine_date(), "machine": machine(), "source": source,
                   "scales": table}, f, indent=2)
    print(f"figures written to {out}")


def growth(r, against, key, ratio):
    """How `key` grew from `against` to `r`, per unit of scale (1.0 on the first row)."""
    return r[key] / against[key] / ratio if ratio > 1 else 1.0


def machine_date():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
