/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Run configuration from the option table (option_table.c): the defaults, the setter and the
 * getter of every key, the key list, and the generic types a row can name (text, paths,
 * bounded numbers, enums, sets of names, method specs and lists of them). A default is text
 * read by the key's own setter, so it cannot say something the setter would not; what the
 * getter writes the setter reads back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/options_internal.h"
#include "core/util.h"

void *cym__opt_field(cym_options *o, const cym__opt *row)
{
    return (char *)o + row->offset;
}

const void *cym__opt_cfield(const cym_options *o, const cym__opt *row)
{
    return (const char *)o + row->offset;
}

cym_status cym__opt_bad(cym_error *err, const char *key, const char *value, const char *expect)
{
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "invalid %s '%s' (expected %s)", key, value,
                         expect);
}

/* 1 when `key` spells `name`, '_' standing for '-' */
static int same_key(const char *name, const char *key)
{
    for (; *name && *key; name++, key++)
        if (*name != (*key == '_' ? '-' : *key))
            return 0;
    return *name == *key;
}

const cym__opt *cym__opt_find(const char *key)
{
    for (size_t i = 0; i < cym__n_opts; i++)
        if (same_key(cym__opts[i].info.name, key))
            return &cym__opts[i];
    return NULL;
}

cym_status cym__opt_set(cym_options *o, const cym__opt *row, const char *text, cym_error *err)
{
    cym_status st = row->type->parse(o, row, text, err);
    if (st == CYM_OK && (row->flags & CYM__OPT_MARKS)) {
        int one = 1;
        memcpy((char *)o + row->mark, &one, sizeof(one));
    }
    return st;
}

void cym_options_default(cym_options *o)
{
    memset(o, 0, sizeof(*o));
    /* every default is valid text (tests/unit/test_option_table.c checks it) */
    for (size_t i = 0; i < cym__n_opts; i++)
        if (cym__opts[i].info.def)
            (void)cym__opts[i].type->parse(o, &cym__opts[i], cym__opts[i].info.def, NULL);
}

cym_status cym_options_set(cym_options *o, const char *key, const char *value, cym_error *err)
{
    const cym__opt *row = cym__opt_find(key);
    if (!row)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "unknown option '%s'", key);
    return cym__opt_set(o, row, value, err);
}

cym_status cym_options_get(const cym_options *o, const char *key, char *buf, size_t n)
{
    const cym__opt *row = cym__opt_find(key);
    if (!row)
        return CYM_EUSAGE;
    buf[0] = '\0';
    row->type->format(buf, n, o, row);
    return CYM_OK;
}

int cym_options_is_key(const char *key)
{
    return cym__opt_find(key) != NULL;
}

const char *cym_options_section(const char *key)
{
    const cym__opt *row = cym__opt_find(key);
    return row ? row->info.section : NULL;
}

const char *cym_options_suggest(const char *key)
{
    cym__suggest s;
    cym__suggest_init(&s, key);
    for (size_t i = 0; i < cym__n_opts; i++)
        cym__suggest_add(&s, cym__opts[i].info.name);
    return s.best;
}

/* 1 when names[i] repeats the value of an earlier name (a second spelling) */
static int is_alias(const cym__name *names, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (names[j].value == names[i].value)
            return 1;
    return 0;
}

/* "a, b or c" (last = " or ") or "a, b, c" (last = ", ") from the names, without aliases */
static void names_text(char *buf, size_t n, const cym__name *names, const char *last)
{
    size_t k = 0, total = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i].name; i++)
        total += !is_alias(names, i);
    for (size_t i = 0; names[i].name; i++) {
        size_t len = strlen(buf);
        if (is_alias(names, i))
            continue;
        snprintf(buf + len, n - len, "%s%s", k == 0 ? "" : k + 1 == total ? last : ", ",
                 names[i].name);
        k++;
    }
}

const char *cym_options_value(const char *key, size_t i)
{
    const cym__opt *row = cym__opt_find(key);
    if (!row || !row->names)
        return NULL;
    for (size_t k = 0; row->names[k].name; k++)
        if (!is_alias(row->names, k) && i-- == 0)
            return row->names[k].name;
    return NULL;
}

int cym_options_is_flag(const char *key)
{
    const cym__opt *row = cym__opt_find(key);
    int on = 0, off = 0;
    if (!row || !row->names || row->type != &cym__t_enum)
        return 0;
    for (size_t k = 0; row->names[k].name; k++) {
        on |= strcmp(row->names[k].name, "on") == 0;
        off |= strcmp(row->names[k].name, "off") == 0;
    }
    return on && off;
}

