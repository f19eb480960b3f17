/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The first stage of the pipeline, on the indicators (METHODS.md sections 1-4): select the
 * years, denominate, impute, orient by direction (x -1 for lower-is-better, before any
 * statistic is read), treat outliers (on the raw values, as COINr: see treat_one), normalise
 * (pooled over the panel, or per year). The
 * methods themselves (src/methods/) work on plain vectors; this file gathers the right vectors
 * out of the cube and scatters the results back. Its output does not depend on the weights
 * or the aggregation, so the Monte Carlo and the audit prepare once and aggregate many times.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "core/util.h"
#include "pipeline/pipeline_internal.h"

static const char *ind_code(const cym__stage *c, size_t i)
{
    return c->fw->nodes[c->fw->indicators[i]].code;
}

/* ---- denominate -------------------------------------------------------------------------- */

static cym_status denominate(cym__stage *c)
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
                size_t k = cym_cube_cell(&r->ind_cube, u, t, i);
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
            return cym__nomem(c->err);
        if (zeros && cym_warnings_add(&r->warnings,
                                      "indicator %s: %zu values have a denominator %s of 0 "
                                      "and are missing after denomination",
                                      nd->code, zeros, nd->denominator) < 0)
            return cym__nomem(c->err);
    }
    return CYM_OK;
}

/* ---- impute ------------------------------------------------------------------------------ */

static cym_status impute(cym__stage *c)
{
    cym_results *r = c->r;
    const cym_pipeline_options *o = c->o;
    int *group = NULL;
    double *buf = NULL;
    unsigned *fbuf = NULL;
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
            return cym__nomem(c->err);
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
    r->imputed = malloc(cym_cube_cells(&r->ind_cube) * sizeof(double));
    buf = malloc(r->n_units * r->n_years * sizeof(*buf));
    fbuf = malloc(r->n_units * r->n_years * sizeof(*fbuf));
    if (!r->imputed || !buf || !fbuf) {
        free(r->imputed);
        r->imputed = r->denominated;
        st = cym__nomem(c->err);
        goto cleanup;
    }
    for (size_t i = 0; i < r->n_ind; i++) {
        size_t n_imp = 0;
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < r->n_years; t++) {
                size_t k = cym_cube_cell(&r->ind_cube, u, t, i);
                buf[u * r->n_years + t] = r->denominated[k];
                fbuf[u * r->n_years + t] = 0;
            }
        st = cym_impute(buf, fbuf, r->n_units, r->n_years, &o->impute, group, &n_imp, c->err);
        if (st < 0)
            goto cleanup;
        r->n_imputed += n_imp;
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < r->n_years; t++) {
                size_t k = cym_cube_cell(&r->ind_cube, u, t, i);
                r->imputed[k] = buf[u * r->n_years + t];
                r->flags[k] |= fbuf[u * r->n_years + t];
            }
    }
cleanup:
    free(group);
    free(buf);
    free(fbuf);
    return st;
}

/* ---- treat and normalise: per indicator over the panel or per year ----------------------- */

/*
 * Indicators are gathered and scattered BLOCK at a time: a cube row holds the indicators
 * side by side, so one indicator's column takes a cache line (and, with hundreds of
 * indicators, a page) per value, and BLOCK neighbours share them. each_indicator gives a
 * thread whole blocks.
 */
#define BLOCK 8

/* BLOCK columns of one array over the years [y0, y1), indicators i0 .. i0 + BLOCK - 1 */
typedef struct block {
    double *v;
    const double *array; /* NULL: empty */
    double *dst;         /* scatter: the array written (array, writable) */
    size_t i0, y0, y1;
    unsigned filled; /* scatter: the columns written (bit b: column i0 + b) */
} block;

/* Work vectors of one thread for the per-indicator steps. */
typedef struct work {
    double *buf, *buf2;
    unsigned *fbuf;
    block in, out; /* gathered; to be scattered (scatter, flush) */
} work;

