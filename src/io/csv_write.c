/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * CSV output: text fields quoted as RFC 4180 wants (only when they need it), numbers as
 * cym_format_double writes them (%.17g, so they read back to the identical double).
 */
#include <stdio.h>
#include <string.h>

#include "cymetrics/format.h"
#include "io/csv.h"

void cym__csv_put_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void cym__csv_put_num(FILE *f, double v)
{
    char buf[32];
    fwrite(buf, 1, cym_format_double(buf, v), f);
}

void cym__csv_put_nums(FILE *f, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputc(',', f);
        cym__csv_put_num(f, v[i]);
    }
}
