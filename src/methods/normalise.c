/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Normalisation of one indicator (METHODS.md section 4), on direction-adjusted values
 * (x = raw * direction, as COINr's Normalise.numeric does before calling n_*()).
 *
 * Formulas, over the present values, output range [l, u]:
 *   minmax      (x - min)/(max - min) (u - l) + l                        COINr n_minmax
 *   zscore      (x - mean)/sd * s + m, sd with divisor n - 1              COINr n_zscore
 *   goalposts   (r - g_lo)/(g_hi - g_lo) clipped to [0, 1], (u - l) + l   on raw r = x * dir
 *   rank        rank(x, ties = "min"), 1 = worst                          COINr n_rank
 *   borda       rank - 1                                                  COINr n_borda
 *   percentile  (rank - 1)/(n - 1) (u - l) + l                            COINr n_prank, scaled
 *   dist2max    (1 - (max - x)/(max - min)) (u - l) + l                   COINr n_dist2max
 *   dist2ref    (1 - (ref - x)/(ref - min)) [capped at 1] (u - l) + l     COINr n_dist2ref
 *   dist2target min(1, (x - min)/(t - min)) (u - l) + l, t = target * dir COINr n_dist2targ
 *   fracmax     x/max (u - l) + l                                         COINr n_fracmax
 *
 * Where METHODS.md departs from COINr (METHODS.md wins):
 * - zero spread: COINr returns NaN (0/0) with a warning; we give every present value the
 *   mid-point (l + u)/2 and set *zero_spread. For zscore the mid-point of its scale is m
 *   (z_mean), which is what it gets: (l + u)/2 would put 50 into a z-score aggregate.
 *   The same applies wherever a denominator is zero: percentile with n = 1, dist2ref where
 *   the reference equals the minimum, dist2target where the target equals the minimum,
 *   fracmax with max = 0. Percentile with n > 1 and all values tied is not zero spread
 *   for the formula (every rank is 1) and gives l, as COINr gives 0.
 * - dist2target is always capped at 1 (COINr: cap_max = FALSE by default); the target is
 *   flipped with the direction exactly as COINr's get_iMeta_norm_paras does.
 * - goalposts take the framework's goal_lo/goal_hi in raw units and are applied to the raw
 *   values; COINr flips the posts for direction -1 instead. For a lower-is-better indicator
 *   goal_lo > goal_hi; a direction that contradicts the order is an error.
 * - percentile is scaled onto [l, u]; COINr's n_prank returns [0, 1].
 * - dist2ref uses a reference per point (aux->ref[i]) so a panel can use each year's value
 *   of the reference unit. Where that value is missing the point gets NaN, as COINr's
 *   n_dist2ref returns NA (with a warning) when the reference is NA.
 * rank, borda and percentile call cym_rank, which allocates a work buffer.
 */
#include "cymetrics/methods.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cym_norm_spec_default(cym_norm_spec *spec)
{
    if (!spec)
        return;
    memset(spec, 0, sizeof(*spec));
    spec->method = CYM_NORM_MINMAX;
    spec->lo = 0.0;
    spec->hi = 100.0;
    spec->z_mean = 0.0;
    spec->z_sd = 1.0;
    spec->cap_ref = 0;
}

/* Every present value becomes `mid`. */
static void flatten(double *out, const double *x, size_t n, double mid, int *zero_spread)
{
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = isnan(x[i]) ? NAN : mid;
    if (zero_spread)
        *zero_spread = 1;
}

/* Ascending ranks with ties = min (1 = lowest), written to out; NaN stays NaN. */
static cym_status rank_up(double *out, const double *x, size_t n)
{
    size_t i;

    /* cym_rank ranks descending, so rank -x (written into out, then ranked in place) */
    for (i = 0; i < n; i++)
        out[i] = -x[i];
    return cym_rank(out, out, n, CYM_TIES_MIN, NULL);
}

void cym_norm_bounds_compute(cym_norm_bounds *out, const double *x, size_t n)
{
    double mn = INFINITY, mx = -INFINITY, sum = 0.0, ss = 0.0, mean;
    size_t i, c = 0;

    for (i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        mn = x[i] < mn ? x[i] : mn;
        mx = x[i] > mx ? x[i] : mx;
        sum += x[i];
        c++;
    }
    out->n = c;
    if (c == 0) {
        out->min = out->max = out->mean = out->sd = NAN;
        return;
    }
    mean = sum / (double)c;
    for (i = 0; i < n; i++)
        if (!isnan(x[i]))
            ss += (x[i] - mean) * (x[i] - mean);
    out->min = mn;
    out->max = mx;
    out->mean = mean;
    out->sd = c > 1 ? sqrt(ss / (double)(c - 1)) : 0.0;
}

int cym_norm_freezable(cym_norm_method m)
{
    return m == CYM_NORM_MINMAX || m == CYM_NORM_DIST2MAX || m == CYM_NORM_ZSCORE;
}

cym_status cym_normalise(double *out, const double *x, size_t n, const cym_norm_spec *spec,
                         const cym_norm_aux *aux, int *zero_spread, cym_error *err)
{
    double mn, mx, mean, sd, l, u, mid, y, t, r;
    double glo, ghi;
    size_t i, c;
    int dir, frozen;
    cym_norm_bounds own;
    const cym_norm_bounds *b = &own;
    cym_status st;

    if (zero_spread)
        *zero_spread = 0;
    if (!spec || ((!x || !out) && n > 0))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "normalisation called without data");
    l = spec->lo;
    u = spec->hi;
    mid = (l + u) / 2.0;
    frozen = aux && aux->frozen;
    if (frozen && !cym_norm_freezable(spec->method))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "%s normalisation has no bounds to freeze (only minmax, dist2max "
                             "and zscore have)",
                             cym_norm_name(spec->method));
    if (frozen && aux->frozen->n == 0)
        return cym_error_set(err, CYM_EDATA, NULL, 0, 0, "the frozen bounds have no values");
    cym_norm_bounds_compute(&own, x, n);
    c = own.n;
    if (frozen)
        b = aux->frozen;
    mn = b->min;
    mx = b->max;
    mean = b->mean;
    sd = b->sd;
    if (spec->method == CYM_NORM_NONE) {
        if (out != x)
            memcpy(out, x, n * sizeof(*x));
        return CYM_OK;
    }
    if (c == 0) {
        for (i = 0; i < n; i++)
            out[i] = NAN;
        return CYM_OK;
    }

    switch (spec->method) {
    case CYM_NORM_MINMAX:
    case CYM_NORM_DIST2MAX:
        /* dist2max 1 - (max - x)/(max - min) equals minmax up to rounding; keep its form */
        if (mx == mn) {
            flatten(out, x, n, mid, zero_spread);
            break;
        }
        for (i = 0; i < n; i++) {
            if (isnan(x[i]))
                out[i] = NAN;
            else if (spec->method == CYM_NORM_MINMAX)
                out[i] = (x[i] - mn) / (mx - mn) * (u - l) + l;
            else
                out[i] = (1.0 - (mx - x[i]) / (mx - mn)) * (u - l) + l;
            /* frozen bounds: a value beyond them scores the end of the range (capped) */
            if (frozen && out[i] < l)
                out[i] = l;
            else if (frozen && out[i] > u)
                out[i] = u;
        }
        break;

    case CYM_NORM_ZSCORE:
        if (!(sd > 0.0) || mx == mn) {
            flatten(out, x, n, spec->z_mean, zero_spread);
            break;
        }
        for (i = 0; i < n; i++)
            out[i] = isnan(x[i]) ? NAN : (x[i] - mean) / sd * spec->z_sd + spec->z_mean;
        break;

    case CYM_NORM_GOALPOSTS:
        if (!aux || isnan(aux->goal_lo) || isnan(aux->goal_hi))
            return cym_error_set(err, CYM_EDATA, NULL, 0, 0, "goalposts are missing");
        dir = aux->direction;
        glo = aux->goal_lo;
        ghi = aux->goal_hi;
        if (dir != 1 && dir != -1)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "direction must be +1 or -1");
        if (glo == ghi)
            return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                                 "goalposts are equal (%.17g): nothing to scale between", glo);
        if ((dir > 0) != (glo < ghi))
            return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                                 "goalposts %.17g -> %.17g contradict direction %c: for a "
                                 "lower-is-better indicator goal_lo must exceed goal_hi",
                                 glo, ghi, dir > 0 ? '+' : '-');
        for (i = 0; i < n; i++) {
            if (isnan(x[i])) {
                out[i] = NAN;
                continue;
            }
            r = x[i] * (double)dir; /* undo the flip: goalposts are in raw units */
            y = (r - glo) / (ghi - glo);
            y = y < 0.0 ? 0.0 : y > 1.0 ? 1.0 : y;
            out[i] = y * (u - l) + l;
        }
        break;

    case CYM_NORM_RANK:
    case CYM_NORM_BORDA:
    case CYM_NORM_PERCENTILE:
        if (spec->method == CYM_NORM_PERCENTILE && c == 1) {
            flatten(out, x, n, mid, zero_spread);
            break;
        }
        st = rank_up(out, x, n);
        if (st < 0)
            return cym_error_set(err, st, NULL, 0, 0, "out of memory while ranking");
        for (i = 0; i < n; i++) {
            if (isnan(out[i]))
                continue;
            if (spec->method == CYM_NORM_BORDA)
                out[i] -= 1.0;
            else if (spec->method == CYM_NORM_PERCENTILE)
                out[i] = (out[i] - 1.0) / (double)(c - 1) * (u - l) + l;
        }
        break;

    case CYM_NORM_DIST2REF:
        if (!aux || !aux->ref)
            return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                                 "the reference unit '%s' has no value", spec->ref_unit);
        for (i = 0; i < n; i++) {
            /* no reference value: no score, as COINr's n_dist2ref gives NA (the caller warns) */
            if (isnan(x[i]) || isnan(aux->ref[i])) {
                out[i] = NAN;
                continue;
            }
            if (aux->ref[i] == mn) {
                /* the reference is the minimum: (ref - min) = 0 */
                out[i] = mid;
                if (zero_spread)
                    *zero_spread = 1;
                continue;
            }
            y = 1.0 - (aux->ref[i] - x[i]) / (aux->ref[i] - mn);
            if (spec->cap_ref && y > 1.0)
                y = 1.0;
            out[i] = y * (u - l) + l;
        }
        break;

    case CYM_NORM_DIST2TARGET:
        if (!aux || isnan(aux->target))
            return cym_error_set(err, CYM_EDATA, NULL, 0, 0, "the target is missing");
        if (aux->direction != 1 && aux->direction != -1)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "direction must be +1 or -1");
        t = aux->target * (double)aux->direction;
        if (t == mn) {
            flatten(out, x, n, mid, zero_spread);
            break;
        }
        for (i = 0; i < n; i++) {
            if (isnan(x[i])) {
                out[i] = NAN;
                continue;
            }
            y = (x[i] - mn) / (t - mn);
            out[i] = (y > 1.0 ? 1.0 : y) * (u - l) + l;
        }
        break;

    case CYM_NORM_FRACMAX:
        if (mx == 0.0) {
            flatten(out, x, n, mid, zero_spread);
            break;
        }
        for (i = 0; i < n; i++)
            out[i] = isnan(x[i]) ? NAN : x[i] / mx * (u - l) + l;
        break;

    default:
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "unknown normalisation method %d",
                             (int)spec->method);
    }
    return CYM_OK;
}
