#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# End-to-end checks of `cymetrics uncertainty` and `cymetrics audit` on the ASEM data: the same
# bytes with 1 and 2 threads, the same bytes when rerun, every factor option refused with a
# clear message and exit 2 before anything runs (nothing written), an alternative the data
# cannot take refused with exit 1, the [uncertainty] section of an INI file, Ctrl-C leaving no
# files, the audit tables, the console summary (every country or a count of those left out),
# score statistics only on one scale. Usage: uncertainty_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"

"$CYM" import-coinr "$SRC/tests/data/asem/iData.csv" "$SRC/tests/data/asem/iMeta.csv" \
    --out "$T/asem" >/dev/null || { echo "import failed"; exit 1; }
FACTORS="--weight-noise 0.25 --alt-normalise minmax,rank --alt-aggregate arithmetic,geometric
 --range 1,100 --alt-treat none,winsorise --exclude-one on --seed 7"

# 1. 1 and 2 threads, and a rerun: byte-identical tables (plain Monte Carlo and Sobol)
for t in 1 2; do
    # shellcheck disable=SC2086
    "$CYM" uncertainty "$T/asem" $FACTORS --runs 777 --threads $t --keep-runs on \
        --out "$T/mc$t" -q || bad "monte carlo with $t threads failed"
    # shellcheck disable=SC2086
    "$CYM" uncertainty "$T/asem" $FACTORS --runs 120 --sobol countries --threads $t \
        --out "$T/so$t" -q || bad "sobol with $t threads failed"
done
# shellcheck disable=SC2086
"$CYM" uncertainty "$T/asem" $FACTORS --runs 777 --keep-runs on --out "$T/mc3" -q ||
    bad "rerun failed"
for f in uncertainty.csv rank_frequency.csv runs.csv; do
    cmp -s "$T/mc1/$f" "$T/mc2/$f" && ok || bad "$f differs between 1 and 2 threads"
    cmp -s "$T/mc1/$f" "$T/mc3/$f" && ok || bad "$f differs between two identical runs"
done
for f in uncertainty.csv rank_frequency.csv sensitivity.csv; do
    cmp -s "$T/so1/$f" "$T/so2/$f" && ok || bad "sobol $f differs between 1 and 2 threads"
done
[ "$(wc -l < "$T/mc1/uncertainty.csv")" -eq 52 ] && ok || bad "uncertainty.csv: not 51 rows"
[ "$(wc -l < "$T/mc1/runs.csv")" -eq $((777 * 51 + 1)) ] && ok || bad "runs.csv rows"
# every country's rank frequencies add up to the runs
awk -F, 'NR > 1 { n[$1] += $4 } END { for (c in n) if (n[c] != 777) exit 1 }' \
    "$T/mc1/rank_frequency.csv" && ok || bad "rank frequencies do not add up to the runs"
# 5 factors x (1 mean shift + 51 countries) rows
[ "$(wc -l < "$T/so1/sensitivity.csv")" -eq $((5 * 52 + 1)) ] && ok || bad "sensitivity rows"
head -1 "$T/so1/sensitivity.csv" | grep -qx 'output,country,year,factor,S1,S1_q05,S1_q95,ST,ST_q05,ST_q95' &&
    ok || bad "sensitivity.csv header"

# 2. every factor option refused before anything runs: exit 2, a message naming it, no output
refuse() { # expected-message args...
    msg=$1
    shift
    "$CYM" uncertainty "$T/asem" --out "$T/refused" "$@" >"$T/out.txt" 2>"$T/err.txt"
    st=$?
    [ "$st" -eq 2 ] && ok || bad "$* exited $st, expected 2"
    grep -qF -- "$msg" "$T/err.txt" && ok || bad "$*: message '$(cat "$T/err.txt")' lacks '$msg'"
    [ ! -e "$T/refused" ] && ok || bad "$*: left $T/refused behind"
}
refuse "invalid runs '1'" --runs 1 --weight-noise 0.1
refuse "invalid runs 'many'" --runs many --weight-noise 0.1
refuse "invalid seed '-3'" --seed -3 --weight-noise 0.1
refuse "invalid threads 'x'" --threads x --weight-noise 0.1
refuse "invalid weight-noise '1.5'" --weight-noise 1.5
refuse "invalid weight-noise '0.2:0'" --weight-noise 0.2:0
refuse "alt-normalise: invalid normalise 'nope'" --alt-normalise minmax,nope
refuse "alt-normalise: 'minmax' is listed twice" --alt-normalise minmax,minmax
refuse "alt-aggregate: " --alt-aggregate arithmetic,median
refuse "alt-impute: invalid impute 'sometimes'" --alt-impute none,sometimes
refuse "invalid alt-treat 'log'" --alt-treat log
refuse "invalid exclude-one 'maybe'" --exclude-one=maybe
refuse "invalid sobol 'maybe'" --sobol=maybe
refuse "invalid keep-runs '2'" --keep-runs=2
# an on/off key alone is on, and takes the next argument only when it is one of its values
refuse "unexpected argument 'maybe' ('--sobol' takes on, off or countries; alone it means on)" \
    --sobol maybe
