#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The summary tables and the report (issue 6), end to end on the bundled dataset:
#   results.json is valid JSON and its numbers are the CSVs' doubles; results.xlsx opens and
#   its summary sheet matches index.csv (numbers stored as numbers, header frozen); the key
#   findings agree with the CSVs; the report embeds only valid SVG data URIs and fetches
#   nothing; a hostile country name and title are escaped everywhere; identical runs give
#   identical files, and the report of a run (given the run's trends) is the report command's
#   (which computes them); `report --country`, --tables, --decimals and their errors.
# Usage: report_checks.sh CYMETRICS SOURCE_DIR
set -u
CYM=$1
SRC=$2
HERE=$SRC/tests/cli/report
. "$(dirname "$0")/checklib.sh"
check() { if eval "$1"; then ok; else bad "$2"; fi; }
DS=$SRC/datasets/asean-japan

# 1. a whole run (SVG charts only, faster than PNG): every file, valid JSON, xlsx, findings
"$CYM" run "$DS" --out "$T/a" --charts svg -q </dev/null || bad "run failed"
for f in tables.md tables.html results.xlsx results.json report.html report.md; do
    check "[ -s '$T/a/$f' ]" "$f not written"
done
check "python3 -m json.tool '$T/a/results.json' >/dev/null" "results.json is not valid JSON"
check "python3 '$HERE/check_json.py' '$T/a/results.json' '$T/a/scores.csv' '$T/a/tiers.csv'" \
    "results.json differs from scores.csv / tiers.csv"
check "python3 '$HERE/check_xlsx.py' '$T/a/results.xlsx' '$T/a/index.csv'" \
    "results.xlsx does not match index.csv"
check "unzip -tq '$T/a/results.xlsx' >/dev/null" "results.xlsx is not a valid zip"
check "python3 '$HERE/check_findings.py' '$T/a'" "key findings disagree with the CSVs"
# self-contained: no URL to fetch, no script; every image a data URI holding a valid SVG
check "! grep -Eiq '(src|href)=\"(https?:|//|file:)|<script|<link|@import|url\\(' '$T/a/report.html'" \
    "report.html refers to something outside itself"
python3 - "$T/a/report.html" <<'PY' || bad "report.html images are not valid SVG data URIs"
import base64, re, sys
import xml.etree.ElementTree as ET
html = open(sys.argv[1], encoding="utf-8").read()
imgs = re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">', html)
assert len(imgs) == html.count("<img"), "an image that is not an SVG data URI"
# ranking, composition, trends, change and one radar per country
assert len(imgs) == 4 + 11, len(imgs)
for b in imgs:
    assert ET.fromstring(base64.b64decode(b)).tag.endswith("svg")
print("report.html: %d SVG images" % len(imgs))
PY
check "grep -q 'id=\"profile-VNM\"' '$T/a/report.html' && grep -q '^### Viet Nam (VNM)' '$T/a/report.md'" \
    "no profile of Viet Nam"
check "grep -q 'Content-Security-Policy' '$T/a/report.html'" "report.html has no CSP"

# 2. identical runs, identical files (no date, no run time, no output folder inside)
"$CYM" run "$DS" --out "$T/b" --charts svg -q </dev/null
for f in tables.md tables.html results.xlsx results.json report.html report.md; do
    check "cmp -s '$T/a/$f' '$T/b/$f'" "$f differs between two identical runs"
done

# the run hands its trends to its report; `cymetrics report` computes them: the same report
"$CYM" report "$DS" --out "$T/r" --charts svg -q </dev/null || bad "report failed"
"$CYM" run "$DS" --out "$T/rc" --charts svg --trend-basis common -q </dev/null || bad "run failed"
"$CYM" report "$DS" --out "$T/rc2" --charts svg --trend-basis common -q </dev/null ||
    bad "report failed"
for f in report.html report.md; do
    check "cmp -s '$T/a/$f' '$T/r/$f'" "$f of the run differs from the report command's"
    check "cmp -s '$T/rc/$f' '$T/rc2/$f'" "$f of the run differs from the report command's (common basis)"
