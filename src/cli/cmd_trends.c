/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `cymetrics trends` and `cymetrics compare A B [C...]`: the trend and comparison tables of a
 * run without the others, and a few countries side by side.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cymetrics/compare.h"
#include "cymetrics/trend.h"

static const char trends_help[] =
    "usage: cymetrics trends [DATASET_DIR | --config FILE] [COUNTRY | --country CODE]\n"
    "                        [--out DIR] [OPTIONS]\n"
    "\n"
    "Runs the index pipeline and writes the trends and comparisons (METHODS.md section 7):\n"
    "trends.csv (first/last, change, CAGR, prc_change, OLS slope with standard error, 95 %\n"
    "interval and p-value, Theil-Sen slope, Mann-Kendall S, z, p, Kendall's tau-b and the\n"
    "direction), compare.csv (latest year: group mean, leader, percentile), strengths.csv,\n"
    "and with --yoy on yoy.csv (year-over-year change of every country, node and group row).\n"
    "'cymetrics run' writes the same files. With COUNTRY or --country CODE (a code of\n"
    "countries.csv) it also prints that country's trends of the index and every pillar.\n"
    "Every option of\n"
    "'cymetrics run' applies, and:\n";

static const char exit_status[] =
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

static const char *country;

/* --country is told in the help's text; the same as the positional COUNTRY */
static const cli_opt trends_opts[] = {{CLI_OPT_VALUE, "country", "CODE", &country, NULL, NULL},
                                      {0}};

const cli_spec cmd_trends_spec = {.help = trends_help,
                                  .opts = trends_opts,
                                  .keys = "trends",
                                  .notes = exit_status,
                                  .stage = CLI_STAGE_PIPELINE,
                                  .dataset = 1,
                                  .max_args = 1,
                                  .writes = 1};
const cli_spec cmd_compare_spec = {
    .writes = 1, .help = compare_help, .stage = CLI_STAGE_PIPELINE, .dataset = 1, .max_args = 64};

/* one line of a country's trend summary: a node's first and last score, change, growth per
   year, Theil-Sen slope and direction */
static void print_trend(const cym_trends *tr, size_t unit, size_t node)
{
    const cym_trend_stats *s = &tr->stats[unit * tr->r->n_nodes + node];
    char name[256];
    if (s->n == 0) {
        printf("  %s  no scores\n", cli_pad(name, sizeof(name), tr->r->fw->nodes[node].code, 10));
        return;
    }
    printf("  %s %4d %6.1f  %4d %6.1f  %+6.1f  %+6.2f%%  %+6.2f  %s\n",
           cli_pad(name, sizeof(name), tr->r->fw->nodes[node].code, 10), s->first_year, s->first,
           s->last_year, s->last, s->change, s->cagr * 100.0, s->theil_sen,
           cym_trend_direction_name(s->direction));
}

static int print_country(cli_ctx *c, size_t unit)
{
    const cym_framework *fw = c->res->fw;
    const cym_node *root = &fw->nodes[fw->root];
    cym_trends *tr = NULL;
    cym_error err;
    cym_status st = cym_trends_compute(&tr, c->res, &c->o.trend, &err);
    char name[256];
    if (st < 0)
        return cli_fail(st, &err);
    printf("%s %s: trends of the index and its pillars\n", c->ds->units[unit].code,
           cli_clean(name, sizeof(name), c->ds->units[unit].name));
    printf("  %-10s %11s  %11s  %6s  %7s  %6s  %s\n", "node", "first", "last", "change",
           "cagr", "slope", "direction");
    print_trend(tr, unit, fw->root);
    for (size_t k = 0; k < root->n_children; k++)
        print_trend(tr, unit, root->children[k]);
    cym_trends_free(tr);
    return 0;
}

int cmd_trends(cli_ctx *c)
{
    cym_warnings warn = {0};
    cym_error err;
    cym_status st;
    size_t unit = 0;
    int rc = 0;
    const char *code = c->a.n_positional == 1 ? c->a.positional[0] : country;

    cym_error_clear(&err);
    if (c->a.n_positional == 1 && country)
        return cli_usage_error("trends", "a country as an argument ('%s') and --country '%s': "
                                         "give one", c->a.positional[0], country);
    if (code && (rc = cli_find_country(&unit, c, code)) != 0)
        return rc;
    if (code && !c->a.quiet && (rc = print_country(c, unit)) != 0)
        return rc;
    st = cym_trends_write(c->res, &c->o.trend, c->wdir, &warn, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    if ((rc = cli_commit(c)) != 0)
        goto cleanup;
    for (size_t i = 0; i < warn.count; i++)
        cli_warning(c, "%s", warn.lines[i]);
    if (!c->a.quiet)
        printf("trends: %s/ (%strends.csv, compare.csv, strengths.csv)\n", c->outdir,
               c->o.trend.yoy ? "yoy.csv, " : "");

cleanup:
    cym_warnings_clear(&warn);
    return rc;
}

int cmd_compare(cli_ctx *c)
{
    cli_args *a = &c->a;
    cym_error err;
    cym_status st;
    size_t *idx = NULL;
    char *table = NULL;
    int rc = 0;

    cym_error_clear(&err);
    if (a->n_positional < 1)
        return cli_usage_error("compare", "name the countries to compare, e.g. 'compare DIR "
                                          "JPN SGP'");
    idx = calloc((size_t)a->n_positional, sizeof(*idx));
    if (!idx)
        return EXIT_INTERNAL;
    for (int i = 0; i < a->n_positional; i++) /* codes in any case */
        a->positional[i] = cli_country_code(c, a->positional[i]);
    st = cym_compare_find_units(idx, c->ds, a->positional, (size_t)a->n_positional, &err);
    if (st == 0)
        st = cym_compare_countries(&table, c->res, &c->o.trend, idx, (size_t)a->n_positional,
                                   c->wdir, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    if ((rc = cli_commit(c)) != 0)
        goto cleanup;
    if (cym_trend_scope_warning(c->res))
        cli_warning(c, "%s", cym_trend_scope_warning(c->res));
    if (!a->quiet)
        fputs(table, stdout);

cleanup:
    free(table);
    free(idx);
    return rc;
}
