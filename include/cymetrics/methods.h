/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_METHODS_H
#define CYM_METHODS_H

/**
 * The composite-indicator methods on plain vectors (METHODS.md sections 2-6).
 *
 * These are the building blocks the pipeline (and the Monte Carlo) calls for one indicator,
 * one aggregate or one year at a time. Missing values are NaN throughout and stay NaN unless
 * a method says otherwise. No function here allocates memory unless it says so, none prints,
 * none aborts: bad arguments give a negative cym_status.
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- per-cell flags (a bit set per country x year x series) ---------------------------- */
#define CYM_FLAG_IMPUTED 0x01u
#define CYM_FLAG_WIN_HIGH 0x02u
#define CYM_FLAG_WIN_LOW 0x04u
#define CYM_FLAG_LOG 0x08u
#define CYM_FLAG_DENOMINATED 0x10u

/* ---- imputation (section 2) ----------------------------------------------------------- */

typedef enum cym_impute_method {
    CYM_IMPUTE_NONE = 0,
    CYM_IMPUTE_MEAN,         /**< column mean, same year */
    CYM_IMPUTE_MEDIAN,       /**< column median, same year */
    CYM_IMPUTE_GROUP_MEAN,   /**< mean over units of the same group, same year */
    CYM_IMPUTE_GROUP_MEDIAN, /**< median over units of the same group, same year */
    CYM_IMPUTE_LOCF,         /**< last observation carried forward, at most `max_gap` years */
    CYM_IMPUTE_LINEAR,       /**< linear in time between observed years, flat beyond the ends */
    CYM_IMPUTE_CONSTANT      /**< every missing cell becomes `value` */
} cym_impute_method;

typedef struct cym_impute_spec {
    cym_impute_method method;
    size_t max_gap;          /**< LOCF: at most this many years forward; 0 = unlimited */
    double value;            /**< CONSTANT: the value */
    char group_column[64];   /**< GROUP_*: the countries.csv column (informational here) */
} cym_impute_spec;

/**
 * Imputes one indicator in place. `v` is n_units x n_years, row-major (v[u * n_years + t]),
 * the years being consecutive calendar years. `group` gives each unit's group id (>= 0, or -1
 * for "no group"), and is needed only for the GROUP_* methods. Every cell filled gets
 * CYM_FLAG_IMPUTED in `flags` (same layout; may be NULL); observed values never change.
 * `*n_imputed` (may be NULL) receives the number of cells filled. MEAN, MEDIAN and GROUP_*
 * allocate a work buffer (CYM_ENOMEM); CYM_EUSAGE for GROUP_* without `group`, or a
 * non-finite CONSTANT value.
 */
cym_status cym_impute(double *v, unsigned *flags, size_t n_units, size_t n_years,
                      const cym_impute_spec *spec, const int *group, size_t *n_imputed,
                      cym_error *err);

/** The name of an imputation method, as cym_impute_spec_parse reads it ("group-mean").
    Static string; "?" for a value outside the enum. */
const char *cym_impute_name(cym_impute_method m);

/**
 * Parses an imputation spec: none, mean, median, group-mean:COLUMN, group-median:COLUMN,
 * locf, locf:K (K 1-1000), linear or constant:V (V finite), as the `impute` key takes it.
 * On success every field of `*out` is set; on failure `*out` is unchanged and CYM_EUSAGE
 * comes with a message naming `impute` and the forms expected.
 */
cym_status cym_impute_spec_parse(cym_impute_spec *out, const char *text, cym_error *err);

/** Writes `spec` into buf[0..n) in the form cym_impute_spec_parse reads back ("locf:3"). */
void cym_impute_spec_format(char *buf, size_t n, const cym_impute_spec *spec);

/* ---- outlier treatment (section 3) ---------------------------------------------------- */

