/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * CSV output: text fields quoted as RFC 4180 wants (only when they need it) and made safe to
 * open in a spreadsheet, numbers as cym_format_double writes them (the shortest text that reads back to
 * the identical double).
 *
 * Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` as a formula, and some
 * skip a leading tab or carriage return first ("CSV injection"): a country name such as
 * `=HYPERLINK(...)` in a table an analyst opens would be a live formula, quoted or not.
 * Following OWASP's guidance, a text field from the inputs that starts with one of those six
 * bytes is written with a single quote in front, inside double quotes (`"'=HYPERLINK(...)"`),
 * which a spreadsheet takes for text (Gnumeric hides the quote; others may show it). Two
 * exceptions keep the tables exact: numbers the writers format themselves never pass through
 * here, and a text field that is a plain decimal number as cymetrics reads numbers (`-5`,
 * `+2.5`, `-1e3`: cym__parse_number) is written as it is, since a spreadsheet reads it as that
 * number and runs nothing. The rule is in one place, csv_guard(); docs/formats.md states it
 * for users.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "cymetrics/format.h"
#include "io/csv.h"

/* 1 when a spreadsheet could take `s` for a formula: the rule above. */
static int csv_guard(const char *s)
{
    double v;
    if (!s[0] || !strchr("=+-@\t\r", s[0]))
        return 0;
    return cym__parse_number(s, &v) != CYM_NUM_OK;
}

static int csv_needs_quotes(const char *s)
{
    return strpbrk(s, ",\"\r\n") != NULL;
}

size_t cym__csv_format_text(char *dst, const char *s)
{
    size_t n = 0;
    int guard = csv_guard(s);
    if (!guard && !csv_needs_quotes(s)) {
        size_t len = strlen(s);
        memcpy(dst, s, len);
        return len;
    }
    dst[n++] = '"';
    if (guard)
        dst[n++] = '\'';
    for (; *s; s++) {
        if (*s == '"')
            dst[n++] = '"';
        dst[n++] = *s;
    }
    dst[n++] = '"';
    return n;
}

static void put(FILE *f, const char *s, int guard)
{
    if (!guard && !csv_needs_quotes(s)) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (guard)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void cym__csv_put_text(FILE *f, const char *s)
{
    put(f, s, csv_guard(s));
}

void cym__csv_put_verbatim(FILE *f, const char *s)
{
    put(f, s, 0);
}

void cym__csv_put_num(FILE *f, double v)
{
    char buf[32];
    fwrite(buf, 1, cym_format_double(buf, v), f);
}

void cym__csv_put_nums(FILE *f, const double *v, size_t n)
{
    /* formatted into one buffer and written in one call, not two stdio calls a number (each
       takes the FILE's lock once the program has a second thread) */
    char buf[512];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (len > sizeof(buf) - 33) {
            fwrite(buf, 1, len, f);
            len = 0;
        }
        buf[len++] = ',';
        len += cym_format_double(buf + len, v[i]);
    }
    fwrite(buf, 1, len, f);
}
