/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The trends of a run: for every country, every framework node and every group aggregate,
 * the series over the selected years and its statistics (trend.c).
 *
 * Group aggregates: for each group column COL of countries.csv and each value V, the mean and
 * the median over the member countries that have a score for the node in the year, as rows
 * "COL=V:mean" and "COL=V:median", then "all:mean" and "all:median" over every country. A
 * member without a score that year is left out of that year's aggregate, so the aggregate of
 * a group with gaps is over the members present.
 *
 * The common basis (--trend-basis common). Indicators that exist only in some years (added
 * later, dropped) make the scores of two years differ in what they measure. For each country
 * and each pair of consecutive available years (t0, t1) of a node, both years are recomputed
 * from the run's normalised indicator scores restricted to the indicators that have a score in
 * both years, re-aggregated bottom-up with the run's own methods, weights and
 * --min-coverage. Normalisation is not redone: the indicator scores are already on the run's
 * scale, and masking one country's cells must not move every other country. yoy.csv reports
 * those pairs. For the multi-year statistics the pairs are chain-linked (as statistical
 * offices chain-link an index whose basket changes): the series starts at the run's score in
 * the first year and each next year adds the like-for-like change of its pair, so every
 * change in the series is like for like. Where a pair has no common indicator the chain is
 * broken and the series has no value from there on (nothing is guessed across the break).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/parallel.h"
#include "cymetrics/trend.h"
#include "trend/trend_internal.h"

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

void cym_trends_free(cym_trends *tr)
{
    if (!tr)
        return;
    cym__free_strings(tr->labels, tr->n_groups);
    free(tr->series);
    free(tr->pair_prev);
    free(tr->pair_cur);
    free(tr->stats);
    cym_warnings_clear(&tr->warnings);
    free(tr);
}

const char *cym_trend_scope_warning(const cym_results *r)
{
    if (r->settings.scope == 1 && r->n_years > 1)
        return "trends are computed on per-year normalisation (--scope year): each year's "
               "scores are relative to that year's countries, so a change can come from the "
               "field rather than the country (use --scope panel for trends)";
    return NULL;
}

const char *cym__trend_run_warning(const cym_results *r, size_t i)
{
    const cym_warnings *ds = &r->ds->warnings;
    if (i < ds->count)
        return ds->lines[i];
    i -= ds->count;
    if (i < r->warnings.count)
        return r->warnings.lines[i];
    return i == r->warnings.count ? cym_trend_scope_warning(r) : NULL;
}

/* ---- group labels ------------------------------------------------------------------------ */

static cym_status make_labels(cym_trends *tr, cym_error *err)
{
    const cym_dataset *ds = tr->r->ds;
    size_t cap = 2, n = 0;
    for (size_t c = 0; c < ds->n_group_cols; c++)
        cap += 2 * ds->n_units;
    tr->labels = calloc(cap, sizeof(char *));
    if (!tr->labels)
        return nomem(err);
    for (size_t c = 0; c < ds->n_group_cols; c++)
        for (size_t u = 0; u < ds->n_units; u++) {
            const char *v = ds->units[u].groups[c];
            int seen = 0;
            if (!v[0])
                continue; /* a country outside every group of this column */
            for (size_t p = 0; p < u && !seen; p++)
                seen = strcmp(ds->units[p].groups[c], v) == 0;
            if (seen)
                continue;
            for (int k = 0; k < 2; k++) {
                size_t len = strlen(ds->group_cols[c]) + strlen(v) + 9;
                char *s = malloc(len);
                if (!s)
                    return nomem(err);
                snprintf(s, len, "%s=%s:%s", ds->group_cols[c], v, k ? "median" : "mean");
                tr->labels[n++] = s;
                tr->n_groups = n;
            }
        }
    for (int k = 0; k < 2; k++) {
        tr->labels[n] = malloc(12);
        if (!tr->labels[n])
            return nomem(err);
        strcpy(tr->labels[n], k ? "all:median" : "all:mean");
        tr->n_groups = ++n;
    }
    return CYM_OK;
}

