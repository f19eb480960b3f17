/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A worksheet of the .xlsx reader (xlsx.h): its cells in row order, with their types, texts,
 * numbers and number formats, its hidden rows and columns and its merged ranges, streamed
 * through expat (xlsx_internal.h) within the workbook's bounds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "xlsx/xlsx_internal.h"

typedef struct cell_rec {
    cym__xlsx_cell c;
    size_t off; /* of its text in the sheet's pool */
} cell_rec;

struct sheet_impl {
    cym__xlsx_sheet pub;
    cell_rec *recs;
    cym__xlsx_cell *cells;
    cym__xlsx_range *merged, *hcols;
    uint32_t *hrows;
    char *pool;
};

typedef struct ws_ctx {
    xml_ctx x;
    cell_rec *recs;
    size_t n, cap;
    char *pool;
    size_t pool_len, pool_cap;
    cym__xlsx_range *merged, *hcols;
    size_t n_merged, cap_merged, n_hcols, cap_hcols;
    uint32_t *hrows;
    size_t n_hrows, cap_hrows;
    uint32_t row, col; /* of the current cell, and the last row seen */
    char type[12];
    unsigned long style;
    int in_c, in_v, in_is, has_f, has_v, in_sheetdata;
} ws_ctx;

static void ws_fail_cell(ws_ctx *c, const char *what, const char *ref)
{
    char m[256];
    snprintf(m, sizeof(m), "%s '%.40s'", what, ref ? ref : "");
    cym__xml_fail_msg(&c->x, m);
}

