/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_EXPERTS_H
#define CYM_EXPERTS_H

/**
 * Expert weight sets (issue 9): a CSV file with one row per framework node and one column per
 * expert (`code,expert_1,expert_2,...`), combined node by node (mean or median) into the
 * weights the pipeline uses. The combined weight of a node replaces its framework `weight`;
 * aggregation then rescales among siblings as for any framework weight (METHODS.md section 5).
 * The experts' own values stay available for weights.csv (each expert's weight and the
 * spread) and for the Monte Carlo (`--weight-noise experts`).
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/framework.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How the experts' weights of one node become one weight. */
typedef enum cym_weight_combine {
    CYM_COMBINE_MEAN = 0, /**< arithmetic mean (default) */
    CYM_COMBINE_MEDIAN    /**< median (mean of the two middle values for an even count) */
} cym_weight_combine;

/** The expert weight set attached to a framework. */
typedef struct cym_experts {
    char *path;               /**< the file read */
    size_t n_experts;
    char **names;             /**< column headers after `code` */
    size_t n_nodes;           /**< = fw->n_nodes */
    double *w;                /**< [node * n_experts + e]; NaN for the root when not given */
    double *framework_weight; /**< [node]: the framework's own `weight` column, kept */
    cym_weight_combine combine;
    double *combined;         /**< [node]: the combined weight (now the node's weight) */
    cym_input_digest digest;  /**< of `path`, as read */
} cym_experts;

/**
 * Combines x[0..n) (n >= 1, finite) into *out by `how`. Sorts a copy for the median:
 * CYM_ENOMEM when it cannot allocate, CYM_EUSAGE when n = 0.
 */
cym_status cym_weights_combine(double *out, const double *x, size_t n, cym_weight_combine how);

/**
 * Spread of x[0..n): min, max, sample sd (n - 1; NaN when n < 2) and type-7 interquartile
 * range. Any output may be NULL.
 */
void cym_weights_spread(const double *x, size_t n, double *min, double *max, double *sd,
                        double *iqr);

/**
 * Reads the expert weights file `path` for `fw`, checks it, combines each node's weights by
 * `how` and makes the combined weight the `weight` of every node below the root. The set is
 * then owned by the framework (fw->experts, freed by cym_framework_free); loading a second set
 * replaces the first. Errors, all `file:line:column`, CYM_EDATA: a header without `code` first
 * or without an expert column, duplicate expert names, an unknown or repeated node code, a
 * node below the root without a row, a value that is not a number, negative or not finite, a
 * row with too few or too many fields, an expert (or the combination) giving weight 0 to
 * every child of an aggregate. CYM_EIO when the file cannot be read. On failure fw is
 * unchanged.
 */
cym_status cym_framework_load_experts(cym_framework *fw, const char *path, cym_weight_combine how,
                                      cym_error *err);

/** Parses "mean" or "median". CYM_EUSAGE otherwise. */
cym_status cym_weight_combine_parse(cym_weight_combine *out, const char *text);

/** "mean" or "median" (static string). */
const char *cym_weight_combine_name(cym_weight_combine how);

#ifdef __cplusplus
}
#endif

#endif
