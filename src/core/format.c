/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The shortest text that reads back to the same double, without printf for the millions of
 * numbers a large run writes (glibc's printf takes a few hundred nanoseconds per number; this
 * takes a few tens). The layout is that of %.17g (plain notation for decimal exponents -4 to
 * 16, "1e-05" and "1.5e+17" outside), the digits are the fewest that read back: 0.3, not
 * 0.29999999999999999.
 *
 * Why 15, 16 or 17 digits suffice to look at: for a normal double the interval of reals that
 * read back to it is at most 2^-53 relative on each side, less than half a unit of the 15th
 * significant digit (>= 5e-16 relative). So when any decimal of k <= 15 digits reads back, the
 * 15-digit rounding of the double is that decimal padded with zeros, and stripping them gives
 * it; when none does, the 16-digit rounding is tried, and 17 digits always read back.
 *
 * For 1e-4 <= |v| < 1e15, p = v * 10^(16 - X) with X the decimal exponent has the 17 significant
 * digits in its integer part; 10^k is exact in long double for k <= 27 (5^27 < 2^64; here
 * k <= 20), so p carries a single rounding of at most 2^-64 relative. The 15-, 16- and 17-digit
 * candidates round p's integer part at the hundreds, tens or units; when the part rounded off is
 * within p * 2^-63 of one half the direction is not certain and printf decides. A candidate
 * reads back when it lies strictly between the midpoints to the neighbouring doubles (exact in
 * long double: 54 bits), scaled by the same 10^(16 - X); within p * 2^-63 of one, printf and
 * strtod decide. Where long double is not wider than double (valgrind
 * emulates it in 64 bits) everything goes to printf. Whole numbers below 1e15 are written
 * directly. tests/unit/test_format.c compares with printf and strtod on millions of values.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* 10^0 .. 10^21, all exact in long double (16 - x indexes it, x >= -5 for a >= 1e-4) */
static const long double pow10l_table[22] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L, 1e10L,
    1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L};

