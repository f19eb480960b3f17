#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Tests run.sh itself: that a case's inputs are its base fixture, minus its `remove` list, plus
# its own files (README.md describes the layout), and that a malformed case is refused with a
# clear message and status 2. The cases are written to a temporary folder and run a stub in
# place of cymetrics that prints the input tree it was started in, so what is checked is the
# materialisation alone (the golden cases check the command).
#
#   selftest.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cymgoldenself.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# the stub: every input file with its checksum, in a stable order
stub=$tmp/stub
cat >"$stub" <<'EOF'
#!/bin/sh
find . -type f -print | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s %s\n' "$f" "$(cksum <"$f")"
done
EOF
chmod +x "$stub"

fails=0
bad() {
    echo "golden selftest: $*" >&2
    fails=$((fails + 1))
}

# newcase NAME STATUS: a case folder with an empty cmd and the given expected status
newcase() {
    mkdir -p "$tmp/$1"
    : >"$tmp/$1/cmd"
    : >"$tmp/$1/expected.stderr"
    echo "$2" >"$tmp/$1/expected.status"
}

# tree DIR...: what the stub prints for a work folder holding these files, from DIR
tree() {
    (cd "$1" && "$stub")
}

# ---- base + remove + overlay: replaced, removed, added, and description files left out ----
newcase overlay 0
c=$tmp/overlay
echo small >"$c/base"
printf 'data/JPN.csv\n' >"$c/remove"
mkdir "$c/data"
printf 'indicator,year,value\nA.BIN,2023,0\n' >"$c/data/VNM.csv"
printf 'indicator,year,value\n' >"$c/data/THA.csv"
echo "not an input" >"$c/README.md"
mkdir "$tmp/want"
cp -R "$here/fixtures/small/." "$tmp/want/"
rm "$tmp/want/data/JPN.csv"
cp "$c/data/VNM.csv" "$c/data/THA.csv" "$tmp/want/data/"
tree "$tmp/want" >"$c/expected.stdout"
if ! sh "$here/run.sh" "$stub" "$c" >"$tmp/out" 2>&1; then
    bad "base small with a replaced, a removed and an added file:"
    sed 's/^/    /' "$tmp/out" >&2
fi

# ---- a base taken from the repository (`from`): the bundled dataset in its own layout ----
newcase bundled 0
c=$tmp/bundled
echo bundled >"$c/base"
mkdir -p "$tmp/want-bundled/datasets" "$tmp/want-bundled/indicators"
cp -R "$root/datasets/asean-japan" "$tmp/want-bundled/datasets/"
cp "$root/indicators/asean-japan.csv" "$tmp/want-bundled/indicators/"
tree "$tmp/want-bundled" >"$c/expected.stdout"
if ! sh "$here/run.sh" "$stub" "$c" >"$tmp/out" 2>&1; then
    bad "base bundled:"
    sed 's/^/    /' "$tmp/out" >&2
fi

# ---- malformed cases: refused with status 2 and a message that says what is wrong ----
# refused NAME MESSAGE: run.sh must exit 2 and print MESSAGE (a fixed string) on stderr
refused() {
    sh "$here/run.sh" "$stub" "$tmp/$1" >"$tmp/out" 2>&1
    status=$?
    if [ "$status" -ne 2 ] || ! grep -qF -- "$2" "$tmp/out"; then
        bad "$1: expected status 2 and '$2', got status $status:"
        sed 's/^/    /' "$tmp/out" >&2
    fi
}

newcase unknown-base 0
echo no-such-fixture >"$tmp/unknown-base/base"
refused unknown-base "golden unknown-base: unknown base 'no-such-fixture': there is no folder \
tests/golden/fixtures/no-such-fixture (fixtures: "

newcase remove-absent 0
echo small >"$tmp/remove-absent/base"
echo data/THA.csv >"$tmp/remove-absent/remove"
refused remove-absent "golden remove-absent: remove: data/THA.csv is not in base 'small'"

newcase stale-copy 0
echo small >"$tmp/stale-copy/base"
cp "$here/fixtures/small/framework.csv" "$tmp/stale-copy/"
refused stale-copy \
    "golden stale-copy: the same as in base 'small', delete from the case: framework.csv"

newcase remove-without-base 0
echo framework.csv >"$tmp/remove-without-base/remove"
refused remove-without-base "golden remove-without-base: a remove file needs a base"

if [ "$fails" -ne 0 ]; then
    echo "golden selftest: $fails FAILED" >&2
    exit 1
fi
echo "golden selftest: run.sh materialises base, remove and overlay, and refuses malformed cases"
exit 0