refuse "no uncertain factor" --runs 10
refuse "weight-noise: level 4 is not below the index" --weight-noise 0.1:4
refuse "weight-noise: PCA weights" --weight-noise 0.1 --weights pca
refuse "alt-normalise goalposts: goalposts normalisation needs" --alt-normalise minmax,goalposts
# the data cannot take geometric means of min-max scores on [0, 100]: exit 1, named
"$CYM" uncertainty "$T/asem" --out "$T/refused" --alt-aggregate arithmetic,geometric \
    >/dev/null 2>"$T/err.txt"
[ $? -eq 1 ] && ok || bad "geometric on zeros: not exit 1"
grep -q "alt-aggregate geometric: geometric aggregation of" "$T/err.txt" && ok ||
    bad "geometric on zeros: $(cat "$T/err.txt")"
[ ! -e "$T/refused" ] && ok || bad "geometric on zeros left output"

# 3. the [uncertainty] section of an INI file means what the flags mean
cp -r "$T/asem" "$T/ini"
cat >> "$T/ini/cymetrics.ini" <<'INI'
[run]
range = 1,100
[uncertainty]
runs = 777
seed = 7
weight-noise = 0.25
alt-normalise = minmax,rank
alt-aggregate = arithmetic,geometric
alt-treat = none,winsorise
exclude-one = on
INI
"$CYM" uncertainty "$T/ini" --out "$T/mcini" -q || bad "INI uncertainty failed"
cmp -s "$T/mc1/uncertainty.csv" "$T/mcini/uncertainty.csv" && ok ||
    bad "the INI section gives other results than the flags"
printf '[uncertainty]\nruns = 0\n' >> "$T/ini/cymetrics.ini"
"$CYM" uncertainty "$T/ini" --out "$T/x" -q 2>"$T/err.txt"
[ $? -eq 2 ] && grep -q "cymetrics.ini:[0-9]*: invalid runs '0'" "$T/err.txt" && ok ||
    bad "INI runs = 0: $(cat "$T/err.txt")"

# 4. Ctrl-C: exit 130, nothing written
"$CYM" uncertainty "$T/asem" --weight-noise 0.2 --runs 100000000 --out "$T/int" -q \
    2>"$T/err.txt" &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
st=$?
[ "$st" -eq 130 ] && ok || bad "interrupted: exit $st, expected 130"
grep -q "interrupted; nothing was written" "$T/err.txt" && ok || bad "interrupted: message"
[ ! -e "$T/int/uncertainty.csv" ] && ok || bad "interrupted: uncertainty.csv written"

# 5. audit: its own command, and part of every run, the same tables
"$CYM" audit "$T/asem" --out "$T/aud" -q || bad "audit failed"
"$CYM" run "$T/asem" --out "$T/run" -q --charts none 2>/dev/null || bad "run failed"
for f in descriptives correlations cronbach pca remove_one; do
    [ -s "$T/aud/audit/$f.csv" ] && ok || bad "audit/$f.csv missing"
    cmp -s "$T/aud/audit/$f.csv" "$T/run/audit/$f.csv" && ok || bad "audit/$f.csv differs in run"
done
# ASEM: 49 indicators, 8 pillars, 2 sub-indices, the index: 1176 indicator pairs, 59 nodes
# with a parent, 57 of them below a sub-index (also against the index)
[ "$(wc -l < "$T/aud/audit/correlations.csv")" -eq $((1176 + 59 + 57 + 1)) ] && ok ||
    bad "correlations.csv rows: $(wc -l < "$T/aud/audit/correlations.csv")"
