#!/bin/sh
# Runs every fuzz target one after another, SECONDS each (default 480), one job, on the
# nightly toolchain; logs go to fuzz/logs/<target>.log (uncommitted). Usage: fuzz/run.sh [SECONDS]
set -u
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-480}
mkdir -p "$here/logs"
[ -d "$here/corpus" ] || "$here/seed.sh"
cd "$here"
for t in lenient schema convert markdown; do
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=262144 \
    -rss_limit_mb=3072 -timeout=20 -print_final_stats=1 > "logs/$t.log" 2>&1
  echo "$t: exit $? $(grep -E '^stat::number_of_executed_units' "logs/$t.log")"
done
