#!/usr/bin/env bash
# Load test of `switchyard serve` on 127.0.0.1, from a second process (the `serve_load`
# example: threads of sequential clients, a fresh connection per request), against the
# site of a whole repository (default: ../shared/corpus). A fixed number of requests and
# clients: pages, then /api/search; prints throughput, p50/p99 latency and errors (the
# script fails when there is any error). Then edits one connector of a copy of the source
# and times save → reload event (what an open page waits for) and the server's re-render.
#
#   bench/serve-load.sh [SOURCE]   env: REQUESTS (20000), CLIENTS (16), EDITS (10),
#                                  SWITCHYARD_BIN (default: the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCE=$(realpath "${1:-../shared/corpus}")
REQUESTS=${REQUESTS:-20000}
CLIENTS=${CLIENTS:-16}
THREADS=2
EDITS=${EDITS:-10}
TARGET=${CARGO_TARGET_DIR:-target}
BIN=${SWITCHYARD_BIN:-$TARGET/release/switchyard}

if [ -z "${SWITCHYARD_BIN:-}" ]; then cargo build --release --quiet --bin switchyard; fi
cargo build --release --quiet --example serve_load
BIN=$(realpath "$BIN")
LOAD=$(realpath "$TARGET/release/examples/serve_load")

WORK=$(mktemp -d)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "copying $SOURCE (the edits go to the copy)"
cp -r "$SOURCE" "$WORK/source"
: > "$WORK/site.toml"
TMPDIR="$WORK" "$BIN" serve --config "$WORK/site.toml" --source "$WORK/source" --port 0 \
  --no-history > "$WORK/out" 2> "$WORK/err" &
PID=$!
for _ in $(seq 1 600); do
  grep -q '^site: ' "$WORK/out" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/err" >&2; exit 1; }
  sleep 0.1
done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/out" | head -1)
PORT=${URL##*:}
SITE=$(sed -n 's/^site: //p' "$WORK/out")
head -1 "$WORK/out"
echo "serving at $URL"

# The page list: home, lists and the first 200 connector pages of the catalog.
python3 - "$SITE/catalog.json" > "$WORK/pages.txt" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
print("/"); print("/connectors/"); print("/categories/"); print("/static/style.css")
for x in c["connectors"][:200]:
    print("/" + x["url"])
PY
cat > "$WORK/queries.txt" <<'Q'
/api/search?q=send+a+text+message
/api/search?q=sign+a+pdf
/api/search?q=when+a+form+is+submitted
/api/search?q=translate+text
/api/search?q=create+a+calendar+event&limit=5
/api/search?q=upload+a+file
/api/search?q=send+an+email
/api/search?q=weather+forecast
/api/search?q=convert+currency
/api/search?q=create+an+invoice
/api/search?q=sms
/api/search?q=e-signature
/api/search?q=post+to+slack
/api/search?q=scan+a+barcode
/api/search?q=geocode+an+address
/api/search?q=when+a+new+row+is+added
Q

run() { # name, path list, clients
  "$LOAD" "$PORT" "$2" "$REQUESTS" "$3" "$1" || echo 1 >> "$WORK/errors"
}
run pages "$WORK/pages.txt" "$CLIENTS"
run search "$WORK/queries.txt" "$CLIENTS"
# Latency of one client alone (no queueing behind others), for the 10 ms search target.
REQUESTS=$(( REQUESTS / 10 )) run "search, one client" "$WORK/queries.txt" 1

# Edit → reload: one connector's definition, EDITS times, one second apart.
python3 - "$URL" "$WORK/source" "$EDITS" <<'PY'
import glob, os, socket, sys, time
url, source, edits = sys.argv[1], sys.argv[2], int(sys.argv[3])
port = int(url.rsplit(":", 1)[1])
defs = sorted(glob.glob(os.path.join(source, "certified-connectors", "*", "apiDefinition.swagger.json")))
path = defs[len(defs) // 2]
original = open(path, encoding="utf-8").read()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /__switchyard/events HTTP/1.1\r\nHost: x\r\n\r\n")
s.settimeout(10)
buf = b""
def wait(token):
    global buf
    while token not in buf:
        buf += s.recv(65536)
    buf = buf[buf.index(token) + len(token):]
wait(b"event: problems")
times = []
for n in range(edits):
    time.sleep(1)
    t0 = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        f.write(original.replace('"description": "', '"description": "EDIT%d ' % n, 1))
    wait(b"event: reload")
    times.append((time.perf_counter() - t0) * 1000)
open(path, "w", encoding="utf-8").write(original)
times.sort()
print("edit -> reload event (%s, %d edits): median %.1f ms, max %.1f ms" % (
    os.path.basename(os.path.dirname(path)), edits, times[len(times) // 2], times[-1]))
PY
sleep 0.5
grep -o 're-rendered in [0-9.]* ms' "$WORK/err" | awk '{print $3}' | sort -n |
  awk '{a[NR]=$1} END {if (NR) printf "server re-render (parse + render + write): median %.1f ms, max %.1f ms\n", a[int((NR+1)/2)], a[NR]}'

errors=$(awk '{s+=$1} END {print s+0}' "$WORK/errors" 2>/dev/null || echo 0)
[ "$errors" -eq 0 ] || { echo "FAIL: $errors errors under load" >&2; exit 1; }
