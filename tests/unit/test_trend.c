/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Trend statistics (METHODS.md section 7) against independent values.
 *
 * SciPy 1.10 (/usr/bin/python3), Mann-Kendall written out from the textbook formula:
 *
 *   import numpy as np; from scipy import stats
 *   def mk(t, y):
 *       o = np.argsort(t); y = np.asarray(y, float)[o]; n = len(y)
 *       s = sum(np.sign(y[j]-y[i]) for i in range(n) for j in range(i+1, n))
 *       _, c = np.unique(y, return_counts=True)
 *       var = (n*(n-1)*(2*n+5) - sum(u*(u-1)*(2*u+5) for u in c))/18
 *       z = (s-1)/np.sqrt(var) if s > 0 else (s+1)/np.sqrt(var) if s < 0 else 0.0
 *       return s, var, z, 2*stats.norm.sf(abs(z))
 *   lr = stats.linregress(t, y); q = stats.t.ppf(0.975, len(t)-2)
 *   print('%.17g ' * 14 % (lr.slope, lr.intercept, lr.stderr, lr.slope-q*lr.stderr,
 *         lr.slope+q*lr.stderr, lr.pvalue, stats.theilslopes(y, t)[0], *mk(t, y),
 *         stats.kendalltau(t, y)[0], (y[-1]/y[0])**(1/(t[-1]-t[0]))-1))
 *
 * prc_change from R 4.2, with lm on years counted from the first year (so the intercept is
 * a + b t_first itself):
 *
 *   p <- function(t, y) { f <- coef(lm(y ~ I(t - t[1]))); f[2] / f[1] * 100 }
 *
 * and the OLS of GAPS once more with R's lm, which agrees with SciPy to 1e-12:
 *
 *   f <- summary(lm(y ~ t)); sprintf("%.17g", c(f$coef[2,1:2], confint(lm(y ~ t))[2,],
 *                                               f$coef[2,4]))
 *   # 0.35236220472440627 0.15982102308160492 -0.15625961968830948 0.86098402913712202
 *   # 0.11466417952481041
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>

#include "cymetrics/trend.h"
#include "trend/trend_internal.h"

typedef struct ref {
    const char *name;
    size_t n;
    double t[8], y[8];
    /* slope, intercept, se, ci_lo, ci_hi, p, theil_sen, S, Var(S), z, p_mk, tau_b, cagr, prc */
    double e[14];
} ref;

static const ref refs[] = {
    /* A: a country's index over 2017-2024 */
    {"A",
     8,
     {2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024},
     {30.5, 37.2, 39.4, 38.5, 39.5, 50.7, 48.5, 55.6},
     {3.1797619047619046, -6382.2214285714281, 0.47514219934604407, 2.0171308273211306,
      4.3423929822026786, 0.00053990901819349173, 3.1533333333333333, 24, 65.333333333333329,
      2.8455120410060126, 0.0044340083031006519, 0.8571428571428571, 0.08956605524731831,
      10.140085797805705}},
    /* TIES: tied groups of 2 and 3 in y (Var(S) tie correction, tau-b) */
    {"TIES",
     8,
     {1, 2, 3, 4, 5, 6, 7, 8},
     {1, 2, 2, 3, 3, 3, 5, 4},
     {0.4642857142857143, 0.78571428571428559, 0.085017005101700543, 0.25625659715358051,
      0.67231483141784809, 0.0015709639498300266, 0.4642857142857143, 22, 60.666666666666664,
      2.6961511028187513, 0.0070145838820816261, 0.8486684247915055, 0.21901365420447538,
      37.142857142857203}},
    /* GAPS: years not consecutive */
    {"GAPS",
     5,
     {2015, 2016, 2019, 2020, 2024},
     {3, 4, 4.5, 7, 6},
     {0.35236220472440949, -706.44881889763792, 0.15982102308160892, -0.15625961968840774,
      0.86098402913722671, 0.11466417952481421, 0.35416666666666663, 8, 16.666666666666668,
      1.7146428199482247, 0.0864107329737, 0.79999999999999993, 0.080059738892306109,
      9.8949695964621309}},
    /* MISS: the points left of 2017..2022 with 2018 and 2021 missing (see test_missing) */
    {"MISS",
     4,
     {2017, 2019, 2020, 2022},
     {1, 3, 2, 6},
     {0.92307692307692313, -1861.1538461538462, 0.33529991873389797, -0.51960218760251142,
      2.3657560337563579, 0.1105008200066786, 1, 4, 8.6666666666666661, 1.0190493307301363,
      0.308179547467054, 0.66666666666666685, 0.43096908110525556, 133.33333333333329}},
    /* DOWN: a declining series with one tie */
    {"DOWN",
     8,
     {1, 2, 3, 4, 5, 6, 7, 8},
     {9, 8, 7, 7, 5, 4, 3, 1},
     {-1.0952380952380953, 10.428571428571429, 0.080154801098111725, -1.2913698277826053,
      -0.89910636269358535, 9.5445603209373336e-06, -1, -27, 64.333333333333329,
      -3.241569376201193, 0.0011887349631506182, -0.98198050606196563, -0.26940004435676357,
      -11.73469387755102}},
};

