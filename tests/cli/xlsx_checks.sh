#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Submission workbooks (<CODE>.xlsx, issue 17; docs/formats.md "Submission workbooks") in
# `validate` and `run`: a workbook holding the same values as the CSV rows it replaces gives
# the same outputs byte for byte; each defined outcome of a cell is checked by its message at
# its sheet!cell. The workbooks are written by tests/unit/xlsx_fixtures.py (Python's zipfile
# and hand-written XML).
#
#   xlsx_checks.sh CYMETRICS SOURCE_DIR
set -u
cym=$1
src=$2
. "$src/tests/cli/checklib.sh"
fx="$src/tests/unit/xlsx_fixtures.py"
bundled "$src" || exit 2
ds=$T/datasets/asean-japan

# form PATH COUNTRY YEAR ROWS: ROWS a Python list of (code, value, flag, source), None for a
# blank row; values as xlsx_fixtures.cell_xml takes them; KW more arguments of form()
form() {
    python3 -c "import sys; sys.path.insert(0, '$src/tests/unit'); import xlsx_fixtures as x
kw = dict(country='$2', year=$3); kw.update(dict($5)); x.form('$1', $4, **kw)" ||
        bad "python could not write $1"
}

# ---- the same values from a workbook: the same outputs --------------------------------
# (two levels down, as the INI names ../../indicators/asean-japan.csv)
mkdir -p "$T/c" && cp -r "$ds" "$T/c/" && csv=$T/c/asean-japan
python3 "$fx" --form "$ds/VNM.xlsx" VNM 2024 "$ds/VNM.csv" || bad "form from VNM.csv"
grep -v ',2024,' "$ds/VNM.csv" >"$T/v" && mv "$T/v" "$ds/VNM.csv"
"$cym" validate "$ds" >"$T/vx.out" 2>"$T/vx.err" || bad "validate with VNM.xlsx: $(cat "$T/vx.err")"
"$cym" validate "$csv" >"$T/vc.out" 2>/dev/null
if grep '^data:' "$T/vx.out" | sed 's/^data: [^:]*:/data:/' >"$T/a" &&
    grep '^data:' "$T/vc.out" | sed 's/^data: [^:]*:/data:/' >"$T/b" && cmp -s "$T/a" "$T/b"; then
    ok
else
    bad "validate counts differ: $(cat "$T/a") vs $(cat "$T/b")"
fi
# (both runs from the same folder, as the outputs name the inputs' paths)
"$cym" run "$ds" --out "$T/outx" --charts none >/dev/null 2>&1 || bad "run with VNM.xlsx failed"
mv "$ds/VNM.xlsx" "$T/VNM.xlsx" && cp "$csv/VNM.csv" "$ds/VNM.csv"
"$cym" run "$ds" --out "$T/outc" --charts none >/dev/null 2>&1 || bad "run with VNM.csv failed"
mv "$T/VNM.xlsx" "$ds/VNM.xlsx" && grep -v ',2024,' "$csv/VNM.csv" >"$ds/VNM.csv"
# every output the same but the list of inputs (manifest.json, and the inputs of
# results.json and the report, which list VNM.xlsx beside VNM.csv with their hashes)
if diff -r -x manifest.json -x 'report.*' -x results.json -x results.xlsx "$T/outx" "$T/outc" >"$T/d"; then ok; else
    bad "outputs differ: $(head -5 "$T/d")"; fi
# results.xlsx: its sheets the same but the last (Methodology, which lists the inputs)
if python3 -c "import re, sys, zipfile
a, b = (zipfile.ZipFile(p) for p in sys.argv[1:])
sheets = lambda z: sorted((x for x in z.namelist() if x.startswith('xl/worksheets/sheet')),
                          key=lambda x: int(re.sub(r'[^0-9]', '', x)))
n = sheets(a)
sys.exit(n != sheets(b) or
         any(a.read(x) != b.read(x) for x in n[:-1]))" "$T/outx/results.xlsx" "$T/outc/results.xlsx"; then ok; else
    bad "results.xlsx sheets differ"; fi
for r in report.html report.md results.json; do
    if diff "$T/outx/$r" "$T/outc/$r" | grep '^[<>]' | grep -v 'asean-japan/VNM\.\(csv\|xlsx\)' >"$T/d"; then
        bad "$r differs beyond its inputs: $(head -5 "$T/d")"
    else
        ok
    fi
