/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Ranks and tiers (METHODS.md section 6): each chosen node's scores ranked among the
 * countries per year (min, dense or ordinal ties; ordinal ties broken by a node or series,
 * then by country code), and the index scores put into tiers by threshold or percentile.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "pipeline/pipeline_internal.h"

typedef struct unit_key {
    char code[4];
    size_t index;
} unit_key;

static int by_unit_code(const void *a, const void *b)
{
    return strcmp(((const unit_key *)a)->code, ((const unit_key *)b)->code);
}

/* Ranks the m rows of one year, T[j * nu ..], in place (T holds units in code order). */
static cym_status rank_year(cym__stage *c, double *T, size_t m, double *x, const double *tb)
{
    size_t nu = c->r->n_units;
    for (size_t n = 0; n < m; n++) {
        if (cym_rank(x, T + n * nu, nu, c->o->ties, c->o->ties == CYM_TIES_ORDINAL ? tb : NULL) < 0)
            return CYM_ENOMEM;
        memcpy(T + n * nu, x, nu * sizeof(*x));
    }
    return CYM_OK;
}

/* Up to this many unit-node cells a year, the work vectors are on the stack. */
#define SMALL 256

/* The node of row j of the transposed scores: nodes[j], or j when every node is ranked. */
#define NODE(j) (nodes ? nodes[j] : (j))

cym_status cym__unit_order(cym_results *r)
{
    size_t nu = r->n_units;
    unit_key *keys = malloc((nu ? nu : 1) * sizeof(*keys));
    r->unit_order = malloc((nu ? nu : 1) * sizeof(*r->unit_order));
    if (!keys || !r->unit_order) {
        free(keys);
        return CYM_ENOMEM;
    }
    for (size_t i = 0; i < nu; i++) {
        memcpy(keys[i].code, r->ds->units[i].code, sizeof(keys[i].code));
        keys[i].index = i;
    }
    qsort(keys, nu, sizeof(*keys), by_unit_code);
    for (size_t i = 0; i < nu; i++)
        r->unit_order[i] = keys[i].index;
    free(keys);
    return CYM_OK;
}

static cym_status rank_nodes(cym__stage *c, const size_t *nodes, size_t m)
{
    cym_results *r = c->r;
    size_t nu = r->n_units;
    const size_t *order = r->unit_order; /* made once, by cym_pipeline_prepare */
    long tb_node = -1, tb_series = -1;
    int failed = 0;
    cym_status st = CYM_OK;

    if (c->o->ties == CYM_TIES_ORDINAL) {
        tb_node = cym_framework_find(c->fw, c->o->tiebreak);
        if (tb_node < 0) {
            tb_series = cym_dataset_find_series(c->ds, c->o->tiebreak);
            if (tb_series < 0) {
                st = cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0,
                                   "rank-ties ordinal:%s: '%s' is neither a node of the "
                                   "framework nor a series of the data",
                                   c->o->tiebreak, c->o->tiebreak);
                return st;
            }
        }
    }
    /* per year (in parallel), transpose the scores to node-major with units in code order,
       rank each node's row, and transpose the ranks back: every pass reads memory in order */
#pragma omp parallel if (c->parallel)
    {
        /* on the stack when small (the Monte Carlo ranks the index of ASEM's 51 units once
           per replication) */
        double x_small[SMALL], tb_small[SMALL], T_small[SMALL];
        int small = nu * (m ? m : 1) <= SMALL;
        double *x = small ? x_small : malloc(nu * sizeof(*x)),
               *tb = small ? tb_small : malloc(nu * sizeof(*tb)),
               *T = small ? T_small : malloc(nu * (m ? m : 1) * sizeof(*T));
#pragma omp for schedule(dynamic, 1)
        for (size_t t = 0; t < r->n_years; t++) {
            if (!x || !tb || !T) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            for (size_t j = 0; j < nu; j++) {
                const double *row = &r->score[cym_cube_cell(&r->node_cube, order[j], t, 0)];
                for (size_t n = 0; n < m; n++)
                    T[n * nu + j] = row[NODE(n)];
                tb[j] = tb_node >= 0     ? row[tb_node]
                        : tb_series >= 0 ? c->ds->values[cym_dataset_cell(
                                               c->ds, order[j], t + c->toff, (size_t)tb_series)]
                                         : NAN;
            }
            if (rank_year(c, T, m, x, tb) < 0) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            for (size_t j = 0; j < nu; j++) {
                double *row = &r->rank[cym_cube_cell(&r->node_cube, order[j], t, 0)];
                for (size_t n = 0; n < m; n++)
                    row[NODE(n)] = T[n * nu + j];
            }
        }
        if (!small) {
            free(x);
            free(tb);
            free(T);
        }
    }
    if (failed)
        st = cym__nomem(c->err);
    return st;
}

#undef NODE

cym_status cym_pipeline_rank(cym_results *r, const size_t *nodes, size_t n, cym_error *err)
{
    cym__stage c;
    cym__stage_init(&c, r, err);
    return rank_nodes(&c, nodes, nodes ? n : r->n_nodes);
}

cym_status cym_pipeline_tier(cym_results *r)
{
    const cym_pipeline_options *o = &r->opts;
    double th[CYM_MAX_TIERS];
    double *buf = malloc((r->n_units ? r->n_units : 1) * sizeof(*buf));
    if (!buf)
        return CYM_ENOMEM;
    for (size_t t = 0; t < r->n_years; t++) {
        for (size_t k = 0; k < o->n_tiers; k++) {
            th[k] = o->tiers[k].threshold;
            if (o->tiers[k].percentile) {
                for (size_t u = 0; u < r->n_units; u++)
                    buf[u] = r->score[cym_cube_cell(&r->node_cube, u, t, r->fw->root)];
                th[k] = cym_stats_quantile(buf, r->n_units, o->tiers[k].threshold / 100.0);
            }
        }
        for (size_t u = 0; u < r->n_units; u++) {
            double s = r->score[cym_cube_cell(&r->node_cube, u, t, r->fw->root)];
            size_t cell = cym_cube_cell(&r->unit_cube, u, t, 0);
            long tier = -1;
            r->tier[cell] = -1;
            r->tier_gap[cell] = NAN;
            if (isnan(s) || !o->n_tiers)
                continue;
            for (size_t k = 0; k < o->n_tiers && tier < 0; k++)
                if (s >= th[k])
                    tier = (long)k;
            r->tier[cell] = (int)tier;
            if (tier > 0)
                r->tier_gap[cell] = th[tier - 1] - s;
            else if (tier < 0)
                r->tier_gap[cell] = th[o->n_tiers - 1] - s;
        }
    }
    free(buf);
    return CYM_OK;
}
