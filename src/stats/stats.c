/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Descriptive statistics over vectors with missing values (NaN), as the treatment and audit
 * steps need them (METHODS.md sections 3 and 8).
 *
 * Skewness and kurtosis are the bias-corrected sample estimators G1 and G2 (Joanes & Gill
 * 1998, "type 2"), which is what COINr's skew()/kurt() compute (copied there from
 * e1071::skewness/kurtosis, type 2) and what Excel's SKEW/KURT return:
 *   G1 = sqrt(n(n-1))/(n-2) * m3/m2^1.5
 *   G2 = ((n+1)(m4/m2^2 - 3) + 6)(n-1)/((n-2)(n-3))
 * with m_k the central moments with divisor n. METHODS.md and methods.h wrote n m4/m2^2,
 * which is right only for sums (COINr: r <- n*sum(x^4)/(sum(x^2)^2)); with moments the n
 * cancels, and the standard G2 (Joanes & Gill; SciPy's kurtosis(bias=False)) is used. GSL's gsl_stats_skew/kurtosis are different
 * estimators (moments with divisor n over sd with divisor n-1), so they are not used here;
 * the moments are summed by hand because GSL cannot skip NaN in place. The quantile is R's
 * default type 7, which is exactly gsl_stats_quantile_from_sorted_data.
 */
#include "cymetrics/stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

size_t cym_stats_count(const double *x, size_t n)
{
    size_t i, c = 0;

    if (!x)
        return 0;
    for (i = 0; i < n; i++)
        if (!isnan(x[i]))
            c++;
    return c;
}

/*
 * Central moments m2, m3, m4 (divisor c) of the non-NaN values; returns their count c, or 0
 * when x is NULL, c < min_count or the values do not vary (all equal).
 */
static size_t moments(const double *x, size_t n, size_t min_count, double *m2, double *m3,
                      double *m4)
{
    size_t i, c = 0;
    double sum = 0.0, mean, d, d2, s2 = 0.0, s3 = 0.0, s4 = 0.0, lo = INFINITY, hi = -INFINITY;

    if (!x)
        return 0;
    for (i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        sum += x[i];
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
        c++;
    }
    /* Identical values do not vary, but their rounded mean can differ from them in the last
     * bit (seven times -45.9 sums to a mean of -45.899999999999991), which would leave m2 at
     * 1e-30 and a skewness of rounding noise: a winsorisation that ties every value then
     * "passed" the test instead of being undone. */
    if (c == 0 || c < min_count || lo == hi)
        return 0;
    mean = sum / (double)c;
    for (i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        d = x[i] - mean;
        d2 = d * d;
        s2 += d2;
        s3 += d2 * d;
        s4 += d2 * d2;
    }
    *m2 = s2 / (double)c;
    *m3 = s3 / (double)c;
    *m4 = s4 / (double)c;
    return *m2 > 0.0 ? c : 0;
}

double cym_stats_skew(const double *x, size_t n)
{
    double m2 = 0.0, m3 = 0.0, m4 = 0.0;
    double dn = (double)moments(x, n, 3, &m2, &m3, &m4);

    if (dn == 0.0)
        return NAN;
    return sqrt(dn * (dn - 1.0)) / (dn - 2.0) * m3 / pow(m2, 1.5);
}

double cym_stats_kurt(const double *x, size_t n)
{
    double m2 = 0.0, m3 = 0.0, m4 = 0.0, r;
    double dn = (double)moments(x, n, 4, &m2, &m3, &m4);

    if (dn == 0.0)
        return NAN;
    r = m4 / (m2 * m2); /* = n sum(d^4)/sum(d^2)^2, e1071/COINr's r */
    return ((dn + 1.0) * (r - 3.0) + 6.0) * (dn - 1.0) / ((dn - 2.0) * (dn - 3.0));
}

double cym_stats_quantile(const double *x, size_t n, double p)
{
    double *buf, q;
    size_t i, c = 0;

    if (!x || !(p >= 0.0 && p <= 1.0))
        return NAN;
    c = cym_stats_count(x, n);
    if (c == 0)
        return NAN;
    buf = malloc(c * sizeof(*buf));
    if (!buf)
        return NAN;
    c = 0;
    for (i = 0; i < n; i++)
        if (!isnan(x[i]))
            buf[c++] = x[i];
    gsl_sort(buf, 1, c);
    /* GSL's interpolation (n - 1) p between order statistics is R's type 7. */
    q = gsl_stats_quantile_from_sorted_data(buf, 1, c, p);
    free(buf);
    return q;
}
