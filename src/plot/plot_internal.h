/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PLOT_INTERNAL_H
#define CYM_PLOT_INTERNAL_H
/*
 * Shared by the plot module's files: the chart jobs and their files (plot.c), the generic
 * charts and the axis and CSV helpers, and the report charts of a run (charts.c, the shared
 * state and pieces; charts_year.c, charts_time.c, charts_profile.c, the charts).
 */
#include <stdio.h>

#include "cymetrics/plot.h"

/* A chart to draw: its file stem, page height, drawing and sidecar. */
typedef struct cym__chart_job {
    char name[80]; /* file stem under charts/, e.g. "ranking", "profile-JPN" */
    double h_mm;   /* page height */
    void (*draw)(void *arg, double w, double h);
    cym_status (*sidecar)(FILE *f, void *arg);
    void *arg;
} cym__chart_job;

/**
 * Writes the jobs in `formats` into outdir/charts/ atomically (one commit at the end for the
 * charts that were drawn). Failures as cym_plot_run.
 */
cym_status cym__plot_jobs(const cym__chart_job *jobs, size_t n, unsigned formats,
                          const char *outdir, cym_warnings *failed, cym_error *err);

/**
 * cym__plot_jobs in two halves: _start writes the sidecars, reserves the files and starts the
 * drawing processes, and returns while they draw; _finish waits for them, commits and reports
 * as cym__plot_jobs (and frees the batch). The jobs (and what they point to) must stay
 * unchanged until _finish: cym__plot_pending_own hands the batch what to free then. _start
 * fails (and *out is NULL) only when out of memory; the rest is reported by _finish.
 */
cym_status cym__plot_jobs_start(cym_plot_pending **out, const cym__chart_job *jobs, size_t n,
                                unsigned formats, const char *outdir, cym_error *err);
void cym__plot_pending_own(cym_plot_pending *b, void (*free_arg)(void *arg), void *arg);
cym_status cym__plot_jobs_finish(cym_plot_pending *b, cym_warnings *failed, cym_error *err);

/* a chart drawn into memory: its bytes (NUL-terminated, the caller's), or its failure */
typedef struct cym__plot_mem {
    char *mem;
    size_t len;
    cym_status st;
    cym_error err;
} cym__plot_mem;

/**
 * Draws the jobs as SVG into memory, res[k] for jobs[k], on every core as cym__plot_jobs
 * (each drawing process sends its SVGs through its pipe). A chart that fails fails alone, in
 * res[k]; CYM_ENOMEM, in `err`, when none could be tried.
 */
cym_status cym__plot_memory(cym__plot_mem *res, const cym__chart_job *jobs, size_t n,
                            cym_error *err);

/* drawing of the generic charts (used by the results charts too) */
typedef struct cym__matrix_arg {
    const cym_plot_matrix *m;
    cym_plot_text text;
    const char *note;
    const int *row_hl; /* [row] palette slot of a highlighted row's label (bold), -1; or NULL */
} cym__matrix_arg;
void cym__draw_matrix(void *arg, double w, double h);
cym_status cym__sidecar_matrix(FILE *f, void *arg);
double cym__matrix_height(const cym_plot_matrix *m);

/* the sequential blue ramp of the heat maps, t in [0, 1] light to dark */
unsigned cym__seq_colour(double t);

/* rows of a horizontal bar chart: height per row for n rows, and page height */
double cym__row_height(size_t n);
double cym__rows_page_height(size_t n, double extra);

/* a step of 1, 2 or 5 x 10^k giving about `target` ticks over `range` */
double cym__nice_step(double range, int target);
/* vertical grid and tick labels of an x axis over [x0, x1] mapping [lo, hi]; labels under
   y0 (and over y1 when `both`), the axis title under them */
void cym__axis_x(double x0, double x1, double y0, double y1, double lo, double hi,
                 const char *title, int both);

/* ---- the report charts of a run (charts.c and the charts_*.c files) -------------------- */

/* at most this many highlighted countries, each with its colour of cym__palette */
#define CYM__MAX_HL CYM_MAX_HIGHLIGHT

/* the chart colours in order (Okabe-Ito, then four more): the k-th highlighted country or
   pillar */
