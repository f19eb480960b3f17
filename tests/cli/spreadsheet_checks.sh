#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Spreadsheet-safe CSV (issue 15, docs/formats.md "CSV outputs"): the output tables of a run on
# hostile names, codes, tier labels and flags (the inputs of tests/golden/ok-spreadsheet-safe)
# are opened in a real spreadsheet engine, Gnumeric's ssconvert, which runs a cell starting
# with `=` as a formula even in double quotes. Checks: no cell of any output CSV is a formula,
# and the hostile texts come back as text cells holding exactly the input text (the leading `'`
# the writer adds is not part of the cell). Exits 77 (CTest SKIP_RETURN_CODE) when ssconvert
# is not installed (scripts/install-deps.sh --spreadsheet).
# Usage: spreadsheet_checks.sh CYMETRICS SOURCE_DIR
set -u
CYM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
if ! command -v ssconvert >/dev/null 2>&1; then
    echo "SKIP: no ssconvert (install Gnumeric with scripts/install-deps.sh --spreadsheet)"
    exit 77
fi
. "$(dirname "$0")/checklib.sh"

# the inputs of the golden case: its base fixture, then its own files
CASE="$SRC/tests/golden/ok-spreadsheet-safe"
cp -r "$SRC/tests/golden/fixtures/$(cat "$CASE/base")/." "$T/"
cp "$CASE/framework.csv" "$T/"
cp "$CASE/data/"*.csv "$T/data/"
cd "$T" || exit 1
"$CYM" run data --framework framework.csv --out out --charts none --report off --tables none \
    --tiers '60:@Top,40:=Middle,20:+Lower,0:-Bottom' --quiet </dev/null ||
    bad "run failed"

# Each CSV as Gnumeric reads it (its CSV importer, not the guessing one), saved as Gnumeric
# XML: a cell with a ValueType is a value (40 number, 60 text), one without is an expression.
sheet() { # sheet CSV -> T/sheet.xml
    ssconvert -I Gnumeric_stf:stf_csvtab "$1" "$T/sheet.gnumeric" >/dev/null 2>&1 &&
        gzip -dc "$T/sheet.gnumeric" >"$T/sheet.xml"
}
n=0
for f in $(find out -name '*.csv' | LC_ALL=C sort); do
    n=$((n + 1))
    if ! sheet "$f"; then
        bad "ssconvert could not read $f"
        continue
    fi
    formulas=$(grep '<gnm:Cell ' "$T/sheet.xml" | grep -v 'ValueType=')
    [ -z "$formulas" ] && ok || bad "$f: formula cells: $formulas"
done
[ "$n" -ge 10 ] && ok || bad "only $n output CSV files"

# text_cell CSV TEXT: the sheet of CSV has a text cell holding exactly TEXT (as Gnumeric XML
# writes it: & < > " escaped)
text_cell() {
    want=$(printf '%s' "$2" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
    sheet "$1" && grep -F "ValueType=\"60\">$want</gnm:Cell>" "$T/sheet.xml" >/dev/null && ok ||
        bad "$1: no text cell '$2'"
}
# number_cell CSV TEXT: a number cell (a code that is a plain number stays one)
number_cell() {
    sheet "$1" && grep -F "ValueType=\"40\">$2</gnm:Cell>" "$T/sheet.xml" >/dev/null && ok ||
        bad "$1: no number cell '$2'"
}
for name in '=HYPERLINK("http://example.com/","Viet Nam")' '+Japan' '-Korea' '@Thailand'; do
    text_cell out/index.csv "$name"
done
for label in '@Top' '=Middle' '+Lower'; do
    text_cell out/index.csv "$label"
done
text_cell out/tiers.csv '-Bottom'
text_cell out/index.csv '-P2'
text_cell out/scores.csv '-P2'
text_cell out/weights.csv '-P2'
for flag in '=1+2' '@provisional' '-estimated' '+revised' "=cmd|' /C calc'!A0"; do
    text_cell out/data.csv "$flag"
done
number_cell out/data.csv '-5'

finish
