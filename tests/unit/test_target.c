/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The target search (issue 9) on a dataset small enough to compute by hand. Framework:
 *   IDX = mean(P1, P2);  P1 = mean(a, b);  P2 = c          (every weight 1)
 * one year (2024), normalise none (scores = raw values):
 *            a    b    c
 *   AAA     10    0   50      P1 = 5,  P2 = 50, IDX = 27.5
 *   BBB     20   90   60      P1 = 55, P2 = 60, IDX = 57.5
 * Best values for AAA (best observed in 2024): a 20, b 90, c 60. One step alone:
 *   a: P1 = (20 + 0)/2 = 10   -> IDX = (10 + 50)/2 = 30     gain  2.5
 *   b: P1 = (10 + 90)/2 = 50  -> IDX = (50 + 50)/2 = 50     gain 22.5  (the best: not the
 *                                                                       first indicator)
 *   c: P2 = 60                -> IDX = (5 + 60)/2 = 32.5    gain  5
 * After b: a gains (55 - 50)/2 = 2.5, c gains (60 - 50)/2 = 5, so c; after b and c:
 *   IDX = (50 + 60)/2 = 55; then a: (55 + 60)/2 = 57.5 = the maximum.
 * Target 55: b, c (2 steps, 55 reached exactly). Target 60: unreachable, max 57.5, 2.5 short.
 * With --aggregate sum (weights as given): IDX = P1 + P2 = a + b + c: AAA 60, and each gain is
 * the raw difference: a +10, b +90, c +10 (a before c: ties go in framework order).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/target.h"

static char dir[256];
static cym_framework *fw;
static cym_dataset *ds;

