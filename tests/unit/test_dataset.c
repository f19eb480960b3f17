/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dataset loader (src/dataset/dataset.c): values land in the cell of their country, year and
 * series; the year range follows the data whatever order the years come in; the long, wide
 * and combined forms of the same numbers give the same cube. Expected values are the numbers
 * written into the files of each test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "cymetrics/dataset.h"
#include "cymetrics/pipeline.h"

static const char *const FW = "code,parent,scale,denominator\n"
                              "IDX,,,\n"
                              "P,IDX,,\n"
                              "a,P,binary,\n"
                              "b,P,ordinal:3,\n"
                              "c,IDX,,POP\n";

/* A fresh folder per dataset, so that the data folder holds only what the test puts there. */
static const char *new_dir(void)
{
    static char dirs[16][512];
    static int slot;
    char *d = dirs[slot++ % 16];
    if (!cym_test_tempdir(d, 512, "cymds"))
        fail_msg("mkdtemp failed");
    return d;
}

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

typedef struct fixture {
    cym_framework *fw;
    cym_dataset *ds;
    cym_error err;
} fixture;

static cym_status load_with(fixture *x, const char *fw_text, const char *countries,
                            const char *data, const cym_dataset_options *opts)
{
    cym_dataset_paths paths;
    const char *dir = new_dir();
    x->fw = NULL;
    x->ds = NULL;
    cym_error_clear(&x->err);
    if (cym_framework_load(&x->fw, put(dir, "framework.csv", fw_text), &x->err) < 0)
        fail_msg("framework: %s", x->err.message);
    paths.countries = countries;
    paths.data = data;
    return cym_dataset_load(&x->ds, x->fw, &paths, opts, &x->err);
}

static cym_status load(fixture *x, const char *fw_text, const char *countries, const char *data)
{
    return load_with(x, fw_text, countries, data, NULL);
}

static void fixture_free(fixture *x)
{
    cym_dataset_free(x->ds);
    cym_framework_free(x->fw);
}

static double value(const cym_dataset *ds, const char *unit, int year, const char *series)
{
    long u = cym_dataset_find_unit(ds, unit), s = cym_dataset_find_series(ds, series);
    if (u < 0 || s < 0)
        fail_msg("no unit %s or series %s", unit, series);
    if (year < ds->year0 || year >= ds->year0 + (int)ds->n_years)
        fail_msg("year %d outside %d+%zu", year, ds->year0, ds->n_years);
    return ds->values[cym_dataset_cell(ds, (size_t)u, (size_t)(year - ds->year0), (size_t)s)];
}

static unsigned long line_of(const cym_dataset *ds, const char *unit, int year, const char *series)
{
    long u = cym_dataset_find_unit(ds, unit), s = cym_dataset_find_series(ds, series);
    return ds->lines[cym_dataset_cell(ds, (size_t)u, (size_t)(year - ds->year0), (size_t)s)];
}

static const char *const COUNTRIES = "code,name,group,region\n"
                                     "VNM,Viet Nam,ASEAN,Mainland\n"
                                     "JPN,Japan,Japan,\n";

