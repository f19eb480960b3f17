/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The index pipeline, in the order of METHODS.md: select years -> denominate -> impute ->
 * orient by direction (x -1 for lower-is-better, before any statistic is read) -> treat
 * outliers -> normalise (pooled over the panel, or per year) -> weight -> aggregate every
 * node from the leaves up -> rank every node per year -> tier the index.
 *
 * The methods themselves live in impute.c, treat.c, normalise.c, aggregate.c, weight.c and
 * rank.c and work on plain vectors; this file only gathers the right vectors out of the cube
 * and scatters the results back, so each step can be checked on its own.
 */
#include "cymetrics/pipeline.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "core/util.h"

#define PARALLEL_MIN_CELLS ((size_t)1 << 17)

typedef struct ctx {
    cym_results *r;
    const cym_dataset *ds;
    const cym_framework *fw;
    const cym_options *o;
    const double *node_weights; /* per node, replacing the framework's weights, or NULL */
    size_t toff;                /* year offset of the selection in the dataset cube */
    int parallel;               /* large enough to be worth threads */
    long ref_unit;              /* dist2ref: the reference unit, else -1 */
    double *buf;                /* work vectors of n_units * n_years */
    double *buf2;
    unsigned *fbuf;
    cym_error *err;
} ctx;

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

void cym_results_free(cym_results *r)
{
    if (!r)
        return;
    /* stages that changed nothing share the previous stage's array */
    if (r->imputed != r->denominated)
        free(r->imputed);
    if (r->denominated != r->raw)
        free(r->denominated);
    free(r->raw);
    free(r->treated);
    free(r->normalised);
    free(r->flags);
    free(r->score);
    free(r->coverage);
    free(r->rank);
    free(r->tier);
    free(r->tier_gap);
    free(r->weight);
    free(r->eff_weight);
    free(r->zero_spread);
    free(r->treat);
    cym_warnings_clear(&r->warnings);
    free(r);
}

static const char *ind_code(const ctx *c, size_t i)
{
    return c->fw->nodes[c->fw->indicators[i]].code;
}

/* ---- denominate -------------------------------------------------------------------------- */

static cym_status denominate(ctx *c)
{
    cym_results *r = c->r;
    const cym_framework *fw = c->fw;
    for (size_t i = 0; i < r->n_ind; i++) {
        const cym_node *nd = &fw->nodes[fw->indicators[i]];
        long s;
        size_t zeros = 0, gaps = 0;
        if (!nd->denominator[0])
            continue;
        s = cym_dataset_find_series(c->ds, nd->denominator);
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < r->n_years; t++) {
                size_t k = cym_results_ind_cell(r, u, t, i);
                double x = r->raw[k];
                double d = c->ds->values[cym_dataset_cell(c->ds, u, t + c->toff, (size_t)s)];
                if (isnan(x))
                    continue;
                r->flags[k] |= CYM_FLAG_DENOMINATED;
                if (isnan(d))
                    gaps++;
                else if (d == 0.0)
                    zeros++;
                r->denominated[k] = isnan(d) || d == 0.0 ? NAN : x / d;
            }
        if (gaps && cym_warnings_add(&r->warnings,
                                     "indicator %s: %zu values have no denominator %s and "
                                     "are missing after denomination",
                                     nd->code, gaps, nd->denominator) < 0)
            return nomem(c->err);
        if (zeros && cym_warnings_add(&r->warnings,
                                      "indicator %s: %zu values have a denominator %s of 0 "
                                      "and are missing after denomination",
                                      nd->code, zeros, nd->denominator) < 0)
            return nomem(c->err);
    }
    return CYM_OK;
}

/* ---- impute ------------------------------------------------------------------------------ */

