#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `cymetrics validate` reporting every error in one pass (issue 14), on the inputs of
# tests/golden/validate-all-errors (four mistakes in four files): --max-errors, the JSON
# document parsed back with Python's json module, a valid dataset in JSON, a broken framework,
# errors in the rows of a combined file and in the values of one wide row, the default limit
# of 50, and a bad --format. Usage: validate_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"

G=$SRC/tests/golden
mkdir -p "$T/ok" "$T/bad"
cp -r "$G/fixtures/small/." "$T/ok/"
cp -r "$G/fixtures/small/." "$T/bad/"
cp -r "$G/validate-all-errors/data/." "$T/bad/data/"

# --max-errors 2: the first two in file order, then how many were left out and the count
(cd "$T/bad" && "$CYM" validate data --framework framework.csv --max-errors 2 >out 2>err)
st=$?
cat >"$T/want" <<'TXT'
cymetrics: data/JPN.csv:3:12: value '7' of A.ORD must be a whole number from 0 to 4 (scale ordinal:4)
cymetrics: data/KOR.csv:5:12: value '2' of A.BIN must be 0 or 1 (scale binary)
cymetrics: 2 more errors not shown (--max-errors 2)
cymetrics: 4 errors
TXT
if [ $st -eq 1 ] && cmp -s "$T/want" "$T/bad/err" && [ ! -s "$T/bad/out" ]; then ok; else
    bad "--max-errors 2: status $st, stderr:"; cat "$T/bad/err"
fi

# --format json: stdout is one JSON document listing all four, nothing on stderr
(cd "$T/bad" && "$CYM" validate data --framework framework.csv --format json >out.json 2>err)
st=$?
if [ $st -eq 1 ] && [ ! -s "$T/bad/err" ] && python3 - "$T/bad/out.json" <<'PY'; then ok; else bad "--format json of four errors (status $st)"; fi
import json, sys
d = json.load(open(sys.argv[1]))
want = [("data/JPN.csv", 3, 12, "value '7' of A.ORD must be a whole number from 0 to 4 (scale ordinal:4)"),
        ("data/KOR.csv", 5, 12, "value '2' of A.BIN must be 0 or 1 (scale binary)"),
        ("data/VNM.csv", 7, 13, "value '11x' of B.CONT is not a number"),
        ("data/countries.csv", 4, 5, "country 'KOR' has an empty name")]
got = [(e["file"], e["line"], e["column"], e["message"]) for e in d["errors"]]
assert got == want, got
assert all(e["class"] == "data" for e in d["errors"])
assert d["valid"] is False and d["error_count"] == 4 and d["errors_shown"] == 4, d
assert d["program"] == "cymetrics" and d["dataset"] == "data" and d["data"] is None, d
assert d["warnings"] == [] and d["warning_count"] == 0
PY

# --format json with --max-errors 1: one shown, four counted
(cd "$T/bad" && "$CYM" validate data --framework framework.csv --format json --max-errors 1 >one.json 2>/dev/null)
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["error_count"] == 4 and d["errors_shown"] == 1 and d["errors"][0]["file"] == "data/JPN.csv", d' "$T/bad/one.json"; then ok; else bad "--format json --max-errors 1"; fi

# a valid dataset in JSON: valid, no errors, the counts of what loaded, its warning
printf 'KOR,Korea,East Asia\n' >>"$T/ok/data/countries.csv"
(cd "$T/ok" && "$CYM" validate data --framework framework.csv --format json >ok.json 2>err)
st=$?
if [ $st -eq 0 ] && [ ! -s "$T/ok/err" ] && python3 - "$T/ok/ok.json" <<'PY'; then ok; else bad "--format json of a valid dataset (status $st)"; fi
import json, sys
d = json.load(open(sys.argv[1]))
assert d["valid"] is True and d["errors"] == [] and d["error_count"] == 0, d
assert d["data"] == {"countries": 3, "indicators": 3, "rows": 12, "rows_missing": 0,
                     "year_from": 2023, "year_to": 2024}, d["data"]
assert d["warning_count"] == 1 and d["warnings"][0]["class"] == "warning", d["warnings"]
assert d["warnings"][0]["message"] == "country KOR (Korea) has no data file", d["warnings"]
PY

# a broken framework stops what depends on it: its one error, in both forms
mkdir -p "$T/fw" && cp -r "$T/bad/." "$T/fw/"
sed 's/^P2,Pillar two,IDX,1,,$/P2,Pillar two,NOPE,1,,/' "$G/fixtures/small/framework.csv" >"$T/fw/framework.csv"
(cd "$T/fw" && "$CYM" validate data --framework framework.csv >out 2>err)
st=$?
if [ $st -eq 1 ] && [ "$(wc -l <"$T/fw/err")" -eq 1 ] && grep -q "^cymetrics: framework.csv:4:" "$T/fw/err"; then ok; else
    bad "broken framework: status $st"; cat "$T/fw/err"
