/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * results.xlsx: the human tables as one Excel workbook (libxlsxwriter, the only file that
 * includes it): a sheet per table with the header in the first row, frozen, numbers stored as
 * numbers (Excel keeps 15-16 significant digits; the CSV tables are the exact ones) with a
 * display format per column kind (decimals for scores, a sign for changes), widths from the
 * longest cell, and a last sheet "Methodology" with every setting of the run, the inputs with
 * their SHA-256, the warnings and the notes of the tables.
 *
 * The workbook's creation date is fixed (1 January 2000), so two runs on the same inputs give
 * the same bytes.
 *
 * libxlsxwriter is opened with dlopen by the first workbook (cym__lxw_open, io/lxw.h),
 * so a run that writes none does not load it nor the libraries under it (minizip, zlib,
 * OpenSSL's libcrypto): docs/performance.md, Start-up. Every call of it goes through `cym__lxw`.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/lxw.h"
#include "report/report_internal.h"

typedef struct formats {
    lxw_format *head, *score, *rank, *change, *rank_change, *p, *wrap, *bold;
} formats;

static lxw_format *fmt_of(const formats *f, cym__col_kind k)
{
    switch (k) {
    case CYM__COL_SCORE: return f->score;
    case CYM__COL_RANK:
    case CYM__COL_PCT: return f->rank;
    case CYM__COL_CHANGE: return f->change;
    case CYM__COL_RANK_CHANGE: return f->rank_change;
    case CYM__COL_P: return f->p;
    default: return NULL;
    }
}

/* Display width of UTF-8 text: code points, not bytes. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static int sheet(lxw_workbook *wb, const cym__table *t, const formats *f, int decimals)
{
    lxw_worksheet *ws = cym__lxw.workbook_add_worksheet(wb, t->id);
    char buf[512];
    if (!ws)
        return -1;
    for (size_t j = 0; j < t->n_cols; j++) {
        size_t w = width(t->cols[j].head) + 2;
        cym__lxw.worksheet_write_string(ws, 0, (lxw_col_t)j, t->cols[j].head, f->head);
        for (size_t i = 0; i < t->n_rows; i++) {
            const cym__cell *c = &t->cells[i * t->n_cols + j];
            lxw_row_t row = (lxw_row_t)(i + 1);
            cym__cell_text(buf, sizeof(buf), t, i, j, decimals);
            if (width(buf) + 2 > w)
                w = width(buf) + 2;
            if (t->cols[j].kind == CYM__COL_TEXT) {
                if (c->s && c->s[0])
                    cym__lxw.worksheet_write_string(ws, row, (lxw_col_t)j, c->s, NULL);
            } else if (!isnan(c->v)) {
                cym__lxw.worksheet_write_number(ws, row, (lxw_col_t)j, c->v,
                                                fmt_of(f, t->cols[j].kind));
            }
        }
        if (w > 60)
            w = 60;
        cym__lxw.worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, (double)w, NULL);
    }
    cym__lxw.worksheet_freeze_panes(ws, 1, 0);
    return 0;
}

static void kv(lxw_worksheet *ws, lxw_row_t *row, const char *k, const char *v, lxw_format *kf,
               lxw_format *vf)
{
    cym__lxw.worksheet_write_string(ws, *row, 0, k, kf);
    if (v && v[0])
        cym__lxw.worksheet_write_string(ws, *row, 1, v, vf);
    (*row)++;
}

static int methodology(lxw_workbook *wb, cym__table *const *t, size_t n, const cym_results *r,
                       const json_t *manifest, const formats *f)
{
    lxw_worksheet *ws = cym__lxw.workbook_add_worksheet(wb, "Methodology");
    lxw_row_t row = 0;
    const char *key;
    json_t *v, *cfg = json_object_get(manifest, "configuration"),
               *eff = json_object_get(manifest, "effective"),
               *inputs = json_object_get(manifest, "inputs");
    cym_warnings w = {0};
    size_t i;
    if (!ws)
        return -1;
    cym__lxw.worksheet_set_column(ws, 0, 0, 28, NULL);
    cym__lxw.worksheet_set_column(ws, 1, 1, 90, f->wrap);
    kv(ws, &row, "Setting", "Value", f->head, f->head);
    cym__lxw.worksheet_freeze_panes(ws, 1, 0);
    json_object_foreach(cfg, key, v)
    {
        if (strcmp(key, "out") == 0)
            continue; /* where the results went: not a method */
        kv(ws, &row, key, json_string_value(v), NULL, NULL);
    }
    json_object_foreach(eff, key, v)
    {
        char name[96];
        snprintf(name, sizeof(name), "effective %s", key);
        kv(ws, &row, name,
           json_is_string(v) ? json_string_value(v)
           : json_is_true(v) ? "on"
                             : "off",
           NULL, NULL);
    }
    row++;
    kv(ws, &row, "Input", "SHA-256, bytes, path", f->bold, f->bold);
    json_array_foreach(inputs, i, v)
    {
        char line[2048];
        snprintf(line, sizeof(line), "%s  %lld bytes  %s",
                 json_string_value(json_object_get(v, "sha256")),
                 (long long)json_integer_value(json_object_get(v, "bytes")),
                 json_string_value(json_object_get(v, "path")));
        kv(ws, &row, json_string_value(json_object_get(v, "role")), line, NULL, NULL);
    }
    row++;
    kv(ws, &row, "Warnings", NULL, f->bold, NULL);
    if (cym__report_warnings(&w, r) < 0)
        return -1;
    if (w.count == 0)
        kv(ws, &row, "", "none", NULL, NULL);
    for (i = 0; i < w.count; i++)
        kv(ws, &row, "", w.lines[i], NULL, NULL);
    cym_warnings_clear(&w);
    row++;
    kv(ws, &row, "Sheet", "Note", f->bold, f->bold);
    for (i = 0; i < n; i++) {
        char title[600];
        snprintf(title, sizeof(title), "%s: %s", t[i]->id, t[i]->title);
        kv(ws, &row, title, t[i]->note, NULL, NULL);
    }
    return 0;
}

