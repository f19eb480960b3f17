/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dataset loader: countries.csv, then the data, either one long or wide file per country
 * (<CODE>.csv in a folder) or one combined long file with a leading `country` column. Values
 * go straight into the units x years x series cube; the year range grows as years appear, so
 * the files are read once. Every row is loaded or reported: nothing is dropped silently.
 */
#include "cymetrics/dataset.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/parallel.h"
#include "core/strmap.h"
#include "core/util.h"
#include "io/csv.h"

#define YEAR_MIN 1900
#define YEAR_MAX 2100

static const cym_csv_format default_format = {',', '.'};

/*
 * A header read as one field holding the other usual delimiter: the file was exported with
 * another separator (spreadsheets in many locales write ';' and decimal commas).
 */
static cym_status check_delimiter(const cym__csv_row *row, const char *path, char delim,
                                  cym_error *err)
{
    if (row->n != 1)
        return CYM_OK;
    if (delim == ',' && strchr(row->f[0].text, ';'))
        return cym_error_set(err, CYM_EDATA, path, row->line, 1,
                             "the file seems to be separated by ';', not ','; export it as "
                             "comma-separated CSV, or give --delimiter ';' (and --decimal ',' "
                             "for decimal commas)");
    if (delim != ',' && strchr(row->f[0].text, ','))
        return cym_error_set(err, CYM_EDATA, path, row->line, 1,
                             "the file seems to be separated by ',', not '%c' (the delimiter "
                             "setting)",
                             delim);
    return CYM_OK;
}

/* ---- countries ------------------------------------------------------------------------- */

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
} countries_loader;

static cym_status countries_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    countries_loader *L = ctx;
    cym_dataset *ds = L->ds;
    cym_unit *u;
    const cym__csv_field *f;
    size_t prev;

    if (row->index == 0) {
        cym_status st = check_delimiter(row, L->path, L->delim, err);
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
    if (row->n != L->n_header)
        return cym_error_set(
            err, CYM_EDATA, L->path, row->line, row->n > L->n_header ? row->f[L->n_header].col : 1,
            "row has %zu field%s, the header has %zu", row->n, row->n == 1 ? "" : "s", L->n_header);
    if (ds->n_units == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 32;
        cym_unit *p = realloc(ds->units, cap * sizeof(*p));
        char **k;
        if (!p)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        ds->units = p;
        k = realloc(L->keys, cap * sizeof(*k));
        if (!k)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        L->keys = k;
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
    if (!f->text[0])
        return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                             "country '%s' has an empty name", u->code);
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
        if (r == 0)
            return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[L->c_code].col,
                                 "duplicate country '%s' (first on line %lu)", u->code,
                                 ds->units[prev].line);
    }
    return CYM_OK;
}

/* ---- data ------------------------------------------------------------------------------ */

enum { F_LONG, F_WIDE };

typedef struct data_loader {
    cym_dataset *ds;
    const char *path;
    const cym__strmap *units;
    const cym__strmap *series; /* code -> series index (framework nodes and denominators) */
    long unit;                 /* fixed unit for per-country files, -1 for combined */
    int form;
    size_t n_header;
    long c_country, c_indicator, c_year, c_value, c_flag;
    int *wide_years; /* F_WIDE: year of each header column (0 for `indicator`) */
    /* values parsed and checked, waiting to go into the cube (see flush_records) */
    struct record *recs;
    size_t n_rec, cap_rec;
    cym_flag_count *flags; /* this file's flag counts, merged into the dataset at the end */
    size_t n_flags, n_missing;
    uint16_t *flag_map; /* 1 + the dataset's index of each of this file's flags, 0 = new */
    const cym_csv_format *fmt;
    const cym_dataset_filter *filter; /* NULL: every row */
} data_loader;

/* One value read from a data file, checked, not yet in the cube. */
typedef struct record {
    double value;
    uint32_t unit, series, line, col; /* col: of the indicator code, for messages */
    int year;
    uint16_t flag; /* 1 + index into the file's flags, 0 = none */
} record;

#define RECORDS_PER_FLUSH 8192

/* Moves the cube to the year window [n0, n0 + ny), keeping what overlaps. */
static cym_status relayout(cym_dataset *ds, int n0, size_t ny, cym_error *err)
{
    size_t ncell = ds->n_units * ny * ds->n_series;
    size_t per_year = ds->n_series;
    double *v = malloc(ncell * sizeof(*v));
    uint32_t *ln = calloc(ncell, sizeof(*ln));
    uint16_t *fl = calloc(ncell, sizeof(*fl));

    if (!v || !ln || !fl) {
        free(v);
        free(ln);
        free(fl);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < ncell; i++)
        v[i] = NAN;
    if (ds->n_years) {
        /* the overlap of the old window [year0, year0 + n_years) and the new one */
        int lo = ds->year0 > n0 ? ds->year0 : n0;
        int hi_old = ds->year0 + (int)ds->n_years, hi_new = n0 + (int)ny;
        int hi = hi_old < hi_new ? hi_old : hi_new;
        if (hi > lo) {
            size_t len = (size_t)(hi - lo) * per_year;
            for (size_t u = 0; u < ds->n_units; u++) {
                size_t src = (u * ds->n_years + (size_t)(lo - ds->year0)) * per_year;
                size_t dst = (u * ny + (size_t)(lo - n0)) * per_year;
                memcpy(v + dst, ds->values + src, len * sizeof(*v));
                memcpy(ln + dst, ds->lines + src, len * sizeof(*ln));
                memcpy(fl + dst, ds->flag_of + src, len * sizeof(*fl));
            }
        }
    }
    free(ds->values);
    free(ds->lines);
    free(ds->flag_of);
    ds->values = v;
    ds->lines = ln;
    ds->flag_of = fl;
    ds->year0 = n0;
    ds->n_years = ny;
    return CYM_OK;
}

