#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The MPI build (issue 19, docs/scale.md), on the ASEM data: `uncertainty` (plain Monte Carlo
# with runs.csv, and Sobol) and `audit`'s remove-one give the same bytes under mpirun -np 1, 2
# and 3 as one process without mpirun, and as the build without MPI (SERIAL, when given); a
# rank killed or exiting in the middle of the job ends it with a non-zero exit, a message, and
# the output folder as it was; a command that cannot spread its work is refused on several
# ranks. Registered only with -DCYM_MPI=ON; the rank faults need -DCYM_MPI_FAULTS=ON.
# Usage: mpi_checks.sh CYMETRICS SRCDIR MPIEXEC FAULTS(ON|OFF) [SERIAL_CYMETRICS]
set -u
CYM=$1
SRC=$2
MPIEXEC=$3
FAULTS=$4
SERIAL=${5:-}
. "$(dirname "$0")/checklib.sh"

# several ranks on the 2 cores of a CI machine; as root in a container, Open MPI must be told
MPI="$MPIEXEC --oversubscribe"
[ "$(id -u)" -eq 0 ] && MPI="$MPI --allow-run-as-root"

"$CYM" import-coinr "$SRC/tests/data/asem/iData.csv" "$SRC/tests/data/asem/iMeta.csv" \
    --out "$T/asem" >/dev/null || { echo "import failed"; exit 1; }
# 777 runs: 4 batches of 256 replications (the last of 9), so 3 ranks each compute some;
# with --keep-runs rank 0 folds every batch in order (runs.csv), without (mcs, sobol) each rank
# folds its own and rank 0 adds the statistics up; Sobol: 120 x (5 + 2) = 840 rows, 4 batches
MC="--weight-noise 0.25 --alt-normalise minmax,rank --alt-aggregate arithmetic,geometric
 --range 1,100 --alt-treat none,winsorise --exclude-one on --seed 7 --threads 1 -q"

# runs one analysis into $T/<name>-<how>: how is "one" (no mpirun), "serial" (the build
# without MPI) or the number of ranks
analyse() {
    name=$1
    how=$2
    shift 2
    case $how in
    one) set -- "$CYM" "$@" ;;
    serial) set -- "$SERIAL" "$@" ;;
    *) set -- $MPI -np "$how" "$CYM" "$@" ;;
    esac
    "$@" --out "$T/$name-$how" >"$T/$name-$how.out" 2>"$T/$name-$how.err" ||
        { bad "$name ($how): exit $?"; cat "$T/$name-$how.err"; }
}

HOWS="one 1 2 3"
[ -n "$SERIAL" ] && HOWS="serial $HOWS"
for how in $HOWS; do
    # shellcheck disable=SC2086
    analyse mc "$how" uncertainty "$T/asem" $MC --runs 777 --keep-runs on
    # shellcheck disable=SC2086
    # one scale: the score statistics are written too
    analyse mcs "$how" uncertainty "$T/asem" --weight-noise 0.25 --exclude-one on --seed 9 \
        --threads 1 -q --runs 777
    # shellcheck disable=SC2086
    analyse sobol "$how" uncertainty "$T/asem" $MC --runs 120 --sobol countries
    analyse audit "$how" audit "$T/asem" --threads 1 -q
done

# 1. the same bytes, file by file (runs.csv in replication order included)
for name in mc mcs sobol audit; do
    (cd "$T/$name-one" && find . -type f | sort) >"$T/$name.files"
    [ -s "$T/$name.files" ] && ok || bad "$name: nothing written"
    for how in $HOWS; do
        [ "$how" = one ] && continue
        (cd "$T/$name-$how" && find . -type f | sort) | cmp -s - "$T/$name.files" && ok ||
            bad "$name ($how): not the same files as one process"
        while read -r f; do
            case $f in ./manifest.json) continue ;; esac # run times
            cmp -s "$T/$name-one/$f" "$T/$name-$how/$f" && ok ||
                bad "$name: $f differs between one process and $how"
        done <"$T/$name.files"
    done
