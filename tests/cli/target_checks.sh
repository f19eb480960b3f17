#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# End-to-end checks of `cymetrics target` (issue 9) on a copy of the bundled dataset: the steps
# it suggests, applied to the data (each named cell of the country's CSV file set to the
# target value) and run again with `cymetrics run`, bring the country's index to the target;
# the error paths (unknown country, unknown tier), a target already reached, one out of reach,
# next_tier.csv, and expert weights (weights.csv columns, a bad file refused with its place,
# uncertainty byte-identical for 1 and 2 threads). Usage: target_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"

bundled "$SRC" || exit 2
D=$T/datasets/asean-japan

# index score of COUNTRY in YEAR from scores.csv of folder OUT
index_of() {
    awk -F, -v c="$2" -v y="$3" '$1 == c && $2 == y && $4 == 4 { print $5 }' "$1/scores.csv"
}

# apply the steps of targets.csv ($1) to the data folder $2: set (or add) the cell
apply_steps() {
    tail -n +2 "$1" | while IFS=, read -r country year step code rest; do
        target=$(echo "$rest" | awk -F, '{ print $(NF - 2) }')
        f="$2/$country.csv"
        if awk -F, -v c="$code" -v y="$year" '$1 == c && $2 == y { found = 1 } END { exit !found }' "$f"; then
            awk -F, -v OFS=, -v c="$code" -v y="$year" -v v="$target" \
                '$1 == c && $2 == y { $3 = v; if (NF >= 4) $4 = "" } { print }' "$f" >"$f.new" &&
                mv "$f.new" "$f"
        else
            # a row per field of the header: indicator,year,value[,flag,source]
            n=$(head -1 "$f" | awk -F, '{ print NF }')
            line="$code,$year,$target"
            i=3
            while [ $i -lt "$n" ]; do line="$line,"; i=$((i + 1)); done
            echo "$line" >>"$f"
        fi
    done
}

# 1. each country below the top tier: apply the steps, run again, the target is reached
for c in LAO VNM JPN; do
    rm -rf "$T/data-$c" && cp -r "$D" "$T/data-$c"
    cp "$D/cymetrics.ini" "$T/data-$c/" 2>/dev/null
    "$CYM" target $c "$D" --out "$T/t-$c" --charts none >"$T/t-$c.out" 2>&1 ||
        bad "target $c failed: $(cat "$T/t-$c.out")"
    grep -q '^reached: ' "$T/t-$c.out" || bad "target $c: not reached: $(cat "$T/t-$c.out")"
    thr=$(sed -n 's/.*; target \([0-9.]*\) .*/\1/p' "$T/t-$c.out")
    # the INI's framework path is relative to the dataset folder: keep the copy beside it
    rm -rf "$T/datasets/x-$c" && cp -r "$D" "$T/datasets/x-$c"
    apply_steps "$T/t-$c/targets.csv" "$T/datasets/x-$c"
    "$CYM" run "$T/datasets/x-$c" --out "$T/r-$c" --charts none -q 2>/dev/null ||
        bad "run after the steps of $c failed"
    after=$(index_of "$T/r-$c" $c 2024)
    predicted=$(tail -1 "$T/t-$c/targets.csv" | awk -F, '{ print $NF }')
    if awk -v a="$after" -v t="$thr" -v p="$predicted" \
        'BEGIN { d = a - p; if (d < 0) d = -d; exit !(a >= t && d <= 1e-9 * (p < 0 ? -p : p) + 1e-12) }'; then
        ok
    else
        bad "$c after the steps: index $after, target $thr, predicted $predicted"
    fi
done

# 2. errors: unknown country (lists the codes), unknown tier; nothing written
"$CYM" target XYZ "$D" --out "$T/e1" >"$T/e1.out" 2>&1
[ $? -eq 2 ] && grep -q "unknown country 'XYZ' (the dataset has BRN, KHM" "$T/e1.out" &&
    [ ! -e "$T/e1" ] && ok || bad "unknown country: $(cat "$T/e1.out")"
"$CYM" target JPN "$D" --tier Platinum --out "$T/e2" >"$T/e2.out" 2>&1
[ $? -eq 2 ] && grep -q "unknown tier 'Platinum' (the tiers are 'Leading', 'Advanced', 'Maturing', 'Initiating')" "$T/e2.out" &&
    [ ! -e "$T/e2" ] && ok || bad "unknown tier: $(cat "$T/e2.out")"
