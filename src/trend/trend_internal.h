/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_TREND_TREND_INTERNAL_H
#define CYM_TREND_TREND_INTERNAL_H
/* Shared by the trend module's files. */
#include <stddef.h>

#include "cymetrics/trend.h"

/**
 * Copies the points of (t, y) without NaN into tt/yy (n each), sorted by t (stable);
 * returns how many.
 */
size_t cym__trend_compact(double *tt, double *yy, const double *t, const double *y, size_t n);

/**
 * cym_trend_series on points already compacted and sorted by t. `qcache` (may be NULL):
 * n + 1 or more doubles, NaN when unknown, that keep the t quantile of the interval by number
 * of points across calls with the same level.
 */
void cym__trend_series_sorted(cym_trend_stats *o, const double *t, const double *y, size_t n,
                              double level, double *qcache);

/**
 * The median of x[0..n) (n >= 1; NaN for none) with the bits gsl_stats_median(x, 1, n) gives:
 * the middle value, or 0.5 * (a + b) of the two middle ones. x is left as it is; work (2 n
 * doubles) is scratch. Three times as fast as GSL's selection on random values; x with a
 * NaN, or a zero in the middle (-0 and +0 compare equal: which one GSL returns depends on its
 * pivots), is left to GSL.
 */
double cym__trend_median(double *work, const double *x, size_t n);

/**
 * The means of k columns, column j being X[j * stride ...] with cnt[j] values (NaN for none),
 * into out[0..k): the bits of gsl_stats_mean on each, four times as fast (four columns at a
 * time).
 */
void cym__trend_means(double *out, const double *X, size_t stride, const size_t *cnt, size_t k);

/** A run's i-th warning (dataset's, pipeline's, then the trend scope's), or NULL past the last. */
const char *cym__trend_run_warning(const cym_results *r, size_t i);

#endif
