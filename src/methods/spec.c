/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Method specs as text: the names of the imputation and normalisation methods, and the parser
 * and formatter of each spec ("locf:3", "zscore:10,2", "dist2ref:JPN:cap"). They need no run
 * configuration, so the `impute` and `normalise` keys, each item of their [uncertainty] lists
 * of alternatives and anything else that reads a spec share one parser. What a formatter
 * writes its parser reads back to the same spec. The aggregation spec's also serves the
 * framework's `method` column.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "cymetrics/methods.h"

/* The method name closest to the name part of `text` (before any ':'), or NULL: `name` of
   each value from 0 to `last` */
static const char *closest(const char *text, const char *(*name)(int), int last)
{
    char head[64];
    cym__suggest s;
    snprintf(head, sizeof(head), "%.*s", (int)strcspn(text, ":"), text);
    cym__suggest_init(&s, head);
    for (int m = 0; m <= last; m++)
        if (strcmp(head, name(m)) != 0)
            cym__suggest_add(&s, name(m));
    return s.best;
}

static const char *impute_name(int m) { return cym_impute_name((cym_impute_method)m); }
static const char *norm_name(int m) { return cym_norm_name((cym_norm_method)m); }
static const char *agg_name(int m) { return cym_agg_name((cym_agg_method)m); }

/* "invalid KEY 'VALUE' (did you mean 'NAME'? expected ...)", the hint when a method name is
   near the value's */
static cym_status bad_hint(cym_error *err, const char *key, const char *value, const char *expect,
                           const char *hint)
{
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "invalid %s '%s' (%s%s%sexpected %s)", key,
                         value, hint ? "did you mean '" : "", hint ? hint : "",
                         hint ? "'? " : "", expect);
}

static cym_status bad(cym_error *err, const char *key, const char *value, const char *expect)
{
    return bad_hint(err, key, value, expect, NULL);
}

/* ---- imputation ------------------------------------------------------------------------- */

const char *cym_impute_name(cym_impute_method m)
{
    switch (m) {
    case CYM_IMPUTE_NONE: return "none";
    case CYM_IMPUTE_MEAN: return "mean";
    case CYM_IMPUTE_MEDIAN: return "median";
    case CYM_IMPUTE_GROUP_MEAN: return "group-mean";
    case CYM_IMPUTE_GROUP_MEDIAN: return "group-median";
    case CYM_IMPUTE_LOCF: return "locf";
    case CYM_IMPUTE_LINEAR: return "linear";
    case CYM_IMPUTE_CONSTANT: return "constant";
    }
    return "?";
}

cym_status cym_impute_spec_parse(cym_impute_spec *out, const char *text, cym_error *err)
{
    static const cym_impute_method plain[] = {CYM_IMPUTE_NONE, CYM_IMPUTE_MEAN, CYM_IMPUTE_MEDIAN,
                                              CYM_IMPUTE_LINEAR, CYM_IMPUTE_LOCF};
    static const char expect[] = "none, mean, median, group-mean:COLUMN, group-median:COLUMN, "
                                 "locf[:K], linear or constant:V";
    const char *colon = strchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    cym_impute_spec s;

    memset(&s, 0, sizeof(s));
    if (!colon) {
        size_t i = 0;
        while (i < sizeof(plain) / sizeof(*plain) && strcmp(text, cym_impute_name(plain[i])) != 0)
            i++;
        if (i == sizeof(plain) / sizeof(*plain))
            return bad_hint(err, "impute", text, expect,
                            closest(text, impute_name, CYM_IMPUTE_CONSTANT));
        s.method = plain[i];
    } else if (len == 4 && strncmp(text, "locf", 4) == 0) {
        long k;
        if (cym__parse_long(colon + 1, 1, 1000, &k) < 0)
            return bad(err, "impute", text, expect);
        s.method = CYM_IMPUTE_LOCF;
        s.max_gap = (size_t)k;
    } else if (len == 8 && strncmp(text, "constant", 8) == 0) {
        if (cym__parse_number(colon + 1, &s.value) != CYM_NUM_OK)
            return bad(err, "impute", text, expect);
        s.method = CYM_IMPUTE_CONSTANT;
    } else if ((len == 10 && strncmp(text, "group-mean", 10) == 0) ||
               (len == 12 && strncmp(text, "group-median", 12) == 0)) {
        if (!cym__valid_code(colon + 1) || strlen(colon + 1) >= sizeof(s.group_column))
            return bad(err, "impute", text, expect);
        s.method = len == 10 ? CYM_IMPUTE_GROUP_MEAN : CYM_IMPUTE_GROUP_MEDIAN;
        memcpy(s.group_column, colon + 1, strlen(colon + 1) + 1);
    } else {
        return bad_hint(err, "impute", text, expect,
                        closest(text, impute_name, CYM_IMPUTE_CONSTANT));
    }
    *out = s;
    return CYM_OK;
}

