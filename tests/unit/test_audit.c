/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audit statistics against R 4.2 (cov/cor with use = "pairwise.complete.obs", eigen(),
 * which is LAPACK, independent of GSL):
 *
 *   f <- function(v) cat(sprintf("%.17g", v), "\n")
 *   X <- rbind(c(1.0, 2.0, 9.0, 4), c(2.0, 2.5, 7.5, 3), c(3.0, 4.1, 7.0, NA),
 *              c(NA, 1.0, 3.0, 2), c(4.0, 3.9, 5.0, 6), c(5.0, 6.2, 5.5, 5),
 *              c(6.0, 5.8, 2.0, 8), c(7.0, NA, 1.0, 7), c(8.0, 8.5, 1.5, 9),
 *              c(9.0, 9.0, 2.5, 8))
 *   C <- cov(X, use="pairwise.complete.obs"); k <- 4
 *   f(k^2 * mean(C[upper.tri(C) | lower.tri(C)]) / sum(C))     # 0.22948000105148914
 *   Xc <- X[complete.cases(X),]; Cc <- cov(Xc)
 *   f(k/(k-1)*(1-sum(diag(Cc))/sum(Cc)))   # -0.16511420800539156 (the textbook form)
 *   e <- eigen(cor(Xc), symmetric=TRUE); f(e$values)
 *     # 3.7449320645059441 0.20069666818409168 0.046515324221025604 0.0078559430889378716
 *   v <- e$vectors[,1]; if (sum(v) < 0) v <- -v; f(v*sqrt(e$values[1]))
 *     # 0.98450888354591604 0.95883187889783306 -0.96986153895651273 0.95691397000319445
 *   f(nrow(Xc))                                                 # 7
 *   x <- X[,1]; y <- X[,2]
 *   f(cor(x, y, use="pairwise.complete.obs"))                   # 0.98185367958422465
 *   f(cor(x, y, use="pairwise.complete.obs", method="spearman")) # 0.95238095238095255, n 8
 *   x <- X[,3]; y <- X[,4]    # column 4 has a tie (8, 8): average ranks
 *   f(cor(x, y, use="pairwise.complete.obs"))                   # -0.64508007760963015
 *   f(cor(x, y, use="pairwise.complete.obs", method="spearman")) # -0.71130329744236453
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/audit.h"
#include "cymetrics/dataset.h"
#include "cymetrics/format.h"
#include "cymetrics/framework.h"
#include "cymetrics/pipeline.h"

#define NR 10
static const double X[NR * 4] = {
    1.0, 2.0, 9.0, 4, 2.0, 2.5, 7.5, 3, 3.0, 4.1, 7.0, NAN, NAN, 1.0, 3.0, 2, 4.0, 3.9, 5.0, 6,
    5.0, 6.2, 5.5, 5, 6.0, 5.8, 2.0, 8, 7.0, NAN, 1.0, 7,   8.0, 8.5, 1.5, 9, 9.0, 9.0, 2.5, 8};

static void test_cronbach(void **state)
{
    double Xc[7 * 4];
    size_t m = 0;
    (void)state;
    assert_close(cym_audit_cronbach(X, NR, 4), 0.22948000105148914);
    /* complete rows only: the pairwise formula equals the textbook k/(k-1)(1 - sum var/var) */
    for (size_t r = 0; r < NR; r++) {
        int ok = 1;
        for (size_t j = 0; j < 4; j++)
            ok &= !isnan(X[r * 4 + j]);
        if (ok)
            memcpy(Xc + 4 * m++, X + r * 4, 4 * sizeof(double));
    }
    assert_int_equal(m, 7);
    assert_close(cym_audit_cronbach(Xc, 7, 4), -0.16511420800539156);
    /* fewer than 2 items, or nothing varies: undefined */
    assert_true(isnan(cym_audit_cronbach(X, NR, 1)));
    {
        const double flat[6] = {1, 1, 1, 1, 1, 1};
        assert_true(isnan(cym_audit_cronbach(flat, 3, 2)));
    }
    /* two identical items: alpha = 1 */
    {
        const double twin[8] = {1, 1, 2, 2, 4, 4, 7, 7};
        assert_close(cym_audit_cronbach(twin, 4, 2), 1.0);
    }
}

static void test_pca(void **state)
{
    static const double ev[4] = {3.7449320645059441, 0.20069666818409168, 0.046515324221025604,
                                 0.0078559430889378716};
    static const double ld[4] = {0.98450888354591604, 0.95883187889783306, -0.96986153895651273,
                                 0.95691397000319445};
    double e[4], l[4], copy[NR * 4];
    size_t n = 0;
    cym_error err;
    (void)state;
    memcpy(copy, X, sizeof(copy));
    assert_int_equal(cym_audit_pca(e, l, &n, X, NR, 4, &err), CYM_OK);
    assert_memory_equal(copy, X, sizeof(copy)); /* the input is not touched */
    assert_int_equal(n, 7);
    for (int j = 0; j < 4; j++) {
        assert_close_rel(e[j], ev[j], 1e-8);
        assert_close_rel(l[j], ld[j], 1e-8);
    }
    /* too few complete rows, a constant column */
    assert_int_equal(cym_audit_pca(e, l, &n, X, 2, 4, &err), CYM_EDATA);
    {
        const double c[8] = {1, 5, 2, 5, 3, 5, 4, 5};
        assert_int_equal(cym_audit_pca(e, l, &n, c, 4, 2, &err), CYM_EDATA);
        assert_non_null(strstr(err.message, "constant"));
    }
}

