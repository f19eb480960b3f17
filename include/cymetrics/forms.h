/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_FORMS_H
#define CYM_FORMS_H

/**
 * Data collection forms (issue 17): one Excel workbook per country, `<CODE>.xlsx`, with a row
 * per indicator of the framework for the country's focal point to fill in, read back by
 * `cymetrics collect` (docs/formats.md "Submission workbooks", docs/cli.md "cymetrics forms").
 */

#include <stdio.h>

#include "cymetrics/dataset.h"
#include "cymetrics/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The version of the form layout, cell B4 of the hidden sheet `cymetrics`. */
#define CYM_FORM_VERSION 1

/** What `forms` writes: the year asked and the countries. */
typedef struct cym_forms_options {
    int year;           /**< the year the forms ask for; 0: the latest year of the data + 1 */
    char country[1024]; /**< the countries written, codes (any case) separated by commas;
                             "" every country of the dataset */
    /* the texts of the Instructions sheet and the workbook properties (borrowed, NULL: none):
       the dataset's name, title and source line */
    const char *name, *title, *source;
} cym_forms_options;

#define CYM_FORMS_OPTIONS_INIT {0, "", NULL, NULL, NULL}

/**
 * The year a form asks for with `opts` (NULL: defaults): opts->year, or the latest year of
 * the data + 1 (the current year when the dataset has no data).
 */
int cym_forms_year(const cym_dataset *ds, const cym_forms_options *opts);

/**
 * Writes `dir`/<CODE>.xlsx for each country of opts->country (every country of `ds` when
 * empty), in countries.csv order: the sheets Instructions, Data (one row per indicator of
 * ds->fw, with the country's latest earlier value and flag) and the hidden `cymetrics`
 * (country, year, dataset, form version). The bytes depend only on the inputs. `dir` must
 * exist. CYM_EUSAGE for an unknown country code or a year outside 1900-2100, CYM_EIO,
 * CYM_ENOMEM.
 */
cym_status cym_forms_write(const cym_dataset *ds, const cym_forms_options *opts, const char *dir,
                           cym_error *err);

/** What `collect` does besides reading the forms (the keys of [collect]). */
typedef struct cym_collect_options {
    char review[CYM_PATH_MAX]; /**< where the review goes: "" DATASET/.collect/review-<year>.csv,
                                    "-" the stream given to cym_collect */
    int dry_run;               /**< 1: write the review only, replace nothing */
} cym_collect_options;

#define CYM_COLLECT_OPTIONS_INIT {"", 0}

/** What a collect found: the forms read, their year, and the rows of the review. */
typedef struct cym_collect_summary {
    size_t forms;                   /**< forms read (<CODE>.xlsx in the folder) */
    int year;                       /**< the year of every form */
    size_t added, changed, removed; /**< rows of that year, against the dataset */
    size_t files;                   /**< country files replaced (0 with dry_run) */
    char review[CYM_PATH_MAX];      /**< the review file written, or "" (a stream) */
} cym_collect_summary;

/**
 * Reads every `<CODE>.xlsx` of `forms_dir` (forms of cym_forms_write, filled in) and merges
 * each form's year into `<CODE>.csv` of the dataset folder `dataset_dir`, whose countries and
 * framework `ds` holds (loaded from it): that year's rows replaced by the form's (a row per
 * indicator with a value, a flag or a source), the other rows kept in their order, the new
 * rows where the year's rows were (else before the first later year). Every form is checked
 * before anything is written, each problem added to `errors` (`VNM.xlsx:Data!E14: ...`;
 * CYM_EDATA returned when there is one). Then the review (one row per indicator whose value,
 * flag or source changes: country, indicator, year, old and new value and flag, kind
 * added/changed/removed) is written to opts->review, or `review_stream` when that is "-";
 * then, unless dry_run, the country files are replaced as one set: every new file staged
 * and synced in DATASET/.collect/, the old ones kept there, then renamed into place; a
 * failure half-way puts the old files back, and an interrupted collect is undone by the next
 * (docs/cli.md "cymetrics collect"). The forms are never modified. CYM_EUSAGE (a folder
 * without forms, forms of several years, a wide or combined data file), CYM_EIO, CYM_ENOMEM.
 */
cym_status cym_collect(cym_collect_summary *out, const cym_dataset *ds, const char *forms_dir,
                       const char *dataset_dir, const cym_collect_options *opts,
                       FILE *review_stream, cym_error_list *errors, cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