void cym_impute_spec_format(char *buf, size_t n, const cym_impute_spec *spec)
{
    char num[40];
    switch (spec->method) {
    case CYM_IMPUTE_CONSTANT:
        cym__fmt_shortest(num, sizeof(num), spec->value);
        snprintf(buf, n, "constant:%s", num);
        break;
    case CYM_IMPUTE_LOCF:
        if (spec->max_gap)
            snprintf(buf, n, "locf:%zu", spec->max_gap);
        else
            snprintf(buf, n, "locf");
        break;
    case CYM_IMPUTE_GROUP_MEAN:
    case CYM_IMPUTE_GROUP_MEDIAN:
        snprintf(buf, n, "%s:%s", cym_impute_name(spec->method), spec->group_column);
        break;
    default:
        snprintf(buf, n, "%s", cym_impute_name(spec->method));
    }
}

/* ---- normalisation ---------------------------------------------------------------------- */

const char *cym_norm_name(cym_norm_method m)
{
    switch (m) {
    case CYM_NORM_MINMAX: return "minmax";
    case CYM_NORM_ZSCORE: return "zscore";
    case CYM_NORM_GOALPOSTS: return "goalposts";
    case CYM_NORM_RANK: return "rank";
    case CYM_NORM_BORDA: return "borda";
    case CYM_NORM_PERCENTILE: return "percentile";
    case CYM_NORM_DIST2MAX: return "dist2max";
    case CYM_NORM_DIST2REF: return "dist2ref";
    case CYM_NORM_DIST2TARGET: return "dist2target";
    case CYM_NORM_FRACMAX: return "fracmax";
    case CYM_NORM_NONE: return "none";
    }
    return "?";
}

cym_status cym_norm_spec_parse(cym_norm_spec *out, const char *text, cym_error *err)
{
    /* every method but dist2ref, which needs its reference country */
    static const cym_norm_method plain[] = {
        CYM_NORM_MINMAX,  CYM_NORM_ZSCORE,     CYM_NORM_GOALPOSTS, CYM_NORM_RANK,
        CYM_NORM_BORDA,   CYM_NORM_PERCENTILE, CYM_NORM_DIST2MAX,  CYM_NORM_DIST2TARGET,
        CYM_NORM_FRACMAX, CYM_NORM_NONE};
    static const char expect[] = "minmax, zscore[:M,S], goalposts, rank, borda, percentile, "
                                 "dist2max, dist2ref:CODE[:cap], dist2target, fracmax or none";
    cym_norm_spec s = *out; /* keeps the range */

    s.z_mean = 0;
    s.z_sd = 1;
    s.cap_ref = 0;
    s.ref_unit[0] = '\0';
    for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++)
        if (strcmp(text, cym_norm_name(plain[i])) == 0) {
            s.method = plain[i];
            *out = s;
            return CYM_OK;
        }
    if (strncmp(text, "zscore:", 7) == 0) {
        char m[64];
        const char *comma = strchr(text + 7, ',');
        size_t len = comma ? (size_t)(comma - text - 7) : 0;
        if (strlen(text + 7) >= sizeof(m))
            return bad(err, "normalise", text, expect);
        if (!comma)
            return bad(err, "normalise", text, "zscore:M,S, e.g. zscore:10,2");
        memcpy(m, text + 7, len);
        m[len] = '\0';
        if (cym__parse_number(m, &s.z_mean) != CYM_NUM_OK ||
            cym__parse_number(comma + 1, &s.z_sd) != CYM_NUM_OK || !(s.z_sd > 0))
            return bad(err, "normalise", text, "zscore:M,S with S > 0, e.g. zscore:10,2");
        s.method = CYM_NORM_ZSCORE;
        *out = s;
        return CYM_OK;
    }
    if (strncmp(text, "dist2ref:", 9) == 0) {
        const char *code = text + 9;
        if (strcspn(code, ":") != 3 || (code[3] && strcmp(code + 3, ":cap") != 0))
            return bad(err, "normalise", text,
                       "dist2ref:CODE or dist2ref:CODE:cap, CODE a country code");
        memcpy(s.ref_unit, code, 3);
        s.ref_unit[3] = '\0';
        s.cap_ref = code[3] != '\0';
        s.method = CYM_NORM_DIST2REF;
        *out = s;
        return CYM_OK;
    }
    return bad_hint(err, "normalise", text, expect, closest(text, norm_name, CYM_NORM_NONE));
}

