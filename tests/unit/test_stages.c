/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pipeline's composable stages (docs/architecture.md): results derived from prepared
 * indicators, aggregated with other weights or another aggregation and ranked on a few nodes,
 * must hold exactly the numbers a whole run with those options gives (the Monte Carlo and the
 * audit rely on it), whatever was derived or reset before; and one cube indexer for every
 * [unit][year][layer] array. The bundled dataset (11 countries, 8 years, per-country files).
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cymetrics/cube.h"
#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/pipeline.h"

static cym_framework *fw;
static cym_dataset *ds;

static int setup(void **state)
{
    cym_dataset_paths p = {CYM_SOURCE_DIR "/datasets/asean-japan/countries.csv",
                           CYM_SOURCE_DIR "/datasets/asean-japan"};
    cym_error err;
    (void)state;
    if (cym_framework_load(&fw, CYM_SOURCE_DIR "/indicators/asean-japan.csv", &err) < 0 ||
        cym_dataset_load(&ds, fw, &p, NULL, &err) < 0)
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derive_equals_run),
        cmocka_unit_test(test_rank_chosen_nodes),
        cmocka_unit_test(test_cube_layout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