[ "$(wc -l < "$T/aud/audit/descriptives.csv")" -eq 50 ] && ok || bad "descriptives rows"
[ "$(wc -l < "$T/aud/audit/remove_one.csv")" -eq 60 ] && ok || bad "remove_one rows"

# 6. run with a factor declared: the run's tables and the analysis, the same numbers; a factor
# the data cannot take stops the run before anything is written
# shellcheck disable=SC2086
"$CYM" run "$T/asem" $FACTORS --runs 777 --out "$T/runu" -q --charts none 2>/dev/null ||
    bad "run with factors failed"
[ -s "$T/runu/scores.csv" ] && cmp -s "$T/runu/uncertainty.csv" "$T/mc1/uncertainty.csv" && ok ||
    bad "run with factors: tables missing or other numbers than 'uncertainty'"
"$CYM" run "$T/asem" --alt-aggregate arithmetic,geometric --out "$T/runbad" -q \
    --charts none 2>/dev/null
[ $? -eq 1 ] && [ ! -e "$T/runbad" ] && ok || bad "run with a bad factor wrote something"

# 7. the console summary: the top 10 by nominal rank, then how many it left out (ASEM: 51
# countries, all ranked, no ties at 10, so 41 more)
"$CYM" uncertainty "$T/asem" --weight-noise 0.1 --runs 20 --out "$T/con" >"$T/con.txt" ||
    bad "console summary run failed"
[ "$(grep -c '^ *[0-9]* *\[' "$T/con.txt")" -eq 10 ] && ok || bad "console: not 10 countries listed"
grep -qxF "  ... and 41 more: see $T/con/uncertainty.csv" "$T/con.txt" && ok ||
    bad "console does not say how many it left out: $(cat "$T/con.txt")"
# every country is in the table the summary points to
[ "$(wc -l < "$T/con/uncertainty.csv")" -eq 52 ] && ok || bad "console run: not 51 rows"
head -1 "$T/con/uncertainty.csv" | grep -qx 'country,year,nominal,mean,median,q05,q95,score_nominal,score_mean,score_median,score_q05,score_q95' &&
    ok || bad "one scale: the header changed"

# 8. alternatives on two scales (min-max on [1, 100], ranks 1..n): the score statistics empty,
# a note column saying why, and the console saying so too; the ranks still summarised
"$CYM" uncertainty "$T/asem" --alt-normalise minmax,rank --range 1,100 --runs 20 \
    --out "$T/mix" >"$T/mix.txt" || bad "mixed scales run failed"
head -1 "$T/mix/uncertainty.csv" | grep -q ',score_q95,score_note$' && ok || bad "mixed: no score_note"
awk -F, 'NR > 1 && !($3 != "" && $4 != "" && $8 != "" && $9 == "" && $10 == "" && $11 == "" &&
    $12 == "" && $13 ~ /^"not summarised: the replications. scores are on 2 scales/) { exit 1 }' \
    "$T/mix/uncertainty.csv" && ok || bad "mixed: score columns not empty or note missing"
grep -qF "scores not summarised: the alternatives put them on 2 scales ([1, 100]; ranks 1..n)" \
    "$T/mix.txt" && ok || bad "mixed: the console does not say so"

# keep-runs spools through TMPDIR (issue 15): a TMPDIR that cannot be used is named in the
# error (exit 3, nothing written); a usable one gives the same runs.csv
TMPDIR="$T/no-such-dir" "$CYM" uncertainty "$T/asem" --weight-noise 0.1 --runs 5 --keep-runs on \
    --out "$T/mc-tmp" -q 2>"$T/err"
rc=$?
[ "$rc" -eq 3 ] && grep -q "no-such-dir" "$T/err" && [ ! -e "$T/mc-tmp" ] && ok ||
    bad "keep-runs with an unusable TMPDIR: exit $rc, $(cat "$T/err")"
mkdir "$T/spool"
# shellcheck disable=SC2086
TMPDIR="$T/spool" "$CYM" uncertainty "$T/asem" $FACTORS --runs 777 --keep-runs on \
    --out "$T/mc4" -q && cmp -s "$T/mc1/runs.csv" "$T/mc4/runs.csv" && ok ||
    bad "keep-runs through TMPDIR gives another runs.csv"
[ -z "$(ls -A "$T/spool")" ] && ok || bad "the spool was left in TMPDIR"

finish