static void test_values_in_cells(void **state)
{
    fixture x;
    const char *d = new_dir();
    const char *c = put(d, "countries.csv", COUNTRIES);
    (void)state;
    put(d, "VNM.csv", "indicator,year,value,flag\n"
                      "a,2020,1,\n"
                      "b,2021,3,provisional\n"
                      "c,2020,12.5,\n"
                      "POP,2020,97.3,\n"
                      "c,2021,NA,not reported\n");
    put(d, "JPN.csv", "indicator,year,value,source\n"
                      "c,2021,-4.25,x\n"
                      "a,2021,0,y\n");
    put(d, "notes.csv", "not,a,country,file\n");
    assert_int_equal(load(&x, FW, c, d), CYM_OK);
    assert_int_equal(x.ds->n_units, 2);
    assert_string_equal(x.ds->units[0].code, "VNM");
    assert_string_equal(x.ds->units[1].name, "Japan");
    assert_int_equal(x.ds->n_group_cols, 2);
    assert_string_equal(x.ds->group_cols[1], "region");
    assert_string_equal(x.ds->units[1].groups[0], "Japan");
    assert_string_equal(x.ds->units[1].groups[1], "");
    assert_int_equal(cym_dataset_find_group(x.ds, "region"), 1);
    assert_int_equal(x.ds->n_series, 6); /* 5 nodes + the denominator POP */
    assert_int_equal(x.ds->year0, 2020);
    assert_int_equal(x.ds->n_years, 2);
    assert_int_equal(x.ds->n_rows, 7);
    assert_int_equal(x.ds->n_rows_missing, 1);
    assert_close(value(x.ds, "VNM", 2020, "a"), 1.0);
    assert_close(value(x.ds, "VNM", 2021, "b"), 3.0);
    assert_close(value(x.ds, "VNM", 2020, "c"), 12.5);
    assert_close(value(x.ds, "VNM", 2020, "POP"), 97.3);
    assert_true(isnan(value(x.ds, "VNM", 2021, "c")));
    assert_int_equal(line_of(x.ds, "VNM", 2021, "c"), 6); /* a missing value keeps its line */
    assert_close(value(x.ds, "JPN", 2021, "c"), -4.25);
    assert_close(value(x.ds, "JPN", 2021, "a"), 0.0);
    assert_int_equal(line_of(x.ds, "JPN", 2021, "a"), 3);
    assert_true(isnan(value(x.ds, "JPN", 2020, "a")));
    assert_int_equal(line_of(x.ds, "JPN", 2020, "a"), 0);
    assert_true(isnan(value(x.ds, "VNM", 2020, "P"))); /* aggregates are never read */
    assert_int_equal(x.ds->n_flags, 2); /* sorted by name */
    assert_string_equal(x.ds->flags[0].flag, "not reported");
    assert_int_equal(x.ds->flags[0].count, 1);
    assert_string_equal(x.ds->flags[1].flag, "provisional");
    assert_int_equal(x.ds->flags[1].count, 1);
    assert_non_null(strstr(x.ds->units[0].file, "VNM.csv"));
    /* notes.csv is not a country file: a warning, not an error and not silence */
    assert_int_equal(x.ds->warnings.count, 1);
    assert_non_null(strstr(x.ds->warnings.lines[0], "notes.csv: not a country data file"));
    /* a run drops the source lines before its pipeline (cli_advance): the values and flags
       stay, the pipeline runs on them */
    cym_dataset_drop_lines(x.ds);
    assert_null(x.ds->lines);
    assert_close(value(x.ds, "VNM", 2020, "c"), 12.5);
    assert_close(value(x.ds, "JPN", 2021, "c"), -4.25);
    assert_int_equal(x.ds->flag_of[cym_dataset_cell(x.ds, 0, 1, (size_t)cym_dataset_find_series(
                                                                x.ds, "b"))],
                     2); /* VNM, 2021, b: "provisional", the second flag by name */
    {
        cym_results *r = NULL;
        cym_error e;
        assert_int_equal(cym_pipeline_run(&r, x.ds, NULL, &e), CYM_OK);
        assert_close(r->raw[cym_cube_cell(&r->ind_cube, 0, 0, 2)], 12.5); /* VNM, 2020, c */
        cym_results_free(r);
    }
    cym_dataset_drop_lines(x.ds); /* again: nothing left to free */
    cym_dataset_drop_lines(NULL);
    fixture_free(&x);
}

static void test_years_out_of_order(void **state)
{
    /* years arrive late, early and in the middle, across files (read in name order: JPN,
     * then VNM) and within one; every value must stay in its cell as the range grows */
    fixture x;
    const char *d = new_dir();
    const char *c = put(d, "countries.csv", COUNTRIES);
    (void)state;
    put(d, "JPN.csv", "indicator,year,value\nc,2023,1\nc,2024,2\nc,2019,3\n");
    put(d, "VNM.csv", "indicator,year,value\nc,2030,4\nc,1995,5\nc,2024,6\nc,2039,7\n"
                      "c,1990,8\n");
    assert_int_equal(load(&x, FW, c, d), CYM_OK);
    assert_int_equal(x.ds->year0, 1990);
    assert_int_equal(x.ds->n_years, 50);
    assert_close(value(x.ds, "JPN", 2023, "c"), 1.0);
    assert_close(value(x.ds, "JPN", 2024, "c"), 2.0);
    assert_close(value(x.ds, "JPN", 2019, "c"), 3.0);
    assert_close(value(x.ds, "VNM", 2030, "c"), 4.0);
    assert_close(value(x.ds, "VNM", 1995, "c"), 5.0);
    assert_close(value(x.ds, "VNM", 2024, "c"), 6.0);
    assert_close(value(x.ds, "VNM", 2039, "c"), 7.0);
    assert_close(value(x.ds, "VNM", 1990, "c"), 8.0);
    assert_int_equal(line_of(x.ds, "VNM", 1990, "c"), 6);
    assert_true(isnan(value(x.ds, "JPN", 2030, "c")));
    {
        size_t present = 0;
        for (size_t i = 0; i < x.ds->n_units * x.ds->n_years * x.ds->n_series; i++)
            present += !isnan(x.ds->values[i]);
        assert_int_equal(present, 8);
    }
    fixture_free(&x);
}

