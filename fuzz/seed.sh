#!/bin/sh
# Fills fuzz/corpus/<target>/ (never committed) with the seeds of fuzz/seeds/ and, when the
# shared corpus is beside the project, a sample of its real files. Usage: fuzz/seed.sh [COUNT]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../../shared/corpus"
count=${1:-200}
for t in lenient schema convert markdown trees; do
  mkdir -p "$here/corpus/$t"
  cp "$here/seeds/$t/"* "$here/corpus/$t/"
done
[ -d "$shared" ] || { echo "no $shared: only the committed seeds"; exit 0; }
# Definitions and properties for the JSON targets; readmes for the renderer. The sample is
# the first COUNT files in name order (deterministic), plus every file that is not strict JSON.
find "$shared" -name 'apiDefinition.swagger.json' | sort | head -n "$count" > "$here/corpus/.defs"
n=0
while read -r f; do
  n=$((n + 1))
  cp "$f" "$here/corpus/lenient/def-$n.json"
  cp "$f" "$here/corpus/schema/def-$n.json"
  props="$(dirname "$f")/apiProperties.json"
  { cat "$f"; printf '\0'; [ -f "$props" ] && cat "$props"; } > "$here/corpus/convert/conn-$n.bin"
done < "$here/corpus/.defs"
find "$shared" -iname 'readme.md' | sort | head -n "$count" | {
  n=0
  while read -r f; do n=$((n + 1)); cp "$f" "$here/corpus/markdown/readme-$n.md"; done
}
find "$shared" -iname '*.json' | sort | while read -r f; do
  python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$f" 2>/dev/null \
    || cp "$f" "$here/corpus/lenient/broken-$(basename "$(dirname "$f")" | tr -c 'A-Za-z0-9' _).json"
done
rm -f "$here/corpus/.defs"
echo "seeded: $(for t in lenient schema convert markdown trees; do printf '%s=%s ' $t "$(ls "$here/corpus/$t" | wc -l)"; done)"
