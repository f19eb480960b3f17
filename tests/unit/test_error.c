/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Error records and warning lists (src/core/error.c) and the escaping of the text they quote
 * (src/core/escape.c, issue 15). The expected escapes follow from the rule in util.h: C0
 * controls, DEL and C1 controls as \n \r \t or \xHH per byte, each byte of invalid UTF-8 as
 * \xHH, valid UTF-8 kept; the valid and invalid sequences are those of the Unicode standard's
 * table 3-7 (well-formed UTF-8 byte sequences).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "cymetrics/error.h"
#include "testutil.h"

static void test_escape(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Viet Nam", "Viet Nam"},
        {"", ""},
        {"\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"},
        {"a\nb\rc\td", "a\\nb\\rc\\td"},
        {"\x01\x1f\x7f", "\\x01\\x1f\\x7f"},
        {"back\\slash \\x1b", "back\\slash \\x1b"}, /* a backslash is left as it is */
        {"Việt Nam", "Việt Nam"},                   /* 2- and 3-byte sequences */
        {"ประเทศไทย", "ประเทศไทย"},
        {"日本", "日本"},
        {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},     /* U+1F600, 4 bytes */
        {"\xc2\xa0", "\xc2\xa0"},                     /* U+00A0, first after C1 */
        {"\xc2\x9bJ", "\\xc2\\x9bJ"},                 /* U+009B, the C1 CSI */
        {"\xc2\x80", "\\xc2\\x80"},                   /* U+0080 */
        {"\xff", "\\xff"},                            /* never in UTF-8 */
        {"\xc0\xaf", "\\xc0\\xaf"},                   /* overlong '/' */
        {"\xe0\x80\xaf", "\\xe0\\x80\\xaf"},          /* overlong, 3 bytes */
        {"\xed\xa0\x80", "\\xed\\xa0\\x80"},          /* a surrogate */
        {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"}, /* above U+10FFFF */
        {"\xe6\x97", "\\xe6\\x97"},                   /* cut at the end */
        {"\xe6\x97Z", "\\xe6\\x97Z"},                 /* cut before ASCII */
        {"K\xe9ln.csv", "K\\xe9ln.csv"},              /* Latin-1 file name */
    };
    char buf[128];
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        size_t n = cym__text_escape(buf, sizeof(buf), cases[i].in);
        assert_string_equal(buf, cases[i].out);
        assert_int_equal(n, strlen(cases[i].out));
        assert_int_equal(cym__text_escape(NULL, 0, cases[i].in), n);
    }
}

/* A buffer too small: cut between characters and escapes, length of the whole returned. */
static void test_escape_cut(void **state)
{
    char buf[8];
    (void)state;
    assert_int_equal(cym__text_escape(buf, 4, "ab\x1b"), 6);
    assert_string_equal(buf, "ab"); /* "\x1b" does not fit whole */
    assert_int_equal(cym__text_escape(buf, 3, "日本"), 6);
    assert_string_equal(buf, ""); /* three bytes and the NUL do not fit in 3... */
    assert_int_equal(cym__text_escape(buf, 6, "日本"), 6);
    assert_string_equal(buf, "日"); /* ...in 4 they do, and 本 does not fit in the rest */
    assert_int_equal(cym__text_escape(buf, 1, "x"), 1);
    assert_string_equal(buf, "");
}

static void test_error_set(void **state)
{
    cym_error err;
    char buf[CYM_ERROR_FILE_MAX + CYM_ERROR_MESSAGE_MAX + 64];
    char *big;
    size_t len;
    (void)state;
    assert_int_equal(cym_error_set(&err, CYM_EDATA, "data/\x1b]0;x\x07.csv", 2, 3,
                                   "country code '%s' is bad", "\x1b[2J\nVNM"),
                     CYM_EDATA);
    assert_string_equal(err.file, "data/\\x1b]0;x\\x07.csv");
    assert_string_equal(err.message, "country code '\\x1b[2J\\nVNM' is bad");
    cym_error_format(buf, sizeof(buf), &err);
    assert_string_equal(buf, "data/\\x1b]0;x\\x07.csv:2:3: country code '\\x1b[2J\\nVNM' is bad");
    /* the message may quote the record's own message and file */
    cym_error_set(&err, CYM_EDATA, err.file, 0, 0, "edition v1: %s", err.message);
    assert_string_equal(err.file, "data/\\x1b]0;x\\x07.csv");
    assert_string_equal(err.message, "edition v1: country code '\\x1b[2J\\nVNM' is bad");
    /* a record filled by hand is escaped when formatted */
    cym_error_clear(&err);
    snprintf(err.file, sizeof(err.file), "a\tb.ini");
    snprintf(err.message, sizeof(err.message), "bad\rvalue");
    assert_int_equal(cym_error_format(buf, sizeof(buf), &err), strlen("a\\tb.ini: bad\\rvalue"));
    assert_string_equal(buf, "a\\tb.ini: bad\\rvalue");
    /* valid UTF-8 is kept, and a message too long is cut between characters */
    cym_error_set(&err, CYM_EDATA, NULL, 0, 0, "name 'Việt Nam'");
    assert_string_equal(err.message, "name 'Việt Nam'");
    big = malloc(3 * 400 + 1);
    assert_non_null(big);
    for (size_t i = 0; i < 400; i++)
        memcpy(big + 3 * i, "日", 3);
    big[3 * 400] = '\0';
    cym_error_set(&err, CYM_EDATA, NULL, 0, 0, "%s", big);
    len = strlen(err.message);
    assert_true(len < CYM_ERROR_MESSAGE_MAX && len % 3 == 0 && len >= CYM_ERROR_MESSAGE_MAX - 3);
    assert_memory_equal(err.message, big, len);
    free(big);
}

