/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Text helpers for the loaders. Numbers are parsed with strtod_l under a "C" locale object, so
 * the user's locale never changes how "1.5" reads, and the whole field must be consumed.
 * The usual data value ("50.7964": few digits, a small power of ten) is read without strtod,
 * with the same bits (cym__parse_decimal_exact).
 */
#define _GNU_SOURCE /* strtod_l */
#include "cymetrics/format.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static int is_nonfinite_word(const char *p)
{
    return cym__strcaseeq(p, "nan") || cym__strcaseeq(p, "inf") || cym__strcaseeq(p, "infinity");
}

static const char *const missing_tokens[] = {"", "NA", "N/A", "n/a", "..", "-"};

/*
 * Clinger's fast path ("How to read floating point numbers accurately", PLDI 1990): a decimal
 * w x 10^e whose digits w fit in 53 bits and with |e| <= 22 is one multiplication or division
 * of two doubles that are exact (w and 10^|e|), so IEEE arithmetic rounds it once, to
 * nearest, which is what strtod returns. Only where doubles are evaluated in double
 * (FLT_EVAL_METHOD 0: SSE2, AArch64); elsewhere strtod reads everything.
 */
int cym__parse_decimal_exact(const char *s, double *out)
{
#if FLT_EVAL_METHOD == 0
    static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = s;
    uint64_t w = 0;
    int neg = 0, digits = 0, any = 0;
    long scale = 0;
    double v;

    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++, any = 1) {
        if (w == 0 && *p == '0')
            continue; /* a leading zero */
        if (++digits > 19)
            return 0; /* w might not fit in 64 bits */
        w = w * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, any = 1) {
            scale--;
            if (w == 0 && *p == '0')
                continue;
            if (++digits > 19)
                return 0;
            w = w * 10 + (uint64_t)(*p - '0');
        }
    if (!any)
        return 0;
    if (*p == 'e' || *p == 'E') {
        long e = 0;
        int eneg = 0, edigits = 0;
        p++;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        for (; *p >= '0' && *p <= '9'; p++, edigits++)
            if (e < 100000)
                e = e * 10 + (*p - '0');
        if (!edigits)
            return 0;
        scale += eneg ? -e : e;
    }
    if (*p || w > (UINT64_C(1) << 53) || scale < -22 || scale > 22)
        return 0;
    v = (double)w;
    v = scale < 0 ? v / pow10[-scale] : v * pow10[scale];
    *out = neg ? -v : v;
    return 1;
#else
    (void)s;
    (void)out;
    return 0;
#endif
}

cym__num cym__parse_number(const char *s, double *out)
{
    char *end;
    double v;
    const char *p;

    if (*s == '\0' || *s == 'N' || *s == 'n' || *s == '.' || (*s == '-' && s[1] == '\0'))
        for (size_t i = 0; i < sizeof(missing_tokens) / sizeof(*missing_tokens); i++)
            if (strcmp(s, missing_tokens[i]) == 0)
                return CYM_NUM_MISSING;
    if (cym__parse_decimal_exact(s, out))
        return CYM_NUM_OK;
    /* strtod accepts hex, inf, nan and leading blanks: allow only a plain decimal shape */
    p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (!(isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))))
        return is_nonfinite_word(p) ? CYM_NUM_NONFINITE : CYM_NUM_INVALID;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        return CYM_NUM_INVALID;
    pthread_once(&c_locale_once, make_c_locale);
    if (!c_locale)
        return CYM_NUM_INVALID;
    errno = 0;
    v = strtod_l(s, &end, c_locale);
    if (*end != '\0')
        return CYM_NUM_INVALID;
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return CYM_NUM_NONFINITE;
    *out = v;
    return CYM_NUM_OK;
}

