"""Prints the table of bench/scale.sh: per scale, build time, peak memory, the largest page,
stages, and the growth against the smallest scale (1.0 per 1× of scale means linear).

python3 bench/scale_table.py WORK OUT.json SCALE...
"""

import json
import os
import re
import sys
import time

sys.dont_write_bytecode = True
from summarise import machine, read, run  # noqa: E402


def main(work, out, scales):
    rows = []
    for k in scales:
        r = run(os.path.join(work, f"scale.{k}"))
        with open(os.path.join(work, f"scale.{k}.site")) as f:
            r["site_mb"] = int(f.read()) / 1e6
        log = read(os.path.join(work, f"scale.{k}.log"))
        built = re.search(r"Built (\d+) connectors", log)
        r["connectors"] = int(built.group(1)) if built else 0
        largest = re.search(r"largest page (\S+) \((\d+) KB\)", log)
        r["largest_page"] = largest.group(1) if largest else ""
        r["largest_page_kb"] = int(largest.group(2)) if largest else 0
        rows.append((int(k), r))
    base_k, base = rows[0]
    print("\nscale  connectors  wall s  per-1x  peak MB  per-1x  site MB  largest page KB  stages ms")
    for k, r in rows:
        grow = k / base_k
        stages = " ".join(f"{n} {v:.0f}" for n, v in r["stages_ms"].items())
        print(f"{k:>4}x  {r['connectors']:10}  {r['wall_s']:6.1f}  {r['wall_s'] / base['wall_s'] / grow:6.2f}"
              f"  {r['peak_rss_mb']:7.0f}  {r['peak_rss_mb'] / base['peak_rss_mb'] / grow:6.2f}"
              f"  {r['site_mb']:7.0f}  {r['largest_page_kb']:15}  {stages}")
    print("(per-1x: growth divided by the scale ratio; 1.00 = linear, below = sublinear)")
    with open(out, "w") as f:
        json.dump({"date": machine_date(), "machine": machine(),
                   "scales": {str(k): r for k, r in rows}}, f, indent=2)
    print(f"figures written to {out}")


def machine_date():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
