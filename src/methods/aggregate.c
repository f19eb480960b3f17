/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Aggregation of children scores into a parent (METHODS.md section 5).
 *
 * Weights are rescaled to sum to 1 over the children present for this unit and year, as
 * COINr's a_amean/a_gmean/a_hmean do (they drop the weights of NA children and divide by the
 * sum of the rest):
 *   arithmetic        sum w x                          COINr a_amean
 *   geometric         exp(sum w ln x), x > 0           COINr a_gmean
 *   harmonic          1 / sum(w / x), x > 0            COINr a_hmean (which only rejects 0)
 *   power:p           (sum w x^p)^(1/p)                COINr a_genmean
 *   sum               sum w x, weights as given        points on a fixed maximum (GCI, NCSI)
 *   min               min x                            non-compensatory floor
 *   mazziotta-pareto  M - S cv = M - S^2/M, M = sum w x, S = sqrt(sum w (x - M)^2)
 *   copeland          see cym_aggregate_copeland
 * coverage = present weight / total weight; below min_coverage the result is missing
 * (COINr's dat_thresh counts children instead of weight; equal weights give the same),
 * within 1e-12 (cym_aggregate_covered): decimal weights making up exactly the threshold have
 * binary shares a rounding either side of it (0.6 + 0.7 + 0.2 of 3.0 gives 0.49999999999999994);
 * found by tests/diff, seed 209 case 145.
 *
 * Departures and choices:
 * - A child with weight 0 takes no part (it cannot change a weighted mean, and it would
 *   otherwise make a zero or negative value fatal for geometric/harmonic, or set the min).
 * - geometric, harmonic: any participating value <= 0 is CYM_EDATA (METHODS.md); COINr's
 *   a_hmean rejects only 0. power: values < 0, or 0 with p < 0, are CYM_EDATA (the power mean
 *   is defined on non-negative values); COINr a_genmean only rejects x <= 0 with p < 0, and
 *   returns NA as soon as one child is missing (its sum lacks na.rm), which we do not copy.
 *   x^p overflows or underflows for large |p| (p = 160 on 0..100 gave inf for every unit),
 *   and w x^p for weights near 1e308; then the mean is computed again in the scaled form
 *   m (sum (w/wm) (x/m)^p / sum (w/wm))^(1/p), m the largest x for p > 0 (the smallest for
 *   p < 0) and wm the largest weight, whose terms are all <= 1 and one of which is the
 *   weight ratio of the child at m (power_scaled). Only then: the plain form is kept
 *   whenever its mean is a normal finite number, so ordinary results keep their last bits.
 * - mazziotta-pareto: COINr has no a_mpi in the sources we could read, so this is the MPI of
 *   De Muro, Mazziotta & Pareto (2011): population standard deviation (divisor n, here the
 *   weights summing to 1) of the unit's children; equal weights give their exact formula.
 *   M = 0 leaves cv undefined: CYM_EDATA. The children are meant to be z-type scores
 *   (e.g. zscore with m = 100, s = 10).
 * - copeland: the METHODS.md/COINr a_copeland score (row sums of the outranking matrix mapped
 *   to +1/0/-1 around 0.5), with c_ab computed over the children present for both units and
 *   the weights rescaled over them; COINr rescales over all children and lets a missing
 *   comparison count as a loss for both. Identical without missing values. A pair with no
 *   child in common contributes 0; a unit with no child present gets NaN (COINr: 0).
 *   Exact ties: sign(c_ab - 0.5) is the sign of W - L, the weight of the children a wins minus
 *   that of the children it loses (ties add half to each side and cancel), computed without
 *   rounding, so an exact tie is a tie whatever the order of the children (summing ties and
 *   totals in floating point gave 2 win - both = 2.2e-16 for two wins, two losses and two
 *   ties at weight 0.2, and both units won). Weights written as short decimals (0.1, 0.25,
 *   1) are taken as those decimals, in integer arithmetic (decimal_weights), so 0.1 + 0.2
 *   ties 0.3 as the user means and as COINr usually finds it (its R sums in long double
 *   give exactly 0.5 about 85 % of the time on such ties); other weights (PCA, Monte Carlo
 *   noise) are summed exactly as the doubles they are (sum_add).
 */
#include "cymetrics/methods.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * The power mean of the participating children (present, weight > 0; values already
 * checked) in the scaled form above, for when the plain form overflows or underflows.
 */