"$CYM" target JPN "$D" --tier Leading --score 3 --out "$T/e3" >"$T/e3.out" 2>&1
[ $? -eq 2 ] && [ ! -e "$T/e3" ] && ok || bad "--tier with --score: $(cat "$T/e3.out")"
"$CYM" target JPN "$D" --year 1999 --out "$T/e4" >"$T/e4.out" 2>&1
[ $? -eq 2 ] && grep -q "not a year of the run (2017-2024)" "$T/e4.out" && ok ||
    bad "--year 1999: $(cat "$T/e4.out")"

# 3. already reached: exit 0, a message, targets.csv with the header only
"$CYM" target SGP "$D" --tier Advanced --out "$T/a" >"$T/a.out" 2>&1 &&
    grep -q "already reached" "$T/a.out" && [ "$(wc -l <"$T/a/targets.csv")" -eq 1 ] && ok ||
    bad "already reached: $(cat "$T/a.out")"

# 4. out of reach: says by how much, exit 0
"$CYM" target LAO "$D" --score 99 --out "$T/u" >"$T/u.out" 2>&1 &&
    grep -q "^cannot reach 99.00: with every indicator at its best the index is" "$T/u.out" && ok ||
    bad "unreachable: $(cat "$T/u.out")"

# 5. next_tier.csv of a run: JPN needs the steps `target` found; SGP has no tier above
"$CYM" run "$D" --out "$T/run" --charts none -q 2>/dev/null || bad "run failed"
n_jpn=$(($(wc -l <"$T/t-JPN/targets.csv") - 1))
awk -F, -v n="$n_jpn" '$1 == "JPN" { exit !($5 == "Leading" && $8 == n) }' "$T/run/next_tier.csv" &&
    awk -F, '$1 == "SGP" { exit !($5 == "" && $8 == "") }' "$T/run/next_tier.csv" && ok ||
    bad "next_tier.csv: $(cat "$T/run/next_tier.csv")"

# 6. expert weights: weights.csv columns; bad file refused with its place; uncertainty by threads
# two experts: the framework's weights (from the run's weights.csv, codes only) and, for the
# indicators, twice them except LEG.CII
awk -F, 'NR == 1 { print "code,expert_1,expert_2"; next }
    $2 != "" { print $1 "," $5 "," ($3 == 1 && $1 != "LEG.CII" ? $5 * 2 : $5) }' \
    "$T/run/weights.csv" >"$T/experts.csv"
"$CYM" run "$D" --expert-weights "$T/experts.csv" --weight-combine median --out "$T/xw" \
    --charts none -q 2>/dev/null &&
    head -1 "$T/xw/weights.csv" | grep -q ',expert_weight,expert_1,expert_2,expert_min,expert_max,expert_sd,expert_iqr$' &&
    ok || bad "weights.csv with experts: $(head -1 "$T/xw/weights.csv")"
sed 's/^LEG.CII,1,1$/LEG.CII,1,-1/' "$T/experts.csv" >"$T/bad-experts.csv"
line=$(grep -n '^LEG.CII,' "$T/bad-experts.csv" | cut -d: -f1)
"$CYM" run "$D" --expert-weights "$T/bad-experts.csv" --out "$T/xb" >"$T/xb.out" 2>&1
[ $? -eq 1 ] && grep -q "bad-experts.csv:$line:11: weight of 'LEG.CII' by expert_2 is negative" "$T/xb.out" &&
    [ ! -e "$T/xb" ] && ok || bad "negative expert weight: $(cat "$T/xb.out")"
for t in 1 2; do
    "$CYM" uncertainty "$D" --expert-weights "$T/experts.csv" --weight-noise experts --runs 100 \
        --threads $t --out "$T/xu$t" -q 2>/dev/null || bad "uncertainty experts, $t threads"
done
cmp -s "$T/xu1/uncertainty.csv" "$T/xu2/uncertainty.csv" && ok ||
    bad "weight-noise experts: 1 and 2 threads differ"

# the search's work is bounded (issue 15): a tiny --max-work stops it early and says so,
# exit 0 with the steps so far; a bad bound is a usage error
"$CYM" target LAO "$D" --out "$T/tw" --max-work 10 >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && grep -q "stopped at the work bound" "$T/out" && [ -s "$T/tw/targets.csv" ] &&
    ok || bad "--max-work 10: exit $rc, $(cat "$T/out" "$T/err")"
"$CYM" target LAO "$D" --out "$T/tw2" >"$T/out" 2>&1
grep -q "reached: 40.34 >= 40.00 in 4 steps" "$T/out" && ok ||
    bad "the default bound changed the plan: $(cat "$T/out")"
"$CYM" target LAO "$D" --out "$T/tw3" --max-work -1 2>"$T/err" >/dev/null
rc=$?
[ "$rc" -eq 2 ] && grep -q "invalid max-work" "$T/err" && ok || bad "--max-work -1: exit $rc"

finish