done
[ "$(wc -l <"$T/mc-one/runs.csv")" -eq $((777 * 51 + 1)) ] && ok || bad "runs.csv rows"
awk -F, 'NR == 2 && $9 != "" { found = 1 } END { exit !found }' "$T/mcs-one/uncertainty.csv" &&
    ok || bad "mcs: no score mean in uncertainty.csv"
grep -q '^year,code,level,mean_abs_rank_change' "$T/audit-one/audit/remove_one.csv" &&
    [ "$(wc -l <"$T/audit-one/audit/remove_one.csv")" -gt 10 ] && ok ||
    bad "remove_one.csv is empty"
# rank 0 alone speaks: the summary once
[ "$(grep -c 'replications' "$T/mc-3.out")" -eq 0 ] && ok || bad "-q printed a summary"
# shellcheck disable=SC2086
$MPI -np 3 "$CYM" uncertainty "$T/asem" $(echo "$MC" | sed 's/ -q//') --runs 50 \
    --out "$T/talk" >"$T/talk.out" 2>&1 || bad "the summary run failed"
[ "$(grep -c '50 replications' "$T/talk.out")" -eq 1 ] && ok ||
    bad "the summary is not printed once: $(cat "$T/talk.out")"

# 2. a rank lost in the middle of the job: non-zero exit, a message, the previous set kept
if [ "$FAULTS" = ON ]; then
    cp -r "$T/mc-one" "$T/kept"
    # with runs.csv every batch goes to rank 0 (the rank dies after its first); without, each
    # rank sends its statistics at the end (it dies then)
    for fault in 1:kill,on 1:exit,on 2:kill,on 1:kill,off 2:exit,off; do
        # shellcheck disable=SC2086
        $MPI -np 3 -x CYM_MPI_FAULT=${fault%,*} "$CYM" uncertainty "$T/asem" $MC --runs 2000 \
            --keep-runs ${fault#*,} --seed 8 --out "$T/kept" >"$T/fault.out" 2>"$T/fault.err"
        rc=$?
        [ "$rc" -ne 0 ] && ok || bad "rank fault $fault: exit 0"
        [ -s "$T/fault.err" ] && ok || bad "rank fault $fault: no message"
        diff -r "$T/mc-one" "$T/kept" >/dev/null && ok ||
            bad "rank fault $fault: the output folder changed"
        # rank 0 is killed by mpirun like any killed run: at most its stage and lock beside the
        # folder (docs/security.md), which the next command into the folder removes
        left=$(find "$T" -maxdepth 1 \( -name '*.tmp*' -o -name '.kept*' \) \
            ! -name '.kept.stage-*' ! -name '.kept.lock' | head -3)
        [ -z "$left" ] && ok || bad "rank fault $fault: left beside the folder: $left"
    done
    # shellcheck disable=SC2086
    "$CYM" uncertainty "$T/asem" $MC --runs 50 --out "$T/kept" >/dev/null 2>&1 ||
        bad "a run after the faults failed"
    [ -z "$(find "$T" -maxdepth 1 -name '.kept*')" ] && ok ||
        bad "the next run left the killed runs' stages: $(find "$T" -maxdepth 1 -name '.kept*')"
fi

# 3. a command whose work is not spread: refused on several ranks, exit 2, nothing written
$MPI -np 2 "$CYM" run "$T/asem" --out "$T/run2" >/dev/null 2>"$T/run2.err"
rc=$?
[ "$rc" -eq 2 ] && ok || bad "run on 2 ranks: exit $rc, not 2"
grep -q 'only uncertainty and audit' "$T/run2.err" && ok || bad "run on 2 ranks: no message"
[ ! -e "$T/run2" ] && ok || bad "run on 2 ranks wrote $T/run2"
finish