static double power_scaled(const double *x, const double *w, size_t k, double p)
{
    double m = NAN, wm = 0.0, s = 0.0, sw = 0.0;
    size_t i;

    for (i = 0; i < k; i++) {
        if (isnan(x[i]) || w[i] == 0.0)
            continue;
        if (isnan(m) || (p > 0.0 ? x[i] > m : x[i] < m))
            m = x[i];
        if (w[i] > wm)
            wm = w[i];
    }
    if (m == 0.0)
        return 0.0; /* p > 0 and every value 0 (p < 0 rejects 0) */
    for (i = 0; i < k; i++) {
        if (isnan(x[i]) || w[i] == 0.0)
            continue;
        s += w[i] / wm * pow(x[i] / m, p);
        sw += w[i] / wm;
    }
    return m * pow(s / sw, 1.0 / p);
}

int cym_aggregate_covered(double coverage, double min_coverage)
{
    return coverage >= min_coverage - 1e-12;
}

cym_status cym_aggregate(double *out, double *coverage, const double *x, const double *w,
                         size_t k, const cym_agg_spec *spec, double min_coverage)
{
    double total = 0.0, present = 0.0, pw = 0.0, acc = 0.0, acc2 = 0.0, m, v;
    size_t i, np = 0;

    if (out)
        *out = NAN;
    if (coverage)
        *coverage = 0.0;
    if (!out || !spec || (k > 0 && (!x || !w)))
        return CYM_EUSAGE;
    if (spec->method == CYM_AGG_COPELAND)
        return CYM_EUSAGE;
    if (spec->method == CYM_AGG_POWER && (spec->p == 0.0 || isnan(spec->p)))
        return CYM_EUSAGE;
    for (i = 0; i < k; i++) {
        if (!(w[i] >= 0.0) || isinf(w[i]))
            return CYM_EUSAGE;
        total += w[i];
        if (isnan(x[i]))
            continue;
        present += w[i];
        np++;
    }
    if (isinf(total)) {
        /* weights near DBL_MAX: the same shares, over the weights divided by the largest */
        double wm = 0.0;
        for (i = 0; i < k; i++)
            if (w[i] > wm)
                wm = w[i];
        total = present = 0.0;
        for (i = 0; i < k; i++) {
            total += w[i] / wm;
            if (!isnan(x[i]))
                present += w[i] / wm;
        }
    }
    if (total > 0.0 && coverage)
        *coverage = present / total;
    if (np == 0 || !(total > 0.0) || !cym_aggregate_covered(present / total, min_coverage))
        return CYM_OK;

    /* `pw` is the weight that takes part (present and > 0) */
    for (i = 0; i < k; i++) {
        if (isnan(x[i]) || w[i] == 0.0)
            continue;
        v = x[i];
        switch (spec->method) {
        case CYM_AGG_GEOMETRIC:
            if (!(v > 0.0))
                return CYM_EDATA;
            acc += w[i] * log(v);
            break;
        case CYM_AGG_HARMONIC:
            if (!(v > 0.0))
                return CYM_EDATA;
            acc += w[i] / v;
            break;
        case CYM_AGG_POWER:
            if (v < 0.0 || (v == 0.0 && spec->p < 0.0))
                return CYM_EDATA;
            acc += w[i] * pow(v, spec->p);
            break;
        case CYM_AGG_MIN:
            if (pw == 0.0 || v < acc)
                acc = v;
            break;
        default: /* arithmetic, sum, mazziotta-pareto */
            acc += w[i] * v;
            break;
        }
        pw += w[i];
    }
    if (pw == 0.0) {
        /* every present child has weight 0: a points-sum scores 0, a mean is undefined */
        if (spec->method == CYM_AGG_SUM)
            *out = 0.0;
        return CYM_OK;
    }

    switch (spec->method) {
    case CYM_AGG_ARITHMETIC:
        *out = acc / pw;
        break;
    case CYM_AGG_GEOMETRIC:
        *out = exp(acc / pw);
        break;
    case CYM_AGG_HARMONIC:
        *out = pw / acc;
        break;
    case CYM_AGG_POWER:
        m = acc / pw;
        /* not a normal number: overflow, underflow, or every value 0 (scaled gives 0 too) */
        if (isfinite(m) && m >= DBL_MIN)
            *out = pow(m, 1.0 / spec->p);
        else
            *out = power_scaled(x, w, k, spec->p);
        break;
    case CYM_AGG_SUM:
        *out = acc; /* framework weights as given, not rescaled */
        break;
    case CYM_AGG_MIN:
        *out = acc;
        break;
    case CYM_AGG_MAZZIOTTA_PARETO:
        m = acc / pw;
        if (m == 0.0)
            return CYM_EDATA;
        for (i = 0; i < k; i++)
            if (!isnan(x[i]) && w[i] > 0.0)
                acc2 += w[i] * (x[i] - m) * (x[i] - m);
        /* M - S * cv with cv = S / M */
        *out = m - (acc2 / pw) / m;
        break;
    default:
        return CYM_EUSAGE;
    }
    return CYM_OK;
}

