/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_TREND_H
#define CYM_TREND_H

/**
 * Trends over the years (METHODS.md section 7): year-over-year change, CAGR, COINr's
 * prc_change, the OLS slope with its standard error, interval and p-value, the Theil-Sen
 * slope, the Mann-Kendall test and Kendall's tau-b, first on plain vectors, then for every
 * country, framework node and group aggregate of a run.
 *
 * Vectors: t[i] is the year (any increasing or unordered distinct values), y[i] the score;
 * points with a NaN y (or NaN t) are left out. A statistic that has fewer points than it needs
 * is NaN: it is never guessed.
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Trend statistics basis (cym_trend_spec.basis). */
#define CYM_TREND_BASIS_ALL 0    /**< each year's scores as the run computed them */
#define CYM_TREND_BASIS_COMMON 1 /**< like for like: each pair of years on the indicators
                                      present in both, per country (METHODS.md section 7) */

/** Trends and comparisons ([trends], METHODS.md section 7). */
typedef struct cym_trend_spec {
    int basis;          /**< CYM_TREND_BASIS_* [all] */
    double level;       /**< significance level of the trend direction (Mann-Kendall) and
                             1 - level of the OLS interval [0.05] */
    int strengths_n;    /**< strengths and weaknesses listed per country [3] */
    char group[64];     /**< group column of compare.csv's group mean ("" = the first) */
    int yoy;            /**< 1: also write yoy.csv (derivable from scores.csv on the basis
                             `all`: docs/formats.md) [0] */
} cym_trend_spec;

/** The defaults of the [trends] keys (docs/cli.md). */
#define CYM_TREND_SPEC_INIT                                                                        \
    {.basis = CYM_TREND_BASIS_ALL, .level = 0.05, .strengths_n = 3, .yoy = 0}

/** (cur - prev) / |prev| * 100; NaN when prev is 0 or either is NaN. */
double cym_trend_pct_change(double prev, double cur);

/**
 * Compound annual growth rate over the first and last available points (by t):
 * (y_last / y_first)^(1 / (t_last - t_first)) - 1 (COINr `CAGR`; a fraction, not percent:
 * the tables show it in percent as `cagr_pct`).
 * 0 when y_last = y_first; NaN with fewer than 2 points, y_first = 0, or a negative ratio.
 */
double cym_trend_cagr(const double *t, const double *y, size_t n);

/**
 * COINr `prc_change`: with 3+ points the OLS fit y = a + b t gives b / (a + b t_first) * 100;
 * with 2 points (y_last - y_first) * 100 / y_first / (t_last - t_first). NaN with fewer
 * than 2 points or a zero denominator.
 */
double cym_trend_prc_change(const double *t, const double *y, size_t n);

/** Ordinary least squares y = intercept + slope t. */
typedef struct cym_ols {
    size_t n;                /**< points used */
    double intercept, slope; /**< NaN with fewer than 2 points or all t equal */
    double se;               /**< standard error of the slope (n - 2 df); NaN with n < 3 */
    double ci_lo, ci_hi;     /**< slope -/+ t_{1 - level/2, n-2} se; NaN with n < 3 */
    double p;                /**< two-sided p of slope = 0 (t, n - 2 df); NaN with n < 3 or
                                  when the fit is 0/0 (a constant series); 0 for an exact
                                  non-flat line */
} cym_ols;

/** OLS of y on t (GSL gsl_fit_linear, gsl_cdf_tdist_Qinv/Q); `level` e.g. 0.05 (95 % CI). */
void cym_trend_ols(cym_ols *out, const double *t, const double *y, size_t n, double level);

/**
 * Theil-Sen slope: the median of the pairwise slopes (y_j - y_i) / (t_j - t_i) over pairs
 * with t_i != t_j (SciPy `theilslopes`). NaN with fewer than 2 points.
 */
double cym_trend_theil_sen(const double *t, const double *y, size_t n);

/** Mann-Kendall trend test with Kendall's tau-b. */
typedef struct cym_mann_kendall {
    size_t n;     /**< points used */
    double s;     /**< S = sum over i < j (in t order) of sign(y_j - y_i); NaN with n < 2 */
    double var_s; /**< (n(n-1)(2n+5) - sum over tied groups u(u-1)(2u+5)) / 18 */
    double z;     /**< (S - 1)/sqrt(Var) for S > 0, (S + 1)/sqrt(Var) for S < 0, 0 for S = 0;
                       NaN when Var = 0 (every value tied) */
    double p;     /**< two-sided normal p of z; NaN when z is */
    double tau_b; /**< Kendall's tau-b of (t, y); NaN when y is constant */
} cym_mann_kendall;

