/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * COINr import. COINr (the JRC's R package for composite indicators) describes a composite
 * with two tables: iMeta (Level, iCode, iName, Direction, Weight, Unit, Target, Denominator,
 * Parent, Type) and iData (uCode, uName, Time, then one column per indicator, group and
 * denominator). This module rewrites them as a cymetrics dataset folder. Values are copied as
 * text, digit for digit, so nothing is lost to a round trip through binary floating point.
 */
#include "cymetrics/import.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/util.h"
#include "dataset/dataset_internal.h"
#include "io/csv.h"
#include "io/hash.h"
#include "io/outdir.h"

enum mtype { T_INDICATOR, T_AGGREGATE, T_GROUP, T_DENOMINATOR, T_OTHER };

typedef struct meta_row {
    char *code, *name, *parent, *unit, *target, *denominator;
    int direction; /* 1 or -1 */
    char *weight;
    enum mtype type;
    unsigned long line;
} meta_row;

typedef struct table {
    const char *path;
    size_t ncol;
    char **header;
    size_t nrow;
    char **cells; /* nrow x ncol */
    unsigned long *lines;
    size_t cap;
} table;

static void table_free(table *t)
{
    cym__free_strings(t->header, t->ncol);
    cym__free_strings(t->cells, t->nrow * t->ncol);
    free(t->lines);
}

static cym_status table_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    table *t = ctx;
    cym_status st;
    if (row->index == 0) {
        t->ncol = row->n;
        t->header = calloc(row->n, sizeof(char *));
        if (!t->header)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t i = 0; i < row->n; i++)
            if (!(t->header[i] = cym__strdup(row->f[i].text)))
                return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        return CYM_OK;
    }
    if ((st = cym__dataset_check_width(row, t->ncol, t->path, err)) < 0)
        return st;
    if (t->nrow == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        if (cym__resize_array(&t->cells, cap * t->ncol, sizeof(*t->cells)) < 0 ||
            cym__resize_array(&t->lines, cap, sizeof(*t->lines)) < 0)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        t->cap = cap;
    }
    for (size_t i = 0; i < row->n; i++)
        t->cells[t->nrow * t->ncol + i] = NULL;
    t->lines[t->nrow] = row->line;
    t->nrow++;
    for (size_t i = 0; i < row->n; i++)
        if (!(t->cells[(t->nrow - 1) * t->ncol + i] = cym__strdup(row->f[i].text)))
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    return CYM_OK;
}

static long col_of(const table *t, const char *name)
{
    for (size_t i = 0; i < t->ncol; i++)
        if (strcmp(t->header[i], name) == 0)
            return (long)i;
    return -1;
}

static const char *cell(const table *t, size_t r, long c)
{
    return c < 0 ? "" : t->cells[r * t->ncol + (size_t)c];
}

static int find_meta(const table *m, long c_code, const char *code)
{
    for (size_t r = 0; r < m->nrow; r++)
        if (strcmp(cell(m, r, c_code), code) == 0)
            return (int)r;
    return -1;
}

static enum mtype meta_type(const char *s)
{
    if (strcmp(s, "Indicator") == 0)
        return T_INDICATOR;
    if (strcmp(s, "Aggregate") == 0)
        return T_AGGREGATE;
    if (strcmp(s, "Group") == 0)
        return T_GROUP;
    if (strcmp(s, "Denominator") == 0)
        return T_DENOMINATOR;
    return T_OTHER;
}