static void check_ref(const ref *c, const double *t, const double *y, size_t n)
{
    cym_ols o;
    cym_mann_kendall m;
    cym_trend_stats s;
    cym_trend_ols(&o, t, y, n, 0.05);
    assert_int_equal(o.n, c->n);
    assert_close(o.slope, c->e[0]);
    /* the intercept at year 0 cancels many digits (SciPy and R differ from the 12th) */
    assert_close_rel(o.intercept, c->e[1], 1e-8);
    assert_close(o.se, c->e[2]);
    assert_close_rel(o.ci_lo, c->e[3], 1e-8);
    assert_close_rel(o.ci_hi, c->e[4], 1e-8);
    assert_close_rel(o.p, c->e[5], 1e-8);
    assert_close(cym_trend_theil_sen(t, y, n), c->e[6]);
    cym_trend_mann_kendall(&m, t, y, n);
    assert_close(m.s, c->e[7]);
    assert_close(m.var_s, c->e[8]);
    assert_close(m.z, c->e[9]);
    assert_close_rel(m.p, c->e[10], 1e-8);
    assert_close(m.tau_b, c->e[11]);
    assert_close(cym_trend_cagr(t, y, n), c->e[12]);
    assert_close(cym_trend_prc_change(t, y, n), c->e[13]);
    /* every statistic together, as a table row */
    cym_trend_series(&s, t, y, n, 0.05);
    assert_int_equal(s.n, c->n);
    assert_close(s.first, c->y[0]);
    assert_close(s.last, c->y[c->n - 1]);
    assert_close(s.change, c->y[c->n - 1] - c->y[0]);
    assert_close(s.ols.slope, c->e[0]);
    assert_close(s.mk.z, c->e[9]);
    assert_int_equal(s.first_year, (int)c->t[0]);
    assert_int_equal(s.last_year, (int)c->t[c->n - 1]);
}

static void test_reference(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(refs) / sizeof(*refs); i++) {
        print_message("case %s\n", refs[i].name);
        check_ref(&refs[i], refs[i].t, refs[i].y, refs[i].n);
    }
}

/* Order does not matter: the points are sorted by year first. */
static void test_unsorted(void **state)
{
    const ref *c = &refs[0];
    double t[8], y[8];
    static const size_t perm[8] = {5, 2, 7, 0, 3, 6, 1, 4};
    (void)state;
    for (size_t i = 0; i < 8; i++) {
        t[i] = c->t[perm[i]];
        y[i] = c->y[perm[i]];
    }
    check_ref(c, t, y, 8);
}

/* Missing values are left out: 2017..2022 with 2018 and 2021 missing is the MISS case. */
static void test_missing(void **state)
{
    static const double t[6] = {2017, 2018, 2019, 2020, 2021, 2022};
    static const double y[6] = {1, NAN, 3, 2, NAN, 6};
    (void)state;
    check_ref(&refs[3], t, y, 6);
}

