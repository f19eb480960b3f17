/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cym_format_double must give the shortest text that reads back to the same double, laid out
 * as %.17g lays numbers out. The independent reference here is glibc: the fewest digits N for
 * which printf("%.{N-1}e") reads back through strtod, in %.{N}g's plain notation where
 * %.17g has it (decimal exponents -4 to 16). For a power of two the doubles below are twice as
 * near as those above, so a decimal of N digits may read back while the nearest one does not:
 * there the reference also tries the N-digit decimal on the other side. Checked on random
 * doubles of every magnitude (subnormals included), integers, powers of ten and of two, values
 * near rounding boundaries and special cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cymetrics/format.h"
#include "core/mem.h"
#include "core/util.h"

/* for a power of two v whose nearest decimal of prec digits reads back: the one of prec - 1
   digits on the other side of v, written to e, when it reads back too */
static int other_side(char *e, size_t n, int prec, double v)
{
    char t[40];
    long long m;
    int x;
    uint64_t bits;
    double r;
    memcpy(&bits, &v, sizeof(bits));
    if ((bits & ((UINT64_C(1) << 52) - 1)) || prec < 2)
        return 0;
    snprintf(t, sizeof(t), "%.*e", prec - 2, fabs(v));
    x = atoi(strchr(t, 'e') + 1) - (prec - 2);
    m = 0;
    for (const char *p = t; *p != 'e'; p++)
        if (*p != '.')
            m = m * 10 + (*p - '0');
    r = strtod(t, NULL);
    snprintf(e, n, "%s%llde%d", v < 0 ? "-" : "", r < fabs(v) ? m + 1 : m - 1, x);
    return strtod(e, NULL) == v;
}

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
    if ((x < 15 || x >= 17) && other_side(e, sizeof(e), prec, v)) {
        /* e is [-]De<X>, D a whole number: lay its digits out by hand */
        char d[24], *out = buf;
        int nd = snprintf(d, sizeof(d), "%lld", atoll(e + (v < 0)));
        x = atoi(strchr(e, 'e') + 1) + nd - 1;
        while (nd > 1 && d[nd - 1] == '0')
            d[--nd] = '\0';
        if (v < 0)
            *out++ = '-';
        if (x < -4 || x >= 17)
            snprintf(out, n - 1, "%c%s%se%c%02d", d[0], nd > 1 ? "." : "", d + 1, x < 0 ? '-' : '+',
                     abs(x));
        else if (x < 0)
            snprintf(out, n - 1, "0.%.*s%s", -x - 1, "0000", d);
        else
            snprintf(out, n - 1, "%.*s%.*s%s%s", x + 1, d, x + 1 > nd ? x + 1 - nd : 0,
                     "00000000000000000", x + 1 < nd ? "." : "", x + 1 < nd ? d + x + 1 : "");
        return;
    }
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

