/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The report charts of a run (issue 5): ranking, pillar composition, trends (and per pillar),
 * year-over-year change, rank movement (bump chart), country profiles (radar) and the
 * countries x indicators heat map. Each reads cym_results only and writes a sidecar CSV of
 * exactly the numbers it draws.
 *
 * Design rules, after the OECD and ITU report charts: white page, one type hierarchy (title,
 * subtitle, axis labels, source), light grid behind the data, Okabe-Ito colours with the same
 * colour for the same pillar or highlighted country in every chart, grey for context. Sizes
 * follow the number of countries (row height 8 mm for a few, 4.2 mm for 200) and every label
 * is measured: names wider than their column are shortened with an ellipsis, long titles
 * wrapped, colliding line-end labels pushed apart.
 *
 * Pillar contributions: w_p s_p / sum of w over pillars with a score, which sums to the index
 * under arithmetic aggregation; under other aggregations they are scaled to sum to the index
 * (shares of the weighted pillar scores), so the bar length is always the index.
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

#define MAX_HL 7

static const unsigned palette[8] = {CYM_OI_BLUE,       CYM_OI_ORANGE, CYM_OI_GREEN,
                                    CYM_OI_VERMILLION, CYM_OI_SKY,    CYM_OI_PURPLE,
                                    CYM_OI_BLACK,      CYM_OI_YELLOW};

static const char *const kind_names[CYM_CHART_COUNT_] = {
    "ranking", "pillars", "trends", "pillar-trends", "change", "bump", "profile", "heatmap"};

typedef struct ctx {
    const cym_results *r;
    const cym_options *o;
    size_t t;             /* latest year with index scores */
    size_t root, np;
    size_t *pillars;
    size_t *order;        /* units with an index score at t, best first */
    size_t n_scored;
    int *hl;              /* [unit] highlight slot, -1 */
    size_t n_hl;
    size_t hl_units[MAX_HL];
    char base[300];       /* index title */
    char sub[600];        /* dataset subtitle */
    double lo, hi;        /* score axis of the index and pillars (all years) */
    /* heat map */
    cym_plot_matrix m;
    cym__matrix_arg ma;
    const char **row_labels, **col_labels;
    double *values;
} ctx;

typedef struct unit_arg {
    ctx *c;
    size_t u;
} unit_arg;

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

static double score(const ctx *c, size_t u, size_t t, size_t node)
{
    return c->r->score[cym_results_node_cell(c->r, u, t, node)];
}

static double rank_of(const ctx *c, size_t u, size_t t)
{
    return c->r->rank[cym_results_node_cell(c->r, u, t, c->root)];
}

static int year_of(const ctx *c, size_t t)
{
    return c->r->year0 + (int)t;
}

static const char *uname(const ctx *c, size_t u)
{
    return c->r->ds->units[u].name;
}

/* ---- ordering ------------------------------------------------------------------------- */

