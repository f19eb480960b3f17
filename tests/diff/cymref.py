# SPDX-License-Identifier: GPL-3.0-or-later
"""An independent implementation of the cymetrics index pipeline, for the differential test.

Written from the method sheet (METHODS.md, reproduced in docs/methodology.md) and COINr's
definitions, not from the C sources: Python 3 standard library only (CI has no numpy).
It computes, per country, year and framework node, the score and the rank that
`cymetrics run` writes into scores.csv.

Covered: imputation (none, mean, median, group-mean/-median, locf[:K], linear, constant:V),
direction, outlier treatment (G1/G2 test, winsorisation, log fallback on the raw values),
every normalisation (minmax, zscore[:M,S], goalposts, rank, borda, percentile, dist2max,
dist2ref:CODE[:cap], dist2target, fracmax, none) per year or over the panel, weights
(framework, equal, pca), every aggregation (arithmetic, geometric, harmonic, power:p, sum,
min, copeland, mazziotta-pareto; per node through the framework's `method`), the
minimum-coverage threshold and the ranks (min, dense, ordinal:CODE).

Missing values are None throughout.
"""

import math
from fractions import Fraction


class RefError(Exception):
    """A combination the method sheet refuses (e.g. geometric mean of a value <= 0)."""


# ---- the model ---------------------------------------------------------------------------


class Node:
    def __init__(self, code, parent, weight="1", direction=1, method="", goal_lo=None,
                 goal_hi=None, target=None):
        self.code = code
        self.parent = parent
        self.weight = weight  # as written in the framework (text), so Copeland can be exact
        self.direction = direction
        self.method = method
        self.goal_lo = goal_lo
        self.goal_hi = goal_hi
        self.target = target
        self.children = []

    @property
    def leaf(self):
        return not self.children


def build_tree(nodes):
    """nodes: list of Node in framework order; returns (root, {code: node})."""
    by = {n.code: n for n in nodes}
    root = None
    for n in nodes:
        n.children = []
    for n in nodes:
        if n.parent:
            by[n.parent].children.append(n)
        else:
            root = n
    return root, by


def postorder(node):
    for c in node.children:
        yield from postorder(c)
    yield node


# ---- statistics --------------------------------------------------------------------------


def mean(v):
    return math.fsum(v) / len(v)


def median(v):
    s = sorted(v)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def sample_sd(v):
    if len(v) < 2:
        return 0.0
    m = mean(v)
    return math.sqrt(math.fsum((x - m) ** 2 for x in v) / (len(v) - 1))


