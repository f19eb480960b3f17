/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The report charts of a run (issue 5): ranking, pillar composition, trends (and per pillar),
 * year-over-year change, rank movement (bump chart), country profiles (radar) and the
 * countries x indicators heat map. Each reads cym_results only and writes a sidecar CSV of
 * exactly the numbers it draws. This file holds what they share (the latest year, the order
 * of the countries, the highlighted ones, the score axis, legends) and builds the jobs of a
 * run, of one chart, or of one chart as SVG for the report; the charts themselves are in
 * charts_year.c (one year: ranking, composition, heat map), charts_time.c (over the years:
 * trends, change, bump) and charts_profile.c (one country).
 *
 * Design rules, after the OECD and ITU report charts: white page, one type hierarchy (title,
 * subtitle, axis labels, source), light grid behind the data, Okabe-Ito colours with the same
 * colour for the same pillar or highlighted country in every chart, grey for context. Sizes
 * follow the number of countries (row height 8 mm for a few, 4.2 mm for 200) and every label
 * is measured: names wider than their column are shortened with an ellipsis, long titles
 * wrapped, colliding line-end labels pushed apart.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cymetrics/plot.h"
#include "plot/canvas.h"
#include "plot/plot_internal.h"

const unsigned cym__palette[CYM__N_PALETTE] = {
    CYM_OI_BLUE,   CYM_OI_ORANGE,  CYM_OI_GREEN, CYM_OI_VERMILLION, CYM_OI_SKY,    CYM_OI_PURPLE,
    CYM_OI_BLACK,  CYM_OI_YELLOW,  CYM_TOL_WINE, CYM_TOL_INDIGO,    CYM_TOL_OLIVE, CYM_BROWN};
_Static_assert(CYM__MAX_HL <= CYM__N_PALETTE, "one palette colour per highlighted country");

static const char *const kind_names[CYM_CHART_COUNT_] = {
    "ranking", "pillars", "trends", "pillar-trends", "change", "bump", "profile", "heatmap"};

const char *cym_chart_name(cym_chart_kind kind)
{
    return kind < CYM_CHART_COUNT_ ? kind_names[kind] : "?";
}

cym_status cym_chart_parse(cym_chart_kind *out, const char *name, cym_error *err)
{
    for (int k = 0; k < CYM_CHART_COUNT_; k++)
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (cym_chart_kind)k;
            return CYM_OK;
        }
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                         "unknown chart '%s' (expected ranking, pillars, trends, pillar-trends, "
                         "change, bump, profile or heatmap)",
                         name);
}

/* ---- ordering ------------------------------------------------------------------------- */

static const cym__charts *sort_ctx;
static size_t sort_t;
static int cmp_score(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double x = cym__charts_score(sort_ctx, i, sort_t, sort_ctx->root);
    double y = cym__charts_score(sort_ctx, j, sort_t, sort_ctx->root);
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (!isnan(x) && x != y)
        return x > y ? -1 : 1;
    return i < j ? -1 : i > j;
}

size_t cym__charts_order_at(const cym__charts *c, size_t t, size_t *ord)
{
    size_t n = 0;
    for (size_t u = 0; u < c->r->n_units; u++)
        ord[u] = u;
    sort_ctx = c;
    sort_t = t;
    qsort(ord, c->r->n_units, sizeof(size_t), cmp_score);
    while (n < c->r->n_units && !isnan(cym__charts_score(c, ord[n], t, c->root)))
        n++;
    return n;
}

static void charts_free(cym__charts *c)
{
    free(c->pillars);
    free(c->order);
    free(c->hl);
    free(c->row_labels);
    free(c->row_hl);
    free(c->col_labels);
    free(c->values);
}

