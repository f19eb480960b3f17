#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmarks of `cymetrics uncertainty` on the ASEM data (51 countries x 49 indicators):
# 10,000 Monte Carlo replications (weights and normalisation varying), Sobol with 4 factors
# and N = 2,000 (12,000 pipeline runs), and the peak memory for 1,000 to 100,000 runs (it
# must not grow with the runs). Usage: bench/uncertainty.sh [BUILD_DIR] (default build).
# Numbers go to docs/performance.md, section "Uncertainty".
set -eu
BUILD=${1:-build}
CYM=$BUILD/cymetrics
WORK=$BUILD/bench
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK"
[ -d "$WORK/asem" ] || "$CYM" import-coinr "$ROOT/tests/data/asem/iData.csv" \
    "$ROOT/tests/data/asem/iMeta.csv" --out "$WORK/asem" >/dev/null

time_run() { # name runs args...
    name=$1; runs=$2; shift 2
    best=""
    i=0
    while [ "$i" -lt "$runs" ]; do
        /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || {
            cat "$WORK/stderr.txt" >&2; exit 1; }
        t=$(cut -d" " -f1 "$WORK/time.txt"); mem=$(cut -d" " -f2 "$WORK/time.txt"); cpu=$(awk "{print \$3 + \$4}" "$WORK/time.txt")
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
        i=$((i + 1))
    done
    printf '%-56s %8.3f s %8.2f s cpu %8d KiB\n' "$name" "$best" "$cpu" "$mem"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
echo "wall time is the best of 3 runs; memory is the peak resident set"
U="$CYM uncertainty $WORK/asem --out $WORK/out-unc -q --seed 1"
# shellcheck disable=SC2086
time_run "MC 10,000 runs: weights 0.25 + minmax/zscore" 3 $U --runs 10000 \
    --weight-noise 0.25 --alt-normalise minmax,zscore:10,2
# shellcheck disable=SC2086
time_run "MC 10,000 runs, 1 thread" 3 $U --runs 10000 --threads 1 \
    --weight-noise 0.25 --alt-normalise minmax,zscore:10,2
# shellcheck disable=SC2086
time_run "Sobol N=2,000, 4 factors (12,000 runs)" 3 $U --runs 2000 --sobol on \
    --weight-noise 0.25 --alt-normalise minmax,rank --alt-treat none,winsorise --exclude-one on
# shellcheck disable=SC2086
time_run "Sobol N=2,000, 4 factors, with each country's rank" 3 $U --runs 2000 --sobol countries \
    --weight-noise 0.25 --alt-normalise minmax,rank --alt-treat none,winsorise --exclude-one on
for n in 1000 10000 100000; do
    # shellcheck disable=SC2086
    time_run "MC memory: $n runs" 1 $U --runs $n --weight-noise 0.25 --alt-normalise minmax,rank
done
