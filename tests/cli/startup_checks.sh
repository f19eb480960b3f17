#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Start-up (issue 18, docs/performance.md "Start-up"): the process starts once, with the
# OpenMP wait policy set before libgomp loads; libgomp, the charts (PLplot and the cairo,
# pango, fontconfig stack, in the plugin cymetrics-plot.so), libxlsxwriter (results.xlsx and
# the forms), the .xlsx reader (libzip, expat, libcrypto, libbz2: cymetrics-xlsx.so) and
# SQLite (cymetrics-database.so) are no dependencies of the program and are opened only by
# what uses them; charts and workbook still drawn, the same bytes on 1 and 2 threads; a
# missing plugin is an I/O error naming it, only when it is needed.
# Usage: startup_checks.sh CYMETRICS SOURCE_DIR
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"
bundled_flat "$SRC" || exit 2
D=$T/ds

# 1. no library that a run may not need is a dependency of the program
needed=$(readelf -d "$CYM" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
for lib in libgomp libplplot libcairo libpango libfontconfig libfreetype libpng libxlsxwriter \
    libcrypto libminizip libzip libexpat libbz2 libsqlite3; do
    case " $needed" in *" $lib"*) bad "$lib is a dependency of the program: $needed" ;; *) ok ;; esac
done

# 2. one start: libgomp reports its settings once (a second exec would load it twice), with
# the wait policy passive (spin count 0) although the environment did not set it
env -u OMP_WAIT_POLICY OMP_DISPLAY_ENV=verbose "$CYM" run "$D" --out "$T/o1" --charts none \
    >/dev/null 2>"$T/env.txt" || bad "run with OMP_DISPLAY_ENV failed: $(cat "$T/env.txt")"
[ "$(grep -c "OPENMP DISPLAY ENVIRONMENT BEGIN" "$T/env.txt")" = 1 ] && ok ||
    bad "libgomp started $(grep -c "OPENMP DISPLAY ENVIRONMENT BEGIN" "$T/env.txt") times"
grep -q "GOMP_SPINCOUNT = '0'" "$T/env.txt" && ok || bad "idle threads spin: $(grep SPIN "$T/env.txt")"
# ... and a choice of the user's stands
OMP_WAIT_POLICY=active OMP_DISPLAY_ENV=true "$CYM" run "$D" --out "$T/o1" --charts none \
    >/dev/null 2>"$T/env.txt"
grep -q "OMP_WAIT_POLICY = 'ACTIVE'" "$T/env.txt" && ok || bad "OMP_WAIT_POLICY=active overridden"
if command -v strace >/dev/null 2>&1; then
    strace -f -e trace=execve -o "$T/strace.txt" "$CYM" run "$D" --out "$T/o1" --charts none \
        >/dev/null 2>&1
    [ "$(grep -c 'execve(' "$T/strace.txt")" = 1 ] && ok ||
        bad "the program started $(grep -c 'execve(' "$T/strace.txt") times: $(cat "$T/strace.txt")"
fi

# 3. what each run opens (the dynamic loader's own list, LD_DEBUG=files)
opened() { # command...: the shared objects the process and its children opened
    LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\) \[0\];  generating link map.*/\1/p' |
        sort -u | tr '\n' ' '
}
libs=$(opened "$CYM" --version)
case $libs in *libgomp*) bad "--version loads libgomp: $libs" ;; *) ok ;; esac
# none of the libraries of the .xlsx reader or of the database in a minimal run or a default one
heavy="cymetrics-xlsx.so cymetrics-database.so libzip libexpat libcrypto libbz2 libsqlite3"
libs=$(opened "$CYM" run "$D" --out "$T/o2" --charts none --tables none --report off)
for lib in cymetrics-plot libplplot libcairo libxlsxwriter $heavy; do
    case $libs in *$lib*) bad "the minimal run loads $lib: $libs" ;; *) ok ;; esac
done
libs=$(opened "$CYM" run "$D" --out "$T/o3")
for lib in cymetrics-plot.so libplplot libxlsxwriter; do
    case $libs in *$lib*) ok ;; *) bad "the default run did not load $lib: $libs" ;; esac
done
# (fontconfig maps libexpat, and results.xlsx's libxlsxwriter libcrypto)
for lib in cymetrics-xlsx.so cymetrics-database.so libzip libbz2 libsqlite3; do
    case $libs in *$lib*) bad "the default run loads $lib: $libs" ;; *) ok ;; esac
done
# a submission workbook: validate loads the reader plugin and libzip; without one it does not
cp -r "$D" "$T/dx"
python3 "$SRC/tests/unit/xlsx_fixtures.py" --form "$T/dx/VNM.xlsx" VNM 2024 "$D/VNM.csv" ||
    bad "python could not write VNM.xlsx"
grep -v ',2024,' "$D/VNM.csv" >"$T/dx/VNM.csv"
libs=$(opened "$CYM" validate "$T/dx")
for lib in cymetrics-xlsx.so libzip libexpat; do
    case $libs in *$lib*) ok ;; *) bad "validate with VNM.xlsx did not load $lib: $libs" ;; esac