typedef struct cym_treat_spec {
    double skew_max; /**< default 2 */
    double kurt_max; /**< default 3.5 */
    size_t winmax;   /**< default 5 */
} cym_treat_spec;

/** What treating one indicator did. */
typedef struct cym_treat_result {
    size_t n;             /**< values present */
    double skew_before, kurt_before, skew_after, kurt_after;
    int failed;           /**< 1 when the indicator failed the test before treatment */
    size_t n_high, n_low; /**< points winsorised down from the top / up from the bottom
                               (ties count one each; 0 when log_used: the winsorisation
                               was discarded and the original values logged) */
    int log_used;         /**< 1 when winsorisation did not pass and the log fallback ran */
} cym_treat_result;

/** Default thresholds: skew 2, kurtosis 3.5, winmax 5 (COINr / JRC). */
void cym_treat_spec_default(cym_treat_spec *spec);

/**
 * Winsorises x[0..n) in place as in METHODS.md section 3 (COINr `winsorise` then `log_CT`),
 * skipping NaN. Sets CYM_FLAG_WIN_HIGH / CYM_FLAG_WIN_LOW / CYM_FLAG_LOG in flags[i] for the
 * points changed (flags may be NULL). Indicators with fewer than 4 values, or with zero
 * spread (skew undefined, COINr's check is NA), are left unchanged. Allocates a work buffer
 * when treatment is needed (CYM_ENOMEM).
 */
cym_status cym_treat_winsorise(double *x, unsigned *flags, size_t n, const cym_treat_spec *spec,
                               cym_treat_result *res, cym_error *err);

/* ---- normalisation (section 4) -------------------------------------------------------- */

typedef enum cym_norm_method {
    CYM_NORM_MINMAX = 0,
    CYM_NORM_ZSCORE,
    CYM_NORM_GOALPOSTS,
    CYM_NORM_RANK,
    CYM_NORM_BORDA,
    CYM_NORM_PERCENTILE,
    CYM_NORM_DIST2MAX,
    CYM_NORM_DIST2REF,
    CYM_NORM_DIST2TARGET,
    CYM_NORM_FRACMAX,
    CYM_NORM_NONE
} cym_norm_method;

typedef struct cym_norm_spec {
    cym_norm_method method;
    double lo, hi;         /**< output range [l, u], default [0, 100] */
    double z_mean, z_sd;   /**< ZSCORE: m and s, default 0 and 1 */
    int cap_ref;           /**< DIST2REF: cap the result at 1 before scaling */
    char ref_unit[16];     /**< DIST2REF: code of the reference unit (resolved by the caller) */
} cym_norm_spec;

/**
 * The statistics a normalisation scales by, over the present direction-adjusted values of one
 * indicator: min-max and dist2max use min and max, zscore mean and sd (divisor n - 1; 0 when
 * n < 2). All NaN when n = 0.
 */
typedef struct cym_norm_bounds {
    size_t n;        /**< values present */
    double min, max; /**< direction-adjusted (raw * direction) */
    double mean, sd;
} cym_norm_bounds;

/** Per-indicator inputs some methods need. */
typedef struct cym_norm_aux {
    int direction;         /**< +1 or -1; x passed in is already multiplied by it */
    double goal_lo, goal_hi; /**< GOALPOSTS, in raw units (no sign flip) */
    double target;         /**< DIST2TARGET, in raw units */
    const double *ref;     /**< DIST2REF: per point, the (direction-adjusted) reference value */
    /** Frozen bounds (NULL: the values' own): MINMAX, DIST2MAX and ZSCORE scale by these
        instead of the statistics of x, and MINMAX and DIST2MAX then cap the result to
        [lo, hi] (a value beyond the frozen bounds scores the end of the range, as fixed
        goalposts do). Other methods refuse them (cym_norm_freezable). */
    const cym_norm_bounds *frozen;
} cym_norm_aux;

