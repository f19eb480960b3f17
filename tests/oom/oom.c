/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Out of memory, everywhere: linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc so
 * that every allocation the library makes goes through the wrappers below, which fail the
 * n-th one. For n = 1, 2, ... the whole of a run is repeated (framework, countries and data
 * in both layouts, the pipeline, the output tables) until a run makes fewer than n
 * allocations. Each run must either succeed (an allocation the library can do without, such
 * as a large stdio buffer) or fail with CYM_ENOMEM and an "out of memory" message; it must
 * never crash. Under the ASan build, LeakSanitizer then checks that every error path freed
 * what it had taken.
 *
 *   oom FRAMEWORK COUNTRIES DATA [FIRST [LAST]]     (DATA: a folder or a combined file)
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/run.h"
#include "cymetrics/pipeline.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static atomic_long counter; /* allocations since arming */
static long fail_at;        /* the allocation to fail, 0 = none */

static int should_fail(void)
{
    return fail_at && atomic_fetch_add(&counter, 1) + 1 == fail_at;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

/* One status: OK, or CYM_ENOMEM with its message. Anything else fails the test. */
static int check(cym_status st, const cym_error *err, const char *step, long n)
{
    if (st >= 0)
        return 0;
    if (st == CYM_ENOMEM && err->code == CYM_ENOMEM && strstr(err->message, "out of memory"))
        return 1;
    fprintf(stderr, "oom: allocation %ld failed in %s: status %d, message '%s'\n", n, step, st,
            err->message);
    exit(1);
}

/* The run with allocation n failing; returns 1 when the failure was reported, 0 when the run
 * succeeded, and *used = allocations made. */
static int one_run(const char *fwpath, const char *countries, const char *data,
                   const char *outdir, long n, long *used)
{
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *res = NULL;
    cym_dataset_paths paths;
    cym_options o;
    cym_run_options ro;
    cym_error err;
    int failed = 0;

    cym_options_default(&o);
    o.output.charts = 0;
    memset(&ro, 0, sizeof(ro));
    ro.report.output = o.output;
    ro.report.trend = o.trend;
    ro.edition = &o.edition;
    paths.countries = countries;
    paths.data = data;
    cym_error_clear(&err);
    atomic_store(&counter, 0);
    fail_at = n;
    failed = check(cym_framework_load(&fw, fwpath, &err), &err, "framework", n);
    if (!failed)
        failed = check(cym_dataset_load(&ds, fw, &paths, NULL, &err), &err, "dataset", n);
    if (!failed)
        failed = check(cym_pipeline_run(&res, ds, &o.run, &err), &err, "pipeline", n);
    if (!failed)
        failed = check(cym_run_write(res, &ro, outdir, &err), &err, "output", n);
    cym_results_free(res);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    fail_at = 0;
    *used = atomic_load(&counter);
    return failed;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int main(int argc, char **argv)
{
    char outdir[] = "/tmp/cymoom.XXXXXX";
    long first, last, used = 0, reported = 0, tolerated = 0, n;

    if (argc < 4) {
        fprintf(stderr, "usage: oom FRAMEWORK COUNTRIES DATA [FIRST [LAST]]\n");
        return 2;
    }
    first = argc > 4 ? atol(argv[4]) : 1;
    last = argc > 5 ? atol(argv[5]) : 1000000;
    if (!mkdtemp(outdir))
        return 2;
    for (n = first; n <= last; n++) {
        if (one_run(argv[1], argv[2], argv[3], outdir, n, &used))
            reported++;
        else
            tolerated++;
        if (used < n) /* there was no allocation n: the whole run has been tried */
            break;
    }
    printf("oom: %s: %ld allocations in a run; %ld failures reported, %ld tolerated\n", argv[3],
           used, reported, tolerated);
    nftw(outdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
