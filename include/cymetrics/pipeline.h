/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PIPELINE_H
#define CYM_PIPELINE_H

/**
 * The index pipeline (METHODS.md sections 1-6): denominate, impute, orient (direction),
 * treat outliers, normalise, weight, aggregate every node bottom-up, rank, tier. It reads a
 * loaded dataset and produces every intermediate table, for every selected year.
 */

#include <stddef.h>
#include <stdio.h>

#include "cymetrics/cube.h"
#include "cymetrics/dataset.h"
#include "cymetrics/error.h"
#include "cymetrics/methods.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CYM_MAX_TIERS 16

typedef enum cym_weights_kind {
    CYM_WEIGHTS_FRAMEWORK = 0,
    CYM_WEIGHTS_EQUAL,
    CYM_WEIGHTS_PCA
} cym_weights_kind;

/** One tier: a score threshold (or a percentile when `percentile`) and its label. */
typedef struct cym_tier {
    double threshold;
    int percentile;
    char label[64];
} cym_tier;

/**
 * Normalisation bounds read from a goalposts file (`goalposts.csv` of an earlier run,
 * docs/formats.md), for the indicators of one framework: reusing them gives every year the
 * same scale whatever years or countries the data holds. Made by cym_goalposts_load.
 */
typedef struct cym_goalposts {
    char path[4096];         /**< the file read */
    cym_norm_method method;  /**< the normalisation the bounds are for */
    unsigned long line, col; /**< where the file first names it (the messages cite it) */
    char years[32];          /**< the years they were computed on, as the file says */
    const cym_framework *fw; /**< borrowed: the framework whose indicators the rows are */
    cym_norm_bounds *bounds; /**< [indicator position], direction-adjusted */
    cym_input_digest digest; /**< of `path`, as read */
} cym_goalposts;

/**
 * Reads a goalposts file for the indicators of `fw`: one row per indicator, every one of
 * them, the same `normalise` in every row, that method freezable (cym_norm_freezable), the
 * direction the framework's. *out belongs to the caller (cym_goalposts_free). CYM_EDATA with
 * file, line and column for a malformed file, an unknown, repeated or missing indicator, a
 * number that is not one, bounds without values; CYM_EIO when it cannot be read.
 */
cym_status cym_goalposts_load(cym_goalposts **out, const char *path, const cym_framework *fw,
                              cym_error *err);

/** Frees goalposts. Accepts NULL. */
void cym_goalposts_free(cym_goalposts *gp);

/**
 * The methods of a run (the [run] keys of docs/cli.md). Start from CYM_PIPELINE_OPTIONS_INIT
 * (the documented defaults); a NULL options pointer means the defaults.
 */
typedef struct cym_pipeline_options {
    int year_from, year_to; /**< years selected, 0 = no bound */
    int denominate;         /**< -1 auto (when the framework names denominators), 0, 1 */
    cym_impute_spec impute;
    int treat; /**< 0 none, 1 winsorise */
    cym_treat_spec treat_spec;
    cym_norm_spec norm;
    int scope;        /**< -1 auto (per year when one year), 0 panel, 1 per year */
    cym_agg_spec agg; /**< nodes without a framework `method` */
    cym_weights_kind weights;
    /** Per node (indexed like fw->nodes, >= 0, relative to the siblings as the framework's
        `weight` column; the root's is not read), replacing the weights of `weights` except
        that PCA weights are still computed from the data; NULL = none. A weight of 0 takes
        a node out of its parent's aggregate. Borrowed for the call only: results keep NULL. */
    const double *node_weights;
    /** Aggregate only when at least this share of the weight of the node's direct children
        has a score (COINr's data-availability threshold; 0 = always). */
    double min_coverage;
    /** The coverage policy: a country-year whose index rests on data for less than this share
        of its effective weight (r->coverage) is computed but flagged (0 = off). */
    double coverage_flag;
    /** 1: targets (cym_target_search callers, next_tier.csv) advise flagged country-years
        too; 0 (default): they leave them out. */
    int target_flagged;
    size_t n_tiers;
    cym_tier tiers[CYM_MAX_TIERS]; /**< highest first */
    cym_rank_ties ties;
    char tiebreak[65]; /**< CYM_TIES_ORDINAL: the node or series code */
    /** Reference window of the normalisation bounds (0, 0: none): the bounds are computed on
        these years only and applied to every year, capped (docs/methodology.md, "Stable
        published scores"); the window must lie in the selected years. */
    int ref_from, ref_to;
    /** Frozen bounds from a goalposts file (NULL: none); borrowed, and kept by the results,
        so it must outlive them. Not with ref_from/ref_to. */
    const cym_goalposts *goalposts;
} cym_pipeline_options;

