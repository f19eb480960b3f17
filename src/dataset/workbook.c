/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A country's submission workbook (<CODE>.xlsx, the form `cymetrics forms` writes; layout in
 * docs/formats.md, "Submission workbooks") read as the rows of a long data file, so that its
 * values go through exactly the checks of a CSV row (data.c). The hidden sheet `cymetrics`
 * says whose form it is and of which year; the sheet `Data` has a header row whose columns
 * are found by their text (`code`, `value`, `flag`, `source/notes` or `source`), then a row
 * per indicator. Each row becomes (indicator, year, value, flag, source) with the positions
 * of its cells, so every message names the cell (`VNM.xlsx:Data!E14: ...`).
 *
 * What a cell may hold is decided here, before the CSV checks, because a CSV file cannot say
 * it: a number formatted as a percentage or a date, a boolean, an error value, a formula never
 * calculated, a value cell merged with others are each an error at the cell (a percentage is
 * refused rather than read as its fraction: 45% is stored 0.45, and whether the indicator's
 * unit wants 45 or 0.45 only the person filling the form knows). A number is read as stored
 * (the shortest text that round-trips it, as a CSV file would write it); text goes through
 * the CSV parser, so "45" reads as 45 and "45%" is "not a number".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "dataset/dataset_internal.h"
#include "xlsx/xlsx.h"

enum { F_CODE, F_YEAR, F_VALUE, F_FLAG, F_SOURCE, N_FIELDS };

static const char *const field_names[N_FIELDS] = {"indicator", "year", "value", "flag", "source"};

