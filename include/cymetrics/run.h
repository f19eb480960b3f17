/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_RUN_H
#define CYM_RUN_H

/**
 * Writing the results of a run as one result set: every file a command writes goes into a
 * staging folder beside the output folder, and the set is swapped into place whole at the end
 * (docs/security.md "Atomic results"): the output folder holds the earlier set or the new one,
 * never a mixture, and no file the new set does not hold.
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
 * One result set being written (opaque). Begin it for an output folder, have every writer
 * write into cym_run_set_path(), commit it, free it:
 *
 *     cym_run_set_begin(&set, "reports/x", &err);
 *     cym_run_set_write(set, res, &opts, &err);
 *     cym_plot_run(res, &out, cym_run_set_path(set), &failed, &err);
 *     cym_run_set_commit(set, &err);   // manifest.json last, then the swap
 *     cym_run_set_free(set);           // not committed: the stage is removed
 */
typedef struct cym_run_set cym_run_set;

/**
 * Begins a set for the output folder `outdir` (its parent created if needed): takes the lock
 * `<parent>/.<name>.lock` (held by another command: CYM_EIO at once, no waiting), removes the
 * staging folders of killed runs, and creates the new staging folder
 * `<parent>/.<name>.stage-<pid>`. Refuses (CYM_EUSAGE) an `outdir` that exists and is neither
 * an empty folder nor an earlier result set (a folder whose manifest.json names cymetrics as
 * its program): a folder of the user's own files is never replaced. An `outdir` that is a
 * symbolic link to a folder stands for that folder (the link stays). *out belongs to the
 * caller: cym_run_set_free.
 */
cym_status cym_run_set_begin(cym_run_set **out, const char *outdir, cym_error *err);

/** The staging folder, where every writer of the set writes. Borrowed, valid until free. */
const char *cym_run_set_path(const cym_run_set *s);

/** The output folder the set replaces, canonical. Borrowed, valid until free. */
const char *cym_run_set_destination(const cym_run_set *s);

/** Writes the tables of `r` into the set, as cym_run_write does (manifest.json included). */
cym_status cym_run_set_write(cym_run_set *s, const cym_results *r, const cym_run_options *opts,
                             cym_error *err);

/**
 * The trends cym_run_set_write computed for its tables (with opts->report.trend), for the
 * report (cym_report_options.trends) so that it need not compute them again; NULL before
 * (or for editions). Borrowed, valid until cym_run_set_free.
 */
const cym_trends *cym_run_set_trends(const cym_run_set *s);

/** Writes the tables of framework editions `e` into the set, as cym_run_write_editions. */
cym_status cym_run_set_write_editions(cym_run_set *s, const cym_editions *e,
                                      const cym_run_options *opts, cym_error *err);

/**
 * Completes the set: writes manifest.json last (the run's, or a new one) with "outputs", every
 * other file of the set with its path, size and SHA-256 (docs/formats.md), syncs it to disk,
 * swaps it with the output folder in one renameat2(RENAME_EXCHANGE) and removes the earlier
 * set. On failure the output folder is as it was.
 */
cym_status cym_run_set_commit(cym_run_set *s, cym_error *err);

/** Releases the lock; a set not committed is removed. Accepts NULL. */
void cym_run_set_free(cym_run_set *s);

/**
 * Writes the results of `r` into the folder `outdir`, created if needed: the machine tables,
 * the audit, the trends and comparisons, the summary tables opts->report.output.tables asks
 * for (tables.md, tables.html, results.xlsx, results.json; docs/formats.md), next_tier.csv,
 * check_total.csv with check-total, and manifest.json last, as one result set of its own
 * (cym_run_set_begin, cym_run_set_write, cym_run_set_commit). Refuses (CYM_EUSAGE) an output
 * folder that is, lies in or holds an input, or holds files that are not a result set. On
 * failure the output folder is untouched.
 */
cym_status cym_run_write(const cym_results *r, const cym_run_options *opts, const char *outdir,
                          cym_error *err);

/**
 * Writes every edition's tables into outdir/edition-<label>/ (as cym_run_write) and the
 * combined tables into outdir: scores.csv (with an `edition` column), editions.csv,
 * editions_index.csv, yoy.csv and trends.csv across the editions (every node with a comparable
 * series, docs/methodology.md "Framework editions"), warnings.txt and, with
 * check-total, check_total.csv. One result set, as cym_run_write.
 */
cym_status cym_run_write_editions(const cym_editions *e, const cym_run_options *opts,
                              const char *outdir, cym_error *err);

/**
 * Draws the trends and bump charts of the comparable series, with the breaks marked, into
 * outdir/charts/, and each edition's charts into its folder. Failures as cym_plot_run.
 */
cym_status cym_run_plot_editions(const cym_editions *e, const cym_output_options *opts, const char *outdir,
                             cym_warnings *failed, cym_error *err);

/**
 * Writes the report of the joined folder of framework editions `e` into outdir: report.html
 * and report.md (docs/cli.md, "Framework editions"): the published ranks per edition of the
 * countries of the group column and of the top ten, their movement on the comparable basis,
 * their positions in the indices beside the index in the newest edition (its root's children
 * of weight 0), the charts across the editions, the editions with links to their own reports,
 * provenance and terms, and the warnings. Failures to draw a chart as cym_report_write.
 */
cym_status cym_run_report_editions(const cym_editions *e, const cym_report_options *opts,
                                   const char *outdir, cym_warnings *failed, cym_error *err);

/** Writes check_total.csv (header and rows; countries of `ds`). */
cym_status cym_run_write_check(FILE *f, const cym_check *c, const cym_dataset *ds);

#ifdef __cplusplus
}
#endif

#endif
