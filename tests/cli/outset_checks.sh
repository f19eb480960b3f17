#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The result folder as one atomic, exclusive set (issue 15, docs/security.md "Atomic results"),
# attacked: (a) the folder equals its manifest.json after a full default run; (b) SIGKILL at
# random moments of a full run, many times, leaves the previous set byte for byte; (c) a run
# failing half-way (a file too large, no chart driver) leaves the previous set; (d) a second
# command into a folder being written fails at once, nothing interleaved; (e) a folder of the
# user's own files is refused and untouched; (f) symbolic links planted in and beside the
# folder are never written through; (g) a destination that is a link, the fallback without
# RENAME_EXCHANGE and its recovery; (h) every writing command writes one whole set; (i) the
# write-back of each file started before the commit's syncfs, and a failed one fails the run.
# Usage: outset_checks.sh CYMETRICS SRCDIR
set -u
CYM=$1
SRC=$2
. "$SRC/tests/cli/checklib.sh"
DS="$SRC/datasets/asean-japan"
P="$T/p" # the parent of the output folder
O="$P/out"
mkdir "$P" "$T/victim"
echo precious >"$T/victim/file"

# equal DIR: DIR holds exactly the files its manifest.json lists, with their sizes and
# SHA-256, and nothing else (no link, no other entry); prints what differs
equal() {
    python3 - "$1" <<'PY'
import hashlib, json, os, stat, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
want = {o["path"]: (o["bytes"], o["sha256"]) for o in m["outputs"]}
got, bad = {}, []
for root, dirs, files in os.walk(d):
    for n in dirs + files:
        p = os.path.join(root, n)
        rel = os.path.relpath(p, d)
        st = os.lstat(p)
        if stat.S_ISDIR(st.st_mode):
            continue
        if not stat.S_ISREG(st.st_mode):
            bad.append("not a regular file: " + rel)
        elif rel != "manifest.json":
            got[rel] = (st.st_size, hashlib.sha256(open(p, "rb").read()).hexdigest())
for rel in sorted(set(want) | set(got)):
    if want.get(rel) != got.get(rel):
        bad.append("%s: manifest %s, folder %s" % (rel, want.get(rel), got.get(rel)))
if not want:
    bad.append("the manifest lists no output")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}
# snap DIR FILE: every file of DIR (hidden ones too) with its hash, and every link
snap() { (cd "$1" && find . \( -type f -o -type l \) -exec sha256sum {} + 2>/dev/null | LC_ALL=C sort; find . -type l | LC_ALL=C sort) >"$2"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# beside DIR: the hidden entries the parent holds besides the folder, sorted, one line
beside() { ls -A "$P" | grep -v '^out$' | tr '\n' ' '; }

# (a) a full default run (charts, report): the folder is its manifest, nothing beside it
t0=$(now_ms)
"$CYM" run "$DS" --out "$O" -q </dev/null 2>"$T/err" || bad "(a) default run: $(cat "$T/err")"
run_ms=$(($(now_ms) - t0))
equal "$O" >"$T/diff" && ok || bad "(a) the folder is not its manifest: $(head -5 "$T/diff")"
[ -s "$O/report.html" ] && [ -s "$O/charts/ranking.png" ] && ok || bad "(a) no report or charts"
[ -z "$(beside)" ] && ok || bad "(a) left beside the folder: $(beside)"
grep -rqF ".stage-" "$O" && bad "(a) the staging folder's name is in an output" || ok
echo "a full default run: $run_ms ms"

# (b) SIGKILL at a random moment of a full run (uniform within 1.2 x the run time measured in
#     (a)), repeated until 40 kills or 30 s (at least 10 kills on a slow machine): each time
#     the folder is the previous set byte for byte (manifest.json the same file, every file as
#     it lists) or, for a run killed after its swap, that run's whole set; beside it at most
#     the killed run's stage and lock; a run that finished first is the new previous set, and
#     its delay the new window
cp "$O/manifest.json" "$T/prev"
kills=0
finished=0
late=0
iter=0
start=$(now_ms)
while [ "$kills" -lt 40 ] && { [ $(($(now_ms) - start)) -lt 30000 ] ||
    { [ "$kills" -lt 10 ] && [ $(($(now_ms) - start)) -lt 150000 ]; }; }; do
    iter=$((iter + 1))
    r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    delay_ms=$((r % (run_ms * 12 / 10 + 1)))
    "$CYM" run "$DS" --out "$O" -q </dev/null 2>/dev/null &
    pid=$!
    sleep "$(awk -v m="$delay_ms" 'BEGIN { printf "%.3f", m / 1000 }')"
    if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null
        kills=$((kills + 1))
        if cmp -s "$O/manifest.json" "$T/prev"; then
            ok
        elif equal "$O" >/dev/null; then
            # killed after its swap (removing the old set, or exiting: a while under ASan):
            # the folder is this run's whole set, the new previous one
            late=$((late + 1))
            cp "$O/manifest.json" "$T/prev"
            ok
        else
            bad "(b) kill $kills after $delay_ms ms: manifest.json changed, not a whole set"
        fi
    else
        wait "$pid"
        rc=$?
        [ "$rc" -eq 0 ] && ok || bad "(b) a run not killed exited $rc"
        finished=$((finished + 1))
        cp "$O/manifest.json" "$T/prev"
        # the machine got faster than in (a) (it is shared): the window shrinks to this run
        run_ms=$((delay_ms * 10 / 12 + 1))
    fi
    equal "$O" >"$T/diff" && ok ||
        bad "(b) after $delay_ms ms the folder is not the previous set: $(head -5 "$T/diff")"
    for e in $(beside); do
        case "$e" in
        .out.stage-[0-9]* | .out.lock) ;;
        *) bad "(b) after $delay_ms ms, beside the folder: $e" ;;
        esac
    done