static const ctx *sort_ctx;
static size_t sort_t;
static int cmp_score(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double x = score(sort_ctx, i, sort_t, sort_ctx->root);
    double y = score(sort_ctx, j, sort_t, sort_ctx->root);
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (!isnan(x) && x != y)
        return x > y ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* units by index score at t, best first, ties in countries.csv order; returns how many scored */
static size_t order_at(const ctx *c, size_t t, size_t *ord)
{
    size_t n = 0;
    for (size_t u = 0; u < c->r->n_units; u++)
        ord[u] = u;
    sort_ctx = c;
    sort_t = t;
    qsort(ord, c->r->n_units, sizeof(size_t), cmp_score);
    while (n < c->r->n_units && !isnan(score(c, ord[n], t, c->root)))
        n++;
    return n;
}

static void ctx_free(ctx *c)
{
    free(c->pillars);
    free(c->order);
    free(c->hl);
    free(c->row_labels);
    free(c->col_labels);
    free(c->values);
}

static cym_status ctx_init(ctx *c, const cym_results *r, const cym_options *o, cym_error *err)
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
            if (!isnan(score(c, u, t, c->root))) {
                c->t = t;
                found = 1;
                break;
            }
    if (!found)
        return cym_error_set(err, CYM_EDATA, NULL, 0, 0, "no index score to chart in any year");
    c->n_scored = order_at(c, c->t, c->order);
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
                                     "highlight: no country '%.*s' in the dataset", (int)len,
                                     p);
            if (c->hl[u] < 0 && c->n_hl < MAX_HL) {
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
                double v = score(c, u, t, c->root);
                if (!isnan(v)) {
                    lo = fmin(lo, v);
                    hi = fmax(hi, v);
                }
                for (size_t k = 0; k < c->np; k++) {
                    v = score(c, u, t, c->pillars[k]);
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

static unsigned hl_colour(const ctx *c, size_t u)
{
    return c->hl[u] >= 0 ? palette[c->hl[u]] : CYM_CONTEXT;
}

static unsigned pillar_colour(size_t k)
{
    return palette[k % 8];
}

/* ---- shared pieces -------------------------------------------------------------------- */

/* A row of legend keys (square swatches, or short lines when `lines`), wrapped to the width.
   Returns the y under the legend. */
static double legend(double x, double y, double max_w, size_t n, const char *const *names,
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

/* y grid and tick labels left of x0 */
static void axis_y(double x0, double x1, double y0, double y1, double lo, double hi,
                   int labels)
{
    double step = cym__nice_step(hi - lo, (int)fmax(3.0, (y1 - y0) / 14.0));
    char buf[32];
    cym__width(0.18);
    for (double v = ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
        double y = y0 + (v - lo) / (hi - lo) * (y1 - y0);
        cym__pen(fabs(v) < step * 1e-9 ? CYM_AXIS : CYM_GRID, 1.0);
        cym__line(x0, y, x1, y);
        if (labels) {
            snprintf(buf, sizeof(buf), "%g", fabs(v) < step * 1e-9 ? 0.0 : v);
            cym__text(x0 - 1.5, y, CYM_T_SMALL, CYM_MUTED, 0, 0, 1, buf);
        }
    }
}

/* year ticks under y0: every year when they fit, else every k-th (always the last) */
static void axis_years(const ctx *c, double x0, double x1, double y0, double y1, int grid)
{
    size_t ny = c->r->n_years, every = 1;
    char buf[16];
    double span = ny > 1 ? (x1 - x0) / (double)(ny - 1) : 0;
    while (ny > 1 && span * (double)every < 11.0)
        every++;
    for (size_t t = 0; t < ny; t++) {
        double x = ny > 1 ? x0 + (double)t * span : (x0 + x1) / 2;
        if (grid) {
            cym__pen(CYM_GRID, 1.0);
            cym__width(0.18);
            cym__line(x, y0, x, y1);
        }
        if ((ny - 1 - t) % every != 0)
            continue;
        snprintf(buf, sizeof(buf), "%d", year_of(c, t));
        cym__text(x, y0 - 2.8, CYM_T_SMALL, CYM_MUTED, 0, 0, 0.5, buf);
    }
}

static double year_x(const ctx *c, size_t t, double x0, double x1)
{
    return c->r->n_years > 1 ? x0 + (double)t * (x1 - x0) / (double)(c->r->n_years - 1)
                             : (x0 + x1) / 2;
}

static double max_name_width(const ctx *c, const size_t *units, size_t n, double fs, double cap)
{
    double w = 0;
    for (size_t i = 0; i < n; i++)
        w = fmax(w, cym__text_width(uname(c, units[i]), fs, 0));
    return fmin(w, cap);
}

static void title2(char *dst, size_t n, const ctx *c, const char *note)
{
    size_t k = (size_t)snprintf(dst, n, "%s", note);
    if (c->sub[0] && k + 2 < n)
        snprintf(dst + k, n - k, ". %s", c->sub);
}

/* ---- 1 ranking ------------------------------------------------------------------------ */

static unsigned tier_colour(const ctx *c, int tier)
{
    size_t k = c->o->run.n_tiers;
    if (tier < 0 || k == 0)
        return CYM_OI_BLUE;
    /* the highest tier darkest */
    return cym__seq_colour(k == 1 ? 0.8 : 0.92 - 0.62 * (double)tier / (double)(k - 1));
}

static double mean_index(const ctx *c, size_t t)
{
    double s = 0;
    size_t n = 0;
    for (size_t u = 0; u < c->r->n_units; u++) {
        double v = score(c, u, t, c->root);
        if (!isnan(v)) {
            s += v;
            n++;
        }
    }
    return n ? s / (double)n : NAN;
}

static void draw_ranking(void *arg, double w, double h)
{
    ctx *c = arg;
    const cym_results *r = c->r;
    size_t n = c->n_scored;
    double bottom, top, rh, fs, label_w, rank_w, x0, x1, sx, mean = mean_index(c, c->t);
    char title[400], sub[800], buf[256];

    snprintf(title, sizeof(title), "%s %d", c->base, year_of(c, c->t));
    snprintf(buf, sizeof(buf), "Index score by country, ranked; dashed line: group mean (%.1f)",
             mean);
    title2(sub, sizeof(sub), c, buf);
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    bottom += 10.0;
    if (c->o->run.n_tiers) {
        const char *names[CYM_MAX_TIERS];
        unsigned cols[CYM_MAX_TIERS];
        for (size_t k = 0; k < c->o->run.n_tiers; k++) {
            names[k] = c->o->run.tiers[k].label;
            cols[k] = tier_colour(c, (int)k);
        }
        top = legend(10.0, top, w - 20.0, c->o->run.n_tiers, names, cols, 0);
    }
    top -= n > 40 ? 6.0 : 2.0; /* room for the top tick labels */
    rh = (top - bottom) / (double)n;
    fs = fmin(CYM_T_LABEL, rh * 0.62);
    snprintf(buf, sizeof(buf), "%zu", n);
    rank_w = cym__text_width(buf, fs, 0);
    label_w = max_name_width(c, c->order, n, fs, 62.0);
    x0 = 10.0 + rank_w + 2.0 + label_w + 3.0;
    x1 = w - 10.0 - cym__text_width("100.0", fs, 0) - 2.0;
    sx = (x1 - x0) / (c->hi - c->lo);
    cym__axis_x(x0, x1, bottom, top, c->lo, c->hi, "Index score", n > 40);
    for (size_t k = 0; k < n; k++) {
        size_t u = c->order[k];
        double y = top - ((double)k + 0.5) * rh, v = score(c, u, c->t, c->root);
        double xa = x0 + (0 - c->lo) * sx, xb = x0 + (v - c->lo) * sx;
        int tier = r->tier[u * r->n_years + c->t];
        snprintf(buf, sizeof(buf), "%.0f", rank_of(c, u, c->t));
        cym__text(10.0 + rank_w, y, fs, CYM_MUTED, 0, 0, 1, buf);
        cym__fit(buf, sizeof(buf), uname(c, u), fs, 0, label_w);
        cym__text(x0 - 3.0, y, fs, CYM_INK, 0, 0, 1, buf);
        cym__rect(fmin(xa, xb), y - rh * 0.34, fmax(xa, xb), y + rh * 0.34,
                  tier_colour(c, tier), 1.0);
        snprintf(buf, sizeof(buf), "%.1f", v);
        cym__text(fmax(xa, xb) + 1.2, y, fs * 0.92, CYM_INK, 0, 0, 0, buf);
    }
    if (!isnan(mean)) {
        double xm = x0 + (mean - c->lo) * sx;
        cym__pen(CYM_INK, 0.8);
        cym__width(0.3);
        cym__dash(1);
        cym__line(xm, bottom, xm, top);
        cym__dash(0);
    }
}

static cym_status sidecar_ranking(FILE *f, void *arg)
{
    ctx *c = arg;
    fputs("rank,code,name,year,score,tier\n", f);
    for (size_t k = 0; k < c->n_scored; k++) {
        size_t u = c->order[k];
        int tier = c->r->tier[u * c->r->n_years + c->t];
        cym__csv_num(f, rank_of(c, u, c->t));
        fprintf(f, ",%s,", c->r->ds->units[u].code);
        cym__csv_text(f, uname(c, u));
        fprintf(f, ",%d,", year_of(c, c->t));
        cym__csv_num(f, score(c, u, c->t, c->root));
        fputc(',', f);
        cym__csv_text(f, tier >= 0 ? c->o->run.tiers[tier].label : "");
        fputc('\n', f);
    }
    return CYM_OK;
}

/* ---- 2 pillar composition --------------------------------------------------------------- */

/* contributions of the pillars of u at t (see the module comment); NaN when no index */
static void contributions(const ctx *c, size_t u, size_t t, double *out)
{
    double idx = score(c, u, t, c->root), wsum = 0, ws = 0;
    for (size_t k = 0; k < c->np; k++) {
        double s = score(c, u, t, c->pillars[k]);
        if (!isnan(s)) {
            wsum += c->r->weight[c->pillars[k]];
            ws += c->r->weight[c->pillars[k]] * s;
        }
    }
    for (size_t k = 0; k < c->np; k++) {
        double s = score(c, u, t, c->pillars[k]), wk = c->r->weight[c->pillars[k]];
        if (isnan(idx) || isnan(s) || !(wsum > 0))
            out[k] = isnan(idx) ? NAN : 0.0;
        else if (fabs(ws / wsum - idx) <= 1e-9 * fmax(1.0, fabs(idx)) || ws == 0)
            out[k] = wk * s / wsum;
        else
            out[k] = idx * (wk * s / ws);
    }
}

static void draw_pillars(void *arg, double w, double h)
{
    ctx *c = arg;
    size_t n = c->n_scored;
    double bottom, top, rh, fs, label_w, x0, x1, sx, hi = 0;
    double contrib[64];
    const char *names[64];
    unsigned cols[64];
    char title[400], sub[800], buf[256];
    size_t np = c->np < 64 ? c->np : 64;

    snprintf(title, sizeof(title), "%s %d: what the score is made of", c->base,
             year_of(c, c->t));
    title2(sub, sizeof(sub), c,
           "Weighted contribution of each pillar to the index score; bar length is the index");
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    bottom += 10.0;
    for (size_t k = 0; k < np; k++) {
        names[k] = c->r->fw->nodes[c->pillars[k]].name;
        cols[k] = pillar_colour(k);
    }
    top = legend(10.0, top, w - 20.0, np, names, cols, 0);
    top -= n > 40 ? 6.0 : 2.0;
    for (size_t k = 0; k < n; k++)
        hi = fmax(hi, score(c, c->order[k], c->t, c->root));
    hi = ceil(hi / cym__nice_step(hi, 5) - 1e-9) * cym__nice_step(hi, 5);
    if (!(hi > 0))
        hi = 1;
    rh = (top - bottom) / (double)n;
    fs = fmin(CYM_T_LABEL, rh * 0.62);
    label_w = max_name_width(c, c->order, n, fs, 62.0);
    x0 = 10.0 + label_w + 3.0;
    x1 = w - 10.0 - cym__text_width("100.0", fs, 0) - 2.0;
    sx = (x1 - x0) / hi;
    cym__axis_x(x0, x1, bottom, top, 0, hi, "Contribution to the index score", n > 40);
    for (size_t k = 0; k < n; k++) {
        size_t u = c->order[k];
        double y = top - ((double)k + 0.5) * rh, x = x0;
        contributions(c, u, c->t, contrib);
        cym__fit(buf, sizeof(buf), uname(c, u), fs, 0, label_w);
        cym__text(x0 - 3.0, y, fs, CYM_INK, 0, 0, 1, buf);
        for (size_t p = 0; p < np; p++) {
            if (!(contrib[p] > 0))
                continue;
            cym__rect(x, y - rh * 0.34, x + contrib[p] * sx, y + rh * 0.34, cols[p], 1.0);
            x += contrib[p] * sx;
        }
        /* hairline gaps between segments */
        x = x0;
        cym__pen(0xFFFFFF, 1.0);
        cym__width(0.25);
        for (size_t p = 0; p + 1 < np; p++) {
            if (!(contrib[p] > 0))
                continue;
            x += contrib[p] * sx;
            cym__line(x, y - rh * 0.34, x, y + rh * 0.34);
        }
        snprintf(buf, sizeof(buf), "%.1f", score(c, u, c->t, c->root));
        cym__text(x0 + score(c, u, c->t, c->root) * sx + 1.2, y, fs * 0.92, CYM_INK, 0, 0, 0,
                  buf);
    }
}

static cym_status sidecar_pillars(FILE *f, void *arg)
{
    ctx *c = arg;
    double *contrib = malloc((c->np ? c->np : 1) * sizeof(double));
    if (!contrib)
        return CYM_ENOMEM;
    fputs("code,year,pillar,score,weight,contribution,index\n", f);
    for (size_t k = 0; k < c->n_scored; k++) {
        size_t u = c->order[k];
        contributions(c, u, c->t, contrib);
        for (size_t p = 0; p < c->np; p++) {
            fprintf(f, "%s,%d,%s,", c->r->ds->units[u].code, year_of(c, c->t),
                    c->r->fw->nodes[c->pillars[p]].code);
            cym__csv_num(f, score(c, u, c->t, c->pillars[p]));
            fputc(',', f);
            cym__csv_num(f, c->r->weight[c->pillars[p]]);
            fputc(',', f);
            cym__csv_num(f, contrib[p]);
            fputc(',', f);
            cym__csv_num(f, score(c, u, c->t, c->root));
            fputc('\n', f);
        }
    }
    free(contrib);
    return CYM_OK;
}

/* ---- 3 trends ------------------------------------------------------------------------- */

/* lines of `node` for every unit over the years in the box; context first, highlights on top */
static void lines_panel(const ctx *c, size_t node, double x0, double x1, double y0, double y1,
                        double thin, double thick)
{
    const cym_results *r = c->r;
    double xs[512], ys[512];
    for (int pass = 0; pass < 2; pass++)
        for (size_t u = 0; u < r->n_units; u++) {
            size_t m = 0;
            if ((c->hl[u] >= 0) != pass)
                continue;
            cym__pen(hl_colour(c, u), 1.0);
            cym__width(pass ? thick : thin);
            for (size_t t = 0; t <= r->n_years && t < 512; t++) {
                double v = t < r->n_years ? score(c, u, t, node) : NAN;
                if (!isnan(v)) {
                    xs[m] = year_x(c, t, x0, x1);
                    ys[m++] = y0 + (v - c->lo) / (c->hi - c->lo) * (y1 - y0);
                    continue;
                }
                /* a gap ends the segment */
                cym__pen(hl_colour(c, u), 1.0);
                if (m >= 2)
                    cym__polyline(m, xs, ys);
                else if (m == 1)
                    cym__dot(xs[0], ys[0], pass ? thick : thin, hl_colour(c, u));
                m = 0;
            }
        }
}

/* end labels of the highlighted lines at their last point, pushed apart to not overlap */
static void end_labels(const ctx *c, double x1, double y0, double y1, double fs,
                       double max_w)
{
    double ys[MAX_HL], want[MAX_HL];
    size_t idx[MAX_HL], n = 0;
    char buf[256];
    for (size_t k = 0; k < c->n_hl; k++) {
        size_t u = c->hl_units[k];
        for (size_t t = c->r->n_years; t-- > 0;) {
            double v = score(c, u, t, c->root);
            if (!isnan(v)) {
                want[n] = y0 + (v - c->lo) / (c->hi - c->lo) * (y1 - y0);
                idx[n++] = k;
                break;
            }
        }
    }
    /* sort by height, then sweep down and up with a minimum gap */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && want[j] > want[j - 1]; j--) {
            double tw = want[j];
            size_t ti = idx[j];
            want[j] = want[j - 1];
            want[j - 1] = tw;
            idx[j] = idx[j - 1];
            idx[j - 1] = ti;
        }
    for (size_t i = 0; i < n; i++)
        ys[i] = i && want[i] > ys[i - 1] - fs * 1.25 ? ys[i - 1] - fs * 1.25 : want[i];
    for (size_t i = n; i-- > 0;)
        if (ys[i] < y0 && (i + 1 == n || ys[i] < ys[i + 1] + fs * 1.25))
            ys[i] = i + 1 == n ? fmax(ys[i], y0) : fmax(ys[i], ys[i + 1] + fs * 1.25);
    for (size_t i = 0; i < n; i++) {
        size_t u = c->hl_units[idx[i]];
        cym__fit(buf, sizeof(buf), uname(c, u), fs, 1, max_w);
        cym__text(x1 + 3.0, ys[i], fs, palette[idx[i]], 1, 0, 0, buf);
    }
}

/* 1 when `year` is the first year of a new framework edition (cym_editions_plot) */
static int is_break(const ctx *c, int year)
{
    for (size_t b = 0; b < c->r->n_breaks; b++)
        if (c->r->break_years[b] == year)
            return 1;
    return 0;
}

/* a dashed vertical line between the last year of an edition and the first of the next */
static void break_marks(const ctx *c, double x0, double x1, double y0, double y1)
{
    for (size_t t = 1; t < c->r->n_years; t++) {
        double x;
        if (!is_break(c, year_of(c, t)))
            continue;
        x = (year_x(c, t - 1, x0, x1) + year_x(c, t, x0, x1)) / 2;
        cym__pen(CYM_MUTED, 1.0);
        cym__width(0.35);
        cym__dash(1);
        cym__line(x, y0, x, y1);
        cym__dash(0);
        cym__text(x + 1.0, y1 - 3.0, CYM_T_SMALL, CYM_MUTED, 0, 0, 0, "new edition");
    }
}

static void draw_trends(void *arg, double w, double h)
{
    ctx *c = arg;
    double bottom, top, x0, x1, fs = CYM_T_LABEL, label_w = 0;
    char title[400], sub[800];

    snprintf(title, sizeof(title), "%s, %d-%d", c->base, year_of(c, 0),
             year_of(c, c->r->n_years - 1));
    title2(sub, sizeof(sub), c, "Index score over the years; other countries in grey");
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    bottom += 8.0;
    for (size_t k = 0; k < c->n_hl; k++)
        label_w = fmax(label_w, cym__text_width(uname(c, c->hl_units[k]), fs, 1));
    label_w = fmin(label_w, 55.0);
    x0 = 22.0;
    x1 = w - 10.0 - label_w - 3.0;
    cym__text(10.0, (top + bottom) / 2, CYM_T_LABEL, CYM_MUTED, 0, 90, 0.5, "Index score");
    axis_y(x0, x1, bottom, top, c->lo, c->hi, 1);
    axis_years(c, x0, x1, bottom, top, 0);
    lines_panel(c, c->root, x0, x1, bottom, top, 0.22, 0.75);
    break_marks(c, x0, x1, bottom, top);
    end_labels(c, x1, bottom, top, fs, label_w);
}

static cym_status sidecar_lines(FILE *f, const ctx *c, size_t node)
{
    for (size_t u = 0; u < c->r->n_units; u++)
        for (size_t t = 0; t < c->r->n_years; t++) {
            fprintf(f, "%s,%s,%d,", c->r->ds->units[u].code, c->r->fw->nodes[node].code,
                    year_of(c, t));
            cym__csv_num(f, score(c, u, t, node));
            fprintf(f, ",%d", c->hl[u] >= 0);
            if (c->r->n_breaks)
                fprintf(f, ",%d", is_break(c, year_of(c, t)));
            fputc('\n', f);
        }
    return CYM_OK;
}

static cym_status sidecar_trends(FILE *f, void *arg)
{
    fputs(((ctx *)arg)->r->n_breaks ? "code,node,year,score,highlighted,new_edition\n"
                                     : "code,node,year,score,highlighted\n",
          f);
    return sidecar_lines(f, arg, ((ctx *)arg)->root);
}

static void draw_pillar_trends(void *arg, double w, double h)
{
    ctx *c = arg;
    double bottom, top, gap = 12.0, pw, ph;
    size_t cols = c->np <= 4 ? 2 : 3, rows;
    const char *names[MAX_HL];
    unsigned colours[MAX_HL];
    char title[400], sub[800], buf[256];

    if (c->np == 1)
        cols = 1;
    rows = (c->np + cols - 1) / cols;
    snprintf(title, sizeof(title), "%s: pillar scores, %d-%d", c->base, year_of(c, 0),
             year_of(c, c->r->n_years - 1));
    title2(sub, sizeof(sub), c, "Pillar scores over the years; other countries in grey");
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    for (size_t k = 0; k < c->n_hl; k++) {
        names[k] = uname(c, c->hl_units[k]);
        colours[k] = palette[k];
    }
    top = legend(10.0, top, w - 20.0, c->n_hl, names, colours, 1) - 2.0;
    pw = (w - 20.0 - 10.0 - gap * (double)(cols - 1)) / (double)cols;
    ph = (top - bottom - 8.0 * (double)rows - 6.0 * (double)rows) / (double)rows;
    for (size_t k = 0; k < c->np; k++) {
        size_t row = k / cols, col = k % cols;
        double x0 = 20.0 + (double)col * (pw + gap), x1 = x0 + pw;
        double y1 = top - (double)row * (ph + 14.0) - 6.0, y0 = y1 - ph;
        cym__fit(buf, sizeof(buf), c->r->fw->nodes[c->pillars[k]].name, CYM_T_LABEL, 1, pw);
        cym__text(x0, y1 + 3.0, CYM_T_LABEL, CYM_INK, 1, 0, 0, buf);
        axis_y(x0, x1, y0, y1, c->lo, c->hi, col == 0);
        axis_years(c, x0, x1, y0, y1, 0);
        lines_panel(c, c->pillars[k], x0, x1, y0, y1, 0.18, 0.55);
    }
}

static cym_status sidecar_pillar_trends(FILE *f, void *arg)
{
    ctx *c = arg;
    fputs("code,node,year,score,highlighted\n", f);
    for (size_t k = 0; k < c->np; k++)
        sidecar_lines(f, c, c->pillars[k]);
    return CYM_OK;
}

/* ---- 4 change ------------------------------------------------------------------------- */

static size_t change_order(const ctx *c, size_t *ord, double *d)
{
    size_t n = 0, t = c->t;
    for (size_t k = 0; k < c->n_scored; k++) {
        size_t u = c->order[k];
        double a = t > 0 ? score(c, u, t - 1, c->root) : NAN;
        if (isnan(a))
            continue;
        ord[n] = u;
        d[n++] = score(c, u, t, c->root) - a;
    }
    /* largest gain first; stable insertion sort keeps the ranking order among equals */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && d[j] > d[j - 1]; j--) {
            double td = d[j];
            size_t tu = ord[j];
            d[j] = d[j - 1];
            d[j - 1] = td;
            ord[j] = ord[j - 1];
            ord[j - 1] = tu;
        }
    return n;
}

static void draw_change(void *arg, double w, double h)
{
    ctx *c = arg;
    size_t *ord = malloc(c->r->n_units * sizeof(size_t)), n;
    double *d = malloc(c->r->n_units * sizeof(double));
    double bottom, top, rh, fs, label_w, x0, x1, lo = 0, hi = 0, sx, step;
    char title[400], sub[800], buf[256];

    if (!ord || !d) {
        free(ord);
        free(d);
        return;
    }
    n = change_order(c, ord, d);
    snprintf(title, sizeof(title), "%s: change from %d to %d", c->base, year_of(c, c->t - 1),
             year_of(c, c->t));
    title2(sub, sizeof(sub), c, "Change in the index score, points; gains in green, losses in "
                                "vermillion");
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    bottom += 10.0;
    top -= n > 40 ? 6.0 : 2.0;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, d[i]);
        hi = fmax(hi, d[i]);
    }
    if (!(hi > lo))
        hi = lo + 1;
    step = cym__nice_step(hi - lo, 6);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
    rh = (top - bottom) / (double)(n ? n : 1);
    fs = fmin(CYM_T_LABEL, rh * 0.62);
    label_w = max_name_width(c, ord, n, fs, 62.0);
    x0 = 10.0 + label_w + 3.0 + cym__text_width("-10.0", fs, 0) + 2.0;
    x1 = w - 10.0 - cym__text_width("+10.0", fs, 0) - 2.0;
    sx = (x1 - x0) / (hi - lo);
    cym__axis_x(x0, x1, bottom, top, lo, hi, "Change in index score (points)", n > 40);
    cym__pen(CYM_AXIS, 1.0);
    cym__width(0.3);
    cym__line(x0 - lo * sx, bottom, x0 - lo * sx, top);
    for (size_t i = 0; i < n; i++) {
        double y = top - ((double)i + 0.5) * rh, xz = x0 - lo * sx, xv = x0 + (d[i] - lo) * sx;
        cym__fit(buf, sizeof(buf), uname(c, ord[i]), fs, 0, label_w);
        cym__text(10.0 + label_w, y, fs, CYM_INK, 0, 0, 1, buf);
        cym__rect(fmin(xz, xv), y - rh * 0.34, fmax(xz, xv), y + rh * 0.34,
                  d[i] >= 0 ? CYM_OI_GREEN : CYM_OI_VERMILLION, 1.0);
        snprintf(buf, sizeof(buf), "%+.1f", d[i]);
        if (d[i] >= 0)
            cym__text(xv + 1.2, y, fs * 0.92, CYM_INK, 0, 0, 0, buf);
        else
            cym__text(xv - 1.2, y, fs * 0.92, CYM_INK, 0, 0, 1, buf);
    }
    free(ord);
    free(d);
}