/*
 * The weights as the decimals they were written as: w_j = m_j / 10^d_j with the fewest
 * decimals d_j <= 15 that read back as w_j (m / 10^d is one correctly rounded division, as
 * strtod reads "m e-d"; m < 2^50 makes that decimal the only one with d_j decimals). On
 * success sw[j] = m_j 10^(D - d_j) over the largest D, each < 2^50, so that k < 2^13 of them
 * sum in int64_t without overflow; returns 0. Returns -1 for any other weight (then the
 * exact binary sum is used).
 */
static int decimal_weights(int64_t *sw, const double *w, size_t k)
{
    static const double p10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const double lim = 1125899906842624.0; /* 2^50 */
    size_t j, big = 0;
    int d;

    if (k >= 8192)
        return -1;
    for (j = 0; j < k; j++) {
        for (d = 0; d < 16; d++) {
            double m = nearbyint(w[j] * p10[d]);
            if (m < lim && m / p10[d] == w[j])
                break;
        }
        if (d == 16)
            return -1;
        if ((size_t)d > big)
            big = (size_t)d;
    }
    for (j = 0; j < k; j++) {
        double m = nearbyint(w[j] * p10[big]);
        if (!(m < lim) || m / p10[big] != w[j])
            return -1;
        sw[j] = (int64_t)m;
    }
    return 0;
}

/*
 * Adds x to the sum kept in p[0..*m) as non-overlapping partials in increasing magnitude
 * (Shewchuk's expansion, the algorithm of Python's math.fsum): the sum is exact, with no
 * rounding. *m grows by at most one per call.
 */
static void sum_add(double *p, size_t *m, double x)
{
    size_t i, j = 0;
    for (i = 0; i < *m; i++) {
        double y = p[i], hi, lo;
        if (fabs(x) < fabs(y)) {
            hi = x;
            x = y;
            y = hi;
        }
        hi = x + y;
        lo = y - (hi - x);
        if (lo != 0.0)
            p[j++] = lo;
        x = hi;
    }
    p[j] = x;
    *m = j + 1;
}

/* The sign of the exact sum in p[0..m): that of its largest non-zero partial. */
static int sum_sign(const double *p, size_t m)
{
    while (m > 0 && p[m - 1] == 0.0)
        m--;
    return m == 0 ? 0 : p[m - 1] > 0.0 ? 1 : -1;
}

cym_status cym_aggregate_copeland(double *out, const double *X, const double *w, size_t n_units,
                                  size_t k)
{
    size_t a, b, j, m;
    double s, *p;
    int64_t *sw, dw;
    int any, contest, dec;

    if ((n_units > 0 && (!out || !X)) || (k > 0 && !w))
        return CYM_EUSAGE;
    for (j = 0; j < k; j++)
        if (!(w[j] >= 0.0) || isinf(w[j]))
            return CYM_EUSAGE;
    p = malloc((k ? k : 1) * (sizeof(*p) + sizeof(*sw)));
    if (!p)
        return CYM_ENOMEM;
    sw = (int64_t *)(p + (k ? k : 1));
    dec = decimal_weights(sw, w, k) == 0;
    for (a = 0; a < n_units; a++) {
        any = 0;
        for (j = 0; j < k; j++)
            if (!isnan(X[a * k + j]))
                any = 1;
        if (!any) {
            out[a] = NAN;
            continue;
        }
        s = 0.0;
        for (b = 0; b < n_units; b++) {
            if (b == a)
                continue;
            /* W - L over the children present for both, without rounding */
            m = 0;
            dw = 0;
            contest = 0;
            for (j = 0; j < k; j++) {
                double xa = X[a * k + j], xb = X[b * k + j];
                if (isnan(xa) || isnan(xb) || w[j] == 0.0)
                    continue;
                contest = 1;
                if (xa == xb)
                    continue;
                if (dec)
                    dw += xa > xb ? sw[j] : -sw[j];
                else
                    sum_add(p, &m, xa > xb ? w[j] : -w[j]);
            }
            if (!contest)
                continue; /* nothing in common: no contest */
            s += dec ? (dw > 0) - (dw < 0) : sum_sign(p, m);
        }
        out[a] = s;
    }
    free(p);
    return CYM_OK;
}
