#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Renders report.html of the bundled dataset in headless Chromium (issue 6) and checks that it
# loaded: the DOM reached the footer, every chart image decoded (naturalWidth > 0 cannot be
# read from --dump-dom, so the page is also printed to PDF, which needs every image), and the
# browser logged no console error, no blocked fetch (the page's Content-Security-Policy
# forbids every network fetch and script, so any attempt is logged) and no failed resource.
# Exits 77 (CTest SKIP_RETURN_CODE) with a message when Chromium is not installed
# (scripts/install-deps.sh --chromium; `make test` installs it).
# Usage: report_render.sh CYMETRICS SOURCE_DIR
set -u
CYM=$1
SRC=$2
BROWSER=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then
        BROWSER=$b
        break
    fi
done
if [ -z "$BROWSER" ]; then
    echo "SKIP: no Chromium (install it with scripts/install-deps.sh --chromium)"
    exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/cymrender.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$CYM" run "$SRC/datasets/asean-japan" --out "$T/out" --charts svg -q </dev/null || bad "run failed"
# --no-sandbox: CI runs as root; a profile of its own so no user setting interferes
run_browser() {
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$T/profile" --enable-logging=stderr --v=0 "$@" \
        "file://$T/out/report.html"
}
run_browser --dump-dom >"$T/dom.html" 2>"$T/dom.err"
rc=$?
[ "$rc" -eq 0 ] || bad "chromium --dump-dom exited $rc: $(tail -n 3 "$T/dom.err")"
grep -q '<footer class="muted" id="end">' "$T/dom.html" || bad "the DOM did not reach the footer"
grep -q 'id="profile-VNM"' "$T/dom.html" || bad "no profile in the rendered DOM"
n_img=$(grep -o '<img ' "$T/dom.html" | wc -l)
[ "$n_img" -eq 15 ] || bad "rendered $n_img images, expected 15 (4 charts and 11 profiles)"
run_browser --print-to-pdf="$T/report.pdf" --no-pdf-header-footer >/dev/null 2>"$T/pdf.err"
rc=$?
[ "$rc" -eq 0 ] && [ -s "$T/report.pdf" ] || bad "chromium --print-to-pdf failed ($rc): $(tail -n 3 "$T/pdf.err")"
head -c 5 "$T/report.pdf" 2>/dev/null | grep -q '%PDF-' || bad "the printed report is not a PDF"
# several pages (title page, sections, a page per profile in print)
pages=$(grep -a -c '/Type /Page$\|/Type /Page[^s]' "$T/report.pdf" 2>/dev/null || echo 0)
[ "$pages" -ge 12 ] || bad "the printed report has $pages pages, expected 12 or more"
# console errors, CSP violations, failed loads (the dbus and GPU noise of a headless
# container is not about the page)
if grep -E 'CONSOLE|Refused to|Failed to load resource|Uncaught|ERR_' "$T/dom.err" "$T/pdf.err" \
    >"$T/errors"; then
    bad "the browser reported errors: $(head -n 5 "$T/errors")"
fi
if [ "$fails" -eq 0 ]; then
    echo "report.html rendered: $n_img images, $pages printed pages, no browser error"
fi
[ "$fails" -eq 0 ]
