/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_TREND_TREND_INTERNAL_H
#define CYM_TREND_TREND_INTERNAL_H
/* Shared by the trend module's files and the run's output (src/output/tables.c). */
#include <stddef.h>
#include <stdio.h>

#include "cymetrics/trend.h"
#include "io/outdir.h"

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

/** The rows of yoy.csv / trends.csv with their header. CYM_ENOMEM. */
/** The numbers of a trends.csv row, first .. kendall_tau, in column order. */
#define CYM__TREND_NUMS 15
void cym__trend_numbers(double v[CYM__TREND_NUMS], const cym_trend_stats *s);
cym_status cym__trend_write_yoy(FILE *f, const cym_trends *tr);
cym_status cym__trend_write_trends(FILE *f, const cym_trends *tr);

/**
 * Writes yoy.csv, trends.csv, compare.csv and strengths.csv into an output folder already
 * open (a run commits them with its other tables).
 */
cym_status cym__trend_write(cym__outdir *od, const cym_results *r, const cym_options *o,
                            cym_error *err);

/** cym__trend_write with the trends already computed (`tr` of run `r`). */
cym_status cym__trend_write_with(cym__outdir *od, const cym_results *r, const cym_trends *tr,
                                 const cym_options *o, cym_error *err);

#endif
