/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The tables of the joined folder of an editions run. For tables.md and tables.html: each
 * scored year's index as its own edition scored and ranked it, and on the comparable basis
 * (editions_index.csv's), for the countries of the group column by group, then for every
 * country. For its report (across_report.c): the ranks each edition gave the group's
 * countries and the top ten, their movement on the comparable basis, and the series the
 * newest edition carries beside the index. Rows by the comparable rank of the last scored
 * year, then code. Written by hand: bookkeeping (the numbers come from src/edition/).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

static const cym__across *sort_a;
static size_t sort_last;
static int cmp_across(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    double ra = sort_a->basis_rank[a * sort_a->n_years + sort_last];
    double rb = sort_a->basis_rank[b * sort_a->n_years + sort_last];
    if (isnan(ra) != isnan(rb))
        return isnan(ra) ? 1 : -1;
    if (!isnan(ra) && ra != rb)
        return ra < rb ? -1 : 1;
    return strcmp(sort_a->last->ds->units[a].code, sort_a->last->ds->units[b].code);
}

/* What the tables across the editions are built from. */
typedef struct actx {
    cym__tctx c; /* c.order: the units by the comparable rank of the last scored year, code */
    const cym__across *a;
    size_t *years, ny;    /* the years an edition scored (not one between editions) */
    long gc;              /* the group column, or -1 */
    size_t *rows, n_rows; /* focus_rows */
    int by_group;
    cym__table **t; /* the tables built, k of them (room for 4) */
    size_t k;
} actx;

static size_t focus_rows(size_t *rows, int *by_group, const actx *x, size_t top);

/* the tables built, handed to *out and *n (cym__tb_done), and the context freed */
static cym_status actx_end(actx *x, cym__table ***out, size_t *n, cym_error *err)
{
    free(x->years);
    free(x->c.order);
    free(x->rows);
    return cym__tb_done(out, n, x->t, x->k, x->c.oom, err);
}

static void actx_add(actx *x, cym__table *tb)
{
    if (tb)
        x->t[x->k++] = tb;
}

/* the context of the tables of `a`, whose rows are focus_rows(top) */
static cym_status actx_begin(actx *x, const cym__across *a, size_t top, const cym_report_options *o,
                             cym__table ***out, size_t *n, cym_error *err)
{
    size_t nu = a->last->n_units;
    memset(x, 0, sizeof(*x));
    *out = NULL;
    *n = 0;
    x->c = (cym__tctx){a->last, NULL, o, 0, NULL, 0, NULL};
    x->a = a;
    x->gc = cym__tb_group_column(&x->c);
    x->years = malloc((a->n_years ? a->n_years : 1) * sizeof(size_t));
    x->c.order = malloc((nu + 1) * sizeof(size_t));
    x->rows = malloc((nu + 1) * sizeof(size_t));
    x->t = calloc(4, sizeof(*x->t));
    if (!x->years || !x->c.order || !x->rows || !x->t) {
        x->c.oom = 1;
        return actx_end(x, out, n, err);
    }
    for (size_t y = 0; y < a->n_years; y++)
        for (size_t u = 0; u < nu; u++)
            if (!isnan(a->own[u * a->n_years + y])) {
                x->years[x->ny++] = y;
                break;
            }
    for (size_t u = 0; u < nu; u++)
        x->c.order[u] = u;
    sort_a = a;
    sort_last = x->ny ? x->years[x->ny - 1] : 0;
    qsort(x->c.order, nu, sizeof(size_t), cmp_across);
    x->n_rows = focus_rows(x->rows, &x->by_group, x, top);
    return CYM_OK;
}

/* ---- rows and columns ----------------------------------------------------------------------- */

/*
 * The rows of the report's tables: the countries with a value in the group column, by group
 * (in the order each value first appears in countries.csv), each group as c.order; without
 * any, the first `top` of c.order (*by_group = 0). Returns how many (rows[0..n)).
 */
static size_t focus_rows(size_t *rows, int *by_group, const actx *x, size_t top)
{
    const cym_dataset *ds = x->c.r->ds;
    size_t n = 0;
    for (size_t g = 0; x->gc >= 0 && g < ds->n_units; g++) {
        const char *v = ds->units[g].groups[x->gc];
        int seen = 0;
        for (size_t q = 0; q < g && !seen; q++)
            seen = strcmp(ds->units[q].groups[x->gc], v) == 0;
        if (seen || !v[0])
            continue;
        for (size_t i = 0; i < ds->n_units; i++)
            if (strcmp(ds->units[x->c.order[i]].groups[x->gc], v) == 0)
                rows[n++] = x->c.order[i];
    }
    if ((*by_group = n > 0) != 0)
        return n;
    for (; n < top && n < ds->n_units; n++)
        rows[n] = x->c.order[n];
    return n;
}

/* Code, Country and (with group column gc >= 0) the group: the first columns of a table;
   returns the next column */
static size_t lead_cols(actx *x, cym__table *tb, long gc)
{
    cym__tb_country_cols(&x->c, tb, 0);
    if (gc < 0)
        return 2;
    cym__tb_col(&x->c, tb, 2, x->c.r->ds->group_cols[gc], CYM__COL_TEXT);
    return 3;
}

/* a new row with the lead columns of unit u */
static size_t lead_row(actx *x, cym__table *tb, size_t u, long gc)
{
    size_t k = cym__tb_row(&x->c, tb);
    cym__tb_country(&x->c, tb, k, 0, u);
    if (gc >= 0)
        cym__tb_text(&x->c, tb, k, 2, x->c.r->ds->units[u].groups[gc]);
    return k;
}

/* each scored year's index as its edition scored and ranked it and on the comparable basis,
   for rows[0..n): the countries of group column gc by group, or (gc < 0) every country */
static cym__table *across(actx *x, const size_t *rows, size_t n, long gc)
{
    const cym__across *a = x->a;
    const cym_dataset *ds = x->c.r->ds;
    size_t j0, nc = (gc >= 0 ? 3 : 2) + 3 * x->ny;
    cym__table *tb = cym__tb_new(&x->c, gc >= 0 ? "across-groups" : "across", nc);
    char head[64];
    if (!tb)
        return NULL;
    j0 = lead_cols(x, tb, gc);
    for (size_t k = 0; k < x->ny; k++) {
        int y = a->year0 + (int)x->years[k];
        snprintf(head, sizeof(head), "%d score", y);
        cym__tb_col(&x->c, tb, j0 + 3 * k, head, CYM__COL_SCORE);
        snprintf(head, sizeof(head), "%d rank", y);
        cym__tb_col(&x->c, tb, j0 + 1 + 3 * k, head, CYM__COL_RANK);
        snprintf(head, sizeof(head), "%d %s", y, a->basis_name);
        cym__tb_col(&x->c, tb, j0 + 2 + 3 * k, head,
                    strcmp(a->basis_name, "percentile") == 0 ? CYM__COL_PCT : CYM__COL_SCORE);
    }
    for (size_t i = 0; i < n && !x->c.oom; i++) {
        size_t u = rows[i], k = lead_row(x, tb, u, gc);
        for (size_t j = 0; j < x->ny; j++) {
            size_t cell = u * a->n_years + x->years[j];
            cym__tb_num(tb, k, j0 + 3 * j, a->own[cell]);
            cym__tb_num(tb, k, j0 + 1 + 3 * j, a->own_rank[cell]);
            cym__tb_num(tb, k, j0 + 2 + 3 * j, a->basis[cell]);
        }
    }
    if (gc >= 0)
        tb->title = cym__tb_dupf(&x->c, "The index across editions, by %s", ds->group_cols[gc]);
    else
        tb->title = cym__tb_dupf(&x->c, "The index across editions, every country");
    tb->note = cym__tb_dupf(
        &x->c,
        "Each edition's index as it scored it (its own scale; rank 1 = the highest) and on the "
        "comparable basis, %s: %s. Higher is better. Rows %sby the %s rank of %d.",
        a->basis_name,
        strcmp(a->basis_name, "percentile") == 0
            ? "the position among the countries scored that year, 0 = the lowest, 100 = the "
              "highest"
        : strcmp(a->basis_name, "rebased") == 0
            ? "the index as a share of the highest score its edition allows, x 100"
            : "the index on the indicators every edition has",
        gc >= 0 ? "by group, then " : "", a->basis_name, a->year0 + (int)sort_last);
    return tb;
}

static const char *ties_name(const cym_results *r)
{
    switch (r->opts.ties) {
    case CYM_TIES_DENSE: return "dense ranks (1, 2, 2, 3)";
    case CYM_TIES_ORDINAL: return "ordinal ranks (ties broken)";
    default: return "competition ranks (1, 2, 2, 4)";
    }
}

/* each scored year's index as its edition scored it and its rank there, for rows[0..n) */
static cym__table *ranks(actx *x, const char *id, const size_t *rows, size_t n, const char *title)
{
    const cym__across *a = x->a;
    cym__table *tb = cym__tb_new(&x->c, id, (x->gc >= 0 ? 3 : 2) + 2 * x->ny);
    cym__buf counts = {0};
    size_t j0;
    char head[64];
    if (!tb)
        return NULL;
    j0 = lead_cols(x, tb, x->gc);
    for (size_t k = 0; k < x->ny; k++) {
        int y = a->year0 + (int)x->years[k];
        size_t ranked = 0;
        for (size_t u = 0; u < a->last->n_units; u++)
            ranked += !isnan(a->own_rank[u * a->n_years + x->years[k]]);
        snprintf(head, sizeof(head), "%d score", y);
        cym__tb_col(&x->c, tb, j0 + 2 * k, head, CYM__COL_SCORE);
        snprintf(head, sizeof(head), "%d rank", y);
        cym__tb_col(&x->c, tb, j0 + 2 * k + 1, head, CYM__COL_RANK);
        cym__buf_printf(&counts, "%s%zu in %d", k ? ", " : "", ranked, y);
    }
    for (size_t i = 0; i < n && !x->c.oom; i++) {
        size_t u = rows[i], k = lead_row(x, tb, u, x->gc);
        for (size_t j = 0; j < x->ny; j++) {
            size_t cell = u * a->n_years + x->years[j];
            cym__tb_num(tb, k, j0 + 2 * j, a->own[cell]);
            cym__tb_num(tb, k, j0 + 2 * j + 1, a->own_rank[cell]);
        }
    }
    x->c.oom |= counts.oom;
    tb->title = cym__tb_dupf(&x->c, "%s", title);
    tb->note = cym__tb_dupf(
        &x->c,
        "Each edition's index as that edition scored it, on its own scale, and its rank in "
        "that edition: %s, rank 1 = the highest. Countries ranked: %s. Scores and ranks of "
        "different editions are not comparable: the movement is read on the %s basis below.",
        ties_name(a->last), counts.p && !counts.oom ? counts.p : "", a->basis_name);
    cym__buf_free(&counts);
    return tb;
}

/* the comparable basis of each scored year and its change between editions, for rows[0..n) */
static cym__table *movement(actx *x, const size_t *rows, size_t n)
{
    const cym__across *a = x->a;
    size_t nch = x->ny > 1 ? x->ny - 1 + (x->ny > 2) : 0, j0;
    cym__table *tb = cym__tb_new(&x->c, "across-move", (x->gc >= 0 ? 3 : 2) + x->ny + nch);
    int pct = strcmp(a->basis_name, "percentile") == 0;
    char head[64];
    if (!tb)
        return NULL;
    j0 = lead_cols(x, tb, x->gc);
    for (size_t k = 0; k < x->ny; k++) {
        snprintf(head, sizeof(head), "%d %s", a->year0 + (int)x->years[k], a->basis_name);
        cym__tb_col(&x->c, tb, j0 + k, head, pct ? CYM__COL_PCT : CYM__COL_SCORE);
    }
    for (size_t k = 0; k < nch; k++) {
        size_t from = k < x->ny - 1 ? k : 0, to = k < x->ny - 1 ? k + 1 : x->ny - 1;
        snprintf(head, sizeof(head), "%d\u2192%d", a->year0 + (int)x->years[from],
                 a->year0 + (int)x->years[to]);
        cym__tb_col(&x->c, tb, j0 + x->ny + k, head, CYM__COL_CHANGE);
    }
    for (size_t i = 0; i < n && !x->c.oom; i++) {
        size_t u = rows[i], k = lead_row(x, tb, u, x->gc);
        const double *b = a->basis + u * a->n_years;
        for (size_t j = 0; j < x->ny; j++)
            cym__tb_num(tb, k, j0 + j, b[x->years[j]]);
        for (size_t j = 0; j < nch; j++) {
            size_t from = j < x->ny - 1 ? j : 0, to = j < x->ny - 1 ? j + 1 : x->ny - 1;
            cym__tb_num(tb, k, j0 + x->ny + j, b[x->years[to]] - b[x->years[from]]);
        }
    }
    tb->title = cym__tb_dupf(&x->c, "Movement across editions on the %s basis", a->basis_name);
    tb->note = cym__tb_dupf(
        &x->c,
        "The index on the comparable basis, %s: %s; the changes are in points of it, + and "
        "\u25b2 better. The raw scores are not compared: the questionnaire and the scale "
        "changed between editions.",
        a->basis_name,
        pct ? "the position among the countries scored that year, 0 = the lowest, 100 = the "
              "highest"
            : "as editions_index.csv gives it");
    return tb;
}

/* the children of the newest edition's root with effective weight 0: other indices beside it */
static cym__table *beside(actx *x, const size_t *rows, size_t n)
{
    const cym_results *r = x->a->last;
    const cym_node *root = &r->fw->nodes[r->fw->root];
    size_t nc = 0, j0 = 0, j = 0;
    cym__table *tb = NULL;
    cym__buf names = {0};
    char head[160], year[16] = "";
    /* a column pair per such child and year with a value */
    for (size_t pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            if (!nc || !(tb = cym__tb_new(&x->c, "across-beside", (x->gc >= 0 ? 3 : 2) + nc)))
                return NULL;
            j0 = lead_cols(x, tb, x->gc);
            j = j0;
        }
        for (size_t q = 0; q < root->n_children; q++) {
            size_t nd = root->children[q];
            if (r->eff_weight[nd] != 0)
                continue;
            if (pass == 1)
                cym__buf_printf(&names, "%s%s = %s", names.n ? "; " : "", r->fw->nodes[nd].code,
                                r->fw->nodes[nd].name);
            for (size_t t = 0; t < r->n_years; t++) {
                size_t ranked = 0;
                for (size_t u = 0; u < r->n_units; u++)
                    ranked += !isnan(r->rank[cym_cube_cell(&r->node_cube, u, t, nd)]);
                if (!ranked)
                    continue;
                if (pass == 0) {
                    nc += 2;
                    continue;
                }
                /* the year in the heading when the edition has more than one */
                if (r->n_years > 1)
                    snprintf(year, sizeof(year), " %d", r->year0 + (int)t);
                snprintf(head, sizeof(head), "%s%s", r->fw->nodes[nd].code, year);
                cym__tb_col(&x->c, tb, j, head, CYM__COL_SCORE);
                snprintf(head, sizeof(head), "%s%s rank (of %zu)", r->fw->nodes[nd].code, year,
                         ranked);
                cym__tb_col(&x->c, tb, j + 1, head, CYM__COL_RANK);
                for (size_t i = 0; i < n && !x->c.oom; i++) {
                    size_t k = j == j0 ? lead_row(x, tb, rows[i], x->gc) : i;
                    size_t cell = cym_cube_cell(&r->node_cube, rows[i], t, nd);
                    cym__tb_num(tb, k, j, r->score[cell]);
                    cym__tb_num(tb, k, j + 1, r->rank[cell]);
                }
                j += 2;
            }
        }
    }
    x->c.oom |= names.oom;
    tb->title = cym__tb_dupf(&x->c, "Beside the index: other indices in the newest edition");
    tb->note = cym__tb_dupf(
        &x->c,
        "Series of the newest edition's framework with weight 0: scored and ranked like the "
        "index (%s among the countries with a value, rank 1 = the best), not part of it. Scores "
        "on %g to %g, higher is better. %s.",
        ties_name(r), r->opts.norm.lo, r->opts.norm.hi, names.p && !names.oom ? names.p : "");
    cym__buf_free(&names);
    return tb;
}

