/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The machine tables of a run. They are the contract other programs read: numbers by cym_format_double
 * (so they read back to the identical double), missing values as empty cells, text quoted as
 * RFC 4180 wants, rows in a fixed order (countries as in countries.csv, years ascending, nodes
 * as in the framework), so two runs on the same inputs give the same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "cymetrics/experts.h"
#include "cymetrics/format.h"
#include "cymetrics/trend.h"
#include "io/csv.h"
#include "io/outdir.h"
#include "tables/tables.h"
#include "trend/trend_internal.h"

/*
 * One row of a large table, formatted in place at the end of its block (the rows of one unit
 * of work, written with one fwrite): the big tables have millions of short fields, and a
 * stdio call per field costs more than the formatting. A row is at most ROW_MAX bytes (a
 * data row: a prefix of 16, two texts of at most 203, five numbers of at most 25, the flags),
 * and ROW_MAX is reserved before it: the fields are written with no check of their own.
 * Country codes (three capital letters) go in as they are; other text through io's writer.
 */
#define ROW_MAX 1024

typedef struct line {
    char *buf; /* the row: the end of its block, or `spare` when the block is out of memory */
    size_t n;
    double last; /* the last number formatted, and its text: journeys repeat values */
    char last_text[32];
    size_t last_len;
    char spare[ROW_MAX];
} line;

static void ln_str(line *l, const char *s)
{
    size_t n = strlen(s);
    memcpy(l->buf + l->n, s, n);
    l->n += n;
}

static void ln_chr(line *l, char c)
{
    l->buf[l->n++] = c;
}

/* n bytes of s, which is readable for 32 bytes at least: a fixed-size copy when they fit (a
   call to memcpy per field cost as much as the copy) */
static void ln_copy(line *l, const char *s, size_t n)
{
    if (n <= 32)
        memcpy(l->buf + l->n, s, 32);
    else
        memcpy(l->buf + l->n, s, n);
    l->n += n;
}

/* A text field as io writes one (at most 203 bytes: codes are limited to 64, flags to 100). */
static void ln_text(line *l, const char *s)
{
    l->n += cym__csv_format_text(l->buf + l->n, s);
}

/* A number, formatted in place; a repeat of the last copied (32 bytes, a fixed size the
   compiler moves in two registers: the row has room for them) */
static void ln_num(line *l, double v)
{
    char *p = l->buf + l->n;
    if (isnan(v))
        return;
    if (v != l->last || signbit(v) != signbit(l->last)) {
        l->last_len = cym_format_double(p, v);
        l->last = v;
        memcpy(l->last_text, p, sizeof(l->last_text));
    } else {
        memcpy(p, l->last_text, sizeof(l->last_text));
    }
    l->n += l->last_len;
}

/* v[0..n) as n more fields, each after its comma (cym__csv_put_nums for a line). */
static void ln_nums(line *l, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ln_chr(l, ',');
        ln_num(l, v[i]);
    }
}

typedef cym__block block;

int cym__block_grow(cym__block *b, size_t len)
{
    if (b->oom)
        return 0;
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        char *p;
        while (cap < b->n + len)
            cap *= 2;
        p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return 0;
        }
        b->p = p;
        b->cap = cap;
    }
    return 1;
}

/* A new row at the end of b (in `spare` when b is out of memory: it is not written). */
static void ln_begin(line *l, block *b)
{
    l->buf = cym__block_reserve(b, ROW_MAX) ? b->p + b->n : l->spare;
    l->n = 0;
}

static void ln_end(line *l, block *b)
{
    l->buf[l->n++] = '\n';
    if (l->buf != l->spare)
        b->n += l->n;
}

static void ln_init(line *l)
{
    l->n = 0;
    l->last = NAN;
    l->last_len = 0;
}

static void ln_flags(line *l, unsigned flags)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{CYM_FLAG_DENOMINATED, "denominated"},
                 {CYM_FLAG_IMPUTED, "imputed"},
                 {CYM_FLAG_WIN_HIGH, "winsorised-high"},
                 {CYM_FLAG_WIN_LOW, "winsorised-low"},
                 {CYM_FLAG_LOG, "log"}};
    int first = 1;
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
        if (flags & names[i].bit) {
            if (!first)
                ln_chr(l, ';');
            ln_str(l, names[i].name);
            first = 0;
        }
}

typedef cym_status (*writer_fn)(FILE *f, const cym_results *r);

/* The nodes' codes as CSV fields, formatted once a table: a slot each, room for the longest
   (the framework's loader takes codes of at most 64 characters, cym__valid_code) and for the
   fixed 32-byte copy of ln_copy */