static void test_year_span_bound(void **state)
{
    /* issue 15: 7 years with data over 1900-2100 (201 > 50 and > 4 x 7) are refused at the
     * first row of the outlying year, 1900 (farther from 1990 than 2100 from 2030); the window
     * suggested drops 1900, then 2100: 1990-2030 (41 years, within the floor) loads, and so do
     * 50 years with 2 */
    fixture x;
    cym_dataset_options o = CYM_DATASET_OPTIONS_INIT;
    const char *d = new_dir();
    const char *c = put(d, "countries.csv", COUNTRIES);
    (void)state;
    put(d, "JPN.csv", "indicator,year,value\nc,2023,1\nc,2024,2\nc,2019,3\n");
    put(d, "VNM.csv", "indicator,year,value\nc,2030,4\nc,1990,5\nc,2024,6\nc,2100,7\n"
                      "c,1900,8\n");
    assert_int_equal(load(&x, FW, c, d), CYM_EDATA);
    assert_null(x.ds);
    assert_non_null(strstr(x.err.file, "VNM.csv"));
    assert_int_equal(x.err.line, 6);
    assert_int_equal(x.err.column, 3);
    assert_non_null(strstr(x.err.message, "year 1900 is 90 years from the nearest other year"));
    assert_non_null(strstr(x.err.message, "--years 1990-2030,"));
    fixture_free(&x);
    o.years_from = 1990;
    o.years_to = 2030;
    assert_int_equal(load_with(&x, FW, c, d, &o), CYM_OK);
    fixture_free(&x);
    d = new_dir();
    c = put(d, "countries.csv", COUNTRIES);
    put(d, "JPN.csv", "indicator,year,value\nc,1975,1\nc,2024,2\n");
    assert_int_equal(load(&x, FW, c, d), CYM_OK);
    assert_int_equal(x.ds->n_years, 50);
    fixture_free(&x);
}

static void test_many_rows_then_early_year(void **state)
{
    /* 100 indicators x 100 years (10,000 rows) and only then an earlier year: the loader's
     * first look at the years stops after 10,000 rows, so the cube must still grow */
    size_t cap = 1 << 20, len = 0, flen = 0;
    char *fw = malloc(cap), *data = malloc(cap);
    fixture x;
    const char *d = new_dir();
    const char *c = put(d, "countries.csv", "code,name\nVNM,Viet Nam\n");
    (void)state;
    assert_non_null(fw);
    assert_non_null(data);
    flen += (size_t)sprintf(fw + flen, "code,parent\nR,\n");
    for (int i = 0; i < 100; i++)
        flen += (size_t)sprintf(fw + flen, "i%d,R\n", i);
    len += (size_t)sprintf(data + len, "indicator,year,value\n");
    for (int y = 2001; y <= 2100; y++)
        for (int i = 0; i < 100; i++)
            len += (size_t)sprintf(data + len, "i%d,%d,%d.5\n", i, y, y * 1000 + i);
    len += (size_t)sprintf(data + len, "i7,1950,-1\n");
    put(d, "VNM.csv", data);
    assert_int_equal(load(&x, fw, c, d), CYM_OK);
    assert_int_equal(x.ds->year0, 1950);
    assert_int_equal(x.ds->n_years, 151);
    assert_int_equal(x.ds->n_rows, 10001);
    assert_close(value(x.ds, "VNM", 1950, "i7"), -1.0);
    assert_close(value(x.ds, "VNM", 2001, "i0"), 2001000.5);
    assert_close(value(x.ds, "VNM", 2057, "i42"), 2057042.5);
    assert_close(value(x.ds, "VNM", 2100, "i99"), 2100099.5);
    assert_int_equal(line_of(x.ds, "VNM", 2100, "i99"), 10001);
    assert_true(isnan(value(x.ds, "VNM", 1999, "i7")));
    fixture_free(&x);
    free(fw);
    free(data);
}

