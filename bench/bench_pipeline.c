/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * In-memory pipeline benchmark: loads a dataset once, then reruns cym_pipeline_run N times
 * (what the Monte Carlo analysis does) and prints the mean time per run; the load and the
 * first run are printed on their own, wall and CPU time (user + system, every thread), as
 * a large dataset is loaded and run once; so are the inputs of the first run's manifest
 * (their SHA-256, sizes and relative paths: a run's `cym__manifest_build`).
 * usage: cym-bench-pipeline DATASET_DIR [N]
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"
#include "tables/tables.h"

#include "bench_util.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* user + system time of the process so far, every thread */
static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void print_phase(const char *what, double wall, double cpu_s)
{
    printf("%-44s %8.3f s wall %8.3f s CPU\n", what, wall, cpu_s);
}

int main(int argc, char **argv)
{
    char path[4096];
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_dataset_paths p;
    cym_error err;
    long n = argc > 2 ? atol(argv[2]) : 1000;
    double t0, c0, t, manifest = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: cym-bench-pipeline DATASET_DIR [N]\n");
        return 2;
    }
    if (bench_open(argv[1], &o, &fw, &p, path, sizeof(path), &err) < 0)
        goto fail;
    t0 = now();
    c0 = cpu();
    if (cym_dataset_load(&ds, fw, &p, NULL, &err) < 0)
        goto fail;
    print_phase("load", now() - t0, cpu() - c0);
    t0 = now();
    for (long i = 0; i < n; i++) {
        cym_results *r = NULL;
        double t1 = now(), c1 = cpu();
        if (cym_pipeline_run(&r, ds, &o.run, &err) < 0)
            goto fail;
        if (i == 0) {
            cym_provenance prov = {.base = argv[1]};
            json_t *m = NULL;
            print_phase("first pipeline run", now() - t1, cpu() - c1);
            t1 = now();
            c1 = cpu();
            if (cym__manifest_build(&m, r, &prov, &err) < 0)
                goto fail;
            manifest = now() - t1;
            print_phase("the manifest's inputs", manifest, cpu() - c1);
            json_decref(m);
        }
        cym_results_free(r);
    }
    t = (now() - t0 - manifest) / (double)n;
    printf("%-44s %8.3f ms per run (%ld runs)\n", "pipeline in memory (load excluded)", t * 1e3, n);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    return 0;
fail:
    fprintf(stderr, "cym-bench-pipeline: %s\n", err.message);
    return 1;
}
