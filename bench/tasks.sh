#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The run's output tasks on small data (docs/performance.md, "Start-up"; issue 18): the thread
# CPU time of the trends, audit and comparison tasks on ASEM (bench/bench_tasks.c), for this
# build and, in the same script run, for a reference: bench_tasks.c compiled here against
# another build's library and that tree's headers (e.g. main's), the two programs run in
# alternation ROUNDS times.
# Usage: bench/tasks.sh [BUILD [REF_BUILD REF_SRC [N [ROUNDS]]]]: BUILD (default build) has
# cym-bench-tasks and cymetrics; REF_BUILD/libcymetrics.a and REF_SRC/{include,src} the
# reference; N (default 40) runs of each task per program run; ROUNDS (default 2).
# TASKS_DIR (default BUILD/bench/tasks) is where the dataset and the outputs go.
set -eu
# in a run the tasks run inside a parallel region, where their own loops get one thread
export OMP_NUM_THREADS=1
BUILD=${1:-build}
REF_BUILD=${2:-}
REF_SRC=${3:-}
N=${4:-40}
ROUNDS=${5:-2}
WORK=${TASKS_DIR:-$BUILD/bench/tasks}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CC=${CC:-cc}
mkdir -p "$WORK"
[ -d "$WORK/asem" ] || "$BUILD/cymetrics" import-coinr "$ROOT/tests/data/asem/iData.csv" \
    "$ROOT/tests/data/asem/iMeta.csv" --out "$WORK/asem" >/dev/null
if [ -n "$REF_BUILD" ]; then
    # the link line of the benchmarks, with the reference's library
    $CC -O2 -D_POSIX_C_SOURCE=200809L -I "$REF_SRC/include" -I "$REF_SRC/src" \
        "$ROOT/bench/bench_tasks.c" -o "$WORK/ref-bench-tasks" "$REF_BUILD/libcymetrics.a" \
        -lgsl -lgslcblas -lcsv -lnettle -ljansson -linih -lgomp -lpthread -lm -ldl
fi
echo "machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
r=1
while [ "$r" -le "$ROUNDS" ]; do
    if [ -n "$REF_BUILD" ]; then
        echo "reference ($REF_BUILD), round $r:"
        "$WORK/ref-bench-tasks" "$WORK/asem" "$WORK/out" "$N"
    fi
    echo "this build ($BUILD), round $r:"
    "$BUILD/cym-bench-tasks" "$WORK/asem" "$WORK/out" "$N"
    r=$((r + 1))
done