cym__num cym__parse_number_dec(const char *s, char decimal, double *out)
{
    char buf[128];
    size_t n;
    if (decimal != ',')
        return cym__parse_number(s, out);
    /* "1,5" is 1.5; a '.' is then a thousands separator or a mistake, never a decimal mark */
    if (strchr(s, '.') && strcmp(s, "..") != 0)
        return CYM_NUM_INVALID;
    n = strlen(s);
    if (n >= sizeof(buf)) /* no plain decimal number is that long */
        return CYM_NUM_INVALID;
    for (size_t i = 0; i <= n; i++)
        buf[i] = s[i] == ',' ? '.' : s[i];
    if (strchr(s, ',') != strrchr(s, ','))
        return CYM_NUM_INVALID;
    return cym__parse_number(buf, out);
}

const char *cym__number_hint_dec(const char *s, char decimal)
{
    if (decimal == ',' && strchr(s, '.'))
        return " (with the decimal comma, write 1234,5 without thousands separators)";
    if (decimal == ',' && strchr(s, ','))
        return " (several decimal commas?)";
    return cym__number_hint(s);
}

const char *cym__number_hint(const char *s)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '%')
        return " (write percentages without the % sign)";
    if (strchr(s, ','))
        return " (a decimal comma or thousands separator? write 1234.5)";
    if (strstr(s, "0x") || strstr(s, "0X"))
        return " (hexadecimal is not accepted)";
    if (strchr(s, ' '))
        return " (no spaces inside numbers)";
    return "";
}

int cym__valid_code(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        unsigned char c = (unsigned char)s[n];
        if (!(isalnum(c) || c == '_' || c == '.' || c == '-') || c >= 0x80)
            return 0;
    }
    return n >= 1 && n <= 64;
}

void cym__year_range_format(char *buf, size_t n, int from, int to)
{
    if (from && from == to)
        snprintf(buf, n, "%d", from);
    else if (from && to)
        snprintf(buf, n, "%d-%d", from, to);
    else if (from)
        snprintf(buf, n, "%d-", from);
    else
        snprintf(buf, n, "-%d", to);
}