/* CYM_TEST_FORMAT_DIVISOR=N runs a Nth of the random values (valgrind: 100) */
static int divisor = 1;

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
    for (int i = 0; i < 1000000 / divisor; i++) {
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
    for (int i = 0; i < 250000 / divisor; i++) {
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
    for (int i = 1; i < 200000 / divisor; i++) {
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
    /* every digit count of whole numbers (the count of digits taken from the binary length) */
    for (uint64_t p = 1, x = 0; x <= 17; x++, p *= 10) {
        check((double)p);
        check((double)(p - 1));
        check(-(double)(p + 1));
    }
    for (int i = 0; i < 200000 / divisor; i++) {
        check((double)(next() >> (next() % 64)));
        check(-(double)(int64_t)(next() % 2000001) + 1e6);
    }
}

static void powers_of_two(void **s)
{
    (void)s;
    /* every one, the binade's first double, and its neighbours */
    for (int e = -1074; e <= 1023; e++) {
        double p = ldexp(1, e);
        check(p);
        check(-p);
        check(nextafter(p, 0));
        check(nextafter(p, INFINITY));
    }
}

static void subnormals(void **s)
{
    (void)s;
    for (int i = 0; i < 200000 / divisor; i++) {
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
                 {123456789012345.67, "123456789012345.67"}, {9.5, "9.5"},
                 /* powers of two, where the nearest 16-digit decimal does not read back */
                 {0x1p-24, "5.960464477539063e-08"}, {0x1p89, "6.189700196426902e+26"},
                 {0x1p-1017, "7.120236347223045e-307"},
                 /* 20 * 2^-1074, where Java's Schubfach keeps two digits (9.9e-323) */
                 {1e-322, "1e-322"}};
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

/* cym__parse_decimal_exact and cym__parse_number against glibc's strtod, bit for bit: the
   reference is strtod itself (correctly rounded), on random decimals of every shape the fast
   path takes or leaves (1-21 digits, a point anywhere, exponents -40..40, signs, leading
   zeros), on %.{1..17}g of random doubles, and on the edges of its conditions. */
static void check_decimal(const char *t, int *taken)
{
    double want = strtod(t, NULL), got = 0.0, num = 0.0;
    uint64_t a, b;
    if (cym__parse_decimal_exact(t, &got)) {
        memcpy(&a, &want, sizeof(a));
        memcpy(&b, &got, sizeof(b));
        if (a != b)
            fail_msg("'%s': %.17g (%016llx), strtod %.17g (%016llx)", t, got,
                     (unsigned long long)b, want, (unsigned long long)a);
        (*taken)++;
    }
    if (cym__parse_number(t, &num) == CYM_NUM_OK) {
        memcpy(&a, &want, sizeof(a));
        memcpy(&b, &num, sizeof(b));
        if (a != b)
            fail_msg("cym__parse_number('%s') = %.17g, strtod %.17g", t, num, want);
    }
}

static void exact_decimals(void **s)
{
    static const char *const edges[] = {
        "50.7964", "-2e3", "0.001", "1.", ".5", "-.5", "+1", "-0", "-0.0", "0e0", "0e-400",
        "9007199254740992", "9007199254740993", "9007199254740991e-22", "1e22", "1e23",
        "1e-22", "1e-23", "123456789012345678", "1234567890123456789", "12345678901234567890",
        "0.00000000000000000000000001", "000000000000000000000000012.5", "4.9e-324",
        "1.7976931348623157e308", "2.2250738585072014e-308", "1e", "1e+", "e5", ".", "-",
        "1.2.3", "0x10", "1e5x", "inf", "nan", "", "1,5", " 1", "1 ", "5e-0", "5E+05"};
    char t[64];
    int taken = 0, len;
    unsigned long seed = 18;
    (void)s;
    for (size_t i = 0; i < sizeof(edges) / sizeof(*edges); i++)
        check_decimal(edges[i], &taken);
    /* the usual shapes are taken (the first 10 edges, 2^53, 2^53 - 1 over 10^22, 10^22,
       10^-22, leading zeros, 5e-0 and 5E+05) */
    assert_int_equal(taken, 17);
    for (long i = 0; i < 1000000 / divisor; i++) {
        int nd, point, e;
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        nd = 1 + (int)((seed >> 59) % 21);
        point = (int)((seed >> 50) % (unsigned long)(nd + 2)) - 1; /* -1: no point */
        len = 0;
        if (seed & 1)
            t[len++] = (seed & 2) ? '-' : '+';
        for (int k = 0; k < nd; k++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            if (k == point)
                t[len++] = '.';
            /* runs of 0s and 9s sit near rounding boundaries */
            t[len++] = (char)((seed >> 61) == 0 ? '0' : (seed >> 61) == 1 ? '9'
                                                                           : '0' + (seed >> 33) % 10);
        }
        if (point == nd)
            t[len++] = '.';
        t[len] = '\0';
        if ((seed >> 40) % 3 == 0) {
            e = (int)((seed >> 20) % 81) - 40;
            snprintf(t + len, sizeof(t) - (size_t)len, "%c%d", (seed >> 10) & 1 ? 'e' : 'E', e);
        }
        check_decimal(t, &taken);
        /* and a double as printf writes it, at every precision */
        {
            double v;
            uint64_t bits = seed ^ (seed << 17);
            memcpy(&v, &bits, sizeof(v));
            if (isfinite(v)) {
                snprintf(t, sizeof(t), "%.*g", 1 + (int)(i % 17), v);
                check_decimal(t, &taken);
            }
            snprintf(t, sizeof(t), "%.*f", (int)(i % 7), ldexp((double)(seed >> 11), -(int)(i % 40)));
            check_decimal(t, &taken);
        }
    }
    assert_true(taken > 1000000 / divisor); /* most of them took the fast path */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(special_values),
        cmocka_unit_test(random_bits),
        cmocka_unit_test(random_scores),
        cmocka_unit_test(decimal_neighbours),
        cmocka_unit_test(integers_and_powers),
        cmocka_unit_test(powers_of_two),
        cmocka_unit_test(subnormals),
        cmocka_unit_test(shortest),
        cmocka_unit_test(display_width),
        cmocka_unit_test(year_ranges),
        cmocka_unit_test(grow_array),
        cmocka_unit_test(exact_decimals),
    };
    const char *d = getenv("CYM_TEST_FORMAT_DIVISOR");
    if (d && atoi(d) > 0)
        divisor = atoi(d);
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
