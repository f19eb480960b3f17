/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cym_format_double must give the shortest text that reads back to the same double, laid out
 * as %.17g lays numbers out. The independent reference here is glibc: the fewest digits N for
 * which printf("%.{N-1}e") reads back through strtod, in %.{N}g's plain notation where
 * %.17g has it (decimal exponents -4 to 16). Checked on random doubles of every magnitude
 * (subnormals included), integers, powers of ten, values near rounding boundaries and
 * special cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cymetrics/format.h"
#include "core/mem.h"
#include "core/util.h"

static void reference(char *buf, size_t n, double v)
{
    char e[40];
    int prec, x, lo = 1, hi = 17;
    if (isnan(v)) {
        buf[0] = '\0';
        return;
    }
    if (!isfinite(v)) {
        snprintf(buf, n, "%.17g", v);
        return;
    }
    /* the fewest digits that read back, by bisection (more digits never read back worse) */
    while (lo < hi) {
        prec = (lo + hi) / 2;
        snprintf(e, sizeof(e), "%.*e", prec - 1, v);
        if (strtod(e, NULL) == v)
            hi = prec;
        else
            lo = prec + 1;
    }
    prec = lo;
    snprintf(e, sizeof(e), "%.*e", prec - 1, v);
    x = atoi(strchr(e, 'e') + 1);
    /* %.{prec}g, but plain notation wherever %.17g has it (100 at one digit is "1e+02") */
    snprintf(buf, n, "%.*g", x >= -4 && x < 17 && x + 1 > prec ? x + 1 : prec, v);
}

static void check(double v)
{
    char got[40], want[40];
    size_t len = cym_format_double(got, v);
    reference(want, sizeof(want), v);
    if (strcmp(got, want) != 0 || len != strlen(want))
        fail_msg("%a: got '%s', expected '%s'", v, got, want);
    if (isfinite(v) && strtod(got, NULL) != v)
        fail_msg("%a: '%s' does not read back", v, got);
}

static uint64_t state = 88172645463325252ULL;
static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static void special_values(void **s)
{
    static const double v[] = {0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 100.0, 99.999999999999986,
                               1e15, 1e15 - 1, 1e16, 1e17, 1e-5, 9.9999999999999991e-06,
                               1e-300, 5e-324, 1.7976931348623157e308, 123456789012345.67,
                               33.333333333333336, 66.666666666666671, 2.5, 0.30000000000000004,
                               NAN, INFINITY, -INFINITY};
    (void)s;
    for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++)
        check(v[i]);
}

static void random_bits(void **s)
{
    (void)s;
    for (int i = 0; i < 1000000; i++) {
        uint64_t b = next();
        double v;
        memcpy(&v, &b, sizeof(v));
        check(v);
    }
}

static void random_scores(void **s)
{
    (void)s;
    /* the values runs write most: scores in [0, 100], ratios, raw data up to 1e12 */
    for (int i = 0; i < 250000; i++) {
        double u = (double)(next() >> 11) / 9007199254740992.0;
        check(u * 100.0);
        check(u);
        check(u * 1e12 - 5e11);
        check(ldexp(u, (int)(next() % 80) - 40));
    }
}

static void decimal_neighbours(void **s)
{
    (void)s;
    /* short decimals and their neighbouring doubles sit right at rounding boundaries */
    for (int i = 1; i < 200000; i++) {
        double v = i / 1000.0;
        check(v);
        check(nextafter(v, 0));
        check(nextafter(v, 1e9));
    }
}

static void integers_and_powers(void **s)
{
    (void)s;
    for (int x = -330; x <= 308; x++) {
        char t[16];
        double p;
        snprintf(t, sizeof(t), "1e%d", x); /* the double nearest 10^x, and its neighbours */
        p = strtod(t, NULL);
        check(p);
        check(-p);
        check(nextafter(p, 0));
        check(nextafter(p, INFINITY));
    }
    for (int i = 0; i < 200000; i++) {
        check((double)(next() >> (next() % 64)));
        check(-(double)(int64_t)(next() % 2000001) + 1e6);
    }
}

static void subnormals(void **s)
{
    (void)s;
    for (int i = 0; i < 200000; i++) {
        uint64_t b = next() & ((UINT64_C(1) << 52) - 1);
        double v;
        memcpy(&v, &b, sizeof(v));
        check(v);
        check(-v);
    }
}