static int work_init(work *w, size_t n)
{
    memset(w, 0, sizeof(*w));
    w->buf = malloc(n * sizeof(double));
    w->buf2 = malloc(n * sizeof(double));
    w->fbuf = malloc(n * sizeof(unsigned));
    w->in.v = malloc(BLOCK * n * sizeof(double));
    w->out.v = malloc(BLOCK * n * sizeof(double));
    return w->buf && w->buf2 && w->fbuf && w->in.v && w->out.v ? 0 : -1;
}

static void work_free(work *w)
{
    free(w->buf);
    free(w->buf2);
    free(w->fbuf);
    free(w->in.v);
    free(w->out.v);
}

/* 1 when block b holds the columns of indicator i of `array` over the years [y0, y1) */
static int block_has(const block *b, const double *array, size_t i, size_t y0, size_t y1)
{
    return b->array == array && i - b->i0 < BLOCK && b->y0 == y0 && b->y1 == y1;
}

/* Writes the columns of w->out that were filled into their array. */
static void flush(const cym_results *r, work *w)
{
    block *b = &w->out;
    size_t n = 0, nb = r->n_ind - b->i0 < BLOCK ? r->n_ind - b->i0 : BLOCK;
    if (!b->array)
        return;
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t y = b->y0; y < b->y1; y++, n++) {
            double *row = b->dst + cym_cube_cell(&r->ind_cube, u, y, b->i0);
            for (size_t k = 0; k < nb; k++)
                if (b->filled & (1u << k))
                    row[k] = b->v[k * r->n_units * (b->y1 - b->y0) + n];
        }
    b->array = NULL;
    b->filled = 0;
}

/* Gathers indicator i of `src` into w->buf for the years [y0, y1), unit by unit. */
static size_t gather_years(const cym_results *r, work *w, const double *src, size_t i, size_t y0,
                           size_t y1)
{
    size_t n = r->n_units * (y1 - y0);
    block *b = &w->in;
    if (!block_has(b, src, i, y0, y1)) {
        size_t k = 0, i0 = i - i % BLOCK, nb = r->n_ind - i0 < BLOCK ? r->n_ind - i0 : BLOCK;
        if (w->out.array == src)
            flush(r, w); /* values still to be written there */
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t y = y0; y < y1; y++, k++) {
                const double *row = src + cym_cube_cell(&r->ind_cube, u, y, i0);
                for (size_t j = 0; j < nb; j++)
                    b->v[j * n + k] = row[j];
            }
        b->array = src;
        b->i0 = i0;
        b->y0 = y0;
        b->y1 = y1;
    }
    memcpy(w->buf, b->v + (i - b->i0) * n, n * sizeof(*w->buf));
    memset(w->fbuf, 0, n * sizeof(*w->fbuf));
    return n;
}

/* Gathers indicator i of `src` into w->buf for year t (or all years when t < 0). */
static size_t gather(const cym_results *r, work *w, const double *src, size_t i, long t)
{
    return gather_years(r, w, src, i, t >= 0 ? (size_t)t : 0, t >= 0 ? (size_t)t + 1 : r->n_years);
}

/*
 * Scatters w->buf into indicator i of `dst` for year t (or all years when t < 0): kept in
 * w->out until its block is complete (flush), and the flags, when asked, at once.
 */
static void scatter(cym_results *r, work *w, double *dst, size_t i, long t, int with_flags)
{
    size_t n = 0;
    size_t y0 = t >= 0 ? (size_t)t : 0, y1 = t >= 0 ? (size_t)t + 1 : r->n_years;
    block *b = &w->out;
    if (!block_has(b, dst, i, y0, y1)) {
        flush(r, w);
        b->array = b->dst = dst;
        b->i0 = i - i % BLOCK;
        b->y0 = y0;
        b->y1 = y1;
    }
    n = r->n_units * (y1 - y0);
    memcpy(b->v + (i - b->i0) * n, w->buf, n * sizeof(*w->buf));
    b->filled |= 1u << (i - b->i0);
    if (block_has(&w->in, dst, i, y0, y1)) /* the gathered copy follows */
        memcpy(w->in.v + (i - w->in.i0) * n, w->buf, n * sizeof(*w->buf));
    if (with_flags) {
        n = 0;
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t y = y0; y < y1; y++, n++)
                r->flags[cym_cube_cell(&r->ind_cube, u, y, i)] |= w->fbuf[n];
    }
}