done
libs=$(opened "$CYM" validate "$D")
for lib in $heavy libxlsxwriter; do
    case $libs in *$lib*) bad "validate without a workbook loads $lib: $libs" ;; *) ok ;; esac
done
# --tables sqlite: the database plugin and libsqlite3, not the reader
libs=$(opened "$CYM" run "$D" --out "$T/o8" --charts none --report off --tables sqlite)
for lib in cymetrics-database.so libsqlite3; do
    case $libs in *$lib*) ok ;; *) bad "--tables sqlite did not load $lib: $libs" ;; esac
done
case $libs in *cymetrics-xlsx* | *libzip*) bad "--tables sqlite loads the reader: $libs" ;; *) ok ;; esac
[ -s "$T/o8/results.sqlite" ] && ok || bad "--tables sqlite wrote no results.sqlite"
[ -s "$T/o3/charts/ranking.png" ] && [ -s "$T/o3/results.xlsx" ] && ok ||
    bad "the default run drew no ranking.png or results.xlsx: $(ls "$T/o3" "$T/o3/charts" 2>&1)"

# 4. the same bytes on 1 and 2 threads, charts and workbook included (manifest.json holds
# the run's seconds)
OMP_NUM_THREADS=1 "$CYM" run "$D" --out "$T/t1" >/dev/null 2>&1 &&
    OMP_NUM_THREADS=2 "$CYM" run "$D" --out "$T/t2" >/dev/null 2>&1 || bad "runs on 1 and 2 threads"
diff -r -x manifest.json "$T/t1" "$T/t2" >"$T/diff.txt" && ok || bad "1 and 2 threads differ: $(head -5 "$T/diff.txt")"

# 5. the plugin missing: an I/O error naming it, nothing written; no charts need no plugin
mkdir "$T/empty"
CYM_PLUGIN_DIR=$T/empty "$CYM" run "$D" --out "$T/o4" >"$T/out.txt" 2>"$T/err.txt"
rc=$?
[ "$rc" = 3 ] && ok || bad "missing plugin: exit $rc, not 3"
[ "$(cat "$T/err.txt")" = "cymetrics: $T/empty/cymetrics-plot.so: the plot plugin is missing: reinstall cymetrics, or set CYM_PLUGIN_DIR to the folder that holds cymetrics-plot.so" ] &&
    ok || bad "missing plugin: stderr $(cat "$T/err.txt")"
[ ! -s "$T/out.txt" ] && [ ! -e "$T/o4" ] && ok || bad "missing plugin: output written"
CYM_PLUGIN_DIR=$T/empty "$CYM" chart ranking "$D" --out "$T/o5" >/dev/null 2>"$T/err.txt"
rc=$?
[ "$rc" = 3 ] && grep -q "cymetrics-plot.so: the plot plugin is missing" "$T/err.txt" && ok ||
    bad "chart without plugin: exit $rc, $(cat "$T/err.txt")"
CYM_PLUGIN_DIR=$T/empty "$CYM" run "$D" --out "$T/o6" --charts none --report off >/dev/null 2>&1 &&
    ok || bad "a run without charts needs the plugin"
# a file of that name that is no plugin of this build
echo "not a library" >"$T/empty/cymetrics-plot.so"
CYM_PLUGIN_DIR=$T/empty "$CYM" run "$D" --out "$T/o7" >/dev/null 2>"$T/err.txt"
rc=$?
[ "$rc" = 3 ] && grep -q "cymetrics-plot.so: cannot load the plot plugin" "$T/err.txt" && ok ||
    bad "bad plugin: exit $rc, $(cat "$T/err.txt")"

# 6. the reader and the database plugins missing: the I/O error naming the file, only when a
# workbook is read or a database written; nothing written
missing() { # NAME: the message of the missing plugin cymetrics-NAME.so in $T/empty
    echo "cymetrics: $T/empty/cymetrics-$1.so: the $1 plugin is missing: reinstall cymetrics, or set CYM_PLUGIN_DIR to the folder that holds cymetrics-$1.so"
}
CYM_PLUGIN_DIR=$T/empty "$CYM" validate "$T/dx" >"$T/out.txt" 2>"$T/err.txt"
rc=$?
[ "$rc" = 3 ] && [ "$(cat "$T/err.txt")" = "$(missing xlsx)" ] && [ ! -s "$T/out.txt" ] && ok ||
    bad "validate with VNM.xlsx without the xlsx plugin: exit $rc, $(cat "$T/err.txt")"
CYM_PLUGIN_DIR=$T/empty "$CYM" run "$T/dx" --out "$T/o9" --charts none >"$T/out.txt" 2>"$T/err.txt"
rc=$?
[ "$rc" = 3 ] && [ "$(cat "$T/err.txt")" = "$(missing xlsx)" ] && [ ! -e "$T/o9" ] && ok ||
    bad "run with VNM.xlsx without the xlsx plugin: exit $rc, $(cat "$T/err.txt"), $(ls "$T/o9" 2>&1)"
