/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The run's output tasks on small data (docs/performance.md, "Start-up"; issue 18): loads a
 * dataset, runs the pipeline once (not timed), then runs each of the three longest tasks of
 * src/run/run.c N times, as a run calls them: trends (cym_trends_compute and
 * cym__trend_write_series), audit (cym__audit_write) and comparisons (cym__compare_write), each
 * writing into a staged result set under OUT as a run does (no sync of its own; the stage is
 * removed at the end, never committed). Each run writes a new folder, removed (not timed) as a
 * run removes the set it replaces. Run it with OMP_NUM_THREADS=1 (bench/tasks.sh does):
 * in a run the tasks run inside a parallel region, so their own loops get one thread. Prints
 * the thread CPU time (user + system) of each task: the best and the median of the N runs, in
 * milliseconds. The tasks run one after the other, interleaved, so the load of the machine
 * falls on them alike. bench/tasks.sh builds this file against another build's library too,
 * for a ratio. TASK (trends, audit or comparisons) runs that one only (e.g. under perf).
 *
 * usage: cym-bench-tasks DATASET_DIR OUT [N [TASK]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/trend.h"
#include "io/outdir.h"
#include "io/outset.h"
#include "tables/tables.h"

#include "bench_util.h"

enum { TRENDS, AUDIT, COMPARE, N_TASKS };

static const char *const names[N_TASKS] = {"trends", "audit", "comparisons"};

static cym_status task(int t, cym__outdir *od, const cym_results *r, const cym_options *o,
                       cym_error *err)
{
    cym_trends *tr = NULL;
    cym_status st;
    switch (t) {
    case TRENDS:
        if ((st = cym_trends_compute(&tr, r, &o->trend, err)) >= 0)
            st = cym__trend_write_series(od, tr, &o->trend, err);
        cym_trends_free(tr);
        return st;
    case AUDIT: return cym__audit_write(od, r, 0, CYM_AUDIT_PAIRS_AUTO, err);
    default: return cym__compare_write(od, r, &o->trend, err);
    }
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    char path[4096];
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *r = NULL;
    cym_error err;
    cym__outset set;
    double *ms = NULL;
    int n = argc > 3 ? atoi(argv[3]) : 20, rc = 1;

    memset(&set, 0, sizeof(set));
    set.parent_fd = set.lock_fd = -1; /* cym__outset_free before a begin */
    if (argc < 3 || n < 1) {
        fprintf(stderr, "usage: cym-bench-tasks DATASET_DIR OUT [N [TASK]]\n");
        return 2;
    }
    if (!(ms = calloc((size_t)n * N_TASKS, sizeof(*ms))))
        return 1;
    if (bench_results(argv[1], &o, &fw, &ds, &r, &err) < 0 ||
        cym__outset_begin(&set, argv[2], NULL, &err) < 0)
        goto cleanup;
    for (int i = 0; i < n; i++)
        for (int t = 0; t < N_TASKS; t++) {
            cym__outdir od;
            if (argc > 4 && strcmp(argv[4], names[t]) != 0)
                continue;
            double c0;
            memset(&od, 0, sizeof(od));
            snprintf(path, sizeof(path), "%s/%d-%s", set.stage, i, names[t]);
            c0 = bench_clock(CLOCK_THREAD_CPUTIME_ID);
            if (cym__outdir_open(&od, path, &err) < 0 || task(t, &od, r, &o, &err) < 0 ||
                cym__outdir_commit(&od, &err) < 0) {
                cym__outdir_free(&od);
                goto cleanup;
            }
            ms[t * n + i] = (bench_clock(CLOCK_THREAD_CPUTIME_ID) - c0) * 1e3;
            /* removed, not timed, as a run removes the set it replaces */
            for (size_t k = 0; k < od.n; k++)
                unlink(od.files[k].final);
            snprintf(path + strlen(path), sizeof(path) - strlen(path), "/audit");
            rmdir(path);
            rmdir(od.dir);
            cym__outdir_free(&od);
        }
    printf("%zu countries x %zu nodes x %zu years; %d runs; thread CPU ms, best / median\n",
           r->n_units, r->n_nodes, r->n_years, n);
    for (int t = 0; t < N_TASKS; t++) {
        double *x = ms + t * n;
        if (argc > 4 && strcmp(argv[4], names[t]) != 0)
            continue;
        qsort(x, (size_t)n, sizeof(*x), by_value);
        printf("%-12s %7.3f %7.3f\n", names[t], x[0], x[n / 2]);
    }
    rc = 0;
cleanup:
    if (rc)
        fprintf(stderr, "cym-bench-tasks: %s\n", err.message);
    cym__outset_free(&set);
    free(ms);
    cym_results_free(r);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    return rc;
}
