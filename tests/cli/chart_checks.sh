#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks of the charts (issue 5): what was drawn (sidecars against scores.csv), file validity
# (PNG signature and width, SVG well-formed, PDF header), byte-identical PNG/SVG between two
# runs, the error paths (a folder in the way, no cairo driver, no driver at all: never an exit
# from inside PLplot nor a prompt), `cymetrics chart`, and 2, 11, 51, 200 and 1,300 countries.
# Usage: chart_checks.sh CYMETRICS CYM_GEN SRCDIR
set -u
CYM=$1
GEN=$2
SRC=$3
. "$(dirname "$0")/checklib.sh"
check() { if eval "$1"; then ok; else bad "$2"; fi; }

png_ok() { # FILE: signature, IHDR width 1600, at least 10 kB
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || return 1
    [ "$(head -c 20 "$1" | tail -c 4 | od -An -tu1 | tr -s ' ' | sed 's/^ //')" = "0 0 6 64" ] ||
        return 1
    [ "$(wc -c < "$1")" -ge 10000 ]
}
svg_ok() {
    if command -v xmllint >/dev/null 2>&1; then
        xmllint --noout "$1" 2>/dev/null
    else
        head -c 200 "$1" | grep -q '<svg' && tail -c 20 "$1" | grep -q '</svg>'
    fi
}
pdf_ok() { [ "$(head -c 5 "$1")" = "%PDF-" ] && tail -c 8 "$1" | grep -q '%%EOF'; }

DS="$SRC/datasets/asean-japan"

# 1. every chart in every format, valid files
"$CYM" run "$DS" --out "$T/a" --charts png,svg,pdf -q < /dev/null || bad "run with charts failed"
kinds="ranking pillars trends pillar-trends change bump heatmap profile-JPN profile-SGP"
for k in $kinds; do
    check "png_ok '$T/a/charts/$k.png'" "$k.png is not a 1600 px PNG of 10 kB or more"
    check "svg_ok '$T/a/charts/$k.svg'" "$k.svg does not parse"
    check "pdf_ok '$T/a/charts/$k.pdf'" "$k.pdf is not a PDF"
    check "[ -s '$T/a/charts/$k.csv' ]" "$k.csv sidecar missing"
done
check "[ \$(ls '$T/a/charts' | grep -c '^profile-.*\.png$') -eq 11 ]" "not one profile per country"
# PDF geometry: the PNG's (1600 wide), and every word inside the page (at 72 dpi the cairo
# driver drew the text 2.2 times too large: titles ran off the right edge)
if command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then
    for k in $kinds; do
        check "pdfinfo '$T/a/charts/$k.pdf' | grep -q '^Page size: *1600 x '" \
            "$k.pdf is not 1600 pt wide like the PNG"
        pdftotext -bbox "$T/a/charts/$k.pdf" "$T/bbox.html" 2>/dev/null
        check "awk -F'\"' '/<page /{w=\$2; h=\$4} /<word /{n++; if (\$6 > w + 0.5 || \$8 > h + 0.5 || \$2 < -0.5 || \$4 < -0.5) out++} END{exit !(n > 3 && out == 0)}' '$T/bbox.html'" \
            "$k.pdf has text outside its page"
    done
else
    echo "chart_checks: pdftotext not found (poppler-utils), PDF geometry not checked"
fi
check "[ -z \"\$(ls -A '$T/a/charts' | grep '^\.')\" ]" "temporary chart files left behind"

# 2. what was drawn: the sidecars against scores.csv (the same %.17g text)
awk -F, 'NR > 1 && $3 == "AJCI" && $2 == 2024 { print $1 "," $5 "," $6 }' "$T/a/scores.csv" |
    sort > "$T/want"
awk -F, 'NR > 1 { print $2 "," $5 "," $1 }' "$T/a/charts/ranking.csv" | sort > "$T/got"
check "cmp -s '$T/want' '$T/got'" "ranking.csv differs from the 2024 index in scores.csv"
awk -F, 'NR > 1 && $3 == "AJCI" { print $1 "," $2 "," $5 }' "$T/a/scores.csv" | sort > "$T/want"
awk -F, 'NR > 1 { print $1 "," $3 "," $4 }' "$T/a/charts/trends.csv" | sort > "$T/got"
check "cmp -s '$T/want' '$T/got'" "trends.csv differs from the index in scores.csv"
awk -F, 'NR > 1 && $3 == "AJCI" { print $1 "," $2 "," $6 }' "$T/a/scores.csv" | sort > "$T/want"
awk -F, 'NR > 1 { print $1 "," $2 "," $3 }' "$T/a/charts/bump.csv" | sort > "$T/got"
check "cmp -s '$T/want' '$T/got'" "bump.csv ranks differ from scores.csv"
# the charts across framework editions: the comparable basis of editions_index.csv (its
# index rows), with the break marked in the first year of the new edition
"$CYM" run "$SRC/tests/data/editions" --out "$T/ed" --quiet 2>/dev/null
awk -F, 'NR > 1 && $4 == "GCI" { print $1 "," $2 "," $8 }' "$T/ed/editions_index.csv" |
    sort > "$T/want"
