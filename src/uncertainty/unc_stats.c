/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The streamed statistics of the Monte Carlo: the index rank of each country and year into a
 * histogram of integer ranks (exact type-7 quantiles, exact means), the score into a
 * fixed-point sum (exact and associative: the same for any order of addition) and a 2,000-bin
 * histogram for its quantiles. Memory does not grow with the number of runs.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ranks/ranks.h"
#include "uncertainty/unc_internal.h"

#define SCORE_BINS 2000
#define FIXED_SCALE 16777216.0 /* 2^24: score sums in units of 2^-24 */

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

int cym__unc_stats_init(cym__unc_stats *s, size_t cells, size_t n_units)
{
    memset(s, 0, sizeof(*s));
    s->cells = cells;
    s->n_units = n_units;
    s->rank_count = calloc(cells * (n_units + 1), sizeof(*s->rank_count));
    s->score_count = calloc(cells * (SCORE_BINS + 2), sizeof(*s->score_count));
    s->score_sum = calloc(cells, sizeof(*s->score_sum));
    s->score_n = calloc(cells, sizeof(*s->score_n));
    s->score_min = malloc(cells * sizeof(double));
    s->score_max = malloc(cells * sizeof(double));
    if (!s->rank_count || !s->score_count || !s->score_sum || !s->score_n || !s->score_min ||
        !s->score_max)
        return -1;
    for (size_t c = 0; c < cells; c++) {
        s->score_min[c] = INFINITY;
        s->score_max[c] = -INFINITY;
    }
    return 0;
}

void cym__unc_stats_free(cym__unc_stats *s)
{
    free(s->rank_count);
    free(s->score_count);
    free(s->score_sum);
    free(s->score_n);
    free(s->score_min);
    free(s->score_max);
}

/* Folds one value of cell c in; -1 for a score beyond +-2^38 (no fixed-point sum). */
static int add_cell(cym__unc_stats *s, size_t c, double r, double x)
{
    size_t b;
    s->rank_count[c * (s->n_units + 1) + (isnan(r) ? 0 : (size_t)r)]++;
    if (isnan(x))
        return 0;
    if (fabs(x) > 274877906944.0) /* 2^38 */
        return -1;
    s->score_sum[c] += (int64_t)llround(x * FIXED_SCALE);
    s->score_n[c]++;
    if (x < s->score_min[c])
        s->score_min[c] = x;
    if (x > s->score_max[c])
        s->score_max[c] = x;
    if (x < s->lo)
        b = 0;
    else if (x >= s->hi)
        b = SCORE_BINS + 1;
    else {
        b = 1 + (size_t)((x - s->lo) / (s->hi - s->lo) * SCORE_BINS);
        if (b > SCORE_BINS)
            b = SCORE_BINS;
    }
    s->score_count[c * (SCORE_BINS + 2) + b]++;
    return 0;
}

size_t cym__unc_stats_add_rows(cym__unc_stats *s, const double *rank, const double *score, size_t n,
                               const unsigned char *use, int threads)
{
    size_t cells = s->cells, bad = SIZE_MAX;
    /* each cell's statistics are its own: the cells in parallel, a cell's rows in order (the
       statistics do not depend on the order anyway: counts, an integer sum, min and max) */
#pragma omp parallel for schedule(static) num_threads(threads) reduction(min : bad)
    for (size_t c = 0; c < cells; c++)
        for (size_t i = 0; i < n; i++) {
            if (!use[i])
                continue;
            if (add_cell(s, c, rank[i * cells + c], score[i * cells + c]) < 0) {
                bad = i < bad ? i : bad;
                break;
            }
        }
    return bad;
}

cym_status cym__unc_stats_send(const cym__unc_stats *s, cym_error *err)
{
    size_t c = s->cells;
    cym_status st;
    if ((st = cym__ranks_send0(s->rank_count, c * (s->n_units + 1) * sizeof(*s->rank_count), err)) <
            0 ||
        (st = cym__ranks_send0(s->score_count, c * (SCORE_BINS + 2) * sizeof(*s->score_count),
                               err)) < 0 ||
        (st = cym__ranks_send0(s->score_sum, c * sizeof(*s->score_sum), err)) < 0 ||
        (st = cym__ranks_send0(s->score_n, c * sizeof(*s->score_n), err)) < 0 ||
        (st = cym__ranks_send0(s->score_min, c * sizeof(double), err)) < 0)
        return st;
    return cym__ranks_send0(s->score_max, c * sizeof(double), err);
}

