#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one golden CLI case (jq's idea): tests/golden/README.md describes the folder layout.
#
#   run.sh CYMETRICS CASE_DIR [CSVDIFF]
#
# The case runs in a temporary folder holding its inputs: the base fixture the case names in its
# `base` file (a folder under fixtures/, whose `from` file may name files of the repository
# itself, such as the bundled dataset), minus the paths in the case's `remove` file, plus the
# case's own input files (each replacing the base file of the same name). So no input can be
# modified; afterwards the inputs are checked to be unchanged and, for a failing command
# (non-zero status), that no output was left behind. stdout (when expected.stdout exists),
# stderr and the exit status are compared exactly; expected/<file> against <outdir>/<file>
# (outdir: the `outdir` file of the case, default `out`), CSV files with CSVDIFF (numeric
# tolerance), JSON files with CSVDIFF --text (numbers within the tolerance, the rest exactly),
# others exactly.
# POSIX sh only. Works with the ASan+UBSan binary: sanitizer reports land on stderr and use an
# exit status of their own, so they can never pass for an expected message.

set -u

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: run.sh CYMETRICS CASE_DIR [CSVDIFF]" >&2
    exit 2
fi

abspath() {
    case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd)" "$1" ;;
    esac
}

bin=$(abspath "$1")
case_dir=$(abspath "$2")
csvdiff=${3:+$(abspath "$3")}
name=$(basename "$case_dir")

if [ ! -x "$bin" ]; then
    echo "golden $name: $bin is not an executable" >&2
    exit 2
fi
if [ ! -f "$case_dir/cmd" ] || [ ! -f "$case_dir/expected.stderr" ] ||
    [ ! -f "$case_dir/expected.status" ]; then
    echo "golden $name: a case needs cmd, expected.stderr and expected.status" >&2
    exit 2
fi

# the repository (the bundled dataset and tests/data are used in place, never copied into a
# case) and the base fixtures, found from where this script lives
here=$(cd "$(dirname "$0")" && pwd) || exit 2
root=$(cd "$here/../.." && pwd) || exit 2
fixtures=$here/fixtures

malformed() {
    echo "golden $name: $*" >&2
    exit 2
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cymgolden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
work=$tmp/work
overlay=$tmp/overlay
mkdir "$work" "$overlay" || exit 2

# the case's own inputs: everything in its folder except the expectations, the description and
# the files that say how to build the inputs
cp -R "$case_dir/." "$overlay/" || exit 2
rm -rf "$overlay/cmd" "$overlay/expected.stdout" "$overlay/expected.stderr" \
    "$overlay/expected.status" "$overlay/expected" "$overlay/outdir" "$overlay/README.md" \
    "$overlay/skip-valgrind" "$overlay/base" "$overlay/remove"

# 1. the base fixture: fixtures/<base>/ copied as it is, after the repository paths its `from`
#    file lists ("SOURCE DEST" per line, SOURCE relative to the repository root, DEST to the
#    work folder; # starts a comment)
base=
if [ -f "$case_dir/base" ]; then
    base=$(tr -d ' \t\r\n' <"$case_dir/base")
    case $base in
    '' | */* | .*) malformed "base '$base' is not a fixture name" ;;
    esac
    if [ ! -d "$fixtures/$base" ]; then
        known=
        for d in "$fixtures"/*/; do
            [ -d "$d" ] && known="$known${known:+ }$(basename "$d")"
        done
        malformed "unknown base '$base': there is no folder tests/golden/fixtures/$base" \
            "(fixtures: $known)"
    fi
    if [ -f "$fixtures/$base/from" ]; then
        while read -r src dest extra || [ -n "$src" ]; do
            case $src in '' | '#'*) continue ;; esac
            if [ -z "$dest" ] || [ -n "$extra" ]; then
                malformed "fixtures/$base/from: '$src $dest $extra' is not 'SOURCE DEST'"
            fi
            if [ ! -e "$root/$src" ]; then
                malformed "fixtures/$base/from: $src does not exist in the repository"
            fi
            if [ -e "$work/$dest" ]; then
                malformed "fixtures/$base/from: $dest is named twice"
            fi
            mkdir -p "$work/$(dirname "$dest")" || exit 2
            cp -R "$root/$src" "$work/$dest" || exit 2
        done <"$fixtures/$base/from"
    fi
    (cd "$fixtures/$base" && find . -type f ! -path ./from -print) | while IFS= read -r f; do
        mkdir -p "$work/$(dirname "$f")" && cp "$fixtures/$base/$f" "$work/$f" || exit 2
    done || exit 2
fi

