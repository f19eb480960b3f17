#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every golden case under valgrind's memcheck (leaks included): any report fails the case.
# Usage: tests/golden/valgrind.sh BUILD_DIR   (a build without sanitizers)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$1
CYM_GOLDEN_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,indirect,possible --suppressions=$here/../valgrind.supp"
export CYM_GOLDEN_WRAPPER
# set, so that cymetrics does not start itself again (outside valgrind) to set it
OMP_WAIT_POLICY=passive
export OMP_WAIT_POLICY
n=0
fails=0
for d in "$here"/*/; do
    # fixtures/ holds the base inputs the cases name, not a case
    [ "$(basename "$d")" = fixtures ] && continue
    # a case whose numbers valgrind's 64-bit long double changes discretely says why
    if [ -f "$d/skip-valgrind" ]; then
        echo "valgrind: skipping $(basename "$d"): $(head -n 1 "$d/skip-valgrind")"
        continue
    fi
    n=$((n + 1))
    sh "$here/run.sh" "$build/cymetrics" "$d" "$build/tests/csvdiff" || fails=$((fails + 1))
done
echo "valgrind: $n golden cases, $fails failed"
[ "$fails" -eq 0 ]