cym_status cym__unc_stats_recv_add(cym__unc_stats *s, cym__unc_stats *tmp, int from, cym_error *err)
{
    size_t c = s->cells, nr = c * (s->n_units + 1), nb = c * (SCORE_BINS + 2);
    cym_status st;
    if ((st = cym__ranks_recv(tmp->rank_count, nr * sizeof(*s->rank_count), from, err)) < 0 ||
        (st = cym__ranks_recv(tmp->score_count, nb * sizeof(*s->score_count), from, err)) < 0 ||
        (st = cym__ranks_recv(tmp->score_sum, c * sizeof(*s->score_sum), from, err)) < 0 ||
        (st = cym__ranks_recv(tmp->score_n, c * sizeof(*s->score_n), from, err)) < 0 ||
        (st = cym__ranks_recv(tmp->score_min, c * sizeof(double), from, err)) < 0 ||
        (st = cym__ranks_recv(tmp->score_max, c * sizeof(double), from, err)) < 0)
        return st;
    for (size_t i = 0; i < nr; i++)
        s->rank_count[i] += tmp->rank_count[i];
    for (size_t i = 0; i < nb; i++)
        s->score_count[i] += tmp->score_count[i];
    for (size_t i = 0; i < c; i++) {
        s->score_sum[i] += tmp->score_sum[i];
        s->score_n[i] += tmp->score_n[i];
        if (tmp->score_min[i] < s->score_min[i])
            s->score_min[i] = tmp->score_min[i];
        if (tmp->score_max[i] > s->score_max[i])
            s->score_max[i] = tmp->score_max[i];
    }
    return CYM_OK;
}

/* Type-7 quantile of integer ranks from their histogram count[1..m] (n values). */
static double rank_quantile(const unsigned long long *count, size_t m, unsigned long long n,
                            double p)
{
    double h = (double)(n - 1) * p;
    unsigned long long lo = (unsigned long long)floor(h);
    double x_lo = NAN, x_hi = NAN;
    unsigned long long cum = 0;
    for (size_t r = 1; r <= m; r++) {
        cum += count[r];
        if (isnan(x_lo) && cum > lo)
            x_lo = (double)r;
        if (cum > lo + 1 || (cum > lo && lo + 1 >= n)) {
            x_hi = (double)r;
            break;
        }
    }
    if (lo + 1 >= n)
        return x_lo;
    return x_lo + (h - (double)lo) * (x_hi - x_lo);
}

/* The value of order statistic i (0-based) as read from the score histogram of one cell. */
static double score_order(const cym__unc_stats *s, size_t c, unsigned long long i)
{
    const unsigned long long *cnt = &s->score_count[c * (SCORE_BINS + 2)];
    double width = (s->hi - s->lo) / SCORE_BINS;
    unsigned long long cum = 0;
    for (size_t b = 0; b < SCORE_BINS + 2; b++) {
        double a, z;
        if (cum + cnt[b] <= i) {
            cum += cnt[b];
            continue;
        }
        /* the points of a bin are taken as spread evenly over it */
        if (b == 0) {
            a = s->score_min[c];
            z = s->lo;
        } else if (b == SCORE_BINS + 1) {
            a = s->hi;
            z = s->score_max[c];
        } else {
            a = s->lo + (double)(b - 1) * width;
            z = a + width;
        }
        if (a < s->score_min[c])
            a = s->score_min[c];
        if (z > s->score_max[c])
            z = s->score_max[c];
        return a + ((double)(i - cum) + 0.5) / (double)cnt[b] * (z - a);
    }
    return NAN;
}

static double score_quantile(const cym__unc_stats *s, size_t c, double p)
{
    unsigned long long n = s->score_n[c];
    double h, lo;
    if (!n)
        return NAN;
    h = (double)(n - 1) * p;
    lo = floor(h);
    if ((unsigned long long)lo + 1 >= n)
        return score_order(s, c, (unsigned long long)lo);
    return score_order(s, c, (unsigned long long)lo) +
           (h - lo) * (score_order(s, c, (unsigned long long)lo + 1) -
                       score_order(s, c, (unsigned long long)lo));
}

cym_status cym__unc_stats_finish(cym_uncertainty *u, const cym__unc_stats *s, cym_error *err)
{
    size_t cells = s->cells, m = u->n_units;
    double **arr[] = {&u->rank_mean,  &u->rank_median,  &u->rank_q05,  &u->rank_q95,
                      &u->score_mean, &u->score_median, &u->score_q05, &u->score_q95};
    for (size_t i = 0; i < sizeof(arr) / sizeof(*arr); i++) {
        *arr[i] = malloc(cells * sizeof(double));
        if (!*arr[i])
            return nomem(err);
    }
    for (size_t c = 0; c < cells; c++) {
        const unsigned long long *cnt = &s->rank_count[c * (m + 1)];
        unsigned long long n = 0;
        double sum = 0;
        for (size_t r = 1; r <= m; r++) {
            n += cnt[r];
            sum += (double)r * (double)cnt[r];
        }
        u->rank_mean[c] = n ? sum / (double)n : NAN;
        u->rank_median[c] = n ? rank_quantile(cnt, m, n, 0.5) : NAN;
        u->rank_q05[c] = n ? rank_quantile(cnt, m, n, 0.05) : NAN;
        u->rank_q95[c] = n ? rank_quantile(cnt, m, n, 0.95) : NAN;
        u->score_mean[c] =
            s->score_n[c] ? (double)s->score_sum[c] / FIXED_SCALE / (double)s->score_n[c] : NAN;
        u->score_median[c] = score_quantile(s, c, 0.5);
        u->score_q05[c] = score_quantile(s, c, 0.05);
        u->score_q95[c] = score_quantile(s, c, 0.95);
    }
    return CYM_OK;
}
