/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_FORMS_H
#define CYM_FORMS_H

/**
 * Data collection forms (issue 17): one Excel workbook per country, `<CODE>.xlsx`, with a row
 * per indicator of the framework for the country's focal point to fill in, read back by
 * `cymetrics collect` (docs/formats.md "Submission workbooks", docs/cli.md "cymetrics forms").
 */

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

#ifdef __cplusplus
}
#endif

#endif
