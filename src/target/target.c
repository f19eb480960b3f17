/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Targets: what it takes a country to reach the next tier (issue 9).
 *
 * The question is asked of one country with everything else held still: the other countries'
 * scores, the normalisation parameters (min and max, mean and sd, goalposts, ranks), the
 * weights and the methods. A raised indicator therefore gets the normalised score its new
 * value would have on the run's own scale:
 *   - goalposts: the goal (goal_hi) scores the top of the range, u;
 *   - binary and ordinal:K items (framework `scale`): full marks (1 or K; 0 for a lower-is-
 *     better item), scored on the fixed scale: min-max and dist2max (x - min)/(max - min)
 *     clipped to [0, 1], fracmax min(x/max, 1), then * (u - l) + l; for the other methods,
 *     and whenever outlier treatment ran (its cut-offs and logs are not linear), the best
 *     score of a value observed at or below the new value;
 *   - any other indicator: the best value observed that year (by normalised score), which
 *     scores exactly what that country scores.
 * A denominated indicator (per capita, per GDP) is raised to the best *ratio*; the raw value
 * asked for is that ratio times the country's own denominator.
 *
 * The index is then re-aggregated for that country alone (cym_target_rescore): the same
 * cym_aggregate calls as the pipeline, bottom-up, with the same raw weights, so the country's
 * own scores reproduce the run exactly. The greedy search tries every remaining indicator at
 * each step and re-aggregates only the path from it to the index, with the other nodes'
 * values cached. With `sum` aggregation, and arithmetic means where every child has a value,
 * the index is linear in the indicator scores and the gains add up, so taking the largest
 * gain first gives the fewest steps; with other aggregations greedy is a heuristic (a step
 * that gains nothing alone, as under `min`, is taken when raising everything would help).
 */
#include "cymetrics/target.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/framework.h"
#include "cymetrics/methods.h"

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

void cym_target_plan_free(cym_target_plan *p)
{
    if (!p)
        return;
    free(p->steps);
    free(p);
}

long cym_target_pillar(const cym_framework *fw, size_t n)
{
    if (n == fw->root)
        return -1;
    while (fw->nodes[n].parent >= 0 && (size_t)fw->nodes[n].parent != fw->root)
        n = (size_t)fw->nodes[n].parent;
    return (long)n;
}

double cym_target_tier_threshold(const cym_results *r, size_t t, size_t k)
{
    double th, *buf;
    if (!r->opts.tiers[k].percentile)
        return r->opts.tiers[k].threshold;
    buf = malloc(r->n_units * sizeof(*buf));
    if (!buf)
        return NAN;
    for (size_t u = 0; u < r->n_units; u++)
        buf[u] = r->score[cym_cube_cell(&r->node_cube, u, t, r->fw->root)];
    th = cym_stats_quantile(buf, r->n_units, r->opts.tiers[k].threshold / 100.0);
    free(buf);
    return th;
}

/* ---- best values ----------------------------------------------------------------------- */

/* The weight the pipeline handed to cym_aggregate for node n (before rescaling). */
static double raw_weight(const cym_results *r, size_t n)
{
    if (r->opts.weights == CYM_WEIGHTS_EQUAL)
        return 1.0;
    if (r->opts.weights == CYM_WEIGHTS_PCA)
        return r->weight[n]; /* PCA weights sum to 1 already */
    return r->fw->nodes[n].weight;
}

/*
 * The normalised score of the direction-adjusted value x of indicator i in year t, on the
 * run's fixed scale (see the comment at the top).
 */
