/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PCA weights of one aggregate (METHODS.md section 5, OECD/JRC Handbook 2008, section 6.1):
 * the first principal component of the children's Pearson correlation matrix over the units
 * with every child present (complete cases), loadings = eigenvector * sqrt(eigenvalue),
 * weights = squared loadings rescaled to sum to 1 (which equals the squared eigenvector,
 * since an eigenvector from GSL has unit length).
 *
 * GSL does the work: gsl_stats_correlation for each pair, gsl_eigen_symmv for the
 * decomposition (it destroys its input matrix, so it gets its own copy) and
 * gsl_eigen_symmv_sort to put the largest eigenvalue first. Eigenvector signs are arbitrary,
 * so the sign is fixed to make the loadings sum positive (the first non-zero loading positive
 * if they sum to exactly 0), which makes the output deterministic. The weights do not depend
 * on the sign. When the two largest eigenvalues are equal the first component is not unique
 * (e.g. uncorrelated children), and the result is whichever GSL returns.
 */
#include "cymetrics/methods.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>

cym_status cym_weights_pca(double *w, double *loadings, double *var_explained, const double *X,
                           size_t n, size_t k, cym_error *err)
{
    double *cols = NULL, sum, lambda, sign = 1.0, v;
    size_t i, j, c = 0, r;
    gsl_matrix *corr = NULL, *evec = NULL;
    gsl_vector *eval = NULL;
    gsl_eigen_symmv_workspace *ws = NULL;
    cym_status st = CYM_OK;

    if (!w || k == 0 || (!X && n > 0))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "pca weights called without data");
    for (i = 0; i < n; i++) {
        for (j = 0; j < k && !isnan(X[i * k + j]); j++)
            ;
        c += j == k;
    }
    if (c < k + 2) {
        st = cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                           "pca weights need at least %zu units with every child present "
                           "(children + 2), found %zu",
                           k + 2, c);
        goto cleanup;
    }

    /* complete cases, one contiguous column per child */
    cols = malloc(c * k * sizeof(*cols));
    corr = gsl_matrix_alloc(k, k);
    evec = gsl_matrix_alloc(k, k);
    eval = gsl_vector_alloc(k);
    ws = gsl_eigen_symmv_alloc(k);
    if (!cols || !corr || !evec || !eval || !ws) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory in pca weights");
        goto cleanup;
    }
    r = 0;
    for (i = 0; i < n; i++) {
        for (j = 0; j < k && !isnan(X[i * k + j]); j++)
            ;
        if (j < k)
            continue;
        for (j = 0; j < k; j++)
            cols[j * c + r] = X[i * k + j];
        r++;
    }
    for (j = 0; j < k; j++)
        if (!(gsl_stats_variance(cols + j * c, 1, c) > 0.0)) {
            st = cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                               "pca weights: child %zu has zero variance over the complete "
                               "cases",
                               j + 1);
            goto cleanup;
        }
    for (i = 0; i < k; i++) {
        gsl_matrix_set(corr, i, i, 1.0);
        for (j = i + 1; j < k; j++) {
            v = gsl_stats_correlation(cols + i * c, 1, cols + j * c, 1, c);
            gsl_matrix_set(corr, i, j, v);
            gsl_matrix_set(corr, j, i, v);
        }
    }
    if (gsl_eigen_symmv(corr, eval, evec, ws) != 0) { /* corr is destroyed here */
        st = cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0, "pca eigen-decomposition failed");
        goto cleanup;
    }
    gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_DESC);
    lambda = gsl_vector_get(eval, 0);

    sum = 0.0;
    for (j = 0; j < k; j++)
        sum += gsl_matrix_get(evec, j, 0);
    if (sum < 0.0)
        sign = -1.0;
    else if (sum == 0.0)
        for (j = 0; j < k; j++) {
            v = gsl_matrix_get(evec, j, 0);
            if (v != 0.0) {
                sign = v < 0.0 ? -1.0 : 1.0;
                break;
            }
        }

    sum = 0.0;
    for (j = 0; j < k; j++) {
        v = gsl_matrix_get(evec, j, 0);
        w[j] = v * v;
        sum += w[j];
    }
    for (j = 0; j < k; j++) {
        w[j] /= sum;
        if (loadings)
            loadings[j] = sign * gsl_matrix_get(evec, j, 0) * sqrt(lambda > 0.0 ? lambda : 0.0);
    }
    if (var_explained)
        *var_explained = lambda / (double)k;

cleanup:
    gsl_eigen_symmv_free(ws);
    gsl_vector_free(eval);
    gsl_matrix_free(evec);
    gsl_matrix_free(corr);
    free(cols);
    return st;
}