/*
 * Makes room for `year`. The window grows by doubling (years usually arrive in order, and a
 * window grown one year at a time would copy the whole cube once per year); the loader trims
 * it to the years actually seen at the end.
 */
static cym_status ensure_year(cym_dataset *ds, int year, cym_error *err)
{
    int y0 = ds->year0, y1 = ds->year0 + (int)ds->n_years - 1;
    int n0, n1;

    if (ds->n_years && year >= y0 && year <= y1)
        return CYM_OK;
    if (!ds->n_years) {
        n0 = year;
        n1 = year + 7;
    } else if (year > y1) {
        n0 = y0;
        n1 = y1 + (int)ds->n_years;
        if (n1 < year)
            n1 = year;
    } else {
        n1 = y1;
        n0 = y0 - (int)ds->n_years;
        if (n0 > year)
            n0 = year;
    }
    if (n0 < YEAR_MIN)
        n0 = YEAR_MIN;
    if (n1 > YEAR_MAX)
        n1 = YEAR_MAX;
    return relayout(ds, n0, (size_t)(n1 - n0 + 1), err);
}

/* Shrinks the window to the years that have at least one row. */
static cym_status trim_years(cym_dataset *ds, cym_error *err)
{
    int lo = INT_MAX, hi = INT_MIN;
    size_t per_year = ds->n_series;
    for (size_t u = 0; u < ds->n_units; u++)
        for (size_t t = 0; t < ds->n_years; t++) {
            const uint32_t *ln = ds->lines + (u * ds->n_years + t) * per_year;
            for (size_t s = 0; s < per_year; s++)
                if (ln[s]) {
                    int y = ds->year0 + (int)t;
                    if (y < lo)
                        lo = y;
                    if (y > hi)
                        hi = y;
                    break;
                }
        }
    if (lo > hi) {
        free(ds->values);
        free(ds->lines);
        free(ds->flag_of);
        ds->values = NULL;
        ds->lines = NULL;
        ds->flag_of = NULL;
        ds->n_years = 0;
        return CYM_OK;
    }
    if (lo == ds->year0 && (size_t)(hi - lo + 1) == ds->n_years)
        return CYM_OK;
    return relayout(ds, lo, (size_t)(hi - lo + 1), err);
}

/*
 * Adds `add` to the count of `flag` in the table flags[0..*n); *index (may be NULL) gets
 * 1 + its position, or 0 when the flag is empty or the table is full.
 */
static cym_status count_flag(cym_flag_count **flags, size_t *n, const char *flag, size_t add,
                             uint16_t *index, cym_error *err)
{
    cym_flag_count *p;
    if (index)
        *index = 0;
    if (!flag[0])
        return CYM_OK;
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*flags)[i].flag, flag) == 0) {
            (*flags)[i].count += add;
            if (index)
                *index = (uint16_t)(i + 1);
            return CYM_OK;
        }
    if (*n >= CYM_MAX_FLAGS) /* free text in the flag column: stop counting new values */
        return CYM_OK;
    p = realloc(*flags, (*n + 1) * sizeof(*p));
    if (!p)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    *flags = p;
    p[*n].flag = cym__strdup(flag);
    p[*n].count = add;
    if (!p[*n].flag)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    (*n)++;
    if (index)
        *index = (uint16_t)*n;
    return CYM_OK;
}

static cym_status parse_year(int *year, const cym__csv_field *f, const char *path, cym_error *err)
{
    long y;
    double d;
    if (cym__parse_long(f->text, -1000000, 1000000, &y) == 0) {
        if (y < YEAR_MIN || y > YEAR_MAX)
            return cym_error_set(err, CYM_EDATA, path, f->line, f->col, "year %ld is outside %d-%d",
                                 y, YEAR_MIN, YEAR_MAX);
        *year = (int)y;
        return CYM_OK;
    }
    if (cym__parse_number(f->text, &d) == CYM_NUM_OK && d == floor(d) && d >= YEAR_MIN &&
        d <= YEAR_MAX) {
        *year = (int)d;
        return CYM_OK;
    }
    if (!f->text[0])
        return cym_error_set(err, CYM_EDATA, path, f->line, f->col, "empty year");
    return cym_error_set(err, CYM_EDATA, path, f->line, f->col,
                         "year '%s' is not a whole number between %d and %d", f->text, YEAR_MIN,
                         YEAR_MAX);
}

/* Resolves an indicator code to a series index, with a precise error. */
static cym_status resolve_series(size_t *series, const data_loader *L, const cym__csv_field *f,
                                 cym_error *err)
{
    const cym_framework *fw = L->ds->fw;
    size_t s;
    if (!cym__strmap_get(L->series, f->text, &s)) {
        const char *hint = cym_framework_suggest(fw, f->text);
        if (!f->text[0])
            return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col, "empty indicator code");
        if (hint)
            return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                                 "unknown indicator '%s' (did you mean '%s'?)", f->text, hint);
        return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                             "unknown indicator '%s' (not in the framework %s)", f->text, fw->path);
    }
    if (s < fw->n_nodes && fw->nodes[s].n_children)
        return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                             "'%s' is an aggregate of the framework: its score is computed, "
                             "not read from the data",
                             f->text);
    *series = s;
    return CYM_OK;
}

static const char *series_code(const cym_dataset *ds, size_t s)
{
    const cym_framework *fw = ds->fw;
    if (s < fw->n_nodes)
        return fw->nodes[s].code;
    if (s < fw->n_nodes + fw->n_denominators)
        return fw->denominators[s - fw->n_nodes];
    return ds->extra[s - fw->n_nodes - fw->n_denominators];
}