/* nd significant digits dig with decimal exponent x, laid out as %.17g lays them out */
static size_t layout(char *buf, int neg, const char *dig, size_t nd, int x)
{
    size_t len = 0;
    if (neg)
        buf[len++] = '-';
    if (x < -4 || x >= 17) {
        int ax = x < 0 ? -x : x;
        buf[len++] = dig[0];
        if (nd > 1) {
            buf[len++] = '.';
            memcpy(buf + len, dig + 1, nd - 1);
            len += nd - 1;
        }
        buf[len++] = 'e';
        buf[len++] = x < 0 ? '-' : '+';
        if (ax < 10)
            buf[len++] = '0';
        len += utoa(buf + len, (uint64_t)ax);
    } else if (x >= 0) {
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

/* printf and strtod: the fewest digits of %.Ne that read back (from 1 for subnormals, whose
   interval is wider; from 15 otherwise, see above) */
static size_t slow(char *buf, double v)
{
    char e[40], dig[24];
    size_t nd = 0;
    int n, x;
    const char *p;
    if (!isfinite(v)) {
        n = snprintf(buf, 32, "%.17g", v);
        return n < 0 ? 0 : (size_t)n;
    }
    for (n = fabs(v) < DBL_MIN ? 1 : 15; n < 17; n++) {
        snprintf(e, sizeof(e), "%.*e", n - 1, v);
        if (strtod(e, NULL) == v)
            break;
    }
    if (n == 17)
        snprintf(e, sizeof(e), "%.16e", v);
    for (p = e + (e[0] == '-'); *p != 'e'; p++)
        if (*p != '.')
            dig[nd++] = *p;
    x = atoi(p + 1);
    if (x >= 15 && x < 17) { /* plain notation: all the integer digits, not zeros padding */
        n = snprintf(buf, 32, "%.*g", n > x + 1 ? n : x + 1, v);
        return n < 0 ? 0 : (size_t)n;
    }
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    return layout(buf, e[0] == '-', dig, nd, x);
}

/* whether long double carries more bits than double here (not under valgrind) */
static int extended(void)
{
    volatile long double one = 1.0L, tiny = 0x1p-60L;
    return LDBL_MANT_DIG >= 64 && one + tiny != one;
}

/* the candidate of n digits from the 17-digit product fl + frac (fl < 10^17 whole): whether
   it rounds up (1), down (0), or too near one half to tell (-1) */
static int round_up(uint64_t rem, long double frac, uint64_t unit, long double err)
{
    long double tail = (long double)rem + frac, half = (long double)unit / 2;
    if (fabsl(tail - half) <= err)
        return -1;
    return tail > half;
}

size_t cym_format_double(char *buf, double v)
{
    double a = fabs(v), below, above;
    size_t len = 0;
    char dig[24];
    int x, e;
    long double scale, p, frac, lo, hi, err;
    uint64_t fl, bits;

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
    if (!(a >= 1e-4 && a < 1e15) || !extended())
        return slow(buf, v);
    /* decimal exponent from the binary one (frexp's, read from the bits: a is normal),
       corrected by one if need be */
    memcpy(&bits, &a, sizeof(bits));
    e = (int)((bits >> 52) & 0x7FF) - 1022;
    x = (int)floor((e - 1) * 0.30102999566398120);
    p = (long double)a * pow10l_table[16 - x];
    if (p < 1e16L)
        x--;
    else if (p >= 1e17L)
        x++;
    if (x < -4 || x > 14)
        return slow(buf, v);
    scale = pow10l_table[16 - x];
    p = (long double)a * scale;
    if (p < 1e16L || p >= 1e17L) /* the estimate was off by more than one */
        return slow(buf, v);
    fl = (uint64_t)p;
    frac = p - (long double)fl;
    /* the midpoints to the neighbouring doubles (a is positive, normal, finite), scaled alike */
    bits--;
    memcpy(&below, &bits, sizeof(below));
    bits += 2;
    memcpy(&above, &bits, sizeof(above));
    lo = ((long double)a + below) / 2 * scale;
    hi = ((long double)a + above) / 2 * scale;
    err = p * 0x1p-63L; /* each product above is within p * 2^-64 */
    for (int n = 15; n <= 17; n++) {
        /* divisions by constants (multiplications), not by a variable */
        uint64_t unit = n == 15 ? 100 : n == 16 ? 10 : 1, d, m;
        uint64_t q = n == 15 ? fl / 100 : n == 16 ? fl / 10 : fl;
        int up = round_up(fl - q * unit, frac, unit, err), xx = x;
        size_t nd = (size_t)n;
        long double c;
        if (up < 0 && n == 17) {
            /* 17 digits it is; only their last one is in doubt (2 % of 17-digit numbers) */
            char t[32];
            snprintf(t, sizeof(t), "%.16e", a);
            dig[0] = t[0];
            memcpy(dig + 1, t + 2, 16);
            for (nd = 17; nd > 1 && dig[nd - 1] == '0'; nd--)
                ;
            return layout(buf, v < 0, dig, nd, atoi(t + 19));
        }
        if (up < 0)
            return slow(buf, v);
        d = q + (uint64_t)up;
        c = (long double)(d * unit); /* exact: below 2^64 */
        if (n < 17) {
            if (c < lo - err || c > hi + err)
                continue; /* does not read back: one digit more */
            if (!(c > lo + err && c < hi - err))
                return slow(buf, v);
        }
        if (d * unit >= UINT64_C(100000000000000000)) { /* 9.99..95 rounds up to 10.0 */
            d /= 10;
            nd--;
            xx++;
        }
        for (m = d; nd > 1 && m % 10 == 0; nd--)
            m /= 10;
        utoa(dig, m);
        return layout(buf, v < 0, dig, nd, xx);
    }
    return slow(buf, v); /* not reached: 17 digits read back */
}