# 2. minus the base files the case does not want (`remove`: one path per line)
if [ -f "$case_dir/remove" ]; then
    [ -n "$base" ] || malformed "a remove file needs a base"
    while IFS= read -r f || [ -n "$f" ]; do
        case $f in
        '' | '#'*) continue ;;
        /* | ../* | */../* | *..) malformed "remove: $f is not a path inside the inputs" ;;
        esac
        if [ ! -e "$work/$f" ]; then
            malformed "remove: $f is not in base '$base'"
        fi
        rm -rf "${work:?}/$f" || exit 2
    done <"$case_dir/remove"
fi

# 3. plus the case's own files; a case holds only what it changes, so a file the same as the
#    base's is a mistake (a stale copy)
if [ -n "$base" ]; then
    (cd "$overlay" && find . -type f -print) | while IFS= read -r f; do
        if [ -f "$work/$f" ] && cmp -s "$work/$f" "$overlay/$f"; then
            echo "${f#./}"
        fi
    done >"$tmp/same"
    if [ -s "$tmp/same" ]; then
        malformed "the same as in base '$base', delete from the case:" "$(tr '\n' ' ' <"$tmp/same")"
    fi
fi
cp -R "$overlay/." "$work/" || exit 2

snapshot() {
    (cd "$work" && find . -print | LC_ALL=C sort | while IFS= read -r f; do
        if [ -f "$f" ]; then cksum <"$f" | sed "s|^|$f |"; else printf '%s dir\n' "$f"; fi
    done)
}
snapshot >"$tmp/before"

# arguments: one per line, taken literally (no shell expansion)
set --
while IFS= read -r arg || [ -n "$arg" ]; do
    set -- "$@" "$arg"
done <"$case_dir/cmd"

LC_ALL=C
export LC_ALL
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99
UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1:exitcode=99
export ASAN_OPTIONS UBSAN_OPTIONS

# CYM_GOLDEN_WRAPPER: a command put in front of the binary, split on blanks, e.g.
# "valgrind -q --error-exitcode=99" (its reports, like the sanitizers', fail the case)
# shellcheck disable=SC2086
(cd "$work" && exec ${CYM_GOLDEN_WRAPPER:-} "$bin" "$@") <"/dev/null" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?

fail=0
bad() {
    echo "golden $name: $*" >&2
    fail=1
}

expected_status=$(tr -d ' \t\r\n' <"$case_dir/expected.status")
if [ "$status" != "$expected_status" ]; then
    bad "exit status $status, expected $expected_status"
fi
if ! diff -u "$case_dir/expected.stderr" "$tmp/stderr" >"$tmp/diff"; then
    bad "stderr differs (- expected, + actual):"
    sed 's/^/    /' "$tmp/diff" >&2
fi
if [ -f "$case_dir/expected.stdout" ] &&
    ! diff -u "$case_dir/expected.stdout" "$tmp/stdout" >"$tmp/diff"; then
    bad "stdout differs (- expected, + actual):"
    sed 's/^/    /' "$tmp/diff" >&2
fi

# the inputs must be exactly as they were
snapshot >"$tmp/after"
while IFS= read -r line; do
    f=${line%% *}
    if ! grep -qxF -- "$line" "$tmp/after"; then
        bad "input $f was modified or removed"
    fi
done <"$tmp/before"
# a failing command leaves nothing behind
if [ "$status" -ne 0 ]; then
    cut -d' ' -f1 "$tmp/before" >"$tmp/before.names"
    cut -d' ' -f1 "$tmp/after" | while IFS= read -r f; do
        grep -qxF -- "$f" "$tmp/before.names" || echo "$f"
    done >"$tmp/new"
    if [ -s "$tmp/new" ]; then
        bad "the command failed but left output behind: $(tr '\n' ' ' <"$tmp/new")"
    fi
fi

# expected output files
if [ -d "$case_dir/expected" ]; then
    outdir=out
    if [ -f "$case_dir/outdir" ]; then
        outdir=$(tr -d '\r\n' <"$case_dir/outdir")
    fi
    (cd "$case_dir/expected" && find . -type f -print | LC_ALL=C sort) >"$tmp/expected.list"
    while IFS= read -r f; do
        f=${f#./}
        exp=$case_dir/expected/$f
        got=$work/$outdir/$f
        if [ ! -f "$got" ]; then
            bad "$outdir/$f was not written"
            continue
        fi
        case $f in
        *.csv)
            if [ -z "$csvdiff" ]; then
                bad "expected/$f needs the csvdiff tool (third argument)"
            elif ! (cd "$work" && "$csvdiff" "$outdir/$f" "$exp") >"$tmp/diff" 2>&1; then
                bad "$outdir/$f differs: $(cat "$tmp/diff")"
            fi
            ;;
        *.json)
            # numbers within the tolerance, the rest exactly (csvdiff --text)
            if [ -z "$csvdiff" ]; then
                bad "expected/$f needs the csvdiff tool (third argument)"
            elif ! (cd "$work" && "$csvdiff" --text "$outdir/$f" "$exp") >"$tmp/diff" 2>&1; then
                bad "$outdir/$f differs: $(cat "$tmp/diff")"
            fi
            ;;
        *)
            if ! diff -u "$exp" "$got" >"$tmp/diff"; then
                bad "$outdir/$f differs (- expected, + actual):"
                sed 's/^/    /' "$tmp/diff" >&2
            fi
            ;;
        esac
    done <"$tmp/expected.list"
fi

if [ "$fail" -ne 0 ]; then
    echo "golden $name: FAILED (command: cymetrics $*)" >&2
    exit 1
fi
exit 0