done
echo "SIGKILL: $kills runs killed at random moments ($late after their swap), $finished finished first, in $(($(now_ms) - start)) ms"
[ "$kills" -ge 10 ] && ok || bad "(b) only $kills runs killed"
# the next run cleans the stages the killed runs left
"$CYM" run "$DS" --out "$O" --charts none --report off -q </dev/null || bad "(b) run after the kills failed"
[ -z "$(beside)" ] && ok || bad "(b) stale stages not cleaned: $(beside)"
equal "$O" >"$T/diff" && ok || bad "(b) after the kills: $(head -5 "$T/diff")"

# (c) a run failing half-way leaves the previous set: a file larger than RLIMIT_FSIZE (after
#     the tables, at the report: EFBIG, "File too large"), and no chart driver at all
snap "$O" "$T/before"
sh -c 'ulimit -f 2048; trap "" XFSZ; exec "$@"' sh "$CYM" run "$DS" --out "$O" -q </dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "(c) a file too large: exit $rc, expected 3 ($(cat "$T/err"))"
grep -q "File too large" "$T/err" && ok || bad "(c) a file too large: $(cat "$T/err")"
snap "$O" "$T/after"
cmp -s "$T/before" "$T/after" && ok || bad "(c) a run failing at a file too large changed the folder"
[ -z "$(beside)" ] && ok || bad "(c) a failed run left beside the folder: $(beside)"
mkdir "$T/nodrv"
PLPLOT_DRV_DIR="$T/nodrv" timeout 60 "$CYM" run "$DS" --out "$O" -q </dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "(c) no chart driver: exit $rc, expected 3"
snap "$O" "$T/after"
cmp -s "$T/before" "$T/after" && ok || bad "(c) a run whose charts failed changed the folder"
[ -z "$(beside)" ] && ok || bad "(c) a failed run left beside the folder: $(beside)"

# (d) two commands into one folder: the second, started while the first holds the lock, fails
#     at once (exit 3, the lock named) and writes nothing; the first commits its whole set
"$CYM" run "$DS" --out "$O" -q </dev/null 2>"$T/err1" &
pid=$!
n=0
while [ ! -e "$P/.out.lock" ] && [ $n -lt 500 ]; do
    sleep 0.01
    n=$((n + 1))
done
t0=$(now_ms)
"$CYM" trends "$DS" --out "$O" -q </dev/null 2>"$T/err2"
rc2=$?
t2=$(($(now_ms) - t0))
wait $pid
rc1=$?
[ "$rc1" -eq 0 ] && ok || bad "(d) the first run: exit $rc1 ($(cat "$T/err1"))"
[ "$rc2" -eq 3 ] && ok || bad "(d) the second command: exit $rc2, expected 3 ($(cat "$T/err2"))"
grep -q "another cymetrics command is writing into this folder (it holds $P/.out.lock)" \
    "$T/err2" && ok || bad "(d) message: $(cat "$T/err2")"
