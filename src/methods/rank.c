/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Ranks (METHODS.md section 6): rank 1 = highest score, NaN unranked.
 *   min      competition ranking 1,2,2,4: 1 + number of strictly higher values; COINr's
 *            rank(-x, ties.method = "min", na.last = "keep")
 *   dense    1,2,2,3: 1 + number of distinct strictly higher values (ITU GCI)
 *   ordinal  distinct ranks: ties broken by the higher `tiebreak`, then by position (the
 *            caller orders units by country code); a NaN tiebreak loses to any number
 * Values are compared exactly as computed, never rounded.
 *
 * Written by hand: the sort must be stable and must carry a two-key comparison, and
 * gsl_sort_index is neither stable nor keyed (qsort has no context argument and is not
 * stable either), so this is a small merge sort of positions. out may alias x.
 */
#include "cymetrics/methods.h"

#include <math.h>
#include <stdlib.h>

#define SMALL 256

/* 1 when position a must come before b: higher x, then higher tiebreak (ordinal only). */
static int before(size_t a, size_t b, const double *x, const double *tb)
{
    if (x[a] != x[b])
        return x[a] > x[b];
    if (tb) {
        if (isnan(tb[a]) != isnan(tb[b]))
            return !isnan(tb[a]);
        if (!isnan(tb[a]) && tb[a] != tb[b])
            return tb[a] > tb[b];
    }
    return 0; /* equal: the stable merge keeps position order */
}

/* Stable bottom-up merge sort of idx[0..m) using tmp[0..m). */
static void sort_positions(size_t *idx, size_t *tmp, size_t m, const double *x, const double *tb)
{
    size_t width, lo, mid, hi, i, j, k;
    size_t *a = idx, *b = tmp, *swap;

    for (width = 1; width < m; width *= 2) {
        for (lo = 0; lo < m; lo += 2 * width) {
            mid = lo + width < m ? lo + width : m;
            hi = lo + 2 * width < m ? lo + 2 * width : m;
            i = lo;
            j = mid;
            k = lo;
            while (i < mid && j < hi)
                b[k++] = before(a[j], a[i], x, tb) ? a[j++] : a[i++];
            while (i < mid)
                b[k++] = a[i++];
            while (j < hi)
                b[k++] = a[j++];
        }
        swap = a;
        a = b;
        b = swap;
    }
    if (a != idx)
        for (i = 0; i < m; i++)
            idx[i] = a[i];
}

cym_status cym_rank(double *out, const double *x, size_t n, cym_rank_ties ties,
                    const double *tiebreak)
{
    /* on the stack up to SMALL values: the Monte Carlo ranks a few dozen once a replication */
    size_t small[2 * SMALL], *idx, *tmp, i, m = 0, p;
    double prev = 0.0, cur, r = 0.0, dense = 0.0;

    if ((!out || !x) && n > 0)
        return CYM_EUSAGE;
    if (ties != CYM_TIES_MIN && ties != CYM_TIES_DENSE && ties != CYM_TIES_ORDINAL)
        return CYM_EUSAGE;
    if (n == 0)
        return CYM_OK;
    idx = n <= SMALL ? small : malloc(2 * n * sizeof(*idx));
    if (!idx)
        return CYM_ENOMEM;
    tmp = idx + n;
    for (i = 0; i < n; i++)
        if (!isnan(x[i]))
            idx[m++] = i;
    sort_positions(idx, tmp, m, x, ties == CYM_TIES_ORDINAL ? tiebreak : NULL);

    /* read every x before out is written at that position, so out may alias x */
    for (i = 0; i < n; i++)
        if (isnan(x[i]))
            out[i] = NAN;
    for (p = 0; p < m; p++) {
        cur = x[idx[p]];
        if (p == 0 || cur != prev) {
            r = (double)(p + 1);
            dense += 1.0;
        }
        prev = cur;
        if (ties == CYM_TIES_MIN)
            out[idx[p]] = r;
        else if (ties == CYM_TIES_DENSE)
            out[idx[p]] = dense;
        else
            out[idx[p]] = (double)(p + 1);
    }
    if (idx != small)
        free(idx);
    return CYM_OK;
}