/**
 * The default coverage policy: about two-thirds of the index's weight with data, the JRC
 * handbook's practice; written 0.66 so that exactly two-thirds (two of three equal pillars)
 * passes.
 */
#define CYM_COVERAGE_FLAG_DEFAULT 0.66

/** The mark of a flagged country-year (cym_results_flagged) in tables, charts and reports. */
#define CYM_COVERAGE_MARK "\u2020"

/** The defaults of docs/cli.md (min-max on [0, 100], arithmetic, framework weights, ...). */
#define CYM_PIPELINE_OPTIONS_INIT                                                                  \
    {                                                                                              \
        .denominate = -1, .impute = {.method = CYM_IMPUTE_NONE},                                   \
        .treat_spec = {.skew_max = 2.0, .kurt_max = 3.5, .winmax = 5},                             \
        .norm = {.method = CYM_NORM_MINMAX, .lo = 0.0, .hi = 100.0, .z_mean = 0.0, .z_sd = 1.0},   \
        .scope = -1, .agg = {.method = CYM_AGG_ARITHMETIC, .p = 1.0},                              \
        .weights = CYM_WEIGHTS_FRAMEWORK, .coverage_flag = CYM_COVERAGE_FLAG_DEFAULT,             \
        .ties = CYM_TIES_MIN                                                                       \
    }

/** Treatment record of one indicator (and one year when treatment is per year). */
typedef struct cym_treat_record {
    size_t indicator; /**< position in fw->indicators */
    int year;         /**< the year, or 0 for the pooled panel */
    cym_treat_result r;
} cym_treat_record;

/** The effective method settings a run used (after "auto" defaults were resolved). */
typedef struct cym_run_settings {
    int denominate; /**< 0 or 1 */
    int scope;      /**< 0 panel, 1 per year */
    int frozen;     /**< normalisation bounds: 0 from the values normalised (panel or year),
                         CYM_FROZEN_REFERENCE from ref_from-ref_to, CYM_FROZEN_FILE from
                         a goalposts file; when frozen, treatment runs per year */
} cym_run_settings;

#define CYM_FROZEN_REFERENCE 1
#define CYM_FROZEN_FILE 2

/* What makes a country-year's score depend on the data of later years (cym_results_later). */
#define CYM_LATER_NORMALISE 0x1u /**< normalisation bounds over the pooled panel */
#define CYM_LATER_TREAT 0x2u     /**< outlier treatment over the pooled panel */
#define CYM_LATER_IMPUTE 0x4u    /**< imputation that reads later years (linear) */
#define CYM_LATER_WEIGHTS 0x8u   /**< PCA weights over every year */

