/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `cymetrics trends` and `cymetrics compare A B [C...]`: the trend and comparison tables of a
 * run without the others, and a few countries side by side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cymetrics/compare.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/trend.h"

static const char trends_help[] =
    "usage: cymetrics trends [DATASET_DIR | --config FILE] [--out DIR] [OPTIONS]\n"
    "\n"
    "Runs the index pipeline and writes the trends and comparisons (METHODS.md section 7):\n"
    "yoy.csv (year-over-year change of every country, node and group aggregate), trends.csv\n"
    "(first/last, change, CAGR, prc_change, OLS slope with standard error, 95 % interval and\n"
    "p-value, Theil-Sen slope, Mann-Kendall S, z, p, Kendall's tau-b and the direction),\n"
    "compare.csv (latest year: group mean, leader, percentile) and strengths.csv.\n"
    "'cymetrics run' writes the same files. Every option of 'cymetrics run' applies, and:\n"
    "  --trend-basis all|common   common: each pair of years on the indicators present in\n"
    "                             both, per country (like for like) [all]\n"
    "  --trend-level P            significance level of the direction [0.05]\n"
    "  --strengths-n N            strengths and weaknesses per country [3]\n"
    "  --compare-group COLUMN     group column of compare.csv [the first]\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 I/O error, 4 internal.\n";

static const char compare_help[] =
    "usage: cymetrics compare [DATASET_DIR | --config FILE] A B [C...] [--out DIR] [OPTIONS]\n"
    "\n"
    "Shows the countries A, B, ... (codes of countries.csv) side by side in the latest year:\n"
    "score and rank of the index and every pillar, the trend of the index, and the\n"
    "indicators with the biggest gaps; writes every node into <out>/compare_A_B.csv.\n"
    "Every option of 'cymetrics run' and 'cymetrics trends' applies.\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 I/O error, 4 internal.\n";

/* Parses, loads and runs the pipeline; returns 0 or an exit code (error printed). */
static int prepare(cli_args *a, cym_options *o, cym_framework **fw, cym_dataset **ds,
                   cym_results **res, const char *cmd, int argc, char **argv, int max_pos,
                   const char *help)
{
    cym_error err;
    cym_status st;
    int rc;
    cym_error_clear(&err);
    if ((rc = cli_parse(a, cmd, NULL, 1, max_pos, argc, argv)) != 0)
        return rc;
    if (a->help) {
        fputs(help, stdout);
        return -1;
    }
    if ((rc = cli_options(o, a)) != 0)
        return rc;
    if ((rc = cli_load(fw, ds, o)) != 0)
        return rc;
    st = cym_pipeline_run(res, *ds, o, &err);
    if (st < 0)
        return cli_fail(st, &err);
    return 0;
}

int cmd_trends(int argc, char **argv)
{
    cli_args a;
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *res = NULL;
    cym_warnings warn = {0};
    cym_error err;
    cym_status st;
    char outdir[CYM_PATH_MAX];
    int rc;

    rc = prepare(&a, &o, &fw, &ds, &res, "trends", argc, argv, 0, trends_help);
    if (rc)
        goto cleanup;
    cli_outdir(outdir, sizeof(outdir), &o);
    st = cym_trends_write(res, &o, outdir, &warn, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    for (size_t i = 0; i < warn.count; i++)
        fprintf(stderr, "cymetrics: warning: %s\n", warn.lines[i]);
    if (!a.quiet)
        printf("trends: %s/ (yoy.csv, trends.csv, compare.csv, strengths.csv)\n", outdir);

cleanup:
    cym_warnings_clear(&warn);
    cym_results_free(res);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    cli_args_free(&a);
    return rc < 0 ? 0 : rc;
}

int cmd_compare(int argc, char **argv)
{
    cli_args a;
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *res = NULL;
    cym_error err;
    cym_status st;
    size_t *idx = NULL;
    char *table = NULL;
    char outdir[CYM_PATH_MAX];
    int rc;

    cym_error_clear(&err);
    rc = prepare(&a, &o, &fw, &ds, &res, "compare", argc, argv, 64, compare_help);
    if (rc)
        goto cleanup;
    if (a.n_positional < 1) {
        rc = cli_usage_error("compare", "name the countries to compare, e.g. 'compare DIR "
                                        "JPN SGP'");
        goto cleanup;
    }
    idx = calloc((size_t)a.n_positional, sizeof(*idx));
    if (!idx) {
        rc = EXIT_INTERNAL;
        goto cleanup;
    }
    st = cym_compare_find_units(idx, ds, a.positional, (size_t)a.n_positional, &err);
    if (st == 0) {
        cli_outdir(outdir, sizeof(outdir), &o);
        st = cym_compare_countries(&table, res, &o, idx, (size_t)a.n_positional, outdir, &err);
    }
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    if (cym_trend_scope_warning(res))
        fprintf(stderr, "cymetrics: warning: %s\n", cym_trend_scope_warning(res));
    if (!a.quiet)
        fputs(table, stdout);

cleanup:
    free(table);
    free(idx);
    cym_results_free(res);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    cli_args_free(&a);
    return rc < 0 ? 0 : rc;
}
