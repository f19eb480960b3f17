/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Goalposts files (docs/formats.md, "goalposts.csv"): every run writes the normalisation
 * bounds it used, per indicator, and `--goalposts FILE` reads such a file back so a later run
 * scales every year by the same bounds (docs/methodology.md, "Stable published scores").
 *
 * The bounds are kept in raw units in the file, as the OECD/JRC handbook states goalposts:
 * goal_lo is the raw value at the bottom of the range, goal_hi the one at the top (for a
 * lower-is-better indicator goal_lo > goal_hi), mean and sd the raw mean and sample sd.
 * Inside the engine they are on the direction-adjusted scale (raw * direction, METHODS.md
 * section 1); multiplying by -1 is exact and %.17g reads back to the same double, so a file
 * written and read again gives the same bounds to the last bit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "io/csv.h"
#include "pipeline/pipeline_internal.h"

static const char *const columns[] = {"indicator", "direction", "normalise", "years", "n",
                                      "goal_lo",   "goal_hi",   "mean",      "sd"};
enum { C_IND, C_DIR, C_NORM, C_YEARS, C_N, C_LO, C_HI, C_MEAN, C_SD, N_COLS };

/* ---- writing ------------------------------------------------------------------------------ */

cym_status cym_goalposts_write(FILE *f, const cym_results *r)
{
    const cym_framework *fw = r->fw;
    for (size_t c = 0; c < N_COLS; c++)
        fprintf(f, "%s%s", c ? "," : "", columns[c]);
    fputc('\n', f);
    for (size_t i = 0; i < r->n_ind; i++) {
        const cym_node *nd = &fw->nodes[fw->indicators[i]];
        double dir = (double)nd->direction;
        for (size_t s = 0; s < r->n_slices; s++) {
            const cym_norm_bounds *b = &r->bounds[i * r->n_slices + s];
            char years[32], norm[96];
            double lo = b->min * dir, hi = b->max * dir;
            if (r->opts.norm.method == CYM_NORM_GOALPOSTS) {
                /* the framework's goalposts are the bounds this method used */
                lo = nd->goal_lo;
                hi = nd->goal_hi;
            }
            cym_results_bounds_years(years, sizeof(years), r, s);
            cym_norm_spec_format(norm, sizeof(norm), &r->opts.norm);
            cym__csv_put_text(f, nd->code);
            fprintf(f, ",%c,", nd->direction < 0 ? '-' : '+');
            cym__csv_put_text(f, norm);
            fprintf(f, ",%s,%zu", years, b->n);
            cym__csv_put_nums(f, (const double[]){lo, hi, b->mean * dir, b->sd}, 4);
            fputc('\n', f);
        }
    }
    return ferror(f) ? CYM_EIO : CYM_OK;
}

/* ---- reading ------------------------------------------------------------------------------ */

typedef struct loader {
    const char *path;
    const cym_framework *fw;
    cym_goalposts *gp;
    long col[N_COLS];
    size_t n_cols;       /* fields of the header */
    unsigned long *line; /* [indicator position]: the row that gave it, 0 none yet */
    long *pos;           /* [node]: indicator position, -1 for an aggregate */
    int have_method;
} loader;

/* CYM_EDATA at field f of the file (L and err in scope) */
#define BAD(f, ...) cym_error_set(err, CYM_EDATA, L->path, (f)->line, (f)->col, __VA_ARGS__)

/* The number of column c (NaN when empty and !required). */
static cym_status number(double *out, const loader *L, const cym__csv_row *row, int c, int required,
                         const char *code, cym_error *err)
{
    const cym__csv_field *f = &row->f[L->col[c]];
    cym__num st = cym__parse_number(f->text, out);
    if (st == CYM_NUM_OK)
        return CYM_OK;
    if (st == CYM_NUM_MISSING && !required) {
        *out = NAN;
        return CYM_OK;
    }
    if (st == CYM_NUM_MISSING)
        return BAD(f, "%s of '%s' is empty: the normalisation needs it", columns[c], code);
    return BAD(f, "%s of '%s' is not a finite number: '%s'", columns[c], code, f->text);
}

static cym_status header(loader *L, const cym__csv_row *row, cym_error *err)
{
    L->n_cols = row->n;
    for (int c = 0; c < N_COLS; c++) {
        L->col[c] = cym__csv_col(row, columns[c]);
        if (L->col[c] < 0 && c != C_DIR && c != C_YEARS)
            return cym_error_set(err, CYM_EDATA, L->path, row->line, 1,
                                 "no column '%s' (a goalposts file has indicator, direction, "
                                 "normalise, years, n, goal_lo, goal_hi, mean, sd)",
                                 columns[c]);
    }
    return CYM_OK;
}

