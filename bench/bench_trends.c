/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Trends benchmark: loads a dataset and runs the pipeline once (not timed), then times
 * cym_trends_compute (every statistic of every country, node and group row) for both bases,
 * and computing them again with trends.csv, compare.csv and strengths.csv written into a folder
 * (the writing alone is the difference of the two). Each line gives the wall time and the
 * process's CPU time (user + system, every thread).
 * CYM_BENCH_BASIS=all skips the common basis.
 * usage: cym-bench-trends DATASET_DIR [OUT_DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/trend.h"

#include "bench_util.h"

typedef struct stamp {
    double wall, cpu;
} stamp;

static stamp now(void)
{
    stamp s = {bench_clock(CLOCK_MONOTONIC), bench_clock(CLOCK_PROCESS_CPUTIME_ID)};
    return s;
}

static stamp since(stamp t0)
{
    stamp t = now();
    t.wall -= t0.wall;
    t.cpu -= t0.cpu;
    return t;
}

static void report(const char *what, stamp d)
{
    printf("%-44s %8.3f s wall %8.3f s CPU\n", what, d.wall, d.cpu);
}

int main(int argc, char **argv)
{
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *r = NULL;
    cym_error err;
    stamp t0, compute = {0, 0};
    const char *b = getenv("CYM_BENCH_BASIS");
    int only_all = b && strcmp(b, "all") == 0;

    if (argc < 2) {
        fprintf(stderr, "usage: cym-bench-trends DATASET_DIR [OUT_DIR]\n");
        return 2;
    }
    if (bench_results(argv[1], &o, &fw, &ds, &r, &err) < 0)
        goto fail;
    printf("%zu countries x %zu nodes x %zu years\n", r->n_units, r->n_nodes, r->n_years);
    for (int basis = 0; basis < (only_all ? 1 : 2); basis++) {
        cym_trends *tr = NULL;
        o.trend.basis = basis;
        t0 = now();
        if (cym_trends_compute(&tr, r, &o.trend, &err) < 0)
            goto fail;
        if (!basis)
            compute = since(t0);
        report(basis ? "trends computed, common basis" : "trends computed, basis all",
               since(t0));
        cym_trends_free(tr);
    }
    if (argc > 2) {
        o.trend.basis = 0;
        t0 = now();
        if (cym_trends_write(r, &o.trend, argv[2], NULL, &err) < 0)
            goto fail;
        {
            stamp d = since(t0);
            report("trends computed and the tables written", d);
            d.wall -= compute.wall;
            d.cpu -= compute.cpu;
            report("  of which writing (the difference)", d);
        }
    }
    cym_results_free(r);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    return 0;
fail:
    fprintf(stderr, "cym-bench-trends: %s\n", err.message);
    cym_results_free(r);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    return 1;
}