/* What `row` takes in words: its EXPECT, or from its names; "" when neither says it */
static void expect_text(char *buf, size_t n, const cym__opt *row)
{
    char list[200];
    buf[0] = '\0';
    if (row->expect)
        snprintf(buf, n, "%s", row->expect);
    else if (row->names && row->type == &cym__t_set) {
        names_text(list, sizeof(list), row->names, ", ");
        snprintf(buf, n, "none or a list of %s", list);
    } else if (row->names)
        names_text(buf, n, row->names, " or ");
}

const char *cym_options_expect(char *buf, size_t n, const char *key)
{
    const cym__opt *row = cym__opt_find(key);
    buf[0] = '\0';
    if (!row)
        return NULL;
    expect_text(buf, n, row);
    if (!buf[0] && (row->type == &cym__t_path || row->type == &cym__t_string))
        snprintf(buf, n, "%s", row->type == &cym__t_path ? "a path" : "text");
    return buf[0] ? buf : NULL;
}

int cym_options_accepts(const char *key, const char *value)
{
    const cym__opt *row = cym__opt_find(key);
    if (!row || !row->names)
        return 0;
    for (size_t k = 0; row->names[k].name; k++)
        if (strcmp(row->names[k].name, value) == 0)
            return 1;
    return 0;
}

const char *cym_options_key(size_t i)
{
    return i < cym__n_opts ? cym__opts[i].info.name : NULL;
}

const cym_option_info *cym_options_info(size_t i)
{
    return i < cym__n_opts ? &cym__opts[i].info : NULL;
}

/* ---- text and paths ----------------------------------------------------------------------- */

static cym_status text_parse(cym_options *o, const cym__opt *row, const char *text,
                             cym_error *err)
{
    size_t len = strlen(text);
    if (len >= row->size)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "%s is too long (at most %zu bytes)",
                             row->info.name, row->size - 1);
    memcpy(cym__opt_field(o, row), text, len + 1);
    return CYM_OK;
}

static void text_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    snprintf(buf, n, "%s", (const char *)cym__opt_cfield(o, row));
}

const cym__type cym__t_string = {text_parse, text_format};
/* the same, but the INI reader resolves a relative path against the INI file's folder */
const cym__type cym__t_path = {text_parse, text_format};

/* ---- numbers ------------------------------------------------------------------------------ */

/* whole numbers: an int, a long ("long" rows) or a size_t (counts) */
static cym_status whole_parse(cym_options *o, const cym__opt *row, const char *text,
                              cym_error *err)
{
    long l;
    void *field = cym__opt_field(o, row);
    if (cym__parse_long(text, (long)row->lo, (long)row->hi, &l) < 0)
        return cym__opt_bad(err, row->info.name, text, row->expect);
    if (row->size == sizeof(int)) {
        int v = (int)l;
        memcpy(field, &v, sizeof(v));
    } else if (row->type == &cym__t_long) {
        memcpy(field, &l, sizeof(l));
    } else {
        size_t v = (size_t)l;
        memcpy(field, &v, sizeof(v));
    }
    return CYM_OK;
}

static void whole_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    const void *field = cym__opt_cfield(o, row);
    if (row->size == sizeof(int)) {
        int v;
        memcpy(&v, field, sizeof(v));
        snprintf(buf, n, "%d", v);
    } else if (row->type == &cym__t_long) {
        long v;
        memcpy(&v, field, sizeof(v));
        snprintf(buf, n, "%ld", v);
    } else {
        size_t v;
        memcpy(&v, field, sizeof(v));
        snprintf(buf, n, "%zu", v);
    }
}

const cym__type cym__t_int = {whole_parse, whole_format};
const cym__type cym__t_long = {whole_parse, whole_format};

static cym_status double_parse(cym_options *o, const cym__opt *row, const char *text,
                               cym_error *err)
{
    double d;
    int lo_ok, hi_ok;
    /* a number row may name values too ("off" for 0) */
    for (const cym__name *nm = row->names; nm && nm->name; nm++)
        if (strcmp(text, nm->name) == 0) {
            d = nm->value;
            memcpy(cym__opt_field(o, row), &d, sizeof(d));
            return CYM_OK;
        }
    if (cym__parse_number(text, &d) != CYM_NUM_OK)
        return cym__opt_bad(err, row->info.name, text, row->expect);
    lo_ok = (row->flags & CYM__OPT_LO_OPEN) ? d > row->lo : d >= row->lo;
    hi_ok = (row->flags & CYM__OPT_HI_OPEN) ? d < row->hi : d <= row->hi;
    if (!lo_ok || !hi_ok)
        return cym__opt_bad(err, row->info.name, text, row->expect);
    memcpy(cym__opt_field(o, row), &d, sizeof(d));
    return CYM_OK;
}

