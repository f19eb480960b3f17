/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_TABLES_H
#define CYM_TABLES_H

/**
 * The machine tables: CSV files other programs read, numbers as cym_format_double writes them, missing values as
 * empty cells, rows in a fixed order, each folder written atomically (docs/formats.md). Also
 * the settings of what a run writes for people (cym_output_options), shared by the tables,
 * the charts and the report.
 */

#include <stddef.h>

#include "cymetrics/dataset.h"
#include "cymetrics/error.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/target.h"
#include "cymetrics/trend.h"
#include "cymetrics/uncertainty.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Chart formats (cym_output_options.charts, a set of bits). */
#define CYM_CHARTS_PNG 1u
#define CYM_CHARTS_SVG 2u
#define CYM_CHARTS_PDF 4u

/** Table formats (cym_output_options.tables, a set of bits); the CSV tables are always written. */
#define CYM_TABLES_CSV 1u
#define CYM_TABLES_MD 2u    /**< tables.md */
#define CYM_TABLES_HTML 4u  /**< tables.html */
#define CYM_TABLES_XLSX 8u  /**< results.xlsx */
#define CYM_TABLES_JSON 16u /**< results.json */
#define CYM_TABLES_ALL 31u  /**< the default: every format above (not sqlite) */
#define CYM_TABLES_SQLITE 32u /**< results.sqlite: every CSV table as a typed SQL table */

/**
 * What a run writes for people and how ([output] keys of docs/cli.md, and the dataset's
 * display name and texts): read by the tables, the charts, the report and the run.
 */
/** At most this many highlighted countries: one colour of the chart palette each. */
#define CYM_MAX_HIGHLIGHT 12

typedef struct cym_output_options {
    char name[128];     /**< dataset name (defaults to the folder name) */
    char title[256];    /**< report and chart title ("" = the index's name) */
    char subtitle[256];
    char source[512];   /**< the source line under every chart and table */
    unsigned charts;    /**< CYM_CHARTS_* formats to draw, 0 = none [png] */
    char highlight[256]; /**< country codes highlighted in charts, "A,B,C" ("" = top 5), at
                              most CYM_MAX_HIGHLIGHT */
    unsigned tables;    /**< CYM_TABLES_* formats of the summary tables [all but sqlite] */
    int decimals;       /**< decimals of scores in human tables and the report [1] */
    int report;         /**< 1: a run writes report.html and report.md [1] */
    int audit_pairs;    /**< the cym_audit_pairs of audit/correlations.csv [auto, 0] */
} cym_output_options;

/** The defaults of the [output] keys: PNG charts, every table, one decimal, the report. */
#define CYM_OUTPUT_OPTIONS_INIT                                                                    \
    {.charts = CYM_CHARTS_PNG, .tables = CYM_TABLES_ALL, .decimals = 1, .report = 1,               \
     .audit_pairs = 0}

/**
 * Where a run's numbers came from, for manifest.json and the report: the dataset's name, the
 * configuration file read, and every setting as text in the order of the option table (the
 * command line fills it: cym_options_provenance). Strings borrowed.
 */
typedef struct cym_provenance {
    const char *dataset;       /**< the dataset's name */
    const char *base;          /**< the output folder: input paths are recorded relative to it
                                    (canonical, so any spelling gives the same text), or NULL
                                    for the paths as given */
    const char *config;        /**< the INI file read, or NULL */
    size_t n_settings;
    const char *const *keys;   /**< [n_settings] */
    const char *const *values; /**< [n_settings] */
} cym_provenance;

/**
 * Writes yoy.csv, trends.csv, compare.csv and strengths.csv of run `r` into `outdir`
 * (created if needed), atomically (`cymetrics trends`; `cymetrics run` writes them with its
 * other tables). The trends' warnings are appended to `warnings` (may be NULL).
 */
cym_status cym_trends_write(const cym_results *r, const cym_trend_spec *spec, const char *outdir,
                            cym_warnings *warnings, cym_error *err);

/**
 * Writes targets.csv (country,year,step,code,name,pillar,current,target_value,gain,
 * score_after) of plan p into `outdir`, atomically.
 */
cym_status cym_target_write(const cym_target_plan *p, const cym_results *r, const char *outdir,
                            cym_error *err);

/**
 * Writes uncertainty.csv, rank_frequency.csv, and with Sobol sensitivity.csv, with keep-runs
 * runs.csv, into `outdir` atomically (all or nothing).
 */
cym_status cym_uncertainty_write(const cym_uncertainty *u, const char *outdir, cym_error *err);

/**
 * What `cymetrics validate` found, for its JSON document (docs/formats.md, "validate --format
 * json"). Everything is borrowed; any pointer may be NULL (`ds` is NULL when the data did not
 * load).
 */
typedef struct cym_validation {
    const char *dataset;          /**< the dataset's name */
    const cym_error_list *errors; /**< the errors, sorted (cym_error_list_sort) */
    const cym_warnings *warnings;
    const cym_dataset *ds; /**< the loaded data, for its counts */
} cym_validation;

/**
 * The JSON document of `v` (pretty-printed, ASCII, ending with a newline) into *out, which
 * belongs to the caller (free()). CYM_ENOMEM.
 */
cym_status cym_validation_json(char **out, const cym_validation *v, cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
