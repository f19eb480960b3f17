/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV output: text fields quoted as RFC 4180 wants (only when they need it). */
#include <stdio.h>
#include <string.h>

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