typedef struct cym_results {
    const cym_dataset *ds;     /**< borrowed */
    const cym_framework *fw;   /**< borrowed */
    cym_pipeline_options opts; /**< the options of the run (node_weights NULL) */
    cym_run_settings settings;
    int year0;      /**< first selected year */
    size_t n_years; /**< selected years year0 .. year0 + n_years - 1 */
    size_t n_units;
    size_t n_nodes;
    size_t n_ind;       /**< fw->n_indicators */
    cym_cube ind_cube;  /**< the journey arrays: layers = indicator positions */
    cym_cube node_cube; /**< score, coverage, rank: layers = framework nodes */
    cym_cube unit_cube; /**< tier, tier_gap: one layer */

    /* the journey of every indicator cell (ind_cube) */
    double *raw, *denominated, *imputed, *treated, *normalised;
    unsigned *flags; /**< CYM_FLAG_* per cell */

    /* every node (node_cube) */
    double *score;    /**< indicators: normalised; aggregates: aggregated */
    /** Data coverage: the share of the node's effective weight (the product of the
        relative weights down to each indicator under it, weights.csv's effective weight
        rescaled to the node) whose indicator has an observed value, imputed values not
        counting; an indicator's own is 1 or 0. Not the share of the direct children that
        --min-coverage tests. */
    double *coverage;
    double *rank;     /**< among units, per node and year; NaN when no score (or when
                           the node was not ranked: cym_pipeline_rank) */
    int *tier;        /**< unit_cube: tier index of the index score, -1 none */
    double *tier_gap; /**< unit_cube: points to the next tier up (NaN at the top) */

    double *weight;             /**< [node]: weight used relative to siblings (sums to 1) */
    double *eff_weight;         /**< [node]: weight in the index (product along the path) */
    unsigned char *zero_spread; /**< [indicator position]: 1 when normalised to mid-point */
    size_t *unit_order;     /**< [unit]: the units in code order, the last tie-break of ranks */

    /** The normalisation bounds used, per indicator and slice: bounds[i * n_slices + s],
        one slice per year with per-year scope, else one (the panel, the reference window or
        the goalposts file); cym_results_bounds_years says which years. */
    size_t n_slices;
    cym_norm_bounds *bounds;
    size_t n_treat;
    cym_treat_record *treat; /**< treatment records (empty without treatment) */
    size_t n_imputed;        /**< cells filled by imputation */
    cym_warnings warnings;
    /* framework editions (cym_run_plot_editions): first years of a new edition, marked in the
       charts over time; none in an ordinary run */
    const int *break_years;
    size_t n_breaks;
    const struct cym_results *base; /**< cym_results_derive: whose prepared arrays these
                                         results borrow, else NULL */
} cym_results;

/**
 * 1 when the index of unit u in year position t has a score computed on data for less than
 * r->opts.coverage_flag of its weight (r->coverage below the coverage policy, by more than
 * 1e-9 for rounding), else 0 (also when the policy is off, there is no score, or the results
 * have no coverage array).
 */
int cym_results_flagged(const cym_results *r, size_t u, size_t t);

/**
 * The coverage policy's warnings of a whole run: one per unit-year that
 * cym_results_flagged, naming country, year and coverage, appended to `w` in unit then year
 * order. CYM_ENOMEM.
 */
cym_status cym_pipeline_policy_warnings(cym_warnings *w, const cym_results *r);

/**
 * The coverage policy before a run (`cymetrics validate`): warns in `w` of every unit whose
 * index would rest on data for less than opts->coverage_flag of its weight in the dataset's
 * latest year. The data are the values of `ds` (with their denominator when the framework
 * names one and opts->denominate is not 0), the weights the framework's (equal with
 * CYM_WEIGHTS_EQUAL; PCA weights need the run and are taken as the framework's), with the
 * warning cym_pipeline_policy_warnings gives. Units with no value at all in that year are
 * left to the dataset's late-submission warning. CYM_ENOMEM.
 */
cym_status cym_pipeline_policy_check(cym_warnings *w, const cym_dataset *ds,
                                     const cym_pipeline_options *opts, cym_error *err);

/**
 * Runs the whole pipeline on `ds`: cym_pipeline_prepare, cym_pipeline_aggregate,
 * cym_pipeline_rank of every node, cym_pipeline_tier, then the coverage policy's warnings
 * (cym_pipeline_policy_warnings) into r->warnings. On success *out belongs to the caller
 * (cym_results_free); it borrows `ds` and its framework, which must outlive it. `opts` NULL
 * means CYM_PIPELINE_OPTIONS_INIT. Failures: CYM_EUSAGE for settings that do not fit the data
 * (e.g. goalposts missing, unknown reference country, years without data), CYM_EDATA for data
 * a method cannot take (e.g. a zero under geometric aggregation), with a message naming node,
 * country and year.
 */
cym_status cym_pipeline_run(cym_results **out, const cym_dataset *ds,
                            const cym_pipeline_options *opts, cym_error *err);

/**
 * The steps on the indicators: select years, denominate, impute, orient by direction, treat,
 * normalise. *out holds the journey arrays and the indicators' scores; aggregates have no
 * score yet and nothing is ranked. Ownership and failures as cym_pipeline_run.
 */
cym_status cym_pipeline_prepare(cym_results **out, const cym_dataset *ds,
                                const cym_pipeline_options *opts, cym_error *err);

