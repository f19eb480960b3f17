/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_DATABASE_H
#define CYM_DATABASE_H
/*
 * results.sqlite: the machine tables of a run in one SQLite database (`--tables sqlite`,
 * docs/formats.md, "results.sqlite"). Written by `run` after every CSV table of the set.
 */
#include "cymetrics/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The database's file name in an output folder. */
#define CYM_DATABASE_FILE "results.sqlite"

/**
 * Writes `dir`/results.sqlite with one table per CSV table under `dir` (its sub-folders
 * included: audit/correlations.csv is the table audit_correlations), with the CSV's rows in
 * order, typed columns (TEXT, INTEGER, REAL; an empty cell is NULL) and indexes led by its
 * country, code (or indicator) and year columns, in one transaction. `dir` is a result set's
 * staging folder (cym_run_set_path), written when every CSV table is there: the database is
 * made under a temporary name and renamed into place only when complete. Same CSV bytes, same
 * database bytes. CYM_EIO (a file that cannot be read or written, named), CYM_ENOMEM;
 * CYM_EINTERNAL for a CSV table that is not one (a row of another width than its header).
 */
cym_status cym_database_write(const char *dir, cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
