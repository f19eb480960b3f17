/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Normalisation. Expected values from R 4.2 with COINr's n_*() formulas written out
 * (R/normalise.R), on raw <- c(3, NA, 7, 1, 7, 10) (ties at 7, one missing), printed with
 * f <- function(v) cat(sprintf("%.17g", v), "\n"):
 *
 *   x <- raw                                   # direction +1
 *   f((x-min(x,na.rm=T))/(max(x,na.rm=T)-min(x,na.rm=T))*100)        # minmax
 *     22.222222222222221 NA 66.666666666666657 0 66.666666666666657 100
 *   f((x-min(x,na.rm=T))/(max(x,na.rm=T)-min(x,na.rm=T))*(100-1)+1)  # minmax [1, 100]
 *     23 NA 67 1 67 100
 *   f((x-mean(x,na.rm=T))/sd(x,na.rm=T)*10+100)                       # zscore m=100 s=10
 *     92.732779073125684 NA 103.91311896062463 87.142609129376211 103.91311896062463
 *     112.29837387624885
 *   f(rank(x, ties.method="min", na.last="keep"))                     # rank: 2 NA 3 1 3 5
 *   f(rank(x, ties.method="min", na.last="keep")-1)                   # borda: 1 NA 2 0 2 4
 *   f((rank(x, ties.method="min", na.last="keep")-1)/(sum(!is.na(x))-1)*100)  # percentile
 *     25 NA 50 0 50 100
 *   f((1-(max(x,na.rm=T)-x)/(max(x,na.rm=T)-min(x,na.rm=T)))*100)    # dist2max
 *     22.222222222222221 NA 66.666666666666671 0 66.666666666666671 100
 *   f(x/max(x,na.rm=T)*100)                                           # fracmax
 *     30 NA 70 10 70 100
 *   y <- 1-(x[1]-x)/(x[1]-min(x,na.rm=T)); f(y*100)                   # dist2ref, ref = unit 1
 *     100 NA 300 0 300 450
 *   y[y>1 & !is.na(y)] <- 1; f(y*100)                                 # ... capped
 *     100 NA 100 0 100 100
 *   y <- (x-min(x,na.rm=T))/(8-min(x,na.rm=T)); y[y>1 & !is.na(y)] <- 1; f(y*100)  # target 8
 *     28.571428571428569 NA 85.714285714285708 0 85.714285714285708 100
 *   y <- (raw-2)/(9-2); y <- pmin(pmax(y,0),1); f(y*100)              # goalposts 2 -> 9
 *     14.285714285714285 NA 71.428571428571431 0 71.428571428571431 100
 *
 *   x <- -raw                                  # direction -1 (lower is better)
 *   f((x-min(x,na.rm=T))/(max(x,na.rm=T)-min(x,na.rm=T))*100)        # minmax
 *     77.777777777777786 NA 33.333333333333329 100 33.333333333333329 0
 *   f(rank(x, ties.method="min", na.last="keep"))                     # rank: 4 NA 2 5 2 1
 *   y <- (raw-9)/(2-9); y <- pmin(pmax(y,0),1); f(y*100)              # goalposts 9 -> 2
 *     85.714285714285708 NA 28.571428571428569 100 28.571428571428569 0
 *   y <- (x-min(x,na.rm=T))/(-2-min(x,na.rm=T)); y[y>1 & !is.na(y)] <- 1; f(y*100)
 *     87.5 NA 37.5 100 37.5 0       # dist2target, raw target 2 flipped to -2 (COINr
 *                                   # get_iMeta_norm_paras); the same as on raw values:
 *   y <- (max(raw,na.rm=T)-raw)/(max(raw,na.rm=T)-2); ...             # 87.5 NA 37.5 100 37.5 0
 */
#include "testutil.h"

#include <string.h>

#include "cymetrics/methods.h"

#define N 6
static const double RAW[N] = {3, NAN, 7, 1, 7, 10};

typedef struct ncase {
    const char *name;
    cym_norm_method method;
    int direction;
    double lo, hi, goal_lo, goal_hi, target;
    int cap_ref;
    double expect[N];
} ncase;