/** Mann-Kendall of y ordered by t (t distinct), with tie and continuity correction. */
void cym_trend_mann_kendall(cym_mann_kendall *out, const double *t, const double *y, size_t n);

/** Direction of a trend (trends.csv `direction`). */
typedef enum cym_trend_direction {
    CYM_TREND_NONE = 0,  /**< fewer than 2 points: no statement ("") */
    CYM_TREND_FLAT,      /**< "no significant trend" (Mann-Kendall p >= level, or no p) */
    CYM_TREND_UP,        /**< "improving": p < level and S > 0 */
    CYM_TREND_DOWN       /**< "declining": p < level and S < 0 */
} cym_trend_direction;

/** The text of a direction (static). */
const char *cym_trend_direction_name(cym_trend_direction d);

/** Every statistic of one series (one country or group, one node). */
typedef struct cym_trend_stats {
    int first_year, last_year; /**< 0 when the series is empty */
    size_t n;
    double first, last, change; /**< change = last - first */
    double cagr, prc_change, theil_sen; /**< cagr a fraction, prc_change in percent */
    cym_ols ols;
    cym_mann_kendall mk;
    cym_trend_direction direction;
} cym_trend_stats;

/** Computes every statistic of (t, y) at significance `level`. */
void cym_trend_series(cym_trend_stats *out, const double *t, const double *y, size_t n,
                      double level);

/**
 * The trends of a run: a row per country (in countries.csv order), then per group aggregate:
 * for each group column COL of countries.csv and each of its values V, "COL=V:mean" and
 * "COL=V:median", then "all:mean" and "all:median" (the mean / median of the countries' scores
 * of the node in the year, over the countries with a score).
 */
typedef struct cym_trends {
    const cym_results *r; /**< borrowed */
    int basis;            /**< CYM_TREND_BASIS_* */
    double level;
    size_t n_rows;        /**< r->n_units + n_groups */
    size_t n_groups;
    char **labels;        /**< [n_groups] labels of the group rows */
    double *series;       /**< the series the trends are computed on, [row][year][node]:
                               with the common basis every row (countries: chain-linked
                               like-for-like scores; groups: mean / median of those); with
                               the basis `all` the group rows only, from row r->n_units on
                               (the countries' series are the run's scores, not copied).
                               Read a row through cym_trends_row. */
    double *pair_prev, *pair_cur; /**< common basis only ([row][year][node], countries' rows):
                               the pair (previous available year, this year) recomputed on
                               their common indicators; NaN where no pair; NULL otherwise */
    cym_trend_stats *stats; /**< [row][node] */
    cym_warnings warnings;  /**< e.g. trends on per-year normalisation */
} cym_trends;

/**
 * The series of a row of the trends (a country, or a group row), [year][node]: r->n_years x
 * r->n_nodes values, NaN where missing. Borrowed from `tr` (or, for a country on the basis
 * `all`, from the run's scores).
 */
static inline const double *cym_trends_row(const cym_trends *tr, size_t row)
{
    const cym_results *r = tr->r;
    if (tr->basis == CYM_TREND_BASIS_COMMON)
        return tr->series + row * r->n_years * r->n_nodes;
    if (row < r->n_units)
        return r->score + cym_cube_cell(&r->node_cube, row, 0, 0);
    return tr->series + (row - r->n_units) * r->n_years * r->n_nodes;
}

/** Index of (row, year, node) in pair_* (and in a row's block, with row 0). */
static inline size_t cym_trends_cell(const cym_trends *tr, size_t row, size_t t, size_t node)
{
    return (row * tr->r->n_years + t) * tr->r->n_nodes + node;
}

/**
 * Computes the trends of run `r` on the basis and at the level of `spec` (NULL:
 * CYM_TREND_SPEC_INIT); the common basis re-aggregates with the run's own options (r->opts).
 * *out belongs to the caller (cym_trends_free) and borrows `r`. CYM_ENOMEM, or CYM_EDATA when
 * the common-basis re-aggregation meets data its method cannot take.
 */
cym_status cym_trends_compute(cym_trends **out, const cym_results *r, const cym_trend_spec *spec,
                              cym_error *err);

/**
 * The warning (for the user) that trends are read on per-year normalisation (run `r` with --scope year and
 * more than one year), or NULL. Static text.
 */
const char *cym_trend_scope_warning(const cym_results *r);

/** Frees trends. Accepts NULL. */
void cym_trends_free(cym_trends *tr);

#ifdef __cplusplus
}
#endif

#endif