/*
 * The direction at the default level 0.05: A (p 0.0044) improving, DOWN (p 0.0012)
 * declining, GAPS (p 0.086) and MISS (p 0.31) no significant trend; at level 0.1 GAPS
 * improves.
 */
static void test_direction(void **state)
{
    cym_trend_stats s;
    (void)state;
    cym_trend_series(&s, refs[0].t, refs[0].y, refs[0].n, 0.05);
    assert_int_equal(s.direction, CYM_TREND_UP);
    assert_string_equal(cym_trend_direction_name(s.direction), "improving");
    cym_trend_series(&s, refs[4].t, refs[4].y, refs[4].n, 0.05);
    assert_int_equal(s.direction, CYM_TREND_DOWN);
    assert_string_equal(cym_trend_direction_name(s.direction), "declining");
    cym_trend_series(&s, refs[2].t, refs[2].y, refs[2].n, 0.05);
    assert_int_equal(s.direction, CYM_TREND_FLAT);
    assert_string_equal(cym_trend_direction_name(s.direction), "no significant trend");
    cym_trend_series(&s, refs[2].t, refs[2].y, refs[2].n, 0.1);
    assert_int_equal(s.direction, CYM_TREND_UP);
    cym_trend_series(&s, refs[3].t, refs[3].y, refs[3].n, 0.05);
    assert_int_equal(s.direction, CYM_TREND_FLAT);
}

/*
 * Two points. SciPy: linregress([2019,2022],[10,16]) slope 2.0, stderr 0.0, pvalue 0.0 (it
 * has no degrees of freedom; we say NaN for se, interval and p); theilslopes 2.0;
 * kendalltau 1.0. Mann-Kendall by the formula: S = 1, Var = 2*1*9/18 = 1, z = (1-1)/1 = 0,
 * p = 1. cagr = (16/10)^(1/3) - 1 = 0.1696070952851465 (Python: (1.6)**(1/3)-1);
 * prc_change = (16 - 10) * 100 / 10 / 3 = 20.
 */
static void test_two_points(void **state)
{
    static const double t[2] = {2019, 2022}, y[2] = {10, 16};
    cym_trend_stats s;
    (void)state;
    cym_trend_series(&s, t, y, 2, 0.05);
    assert_int_equal(s.n, 2);
    assert_close(s.ols.slope, 2.0);
    assert_close(s.ols.intercept, -4028.0);
    assert_true(isnan(s.ols.se) && isnan(s.ols.p) && isnan(s.ols.ci_lo) && isnan(s.ols.ci_hi));
    assert_close(s.theil_sen, 2.0);
    assert_close(s.mk.s, 1);
    assert_close(s.mk.var_s, 1);
    assert_close(s.mk.z, 0);
    assert_close(s.mk.p, 1);
    assert_close(s.mk.tau_b, 1.0);
    assert_close(s.cagr, 0.1696070952851465);
    assert_close(s.prc_change, 20.0);
    assert_close(s.change, 6.0);
    assert_int_equal(s.direction, CYM_TREND_FLAT);
}

/*
 * A constant series. SciPy: linregress slope 0.0, stderr 0.0, pvalue 1.0 (it sets r = 0);
 * R's lm: slope 0, se 0, t and p NaN; we follow R: p is 0/0, NaN. theilslopes 0.0;
 * kendalltau nan. Mann-Kendall: S = 0, Var = (4*3*13 - 4*3*13)/18 = 0, z undefined (NaN).
 * cagr 0 (y_last = y_first, COINr), prc_change 0.
 */
static void test_constant(void **state)
{
    static const double t[4] = {1, 2, 3, 4}, y[4] = {5, 5, 5, 5};
    cym_trend_stats s;
    (void)state;
    cym_trend_series(&s, t, y, 4, 0.05);
    assert_close(s.ols.slope, 0.0);
    assert_close(s.ols.se, 0.0);
    assert_true(isnan(s.ols.p));
    assert_close(s.theil_sen, 0.0);
    assert_close(s.mk.s, 0);
    assert_close(s.mk.var_s, 0);
    assert_true(isnan(s.mk.z) && isnan(s.mk.p) && isnan(s.mk.tau_b));
    assert_close(s.cagr, 0.0);
    assert_close(s.prc_change, 0.0);
    assert_int_equal(s.direction, CYM_TREND_FLAT);
}

