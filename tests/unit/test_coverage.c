/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Data coverage by effective weight and the coverage policy (issue 14), on the bundled
 * dataset (datasets/asean-japan, framework indicators/asean-japan.csv): every country-year's
 * index coverage against an independent computation, the pillars of Myanmar 2024, imputed
 * values not counting as data, --min-coverage keeping its own (direct-children) meaning, and
 * the flags and warnings of the policy in a run and before it (validate).
 *
 * The expected coverage comes from this Python 3 script (standard library only), run from the
 * repository root; it reads the files, not the engine:
 *
 *   import csv, os
 *   fw = list(csv.DictReader(open('indicators/asean-japan.csv')))
 *   kids = {}
 *   for n in fw: kids.setdefault(n['parent'], []).append(n)
 *   obs = set()
 *   d = 'datasets/asean-japan'
 *   for f in os.listdir(d):
 *       if len(f) == 7 and f.endswith('.csv'):
 *           for row in csv.DictReader(open(os.path.join(d, f))):
 *               if row['value'].strip(): obs.add((f[:3], int(row['year']), row['indicator']))
 *   def cov(code, u, y):
 *       ch = kids.get(code, [])
 *       if not ch: return 1.0 if (u, y, code) in obs else 0.0
 *       tot = sum(float(c['weight']) for c in ch)
 *       return sum(float(c['weight']) / tot * cov(c['code'], u, y) for c in ch)
 *   units = [r['code'] for r in csv.DictReader(open(d + '/countries.csv'))]
 *   for u in units:
 *       print(u, ['%.4f' % cov('AJCI', u, y) for y in range(2017, 2025)])
 *   print(sum(cov('AJCI', u, y) < 0.9 - 1e-9 for u in units for y in range(2017, 2025)))
 *
 * (Every value is a multiple of 0.005, so four decimals are exact.)
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/pipeline.h"

static cym_framework *fw;
static cym_dataset *ds;

static const struct {
    const char *code;
    double cov[8]; /* 2017..2024 */
} index_coverage[] = {
    {"BRN", {0.8950, 0.9200, 0.9200, 1.0000, 0.8950, 0.9750, 1.0000, 0.9750}},
    {"KHM", {0.9200, 0.8300, 0.9600, 1.0000, 0.9750, 1.0000, 0.9600, 1.0000}},
    {"IDN", {0.9200, 0.9200, 0.9600, 0.9350, 0.9750, 0.9600, 0.8950, 0.9600}},
    {"LAO", {0.7100, 0.9200, 0.9200, 1.0000, 0.8950, 1.0000, 0.9600, 0.9600}},
    {"MYS", {0.8950, 0.8950, 0.9200, 0.9600, 0.9350, 0.9750, 0.9600, 0.9600}},
    {"MMR", {0.8800, 0.8400, 0.8150, 0.9750, 1.0000, 0.4750, 0.4200, 0.3800}},
    {"PHL", {0.8800, 0.8800, 0.9200, 0.9600, 0.9750, 0.8800, 0.9750, 0.9600}},
    {"SGP", {0.8800, 0.9200, 0.9200, 0.9600, 0.9200, 1.0000, 1.0000, 0.9600}},
    {"THA", {0.8550, 0.8000, 0.8950, 1.0000, 1.0000, 0.9350, 1.0000, 0.9100}},
    {"VNM", {0.8800, 0.8950, 0.9600, 0.9600, 0.9750, 1.0000, 1.0000, 0.9600}},
    {"JPN", {0.8550, 0.8800, 0.9600, 1.0000, 0.9200, 0.9600, 1.0000, 0.9750}},
};

static const char mmr_2024_warning[] =
    "country MMR (Myanmar) has data for 38.0 % of the index's weight in 2024, below the coverage "
    "policy of 66 % (--coverage-flag): its 2024 scores are computed but flagged";

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

static cym_results *run(const cym_pipeline_options *o)
{
    cym_results *r = NULL;
    cym_error err;
    if (cym_pipeline_run(&r, ds, o, &err) < 0)
        fail_msg("run: %s", err.message);
    return r;
}

