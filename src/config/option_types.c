/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The option types with a syntax of their own, each a parse/format pair that a row of the
 * table names: year ranges, the normalisation range, tiers, rank ties, the seed, weight noise,
 * the expert weight combination, framework editions and lists of codes; and the method specs
 * (one value each, for a key and for every item of its [uncertainty] list of alternatives).
 * What a formatter writes its parser reads back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/options_internal.h"
#include "core/util.h"
#include "cymetrics/experts.h"
#include "cymetrics/framework.h"
#include "cymetrics/tables.h"

#define YEAR_LO 1900
#define YEAR_HI 2100

/* ---- years ------------------------------------------------------------------------------- */

int cym__years_parse(const char *s, int *from, int *to)
{
    const char *dash = strchr(s, '-');
    char left[16];
    long a = 0, b = 0;
    if (!dash) {
        if (cym__parse_long(s, YEAR_LO, YEAR_HI, &a) < 0)
            return -1;
        *from = *to = (int)a;
        return 0;
    }
    if ((size_t)(dash - s) >= sizeof(left))
        return -1;
    memcpy(left, s, (size_t)(dash - s));
    left[dash - s] = '\0';
    if ((left[0] && cym__parse_long(left, YEAR_LO, YEAR_HI, &a) < 0) ||
        (dash[1] && cym__parse_long(dash + 1, YEAR_LO, YEAR_HI, &b) < 0) || (!left[0] && !dash[1]))
        return -1;
    if (a && b && a > b)
        return -2;
    *from = (int)a;
    *to = (int)b;
    return 0;
}

void cym__years_format(char *buf, size_t n, int from, int to)
{
    if (!from && !to)
        snprintf(buf, n, "all");
    else
        cym__year_range_format(buf, n, from, to);
}

static cym_status years_parse(cym_options *o, const cym__opt *row, const char *text,
                              cym_error *err)
{
    int st = cym__years_parse(text, &o->run.year_from, &o->run.year_to);
    if (st == -2)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "invalid years '%s' (the first year is after the last)", text);
    return st < 0 ? cym__opt_bad(err, row->info.name, text, row->expect) : CYM_OK;
}

static void years_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    (void)row;
    cym__years_format(buf, n, o->run.year_from, o->run.year_to);
}

const cym__type cym__t_years = {years_parse, years_format};

/* ---- reference years: "A-B" or "A", both ends given; "none" ------------------------------ */

static cym_status refyears_parse(cym_options *o, const cym__opt *row, const char *text,
                                 cym_error *err)
{
    int from = 0, to = 0, st;
    if (strcmp(text, "none") == 0) {
        o->run.ref_from = o->run.ref_to = 0;
        return CYM_OK;
    }
    st = cym__years_parse(text, &from, &to);
    if (st == -2)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "invalid reference years '%s' (the first year is after the last)",
                             text);
    /* an open end would take in the years to come: exactly what the window is to exclude */
    if (st < 0 || !from || !to)
        return cym__opt_bad(err, row->info.name, text, row->expect);
    o->run.ref_from = from;
    o->run.ref_to = to;
    return CYM_OK;
}

static void refyears_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    (void)row;
    if (!o->run.ref_from)
        snprintf(buf, n, "none");
    else
        cym__year_range_format(buf, n, o->run.ref_from, o->run.ref_to);
}

const cym__type cym__t_refyears = {refyears_parse, refyears_format};

/* ---- the normalisation range "L,U" -------------------------------------------------------- */

static cym_status range_parse(cym_options *o, const cym__opt *row, const char *text,
                              cym_error *err)
{
    char lo[64];
    const char *comma = strchr(text, ',');
    double l, u;
    if (strlen(text) >= sizeof(lo) || !comma)
        return cym__opt_bad(err, row->info.name, text, row->expect);
    memcpy(lo, text, (size_t)(comma - text));
    lo[comma - text] = '\0';
    if (cym__parse_number(lo, &l) != CYM_NUM_OK || cym__parse_number(comma + 1, &u) != CYM_NUM_OK ||
        !(l < u))
        return cym__opt_bad(err, row->info.name, text, row->expect);
    o->run.norm.lo = l;
    o->run.norm.hi = u;
    return CYM_OK;
}

static void range_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    char a[40], b[40];
    (void)row;
    cym__fmt_shortest(a, sizeof(a), o->run.norm.lo);
    cym__fmt_shortest(b, sizeof(b), o->run.norm.hi);
    snprintf(buf, n, "%s,%s", a, b);
}

const cym__type cym__t_range = {range_parse, range_format};

/* ---- tiers ------------------------------------------------------------------------------- */

