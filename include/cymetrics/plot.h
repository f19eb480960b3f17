/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PLOT_H
#define CYM_PLOT_H

/**
 * Report charts (PNG, SVG, PDF) of the results of a run, drawn with PLplot's cairo drivers.
 * Every chart is written atomically under <outdir>/charts/ with a CSV sidecar of the values it
 * plots (same name, .csv), so tests and readers can check what was drawn. Titles, subtitles and
 * the source line come from the dataset options (title, subtitle, source).
 *
 * A chart that cannot be drawn (no cairo driver, unwritable folder) is reported with the file
 * name and the other charts are still written; PLplot is never allowed to exit the process or
 * prompt on stdin. Not thread-safe: PLplot keeps global state, so draw from one thread.
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/tables.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The chart types drawn from the results of a run. */
typedef enum cym_chart_kind {
    CYM_CHART_RANKING = 0,  /**< index of the latest year, sorted bars coloured by tier */
    CYM_CHART_PILLARS,      /**< stacked weighted contributions of the pillars */
    CYM_CHART_TRENDS,       /**< index over the years, highlighted countries in colour */
    CYM_CHART_PILLAR_TRENDS, /**< the same per pillar, as small multiples */
    CYM_CHART_CHANGE,       /**< diverging bars of the change over the last two years */
    CYM_CHART_BUMP,         /**< ranks over the years */
    CYM_CHART_PROFILE,      /**< radar of one country's pillars, with group mean and leader */
    CYM_CHART_HEATMAP,      /**< countries x indicators, normalised scores of the latest year */
    CYM_CHART_COUNT_
} cym_chart_kind;

/** Name of a chart kind as used on the command line and in file names (static string). */
const char *cym_chart_name(cym_chart_kind kind);

/** Parses a chart name ("ranking", "pillars", ...). CYM_EUSAGE naming the choices. */
cym_status cym_chart_parse(cym_chart_kind *out, const char *name, cym_error *err);

/** A whole run draws every country's profile up to this many countries, else the highlighted. */
#define CYM_PLOT_RUN_MAX_PROFILES 60
/** A whole run leaves out the heat map above this many countries x indicators cells. */
#define CYM_PLOT_RUN_MAX_HEATMAP_CELLS 60000

/**
 * Draws every chart kind of `r` in the formats `o->charts` into `outdir`/charts/ (nothing
 * when o->charts is 0). Profiles are drawn for every country (profile-<CODE>.*) up to
 * CYM_PLOT_RUN_MAX_PROFILES countries, for the highlighted ones beyond; the heat map is left
 * out above CYM_PLOT_RUN_MAX_HEATMAP_CELLS cells (cym_plot_chart draws both at any size). Each chart
 * that fails adds one line naming its file to `failed` (may be NULL); the others are still
 * written. Returns CYM_OK when every chart was drawn, else the status of the first failure,
 * described in `err`.
 */
cym_status cym_plot_run(const cym_results *r, const cym_output_options *o, const char *outdir,
                        cym_warnings *failed, cym_error *err);

/** Charts of a run being drawn (cym_plot_run_start). */
typedef struct cym_plot_pending cym_plot_pending;

/**
 * cym_plot_run in two halves, so the caller can write its other outputs while the charts are
 * drawn: cym_plot_run_start writes the sidecars and starts the drawing processes (on every
 * core, as cym_plot_run), and returns at once; cym_plot_run_finish waits for them, moves the
 * charts into place and reports as cym_plot_run, and frees *pending. `r` and `o` are borrowed
 * until then and must not change. *out is NULL (and finishing it does nothing) when o->charts
 * is 0 or the start failed (out of memory, or as cym_plot_run before drawing); every started
 * run must be finished, also when the caller's other work failed. With OMP_NUM_THREADS=1 the
 * one drawing process starts at cym_plot_run_finish, so the run stays on one core.
 */
cym_status cym_plot_run_start(cym_plot_pending **out, const cym_results *r,
                              const cym_output_options *o, const char *outdir, cym_error *err);
cym_status cym_plot_run_finish(cym_plot_pending *pending, cym_warnings *failed, cym_error *err);