/* A step applied to one indicator with a thread's work vectors. */
typedef cym_status (*indicator_fn)(cym__stage *c, work *w, size_t i, cym_error *err);

/*
 * Applies fn to every indicator, in parallel for large runs. The error reported is the first
 * by indicator position, so it does not depend on the number of threads.
 */
static cym_status each_indicator(cym__stage *c, indicator_fn fn)
{
    cym_results *r = c->r;
    cym__first_failure ff;

    cym__first_failure_init(&ff);
#pragma omp parallel if (c->parallel)
    {
        work w;
        cym_error e;
        int ok = work_init(&w, r->n_units * r->n_years) == 0;
#pragma omp for schedule(dynamic, BLOCK)
        for (size_t i = 0; i < r->n_ind; i++) {
            cym_status st =
                ok ? fn(c, &w, i, &e) : cym_error_set(&e, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            if (st < 0)
                cym__first_failure_set(&ff, i, st, &e);
        }
        if (ok)
            flush(r, &w);
        work_free(&w);
    }
    return cym__first_failure_take(&ff, c->err);
}

/* x -> -x over the present values (NaN left as it is). */
static void negate(double *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!isnan(x[k]))
            x[k] = -x[k];
}

/*
 * Turns a treatment of the raw values of a lower-is-better indicator back to the oriented
 * scale: values and skews change sign, points winsorised at the top of the raw values are at
 * the bottom of the oriented ones. The kurtosis does not change.
 */
static void orient_treated(work *w, size_t n, cym_treat_result *res)
{
    size_t h = res->n_high;
    negate(w->buf, n);
    for (size_t k = 0; k < n; k++) {
        unsigned f = w->fbuf[k] & ~(CYM_FLAG_WIN_HIGH | CYM_FLAG_WIN_LOW);
        if (w->fbuf[k] & CYM_FLAG_WIN_HIGH)
            f |= CYM_FLAG_WIN_LOW;
        if (w->fbuf[k] & CYM_FLAG_WIN_LOW)
            f |= CYM_FLAG_WIN_HIGH;
        w->fbuf[k] = f;
    }
    res->n_high = res->n_low;
    res->n_low = h;
    if (!isnan(res->skew_before))
        res->skew_before = -res->skew_before;
    if (!isnan(res->skew_after))
        res->skew_after = -res->skew_after;
}

/*
 * Treatment runs per year with per-year normalisation, and also when the normalisation bounds
 * are frozen: treated on the pooled panel, a value of an earlier year could change when a
 * later year is added, which is what freezing the bounds is for.
 */
static int treat_per_year(const cym_results *r)
{
    return r->settings.scope || r->settings.frozen;
}

/*
 * Treats one indicator (all slices); records go to r->treat[i * slices + s].
 *
 * The treatment runs on the raw values (direction undone), as COINr's Treat() does before its
 * Normalise() applies the direction. Winsorising gives the same cells either way (the skew
 * changes sign with the values, so the same tail is cut), but the log fallback
 * log(x - min + 0.01 (max - min)) is not symmetric: on the flipped values of a lower-is-better
 * indicator it would compress the other tail and make the skew worse. What is recorded stays
 * on the oriented scale of METHODS.md section 1 (orient_treated).
 */
static cym_status treat_one(cym__stage *c, work *w, size_t i, cym_error *err)
{
    cym_results *r = c->r;
    size_t slices = treat_per_year(r) ? r->n_years : 1;
    int flip = c->fw->nodes[c->fw->indicators[i]].direction < 0;
    for (size_t s = 0; s < slices; s++) {
        long t = treat_per_year(r) ? (long)s : -1;
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
        if (flip)
            negate(w->buf, n);
        st = cym_treat_winsorise(w->buf, w->fbuf, n, &c->o->treat_spec, &rec->r, err);
        if (st < 0)
            return st;
        if (flip)
            orient_treated(w, n, &rec->r);
        scatter(r, w, r->treated, i, t, 1);
    }
    return CYM_OK;
}