def skew_kurt(v):
    """Bias-corrected sample skewness G1 and excess kurtosis G2 (moments with divisor n)."""
    n = len(v)
    m = mean(v)
    m2 = math.fsum((x - m) ** 2 for x in v) / n
    m3 = math.fsum((x - m) ** 3 for x in v) / n
    m4 = math.fsum((x - m) ** 4 for x in v) / n
    g1 = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2 ** 1.5
    g2 = ((n + 1) * (m4 / m2 ** 2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return g1, g2


# ---- 2. imputation -----------------------------------------------------------------------


def impute(cells, units, years, spec, groups):
    """cells: {(unit, year): value or None} of one indicator; returns a new dict."""
    out = dict(cells)
    name, _, arg = spec.partition(":")
    if name == "none":
        return out
    if name == "constant":
        v = float(arg)
        return {k: (v if x is None else x) for k, x in cells.items()}
    if name in ("mean", "median", "group-mean", "group-median"):
        f = mean if name.endswith("mean") else median
        for y in years:
            for u in units:
                if cells[(u, y)] is not None:
                    continue
                if name.startswith("group"):
                    pool = [cells[(o, y)] for o in units
                            if groups[o].get(arg) == groups[u].get(arg)
                            and cells[(o, y)] is not None]
                else:
                    pool = [cells[(o, y)] for o in units if cells[(o, y)] is not None]
                if pool:
                    out[(u, y)] = f(pool)
        return out
    if name == "locf":
        k = int(arg) if arg else None
        for u in units:
            last = None
            for y in years:
                if cells[(u, y)] is not None:
                    last = (y, cells[(u, y)])
                elif last is not None and (k is None or y - last[0] <= k):
                    out[(u, y)] = last[1]
        return out
    if name == "linear":
        for u in units:
            obs = [(y, cells[(u, y)]) for y in years if cells[(u, y)] is not None]
            if not obs:
                continue
            for y in years:
                if cells[(u, y)] is not None:
                    continue
                before = [p for p in obs if p[0] < y]
                after = [p for p in obs if p[0] > y]
                if not before:
                    out[(u, y)] = after[0][1]
                elif not after:
                    out[(u, y)] = before[-1][1]
                else:
                    (y0, v0), (y1, v1) = before[-1], after[0]
                    out[(u, y)] = v0 + (v1 - v0) * (y - y0) / (y1 - y0)
        return out
    raise ValueError("unknown imputation " + spec)


# ---- 3. outlier treatment ----------------------------------------------------------------


def passes(v, skew_max, kurt_max):
    g1, g2 = skew_kurt(v)
    return abs(g1) < skew_max or g2 < kurt_max, g1


def treat(raw, winmax, skew_max, kurt_max):
    """Winsorise one indicator's values (a list, raw scale: before the direction flip);
    returns the treated list. COINr's Treat: winsorise while the test fails and fewer than
    winmax points were changed; if it still fails, log of the ORIGINAL values."""
    n = len(raw)
    if n < 4 or max(raw) == min(raw):
        return list(raw)
    x = list(raw)
    ok, g1 = passes(x, skew_max, kurt_max)
    # the points winsorised at the top and at the bottom: a point moved down is tied with the
    # next maximum and moves again with it, so it counts once (COINr: length(imax) +
    # length(imin) of the last step at each end)
    high, low = set(), set()
    while not ok and len(high) + len(low) < winmax:
        if g1 >= 0:
            top = max(x)
            hit = [i for i in range(n) if x[i] == top]
            other = max(x[i] for i in range(n) if x[i] != top)
            high.update(hit)
        else:
            bot = min(x)
            hit = [i for i in range(n) if x[i] == bot]
            other = min(x[i] for i in range(n) if x[i] != bot)
            low.update(hit)
        for i in hit:
            x[i] = other
        if max(x) == min(x):
            return list(raw)  # no spread left: the test is undefined, COINr leaves x as it was
        ok, g1 = passes(x, skew_max, kurt_max)
    if ok:
        return x
    lo, hi = min(raw), max(raw)
    return [math.log(v - lo + 0.01 * (hi - lo)) for v in raw]


# ---- 4. normalisation --------------------------------------------------------------------


def normalise(xs, spec, lo, up, node, ref_values=None):
    """xs: list of oriented values (no None) of one group (a year, or the panel).
    ref_values: for dist2ref, the reference unit's value for each entry's year (None when
    it has none). Returns a list of scores (None where there is none)."""
    name, _, arg = spec.partition(":")
    n = len(xs)
    mid = (lo + up) / 2
    if n == 0:
        return []
    mn, mx = min(xs), max(xs)

    def scale(t):
        return t * (up - lo) + lo

    if name == "none":
        return list(xs)
    if name == "minmax":
        if mx == mn:
            return [mid] * n
        return [(x - mn) / (mx - mn) * (up - lo) + lo for x in xs]
    if name == "zscore":
        m, s = (float(p) for p in arg.split(",")) if arg else (0.0, 1.0)
        # zero spread judged on the values: the rounded mean of equal values can differ from
        # them in the last bit, and their "sd" would then be rounding noise
        if mx == mn:
            return [m] * n
        sd = sample_sd(xs)
        mu = mean(xs)
        return [(x - mu) / sd * s + m for x in xs]
    if name in ("rank", "borda", "percentile"):
        ranks = [1 + sum(1 for o in xs if o < x) for x in xs]
        if name == "rank":
            return [float(r) for r in ranks]
        if name == "borda":
            return [float(r - 1) for r in ranks]
        if n == 1:
            return [mid]
        return [scale((r - 1) / (n - 1)) for r in ranks]
    if name == "dist2max":
        if mx == mn:
            return [mid] * n
        return [scale(1 - (mx - x) / (mx - mn)) for x in xs]
    if name == "fracmax":
        if mx == 0:
            return [mid] * n
        return [scale(x / mx) for x in xs]
    if name == "goalposts":
        glo, ghi = node.goal_lo, node.goal_hi
        out = []
        for x in xs:
            r = x * node.direction  # back to the raw value
            t = (r - glo) / (ghi - glo)
            out.append(scale(min(1.0, max(0.0, t))))
        return out
    if name == "dist2target":
        t = node.target * node.direction
        if t == mn:
            return [mid] * n
        return [scale(min(1.0, (x - mn) / (t - mn))) for x in xs]
    if name == "dist2ref":
        cap = arg.endswith(":cap")
        out = []
        for x, xr in zip(xs, ref_values):
            if xr is None:
                out.append(None)
            elif xr == mn:
                out.append(mid)
            else:
                t = 1 - (xr - x) / (xr - mn)
                out.append(scale(min(1.0, t) if cap else t))
        return out
    raise ValueError("unknown normalisation " + spec)


# ---- 5. weights and aggregation ----------------------------------------------------------


def jacobi_first_vector(a):
    """Eigenvector of the largest eigenvalue of a symmetric matrix (cyclic Jacobi)."""
    k = len(a)
    a = [row[:] for row in a]
    v = [[1.0 if i == j else 0.0 for j in range(k)] for i in range(k)]
    for _ in range(100):
        off = math.fsum(a[i][j] ** 2 for i in range(k) for j in range(k) if i != j)
        if off < 1e-30:
            break
        for p in range(k):
            for q in range(p + 1, k):
                if abs(a[p][q]) < 1e-300:
                    continue
                theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1))
                c = 1 / math.sqrt(t * t + 1)
                s = t * c
                for r in range(k):
                    arp, arq = a[r][p], a[r][q]
                    a[r][p], a[r][q] = c * arp - s * arq, s * arp + c * arq
                for r in range(k):
                    apr, aqr = a[p][r], a[q][r]
                    a[p][r], a[q][r] = c * apr - s * aqr, s * apr + c * aqr
                for r in range(k):
                    vrp, vrq = v[r][p], v[r][q]
                    v[r][p], v[r][q] = c * vrp - s * vrq, s * vrp + c * vrq
    top = max(range(k), key=lambda i: a[i][i])
    return [v[r][top] for r in range(k)]


