#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# End-to-end checks of `cymetrics run` that golden files cannot express: reproducibility,
# the same bytes with 1 and 2 threads, atomic output, refusal to write into inputs, I/O
# errors. Usage: run_checks.sh CYMETRICS SRCDIR CYM-GEN
set -u
CYM=$1
SRC=$2
GEN=$3
. "$(dirname "$0")/checklib.sh"

bundled_flat "$SRC" || exit 2
(cd "$T/ds" && sha256sum ./* > "$T/inputs.sha")

# 1. two runs, byte-identical outputs apart from the run time
"$CYM" run "$T/ds" --out "$T/a" -q || bad "first run failed"
cp -r "$T/a" "$T/b"
"$CYM" run "$T/ds" --out "$T/a" -q || bad "second run failed"
for f in scores.csv index.csv data.csv treatment.csv weights.csv warnings.txt; do
    cmp -s "$T/a/$f" "$T/b/$f" && ok || bad "$f differs between two identical runs"
done
grep -v '"seconds"' "$T/a/manifest.json" > "$T/ma"
grep -v '"seconds"' "$T/b/manifest.json" > "$T/mb"
cmp -s "$T/ma" "$T/mb" && ok || bad "manifest.json differs beyond the run time"
grep -q '"sha256": "[0-9a-f]\{64\}"' "$T/a/manifest.json" && ok || bad "manifest has no SHA-256"

# every value keeps the flag it was reported with: count them in the inputs and in data.csv
want=$(cat "$T"/ds/[A-Z][A-Z][A-Z].csv | grep -c ',provisional,')
got=$(grep -c ',provisional$' "$T/a/data.csv")
[ "$want" -gt 0 ] && [ "$got" = "$want" ] && ok || bad "provisional values: $got in data.csv, $want in the inputs"

# 2. a failing run leaves the earlier results untouched and no temporary file
sha256sum "$T/a"/* > "$T/before.sha"
"$CYM" run "$T/ds" --out "$T/a" --aggregate geometric -q 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "geometric aggregation with zeros: exit $rc, expected 1"
grep -q "geometric aggregation of '.*' for [A-Z]\{3\} in [0-9]\{4\} needs scores > 0" "$T/err" && ok ||
    bad "geometric error message: $(cat "$T/err")"
sha256sum "$T/a"/* | cmp -s - "$T/before.sha" && ok || bad "a failed run changed earlier results"
[ -z "$(ls -A "$T/a" | grep '^\.')" ] && ok || bad "temporary files left behind: $(ls -A "$T/a")"

# 3. the output folder may not be an input folder
"$CYM" run "$T/ds" --out "$T/ds" -q 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && ok || bad "output into the input folder: exit $rc, expected 2"
grep -q "refusing to write results into an input folder" "$T/err" && ok || bad "message: $(cat "$T/err")"

# 4. an output folder that cannot be written: exit 3, nothing half-written
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$T/ro" && chmod a-w "$T/ro"
    "$CYM" run "$T/ds" --out "$T/ro/x" -q 2>"$T/err"
    rc=$?
    [ "$rc" -eq 3 ] && ok || bad "unwritable output: exit $rc, expected 3"
fi
"$CYM" run "$T/ds" --out /dev/null/x -q 2>"$T/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "output under /dev/null: exit $rc, expected 3 ($(cat "$T/err"))"

# 5. the same bytes whatever the number of threads, on data large enough for every
#    parallel path (more than 64 files, more than 100,000 cells), with treatment per year
"$GEN" "$T/syn" 100 60 25 7 || bad "generator failed"
for th in 1 2; do
    OMP_NUM_THREADS=$th "$CYM" run "$T/syn" --out "$T/th$th" --treat winsorise --scope year \
        --yoy on -q 2>"$T/th$th.err" || bad "run with $th thread(s) failed"
done
for f in scores.csv index.csv data.csv treatment.csv weights.csv warnings.txt trends.csv \
    yoy.csv compare.csv strengths.csv results.json; do
    cmp -s "$T/th1/$f" "$T/th2/$f" && ok || bad "$f differs between 1 and 2 threads"
done
# results.json's scores and trends are formatted a country at a time on every core: each of
# their records is the row of scores.csv and trends.csv it repeats, in the same order
python3 - "$T/th2" <<'PY' && ok || bad "results.json's scores or trends differ from the CSV tables"
import csv, json, sys
d = sys.argv[1]
js = json.load(open(d + "/results.json"))
codes = [n["code"] for n in js["nodes"]]
num = lambda t: float(t) if t != "" else None
rows = iter(csv.DictReader(open(d + "/scores.csv")))
for rec in js["scores"]:
    for i, code in enumerate(codes):
        row = next(rows)
        assert (row["country"], int(row["year"]), row["code"]) == (rec["country"], rec["year"], code), (row, rec["country"])
        for k in ("score", "rank", "coverage"):
            assert num(row[k]) == rec[k][i], (row, k, rec[k][i])
assert next(rows, None) is None
rows = list(csv.DictReader(open(d + "/trends.csv")))
assert len(rows) == len(js["trends"]) > 0
for row, rec in zip(rows, js["trends"]):
    assert (row["country"], row["code"]) == (rec["row"], rec["node"]), (row, rec)
    for k, v in row.items():
        if k not in ("country", "code", "direction", "basis"):
            assert num(v) == rec[k], (row, k, rec[k])
PY
cmp -s "$T/th1.err" "$T/th2.err" && ok || bad "warnings differ between 1 and 2 threads"
OMP_NUM_THREADS=1 "$CYM" validate "$T/syn" >"$T/v1" 2>&1
OMP_NUM_THREADS=2 "$CYM" validate "$T/syn" >"$T/v2" 2>&1
cmp -s "$T/v1" "$T/v2" && ok || bad "validate differs between 1 and 2 threads"
# on data this large the comparisons run in a thread of their own beside the machine tables:
# their failure is still the run's, on one thread or two, and the last results stay whole
cp -r "$T/th2" "$T/th2.before"
for th in 1 2; do
    OMP_NUM_THREADS=$th "$CYM" run "$T/syn" --out "$T/th2" --compare-group nosuch -q \
        2>"$T/err"
    rc=$?
    [ "$rc" -eq 2 ] && grep -q "compare-group 'nosuch' is not a column" "$T/err" && ok ||
        bad "comparisons failing beside the tables ($th thread(s)): exit $rc, $(cat "$T/err")"
    diff -r "$T/th2" "$T/th2.before" >/dev/null && ok || bad "a failed run changed the last results"
done

# 7. a run with framework editions says where its numbers came from: the top folder's
# manifest.json lists each edition's inputs and the crosswalk, with their SHA-256
cp -r "$SRC/tests/data/editions" "$T/ed"
(cd "$T/ed" && "$CYM" run . --out "$T/edout" --charts none -q 2>/dev/null) || bad "editions run failed"
if python3 - "$T/edout/manifest.json" "$T/ed" <<'PY'
import hashlib, json, os, sys
m = json.load(open(sys.argv[1]))
def sha(p):
    return hashlib.sha256(open(os.path.join(sys.argv[2], p), "rb").read()).hexdigest()
eds = m["editions"]
assert [e["edition"] for e in eds] == ["2017-2019", "2020-2022"], eds
assert [e["years"] for e in eds] == [[2017, 2019], [2020, 2022]]
assert m["years"] == [2017, 2022] and m["across_editions"] == "common"
fw = {e["edition"]: [i for i in e["inputs"] if i["role"] == "framework"][0] for e in eds}
assert os.path.basename(fw["2017-2019"]["path"]) == "x-v1.csv"
assert os.path.basename(fw["2020-2022"]["path"]) == "x-v2.csv"
for e in eds:
    for i in e["inputs"]:
        assert i["sha256"] == sha(i["path"]), i
assert m["crosswalk"]["sha256"] == sha(m["crosswalk"]["path"])
assert m["run_time"]["seconds"] >= 0
PY
then ok; else bad "the editions run's manifest.json is wrong"; fi
for ed in 2017-2019 2020-2022; do
    [ -s "$T/edout/edition-$ed/report.html" ] && grep -q "</html>" "$T/edout/edition-$ed/report.html" &&
        ok || bad "no report in edition-$ed/"
done

# 8. cagr_pct is in percent like pct_change and prc_change (docs/formats.md, "Units of
# columns"): ((last / first)^(1 / (last_year - first_year)) - 1) * 100 on every row of a run's
# trends.csv and of the editions' joined trends.csv (100 -> 121 over 2 years is 10, not 0.1)
if python3 - "$T/a/trends.csv" "$T/edout/trends.csv" <<'PY'
import csv, sys
seen = 0
for path in sys.argv[1:]:
    for r in csv.DictReader(open(path, encoding="utf-8")):
        assert "cagr" not in r, path
        if r["cagr_pct"] == "" or int(r["n"]) < 2 or float(r["first"]) <= 0:
            continue
        f, l, span = float(r["first"]), float(r["last"]), int(r["last_year"]) - int(r["first_year"])
        want = ((l / f) ** (1 / span) - 1) * 100
        assert abs(float(r["cagr_pct"]) - want) <= 1e-9 * max(1, abs(want)), (path, r, want)
        seen += 1
assert seen > 100, seen
PY
then ok; else bad "trends.csv's cagr_pct is not the CAGR in percent"; fi

# 9. the manifest names the bytes each input was read from (hashed by the loader as it
# parsed them, not read again): size and SHA-256 of every input, each country file one entry,
# equal to Python's hashlib of the file; one country file begins with a UTF-8 BOM and is
# longer than the reader's 64 KiB pieces (blank lines at its end), an INI file, expert weights
# and goalposts of an earlier run are inputs too
cp -r "$T/ds" "$T/dsh"
cp "$T/a/goalposts.csv" "$T/gp.csv"
{ printf '\357\273\277'; cat "$T/ds/JPN.csv"; head -c 70000 /dev/zero | tr '\0' '\n'; } >"$T/dsh/JPN.csv"
python3 - "$T/fw.csv" "$T/ew.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["parent"]]
with open(sys.argv[2], "w") as f:
    f.write("code,expert_1,expert_2\n")
    for k, r in enumerate(rows):
        f.write("%s,%d,%d\n" % (r["code"], 1 + k % 3, 2))
PY
"$CYM" run "$T/dsh" --out "$T/h" --charts none --tables none --report off -q \
    --expert-weights "$T/ew.csv" --goalposts "$T/gp.csv" || bad "run with expert weights and goalposts failed"
if python3 - "$T/h/manifest.json" "$T/dsh" <<'PY'
import hashlib, json, os, sys
m = json.load(open(sys.argv[1]))
base = os.path.dirname(sys.argv[1])
roles = {}
for i in m["inputs"]:
    b = open(os.path.normpath(os.path.join(base, i["path"])), "rb").read()
    assert i["sha256"] == hashlib.sha256(b).hexdigest() and i["bytes"] == len(b), i
    roles.setdefault(i["role"], []).append(os.path.basename(i["path"]))
countries = sorted(f for f in os.listdir(sys.argv[2]) if len(f) == 7 and f.endswith(".csv"))
assert sorted(roles["data"]) == countries, roles["data"]
for r in ("configuration", "framework", "countries", "expert-weights", "goalposts"):
    assert len(roles[r]) == 1, (r, roles)
assert [i["bytes"] for i in m["inputs"] if i["path"].endswith("JPN.csv")][0] > 70000
PY
then ok; else bad "manifest.json's sizes and SHA-256 are not those of the inputs"; fi

# 6. inputs were never modified
(cd "$T/ds" && sha256sum ./*) | cmp -s - "$T/inputs.sha" && ok || bad "an input file was modified"

# reproducible bytes (issue 15): with SOURCE_DATE_EPOCH, the same inputs give the same folder,
# charts (PNG, SVG, PDF), report and manifest included, whatever the spelling of the paths,
# the working folder or the thread count
(cd "$T" && SOURCE_DATE_EPOCH=1700000000 OMP_NUM_THREADS=1 "$CYM" run ds --out r1 \
    --charts png,svg,pdf -q) || bad "reproducible run 1 failed"
(cd / && SOURCE_DATE_EPOCH=1700000000 OMP_NUM_THREADS=2 "$CYM" run "$T/ds/." --out "$T/./r2/" \
    --charts png,svg,pdf -q) || bad "reproducible run 2 failed"
diff -r "$T/r1" "$T/r2" >"$T/rdiff" && ok || bad "two runs differ: $(head -c 600 "$T/rdiff")"
grep -q '"path": "../ds/countries.csv"' "$T/r1/manifest.json" && ok ||
    bad "manifest paths are not relative to the output folder"

# numbers as the shortest text that reads back (issue 16): every number of results.json,
# the framework weights that jansson writes included (0.2, not 0.20000000000000001), has no
# more significant digits than Python's repr of the same double
"$CYM" run "$T/ds" --out "$T/js" --charts none --report off --tables json -q 2>/dev/null ||
    bad "run --tables json failed"
python3 - "$T/js/results.json" <<'PY' && ok || bad "results.json: a number is not the shortest"
import json, re, sys
def sig(t):
    m = re.sub(r"[eE].*", "", t.lstrip("-")).replace(".", "").strip("0")
    return len(m)
long = []
def num(t):
    if sig(t) > sig(repr(float(t))):
        long.append(t)
    return float(t)
d = json.load(open(sys.argv[1]), parse_float=num, parse_int=num)
assert d["nodes"][1]["weight"] == 0.2, d["nodes"][1]
if long:
    print("not shortest:", long[:5])
    sys.exit(1)
PY

finish