fi
(cd "$T/fw" && "$CYM" validate data --framework framework.csv --format json >out.json 2>/dev/null)
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["error_count"] == 1 and d["errors"][0]["file"] == "framework.csv" and d["errors"][0]["line"] == 4, d' "$T/fw/out.json"; then ok; else bad "broken framework in JSON"; fi

# a combined file: each bad row reported, the good ones read; a wide row: each bad value
mkdir -p "$T/comb"
cp "$G/fixtures/small/framework.csv" "$G/fixtures/small/data/countries.csv" "$T/comb/"
cat >"$T/comb/data.csv" <<'CSV'
country,indicator,year,value
VNM,A.BIN,2023,1
VNM,A.BIN,2023,0
XXX,A.BIN,2023,1
JPN,NOPE,2023,1
JPN,A.BIN,20x3,1
CSV
(cd "$T/comb" && "$CYM" validate --framework framework.csv --countries countries.csv --data data.csv >out 2>err)
st=$?
cat >"$T/want" <<'TXT'
cymetrics: data.csv:3:5: duplicate row for VNM, A.BIN, 2023 (first on line 2)
cymetrics: data.csv:4:1: country 'XXX' is not in countries.csv
cymetrics: data.csv:5:5: unknown indicator 'NOPE' (not in the framework framework.csv)
cymetrics: data.csv:6:11: year '20x3' is not a whole number between 1900 and 2100
cymetrics: 4 errors
TXT
if [ $st -eq 1 ] && cmp -s "$T/want" "$T/comb/err"; then ok; else bad "combined file: status $st"; diff "$T/want" "$T/comb/err"; fi
mkdir -p "$T/wide/data"
cp "$G/fixtures/small/framework.csv" "$T/wide/"
printf 'code,name\nVNM,Viet Nam\n' >"$T/wide/data/countries.csv"
printf 'indicator,2022,2023,2024\nA.BIN,1,2,3\nA.ORD,1,2,3\n' >"$T/wide/data/VNM.csv"
(cd "$T/wide" && "$CYM" validate data --framework framework.csv >out 2>err)
st=$?
cat >"$T/want" <<'TXT'
cymetrics: data/VNM.csv:2:9: value '2' of A.BIN must be 0 or 1 (scale binary)
cymetrics: data/VNM.csv:2:11: value '3' of A.BIN must be 0 or 1 (scale binary)
cymetrics: 2 errors
TXT
if [ $st -eq 1 ] && cmp -s "$T/want" "$T/wide/err"; then ok; else bad "wide row: status $st"; diff "$T/want" "$T/wide/err"; fi

# the default limit: 50 shown of 200, in line order
mkdir -p "$T/many/data"
cp "$G/fixtures/small/framework.csv" "$T/many/"
printf 'code,name\nVNM,Viet Nam\n' >"$T/many/data/countries.csv"
{
    echo indicator,year,value
    y=1901
    while [ $y -le 2100 ]; do echo "A.BIN,$y,5"; y=$((y + 1)); done
} >"$T/many/data/VNM.csv"
(cd "$T/many" && "$CYM" validate data --framework framework.csv >out 2>err)
st=$?
if [ $st -eq 1 ] && [ "$(grep -c 'must be 0 or 1' "$T/many/err")" -eq 50 ] &&
    sed -n 50p "$T/many/err" | grep -q '^cymetrics: data/VNM.csv:51:' &&
    grep -qx 'cymetrics: 150 more errors not shown (--max-errors 50)' "$T/many/err" &&
    grep -qx 'cymetrics: 200 errors' "$T/many/err"; then ok; else bad "default limit: status $st"; tail -3 "$T/many/err"; fi

# usage errors
(cd "$T/ok" && "$CYM" validate data --framework framework.csv --format xml >/dev/null 2>err)
st=$?
if [ $st -eq 2 ] && grep -q "invalid format 'xml'" "$T/ok/err"; then ok; else bad "--format xml: status $st"; fi
(cd "$T/ok" && "$CYM" validate data --framework framework.csv --max-errors 0 >/dev/null 2>err)
st=$?
if [ $st -eq 2 ] && grep -q "invalid max-errors '0'" "$T/ok/err"; then ok; else bad "--max-errors 0: status $st"; fi

# a usage error found while loading (the CSV format) is printed too, with its status
(cd "$T/ok" && "$CYM" validate data --framework framework.csv --delimiter , --decimal , >/dev/null 2>err)
st=$?
if [ $st -eq 2 ] && grep -q "^cymetrics: invalid CSV format: delimiter ','" "$T/ok/err"; then ok; else
    bad "--delimiter , --decimal ,: status $st"
fi
(cd "$T/ok" && "$CYM" validate data --framework framework.csv --delimiter , --decimal , --format json >u.json 2>/dev/null)
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["errors"][0]["class"] == "usage" and d["errors"][0]["file"] == "", d' "$T/ok/u.json"; then ok; else bad "--delimiter , --decimal , in JSON"; fi

finish