/*
 * An exact line: linregress([1,2,3,4],[2,4,6,8]) slope 2.0, stderr 0.0, pvalue 0.0 (R: p
 * < 2e-16, "essentially perfect fit"): p = 0.
 */
static void test_exact_line(void **state)
{
    static const double t[4] = {1, 2, 3, 4}, y[4] = {2, 4, 6, 8};
    cym_ols o;
    (void)state;
    cym_trend_ols(&o, t, y, 4, 0.05);
    assert_close(o.slope, 2.0);
    assert_true(o.se < 1e-12);
    assert_true(o.p < 1e-12);
}

/* Fewer points than needed: NaN, never a crash, never a GSL error. */
static void test_too_few(void **state)
{
    static const double t[3] = {2020, 2021, 2022};
    static const double one[3] = {NAN, 4, NAN}, none[3] = {NAN, NAN, NAN};
    static const double same_year_t[2] = {2020, 2020}, same_year_y[2] = {1, 2};
    cym_trend_stats s;
    (void)state;
    cym_trend_series(&s, t, one, 3, 0.05);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.first_year, 2021);
    assert_close(s.first, 4);
    assert_true(isnan(s.change) && isnan(s.cagr) && isnan(s.prc_change) && isnan(s.theil_sen));
    assert_true(isnan(s.ols.slope) && isnan(s.ols.se) && isnan(s.ols.p));
    assert_true(isnan(s.mk.s) && isnan(s.mk.z) && isnan(s.mk.p) && isnan(s.mk.tau_b));
    assert_int_equal(s.direction, CYM_TREND_NONE);
    assert_string_equal(cym_trend_direction_name(s.direction), "");
    cym_trend_series(&s, t, none, 3, 0.05);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.first_year, 0);
    assert_true(isnan(s.first) && isnan(s.last));
    cym_trend_series(&s, NULL, NULL, 0, 0.05);
    assert_int_equal(s.n, 0);
    /* two values in one year: no slope (GSL would divide by zero) */
    cym_trend_series(&s, same_year_t, same_year_y, 2, 0.05);
    assert_true(isnan(s.ols.slope) && isnan(s.theil_sen) && isnan(s.cagr));
}

/*
 * pct_change and cagr edge cases: (12 - 10)/10*100 = 20; (-3 - -4)/|-4|*100 = 25; prev 0
 * gives NaN; cagr from 0 or across a sign change is NaN.
 */
static void test_changes(void **state)
{
    static const double t[2] = {2020, 2022};
    static const double from0[2] = {0, 5}, sign[2] = {-2, 8}, both0[2] = {0, 0};
    (void)state;
    assert_close(cym_trend_pct_change(10, 12), 20.0);
    assert_close(cym_trend_pct_change(-4, -3), 25.0);
    assert_true(isnan(cym_trend_pct_change(0, 3)));
    assert_true(isnan(cym_trend_pct_change(NAN, 3)));
    assert_true(isnan(cym_trend_cagr(t, from0, 2)));
    assert_true(isnan(cym_trend_cagr(t, sign, 2)));
    assert_close(cym_trend_cagr(t, both0, 2), 0.0);
    assert_true(isnan(cym_trend_prc_change(t, from0, 2)));
}

/*
 * Series longer than the stack buffers (70 points, heap path): y = 2 t + 1 exactly, so the
 * slope is 2, Theil-Sen 2, S = 70*69/2 = 2415 and tau-b 1.
 */
static void test_long_series(void **state)
{
    double t[70], y[70];
    cym_trend_stats s;
    (void)state;
    for (int i = 0; i < 70; i++) {
        t[i] = 1950 + i;
        y[i] = 2 * t[i] + 1;
    }
    cym_trend_series(&s, t, y, 70, 0.05);
    assert_close(s.ols.slope, 2.0);
    assert_close(s.theil_sen, 2.0);
    assert_close(s.mk.s, 2415);
    assert_close(s.mk.tau_b, 1.0);
    assert_int_equal(s.direction, CYM_TREND_UP);
}