#define CODE_FIELD 136
_Static_assert(CYM__CSV_TEXT_MAX(64) <= CODE_FIELD && CODE_FIELD >= 32, "a code's slot");

/* What the rows of unit u in year t start with, and the codes they name */
typedef struct row_ctx {
    const cym_results *r;
    const char *codes; /* [node * CODE_FIELD]: the node's code as a field */
    const unsigned char *code_len;
    char prefix[32]; /* "CODE,YEAR," */
    size_t prefix_len;
} row_ctx;

/* Formats the rows of unit u in year t into b. */
typedef void (*unit_rows_fn)(const row_ctx *c, size_t u, size_t t, line *l, block *b);

cym_status cym__rows_write(FILE *f, size_t n, int parallel, cym__rows_fn fn, const void *ctx)
{
    int failed = 0;
#pragma omp parallel if (parallel && n > 1)
    {
        block b = {NULL, 0, 0, 0};
#pragma omp for ordered schedule(dynamic, 1)
        for (size_t i = 0; i < n; i++) {
            b.n = 0;
            fn(ctx, i, &b);
#pragma omp ordered
            {
                if (b.oom)
                    failed = 1;
                else if (b.n)
                    fwrite(b.p, 1, b.n, f);
            }
        }
        free(b.p);
    }
    return failed ? CYM_ENOMEM : CYM_OK;
}

typedef struct by_unit {
    row_ctx rc; /* without its prefix */
    unit_rows_fn fn;
} by_unit;

static void unit_rows(const void *ctx, size_t u, cym__block *b)
{
    const by_unit *c = ctx;
    row_ctx rc = c->rc;
    line l;
    ln_init(&l);
    for (size_t t = 0; t < rc.r->n_years; t++) {
        int n = snprintf(rc.prefix, 16, "%s,%d,", rc.r->ds->units[u].code,
                         rc.r->year0 + (int)t);
        rc.prefix_len = n < 16 ? (size_t)n : 15;
        c->fn(&rc, u, t, &l, b);
    }
}

/* A table of rows grouped by unit, then year: large runs format the units on every core. */
static cym_status write_by_unit(FILE *f, const cym_results *r, unit_rows_fn fn)
{
    size_t nn = r->n_nodes ? r->n_nodes : 1;
    char *codes = calloc(nn, CODE_FIELD);
    unsigned char *len = malloc(nn);
    by_unit c = {{r, codes, len, "", 0}, fn};
    int big = r->n_units * r->n_years * (r->n_nodes + r->n_ind) >= ((size_t)1 << 16);
    cym_status st = CYM_ENOMEM;
    if (codes && len) {
        for (size_t n = 0; n < r->n_nodes; n++)
            len[n] = (unsigned char)cym__csv_format_text(codes + n * CODE_FIELD,
                                                         r->fw->nodes[n].code);
        st = cym__rows_write(f, r->n_units, big, unit_rows, &c);
    }
    free(codes);
    free(len);
    return st;
}

static void score_rows(const row_ctx *c, size_t u, size_t t, line *l, block *b)
{
    const cym_results *r = c->r;
    const cym_framework *fw = r->fw;
    for (size_t n = 0; n < r->n_nodes; n++) {
        size_t cell = cym_cube_cell(&r->node_cube, u, t, n);
        ln_begin(l, b);
        ln_copy(l, c->prefix, c->prefix_len);
        ln_copy(l, c->codes + n * CODE_FIELD, c->code_len[n]);
        ln_nums(
            l,
            (const double[]){fw->nodes[n].level, r->score[cell], r->rank[cell], r->coverage[cell]},
            4);
        ln_end(l, b);
    }
}

static cym_status write_scores(FILE *f, const cym_results *r)
{
    fputs("country,year,code,level,score,rank,coverage\n", f);
    return write_by_unit(f, r, score_rows);
}

