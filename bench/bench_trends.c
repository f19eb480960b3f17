/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Trends benchmark: loads a dataset and runs the pipeline once (not timed), then times
 * cym_trends_compute (every statistic of every country, node and group row) for both bases,
 * and writing yoy.csv, trends.csv, compare.csv and strengths.csv into a folder.
 * usage: cym-bench-trends DATASET_DIR [OUT_DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/trend.h"

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
    cym_results *r = NULL;
    cym_dataset_paths p;
    cym_error err;
    double t0;

    if (argc < 2) {
        fprintf(stderr, "usage: cym-bench-trends DATASET_DIR [OUT_DIR]\n");
        return 2;
    }
    cym_options_default(&o);
    snprintf(path, sizeof(path), "%s/cymetrics.ini", argv[1]);
    if (cym_options_load_ini(&o, path, &err) < 0 || cym_framework_load(&fw, o.framework, &err) < 0)
        goto fail;
    snprintf(path, sizeof(path), "%s/countries.csv", argv[1]);
    p.countries = path;
    p.data = argv[1];
    if (cym_dataset_load(&ds, fw, &p, NULL, &err) < 0 || cym_pipeline_run(&r, ds, &o.run, &err) < 0)
        goto fail;
    printf("%zu countries x %zu nodes x %zu years\n", r->n_units, r->n_nodes, r->n_years);
    for (int basis = 0; basis < 2; basis++) {
        cym_trends *tr = NULL;
        o.trend.basis = basis;
        t0 = now();
        if (cym_trends_compute(&tr, r, &o.trend, &err) < 0)
            goto fail;
        printf("%-44s %8.3f s\n",
               basis ? "trends computed, common basis" : "trends computed, basis all",
               now() - t0);
        cym_trends_free(tr);
    }
    if (argc > 2) {
        o.trend.basis = 0;
        t0 = now();
        if (cym_trends_write(r, &o.trend, argv[2], NULL, &err) < 0)
            goto fail;
        printf("%-44s %8.3f s\n", "trends computed and the 4 tables written", now() - t0);
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
