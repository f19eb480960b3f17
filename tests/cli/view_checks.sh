#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What an analyst sees of text that is not ASCII, and of one country: the console ranking
# lines up its columns by display width with Vietnamese (decomposed accents), Thai (combining
# vowel marks) and Japanese (wide) names (the expected widths come from Python's unicodedata,
# not from our table); a chart with Japanese names and title embeds a CJK font and keeps the
# text (poppler's pdffonts and pdftotext; skipped without them); `trends D VNM` (or
# --country VNM) prints that country's trends; `chart profile D JPN,VNM` draws both, an unknown code lists the valid ones;
# every chart kind marks the highlighted countries (ranking, heat map, profiles here) and more
# highlights than the palette's twelve colours are an error.
# Usage: view_checks.sh CYMETRICS SRCDIR
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

# 2. Japanese in a PDF chart: the text is there and a CJK font is embedded (no empty boxes)
if command -v pdffonts >/dev/null && command -v pdftotext >/dev/null &&
    fc-list :lang=ja 2>/dev/null | grep -q .; then
    "$CYM" chart ranking "$T/ds" --out "$T/cjk" --charts pdf --title '日本とアセアンの指数' \
        --highlight JPN,VNM -q 2>"$T/err" || bad "CJK chart failed: $(cat "$T/err")"
    pdftotext "$T/cjk/charts/ranking.pdf" "$T/cjk.txt"
    grep -q '日本とアセアンの指数' "$T/cjk.txt" && grep -q '日本' "$T/cjk.txt" && ok ||
        bad "the PDF lost the Japanese text: $(head -3 "$T/cjk.txt")"
    pdffonts "$T/cjk/charts/ranking.pdf" | awk 'NR > 2 && /CJK/ && $(NF-4) == "yes"' | grep -q . &&
        ok || bad "no CJK font embedded: $(pdffonts "$T/cjk/charts/ranking.pdf")"
    ! grep -q "$(printf '\357\277\275')" "$T/cjk.txt" && ok || bad "a replacement character in the PDF"
else
    echo "SKIP: CJK chart (poppler-utils or a Japanese font missing: scripts/install-deps.sh)"
fi

# 3. one country's trends: the index and every pillar
"$CYM" trends "$T/ds" VNM --out "$T/tr" >"$T/stdout" 2>"$T/err" || bad "trends D VNM failed: $(cat "$T/err")"
head -1 "$T/stdout" | grep -q '^VNM ' && ok || bad "trends VNM: $(head -3 "$T/stdout")"
for node in AJCI LEG TEC ORG CAP COO; do
    grep -q "^  $node " "$T/stdout" && ok || bad "trends VNM has no line for $node: $(cat "$T/stdout")"
done
[ -s "$T/tr/trends.csv" ] && ok || bad "trends D VNM did not write trends.csv"
# --country VNM prints the same (the output folder's name aside); with a positional too, exit 2
"$CYM" trends "$T/ds" --country VNM --out "$T/tr2" >"$T/stdout2" 2>"$T/err" &&
    [ "$(sed "s|$T/tr2/|$T/tr/|" "$T/stdout2")" = "$(cat "$T/stdout")" ] && ok ||
    bad "trends --country VNM differs from trends D VNM: $(cat "$T/stdout2" "$T/err")"
"$CYM" trends "$T/ds" VNM --country JPN --out "$T/tr3" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q "give one" "$T/err" && [ ! -e "$T/tr3" ] && ok ||
    bad "trends D VNM --country JPN: exit $rc, $(cat "$T/err")"

# 4. profiles of two countries; an unknown code names the valid ones
"$CYM" chart profile "$T/ds" JPN,VNM --out "$T/pr" --charts svg -q 2>"$T/err" ||
    bad "chart profile JPN,VNM failed: $(cat "$T/err")"
[ -s "$T/pr/charts/profile-JPN.svg" ] && [ -s "$T/pr/charts/profile-VNM.svg" ] && ok ||
    bad "profile JPN,VNM: $(ls "$T/pr/charts" 2>&1)"
