/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sobol estimators (Saltelli 2010 first order, Jansen total) on functions whose indices are
 * known in closed form.
 *
 * Ishigami (Ishigami & Homma 1990; Saltelli et al. 2000, "Sensitivity Analysis", p. 179):
 * f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi), a = 7, b = 0.1.
 *   V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 = 13.844587940719254
 *   V1 = (1 + b pi^4/5)^2 / 2 = 4.3458880238941626, V2 = a^2/8 = 6.125,
 *   V13 = b^2 pi^8 (1/18 - 1/50) = 3.3736999168250921; V3 = 0
 *   S1 = 0.31390519114781146, S2 = 0.4424111447900409, S3 = 0,
 *   ST1 = (V1 + V13)/V = 0.55758885520995916, ST2 = S2, ST3 = V13/V = 0.2436836640621477
 * (R: a <- 7; b <- 0.1; V <- a^2/8 + b*pi^4/5 + b^2*pi^8/18 + 1/2; sprintf("%.17g", ...)).
 * The estimators' standard errors shrink as 1/sqrt(N); at N = 20,000 each index must be
 * within 0.04 (and its bootstrap 90 % interval narrower than 0.1), and the mean over 20
 * designs of N = 4,000 within 0.02 (test_ishigami_spread: no bias).
 *
 * A linear function y = sum c_i x_i with independent U(0,1) inputs has S_i = ST_i =
 * c_i^2 / sum c^2 and no interactions.
 */
#include "testutil.h"

#include <gsl/gsl_rng.h>
#include <omp.h>
#include <stdlib.h>

#include "cymetrics/uncertainty.h"

#define PI 3.14159265358979323846

static const double S1[3] = {0.31390519114781146, 0.4424111447900409, 0.0};
static const double ST[3] = {0.55758885520995916, 0.4424111447900409, 0.2436836640621477};

static double ishigami(const double *x)
{
    return sin(x[0]) + 7.0 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

/* A Saltelli design of size N for k = 3 inputs on (-pi, pi), evaluated with f. */
static void design(double *yA, double *yB, double *yAB, size_t N, unsigned long seed,
                   double (*fn)(const double *), double lo, double hi)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    for (size_t j = 0; j < N; j++) {
        double a[3], b[3], ab[3];
        for (int i = 0; i < 3; i++)
            a[i] = lo + (hi - lo) * gsl_rng_uniform(rng);
        for (int i = 0; i < 3; i++)
            b[i] = lo + (hi - lo) * gsl_rng_uniform(rng);
        yA[j] = fn(a);
        yB[j] = fn(b);
        for (int i = 0; i < 3; i++) {
            for (int q = 0; q < 3; q++)
                ab[q] = q == i ? b[q] : a[q];
            yAB[(size_t)i * N + j] = fn(ab);
        }
    }
    gsl_rng_free(rng);
}

static void test_ishigami(void **state)
{
    enum { N = 20000 };
    double *yA = malloc(N * sizeof(double)), *yB = malloc(N * sizeof(double)),
           *yAB = malloc(3 * N * sizeof(double));
    cym_sobol_index s[3];
    cym_error err;
    (void)state;
    design(yA, yB, yAB, N, 42, ishigami, -PI, PI);
    assert_int_equal(cym_sobol_estimate(s, yA, yB, yAB, N, 3, 200, 7, &err), CYM_OK);
    for (int i = 0; i < 3; i++) {
        if (fabs(s[i].s1 - S1[i]) > 0.04)
            fail_msg("S%d = %g, expected %g", i + 1, s[i].s1, S1[i]);
        if (fabs(s[i].st - ST[i]) > 0.04)
            fail_msg("ST%d = %g, expected %g", i + 1, s[i].st, ST[i]);
        /* the bootstrap interval brackets the estimate and is not absurdly wide */
        assert_true(s[i].s1_lo <= s[i].s1 && s[i].s1 <= s[i].s1_hi);
        assert_true(s[i].st_lo <= s[i].st && s[i].st <= s[i].st_hi);
        assert_true(s[i].s1_hi - s[i].s1_lo < 0.1);
        assert_true(s[i].st_hi - s[i].st_lo < 0.1);
    }
    free(yA);
    free(yB);
    free(yAB);
}