static cym_status impute(ctx *c)
{
    cym_results *r = c->r;
    const cym_options *o = c->o;
    int *group = NULL;
    cym_status st = CYM_OK;

    if (o->impute.method == CYM_IMPUTE_GROUP_MEAN || o->impute.method == CYM_IMPUTE_GROUP_MEDIAN) {
        long g = cym_dataset_find_group(c->ds, o->impute.group_column);
        if (g < 0) {
            char cols[256] = "";
            size_t len = 0;
            for (size_t k = 0; k < c->ds->n_group_cols && len < sizeof(cols) - 70; k++)
                len += (size_t)snprintf(cols + len, sizeof(cols) - len, "%s%s", k ? ", " : "",
                                        c->ds->group_cols[k]);
            return cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0,
                                 "imputation by group: '%s' is not a column of %s (group "
                                 "columns: %s)",
                                 o->impute.group_column, c->ds->countries_path,
                                 len ? cols : "none");
        }
        group = malloc(r->n_units * sizeof(*group));
        if (!group)
            return nomem(c->err);
        /* number the distinct group values in order of first appearance */
        for (size_t u = 0; u < r->n_units; u++) {
            const char *v = c->ds->units[u].groups[g];
            group[u] = v[0] ? (int)u : -1;
            for (size_t w = 0; w < u && v[0]; w++)
                if (strcmp(c->ds->units[w].groups[g], v) == 0) {
                    group[u] = group[w];
                    break;
                }
        }
    }
    if (o->impute.method == CYM_IMPUTE_NONE)
        return CYM_OK;
    r->imputed = malloc(r->n_units * r->n_years * r->n_ind * sizeof(double));
    if (!r->imputed) {
        r->imputed = r->denominated;
        st = nomem(c->err);
        goto cleanup;
    }
    for (size_t i = 0; i < r->n_ind; i++) {
        size_t n_imp = 0;
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < r->n_years; t++) {
                size_t k = cym_results_ind_cell(r, u, t, i);
                c->buf[u * r->n_years + t] = r->denominated[k];
                c->fbuf[u * r->n_years + t] = 0;
            }
        st = cym_impute(c->buf, c->fbuf, r->n_units, r->n_years, &o->impute, group, &n_imp, c->err);
        if (st < 0)
            goto cleanup;
        r->n_imputed += n_imp;
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < r->n_years; t++) {
                size_t k = cym_results_ind_cell(r, u, t, i);
                r->imputed[k] = c->buf[u * r->n_years + t];
                r->flags[k] |= c->fbuf[u * r->n_years + t];
            }
    }
cleanup:
    free(group);
    return st;
}

/* ---- treat and normalise: per indicator over the panel or per year ----------------------- */

/* Work vectors of one thread for the per-indicator steps. */
typedef struct work {
    double *buf, *buf2;
    unsigned *fbuf;
} work;

static int work_init(work *w, size_t n)
{
    w->buf = malloc(n * sizeof(double));
    w->buf2 = malloc(n * sizeof(double));
    w->fbuf = malloc(n * sizeof(unsigned));
    return w->buf && w->buf2 && w->fbuf ? 0 : -1;
}

static void work_free(work *w)
{
    free(w->buf);
    free(w->buf2);
    free(w->fbuf);
}

/* Gathers indicator i of `src` into w->buf for year t (or all years when t < 0). */
static size_t gather(const cym_results *r, work *w, const double *src, size_t i, long t)
{
    size_t n = 0;
    size_t y0 = t >= 0 ? (size_t)t : 0, y1 = t >= 0 ? (size_t)t + 1 : r->n_years;
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t y = y0; y < y1; y++) {
            w->buf[n] = src[cym_results_ind_cell(r, u, y, i)];
            w->fbuf[n] = 0;
            n++;
        }
    return n;
}

static void scatter(cym_results *r, const work *w, double *dst, size_t i, long t, int with_flags)
{
    size_t n = 0;
    size_t y0 = t >= 0 ? (size_t)t : 0, y1 = t >= 0 ? (size_t)t + 1 : r->n_years;
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t y = y0; y < y1; y++) {
            size_t k = cym_results_ind_cell(r, u, y, i);
            dst[k] = w->buf[n];
            if (with_flags)
                r->flags[k] |= w->fbuf[n];
            n++;
        }
}

/* A step applied to one indicator with a thread's work vectors. */
typedef cym_status (*indicator_fn)(ctx *c, work *w, size_t i, cym_error *err);

/*
 * Applies fn to every indicator, in parallel for large runs. The error reported is the first
 * by indicator position, so it does not depend on the number of threads.
 */
