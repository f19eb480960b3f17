/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The dataset's cube: units x years x series, row-major (cym_dataset_cell), with the source
 * line and the flag of each cell. The countries and the series are known before the data is
 * read, the years are not: the window of years grows as they appear (by doubling, after a
 * first look at the first file has sized it for the usual case) and is trimmed to the years
 * seen at the end. Also the table of flags the data's `flag` column names.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "dataset/dataset_internal.h"

/* Replaces the cube's arrays (values, source lines, flags) with these. */
static void set_cells(cym_dataset *ds, double *v, uint32_t *ln, uint16_t *fl)
{
    free(ds->values);
    free(ds->lines);
    free(ds->flag_of);
    ds->values = v;
    ds->lines = ln;
    ds->flag_of = fl;
}

void cym_dataset_drop_lines(cym_dataset *ds)
{
    if (!ds)
        return;
    free(ds->lines);
    ds->lines = NULL;
}

/* Moves the cube to the year window [n0, n0 + ny), keeping what overlaps. */
static cym_status relayout(cym_dataset *ds, int n0, size_t ny, cym_error *err)
{
    size_t ncell = ds->n_units * ny * ds->n_series;
    size_t per_year = ds->n_series, per_unit = ny * per_year;
    double *v = malloc((ncell ? ncell : 1) * sizeof(*v));
    uint32_t *ln = malloc((ncell ? ncell : 1) * sizeof(*ln));
    uint16_t *fl = malloc((ncell ? ncell : 1) * sizeof(*fl));

    if (!v || !ln || !fl) {
        free(v);
        free(ln);
        free(fl);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* filled on every core, unit by unit: the first touch of each page costs the kernel
       about as much as the filling (and would otherwise fall in the stores' critical
       section, data.c) */
#pragma omp parallel for schedule(static) if (ncell >= ((size_t)1 << 20))
    for (size_t u = 0; u < ds->n_units; u++) {
        for (size_t i = u * per_unit; i < (u + 1) * per_unit; i++)
            v[i] = NAN;
        memset(ln + u * per_unit, 0, per_unit * sizeof(*ln));
        memset(fl + u * per_unit, 0, per_unit * sizeof(*fl));
    }
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
    set_cells(ds, v, ln, fl);
    ds->year0 = n0;
    ds->n_years = ny;
    return CYM_OK;
}

/*
 * Makes room for `year`. The window grows by doubling (years usually arrive in order, and a
 * window grown one year at a time would copy the whole cube once per year); the loader trims
 * it to the years actually seen at the end.
 */
cym_status cym__dataset_ensure_year(cym_dataset *ds, int year, cym_error *err)
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
    if (n0 < CYM__YEAR_MIN)
        n0 = CYM__YEAR_MIN;
    if (n1 > CYM__YEAR_MAX)
        n1 = CYM__YEAR_MAX;
    return relayout(ds, n0, (size_t)(n1 - n0 + 1), err);
}

/* Shrinks the window to the years that have at least one row. */
cym_status cym__dataset_trim_years(cym_dataset *ds, cym_error *err)
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
        set_cells(ds, NULL, NULL, NULL);
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
cym_status cym__dataset_count_flag(cym_flag_count **flags, size_t *n, const char *flag, size_t add,
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

void cym__dataset_flags_free(cym_flag_count *flags, size_t n)
{
    for (size_t i = 0; flags && i < n; i++)
        free(flags[i].flag);
    free(flags);
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
                if (cym__parse_long(row->f[i].text, CYM__YEAR_MIN, CYM__YEAR_MAX, &y) == 0) {
                    p->lo = (int)y < p->lo ? (int)y : p->lo;
                    p->hi = (int)y > p->hi ? (int)y : p->hi;
                }
        return p->c_year < 0 ? CYM_EDATA : CYM_OK; /* stop: nothing more to learn */
    }
    if ((size_t)p->c_year < row->n &&
        cym__parse_long(row->f[p->c_year].text, CYM__YEAR_MIN, CYM__YEAR_MAX, &y) == 0) {
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
cym_status cym__dataset_presize(cym_dataset *ds, cym__csv_file *f, const cym_csv_format *fmt,
                                cym_error *err)
{
    peek p;
    cym_error ignored;
    cym_csv_format own = *fmt;
    cym__csv_opts o = {0};
    if (cym__dataset_file_format(f, &own, &ignored) < 0)
        return CYM_OK; /* the load reports it */
    o.delim = (unsigned char)own.delimiter;
    p.c_year = -1;
    p.lo = INT_MAX;
    p.hi = INT_MIN;
    p.rows = 0;
    cym__csv_file_read(f, &o, peek_row, &p, &ignored);
    if (ds->n_years || p.lo > p.hi)
        return CYM_OK;
    return relayout(ds, p.lo, (size_t)(p.hi - p.lo + 1), err);
}

static int by_flag(const void *a, const void *b)
{
    return strcmp(((const cym_flag_count *)a)->flag, ((const cym_flag_count *)b)->flag);
}

/* Sorts the flags by name and renumbers the cells' references to them. */
cym_status cym__dataset_sort_flags(cym_dataset *ds, cym_error *err)
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