done
# the manifest lists and hashes the workbook as an input
if grep -q '"path": ".*VNM.xlsx"' "$T/outx/manifest.json"; then ok; else bad "VNM.xlsx not in the manifest"; fi

# ---- a workbook alone, without VNM.csv ----------------------------------------------------
rm "$ds/VNM.csv"
if "$cym" validate "$ds" >"$T/o" 2>&1 && grep -q '^data:.*years 2017-2024' "$T/o"; then ok; else
    bad "VNM.xlsx alone: $(cat "$T/o")"; fi

# ---- beside the CSV, a row for the same indicator and year is the duplicate ---------------
cp "$csv/VNM.csv" "$ds/VNM.csv"
"$cym" validate "$ds" >"$T/o" 2>&1
if grep -q "VNM.xlsx:Data!A2: duplicate row for VNM, LEG.CYBERCRIME, 2024 (first at .*VNM.csv:" "$T/o"; then ok; else
    bad "duplicate beside the CSV: $(head -3 "$T/o")"; fi
rm "$ds/VNM.xlsx"
grep -v ',2024,' "$csv/VNM.csv" >"$ds/VNM.csv"

# ---- every outcome of a cell, at its cell -------------------------------------------------
# expect ROWS KW -- LINE...: validate fails and prints each LINE (a grep pattern)
expect() {
    rows=$1
    kw=$2
    shift 3
    form "$ds/VNM.xlsx" VNM 2024 "$rows" "$kw"
    "$cym" validate "$ds" --max-errors 100 >"$T/o" 2>&1
    for want in "$@"; do
        if grep -q -- "$want" "$T/o"; then ok; else bad "expected '$want' in: $(cat "$T/o")"; fi
    done
}
expect "[('TEC.INF.HTTPS', '45%', None, None),
         ('TEC.INF.DNSSEC', {'v': '0.45', 's': 1}, None, None),
         ('CAP.AWARE', {'v': '45000', 's': 2}, None, None),
         ('CAP.UNIV', {'f': 'SUM(A1:A2)'}, None, None),
         ('CAP.RND', True, None, None),
         ('COO.PPP', {'t': 'e', 'v': '#N/A'}, None, None),
         ('TEC.INF.HTTP', 3, None, None),
         None,
         ('LEG.CYBERCRIME', 2, None, None),
         ('CAP.INDUSTRY', {'t': 'd', 'v': '2024-05-01'}, None, None),
         ('ORG.BUDGET', 1, None, None),
         ('ORG.AGENCY', 1, None, None)]" "data_kw={'merged': ('E12:E13',)}" -- \
    "VNM.xlsx:Data!E2: value '45%' of TEC.INF.HTTPS is not a number" \
    "VNM.xlsx:Data!E3: value of TEC.INF.DNSSEC is formatted as a percentage: the cell shows 45% but holds 0.45" \
    "VNM.xlsx:Data!E4: value of CAP.AWARE is formatted as a date" \
    "VNM.xlsx:Data!E5: the value of CAP.UNIV is a formula with no saved result; open the workbook in a spreadsheet program and save it" \
    "VNM.xlsx:Data!E6: value of CAP.RND is the logical value TRUE, not a number" \
    "VNM.xlsx:Data!E7: value of COO.PPP is the spreadsheet error #N/A" \
    "VNM.xlsx:Data!A8: unknown indicator 'TEC.INF.HTTP' (did you mean 'TEC.INF.HTTPS'?)" \
    "VNM.xlsx:Data!E10: value '2' of LEG.CYBERCRIME must be 0 or 1" \
    "VNM.xlsx:Data!E11: value of CAP.INDUSTRY is formatted as a date" \
    "VNM.xlsx:Data!E12: the value cell is merged with others (E12:E13)" \
    "^10 errors\|10 errors"
# nothing about the blank row 9
if grep -q 'Data!.9:' "$T/o"; then bad "the blank row 9 was reported: $(cat "$T/o")"; else ok; fi