static void double_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    double d;
    memcpy(&d, cym__opt_cfield(o, row), sizeof(d));
    for (const cym__name *nm = row->names; nm && nm->name; nm++)
        if (d == nm->value) {
            snprintf(buf, n, "%s", nm->name);
            return;
        }
    cym__fmt_shortest(buf, n, d);
}

const cym__type cym__t_double = {double_parse, double_format};

/* ---- enums, bools and sets of names ------------------------------------------------------- */

static cym_status enum_parse(cym_options *o, const cym__opt *row, const char *text,
                             cym_error *err)
{
    char expect[256], hinted[300], unquoted[64];
    cym__suggest s;
    size_t len = strlen(text);
    /* a quoted value: how an INI file writes `delimiter = ";"` (a bare ` ;` starts a comment) */
    if (len >= 2 && len < sizeof(unquoted) && (text[0] == '"' || text[0] == '\'') &&
        text[len - 1] == text[0]) {
        snprintf(unquoted, sizeof(unquoted), "%.*s", (int)(len - 2), text + 1);
        text = unquoted;
    }
    if (!*text)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "empty %s (in an INI file ' ;' starts a comment: write a name, "
                             "e.g. 'semicolon', or quote the value: \";\")",
                             row->info.name);
    for (size_t i = 0; row->names[i].name; i++)
        if (strcmp(text, row->names[i].name) == 0) {
            if (row->size == 1) {
                char c = (char)row->names[i].value;
                memcpy(cym__opt_field(o, row), &c, 1);
            } else {
                memcpy(cym__opt_field(o, row), &row->names[i].value, sizeof(int));
            }
            return CYM_OK;
        }
    expect_text(expect, sizeof(expect), row);
    cym__suggest_init(&s, text);
    for (size_t i = 0; row->names[i].name; i++)
        if (strlen(row->names[i].name) > 1) /* "," is no hint for "x" */
            cym__suggest_add(&s, row->names[i].name);
    if (!s.best)
        return cym__opt_bad(err, row->info.name, text, expect);
    snprintf(hinted, sizeof(hinted), "did you mean '%s'? expected %s", s.best, expect);
    return cym__opt_bad(err, row->info.name, text, hinted);
}

static void enum_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    int v;
    if (row->size == 1) {
        char c;
        memcpy(&c, cym__opt_cfield(o, row), 1);
        v = c;
    } else {
        memcpy(&v, cym__opt_cfield(o, row), sizeof(v));
    }
    for (size_t i = 0; row->names[i].name; i++)
        if (row->names[i].value == v) {
            snprintf(buf, n, "%s", row->names[i].name);
            return;
        }
}

const cym__type cym__t_enum = {enum_parse, enum_format};

/* "a,c" in any order, each name a bit, or "none" (which leaves the bits in `always`) */
static cym_status set_parse(cym_options *o, const cym__opt *row, const char *text,
                            cym_error *err)
{
    unsigned set = row->always;
    const char *p = text;
    if (strcmp(text, "none") != 0)
        for (;;) {
            size_t len = strcspn(p, ","), i = 0;
            while (row->names[i].name && !(strlen(row->names[i].name) == len &&
                                           strncmp(p, row->names[i].name, len) == 0))
                i++;
            if (!row->names[i].name) {
                char expect[256];
                expect_text(expect, sizeof(expect), row);
                return cym__opt_bad(err, row->info.name, text, expect);
            }
            set |= (unsigned)row->names[i].value;
            if (p[len] == '\0')
                break;
            p += len + 1;
        }
    memcpy(cym__opt_field(o, row), &set, sizeof(set));
    return CYM_OK;
}

static void set_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    unsigned set;
    size_t len = 0;
    memcpy(&set, cym__opt_cfield(o, row), sizeof(set));
    snprintf(buf, n, "none");
    for (size_t i = 0; row->names[i].name && len < n; i++)
        if (set & (unsigned)row->names[i].value) {
            snprintf(buf + len, n - len, "%s%s", len ? "," : "", row->names[i].name);
            len = strlen(buf);
        }
}

const cym__type cym__t_set = {set_parse, set_format};

/* ---- method specs and lists of them ------------------------------------------------------- */

static cym_status spec_parse(cym_options *o, const cym__opt *row, const char *text,
                             cym_error *err)
{
    return row->codec->parse(cym__opt_field(o, row), text, err);
}

static void spec_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    row->codec->format(buf, n, cym__opt_cfield(o, row));
}

const cym__type cym__t_spec = {spec_parse, spec_format};

static int is_number(const char *s)
{
    double d;
    return cym__parse_number(s, &d) == CYM_NUM_OK;
}

