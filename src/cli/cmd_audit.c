/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics audit`: the statistical audit of the indicators, without the other tables. */
#include <stdio.h>

#include "cli/cli.h"
#include "cymetrics/audit.h"
#include "ranks/ranks.h"

static const char help[] =
    "usage: cymetrics audit [DATASET_DIR | --config FILE] [--out DIR] [OPTIONS]\n"
    "\n"
    "Runs the index pipeline and writes the statistical audit into <out>/audit/:\n"
    "descriptives.csv (per indicator and year: n, missing, min, max, mean, median, sd, skew,\n"
    "kurtosis, flags), correlations.csv (Pearson and Spearman of the normalised scores,\n"
    "pairwise-complete: indicators with each other, every node with its parent and with the\n"
    "index; with many indicators only those of the same parent, see audit-pairs),\n"
    "cronbach.csv (alpha per aggregate), pca.csv (eigenvalues, variance explained,\n"
    "first-component loadings per aggregate) and remove_one.csv (rank changes when each\n"
    "indicator or aggregate is left out). 'cymetrics run' writes the same files.\n"
    "Every option of 'cymetrics run' applies.\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 I/O error, 4 internal.\n";

const cli_spec cmd_audit_spec = {
    .writes = 1, .help = help, .stage = CLI_STAGE_PIPELINE, .dataset = 1};

int cmd_audit(cli_ctx *c)
{
    cym_error err;
    cym_status st;
    int rc;

    cym_audit_pairs pairs = (cym_audit_pairs)c->o.output.audit_pairs;
    cym_warnings limits = {NULL, 0, 0};

    cym_error_clear(&err);
    st = cym_audit_write(c->res, c->wdir, pairs, &err);
    if (st < 0)
        return cli_fail(st, &err);
    if (cym__ranks_rank() != 0) /* another rank of an MPI job: rank 0 speaks */
        return 0;
    /* what the pairs setting left out of correlations.csv */
    if (cym_audit_limits(&limits, c->res, pairs) < 0)
        return cli_fail(cym_error_set(&err, CYM_ENOMEM, NULL, 0, 0, "out of memory"), &err);
    for (size_t i = 0; i < limits.count; i++)
        cli_warning(c, "%s", limits.lines[i]);
    cym_warnings_clear(&limits);
    if ((rc = cli_commit(c)) != 0)
        return rc;
    if (!c->a.quiet)
        printf("audit: %s/audit/\n", c->outdir);
    return 0;
}