def pca_weights(rows):
    """rows: complete observations (lists of k children values). Squared loadings of the
    first principal component of the correlation matrix, rescaled to sum to 1 (= the squared
    unit eigenvector)."""
    k = len(rows[0])
    if len(rows) < k + 2:
        raise RefError("pca: too few complete rows")
    cols = list(zip(*rows))
    mu = [mean(c) for c in cols]
    sd = [math.sqrt(math.fsum((x - m) ** 2 for x in c)) for c, m in zip(cols, mu)]
    if min(sd) == 0:
        raise RefError("pca: constant child")
    corr = [[math.fsum((a - mu[i]) * (b - mu[j]) for a, b in zip(cols[i], cols[j]))
             / (sd[i] * sd[j]) for j in range(k)] for i in range(k)]
    vec = jacobi_first_vector(corr)
    w = [e * e for e in vec]
    s = math.fsum(w)
    return [x / s for x in w]


def exact(w):
    """A weight as an exact rational: decimal text as that decimal, a float as itself."""
    return Fraction(w) if isinstance(w, str) else Fraction(float(w))


def aggregate_one(method, xs, ws):
    """xs, ws: the available children's values and weights (float), weight > 0."""
    tot = math.fsum(ws)
    r = [w / tot for w in ws]
    name, _, arg = method.partition(":")
    if name == "arithmetic":
        return math.fsum(w * x for w, x in zip(ws, xs)) / tot
    if name == "sum":
        return math.fsum(w * x for w, x in zip(ws, xs))
    if name == "min":
        return min(xs)
    if name == "geometric":
        if min(xs) <= 0:
            raise RefError("geometric: value <= 0")
        return math.exp(math.fsum(w * math.log(x) for w, x in zip(r, xs)))
    if name == "harmonic":
        if min(xs) <= 0:
            raise RefError("harmonic: value <= 0")
        return 1 / math.fsum(w / x for w, x in zip(r, xs))
    if name == "power":
        p = float(arg)
        if min(xs) < 0 or (min(xs) == 0 and p < 0):
            raise RefError("power: value < 0, or 0 with p < 0")
        # m (sum w (x/m)^p)^(1/p), m the largest value for p > 0 (the smallest for p < 0):
        # terms at most 1, so x^p cannot overflow (100^160 is 1e320)
        m = max(xs) if p > 0 else min(xs)
        if m == 0:
            return 0.0
        return m * math.fsum(w * (x / m) ** p for w, x in zip(r, xs)) ** (1 / p)
    if name == "mazziotta-pareto":
        # M as the arithmetic mean, from the exact sum of w x: children 1, -5, 4 at equal
        # weights have M = 0 exactly, not the 1e-17 of summing x/3
        m = math.fsum(w * x for w, x in zip(ws, xs)) / tot
        if m == 0:
            raise RefError("mazziotta-pareto: mean 0")
        # S^2 = sum w (x - M)^2, the population variance under the weights (divisor n with
        # equal weights: the MPI of De Muro, Mazziotta and Pareto 2011)
        s2 = math.fsum(w * (x - m) ** 2 for w, x in zip(r, xs))
        return m - s2 / m
    raise ValueError("unknown aggregation " + method)