static const ncase CASES[] = {
    {"minmax", CYM_NORM_MINMAX, 1, 0, 100, NAN, NAN, NAN, 0,
     {22.222222222222221, NAN, 66.666666666666657, 0, 66.666666666666657, 100}},
    {"minmax 1-100", CYM_NORM_MINMAX, 1, 1, 100, NAN, NAN, NAN, 0, {23, NAN, 67, 1, 67, 100}},
    {"rank", CYM_NORM_RANK, 1, 0, 100, NAN, NAN, NAN, 0, {2, NAN, 3, 1, 3, 5}},
    {"borda", CYM_NORM_BORDA, 1, 0, 100, NAN, NAN, NAN, 0, {1, NAN, 2, 0, 2, 4}},
    {"percentile", CYM_NORM_PERCENTILE, 1, 0, 100, NAN, NAN, NAN, 0, {25, NAN, 50, 0, 50, 100}},
    {"dist2max", CYM_NORM_DIST2MAX, 1, 0, 100, NAN, NAN, NAN, 0,
     {22.222222222222221, NAN, 66.666666666666671, 0, 66.666666666666671, 100}},
    {"fracmax", CYM_NORM_FRACMAX, 1, 0, 100, NAN, NAN, NAN, 0, {30, NAN, 70, 10, 70, 100}},
    {"dist2ref", CYM_NORM_DIST2REF, 1, 0, 100, NAN, NAN, NAN, 0, {100, NAN, 300, 0, 300, 450}},
    {"dist2ref capped", CYM_NORM_DIST2REF, 1, 0, 100, NAN, NAN, NAN, 1,
     {100, NAN, 100, 0, 100, 100}},
    {"dist2target", CYM_NORM_DIST2TARGET, 1, 0, 100, NAN, NAN, 8, 0,
     {28.571428571428569, NAN, 85.714285714285708, 0, 85.714285714285708, 100}},
    {"goalposts", CYM_NORM_GOALPOSTS, 1, 0, 100, 2, 9, NAN, 0,
     {14.285714285714285, NAN, 71.428571428571431, 0, 71.428571428571431, 100}},
    {"none", CYM_NORM_NONE, 1, 0, 100, NAN, NAN, NAN, 0, {3, NAN, 7, 1, 7, 10}},
    {"minmax neg", CYM_NORM_MINMAX, -1, 0, 100, NAN, NAN, NAN, 0,
     {77.777777777777786, NAN, 33.333333333333329, 100, 33.333333333333329, 0}},
    {"rank neg", CYM_NORM_RANK, -1, 0, 100, NAN, NAN, NAN, 0, {4, NAN, 2, 5, 2, 1}},
    {"goalposts neg", CYM_NORM_GOALPOSTS, -1, 0, 100, 9, 2, NAN, 0,
     {85.714285714285708, NAN, 28.571428571428569, 100, 28.571428571428569, 0}},
    {"dist2target neg", CYM_NORM_DIST2TARGET, -1, 0, 100, NAN, NAN, 2, 0,
     {87.5, NAN, 37.5, 100, 37.5, 0}},
};

static void run(const ncase *c, double *out, int *zs, cym_status *st)
{
    double x[N], ref[N];
    cym_norm_spec spec;
    cym_norm_aux aux;

    for (size_t i = 0; i < N; i++) {
        x[i] = RAW[i] * c->direction;
        ref[i] = x[0]; /* the reference unit is unit 0 */
    }
    cym_norm_spec_default(&spec);
    spec.method = c->method;
    spec.lo = c->lo;
    spec.hi = c->hi;
    spec.cap_ref = c->cap_ref;
    memset(&aux, 0, sizeof(aux));
    aux.direction = c->direction;
    aux.goal_lo = c->goal_lo;
    aux.goal_hi = c->goal_hi;
    aux.target = c->target;
    aux.ref = ref;
    *st = cym_normalise(out, x, N, &spec, &aux, zs, NULL);
}

static void test_table(void **state)
{
    double out[N];
    int zs;
    cym_status st;
    (void)state;
    for (size_t k = 0; k < sizeof(CASES) / sizeof(*CASES); k++) {
        run(&CASES[k], out, &zs, &st);
        if (st != CYM_OK)
            fail_msg("%s: status %d", CASES[k].name, st);
        for (size_t i = 0; i < N; i++)
            if (!cym_test_close(out[i], CASES[k].expect[i], 1e-12))
                fail_msg("%s[%zu] = %.17g, expected %.17g", CASES[k].name, i, out[i],
                         CASES[k].expect[i]);
        assert_int_equal(zs, 0);
    }
}

/* zscore with m = 100, s = 10, and out aliasing x. */
static void test_zscore_in_place(void **state)
{
    double x[N];
    cym_norm_spec spec;
    static const double expect[N] = {92.732779073125684, NAN, 103.91311896062463,
                                     87.142609129376211, 103.91311896062463,
                                     112.29837387624885};
    (void)state;
    memcpy(x, RAW, sizeof(x));
    cym_norm_spec_default(&spec);
    spec.method = CYM_NORM_ZSCORE;
    spec.z_mean = 100;
    spec.z_sd = 10;
    assert_int_equal(cym_normalise(x, x, N, &spec, NULL, NULL, NULL), CYM_OK);
    for (size_t i = 0; i < N; i++)
        assert_close(x[i], expect[i]);
}