static cym_status each_indicator(ctx *c, indicator_fn fn)
{
    cym_results *r = c->r;
    cym__first_failure ff;

    cym__first_failure_init(&ff);
#pragma omp parallel if (c->parallel)
    {
        work w;
        cym_error e;
        int ok = work_init(&w, r->n_units * r->n_years) == 0;
#pragma omp for schedule(dynamic, 4)
        for (size_t i = 0; i < r->n_ind; i++) {
            cym_status st =
                ok ? fn(c, &w, i, &e) : cym_error_set(&e, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            if (st < 0)
                cym__first_failure_set(&ff, i, st, &e);
        }
        work_free(&w);
    }
    return cym__first_failure_take(&ff, c->err);
}

/* Treats one indicator (all slices); records go to r->treat[i * slices + s]. */
static cym_status treat_one(ctx *c, work *w, size_t i, cym_error *err)
{
    cym_results *r = c->r;
    size_t slices = r->settings.scope ? r->n_years : 1;
    for (size_t s = 0; s < slices; s++) {
        long t = r->settings.scope ? (long)s : -1;
        size_t n = gather(r, w, r->treated, i, t);
        cym_treat_record *rec = &r->treat[i * slices + s];
        cym_status st;
        rec->indicator = i;
        rec->year = t >= 0 ? r->year0 + (int)t : 0;
        if (!c->o->treat) {
            /* no treatment: still report the shape of every indicator */
            rec->r.n = cym_stats_count(w->buf, n);
            rec->r.skew_before = rec->r.skew_after = cym_stats_skew(w->buf, n);
            rec->r.kurt_before = rec->r.kurt_after = cym_stats_kurt(w->buf, n);
            continue;
        }
        st = cym_treat_winsorise(w->buf, w->fbuf, n, &c->o->treat_spec, &rec->r, err);
        if (st < 0)
            return st;
        scatter(r, w, r->treated, i, t, 1);
    }
    return CYM_OK;
}

static cym_status treat(ctx *c)
{
    cym_results *r = c->r;
    size_t slices = r->settings.scope ? r->n_years : 1;
    cym_status st;

    r->treat = calloc(r->n_ind * slices, sizeof(*r->treat));
    if (!r->treat)
        return nomem(c->err);
    if ((st = each_indicator(c, treat_one)) < 0)
        return st;
    r->n_treat = r->n_ind * slices;
    for (size_t k = 0; k < r->n_treat; k++) {
        const cym_treat_record *rec = &r->treat[k];
        if (rec->r.log_used &&
            cym_warnings_add(&r->warnings,
                             "indicator %s%s%.0d: still skewed and heavy-tailed after "
                             "winsorising up to %zu points (--winmax); log transform used",
                             ind_code(c, rec->indicator), rec->year ? " in " : "", rec->year,
                             c->o->treat_spec.winmax) < 0)
            return nomem(c->err);
    }
    return CYM_OK;
}

/* Normalises one indicator (all slices); r->zero_spread[i] records a flat slice. */
static cym_status normalise_one(ctx *c, work *w, size_t i, cym_error *err)
{
    long ref_unit = c->ref_unit;
    cym_results *r = c->r;
    const cym_options *o = c->o;
    const cym_node *nd = &c->fw->nodes[c->fw->indicators[i]];
    size_t slices = r->settings.scope ? r->n_years : 1;
    cym_norm_aux aux;

    memset(&aux, 0, sizeof(aux));
    aux.direction = nd->direction;
    aux.goal_lo = nd->goal_lo;
    aux.goal_hi = nd->goal_hi;
    aux.target = nd->target;
    for (size_t s = 0; s < slices; s++) {
        long t = r->settings.scope ? (long)s : -1;
        size_t n = gather(r, w, r->treated, i, t);
        int zero = 0;
        cym_status st;
        if (ref_unit >= 0) {
            /* the reference is the reference country's value in the same year */
            size_t m = 0;
            size_t y0 = t >= 0 ? (size_t)t : 0, y1 = t >= 0 ? (size_t)t + 1 : r->n_years;
            for (size_t u = 0; u < r->n_units; u++)
                for (size_t y = y0; y < y1; y++)
                    w->buf2[m++] = r->treated[cym_results_ind_cell(r, (size_t)ref_unit, y, i)];
            aux.ref = w->buf2;
        }
        st = cym_normalise(w->buf, w->buf, n, &o->norm, &aux, &zero, err);
        if (st < 0) {
            if (err && !err->file[0]) {
                char msg[CYM_ERROR_MESSAGE_MAX];
                snprintf(msg, sizeof(msg), "%s", err->message);
                cym_error_set(err, st, NULL, 0, 0, "indicator %s: %s", nd->code, msg);
            }
            return st;
        }
        scatter(r, w, r->normalised, i, t, 0);
        if (zero)
            r->zero_spread[i] = 1;
    }
    return CYM_OK;
}

static cym_status normalise(ctx *c)
{
    cym_results *r = c->r;
    const cym_options *o = c->o;
    const cym_framework *fw = c->fw;
    long ref_unit = -1;
    cym_status st;

    if (o->norm.method == CYM_NORM_DIST2REF) {
        ref_unit = cym_dataset_find_unit(c->ds, o->norm.ref_unit);
        if (ref_unit < 0)
            return cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0,
                                 "dist2ref: reference country '%s' is not in %s", o->norm.ref_unit,
                                 c->ds->countries_path);
    }
    for (size_t i = 0; i < r->n_ind; i++) {
        const cym_node *nd = &fw->nodes[fw->indicators[i]];
        if (o->norm.method == CYM_NORM_GOALPOSTS && (isnan(nd->goal_lo) || isnan(nd->goal_hi)))
            return cym_error_set(c->err, CYM_EUSAGE, fw->path, nd->line, 0,
                                 "goalposts normalisation needs goal_lo and goal_hi for '%s'",
                                 nd->code);
        if (o->norm.method == CYM_NORM_DIST2TARGET && isnan(nd->target))
            return cym_error_set(c->err, CYM_EUSAGE, fw->path, nd->line, 0,
                                 "dist2target normalisation needs a target for '%s'", nd->code);
    }
    c->ref_unit = ref_unit;
    if ((st = each_indicator(c, normalise_one)) < 0)
        return st;
    for (size_t i = 0; i < r->n_ind; i++)
        if (r->zero_spread[i] &&
            cym_warnings_add(&r->warnings,
                             "indicator %s has the same value for every country%s: all get "
                             "the middle of the scale",
                             ind_code(c, i), r->settings.scope ? " in at least one year" : "") < 0)
            return nomem(c->err);
    return CYM_OK;
}

