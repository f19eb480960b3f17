#!/usr/bin/python3
"""Second, independent route to expected/*.csv (NumPy + SciPy, Debian's python3).

Recomputes every configuration from the input CSVs with its own code (written
from METHODS.md, not translated from make_expected.R): SciPy's bias-corrected
skew/kurtosis (scipy.stats.skew/kurtosis with bias=False, the G1/G2 of METHODS.md)
for the treatment test, scipy.stats.rankdata(method="min") for ranks, NumPy
float64 arithmetic everywhere (no long double). Then compares with expected/:
ranks must be identical, scores are reported as the largest absolute and
relative difference (they may differ by a few ulp: R sums in long double).

Usage: /usr/bin/python3 tests/data/asem/cross_check.py   (exit 1 on mismatch)
"""
import csv
import os
import sys

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


meta = read(os.path.join(HERE, "iMeta.csv"))
ind = [m["iCode"] for m in meta if m["Type"] == "Indicator"]
direction = {m["iCode"]: float(m["Direction"]) for m in meta if m["Type"] == "Indicator"}
denom = {m["iCode"]: m["Denominator"] for m in meta if m["Type"] == "Indicator" and m["Denominator"]}
aggs = sorted([m for m in meta if m["Type"] == "Aggregate"], key=lambda m: int(m["Level"]))
weight = {m["iCode"]: float(m["Weight"]) for m in meta if m["Level"]}
children = {}
for m in meta:
    if m["Level"] and m["Parent"]:
        children.setdefault(m["Parent"], []).append(m["iCode"])


def load(name):
    rows = read(os.path.join(HERE, name))
    units = [r["uCode"] for r in rows]
    years = [int(r["Time"]) for r in rows]
    def col(c):
        return np.array([float(r[c]) if r[c] != "" else np.nan for r in rows])
    data = {c: col(c) for c in ind + ["Area", "Energy", "GDP", "Population"]}
    groups = [r["EurAsia_group"] for r in rows]
    return units, np.array(years), data, groups


def minmax(x, lo=0.0, hi=100.0):
    mn, mx = np.nanmin(x), np.nanmax(x)
    return (x - mn) / (mx - mn) * (hi - lo) + lo


def zscore(x, m, s):
    return (x - np.nanmean(x)) / np.nanstd(x, ddof=1) * s + m


def aggregate(scores, geometric=False):
    for a in aggs:
        ch = children[a["iCode"]]
        X = np.column_stack([scores[c] for c in ch])
        W = np.array([weight[c] for c in ch])
        Wm = np.where(np.isnan(X), 0.0, W)
        tot = Wm.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            if geometric:
                v = np.exp(np.nansum(Wm * np.log(X), axis=1) / tot)
            else:
                v = np.nansum(Wm * np.nan_to_num(X), axis=1) / tot
        v[tot == 0] = np.nan
        scores[a["iCode"]] = v
    return scores


def passes(v):
    v = v[~np.isnan(v)]
    return abs(stats.skew(v, bias=False)) < 2 or stats.kurtosis(v, bias=False) < 3.5


def treat(x, winmax=5):
    """METHODS.md section 3 on x (COINr treats the raw values, see pipeline())."""
    if passes(x):
        return x
    y = x.copy()
    n = 0
    while not passes(y) and n < winmax:
        v = y[~np.isnan(y)]
        if stats.skew(v, bias=False) >= 0:
            at = y == np.nanmax(y)
            y[at] = np.nanmax(np.where(at, np.nan, y))
        else:
            at = y == np.nanmin(y)
            y[at] = np.nanmin(np.where(at, np.nan, y))
        n = int(np.sum((y != x) & ~np.isnan(x)))
    if passes(y):
        return y
    mn, mx = np.nanmin(x), np.nanmax(x)
    return np.log(x - mn + 0.01 * (mx - mn))