int cym__parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    if (!isdigit((unsigned char)*s) && !(*s == '-' && isdigit((unsigned char)s[1])))
        return -1;
    /* a few digits (a year): what strtol would read, without it */
    v = 0;
    for (end = (char *)(uintptr_t)s; *end >= '0' && *end <= '9' && end - s < 9; end++)
        v = v * 10 + (*end - '0');
    if (!*end && end > s) {
        if (v < lo || v > hi)
            return -1;
        *out = v;
        return 0;
    }
    errno = 0;
    v = strtol(s, &end, 10);
    if (*end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

size_t cym__edit_distance(const char *a, const char *b, size_t cap)
{
    /* optimal string alignment (Damerau-Levenshtein without re-editing a transposed pair):
       "rnu" is one edit from "run"; three rows, the one before last for the transposition */
    size_t la = strlen(a), lb = strlen(b);
    size_t rows[3][65], *pp = rows[0], *p = rows[1], *r = rows[2];
    if (la > 64 || lb > 64)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t *t;
        r[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t best = p[j - 1] + (ca != cb);
            if (p[j] + 1 < best)
                best = p[j] + 1;
            if (r[j - 1] + 1 < best)
                best = r[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            r[j] = best;
        }
        t = pp;
        pp = p;
        p = r;
        r = t;
    }
    return p[lb] > cap ? cap + 1 : p[lb];
}

void cym__suggest_init(cym__suggest *s, const char *word)
{
    size_t len = strlen(word);
    s->word = word;
    s->best = NULL;
    /* a third of the word, at least one edit and at most three */
    s->cap = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;
    s->dist = s->cap + 1;
}

void cym__suggest_add(cym__suggest *s, const char *candidate)
{
    size_t d;
    if (!candidate || !*candidate)
        return;
    d = cym__edit_distance(s->word, candidate, s->cap);
    if (d < s->dist) {
        s->best = candidate;
        s->dist = d;
    }
}

int cym__strcaseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

char *cym__strdup(const char *s)
{
    size_t n;
    char *p;
    if (!s)
        return NULL;
    n = strlen(s) + 1;
    p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int cym__path_join(char *out, size_t n, const char *dir, const char *rel)
{
    char tmp[4096];
    size_t len = 0;
    const char *p;
    int w = snprintf(tmp, sizeof(tmp), "%s/%s", dir, rel);
    int absolute = tmp[0] == '/';
    size_t leading_up = 0; /* ".." that cannot be removed */

    if (w < 0 || (size_t)w >= sizeof(tmp) || n == 0)
        return -1;
    out[0] = '\0';
    if (absolute) {
        out[0] = '/';
        out[1] = '\0';
        len = 1;
    }
    p = tmp;
    while (*p) {
        size_t seg;
        while (*p == '/')
            p++;
        seg = strcspn(p, "/");
        if (seg == 0)
            break;
        if (seg == 1 && p[0] == '.') {
            /* skip */
        } else if (seg == 2 && p[0] == '.' && p[1] == '.' &&
                   len > (absolute ? 1 : 0) + leading_up * 3) {
            /* drop the last component */
            while (len > (absolute ? 1u : 0u) && out[len - 1] != '/')
                len--;
            if (len > (absolute ? 1u : 0u))
                len--;
            out[len] = '\0';
        } else {
            int up = seg == 2 && p[0] == '.' && p[1] == '.';
            if (up && absolute) {
                /* "/.." is "/" */
            } else {
                if (len + seg + 2 > n)
                    return -1;
                if (len && out[len - 1] != '/')
                    out[len++] = '/';
                memcpy(out + len, p, seg);
                len += seg;
                out[len] = '\0';
                if (up)
                    leading_up++;
            }
        }
        p += seg;
    }
    if (len == 0) {
        if (n < 2)
            return -1;
        strcpy(out, ".");
    }
    return 0;
}

/*
 * Columns a terminal gives to UTF-8 text: East Asian Wide and Fullwidth characters take two,
 * combining marks and zero-width characters none, everything else one (an invalid byte too).
 * Our own ranges (Unicode 15, the blocks names of countries use), not the locale's wcwidth,
 * so the console tables line up whatever LANG says.
 */
static const uint32_t zero_width[][2] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC},
    {0x0EC8, 0x0ECD}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x20D0, 0x20FF},
    {0x302A, 0x302F}, {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}};
static const uint32_t wide[][2] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD}};

static int in_ranges(uint32_t c, const uint32_t (*r)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c >= r[i][0] && c <= r[i][1])
            return 1;
    return 0;
}

size_t cym__display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        uint32_t c = *p;
        int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                  : (c & 0xF8) == 0xF0 ? 4 : 0;
        int ok = len > 0;
        if (len > 1) {
            c &= 0x3Fu >> (len - 1);
            for (int i = 1; i < len && ok; i++) {
                ok = (p[i] & 0xC0) == 0x80;
                c = (c << 6) | (p[i] & 0x3Fu);
            }
        }
        if (!ok) { /* an invalid byte: one column, and on with the next byte */
            w++;
            p++;
            continue;
        }
        p += len;
        if (in_ranges(c, zero_width, sizeof(zero_width) / sizeof(*zero_width)))
            continue;
        w += in_ranges(c, wide, sizeof(wide) / sizeof(*wide)) ? 2 : 1;
    }
    return w;
}

void cym__fmt_shortest(char *buf, size_t n, double v)
{
    char t[32];
    cym_format_double(t, v);
    snprintf(buf, n, "%s", t);
}

