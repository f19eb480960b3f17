/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The keys of framework editions and of the validation of published composites (issue 9):
 * the [framework] section (`2017-2019 = indicators/x-v1.csv`, `2020- = indicators/x-v2.csv`,
 * `crosswalk = FILE`), `across-editions` of [trends] and `check-total`, `check-tolerance` of
 * [run]. Kept apart from options.c, which only calls in here for keys it does not know.
 *
 * Year ranges are A-B (closed), A- (open end), -B (open start) or A (one year). Overlaps are
 * refused as soon as the second range is read, with its line; gaps between editions are
 * refused once all are known (cym__edition_check), since the order of declaration is free.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/options_internal.h"
#include "core/util.h"

#define YEAR_LO 1900
#define YEAR_HI 2100

static const struct {
    const char *name, *section;
} ekeys[] = {{"crosswalk", "framework"},
             {"edition", "framework"},
             {"across-editions", "trends"},
             {"check-total", "run"},
             {"check-tolerance", "run"}};

void cym__edition_default(cym_edition_spec *e)
{
    memset(e, 0, sizeof(*e));
    e->across = CYM_ACROSS_COMMON;
    e->check_tolerance = 0.005;
}

static void canon(char *dst, size_t n, const char *key)
{
    size_t i = 0;
    for (; key[i] && i + 1 < n; i++)
        dst[i] = key[i] == '_' ? '-' : key[i];
    dst[i] = '\0';
}

const char *cym__edition_section(const char *key)
{
    char k[64];
    canon(k, sizeof(k), key);
    for (size_t i = 0; i < sizeof(ekeys) / sizeof(*ekeys); i++)
        if (strcmp(ekeys[i].name, k) == 0)
            return ekeys[i].section;
    return NULL;
}

static cym_status bad(cym_error *err, const char *key, const char *value, const char *expect)
{
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "invalid %s '%s' (expected %s)", key,
                         value, expect);
}

/* "A-B", "A-", "-B" or "A" into [from, to] (0 = open); -1 when it is not a range */
static int parse_range(const char *s, int *from, int *to)
{
    const char *dash = strchr(s, '-');
    char a[16], b[16];
    long la = 0, lb = 0;
    size_t na, nb;
    if (!dash) {
        if (cym__parse_long(s, YEAR_LO, YEAR_HI, &la) < 0)
            return -1;
        *from = *to = (int)la;
        return 0;
    }
    na = (size_t)(dash - s);
    nb = strlen(dash + 1);
    if (na >= sizeof(a) || nb >= sizeof(b) || (na == 0 && nb == 0))
        return -1;
    memcpy(a, s, na);
    a[na] = '\0';
    memcpy(b, dash + 1, nb + 1);
    if ((na && cym__parse_long(a, YEAR_LO, YEAR_HI, &la) < 0) ||
        (nb && cym__parse_long(b, YEAR_LO, YEAR_HI, &lb) < 0))
        return -1;
    if (na && nb && lb < la)
        return -1;
    *from = (int)la;
    *to = (int)lb;
    return 0;
}

static void range_text(char *buf, size_t n, int from, int to)
{
    if (from && to && from == to)
        snprintf(buf, n, "%d", from);
    else if (from && to)
        snprintf(buf, n, "%d-%d", from, to);
    else if (from)
        snprintf(buf, n, "%d-", from);
    else
        snprintf(buf, n, "-%d", to);
}

static void where(char *buf, size_t n, const cym_edition_decl *d)
{
    if (d->line)
        snprintf(buf, n, "%s:%lu", d->origin, d->line);
    else
        snprintf(buf, n, "the command line");
}

cym_status cym__edition_add(cym_options *o, const char *range, const char *path,
                            const char *origin, unsigned long line, cym_error *err)
{
    cym_edition_spec *e = &o->edition;
    cym_edition_decl *d;
    int from, to;
    char r1[32], r2[32], w[CYM_PATH_MAX + 32];

    if (parse_range(range, &from, &to) < 0)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "invalid edition years '%s' (expected A-B, A-, -B or A, years "
                             "%d-%d, e.g. '2017-2019 = indicators/x-v1.csv')",
                             range, YEAR_LO, YEAR_HI);
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
            range_text(r1, sizeof(r1), from, to);
            range_text(r2, sizeof(r2), p->year_from, p->year_to);
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

