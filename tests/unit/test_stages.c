/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pipeline's composable stages (docs/architecture.md): results derived from prepared
 * indicators, aggregated with other weights or another aggregation and ranked on a few nodes,
 * must hold exactly the numbers a whole run with those options gives (the Monte Carlo and the
 * audit rely on it), whatever was derived or reset before (also the Monte Carlo's lighter
 * reuse, which resets only the options); and one cube indexer for every
 * [unit][year][layer] array. The bundled dataset (11 countries, 8 years, per-country files).
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cymetrics/cube.h"
#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/methods.h"
#include "cymetrics/pipeline.h"

static cym_framework *fw;
static cym_dataset *ds;

static int setup(void **state)
{
    (void)state;
    return cym_test_load_bundled(&fw, &ds);
}

static int teardown(void **state)
{
    (void)state;
    cym_dataset_free(ds);
    cym_framework_free(fw);
    return 0;
}

/* Equal to the last bit, NaN equal to NaN. */
static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof(a)) == 0;
}

/* The scores, coverage and weights of `a` and `b`, and the ranks of `nodes` (NULL: all). */
static void assert_same(const cym_results *a, const cym_results *b, const size_t *nodes, size_t n)
{
    size_t cells = cym_cube_cells(&a->node_cube);
    assert_int_equal(cells, cym_cube_cells(&b->node_cube));
    for (size_t k = 0; k < cells; k++) {
        if (!same(a->score[k], b->score[k]) || !same(a->coverage[k], b->coverage[k]))
            fail_msg("cell %zu: score %.17g / %.17g", k, a->score[k], b->score[k]);
    }
    for (size_t m = 0; m < a->n_nodes; m++)
        if (!same(a->weight[m], b->weight[m]) || !same(a->eff_weight[m], b->eff_weight[m]))
            fail_msg("node %zu: weight %.17g / %.17g", m, a->weight[m], b->weight[m]);
    for (size_t u = 0; u < a->n_units; u++)
        for (size_t t = 0; t < a->n_years; t++)
            for (size_t j = 0; j < (nodes ? n : a->n_nodes); j++) {
                size_t c = cym_cube_cell(&a->node_cube, u, t, nodes ? nodes[j] : j);
                if (!same(a->rank[c], b->rank[c]))
                    fail_msg("rank of unit %zu, year %zu: %g / %g", u, t, a->rank[c], b->rank[c]);
            }
}

static void test_derive_equals_run(void **state)
{
    cym_pipeline_options po = CYM_PIPELINE_OPTIONS_INIT;
    double w[512];
    cym_results *base = NULL, *full = NULL, *d = NULL;
    cym_error err;
    (void)state;
    assert_true(fw->n_nodes <= sizeof(w) / sizeof(*w));
    po.n_tiers = 1;
    po.tiers[0].threshold = 50;
    assert_int_equal(cym_pipeline_run(&base, ds, &po, &err), CYM_OK);
    /* three weightings in turn on the same derived results: each must be what a whole run
       with those weights gives, so nothing of the previous one may stay behind */
    for (int round = 0; round < 3; round++) {
        cym_pipeline_options pw = po;
        for (size_t m = 0; m < fw->n_nodes; m++)
            w[m] = round == 0 ? fw->nodes[m].weight : 1.0 + (double)((m * 7 + (size_t)round) % 5);
        if (round == 2)
            w[fw->indicators[3]] = 0; /* an indicator left out, as exclude-one does */
        pw.node_weights = w;
        if (round == 1) {
            pw.agg.method = CYM_AGG_POWER; /* another aggregation, same preparation */
            pw.agg.p = 2;
        }
        assert_int_equal(cym_pipeline_run(&full, ds, &pw, &err), CYM_OK);
        if (!d)
            assert_int_equal(cym_results_derive(&d, base, &pw, &err), CYM_OK);
        else
            cym_results_reset(d, &pw);
        assert_int_equal(cym_pipeline_aggregate(d, &err), CYM_OK);
        assert_int_equal(cym_pipeline_rank(d, NULL, 0, &err), CYM_OK);
        assert_int_equal(cym_pipeline_tier(d), CYM_OK);
        assert_same(full, d, NULL, 0);
        for (size_t k = 0; k < cym_cube_cells(&full->unit_cube); k++)
            assert_int_equal(full->tier[k], d->tier[k]);
        /* the journey is the base's, borrowed */
        assert_ptr_equal(d->normalised, base->normalised);
        cym_results_free(full);
        full = NULL;
    }
    cym_results_free(d);
    cym_results_free(base);
    /* prepared with another normalisation (as the Monte Carlo caches one per alternative) */
    po.norm.method = CYM_NORM_ZSCORE;
    po.norm.z_mean = 10;
    po.norm.z_sd = 2;
    assert_int_equal(cym_pipeline_prepare(&base, ds, &po, &err), CYM_OK);
    assert_int_equal(cym_pipeline_run(&full, ds, &po, &err), CYM_OK);
    assert_int_equal(cym_results_derive(&d, base, &po, &err), CYM_OK);
    assert_int_equal(cym_pipeline_aggregate(d, &err), CYM_OK);
    assert_int_equal(cym_pipeline_rank(d, NULL, 0, &err), CYM_OK);
    assert_same(full, d, NULL, 0);
    cym_results_free(d);
    cym_results_free(full);
    cym_results_free(base);
}