static void test_corr(void **state)
{
    double x[NR], y[NR], p, s;
    size_t n;
    cym_error err;
    (void)state;
    for (int r = 0; r < NR; r++) {
        x[r] = X[r * 4];
        y[r] = X[r * 4 + 1];
    }
    assert_int_equal(cym_audit_corr(&p, &s, &n, x, y, NR, &err), CYM_OK);
    assert_int_equal(n, 8);
    assert_close(p, 0.98185367958422465);
    assert_close(s, 0.95238095238095255);
    for (int r = 0; r < NR; r++) {
        x[r] = X[r * 4 + 2];
        y[r] = X[r * 4 + 3];
    }
    assert_int_equal(cym_audit_corr(&p, &s, &n, x, y, NR, &err), CYM_OK);
    assert_int_equal(n, 9);
    assert_close(p, -0.64508007760963015);
    assert_close(s, -0.71130329744236453);
    /* under 3 pairs, or a constant: NaN */
    assert_int_equal(cym_audit_corr(&p, &s, &n, x, y, 2, &err), CYM_OK);
    assert_true(isnan(p) && isnan(s));
    {
        const double c[4] = {2, 2, 2, 2}, d[4] = {1, 2, 3, 4};
        assert_int_equal(cym_audit_corr(&p, &s, &n, c, d, 4, &err), CYM_OK);
        assert_true(isnan(p) && isnan(s));
        assert_int_equal(n, 4);
    }
}

/*
 * remove_one.csv of the bundled dataset against whole runs made here, one per node left out
 * (framework weights, that node's at 0; its index ranks against the run's): for a run on
 * framework weights, whose aggregates the audit re-aggregates only above the node left out,
 * and for a run on other per-node weights, where it must aggregate every node as before
 * (the run's own aggregates are then not those of the framework's weights).
 */
static void test_remove_one(void **state)
{
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_error err;
    double given[512], w[512];
    char dir[256], path[300];
    (void)state;
    assert_int_equal(cym_test_load_bundled(&fw, &ds), 0);
    assert_true(fw->n_nodes <= 512);
    for (size_t m = 0; m < fw->n_nodes; m++)
        given[m] = fw->nodes[m].weight * (1.0 + 0.1 * (double)(m % 7));
    for (int k = 0; k < 2; k++) {
        cym_pipeline_options po = CYM_PIPELINE_OPTIONS_INIT;
        cym_results *r = NULL;
        size_t len = 0, cap = 1 << 20, got_len;
        char *want = malloc(cap), *got;
        FILE *f;
        po.node_weights = k ? given : NULL;
        assert_int_equal(cym_pipeline_run(&r, ds, &po, &err), CYM_OK);
        assert_non_null(cym_test_tempdir(dir, sizeof(dir), "remove-one"));
        assert_int_equal(cym_audit_write(r, dir, CYM_AUDIT_PAIRS_AUTO, &err), CYM_OK);
        len += (size_t)snprintf(want, cap,
                                "year,code,level,mean_abs_rank_change,max_abs_rank_change\n");
        for (size_t t = 0; t < r->n_years; t++)
            for (size_t n = 0; n < fw->n_nodes; n++) {
                cym_pipeline_options pw = CYM_PIPELINE_OPTIONS_INIT;
                cym_results *q = NULL;
                double sum = 0, big = NAN;
                size_t cnt = 0;
                char a[32], b[32];
                if (n == fw->root)
                    continue;
                for (size_t m = 0; m < fw->n_nodes; m++)
                    w[m] = fw->nodes[m].weight;
                w[n] = 0;
                pw.node_weights = w;
                if (cym_pipeline_run(&q, ds, &pw, &err) == CYM_OK) {
                    for (size_t u = 0; u < r->n_units; u++) {
                        size_t c = cym_cube_cell(&r->node_cube, u, t, fw->root);
                        double d = fabs(q->rank[c] - r->rank[c]);
                        if (isnan(d))
                            continue;
                        sum += d;
                        cnt++;
                        big = isnan(big) || d > big ? d : big;
                    }
                    cym_results_free(q);
                }
                cym_format_double(a, cnt ? sum / (double)cnt : NAN);
                cym_format_double(b, big);
                assert_true(len + 300 < cap);
                len += (size_t)snprintf(want + len, cap - len, "%d,%s,%d,%s,%s\n",
                                        r->year0 + (int)t, fw->nodes[n].code, fw->nodes[n].level,
                                        a, b);
            }
        snprintf(path, sizeof(path), "%s/audit/remove_one.csv", dir);
        assert_non_null(f = fopen(path, "rb"));
        got = malloc(cap);
        got_len = fread(got, 1, cap, f);
        fclose(f);
        if (got_len != len || memcmp(got, want, len) != 0)
            fail_msg("run %d: remove_one.csv differs from the whole runs:\n%.*s\nwanted:\n%s", k,
                     (int)got_len, got, want);
        free(got);
        free(want);
        cym_results_free(r);
    }
    cym_dataset_free(ds);
    cym_framework_free(fw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cronbach),
        cmocka_unit_test(test_pca),
        cmocka_unit_test(test_corr),
        cmocka_unit_test(test_remove_one),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
