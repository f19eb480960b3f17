/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Trend statistics on plain vectors (METHODS.md section 7): percentage change, CAGR and
 * prc_change as COINr defines them, OLS with GSL (gsl_fit_linear; the slope's t statistic on
 * n - 2 degrees of freedom with gsl_cdf_tdist_Q / _Qinv), the Theil-Sen slope (median of the
 * pairwise slopes, as SciPy's theilslopes), and the Mann-Kendall test by the textbook formula
 * (Kendall 1975; Hirsch, Slack and Smith 1982): S = sum sign(y_j - y_i), Var(S) with the tie
 * correction, z with the continuity correction, two-sided normal p, and Kendall's tau-b.
 *
 * Every statistic validates its points before GSL sees them (at least 2 points, distinct
 * years, 3 for anything with n - 2 degrees of freedom), so GSL's error handler is never
 * reached, and an undefined statistic is NaN rather than a number made up from too little.
 * The Mann-Kendall and tau-b loops are written by hand: GSL has no Kendall statistic.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/trend.h"
#include "trend/trend_internal.h"

/* Series of a country are short (years); longer ones take the heap. */
#define STACK_POINTS 64

size_t cym__trend_compact(double *tt, double *yy, const double *t, const double *y, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j;
        if (isnan(y[i]) || isnan(t[i]))
            continue;
        /* insertion by t: the years usually arrive in order, so this is one pass */
        for (j = m; j > 0 && tt[j - 1] > t[i]; j--) {
            tt[j] = tt[j - 1];
            yy[j] = yy[j - 1];
        }
        tt[j] = t[i];
        yy[j] = y[i];
        m++;
    }
    return m;
}

double cym_trend_pct_change(double prev, double cur)
{
    if (isnan(prev) || isnan(cur) || prev == 0)
        return NAN;
    return (cur - prev) / fabs(prev) * 100.0;
}

/* --- the statistics on compacted, t-sorted points ----------------------------------------- */

static double cagr_sorted(const double *t, const double *y, size_t n)
{
    double ratio, span;
    if (n < 2)
        return NAN;
    if (y[n - 1] == y[0])
        return 0.0;
    span = t[n - 1] - t[0];
    if (y[0] == 0 || !(span > 0))
        return NAN;
    ratio = y[n - 1] / y[0];
    if (ratio < 0)
        return NAN; /* a sign change has no growth rate */
    return pow(ratio, 1.0 / span) - 1.0;
}

/* t quantile of the interval for n points, from the cache q[n] when given (the inversion is
   iterative and dominates the cost of a short series) */
static double t_quantile(double level, size_t n, double *cache)
{
    if (cache && !isnan(cache[n]))
        return cache[n];
    {
        double q = gsl_cdf_tdist_Qinv(level / 2.0, (double)(n - 2));
        if (cache)
            cache[n] = q;
        return q;
    }
}

static void ols_sorted(cym_ols *o, const double *t, const double *y, size_t n, double level,
                       double *qcache)
{
    double c0, c1, cov00, cov01, cov11, sumsq, df;
    o->n = n;
    o->intercept = o->slope = o->se = o->ci_lo = o->ci_hi = o->p = NAN;
    if (n < 2 || !(t[n - 1] > t[0]))
        return; /* no slope without two distinct years; GSL would divide by zero */
    if (gsl_fit_linear(t, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != 0)
        return;
    o->intercept = c0;
    o->slope = c1;
    if (n < 3)
        return;
    df = (double)(n - 2);
    o->se = sqrt(cov11);
    {
        double q = t_quantile(level, n, qcache);
        o->ci_lo = c1 - q * o->se;
        o->ci_hi = c1 + q * o->se;
    }
    if (o->se > 0)
        o->p = 2.0 * gsl_cdf_tdist_Q(fabs(c1) / o->se, df);
    else if (c1 != 0)
        o->p = 0.0; /* an exact line: the slope is certain */
    /* else 0/0: a constant series has no t statistic (R's lm gives NaN too) */
}

static double prc_sorted(const double *t, const double *y, size_t n, double slope)
{
    if (n < 2)
        return NAN;
    if (n == 2) {
        if (y[0] == 0 || !(t[1] > t[0]))
            return NAN;
        return (y[1] - y[0]) * 100.0 / y[0] / (t[1] - t[0]);
    }
    {
        double d, mt = 0, my = 0;
        /* the fitted value at t_first, a + b t_first, from the means: the intercept at year 0
           is large and nearly cancels, which would cost digits */
        for (size_t i = 0; i < n; i++) {
            mt += t[i];
            my += y[i];
        }
        mt /= (double)n;
        my /= (double)n;
        d = my + slope * (t[0] - mt);
        if (isnan(slope) || d == 0)
            return NAN;
        return slope / d * 100.0;
    }
}

/* ---- the median, with gsl_stats_median's bits ---------------------------------------------- */

static double min2(double a, double b)
{
    return a < b ? a : b;
}

static double max2(double a, double b)
{
    return a < b ? b : a;
}

/* One pass of kth2's partition around p: the number of NaN in x[0..n) when `nans`, else 0.
   Inlined, each call its own loop: the count only in the first pass's. */
static inline size_t partition(double *A, double *B, const double *x, size_t n, double p,
                               size_t *lo, size_t *hi, int nans)
{
    size_t l = 0, h = 0, nan = 0;
    /* in place when x is A or B: a value is written at or before where it was read */
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        A[l] = v;
        l += v < p;
        B[h] = v;
        h += v > p;
        if (nans)
            nan += v != v; /* NaN */
    }
    *lo = l;
    *hi = h;
    return nan;
}