static double fixed_score(const cym_results *r, size_t i, size_t t,
                          double x)
{
    size_t y0 = r->settings.scope ? t : 0, y1 = r->settings.scope ? t + 1 : r->n_years;
    double mn = INFINITY, mx = -INFINITY, best = NAN, best_below = NAN;
    const double lo = r->opts.norm.lo, hi = r->opts.norm.hi;
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t y = y0; y < y1; y++) {
            size_t k = cym_cube_cell(&r->ind_cube, u, y, i);
            double v = r->treated[k], s = r->normalised[k];
            if (isnan(v) || isnan(s))
                continue;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
            if (isnan(best) || s > best)
                best = s;
            if (v <= x && (isnan(best_below) || s > best_below))
                best_below = s;
        }
    if (isnan(best))
        return NAN;
    if (r->settings.frozen) {
        /* frozen bounds (--reference-years, --goalposts) are the scale, not the values' */
        mn = r->bounds[i].min;
        mx = r->bounds[i].max;
    }
    if (!r->opts.treat && (r->opts.norm.method == CYM_NORM_MINMAX || r->opts.norm.method == CYM_NORM_DIST2MAX)) {
        double z;
        if (!(mx > mn))
            return (lo + hi) / 2.0;
        z = (x - mn) / (mx - mn);
        z = z < 0 ? 0 : z > 1 ? 1 : z;
        return z * (hi - lo) + lo;
    }
    if (!r->opts.treat && r->opts.norm.method == CYM_NORM_FRACMAX && mx > 0) {
        double z = x / mx;
        return (z > 1 ? 1 : z) * (hi - lo) + lo;
    }
    return x >= mx ? best : best_below;
}

cym_status cym_target_best(double *value, double *score, const cym_results *r,
                           size_t u, size_t t, cym_error *err)
{
    const cym_framework *fw = r->fw;
    const cym_dataset *ds = r->ds;
    size_t toff = (size_t)(r->year0 - ds->year0);
    (void)err;
    for (size_t i = 0; i < r->n_ind; i++) {
        const cym_node *nd = &fw->nodes[fw->indicators[i]];
        double cur = r->score[cym_cube_cell(&r->node_cube, u, t, fw->indicators[i])];
        double den = 1.0, v = NAN, s = NAN;
        int denominated = r->settings.denominate && nd->denominator[0];
        value[i] = score[i] = NAN;
        if (denominated) {
            long sr = cym_dataset_find_series(ds, nd->denominator);
            den = sr < 0 ? NAN : ds->values[cym_dataset_cell(ds, u, t + toff, (size_t)sr)];
            if (isnan(den) || den == 0.0)
                continue;
        }
        if (r->opts.norm.method == CYM_NORM_GOALPOSTS) {
            v = nd->goal_hi * (denominated ? den : 1.0);
            s = r->opts.norm.hi;
        } else if (nd->scale != CYM_SCALE_CONTINUOUS) {
            double full = nd->direction < 0 ? 0.0 : nd->scale == CYM_SCALE_BINARY ? 1.0
                                                                                 : nd->scale_k;
            v = full;
            s = fixed_score(r, i, t, full / den * nd->direction);
        } else {
            /* the best value observed (not imputed) that year, by its normalised score */
            long b = -1;
            double bs = NAN;
            for (size_t w = 0; w < r->n_units; w++) {
                size_t k = cym_cube_cell(&r->ind_cube, w, t, i);
                double sw = r->score[cym_cube_cell(&r->node_cube, w, t, fw->indicators[i])];
                if (isnan(sw) || isnan(r->raw[k]) || (r->flags[k] & CYM_FLAG_IMPUTED))
                    continue;
                if (b < 0 || sw > bs) {
                    b = (long)w;
                    bs = sw;
                }
            }
            if (b < 0)
                continue;
            s = bs;
            v = denominated ? r->denominated[cym_cube_cell(&r->ind_cube, (size_t)b, t, i)] * den
                            : r->raw[cym_cube_cell(&r->ind_cube, (size_t)b, t, i)];
        }
        if (isnan(s) || (!isnan(cur) && !(s > cur)))
            continue;
        value[i] = v;
        score[i] = s;
    }
    return CYM_OK;
}

/* ---- re-aggregation of one unit ------------------------------------------------------- */

typedef struct agg_ctx {
    const cym_results *r;
    const cym_pipeline_options *o; /* the run's */
    size_t u, t;
    double *x, *w;   /* children of one node */
    double *X, *col; /* Copeland: every unit's children, scores */
    size_t work;     /* children visited */
} agg_ctx;

/*
 * Aggregates node n for the unit from its children's values: child `changed` takes `val`
 * (pass (size_t)-1 for none), the others `v[child]`.
 */
