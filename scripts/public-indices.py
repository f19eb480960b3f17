#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Convert the published whole-index values of the ITU Global Cybersecurity Index (2017, 2018,
2020), the e-Governance Academy's National Cyber Security Index (three snapshots) and the
Cybersecurity Exposure Index into the cymetrics dataset datasets/public-indices/ (issue 20).

Usage: scripts/public-indices.py [SOURCE_DIR [OUT_DIR]]

SOURCE_DIR (default datasets/public-indices/sources) holds the compiled source files
(gci2017_global.csv, gci2018_global.csv, gci2020_global.csv, ncsi_global_snapshots.csv,
kaggle_cyber_security_indexes.csv; their README.md gives the provenance); OUT_DIR defaults to
datasets/public-indices. Python 3 standard library only. The output depends on the source files
alone (rows sorted, no dates), so a rerun reproduces the committed dataset byte for byte
(tests/cli/public_indices_checks.sh). It writes countries.csv, one CODE.csv per country and
frameworks/; README.md and cymetrics.ini are written by hand.

Mapping (datasets/public-indices/README.md says why):
  GCI 2017 -> year 2017, GCI 2018 -> 2018, GCI 2020 -> 2020: series GCI.SCORE, each edition a
    framework of its own (frameworks/gci-YEAR.csv) whose goalposts declare the scale (0-1 in
    2017 and 2018, 0-100 in 2020), so every edition scores on 0-100; the crosswalk declares
    the factor 100 at the 2018 -> 2020 break.
  NCSI snapshots: each its own series, all three beside GCI 2020 in the 2020 framework
    (weight 0) and in the data at year 2020, the year of the run's last GCI edition: the eGA
    spreadsheet (<= 2021-05-24) is NCSI (with its DDL), the copy of <= 2021-09-16 NCSI.2021,
    the undated c. 2022 table NCSI.2022; the series' names and each row's note give the
    snapshot and its date (a year 2021 or 2022 of the data would become the latest year of the
    2020 edition, one without any GCI score, and its report would rank nobody).
  CEI (undated table whose GCI column is GCI 2020) -> 2020, direction '-' (higher = more
    exposed).
  Markers (* in 2018, * and ** in 2020) -> the flag column; the source address of every value
    -> the source column; differences between copies -> the note column.