static cym_status sidecar_change(FILE *f, void *arg)
{
    ctx *c = arg;
    size_t *ord = malloc(c->r->n_units * sizeof(size_t)), n;
    double *d = malloc(c->r->n_units * sizeof(double));
    if (!ord || !d) {
        free(ord);
        free(d);
        return CYM_ENOMEM;
    }
    n = change_order(c, ord, d);
    fputs("code,year_from,year_to,score_from,score_to,change\n", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s,%d,%d,", c->r->ds->units[ord[i]].code, year_of(c, c->t - 1),
                year_of(c, c->t));
        cym__csv_num(f, score(c, ord[i], c->t - 1, c->root));
        fputc(',', f);
        cym__csv_num(f, score(c, ord[i], c->t, c->root));
        fputc(',', f);
        cym__csv_num(f, d[i]);
        fputc('\n', f);
    }
    free(ord);
    free(d);
    return CYM_OK;
}

/* ---- 5 bump chart ------------------------------------------------------------------------ */

/* position (0 = top) of every unit in each year's ranking, SIZE_MAX when unranked */
static size_t *bump_positions(const ctx *c)
{
    size_t nu = c->r->n_units, ny = c->r->n_years;
    size_t *pos = malloc(nu * ny * sizeof(size_t)), *ord = malloc(nu * sizeof(size_t));
    if (!pos || !ord) {
        free(pos);
        free(ord);
        return NULL;
    }
    for (size_t t = 0; t < ny; t++) {
        size_t n = order_at(c, t, ord);
        for (size_t u = 0; u < nu; u++)
            pos[u * ny + t] = SIZE_MAX;
        for (size_t k = 0; k < n; k++)
            pos[ord[k] * ny + t] = k;
    }
    free(ord);
    return pos;
}

