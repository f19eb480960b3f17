#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# results.sqlite (`--tables sqlite`, issue 18) against the CSV tables, on a synthetic run
# (default 500 countries x 50 indicators x 20 years): the run with the CSV tables only and
# with the database too (wall and CPU time, user + system, which other load on the machine
# hardly changes: the ratio is the number to read), the sizes, the database alone for four page
# sizes (cym-bench-sqlite), and two queries from the database against reading scores.csv in
# Python. Numbers go to docs/performance.md, section "results.sqlite".
#   bench/sqlite.sh [BUILD_DIR] [COUNTRIES INDICATORS YEARS]
set -eu
BUILD=${1:-build}
C=${2:-500}
I=${3:-50}
Y=${4:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$BUILD/bench/sqlite
OMP_WAIT_POLICY=passive
export OMP_WAIT_POLICY
mkdir -p "$WORK"
[ -d "$WORK/syn-${C}x${I}x${Y}" ] || "$BUILD/cym-gen" "$WORK/syn-${C}x${I}x${Y}" "$C" "$I" "$Y" 3 \
    >/dev/null
DS=$WORK/syn-${C}x${I}x${Y}

# one run: wall s, cpu s (user + system), peak KiB
run() { # name tables
    rm -rf "$WORK/out-$1"
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$BUILD/cymetrics" run "$DS" \
        --out "$WORK/out-$1" --charts none --report off --tables "$2" -q
    awk -v n="$1" '{printf "%-12s %8.2f s wall %8.2f s cpu %8d KiB peak\n", n, $1, $2 + $3, $4}' \
        "$WORK/time.txt"
    awk '{print $2 + $3}' "$WORK/time.txt" >"$WORK/cpu-$1"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); ${C} x ${I} x ${Y}"
run csv csv
run csv+sqlite csv,sqlite
echo "database: $(awk -v a="$(cat "$WORK/cpu-csv")" -v b="$(cat "$WORK/cpu-csv+sqlite")" \
    'BEGIN{printf "%.2f s cpu, %.2f x the run with the CSV tables only", b - a, (b - a) / a}')"
csv_bytes=$(find "$WORK/out-csv" -name '*.csv' -exec cat {} + | wc -c)
db_bytes=$(wc -c <"$WORK/out-csv+sqlite/results.sqlite")
echo "sizes: CSV tables $csv_bytes bytes, results.sqlite $db_bytes bytes" \
    "($(awk -v a="$csv_bytes" -v b="$db_bytes" 'BEGIN{printf "%.2f", b / a}') x)"
"$BUILD/cym-bench-sqlite" "$WORK/out-csv" 1 4096 8192 16384 65536
python3 "$ROOT/bench/sqlite_query.py" "$WORK/out-csv+sqlite" AAA INDEX