/* Is unit u a member of group row g? (column and value read back from the label) */
static int member(const cym_dataset *ds, const char *label, size_t u)
{
    const char *eq = strchr(label, '='), *colon = strrchr(label, ':');
    if (strncmp(label, "all:", 4) == 0)
        return 1;
    for (size_t c = 0; c < ds->n_group_cols; c++) {
        size_t lc = strlen(ds->group_cols[c]), lv;
        const char *v = ds->units[u].groups[c];
        if (!eq || (size_t)(eq - label) != lc || strncmp(label, ds->group_cols[c], lc) != 0)
            continue;
        lv = (size_t)(colon - eq - 1);
        return strlen(v) == lv && strncmp(v, eq + 1, lv) == 0;
    }
    return 0;
}

/*
 * Reads each member's row of a year in order (contiguous memory) into a node-major buffer,
 * then takes the mean or median of each node: the series array is country-major, and a
 * gather across countries per node would touch a new cache line for every value.
 */
static cym_status group_rows(cym_trends *tr, cym_error *err)
{
    const cym_results *r = tr->r;
    size_t nu = r->n_units, ny = r->n_years, nn = r->n_nodes;
    size_t *in = malloc((nu ? nu : 1) * sizeof(size_t));
    /* the first row series holds: the countries' are the run's scores on the basis `all` */
    size_t first = tr->basis == CYM_TREND_BASIS_COMMON ? 0 : nu;
    int failed = 0;
    if (!in)
        return nomem(err);
    /* the labels come in pairs, "...:mean" then "...:median" of the same members
       (make_labels): one gather of the members' values serves both rows */
    for (size_t g = 0; g + 1 < tr->n_groups && !failed; g += 2) {
        size_t row = nu + g, m_in = 0;
        for (size_t u = 0; u < nu; u++)
            if (member(r->ds, tr->labels[g], u))
                in[m_in++] = u;
#pragma omp parallel if (m_in * ny * nn >= 100000) reduction(| : failed)
        {
            /* node-major members' values, then the median's work (2 x m_in) */
            double *X = malloc((m_in ? m_in : 1) * (nn + 2) * sizeof(double));
            size_t *cnt = malloc((nn ? nn : 1) * sizeof(size_t));
            if (!X || !cnt)
                failed = 1;
#pragma omp for schedule(dynamic, 1)
            for (size_t t = 0; t < ny; t++) {
                if (!X || !cnt)
                    continue;
                memset(cnt, 0, nn * sizeof(size_t));
                for (size_t k = 0; k < m_in; k++) {
                    const double *src = cym_trends_row(tr, in[k]) + t * nn;
                    for (size_t n = 0; n < nn; n++)
                        if (!isnan(src[n]))
                            X[n * m_in + cnt[n]++] = src[n];
                }
                /* the rows' own blocks (cym_trends_row, writable: group rows) */
                cym__trend_means(tr->series + cym_trends_cell(tr, row - first, t, 0), X, m_in,
                                 cnt, nn);
                for (size_t n = 0; n < nn; n++)
                    tr->series[cym_trends_cell(tr, row + 1 - first, t, n)] =
                        cnt[n] ? cym__trend_median(X + nn * m_in, X + n * m_in, cnt[n]) : NAN;
            }
            free(X);
            free(cnt);
        }
    }
    free(in);
    return failed ? nomem(err) : CYM_OK;
}

/* ---- the common basis -------------------------------------------------------------------- */

typedef struct basis_ctx {
    const cym_results *r;
    const cym_pipeline_options *o; /* the run's: aggregation, weights */
    long *ind_pos;   /* [node]: position among the indicators, -1 for an aggregate */
    double *wt;      /* [node]: weight as the pipeline gave it to cym_aggregate */
    size_t maxk;
} basis_ctx;