static void draw_bump(void *arg, double w, double h)
{
    ctx *c = arg;
    const cym_results *r = c->r;
    size_t nu = r->n_units, ny = r->n_years, *pos = bump_positions(c), rows = 0;
    double bottom, top, rh, fs, lw = 0, x0, x1;
    char title[400], sub[800], buf[300], name[256];

    if (!pos)
        return;
    for (size_t t = 0; t < ny; t++) {
        size_t n = 0;
        for (size_t u = 0; u < nu; u++)
            n += pos[u * ny + t] != SIZE_MAX;
        rows = n > rows ? n : rows;
    }
    snprintf(title, sizeof(title), "%s: rank, %d-%d", c->base, year_of(c, 0),
             year_of(c, ny - 1));
    title2(sub, sizeof(sub), c, "Rank by index score in each year (1 = highest)");
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    bottom += 8.0;
    top -= 6.0;
    rh = (top - bottom) / (double)(rows ? rows : 1);
    fs = fmin(CYM_T_LABEL, rh * 0.66);
    for (size_t u = 0; u < nu; u++)
        lw = fmax(lw, cym__text_width(uname(c, u), fs, c->hl[u] >= 0));
    lw = fmin(lw, 50.0) + cym__text_width("200 ", fs, 0);
    x0 = 10.0 + lw + 3.0;
    x1 = w - 10.0 - lw - 3.0;
    axis_years(c, x0, x1, bottom, top, 1);
    for (size_t t = 0; t < ny; t++) {
        snprintf(buf, sizeof(buf), "%d", year_of(c, t));
        if (ny <= 12 || t == 0 || t == ny - 1)
            cym__text(year_x(c, t, x0, x1), top + 3.0, CYM_T_SMALL, CYM_MUTED, 0, 0, 0.5, buf);
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t u = 0; u < nu; u++) {
            unsigned col = hl_colour(c, u);
            size_t first = SIZE_MAX, last = SIZE_MAX;
            if ((c->hl[u] >= 0) != pass)
                continue;
            cym__width(pass ? 0.8 : (nu > 60 ? 0.15 : 0.3));
            for (size_t t = 0; t < ny; t++) {
                size_t p = pos[u * ny + t];
                if (p == SIZE_MAX)
                    continue;
                if (first == SIZE_MAX)
                    first = t;
                if (last != SIZE_MAX && last == t - 1) {
                    cym__pen(col, 1.0);
                    cym__line(year_x(c, t - 1, x0, x1),
                              top - ((double)pos[u * ny + t - 1] + 0.5) * rh,
                              year_x(c, t, x0, x1), top - ((double)p + 0.5) * rh);
                }
                last = t;
            }
            if (pass && nu <= 60)
                for (size_t t = 0; t < ny; t++)
                    if (pos[u * ny + t] != SIZE_MAX)
                        cym__dot(year_x(c, t, x0, x1),
                                 top - ((double)pos[u * ny + t] + 0.5) * rh, fmin(1.0, rh * 0.2),
                                 col);
            /* names at both ends, with the rank */
            if (first != SIZE_MAX) {
                double y = top - ((double)pos[u * ny + first] + 0.5) * rh;
                cym__fit(name, sizeof(name), uname(c, u), fs, pass, 50.0);
                snprintf(buf, sizeof(buf), "%s  %.0f", name, rank_of(c, u, first));
                cym__text(x0 - 2.0, y, fs, pass ? col : CYM_MUTED, pass, 0, 1, buf);
                y = top - ((double)pos[u * ny + last] + 0.5) * rh;
                snprintf(buf, sizeof(buf), "%.0f  %s", rank_of(c, u, last), name);
                cym__text(x1 + 2.0, y, fs, pass ? col : CYM_MUTED, pass, 0, 0, buf);
            }
        }
    break_marks(c, x0, x1, bottom, top);
    free(pos);
}

