/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics run` of a dataset with framework editions: each edition's run, then the joins. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cymetrics/database.h"
#include "cymetrics/edition.h"
#include "cymetrics/run.h"

static void print_summary(const cym_editions *e, const cym_options *o, const char *outdir)
{
    static const char *const basis[] = {"common", "rebased", "percentile"};
    size_t t = e->n_years - 1;
    int k = e->edition_of[t];
    printf("%s: %zu countries, %d-%d, %zu framework editions:", o->output.name, e->n_units,
           e->year0, e->year0 + (int)t, e->n);
    for (size_t i = 0; i < e->n; i++)
        printf(" %s (%zu indicators)", e->ed[i].label, e->ed[i].fw->n_indicators);
    printf("\n");
    if (k >= 0) {
        const cym_results *r = e->ed[k].res;
        size_t rt = (size_t)(e->year0 + (int)t - r->year0);
        printf("%s %d (rank, country, score, %s basis):\n", r->fw->nodes[r->fw->root].code,
               e->year0 + (int)t, basis[e->across]);
        for (double want = 1; want <= (double)e->n_units; want++)
            for (size_t u = 0; u < e->n_units; u++) {
                size_t cell = cym_cube_cell(&r->node_cube, u, rt, r->fw->root);
                char name[256];
                if (r->rank[cell] != want)
                    continue;
                printf("  %3.0f  %-3s  %s %6.1f  %6.1f\n", r->rank[cell], r->ds->units[u].code,
                       cli_pad(name, sizeof(name), r->ds->units[u].name, 28), r->score[cell],
                       e->basis[u * e->n_years + t]);
            }
    }
    cli_print_results(o, outdir);
}

int cli_run_editions(cli_ctx *c)
{
    const cym_options *o = &c->o;
    const char *outdir = c->outdir;
    int quiet = c->a.quiet;
    cym_editions_options eo = cli_editions_options(o);
    cym_editions *e = NULL;
    cym_run_options ro;
    cym_error err;
    cym_status st;
    int rc;

    cym_error_clear(&err);
    if ((rc = cli_run_options(&ro, c, NULL)) != 0)
        return rc;
    if ((st = cym_editions_load(&e, &eo, &err)) < 0 || (st = cym_editions_run(e, &err)) < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    /* check-total before anything is written: a series or node it cannot find stops the run
       before any table is made */
    if (o->edition.check_total[0]) {
        cym_check chk;
        st = cym_editions_check(&chk, e, &err);
        cym_check_free(&chk);
        if (st < 0) {
            rc = cli_fail(st, &err);
            goto cleanup;
        }
    }
    st = cym_run_set_write_editions(c->set, e, &ro, &err);
    if (st >= 0 && (o->output.tables & CYM_TABLES_SQLITE))
        st = cym_database_write(c->wdir, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    {
        cym_warnings failed = {0};
        st = cym_run_plot_editions(e, &o->output, c->wdir, &failed, &err);
        rc = cli_drawn(rc, st, &failed, &err);
    }
    /* each edition's report in its folder, as `run` writes one for a single framework */
    for (size_t k = 0; o->output.report && k < e->n; k++) {
        cym_warnings failed = {0};
        char sub[CYM_PATH_MAX];
        if (!e->ed[k].res)
            continue;
        if (snprintf(sub, sizeof(sub), "%s/edition-%s", c->wdir, e->ed[k].label) >=
            (int)sizeof(sub)) {
            rc = cli_usage_error("run", "output path too long");
            goto cleanup;
        }
        st = cym_report_write(e->ed[k].res, &ro.report, CYM_REPORT_ALL, sub, &failed, &err);
        rc = cli_drawn(rc, st, &failed, &err);
        if (st < 0)
            goto cleanup;
    }
    /* the joined folder's own report, linking the editions' */
    if (o->output.report) {
        cym_warnings failed = {0};
        st = cym_run_report_editions(e, &ro.report, c->wdir, &failed, &err);
        rc = cli_drawn(rc, st, &failed, &err);
        if (st < 0)
            goto cleanup;
    }
    if (rc != 0 || (rc = cli_commit(c)) != 0)
        goto cleanup;
    for (size_t i = 0; i < e->warnings.count; i++)
        cli_warning(c, "%s", e->warnings.lines[i]);
    for (size_t k = 0; k < e->n; k++) {
        for (size_t i = 0; i < e->ed[k].ds->warnings.count; i++)
            cli_warning(c, "edition %s: %s", e->ed[k].label,
                    e->ed[k].ds->warnings.lines[i]);
        for (size_t i = 0; e->ed[k].res && i < e->ed[k].res->warnings.count; i++)
            cli_warning(c, "edition %s: %s", e->ed[k].label,
                    e->ed[k].res->warnings.lines[i]);
    }
    if (o->edition.check_total[0]) {
        cym_check chk;
        char line[512];
        if ((st = cym_editions_check(&chk, e, &err)) < 0) {
            rc = cli_fail(st, &err);
            goto cleanup;
        }
        cym_check_summary(line, sizeof(line), &chk, &o->edition);
        if (!quiet)
            printf("%s\n", line);
        cym_check_free(&chk);
    }
    if (!quiet)
        print_summary(e, o, outdir);
cleanup:
    cym_editions_free(e);
    return rc;
}
