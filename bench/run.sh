#!/usr/bin/env bash
# The benchmark of SPEC §7 in one command: builds the release binary, then measures on the
# full corpus the cold and warm build (with stage medians and peak memory), the plain
# serde_json parse of the same files (the parsing floor) and the ratio, history over the
# large upstream repository, search latency from a cold process start, the bytes a browser
# downloads for a first query, and page sizes. Prints a summary and writes the figures as
# JSON to bench/results/<date>.json.
#
#   bench/run.sh
#
# Environment: CORPUS (default ../shared/corpus), MIRROR (a bare clone of
# microsoft/PowerPlatformConnectors; default /work/.mirror/microsoft+PowerPlatformConnectors/repo),
# RUNS (warm runs, default 5), HISTORY_RUNS (default 3), CARGO_TARGET_DIR.
#
# "Cold" here means: a fresh output folder and the first run of a freshly built binary. The
# OS page cache is not dropped (that needs root), so the corpus is usually in memory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$here/lib.sh"
need hyperfine "apt-get install -y hyperfine (or: cargo install hyperfine)"
need /usr/bin/time "apt-get install -y time"
need python3 "apt-get install -y python3"
need gzip "apt-get install -y gzip"
need node "apt-get install -y nodejs"

CORPUS=${CORPUS:-$root/../shared/corpus}
MIRROR=${MIRROR:-/work/.mirror/microsoft+PowerPlatformConnectors/repo}
RUNS=${RUNS:-5}
HISTORY_RUNS=${HISTORY_RUNS:-3}
QUERIES=("send a text message" "sign a pdf" "create a calendar event" "translate text")
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (set CORPUS)" >&2; exit 1; }

echo "== building release binaries"
(cd "$root" && cargo build --release --quiet --bin switchyard --example plain_parse)
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/release/switchyard
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
site=$work/site

echo "== cold build (fresh output folder, first run after building)"
timed_build "$work/cold" --source "$CORPUS" --out "$site"

echo "== warm build: hyperfine, $RUNS runs, beside the plain serde_json parse"
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$work/warm.json" \
  -n build "$bin build -q --source '$CORPUS' --out '$site'" \
  -n plain-parse "$target/release/examples/plain_parse '$CORPUS'"

echo "== stage medians and peak memory: $RUNS verbose warm builds"
for i in $(seq "$RUNS"); do
  timed_build "$work/stages.$i" --source "$CORPUS" --out "$site"
done

if git --git-dir="$MIRROR" rev-parse -q --verify HEAD >/dev/null 2>&1; then
  echo "== history: full builds from the bare mirror $MIRROR ($HISTORY_RUNS runs)"
  for i in $(seq "$HISTORY_RUNS"); do
    timed_build "$work/history.$i" --source "$MIRROR" --out "$work/mirror-site"
  done
  git --git-dir="$MIRROR" rev-list --count HEAD >"$work/history.commits"
  rm -rf "$work/mirror-site"
else
  echo "== history: skipped (no bare mirror at $MIRROR; set MIRROR)"
fi

echo "== search latency from a cold process start"
search_cmds=()
for q in "${QUERIES[@]}"; do
  search_cmds+=(-n "$q" "$bin search --site '$site' '$q'")
done
hyperfine --style basic -N --warmup 1 --runs 10 --export-json "$work/search.json" "${search_cmds[@]}"

echo "== bytes a browser downloads for a first query"
# The results page shows 20 hits at first, the type-ahead 6.
node "$root/bench/query_bytes.js" "$site" 20 "${QUERIES[@]}" >"$work/query20.jsonl"
node "$root/bench/query_bytes.js" "$site" 6 "${QUERIES[@]}" >"$work/query6.jsonl"

echo "== page sizes"
find "$site/connectors" -mindepth 2 -maxdepth 2 -name index.html -printf '%s\n' >"$work/connector-pages"
find "$site" -name '*.html' -printf '%s\n' >"$work/all-pages"
du -sb "$site" | cut -f1 >"$work/site-bytes"

if [ -x "$here/serve-load.sh" ]; then
  echo "== serve (bench/serve-load.sh)"
  SWITCHYARD_BIN="$bin" "$here/serve-load.sh" "$CORPUS" | tee "$work/serve.txt"
else
  echo "serve: not measured here" | tee "$work/serve.txt"
fi

mkdir -p "$here/results"
out="$here/results/$(date -u +%Y-%m-%dT%H%M%SZ).json"
python3 "$here/summarise.py" "$work" "$out" "$CORPUS" "$(cd "$root" && git rev-parse --short HEAD)"
