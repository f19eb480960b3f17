/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_UNCERTAINTY_H
#define CYM_UNCERTAINTY_H

/**
 * Monte Carlo uncertainty and Sobol sensitivity of the index ranks (METHODS.md section 9).
 *
 * The uncertain factors (cym_unc_spec) are drawn per replication from a stream of its own (seeded
 * from the seed and the replication's number), the pipeline is rerun with them, and the index
 * ranks and scores are folded into per-country, per-year histograms, so memory does not grow
 * with the number of replications and the result is the same for any number of threads.
 */

#include <stddef.h>

#include "cymetrics/dataset.h"
#include "cymetrics/error.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most alternatives a Monte Carlo factor list may hold. */
#define CYM_MAX_ALTS 8

/**
 * The uncertain factors of the Monte Carlo and Sobol analysis ([uncertainty], METHODS.md
 * section 9). A factor is active when it has alternatives (n_* > 0, drawn with equal
 * probability), noise (weight_noise > 0) or `exclude`.
 */
typedef struct cym_unc_spec {
    long runs;                   /**< replications (Sobol: base sample N) [1000] */
    unsigned long seed;          /**< RNG seed [1] */
    double weight_noise;         /**< f: each weight w becomes w * (1 + U(-f, f)); 0 = off */
    unsigned weight_levels;      /**< bit L set: perturb nodes of level L; 0 = every level
                                      below the index */
    int weight_experts;          /**< 1: each replication draws, for every aggregate, one
                                      expert of the expert weight set, whose weights its
                                      children take (`weight-noise = experts`) */
    size_t n_norm;
    cym_norm_spec norm[CYM_MAX_ALTS]; /**< alternative normalisations (range from --range) */
    size_t n_agg;
    cym_agg_spec agg[CYM_MAX_ALTS];
    size_t n_impute;
    cym_impute_spec impute[CYM_MAX_ALTS];
    size_t n_treat;
    int treat[2];                /**< alternative treatments: 0 none, 1 winsorise */
    int exclude;                 /**< 1: each replication drops one indicator at random */
    int sobol;                   /**< 0 off, 1 on, 2 also each country's rank */
    int threads;                 /**< 0 = every core */
    int keep_runs;               /**< 1: write every replication's ranks (runs.csv) */
} cym_unc_spec;

/** The defaults of the [uncertainty] keys (docs/cli.md): 1,000 runs, seed 1, no factor. */
#define CYM_UNC_SPEC_INIT {.runs = 1000, .seed = 1}

/** One factor's Sobol indices with bootstrap 90 % intervals (NaN when undefined). */
typedef struct cym_sobol_index {
    double s1, s1_lo, s1_hi; /**< first order (Saltelli 2010) */
    double st, st_lo, st_hi; /**< total (Jansen 1999) */
} cym_sobol_index;

/**
 * Sobol indices of k factors from a Saltelli design of base size N: yA[N], yB[N] and
 * yAB[i * N + j] (A with column i from B). V is the variance of yA and yB pooled (divisor
 * 2N); S_i = mean(yB (yABi - yA)) / V, ST_i = mean((yA - yABi)^2) / (2V). The intervals are
 * the 5th and 95th percentiles (type 7) of `n_boot` bootstrap resamples of the N rows (0 = no
 * intervals, NaN), drawn from `seed`. All NaN when V = 0. CYM_EUSAGE when N < 2 or k = 0,
 * CYM_ENOMEM.
 */
cym_status cym_sobol_estimate(cym_sobol_index *out, const double *yA, const double *yB,
                              const double *yAB, size_t N, size_t k, size_t n_boot,
                              unsigned long seed, cym_error *err);

/** Names of the uncertain factors, in the order they are numbered. */
typedef enum cym_unc_factor {
    CYM_UNC_WEIGHTS = 0,
    CYM_UNC_NORMALISE,
    CYM_UNC_AGGREGATE,
    CYM_UNC_IMPUTE,
    CYM_UNC_TREAT,
    CYM_UNC_EXCLUDE,
    CYM_UNC_N_FACTORS
} cym_unc_factor;

