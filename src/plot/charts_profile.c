/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The profile of one country: its pillar scores on a radar, against the group mean (dashed)
 * and the leader, each spoke labelled with the pillar's name and the country's score. The
 * country and the leader keep their highlight colours of the other charts (greys if not
 * highlighted).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "plot/canvas.h"
#include "plot/plot_internal.h"

/* ---- 6 profile (radar) ------------------------------------------------------------------ */

static void radar_polygon(const cym__charts *c, const double *v, double cx, double cy, double R,
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

/* a country's colour in the profiles: its highlight colour as in every other chart, else
   `other` (greys apart from the group mean's dashed mid grey) */
static unsigned unit_colour(const cym__charts *c, size_t u, unsigned other)
{
    return c->hl[u] >= 0 ? cym__palette[c->hl[u]] : other;
}

static void draw_profile(void *arg, double w, double h)
{
    const cym__charts_unit *ua = arg;
    const cym__charts *c = ua->c;
    size_t u = ua->u, leader = c->order[0], n = c->np < 64 ? c->np : 64;
    unsigned mine_col = unit_colour(c, u, CYM_OTHER), lead_col = unit_colour(c, leader, CYM_AXIS);
    double bottom, top, cx, cy, R, mine[64], mean[64], lead[64];
    char title[400], sub[800], buf[700], lines[3][256];

    snprintf(title, sizeof(title), "%s: pillar profile, %d", cym__charts_uname(c, u),
             cym__charts_year(c, c->t));
    if (isnan(cym__charts_score(c, u, c->t, c->root)))
        snprintf(buf, sizeof(buf), "%s. No index score", c->base);
    else
        snprintf(buf, sizeof(buf), "%s: score %.1f, rank %.0f of %zu", c->base,
                 cym__charts_score(c, u, c->t, c->root), cym__charts_rank(c, u, c->t), c->n_scored);
    snprintf(sub, sizeof(sub), "%s. Pillar scores against the group mean and the leader", buf);
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    /* the legend in drawing order of importance; the leader has no separate line */
    {
        const char *ln[3];
        unsigned lc[3];
        size_t nl = 0;
        snprintf(buf, sizeof(buf), "Leader: %s", cym__charts_uname(c, leader));
        ln[nl] = cym__charts_uname(c, u);
        lc[nl++] = mine_col;
        if (u != leader) {
            ln[nl] = buf;
            lc[nl++] = lead_col;
        }
        ln[nl] = "Group mean (dashed)";
        lc[nl++] = CYM_MUTED;
        top = cym__charts_legend(10.0, top, w - 20.0, nl, ln, lc, 1);
    }
    for (size_t k = 0; k < n; k++) {
        mine[k] = cym__charts_score(c, u, c->t, c->pillars[k]);
        mean[k] = cym__charts_mean(c, c->t, c->pillars[k]);
        lead[k] = cym__charts_score(c, leader, c->t, c->pillars[k]);
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
        radar_polygon(c, lead, cx, cy, R, lead_col, 0, 0.5, 0);
    radar_polygon(c, mine, cx, cy, R, mine_col, 0.22, 0.8, 0);
    /* pillar names with the country's score, outside the rim, wrapped to two lines */
    for (size_t k = 0; k < n; k++) {
        double a = M_PI / 2 - 2 * M_PI * (double)k / (double)n, ca = cos(a), sa = sin(a);
        double lx = cx + (R + 5.0) * ca, ly = cy + (R + 5.0) * sa;
        double just = fabs(ca) < 0.2 ? 0.5 : ca > 0 ? 0 : 1;
        size_t nl = cym__wrap(lines, 2, c->r->fw->nodes[c->pillars[k]].name, CYM_T_LABEL, 1, 58.0);
        double lh = CYM_T_LABEL * 1.3, block = lh * (double)(nl + 1);
        double ytop = sa > 0.2    ? ly + block - lh * 0.5
                      : sa < -0.2 ? ly - lh * 0.5
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
    const cym__charts_unit *ua = arg;
    const cym__charts *c = ua->c;
    fputs("code,year,pillar,score,group_mean,leader,leader_score,highlighted\n", f);
    for (size_t k = 0; k < c->np; k++) {
        fprintf(f, "%s,%d,", c->r->ds->units[ua->u].code, cym__charts_year(c, c->t));
        cym__csv_put_text(f, c->r->fw->nodes[c->pillars[k]].code);
        fputc(',', f);
        cym__csv_put_num(f, cym__charts_score(c, ua->u, c->t, c->pillars[k]));
        fputc(',', f);
        cym__csv_put_num(f, cym__charts_mean(c, c->t, c->pillars[k]));
        fprintf(f, ",%s,", c->r->ds->units[c->order[0]].code);
        cym__csv_put_num(f, cym__charts_score(c, c->order[0], c->t, c->pillars[k]));
        fprintf(f, ",%d\n", c->hl[ua->u] >= 0);
    }
    return CYM_OK;
}

const cym__charts_kind cym__charts_profile = {draw_profile, sidecar_profile};
