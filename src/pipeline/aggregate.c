/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The weights and the aggregation (METHODS.md section 5): every aggregate of the framework
 * from the leaves up, with the framework's, equal, PCA or given per-node weights, by the
 * node's own `method` or the run's --aggregate, then each node's weight relative to its
 * siblings and in the index. Reads only the indicators' scores, so it can run again on
 * prepared data with other weights (cym_results_derive).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "core/util.h"
#include "pipeline/pipeline_internal.h"

/* ---- weights and aggregation ------------------------------------------------------------- */

/* The framework's `method` of a node overrides the global --aggregate. */
static const cym_agg_spec *node_method(const cym__stage *c, const cym_node *nd)
{
    return nd->has_method ? &nd->method : &c->o->agg;
}

/* PCA weights of one aggregate over all selected unit-years (complete cases). */
static cym_status pca_weights(cym__stage *c, const cym_node *nd, double *w)
{
    cym_results *r = c->r;
    size_t k = nd->n_children, rows = r->n_units * r->n_years;
    double *X = malloc(rows * k * sizeof(*X));
    cym_status st;
    if (!X)
        return cym__nomem(c->err);
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            for (size_t j = 0; j < k; j++)
                X[(u * r->n_years + t) * k + j] =
                    r->score[cym_cube_cell(&r->node_cube, u, t, nd->children[j])];
    st = cym_weights_pca(w, NULL, NULL, X, rows, k, c->err);
    free(X);
    if (st < 0 && c->err) {
        char msg[CYM_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof(msg), "%s", c->err->message);
        cym_error_set(c->err, st, NULL, 0, 0, "pca weights of '%s': %s", nd->code, msg);
    }
    return st;
}

/*
 * The error of an aggregation that cym_aggregate refused, in the method's own terms: the
 * first participating child (weight > 0) outside the method's domain, or for
 * mazziotta-pareto, which takes any sign, a weighted mean of 0 (its cv divides by it).
 */
static cym_status aggregate_error(cym__stage *c, const cym_node *nd, size_t u, size_t t,
                                  const double *x, const double *w, const cym_agg_spec *spec,
                                  cym_error *err)
{
    const char *code = cym_agg_name(spec->method), *unit = c->ds->units[u].code;
    int year = c->r->year0 + (int)t;
    /* power with p > 0 is defined at 0; geometric, harmonic and p < 0 are not */
    int zero_ok = spec->method == CYM_AGG_POWER && spec->p > 0.0;
    size_t j = 0;

    if (spec->method == CYM_AGG_MAZZIOTTA_PARETO)
        return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                             "%s aggregation of '%s' for %s in %d is undefined: the weighted "
                             "mean of its children is 0 (the coefficient of variation divides "
                             "by it; normalise onto a range away from 0, e.g. --normalise "
                             "zscore:100,10)",
                             code, nd->code, unit, year);
    for (; j < nd->n_children; j++)
        if (!isnan(x[j]) && w[j] > 0.0 && (zero_ok ? x[j] < 0.0 : x[j] <= 0.0))
            break;
    return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                         "%s aggregation of '%s' for %s in %d needs scores %s 0, but '%s' is %g "
                         "(normalise onto a positive range, e.g. --range 1,100)",
                         code, nd->code, unit, year, zero_ok ? ">=" : ">",
                         j < nd->n_children ? c->fw->nodes[nd->children[j]].code : "?",
                         j < nd->n_children ? x[j] : 0.0);
}

/* Up to this many children, nodes and edges, the work vectors are on the stack: the Monte
   Carlo aggregates once per replication, and allocating them was a few percent of it. */
#define SMALL 128

/* Work vectors of one thread for aggregation. */
typedef struct agg_work {
    double *x;   /* one unit's children */
    double *X;   /* every unit's children (Copeland only) */
    double *col; /* Copeland scores */
    double x_small[SMALL];
} agg_work;

static int agg_work_init(agg_work *a, size_t n_units, size_t maxk, int copeland)
{
    a->x = maxk <= SMALL ? a->x_small : malloc(maxk * sizeof(double));
    a->X = copeland ? malloc(n_units * maxk * sizeof(double)) : NULL;
    a->col = copeland ? malloc(n_units * sizeof(double)) : NULL;
    return a->x && (!copeland || (a->X && a->col)) ? 0 : -1;
}