static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    ws_ctx *c = ud;
    const char *n = cym__xml_local_name(name);
    if (!cym__xml_enter(&c->x))
        return;
    if (strcmp(n, "sheetData") == 0) {
        c->in_sheetdata = 1;
    } else if (strcmp(n, "row") == 0 && c->in_sheetdata) {
        const char *r = cym__xml_attr(atts, "r"), *h = cym__xml_attr(atts, "hidden");
        if (r) {
            long v;
            if (cym__parse_long(r, 1, CYM_XLSX_MAX_ROW, &v) < 0) {
                ws_fail_cell(c, "a row number outside 1-1048576:", r);
                return;
            }
            c->row = (uint32_t)v;
        } else {
            if (c->row >= CYM_XLSX_MAX_ROW) {
                ws_fail_cell(c, "a row after the last row of the grid", "");
                return;
            }
            c->row++;
        }
        c->col = 0;
        if (h && (strcmp(h, "1") == 0 || strcmp(h, "true") == 0)) {
            if (cym__xlsx_grow((void **)&c->hrows, &c->cap_hrows, c->n_hrows + 1,
                               sizeof(*c->hrows)) < 0) {
                cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
                return;
            }
            c->hrows[c->n_hrows++] = c->row;
        }
    } else if (strcmp(n, "c") == 0 && c->in_sheetdata) {
        const char *r = cym__xml_attr(atts, "r"), *t = cym__xml_attr(atts, "t"),
                   *s = cym__xml_attr(atts, "s");
        if (r) {
            uint32_t row, col;
            if (!cym__xlsx_parse_ref(r, &row, &col)) {
                ws_fail_cell(c, "a cell reference outside the grid (A1:XFD1048576):", r);
                return;
            }
            c->row = row; /* a row element without r took its number from here */
            c->col = col;
        } else {
            if (c->col >= CYM_XLSX_MAX_COL || !c->row) {
                ws_fail_cell(c, "a cell outside the grid", "");
                return;
            }
            c->col++;
        }
        snprintf(c->type, sizeof(c->type), "%s", t ? t : "n");
        c->style = s ? strtoul(s, NULL, 10) : 0;
        c->in_c = 1;
        c->has_f = c->has_v = 0;
        cym__xml_collect_begin(&c->x);
        c->x.collecting = 0;
    } else if (c->in_c && strcmp(n, "f") == 0) {
        c->has_f = 1;
    } else if (c->in_c && strcmp(n, "v") == 0) {
        c->in_v = 1;
        c->has_v = 1;
        cym__xml_collect_begin(&c->x);
    } else if (c->in_c && strcmp(n, "is") == 0) {
        c->in_is = 1;
        c->has_v = 1;
        cym__xml_collect_begin(&c->x);
        c->x.collecting = 0;
    } else if (c->in_is && strcmp(n, "t") == 0) {
        c->x.collecting = 1; /* the runs of an inline string join */
    } else if (c->in_is && strcmp(n, "rPh") == 0) {
        c->in_is = 2; /* phonetic: not the text */
    } else if (strcmp(n, "col") == 0) {
        const char *h = cym__xml_attr(atts, "hidden"), *a = cym__xml_attr(atts, "min"),
                   *b = cym__xml_attr(atts, "max");
        long lo, hi;
        if (!h || !(strcmp(h, "1") == 0 || strcmp(h, "true") == 0))
            return;
        if (!a || !b || cym__parse_long(a, 1, CYM_XLSX_MAX_COL, &lo) < 0 ||
            cym__parse_long(b, lo, CYM_XLSX_MAX_COL, &hi) < 0) {
            ws_fail_cell(c, "a column range outside the grid", a);
            return;
        }
        if (c->n_hcols >= 65536 || cym__xlsx_grow((void **)&c->hcols, &c->cap_hcols, c->n_hcols + 1,
                                                  sizeof(*c->hcols)) < 0) {
            cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
            return;
        }
        c->hcols[c->n_hcols++] = (cym__xlsx_range){0, (uint32_t)lo, 0, (uint32_t)hi};
    } else if (strcmp(n, "mergeCell") == 0) {
        const char *ref = cym__xml_attr(atts, "ref");
        char a[32];
        const char *colon = ref ? strchr(ref, ':') : NULL;
        cym__xlsx_range m;
        if (!ref || !colon || (size_t)(colon - ref) >= sizeof(a)) {
            ws_fail_cell(c, "a merged range that is not A1:B2", ref);
            return;
        }
        memcpy(a, ref, (size_t)(colon - ref));
        a[colon - ref] = '\0';
        if (!cym__xlsx_parse_ref(a, &m.r1, &m.c1) ||
            !cym__xlsx_parse_ref(colon + 1, &m.r2, &m.c2) || m.r2 < m.r1 || m.c2 < m.c1) {
            ws_fail_cell(c, "a merged range outside the grid", ref);
            return;
        }
        if (c->n_merged >= 65536 || cym__xlsx_grow((void **)&c->merged, &c->cap_merged,
                                                   c->n_merged + 1, sizeof(*c->merged)) < 0) {
            cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
            return;
        }
        c->merged[c->n_merged++] = m;
    }
}

static int ws_pool_add(ws_ctx *c, const char *s, size_t n, size_t *off)
{
    if (cym__xlsx_grow((void **)&c->pool, &c->pool_cap, c->pool_len + n + 1, 1) < 0)
        return -1;
    *off = c->pool_len;
    memcpy(c->pool + c->pool_len, s, n);
    c->pool[c->pool_len + n] = '\0';
    c->pool_len += n + 1;
    return 0;
}

