#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Start-up (docs/performance.md, "Start-up"; issue 18): the minimal ASEM run, whole process,
# against a floor program that reads the same inputs and writes the same bytes as one atomic
# set (bench/floor.c, built here with the bytes of a reference run compiled in), and
# `cymetrics --version`; in one script run, so the ratio compares numbers taken under the same
# load. Also the shared libraries each command maps (LD_DEBUG=files: the objects the dynamic
# loader opened, at start and by dlopen).
# Usage: bench/startup.sh [BUILD_DIR [CYMETRICS [RUNS]]]: BUILD_DIR (default build) has
# cym-bench-spawn; CYMETRICS (default BUILD_DIR/cymetrics) is the program measured, e.g. a
# build of another branch; RUNS (default 40): times are the best of the runs, and the median;
# cpu is user + system time. STARTUP_DIR (default BUILD_DIR/bench/startup) is where the
# dataset and the outputs go: a tmpfs (/dev/shm) leaves out the disk's syncfs, which both the
# floor and cymetrics pay.
set -eu
BUILD=${1:-build}
CYM=${2:-$BUILD/cymetrics}
RUNS=${3:-40}
WORK=${STARTUP_DIR:-$BUILD/bench/startup}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CC=${CC:-cc}
mkdir -p "$WORK"
case $CYM in /*) ;; *) CYM=$(pwd)/$CYM ;; esac
[ -d "$WORK/asem" ] || "$CYM" import-coinr "$ROOT/tests/data/asem/iData.csv" \
    "$ROOT/tests/data/asem/iMeta.csv" --out "$WORK/asem" >/dev/null
# the minimal run of bench/run.sh: no charts, no summary tables, no report
set -- run "$WORK/asem" --out "$WORK/out" --charts none --tables none --report off
rm -rf "$WORK/ref"
"$CYM" "$@" >/dev/null 2>&1
mv "$WORK/out" "$WORK/ref"

# the floor: the reference run's files and folders, compiled in
(
    cd "$WORK/ref"
    find . -mindepth 1 -type d | sort | sed 's|^\./||; s|.*|FLOOR_DIR("&")|'
    find . -type f | sort | sed 's|^\./||' | awk -v ref="$(pwd)" \
        '{ printf "FLOOR_FILE(f%d, \"%s\", \"%s/%s\")\n", NR, $0, ref, $0 }'
) >"$WORK/files.h"
$CC -O2 -DFLOOR_FILES='"files.h"' -I "$WORK" "$ROOT/bench/floor.c" -o "$WORK/floor"
INPUTS=$(find "$WORK/asem" -type f | sort)
# shellcheck disable=SC2086 # one argument per input file
"$WORK/floor" "$WORK/floor-out" $INPUTS
diff -r "$WORK/ref" "$WORK/floor-out" >/dev/null || { echo "the floor wrote other files" >&2; exit 1; }

libs() { # command...: the shared objects the process mapped
    LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\) \[0\];  generating link map.*/\1/p' |
        sort -u | wc -l
}
echo "machine: $(nproc) cores, $(uname -m); $RUNS runs each, wall time of the whole process"
echo "program: $CYM"
# shellcheck disable=SC2086
floor=$("$BUILD/cym-bench-spawn" "$RUNS" "$WORK/floor" "$WORK/floor-out" $INPUTS)
# every timed run replaces an earlier set, as every run of the floor does (the best of the runs
# was the first, which had none to check and remove)
"$CYM" "$@" >/dev/null 2>&1
minimal=$("$BUILD/cym-bench-spawn" "$RUNS" "$CYM" "$@")
version=$("$BUILD/cym-bench-spawn" "$RUNS" "$CYM" --version)
printf '%-34s %8s %8s %8s  %s\n' "" "best ms" "median" "best cpu" "libraries"
printf '%-34s %8s %8s %8s  %s\n' "floor (bench/floor.c)" $floor "-"
printf '%-34s %8s %8s %8s  %s\n' "cymetrics --version" $version "$(libs "$CYM" --version)"
printf '%-34s %8s %8s %8s  %s\n' "minimal ASEM run" $minimal "$(libs "$CYM" "$@")"
printf '%-34s %8s %8s %8s  %s\n' "run --charts none (libraries only)" "" "" "" \
    "$(libs "$CYM" run "$WORK/asem" --out "$WORK/out" --charts none)"
printf '%-34s %8s %8s %8s  %s\n' "default run (libraries only)" "" "" "" \
    "$(libs "$CYM" run "$WORK/asem" --out "$WORK/out")"
echo "$floor $minimal" | awk '{ printf "minimal run / floor: %.2f (best wall), %.2f (median wall), %.2f (best cpu); target <= 2.5\n", $4 / $1, $5 / $2, $6 / $3 }'