static cym_status sidecar_bump(FILE *f, void *arg)
{
    ctx *c = arg;
    size_t ny = c->r->n_years, *pos = bump_positions(c);
    if (!pos)
        return CYM_ENOMEM;
    fputs(c->r->n_breaks ? "code,year,rank,position,new_edition\n" : "code,year,rank,position\n",
          f);
    for (size_t u = 0; u < c->r->n_units; u++)
        for (size_t t = 0; t < ny; t++) {
            if (pos[u * ny + t] == SIZE_MAX)
                continue;
            fprintf(f, "%s,%d,", c->r->ds->units[u].code, year_of(c, t));
            cym__csv_num(f, rank_of(c, u, t));
            fprintf(f, ",%zu", pos[u * ny + t] + 1);
            if (c->r->n_breaks)
                fprintf(f, ",%d", is_break(c, year_of(c, t)));
            fputc('\n', f);
        }
    free(pos);
    return CYM_OK;
}

/* ---- 6 profile (radar) ------------------------------------------------------------------ */

static double pillar_mean(const ctx *c, size_t p)
{
    double s = 0;
    size_t n = 0;
    for (size_t u = 0; u < c->r->n_units; u++) {
        double v = score(c, u, c->t, c->pillars[p]);
        if (!isnan(v)) {
            s += v;
            n++;
        }
    }
    return n ? s / (double)n : NAN;
}

