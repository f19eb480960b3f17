# SPDX-License-Identifier: GPL-3.0-or-later
"""Recomputes the key findings of report.md from index-level numbers read independently
(scores.csv and trends.csv) and checks that report.md states them: the leader and its margin
over the second, the largest gain and fall of the index since the previous year with the
ranks, of the countries above the default coverage policy (an index coverage of 0.66) in both
years, and which countries trend up or not at all.  Usage: check_findings.py OUT_DIR"""
import csv
import sys

out = sys.argv[1]
report = open(out + "/report.md", encoding="utf-8").read()
names = {r["country"]: r["name"] for r in csv.DictReader(open(out + "/index.csv", encoding="utf-8"))}
idx = list(csv.DictReader(open(out + "/index.csv", encoding="utf-8")))
index_code = list(idx[0].keys())[4]  # after rank, country, name, year
sc = {}
flagged = set()
for r in csv.DictReader(open(out + "/scores.csv", encoding="utf-8")):
    if r["code"] == index_code:
        sc[(r["country"], int(r["year"]))] = (float(r["score"]), float(r["rank"]))
        if float(r["coverage"]) < 0.66 - 1e-9:
            flagged.add((r["country"], int(r["year"])))
years = sorted({y for _, y in sc})
last, prev = years[-1], years[-2]
ranked = sorted((v[1], c) for (c, y), v in sc.items() if y == last)
lead, second = ranked[0][1], ranked[1][1]
ls, ss = sc[(lead, last)][0], sc[(second, last)][0]
want = "%s leads the" % names[lead]
assert want in report, want
want = "with %.1f, %.1f points ahead of %s (%.1f)." % (ls, ls - ss, names[second], ss)
assert want in report, want
ch = {c: sc[(c, last)][0] - sc[(c, prev)][0] for c in names
      if (c, last) not in flagged and (c, prev) not in flagged}
up = max(ch, key=lambda c: ch[c])
down = min(ch, key=lambda c: ch[c])
want = "Largest gain since %d: %s, +%.1f points (rank %d to %d)." % (
    prev, names[up], ch[up], sc[(up, prev)][1], sc[(up, last)][1])
assert want in report, want
want = "Largest fall since %d: %s, -%.1f points (rank %d to %d)." % (
    prev, names[down], -ch[down], sc[(down, prev)][1], sc[(down, last)][1])
assert want in report, want
direction = {r["country"]: r["direction"] for r in csv.DictReader(open(out + "/trends.csv", encoding="utf-8"))
             if r["code"] == index_code and r["country"] in names}
lines = [l for l in report.splitlines() if l.startswith("- Significantly improving")]
assert len(lines) == 1
for c, d in direction.items():
    assert (names[c] + " (") in lines[0] if d == "improving" else (names[c] + " (") not in lines[0], (c, d)
print("findings: leader, movers and trends agree with scores.csv and trends.csv")