static double cov_of(const cym_results *r, const char *unit, int year, const char *code)
{
    long u = cym_dataset_find_unit(ds, unit), n = cym_framework_find(fw, code);
    assert_true(u >= 0 && n >= 0);
    return r
        ->coverage[cym_cube_cell(&r->node_cube, (size_t)u, (size_t)(year - r->year0), (size_t)n)];
}

static size_t count_warnings(const cym_results *r, const char *what)
{
    size_t n = 0;
    for (size_t i = 0; i < r->warnings.count; i++)
        n += strstr(r->warnings.lines[i], what) != NULL;
    return n;
}

/* Every country-year's index coverage is the Python script's. */
static void test_index_coverage(void **state)
{
    cym_results *r = run(NULL);
    (void)state;
    assert_int_equal(r->year0, 2017);
    assert_int_equal(r->n_years, 8);
    for (size_t k = 0; k < sizeof(index_coverage) / sizeof(*index_coverage); k++)
        for (int t = 0; t < 8; t++)
            assert_close(cov_of(r, index_coverage[k].code, 2017 + t, "AJCI"),
                         index_coverage[k].cov[t]);
    cym_results_free(r);
}

/*
 * Myanmar 2024 (the case): Legal 1 of 5 indicators, Technical 2 of 4 in each of its
 * two sub-pillars, the other pillars 2 of 5; by hand 0.2 (0.2 + 0.5 + 0.4 + 0.4 + 0.4) =
 * 0.38, below one half, where the direct children's share (every pillar has a score) is 1.
 */
static void test_myanmar_2024(void **state)
{
    cym_results *r = run(NULL);
    (void)state;
    assert_close(cov_of(r, "MMR", 2024, "LEG"), 0.2);
    assert_close(cov_of(r, "MMR", 2024, "TEC"), 0.5);
    assert_close(cov_of(r, "MMR", 2024, "TEC.IR"), 0.5);
    assert_close(cov_of(r, "MMR", 2024, "ORG"), 0.4);
    assert_close(cov_of(r, "MMR", 2024, "AJCI"), 0.38);
    assert_close(cov_of(r, "MMR", 2024, "LEG.CII"), 1.0);        /* reported: 0 */
    assert_close(cov_of(r, "MMR", 2024, "LEG.CYBERCRIME"), 0.0); /* not reported */
    assert_true(cov_of(r, "MMR", 2024, "AJCI") < 0.5);
    cym_results_free(r);
}

/* An imputed value is not data: linear interpolation fills Myanmar's 2024 gaps (constant
   after the last observation), the scores change, the coverage does not. */
static void test_imputed_is_not_data(void **state)
{
    cym_pipeline_options o = CYM_PIPELINE_OPTIONS_INIT;
    cym_results *plain = run(NULL), *r;
    long u = cym_dataset_find_unit(ds, "MMR");
    size_t cell;
    (void)state;
    o.impute.method = CYM_IMPUTE_LINEAR;
    r = run(&o);
    cell = cym_cube_cell(&r->node_cube, (size_t)u, 7, fw->root);
    assert_true(r->n_imputed > 0);
    assert_true(r->score[cell] != plain->score[cell]);
    for (size_t k = 0; k < sizeof(index_coverage) / sizeof(*index_coverage); k++)
        for (int t = 0; t < 8; t++)
            assert_close(cov_of(r, index_coverage[k].code, 2017 + t, "AJCI"),
                         index_coverage[k].cov[t]);
    assert_true(cym_results_flagged(r, (size_t)u, 7));
    cym_results_free(r);
    cym_results_free(plain);
}

/*
 * --min-coverage keeps COINr's meaning, over the direct children: at 0.3 Myanmar's 2024 Legal
 * pillar (1 of 5 indicators with a score, 0.2) is not computed, the other pillars are (2 of 5,
 * or both sub-pillars), so its index is (4 of 5 pillars, 0.8); its coverage is still 0.38
 * whichever aggregates were computed.
 */
