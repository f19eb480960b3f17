/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_RUN_H
#define CYM_RUN_H

/**
 * Writing the results of a run: the machine tables (scores.csv, index.csv, data.csv,
 * treatment.csv, weights.csv), warnings.txt and manifest.json, all atomically: each file is
 * written under a temporary name and renamed into place only when every file was written.
 */

#include <stdio.h>

#include "cymetrics/edition.h"
#include "cymetrics/error.h"
#include "cymetrics/format.h"
#include "cymetrics/report.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a run writes, and with what (the output, trends, provenance and uncertainty of the
 *  report options, the check of published totals). Pointers borrowed for the call. */
typedef struct cym_run_options {
    cym_report_options report;       /**< texts, formats, trends, provenance, uncertainty */
    const cym_edition_spec *edition; /**< check-total (its series and tolerance), or NULL */
    double seconds; /**< the run time manifest.json records (its only field that changes
                         between identical runs) */
} cym_run_options;

/**
 * Writes the results of `r` into the folder `outdir`, created if needed: the machine tables,
 * the audit, the trends and comparisons, the summary tables opts->report.output.tables asks
 * for (tables.md, tables.html, results.xlsx, results.json; docs/formats.md), next_tier.csv,
 * check_total.csv with check-total, and manifest.json last. Refuses (CYM_EUSAGE) an output
 * folder that is an input folder. On failure nothing of this run is left in `outdir` and
 * earlier results are untouched.
 */
cym_status cym_run_write(const cym_results *r, const cym_run_options *opts, const char *outdir,
                          cym_error *err);

/**
 * Writes every edition's tables into outdir/edition-<label>/ (as cym_run_write) and the
 * combined tables into outdir: scores.csv (with an `edition` column), editions.csv,
 * editions_index.csv, yoy.csv and trends.csv across the editions (every node with a comparable
 * series, docs/methodology.md "Framework editions"), warnings.txt and, with
 * check-total, check_total.csv. Each folder is written atomically.
 */
cym_status cym_run_write_editions(const cym_editions *e, const cym_run_options *opts,
                              const char *outdir, cym_error *err);

/**
 * Draws the trends and bump charts of the comparable series, with the breaks marked, into
 * outdir/charts/, and each edition's charts into its folder. Failures as cym_plot_run.
 */
cym_status cym_run_plot_editions(const cym_editions *e, const cym_output_options *opts, const char *outdir,
                             cym_warnings *failed, cym_error *err);

/** Writes check_total.csv (header and rows; countries of `ds`). */
cym_status cym_run_write_check(FILE *f, const cym_check *c, const cym_dataset *ds);

#ifdef __cplusplus
}
#endif

#endif