/* Zero spread: mid-point (l + u)/2 and the flag, never a division by zero (COINr: NaN). */
static void test_zero_spread(void **state)
{
    static const double flat[4] = {5, NAN, 5, 5};
    static const double one[3] = {NAN, 42, NAN};
    static const cym_norm_method methods[] = {CYM_NORM_MINMAX, CYM_NORM_DIST2MAX,
                                              CYM_NORM_ZSCORE};
    double out[4];
    int zs;
    cym_norm_spec spec;
    cym_norm_aux aux;
    (void)state;

    for (size_t k = 0; k < sizeof(methods) / sizeof(*methods); k++) {
        cym_norm_spec_default(&spec);
        spec.method = methods[k];
        spec.lo = 1;
        spec.hi = 100;
        spec.z_mean = 7;
        zs = 0;
        assert_int_equal(cym_normalise(out, flat, 4, &spec, NULL, &zs, NULL), CYM_OK);
        assert_int_equal(zs, 1);
        /* zscore's mid-point is its own centre m, see normalise.c */
        assert_close(out[0], methods[k] == CYM_NORM_ZSCORE ? 7.0 : 50.5);
        assert_true(isnan(out[1]));
        assert_close(out[3], out[0]);
    }
    /* percentile with n = 1: (rank - 1)/(n - 1) is 0/0 */
    cym_norm_spec_default(&spec);
    spec.method = CYM_NORM_PERCENTILE;
    assert_int_equal(cym_normalise(out, one, 3, &spec, NULL, &zs, NULL), CYM_OK);
    assert_int_equal(zs, 1);
    assert_close(out[1], 50);
    assert_true(isnan(out[0]) && isnan(out[2]));
    /* percentile, all tied but n > 1: every rank is 1, so l (COINr n_prank: 0) */
    zs = 0;
    assert_int_equal(cym_normalise(out, flat, 4, &spec, NULL, &zs, NULL), CYM_OK);
    assert_int_equal(zs, 0);
    assert_close(out[0], 0);
    /* dist2target with the target at the minimum */
    memset(&aux, 0, sizeof(aux));
    aux.direction = 1;
    aux.target = 5;
    spec.method = CYM_NORM_DIST2TARGET;
    assert_int_equal(cym_normalise(out, flat, 4, &spec, &aux, &zs, NULL), CYM_OK);
    assert_int_equal(zs, 1);
    assert_close(out[2], 50);
}

static void test_errors(void **state)
{
    double x[N], out[N];
    cym_norm_spec spec;
    cym_norm_aux aux;
    cym_error err;
    (void)state;

    for (size_t i = 0; i < N; i++)
        x[i] = -RAW[i];
    cym_norm_spec_default(&spec);
    memset(&aux, 0, sizeof(aux));
    /* lower-is-better indicator with goal_lo < goal_hi: contradicts the direction */
    spec.method = CYM_NORM_GOALPOSTS;
    aux.direction = -1;
    aux.goal_lo = 2;
    aux.goal_hi = 9;
    assert_int_equal(cym_normalise(out, x, N, &spec, &aux, NULL, &err), CYM_EDATA);
    assert_non_null(strstr(err.message, "contradict"));
    /* and the other way round */
    aux.direction = 1;
    aux.goal_lo = 9;
    aux.goal_hi = 2;
    assert_int_equal(cym_normalise(out, RAW, N, &spec, &aux, NULL, &err), CYM_EDATA);
    aux.goal_lo = NAN;
    assert_int_equal(cym_normalise(out, RAW, N, &spec, &aux, NULL, &err), CYM_EDATA);
    assert_int_equal(cym_normalise(out, RAW, N, &spec, NULL, NULL, &err), CYM_EDATA);
    spec.method = CYM_NORM_DIST2TARGET;
    aux.target = NAN;
    assert_int_equal(cym_normalise(out, RAW, N, &spec, &aux, NULL, &err), CYM_EDATA);
    /* dist2ref without any reference values at all (a caller's mistake) */
    spec.method = CYM_NORM_DIST2REF;
    aux.ref = NULL;
    assert_int_equal(cym_normalise(out, RAW, N, &spec, &aux, NULL, &err), CYM_EDATA);
}

