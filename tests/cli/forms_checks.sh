#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The data collection round trip (issue 17): `forms` writes one workbook per country, another
# program fills them in (openpyxl, tests/cli/fill_forms.py) with the bundled dataset's own 2024
# values, `collect` merges them into a copy of the dataset without its 2024 rows, and then:
# the country files hold the original rows (numbers compared as numbers: collect writes each
# value as the shortest text that reads back, `65` for `65.0`), and `run` writes the same
# output set as on the original files, byte for byte, but for the inputs' hashes and sizes in
# manifest.json (the files differ in those digits). Then what must be refused: a form returned
# under another country's name, '45%' typed as text, a number formatted as a percentage; a
# collect failing half-way (an injected fault), or refused, leaves the dataset as it was;
# --dry-run changes nothing. With `libreoffice` as third argument: the filled forms are first
# saved again by LibreOffice (headless), what a real spreadsheet changes, and the round trip
# must still hold. Exits 77 (CTest's skip) without openpyxl or, for that case, LibreOffice
# (scripts/install-deps.sh --spreadsheet).
# Usage: forms_checks.sh CYMETRICS SOURCE_DIR [libreoffice]
set -u
CYM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
MODE=${3:-openpyxl}
PY=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import openpyxl' 2>/dev/null; then
        PY=$p
        break
    fi
done
if [ -z "$PY" ]; then
    echo "SKIP: no Python with openpyxl (scripts/install-deps.sh --spreadsheet: python3-openpyxl)"
    exit 77
fi
if [ "$MODE" = libreoffice ] && ! command -v soffice >/dev/null 2>&1; then
    echo "SKIP: no LibreOffice (scripts/install-deps.sh --spreadsheet: libreoffice-calc-nogui)"
    exit 77
fi
. "$(dirname "$0")/checklib.sh"
FILL="$SRC/tests/cli/fill_forms.py"
export SOURCE_DATE_EPOCH=0 # the run time of manifest.json is 0
cd "$T" || exit 1

# a/ds: the bundled dataset; b/ds: the same without its 2024 rows (same relative paths, so
# that the two runs' outputs can be compared byte for byte)
for side in a b; do
    mkdir "$side" && cp -r "$SRC/datasets/asean-japan" "$side/ds" &&
        cp "$SRC/indicators/asean-japan.csv" "$side/fw.csv" &&
        sed -i 's|^framework = .*|framework = ../fw.csv|' "$side/ds/cymetrics.ini" || exit 1
done
for f in b/ds/[A-Z][A-Z][A-Z].csv; do
    grep -v '^[^,]*,2024,' "$f" >"$f.t" && mv "$f.t" "$f"
done
# collect writes a value as the shortest text that reads back to the same number (`65` where
# the file had `65.0`): a/ds's 2024 values are written so too, the one documented change, so
# that the collected files must equal a/ds's byte for byte
"$PY" - a/ds/[A-Z][A-Z][A-Z].csv <<'EOF' || exit 1
import sys
for path in sys.argv[1:]:
    out = []
    for line in open(path, newline=""):
        f = line.split(",")
        if len(f) > 2 and f[1] == "2024" and f[2]:
            r = repr(float(f[2]))
            f[2] = r[:-2] if r.endswith(".0") else r
        out.append(",".join(f))
    open(path, "w", newline="").write("".join(out))
EOF
# the dataset's files, hashed (the review folder .collect/ apart)
fingerprint() {
    (cd "$1" && find . -path ./.collect -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum)
}