[ "$t2" -lt 2000 ] && ok || bad "(d) the second command took $t2 ms to fail"
equal "$O" >"$T/diff" && ok || bad "(d) the folder: $(head -5 "$T/diff")"
[ -s "$O/report.html" ] && [ ! -e "$O/yoy.csv.x" ] && ok || bad "(d) not the first run's set"
[ -z "$(beside)" ] && ok || bad "(d) left beside: $(beside)"

# (e) a folder of the user's own files (and one with someone else's manifest.json, and a
#     file) is refused before any work, exit 2, and left as it was; nothing made beside it
mkdir -p "$T/u/mine/sub" "$T/u/npm"
echo "notes" >"$T/u/mine/notes.txt"
echo "x" >"$T/u/mine/sub/y"
echo '{"name": "left-pad"}' >"$T/u/npm/manifest.json"
mkdir "$T/u/fork"
printf '{\n  "program": "cymetrics-fork",\n  "version": "1"\n}\n' >"$T/u/fork/manifest.json"
echo "a file" >"$T/u/file"
for d in mine npm fork file; do
    snap "$T/u" "$T/before"
    "$CYM" run "$DS" --out "$T/u/$d" -q </dev/null 2>"$T/err"
    rc=$?
    [ "$rc" -eq 2 ] && ok || bad "(e) $d: exit $rc, expected 2 ($(cat "$T/err"))"
    grep -q "$T/u/$d: the output folder" "$T/err" && ok || bad "(e) $d: message: $(cat "$T/err")"
    snap "$T/u" "$T/after"
    cmp -s "$T/before" "$T/after" && ok || bad "(e) $d was changed"
    [ "$(ls -A "$T/u" | tr '\n' ' ')" = "file fork mine npm " ] && ok ||
        bad "(e) $d: left beside: $(ls -A "$T/u")"
done
# an earlier set whose manifest.json another tool rewrote (minified) is still one
mkdir "$T/u/mini"
printf '{"program":"cymetrics","outputs":[]}' >"$T/u/mini/manifest.json"
"$CYM" audit "$DS" --out "$T/u/mini" -q </dev/null && equal "$T/u/mini" >/dev/null && ok ||
    bad "(e) an earlier set with a minified manifest.json was refused"
# an empty folder is used
mkdir "$T/u/empty"
"$CYM" trends "$DS" --out "$T/u/empty" -q </dev/null && equal "$T/u/empty" >/dev/null && ok ||
    bad "(e) an empty folder was not used"

# (f) links planted in the earlier set (charts/, audit/, an edition-* folder, scores.csv) and
#     beside it (named like a stage) are removed, never followed: the victim stays as it was
rm -rf "$O/charts" "$O/audit"
ln -s "$T/victim" "$O/charts"
ln -s "$T/victim" "$O/audit"
ln -s "$T/victim" "$O/edition-x"
rm "$O/scores.csv" && ln -s "$T/victim/file" "$O/scores.csv"
ln -s "$T/victim" "$P/.out.stage-12345"
"$CYM" run "$DS" --out "$O" -q </dev/null 2>"$T/err" || bad "(f) run over planted links: $(cat "$T/err")"
[ "$(ls -A "$T/victim")" = file ] && [ "$(cat "$T/victim/file")" = precious ] && ok ||
    bad "(f) written through a planted link: $(ls -A "$T/victim")"
[ -d "$O/charts" ] && [ ! -L "$O/charts" ] && [ ! -L "$O/audit" ] && [ ! -e "$O/edition-x" ] &&
    [ ! -L "$O/scores.csv" ] && ok || bad "(f) a planted link survived"
equal "$O" >"$T/diff" && ok || bad "(f) the folder: $(head -5 "$T/diff")"
[ -z "$(beside)" ] && ok || bad "(f) left beside: $(beside)"

# the earlier set's own folders, deep and full (more files than the threads that remove them
# at once, more folders than are walked before their files go, a link to a folder and a FIFO
# inside): all of it goes, nothing it points to
mkdir -p "$O/extra/a/b/c"
for d in extra extra/a extra/a/b extra/a/b/c; do
    for i in $(seq 30); do echo "$i" >"$O/$d/f$i.csv"; done
done
for i in $(seq 70); do mkdir "$O/extra/a/d$i" && echo "$i" >"$O/extra/a/d$i/f.csv"; done
ln -s "$T/victim" "$O/extra/a/victim-link"
mkfifo "$O/extra/a/b/fifo"
"$CYM" run "$DS" --out "$O" --charts none -q </dev/null 2>"$T/err" ||
    bad "(f) run over a deep earlier set: $(cat "$T/err")"
