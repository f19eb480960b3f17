/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Comparisons in the latest year of a run (the last selected year).
 *
 * compare.csv, per country and node: score and rank; the mean of the country's group (the
 * group column `compare-group`, default the first column of countries.csv; over the members
 * with a score) and the gap to it; the leader (rank 1; the first in countries.csv order when
 * several share it) and the gap to it (score - leader's, so <= 0); the percentile among the
 * countries with a score, 100 * (countries strictly lower) / (m - 1), the `percentile`
 * normalisation of METHODS.md section 4.
 *
 * strengths.csv: per country the N best and N worst indicators by rank, with their pillar
 * (the ancestor just below the index). An indicator on which the country shares its exact
 * score with more than half of the ranked countries (a binary law most countries have, say)
 * is skipped: a shared rank tells nothing about this country. The ties are counted once per
 * year and indicator (cym_compare_ties_count: each column sorted once, a country's ties the
 * run of its score in it), not per country.
 *
 * Written by hand: these are plain counts and means over a column. The tables themselves are
 * written by the tables module (src/tables/trends.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/compare.h"

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* a[0..m) (no NaN) ascending: by insertion for the few dozen countries of most indices, where
   qsort's calls of the comparison cost more than the moves; -0 and 0 may end in either order,
   which nothing below can tell apart (< and ==) */
static void sort_doubles(double *a, size_t m)
{
    if (m > 64) {
        qsort(a, m, sizeof(double), cmp_double);
        return;
    }
    for (size_t i = 1; i < m; i++) {
        double v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* Number of sorted[0..m) strictly below v. */
static size_t count_below(const double *sorted, size_t m, double v)
{
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void cym_compare_percentile(double *out, const double *x, size_t n)
{
    size_t m = 0;
    double *sorted = malloc((n ? n : 1) * sizeof(double));
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && sorted)
            sorted[m++] = x[i];
    if (sorted)
        sort_doubles(sorted, m);
    for (size_t i = 0; i < n; i++)
        out[i] = isnan(x[i]) || m < 2 || !sorted
                     ? NAN
                     : 100.0 * (double)count_below(sorted, m, x[i]) / (double)(m - 1);
    free(sorted);
}

cym_status cym_compare_find_units(size_t *idx, const cym_dataset *ds, const char *const *codes,
                                  size_t n, cym_error *err)
{
    for (size_t i = 0; i < n; i++) {
        long u = cym_dataset_find_unit(ds, codes[i]);
        if (u < 0) {
            char list[CYM_ERROR_MESSAGE_MAX];
            size_t len = 0, shown = 0;
            list[0] = '\0';
            /* as many codes as fit in one message line */
            for (size_t k = 0; k < ds->n_units; k++) {
                if (len + 8 > 300)
                    break;
                len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", k ? ", " : "",
                                        ds->units[k].code);
                shown++;
            }
            if (shown < ds->n_units)
                snprintf(list + len, sizeof(list) - len, " and %zu more", ds->n_units - shown);
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "unknown country '%s' (the dataset has %s)", codes[i], list);
        }
        for (size_t k = 0; k < i; k++)
            if (idx[k] == (size_t)u)
                return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                     "country '%s' is named twice", codes[i]);
        idx[i] = (size_t)u;
    }
    return CYM_OK;
}

struct cym_compare_ties {
    const cym_results *r;
    size_t t, n_ind;
    size_t *ranked; /* [indicator position] */
    size_t *tied;   /* [unit * n_ind + indicator position] */
};

cym_status cym_compare_ties_count(cym_compare_ties **out, const cym_results *r, size_t t,
                                  cym_error *err)
{
    size_t ni = r->fw->n_indicators, nu = r->n_units;
    cym_compare_ties *ti = calloc(1, sizeof(*ti));
    double *col = malloc((nu + 1) * sizeof(double));
    *out = NULL;
    if (ti) {
        ti->ranked = calloc(ni + 1, sizeof(size_t));
        ti->tied = calloc(nu * ni + 1, sizeof(size_t));
    }
    if (!ti || !col || !ti->ranked || !ti->tied) {
        free(col);
        cym_compare_ties_free(ti);
        return nomem(err);
    }
    ti->r = r;
    ti->t = t;
    ti->n_ind = ni;
    /* each column sorted once; a country's ties are the run of its score in it */
    for (size_t i = 0; i < ni; i++) {
        size_t m = 0, nd = r->fw->indicators[i];
        for (size_t u = 0; u < nu; u++) {
            size_t c = cym_cube_cell(&r->node_cube, u, t, nd);
            if (!isnan(r->rank[c]))
                col[m++] = r->score[c];
        }
        sort_doubles(col, m);
        ti->ranked[i] = m;
        for (size_t u = 0; u < nu; u++) {
            double sc = r->score[cym_cube_cell(&r->node_cube, u, t, nd)];
            size_t lo = count_below(col, m, sc), hi = lo;
            while (hi < m && col[hi] == sc)
                hi++;
            ti->tied[u * ni + i] = hi - lo;
        }
    }
    free(col);
    *out = ti;
    return CYM_OK;
}

size_t cym_compare_ties_ranked(const cym_compare_ties *ties, size_t i)
{
    return ties->ranked[i];
}

size_t cym_compare_ties_tied(const cym_compare_ties *ties, size_t u, size_t i)
{
    return ties->tied[u * ties->n_ind + i];
}

void cym_compare_ties_free(cym_compare_ties *ties)
{
    if (!ties)
        return;
    free(ties->ranked);
    free(ties->tied);
    free(ties);
}

void cym_compare_strengths(size_t *strong, size_t *n_strong, size_t *weak, size_t *n_weak,
                           const cym_compare_ties *ties, size_t u, size_t n_max)
{
    const cym_results *r = ties->r;
    const cym_framework *fw = r->fw;
    const size_t *tied = ties->tied + u * ties->n_ind;
    size_t t = ties->t;
    *n_strong = *n_weak = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t *out = pass ? weak : strong, *cnt = pass ? n_weak : n_strong;
        while (*cnt < n_max) {
            long best = -1;
            double best_rank = 0;
            for (size_t i = 0; i < fw->n_indicators; i++) {
                size_t nd = fw->indicators[i];
                double rk = r->rank[cym_cube_cell(&r->node_cube, u, t, nd)];
                int taken = 0;
                /* a score shared by more than half of the ranked countries tells nothing */
                if (isnan(rk) || 2 * tied[i] > ties->ranked[i])
                    continue;
                /* strictly better only: ties keep framework order */
                if (best >= 0 && !(pass ? rk > best_rank : rk < best_rank))
                    continue;
                for (size_t k = 0; k < *n_strong && !taken; k++)
                    taken = strong[k] == nd;
                for (size_t k = 0; pass && k < *n_weak && !taken; k++)
                    taken = weak[k] == nd;
                if (taken)
                    continue;
                best = (long)nd;
                best_rank = rk;
            }
            if (best < 0)
                break;
            out[(*cnt)++] = (size_t)best;
        }
    }
}
