/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The trends and comparisons of a whole run, on a dataset small enough to compute by hand
 * (normalise none, arithmetic means, so every score is plain arithmetic on the raw values):
 *
 *   IDX = mean(P1, P2);  P1 = mean(a, b);  P2 = c (d has weight 0: ranked, never counted)
 *
 *          a: 2020 2021 2022   b: 2020 2021 2022   c: 2020 2021 2022   d (every year)
 *   AAA      10   20   30          -   40   50         5    5    5        1
 *   BBB       1    2    3          4    5    6         7    8    9        1
 *   CCC       3    -    9          1    1    1         2    4    6        1
 *
 * countries.csv: AAA and BBB in group G1, CCC in G2.
 *
 * Scores as the run computes them (basis all):
 *   AAA P1 10, 30, 40; IDX 7.5, 17.5, 22.5
 *   BBB P1 2.5, 3.5, 4.5; IDX 4.75, 5.75, 6.75
 *   CCC P1 2, 1, 5; IDX 2, 2.5, 5.5
 * Common basis (each pair of years on the indicators present in both, per country):
 *   AAA 2020-2021 without b: P1 10 -> 20, IDX 7.5 -> 12.5; 2021-2022 all: IDX 17.5 -> 22.5;
 *       chain-linked IDX 7.5, 12.5, 17.5
 *   CCC 2020-2021 without a: P1 1 -> 1, IDX 1.5 -> 2.5; 2021-2022 without a: IDX 2.5 -> 3.5;
 *       chain-linked IDX 2, 3, 4; a itself: 2020 -> 2022 (a gap year), change 6.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/options.h"
#include "cymetrics/compare.h"
#include "cymetrics/trend.h"

static const char *put(const char *dir, const char *name, const char *text)
{
    static char paths[16][600];
    static int slot;
    char *p = paths[slot++ % 16];
    FILE *f;
    snprintf(p, 600, "%s/%s", dir, name);
    f = fopen(p, "wb");
    if (!f)
        fail_msg("cannot write %s", p);
    fputs(text, f);
    fclose(f);
    return p;
}

typedef struct fx {
    char dir[256];
    cym_framework *fw;
    cym_dataset *ds;
    cym_results *r;
    cym_options o;
} fx;

static fx F;

