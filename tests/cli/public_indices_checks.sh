#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks of the public-indices dataset (issue 20): scripts/public-indices.py rerun into a
# temporary folder reproduces the committed dataset byte for byte; `cymetrics run` on it
# succeeds with exactly the warnings README.md explains; and its dense ranks of the GCI 2018
# and 2020 scores are the ranks ITU published, for every country (read from the source files
# in datasets/public-indices/sources/, which the conversion does not touch); the charts join
# the lines across 2019, the year without a GCI edition; the joined tables.md has the ASEAN
# members and Japan across the editions.
# Usage: public_indices_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
DS="$SRC/datasets/public-indices"
. "$(dirname "$0")/checklib.sh"
command -v python3 >/dev/null 2>&1 || { echo "python3 missing: skipped"; exit 77; }

# --- the conversion reproduces the committed dataset ---------------------------------------
if python3 "$SRC/scripts/public-indices.py" "$DS/sources" "$T/conv"; then
    ok
    (cd "$T/conv" && find . -type f | sort) > "$T/generated"
    while IFS= read -r f; do
        if cmp -s "$T/conv/$f" "$DS/$f"; then ok; else bad "conversion: $f differs"; fi
    done < "$T/generated"
    # no committed data file the script no longer writes
    (cd "$DS" && find . -maxdepth 1 -name '*.csv' | sort) > "$T/committed"
    grep '^\./[^/]*\.csv$' "$T/generated" > "$T/generated_top"
    if cmp -s "$T/committed" "$T/generated_top"; then ok
    else bad "conversion: stale or missing files"; diff "$T/committed" "$T/generated_top"; fi
else
    bad "scripts/public-indices.py failed"
fi

# --- the run succeeds, with the warnings README.md explains, and nothing else --------------
if "$CYM" run "$DS" --out "$T/out" --charts none --report off > "$T/stdout" 2> "$T/stderr"; then
    ok
else
    bad "run failed: $(cat "$T/stderr")"
fi
cat > "$T/warnings.expected" <<'W'
edition break at 2018: 2017 (frameworks/gci-2017.csv) -> 2018-2019 (frameworks/gci-2018.csv); trends across it on the percentile basis
edition break at 2020: 2018-2019 (frameworks/gci-2018.csv) -> 2020- (frameworks/gci-2020.csv); trends across it on the percentile basis
scale change at 2020: GCI.SCORE (2018-2019, largest 1) -> GCI.SCORE (2020-, largest 100), old values x 100 (frameworks/crosswalk.csv:2)
indicator NCSI is new in 2020- (not in 2018-2019)
indicator NCSI.2021 is new in 2020- (not in 2018-2019)
indicator NCSI.2022 is new in 2020- (not in 2018-2019)
indicator DDL is new in 2020- (not in 2018-2019)
indicator CEI is new in 2020- (not in 2018-2019)
edition 2018-2019: country PLW (Palau) has no data
edition 2018-2019: country PLW has no data in 2018-2018
edition 2020-: country PLW (Palau) has no data
edition 2020-: country PLW has no data in 2020-2020
W
# the paths in the warnings are as given on the command line: keep what follows the dataset
sed "s|$DS/||g" "$T/out/warnings.txt" > "$T/warnings"
if cmp -s "$T/warnings" "$T/warnings.expected"; then ok
else bad "warnings differ from README.md's list"; diff "$T/warnings.expected" "$T/warnings"; fi

# --- the published GCI ranks, for every country -----------------------------------------------
# ITU ranks are dense; Bangladesh has no 2020 rank in the source (its score is from a second
# copy) and is expected at 53, where the source README's reconstruction puts it
if python3 - "$T/out/scores.csv" "$DS/sources" <<'PY'
import csv, os, sys
scores, src = sys.argv[1], sys.argv[2]
rank = {}
for r in csv.DictReader(open(scores)):
    if r["code"] == "GCI":
        rank[(r["country"], int(r["year"]))] = r["rank"]
fails = 0
for year, name, expected_n in ((2018, "gci2018_global.csv", 194), (2020, "gci2020_global.csv", 194)):
    n = 0
    for r in csv.DictReader(open(os.path.join(src, name))):
        want = r["rank_published"] or {"BGD": "53"}.get(r["country_iso3"])
        got = rank.get((r["country_iso3"], year))
        n += 1
        if got != want:
            print("FAIL: GCI %d %s: rank %s, published %s" % (year, r["country_iso3"], got, want))
            fails += 1
    if n != expected_n:
        print("FAIL: GCI %d: %d countries in the source, expected %d" % (year, n, expected_n))
        fails += 1