# text that is a number, a formula's cached value, an empty value (missing), hidden rows and
# columns (read, with a warning), an extra sheet (ignored): valid, and read
form "$ds/VNM.xlsx" VNM 2024 "[('TEC.INF.HTTPS', ' 81.3 ', None, None),
    ('TEC.INF.DNSSEC', {'f': 'A1', 'v': '47.9'}, 'provisional', 'ministry'),
    ('COO.ACK', None, 'not reported', None)]" \
    "data_kw={'hidden_rows': (3,), 'hidden_cols': (6,)}, extra_sheets=[('Notes', None, x.sheet_xml({1: ['free text', 1]}))]"
if "$cym" validate "$ds" >"$T/o" 2>&1; then ok; else bad "valid form refused: $(cat "$T/o")"; fi
if grep -q 'VNM.xlsx:Data: 1 hidden row (the first is row 3) read as the others' "$T/o" &&
    grep -q 'VNM.xlsx:Data: hidden column F read as the others' "$T/o"; then ok; else
    bad "hidden warnings: $(cat "$T/o")"; fi
"$cym" run "$ds" --out "$T/o3" --charts none >/dev/null 2>&1 || bad "run on the valid form"
# the values read: 81.3 and 47.9 (provisional) in 2024, COO.ACK missing
if grep -q '^VNM,.*TEC.INF.HTTPS,2024,81.3' "$T/o3/data.csv" 2>/dev/null ||
    grep -q 'VNM.*2024.*TEC.INF.HTTPS' "$T/o3/data.csv" 2>/dev/null; then ok; else
    bad "TEC.INF.HTTPS 2024 of VNM not in data.csv: $(grep VNM "$T/o3/data.csv" | head -3)"; fi

# ---- the workbook itself ------------------------------------------------------------------
expect "[('TEC.INF.HTTPS', 1, None, None)]" "country='THA'" -- \
    "VNM.xlsx:cymetrics!B1: the form is for country 'THA', but the file is named for 'VNM'"
# a form of a year far from the others: the span bound, at the workbook's first row
expect "[('TEC.INF.HTTPS', 1, None, None)]" "year=1950" -- \
    "VNM.xlsx:Data!A2: year 1950 is 67 years from the nearest other year with data (2017)"
expect "[('TEC.INF.HTTPS', 1, None, None)]" "meta_sheet=False" -- \
    "VNM.xlsx: not a cymetrics form"
expect "[('TEC.INF.HTTPS', 1, None, None)]" "header=['code', 'indicator', 'pillar', 'unit', 'value', 'flags', 'source']" -- \
    "VNM.xlsx:Data!A1: missing required column 'flag' in the header row"
# columns found by their header: moved and extra columns read
expect "[('TEC.INF.HTTPS', 'x', None, None)]" "header=['CODE', 'indicator', 'pillar', 'unit', 'Value', 'flag', 'Source']" -- \
    "VNM.xlsx:Data!E2: value 'x' of TEC.INF.HTTPS is not a number"
printf 'indicator,year,value\n' >"$ds/VNM.xlsx"
expect_text() { "$cym" validate "$ds" >"$T/o" 2>&1; grep -q -- "$1" "$T/o" && ok || bad "expected '$1' in: $(cat "$T/o")"; }
expect_text "VNM.xlsx: not a workbook: the file is text (a CSV file named .xlsx?)"
# the JSON of validate names the sheet and the cell
expect "[('TEC.INF.HTTPS', '45%', None, None)]" "" --
"$cym" validate "$ds" --format json >"$T/j" 2>/dev/null
if python3 -c "import json,sys; e=json.load(open('$T/j'))['errors'][0]; sys.exit(not (e['sheet']=='Data' and e['cell']=='E2' and e['line']==2 and e['column']==5))"; then ok; else
    bad "validate JSON: $(cat "$T/j")"; fi
rm "$ds/VNM.xlsx"

# ---- a workbook where a CSV file is read: said so ---------------------------------------
python3 "$fx" --form "$T/data.xlsx" VNM 2024 "$csv/VNM.csv"
"$cym" validate "$ds" --data "$T/data.xlsx" >"$T/o" 2>&1
if grep -q "data.xlsx: the file is a spreadsheet workbook (.xlsx, a zip archive), not CSV" "$T/o"; then ok; else
    bad "combined data as xlsx: $(cat "$T/o")"; fi
finish
