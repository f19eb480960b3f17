/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_OUTPUT_H
#define CYM_OUTPUT_H

/**
 * Writing the results of a run: the machine tables (scores.csv, index.csv, data.csv,
 * treatment.csv, weights.csv), warnings.txt and manifest.json, all atomically: each file is
 * written under a temporary name and renamed into place only when every file was written.
 */

#include "cymetrics/error.h"
#include "cymetrics/format.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Writes the tables of `r` (run with options `o`) into the folder `outdir`, created if needed.
 * `seconds` is the run time recorded in the manifest (its only field that changes between
 * identical runs). Refuses (CYM_EUSAGE) an output folder that is an input folder. On failure
 * nothing of this run is left in `outdir` and earlier results are untouched.
 */
cym_status cym_output_run(const cym_results *r, const cym_options *o, const char *outdir,
                          double seconds, cym_error *err);

struct cym_uncertainty;

/**
 * cym_output_run, with the results of an uncertainty analysis of the same run (may be NULL)
 * included in results.json. Also writes the summary tables of o->tables (tables.md,
 * tables.html, results.xlsx, results.json; docs/formats.md).
 */
cym_status cym_output_run_with(const cym_results *r, const cym_options *o,
                               const struct cym_uncertainty *unc, const char *outdir,
                               double seconds, cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
