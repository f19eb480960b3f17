/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Points on a fixed maximum, and the validation of published composites (issue 9).
 *
 * A checklist index (ITU GCI, NCSI) scores items as points: binary 0/1, ordinal 0..K, summed
 * with fixed weights. The bounds of a node are the scores it takes when every indicator below
 * it is at its bottom / top (binary 0/1, ordinal 0/K, goal_lo/goal_hi under --normalise none,
 * the normalisation's range, else the observed extremes), aggregated with the node's method and weights: the maximum possible
 * score that the `rebased` basis divides by. Under --normalise none with `sum` aggregation of
 * binary/ordinal items, a node's scores are sums of whole multiples of the weights: they lie
 * on a grid of step gcd(w_i * step_i), which a published total must respect.
 *
 * --check-total SERIES[:NODE] compares a published series in the data with the computed
 * scores of NODE (default the index): |published - computed| > tol + 1e-9 |published| is a
 * mismatch (tol = --check-tolerance, absolute, default 0.005: a total published to two
 * decimals is within 0.005 of its exact value). Written by hand: no library does this.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "cymetrics/edition.h"

/* the weight a node enters its parent's aggregate with, as the pipeline passes it */
static double weight_of(const cym_results *r, size_t n)
{
    const cym_node *nd = &r->fw->nodes[n];
    if (r->opts.weights == CYM_WEIGHTS_EQUAL)
        return 1.0;
    if (r->opts.weights == CYM_WEIGHTS_PCA)
        return r->weight[n];
    return nd->weight;
}

static const cym_agg_spec *method_of(const cym_results *r, const cym_node *nd)
{
    return nd->has_method ? &nd->method : &r->opts.agg;
}

/* observed extreme of an indicator's normalised scores in the run */
static double observed(const cym_results *r, size_t pos, int top)
{
    double best = NAN;
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++) {
            double v = r->normalised[cym_cube_cell(&r->ind_cube, u, t, pos)];
            if (!isnan(v) && (isnan(best) || (top ? v > best : v < best)))
                best = v;
        }
    return best;
}

static double indicator_bound(const cym_results *r, size_t n, int top)
{
    const cym_framework *fw = r->fw;
    const cym_node *nd = &fw->nodes[n];
    size_t pos = 0;
    for (size_t i = 0; i < fw->n_indicators; i++)
        if (fw->indicators[i] == n)
            pos = i;
    switch (r->opts.norm.method) {
    case CYM_NORM_NONE:
        /* raw points, oriented: direction - negates them */
        if (nd->direction > 0 && nd->scale == CYM_SCALE_BINARY)
            return top ? 1.0 : 0.0;
        if (nd->direction > 0 && nd->scale == CYM_SCALE_ORDINAL)
            return top ? (double)nd->scale_k : 0.0;
        /* goalposts name the raw values of the bottom and the top of the scale */
        if (nd->direction > 0 && !isnan(top ? nd->goal_hi : nd->goal_lo))
            return top ? nd->goal_hi : nd->goal_lo;
        return observed(r, pos, top);
    case CYM_NORM_RANK:
    case CYM_NORM_BORDA:
    case CYM_NORM_ZSCORE:
        return observed(r, pos, top);
    default:
        return top ? r->opts.norm.hi : r->opts.norm.lo;
    }
}

double cym_edition_node_bound(const cym_results *r, size_t node, int top)
{
    const cym_node *nd = &r->fw->nodes[node];
    const cym_agg_spec *spec;
    double *x, *w, out = NAN;
    if (!nd->n_children)
        return indicator_bound(r, node, top);
    spec = method_of(r, nd);
    if (spec->method == CYM_AGG_COPELAND || spec->method == CYM_AGG_MAZZIOTTA_PARETO)
        return NAN;
    x = malloc(nd->n_children * sizeof(*x));
    w = malloc(nd->n_children * sizeof(*w));
    if (x && w) {
        for (size_t j = 0; j < nd->n_children; j++) {
            x[j] = cym_edition_node_bound(r, nd->children[j], top);
            w[j] = weight_of(r, nd->children[j]);
        }
        if (cym_aggregate(&out, NULL, x, w, nd->n_children, spec, 0.0) < 0)
            out = NAN;
    }
    free(x);
    free(w);
    return out;
}

/* greatest common step of two non-negative reals (Euclid with a relative tolerance) */
static double gcd_real(double a, double b)
{
    double eps = 1e-9 * fmax(a, b);
    while (b > eps) {
        double t = fmod(a, b);
        a = b;
        b = t;
    }
    return a;
}