/* Puts the pending records into the cube, checking for duplicates, in file order. */
static cym_status store_records(data_loader *L, cym_error *err)
{
    cym_dataset *ds = L->ds;
    /* this file's flags get their place in the dataset's table (counted at the end) */
    if (L->n_flags) {
        uint16_t *m = realloc(L->flag_map, L->n_flags * sizeof(*m));
        if (!m)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        L->flag_map = m;
        for (size_t i = 0; i < L->n_flags; i++) {
            cym_status st = count_flag(&ds->flags, &ds->n_flags, L->flags[i].flag, 0, &m[i], err);
            if (st < 0)
                return st;
        }
    }
    for (size_t i = 0; i < L->n_rec; i++) {
        const record *rc = &L->recs[i];
        size_t cell;
        cym_status st = ensure_year(ds, rc->year, err);
        if (st < 0)
            return st;
        cell = cym_dataset_cell(ds, rc->unit, (size_t)(rc->year - ds->year0), rc->series);
        if (ds->lines[cell]) {
            const char *ufile = ds->units[rc->unit].file;
            const char *code = series_code(ds, rc->series);
            if (L->unit < 0 || (ufile && strcmp(ufile, L->path) == 0))
                return cym_error_set(err, CYM_EDATA, L->path, rc->line, rc->col,
                                     "duplicate row for %s, %s, %d (first on line %lu)",
                                     ds->units[rc->unit].code, code, rc->year,
                                     (unsigned long)ds->lines[cell]);
            return cym_error_set(err, CYM_EDATA, L->path, rc->line, rc->col,
                                 "duplicate row for %s, %s, %d (first at %s:%lu)",
                                 ds->units[rc->unit].code, code, rc->year, ufile ? ufile : "?",
                                 (unsigned long)ds->lines[cell]);
        }
        ds->values[cell] = rc->value;
        ds->lines[cell] = rc->line;
        ds->flag_of[cell] = rc->flag ? L->flag_map[rc->flag - 1] : 0;
        ds->n_rows++;
    }
    return CYM_OK;
}

/*
 * Stores the pending records. Files are read in parallel and the cube may have to grow
 * (which moves it), so storing is one critical section; files of different countries never
 * touch the same cells.
 */
static cym_status flush_records(data_loader *L, cym_error *err)
{
    cym_status st;
#pragma omp critical(cym_dataset_store)
    st = store_records(L, err);
    L->n_rec = 0;
    return st;
}

/* Parses and checks one value, and queues it for the cube. */
static cym_status check_value_f(data_loader *L, size_t unit, int year, size_t series,
                                const cym__csv_field *vf, unsigned long line,
                                const cym__csv_field *ind, uint16_t flag, double factor,
                                cym_error *err);

static cym_status check_value(data_loader *L, size_t unit, int year, size_t series,
                              const cym__csv_field *vf, unsigned long line,
                              const cym__csv_field *ind, uint16_t flag, cym_error *err)
{
    return check_value_f(L, unit, year, series, vf, line, ind, flag, 1.0, err);
}

/* Parses and checks one value (times `factor`, a crosswalk's), and queues it for the cube. */
static cym_status check_value_f(data_loader *L, size_t unit, int year, size_t series,
                                const cym__csv_field *vf, unsigned long line,
                                const cym__csv_field *ind, uint16_t flag, double factor,
                                cym_error *err)
{
    const cym_framework *fw = L->ds->fw;
    double v = NAN;
    record *rc;
    cym__num r;

    r = cym__parse_number_dec(vf->text, L->fmt->decimal, &v);
    if (r == CYM_NUM_NONFINITE)
        return cym_error_set(err, CYM_EDATA, L->path, vf->line, vf->col,
                             "value '%s' of %s is not a finite number", vf->text, ind->text);
    if (r == CYM_NUM_INVALID)
        return cym_error_set(err, CYM_EDATA, L->path, vf->line, vf->col,
                             "value '%s' of %s is not a number%s", vf->text, ind->text,
                             cym__number_hint_dec(vf->text, L->fmt->decimal));
    if (r == CYM_NUM_OK && factor != 1.0)
        v *= factor;
    if (r == CYM_NUM_MISSING) {
        v = NAN;
        L->n_missing++;
    } else if (series < fw->n_nodes) {
        const cym_node *nd = &fw->nodes[series];
        if (nd->scale == CYM_SCALE_BINARY && v != 0.0 && v != 1.0)
            return cym_error_set(err, CYM_EDATA, L->path, vf->line, vf->col,
                                 "value '%s' of %s must be 0 or 1 (scale binary)", vf->text,
                                 ind->text);
        if (nd->scale == CYM_SCALE_ORDINAL && (v != floor(v) || v < 0 || v > nd->scale_k))
            return cym_error_set(err, CYM_EDATA, L->path, vf->line, vf->col,
                                 "value '%s' of %s must be a whole number from 0 to %d (scale "
                                 "ordinal:%d)",
                                 vf->text, ind->text, nd->scale_k, nd->scale_k);
    }
    if (L->n_rec == L->cap_rec) {
        size_t cap = L->cap_rec ? L->cap_rec * 2 : 256;
        record *p;
        if (cap > RECORDS_PER_FLUSH)
            cap = RECORDS_PER_FLUSH;
        p = realloc(L->recs, cap * sizeof(*p));
        if (!p)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        L->recs = p;
        L->cap_rec = cap;
    }
    rc = &L->recs[L->n_rec++];
    rc->value = v;
    rc->unit = (uint32_t)unit;
    rc->series = (uint32_t)series;
    rc->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    rc->col = ind->col > UINT32_MAX ? UINT32_MAX : (uint32_t)ind->col;
    rc->year = year;
    rc->flag = flag;
    if (L->n_rec == RECORDS_PER_FLUSH)
        return flush_records(L, err);
    return CYM_OK;
}