done

# 3. hostile text from the inputs: a country name and the title with markup, quotes, pipes
mkdir -p "$T/h"
cp -r "$DS" "$T/h/ds"
cp "$SRC/indicators/asean-japan.csv" "$T/h/fw.csv"
sed -i 's|^framework = .*|framework = ../fw.csv|; s|^title = .*|title = <img src=x onerror=alert(2)> Index|' \
    "$T/h/ds/cymetrics.ini"
HOSTILE='<script>alert(1)</script> & "Q" '"'"'x'"'"' |*_'
python3 - "$T/h/ds/countries.csv" "$HOSTILE" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
for r in rows:
    if r[0] == "VNM":
        r[1] = sys.argv[2]
csv.writer(open(sys.argv[1], "w", newline="", encoding="utf-8"), lineterminator="\n").writerows(rows)
PY
"$CYM" run "$T/h/ds" --out "$T/h/out" --charts svg -q </dev/null || bad "run with a hostile name failed"
# each command writes its own set (docs/security.md): the profile goes into a folder of its own
"$CYM" report "$T/h/ds" --country VNM --out "$T/h/outc" -q </dev/null || bad "report --country with a hostile name failed"
cp "$T/h/outc/report-VNM.html" "$T/h/outc/report-VNM.md" "$T/h/out/"
for f in report.html tables.html report-VNM.html; do
    check "! grep -q '<script' '$T/h/out/$f' && ! grep -q '<img src=x' '$T/h/out/$f'" \
        "$f lets markup from the inputs through"
    check "grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot; &#39;x&#39;' '$T/h/out/$f'" \
        "$f does not show the hostile name escaped"
done
for f in report.md tables.md report-VNM.md; do
    check "! grep -q '<script\\|<img' '$T/h/out/$f'" "$f lets markup from the inputs through"
    check "grep -qF '&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"Q\" '\"'\"'x'\"'\"' \\|\\*\\_' '$T/h/out/$f'" \
        "$f does not show the hostile name escaped"
done
python3 - "$T/h/out/results.json" "$HOSTILE" <<'PY' || bad "results.json does not keep the hostile name exactly"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert [c["name"] for c in d["countries"] if c["code"] == "VNM"] == [sys.argv[2]]
PY
check "unzip -p '$T/h/out/results.xlsx' xl/sharedStrings.xml | grep -qF '&lt;script&gt;alert(1)&lt;/script&gt; &amp;'" \
    "results.xlsx does not hold the hostile name as escaped XML text"

# 4. report --country writes that profile alone; errors
"$CYM" report "$DS" --country VNM --out "$T/c" -q </dev/null || bad "report --country VNM failed"
check "[ \"\$(ls '$T/c' | tr '\\n' ' ')\" = 'manifest.json report-VNM.html report-VNM.md ' ]" \
    "report --country VNM wrote: $(ls "$T/c" 2>/dev/null | tr '\n' ' ')"
check "[ \$(grep -c '<section class=\"profile\"' '$T/c/report-VNM.html') -eq 1 ] && grep -q 'id=\"profile-VNM\"' '$T/c/report-VNM.html'" \
    "report-VNM.html is not exactly Viet Nam's profile"
"$CYM" report "$DS" --country XXX --out "$T/d" -q 2>"$T/err" </dev/null
rc=$?
check "[ $rc -eq 2 ] && grep -q \"no country 'XXX' in the dataset\" '$T/err' && [ ! -e '$T/d' ]" \
    "unknown country: exit $rc, $(cat "$T/err")"
"$CYM" report "$DS" --country 2>"$T/err" </dev/null
check "[ $? -eq 2 ] && grep -q \"option '--country' needs a value\" '$T/err'" "--country without a value"

# 5. --tables and --decimals
"$CYM" run "$DS" --out "$T/e" --charts none --report off --tables md --decimals 3 -q </dev/null ||
    bad "run --tables md failed"