[ ! -e "$O/extra" ] && [ -z "$(beside)" ] && ok || bad "(f) the deep earlier set: $(ls -A "$O" | head -3), beside: $(beside)"
[ "$(ls -A "$T/victim")" = file ] && [ "$(cat "$T/victim/file")" = precious ] && ok ||
    bad "(f) removed through a link: $(ls -A "$T/victim")"

# (g) a destination that is a link to a folder: the folder gets the set, the link stays
mkdir "$T/real"
ln -s "$T/real" "$T/link"
"$CYM" audit "$DS" --out "$T/link" -q </dev/null 2>"$T/err" || bad "(g) run into a link: $(cat "$T/err")"
[ -L "$T/link" ] && [ -s "$T/real/audit/cronbach.csv" ] && equal "$T/real" >/dev/null && ok ||
    bad "(g) a destination link: $(ls -la "$T")"
# without RENAME_EXCHANGE (the test hook makes renameat2 fail with EINVAL): two renames,
# nothing left behind
CYMETRICS_TEST_NO_EXCHANGE=1 "$CYM" run "$DS" --out "$O" --charts none -q </dev/null 2>"$T/err" ||
    bad "(g) the fallback swap: $(cat "$T/err")"
equal "$O" >"$T/diff" && [ ! -e "$O/charts" ] && ok || bad "(g) fallback: $(head -5 "$T/diff")"
[ -z "$(beside)" ] && ok || bad "(g) fallback left beside: $(beside)"
# a fallback killed between its renames (the folder under .out.old-PID, no folder): the next
# command puts it back, even one that fails
snap "$O" "$T/before"
mv "$O" "$P/.out.old-4242"
PLPLOT_DRV_DIR="$T/nodrv" timeout 60 "$CYM" run "$DS" --out "$O" -q </dev/null 2>/dev/null
snap "$O" "$T/after"
cmp -s "$T/before" "$T/after" && ok || bad "(g) the set of a killed fallback was not put back"
[ -z "$(beside)" ] && ok || bad "(g) recovery left beside: $(beside)"

# (h) every writing command writes one whole set: its own files and manifest.json, nothing of
#     the set before it
for c in "audit" "trends" "compare:JPN SGP" "report" "chart:ranking" "target:VNM" \
    "uncertainty:--runs 40 --weight-noise 0.2"; do
    cmd=${c%%:*}
    args=""
    [ "$cmd" != "$c" ] && args=${c#*:}
    case $cmd in
    chart) "$CYM" chart $args "$DS" --out "$O" -q </dev/null 2>"$T/err" ;;
    target) "$CYM" target $args "$DS" --out "$O" -q </dev/null 2>"$T/err" ;;
    *) "$CYM" "$cmd" "$DS" $args --out "$O" -q </dev/null >/dev/null 2>"$T/err" ;;
    esac
    rc=$?
    [ "$rc" -eq 0 ] && ok || bad "(h) $cmd: exit $rc ($(cat "$T/err"))"
    equal "$O" >"$T/diff" && ok || bad "(h) $cmd: $(head -5 "$T/diff")"
    [ ! -e "$O/scores.csv" ] && ok || bad "(h) $cmd: scores.csv of an earlier set is still there"
    [ -z "$(beside)" ] && ok || bad "(h) $cmd: left beside: $(beside)"
done
"$CYM" run "$SRC/tests/data/editions" --out "$O" -q </dev/null 2>"$T/err" ||
    bad "(h) run with editions: $(cat "$T/err")"
equal "$O" >"$T/diff" && ls -d "$O"/edition-* >/dev/null 2>&1 && ok ||
    bad "(h) editions: $(head -5 "$T/diff")"


# (i) the write-back of every file the run wrote itself is started (sync_file_range) by the
#     set's thread before the commit's one syncfs (strace -y names the file of each
#     descriptor; where strace can trace), for files of 1 MiB or more: none here, unless the
#     test hook CYMETRICS_TEST_WRITEBACK_MIN=0 lowers the size to 0; a failed write-back (the
#     hook CYMETRICS_TEST_WRITEBACK_FAIL: EIO) fails the run as a failed syncfs does: exit 3,
#     the error named, the previous set untouched, nothing left beside it
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    traced() { # traced TRACE [VAR=VALUE]: the minimal run under strace, its calls into TRACE
        trace=$1
        shift
        env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@" strace -f -y \
            -e trace=sync_file_range,syncfs -o "$trace" "$CYM" run "$DS" --out "$O" \
            --charts none --tables none --report off -q </dev/null 2>"$T/err" ||
            bad "(i) the traced run $*: $(tail -3 "$T/err")"
    }
    traced "$T/sys-default.txt"
    traced "$T/sys-0.txt" CYMETRICS_TEST_WRITEBACK_MIN=0
    n=$(grep -c 'sync_file_range(' "$T/sys-default.txt")
    [ "$n" = 0 ] && ok || bad "(i) $n files under 1 MiB written back early"
    python3 - "$O" "$T/sys-0.txt" >"$T/diff" <<'PY' && ok || bad "(i) write-back: $(head -5 "$T/diff")"
