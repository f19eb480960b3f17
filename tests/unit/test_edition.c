/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Framework editions (src/edition, src/config/edition_options.c): year ranges and their
 * errors, the crosswalk file and its errors, and crosswalk scoring on the bundled two-edition
 * example (tests/data/editions, README.md there). Expected numbers are hand arithmetic,
 * written next to each (the same as tests/data/editions/expected.py).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cymetrics/options.h"
#include "cymetrics/edition.h"

static void test_ranges(void **state)
{
    cym_options o;
    cym_error err;
    (void)state;
    cym_options_default(&o);
    assert_int_equal(cym_options_set(&o, "edition", "2020-=b.csv", &err), CYM_OK);
    assert_int_equal(cym_options_set(&o, "edition", "2017-2019=a.csv", &err), CYM_OK);
    /* 2019 is in 2017-2019 already */
    assert_int_equal(cym_options_set(&o, "edition", "2019=c.csv", &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "overlap the edition 2017-2019"));
    /* an open start overlaps everything before 2020 */
    assert_int_equal(cym_options_set(&o, "edition", "-2016=c.csv", &err), CYM_OK);
    assert_int_equal(cym_options_set(&o, "edition", "-2010=c.csv", &err), CYM_EUSAGE);
    assert_int_equal(cym_options_set(&o, "edition", "2019-2017=c.csv", &err), CYM_EUSAGE);
    assert_int_equal(cym_options_set(&o, "edition", "abc=c.csv", &err), CYM_EUSAGE);
    assert_int_equal(cym_options_set(&o, "edition", "2030", &err), CYM_EUSAGE);
    /* sorted by year, contiguous: -2016, 2017-2019, 2020- */
    assert_int_equal(cym_edition_spec_check(&o.edition, &err), CYM_OK);
    assert_int_equal(o.edition.ed[0].year_to, 2016);
    assert_int_equal(o.edition.ed[1].year_from, 2017);
    assert_int_equal(o.edition.ed[2].year_from, 2020);
    assert_int_equal(o.edition.ed[2].year_to, 0);
    /* a gap */
    cym_options_default(&o);
    assert_int_equal(cym_options_set(&o, "edition", "2017-2018=a.csv", &err), CYM_OK);
    assert_int_equal(cym_options_set(&o, "edition", "2020-=b.csv", &err), CYM_OK);
    assert_int_equal(cym_edition_spec_check(&o.edition, &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "no edition covers 2019-2019"));
    /* the other keys */
    assert_int_equal(cym_options_set(&o, "across-editions", "rebased", &err), CYM_OK);
    assert_int_equal(o.edition.across, CYM_ACROSS_REBASED);
    assert_int_equal(cym_options_set(&o, "across-editions", "chain", &err), CYM_EUSAGE);
    assert_int_equal(cym_options_set(&o, "check-tolerance", "-1", &err), CYM_EUSAGE);
    assert_int_equal(cym_options_set(&o, "check-total", "PUB:", &err), CYM_EUSAGE);
    assert_int_equal(cym_options_set(&o, "check-total", "PUB,LEG.PUB:LEG", &err), CYM_OK);
}

static void test_ini(void **state)
{
    cym_options o;
    cym_error err;
    const char *p;
    (void)state;
    cym_options_default(&o);
    p = cym_test_write_temp("ed1.ini", "[framework]\n2017-2019 = a.csv\n2018- = b.csv\n");
    assert_int_equal(cym_options_load_ini(&o, p, &err), CYM_EUSAGE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "overlap the edition 2017-2019"));
    cym_options_default(&o);
    p = cym_test_write_temp("ed2.ini", "[framework]\nversion = 2\n");
    assert_int_equal(cym_options_load_ini(&o, p, &err), CYM_EUSAGE);
    assert_int_equal(err.line, 2);
    cym_options_default(&o);
    p = cym_test_write_temp("ed3.ini", "[run]\ncrosswalk = c.csv\n");
    assert_int_equal(cym_options_load_ini(&o, p, &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "belongs in section [framework]"));
    cym_options_default(&o);
    p = cym_test_write_temp("ed4.ini", "[framework]\n2020- = x.csv\ncrosswalk = c.csv\n"
                                       "[trends]\nacross-editions = percentile\n");
    assert_int_equal(cym_options_load_ini(&o, p, &err), CYM_OK);
    assert_int_equal(o.edition.n, 1);
    assert_int_equal(o.edition.across, CYM_ACROSS_PERCENTILE);
    /* paths relative to the INI's folder */
    assert_non_null(strstr(o.edition.crosswalk, "/c.csv"));
    assert_non_null(strstr(o.edition.ed[0].path, "/x.csv"));
}

