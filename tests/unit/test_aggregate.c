/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Aggregation. Expected values from R 4.2, the COINr a_*() formulas written out
 * (R/aggregate.R), with f <- function(v) cat(sprintf("%.17g", v), "\n"):
 *
 *   x <- c(60, NA, 20, 80); w <- c(1, 2, 1, 2)        # child 2 missing: weights rescaled
 *   p <- !is.na(x); xp <- x[p]; wp <- w[p]/sum(w[p])
 *   f(c(sum(wp*xp), exp(sum(wp*log(xp))), 1/sum(wp/xp), sum(wp*xp^2)^(1/2),
 *       sum(w[p]*xp), min(xp), sum(w[p])/sum(w)))
 *     # 60 52.642960518099692 43.636363636363633 64.807406984078597 240 20 0.66666666666666663
 *   M <- sum(wp*xp); S2 <- sum(wp*(xp-M)^2); f(M - S2/M)            # mazziotta-pareto: 50
 *   y <- c(100, 110, 90, 104); M <- mean(y); S <- sqrt(mean((y-M)^2)); f(M - S*(S/M))
 *     # 100.47524752475248  (De Muro, Mazziotta & Pareto 2011, population sd)
 *   f(sum(wp*xp^-1)^(-1))                                            # power p = -1: 43.63...
 *
 * Copeland (COINr a_copeland: outranking matrix, > 0.5 -> 1, < 0.5 -> -1, 0.5 -> 0, row sums):
 *   X <- matrix(c(1,5,3, 2,5,1, 1,4,4, 3,3,2), nrow=4, byrow=TRUE); wc <- c(1,1,2)
 *   orm <- function(X, w){ w <- w/sum(w); n <- nrow(X); o <- matrix(0,n,n)
 *     for(i in 1:n) for(j in 1:n) if(i!=j) o[i,j] <- sum(w[X[i,]>X[j,]]) + sum(w[X[i,]==X[j,]])/2; o }
 *   cope <- function(o){ o[o>0.5] <- 1; o[o<0.5] <- -1; o[o==0.5] <- 0; diag(o) <- 0; rowSums(o) }
 *   f(cope(orm(X, wc)))                                   # 1 -2 2 -1
 *   # one value missing: c_ab over the children present for both (methods.h)
 *   X2 <- X; X2[2,3] <- NA
 *   orm2 <- function(X, w){ n <- nrow(X); o <- matrix(0,n,n)
 *     for(i in 1:n) for(j in 1:n) if(i!=j){ b <- !is.na(X[i,]) & !is.na(X[j,]); ww <- w[b]/sum(w[b])
 *       o[i,j] <- sum(ww[X[i,b]>X[j,b]]) + sum(ww[X[i,b]==X[j,b]])/2 }; o }
 *   f(cope(orm2(X2, wc)))                                 # -1 2 1 -2
 *
 * Smaller cases:
 *   f(c(exp(mean(log(c(50,20)))), sum(c(.1,.2,.7)*c(10,20,40)), sum(c(.5,1)*c(20,10)), 1.5/3.5))
 *     # 31.622776601683789 33 20 0.42857142857142855
 *
 * Power means whose plain form overflows or underflows (x^160 of 100 is 1e320), exactly in
 * Python with fractions (the doubles as they are), the root in 60-digit decimal:
 *   from fractions import Fraction as F
 *   from decimal import Decimal as D, getcontext
 *   getcontext().prec = 60
 *   def pm(x, w, p):
 *       s = sum(F(b) * F(a)**p for a, b in zip(x, w)) / sum(F(b) for b in w)
 *       return '%.17g' % float((D(s.numerator) / D(s.denominator)) ** (D(1) / D(p)))
 *   pm([0, 25, 50, 75, 100], [1]*5, 160)      # 98.999143544882685
 *   pm([1e-3, 2e-3], [1, 1], 160)             # 0.0019913544008665681  (x^p underflows)
 *   pm([1e-3, 2e-3], [1, 1], -160)            # 0.0010043415672919243  (x^p overflows)
 *   pm([1, 2], [1e308, 1e308], 2)             # 1.5811388300841898     (w x^p overflows)
 *   pm([1, 2], [1e308, 5e307], 2)             # 1.4142135623730951
 */
#include "testutil.h"

#include "cymetrics/methods.h"

static const double X[4] = {60, NAN, 20, 80};
static const double W[4] = {1, 2, 1, 2};