/* A small deterministic generator for the random designs below (Knuth's MMIX LCG). */
static double uniform(unsigned long long *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(*x >> 11) / 9007199254740992.0;
}

/*
 * A Monte Carlo replication's fast path (uncertainty.c): results derived once per prepared
 * data set and then only cym_results_reset_options, cym_pipeline_aggregate_scores and the
 * index ranked, replication after replication in random order of the data sets. Every
 * score, weight and index rank must be the bits of a whole run with the same options, run
 * here for each replication: random weights (noise 0.5), aggregation, min-coverage and an
 * indicator sometimes left out, on two normalisations. And every aggregate the bits of
 * cym_aggregate on its children, which the aggregation's arithmetic fast path skips.
 */
static void test_replication_fast_path(void **state)
{
    cym_pipeline_options po[2] = {CYM_PIPELINE_OPTIONS_INIT, CYM_PIPELINE_OPTIONS_INIT};
    cym_results *base[2] = {NULL, NULL}, *q[2] = {NULL, NULL}, *full = NULL;
    unsigned long long x = 18;
    double w[512];
    cym_error err;
    size_t root = fw->root, cells;
    (void)state;
    assert_true(fw->n_nodes <= sizeof(w) / sizeof(*w));
    po[1].norm.method = CYM_NORM_ZSCORE;
    po[1].norm.z_mean = 100;
    po[1].norm.z_sd = 10;
    for (int b = 0; b < 2; b++)
        assert_int_equal(cym_pipeline_prepare(&base[b], ds, &po[b], &err), CYM_OK);
    for (int rep = 0; rep < 60; rep++) {
        int b = uniform(&x) < 0.5;
        cym_pipeline_options pw = po[b];
        double a = uniform(&x);
        for (size_t m = 0; m < fw->n_nodes; m++)
            w[m] = fw->nodes[m].weight * (1.0 + 0.5 * (2.0 * uniform(&x) - 1.0));
        if (uniform(&x) < 0.3)
            w[fw->indicators[(size_t)(uniform(&x) * (double)fw->n_indicators)]] = 0;
        pw.node_weights = w;
        pw.agg.method = a < 0.4 ? CYM_AGG_ARITHMETIC : a < 0.7 ? CYM_AGG_POWER : CYM_AGG_MIN;
        pw.agg.p = 2;
        pw.min_coverage = uniform(&x) < 0.5 ? 0.0 : 0.75;
        assert_int_equal(cym_pipeline_run(&full, ds, &pw, &err), CYM_OK);
        if (!q[b])
            assert_int_equal(cym_results_derive(&q[b], base[b], &pw, &err), CYM_OK);
        else
            cym_results_reset_options(q[b], &pw);
        assert_int_equal(cym_pipeline_aggregate_scores(q[b], &err), CYM_OK);
        assert_int_equal(cym_pipeline_rank(q[b], &root, 1, &err), CYM_OK);
        cells = cym_cube_cells(&full->node_cube);
        for (size_t k = 0; k < cells; k++)
            if (!same(full->score[k], q[b]->score[k]))
                fail_msg("replication %d, cell %zu: score %.17g / %.17g", rep, k, full->score[k],
                         q[b]->score[k]);
        for (size_t m = 0; m < fw->n_nodes; m++)
            assert_true(same(full->weight[m], q[b]->weight[m]) &&
                        same(full->eff_weight[m], q[b]->eff_weight[m]));
        for (size_t u = 0; u < full->n_units; u++)
            for (size_t t = 0; t < full->n_years; t++) {
                size_t c = cym_cube_cell(&full->node_cube, u, t, root);
                if (!same(full->rank[c], q[b]->rank[c]))
                    fail_msg("replication %d: rank %g / %g", rep, full->rank[c], q[b]->rank[c]);
            }
        /* and every aggregate is what cym_aggregate makes of its children (the aggregation
           computes full means without NaN children without calling it) */
        for (size_t n = 0; n < fw->n_nodes; n++) {
            const cym_node *nd = &fw->nodes[n];
            double x[64], cw[64], val, cov;
            assert_true(nd->n_children <= 64);
            if (!nd->n_children)
                continue;
            for (size_t j = 0; j < nd->n_children; j++)
                cw[j] = w[nd->children[j]];
            for (size_t u = 0; u < full->n_units; u++)
                for (size_t t = 0; t < full->n_years; t++) {
                    for (size_t j = 0; j < nd->n_children; j++)
                        x[j] = full->score[cym_cube_cell(&full->node_cube, u, t, nd->children[j])];
                    assert_int_equal(cym_aggregate(&val, &cov, x, cw, nd->n_children,
                                                   nd->has_method ? &nd->method : &pw.agg,
                                                   pw.min_coverage),
                                     CYM_OK);
                    assert_true(same(val, full->score[cym_cube_cell(&full->node_cube, u, t, n)]));
                }
        }
        cym_results_free(full);
        full = NULL;
    }
    for (int b = 0; b < 2; b++) {
        cym_results_free(q[b]);
        cym_results_free(base[b]);
    }
}