static cym_status agg_node(double *out, agg_ctx *c, const double *v, size_t n, size_t changed,
                           double val, cym_error *err)
{
    const cym_results *r = c->r;
    const cym_node *nd = &r->fw->nodes[n];
    const cym_agg_spec *spec = nd->has_method ? &nd->method : &c->o->agg;
    size_t k = nd->n_children;
    double cov;

    c->work += k;
    for (size_t j = 0; j < k; j++) {
        size_t ch = nd->children[j];
        c->x[j] = ch == changed ? val : v[ch];
        c->w[j] = raw_weight(r, ch);
    }
    if (spec->method == CYM_AGG_COPELAND) {
        double wp = 0, wt = 0;
        c->work += k * r->n_units;
        for (size_t w = 0; w < r->n_units; w++)
            for (size_t j = 0; j < k; j++)
                c->X[w * k + j] = w == c->u ? c->x[j]
                                            : r->score[cym_cube_cell(&r->node_cube, w, c->t,
                                                                             nd->children[j])];
        if (cym_aggregate_copeland(c->col, c->X, c->w, r->n_units, k) < 0)
            return nomem(err);
        for (size_t j = 0; j < k; j++) {
            wt += c->w[j];
            if (!isnan(c->x[j]))
                wp += c->w[j];
        }
        cov = wt > 0 ? wp / wt : 0;
        *out = cov > 0 && cym_aggregate_covered(cov, c->o->min_coverage) ? c->col[c->u] : NAN;
        return CYM_OK;
    }
    if (cym_aggregate(out, &cov, c->x, c->w, k, spec, c->o->min_coverage) < 0)
        return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                             "%s aggregation of '%s' for %s in %d cannot take the raised scores",
                             cym_agg_name(spec->method), nd->code, r->ds->units[c->u].code,
                             r->year0 + (int)c->t);
    return CYM_OK;
}

static int agg_ctx_init(agg_ctx *c, const cym_results *r, size_t u,
                        size_t t)
{
    size_t maxk = 1;
    memset(c, 0, sizeof(*c));
    c->r = r;
    c->o = &r->opts;
    c->u = u;
    c->t = t;
    for (size_t n = 0; n < r->fw->n_nodes; n++)
        if (r->fw->nodes[n].n_children > maxk)
            maxk = r->fw->nodes[n].n_children;
    c->x = malloc(maxk * sizeof(double));
    c->w = malloc(maxk * sizeof(double));
    c->X = malloc(maxk * r->n_units * sizeof(double));
    c->col = malloc(r->n_units * sizeof(double));
    return c->x && c->w && c->X && c->col ? 0 : -1;
}

static void agg_ctx_free(agg_ctx *c)
{
    free(c->x);
    free(c->w);
    free(c->X);
    free(c->col);
}

/* Every node of the unit into v (indicators from s), bottom-up. */
static cym_status rescore_all(agg_ctx *c, double *v, const double *s, cym_error *err)
{
    const cym_framework *fw = c->r->fw;
    for (size_t i = 0; i < fw->n_indicators; i++)
        v[fw->indicators[i]] = s[i];
    for (size_t b = 0; b < fw->n_nodes; b++) {
        size_t n = fw->bottom_up[b];
        cym_status st;
        if (!fw->nodes[n].n_children)
            continue;
        if ((st = agg_node(&v[n], c, v, n, (size_t)-1, 0, err)) < 0)
            return st;
    }
    return CYM_OK;
}

cym_status cym_target_rescore(double *index, double *nodes, const cym_results *r,
                              size_t u, size_t t, const double *ind_scores,
                              cym_error *err)
{
    agg_ctx c;
    double *v = malloc(r->fw->n_nodes * sizeof(double));
    cym_status st;
    if (agg_ctx_init(&c, r, u, t) < 0 || !v) {
        st = nomem(err);
        goto cleanup;
    }
    if ((st = rescore_all(&c, v, ind_scores, err)) < 0)
        goto cleanup;
    *index = v[r->fw->root];
    if (nodes)
        memcpy(nodes, v, r->fw->n_nodes * sizeof(double));
cleanup:
    agg_ctx_free(&c);
    free(v);
    return st;
}

/*
 * The index when leaf `leaf` takes `val`, the other nodes as cached in v: only the path to
 * the root is re-aggregated. With `store`, the path's new values go into v.
 */
