/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The [uncertainty] keys: the number of replications, the seed, and the uncertain factors of
 * the Monte Carlo (METHODS.md section 9). A list of alternatives is written like the key it
 * varies, comma-separated ("minmax,zscore:10,2"): a field that is only a number belongs to the
 * method before it, since zscore:M,S and power:P carry numbers of their own. Every value is
 * checked here, so a bad factor stops the command before anything runs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/options_internal.h"
#include "core/util.h"
#include "cymetrics/framework.h"

void cym__unc_default(cym_unc_spec *u)
{
    memset(u, 0, sizeof(*u));
    u->runs = 1000;
    u->seed = 1;
}

static cym_status bad(cym_error *err, const char *key, const char *value, const char *expect)
{
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "invalid %s '%s' (expected %s)", key, value,
                         expect);
}

static int is_number(const char *s)
{
    double d;
    return cym__parse_number(s, &d) == CYM_NUM_OK;
}

/*
 * Splits `v` into the items of a list: fields joined by ',' where a purely numeric field is
 * glued to the one before. Items go into items[][64]; returns their count, or -1 when the
 * list is empty, has an empty field, too many items or an item too long.
 */
static int split_list(char items[][64], size_t max, const char *v)
{
    size_t n = 0;
    const char *p = v;
    if (!*v)
        return -1;
    for (;;) {
        size_t len = strcspn(p, ",");
        char field[64];
        if (len == 0 || len >= sizeof(field))
            return -1;
        memcpy(field, p, len);
        field[len] = '\0';
        if (n > 0 && is_number(field)) {
            size_t have = strlen(items[n - 1]);
            if (have + 1 + len >= 64)
                return -1;
            items[n - 1][have] = ',';
            memcpy(items[n - 1] + have + 1, field, len + 1);
        } else {
            if (n >= max)
                return -1;
            memcpy(items[n++], field, len + 1);
        }
        if (!p[len])
            break;
        p += len + 1;
    }
    return (int)n;
}

static cym_status dup_error(cym_error *err, const char *key, const char *item)
{
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "invalid %s: '%s' is listed twice", key,
                         item);
}

static cym_status set_alt_normalise(cym_options *o, const char *v, cym_error *err)
{
    char items[CYM_MAX_ALTS][64];
    int n = split_list(items, CYM_MAX_ALTS, v);
    char canon[CYM_MAX_ALTS][64];
    if (n < 0)
        return bad(err, "alt-normalise", v,
                   "a comma-separated list of at most 8 methods, "
                   "e.g. minmax,zscore:10,2");
    for (int i = 0; i < n; i++) {
        cym_error e;
        cym_norm_spec_default(&o->unc.norm[i]);
        if (cym_norm_spec_parse(&o->unc.norm[i], items[i], &e) < 0)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "alt-normalise: %s", e.message);
        cym_norm_spec_format(canon[i], sizeof(canon[i]), &o->unc.norm[i]);
        for (int j = 0; j < i; j++)
            if (strcmp(canon[i], canon[j]) == 0)
                return dup_error(err, "alt-normalise", items[i]);
    }
    o->unc.n_norm = (size_t)n;
    return CYM_OK;
}

static cym_status set_alt_aggregate(cym_options *o, const char *v, cym_error *err)
{
    char items[CYM_MAX_ALTS][64];
    int n = split_list(items, CYM_MAX_ALTS, v);
    if (n < 0)
        return bad(err, "alt-aggregate", v,
                   "a comma-separated list of at most 8 methods, "
                   "e.g. arithmetic,geometric");
    for (int i = 0; i < n; i++) {
        cym_error e;
        if (cym_agg_parse(&o->unc.agg[i], items[i], &e) < 0)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "alt-aggregate: %s", e.message);
        for (int j = 0; j < i; j++)
            if (o->unc.agg[j].method == o->unc.agg[i].method &&
                (o->unc.agg[i].method != CYM_AGG_POWER || o->unc.agg[j].p == o->unc.agg[i].p))
                return dup_error(err, "alt-aggregate", items[i]);
    }
    o->unc.n_agg = (size_t)n;
    return CYM_OK;
}