cym_status cym_import_coinr(const char *idata, const char *imeta, const char *outdir,
                            const char *name, int year, cym_error *err)
{
    table M, D;
    cym__outdir od;
    cym_status st;
    FILE *f = NULL;
    long m_code, m_name, m_dir, m_w, m_unit, m_target, m_den, m_parent, m_type;
    long d_code, d_name, d_time;
    char hex_d[65], hex_m[65];
    enum mtype *coltype = NULL;

    memset(&M, 0, sizeof(M));
    memset(&D, 0, sizeof(D));
    memset(&od, 0, sizeof(od));
    M.path = imeta;
    D.path = idata;
    if ((st = cym__csv_read(imeta, NULL, table_row, &M, err)) < 0 ||
        (st = cym__csv_read(idata, NULL, table_row, &D, err)) < 0)
        goto cleanup;
    if (!M.ncol || !D.ncol) {
        st = cym_error_set(err, CYM_EDATA, !M.ncol ? imeta : idata, 1, 0, "the file is empty");
        goto cleanup;
    }
    m_code = col_of(&M, "iCode");
    m_name = col_of(&M, "iName");
    m_dir = col_of(&M, "Direction");
    m_w = col_of(&M, "Weight");
    m_unit = col_of(&M, "Unit");
    m_target = col_of(&M, "Target");
    m_den = col_of(&M, "Denominator");
    m_parent = col_of(&M, "Parent");
    m_type = col_of(&M, "Type");
    if (m_code < 0 || m_type < 0 || m_parent < 0) {
        st = cym_error_set(err, CYM_EDATA, imeta, 1, 1,
                           "not a COINr iMeta table: it needs the columns iCode, Parent and "
                           "Type (and usually Level, iName, Direction, Weight)");
        goto cleanup;
    }
    d_code = col_of(&D, "uCode");
    d_name = col_of(&D, "uName");
    d_time = col_of(&D, "Time");
    if (d_code < 0) {
        st = cym_error_set(err, CYM_EDATA, idata, 1, 1,
                           "not a COINr iData table: it needs a uCode column");
        goto cleanup;
    }
    if (d_time < 0 && !year) {
        st = cym_error_set(err, CYM_EUSAGE, idata, 1, 0,
                           "iData has no Time column: give the year with --year");
        goto cleanup;
    }
    /* the type of every iData column */
    coltype = malloc(D.ncol * sizeof(*coltype));
    if (!coltype) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t c = 0; c < D.ncol; c++) {
        int r;
        if ((long)c == d_code || (long)c == d_name || (long)c == d_time) {
            coltype[c] = T_OTHER;
            continue;
        }
        r = find_meta(&M, m_code, D.header[c]);
        if (r < 0) {
            st = cym_error_set(err, CYM_EDATA, idata, 1, 0,
                               "column '%s' of iData is not described in iMeta", D.header[c]);
            goto cleanup;
        }
        coltype[c] = meta_type(cell(&M, (size_t)r, m_type));
        if (coltype[c] == T_AGGREGATE) {
            st = cym_error_set(err, CYM_EDATA, idata, 1, 0,
                               "column '%s' of iData is an aggregate in iMeta", D.header[c]);
            goto cleanup;
        }
    }
    for (size_t r = 0; r < D.nrow; r++) {
        const char *u = cell(&D, r, d_code);
        if (!(strlen(u) == 3 && isupper((unsigned char)u[0]) && isupper((unsigned char)u[1]) &&
              isupper((unsigned char)u[2]))) {
            st = cym_error_set(err, CYM_EDATA, idata, D.lines[r], 0,
                               "unit code '%s': cymetrics country codes are three capital "
                               "letters (rename the unit in iData)",
                               u);
            goto cleanup;
        }
    }
    if ((st = cym__sha256_file(hex_d, NULL, idata, err)) < 0 ||
        (st = cym__sha256_file(hex_m, NULL, imeta, err)) < 0)
        goto cleanup;

    if ((st = cym__outdir_open(&od, outdir, err)) < 0)
        goto cleanup;

    /* framework.csv: indicators and aggregates */
    if ((st = cym__outdir_create(&f, &od, "framework.csv", err)) < 0)
        goto cleanup;
    fputs("code,parent,name,weight,direction,unit,target,denominator\n", f);
    for (size_t r = 0; r < M.nrow; r++) {
        enum mtype t = meta_type(cell(&M, r, m_type));
        const char *dir = cell(&M, r, m_dir);
        if (t != T_INDICATOR && t != T_AGGREGATE)
            continue;
        cym__csv_put_verbatim(f, cell(&M, r, m_code));
        fputc(',', f);
        cym__csv_put_verbatim(f, cell(&M, r, m_parent));
        fputc(',', f);
        cym__csv_put_verbatim(f, cell(&M, r, m_name));
        fputc(',', f);
        cym__csv_put_verbatim(f, cell(&M, r, m_w));
        fputc(',', f);
        if (t == T_INDICATOR)
            fputs(strcmp(dir, "-1") == 0 ? "-" : "+", f);
        fputc(',', f);
        cym__csv_put_verbatim(f, cell(&M, r, m_unit));
        fputc(',', f);
        if (t == T_INDICATOR)
            cym__csv_put_verbatim(f, cell(&M, r, m_target));
        fputc(',', f);
        if (t == T_INDICATOR)
            cym__csv_put_verbatim(f, cell(&M, r, m_den));
        fputc('\n', f);
    }
    if ((st = cym__outdir_close(&od, f, "framework.csv", err)) < 0)
        goto cleanup;

    /* countries.csv: one row per distinct unit, group columns from the first row of it */
    if ((st = cym__outdir_create(&f, &od, "countries.csv", err)) < 0)
        goto cleanup;
    fputs("code,name", f);
    for (size_t c = 0; c < D.ncol; c++)
        if (coltype[c] == T_GROUP) {
            fputc(',', f);
            cym__csv_put_verbatim(f, D.header[c]);
        }
    fputc('\n', f);
    for (size_t r = 0; r < D.nrow; r++) {
        const char *u = cell(&D, r, d_code);
        int seen = 0;
        for (size_t q = 0; q < r && !seen; q++)
            seen = strcmp(cell(&D, q, d_code), u) == 0;
        if (seen)
            continue;
        fputs(u, f);
        fputc(',', f);
        cym__csv_put_verbatim(f, d_name >= 0 && cell(&D, r, d_name)[0] ? cell(&D, r, d_name) : u);
        for (size_t c = 0; c < D.ncol; c++)
            if (coltype[c] == T_GROUP) {
                fputc(',', f);
                cym__csv_put_verbatim(f, cell(&D, r, (long)c));
            }
        fputc('\n', f);
    }
    if ((st = cym__outdir_close(&od, f, "countries.csv", err)) < 0)
        goto cleanup;

    /* one long file per unit: indicators and denominators, every time point */
    for (size_t r = 0; r < D.nrow; r++) {
        const char *u = cell(&D, r, d_code);
        char fname[16];
        int first = 1;
        for (size_t q = 0; q < r && first; q++)
            first = strcmp(cell(&D, q, d_code), u) != 0;
        if (!first)
            continue;
        snprintf(fname, sizeof(fname), "%s.csv", u);
        if ((st = cym__outdir_create(&f, &od, fname, err)) < 0)
            goto cleanup;
        fputs("indicator,year,value\n", f);
        for (size_t q = r; q < D.nrow; q++) {
            if (strcmp(cell(&D, q, d_code), u) != 0)
                continue;
            for (size_t c = 0; c < D.ncol; c++) {
                if (coltype[c] != T_INDICATOR && coltype[c] != T_DENOMINATOR)
                    continue;
                fprintf(f, "%s,", D.header[c]);
                if (d_time >= 0)
                    cym__csv_put_verbatim(f, cell(&D, q, d_time));
                else
                    fprintf(f, "%d", year);
                fputc(',', f);
                cym__csv_put_verbatim(f, cell(&D, q, (long)c));
                fputc('\n', f);
            }
        }
        if ((st = cym__outdir_close(&od, f, fname, err)) < 0)
            goto cleanup;
    }

    if ((st = cym__outdir_printf(
             &od, "cymetrics.ini", err,
             "; Imported from COINr tables by 'cymetrics import-coinr'; see README.md.\n"
             "[dataset]\nname = %s\nframework = framework.csv\n"
             "source = COINr tables %s and %s\n",
             name, idata, imeta)) < 0)
        goto cleanup;
    if ((st = cym__outdir_printf(
             &od, "README.md", err,
             "# %s (imported from COINr)\n\n"
             "Made by `cymetrics import-coinr` from the COINr input tables:\n\n"
             "| table | file | SHA-256 |\n| --- | --- | --- |\n"
             "| iData | `%s` | `%s` |\n| iMeta | `%s` | `%s` |\n\n"
             "Values are copied verbatim. iMeta rows of type Group became columns of "
             "`countries.csv`; Denominator rows are data series named in the framework's "
             "`denominator` column; Direction -1 became `-`. Add the provenance of the "
             "original data here.\n",
             name, idata, hex_d, imeta, hex_m)) < 0)
        goto cleanup;
    st = cym__outdir_commit(&od, err);

cleanup:
    free(coltype);
    cym__outdir_free(&od);
    table_free(&M);
    table_free(&D);
    return st;
}
