/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One data file, row by row: the long form (indicator, year, value[, flag, source, note],
 * with a leading `country` column in a combined file) or the wide form (indicator, then a
 * column per year). Each value is parsed, checked against its indicator's scale and queued;
 * the queue goes into the cube in blocks, in file order, so that a duplicate row is reported
 * at its second occurrence with the line of the first. Files of different countries may be
 * read at once (dataset.c reads a folder on every core): only the store into the cube is a
 * critical section.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "dataset/dataset_internal.h"

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
    cym_error_list *errors;           /* NULL: stop at the first error */
    int countries_failed;             /* cym__going_on */
    int skip_rest;                    /* the header failed: the rest of the file is not read */
    const char *sheet;                /* a workbook's sheet of the rows (workbook.c), or NULL */
    /* the last indicator code resolved (rows come grouped by indicator): its series */
    char last_code[64];
    size_t last_len, last_series;
} data_loader;

/* One value read from a data file, checked, not yet in the cube. */
typedef struct record {
    double value;
    uint32_t unit, series, line, col; /* col: of the indicator code, for messages */
    uint32_t ycol;                    /* of the year (long form) or the value (wide form) */
    int year;
    uint16_t flag; /* 1 + index into the file's flags, 0 = none */
} record;

#define RECORDS_PER_FLUSH 8192

static cym_status parse_year(int *year, const cym__csv_field *f, const char *path, cym_error *err)
{
    long y;
    double d;
    if (cym__parse_long(f->text, -1000000, 1000000, &y) == 0) {
        if (y < CYM__YEAR_MIN || y > CYM__YEAR_MAX)
            return cym_error_set(err, CYM_EDATA, path, f->line, f->col, "year %ld is outside %d-%d",
                                 y, CYM__YEAR_MIN, CYM__YEAR_MAX);
        *year = (int)y;
        return CYM_OK;
    }
    if (cym__parse_number(f->text, &d) == CYM_NUM_OK && d == floor(d) && d >= CYM__YEAR_MIN &&
        d <= CYM__YEAR_MAX) {
        *year = (int)d;
        return CYM_OK;
    }
    if (!f->text[0])
        return cym_error_set(err, CYM_EDATA, path, f->line, f->col, "empty year");
    return cym_error_set(err, CYM_EDATA, path, f->line, f->col,
                         "year '%s' is not a whole number between %d and %d", f->text,
                         CYM__YEAR_MIN, CYM__YEAR_MAX);
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

/* cym__dataset_soft for an error of this file, placed on the sheet of a workbook's rows. */
static cym_status soft(const data_loader *L, cym_status st, cym_error *err)
{
    if (st == CYM_EDATA && L->sheet && err && err->line)
        cym_error_set_sheet(err, L->sheet);
    return cym__dataset_soft(L->errors, st, err);
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
            cym_status st =
                cym__dataset_count_flag(&ds->flags, &ds->n_flags, L->flags[i].flag, 0, &m[i], err);
            if (st < 0)
                return st;
        }
    }
    for (size_t i = 0; i < L->n_rec; i++) {
        const record *rc = &L->recs[i];
        size_t cell;
        cym_status st = cym__dataset_ensure_year(ds, rc->year, err);
        if (st < 0)
            return st;
        cell = cym_dataset_cell(ds, rc->unit, (size_t)(rc->year - ds->year0), rc->series);
        if (ds->lines[cell]) {
            const char *ufile = ds->units[rc->unit].file;
            const char *code = series_code(ds, rc->series);
            if (L->unit < 0 || (ufile && strcmp(ufile, L->path) == 0))
                st = cym_error_set(err, CYM_EDATA, L->path, rc->line, rc->col,
                                   "duplicate row for %s, %s, %d (first on %s %lu)",
                                   ds->units[rc->unit].code, code, rc->year,
                                   L->sheet ? "row" : "line", (unsigned long)ds->lines[cell]);
            else
                st = cym_error_set(err, CYM_EDATA, L->path, rc->line, rc->col,
                                   "duplicate row for %s, %s, %d (first at %s:%lu)",
                                   ds->units[rc->unit].code, code, rc->year, ufile ? ufile : "?",
                                   (unsigned long)ds->lines[cell]);
            /* going on, the first row's value stays */
            if ((st = soft(L, st, err)) < 0)
                return st;
            continue;
        }
        ds->values[cell] = rc->value;
        ds->lines[cell] = rc->line;
        if (ds->year_site_) { /* the year's first row, in a fixed order (check_span) */
            uint32_t *site = ds->year_site_ + 3 * (size_t)(rc->year - CYM__YEAR_MIN);
            if (!site[1] || rc->unit < site[0] || (rc->unit == site[0] && rc->line < site[1])) {
                site[0] = rc->unit;
                site[1] = rc->line;
                site[2] = rc->ycol | (L->sheet ? CYM__SITE_WORKBOOK : 0);
            }
        }
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

/* Parses and checks one value (times `factor`, a crosswalk's), and queues it for the cube. */
static cym_status check_value(data_loader *L, size_t unit, int year, size_t series,
                              const cym__csv_field *vf, unsigned long line,
                              const cym__csv_field *ind, const cym__csv_field *yf, uint16_t flag,
                              double factor, cym_error *err)
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
    rc->ycol = yf->col > UINT32_MAX ? UINT32_MAX : (uint32_t)yf->col;
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
    cym_status st = cym__dataset_check_delimiter(row, L->path, L->fmt->delimiter, err);
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
        if (cym__parse_long(row->f[i].text, CYM__YEAR_MIN, CYM__YEAR_MAX, &y) < 0)
            return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[i].col,
                                 "unknown column '%s' (wide form: indicator, then one column "
                                 "per year %d-%d; long form: indicator, year, value)",
                                 row->f[i].text, CYM__YEAR_MIN, CYM__YEAR_MAX);
        L->wide_years[i] = (int)y;
    }
    return CYM_OK;
}

