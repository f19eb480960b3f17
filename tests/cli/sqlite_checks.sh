#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# --tables sqlite (issue 18): results.sqlite holds every CSV table of the run, value by value,
# with typed columns and indexes (sqlite_compare.py, Python's sqlite3 module), and the example
# queries of docs/formats.md run as written; the same inputs give the same bytes with 1 and 2
# threads; a database that fails halfway leaves the previous result set as it was.
# Usage: sqlite_checks.sh CYMETRICS SRCDIR CYM-GEN
set -u
CYM=$1
SRC=$2
GEN=$3
. "$(dirname "$0")/checklib.sh"
CMP="$(dirname "$0")/sqlite_compare.py"
bundled_flat "$SRC"

# 1. the bundled dataset with tiers and the uncertainty analysis (its tables too): every table
#    as its CSV, the schema, the queries of docs/formats.md
"$CYM" run "$T/ds" --out "$T/o1" --charts none --report off --tables csv,sqlite \
    --tiers gci2024 --runs 20 --weight-noise 0.2 -q || bad "run with --tables sqlite failed"
[ -f "$T/o1/rank_frequency.csv" ] && ok || bad "the uncertainty tables were not written"
python3 "$CMP" "$T/o1" "$SRC/docs/formats.md" && ok || bad "results.sqlite differs from the CSV tables"
grep -q '"path": "results.sqlite"' "$T/o1/manifest.json" && ok ||
    bad "manifest.json does not list results.sqlite"
# the uncertainty command alone writes its tables into results.sqlite too
"$CYM" uncertainty "$T/ds" --out "$T/ou" --runs 20 --weight-noise 0.2 --tables csv,sqlite -q ||
    bad "uncertainty with --tables sqlite failed"
[ -f "$T/ou/results.sqlite" ] && python3 "$CMP" "$T/ou" >/dev/null && ok ||
    bad "uncertainty: results.sqlite missing or unlike its CSV tables"
# the console names the database among the files a reader opens first
"$CYM" run "$T/ds" --out "$T/o1" --charts none --report off --tables csv,sqlite \
    >"$T/console" 2>/dev/null || bad "run with --tables sqlite failed"
grep -q "^  $T/o1/results.sqlite\$" "$T/console" && ok ||
    bad "the console does not list results.sqlite: $(cat "$T/console")"

# 1b. framework editions: the tables of each edition's folder (edition-2017-2019_scores, ...)
"$CYM" run --config "$SRC/tests/data/editions/cymetrics.ini" --out "$T/oe" --charts none \
    --report off --tables sqlite -q || bad "run with editions and --tables sqlite failed"
python3 "$CMP" "$T/oe" >/dev/null && ok || bad "results.sqlite of editions differs from the CSV tables"

# 2. not asked for, not written
"$CYM" run "$T/ds" --out "$T/o2" --charts none --report off -q || bad "default run failed"
[ ! -e "$T/o2/results.sqlite" ] && ok || bad "results.sqlite written without --tables sqlite"

# 3. deterministic bytes: twice, on 1 and 2 threads, a run large enough to format on every core
"$GEN" "$T/syn" 200 30 10 5 >/dev/null || bad "generator failed"
for th in 1 2 2; do
    rm -rf "$T/s$th"
    OMP_NUM_THREADS=$th "$CYM" run "$T/syn" --out "$T/s$th" --charts none --report off \
        --tables sqlite -q || bad "synthetic run on $th threads failed"
    cksum <"$T/s$th/results.sqlite" >>"$T/sums"
done
[ "$(sort -u "$T/sums" | wc -l)" -eq 1 ] && ok || bad "results.sqlite bytes differ: $(cat "$T/sums")"
python3 "$CMP" "$T/s2" >/dev/null && ok || bad "synthetic results.sqlite differs from its CSV tables"

# 4. a database that fails halfway: exit 3 naming it, the previous set untouched, no stage left
(cd "$T/o1" && find . -type f | sort | xargs cksum) >"$T/before"
ls -a "$T/o1/.." >"$T/list-before"
CYMETRICS_TEST_SQLITE_FAULT=1 "$CYM" run "$T/ds" --out "$T/o1" --charts none --report off \
    --tables sqlite -q 2>"$T/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "failed database: exit $rc, expected 3"
grep -q "results.sqlite.*injected fault" "$T/err" && ok || bad "message: $(cat "$T/err")"
(cd "$T/o1" && find . -type f | sort | xargs cksum) >"$T/after"
cmp -s "$T/before" "$T/after" && ok || bad "the previous result set changed"
ls -a "$T/o1/.." | grep -v -e '^err$' -e '^after$' -e '^list-after$' >"$T/list-after"
cmp -s "$T/list-before" "$T/list-after" && ok ||
    bad "left beside the output folder: $(diff "$T/list-before" "$T/list-after")"

finish
