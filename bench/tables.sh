#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Tables at scale (issue 18): `cymetrics run` on 2,000 countries x 500 indicators x 20 years
# (20 million cells), the minimal run (`--charts none --tables none --report off`: the CSV
# tables, the audit, trends and comparisons) and the default run without charts
# (`--charts none`: also tables.md/html, results.xlsx, results.json and the report). Each run
# once (they take minutes and the machine is shared): wall time, CPU time, peak resident set
# and bytes written.
#
# Usage: bench/tables.sh [BUILD_DIR] [REFERENCE_CYMETRICS]
#   BUILD_DIR            the build to measure (default build)
#   REFERENCE_CYMETRICS  another build's cymetrics (say main's) run in turn with this one, so
#                        the ratio compares runs taken under the same load
# The dataset and the outputs go to $CYM_BENCH_DIR (default ${TMPDIR:-/tmp}/cym-bench-tables),
# never into the repository; the dataset is kept for the next run, each output removed after
# it is measured. Needs about 5 GB free there while a run writes. CYM_BENCH_SIZE (default
# "2000 500 20": countries, indicators, years) measures another size, e.g. "500 200 20".
set -eu
OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
export OMP_WAIT_POLICY
BUILD=${1:-build}
REF=${2:-}
CYM=$(cd "$BUILD" && pwd)/cymetrics
WORK=${CYM_BENCH_DIR:-${TMPDIR:-/tmp}/cym-bench-tables}
SIZE=${CYM_BENCH_SIZE:-2000 500 20}
DATA=$WORK/syn-$(echo "$SIZE" | tr ' ' x)
mkdir -p "$WORK"
# shellcheck disable=SC2086 # three numbers
[ -d "$DATA" ] || "$BUILD/cym-gen" "$DATA" $SIZE >/dev/null

one() { # label binary args...
    label=$1; bin=$2; shift 2
    rm -rf "$WORK/out"
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$bin" run "$DATA" --out "$WORK/out" \
        -q "$@" >/dev/null 2>"$WORK/stderr.txt" || { cat "$WORK/stderr.txt" >&2; exit 1; }
    written=$(du -sm "$WORK/out" | cut -f1)
    read -r wall user sys rss <"$WORK/time.txt"
    printf '%-40s %8.1f s wall %8.1f s CPU %7.0f MiB peak %7d MiB written\n' "$label" "$wall" \
        "$(echo "$user $sys" | awk '{print $1 + $2}')" "$(echo "$rss" | awk '{print $1 / 1024}')" \
        "$written"
    rm -rf "$WORK/out"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dataset: $DATA ($SIZE)"
for run in minimal default; do
    case $run in
    minimal) set -- --charts none --tables none --report off ;;
    default) set -- --charts none ;;
    esac
    [ -z "$REF" ] || one "$run: reference" "$REF" "$@"
    one "$run: this build" "$CYM" "$@"
done
