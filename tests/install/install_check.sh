#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The library as a user gets it (issue 13): `cmake --install` of the build into a temporary
# prefix must hold libcymetrics (shared with its SOVERSION links, and static), every public
# header (none including a third-party header), the CLI and cymetrics.pc; the example program
# docs/example/print_index.c, built with `pkg-config --cflags --libs cymetrics` against the
# shared library and with `pkg-config --static` against the static one, must print the index
# (rank, country, score of the last year) that the installed `cymetrics run` writes to
# index.csv, to the last digit (both write cym_format_double); the installed CLI draws a chart,
# reads a .xlsx submission and writes results.sqlite, each with its plugin from
# <libdir>/cymetrics. A DESTDIR install must put every file under
# DESTDIR/PREFIX and name PREFIX in the .pc.
# Usage: install_check.sh CMAKE BUILD_DIR SOURCE_DIR CC PKG_CONFIG
set -u
CMAKE=$1
BUILD=$2
SRC=$3
CC=$4
PKG_CONFIG=$5
T=$(mktemp -d)
# cmake --install rewrites BUILD/install_manifest.txt, which `make uninstall` reads: the one of
# a real install is put back, a new one removed, so the test leaves nothing behind
MANIFEST=$BUILD/install_manifest.txt
[ -f "$MANIFEST" ] && cp -p "$MANIFEST" "$T/manifest.saved"
cleanup() {
    if [ -f "$T/manifest.saved" ]; then
        cp -p "$T/manifest.saved" "$MANIFEST"
    else
        rm -f "$MANIFEST"
    fi
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM
fails=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
finish() {
    echo "install_check: $pass passed, $fails failed"
    [ "$fails" -eq 0 ]
    exit $?
}
CFLAGS="-std=c11 -Wall -Wextra -Wpedantic -Wconversion -Wno-sign-conversion -Werror"

# 1. install into a temporary prefix
P=$T/prefix
if ! "$CMAKE" --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1; then
    cat "$T/install.log"
    bad "cmake --install --prefix failed"
    finish
fi
PC=$(find "$P" -name cymetrics.pc)
if [ -z "$PC" ]; then
    bad "no cymetrics.pc installed"
    finish
fi
export PKG_CONFIG_PATH="$(dirname "$PC")"
LIBDIR=$("$PKG_CONFIG" --variable=libdir cymetrics)
INCDIR=$("$PKG_CONFIG" --variable=includedir cymetrics)
VERSION=$("$PKG_CONFIG" --modversion cymetrics)
[ "$("$PKG_CONFIG" --variable=prefix cymetrics)" = "$P" ] && ok ||
    bad "cymetrics.pc: prefix is '$("$PKG_CONFIG" --variable=prefix cymetrics)', not '$P'"
[ "$LIBDIR/pkgconfig/cymetrics.pc" = "$PC" ] && ok || bad "cymetrics.pc is not in <libdir>/pkgconfig"

# 2. what must be there: the libraries (the SOVERSION chain .so -> .so.N -> .so.VERSION, with
# the SONAME .so.N), the CLI, every public header
major=${VERSION%%.*}
real=$LIBDIR/libcymetrics.so.$VERSION
[ -f "$real" ] && [ ! -L "$real" ] && ok || bad "libcymetrics.so.$VERSION missing"
[ "$(readlink "$LIBDIR/libcymetrics.so.$major")" = "libcymetrics.so.$VERSION" ] && ok ||
    bad "libcymetrics.so.$major is not a link to libcymetrics.so.$VERSION"
[ "$(readlink "$LIBDIR/libcymetrics.so")" = "libcymetrics.so.$major" ] && ok ||
    bad "libcymetrics.so is not a link to libcymetrics.so.$major"
[ -f "$real" ] && readelf -d "$real" | grep -q "(SONAME).*\[libcymetrics.so.$major\]" && ok ||
    bad "SONAME of libcymetrics.so.$VERSION is not libcymetrics.so.$major"
[ -f "$LIBDIR/libcymetrics.a" ] && ok || bad "libcymetrics.a missing"
[ -x "$P/bin/cymetrics" ] && ok || bad "bin/cymetrics missing"
for h in "$SRC"/include/cymetrics/*.h; do
    [ -f "$INCDIR/cymetrics/$(basename "$h")" ] && ok || bad "header cymetrics/$(basename "$h") not installed"
done
# nothing else: no module-internal header (src/<module>/*.h) leaks into the install
(cd "$INCDIR/cymetrics" && ls) >"$T/installed_headers"
(cd "$SRC/include/cymetrics" && ls) | cmp -s - "$T/installed_headers" && ok ||
    bad "installed headers differ from include/cymetrics/: $(cat "$T/installed_headers" | tr '\n' ' ')"

# 2b. the man page and the bash and zsh completions (issue 16), generated from the option
# table: the page reads without a warning of man and names every key; `complete -p` knows the
# command once the bash file is sourced, which offers the commands, the options of a command,
# --no-KEY of a flag and the values of a key; zsh's is a #compdef file (zsh may be absent)
MAN=$P/share/man/man1/cymetrics.1
BASHC=$P/share/bash-completion/completions/cymetrics
ZSHC=$P/share/zsh/site-functions/_cymetrics
[ -f "$MAN" ] && ok || bad "man page share/man/man1/cymetrics.1 missing"
[ -f "$BASHC" ] && ok || bad "bash completion missing"
[ -f "$ZSHC" ] && ok || bad "zsh completion missing"
if command -v man >/dev/null 2>&1 && [ -f "$MAN" ]; then
    MANWIDTH=200 LC_ALL=C.UTF-8 man -l "$MAN" >"$T/man.txt" 2>"$T/man.err" && [ ! -s "$T/man.err" ] && ok ||
        bad "man -l cymetrics.1: $(cat "$T/man.err")"
    for k in $("$P/bin/cymetrics" --generate bash | sed -n 's/^ *run) opts=.\(.*\). ;;$/\1/p'); do
        grep -qF -- "$k" "$T/man.txt" || { bad "man page lacks $k"; break; }
    done
    grep -q -- "--no-sobol" "$T/man.txt" && ok || bad "man page lacks --no-sobol"
fi
if command -v bash >/dev/null 2>&1 && [ -f "$BASHC" ]; then
    complete_words() { # the words offered for the command line "$@" (the last word completed)
        bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _cymetrics
                 printf "%s\n" "${COMPREPLY[@]}"' sh "$BASHC" "$@"
    }
    [ "$(complete_words cymetrics ru)" = run ] && ok || bad "bash: 'ru' does not complete to run"
    complete_words cymetrics run --no-so | grep -qx -- --no-sobol && ok ||
        bad "bash: --no-so does not offer --no-sobol"
    complete_words cymetrics run --norm | grep -qx -- --normalise && ok ||
        bad "bash: --norm does not offer --normalise"
    [ "$(complete_words cymetrics uncertainty --sobol c)" = countries ] && ok ||
        bad "bash: --sobol c does not complete to countries"
    bash -c '. "$1"; complete -p cymetrics' sh "$BASHC" >/dev/null 2>&1 && ok ||
        bad "bash: sourcing the completion does not register it"
fi
head -1 "$ZSHC" 2>/dev/null | grep -qx '#compdef cymetrics' && ok || bad "zsh completion is not a #compdef file"
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$ZSHC" && ok || bad "zsh -n _cymetrics failed"
fi

# 3. the public headers include only the C standard library and each other
STD="assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h locale.h
math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h
stdlib.h stdnoreturn.h string.h tgmath.h threads.h time.h uchar.h wchar.h wctype.h"
for h in "$INCDIR"/cymetrics/*.h; do
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p' "$h" | while IFS= read -r inc; do
        case $inc in
        \"cymetrics/*.h\")
            name=${inc#\"cymetrics/}
            [ -f "$INCDIR/cymetrics/${name%\"}" ] || echo "$(basename "$h"): $inc is not installed"
            ;;
        \<*\>)
            name=${inc#<}
            case " $(echo $STD) " in
            *" ${name%>} "*) ;;
            *) echo "$(basename "$h"): includes $inc, not a C standard header" ;;
            esac
            ;;
        *) echo "$(basename "$h"): includes $inc" ;;
        esac
    done
done >"$T/includes"
[ ! -s "$T/includes" ] && ok || bad "public headers include what a user may not have: $(cat "$T/includes")"

# 4. the reference: the installed CLI's index.csv; rank, country and index columns, by country
cd "$T" || exit 1
if "$P/bin/cymetrics" run "$SRC/datasets/asean-japan" --out "$T/out" --charts none \
    --report off --tables none --quiet 2>"$T/run.err"; then
    ok
else
    bad "cymetrics run failed: $(cat "$T/run.err")"
fi
# ... and its charts: the plugin installed in <libdir>/cymetrics, found from bin/cymetrics
[ -f "$LIBDIR/cymetrics/cymetrics-plot.so" ] && ok || bad "no $LIBDIR/cymetrics/cymetrics-plot.so"
if LD_DEBUG=files "$P/bin/cymetrics" chart ranking "$SRC/datasets/asean-japan" --out "$T/chart" \
    --quiet 2>"$T/chart.err" >/dev/null; then
    [ -s "$T/chart/charts/ranking.png" ] && ok || bad "the installed cymetrics drew no ranking.png"
    grep -q "file=$LIBDIR/cymetrics/cymetrics-plot.so" "$T/chart.err" && ok ||
        bad "the installed cymetrics did not load $LIBDIR/cymetrics/cymetrics-plot.so"
else
    bad "the installed cymetrics chart ranking failed: $(grep -v '^ *[0-9]*:' "$T/chart.err")"
fi
# ... and the .xlsx reader and the database plugins: a submission workbook read and
# results.sqlite written by the installed program, each loading its plugin from <libdir>
for plug in xlsx database; do
    [ -f "$LIBDIR/cymetrics/cymetrics-$plug.so" ] && ok || bad "no $LIBDIR/cymetrics/cymetrics-$plug.so"
done
mkdir -p "$T/wb/datasets" "$T/wb/indicators"
cp -r "$SRC/datasets/asean-japan" "$T/wb/datasets/" && cp "$SRC/indicators/asean-japan.csv" "$T/wb/indicators/"
WB=$T/wb/datasets/asean-japan
python3 "$SRC/tests/unit/xlsx_fixtures.py" --form "$WB/VNM.xlsx" VNM 2024 "$WB/VNM.csv" &&
    grep -v ',2024,' "$SRC/datasets/asean-japan/VNM.csv" >"$WB/VNM.csv" || bad "cannot write VNM.xlsx"
if LD_DEBUG=files "$P/bin/cymetrics" run "$WB" --out "$T/wbout" --charts none --report off \
    --tables csv,sqlite --quiet 2>"$T/wb.err" >/dev/null; then
    [ -s "$T/wbout/results.sqlite" ] && ok || bad "the installed cymetrics wrote no results.sqlite"
    for plug in xlsx database; do
        grep -q "file=$LIBDIR/cymetrics/cymetrics-$plug.so" "$T/wb.err" && ok ||
            bad "the installed cymetrics did not load $LIBDIR/cymetrics/cymetrics-$plug.so"
    done
    # the workbook's values are those of the CSV rows it replaced
    cmp -s "$T/wbout/index.csv" "$T/out/index.csv" && ok ||
        bad "index.csv with VNM.xlsx differs from the one with VNM.csv"
else
    bad "the installed cymetrics run with VNM.xlsx and --tables sqlite failed: $(grep -v '^ *[0-9]*:' "$T/wb.err")"
fi
python3 - "$T/out/index.csv" >"$T/expected" <<'EOF' || bad "cannot read index.csv"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
print(",".join([rows[0][0], rows[0][1], rows[0][4]]))
for r in sorted(rows[1:], key=lambda r: r[1]):
    print(",".join([r[0], r[1], r[4]]))
EOF
[ "$(wc -l <"$T/expected")" -eq 12 ] && ok || bad "index.csv has not 11 countries: $(cat "$T/expected")"
# the example's output sorted the same way (it prints countries in countries.csv order)
by_country() { { head -n 1 "$1"; tail -n +2 "$1" | LC_ALL=C sort -t, -k2,2; } }

# 5. the example against the shared library (found through LD_LIBRARY_PATH)
# shellcheck disable=SC2046
if $CC $CFLAGS "$SRC/docs/example/print_index.c" $("$PKG_CONFIG" --cflags --libs cymetrics) \
    -o "$T/print_index" 2>"$T/cc.err"; then
    ok
    readelf -d "$T/print_index" | grep -q "(NEEDED).*\[libcymetrics.so.$major\]" && ok ||
        bad "the example is not linked to libcymetrics.so.$major"
    LD_LIBRARY_PATH=$LIBDIR ldd "$T/print_index" | grep -q "libcymetrics.so.$major => $LIBDIR/" && ok ||
        bad "the example does not load the installed libcymetrics.so.$major"
    if LD_LIBRARY_PATH=$LIBDIR "$T/print_index" "$SRC/datasets/asean-japan" >"$T/shared.out" \
        2>"$T/shared.err"; then
        by_country "$T/shared.out" | diff -u "$T/expected" - >"$T/diff" && ok ||
            bad "the example (shared) prints another index than cymetrics run:
$(cat "$T/diff")"
    else
        bad "the example (shared) failed: $(cat "$T/shared.err")"
    fi
else
    bad "the example does not build with pkg-config --cflags --libs cymetrics: $(cat "$T/cc.err")"
fi

# 6. the example against the static library: pkg-config --static for the private dependencies,
# and -l:libcymetrics.a, since -lcymetrics picks the shared library when both are there
LIBS=$("$PKG_CONFIG" --static --libs cymetrics)
case " $LIBS " in
*" -lcymetrics "*) ok ;;
*) bad "pkg-config --libs gives no -lcymetrics: $LIBS" ;;
esac
LIBS=$(echo " $LIBS " | sed 's/ -lcymetrics / -l:libcymetrics.a /')
# shellcheck disable=SC2046,SC2086
if $CC $CFLAGS "$SRC/docs/example/print_index.c" $("$PKG_CONFIG" --cflags cymetrics) $LIBS \
    -o "$T/print_index_static" 2>"$T/cc.err"; then
    ok
    ! readelf -d "$T/print_index_static" | grep -q "(NEEDED).*libcymetrics" && ok ||
        bad "the static example needs a libcymetrics.so"
    if "$T/print_index_static" "$SRC/datasets/asean-japan" >"$T/static.out" 2>"$T/static.err"; then
        by_country "$T/static.out" | diff -u "$T/expected" - >"$T/diff" && ok ||
            bad "the example (static) prints another index than cymetrics run:
$(cat "$T/diff")"
    else
        bad "the example (static) failed: $(cat "$T/static.err")"
    fi
else
    bad "the example does not build with pkg-config --static: $(cat "$T/cc.err")"
fi

# 7. a staged install (make install PREFIX=... DESTDIR=...): every file under DESTDIR/PREFIX,
# the same files as the plain install, and the .pc names PREFIX (where they will be used)
STAGE=$T/stage
STAGED_PREFIX=/opt/cymetrics-install-check
if DESTDIR=$STAGE "$CMAKE" --install "$BUILD" --prefix "$STAGED_PREFIX" >"$T/install.log" 2>&1; then
    ok
    (cd "$STAGE" && find . ! -type d | sed 's|^\.||' | LC_ALL=C sort) >"$T/staged"
    grep -v "^$STAGED_PREFIX/" "$T/staged" >"$T/outside"
    [ ! -s "$T/outside" ] && ok || bad "files outside the prefix: $(cat "$T/outside")"
    grep -v "^$STAGED_PREFIX/" "$MANIFEST" >"$T/outside"
    [ ! -s "$T/outside" ] && ok || bad "install_manifest.txt lists files outside the prefix: $(cat "$T/outside")"
    (cd "$P" && find . ! -type d | sed "s|^\.|$STAGED_PREFIX|" | LC_ALL=C sort) | cmp -s - "$T/staged" &&
        ok || bad "the staged install holds other files than the plain one"
    grep -qx "prefix=$STAGED_PREFIX" "$STAGE$STAGED_PREFIX/${PC#"$P"/}" && ok ||
        bad "the staged cymetrics.pc does not name prefix=$STAGED_PREFIX"
else
    cat "$T/install.log"
    bad "DESTDIR=... cmake --install --prefix failed"
fi
finish