static cym_status write_index(FILE *f, const cym_results *r)
{
    const cym_framework *fw = r->fw;
    const cym_node *root = &fw->nodes[fw->root];
    size_t t = r->n_years - 1;
    size_t *order = malloc(r->n_units * sizeof(*order));
    if (!order)
        return CYM_ENOMEM;
    /* by rank (unranked last), then by country code */
    for (size_t i = 0; i < r->n_units; i++) {
        size_t j = i;
        double ri = r->rank[cym_cube_cell(&r->node_cube, i, t, fw->root)];
        while (j > 0) {
            size_t p = order[j - 1];
            double rp = r->rank[cym_cube_cell(&r->node_cube, p, t, fw->root)];
            int after = isnan(rp)
                            ? !isnan(ri) || strcmp(r->ds->units[p].code, r->ds->units[i].code) > 0
                        : isnan(ri) ? 0
                        : rp != ri  ? rp > ri
                                    : strcmp(r->ds->units[p].code, r->ds->units[i].code) > 0;
            if (!after)
                break;
            order[j] = p;
            j--;
        }
        order[j] = i;
    }
    fputs("rank,country,name,year,", f);
    cym__csv_put_text(f, root->code);
    for (size_t c = 0; c < root->n_children; c++) {
        fputc(',', f);
        cym__csv_put_text(f, fw->nodes[root->children[c]].code);
    }
    fputs(",tier,coverage,flagged\n", f);
    for (size_t i = 0; i < r->n_units; i++) {
        size_t u = order[i];
        int tier = r->tier[cym_cube_cell(&r->unit_cube, u, t, 0)];
        cym__csv_put_num(f, r->rank[cym_cube_cell(&r->node_cube, u, t, fw->root)]);
        fprintf(f, ",%s,", r->ds->units[u].code);
        cym__csv_put_text(f, r->ds->units[u].name);
        fprintf(f, ",%d,", r->year0 + (int)t);
        cym__csv_put_num(f, r->score[cym_cube_cell(&r->node_cube, u, t, fw->root)]);
        for (size_t c = 0; c < root->n_children; c++) {
            fputc(',', f);
            cym__csv_put_num(f, r->score[cym_cube_cell(&r->node_cube, u, t, root->children[c])]);
        }
        fputc(',', f);
        if (tier >= 0)
            cym__csv_put_text(f, r->opts.tiers[tier].label);
        cym__csv_put_nums(f, &r->coverage[cym_cube_cell(&r->node_cube, u, t, fw->root)], 1);
        fprintf(f, ",%d\n", cym_results_flagged(r, u, t));
    }
    free(order);
    return CYM_OK;
}

static void data_rows(const row_ctx *c, size_t u, size_t t, line *l, block *b)
{
    const cym_results *r = c->r;
    const cym_framework *fw = r->fw;
    for (size_t i = 0; i < r->n_ind; i++) {
        size_t k = cym_cube_cell(&r->ind_cube, u, t, i);
        size_t id = fw->indicators[i];
        ln_begin(l, b);
        ln_copy(l, c->prefix, c->prefix_len);
        ln_copy(l, c->codes + id * CODE_FIELD, c->code_len[id]);
        memcpy(l->buf + l->n, fw->nodes[id].direction < 0 ? ",-," : ",+,", 3);
        l->n += 3;
        ln_num(l, r->raw[k]);
        ln_nums(l,
                (const double[]){r->denominated[k], r->imputed[k], r->treated[k], r->normalised[k]},
                4);
        ln_chr(l, ',');
        ln_flags(l, r->flags[k]);
        ln_chr(l, ',');
        {
            /* the flag the country reported with the value (provisional, ...) */
            const cym_dataset *ds = r->ds;
            uint16_t fl = ds->flag_of[cym_dataset_cell(ds, u, t + (size_t)(r->year0 - ds->year0),
                                                       fw->indicators[i])];
            if (fl)
                ln_text(l, ds->flags[fl - 1].flag);
        }
        ln_end(l, b);
    }
}

static cym_status write_data(FILE *f, const cym_results *r)
{
    fputs("country,year,indicator,direction,raw,denominated,imputed,treated,normalised,flags,"
          "reported_flag\n",
          f);
    return write_by_unit(f, r, data_rows);
}

static cym_status write_treatment(FILE *f, const cym_results *r)
{
    fputs("indicator,year,n,skew_before,kurt_before,failed,winsorised_high,winsorised_low,"
          "log,skew_after,kurt_after\n",
          f);
    for (size_t k = 0; k < r->n_treat; k++) {
        const cym_treat_record *t = &r->treat[k];
        cym__csv_put_text(f, r->fw->nodes[r->fw->indicators[t->indicator]].code);
        if (t->year)
            fprintf(f, ",%d,", t->year);
        else
            fputs(",panel,", f);
        fprintf(f, "%zu", t->r.n);
        cym__csv_put_nums(f, (const double[]){t->r.skew_before, t->r.kurt_before}, 2);
        fprintf(f, ",%d,%zu,%zu,%d", t->r.failed, t->r.n_high, t->r.n_low, t->r.log_used);
        cym__csv_put_nums(f, (const double[]){t->r.skew_after, t->r.kurt_after}, 2);
        fputc('\n', f);
    }
    return CYM_OK;
}

