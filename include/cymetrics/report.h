/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_REPORT_H
#define CYM_REPORT_H

/**
 * The report of a run, for people: report.html (one self-contained file: charts embedded as
 * SVG data URIs, CSS inline, no script, no network fetch, prints to PDF) and report.md (the
 * same text and tables without charts). A title page from the dataset configuration, key
 * findings written from the numbers, ranking and composition charts, the summary table,
 * trends, a profile per country, the methodology actually used with its formulas, data
 * coverage and imputation, warnings, and the inputs with their SHA-256.
 *
 * Every text that comes from the inputs (names, titles, labels, group values, paths) is
 * escaped, so nothing in the data can inject markup or script; the HTML also carries a
 * Content-Security-Policy that forbids scripts and every fetch.
 *
 * The summary tables alone (tables.md, tables.html, results.xlsx, results.json) are written
 * by cym_run_write (cymetrics/run.h), as cym_output_options.tables asks.
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/tables.h"
#include "cymetrics/trend.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cym_uncertainty;

/** Writes the whole report rather than one country's profile (cym_report_write `unit`). */
#define CYM_REPORT_ALL ((size_t)-1)

/** What the report and the summary tables are written with. */
typedef struct cym_report_options {
    cym_output_options output;         /**< texts, formats, decimals */
    cym_trend_spec trend;              /**< the trends' basis and level, strengths listed */
    cym_provenance provenance;         /**< the dataset, configuration and settings shown */
    const struct cym_uncertainty *unc; /**< the run's uncertainty analysis, or NULL */
    const cym_trends *trends; /**< the trends of the run computed with `trend` (e.g. kept by
                                   cym_run_set_write), or NULL: the report computes them */
} cym_report_options;

/**
 * Writes the report of run `r` into `outdir`, atomically: report.html and report.md, or with
 * `unit` a country (position in r->ds->units) only its profile, as report-<CODE>.html and
 * report-<CODE>.md. opts->unc (may be NULL): an uncertainty analysis of the same run, for the
 * findings on uncertain ranks. A chart that cannot be drawn is left out of
 * the report with a note, and one line naming it is added to `failed` (may be NULL); the
 * report is still written. Statuses: CYM_EUSAGE (unit out of range), CYM_EIO (the folder or an
 * input for the provenance cannot be read or written), CYM_ENOMEM.
 */
cym_status cym_report_write(const cym_results *r, const cym_report_options *opts, size_t unit,
                            const char *outdir, cym_warnings *failed, cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