awk -F, 'NR > 1 { print $1 "," $2 "," $3 }' "$T/ed/charts/bump.csv" | sort > "$T/got"
check "[ -s '$T/want' ] && cmp -s '$T/want' '$T/got'" "editions bump.csv differs from editions_index.csv"
awk -F, 'NR > 1 && $4 == "GCI" { print $1 "," $2 "," $7 }' "$T/ed/editions_index.csv" |
    sort > "$T/want"
awk -F, 'NR > 1 { print $1 "," $3 "," $4 }' "$T/ed/charts/trends.csv" | sort > "$T/got"
check "[ -s '$T/want' ] && cmp -s '$T/want' '$T/got'" "editions trends.csv differs from editions_index.csv"
check "awk -F, 'NR > 1 && \$2 == 2020 && \$5 != 1 { exit 1 }' '$T/ed/charts/bump.csv'" \
    "the edition break is not marked in 2020"
# contributions add up to the index (arithmetic aggregation)
check "awk -F, 'NR > 1 { s[\$1] += \$6; idx[\$1] = \$7 } END { for (c in s) { d = s[c] - idx[c];
    if (d < 0) d = -d; if (d > 1e-9) exit 1 } }' '$T/a/charts/pillars.csv'" \
    "pillar contributions do not add up to the index"
# change = score_to - score_from, and score_to is the ranking score
check "awk -F, 'NR > 1 { d = \$5 - \$4 - \$6; if (d < 0) d = -d; if (d > 1e-9) exit 1 }' \
    '$T/a/charts/change.csv'" "change.csv is not the difference of its scores"
awk -F, 'NR > 1 && $3 == "AJCI" && $2 == 2023 { print $1 "," $5 }' "$T/a/scores.csv" |
    sort > "$T/want"
awk -F, 'NR > 1 { print $1 "," $4 }' "$T/a/charts/change.csv" | sort > "$T/got"
check "cmp -s '$T/want' '$T/got'" "change.csv 2023 scores differ from scores.csv"
awk -F, 'NR > 1 && $2 == 2024 && $3 == "LEG" { print $1 "," $5 }' "$T/a/scores.csv" |
    grep '^JPN' > "$T/want"
awk -F, 'NR > 1 && $3 == "LEG" { print $1 "," $4 }' "$T/a/charts/profile-JPN.csv" > "$T/got"
check "cmp -s '$T/want' '$T/got'" "profile-JPN.csv pillar score differs from scores.csv"
nind=$(awk -F, 'NR > 1 && $1 == "BRN" && $2 == 2024 && $4 == 1' "$T/a/scores.csv" | wc -l)
check "[ \$(wc -l < '$T/a/charts/heatmap.csv') -eq \$((11 * nind + 1)) ]" \
    "heatmap.csv is not 11 countries x $nind indicators"

# 3. PNG and SVG byte-identical between two identical runs (PDF embeds its creation time),
# and every file, the PDFs with SOURCE_DATE_EPOCH and the report's SVG charts too, the same
# whether the charts are drawn by one process at a time or two (OMP_NUM_THREADS): each file
# is drawn by its own process forked from the same state (cairo numbers SVG ids per process)
"$CYM" run "$DS" --out "$T/b" --charts png,svg,pdf -q < /dev/null || bad "second run failed"
for k in $kinds; do
    for e in png svg csv; do
        check "cmp -s '$T/a/charts/$k.$e' '$T/b/charts/$k.$e'" "$k.$e differs between two runs"
    done
done
for n in 1 2; do
    SOURCE_DATE_EPOCH=1700000000 OMP_NUM_THREADS=$n "$CYM" run "$DS" --out "$T/p$n" \
        --charts png,svg,pdf -q < /dev/null || bad "run with OMP_NUM_THREADS=$n failed"
