/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Agreement with COINr on its own example data (ASEM: 51 countries, 49 indicators, 4 levels,
 * missing values; and the 2018-2022 panel). The expected scores and ranks in
 * tests/data/asem/expected/ were computed independently in R by tests/data/asem/make_expected.R,
 * a re-implementation of COINr's functions from its source (see tests/data/asem/README.md);
 * they were never produced by cymetrics. Each test imports the tables with
 * cym_import_coinr, runs the whole pipeline, and compares every country x year x node score
 * and rank with |a - b| <= 1e-12 + 1e-9 |b|.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "cymetrics/dataset.h"
#include "cymetrics/import.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"
#include "io/csv.h"

typedef struct compare_ctx {
    const cym_results *r;
    long c_country, c_year, c_code, c_score, c_rank;
    size_t rows, bad;
} compare_ctx;

static int check_num(const char *got_text, double got, const char *want_text)
{
    double want;
    if (!want_text[0])
        return isnan(got);
    want = strtod(want_text, NULL);
    (void)got_text;
    return cym_test_close(got, want, 1e-9);
}

static cym_status compare_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    compare_ctx *c = ctx;
    const cym_results *r = c->r;
    long u, n;
    int year;
    size_t cell;
    (void)err;
    if (row->index == 0) {
        c->c_country = cym__csv_col(row, "country");
        c->c_year = cym__csv_col(row, "year");
        c->c_code = cym__csv_col(row, "code");
        c->c_score = cym__csv_col(row, "score");
        c->c_rank = cym__csv_col(row, "rank");
        return CYM_OK;
    }
    u = cym_dataset_find_unit(r->ds, row->f[c->c_country].text);
    n = cym_framework_find(r->fw, row->f[c->c_code].text);
    year = atoi(row->f[c->c_year].text);
    if (u < 0 || n < 0 || year < r->year0 || year >= r->year0 + (int)r->n_years)
        fail_msg("expected row %s/%d/%s has no counterpart", row->f[c->c_country].text, year,
                 row->f[c->c_code].text);
    cell = cym_results_node_cell(r, (size_t)u, (size_t)(year - r->year0), (size_t)n);
    c->rows++;
    if (!check_num(NULL, r->score[cell], row->f[c->c_score].text) ||
        !check_num(NULL, r->rank[cell], row->f[c->c_rank].text)) {
        if (c->bad++ < 5)
            print_message("%s %d %s: score %.17g rank %g, expected %s and %s\n",
                          row->f[c->c_country].text, year, row->f[c->c_code].text,
                          r->score[cell], r->rank[cell], row->f[c->c_score].text,
                          row->f[c->c_rank].text);
    }
    return CYM_OK;
}

/* Imports iData (+ iMeta), runs with the given overrides, compares with expected/<name>.csv. */
static void run_and_compare(const char *idata, const char *expected, const char *const *kv)
{
    char dir[] = "/tmp/cym-coinr-XXXXXX", path[1024], fwpath[1100], cpath[1100];
    cym_error err;
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *r = NULL;
    cym_dataset_paths p;
    compare_ctx c;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/ds", dir);
    cym_error_clear(&err);
    if (cym_import_coinr(idata, CYM_TEST_DATA "/asem/iMeta.csv", path, "asem", 0, &err) < 0)
        fail_msg("import: %s", err.message);
    cym_options_default(&o);
    for (; kv && kv[0]; kv += 2)
        if (cym_options_set(&o, kv[0], kv[1], &err) < 0)
            fail_msg("option %s: %s", kv[0], err.message);
    snprintf(fwpath, sizeof(fwpath), "%s/framework.csv", path);
    snprintf(cpath, sizeof(cpath), "%s/countries.csv", path);
    if (cym_framework_load(&fw, fwpath, &err) < 0)
        fail_msg("framework: %s", err.message);
    p.countries = cpath;
    p.data = path;
    if (cym_dataset_load(&ds, fw, &p, &err) < 0)
        fail_msg("dataset: %s", err.message);
    if (cym_pipeline_run(&r, ds, &o, &err) < 0)
        fail_msg("pipeline: %s", err.message);
    memset(&c, 0, sizeof(c));
    c.r = r;
    if (cym__csv_read(expected, NULL, compare_row, &c, &err) < 0)
        fail_msg("reading %s: %s", expected, err.message);
    assert_true(c.rows >= 3060);
    if (c.bad)
        fail_msg("%zu of %zu scores or ranks differ from COINr (%s)", c.bad, c.rows, expected);
    cym_results_free(r);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

#define ASEM CYM_TEST_DATA "/asem/iData.csv"
#define EXPECTED(name) CYM_TEST_DATA "/asem/expected/" name ".csv"

static void coinr_default(void **s)
{
    /* COINr: new_coin(ASEM_iData, ASEM_iMeta) |> Normalise() |> Aggregate() */
    static const char *const kv[] = {"denominate", "off", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("default"), kv);
}

static void coinr_denominated(void **s)
{
    /* COINr: Denominate() |> Normalise() |> Aggregate() */
    static const char *const kv[] = {"denominate", "on", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("denominated"), kv);
}

static void coinr_zscore(void **s)
{
    /* COINr: Normalise(global_specs = list(f_n = "n_zscore", f_n_para = list(c(10, 2)))) */
    static const char *const kv[] = {"denominate", "off", "normalise", "zscore:10,2", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("zscore"), kv);
}

static void coinr_geometric(void **s)
{
    /* COINr: Normalise(l_u = c(1, 100)) |> Aggregate(f_ag = "a_gmean") */
    static const char *const kv[] = {"denominate", "off", "range", "1,100", "aggregate",
                                     "geometric", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("geometric"), kv);
}

static void coinr_group_mean_imputation(void **s)
{
    /* COINr: Impute(imtype = "i_mean_grp", use_group = "EurAsia_group") */
    static const char *const kv[] = {"denominate", "off", "impute", "group-mean:EurAsia_group",
                                     NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("imputed"), kv);
}

static void coinr_treated(void **s)
{
    /* COINr: Treat() with the default winsorisation then log_CT */
    static const char *const kv[] = {"denominate", "off", "treat", "winsorise", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("treated"), kv);
}

static void coinr_panel(void **s)
{
    /* COINr purse of ASEM_iData_p, Normalise(global = TRUE): one min and max per indicator */
    static const char *const kv[] = {"denominate", "off", NULL};
    (void)s;
    run_and_compare(CYM_TEST_DATA "/asem/iData_p.csv", EXPECTED("panel"), kv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(coinr_default),
        cmocka_unit_test(coinr_denominated),
        cmocka_unit_test(coinr_zscore),
        cmocka_unit_test(coinr_geometric),
        cmocka_unit_test(coinr_group_mean_imputation),
        cmocka_unit_test(coinr_treated),
        cmocka_unit_test(coinr_panel),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