static void shortest(void **s)
{
    /* expected texts are Python 3 repr() of the same doubles (shortest round trip), except
       that plain notation is kept where %.17g has it (1e16, 100).
       Settings are shown as a person wrote them: the fewest digits that read back to the
       same double (0.05 is 0.050000000000000003 in %.17g); values that need all 17 keep them */
    static const struct {
        double v;
        const char *text;
    } cases[] = {{0.05, "0.05"}, {0.005, "0.005"}, {0.1, "0.1"}, {2, "2"}, {-1.5, "-1.5"},
                 {1e-9, "1e-09"}, {0.30000000000000004, "0.30000000000000004"},
                 {1.0 / 3.0, "0.3333333333333333"}, {0, "0"}, {100, "100"}, {1e16, "10000000000000000"}, {1.5e17, "1.5e+17"},
                 {250000, "250000"}, {-0.0001, "-0.0001"}, {0.00001, "1e-05"}, {0.3, "0.3"},
                 {28.9, "28.9"}, {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
                 {123456789012345.67, "123456789012345.67"}, {9.5, "9.5"}};
    char buf[40];
    (void)s;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym_format_double(buf, cases[i].v);
        assert_string_equal(buf, cases[i].text);
        cym__fmt_shortest(buf, 4, cases[i].v); /* cut to fit */
        assert_int_equal(strncmp(buf, cases[i].text, 3), 0);
    }
}

/* Terminal columns: expected widths counted by hand from the Unicode charts (CJK ideographs and
   kana are Wide, Thai vowel marks above/below and decomposed Vietnamese accents combine) and
   checked with Python's unicodedata (east_asian_width W/F: 2, category Mn/Me: 0). */
static void display_width(void **s)
{
    static const struct {
        const char *text;
        size_t width;
    } cases[] = {{"Japan", 5},
                 {"\xe6\x97\xa5\xe6\x9c\xac", 4},                     /* 日本 */
                 {"\xe3\x83\x99\xe3\x83\x88\xe3\x83\x8a\xe3\x83\xa0", 8}, /* ベトナム */
                 {"Vi\xe1\xbb\x87t Nam", 8},                            /* Việt Nam, precomposed */
                 {"Vie\xcc\xa3\xcc\x82t Nam", 8},                       /* Việt Nam, decomposed */
                 {"\xe0\xb8\x81\xe0\xb8\xa3\xe0\xb8\xb8\xe0\xb8\x87", 3}, /* กรุง: ุ combines */
                 {"\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2", 3},             /* ไทย */
                 {"\xef\xbc\xa1", 2},                                  /* fullwidth A */
                 {"\xff", 1},                                            /* invalid byte */
                 {"", 0}};
    (void)s;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        assert_int_equal(cym__display_width(cases[i].text), cases[i].width);
}

/* Year ranges as the editions' messages and the `years` setting write them (0 = open end). */
static void year_ranges(void **s)
{
    static const struct {
        int from, to;
        const char *text;
    } cases[] = {
        {2019, 2019, "2019"}, {2017, 2019, "2017-2019"}, {2020, 0, "2020-"}, {0, 2016, "-2016"}};
    char buf[32];
    (void)s;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym__year_range_format(buf, sizeof(buf), cases[i].from, cases[i].to);
        assert_string_equal(buf, cases[i].text);
    }
}

/* The capacity doubles from `first` only when the array is full; an overflowing size fails
   and leaves the array as it was. */
static void grow_array(void **s)
{
    int *v = NULL;
    size_t cap = 0, n = 0;
    char **names;
    (void)s;
    for (; n < 20; n++) {
        size_t before = cap;
        assert_int_equal(cym__grow_array(&v, &cap, n, sizeof(*v), 4), 0);
        assert_int_equal(cap, n < before ? before : before ? 2 * before : 4);
        v[n] = (int)n;
    }
    assert_int_equal(cap, 32); /* 4, 8, 16, 32 */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i], (int)i);
    assert_int_equal(cym__resize_array(&v, SIZE_MAX / 2, sizeof(*v)), -1);
    assert_non_null(v);
    assert_int_equal(v[19], 19);
    free(v);
    /* a list of strings with a NULL among them, and no list at all */
    names = calloc(3, sizeof(*names));
    assert_non_null(names);
    names[0] = strdup("a");
    names[2] = strdup("c");
    cym__free_strings(names, 3);
    cym__free_strings(NULL, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(special_values),
        cmocka_unit_test(random_bits),
        cmocka_unit_test(random_scores),
        cmocka_unit_test(decimal_neighbours),
        cmocka_unit_test(integers_and_powers),
        cmocka_unit_test(subnormals),
        cmocka_unit_test(shortest),
        cmocka_unit_test(display_width),
        cmocka_unit_test(year_ranges),
        cmocka_unit_test(grow_array),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
