#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Stable published scores (issue 14): on a copy of the bundled dataset without its last year
# (2017-2023) and the whole of it (2017-2024), every output row of 2017-2023 is byte for byte
# the same with --reference-years and with --goalposts (the goalposts.csv of an earlier run),
# with outlier treatment too; with --goalposts, adding a country leaves the other countries'
# normalised values and scores as they were. Without a freeze the scores of earlier years
# change, and manifest.json and the report say they depend on later data. The frozen min-max
# values are checked against Python (below), and the error paths: a reference window without
# data, an indicator without values in it, a method without bounds, the goalposts file as the
# output folder. Usage: refyears_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"

bundled "$SRC" || exit 2
FULL=$T/datasets/asean-japan
SHORT=$T/datasets/short
cp -r "$FULL" "$SHORT"
for f in "$SHORT"/[A-Z][A-Z][A-Z].csv; do
    grep -v ',2024,' "$f" >"$f.new" && mv "$f.new" "$f"
done
QUICK="--charts none --tables csv --quiet"

run() { # run OUT DATASET ARGS...: cymetrics run, status checked
    out=$1
    ds=$2
    shift 2
    # shellcheck disable=SC2086
    "$CYM" run "$ds" --out "$T/$out" $QUICK "$@" 2>"$T/$out.err" || bad "run $out: $(cat "$T/$out.err")"
}

# the rows of years before 2024 of table $2 in folders $1 and $3 are the same bytes
same_before_2024() {
    [ -s "$T/$1/$2" ] && [ -s "$T/$3/$2" ] || { bad "$2 missing in $1 or $3"; return; }
    grep -v ',2024,' "$T/$1/$2" >"$T/a.rows"
    grep -v ',2024,' "$T/$3/$2" >"$T/b.rows"
    if cmp -s "$T/a.rows" "$T/b.rows"; then ok; else bad "$2 of $1 and $3 differ before 2024"; fi
}

# ---- without a freeze: earlier scores move, and the outputs say so ----------------------------
run plain-full "$FULL" --report on
run plain-short "$SHORT"
grep -v ',2024,' "$T/plain-full/scores.csv" >"$T/a.rows"
if cmp -s "$T/a.rows" "$T/plain-short/scores.csv"; then
    bad "without a freeze, adding 2024 left the earlier scores as they were: the test proves nothing"
else ok; fi
grep -q '"earlier_years_depend_on_later_data": true' "$T/plain-full/manifest.json" &&
    grep -q '"stages": \[' "$T/plain-full/manifest.json" &&
    grep -q '"normalisation"' "$T/plain-full/manifest.json" && ok ||
    bad "manifest.json of a panel run does not say earlier scores depend on later data"
grep -q 'Scores of earlier years depend on the data of later years, through the normalisation' \
    "$T/plain-full/report.md" && ok || bad "report.md does not say earlier scores depend on later data"
grep -q 'LEG.CYBERCRIME,+,minmax,2017-2024,' "$T/plain-full/goalposts.csv" && ok ||
    bad "goalposts.csv of a panel run: $(sed -n 2p "$T/plain-full/goalposts.csv")"

# ---- --reference-years: adding 2024 changes no earlier byte --------------------------------
for treat in none winsorise; do
    run "ref-full-$treat" "$FULL" --reference-years 2017-2020 --treat "$treat" --report on --yoy on
    run "ref-short-$treat" "$SHORT" --reference-years 2017-2020 --treat "$treat" --yoy on
    for f in scores.csv data.csv tiers.csv treatment.csv yoy.csv weights.csv; do
        same_before_2024 "ref-full-$treat" "$f" "ref-short-$treat"
    done
    cmp -s "$T/ref-full-$treat/goalposts.csv" "$T/ref-short-$treat/goalposts.csv" && ok ||
        bad "goalposts.csv of 2017-2020 changed when 2024 was added (treat $treat)"
