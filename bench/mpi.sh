#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Speed-up of the MPI build (docs/scale.md): `cymetrics uncertainty` on 1 and 2 ranks of one
# thread each, for 10,000 and 100,000 ASEM replications and 1,000 replications of the
# 200 x 100 x 20 set (bench/gen.c), and the audit's remove-one of that set. Wall time is the
# best of REPEAT runs (default 3), each configuration in turn so that a change of the
# machine's load falls on both; the load average is printed with each line.
# Usage: bench/mpi.sh [MPI_BUILD_DIR] (default build-mpi, configured with -DCYM_MPI=ON).
set -eu
BUILD=${1:-build-mpi}
REPEAT=${REPEAT:-3}
CYM=$BUILD/cymetrics
WORK=$BUILD/bench
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MPI="mpirun --oversubscribe --bind-to none"
[ "$(id -u)" -eq 0 ] && MPI="$MPI --allow-run-as-root"
mkdir -p "$WORK"
[ -d "$WORK/asem" ] || "$CYM" import-coinr "$ROOT/tests/data/asem/iData.csv" \
    "$ROOT/tests/data/asem/iMeta.csv" --out "$WORK/asem" >/dev/null
[ -d "$WORK/big" ] || "$BUILD/cym-gen" "$WORK/big" 200 100 20 1 >/dev/null

load() { cut -d' ' -f1 /proc/loadavg; }

# case NAME ARGS...: the best wall time of 1 and of 2 ranks, alternated
case_() {
    name=$1
    shift
    b1="" b2=""
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        for np in 1 2; do
            /usr/bin/time -f "%e" -o "$WORK/time.txt" $MPI -np $np "$CYM" "$@" \
                --out "$WORK/out-$np" -q >/dev/null 2>"$WORK/stderr.txt" ||
                { cat "$WORK/stderr.txt" >&2; exit 1; }
            t=$(tail -1 "$WORK/time.txt")
            if [ $np = 1 ]; then
                [ -z "$b1" ] || awk "BEGIN{exit !($t < $b1)}" && b1=$t
            else
                [ -z "$b2" ] || awk "BEGIN{exit !($t < $b2)}" && b2=$t
            fi
        done
        i=$((i + 1))
    done
    printf '%-52s 1 rank %7.2f s  2 ranks %7.2f s  speed-up %.2f  (load %s)\n' "$name" "$b1" \
        "$b2" "$(awk "BEGIN{print $b1 / $b2}")" "$(load)"
}

echo "machine: $(nproc) cores; best of $REPEAT; one OpenMP thread per rank"
F="--weight-noise 0.25 --alt-normalise minmax,zscore:10,2 --seed 1 --threads 1"
# shellcheck disable=SC2086
case_ "ASEM, 10,000 replications" uncertainty "$WORK/asem" $F --runs 10000
# shellcheck disable=SC2086
case_ "ASEM, 100,000 replications" uncertainty "$WORK/asem" $F --runs 100000
# shellcheck disable=SC2086
case_ "200 x 100 x 20, 1,000 replications" uncertainty "$WORK/big" $F --runs 1000
# shellcheck disable=SC2086
case_ "200 x 100 x 20, 10 replications (start-up)" uncertainty "$WORK/big" $F --runs 10
export OMP_NUM_THREADS=1 # the remove-one loop: one thread per rank
case_ "200 x 100 x 20, audit (remove-one)" audit "$WORK/big"