cym_status cym__edition_set(cym_options *o, const char *key, const char *value, cym_error *err)
{
    cym_edition_spec *e = &o->edition;
    char k[64];
    canon(k, sizeof(k), key);
    if (strcmp(k, "crosswalk") == 0) {
        if (strlen(value) >= sizeof(e->crosswalk))
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "path too long");
        memcpy(e->crosswalk, value, strlen(value) + 1);
        return CYM_OK;
    }
    if (strcmp(k, "edition") == 0) {
        /* command line: RANGE=FILE (RANGE:FILE also, since '=' ends an option's name) */
        char range[32];
        size_t len = strcspn(value, "=:");
        if (!value[len] || len >= sizeof(range))
            return bad(err, key, value, "YEARS=FRAMEWORK, e.g. 2020-=indicators/x-v2.csv");
        memcpy(range, value, len);
        range[len] = '\0';
        return cym__edition_add(o, range, value + len + 1, NULL, 0, err);
    }
    if (strcmp(k, "across-editions") == 0) {
        if (strcmp(value, "common") == 0)
            e->across = CYM_ACROSS_COMMON;
        else if (strcmp(value, "rebased") == 0)
            e->across = CYM_ACROSS_REBASED;
        else if (strcmp(value, "percentile") == 0)
            e->across = CYM_ACROSS_PERCENTILE;
        else
            return bad(err, key, value, "common, rebased or percentile");
        return CYM_OK;
    }
    if (strcmp(k, "check-total") == 0) {
        /* SERIES[:NODE] separated by commas; each code checked here, resolved on loading */
        const char *p = value;
        if (strlen(value) >= sizeof(e->check_total))
            return bad(err, key, value, "at most 255 characters");
        while (*p) {
            size_t len = strcspn(p, ",");
            char part[256], *colon;
            memcpy(part, p, len);
            part[len] = '\0';
            colon = strchr(part, ':');
            if (colon)
                *colon = '\0';
            if (!cym__valid_code(part) || (colon && !cym__valid_code(colon + 1)))
                return bad(err, key, value, "SERIES or SERIES:NODE codes separated by commas");
            p += len + (p[len] == ',');
        }
        memcpy(e->check_total, value, strlen(value) + 1);
        return CYM_OK;
    }
    if (strcmp(k, "check-tolerance") == 0) {
        double d;
        if (cym__parse_number(value, &d) != CYM_NUM_OK || !(d >= 0))
            return bad(err, key, value, "a number >= 0, e.g. 0.005");
        e->check_tolerance = d;
        return CYM_OK;
    }
    return cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0, "option '%s' has no setter", key);
}

void cym__edition_get(const cym_options *o, const char *key, char *buf, size_t n)
{
    const cym_edition_spec *e = &o->edition;
    char k[64];
    static const char *const across[] = {"common", "rebased", "percentile"};
    canon(k, sizeof(k), key);
    buf[0] = '\0';
    if (strcmp(k, "crosswalk") == 0) {
        snprintf(buf, n, "%s", e->crosswalk);
    } else if (strcmp(k, "edition") == 0) {
        size_t len = 0;
        for (size_t i = 0; i < e->n && len < n; i++) {
            char r[32];
            range_text(r, sizeof(r), e->ed[i].year_from, e->ed[i].year_to);
            len += (size_t)snprintf(buf + len, n - len, "%s%s=%s", i ? "," : "", r,
                                    e->ed[i].path);
        }
    } else if (strcmp(k, "across-editions") == 0) {
        snprintf(buf, n, "%s", across[e->across]);
    } else if (strcmp(k, "check-total") == 0) {
        snprintf(buf, n, "%s", e->check_total);
    } else if (strcmp(k, "check-tolerance") == 0) {
        cym__fmt_shortest(buf, n, e->check_tolerance);
    }
}

const char *cym__edition_key(size_t i)
{
    return i < sizeof(ekeys) / sizeof(*ekeys) ? ekeys[i].name : NULL;
}

cym_status cym__edition_ini(cym_options *o, const char *section, const char *name,
                            const char *value, const char *dir, const char *path,
                            unsigned long line, cym_error *err)
{
    const char *sec = cym__edition_section(name);
    char resolved[CYM_PATH_MAX];
    cym_status st;
    int is_range = name[0] == '-' || (name[0] >= '0' && name[0] <= '9');

    if (strcmp(section, "framework") == 0 && is_range) {
        if (value[0] && value[0] != '/' && dir[0]) {
            if (cym__path_join(resolved, sizeof(resolved), dir, value) < 0)
                return cym_error_set(err, CYM_EUSAGE, path, line, 0, "path too long");
            value = resolved;
        }
        st = cym__edition_add(o, name, value, path, line, err);
    } else if (!sec || strcmp(name, "edition") == 0) {
        return cym_error_set(err, CYM_EUSAGE, path, line, 0,
                             "unknown key '%s' in [framework] (expected YEARS = FILE, e.g. "
                             "'2020- = indicators/x-v2.csv', or crosswalk = FILE)",
                             name);
    } else if (strcmp(section, sec) != 0) {
        return cym_error_set(err, CYM_EUSAGE, path, line, 0,
                             "key '%s' belongs in section [%s], not [%s]", name, sec,
                             section[0] ? section : "(none)");
    } else {
        if (strcmp(name, "crosswalk") == 0 && value[0] && value[0] != '/' && dir[0]) {
            if (cym__path_join(resolved, sizeof(resolved), dir, value) < 0)
                return cym_error_set(err, CYM_EUSAGE, path, line, 0, "path too long");
            value = resolved;
        }
        st = cym__edition_set(o, name, value, err);
    }
    if (st < 0 && err) {
        snprintf(err->file, sizeof(err->file), "%s", path);
        err->line = line;
        err->column = 0;
    }
    return st;
}
