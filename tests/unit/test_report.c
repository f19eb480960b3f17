/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The report's building blocks: the escapes that keep text from the inputs from becoming
 * markup (HTML and Markdown), base64 (RFC 4648 section 10 test vectors), and the human
 * formatting of numbers (fixed decimals, signs and arrows, no "-0.0", en dash for no value).
 * Expected strings are written by hand from those rules.
 */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

static void test_html_escape(void **state)
{
    cym__buf b = {0};
    (void)state;
    cym__buf_html(&b, "<script>alert(1)</script> & \"q\" 'a'");
    assert_string_equal(b.p,
                        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;");
    cym__buf_free(&b);
    cym__buf_html(&b, "Viet Nam");
    assert_string_equal(b.p, "Viet Nam");
    cym__buf_free(&b);
}

static void test_md_escape(void **state)
{
    cym__buf b = {0};
    (void)state;
    /* a cell separator, emphasis, a link and raw HTML from a country name */
    cym__buf_md(&b, "a|b *c* _d_ [e](x) <img src=x> # `f` \\ \"q\"\nnext");
    assert_string_equal(b.p, "a\\|b \\*c\\* \\_d\\_ \\[e\\](x) &lt;img src=x&gt; \\# \\`f\\` \\\\ "
                             "\"q\" next");
    cym__buf_free(&b);
}

static void test_base64(void **state)
{
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                      "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    (void)state;
    for (size_t i = 0; i < 7; i++) {
        cym__buf b = {0};
        cym__buf_base64(&b, (const unsigned char *)in[i], strlen(in[i]));
        assert_string_equal(b.p ? b.p : "", out[i]);
        cym__buf_free(&b);
    }
}

static void test_printf_grows(void **state)
{
    cym__buf b = {0};
    (void)state;
    for (int i = 0; i < 2000; i++)
        cym__buf_printf(&b, "%04d;", i);
    assert_int_equal(b.n, 10000);
    assert_memory_equal(b.p + 9995, "1999;", 5);
    assert_false(b.oom);
    cym__buf_free(&b);
}

/* A one-row table with a column of each kind. */
static void test_cell_text(void **state)
{
    static char h[7][8] = {"t", "s", "r", "c", "rc", "pct", "p"};
    cym__col cols[7] = {
        {h[0], CYM__COL_TEXT},   {h[1], CYM__COL_SCORE},       {h[2], CYM__COL_RANK},
        {h[3], CYM__COL_CHANGE}, {h[4], CYM__COL_RANK_CHANGE}, {h[5], CYM__COL_PCT},
        {h[6], CYM__COL_P}};
    static char name[] = "A & B";
    cym__cell cells[7] = {{NAN, name}, {81.876, NULL}, {3, NULL},     {1.26, NULL},
                          {-2, NULL},  {66.66, NULL},  {0.0004, NULL}};
    cym__table t = {"x", NULL, NULL, 7, 1, 1, cols, cells};
    char buf[64];
    (void)state;
    cym__cell_text(buf, sizeof(buf), &t, 0, 0, 1);
    assert_string_equal(buf, "A & B"); /* escaping is the writer's job */
    cym__cell_text(buf, sizeof(buf), &t, 0, 1, 1);
    assert_string_equal(buf, "81.9");
    cym__cell_text(buf, sizeof(buf), &t, 0, 1, 3);
    assert_string_equal(buf, "81.876");
    cym__cell_text(buf, sizeof(buf), &t, 0, 2, 1);
    assert_string_equal(buf, "3");
    cym__cell_text(buf, sizeof(buf), &t, 0, 3, 1);
    assert_string_equal(buf, "+1.3 \u25b2");
    cym__cell_text(buf, sizeof(buf), &t, 0, 4, 1);
    assert_string_equal(buf, "\u22122 \u25bc"); /* minus sign, no decimals for places */
    cym__cell_text(buf, sizeof(buf), &t, 0, 5, 1);
    assert_string_equal(buf, "67");
    cym__cell_text(buf, sizeof(buf), &t, 0, 6, 1);
    assert_string_equal(buf, "<0.001");
    cells[6].v = 0.0349;
    cym__cell_text(buf, sizeof(buf), &t, 0, 6, 1);
    assert_string_equal(buf, "0.035");
    /* a change that rounds to zero has no sign and no arrow; a score never shows -0.0 */
    cells[3].v = -0.04;
    cym__cell_text(buf, sizeof(buf), &t, 0, 3, 1);
    assert_string_equal(buf, "0.0");
    cells[1].v = -0.04;
    cym__cell_text(buf, sizeof(buf), &t, 0, 1, 1);
    assert_string_equal(buf, "0.0");
    cells[1].v = NAN;
    cym__cell_text(buf, sizeof(buf), &t, 0, 1, 1);
    assert_string_equal(buf, "\u2013");
}

/* The Markdown writer escapes the inputs' text in every cell and header. */
static void test_table_md_escapes(void **state)
{
    static char h0[] = "Country", h1[] = "Score";
    static char hostile[] = "<script>alert(1)</script>|x";
    cym__col cols[2] = {{h0, CYM__COL_TEXT}, {h1, CYM__COL_SCORE}};
    cym__cell cells[2] = {{NAN, hostile}, {50, NULL}};
    static char title[] = "T", note[] = "N";
    cym__table t = {"x", title, note, 2, 1, 1, cols, cells};
    cym__buf b = {0};
    (void)state;
    cym__table_md(&b, &t, 1, 2);
    assert_non_null(strstr(b.p, "| &lt;script&gt;alert(1)&lt;/script&gt;\\|x | 50.0 |"));
    assert_null(strstr(b.p, "<script"));
    cym__buf_free(&b);
    cym__table_html(&b, &t, 1, 2);
    assert_non_null(strstr(b.p, "<td>&lt;script&gt;alert(1)&lt;/script&gt;|x</td>"));
    assert_null(strstr(b.p, "<script"));
    cym__buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escape), cmocka_unit_test(test_md_escape),
        cmocka_unit_test(test_base64),      cmocka_unit_test(test_printf_grows),
        cmocka_unit_test(test_cell_text),   cmocka_unit_test(test_table_md_escapes),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