def copeland(entries):
    """entries: {unit: [(child index, value, exact weight), ...]} of the units that have a
    value for at least one child. score_a = sum over b != a of sign(W - L), W (L) the weight
    of the children both have where a is above (below) b: sign(c_ab - 0.5) with c_ab the
    rescaled weight of wins plus half the ties, decided exactly."""
    out = {}
    for a, ea in entries.items():
        da = {i: (x, w) for i, x, w in ea}
        s = 0
        for b, eb in entries.items():
            if b == a:
                continue
            d = Fraction(0)
            for i, x, _ in eb:
                if i in da:
                    xa, w = da[i]
                    if xa > x:
                        d += w
                    elif xa < x:
                        d -= w
            s += (d > 0) - (d < 0)
        out[a] = float(s)
    return out


# ---- 6. ranks ----------------------------------------------------------------------------


def rank_scores(scores, ties, tiebreak=None):
    """scores: {unit: score} (no None). ties: 'min', 'dense' or 'ordinal'. tiebreak: {unit:
    value or None} for ordinal. Returns {unit: rank}."""
    if ties == "min":
        return {u: 1 + sum(1 for o in scores.values() if o > s) for u, s in scores.items()}
    if ties == "dense":
        return {u: 1 + len({o for o in scores.values() if o > s}) for u, s in scores.items()}

    def key(u):
        t = tiebreak.get(u)
        return (-scores[u], 0 if t is not None else 1, -(t if t is not None else 0), u)

    order = sorted(scores, key=key)
    return {u: i + 1 for i, u in enumerate(order)}


# ---- the pipeline ------------------------------------------------------------------------


