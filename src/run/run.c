/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a run writes, and in which order: the machine tables, the audit, the trends and
 * comparisons, the summary tables, the distance to the next tier, the check of published
 * totals and, last, the manifest, all into the staging folder of one result set (set.c),
 * swapped whole into place. No arithmetic here: every number comes from the modules below.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "cymetrics/edition.h"
#include "cymetrics/experts.h"
#include "cymetrics/run.h"
#include "io/outdir.h"
#include "report/report_internal.h"
#include "run/run_internal.h"
#include "tables/tables.h"

/* ---- the folder -------------------------------------------------------------------------- */

cym_status cym__run_refuse_inputs(const cym_results *r, const char *outdir, cym_error *err)
{
    const char *inputs[] = {r->fw->path, r->ds->countries_path, r->ds->data_path,
                            r->fw->experts ? r->fw->experts->path : NULL,
                            r->opts.goalposts ? r->opts.goalposts->path : NULL};
    return cym__outdir_refuse_inputs(outdir, inputs, sizeof(inputs) / sizeof(*inputs), err);
}

cym_status cym_run_write(const cym_results *r, const cym_run_options *o, const char *outdir,
                         cym_error *err)
{
    cym_run_set *set = NULL;
    /* the inputs first: nothing is made beside an input folder */
    cym_status st = cym__run_refuse_inputs(r, outdir, err);
    if (st >= 0)
        st = cym_run_set_begin(&set, outdir, err);
    if (st >= 0 && (st = cym_run_set_write(set, r, o, err)) >= 0)
        st = cym_run_set_commit(set, err);
    cym_run_set_free(set);
    return st;
}

cym_status cym__run_write_folder(cym_trends **trends, const cym_results *r,
                                 const cym_run_options *o, const char *outdir, cym_error *err)
{
    cym__outdir od;
    char *manifest = NULL;
    json_t *base = NULL;
    cym_trends *tr = NULL;
    cym_status st;
    FILE *f;

    memset(&od, 0, sizeof(od));
    if ((st = cym__manifest_build(&base, r, &o->report.provenance, err)) < 0)
        return st;
    if ((st = cym__manifest_text(&manifest, base, o->seconds, err)) < 0)
        goto cleanup;
    if ((st = cym__outdir_open(&od, outdir, err)) < 0)
        goto cleanup;
    if ((st = cym__tables_write(&od, r, err)) < 0)
        goto cleanup;
    /* the statistical audit is part of every run (issue 7) */
    if ((st = cym__audit_write(&od, r, 0, (cym_audit_pairs)o->report.output.audit_pairs, err)) <
        0)
        goto cleanup;
    /* trends and comparisons (issue 4): trends.csv, compare.csv, strengths.csv, yoy.csv (--yoy) */
    if ((st = cym_trends_compute(&tr, r, &o->report.trend, err)) < 0)
        goto cleanup;
    if ((st = cym__trend_write(&od, r, tr, &o->report.trend, err)) < 0)
        goto cleanup;
    /* the summary tables for people and other programs (issue 6): tables.md, tables.html,
       results.xlsx, results.json, as the output options ask */
    if ((st = cym__report_tables_write(&od, r, tr, &o->report, o->report.unc, base, err)) < 0)
        goto cleanup;
    /* distance to the next tier (issue 9): next_tier.csv, with tiers */
    if ((st = cym__target_write_next_tier(&od, r, err)) < 0)
        goto cleanup;
    /* published composites (issue 9): check_total.csv */
    if (o->edition && o->edition->check_total[0]) {
        cym_check chk;
        memset(&chk, 0, sizeof(chk));
        st = cym_check_total(&chk, r, o->edition, "", err);
        if (st >= 0 && (st = cym__outdir_create(&f, &od, "check_total.csv", err)) >= 0) {
            cym_run_write_check(f, &chk, r->ds);
            st = cym__outdir_close(&od, f, "check_total.csv", err);
        }
        cym_check_free(&chk);
        if (st < 0)
            goto cleanup;
    }
    if ((st = cym__outdir_printf(&od, "manifest.json", err, "%s\n", manifest)) < 0)
        goto cleanup;
    if ((st = cym__outdir_commit(&od, err)) >= 0 && trends) {
        *trends = tr; /* for the report */
        tr = NULL;
    }

cleanup:
    free(manifest);
    json_decref(base);
    cym_trends_free(tr);
    cym__outdir_free(&od);
    return st;
}