static void radar_polygon(const ctx *c, const double *v, double cx, double cy, double R,
                          unsigned col, double fill_alpha, double width, int dash)
{
    double xs[65], ys[65];
    size_t n = c->np < 64 ? c->np : 64, m = 0;
    for (size_t k = 0; k < n; k++) {
        double a = M_PI / 2 - 2 * M_PI * (double)k / (double)n;
        double f = isnan(v[k]) ? 0 : (v[k] - c->lo) / (c->hi - c->lo);
        xs[m] = cx + R * f * cos(a);
        ys[m++] = cy + R * f * sin(a);
    }
    if (fill_alpha > 0)
        cym__polygon(m, xs, ys, col, fill_alpha);
    xs[m] = xs[0];
    ys[m++] = ys[0];
    cym__pen(col, 1.0);
    cym__width(width);
    cym__dash(dash);
    cym__polyline(m, xs, ys);
    cym__dash(0);
}

static void draw_profile(void *arg, double w, double h)
{
    const unit_arg *ua = arg;
    const ctx *c = ua->c;
    size_t u = ua->u, leader = c->order[0], n = c->np < 64 ? c->np : 64;
    double bottom, top, cx, cy, R, mine[64], mean[64], lead[64];
    char title[400], sub[800], buf[700], lines[3][256];

    snprintf(title, sizeof(title), "%s: pillar profile, %d", uname(c, u), year_of(c, c->t));
    if (isnan(score(c, u, c->t, c->root)))
        snprintf(buf, sizeof(buf), "%s. No index score", c->base);
    else
        snprintf(buf, sizeof(buf), "%s: score %.1f, rank %.0f of %zu", c->base,
                 score(c, u, c->t, c->root), rank_of(c, u, c->t), c->n_scored);
    snprintf(sub, sizeof(sub), "%s. Pillar scores against the group mean and the leader", buf);
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    /* the legend in drawing order of importance; the leader has no separate line */
    {
        const char *ln[3];
        unsigned lc[3];
        size_t nl = 0;
        snprintf(buf, sizeof(buf), "Leader: %s", uname(c, leader));
        ln[nl] = uname(c, u);
        lc[nl++] = CYM_OI_BLUE;
        if (u != leader) {
            ln[nl] = buf;
            lc[nl++] = CYM_OI_ORANGE;
        }
        ln[nl] = "Group mean (dashed)";
        lc[nl++] = CYM_MUTED;
        top = legend(10.0, top, w - 20.0, nl, ln, lc, 1);
    }
    for (size_t k = 0; k < n; k++) {
        mine[k] = score(c, u, c->t, c->pillars[k]);
        mean[k] = pillar_mean(c, k);
        lead[k] = score(c, leader, c->t, c->pillars[k]);
    }
    cx = w / 2;
    R = fmin((top - bottom - 24.0) / 2, (w - 2 * 62.0) / 2);
    cy = (top + bottom) / 2;
    /* rings and spokes */
    {
        double step = cym__nice_step(c->hi - c->lo, 5);
        for (double v = c->lo + step; v <= c->hi + 1e-9; v += step) {
            double xs[65], ys[65], f = (v - c->lo) / (c->hi - c->lo);
            for (size_t k = 0; k <= n; k++) {
                double a = M_PI / 2 - 2 * M_PI * (double)(k % n) / (double)n;
                xs[k] = cx + R * f * cos(a);
                ys[k] = cy + R * f * sin(a);
            }
            cym__pen(CYM_GRID, 1.0);
            cym__width(0.2);
            cym__polyline(n + 1, xs, ys);
            snprintf(buf, sizeof(buf), "%g", v);
            cym__text(cx + 1.0, cy + R * f + 1.6, CYM_T_SMALL - 0.3, CYM_MUTED, 0, 0, 0, buf);
        }
        for (size_t k = 0; k < n; k++) {
            double a = M_PI / 2 - 2 * M_PI * (double)k / (double)n;
            cym__pen(CYM_GRID, 1.0);
            cym__line(cx, cy, cx + R * cos(a), cy + R * sin(a));
        }
    }
    radar_polygon(c, mean, cx, cy, R, CYM_MUTED, 0, 0.4, 1);
    if (u != leader)
        radar_polygon(c, lead, cx, cy, R, CYM_OI_ORANGE, 0, 0.5, 0);
    radar_polygon(c, mine, cx, cy, R, CYM_OI_BLUE, 0.22, 0.8, 0);
    /* pillar names with the country's score, outside the rim, wrapped to two lines */
    for (size_t k = 0; k < n; k++) {
        double a = M_PI / 2 - 2 * M_PI * (double)k / (double)n, ca = cos(a), sa = sin(a);
        double lx = cx + (R + 5.0) * ca, ly = cy + (R + 5.0) * sa;
        double just = fabs(ca) < 0.2 ? 0.5 : ca > 0 ? 0 : 1;
        size_t nl = cym__wrap(lines, 2, c->r->fw->nodes[c->pillars[k]].name, CYM_T_LABEL, 1,
                              58.0);
        double lh = CYM_T_LABEL * 1.3, block = lh * (double)(nl + 1);
        double ytop = sa > 0.2 ? ly + block - lh * 0.5 : sa < -0.2 ? ly - lh * 0.5
                                                                    : ly + block / 2 - lh * 0.5;
        for (size_t i = 0; i < nl; i++)
            cym__text(lx, ytop - lh * (double)i, CYM_T_LABEL, CYM_INK, 1, 0, just, lines[i]);
        if (isnan(mine[k]))
            snprintf(buf, sizeof(buf), "no data");
        else
            snprintf(buf, sizeof(buf), "%.1f (mean %.1f)", mine[k], mean[k]);
        cym__text(lx, ytop - lh * (double)nl, CYM_T_SMALL, CYM_MUTED, 0, 0, just, buf);
    }
}