static cym_status data_header(data_loader *L, const cym__csv_row *row, cym_error *err)
{
    static const char *const long_cols[] = {"country", "indicator", "year", "value",
                                            "flag",    "source",    "note"};
    L->c_country = L->c_indicator = L->c_year = L->c_value = L->c_flag = -1;
    L->n_header = row->n;
    cym_status st = check_delimiter(row, L->path, L->fmt->delimiter, err);
    if (st < 0)
        return st;
    L->c_indicator = cym__csv_col(row, "indicator");
    L->c_year = cym__csv_col(row, "year");
    L->c_value = cym__csv_col(row, "value");
    L->c_country = cym__csv_col(row, "country");
    L->c_flag = cym__csv_col(row, "flag");
    if (L->c_indicator < 0)
        return cym_error_set(err, CYM_EDATA, L->path, row->line, 1,
                             "missing required column 'indicator' (long form: %sindicator, "
                             "year, value[, flag, source, note]; wide form: indicator, "
                             "<year>, <year>, ...)",
                             L->unit < 0 ? "country, " : "");
    if (L->unit < 0 && L->c_country < 0)
        return cym_error_set(err, CYM_EDATA, L->path, row->line, 1,
                             "missing required column 'country' (a combined data file has "
                             "the columns country, indicator, year, value[, flag, source, "
                             "note])");
    if (L->unit >= 0 && L->c_country >= 0)
        return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[L->c_country].col,
                             "a per-country file has no 'country' column (the file name says "
                             "which country it is)");
    for (size_t i = 0; i < row->n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(row->f[i].text, row->f[j].text) == 0)
                return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[i].col,
                                     "column '%s' appears twice in the header", row->f[i].text);
    if (L->c_year >= 0 || L->c_value >= 0 || L->unit < 0) {
        L->form = F_LONG;
        for (size_t i = 0; i < row->n; i++) {
            int known = 0;
            for (size_t k = 0; k < sizeof(long_cols) / sizeof(*long_cols); k++)
                if (strcmp(row->f[i].text, long_cols[k]) == 0)
                    known = 1;
            if (!known)
                return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[i].col,
                                     "unknown column '%s' (expected: %sindicator, year, value, "
                                     "and optionally flag, source, note)",
                                     row->f[i].text, L->unit < 0 ? "country, " : "");
        }
        if (L->c_year < 0 || L->c_value < 0)
            return cym_error_set(err, CYM_EDATA, L->path, row->line, 1,
                                 "missing required column '%s' (long form: indicator, year, "
                                 "value)",
                                 L->c_year < 0 ? "year" : "value");
        return CYM_OK;
    }
    /* wide form: every other column is a year */
    L->form = F_WIDE;
    L->wide_years = calloc(row->n, sizeof(int));
    if (!L->wide_years)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < row->n; i++) {
        long y;
        if ((long)i == L->c_indicator)
            continue;
        if (cym__parse_long(row->f[i].text, YEAR_MIN, YEAR_MAX, &y) < 0)
            return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[i].col,
                                 "unknown column '%s' (wide form: indicator, then one column "
                                 "per year %d-%d; long form: indicator, year, value)",
                                 row->f[i].text, YEAR_MIN, YEAR_MAX);
        L->wide_years[i] = (int)y;
    }
    return CYM_OK;
}

/*
 * Where a value of `ind` in `year` goes under the filter: *skip = 1 (another edition's year,
 * or recoded away), else *series and *factor. A year no edition covers is an error at `yf`.
 */
static cym_status route(size_t *series, double *factor, int *skip, const data_loader *L,
                        const cym__csv_field *ind, int year, const cym__csv_field *yf,
                        int lenient, cym_error *err)
{
    const cym_dataset_filter *F = L->filter;
    const char *code = ind->text, *to = NULL;
    cym__csv_field alias;
    *skip = 0;
    *factor = 1.0;
    if ((F->cover_from && year < F->cover_from) || (F->cover_to && year > F->cover_to))
        return cym_error_set(err, CYM_EDATA, L->path, yf->line, yf->col,
                             "year %d is not covered by %s", year,
                             F->cover_what ? F->cover_what : "the selected years");
    if ((F->year_from && year < F->year_from) || (F->year_to && year > F->year_to)) {
        *skip = 1;
        return CYM_OK;
    }
    if (F->recode) {
        int r = F->recode(F->recode_ctx, code, year, &to, factor);
        if (r == 0) {
            *skip = 1;
            return CYM_OK;
        }
        if (r == 1)
            code = to;
    }
    alias = *ind;
    alias.text = (char *)(uintptr_t)code;
    if (lenient && !cym__strmap_get(L->series, code, series)) {
        *skip = 1;
        return CYM_OK;
    }
    return resolve_series(series, L, &alias, err);
}

static cym_status data_row_filtered(data_loader *L, const cym__csv_row *row, cym_error *err)
{
    cym_dataset *ds = L->ds;
    size_t series = 0, unit = 0;
    cym_status st;
    const cym__csv_field *ind;
    double factor;
    int skip;

    if (row->n != L->n_header)
        return cym_error_set(
            err, CYM_EDATA, L->path, row->line, row->n > L->n_header ? row->f[L->n_header].col : 1,
            "row has %zu field%s, the header has %zu", row->n, row->n == 1 ? "" : "s", L->n_header);
    ind = &row->f[L->c_indicator];
    if (!ind->text[0])
        return cym_error_set(err, CYM_EDATA, L->path, ind->line, ind->col, "empty indicator code");
    if (L->unit >= 0) {
        unit = (size_t)L->unit;
    } else {
        const cym__csv_field *cf = &row->f[L->c_country];
        if (!cym__strmap_get(L->units, cf->text, &unit))
            return cym_error_set(err, CYM_EDATA, L->path, cf->line, cf->col,
                                 "country '%s' is not in %s", cf->text, ds->countries_path);
    }
    if (L->form == F_LONG) {
        int year = 0;
        uint16_t flag = 0;
        st = parse_year(&year, &row->f[L->c_year], L->path, err);
        if (st < 0)
            return st;
        st = route(&series, &factor, &skip, L, ind, year, &row->f[L->c_year], 0, err);
        if (st < 0 || skip)
            return st;
        if (L->c_flag >= 0 && row->f[L->c_flag].len > CYM_FLAG_MAX_LEN)
            return cym_error_set(err, CYM_EDATA, L->path, row->f[L->c_flag].line,
                                 row->f[L->c_flag].col,
                                 "flag is longer than %d characters (a flag is a short label "
                                 "such as 'provisional'; explanations go in the note column)",
                                 CYM_FLAG_MAX_LEN);
        if (L->c_flag >= 0 &&
            (st = count_flag(&L->flags, &L->n_flags, row->f[L->c_flag].text, 1, &flag, err)) < 0)
            return st;
        return check_value_f(L, unit, year, series, &row->f[L->c_value], row->line, ind, flag,
                             factor, err);
    }
    for (size_t i = 0; i < row->n; i++) {
        double v;
        int missing;
        if ((long)i == L->c_indicator)
            continue;
        /* a wide row of another edition has no values in this edition's years */
        missing = cym__parse_number_dec(row->f[i].text, L->fmt->decimal, &v) == CYM_NUM_MISSING;
        st = route(&series, &factor, &skip, L, ind, L->wide_years[i], &row->f[i], missing, err);
        if (st < 0)
            return st;
        if (skip)
            continue;
        st = check_value_f(L, unit, L->wide_years[i], series, &row->f[i], row->line, ind, 0,
                           factor, err);
        if (st < 0)
            return st;
    }
    return CYM_OK;
}

