#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fills the forms of `cymetrics forms` with a dataset's values, as a focal point would, with
a program other than cymetrics (openpyxl): for each FORMS/<CODE>.xlsx, the rows of the form's
year in DATASET/<CODE>.csv (long form: indicator, year, value, flag, source) go into the
columns value, flag and source/notes, found by their headers as the reader finds them.

Usage: fill_forms.py FORMS DATASET [CODE=CELL=TEXT ...]
  CODE=CELL=TEXT writes TEXT (as text) into CELL of CODE's sheet Data afterwards
  (e.g. VNM=E14=45%), to plant a typing error."""
import csv
import os
import sys

import openpyxl


def main():
    forms, dataset = sys.argv[1], sys.argv[2]
    plant = {}
    for arg in sys.argv[3:]:
        code, cell, text = arg.split("=", 2)
        plant.setdefault(code, []).append((cell, text))
    for name in sorted(os.listdir(forms)):
        if not name.endswith(".xlsx"):
            continue
        code = name[:-5]
        path = os.path.join(forms, name)
        wb = openpyxl.load_workbook(path)
        year = int(wb["cymetrics"]["B2"].value)
        ws = wb["Data"]
        col = {c.value: c.column for c in ws[1]}
        rows = {}
        with open(os.path.join(dataset, code + ".csv"), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if int(r["year"]) == year:
                    rows[r["indicator"]] = r
        for row in range(2, ws.max_row + 1):
            r = rows.get(ws.cell(row, col["code"]).value)
            if not r:
                continue
            if r["value"] != "":
                v = float(r["value"])
                ws.cell(row, col["value"]).value = int(v) if v.is_integer() else v
            ws.cell(row, col["flag"]).value = r.get("flag") or None
            ws.cell(row, col["source/notes"]).value = r.get("source") or None
        for cell, text in plant.get(code, []):
            ws[cell].value = text
            ws[cell].data_type = "s"
        wb.save(path)


if __name__ == "__main__":
    main()