/* Over 20 independent designs the estimates centre on the truth (bias check). */
static void test_ishigami_spread(void **state)
{
    enum { N = 4000, REPS = 20 };
    double *yA = malloc(N * sizeof(double)), *yB = malloc(N * sizeof(double)),
           *yAB = malloc(3 * N * sizeof(double));
    double m1[3] = {0}, mt[3] = {0};
    cym_sobol_index s[3];
    (void)state;
    for (unsigned long r = 0; r < REPS; r++) {
        design(yA, yB, yAB, N, 1000 + r, ishigami, -PI, PI);
        assert_int_equal(cym_sobol_estimate(s, yA, yB, yAB, N, 3, 0, 1, NULL), CYM_OK);
        for (int i = 0; i < 3; i++) {
            m1[i] += s[i].s1 / REPS;
            mt[i] += s[i].st / REPS;
            assert_true(isnan(s[i].s1_lo)); /* no bootstrap asked */
        }
    }
    for (int i = 0; i < 3; i++) {
        if (fabs(m1[i] - S1[i]) > 0.02 || fabs(mt[i] - ST[i]) > 0.02)
            fail_msg("mean over designs: S%d = %g (%g), ST%d = %g (%g)", i + 1, m1[i], S1[i], i + 1,
                     mt[i], ST[i]);
    }
    free(yA);
    free(yB);
    free(yAB);
}

static double linear(const double *x)
{
    return 1.0 * x[0] + 2.0 * x[1] + 0.0 * x[2];
}

static void test_linear(void **state)
{
    enum { N = 20000 };
    double *yA = malloc(N * sizeof(double)), *yB = malloc(N * sizeof(double)),
           *yAB = malloc(3 * N * sizeof(double));
    cym_sobol_index s[3];
    (void)state;
    design(yA, yB, yAB, N, 5, linear, 0, 1);
    assert_int_equal(cym_sobol_estimate(s, yA, yB, yAB, N, 3, 0, 1, NULL), CYM_OK);
    /* c = (1, 2, 0): S = (0.2, 0.8, 0); x3 has no effect at all, so S3 and ST3 are 0
       exactly (yAB3 = yA row by row) */
    assert_true(fabs(s[0].s1 - 0.2) < 0.03 && fabs(s[0].st - 0.2) < 0.03);
    assert_true(fabs(s[1].s1 - 0.8) < 0.03 && fabs(s[1].st - 0.8) < 0.03);
    assert_true(fabs(s[2].s1) < 1e-12 && s[2].st == 0.0);
    free(yA);
    free(yB);
    free(yAB);
}

static void test_errors_and_constant(void **state)
{
    double y[4] = {1, 1, 1, 1}, yab[4] = {1, 1, 1, 1};
    cym_sobol_index s[2];
    cym_error err;
    (void)state;
    assert_int_equal(cym_sobol_estimate(s, y, y, yab, 1, 1, 0, 1, &err), CYM_EUSAGE);
    assert_int_equal(cym_sobol_estimate(s, y, y, yab, 4, 0, 0, 1, &err), CYM_EUSAGE);
    /* a constant output has no variance to apportion: NaN, not a division by zero */
    assert_int_equal(cym_sobol_estimate(s, y, y, yab, 2, 2, 10, 1, &err), CYM_OK);
    assert_true(isnan(s[0].s1) && isnan(s[0].st) && isnan(s[1].s1_lo));
}

/* Same design and seed, same indices and intervals, whatever the number of threads. */
static void test_bootstrap_reproducible(void **state)
{
    enum { N = 2000 };
    double *yA = malloc(N * sizeof(double)), *yB = malloc(N * sizeof(double)),
           *yAB = malloc(3 * N * sizeof(double));
    cym_sobol_index a[3], b[3];
    (void)state;
    design(yA, yB, yAB, N, 9, ishigami, -PI, PI);
    omp_set_num_threads(1);
    assert_int_equal(cym_sobol_estimate(a, yA, yB, yAB, N, 3, 300, 11, NULL), CYM_OK);
    omp_set_num_threads(2);
    assert_int_equal(cym_sobol_estimate(b, yA, yB, yAB, N, 3, 300, 11, NULL), CYM_OK);
    assert_memory_equal(a, b, sizeof(a));
    free(yA);
    free(yB);
    free(yAB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ishigami),
        cmocka_unit_test(test_ishigami_spread),
        cmocka_unit_test(test_linear),
        cmocka_unit_test(test_errors_and_constant),
        cmocka_unit_test(test_bootstrap_reproducible),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
