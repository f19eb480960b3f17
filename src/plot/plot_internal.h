/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PLOT_INTERNAL_H
#define CYM_PLOT_INTERNAL_H
/* A chart to draw: its file stem, page height, drawing and sidecar. */
#include <stdio.h>

#include "cymetrics/plot.h"

typedef struct cym__chart_job {
    char name[80];   /* file stem under charts/, e.g. "ranking", "profile-JPN" */
    double h_mm;     /* page height */
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

/* drawing of the generic charts (used by the results charts too) */
typedef struct cym__matrix_arg {
    const cym_plot_matrix *m;
    cym_plot_text text;
    const char *note;
} cym__matrix_arg;
void cym__draw_matrix(void *arg, double w, double h);
cym_status cym__sidecar_matrix(FILE *f, void *arg);
double cym__matrix_height(const cym_plot_matrix *m);

/* the sequential blue ramp of the heat maps, t in [0, 1] light to dark */
unsigned cym__seq_colour(double t);

/* CSV helpers */
void cym__csv_text(FILE *f, const char *s);
void cym__csv_num(FILE *f, double v);

/* rows of a horizontal bar chart: height per row for n rows, and page height */
double cym__row_height(size_t n);
double cym__rows_page_height(size_t n, double extra);

/* a step of 1, 2 or 5 x 10^k giving about `target` ticks over `range` */
double cym__nice_step(double range, int target);
/* vertical grid and tick labels of an x axis over [x0, x1] mapping [lo, hi]; labels under
   y0 (and over y1 when `both`), the axis title under them */
void cym__axis_x(double x0, double x1, double y0, double y1, double lo, double hi,
                 const char *title, int both);

#endif
