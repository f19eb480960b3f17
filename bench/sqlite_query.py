# SPDX-License-Identifier: GPL-3.0-or-later
"""One country's index rank per year, and the largest yearly rises of the index: from
results.sqlite (Python's sqlite3) against reading scores.csv with the csv module, the way a
user without the database would (bench/sqlite.sh). Best of 3; the answers must agree.
Usage: sqlite_query.py OUTDIR COUNTRY INDEX_CODE"""
import csv
import os
import sqlite3
import sys
import time

out, country, code = sys.argv[1:4]
RANKS = "SELECT year, rank FROM scores WHERE country = ? AND code = ? ORDER BY year"
RISES = """SELECT s.country, s.year, s.score - p.score AS rise FROM scores s
JOIN scores p ON p.country = s.country AND p.code = s.code AND p.year = s.year - 1
WHERE s.code = ? ORDER BY rise DESC LIMIT 10"""


def db_ranks():
    with sqlite3.connect(os.path.join(out, "results.sqlite")) as db:
        return db.execute(RANKS, (country, code)).fetchall()


def db_rises():
    with sqlite3.connect(os.path.join(out, "results.sqlite")) as db:
        return db.execute(RISES, (code,)).fetchall()


def csv_ranks():
    with open(os.path.join(out, "scores.csv"), newline="") as fh:
        return sorted((int(r["year"]), int(float(r["rank"]))) for r in csv.DictReader(fh)
                      if r["country"] == country and r["code"] == code)


def csv_rises():
    score = {}
    with open(os.path.join(out, "scores.csv"), newline="") as fh:
        for r in csv.DictReader(fh):
            if r["code"] == code and r["score"] != "":
                score[(r["country"], int(r["year"]))] = float(r["score"])
    rises = [(c, y, v - score[(c, y - 1)]) for (c, y), v in score.items() if (c, y - 1) in score]
    return sorted(rises, key=lambda x: -x[2])[:10]


def best(fn):
    t = None
    for _ in range(3):
        t0 = time.perf_counter()
        res = fn()
        dt = time.perf_counter() - t0
        t = dt if t is None or dt < t else t
    return t, res


for name, fdb, fcsv in (("one country's rank per year", db_ranks, csv_ranks),
                        ("largest yearly rises", db_rises, csv_rises)):
    tdb, rdb = best(fdb)
    tcsv, rcsv = best(fcsv)
    same = [tuple(r) for r in rdb] == [tuple(r) for r in rcsv]
    print("%-30s sqlite %8.4f s   scores.csv in Python %8.4f s   ratio %6.1f x   %s"
          % (name, tdb, tcsv, tcsv / tdb, "same answer" if same else "DIFFERENT ANSWERS"))
