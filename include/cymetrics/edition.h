/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_EDITION_H
#define CYM_EDITION_H

/**
 * Framework editions (issue 9): a dataset whose questionnaire changed between editions is
 * scored year by year with the edition of that year, each edition run through the whole
 * pipeline on its own years; a crosswalk maps the indicators of one edition to the next,
 * and trends across a break are read on a comparable basis (docs/methodology.md, "Editions").
 * Also the validation of published composites (`--check-total`).
 */

#include <stddef.h>
#include <stdio.h>

#include "cymetrics/dataset.h"
#include "cymetrics/error.h"
#include "cymetrics/framework.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most framework editions a run may declare ([framework] section). */
#define CYM_MAX_EDITIONS 8

/** Comparable basis of trends across an edition break (cym_edition_spec.across). */
#define CYM_ACROSS_COMMON 0     /**< the indicators present in every edition, recomputed */
#define CYM_ACROSS_REBASED 1    /**< each edition's index / its maximum possible score x 100 */
#define CYM_ACROSS_PERCENTILE 2 /**< percentile rank of the index within the year */

/** One framework edition: the years it scores (0 = open end) and its framework file. */
typedef struct cym_edition_decl {
    int year_from, year_to;
    char path[CYM_PATH_MAX];
    char origin[CYM_PATH_MAX]; /**< where it was declared ("cymetrics.ini"), for messages */
    unsigned long line;        /**< line of the declaration (0: command line) */
} cym_edition_decl;

/**
 * Framework editions, crosswalk and the validation of published composites
 * ([framework] section, `across-editions` of [trends], `check-total` of [run];
 * src/config/editions.c). No edition declared: one framework for every year, as before.
 */
typedef struct cym_edition_spec {
    size_t n;
    cym_edition_decl ed[CYM_MAX_EDITIONS]; /**< in declaration order */
    char crosswalk[CYM_PATH_MAX];          /**< old_code,new_code,factor file, or "" */
    int across;                            /**< CYM_ACROSS_* [common] */
    char check_total[256];                 /**< "SERIES[:NODE],..." published totals, or "" */
    double check_tolerance;                /**< absolute tolerance of check-total [0.005] */
} cym_edition_spec;

/** The defaults of the edition keys (docs/cli.md): no edition, basis common, 0.005. */
#define CYM_EDITION_SPEC_INIT {.across = CYM_ACROSS_COMMON, .check_tolerance = 0.005}

/** One crosswalk row: old_code of one edition is new_code of the next (NULL: dropped). */
typedef struct cym_crosswalk_entry {
    char *old_code;
    char *new_code;      /**< NULL: no equivalent in the next edition */
    double factor;       /**< new raw value = old raw value * factor (> 0) [1] */
    unsigned long line;  /**< line in the crosswalk file */
    unsigned long col_new; /**< column of new_code (1 when absent), for messages */
    size_t edition;      /**< filled by cym_editions_load: the edition old_code leaves */
} cym_crosswalk_entry;

typedef struct cym_crosswalk {
    char *path;
    size_t n;
    cym_crosswalk_entry *e;
} cym_crosswalk;

/**
 * Reads a crosswalk CSV (`old_code,new_code,factor`; a row `old_code,` or with an empty
 * new_code says "no equivalent"; factor optional, default 1). Checks the form only (codes,
 * factor a finite number > 0, no old code twice); cym_editions_load checks it against the
 * editions. *out belongs to the caller (cym_crosswalk_free).
 */
cym_status cym_crosswalk_load(cym_crosswalk **out, const char *path, cym_error *err);

/** Frees a crosswalk. Accepts NULL. */
void cym_crosswalk_free(cym_crosswalk *cw);

/**
 * Sorts the declared editions by year and refuses gaps between them (overlaps are refused when
 * declared), with the file and line of the declaration. CYM_EUSAGE.
 */
cym_status cym_edition_spec_check(cym_edition_spec *spec, cym_error *err);

/** One edition of a run. */
typedef struct cym_edition {
    int year_from, year_to;   /**< as declared (0 = open) */
    char label[32];           /**< "2017-2019", "2020-" */
    cym_framework *fw;
    cym_dataset *ds;          /**< the data of its years only */
    cym_results *res;         /**< its pipeline run (NULL when no selected year has data) */
    double max_score;         /**< highest index score its framework allows (rebased basis) */
} cym_edition;

/**
 * What the editions of a run are loaded and scored with. `spec` and the path strings are
 * borrowed by the editions, and must outlive them.
 */
