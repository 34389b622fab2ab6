#!/usr/bin/env bash
# How build time and peak memory grow with the catalog: generates synthetic repositories
# (examples/synth.rs: SCALE copies of every connector folder and 3,021 × SCALE commits of
# history, as a bare git repository), builds each, prints time, peak memory and stages per
# scale and the growth ratio against the smallest, then deletes what it generated.
#
#   bench/scale.sh
#
# Environment: CORPUS (default ../shared/corpus), SCALES (default "1 5 10"), MEMORY (the
# `build --memory` modes to build each scale with, default "full low": details in memory,
# and spilled to disk, see src/spill.rs), HISTORY
# (default 0: builds with --no-history, since the history stage grows with commits × folders
# and takes about 3 s at 10×; HISTORY=1 includes it), REPACK (default 0; 1 repacks each
# repository without deltas before building it: `git fast-import` leaves blobs in delta
# chains that make reads out of order slow at 10×, which real packs do not, see
# BENCHMARKS.md session 16; about 73 MB of repository per 1×, and 65 s of repacking at 10×),
# PLAIN (default 0; 1 generates each scale as a plain directory with no history, `synth
# --plain`: the only way to reach 50× in minutes, since its history takes hours to generate;
# the build then has no history to read whatever HISTORY says), TMP (default /tmp),
# CARGO_TARGET_DIR. Each 1× step needs about 20 MB of repository (100 MB as a plain
# folder) and 250 MB of site, all kept until the end (1×, 10× and 50× plain: 22 GB); a
# build with `--memory full` holds the whole catalog, about 250 MB of memory per 1× (50×
# needed 14 GB), and `--memory low` about 7.5 MB per 1,000
# connectors (50×: 0.47 GB). Generating the 50× repository with history took 25 minutes on
# one core in session 9 and did not finish in 30 in session 19; with PLAIN=1 it takes 30 s.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$here/lib.sh"
need /usr/bin/time "apt-get install -y time"
need git "apt-get install -y git"
need python3 "apt-get install -y python3"

CORPUS=${CORPUS:-$root/../shared/corpus}
SCALES=${SCALES:-1 5 10}
MEMORY=${MEMORY:-full low}
HISTORY=${HISTORY:-0}
REPACK=${REPACK:-0}
export PLAIN=${PLAIN:-0}
TMP=${TMP:-/tmp}
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (set CORPUS)" >&2; exit 1; }
history_flag=--no-history
[ "$HISTORY" = 1 ] && history_flag=

echo "== building release binaries"
(cd "$root" && cargo build --release --quiet --bin switchyard --example synth)
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/release/switchyard
work=$(mktemp -d "$TMP/switchyard-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
df -h "$TMP" | tail -1

for k in $SCALES; do
  repo=$work/synth$k
  echo "== scale ${k}×: generating"
  plain_flag=
  [ "$PLAIN" = 1 ] && plain_flag=--plain
  # shellcheck disable=SC2086
  /usr/bin/time -f "generated in %e s" "$target/release/examples/synth" \
    --from "$CORPUS" --scale "$k" --out "$repo" $plain_flag
  if [ "$REPACK" = 1 ] && [ "$PLAIN" != 1 ]; then
    /usr/bin/time -f "repacked without deltas in %e s" \
      git --git-dir="$repo" repack -a -d -f -q --window=0
  fi
  for m in $MEMORY; do
    echo "== scale ${k}×: building --memory $m ${history_flag:-with history}"
    # shellcheck disable=SC2086
    site=$work/site.$k.$m
    timed_build "$work/scale.$k.$m" --source "$repo" --out "$site" --memory "$m" $history_flag
    du -sb "$site" | cut -f1 >"$work/scale.$k.$m.site"
  done
done
# Sites and sources are deleted only now, all at once (the trap): on an ext4 without a
# journal (the development machine's), a file created within 1 to 6 minutes of many
# deletions pays for every inode deleted (the kernel's `recently_deleted` skips them one by
# one when it allocates one), which made a build after the previous scale's site was deleted
# spend seconds in the kernel (BENCHMARKS.md, session 22).

mkdir -p "$here/results"
python3 "$here/scale_table.py" "$work" "$here/results/scale-$(date -u +%Y-%m-%dT%H%M%SZ).json" \
  "$MEMORY" $SCALES
