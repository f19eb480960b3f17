#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hand computation of the two-edition example (README.md), independent of cymetrics.

Writes expected/<basis>/editions_index.csv and yoy.csv, and expected/check_total.csv, which
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
    v = x[(u, y)]
    cirt = 2 * v['T.CERT'] if y < 2020 else v['T.CIRT']
    patch = 100 * v['T.PATCH'] if y < 2020 else v['T.PATCH']
    return 2 * v['L.LAW'] + cirt + 0.02 * patch

def ranks(vals, low_first):
    return {k: 1 + sum(1 for w in vals.values() if (w < v if low_first else w > v))
            for k, v in vals.items()}

def basis(name):
    b = {}
    for y in years:
        o = {u: own(u, y)[1] for u in units}
        if name == 'common':
            b.update({(u, y): common(u, y) for u in units})
        elif name == 'rebased':
            b.update({(u, y): o[u] / (5 if y < 2020 else 7) * 100 for u in units})
        else:
            r = ranks(o, True)
            b.update({(u, y): (r[u] - 1) / (len(units) - 1) * 100 for u in units})
    return b

def ed(y):
    return '2017-2019' if y < 2020 else '2020-2022'

for name in ('common', 'rebased', 'percentile'):
    out = os.path.join(HERE, 'expected', name)
    os.makedirs(out, exist_ok=True)
    b = basis(name)
    rk = {}
    for y in years:
        rk.update({(u, y): r for u, r in ranks({u: b[(u, y)] for u in units}, False).items()})
    with open(os.path.join(out, 'editions_index.csv'), 'w') as f:
        f.write('country,year,edition,code,score,basis,basis_score,basis_rank\n')
        for u in units:
            for y in years:
                f.write(f'{u},{y},{ed(y)},GCI,{own(u, y)[1]!r},{name},{b[(u, y)]!r},{rk[(u, y)]}\n')
    with open(os.path.join(out, 'yoy.csv'), 'w') as f:
        f.write('country,code,year,edition,score,prev_year,prev_edition,prev_score,change,'
                'pct_change,rank,prev_rank,rank_change,basis,break\n')
        for u in units:
            for y in years[1:]:
                c, p = b[(u, y)], b[(u, y - 1)]
                pct = '' if p == 0 else repr((c - p) / abs(p) * 100)
                f.write(f'{u},GCI,{y},{ed(y)},{c!r},{y - 1},{ed(y - 1)},{p!r},{c - p!r},{pct},'
                        f'{rk[(u, y)]},{rk[(u, y - 1)]},{rk[(u, y - 1)] - rk[(u, y)]},{name},'
                        f'{int(y == 2020)}\n')

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