/*
 * The audit's remove-one (audit.c): each node but the index weighted 0 in turn, and only its
 * ancestors aggregated again (cym_pipeline_aggregate_above) on results that hold the run's
 * scores, which get the ancestors' scores back after each. Every score and index rank must be
 * the bits of a whole run with that weight at 0: framework and equal weights, the arithmetic
 * mean, and the power mean with a minimum coverage.
 */
static void test_aggregate_above(void **state)
{
    double w[512];
    size_t root = fw->root;
    cym_error err;
    (void)state;
    assert_true(fw->n_nodes <= sizeof(w) / sizeof(*w));
    for (int k = 0; k < 3; k++) {
        cym_pipeline_options po = CYM_PIPELINE_OPTIONS_INIT, pw;
        cym_results *run = NULL, *q = NULL, *full = NULL;
        po.weights = k == 1 ? CYM_WEIGHTS_EQUAL : CYM_WEIGHTS_FRAMEWORK;
        po.agg.method = k == 2 ? CYM_AGG_POWER : CYM_AGG_ARITHMETIC;
        po.agg.p = 2;
        po.min_coverage = k == 2 ? 0.75 : 0.0;
        assert_int_equal(cym_pipeline_run(&run, ds, &po, &err), CYM_OK);
        pw = run->opts;
        pw.node_weights = w;
        assert_int_equal(cym_results_derive(&q, run, &pw, &err), CYM_OK);
        for (size_t n = 0; n < fw->n_nodes; n++) {
            size_t cells = cym_cube_cells(&run->node_cube);
            if (n == root)
                continue;
            for (size_t m = 0; m < fw->n_nodes; m++)
                w[m] = po.weights == CYM_WEIGHTS_EQUAL ? 1.0 : fw->nodes[m].weight;
            w[n] = 0;
            cym_results_reset_options(q, &pw);
            assert_int_equal(cym_pipeline_aggregate_above(q, n, &err), CYM_OK);
            assert_int_equal(cym_pipeline_rank(q, &root, 1, &err), CYM_OK);
            assert_int_equal(cym_pipeline_run(&full, ds, &pw, &err), CYM_OK);
            for (size_t c = 0; c < cells; c++)
                if (!same(full->score[c], q->score[c]))
                    fail_msg("node %zu left out, cell %zu: score %.17g / %.17g", n, c,
                             full->score[c], q->score[c]);
            for (size_t m = 0; m < fw->n_nodes; m++)
                assert_true(same(full->weight[m], q->weight[m]) &&
                            same(full->eff_weight[m], q->eff_weight[m]));
            for (size_t u = 0; u < run->n_units; u++)
                for (size_t t = 0; t < run->n_years; t++) {
                    size_t c = cym_cube_cell(&run->node_cube, u, t, root);
                    assert_true(same(full->rank[c], q->rank[c]));
                }
            cym_results_free(full);
            full = NULL;
            /* the ancestors' scores back to the run's, as audit.c does */
            for (long a = fw->nodes[n].parent; a >= 0; a = fw->nodes[a].parent)
                for (size_t u = 0; u < run->n_units; u++)
                    for (size_t t = 0; t < run->n_years; t++) {
                        size_t c = cym_cube_cell(&run->node_cube, u, t, (size_t)a);
                        q->score[c] = run->score[c];
                    }
        }
        cym_results_free(q);
        cym_results_free(run);
    }
}

