/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Run configuration: defaults, one setter per key shared by the INI reader and the command
 * line, and the INI reader itself (libinih). inih does not report lines to its handler as
 * built by Debian, so the stream reader below counts them, and refuses lines longer than
 * inih's fixed buffer instead of letting it split them silently.
 */
#include "cymetrics/options.h"

#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/options_internal.h"
#include "core/util.h"
#include "cymetrics/framework.h"

typedef enum section { S_DATASET, S_RUN, S_OUTPUT, S_UNC, S_TRENDS } section;

static const struct key {
    const char *name;
    section sec;
} keys[] = {
    {"name", S_DATASET},     {"title", S_DATASET},     {"subtitle", S_DATASET},
    {"source", S_DATASET},   {"framework", S_DATASET}, {"countries", S_DATASET},
    {"data", S_DATASET},     {"years", S_DATASET},     {"delimiter", S_DATASET},
    {"decimal", S_DATASET},   {"denominate", S_RUN},
    {"impute", S_RUN},       {"treat", S_RUN},         {"winmax", S_RUN},
    {"skew-max", S_RUN},     {"kurt-max", S_RUN},      {"normalise", S_RUN},
    {"range", S_RUN},        {"scope", S_RUN},         {"aggregate", S_RUN},
    {"weights", S_RUN},      {"min-coverage", S_RUN},  {"tiers", S_RUN},
    {"rank-ties", S_RUN},    {"out", S_OUTPUT},        {"charts", S_OUTPUT},
    {"highlight", S_OUTPUT}, {"tables", S_OUTPUT},    {"decimals", S_OUTPUT},
    {"report", S_OUTPUT},
    {"runs", S_UNC},          {"seed", S_UNC},
    {"weight-noise", S_UNC}, {"alt-normalise", S_UNC}, {"alt-aggregate", S_UNC},
    {"alt-impute", S_UNC},   {"alt-treat", S_UNC},     {"exclude-one", S_UNC},
    {"sobol", S_UNC},        {"threads", S_UNC},       {"keep-runs", S_UNC},
    {"trend-basis", S_TRENDS}, {"trend-level", S_TRENDS}, {"strengths-n", S_TRENDS},
    {"compare-group", S_TRENDS},
    /* expert weight sets (issue 9): expert_options.c */
    {"expert-weights", S_RUN}, {"weight-combine", S_RUN},
};
static const char *const section_names[] = {"dataset", "run", "output", "uncertainty",
                                            "trends"};

void cym_options_default(cym_options *o)
{
    memset(o, 0, sizeof(*o));
    o->delimiter = ',';
    o->decimal = '.';
    o->run.denominate = -1;
    o->run.impute.method = CYM_IMPUTE_NONE;
    /* the defaults of cym_treat_spec_default and cym_norm_spec_default (METHODS.md) */
    o->run.treat_spec.skew_max = 2.0;
    o->run.treat_spec.kurt_max = 3.5;
    o->run.treat_spec.winmax = 5;
    o->run.norm.method = CYM_NORM_MINMAX;
    o->run.norm.lo = 0.0;
    o->run.norm.hi = 100.0;
    o->run.norm.z_mean = 0.0;
    o->run.norm.z_sd = 1.0;
    o->run.scope = -1;
    o->run.agg.method = CYM_AGG_ARITHMETIC;
    o->run.agg.p = 1.0;
    o->run.weights = CYM_WEIGHTS_FRAMEWORK;
    o->run.min_coverage = 0.0;
    o->run.ties = CYM_TIES_MIN;
    o->charts = CYM_CHARTS_PNG;
    o->tables = CYM_TABLES_ALL;
    o->decimals = 1;
    o->report = 1;
    cym__unc_default(&o->unc);
    cym__trend_default(&o->trend);
    cym__edition_default(&o->edition);
}

static void canon_key(char *dst, size_t n, const char *key)
{
    size_t i = 0;
    for (; key[i] && i + 1 < n; i++)
        dst[i] = key[i] == '_' ? '-' : key[i];
    dst[i] = '\0';
}

static const struct key *find_key(const char *key)
{
    char k[64];
    canon_key(k, sizeof(k), key);
    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
        if (strcmp(keys[i].name, k) == 0)
            return &keys[i];
    return NULL;
}

int cym_options_is_key(const char *key)
{
    return find_key(key) != NULL || cym__edition_section(key) != NULL;
}