static void test_min_coverage_is_direct(void **state)
{
    cym_pipeline_options o = CYM_PIPELINE_OPTIONS_INIT;
    cym_results *r;
    long u = cym_dataset_find_unit(ds, "MMR"), leg = cym_framework_find(fw, "LEG");
    (void)state;
    o.min_coverage = 0.3;
    r = run(&o);
    assert_true(isnan(r->score[cym_cube_cell(&r->node_cube, (size_t)u, 7, (size_t)leg)]));
    assert_false(isnan(r->score[cym_cube_cell(&r->node_cube, (size_t)u, 7, fw->root)]));
    assert_close(cov_of(r, "MMR", 2024, "AJCI"), 0.38);
    assert_close(cov_of(r, "MMR", 2024, "LEG"), 0.2);
    cym_results_free(r);
}

/*
 * The policy: at the default 0.66 exactly Myanmar 2022-2024 are flagged (0.475, 0.42, 0.38),
 * each with one warning naming country, year and coverage; at 0.9, 25 country-years (the
 * script's count); `off` (0) flags nothing and warns of nothing.
 */
static void test_policy_flags_and_warnings(void **state)
{
    cym_pipeline_options o = CYM_PIPELINE_OPTIONS_INIT;
    cym_results *r = run(NULL);
    size_t n = 0;
    int found = 0;
    (void)state;
    assert_close(r->opts.coverage_flag, 0.66);
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            if (cym_results_flagged(r, u, t)) {
                assert_string_equal(r->ds->units[u].code, "MMR");
                assert_true(t >= 5);
                n++;
            }
    assert_int_equal(n, 3);
    assert_int_equal(count_warnings(r, "below the coverage policy"), 3);
    for (size_t i = 0; i < r->warnings.count; i++)
        found |= strcmp(r->warnings.lines[i], mmr_2024_warning) == 0;
    assert_true(found);
    assert_int_equal(count_warnings(r, "in 2022, below"), 1);
    assert_int_equal(count_warnings(r, "has data for 47.5 %"), 1);
    cym_results_free(r);

    o.coverage_flag = 0.9;
    r = run(&o);
    n = 0;
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            n += (size_t)cym_results_flagged(r, u, t);
    assert_int_equal(n, 25);
    assert_int_equal(count_warnings(r, "below the coverage policy of 90 %"), 25);
    cym_results_free(r);

    o.coverage_flag = 0;
    r = run(&o);
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            assert_false(cym_results_flagged(r, u, t));
    assert_int_equal(count_warnings(r, "coverage policy"), 0);
    cym_results_free(r);
}

/* Before a run (validate): the latest year only, with the run's own warning. */
static void test_policy_check(void **state)
{
    cym_pipeline_options o = CYM_PIPELINE_OPTIONS_INIT;
    cym_warnings w = {0};
    cym_error err;
    (void)state;
    assert_int_equal(cym_pipeline_policy_check(&w, ds, NULL, &err), CYM_OK);
    assert_int_equal(w.count, 1);
    assert_string_equal(w.lines[0], mmr_2024_warning);
    cym_warnings_clear(&w);
    /* the latest year of a selection: 2021 has nobody below 0.66 (LAO 2017's 0.71 is the
       lowest before 2022), 2023 Myanmar at 0.42 */
    o.year_to = 2021;
    assert_int_equal(cym_pipeline_policy_check(&w, ds, &o, &err), CYM_OK);
    assert_int_equal(w.count, 0);
    o.year_to = 2023;
    assert_int_equal(cym_pipeline_policy_check(&w, ds, &o, &err), CYM_OK);
    assert_int_equal(w.count, 1);
    assert_non_null(strstr(w.lines[0], "has data for 42.0 % of the index's weight in 2023"));
    cym_warnings_clear(&w);
    o.year_to = 0;
    o.coverage_flag = 0;
    assert_int_equal(cym_pipeline_policy_check(&w, ds, &o, &err), CYM_OK);
    assert_int_equal(w.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_coverage),
        cmocka_unit_test(test_myanmar_2024),
        cmocka_unit_test(test_imputed_is_not_data),
        cmocka_unit_test(test_min_coverage_is_direct),
        cmocka_unit_test(test_policy_flags_and_warnings),
        cmocka_unit_test(test_policy_check),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, setup, teardown);
}