static cym_status data_row(loader *L, const cym__csv_row *row, cym_error *err)
{
    const cym_framework *fw = L->fw;
    cym_goalposts *gp = L->gp;
    const cym__csv_field *f;
    cym_norm_spec spec;
    cym_norm_bounds *b;
    const cym_node *nd;
    long node, n = 0;
    double dir, lo, hi, mean, sd;
    int needs_range;
    cym_status st;

    if (row->n != L->n_cols)
        return cym_error_set(err, CYM_EDATA, L->path, row->line, 1,
                             "this row has %zu fields, the header %zu", row->n, L->n_cols);
    f = &row->f[L->col[C_IND]];
    node = cym_framework_find(fw, f->text);
    if (node < 0 || L->pos[node] < 0)
        return BAD(f, "unknown indicator '%s': not an indicator of %s", f->text, fw->path);
    nd = &fw->nodes[node];
    if (L->line[L->pos[node]])
        return BAD(f,
                   "indicator '%s' has a second row (the first on line %lu): bounds per year "
                   "(--scope year) cannot be reused",
                   nd->code, L->line[L->pos[node]]);
    L->line[L->pos[node]] = row->line;

    f = &row->f[L->col[C_NORM]];
    if (cym_norm_spec_parse(&spec, f->text, err) < 0)
        return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                             "'%s' is not a normalisation method", f->text);
    if (!cym_norm_freezable(spec.method))
        return BAD(f,
                   "%s normalisation has no bounds to reuse (only minmax, dist2max and zscore "
                   "have)",
                   cym_norm_name(spec.method));
    if (L->have_method && spec.method != gp->method)
        return BAD(f, "normalisation %s differs from the %s of the rows above",
                   cym_norm_name(spec.method), cym_norm_name(gp->method));
    if (!L->have_method) {
        gp->line = f->line;
        gp->col = f->col;
    }
    gp->method = spec.method;
    L->have_method = 1;

    if (L->col[C_DIR] >= 0) {
        f = &row->f[L->col[C_DIR]];
        if (f->text[0] && strcmp(f->text, nd->direction < 0 ? "-" : "+") != 0)
            return BAD(f,
                       "direction '%s' of '%s' is not the framework's: bounds of the other "
                       "direction would turn the scale around",
                       f->text, nd->code);
    }
    if (L->col[C_YEARS] >= 0 && !gp->years[0])
        snprintf(gp->years, sizeof(gp->years), "%s", row->f[L->col[C_YEARS]].text);

    f = &row->f[L->col[C_N]];
    if (cym__parse_long(f->text, 0, 2147483647L, &n) < 0)
        return BAD(f, "n of '%s' is not a whole number >= 0: '%s'", nd->code, f->text);
    if (n == 0)
        return BAD(f, "indicator '%s' had no values where these bounds were computed", nd->code);
    needs_range = spec.method != CYM_NORM_ZSCORE;
    if ((st = number(&lo, L, row, C_LO, needs_range, nd->code, err)) < 0 ||
        (st = number(&hi, L, row, C_HI, needs_range, nd->code, err)) < 0 ||
        (st = number(&mean, L, row, C_MEAN, !needs_range, nd->code, err)) < 0 ||
        (st = number(&sd, L, row, C_SD, !needs_range, nd->code, err)) < 0)
        return st;
    dir = (double)nd->direction;
    b = &gp->bounds[L->pos[node]];
    b->n = (size_t)n;
    b->min = lo * dir;
    b->max = hi * dir;
    b->mean = mean * dir;
    b->sd = sd;
    if (needs_range && b->min > b->max)
        return BAD(&row->f[L->col[C_LO]],
                   "goal_lo and goal_hi of '%s' are in the wrong order for direction %s "
                   "(goal_lo scores the bottom of the range)",
                   nd->code, nd->direction < 0 ? "- (goal_lo must be the larger)" : "+");
    if (!needs_range && !(b->sd >= 0))
        return BAD(&row->f[L->col[C_SD]], "sd of '%s' is negative", nd->code);
    return CYM_OK;
}

static cym_status on_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    loader *L = ctx;
    return row->index == 0 ? header(L, row, err) : data_row(L, row, err);
}

void cym_goalposts_free(cym_goalposts *gp)
{
    if (!gp)
        return;
    free(gp->bounds);
    free(gp);
}

cym_status cym_goalposts_load(cym_goalposts **out, const char *path, const cym_framework *fw,
                              cym_error *err)
{
    loader L;
    cym__csv_opts o = {0};
    cym_goalposts *gp = calloc(1, sizeof(*gp));
    cym_status st = CYM_OK;

    *out = NULL;
    memset(&L, 0, sizeof(L));
    L.path = path;
    L.fw = fw;
    L.gp = gp;
    L.line = calloc(fw->n_indicators + 1, sizeof(*L.line));
    L.pos = malloc((fw->n_nodes + 1) * sizeof(*L.pos));
    if (gp)
        gp->bounds = calloc(fw->n_indicators + 1, sizeof(*gp->bounds));
    if (!gp || !gp->bounds || !L.line || !L.pos) {
        st = cym__nomem(err);
        goto cleanup;
    }
    snprintf(gp->path, sizeof(gp->path), "%s", path);
    gp->fw = fw;
    for (size_t k = 0; k < fw->n_nodes; k++)
        L.pos[k] = -1;
    for (size_t i = 0; i < fw->n_indicators; i++)
        L.pos[fw->indicators[i]] = (long)i;
    o.sha256 = gp->digest.sha256;
    o.bytes = &gp->digest.bytes;
    if ((st = cym__csv_read(path, &o, on_row, &L, err)) < 0)
        goto cleanup;
    if (!L.n_cols) {
        st = cym_error_set(err, CYM_EDATA, path, 1, 1, "the goalposts file is empty");
        goto cleanup;
    }
    for (size_t i = 0; i < fw->n_indicators; i++)
        if (!L.line[i]) {
            const cym_node *nd = &fw->nodes[fw->indicators[i]];
            st =
                cym_error_set(err, CYM_EDATA, fw->path, nd->line, 1,
                              "indicator '%s' has no row in the goalposts file %s", nd->code, path);
            goto cleanup;
        }

cleanup:
    free(L.line);
    free(L.pos);
    if (st < 0) {
        cym_goalposts_free(gp);
        return st;
    }
    *out = gp;
    return CYM_OK;
}
