/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Imputation of one indicator, 8 units x 6 years. Expected matrices from R 4.2; the rules
 * written out after COINr's i_mean/i_median/i_mean_grp/i_median_grp (R/impute.R: same-year
 * column statistics; a group with no value stays missing; unit without group, -1, stays
 * missing), LOCF (observations only, forward only, gap at most K) and linear interpolation
 * with flat ends (approx(rule = 2)):
 *
 *   f <- function(m) for (i in 1:nrow(m)) cat(sprintf("%.17g", m[i,]), "\n")
 *   V <- rbind(c(1, NA, 3, NA, NA, 9),
 *              c(NA, NA, NA, NA, NA, NA),
 *              c(5, 6, NA, 10, NA, NA),
 *              c(NA, 2, 7, NA, 1, NA),
 *              c(8, NA, NA, 4, NA, 2),
 *              c(NA, NA, 11, NA, NA, NA),
 *              c(NA, 20, 1, NA, 3, NA),
 *              c(NA, NA, 30, NA, NA, NA))
 *   g <- c(0, 0, 1, 1, 2, -1, 1, 1)
 *   cat("mean\n"); M <- V; for (t in 1:ncol(V)) M[is.na(V[,t]),t] <- mean(V[,t], na.rm=TRUE); f(M)
 *   cat("median\n"); M <- V; for (t in 1:ncol(V)) M[is.na(V[,t]),t] <- median(V[,t], na.rm=TRUE); f(M)
 *   grp <- function(fun) { M <- V; for (t in 1:ncol(V)) for (u in 1:nrow(V)) if (is.na(V[u,t]) && g[u] >= 0) {
 *     s <- V[g == g[u], t]; s <- s[!is.na(s)]; if (length(s)) M[u,t] <- fun(s) }; M }
 *   cat("group mean\n"); f(grp(mean))
 *   cat("group median\n"); f(grp(median))
 *   locf <- function(K) { M <- V; for (u in 1:nrow(V)) { last <- NA; for (t in 1:ncol(V)) {
 *     if (!is.na(V[u,t])) last <- t else if (!is.na(last) && (K == 0 || t - last <= K)) M[u,t] <- V[u,last] } }; M }
 *   cat("locf\n"); f(locf(0)); cat("locf 1\n"); f(locf(1))
 *   cat("linear\n"); M <- V; for (u in 1:nrow(V)) { ok <- !is.na(V[u,]); if (sum(ok) == 1) M[u,] <- V[u,ok]
 *     else if (sum(ok) > 1) M[u,] <- approx(which(ok), V[u,ok], xout = 1:ncol(V), rule = 2)$y }; f(M)
 *
 * Unit 1 has no value at all (stays missing under every rule); group 0 = units 0, 1;
 * group 2 = unit 4 alone, so in years 2, 3 and 5 the whole group is missing.
 */
#include "testutil.h"

#include <string.h>

#include "cymetrics/methods.h"

#define NU 8
#define NY 6

static const double V[NU * NY] = {
    1, NAN, 3, NAN, NAN, 9,
    NAN, NAN, NAN, NAN, NAN, NAN,
    5, 6, NAN, 10, NAN, NAN,
    NAN, 2, 7, NAN, 1, NAN,
    8, NAN, NAN, 4, NAN, 2,
    NAN, NAN, 11, NAN, NAN, NAN,
    NAN, 20, 1, NAN, 3, NAN,
    NAN, NAN, 30, NAN, NAN, NAN};
static const int G[NU] = {0, 0, 1, 1, 2, -1, 1, 1};

static const double MEAN[NU * NY] = {
    1, 9.3333333333333339, 3, 7, 2, 9,
    4.666666666666667, 9.3333333333333339, 10.4, 7, 2, 5.5,
    5, 6, 10.4, 10, 2, 5.5,
    4.666666666666667, 2, 7, 7, 1, 5.5,
    8, 9.3333333333333339, 10.4, 4, 2, 2,
    4.666666666666667, 9.3333333333333339, 11, 7, 2, 5.5,
    4.666666666666667, 20, 1, 7, 3, 5.5,
    4.666666666666667, 9.3333333333333339, 30, 7, 2, 5.5};
static const double MEDIAN[NU * NY] = {
    1, 6, 3, 7, 2, 9,
    5, 6, 7, 7, 2, 5.5,
    5, 6, 7, 10, 2, 5.5,
    5, 2, 7, 7, 1, 5.5,
    8, 6, 7, 4, 2, 2,
    5, 6, 11, 7, 2, 5.5,
    5, 20, 1, 7, 3, 5.5,
    5, 6, 30, 7, 2, 5.5};
static const double GMEAN[NU * NY] = {
    1, NAN, 3, NAN, NAN, 9,
    1, NAN, 3, NAN, NAN, 9,
    5, 6, 12.666666666666666, 10, 2, NAN,
    5, 2, 7, 10, 1, NAN,
    8, NAN, NAN, 4, NAN, 2,
    NAN, NAN, 11, NAN, NAN, NAN,
    5, 20, 1, 10, 3, NAN,
    5, 9.3333333333333339, 30, 10, 2, NAN};
static const double GMEDIAN[NU * NY] = {
    1, NAN, 3, NAN, NAN, 9,
    1, NAN, 3, NAN, NAN, 9,
    5, 6, 7, 10, 2, NAN,
    5, 2, 7, 10, 1, NAN,
    8, NAN, NAN, 4, NAN, 2,
    NAN, NAN, 11, NAN, NAN, NAN,
    5, 20, 1, 10, 3, NAN,
    5, 6, 30, 10, 2, NAN};