/* ---- weights and aggregation ------------------------------------------------------------- */

/* The framework's `method` of a node overrides the global --aggregate. */
static const cym_agg_spec *node_method(const ctx *c, const cym_node *nd)
{
    return nd->has_method ? &nd->method : &c->o->agg;
}

/* PCA weights of one aggregate over all selected unit-years (complete cases). */
static cym_status pca_weights(ctx *c, const cym_node *nd, double *w)
{
    cym_results *r = c->r;
    size_t k = nd->n_children, rows = r->n_units * r->n_years;
    double *X = malloc(rows * k * sizeof(*X));
    cym_status st;
    if (!X)
        return nomem(c->err);
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            for (size_t j = 0; j < k; j++)
                X[(u * r->n_years + t) * k + j] =
                    r->score[cym_results_node_cell(r, u, t, nd->children[j])];
    st = cym_weights_pca(w, NULL, NULL, X, rows, k, c->err);
    free(X);
    if (st < 0 && c->err) {
        char msg[CYM_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof(msg), "%s", c->err->message);
        cym_error_set(c->err, st, NULL, 0, 0, "pca weights of '%s': %s", nd->code, msg);
    }
    return st;
}

static cym_status geometric_error(ctx *c, const cym_node *nd, size_t u, size_t t, const double *x,
                                  const cym_agg_spec *spec, cym_error *err)
{
    size_t j = 0;
    for (; j < nd->n_children; j++)
        if (!isnan(x[j]) && x[j] <= 0)
            break;
    return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                         "%s aggregation of '%s' for %s in %d needs scores > 0, but '%s' is %g "
                         "(normalise onto a positive range, e.g. --range 1,100)",
                         cym_agg_name(spec->method), nd->code, c->ds->units[u].code,
                         c->r->year0 + (int)t,
                         j < nd->n_children ? c->fw->nodes[nd->children[j]].code : "?",
                         j < nd->n_children ? x[j] : 0.0);
}