cym_status cym__across_tables_build(cym__table ***out, size_t *n, const cym__across *a,
                                    const cym_report_options *o, cym_error *err)
{
    actx x;
    cym_status st = actx_begin(&x, a, 0, o, out, n, err);
    if (st < 0)
        return st;
    if (x.by_group)
        actx_add(&x, across(&x, x.rows, x.n_rows, x.gc));
    if (!x.c.oom)
        actx_add(&x, across(&x, x.c.order, a->last->n_units, -1));
    return actx_end(&x, out, n, err);
}

cym_status cym__across_report_tables(cym__table ***out, size_t *n, const cym__across *a, size_t top,
                                     const cym_report_options *o, cym_error *err)
{
    actx x;
    size_t ntop = top < a->last->n_units ? top : a->last->n_units;
    char title[128];
    cym_status st = actx_begin(&x, a, top, o, out, n, err);

    if (st < 0)
        return st;
    if (x.by_group)
        snprintf(title, sizeof(title), "Published ranks per edition, by %s",
                 a->last->ds->group_cols[x.gc]);
    else
        snprintf(title, sizeof(title), "Published ranks per edition");
    actx_add(&x, ranks(&x, "across-ranks", x.rows, x.n_rows, title));
    /* and the countries tied with the last of them */
    while (x.ny && ntop > 0 && ntop < a->last->n_units &&
           a->basis_rank[x.c.order[ntop] * a->n_years + x.years[x.ny - 1]] ==
               a->basis_rank[x.c.order[ntop - 1] * a->n_years + x.years[x.ny - 1]])
        ntop++;
    snprintf(title, sizeof(title), "The top %zu in %d%s", top < ntop ? top : ntop,
             a->year0 + (int)(x.ny ? x.years[x.ny - 1] : 0), ntop > top ? ", with ties" : "");
    /* without groups the first table is the top already */
    if (!x.c.oom && x.by_group)
        actx_add(&x, ranks(&x, "across-top", x.c.order, ntop, title));
    if (!x.c.oom)
        actx_add(&x, movement(&x, x.rows, x.n_rows));
    if (!x.c.oom)
        actx_add(&x, beside(&x, x.rows, x.n_rows));
    return actx_end(&x, out, n, err);
}
