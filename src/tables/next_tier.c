/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The target tables: targets.csv (one plan, `cymetrics target`) and next_tier.csv (every
 * country's distance to the next tier in the run's last year, written by every run with
 * tiers). Numbers by cym_format_double, missing as empty cells, rows in countries.csv order.
 *
 * next_tier.csv runs one greedy search per country. Each search is bounded (NEXT_TIER_WORK
 * children visited, about a second on one core) so a framework of thousands of indicators
 * cannot stall a run: past the bound the steps cell is left empty and max_score still says
 * whether the next tier is reachable. A country-year below the coverage policy
 * (cym_results_flagged) is not searched unless the run's target_flagged says so: its steps
 * cell says `flagged` and max_score is empty. Countries are searched in parallel; each search is
 * independent and its row written in order, so the file does not depend on the threads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "tables/tables.h"

#define NEXT_TIER_WORK ((size_t)50 * 1000 * 1000)

/* A plan and the run it is of. */
typedef struct plan_of {
    const cym_target_plan *p;
    const cym_results *r;
} plan_of;

static void write_targets(FILE *f, const void *arg)
{
    const cym_target_plan *p = ((const plan_of *)arg)->p;
    const cym_results *r = ((const plan_of *)arg)->r;
    const cym_framework *fw = r->fw;
    fputs("country,year,step,code,name,pillar,current,target_value,gain,score_after\n", f);
    for (size_t k = 0; k < p->n_steps; k++) {
        const cym_target_step *s = &p->steps[k];
        size_t node = fw->indicators[s->indicator];
        long pil = cym_target_pillar(fw, node);
        fprintf(f, "%s,%d,%zu,", r->ds->units[p->unit].code, p->year, k + 1);
        cym__csv_put_text(f, fw->nodes[node].code);
        fputc(',', f);
        cym__csv_put_text(f, fw->nodes[node].name);
        fputc(',', f);
        if (pil >= 0 && (size_t)pil != node)
            cym__csv_put_text(f, fw->nodes[pil].code);
        cym__csv_put_nums(f, (const double[]){s->current, s->target_value, s->gain, s->score_after},
                          4);
        fputc('\n', f);
    }
}

cym_status cym_target_write(const cym_target_plan *p, const cym_results *r, const char *outdir,
                            cym_error *err)
{
    const plan_of a = {p, r};
    cym__outdir od;
    cym_status st;

    memset(&od, 0, sizeof(od));
    if ((st = cym__outdir_open(&od, outdir, err)) >= 0 &&
        (st = cym__outdir_write(&od, "targets.csv", write_targets, &a, err)) >= 0)
        st = cym__outdir_commit(&od, err);
    cym__outdir_free(&od);
    return st;
}

/* One row of next_tier.csv, computed before anything is written. */
typedef struct nt_row {
    double score, threshold, needed, max_score;
    int tier, next;
    long steps; /* -1 unreachable, -2 not searched (work bound), -3 flagged (coverage policy) */
    cym_status st;
    cym_error err;
} nt_row;

cym_status cym__target_write_next_tier(cym__outdir *od, const cym_results *r, cym_error *err)
{
    size_t t = r->n_years - 1, nu = r->n_units;
    nt_row *rows;
    double th[CYM_MAX_TIERS];
    FILE *f;
    cym_status st = CYM_OK;

    if (!r->opts.n_tiers)
        return CYM_OK;
    rows = calloc(nu ? nu : 1, sizeof(*rows));
    if (!rows)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < r->opts.n_tiers; k++)
        th[k] = cym_target_tier_threshold(r, t, k);
#pragma omp parallel for schedule(dynamic, 1) if (nu > 1 && r->n_ind > 50)
    for (size_t u = 0; u < nu; u++) {
        nt_row *row = &rows[u];
        cym_target_plan *p = NULL;
        row->score = r->score[cym_cube_cell(&r->node_cube, u, t, r->fw->root)];
        row->tier = r->tier[cym_cube_cell(&r->unit_cube, u, t, 0)];
        row->next = row->tier > 0 ? row->tier - 1 : row->tier < 0 ? (int)r->opts.n_tiers - 1 : -1;
        row->threshold = row->needed = row->max_score = NAN;
        row->steps = 0;
        if (isnan(row->score) || row->next < 0)
            continue;
        row->threshold = th[row->next];
        row->needed = row->threshold - row->score;
        /* no steps for a score on too little data (the coverage policy), unless asked */
        if (cym_results_flagged(r, u, t) && !r->opts.target_flagged) {
            row->steps = -3;
            continue;
        }
        row->st = cym_target_search(&p, r, u, t, row->threshold, NEXT_TIER_WORK, &row->err);
        if (row->st < 0)
            continue;
        row->max_score = p->max_score;
        row->steps = p->reached     ? (long)p->n_steps
                     : p->truncated ? (p->max_score >= row->threshold ? -2 : -1)
                                    : -1;
        cym_target_plan_free(p);
    }
    for (size_t u = 0; u < nu; u++)
        if (rows[u].st < 0) {
            if (err)
                *err = rows[u].err;
            st = rows[u].st;
            goto cleanup;
        }
    if ((st = cym__outdir_create(&f, od, "next_tier.csv", err)) < 0)
        goto cleanup;
    fputs("country,year,score,tier,next_tier,threshold,points_needed,steps,max_score\n", f);
    for (size_t u = 0; u < nu; u++) {
        const nt_row *row = &rows[u];
        if (isnan(row->score))
            continue;
        fprintf(f, "%s,%d,", r->ds->units[u].code, r->year0 + (int)t);
        cym__csv_put_num(f, row->score);
        fputc(',', f);
        if (row->tier >= 0)
            cym__csv_put_text(f, r->opts.tiers[row->tier].label);
        fputc(',', f);
        if (row->next >= 0)
            cym__csv_put_text(f, r->opts.tiers[row->next].label);
        cym__csv_put_nums(f, (const double[]){row->threshold, row->needed}, 2);
        fputc(',', f);
        if (row->next >= 0 && row->steps == -1)
            fputs("unreachable", f);
        else if (row->next >= 0 && row->steps == -3)
            fputs("flagged", f);
        else if (row->next >= 0 && row->steps >= 0)
            fprintf(f, "%ld", row->steps);
        cym__csv_put_nums(f, &row->max_score, 1);
        fputc('\n', f);
    }
    st = cym__outdir_close(od, f, "next_tier.csv", err);
cleanup:
    free(rows);
    return st;
}
