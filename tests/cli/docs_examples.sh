#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The examples of README.md and docs/cli.md, run as written (issue 16). In each file, a fenced
# block whose info string is `console` or `sh` is commands: in a `console` block the lines
# starting with "$ ", each followed by the output it shows; in an `sh` block every line
# (without its "# comment"). A block that must not run (make, sudo, a compiler, an error that
# is only an illustration) says so in its info string: ```sh no-run. Any other block (a
# synopsis, a message) is text. Each command runs with `sh -c` in a copy of the repository's
# datasets/, indicators/ and tests/data/, where `build/cymetrics` and `cymetrics` are the
# binary under test and /tmp/ is that copy's own; it must exit 0, and every output line a
# `console` block shows ("..." and empty lines skipped) must appear in its output, in that order.
# Usage: docs_examples.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$(dirname "$0")/checklib.sh"
W=$T/work
mkdir -p "$W/build" "$W/bin" "$W/tests" "$W/tmp"
cp -r "$SRC/datasets" "$SRC/indicators" "$W/"
cp -r "$SRC/tests/data" "$W/tests/"
ln -s "$CYM" "$W/build/cymetrics"
ln -s "$CYM" "$W/bin/cymetrics"

# the commands of a file: "CMD<TAB>command" and "OUT<TAB>line" records, one per line
extract() {
    awk '
    /^```/ {
        if (inb) { inb = 0; next }
        inb = 1; kind = ""
        info = substr($0, 4)
        if (info ~ /no-run/) kind = ""
        else if (info ~ /^console/) kind = "console"
        else if (info ~ /^sh/) kind = "sh"
        next
    }
    !inb || kind == "" { next }
    kind == "console" && /^\$ / { cmd = substr($0, 3); print "CMD\t" cmd; next }
    kind == "console" && !/^ *\.\.\.$/ && !/^$/ { print "OUT\t" $0; next }
    kind == "sh" {
        line = $0; sub(/[ \t]+#.*$/, "", line)
        if (line ~ /[^ \t]/) print "CMD\t" line
    }' "$1"
}

# runs the command of $1, its output into $T/out; then checks the shown lines in $T/shown
check() {
    if [ -n "$cmd" ]; then
        run=$(printf '%s' "$cmd" | sed "s|/tmp/|$W/tmp/|g")
        (cd "$W" && PATH="$W/bin:$PATH" sh -c "$run") >"$T/out" 2>&1
        st=$?
        [ "$st" -eq 0 ] && ok || bad "$doc: '$cmd' exited $st: $(head -5 "$T/out")"
        # the shown lines, in order, as a subsequence of the output
        awk -v shown="$T/shown" 'BEGIN { n = 0; while ((getline l < shown) > 0) want[n++] = l; i = 0 }
            i < n && $0 == want[i] { i++ }
            END { if (i < n) { print want[i]; exit 1 } }' "$T/out" >"$T/missing" && ok ||
            bad "$doc: '$cmd' does not print '$(cat "$T/missing")'"
        ran=$((ran + 1))
    fi
    cmd=""
    : >"$T/shown"
}

ran=0
for doc in README.md docs/cli.md; do
    extract "$SRC/$doc" >"$T/records"
    cmd=""
    : >"$T/shown"
    while IFS= read -r rec; do
        case $rec in
        CMD*) check; cmd=${rec#CMD	} ;;
        OUT*) printf '%s\n' "${rec#OUT	}" >>"$T/shown" ;;
        esac
    done <"$T/records"
    check
done
# the examples are there: a file without a runnable block would pass by running nothing
[ "$ran" -ge 6 ] && ok || bad "only $ran example commands found"
finish