/*
 * The k-th and (k+1)-th smallest of src[0..n) (k + 1 < n) into *a and *b: quickselect around
 * a median of three, partitioning without branches into A (below the pivot) and B (above), n
 * doubles each; a value is written to both and kept by the one whose count moves. The slopes
 * of a series are in no order a branch predictor could learn, and a mispredicted comparison
 * per value made Hoare's partition (and GSL's select) three times slower. The (k+1)-th comes
 * with the k-th, not from another pass over src: the pivot again while it repeats, else the
 * least of B, else the least value above the part kept (`up`: the pivot of the last partition
 * that kept its lower part). A NaN falls on neither side: the first pass counts them, and
 * 0 (nothing selected) says src holds one.
 */
static int kth2(double *a, double *b, double *A, double *B, const double *src, size_t n,
                size_t k)
{
    const double *x = src;
    double up = INFINITY;
    for (int pass = 0;; pass++) {
        size_t lo, hi;
        double p;
        if (n <= 2) { /* not on the first pass: n > 2 then */
            *a = n == 1 ? x[0] : k ? max2(x[0], x[1]) : min2(x[0], x[1]);
            *b = n == 2 && k == 0 ? max2(x[0], x[1]) : up;
            return 1;
        }
        p = max2(min2(x[0], x[n / 2]), min2(max2(x[0], x[n / 2]), x[n - 1]));
        if (pass ? partition(A, B, x, n, p, &lo, &hi, 0) : partition(A, B, x, n, p, &lo, &hi, 1))
            return 0;
        if (k < lo) {
            up = p;
            x = A;
            n = lo;
        } else if (k >= n - hi) {
            k -= n - hi;
            x = B;
            n = hi;
        } else {
            *a = p;
            if (k + 1 < n - hi) {
                *b = p;
            } else {
                *b = up;
                for (size_t i = 0; i < hi; i++)
                    *b = min2(*b, B[i]);
            }
            return 1;
        }
    }
}

double cym__trend_median(double *work, const double *x, size_t n)
{
    size_t lhs = (n - 1) / 2, rhs = n / 2;
    double a = NAN, b = NAN; /* NaN: x holds NaN, GSL's answer */
    if (n == 0)
        return NAN;
    if (n <= 2) {
        if (!isnan(x[0]) && !isnan(x[n - 1])) {
            a = min2(x[0], x[n - 1]);
            b = max2(x[0], x[n - 1]);
        }
    } else if (!kth2(&a, &b, work, work + n, x, n, lhs)) {
        a = b = NAN;
    }
    /* a nonzero double equals only itself, so any exact selection gives GSL's bits;
       -0 and +0 compare equal, and which of them GSL returns depends on its pivots */
    if (a != 0 && b != 0 && !isnan(a))
        return lhs == rhs ? a : 0.5 * (a + b);
    memcpy(work, x, n * sizeof(double));
    return gsl_stats_median(work, 1, n);
}

/* gsl_stats_mean's recurrence, in its long double: mean += (x_i - mean) / (i + 1) */
static double mean_from(long double m, const double *x, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++)
        m += (x[i] - m) / (i + 1);
    return (double)m;
}

