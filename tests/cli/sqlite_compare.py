# SPDX-License-Identifier: GPL-3.0-or-later
"""results.sqlite against the CSV tables it holds (tests/cli/sqlite_checks.sh), with Python's
standard library only.

Usage: sqlite_compare.py OUTDIR [FORMATS_MD]

(a) every CSV table under OUTDIR (and its sub-folders) is a table of results.sqlite, named by
    its path ('/' as '_', without .csv), with the CSV's header as its columns and the CSV's
    rows in order, value by value: an empty cell is NULL, a number is the float the CSV text
    reads as, other text is the same text; and the database has no other table;
(b) each value has its column's declared type (TEXT, INTEGER, REAL), the columns named below
    are declared as docs/formats.md says, an index is led by each country, year, code and
    indicator column, and scores has the one on (country, code, year);
(q) with FORMATS_MD: the ```sql blocks of its `results.sqlite` section run as written, each
    returns rows, and the answer of the one on the largest yearly rises is recomputed from
    scores.csv.
Prints one line per failure and exits 1 when any, 0 otherwise.
"""
import csv
import os
import re
import sqlite3
import sys

# the declared types docs/formats.md lists for the tables every run writes
EXPECTED = {
    "scores": {"country": "TEXT", "year": "INTEGER", "code": "TEXT", "level": "INTEGER",
               "score": "REAL", "rank": "INTEGER", "coverage": "REAL"},
    "data": {"country": "TEXT", "year": "INTEGER", "indicator": "TEXT", "raw": "REAL",
             "normalised": "REAL", "flags": "TEXT"},
    "index": {"rank": "INTEGER", "country": "TEXT", "year": "INTEGER", "coverage": "REAL"},
    "weights": {"code": "TEXT", "parent": "TEXT", "level": "INTEGER", "weight": "REAL"},
    "treatment": {"indicator": "TEXT", "year": "TEXT", "n": "INTEGER"},
    "audit_correlations": {"year": "INTEGER", "a": "TEXT", "pearson": "REAL", "n": "INTEGER"},
}
KEYS = ("country", "year", "code", "indicator")
# number columns that may also hold a word (docs/formats.md)
WORDS = {("next_tier", "steps"): {"unreachable", "flagged"}}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def as_number(text):
    try:
        v = float(text)
    except ValueError:
        return None
    return v if v == v and abs(v) != float("inf") else None


def csv_tables(outdir):
    out = {}
    for root, dirs, files in os.walk(outdir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if f.endswith(".csv") and not f.startswith("."):
                rel = os.path.relpath(os.path.join(root, f), outdir)
                out[rel[:-4].replace("/", "_")] = os.path.join(root, f)
    return out


def compare_table(db, name, path):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], [r for r in rows[1:] if r]
    info = db.execute('PRAGMA table_info("%s")' % name).fetchall()
    cols = [c[1] for c in info]
    types = [c[2] for c in info]
    if cols != header:
        fail("%s: columns %s, CSV header %s" % (name, cols, header))
        return
    got = db.execute('SELECT * FROM "%s" ORDER BY rowid' % name).fetchall()
    if len(got) != len(body):
        fail("%s: %d rows, CSV %d" % (name, len(got), len(body)))
        return
    for i, (row, crow) in enumerate(zip(got, body)):
        for j, (v, text) in enumerate(zip(row, crow)):
            where = "%s row %d column %s" % (name, i + 1, header[j])
            if text == "":
                if v is not None:
                    fail("%s: %r for an empty cell" % (where, v))
                continue
            if types[j] == "TEXT":
                if v != text:
                    fail("%s: %r, CSV %r" % (where, v, text))
                continue
            x = as_number(text)
            if x is None:
                if v != text or text not in WORDS.get((name, header[j]), ()):
                    fail("%s: %r in a %s column (CSV %r)" % (where, v, types[j], text))
            elif types[j] == "INTEGER" and not isinstance(v, int):
                fail("%s: %r is not an INTEGER (CSV %r)" % (where, v, text))
            elif not isinstance(v, (int, float)) or float(v) != x:
                fail("%s: %r, CSV %r" % (where, v, text))


def check_schema(db, names):
    for table, want in EXPECTED.items():
        if table not in names:  # a run with editions has them per edition
            continue
        have = {c[1]: c[2] for c in db.execute('PRAGMA table_info("%s")' % table)}
        for col, t in want.items():
            if have.get(col) != t:
                fail("%s.%s is declared %s, expected %s" % (table, col, have.get(col), t))
    for table in names:
        cols = [c[1] for c in db.execute('PRAGMA table_info("%s")' % table)]
        indexes = []
        for ix in db.execute('PRAGMA index_list("%s")' % table):
            indexes.append([c[2] for c in db.execute('PRAGMA index_info("%s")' % ix[1])])
        for k in KEYS:
            if k in cols and not any(ix[0] == k for ix in indexes):
                fail("%s: no index led by %s" % (table, k))
        if table == "scores" and ["country", "code", "year"] not in indexes:
            fail("scores: no index on (country, code, year): %s" % indexes)


def check_queries(db, outdir, formats_md):
    with open(formats_md, encoding="utf-8") as fh:
        text = fh.read()
    m = re.search(r"^## `results\.sqlite`\n(.*?)(?=^## )", text, re.S | re.M)
    if not m:
        fail("%s: no section '## `results.sqlite`'" % formats_md)
        return
    blocks = re.findall(r"^```sql\n(.*?)^```", m.group(1), re.S | re.M)
    if len(blocks) < 3:
        fail("%s: %d sql blocks, expected at least 3" % (formats_md, len(blocks)))
    for sql in blocks:
        try:
            rows = db.execute(sql).fetchall()
        except sqlite3.Error as e:
            fail("query failed: %s\n%s" % (e, sql))
            continue
        if not rows:
            fail("query returned no rows:\n%s" % sql)
        if "largest yearly rises" in sql:
            check_rises(rows, outdir)


def check_rises(rows, outdir):
    """The query's first row against scores.csv: the largest rise of the index (level of the
    root) from one year to the next, recomputed here."""
    with open(os.path.join(outdir, "scores.csv"), newline="") as fh:
        recs = list(csv.DictReader(fh))
    top = max(int(r["level"]) for r in recs)
    score = {(r["country"], int(r["year"])): float(r["score"])
             for r in recs if int(r["level"]) == top and r["score"] != ""}
    rises = [(score[(c, y)] - score[(c, y - 1)], c, y)
             for (c, y) in score if (c, y - 1) in score]
    best = max(rises)
    country, year, rise = rows[0][0], rows[0][1], rows[0][-1]
    if (country, year) != (best[1], best[2]) or abs(rise - best[0]) > 1e-9:
        fail("largest rise: query %r, scores.csv %r" % (rows[0], best))


def main():
    outdir = sys.argv[1]
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(outdir, "results.sqlite"), uri=True)
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    tables = csv_tables(outdir)
    if sorted(tables) != names:
        fail("tables %s, CSV files %s" % (names, sorted(tables)))
    for name in sorted(set(tables) & set(names)):
        compare_table(db, name, tables[name])
    check_schema(db, names)
    if len(sys.argv) > 2:
        check_queries(db, outdir, sys.argv[2])
    print("%d tables compared, %d failures" % (len(names), len(failures)))
    sys.exit(1 if failures else 0)


main()
