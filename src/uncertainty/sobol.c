/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Variance-based sensitivity indices from a Saltelli design (Saltelli et al. 2010, "Variance
 * based sensitivity analysis of model output", Comput. Phys. Commun. 181): two independent
 * sample matrices A and B of N rows, and for each factor i the matrix AB_i, A with column i
 * from B. First order S_i = mean(yB (yABi - yA)) / V (Saltelli 2010, table 2 (b)); total
 * ST_i = mean((yA - yABi)^2) / (2V) (Jansen 1999, table 2 (f)); V the variance of yA and yB
 * pooled. Bootstrap intervals resample the N rows (the triplets yA_j, yB_j, yAB_ij move
 * together), each resample from its own GSL stream, so the result does not depend on threads.
 */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/methods.h"
#include "cymetrics/uncertainty.h"
#include "uncertainty/unc_internal.h"

/*
 * Indices of one design (all rows, or a bootstrap resample `idx`), in one pass over the rows
 * (the bootstrap repeats this a thousand times). The variance is summed about a shift, y_A of
 * the first row, so that the one-pass formula does not cancel.
 */
static void estimate(double *s1, double *st, const double *yA, const double *yB, const double *yAB,
                     size_t N, size_t k, const uint32_t *idx, double *a, double *b)
{
    double shift = yA[idx ? idx[0] : 0], sum = 0, sq = 0, mean, v;
    for (size_t i = 0; i < k; i++)
        a[i] = b[i] = 0;
    for (size_t r = 0; r < N; r++) {
        size_t j = idx ? idx[r] : r;
        double ya = yA[j], yb = yB[j], da = ya - shift, db = yb - shift;
        sum += da + db;
        sq += da * da + db * db;
        for (size_t i = 0; i < k; i++) {
            double y = yAB[i * N + j];
            a[i] += yb * (y - ya);
            b[i] += (ya - y) * (ya - y);
        }
    }
    mean = sum / (double)(2 * N);
    v = sq / (double)(2 * N) - mean * mean;
    for (size_t i = 0; i < k; i++) {
        s1[i] = v > 0 ? a[i] / (double)N / v : NAN;
        st[i] = v > 0 ? b[i] / (double)N / (2 * v) : NAN;
    }
}

cym_status cym_sobol_estimate(cym_sobol_index *out, const double *yA, const double *yB,
                              const double *yAB, size_t N, size_t k, size_t n_boot,
                              unsigned long seed, cym_error *err)
{
    double *s1 = NULL, *st = NULL, *bs1 = NULL, *bst = NULL, *c1 = NULL, *c2 = NULL;
    int failed = 0;
    cym_status status = CYM_OK;

    if (N < 2 || k == 0 || N > UINT32_MAX)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "sobol estimates need at least 2 rows and 1 factor");
    s1 = malloc(k * sizeof(double));
    st = malloc(k * sizeof(double));
    bs1 = malloc((n_boot ? n_boot : 1) * k * sizeof(double));
    bst = malloc((n_boot ? n_boot : 1) * k * sizeof(double));
    c1 = malloc((n_boot ? n_boot : 1) * sizeof(double));
    c2 = malloc((n_boot ? n_boot : 1) * sizeof(double));
    if (!s1 || !st || !bs1 || !bst || !c1 || !c2) {
        status = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    {
        double *a = malloc(2 * k * sizeof(double));
        if (!a) {
            status = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        estimate(s1, st, yA, yB, yAB, N, k, NULL, a, a + k);
        free(a);
    }
#pragma omp parallel
    {
        uint32_t *idx = malloc(N * sizeof(*idx));
        double *acc = malloc(2 * k * sizeof(double));
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
#pragma omp for schedule(static)
        for (size_t b = 0; b < n_boot; b++) {
            if (!idx || !acc || !rng) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            gsl_rng_set(rng, cym__stream_seed(seed, CYM__TAG_BOOT, b));
            for (size_t r = 0; r < N; r++)
                idx[r] = (uint32_t)gsl_rng_uniform_int(rng, N);
            estimate(bs1 + b * k, bst + b * k, yA, yB, yAB, N, k, idx, acc, acc + k);
        }
        free(idx);
        free(acc);
        if (rng)
            gsl_rng_free(rng);
    }
    if (failed) {
        status = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < k; i++) {
        cym_sobol_index *o = &out[i];
        o->s1 = s1[i];
        o->st = st[i];
        o->s1_lo = o->s1_hi = o->st_lo = o->st_hi = NAN;
        if (!n_boot || isnan(s1[i]))
            continue;
        /* the bootstrap values of factor i, gathered over bs1[b * k + i] */
        for (size_t b = 0; b < n_boot; b++) {
            c1[b] = bs1[b * k + i];
            c2[b] = bst[b * k + i];
        }
        o->s1_lo = cym_stats_quantile(c1, n_boot, 0.05);
        o->s1_hi = cym_stats_quantile(c1, n_boot, 0.95);
        o->st_lo = cym_stats_quantile(c2, n_boot, 0.05);
        o->st_hi = cym_stats_quantile(c2, n_boot, 0.95);
    }
cleanup:
    free(s1);
    free(st);
    free(bs1);
    free(bst);
    free(c1);
    free(c2);
    return status;
}
