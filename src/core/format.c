/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * %.17g without printf, for the millions of numbers a large run writes (glibc's printf takes
 * a few hundred nanoseconds per number; this takes a few tens).
 *
 * For 1e-4 <= |v| < 1e15 (where %g writes no exponent) the 17 significant digits are
 * round(v * 10^k) with k = 16 - X and X the decimal exponent. 10^k is exact in long double
 * for k <= 27 (5^27 < 2^64; here k <= 20), so the product carries a single rounding of at
 * most 2^-64 relative, i.e. less than 0.006 at 1e17. When the fractional part is within 0.02 of one half the rounding direction is not
 * certain and we ask snprintf; otherwise the digits are exactly those of %.17g. Whole
 * numbers below 1e15 are written directly; everything else goes to snprintf.
 * tests/unit/test_format.c compares the two on millions of values.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cymetrics/format.h"

static size_t utoa(char *buf, uint64_t v)
{
    char tmp[24];
    size_t n = 0, i;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

/* 10^0 .. 10^20, all exact in long double */
static const long double pow10l_table[21] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L, 1e10L,
    1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L};

static size_t slow(char *buf, double v)
{
    int n = snprintf(buf, 32, "%.17g", v);
    return n < 0 ? 0 : (size_t)n;
}

size_t cym_format_double(char *buf, double v)
{
    double a = fabs(v);
    size_t len = 0, nd;
    char dig[24];
    int x;
    long double p, fl, frac;
    uint64_t d;

    if (isnan(v)) {
        buf[0] = '\0';
        return 0;
    }
    if (a < 1e15 && a == floor(a)) {
        if (signbit(v))
            buf[len++] = '-';
        len += utoa(buf + len, (uint64_t)a);
        buf[len] = '\0';
        return len;
    }
    if (!(a >= 1e-4 && a < 1e15))
        return slow(buf, v);
    {
        /* decimal exponent from the binary one; the loop below corrects it by one */
        int e;
        frexp(a, &e);
        x = (int)floor((e - 1) * 0.30102999566398120);
    }
    for (int attempt = 0; attempt < 3; attempt++) {
        int k = 16 - x;
        if (k < 0 || k > 20)
            return slow(buf, v);
        p = (long double)a * pow10l_table[k];
        if (p < 1e16L) {
            x--;
            continue;
        }
        if (p >= 1e17L) {
            x++;
            continue;
        }
        break;
    }
    if (p < 1e16L || p >= 1e17L)
        return slow(buf, v);
    fl = floorl(p);
    frac = p - fl;
    if (fabsl(frac - 0.5L) < 0.02L)
        return slow(buf, v);
    d = (uint64_t)fl + (frac > 0.5L);
    if (d >= UINT64_C(100000000000000000))
        return slow(buf, v);
    nd = utoa(dig, d); /* 17 digits */
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    if (v < 0)
        buf[len++] = '-';
    if (x >= 0) {
        size_t ip = (size_t)x + 1;
        for (size_t i = 0; i < ip; i++)
            buf[len++] = i < nd ? dig[i] : '0';
        if (nd > ip) {
            buf[len++] = '.';
            memcpy(buf + len, dig + ip, nd - ip);
            len += nd - ip;
        }
    } else {
        buf[len++] = '0';
        buf[len++] = '.';
        for (int i = 0; i < -x - 1; i++)
            buf[len++] = '0';
        memcpy(buf + len, dig, nd);
        len += nd;
    }
    buf[len] = '\0';
    return len;
}