static void test_rank_chosen_nodes(void **state)
{
    cym_results *all = NULL, *one = NULL;
    cym_error err;
    size_t root;
    (void)state;
    assert_int_equal(cym_pipeline_run(&all, ds, NULL, &err), CYM_OK);
    root = all->fw->root;
    assert_int_equal(cym_results_derive(&one, all, NULL, &err), CYM_OK);
    assert_int_equal(cym_pipeline_aggregate(one, &err), CYM_OK);
    assert_int_equal(cym_pipeline_rank(one, &root, 1, &err), CYM_OK);
    assert_same(all, one, &root, 1);
    /* the nodes not asked for are left unranked */
    for (size_t u = 0; u < one->n_units; u++)
        assert_true(isnan(one->rank[cym_cube_cell(&one->node_cube, u, 0, fw->indicators[0])]));
    cym_results_free(one);
    cym_results_free(all);
}

static void test_cube_layout(void **state)
{
    /* [unit][year][layer], row-major: hand-computed offsets */
    const cym_cube c = {3, 4, 5};
    (void)state;
    assert_int_equal(cym_cube_cells(&c), 60);
    assert_int_equal(cym_cube_cell(&c, 0, 0, 0), 0);
    assert_int_equal(cym_cube_cell(&c, 0, 0, 4), 4);
    assert_int_equal(cym_cube_cell(&c, 0, 1, 0), 5);
    assert_int_equal(cym_cube_cell(&c, 1, 0, 0), 20);
    assert_int_equal(cym_cube_cell(&c, 2, 3, 4), 59);
}

/* Which settings make earlier years depend on later data (cym_results_later), one run each. */
static void test_later_stages(void **state)
{
    static const struct {
        const char *name;
        int scope, treat, ref, one_year;
        cym_impute_method impute;
        cym_norm_method norm;
        unsigned expect;
    } cases[] = {
        {"panel (default)", -1, 0, 0, 0, CYM_IMPUTE_NONE, CYM_NORM_MINMAX, CYM_LATER_NORMALISE},
        {"panel, treated", 0, 1, 0, 0, CYM_IMPUTE_NONE, CYM_NORM_ZSCORE,
         CYM_LATER_NORMALISE | CYM_LATER_TREAT},
        {"per year, treated", 1, 1, 0, 0, CYM_IMPUTE_LOCF, CYM_NORM_RANK, 0},
        {"reference years, treated", -1, 1, 1, 0, CYM_IMPUTE_MEAN, CYM_NORM_MINMAX, 0},
        {"reference years, linear", -1, 0, 1, 0, CYM_IMPUTE_LINEAR, CYM_NORM_DIST2MAX,
         CYM_LATER_IMPUTE},
        {"no normalisation", 0, 0, 0, 0, CYM_IMPUTE_NONE, CYM_NORM_NONE, 0},
        {"one year, linear", -1, 1, 0, 1, CYM_IMPUTE_LINEAR, CYM_NORM_MINMAX, 0},
    };
    cym_error err;
    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
        cym_pipeline_options po = CYM_PIPELINE_OPTIONS_INIT;
        cym_results *r = NULL;
        char text[1024];
        po.scope = cases[k].scope;
        po.treat = cases[k].treat;
        po.impute.method = cases[k].impute;
        po.norm.method = cases[k].norm;
        if (cases[k].ref) {
            po.ref_from = 2017;
            po.ref_to = 2020;
        }
        if (cases[k].one_year)
            po.year_from = po.year_to = 2020;
        if (cym_pipeline_run(&r, ds, &po, &err) < 0)
            fail_msg("%s: %s", cases[k].name, err.message);
        if (cym_results_later(r) != cases[k].expect)
            fail_msg("%s: later = %#x, expected %#x", cases[k].name, cym_results_later(r),
                     cases[k].expect);
        cym_results_later_text(text, sizeof(text), r);
        assert_non_null(
            strstr(text, cases[k].expect ? "Scores of earlier years depend" : "do not depend"));
        cym_results_free(r);
    }
}

