# SPDX-License-Identifier: GPL-3.0-or-later
"""results.json against scores.csv and tiers.csv: every score, rank and coverage is the same
double (exact: both are %.17g), a missing value is null; schema and record counts.
Usage: check_json.py results.json scores.csv tiers.csv"""
import csv
import json
import math
import sys


def num(text):
    return None if text == "" else float(text)


def main():
    res = json.load(open(sys.argv[1], encoding="utf-8"))
    assert res["schema"] == "cymetrics-results/1"
    nodes = [n["code"] for n in res["nodes"]]
    recs = {(r["country"], r["year"]): r for r in res["scores"]}
    n = 0
    for row in csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")):
        r = recs[(row["country"], int(row["year"]))]
        k = nodes.index(row["code"])
        for field in ("score", "rank", "coverage"):
            want, got = num(row[field]), r[field][k]
            assert (want is None and got is None) or (got is not None and got == want), \
                (row, field, got)
            n += 1
    for row in csv.DictReader(open(sys.argv[3], newline="", encoding="utf-8")):
        r = recs[(row["country"], int(row["year"]))]
        assert (r["tier"] or "") == row["tier"], (row, r["tier"])
        want, got = num(row["points_to_next"]), r["points_to_next_tier"]
        assert (want is None and got is None) or got == want, (row, got)
    assert len(res["trends"]) > 0 and len(res["strengths"]) == len(res["countries"])
    for t in res["trends"]:
        for v in t.values():
            assert not (isinstance(v, float) and math.isnan(v))
    print("json: %d values equal to scores.csv" % n)


main()