/*
 * dist2ref where the reference unit has no value: no score, as COINr's n_dist2ref gives NA
 * (with a warning, which the pipeline adds). R 4.2, COINr's function from R/normalise.R:
 *
 *   n_dist2ref <- function(x, iref, cap_max = FALSE){
 *     minx <- min(x, na.rm = TRUE); xref <- x[iref]
 *     if(is.na(xref)) warning("The value of x identified as the reference is NA - ...")
 *     y <- 1 - (xref - x)/(xref - minx); if(cap_max) y[y>1] <- 1; y }
 *   x <- c(3, NA, 7, 1, 7, 10)
 *   f(n_dist2ref(x, 2) * 100)         # NA NA NA NA NA NA (and the warning)
 *   ref <- c(3, 3, 3, NA, NA, NA)     # a reference per point, as over a panel of two years
 *   f((1 - (ref - x)/(ref - min(x, na.rm = TRUE))) * 100)   # 100 NA 300 NA NA NA
 */
static void test_dist2ref_missing_reference(void **state)
{
    static const double per_point[N] = {3, 3, 3, NAN, NAN, NAN};
    static const double expect[N] = {100, NAN, 300, NAN, NAN, NAN};
    double out[N], none[N];
    cym_norm_spec spec;
    cym_norm_aux aux;
    int zs = 5;
    (void)state;
    cym_norm_spec_default(&spec);
    spec.method = CYM_NORM_DIST2REF;
    memset(&aux, 0, sizeof(aux));
    aux.direction = 1;
    for (size_t i = 0; i < N; i++)
        none[i] = NAN;
    aux.ref = none;
    assert_int_equal(cym_normalise(out, RAW, N, &spec, &aux, &zs, NULL), CYM_OK);
    assert_int_equal(zs, 0);
    for (size_t i = 0; i < N; i++)
        assert_true(isnan(out[i]));
    aux.ref = per_point;
    assert_int_equal(cym_normalise(out, RAW, N, &spec, &aux, &zs, NULL), CYM_OK);
    assert_int_equal(zs, 0);
    for (size_t i = 0; i < N; i++)
        if (!cym_test_close(out[i], expect[i], 1e-12))
            fail_msg("[%zu] = %.17g, expected %.17g", i, out[i], expect[i]);
}

static void test_all_missing(void **state)
{
    static const double none[3] = {NAN, NAN, NAN};
    double out[3] = {1, 2, 3};
    cym_norm_spec spec;
    int zs = 5;
    (void)state;
    cym_norm_spec_default(&spec);
    assert_int_equal(cym_normalise(out, none, 3, &spec, NULL, &zs, NULL), CYM_OK);
    assert_int_equal(zs, 0);
    assert_true(isnan(out[0]) && isnan(out[1]) && isnan(out[2]));
    assert_true(spec.method == CYM_NORM_MINMAX && spec.lo == 0 && spec.hi == 100);
}

/*
 * Frozen bounds (--reference-years): the bounds of a reference window, here the first four
 * points {3, NA, 7, 1}, scale every point, and min-max caps what lies beyond them. Expected
 * values from Python 3 (standard library), the same formulas written out:
 *
 *   raw = [3, nan, 7, 1, 7, 10]
 *   for d in (1, -1):
 *     x = [v*d for v in raw]; w = [v for v in x[:4] if v == v]
 *     mn, mx = min(w), max(w); c = len(w); mean = sum(w)/c
 *     sd = math.sqrt(sum((v - mean)**2 for v in w)/(c - 1))
 *     minmax:   min(100, max(0, (v - mn)/(mx - mn)*100))
 *     dist2max: min(100, max(0, (1 - (mx - v)/(mx - mn))*100))
 *     zscore:   (v - mean)/sd*2 + 10                      # zscore:10,2, never capped
 *   bounds (d = 1): 1 7 3.6666666666666665 3.0550504633038935
 */
typedef struct fcase {
    const char *name;
    cym_norm_method method;
    int direction;
    double expect[N];
} fcase;

static const fcase FROZEN[] = {
    {"minmax", CYM_NORM_MINMAX, 1, {33.333333333333329, NAN, 100, 0, 100, 100}},
    {"dist2max", CYM_NORM_DIST2MAX, 1, {33.333333333333336, NAN, 100, 0, 100, 100}},
    {"zscore",
     CYM_NORM_ZSCORE,
     1,
     {9.5635642195280148, NAN, 12.182178902359924, 8.2542568781120611, 12.182178902359924,
      14.146139914483856}},
    {"minmax neg", CYM_NORM_MINMAX, -1, {66.666666666666657, NAN, 0, 100, 0, 0}},
    {"dist2max neg", CYM_NORM_DIST2MAX, -1, {66.666666666666671, NAN, 0, 100, 0, 0}},
    {"zscore neg",
     CYM_NORM_ZSCORE,
     -1,
     {10.436435780471985, NAN, 7.8178210976400759, 11.745743121887939, 7.8178210976400759,
      5.8538600855161445}},
};