static cym_status eval_path(double *out, agg_ctx *c, double *v, size_t leaf, double val,
                            int store, cym_error *err)
{
    const cym_framework *fw = c->r->fw;
    size_t child = leaf;
    long p = fw->nodes[leaf].parent;
    if (store)
        v[leaf] = val;
    while (p >= 0) {
        double nv;
        cym_status st = agg_node(&nv, c, v, (size_t)p, child, val, err);
        if (st < 0)
            return st;
        if (store)
            v[p] = nv;
        val = nv;
        child = (size_t)p;
        p = fw->nodes[p].parent;
    }
    *out = val;
    return CYM_OK;
}

cym_status cym_target_search(cym_target_plan **out, const cym_results *r, size_t u, size_t t, double target, size_t max_work, cym_error *err)
{
    const cym_framework *fw = r->fw;
    size_t ni = r->n_ind;
    cym_target_plan *p = calloc(1, sizeof(*p));
    double *bv = malloc(ni * sizeof(double)), *bs = malloc(ni * sizeof(double));
    double *s = malloc(ni * sizeof(double)), *v = malloc(fw->n_nodes * sizeof(double));
    unsigned char *used = calloc(ni ? ni : 1, 1);
    agg_ctx c;
    double cur;
    cym_status st;

    *out = NULL;
    if (agg_ctx_init(&c, r, u, t) < 0 || !p || !bv || !bs || !s || !v || !used) {
        st = nomem(err);
        goto cleanup;
    }
    p->steps = malloc((ni ? ni : 1) * sizeof(*p->steps));
    if (!p->steps) {
        st = nomem(err);
        goto cleanup;
    }
    p->unit = u;
    p->t = t;
    p->year = r->year0 + (int)t;
    p->target = target;
    p->current = r->score[cym_cube_cell(&r->node_cube, u, t, fw->root)];
    if ((st = cym_target_best(bv, bs, r, u, t, err)) < 0)
        goto cleanup;
    /* the maximum: every indicator at its best */
    for (size_t i = 0; i < ni; i++)
        s[i] = isnan(bs[i]) ? r->score[cym_cube_cell(&r->node_cube, u, t, fw->indicators[i])] : bs[i];
    if ((st = rescore_all(&c, v, s, err)) < 0)
        goto cleanup;
    p->max_score = v[fw->root];
    for (size_t i = 0; i < ni; i++)
        s[i] = r->score[cym_cube_cell(&r->node_cube, u, t, fw->indicators[i])];
    if ((st = rescore_all(&c, v, s, err)) < 0)
        goto cleanup;
    cur = v[fw->root];
    while (!(cur >= target)) {
        long bi = -1;
        double bg = -INFINITY, bval = NAN;
        if (max_work && c.work > max_work) {
            p->truncated = 1;
            break;
        }
        for (size_t i = 0; i < ni; i++) {
            double val;
            if (used[i] || isnan(bs[i]))
                continue;
            if ((st = eval_path(&val, &c, v, fw->indicators[i], bs[i], 0, err)) < 0)
                goto cleanup;
            if (!isnan(val) && (isnan(cur) || val - cur > bg)) {
                bi = (long)i;
                bg = isnan(cur) ? INFINITY : val - cur;
                bval = val;
            }
        }
        /* nothing left, or nothing can help any more even all together */
        if (bi < 0 || (bg <= 0 && !(p->max_score > cur)))
            break;
        {
            cym_target_step *sp = &p->steps[p->n_steps++];
            size_t i = (size_t)bi;
            sp->indicator = i;
            sp->current = r->raw[cym_cube_cell(&r->ind_cube, u, t, i)];
            sp->target_value = bv[i];
            sp->score_from = s[i];
            sp->score_to = bs[i];
            if ((st = eval_path(&bval, &c, v, fw->indicators[i], bs[i], 1, err)) < 0)
                goto cleanup;
            sp->gain = isnan(cur) ? bval : bval - cur;
            sp->score_after = bval;
            s[i] = bs[i];
            used[i] = 1;
            cur = bval;
        }
    }
    p->reached = cur >= target;
    *out = p;
    p = NULL;
    st = CYM_OK;

cleanup:
    agg_ctx_free(&c);
    cym_target_plan_free(p);
    free(bv);
    free(bs);
    free(s);
    free(v);
    free(used);
    return st;
}