/*
 * Mann-Kendall and Theil-Sen with tied years (two values in 2001, 2003 and 2005) and tied
 * values, in the order given. Python 3's standard library, by the formula above:
 *
 *   t = [1,1,2,3,3,4,5,5]; y = [1,2,2,5,4,6,6,3]; n = 8; sg = lambda d: (d > 0) - (d < 0)
 *   s = sum(sg(t[j]-t[i])*sg(y[j]-y[i]) for i in range(n) for j in range(i+1, n))   # 17
 *   var = (n*(n-1)*(2*n+5) - sum(u*(u-1)*(2*u+5) for u in Counter(y).values()))/18
 *   z = (s-1)/math.sqrt(var); p = math.erfc(abs(z)/math.sqrt(2))   # Counter: collections
 *   n0 = n*(n-1)/2; tau = s/math.sqrt((n0 - 3) * (n0 - 2))  # tied pairs: 3 in t, 2 in y
 *   statistics.median((y[j]-y[i])/(t[j]-t[i]) for ... if t[j] != t[i])            # 1.0
 */
static void test_tied_years(void **state)
{
    static const double t[8] = {2001, 2001, 2002, 2003, 2003, 2004, 2005, 2005};
    static const double y[8] = {1, 2, 2, 5, 4, 6, 6, 3};
    cym_mann_kendall m;
    (void)state;
    cym_trend_mann_kendall(&m, t, y, 8);
    assert_close(m.s, 17);
    assert_close(m.var_s, 63.333333333333336);
    assert_close(m.z, 2.0104987598001385);
    assert_close_rel(m.p, 0.04437842734548691, 1e-12);
    assert_close(m.tau_b, 0.6667948594698258);
    assert_close(cym_trend_theil_sen(t, y, 8), 1.0);
}

/*
 * The median of the Theil-Sen slopes and of the group rows (cym__trend_median) against
 * Python's statistics.median, on uniform values and on values with many ties, generated the
 * same way in both (a 32-bit LCG; `tied` rounds to eighths between -5/8 and 5/8):
 *
 *   def lcg(n, seed):
 *       x = seed; out = []
 *       for _ in range(n):
 *           x = (1664525 * x + 1013904223) % 2**32; out.append(x / 2**32 - 0.5)
 *       return out
 *   def tied(n, seed): return [((v + 0.5) * 11 // 1 - 5) / 8 for v in lcg(n, seed)]
 *   for n in (1, 2, 3, 190, 191, 2000, 2001):
 *       print(n, repr(statistics.median(lcg(n, n))), repr(statistics.median(tied(n, n))))
 */
static void lcg(double *x, size_t n, uint32_t seed, int tied)
{
    uint32_t v = seed;
    for (size_t i = 0; i < n; i++) {
        v = 1664525u * v + 1013904223u;
        x[i] = (double)v / 4294967296.0 - 0.5;
        if (tied)
            x[i] = (floor((x[i] + 0.5) * 11) - 5) / 8;
    }
}

static void test_median(void **state)
{
    static const struct {
        size_t n;
        double uniform, tied;
    } cases[] = {
        {1, -0.2635444747284055, -0.375},
        {2, -0.15159124170895666, -0.1875},
        {3, 0.050678204046562314, 0.125},
        {190, -0.06302929250523448, -0.125},
        {191, -0.02396920556202531, 0.0},
        {2000, 0.01921523199416697, 0.0},
        {2001, -0.007279108045622706, 0.0},
    };
    double *x = malloc(2001 * sizeof(double)), *keep = malloc(2001 * sizeof(double));
    double *work = malloc(2 * 2001 * sizeof(double));
    (void)state;
    assert_non_null(x);
    assert_non_null(keep);
    assert_non_null(work);
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        size_t n = cases[i].n;
        for (int tied = 0; tied < 2; tied++) {
            lcg(x, n, (uint32_t)n, tied);
            memcpy(keep, x, n * sizeof(double));
            assert_true(cym__trend_median(work, x, n) == (tied ? cases[i].tied : cases[i].uniform));
            assert_memory_equal(x, keep, n * sizeof(double)); /* x is left as it was */
        }
    }
    free(x);
    free(keep);
    free(work);
}

