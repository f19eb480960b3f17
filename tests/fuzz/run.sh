#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs every libFuzzer target for a bounded time, from a seed corpus built out of the test
# inputs (tests/golden, tests/data, datasets; for xlsx, the workbooks tests/unit/xlsx_fixtures.py
# writes).
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS_EACH] [WORK_DIR]
#
# BUILD_DIR is a build with -DCYM_FUZZ=ON (CC=clang). The corpus and any crash reproducer
# (crash-*, leak-*, timeout-*, oom-*) stay in WORK_DIR (default BUILD_DIR/fuzz-work), so a
# later, longer run starts from what the earlier one found. Exits 1 when a target failed.
set -u
if [ $# -lt 1 ]; then
    echo "usage: run.sh BUILD_DIR [SECONDS_EACH] [WORK_DIR]" >&2
    exit 2
fi
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
secs=${2:-60}
work=${3:-$build/fuzz-work}
mkdir -p "$work" || exit 2

# ---- seeds (a file per input; names are content hashes, so reruns add nothing twice) ----
seed() { # seed TARGET FILE [PREFIX-BYTES]
    dir=$work/corpus-$1
    mkdir -p "$dir"
    tmp=$dir/.seed
    { [ -n "${3:-}" ] && printf "$3"; cat "$2"; } >"$tmp"
    mv "$tmp" "$dir/seed-$(cksum <"$tmp" | tr ' ' -)"
}
find "$src/tests/golden" "$src/tests/data" "$src/datasets" "$src/indicators" -name '*.csv' -size -64k | LC_ALL=C sort |
    while IFS= read -r f; do
        seed csv "$f" '\000'   # mode byte: ',' and the default limits
        seed csv "$f" '\014'   # ',' with tiny limits, stop after 3 rows
        case $f in
        */framework*.csv | */indicators/*.csv) seed framework "$f" ;;
        */data.csv | */data/*.csv) seed dataset "$f" ;;
        esac
    done
for d in "$src"/tests/golden/*/; do
    c=$d/data/countries.csv
    if [ -f "$c" ] && [ -f "$d/data.csv" ]; then
        { cat "$c"; printf '#DATA\n'; cat "$d/data.csv"; } >"$work/.pair"
        seed dataset "$work/.pair"
    fi
done
rm -f "$work/.pair"
find "$src/tests/golden" "$src/tests/data" "$src/datasets" -name '*.ini' | while IFS= read -r f; do
    seed ini "$f"
done
# inputs that once failed (tests/fuzz/regress/TARGET/*): each run starts from them
for f in "$src"/tests/fuzz/regress/*/*; do
    [ -f "$f" ] && seed "$(basename "$(dirname "$f")")" "$f"
done
for f in "$src"/tests/golden/ok-semicolon-decimal-comma/data/*.csv; do
    seed dataset "$f" '#SEMI\n'
done

# the workbooks of the reader's tests (tests/unit/xlsx_fixtures.py) that fit -max_len
if command -v python3 >/dev/null 2>&1 &&
    python3 "$src/tests/unit/xlsx_fixtures.py" "$work/.xlsx" >/dev/null 2>&1; then
    find "$work/.xlsx" -type f -name '*.xlsx' -size -64k | LC_ALL=C sort | while IFS= read -r f; do
        seed xlsx "$f"
    done
fi
rm -rf "$work/.xlsx"
mkdir -p "$work/corpus-xlsx"

# ---- run ------------------------------------------------------------------------------
fail=0
for t in csv framework dataset ini xlsx; do
    bin=$build/tests/fuzz/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "fuzz: $bin is missing (configure with CC=clang -DCYM_FUZZ=ON)" >&2
        exit 2
    fi
    echo "fuzz: $t for ${secs} s ($(ls "$work/corpus-$t" | wc -l) inputs in the corpus)"
    # one process, bounded input size and memory; leaks count as failures
    if ! (cd "$work" && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$work/$t-" "$work/corpus-$t" \
        >"$work/$t.log" 2>&1); then
        echo "fuzz: $t FAILED; the reproducer and log are in $work ($t-*, $t.log):" >&2
        grep -E 'ERROR|SUMMARY|Test unit written' "$work/$t.log" | head -20 >&2
        fail=1
    else
        grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$work/$t.log" | head -2
    fi
done
exit $fail
