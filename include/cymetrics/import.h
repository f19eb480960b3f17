/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_IMPORT_H
#define CYM_IMPORT_H

/**
 * Importers that turn other tools' tables into a cymetrics dataset folder.
 */

#include "cymetrics/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Converts COINr input tables (`iData`: one row per unit and time, `iMeta`: one row per
 * indicator, aggregate, group or denominator) exported as CSV into a dataset folder `outdir`:
 * framework.csv, countries.csv, one <CODE>.csv per unit (long form, values copied verbatim),
 * cymetrics.ini and README.md (provenance with SHA-256 of both tables). `year` is used when
 * iData has no `Time` column (0: then a Time column is required). `name` names the dataset.
 * Every file is written atomically; on failure nothing is left in `outdir`.
 */
cym_status cym_import_coinr(const char *idata, const char *imeta, const char *outdir,
                            const char *name, int year, cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