/* Loads the same numbers from `dir` or `file` and compares the cubes cell by cell. */
static void assert_same_cube(const cym_dataset *a, const cym_dataset *b)
{
    size_t n;
    assert_int_equal(a->year0, b->year0);
    assert_int_equal(a->n_years, b->n_years);
    assert_int_equal(a->n_units, b->n_units);
    assert_int_equal(a->n_series, b->n_series);
    n = a->n_units * a->n_years * a->n_series;
    for (size_t i = 0; i < n; i++)
        if (!cym_test_close(a->values[i], b->values[i], 0))
            fail_msg("cell %zu: %.17g vs %.17g", i, a->values[i], b->values[i]);
}

static void test_wide_long_combined(void **state)
{
    fixture lx, wx, cx;
    const char *dl = new_dir(), *dw = new_dir(), *dc = new_dir();
    const char *cl = put(dl, "countries.csv", COUNTRIES);
    const char *cw = put(dw, "countries.csv", COUNTRIES);
    const char *cc = put(dc, "countries.csv", COUNTRIES);
    (void)state;
    put(dl, "VNM.csv", "indicator,year,value\n"
                       "a,2022,1\na,2023,0\nb,2022,2\nb,2023,..\nc,2022,0.1\nc,2023,1e-3\n"
                       "POP,2023,98\n");
    put(dl, "JPN.csv", "year,value,indicator\n2022,3,b\n2023,-,c\n");
    put(dw, "VNM.csv", "indicator,2022,2023\n"
                       "a,1,0\nb,2,..\nc,0.1,1e-3\nPOP,,98\n");
    put(dw, "JPN.csv", "2023,indicator,2022\n,b,3\n-,c,\n");
    put(dc, "all.csv", "country,indicator,year,value,note\n"
                       "JPN,b,2022,3,\n"
                       "VNM,a,2022,1,\nVNM,a,2023,0,\nVNM,b,2022,2,\nVNM,b,2023,..,\n"
                       "VNM,c,2022,0.1,\"a note, with a comma\"\nVNM,c,2023,1e-3,\n"
                       "VNM,POP,2023,98,\nJPN,c,2023,-,\n");
    assert_int_equal(load(&lx, FW, cl, dl), CYM_OK);
    assert_int_equal(load(&wx, FW, cw, dw), CYM_OK);
    {
        char all[600];
        snprintf(all, sizeof(all), "%s/all.csv", dc);
        assert_int_equal(load(&cx, FW, cc, all), CYM_OK);
    }
    assert_close(value(lx.ds, "VNM", 2023, "c"), 0.001);
    assert_close(value(lx.ds, "JPN", 2022, "b"), 3.0);
    assert_same_cube(lx.ds, wx.ds);
    assert_same_cube(lx.ds, cx.ds);
    assert_null(cx.ds->units[0].file); /* combined: no file per country */
    fixture_free(&lx);
    fixture_free(&wx);
    fixture_free(&cx);
}

/*
 * The SHA-256 and size of each input as read (cym_input_digest, which the manifest lists):
 * of every byte the loader parsed, a UTF-8 BOM included, over more than one of the reader's
 * 64 KiB pieces, and of the first country file in name order (JPN) read whole although the
 * presize looked at its header first. Expected: Python's hashlib.sha256 of the same bytes:
 *   FW 83 bytes; COUNTRIES 68; JPN "\xef\xbb\xbfindicator,2021\nb,2\n" + "\n" * 70000: 70022;
 *   VNM "indicator;year;value\nc;2020;1,5\n": 32; the combined
 *   "country,indicator,year,value\nJPN,b,2021,2\n": 42.
 */
