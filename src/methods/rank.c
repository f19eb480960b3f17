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
 * stable either), so this is a small merge sort of positions. Without a tiebreak, a long
 * vector (a year of 2,000 countries) is sorted instead by an LSD radix sort of 64-bit keys
 * that order the doubles as the comparison does (-0 made +0), which is stable too: the same
 * order, several times faster. out may alias x.
 */
#include "cymetrics/methods.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SMALL 256
/* from this many values, without a tiebreak, the radix sort */
#define RADIX_MIN 128

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

/* A key whose unsigned order is the descending order of the doubles (no NaN): equal doubles,
   0 and -0 included, get equal keys. */
static uint64_t descending_key(double v)
{
    uint64_t u;
    if (v == 0.0)
        v = 0.0; /* -0 ties with 0 */
    memcpy(&u, &v, sizeof(u));
    u = u >> 63 ? ~u : u | (UINT64_C(1) << 63); /* ascending */
    return ~u;
}

/*
 * The positions idx[0..m) in descending order of x, equal values in position order (idx
 * holds them ascending): a stable LSD radix sort, a byte a pass, skipping the bytes all keys
 * share. -1 when out of memory.
 */
static int radix_positions(size_t *idx, size_t m, const double *x)
{
    size_t count[8][256];
    uint64_t *block = malloc(2 * m * sizeof(uint64_t) + m * sizeof(size_t));
    uint64_t *key = block, *key2;
    size_t *pos = idx, *pos2;
    if (!block)
        return -1;
    key2 = block + m;
    pos2 = (size_t *)(block + 2 * m);
    memset(count, 0, sizeof(count));
    for (size_t i = 0; i < m; i++) {
        uint64_t k = descending_key(x[idx[i]]);
        key[i] = k;
        for (int b = 0; b < 8; b++)
            count[b][(k >> (8 * b)) & 0xFF]++;
    }
    for (int b = 0; b < 8; b++) {
        size_t sum = 0, *c = count[b], *ts;
        uint64_t *tk;
        if (c[(key[0] >> (8 * b)) & 0xFF] == m)
            continue; /* every key has this byte */
        for (int v = 0; v < 256; v++) {
            size_t t = c[v];
            c[v] = sum;
            sum += t;
        }
        for (size_t i = 0; i < m; i++) {
            size_t to = c[(key[i] >> (8 * b)) & 0xFF]++;
            key2[to] = key[i];
            pos2[to] = pos[i];
        }
        tk = key;
        key = key2;
        key2 = tk;
        ts = pos;
        pos = pos2;
        pos2 = ts;
    }
    if (pos != idx) /* an odd number of passes: the order is in the work buffer */
        memcpy(idx, pos, m * sizeof(*idx));
    free(block);
    return 0;
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
    if (m >= RADIX_MIN && !(ties == CYM_TIES_ORDINAL && tiebreak)) {
        if (radix_positions(idx, m, x) < 0) {
            if (idx != small)
                free(idx);
            return CYM_ENOMEM;
        }
    } else {
        sort_positions(idx, tmp, m, x, ties == CYM_TIES_ORDINAL ? tiebreak : NULL);
    }

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
