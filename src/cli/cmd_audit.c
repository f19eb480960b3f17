/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics audit`: the statistical audit of the indicators, without the other tables. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cymetrics/audit.h"
#include "cymetrics/pipeline.h"

static const char help[] =
    "usage: cymetrics audit [DATASET_DIR | --config FILE] [--out DIR] [OPTIONS]\n"
    "\n"
    "Runs the index pipeline and writes the statistical audit into <out>/audit/:\n"
    "descriptives.csv (per indicator and year: n, missing, min, max, mean, median, sd, skew,\n"
    "kurtosis, flags), correlations.csv (Pearson and Spearman of the normalised scores,\n"
    "pairwise-complete: indicators with each other, every node with its parent and with the\n"
    "index), cronbach.csv (alpha per aggregate), pca.csv (eigenvalues, variance explained,\n"
    "first-component loadings per aggregate) and remove_one.csv (rank changes when each\n"
    "indicator or aggregate is left out). 'cymetrics run' writes the same files.\n"
    "Every option of 'cymetrics run' applies.\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 I/O error, 4 internal.\n";

int cmd_audit(int argc, char **argv)
{
    cli_args a;
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *res = NULL;
    cym_error err;
    cym_status st;
    char outdir[CYM_PATH_MAX];
    int rc;

    cym_error_clear(&err);
    rc = cli_parse(&a, "audit", NULL, 1, 0, argc, argv);
    if (rc)
        goto cleanup;
    if (a.help) {
        fputs(help, stdout);
        goto cleanup;
    }
    if ((rc = cli_options(&o, &a)) != 0)
        goto cleanup;
    if ((rc = cli_load(&fw, &ds, &o)) != 0)
        goto cleanup;
    st = cym_pipeline_run(&res, ds, &o, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    cli_outdir(outdir, sizeof(outdir), &o);
    st = cym_audit_write(res, &o, outdir, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    if (!a.quiet)
        printf("audit: %s/audit/\n", outdir);

cleanup:
    cym_results_free(res);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    cli_args_free(&a);
    return rc;
}
