#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The large tables of a run (issue 18): yoy.csv only with --yoy on (run and trends), its
# country rows derived from scores.csv in Python as docs/formats.md says; the tie counts of
# strengths.csv, results.json and the report on a dataset where most scores are shared,
# against an independent Python count and selection. Usage: tables_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"

bundled_flat "$SRC" || exit 2

# 1. yoy.csv: not written by default, written with --yoy on, by run and by trends
"$CYM" run "$T/ds" --out "$T/a" --charts none -q || bad "default run failed"
[ ! -e "$T/a/yoy.csv" ] && ok || bad "run wrote yoy.csv without --yoy on"
grep -q '"yoy.csv"' "$T/a/manifest.json" && bad "manifest lists yoy.csv" || ok
"$CYM" run "$T/ds" --out "$T/b" --charts none --yoy on -q || bad "run --yoy on failed"
[ -s "$T/b/yoy.csv" ] && ok || bad "run --yoy on wrote no yoy.csv"
grep -q '"yoy.csv"' "$T/b/manifest.json" && ok || bad "manifest does not list yoy.csv"
for f in scores.csv data.csv trends.csv compare.csv strengths.csv tables.md; do
    cmp -s "$T/a/$f" "$T/b/$f" && ok || bad "$f differs with --yoy on"
done
"$CYM" trends "$T/ds" --out "$T/t" -q || bad "trends failed"
[ ! -e "$T/t/yoy.csv" ] && [ -s "$T/t/trends.csv" ] && ok || bad "trends: yoy.csv without --yoy on"
"$CYM" trends "$T/ds" --out "$T/u" --yoy on >"$T/u.out" || bad "trends --yoy on failed"
cmp -s "$T/u/yoy.csv" "$T/b/yoy.csv" && ok || bad "trends --yoy on: yoy.csv differs from run's"
grep -q '(yoy.csv, trends.csv' "$T/u.out" && ok || bad "trends does not name yoy.csv: $(cat "$T/u.out")"

# the country rows of yoy.csv from scores.csv (docs/formats.md, "yoy.csv from scores.csv")
python3 - "$T/b/scores.csv" "$T/b/yoy.csv" <<'PY' && ok || bad "yoy.csv is not what scores.csv gives"
import csv, math, sys
def num(s):
    return float(s) if s != "" else math.nan
series = {}
with open(sys.argv[1], newline="") as f:
    for r in csv.DictReader(f):
        series.setdefault((r["country"], r["code"]), []).append(
            (int(r["year"]), num(r["score"]), num(r["rank"])))
want = []
for (country, code), rows in series.items():
    prev = None
    for year, score, rank in sorted(rows):
        if math.isnan(score):
            continue
        if prev is not None:
            py, ps, pr = prev
            pct = math.nan if ps == 0 else (score - ps) / abs(ps) * 100.0
            want.append((country, code, year, score, py, ps, score - ps, pct, rank, pr, pr - rank))
        prev = (year, score, rank)
got = []
with open(sys.argv[2], newline="") as f:
    rd = csv.reader(f)
    head = next(rd)
    assert head == ["country", "code", "year", "score", "prev_year", "prev_score", "change",
                    "pct_change", "rank", "prev_rank", "rank_change", "basis"], head
    countries = {c for c, _ in series}
    for r in rd:
        assert r[11] == "all", r
        if r[0] in countries:  # the group rows (region=...:mean) are not in scores.csv
            got.append((r[0], r[1], int(r[2]), num(r[3]), int(r[4])) + tuple(map(num, r[5:11])))
same = lambda a, b: a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))
key = lambda r: (r[0], r[1], r[2])
want.sort(key=key)
got.sort(key=key)
if len(want) != len(got) or len(want) < 100:
    sys.exit(f"rows: {len(got)} in yoy.csv, {len(want)} from scores.csv")
for w, g in zip(want, got):
    if not all(same(a, b) for a, b in zip(w, g)):
        sys.exit(f"yoy.csv {g} != {w} from scores.csv")
PY