static cym_status write_weights(FILE *f, const cym_results *r)
{
    const cym_framework *fw = r->fw;
    const cym_experts *x = fw->experts;
    fputs("code,parent,level,direction,framework_weight,weight,effective_weight", f);
    if (x) {
        /* expert weight sets (issue 9): the combined weight, each expert's, and the spread */
        fputs(",expert_weight", f);
        for (size_t e = 0; e < x->n_experts; e++) {
            fputc(',', f);
            cym__csv_put_text(f, x->names[e]);
        }
        fputs(",expert_min,expert_max,expert_sd,expert_iqr", f);
    }
    fputc('\n', f);
    for (size_t n = 0; n < fw->n_nodes; n++) {
        const cym_node *nd = &fw->nodes[n];
        cym__csv_put_text(f, nd->code);
        fputc(',', f);
        if (nd->parent >= 0)
            cym__csv_put_text(f, fw->nodes[nd->parent].code);
        fprintf(f, ",%d,%s", nd->level, nd->n_children ? "" : nd->direction < 0 ? "-" : "+");
        cym__csv_put_nums(f,
                          (const double[]){x ? x->framework_weight[n] : nd->weight, r->weight[n],
                                           r->eff_weight[n]},
                          3);
        if (x && n == fw->root) {
            for (size_t e = 0; e < x->n_experts + 5; e++)
                fputc(',', f);
        } else if (x) {
            const double *v = x->w + n * x->n_experts;
            double mn, mx, sd, iqr;
            cym__csv_put_nums(f, &x->combined[n], 1);
            cym__csv_put_nums(f, v, x->n_experts);
            cym_weights_spread(v, x->n_experts, &mn, &mx, &sd, &iqr);
            cym__csv_put_nums(f, (const double[]){mn, mx, sd, iqr}, 4);
        }
        fputc('\n', f);
    }
    return CYM_OK;
}

static cym_status write_tiers(FILE *f, const cym_results *r)
{
    const cym_framework *fw = r->fw;
    fputs("country,year,score,tier,next_tier,points_to_next\n", f);
    if (!r->opts.n_tiers)
        return CYM_OK;
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++) {
            size_t k = cym_cube_cell(&r->unit_cube, u, t, 0);
            int tier = r->tier[k];
            double s = r->score[cym_cube_cell(&r->node_cube, u, t, fw->root)];
            if (isnan(s))
                continue;
            fprintf(f, "%s,%d,", r->ds->units[u].code, r->year0 + (int)t);
            cym__csv_put_num(f, s);
            fputc(',', f);
            if (tier >= 0)
                cym__csv_put_text(f, r->opts.tiers[tier].label);
            fputc(',', f);
            /* the next tier up: the one above, or the lowest when below every threshold */
            if (tier != 0)
                cym__csv_put_text(
                    f, r->opts.tiers[tier > 0 ? tier - 1 : (int)r->opts.n_tiers - 1].label);
            cym__csv_put_nums(f, &r->tier_gap[k], 1);
            fputc('\n', f);
        }
    return CYM_OK;
}

static cym_status write_warnings(FILE *f, const cym_results *r)
{
    const char *w;
    for (size_t i = 0; (w = cym__trend_run_warning(r, i)) != NULL; i++)
        fprintf(f, "%s\n", w);
    return CYM_OK;
}

cym_status cym__tables_write(cym__outdir *od, const cym_results *r, cym_error *err)
{
    static const struct {
        const char *name;
        writer_fn fn;
    } tables[] = {{"scores.csv", write_scores},    {"index.csv", write_index},
                  {"data.csv", write_data},        {"treatment.csv", write_treatment},
                  {"weights.csv", write_weights},  {"tiers.csv", write_tiers},
                  {"goalposts.csv", cym_goalposts_write},
                  {"warnings.txt", write_warnings}};
    enum { n_tables = sizeof(tables) / sizeof(*tables) };
    FILE *files[n_tables] = {NULL};
    cym_status status[n_tables];
    cym_error errs[n_tables];
    cym_status st = CYM_OK;

    for (size_t i = 0; i < n_tables; i++)
        if ((st = cym__outdir_create(&files[i], od, tables[i].name, err)) < 0)
            goto cleanup;
    /* the large tables format their rows on every core themselves (write_by_unit) */
    for (size_t i = 0; i < n_tables; i++) {
        cym_error e;
        FILE *fi = files[i];
        files[i] = NULL;
        status[i] = tables[i].fn(fi, r);
        if (status[i] < 0) {
            fclose(fi);
            cym_error_set(&e, status[i], NULL, 0, 0, "out of memory");
        } else {
            status[i] = cym__outdir_close(od, fi, tables[i].name, &e);
        }
        if (status[i] < 0)
            errs[i] = e;
    }
    for (size_t i = 0; i < n_tables; i++)
        if (status[i] < 0) {
            if (err)
                *err = errs[i];
            st = status[i];
            goto cleanup;
        }

cleanup:
    for (size_t i = 0; i < n_tables; i++)
        if (files[i])
            fclose(files[i]);
    return st;
}
