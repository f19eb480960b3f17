/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.html and report.md: the run told for people. Both are written from the same
 * sections into a pair of buffers (cym__doc), the HTML with charts the plot module draws as
 * SVG and that are embedded as base64 data URIs (each chart stays a separate document:
 * cairo's glyph ids would clash inline, and an <img> never runs script), the Markdown as text
 * and tables only. This file has the writers every section uses (and the report of an editions
 * run's joined folder, across_report.c, too: head, title page, contents, saving), the title
 * page, the contents, the ranking, trends and comparison sections (charts and tables), and puts
 * the document together; the longer sections are in findings.c, profile.c and methodology.c.
 *
 * Deterministic: no date, no run time, no output folder in either file, so identical inputs
 * give identical bytes (report.md has a golden test). Written by hand: text and bookkeeping.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/plot.h"
#include "cymetrics/report.h"
#include "report/report_internal.h"
#include "tables/tables.h"

/* ---- writers (report_internal.h)
 * ---------------------------------------------------------------------- */

void cym__doc_html(cym__doc *d, const char *s)
{
    cym__buf_puts(&d->h, s);
}

void cym__doc_md(cym__doc *d, const char *s)
{
    cym__buf_puts(&d->m, s);
}

void cym__doc_heading(cym__doc *d, int level, const char *id, const char *text)
{
    if (id[0])
        cym__buf_printf(&d->h, "<h%d id=\"%s\">", level, id);
    else
        cym__buf_printf(&d->h, "<h%d>", level);
    cym__buf_html(&d->h, text);
    cym__buf_printf(&d->h, "</h%d>\n", level);
    for (int i = 0; i < level; i++)
        cym__doc_md(d, "#");
    cym__doc_md(d, " ");
    cym__buf_md(&d->m, text);
    cym__doc_md(d, "\n\n");
}

void cym__doc_para(cym__doc *d, const char *cls, const char *text)
{
    if (cls)
        cym__buf_printf(&d->h, "<p class=\"%s\">", cls);
    else
        cym__doc_html(d, "<p>");
    cym__buf_html(&d->h, text);
    cym__doc_html(d, "</p>\n");
    cym__buf_md(&d->m, text);
    cym__doc_md(d, "\n\n");
}

void cym__doc_list_begin(cym__doc *d, const char *cls)
{
    if (cls)
        cym__buf_printf(&d->h, "<ul class=\"%s\">\n", cls);
    else
        cym__doc_html(d, "<ul>\n");
}

void cym__doc_item(cym__doc *d, const char *text)
{
    cym__doc_html(d, "<li>");
    cym__buf_html(&d->h, text);
    cym__doc_html(d, "</li>\n");
    cym__doc_md(d, "- ");
    cym__buf_md(&d->m, text);
    cym__doc_md(d, "\n");
}

void cym__doc_list_end(cym__doc *d)
{
    cym__doc_html(d, "</ul>\n");
    cym__doc_md(d, "\n");
}

void cym__doc_table(cym__doc *d, const cym__table *t, int level)
{
    cym__table_html(&d->h, t, d->dec, level);
    cym__table_md(&d->m, t, d->dec, level);
}

/* The run's table `id` (cym__tables_build), when it has one. */
static void table(cym__doc *d, const char *id, int level)
{
    const cym__table *t = cym__tables_find(d->tables, d->n_tables, id);
    if (t)
        cym__doc_table(d, t, level);
}

/* A copy of s (NULL for NULL); sets d->oom when out of memory. */
static char *dup_text(cym__doc *d, const char *s)
{
    char *c;
    if (!s)
        return NULL;
    if (!(c = malloc(strlen(s) + 1)))
        d->oom = 1;
    else
        memcpy(c, s, strlen(s) + 1);
    return c;
}

/* The charts are only noted here, with their place in the HTML, and drawn all at once when
   the document is complete (figures_draw): on every core, in the plot module's drawing
   processes, instead of one after another in this one. */
void cym__doc_figure(cym__doc *d, cym_chart_kind kind, size_t unit, const char *alt,
                     const char *caption)
{
    cym__doc_fig *f;
    if (d->o->output.charts == 0)
        return; /* --charts none: no chart anywhere (fast runs, benchmarks) */
    if (d->n_figs == d->cap_figs) {
        size_t cap = d->cap_figs ? 2 * d->cap_figs : 16;
        cym__doc_fig *nf = realloc(d->figs, cap * sizeof(*nf));
        cym_plot_svg_req *nr = nf ? realloc(d->fig_req, cap * sizeof(*nr)) : NULL;
        if (nf)
            d->figs = nf;
        if (nr)
            d->fig_req = nr;
        if (!nf || !nr) {
            d->oom = 1;
            return;
        }
        d->cap_figs = cap;
    }
    f = &d->figs[d->n_figs];
    f->at = d->h.n;
    f->alt = dup_text(d, alt);
    f->caption = dup_text(d, caption);
    d->fig_req[d->n_figs].kind = kind;
    d->fig_req[d->n_figs].unit = unit;
    d->n_figs++;
}

/* the HTML of figure k: the chart as a data URI, or why it was not drawn */
static void figure_html(cym__doc *d, cym__buf *b, size_t k)
{
    const cym__doc_fig *f = &d->figs[k];
    const cym_plot_svg_req *q = &d->fig_req[k];
    if (q->st < 0) {
        char msg[CYM_ERROR_MESSAGE_MAX + CYM_ERROR_FILE_MAX + 64];
        cym_error_format(msg, sizeof(msg), &q->err);
        if (d->failed)
            cym_warnings_add(d->failed, "report: %s", msg);
        cym__buf_puts(b, "<p class=\"note\">(chart not drawn: ");
        cym__buf_html(b, msg);
        cym__buf_puts(b, ")</p>\n");
        return;
    }
    if (!q->svg)
        return;
    cym__buf_puts(b, "<figure><img alt=\"");
    cym__buf_html(b, f->alt ? f->alt : "");
    cym__buf_puts(b, "\" src=\"data:image/svg+xml;base64,");
    cym__buf_base64(b, (const unsigned char *)q->svg, q->len);
    cym__buf_puts(b, "\">");
    if (f->caption) {
        cym__buf_puts(b, "<figcaption>");
        cym__buf_html(b, f->caption);
        cym__buf_puts(b, "</figcaption>");
    }
    cym__buf_puts(b, "</figure>\n");
}

/* Draws the charts noted by cym__doc_figure and puts each in its place in the HTML (a chart
   that fails leaves a note there and a line in d->failed, as before). */
static void figures_draw(cym__doc *d)
{
    cym__buf out;
    size_t from = 0;
    cym_error e;
    if (d->n_figs == 0 || d->oom || d->h.oom)
        return;
    cym_error_clear(&e);
    if (cym_plot_svgs(d->fig_req, d->n_figs, d->r, &d->o->output, &e) < 0)
        for (size_t k = 0; k < d->n_figs; k++) { /* none drawn: each says why */
            d->fig_req[k].st = e.code;
            d->fig_req[k].err = e;
        }
    memset(&out, 0, sizeof(out));
    for (size_t k = 0; k < d->n_figs; k++) {
        cym__buf_put(&out, d->h.p + from, d->figs[k].at - from);
        figure_html(d, &out, k);
        from = d->figs[k].at;
    }
    cym__buf_put(&out, d->h.p + from, d->h.n - from);
    cym__buf_free(&d->h);
    d->h = out;
}

void cym__doc_figures_free(cym__doc *d)
{
    for (size_t k = 0; k < d->n_figs; k++) {
        free(d->figs[k].alt);
        free(d->figs[k].caption);
        free(d->fig_req[k].svg);
    }
    free(d->figs);
    free(d->fig_req);
    d->figs = NULL;
    d->fig_req = NULL;
    d->n_figs = d->cap_figs = 0;
}

/* ---- numbers (report_internal.h)
 * ---------------------------------------------------------------------------- */

void cym__doc_signed(char *buf, size_t n, double v, int dec)
{
    char a[512];
    int len = snprintf(a + 1, sizeof(a) - 1, "%.*f", dec, fabs(v));
    if (len < 0 || (size_t)len + 2 > n)
        a[1] = '\0';
    a[0] = v > 0 ? '+' : '-';
    if (strspn(a + 1, "0.") == strlen(a + 1))
        memmove(buf, a + 1, strlen(a + 1) + 1);
    else
        memcpy(buf, a, strlen(a) + 1);
}

double cym__doc_mean(const cym__doc *d, size_t t, size_t nd)
{
    double s = 0, n = 0;
    for (size_t u = 0; u < d->r->n_units; u++)
        if (!isnan(cym__doc_score(d, u, t, nd))) {
            s += cym__doc_score(d, u, t, nd);
            n++;
        }
    return n > 0 ? s / n : NAN;
}

/* ---- sections --------------------------------------------------------------------------- */

const char *cym__doc_title(const cym_report_options *o)
{
    return o->output.title[0] ? o->output.title : o->output.name;
}

void cym__doc_title_row(cym__doc *d, const char *key, const char *value)
{
    cym__doc_html(d, "<dt>");
    cym__doc_html(d, key);
    cym__doc_html(d, "</dt><dd>");
    cym__buf_html(&d->h, value);
    cym__doc_html(d, "</dd>\n");
    cym__doc_md(d, "- **");
    cym__doc_md(d, key);
    cym__doc_md(d, ":** ");
    cym__buf_md(&d->m, value);
    cym__doc_md(d, "\n");
}

void cym__doc_title_begin(cym__doc *d, const char *subtitle)
{
    cym__doc_html(d, "<header class=\"title-page\">\n<h1>");
    cym__buf_html(&d->h, cym__doc_title(d->o));
    cym__doc_html(d, "</h1>\n");
    cym__doc_md(d, "# ");
    cym__buf_md(&d->m, cym__doc_title(d->o));
    cym__doc_md(d, "\n\n");
    if (subtitle && subtitle[0])
        cym__doc_para(d, "subtitle", subtitle);
    cym__doc_html(d, "<dl>\n");
}

void cym__doc_title_end(cym__doc *d)
{
    if (d->o->output.source[0])
        cym__doc_title_row(d, "Source", d->o->output.source);
    cym__doc_title_row(d, "Produced by", "cymetrics " CYM_VERSION);
    cym__doc_html(d, "</dl>\n</header>\n");
    cym__doc_md(d, "\n");
}

void cym__doc_toc(cym__doc *d, const char *const *ids, const char *const *names, size_t n)
{
    cym__doc_html(d, "<nav class=\"toc\"><h2 id=\"contents\">Contents</h2><ol>\n");
    for (size_t i = 0; i < n; i++)
        if (ids[i])
            cym__buf_printf(&d->h, "<li><a href=\"#%s\">%s</a></li>\n", ids[i], names[i]);
    cym__doc_html(d, "</ol></nav>\n");
}

static void title_page(cym__doc *d, long unit)
{
    const cym_results *r = d->r;
    const cym_node *root = cym__doc_node(d, r->fw->root);
    char s[1024];
    if (unit >= 0)
        CYM__SAY(s, "Country profile: %s (%s)", cym__doc_uname(d, (size_t)unit),
                 r->ds->units[unit].code);
    cym__doc_title_begin(d, unit >= 0 ? s : d->o->output.subtitle);
    cym__doc_title_row(d, "Index", root->name);
    cym__doc_title_row(d, "Dataset", d->o->output.name);
    CYM__SAY(s, "%d-%d (%zu years; rankings for %d)", r->year0, cym__doc_year(d, r->n_years - 1),
             r->n_years, cym__doc_year(d, d->t));
    cym__doc_title_row(d, "Years", s);
    CYM__SAY(s, "%zu", r->n_units);
    cym__doc_title_row(d, "Countries", s);
    CYM__SAY(s, "%zu indicators in %zu pillars", r->n_ind, root->n_children);
    cym__doc_title_row(d, "Framework", s);
    cym__doc_title_end(d);
}

static void toc(cym__doc *d)
{
    static const char *const ids[] = {"findings",   "ranking",  "trends",
                                      "comparison", "profiles", "methodology",
                                      "coverage",   "warnings", "provenance"};
    static const char *const names[] = {"Key findings",
                                        "Ranking",
                                        "Trends",
                                        "Comparison",
                                        "Country profiles",
                                        "Methodology",
                                        "Data coverage and imputation",
                                        "Warnings",
                                        "Input provenance"};
    cym__doc_toc(d, ids, names, sizeof(ids) / sizeof(*ids));
}

static void ranking(cym__doc *d)
{
    char cap[512];
    cym__doc_heading(d, 2, "ranking", "Ranking");
    CYM__SAY(cap, "%s %d: index scores, coloured by tier.", cym__doc_node(d, d->r->fw->root)->name,
             cym__doc_year(d, d->t));
    cym__doc_figure(d, CYM_CHART_RANKING, 0, "Ranking chart", cap);
    cym__doc_figure(d, CYM_CHART_PILLARS, 0, "Composition chart",
                    "Composition: the weighted contribution of each pillar to the index.");
    table(d, "summary", 3);
    cym__section_unranked(d);
}

static void trends(cym__doc *d)
{
    cym__doc_heading(d, 2, "trends", "Trends");
    if (d->r->n_years < 2) {
        cym__doc_para(d, NULL, "One year only: no trends.");
        return;
    }
    cym__doc_figure(d, CYM_CHART_TRENDS, 0, "Trends chart", "The index over the years.");
    cym__doc_figure(d, CYM_CHART_CHANGE, 0, "Change chart",
                    "Change of the index since the previous year.");
    table(d, "trends", 3);
    table(d, "by-year", 3);
}

static void comparison(cym__doc *d)
{
    cym__doc_heading(d, 2, "comparison", "Comparison");
    table(d, "compare", 3);
    table(d, "pillars", 3);
    table(d, "strengths", 3);
    table(d, "tiers", 3);
}

/* The profile of one country. */
/* ---- the documents ---------------------------------------------------------------------- */

void cym__doc_head(cym__doc *d, const char *title)
{
    cym__doc_html(d, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     /* no script, no fetch: images only from data: URIs, style only inline */
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     "img-src data:; style-src 'unsafe-inline'\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"generator\" content=\"cymetrics " CYM_VERSION "\">\n<title>");
    cym__buf_html(&d->h, title);
    cym__doc_html(d, "</title>\n<style>\n");
    cym__doc_html(d, cym__report_css);
    cym__doc_html(d, "</style>\n</head>\n<body>\n");
}

void cym__doc_tail(cym__doc *d, const char *files)
{
    cym__doc_html(d, "<footer class=\"muted\" id=\"end\"><p>Written by cymetrics " CYM_VERSION
                     ". Machine-readable results: ");
    cym__doc_html(d, files);
    cym__doc_html(d, " next to this report.</p></footer>\n</body>\n</html>\n");
}

cym_status cym__doc_save(cym__doc *d, const char *outdir, const char *name, cym_error *err)
{
    cym__outdir od;
    char fname[96];
    cym_status st;
    figures_draw(d);
    if (d->oom || d->h.oom || d->m.oom)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    memset(&od, 0, sizeof(od));
    if ((st = cym__outdir_open(&od, outdir, err)) < 0)
        goto cleanup;
    snprintf(fname, sizeof(fname), "%s.html", name);
    if ((st = cym__report_put(&od, fname, d->h.p, d->h.n, err)) < 0)
        goto cleanup;
    snprintf(fname, sizeof(fname), "%s.md", name);
    if ((st = cym__report_put(&od, fname, d->m.p, d->m.n, err)) < 0)
        goto cleanup;
    st = cym__outdir_commit(&od, err);
cleanup:
    cym__outdir_free(&od);
    return st;
}

cym_status cym_report_write(const cym_results *r, const cym_report_options *o, size_t unit,
                            const char *outdir, cym_warnings *failed, cym_error *err)
{
    const struct cym_uncertainty *unc = o->unc;
    cym__doc d;
    json_t *manifest = NULL;
    cym_trends *tr = NULL;
    cym_status st;
    char name[64];

    memset(&d, 0, sizeof(d));
    if (unit != CYM_REPORT_ALL && unit >= r->n_units)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "no such country");
    if ((st = cym__manifest_build(&manifest, r, &o->provenance, err)) < 0)
        return st;
    /* the run's own when given: computing them again cost a tenth of a large run and their
       memory (docs/performance.md, "Tables at scale") */
    if (!o->trends && (st = cym_trends_compute(&tr, r, &o->trend, err)) < 0)
        goto cleanup;
    d.r = r;
    d.o = o;
    d.tr = o->trends ? o->trends : tr;
    d.unc = unc;
    d.manifest = manifest;
    d.t = r->n_years - 1;
    d.dec = o->output.decimals;
    d.failed = failed;
    /* the ties once, for the strengths of the tables and of every profile */
    if ((st = cym_compare_ties_count(&d.ties, r, d.t, err)) < 0)
        goto cleanup;
    if ((st = cym__tables_build(&d.tables, &d.n_tables, r, d.tr, d.ties, o, err)) < 0)
        goto cleanup;
    if (!(d.order = malloc((r->n_units + 1) * sizeof(size_t)))) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    cym__report_order(d.order, r, d.t);
    if (unit == CYM_REPORT_ALL) {
        cym__doc_head(&d, cym__doc_title(o));
        title_page(&d, -1);
        toc(&d);
        cym__section_findings(&d);
        ranking(&d);
        trends(&d);
        comparison(&d);
        cym__section_profiles(&d);
        cym__section_methodology(&d);
        cym__section_coverage(&d);
        cym__section_warnings(&d);
        cym__section_provenance(&d);
    } else {
        char title[512];
        CYM__SAY(title, "%s: %s", cym__doc_title(o), cym__doc_uname(&d, unit));
        cym__doc_head(&d, title);
        title_page(&d, (long)unit);
        cym__section_profile(&d, unit);
        cym__section_provenance(&d);
    }
    cym__doc_tail(&d, "results.json, results.xlsx and the CSV tables");
    if (unit == CYM_REPORT_ALL)
        snprintf(name, sizeof(name), "report");
    else
        snprintf(name, sizeof(name), "report-%s", r->ds->units[unit].code);
    st = cym__doc_save(&d, outdir, name, err);

cleanup:
    cym__doc_figures_free(&d);
    cym__buf_free(&d.h);
    cym__buf_free(&d.m);
    cym__tables_free(d.tables, d.n_tables);
    free(d.order);
    cym_compare_ties_free(d.ties);
    free(d.node_mean);
    free(d.node_ranked);
    cym_trends_free(tr);
    json_decref(manifest);
    return st;
}