/** Results of an uncertainty analysis. Arrays per cell are [unit][year] (u * n_years + t). */
typedef struct cym_uncertainty {
    const cym_dataset *ds; /**< borrowed */
    int year0;
    size_t n_years, n_units;
    size_t runs; /**< replications folded into the statistics */
    double *nominal_rank, *nominal_score;
    /* rank statistics (type-7 quantiles from the exact rank histogram) and score
       statistics (mean exact; quantiles from a 2,000-bin histogram) */
    double *rank_mean, *rank_median, *rank_q05, *rank_q95;
    double *score_mean, *score_median, *score_q05, *score_q95;
    unsigned long long *rank_count; /**< [cell][rank 0..n_units]: 0 counts "no rank" */
    /* Sobol (sobol on): factors analysed, outputs (per year the mean absolute rank shift,
       then with sobol = countries each unit's rank: output n_years + u * n_years + t) */
    size_t n_factors;
    cym_unc_factor factors[CYM_UNC_N_FACTORS];
    size_t n_outputs;
    cym_sobol_index *sobol; /**< [output][factor] */
    void *keep_;            /**< private: the replications kept (keep-runs) */
    /* the output scales the replications' index scores can be on (docs/methodology.md,
       "Uncertainty"): one, or more when the alternative normalisations (or aggregations)
       put the scores on different scales; then score_mean, score_median, score_q05 and
       score_q95 are NaN, as an average across scales means nothing */
    size_t n_scales;
    char scales[256]; /**< the distinct scales, "; "-separated ("[1, 100]; ranks 1..n") */
} cym_uncertainty;

/**
 * Called between batches of replications with the number done and the total; a non-zero
 * return stops the analysis (CYM_EUSAGE, "interrupted"). Called from one thread.
 */
typedef int (*cym_progress_fn)(void *user, size_t done, size_t total);

/** What an uncertainty analysis runs: the nominal run's methods and the uncertain factors. */
typedef struct cym_uncertainty_options {
    cym_pipeline_options run; /**< the nominal run (the alternatives change it) */
    cym_unc_spec spec;        /**< the factors, runs, seed, Sobol, threads, keep-runs */
    cym_progress_fn progress; /**< may be NULL */
    void *progress_user;      /**< passed to `progress` */
} cym_uncertainty_options;

/** The defaults: the default run, 1,000 replications, seed 1, and no factor yet. */
#define CYM_UNCERTAINTY_OPTIONS_INIT                                                               \
    {.run = CYM_PIPELINE_OPTIONS_INIT, .spec = CYM_UNC_SPEC_INIT}

/**
 * Runs the analysis of opts->spec on `ds` (nominal methods opts->run). Every factor is checked
 * first, each alternative tried once on the data (CYM_EUSAGE / CYM_EDATA naming the factor),
 * so a bad setting fails before any replication runs. *out belongs to the caller
 * (cym_uncertainty_free) and borrows `ds`. In a build with -DCYM_MPI=ON started by mpirun,
 * every rank calls this with the same arguments; the replications are spread over the ranks,
 * rank 0 gets the results (the same bytes as one process), and on the other ranks *out is
 * NULL on success (docs/scale.md).
 */
cym_status cym_uncertainty_run(cym_uncertainty **out, const cym_dataset *ds,
                               const cym_uncertainty_options *opts, cym_error *err);

/** 1 when `u` declares at least one uncertain factor (then `run` runs the analysis too). */
int cym_unc_declared(const cym_unc_spec *u);

/** The name of a factor ("weights", "normalise", ...). */
const char *cym_unc_factor_name(cym_unc_factor f);

/** Frees. Accepts NULL. */
void cym_uncertainty_free(cym_uncertainty *u);

#ifdef __cplusplus
}
#endif

#endif
