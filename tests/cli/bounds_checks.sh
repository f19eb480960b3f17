#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Bounded by design (issue 15): audit/correlations.csv grows linearly with the framework by
# default. A pillar of 2,000 indicators (and a pillar of 3) over 4 countries and one year:
# `audit` and `run` write 4,012 rows (header, the 3 pairs of the small pillar, every node with
# its parent, every indicator with the index) instead of 2,009,012, and say what they left
# out; a pillar of 150 shows what `audit-pairs` auto, within and all write.
# Usage: bounds_checks.sh CYMETRICS
set -u
CYM=$1
. "$(dirname "$0")/checklib.sh"

# make DIR K: INDEX > P1 (K indicators i00000...), P2 (3 indicators j0..j2); AAA..DDD, 2024
make() {
    python3 - "$1" "$2" <<'PY'
import os, sys
d, k = sys.argv[1], int(sys.argv[2])
os.makedirs(d + "/data")
with open(d + "/framework.csv", "w") as f:
    f.write("code,parent,name,weight,direction\nINDEX,,Index,1,\nP1,INDEX,Big,1,\nP2,INDEX,Small,1,\n")
    f.writelines(f"i{i:05d},P1,I{i},1,+\n" for i in range(k))
    f.writelines(f"j{i},P2,J{i},1,+\n" for i in range(3))
with open(d + "/data/countries.csv", "w") as f:
    f.write("code,name\nAAA,A\nBBB,B\nCCC,C\nDDD,D\n")
for u, c in enumerate(["AAA", "BBB", "CCC", "DDD"]):
    with open(f"{d}/data/{c}.csv", "w") as f:
        f.write("indicator,year,value\n")
        f.writelines(f"i{i:05d},2024,{(i * 7 + u * 13) % 17 + u}\n" for i in range(k))
        f.writelines(f"j{i},2024,{(i * 5 + u * 3) % 11 + u}\n" for i in range(3))
PY
}

# rows of correlations.csv, header included, for K children (python as the independent count):
# 1 + 3 sibling pairs of P2 + (K + 3 + 2) parents + (K + 3) with the index
make "$T/k2000" 2000
want=$((1 + 3 + 2005 + 2003))
(cd "$T/k2000" && "$CYM" audit data --framework framework.csv --out "$T/a2000" 2>err >/dev/null)
st=$?
rows=$(wc -l <"$T/a2000/audit/correlations.csv")
bytes=$(wc -c <"$T/a2000/audit/correlations.csv")
if [ $st -eq 0 ] && [ "$rows" -eq $want ] && [ "$bytes" -lt 1000000 ]; then ok; else
    bad "audit, 2,000 children: status $st, $rows rows, $bytes bytes (want $want rows)"
fi
grep -q "^cymetrics: warning: audit: 2005003 pairs of indicators over the years (over 20000)" \
    "$T/k2000/err" && ok || bad "audit: no message on the pairs left out"
grep -q "^cymetrics: warning: audit: the 2000 children of P1 are not paired with each other" \
    "$T/k2000/err" && ok || bad "audit: no message on the children of P1"
[ "$(grep -c ',siblings,' "$T/a2000/audit/correlations.csv")" -eq 3 ] && ok ||
    bad "audit: the small pillar's siblings"
(cd "$T/k2000" && "$CYM" run data --framework framework.csv --out "$T/r2000" -q --charts none \
    --tables none --report off 2>/dev/null)
st=$?
if [ $st -eq 0 ] && [ "$(wc -l <"$T/r2000/audit/correlations.csv")" -eq $want ] &&
    grep -q "^audit: the 2000 children of P1 are not paired" "$T/r2000/warnings.txt"; then ok; else
    bad "run, 2,000 children: status $st"
fi

# 150 children: auto pairs all (11,628 pairs <= 20,000), within none of P1's (over 100), all
make "$T/k150" 150
all=$((1 + 153 * 152 / 2 + 155 + 153))
for p in auto:$all within:$((1 + 3 + 155 + 153)) all:$all; do
    mode=${p%%:*}
    (cd "$T/k150" && "$CYM" audit data --framework framework.csv --out "$T/a150$mode" \
        --audit-pairs "$mode" 2>"$T/err150$mode" >/dev/null)
    rows=$(wc -l <"$T/a150$mode/audit/correlations.csv")
    [ "$rows" -eq "${p#*:}" ] && ok || bad "150 children, audit-pairs $mode: $rows rows, want ${p#*:}"
done
grep -q "the 150 children of P1 are not paired" "$T/err150within" && ok || bad "within: message"
[ ! -s "$T/err150auto" ] && [ ! -s "$T/err150all" ] && ok || bad "auto/all: unexpected message"

finish