static cym_status treat(cym__stage *c)
{
    cym_results *r = c->r;
    size_t slices = treat_per_year(r) ? r->n_years : 1;
    cym_status st;

    r->treat = calloc(r->n_ind * slices, sizeof(*r->treat));
    if (!r->treat)
        return cym__nomem(c->err);
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
            return cym__nomem(c->err);
    }
    return CYM_OK;
}

/*
 * The normalised values of indicator i in w->buf (as gather laid them out for year t, or all
 * years when t < 0) are finite wherever the treated value is present, except for dist2ref
 * where the reference (w->buf2) is missing: min-max over values near +-1e308 divides by an
 * infinite range.
 */
static cym_status check_normalised(const cym__stage *c, const work *w, size_t i, long t,
                                   cym_error *err)
{
    const cym_results *r = c->r;
    size_t n = 0, y0 = t >= 0 ? (size_t)t : 0, y1 = t >= 0 ? (size_t)t + 1 : r->n_years;
    /* the treated values as gathered (the cube's column, read in place, costs a cache line
       a value) */
    const double *treated = block_has(&w->in, r->treated, i, y0, y1)
                                ? w->in.v + (i - w->in.i0) * r->n_units * (y1 - y0)
                                : NULL;
    cym_status st;
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t y = y0; y < y1; y++, n++) {
            double x = treated ? treated[n] : r->treated[cym_cube_cell(&r->ind_cube, u, y, i)];
            int computed = !isnan(x) && !(c->ref_unit >= 0 && isnan(w->buf2[n]));
            if ((st = cym__check_finite(c, w->buf[n], computed, "the normalised score",
                                        ind_code(c, i), (long)u, (long)y, err)) < 0)
                return st;
        }
    return CYM_OK;
}

/* Normalises one indicator (all slices); r->zero_spread[i] records a flat slice. */
static cym_status normalise_one(cym__stage *c, work *w, size_t i, cym_error *err)
{
    long ref_unit = c->ref_unit;
    cym_results *r = c->r;
    const cym_pipeline_options *o = c->o;
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
        cym_norm_bounds *b = &r->bounds[i * r->n_slices + s];
        int zero = 0;
        cym_status st;
        if (r->settings.frozen) {
            /* the frozen bounds (freeze_bounds) are the scale; count what lies beyond them */
            aux.frozen = b;
            if (o->norm.method != CYM_NORM_ZSCORE)
                for (size_t k = 0; k < n; k++)
                    c->capped[i] += w->buf[k] < b->min || w->buf[k] > b->max;
        } else {
            cym_norm_bounds_compute(b, w->buf, n);
        }
        if (ref_unit >= 0) {
            /* the reference is the reference country's value in the same year */
            size_t m = 0;
            size_t y0 = t >= 0 ? (size_t)t : 0, y1 = t >= 0 ? (size_t)t + 1 : r->n_years;
            for (size_t u = 0; u < r->n_units; u++)
                for (size_t y = y0; y < y1; y++)
                    w->buf2[m++] = r->treated[cym_cube_cell(&r->ind_cube, (size_t)ref_unit, y, i)];
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
        if ((st = check_normalised(c, w, i, t, err)) < 0)
            return st;
        scatter(r, w, r->normalised, i, t, 0);
        if (zero)
            r->zero_spread[i] = 1;
    }
    return CYM_OK;
}

/*
 * dist2ref: one warning per indicator whose reference country has no value in a year where
 * other countries have one. Those scores are missing (normalise_one), as COINr's n_dist2ref
 * returns NA with a warning when the reference is NA.
 */