/*
 * Where a value of `ind` in `year` goes under the filter: *skip = 1 (another edition's year,
 * or recoded away), else *series and *factor. A year no edition covers is an error at `yf`.
 */
static cym_status route(size_t *series, double *factor, int *skip, const data_loader *L,
                        const cym__csv_field *ind, int year, const cym__csv_field *yf, int lenient,
                        cym_error *err)
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

/* The country of a row: the file's, or the one its `country` column names. */
static cym_status row_unit(size_t *unit, int *skip, const data_loader *L, const cym__csv_row *row,
                           cym_error *err)
{
    const cym__csv_field *cf;
    *skip = 0;
    if (L->unit >= 0) {
        *unit = (size_t)L->unit;
        return CYM_OK;
    }
    cf = &row->f[L->c_country];
    if (!cym__strmap_get(L->units, cf->text, unit) && L->countries_failed) {
        *skip = 1; /* its row of countries.csv may be the one in error */
        return CYM_OK;
    }
    if (!cym__strmap_get(L->units, cf->text, unit))
        return cym_error_set(err, CYM_EDATA, L->path, cf->line, cf->col,
                             "country '%s' is not in %s", cf->text, L->ds->countries_path);
    return CYM_OK;
}

/* The flag of a long row (0 = none), counted in the file's table of flags. */
static cym_status row_flag(uint16_t *flag, data_loader *L, const cym__csv_row *row, cym_error *err)
{
    *flag = 0;
    if (L->c_flag < 0)
        return CYM_OK;
    if (row->f[L->c_flag].len > CYM_FLAG_MAX_LEN)
        return cym_error_set(err, CYM_EDATA, L->path, row->f[L->c_flag].line, row->f[L->c_flag].col,
                             "flag is longer than %d characters (a flag is a short label "
                             "such as 'provisional'; explanations go in the note column)",
                             CYM_FLAG_MAX_LEN);
    return cym__dataset_count_flag(&L->flags, &L->n_flags, row->f[L->c_flag].text, 1, flag, err);
}