static cym_status bad(cym_error *err, const char *key, const char *value, const char *expect)
{
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "invalid %s '%s' (expected %s)", key, value,
                         expect);
}

static cym_status copy_text(char *dst, size_t n, const char *key, const char *value, cym_error *err)
{
    if (strlen(value) >= n)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "%s is too long (at most %zu bytes)", key,
                             n - 1);
    memcpy(dst, value, strlen(value) + 1);
    return CYM_OK;
}

static int parse_num(const char *s, double *out)
{
    return cym__parse_number(s, out) == CYM_NUM_OK ? 0 : -1;
}

static cym_status set_years(cym_options *o, const char *v, cym_error *err)
{
    const char *dash = strchr(v, '-');
    long a = 0, b = 0;
    char left[16];
    if (!dash) {
        if (cym__parse_long(v, 1900, 2100, &a) < 0)
            return bad(err, "years", v, "A-B, A-, -B or A, years 1900-2100");
        o->run.year_from = o->run.year_to = (int)a;
        return CYM_OK;
    }
    if ((size_t)(dash - v) >= sizeof(left))
        return bad(err, "years", v, "A-B, A-, -B or A, years 1900-2100");
    memcpy(left, v, (size_t)(dash - v));
    left[dash - v] = '\0';
    if ((left[0] && cym__parse_long(left, 1900, 2100, &a) < 0) ||
        (dash[1] && cym__parse_long(dash + 1, 1900, 2100, &b) < 0) || (!left[0] && !dash[1]))
        return bad(err, "years", v, "A-B, A-, -B or A, years 1900-2100");
    if (a && b && a > b)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "invalid years '%s' (the first year is after the last)", v);
    o->run.year_from = (int)a;
    o->run.year_to = (int)b;
    return CYM_OK;
}

static cym_status set_range(cym_options *o, const char *v, cym_error *err)
{
    char buf[64];
    char *comma;
    double lo, hi;
    if (strlen(v) >= sizeof(buf))
        return bad(err, "range", v, "L,U with L < U, e.g. 0,100");
    strcpy(buf, v);
    comma = strchr(buf, ',');
    if (!comma)
        return bad(err, "range", v, "L,U with L < U, e.g. 0,100");
    *comma = '\0';
    if (parse_num(buf, &lo) < 0 || parse_num(comma + 1, &hi) < 0 || !(lo < hi))
        return bad(err, "range", v, "L,U with L < U, e.g. 0,100");
    o->run.norm.lo = lo;
    o->run.norm.hi = hi;
    return CYM_OK;
}

cym_status cym_tiers_parse(cym_options *o, const char *text, cym_error *err)
{
    const char *p = text;
    size_t n = 0;
    cym_tier t[CYM_MAX_TIERS];

    if (strcmp(text, "gci2024") == 0)
        text = "95:Tier 1 role-modelling,85:Tier 2 advancing,55:Tier 3 establishing,"
               "20:Tier 4 evolving,0:Tier 5 building";
    else if (strcmp(text, "none") == 0) {
        o->run.n_tiers = 0;
        return CYM_OK;
    }
    p = text;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[128];
        char *colon;
        cym_tier *ti = &t[n];
        if (n == CYM_MAX_TIERS)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "too many tiers (at most %d)",
                                 CYM_MAX_TIERS);
        if (len == 0 || len >= sizeof(item))
            return bad(err, "tiers", text,
                       "threshold[:label],... highest first, e.g. "
                       "95:Tier 1,85:Tier 2,0:Tier 3, or p90:Leading,p0:Rest");
        memcpy(item, p, len);
        item[len] = '\0';
        colon = strchr(item, ':');
        if (colon)
            *colon = '\0';
        ti->percentile = item[0] == 'p';
        if (parse_num(item + ti->percentile, &ti->threshold) < 0 ||
            (ti->percentile && (ti->threshold < 0 || ti->threshold > 100)))
            return bad(err, "tiers", text,
                       "threshold[:label],... highest first, e.g. "
                       "95:Tier 1,85:Tier 2,0:Tier 3, or p90:Leading,p0:Rest");
        if (colon && strlen(colon + 1) >= sizeof(ti->label))
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "tier label '%s' is too long",
                                 colon + 1);
        if (colon && colon[1])
            strcpy(ti->label, colon + 1);
        else
            snprintf(ti->label, sizeof(ti->label), "Tier %zu", n + 1);
        if (n && (t[n - 1].percentile != ti->percentile))
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "tiers mix score thresholds and percentiles ('%s')", text);
        if (n && !(ti->threshold < t[n - 1].threshold))
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "tier thresholds must be in decreasing order, highest first "
                                 "('%s')",
                                 text);
        n++;
        p += len;
        if (*p == ',')
            p++;
    }
    memcpy(o->run.tiers, t, n * sizeof(*t));
    o->run.n_tiers = n;
    return CYM_OK;
}