static cym_status warn_no_reference(cym__stage *c)
{
    cym_results *r = c->r;
    size_t ref = (size_t)c->ref_unit, cap = r->n_years * 8 + 1;
    char *years = malloc(cap);
    cym_status st = CYM_OK;

    if (!years)
        return cym__nomem(c->err);
    for (size_t i = 0; i < r->n_ind && st == CYM_OK; i++) {
        size_t len = 0, n = 0;
        for (size_t t = 0; t < r->n_years; t++) {
            int others = 0;
            if (!isnan(r->treated[cym_cube_cell(&r->ind_cube, ref, t, i)]))
                continue;
            for (size_t u = 0; u < r->n_units && !others; u++)
                others = !isnan(r->treated[cym_cube_cell(&r->ind_cube, u, t, i)]);
            if (others)
                len += (size_t)snprintf(years + len, cap - len, "%s%d", n++ ? ", " : "",
                                        r->year0 + (int)t);
        }
        if (n && cym_warnings_add(&r->warnings,
                                  "indicator %s: the dist2ref reference country %s has no value "
                                  "in %s, so the indicator is missing for every country there",
                                  ind_code(c, i), c->o->norm.ref_unit, years) < 0)
            st = cym__nomem(c->err);
    }
    free(years);
    return st;
}

/*
 * The frozen bounds of every indicator, before any is normalised: those of the goalposts
 * file, or those of the values in the reference years (the window lies in the selected years,
 * cym_pipeline_prepare checked).
 */
static cym_status freeze_bounds(cym__stage *c)
{
    cym_results *r = c->r;
    const cym_pipeline_options *o = c->o;
    work w;

    if (r->settings.frozen == CYM_FROZEN_FILE) {
        memcpy(r->bounds, o->goalposts->bounds, r->n_ind * sizeof(*r->bounds));
        return CYM_OK;
    }
    if (r->settings.frozen != CYM_FROZEN_REFERENCE)
        return CYM_OK;
    if (work_init(&w, r->n_units * r->n_years) < 0) {
        work_free(&w);
        return cym__nomem(c->err);
    }
    for (size_t i = 0; i < r->n_ind; i++) {
        size_t y0 = (size_t)(o->ref_from - r->year0), y1 = (size_t)(o->ref_to - r->year0) + 1;
        size_t n = gather_years(r, &w, r->treated, i, y0, y1);
        cym_norm_bounds_compute(&r->bounds[i], w.buf, n);
        if (r->bounds[i].n == 0) {
            char years[32];
            const cym_node *nd = &c->fw->nodes[c->fw->indicators[i]];
            work_free(&w);
            cym_results_bounds_years(years, sizeof(years), r, 0);
            return cym_error_set(c->err, CYM_EDATA, NULL, 0, 0,
                                 "indicator %s has no value in the reference years %s: no "
                                 "bounds to normalise by",
                                 nd->code, years);
        }
    }
    work_free(&w);
    return CYM_OK;
}

static cym_status normalise_all(cym__stage *c)
{
    cym_results *r = c->r;
    const cym_pipeline_options *o = c->o;
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
    if ((st = freeze_bounds(c)) < 0)
        return st;
    if ((st = each_indicator(c, normalise_one)) < 0)
        return st;
    for (size_t i = 0; r->settings.frozen && i < r->n_ind; i++) {
        char years[32];
        cym_results_bounds_years(years, sizeof(years), r, 0);
        if (c->capped[i] &&
            cym_warnings_add(&r->warnings,
                             "indicator %s: values outside the bounds frozen on %s score the "
                             "end of the range (%zu cell%s)",
                             ind_code(c, i), years, c->capped[i], c->capped[i] == 1 ? "" : "s") < 0)
            return cym__nomem(c->err);
    }
    if (ref_unit >= 0 && (st = warn_no_reference(c)) < 0)
        return st;
    for (size_t i = 0; i < r->n_ind; i++)
        if (r->zero_spread[i] &&
            cym_warnings_add(&r->warnings,
                             "indicator %s has the same value for every country%s: all get "
                             "the middle of the scale",
                             ind_code(c, i), r->settings.scope ? " in at least one year" : "") < 0)
            return cym__nomem(c->err);
    return CYM_OK;
}

