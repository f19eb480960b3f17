/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PLOT_PLUGIN_H
#define CYM_PLOT_PLUGIN_H
/*
 * The charts plugin's table (core/plugin.h): cymetrics-plot.so exports it as cym__plugin_plot
 * (plugin.c), and the front linked into libcymetrics (front/front.c) forwards the API of
 * cymetrics/plot.h through it. One member per public function, in the header's order.
 */
#include "core/plugin.h"
#include "cymetrics/plot.h"

typedef struct cym__plot_plugin {
    cym__plugin_head head;
    const char *(*chart_name)(cym_chart_kind kind);
    cym_status (*chart_parse)(cym_chart_kind *out, const char *name, cym_error *err);
    cym_status (*run)(const cym_results *r, const cym_output_options *o, const char *outdir,
                      cym_warnings *failed, cym_error *err);
    cym_status (*run_start)(cym_plot_pending **out, const cym_results *r,
                            const cym_output_options *o, const char *outdir, cym_error *err);
    cym_status (*run_finish)(cym_plot_pending *pending, cym_warnings *failed, cym_error *err);
    cym_status (*chart)(const cym_results *r, const cym_output_options *o, cym_chart_kind kind,
                        size_t unit, const char *outdir, cym_warnings *failed, cym_error *err);
    cym_status (*svg)(char **svg, size_t *len, const cym_results *r, const cym_output_options *o,
                      cym_chart_kind kind, size_t unit, cym_error *err);
    cym_status (*svgs)(cym_plot_svg_req *req, size_t n, const cym_results *r,
                       const cym_output_options *o, cym_error *err);
    cym_status (*matrix_chart)(const cym_plot_matrix *m, const cym_plot_text *text,
                               unsigned formats, const char *outdir, const char *name,
                               cym_warnings *failed, cym_error *err);
    cym_status (*intervals_chart)(const cym_plot_intervals *iv, const cym_plot_text *text,
                                  unsigned formats, const char *outdir, const char *name,
                                  cym_warnings *failed, cym_error *err);
} cym__plot_plugin;

/** The table, in cymetrics-plot.so only. */
extern const cym__plot_plugin cym__plugin_plot;

#endif
