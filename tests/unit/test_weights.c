/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PCA weights. Expected values from R 4.2 (eigen() is LAPACK, independent of GSL), complete
 * cases only (rows 4 and 8 have a missing value), sign fixed so the loadings sum positive:
 *
 *   f <- function(v) cat(sprintf("%.17g", v), "\n")
 *   X <- rbind(c(1.0, 2.0, 9.0), c(2.0, 2.5, 7.5), c(3.0, 4.1, 7.0), c(NA, 1.0, 3.0),
 *              c(4.0, 3.9, 5.0), c(5.0, 6.2, 5.5), c(6.0, 5.8, 2.0), c(7.0, NA, 1.0),
 *              c(8.0, 8.5, 1.5))
 *   Xc <- X[complete.cases(X),]; e <- eigen(cor(Xc), symmetric=TRUE); v <- e$vectors[,1]
 *   if (sum(v) < 0) v <- -v
 *   f(v^2/sum(v^2))          # 0.34756485753637029 0.32757898217989118 0.32485616028373848
 *   f(v*sqrt(e$values[1]))   # 0.99940610450918455 0.97024649673030017 -0.96620575978978729
 *   f(e$values[1]/3)         # 0.95791479879953478
 *   p <- prcomp(Xc, scale.=TRUE); f(p$sdev[1]^2/3)    # 0.95791479879953467 (agrees)
 *   # columns multiplied by s: the loadings' signs follow, the sum stays positive
 *   for (s in list(c(1,1,-1), c(-1,1,1), c(-1,-1,1))) { Xs <- Xc %*% diag(s); ... }
 *     # 0.99940610450918455 0.97024649673030017 0.96620575978978729
 *     # 0.99940610450918455 -0.97024649673030017 0.96620575978978729
 *     # 0.99940610450918455 0.97024649673030017 0.96620575978978729
 */
#include "testutil.h"

#include <string.h>

#include "cymetrics/methods.h"

#define NR 9
static const double X[NR * 3] = {1.0, 2.0, 9.0, 2.0, 2.5, 7.5, 3.0, 4.1, 7.0,
                                 NAN, 1.0, 3.0, 4.0, 3.9, 5.0, 5.0, 6.2, 5.5,
                                 6.0, 5.8, 2.0, 7.0, NAN, 1.0, 8.0, 8.5, 1.5};

static void test_weights(void **state)
{
    static const double want_w[3] = {0.34756485753637029, 0.32757898217989118,
                                     0.32485616028373848};
    static const double want_l[3] = {0.99940610450918455, 0.97024649673030017,
                                     -0.96620575978978729};
    double w[3], l[3], ve = 0, sum = 0;
    cym_error err;
    (void)state;
    assert_int_equal(cym_weights_pca(w, l, &ve, X, NR, 3, &err), CYM_OK);
    for (size_t j = 0; j < 3; j++) {
        assert_close(w[j], want_w[j]);
        assert_close(l[j], want_l[j]);
        sum += w[j];
    }
    assert_close(sum, 1.0);
    assert_close(ve, 0.95791479879953478);
    /* the optional outputs may be NULL */
    assert_int_equal(cym_weights_pca(w, NULL, NULL, X, NR, 3, &err), CYM_OK);
    assert_close(w[0], want_w[0]);
}

/* Whatever sign GSL's eigenvector comes with, the loadings sum positive. */
static void test_sign(void **state)
{
    static const double signs[3][3] = {{1, 1, -1}, {-1, 1, 1}, {-1, -1, 1}};
    static const double want[3][3] = {
        {0.99940610450918455, 0.97024649673030017, 0.96620575978978729},
        {0.99940610450918455, -0.97024649673030017, 0.96620575978978729},
        {0.99940610450918455, 0.97024649673030017, 0.96620575978978729}};
    double Xs[NR * 3], w[3], l[3];
    (void)state;
    for (size_t s = 0; s < 3; s++) {
        for (size_t i = 0; i < NR; i++)
            for (size_t j = 0; j < 3; j++)
                Xs[i * 3 + j] = X[i * 3 + j] * signs[s][j];
        assert_int_equal(cym_weights_pca(w, l, NULL, Xs, NR, 3, NULL), CYM_OK);
        for (size_t j = 0; j < 3; j++)
            assert_close(l[j], want[s][j]);
    }
}

static void test_errors(void **state)
{
    double w[3], Xz[NR * 3];
    cym_error err;
    (void)state;
    /* 7 complete rows: 4 are not enough for 3 children (need 5) */
    assert_int_equal(cym_weights_pca(w, NULL, NULL, X, 5, 3, &err), CYM_EDATA);
    assert_non_null(strstr(err.message, "at least 5"));
    /* exactly k + 2 = 5 complete rows is enough (rows 0-2, 4, 5) */
    assert_int_equal(cym_weights_pca(w, NULL, NULL, X, 6, 3, &err), CYM_OK);
    /* a child with zero variance over the complete cases */
    memcpy(Xz, X, sizeof(Xz));
    for (size_t i = 0; i < NR; i++)
        Xz[i * 3 + 1] = 4.0;
    assert_int_equal(cym_weights_pca(w, NULL, NULL, Xz, NR, 3, &err), CYM_EDATA);
    assert_int_equal(cym_weights_pca(w, NULL, NULL, X, NR, 0, &err), CYM_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_sign),
        cmocka_unit_test(test_errors),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