static cym_status charts_init(cym__charts *c, const cym_results *r, const cym_output_options *o,
                              cym_error *err)
{
    const cym_framework *fw = r->fw;
    int found = 0;
    memset(c, 0, sizeof(*c));
    c->r = r;
    c->o = o;
    c->root = fw->root;
    c->np = fw->nodes[fw->root].n_children;
    c->pillars = malloc((c->np ? c->np : 1) * sizeof(size_t));
    c->order = malloc((r->n_units ? r->n_units : 1) * sizeof(size_t));
    c->hl = malloc((r->n_units ? r->n_units : 1) * sizeof(int));
    if (!c->pillars || !c->order || !c->hl)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(c->pillars, fw->nodes[fw->root].children, c->np * sizeof(size_t));
    for (size_t t = r->n_years; t-- > 0 && !found;)
        for (size_t u = 0; u < r->n_units; u++)
            if (!isnan(cym__charts_score(c, u, t, c->root))) {
                c->t = t;
                found = 1;
                break;
            }
    if (!found)
        return cym_error_set(err, CYM_EDATA, NULL, 0, 0, "no index score to chart in any year");
    c->n_scored = cym__charts_order_at(c, c->t, c->order);
    snprintf(c->base, sizeof(c->base), "%s", o->title[0] ? o->title : fw->nodes[c->root].name);
    snprintf(c->sub, sizeof(c->sub), "%s", o->subtitle);
    /* highlighted countries: as configured, else the five leaders */
    for (size_t u = 0; u < r->n_units; u++)
        c->hl[u] = -1;
    if (o->highlight[0]) {
        const char *p = o->highlight;
        for (;;) {
            size_t len = strcspn(p, ","), u;
            for (u = 0; u < r->n_units; u++)
                if (strlen(r->ds->units[u].code) == len &&
                    strncmp(r->ds->units[u].code, p, len) == 0)
                    break;
            if (u == r->n_units)
                return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                     "highlight: no country '%.*s' in the dataset", (int)len, p);
            if (c->hl[u] < 0 && c->n_hl == CYM__MAX_HL)
                return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                     "highlight: at most %d countries (one colour each), '%.*s' is "
                                     "one more",
                                     CYM__MAX_HL, (int)len, p);
            if (c->hl[u] < 0) {
                c->hl[u] = (int)c->n_hl;
                c->hl_units[c->n_hl++] = u;
            }
            if (!p[len])
                break;
            p += len + 1;
        }
    } else {
        for (size_t k = 0; k < c->n_scored && c->n_hl < 5; k++) {
            c->hl[c->order[k]] = (int)c->n_hl;
            c->hl_units[c->n_hl++] = c->order[k];
        }
    }
    /* one score axis for index and pillars across the years */
    {
        double lo = INFINITY, hi = -INFINITY, step;
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < r->n_years; t++) {
                double v = cym__charts_score(c, u, t, c->root);
                if (!isnan(v)) {
                    lo = fmin(lo, v);
                    hi = fmax(hi, v);
                }
                for (size_t k = 0; k < c->np; k++) {
                    v = cym__charts_score(c, u, t, c->pillars[k]);
                    if (!isnan(v)) {
                        lo = fmin(lo, v);
                        hi = fmax(hi, v);
                    }
                }
            }
        lo = fmin(lo, 0.0);
        if (!(hi > lo))
            hi = lo + 1.0;
        step = cym__nice_step(hi - lo, 5);
        c->lo = floor(lo / step) * step;
        c->hi = ceil(hi / step - 1e-9) * step;
    }
    return CYM_OK;
}

/* ---- shared pieces (plot_internal.h) -------------------------------------------------- */

double cym__charts_mean(const cym__charts *c, size_t t, size_t node)
{
    double s = 0;
    size_t n = 0;
    for (size_t u = 0; u < c->r->n_units; u++) {
        double v = cym__charts_score(c, u, t, node);
        if (!isnan(v)) {
            s += v;
            n++;
        }
    }
    return n ? s / (double)n : NAN;
}

double cym__charts_legend(double x, double y, double max_w, size_t n, const char *const *names,
                          const unsigned *colours, int lines)
{
    double cx = x, fs = CYM_T_SMALL + 0.2;
    char buf[256];
    y -= 2.0;
    for (size_t i = 0; i < n; i++) {
        double tw;
        cym__fit(buf, sizeof(buf), names[i], fs, 0, 70.0);
        tw = cym__text_width(buf, fs, 0);
        if (cx > x && cx + 6.0 + tw > x + max_w) {
            cx = x;
            y -= 5.0;
        }
        if (lines) {
            cym__pen(colours[i], 1.0);
            cym__width(0.7);
            cym__line(cx, y, cx + 5.0, y);
        } else {
            cym__rect(cx, y - 1.6, cx + 3.2, y + 1.6, colours[i], 1.0);
        }
        cym__text(cx + (lines ? 6.5 : 4.5), y, fs, CYM_INK, 0, 0, 0, buf);
        cx += (lines ? 6.5 : 4.5) + tw + 6.0;
    }
    return y - 4.0;
}

