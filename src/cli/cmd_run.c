/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics run`: the index pipeline, from the dataset to the tables in the output folder. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cymetrics/audit.h"
#include "cymetrics/database.h"
#include "cymetrics/edition.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/plot.h"
#include "cymetrics/report.h"
#include "cymetrics/run.h"
#include "cymetrics/trend.h"
#include "cymetrics/uncertainty.h"
#include "trend/trend_internal.h"

static const char help[] =
    "usage: cymetrics run [DATASET_DIR | --config FILE] [--out DIR] [OPTIONS]\n"
    "\n"
    "Runs the index pipeline (denominate, impute, treat, normalise, weight, aggregate, rank,\n"
    "tier) for every year of the dataset and writes scores.csv, index.csv, data.csv,\n"
    "treatment.csv, weights.csv, warnings.txt, manifest.json, the trends, comparison and\n"
    "audit tables, the summary tables (tables.md, tables.html, results.xlsx, results.json),\n"
    "the charts and the report (report.html, report.md) into the output folder (default\n"
    "reports/<dataset-name>/).\n";

static const char notes[] =
    " [uncertainty]\n"
    "  --runs N, --weight-noise F, --alt-normalise LIST, ...: when an uncertain factor is\n"
    "                      declared, run also writes the uncertainty analysis (see\n"
    "                      'cymetrics uncertainty --help')\n"
    "  --quiet             print nothing but errors\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 I/O error, 4 internal.\n";

/* editions load themselves: the prologue stops at the settings */
const cli_spec cmd_run_spec = {.help = help,
                               .notes = notes,
                               .stage = CLI_STAGE_SETTINGS,
                               .keys = "dataset framework run trends output",
                               .dataset = 1,
                               .writes = 1};

static void print_summary(const cym_results *r, const cym_options *o, const char *outdir)
{
    const cym_framework *fw = r->fw;
    size_t t = r->n_years - 1;
    size_t shown = 0, flagged = 0;
    printf("%s: %zu countries, %zu indicators, %d-%d\n", o->output.name, r->n_units, r->n_ind,
           r->year0, r->year0 + (int)r->n_years - 1);
    printf("%s %d (rank, country, score%s):\n", fw->nodes[fw->root].code, r->year0 + (int)t,
           r->opts.n_tiers ? ", tier" : "");
    for (double want = 1; shown < r->n_units && want <= (double)r->n_units; want++) {
        for (size_t u = 0; u < r->n_units; u++) {
            size_t cell = cym_cube_cell(&r->node_cube, u, t, fw->root);
            int tier = r->tier[cym_cube_cell(&r->unit_cube, u, t, 0)];
            if (r->rank[cell] != want)
                continue;
            char name[256], label[128];
            printf("  %3.0f  %-3s  %s %6.1f%s%s", r->rank[cell], r->ds->units[u].code,
                   cli_pad(name, sizeof(name), r->ds->units[u].name, 28), r->score[cell],
                   tier >= 0 ? "  " : "",
                   tier >= 0 ? cli_clean(label, sizeof(label), r->opts.tiers[tier].label) : "");
            if (cym_results_flagged(r, u, t)) {
                printf("  " CYM_COVERAGE_MARK " coverage %.0f %%", 100.0 * r->coverage[cell]);
                flagged++;
            }
            printf("\n");
            shown++;
        }
    }
    if (flagged)
        printf("  " CYM_COVERAGE_MARK " data for less than %g %% of the index's weight "
               "(--coverage-flag): computed but flagged\n",
               100.0 * r->opts.coverage_flag);
    cli_print_results(o, outdir);
}

int cmd_run(cli_ctx *c)
{
    const cym_options *o = &c->o;
    const char *outdir = c->outdir;
    cym_results *res;
    cym_uncertainty *unc = NULL;
    cym_run_options ro;
    cym_error err;
    cym_status st;
    cym_plot_pending *charts = NULL;
    cym_warnings report_failed = {0};
    cym_error report_err;
    cym_status st_report = CYM_OK;
    double t_out = 0, t_report = 0, t_charts = 0;
    const char *w;
    int rc;

    cym_error_clear(&err);
    cym_error_clear(&report_err);
    if (o->edition.n && o->goalposts[0])
        return cli_usage_error("run", "--goalposts holds the bounds of one framework's "
                                      "indicators: not with framework editions");
    if (o->edition.n && o->select[0])
        return cli_usage_error("run", "--select is not available with framework editions yet");
    if (o->edition.n) /* framework editions: each edition's run, then the joins across them */
        return cli_run_editions(c);
    if (o->edition.crosswalk[0])
        return cli_usage_error("run", "a crosswalk needs framework editions ([framework] "
                                      "section: '2017-2019 = FILE', '2020- = FILE')");
    if ((rc = cli_advance(c, CLI_STAGE_PIPELINE)) != 0)
        return rc;
    res = c->res;
    /* what audit-pairs leaves out of audit/correlations.csv is a warning of the run */
    if (cym_audit_limits(&res->warnings, res, (cym_audit_pairs)o->output.audit_pairs) < 0) {
        rc = cli_fail(cym_error_set(&err, CYM_ENOMEM, NULL, 0, 0, "out of memory"), &err);
        goto cleanup;
    }
    /* uncertain factors declared: the analysis runs (and is checked) before anything is
       written, and its tables go beside the run's */
    if (cym_unc_declared(&o->unc) && (rc = cli_run_uncertainty(&unc, c->ds, o, c->a.quiet)) != 0)
        goto cleanup;
    if ((rc = cli_run_options(&ro, c, unc)) != 0)
        goto cleanup;
    /* everything into the set's staging folder: the tables, the uncertainty analysis, the
       charts, the report; the output folder changes only when all of it was written. The
       charts first: the drawing processes draw them while this one writes the rest */
    if ((st = cym_plot_run_start(&charts, res, &o->output, c->wdir, &err)) < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    st = cym_run_set_write(c->set, res, &ro, &err);
    if (st >= 0 && unc)
        st = cym_uncertainty_write(unc, c->wdir, &err);
    /* results.sqlite: every CSV table above, read back from the stage (the charts' files are
       still hidden temporary files there) */
    if (st >= 0 && (o->output.tables & CYM_TABLES_SQLITE))
        st = cym_database_write(c->wdir, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    t_out = cli_now();
    /* the report, which draws its own SVG charts in processes of its own meanwhile; one it
       cannot draw is reported */
    if (o->output.report) {
        ro.report.trends = cym_run_set_trends(c->set); /* not computed twice */
        st_report = cym_report_write(res, &ro.report, CYM_REPORT_ALL, c->wdir, &report_failed,
                                     &report_err);
    }
    t_report = cli_now();
    /* every chart that fails is reported, and the run fails */
    {
        cym_warnings failed = {0};
        st = cym_plot_run_finish(charts, &failed, &err);
        charts = NULL;
        rc = cli_drawn(rc, st, &failed, &err);
    }
    t_charts = cli_now();
    /* the report's failures, as when it was written after the charts: only when they were
       drawn */
    if (rc == 0 && o->output.report) {
        for (size_t i = 0; i < report_failed.count; i++)
            fprintf(stderr, "cymetrics: %s\n", report_failed.lines[i]);
        if (st_report < 0)
            rc = cli_fail(st_report, &report_err);
        else if (report_failed.count)
            rc = EXIT_IO;
    }
    if (rc != 0 || (rc = cli_commit(c)) != 0)
        goto cleanup;
    if (getenv("CYMETRICS_TIMING"))
        fprintf(stderr,
                "timing: load %.3f s, pipeline %.3f s, output %.3f s, report %.3f s, charts "
                "%.3f s, commit %.3f s\n",
                c->t_load - c->t0, c->t_pipe - c->t_load, t_out - c->t_pipe, t_report - t_out,
                t_charts - t_report, cli_now() - t_charts);
    for (size_t i = 0; (w = cym__trend_run_warning(res, i)) != NULL; i++)
        cli_warning(c, "%s", w);
    if (o->edition.check_total[0] && !c->a.quiet) {
        cym_check chk;
        char line[512];
        memset(&chk, 0, sizeof(chk));
        if (cym_check_total(&chk, res, &o->edition, "", &err) >= 0) {
            cym_check_summary(line, sizeof(line), &chk, &o->edition);
            printf("%s\n", line);
        }
        cym_check_free(&chk);
    }
    if (!c->a.quiet)
        print_summary(res, o, outdir);

cleanup:
    cym_plot_run_finish(charts, NULL, NULL); /* a failure on the way: wait for the drawing */
    cym_warnings_clear(&report_failed);
    cym_uncertainty_free(unc);
    return rc;
}