static cym_status data_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    data_loader *L = ctx;
    cym_dataset *ds = L->ds;
    size_t series = 0, unit = 0;
    cym_status st;
    const cym__csv_field *ind;

    if (row->index == 0)
        return data_header(L, row, err);
    if (L->filter)
        return data_row_filtered(L, row, err);
    if (row->n != L->n_header)
        return cym_error_set(
            err, CYM_EDATA, L->path, row->line, row->n > L->n_header ? row->f[L->n_header].col : 1,
            "row has %zu field%s, the header has %zu", row->n, row->n == 1 ? "" : "s", L->n_header);
    ind = &row->f[L->c_indicator];
    st = resolve_series(&series, L, ind, err);
    if (st < 0)
        return st;
    if (L->unit >= 0) {
        unit = (size_t)L->unit;
    } else {
        const cym__csv_field *cf = &row->f[L->c_country];
        if (!cym__strmap_get(L->units, cf->text, &unit))
            return cym_error_set(err, CYM_EDATA, L->path, cf->line, cf->col,
                                 "country '%s' is not in %s", cf->text, ds->countries_path);
    }
    if (L->form == F_LONG) {
        int year = 0;
        st = parse_year(&year, &row->f[L->c_year], L->path, err);
        if (st < 0)
            return st;
        uint16_t flag = 0;
        if (L->c_flag >= 0 && row->f[L->c_flag].len > CYM_FLAG_MAX_LEN)
            return cym_error_set(err, CYM_EDATA, L->path, row->f[L->c_flag].line,
                                 row->f[L->c_flag].col,
                                 "flag is longer than %d characters (a flag is a short label "
                                 "such as 'provisional'; explanations go in the note column)",
                                 CYM_FLAG_MAX_LEN);
        if (L->c_flag >= 0 &&
            (st = count_flag(&L->flags, &L->n_flags, row->f[L->c_flag].text, 1, &flag, err)) < 0)
            return st;
        return check_value(L, unit, year, series, &row->f[L->c_value], row->line, ind, flag, err);
    }
    for (size_t i = 0; i < row->n; i++) {
        if ((long)i == L->c_indicator)
            continue;
        st = check_value(L, unit, L->wide_years[i], series, &row->f[i], row->line, ind, 0, err);
        if (st < 0)
            return st;
    }
    return CYM_OK;
}

/* ---- a first look at the years, to size the cube once ------------------------------- */

typedef struct peek {
    long c_year;
    int lo, hi;
    size_t rows;
} peek;

static cym_status peek_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    peek *p = ctx;
    long y;
    (void)err;
    if (row->index == 0) {
        p->c_year = cym__csv_col(row, "year");
        if (p->c_year < 0) /* wide form: the years are the header */
            for (size_t i = 0; i < row->n; i++)
                if (cym__parse_long(row->f[i].text, YEAR_MIN, YEAR_MAX, &y) == 0) {
                    p->lo = (int)y < p->lo ? (int)y : p->lo;
                    p->hi = (int)y > p->hi ? (int)y : p->hi;
                }
        return p->c_year < 0 ? CYM_EDATA : CYM_OK; /* stop: nothing more to learn */
    }
    if ((size_t)p->c_year < row->n &&
        cym__parse_long(row->f[p->c_year].text, YEAR_MIN, YEAR_MAX, &y) == 0) {
        p->lo = (int)y < p->lo ? (int)y : p->lo;
        p->hi = (int)y > p->hi ? (int)y : p->hi;
    }
    return ++p->rows >= 10000 ? CYM_EDATA : CYM_OK;
}

/*
 * Reads the years of the first rows of `path` (errors are left for the real load to report)
 * and sizes the cube for them, so that the usual dataset, whose files all cover the same
 * years, is laid out once instead of being moved as years arrive.
 */
static cym_status presize(cym_dataset *ds, const char *path, const cym_csv_format *fmt,
                         cym_error *err)
{
    peek p;
    cym_error ignored;
    cym__csv_opts o = {(unsigned char)fmt->delimiter, 0, 0, 0};
    p.c_year = -1;
    p.lo = INT_MAX;
    p.hi = INT_MIN;
    p.rows = 0;
    cym__csv_read(path, &o, peek_row, &p, &ignored);
    if (ds->n_years || p.lo > p.hi)
        return CYM_OK;
    return relayout(ds, p.lo, (size_t)(p.hi - p.lo + 1), err);
}