/*
 * Splits `v` into the items of a list: fields joined by ',' where a purely numeric field is
 * glued to the one before (zscore:M,S and power:P carry numbers of their own). Items go into
 * items[][64]; returns their count, or -1 when the list is empty, has an empty field, more
 * than `max` items or an item too long.
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

/* A list of alternatives, each item read by the row's codec; an item listed twice (in the
 * codec's canonical form) is refused. Nothing is stored unless every item is good. */
static cym_status list_parse(cym_options *o, const cym__opt *row, const char *text,
                             cym_error *err)
{
    char items[CYM_MAX_ALTS][64], canon[CYM_MAX_ALTS][64];
    union { /* room for CYM_MAX_ALTS values of any codec, suitably aligned */
        cym_impute_spec impute;
        cym_norm_spec norm;
        cym_agg_spec agg;
        int treat;
    } values[CYM_MAX_ALTS];
    const cym__codec *c = row->codec;
    int n = split_list(items, row->max < CYM_MAX_ALTS ? row->max : CYM_MAX_ALTS, text);
    size_t count;

    if (n < 0)
        return cym__opt_bad(err, row->info.name, text, row->expect);
    for (int i = 0; i < n; i++) {
        void *v = (char *)values + (size_t)i * c->size;
        cym_error e;
        memset(v, 0, c->size);
        if (c->init)
            c->init(v);
        if (c->parse(v, items[i], &e) < 0)
            return (row->flags & CYM__OPT_WHOLE)
                       ? cym__opt_bad(err, row->info.name, text, row->expect)
                       : cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "%s: %s", row->info.name,
                                       e.message);
        c->format(canon[i], sizeof(canon[i]), v);
        for (int j = 0; j < i; j++)
            if (strcmp(canon[i], canon[j]) == 0)
                return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                     "invalid %s: '%s' is listed twice", row->info.name,
                                     items[i]);
    }
    memcpy(cym__opt_field(o, row), values, (size_t)n * c->size);
    count = (size_t)n;
    memcpy((char *)o + row->count, &count, sizeof(count));
    return CYM_OK;
}

static void list_format(char *buf, size_t n, const cym_options *o, const cym__opt *row)
{
    size_t count;
    memcpy(&count, (const char *)o + row->count, sizeof(count));
    for (size_t i = 0; i < count; i++) {
        char item[64];
        size_t len = strlen(buf);
        row->codec->format(item, sizeof(item),
                           (const char *)cym__opt_cfield(o, row) + i * row->codec->size);
        if (len < n)
            snprintf(buf + len, n - len, "%s%s", len ? "," : "", item);
    }
}

const cym__type cym__t_list = {list_parse, list_format};

/* The i-th setting as text; a path relative to the base of `base` when there is one
   (cym_provenance). */
static void setting_text(char *buf, size_t n, const cym_options *o, size_t i,
                         cym__relative *base)
{
    char rel[4096];
    const cym_option_info *k = cym_options_info(i);
    cym_options_get(o, k->name, buf, n);
    if (base && buf[0] && strcmp(k->type, "path") == 0 &&
        cym__relative_path(base, rel, sizeof(rel), buf) == 0 && strlen(rel) < n)
        memcpy(buf, rel, strlen(rel) + 1);
}

cym_status cym_options_provenance(cym_provenance *out, void **mem, const cym_options *o,
                                  const char *base, cym_error *err)
{
    size_t n = 0, text = 0;
    char buf[2048];
    const char **keys, **values;
    char *p;
    /* the base made canonical once for every path setting */
    cym__relative *rb = base ? malloc(sizeof(*rb)) : NULL;

    memset(out, 0, sizeof(*out));
    *mem = NULL;
    if (base && !rb)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    if (rb)
        cym__relative_init(rb, base);
    while (cym_options_key(n)) {
        setting_text(buf, sizeof(buf), o, n, rb);
        text += strlen(buf) + 1;
        n++;
    }
    /* one block: the two pointer arrays, then the values' text */
    keys = malloc(2 * (n ? n : 1) * sizeof(*keys) + (text ? text : 1));
    if (!keys) {
        free(rb);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    values = keys + n;
    p = (char *)(values + n);
    for (size_t i = 0; i < n; i++) {
        keys[i] = cym_options_key(i);
        setting_text(buf, sizeof(buf), o, i, rb);
        memcpy(p, buf, strlen(buf) + 1);
        values[i] = p;
        p += strlen(buf) + 1;
    }
    out->dataset = o->output.name;
    out->base = base;
    out->config = o->config;
    out->n_settings = n;
    out->keys = keys;
    out->values = values;
    *mem = keys;
    free(rb);
    return CYM_OK;
}