static const double LOCF[NU * NY] = {
    1, 1, 3, 3, 3, 9,
    NAN, NAN, NAN, NAN, NAN, NAN,
    5, 6, 6, 10, 10, 10,
    NAN, 2, 7, 7, 1, 1,
    8, 8, 8, 4, 4, 2,
    NAN, NAN, 11, 11, 11, 11,
    NAN, 20, 1, 1, 3, 3,
    NAN, NAN, 30, 30, 30, 30};
static const double LOCF1[NU * NY] = {
    1, 1, 3, 3, NAN, 9,
    NAN, NAN, NAN, NAN, NAN, NAN,
    5, 6, 6, 10, 10, NAN,
    NAN, 2, 7, 7, 1, 1,
    8, 8, NAN, 4, 4, 2,
    NAN, NAN, 11, 11, NAN, NAN,
    NAN, 20, 1, 1, 3, 3,
    NAN, NAN, 30, 30, NAN, NAN};
static const double LINEAR[NU * NY] = {
    1, 2, 3, 5, 7, 9,
    NAN, NAN, NAN, NAN, NAN, NAN,
    5, 6, 8, 10, 10, 10,
    2, 2, 7, 4, 1, 1,
    8, 6.666666666666667, 5.3333333333333339, 4, 3, 2,
    11, 11, 11, 11, 11, 11,
    20, 20, 1, 2, 3, 3,
    30, 30, 30, 30, 30, 30};

static void run(cym_impute_method m, size_t max_gap, const double *expect, const char *name)
{
    double v[NU * NY];
    unsigned flags[NU * NY];
    cym_impute_spec spec;
    size_t n_imp = 999, filled = 0;
    cym_error err;

    memcpy(v, V, sizeof(v));
    memset(flags, 0, sizeof(flags));
    memset(&spec, 0, sizeof(spec));
    spec.method = m;
    spec.max_gap = max_gap;
    assert_int_equal(cym_impute(v, flags, NU, NY, &spec, G, &n_imp, &err), CYM_OK);
    for (size_t k = 0; k < NU * NY; k++) {
        if (!cym_test_close(v[k], expect[k], 1e-12))
            fail_msg("%s: unit %zu year %zu = %.17g, expected %.17g", name, k / NY, k % NY,
                     v[k], expect[k]);
        /* flagged exactly when filled; observed values never change (checked above) */
        if (isnan(V[k]) && !isnan(v[k])) {
            filled++;
            assert_int_equal(flags[k], CYM_FLAG_IMPUTED);
        } else {
            assert_int_equal(flags[k], 0);
        }
    }
    assert_int_equal(n_imp, filled);
}

static void test_mean(void **state) { (void)state; run(CYM_IMPUTE_MEAN, 0, MEAN, "mean"); }
static void test_median(void **state) { (void)state; run(CYM_IMPUTE_MEDIAN, 0, MEDIAN, "median"); }
static void test_group_mean(void **state)
{
    (void)state;
    run(CYM_IMPUTE_GROUP_MEAN, 0, GMEAN, "group-mean");
}
static void test_group_median(void **state)
{
    (void)state;
    run(CYM_IMPUTE_GROUP_MEDIAN, 0, GMEDIAN, "group-median");
}
static void test_locf(void **state) { (void)state; run(CYM_IMPUTE_LOCF, 0, LOCF, "locf"); }
static void test_locf_gap(void **state) { (void)state; run(CYM_IMPUTE_LOCF, 1, LOCF1, "locf:1"); }
static void test_linear(void **state) { (void)state; run(CYM_IMPUTE_LINEAR, 0, LINEAR, "linear"); }

static void test_constant_and_none(void **state)
{
    double v[NU * NY];
    cym_impute_spec spec;
    size_t n = 0;
    (void)state;
    memcpy(v, V, sizeof(v));
    memset(&spec, 0, sizeof(spec));
    spec.method = CYM_IMPUTE_NONE;
    assert_int_equal(cym_impute(v, NULL, NU, NY, &spec, NULL, &n, NULL), CYM_OK);
    assert_int_equal(n, 0);
    assert_true(isnan(v[1]));
    spec.method = CYM_IMPUTE_CONSTANT;
    spec.value = 0;
    assert_int_equal(cym_impute(v, NULL, NU, NY, &spec, NULL, &n, NULL), CYM_OK);
    /* sum(is.na(V)) in R: 31 */
    assert_int_equal(n, 31);
    for (size_t k = 0; k < NU * NY; k++)
        assert_close(v[k], isnan(V[k]) ? 0.0 : V[k]);
}

static void test_errors(void **state)
{
    double v[NU * NY];
    cym_impute_spec spec;
    cym_error err;
    (void)state;
    memcpy(v, V, sizeof(v));
    memset(&spec, 0, sizeof(spec));
    spec.method = CYM_IMPUTE_GROUP_MEAN;
    assert_int_equal(cym_impute(v, NULL, NU, NY, &spec, NULL, NULL, &err), CYM_EUSAGE);
    spec.method = CYM_IMPUTE_CONSTANT;
    spec.value = NAN;
    assert_int_equal(cym_impute(v, NULL, NU, NY, &spec, NULL, NULL, &err), CYM_EUSAGE);
    assert_int_equal(cym_impute(v, NULL, NU, NY, NULL, NULL, NULL, &err), CYM_EUSAGE);
    assert_true(isnan(v[1])); /* nothing was touched */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean),         cmocka_unit_test(test_median),
        cmocka_unit_test(test_group_mean),   cmocka_unit_test(test_group_median),
        cmocka_unit_test(test_locf),         cmocka_unit_test(test_locf_gap),
        cmocka_unit_test(test_linear),       cmocka_unit_test(test_constant_and_none),
        cmocka_unit_test(test_errors),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