static void test_crosswalk_file(void **state)
{
    static const struct {
        const char *text;
        unsigned long line, col;
        const char *what;
    } bad[] = {
        {"old_code,new_code,factor\nA,B,0\n", 2, 5, "not a number > 0"},
        {"old_code,new_code,factor\nA,B,x\n", 2, 5, "not a number > 0"},
        {"old_code,new_code,factor\nA,B,nan\n", 2, 5, "not a number > 0"},
        {"old_code,new_code,factor\nA,,2\n", 2, 4, "has no new code"},
        {"old_code,new_code,factor\nA,B\nA,C\n", 3, 1, "appears twice"},
        {"old_code,factor\nA,1\n", 1, 1, "missing required column 'new_code'"},
        {"old_code,new_code,weight\n", 1, 19, "unknown column 'weight'"},
        {"old_code,new_code,factor\nA B,C\n", 2, 1, "invalid old code"},
    };
    cym_crosswalk *cw;
    cym_error err;
    const char *p;
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        p = cym_test_write_temp("cw.csv", bad[i].text);
        assert_int_equal(cym_crosswalk_load(&cw, p, &err), CYM_EDATA);
        assert_null(cw);
        if (err.line != bad[i].line || err.column != bad[i].col || !strstr(err.message, bad[i].what))
            fail_msg("case %zu: %lu:%lu: %s", i, err.line, err.column, err.message);
    }
    p = cym_test_write_temp("cw.csv", "old_code,new_code,factor\nA,B,100\nC,\nD,E\n");
    assert_int_equal(cym_crosswalk_load(&cw, p, &err), CYM_OK);
    assert_int_equal(cw->n, 3);
    assert_string_equal(cw->e[0].new_code, "B");
    assert_close(cw->e[0].factor, 100.0);
    assert_null(cw->e[1].new_code);
    assert_close(cw->e[2].factor, 1.0); /* no factor: 1 */
    cym_crosswalk_free(cw);
}

static void load_example(cym_editions **e, cym_options *o, int across, const char *cw)
{
    cym_error err;
    char path[4096];
    cym_options_default(o);
    snprintf(path, sizeof(path), "%s/editions/cymetrics.ini", CYM_TEST_DATA);
    assert_int_equal(cym_options_load_ini(o, path, &err), CYM_OK);
    o->edition.across = across;
    if (cw)
        snprintf(o->edition.crosswalk, sizeof(o->edition.crosswalk), "%s", cw);
    if (cym_editions_load(e, TEST_EDITIONS_OPTIONS(o), &err) < 0)
        fail_msg("%s:%lu: %s", err.file, err.line, err.message);
    if (cym_editions_run(*e, &err) < 0)
        fail_msg("%s", err.message);
}