done
for f in "$T/p1/charts/"* "$T/p1/report.html"; do
    b=${f#"$T/p1/"}
    check "cmp -s '$f' '$T/p2/$b'" "$b differs between one and two drawing processes"
done
check "[ \$(ls '$T/p2/charts' | wc -l) -eq \$(ls '$T/p1/charts' | wc -l) ]" \
    "not the same charts with one and two drawing processes"

# 3b. a drawing process killed: the charts it was drawing fail with the reason (exit 3, as
# other chart failures) and the run commits nothing (nothing written, nothing left beside the
# output folder). The signal is sent from outside to a running child of cymetrics (SIGSTOP
# first, so it cannot end between being found and being killed); tried until one is caught.
killed=0
for try in 1 2 3 4 5 6 7 8; do
    rm -rf "$T/kill" && mkdir "$T/kill"
    "$CYM" run "$DS" --out "$T/kill/out" --report off -q < /dev/null 2> "$T/err" &
    pid=$!
    child=""
    while kill -0 "$pid" 2>/dev/null; do
        child=$(ps -o pid= --ppid "$pid" 2>/dev/null | head -n 1 | tr -d ' ')
        [ -n "$child" ] && kill -STOP "$child" 2>/dev/null && kill -KILL "$child" && break
        child=""
    done
    wait "$pid"
    rc=$?
    [ -n "$child" ] && [ "$rc" -ne 0 ] && { killed=1; break; }
done
if [ "$killed" -eq 1 ]; then
    check "[ $rc -eq 3 ]" "killed drawing process: exit $rc, expected 3"
    check "grep -q 'charts/[a-zA-Z-]*\\.png: cannot draw the chart: its drawing process was killed by signal 9' '$T/err'" \
        "killed drawing process: message $(head -n 1 "$T/err")"
    check "[ -z \"\$(ls -A '$T/kill')\" ]" \
        "killed drawing process: something written or left: $(ls -A "$T/kill")"
else
    bad "no drawing process of cymetrics caught in 8 runs (the charts are drawn in children)"
fi

# 4. a file named charts in a folder that holds no result set: the folder is not replaced
#    (exit 2 before any work, docs/security.md), the file untouched
mkdir -p "$T/c" && echo mine > "$T/c/charts"
"$CYM" run "$DS" --out "$T/c" -q < /dev/null 2> "$T/err"
rc=$?
check "[ $rc -eq 2 ]" "charts file in a folder of the user's: exit $rc, expected 2"
check "grep -q 'not a cymetrics result set' '$T/err'" "refusal not explained: $(cat "$T/err")"
check "[ \"\$(ls -A '$T/c')\" = charts ] && [ \"\$(cat '$T/c/charts')\" = mine ]" \
    "the user's folder was changed"

# 5. no cairo driver (only the PostScript one), then no driver at all: PLplot must not exit
DRV=$(pkg-config --variable=drvdir plplot 2>/dev/null)
[ -n "$DRV" ] || DRV=$(ls -d /usr/lib/*/plplot*/drivers 2>/dev/null | head -n 1)
if [ -n "$DRV" ] && [ -f "$DRV/ps.driver_info" ]; then
    mkdir "$T/drv" && ln -s "$DRV/ps.driver_info" "$DRV/ps.so" "$T/drv/"
    PLPLOT_DRV_DIR="$T/drv" timeout 20 "$CYM" run "$DS" --out "$T/d" -q < /dev/null 2> "$T/err"
    rc=$?
    check "[ $rc -eq 3 ]" "no cairo driver: exit $rc, expected 3"
    check "grep -q \"charts/ranking.png: cannot draw the chart: PLplot has no 'extcairo' device\" \
        '$T/err'" "no cairo driver message: $(head -n 2 "$T/err")"
    # a chart failed: the run's set is not committed, nothing is written (docs/security.md)
    check "[ ! -e '$T/d' ]" "no cairo driver: results written anyway"
    mkdir "$T/nodrv"
    PLPLOT_DRV_DIR="$T/nodrv" timeout 20 "$CYM" run "$DS" --out "$T/e" -q < /dev/null 2> "$T/err"
    rc=$?
    check "[ $rc -eq 3 ]" "no driver at all: exit $rc, expected 3 ($(head -n 3 "$T/err"))"
    check "grep -q 'charts/ranking.png: cannot draw the chart: PLplot failed' '$T/err'" \
        "no driver message: $(head -n 3 "$T/err")"
    check "[ ! -e '$T/e' ]" "no driver: results written anyway"
fi

# 6. cymetrics chart
"$CYM" chart profile "$DS" VNM --out "$T/f" --charts svg -q < /dev/null || bad "chart profile failed"
check "[ -s '$T/f/charts/profile-VNM.svg' ] && [ \$(ls '$T/f/charts' | wc -l) -eq 2 ]" \
    "chart profile VNM did not write exactly the SVG and its sidecar"
"$CYM" chart nope "$DS" -q 2> "$T/err" < /dev/null
check "[ $? -eq 2 ] && grep -q \"unknown chart 'nope'\" '$T/err'" "unknown chart kind"
"$CYM" run "$DS" --out "$T/g" --charts none -q < /dev/null
check "[ ! -e '$T/g/charts' ]" "--charts none drew charts"
"$CYM" run "$DS" --out "$T/g" --charts gif -q 2> "$T/err" < /dev/null
check "[ $? -eq 2 ] && grep -q \"invalid charts 'gif'\" '$T/err'" "--charts gif accepted"
"$CYM" run "$DS" --out "$T/g" --highlight XXX -q 2> "$T/err" < /dev/null
check "[ $? -eq 2 ] && grep -q \"highlight: no country 'XXX'\" '$T/err'" "unknown highlight"
"$CYM" chart bump "$DS" --years 2024 --out "$T/h" -q 2> "$T/err" < /dev/null
check "[ $? -eq 2 ] && grep -q 'bump chart needs index scores in two years' '$T/err'" \
    "bump chart of a single year: $(cat "$T/err")"

# 7. 2, 51 and 200 countries (11 above): every chart drawn, PNG height grows with the rows
for n in 2 51 200; do
    "$GEN" "$T/g$n" "$n" 12 4 > /dev/null || bad "cym-gen $n failed"
    if [ "$n" -eq 200 ]; then
        # each command writes a set of its own: the charts gathered from seven folders
        mkdir -p "$T/o$n/charts"
        for k in ranking pillars trends change bump heatmap; do
            "$CYM" chart "$k" "$T/g$n" --out "$T/o$n$k" -q < /dev/null || bad "$k, $n countries"
            cp "$T/o$n$k/charts/"* "$T/o$n/charts/"
        done
        "$CYM" chart profile "$T/g$n" AAA --out "$T/o${n}p" -q < /dev/null || bad "profile, 200"
        cp "$T/o${n}p/charts/"* "$T/o$n/charts/"
    else
        "$CYM" run "$T/g$n" --out "$T/o$n" -q < /dev/null || bad "run with $n countries failed"
    fi
    for k in ranking pillars trends change bump heatmap profile-AAA; do
        check "png_ok '$T/o$n/charts/$k.png'" "$k.png with $n countries"
    done
    check "[ \$(grep -c . '$T/o$n/charts/ranking.csv') -eq $((n + 1)) ]" \
        "ranking.csv with $n countries does not list them all"
done
h51=$(head -c 24 "$T/o51/charts/ranking.png" | tail -c 4 | od -An -tu1 | awk '{print $3*256+$4}')
h200=$(head -c 24 "$T/o200/charts/ranking.png" | tail -c 4 | od -An -tu1 | awk '{print $3*256+$4}')
check "[ $h200 -gt $h51 ]" "ranking of 200 countries not taller than of 51 ($h200, $h51)"

# 8. 1,300 countries: the row charts would be PNGs taller than cairo's 32767 pixels, which
# pngcairo wrote as 0-byte files with exit 0. Each is an error (exit 3, as other chart
# failures, every one reported), never an empty file, and the run's set is not committed;
# the vector formats are drawn.
"$GEN" "$T/g1300" 1300 5 2 > /dev/null || bad "cym-gen 1300 failed"
"$CYM" run "$T/g1300" --out "$T/o1300" --charts png,svg --report off -q 2> "$T/err" < /dev/null
check "[ $? -eq 3 ]" "1300 countries: exit status is not 3"
check "[ ! -e '$T/o1300' ]" "1300 countries: a run whose charts failed wrote results"
for k in ranking pillars change bump heatmap; do
    check "grep -q \"charts/$k.png: cannot draw the chart: as a PNG it would be [0-9]* pixels high, more than cairo's 32767\" '$T/err'" \
        "1300 countries: $k.png not reported: $(cat "$T/err")"
done
"$CYM" run "$T/g1300" --out "$T/o1300" --charts svg --report off -q 2> "$T/err" < /dev/null ||
    bad "1300 countries, SVG: $(cat "$T/err")"
for k in ranking pillars change bump heatmap trends; do
    check "svg_ok '$T/o1300/charts/$k.svg'" "1300 countries: $k.svg not drawn"
done
check "[ -z \"\$(find '$T/o1300/charts' -type f -size 0)\" ]" "1300 countries: empty charts written"
check "[ \$(grep -c . '$T/o1300/index.csv') -eq 1301 ]" "1300 countries: index.csv not written"

finish
