/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Monte Carlo analysis on the ASEM data (COINr's example: 51 countries, 49 indicators):
 * the same numbers for 1 and 2 threads; streamed statistics equal to the ones computed from
 * every replication kept (runs.csv); the nominal ranks equal `run`'s; every factor checked
 * before anything runs; the [uncertainty] keys parsed, refused and written back.
 */
#include "testutil.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "cymetrics/import.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/uncertainty.h"

static char base[256], dir[300];
static cym_framework *fw;
static cym_dataset *ds;

static int setup(void **state)
{
    char fwp[300], cp[300];
    cym_dataset_paths p;
    cym_error err;
    (void)state;
    snprintf(base, sizeof(base), "%s/cym-unc-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(base))
        return -1;
    snprintf(dir, sizeof(dir), "%s/asem", base);
    if (cym_import_coinr(CYM_TEST_DATA "/asem/iData.csv", CYM_TEST_DATA "/asem/iMeta.csv", dir,
                         "asem", 0, &err) < 0)
        return -1;
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
    char cmd[600];
    (void)state;
    cym_dataset_free(ds);
    cym_framework_free(fw);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    return system(cmd) == 0 ? 0 : -1;
}

static void set(cym_options *o, const char *k, const char *v)
{
    cym_error err;
    if (cym_options_set(o, k, v, &err) < 0)
        fail_msg("%s %s: %s", k, v, err.message);
}

/* Every factor at once: noise on every level, two normalisations and aggregations,
   treatment on/off, one indicator dropped. */
static void all_factors(cym_options *o, const char *runs)
{
    cym_options_default(o);
    set(o, "range", "1,100");
    set(o, "runs", runs);
    set(o, "seed", "12345");
    set(o, "weight-noise", "0.25");
    set(o, "alt-normalise", "minmax,rank");
    set(o, "alt-aggregate", "arithmetic,geometric");
    set(o, "alt-treat", "none,winsorise");
    set(o, "exclude-one", "on");
}

static void same(const cym_uncertainty *a, const cym_uncertainty *b)
{
    size_t cells = a->n_units * a->n_years;
    assert_int_equal(a->runs, b->runs);
    assert_memory_equal(a->rank_mean, b->rank_mean, cells * sizeof(double));
    assert_memory_equal(a->rank_q05, b->rank_q05, cells * sizeof(double));
    assert_memory_equal(a->rank_q95, b->rank_q95, cells * sizeof(double));
    assert_memory_equal(a->rank_median, b->rank_median, cells * sizeof(double));
    assert_memory_equal(a->score_mean, b->score_mean, cells * sizeof(double));
    assert_memory_equal(a->score_median, b->score_median, cells * sizeof(double));
    assert_memory_equal(a->rank_count, b->rank_count,
                        cells * (a->n_units + 1) * sizeof(*a->rank_count));
    assert_int_equal(a->n_outputs, b->n_outputs);
    if (a->sobol)
        assert_memory_equal(a->sobol, b->sobol, a->n_outputs * a->n_factors * sizeof(*a->sobol));
}

static void test_threads(void **state)
{
    cym_options o;
    cym_uncertainty *a = NULL, *b = NULL, *c = NULL;
    cym_error err;
    (void)state;
    all_factors(&o, "700"); /* not a multiple of the batch size */
    set(&o, "threads", "1");
    assert_int_equal(cym_uncertainty_run(&a, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    set(&o, "threads", "2");
    assert_int_equal(cym_uncertainty_run(&b, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    assert_int_equal(a->runs, 700);
    same(a, b);
    /* another seed, other numbers */
    set(&o, "seed", "12346");
    assert_int_equal(cym_uncertainty_run(&c, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    assert_true(memcmp(a->rank_count, c->rank_count,
                       a->n_units * (a->n_units + 1) * sizeof(*a->rank_count)) != 0);
    cym_uncertainty_free(a);
    cym_uncertainty_free(b);
    cym_uncertainty_free(c);
}

static void test_sobol_threads(void **state)
{
    cym_options o;
    cym_uncertainty *a = NULL, *b = NULL;
    cym_error err;
    (void)state;
    all_factors(&o, "150");
    set(&o, "sobol", "countries");
    set(&o, "threads", "1");
    assert_int_equal(cym_uncertainty_run(&a, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    set(&o, "threads", "2");
    assert_int_equal(cym_uncertainty_run(&b, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    assert_int_equal(a->n_factors, 5);
    assert_int_equal(a->n_outputs, 1 + 51);
    assert_int_equal(a->runs, 300); /* the A and B rows are the Monte Carlo sample */
    same(a, b);
    /* indices of the mean rank shift are shares of variance: ST >= 0, and defined */
    for (size_t i = 0; i < a->n_factors; i++) {
        assert_false(isnan(a->sobol[i].st));
        assert_true(a->sobol[i].st >= 0);
        assert_true(a->sobol[i].st_lo <= a->sobol[i].st_hi);
    }
    cym_uncertainty_free(a);
    cym_uncertainty_free(b);
}

/* Reads runs.csv back: each country's ranks and scores of every replication. */
/* Writes `u` into base/FOLDER and opens FILE of it, its header read into line[n]. */
static FILE *written(const cym_uncertainty *u, const char *folder, const char *file, char *line,
                     int n)
{
    char out[330], path[400];
    cym_error err;
    FILE *f;
    snprintf(out, sizeof(out), "%s/%s", base, folder);
    assert_int_equal(cym_uncertainty_write(u, out, &err), CYM_OK);
    snprintf(path, sizeof(path), "%s/%s", out, file);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, n, f));
    return f;
}

static void test_against_kept_runs(void **state)
{
    cym_options o;
    cym_uncertainty *u = NULL;
    cym_results *nom = NULL;
    cym_error err;
    char line[512];
    enum { RUNS = 300, NU = 51 };
    static double ranks[NU][RUNS], scores[NU][RUNS];
    size_t seen[NU] = {0};
    FILE *f;
    (void)state;
    all_factors(&o, "300");
    /* two normalisations onto the same range [1, 100], so the scores are summarised (minmax
       and rank are on two scales: test_mixed_scales) */
    set(&o, "alt-normalise", "minmax,percentile");
    set(&o, "keep-runs", "on");
    assert_int_equal(cym_uncertainty_run(&u, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    f = written(u, "out", "runs.csv", line, sizeof(line)); /* the header read */
    while (fgets(line, sizeof(line), f)) {
        char code[8];
        int run, year;
        double rk, sc;
        size_t un;
        assert_int_equal(sscanf(line, "%d,%3[A-Z],%d,%lf,%lf", &run, code, &year, &rk, &sc), 5);
        for (un = 0; un < NU && strcmp(ds->units[un].code, code) != 0; un++)
            ;
        assert_true(un < NU);
        ranks[un][seen[un]] = rk;
        scores[un][seen[un]++] = sc;
    }
    fclose(f);
    /* the nominal ranks are run's */
    assert_int_equal(cym_pipeline_run(&nom, ds, &o.run, &err), CYM_OK);
    for (size_t un = 0; un < NU; un++) {
        double mean = 0, smean = 0;
        assert_int_equal(seen[un], RUNS);
        for (size_t r = 0; r < RUNS; r++) {
            mean += ranks[un][r] / RUNS;
            smean += scores[un][r] / RUNS;
        }
        assert_close(u->nominal_rank[un],
                     nom->rank[cym_cube_cell(&nom->node_cube, un, 0, fw->root)]);
        /* ranks: exact type-7 quantiles (R's default) from the histogram */
        assert_close(u->rank_mean[un], mean);
        assert_close(u->rank_median[un], cym_stats_quantile(ranks[un], RUNS, 0.5));
        assert_close(u->rank_q05[un], cym_stats_quantile(ranks[un], RUNS, 0.05));
        assert_close(u->rank_q95[un], cym_stats_quantile(ranks[un], RUNS, 0.95));
        /* scores: the mean to 2^-24, the quantiles to a bin of the histogram */
        assert_true(fabs(u->score_mean[un] - smean) < 1e-6);
        assert_true(fabs(u->score_median[un] - cym_stats_quantile(scores[un], RUNS, 0.5)) < 0.3);
        assert_true(fabs(u->score_q05[un] - cym_stats_quantile(scores[un], RUNS, 0.05)) < 0.3);
        assert_true(fabs(u->score_q95[un] - cym_stats_quantile(scores[un], RUNS, 0.95)) < 0.3);
    }
    cym_results_free(nom);
    cym_uncertainty_free(u);
}

/*
 * The scale rule (docs/methodology.md, "Uncertainty"): methods onto the run's range share one
 * scale, zscore:M,S one per (M, S), rank, borda and none one each; means keep the scale, sum
 * and copeland do not (a copeland index: one scale whatever the normalisation). The expected
 * counts and labels are worked out by hand from that rule.
 */
static void test_scale_rule(void **state)
{
    static const struct {
        const char *norm, *agg; /* NULL: the factor off (the nominal method) */
        size_t n;
        const char *scales;
    } cases[] = {
        {"minmax,percentile", NULL, 1, "[1, 100]"},
        {"minmax,dist2max", "arithmetic,geometric,power:2", 1, "[1, 100]"},
        {"minmax,fracmax", NULL, 1, "[1, 100]"},
        {"minmax,rank", NULL, 2, "[1, 100]; ranks 1..n"},
        {"minmax,zscore:10,2", NULL, 2, "[1, 100]; z-scores 10 +- 2"},
        {"zscore:10,2,zscore", NULL, 2, "z-scores 10 +- 2; z-scores 0 +- 1"},
        {"rank,borda", NULL, 2, "ranks 1..n; borda 0..n-1"},
        /* Physical: the first aggregate of the ASEM framework */
        {"minmax,percentile", "arithmetic,sum", 2, "[1, 100]; [1, 100] through sum from Physical"},
        {"minmax,rank", "copeland", 1, "copeland counts"},
        {NULL, "arithmetic,copeland", 2, "[1, 100]; copeland counts"},
        {NULL, "arithmetic,min,mazziotta-pareto", 1, "[1, 100]"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym_options o;
        cym_uncertainty *u = NULL;
        cym_error err;
        cym_status st;
        cym_options_default(&o);
        set(&o, "range", "1,100");
        set(&o, "runs", "8");
        set(&o, "weight-noise", "0.1"); /* a factor even when the lists are off */
        if (cases[i].norm)
            set(&o, "alt-normalise", cases[i].norm);
        if (cases[i].agg)
            set(&o, "alt-aggregate", cases[i].agg);
        st = cym_uncertainty_run(&u, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err);
        if (st != CYM_OK)
            fail_msg("case %zu: %s", i, err.message);
        if (u->n_scales != cases[i].n || strcmp(u->scales, cases[i].scales) != 0)
            fail_msg("case %zu: %zu scales '%s', expected %zu '%s'", i, u->n_scales, u->scales,
                     cases[i].n, cases[i].scales);
        /* score statistics exactly when there is one scale; rank statistics always */
        for (size_t c = 0; c < u->n_units * u->n_years; c++) {
            assert_false(isnan(u->rank_mean[c]));
            assert_int_equal(isnan(u->score_mean[c]) != 0, cases[i].n > 1);
            assert_int_equal(isnan(u->score_q95[c]) != 0, cases[i].n > 1);
        }
        cym_uncertainty_free(u);
    }
}

/* Mixed scales (minmax on [1, 100] and ranks 1..n): the ranks are still summarised, the score
   columns are empty with a note on every row; one scale: the header of old, no note. */
static void test_mixed_scales(void **state)
{
    cym_options o;
    cym_uncertainty *u = NULL;
    cym_error err;
    char line[1024];
    size_t rows = 0;
    FILE *f;
    (void)state;
    all_factors(&o, "50");
    assert_int_equal(cym_uncertainty_run(&u, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    assert_int_equal(u->n_scales, 2);
    f = written(u, "mixed", "uncertainty.csv", line, sizeof(line));
    assert_string_equal(line, "country,year,nominal,mean,median,q05,q95,score_nominal,score_mean,"
                              "score_median,score_q05,score_q95,score_note\n");
    while (fgets(line, sizeof(line), f)) {
        /* the rank fields filled, score_nominal filled, the four score statistics empty */
        char *p = line;
        for (int k = 0; k < 8; k++)
            p = strchr(p, ',') + 1;
        assert_true(strncmp(p,
                            ",,,,\"not summarised: the replications' scores are on 2 "
                            "scales ([1, 100]; ranks 1..n)",
                            60) == 0);
        assert_non_null(strstr(p, "ranks 1..n)"));
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, 51);
    cym_uncertainty_free(u);
    /* one scale: no note column */
    set(&o, "alt-normalise", "minmax,percentile");
    assert_int_equal(cym_uncertainty_run(&u, ds, TEST_UNC_OPTIONS(&o, NULL, NULL), &err), CYM_OK);
    f = written(u, "single", "uncertainty.csv", line, sizeof(line));
    assert_string_equal(line, "country,year,nominal,mean,median,q05,q95,score_nominal,score_mean,"
                              "score_median,score_q05,score_q95\n");
    assert_non_null(fgets(line, sizeof(line), f));
    assert_null(strstr(line, "not summarised"));
    assert_null(strstr(line, ",,"));
    fclose(f);
    cym_uncertainty_free(u);
}

static int stop_at_first(void *user, size_t done, size_t total)
{
    (void)total;
    *(size_t *)user = done;
    return 1;
}

static void test_interrupt(void **state)
{
    cym_options o;
    cym_uncertainty *u = (cym_uncertainty *)&o;
    cym_error err;
    size_t done = 0;
    (void)state;
    all_factors(&o, "2000");
    assert_int_equal(cym_uncertainty_run(&u, ds, TEST_UNC_OPTIONS(&o, stop_at_first, &done), &err),
                     CYM_EUSAGE);
    assert_null(u);
    assert_string_equal(err.message, "interrupted");
    assert_true(done > 0 && done < 2000);
}

static void expect_error(cym_options *o, cym_status st, const char *msg)
{
    cym_uncertainty *u = NULL;
    cym_error err;
    assert_int_equal(cym_uncertainty_run(&u, ds, TEST_UNC_OPTIONS(o, NULL, NULL), &err), st);
    assert_null(u);
    if (!strstr(err.message, msg))
        fail_msg("message '%s' lacks '%s'", err.message, msg);
}

static void test_checks(void **state)
{
    cym_options o;
    (void)state;
    cym_options_default(&o);
    expect_error(&o, CYM_EUSAGE, "no uncertain factor");
    set(&o, "weight-noise", "0.2");
    set(&o, "weights", "pca");
    expect_error(&o, CYM_EUSAGE, "weight-noise: PCA weights");
    cym_options_default(&o);
    set(&o, "exclude-one", "on");
    set(&o, "weights", "pca");
    expect_error(&o, CYM_EUSAGE, "exclude-one: PCA");
    cym_options_default(&o);
    set(&o, "weight-noise", "0.2:3"); /* ASEM: indicators 1, pillars 2, sub-indices 3, index 4 */
    assert_int_equal(fw->levels, 4);
    set(&o, "weight-noise", "0.2:4");
    expect_error(&o, CYM_EUSAGE, "level 4 is not below the index");
    /* an alternative the data cannot take fails before any replication, named */
    cym_options_default(&o);
    set(&o, "alt-aggregate", "arithmetic,geometric"); /* min-max onto [0, 100] has zeros */
    expect_error(&o, CYM_EDATA, "alt-aggregate geometric: geometric aggregation of");
    cym_options_default(&o);
    set(&o, "alt-normalise", "minmax,goalposts");
    expect_error(&o, CYM_EUSAGE, "alt-normalise goalposts: goalposts normalisation needs");
    cym_options_default(&o);
    set(&o, "alt-impute", "none,group-mean:NOPE");
    expect_error(&o, CYM_EUSAGE, "alt-impute group-mean:NOPE: imputation by group");
}

static void test_keys(void **state)
{
    static const struct {
        const char *key, *value, *get; /* get "" = the value itself; NULL = refused */
    } cases[] = {
        {"runs", "10000", ""},
        {"runs", "1", NULL},
        {"runs", "ten", NULL},
        {"seed", "0", ""},
        {"seed", "18446744073709551615", ""},
        {"seed", "-1", NULL},
        {"threads", "2", ""},
        {"threads", "-1", NULL},
        {"weight-noise", "0.25", ""},
        {"weight-noise", "0.25:1,2", ""},
        {"weight-noise", "1", NULL},
        {"weight-noise", "-0.1", NULL},
        {"weight-noise", "0.2:", NULL},
        {"weight-noise", "0.2:0", NULL},
        {"weight-noise", "0.2:x", NULL},
        {"alt-normalise", "minmax,zscore:10,2", ""},
        {"alt-normalise", "minmax,zscore:10,2,rank", ""},
        {"alt-normalise", "minmax,,rank", NULL},
        {"alt-normalise", "minmax,minmax", NULL},
        {"alt-normalise", "minmax,nope", NULL},
        {"alt-normalise", "", NULL},
        {"alt-normalise", "a,b,c,d,e,f,g,h,i", NULL},
        {"alt-aggregate", "arithmetic,geometric,power:2", ""},
        {"alt-aggregate", "power:2,power:3", ""},
        {"alt-aggregate", "power:2,power:2", NULL},
        {"alt-aggregate", "arithmetic,nope", NULL},
        {"alt-impute", "none,mean,locf:2,group-mean:Group", ""},
        {"alt-impute", "none,none", NULL},
        {"alt-impute", "sometimes", NULL},
        {"alt-treat", "none,winsorise", ""},
        {"alt-treat", "winsorize", "winsorise"},
        {"alt-treat", "none,none", NULL},
        {"alt-treat", "none,winsorise,none", NULL},
        {"alt-treat", "log", NULL},
        {"exclude-one", "on", ""},
        {"exclude-one", "yes", "on"}, /* a second spelling (issue 16) */
        {"exclude-one", "maybe", NULL},
        {"sobol", "countries", ""},
        {"sobol", "off", ""},
        {"sobol", "maybe", NULL},
        {"keep-runs", "on", ""},
        {"keep-runs", "1", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym_options o, again;
        cym_error err;
        char buf[512], buf2[512];
        cym_status st;
        cym_options_default(&o);
        st = cym_options_set(&o, cases[i].key, cases[i].value, &err);
        if (!cases[i].get) {
            if (st != CYM_EUSAGE)
                fail_msg("%s = '%s' was accepted", cases[i].key, cases[i].value);
            assert_non_null(strstr(err.message, cases[i].key));
            continue;
        }
        if (st != CYM_OK)
            fail_msg("%s = '%s': %s", cases[i].key, cases[i].value, err.message);
        assert_int_equal(cym_options_get(&o, cases[i].key, buf, sizeof(buf)), CYM_OK);
        assert_string_equal(buf, cases[i].get[0] ? cases[i].get : cases[i].value);
        cym_options_default(&again);
        assert_int_equal(cym_options_set(&again, cases[i].key, buf, &err), CYM_OK);
        assert_int_equal(cym_options_get(&again, cases[i].key, buf2, sizeof(buf2)), CYM_OK);
        assert_string_equal(buf, buf2);
    }
    {
        cym_options o;
        cym_options_default(&o);
        set(&o, "alt-normalise", "minmax,zscore:10,2");
        assert_int_equal(o.unc.n_norm, 2);
        assert_int_equal(o.unc.norm[1].method, CYM_NORM_ZSCORE);
        assert_close(o.unc.norm[1].z_mean, 10);
        assert_close(o.unc.norm[1].z_sd, 2);
        assert_int_equal(o.unc.runs, 1000); /* the defaults */
        assert_int_equal(o.unc.seed, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_checks),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_sobol_threads),
        cmocka_unit_test(test_against_kept_runs),
        cmocka_unit_test(test_scale_rule),
        cmocka_unit_test(test_mixed_scales),
        cmocka_unit_test(test_interrupt),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, setup, teardown);
}
