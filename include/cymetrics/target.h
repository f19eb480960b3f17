/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_TARGET_H
#define CYM_TARGET_H

/**
 * Targets: the path to the next tier (issue 9). For one country and year, the shortest list
 * of indicator improvements found by a greedy search that brings the index from its current
 * score to a target: each step raises one indicator to its best value (the goalpost goal
 * under goalposts normalisation; full marks for binary and ordinal:K items; otherwise the
 * best value observed that year), the one that gains most first, and the index is recomputed
 * after each step with the run's methods and its normalisation held fixed: the other
 * countries' scores and the normalisation bounds do not move.
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One step of a plan. */
typedef struct cym_target_step {
    size_t indicator;    /**< position in fw->indicators */
    double current;      /**< raw value before the step (NaN when missing) */
    double target_value; /**< raw value the step asks for */
    double score_from;   /**< the indicator's normalised score before (NaN when missing) */
    double score_to;     /**< and after */
    double gain;         /**< index points the step adds (>= 0 but for rare non-monotone
                              aggregations, see docs/methodology.md) */
    double score_after;  /**< the index after the step */
} cym_target_step;

/** The plan of one country-year. */
typedef struct cym_target_plan {
    size_t unit;         /**< position in ds->units */
    size_t t;            /**< year position in the results */
    int year;
    double current;      /**< index score now */
    double target;       /**< score asked for */
    double max_score;    /**< index with every indicator at its best value */
    int reached;         /**< 1 when current or the last step reaches the target */
    int truncated;       /**< 1 when the search stopped at its work budget */
    size_t n_steps;
    cym_target_step *steps;
} cym_target_plan;

/**
 * The best value of every indicator of unit u in year t (t a year position of r) and the
 * normalised score it gets with the normalisation held fixed: value[i] in raw units (before
 * denomination), score[i]; both NaN when the indicator cannot improve (already at its best,
 * no value observed that year, or no denominator). Arrays of fw->n_indicators. CYM_ENOMEM.
 */
cym_status cym_target_best(double *value, double *score, const cym_results *r,
                           size_t u, size_t t, cym_error *err);

/**
 * Re-aggregates unit u in year t from the indicator scores ind_scores[fw->n_indicators]
 * (normalised, NaN = missing) with the weights, methods and coverage rule of the run, the
 * other units' scores held fixed (they matter to Copeland aggregation only). *index gets the
 * index score; nodes[fw->n_nodes] (may be NULL) every node's. With the unit's own scores it
 * reproduces the run. CYM_EDATA when an aggregation cannot take a value, CYM_ENOMEM.
 */
cym_status cym_target_rescore(double *index, double *nodes, const cym_results *r,
                              size_t u, size_t t, const double *ind_scores,
                              cym_error *err);

/**
 * The greedy search for unit u, year position t, towards the index score `target`. At each
 * step every indicator not yet raised is tried; the one whose step gains most is taken (ties:
 * the first in framework order); the search stops when the target is reached or no step
 * helps. `max_work` bounds the work (children visited; 0 = no bound): past it the search
 * stops with plan->truncated set. *out belongs to the caller (cym_target_plan_free).
 */
cym_status cym_target_search(cym_target_plan **out, const cym_results *r, size_t u, size_t t, double target, size_t max_work, cym_error *err);

/** Frees a plan. Accepts NULL. */
void cym_target_plan_free(cym_target_plan *p);

/**
 * The threshold of tier k (position in r->opts.tiers) in year position t: the score itself, or for
 * percentile tiers the type-7 percentile of that year's index scores, as the run computed it.
 */
double cym_target_tier_threshold(const cym_results *r, size_t t, size_t k);

/**
 * The pillar of node n: its ancestor just below the index (n itself at that level), or -1
 * for the index.
 */
long cym_target_pillar(const cym_framework *fw, size_t n);

#ifdef __cplusplus
}
#endif

#endif