static void agg_work_free(agg_work *a)
{
    if (a->x != a->x_small)
        free(a->x);
    free(a->X);
    free(a->col);
}

/* 1 when some node aggregates by Copeland (its own method or the run's). */
static int any_copeland(const cym__stage *c)
{
    for (size_t n = 0; n < c->fw->n_nodes; n++)
        if (c->fw->nodes[n].n_children &&
            node_method(c, &c->fw->nodes[n])->method == CYM_AGG_COPELAND)
            return 1;
    return 0;
}

/* Aggregates node `id` in year t for every unit, with the children's weights w. */
static cym_status aggregate_node_year(cym__stage *c, size_t id, size_t t, const double *w,
                                      agg_work *a, size_t *below, cym_error *err)
{
    cym_results *r = c->r;
    const cym_node *nd = &c->fw->nodes[id];
    const cym_agg_spec *spec = node_method(c, nd);
    size_t k = nd->n_children;
    double total = 0.0;
    int fast = spec->method == CYM_AGG_ARITHMETIC && k > 0;
    cym_status st;

    /* The arithmetic mean of a unit with every child present, as cym_aggregate computes it
       (the same sums in the same order: the same bits), with its checks of the weights made
       once for all units instead of once per unit: the Monte Carlo aggregates every node once
       a replication, and this was a third of it. Anything else goes to cym_aggregate. */
    for (size_t j = 0; fast && j < k; j++) {
        if (!(w[j] >= 0.0) || isinf(w[j]))
            fast = 0;
        total += w[j];
    }
    fast = fast && total > 0.0 && !isinf(total) &&
           cym_aggregate_covered(total / total, c->o->min_coverage);
    if (spec->method == CYM_AGG_COPELAND) {
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t j = 0; j < k; j++)
                a->X[u * k + j] = r->score[cym_cube_cell(&r->node_cube, u, t, nd->children[j])];
        st = cym_aggregate_copeland(a->col, a->X, w, r->n_units, k);
        if (st < 0)
            return cym_error_set(err, st, NULL, 0, 0, "copeland aggregation of '%s' failed",
                                 nd->code);
    }
    for (size_t u = 0; u < r->n_units; u++) {
        size_t cell = cym_cube_cell(&r->node_cube, u, t, id);
        double cov, val;
        int all = 1;
        for (size_t j = 0; j < k; j++) {
            a->x[j] = r->score[cym_cube_cell(&r->node_cube, u, t, nd->children[j])];
            all &= !isnan(a->x[j]);
        }
        if (fast && all) {
            double acc = 0.0, pw = 0.0;
            for (size_t j = 0; j < k; j++) {
                if (w[j] == 0.0)
                    continue;
                acc += w[j] * a->x[j];
                pw += w[j];
            }
            val = acc / pw;
            cov = total / total;
        } else if (spec->method == CYM_AGG_COPELAND) {
            double wp = 0, wt = 0;
            for (size_t j = 0; j < k; j++) {
                wt += w[j];
                if (!isnan(a->x[j]))
                    wp += w[j];
            }
            cov = wt > 0 ? wp / wt : 0;
            val = cov > 0 && cym_aggregate_covered(cov, c->o->min_coverage) ? a->col[u] : NAN;
        } else if (cym_aggregate(&val, &cov, a->x, w, k, spec, c->o->min_coverage) < 0) {
            return aggregate_error(c, nd, u, t, a->x, w, spec, err);
        }
        if (!isfinite(val)) {
            /* a value was computed when enough weight had data and some of it takes part */
            int computed = 0;
            char what[64];
            for (size_t j = 0; j < k; j++)
                if (!isnan(a->x[j]) && w[j] > 0)
                    computed = 1;
            computed = computed && cov > 0 && cym_aggregate_covered(cov, c->o->min_coverage);
            snprintf(what, sizeof(what), "the %s aggregate", cym_agg_name(spec->method));
            if ((st = cym__check_finite(c, val, computed, what, nd->code, (long)u, (long)t, err)) <
                0)
                return st;
        }
        if (isnan(val) && cov > 0)
            (*below)++;
        r->score[cell] = val;
    }
    return CYM_OK;
}

