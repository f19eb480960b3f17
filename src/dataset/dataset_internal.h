/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_DATASET_INTERNAL_H
#define CYM_DATASET_INTERNAL_H
/*
 * Shared by the files of the dataset loader: dataset.c (the entry points and the order of the
 * work), countries.c (countries.csv), data.c (one data file, row by row) and cube.c (the
 * units x years x series cube: its year window and its table of flags). Also the row checks
 * the COINr import uses on its own tables.
 */
#include "core/strmap.h"
#include "cymetrics/dataset.h"
#include "io/csv.h"

/* the years a data file may hold */
#define CYM__YEAR_MIN 1900
#define CYM__YEAR_MAX 2100

/* in the column of a year's first row (cym_dataset.year_site_): the row is a workbook's, at
   the unit's `workbook` (or its `file` when it has no CSV file), sheet Data */
#define CYM__SITE_WORKBOOK 0x80000000u

/* ---- checks of the rows of any input table ---------------------------------------------- */

/**
 * Completes `fmt` for the opened file `f`: a delimiter or decimal mark left 0 (auto) is
 * detected from its first bytes (cym__csv_file_detect); a detected delimiter that is the
 * forced decimal mark is CYM_EDATA.
 */
cym_status cym__dataset_file_format(cym__csv_file *f, cym_csv_format *fmt, cym_error *err);

/**
 * A header read as one field holding the other usual delimiter: the file was exported with
 * another separator (spreadsheets in many locales write ';' and decimal commas). CYM_EDATA
 * naming `path`.
 */
cym_status cym__dataset_check_delimiter(const cym__csv_row *row, const char *path, char delim,
                                        cym_error *err);

/** A row with another number of fields than the header's `n_header`: CYM_EDATA at the row. */
cym_status cym__dataset_check_width(const cym__csv_row *row, size_t n_header, const char *path,
                                    cym_error *err);

/**
 * An error the load may go on after: with a list (cym_dataset_options.errors), a CYM_EDATA
 * `st` is added to it from `err` and CYM_OK returned, so the caller skips what failed;
 * otherwise `st` itself.
 */
cym_status cym__dataset_soft(cym_error_list *errors, cym_status st, const cym_error *err);

/** How a load goes on after errors of the data (NULL: it stops at the first). */
typedef struct cym__going_on {
    cym_error_list *list; /* where the errors go */
    /* countries.csv had errors: a country it does not list is not reported, as its row may
       be the one in error */
    int countries_failed;
} cym__going_on;

/* ---- the readers ------------------------------------------------------------------------ */

/**
 * Reads countries.csv at `path` into ds->units and ds->group_cols (a dataset with no units
 * yet). CYM_EDATA for a bad header, code, name or duplicate, and when there is no country;
 * with `errors` (may be NULL), the errors of rows go there and the rows are skipped.
 */
cym_status cym__dataset_read_countries(cym_dataset *ds, const char *path, const cym__csv_opts *opts,
                                       cym_error_list *errors, cym_error *err);

/**
 * Reads one data file into the cube: `unit` is the country of a per-country file, -1 for a
 * combined file (with a `country` column looked up in `units`); `series` maps the codes to
 * series indices. `opened` is `path` already opened (cym__csv_open, e.g. by
 * cym__dataset_presize; the caller closes it), or NULL to open it here. A CSV file's SHA-256
 * and size go to the unit's digest (the dataset's data_digest for a combined file). Safe to
 * call for several files at once (see data.c). With `go` (may be NULL), the errors of rows
 * and values go to its list and the file is read on; an error of the CSV syntax is returned,
 * as without.
 */
cym_status cym__dataset_load_file(cym_dataset *ds, const char *path, cym__csv_file *opened,
                                  long unit, const cym__strmap *units, const cym__strmap *series,
                                  const cym_csv_format *fmt, const cym_dataset_filter *filter,
                                  const cym__going_on *go, cym_error *err);

/** 1 when `path` names a submission workbook (ends in ".xlsx", any case). */
int cym__dataset_is_workbook(const char *path);

/**
 * Reads the submission workbook `path` of the country `code` (docs/formats.md, "Submission
 * workbooks") and calls `fn` as cym__csv_read would for a long per-country file: a header
 * (indicator, year, value, flag, source) then a row per filled row of the sheet Data, the
 * year the form's, each field at its cell (line = row, col = column; the caller puts the
 * errors on the sheet Data, cym_error_set_sheet). A cell no CSV value can be (a percentage,
 * a date, a boolean, an error value, a formula with no result, a merged value cell) is
 * CYM_EDATA at the cell; with `errors`, such errors go there and the row is skipped. Hidden
 * rows and columns are read, with a warning in `warnings`.
 */
cym_status cym__dataset_read_workbook(const char *path, const char *code, cym__csv_row_fn fn,
                                      void *ctx, cym_error_list *errors, cym_warnings *warnings,
                                      cym_error *err);

/* ---- the cube --------------------------------------------------------------------------- */

/** Makes room for `year` in the cube (which may move). CYM_ENOMEM. */
cym_status cym__dataset_ensure_year(cym_dataset *ds, int year, cym_error *err);

/** Shrinks the cube's years to those that have at least one row. CYM_ENOMEM. */
cym_status cym__dataset_trim_years(cym_dataset *ds, cym_error *err);

/**
 * Sizes the cube for the years of the first rows of the opened file `f` when it has no years
 * yet (errors are left for the real load to report, which reads `f` again from its start).
 * CYM_ENOMEM.
 */
cym_status cym__dataset_presize(cym_dataset *ds, cym__csv_file *f, const cym_csv_format *fmt,
                                cym_error *err);

/**
 * Adds `add` to the count of `flag` in the table flags[0..*n); *index (may be NULL) gets
 * 1 + its position, or 0 when the flag is empty or the table is full. CYM_ENOMEM.
 */
cym_status cym__dataset_count_flag(cym_flag_count **flags, size_t *n, const char *flag, size_t add,
                                   uint16_t *index, cym_error *err);

/** Frees a table flags[0..n) made by cym__dataset_count_flag. Accepts NULL. */
void cym__dataset_flags_free(cym_flag_count *flags, size_t n);

/** Sorts ds->flags by name and renumbers the cells' references to them. CYM_ENOMEM. */
cym_status cym__dataset_sort_flags(cym_dataset *ds, cym_error *err);

#endif