CYM_PLUGIN_DIR=$T/empty "$CYM" validate "$D" >/dev/null 2>"$T/err.txt" && ok ||
    bad "validate without a workbook needs a plugin: $(cat "$T/err.txt")"
CYM_PLUGIN_DIR=$T/empty "$CYM" run "$D" --out "$T/o10" --charts none --report off \
    --tables sqlite >"$T/out.txt" 2>"$T/err.txt"
rc=$?
[ "$rc" = 3 ] && [ "$(cat "$T/err.txt")" = "$(missing database)" ] && [ ! -e "$T/o10" ] && ok ||
    bad "--tables sqlite without the database plugin: exit $rc, $(cat "$T/err.txt"), $(ls "$T/o10" 2>&1)"
CYM_PLUGIN_DIR=$T/empty "$CYM" run "$D" --out "$T/o11" --charts none --report off --tables csv \
    >/dev/null 2>"$T/err.txt" && ok || bad "--tables csv needs a plugin: $(cat "$T/err.txt")"

# 7. the system calls of a minimal run that replaces an earlier set (strace, where it can
# trace): the earlier manifest.json read whole, not a byte per read() (it took 14,000 calls
# on this dataset and 3 ms); one syncfs for the whole set (the stage's files are not synced
# again by each writer: there were 3); manifest.json written once; each country file opened
# once, for the detection of its format, its parse and its SHA-256 in the manifest (three
# opens, five for the first); the manifest's relative paths without two real paths per input:
# no readlink() of a country file (realpath() of each cost a readlink() per component, 207
# calls here, now 86); the second thread made before the country files are read
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    "$CYM" run "$D" --out "$T/s1" --charts none --tables none --report off >/dev/null 2>&1
    # LeakSanitizer cannot run under ptrace (an ASan build exits 1 at the end): the traced
    # run only counts system calls, the leak check is the untraced runs'
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -o "$T/sys.txt" "$CYM" run "$D" --out "$T/s1" --charts none --tables none \
            --report off >/dev/null 2>"$T/err.txt" || bad "the traced run failed: $(tail -3 "$T/err.txt")"
    reads=$(grep -c ' read(' "$T/sys.txt")
    [ "$reads" -lt 2000 ] && ok || bad "$reads read() calls (a file read a byte at a time?)"
    syncs=$(grep -c ' syncfs(' "$T/sys.txt")
    [ "$syncs" = 1 ] && ok || bad "$syncs syncfs() calls, not 1"
    [ -s "$T/s1/manifest.json" ] && ok || bad "the traced run wrote no manifest.json"
    # the run's manifest handed to the set, which adds the outputs: written once, not written,
    # read back and written again
    made=$(grep -c 'manifest[.]json[.]tmp-[0-9]*", O_WRONLY|O_CREAT' "$T/sys.txt")
    [ "$made" = 1 ] && ok || bad "manifest.json created $made times, not once"
    # the same with framework editions: the joined folder's manifest handed to the set too
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -o "$T/sys-ed.txt" "$CYM" run "$SRC/tests/data/editions" --out "$T/s2" \
            --charts none --report off -q >/dev/null 2>"$T/err.txt" ||
        bad "the traced editions run failed: $(tail -3 "$T/err.txt")"
    made=$(grep -c 'stage-[0-9]*/[.]manifest[.]json[.]tmp-[0-9]*", O_WRONLY|O_CREAT' "$T/sys-ed.txt")
    [ "$made" = 1 ] && ok || bad "the editions' manifest.json created $made times, not once"
    for f in "$D"/[A-Z][A-Z][A-Z].csv; do
        n=$(grep -F "\"$f\"" "$T/sys.txt" | grep -c 'open')
        [ "$n" = 1 ] && ok || bad "$f opened $n times, not once"
    done
    links=$(grep ' readlink(' "$T/sys.txt" | grep -c '/[A-Z][A-Z][A-Z]\.csv"')
    [ "$links" = 0 ] && ok || bad "$links readlink() calls of country files (a real path each?)"
    # the second thread made before the country files are read (cli_threads_start), where the
    # maker waits for it, not made by the first loop that needs it, which it joins late
    if [ "$(nproc)" -gt 1 ] && [ "${OMP_NUM_THREADS:-2}" != 1 ]; then
        first_thread=$(grep -n -m1 -E ' clone3?\(' "$T/sys.txt" | cut -d: -f1)
        first_file=$(grep -n -m1 -E 'open.*/[A-Z][A-Z][A-Z]\.csv"' "$T/sys.txt" | cut -d: -f1)
        [ -n "$first_thread" ] && [ -n "$first_file" ] && [ "$first_thread" -lt "$first_file" ] &&
            ok || bad "the second thread made at line ${first_thread:-none} of the trace, the first country file opened at ${first_file:-none}"
    fi
fi

finish