/* Work vectors of one thread for aggregation. */
typedef struct agg_work {
    double *x;   /* one unit's children */
    double *X;   /* every unit's children (Copeland) */
    double *col; /* Copeland scores */
} agg_work;

static int agg_work_init(agg_work *a, size_t n_units, size_t maxk)
{
    a->x = malloc(maxk * sizeof(double));
    a->X = malloc(n_units * maxk * sizeof(double));
    a->col = malloc(n_units * sizeof(double));
    return a->x && a->X && a->col ? 0 : -1;
}

static void agg_work_free(agg_work *a)
{
    free(a->x);
    free(a->X);
    free(a->col);
}

/* Aggregates node `id` in year t for every unit, with the children's weights w. */
static cym_status aggregate_node_year(ctx *c, size_t id, size_t t, const double *w, agg_work *a,
                                      size_t *below, cym_error *err)
{
    cym_results *r = c->r;
    const cym_node *nd = &c->fw->nodes[id];
    const cym_agg_spec *spec = node_method(c, nd);
    size_t k = nd->n_children;
    cym_status st;

    if (spec->method == CYM_AGG_COPELAND) {
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t j = 0; j < k; j++)
                a->X[u * k + j] = r->score[cym_results_node_cell(r, u, t, nd->children[j])];
        st = cym_aggregate_copeland(a->col, a->X, w, r->n_units, k);
        if (st < 0)
            return cym_error_set(err, st, NULL, 0, 0, "copeland aggregation of '%s' failed",
                                 nd->code);
    }
    for (size_t u = 0; u < r->n_units; u++) {
        size_t cell = cym_results_node_cell(r, u, t, id);
        double cov, val;
        for (size_t j = 0; j < k; j++)
            a->x[j] = r->score[cym_results_node_cell(r, u, t, nd->children[j])];
        if (spec->method == CYM_AGG_COPELAND) {
            double wp = 0, wt = 0;
            for (size_t j = 0; j < k; j++) {
                wt += w[j];
                if (!isnan(a->x[j]))
                    wp += w[j];
            }
            cov = wt > 0 ? wp / wt : 0;
            val = cov > 0 && cov >= c->o->min_coverage ? a->col[u] : NAN;
        } else if (cym_aggregate(&val, &cov, a->x, w, k, spec, c->o->min_coverage) < 0) {
            return geometric_error(c, nd, u, t, a->x, spec, err);
        }
        if (isnan(val) && cov > 0)
            (*below)++;
        r->score[cell] = val;
        r->coverage[cell] = cov;
    }
    return CYM_OK;
}

/*
 * Every aggregate, bottom-up. With framework or equal weights the years are independent and
 * run in parallel; PCA weights need every year of the children first, so that path goes
 * node by node.
 */