static void test_warnings(void **state)
{
    cym_warnings w = {0};
    (void)state;
    assert_int_equal(cym_warnings_add(&w, "country %s (%s) has no data", "KOR", "Korea"), CYM_OK);
    assert_int_equal(cym_warnings_add(&w, "country %s (%s) has no data", "XXX", "\x1b[31mX\ny"),
                     CYM_OK);
    assert_int_equal(cym_warnings_add(&w, "%s", "ประเทศไทย\xff"), CYM_OK);
    assert_int_equal(w.count, 3);
    assert_string_equal(w.lines[0], "country KOR (Korea) has no data");
    assert_string_equal(w.lines[1], "country XXX (\\x1b[31mX\\ny) has no data");
    assert_string_equal(w.lines[2], "ประเทศไทย\\xff");
    cym_warnings_clear(&w);
}

/* The list keeps the `limit` first in file, line, column order whatever the order they came
   in, and counts them all. */
static void test_error_list(void **state)
{
    static const struct {
        const char *file;
        unsigned long line, col;
    } in[] = {{"b.csv", 2, 1}, {"a.csv", 9, 3}, {"b.csv", 1, 7},
              {"", 0, 0},      {"a.csv", 9, 2}, {"a.csv", 10, 1}};
    /* sorted: "" 0:0, a.csv 9:2, a.csv 9:3, a.csv 10:1, b.csv 1:7, b.csv 2:1 */
    cym_error_list l = {NULL, 0, 3, 0};
    cym_error e;
    (void)state;
    for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++) {
        cym_error_set(&e, CYM_EDATA, in[i].file, in[i].line, in[i].col, "error %zu", i);
        cym_error_list_add(&l, &e);
    }
    cym_error_list_sort(&l);
    assert_int_equal(l.total, 6);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.errors[0].message, "error 3");
    assert_string_equal(l.errors[1].message, "error 4");
    assert_string_equal(l.errors[2].message, "error 1");
    cym_error_list_free(&l);
    assert_null(l.errors);
    assert_int_equal(l.total, 0);
    assert_int_equal(l.limit, 3);
    /* a limit of 0 only counts */
    l.limit = 0;
    cym_error_list_add(&l, &e);
    assert_int_equal(l.total, 1);
    assert_int_equal(l.count, 0);
    cym_error_list_free(&l);
}

/* A cell of a workbook's sheet: FILE:SHEET!E14, the sheet quoted as Excel quotes it; the
   references by hand (A = 1, Z = 26, AA = 27, XFD = 16384, Excel's last column). */
static void test_error_sheet(void **state)
{
    static const struct {
        unsigned long row, col;
        const char *ref;
    } refs[] = {{14, 5, "E14"}, {1, 1, "A1"}, {3, 26, "Z3"}, {3, 27, "AA3"},
                {1048576, 16384, "XFD1048576"}, {2, 702, "ZZ2"}, {2, 703, "AAA2"}};
    cym_error err;
    char buf[1024];
    (void)state;
    for (size_t i = 0; i < sizeof(refs) / sizeof(*refs); i++) {
        cym_error_cell_ref(buf, sizeof(buf), refs[i].row, refs[i].col);
        assert_string_equal(buf, refs[i].ref);
    }
    cym_error_set(&err, CYM_EDATA, "VNM.xlsx", 14, 5, "value '45%%' is not a number");
    cym_error_set_sheet(&err, "Data");
    cym_error_format(buf, sizeof(buf), &err);
    assert_string_equal(buf, "VNM.xlsx:Data!E14: value '45%' is not a number");
    cym_error_set_sheet(&err, "My data's");
    cym_error_format(buf, sizeof(buf), &err);
    assert_string_equal(buf, "VNM.xlsx:'My data''s'!E14: value '45%' is not a number");
    /* a sheet without a cell; and cym_error_set forgets the sheet */
    cym_error_set(&err, CYM_EDATA, "VNM.xlsx", 0, 0, "no country");
    assert_string_equal(err.sheet, "");
    cym_error_set_sheet(&err, "cymetrics");
    cym_error_format(buf, sizeof(buf), &err);
    assert_string_equal(buf, "VNM.xlsx:cymetrics: no country");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),     cmocka_unit_test(test_escape_cut),
        cmocka_unit_test(test_error_set),  cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_error_list), cmocka_unit_test(test_error_sheet),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
