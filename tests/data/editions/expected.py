#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hand computation of the two-edition example (README.md), independent of cymetrics.

Writes expected/<basis>/editions_index.csv and yoy.csv (every node of v2 on the basis:
the index, the pillars and the indicators; see NODES below), and expected/check_total.csv, which
the golden cases tests/golden/editions-* compare with (numeric tolerance of csvdiff).

--normalise none, --aggregate sum: a pillar is sum(weight x item), the index LEG + TEC.
  v1 (2017-2019): LEG = 2 L.LAW + L.REG,   TEC = T.CERT + T.PATCH (0-1)      max 3 + 2 = 5
  v2 (2020-2022): LEG = 2 L.LAW + L.STRAT, TEC = T.CIRT + 0.02 T.PATCH (0-100) max 3 + 4 = 7
common basis: v2's indicators every edition has: L.LAW, T.CIRT (= 2 T.CERT), T.PATCH
  (= 100 x the v1 value); L.STRAT (new) has weight 0: index = 2 L.LAW + T.CIRT + 0.02 T.PATCH
rebased: index / max x 100.  percentile: (rank from the lowest - 1) / (n - 1) x 100.
"""
import csv, os

HERE = os.path.dirname(os.path.abspath(__file__))
V1 = ['L.LAW', 'L.REG', 'T.CERT', 'T.PATCH']
V2 = ['L.LAW', 'L.STRAT', 'T.CIRT', 'T.PATCH']
units = ['AAA', 'BBB', 'CCC']
years = range(2017, 2023)
x = {}
pub = {}
for u in units:
    with open(os.path.join(HERE, 'data', u + '.csv')) as f:
        for row in csv.DictReader(f):
            key = (u, int(row['year']))
            if row['indicator'].endswith('.PUB'):
                pub.setdefault(key, {})[row['indicator']] = float(row['value'])
            else:
                x.setdefault(key, {})[row['indicator']] = float(row['value'])

def own(u, y):
    v = x[(u, y)]
    if y < 2020:
        leg, tec = 2 * v['L.LAW'] + v['L.REG'], v['T.CERT'] + v['T.PATCH']
    else:
        leg, tec = 2 * v['L.LAW'] + v['L.STRAT'], v['T.CIRT'] + 0.02 * v['T.PATCH']
    return leg, leg + tec

def common(u, y):
    return common_node(u, y, 'GCI')

# Every node of the newest framework (v2), in its order. A v1 year's node is the v1 node of the
# same code (aggregates), the index for the index, or the v1 indicator the crosswalk maps onto
# it (T.CERT -> T.CIRT, T.PATCH -> T.PATCH); L.STRAT has none in v1: missing (no row).
NODES = ['GCI', 'LEG', 'TEC', 'L.LAW', 'L.STRAT', 'T.CIRT', 'T.PATCH']

def own_node(u, y, n):
    """the node's score in its year's edition (normalise none: an indicator is its raw value,
    a pillar the weighted sum of its items); None when the edition has no such node"""
    v = x[(u, y)]
    if y < 2020:
        d = {'LEG': 2 * v['L.LAW'] + v['L.REG'], 'TEC': v['T.CERT'] + v['T.PATCH'],
             'L.LAW': v['L.LAW'], 'L.STRAT': None, 'T.CIRT': v['T.CERT'], 'T.PATCH': v['T.PATCH']}
    else:
        d = {'LEG': 2 * v['L.LAW'] + v['L.STRAT'], 'TEC': v['T.CIRT'] + 0.02 * v['T.PATCH'],
             'L.LAW': v['L.LAW'], 'L.STRAT': v['L.STRAT'], 'T.CIRT': v['T.CIRT'],
             'T.PATCH': v['T.PATCH']}
    d['GCI'] = d['LEG'] + d['TEC']
    return d[n]

# highest score a node allows in its edition (binary 1, ordinal K, goalpost hi, weighted sums)
MAX = {1: {'GCI': 5, 'LEG': 3, 'TEC': 2, 'L.LAW': 1, 'T.CIRT': 1, 'T.PATCH': 1},
       2: {'GCI': 7, 'LEG': 3, 'TEC': 4, 'L.LAW': 1, 'L.STRAT': 1, 'T.CIRT': 2, 'T.PATCH': 100}}

def common_node(u, y, n):
    """common basis: v1 values mapped (T.CIRT = 2 T.CERT, T.PATCH = 100 x), L.STRAT weight 0;
    L.STRAT itself has no common indicator: not on the basis (None)"""
    v = x[(u, y)]
    cirt = 2 * v['T.CERT'] if y < 2020 else v['T.CIRT']
    patch = 100 * v['T.PATCH'] if y < 2020 else v['T.PATCH']
    d = {'LEG': 2 * v['L.LAW'], 'TEC': cirt + 0.02 * patch, 'L.LAW': v['L.LAW'],
         'L.STRAT': None, 'T.CIRT': cirt, 'T.PATCH': patch}
    d['GCI'] = d['LEG'] + d['TEC']
    return d[n]

def ranks(vals, low_first):
    return {k: 1 + sum(1 for w in vals.values() if (w < v if low_first else w > v))
            for k, v in vals.items()}

def basis(name, n):
    b = {}
    for y in years:
        o = {u: own_node(u, y, n) for u in units if own_node(u, y, n) is not None}
        if name == 'common':
            b.update({(u, y): common_node(u, y, n) for u in units})
        elif name == 'rebased':
            b.update({(u, y): o[u] / MAX[1 if y < 2020 else 2][n] * 100 for u in o})
        else:
            r = ranks(o, True)
            b.update({(u, y): (r[u] - 1) / (len(o) - 1) * 100 for u in o})
    return {k: w for k, w in b.items() if w is not None}

def ed(y):
    return '2017-2019' if y < 2020 else '2020-2022'

def fmt(v):
    return '' if v is None else repr(v)

for name in ('common', 'rebased', 'percentile'):
    out = os.path.join(HERE, 'expected', name)
    os.makedirs(out, exist_ok=True)
    b, rk = {}, {}
    for n in NODES:
        bn = basis(name, n)
        b.update({(u, y, n): w for (u, y), w in bn.items()})
        for y in years:
            have = {u: bn[(u, y)] for u in units if (u, y) in bn}
            rk.update({(u, y, n): r for u, r in ranks(have, False).items()})
    # a node is on the basis when it has a value in some year (common: L.STRAT is not)
    on = [n for n in NODES if any(k[2] == n for k in b)]
    with open(os.path.join(out, 'editions_index.csv'), 'w') as f:
        f.write('country,year,edition,code,score,basis,basis_score,basis_rank\n')
        for u in units:
            for n in on:
                for y in years:
                    if (u, y, n) not in b and own_node(u, y, n) is None:
                        continue
                    f.write(f'{u},{y},{ed(y)},{n},{fmt(own_node(u, y, n))},{name},'
                            f'{fmt(b.get((u, y, n)))},{fmt(rk.get((u, y, n)))}\n')
    with open(os.path.join(out, 'yoy.csv'), 'w') as f:
        f.write('country,code,year,edition,score,prev_year,prev_edition,prev_score,change,'
                'pct_change,rank,prev_rank,rank_change,basis,break\n')
        for u in units:
            for n in on:
                ys = [y for y in years if (u, y, n) in b]
                for p_y, y in zip(ys, ys[1:]):
                    c, p = b[(u, y, n)], b[(u, p_y, n)]
                    pct = '' if p == 0 else repr((c - p) / abs(p) * 100)
                    r0, r1 = rk[(u, p_y, n)], rk[(u, y, n)]
                    f.write(f'{u},{n},{y},{ed(y)},{c!r},{p_y},{ed(p_y)},{p!r},{c - p!r},{pct},'
                            f'{r1},{r0},{r0 - r1},{name},{int(ed(y) != ed(p_y))}\n')

# check-total: GCI.PUB against the index, LEG.PUB against LEG (items binary, weights 2 and 1:
# LEG lies on the grid of step gcd(2, 1) = 1); GCI has a continuous item: no grid. Tolerance
# 0.005 absolute. Rows by edition, then series, country, year.
with open(os.path.join(HERE, 'expected', 'check_total.csv'), 'w') as f:
    f.write('country,year,edition,series,node,published,computed,difference,status\n')
    for lo, hi in ((2017, 2019), (2020, 2022)):
        for series, node in (('GCI.PUB', 'GCI'), ('LEG.PUB', 'LEG')):
            for u in units:
                for y in range(lo, hi + 1):
                    if series not in pub.get((u, y), {}):
                        continue
                    p = pub[(u, y)][series]
                    c = own(u, y)[1] if node == 'GCI' else own(u, y)[0]
                    if node == 'LEG' and p != round(p):
                        st = 'off-grid'
                    elif abs(c - p) > 0.005 + 1e-9 * abs(p):
                        st = 'mismatch'
                    else:
                        st = 'ok'
                    f.write(f'{u},{y},{ed(y)},{series},{node},{p!r},{c!r},{c - p!r},{st}\n')