static int setup(void **state)
{
    cym_error err;
    cym_dataset_paths p;
    (void)state;
    if (!cym_test_tempdir(F.dir, sizeof(F.dir), "cymcmp"))
        return -1;
    put(F.dir, "framework.csv",
        "code,name,parent,weight,direction\n"
        "IDX,Index,,1,\nP1,One,IDX,1,\nP2,Two,IDX,1,\n"
        "a,A,P1,1,+\nb,B,P1,1,+\nc,C,P2,1,+\nd,D,P2,0,+\n");
    put(F.dir, "countries.csv", "code,name,group\nAAA,Aland,G1\nBBB,Bland,G1\nCCC,Cland,G2\n");
    put(F.dir, "AAA.csv",
        "indicator,year,value\na,2020,10\na,2021,20\na,2022,30\nb,2021,40\nb,2022,50\n"
        "c,2020,5\nc,2021,5\nc,2022,5\nd,2020,1\nd,2021,1\nd,2022,1\n");
    put(F.dir, "BBB.csv",
        "indicator,year,value\na,2020,1\na,2021,2\na,2022,3\nb,2020,4\nb,2021,5\nb,2022,6\n"
        "c,2020,7\nc,2021,8\nc,2022,9\nd,2020,1\nd,2021,1\nd,2022,1\n");
    put(F.dir, "CCC.csv",
        "indicator,year,value\na,2020,3\na,2022,9\nb,2020,1\nb,2021,1\nb,2022,1\n"
        "c,2020,2\nc,2021,4\nc,2022,6\nd,2020,1\nd,2021,1\nd,2022,1\n");
    {
        char fwp[300], cp[300];
        snprintf(fwp, sizeof(fwp), "%s/framework.csv", F.dir);
        snprintf(cp, sizeof(cp), "%s/countries.csv", F.dir);
        p.countries = cp;
        p.data = F.dir;
        if (cym_framework_load(&F.fw, fwp, &err) < 0 || cym_dataset_load(&F.ds, F.fw, &p, NULL, &err) < 0)
            return -1;
    }
    cym_options_default(&F.o);
    if (cym_options_set(&F.o, "normalise", "none", &err) < 0 ||
        cym_options_set(&F.o, "strengths-n", "1", &err) < 0 ||
        cym_pipeline_run(&F.r, F.ds, &F.o.run, &err) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cym_results_free(F.r);
    cym_dataset_free(F.ds);
    cym_framework_free(F.fw);
    return 0;
}

static size_t node(const char *code)
{
    long n = cym_framework_find(F.fw, code);
    if (n < 0)
        fail_msg("no node %s", code);
    return (size_t)n;
}

static long row_of(const cym_trends *tr, const char *label)
{
    for (size_t u = 0; u < F.r->n_units; u++)
        if (strcmp(F.r->ds->units[u].code, label) == 0)
            return (long)u;
    for (size_t g = 0; g < tr->n_groups; g++)
        if (strcmp(tr->labels[g], label) == 0)
            return (long)(F.r->n_units + g);
    fail_msg("no row %s", label);
    return -1;
}

static double series(const cym_trends *tr, const char *label, int year, const char *code)
{
    return cym_trends_row(tr, (size_t)row_of(tr, label))[cym_trends_cell(
        tr, 0, (size_t)(year - 2020), node(code))];
}

static const cym_trend_stats *stats(const cym_trends *tr, const char *label, const char *code)
{
    return &tr->stats[(size_t)row_of(tr, label) * F.r->n_nodes + node(code)];
}

/* The run's scores are as computed by hand in the header. */
static void test_fixture(void **state)
{
    (void)state;
    assert_close(F.r->score[cym_cube_cell(&F.r->node_cube, 0, 0, node("IDX"))], 7.5);
    assert_close(F.r->score[cym_cube_cell(&F.r->node_cube, 2, 1, node("P1"))], 1.0);
    assert_close(F.r->score[cym_cube_cell(&F.r->node_cube, 2, 2, node("IDX"))], 5.5);
}

/*
 * Group rows: labels in order, mean and median per year.
 *   group=G1:mean IDX 2020 = (7.5 + 4.75)/2 = 6.125; G2 = CCC alone = 2;
 *   all:mean IDX 2022 = (22.5 + 6.75 + 5.5)/3 = 11.583333333333334;
 *   all:median IDX 2020 = median(7.5, 4.75, 2) = 4.75;
 *   all:mean a 2021 = (20 + 2)/2 = 11 (CCC has no a in 2021: left out).
 * Trend of all:mean IDX: years 2020-2022, y = 4.75, 8.583333, 11.583333 (Python:
 *   stats.linregress([2020,2021,2022],[4.75,(17.5+5.75+2.5)/3,(22.5+6.75+5.5)/3]).slope
 *   = 3.416666666666666).
 */
static void test_groups(void **state)
{
    cym_trends *tr = NULL;
    cym_error err;
    (void)state;
    assert_int_equal(cym_trends_compute(&tr, F.r, &F.o.trend, &err), CYM_OK);
    assert_int_equal(tr->n_groups, 6);
    assert_string_equal(tr->labels[0], "group=G1:mean");
    assert_string_equal(tr->labels[1], "group=G1:median");
    assert_string_equal(tr->labels[2], "group=G2:mean");
    assert_string_equal(tr->labels[4], "all:mean");
    assert_string_equal(tr->labels[5], "all:median");
    assert_close(series(tr, "group=G1:mean", 2020, "IDX"), 6.125);
    assert_close(series(tr, "group=G1:median", 2020, "IDX"), 6.125);
    assert_close(series(tr, "group=G2:mean", 2020, "IDX"), 2.0);
    assert_close(series(tr, "all:mean", 2022, "IDX"), 11.583333333333334);
    assert_close(series(tr, "all:median", 2020, "IDX"), 4.75);
    assert_close(series(tr, "all:mean", 2021, "a"), 11.0);
    assert_close(stats(tr, "all:mean", "IDX")->ols.slope, 3.416666666666666);
    assert_int_equal(stats(tr, "all:mean", "IDX")->n, 3);
    /* a country's trend is the run's series: AAA IDX 7.5, 17.5, 22.5, slope 7.5 */
    assert_close(stats(tr, "AAA", "IDX")->ols.slope, 7.5);
    assert_close(stats(tr, "AAA", "IDX")->change, 15.0);
    /* a gap year: CCC a has 2 points, 2020 and 2022: change 6, theil-sen 3 */
    assert_int_equal(stats(tr, "CCC", "a")->n, 2);
    assert_close(stats(tr, "CCC", "a")->theil_sen, 3.0);
    assert_true(tr->pair_cur == NULL);
    assert_int_equal(tr->warnings.count, 0);
    cym_trends_free(tr);
}

/* The common basis: the pairs and the chain-linked series of the header. */
static void test_common_basis(void **state)
{
    cym_trends *tr = NULL;
    cym_options o = F.o;
    cym_error err;
    size_t idx = node("IDX"), p1 = node("P1"), a = node("a");
    (void)state;
    o.trend.basis = CYM_TREND_BASIS_COMMON;
    assert_int_equal(cym_trends_compute(&tr, F.r, &o.trend, &err), CYM_OK);
    assert_non_null(tr->pair_cur);
    /* AAA 2020 -> 2021 without b */
    assert_close(tr->pair_prev[cym_trends_cell(tr, 0, 1, p1)], 10.0);
    assert_close(tr->pair_cur[cym_trends_cell(tr, 0, 1, p1)], 20.0);
    assert_close(tr->pair_prev[cym_trends_cell(tr, 0, 1, idx)], 7.5);
    assert_close(tr->pair_cur[cym_trends_cell(tr, 0, 1, idx)], 12.5);
    /* AAA 2021 -> 2022 on everything: the run's scores */
    assert_close(tr->pair_prev[cym_trends_cell(tr, 0, 2, idx)], 17.5);
    assert_close(tr->pair_cur[cym_trends_cell(tr, 0, 2, idx)], 22.5);
    assert_close(series(tr, "AAA", 2020, "IDX"), 7.5);
    assert_close(series(tr, "AAA", 2021, "IDX"), 12.5);
    assert_close(series(tr, "AAA", 2022, "IDX"), 17.5);
    /* BBB has every indicator every year: identical to the run */
    for (int y = 2020; y <= 2022; y++)
        assert_close(series(tr, "BBB", y, "IDX"),
                     F.r->score[cym_cube_cell(&F.r->node_cube, 1, (size_t)(y - 2020), idx)]);
    /* CCC without a */
    assert_close(tr->pair_prev[cym_trends_cell(tr, 2, 1, idx)], 1.5);
    assert_close(tr->pair_cur[cym_trends_cell(tr, 2, 1, idx)], 2.5);
    assert_close(tr->pair_prev[cym_trends_cell(tr, 2, 2, idx)], 2.5);
    assert_close(tr->pair_cur[cym_trends_cell(tr, 2, 2, idx)], 3.5);
    assert_close(series(tr, "CCC", 2021, "IDX"), 3.0);
    assert_close(series(tr, "CCC", 2022, "IDX"), 4.0);
    assert_close(series(tr, "CCC", 2022, "P1"), 2.0);
    /* CCC a: one pair 2020 -> 2022 over the gap; no pair ends in 2021 */
    assert_close(tr->pair_prev[cym_trends_cell(tr, 2, 2, a)], 3.0);
    assert_close(tr->pair_cur[cym_trends_cell(tr, 2, 2, a)], 9.0);
    assert_true(isnan(tr->pair_cur[cym_trends_cell(tr, 2, 1, a)]));
    /* the groups average the chain-linked series: all:mean IDX 2022 = (17.5+6.75+4)/3 */
    assert_close(series(tr, "all:mean", 2022, "IDX"), 9.4166666666666661);
    cym_trends_free(tr);
}

/* Per-year normalisation is warned about. */
static void test_scope_warning(void **state)
{
    cym_results *r = NULL;
    cym_trends *tr = NULL;
    cym_options o = F.o;
    cym_error err;
    (void)state;
    assert_null(cym_trend_scope_warning(F.r));
    assert_int_equal(cym_options_set(&o, "scope", "year", &err), CYM_OK);
    assert_int_equal(cym_pipeline_run(&r, F.ds, &o.run, &err), CYM_OK);
    assert_non_null(cym_trend_scope_warning(r));
    assert_int_equal(cym_trends_compute(&tr, r, &o.trend, &err), CYM_OK);
    assert_int_equal(tr->warnings.count, 1);
    assert_non_null(strstr(tr->warnings.lines[0], "--scope year"));
    cym_trends_free(tr);
    cym_results_free(r);
}

/*
 * Percentile among the values present: 100 * (values strictly lower) / (m - 1).
 * {22.5, 6.75, 5.5} -> 100, 50, 0; ties share the lower position: {1, 3, 3, NaN, 7} ->
 * 0, 33.33, 33.33, NaN, 100 (m = 4, 3 intervals); a single value has none.
 */
static void test_percentile(void **state)
{
    static const double x[3] = {22.5, 6.75, 5.5}, y[5] = {1, 3, 3, NAN, 7}, z[2] = {4, NAN};
    double out[5];
    (void)state;
    cym_compare_percentile(out, x, 3);
    assert_close(out[0], 100);
    assert_close(out[1], 50);
    assert_close(out[2], 0);
    cym_compare_percentile(out, y, 5);
    assert_close(out[0], 0);
    assert_close(out[1], 100.0 / 3);
    assert_close(out[2], 100.0 / 3);
    assert_true(isnan(out[3]));
    assert_close(out[4], 100);
    cym_compare_percentile(out, z, 2);
    assert_true(isnan(out[0]) && isnan(out[1]));
}

/*
 * The percentile against a count by hand, on columns sorted by insertion (up to 64 values)
 * and by qsort (more): values drawn from a few levels so that many tie, 0 and -0 among them
 * (equal, so each is strictly below neither), and NaN here and there.
 */
static void test_percentile_counted(void **state)
{
    static const double level[6] = {-0.0, 0.0, 2.5, -1.25, 7, 1e-300};
    static const size_t sizes[4] = {2, 51, 64, 130};
    unsigned long long s = 7;
    double x[130], out[130];
    (void)state;
    for (size_t k = 0; k < 4; k++) {
        size_t n = sizes[k], m = 0;
        for (size_t i = 0; i < n; i++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            x[i] = (s >> 60) < 2 ? NAN : level[(s >> 33) % 6];
            m += !isnan(x[i]);
        }
        cym_compare_percentile(out, x, n);
        for (size_t i = 0; i < n; i++) {
            size_t below = 0;
            if (isnan(x[i]) || m < 2) {
                assert_true(isnan(out[i]));
                continue;
            }
            for (size_t j = 0; j < n; j++)
                below += !isnan(x[j]) && x[j] < x[i];
            assert_true(out[i] == 100.0 * (double)below / (double)(m - 1));
        }
    }
}

/*
 * Strengths and weaknesses in 2022. Ranks: a AAA 1, CCC 2, BBB 3; b AAA 1, BBB 2, CCC 3;
 * c BBB 1, CCC 2, AAA 3; d all tied (rank 1, 3 of 3 countries share it: skipped).
 * AAA with N = 1: strength a (rank 1, before b in framework order), weakness c (rank 3).
 * With N = 3 the three untied indicators are all strengths (a, b, c) and none is left to be
 * a weakness: an indicator is never both.
 */
static void test_strengths(void **state)
{
    size_t s[3], w[3], ns, nw;
    cym_compare_ties *ties = NULL;
    (void)state;
    assert_int_equal(cym_compare_ties_count(&ties, F.r, 2, NULL), CYM_OK);
    cym_compare_strengths(s, &ns, w, &nw, ties, 0, 1);
    assert_int_equal(ns, 1);
    assert_int_equal(nw, 1);
    assert_int_equal(s[0], node("a"));
    assert_int_equal(w[0], node("c"));
    cym_compare_strengths(s, &ns, w, &nw, ties, 0, 3);
    assert_int_equal(ns, 3);
    assert_int_equal(s[0], node("a"));
    assert_int_equal(s[1], node("b"));
    assert_int_equal(s[2], node("c"));
    assert_int_equal(nw, 0);
    /* BBB: c (1) best, a (3) worst */
    cym_compare_strengths(s, &ns, w, &nw, ties, 1, 1);
    assert_int_equal(s[0], node("c"));
    assert_int_equal(w[0], node("a"));
    cym_compare_ties_free(ties);
}

/* Unknown and repeated codes: the message lists the codes of the dataset. */
static void test_find_units(void **state)
{
    const char *ok[2] = {"CCC", "AAA"}, *bad[2] = {"AAA", "XYZ"}, *twice[2] = {"BBB", "BBB"};
    size_t idx[2];
    cym_error err;
    (void)state;
    assert_int_equal(cym_compare_find_units(idx, F.ds, ok, 2, &err), CYM_OK);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 0);
    assert_int_equal(cym_compare_find_units(idx, F.ds, bad, 2, &err), CYM_EUSAGE);
    assert_string_equal(err.message, "unknown country 'XYZ' (the dataset has AAA, BBB, CCC)");
    assert_int_equal(cym_compare_find_units(idx, F.ds, twice, 2, &err), CYM_EUSAGE);
    assert_string_equal(err.message, "country 'BBB' is named twice");
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 1 << 16);
    if (!f || !buf)
        fail_msg("cannot read %s", path);
    if (fread(buf, 1, (1 << 16) - 1, f) == 0)
        buf[0] = '\0';
    fclose(f);
    return buf;
}