static cym_status load_file(cym_dataset *ds, const char *path, long unit, const cym__strmap *units,
                            const cym__strmap *series, const cym_csv_format *fmt,
                            const cym_dataset_filter *filter, cym_error *err)
{
    data_loader L;
    cym_status st;
    cym__csv_opts o = {(unsigned char)fmt->delimiter, 0, 0, 0};
    memset(&L, 0, sizeof(L));
    L.fmt = fmt;
    L.filter = filter;
    L.ds = ds;
    L.path = path;
    L.units = units;
    L.series = series;
    L.unit = unit;
    st = cym__csv_read(path, &o, data_row, &L, err);
    if (st >= 0 && L.n_header == 0)
        st = cym_error_set(err, CYM_EDATA, path, 1, 0,
                           "the file is empty; expected a header (indicator, year, value)");
    if (st >= 0)
        st = flush_records(&L, err);
    if (st >= 0) {
#pragma omp critical(cym_dataset_store)
        {
            ds->n_rows_missing += L.n_missing;
            for (size_t i = 0; i < L.n_flags && st >= 0; i++)
                st = count_flag(&ds->flags, &ds->n_flags, L.flags[i].flag, L.flags[i].count, NULL,
                                err);
        }
    }
    for (size_t i = 0; i < L.n_flags; i++)
        free(L.flags[i].flag);
    free(L.flags);
    free(L.flag_map);
    free(L.recs);
    free(L.wide_years);
    return st;
}

static int by_flag(const void *a, const void *b)
{
    return strcmp(((const cym_flag_count *)a)->flag, ((const cym_flag_count *)b)->flag);
}

/* Sorts the flags by name and renumbers the cells' references to them. */
static cym_status sort_flags(cym_dataset *ds, cym_error *err)
{
    cym_flag_count *old;
    uint16_t map[CYM_MAX_FLAGS + 1];
    size_t ncell = ds->n_units * ds->n_years * ds->n_series;
    if (ds->n_flags < 2)
        return CYM_OK;
    old = malloc(ds->n_flags * sizeof(*old));
    if (!old)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(old, ds->flags, ds->n_flags * sizeof(*old));
    qsort(ds->flags, ds->n_flags, sizeof(*ds->flags), by_flag);
    map[0] = 0;
    for (size_t i = 0; i < ds->n_flags; i++)
        for (size_t j = 0; j < ds->n_flags; j++)
            if (old[i].flag == ds->flags[j].flag)
                map[i + 1] = (uint16_t)(j + 1);
    free(old);
    for (size_t k = 0; k < ncell; k++)
        ds->flag_of[k] = map[ds->flag_of[k]];
    return CYM_OK;
}

/* 1 when both paths name the same existing file */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

/* Reads every <CODE>.csv of a folder, in name order (so errors come in a stable order). */
static cym_status load_folder(cym_dataset *ds, const char *dir, const cym__strmap *units,
                              const cym__strmap *series, const cym_csv_format *fmt,
                              const cym_dataset_filter *filter, cym_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char **names = NULL;
    long *units_of = NULL;
    size_t n = 0, cap = 0, first_data = SIZE_MAX;
    cym__first_failure ff;
    cym_error e1;
    cym_status st = CYM_OK;

    cym__first_failure_init(&ff);
    cym_error_clear(&e1);

    if (!d) {
        int en = errno;
        st =
            cym_error_set(err, CYM_EIO, dir, 0, 0, "cannot open the data folder: %s", strerror(en));
        if (err)
            err->sys_errno = en;
        return st;
    }
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len < 5 || strcmp(ent->d_name + len - 4, ".csv") != 0)
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **p = realloc(names, nc * sizeof(*p));
            if (!p) {
                st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
                goto cleanup;
            }
            names = p;
            cap = nc;
        }
        names[n] = cym__strdup(ent->d_name);
        if (!names[n]) {
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    /* first, in name order: which file is whose, and what is not a data file */
    units_of = malloc((n ? n : 1) * sizeof(*units_of));
    if (!units_of) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        char code[4];
        size_t len = strlen(names[i]);
        size_t u;
        char *path = join_path(dir, names[i]);
        units_of[i] = -1;
        if (!path) {
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        if (same_file(path, ds->fw->path) || same_file(path, ds->countries_path)) {
            free(path);
            continue;
        }
        if (len != 7 || !isalpha((unsigned char)names[i][0]) ||
            !isalpha((unsigned char)names[i][1]) || !isalpha((unsigned char)names[i][2])) {
            free(path);
            if ((st = cym_warnings_add(&ds->warnings,
                                       "%s/%s: not a country data file (<CODE>.csv); ignored", dir,
                                       names[i])) < 0)
                goto cleanup;
            continue;
        }
        memcpy(code, names[i], 3);
        code[3] = '\0';
        if (!cym__strmap_get(units, code, &u)) {
            /* reported below, unless an earlier file fails first */
            cym__first_failure_set(&ff, i,
                                   cym_error_set(&e1, CYM_EDATA, path, 0, 0,
                                                 "data file for country '%s', which is not in %s",
                                                 code, ds->countries_path),
                                   &e1);
            free(path);
            break;
        }
        ds->units[u].file = path;
        units_of[i] = (long)u;
        if (first_data == SIZE_MAX)
            first_data = i;
    }
    if (first_data != SIZE_MAX &&
        (st = presize(ds, ds->units[units_of[first_data]].file, fmt, err)) < 0)
        goto cleanup;
        /* then the files themselves, on every core; the error reported is the first in name
           order, as if they had been read one after the other */
#pragma omp parallel for schedule(dynamic, 1) if (n > 64)
    for (size_t i = 0; i < n; i++) {
        cym_error e;
        cym_status s2;
        size_t stop;
#pragma omp atomic read
        stop = ff.at;
        if (units_of[i] < 0 || i > stop)
            continue;
        s2 = load_file(ds, ds->units[units_of[i]].file, units_of[i], units, series, fmt, filter,
                       &e);
        if (s2 < 0)
            cym__first_failure_set(&ff, i, s2, &e);
    }
    st = cym__first_failure_take(&ff, err);

cleanup:
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(units_of);
    return st;
}