# 2. ties: 40 countries, 30 indicators with values in 1..k (k from 1 to 6, so from every
# country tied to small groups), some missing; strengths from scores.csv by hand
mkdir -p "$T/tie"
python3 - "$T/tie" <<'PY'
import os, sys
d = sys.argv[1]
codes = [a + b + "X" for a in "ABCDEFGH" for b in "ABCDE"]
with open(os.path.join(d, "framework.csv"), "w") as f:
    f.write("code,parent,name,weight,direction\nINDEX,,Index,1,\n")
    f.writelines(f"P{p},INDEX,Pillar {p},1,\n" for p in range(3))
    f.writelines(f"i{i:02d},P{i % 3},Ind {i},1,{'-' if i % 4 == 3 else '+'}\n" for i in range(30))
with open(os.path.join(d, "countries.csv"), "w") as f:
    f.write("code,name,region\n")
    f.writelines(f"{c},Country {c},R{k % 3}\n" for k, c in enumerate(codes))
with open(os.path.join(d, "data.csv"), "w") as f:
    f.write("country,indicator,year,value\n")
    for k, c in enumerate(codes):
        for i in range(30):
            for y in (2021, 2022):
                if (k * 7 + i * 3 + y) % 17 == 0:
                    continue  # missing
                v = 1 + (k * (i + 1) + y * (i % 5)) % (1 + i % 6)
                f.write(f"{c},i{i:02d},{y},{v}\n")
PY
"$CYM" run --framework "$T/tie/framework.csv" --countries "$T/tie/countries.csv" \
    --data "$T/tie/data.csv" --out "$T/tie/out" --charts none --strengths-n 4 -q ||
    bad "ties run failed"
python3 - "$T/tie/out" <<'PY' && ok || bad "strengths and their tie counts are not the independent ones"
import csv, json, math, os, sys
d = sys.argv[1]
num = lambda s: float(s) if s != "" else math.nan
with open(os.path.join(d, "weights.csv"), newline="") as f:
    inds = [r["code"] for r in csv.DictReader(f) if r["direction"]]  # framework order
rows = {}
with open(os.path.join(d, "scores.csv"), newline="") as f:
    for r in csv.DictReader(f):
        if r["year"] == "2022" and r["code"] in inds:
            rows.setdefault(r["country"], {})[r["code"]] = (num(r["score"]), num(r["rank"]))
countries = list(rows)
ranked = {i: [rows[c][i][0] for c in countries if not math.isnan(rows[c][i][1])] for i in inds}
want, shared = [], 0
for c in countries:
    tied = {i: sum(1 for s in ranked[i] if s == rows[c][i][0]) for i in inds}
    ok = [i for i in inds if not math.isnan(rows[c][i][1]) and 2 * tied[i] <= len(ranked[i])]
    shared += sum(1 for i in inds if 2 * tied[i] > len(ranked[i]))
    strong = sorted(ok, key=lambda i: rows[c][i][1])[:4]  # sorted() is stable: framework order
    weak = sorted([i for i in ok if i not in strong], key=lambda i: -rows[c][i][1])[:4]
    for kind, lst in (("strength", strong), ("weakness", weak)):
        for p, i in enumerate(lst, 1):
            want.append((c, kind, p, i, rows[c][i][0], rows[c][i][1], len(ranked[i]), tied[i]))
assert shared > 100, f"only {shared} country-indicator scores shared by more than half"
got = []
with open(os.path.join(d, "strengths.csv"), newline="") as f:
    for r in csv.DictReader(f):
        got.append((r["country"], r["kind"], int(r["position"]), r["indicator"], num(r["score"]),
                    num(r["rank"]), int(r["ranked"]), int(r["tied"])))
if got != want:
    diff = [(g, w) for g, w in zip(got, want) if g != w][:3]
    sys.exit(f"strengths.csv: {len(got)} rows, {len(want)} expected; first differences {diff}")
with open(os.path.join(d, "results.json")) as f:
    js = {s["country"]: s for s in json.load(f)["strengths"]}
for c in countries:
    for kind, key in (("strength", "strengths"), ("weakness", "weaknesses")):
        lst = [w[3] for w in want if w[0] == c and w[1] == kind]
        if [s["indicator"] for s in js[c][key]] != lst:
            sys.exit(f"results.json {c} {key}: {js[c][key]} != {lst}")
PY

finish
