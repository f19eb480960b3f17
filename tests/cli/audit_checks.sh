#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The audit's numbers against Python's statistics module (issue 18: the correlations are
# computed by cymetrics' own pass over each pair, no longer by GSL). 300 countries x 11
# indicators x 25 years (105,000 cells: the years run on threads), with complete columns,
# ties, missing values, a constant indicator (2001), an indicator with 2 values (2002), two
# identical indicators and one whose spread is all in countries its sibling lacks. Every row
# of correlations.csv: n, Pearson within 4.5e-16 of statistics.correlation (sums of floats
# correctly rounded by fsum), Spearman equal to the last bit to statistics.correlation of the
# average ranks (both sum exact numbers), NaN exactly where Python refuses (n < 3, a constant);
# every row of cronbach.csv within 1e-15 of the formula with statistics.covariance; the
# mean and sd of descriptives.csv within 2.5e-16 and 4.5e-16 (relative) of statistics.fmean
# and stdev of the input values; and the same audit bytes on 1 and 2 threads.
# Usage: audit_checks.sh CYMETRICS
set -u
CYM=$1
. "$(dirname "$0")/checklib.sh"

python3 - "$T/ds" 300 25 <<'PY'
import os, random, sys
d, nu, ny = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(18)
os.makedirs(d)
ind = {"P1": ["a1", "a2", "a3", "a4", "a5", "a6"], "P2": ["b1", "b2", "b3", "b4", "b5"]}
with open(d + "/framework.csv", "w") as f:
    f.write("code,parent,name,weight,direction\nINDEX,,Index,1,\nP1,INDEX,One,1,\nP2,INDEX,Two,1,\n")
    for p, cs in ind.items():
        f.writelines(f"{c},{p},{c.upper()},1,+\n" for c in cs)
