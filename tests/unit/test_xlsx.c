/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The .xlsx reader (src/xlsx): cell types, number formats, hidden and merged cells, and every
 * bound, on workbooks that tests/unit/xlsx_fixtures.py writes with Python's zipfile and
 * hand-written XML (so the expected values are the bytes it wrote: see the script).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "testutil.h"
#include "xlsx/xlsx.h"

static char dir[4096];

static const char *fx(const char *name)
{
    static char path[8192];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

static int setup(void **state)
{
    char cmd[8192];
    (void)state;
    if (!cym_test_tempdir(dir, sizeof(dir), "cym-xlsx"))
        return -1;
    snprintf(cmd, sizeof(cmd), "python3 '%s/tests/unit/xlsx_fixtures.py' '%s'", CYM_SOURCE_DIR,
             dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_sheets(void **state)
{
    cym__xlsx *wb = NULL;
    cym_error err;
    (void)state;
    assert_int_equal(cym__xlsx_open(&wb, fx("cells.xlsx"), NULL, &err), CYM_OK);
    assert_int_equal(cym__xlsx_sheet_count(wb), 3);
    assert_string_equal(cym__xlsx_sheet_name(wb, 0), "One");
    assert_int_equal(cym__xlsx_sheet_state(wb, 0), CYM_XLSX_VISIBLE);
    assert_int_equal(cym__xlsx_sheet_state(wb, 1), CYM_XLSX_HIDDEN);
    assert_int_equal(cym__xlsx_sheet_state(wb, 2), CYM_XLSX_VERY_HIDDEN);
    assert_int_equal(cym__xlsx_sheet_find(wb, "Three", 0), 2);
    assert_int_equal(cym__xlsx_sheet_find(wb, "three", 0), -1);
    assert_int_equal(cym__xlsx_sheet_find(wb, "three", 1), 2);
    cym__xlsx_free(wb);
}

static void test_cells(void **state)
{
    static const struct {
        uint32_t row, col;
        cym__xlsx_type type;
        cym__xlsx_format format;
        int formula;
        const char *text;
        double num; /* NaN: none */
    } want[] = {
        {1, 1, CYM_XLSX_STRING, CYM_XLSX_FMT_PLAIN, 0, "plain", NAN},
        {1, 2, CYM_XLSX_STRING, CYM_XLSX_FMT_PLAIN, 0, "rich", NAN}, /* runs joined, no rPh */
        {1, 3, CYM_XLSX_STRING, CYM_XLSX_FMT_PLAIN, 0, " a & b ", NAN},
        {1, 4, CYM_XLSX_STRING, CYM_XLSX_FMT_PLAIN, 0, "inline", NAN},
        {1, 5, CYM_XLSX_NUMBER, CYM_XLSX_FMT_PLAIN, 0, "45.5", 45.5},
        {1, 6, CYM_XLSX_BOOL, CYM_XLSX_FMT_PLAIN, 0, "TRUE", 1},
        {1, 7, CYM_XLSX_ERROR, CYM_XLSX_FMT_PLAIN, 0, "#N/A", NAN},
        {2, 1, CYM_XLSX_NUMBER, CYM_XLSX_FMT_PERCENT, 0, "0.45", 0.45},   /* built-in 9 */
        {2, 2, CYM_XLSX_NUMBER, CYM_XLSX_FMT_DATE, 0, "45000", 45000},    /* built-in 14 */
        {2, 3, CYM_XLSX_NUMBER, CYM_XLSX_FMT_PERCENT, 0, "0.5", 0.5},     /* "0.0%" */
        {2, 4, CYM_XLSX_NUMBER, CYM_XLSX_FMT_DATE, 0, "45000", 45000},    /* "dd/mm/yyyy" */
        {2, 5, CYM_XLSX_NUMBER, CYM_XLSX_FMT_PLAIN, 0, "3", 3},           /* '0.00 "days"' */
        {2, 6, CYM_XLSX_STRING, CYM_XLSX_FMT_DATE, 0, "2024-01-31", NAN}, /* t="d" */
        {3, 1, CYM_XLSX_NUMBER, CYM_XLSX_FMT_PLAIN, 1, "2", 2},           /* formula, cached */
        {3, 2, CYM_XLSX_EMPTY, CYM_XLSX_FMT_PLAIN, 1, "", NAN}, /* formula, never calculated */
        {3, 3, CYM_XLSX_STRING, CYM_XLSX_FMT_PLAIN, 1, "rich", NAN},
        {3, 4, CYM_XLSX_EMPTY, CYM_XLSX_FMT_PLAIN, 0, "", NAN}, /* styled, empty */
        {3, 5, CYM_XLSX_ERROR, CYM_XLSX_FMT_PLAIN, 1, "#DIV/0!", NAN},
    };
    cym__xlsx *wb = NULL;
    cym__xlsx_sheet *s = NULL;
    cym_error err;
    (void)state;
    assert_int_equal(cym__xlsx_open(&wb, fx("cells.xlsx"), NULL, &err), CYM_OK);
    assert_int_equal(cym__xlsx_sheet_load(&s, wb, 0, &err), CYM_OK);
    assert_int_equal(s->n_cells, sizeof(want) / sizeof(*want));
    for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
        const cym__xlsx_cell *c = cym__xlsx_sheet_cell(s, want[i].row, want[i].col);
        assert_non_null(c);
        assert_ptr_equal(c, &s->cells[i]); /* in order */
        assert_int_equal(c->type, want[i].type);
        assert_int_equal(c->format, want[i].format);
        assert_int_equal(c->formula, want[i].formula);
        assert_string_equal(c->text, want[i].text);
        assert_true(cym_test_close(c->num, want[i].num, 0));
    }
    assert_null(cym__xlsx_sheet_cell(s, 4, 1));
    /* hidden row 3 and column B; merged C5:D6 */
    assert_true(cym__xlsx_hidden(s, 3, 0));
    assert_false(cym__xlsx_hidden(s, 2, 0));
    assert_true(cym__xlsx_hidden(s, 0, 2));
    assert_false(cym__xlsx_hidden(s, 0, 3));
    assert_non_null(cym__xlsx_merged_at(s, 6, 4));
    assert_null(cym__xlsx_merged_at(s, 6, 5));
    cym__xlsx_sheet_free(s);
    /* the other sheets are empty */
    assert_int_equal(cym__xlsx_sheet_load(&s, wb, 2, &err), CYM_OK);
    assert_int_equal(s->n_cells, 0);
    cym__xlsx_sheet_free(s);
    cym__xlsx_free(wb);
}

/* Cells and rows without an `r` attribute follow the previous ones. */
static void test_noref(void **state)
{
    cym__xlsx *wb = NULL;
    cym__xlsx_sheet *s = NULL;
    cym_error err;
    (void)state;
    assert_int_equal(cym__xlsx_open(&wb, fx("noref.xlsx"), NULL, &err), CYM_OK);
    assert_int_equal(cym__xlsx_sheet_load(&s, wb, 0, &err), CYM_OK);
    assert_int_equal(s->n_cells, 3);
    assert_string_equal(cym__xlsx_sheet_cell(s, 1, 2)->text, "2");
    assert_string_equal(cym__xlsx_sheet_cell(s, 4, 1)->text, "3");
    cym__xlsx_sheet_free(s);
    cym__xlsx_free(wb);
}

/* Each refusal: at open (0) or at loading the first sheet (1), with a part of its message. */
static void test_refused(void **state)
{
    static const struct {
        const char *file;
        int at_load;
        const char *msg;
    } cases[] = {
        {"text.xlsx", 0, "the file is text (a CSV file named .xlsx?)"},
        {"old.xlsx", 0, "old Excel 97-2003 (.xls) workbook"},
        {"empty.xlsx", 0, "empty file"},
        {"truncated.xlsx", 0, "damaged"},
        {"plainzip.xlsx", 0, "it has no part xl/workbook.xml"},
        {"encrypted.xlsx", 0, "encrypted"},
        {"entries.xlsx", 0, "more than 10000 zip entries"},
        {"manystrings.xlsx", 0, "more than 1048576 shared strings"},
        {"bomb.xlsx", 1, "compressed more than 200 to 1, as a zip bomb is"},
        {"longstring.xlsx", 1, "a string longer than 131072 bytes"},
        {"deep.xlsx", 1, "XML nested deeper than 64 elements"},
        {"doctype.xlsx", 1, "a DOCTYPE"},
        {"bigrow.xlsx", 1, "outside the grid (A1:XFD1048576): 'A1048577'"},
        {"bigcol.xlsx", 1, "outside the grid (A1:XFD1048576): 'XFE1'"},
        {"malformed.xlsx", 1, "malformed XML (mismatched tag)"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym__xlsx *wb = NULL;
        cym__xlsx_sheet *s = NULL;
        cym_error err;
        cym_status st = cym__xlsx_open(&wb, fx(cases[i].file), NULL, &err);
        if (cases[i].at_load) {
            assert_int_equal(st, CYM_OK);
            st = cym__xlsx_sheet_load(&s, wb, 0, &err);
        }
        if (st != CYM_EDATA || !strstr(err.message, cases[i].msg))
            fail_msg("%s: status %d, message '%s'", cases[i].file, st, err.message);
        assert_null(s);
        assert_string_equal(err.file, fx(cases[i].file));
        cym__xlsx_free(wb);
    }
}

/* The bounds are the caller's: a smaller one refuses what the defaults read. */
static void test_limits(void **state)
{
    cym__xlsx *wb = NULL;
    cym__xlsx_sheet *s = NULL;
    cym_error err;
    cym__xlsx_limits lim = {0};
    (void)state;
    lim.max_cells = 5;
    assert_int_equal(cym__xlsx_open(&wb, fx("cells.xlsx"), &lim, &err), CYM_OK);
    assert_int_equal(cym__xlsx_sheet_load(&s, wb, 0, &err), CYM_EDATA);
    assert_non_null(strstr(err.message, "more than 5 cells"));
    cym__xlsx_free(wb);
    memset(&lim, 0, sizeof(lim));
    lim.max_file = 100;
    assert_int_equal(cym__xlsx_open(&wb, fx("cells.xlsx"), &lim, &err), CYM_EDATA);
    assert_non_null(strstr(err.message, "larger than 100 bytes"));
    memset(&lim, 0, sizeof(lim));
    lim.max_entry = 1000; /* the sheet of 70 MiB stops at the first 64 KiB piece */
    assert_int_equal(cym__xlsx_open(&wb, fx("bomb.xlsx"), &lim, &err), CYM_OK);
    assert_int_equal(cym__xlsx_sheet_load(&s, wb, 0, &err), CYM_EDATA);
    assert_non_null(strstr(err.message, "inflates to more than 1000 bytes"));
    cym__xlsx_free(wb);
    memset(&lim, 0, sizeof(lim));
    lim.max_total = 1000;
    assert_int_equal(cym__xlsx_open(&wb, fx("cells.xlsx"), &lim, &err), CYM_EDATA);
    assert_non_null(strstr(err.message, "inflates to more than 1000 bytes in all"));
}

/* The same bytes from memory (the fuzz target's road). */
static void test_mem(void **state)
{
    FILE *f = fopen(fx("cells.xlsx"), "rb");
    char buf[65536];
    size_t n;
    cym__xlsx *wb = NULL;
    cym_error err;
    (void)state;
    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    assert_int_equal(cym__xlsx_open_mem(&wb, buf, n, "mem.xlsx", NULL, &err), CYM_OK);
    assert_int_equal(cym__xlsx_sheet_count(wb), 3);
    cym__xlsx_free(wb);
    assert_int_equal(cym__xlsx_open_mem(&wb, buf, n / 3, "mem.xlsx", NULL, &err), CYM_EDATA);
    assert_string_equal(err.file, "mem.xlsx");
}

/*
 * A workbook another writer made: libxlsxwriter (the library the forms are written with, in
 * another module) writes shared strings, styles of its own numbering, a hidden sheet, hidden
 * rows and columns, merged ranges and formulas with their results; read back as written.
 */
static void test_xlsxwriter(void **state)
{
    char path[8192];
    lxw_workbook *w;
    lxw_worksheet *a, *b;
    lxw_format *pct, *date, *plain;
    lxw_row_col_options hide = {.hidden = 1};
    cym__xlsx *wb = NULL;
    cym__xlsx_sheet *s = NULL;
    const cym__xlsx_cell *c;
    cym_error err;
    (void)state;
    snprintf(path, sizeof(path), "%s/lxw.xlsx", dir);
    w = workbook_new(path);
    assert_non_null(w);
    a = workbook_add_worksheet(w, "Data");
    b = workbook_add_worksheet(w, "cymetrics");
    pct = workbook_add_format(w);
    format_set_num_format(pct, "0%");
    date = workbook_add_format(w);
    format_set_num_format(date, "yyyy-mm-dd");
    plain = workbook_add_format(w);
    format_set_num_format(plain, "0.00");
    worksheet_write_string(a, 0, 0, "code", NULL);
    worksheet_write_number(a, 1, 4, 81.3, NULL);
    worksheet_write_number(a, 2, 4, 0.45, pct);
    worksheet_write_number(a, 3, 4, 45000, date);
    worksheet_write_number(a, 4, 4, 12.5, plain);
    worksheet_write_formula_num(a, 5, 4, "=E2/2", NULL, 40.65);
    worksheet_write_boolean(a, 6, 4, 1, NULL);
    worksheet_write_string(a, 7, 4, "45%", NULL);
    worksheet_merge_range(a, 8, 4, 9, 4, "", NULL);
    worksheet_set_row_opt(a, 2, LXW_DEF_ROW_HEIGHT, NULL, &hide);
    worksheet_set_column_opt(a, 5, 5, LXW_DEF_COL_WIDTH, NULL, &hide);
    worksheet_write_string(b, 0, 0, "country", NULL);
    worksheet_hide(b);
    assert_int_equal(workbook_close(w), LXW_NO_ERROR);

    assert_int_equal(cym__xlsx_open(&wb, path, NULL, &err), CYM_OK);
    assert_int_equal(cym__xlsx_sheet_count(wb), 2);
    assert_int_equal(cym__xlsx_sheet_state(wb, 1), CYM_XLSX_HIDDEN);
    assert_int_equal(cym__xlsx_sheet_load(&s, wb, 0, &err), CYM_OK);
    assert_string_equal(cym__xlsx_sheet_cell(s, 1, 1)->text, "code");
    c = cym__xlsx_sheet_cell(s, 2, 5);
    assert_true(c->type == CYM_XLSX_NUMBER && c->num == 81.3 && c->format == CYM_XLSX_FMT_PLAIN);
    assert_int_equal(cym__xlsx_sheet_cell(s, 3, 5)->format, CYM_XLSX_FMT_PERCENT);
    assert_int_equal(cym__xlsx_sheet_cell(s, 4, 5)->format, CYM_XLSX_FMT_DATE);
    assert_int_equal(cym__xlsx_sheet_cell(s, 5, 5)->format, CYM_XLSX_FMT_PLAIN);
    c = cym__xlsx_sheet_cell(s, 6, 5);
    assert_true(c->formula && c->type == CYM_XLSX_NUMBER && c->num == 40.65);
    assert_int_equal(cym__xlsx_sheet_cell(s, 7, 5)->type, CYM_XLSX_BOOL);
    assert_string_equal(cym__xlsx_sheet_cell(s, 8, 5)->text, "45%");
    assert_non_null(cym__xlsx_merged_at(s, 10, 5));
    assert_true(cym__xlsx_hidden(s, 3, 0));
    assert_true(cym__xlsx_hidden(s, 0, 6));
    assert_false(cym__xlsx_hidden(s, 2, 5));
    cym__xlsx_sheet_free(s);
    cym__xlsx_free(wb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheets),     cmocka_unit_test(test_cells),
        cmocka_unit_test(test_noref),      cmocka_unit_test(test_refused),
        cmocka_unit_test(test_limits),     cmocka_unit_test(test_mem),
        cmocka_unit_test(test_xlsxwriter),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
