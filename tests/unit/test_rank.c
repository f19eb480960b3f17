/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Ranks, 1 = highest. Expected values from R 4.2 (f <- function(v) cat(sprintf("%.17g", v))):
 *
 *   x <- c(10, 30, NA, 30, 20, 10, 5); tb <- c(1, 2, 0, 5, 0, 7, 0)
 *   f(rank(-x, ties.method="min", na.last="keep"))            # min:   4 1 NA 1 3 4 6
 *   f(match(-x, sort(unique(-x))))                             # dense: 3 1 NA 1 2 3 4
 *   r <- rep(NA,7); o <- order(-x, -tb, seq_along(x), na.last=NA); r[o] <- seq_along(o); f(r)
 *                                                              # ordinal + tiebreak: 5 2 NA 1 3 4 6
 *   r <- rep(NA,7); o <- order(-x, seq_along(x), na.last=NA); r[o] <- seq_along(o); f(r)
 *                                                              # ordinal, position: 4 1 NA 2 3 5 6
 *   f(rank(-c(0.3, 0.1+0.2), ties.method="min"))               # exact comparison: 2 1
 *   x <- c(5,5,5,1); tb <- c(NA,2,NA,9)      # order() puts NA last, as a NaN tiebreak loses
 *   r <- rep(NA,4); o <- order(-x,-tb,seq_along(x)); r[o] <- seq_along(o); f(r)   # 2 1 3 4
 *   x <- (0:99*37) %% 100; all(rank(-x, ties.method="first") == 100 - x)         # TRUE
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "cymetrics/methods.h"

#define N 7
static const double X[N] = {10, 30, NAN, 30, 20, 10, 5};
static const double TB[N] = {1, 2, 0, 5, 0, 7, 0};

static void check(const double *got, const double *want, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!cym_test_close(got[i], want[i], 0))
            fail_msg("%s[%zu] = %g, expected %g", what, i, got[i], want[i]);
}

static void test_table(void **state)
{
    static const struct {
        const char *name;
        cym_rank_ties ties;
        const double *tb;
        double expect[N];
    } cases[] = {
        {"min", CYM_TIES_MIN, NULL, {4, 1, NAN, 1, 3, 4, 6}},
        {"min ignores tiebreak", CYM_TIES_MIN, TB, {4, 1, NAN, 1, 3, 4, 6}},
        {"dense", CYM_TIES_DENSE, NULL, {3, 1, NAN, 1, 2, 3, 4}},
        {"ordinal tiebreak", CYM_TIES_ORDINAL, TB, {5, 2, NAN, 1, 3, 4, 6}},
        {"ordinal position", CYM_TIES_ORDINAL, NULL, {4, 1, NAN, 2, 3, 5, 6}},
    };
    double out[N];
    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
        assert_int_equal(cym_rank(out, X, N, cases[k].ties, cases[k].tb), CYM_OK);
        check(out, cases[k].expect, N, cases[k].name);
    }
}

/* Scores are compared exactly: 0.1 + 0.2 > 0.3 in binary. out may alias x. */
static void test_exact_and_alias(void **state)
{
    double x[2] = {0.3, 0.1 + 0.2};
    static const double want[2] = {2, 1};
    double y[N];
    static const double min_want[N] = {4, 1, NAN, 1, 3, 4, 6};
    (void)state;
    assert_int_equal(cym_rank(x, x, 2, CYM_TIES_MIN, NULL), CYM_OK);
    check(x, want, 2, "exact");
    memcpy(y, X, sizeof(y));
    assert_int_equal(cym_rank(y, y, N, CYM_TIES_MIN, NULL), CYM_OK);
    check(y, min_want, N, "aliased");
}

/* A NaN tiebreak loses to any number; remaining ties go by position. */
static void test_nan_tiebreak(void **state)
{
    static const double x[4] = {5, 5, 5, 1};
    static const double tb[4] = {NAN, 2, NAN, 9};
    static const double want[4] = {2, 1, 3, 4};
    double out[4];
    (void)state;
    assert_int_equal(cym_rank(out, x, 4, CYM_TIES_ORDINAL, tb), CYM_OK);
    check(out, want, 4, "nan tiebreak");
}

