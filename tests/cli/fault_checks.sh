#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fault injection and hostile output folders (issue 8, docs/security.md): symlinks planted in
# the output folder, a full disk, a read-only file system, unreadable inputs, stdout on a full
# device, (a run killed with SIGKILL: outset_checks.sh), 100,000 indicators. Some checks need root
# (mounting a tiny tmpfs) or need not to be root (chmod 000 does not stop root): they say so
# when skipped.
# Usage: fault_checks.sh CYMETRICS SRCDIR CYM-GEN
set -u
CYM=$1
SRC=$2
GEN=$3
T=$(mktemp -d)
mounted=""
cleanup() {
    for m in $mounted; do umount "$m" 2>/dev/null; done
    chmod -R u+rw "$T" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
fails=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
skip() { echo "skipped: $*"; }
# no temporary file left visible, and every final name a regular file
clean_outdir() { # clean_outdir DIR WHAT
    left=$(find "$1" -name '.*.tmp-*' 2>/dev/null)
    [ -z "$left" ] && ok || bad "$2: temporary files left behind: $left"
}

cp -r "$SRC/datasets/asean-japan" "$T/ds"
cp "$SRC/indicators/asean-japan.csv" "$T/fw.csv"
sed -i 's|^framework = .*|framework = ../fw.csv|' "$T/ds/cymetrics.ini"
echo "precious" >"$T/victim"
mkdir "$T/victimdir"

# 1-3. links planted in an earlier result set (an output file, the temporary name of one, the
#      charts/ and audit/ sub-folders) are removed with it, never followed: every command
#      writes a new set in a fresh staging folder (tests/cli/outset_checks.sh attacks more)
for sub in o1 o2 o3; do
    "$CYM" run "$T/ds" --out "$T/$sub" --charts none --report off -q || bad "first run into $sub failed"
done
rm "$T/o1/scores.csv" && ln -s "$T/victim" "$T/o1/scores.csv"
"$CYM" run "$T/ds" --out "$T/o1" --charts none -q || bad "run with a planted scores.csv symlink failed"
[ "$(cat "$T/victim")" = "precious" ] && ok || bad "the symlink's target was written"
[ -f "$T/o1/scores.csv" ] && [ ! -L "$T/o1/scores.csv" ] && ok ||
    bad "scores.csv is not a regular file after the run"
sh -c 'ln -s "$1" "$2/.scores.csv.tmp-$$" && ln -s "$1" "$2/.data.csv.tmp-$$" &&
       exec "$3" run "$4" --out "$2" --charts none -q' sh "$T/victim" "$T/o2" "$CYM" "$T/ds" ||
    bad "run with planted temporary-file symlinks failed"
[ "$(cat "$T/victim")" = "precious" ] && ok || bad "a temporary-file symlink was followed"
[ -f "$T/o2/scores.csv" ] && [ ! -L "$T/o2/scores.csv" ] && ok || bad "o2/scores.csv missing"
clean_outdir "$T/o2" "planted temporary symlinks"
rm -r "$T/o3/audit" && ln -s "$T/victimdir" "$T/o3/audit" && ln -s "$T/victimdir" "$T/o3/charts"
"$CYM" run "$T/ds" --out "$T/o3" -q 2>"$T/err" || bad "run over planted sub-folder links: $(cat "$T/err")"
[ -z "$(ls -A "$T/victimdir")" ] && ok || bad "files written through a sub-folder link: $(ls -A "$T/victimdir")"
[ -d "$T/o3/audit" ] && [ ! -L "$T/o3/audit" ] && [ ! -L "$T/o3/charts" ] && ok ||
    bad "a planted sub-folder link survived"
clean_outdir "$T/o3" "sub-folder links"

# 4. a full disk and a read-only file system (a tiny tmpfs: needs root and mount rights)
mkdir "$T/tiny" "$T/ro"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k tmpfs "$T/tiny" 2>/dev/null; then
    mounted="$T/tiny"
    "$CYM" run "$T/ds" --out "$T/tiny/out" --charts none -q 2>"$T/err"
    rc=$?
    [ "$rc" -eq 3 ] && ok || bad "full disk: exit $rc, expected 3 ($(cat "$T/err"))"
    grep -q "No space left on device" "$T/err" && ok || bad "full disk message: $(cat "$T/err")"
    [ -z "$(ls -A "$T/tiny")" ] && ok || bad "full disk: left behind: $(ls -A "$T/tiny")"
else
    skip "full disk (mounting a tmpfs needs root with mount rights)"
fi
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=1m,ro tmpfs "$T/ro" 2>/dev/null; then
    mounted="$mounted $T/ro"
    "$CYM" run "$T/ds" --out "$T/ro/out" --charts none -q 2>"$T/err"
    rc=$?
    [ "$rc" -eq 3 ] && ok || bad "read-only output: exit $rc, expected 3 ($(cat "$T/err"))"
    grep -q "Read-only file system" "$T/err" && ok || bad "read-only message: $(cat "$T/err")"
elif [ "$(id -u)" -ne 0 ]; then
    chmod a-w "$T/ro"
    "$CYM" run "$T/ds" --out "$T/ro/out" --charts none -q 2>"$T/err"
    rc=$?
    [ "$rc" -eq 3 ] && ok || bad "unwritable output: exit $rc, expected 3 ($(cat "$T/err"))"
else
    skip "read-only output folder (root ignores permissions and cannot mount here)"
fi

# 5. unreadable inputs: chmod 000 (not as root, which reads anyway), and a folder given as
#    a file (fails for everyone: only regular files are read)
if [ "$(id -u)" -ne 0 ]; then
    cp "$T/fw.csv" "$T/fw000.csv" && chmod 000 "$T/fw000.csv"
    "$CYM" validate "$T/ds" --framework "$T/fw000.csv" 2>"$T/err"
    rc=$?
    [ "$rc" -eq 3 ] && ok || bad "unreadable framework: exit $rc, expected 3"
    grep -q "Permission denied" "$T/err" && ok || bad "unreadable message: $(cat "$T/err")"
else
    skip "chmod 000 input (running as root, which reads it anyway)"
fi
"$CYM" validate "$T/ds" --framework "$T/victimdir" 2>"$T/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "folder as framework: exit $rc, expected 3 ($(cat "$T/err"))"
grep -q "victimdir: not a regular file" "$T/err" && ok ||
    bad "folder as framework message: $(cat "$T/err")"

# 5b. only regular files are read (issue 15): a FIFO named like a country file, or given as
#     the framework, the countries, the data, the INI, the expert weights or the crosswalk,
#     and a device, are refused at once ("FILE: not a regular file", exit 3). Opening a FIFO
#     waits for a writer, so each command runs under `timeout`: a regression fails (124), it
#     does not hang the suite.
refused() { # refused WHAT FILE CMD...: exit 3 within 20 s, naming FILE
    what=$1
    file=$2
    shift 2
    timeout 20 "$@" </dev/null >/dev/null 2>"$T/err"
    rc=$?
    [ "$rc" -eq 3 ] && ok || bad "$what: exit $rc, expected 3 ($(cat "$T/err"))"
    grep -qF "$file: not a regular file" "$T/err" && ok || bad "$what message: $(cat "$T/err")"
}
mkfifo "$T/fifo.csv"
cp -r "$T/ds" "$T/dsfifo"
rm "$T/dsfifo/VNM.csv"
mkfifo "$T/dsfifo/VNM.csv"
refused "FIFO as a country data file" "$T/dsfifo/VNM.csv" "$CYM" validate "$T/dsfifo"
refused "FIFO as a country data file (run)" "$T/dsfifo/VNM.csv" \
    "$CYM" run "$T/dsfifo" --out "$T/ofifo" --charts none -q
[ ! -e "$T/ofifo/scores.csv" ] && ok || bad "FIFO country file: results written anyway"
refused "FIFO as the framework" "$T/fifo.csv" "$CYM" validate "$T/ds" --framework "$T/fifo.csv"
refused "FIFO as countries.csv" "$T/fifo.csv" "$CYM" validate "$T/ds" --countries "$T/fifo.csv"
refused "FIFO as the data" "$T/fifo.csv" "$CYM" validate "$T/ds" --data "$T/fifo.csv"
refused "FIFO as the INI" "$T/fifo.csv" "$CYM" validate "$T/ds" --config "$T/fifo.csv"
refused "FIFO as the expert weights" "$T/fifo.csv" \
    "$CYM" run "$T/ds" --expert-weights "$T/fifo.csv" --out "$T/ofifo" --charts none -q
refused "FIFO as the crosswalk" "$T/fifo.csv" "$CYM" run "$SRC/tests/data/editions" \
    --crosswalk "$T/fifo.csv" --out "$T/ofifo" --charts none -q
refused "a device as the data" /dev/zero "$CYM" validate "$T/ds" --data /dev/zero
refused "a device as the framework" /dev/null "$CYM" validate "$T/ds" --framework /dev/null

# 6. stdout on a full device: the lost output is an error, not a success
"$CYM" validate "$T/ds" >/dev/full 2>"$T/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "stdout on /dev/full: exit $rc, expected 3"
grep -q "cannot write the standard output: No space left on device" "$T/err" && ok ||
    bad "stdout message: $(cat "$T/err")"

# 7. killed with SIGKILL in the middle of a run: tests/cli/outset_checks.sh (b), at random
#    moments of a full run, the folder checked against the previous manifest each time

# 8. 100,000 indicators (100 pillars of 1,000) for 3 countries: loaded and validated, with
#    every cell present (a run is not tried: the audit's sibling correlations grow with the
#    square of the siblings, see docs/security.md)
mkdir -p "$T/wide/data"
awk 'BEGIN { print "code,name,parent,weight,direction,scale"; print "IDX,Index,,1,,";
             for (p = 0; p < 100; p++) printf "P%d,Pillar %d,IDX,1,,\n", p, p;
             for (i = 0; i < 100000; i++) printf "I%d,Indicator %d,P%d,1,+,\n", i, i, i % 100 }' \
    >"$T/wide/fw.csv"
printf 'code,name\nAAA,A\nBBB,B\nCCC,C\n' >"$T/wide/data/countries.csv"
awk 'BEGIN { print "country,indicator,year,value"; split("AAA BBB CCC", c, " ");
             for (k = 1; k <= 3; k++) for (i = 0; i < 100000; i++)
                 printf "%s,I%d,2024,%d\n", c[k], i, (i * 7 + k * 13) % 101 }' >"$T/wide/data.csv"
"$CYM" validate "$T/wide/data" --framework "$T/wide/fw.csv" --data "$T/wide/data.csv" \
    >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && ok || bad "100,000 indicators: exit $rc ($(cat "$T/err"))"
grep -q "100101 nodes, 100000 indicators" "$T/out" && ok || bad "100,000 indicators: $(head -3 "$T/out")"
grep -q "300000 rows" "$T/out" && ok || bad "100,000 indicators: rows: $(grep '^data' "$T/out")"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
