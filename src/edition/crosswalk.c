/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The crosswalk between framework editions: `old_code,new_code,factor`, one row per indicator
 * that changed (renamed, rescaled, or dropped with `old_code,`). Indicators with the same code
 * in consecutive editions need no row. factor rescales the old raw values to the new scale
 * (0-1 -> 0-100: factor 100); it must be a finite number > 0 (a negative factor would turn the
 * direction round, which belongs in the framework). Only the form is checked here; the codes
 * are checked against the editions by cym_editions_load.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/util.h"
#include "cymetrics/edition.h"
#include "io/csv.h"

typedef struct cw_loader {
    cym_crosswalk *cw;
    const char *path;
    long c_old, c_new, c_factor;
    size_t n_header, cap;
} cw_loader;

static cym_status cw_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    cw_loader *L = ctx;
    cym_crosswalk_entry *e;
    const cym__csv_field *fo, *fn = NULL, *ff = NULL;
    double factor = 1.0;

    if (row->index == 0) {
        L->c_old = cym__csv_col(row, "old_code");
        L->c_new = cym__csv_col(row, "new_code");
        L->c_factor = cym__csv_col(row, "factor");
        L->n_header = row->n;
        if (L->c_old < 0 || L->c_new < 0)
            return cym_error_set(err, CYM_EDATA, L->path, row->line, 1,
                                 "missing required column '%s' (expected old_code, new_code, "
                                 "factor)",
                                 L->c_old < 0 ? "old_code" : "new_code");
        for (size_t i = 0; i < row->n; i++)
            if ((long)i != L->c_old && (long)i != L->c_new && (long)i != L->c_factor)
                return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[i].col,
                                     "unknown column '%s' (expected old_code, new_code, factor)",
                                     row->f[i].text);
        return CYM_OK;
    }
    /* "old_code," (no equivalent) may stop before the factor column */
    if (row->n > L->n_header || row->n < 2)
        return cym_error_set(err, CYM_EDATA, L->path, row->line,
                             row->n > L->n_header ? row->f[L->n_header].col : 1,
                             "row has %zu field%s, the header has %zu", row->n,
                             row->n == 1 ? "" : "s", L->n_header);
    fo = (size_t)L->c_old < row->n ? &row->f[L->c_old] : NULL;
    if ((size_t)L->c_new < row->n)
        fn = &row->f[L->c_new];
    if (L->c_factor >= 0 && (size_t)L->c_factor < row->n)
        ff = &row->f[L->c_factor];
    if (!fo || !cym__valid_code(fo->text))
        return cym_error_set(err, CYM_EDATA, L->path, row->line, fo ? fo->col : 1,
                             "invalid old code '%s' (1-64 characters of A-Z a-z 0-9 _ . -)",
                             fo ? fo->text : "");
    if (fn && fn->text[0] && !cym__valid_code(fn->text))
        return cym_error_set(err, CYM_EDATA, L->path, fn->line, fn->col,
                             "invalid new code '%s' (1-64 characters of A-Z a-z 0-9 _ . -)",
                             fn->text);
    if (ff && ff->text[0]) {
        if (!fn || !fn->text[0])
            return cym_error_set(err, CYM_EDATA, L->path, ff->line, ff->col,
                                 "factor of '%s', which has no new code (a dropped indicator "
                                 "has no factor)",
                                 fo->text);
        if (cym__parse_number(ff->text, &factor) != CYM_NUM_OK || !(factor > 0) ||
            isinf(factor))
            return cym_error_set(err, CYM_EDATA, L->path, ff->line, ff->col,
                                 "factor '%s' of '%s' is not a number > 0 (new value = old "
                                 "value x factor, e.g. 100 for 0-1 to 0-100)",
                                 ff->text, fo->text);
    }
    for (size_t i = 0; i < L->cw->n; i++)
        if (strcmp(L->cw->e[i].old_code, fo->text) == 0)
            return cym_error_set(err, CYM_EDATA, L->path, fo->line, fo->col,
                                 "old code '%s' appears twice (first on line %lu)", fo->text,
                                 L->cw->e[i].line);
    if (cym__grow_array(&L->cw->e, &L->cap, L->cw->n, sizeof(*L->cw->e), 16) < 0)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    e = &L->cw->e[L->cw->n];
    memset(e, 0, sizeof(*e));
    e->old_code = cym__strdup(fo->text);
    e->new_code = fn && fn->text[0] ? cym__strdup(fn->text) : NULL;
    e->factor = factor;
    e->line = row->line;
    e->col_new = fn ? fn->col : 1;
    L->cw->n++;
    if (!e->old_code || (fn && fn->text[0] && !e->new_code))
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    return CYM_OK;
}

cym_status cym_crosswalk_load(cym_crosswalk **out, const char *path, cym_error *err)
{
    cw_loader L;
    cym_status st;
    *out = NULL;
    memset(&L, 0, sizeof(L));
    L.cw = calloc(1, sizeof(*L.cw));
    if (!L.cw || !(L.cw->path = cym__strdup(path))) {
        cym_crosswalk_free(L.cw);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    L.path = path;
    st = cym__csv_read(path, NULL, cw_row, &L, err);
    if (st >= 0 && L.n_header == 0)
        st = cym_error_set(err, CYM_EDATA, path, 1, 0,
                           "the file is empty; expected a header (old_code, new_code, factor)");
    if (st < 0) {
        cym_crosswalk_free(L.cw);
        return st;
    }
    *out = L.cw;
    return CYM_OK;
}

void cym_crosswalk_free(cym_crosswalk *cw)
{
    if (!cw)
        return;
    for (size_t i = 0; i < cw->n; i++) {
        free(cw->e[i].old_code);
        free(cw->e[i].new_code);
    }
    free(cw->e);
    free(cw->path);
    free(cw);
}
