/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audit of a run alone (docs/performance.md, "The audit at scale"; issue 18): loads a
 * dataset, runs the pipeline once, then writes the run's audit (cym__audit_write as a run calls
 * it: correlations as `audit-pairs = auto`, remove_one.csv only up to 200,000 indicator cells)
 * into OUT N times, printing the wall and CPU time (user + system, every thread) of each.
 * usage: cym-bench-audit DATASET_DIR OUT [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit_internal.h"
#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"

#include "bench_util.h"

int main(int argc, char **argv)
{
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *r = NULL;
    cym_error err;
    int n = argc > 3 ? atoi(argv[3]) : 1;

    if (argc < 3) {
        fprintf(stderr, "usage: cym-bench-audit DATASET_DIR OUT [N]\n");
        return 2;
    }
    if (bench_results(argv[1], &o, &fw, &ds, &r, &err) < 0)
        goto fail;
    for (int i = 0; i < n; i++) {
        cym__outdir od;
        double w0 = bench_clock(CLOCK_MONOTONIC), c0 = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
        memset(&od, 0, sizeof(od));
        if (cym__outdir_open(&od, argv[2], &err) < 0 ||
            cym__audit_write(&od, r, 0, CYM_AUDIT_PAIRS_AUTO, &err) < 0 ||
            cym__outdir_commit(&od, &err) < 0)
            goto fail;
        cym__outdir_free(&od);
        printf("audit: %.3f s wall, %.3f s cpu\n", bench_clock(CLOCK_MONOTONIC) - w0,
               bench_clock(CLOCK_PROCESS_CPUTIME_ID) - c0);
    }
    cym_results_free(r);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    return 0;
fail:
    fprintf(stderr, "cym-bench-audit: %s\n", err.message);
    return 1;
}