static cym_status add_warnings(cym_dataset *ds, int combined)
{
    const cym_framework *fw = ds->fw;
    cym_status st;
    for (size_t u = 0; u < ds->n_units; u++) {
        int any = 0;
        for (size_t t = 0; t < ds->n_years && !any; t++)
            for (size_t s = 0; s < ds->n_series && !any; s++)
                any = ds->lines[cym_dataset_cell(ds, u, t, s)] != 0;
        if (any)
            continue;
        /* a combined file has no file per country: name the file that has no rows for it */
        if (combined)
            st = cym_warnings_add(&ds->warnings, "country %s (%s) has no rows in %s",
                                  ds->units[u].code, ds->units[u].name, ds->data_path);
        else
            st = cym_warnings_add(&ds->warnings, "country %s (%s) has no data%s", ds->units[u].code,
                                  ds->units[u].name, ds->units[u].file ? "" : " file");
        if (st < 0)
            return st;
    }
    for (size_t i = 0; i < fw->n_indicators; i++) {
        size_t s = fw->indicators[i];
        int any = 0;
        for (size_t u = 0; u < ds->n_units && !any; u++)
            for (size_t t = 0; t < ds->n_years && !any; t++)
                any = !isnan(ds->values[cym_dataset_cell(ds, u, t, s)]);
        if (!any && (st = cym_warnings_add(&ds->warnings, "indicator %s has no value at all",
                                           fw->nodes[s].code)) < 0)
            return st;
    }
    return CYM_OK;
}

cym_status cym_dataset_load(cym_dataset **out, const cym_framework *fw,
                            const cym_dataset_paths *paths, cym_error *err)
{
    return cym_dataset_load_fmt(out, fw, paths, NULL, err);
}

cym_status cym_dataset_load_fmt(cym_dataset **out, const cym_framework *fw,
                                const cym_dataset_paths *paths, const cym_csv_format *format,
                                cym_error *err)
{
    return cym_dataset_load_ex(out, fw, paths, format, NULL, err);
}

cym_status cym_dataset_load_ex(cym_dataset **out, const cym_framework *fw,
                               const cym_dataset_paths *paths, const cym_csv_format *format,
                               const cym_dataset_filter *filter, cym_error *err)
{
    cym_dataset *ds;
    countries_loader CL;
    cym__strmap series;
    struct stat sb;
    cym_status st;
    cym_csv_format fmt = default_format;
    cym__csv_opts copts = {',', 0, 0, 0};

    *out = NULL;
    if (format && format->delimiter)
        fmt.delimiter = format->delimiter;
    if (format && format->decimal)
        fmt.decimal = format->decimal;
    /* a delimiter that is also the decimal mark, a quote or a line end cannot be read back */
    if ((fmt.delimiter != ',' && fmt.delimiter != ';' && fmt.delimiter != '\t' &&
         fmt.delimiter != '|') ||
        (fmt.decimal != '.' && fmt.decimal != ',') || fmt.delimiter == fmt.decimal)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "invalid CSV format: delimiter '%c' with decimal mark '%c' (the "
                             "delimiter is one of , ; | or a tab, the decimal mark . or , and "
                             "they differ)",
                             fmt.delimiter, fmt.decimal);
    copts.delim = (unsigned char)fmt.delimiter;
    memset(&CL, 0, sizeof(CL));
    memset(&series, 0, sizeof(series));
    ds = calloc(1, sizeof(*ds));
    if (!ds)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    ds->fw = fw;
    ds->n_series = fw->n_nodes + fw->n_denominators;
    if (filter && filter->n_extra) {
        ds->extra = calloc(filter->n_extra, sizeof(char *));
        if (!ds->extra) {
            free(ds);
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        }
        for (size_t k = 0; k < filter->n_extra; k++) {
            const char *code = filter->extra[k];
            st = CYM_OK;
            if (cym_framework_find(fw, code) >= 0)
                st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                   "series '%s' is a code of the framework %s: a published "
                                   "total needs a code of its own",
                                   code, fw->path);
            for (size_t d = 0; d < fw->n_denominators && st >= 0; d++)
                if (strcmp(fw->denominators[d], code) == 0)
                    st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                       "series '%s' is a denominator of the framework", code);
            for (size_t j = 0; j < k && st >= 0; j++)
                if (strcmp(ds->extra[j], code) == 0)
                    st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "series '%s' named twice",
                                       code);
            if (st >= 0 && !(ds->extra[k] = cym__strdup(code)))
                st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            ds->n_extra = k + (ds->extra[k] != NULL);
            if (st < 0) {
                cym_dataset_free(ds);
                return st;
            }
        }
        ds->n_series += ds->n_extra;
    }
    ds->countries_path = cym__strdup(paths->countries);
    ds->data_path = cym__strdup(paths->data);
    if (!ds->countries_path || !ds->data_path || cym__strmap_init(&CL.map, 64) < 0) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    CL.ds = ds;
    CL.path = paths->countries;
    CL.delim = fmt.delimiter;
    st = cym__csv_read(paths->countries, &copts, countries_row, &CL, err);
    if (st < 0)
        goto cleanup;
    if (ds->n_units == 0) {
        st = cym_error_set(err, CYM_EDATA, paths->countries, CL.n_header ? 2 : 1, 0,
                           "no countries: expected a header (code, name, ...) and one row per "
                           "country");
        goto cleanup;
    }

    /* the units no longer move: index them by their own codes */
    cym__strmap_free(&CL.map);
    if (cym__strmap_init(&CL.map, ds->n_units) < 0) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t u = 0; u < ds->n_units; u++)
        cym__strmap_put(&CL.map, ds->units[u].code, u, NULL);
    if (cym__strmap_init(&series, ds->n_series) < 0) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < fw->n_nodes; i++)
        cym__strmap_put(&series, fw->nodes[i].code, i, NULL);
    for (size_t d = 0; d < fw->n_denominators; d++)
        cym__strmap_put(&series, fw->denominators[d], fw->n_nodes + d, NULL);
    for (size_t k = 0; k < ds->n_extra; k++)
        cym__strmap_put(&series, ds->extra[k], fw->n_nodes + fw->n_denominators + k, NULL);

    if (stat(paths->data, &sb) != 0) {
        int en = errno;
        st = cym_error_set(err, CYM_EIO, paths->data, 0, 0, "cannot open the data: %s",
                           strerror(en));
        if (err)
            err->sys_errno = en;
        goto cleanup;
    }
    if (S_ISDIR(sb.st_mode))
        st = load_folder(ds, paths->data, &CL.map, &series, &fmt, filter, err);
    else if ((st = presize(ds, paths->data, &fmt, err)) >= 0)
        st = load_file(ds, paths->data, -1, &CL.map, &series, &fmt, filter, err);
    if (st < 0)
        goto cleanup;
    if ((st = trim_years(ds, err)) < 0)
        goto cleanup;
    /* files were read in parallel: give the flags a fixed order */
    if ((st = sort_flags(ds, err)) < 0)
        goto cleanup;
    st = add_warnings(ds, !S_ISDIR(sb.st_mode));
    if (st < 0)
        st = cym_error_set(err, st, NULL, 0, 0, "out of memory");