typedef struct basis_work {
    double *v0, *v1;      /* [node] recomputed scores of the two years */
    double *x, *X, *col;  /* children of one unit; every unit's children and Copeland scores */
    double *w;            /* children's weights */
    unsigned char *years; /* [t0 * n_years + t1]: pairs needed */
} basis_work;

static const cym_agg_spec *method_of(const basis_ctx *c, const cym_node *nd)
{
    return nd->has_method ? &nd->method : &c->o->agg;
}

/* Recomputes every node of unit u in year t on the indicators kept (`keep` over the pair). */
static cym_status reaggregate(double *v, const basis_ctx *c, basis_work *w, size_t u, size_t t,
                              size_t t_other, cym_error *err)
{
    const cym_results *r = c->r;
    const cym_framework *fw = r->fw;
    for (size_t b = 0; b < fw->n_nodes; b++) {
        size_t id = fw->bottom_up[b];
        const cym_node *nd = &fw->nodes[id];
        const cym_agg_spec *spec;
        double cov, val;
        size_t k = nd->n_children;
        if (!k) {
            double a = r->score[cym_cube_cell(&r->node_cube, u, t, id)];
            double o2 = r->score[cym_cube_cell(&r->node_cube, u, t_other, id)];
            v[id] = isnan(o2) ? NAN : a;
            continue;
        }
        spec = method_of(c, nd);
        for (size_t j = 0; j < k; j++) {
            w->x[j] = v[nd->children[j]];
            w->w[j] = c->wt[nd->children[j]];
        }
        if (spec->method == CYM_AGG_COPELAND) {
            /* pairwise against the other countries as the run scored them */
            double wp = 0, wtot = 0;
            for (size_t q = 0; q < r->n_units; q++)
                for (size_t j = 0; j < k; j++)
                    w->X[q * k + j] = q == u ? w->x[j]
                                             : r->score[cym_cube_cell(&r->node_cube, q, t,
                                                                              nd->children[j])];
            if (cym_aggregate_copeland(w->col, w->X, w->w, r->n_units, k) < 0)
                return cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0,
                                     "copeland aggregation of '%s' failed", nd->code);
            for (size_t j = 0; j < k; j++) {
                wtot += w->w[j];
                if (!isnan(w->x[j]))
                    wp += w->w[j];
            }
            cov = wtot > 0 ? wp / wtot : 0;
            v[id] = cov > 0 && cym_aggregate_covered(cov, c->o->min_coverage) ? w->col[u] : NAN;
            continue;
        }
        if (cym_aggregate(&val, &cov, w->x, w->w, k, spec, c->o->min_coverage) < 0)
            return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                                 "%s aggregation of '%s' for %s in %d on the common indicators "
                                 "failed (a score out of the method's range)",
                                 cym_agg_name(spec->method), nd->code, r->ds->units[u].code,
                                 r->year0 + (int)t);
        v[id] = val;
    }
    return CYM_OK;
}

