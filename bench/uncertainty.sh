#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmarks of the whole `cymetrics uncertainty` command on the ASEM data (51 countries x 49
# indicators): 10,000 Monte Carlo replications for each kind of factor (weights with
# normalisation, exclude-one, aggregation, imputation and treatment alternatives), on 1 and
# 2 threads; Sobol with 4 factors and N = 2,000 (12,000 pipeline runs); and the peak memory
# for 1,000 to 100,000 runs (it must not grow with the runs).
#   bench/uncertainty.sh [--reference-binary CYMETRICS] [BUILD_DIR]   (default build)
# With a reference binary (or CYM_REFERENCE=path; e.g. a build of f128d25, the commit issue
# 18 measured), each case runs with both, alternately, in this one run of the script, and the
# ratio reference / this build is printed; without, the cost per replication only. Wall time
# is the best of REPEAT runs (default 3), CPU time (user + system) the best too: on a shared
# machine CPU time is the steadier figure. Numbers go to docs/performance.md, "Uncertainty".
set -eu
REF=${CYM_REFERENCE:-}
if [ "${1:-}" = "--reference-binary" ]; then
    REF=$2
    shift 2
fi
BUILD=${1:-build}
CYM=$BUILD/cymetrics
WORK=$BUILD/bench
REPEAT=${REPEAT:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK"
[ -d "$WORK/asem" ] || "$CYM" import-coinr "$ROOT/tests/data/asem/iData.csv" \
    "$ROOT/tests/data/asem/iMeta.csv" --out "$WORK/asem" >/dev/null

# best wall and CPU seconds of REPEAT runs, and the peak memory (KiB): "wall cpu kib"
measure() { # runs cymetrics args...
    runs=$1; shift
    best=""; bcpu=""; mem=0
    i=0
    while [ "$i" -lt "$runs" ]; do
        /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || {
            cat "$WORK/stderr.txt" >&2; exit 1; }
        t=$(cut -d" " -f1 "$WORK/time.txt"); m=$(cut -d" " -f2 "$WORK/time.txt")
        c=$(awk '{printf "%.2f", $3 + $4}' "$WORK/time.txt")
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
        if [ -z "$bcpu" ] || awk "BEGIN{exit !($c < $bcpu)}"; then bcpu=$c; fi
        [ "$m" -gt "$mem" ] && mem=$m
        i=$((i + 1))
    done
    echo "$best $bcpu $mem"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
echo "wall and CPU: the best of $REPEAT runs; us/rep: the CPU time over the replications"
[ -n "$REF" ] && echo "reference: $REF"

# one case: this build, and the reference when given, alternately
case_run() { # name reps (arguments: $ARGS)
    name=$1; reps=$2
    # shellcheck disable=SC2086
    now=$(measure "$REPEAT" "$CYM" uncertainty "$WORK/asem" --out "$WORK/out-unc" -q --seed 1 \
        $ARGS)
    # shellcheck disable=SC2086
    set -- $now
    if [ -z "$REF" ]; then
        printf '%-50s now %6.2f s %6.2f s cpu %6.1f us/rep %7d KiB\n' "$name" "$1" "$2" \
            "$(awk "BEGIN{print $2 / $reps * 1e6}")" "$3"
        return
    fi
    # shellcheck disable=SC2086
    ref=$(measure "$REPEAT" "$REF" uncertainty "$WORK/asem" --out "$WORK/out-ref" -q --seed 1 \
        $ARGS)
    # shellcheck disable=SC2086
    set -- $now $ref
    printf '%-50s ref %6.2f s %6.2f s cpu | now %6.2f s %6.2f s cpu | x%.1f wall x%.1f cpu\n' \
        "$name" "$4" "$5" "$1" "$2" "$(awk "BEGIN{print $4 / $1}")" "$(awk "BEGIN{print $5 / $2}")"
}

for cfg in "weights + minmax/zscore:--weight-noise 0.25 --alt-normalise minmax,zscore:10,2" \
    "weights + exclude-one:--weight-noise 0.25 --exclude-one on" \
    "weights + 3 aggregations:--weight-noise 0.25 --alt-aggregate arithmetic,geometric,harmonic --range 1,100" \
    "weights + imputation none/mean/median:--weight-noise 0.25 --alt-impute none,mean,median" \
    "weights + treatment none/winsorise:--weight-noise 0.25 --alt-treat none,winsorise"; do
    for th in 1 2; do
        ARGS="${cfg#*:} --runs 10000 --threads $th"
        case_run "MC 10,000, ${cfg%%:*}, $th thr" 10000
    done
done
ARGS="--runs 2000 --sobol on --weight-noise 0.25 --alt-normalise minmax,rank --alt-treat none,winsorise --exclude-one on"
case_run "Sobol N=2,000, 4 factors (12,000 runs)" 12000
ARGS="--runs 2000 --sobol countries --weight-noise 0.25 --alt-normalise minmax,rank --alt-treat none,winsorise --exclude-one on"
case_run "Sobol N=2,000, 4 factors, each country's rank" 12000
# memory must not grow with the runs (this build only)
REF=
for n in 1000 10000 100000; do
    ARGS="--runs $n --weight-noise 0.25 --alt-normalise minmax,rank"
    REPEAT=1 case_run "MC memory: $n runs" "$n"
done
