# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the checks of tests/cli/: a temporary folder $T (made writable again and removed
# at exit), the counters and their helpers ok and bad, and finish, which prints the closing
# line CTest's log shows ("N passed, N failed") and returns the status; bundled and
# bundled_flat copy the bundled dataset into $T.
T=$(mktemp -d "${TMPDIR:-/tmp}/cymcheck.XXXXXX") || exit 2
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fails=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
finish() {
    echo "$pass passed, $fails failed"
    [ "$fails" -eq 0 ]
}
# bundled SRC: the bundled dataset and its framework in the repository's layout,
# $T/datasets/asean-japan and $T/indicators/asean-japan.csv, so its cymetrics.ini reads as is
bundled() {
    mkdir -p "$T/datasets" "$T/indicators" &&
        cp -r "$1/datasets/asean-japan" "$T/datasets/" &&
        cp "$1/indicators/asean-japan.csv" "$T/indicators/"
}
# bundled_flat SRC: the bundled dataset as $T/ds, its framework as $T/fw.csv (the INI names it)
bundled_flat() {
    cp -r "$1/datasets/asean-japan" "$T/ds" &&
        cp "$1/indicators/asean-japan.csv" "$T/fw.csv" &&
        sed -i 's|^framework = .*|framework = ../fw.csv|' "$T/ds/cymetrics.ini"
}