/*
 * The data coverage of every aggregate (cym_results.coverage): the children's coverage
 * weighted by their relative weights, bottom-up from the indicators' 1 (observed) or 0, so
 * the share of the node's effective weight whose indicators have data. Not the share of the
 * direct children with a score that gates min_coverage: an aggregate of two equal children
 * that both have a score, one of them on data for half its weight, has that share 1 and
 * coverage 0.75. A node whose children all weigh 0 has coverage 0.
 */
static void data_coverage(cym_results *r, int parallel)
{
    const cym_framework *fw = r->fw;
#pragma omp parallel for schedule(static) if (parallel)
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++) {
            double *cov = r->coverage + cym_cube_cell(&r->node_cube, u, t, 0);
            for (size_t b = 0; b < fw->n_nodes; b++) {
                const cym_node *nd = &fw->nodes[fw->bottom_up[b]];
                double sum = 0;
                if (!nd->n_children)
                    continue;
                for (size_t j = 0; j < nd->n_children; j++)
                    if (r->weight[nd->children[j]] > 0)
                        sum += r->weight[nd->children[j]] * cov[nd->children[j]];
                cov[fw->bottom_up[b]] = sum;
            }
        }
}

/*
 * The children's weights of every aggregate and their sum must be finite: a sum beyond
 * DBL_MAX (weights near 1e308) would make every relative weight 0 and the means NaN.
 */
static cym_status check_weights(cym__stage *c, const double *wt, const size_t *off)
{
    const cym_framework *fw = c->fw;
    cym_status st;
    for (size_t n = 0; n < fw->n_nodes; n++) {
        const cym_node *nd = &fw->nodes[n];
        double sum = 0;
        for (size_t j = 0; j < nd->n_children; j++) {
            double v = wt[off[n] + j];
            if ((st = cym__check_finite(c, v, 1, "the weight", fw->nodes[nd->children[j]].code, -1,
                                        -1, c->err)) < 0)
                return st;
            sum += v;
        }
        if ((st = cym__check_finite(c, sum, 1, "the sum of the children's weights", nd->code, -1,
                                    -1, c->err)) < 0)
            return st;
    }
    return CYM_OK;
}

/* 1 when aggregate `id` is to be computed: every one, or only those above node `above`. */
static int wanted(const cym_framework *fw, size_t id, long above)
{
    for (long p = above < 0 ? (long)id : fw->nodes[above].parent; p >= 0; p = fw->nodes[p].parent)
        if ((size_t)p == id)
            return 1;
    return 0;
}

/*
 * Every aggregate, bottom-up (with `above` >= 0, only the ancestors of that node). With
 * framework or equal weights the years are independent and run in parallel; PCA weights need
 * every year of the children first, so that path goes node by node.
 */