static void test_digests(void **state)
{
    fixture x, cx;
    const char *d = new_dir(), *dc = new_dir();
    const char *c = put(d, "countries.csv", COUNTRIES);
    const char *all = put(dc, "all.csv", "country,indicator,year,value\nJPN,b,2021,2\n");
    char jpn[600];
    FILE *f;
    (void)state;
    snprintf(jpn, sizeof(jpn), "%s/JPN.csv", d);
    assert_non_null(f = fopen(jpn, "wb"));
    fputs("\xef\xbb\xbfindicator,2021\nb,2\n", f);
    for (int i = 0; i < 70000; i++)
        fputc('\n', f);
    fclose(f);
    put(d, "VNM.csv", "indicator;year;value\nc;2020;1,5\n");
    assert_int_equal(load(&x, FW, c, d), CYM_OK);
    assert_close(value(x.ds, "VNM", 2020, "c"), 1.5); /* ';' and ',' detected from the same open */
    assert_close(value(x.ds, "JPN", 2021, "b"), 2.0);
    assert_string_equal(x.fw->digest.sha256,
                        "72016ec9ed66361f94f45172447911f603ab5b11307fb4db767e102f10d03b6c");
    assert_int_equal(x.fw->digest.bytes, 83);
    assert_string_equal(x.ds->countries_digest.sha256,
                        "c38d11f41700c0ec1d8a7b98bd80bf5ad40c8ceca2d1d0112f64f1dee56b9947");
    assert_int_equal(x.ds->countries_digest.bytes, 68);
    assert_string_equal(x.ds->units[1].digest.sha256,
                        "d039a67353908c737352e88548ec45debe07fd539ef0182577d17d8bb05ea91e");
    assert_int_equal(x.ds->units[1].digest.bytes, 70022);
    assert_string_equal(x.ds->units[0].digest.sha256,
                        "2aafda04dac1e091c52ac417c14716e7a846f51d1759389113e97259f9a42a26");
    assert_int_equal(x.ds->units[0].digest.bytes, 32);
    assert_string_equal(x.ds->data_digest.sha256, ""); /* a folder: each unit's */
    assert_int_equal(load(&cx, FW, put(dc, "countries.csv", COUNTRIES), all), CYM_OK);
    assert_string_equal(cx.ds->data_digest.sha256,
                        "ead41ddf5e33aabede1a5bec6ba5ea2788e3008c52761831dbb03a60294afef8");
    assert_int_equal(cx.ds->data_digest.bytes, 42);
    assert_string_equal(cx.ds->units[0].digest.sha256, "");
    fixture_free(&x);
    fixture_free(&cx);
}

static void test_warnings_and_coverage(void **state)
{
    fixture x;
    const char *d = new_dir();
    const char *c = put(d, "countries.csv", "code,name\nVNM,Viet Nam\nJPN,Japan\nTHA,Thailand\n");
    cym_coverage cov;
    cym_error err;
    (void)state;
    put(d, "VNM.csv", "indicator,year,value\na,2020,1\nb,2020,NA\na,2021,0\n");
    put(d, "JPN.csv", "indicator,year,value\nb,2021,2\n");
    assert_int_equal(load(&x, FW, c, d), CYM_OK);
    assert_int_equal(x.ds->warnings.count, 2);
    assert_string_equal(x.ds->warnings.lines[0], "country THA (Thailand) has no data file");
    assert_string_equal(x.ds->warnings.lines[1], "indicator c has no value at all");
    /* 3 units x 2 years x 3 indicators = 18 cells; present: VNM a 2020, a 2021, JPN b 2021 */
    assert_int_equal(cym_dataset_coverage(&cov, x.ds, 0, 0, &err), CYM_OK);
    assert_int_equal(cov.year_from, 2020);
    assert_int_equal(cov.year_to, 2021);
    assert_int_equal(cov.cells, 18);
    assert_int_equal(cov.present, 3);
    assert_int_equal(cov.missing_by_indicator[0], 4); /* a: 6 cells, 2 present */
    assert_int_equal(cov.missing_by_indicator[2], 6);
    assert_int_equal(cov.missing_by_unit[0], 4);
    assert_int_equal(cov.missing_by_unit[2], 6);
    assert_int_equal(cov.missing_by_year[0], 8);
    cym_coverage_free(&cov);
    /* a narrower window */
    assert_int_equal(cym_dataset_coverage(&cov, x.ds, 2021, 2030, &err), CYM_OK);
    assert_int_equal(cov.year_from, 2021);
    assert_int_equal(cov.year_to, 2021);
    assert_int_equal(cov.cells, 9);
    assert_int_equal(cov.present, 2);
    cym_coverage_free(&cov);
    cym_coverage_free(NULL);
    fixture_free(&x);
}