static cym_status aggregate(ctx *c)
{
    cym_results *r = c->r;
    const cym_framework *fw = c->fw;
    size_t maxk = 1, total = 0, below = 0;
    size_t *off = malloc(fw->n_nodes * sizeof(*off));
    double *wt = NULL;
    cym__first_failure ff;
    cym_status st = CYM_OK;

    cym__first_failure_init(&ff);
    if (!off)
        return nomem(c->err);
    for (size_t n = 0; n < fw->n_nodes; n++) {
        off[n] = total;
        total += fw->nodes[n].n_children;
        if (fw->nodes[n].n_children > maxk)
            maxk = fw->nodes[n].n_children;
    }
    wt = malloc((total ? total : 1) * sizeof(*wt));
    if (!wt) {
        st = nomem(c->err);
        goto cleanup;
    }
    for (size_t n = 0; n < fw->n_nodes; n++)
        for (size_t j = 0; j < fw->nodes[n].n_children; j++) {
            size_t ch = fw->nodes[n].children[j];
            wt[off[n] + j] = c->node_weights                      ? c->node_weights[ch]
                             : c->o->weights == CYM_WEIGHTS_EQUAL ? 1.0
                                                                  : fw->nodes[ch].weight;
        }

    if (c->o->weights == CYM_WEIGHTS_PCA) {
        agg_work a;
        if (agg_work_init(&a, r->n_units, maxk) < 0) {
            agg_work_free(&a);
            st = nomem(c->err);
            goto cleanup;
        }
        for (size_t b = 0; b < fw->n_nodes && st >= 0; b++) {
            size_t id = fw->bottom_up[b];
            if (!fw->nodes[id].n_children)
                continue;
            st = pca_weights(c, &fw->nodes[id], wt + off[id]);
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
            int ok = agg_work_init(&a, r->n_units, maxk) == 0;
#pragma omp for schedule(dynamic, 1)
            for (size_t t = 0; t < r->n_years; t++)
                for (size_t b = 0; b < fw->n_nodes; b++) {
                    size_t id = fw->bottom_up[b];
                    cym_status s2;
                    if (!fw->nodes[id].n_children)
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
        st = nomem(c->err);
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

cleanup:
    free(off);
    free(wt);
    return st;
}

/* ---- ranks and tiers --------------------------------------------------------------------- */

typedef struct unit_key {
    char code[4];
    size_t index;
} unit_key;

static int by_unit_code(const void *a, const void *b)
{
    return strcmp(((const unit_key *)a)->code, ((const unit_key *)b)->code);
}

/* Ranks node n's scores of one year, T[n * nu ..], in place (T holds units in code order). */
static cym_status rank_year(ctx *c, double *T, double *x, const double *tb)
{
    cym_results *r = c->r;
    size_t nu = r->n_units;
    for (size_t n = 0; n < r->n_nodes; n++) {
        if (cym_rank(x, T + n * nu, nu, c->o->ties, c->o->ties == CYM_TIES_ORDINAL ? tb : NULL) < 0)
            return CYM_ENOMEM;
        memcpy(T + n * nu, x, nu * sizeof(*x));
    }
    return CYM_OK;
}

static cym_status rank_all(ctx *c)
{
    cym_results *r = c->r;
    size_t nu = r->n_units;
    unit_key *keys = malloc(nu * sizeof(*keys));
    size_t *order = malloc(nu * sizeof(*order));
    long tb_node = -1, tb_series = -1;
    int failed = 0;
    cym_status st = CYM_OK;

    if (!order || !keys) {
        st = nomem(c->err);
        goto cleanup;
    }
    /* units by code, for the last tie-break of ordinal ranks */
    for (size_t i = 0; i < nu; i++) {
        memcpy(keys[i].code, c->ds->units[i].code, sizeof(keys[i].code));
        keys[i].index = i;
    }
    qsort(keys, nu, sizeof(*keys), by_unit_code);
    for (size_t i = 0; i < nu; i++)
        order[i] = keys[i].index;
    if (c->o->ties == CYM_TIES_ORDINAL) {
        tb_node = cym_framework_find(c->fw, c->o->tiebreak);
        if (tb_node < 0) {
            tb_series = cym_dataset_find_series(c->ds, c->o->tiebreak);
            if (tb_series < 0) {
                st = cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0,
                                   "rank-ties ordinal:%s: '%s' is neither a node of the "
                                   "framework nor a series of the data",
                                   c->o->tiebreak, c->o->tiebreak);
                goto cleanup;
            }
        }
    }
    /* per year (in parallel), transpose the scores to node-major with units in code order,
       rank each node's row, and transpose the ranks back: every pass reads memory in order */
#pragma omp parallel if (c->parallel)
    {
        double *x = malloc(nu * sizeof(*x)), *tb = malloc(nu * sizeof(*tb)),
               *T = malloc(nu * r->n_nodes * sizeof(*T));
#pragma omp for schedule(dynamic, 1)
        for (size_t t = 0; t < r->n_years; t++) {
            if (!x || !tb || !T) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            for (size_t j = 0; j < nu; j++) {
                const double *row = &r->score[cym_results_node_cell(r, order[j], t, 0)];
                for (size_t n = 0; n < r->n_nodes; n++)
                    T[n * nu + j] = row[n];
                tb[j] = tb_node >= 0     ? row[tb_node]
                        : tb_series >= 0 ? c->ds->values[cym_dataset_cell(
                                               c->ds, order[j], t + c->toff, (size_t)tb_series)]
                                         : NAN;
            }
            if (rank_year(c, T, x, tb) < 0) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            for (size_t j = 0; j < nu; j++) {
                double *row = &r->rank[cym_results_node_cell(r, order[j], t, 0)];
                for (size_t n = 0; n < r->n_nodes; n++)
                    row[n] = T[n * nu + j];
            }
        }
        free(x);
        free(tb);
        free(T);
    }
    if (failed)
        st = nomem(c->err);
cleanup:
    free(keys);
    free(order);
    return st;
}

static void tiers(ctx *c)
{
    cym_results *r = c->r;
    const cym_options *o = c->o;
    double th[CYM_MAX_TIERS];
    for (size_t t = 0; t < r->n_years; t++) {
        for (size_t k = 0; k < o->n_tiers; k++) {
            th[k] = o->tiers[k].threshold;
            if (o->tiers[k].percentile) {
                for (size_t u = 0; u < r->n_units; u++)
                    c->buf[u] = r->score[cym_results_node_cell(r, u, t, c->fw->root)];
                th[k] = cym_stats_quantile(c->buf, r->n_units, o->tiers[k].threshold / 100.0);
            }
        }
        for (size_t u = 0; u < r->n_units; u++) {
            double s = r->score[cym_results_node_cell(r, u, t, c->fw->root)];
            size_t cell = u * r->n_years + t;
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
}

/* ---- the run ----------------------------------------------------------------------------- */

static cym_status alloc_results(cym_results *r)
{
    size_t ni = r->n_units * r->n_years * r->n_ind;
    size_t nn = r->n_units * r->n_years * r->n_nodes;
    size_t nt = r->n_units * r->n_years;
    r->raw = malloc(ni * sizeof(double));
    /* denomination and imputation get arrays of their own only when they run */
    r->denominated = r->imputed = r->raw;
    if (r->settings.denominate && r->raw) {
        double *d = malloc(ni * sizeof(double));
        if (!d)
            return CYM_ENOMEM;
        r->denominated = r->imputed = d;
    }
    r->treated = malloc(ni * sizeof(double));
    r->normalised = malloc(ni * sizeof(double));
    r->flags = calloc(ni, sizeof(unsigned));
    r->score = malloc(nn * sizeof(double));
    r->coverage = malloc(nn * sizeof(double));
    r->rank = malloc(nn * sizeof(double));
    r->tier = malloc(nt * sizeof(int));
    r->tier_gap = malloc(nt * sizeof(double));
    r->weight = calloc(r->n_nodes, sizeof(double));
    r->eff_weight = calloc(r->n_nodes, sizeof(double));
    r->zero_spread = calloc(r->n_ind ? r->n_ind : 1, 1);
    if (!r->raw || !r->denominated || !r->treated || !r->normalised || !r->flags || !r->score ||
        !r->coverage || !r->rank || !r->tier || !r->tier_gap || !r->weight || !r->eff_weight ||
        !r->zero_spread)
        return CYM_ENOMEM;
    return CYM_OK;
}

cym_status cym_pipeline_run(cym_results **out, const cym_dataset *ds, const cym_options *o,
                            cym_error *err)
{
    return cym_pipeline_run_with(out, ds, o, NULL, err);
}

cym_status cym_pipeline_run_with(cym_results **out, const cym_dataset *ds, const cym_options *o,
                                 const double *node_weights, cym_error *err)
{
    const cym_framework *fw = ds->fw;
    cym_results *r;
    ctx c;
    int y0, y1;
    cym_status st;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    if (!ds->n_years)
        return cym_error_set(err, CYM_EDATA, ds->data_path, 0, 0, "the dataset has no data rows");
    y0 = ds->year0;
    y1 = ds->year0 + (int)ds->n_years - 1;
    if (o->year_from > y0)
        y0 = o->year_from;
    if (o->year_to && o->year_to < y1)
        y1 = o->year_to;
    if (y0 > y1)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "no data in the years asked for (the data covers %d-%d)", ds->year0,
                             ds->year0 + (int)ds->n_years - 1);
    r = calloc(1, sizeof(*r));
    if (!r)
        return nomem(err);
    r->ds = ds;
    r->fw = fw;
    r->year0 = y0;
    r->n_years = (size_t)(y1 - y0 + 1);
    r->n_units = ds->n_units;
    r->n_nodes = fw->n_nodes;
    r->n_ind = fw->n_indicators;
    r->settings.denominate = o->denominate < 0 ? fw->n_denominators > 0 : o->denominate;
    r->settings.scope = o->scope < 0 ? r->n_years == 1 : o->scope;
    c.r = r;
    c.ds = ds;
    c.fw = fw;
    c.o = o;
    c.node_weights = node_weights;
    c.err = err;
    c.toff = (size_t)(y0 - ds->year0);
    /* below about 100,000 cells, starting threads costs more than it saves */
    c.parallel = r->n_units * r->n_years * r->n_nodes >= PARALLEL_MIN_CELLS;
    st = alloc_results(r);
    c.buf = malloc(r->n_units * r->n_years * sizeof(double));
    c.buf2 = malloc(r->n_units * r->n_years * sizeof(double));
    c.fbuf = malloc(r->n_units * r->n_years * sizeof(unsigned));
    if (st < 0 || !c.buf || !c.buf2 || !c.fbuf) {
        st = nomem(err);
        goto cleanup;
    }

    for (size_t i = 0; i < r->n_ind; i++)
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < r->n_years; t++)
                r->raw[cym_results_ind_cell(r, u, t, i)] =
                    ds->values[cym_dataset_cell(ds, u, t + c.toff, fw->indicators[i])];
    if (r->settings.denominate) {
        memcpy(r->denominated, r->raw, r->n_units * r->n_years * r->n_ind * sizeof(double));
        if (!fw->n_denominators &&
            cym_warnings_add(&r->warnings, "--denominate on, but the framework names no "
                                           "denominator: nothing was divided") < 0) {
            st = nomem(err);
            goto cleanup;
        }
        if ((st = denominate(&c)) < 0)
            goto cleanup;
    }
    if ((st = impute(&c)) < 0)
        goto cleanup;
    /* direction: lower-is-better indicators are turned around before any statistic */
    for (size_t i = 0; i < r->n_ind; i++) {
        double dir = fw->nodes[fw->indicators[i]].direction;
        size_t base = cym_results_ind_cell(r, 0, 0, i), len = r->n_units * r->n_years;
        for (size_t k = 0; k < len; k++)
            r->treated[base + k] = r->imputed[base + k] * dir;
    }
    if ((st = treat(&c)) < 0)
        goto cleanup;
    if ((st = normalise(&c)) < 0)
        goto cleanup;
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            for (size_t n = 0; n < r->n_nodes; n++) {
                size_t cell = cym_results_node_cell(r, u, t, n);
                r->score[cell] = NAN;
                r->coverage[cell] = NAN;
            }
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            for (size_t i = 0; i < r->n_ind; i++) {
                double v = r->normalised[cym_results_ind_cell(r, u, t, i)];
                size_t cell = cym_results_node_cell(r, u, t, fw->indicators[i]);
                r->score[cell] = v;
                r->coverage[cell] = isnan(v) ? 0.0 : 1.0;
            }
    if ((st = aggregate(&c)) < 0)
        goto cleanup;
    if ((st = rank_all(&c)) < 0)
        goto cleanup;
    tiers(&c);
    for (size_t u = 0; u < r->n_units; u++) {
        int any = 0;
        for (size_t t = 0; t < r->n_years && !any; t++)
            for (size_t i = 0; i < r->n_ind && !any; i++)
                any = !isnan(r->raw[cym_results_ind_cell(r, u, t, i)]);
        if (!any && cym_warnings_add(&r->warnings, "country %s has no data in %d-%d",
                                     ds->units[u].code, y0, y1) < 0) {
            st = nomem(err);
            goto cleanup;
        }
    }

cleanup:
    free(c.buf);
    free(c.buf2);
    free(c.fbuf);
    if (st < 0) {
        cym_results_free(r);
        return st;
    }
    *out = r;
    return CYM_OK;
}