static void test_crosswalk_scoring(void **state)
{
    cym_editions *e;
    cym_options o;
    (void)state;
    load_example(&e, &o, CYM_ACROSS_COMMON, NULL);
    assert_int_equal(e->n, 2);
    assert_int_equal(e->year0, 2017);
    assert_int_equal(e->n_years, 6);
    assert_int_equal(e->n_breaks, 1);
    assert_int_equal(e->break_years[0], 2020);
    /* common: L.LAW, T.CIRT (<- T.CERT x 2), T.PATCH (x 100); L.STRAT new, L.REG dropped */
    assert_int_equal(e->n_common, 3);
    /* maxima: v1 (2 + 1) + (1 + 1) = 5; v2 (2 + 1) + (2 + 0.02 x 100) = 7 */
    assert_close(e->ed[0].max_score, 5.0);
    assert_close(e->ed[1].max_score, 7.0);
    /* AAA 2018 (v1: LAW 1, REG 1, CERT 1, PATCH 0.6): own (2 + 1) + (1 + 0.6) = 4.6;
       common 2 x 1 + 2 x 1 + 0.02 x 60 = 5.2 */
    assert_close(e->own[0 * 6 + 1], 4.6);
    assert_close(e->basis[0 * 6 + 1], 5.2);
    /* BBB 2019 (LAW 1, CERT 1, PATCH 0.4): common 2 + 2 + 0.02 x 40 = 4.8;
       BBB 2020 (v2: LAW 1, CIRT 1, PATCH 50): common 2 + 1 + 1 = 4 (own 2 + 0 + 1 + 1 = 4) */
    assert_close(e->basis[1 * 6 + 2], 4.8);
    assert_close(e->basis[1 * 6 + 3], 4.0);
    assert_close(e->own[1 * 6 + 3], 4.0);
    /* CCC 2017 (LAW 0, CERT 0, PATCH 0.1): common 0.02 x 10 = 0.2, own REG 1 + 0.1 = 1.1 */
    assert_close(e->basis[2 * 6 + 0], 0.2);
    assert_close(e->own[2 * 6 + 0], 1.1);
    /* node series, [node][unit][year] over v2's 7 nodes (GCI LEG TEC L.LAW L.STRAT T.CIRT
       T.PATCH) x 3 countries x 6 years. The root's slice is the index's; L.STRAT has no common
       indicator: off the basis. TEC AAA 2018 on the common basis: 2 x 1 + 0.02 x 60 = 3.2
       (own v1 TEC 1 + 0.6 = 1.6); T.CIRT AAA 2018: the v1 T.CERT 1 x 2 = 2 (own 1) */
    assert_int_equal(e->n_nodes, 7);
    assert_int_equal(e->node_on[4], 0);
    assert_int_equal(e->node_on[2], 1);
    assert_close(e->node_basis[(0 * 3 + 0) * 6 + 1], 5.2);
    assert_close(e->node_basis[(2 * 3 + 0) * 6 + 1], 3.2);
    assert_close(e->node_own[(2 * 3 + 0) * 6 + 1], 1.6);
    assert_close(e->node_basis[(5 * 3 + 0) * 6 + 1], 2.0);
    assert_close(e->node_own[(5 * 3 + 0) * 6 + 1], 1.0);
    cym_editions_free(e);

    load_example(&e, &o, CYM_ACROSS_REBASED, NULL);
    /* AAA 2018: 4.6 / 5 x 100 = 92; AAA 2020: (3 + 2 + 1.7) / 7 x 100 = 95.714285... */
    assert_close(e->basis[0 * 6 + 1], 92.0);
    assert_close(e->basis[0 * 6 + 3], 6.7 / 7.0 * 100.0);
    /* TEC AAA 2018: 1.6 / 2 x 100 = 80; TEC AAA 2020 (CIRT 2, PATCH 85): 3.7 / 4 x 100 = 92.5;
       T.PATCH AAA 2018: 0.6 / 1 x 100 = 60; L.STRAT in 2017 (v1 has none): missing */
    assert_close(e->node_basis[(2 * 3 + 0) * 6 + 1], 80.0);
    assert_close(e->node_basis[(2 * 3 + 0) * 6 + 3], 92.5);
    assert_close(e->node_basis[(6 * 3 + 0) * 6 + 1], 60.0);
    assert_true(isnan(e->node_basis[(4 * 3 + 0) * 6 + 0]));
    assert_true(isnan(e->node_own[(4 * 3 + 0) * 6 + 0]));
    cym_editions_free(e);

    load_example(&e, &o, CYM_ACROSS_PERCENTILE, NULL);
    /* 2020 own: AAA 6.7, BBB 4.0, CCC 0.4: ranks from the lowest 3, 2, 1 -> 100, 50, 0 */
    assert_close(e->basis[0 * 6 + 3], 100.0);
    assert_close(e->basis[1 * 6 + 3], 50.0);
    assert_close(e->basis[2 * 6 + 3], 0.0);
    cym_editions_free(e);
}

static void test_crosswalk_against_editions(void **state)
{
    static const struct {
        const char *text;
        unsigned long line, col;
        const char *what;
    } bad[] = {
        {"old_code,new_code,factor\nT.CERTS,T.CIRT,2\n", 2, 1, "did you mean 'T.CERT'"},
        {"old_code,new_code,factor\nT.CERT,TEC,2\n", 2, 8, "is an aggregate"},
        {"old_code,new_code,factor\nL.STRAT,L.LAW,1\n", 2, 1, "not an indicator of any edition"},
        /* L.REG and L.LAW both become L.LAW */
        {"old_code,new_code,factor\nL.REG,L.LAW,1\n", 2, 7, "both become 'L.LAW'"},
    };
    cym_options o;
    cym_editions *e;
    cym_error err;
    char path[4096];
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        cym_options_default(&o);
        snprintf(path, sizeof(path), "%s/editions/cymetrics.ini", CYM_TEST_DATA);
        assert_int_equal(cym_options_load_ini(&o, path, &err), CYM_OK);
        snprintf(o.edition.crosswalk, sizeof(o.edition.crosswalk), "%s",
                 cym_test_write_temp("cw2.csv", bad[i].text));
        assert_int_equal(cym_editions_load(&e, TEST_EDITIONS_OPTIONS(&o), &err), CYM_EDATA);
        assert_null(e);
        if (err.line != bad[i].line || err.column != bad[i].col || !strstr(err.message, bad[i].what))
            fail_msg("case %zu: %lu:%lu: %s", i, err.line, err.column, err.message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_ini),
        cmocka_unit_test(test_crosswalk_file),
        cmocka_unit_test(test_crosswalk_scoring),
        cmocka_unit_test(test_crosswalk_against_editions),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
