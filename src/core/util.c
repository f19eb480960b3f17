/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Text helpers for the loaders. Numbers are parsed with strtod_l under a "C" locale object, so
 * the user's locale never changes how "1.5" reads, and the whole field must be consumed.
 */
#define _GNU_SOURCE /* strtod_l */
#include "cymetrics/format.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

cym__num cym__parse_number(const char *s, double *out)
{
    char *end;
    double v;
    const char *p;

    if (*s == '\0' || *s == 'N' || *s == 'n' || *s == '.' || (*s == '-' && s[1] == '\0'))
        for (size_t i = 0; i < sizeof(missing_tokens) / sizeof(*missing_tokens); i++)
            if (strcmp(s, missing_tokens[i]) == 0)
                return CYM_NUM_MISSING;
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
    errno = 0;
    v = strtol(s, &end, 10);
    if (*end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

size_t cym__edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[65];
    if (la > 64 || lb > 64)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub =
                prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            prev = cur;
        }
    }
    return row[lb] > cap ? cap + 1 : row[lb];
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

int cym__path_relative(char *out, size_t n, const char *path, const char *base)
{
    char p[PATH_MAX], b[PATH_MAX];
    size_t common = 0, len = 0;
    if (cym__path_canonical(p, sizeof(p), path) < 0 || cym__path_canonical(b, sizeof(b), base) < 0)
        return -1;
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

int cym__path_within(const char *a, const char *b)
{
    size_t lb = strlen(b);
    if (strcmp(b, "/") == 0)
        return 1;
    return strncmp(a, b, lb) == 0 && (a[lb] == '\0' || a[lb] == '/');
}