done
grep -q '"earlier_years_depend_on_later_data": false' "$T/ref-full-none/manifest.json" &&
    grep -q '"bounds_from": "reference-years"' "$T/ref-full-none/manifest.json" &&
    grep -q '"bounds_years": "2017-2020"' "$T/ref-full-none/manifest.json" && ok ||
    bad "manifest.json with --reference-years: $(grep -A8 stable_scores "$T/ref-full-none/manifest.json")"
R=$T/ref-full-none/report.md
grep -q 'Scores of earlier years do not depend on the data of later years' "$R" &&
    grep -q 'over all years, with the frozen bounds below' "$R" &&
    grep -q 'frozen on the reference years 2017-2020' "$R" && ok ||
    bad "report.md with --reference-years says no freeze"
# a value of 2021-2024 beyond the 2017-2020 bounds is capped, and a warning says so
grep -q 'outside the bounds frozen on 2017-2020 score the end of the range' \
    "$T/ref-full-none/warnings.txt" && ok || bad "no warning about values beyond frozen bounds"

# the frozen min-max values, computed independently: bounds of raw * direction over the
# units with a value in 2017-2020, every year scaled by them onto [0, 100] and capped
python3 - "$T/ref-full-none/data.csv" >"$T/py.out" 2>&1 <<'EOF' && ok || bad "frozen min-max differs from Python: $(cat "$T/py.out")"
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
x = {}
for r in rows:
    if r["raw"] != "":
        x[(r["country"], int(r["year"]), r["indicator"])] = float(r["raw"]) * (-1 if r["direction"] == "-" else 1)
lo, hi = {}, {}
for (c, y, i), v in x.items():
    if 2017 <= y <= 2020:
        lo[i] = min(lo.get(i, v), v)
        hi[i] = max(hi.get(i, v), v)
n = 0
for r in rows:
    key = (r["country"], int(r["year"]), r["indicator"])
    if key not in x:
        assert r["normalised"] == "", r
        continue
    i = key[2]
    want = 50.0 if hi[i] == lo[i] else min(100.0, max(0.0, (x[key] - lo[i]) / (hi[i] - lo[i]) * 100))
    got = float(r["normalised"])
    assert abs(got - want) <= 1e-12 + 1e-9 * abs(want), (key, got, want)
    n += 1
assert n > 2000, n
EOF

# ---- --goalposts: the bounds of an earlier run, reused -------------------------------------
GP=$T/ref-full-none/goalposts.csv
run gp-full "$FULL" --goalposts "$GP" --report on
run gp-short "$SHORT" --goalposts "$GP"
for f in scores.csv data.csv tiers.csv; do
    same_before_2024 gp-full "$f" gp-short
    cmp -s "$T/gp-full/$f" "$T/ref-full-none/$f" && ok ||
        bad "$f with --goalposts differs from the run whose bounds it reuses"
done
grep -q '"role": "goalposts"' "$T/gp-full/manifest.json" &&
    grep -q '"bounds_from": "goalposts"' "$T/gp-full/manifest.json" && ok ||
    bad "manifest.json does not list the goalposts file as an input"
grep -q 'Normalisation bounds from the goalposts file' "$T/gp-full/report.md" && ok ||
    bad "report.md does not name the goalposts file"

# zscore bounds (mean and sd; the method's text quoted in the file) read back to the last bit
run z-ref "$FULL" --normalise zscore:10,2 --reference-years 2017-2020
run z-gp "$SHORT" --normalise zscore:10,2 --goalposts "$T/z-ref/goalposts.csv"
grep -q ',"zscore:10,2",2017-2020,' "$T/z-ref/goalposts.csv" && ok || bad "zscore goalposts.csv"
same_before_2024 z-ref scores.csv z-gp