/* The text of a cell without surrounding blanks, into buf (the CSV reader trims too). */
static const char *trimmed(char *buf, size_t size, const cym__xlsx_cell *c)
{
    const char *s = c ? c->text : "";
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

/* An error of the data at a cell of `sheet`. */
static cym_status at(cym_error *err, const char *path, const char *sheet, uint32_t row,
                     uint32_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
static cym_status at(cym_error *err, const char *path, const char *sheet, uint32_t row,
                     uint32_t col, const char *fmt, ...)
{
    char msg[CYM_ERROR_MESSAGE_MAX];
    va_list ap;
    cym_status st;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    st = cym_error_set(err, CYM_EDATA, path, row, col, "%s", msg);
    cym_error_set_sheet(err, sheet);
    return st;
}

/* The cymetrics sheet: the form's country (must be `code`, the file's) and year. */
static cym_status read_meta(int *year, cym__xlsx *wb, const char *path, const char *code,
                            cym_error *err)
{
    long i = cym__xlsx_sheet_find(wb, "cymetrics", 0);
    cym__xlsx_sheet *s = NULL;
    const cym__xlsx_cell *country = NULL, *yr = NULL, *version = NULL;
    uint32_t rc = 1, ry = 2, rv = 4;
    char buf[256], cbuf[64];
    cym_status st;
    long y;

    if (i < 0)
        return cym_error_set(err, CYM_EDATA, path, 0, 0,
                             "not a cymetrics form; a submission workbook is the form `cymetrics "
                             "forms` writes, with its hidden sheet 'cymetrics' naming the country "
                             "and the year (docs/formats.md, \"Submission workbooks\")");
    if ((st = cym__xlsx_sheet_load(&s, wb, (size_t)i, err)) < 0)
        return st;
    /* the keys in column A, the values in B */
    for (size_t k = 0; k < s->n_cells; k++) {
        const cym__xlsx_cell *c = &s->cells[k];
        if (c->col != 1)
            continue;
        trimmed(buf, sizeof(buf), c);
        if (cym__strcaseeq(buf, "country"))
            country = cym__xlsx_sheet_cell(s, rc = c->row, 2);
        else if (cym__strcaseeq(buf, "year"))
            yr = cym__xlsx_sheet_cell(s, ry = c->row, 2);
        else if (cym__strcaseeq(buf, "form-version"))
            version = cym__xlsx_sheet_cell(s, rv = c->row, 2);
    }
    trimmed(cbuf, sizeof(cbuf), country);
    if (!cbuf[0])
        st = at(err, path, "cymetrics", rc, 2, "the form names no country");
    else if (!cym__strcaseeq(cbuf, code))
        st = at(err, path, "cymetrics", rc, 2,
                "the form is for country '%s', but the file is named for '%s': a form is read "
                "only as its own country's (rename the file if it is the other country's)",
                cbuf, code);
    else if (cym__parse_long(trimmed(buf, sizeof(buf), yr), CYM__YEAR_MIN, CYM__YEAR_MAX, &y) < 0)
        st = at(err, path, "cymetrics", ry, 2,
                "the form's year '%s' is not a year between 1900 and 2100", buf);
    else if (strcmp(trimmed(buf, sizeof(buf), version), "1") != 0)
        st = at(err, path, "cymetrics", rv, 2,
                "form version '%s' is not one this cymetrics reads (version 1)", buf);
    else
        *year = (int)y;
    cym__xlsx_sheet_free(s);
    return st;
}

/* The columns of the header row, by their text; each required one found once. */
static cym_status read_header(uint32_t cols[N_FIELDS], const cym__xlsx_sheet *s, const char *path,
                              cym_error *err)
{
    char buf[256];
    memset(cols, 0, N_FIELDS * sizeof(*cols));
    for (size_t k = 0; k < s->n_cells && s->cells[k].row == 1; k++) {
        const cym__xlsx_cell *c = &s->cells[k];
        int f = -1;
        trimmed(buf, sizeof(buf), c);
        if (cym__strcaseeq(buf, "code"))
            f = F_CODE;
        else if (cym__strcaseeq(buf, "value"))
            f = F_VALUE;
        else if (cym__strcaseeq(buf, "flag"))
            f = F_FLAG;
        else if (cym__strcaseeq(buf, "source/notes") || cym__strcaseeq(buf, "source"))
            f = F_SOURCE;
        if (f < 0)
            continue;
        if (cols[f])
            return at(err, path, "Data", 1, c->col, "column '%s' appears twice in the header row",
                      buf);
        cols[f] = c->col;
    }
    for (int f = 0; f < N_FIELDS; f++)
        if (f != F_YEAR && !cols[f])
            return at(err, path, "Data", 1, 1,
                      "missing required column '%s' in the header row (a form's columns are "
                      "found by their header: code, value, flag and source/notes are "
                      "needed)",
                      f == F_CODE    ? "code"
                      : f == F_VALUE ? "value"
                      : f == F_FLAG  ? "flag"
                                     : "source/notes");
    return CYM_OK;
}

/* The text the CSV checks read from the value cell, or an error at the cell. */
static cym_status value_text(char *buf, size_t size, const cym__xlsx_cell *c, const char *code,
                             const char *path, cym_error *err)
{
    if (!c || (c->type == CYM_XLSX_EMPTY && !c->formula)) {
        buf[0] = '\0'; /* not reported: missing, as an empty CSV value */
        return CYM_OK;
    }
    switch (c->type) {
    case CYM_XLSX_EMPTY:
        return at(err, path, "Data", c->row, c->col,
                  "the value of %s is a formula with no saved result; open the workbook in a "
                  "spreadsheet program and save it (so the result is stored)",
                  code);
    case CYM_XLSX_BOOL:
        return at(err, path, "Data", c->row, c->col,
                  "value of %s is the logical value %s, not a number (type 1 or 0)", code, c->text);
    case CYM_XLSX_ERROR:
        return at(err, path, "Data", c->row, c->col,
                  "value of %s is the spreadsheet error %s; type the value, or leave the cell "
                  "empty when it is not available",
                  code, c->text);
    default: break;
    }
    if (c->format == CYM_XLSX_FMT_DATE)
        return at(err, path, "Data", c->row, c->col,
                  "value of %s is formatted as a date (stored as '%s'), and a date is not an "
                  "indicator value; format the cell as a number",
                  code, c->text);
    if (c->type == CYM_XLSX_NUMBER && c->format == CYM_XLSX_FMT_PERCENT) {
        char shown[64];
        snprintf(shown, sizeof(shown), "%.15g%%", c->num * 100);
        return at(err, path, "Data", c->row, c->col,
                  "value of %s is formatted as a percentage: the cell shows %s but holds %s; "
                  "type the value in the indicator's unit and format the cell as a number "
                  "(not read, as it is unclear which is meant)",
                  code, shown, c->text);
    }
    trimmed(buf, size, c);
    return CYM_OK;
}

/* 1 when no cell of the row's read columns holds anything. */
static int blank_row(const cym__xlsx_sheet *s, uint32_t row, const uint32_t cols[N_FIELDS])
{
    char buf[8];
    for (int f = 0; f < N_FIELDS; f++) {
        const cym__xlsx_cell *c = cols[f] ? cym__xlsx_sheet_cell(s, row, cols[f]) : NULL;
        if (c && (c->formula || trimmed(buf, sizeof(buf), c)[0]))
            return 0;
    }
    return 1;
}

/* The warning for hidden rows and columns of the Data sheet, which are read. */
static cym_status hidden_warning(cym_warnings *w, const cym__xlsx_sheet *s, const char *path,
                                 const uint32_t cols[N_FIELDS], size_t n_rows_hidden,
                                 uint32_t first_hidden)
{
    char colnames[64] = "";
    size_t len = 0;
    cym_status st = CYM_OK;
    for (int f = 0; f < N_FIELDS; f++)
        if (cols[f] && cym__xlsx_hidden(s, 0, cols[f]) && len + 8 < sizeof(colnames)) {
            char ref[16];
            cym_error_cell_ref(ref, sizeof(ref), 1, cols[f]);
            ref[strlen(ref) - 1] = '\0'; /* the column of A1 */
            len += (size_t)snprintf(colnames + len, sizeof(colnames) - len, "%s%s", len ? ", " : "",
                                    ref);
        }
    if (!n_rows_hidden && !len)
        return CYM_OK;
#pragma omp critical(cym_dataset_store)
    {
        if (n_rows_hidden)
            st = cym_warnings_add(w,
                                  "%s:Data: %zu hidden row%s (the first is row %lu) read as the "
                                  "others",
                                  path, n_rows_hidden, n_rows_hidden == 1 ? "" : "s",
                                  (unsigned long)first_hidden);
        if (st >= 0 && len)
            st = cym_warnings_add(w, "%s:Data: hidden column%s %s read as the others", path,
                                  strchr(colnames, ',') ? "s" : "", colnames);
    }
    return st;
}

int cym__dataset_is_workbook(const char *path)
{
    size_t n = strlen(path);
    return n >= 5 && cym__strcaseeq(path + n - 5, ".xlsx");
}

cym_status cym__dataset_read_workbook(const char *path, const char *code, cym__csv_row_fn fn,
                                      void *ctx, cym_error_list *errors, cym_warnings *warnings,
                                      cym_error *err)
{
    cym__xlsx *wb = NULL;
    cym__xlsx_sheet *s = NULL;
    cym__csv_field f[N_FIELDS];
    cym__csv_row row = {f, N_FIELDS, 1, 0};
    uint32_t cols[N_FIELDS];
    char text[N_FIELDS][512];
    char year_text[16];
    int year = 0;
    size_t n_hidden = 0;
    uint32_t first_hidden = 0;
    long di;
    cym_status st;

    if ((st = cym__xlsx_open(&wb, path, NULL, err)) < 0)
        return st;
    if ((st = read_meta(&year, wb, path, code, err)) < 0)
        goto cleanup;
    di = cym__xlsx_sheet_find(wb, "Data", 0);
    if (di < 0) {
        st = cym_error_set(err, CYM_EDATA, path, 0, 0,
                           "not a cymetrics form: it has no sheet 'Data' (docs/formats.md, "
                           "\"Submission workbooks\")");
        goto cleanup;
    }
    if ((st = cym__xlsx_sheet_load(&s, wb, (size_t)di, err)) < 0 ||
        (st = read_header(cols, s, path, err)) < 0)
        goto cleanup;
    /* the header the CSV loader expects, at the header cells (the year at the code's) */
    cols[F_YEAR] = cols[F_CODE];
    snprintf(year_text, sizeof(year_text), "%d", year);
    memset(f, 0, sizeof(f));
    for (int k = 0; k < N_FIELDS; k++) {
        f[k].text = field_names[k];
        f[k].len = strlen(field_names[k]);
        f[k].line = 1;
        f[k].col = cols[k];
    }
    if ((st = fn(ctx, &row, err)) < 0)
        goto cleanup;
    for (size_t k = 0; k < s->n_cells; k++) {
        uint32_t r = s->cells[k].row;
        const cym__xlsx_range *m;
        if (r == 1 || (k && s->cells[k - 1].row == r))
            continue; /* one pass per row, at its first cell */
        if (blank_row(s, r, cols))
            continue; /* a blank row (added by hand, or left between blocks) */
        for (int j = 0; j < N_FIELDS; j++) {
            const cym__xlsx_cell *c = cym__xlsx_sheet_cell(s, r, cols[j]);
            f[j].line = r;
            f[j].col = cols[j];
            f[j].text = j == F_YEAR ? year_text : trimmed(text[j], sizeof(text[j]), c);
            f[j].len = strlen(f[j].text);
        }
        if (cym__xlsx_hidden(s, r, 0) && !n_hidden++)
            first_hidden = r;
        m = cym__xlsx_merged_at(s, r, cols[F_VALUE]);
        if (m) {
            char a[16], b[16];
            cym_error_cell_ref(a, sizeof(a), m->r1, m->c1);
            cym_error_cell_ref(b, sizeof(b), m->r2, m->c2);
            if (r != (m->r1 > 1 ? m->r1 : 2)) /* once per range */
                continue;
            st = at(err, path, "Data", r, cols[F_VALUE],
                    "the value cell is merged with others (%s:%s); a value cell holds one "
                    "indicator's value: unmerge it",
                    a, b);
        } else {
            st = value_text(text[F_VALUE], sizeof(text[F_VALUE]),
                            cym__xlsx_sheet_cell(s, r, cols[F_VALUE]), f[F_CODE].text, path, err);
            f[F_VALUE].text = text[F_VALUE];
            f[F_VALUE].len = strlen(text[F_VALUE]);
        }
        row.line = r;
        row.index++;
        if (st >= 0)
            st = fn(ctx, &row, err);
        else if ((st = cym__dataset_soft(errors, st, err)) >= 0)
            continue;
        if (st < 0)
            goto cleanup;
    }
    st = hidden_warning(warnings, s, path, cols, n_hidden, first_hidden);

cleanup:
    cym__xlsx_sheet_free(s);
    cym__xlsx_free(wb);
    return st;
}
