/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_FRAMEWORK_H
#define CYM_FRAMEWORK_H

/**
 * The indicator framework: a tree of indicators (leaves) under aggregates (pillars,
 * sub-pillars) under one index (the root), read from a CSV file with one row per node.
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/methods.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Measurement scale of an indicator. */
typedef enum cym_scale {
    CYM_SCALE_CONTINUOUS = 0,
    CYM_SCALE_BINARY,  /**< 0 or 1 */
    CYM_SCALE_ORDINAL  /**< integers 0..scale_k */
} cym_scale;

/** One node of the tree. Strings are owned by the framework; optional ones may be "". */
typedef struct cym_node {
    char *code;
    char *name;        /**< defaults to the code */
    long parent;       /**< index of the parent node, -1 for the root */
    double weight;     /**< relative among siblings, >= 0 (default 1) */
    int direction;     /**< +1 higher is better, -1 lower is better (indicators only) */
    int has_method;    /**< 1 when the framework sets `method` for this aggregate */
    cym_agg_spec method;
    cym_scale scale;
    int scale_k;       /**< ORDINAL: highest level */
    double goal_lo, goal_hi, target; /**< raw units; NaN when not given */
    char *denominator; /**< code of a data series to divide by, or "" */
    char *unit, *source, *description;
    int level;         /**< 1 for indicators, 1 + the highest child level above */
    size_t n_children;
    size_t *children;  /**< indices of the children, in file order */
    unsigned long line; /**< line of the row in the framework file */
} cym_node;

/**
 * What an input file held when it was read: its size and SHA-256, of the very bytes the
 * reader parsed, so the run's manifest names the bytes the numbers came from even if the file
 * changes during the run, without reading it again. `sha256` is "" when not known (a file not
 * read whole, a submission workbook, a structure not made by a loader): the manifest then
 * hashes the file.
 */
typedef struct cym_input_digest {
    char sha256[65]; /**< 64 lower-case hex digits, or "" */
    size_t bytes;
} cym_input_digest;

typedef struct cym_framework {
    char *path;          /**< file it was read from */
    size_t n_nodes;
    cym_node *nodes;     /**< in file order */
    size_t root;
    size_t n_indicators;
    size_t *indicators;  /**< node indices of the leaves, in file order */
    size_t *bottom_up;   /**< all node indices, every child before its parent */
    int levels;          /**< level of the root */
    size_t n_denominators;
    char **denominators; /**< distinct denominator codes named (borrowed from nodes) */
    void *index_;        /**< private: code look-up table */
    struct cym_experts *experts; /**< expert weight set applied to the weights, or NULL
                                      (cymetrics/experts.h); owned */
    cym_input_digest digest;     /**< of `path`, as read */
} cym_framework;

/**
 * Reads and validates a framework file. On success *out belongs to the caller (free with
 * cym_framework_free). On failure *out is NULL and err says what and where.
 */
cym_status cym_framework_load(cym_framework **out, const char *path, cym_error *err);

/** Frees a framework. Accepts NULL. */
void cym_framework_free(cym_framework *fw);

/** Index of the node with `code`, or -1. */
long cym_framework_find(const cym_framework *fw, const char *code);

/**
 * Code in the framework closest to `code` (edit distance), for "did you mean" hints, or NULL.
 * Borrowed.
 */
const char *cym_framework_suggest(const cym_framework *fw, const char *code);

#ifdef __cplusplus
}
#endif

#endif
