/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PIPELINE_H
#define CYM_PIPELINE_H

/**
 * The index pipeline (METHODS.md sections 1-6): denominate, impute, orient (direction),
 * treat outliers, normalise, weight, aggregate every node bottom-up, rank, tier. It reads a
 * loaded dataset and produces every intermediate table, for every selected year.
 */

#include <stddef.h>

#include "cymetrics/dataset.h"
#include "cymetrics/error.h"
#include "cymetrics/options.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Treatment record of one indicator (and one year when treatment is per year). */
typedef struct cym_treat_record {
    size_t indicator;  /**< position in fw->indicators */
    int year;          /**< the year, or 0 for the pooled panel */
    cym_treat_result r;
} cym_treat_record;

/** The effective method settings a run used (after "auto" defaults were resolved). */
typedef struct cym_run_settings {
    int denominate;    /**< 0 or 1 */
    int scope;         /**< 0 panel, 1 per year */
} cym_run_settings;

typedef struct cym_results {
    const cym_dataset *ds;  /**< borrowed */
    const cym_framework *fw; /**< borrowed */
    cym_run_settings settings;
    int year0;              /**< first selected year */
    size_t n_years;         /**< selected years year0 .. year0 + n_years - 1 */
    size_t n_units;
    size_t n_nodes;
    size_t n_ind;           /**< fw->n_indicators */

    /* the journey of every indicator cell: [indicator position][unit][year], so that the
       per-indicator steps read contiguous memory; use cym_results_ind_cell */
    double *raw, *denominated, *imputed, *treated, *normalised;
    unsigned *flags;        /**< CYM_FLAG_* per cell */

    /* every node: [unit][year][node] */
    double *score;          /**< indicators: normalised; aggregates: aggregated */
    double *coverage;       /**< share of the node's weight that had data */
    double *rank;           /**< among units, per node and year; NaN when no score */
    int *tier;              /**< [unit][year]: tier index of the index score, -1 none */
    double *tier_gap;       /**< [unit][year]: points to the next tier up (NaN at the top) */

    double *weight;         /**< [node]: weight used relative to siblings (sums to 1) */
    double *eff_weight;     /**< [node]: weight in the index (product along the path) */
    unsigned char *zero_spread; /**< [indicator position]: 1 when normalised to mid-point */

    size_t n_treat;
    cym_treat_record *treat; /**< treatment records (empty without treatment) */
    size_t n_imputed;        /**< cells filled by imputation */
    cym_warnings warnings;
    /* framework editions (cym_editions_plot): first years of a new edition, marked in the
       charts over time; none in an ordinary run */
    const int *break_years;
    size_t n_breaks;
} cym_results;

/** Index of (unit, year, node) in score/coverage/rank. */
static inline size_t cym_results_node_cell(const cym_results *r, size_t u, size_t t, size_t node)
{
    return (u * r->n_years + t) * r->n_nodes + node;
}

/** Index of (unit, year, indicator position) in the journey arrays. */
static inline size_t cym_results_ind_cell(const cym_results *r, size_t u, size_t t, size_t i)
{
    return (i * r->n_units + u) * r->n_years + t;
}

/**
 * Runs the pipeline on `ds` with the methods of `o`. On success *out belongs to the caller
 * (cym_results_free); it borrows `ds` and its framework, which must outlive it. Failures:
 * CYM_EUSAGE for settings that do not fit the data (e.g. goalposts missing, unknown reference
 * country, years without data), CYM_EDATA for data a method cannot take (e.g. a zero under
 * geometric aggregation), with a message naming node, country and year.
 */
cym_status cym_pipeline_run(cym_results **out, const cym_dataset *ds, const cym_options *o,
                            cym_error *err);

/**
 * cym_pipeline_run with the weight of every node replaced by node_weights[node] (indexed like
 * fw->nodes, >= 0, relative to the siblings as in the framework's `weight` column; the root's
 * is not read), whatever o->weights says, except that PCA weights are still computed from the
 * data. NULL means the weights of `o`. This is how the Monte Carlo perturbs weights; a weight
 * of 0 takes a node out of its parent's aggregate.
 */
cym_status cym_pipeline_run_with(cym_results **out, const cym_dataset *ds, const cym_options *o,
                                 const double *node_weights, cym_error *err);

/** Frees results. Accepts NULL. */
void cym_results_free(cym_results *r);

#ifdef __cplusplus
}
#endif

#endif
