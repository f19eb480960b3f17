/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The framework editions a run declares ([framework] of the INI, --edition), checked as a
 * whole once every declaration is read: sorted by first year, with no year between the first
 * edition and the last left without a framework.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/util.h"
#include "cymetrics/edition.h"

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
            cym__year_range_format(r1, sizeof(r1), a->year_from, a->year_to);
            cym__year_range_format(r2, sizeof(r2), b->year_from, b->year_to);
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