double cym__charts_name_width(const cym__charts *c, const size_t *units, size_t n, double fs,
                              double cap)
{
    double w = 0;
    char buf[300];
    for (size_t i = 0; i < n; i++)
        w = fmax(w, cym__text_width(cym__charts_label(buf, sizeof(buf), c, units[i], c->t), fs,
                                    c->hl[units[i]] >= 0));
    return fmin(w, cap);
}

const char *cym__charts_label(char *buf, size_t n, const cym__charts *c, size_t u, size_t t)
{
    if (!cym_results_flagged(c->r, u, t))
        return cym__charts_uname(c, u);
    snprintf(buf, n, "%s " CYM_COVERAGE_MARK, cym__charts_uname(c, u));
    return buf;
}

void cym__charts_name(const cym__charts *c, size_t u, double x, double y, double fs, double max_w)
{
    char buf[256], label[256];
    int hl = c->hl[u] >= 0;
    cym__fit(buf, sizeof(buf), cym__charts_label(label, sizeof(label), c, u, c->t), fs, hl,
             max_w);
    cym__text(x, y, fs, hl ? cym__palette[c->hl[u]] : CYM_INK, hl, 0, 1, buf);
}

void cym__charts_subtitle(char *dst, size_t n, const cym__charts *c, const char *note)
{
    size_t k = (size_t)snprintf(dst, n, "%s", note);
    if (c->sub[0] && k + 2 < n)
        snprintf(dst + k, n - k, ". %s", c->sub);
}

void cym__charts_flag_note(char *dst, size_t n, const cym__charts *c, size_t t0, size_t t1,
                           const char *note)
{
    int any = 0;
    for (size_t u = 0; u < c->r->n_units && !any; u++)
        for (size_t t = t0; t <= t1 && !any; t++)
            any = cym_results_flagged(c->r, u, t);
    if (any)
        snprintf(dst, n, "%s; " CYM_COVERAGE_MARK " data for less than %g %% of the index's weight",
                 note, 100.0 * c->r->opts.coverage_flag);
    else
        snprintf(dst, n, "%s", note);
}

/* ---- the jobs -------------------------------------------------------------------------- */

static int is_time_kind(cym_chart_kind k)
{
    return k == CYM_CHART_TRENDS || k == CYM_CHART_PILLAR_TRENDS || k == CYM_CHART_CHANGE ||
           k == CYM_CHART_BUMP;
}

/*
 * Fills `job` with the chart of `kind` (for CYM_CHART_PROFILE, of unit u, its argument in
 * *ua) over the charts' state c; 0 when it does not apply (a chart over time with one year).
 */
static int job_of(cym__chart_job *job, cym__charts *c, cym__charts_unit *ua, cym_chart_kind kind,
                  size_t u)
{
    static const cym__charts_kind *const defs[CYM_CHART_COUNT_] = {
        [CYM_CHART_RANKING] = &cym__charts_ranking,
        [CYM_CHART_PILLARS] = &cym__charts_pillars,
        [CYM_CHART_TRENDS] = &cym__charts_trends,
        [CYM_CHART_PILLAR_TRENDS] = &cym__charts_pillar_trends,
        [CYM_CHART_CHANGE] = &cym__charts_change,
        [CYM_CHART_BUMP] = &cym__charts_bump,
        [CYM_CHART_HEATMAP] = &cym__charts_heatmap,
        [CYM_CHART_PROFILE] = &cym__charts_profile,
    };
    const cym_results *r = c->r;
    size_t np = c->np;
    if (c->t == 0 && is_time_kind(kind))
        return 0;
    memset(job, 0, sizeof(*job));
    snprintf(job->name, sizeof(job->name), "%s", kind_names[kind]);
    job->draw = defs[kind]->draw;
    job->sidecar = defs[kind]->sidecar;
    job->arg = c;
    switch (kind) {
    case CYM_CHART_RANKING:
        job->h_mm = cym__rows_page_height(c->n_scored, r->opts.n_tiers ? 8.0 : 0.0);
        break;
    case CYM_CHART_PILLARS:
        job->h_mm = cym__rows_page_height(c->n_scored, 8.0 + 5.0 * (double)(np / 5));
        break;
    case CYM_CHART_TRENDS:
        job->h_mm = 150.0;
        break;
    case CYM_CHART_PILLAR_TRENDS:
        job->h_mm = 60.0 + 62.0 * (double)((np + (np <= 4 ? 1 : 2)) / (np <= 4 ? 2 : 3));
        break;
    case CYM_CHART_CHANGE:
        job->h_mm = cym__rows_page_height(c->n_scored, 0.0);
        break;
    case CYM_CHART_BUMP:
        job->h_mm = cym__rows_page_height(c->n_scored, 6.0);
        break;
    case CYM_CHART_HEATMAP:
        job->h_mm = cym__matrix_height(&c->m);
        break;
    default: /* CYM_CHART_PROFILE */
        ua->c = c;
        ua->u = u;
        snprintf(job->name, sizeof(job->name), "profile-%s", r->ds->units[u].code);
        job->h_mm = 200.0 + (np > 8 ? 30.0 : 0.0);
        job->arg = ua;
        break;
    }
    return 1;
}