static void test_edges(void **state)
{
    static const double none[3] = {NAN, NAN, NAN};
    double out[3];
    (void)state;
    assert_int_equal(cym_rank(out, none, 3, CYM_TIES_DENSE, NULL), CYM_OK);
    assert_true(isnan(out[0]) && isnan(out[1]) && isnan(out[2]));
    assert_int_equal(cym_rank(out, none, 0, CYM_TIES_MIN, NULL), CYM_OK);
    assert_int_equal(cym_rank(NULL, none, 3, CYM_TIES_MIN, NULL), CYM_EUSAGE);
    assert_int_equal(cym_rank(out, none, 3, (cym_rank_ties)9, NULL), CYM_EUSAGE);
}

/* A larger input exercises several merge passes: ranks of 0..99 shuffled, against 100 - v. */
static void test_many(void **state)
{
    double x[100], out[100];
    (void)state;
    for (size_t i = 0; i < 100; i++)
        x[i] = (double)((i * 37) % 100);
    assert_int_equal(cym_rank(out, x, 100, CYM_TIES_ORDINAL, NULL), CYM_OK);
    for (size_t i = 0; i < 100; i++)
        assert_close(out[i], 100.0 - x[i]);
}

/*
 * Long vectors (the radix sort from 128 values), against ranks counted directly: min is
 * 1 + the values strictly above, dense 1 + the distinct values strictly above, ordinal
 * 1 + the values above + the equal ones at an earlier position. With ties, 0 and -0,
 * infinities, negatives and NaN, at sizes around the threshold and a year of 2,000.
 */
static void test_long(void **state)
{
    static const size_t sizes[] = {127, 128, 129, 300, 2000};
    static const cym_rank_ties modes[] = {CYM_TIES_MIN, CYM_TIES_DENSE, CYM_TIES_ORDINAL};
    unsigned long seed = 18;
    double *x = malloc(2000 * sizeof(*x)), *out = malloc(2000 * sizeof(*out));
    (void)state;
    assert_non_null(x);
    assert_non_null(out);
    for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
        size_t n = sizes[k];
        for (size_t i = 0; i < n; i++) {
            unsigned long r;
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            r = seed >> 33;
            x[i] = r % 9 == 0   ? NAN
                   : r % 9 == 1 ? (r & 64 ? 0.0 : -0.0)
                   : r % 9 == 2 ? (r & 64 ? INFINITY : -INFINITY)
                   : r % 9 == 3 ? (double)(r % 7) - 3.0 /* ties */
                                : ((double)(r % 100000) - 50000.0) / 7.0;
        }
        for (size_t m = 0; m < sizeof(modes) / sizeof(*modes); m++) {
            assert_int_equal(cym_rank(out, x, n, modes[m], NULL), CYM_OK);
            for (size_t i = 0; i < n; i++) {
                double want = 1.0;
                if (isnan(x[i])) {
                    assert_true(isnan(out[i]));
                    continue;
                }
                for (size_t j = 0; j < n; j++) {
                    int distinct_above = x[j] > x[i];
                    for (size_t q = 0; q < j && distinct_above && modes[m] == CYM_TIES_DENSE; q++)
                        distinct_above = x[q] != x[j];
                    if (modes[m] == CYM_TIES_MIN)
                        want += x[j] > x[i];
                    else if (modes[m] == CYM_TIES_DENSE)
                        want += distinct_above;
                    else
                        want += x[j] > x[i] || (x[j] == x[i] && j < i);
                }
                if (out[i] != want)
                    fail_msg("n %zu, ties %d: rank of x[%zu] = %g is %g, expected %g", n,
                             (int)modes[m], i, x[i], out[i], want);
            }
        }
    }
    free(x);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_exact_and_alias),
        cmocka_unit_test(test_nan_tiebreak),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_long),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
