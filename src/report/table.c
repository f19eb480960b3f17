/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The human tables as data (report_internal.h): a table is columns with a kind (how a value
 * is formatted and which direction is better) and rows of full doubles or texts. This file
 * has what every builder uses to make one (table_run.c: the tables of a run; across.c: the
 * index across framework editions) and cym__cell_text, the only place numbers are rounded,
 * which the Markdown, HTML and Excel writers all read. Written by hand: bookkeeping.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "report/report_internal.h"

cym__table *cym__tb_new(cym__tctx *c, const char *id, size_t n_cols)
{
    cym__table *t = calloc(1, sizeof(*t));
    if (!t || !(t->cols = calloc(n_cols ? n_cols : 1, sizeof(cym__col)))) {
        free(t);
        c->oom = 1;
        return NULL;
    }
    t->id = id;
    t->n_cols = n_cols;
    return t;
}

void cym__tb_free(cym__table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i].s);
    for (size_t j = 0; j < t->n_cols; j++)
        free(t->cols[j].head);
    free(t->cells);
    free(t->cols);
    free(t->title);
    free(t->note);
    free(t);
}

char *cym__tb_dupf(cym__tctx *c, const char *fmt, ...)
{
    va_list ap;
    int len;
    char *s;
    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = len < 0 ? NULL : malloc((size_t)len + 1);
    if (!s) {
        c->oom = 1;
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    return s;
}

void cym__tb_col(cym__tctx *c, cym__table *t, size_t j, const char *head, cym__col_kind kind)
{
    t->cols[j].head = cym__tb_dupf(c, "%s", head);
    t->cols[j].kind = kind;
}

size_t cym__tb_row(cym__tctx *c, cym__table *t)
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? 2 * t->cap_rows : 16;
        if (cym__resize_array(&t->cells, cap * t->n_cols, sizeof(*t->cells)) < 0) {
            c->oom = 1;
            return (size_t)-1;
        }
        t->cap_rows = cap;
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        cym__cell *cell = &t->cells[t->n_rows * t->n_cols + j];
        cell->v = NAN;
        cell->s = NULL;
    }
    /* counted before its texts are allocated, so a failure half-way frees them with the
       table */
    t->n_rows++;
    for (size_t j = 0; j < t->n_cols; j++) {
        cym__cell *cell = &t->cells[(t->n_rows - 1) * t->n_cols + j];
        if (t->cols[j].kind == CYM__COL_TEXT && !(cell->s = cym__tb_dupf(c, "%s", "")))
            return (size_t)-1;
    }
    return t->n_rows - 1;
}

void cym__tb_num(cym__table *t, size_t i, size_t j, double v)
{
    if (i != (size_t)-1)
        t->cells[i * t->n_cols + j].v = v;
}

void cym__tb_text(cym__tctx *c, cym__table *t, size_t i, size_t j, const char *s)
{
    char *d;
    if (i == (size_t)-1)
        return;
    if (!(d = cym__tb_dupf(c, "%s", s ? s : "")))
        return;
    free(t->cells[i * t->n_cols + j].s);
    t->cells[i * t->n_cols + j].s = d;
}

void cym__tb_country_cols(cym__tctx *c, cym__table *t, size_t j)
{
    cym__tb_col(c, t, j, "Code", CYM__COL_TEXT);
    cym__tb_col(c, t, j + 1, "Country", CYM__COL_TEXT);
}

void cym__tb_country(cym__tctx *c, cym__table *t, size_t i, size_t j, size_t u)
{
    cym__tb_text(c, t, i, j, c->r->ds->units[u].code);
    cym__tb_text(c, t, i, j + 1, c->r->ds->units[u].name);
}

void cym__tables_free(cym__table **t, size_t n)
{
    if (!t)
        return;
    for (size_t i = 0; i < n; i++)
        cym__tb_free(t[i]);
    free(t);
}

const cym__table *cym__tables_find(cym__table *const *t, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i]->id, id) == 0)
            return t[i];
    return NULL;
}

void cym__cell_text(char *buf, size_t n, const cym__table *t, size_t row_i, size_t j, int decimals)
{
    const cym__cell *cell = &t->cells[row_i * t->n_cols + j];
    double v = cell->v;
    switch (t->cols[j].kind) {
    case CYM__COL_TEXT: snprintf(buf, n, "%s", cell->s ? cell->s : ""); return;
    default: break;
    }
    if (isnan(v)) {
        snprintf(buf, n, "\u2013"); /* en dash: no value */
        return;
    }
    switch (t->cols[j].kind) {
    case CYM__COL_SCORE: {
        double x = v;
        /* no "-0.0" */
        snprintf(buf, n, "%.*f", decimals, x);
        if (strspn(buf, "-0.") == strlen(buf) && buf[0] == '-')
            memmove(buf, buf + 1, strlen(buf));
        return;
    }
    case CYM__COL_RANK: snprintf(buf, n, "%.0f", v); return;
    case CYM__COL_PCT: snprintf(buf, n, "%.0f", v); return;
    case CYM__COL_P:
        if (v < 0.001)
            snprintf(buf, n, "<0.001");
        else
            snprintf(buf, n, "%.3f", v);
        return;
    case CYM__COL_CHANGE:
    case CYM__COL_RANK_CHANGE: {
        int d = t->cols[j].kind == CYM__COL_CHANGE ? decimals : 0;
        char num_s[64];
        snprintf(num_s, sizeof(num_s), "%.*f", d, fabs(v));
        /* the sign and arrow of the rounded value: +0.0 is no change */
        if (strspn(num_s, "0.") == strlen(num_s))
            snprintf(buf, n, "%s", num_s);
        else
            snprintf(buf, n, "%s%s %s", v > 0 ? "+" : "\u2212", num_s, v > 0 ? "\u25b2" : "\u25bc");
        return;
    }
    default: snprintf(buf, n, "?");
    }
}

void cym__tb_cols(cym__tctx *c, cym__table *t, size_t j, const cym__col_spec *spec, size_t n)
{
    for (size_t k = 0; k < n; k++)
        cym__tb_col(c, t, j + k, spec[k].head, spec[k].kind);
}

cym_status cym__tb_done(cym__table ***out, size_t *n, cym__table **t, size_t k, int oom,
                        cym_error *err)
{
    for (size_t i = 0; i < k; i++) {
        if (!t[i]->title || !t[i]->note)
            oom = 1;
        for (size_t j = 0; j < t[i]->n_cols; j++)
            if (!t[i]->cols[j].head)
                oom = 1;
    }
    if (oom) {
        cym__tables_free(t, k);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = t;
    *n = k;
    return CYM_OK;
}
