/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The charts of one year, every country a row: the ranking (bars coloured by tier, the group
 * mean dashed), the pillar composition (stacked bars) and the countries x indicators heat
 * map (drawn by the generic matrix chart of plot.c).
 *
 * Pillar contributions: w_p s_p / sum of w over pillars with a score, which sums to the index
 * under arithmetic aggregation; under other aggregations they are scaled to sum to the index
 * (shares of the weighted pillar scores), so the bar length is always the index.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "plot/canvas.h"
#include "plot/plot_internal.h"

static unsigned pillar_colour(size_t k)
{
    return cym__palette[k % CYM__N_PALETTE];
}

/* ---- 1 ranking ------------------------------------------------------------------------ */

static unsigned tier_colour(const cym__charts *c, int tier)
{
    size_t k = c->r->opts.n_tiers;
    if (tier < 0 || k == 0)
        return CYM_OI_BLUE;
    /* the highest tier darkest */
    return cym__seq_colour(k == 1 ? 0.8 : 0.92 - 0.62 * (double)tier / (double)(k - 1));
}

static void draw_ranking(void *arg, double w, double h)
{
    cym__charts *c = arg;
    const cym_results *r = c->r;
    size_t n = c->n_scored;
    double bottom, top, rh, fs, label_w, rank_w, x0, x1, sx,
        mean = cym__charts_mean(c, c->t, c->root);
    char title[400], sub[800], buf[256], note[400];

    snprintf(title, sizeof(title), "%s %d", c->base, cym__charts_year(c, c->t));
    snprintf(buf, sizeof(buf), "Index score by country, ranked; dashed line: group mean (%.1f)",
             mean);
    cym__charts_flag_note(note, sizeof(note), c, c->t, c->t, buf);
    cym__charts_subtitle(sub, sizeof(sub), c, note);
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    bottom += 10.0;
    if (c->r->opts.n_tiers) {
        const char *names[CYM_MAX_TIERS];
        unsigned cols[CYM_MAX_TIERS];
        for (size_t k = 0; k < c->r->opts.n_tiers; k++) {
            names[k] = c->r->opts.tiers[k].label;
            cols[k] = tier_colour(c, (int)k);
        }
        top = cym__charts_legend(10.0, top, w - 20.0, c->r->opts.n_tiers, names, cols, 0);
    }
    top -= n > 40 ? 6.0 : 2.0; /* room for the top tick labels */
    rh = (top - bottom) / (double)n;
    fs = fmin(CYM_T_LABEL, rh * 0.62);
    snprintf(buf, sizeof(buf), "%zu", n);
    rank_w = cym__text_width(buf, fs, 0);
    label_w = cym__charts_name_width(c, c->order, n, fs, 62.0);
    x0 = 10.0 + rank_w + 2.0 + label_w + 3.0;
    x1 = w - 10.0 - cym__text_width("100.0", fs, 0) - 2.0;
    sx = (x1 - x0) / (c->hi - c->lo);
    cym__axis_x(x0, x1, bottom, top, c->lo, c->hi, "Index score", n > 40);
    for (size_t k = 0; k < n; k++) {
        size_t u = c->order[k];
        double y = top - ((double)k + 0.5) * rh, v = cym__charts_score(c, u, c->t, c->root);
        double xa = x0 + (0 - c->lo) * sx, xb = x0 + (v - c->lo) * sx;
        int tier = r->tier[u * r->n_years + c->t];
        snprintf(buf, sizeof(buf), "%.0f", cym__charts_rank(c, u, c->t));
        cym__text(10.0 + rank_w, y, fs, CYM_MUTED, 0, 0, 1, buf);
        cym__charts_name(c, u, x0 - 3.0, y, fs, label_w);
        cym__rect(fmin(xa, xb), y - rh * 0.34, fmax(xa, xb), y + rh * 0.34, tier_colour(c, tier),
                  1.0);
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
    cym__charts *c = arg;
    fputs("rank,code,name,year,score,tier,flagged,highlighted\n", f);
    for (size_t k = 0; k < c->n_scored; k++) {
        size_t u = c->order[k];
        int tier = c->r->tier[u * c->r->n_years + c->t];
        cym__csv_put_num(f, cym__charts_rank(c, u, c->t));
        fprintf(f, ",%s,", c->r->ds->units[u].code);
        cym__csv_put_text(f, cym__charts_uname(c, u));
        fprintf(f, ",%d,", cym__charts_year(c, c->t));
        cym__csv_put_num(f, cym__charts_score(c, u, c->t, c->root));
        fputc(',', f);
        cym__csv_put_text(f, tier >= 0 ? c->r->opts.tiers[tier].label : "");
        fprintf(f, ",%d,%d\n", cym_results_flagged(c->r, u, c->t), c->hl[u] >= 0);
    }
    return CYM_OK;
}

const cym__charts_kind cym__charts_ranking = {draw_ranking, sidecar_ranking};

/* ---- 2 pillar composition --------------------------------------------------------------- */

/* contributions of the pillars of u at t (see the module comment); NaN when no index */
static void contributions(const cym__charts *c, size_t u, size_t t, double *out)
{
    double idx = cym__charts_score(c, u, t, c->root), wsum = 0, ws = 0;
    for (size_t k = 0; k < c->np; k++) {
        double s = cym__charts_score(c, u, t, c->pillars[k]);
        if (!isnan(s)) {
            wsum += c->r->weight[c->pillars[k]];
            ws += c->r->weight[c->pillars[k]] * s;
        }
    }
    for (size_t k = 0; k < c->np; k++) {
        double s = cym__charts_score(c, u, t, c->pillars[k]), wk = c->r->weight[c->pillars[k]];
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
    cym__charts *c = arg;
    size_t n = c->n_scored;
    double bottom, top, rh, fs, label_w, x0, x1, sx, hi = 0;
    double contrib[64];
    const char *names[64];
    unsigned cols[64];
    char title[400], sub[800], buf[256], note[400];
    size_t np = c->np < 64 ? c->np : 64;

    snprintf(title, sizeof(title), "%s %d: what the score is made of", c->base,
             cym__charts_year(c, c->t));
    cym__charts_flag_note(
        note, sizeof(note), c, c->t, c->t,
        "Weighted contribution of each pillar to the index score; bar length is the index");
    cym__charts_subtitle(sub, sizeof(sub), c, note);
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    bottom += 10.0;
    for (size_t k = 0; k < np; k++) {
        names[k] = c->r->fw->nodes[c->pillars[k]].name;
        cols[k] = pillar_colour(k);
    }
    top = cym__charts_legend(10.0, top, w - 20.0, np, names, cols, 0);
    top -= n > 40 ? 6.0 : 2.0;
    for (size_t k = 0; k < n; k++)
        hi = fmax(hi, cym__charts_score(c, c->order[k], c->t, c->root));
    hi = ceil(hi / cym__nice_step(hi, 5) - 1e-9) * cym__nice_step(hi, 5);
    if (!(hi > 0))
        hi = 1;
    rh = (top - bottom) / (double)n;
    fs = fmin(CYM_T_LABEL, rh * 0.62);
    label_w = cym__charts_name_width(c, c->order, n, fs, 62.0);
    x0 = 10.0 + label_w + 3.0;
    x1 = w - 10.0 - cym__text_width("100.0", fs, 0) - 2.0;
    sx = (x1 - x0) / hi;
    cym__axis_x(x0, x1, bottom, top, 0, hi, "Contribution to the index score", n > 40);
    for (size_t k = 0; k < n; k++) {
        size_t u = c->order[k];
        double y = top - ((double)k + 0.5) * rh, x = x0;
        contributions(c, u, c->t, contrib);
        cym__charts_name(c, u, x0 - 3.0, y, fs, label_w);
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
        snprintf(buf, sizeof(buf), "%.1f", cym__charts_score(c, u, c->t, c->root));
        cym__text(x0 + cym__charts_score(c, u, c->t, c->root) * sx + 1.2, y, fs * 0.92, CYM_INK, 0,
                  0, 0, buf);
    }
}

static cym_status sidecar_pillars(FILE *f, void *arg)
{
    cym__charts *c = arg;
    double *contrib = malloc((c->np ? c->np : 1) * sizeof(double));
    if (!contrib)
        return CYM_ENOMEM;
    fputs("code,year,pillar,score,weight,contribution,index\n", f);
    for (size_t k = 0; k < c->n_scored; k++) {
        size_t u = c->order[k];
        contributions(c, u, c->t, contrib);
        for (size_t p = 0; p < c->np; p++) {
            fprintf(f, "%s,%d,", c->r->ds->units[u].code, cym__charts_year(c, c->t));
            cym__csv_put_text(f, c->r->fw->nodes[c->pillars[p]].code);
            fputc(',', f);
            cym__csv_put_num(f, cym__charts_score(c, u, c->t, c->pillars[p]));
            fputc(',', f);
            cym__csv_put_num(f, c->r->weight[c->pillars[p]]);
            fputc(',', f);
            cym__csv_put_num(f, contrib[p]);
            fputc(',', f);
            cym__csv_put_num(f, cym__charts_score(c, u, c->t, c->root));
            fputc('\n', f);
        }
    }
    free(contrib);
    return CYM_OK;
}

const cym__charts_kind cym__charts_pillars = {draw_pillars, sidecar_pillars};

/* ---- 7 heat map ------------------------------------------------------------------------ */

cym_status cym__charts_heatmap_init(cym__charts *c, cym_error *err)
{
    const cym_results *r = c->r;
    size_t ni = r->n_ind, n = c->n_scored;
    double lo = INFINITY, hi = -INFINITY;
    c->row_labels = malloc((n ? n : 1) * sizeof(char *));
    c->col_labels = malloc((ni ? ni : 1) * sizeof(char *));
    c->row_hl = malloc((n ? n : 1) * sizeof(int));
    c->values = malloc((n && ni ? n * ni : 1) * sizeof(double));
    if (!c->row_labels || !c->row_hl || !c->col_labels || !c->values)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < ni; i++)
        c->col_labels[i] = r->fw->nodes[r->fw->indicators[i]].code;
    for (size_t k = 0; k < n; k++) {
        size_t u = c->order[k];
        c->row_labels[k] = cym__charts_uname(c, u);
        c->row_hl[k] = c->hl[u];
        for (size_t i = 0; i < ni; i++) {
            double v = cym__charts_score(c, u, c->t, r->fw->indicators[i]);
            c->values[k * ni + i] = v;
            if (!isnan(v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
    }
    /* the normalisation range when the scores are in it (min-max 0-100), else the data's */
    if (lo >= c->r->opts.norm.lo && hi <= c->r->opts.norm.hi &&
        c->r->opts.norm.hi > c->r->opts.norm.lo && c->r->opts.norm.method == CYM_NORM_MINMAX) {
        lo = c->r->opts.norm.lo;
        hi = c->r->opts.norm.hi;
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
    cym__charts *c = arg;
    char title[400], sub[800];
    snprintf(title, sizeof(title), "%s %d: indicator scores", c->base, cym__charts_year(c, c->t));
    cym__charts_subtitle(
        sub, sizeof(sub), c,
        "Normalised indicator scores (columns, by pillar) for each country, ranked");
    c->ma.m = &c->m;
    c->ma.text.title = title;
    c->ma.text.subtitle = sub;
    c->ma.text.source = c->o->source;
    c->ma.note = NULL;
    c->ma.row_hl = c->row_hl;
    cym__draw_matrix(&c->ma, w, h);
}

static cym_status sidecar_heatmap(FILE *f, void *arg)
{
    cym__charts *c = arg;
    fputs("code,indicator,year,score,highlighted\n", f);
    for (size_t k = 0; k < c->m.n_rows; k++)
        for (size_t i = 0; i < c->m.n_cols; i++) {
            fprintf(f, "%s,", c->r->ds->units[c->order[k]].code);
            cym__csv_put_text(f, c->col_labels[i]);
            fprintf(f, ",%d,", cym__charts_year(c, c->t));
            cym__csv_put_num(f, c->values[k * c->m.n_cols + i]);
            fprintf(f, ",%d\n", c->row_hl[k] >= 0);
        }
    return CYM_OK;
}

const cym__charts_kind cym__charts_heatmap = {draw_heatmap, sidecar_heatmap};