static void test_errors(void **state)
{
    /* one file per case, VNM.csv unless `file` says otherwise; positions counted by hand */
    static const struct {
        const char *file, *text;
        unsigned long line, col;
        const char *words;
    } cases[] = {
        {"VNM.csv", "", 1, 0, "the file is empty"},
        {"VNM.csv", "indicator,year,value\na,2020,1\na,2020,0\n", 3, 1,
         "duplicate row for VNM, a, 2020 (first on line 2)"},
        {"VNM.csv", "indicator,2020,2020\na,1,0\n", 1, 16, "appears twice"},
        {"VNM.csv", "indicator,2020,total\na,1,0\n", 1, 16, "unknown column 'total'"},
        {"VNM.csv", "indicator,year,value,comment\n", 1, 22, "unknown column 'comment'"},
        {"VNM.csv", "country,indicator,year,value\n", 1, 1, "per-country file has no 'country'"},
        {"VNM.csv", "year,value\n", 1, 1, "missing required column 'indicator'"},
        {"VNM.csv", "indicator,year,value\nP,2020,1\n", 2, 1, "is an aggregate"},
        {"VNM.csv", "indicator,year,value\nA,2020,1\n", 2, 1,
         "unknown indicator 'A' (did you mean 'a'?)"},
        {"VNM.csv", "indicator,year,value\n,2020,1\n", 2, 1, "empty indicator code"},
        {"VNM.csv", "indicator,year,value\na,,1\n", 2, 3, "empty year"},
        {"VNM.csv", "indicator,year,value\na,2020.5,1\n", 2, 3, "not a whole number"},
        {"VNM.csv", "indicator,year,value\na,2020,0.5\n", 2, 8, "must be 0 or 1"},
        {"VNM.csv", "indicator,year,value\nb,2020,-1\n", 2, 8, "from 0 to 3"},
        {"VNM.csv", "indicator,year,value\nc,2020,1 000\n", 2, 8, "no spaces inside numbers"},
        {"VNM.csv", "indicator,year,value\nc,2020,-inf\n", 2, 8, "not a finite number"},
        {"VNM.csv", "indicator,2020\nc,\"1,5\"\n", 2, 3, "decimal comma"},
        {"XYZ.csv", "indicator,year,value\n", 0, 0, "country 'XYZ', which is not in"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        fixture x;
        const char *d = new_dir();
        const char *c = put(d, "countries.csv", COUNTRIES);
        const char *path = put(d, cases[i].file, cases[i].text);
        if (load(&x, FW, c, d) != CYM_EDATA)
            fail_msg("case %zu (%s) was accepted", i, cases[i].words);
        assert_null(x.ds);
        assert_string_equal(x.err.file, path);
        if (x.err.line != cases[i].line || x.err.column != cases[i].col ||
            !strstr(x.err.message, cases[i].words))
            fail_msg("case %zu: %lu:%lu: %s; expected %lu:%lu: ...%s...", i, x.err.line,
                     x.err.column, x.err.message, cases[i].line, cases[i].col,
                     cases[i].words);
        fixture_free(&x);
    }
}

static void test_errors_across_files(void **state)
{
    fixture x;
    const char *d = new_dir();
    const char *c = put(d, "countries.csv", COUNTRIES);
    char all[600];
    (void)state;
    /* a combined file: duplicates within it, and countries that are not listed */
    put(d, "all.csv", "country,indicator,year,value\nVNM,a,2020,1\nJPN,a,2020,1\nVNM,a,2020,0\n");
    snprintf(all, sizeof(all), "%s/all.csv", d);
    assert_int_equal(load(&x, FW, c, all), CYM_EDATA);
    assert_int_equal(x.err.line, 4);
    assert_non_null(strstr(x.err.message, "duplicate row for VNM, a, 2020 (first on line 2)"));
    fixture_free(&x);
    put(d, "all.csv", "country,indicator,year,value\nTHA,a,2020,1\n");
    assert_int_equal(load(&x, FW, c, all), CYM_EDATA);
    assert_int_equal(x.err.line, 2);
    assert_int_equal(x.err.column, 1);
    assert_non_null(strstr(x.err.message, "country 'THA' is not in"));
    fixture_free(&x);
    /* countries.csv itself */
    c = put(d, "countries.csv", "code,name,code\n");
    assert_int_equal(load(&x, FW, c, all), CYM_EDATA);
    assert_int_equal(x.err.column, 11);
    fixture_free(&x);
    c = put(d, "countries.csv", "code,name\n");
    assert_int_equal(load(&x, FW, c, all), CYM_EDATA);
    assert_non_null(strstr(x.err.message, "no countries"));
    fixture_free(&x);
    c = put(d, "countries.csv", "code,name,bad group\nVNM,Viet Nam,x\n");
    assert_int_equal(load(&x, FW, c, all), CYM_EDATA);
    assert_int_equal(x.err.column, 11);
    fixture_free(&x);
    c = put(d, "countries.csv", "code,name\nvnm,Viet Nam\n");
    assert_int_equal(load(&x, FW, c, all), CYM_EDATA);
    assert_non_null(strstr(x.err.message, "three capital letters"));
    fixture_free(&x);
    /* data that is missing altogether */
    c = put(d, "countries.csv", COUNTRIES);
    snprintf(all, sizeof(all), "%s/none.csv", d);
    assert_int_equal(load(&x, FW, c, all), CYM_EIO);
    assert_int_equal(x.err.code, CYM_EIO);
    fixture_free(&x);
}

static const char *flag_of(const cym_dataset *ds, const char *unit, int year, const char *series)
{
    long u = cym_dataset_find_unit(ds, unit), s = cym_dataset_find_series(ds, series);
    uint16_t f = ds->flag_of[cym_dataset_cell(ds, (size_t)u, (size_t)(year - ds->year0),
                                              (size_t)s)];
    return f ? ds->flags[f - 1].flag : "";
}

/*
 * Each value keeps the flag it was reported with, also when the files are read in parallel
 * (100 countries) and the flag table is sorted afterwards: zeta is met first, alpha last.
 */
/* Loads with the country selection `select` (cym_dataset_filter.select). */
static cym_status load_selected(fixture *x, const char *countries, const char *data,
                                const char *select)
{
    cym_dataset_paths paths;
    cym_dataset_options opts = CYM_DATASET_OPTIONS_INIT;
    cym_dataset_filter flt;
    const char *dir = new_dir();
    memset(&flt, 0, sizeof(flt));
    flt.select = select;
    opts.filter = &flt;
    x->fw = NULL;
    x->ds = NULL;
    cym_error_clear(&x->err);
    if (cym_framework_load(&x->fw, put(dir, "framework.csv", FW), &x->err) < 0)
        fail_msg("framework: %s", x->err.message);
    paths.countries = countries;
    paths.data = data;
    return cym_dataset_load(&x->ds, x->fw, &paths, &opts, &x->err);
}

/* --select (issue 16): codes in any case and COLUMN=VALUE, a union; the data file and the
   combined rows of a country left out are skipped, even when reading them would fail (THA's
   value is not a number); the index holds the selected countries only; an item naming
   nothing is refused with the closest code, column or value. */
static void test_select(void **state)
{
    static const char countries[] = "code,name,group,region\n"
                                    "VNM,Viet Nam,ASEAN,Mainland\n"
                                    "THA,Thailand,ASEAN,Mainland\n"
                                    "JPN,Japan,Japan,Islands\n";
    static const struct {
        const char *select, *codes; /* codes kept, in countries.csv order, or the message */
        cym_status st;
    } cases[] = {
        {"vnm", "VNM", CYM_OK},
        {"JPN,vnm", "VNM JPN", CYM_OK},
        {"group=Japan", "JPN", CYM_OK},
        {"region=Islands,vnm", "VNM JPN", CYM_OK},
        {"group=ASEAN", "oops", CYM_EDATA}, /* THA selected: its file is read */
        {"VMN", "select: no country 'VMN' (did you mean 'VNM'?)", CYM_EUSAGE},
        {"grup=ASEAN", "select: no column 'grup' (did you mean 'group'?)", CYM_EUSAGE},
        {"group=ASAEN", "select: no country has group 'ASAEN' (did you mean 'ASEAN'?)",
         CYM_EUSAGE},
        {"group=Europe", "select: no country has group 'Europe'", CYM_EUSAGE},
    };
    const char *d = new_dir(), *dc = new_dir();
    char c[600], cc[600], all[600]; /* put's paths are reused: copied */
    fixture x;
    (void)state;
    snprintf(c, sizeof(c), "%s", put(d, "countries.csv", countries));
    snprintf(cc, sizeof(cc), "%s", put(dc, "countries.csv", countries));
    put(d, "VNM.csv", "indicator,year,value\na,2023,1\n");
    put(d, "THA.csv", "indicator,year,value\na,2023,oops\n");
    put(d, "JPN.csv", "indicator,year,value\na,2023,0\n");
    put(dc, "all.csv", "country,indicator,year,value\nVNM,a,2023,1\nTHA,a,2023,oops\n"
                       "JPN,a,2023,0\n");
    snprintf(all, sizeof(all), "%s/all.csv", dc);
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        for (int combined = 0; combined < 2; combined++) {
            char got[64] = "";
            cym_status st = load_selected(&x, combined ? cc : c, combined ? all : d,
                                          cases[i].select);
            if (st != cases[i].st)
                fail_msg("select %s: status %d (%s)", cases[i].select, st, x.err.message);
            if (st < 0) {
                if (!strstr(x.err.message, cases[i].codes))
                    fail_msg("select %s: '%s' lacks '%s'", cases[i].select, x.err.message,
                             cases[i].codes);
                fixture_free(&x);
                continue;
            }
            for (size_t u = 0; u < x.ds->n_units; u++)
                snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", u ? " " : "",
                         x.ds->units[u].code);
            if (strcmp(got, cases[i].codes) != 0)
                fail_msg("select %s: %s, expected %s", cases[i].select, got, cases[i].codes);
            assert_true(cym_dataset_find_unit(x.ds, "THA") < 0);
            if (strstr(got, "VNM"))
                assert_close(value(x.ds, "VNM", 2023, "a"), 1.0);
            if (strstr(got, "JPN"))
                assert_close(value(x.ds, "JPN", 2023, "a"), 0.0);
            fixture_free(&x);
        }
    }
}