sys.exit(1 if fails else 0)
PY
then ok; else bad "published GCI ranks not reproduced"; fi

# the same with competition ranks (the engine's default) would not reproduce them: the check
# above tests the dataset's rank-ties setting, not a tautology
"$CYM" run "$DS" --out "$T/min" --charts none --report off --rank-ties min > /dev/null 2>&1
if [ "$(grep -c '^GBR,2020,GCI,.*,2,1,2020-$' "$T/min/scores.csv")" = 1 ] &&
   [ "$(grep -c '^EST,2020,GCI,.*,4,1,2020-$' "$T/min/scores.csv")" = 1 ]; then ok
else bad "competition ranks of 2020: expected GBR 2 and EST 4"; fi

# --- the empty year 2019 (no GCI edition) does not break the lines of the charts ------------
# Japan, the only highlighted country, is drawn in the first colour of the palette (Okabe-Ito
# blue #0072B2): its line of the trends chart joins 2017, 2018 and 2020 (three points), and
# the bump chart has its segments 2017-2018 and 2018-2020 (two)
"$CYM" run "$DS" --out "$T/svg" --charts svg --report off --tables none --highlight JPN \
    > /dev/null 2>&1
jpn_lines() {
    grep 'fill:none;[^"]*stroke:rgb(0%,44.705882%,69.803922%)' "$1" | grep -o 'd="[^"]*"'
}
if [ "$(jpn_lines "$T/svg/charts/trends.svg" | grep -c '^d="M [0-9. ]*L [0-9. ]*L [0-9. ]*"$')" = 1 ]
then ok; else bad "trends chart: Japan's line does not join 2017, 2018 and 2020"; fi
if [ "$(jpn_lines "$T/svg/charts/bump.svg" | wc -l)" = 2 ]; then ok
else bad "bump chart: Japan's line has not two segments"; fi

# --- the joined folder's tables.md: the ASEAN members and Japan across the editions ----------
# recomputed here from the source files: the score on 0-100, the dense rank, the percentile
# 100 * (countries strictly lower) / (n - 1), in the ASEAN table's order (the 2020 percentile
# rank, then code) and Japan's table
"$CYM" run "$DS" --out "$T/md" --charts none --report off --tables md > /dev/null 2>&1
if python3 - "$T/md/tables.md" "$DS/sources" <<'PY'
import csv, os, sys
md, src = sys.argv[1], sys.argv[2]
files = ((2017, "gci2017_global.csv", "score_0_1", 100), (2018, "gci2018_global.csv", "score_0_1", 100),
         (2020, "gci2020_global.csv", "score_0_100", 1))
cols, lower20 = {}, {}
for year, name, col, scale in files:
    sc = {}
    for r in csv.DictReader(open(os.path.join(src, name))):
        v = r[col] or r.get("score_kaggle_copy", "")
        sc[r["country_iso3"]] = float(v) * scale
    levels = sorted(set(sc.values()), reverse=True)
    n = len(sc)
    for c, v in sc.items():
        lower = sum(1 for w in sc.values() if w < v)
        if year == 2020:
            lower20[c] = lower
        cols.setdefault(c, []).extend(["%.2f" % v, str(levels.index(v) + 1), "%.0f" % (100.0 * lower / (n - 1))])
names = {r["code"]: r["name"] for r in csv.DictReader(open(os.path.join(src, "..", "countries.csv")))}
asean = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]
asean.sort(key=lambda c: (-lower20[c], c))
want = ["| %s | %s | %s | %s |" % (c, names[c], "Japan" if c == "JPN" else "ASEAN", " | ".join(cols[c]))
        for c in asean + ["JPN"]]
lines = open(md, encoding="utf-8").read().split("\n")
start = lines.index("## The index across editions, by group")
got = [l for l in lines[start:start + 20] if l.startswith("| ") and not l.startswith("| Code")
       and not l.startswith("| ---")]
if got != want:
    print("\n".join(["expected:"] + want + ["got:"] + got))
    sys.exit(1)
PY
then ok; else bad "tables.md across editions: the ASEAN and Japan rows differ"; fi

# --- the joined folder's report ----------------------------------------------------------------
# the whole run as `cymetrics run` makes it (charts in SVG to read them back), twice
for o in rep rep2; do
    "$CYM" run "$DS" --out "$T/$o" --charts svg > "$T/$o.stdout" 2> "$T/$o.stderr" ||
        bad "run with report and charts failed: $(cat "$T/$o.stderr")"
