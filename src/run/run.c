/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a run writes, and in which order: the machine tables, the audit, the trends and
 * comparisons, the summary tables, the distance to the next tier, the check of published
 * totals and, last, the manifest, all into the staging folder of one result set (set.c),
 * swapped whole into place. No arithmetic here: every number comes from the modules below.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "core/parallel.h"
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

/*
 * The parts of a run's output that only read the results and make files of their own: the
 * manifest's text (with the SHA-256 of the inputs), the machine tables, the statistical audit,
 * the trends, the comparisons. On small data each is one thread's work (their own loops go
 * parallel from about 65,000 cells), so they run at once, one per core, the longest first;
 * each writes through its own cym__outdir into the same folder, so the bytes do not depend on
 * the threads (docs/performance.md, "Start-up"). On large data they run one after another,
 * each on every core (at once, they would also add up their memory), except the comparisons:
 * small in memory, they run in a thread of their own beside the machine tables, whose threads
 * leave the cores idle while they wait their turn to write.
 */
enum { T_MANIFEST, T_TABLES, T_AUDIT, T_TRENDS, T_COMPARE, N_TASKS };

typedef struct out_parts {
    cym__outdir od[N_TASKS]; /* one per task; T_MANIFEST's (empty) takes the files after */
    json_t *base;            /* the manifest, for results.json */
    json_t *manifest;        /* and with the run time */
    cym_trends *tr;
} out_parts;

static cym_status run_task(int task, out_parts *p, const cym_results *r, const cym_run_options *o,
                           cym_error *err)
{
    cym_status st;
    switch (task) {
    case T_MANIFEST:
        if ((st = cym__manifest_build(&p->base, r, &o->report.provenance, err)) < 0)
            return st;
        return cym__manifest_final(&p->manifest, p->base, o->seconds, err);
    case T_TABLES: return cym__tables_write(&p->od[task], r, err);
    case T_AUDIT: /* the statistical audit is part of every run (issue 7) */
        return cym__audit_write(&p->od[task], r, 0, (cym_audit_pairs)o->report.output.audit_pairs,
                                err);
    case T_TRENDS: /* trends (issue 4): trends.csv, yoy.csv (--yoy) */
        if ((st = cym_trends_compute(&p->tr, r, &o->report.trend, err)) < 0)
            return st;
        return cym__trend_write_series(&p->od[task], p->tr, &o->report.trend, err);
    default: /* comparisons (issue 4): compare.csv, strengths.csv; from the scores alone */
        return cym__compare_write(&p->od[task], r, &o->report.trend, err);
    }
}

typedef struct beside {
    out_parts *p;
    const cym_results *r;
    const cym_run_options *o;
    cym__first_failure *ff;
} beside;

static void *compare_beside(void *arg)
{
    const beside *b = arg;
    cym_error e;
    cym_status st = run_task(T_COMPARE, b->p, b->r, b->o, &e);
    if (st < 0)
        cym__first_failure_set(b->ff, T_COMPARE, st, &e);
    return NULL;
}

static cym_status run_tasks(out_parts *p, const cym_results *r, const cym_run_options *o,
                            const char *outdir, cym_error *err)
{
    static const int longest_first[N_TASKS] = {T_TRENDS, T_AUDIT, T_COMPARE, T_TABLES,
                                               T_MANIFEST};
    int at_once = r->n_units * r->n_years * r->fw->n_nodes < ((size_t)1 << 16);
    size_t next = 0;
    cym__first_failure ff;
    beside b = {p, r, o, &ff};
    pthread_t th;
    int started = 0;
    cym__first_failure_init(&ff);
    for (int t = 0; t < N_TASKS; t++) {
        cym_status st = cym__outdir_open(&p->od[t], outdir, err);
        if (st < 0)
            return st;
    }
    /* each thread takes the next task (an atomic counter: the plain parallel region is the
       one entry point of libgomp it needs, cli/gomp.c) */
#pragma omp parallel if (at_once)
    for (;;) {
        size_t k, stop;
        cym_error e;
        cym_status st;
#pragma omp atomic capture
        k = next++;
#pragma omp atomic read
        stop = ff.at;
        /* a failure stops the tasks not begun; the one reported is the first in serial order */
        if (k >= N_TASKS || stop != SIZE_MAX)
            break;
        /* one after another: the comparisons beside the tables (in line if no thread) */
        if (!at_once && longest_first[k] == T_COMPARE &&
            (started = pthread_create(&th, NULL, compare_beside, &b) == 0))
            continue;
        if ((st = run_task(longest_first[k], p, r, o, &e)) < 0)
            cym__first_failure_set(&ff, (size_t)longest_first[k], st, &e);
    }
    if (started)
        pthread_join(th, NULL);
    return cym__first_failure_take(&ff, err);
}

cym_status cym__run_write_folder(cym_trends **trends, json_t **manifest, const cym_results *r,
                                 const cym_run_options *o, const char *outdir, cym_error *err)
{
    out_parts p;
    cym__outdir *od = &p.od[T_MANIFEST];
    cym_status st;
    FILE *f;

    memset(&p, 0, sizeof(p));
    /* the manifest's text, the machine tables, the audit, the trends and comparisons */
    if ((st = run_tasks(&p, r, o, outdir, err)) < 0)
        goto cleanup;
    /* the summary tables for people and other programs (issue 6): tables.md, tables.html,
       results.xlsx, results.json, as the output options ask */
    if ((st = cym__report_tables_write(od, r, p.tr, &o->report, o->report.unc, p.base, err)) < 0)
        goto cleanup;
    /* distance to the next tier (issue 9): next_tier.csv, with tiers */
    if ((st = cym__target_write_next_tier(od, r, err)) < 0)
        goto cleanup;
    /* published composites (issue 9): check_total.csv */
    if (o->edition && o->edition->check_total[0]) {
        cym_check chk;
        memset(&chk, 0, sizeof(chk));
        st = cym_check_total(&chk, r, o->edition, "", err);
        if (st >= 0 && (st = cym__outdir_create(&f, od, "check_total.csv", err)) >= 0) {
            cym_run_write_check(f, &chk, r->ds);
            st = cym__outdir_close(od, f, "check_total.csv", err);
        }
        cym_check_free(&chk);
        if (st < 0)
            goto cleanup;
    }
    if (!manifest && (st = cym__manifest_write(od, "manifest.json", p.manifest, err)) < 0)
        goto cleanup;
    for (int t = 0; t < N_TASKS && st >= 0; t++)
        st = cym__outdir_commit(&p.od[t], err);
    if (st >= 0 && trends) {
        *trends = p.tr; /* for the report */
        p.tr = NULL;
    }
    if (st >= 0 && manifest) {
        *manifest = p.manifest;
        p.manifest = NULL;
    }

cleanup:
    json_decref(p.manifest);
    json_decref(p.base);
    cym_trends_free(p.tr);
    for (int t = 0; t < N_TASKS; t++)
        cym__outdir_free(&p.od[t]);
    return st;
}
