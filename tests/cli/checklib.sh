# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the checks of tests/cli/: a temporary folder $T (made writable again and removed
# at exit), the counters and their helpers ok and bad, and finish, which prints the closing
# line CTest's log shows ("N passed, N failed") and returns the status.
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