static void test_flags_per_cell(void **state)
{
    fixture x;
    const char *d = new_dir();
    char countries[4096] = "code,name\n", name[16], body[256];
    (void)state;
    for (int i = 0; i < 100; i++) {
        char code[4] = {(char)('A' + i / 26 % 26), (char)('A' + i % 26), 'X', 0};
        snprintf(countries + strlen(countries), sizeof(countries) - strlen(countries),
                 "%s,Country %d\n", code, i);
        snprintf(name, sizeof(name), "%s.csv", code);
        snprintf(body, sizeof(body),
                 "indicator,year,value,flag\na,2020,1,%s\nc,2020,2.5,\nc,2021,,\"odd, flag\"\n",
                 i == 0 ? "zeta" : i == 99 ? "alpha" : "provisional");
        put(d, name, body);
    }
    assert_int_equal(load(&x, FW, put(d, "countries.csv", countries), d), CYM_OK);
    assert_int_equal(x.ds->n_flags, 4);
    assert_string_equal(x.ds->flags[0].flag, "alpha");
    assert_string_equal(x.ds->flags[1].flag, "odd, flag");
    assert_int_equal(x.ds->flags[1].count, 100);
    assert_string_equal(x.ds->flags[2].flag, "provisional");
    assert_int_equal(x.ds->flags[2].count, 98);
    assert_string_equal(x.ds->flags[3].flag, "zeta");
    assert_string_equal(flag_of(x.ds, "AAX", 2020, "a"), "zeta");
    assert_string_equal(flag_of(x.ds, "DVX", 2020, "a"), "alpha");
    assert_string_equal(flag_of(x.ds, "BAX", 2020, "a"), "provisional");
    assert_string_equal(flag_of(x.ds, "BAX", 2020, "c"), "");
    assert_string_equal(flag_of(x.ds, "BAX", 2021, "c"), "odd, flag");
    fixture_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_in_cells),
        cmocka_unit_test(test_years_out_of_order),
        cmocka_unit_test(test_year_span_bound),
        cmocka_unit_test(test_many_rows_then_early_year),
        cmocka_unit_test(test_wide_long_combined),
        cmocka_unit_test(test_digests),
        cmocka_unit_test(test_warnings_and_coverage),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_errors_across_files),
        cmocka_unit_test(test_flags_per_cell),
        cmocka_unit_test(test_select),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