def dist2ref(x, iref):
    """1 - (x_ref - x)/(x_ref - min), * 100; no reference value: no scores (COINr NA)."""
    return (1 - (x[iref] - x) / (x[iref] - np.nanmin(x))) * 100.0


def pipeline(data, norm, geometric=False, treated=False, impute_groups=None, winmax=5):
    sc = {}
    for c in ind:
        x = data[c].copy()
        if impute_groups is not None:
            g = np.array(impute_groups)
            for grp in set(impute_groups):
                sel = g == grp
                x[sel & np.isnan(x)] = np.nanmean(data[c][sel])
        if treated:
            # on the raw values, as COINr's Treat(); the direction comes after, as in
            # COINr's Normalise() (the log fallback is not symmetric in x)
            x = treat(x, winmax)
        sc[c] = norm(x * direction[c])
    return aggregate(sc, geometric)


def compare(config, units, years, sc):
    with open(os.path.join(HERE, "expected", config + ".csv"), newline="") as f:
        exp = {(r["country"], int(r["year"]), r["code"]): r for r in csv.DictReader(f)}
    codes = ind + [a["iCode"] for a in aggs]
    maxabs = maxrel = 0.0
    bad = 0
    near = []
    n = 0
    for yr in sorted(set(years)):
        sel = np.where(years == yr)[0]
        for c in codes:
            v = sc[c][sel]
            r = np.full(len(sel), np.nan)
            ok = ~np.isnan(v)
            r[ok] = stats.rankdata(-v[ok], method="min")
            for k, i in enumerate(sel):
                e = exp[(units[i], int(yr), c)]
                n += 1
                if np.isnan(v[k]):
                    if e["score"] != "" or e["rank"] != "":
                        bad += 1
                    continue
                es = float(e["score"])
                d = abs(es - v[k])
                maxabs = max(maxabs, d)
                if es != 0:
                    maxrel = max(maxrel, d / abs(es))
                if e["rank"] == "" or int(e["rank"]) != int(r[k]):
                    # tolerated only for a near-tie: another unit's expected score
                    # within 1e-12 relative (then the order is decided by the last ulp)
                    others = [float(exp[(units[j], int(yr), c)]["score"]) for j in sel
                              if j != i and exp[(units[j], int(yr), c)]["score"] != ""]
                    if e["rank"] != "" and any(abs(o - es) <= 1e-12 * abs(es) for o in others):
                        near.append(f"{c}/{units[i]}/{yr}: R rank {e['rank']}, here {int(r[k])}")
                    else:
                        bad += 1
    assert n == len(exp), (config, n, len(exp))
    print(f"{config:12s} rows {n:6d}  rank/NA mismatches {bad}  max |diff| {maxabs:.3g}  max rel {maxrel:.3g}")
    for t in near:
        print(f"{'':12s} near-tie rank difference (1-ulp data): {t}")
    return bad == 0 and maxrel < 1e-12


units, years, data, groups = load("iData.csv")
ok = True
ok &= compare("default", units, years, pipeline(data, minmax))
dd = dict(data)
for c, d in denom.items():
    dd[c] = data[c] / data[d]
ok &= compare("denominated", units, years, pipeline(dd, minmax))
ok &= compare("treated", units, years, pipeline(data, minmax, treated=True))
ok &= compare("zscore", units, years, pipeline(data, lambda x: zscore(x, 10.0, 2.0)))
ok &= compare("geometric", units, years, pipeline(data, lambda x: minmax(x, 1.0, 100.0), geometric=True))
ok &= compare("imputed", units, years, pipeline(data, minmax, impute_groups=groups))
ok &= compare("treated_winmax1", units, years, pipeline(data, minmax, treated=True, winmax=1))
kor = units.index("KOR")
ok &= compare("dist2ref_KOR", units, years, pipeline(data, lambda x: dist2ref(x, kor)))
pu, py, pdata, _ = load("iData_p.csv")
ok &= compare("panel", pu, py, pipeline(pdata, minmax))
print("OK" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