/* What the jobs of a run's charts point to, kept until the charts are drawn. */
typedef struct kinds_hold {
    cym__charts c;
    cym__chart_job *jobs;
    cym__charts_unit *ua;
} kinds_hold;

static void hold_free(void *arg)
{
    kinds_hold *h = arg;
    if (!h)
        return;
    free(h->jobs);
    free(h->ua);
    charts_free(&h->c);
    free(h);
}

/* Builds the jobs of the kinds in `want` and starts drawing them into outdir/charts/ in
   o->charts' formats (*out NULL with no formats). */
static cym_status kinds_start(cym_plot_pending **out, const cym_results *r,
                              const cym_output_options *o, const int *want, size_t unit,
                              const char *outdir, cym_error *err)
{
    kinds_hold *h = NULL;
    size_t n = 0, nu = r->n_units;
    cym_status st;

    *out = NULL;
    if (o->charts == 0)
        return CYM_OK;
    if (!(h = calloc(1, sizeof(*h))))
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    if ((st = charts_init(&h->c, r, o, err)) < 0)
        goto cleanup;
    if (want[CYM_CHART_HEATMAP] && (st = cym__charts_heatmap_init(&h->c, err)) < 0)
        goto cleanup;
    h->jobs = calloc(CYM_CHART_COUNT_ + nu, sizeof(*h->jobs));
    h->ua = calloc(nu ? nu : 1, sizeof(*h->ua));
    if (!h->jobs || !h->ua) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    /* charts over time need two years with index scores: one kind asked for alone is an
       error, in a whole run they are left out (the ranking shows a single year) */
    for (int k = 0; k < CYM_CHART_COUNT_; k++)
        if (h->c.t == 0 && want[k] && is_time_kind((cym_chart_kind)k) &&
            !want[CYM_CHART_RANKING]) {
            st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                               "the %s chart needs index scores in two years or more",
                               kind_names[k]);
            goto cleanup;
        }
    for (int k = 0; k < CYM_CHART_COUNT_; k++) {
        if (!want[k] || k == CYM_CHART_PROFILE)
            continue;
        /* the heat map is unreadable at that size in a run; `chart heatmap` still draws it */
        if (k == CYM_CHART_HEATMAP && unit == (size_t)-1 &&
            h->c.n_scored * r->n_ind > CYM_PLOT_RUN_MAX_HEATMAP_CELLS)
            continue;
        n += (size_t)job_of(&h->jobs[n], &h->c, NULL, (cym_chart_kind)k, 0);
    }
    if (want[CYM_CHART_PROFILE]) {
        if (unit != (size_t)-1 && unit >= nu) {
            st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "no such country");
            goto cleanup;
        }
        for (size_t u = 0; u < nu; u++) {
            if (unit != (size_t)-1 && u != unit)
                continue;
            /* a whole run over many countries draws the highlighted profiles only (one chart
               per country stops being a report and costs minutes); `chart profile` draws any */
            if (unit == (size_t)-1 && nu > CYM_PLOT_RUN_MAX_PROFILES && h->c.hl[u] < 0)
                continue;
            n += (size_t)job_of(&h->jobs[n], &h->c, &h->ua[u], CYM_CHART_PROFILE, u);
        }
    }
    if ((st = cym__plot_jobs_start(out, h->jobs, n, o->charts, outdir, err)) >= 0) {
        cym__plot_pending_own(*out, hold_free, h);
        return st;
    }

cleanup:
    hold_free(h);
    return st;
}

