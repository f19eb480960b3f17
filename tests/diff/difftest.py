#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Differential test: random method combinations x directions x missing data x weights, run
through `cymetrics run` and through the independent implementation in cymref.py; every score
and rank of scores.csv (every node, every country-year) must agree within
|a - b| <= 1e-9 + 1e-9 |b|, ranks exactly.

    difftest.py CYMETRICS [--seed S] [--cases N] [--case K] [--keep DIR] [-v]

Case K of seed S is drawn from its own generator (random.Random("S:K")), so a mismatch is
replayed alone with `--seed S --case K --keep DIR` (DIR then holds the inputs, the command
line and the engine's outputs). Exit status 0 when every case agrees, 1 otherwise.
"""

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cymref  # noqa: E402

TOL = 1e-9

# Methods whose children must be > 0, and methods whose results may be <= 0 (so they may not
# sit below the former); normalisations that give scores >= l (positive with l >= 1).
NEED_POSITIVE = ("geometric", "harmonic", "power")
MAY_BE_NONPOSITIVE = ("copeland", "mazziotta-pareto")
POSITIVE_NORMS = ("minmax", "percentile", "dist2max", "dist2ref", "dist2target", "goalposts",
                  "rank")


def draw_weight(rng):
    r = rng.random()
    if r < 0.08:
        return "0"
    if r < 0.4:
        return str(rng.randint(1, 5))
    if r < 0.8:
        return "%.1f" % rng.choice([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1.5, 2.5])
    return "%.2f" % rng.uniform(0.05, 3)


def draw_case(seed, k):
    rng = random.Random("%d:%d" % (seed, k))
    letters = "ABCDEFGHJKLMNPQRSTVWXZ"
    nu = rng.randint(4, 9)
    units = sorted({"".join(rng.choice(letters) for _ in range(3)) for _ in range(nu)})
    groups = {u: {"group": rng.choice(["G1", "G2", "G3"])} for u in units}
    y0 = rng.randint(2015, 2020)
    impute = rng.choice(["none", "none", "mean", "median", "group-mean:group",
                         "group-median:group", "locf", "locf:1", "linear",
                         "constant:%d" % rng.randint(0, 3)])
    # imputation over time needs years and gaps to show
    over_time = impute.startswith(("locf", "linear"))
    years = list(range(y0, y0 + rng.choice([3, 4, 5] if over_time else [1, 1, 2, 3, 4])))

    # the tree: index, 2-3 pillars, optional sub-pillars, 2-4 indicators each
    nodes = [cymref.Node("IDX", "")]
    leaves = []
    for p in range(rng.randint(2, 3)):
        pc = "P%d" % (p + 1)
        nodes.append(cymref.Node(pc, "IDX", draw_weight(rng)))
        parents = [pc]
        if rng.random() < 0.4:
            parents = []
            for s in range(rng.randint(2, 3)):
                sc = "%s.%d" % (pc, s + 1)
                nodes.append(cymref.Node(sc, pc, draw_weight(rng)))
                parents.append(sc)
        for par in parents:
            for i in range(rng.randint(2, 4) if len(parents) == 1 else rng.randint(1, 3)):
                code = "%s.I%d" % (par, i + 1)
                leaf = cymref.Node(code, par, draw_weight(rng), rng.choice([1, 1, -1]))
                leaf.scale = rng.choice(["continuous"] * 4 + ["binary", "ordinal"])
                nodes.append(leaf)
                leaves.append(leaf)
    root, by = cymref.build_tree(nodes)
    for n in nodes:  # an aggregate needs a child of weight > 0
        if n.children and all(float(c.weight) == 0 for c in n.children):
            n.children[0].weight = "1"

    # the data: skewed continuous values with outliers, binary and ordinal items, gaps
    pmiss = rng.choice([0, 0, 0.1, 0.25] if impute == "none" else [0.1, 0.25, 0.4])
    data = {}
    for leaf in leaves:
        base = rng.uniform(-50, 200)
        spread = rng.uniform(1, 50)
        for u in units:
            for y in years:
                if rng.random() < pmiss:
                    continue
                if leaf.scale == "binary":
                    v = float(rng.randint(0, 1))
                elif leaf.scale == "ordinal":
                    v = float(rng.randint(0, 4))
                else:
                    v = round(base + spread * rng.lognormvariate(0, 0.8), rng.choice([1, 3, 6]))
                    if rng.random() < 0.05:
                        v = round(v + spread * 30 * rng.choice([1, -1]), 2)
                data[(u, leaf.code, y)] = v
        vals = sorted(v for (_, c, _), v in data.items() if c == leaf.code) or [0.0, 1.0]
        lo_, hi_ = vals[0], vals[-1]
        if hi_ == lo_:
            hi_ = lo_ + 1
        # goalposts: the raw value scoring the bottom and the one scoring the top, a little
        # inside or outside the observed range so that clipping happens
        g_a = round(lo_ + (hi_ - lo_) * rng.uniform(-0.2, 0.3), 3)
        g_b = round(hi_ - (hi_ - lo_) * rng.uniform(-0.2, 0.3), 3)
        if g_a == g_b:
            g_b = g_a + 1
        leaf.goal_lo, leaf.goal_hi = (g_a, g_b) if leaf.direction == 1 else (g_b, g_a)
        # dist2target: a raw target beyond the median on the good side, so it is above the
        # oriented minimum; at or beyond the best value for some
        med = vals[len(vals) // 2]
        best = hi_ if leaf.direction == 1 else lo_
        leaf.target = round(med + (best - med) * rng.uniform(0.3, 1.3), 3)

    # the methods
    opts = {}
    norm = rng.choice(["minmax", "minmax", "zscore", "zscore:10,2", "goalposts", "rank",
                       "borda", "percentile", "dist2max", "dist2ref", "dist2ref", "dist2target",
                       "fracmax", "none"])
    if norm == "dist2ref":
        norm = "dist2ref:" + rng.choice(units) + rng.choice(["", ":cap"])
    opts["normalise"] = norm
    positive = norm.split(":")[0] in POSITIVE_NORMS
    lo = rng.choice([0, 0, 1, 1, 10]) if not positive else rng.choice([0, 1, 1, 10])
    opts["range"] = "%d,%d" % (lo, rng.choice([100, 100, 10 + lo, 1000]))
    if positive and lo == 0 and norm.split(":")[0] != "rank":
        positive = False
    if norm == "fracmax":
        positive = False
    methods = ["arithmetic", "arithmetic", "sum", "min", "copeland"]
    if norm != "zscore":  # children whose weighted mean is 0 have no cv
        methods.append("mazziotta-pareto")
    if positive:
        methods += ["geometric", "harmonic", "power:2", "power:0.5", "power:-1", "power:3",
                    "power:160"]
    glob = rng.choice(methods)
    opts["aggregate"] = glob
    for n in nodes:
        if n.children and rng.random() < 0.2:
            n.method = rng.choice(methods)
    # decimal weights whose float sums miss (0.1 + 0.2 != 0.3): Copeland must still see the
    # exact ties
    for n in nodes:
        if n.children and (n.method or glob) == "copeland" and rng.random() < 0.6:
            for c in n.children:
                c.weight = rng.choice(["0.1", "0.2", "0.3"])
    # no method that may give a value <= 0 below one that needs > 0
    for n in nodes:
        m = (n.method or glob).split(":")[0]
        if n.children and m in MAY_BE_NONPOSITIVE:
            p = by.get(n.parent)
            while p is not None:
                if (p.method or glob).split(":")[0] in NEED_POSITIVE:
                    n.method = "arithmetic"
                    break
                p = by.get(p.parent)
    opts["impute"] = impute
    if norm != "dist2target" and rng.random() < 0.5:
        opts["treat"] = "winsorise"
        opts["winmax"] = str(rng.randint(0, 5))
        if rng.random() < 0.3:
            opts["skew-max"] = "%.1f" % rng.uniform(0.5, 2)
            opts["kurt-max"] = "%.1f" % rng.uniform(0.5, 3.5)
    opts["scope"] = rng.choice(["auto", "auto", "year", "panel"])
    opts["weights"] = rng.choice(["framework", "framework", "framework", "equal"])
    if pmiss == 0 and rng.random() < 0.15 and len(units) * len(years) >= 8:
        opts["weights"] = "pca"
    if opts["weights"] == "pca":
        # PCA weights carry rounding noise (two children's loadings are 0.5 +- 2e-16), and
        # Copeland decides a pair on the exact sign of W - L, so that noise (which differs
        # between any two eigen-solvers) turns a tie into a win: not comparable
        for n in nodes:
            if n.children and (n.method or glob) == "copeland":
                n.method = "arithmetic"
    opts["min-coverage"] = rng.choice(["0", "0", "0", "0.5", "0.75"])
    opts["rank-ties"] = rng.choice(["min", "min", "dense", "ordinal:IDX"])
    return nodes, units, groups, data, opts


def write_inputs(d, nodes, units, groups, data):
    with open(os.path.join(d, "framework.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "parent", "weight", "direction", "method", "scale", "goal_lo",
                    "goal_hi", "target"])
        for n in nodes:
            leaf = n.leaf
            scale = getattr(n, "scale", "continuous")
            w.writerow([n.code, n.parent, n.weight,
                        ("+" if n.direction == 1 else "-") if leaf else "",
                        n.method if not leaf else "",
                        ("ordinal:4" if scale == "ordinal" else scale) if leaf else "",
                        repr(n.goal_lo) if leaf else "", repr(n.goal_hi) if leaf else "",
                        repr(n.target) if leaf else ""])
    with open(os.path.join(d, "countries.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "group"])
        for u in units:
            w.writerow([u, "Country " + u, groups[u]["group"]])
    with open(os.path.join(d, "data.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["country", "indicator", "year", "value"])
        for (u, c, y), v in sorted(data.items()):
            w.writerow([u, c, y, repr(v)])


def engine_args(opts):
    args = ["run", "--framework", "framework.csv", "--countries", "countries.csv", "--data",
            "data.csv", "--out", "out", "--charts", "none", "--tables", "none", "--report",
            "off"]
    for k, v in opts.items():
        args += ["--" + k, v]
    return args


def read_scores(path):
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["country"], int(row["year"]), row["code"])
            s = float(row["score"]) if row["score"] != "" else None
            r = int(row["rank"]) if row["rank"] != "" else None
            out[key] = (s, r)
    return out


def close(a, b):
    return a == b or (a is not None and b is not None and abs(a - b) <= TOL + TOL * abs(b))


def near_ties(score):
    """The (year, node) groups where two countries' scores differ but lie within the tolerance
    of each other: their order rests on the last bits of two floating-point computations, so
    there the engine's ranks are checked against its own scores instead."""
    by = {}
    for (u, y, c), s in score.items():
        if s is not None:
            by.setdefault((y, c), []).append(s)
    out = set()
    for g, ss in by.items():
        ss.sort()
        if any(a != b and close(a, b) for a, b in zip(ss, ss[1:])):
            out.add(g)
    return out


def ranks_of(got, y, c, ties):
    sc = {u: s for (u, y2, c2), (s, _) in got.items() if y2 == y and c2 == c and s is not None}
    name, _, code = ties.partition(":")
    tb = {u: got.get((u, y, code), (None, None))[0] for u in sc} if code else None
    return cymref.rank_scores(sc, name, tb)


COUNT = {"values": 0, "refused": 0}


def check_case(cym, seed, k, keep, verbose):
    nodes, units, groups, data, opts = draw_case(seed, k)
    label = "seed %d case %d: %s" % (seed, k, " ".join("--%s %s" % kv for kv in opts.items()))
    try:
        _, want_s, want_r = cymref.run(nodes, units, groups, data, opts)
        ref_err = None
    except cymref.RefError as e:
        ref_err = str(e)
    # in memory where there is a tmpfs: each run syncs its output folder to disk, which on a
    # busy disk costs more than the run
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    d = tempfile.mkdtemp(prefix="cym-diff-", dir=shm)
    try:
        write_inputs(d, nodes, units, groups, data)
        args = engine_args(opts)
        p = subprocess.run([cym] + args, cwd=d, capture_output=True, text=True)
        if keep:
            with open(os.path.join(d, "cmd"), "w") as f:
                f.write("\n".join(args) + "\n")
        problems = []
        if p.returncode != 0:
            # both refuse for the same reason: bad data (1), naming the method
            if (ref_err is None or p.returncode != 1 or
                    ref_err.split(":")[0] not in p.stderr):
                problems.append("engine failed (status %d): %s%s" % (
                    p.returncode, p.stderr.strip(),
                    "; the reference refuses: " + ref_err if ref_err else ""))
        elif ref_err is not None:
            problems.append("engine succeeded where the reference refuses: " + ref_err)
        else:
            got = read_scores(os.path.join(d, "out", "scores.csv"))
            fragile = near_ties(want_s) | near_ties({k: s for k, (s, _) in got.items()})
            ties = opts.get("rank-ties", "min")
            if ties.startswith("ordinal"):  # the tie-break's own near ties carry over
                code = ties.split(":")[1]
                if any(c == code for (_, c) in fragile):
                    fragile = {(y, c) for (u, y, c) in want_s}
            for key in sorted(want_s):
                ws, wr = want_s[key], want_r[key]
                COUNT["values"] += ws is not None
                gs, gr = got.get(key, (None, None))
                if key not in got:
                    problems.append("%s %d %s: no row in scores.csv" % key)
                elif not close(gs, ws):
                    problems.append("%s %d %s: score %r, expected %r" % (key + (gs, ws)))
                elif gr != wr and ((key[1], key[2]) not in fragile or
                                   gr != ranks_of(got, key[1], key[2], ties).get(key[0])):
                    problems.append("%s %d %s: rank %r, expected %r" % (key + (gr, wr)))
        if keep:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(d, keep)
        if problems:
            print("MISMATCH " + label)
            for m in problems[:12]:
                print("  " + m)
            if len(problems) > 12:
                print("  ... %d more" % (len(problems) - 12))
            print("  replay: %s --seed %d --case %d --keep DIR" % (sys.argv[0], seed, k))
            return False
        COUNT["refused"] += ref_err is not None
        if verbose:
            print("ok " + label + (" (both refuse: %s)" % ref_err if ref_err else ""))
        return True
    finally:
        shutil.rmtree(d)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cymetrics")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--case", type=int, default=None)
    ap.add_argument("--keep", default=None)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    cym = os.path.abspath(a.cymetrics)
    ks = [a.case] if a.case is not None else range(a.cases)
    bad = [k for k in ks if not check_case(cym, a.seed, k, a.keep, a.verbose)]
    print("%d of %d cases agree (seed %d): %d scores and their ranks compared, %d cases "
          "refused by both for the same reason" % (len(ks) - len(bad), len(ks), a.seed,
                                                   COUNT["values"], COUNT["refused"]))
    if bad:
        print("mismatching cases: " + " ".join(str(k) for k in bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