int cym__path_canonical(char *out, size_t n, const char *path)
{
    char buf[PATH_MAX], head[PATH_MAX];
    const char *rest;
    size_t len;
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        return -1;
    /* the longest prefix buf[0..len) that exists ("." when none of a relative path does) */
    for (len = strlen(buf);;) {
        char save = buf[len];
        int found;
        buf[len] = '\0';
        found = realpath(len ? buf : ".", head) != NULL;
        buf[len] = save;
        if (found)
            break;
        while (len > 0 && buf[len - 1] == '/')
            len--;
        while (len > 0 && buf[len - 1] != '/')
            len--;
    }
    /* the rest, which does not exist, with "." and ".." resolved as text */
    rest = buf + len;
    if (!*rest)
        return snprintf(out, n, "%s", head) >= (int)n ? -1 : 0;
    return cym__path_join(out, n, head, rest);
}

/* The canonical path p relative to the canonical folder b (cym__path_relative). */
static int relative_canonical(char *out, size_t n, const char *p, const char *b)
{
    size_t common = 0, len = 0;
    /* the longest common prefix that ends at a component boundary */
    for (size_t i = 0;; i++) {
        int pe = p[i] == '\0' || p[i] == '/', be = b[i] == '\0' || b[i] == '/';
        if (pe && be)
            common = i;
        if (p[i] != b[i] || p[i] == '\0')
            break;
    }
    if (strcmp(b, "/") == 0)
        common = 0;
    out[0] = '\0';
    /* one ".." for every component of base after the common part */
    for (const char *q = b + common; *q; q++)
        if (*q == '/' && q[1] != '\0') {
            if (len + 4 > n)
                return -1;
            memcpy(out + len, "../", 4);
            len += 3;
        }
    {
        const char *rest = p + common + (p[common] == '/');
        size_t rl = strlen(rest);
        if (!rl && len)
            out[--len] = '\0'; /* "../" alone: drop the slash */
        else if (!rl && !len)
            return snprintf(out, n, ".") >= (int)n ? -1 : 0;
        if (len + rl + 1 > n)
            return -1;
        memcpy(out + len, rest, rl + 1);
    }
    return 0;
}

int cym__path_relative(char *out, size_t n, const char *path, const char *base)
{
    char p[PATH_MAX], b[PATH_MAX];
    if (cym__path_canonical(p, sizeof(p), path) < 0 || cym__path_canonical(b, sizeof(b), base) < 0)
        return -1;
    return relative_canonical(out, n, p, b);
}

void cym__relative_init(cym__relative *r, const char *base)
{
    r->base_ok = cym__path_canonical(r->base, sizeof(r->base), base) == 0;
    r->dir_ok = 0;
    r->dir_len = 0;
}

int cym__relative_path(cym__relative *r, char *out, size_t n, const char *path)
{
    char p[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    /* the folder as written: "." for a bare name, "/" for a name at the root */
    const char *dir = !slash ? "." : slash == path ? "/" : path;
    size_t dlen = !slash || slash == path ? 1 : (size_t)(slash - path);
    struct stat sb;
    int whole;
    if (!r->base_ok)
        return -1;
    /* the canonical path of a plain name in a folder is the folder's and the name, unless the
       name is a symbolic link (an existing file's real path is its target's) */
    whole = !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
            dlen >= sizeof(r->dir) ||
            (lstat(path, &sb) == 0 ? S_ISLNK(sb.st_mode) : errno != ENOENT);
    if (!whole && (!r->dir_ok || dlen != r->dir_len || memcmp(r->dir, dir, dlen) != 0)) {
        memcpy(r->dir, dir, dlen);
        r->dir[dlen] = '\0';
        r->dir_len = dlen;
        r->dir_ok = cym__path_canonical(r->dir_canon, sizeof(r->dir_canon), r->dir) == 0;
    }
    if (whole || !r->dir_ok ? cym__path_canonical(p, sizeof(p), path) < 0
                            : cym__path_join(p, sizeof(p), r->dir_canon, name) < 0)
        return -1;
    return relative_canonical(out, n, p, r->base);
}

int cym__path_within(const char *a, const char *b)
{
    size_t lb = strlen(b);
    if (strcmp(b, "/") == 0)
        return 1;
    return strncmp(a, b, lb) == 0 && (a[lb] == '\0' || a[lb] == '/');
}
