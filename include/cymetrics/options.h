/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_OPTIONS_H
#define CYM_OPTIONS_H

/**
 * The run configuration: where the data is and which methods to use. Read from an INI file
 * (`cymetrics.ini`) and overridden key by key from the command line; both go through
 * cym_options_set, so a key means the same thing in both places. Every key is one row of one
 * table (src/config/option_table.c): its section, type, allowed values, default, help and
 * field; the reader, the setter, the getter, the defaults and the key list in docs/cli.md all
 * come from that row (cym_options_info lists them).
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/methods.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CYM_PATH_MAX 4096

/** Chart formats (cym_options.charts, a set of bits). */
#define CYM_CHARTS_PNG 1u
#define CYM_CHARTS_SVG 2u
#define CYM_CHARTS_PDF 4u

/** Table formats (cym_options.tables, a set of bits); the CSV tables are always written. */
#define CYM_TABLES_CSV 1u
#define CYM_TABLES_MD 2u    /**< tables.md */
#define CYM_TABLES_HTML 4u  /**< tables.html */
#define CYM_TABLES_XLSX 8u  /**< results.xlsx */
#define CYM_TABLES_JSON 16u /**< results.json */
#define CYM_TABLES_ALL 31u

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
} cym_trend_spec;

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
 * edition_options.c). No edition declared: one framework for every year, as before.
 */
typedef struct cym_edition_spec {
    size_t n;
    cym_edition_decl ed[CYM_MAX_EDITIONS]; /**< in declaration order */
    char crosswalk[CYM_PATH_MAX];          /**< old_code,new_code,factor file, or "" */
    int across;                            /**< CYM_ACROSS_* [common] */
    char check_total[256];                 /**< "SERIES[:NODE],..." published totals, or "" */
    double check_tolerance;                /**< absolute tolerance of check-total [0.005] */
} cym_edition_spec;

typedef struct cym_options {
    /* dataset */
    char name[128];      /**< dataset name (defaults to the folder name) */
    char title[256], subtitle[256], source[512];
    char framework[CYM_PATH_MAX];
    char countries[CYM_PATH_MAX];
    char data[CYM_PATH_MAX];
    char config[CYM_PATH_MAX]; /**< the INI file read, or "" */
    char delimiter;            /**< field separator of countries and data files [,] */
    char decimal;              /**< decimal mark of data values [.] */
    /* pipeline: years (of [dataset]) and methods ([run]) */
    cym_pipeline_options run;
    int has_agg;               /**< 1 when `aggregate` was set explicitly */
    char expert_weights[CYM_PATH_MAX]; /**< expert weights file (cymetrics/experts.h), or "" */
    int weight_combine;        /**< cym_weight_combine of the experts' weights [mean] */
    /* output */
    char out[CYM_PATH_MAX];
    unsigned charts;           /**< CYM_CHARTS_* formats to draw, 0 = none [png] */
    char highlight[256];       /**< country codes highlighted in charts, "A,B,C" ("" = top 5) */
    unsigned tables;           /**< CYM_TABLES_* formats of the summary tables [all] */
    int decimals;              /**< decimals of scores in human tables and the report [1] */
    int report;                /**< 1: `run` writes report.html and report.md [1] */
    /* uncertainty */
    cym_unc_spec unc;
    /* trends and comparisons */
    cym_trend_spec trend;
    /* framework editions and published composites */
    cym_edition_spec edition;
} cym_options;

/** The defaults of docs/cli.md: each key's default text read by its own setter. */
void cym_options_default(cym_options *o);



/**
 * Sets one key ("impute", "normalise", "range", ... as in docs/cli.md; '_' and '-' are the
 * same) from its text. CYM_EUSAGE with a message naming the key when the key is unknown or
 * the value invalid. Paths are stored as given.
 */
cym_status cym_options_set(cym_options *o, const char *key, const char *value, cym_error *err);

/**
 * Reads an INI file into `o`. Relative paths in it are resolved against the file's folder.
 * Unknown sections and keys are errors with the line (CYM_EUSAGE).
 */
cym_status cym_options_load_ini(cym_options *o, const char *path, cym_error *err);

/** 1 when `key` is a known option key. */
int cym_options_is_key(const char *key);

/** Parses "threshold:label,..." or "p90:label,..." tiers into `o` (exposed for tests). */
cym_status cym_tiers_parse(cym_options *o, const char *text, cym_error *err);

/** The i-th option key (canonical spelling), or NULL past the last: for listing settings. */
const char *cym_options_key(size_t i);

/** What the table says of one key, for help texts and docs/cli.md. Every string is static. */
typedef struct cym_option_info {
    const char *name;    /**< canonical key, the INI key and the option --NAME ("skew-max") */
    const char *section; /**< INI section ("run") */
    const char *type;    /**< "bool", "int", "long", "double", "string", "path", "enum",
                              "list", "method-spec" or "custom" */
    const char *help;    /**< the values it takes and what it does: one line, Markdown with
                              code in `backquotes` */
    const char *def;     /**< the default as cym_options_set reads it, or NULL when the
                              default is "not set" (empty text, no bound, no list) */
    const char *def_doc; /**< the default in words where `def` does not say it ("the folder
                              name"), or NULL */
} cym_option_info;

/**
 * The i-th key of the table, in the order of cym_options_key, or NULL past the last.
 * Borrowed: static data.
 */
const cym_option_info *cym_options_info(size_t i);

/**
 * Writes the effective value of `key` as text (the form cym_options_set accepts) into
 * buf[0..n). Returns CYM_OK, or CYM_EUSAGE for an unknown key.
 */
cym_status cym_options_get(const cym_options *o, const char *key, char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