static void test_frozen(void **state)
{
    double x[N], out[N];
    cym_norm_spec spec;
    cym_norm_aux aux;
    cym_norm_bounds b;
    (void)state;
    for (size_t k = 0; k < sizeof(FROZEN) / sizeof(*FROZEN); k++) {
        const fcase *c = &FROZEN[k];
        for (size_t i = 0; i < N; i++)
            x[i] = RAW[i] * c->direction;
        cym_norm_bounds_compute(&b, x, 4);
        assert_int_equal(b.n, 3);
        assert_close(b.sd, 3.0550504633038935);
        cym_norm_spec_default(&spec);
        spec.method = c->method;
        if (c->method == CYM_NORM_ZSCORE) {
            spec.z_mean = 10;
            spec.z_sd = 2;
        }
        memset(&aux, 0, sizeof(aux));
        aux.direction = c->direction;
        aux.frozen = &b;
        assert_int_equal(cym_normalise(out, x, N, &spec, &aux, NULL, NULL), CYM_OK);
        for (size_t i = 0; i < N; i++)
            if (!cym_test_close(out[i], c->expect[i], 1e-12))
                fail_msg("frozen %s[%zu] = %.17g, expected %.17g", c->name, i, out[i],
                         c->expect[i]);
    }
}

/* Bounds frozen on every point give the unfrozen result to the last bit. */
static void test_frozen_all_points(void **state)
{
    static const cym_norm_method methods[] = {CYM_NORM_MINMAX, CYM_NORM_DIST2MAX, CYM_NORM_ZSCORE};
    double own[N], frozen[N];
    cym_norm_spec spec;
    cym_norm_aux aux;
    cym_norm_bounds b;
    (void)state;
    cym_norm_bounds_compute(&b, RAW, N);
    for (size_t k = 0; k < 3; k++) {
        cym_norm_spec_default(&spec);
        spec.method = methods[k];
        memset(&aux, 0, sizeof(aux));
        aux.direction = 1;
        assert_int_equal(cym_normalise(own, RAW, N, &spec, &aux, NULL, NULL), CYM_OK);
        aux.frozen = &b;
        assert_int_equal(cym_normalise(frozen, RAW, N, &spec, &aux, NULL, NULL), CYM_OK);
        assert_memory_equal(own, frozen, sizeof(own));
    }
}

/* Methods without bounds refuse frozen ones; frozen bounds without values are an error. */
static void test_frozen_errors(void **state)
{
    static const cym_norm_method unfit[] = {CYM_NORM_RANK,      CYM_NORM_PERCENTILE,
                                            CYM_NORM_GOALPOSTS, CYM_NORM_DIST2TARGET,
                                            CYM_NORM_FRACMAX,   CYM_NORM_NONE};
    double out[N];
    cym_norm_spec spec;
    cym_norm_aux aux;
    cym_norm_bounds b, none = {0, NAN, NAN, NAN, NAN};
    cym_error err;
    (void)state;
    cym_norm_bounds_compute(&b, RAW, N);
    memset(&aux, 0, sizeof(aux));
    aux.direction = 1;
    aux.goal_lo = 0;
    aux.goal_hi = 10;
    aux.target = 8;
    aux.frozen = &b;
    for (size_t k = 0; k < sizeof(unfit) / sizeof(*unfit); k++) {
        cym_norm_spec_default(&spec);
        spec.method = unfit[k];
        assert_int_equal(cym_normalise(out, RAW, N, &spec, &aux, NULL, &err), CYM_EUSAGE);
        assert_non_null(strstr(err.message, "no bounds to freeze"));
        assert_int_equal(cym_norm_freezable(unfit[k]), 0);
    }
    cym_norm_spec_default(&spec);
    aux.frozen = &none;
    assert_int_equal(cym_normalise(out, RAW, N, &spec, &aux, NULL, &err), CYM_EDATA);
    cym_norm_bounds_compute(&b, RAW + 1, 1); /* only the missing point */
    assert_int_equal(b.n, 0);
    assert_true(isnan(b.min) && isnan(b.sd));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_zscore_in_place),
        cmocka_unit_test(test_zero_spread),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_dist2ref_missing_reference),
        cmocka_unit_test(test_all_missing),
        cmocka_unit_test(test_frozen),
        cmocka_unit_test(test_frozen_all_points),
        cmocka_unit_test(test_frozen_errors),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