cym_status cym_tiers_parse(cym_options *o, const char *text, cym_error *err)
{
    static const char expect[] = "threshold[:label],... highest first, e.g. "
                                 "95:Tier 1,85:Tier 2,0:Tier 3, or p90:Leading,p0:Rest";
    const char *p;
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
            return cym__opt_bad(err, "tiers", text, expect);
        memcpy(item, p, len);
        item[len] = '\0';
        colon = strchr(item, ':');
        if (colon)
            *colon = '\0';
        ti->percentile = item[0] == 'p';
        if (cym__parse_number(item + ti->percentile, &ti->threshold) != CYM_NUM_OK ||
            (ti->percentile && (ti->threshold < 0 || ti->threshold > 100)))
            return cym__opt_bad(err, "tiers", text, expect);
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

static cym_status tiers_parse(cym_options *o, const cym__opt *row, const char *text,
                              cym_error *err)
{
    (void)row;
    return cym_tiers_parse(o, text, err);
}

static void tiers_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    size_t len = 0;
    (void)row;
    if (!o->run.n_tiers)
        snprintf(buf, n, "none");
    for (size_t i = 0; i < o->run.n_tiers && len < n; i++) {
        char a[40];
        int w;
        cym__fmt_shortest(a, sizeof(a), o->run.tiers[i].threshold);
        w = snprintf(buf + len, n - len, "%s%s%s:%s", i ? "," : "",
                     o->run.tiers[i].percentile ? "p" : "", a, o->run.tiers[i].label);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

const cym__type cym__t_tiers = {tiers_parse, tiers_format};

/* ---- rank ties: min, dense or ordinal:CODE (the tie-break) ------------------------------- */

static cym_status ties_parse(cym_options *o, const cym__opt *row, const char *text,
                             cym_error *err)
{
    if (strcmp(text, "min") == 0)
        o->run.ties = CYM_TIES_MIN;
    else if (strcmp(text, "dense") == 0)
        o->run.ties = CYM_TIES_DENSE;
    else if (strncmp(text, "ordinal:", 8) == 0 && cym__valid_code(text + 8)) {
        o->run.ties = CYM_TIES_ORDINAL;
        strcpy(o->run.tiebreak, text + 8); /* a code is at most 64 bytes */
    } else
        return cym__opt_bad(err, row->info.name, text, row->expect);
    return CYM_OK;
}

static void ties_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    (void)row;
    if (o->run.ties == CYM_TIES_ORDINAL)
        snprintf(buf, n, "ordinal:%s", o->run.tiebreak);
    else
        snprintf(buf, n, "%s", o->run.ties == CYM_TIES_DENSE ? "dense" : "min");
}

const cym__type cym__t_ties = {ties_parse, ties_format};

/* ---- the seed: any unsigned 64-bit number ------------------------------------------------ */

static cym_status seed_parse(cym_options *o, const cym__opt *row, const char *text,
                             cym_error *err)
{
    char *end;
    unsigned long long s;
    if (!text[0] || text[0] == '-' || text[0] == '+')
        return cym__opt_bad(err, row->info.name, text, row->expect);
    s = strtoull(text, &end, 10);
    if (*end || s > 0xffffffffffffffffull)
        return cym__opt_bad(err, row->info.name, text, row->expect);
    o->unc.seed = (unsigned long)s;
    return CYM_OK;
}

static void seed_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    (void)row;
    snprintf(buf, n, "%lu", o->unc.seed);
}

const cym__type cym__t_seed = {seed_parse, seed_format};

/* ---- weight noise: F, F:LEVELS or experts ------------------------------------------------ */

static cym_status noise_parse(cym_options *o, const cym__opt *row, const char *text,
                              cym_error *err)
{
    const char *expect = row->expect;
    char num[64];
    const char *colon = strchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    double f;
    unsigned levels = 0;
    if (strcmp(text, "experts") == 0) {
        /* draw from the expert weight set instead of a uniform band (issue 9) */
        o->unc.weight_experts = 1;
        o->unc.weight_noise = 0;
        o->unc.weight_levels = 0;
        return CYM_OK;
    }
    if (len == 0 || len >= sizeof(num))
        return cym__opt_bad(err, row->info.name, text, expect);
    memcpy(num, text, len);
    num[len] = '\0';
    if (cym__parse_number(num, &f) != CYM_NUM_OK || !(f >= 0 && f < 1))
        return cym__opt_bad(err, row->info.name, text, expect);
    if (colon) {
        const char *p = colon + 1;
        if (!*p)
            return cym__opt_bad(err, row->info.name, text, expect);
        for (;;) {
            size_t l = strcspn(p, ",");
            char field[16];
            long lv;
            if (l == 0 || l >= sizeof(field))
                return cym__opt_bad(err, row->info.name, text, expect);
            memcpy(field, p, l);
            field[l] = '\0';
            if (cym__parse_long(field, 1, 31, &lv) < 0)
                return cym__opt_bad(err, row->info.name, text,
                                    "levels from 1 (indicators) to 31");
            levels |= 1u << lv;
            if (!p[l])
                break;
            p += l + 1;
        }
    }
    o->unc.weight_noise = f;
    o->unc.weight_levels = levels;
    o->unc.weight_experts = 0;
    return CYM_OK;
}