void cym__trend_means(double *out, const double *X, size_t stride, const size_t *cnt, size_t k)
{
    size_t j = 0;
    /* four columns at a time: each division waits on its column's last one, so four chains
       overlap; every column sees the same operations in the same order as alone */
    for (; j + 4 <= k; j += 4) {
        const double *x0 = X + j * stride, *x1 = x0 + stride, *x2 = x1 + stride,
                     *x3 = x2 + stride;
        const size_t *c = cnt + j;
        size_t both = c[0];
        long double m0 = 0, m1 = 0, m2 = 0, m3 = 0;
        for (int q = 1; q < 4; q++)
            both = c[q] < both ? c[q] : both;
        for (size_t i = 0; i < both; i++) {
            m0 += (x0[i] - m0) / (i + 1);
            m1 += (x1[i] - m1) / (i + 1);
            m2 += (x2[i] - m2) / (i + 1);
            m3 += (x3[i] - m3) / (i + 1);
        }
        out[j] = c[0] ? mean_from(m0, x0, both, c[0]) : NAN;
        out[j + 1] = c[1] ? mean_from(m1, x1, both, c[1]) : NAN;
        out[j + 2] = c[2] ? mean_from(m2, x2, both, c[2]) : NAN;
        out[j + 3] = c[3] ? mean_from(m3, x3, both, c[3]) : NAN;
    }
    for (; j < k; j++)
        out[j] = cnt[j] ? mean_from(0, X + j * stride, 0, cnt[j]) : NAN;
}

static double theil_sorted(const double *t, const double *y, size_t n)
{
    enum { STACK_PAIRS = STACK_POINTS * (STACK_POINTS - 1) / 2 };
    double stack[3 * STACK_PAIRS]; /* the slopes, then the median's work */
    size_t pairs = n < 2 ? 0 : n * (n - 1) / 2, m = 0;
    double *s = pairs <= STACK_PAIRS ? stack : malloc(3 * pairs * sizeof(*s));
    double med = NAN;
    if (n < 2 || !s)
        return NAN;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (t[j] != t[i])
                s[m++] = (y[j] - y[i]) / (t[j] - t[i]);
    if (m > 0)
        med = cym__trend_median(s + m, s, m);
    if (s != stack)
        free(s);
    return med;
}

static void mk_sorted(cym_mann_kendall *o, const double *t, const double *y, size_t n)
{
    double s, ties_var = 0, n2 = 0, n1 = 0, n0, dn = (double)n;
    long si = 0;
    size_t tied = 0;
    o->n = n;
    o->s = o->var_s = o->z = o->p = o->tau_b = NAN;
    if (n < 2)
        return;
    /* S in integers (a sum of signs is exact either way), and whether any pair is tied. t is
       sorted, so sign(t_j - t_i) is t_j > t_i; sign(y_j - y_i) is the comparison's (for any
       two doubles but NaN, which y does not hold) */
    for (size_t i = 0; i < n; i++) {
        double ti = t[i], yi = y[i];
        for (size_t j = i + 1; j < n; j++) {
            int later = t[j] > ti;
            si += later * ((y[j] > yi) - (y[j] < yi));
            tied += (size_t)(y[j] == yi) + (size_t)!later;
        }
    }
    s = (double)si;
    /* tied groups of y (count each group once, at its first member), and of t for tau-b;
       a series without ties (the usual one) has none to count */
    for (size_t i = 0; i < n && tied; i++) {
        double uy = 1, ut = 1;
        int first_y = 1, first_t = 1;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            if (y[j] == y[i]) {
                uy++;
                if (j < i)
                    first_y = 0;
            }
            if (t[j] == t[i]) {
                ut++;
                if (j < i)
                    first_t = 0;
            }
        }
        if (first_y && uy > 1) {
            ties_var += uy * (uy - 1) * (2 * uy + 5);
            n2 += uy * (uy - 1) / 2;
        }
        if (first_t && ut > 1)
            n1 += ut * (ut - 1) / 2;
    }
    o->s = s;
    o->var_s = (dn * (dn - 1) * (2 * dn + 5) - ties_var) / 18.0;
    if (o->var_s > 0) {
        double sd = sqrt(o->var_s);
        o->z = s > 0 ? (s - 1) / sd : s < 0 ? (s + 1) / sd : 0.0;
        o->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(o->z));
    }
    n0 = dn * (dn - 1) / 2;
    if (n0 - n1 > 0 && n0 - n2 > 0)
        o->tau_b = s / sqrt((n0 - n1) * (n0 - n2));
}

