/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_DATASET_H
#define CYM_DATASET_H

/**
 * The dataset: countries (units), and every indicator value they reported, loaded into one
 * dense cube of units x years x series (NaN = missing), with the source line of each cell.
 */

#include <stddef.h>
#include <stdint.h>

#include "cymetrics/cube.h"
#include "cymetrics/error.h"
#include "cymetrics/framework.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One country. Strings owned by the dataset. */
typedef struct cym_unit {
    char code[4];      /**< three capital letters */
    char *name;        /**< UTF-8 */
    char **groups;     /**< one value per group column ("" when empty) */
    char *file;        /**< data file it was read from (<CODE>.csv, or <CODE>.xlsx when
                            there is no CSV file), or NULL when it has none */
    unsigned long line; /**< line in countries.csv */
    char *workbook;    /**< a submission workbook <CODE>.xlsx read beside `file` (a CSV
                            file), or NULL */
    cym_input_digest digest; /**< of `file` as read when it is a CSV file, else "" */
} cym_unit;

/** At most this many distinct flags are told apart; further ones count as none. */
#define CYM_MAX_FLAGS 1000
/** Longest text of a flag, in bytes. */
#define CYM_FLAG_MAX_LEN 100

/** How a value was flagged in the data (`flag` column), with its count. */
typedef struct cym_flag_count {
    char *flag;
    size_t count;
} cym_flag_count;

typedef struct cym_dataset {
    const cym_framework *fw; /**< borrowed: must outlive the dataset */
    char *countries_path;
    char *data_path;         /**< the folder of per-country files, or the combined file */
    size_t n_units;
    cym_unit *units;         /**< in countries.csv order */
    size_t n_group_cols;
    char **group_cols;       /**< names of the group columns of countries.csv */
    int year0;               /**< first year with a data row */
    size_t n_years;          /**< years year0 .. year0 + n_years - 1 (0 when no data) */
    size_t n_series;         /**< fw->n_nodes framework nodes, then fw->n_denominators, then
                                  n_extra further series */
    double *values;          /**< [unit][year][series], NaN = missing */
    uint32_t *lines;         /**< same layout: source line of the cell's row, 0 = no row;
                                  NULL after cym_dataset_drop_lines */
    uint16_t *flag_of;       /**< same layout: 1 + index into `flags` of the row's flag, 0 none */
    size_t n_rows;           /**< data rows read */
    size_t n_rows_missing;   /**< of which the value was a missing-value token */
    size_t n_flags;
    cym_flag_count *flags;   /**< distinct values of the `flag` column, by name */
    cym_warnings warnings;   /**< countries without data, indicators with no value, ... */
    void *unit_index_;       /**< private: code look-up table */
    size_t n_extra;          /**< further series read beside the framework's (published
                                  totals, cym_dataset_filter.extra) */
    char **extra;            /**< their codes, series fw->n_nodes + fw->n_denominators + k */
    uint32_t *year_site_;    /**< private, while loading: per year from 1900, the first row
                                  with data (unit, line, column of the year) */
    cym_input_digest countries_digest; /**< of countries_path, as read */
    cym_input_digest data_digest;      /**< of data_path, as read, when it is one combined
                                            file ("" for a folder: see each unit's) */
} cym_dataset;

/** Where the data comes from. */
typedef struct cym_dataset_paths {
    const char *countries; /**< countries.csv */
    const char *data;      /**< folder of <CODE>.csv files, or one combined long CSV file */
} cym_dataset_paths;

/** How the countries and data files are written (the framework is always plain CSV). */
typedef struct cym_csv_format {
    char delimiter; /**< field separator: 0 = each file's own (detected), ',', ';', '|' or '\t' */
    char decimal;   /**< decimal mark of the values: 0 = each file's own (detected), '.' or ',' */
} cym_csv_format;

/**
 * What to read of the data, for framework editions and published totals (all fields may be 0
 * or NULL). Rows are routed in this order: a year outside [cover_from, cover_to] is an error
 * (no edition scores it); a year outside [year_from, year_to] is skipped (another edition's);
 * `recode` (when set) may rename the code (scaling the value by *factor) or skip the row;
 * the code must then be a framework node, denominator or `extra` series.
 */
typedef struct cym_dataset_filter {
    int year_from, year_to;   /**< rows of other years are skipped (0 = no bound) */
    int cover_from, cover_to; /**< rows of years outside are errors (0 = no bound) */
    const char *cover_what;   /**< for that message, e.g. "the editions of cymetrics.ini" */
    size_t n_extra;
    const char *const *extra; /**< further series codes (e.g. a published total) */
    /**
     * Called with each row's code and year: returns 0 to skip the row, 1 to read it as *to
     * (borrowed, valid during the load) with the value multiplied by *factor, 2 to read it as
     * it is.
     */
    int (*recode)(void *ctx, const char *code, int year, const char **to, double *factor);
    void *recode_ctx;
    /**
     * The countries to read (NULL or "": all): items separated by commas, each a code of
     * countries.csv in any case or COLUMN=VALUE of one of its group columns; a country is read
     * when any item names it. The others are left out of the dataset and their data files
     * and rows are skipped. An item naming no country is CYM_EUSAGE, with the closest code,
     * column or value.
     */
    const char *select;
} cym_dataset_filter;