import json, os, re, sys
out, trace = sys.argv[1], open(sys.argv[2]).read().splitlines()
want = {o["path"] for o in json.load(open(os.path.join(out, "manifest.json")))["outputs"]}
want.add("manifest.json")
started, bad = set(), []
syncfs = [i for i, l in enumerate(trace) if " syncfs(" in l]
if len(syncfs) != 1:
    bad.append("%d syncfs calls, not 1" % len(syncfs))
for i, l in enumerate(trace):
    m = re.search(r"sync_file_range\(\d+<(.*?)>, 0, 0, SYNC_FILE_RANGE_WRITE\) = 0", l)
    if not m:
        continue
    if syncfs and i > syncfs[0]:
        bad.append("after the syncfs: " + l)
    # <parent>/.out.stage-PID/[sub/].NAME.tmp-PID -> [sub/]NAME
    rel = re.sub(r"^.*?/\.out\.stage-\d+/", "", m.group(1))
    rel = re.sub(r"(^|/)\.([^/]*)\.tmp-\d+$", r"\1\2", rel)
    started.add(rel)
bad += ["no write-back started for " + p for p in sorted(want - started)]
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
fi
snap "$O" "$T/before"
CYMETRICS_TEST_WRITEBACK_MIN=0 CYMETRICS_TEST_WRITEBACK_FAIL=1 "$CYM" run "$DS" --out "$O" \
    --charts none -q </dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 3 ] && grep -q "cannot write: Input/output error" "$T/err" && ok ||
    bad "(i) a failed write-back: exit $rc, expected 3 ($(cat "$T/err"))"
snap "$O" "$T/after"
cmp -s "$T/before" "$T/after" && ok || bad "(i) a run whose write-back failed changed the folder"
[ -z "$(beside)" ] && ok || bad "(i) a failed write-back left beside the folder: $(beside)"

# (j) a large file's pages leave the page cache as it is written: each time the test hook's
#     CYMETRICS_TEST_RECYCLE bytes (32 MiB without it) more are written, their write-back is
#     begun and the part before them dropped (fadvise DONTNEED), before the file is closed;
#     none on the small files of the bundled dataset without the hook; the folder is still
#     its manifest, byte for byte
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    for hook in "" 4096; do
        env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            ${hook:+CYMETRICS_TEST_RECYCLE=$hook} strace -f -y -e trace=fadvise64,close \
            -o "$T/rec.txt" "$CYM" run "$DS" --out "$O" --charts none --tables none \
            --report off -q </dev/null 2>"$T/err" || bad "(j) the traced run: $(tail -3 "$T/err")"
        equal "$O" >"$T/diff" && ok || bad "(j) recycled: $(head -5 "$T/diff")"
        n=$(grep -c 'POSIX_FADV_DONTNEED' "$T/rec.txt")
        if [ -z "$hook" ]; then
            [ "$n" = 0 ] && ok || bad "(j) $n parts of small files dropped"
        else
            # data.csv (about 12 KB here): parts dropped, each before the file's close
            python3 - "$T/rec.txt" >"$T/diff" <<'PY' && ok || bad "(j) $(head -3 "$T/diff")"
import re, sys
lines = open(sys.argv[1]).read().splitlines()
drops = [i for i, l in enumerate(lines) if re.search(r"fadvise64\(\d+<[^>]*/\.data\.csv\.tmp-\d+>, \d+, 4096, POSIX_FADV_DONTNEED\) = 0", l)]
close = [i for i, l in enumerate(lines) if re.search(r"close\(\d+<[^>]*/\.data\.csv\.tmp-\d+>\)", l)]
bad = []
if len(drops) < 2:
    bad.append("data.csv: %d parts dropped, not 2 or more" % len(drops))
elif not close or drops[-1] > close[-1]:
    bad.append("data.csv: a part dropped after its close")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
        fi
    done
fi

finish