/**
 * Weights and aggregates every node from the indicators' scores up (the aggregate stage
 * options of r->opts: weights, node_weights, agg, min_coverage), filling score and coverage
 * of the aggregates (coverage from the indicators' and the relative weights, whether or not
 * min_coverage let the aggregate be computed), weight and eff_weight. CYM_EDATA as
 * cym_pipeline_run.
 */
cym_status cym_pipeline_aggregate(cym_results *r, cym_error *err);

/**
 * cym_pipeline_aggregate without the aggregates' data coverage (left as it was in
 * r->coverage): the same scores, weight and eff_weight, for a caller that reads none of it
 * (the Monte Carlo, where it was an eighth of a replication).
 */
cym_status cym_pipeline_aggregate_scores(cym_results *r, cym_error *err);

/**
 * cym_pipeline_aggregate_scores for the ancestors of node `n` only (its parent, theirs, ...
 * the index); every other aggregate keeps its score. Right when only n's weight changed since
 * the scores were computed (the audit's remove-one): an aggregate that is not above n reads
 * the same children with the same weights. weight and eff_weight of every node as
 * cym_pipeline_aggregate_scores.
 */
cym_status cym_pipeline_aggregate_above(cym_results *r, size_t n, cym_error *err);

/**
 * Ranks the scores of `nodes[0..n)` (NULL: every node) per year, as r->opts.ties says; the
 * ranks of other nodes are left as they are. CYM_EUSAGE for an ordinal tie-break that is
 * neither a node nor a series; CYM_ENOMEM.
 */
cym_status cym_pipeline_rank(cym_results *r, const size_t *nodes, size_t n, cym_error *err);

/** Tiers of the index scores (r->opts.tiers) into tier and tier_gap. CYM_ENOMEM. */
cym_status cym_pipeline_tier(cym_results *r);

/**
 * New results on the prepared indicators of `base` (which must outlive them): they borrow its
 * journey arrays and copy its indicators' scores, with the aggregate-stage options of `opts`
 * (its prepare-stage options are ignored: they are base's); aggregates unscored, nothing
 * ranked. This is how the Monte Carlo and the audit change weights or aggregation without
 * preparing the data again. *out belongs to the caller (cym_results_free).
 */
cym_status cym_results_derive(cym_results **out, const cym_results *base,
                              const cym_pipeline_options *opts, cym_error *err);

/**
 * Makes derived results `r` as cym_results_derive made them, with new options: for reuse
 * across replications without allocating. Warnings of the previous use are cleared.
 */
void cym_results_reset(cym_results *r, const cym_pipeline_options *opts);

/**
 * Only the options part of cym_results_reset: the aggregate-stage options of `opts` and the
 * warnings cleared, the arrays left as the previous use left them. For a caller that runs
 * cym_pipeline_aggregate (or _scores) next and reads only what that and its own
 * cym_pipeline_rank write again: the aggregation writes every aggregate's score before any
 * is read and never writes an indicator's (still base's), so those scores and ranks are the
 * same bytes as after cym_results_reset. Coverage (with _scores) and the ranks of the
 * nodes not ranked again keep the previous use's values. The Monte Carlo's replications.
 */
void cym_results_reset_options(cym_results *r, const cym_pipeline_options *opts);

/**
 * The stages of results `r` that make the score of a country-year depend on the data of
 * later years (CYM_LATER_*), 0 when none does: adding a year then leaves every earlier
 * score as it was. One selected year: 0.
 */
unsigned cym_results_later(const cym_results *r);

/**
 * One sentence for people, into buf[0..n): whether scores of earlier years depend on the data
 * of later ones under the settings of `r`, through which stages, and how to freeze them.
 */
void cym_results_later_text(char *buf, size_t n, const cym_results *r);

/** The years slice s of r->bounds was computed on, written into buf ("2017-2020"). */
void cym_results_bounds_years(char *buf, size_t n, const cym_results *r, size_t s);

/**
 * Writes the normalisation bounds `r` used as a goalposts file (docs/formats.md): one row per
 * indicator and slice of r->bounds, in raw units. CYM_EIO when the stream failed.
 */
cym_status cym_goalposts_write(FILE *f, const cym_results *r);

/** Frees results. Accepts NULL. */
void cym_results_free(cym_results *r);

#ifdef __cplusplus
}
#endif

#endif