void cym_norm_spec_format(char *buf, size_t n, const cym_norm_spec *spec)
{
    char a[40], b[40];
    if (spec->method == CYM_NORM_ZSCORE) {
        cym__fmt_shortest(a, sizeof(a), spec->z_mean);
        cym__fmt_shortest(b, sizeof(b), spec->z_sd);
        snprintf(buf, n, "zscore:%s,%s", a, b);
    } else if (spec->method == CYM_NORM_DIST2REF)
        snprintf(buf, n, "dist2ref:%s%s", spec->ref_unit, spec->cap_ref ? ":cap" : "");
    else
        snprintf(buf, n, "%s", cym_norm_name(spec->method));
}

const char *cym_agg_name(cym_agg_method m)
{
    switch (m) {
    case CYM_AGG_ARITHMETIC: return "arithmetic";
    case CYM_AGG_GEOMETRIC: return "geometric";
    case CYM_AGG_HARMONIC: return "harmonic";
    case CYM_AGG_POWER: return "power";
    case CYM_AGG_SUM: return "sum";
    case CYM_AGG_MIN: return "min";
    case CYM_AGG_COPELAND: return "copeland";
    case CYM_AGG_MAZZIOTTA_PARETO: return "mazziotta-pareto";
    }
    return "?";
}

cym_status cym_agg_parse(cym_agg_spec *out, const char *text, cym_error *err)
{
    static const cym_agg_method all[] = {
        CYM_AGG_ARITHMETIC, CYM_AGG_GEOMETRIC, CYM_AGG_HARMONIC,        CYM_AGG_SUM,
        CYM_AGG_MIN,        CYM_AGG_COPELAND,  CYM_AGG_MAZZIOTTA_PARETO};
    const char *hint;
    out->p = 1.0;
    if (strncmp(text, "power:", 6) == 0) {
        double p;
        if (cym__parse_number(text + 6, &p) != CYM_NUM_OK || p == 0.0)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "power aggregation needs a non-zero exponent, as in "
                                 "'power:2' (got '%s')",
                                 text);
        out->method = CYM_AGG_POWER;
        out->p = p;
        return CYM_OK;
    }
    for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++) {
        if (strcmp(text, cym_agg_name(all[i])) == 0) {
            out->method = all[i];
            return CYM_OK;
        }
    }
    hint = closest(text, agg_name, CYM_AGG_MAZZIOTTA_PARETO);
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                         "unknown aggregation method '%s' (%s%s%sexpected arithmetic, geometric, "
                         "harmonic, power:P, sum, min, copeland or mazziotta-pareto)",
                         text, hint ? "did you mean '" : "", hint ? hint : "", hint ? "'? " : "");
}

void cym_agg_spec_format(char *buf, size_t n, const cym_agg_spec *spec)
{
    char p[40];
    if (spec->method == CYM_AGG_POWER) {
        cym__fmt_shortest(p, sizeof(p), spec->p);
        snprintf(buf, n, "power:%s", p);
    } else {
        snprintf(buf, n, "%s", cym_agg_name(spec->method));
    }
}