/* 1 when a[0..n) and b[0..n) are the same bytes (a short code: no call to memcmp) */
static int same_code(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/*
 * A row of values. Under a filter, each value's year decides its series (route), or whether
 * it is read at all; without one, the indicator code is the series, checked first.
 */
static cym_status row_values(data_loader *L, const cym__csv_row *row, cym_error *err)
{
    size_t series = 0, unit = 0;
    cym_status st;
    const cym__csv_field *ind;
    double factor = 1.0;
    int skip = 0;

    if (row->index == 0)
        return data_header(L, row, err);
    if ((st = cym__dataset_check_width(row, L->n_header, L->path, err)) < 0)
        return st;
    ind = &row->f[L->c_indicator];
    if (!L->filter && L->last_len && ind->len == L->last_len &&
        same_code(ind->text, L->last_code, ind->len)) {
        series = L->last_series;
    } else if (!L->filter) {
        if ((st = resolve_series(&series, L, ind, err)) < 0)
            return st;
        L->last_len = ind->len < sizeof(L->last_code) ? ind->len : 0;
        memcpy(L->last_code, ind->text, L->last_len);
        L->last_series = series;
    }
    if (L->filter && !ind->text[0])
        return cym_error_set(err, CYM_EDATA, L->path, ind->line, ind->col, "empty indicator code");
    if ((st = row_unit(&unit, &skip, L, row, err)) < 0 || skip)
        return st;
    if (unit == SIZE_MAX) /* a country outside the selection (cym_dataset_filter.select) */
        return CYM_OK;
    if (L->form == F_LONG) {
        int year = 0;
        uint16_t flag;
        st = parse_year(&year, &row->f[L->c_year], L->path, err);
        if (st < 0)
            return st;
        if (L->filter) {
            st = route(&series, &factor, &skip, L, ind, year, &row->f[L->c_year], 0, err);
            if (st < 0 || skip)
                return st;
        }
        if ((st = row_flag(&flag, L, row, err)) < 0)
            return st;
        return check_value(L, unit, year, series, &row->f[L->c_value], row->line, ind,
                           &row->f[L->c_year], flag, factor, err);
    }
    for (size_t i = 0; i < row->n; i++) {
        if ((long)i == L->c_indicator)
            continue;
        if (L->filter) {
            /* a wide row of another edition has no values in this edition's years */
            double v;
            int missing =
                cym__parse_number_dec(row->f[i].text, L->fmt->decimal, &v) == CYM_NUM_MISSING;
            st = route(&series, &factor, &skip, L, ind, L->wide_years[i], &row->f[i], missing, err);
            if (st < 0) {
                /* each value of a wide row on its own, when the load goes on */
                if ((st = soft(L, st, err)) < 0)
                    return st;
                continue;
            }
            if (skip)
                continue;
        }
        st = check_value(L, unit, L->wide_years[i], series, &row->f[i], row->line, ind, &row->f[i],
                         0, factor, err);
        if ((st = soft(L, st, err)) < 0)
            return st;
    }
    return CYM_OK;
}

/* A row; with a list of errors, a bad row is reported and skipped, and after a bad header
   the rest of the file. */
static cym_status data_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    data_loader *L = ctx;
    cym_status st;
    if (L->skip_rest)
        return CYM_OK;
    st = row_values(L, row, err);
    if (st == CYM_EDATA && L->errors && row->index == 0)
        L->skip_rest = 1;
    return soft(L, st, err);
}

cym_status cym__dataset_load_file(cym_dataset *ds, const char *path, cym__csv_file *opened,
                                  long unit, const cym__strmap *units, const cym__strmap *series,
                                  const cym_csv_format *fmt, const cym_dataset_filter *filter,
                                  const cym__going_on *go, cym_error *err)
{
    data_loader L;
    cym_status st;
    cym__csv_file mine; /* the file when not `opened` */
    cym__csv_file *f = opened ? opened : &mine;
    cym_input_digest *digest = unit >= 0 ? &ds->units[unit].digest : &ds->data_digest;
    cym__csv_opts o = {.delim = (unsigned char)fmt->delimiter,
                       .sha256 = digest->sha256,
                       .bytes = &digest->bytes};
    cym_csv_format own = *fmt; /* the file's own format where the setting is auto */
    /* a per-country file only: a combined file is CSV, and the CSV reader says what a
       workbook there is */
    int workbook = unit >= 0 && cym__dataset_is_workbook(path);
    mine.fd = -1;
    if (workbook) {
        /* a workbook's numbers are stored with a decimal point whatever the locale */
        own.delimiter = ',';
        own.decimal = '.';
    } else if ((!opened && (st = cym__csv_open(&mine, path, err)) < 0) ||
               (st = cym__dataset_file_format(f, &own, err)) < 0) {
        goto cleanup;
    }
    o.delim = (unsigned char)own.delimiter;
    memset(&L, 0, sizeof(L));
    L.fmt = &own;
    L.filter = filter;
    L.ds = ds;
    L.path = path;
    L.units = units;
    L.series = series;
    L.unit = unit;
    L.errors = go ? go->list : NULL;
    L.countries_failed = go && go->countries_failed;
    if (workbook) {
        L.sheet = "Data";
        st = cym__dataset_read_workbook(path, ds->units[unit].code, data_row, &L, L.errors,
                                        &ds->warnings, err);
    } else {
        /* one open and one read of the file: the format from its first bytes, then the
           rows, hashed as they are read (the manifest names these bytes) */
        st = cym__csv_file_read(f, &o, data_row, &L, err);
    }
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
                st = cym__dataset_count_flag(&ds->flags, &ds->n_flags, L.flags[i].flag,
                                             L.flags[i].count, NULL, err);
        }
    }
    cym__dataset_flags_free(L.flags, L.n_flags);
    free(L.flag_map);
    free(L.recs);
    free(L.wide_years);
cleanup:
    cym__csv_close(&mine);
    return st;
}