/* "png,svg,pdf" in any order, or "none" */
static cym_status set_charts(cym_options *o, const char *v, cym_error *err)
{
    static const char *const names[] = {"png", "svg", "pdf"};
    unsigned set = 0;
    const char *p = v;
    if (strcmp(v, "none") == 0) {
        o->charts = 0;
        return CYM_OK;
    }
    for (;;) {
        size_t len = strcspn(p, ","), i;
        for (i = 0; i < 3; i++)
            if (len == strlen(names[i]) && strncmp(p, names[i], len) == 0)
                break;
        if (i == 3)
            return bad(err, "charts", v, "none or a list of png, svg, pdf");
        set |= 1u << i;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    o->charts = set;
    return CYM_OK;
}

/* "csv,md,html,xlsx,json" in any order, or "none" (the CSV tables are always written) */
static const char *const table_names[] = {"csv", "md", "html", "xlsx", "json"};

static cym_status set_tables(cym_options *o, const char *v, cym_error *err)
{
    unsigned set = CYM_TABLES_CSV;
    const char *p = v;
    if (strcmp(v, "none") == 0) {
        o->tables = CYM_TABLES_CSV;
        return CYM_OK;
    }
    for (;;) {
        size_t len = strcspn(p, ","), i;
        for (i = 0; i < 5; i++)
            if (len == strlen(table_names[i]) && strncmp(p, table_names[i], len) == 0)
                break;
        if (i == 5)
            return bad(err, "tables", v, "none or a list of csv, md, html, xlsx, json");
        set |= 1u << i;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    o->tables = set;
    return CYM_OK;
}

/* "JPN,SGP": codes only, checked against the dataset when the charts are drawn */
static cym_status set_highlight(cym_options *o, const char *v, cym_error *err)
{
    const char *p = v;
    for (;;) {
        size_t len = strcspn(p, ",");
        char code[8];
        if (len == 0 || len >= sizeof(code))
            return bad(err, "highlight", v, "country codes separated by commas");
        memcpy(code, p, len);
        code[len] = '\0';
        if (!cym__valid_code(code))
            return bad(err, "highlight", v, "country codes separated by commas");
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    return copy_text(o->highlight, sizeof(o->highlight), "highlight", v, err);
}

cym_status cym_options_set(cym_options *o, const char *key, const char *value, cym_error *err)
{
    const struct key *k = find_key(key);
    double d;
    long l;

    if (!k && cym__edition_section(key))
        return cym__edition_set(o, key, value, err);
    if (!k)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "unknown option '%s'", key);
    if (strcmp(k->name, "name") == 0)
        return copy_text(o->name, sizeof(o->name), "name", value, err);
    if (strcmp(k->name, "title") == 0)
        return copy_text(o->title, sizeof(o->title), "title", value, err);
    if (strcmp(k->name, "subtitle") == 0)
        return copy_text(o->subtitle, sizeof(o->subtitle), "subtitle", value, err);
    if (strcmp(k->name, "source") == 0)
        return copy_text(o->source, sizeof(o->source), "source", value, err);
    if (strcmp(k->name, "framework") == 0)
        return copy_text(o->framework, sizeof(o->framework), "framework", value, err);
    if (strcmp(k->name, "countries") == 0)
        return copy_text(o->countries, sizeof(o->countries), "countries", value, err);
    if (strcmp(k->name, "data") == 0)
        return copy_text(o->data, sizeof(o->data), "data", value, err);
    if (strcmp(k->name, "out") == 0)
        return copy_text(o->out, sizeof(o->out), "out", value, err);
    if (strcmp(k->name, "years") == 0)
        return set_years(o, value, err);
    /* spreadsheets in many locales export ';'-separated files with decimal commas */
    /* the names, because libinih reads " ;" as the start of a comment */
    if (strcmp(k->name, "delimiter") == 0) {
        if (strcmp(value, "tab") == 0 || strcmp(value, "\t") == 0)
            o->delimiter = '\t';
        else if (strlen(value) == 1 && strchr(",;|", value[0]))
            o->delimiter = value[0];
        else if (strcmp(value, "comma") == 0 || strcmp(value, "semicolon") == 0 ||
                 strcmp(value, "pipe") == 0)
            o->delimiter = value[0] == 'c' ? ',' : value[0] == 's' ? ';' : '|';
        else
            return bad(err, "delimiter", value,
                       "',', ';', '|' or 'tab', or comma, semicolon, pipe");
        return CYM_OK;
    }
    if (strcmp(k->name, "decimal") == 0) {
        if (strlen(value) == 1 && strchr(".,", value[0]))
            o->decimal = value[0];
        else if (strcmp(value, "point") == 0 || strcmp(value, "comma") == 0)
            o->decimal = value[0] == 'p' ? '.' : ',';
        else
            return bad(err, "decimal", value, "'.' or ',', or point, comma");
        return CYM_OK;
    }
    if (strcmp(k->name, "denominate") == 0) {
        if (strcmp(value, "on") == 0)
            o->run.denominate = 1;
        else if (strcmp(value, "off") == 0)
            o->run.denominate = 0;
        else if (strcmp(value, "auto") == 0)
            o->run.denominate = -1;
        else
            return bad(err, "denominate", value, "on, off or auto");
        return CYM_OK;
    }
    if (strcmp(k->name, "impute") == 0)
        return cym_impute_spec_parse(&o->run.impute, value, err);
    if (strcmp(k->name, "treat") == 0) {
        if (strcmp(value, "none") == 0)
            o->run.treat = 0;
        else if (strcmp(value, "winsorise") == 0 || strcmp(value, "winsorize") == 0)
            o->run.treat = 1;
        else
            return bad(err, "treat", value, "none or winsorise");
        return CYM_OK;
    }
    if (strcmp(k->name, "winmax") == 0) {
        if (cym__parse_long(value, 0, 1000000, &l) < 0)
            return bad(err, "winmax", value, "a whole number >= 0");
        o->run.treat_spec.winmax = (size_t)l;
        return CYM_OK;
    }
    if (strcmp(k->name, "skew-max") == 0 || strcmp(k->name, "kurt-max") == 0) {
        if (parse_num(value, &d) < 0 || !(d > 0))
            return bad(err, k->name, value, "a positive number");
        if (k->name[0] == 's')
            o->run.treat_spec.skew_max = d;
        else
            o->run.treat_spec.kurt_max = d;
        return CYM_OK;
    }
    if (strcmp(k->name, "normalise") == 0)
        return cym_norm_spec_parse(&o->run.norm, value, err);
    if (strcmp(k->name, "range") == 0)
        return set_range(o, value, err);
    if (strcmp(k->name, "scope") == 0) {
        if (strcmp(value, "panel") == 0)
            o->run.scope = 0;
        else if (strcmp(value, "year") == 0)
            o->run.scope = 1;
        else if (strcmp(value, "auto") == 0)
            o->run.scope = -1;
        else
            return bad(err, "scope", value, "panel, year or auto");
        return CYM_OK;
    }
    if (strcmp(k->name, "aggregate") == 0) {
        cym_status st = cym_agg_parse(&o->run.agg, value, err);
        if (st == CYM_OK)
            o->has_agg = 1;
        return st;
    }
    if (strcmp(k->name, "weights") == 0) {
        if (strcmp(value, "framework") == 0)
            o->run.weights = CYM_WEIGHTS_FRAMEWORK;
        else if (strcmp(value, "equal") == 0)
            o->run.weights = CYM_WEIGHTS_EQUAL;
        else if (strcmp(value, "pca") == 0)
            o->run.weights = CYM_WEIGHTS_PCA;
        else
            return bad(err, "weights", value, "framework, equal or pca");
        return CYM_OK;
    }
    if (strcmp(k->name, "min-coverage") == 0) {
        if (parse_num(value, &d) < 0 || d < 0 || d > 1)
            return bad(err, "min-coverage", value, "a number from 0 to 1");
        o->run.min_coverage = d;
        return CYM_OK;
    }
    if (strcmp(k->name, "tiers") == 0)
        return cym_tiers_parse(o, value, err);
    if (cym__expert_is_key(k->name))
        return cym__expert_set(o, k->name, value, err);
    if (strcmp(k->name, "charts") == 0)
        return set_charts(o, value, err);
    if (strcmp(k->name, "highlight") == 0)
        return set_highlight(o, value, err);
    if (strcmp(k->name, "tables") == 0)
        return set_tables(o, value, err);
    if (strcmp(k->name, "report") == 0) {
        if (strcmp(value, "on") == 0)
            o->report = 1;
        else if (strcmp(value, "off") == 0)
            o->report = 0;
        else
            return bad(err, "report", value, "on or off");
        return CYM_OK;
    }
    if (strcmp(k->name, "decimals") == 0) {
        long dec;
        if (cym__parse_long(value, 0, 6, &dec) < 0)
            return bad(err, "decimals", value, "a whole number from 0 to 6");
        o->decimals = (int)dec;
        return CYM_OK;
    }
    if (k->sec == S_UNC)
        return cym__unc_set(o, k->name, value, err);
    if (k->sec == S_TRENDS)
        return cym__trend_set(o, k->name, value, err);
    if (strcmp(k->name, "rank-ties") == 0) {
        if (strcmp(value, "min") == 0)
            o->run.ties = CYM_TIES_MIN;
        else if (strcmp(value, "dense") == 0)
            o->run.ties = CYM_TIES_DENSE;
        else if (strncmp(value, "ordinal:", 8) == 0 && cym__valid_code(value + 8)) {
            o->run.ties = CYM_TIES_ORDINAL;
            strcpy(o->run.tiebreak, value + 8);
        } else
            return bad(err, "rank-ties", value, "min, dense or ordinal:CODE");
        return CYM_OK;
    }
    return cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0, "option '%s' has no setter", key);
}

const char *cym_options_key(size_t i)
{
    size_t nk = sizeof(keys) / sizeof(*keys);
    return i < nk ? keys[i].name : cym__edition_key(i - nk);
}

static void fmt_num(char *buf, size_t n, double v)
{
    cym__fmt_shortest(buf, n, v);
}

cym_status cym_options_get(const cym_options *o, const char *key, char *buf, size_t n)
{
    const struct key *k = find_key(key);
    char a[40], b[40];
    if (!k && cym__edition_section(key)) {
        cym__edition_get(o, key, buf, n);
        return CYM_OK;
    }
    if (!k)
        return CYM_EUSAGE;
    buf[0] = '\0';
    if (k->sec == S_UNC)
        cym__unc_get(o, k->name, buf, n);
    else if (k->sec == S_TRENDS)
        cym__trend_get(o, k->name, buf, n);
    else if (cym__expert_is_key(k->name))
        cym__expert_get(o, k->name, buf, n);
    else if (strcmp(k->name, "name") == 0)
        snprintf(buf, n, "%s", o->name);
    else if (strcmp(k->name, "title") == 0)
        snprintf(buf, n, "%s", o->title);
    else if (strcmp(k->name, "subtitle") == 0)
        snprintf(buf, n, "%s", o->subtitle);
    else if (strcmp(k->name, "source") == 0)
        snprintf(buf, n, "%s", o->source);
    else if (strcmp(k->name, "framework") == 0)
        snprintf(buf, n, "%s", o->framework);
    else if (strcmp(k->name, "countries") == 0)
        snprintf(buf, n, "%s", o->countries);
    else if (strcmp(k->name, "data") == 0)
        snprintf(buf, n, "%s", o->data);
    else if (strcmp(k->name, "out") == 0)
        snprintf(buf, n, "%s", o->out);
    else if (strcmp(k->name, "highlight") == 0)
        snprintf(buf, n, "%s", o->highlight);
    else if (strcmp(k->name, "delimiter") == 0)
        snprintf(buf, n, "%s",
                 o->delimiter == '\t' ? "tab"
                 : o->delimiter == ';' ? "semicolon"
                 : o->delimiter == '|' ? "pipe"
                                       : "comma");
    else if (strcmp(k->name, "decimal") == 0)
        snprintf(buf, n, "%s", o->decimal == ',' ? "comma" : "point");
    else if (strcmp(k->name, "decimals") == 0)
        snprintf(buf, n, "%d", o->decimals);
    else if (strcmp(k->name, "report") == 0)
        snprintf(buf, n, "%s", o->report ? "on" : "off");
    else if (strcmp(k->name, "tables") == 0) {
        size_t len = 0;
        buf[0] = '\0';
        for (unsigned i = 0; i < 5; i++)
            if (o->tables & (1u << i)) {
                snprintf(buf + len, n - len, "%s%s", len ? "," : "", table_names[i]);
                len = strlen(buf);
            }
    } else if (strcmp(k->name, "charts") == 0) {
        static const char *const fmts[] = {"png", "svg", "pdf"};
        size_t len = 0;
        snprintf(buf, n, "none");
        for (unsigned i = 0; i < 3; i++)
            if (o->charts & (1u << i)) {
                snprintf(buf + len, n - len, "%s%s", len ? "," : "", fmts[i]);
                len = strlen(buf);
            }
    } else if (strcmp(k->name, "years") == 0) {
        if (o->run.year_from && o->run.year_from == o->run.year_to)
            snprintf(buf, n, "%d", o->run.year_from);
        else if (o->run.year_from || o->run.year_to) {
            a[0] = b[0] = '\0';
            if (o->run.year_from)
                snprintf(a, sizeof(a), "%d", o->run.year_from);
            if (o->run.year_to)
                snprintf(b, sizeof(b), "%d", o->run.year_to);
            snprintf(buf, n, "%s-%s", a, b);
        } else
            snprintf(buf, n, "all");
    } else if (strcmp(k->name, "denominate") == 0)
        snprintf(buf, n, "%s", o->run.denominate < 0 ? "auto" : o->run.denominate ? "on" : "off");
    else if (strcmp(k->name, "impute") == 0) {
        cym_impute_spec_format(buf, n, &o->run.impute);
    } else if (strcmp(k->name, "treat") == 0)
        snprintf(buf, n, "%s", o->run.treat ? "winsorise" : "none");
    else if (strcmp(k->name, "winmax") == 0)
        snprintf(buf, n, "%zu", o->run.treat_spec.winmax);
    else if (strcmp(k->name, "skew-max") == 0)
        fmt_num(buf, n, o->run.treat_spec.skew_max);
    else if (strcmp(k->name, "kurt-max") == 0)
        fmt_num(buf, n, o->run.treat_spec.kurt_max);
    else if (strcmp(k->name, "normalise") == 0) {
        cym_norm_spec_format(buf, n, &o->run.norm);
    } else if (strcmp(k->name, "range") == 0) {
        fmt_num(a, sizeof(a), o->run.norm.lo);
        fmt_num(b, sizeof(b), o->run.norm.hi);
        snprintf(buf, n, "%s,%s", a, b);
    } else if (strcmp(k->name, "scope") == 0)
        snprintf(buf, n, "%s", o->run.scope < 0 ? "auto" : o->run.scope ? "year" : "panel");
    else if (strcmp(k->name, "aggregate") == 0) {
        if (o->run.agg.method == CYM_AGG_POWER) {
            fmt_num(a, sizeof(a), o->run.agg.p);
            snprintf(buf, n, "power:%s", a);
        } else
            snprintf(buf, n, "%s", cym_agg_name(o->run.agg.method));
    } else if (strcmp(k->name, "weights") == 0)
        snprintf(buf, n, "%s",
                 o->run.weights == CYM_WEIGHTS_PCA     ? "pca"
                 : o->run.weights == CYM_WEIGHTS_EQUAL ? "equal"
                                                   : "framework");
    else if (strcmp(k->name, "min-coverage") == 0)
        fmt_num(buf, n, o->run.min_coverage);
    else if (strcmp(k->name, "tiers") == 0) {
        size_t len = 0;
        if (!o->run.n_tiers)
            snprintf(buf, n, "none");
        for (size_t i = 0; i < o->run.n_tiers && len < n; i++) {
            int w;
            fmt_num(a, sizeof(a), o->run.tiers[i].threshold);
            w = snprintf(buf + len, n - len, "%s%s%s:%s", i ? "," : "",
                         o->run.tiers[i].percentile ? "p" : "", a, o->run.tiers[i].label);
            if (w < 0)
                break;
            len += (size_t)w;
        }
    } else if (strcmp(k->name, "rank-ties") == 0) {
        if (o->run.ties == CYM_TIES_ORDINAL)
            snprintf(buf, n, "ordinal:%s", o->run.tiebreak);
        else
            snprintf(buf, n, "%s", o->run.ties == CYM_TIES_DENSE ? "dense" : "min");
    }
    return CYM_OK;
}

/* ---- INI ------------------------------------------------------------------------------- */

typedef struct ini_ctx {
    FILE *f;
    cym_options *o;
    const char *path;
    char dir[CYM_PATH_MAX];
    unsigned long line;
    int too_long;
    cym_status status;
    unsigned long status_line; /* line of the error in `status` */
    cym_error *err;
} ini_ctx;

static char *read_line(char *str, int num, void *stream)
{
    ini_ctx *c = stream;
    size_t len;
    if (!fgets(str, num, c->f))
        return NULL;
    c->line++;
    len = strlen(str);
    if (len == (size_t)num - 1 && str[len - 1] != '\n' && !feof(c->f)) {
        c->too_long = 1;
        return NULL; /* stop: inih would split the line and misread the rest */
    }
    return str;
}

static int is_path_key(const char *k)
{
    return strcmp(k, "framework") == 0 || strcmp(k, "countries") == 0 || strcmp(k, "data") == 0 ||
           strcmp(k, "out") == 0 || strcmp(k, "expert-weights") == 0;
}

static int on_pair(void *user, const char *sec, const char *name, const char *value)
{
    ini_ctx *c = user;
    const struct key *k;
    cym_status st;
    char resolved[CYM_PATH_MAX];

    if (c->status < 0)
        return 0;
    c->status_line = c->line; /* kept only if this pair fails */
    if (strcmp(sec, "framework") == 0 || (!find_key(name) && cym__edition_section(name))) {
        c->status = cym__edition_ini(c->o, sec, name, value, c->dir, c->path, c->line, c->err);
        return c->status >= 0;
    }
    k = find_key(name);
    if (!k) {
        c->status =
            cym_error_set(c->err, CYM_EUSAGE, c->path, c->line, 0,
                          "unknown key '%s' in [%s] (see docs/cli.md for the keys)", name, sec);
        return 0;
    }
    if (!sec[0]) {
        c->status = cym_error_set(c->err, CYM_EUSAGE, c->path, c->line, 0,
                                  "key '%s' is outside any section (put it under [%s])", name,
                                  section_names[k->sec]);
        return 0;
    }
    if (strcmp(sec, section_names[k->sec]) != 0) {
        c->status = cym_error_set(c->err, CYM_EUSAGE, c->path, c->line, 0,
                                  "key '%s' belongs in section [%s], not [%s]", name,
                                  section_names[k->sec], sec);
        return 0;
    }
    if (is_path_key(k->name) && value[0] != '/' && c->dir[0]) {
        if (cym__path_join(resolved, sizeof(resolved), c->dir, value) < 0) {
            c->status = cym_error_set(c->err, CYM_EUSAGE, c->path, c->line, 0, "path too long");
            return 0;
        }
        value = resolved;
    }
    st = cym_options_set(c->o, name, value, c->err);
    if (st < 0) {
        if (c->err) {
            snprintf(c->err->file, sizeof(c->err->file), "%s", c->path);
            c->err->line = c->line;
            c->err->column = 0;
        }
        c->status = st;
        return 0;
    }
    return 1;
}

cym_status cym_options_load_ini(cym_options *o, const char *path, cym_error *err)
{
    ini_ctx c;
    const char *slash;
    int r;

    memset(&c, 0, sizeof(c));
    c.o = o;
    c.path = path;
    c.err = err;
    slash = strrchr(path, '/');
    if (slash && (size_t)(slash - path) < sizeof(c.dir)) {
        memcpy(c.dir, path, (size_t)(slash - path));
        c.dir[slash - path] = '\0';
        if (slash == path)
            strcpy(c.dir, "/");
    }
    c.f = fopen(path, "r");
    if (!c.f)
        return cym_error_set(err, CYM_EIO, path, 0, 0, "cannot open the configuration");
    r = ini_parse_stream(read_line, &c, on_pair, &c);
    fclose(c.f);
    if (c.too_long)
        return cym_error_set(err, CYM_EUSAGE, path, c.line, 0, "line longer than %d characters",
                             199);
    /* inih reports the first bad line but reads on; a syntax error before the first
     * rejected key is the first problem, and may be its cause (a broken section header) */
    if (c.status < 0 && !(r > 0 && (unsigned long)r < c.status_line))
        return c.status;
    if (r > 0)
        return cym_error_set(err, CYM_EUSAGE, path, (unsigned long)r, 0,
                             "syntax error (expected '[section]', 'key = value' or a comment)");
    if (r < 0)
        return cym_error_set(err, CYM_ENOMEM, path, 0, 0, "cannot read the configuration");
    snprintf(o->config, sizeof(o->config), "%s", path);
    return CYM_OK;
}