static cym_status set_alt_impute(cym_options *o, const char *v, cym_error *err)
{
    char items[CYM_MAX_ALTS][64];
    char canon[CYM_MAX_ALTS][64];
    int n = split_list(items, CYM_MAX_ALTS, v);
    if (n < 0)
        return bad(err, "alt-impute", v,
                   "a comma-separated list of at most 8 methods, "
                   "e.g. none,mean,linear");
    for (int i = 0; i < n; i++) {
        cym_error e;
        if (cym_impute_spec_parse(&o->unc.impute[i], items[i], &e) < 0)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "alt-impute: %s", e.message);
        cym_impute_spec_format(canon[i], sizeof(canon[i]), &o->unc.impute[i]);
        for (int j = 0; j < i; j++)
            if (strcmp(canon[i], canon[j]) == 0)
                return dup_error(err, "alt-impute", items[i]);
    }
    o->unc.n_impute = (size_t)n;
    return CYM_OK;
}

static cym_status set_alt_treat(cym_options *o, const char *v, cym_error *err)
{
    char items[CYM_MAX_ALTS][64];
    int n = split_list(items, CYM_MAX_ALTS, v);
    const char *expect = "none,winsorise (or one of them)";
    if (n < 0 || n > 2)
        return bad(err, "alt-treat", v, expect);
    for (int i = 0; i < n; i++) {
        if (strcmp(items[i], "none") == 0)
            o->unc.treat[i] = 0;
        else if (strcmp(items[i], "winsorise") == 0 || strcmp(items[i], "winsorize") == 0)
            o->unc.treat[i] = 1;
        else
            return bad(err, "alt-treat", v, expect);
        if (i == 1 && o->unc.treat[0] == o->unc.treat[1])
            return dup_error(err, "alt-treat", items[i]);
    }
    o->unc.n_treat = (size_t)n;
    return CYM_OK;
}