cleanup:
    free(CL.group_idx);
    for (size_t k = 0; k < CL.nkeys; k++)
        free(CL.keys[k]);
    free(CL.keys);
    if (st >= 0) {
        ds->unit_index_ = malloc(sizeof(cym__strmap));
        if (ds->unit_index_)
            *(cym__strmap *)ds->unit_index_ = CL.map;
        else
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (st < 0 || !ds->unit_index_)
        cym__strmap_free(&CL.map);
    cym__strmap_free(&series);
    if (st < 0) {
        cym_dataset_free(ds);
        return st;
    }
    *out = ds;
    return CYM_OK;
}

void cym_dataset_free(cym_dataset *ds)
{
    if (!ds)
        return;
    for (size_t u = 0; u < ds->n_units; u++) {
        cym_unit *un = &ds->units[u];
        free(un->name);
        if (un->groups)
            for (size_t g = 0; g < ds->n_group_cols; g++)
                free(un->groups[g]);
        free(un->groups);
        free(un->file);
    }
    free(ds->units);
    if (ds->group_cols)
        for (size_t g = 0; g < ds->n_group_cols; g++)
            free(ds->group_cols[g]);
    free(ds->group_cols);
    for (size_t i = 0; i < ds->n_flags; i++)
        free(ds->flags[i].flag);
    free(ds->flags);
    free(ds->values);
    free(ds->lines);
    free(ds->flag_of);
    free(ds->countries_path);
    free(ds->data_path);
    for (size_t k = 0; k < ds->n_extra; k++)
        free(ds->extra[k]);
    free(ds->extra);
    cym_warnings_clear(&ds->warnings);
    if (ds->unit_index_) {
        cym__strmap_free(ds->unit_index_);
        free(ds->unit_index_);
    }
    free(ds);
}

long cym_dataset_find_unit(const cym_dataset *ds, const char *code)
{
    size_t v;
    if (!ds->unit_index_ || !cym__strmap_get(ds->unit_index_, code, &v))
        return -1;
    return (long)v;
}

long cym_dataset_find_group(const cym_dataset *ds, const char *name)
{
    for (size_t g = 0; g < ds->n_group_cols; g++)
        if (strcmp(ds->group_cols[g], name) == 0)
            return (long)g;
    return -1;
}

long cym_dataset_find_series(const cym_dataset *ds, const char *code)
{
    long i = cym_framework_find(ds->fw, code);
    if (i >= 0)
        return i;
    for (size_t d = 0; d < ds->fw->n_denominators; d++)
        if (strcmp(ds->fw->denominators[d], code) == 0)
            return (long)(ds->fw->n_nodes + d);
    for (size_t k = 0; k < ds->n_extra; k++)
        if (strcmp(ds->extra[k], code) == 0)
            return (long)(ds->fw->n_nodes + ds->fw->n_denominators + k);
    return -1;
}

cym_status cym_dataset_coverage(cym_coverage *out, const cym_dataset *ds, int year_from,
                                int year_to, cym_error *err)
{
    const cym_framework *fw = ds->fw;
    int y0 = ds->year0, y1 = ds->year0 + (int)ds->n_years - 1;
    size_t ny;

    memset(out, 0, sizeof(*out));
    if (year_from && year_from > y0)
        y0 = year_from;
    if (year_to && year_to < y1)
        y1 = year_to;
    out->year_from = y0;
    out->year_to = y1;
    ny = ds->n_years && y1 >= y0 ? (size_t)(y1 - y0 + 1) : 0;
    out->missing_by_indicator = calloc(fw->n_indicators ? fw->n_indicators : 1, sizeof(size_t));
    out->missing_by_unit = calloc(ds->n_units ? ds->n_units : 1, sizeof(size_t));
    out->missing_by_year = calloc(ny ? ny : 1, sizeof(size_t));
    if (!out->missing_by_indicator || !out->missing_by_unit || !out->missing_by_year) {
        cym_coverage_free(out);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t u = 0; u < ds->n_units; u++)
        for (size_t t = 0; t < ny; t++) {
            size_t ti = (size_t)(y0 - ds->year0) + t;
            for (size_t i = 0; i < fw->n_indicators; i++) {
                double v = ds->values[cym_dataset_cell(ds, u, ti, fw->indicators[i])];
                out->cells++;
                if (isnan(v)) {
                    out->missing_by_indicator[i]++;
                    out->missing_by_unit[u]++;
                    out->missing_by_year[t]++;
                } else {
                    out->present++;
                }
            }
        }
    return CYM_OK;
}

void cym_coverage_free(cym_coverage *cov)
{
    if (!cov)
        return;
    free(cov->missing_by_indicator);
    free(cov->missing_by_unit);
    free(cov->missing_by_year);
    cov->missing_by_indicator = cov->missing_by_unit = cov->missing_by_year = NULL;
}
