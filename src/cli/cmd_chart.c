/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics chart KIND`: runs the pipeline and draws one kind of chart. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
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
    cym_status st = cym_chart_parse(&kind, name, &err);
    if (st == CYM_EUSAGE)
        return cli_usage_error("chart", "%s", err.message);
    if (st < 0) /* the charts plugin is missing (src/core/plugin.h) */
        return cli_fail(st, &err);
    a->max_positional = kind == CYM_CHART_PROFILE ? 1 : 0;
    return 0;
}

static const cli_opt opts[] = {{CLI_OPT_LEAD, NULL, "KIND", NULL,
                                "which chart? (ranking, pillars, trends, pillar-trends, change, "
                                "bump, profile, heatmap)",
                                check_kind},
                               {0}};

/* stops at the load: an unknown COUNTRY is told before the pipeline runs */
const cli_spec cmd_chart_spec = {
    .writes = 1, .help = help, .opts = opts, .stage = CLI_STAGE_LOAD, .dataset = 1};

int cmd_chart(cli_ctx *c)
{
    cym_error err;
    cym_status st = CYM_OK;
    cym_warnings failed = {0};
    size_t units[64], n = 0;
    int rc = 0;

    cym_error_clear(&err);
    if (c->o.output.charts == 0)
        c->o.output.charts = CYM_CHARTS_PNG;
    if (c->a.n_positional == 1) { /* COUNTRY, or several as A,B,C */
        char code[64];
        for (const char *p = c->a.positional[0];; p++) {
            size_t len = strcspn(p, ",");
            if (n == sizeof(units) / sizeof(*units))
                return cli_usage_error(c->cmd->name, "at most %zu countries at once", n);
            snprintf(code, sizeof(code), "%.*s", (int)len, p);
            if ((rc = cli_find_country(&units[n++], c, code)) != 0)
                return rc;
            p += len;
            if (!*p)
                break;
        }
    }
    if ((rc = cli_advance(c, CLI_STAGE_PIPELINE)) != 0)
        return rc;
    for (size_t i = 0; i < (n ? n : 1) && st >= 0; i++)
        st = cym_plot_chart(c->res, &c->o.output, kind, n ? units[i] : (size_t)-1, c->wdir,
                            &failed, &err);
    rc = cli_drawn(0, st, &failed, &err);
    if (rc == 0)
        rc = cli_commit(c);
    for (size_t i = 0; i < (n ? n : 1) && rc == 0 && !c->a.quiet; i++) {
        size_t unit = n ? units[i] : (size_t)-1;
        printf("chart: %s/charts/%s%s%s\n", c->outdir, cym_chart_name(kind),
               unit != (size_t)-1          ? "-"
               : kind == CYM_CHART_PROFILE ? "-*"
                                           : "",
               unit != (size_t)-1 ? c->ds->units[unit].code : "");
    }
    return rc;
}