/** How to read a dataset: CYM_DATASET_OPTIONS_INIT (or NULL) reads everything, ',' and '.'. */
typedef struct cym_dataset_options {
    /** For files exported by a spreadsheet in another locale, e.g. ';' and ',' for "1,5".
        With the decimal comma, a '.' in a value is an error (it may be a thousands
        separator). */
    cym_csv_format format;
    /** What to read of the data (NULL: everything). In a wide file, an unknown code whose
        values in the selected years are all missing is then skipped (a row of another
        edition). */
    const cym_dataset_filter *filter;
    /** NULL: the load stops at the first error. Else it goes on after each error of the
        data (CYM_EDATA) where the rest does not depend on what failed, and adds every error
        to this list (see cym_dataset_load). */
    cym_error_list *errors;
    /** The years the caller will use (0 = no bound; --years): the bound on the span of the
        years with data (cym_dataset_load) looks at these years only. */
    int years_from, years_to;
} cym_dataset_options;

#define CYM_DATASET_OPTIONS_INIT {{',', '.'}, NULL, NULL, 0, 0}

/**
 * Loads and validates countries and data against `fw` (borrowed), as `opts` says (NULL:
 * CYM_DATASET_OPTIONS_INIT). On success *out belongs to the caller (cym_dataset_free). Every
 * data row is either loaded or reported as an error. CYM_EUSAGE when the format itself is
 * invalid, or an extra series code of the filter is a framework code or named twice.
 *
 * With opts->errors, a data error does not stop the load: a bad row of countries.csv is
 * skipped (a country with an empty name is kept, so its data is still checked), a bad row of
 * a data file is skipped, and in a wide row each value is checked on its own; a file whose
 * header or CSV syntax is wrong is skipped from there on, and the other files are still
 * read. What depends on a failed part is not checked: no data when countries.csv yields no
 * country or cannot be read to its end. Other failures (I/O, memory) stop the load at once.
 * Every error goes into the list; when there is any, the load fails with the first of the
 * list in file, line, column order in `err` and its status, and *out stays NULL.
 */
cym_status cym_dataset_load(cym_dataset **out, const cym_framework *fw,
                            const cym_dataset_paths *paths, const cym_dataset_options *opts,
                            cym_error *err);

/** Frees a dataset. Accepts NULL. */
void cym_dataset_free(cym_dataset *ds);

/**
 * Frees the source lines of the cells (`lines`, NULL after): the load's own checks and
 * messages read them, nothing computed from the data does, and they are 4 bytes a cell (80 MB
 * at 2,000 countries x 500 indicators x 20 years). For a caller that only computes from the
 * loaded data (the pipeline and what follows). Accepts NULL.
 */
void cym_dataset_drop_lines(cym_dataset *ds);

/** Index into values/lines of (unit, year index, series): cym_cube_cell of the data's shape. */
static inline size_t cym_dataset_cell(const cym_dataset *ds, size_t unit, size_t year,
                                      size_t series)
{
    cym_cube c = {ds->n_units, ds->n_years, ds->n_series};
    return cym_cube_cell(&c, unit, year, series);
}

/** Index of the unit with `code`, or -1. */
long cym_dataset_find_unit(const cym_dataset *ds, const char *code);

/** Index of the group column `name`, or -1. */
long cym_dataset_find_group(const cym_dataset *ds, const char *name);

/** Series index of a framework node, denominator or extra series code, or -1. */
long cym_dataset_find_series(const cym_dataset *ds, const char *code);

/** Data coverage over a range of years: what share of the indicator cells has a value. */
typedef struct cym_coverage {
    int year_from, year_to;      /**< the range covered (clipped to the data) */
    size_t cells, present;       /**< units x years x indicators, and how many have a value */
    size_t *missing_by_indicator; /**< [fw->n_indicators], in framework order */
    size_t *missing_by_unit;      /**< [n_units] */
    size_t *missing_by_year;      /**< [year_to - year_from + 1] */
} cym_coverage;

/**
 * Counts present and missing indicator cells of `ds` for years [year_from, year_to] (0 = no
 * bound). *out is filled and its arrays belong to the caller (cym_coverage_free).
 */
cym_status cym_dataset_coverage(cym_coverage *out, const cym_dataset *ds, int year_from,
                                int year_to, cym_error *err);

/** Frees the arrays of a coverage (not the struct). Accepts NULL. */
void cym_coverage_free(cym_coverage *cov);

#ifdef __cplusplus
}
#endif

#endif