/**
 * Draws one chart kind as cym_plot_run does. For CYM_CHART_PROFILE, `unit` is the country
 * (position in r->ds->units), or (size_t)-1 for every country; ignored by other kinds.
 */
cym_status cym_plot_chart(const cym_results *r, const cym_output_options *o, cym_chart_kind kind,
                          size_t unit, const char *outdir, cym_warnings *failed,
                          cym_error *err);

/**
 * Draws one chart kind of `r` as SVG into memory, as cym_plot_chart would draw it, whatever
 * o->charts says (the report embeds it). *svg (NUL-terminated, *len bytes) belongs to the
 * caller (free()); it is NULL, with CYM_OK, when the kind does not apply (a chart over time
 * with one year). For CYM_CHART_PROFILE `unit` must be a country. Drawn by a drawing
 * process, which sends the document through a pipe (no temporary file). Errors as
 * cym_plot_chart.
 */
cym_status cym_plot_svg(char **svg, size_t *len, const cym_results *r, const cym_output_options *o,
                        cym_chart_kind kind, size_t unit, cym_error *err);

/** One chart asked of cym_plot_svgs, and what it got. */
typedef struct cym_plot_svg_req {
    cym_chart_kind kind; /**< in: the kind */
    size_t unit;         /**< in: the country of a CYM_CHART_PROFILE */
    char *svg;           /**< out: as *svg of cym_plot_svg (the caller's; NULL when none) */
    size_t len;          /**< out: its length */
    cym_status st;       /**< out: CYM_OK, or why this chart failed ... */
    cym_error err;       /**< ... described here */
} cym_plot_svg_req;

/**
 * Draws n charts as cym_plot_svg does, all at once on every core (the drawing processes of
 * cym_plot_run), so the bytes are those of n calls of cym_plot_svg. Each request gets its
 * own result; the return is CYM_ENOMEM or CYM_EIO (in `err`) only when none could be drawn.
 */
cym_status cym_plot_svgs(cym_plot_svg_req *req, size_t n, const cym_results *r,
                         const cym_output_options *o, cym_error *err);

/** Texts around a chart (UTF-8; "" or NULL to leave one out). Borrowed. */
typedef struct cym_plot_text {
    const char *title, *subtitle, *source;
} cym_plot_text;

/**
 * A labelled matrix drawn as a heatmap (e.g. the indicator correlations of the audit).
 * values is row-major [n_rows][n_cols], NaN drawn as "no data". Colours run from `lo` to
 * `hi`; with `diverging`, a blue-white-vermillion scale centred on (lo + hi) / 2, else a
 * light-to-dark sequential scale. Labels are borrowed.
 */
typedef struct cym_plot_matrix {
    size_t n_rows, n_cols;
    const char *const *row_labels;
    const char *const *col_labels;
    const double *values;
    double lo, hi;
    int diverging;
    const char *scale_label; /**< title of the colour bar */
} cym_plot_matrix;

/**
 * Draws `m` as `outdir`/charts/`name`.{png,svg,pdf} (the formats of CYM_CHARTS_* bits) with
 * its sidecar `name`.csv. Errors as cym_plot_run.
 */
cym_status cym_plot_matrix_chart(const cym_plot_matrix *m, const cym_plot_text *text,
                                 unsigned formats, const char *outdir, const char *name,
                                 cym_warnings *failed, cym_error *err);

/**
 * Ranks with intervals (e.g. the Monte Carlo 5-95 % rank intervals): one row per item,
 * sorted by `nominal`, a dot at the nominal value and a bar from lo to hi. Borrowed arrays of
 * n values; NaN rows are listed without a bar.
 */
typedef struct cym_plot_intervals {
    size_t n;
    const char *const *labels;
    const double *nominal, *lo, *hi;
    const char *axis_label;
    int lower_is_better; /**< 1 for ranks: the axis runs from 1 on the left */
} cym_plot_intervals;

/** Draws `iv` as `outdir`/charts/`name`.*, like cym_plot_matrix_chart. */
cym_status cym_plot_intervals_chart(const cym_plot_intervals *iv, const cym_plot_text *text,
                                    unsigned formats, const char *outdir, const char *name,
                                    cym_warnings *failed, cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
