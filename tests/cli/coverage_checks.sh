#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# End-to-end checks of coverage by effective weight and the coverage policy (issue 14) on a
# copy of the bundled dataset. Myanmar's 2024 index rests on data for 0.38 of its weight (by
# hand: 0.2 (0.2 + 0.5 + 0.4 + 0.4 + 0.4), see tests/unit/test_coverage.c for every
# country-year): below one half in scores.csv, index.csv, results.json, tables.md and the
# report, with a warning naming it; flagged in the tables, the console ranking and the
# charts; out of the key findings' movers and of the targets' advice unless asked; the report
# lists the countries not ranked and why, and the framework; `off` turns the policy off; a
# country whose 2024 rows are deleted is named by validate and run and listed as not ranked.
# Usage: coverage_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"

bundled "$SRC" || exit 2
D=$T/datasets/asean-japan
W="country MMR (Myanmar) has data for 38.0 % of the index's weight in 2024, below the coverage policy of 66 % (--coverage-flag): its 2024 scores are computed but flagged"

check() {
    if eval "$1"; then ok; else bad "$2"; fi
}

# 1. the default policy
"$CYM" run "$D" --out "$T/a" --charts svg --tables csv,md,json >"$T/a.out" 2>"$T/a.err"
check "[ \$? -eq 0 ]" "run failed: $(cat "$T/a.err")"
check "awk -F, '\$1 == \"MMR\" && \$2 == 2024 && \$3 == \"AJCI\" { f = 1; d = \$7 - 0.38; if (d < 0) d = -d; exit !(\$7 < 0.5 && d < 1e-9) } END { if (!f) exit 1 }' '$T/a/scores.csv'" \
    "scores.csv: Myanmar 2024's index coverage is not 0.38"
check "awk -F, 'NR == 1 { exit !(\$12 == \"coverage\" && \$13 == \"flagged\") }' '$T/a/index.csv'" \
    "index.csv: no coverage and flagged columns"
check "awk -F, '\$2 == \"MMR\" { f = 1; exit !(\$12 < 0.5 && \$13 == 1) } END { if (!f) exit 1 }' '$T/a/index.csv'" \
    "index.csv: Myanmar not below one half and flagged"
check "[ \$(awk -F, 'NR > 1 && \$13 == 1' '$T/a/index.csv' | wc -l) -eq 1 ]" \
    "index.csv: another country flagged"
