#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What the composable pipeline stages save (issue 13): the Monte Carlo cost per replication
# and the audit, for two builds of cymetrics on the ASEM example (51 countries x 49
# indicators, 2 years). A replication's cost is the difference of the CPU time of 12,000 and
# 2,000 replications divided by 10,000, on one thread, so the fixed costs (loading, the
# nominal run, the checks) cancel and other load on the machine hardly matters.
#   bench/stages.sh BEFORE_CYMETRICS AFTER_CYMETRICS [WORK_DIR]
# e.g. a build of the commit before the stages against build/cymetrics. Numbers go to
# docs/performance.md, section "Pipeline stages".
set -eu
BEFORE=$1
AFTER=$2
WORK=${3:-${TMPDIR:-/tmp}/cym-bench-stages}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORES=$(nproc)
OMP_WAIT_POLICY=passive
OMP_NUM_THREADS=1
export OMP_WAIT_POLICY OMP_NUM_THREADS
mkdir -p "$WORK"
[ -d "$WORK/asem" ] || "$AFTER" import-coinr "$ROOT/tests/data/asem/iData.csv" \
    "$ROOT/tests/data/asem/iMeta.csv" --out "$WORK/asem" >/dev/null

# cpu seconds (user + system) of one command, the best of 3
cpu() {
    best=""
    for _ in 1 2 3; do
        /usr/bin/time -f "%U %S" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/err.txt" || {
            cat "$WORK/err.txt" >&2; exit 1; }
        t=$(awk '{printf "%.3f", $1 + $2}' "$WORK/time.txt")
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    done
    echo "$best"
}

# microseconds per replication of one configuration
per_rep() { # cymetrics args...
    c=$1; shift
    a=$(cpu "$c" uncertainty "$WORK/asem" --out "$WORK/out" -q --threads 1 --runs 2000 "$@")
    b=$(cpu "$c" uncertainty "$WORK/asem" --out "$WORK/out" -q --threads 1 --runs 12000 "$@")
    awk "BEGIN{printf \"%.1f\", ($b - $a) / 10000 * 1e6}"
}

echo "machine: $CORES cores, $(uname -m); one thread; CPU time, best of 3"
printf '%-52s %10s %10s\n' "" before after
for cfg in "weights:--weight-noise 0.25" \
    "weights, exclude-one:--weight-noise 0.25 --exclude-one on" \
    "weights + minmax/zscore:--weight-noise 0.25 --alt-normalise minmax,zscore:10,2" \
    "weights + 3 aggregations:--weight-noise 0.25 --alt-aggregate arithmetic,geometric,harmonic --range 1,100"; do
    name=${cfg%%:*}
    args=${cfg#*:}
    # shellcheck disable=SC2086
    printf '%-52s %8s us %8s us\n' "MC per replication: $name" "$(per_rep "$BEFORE" $args)" \
        "$(per_rep "$AFTER" $args)"
done
# the whole `cymetrics audit` command (load, run, audit with remove_one's 59 reruns, write),
# CPU time of 20 in a row / 20, in milliseconds
audit_ms() {
    cat >"$WORK/audit20.sh" <<SH
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    "$1" audit "$WORK/asem" --out "$WORK/out-a" -q || exit 1
done
SH
    t=$(cpu sh "$WORK/audit20.sh")
    awk "BEGIN{printf \"%.1f\", $t / 20 * 1000}"
}
printf '%-52s %8s ms %8s ms\n' "cymetrics audit (whole command)" "$(audit_ms "$BEFORE")" \
    "$(audit_ms "$AFTER")"
# the audit inside a run: the output stage of `run` (the tables, the audit with its 59
# remove-one reruns, the trends; CYMETRICS_TIMING), best of 15, in milliseconds
output_ms() {
    best=""
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
        t=$(CYMETRICS_TIMING=1 "$1" run "$WORK/asem" --out "$WORK/out-r" -q --charts none \
            --tables none --report off 2>&1 >/dev/null | sed -n 's/.*output \([0-9.]*\) s.*/\1/p')
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    done
    awk "BEGIN{printf \"%.1f\", $best * 1000}"
}
printf '%-52s %8s ms %8s ms\n' "run: the output stage (tables, audit, trends)" \
    "$(output_ms "$BEFORE")" "$(output_ms "$AFTER")"