#define CYM__N_PALETTE 12
extern const unsigned cym__palette[CYM__N_PALETTE];

/* What every chart of a run reads: the results, the latest year, the order, the highlights. */
typedef struct cym__charts {
    const cym_results *r;
    const cym_output_options *o;
    size_t t; /* latest year with index scores */
    size_t root, np;
    size_t *pillars;
    size_t *order; /* units with an index score at t, best first */
    size_t n_scored;
    int *hl; /* [unit] highlight slot, -1 */
    size_t n_hl;
    size_t hl_units[CYM__MAX_HL];
    char base[300]; /* index title */
    char sub[600];  /* dataset subtitle */
    double lo, hi;  /* score axis of the index and pillars (all years) */
    /* heat map */
    cym_plot_matrix m;
    cym__matrix_arg ma;
    const char **row_labels, **col_labels;
    int *row_hl;
    double *values;
} cym__charts;

/* the argument of a chart of one country */
typedef struct cym__charts_unit {
    cym__charts *c;
    size_t u;
} cym__charts_unit;

static inline double cym__charts_score(const cym__charts *c, size_t u, size_t t, size_t node)
{
    return c->r->score[cym_cube_cell(&c->r->node_cube, u, t, node)];
}

/* the index rank of u in year index t */
static inline double cym__charts_rank(const cym__charts *c, size_t u, size_t t)
{
    return c->r->rank[cym_cube_cell(&c->r->node_cube, u, t, c->root)];
}

static inline int cym__charts_year(const cym__charts *c, size_t t)
{
    return c->r->year0 + (int)t;
}

static inline const char *cym__charts_uname(const cym__charts *c, size_t u)
{
    return c->r->ds->units[u].name;
}

/* units by index score at t, best first, ties in countries.csv order; returns how many scored */
size_t cym__charts_order_at(const cym__charts *c, size_t t, size_t *ord);
/* mean score of `node` at t over the countries with one (NaN when none) */
double cym__charts_mean(const cym__charts *c, size_t t, size_t node);
/* A row of legend keys (square swatches, or short lines when `lines`), wrapped to the width.
   Returns the y under the legend. */
double cym__charts_legend(double x, double y, double max_w, size_t n, const char *const *names,
                          const unsigned *colours, int lines);
/* the widest of the units' names at size fs (highlighted ones bold), at most cap */
double cym__charts_name_width(const cym__charts *c, const size_t *units, size_t n, double fs,
                              double cap);
/* the name of unit u, with the coverage mark when flagged in year index t (in buf[0..n) then) */
const char *cym__charts_label(char *buf, size_t n, const cym__charts *c, size_t u, size_t t);
/* note, and when a country is flagged in a year of [t0, t1] (cym_results_flagged) what the
   mark means, into dst[0..n) */
void cym__charts_flag_note(char *dst, size_t n, const cym__charts *c, size_t t0, size_t t1,
                           const char *note);
/* unit u's name right-aligned at x, fitted to max_w: a highlighted country in bold in its
   colour (the charts of one row per country) */
void cym__charts_name(const cym__charts *c, size_t u, double x, double y, double fs, double max_w);
/* "note. dataset subtitle" into dst[0..n) */
void cym__charts_subtitle(char *dst, size_t n, const cym__charts *c, const char *note);

/* A kind of chart: its drawing and its sidecar (as in a cym__chart_job); the argument is the
   cym__charts, or for the profile a cym__charts_unit. */
typedef struct cym__charts_kind {
    void (*draw)(void *arg, double w, double h);
    cym_status (*sidecar)(FILE *f, void *arg);
} cym__charts_kind;
/* charts_year.c */
extern const cym__charts_kind cym__charts_ranking, cym__charts_pillars, cym__charts_heatmap;
/* charts_time.c */
extern const cym__charts_kind cym__charts_trends, cym__charts_pillar_trends, cym__charts_change,
    cym__charts_bump;
/* charts_profile.c */
extern const cym__charts_kind cym__charts_profile;
/* the heat map's matrix (c->m) of the indicator scores at c->t; CYM_ENOMEM */
cym_status cym__charts_heatmap_init(cym__charts *c, cym_error *err);

#endif