static void noise_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    const cym_unc_spec *u = &o->unc;
    (void)row;
    if (u->weight_experts) {
        snprintf(buf, n, "experts");
        return;
    }
    cym__fmt_shortest(buf, n, u->weight_noise);
    for (unsigned l = 1, first = 1; l < 32; l++)
        if (u->weight_levels & (1u << l)) {
            size_t len = strlen(buf);
            snprintf(buf + len, n - len, "%s%u", first ? ":" : ",", l);
            first = 0;
        }
}

const cym__type cym__t_noise = {noise_parse, noise_format};

/* ---- how the experts' weights combine (the names are cymetrics/experts.h's) -------------- */

static cym_status combine_parse(cym_options *o, const cym__opt *row, const char *text,
                                cym_error *err)
{
    cym_weight_combine how;
    if (cym_weight_combine_parse(&how, text) < 0)
        return cym__opt_bad(err, row->info.name, text, row->expect);
    o->weight_combine = (int)how;
    return CYM_OK;
}

static void combine_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    (void)row;
    snprintf(buf, n, "%s", cym_weight_combine_name((cym_weight_combine)o->weight_combine));
}

const cym__type cym__t_combine = {combine_parse, combine_format};

/* ---- framework editions: RANGE=FILE on the command line, repeatable ---------------------- */

static cym_status edition_parse(cym_options *o, const cym__opt *row, const char *text,
                                cym_error *err)
{
    /* RANGE:FILE also, since '=' ends an option's name */
    char range[32];
    size_t len = strcspn(text, "=:");
    if (!text[len] || len >= sizeof(range))
        return cym__opt_bad(err, row->info.name, text, row->expect);
    memcpy(range, text, len);
    range[len] = '\0';
    return cym__edition_add(&o->edition, range, text + len + 1, NULL, 0, err);
}

static void edition_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    const cym_edition_spec *e = &o->edition;
    size_t len = 0;
    (void)row;
    for (size_t i = 0; i < e->n && len < n; i++) {
        char r[32];
        cym__years_format(r, sizeof(r), e->ed[i].year_from, e->ed[i].year_to);
        len += (size_t)snprintf(buf + len, n - len, "%s%s=%s", i ? "," : "", r, e->ed[i].path);
    }
}

const cym__type cym__t_edition = {edition_parse, edition_format};

/* ---- text with a syntax: a list of country codes, a column name, published totals -------- */

static cym_status text_store(cym_options *o, const cym__opt *row, const char *text,
                             cym_error *err)
{
    return cym__t_string.parse(o, row, text, err);
}

static void text_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    cym__t_string.format(buf, n, o, row);
}

/* "JPN,SGP": codes only, checked against the dataset when the charts are drawn; at most
   one a colour, told before anything is written */