static cym_status sidecar_profile(FILE *f, void *arg)
{
    const unit_arg *ua = arg;
    const ctx *c = ua->c;
    fputs("code,year,pillar,score,group_mean,leader,leader_score\n", f);
    for (size_t k = 0; k < c->np; k++) {
        fprintf(f, "%s,%d,%s,", c->r->ds->units[ua->u].code, year_of(c, c->t),
                c->r->fw->nodes[c->pillars[k]].code);
        cym__csv_num(f, score(c, ua->u, c->t, c->pillars[k]));
        fputc(',', f);
        cym__csv_num(f, pillar_mean(c, k));
        fprintf(f, ",%s,", c->r->ds->units[c->order[0]].code);
        cym__csv_num(f, score(c, c->order[0], c->t, c->pillars[k]));
        fputc('\n', f);
    }
    return CYM_OK;
}

/* ---- 7 heat map ------------------------------------------------------------------------ */

static cym_status heatmap_init(ctx *c, cym_error *err)
{
    const cym_results *r = c->r;
    size_t ni = r->n_ind, n = c->n_scored;
    double lo = INFINITY, hi = -INFINITY;
    c->row_labels = malloc((n ? n : 1) * sizeof(char *));
    c->col_labels = malloc((ni ? ni : 1) * sizeof(char *));
    c->values = malloc((n && ni ? n * ni : 1) * sizeof(double));
    if (!c->row_labels || !c->col_labels || !c->values)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < ni; i++)
        c->col_labels[i] = r->fw->nodes[r->fw->indicators[i]].code;
    for (size_t k = 0; k < n; k++) {
        size_t u = c->order[k];
        c->row_labels[k] = uname(c, u);
        for (size_t i = 0; i < ni; i++) {
            double v = score(c, u, c->t, r->fw->indicators[i]);
            c->values[k * ni + i] = v;
            if (!isnan(v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
    }
    /* the normalisation range when the scores are in it (min-max 0-100), else the data's */
    if (lo >= c->o->run.norm.lo && hi <= c->o->run.norm.hi && c->o->run.norm.hi > c->o->run.norm.lo &&
        c->o->run.norm.method == CYM_NORM_MINMAX) {
        lo = c->o->run.norm.lo;
        hi = c->o->run.norm.hi;
    }
    if (!(hi > lo)) {
        lo = isfinite(lo) ? lo : 0;
        hi = lo + 1;
    }
    c->m.n_rows = n;
    c->m.n_cols = ni;
    c->m.row_labels = c->row_labels;
    c->m.col_labels = c->col_labels;
    c->m.values = c->values;
    c->m.lo = lo;
    c->m.hi = hi;
    c->m.diverging = 0;
    c->m.scale_label = "Normalised score";
    return CYM_OK;
}

static void draw_heatmap(void *arg, double w, double h)
{
    ctx *c = arg;
    char title[400], sub[800];
    snprintf(title, sizeof(title), "%s %d: indicator scores", c->base, year_of(c, c->t));
    title2(sub, sizeof(sub), c,
           "Normalised indicator scores (columns, by pillar) for each country, ranked");
    c->ma.m = &c->m;
    c->ma.text.title = title;
    c->ma.text.subtitle = sub;
    c->ma.text.source = c->o->source;
    c->ma.note = NULL;
    cym__draw_matrix(&c->ma, w, h);
}

static cym_status sidecar_heatmap(FILE *f, void *arg)
{
    ctx *c = arg;
    fputs("code,indicator,year,score\n", f);
    for (size_t k = 0; k < c->m.n_rows; k++)
        for (size_t i = 0; i < c->m.n_cols; i++) {
            fprintf(f, "%s,%s,%d,", c->r->ds->units[c->order[k]].code, c->col_labels[i],
                    year_of(c, c->t));
            cym__csv_num(f, c->values[k * c->m.n_cols + i]);
            fputc('\n', f);
        }
    return CYM_OK;
}

/* ---- the jobs -------------------------------------------------------------------------- */

static int is_time_kind(cym_chart_kind k)
{
    return k == CYM_CHART_TRENDS || k == CYM_CHART_PILLAR_TRENDS || k == CYM_CHART_CHANGE ||
           k == CYM_CHART_BUMP;
}

/* Renders job `j` as SVG into memory (a temporary file PLplot writes, read back, removed). */
static cym_status job_svg(char **mem, size_t *len, const cym__chart_job *j, cym_error *err)
{
    const char *dir = getenv("TMPDIR");
    char path[CYM_PATH_MAX], display[160];
    cym_status st;
    FILE *f;
    long size;
    int fd;
    snprintf(path, sizeof(path), "%s/cymetrics-chart-XXXXXX", dir && dir[0] ? dir : "/tmp");
    snprintf(display, sizeof(display), "chart %s (SVG for the report)", j->name);
    if ((fd = mkstemp(path)) < 0)
        return cym_error_set(err, CYM_EIO, path, 0, 0, "cannot create a temporary file: %s",
                             strerror(errno));
    close(fd);
    st = cym__canvas_render(CYM_DEV_SVG, path, display, j->h_mm, j->draw, j->arg, err);
    if (st == CYM_OK) {
        f = fopen(path, "rb");
        if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
            fseek(f, 0, SEEK_SET) != 0) {
            st = cym_error_set(err, CYM_EIO, path, 0, 0, "cannot read the chart back");
        } else if (!(*mem = malloc((size_t)size + 1))) {
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        } else if (fread(*mem, 1, (size_t)size, f) != (size_t)size) {
            free(*mem);
            *mem = NULL;
            st = cym_error_set(err, CYM_EIO, path, 0, 0, "cannot read the chart back");
        } else {
            (*mem)[size] = '\0';
            *len = (size_t)size;
        }
        if (f)
            fclose(f);
    }
    unlink(path);
    return st;
}

/*
 * Builds the jobs of the kinds in `want` and draws them into outdir/charts/ in o->charts'
 * formats, or, with `mem`, the first job only as SVG into *mem (NULL when no job applies).
 */
static cym_status plot_kinds(const cym_results *r, const cym_options *o, const int *want,
                             size_t unit, const char *outdir, cym_warnings *failed,
                             cym_error *err, char **mem, size_t *mem_len)
{
    ctx c;
    cym__chart_job *jobs = NULL;
    unit_arg *ua = NULL;
    size_t n = 0, nu = r->n_units;
    int want_time = 1, want_heatmap = 1;
    cym_status st;

    if (o->charts == 0 && !mem)
        return CYM_OK;
    if ((st = ctx_init(&c, r, o, err)) < 0)
        goto cleanup;
    if (want[CYM_CHART_HEATMAP] && (st = heatmap_init(&c, err)) < 0)
        goto cleanup;
    jobs = calloc(CYM_CHART_COUNT_ + nu, sizeof(*jobs));
    ua = calloc(nu ? nu : 1, sizeof(*ua));
    if (!jobs || !ua) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    /* charts over time need two years with index scores: one kind asked for alone is an
       error, in a whole run they are left out (the ranking shows a single year) */
    if (c.t == 0) {
        static const cym_chart_kind over_time[] = {CYM_CHART_TRENDS, CYM_CHART_PILLAR_TRENDS,
                                                   CYM_CHART_CHANGE, CYM_CHART_BUMP};
        for (size_t k = 0; k < 4; k++)
            if (want[over_time[k]] && !want[CYM_CHART_RANKING] && !mem) {
                st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                   "the %s chart needs index scores in two years or more",
                                   kind_names[over_time[k]]);
                goto cleanup;
            }
        want_time = 0;
    }
#define JOB(kind, height, d, s)                                                               \
    if (want[kind] && (want_time || !is_time_kind(kind))) {                                  \
        snprintf(jobs[n].name, sizeof(jobs[n].name), "%s", kind_names[kind]);                \
        jobs[n].h_mm = (height);                                                             \
        jobs[n].draw = d;                                                                    \
        jobs[n].sidecar = s;                                                                 \
        jobs[n++].arg = &c;                                                                  \
    }
    JOB(CYM_CHART_RANKING, cym__rows_page_height(c.n_scored, o->run.n_tiers ? 8.0 : 0.0),
        draw_ranking, sidecar_ranking)
    JOB(CYM_CHART_PILLARS, cym__rows_page_height(c.n_scored, 8.0 + 5.0 * (double)(c.np / 5)),
        draw_pillars, sidecar_pillars)
    JOB(CYM_CHART_TRENDS, 150.0, draw_trends, sidecar_trends)
    JOB(CYM_CHART_PILLAR_TRENDS,
        60.0 + 62.0 * (double)((c.np + (c.np <= 4 ? 1 : 2)) / (c.np <= 4 ? 2 : 3)),
        draw_pillar_trends, sidecar_pillar_trends)
    JOB(CYM_CHART_CHANGE, cym__rows_page_height(c.n_scored, 0.0), draw_change,
        sidecar_change)
    JOB(CYM_CHART_BUMP, cym__rows_page_height(c.n_scored, 6.0), draw_bump, sidecar_bump)
    if (unit == (size_t)-1 && c.n_scored * r->n_ind > CYM_PLOT_RUN_MAX_HEATMAP_CELLS)
        want_heatmap = 0; /* unreadable at that size; `chart heatmap` still draws it */
    if (want_heatmap)
        JOB(CYM_CHART_HEATMAP, cym__matrix_height(&c.m), draw_heatmap, sidecar_heatmap)
#undef JOB
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
            if (unit == (size_t)-1 && nu > CYM_PLOT_RUN_MAX_PROFILES && c.hl[u] < 0)
                continue;
            ua[u].c = &c;
            ua[u].u = u;
            snprintf(jobs[n].name, sizeof(jobs[n].name), "profile-%s", r->ds->units[u].code);
            jobs[n].h_mm = 200.0 + (c.np > 8 ? 30.0 : 0.0);
            jobs[n].draw = draw_profile;
            jobs[n].sidecar = sidecar_profile;
            jobs[n++].arg = &ua[u];
        }
    }
    if (mem)
        st = n ? job_svg(mem, mem_len, &jobs[0], err) : CYM_OK;
    else
        st = cym__plot_jobs(jobs, n, o->charts, outdir, failed, err);

