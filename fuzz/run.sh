#!/bin/sh
# Runs every fuzz target one after another, SECONDS each (default 480), one job, on the
# nightly toolchain; logs go to fuzz/logs/<target>.log (uncommitted).
# Usage: [TARGETS="schema convert"] fuzz/run.sh [SECONDS]
set -u
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-480}
mkdir -p "$here/logs"
[ -d "$here/corpus" ] || "$here/seed.sh"
cd "$here"
# One build of every target, then the binaries themselves: `cargo fuzz run` builds with other
# flags than `cargo fuzz build` and recompiles the whole crate twice per target.
cargo +nightly fuzz build -O
bin="${CARGO_TARGET_DIR:-$here/target}/x86_64-unknown-linux-gnu/release"
for t in ${TARGETS:-lenient schema convert markdown trees}; do
  mkdir -p "artifacts/$t"
  "$bin/$t" "corpus/$t" -max_total_time="$secs" -max_len=262144 -rss_limit_mb=3072 \
    -timeout=20 -print_final_stats=1 -artifact_prefix="artifacts/$t/" > "logs/$t.log" 2>&1
  echo "$t: exit $? $(grep -E '^stat::number_of_executed_units' "logs/$t.log")"
done
