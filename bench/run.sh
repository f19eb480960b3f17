#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmarks of `cymetrics run`, end to end from CSV in to CSV out, and of the in-memory
# pipeline. Usage: bench/run.sh [BUILD_DIR] (default build). Results go to stdout; copy them
# into docs/performance.md with the machine they were measured on.
set -eu
# what the cymetrics CLI sets for itself (src/cli/main.c); the benchmark programs need it too
OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
export OMP_WAIT_POLICY
BUILD=${1:-build}
CYM=$BUILD/cymetrics
GEN=$BUILD/cym-gen
WORK=$BUILD/bench
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK"

# best wall time of N runs, and the peak memory of the last one
time_run() { # name runs args...
    name=$1; runs=$2; shift 2
    best=""
    i=0
    while [ "$i" -lt "$runs" ]; do
        /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || {
            cat "$WORK/stderr.txt" >&2; exit 1; }
        t=$(cut -d' ' -f1 "$WORK/time.txt"); mem=$(cut -d' ' -f2 "$WORK/time.txt")
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
        i=$((i + 1))
    done
    printf '%-44s %8.3f s %8d KiB\n' "$name" "$best" "$mem"
}

[ -d "$WORK/asem" ] || "$CYM" import-coinr "$ROOT/tests/data/asem/iData.csv" \
    "$ROOT/tests/data/asem/iMeta.csv" --out "$WORK/asem" >/dev/null
[ -d "$WORK/syn-200x100x20" ] || "$GEN" "$WORK/syn-200x100x20" 200 100 20
[ -d "$WORK/syn-2000x500x20" ] || "$GEN" "$WORK/syn-2000x500x20" 2000 500 20

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
echo "wall time is the best of the runs; memory is the peak resident set"
# charts have their own benchmark (docs/performance.md, Charts): --charts none here; the
# summary tables and the report too (docs/performance.md, Report): --tables none --report off
time_run "run: ASEM 51 x 49 x 1 (COINr example)" 20 "$CYM" run "$WORK/asem" --out "$WORK/out-asem" --charts none --tables none --report off
time_run "run: 200 x 100 x 20" 5 "$CYM" run "$WORK/syn-200x100x20" --out "$WORK/out-200" --charts none --tables none --report off
time_run "run: 2,000 x 500 x 20 (20 million cells)" 1 "$CYM" run "$WORK/syn-2000x500x20" --out "$WORK/out-2000" --charts none --tables none --report off
if [ -x "$BUILD/cym-bench-pipeline" ]; then
    "$BUILD/cym-bench-pipeline" "$WORK/asem" 2000
fi
if [ -x "$BUILD/cym-bench-trends" ]; then
    "$BUILD/cym-bench-trends" "$WORK/syn-2000x500x20"
fi
if [ -x "$BUILD/cym-bench-format" ]; then
    "$BUILD/cym-bench-format"
fi