/* --- public entry points: compact, then compute ------------------------------------------ */

typedef struct pts {
    double st[2][STACK_POINTS];
    double *t, *y;
    size_t n;
} pts;

static int pts_init(pts *p, const double *t, const double *y, size_t n)
{
    memset(p->st, 0, sizeof(p->st)); /* (GCC cannot see that only written points are read) */
    p->t = p->st[0];
    p->y = p->st[1];
    if (n > STACK_POINTS) {
        p->t = malloc(2 * n * sizeof(double));
        if (!p->t)
            return -1;
        p->y = p->t + n;
    }
    p->n = (t && y) ? cym__trend_compact(p->t, p->y, t, y, n) : 0;
    return 0;
}

static void pts_free(pts *p)
{
    if (p->t != p->st[0])
        free(p->t);
}

/* A statistic of the compacted points (time-sorted, no NaN); NaN when out of memory. */
static double of_points(double (*stat)(const double *, const double *, size_t), const double *t,
                        const double *y, size_t n)
{
    pts p;
    double v;
    if (pts_init(&p, t, y, n) < 0)
        return NAN;
    v = stat(p.t, p.y, p.n);
    pts_free(&p);
    return v;
}

/* prc_sorted with the OLS slope of the same points */
static double prc_ols_sorted(const double *t, const double *y, size_t n)
{
    cym_ols o;
    ols_sorted(&o, t, y, n, 0.05, NULL);
    return prc_sorted(t, y, n, o.slope);
}

double cym_trend_cagr(const double *t, const double *y, size_t n)
{
    return of_points(cagr_sorted, t, y, n);
}

double cym_trend_prc_change(const double *t, const double *y, size_t n)
{
    return of_points(prc_ols_sorted, t, y, n);
}

void cym_trend_ols(cym_ols *out, const double *t, const double *y, size_t n, double level)
{
    pts p;
    if (pts_init(&p, t, y, n) < 0)
        p.n = 0;
    ols_sorted(out, p.t, p.y, p.n, level, NULL);
    pts_free(&p);
}

double cym_trend_theil_sen(const double *t, const double *y, size_t n)
{
    return of_points(theil_sorted, t, y, n);
}

void cym_trend_mann_kendall(cym_mann_kendall *out, const double *t, const double *y, size_t n)
{
    pts p;
    if (pts_init(&p, t, y, n) < 0)
        p.n = 0;
    mk_sorted(out, p.t, p.y, p.n);
    pts_free(&p);
}

const char *cym_trend_direction_name(cym_trend_direction d)
{
    switch (d) {
    case CYM_TREND_NONE: return "";
    case CYM_TREND_FLAT: return "no significant trend";
    case CYM_TREND_UP: return "improving";
    case CYM_TREND_DOWN: return "declining";
    }
    return "";
}

void cym__trend_series_sorted(cym_trend_stats *o, const double *t, const double *y, size_t n,
                              double level, double *qcache)
{
    o->n = n;
    o->first_year = n ? (int)t[0] : 0;
    o->last_year = n ? (int)t[n - 1] : 0;
    o->first = n ? y[0] : NAN;
    o->last = n ? y[n - 1] : NAN;
    o->change = n >= 2 ? y[n - 1] - y[0] : NAN;
    o->cagr = cagr_sorted(t, y, n);
    ols_sorted(&o->ols, t, y, n, level, qcache);
    o->prc_change = prc_sorted(t, y, n, o->ols.slope);
    o->theil_sen = theil_sorted(t, y, n);
    mk_sorted(&o->mk, t, y, n);
    if (n < 2)
        o->direction = CYM_TREND_NONE;
    else if (!isnan(o->mk.p) && o->mk.p < level && o->mk.s != 0)
        o->direction = o->mk.s > 0 ? CYM_TREND_UP : CYM_TREND_DOWN;
    else
        o->direction = CYM_TREND_FLAT;
}

void cym_trend_series(cym_trend_stats *out, const double *t, const double *y, size_t n,
                      double level)
{
    pts p;
    if (pts_init(&p, t, y, n) < 0)
        p.n = 0;
    cym__trend_series_sorted(out, p.t, p.y, p.n, level, NULL);
    pts_free(&p);
}
