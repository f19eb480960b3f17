/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The charts over the years: the index of every country as a line (highlighted countries in
 * colour and named at their last point, the others grey), the same per pillar as small
 * multiples, the change since the previous year (diverging bars) and the rank in each year
 * (bump chart). A break between framework editions is marked with a dashed line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "plot/canvas.h"
#include "plot/plot_internal.h"

static unsigned hl_colour(const cym__charts *c, size_t u)
{
    return c->hl[u] >= 0 ? cym__palette[c->hl[u]] : CYM_CONTEXT;
}

/* y grid and tick labels left of x0 */
static void axis_y(double x0, double x1, double y0, double y1, double lo, double hi, int labels)
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
static void axis_years(const cym__charts *c, double x0, double x1, double y0, double y1, int grid)
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
        snprintf(buf, sizeof(buf), "%d", cym__charts_year(c, t));
        cym__text(x, y0 - 2.8, CYM_T_SMALL, CYM_MUTED, 0, 0, 0.5, buf);
    }
}

static double year_x(const cym__charts *c, size_t t, double x0, double x1)
{
    return c->r->n_years > 1 ? x0 + (double)t * (x1 - x0) / (double)(c->r->n_years - 1)
                             : (x0 + x1) / 2;
}

/* Sorts key[0..n) largest first, moving idx along; stable (insertion sort: n is small). */
static void sort_down(double *key, size_t *idx, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && key[j] > key[j - 1]; j--) {
            double tk = key[j];
            size_t ti = idx[j];
            key[j] = key[j - 1];
            key[j - 1] = tk;
            idx[j] = idx[j - 1];
            idx[j - 1] = ti;
        }
}

/* ---- 3 trends ------------------------------------------------------------------------- */

