/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Descriptive statistics: count, G1, G2, type-7 quantile. Expected values from R 4.2, with
 * COINr's skew()/kurt() (R/treat.R, the e1071 type-2 formulas) written out:
 *
 *   skew <- function(x){x<-x[!is.na(x)];n<-length(x);x<-x-mean(x)
 *     y<-sqrt(n)*sum(x^3)/(sum(x^2)^(3/2));y*sqrt(n*(n-1))/(n-2)}
 *   kurt <- function(x){x<-x[!is.na(x)];n<-length(x);x<-x-mean(x)
 *     r<-n*sum(x^4)/(sum(x^2)^2);((n+1)*(r-3)+6)*(n-1)/((n-2)*(n-3))}
 *   a <- c(1,NA,2,3,4,5,6,7,8,9,10,30,NA,100)
 *   b <- c(-50, 3.5, 4, 4.25, 5, 5.5, 6, 7)
 *   sprintf("%.17g", c(skew(a), kurt(a)))   # 3.0632410342394985 9.7413908345691436
 *   sprintf("%.17g", c(skew(b), kurt(b)))   # -2.8091030142729081 7.9186967255431506
 *   sprintf("%.17g", skew(c(2, 7, 9)))      # -1.1520696383139373
 *   sprintf("%.17g", quantile(a, c(0,.25,.5,.9,1), type=7, na.rm=TRUE))
 *                                           # 1 3.75 6.5 28.000000000000007 100
 *   sprintf("%.17g", quantile(b, c(.1,.33), type=7))  # -12.54999999999999 4.0775000000000006
 */
#include "testutil.h"

#include "cymetrics/methods.h"

#define N_A 14
static const double A[N_A] = {1, NAN, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, NAN, 100};
static const double B[8] = {-50, 3.5, 4, 4.25, 5, 5.5, 6, 7};

static void test_count(void **state)
{
    static const double none[3] = {NAN, NAN, NAN};
    (void)state;
    assert_int_equal(cym_stats_count(A, N_A), 12);
    assert_int_equal(cym_stats_count(none, 3), 0);
    assert_int_equal(cym_stats_count(A, 0), 0);
    assert_int_equal(cym_stats_count(NULL, 5), 0);
}

static void test_skew_kurt(void **state)
{
    static const double d[3] = {2, 7, 9};
    (void)state;
    assert_close(cym_stats_skew(A, N_A), 3.0632410342394985);
    assert_close(cym_stats_kurt(A, N_A), 9.7413908345691436);
    assert_close(cym_stats_skew(B, 8), -2.8091030142729081);
    assert_close(cym_stats_kurt(B, 8), 7.9186967255431506);
    assert_close(cym_stats_skew(d, 3), -1.1520696383139373);
}

/* Undefined cases are NaN: too few points, zero variance (COINr stops; we say NaN). */
static void test_skew_kurt_undefined(void **state)
{
    static const double two[2] = {1, 5};
    static const double three[3] = {2, 7, 9};
    static const double flat[5] = {4, 4, NAN, 4, 4};
    /* identical values whose rounded mean is not their value (R: x - mean(x) is 0 0 0 0 0 0
     * 0 for rep(-45.9, 7), its sum being long double; in doubles the mean is
     * -45.899999999999991): still no variation, NaN, not a skewness of rounding noise */
    static const double tied[7] = {-45.9, -45.9, -45.9, -45.9, -45.9, -45.9, -45.9};
    (void)state;
    assert_true(isnan(cym_stats_skew(tied, 7)));
    assert_true(isnan(cym_stats_kurt(tied, 7)));
    assert_true(isnan(cym_stats_skew(two, 2)));
    assert_true(isnan(cym_stats_kurt(three, 3)));
    assert_true(isnan(cym_stats_skew(flat, 5)));
    assert_true(isnan(cym_stats_kurt(flat, 5)));
    assert_true(isnan(cym_stats_skew(NULL, 4)));
}

static void test_quantile(void **state)
{
    static const struct {
        const double *x;
        size_t n;
        double p, expect;
    } cases[] = {
        {A, N_A, 0.0, 1},
        {A, N_A, 0.25, 3.75},
        {A, N_A, 0.5, 6.5},
        {A, N_A, 0.9, 28.000000000000007},
        {A, N_A, 1.0, 100},
        {B, 8, 0.1, -12.54999999999999},
        {B, 8, 0.33, 4.0775000000000006},
        {B, 1, 0.5, -50}, /* one value: every quantile is it */
    };
    static const double none[2] = {NAN, NAN};
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        assert_close(cym_stats_quantile(cases[i].x, cases[i].n, cases[i].p), cases[i].expect);
    assert_true(isnan(cym_stats_quantile(none, 2, 0.5)));
    assert_true(isnan(cym_stats_quantile(A, N_A, 1.5)));
    assert_true(isnan(cym_stats_quantile(A, N_A, -0.1)));
    assert_true(isnan(cym_stats_quantile(A, N_A, NAN)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_skew_kurt),
        cmocka_unit_test(test_skew_kurt_undefined),
        cmocka_unit_test(test_quantile),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