check "python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
root = [n[\"code\"] for n in j[\"nodes\"]].index(\"AJCI\")
s = [x for x in j[\"scores\"] if x[\"country\"] == \"MMR\" and x[\"year\"] == 2024][0]
f = [(x[\"country\"], x[\"year\"]) for x in j[\"scores\"] if x[\"flagged\"]]
sys.exit(not (s[\"coverage\"][root] < 0.5 and s[\"flagged\"] and
              f == [(\"MMR\", 2022), (\"MMR\", 2023), (\"MMR\", 2024)] and
              sys.argv[2] in j[\"warnings\"]))
' '$T/a/results.json' \"\$W\"" "results.json: Myanmar 2024's coverage, flags or warning"
check "grep -q '^| 11 | MMR | Myanmar † | 20.0 |.* | 38 | ' '$T/a/tables.md'" \
    "tables.md: the summary row of Myanmar has no mark or coverage 38"
check "grep -q '† below the coverage policy of 66 %' '$T/a/tables.md'" "tables.md: no note on the mark"
check "grep -qxF \"\$W\" '$T/a/warnings.txt' && grep -qxF \"cymetrics: warning: \$W\" '$T/a.err'" \
    "the warning of Myanmar 2024 is not in warnings.txt and on stderr"
check "[ \$(grep -c 'below the coverage policy' '$T/a/warnings.txt') -eq 3 ]" \
    "warnings.txt: not 3 flagged country-years (MMR 2022-2024)"
check "grep -q '^ *11  MMR  Myanmar .*† coverage 38 %' '$T/a.out' && grep -q '† data for less than 66 %' '$T/a.out'" \
    "console ranking: Myanmar not marked"
check "grep -qF -- '- Myanmar (MMR): rank 11 on data for 38 % of the index' '$T/a/report.md'" \
    "report.md: Myanmar not listed as ranked on little data"
check "grep -qF -- '- Largest fall since 2023: Viet Nam, -1.3 points' '$T/a/report.md' && ! grep -q 'Largest fall since 2023: Myanmar' '$T/a/report.md'" \
    "report.md: Myanmar still the largest fall"
check "grep -qF 'Left out of the movers (data for less than 66 % of the index' '$T/a/report.md'" \
    "report.md: the movers do not name who was left out"
check "grep -qF 'Every country has an index score in 2024.' '$T/a/report.md'" \
    "report.md: no line on the countries not ranked"
check "grep -qF '| LEG.CII | Critical information infrastructure regulation | Legal measures | yes/no | higher is better | 20.0 | 4.0 | 100 |' '$T/a/report.md' && grep -qF '| TEC.IR.RESPTIME | Median time to first response to a reported incident | Technical measures | hours | lower is better | 25.0 | 2.5 | 91 |' '$T/a/report.md'" \
    "report.md: the framework table misses LEG.CII or TEC.IR.RESPTIME as computed by hand"
check "[ \$(grep -c '^| [A-Z]*\\.[A-Z.]* | .* | .* | .* | [a-z]* is better | ' '$T/a/report.md') -eq 28 ]" \
    "report.md: the framework table does not list the 28 indicators"
check "grep -q 'Myanmar (MMR): rank 11 on data for 38 %' '$T/a/report.html'" \
    "report.html: Myanmar not listed as ranked on little data"
check "awk -F, '\$1 == \"MMR\" { f = 1; exit !(\$8 == \"flagged\" && \$9 == \"\") } END { if (!f) exit 1 }' '$T/a/next_tier.csv'" \
    "next_tier.csv: Myanmar has steps"
check "awk -F, '\$2 == \"MMR\" { f = 1; exit !(\$7 == 1) } END { if (!f) exit 1 }' '$T/a/charts/ranking.csv'" \
    "ranking.csv: Myanmar not flagged"
check "[ \$(awk -F, '\$NF == 1' '$T/a/charts/bump.csv' | wc -l) -eq 3 ]" \
    "bump.csv: not 3 flagged points"

# 2. target: no advice on a flagged score unless asked
"$CYM" target MMR "$D" --out "$T/t" >"$T/t.out" 2>"$T/t.err"
check "[ \$? -eq 1 ] && [ ! -e '$T/t/targets.csv' ]" "target MMR did not refuse"
check "grep -qxF \"cymetrics: MMR has data for 38.0 % of the index's weight in 2024, below the coverage policy of 66 % (--coverage-flag): no advice on a flagged score (--target-flagged on to advise anyway)\" '$T/t.err'" \
    "target MMR: message $(cat "$T/t.err")"
"$CYM" target MMR "$D" --out "$T/t2" --target-flagged on >/dev/null 2>&1
check "[ \$? -eq 0 ] && [ -s '$T/t2/targets.csv' ]" "target MMR --target-flagged on did not advise"
"$CYM" target LAO "$D" --out "$T/t3" >/dev/null 2>&1
check "[ \$? -eq 0 ]" "target LAO (not flagged) failed"

# 3. off: Myanmar is a mover again and has steps
"$CYM" run "$D" --out "$T/b" --charts none --tables csv --coverage-flag off >"$T/b.out" 2>"$T/b.err"
check "[ \$? -eq 0 ] && ! grep -q 'coverage policy' '$T/b/warnings.txt'" "off: still a policy warning"
check "grep -qF -- '- Largest fall since 2023: Myanmar, -32.5 points' '$T/b/report.md'" \
    "off: Myanmar not the largest fall"
check "awk -F, '\$2 == \"MMR\" { exit !(\$13 == 0 && \$12 < 0.5) }' '$T/b/index.csv'" \
    "off: index.csv flags Myanmar, or its coverage changed"
check "awk -F, '\$1 == \"MMR\" { exit !(\$8 ~ /^[0-9]+\$/) }' '$T/b/next_tier.csv'" \
    "off: next_tier.csv has no steps for Myanmar"

# 4. validate names Myanmar; a country whose 2024 rows are deleted is named by validate and
#    run, and the report says why it is not ranked
"$CYM" validate "$D" >/dev/null 2>"$T/v.err"
check "[ \$? -eq 0 ] && grep -qxF \"cymetrics: warning: \$W\" '$T/v.err'" "validate: no warning for Myanmar 2024"
grep -v ',2024,' "$D/VNM.csv" >"$T/VNM.csv" && mv "$T/VNM.csv" "$D/VNM.csv"
L="has no value in 2024, the latest year of the data (a late submission?)"
"$CYM" validate "$D" >/dev/null 2>"$T/v2.err"
check "grep -q 'country VNM (Viet Nam) $L' '$T/v2.err' && grep -qxF \"cymetrics: warning: \$W\" '$T/v2.err'" \
    "validate: Viet Nam or Myanmar not named ($(cat "$T/v2.err"))"
"$CYM" run "$D" --out "$T/c" --charts none --tables csv >/dev/null 2>"$T/c.err"
check "grep -q 'country VNM (Viet Nam) $L' '$T/c.err'" "run: Viet Nam not named"
check "grep -qF 'Not ranked in 2024: 1 of 11 countries, for these reasons.' '$T/c/report.md' && grep -qF -- '- Viet Nam (VNM): no data in 2024 (a late submission?).' '$T/c/report.md'" \
    "report.md: Viet Nam not listed as not ranked, with its reason"

# 7. a country unranked by --min-coverage: the report gives the threshold in percent, as every
#    share of the report (Myanmar's index rests on 38 % of its weight, below 90 % anywhere)
"$CYM" run "$D" --out "$T/m" --charts none --tables none --min-coverage 0.9 >/dev/null 2>&1
check "grep -qF -- '- Myanmar (MMR): an aggregate had less than 90 % of its weight with data (--min-coverage); data for 38 % of the index' '$T/m/report.md'" \
    "report.md: the --min-coverage threshold not in percent"

finish