def run(nodes, units, groups, data, opts):
    """nodes: Node list in framework order; units: codes in countries.csv order; groups:
    {unit: {column: value}}; data: {(unit, indicator, year): float}; opts: dict of the run's
    settings (keys as on the command line). Returns (years, scores, ranks) with scores and
    ranks {(unit, year, code): value or None}."""
    root, by = build_tree(nodes)
    leaves = [n for n in nodes if n.leaf]
    years = sorted({y for (_, _, y) in data})
    years = list(range(years[0], years[-1] + 1))
    scope = opts.get("scope", "auto")
    if scope == "auto":
        scope = "panel" if len(years) > 1 else "year"
    groups_of = [years] if scope == "panel" else [[y] for y in years]
    lo, up = (float(p) for p in opts.get("range", "0,100").split(","))
    norm = opts.get("normalise", "minmax")

    score = {}
    for ind in leaves:
        cells = {(u, y): data.get((u, ind.code, y)) for u in units for y in years}
        cells = impute(cells, units, years, opts.get("impute", "none"), groups)
        # orient, treat (on the raw values, then flip again), normalise
        if opts.get("treat", "none") == "winsorise":
            for ys in groups_of:
                keys = [(u, y) for y in ys for u in units if cells[(u, y)] is not None]
                t = treat([cells[k] for k in keys], int(opts.get("winmax", 5)),
                          float(opts.get("skew-max", 2)), float(opts.get("kurt-max", 3.5)))
                for k, v in zip(keys, t):
                    cells[k] = v
        oriented = {k: (None if v is None else v * ind.direction) for k, v in cells.items()}
        for ys in groups_of:
            keys = [(u, y) for y in ys for u in units if oriented[(u, y)] is not None]
            refs = None
            if norm.startswith("dist2ref"):
                ref = norm.split(":")[1]
                refs = [oriented.get((ref, y)) for (_, y) in keys]
            vals = normalise([oriented[k] for k in keys], norm, lo, up, ind, refs)
            for (u, y), v in zip(keys, vals):
                score[(u, y, ind.code)] = v
        for u in units:
            for y in years:
                score.setdefault((u, y, ind.code), None)

    weights_mode = opts.get("weights", "framework")
    # the threshold and the shares as exact rationals: decimal weights that make up exactly
    # the threshold meet it (0.6 + 0.7 + 0.2 of 3 is 0.5, though not in binary)
    min_cov = Fraction(opts.get("min-coverage", "0"))
    glob = opts.get("aggregate", "arithmetic")
    for node in postorder(root):
        if node.leaf:
            continue
        kids = node.children
        if weights_mode == "framework":
            wtext = [k.weight for k in kids]
        elif weights_mode == "equal":
            wtext = ["1"] * len(kids)
        else:
            rows = [[score[(u, y, k.code)] for k in kids] for y in years for u in units]
            wtext = pca_weights([r for r in rows if None not in r])
        wf = [float(w) for w in wtext]
        wall = sum(exact(w) for w in wtext)
        method = node.method or glob
        for y in years:
            entries = {}
            for u in units:
                present = [i for i, k in enumerate(kids) if score[(u, y, k.code)] is not None]
                av = [(i, score[(u, y, kids[i].code)]) for i in present if wf[i] > 0]
                share = sum(exact(wtext[i]) for i, _ in av) / wall
                if method == "copeland" and present:
                    # every country with data is an opponent (COINr aggregates first and
                    # applies its data threshold to the results)
                    entries[u] = [(i, x, exact(wtext[i])) for i, x in av]
                if not present or share < min_cov:
                    score[(u, y, node.code)] = None
                    continue
                if not av:
                    # children with data, all of weight 0: no points on a points-sum, and
                    # no weighted mean at all
                    score[(u, y, node.code)] = 0.0 if method == "sum" else None
                    continue
                if method == "copeland":
                    score[(u, y, node.code)] = "copeland"
                else:
                    score[(u, y, node.code)] = aggregate_one(
                        method, [x for _, x in av], [wf[i] for i, _ in av])
            if method == "copeland":
                for u, s in copeland(entries).items():
                    if score[(u, y, node.code)] == "copeland":
                        score[(u, y, node.code)] = s

    ties = opts.get("rank-ties", "min")
    tb_code = ties.split(":")[1] if ties.startswith("ordinal") else None
    rank = {}
    for n in nodes:
        for y in years:
            sc = {u: score[(u, y, n.code)] for u in units if score[(u, y, n.code)] is not None}
            tb = {u: score.get((u, y, tb_code)) for u in units} if tb_code else None
            r = rank_scores(sc, ties.split(":")[0], tb)
            for u in units:
                rank[(u, y, n.code)] = r.get(u)
    return years, score, rank