codes = [chr(65 + u // 676) + chr(65 + u // 26 % 26) + chr(65 + u % 26) for u in range(nu)]
with open(d + "/countries.csv", "w") as f:
    f.write("code,name\n")
    f.writelines(f"{c},Country {c}\n" for c in codes)
rows = {c: [] for c in codes}
for t in range(ny):
    for u, c in enumerate(codes):
        g = rnd.gauss(0, 1)
        v = {
            "a1": round(g * 10 + 50, 6),                                  # complete
            "a2": rnd.randrange(10),                                      # complete, ties
            "a3": None if rnd.random() < 0.1 else round(rnd.lognormvariate(0, 1), 5),
            "a4": None if rnd.random() < 0.2 else rnd.choice([1, 2, 3]),  # missing and ties
            "a5": 5 if t == 1 else round(g + rnd.random(), 4),            # constant in 2001
            "a6": (u * 7 % 13 if u < 2 else None) if t == 2 else
                  (None if rnd.random() < 0.5 else u % 17),               # 2 values in 2002
            "b1": round(g, 7),
            "b2": round(g, 7),                                            # the same as b1
            "b3": None if rnd.random() < 0.05 else round(-g + rnd.gauss(0, 0.3), 6),
            # b4 lacks the 2 countries where b5 is far out: b5's spread is all there
            "b4": None if u < 2 or rnd.random() < 0.4 else round(rnd.random(), 3),
            "b5": 1000 + t if u < 2 else round(rnd.random() * 1e-6, 12),
        }
        rows[c] += [f"{k},{2000 + t},{x}\n" for k, x in v.items() if x is not None]
for c in codes:
    with open(f"{d}/{c}.csv", "w") as f:
        f.write("indicator,year,value\n")
        f.writelines(rows[c])
with open(d + "/cymetrics.ini", "w") as f:
    f.write("[dataset]\nname = audit-check\nframework = framework.csv\n")
PY

for n in 1 2; do
    OMP_NUM_THREADS=$n "$CYM" run "$T/ds" --out "$T/out$n" -q --charts none --tables none \
        --report off || bad "run on $n threads failed"
done
for f in descriptives correlations cronbach pca remove_one; do
    cmp -s "$T/out1/audit/$f.csv" "$T/out2/audit/$f.csv" && ok ||
        bad "audit/$f.csv differs between 1 and 2 threads"
done

python3 - "$T/out2" "$T/ds" <<'PY' && ok || bad "the audit's numbers against Python"
import csv, glob, math, statistics, sys
out, ds = sys.argv[1], sys.argv[2]
score = {}
for row in csv.DictReader(open(out + "/scores.csv")):
    if row["score"] != "":
        score[row["year"], row["code"], row["country"]] = float(row["score"])
units = sorted({k[2] for k in score})
def col(y, c):
    return [score.get((y, c, u)) for u in units]
def ranks(v):  # average ranks, ties sharing the mean of their positions
    o = sorted(range(len(v)), key=lambda i: v[i])
    r, i = [0.0] * len(v), 0
    while i < len(o):
        j = i
        while j < len(o) and v[o[j]] == v[o[i]]:
            j += 1
        for k in range(i, j):
            r[o[k]] = (i + 1 + j) / 2
        i = j
    return r
def corr(x, y):
    try:
        return statistics.correlation(x, y)
    except statistics.StatisticsError:  # a constant
        return math.nan
def num(s):
    return float(s) if s != "" else math.nan
bad, rows, worst, nans, ties = 0, 0, 0.0, 0, 0
for row in csv.DictReader(open(out + "/audit/correlations.csv")):
    x, y = col(row["year"], row["a"]), col(row["year"], row["b"])
    p = [(a, b) for a, b in zip(x, y) if a is not None and b is not None]
    xs, ys = [a for a, _ in p], [b for _, b in p]
    want = [corr(xs, ys), corr(ranks(xs), ranks(ys))] if len(p) >= 3 else [math.nan] * 2
    got = [num(row["pearson"]), num(row["spearman"])]
    rows += 1
    nans += math.isnan(want[0])
    ties += len(set(xs)) < len(xs) or len(set(ys)) < len(ys)
    ok = int(row["n"]) == len(p) and all(math.isnan(w) == math.isnan(g) for w, g in zip(want, got))
    if ok and not math.isnan(want[0]):
        worst = max(worst, abs(got[0] - want[0]))
        ok = abs(got[0] - want[0]) <= 4.5e-16 and got[1] == want[1]
    if not ok:
        bad += 1
        if bad < 10:
            print("correlations.csv:", row, "python:", len(p), want)
kids = {}
for row in csv.DictReader(open(ds + "/framework.csv")):
    kids.setdefault(row["parent"], []).append(row["code"])
for row in csv.DictReader(open(out + "/audit/cronbach.csv")):
    cs = [col(row["year"], c) for c in kids[row["code"]]]
    k, tot, off = len(cs), 0.0, 0.0
    for i in range(k):
        for j in range(k):
            p = [(a, b) for a, b in zip(cs[i], cs[j]) if a is not None and b is not None]
            c = statistics.covariance([a for a, _ in p], [b for _, b in p])
            tot += c
            off += c if i != j else 0
    want = k * k * (off / (k * (k - 1))) / tot
    if not abs(num(row["alpha"]) - want) <= 1e-15 * max(1.0, abs(want)):
        bad += 1
        print("cronbach.csv:", row, "python:", want)
raw = {}
for f in glob.glob(ds + "/[A-Z][A-Z][A-Z].csv"):
    for row in csv.DictReader(open(f)):
        raw.setdefault((row["year"], row["indicator"]), []).append(float(row["value"]))
for row in csv.DictReader(open(out + "/audit/descriptives.csv")):
    v = raw[row["year"], row["code"]]
    m, s = statistics.fmean(v), statistics.stdev(v) if len(v) > 1 else math.nan
    if not (abs(num(row["mean"]) - m) <= 2.5e-16 * abs(m) and
            (len(v) < 2 and row["sd"] == "" or abs(num(row["sd"]) - s) <= 4.5e-16 * s)):
        bad += 1
        print("descriptives.csv:", row, "python:", m, s)
print(f"{rows} correlations ({nans} NaN, {ties} with ties), largest Pearson difference "
      f"{worst:.3g}; {bad} wrong")
sys.exit(bad != 0 or rows != 25 * (55 + 13 + 11) or nans == 0 or ties == 0)
PY
finish
