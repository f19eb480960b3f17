#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The inputs are never written (docs/security.md, src/cli/guard.c), tried as a careless or
# hostile user would: every command that writes refuses an output folder that is, lies in or
# holds an input, under any spelling (a symbolic link, "..", a trailing "/."), and a dataset's
# INI file cannot send the results elsewhere. Each refusal: exit 2, the message, and the
# dataset byte for byte as it was. Usage: guard_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"

bundled_flat "$SRC" || exit 2
snap() { (cd "$T" && find ds fw.csv -print | LC_ALL=C sort | while IFS= read -r f; do
    if [ -f "$f" ]; then cksum <"$f" | sed "s|^|$f |"; else echo "$f dir"; fi
done); }
snap >"$T/before"

# refused CMD ARGS...: exit 2, a refusal on stderr, the inputs untouched
refused() {
    what=$1
    shift
    (cd "$T" && "$CYM" "$@" -q) >/dev/null 2>"$T/err" </dev/null
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q "refusing to write results into\|would write outside reports/\|must be a plain name" "$T/err"; then
        ok
    else
        bad "$what: exit $rc: $(cat "$T/err")"
    fi
    snap >"$T/after"
    cmp -s "$T/before" "$T/after" && ok || bad "$what: the inputs changed"
}

# every writing command, into the dataset folder
for c in run audit uncertainty trends report; do
    refused "$c into the dataset" $c ds --out ds --runs 10 --weight-noise 0.1
done
refused "target into the dataset" target VNM ds --out ds
refused "compare into the dataset" compare ds VNM JPN --out ds
refused "chart into the dataset" chart ranking ds --out ds
# other spellings of the same folder
ln -s ds "$T/link"
refused "through a symbolic link" run ds --out link
refused "with .." run ds --out ds/../ds
refused "with /." run ds --out ds/.
# inside the dataset, and a folder that holds an input
refused "a sub-folder of the dataset" run ds --out ds/results
refused "the folder of the framework file" run ds --out .
mkdir "$T/x"
cp "$T/ds/VNM.csv" "$T/x/VNM.csv"
refused "a folder holding the data" run ds --data x --out x
refused "a folder holding the expert weights" run ds --expert-weights x/VNM.csv --out x
# the dataset's INI may not choose where results go
cp -r "$T/ds" "$T/ds2"
printf '[output]\nout = %s/elsewhere\n' "$T" >>"$T/ds2/cymetrics.ini"
snap >"$T/before"
refused "out = elsewhere in the INI" run ds2
[ ! -e "$T/elsewhere" ] && ok || bad "the INI's out was written"
sed -i 's|^name = .*|name = ../../escaped|' "$T/ds2/cymetrics.ini"
sed -i '/^out = /d' "$T/ds2/cymetrics.ini"
snap >"$T/before"
refused "name = ../../escaped in the INI" run ds2
# ... but the command line may: --out overrides the INI's out
printf '[output]\nout = /nonexistent/elsewhere\n' >>"$T/ds/cymetrics.ini"
(cd "$T" && "$CYM" run ds --out "$T/fine" -q --charts none) 2>"$T/err" && [ -s "$T/fine/scores.csv" ] &&
    ok || bad "--out on the command line refused: $(cat "$T/err")"
# and the default folder reports/<name> is fine
(cd "$T" && "$CYM" trends ds --out reports/asean-japan -q) 2>"$T/err" &&
    [ -s "$T/reports/asean-japan/trends.csv" ] && ok || bad "reports/<name> refused: $(cat "$T/err")"

finish