/* lines of `node` for every unit over the years in the box; context first, highlights on top */
static void lines_panel(const cym__charts *c, size_t node, double x0, double x1, double y0,
                        double y1, double thin, double thick)
{
    const cym_results *r = c->r;
    double xs[512], ys[512];
    unsigned char scored[512] = {0};
    /* a year in which no country has a score (no edition was published that year, as the GCI
       in 2019) is skipped, not a gap: the lines join the years on either side */
    for (size_t t = 0; t < r->n_years && t < 512; t++)
        for (size_t u = 0; u < r->n_units && !scored[t]; u++)
            scored[t] = (unsigned char)!isnan(cym__charts_score(c, u, t, node));
    for (int pass = 0; pass < 2; pass++)
        for (size_t u = 0; u < r->n_units; u++) {
            size_t m = 0;
            if ((c->hl[u] >= 0) != pass)
                continue;
            cym__pen(hl_colour(c, u), 1.0);
            cym__width(pass ? thick : thin);
            for (size_t t = 0; t <= r->n_years && t < 512; t++) {
                double v = t < r->n_years ? cym__charts_score(c, u, t, node) : NAN;
                if (t < r->n_years && !scored[t])
                    continue;
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
static void end_labels(const cym__charts *c, double x1, double y0, double y1, double fs,
                       double max_w)
{
    double ys[CYM__MAX_HL], want[CYM__MAX_HL];
    size_t idx[CYM__MAX_HL], n = 0;
    char buf[256];
    for (size_t k = 0; k < c->n_hl; k++) {
        size_t u = c->hl_units[k];
        for (size_t t = c->r->n_years; t-- > 0;) {
            double v = cym__charts_score(c, u, t, c->root);
            if (!isnan(v)) {
                want[n] = y0 + (v - c->lo) / (c->hi - c->lo) * (y1 - y0);
                idx[n++] = k;
                break;
            }
        }
    }
    /* sort by height, then sweep down and up with a minimum gap */
    sort_down(want, idx, n);
    for (size_t i = 0; i < n; i++)
        ys[i] = i && want[i] > ys[i - 1] - fs * 1.25 ? ys[i - 1] - fs * 1.25 : want[i];
    for (size_t i = n; i-- > 0;)
        if (ys[i] < y0 && (i + 1 == n || ys[i] < ys[i + 1] + fs * 1.25))
            ys[i] = i + 1 == n ? fmax(ys[i], y0) : fmax(ys[i], ys[i + 1] + fs * 1.25);
    for (size_t i = 0; i < n; i++) {
        size_t u = c->hl_units[idx[i]];
        cym__fit(buf, sizeof(buf), cym__charts_uname(c, u), fs, 1, max_w);
        cym__text(x1 + 3.0, ys[i], fs, cym__palette[idx[i]], 1, 0, 0, buf);
    }
}

/* 1 when `year` is the first year of a new framework edition (cym_run_plot_editions) */
static int is_break(const cym__charts *c, int year)
{
    for (size_t b = 0; b < c->r->n_breaks; b++)
        if (c->r->break_years[b] == year)
            return 1;
    return 0;
}

/* a dashed vertical line between the last year of an edition and the first of the next */
static void break_marks(const cym__charts *c, double x0, double x1, double y0, double y1)
{
    for (size_t t = 1; t < c->r->n_years; t++) {
        double x;
        if (!is_break(c, cym__charts_year(c, t)))
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
    cym__charts *c = arg;
    double bottom, top, x0, x1, fs = CYM_T_LABEL, label_w = 0;
    char title[400], sub[800];

    snprintf(title, sizeof(title), "%s, %d-%d", c->base, cym__charts_year(c, 0),
             cym__charts_year(c, c->r->n_years - 1));
    cym__charts_subtitle(sub, sizeof(sub), c,
                         "Index score over the years; other countries in grey");
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    bottom += 8.0;
    for (size_t k = 0; k < c->n_hl; k++)
        label_w = fmax(label_w, cym__text_width(cym__charts_uname(c, c->hl_units[k]), fs, 1));
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

static cym_status sidecar_lines(FILE *f, const cym__charts *c, size_t node)
{
    for (size_t u = 0; u < c->r->n_units; u++)
        for (size_t t = 0; t < c->r->n_years; t++) {
            fprintf(f, "%s,", c->r->ds->units[u].code);
            cym__csv_put_text(f, c->r->fw->nodes[node].code);
            fprintf(f, ",%d,", cym__charts_year(c, t));
            cym__csv_put_num(f, cym__charts_score(c, u, t, node));
            fprintf(f, ",%d", c->hl[u] >= 0);
            if (c->r->n_breaks)
                fprintf(f, ",%d", is_break(c, cym__charts_year(c, t)));
            fputc('\n', f);
        }
    return CYM_OK;
}

static cym_status sidecar_trends(FILE *f, void *arg)
{
    fputs(((cym__charts *)arg)->r->n_breaks ? "code,node,year,score,highlighted,new_edition\n"
                                            : "code,node,year,score,highlighted\n",
          f);
    return sidecar_lines(f, arg, ((cym__charts *)arg)->root);
}

const cym__charts_kind cym__charts_trends = {draw_trends, sidecar_trends};

static void draw_pillar_trends(void *arg, double w, double h)
{
    cym__charts *c = arg;
    double bottom, top, gap = 12.0, pw, ph;
    size_t cols = c->np <= 4 ? 2 : 3, rows;
    const char *names[CYM__MAX_HL];
    unsigned colours[CYM__MAX_HL];
    char title[400], sub[800], buf[256];

    if (c->np == 1)
        cols = 1;
    rows = (c->np + cols - 1) / cols;
    snprintf(title, sizeof(title), "%s: pillar scores, %d-%d", c->base, cym__charts_year(c, 0),
             cym__charts_year(c, c->r->n_years - 1));
    cym__charts_subtitle(sub, sizeof(sub), c,
                         "Pillar scores over the years; other countries in grey");
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    for (size_t k = 0; k < c->n_hl; k++) {
        names[k] = cym__charts_uname(c, c->hl_units[k]);
        colours[k] = cym__palette[k];
    }
    top = cym__charts_legend(10.0, top, w - 20.0, c->n_hl, names, colours, 1) - 2.0;
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
    cym__charts *c = arg;
    fputs("code,node,year,score,highlighted\n", f);
    for (size_t k = 0; k < c->np; k++)
        sidecar_lines(f, c, c->pillars[k]);
    return CYM_OK;
}

const cym__charts_kind cym__charts_pillar_trends = {draw_pillar_trends, sidecar_pillar_trends};

/* ---- 4 change ------------------------------------------------------------------------- */

static size_t change_order(const cym__charts *c, size_t *ord, double *d)
{
    size_t n = 0, t = c->t;
    for (size_t k = 0; k < c->n_scored; k++) {
        size_t u = c->order[k];
        double a = t > 0 ? cym__charts_score(c, u, t - 1, c->root) : NAN;
        if (isnan(a))
            continue;
        ord[n] = u;
        d[n++] = cym__charts_score(c, u, t, c->root) - a;
    }
    /* largest gain first, the ranking order among equals */
    sort_down(d, ord, n);
    return n;
}

static void draw_change(void *arg, double w, double h)
{
    cym__charts *c = arg;
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
    snprintf(title, sizeof(title), "%s: change from %d to %d", c->base,
             cym__charts_year(c, c->t - 1), cym__charts_year(c, c->t));
    cym__charts_subtitle(sub, sizeof(sub), c,
                         "Change in the index score, points; gains in green, losses in "
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
    label_w = cym__charts_name_width(c, ord, n, fs, 62.0);
    x0 = 10.0 + label_w + 3.0 + cym__text_width("-10.0", fs, 0) + 2.0;
    x1 = w - 10.0 - cym__text_width("+10.0", fs, 0) - 2.0;
    sx = (x1 - x0) / (hi - lo);
    cym__axis_x(x0, x1, bottom, top, lo, hi, "Change in index score (points)", n > 40);
    cym__pen(CYM_AXIS, 1.0);
    cym__width(0.3);
    cym__line(x0 - lo * sx, bottom, x0 - lo * sx, top);
    for (size_t i = 0; i < n; i++) {
        double y = top - ((double)i + 0.5) * rh, xz = x0 - lo * sx, xv = x0 + (d[i] - lo) * sx;
        cym__charts_name(c, ord[i], 10.0 + label_w, y, fs, label_w);
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
    cym__charts *c = arg;
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
        fprintf(f, "%s,%d,%d,", c->r->ds->units[ord[i]].code, cym__charts_year(c, c->t - 1),
                cym__charts_year(c, c->t));
        cym__csv_put_num(f, cym__charts_score(c, ord[i], c->t - 1, c->root));
        fputc(',', f);
        cym__csv_put_num(f, cym__charts_score(c, ord[i], c->t, c->root));
        fputc(',', f);
        cym__csv_put_num(f, d[i]);
        fputc('\n', f);
    }
    free(ord);
    free(d);
    return CYM_OK;
}

const cym__charts_kind cym__charts_change = {draw_change, sidecar_change};

/* ---- 5 bump chart ------------------------------------------------------------------------ */

/* position (0 = top) of every unit in each year's ranking, SIZE_MAX when unranked */
static size_t *bump_positions(const cym__charts *c)
{
    size_t nu = c->r->n_units, ny = c->r->n_years;
    size_t *pos = malloc(nu * ny * sizeof(size_t)), *ord = malloc(nu * sizeof(size_t));
    if (!pos || !ord) {
        free(pos);
        free(ord);
        return NULL;
    }
    for (size_t t = 0; t < ny; t++) {
        size_t n = cym__charts_order_at(c, t, ord);
        for (size_t u = 0; u < nu; u++)
            pos[u * ny + t] = SIZE_MAX;
        for (size_t k = 0; k < n; k++)
            pos[ord[k] * ny + t] = k;
    }
    free(ord);
    return pos;
}

/* 1 when no country has a rank in the years strictly between a and b (a year without any
   score, as the GCI's 2019, does not break a line) */
static int none_between(const size_t *pos, size_t nu, size_t ny, size_t a, size_t b)
{
    for (size_t t = a + 1; t < b; t++)
        for (size_t u = 0; u < nu; u++)
            if (pos[u * ny + t] != SIZE_MAX)
                return 0;
    return 1;
}

static void draw_bump(void *arg, double w, double h)
{
    cym__charts *c = arg;
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
    snprintf(title, sizeof(title), "%s: rank, %d-%d", c->base, cym__charts_year(c, 0),
             cym__charts_year(c, ny - 1));
    cym__charts_flag_note(buf, sizeof(buf), c, 0, ny - 1,
                          "Rank by index score in each year (1 = highest)");
    cym__charts_subtitle(sub, sizeof(sub), c, buf);
    top = cym__frame(w, h, title, sub, c->o->source, &bottom);
    bottom += 8.0;
    top -= 6.0;
    rh = (top - bottom) / (double)(rows ? rows : 1);
    fs = fmin(CYM_T_LABEL, rh * 0.66);
    for (size_t u = 0; u < nu; u++)
        lw = fmax(lw, cym__text_width(cym__charts_uname(c, u), fs, c->hl[u] >= 0));
    lw = fmin(lw, 50.0) + cym__text_width("200 ", fs, 0);
    x0 = 10.0 + lw + 3.0;
    x1 = w - 10.0 - lw - 3.0;
    axis_years(c, x0, x1, bottom, top, 1);
    for (size_t t = 0; t < ny; t++) {
        snprintf(buf, sizeof(buf), "%d", cym__charts_year(c, t));
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
                if (last != SIZE_MAX && none_between(pos, nu, ny, last, t)) {
                    cym__pen(col, 1.0);
                    cym__line(year_x(c, last, x0, x1),
                              top - ((double)pos[u * ny + last] + 0.5) * rh,
                              year_x(c, t, x0, x1), top - ((double)p + 0.5) * rh);
                }
                last = t;
            }
            if (pass && nu <= 60)
                for (size_t t = 0; t < ny; t++)
                    if (pos[u * ny + t] != SIZE_MAX)
                        cym__dot(year_x(c, t, x0, x1), top - ((double)pos[u * ny + t] + 0.5) * rh,
                                 fmin(1.0, rh * 0.2), col);
            /* a rank on too little data (the coverage policy) carries the mark: beside the
               point, or at both ends in the name */
            for (size_t t = 0; t < ny; t++)
                if (pos[u * ny + t] != SIZE_MAX && t != first && t != last &&
                    cym_results_flagged(r, u, t))
                    cym__text(year_x(c, t, x0, x1) + 0.8,
                              top - ((double)pos[u * ny + t] + 0.5) * rh + fs * 0.35, fs * 0.8,
                              pass ? col : CYM_INK, 0, 0, 0, CYM_COVERAGE_MARK);
            /* names at both ends, with the rank */
            if (first != SIZE_MAX) {
                double y = top - ((double)pos[u * ny + first] + 0.5) * rh;
                cym__fit(name, sizeof(name), cym__charts_label(buf, sizeof(buf), c, u, first), fs,
                         pass, 50.0);
                snprintf(buf, sizeof(buf), "%s  %.0f", name, cym__charts_rank(c, u, first));
                cym__text(x0 - 2.0, y, fs, pass ? col : CYM_MUTED, pass, 0, 1, buf);
                y = top - ((double)pos[u * ny + last] + 0.5) * rh;
                cym__fit(name, sizeof(name), cym__charts_label(buf, sizeof(buf), c, u, last), fs,
                         pass, 50.0);
                snprintf(buf, sizeof(buf), "%.0f  %s", cym__charts_rank(c, u, last), name);
                cym__text(x1 + 2.0, y, fs, pass ? col : CYM_MUTED, pass, 0, 0, buf);
            }
        }
    break_marks(c, x0, x1, bottom, top);
    free(pos);
}

static cym_status sidecar_bump(FILE *f, void *arg)
{
    cym__charts *c = arg;
    size_t ny = c->r->n_years, *pos = bump_positions(c);
    if (!pos)
        return CYM_ENOMEM;
    fputs(c->r->n_breaks ? "code,year,rank,position,new_edition,flagged\n"
                         : "code,year,rank,position,flagged\n",
          f);
    for (size_t u = 0; u < c->r->n_units; u++)
        for (size_t t = 0; t < ny; t++) {
            if (pos[u * ny + t] == SIZE_MAX)
                continue;
            fprintf(f, "%s,%d,", c->r->ds->units[u].code, cym__charts_year(c, t));
            cym__csv_put_num(f, cym__charts_rank(c, u, t));
            fprintf(f, ",%zu", pos[u * ny + t] + 1);
            if (c->r->n_breaks)
                fprintf(f, ",%d", is_break(c, cym__charts_year(c, t)));
            fprintf(f, ",%d\n", cym_results_flagged(c->r, u, t));
        }
    free(pos);
    return CYM_OK;
}

const cym__charts_kind cym__charts_bump = {draw_bump, sidecar_bump};