static cym_status normalise(cym__stage *c)
{
    cym_status st;
    c->capped = calloc(c->r->n_ind + 1, sizeof(*c->capped));
    if (!c->capped)
        return cym__nomem(c->err);
    st = normalise_all(c);
    free(c->capped);
    c->capped = NULL;
    return st;
}

/*
 * Frozen bounds (--reference-years, --goalposts): which, and whether they fit the run. Sets
 * r->settings.frozen; CYM_EUSAGE when they do not fit.
 */
static cym_status check_frozen(cym_results *r, const cym_pipeline_options *o, cym_error *err)
{
    const char *how = o->goalposts ? "--goalposts" : "--reference-years";
    int y1 = r->year0 + (int)r->n_years - 1;
    if (!o->goalposts && !o->ref_from && !o->ref_to)
        return CYM_OK;
    if (o->goalposts && (o->ref_from || o->ref_to))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "--reference-years and --goalposts both freeze the normalisation "
                             "bounds: give one");
    if (o->scope == 1)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "%s freezes the bounds for every year, --scope year normalises "
                             "each year on its own: give one",
                             how);
    if (!cym_norm_freezable(o->norm.method))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "%s: %s normalisation has no bounds to freeze (only minmax, "
                             "dist2max and zscore have)",
                             how, cym_norm_name(o->norm.method));
    if (o->goalposts && o->goalposts->method != o->norm.method)
        return cym_error_set(err, CYM_EUSAGE, o->goalposts->path, o->goalposts->line,
                             o->goalposts->col,
                             "the goalposts are bounds of %s normalisation, the run normalises "
                             "with %s",
                             cym_norm_name(o->goalposts->method), cym_norm_name(o->norm.method));
    if (o->goalposts && o->goalposts->fw != r->fw)
        return cym_error_set(err, CYM_EUSAGE, o->goalposts->path, 0, 0,
                             "the goalposts were read for another framework than %s", r->fw->path);
    if (!o->goalposts && (o->ref_from < r->year0 || o->ref_to > y1 || o->ref_from > o->ref_to)) {
        char years[32];
        cym__year_range_format(years, sizeof(years), o->ref_from, o->ref_to);
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "reference years %s: no data there (the years run are %d-%d)", years,
                             r->year0, y1);
    }
    r->settings.frozen = o->goalposts ? CYM_FROZEN_FILE : CYM_FROZEN_REFERENCE;
    return CYM_OK;
}

/* ---- the stage ---------------------------------------------------------------------------- */

static cym_status alloc_journey(cym_results *r)
{
    size_t ni = cym_cube_cells(&r->ind_cube);
    r->raw = malloc((ni ? ni : 1) * sizeof(double));
    /* denomination and imputation get arrays of their own only when they run */
    r->denominated = r->imputed = r->raw;
    if (r->settings.denominate && r->raw) {
        double *d = malloc((ni ? ni : 1) * sizeof(double));
        if (!d)
            return CYM_ENOMEM;
        r->denominated = r->imputed = d;
    }
    r->treated = malloc((ni ? ni : 1) * sizeof(double));
    r->normalised = malloc((ni ? ni : 1) * sizeof(double));
    r->flags = calloc(ni ? ni : 1, sizeof(unsigned));
    r->zero_spread = calloc(r->n_ind ? r->n_ind : 1, 1);
    r->bounds = calloc(r->n_ind * r->n_slices + 1, sizeof(*r->bounds));
    if (!r->raw || !r->denominated || !r->treated || !r->normalised || !r->flags ||
        !r->zero_spread || !r->bounds || cym__unit_order(r) < 0)
        return CYM_ENOMEM;
    return cym__results_alloc_scores(r);
}

