/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The [trends] keys (METHODS.md section 7): the basis of the year-over-year statistics
 * (`all`: each year's scores as computed; `common`: like for like, each pair of years on the
 * indicators present in both), the significance level of the trend direction, how many
 * strengths and weaknesses to list per country, and the group column of compare.csv.
 */
#include <stdio.h>
#include <string.h>

#include "config/options_internal.h"
#include "core/util.h"

void cym__trend_default(cym_trend_spec *t)
{
    memset(t, 0, sizeof(*t));
    t->basis = CYM_TREND_BASIS_ALL;
    t->level = 0.05;
    t->strengths_n = 3;
}

static cym_status bad(cym_error *err, const char *key, const char *value, const char *expect)
{
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "invalid %s '%s' (expected %s)", key,
                         value, expect);
}

cym_status cym__trend_set(cym_options *o, const char *key, const char *value, cym_error *err)
{
    cym_trend_spec *t = &o->trend;
    if (strcmp(key, "trend-basis") == 0) {
        if (strcmp(value, "all") == 0)
            t->basis = CYM_TREND_BASIS_ALL;
        else if (strcmp(value, "common") == 0)
            t->basis = CYM_TREND_BASIS_COMMON;
        else
            return bad(err, key, value, "all or common");
        return CYM_OK;
    }
    if (strcmp(key, "trend-level") == 0) {
        double d;
        if (cym__parse_number(value, &d) != CYM_NUM_OK || !(d > 0 && d < 1))
            return bad(err, key, value, "a number between 0 and 1, e.g. 0.05");
        t->level = d;
        return CYM_OK;
    }
    if (strcmp(key, "strengths-n") == 0) {
        long l;
        if (cym__parse_long(value, 1, 1000, &l) < 0)
            return bad(err, key, value, "a whole number from 1 to 1000");
        t->strengths_n = (int)l;
        return CYM_OK;
    }
    if (strcmp(key, "compare-group") == 0) {
        if (value[0] && (!cym__valid_code(value) || strlen(value) >= sizeof(t->group)))
            return bad(err, key, value, "a column name of countries.csv");
        memcpy(t->group, value, strlen(value) + 1);
        return CYM_OK;
    }
    return cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0, "option '%s' has no setter", key);
}

void cym__trend_get(const cym_options *o, const char *key, char *buf, size_t n)
{
    const cym_trend_spec *t = &o->trend;
    if (strcmp(key, "trend-basis") == 0)
        snprintf(buf, n, "%s", t->basis == CYM_TREND_BASIS_COMMON ? "common" : "all");
    else if (strcmp(key, "trend-level") == 0)
        cym__fmt_shortest(buf, n, t->level);
    else if (strcmp(key, "strengths-n") == 0)
        snprintf(buf, n, "%d", t->strengths_n);
    else if (strcmp(key, "compare-group") == 0)
        snprintf(buf, n, "%s", t->group);
}