/* The pairs and chain of unit u. */
static cym_status basis_unit(cym_trends *tr, const basis_ctx *c, basis_work *w, size_t u,
                             cym_error *err)
{
    const cym_results *r = c->r;
    size_t ny = r->n_years, nn = r->n_nodes;
    memset(w->years, 0, ny * ny);
    /* which pairs (previous available year, year) the nodes need */
    for (size_t n = 0; n < nn; n++) {
        long prev = -1;
        for (size_t t = 0; t < ny; t++) {
            if (isnan(r->score[cym_cube_cell(&r->node_cube, u, t, n)]))
                continue;
            if (prev >= 0)
                w->years[(size_t)prev * ny + t] = 1;
            prev = (long)t;
        }
    }
    for (size_t t0 = 0; t0 < ny; t0++)
        for (size_t t1 = t0 + 1; t1 < ny; t1++) {
            cym_status st;
            if (!w->years[t0 * ny + t1])
                continue;
            if ((st = reaggregate(w->v0, c, w, u, t0, t1, err)) < 0 ||
                (st = reaggregate(w->v1, c, w, u, t1, t0, err)) < 0)
                return st;
            for (size_t n = 0; n < nn; n++) {
                /* only the nodes whose consecutive available years are (t0, t1) */
                long prev = -1;
                size_t cell;
                if (isnan(r->score[cym_cube_cell(&r->node_cube, u, t1, n)]) ||
                    isnan(r->score[cym_cube_cell(&r->node_cube, u, t0, n)]))
                    continue;
                for (size_t t = t1; t-- > 0;)
                    if (!isnan(r->score[cym_cube_cell(&r->node_cube, u, t, n)])) {
                        prev = (long)t;
                        break;
                    }
                if (prev != (long)t0)
                    continue;
                cell = cym_trends_cell(tr, u, t1, n);
                tr->pair_prev[cell] = w->v0[n];
                tr->pair_cur[cell] = w->v1[n];
            }
        }
    /* chain-link */
    for (size_t n = 0; n < nn; n++) {
        int started = 0, broken = 0;
        double level = NAN;
        for (size_t t = 0; t < ny; t++) {
            size_t cell = cym_trends_cell(tr, u, t, n);
            double s = r->score[cym_cube_cell(&r->node_cube, u, t, n)];
            if (isnan(s))
                continue;
            if (!started) {
                level = s;
                started = 1;
            } else if (!broken) {
                double d = tr->pair_cur[cell] - tr->pair_prev[cell];
                if (isnan(d))
                    broken = 1;
                level += d;
            }
            tr->series[cell] = broken ? NAN : level;
        }
    }
    return CYM_OK;
}

static cym_status common_basis(cym_trends *tr, cym_error *err)
{
    const cym_results *r = tr->r;
    const cym_framework *fw = r->fw;
    size_t cells = r->n_units * r->n_years * r->n_nodes;
    basis_ctx c;
    cym__first_failure ff;
    cym_status st = CYM_OK;

    memset(&c, 0, sizeof(c));
    c.r = r;
    c.o = &r->opts;
    c.maxk = 1;
    tr->pair_prev = malloc((cells ? cells : 1) * sizeof(double));
    tr->pair_cur = malloc((cells ? cells : 1) * sizeof(double));
    c.ind_pos = malloc(fw->n_nodes * sizeof(long));
    c.wt = malloc(fw->n_nodes * sizeof(double));
    if (!tr->pair_prev || !tr->pair_cur || !c.ind_pos || !c.wt) {
        st = nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < cells; i++)
        tr->pair_prev[i] = tr->pair_cur[i] = NAN;
    for (size_t n = 0; n < fw->n_nodes; n++) {
        c.ind_pos[n] = -1;
        if (fw->nodes[n].n_children > c.maxk)
            c.maxk = fw->nodes[n].n_children;
        /* the weights the pipeline handed to cym_aggregate (sum: as given) */
        c.wt[n] = r->opts.weights == CYM_WEIGHTS_EQUAL ? 1.0
                  : r->opts.weights == CYM_WEIGHTS_PCA ? r->weight[n]
                                                  : fw->nodes[n].weight;
    }
    for (size_t i = 0; i < fw->n_indicators; i++)
        c.ind_pos[fw->indicators[i]] = (long)i;
    cym__first_failure_init(&ff);
#pragma omp parallel if (r->n_units > 16)
    {
        basis_work w;
        cym_error e;
        size_t ny = r->n_years;
        w.v0 = malloc(fw->n_nodes * sizeof(double));
        w.v1 = malloc(fw->n_nodes * sizeof(double));
        w.x = malloc(c.maxk * sizeof(double));
        w.w = malloc(c.maxk * sizeof(double));
        w.X = malloc((r->n_units ? r->n_units : 1) * c.maxk * sizeof(double));
        w.col = malloc((r->n_units ? r->n_units : 1) * sizeof(double));
        w.years = malloc(ny * ny + 1);
#pragma omp for schedule(dynamic, 4)
        for (size_t u = 0; u < r->n_units; u++) {
            cym_status s2;
            if (!w.v0 || !w.v1 || !w.x || !w.w || !w.X || !w.col || !w.years)
                s2 = nomem(&e);
            else
                s2 = basis_unit(tr, &c, &w, u, &e);
            if (s2 < 0)
                cym__first_failure_set(&ff, u, s2, &e);
        }
        free(w.v0);
        free(w.v1);
        free(w.x);
        free(w.w);
        free(w.X);
        free(w.col);
        free(w.years);
    }
    st = cym__first_failure_take(&ff, err);
cleanup:
    free(c.ind_pos);
    free(c.wt);
    return st;
}