done
sed 's/^/cymetrics: warning: /' "$T/warnings.expected" > "$T/stderr.expected"
sed "s|$DS/||g" "$T/rep.stderr" > "$T/stderr.got"
if cmp -s "$T/stderr.got" "$T/stderr.expected"; then ok
else bad "run with report and charts: stderr is not README.md's warnings"; diff "$T/stderr.expected" "$T/stderr.got"; fi
for f in report.md report.html; do
    if [ -s "$T/rep/$f" ] && cmp -s "$T/rep/$f" "$T/rep2/$f"; then ok
    else bad "joined folder: $f missing or not the same bytes on a second run"; fi
done
if python3 - "$T/rep" "$DS" <<'PY'
import csv, os, sys
out, ds = sys.argv[1], sys.argv[2]
src = os.path.join(ds, "sources")
md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
fails = []
names = {r["code"]: r["name"] for r in csv.DictReader(open(os.path.join(ds, "countries.csv"), encoding="utf-8"))}
focus = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "JPN"]

def dense(values):
    """dense ranks (1, 2, 2, 3) of {code: value}, higher first, as ITU ranks"""
    levels = sorted(set(values.values()), reverse=True)
    return {c: levels.index(v) + 1 for c, v in values.items()}

def table(title):
    """the rows of the Markdown table under the heading `### title`: {code: {column: text}}"""
    lines = md.split("\n")
    i = lines.index("### " + title)
    while not lines[i].startswith("| Code"):
        i += 1
    head = [h.strip() for h in lines[i].strip("|").split("|")]
    rows = {}
    for l in lines[i + 2:]:
        if not l.startswith("| "):
            break
        cells = [c.strip() for c in l.strip("|").split("|")]
        rows[cells[0]] = dict(zip(head, cells))
    return head, rows

def number(text):
    return float(text.replace("\u2212", "-").replace("\u25b2", "").replace("\u25bc", ""))

# the published GCI scores per edition on 0-100, their dense ranks and percentiles
gci = {}
for year, name, col, scale in ((2017, "gci2017_global.csv", "score_0_1", 100),
                               (2018, "gci2018_global.csv", "score_0_1", 100),
                               (2020, "gci2020_global.csv", "score_0_100", 1)):
    sc = {r["country_iso3"]: float(r[col] or r["score_kaggle_copy"]) * scale
          for r in csv.DictReader(open(os.path.join(src, name), encoding="utf-8"))}
    n = len(sc)
    pct = {c: 100.0 * sum(1 for w in sc.values() if w < v) / (n - 1) for c, v in sc.items()}
    gci[year] = (sc, dense(sc), pct)
head, rows = table("Published ranks per edition, by group")
for c in focus:
    r = rows.get(c)
    if not r or r["Country"] != names[c]:
        fails.append("ranks: %s (%s) missing" % (c, names[c]))
        continue
    for year, (sc, rk, _) in gci.items():
        want = ("%.2f" % sc[c], str(rk[c]))
        got = (r["%d score" % year], r["%d rank" % year])
        if got != want:
            fails.append("ranks: %s %d: %s, expected %s" % (c, year, got, want))
# movement on the percentile basis: each edition's percentile, the change between editions
head, rows = table("Movement across editions on the percentile basis")
for c in focus:
    r = rows.get(c)
    if not r:
        fails.append("movement: %s missing" % c)
        continue
    for year in gci:
        if r["%d percentile" % year] != "%.0f" % gci[year][2][c]:
            fails.append("movement: %s %d percentile %s" % (c, year, r["%d percentile" % year]))
    for a, b in ((2017, 2018), (2018, 2020), (2017, 2020)):
        want = gci[b][2][c] - gci[a][2][c]
        got = r["%d\u2192%d" % (a, b)]
        arrow = "\u25b2" if round(want, 2) > 0 else "\u25bc" if round(want, 2) < 0 else ""
        if abs(number(got) - want) > 0.005 + 1e-9 or not got.endswith(arrow):
            fails.append("movement: %s %d-%d: %s, expected %.4f" % (c, a, b, got, want))
# the NCSI per snapshot: the score and its dense rank among the snapshot's countries
series = {"ega_xlsx_2021": "NCSI", "mbelinsky_2021": "NCSI.2021", "kaggle_c2022": "NCSI.2022"}
snap = {}
for r in csv.DictReader(open(os.path.join(src, "ncsi_global_snapshots.csv"), encoding="utf-8")):
    snap.setdefault(r["snapshot_id"], {})[r["country_iso3"]] = float(r["ncsi_score"])