static void test_methods_table(void **state)
{
    static const struct {
        cym_agg_method method;
        double p, expect;
    } cases[] = {
        {CYM_AGG_ARITHMETIC, 0, 60},
        {CYM_AGG_GEOMETRIC, 0, 52.642960518099692},
        {CYM_AGG_HARMONIC, 0, 43.636363636363633},
        {CYM_AGG_POWER, 2, 64.807406984078597},
        {CYM_AGG_POWER, -1, 43.636363636363633},
        {CYM_AGG_POWER, 1, 60},
        {CYM_AGG_SUM, 0, 240},
        {CYM_AGG_MIN, 0, 20},
        {CYM_AGG_MAZZIOTTA_PARETO, 0, 50},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym_agg_spec spec = {cases[i].method, cases[i].p};
        double out = -1, cov = -1;
        assert_int_equal(cym_aggregate(&out, &cov, X, W, 4, &spec, 0.0), CYM_OK);
        if (!cym_test_close(out, cases[i].expect, 1e-12))
            fail_msg("method %d p %g: %.17g, expected %.17g", (int)cases[i].method, cases[i].p,
                     out, cases[i].expect);
        assert_close(cov, 0.66666666666666663);
    }
}

/* The scaled form when x^p or w x^p leaves the range of doubles. */
static void test_power_extreme(void **state)
{
    static const struct {
        double x[5], w[5], p;
        size_t k;
        double expect;
    } cases[] = {
        {{0, 25, 50, 75, 100}, {1, 1, 1, 1, 1}, 160, 5, 98.999143544882685},
        {{1e-3, 2e-3}, {1, 1}, 160, 2, 0.0019913544008665681},
        {{1e-3, 2e-3}, {1, 1}, -160, 2, 0.0010043415672919243},
        {{1, 2}, {1e308, 1e308}, 2, 2, 1.5811388300841898},
        {{1, 2}, {1e308, 5e307}, 2, 2, 1.4142135623730951},
        {{0, 0}, {1, 1}, 160, 2, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym_agg_spec spec = {CYM_AGG_POWER, cases[i].p};
        double out = -1, cov = -1;
        assert_int_equal(cym_aggregate(&out, &cov, cases[i].x, cases[i].w, cases[i].k, &spec, 0.0),
                         CYM_OK);
        if (!cym_test_close(out, cases[i].expect, 1e-14))
            fail_msg("case %zu: %.17g, expected %.17g", i, out, cases[i].expect);
        assert_true(cov == 1.0);
    }
}

static void test_mpi_equal_weights(void **state)
{
    static const double y[4] = {100, 110, 90, 104};
    static const double w[4] = {0.25, 0.25, 0.25, 0.25};
    cym_agg_spec spec = {CYM_AGG_MAZZIOTTA_PARETO, 0};
    double out;
    (void)state;
    assert_int_equal(cym_aggregate(&out, NULL, y, w, 4, &spec, 0.0), CYM_OK);
    assert_close(out, 100.47524752475248);
}

/* min_coverage gates on the share of weight present: 4/6 here. */
static void test_min_coverage(void **state)
{
    cym_agg_spec spec = {CYM_AGG_ARITHMETIC, 0};
    double out, cov;
    (void)state;
    assert_int_equal(cym_aggregate(&out, &cov, X, W, 4, &spec, 0.7), CYM_OK);
    assert_true(isnan(out));
    assert_close(cov, 0.66666666666666663);
    assert_int_equal(cym_aggregate(&out, &cov, X, W, 4, &spec, 0.6), CYM_OK);
    assert_close(out, 60);
    /* with everything present, coverage 1 passes min_coverage 1 exactly */
    {
        static const double full[3] = {10, 20, 40};
        static const double w3[3] = {0.1, 0.2, 0.7};
        assert_int_equal(cym_aggregate(&out, &cov, full, w3, 3, &spec, 1.0), CYM_OK);
        assert_close(cov, 1.0);
        assert_close(out, 33);
    }
}

/*
 * Decimal weights that make up exactly the threshold meet it (found by tests/diff, seed 209
 * case 145). By hand: weights 0.6, 0.7, 0.2, 1.5 (total 3), the last child missing: present
 * 1.5 of 3 = 0.5 >= 0.5, so the mean is (0.6 * 1 + 0.7 * 2 + 0.2 * 3)/1.5 = 2.6/1.5 = 26/15.
 * In doubles 0.6 + 0.7 + 0.2 = 1.4999999999999998 and the share 0.49999999999999994, which
 * left the aggregate missing. And 0.3 + 0.1 + 0.2 of 0.8 (0.75 exactly) meets 0.75, while
 * 0.74 of a total of 1 (0.74 < 0.75) does not.
 */
static void test_min_coverage_decimal(void **state)
{
    static const double x[4] = {1, 2, 3, NAN}, w[4] = {0.6, 0.7, 0.2, 1.5};
    static const double x2[4] = {NAN, 1, 1, 1}, w2[4] = {0.2, 0.3, 0.1, 0.2};
    static const double x3[2] = {1, NAN}, w3[2] = {0.74, 0.26};
    cym_agg_spec spec = {CYM_AGG_ARITHMETIC, 0};
    double out, cov;
    (void)state;
    assert_int_equal(cym_aggregate(&out, &cov, x, w, 4, &spec, 0.5), CYM_OK);
    assert_close(out, 26.0 / 15.0);
    assert_int_equal(cym_aggregate(&out, &cov, x2, w2, 4, &spec, 0.75), CYM_OK);
    assert_close(out, 1);
    assert_int_equal(cym_aggregate(&out, &cov, x3, w3, 2, &spec, 0.75), CYM_OK);
    assert_true(isnan(out));
    assert_true(cym_aggregate_covered(0.49999999999999994, 0.5));
    assert_false(cym_aggregate_covered(0.4999, 0.5));
}

static void test_missing_and_errors(void **state)
{
    static const double none[3] = {NAN, NAN, NAN};
    static const double w3[3] = {1, 1, 1};
    static const double with0[3] = {50, 0, 20};
    static const double neg[3] = {50, -1, 20};
    static const double w0[3] = {1, 0, 1};
    cym_agg_spec spec = {CYM_AGG_ARITHMETIC, 0};
    double out = 0, cov = 1;
    (void)state;

    /* a whole group missing: NaN and coverage 0 */
    assert_int_equal(cym_aggregate(&out, &cov, none, w3, 3, &spec, 0.0), CYM_OK);
    assert_true(isnan(out));
    assert_close(cov, 0.0);
    /* geometric/harmonic with a value <= 0 */
    spec.method = CYM_AGG_GEOMETRIC;
    assert_int_equal(cym_aggregate(&out, &cov, with0, w3, 3, &spec, 0.0), CYM_EDATA);
    assert_true(isnan(out));
    spec.method = CYM_AGG_HARMONIC;
    assert_int_equal(cym_aggregate(&out, &cov, neg, w3, 3, &spec, 0.0), CYM_EDATA);
    /* ... unless the child has weight 0 and takes no part */
    spec.method = CYM_AGG_GEOMETRIC;
    assert_int_equal(cym_aggregate(&out, &cov, with0, w0, 3, &spec, 0.0), CYM_OK);
    assert_close(out, 31.622776601683789);
    spec.method = CYM_AGG_POWER;
    spec.p = -2;
    assert_int_equal(cym_aggregate(&out, &cov, with0, w3, 3, &spec, 0.0), CYM_EDATA);
    spec.p = 0;
    assert_int_equal(cym_aggregate(&out, &cov, with0, w3, 3, &spec, 0.0), CYM_EUSAGE);
    spec.method = CYM_AGG_COPELAND;
    assert_int_equal(cym_aggregate(&out, &cov, with0, w3, 3, &spec, 0.0), CYM_EUSAGE);
    spec.method = CYM_AGG_ARITHMETIC;
    assert_int_equal(cym_aggregate(&out, &cov, with0, neg, 3, &spec, 0.0), CYM_EUSAGE);
}

/* sum keeps the framework weights (points out of a fixed maximum): 20 * 0.5 + 10 * 1. */
static void test_sum_not_rescaled(void **state)
{
    static const double x[3] = {20, NAN, 10};
    static const double w[3] = {0.5, 2, 1};
    cym_agg_spec spec = {CYM_AGG_SUM, 0};
    double out, cov;
    (void)state;
    assert_int_equal(cym_aggregate(&out, &cov, x, w, 3, &spec, 0.0), CYM_OK);
    assert_close(out, 20.0);
    assert_close(cov, 0.42857142857142855);
}

static void test_copeland(void **state)
{
    double X4[12] = {1, 5, 3, 2, 5, 1, 1, 4, 4, 3, 3, 2};
    static const double wc[3] = {1, 1, 2};
    static const double full[4] = {1, -2, 2, -1};
    static const double miss[4] = {-1, 2, 1, -2};
    double out[5];
    (void)state;
    assert_int_equal(cym_aggregate_copeland(out, X4, wc, 4, 3), CYM_OK);
    for (size_t i = 0; i < 4; i++)
        assert_close(out[i], full[i]);
    X4[1 * 3 + 2] = NAN;
    assert_int_equal(cym_aggregate_copeland(out, X4, wc, 4, 3), CYM_OK);
    for (size_t i = 0; i < 4; i++)
        assert_close(out[i], miss[i]);
    /* a unit with no child present gets NaN */
    {
        double X5[15] = {1, 5, 3, 2, 5, 1, 1, 4, 4, 3, 3, 2, NAN, NAN, NAN};
        assert_int_equal(cym_aggregate_copeland(out, X5, wc, 5, 3), CYM_OK);
        assert_true(isnan(out[4]));
        for (size_t i = 0; i < 4; i++)
            assert_close(out[i], full[i]);
    }
}

/*
 * Copeland with exact ties under non-integer weights: a tie must be a tie (COINr maps
 * c_ab = 0.5 to 0), whatever rounding the weights' sums meet. Units a and b below tie on
 * weight; both beat c. Expected from Python 3.11 with exact rationals (fractions), COINr's
 * a_copeland formula written out:
 *
 *   from fractions import Fraction as F
 *   def copeland(X, w, exact_weight):
 *       w = [exact_weight(v) for v in w]
 *       out = []
 *       for i, a in enumerate(X):
 *           s = 0
 *           for j, b in enumerate(X):
 *               if i == j: continue
 *               W = sum((v for v, p, q in zip(w, a, b) if p > q), F(0))
 *               T = sum((v for v, p, q in zip(w, a, b) if p == q), F(0))
 *               c = (W + T / 2) / sum(w) - F(1, 2)
 *               s += (c > 0) - (c < 0)
 *           out.append(s)
 *       return out
 *   decimal = lambda v: F(repr(v))   # the weight as written: 0.2 is 1/5
 *   binary = F                       # the double itself, exactly
 *   copeland([[1,1,3,2,1,3], [1,3,3,1,3,2], [0]*6], [0.2]*6, decimal)             # [1, 1, -2]
 *   copeland([[2,2,2,1,1,1], [1,1,1,2,2,2], [0]*6], [.1,.2,.3,.3,.2,.1], decimal)  # [1, 1, -2]
 *   copeland([[2,2,1], [1,1,2], [0]*3], [.1,.2,.3], decimal)                       # [1, 1, -2]
 *   copeland([[2,3,2,1,2,2], [2,1,3,3,2,1], [0]*6],
 *            [1/6, 2/9, 1/3, 1/9, 2/7, 2/9], binary)                               # [1, 1, -2]
 *
 * The old arithmetic (2 win - both, ties adding half to win) gave [2, 2, -2], [1, 0, -2],
 * [1, 0, -2] and [0, 0, -2]: 2 win - both was 2.2e-16 in the first case, so each of a and b
 * "beat" the other. COINr itself (R 4.2, the orm/cope functions above) gives [1, 1, -2] on
 * the first three. The third is a tie only as decimals (as doubles 0.1 + 0.2 > 0.3); the
 * fourth has weights that are no short decimals, whose doubles tie exactly (2/9 + 2/9 =
 * 1/3 + 1/9).
 */
static void test_copeland_exact_ties(void **state)
{
    static const struct {
        size_t k;
        double w[6];
        double X[18];
    } cases[] = {
        {6, {0.2, 0.2, 0.2, 0.2, 0.2, 0.2}, {1, 1, 3, 2, 1, 3, 1, 3, 3, 1, 3, 2, 0, 0, 0, 0, 0, 0}},
        {6, {0.1, 0.2, 0.3, 0.3, 0.2, 0.1}, {2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0}},
        {3, {0.1, 0.2, 0.3}, {2, 2, 1, 1, 1, 2, 0, 0, 0}},
        {6,
         {1.0 / 6, 2.0 / 9, 1.0 / 3, 1.0 / 9, 2.0 / 7, 2.0 / 9},
         {2, 3, 2, 1, 2, 2, 2, 1, 3, 3, 2, 1, 0, 0, 0, 0, 0, 0}},
    };
    static const double expect[3] = {1, 1, -2};
    double out[3];
    (void)state;
    for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
        assert_int_equal(cym_aggregate_copeland(out, cases[c].X, cases[c].w, 3, cases[c].k),
                         CYM_OK);
        for (size_t i = 0; i < 3; i++)
            if (out[i] != expect[i])
                fail_msg("case %zu: unit %zu scores %g, expected %g", c, i, out[i], expect[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_methods_table),
        cmocka_unit_test(test_power_extreme),
        cmocka_unit_test(test_mpi_equal_weights),
        cmocka_unit_test(test_min_coverage),
        cmocka_unit_test(test_min_coverage_decimal),
        cmocka_unit_test(test_missing_and_errors),
        cmocka_unit_test(test_sum_not_rescaled),
        cmocka_unit_test(test_copeland),
        cmocka_unit_test(test_copeland_exact_ties),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