/** Computes the bounds of x[0..n) (NaN skipped) into *out, as cym_normalise reads them. */
void cym_norm_bounds_compute(cym_norm_bounds *out, const double *x, size_t n);

/** 1 when method `m` scales by bounds that can be frozen (MINMAX, DIST2MAX, ZSCORE), else 0. */
int cym_norm_freezable(cym_norm_method m);

/** Default spec: min-max onto [0, 100]. */
void cym_norm_spec_default(cym_norm_spec *spec);

/** The name of a normalisation method ("dist2ref"). Static string; "?" outside the enum. */
const char *cym_norm_name(cym_norm_method m);

/**
 * Parses a normalisation spec: minmax, zscore, zscore:M,S (S > 0), goalposts, rank, borda,
 * percentile, dist2max, dist2ref:CODE, dist2ref:CODE:cap (CODE three characters), dist2target,
 * fracmax or none, as the `normalise` key takes it. Sets the method and its parameters
 * (z_mean, z_sd: 0 and 1 unless given; cap_ref; ref_unit); the output range lo, hi is not part
 * of the text and keeps its value (cym_norm_spec_default, or the `range` key). On failure
 * `*out` is unchanged and CYM_EUSAGE comes with a message naming `normalise`.
 */
cym_status cym_norm_spec_parse(cym_norm_spec *out, const char *text, cym_error *err);

/** Writes `spec` (without its range) into buf[0..n) in the form cym_norm_spec_parse reads
    back ("zscore:10,2", "dist2ref:JPN:cap"). */
void cym_norm_spec_format(char *buf, size_t n, const cym_norm_spec *spec);

/**
 * Normalises x[0..n) into out[0..n) (out may equal x). x holds direction-adjusted values
 * (raw * direction), NaN for missing. When the values have zero spread (max = min, or sd = 0)
 * for a method that divides by it, every present value becomes (lo + hi)/2 (ZSCORE: z_mean,
 * the centre of its scale) and *zero_spread (may be NULL) is set to 1; likewise percentile
 * with one value, a target or reference equal to the minimum, fracmax with max = 0.
 * CYM_EDATA for goalposts whose order contradicts the direction (or are equal), or a missing
 * goalpost/target or DIST2REF reference array; a point whose reference (aux->ref[i]) is NaN
 * gets NaN, as COINr's n_dist2ref gives NA. RANK, BORDA and PERCENTILE allocate a work buffer
 * (CYM_ENOMEM). With aux->frozen, the bounds are those (zero spread: the frozen min equals
 * the frozen max, or the frozen sd is 0); CYM_EUSAGE for a method that is not freezable.
 */
cym_status cym_normalise(double *out, const double *x, size_t n, const cym_norm_spec *spec,
                         const cym_norm_aux *aux, int *zero_spread, cym_error *err);

/* ---- aggregation (section 5) ---------------------------------------------------------- */

typedef enum cym_agg_method {
    CYM_AGG_ARITHMETIC = 0,
    CYM_AGG_GEOMETRIC,
    CYM_AGG_HARMONIC,
    CYM_AGG_POWER,
    CYM_AGG_SUM,
    CYM_AGG_MIN,
    CYM_AGG_COPELAND,
    CYM_AGG_MAZZIOTTA_PARETO
} cym_agg_method;

typedef struct cym_agg_spec {
    cym_agg_method method;
    double p; /**< POWER: the exponent (non-zero) */
} cym_agg_spec;

/** Parses an aggregation method name ("arithmetic", "power:2", ...). CYM_EUSAGE. */
cym_status cym_agg_parse(cym_agg_spec *out, const char *text, cym_error *err);

/** The canonical name of an aggregation method (static string). */
const char *cym_agg_name(cym_agg_method m);

/** Writes `spec` into buf[0..n) in the form cym_agg_parse reads back ("power:2"). */
void cym_agg_spec_format(char *buf, size_t n, const cym_agg_spec *spec);