cym_status cym__tables_xlsx(const char *path, const char *display, cym__table *const *t, size_t n,
                            const cym_results *r, const cym_report_options *o,
                            const json_t *manifest, int decimals, cym_error *err)
{
    lxw_workbook_options opt = {0, NULL, 0};
    lxw_doc_properties props;
    lxw_workbook *wb;
    formats f;
    char score_fmt[16], change_fmt[64], title[256];
    static char comments[] = "written by cymetrics " CYM_VERSION;
    int bad = 0;

    cym_status st = cym__lxw_open(err);
    if (st < 0)
        return st;
    wb = cym__lxw.workbook_new_opt(path, &opt);
    if (!wb)
        return cym_error_set(err, CYM_EIO, display, 0, 0, "cannot create the workbook");
    memset(&props, 0, sizeof(props));
    snprintf(title, sizeof(title), "%s", o->output.title[0] ? o->output.title : o->output.name);
    props.title = title;
    props.comments = comments;
    props.created = CYM__LXW_CREATED;
    cym__lxw.workbook_set_properties(wb, &props);
    /* "0.0" for one decimal; changes keep their sign: "+0.0;-0.0;0.0" */
    snprintf(score_fmt, sizeof(score_fmt), "0%s%.*s", decimals > 0 ? "." : "",
             decimals > 0 && decimals <= 6 ? decimals : 0, "000000");
    snprintf(change_fmt, sizeof(change_fmt), "+%s;-%s;%s", score_fmt, score_fmt, score_fmt);
    f.head = cym__lxw_head_format(wb);
    f.bold = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_bold(f.bold);
    f.score = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_num_format(f.score, score_fmt);
    f.rank = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_num_format(f.rank, "0");
    f.change = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_num_format(f.change, change_fmt);
    f.rank_change = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_num_format(f.rank_change, "+0;-0;0");
    f.p = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_num_format(f.p, "0.000");
    f.wrap = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_text_wrap(f.wrap);
    for (size_t i = 0; i < n && !bad; i++)
        bad = sheet(wb, t[i], &f, decimals) < 0;
    if (!bad)
        bad = methodology(wb, t, n, r, manifest, &f) < 0;
    return cym__lxw_close(wb, bad, display, err);
}