/* ---- statistics of every row ------------------------------------------------------------- */

static void row_stats(cym_trends *tr)
{
    const cym_results *r = tr->r;
    size_t ny = r->n_years, nn = r->n_nodes;
#pragma omp parallel if (tr->n_rows * nn * ny >= 100000)
    {
        double *t = malloc(3 * (ny ? ny : 1) * sizeof(double) + sizeof(double));
        double *y = t ? t + ny : NULL, *qcache = t ? t + 2 * ny : NULL;
        for (size_t k = 0; qcache && k <= ny; k++)
            qcache[k] = NAN;
#pragma omp for schedule(dynamic, 8)
        for (size_t row = 0; row < tr->n_rows; row++)
            for (size_t n = 0; n < nn; n++) {
                cym_trend_stats *s = &tr->stats[row * nn + n];
                size_t m = 0;
                if (!t) {
                    memset(s, 0, sizeof(*s));
                    cym__trend_series_sorted(s, NULL, NULL, 0, tr->level, NULL);
                    continue;
                }
                const double *ser = cym_trends_row(tr, row);
                for (size_t k = 0; k < ny; k++) {
                    double v = ser[k * nn + n];
                    if (isnan(v))
                        continue;
                    t[m] = (double)(r->year0 + (int)k);
                    y[m++] = v;
                }
                cym__trend_series_sorted(s, t, y, m, tr->level, qcache);
            }
        free(t);
    }
}

cym_status cym_trends_compute(cym_trends **out, const cym_results *r, const cym_trend_spec *spec,
                              cym_error *err)
{
    static const cym_trend_spec defaults = CYM_TREND_SPEC_INIT;
    cym_trends *tr = calloc(1, sizeof(*tr));
    size_t cells;
    const char *warn;
    cym_status st;

    *out = NULL;
    if (!tr)
        return nomem(err);
    tr->r = r;
    if (!spec)
        spec = &defaults;
    tr->basis = spec->basis;
    tr->level = spec->level > 0 && spec->level < 1 ? spec->level : 0.05;
    if ((st = make_labels(tr, err)) < 0)
        goto fail;
    tr->n_rows = r->n_units + tr->n_groups;
    /* on the basis `all` the countries' series are the run's scores: only the group rows are
       stored (at 2,000 x 526 nodes x 20 years a copy would be 168 MB) */
    cells = (tr->basis == CYM_TREND_BASIS_COMMON ? tr->n_rows : tr->n_groups) * r->n_years *
            r->n_nodes;
    tr->series = malloc((cells ? cells : 1) * sizeof(double));
    tr->stats = calloc(tr->n_rows * r->n_nodes + 1, sizeof(cym_trend_stats));
    if (!tr->series || !tr->stats) {
        st = nomem(err);
        goto fail;
    }
    if (tr->basis == CYM_TREND_BASIS_COMMON) {
        for (size_t i = 0; i < r->n_units * r->n_years * r->n_nodes; i++)
            tr->series[i] = NAN;
        if ((st = common_basis(tr, err)) < 0)
            goto fail;
    }
    if ((st = group_rows(tr, err)) < 0)
        goto fail;
    row_stats(tr);
    if ((warn = cym_trend_scope_warning(r)) != NULL &&
        cym_warnings_add(&tr->warnings, "%s", warn) < 0) {
        st = nomem(err);
        goto fail;
    }
    *out = tr;
    return CYM_OK;
fail:
    cym_trends_free(tr);
    return st;
}
