/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the benchmark programs share: a clock in seconds, and a dataset folder's settings. */
#ifndef CYM_BENCH_UTIL_H
#define CYM_BENCH_UTIL_H

#include <stdio.h>
#include <time.h>

#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"

static inline double bench_clock(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* DIR's cymetrics.ini into *o, its framework into *fw, and the paths of its data into *p
   (p->countries points into path[0..n)). Returns a status < 0 with err set on failure. */
static inline cym_status bench_open(const char *dir, cym_options *o, cym_framework **fw,
                                    cym_dataset_paths *p, char *path, size_t n, cym_error *err)
{
    cym_status st;
    cym_options_default(o);
    snprintf(path, n, "%s/cymetrics.ini", dir);
    if ((st = cym_options_load_ini(o, path, err)) < 0 ||
        (st = cym_framework_load(fw, o->framework, err)) < 0)
        return st;
    snprintf(path, n, "%s/countries.csv", dir);
    p->countries = path;
    p->data = dir;
    return CYM_OK;
}

/* DIR's dataset loaded and run through the pipeline with its settings into *o, *fw, *ds and
   *r, which the caller frees (also after a failure: a status < 0 with err set). */
static inline cym_status bench_results(const char *dir, cym_options *o, cym_framework **fw,
                                       cym_dataset **ds, cym_results **r, cym_error *err)
{
    char path[4096];
    cym_dataset_paths p;
    cym_status st;
    if ((st = bench_open(dir, o, fw, &p, path, sizeof(path), err)) < 0 ||
        (st = cym_dataset_load(ds, *fw, &p, NULL, err)) < 0)
        return st;
    return cym_pipeline_run(r, *ds, &o->run, err);
}

#endif