typedef struct cym_editions_options {
    const cym_edition_spec *spec; /**< the editions, crosswalk, basis and check-total */
    cym_pipeline_options run;     /**< the methods of every edition's run */
    cym_dataset_paths paths;      /**< countries.csv and the data (the rows of every edition) */
    cym_csv_format format;        /**< delimiter and decimal mark of the data */
} cym_editions_options;

/** The editions of a run and the comparable series across them. */
typedef struct cym_editions {
    cym_editions_options opts; /**< as loaded */
    size_t n;
    cym_edition *ed;          /**< by year */
    cym_crosswalk *cw;        /**< NULL without crosswalk */
    int across;               /**< CYM_ACROSS_* */
    int year0;                /**< first year scored by any edition */
    size_t n_years, n_units;  /**< years year0 .. year0 + n_years - 1; units of countries.csv */
    int *edition_of;          /**< [year]: edition index, -1 when no edition has scores */
    double *own;              /**< [unit][year]: the index as its edition scored it */
    double *basis;            /**< [unit][year]: the index on the comparable basis */
    double *basis_rank;       /**< [unit][year]: rank on the comparable basis (1 = highest) */
    size_t n_nodes;           /**< nodes of the newest framework (the joined node series) */
    unsigned char *node_on;   /**< [node]: 1 when the node has a series on the comparable basis */
    double *node_own;         /**< [node][unit][year]: the node as its year's edition scored it
                                   (NaN when that edition has no such node) */
    double *node_basis;       /**< [node][unit][year]: the node on the comparable basis */
    double *node_rank;        /**< [node][unit][year]: rank on the comparable basis */
    size_t n_common;          /**< common basis: indicators of the newest edition in common */
    cym_dataset *common_ds;   /**< common basis: every year on the newest framework */
    cym_results *common;      /**< common basis: its run (common indicators only) */
    int break_years[CYM_MAX_EDITIONS]; /**< first year of every edition after the first */
    size_t n_breaks;
    cym_warnings warnings;    /**< breaks, scale changes, dropped indicators */
} cym_editions;

/**
 * Loads every edition's framework and data (rows of other editions' years are skipped; a
 * year no edition covers is an error), and the crosswalk, checked against the editions.
 * *out belongs to the caller (cym_editions_free).
 */
cym_status cym_editions_load(cym_editions **out, const cym_editions_options *opts, cym_error *err);

/** Runs the pipeline of each edition and computes the comparable series of spec->across. */
cym_status cym_editions_run(cym_editions *e, cym_error *err);

/** Frees editions. Accepts NULL. */
void cym_editions_free(cym_editions *e);

/** Highest (top = 1) or lowest (top = 0) score node `node` can take in run `r`
 *  (the "points on a fixed maximum" of a checklist: binary 1, ordinal K, the normalisation's
 *  upper bound, weights as the run used them). NaN when the method has no bound. */
double cym_edition_node_bound(const cym_results *r, size_t node, int top);

/** The point grid step of `node` (sum-aggregated binary/ordinal items under --normalise
 *  none: the scores are multiples of it), or 0 when its scores lie on no grid. */
double cym_edition_node_step(const cym_results *r, size_t node);

/** One row of check_total.csv. */
typedef struct cym_check_row {
    size_t unit;
    int year;
    const char *edition;   /**< borrowed label, "" without editions */
    const char *series, *node; /**< borrowed codes */
    double published, computed, difference;
    const char *status;    /**< "ok", "mismatch", "off-grid", "out-of-range", "no-score" */
} cym_check_row;

typedef struct cym_check {
    size_t n, cap;
    cym_check_row *rows;
    size_t n_mismatch, n_grid, n_range, n_noscore;
} cym_check;

/**
 * Compares the published series of spec->check_total (`SERIES[:NODE]`, NODE default the
 * index) with the scores of `r`, appending a row per country-year with a published value.
 * CYM_EUSAGE for an unknown series or node.
 */
cym_status cym_check_total(cym_check *out, const cym_results *r, const cym_edition_spec *spec,
                           const char *edition, cym_error *err);

/** Frees the rows of a check (not the struct). */
void cym_check_free(cym_check *c);

/** cym_check_total over every edition of `e` (rows in edition order). */
cym_status cym_editions_check(cym_check *out, const cym_editions *e, cym_error *err);

/** The one-line summary of a check, e.g. for standard output. */
void cym_check_summary(char *buf, size_t n, const cym_check *c, const cym_edition_spec *spec);

#ifdef __cplusplus
}
#endif

#endif