/*
 * The tables of a run: compare.csv (IDX 2022: AAA 22.5, BBB 6.75, CCC 5.5; G1 mean
 * (22.5 + 6.75)/2 = 14.625; leader AAA), strengths.csv, yoy.csv (CCC a over the gap year,
 * ranks), trends.csv rows.
 */
static void test_tables(void **state)
{
    char out[300], path[400];
    char *text, *num;
    cym_warnings w = {0};
    cym_error err;
    cym_trend_spec spec = F.o.trend;
    (void)state;
    spec.yoy = 1; /* yoy.csv only on request */
    snprintf(out, sizeof(out), "%s/out", F.dir);
    assert_int_equal(cym_trends_write(F.r, &spec, out, &w, &err), CYM_OK);
    assert_int_equal(w.count, 0);
    snprintf(path, sizeof(path), "%s/compare.csv", out);
    text = slurp(path);
    assert_non_null(strstr(text, "country,code,level,year,score,rank,group,group_mean,"
                                 "gap_to_group_mean,leader,leader_score,gap_to_leader,"
                                 "percentile\n"
                                 "AAA,IDX,3,2022,22.5,1,group=G1,14.625,7.875,AAA,22.5,0,100\n"
                                 "BBB,IDX,3,2022,6.75,2,group=G1,14.625,-7.875,AAA,22.5,-15.75,"
                                 "50\n"
                                 "CCC,IDX,3,2022,5.5,3,group=G2,5.5,0,AAA,22.5,-17,0\n"));
    free(text);
    snprintf(path, sizeof(path), "%s/strengths.csv", out);
    text = slurp(path);
    assert_string_equal(text, "country,year,kind,position,indicator,pillar,score,rank,ranked,"
                              "tied\n"
                              "AAA,2022,strength,1,a,P1,30,1,3,1\n"
                              "AAA,2022,weakness,1,c,P2,5,3,3,1\n"
                              "BBB,2022,strength,1,c,P2,9,1,3,1\n"
                              "BBB,2022,weakness,1,a,P1,3,3,3,1\n"
                              "CCC,2022,strength,1,a,P1,9,2,3,1\n"
                              "CCC,2022,weakness,1,b,P1,1,3,3,1\n");
    free(text);
    snprintf(path, sizeof(path), "%s/yoy.csv", out);
    text = slurp(path);
    assert_non_null(strstr(text, "CCC,a,2022,9,2020,3,6,200,2,2,0,all\n"));
    assert_non_null(strstr(text, "AAA,IDX,2021,17.5,2020,7.5,10,133.33333333333331,1,1,0,all\n"));
    assert_non_null(strstr(text, "all:mean,IDX,2021,"));
    assert_null(strstr(text, "CCC,a,2021,"));
    free(text);
    snprintf(path, sizeof(path), "%s/trends.csv", out);
    text = slurp(path);
    assert_non_null(strstr(text, ",change,cagr_pct,prc_change,"));
    /* cagr_pct in percent like pct_change: (22.5 / 7.5)^(1/2) - 1 = 0.7320508075688772, so
       73.20508075688772 (Python: (3**0.5 - 1) * 100) */
    num = strstr(text, "\nAAA,IDX,2020,2022,3,7.5,22.5,15,");
    assert_non_null(num);
    assert_true(fabs(strtod(num + strlen("\nAAA,IDX,2020,2022,3,7.5,22.5,15,"), NULL) -
                     73.20508075688772) < 1e-12);
    assert_non_null(strstr(text, ",improving,all\n") || strstr(text, ",no significant trend,all\n"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),      cmocka_unit_test(test_groups),
        cmocka_unit_test(test_common_basis), cmocka_unit_test(test_scope_warning),
        cmocka_unit_test(test_percentile),   cmocka_unit_test(test_percentile_counted),
        cmocka_unit_test(test_strengths),    cmocka_unit_test(test_find_units),
        cmocka_unit_test(test_tables),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, setup, teardown);
}
