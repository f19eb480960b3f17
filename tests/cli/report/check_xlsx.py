# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads results.xlsx back with the standard library only (zipfile + XML) and checks it against
index.csv: the "summary" sheet starts with index.csv's columns, every number is stored as a
number (no t="s" / inlineStr cell) equal to the CSV's %.17g value within Excel's 16
significant digits, every text cell equals the CSV's text, the header row is frozen, and a
"Methodology" sheet exists.  Usage: check_xlsx.py results.xlsx index.csv"""
import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def main():
    xlsx, index_csv = sys.argv[1], sys.argv[2]
    z = zipfile.ZipFile(xlsx)
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    sheets = {s.get("name"): "xl/" + target[s.get(RNS)] for s in wb.find("m:sheets", NS)}
    assert "summary" in sheets and "Methodology" in sheets, sorted(sheets)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    ws = ET.fromstring(z.read(sheets["summary"]))
    pane = ws.find("m:sheetViews/m:sheetView/m:pane", NS)
    assert pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1", \
        "header row not frozen"
    grid = {}
    for row in ws.find("m:sheetData", NS):
        r = int(row.get("r")) - 1
        for c in row:
            t = c.get("t")
            v = c.find("m:v", NS)
            if t == "s":
                grid[(r, col_index(c.get("r")))] = ("s", shared[int(v.text)])
            elif t is None or t == "n":
                grid[(r, col_index(c.get("r")))] = ("n", float(v.text))
            else:
                grid[(r, col_index(c.get("r")))] = (t, v.text if v is not None else "")
    # index.csv: rank,country,name,year,<index>,<pillars...>,tier; the sheet: Rank,Code,
    # Country,<index>,... (the year is the sheet's title, not a column)
    rows = [r[:3] + r[4:] for r in csv.reader(open(index_csv, newline="", encoding="utf-8"))]
    header = rows[0]
    # without the year: rank,country,name,<index>,<pillars...>,tier,coverage,flagged; the sheet:
    # Rank,Code,Country,<index>,<pillars...>,Tier,Coverage %,... with a dagger after the name
    # of a flagged country
    tier_j, cov_j, flag_j = header.index("tier"), header.index("coverage"), header.index("flagged")
    for j, h in enumerate(header[3:tier_j], start=3):
        assert grid[(0, j)] == ("s", h), (j, grid.get((0, j)), h)
    assert grid[(0, tier_j + 1)] == ("s", "Coverage %"), grid.get((0, tier_j + 1))
    checked = 0
    for i, row in enumerate(rows[1:], start=1):
        for j, text in enumerate(row[: tier_j + 1]):
            got = grid.get((i, j))
            if text == "":
                assert got is None, ("cell should be empty", i, j, got)
                continue
            if j == 2 and row[flag_j] == "1":
                assert got == ("s", text + " \u2020"), (i, j, got, text)
            elif j in (1, 2, tier_j):  # code, name, tier: text
                assert got == ("s", text), (i, j, got, text)
            else:
                want = float(text)
                assert got is not None and got[0] == "n", ("not a number", i, j, got)
                # libxlsxwriter writes %.16G: 16 significant digits
                assert abs(got[1] - want) <= 1e-15 * max(1.0, abs(want)), (i, j, got, want)
            checked += 1
        got = grid.get((i, tier_j + 1))
        want = 100 * float(row[cov_j])
        assert got is not None and abs(got[1] - want) <= 1e-13 * max(1.0, want), (i, got, want)
        checked += 1
    print("xlsx: %d cells match index.csv, %d sheets" % (checked, len(sheets)))


main()