head, rows = table("Beside the index: other indices in the newest edition")
for sid, code in series.items():
    sc = snap[sid]
    rk = dense(sc)
    col = "%s rank (of %d)" % (code, len(sc))
    if col not in head:
        fails.append("NCSI: no column '%s' in %s" % (col, head))
        continue
    for c in focus:
        r = rows.get(c, {})
        want = ("%.2f" % sc[c], str(rk[c])) if c in sc else ("\u2013", "\u2013")
        if (r.get(code), r.get(col)) != want:
            fails.append("NCSI %s %s: %s, expected %s" % (sid, c, (r.get(code), r.get(col)), want))
# the snapshots' dates, the caveat, the terms, the links to each edition's report
for text in ("24 May 2021 or earlier", "16 September 2021 or earlier", "undated snapshot of about 2022",
             "the raw scores are not compared", "questionnaire", "cite ITU",
             "cite the e-Governance Academy", "not official statistics"):
    if text not in md:
        fails.append("report.md does not say '%s'" % text)
for ed in ("2017", "2018-2019", "2020-"):
    for f, doc in (("report.md", md), ("report.html", html)):
        link = "edition-%s/%s" % (ed, f)
        if "(%s)" % link not in doc and 'href="%s"' % link not in doc:
            fails.append("%s does not link %s" % (f, link))
        if not os.path.isfile(os.path.join(out, link)):
            fails.append("%s missing" % link)
print("\n".join("FAIL: " + f for f in fails))
sys.exit(1 if fails else 0)
PY
then ok; else bad "joined folder's report: ranks, movement or NCSI positions differ from the sources"; fi

# every chart of the joined folder carries the source line: drawn again without a source, each
# has fewer glyphs, at least one fewer for each visible character of "Source: ..." (cairo's
# SVG draws every glyph as a <use>); the report embeds those same charts
"$CYM" run "$DS" --out "$T/nosrc" --charts svg --tables none --report off --source "" \
    > /dev/null 2>&1
src_line="Source: $(sed -n 's/^source = //p' "$DS/cymetrics.ini")"
visible=$(printf '%s' "$src_line" | tr -d ' ' | wc -m)
n_charts=0
for f in "$T/rep/charts/"*.svg; do
    n_charts=$((n_charts + 1))
    with=$(grep -o '<use ' "$f" | wc -l)
    without=$(grep -o '<use ' "$T/nosrc/charts/$(basename "$f")" | wc -l)
    if [ $((with - without)) -ge "$visible" ]; then ok
    else bad "$(basename "$f"): no source line ($with glyphs, $without without it, $visible expected more)"; fi
done
[ "$n_charts" = 2 ] && ok || bad "joined folder: $n_charts charts, expected trends and bump"
if python3 - "$T/rep" <<'PY'
import base64, os, re, sys
out = sys.argv[1]
html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
embedded = [base64.b64decode(b) for b in re.findall(r'src="data:image/svg\+xml;base64,([^"]*)"', html)]
files = [open(os.path.join(out, "charts", f), "rb").read() for f in ("trends.svg", "bump.svg")]
sys.exit(0 if embedded == files else 1)
PY
then ok; else bad "report.html does not embed the joined folder's trends and bump charts"; fi

# the joined report renders in headless Chromium when there is one (report_render.sh does the
# same for a run's report): the DOM reaches the footer with both charts, and no browser error
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -n "$browser" ]; then
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$T/profile" --enable-logging=stderr --v=0 --dump-dom \
        "file://$T/rep/report.html" > "$T/dom.html" 2> "$T/dom.err"
    if grep -q '<footer class="muted" id="end">' "$T/dom.html" &&
       [ "$(grep -o '<img ' "$T/dom.html" | wc -l)" = 2 ] &&
       ! grep -qE 'CONSOLE|Refused to|Failed to load resource|Uncaught|ERR_' "$T/dom.err"; then ok
    else bad "the joined report.html did not render in $browser: $(tail -n 3 "$T/dom.err")"; fi
fi

# any editions dataset: the two editions of tests/data/editions (one group of two countries,
# another of one, a basis other than percentile) get the joined report, with every section
"$CYM" run "$SRC/tests/data/editions" --out "$T/small" --charts none > /dev/null 2>&1
for h in "## Key findings" "## Published ranks per edition" "## Movement across editions" \
         "### Movement across editions on the common basis" "## The editions and their reports" \
         "[edition-2017-2019/report.md](edition-2017-2019/report.md)" "## Provenance and terms" \
         "## Warnings"; do
    if grep -qF -- "$h" "$T/small/report.md"; then ok
    else bad "small editions dataset: report.md has no '$h'"; fi
done
grep -q "^## Beside the index" "$T/small/report.md" && bad "small editions dataset: a 'beside' section without weight-0 series" || ok

finish
