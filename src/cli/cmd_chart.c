/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics chart KIND`: runs the pipeline and draws one kind of chart. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/plot.h"

static const char help[] =
    "usage: cymetrics chart KIND [DATASET_DIR | --config FILE] [COUNTRY] [--out DIR]\n"
    "                      [--charts png,svg,pdf] [--highlight CODE,...] [OPTIONS]\n"
    "\n"
    "Runs the index pipeline and draws one chart into <out>/charts/ (default\n"
    "reports/<dataset-name>/charts/), with a CSV sidecar of the plotted values.\n"
    "\n"
    "kinds:\n"
    "  ranking        index of the latest year, sorted, coloured by tier, group mean\n"
    "  pillars        weighted contribution of each pillar to the index\n"
    "  trends         index over the years, highlighted countries in colour\n"
    "  pillar-trends  the same for each pillar (small multiples)\n"
    "  change         change of the index over the last two years\n"
    "  bump           ranks over the years\n"
    "  profile        radar of a country's pillars against the mean and the leader\n"
    "                 (COUNTRY, a code; every country without it)\n"
    "  heatmap        countries x indicators, normalised scores of the latest year\n"
    "\n"
    "Every option of 'cymetrics run' is accepted (methods, years, tiers).\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 I/O error, 4 internal.\n";

static cym_chart_kind kind;

/* KIND, the word after `chart`; a profile takes a COUNTRY after the dataset folder */
static int check_kind(cli_args *a, const char *name)
{
    cym_error err;
    cym_error_clear(&err);
    if (cym_chart_parse(&kind, name, &err) < 0)
        return cli_usage_error("chart", "%s", err.message);
    a->max_positional = kind == CYM_CHART_PROFILE ? 1 : 0;
    return 0;
}

static const cli_opt opts[] = {{CLI_OPT_LEAD, NULL, "KIND", NULL,
                                "which chart? (ranking, pillars, trends, pillar-trends, change, "
                                "bump, profile, heatmap)",
                                check_kind},
                               {0}};

int cmd_chart(int argc, char **argv)
{
    cli_args a;
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *res = NULL;
    cym_error err;
    cym_status st;
    cym_warnings failed = {0};
    char outdir[CYM_PATH_MAX];
    size_t unit = (size_t)-1;
    int rc;

    cym_error_clear(&err);
    rc = cli_parse(&a, "chart", opts, 1, 0, argc, argv);
    if (rc)
        goto cleanup;
    if (a.help) {
        fputs(help, stdout);
        goto cleanup;
    }
    if ((rc = cli_options(&o, &a)) != 0)
        goto cleanup;
    if (o.charts == 0)
        o.charts = CYM_CHARTS_PNG;
    if ((rc = cli_load(&fw, &ds, &o)) != 0)
        goto cleanup;
    if (a.n_positional == 1) {
        for (unit = 0; unit < ds->n_units; unit++)
            if (strcmp(ds->units[unit].code, a.positional[0]) == 0)
                break;
        if (unit == ds->n_units) {
            rc = cli_usage_error("chart", "no country '%s' in the dataset", a.positional[0]);
            goto cleanup;
        }
    }
    st = cym_pipeline_run(&res, ds, &o, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    cli_outdir(outdir, sizeof(outdir), &o);
    st = cym_plot_chart(res, &o, kind, unit, outdir, &failed, &err);
    for (size_t i = 0; i < failed.count; i++)
        fprintf(stderr, "cymetrics: %s\n", failed.lines[i]);
    if (st < 0) {
        rc = failed.count ? cym_error_exit_code(st) : cli_fail(st, &err);
        goto cleanup;
    }
    if (!a.quiet)
        printf("chart: %s/charts/%s%s%s\n", outdir, cym_chart_name(kind),
               unit != (size_t)-1 ? "-" : kind == CYM_CHART_PROFILE ? "-*" : "",
               unit != (size_t)-1 ? ds->units[unit].code : "");

cleanup:
    cym_warnings_clear(&failed);
    cym_results_free(res);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    cli_args_free(&a);
    return rc;
}
