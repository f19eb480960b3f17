#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What an analyst sees of text that is not ASCII: the console ranking lines up its columns
# by display width with Vietnamese (decomposed accents), Thai (combining vowel marks) and
# Japanese (wide) names. The expected widths come from Python's unicodedata, not from our
# table. Usage: view_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"

cp -r "$SRC/datasets/asean-japan" "$T/ds"
sed -i "s|^framework = .*|framework = $SRC/indicators/asean-japan.csv|" "$T/ds/cymetrics.ini"
# Việt Nam with U+0323 U+0302, สิงคโปร์ with two marks above, 日本 wide
sed -i 's/^JPN,Japan,/JPN,日本,/; s/^VNM,Viet Nam,/VNM,Vie\xcc\xa3\xcc\x82t Nam,/;
        s/^SGP,Singapore,/SGP,สิงคโปร์,/; s/^THA,Thailand,/THA,ประเทศไทย,/' "$T/ds/countries.csv"

# 1. the ranking's score column ends at the same display column on every line
"$CYM" run "$T/ds" --out "$T/out" --charts none --report off >"$T/stdout" 2>"$T/err" ||
    bad "run with wide names failed: $(cat "$T/err")"
python3 - "$T/stdout" <<'PY' && ok || bad "ranking columns do not line up: $(cat "$T/stdout")"
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.category(c) in ("Mn", "Me") else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
ranked = [l for l in lines if re.match(r"^ +\d+  [A-Z]{3}  ", l)]
ends = set()
for l in ranked:
    m = re.search(r" +-?\d+\.\d(?=  \S|$)", l)
    ends.add(width(l[:m.end()]))
assert len(ranked) == 11 and len(ends) == 1, (len(ranked), ends)
assert any("日本" in l for l in ranked)
PY

finish