cleanup:
    free(jobs);
    free(ua);
    ctx_free(&c);
    return st;
}

cym_status cym_plot_run(const cym_results *r, const cym_options *o, const char *outdir,
                        cym_warnings *failed, cym_error *err)
{
    int want[CYM_CHART_COUNT_];
    for (int k = 0; k < CYM_CHART_COUNT_; k++)
        want[k] = 1;
    return plot_kinds(r, o, want, (size_t)-1, outdir, failed, err, NULL, NULL);
}

cym_status cym_plot_chart(const cym_results *r, const cym_options *o, cym_chart_kind kind,
                          size_t unit, const char *outdir, cym_warnings *failed,
                          cym_error *err)
{
    int want[CYM_CHART_COUNT_] = {0};
    if (kind >= CYM_CHART_COUNT_)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "unknown chart kind");
    want[kind] = 1;
    return plot_kinds(r, o, want, unit, outdir, failed, err, NULL, NULL);
}

cym_status cym_plot_svg(char **svg, size_t *len, const cym_results *r, const cym_options *o,
                        cym_chart_kind kind, size_t unit, cym_error *err)
{
    int want[CYM_CHART_COUNT_] = {0};
    *svg = NULL;
    *len = 0;
    if (kind >= CYM_CHART_COUNT_)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "unknown chart kind");
    want[kind] = 1;
    return plot_kinds(r, o, want, unit, NULL, NULL, err, svg, len);
}