"""
import csv
import io
import os
import sys

# the ten ASEAN member states, then Japan
ASEAN = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]
JAPAN = ["JPN"]

# the region column of the source table, spelled as the source spells it except its typo
REGION_FIX = {"Asia-Pasific": "Asia-Pacific"}

# snapshot id of ncsi_global_snapshots.csv -> its series, its name in the framework and
# whether its DDL is read (only the first snapshot's, the DDL current with GCI 2020); every
# snapshot is read at the year of the last GCI edition
NCSI_SNAPSHOTS = {
    "ega_xlsx_2021": ("NCSI", "National Cyber Security Index (snapshot of 24 May 2021 or earlier)",
                      True),
    "mbelinsky_2021": ("NCSI.2021", "NCSI, snapshot of 16 September 2021 or earlier", False),
    "kaggle_c2022": ("NCSI.2022", "NCSI, undated snapshot of about 2022", False),
}
NCSI_YEAR = 2020
CEI_YEAR = 2020

GCI_NAME = "ITU Global Cybersecurity Index"

# (year, file, edition label, top of the published scale, what changed)
EDITIONS = [
    (2017, "gci-2017.csv", "second edition (2017)", 1,
     "published July 2017; score 0-1; no rank column in the source"),
    (2018, "gci-2018.csv", "third edition (2018)", 1,
     "collected 2018, published 2019; score 0-1; revised questionnaire"),
    (2020, "gci-2020.csv", "fourth edition (2020)", 100,
     "collected 2020, published June 2021; score 0-100; revised questionnaire"),
]

FRAMEWORK_HEADER = ["code", "name", "parent", "weight", "direction", "goal_lo", "goal_hi",
                    "unit", "source", "description"]


def read(src, name):
    with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def csv_text(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write(out, rel, text):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write(text)


def frameworks(out):
    """One framework per GCI edition: the index is the published score (weight 1); in 2020 the
    other published indices ride along with weight 0 (scored and ranked, outside the index)."""
    for year, fname, label, top, what in EDITIONS:
        rows = [
            ["GCI", "%s, %s" % (GCI_NAME, label), "", "1", "", "", "", "", "ITU",
             "the published GCI %d score, on 0-100" % year],
            ["GCI.SCORE", "GCI %d score" % year, "GCI", "1", "+", "0", str(top),
             "0-%d" % top, "ITU", what],
        ]
        if year == 2020:
            rows += [
                [code, name, "GCI", "0", "+", "0", "100", "0-100", "e-Governance Academy",
                 "points out of 154 as a percentage; not part of the GCI (weight 0)"]
                for code, name, _ in NCSI_SNAPSHOTS.values()
            ]
            rows += [
                ["DDL", "Digital Development Level", "GCI", "0", "+", "0", "100", "0-100",
                 "e-Governance Academy (NCSI)",
                 "the NCSI's digital development level; not part of the GCI (weight 0)"],
                ["CEI", "Cybersecurity Exposure Index (scored 100 = least exposed)", "GCI", "0",
                 "-", "1", "0", "0-1, higher = more exposed", "unknown publisher (copied table)",
                 "higher = more exposed; not part of the GCI (weight 0)"],
            ]
        write(out, os.path.join("frameworks", fname), csv_text(FRAMEWORK_HEADER, rows))
    # the same code goes on from 2018 to 2020 on a scale 100 times larger
    write(out, os.path.join("frameworks", "crosswalk.csv"),
          csv_text(["old_code", "new_code", "factor"], [["GCI.SCORE", "GCI.SCORE", "100"]]))


def main(argv):
    if len(argv) > 3:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[2] if len(argv) == 3 else os.path.join(here, "..", "datasets", "public-indices")
    src = argv[1] if len(argv) >= 2 else os.path.join(out, "sources")

    g17 = read(src, "gci2017_global.csv")
    g18 = read(src, "gci2018_global.csv")
    g20 = read(src, "gci2020_global.csv")
    ncsi = read(src, "ncsi_global_snapshots.csv")
    kag = read(src, "kaggle_cyber_security_indexes.csv")

    # name: the first source that has the country, newest GCI first
    names, region = {}, {}
    for rows in (g20, g18, g17, ncsi, kag):
        for r in rows:
            names.setdefault(r["country_iso3"], r["country_name_source"])
    for r in kag:
        region[r["country_iso3"]] = REGION_FIX.get(r["region_source"], r["region_source"])

    # (country, series, year) -> (value, flag, source, note)
    values = {}

    def put(code, series, year, value, flag, source, note):
        key = (code, series, year)
        if key in values:
            raise SystemExit("%s %s %d: a second value" % key)
        values[key] = (value, flag, source, note)

    for r in g17:
        put(r["country_iso3"], "GCI.SCORE", 2017, r["score_0_1"], "", r["source"], "")
    for r in g18:
        flag = "marker " + r["marker_in_itu_table"] if r["marker_in_itu_table"] else ""
        put(r["country_iso3"], "GCI.SCORE", 2018, r["score_0_1"], flag, r["source"], "")
    for r in g20:
        flag = "marker " + r["marker_in_source"] if r["marker_in_source"] else ""
        value, note = r["score_0_100"], r["notes"]
        if not value:
            # Bangladesh: absent from the DICE export, only the second copy has it
            value, flag = r["score_kaggle_copy"], "second copy"
        elif r["score_kaggle_copy"] and r["score_kaggle_copy"] != value:
            note = "a second copy gives %s" % r["score_kaggle_copy"]
        put(r["country_iso3"], "GCI.SCORE", 2020, value, flag, r["source"], note)
    for r in ncsi:
        code, _, with_ddl = NCSI_SNAPSHOTS[r["snapshot_id"]]
        snap = "NCSI snapshot %s (%s)" % (r["snapshot_id"], r["snapshot_date"])
        for series, col in ((code, "ncsi_score"), ("DDL", "ddl")):
            if r[col] and (series != "DDL" or with_ddl):
                put(r["country_iso3"], series, NCSI_YEAR, r[col], "", r["source"], snap)
    # the table has no source column: it is the one the c. 2022 NCSI snapshot was taken from
    kag_src = next(r["source"] for r in ncsi if r["snapshot_id"] == "kaggle_c2022")
    for r in kag:
        if r["cei"]:
            put(r["country_iso3"], "CEI", CEI_YEAR, r["cei"], "", kag_src,
                "undated table; its GCI column is GCI 2020")

    codes = sorted(names)
    group = {c: "ASEAN" for c in ASEAN}
    group.update({c: "Japan" for c in JAPAN})
    write(out, "countries.csv",
          csv_text(["code", "name", "group", "region"],
                   [[c, names[c], group.get(c, ""), region.get(c, "")] for c in codes]))

    order = {"GCI.SCORE": 0, "NCSI": 1, "NCSI.2021": 2, "NCSI.2022": 3, "DDL": 4, "CEI": 5}
    for c in codes:
        rows = sorted((k for k in values if k[0] == c), key=lambda k: (k[2], order[k[1]]))
        write(out, c + ".csv",
              csv_text(["indicator", "year", "value", "flag", "source", "note"],
                       [[k[1], k[2]] + list(values[k]) for k in rows]))
    frameworks(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
