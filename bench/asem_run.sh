#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The default ASEM run (every output, PNG charts; docs/performance.md, "The whole folder"),
# against a reference build in the same script run, the two alternated so that both see the
# same load: wall time and CPU time (user + system of the process and its drawing processes),
# best and median of RUNS runs (default 3), and the split CYMETRICS_TIMING prints for the
# best run of each. The load average is printed before and after.
# Usage: bench/asem_run.sh [BUILD_DIR [REFERENCE_BUILD_DIR [RUNS]]] (default build). A
# reference build is a folder with its cymetrics and its plugins (cymetrics-*.so), e.g.
#   git worktree add --detach /tmp/ref main && cmake -S /tmp/ref -B /tmp/ref/build \
#       -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build /tmp/ref/build -j2
#   bench/asem_run.sh build /tmp/ref/build
# Extra options for the run (e.g. --report off) go in ARGS.
set -eu
BUILD=${1:-build}
REF=${2:-}
RUNS=${3:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$BUILD/bench
mkdir -p "$WORK"
[ -d "$WORK/asem" ] || "$BUILD/cymetrics" import-coinr "$ROOT/tests/data/asem/iData.csv" \
    "$ROOT/tests/data/asem/iMeta.csv" --out "$WORK/asem" >/dev/null
# output folders of earlier versions may not be result sets: start afresh
rm -rf "$WORK/out-asem-run" "$WORK/out-asem-ref"
OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive} python3 - "$RUNS" "$WORK" "${ARGS:-}" "$BUILD" \
    ${REF:+"$REF"} <<'EOF'
import os, resource, subprocess, sys, time
runs, work, args, builds = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(), sys.argv[4:]
print("machine: %d cores; load average: %s" % (os.cpu_count(), open("/proc/loadavg").read()[:14]))
seen = {b: [] for b in builds}
for _ in range(runs):
    for k, b in enumerate(builds):
        out = os.path.join(work, "out-asem-run" if k == 0 else "out-asem-ref")
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        p = subprocess.run([os.path.join(b, "cymetrics"), "run", os.path.join(work, "asem"),
                            "--out", out, "-q"] + args, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, env=dict(os.environ, CYMETRICS_TIMING="1"))
        wall = time.monotonic() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
        seen[b].append((wall, cpu, p.stderr.decode().strip().splitlines()[-1]))
for b in builds:
    w = sorted(x[0] for x in seen[b])
    c = sorted(x[1] for x in seen[b])
    print("%-40s wall %.3f s (median %.3f), CPU %.3f s (median %.3f)"
          % (b, w[0], w[len(w) // 2], c[0], c[len(c) // 2]))
    print("    %s" % min(seen[b])[2])
print("load average after: %s" % open("/proc/loadavg").read()[:14])
EOF