static cym_status aggregate(cym__stage *c, int with_coverage, long above)
{
    cym_results *r = c->r;
    const cym_framework *fw = c->fw;
    size_t maxk = 1, total = 0, below = 0;
    size_t off_small[SMALL], *off = fw->n_nodes <= SMALL ? off_small
                                                         : malloc(fw->n_nodes * sizeof(*off));
    double wt_small[SMALL], *wt = NULL;
    int copeland = any_copeland(c);
    cym__first_failure ff;
    cym_status st = CYM_OK;

    cym__first_failure_init(&ff);
    if (!off)
        return cym__nomem(c->err);
    for (size_t n = 0; n < fw->n_nodes; n++) {
        off[n] = total;
        total += fw->nodes[n].n_children;
        if (fw->nodes[n].n_children > maxk)
            maxk = fw->nodes[n].n_children;
    }
    wt = total <= SMALL ? wt_small : malloc(total * sizeof(*wt));
    if (!wt) {
        st = cym__nomem(c->err);
        goto cleanup;
    }
    for (size_t n = 0; n < fw->n_nodes; n++)
        for (size_t j = 0; j < fw->nodes[n].n_children; j++) {
            size_t ch = fw->nodes[n].children[j];
            wt[off[n] + j] = c->o->node_weights                   ? c->o->node_weights[ch]
                             : c->o->weights == CYM_WEIGHTS_EQUAL ? 1.0
                                                                  : fw->nodes[ch].weight;
        }

    if ((st = check_weights(c, wt, off)) < 0)
        goto cleanup;
    if (c->o->weights == CYM_WEIGHTS_PCA) {
        agg_work a;
        if (agg_work_init(&a, r->n_units, maxk, copeland) < 0) {
            agg_work_free(&a);
            st = cym__nomem(c->err);
            goto cleanup;
        }
        for (size_t b = 0; b < fw->n_nodes && st >= 0; b++) {
            size_t id = fw->bottom_up[b];
            if (!fw->nodes[id].n_children || !wanted(fw, id, above))
                continue;
            st = pca_weights(c, &fw->nodes[id], wt + off[id]);
            if (st >= 0)
                st = check_weights(c, wt, off);
            for (size_t t = 0; t < r->n_years && st >= 0; t++)
                st = aggregate_node_year(c, id, t, wt + off[id], &a, &below, c->err);
        }
        agg_work_free(&a);
        if (st < 0)
            goto cleanup;
    } else {
#pragma omp parallel reduction(+ : below) if (c->parallel)
        {
            agg_work a;
            cym_error e;
            int ok = agg_work_init(&a, r->n_units, maxk, copeland) == 0;
#pragma omp for schedule(dynamic, 1)
            for (size_t t = 0; t < r->n_years; t++)
                for (size_t b = 0; b < fw->n_nodes; b++) {
                    size_t id = fw->bottom_up[b];
                    cym_status s2;
                    if (!fw->nodes[id].n_children || !wanted(fw, id, above))
                        continue;
                    s2 = ok ? aggregate_node_year(c, id, t, wt + off[id], &a, &below, &e)
                            : cym_error_set(&e, CYM_ENOMEM, NULL, 0, 0, "out of memory");
                    if (s2 < 0) {
                        /* the order of the serial loop: node by node, then year */
                        cym__first_failure_set(&ff, b * r->n_years + t, s2, &e);
                        break;
                    }
                }
            agg_work_free(&a);
        }
        if ((st = cym__first_failure_take(&ff, c->err)) < 0)
            goto cleanup;
    }
    if (below && cym_warnings_add(&r->warnings,
                                  "%zu aggregate scores are missing because less than %g of "
                                  "their weight had data (--min-coverage)",
                                  below, c->o->min_coverage) < 0) {
        st = cym__nomem(c->err);
        goto cleanup;
    }
    /* weights relative to the siblings, and effective weights from the index down */
    for (size_t n = 0; n < fw->n_nodes; n++) {
        const cym_node *nd = &fw->nodes[n];
        double sum = 0;
        for (size_t j = 0; j < nd->n_children; j++)
            sum += wt[off[n] + j];
        for (size_t j = 0; j < nd->n_children; j++)
            r->weight[nd->children[j]] = sum > 0 ? wt[off[n] + j] / sum : NAN;
    }
    r->weight[fw->root] = 1.0;
    for (size_t b = fw->n_nodes; b-- > 0;) {
        size_t n = fw->bottom_up[b];
        long p = fw->nodes[n].parent;
        r->eff_weight[n] = p < 0 ? 1.0 : r->eff_weight[p] * r->weight[n];
    }
    if (with_coverage)
        data_coverage(r, c->parallel);

cleanup:
    if (off != off_small)
        free(off);
    if (wt != wt_small)
        free(wt);
    return st;
}

cym_status cym_pipeline_aggregate(cym_results *r, cym_error *err)
{
    cym__stage c;
    cym__stage_init(&c, r, err);
    return aggregate(&c, 1, -1);
}

cym_status cym_pipeline_aggregate_scores(cym_results *r, cym_error *err)
{
    cym__stage c;
    cym__stage_init(&c, r, err);
    return aggregate(&c, 0, -1);
}

cym_status cym_pipeline_aggregate_above(cym_results *r, size_t n, cym_error *err)
{
    cym__stage c;
    cym__stage_init(&c, r, err);
    return aggregate(&c, 0, (long)n);
}