/**
 * 1 when an aggregate whose present weight is the share `coverage` of its total weight meets
 * `min_coverage`, else 0. Compared with a tolerance of 1e-12: weights written as decimals that
 * make up exactly the threshold (0.6 + 0.7 + 0.2 of 3.0 for 0.5) have a binary share a
 * rounding below it (0.49999999999999994), and meet it as the user means.
 */
int cym_aggregate_covered(double coverage, double min_coverage);

/**
 * Aggregates one unit-year: children values x[0..k) (NaN = missing) with weights w[0..k)
 * (as in the framework, >= 0). Weights are rescaled over the children present (except SUM,
 * which uses them as given). *coverage = present weight / total weight. When the coverage is
 * below `min_coverage` (as cym_aggregate_covered compares), or no child is present, *out is
 * NaN. Not for COPELAND (see below).
 * CYM_EDATA when GEOMETRIC or HARMONIC meet a value <= 0, POWER a value < 0 (or 0 with
 * p < 0), MAZZIOTTA_PARETO a mean of 0 (the caller names node, unit, year); *out is then NaN.
 * A child with weight 0 takes no part. CYM_EUSAGE for a negative or non-finite weight,
 * POWER with p = 0, or COPELAND. POWER is computed as m (sum w (x/m)^p / sum w)^(1/p), m the
 * largest value (the smallest for p < 0), whenever the plain form would overflow or
 * underflow, so large exponents and values near 1e308 give finite means.
 */
cym_status cym_aggregate(double *out, double *coverage, const double *x, const double *w,
                         size_t k, const cym_agg_spec *spec, double min_coverage);

/**
 * Copeland aggregation of one node in one year. X is n_units x k row-major (children scores),
 * w the k weights. out[u] = sum over other units b of sign(c_ub - 0.5), where c_ub is the
 * share of weight over children present for both in which u beats b (ties count half); an
 * exact tie of the weights counts 0 (weights that are short decimals compared as decimals).
 * Units with no child present get NaN. Allocates a work buffer of k values (CYM_ENOMEM);
 * CYM_EUSAGE for a negative or non-finite weight.
 */
cym_status cym_aggregate_copeland(double *out, const double *X, const double *w, size_t n_units,
                                  size_t k);

/* ---- weights (section 5) -------------------------------------------------------------- */

/**
 * PCA weights of one aggregate: X is n x k row-major (children scores, NaN = missing); only
 * complete rows are used. w[j] = squared loading of child j on the first principal component
 * of the correlation matrix, rescaled to sum to 1. `loadings` (may be NULL) receives the first
 * component's loadings (eigenvector * sqrt(eigenvalue)), sign fixed so they sum positive, and
 * `var_explained` (may be NULL) the first eigenvalue / k. CYM_EDATA when fewer than k + 2
 * complete rows exist or a child has zero variance.
 */
cym_status cym_weights_pca(double *w, double *loadings, double *var_explained, const double *X,
                           size_t n, size_t k, cym_error *err);

/* ---- ranks and tiers (section 6) ------------------------------------------------------ */

typedef enum cym_rank_ties {
    CYM_TIES_MIN = 0, /**< competition ranking 1,2,2,4 (default, COINr) */
    CYM_TIES_DENSE,   /**< 1,2,2,3 (ITU GCI) */
    CYM_TIES_ORDINAL  /**< distinct: ties broken by `tiebreak` (higher first), then index order */
} cym_rank_ties;

/**
 * Ranks x[0..n) descending (1 = highest) into out (as doubles; NaN stays NaN, unranked).
 * `tiebreak` (may be NULL) is used only by CYM_TIES_ORDINAL. Values are compared exactly.
 * Allocates a work buffer: CYM_ENOMEM when it cannot.
 */
cym_status cym_rank(double *out, const double *x, size_t n, cym_rank_ties ties,
                    const double *tiebreak);


#ifdef __cplusplus
}
#endif

#endif