/* The cell just closed, from its type, value and style. */
static void ws_cell(ws_ctx *c)
{
    cym__xlsx *wb = c->x.wb;
    cell_rec *r;
    const char *v = cym__xml_collected(&c->x), *text = v;
    size_t tlen = c->x.len;
    char ref[64];
    if (c->n >= wb->lim.max_cells) {
        char m[96];
        snprintf(m, sizeof(m), "more than %zu cells (refused)", wb->lim.max_cells);
        cym__xml_fail_msg(&c->x, m);
        return;
    }
    if (cym__xlsx_grow((void **)&c->recs, &c->cap, c->n + 1, sizeof(*c->recs)) < 0) {
        cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
        return;
    }
    r = &c->recs[c->n];
    memset(r, 0, sizeof(*r));
    r->c.row = c->row;
    r->c.col = c->col;
    r->c.formula = c->has_f;
    r->c.num = NAN;
    r->c.format =
        c->style < wb->n_xf ? (cym__xlsx_format)wb->xf_format[c->style] : CYM_XLSX_FMT_PLAIN;
    snprintf(ref, sizeof(ref), "row %lu, column %lu", (unsigned long)c->row, (unsigned long)c->col);
    if (!c->has_v || (strcmp(c->type, "inlineStr") != 0 && !v[0])) {
        r->c.type = CYM_XLSX_EMPTY;
        text = "";
        tlen = 0;
    } else if (strcmp(c->type, "s") == 0) {
        long i;
        if (cym__parse_long(v, 0, (long)wb->n_strings - 1, &i) < 0) {
            ws_fail_cell(c, "a shared string index out of the table at", ref);
            return;
        }
        r->c.type = CYM_XLSX_STRING;
        text = wb->pool + wb->strings[i];
        tlen = strlen(text);
    } else if (strcmp(c->type, "str") == 0 || strcmp(c->type, "inlineStr") == 0) {
        r->c.type = CYM_XLSX_STRING;
    } else if (strcmp(c->type, "d") == 0) {
        r->c.type = CYM_XLSX_STRING;
        r->c.format = CYM_XLSX_FMT_DATE;
    } else if (strcmp(c->type, "b") == 0) {
        r->c.type = CYM_XLSX_BOOL;
        if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
            ws_fail_cell(c, "a boolean that is not 0 or 1 at", ref);
            return;
        }
        r->c.num = v[0] == '1';
        text = v[0] == '1' ? "TRUE" : "FALSE";
        tlen = strlen(text);
    } else if (strcmp(c->type, "e") == 0) {
        r->c.type = CYM_XLSX_ERROR;
    } else if (strcmp(c->type, "n") == 0) {
        if (cym__parse_number(v, &r->c.num) != CYM_NUM_OK) {
            ws_fail_cell(c, "a number cell that holds no number at", ref);
            return;
        }
        r->c.type = CYM_XLSX_NUMBER;
    } else {
        ws_fail_cell(c, "an unknown cell type", c->type);
        return;
    }
    if (ws_pool_add(c, text, tlen, &r->off) < 0) {
        cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
        return;
    }
    c->n++;
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
    ws_ctx *c = ud;
    const char *n = cym__xml_local_name(name);
    c->x.depth--;
    if (strcmp(n, "sheetData") == 0) {
        c->in_sheetdata = 0;
    } else if (strcmp(n, "v") == 0 && c->in_v) {
        c->in_v = 0;
        c->x.collecting = 0;
    } else if (strcmp(n, "is") == 0 && c->in_is) {
        c->in_is = 0;
        c->x.collecting = 0;
    } else if (strcmp(n, "rPh") == 0 && c->in_is == 2) {
        c->in_is = 1;
    } else if (strcmp(n, "t") == 0 && c->in_is) {
        c->x.collecting = 0;
    } else if (strcmp(n, "c") == 0 && c->in_c) {
        c->in_c = 0;
        c->x.collecting = 0;
        ws_cell(c);
    }
}

