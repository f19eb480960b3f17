#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmarks of the charts (docs/performance.md, "Charts"), in one run so that the ratios
# compare numbers taken under the same load:
#   1. a 51-bar ranking PNG (ASEM, 1600 x 2008 px): `cymetrics chart ranking`, the whole
#      process (load, pipeline, drawing, PNG), against ggplot2's ggsave of the same chart from
#      the same numbers (its sidecar ranking.csv) at the same size, timed inside R (R's start
#      and library(ggplot2) not counted). Skipped with a message without R or ggplot2
#      (Debian: apt-get install --no-install-recommends r-base-core r-cran-ggplot2).
#   2. the default ASEM run: every output, PNG charts.
#   3. 200 countries (cym-gen, 30 indicators, 6 years): a run with its charts (the 7 kinds
#      and the highlighted profiles: above 60 countries a run draws no other profile), and
#      the same run without charts.
#   4. the PNG settings (cym-bench-png) on the PNGs of the ASEM run.
# Usage: bench/charts.sh [BUILD_DIR [BEFORE_PLUGIN_DIR]] (default build). With
# BEFORE_PLUGIN_DIR, a folder holding another version's cymetrics-plot.so (e.g. main's, the
# same CYM_VERSION), the ranking PNG and the default ASEM run are measured with it too, in
# the same script run ("before" rows, CYM_PLUGIN_DIR). Times are the best of 3 runs: wall time,
# and in brackets the CPU time of the process and its children (on a shared machine the wall
# time grows with the load, the CPU time much less). The load average is printed before and
# after.
set -eu
OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
export OMP_WAIT_POLICY
BUILD=${1:-build}
BEFORE=${2:-}
CYM=$BUILD/cymetrics
WORK=$BUILD/bench
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK"
[ -d "$WORK/asem" ] || "$CYM" import-coinr "$ROOT/tests/data/asem/iData.csv" \
    "$ROOT/tests/data/asem/iMeta.csv" --out "$WORK/asem" >/dev/null
[ -d "$WORK/syn-200x30x6" ] || "$BUILD/cym-gen" "$WORK/syn-200x30x6" 200 30 6 >/dev/null

best_ms() { # runs command...: best wall time in ms (python3's clock, its start excluded)
    # and best CPU time (user + system of the command and its children): "WALL (CPU CPU)"
    runs=$1; shift
    python3 - "$runs" "$@" <<'EOF'
import resource, subprocess, sys, time
runs, cmd, best, cpu = int(sys.argv[1]), sys.argv[2:], None, None
for _ in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t = (time.monotonic() - t0) * 1000
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    c = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000
    best = t if best is None or t < best else best
    cpu = c if cpu is None or c < cpu else cpu
print("%.1f (CPU %.1f)" % (best, cpu))
EOF
}

# output folders of earlier versions may not be result sets: start afresh
rm -rf "$WORK/out-rank" "$WORK/out-rank-before" "$WORK/out-asem-before" "$WORK/out-asem-all" "$WORK/out-asem-all1" "$WORK/out-asem-none" \
    "$WORK/out-200" "$WORK/out-200n"

echo "machine: $(nproc) cores, $(uname -m); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. one ranking PNG
ours=$(best_ms 3 "$CYM" chart ranking "$WORK/asem" --out "$WORK/out-rank" --charts png -q)
printf '%-60s %8s ms\n' "cymetrics chart ranking (51 bars, PNG, whole process)" "$ours"
if [ -n "$BEFORE" ]; then
    t=$(best_ms 3 env CYM_PLUGIN_DIR="$BEFORE" "$CYM" chart ranking "$WORK/asem" \
        --out "$WORK/out-rank-before" --charts png -q)
    printf '%-60s %8s ms\n' "  before: the same with $BEFORE/cymetrics-plot.so" "$t"
fi
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(ggplot2)' >/dev/null 2>&1; then
    cat > "$WORK/ggplot_ranking.R" <<'EOF'
# the ranking chart of cymetrics, from its sidecar: horizontal bars, best at the top
suppressMessages(library(ggplot2))
args <- commandArgs(TRUE)
d <- read.csv(args[1])
d$name <- factor(d$name, levels = rev(d$name))
p <- ggplot(d, aes(x = score, y = name)) +
    geom_col(fill = "#0072B2", width = 0.7) +
    geom_vline(xintercept = mean(d$score), linetype = "dashed", colour = "#5C5C5C") +
    labs(title = "ASEM index: ranking", subtitle = "Scores 0-100, latest year",
         x = "Score", y = NULL, caption = "Source: COINr ASEM example") +
    theme_minimal(base_size = 11)
best <- Inf
cpu <- Inf
for (i in 1:3) {
    t <- system.time(ggsave(args[2], p, width = 1600 / 160, height = 2008 / 160, dpi = 160))
    best <- min(best, t[["elapsed"]])
    cpu <- min(cpu, t[["user.self"]] + t[["sys.self"]])
}
cat(sprintf("%.1f (CPU %.1f)\n", best * 1000, cpu * 1000))
EOF
    gg=$(Rscript "$WORK/ggplot_ranking.R" "$WORK/out-rank/charts/ranking.csv" \
        "$WORK/ggplot-ranking.png")
    printf '%-60s %8s ms\n' "ggplot2 ggsave of the same chart (inside R)" "$gg"
    # ratios of the wall times, and of the CPU times
    echo "$gg $ours" | tr -d '()CPU' | awk '{ printf "%-60s %8.1f x, CPU %.1f x (target >= 5)\n",
        "ratio ggplot2 / cymetrics", $1 / $3, $2 / $4 }'
else
    echo "ggplot2: R or r-cran-ggplot2 not installed, comparison skipped" \
        "(apt-get install --no-install-recommends r-base-core r-cran-ggplot2)"
fi

# 2. the default ASEM run
t=$(best_ms 3 "$CYM" run "$WORK/asem" --out "$WORK/out-asem-all" -q)
printf '%-60s %8s ms (target < 500)\n' "ASEM default run (every output, PNG charts)" "$t"
if [ -n "$BEFORE" ]; then
    t=$(best_ms 3 env CYM_PLUGIN_DIR="$BEFORE" "$CYM" run "$WORK/asem" \
        --out "$WORK/out-asem-before" -q)
    printf '%-60s %8s ms\n' "  before: the same with $BEFORE/cymetrics-plot.so" "$t"
fi
t=$(best_ms 3 env OMP_NUM_THREADS=1 "$CYM" run "$WORK/asem" --out "$WORK/out-asem-all1" -q)
printf '%-60s %8s ms\n' "the same, charts drawn one at a time (OMP_NUM_THREADS=1)" "$t"
t=$(best_ms 3 "$CYM" run "$WORK/asem" --out "$WORK/out-asem-none" -q --charts none)
printf '%-60s %8s ms\n' "the same with --charts none" "$t"

# 3. 200 countries
t=$(best_ms 3 "$CYM" run "$WORK/syn-200x30x6" --out "$WORK/out-200" -q --report off \
    --tables none)
printf '%-60s %8s ms (target < 3000)\n' "200 countries: run, its charts (no report, no summary tables)" "$t"
t=$(best_ms 3 "$CYM" run "$WORK/syn-200x30x6" --out "$WORK/out-200n" -q --report off \
    --tables none --charts none)
printf '%-60s %8s ms\n' "the same with --charts none" "$t"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# 4. PNG settings
"$BUILD/cym-bench-png" "$WORK/out-asem-all/charts/"*.png