static cym_status codes_parse(cym_options *o, const cym__opt *row, const char *text,
                              cym_error *err)
{
    const char *p = text;
    for (int k = 1;; k++) {
        size_t len = strcspn(p, ",");
        char code[8];
        if (len == 0 || len >= sizeof(code))
            return cym__opt_bad(err, row->info.name, text, row->expect);
        memcpy(code, p, len);
        code[len] = '\0';
        if (!cym__valid_code(code))
            return cym__opt_bad(err, row->info.name, text, row->expect);
        if (k > CYM_MAX_HIGHLIGHT) {
            char most[64];
            snprintf(most, sizeof(most), "at most %d country codes, one colour each",
                     CYM_MAX_HIGHLIGHT);
            return cym__opt_bad(err, row->info.name, text, most);
        }
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    return text_store(o, row, text, err);
}

const cym__type cym__t_codes = {codes_parse, text_format};

/* a column name of countries.csv, or "" */
static cym_status column_parse(cym_options *o, const cym__opt *row, const char *text,
                               cym_error *err)
{
    if (text[0] && (!cym__valid_code(text) || strlen(text) >= row->size))
        return cym__opt_bad(err, row->info.name, text, row->expect);
    return text_store(o, row, text, err);
}

const cym__type cym__t_column = {column_parse, text_format};

/*
 * The countries selected: items CODE (any case) or COLUMN=VALUE separated by commas, checked
 * against countries.csv when the dataset loads. Each setting adds its items to the earlier
 * ones (`--select JPN --select region=ASEAN`): a country is read when any item names it.
 */
static cym_status select_parse(cym_options *o, const cym__opt *row, const char *text,
                               cym_error *err)
{
    char *field = cym__opt_field(o, row);
    size_t have = strlen(field);
    const char *p = text;
    for (;;) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        char code[8]; /* any case: matched against countries.csv on loading */
        if (eq ? eq == p || eq + 1 == p + len || memchr(eq + 1, '=', (size_t)(p + len - eq - 1))
               : len == 0 || len >= sizeof(code))
            return cym__opt_bad(err, row->info.name, text, row->expect);
        if (!eq) {
            memcpy(code, p, len);
            code[len] = '\0';
            if (!cym__valid_code(code))
                return cym__opt_bad(err, row->info.name, text, row->expect);
        }
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    if (have + 1 + strlen(text) >= row->size)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "select is too long (at most %zu bytes)",
                             row->size - 1);
    snprintf(field + have, row->size - have, "%s%s", have ? "," : "", text);
    return CYM_OK;
}

const cym__type cym__t_select = {select_parse, text_format};

/* SERIES[:NODE] separated by commas; each code checked here, resolved on loading */
static cym_status totals_parse(cym_options *o, const cym__opt *row, const char *text,
                               cym_error *err)
{
    const char *p = text;
    if (strlen(text) >= row->size) {
        char expect[40];
        snprintf(expect, sizeof(expect), "at most %zu characters", row->size - 1);
        return cym__opt_bad(err, row->info.name, text, expect);
    }
    while (*p) {
        size_t len = strcspn(p, ",");
        char part[256], *colon;
        memcpy(part, p, len);
        part[len] = '\0';
        colon = strchr(part, ':');
        if (colon)
            *colon = '\0';
        if (!cym__valid_code(part) || (colon && !cym__valid_code(colon + 1)))
            return cym__opt_bad(err, row->info.name, text, row->expect);
        p += len + (p[len] == ',');
    }
    return text_store(o, row, text, err);
}

const cym__type cym__t_totals = {totals_parse, text_format};

/* ---- method specs ------------------------------------------------------------------------ */

static cym_status impute_parse(void *v, const char *text, cym_error *err)
{
    return cym_impute_spec_parse(v, text, err);
}

static void impute_format(char *buf, size_t n, const void *v)
{
    cym_impute_spec_format(buf, n, v);
}

const cym__codec cym__c_impute = {sizeof(cym_impute_spec), NULL, impute_parse, impute_format};

static void norm_init(void *v)
{
    cym_norm_spec_default(v);
}

static cym_status norm_parse(void *v, const char *text, cym_error *err)
{
    return cym_norm_spec_parse(v, text, err);
}

static void norm_format(char *buf, size_t n, const void *v)
{
    cym_norm_spec_format(buf, n, v);
}

/* list items start from the default range: the run's `range` applies to every alternative */
const cym__codec cym__c_norm = {sizeof(cym_norm_spec), norm_init, norm_parse, norm_format};

static cym_status agg_parse(void *v, const char *text, cym_error *err)
{
    cym_agg_spec s;
    cym_status st = cym_agg_parse(&s, text, err);
    if (st == CYM_OK)
        memcpy(v, &s, sizeof(s));
    return st;
}

static void agg_format(char *buf, size_t n, const void *v)
{
    cym_agg_spec_format(buf, n, v);
}

const cym__codec cym__c_agg = {sizeof(cym_agg_spec), NULL, agg_parse, agg_format};

/* outlier treatment: an int, 0 none, 1 winsorise */
static cym_status treat_parse(void *v, const char *text, cym_error *err)
{
    int t;
    if (strcmp(text, "none") == 0)
        t = 0;
    else if (strcmp(text, "winsorise") == 0 || strcmp(text, "winsorize") == 0)
        t = 1;
    else
        return cym__opt_bad(err, "treat", text, "none or winsorise");
    memcpy(v, &t, sizeof(t));
    return CYM_OK;
}

static void treat_format(char *buf, size_t n, const void *v)
{
    int t;
    memcpy(&t, v, sizeof(t));
    snprintf(buf, n, "%s", t ? "winsorise" : "none");
}

const cym__codec cym__c_treat = {sizeof(int), NULL, treat_parse, treat_format};
