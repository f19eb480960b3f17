/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The charts' front, in libcymetrics: the functions of cymetrics/plot.h, each forwarding to
 * the charts plugin, cymetrics-plot.so (src/plot/plugin.h), opened on the first call. So
 * PLplot and the cairo, pango, fontconfig and freetype stack under it are loaded only by a
 * command that draws (docs/architecture.md, Plugins). A missing plugin is an I/O error
 * naming the file.
 */
#include "plot/plugin.h"

static cym_status plugin(const cym__plot_plugin **p, cym_error *err)
{
    const void *t;
    cym_status st = cym__plugin_load(&t, "plot", sizeof(cym__plot_plugin), err);
    *p = t;
    return st;
}

const char *cym_chart_name(cym_chart_kind kind)
{
    const cym__plot_plugin *p;
    return plugin(&p, NULL) < 0 ? "?" : p->chart_name(kind);
}

cym_status cym_chart_parse(cym_chart_kind *out, const char *name, cym_error *err)
{
    const cym__plot_plugin *p;
    cym_status st = plugin(&p, err);
    return st < 0 ? st : p->chart_parse(out, name, err);
}

cym_status cym_plot_run(const cym_results *r, const cym_output_options *o, const char *outdir,
                        cym_warnings *failed, cym_error *err)
{
    const cym__plot_plugin *p;
    cym_status st;
    if (o && !o->charts)
        return CYM_OK; /* --charts none: the plugin is not even opened */
    st = plugin(&p, err);
    return st < 0 ? st : p->run(r, o, outdir, failed, err);
}

cym_status cym_plot_run_start(cym_plot_pending **out, const cym_results *r,
                              const cym_output_options *o, const char *outdir, cym_error *err)
{
    const cym__plot_plugin *p;
    cym_status st;
    *out = NULL;
    if (o && !o->charts)
        return CYM_OK; /* --charts none: the plugin is not even opened */
    st = plugin(&p, err);
    return st < 0 ? st : p->run_start(out, r, o, outdir, err);
}

cym_status cym_plot_run_finish(cym_plot_pending *pending, cym_warnings *failed, cym_error *err)
{
    const cym__plot_plugin *p;
    cym_status st;
    if (!pending)
        return CYM_OK; /* nothing started: the plugin may not be open */
    st = plugin(&p, err);
    return st < 0 ? st : p->run_finish(pending, failed, err);
}

cym_status cym_plot_chart(const cym_results *r, const cym_output_options *o, cym_chart_kind kind,
                          size_t unit, const char *outdir, cym_warnings *failed, cym_error *err)
{
    const cym__plot_plugin *p;
    cym_status st = plugin(&p, err);
    return st < 0 ? st : p->chart(r, o, kind, unit, outdir, failed, err);
}

cym_status cym_plot_svg(char **svg, size_t *len, const cym_results *r, const cym_output_options *o,
                        cym_chart_kind kind, size_t unit, cym_error *err)
{
    const cym__plot_plugin *p;
    cym_status st;
    *svg = NULL;
    *len = 0;
    st = plugin(&p, err);
    return st < 0 ? st : p->svg(svg, len, r, o, kind, unit, err);
}

cym_status cym_plot_svgs(cym_plot_svg_req *req, size_t n, const cym_results *r,
                         const cym_output_options *o, cym_error *err)
{
    const cym__plot_plugin *p;
    cym_status st = plugin(&p, err);
    return st < 0 ? st : p->svgs(req, n, r, o, err);
}

cym_status cym_plot_matrix_chart(const cym_plot_matrix *m, const cym_plot_text *text,
                                 unsigned formats, const char *outdir, const char *name,
                                 cym_warnings *failed, cym_error *err)
{
    const cym__plot_plugin *p;
    cym_status st = plugin(&p, err);
    return st < 0 ? st : p->matrix_chart(m, text, formats, outdir, name, failed, err);
}

cym_status cym_plot_intervals_chart(const cym_plot_intervals *iv, const cym_plot_text *text,
                                    unsigned formats, const char *outdir, const char *name,
                                    cym_warnings *failed, cym_error *err)
{
    const cym__plot_plugin *p;
    cym_status st = plugin(&p, err);
    return st < 0 ? st : p->intervals_chart(iv, text, formats, outdir, name, failed, err);
}