static cym_status plot_kinds(const cym_results *r, const cym_output_options *o, const int *want,
                             size_t unit, const char *outdir, cym_warnings *failed, cym_error *err)
{
    cym_plot_pending *p;
    cym_status st = kinds_start(&p, r, o, want, unit, outdir, err);
    return st < 0 ? st : cym__plot_jobs_finish(p, failed, err);
}

cym_status cym_plot_run_start(cym_plot_pending **out, const cym_results *r,
                              const cym_output_options *o, const char *outdir, cym_error *err)
{
    int want[CYM_CHART_COUNT_];
    for (int k = 0; k < CYM_CHART_COUNT_; k++)
        want[k] = 1;
    return kinds_start(out, r, o, want, (size_t)-1, outdir, err);
}

cym_status cym_plot_run_finish(cym_plot_pending *pending, cym_warnings *failed, cym_error *err)
{
    return cym__plot_jobs_finish(pending, failed, err);
}

cym_status cym_plot_run(const cym_results *r, const cym_output_options *o, const char *outdir,
                        cym_warnings *failed, cym_error *err)
{
    cym_plot_pending *p;
    cym_status st = cym_plot_run_start(&p, r, o, outdir, err);
    return st < 0 ? st : cym_plot_run_finish(p, failed, err);
}

cym_status cym_plot_chart(const cym_results *r, const cym_output_options *o, cym_chart_kind kind,
                          size_t unit, const char *outdir, cym_warnings *failed, cym_error *err)
{
    int want[CYM_CHART_COUNT_] = {0};
    if (kind >= CYM_CHART_COUNT_)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "unknown chart kind");
    want[kind] = 1;
    return plot_kinds(r, o, want, unit, outdir, failed, err);
}

cym_status cym_plot_svgs(cym_plot_svg_req *req, size_t n, const cym_results *r,
                         const cym_output_options *o, cym_error *err)
{
    cym__charts c;
    cym__chart_job *jobs = calloc(n ? n : 1, sizeof(*jobs));
    cym__charts_unit *ua = calloc(n ? n : 1, sizeof(*ua));
    cym__plot_mem *res = calloc(n ? n : 1, sizeof(*res));
    size_t *of = calloc(n ? n : 1, sizeof(*of)); /* request -> job, or n when none */
    size_t nj = 0;
    cym_status st;

    for (size_t i = 0; i < n; i++) {
        req[i].svg = NULL;
        req[i].len = 0;
        req[i].st = CYM_OK;
        cym_error_clear(&req[i].err);
    }
    memset(&c, 0, sizeof(c));
    if (!jobs || !ua || !res || !of) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if ((st = charts_init(&c, r, o, err)) < 0)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        if (req[i].kind == CYM_CHART_HEATMAP && !c.m.values &&
            (st = cym__charts_heatmap_init(&c, err)) < 0)
            goto cleanup;
    for (size_t i = 0; i < n; i++) {
        of[i] = n;
        if (req[i].kind >= CYM_CHART_COUNT_ ||
            (req[i].kind == CYM_CHART_PROFILE && req[i].unit >= r->n_units))
            req[i].st = cym_error_set(&req[i].err, CYM_EUSAGE, NULL, 0, 0,
                                      req[i].kind >= CYM_CHART_COUNT_ ? "unknown chart kind"
                                                                      : "no such country");
        else if (job_of(&jobs[nj], &c, &ua[i], req[i].kind, req[i].unit))
            of[i] = nj++;
    }
    st = cym__plot_memory(res, jobs, nj, err);
    for (size_t i = 0; st == CYM_OK && i < n; i++)
        if (of[i] < n) {
            req[i].svg = res[of[i]].mem;
            req[i].len = res[of[i]].len;
            req[i].st = res[of[i]].st;
            req[i].err = res[of[i]].err;
            res[of[i]].mem = NULL;
        }

cleanup:
    for (size_t k = 0; res && k < nj; k++)
        free(res[k].mem);
    free(res);
    free(jobs);
    free(ua);
    free(of);
    charts_free(&c);
    return st;
}

cym_status cym_plot_svg(char **svg, size_t *len, const cym_results *r, const cym_output_options *o,
                        cym_chart_kind kind, size_t unit, cym_error *err)
{
    cym_plot_svg_req req;
    cym_status st;
    req.kind = kind;
    req.unit = unit;
    st = cym_plot_svgs(&req, 1, r, o, err);
    if (st == CYM_OK && req.st < 0) {
        st = req.st;
        if (err)
            *err = req.err;
    }
    *svg = req.svg;
    *len = req.len;
    return st;
}
