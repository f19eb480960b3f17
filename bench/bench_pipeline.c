/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * In-memory pipeline benchmark: loads a dataset once, then reruns cym_pipeline_run N times
 * (what the Monte Carlo analysis does) and prints the mean time per run.
 * usage: cym-bench-pipeline DATASET_DIR [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
    double t0, t;

    if (argc < 2) {
        fprintf(stderr, "usage: cym-bench-pipeline DATASET_DIR [N]\n");
        return 2;
    }
    cym_options_default(&o);
    snprintf(path, sizeof(path), "%s/cymetrics.ini", argv[1]);
    if (cym_options_load_ini(&o, path, &err) < 0 || cym_framework_load(&fw, o.framework, &err) < 0)
        goto fail;
    snprintf(path, sizeof(path), "%s/countries.csv", argv[1]);
    p.countries = path;
    p.data = argv[1];
    if (cym_dataset_load(&ds, fw, &p, NULL, &err) < 0)
        goto fail;
    t0 = now();
    for (long i = 0; i < n; i++) {
        cym_results *r = NULL;
        if (cym_pipeline_run(&r, ds, &o.run, &err) < 0)
            goto fail;
        cym_results_free(r);
    }
    t = (now() - t0) / (double)n;
    printf("%-44s %8.3f ms per run (%ld runs)\n", "pipeline in memory (load excluded)", t * 1e3, n);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    return 0;
fail:
    fprintf(stderr, "cym-bench-pipeline: %s\n", err.message);
    return 1;
}