# fill FORMS [CODE=CELL=TEXT ...]: filled with a/ds's values (and saved by LibreOffice)
fill() {
    d=$1
    shift
    "$PY" "$FILL" "$d" a/ds "$@" || return 1
    [ "$MODE" = libreoffice ] || return 0
    mkdir -p "$T/lo-out" "$T/lo-home" &&
        HOME="$T/lo-home" soffice --headless --norestore --convert-to xlsx --outdir "$T/lo-out" \
            "$d"/*.xlsx >"$T/lo.log" 2>&1 &&
        mv "$T/lo-out"/*.xlsx "$d"/ || {
        cat "$T/lo.log"
        return 1
    }
}

if [ "$MODE" != libreoffice ]; then
    # 1. forms: one workbook per country, deterministic bytes, the agreed layout
    "$CYM" forms b/ds --out f0 --year 2024 -q && ok || bad "forms failed"
    [ "$(ls f0 | grep -c '^[A-Z][A-Z][A-Z][.]xlsx$')" -eq 11 ] && [ -f f0/manifest.json ] && ok ||
        bad "forms: not 11 workbooks and a manifest: $(ls f0)"
    "$CYM" forms b/ds --out f1 --year 2024 -q && cmp -s f0/VNM.xlsx f1/VNM.xlsx && ok ||
        bad "forms: two runs wrote different bytes"
    "$CYM" forms b/ds --out f2 --country vnm,JPN -q &&
        [ "$(ls f2 | LC_ALL=C sort | tr '\n' ' ')" = "JPN.xlsx VNM.xlsx manifest.json " ] &&
        ok || bad "forms --country vnm,JPN: $(ls f2 | tr '\n' ' ')"
    "$CYM" forms b/ds --out f3 --country XYZ 2>err
    [ $? -eq 2 ] && [ ! -e f3 ] && grep -q "no country 'XYZ'" err && ok ||
        bad "forms --country XYZ: $(cat err)"
    "$CYM" forms b/ds 2>err
    [ $? -eq 2 ] && grep -q -- "--out" err && ok || bad "forms without --out: $(cat err)"
    "$CYM" forms b/ds --out b/ds/forms 2>err
    [ $? -eq 2 ] && [ ! -e b/ds/forms ] && grep -q "input folder" err && ok ||
        bad "forms into the dataset: $(cat err)"
    # the default year is the latest of the data + 1 (2023 + 1 in b/ds)
    "$CYM" forms b/ds --out f4 --country VNM -q && ok || bad "forms with the default year failed"
    "$PY" - f0/VNM.xlsx f4/VNM.xlsx <<'EOF' && ok || bad "the layout of VNM.xlsx"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["Instructions", "Data", "cymetrics"], wb.sheetnames
assert wb.active.title == "Instructions"
assert wb["cymetrics"].sheet_state == "hidden" and wb["Data"].sheet_state == "visible"
assert wb["cymetrics"].protection.sheet
m = [[c.value for c in r] for r in wb["cymetrics"].iter_rows()]
assert m == [["country", "VNM"], ["year", 2024], ["dataset", "asean-japan"], ["form-version", 1]], m
ws = wb["Data"]
heads = [c.value for c in ws[1]]
assert heads == ["code", "indicator", "pillar", "unit", "value", "flag", "source/notes",
                 "allowed", "direction", "previous value", "previous flag"], heads
assert ws.max_row == 29, ws.max_row  # 28 indicators
assert ws.protection.sheet and ws.freeze_panes == "A2"
for col in "ABCDHIJK":
    assert ws[col + "2"].protection.locked, col
for col in "EFG":
    assert not ws[col + "2"].protection.locked, col
    assert ws[col + "29"].number_format == "General", ws[col + "29"].number_format
# LEG.CYBERCRIME binary: 0 or 1; TEC.IR.CERT ordinal:4; LEG.REGS any number; VNM's 2023 value
row = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
dv = {str(d.sqref): d for d in ws.data_validations.dataValidation}
assert dv["E%d" % row["LEG.CYBERCRIME"]].formula1 == '"0,1"'
assert dv["E%d" % row["TEC.IR.CERT"]].formula1 == '"0,1,2,3,4"'
assert dv["E%d" % row["LEG.REGS"]].type == "decimal"
f = dv["F2:F29"]
assert f.formula1 == '"provisional,not reported"' and f.errorStyle == "information"
assert ws.cell(row["LEG.REGS"], 10).value == 37  # VNM.csv: LEG.REGS,2023,37
assert ws.cell(row["TEC.INF.HTTPS"], 5).value is None
assert wb.properties.created.year == 2000
assert "Viet Nam" in wb.properties.title and "2024" in wb.properties.title
wb = openpyxl.load_workbook(sys.argv[2])
assert wb["cymetrics"]["B2"].value == 2024  # b/ds ends in 2023
EOF
    # framework editions: the form of a year is that of the edition in force (2017-2019 v1,
    # 2020-2022 v2, tests/data/editions); 2023, the default, is in none
    cp -r "$SRC/tests/data/editions" ed
    "$CYM" forms ed --out e1 --year 2018 -q && "$CYM" forms ed --out e2 --year 2021 -q && ok ||
        bad "forms of an editions dataset failed"
    "$PY" - e1/AAA.xlsx e2/AAA.xlsx <<'EOF' && ok || bad "the editions' forms"
import sys, openpyxl
codes = [[c.value for c in openpyxl.load_workbook(p)["Data"]["A"]][1:] for p in sys.argv[1:]]
assert codes == [["L.LAW", "L.REG", "T.CERT", "T.PATCH"],
                 ["L.LAW", "L.STRAT", "T.CIRT", "T.PATCH"]], codes
EOF
    "$CYM" forms ed --out e3 2>err
    [ $? -eq 2 ] && grep -q "no framework edition of the dataset covers 2023" err && ok ||
        bad "forms for a year no edition covers: $(cat err)"
fi

# 2. the round trip: forms for 2024, filled with the original values, collected
"$CYM" forms b/ds --out forms --year 2024 -q && fill forms && ok || bad "forms or filling failed"
before=$(fingerprint b/ds)
# 2a. a dry run changes nothing, and its review lists the 2024 rows as added
"$CYM" collect forms --into b/ds --dry-run --review dry.csv >out 2>err && ok ||
    bad "collect --dry-run: $(cat err)"
[ "$(fingerprint b/ds)" = "$before" ] && ok || bad "collect --dry-run changed the dataset"
added=$(grep -c ',added$' dry.csv)
[ "$added" -eq "$(grep -c '^[^,]*,2024,' a/ds/[A-Z]*.csv | awk -F: '{s += $2} END {print s}')" ] &&
    ok || bad "the review lists $added rows added"
head -1 dry.csv | grep -qx 'country,indicator,year,old_value,new_value,old_flag,new_flag,kind' &&
    ok || bad "review header: $(head -1 dry.csv)"
# 2b. a collect failing half-way (the 4th of 11 renames) leaves every file as it was
forms_sum=$(cd forms && sha256sum ./*.xlsx)
CYMETRICS_TEST_COLLECT_FAIL=4 "$CYM" collect forms --into b/ds -q 2>err
[ $? -eq 3 ] && grep -q "as they were" err && ok || bad "collect with a fault: $(cat err)"
[ "$(fingerprint b/ds)" = "$before" ] && ok || bad "a failed collect changed the dataset"
[ -z "$(ls b/ds/.collect | grep -v -e lock -e review)" ] && ok ||
    bad "a failed collect left $(ls b/ds/.collect)"
# 2c. a collect killed half-way (before the 4th rename) leaves 3 files replaced and its undo
#     folder; the next collect puts them back first, even one refused for its forms
CYMETRICS_TEST_COLLECT_FAIL=kill:4 "$CYM" collect forms --into b/ds -q 2>/dev/null
[ $? -ne 0 ] && [ "$(fingerprint b/ds)" != "$before" ] && ls b/ds/.collect | grep -q '^undo-' &&
    ok || bad "collect killed half-way: $(ls b/ds/.collect)"
mkdir wrong && cp forms/VNM.xlsx wrong/MYS.xlsx
"$CYM" collect wrong --into b/ds 2>/dev/null
[ $? -eq 1 ] && [ "$(fingerprint b/ds)" = "$before" ] && ! ls b/ds/.collect | grep -q '^undo-' &&
    ok || bad "the next collect did not put the files back: $(ls b/ds/.collect)"
# 2d. the collect
"$CYM" collect forms --into b/ds >out 2>err && ok || bad "collect: $(cat err)"
grep -q "11 forms for 2024" out && [ -f b/ds/.collect/review-2024.csv ] && ok ||
    bad "collect said: $(cat out)"
[ "$(cd forms && sha256sum ./*.xlsx)" = "$forms_sum" ] && ok || bad "collect modified a form"
[ "$(fingerprint a/ds)" = "$(fingerprint b/ds)" ] && ok ||
    bad "the collected files are not the original ones: $(diff -r -x .collect a/ds b/ds | head -5)"
# 2e. run on both: the same output set, every byte of every file (manifest.json included)
"$CYM" run a/ds --out a/out --charts none -q 2>/dev/null && "$CYM" run b/ds --out b/out --charts none -q 2>/dev/null &&
    ok || bad "run failed"
diff -r a/out b/out >diff.txt && ok || bad "run outputs differ: $(head -5 diff.txt)"
# a second collect of the same forms changes nothing
"$CYM" collect forms --into b/ds >out 2>err && grep -q "0 added, 0 changed, 0 removed" out &&
    ok || bad "a second collect: $(cat out err)"

# 3. refused: nothing written, the dataset untouched
before=$(fingerprint b/ds)
"$CYM" collect wrong --into b/ds 2>err
[ $? -eq 1 ] && grep -q "wrong/MYS.xlsx:cymetrics!B1: the form is for country 'VNM', but the file is named for 'MYS'" err && ok ||
    bad "VNM's form as MYS.xlsx: $(cat err)"
"$CYM" forms b/ds --out typo --year 2024 --country VNM,JPN -q && fill typo VNM=E11=45% || bad "typo forms"
"$CYM" collect typo --into b/ds 2>err
[ $? -eq 1 ] && grep -q "typo/VNM.xlsx:Data!E11: value '45%' of TEC.INF.HTTPS is not a number" err &&
    ok || bad "'45%' typed: $(cat err)"
"$CYM" forms b/ds --out pct --year 2024 --country JPN -q && fill pct || bad "pct forms"
"$PY" - pct/JPN.xlsx <<'EOF' || bad "formatting a percentage"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Data"]
ws["E2"].value = 0.45
ws["E2"].number_format = "0%"
wb.save(sys.argv[1])
EOF
"$CYM" collect pct --into b/ds 2>err
[ $? -eq 1 ] && grep -q "pct/JPN.xlsx:Data!E2: value of LEG.CYBERCRIME is formatted as a percentage" err &&
    ok || bad "a percentage format: $(cat err)"
[ "$(fingerprint b/ds)" = "$before" ] && ok || bad "a refused collect changed the dataset"
finish
