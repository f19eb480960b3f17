/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * countries.csv: one row per country with its ISO-style code, its name and any further
 * columns, each of which defines a grouping (region, income group...). The codes are checked
 * as they are read (three capital letters, no duplicates, the first occurrence named), so the
 * data files can be matched to the countries by code alone.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/util.h"
#include "dataset/dataset_internal.h"

typedef struct countries_loader {
    cym_dataset *ds;
    const char *path;
    long c_code, c_name;
    size_t n_header;
    long *group_idx; /* header index of each group column */
    size_t cap;
    cym__strmap map; /* code -> unit, for duplicates; keys in `keys` (units may move) */
    char **keys;
    size_t nkeys;
    char delim;
    cym_error_list *errors; /* NULL: stop at the first error */
} countries_loader;

static cym_status country(countries_loader *L, const cym__csv_row *row, cym_error *err)
{
    cym_dataset *ds = L->ds;
    cym_unit *u;
    const cym__csv_field *f;
    size_t prev;
    cym_status st;

    if (row->index == 0) {
        st = cym__dataset_check_delimiter(row, L->path, L->delim, err);
        if (st < 0)
            return st;
        L->c_code = cym__csv_col(row, "code");
        L->c_name = cym__csv_col(row, "name");
        if (L->c_code < 0 || L->c_name < 0)
            return cym_error_set(err, CYM_EDATA, L->path, row->line, 1,
                                 "missing required column '%s' (required: code, name; any "
                                 "further columns define groups)",
                                 L->c_code < 0 ? "code" : "name");
        L->n_header = row->n;
        L->group_idx = malloc(row->n * sizeof(long));
        ds->group_cols = calloc(row->n, sizeof(char *));
        if (!L->group_idx || !ds->group_cols)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t i = 0; i < row->n; i++) {
            const char *h = row->f[i].text;
            if ((long)i == L->c_code || (long)i == L->c_name)
                continue;
            if (!cym__valid_code(h))
                return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[i].col,
                                     "invalid group column name '%s' (1-64 characters of "
                                     "A-Z a-z 0-9 _ . -)",
                                     h);
            for (size_t j = 0; j < i; j++)
                if (strcmp(row->f[j].text, h) == 0)
                    return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[i].col,
                                         "column '%s' appears twice in the header", h);
            L->group_idx[ds->n_group_cols] = (long)i;
            ds->group_cols[ds->n_group_cols] = cym__strdup(h);
            if (!ds->group_cols[ds->n_group_cols])
                return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            ds->n_group_cols++;
        }
        return CYM_OK;
    }
    if ((st = cym__dataset_check_width(row, L->n_header, L->path, err)) < 0)
        return st;
    if (ds->n_units == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 32;
        if (cym__resize_array(&ds->units, cap, sizeof(*ds->units)) < 0 ||
            cym__resize_array(&L->keys, cap, sizeof(*L->keys)) < 0)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        L->cap = cap;
    }
    u = &ds->units[ds->n_units];
    memset(u, 0, sizeof(*u));
    f = &row->f[L->c_code];
    if (!(f->len == 3 && isupper((unsigned char)f->text[0]) && isupper((unsigned char)f->text[1]) &&
          isupper((unsigned char)f->text[2])))
        return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                             "country code '%s' must be three capital letters (ISO 3166-1 "
                             "alpha-3 style, e.g. VNM)",
                             f->text);
    memcpy(u->code, f->text, 4);
    u->line = row->line;
    ds->n_units++;
    f = &row->f[L->c_name];
    if (!f->text[0]) {
        st = cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                           "country '%s' has an empty name", u->code);
        /* when the load goes on, the country is kept, so its data is still checked */
        if ((st = cym__dataset_soft(L->errors, st, err)) < 0)
            return st;
    }
    u->name = cym__strdup(f->text);
    u->groups = calloc(ds->n_group_cols ? ds->n_group_cols : 1, sizeof(char *));
    if (!u->name || !u->groups)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t g = 0; g < ds->n_group_cols; g++) {
        u->groups[g] = cym__strdup(row->f[L->group_idx[g]].text);
        if (!u->groups[g])
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    {
        int r;
        if (!(L->keys[L->nkeys] = cym__strdup(u->code)))
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        r = cym__strmap_put(&L->map, L->keys[L->nkeys++], ds->n_units - 1, &prev);
        if (r < 0)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        if (r == 0) {
            /* the second row is not a country (the load may go on without it): nor its key,
             * or the keys would outgrow the countries they are sized by */
            free(L->keys[--L->nkeys]);
            free(u->name);
            cym__free_strings(u->groups, ds->n_group_cols);
            ds->n_units--;
            return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[L->c_code].col,
                                 "duplicate country '%s' (first on line %lu)", u->code,
                                 ds->units[prev].line);
        }
    }
    return CYM_OK;
}

/* A row; with a list of errors, a bad country row is reported and skipped (not the header). */
static cym_status countries_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    countries_loader *L = ctx;
    cym_status st = country(L, row, err);
    return row->index ? cym__dataset_soft(L->errors, st, err) : st;
}

cym_status cym__dataset_read_countries(cym_dataset *ds, const char *path, const cym__csv_opts *opts,
                                       cym_error_list *errors, cym_error *err)
{
    countries_loader L;
    cym_status st;
    size_t before;

    cym__csv_opts o = *opts;
    char decimal = '.';
    cym__csv_file f;

    o.sha256 = ds->countries_digest.sha256;
    o.bytes = &ds->countries_digest.bytes;
    if ((st = cym__csv_open(&f, path, err)) < 0 ||
        (st = cym__csv_file_detect(&f, &o.delim, &decimal, err)) < 0) {
        cym__csv_close(&f);
        return st;
    }
    memset(&L, 0, sizeof(L));
    if (cym__strmap_init(&L.map, 64) < 0) {
        cym__csv_close(&f);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    L.ds = ds;
    L.path = path;
    L.delim = (char)o.delim;
    L.errors = errors;
    before = errors ? errors->total : 0;
    st = cym__csv_file_read(&f, &o, countries_row, &L, err);
    cym__csv_close(&f);
    /* with rows in error, "no countries" is what they already say */
    if (st >= 0 && ds->n_units == 0 && !(errors && errors->total > before))
        st = cym_error_set(err, CYM_EDATA, path, L.n_header ? 2 : 1, 0,
                           "no countries: expected a header (code, name, ...) and one row per "
                           "country");
    free(L.group_idx);
    cym__free_strings(L.keys, L.nkeys);
    cym__strmap_free(&L.map);
    return st;
}