cym_status cym_pipeline_prepare(cym_results **out, const cym_dataset *ds,
                                const cym_pipeline_options *opts, cym_error *err)
{
    static const cym_pipeline_options defaults = CYM_PIPELINE_OPTIONS_INIT;
    const cym_framework *fw = ds->fw;
    const cym_pipeline_options *o = opts ? opts : &defaults;
    cym_results *r;
    cym__stage c;
    int y0, y1;
    cym_status st = CYM_OK;

    *out = NULL;
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
        return cym__nomem(err);
    r->ds = ds;
    r->fw = fw;
    r->opts = *o;
    r->year0 = y0;
    r->n_years = (size_t)(y1 - y0 + 1);
    r->n_units = ds->n_units;
    r->n_nodes = fw->n_nodes;
    r->n_ind = fw->n_indicators;
    r->ind_cube = (cym_cube){r->n_units, r->n_years, r->n_ind};
    r->node_cube = (cym_cube){r->n_units, r->n_years, r->n_nodes};
    r->unit_cube = (cym_cube){r->n_units, r->n_years, 1};
    r->settings.denominate = o->denominate < 0 ? fw->n_denominators > 0 : o->denominate;
    r->settings.scope = o->scope < 0 ? r->n_years == 1 : o->scope;
    if ((st = check_frozen(r, o, err)) < 0)
        goto cleanup;
    if (r->settings.frozen)
        r->settings.scope = 0;
    r->n_slices = r->settings.scope ? r->n_years : 1;
    cym__stage_init(&c, r, err);
    if (alloc_journey(r) < 0) {
        st = cym__nomem(err);
        goto cleanup;
    }
    /* the element-wise passes run on every core: they are the first to touch each page of
       the run's arrays, which costs the kernel about as much as the arithmetic here */
#pragma omp parallel for schedule(static) if (c.parallel)
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            for (size_t i = 0; i < r->n_ind; i++)
                r->raw[cym_cube_cell(&r->ind_cube, u, t, i)] =
                    ds->values[cym_dataset_cell(ds, u, t + c.toff, fw->indicators[i])];
    if (r->settings.denominate) {
        memcpy(r->denominated, r->raw, cym_cube_cells(&r->ind_cube) * sizeof(double));
        if (!fw->n_denominators &&
            cym_warnings_add(&r->warnings, "--denominate on, but the framework names no "
                                           "denominator: nothing was divided") < 0) {
            st = cym__nomem(err);
            goto cleanup;
        }
        if ((st = denominate(&c)) < 0)
            goto cleanup;
    }
    if ((st = impute(&c)) < 0)
        goto cleanup;
    /* direction: lower-is-better indicators are turned around before any statistic */
#pragma omp parallel for schedule(static) if (c.parallel)
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            for (size_t i = 0; i < r->n_ind; i++) {
                size_t k = cym_cube_cell(&r->ind_cube, u, t, i);
                r->treated[k] = r->imputed[k] * fw->nodes[fw->indicators[i]].direction;
            }
    if ((st = treat(&c)) < 0)
        goto cleanup;
    if ((st = normalise(&c)) < 0)
        goto cleanup;
    /* the indicators' scores; the aggregates' come from cym_pipeline_aggregate */
#pragma omp parallel for schedule(static) if (c.parallel)
    for (size_t u = 0; u < r->n_units; u++) {
        double *score = r->score + cym_cube_cell(&r->node_cube, u, 0, 0);
        double *coverage = r->coverage + cym_cube_cell(&r->node_cube, u, 0, 0);
        double *rank = r->rank + cym_cube_cell(&r->node_cube, u, 0, 0);
        for (size_t k = 0; k < r->n_years * r->n_nodes; k++)
            score[k] = coverage[k] = rank[k] = NAN;
        for (size_t t = 0; t < r->n_years; t++)
            for (size_t i = 0; i < r->n_ind; i++) {
                size_t k = cym_cube_cell(&r->ind_cube, u, t, i);
                size_t cell = cym_cube_cell(&r->node_cube, u, t, fw->indicators[i]);
                double v = r->normalised[k];
                r->score[cell] = v;
                /* data: a score from an observed value; an imputed one is not data */
                r->coverage[cell] = isnan(v) || (r->flags[k] & CYM_FLAG_IMPUTED) ? 0.0 : 1.0;
            }
    }

cleanup:
    if (st < 0) {
        cym_results_free(r);
        return st;
    }
    *out = r;
    return CYM_OK;
}