"$CYM" chart profile "$T/ds" JPN,XXX --out "$T/pr2" --charts svg -q 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q "no country 'XXX' in the dataset (countries: BRN, KHM, IDN" "$T/err" && ok ||
    bad "unknown country: exit $rc, $(cat "$T/err")"

# 5. the ranking chart marks the highlighted countries; all eleven countries fit the palette,
#    thirteen are one too many
"$CYM" chart ranking "$T/ds" --out "$T/hl" --charts svg --highlight VNM,LAO -q 2>"$T/err" ||
    bad "ranking with highlights failed: $(cat "$T/err")"
awk -F, 'NR > 1 && $NF == 1 { print $2 }' "$T/hl/charts/ranking.csv" | sort | tr '\n' ' ' |
    grep -qx 'LAO VNM ' && ok || bad "ranking.csv highlighted: $(cat "$T/hl/charts/ranking.csv")"
"$CYM" chart ranking "$T/ds" --out "$T/hl11" --charts svg -q \
    --highlight JPN,VNM,THA,SGP,MYS,IDN,PHL,BRN,KHM,LAO,MMR 2>"$T/err" &&
    [ "$(awk -F, 'NR > 1 && $NF == 1' "$T/hl11/charts/ranking.csv" | wc -l)" -eq 11 ] && ok ||
    bad "eleven highlights: $(cat "$T/err")"
"$CYM" chart ranking "$T/ds" --out "$T/hl13" --charts svg -q \
    --highlight JPN,VNM,THA,SGP,MYS,IDN,PHL,BRN,KHM,LAO,MMR,KOR,CHN 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q "(expected at most 12 country codes, one colour each)" "$T/err" &&
    [ ! -e "$T/hl13" ] && ok || bad "thirteen highlights: exit $rc, $(cat "$T/err")"

# 6. the heat map and the profiles colour the highlighted countries too: the palette's first
#    two colours (Okabe-Ito blue #0072B2, orange #E69F00) as cairo writes them in an SVG
blue='rgb(0%,44.705882%,69.803922%)'
orange='rgb(90.196078%,62.352941%,0%)'
"$CYM" chart heatmap "$T/ds" --out "$T/hm" --charts svg --highlight LAO,VNM -q 2>"$T/err" ||
    bad "heat map with highlights failed: $(cat "$T/err")"
[ "$(awk -F, 'NR > 1 && $NF == 1 { print $1 }' "$T/hm/charts/heatmap.csv" | sort -u |
     tr '\n' ' ')" = 'LAO VNM ' ] && grep -q "$blue" "$T/hm/charts/heatmap.svg" &&
    grep -q "$orange" "$T/hm/charts/heatmap.svg" && ok ||
    bad "heat map: LAO and VNM not highlighted ($(head -2 "$T/hm/charts/heatmap.csv"))"
# SGP, second highlight, in orange and not in the blue every profile used before; VNM, not
# highlighted, against its leader SGP in orange
"$CYM" chart profile "$T/ds" SGP,VNM --out "$T/ph" --charts svg --highlight LAO,SGP -q \
    2>"$T/err" || bad "profiles with highlights failed: $(cat "$T/err")"
grep -q "$orange" "$T/ph/charts/profile-SGP.svg" && ! grep -q "$blue" "$T/ph/charts/profile-SGP.svg" &&
    grep -q "$orange" "$T/ph/charts/profile-VNM.svg" && ! grep -q "$blue" "$T/ph/charts/profile-VNM.svg" &&
    [ "$(awk -F, 'FNR > 1 { print $1 $NF }' "$T/ph/charts/profile-SGP.csv" "$T/ph/charts/profile-VNM.csv" |
         sort -u | tr '\n' ' ')" = 'SGP1 VNM0 ' ] && ok ||
    bad "profiles do not take the highlight colours"

finish