static cym_status set_weight_noise(cym_options *o, const char *v, cym_error *err)
{
    const char *expect = "F or F:LEVELS with 0 <= F < 1, e.g. 0.25 or 0.25:1,2, or experts";
    char num[64];
    const char *colon = strchr(v, ':');
    size_t len = colon ? (size_t)(colon - v) : strlen(v);
    double f;
    unsigned levels = 0;
    if (strcmp(v, "experts") == 0) {
        /* draw from the expert weight set instead of a uniform band (issue 9) */
        o->unc.weight_experts = 1;
        o->unc.weight_noise = 0;
        o->unc.weight_levels = 0;
        return CYM_OK;
    }
    if (len == 0 || len >= sizeof(num))
        return bad(err, "weight-noise", v, expect);
    memcpy(num, v, len);
    num[len] = '\0';
    if (cym__parse_number(num, &f) != CYM_NUM_OK || !(f >= 0 && f < 1))
        return bad(err, "weight-noise", v, expect);
    if (colon) {
        const char *p = colon + 1;
        if (!*p)
            return bad(err, "weight-noise", v, expect);
        for (;;) {
            size_t l = strcspn(p, ",");
            char field[16];
            long lv;
            if (l == 0 || l >= sizeof(field))
                return bad(err, "weight-noise", v, expect);
            memcpy(field, p, l);
            field[l] = '\0';
            if (cym__parse_long(field, 1, 31, &lv) < 0)
                return bad(err, "weight-noise", v, "levels from 1 (indicators) to 31");
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

static cym_status on_off(int *dst, const char *key, const char *v, cym_error *err)
{
    if (strcmp(v, "on") == 0)
        *dst = 1;
    else if (strcmp(v, "off") == 0)
        *dst = 0;
    else
        return bad(err, key, v, "on or off");
    return CYM_OK;
}

cym_status cym__unc_set(cym_options *o, const char *key, const char *value, cym_error *err)
{
    cym_unc_spec *u = &o->unc;
    long l;
    if (strcmp(key, "runs") == 0) {
        if (cym__parse_long(value, 2, 100000000, &l) < 0)
            return bad(err, "runs", value, "a whole number from 2 to 100000000");
        u->runs = l;
        return CYM_OK;
    }
    if (strcmp(key, "seed") == 0) {
        char *end;
        unsigned long long s;
        if (!value[0] || value[0] == '-' || value[0] == '+')
            return bad(err, "seed", value, "a whole number >= 0");
        s = strtoull(value, &end, 10);
        if (*end || s > 0xffffffffffffffffull)
            return bad(err, "seed", value, "a whole number >= 0");
        u->seed = (unsigned long)s;
        return CYM_OK;
    }
    if (strcmp(key, "threads") == 0) {
        if (cym__parse_long(value, 0, 1024, &l) < 0)
            return bad(err, "threads", value, "a whole number from 0 (every core) to 1024");
        u->threads = (int)l;
        return CYM_OK;
    }
    if (strcmp(key, "weight-noise") == 0)
        return set_weight_noise(o, value, err);
    if (strcmp(key, "alt-normalise") == 0)
        return set_alt_normalise(o, value, err);
    if (strcmp(key, "alt-aggregate") == 0)
        return set_alt_aggregate(o, value, err);
    if (strcmp(key, "alt-impute") == 0)
        return set_alt_impute(o, value, err);
    if (strcmp(key, "alt-treat") == 0)
        return set_alt_treat(o, value, err);
    if (strcmp(key, "exclude-one") == 0)
        return on_off(&u->exclude, "exclude-one", value, err);
    if (strcmp(key, "keep-runs") == 0)
        return on_off(&u->keep_runs, "keep-runs", value, err);
    if (strcmp(key, "sobol") == 0) {
        if (strcmp(value, "countries") == 0) {
            u->sobol = 2;
            return CYM_OK;
        }
        return on_off(&u->sobol, "sobol", value, err) < 0
                   ? bad(err, "sobol", value, "on, off or countries")
                   : CYM_OK;
    }
    return cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0, "option '%s' has no setter", key);
}

/* Appends item to buf as a list element. */
static void add_item(char *buf, size_t n, const char *item)
{
    size_t len = strlen(buf);
    if (len < n)
        snprintf(buf + len, n - len, "%s%s", len ? "," : "", item);
}

void cym__unc_get(const cym_options *o, const char *key, char *buf, size_t n)
{
    const cym_unc_spec *u = &o->unc;
    char item[64];
    buf[0] = '\0';
    if (strcmp(key, "runs") == 0)
        snprintf(buf, n, "%ld", u->runs);
    else if (strcmp(key, "seed") == 0)
        snprintf(buf, n, "%lu", u->seed);
    else if (strcmp(key, "threads") == 0)
        snprintf(buf, n, "%d", u->threads);
    else if (strcmp(key, "weight-noise") == 0 && u->weight_experts)
        snprintf(buf, n, "experts");
    else if (strcmp(key, "weight-noise") == 0) {
        cym__fmt_shortest(buf, n, u->weight_noise);
        for (unsigned l = 1, first = 1; l < 32; l++)
            if (u->weight_levels & (1u << l)) {
                size_t len = strlen(buf);
                snprintf(buf + len, n - len, "%s%u", first ? ":" : ",", l);
                first = 0;
            }
    } else if (strcmp(key, "alt-normalise") == 0) {
        for (size_t i = 0; i < u->n_norm; i++) {
            cym_norm_spec_format(item, sizeof(item), &u->norm[i]);
            add_item(buf, n, item);
        }
    } else if (strcmp(key, "alt-aggregate") == 0) {
        for (size_t i = 0; i < u->n_agg; i++) {
            if (u->agg[i].method == CYM_AGG_POWER) {
                char p[32];
                cym__fmt_shortest(p, sizeof(p), u->agg[i].p);
                snprintf(item, sizeof(item), "power:%s", p);
            } else
                snprintf(item, sizeof(item), "%s", cym_agg_name(u->agg[i].method));
            add_item(buf, n, item);
        }
    } else if (strcmp(key, "alt-impute") == 0) {
        for (size_t i = 0; i < u->n_impute; i++) {
            cym_impute_spec_format(item, sizeof(item), &u->impute[i]);
            add_item(buf, n, item);
        }
    } else if (strcmp(key, "alt-treat") == 0) {
        for (size_t i = 0; i < u->n_treat; i++)
            add_item(buf, n, u->treat[i] ? "winsorise" : "none");
    } else if (strcmp(key, "exclude-one") == 0)
        snprintf(buf, n, "%s", u->exclude ? "on" : "off");
    else if (strcmp(key, "keep-runs") == 0)
        snprintf(buf, n, "%s", u->keep_runs ? "on" : "off");
    else if (strcmp(key, "sobol") == 0)
        snprintf(buf, n, "%s", u->sobol == 2 ? "countries" : u->sobol ? "on" : "off");
}
