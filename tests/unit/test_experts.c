/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Expert weight sets (issue 9): combination, spread, loading with its errors, and the
 * weights the pipeline then uses. The framework is
 *   IDX = w_P1 P1 + w_P2 P2 (rescaled);  P1 = w_a a + w_b b;  P2 = c
 * and the experts' file
 *   code,e1,e2,e3
 *   P1,1,2,6      mean 3,   median 2
 *   P2,3,3,3      mean 3,   median 3
 *   a,1,0,2       mean 1,   median 1
 *   b,1,1,1       mean 1,   median 1   (b's mean below is 1 too)
 *   c,5,5,5
 * Mean: P1 3/(3+3) = 0.5; a 1/(1+1) = 0.5. Median: P1 2/(2+3) = 0.4, P2 0.6; a, b 0.5.
 * AAA (a 10, b 0, c 50), normalise none: P1 = 5; IDX mean = 0.5*5 + 0.5*50 = 27.5;
 * IDX median = 0.4*5 + 0.6*50 = 32.
 * Spread of P1 {1, 2, 6}: min 1, max 6, sd sqrt(((1-3)^2 + (2-3)^2 + (6-3)^2)/2) = sqrt(7),
 * type-7 quartiles: h = 0.5 -> 1.5, h = 1.5 -> 2 + 0.5*4 = 4, IQR 2.5 (R: IQR(c(1,2,6)) = 2.5).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cymetrics/options.h"
#include "cymetrics/experts.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/uncertainty.h"

static char dir[256];
static char xdir[300]; /* expert files: outside the data folder */

static const char *put_in(const char *d, const char *name, const char *text)
{
    static char paths[8][400];
    static int slot;
    char *p = paths[slot++ % 8];
    FILE *f;
    snprintf(p, 400, "%s/%s", d, name);
    f = fopen(p, "wb");
    if (!f)
        fail_msg("cannot write %s", p);
    fputs(text, f);
    fclose(f);
    return p;
}

/* Inputs of the dataset folder, and expert files (elsewhere: the folder holds only data). */
static const char *put(const char *name, const char *text)
{
    return put_in(dir, name, text);
}

static const char *putx(const char *name, const char *text)
{
    return put_in(xdir, name, text);
}

static const char *FW = "code,name,parent,weight,direction\n"
                        "IDX,Index,,1,\nP1,One,IDX,1,\nP2,Two,IDX,1,\n"
                        "a,A,P1,1,+\nb,B,P1,1,+\nc,C,P2,1,+\n";
static const char *GOOD = "code,e1,e2,e3\nP1,1,2,6\nP2,3,3,3\na,1,0,2\nb,1,1,1\nc,5,5,5\n";

static int setup(void **state)
{
    (void)state;
    if (!cym_test_tempdir(dir, sizeof(dir), "cymexp"))
        return -1;
    snprintf(xdir, sizeof(xdir), "%s/x", dir);
    if (mkdir(xdir, 0700) != 0)
        return -1;
    put("framework.csv", FW);
    put("framework3.csv", "code,name,parent,weight,direction\n"
                          "IDX,Index,,1,\nP1,One,IDX,1,\na,A,P1,1,+\nb,B,P1,1,+\nc,C,P1,1,+\n");
    put("countries.csv", "code,name\nAAA,Aland\nBBB,Bland\n");
    put("AAA.csv", "indicator,year,value\na,2024,10\nb,2024,0\nc,2024,50\n");
    put("BBB.csv", "indicator,year,value\na,2024,20\nb,2024,90\nc,2024,60\n");
    return 0;
}

static cym_framework *load_fw_named(const char *name)
{
    cym_framework *fw = NULL;
    cym_error err;
    char p[400];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    assert_int_equal(cym_framework_load(&fw, p, &err), CYM_OK);
    return fw;
}

static cym_framework *load_fw(void)
{
    return load_fw_named("framework.csv");
}

static void test_combine(void **state)
{
    double x[] = {6, 1, 2, 10}, out, mn, mx, sd, iqr;
    (void)state;
    assert_int_equal(cym_weights_combine(&out, x, 3, CYM_COMBINE_MEAN), CYM_OK);
    assert_close(out, 3);
    assert_int_equal(cym_weights_combine(&out, x, 3, CYM_COMBINE_MEDIAN), CYM_OK);
    assert_close(out, 2);
    /* even count: mean of the middle two, (2 + 6)/2 */
    assert_int_equal(cym_weights_combine(&out, x, 4, CYM_COMBINE_MEDIAN), CYM_OK);
    assert_close(out, 4);
    assert_int_equal(cym_weights_combine(&out, x, 0, CYM_COMBINE_MEAN), CYM_EUSAGE);
    cym_weights_spread(x, 3, &mn, &mx, &sd, &iqr);
    assert_close(mn, 1);
    assert_close(mx, 6);
    assert_close(sd, sqrt(7.0));
    assert_close(iqr, 2.5);
    cym_weights_spread(x, 1, NULL, NULL, &sd, NULL);
    assert_true(isnan(sd));
}

/* Mean and median weights, rescaled among siblings by the pipeline (numbers: see the top). */
static void check_run(cym_weight_combine how, double w_p1, double index)
{
    cym_framework *fw = load_fw();
    cym_dataset *ds = NULL;
    cym_results *r = NULL;
    cym_options o;
    cym_error err;
    cym_dataset_paths p;
    char cp[400];
    snprintf(cp, sizeof(cp), "%s/countries.csv", dir);
    p.countries = cp;
    p.data = dir;
    assert_int_equal(cym_framework_load_experts(fw, putx("e.csv", GOOD), how, &err), CYM_OK);
    assert_int_equal(fw->experts->n_experts, 3);
    assert_string_equal(fw->experts->names[1], "e2");
    assert_close(fw->experts->framework_weight[cym_framework_find(fw, "P1")], 1);
    assert_int_equal(cym_dataset_load(&ds, fw, &p, NULL, &err), CYM_OK);
    cym_options_default(&o);
    assert_int_equal(cym_options_set(&o, "normalise", "none", &err), CYM_OK);
    assert_int_equal(cym_pipeline_run(&r, ds, &o.run, &err), CYM_OK);
    assert_close(r->weight[cym_framework_find(fw, "P1")], w_p1);
    assert_close(r->weight[cym_framework_find(fw, "a")], 0.5);
    assert_close(r->score[cym_cube_cell(&r->node_cube, 0, 0, fw->root)], index);
    cym_results_free(r);
    cym_dataset_free(ds);
    cym_framework_free(fw);
}

static void test_mean(void **state)
{
    (void)state;
    check_run(CYM_COMBINE_MEAN, 0.5, 27.5);
}

static void test_median(void **state)
{
    (void)state;
    check_run(CYM_COMBINE_MEDIAN, 0.4, 32);
}

/* Every error names the file, line and column; the framework keeps its weights. */
static void check_error_fw(const char *fwname, const char *text, cym_weight_combine how,
                           unsigned long line, unsigned long col, const char *needle)
{
    cym_framework *fw = load_fw_named(fwname);
    cym_error err;
    cym_error_clear(&err);
    assert_int_equal(cym_framework_load_experts(fw, putx("bad.csv", text), how, &err), CYM_EDATA);
    if (err.line != line || err.column != col || !strstr(err.message, needle))
        fail_msg("got %lu:%lu: %s", err.line, err.column, err.message);
    assert_true(strstr(err.file, "bad.csv") != NULL);
    assert_null(fw->experts);
    assert_close(fw->nodes[cym_framework_find(fw, "P1")].weight, 1);
    cym_framework_free(fw);
}

static void check_error(const char *text, cym_weight_combine how, unsigned long line,
                        unsigned long col, const char *needle)
{
    check_error_fw("framework.csv", text, how, line, col, needle);
}

static void test_errors(void **state)
{
    (void)state;
    check_error("code,e1\nP1,1\nP2,1\nX9,1\nb,1\nc,1\n", CYM_COMBINE_MEAN, 4, 1,
                "unknown node 'X9'");
    check_error("code,e1\nP1,1\nP2,1\na,1\nc,1\n", CYM_COMBINE_MEAN, 6, 1, "'b' has no row");
    check_error("code,e1,e2\nP1,1,1\nP2,1,1\na,1,x\nb,1,1\nc,1,1\n", CYM_COMBINE_MEAN, 4, 5,
                "is not a number");
    check_error("code,e1,e2\nP1,1,1\nP2,1,-2\na,1,1\nb,1,1\nc,1,1\n", CYM_COMBINE_MEAN, 3, 6,
                "negative");
    /* e2 gives a and b (all of P1's children) weight 0: the line of b, e2's column */
    check_error("code,e1,e2\nP1,1,1\nP2,1,1\na,1,0\nb,1,0\nc,1,1\n", CYM_COMBINE_MEAN, 5, 5,
                "e2 gives weight 0 to every child of 'P1'");
    /* three experts each backing another of P1's three children: every median is 0 (the
       line of c, the last child); the mean (1/3 each) is fine */
    check_error_fw("framework3.csv", "code,e1,e2,e3\nP1,1,1,1\na,1,0,0\nb,0,1,0\nc,0,0,1\n",
                   CYM_COMBINE_MEDIAN, 5, 1, "the median of the experts' weights is 0");
    check_error("code,e1\nP1,1\nP1,2\n", CYM_COMBINE_MEAN, 3, 1, "second row");
    check_error("node,e1\nP1,1\n", CYM_COMBINE_MEAN, 1, 1, "first column must be 'code'");
    check_error("code\nP1\n", CYM_COMBINE_MEAN, 1, 1, "no expert column");
    check_error("code,e1,e2\nP1,1\n", CYM_COMBINE_MEAN, 2, 4, "2 fields");
}

/* --weight-noise experts: byte-identical for 1 and 2 threads; a unanimous panel moves
   nothing, so every replication gives the nominal rank. */
static void test_uncertainty(void **state)
{
    cym_framework *fw = load_fw();
    cym_dataset *ds = NULL;
    cym_uncertainty *a = NULL, *b = NULL;
    cym_options o;
    cym_error err;
    cym_dataset_paths p;
    char cp[400];
    (void)state;
    snprintf(cp, sizeof(cp), "%s/countries.csv", dir);
    p.countries = cp;
    p.data = dir;
    assert_int_equal(cym_framework_load_experts(fw, putx("e.csv", GOOD), CYM_COMBINE_MEAN, &err),
                     CYM_OK);
    assert_int_equal(cym_dataset_load(&ds, fw, &p, NULL, &err), CYM_OK);
    cym_options_default(&o);
    assert_int_equal(cym_options_set(&o, "normalise", "none", &err), CYM_OK);
    assert_int_equal(cym_options_set(&o, "weight-noise", "experts", &err), CYM_OK);
    assert_int_equal(cym_options_set(&o, "runs", "64", &err), CYM_OK);
    assert_true(cym_unc_declared(&o.unc));
    assert_int_equal(cym_options_set(&o, "threads", "1", &err), CYM_OK);
    assert_int_equal(cym_uncertainty_run(&a, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    assert_int_equal(cym_options_set(&o, "threads", "2", &err), CYM_OK);
    assert_int_equal(cym_uncertainty_run(&b, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    assert_memory_equal(a->score_mean, b->score_mean, 2 * sizeof(double));
    assert_memory_equal(a->rank_count, b->rank_count, 2 * 3 * sizeof(unsigned long long));
    /* BBB beats AAA on every indicator: rank 1 whatever the weights */
    assert_close(a->rank_mean[1], 1);
    /* the AAA score varies: e1..e3 give P1 shares 0.25, 0.4, 0.667 (and a's share in P1
       1/2, 0, 2/3), so the scores lie between the extremes of those choices */
    assert_true(a->score_q05[0] < a->score_q95[0]);
    cym_uncertainty_free(a);
    cym_uncertainty_free(b);
    /* without an expert set it is refused */
    {
        cym_framework *fw2 = load_fw();
        cym_dataset *ds2 = NULL;
        assert_int_equal(cym_dataset_load(&ds2, fw2, &p, NULL, &err), CYM_OK);
        assert_int_equal(cym_uncertainty_run(&a, ds2, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_EUSAGE);
        assert_true(strstr(err.message, "expert") != NULL);
        cym_dataset_free(ds2);
        cym_framework_free(fw2);
    }
    cym_dataset_free(ds);
    cym_framework_free(fw);
}

static void test_options(void **state)
{
    cym_options o;
    cym_error err;
    char buf[64];
    (void)state;
    cym_options_default(&o);
    assert_int_equal(cym_options_set(&o, "weight-combine", "median", &err), CYM_OK);
    cym_options_get(&o, "weight-combine", buf, sizeof(buf));
    assert_string_equal(buf, "median");
    assert_int_equal(cym_options_set(&o, "weight-combine", "mode", &err), CYM_EUSAGE);
    assert_int_equal(cym_options_set(&o, "weight-noise", "experts", &err), CYM_OK);
    cym_options_get(&o, "weight-noise", buf, sizeof(buf));
    assert_string_equal(buf, "experts");
    assert_int_equal(cym_options_set(&o, "weight-noise", "0.2", &err), CYM_OK);
    assert_int_equal(o.unc.weight_experts, 0);
    assert_int_equal(cym_options_set(&o, "expert-weights", "x.csv", &err), CYM_OK);
    assert_string_equal(o.expert_weights, "x.csv");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_combine), cmocka_unit_test(test_mean),
        cmocka_unit_test(test_median),  cmocka_unit_test(test_errors),
        cmocka_unit_test(test_uncertainty), cmocka_unit_test(test_options),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, setup, NULL);
}
