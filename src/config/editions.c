/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Framework editions (issue 9): the declarations of the [framework] section
 * (`2017-2019 = indicators/x-v1.csv`, `2020- = indicators/x-v2.csv`) and of `--edition`, and
 * the check that they leave no gap. The keys themselves are rows of option_table.c.
 *
 * Year ranges are A-B (closed), A- (open end), -B (open start) or A (one year). Overlaps are
 * refused as soon as the second range is read, with its line; gaps between editions are
 * refused once all are known (cym_edition_spec_check, src/edition/spec.c), since the order of
 * declaration is free.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/options_internal.h"

static void where(char *buf, size_t n, const cym_edition_decl *d)
{
    if (d->line)
        snprintf(buf, n, "%s:%lu", d->origin, d->line);
    else
        snprintf(buf, n, "the command line");
}

cym_status cym__edition_add(cym_edition_spec *e, const char *range, const char *path,
                            const char *origin, unsigned long line, cym_error *err)
{
    cym_edition_decl *d;
    int from, to;
    char r1[32], r2[32], w[CYM_PATH_MAX + 32];

    if (cym__years_parse(range, &from, &to) < 0)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "invalid edition years '%s' (expected A-B, A-, -B or A, years "
                             "1900-2100, e.g. '2017-2019 = indicators/x-v1.csv')",
                             range);
    if (!path[0])
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "edition %s names no framework file", range);
    if (strlen(path) >= sizeof(e->ed[0].path))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "path too long");
    if (e->n >= CYM_MAX_EDITIONS)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "more than %d framework editions",
                             CYM_MAX_EDITIONS);
    for (size_t i = 0; i < e->n; i++) {
        const cym_edition_decl *p = &e->ed[i];
        long lo1 = from ? from : INT_MIN, hi1 = to ? to : INT_MAX;
        long lo2 = p->year_from ? p->year_from : INT_MIN, hi2 = p->year_to ? p->year_to : INT_MAX;
        if (lo1 <= hi2 && lo2 <= hi1) {
            cym__years_format(r1, sizeof(r1), from, to);
            cym__years_format(r2, sizeof(r2), p->year_from, p->year_to);
            where(w, sizeof(w), p);
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "edition years %s overlap the edition %s (%s): each year is "
                                 "scored with one framework",
                                 r1, r2, w);
        }
    }
    d = &e->ed[e->n++];
    memset(d, 0, sizeof(*d));
    d->year_from = from;
    d->year_to = to;
    memcpy(d->path, path, strlen(path) + 1);
    snprintf(d->origin, sizeof(d->origin), "%s", origin ? origin : "");
    d->line = line;
    return CYM_OK;
}