static int cell_cmp(const void *a, const void *b)
{
    const cell_rec *x = a, *y = b;
    if (x->c.row != y->c.row)
        return x->c.row < y->c.row ? -1 : 1;
    return x->c.col < y->c.col ? -1 : x->c.col > y->c.col;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

void cym__xlsx_sheet_free(cym__xlsx_sheet *s)
{
    struct sheet_impl *si = (struct sheet_impl *)s;
    if (!si)
        return;
    free(si->cells);
    free(si->merged);
    free(si->hcols);
    free(si->hrows);
    free(si->pool);
    free(si);
}

cym_status cym__xlsx_sheet_load(cym__xlsx_sheet **out, cym__xlsx *wb, size_t i, cym_error *err)
{
    ws_ctx c;
    struct sheet_impl *si;
    cym_status st;
    *out = NULL;
    if (i >= wb->n_sheets)
        return cym_error_set(err, CYM_EINTERNAL, wb->name, 0, 0, "no sheet %zu", i);
    if (!wb->sheets[i].part)
        return cym_error_set(err, CYM_EDATA, wb->name, 0, 0,
                             "sheet '%s' is not a worksheet (a chart sheet?)", wb->sheets[i].name);
    memset(&c, 0, sizeof(c));
    if (!cym__xml_new(&c.x, wb, wb->sheets[i].part, err, ws_start, ws_end))
        return cym__xlsx_oom(err);
    st = cym__xlsx_parse_part(wb, wb->sheets[i].part, c.x.p, 0, err);
    XML_ParserFree(c.x.p);
    free(c.x.text);
    si = calloc(1, sizeof(*si));
    if (st >= 0 && !si)
        st = cym__xlsx_oom(err);
    if (st >= 0 && !(si->cells = malloc((c.n ? c.n : 1) * sizeof(*si->cells))))
        st = cym__xlsx_oom(err);
    if (st >= 0) {
        if (c.n) /* (qsort and bsearch take no NULL, even for no elements) */
            qsort(c.recs, c.n, sizeof(*c.recs), cell_cmp);
        for (size_t k = 0; k < c.n && st >= 0; k++) {
            if (k && cell_cmp(&c.recs[k - 1], &c.recs[k]) == 0)
                st = cym_error_set(err, CYM_EDATA, wb->name, 0, 0,
                                   "%s: the cell at row %lu, column %lu is given twice (a "
                                   "damaged workbook)",
                                   wb->sheets[i].part, (unsigned long)c.recs[k].c.row,
                                   (unsigned long)c.recs[k].c.col);
            si->cells[k] = c.recs[k].c;
            si->cells[k].text = c.pool + c.recs[k].off;
        }
        if (c.n_hrows)
            qsort(c.hrows, c.n_hrows, sizeof(*c.hrows), u32_cmp);
    }
    free(c.recs);
    if (st < 0) {
        free(c.pool);
        free(c.merged);
        free(c.hcols);
        free(c.hrows);
        if (si)
            cym__xlsx_sheet_free(&si->pub);
        return st;
    }
    si->pool = c.pool;
    si->merged = c.merged;
    si->hcols = c.hcols;
    si->hrows = c.hrows;
    si->pub.cells = si->cells;
    si->pub.n_cells = c.n;
    si->pub.merged = c.merged;
    si->pub.n_merged = c.n_merged;
    si->pub.hidden_rows = c.hrows;
    si->pub.n_hidden_rows = c.n_hrows;
    si->pub.hidden_cols = c.hcols;
    si->pub.n_hidden_cols = c.n_hcols;
    *out = &si->pub;
    return CYM_OK;
}

const cym__xlsx_cell *cym__xlsx_sheet_cell(const cym__xlsx_sheet *s, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = s->n_cells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const cym__xlsx_cell *m = &s->cells[mid];
        if (m->row < row || (m->row == row && m->col < col))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n_cells && s->cells[lo].row == row && s->cells[lo].col == col)
        return &s->cells[lo];
    return NULL;
}

int cym__xlsx_hidden(const cym__xlsx_sheet *s, uint32_t row, uint32_t col)
{
    if (row && s->n_hidden_rows &&
        bsearch(&row, s->hidden_rows, s->n_hidden_rows, sizeof(*s->hidden_rows), u32_cmp))
        return 1;
    for (size_t i = 0; col && i < s->n_hidden_cols; i++)
        if (col >= s->hidden_cols[i].c1 && col <= s->hidden_cols[i].c2)
            return 1;
    return 0;
}

const cym__xlsx_range *cym__xlsx_merged_at(const cym__xlsx_sheet *s, uint32_t row, uint32_t col)
{
    for (size_t i = 0; i < s->n_merged; i++) {
        const cym__xlsx_range *m = &s->merged[i];
        if (row >= m->r1 && row <= m->r2 && col >= m->c1 && col <= m->c2)
            return m;
    }
    return NULL;
}
