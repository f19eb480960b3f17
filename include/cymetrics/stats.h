/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_STATS_H
#define CYM_STATS_H

/**
 * Descriptive statistics with missing values (NaN skipped), as METHODS.md defines them: the
 * building blocks of the treatment, the audit and the tiers by percentile.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Number of non-NaN values in x[0..n). */
size_t cym_stats_count(const double *x, size_t n);

/**
 * Sample skewness G1 = sqrt(n(n-1))/(n-2) * m3/m2^1.5 over the non-NaN values (m_k central
 * moments with divisor n). NaN when fewer than 3 values or m2 = 0.
 */
double cym_stats_skew(const double *x, size_t n);

/**
 * Sample excess kurtosis G2 = ((n+1)(m4/m2^2 - 3) + 6)(n-1)/((n-2)(n-3)) over the non-NaN
 * values (m_k central moments with divisor n; COINr's r <- n*sum(d^4)/sum(d^2)^2 is the same
 * m4/m2^2). NaN when fewer than 4 values or m2 = 0.
 */
double cym_stats_kurt(const double *x, size_t n);

/** Type-7 quantile (R's default) of the non-NaN values of x, p in [0, 1]. Sorts a copy. */
double cym_stats_quantile(const double *x, size_t n, double p);

#ifdef __cplusplus
}
#endif

#endif