double cym_edition_node_step(const cym_results *r, size_t node)
{
    const cym_node *nd = &r->fw->nodes[node];
    double g = 0.0;
    if (r->opts.norm.method != CYM_NORM_NONE)
        return 0.0;
    if (!nd->n_children)
        return nd->direction > 0 &&
                       (nd->scale == CYM_SCALE_BINARY || nd->scale == CYM_SCALE_ORDINAL)
                   ? 1.0
                   : 0.0;
    if (method_of(r, nd)->method != CYM_AGG_SUM)
        return 0.0;
    for (size_t j = 0; j < nd->n_children; j++) {
        double s = cym_edition_node_step(r, nd->children[j]);
        double w = weight_of(r, nd->children[j]);
        if (w == 0.0)
            continue;
        if (s == 0.0)
            return 0.0;
        g = g == 0.0 ? w * s : gcd_real(fmax(g, w * s), fmin(g, w * s));
    }
    return g;
}

static cym_status add_row(cym_check *c, const cym_check_row *row, cym_error *err)
{
    if (cym__grow_array(&c->rows, &c->cap, c->n, sizeof(*c->rows), 64) < 0)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    c->rows[c->n++] = *row;
    return CYM_OK;
}

static int on_grid(double v, double step)
{
    double q = v / step;
    return fabs(q - nearbyint(q)) <= 1e-9 * fmax(1.0, fabs(q));
}

cym_status cym_check_total(cym_check *out, const cym_results *r, const cym_edition_spec *spec, const char *edition, cym_error *err)
{
    const cym_framework *fw = r->fw;
    const cym_dataset *ds = r->ds;
    const char *p = spec->check_total;
    double tol = spec->check_tolerance;

    while (*p) {
        size_t len = strcspn(p, ",");
        char part[256], *colon;
        long s, node;
        double lo, hi, step;
        memcpy(part, p, len);
        part[len] = '\0';
        p += len + (p[len] == ',');
        colon = strchr(part, ':');
        if (colon)
            *colon++ = '\0';
        s = cym_dataset_find_series(ds, part);
        if (s < (long)(fw->n_nodes + fw->n_denominators))
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "check-total: '%s' is not a published series of the data", part);
        node = colon ? cym_framework_find(fw, colon) : (long)fw->root;
        if (node < 0)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "check-total: no node '%s' in the framework %s", colon, fw->path);
        lo = cym_edition_node_bound(r, (size_t)node, 0);
        hi = cym_edition_node_bound(r, (size_t)node, 1);
        step = cym_edition_node_step(r, (size_t)node);
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < r->n_years; t++) {
                int year = r->year0 + (int)t;
                long ti = year - ds->year0;
                cym_check_row row;
                double pub, slack;
                cym_status st;
                if (ti < 0 || ti >= (long)ds->n_years)
                    continue;
                pub = ds->values[cym_dataset_cell(ds, u, (size_t)ti, (size_t)s)];
                if (isnan(pub))
                    continue;
                memset(&row, 0, sizeof(row));
                row.unit = u;
                row.year = year;
                row.edition = edition ? edition : "";
                row.series = ds->extra[s - (long)(fw->n_nodes + fw->n_denominators)];
                row.node = fw->nodes[node].code;
                row.published = pub;
                row.computed = r->score[cym_cube_cell(&r->node_cube, u, t, (size_t)node)];
                row.difference = row.computed - pub;
                slack = tol + 1e-9 * fabs(pub);
                if (isnan(row.computed)) {
                    row.status = "no-score";
                    out->n_noscore++;
                } else if ((!isnan(lo) && pub < lo - slack) || (!isnan(hi) && pub > hi + slack)) {
                    row.status = "out-of-range";
                    out->n_range++;
                } else if (step > 0 && !on_grid(pub, step)) {
                    row.status = "off-grid";
                    out->n_grid++;
                } else if (fabs(row.difference) > slack) {
                    row.status = "mismatch";
                    out->n_mismatch++;
                } else {
                    row.status = "ok";
                }
                if ((st = add_row(out, &row, err)) < 0)
                    return st;
            }
    }
    return CYM_OK;
}

void cym_check_free(cym_check *c)
{
    if (!c)
        return;
    free(c->rows);
    memset(c, 0, sizeof(*c));
}

void cym_check_summary(char *buf, size_t n, const cym_check *c, const cym_edition_spec *spec)
{
    snprintf(buf, n,
             "check-total %s: %zu published values, %zu ok, %zu mismatch%s (tolerance %g), "
             "%zu off the point grid, %zu out of range, %zu without a computed score",
             spec->check_total, c->n,
             c->n - c->n_mismatch - c->n_grid - c->n_range - c->n_noscore, c->n_mismatch,
             c->n_mismatch == 1 ? "" : "es", spec->check_tolerance, c->n_grid, c->n_range,
             c->n_noscore);
}