# adding a country (a copy of Japan's data as XJP) leaves the others' values as they were:
# the bounds are the file's (the ranks among more countries do change)
MORE=$T/datasets/more
cp -r "$FULL" "$MORE"
cp "$MORE/JPN.csv" "$MORE/XJP.csv"
echo 'XJP,Extra Japan,Other,East Asia' >>"$MORE/countries.csv"
run gp-more "$MORE" --goalposts "$GP"
grep -v '^XJP,' "$T/gp-more/data.csv" >"$T/a.rows"
cmp -s "$T/a.rows" "$T/gp-full/data.csv" && ok || bad "data.csv changed when a country was added"
# scores.csv without the rank column
cut -d, -f1-5,7 "$T/gp-more/scores.csv" | grep -v '^XJP,' >"$T/a.rows"
cut -d, -f1-5,7 "$T/gp-full/scores.csv" >"$T/b.rows"
cmp -s "$T/a.rows" "$T/b.rows" && ok || bad "scores changed when a country was added"

# ---- errors ----------------------------------------------------------------------------------
# expect STATUS MESSAGE ARGS...: the run fails with STATUS, MESSAGE on stderr, no output folder
expect() {
    status=$1
    msg=$2
    shift 2
    rm -rf "$T/err"
    "$CYM" run "$FULL" --out "$T/err" $QUICK "$@" >/dev/null 2>"$T/err.txt"
    got=$?
    if [ "$got" -ne "$status" ] || ! grep -qF -- "$msg" "$T/err.txt" || [ -e "$T/err" ]; then
        bad "run $*: status $got, $(cat "$T/err.txt") (expected $status, $msg)"
    else ok; fi
}
expect 2 'reference years 2030-2031: no data there (the years run are 2017-2024)' \
    --reference-years 2030-2031
expect 2 'reference years 2016-2018: no data there' --reference-years 2016-2018
expect 2 'rank normalisation has no bounds to freeze' --reference-years 2017-2020 --normalise rank
expect 2 'goalposts normalisation has no bounds to freeze' --reference-years 2017 --normalise goalposts
expect 2 '--scope year normalises each year on its own' --reference-years 2017 --scope year
expect 2 "--reference-years and --goalposts both freeze" --reference-years 2017 --goalposts "$GP"
expect 2 'the goalposts are bounds of minmax normalisation, the run normalises with zscore' \
    --goalposts "$GP" --normalise zscore
expect 2 "invalid reference-years '2017-' (expected A-B or A" --reference-years 2017-
# an indicator without a value in the window
EMPTY=$T/datasets/empty
cp -r "$FULL" "$EMPTY"
for f in "$EMPTY"/[A-Z][A-Z][A-Z].csv; do
    grep -v '^LEG.CII,2017,' "$f" >"$f.new" && mv "$f.new" "$f"
done
rm -rf "$T/err"
"$CYM" run "$EMPTY" --out "$T/err" $QUICK --reference-years 2017 >/dev/null 2>"$T/err.txt"
[ $? -eq 1 ] && grep -qF 'indicator LEG.CII has no value in the reference years 2017' "$T/err.txt" &&
    [ ! -e "$T/err" ] && ok || bad "empty window: $(cat "$T/err.txt")"
# the goalposts file is an input: never the output folder, nor in it
cp "$GP" "$T/gp-out.csv"
"$CYM" run "$FULL" --out "$T/gp-out.csv" $QUICK --goalposts "$T/gp-out.csv" >/dev/null 2>"$T/err.txt"
[ $? -eq 2 ] && cmp -s "$GP" "$T/gp-out.csv" && ok || bad "goalposts file as output: $(cat "$T/err.txt")"
mkdir -p "$T/gpdir"
cp "$GP" "$T/gpdir/goalposts.csv"
"$CYM" run "$FULL" --out "$T/gpdir" $QUICK --goalposts "$T/gpdir/goalposts.csv" >/dev/null 2>"$T/err.txt"
[ $? -eq 2 ] && cmp -s "$GP" "$T/gpdir/goalposts.csv" && ok ||
    bad "output folder holding the goalposts file: $(cat "$T/err.txt")"

finish