/*
 * The very bits of gsl_stats_median (which trends.csv had before), on 3,000 inputs of 1 to
 * 300 values: uniform, tied, with negative and positive zeros (equal, but printed "-0" and
 * "0": GSL's pick among them decides), in order either way, of two values, and with a NaN.
 */
static void test_median_bits(void **state)
{
    double x[300], g[300], work[600];
    (void)state;
    for (uint32_t k = 0; k < 3000; k++) {
        size_t n = 1 + k % 300;
        lcg(x, n, k, k % 3 != 0);
        if (k % 5 == 1)
            for (size_t i = 0; i < n; i++)
                if (x[i] == 0)
                    x[i] = i % 2 ? -0.0 : 0.0;
        if (k % 11 == 3 || k % 11 == 4) /* in order, either way: the selection's worst pivots */
            for (size_t i = 0; i < n; i++)
                x[i] = (double)(k % 11 == 3 ? i : n - i) / 4.0;
        if (k % 13 == 6) /* two values: the next order statistic repeats or is the other */
            for (size_t i = 0; i < n; i++)
                x[i] = 1.0 + (double)((i * 7 + k) % 3 == 0);
        if (k % 7 == 2)
            x[k % n] = NAN;
        memcpy(g, x, n * sizeof(double));
        {
            double ours = cym__trend_median(work, x, n), gsl = gsl_stats_median(g, 1, n);
            if (memcmp(&ours, &gsl, sizeof(double)) != 0 && !(isnan(ours) && isnan(gsl)))
                fail_msg("n %zu (input %u): %.17g against GSL's %.17g", n, k, ours, gsl);
        }
    }
}

/*
 * The group rows' means (cym__trend_means, four columns at a time) have the bits of
 * gsl_stats_mean on each column, whatever the columns' counts (equal, unequal, none) and
 * however many columns (a remainder below four).
 */
static void test_means_bits(void **state)
{
    enum { STRIDE = 500, COLS = 7 };
    double *X = malloc(STRIDE * COLS * sizeof(double)), out[COLS];
    size_t cnt[COLS];
    (void)state;
    assert_non_null(X);
    for (uint32_t k = 0; k < 400; k++) {
        lcg(X, STRIDE * COLS, k, k % 4 == 0);
        for (size_t j = 0; j < COLS; j++) {
            cnt[j] = k % 3 ? (k * 7 + j * (k % 5)) % (STRIDE + 1) : k % (STRIDE + 1);
            if (k % 11 == 3)
                X[j * STRIDE] *= 1e300; /* a large first value: the long double matters */
        }
        cym__trend_means(out, X, STRIDE, cnt, COLS - k % 4);
        for (size_t j = 0; j < COLS - k % 4; j++) {
            double g = cnt[j] ? gsl_stats_mean(X + j * STRIDE, 1, cnt[j]) : NAN;
            if (memcmp(&out[j], &g, sizeof(double)) != 0 && !(isnan(g) && isnan(out[j])))
                fail_msg("column %zu of %u (%zu values): %.17g against GSL's %.17g", j, k,
                         cnt[j], out[j], g);
        }
    }
    free(X);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference), cmocka_unit_test(test_unsorted),
        cmocka_unit_test(test_missing),   cmocka_unit_test(test_direction),
        cmocka_unit_test(test_two_points), cmocka_unit_test(test_constant),
        cmocka_unit_test(test_exact_line), cmocka_unit_test(test_too_few),
        cmocka_unit_test(test_changes),   cmocka_unit_test(test_long_series),
        cmocka_unit_test(test_tied_years), cmocka_unit_test(test_median),
        cmocka_unit_test(test_median_bits), cmocka_unit_test(test_means_bits),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
