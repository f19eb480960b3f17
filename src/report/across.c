/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The index across framework editions, for the joined folder of an editions run: each scored
 * year's index as its own edition scored and ranked it, and on the comparable basis
 * (editions_index.csv's), for the countries of the group column by group, then for every
 * country; rows by the comparable rank of the last scored year, then code. Written by hand:
 * bookkeeping (the numbers come from src/edition/).
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

/* rows of the units of `order` (all, or those of group column gc with a value) */
static cym__table *across(cym__tctx *c, const cym__across *a, const size_t *years, size_t ny,
                          long gc)
{
    const cym_dataset *ds = c->r->ds;
    size_t extra = gc >= 0 ? 1 : 0, nc = 2 + extra + 3 * ny, n_grp = 0;
    cym__table *tb = cym__tb_new(c, gc >= 0 ? "across-groups" : "across", nc);
    char head[64];
    if (!tb)
        return NULL;
    cym__tb_country_cols(c, tb, 0);
    if (gc >= 0)
        cym__tb_col(c, tb, 2, ds->group_cols[gc], CYM__COL_TEXT);
    for (size_t k = 0; k < ny; k++) {
        int y = a->year0 + (int)years[k];
        snprintf(head, sizeof(head), "%d score", y);
        cym__tb_col(c, tb, 2 + extra + 3 * k, head, CYM__COL_SCORE);
        snprintf(head, sizeof(head), "%d rank", y);
        cym__tb_col(c, tb, 3 + extra + 3 * k, head, CYM__COL_RANK);
        snprintf(head, sizeof(head), "%d %s", y, a->basis_name);
        cym__tb_col(c, tb, 4 + extra + 3 * k, head,
                    strcmp(a->basis_name, "percentile") == 0 ? CYM__COL_PCT : CYM__COL_SCORE);
    }
    /* by group, in the order each value first appears in countries.csv, then as `order` */
    for (size_t g = 0; g < (gc >= 0 ? ds->n_units : 1); g++) {
        const char *v = gc >= 0 ? ds->units[g].groups[gc] : NULL;
        int seen = 0;
        if (gc >= 0) {
            for (size_t q = 0; q < g && !seen; q++)
                seen = strcmp(ds->units[q].groups[gc], v) == 0;
            if (seen || !v[0])
                continue;
            n_grp++;
        }
        for (size_t i = 0; i < ds->n_units; i++) {
            size_t u = c->order[i], k;
            if (gc >= 0 && strcmp(ds->units[u].groups[gc], v) != 0)
                continue;
            k = cym__tb_row(c, tb);
            cym__tb_country(c, tb, k, 0, u);
            if (gc >= 0)
                cym__tb_text(c, tb, k, 2, v);
            for (size_t j = 0; j < ny; j++) {
                size_t cell = u * a->n_years + years[j];
                cym__tb_num(tb, k, 2 + extra + 3 * j, a->own[cell]);
                cym__tb_num(tb, k, 3 + extra + 3 * j, a->own_rank[cell]);
                cym__tb_num(tb, k, 4 + extra + 3 * j, a->basis[cell]);
            }
        }
    }
    if (gc >= 0)
        tb->title = cym__tb_dupf(c, "The index across editions, by %s", ds->group_cols[gc]);
    else
        tb->title = cym__tb_dupf(c, "The index across editions, every country");
    tb->note = cym__tb_dupf(
        c,
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
    if (gc >= 0 && !n_grp) {
        cym__tb_free(tb);
        return NULL;
    }
    return tb;
}

cym_status cym__across_tables_build(cym__table ***out, size_t *n, const cym__across *a,
                                    const cym_report_options *o, cym_error *err)
{
    cym__tctx c = {a->last, NULL, o, 0, NULL, 0};
    size_t *years = malloc((a->n_years ? a->n_years : 1) * sizeof(size_t)), ny = 0, nu;
    cym__table **t = calloc(2, sizeof(*t)), *tb;
    size_t k = 0;
    long gc = cym__tb_group_column(&c);

    *out = NULL;
    *n = 0;
    nu = a->last->n_units;
    c.order = malloc((nu + 1) * sizeof(size_t));
    if (!t || !years || !c.order) {
        free(t);
        free(years);
        free(c.order);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* the years an edition scored (not a year between editions without any score) */
    for (size_t y = 0; y < a->n_years; y++)
        for (size_t u = 0; u < nu; u++)
            if (!isnan(a->own[u * a->n_years + y])) {
                years[ny++] = y;
                break;
            }
    for (size_t u = 0; u < nu; u++)
        c.order[u] = u;
    sort_a = a;
    sort_last = ny ? years[ny - 1] : 0;
    qsort(c.order, nu, sizeof(size_t), cmp_across);
    if (gc >= 0 && (tb = across(&c, a, years, ny, gc)) != NULL)
        t[k++] = tb;
    if (!c.oom && (tb = across(&c, a, years, ny, -1)) != NULL)
        t[k++] = tb;
    free(years);
    free(c.order);
    return cym__tb_done(out, n, t, k, c.oom, err);
}