/*
 * The goalposts a run writes, read back, give every score to the last bit, also on fewer
 * years (2017-2022 of a window frozen on 2017-2020): the library's own round trip of
 * cym_goalposts_write and cym_goalposts_load.
 */
static void test_goalposts_round_trip(void **state)
{
    cym_pipeline_options po = CYM_PIPELINE_OPTIONS_INIT, gpo = CYM_PIPELINE_OPTIONS_INIT;
    cym_results *ref = NULL, *reused = NULL;
    cym_goalposts *gp = NULL;
    const char *path = cym_test_write_temp("goalposts.csv", "");
    cym_error err;
    FILE *f;
    (void)state;
    po.ref_from = 2017;
    po.ref_to = 2020;
    po.treat = 1;
    assert_int_equal(cym_pipeline_run(&ref, ds, &po, &err), CYM_OK);
    assert_int_equal(ref->settings.frozen, CYM_FROZEN_REFERENCE);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(cym_goalposts_write(f, ref), CYM_OK);
    fclose(f);
    if (cym_goalposts_load(&gp, path, fw, &err) < 0)
        fail_msg("%s:%lu:%lu: %s", err.file, err.line, err.column, err.message);
    assert_string_equal(gp->years, "2017-2020");
    assert_int_equal(gp->method, CYM_NORM_MINMAX);
    for (size_t i = 0; i < fw->n_indicators; i++)
        assert_memory_equal(&gp->bounds[i], &ref->bounds[i], sizeof(cym_norm_bounds));
    gpo.goalposts = gp;
    gpo.treat = 1;
    gpo.year_to = 2022;
    assert_int_equal(cym_pipeline_run(&reused, ds, &gpo, &err), CYM_OK);
    assert_int_equal(reused->settings.frozen, CYM_FROZEN_FILE);
    for (size_t u = 0; u < ds->n_units; u++)
        for (size_t t = 0; t < reused->n_years; t++)
            for (size_t n = 0; n < fw->n_nodes; n++) {
                double a = ref->score[cym_cube_cell(&ref->node_cube, u, t, n)];
                double b = reused->score[cym_cube_cell(&reused->node_cube, u, t, n)];
                if (!same(a, b))
                    fail_msg("unit %zu year %zu node %zu: %.17g / %.17g", u, t, n, a, b);
            }
    /* the goalposts with another normalisation, or with reference years too: refused */
    cym_results_free(reused);
    gpo.norm.method = CYM_NORM_ZSCORE;
    assert_int_equal(cym_pipeline_run(&reused, ds, &gpo, &err), CYM_EUSAGE);
    assert_null(reused);
    gpo.norm.method = CYM_NORM_MINMAX;
    gpo.ref_from = gpo.ref_to = 2017;
    assert_int_equal(cym_pipeline_run(&reused, ds, &gpo, &err), CYM_EUSAGE);
    assert_null(reused);
    cym_results_free(ref);
    cym_goalposts_free(gp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derive_equals_run),    cmocka_unit_test(test_rank_chosen_nodes),
        cmocka_unit_test(test_cube_layout),          cmocka_unit_test(test_later_stages),
        cmocka_unit_test(test_goalposts_round_trip), cmocka_unit_test(test_replication_fast_path),
        cmocka_unit_test(test_aggregate_above),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