static void put(const char *name, const char *text)
{
    char p[400];
    FILE *f;
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    f = fopen(p, "wb");
    if (!f)
        fail_msg("cannot write %s", p);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    cym_error err;
    cym_dataset_paths p;
    char fwp[300], cp[300];
    (void)state;
    if (!cym_test_tempdir(dir, sizeof(dir), "cymtgt"))
        return -1;
    put("framework.csv", "code,name,parent,weight,direction\n"
                         "IDX,Index,,1,\nP1,One,IDX,1,\nP2,Two,IDX,1,\n"
                         "a,A,P1,1,+\nb,B,P1,1,+\nc,C,P2,1,+\n");
    put("countries.csv", "code,name\nAAA,Aland\nBBB,Bland\n");
    put("AAA.csv", "indicator,year,value\na,2024,10\nb,2024,0\nc,2024,50\n");
    put("BBB.csv", "indicator,year,value\na,2024,20\nb,2024,90\nc,2024,60\n");
    snprintf(fwp, sizeof(fwp), "%s/framework.csv", dir);
    snprintf(cp, sizeof(cp), "%s/countries.csv", dir);
    p.countries = cp;
    p.data = dir;
    if (cym_framework_load(&fw, fwp, &err) < 0 || cym_dataset_load(&ds, fw, &p, NULL, &err) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cym_dataset_free(ds);
    cym_framework_free(fw);
    return 0;
}

static cym_results *run(cym_options *o, const char *agg)
{
    cym_error err;
    cym_results *r = NULL;
    cym_options_default(o);
    assert_int_equal(cym_options_set(o, "normalise", "none", &err), CYM_OK);
    assert_int_equal(cym_options_set(o, "aggregate", agg, &err), CYM_OK);
    assert_int_equal(cym_options_set(o, "tiers", "55:Top,0:Rest", &err), CYM_OK);
    assert_int_equal(cym_pipeline_run(&r, ds, &o->run, &err), CYM_OK);
    return r;
}

static const char *code_of(const cym_target_plan *p, size_t k)
{
    return fw->nodes[fw->indicators[p->steps[k].indicator]].code;
}

/* The best values and re-aggregation of the unit's own scores reproduce the run. */
static void test_best_and_rescore(void **state)
{
    cym_options o;
    cym_results *r = run(&o, "arithmetic");
    cym_error err;
    double v[3], s[3], own[3] = {10, 0, 50}, idx, nodes[6];
    (void)state;
    assert_int_equal(cym_target_best(v, s, r, 0, 0, &err), CYM_OK);
    assert_close(v[0], 20);
    assert_close(v[1], 90);
    assert_close(v[2], 60);
    assert_close(s[1], 90);
    /* BBB is the best everywhere: nothing to improve */
    assert_int_equal(cym_target_best(v, s, r, 1, 0, &err), CYM_OK);
    assert_true(isnan(v[0]) && isnan(v[1]) && isnan(v[2]));
    assert_int_equal(cym_target_rescore(&idx, nodes, r, 0, 0, own, &err), CYM_OK);
    assert_close(idx, 27.5);
    assert_true(idx == r->score[cym_cube_cell(&r->node_cube, 0, 0, fw->root)]);
    assert_close(nodes[cym_framework_find(fw, "P1")], 5);
    own[1] = 90; /* b raised: (10 + 90)/2 = 50, (50 + 50)/2 = 50 */
    assert_int_equal(cym_target_rescore(&idx, NULL, r, 0, 0, own, &err), CYM_OK);
    assert_close(idx, 50);
    cym_results_free(r);
}

/* Greedy order: b first (the biggest gain), then c; target 55 reached in 2 steps. */
static void test_greedy_order(void **state)
{
    cym_options o;
    cym_results *r = run(&o, "arithmetic");
    cym_target_plan *p = NULL;
    cym_error err;
    (void)state;
    assert_close(cym_target_tier_threshold(r, 0, 0), 55);
    assert_int_equal(cym_target_search(&p, r, 0, 0, 55, 0, &err), CYM_OK);
    assert_true(p->reached);
    assert_int_equal(p->n_steps, 2);
    assert_string_equal(code_of(p, 0), "b");
    assert_string_equal(code_of(p, 1), "c");
    assert_close(p->current, 27.5);
    assert_close(p->steps[0].current, 0);
    assert_close(p->steps[0].target_value, 90);
    assert_close(p->steps[0].gain, 22.5);
    assert_close(p->steps[0].score_after, 50);
    assert_close(p->steps[1].gain, 5);
    assert_close(p->steps[1].score_after, 55);
    assert_close(p->max_score, 57.5);
    cym_target_plan_free(p);
    cym_results_free(r);
}

/* Out of reach: every step is taken, and the maximum says by how much it falls short. */
static void test_unreachable(void **state)
{
    cym_options o;
    cym_results *r = run(&o, "arithmetic");
    cym_target_plan *p = NULL;
    cym_error err;
    (void)state;
    assert_int_equal(cym_target_search(&p, r, 0, 0, 60, 0, &err), CYM_OK);
    assert_false(p->reached);
    assert_close(p->max_score, 57.5);
    assert_int_equal(p->n_steps, 3);
    assert_string_equal(code_of(p, 2), "a");
    assert_close(p->steps[2].gain, 2.5);
    assert_close(p->steps[2].score_after, 57.5);
    cym_target_plan_free(p);
    /* already there: no step */
    assert_int_equal(cym_target_search(&p, r, 1, 0, 55, 0, &err), CYM_OK);
    assert_true(p->reached);
    assert_int_equal(p->n_steps, 0);
    cym_target_plan_free(p);
    cym_results_free(r);
}

/* Sum aggregation: the gains are the raw differences and add up; ties in framework order. */
static void test_sum(void **state)
{
    cym_options o;
    cym_results *r = run(&o, "sum");
    cym_target_plan *p = NULL;
    cym_error err;
    (void)state;
    assert_int_equal(cym_target_search(&p, r, 0, 0, 165, 0, &err), CYM_OK);
    assert_close(p->current, 60);
    assert_int_equal(p->n_steps, 3);
    assert_string_equal(code_of(p, 0), "b");
    assert_string_equal(code_of(p, 1), "a");
    assert_string_equal(code_of(p, 2), "c");
    assert_close(p->steps[0].gain, 90);
    assert_close(p->steps[1].gain, 10);
    assert_close(p->steps[2].gain, 10);
    assert_close(p->steps[2].score_after, 170);
    assert_true(p->reached);
    cym_target_plan_free(p);
    cym_results_free(r);
}

/* The pillar of a node: its ancestor below the index. */
static void test_pillar(void **state)
{
    (void)state;
    assert_int_equal(cym_target_pillar(fw, (size_t)cym_framework_find(fw, "b")),
                     cym_framework_find(fw, "P1"));
    assert_int_equal(cym_target_pillar(fw, (size_t)cym_framework_find(fw, "P2")),
                     cym_framework_find(fw, "P2"));
    assert_int_equal(cym_target_pillar(fw, fw->root), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_best_and_rescore), cmocka_unit_test(test_greedy_order),
        cmocka_unit_test(test_unreachable),      cmocka_unit_test(test_sum),
        cmocka_unit_test(test_pillar),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, setup, teardown);
}
