/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Framework editions (issue 9): the declarations of the [framework] section
 * (`2017-2019 = indicators/x-v1.csv`, `2020- = indicators/x-v2.csv`) and of `--edition`, and
 * the check that they leave no gap. The keys themselves are rows of option_table.c.
 *
 * Year ranges are A-B (closed), A- (open end), -B (open start) or A (one year). Overlaps are
 * refused as soon as the second range is read, with its line; gaps between editions are
 * refused once all are known (cym_edition_spec_check), since the order of declaration is free.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/options_internal.h"
#include "cymetrics/edition.h"

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

static int by_start(const void *a, const void *b)
{
    const cym_edition_decl *x = a, *y = b;
    long lx = x->year_from ? x->year_from : INT_MIN, ly = y->year_from ? y->year_from : INT_MIN;
    return lx < ly ? -1 : lx > ly;
}

cym_status cym_edition_spec_check(cym_edition_spec *e, cym_error *err)
{
    char r1[32], r2[32];
    if (e->n == 0) {
        if (e->crosswalk[0])
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "a crosswalk needs framework editions ([framework] "
                                 "section: '2017-2019 = FILE', '2020- = FILE')");
        return CYM_OK;
    }
    qsort(e->ed, e->n, sizeof(*e->ed), by_start);
    for (size_t i = 0; i + 1 < e->n; i++) {
        const cym_edition_decl *a = &e->ed[i], *b = &e->ed[i + 1];
        /* overlaps were refused on reading: only gaps and an open end before another remain */
        if (a->year_to && b->year_from && b->year_from != a->year_to + 1) {
            cym__years_format(r1, sizeof(r1), a->year_from, a->year_to);
            cym__years_format(r2, sizeof(r2), b->year_from, b->year_to);
            if (b->line)
                return cym_error_set(err, CYM_EUSAGE, b->origin, b->line, 0,
                                     "no edition covers %d-%d: editions %s and %s leave a gap "
                                     "(every year from the first edition to the last needs one)",
                                     a->year_to + 1, b->year_from - 1, r1, r2);
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "no edition covers %d-%d: editions %s and %s leave a gap",
                                 a->year_to + 1, b->year_from - 1, r1, r2);
        }
    }
    return CYM_OK;
}