check "[ -s '$T/e/tables.md' ] && [ ! -e '$T/e/tables.html' ] && [ ! -e '$T/e/results.xlsx' ] && [ ! -e '$T/e/results.json' ] && [ ! -e '$T/e/report.html' ]" \
    "--tables md --report off wrote other formats: $(ls "$T/e" | tr '\n' ' ')"
# 81.876758311818108 (index.csv, Singapore) with 3 decimals
check "grep -q '| 1 | SGP | Singapore | 81.877 |' '$T/e/tables.md'" "--decimals 3 not applied"
check "grep -q '^\"tables\": \"md\"\\|\"tables\": \"csv,md\"' '$T/e/manifest.json' || grep -q '\"tables\": \"csv,md\"' '$T/e/manifest.json'" \
    "manifest does not record --tables"
"$CYM" run "$DS" --out "$T/f" --tables md,doc -q 2>"$T/err" </dev/null
rc=$?
check "[ $rc -eq 2 ] && grep -q \"tables\" '$T/err' && [ ! -e '$T/f' ]" "bad --tables: exit $rc, $(cat "$T/err")"
"$CYM" run "$DS" --out "$T/f" --decimals 9 -q 2>"$T/err" </dev/null
rc=$?
check "[ $rc -eq 2 ] && grep -q 'decimals' '$T/err' && [ ! -e '$T/f' ]" "bad --decimals: exit $rc, $(cat "$T/err")"

# 6. with an uncertainty analysis: the findings name the uncertain ranks, results.json holds them
"$CYM" run "$DS" --out "$T/u" --charts none --runs 200 --weight-noise 0.5 --alt-normalise minmax,rank -q </dev/null ||
    bad "run with uncertainty failed"
check "grep -q '^- Uncertain ranks (200 Monte Carlo runs' '$T/u/report.md'" "no finding on uncertain ranks"
check "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d[\"uncertainty\"])==11*8' '$T/u/results.json'" \
    "results.json has no uncertainty records"

# 7. findings that list countries are never cut (issue 14: a finding stopped at 2,048 bytes,
#    80 countries): 150 countries over 3 years (no trend can be significant with 3 points),
#    the first 20 tied at the top: the shared lead names all 20, the trend finding all 150
mkdir -p "$T/many/data"
python3 - "$T/many" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/framework.csv", "w") as f:
    f.write("code,parent,name,weight,direction\nINDEX,,Index,1,\nP1,INDEX,P1,1,\nP2,INDEX,P2,1,\n"
            "a,P1,A,1,+\nb,P2,B,1,+\n")
with open(d + "/data/countries.csv", "w") as f:
    f.write("code,name\n")
    f.writelines(f"C{u // 26 // 26 % 26 + 65:c}{u // 26 % 26 + 65:c}{u % 26 + 65:c},Country {u:03d}\n"
                 .replace("C", "", 1) for u in range(150))
with open(d + "/data.csv", "w") as f:
    f.write("country,indicator,year,value\n")
    for u in range(150):
        c = f"{u // 26 // 26 % 26 + 65:c}{u // 26 % 26 + 65:c}{u % 26 + 65:c}"
        for y in (2022, 2023, 2024):
            for i in "ab":
                f.write(f"{c},{i},{y},{100 if u < 20 else (u * 7 + y + ord(i)) % 90}\n")
PY
(cd "$T/many" && "$CYM" run --countries data/countries.csv --data data.csv \
    --framework framework.csv --out out --charts none -q </dev/null) || bad "run, 150 countries"
check "python3 - '$T/many/out/report.md' <<'PY'
import sys
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
lead = [l for l in lines if l.startswith('- 20 countries share the lead in 2024')]
flat = [l for l in lines if l.startswith('- No significant trend over 2022-2024')]
assert len(lead) == 1 and lead[0].endswith('.'), lead
assert all(f'Country {u:03d}' in lead[0] for u in range(20)), lead
assert len(flat) == 1 and flat[0].endswith('.'), flat
assert all(f'Country {u:03d}' in flat[0] for u in range(150)), 'a country is missing'
PY" "a finding listing many countries is cut"

finish
