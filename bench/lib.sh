# Helpers shared by bench/run.sh and bench/scale.sh (sourced; expects $bin).

# need PROGRAM HOW-TO-INSTALL: stop with a hint when a tool is missing.
need() {
  command -v "$1" >/dev/null 2>&1 || { echo "missing $1: $2" >&2; exit 1; }
}

# timed_build PREFIX BUILD-ARGS...: one verbose build under /usr/bin/time -v; the build's
# output goes to PREFIX.log (stage timings, render stats) and the resource use to PREFIX.time.
timed_build() {
  local prefix=$1
  shift
  /usr/bin/time -v -o "$prefix.time" "$bin" build -v "$@" >"$prefix.log" 2>&1 || {
    echo "build failed; see below" >&2
    tail -20 "$prefix.log" >&2
    return 1
  }
  grep -E '^Built ' "$prefix.log" || true
}
