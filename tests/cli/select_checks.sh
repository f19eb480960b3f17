#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# --select and --quiet across the commands (issue 16), what goldens cannot express: every
# command that reads a dataset ranks the selection only (run, chart, trends, compare, report,
# uncertainty), the manifest and the report say which countries and that ranks are within
# them, and --quiet prints nothing on a run that warns. Usage: select_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"
D=$SRC/datasets/asean-japan

# 1. run: index.csv has the selected countries, ranked 1..n; manifest and report say so
"$CYM" run "$D" --select jpn,sgp,vnm --out "$T/run" --charts none -q >"$T/out" 2>"$T/err" &&
    ok || bad "run --select failed: $(cat "$T/err")"
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] && ok || bad "run -q printed: $(cat "$T/out" "$T/err")"
[ "$(cut -d, -f1,2 "$T/run/index.csv" | tail -n +2 | sort | tr '\n' ' ')" = "1,SGP 2,JPN 3,VNM " ] &&
    ok || bad "index.csv of the selection: $(cut -d, -f1,2 "$T/run/index.csv" | tr '\n' ' ')"
python3 - "$T/run/manifest.json" <<'PY' && ok || bad "manifest.json lacks the selection"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["configuration"]["select"] == "jpn,sgp,vnm", m["configuration"]["select"]
assert m["selection"] == {"countries": ["SGP", "VNM", "JPN"], "ranks": "within the selection"}
PY
grep -q "Countries: a selection (select = jpn,sgp,vnm), 3 of the countries file; ranks" \
    "$T/run/report.md" && ok || bad "report.md does not say the ranks are within the selection"
# without --select: no selection in the manifest
"$CYM" run "$D" --out "$T/all" --charts none --report off --tables none -q &&
    ! grep -q '"selection"' "$T/all/manifest.json" && ok || bad "a run of every country has a selection"

# 2. every command takes it, and has the selection only (repeated: a union)
"$CYM" trends "$D" --select vnm --select group=Japan --out "$T/trends" -q && ok ||
    bad "trends --select failed"
[ "$(grep -oE '^[A-Z]{3},' "$T/trends/trends.csv" | sort -u | tr -d '\n')" = "JPN,VNM," ] && ok ||
    bad "trends.csv: $(cut -d, -f1 "$T/trends/trends.csv" | sort -u | tr '\n' ' ')"
"$CYM" run "$D" --select "region=East Asia,sgp" --out "$T/two" --charts none --report off \
    --tables none -q && [ "$(wc -l <"$T/two/index.csv")" -eq 3 ] && ok || bad "run of two countries"
"$CYM" compare "$D" --select jpn,vnm,sgp jpn vnm --out "$T/cmp" >"$T/out" &&
    grep -q "JPN" "$T/out" && ok || bad "compare --select failed"
"$CYM" chart ranking "$D" --select jpn,vnm,sgp --out "$T/chart" -q &&
    [ "$(tail -n +2 "$T/chart/charts/ranking.csv" | wc -l)" -eq 3 ] && ok ||
    bad "chart ranking of the selection: $(cat "$T/chart/charts/ranking.csv" 2>&1 | head -5)"
"$CYM" report "$D" --select jpn,vnm,sgp --country vnm --out "$T/rep" -q &&
    [ -f "$T/rep/report-VNM.html" ] && ok || bad "report --select --country vnm failed"
"$CYM" uncertainty "$D" --select jpn,vnm,sgp --runs 20 --exclude-one --out "$T/unc" -q &&
    [ "$(cut -d, -f1 "$T/unc/uncertainty.csv" | tail -n +2 | sort -u | wc -l)" -eq 3 ] && ok ||
    bad "uncertainty of the selection: $(head -3 "$T/unc/uncertainty.csv" 2>&1)"
# a country outside the selection is not there
"$CYM" report "$D" --select jpn,sgp --country vnm --out "$T/rep2" 2>"$T/err"
[ $? -eq 2 ] && grep -q "no country 'vnm'" "$T/err" && ok || bad "report of a country left out: $(cat "$T/err")"

# 3. --quiet prints errors only: a run that warns prints nothing, an error still shows
"$CYM" run "$D" --select "region=Maritime Southeast Asia" --out "$T/q" --charts none \
    --report off --tables none >"$T/out" 2>"$T/err" && grep -q "warning:" "$T/err" && ok ||
    bad "the check needs a run that warns"
"$CYM" run "$D" --select "region=Maritime Southeast Asia" --out "$T/q" --charts none \
    --report off --tables none --quiet >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ] && ok || bad "--quiet printed: $(cat "$T/err")"
"$CYM" run "$D" --out "$T/q" --quiet --normalise minmx 2>"$T/err"
[ $? -eq 2 ] && grep -q "did you mean 'minmax'" "$T/err" && ok || bad "--quiet hid an error"

# 4. the console names the main files, report.html first, as its last lines
"$CYM" run "$D" --out "$T/files" --charts none >"$T/out" 2>/dev/null
[ "$(tail -n 5 "$T/out")" = "results: $T/files/
  $T/files/report.html
  $T/files/tables.html
  $T/files/results.xlsx
  $T/files/index.csv" ] && ok || bad "last lines of run: $(tail -n 5 "$T/out")"
for f in report.html tables.html results.xlsx index.csv; do
    [ -f "$T/files/$f" ] && ok || bad "the console names $f, which is not there"
done
finish
