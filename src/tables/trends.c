/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * yoy.csv and trends.csv: the trends of a run as machine tables (numbers by cym_format_double,
 * missing as empty cells, countries in countries.csv order then the group rows, nodes in
 * framework order, years ascending); compare.csv and strengths.csv, the comparisons in the
 * latest year (src/compare/compare.c says what they hold). Large tables are formatted on every
 * core (trends.csv a row of the trends at a time, compare.csv a node) and written in order
 * (cym__rows_write), so the bytes never depend on the number of threads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/compare.h"
#include "cymetrics/format.h"
#include "io/csv.h"
#include "tables/tables.h"

typedef cym__block blk;

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

static inline void put(blk *b, const char *s, size_t len)
{
    if (!cym__block_reserve(b, len))
        return;
    memcpy(b->p + b->n, s, len);
    b->n += len;
}

static void puts_(blk *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A text field as io writes one (group labels may hold blanks, commas, quotes, `=`...). */
static void text(blk *b, const char *s)
{
    if (cym__block_reserve(b, CYM__CSV_TEXT_MAX(strlen(s))))
        b->n += cym__csv_format_text(b->p + b->n, s);
}

/* A number, formatted straight into the block (cym_format_double takes 32 bytes); NaN (a
   statistic that does not apply: most of a one-year series' row) is an empty cell, without a
   call. */
static inline void num(blk *b, double v)
{
    if (isnan(v) || !cym__block_reserve(b, 32))
        return;
    b->n += cym_format_double(b->p + b->n, v);
}

/* A whole number (a year, a count): exact in a double, written by the formatter's integer
   path, not by printf. */
static void inum(blk *b, long long v)
{
    num(b, (double)v);
}

static inline void comma(blk *b)
{
    if (cym__block_reserve(b, 1))
        b->p[b->n++] = ',';
}

/* Again the bytes of b from `at` on (`len` of them): a field already formatted in this block
   (a row's label, a value that repeats), copied instead of formatted again. */
static void again(blk *b, size_t at, size_t len)
{
    if (cym__block_reserve(b, len))
        memcpy(b->p + b->n, b->p + at, len);
    b->n += b->oom ? 0 : len;
}

static const char *row_label(const cym_trends *tr, size_t row)
{
    return row < tr->r->n_units ? tr->r->ds->units[row].code : tr->labels[row - tr->r->n_units];
}

static const char *basis_name(const cym_trends *tr)
{
    return tr->basis == CYM_TREND_BASIS_COMMON ? "common" : "all";
}

/* A table of rows grouped by trend row (country, then group row): formatted on every core
   when large. */
static cym_status by_row(FILE *f, const cym_trends *tr, cym__rows_fn fn)
{
    const cym_results *r = tr->r;
    return cym__rows_write(f, tr->n_rows,
                           tr->n_rows * r->n_nodes * r->n_years >= ((size_t)1 << 16), fn, tr);
}

static void yoy_rows(const void *ctx, size_t row, blk *b)
{
    const cym_trends *tr = ctx;
    const cym_results *r = tr->r;
    const char *label = row_label(tr, row);
    int country = row < r->n_units;
    int common = country && tr->pair_cur;
    const double *ser = cym_trends_row(tr, row);
    char year[16];
    for (size_t n = 0; n < r->n_nodes; n++) {
        long prev = -1;
        for (size_t t = 0; t < r->n_years; t++) {
            size_t cell = cym_trends_cell(tr, row, t, n);
            /* the years come from the run's scores (countries) or the group series */
            double here = country ? r->score[cym_cube_cell(&r->node_cube, row, t, n)]
                                  : ser[t * r->n_nodes + n];
            double cur, pre, rk = NAN, prk = NAN;
            if (isnan(here))
                continue;
            if (prev < 0) {
                prev = (long)t;
                continue;
            }
            if (common) {
                cur = tr->pair_cur[cell];
                pre = tr->pair_prev[cell];
            } else {
                cur = ser[t * r->n_nodes + n];
                pre = ser[(size_t)prev * r->n_nodes + n];
            }
            if (country) {
                rk = r->rank[cym_cube_cell(&r->node_cube, row, t, n)];
                prk = r->rank[cym_cube_cell(&r->node_cube, row, (size_t)prev, n)];
            }
            text(b, label);
            comma(b);
            text(b, r->fw->nodes[n].code);
            snprintf(year, sizeof(year), ",%d,", r->year0 + (int)t);
            puts_(b, year);
            num(b, cur);
            snprintf(year, sizeof(year), ",%d,", r->year0 + (int)prev);
            puts_(b, year);
            num(b, pre);
            comma(b);
            num(b, cur - pre);
            comma(b);
            num(b, cym_trend_pct_change(pre, cur));
            comma(b);
            num(b, rk);
            comma(b);
            num(b, prk);
            comma(b);
            num(b, prk - rk);
            comma(b);
            puts_(b, basis_name(tr));
            put(b, "\n", 1);
            prev = (long)t;
        }
    }
}

static void trend_rows(const void *ctx, size_t row, blk *b)
{
    const cym_trends *tr = ctx;
    const cym_results *r = tr->r;
    const char *basis = basis_name(tr);
    size_t label_at = b->n, label_len, basis_len = strlen(basis), first_at = 0, first_len = 0;
    double v[CYM__TREND_NUMS];
    text(b, row_label(tr, row));
    label_len = b->n - label_at;
    for (size_t n = 0; n < r->n_nodes; n++) {
        const cym_trend_stats *s = &tr->stats[row * r->n_nodes + n];
        if (n)
            again(b, label_at, label_len);
        comma(b);
        text(b, r->fw->nodes[n].code);
        comma(b);
        if (s->n) {
            inum(b, s->first_year);
            comma(b);
            inum(b, s->last_year);
        } else
            comma(b);
        comma(b);
        inum(b, (long long)s->n);
        comma(b);
        cym__trend_numbers(v, s);
        for (size_t i = 0; i < CYM__TREND_NUMS; i++) {
            size_t at;
            if (i)
                comma(b);
            at = b->n;
            /* last is first in a series of one year: the same bits, the same text */
            if (i == 1 && !memcmp(&v[1], &v[0], sizeof(double)))
                again(b, first_at, first_len);
            else
                num(b, v[i]);
            if (i == 0) {
                first_at = at;
                first_len = b->n - at;
            }
        }
        comma(b);
        puts_(b, cym_trend_direction_name(s->direction));
        comma(b);
        put(b, basis, basis_len);
        put(b, "\n", 1);
    }
}

/* The rows of yoy.csv / trends.csv with their header. CYM_ENOMEM. */
static cym_status write_yoy(FILE *f, const cym_trends *tr)
{
    fputs("country,code,year,score,prev_year,prev_score,change,pct_change,rank,prev_rank,"
          "rank_change,basis\n",
          f);
    return by_row(f, tr, yoy_rows);
}

static cym_status write_trends(FILE *f, const cym_trends *tr)
{
    fputs("country,code,first_year,last_year,n,first,last,change,cagr_pct,prc_change,ols_slope,"
          "ols_se,ols_ci_lo,ols_ci_hi,ols_p,theil_sen,mk_s,mk_z,mk_p,kendall_tau,direction,"
          "basis\n",
          f);
    return by_row(f, tr, trend_rows);
}

/* ---- compare.csv and strengths.csv (the comparisons of src/compare) ---------------------- */

/* The ancestor just below the root (the pillar), or -1 for the root and its children. */
static long pillar_of(const cym_framework *fw, size_t n)
{
    long p = (long)n;
    if (fw->nodes[n].parent < 0)
        return -1;
    while (fw->nodes[p].parent >= 0 && (size_t)fw->nodes[p].parent != fw->root)
        p = fw->nodes[p].parent;
    return p == (long)n && (size_t)fw->nodes[n].parent == fw->root ? -1 : p;
}

/* The group column of compare.csv: -1 for "all". */
static long group_column(const cym_results *r, const cym_trend_spec *spec)
{
    if (spec->group[0])
        return cym_dataset_find_group(r->ds, spec->group);
    return r->ds->n_group_cols ? 0 : -1;
}

/* compare.csv's rows of a node: one item per node, its countries in order */
typedef struct cmp_ctx {
    const cym_results *r;
    long gc;                /* the group column, -1 for "all" */
    const size_t *gid;      /* [unit]: its group as the group's first member */
    const char *group;      /* the group cells of the units, as written, one after the other */
    const size_t *group_at; /* [unit + 1]: where each unit's starts in `group` */
} cmp_ctx;

/* v, or again the text of the same value formatted earlier in this block: *at is where it was
   (SIZE_MAX: not yet), *len its length. The leader's score and a group's mean repeat on every
   row of a node. */
static void num_once(blk *b, double v, size_t *at, size_t *len)
{
    if (*at != SIZE_MAX) {
        again(b, *at, *len);
        return;
    }
    *at = b->n;
    num(b, v);
    *len = b->n - *at;
}

static void compare_rows(const void *ctx, size_t n, blk *b)
{
    const cmp_ctx *c = ctx;
    const cym_results *r = c->r;
    const cym_framework *fw = r->fw;
    size_t t = r->n_years - 1, nu = r->n_units, code_at = 0, code_len = 0;
    size_t ls_at = SIZE_MAX, ls_len = 0;
    long leader = -1;
    double *x = calloc(5 * (nu ? nu : 1), sizeof(double));
    double *pct = x + nu, *gmean = pct + nu, *sum = gmean + nu, *cnt = sum + nu;
    size_t *gm_at = malloc(2 * (nu ? nu : 1) * sizeof(size_t)), *gm_len = gm_at + nu;
    double ls;
    if (!x || !gm_at) {
        free(x);
        free(gm_at);
        b->oom = 1;
        return;
    }
    for (size_t u = 0; u < nu; u++) {
        size_t cell = cym_cube_cell(&r->node_cube, u, t, n);
        x[u] = r->score[cell];
        if (r->rank[cell] == 1 && leader < 0)
            leader = (long)u;
    }
    ls = leader >= 0 ? x[leader] : NAN;
    cym_compare_percentile(pct, x, nu);
    /* sums per group (gid: the first member), in country order as a serial sum */
    for (size_t u = 0; u < nu; u++) {
        sum[u] = cnt[u] = 0;
        gm_at[u] = SIZE_MAX;
    }
    for (size_t u = 0; u < nu; u++)
        if (!isnan(x[u])) {
            sum[c->gid[u]] += x[u];
            cnt[c->gid[u]] += 1;
        }
    for (size_t u = 0; u < nu; u++) {
        int grouped = c->gc < 0 || r->ds->units[u].groups[c->gc][0];
        gmean[u] = cnt[c->gid[u]] > 0 && grouped ? sum[c->gid[u]] / cnt[c->gid[u]] : NAN;
    }
    for (size_t u = 0; u < nu; u++) {
        puts_(b, r->ds->units[u].code);
        /* ",code,level,year,": the same on every row of the node, formatted once */
        if (u == 0) {
            code_at = b->n;
            comma(b);
            text(b, fw->nodes[n].code);
            comma(b);
            inum(b, fw->nodes[n].level);
            comma(b);
            inum(b, r->year0 + (int)t);
            comma(b);
            code_len = b->n - code_at;
        } else
            again(b, code_at, code_len);
        num(b, x[u]);
        comma(b);
        num(b, r->rank[cym_cube_cell(&r->node_cube, u, t, n)]);
        comma(b);
        put(b, c->group + c->group_at[u], c->group_at[u + 1] - c->group_at[u]);
        comma(b);
        num_once(b, gmean[u], &gm_at[c->gid[u]], &gm_len[c->gid[u]]);
        comma(b);
        num(b, x[u] - gmean[u]);
        comma(b);
        if (leader >= 0)
            puts_(b, r->ds->units[leader].code);
        comma(b);
        num_once(b, ls, &ls_at, &ls_len);
        comma(b);
        num(b, x[u] - ls);
        comma(b);
        num(b, pct[u]);
        put(b, "\n", 1);
    }
    free(gm_at);
    free(x);
}

static cym_status write_compare(FILE *f, const cym_results *r, const cym_trend_spec *spec,
                                cym_error *err)
{
    size_t nu = r->n_units;
    cmp_ctx c = {r, group_column(r, spec), NULL, NULL, NULL};
    size_t *gid = malloc((nu ? nu : 1) * sizeof(size_t)),
           *group_at = malloc((nu + 1) * sizeof(size_t));
    blk group = {NULL, 0, 0, 0};
    cym_status st;
    if (!gid || !group_at) {
        st = nomem(err);
        goto cleanup;
    }
    /* each country's group as the first country of that group (one pass per new value), and
       its group cell as written ("all", "col=value", or empty) */
    for (size_t u = 0; u < nu; u++) {
        gid[u] = u;
        group_at[u] = group.n;
        if (c.gc < 0) {
            gid[u] = 0;
            puts_(&group, "all");
            continue;
        }
        for (size_t q = 0; q < u; q++)
            if (gid[q] == q &&
                strcmp(r->ds->units[q].groups[c.gc], r->ds->units[u].groups[c.gc]) == 0) {
                gid[u] = q;
                break;
            }
        if (r->ds->units[u].groups[c.gc][0]) {
            char label[512];
            snprintf(label, sizeof(label), "%s=%s", r->ds->group_cols[c.gc],
                     r->ds->units[u].groups[c.gc]);
            text(&group, label);
        }
    }
    group_at[nu] = group.n;
    if (group.oom) {
        st = nomem(err);
        goto cleanup;
    }
    c.gid = gid;
    c.group = group.p ? group.p : "";
    c.group_at = group_at;
    fputs("country,code,level,year,score,rank,group,group_mean,gap_to_group_mean,leader,"
          "leader_score,gap_to_leader,percentile\n",
          f);
    /* a node's rows are every country's: a few thousand rows are worth a second core */
    st = cym__rows_write(f, r->n_nodes, nu * r->n_nodes >= ((size_t)1 << 12), compare_rows, &c);
    if (st < 0)
        st = nomem(err);
cleanup:
    free(group.p);
    free(group_at);
    free(gid);
    return st;
}

static cym_status write_strengths(FILE *f, const cym_results *r, const cym_trend_spec *spec,
                                  cym_error *err)
{
    const cym_framework *fw = r->fw;
    size_t t = r->n_years - 1, nmax = (size_t)(spec->strengths_n > 0 ? spec->strengths_n : 3);
    size_t *strong = malloc(nmax * sizeof(size_t)), *weak = malloc(nmax * sizeof(size_t));
    cym_compare_ties *ties = NULL;
    cym_status st = CYM_OK;
    if (!strong || !weak) {
        st = nomem(err);
        goto cleanup;
    }
    if ((st = cym_compare_ties_count(&ties, r, t, err)) < 0)
        goto cleanup;
    fputs("country,year,kind,position,indicator,pillar,score,rank,ranked,tied\n", f);
    for (size_t u = 0; u < r->n_units; u++) {
        size_t ns, nw;
        cym_compare_strengths(strong, &ns, weak, &nw, ties, u, nmax);
        for (int pass = 0; pass < 2; pass++)
            for (size_t k = 0; k < (pass ? nw : ns); k++) {
                size_t nd = pass ? weak[k] : strong[k], pos = 0;
                size_t c = cym_cube_cell(&r->node_cube, u, t, nd);
                long p = pillar_of(fw, nd);
                while (fw->indicators[pos] != nd)
                    pos++;
                fprintf(f, "%s,%d,%s,%zu,", r->ds->units[u].code, r->year0 + (int)t,
                        pass ? "weakness" : "strength", k + 1);
                cym__csv_put_text(f, fw->nodes[nd].code);
                fputc(',', f);
                if (p >= 0)
                    cym__csv_put_text(f, fw->nodes[p].code);
                cym__csv_put_nums(f, (const double[]){r->score[c], r->rank[c]}, 2);
                fprintf(f, ",%zu,%zu\n", cym_compare_ties_ranked(ties, pos),
                        cym_compare_ties_tied(ties, u, pos));
            }
    }
cleanup:
    cym_compare_ties_free(ties);
    free(strong);
    free(weak);
    return st;
}

cym_status cym__compare_write(cym__outdir *od, const cym_results *r, const cym_trend_spec *spec,
                              cym_error *err)
{
    static const char *const names[] = {"compare.csv", "strengths.csv"};
    cym_status st = CYM_OK;
    if (spec->group[0] && cym_dataset_find_group(r->ds, spec->group) < 0)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "compare-group '%s' is not a column of countries.csv",
                             spec->group);
    for (int i = 0; i < 2; i++) {
        FILE *f;
        if ((st = cym__outdir_create(&f, od, names[i], err)) < 0)
            return st;
        st = i == 0 ? write_compare(f, r, spec, err) : write_strengths(f, r, spec, err);
        if (st < 0) {
            fclose(f);
            return st;
        }
        if ((st = cym__outdir_close(od, f, names[i], err)) < 0)
            return st;
    }
    return CYM_OK;
}

cym_status cym__trend_write_series(cym__outdir *od, const cym_trends *tr,
                                   const cym_trend_spec *spec, cym_error *err)
{
    static const char *const names[] = {"yoy.csv", "trends.csv"};
    cym_status st;
    FILE *f = NULL;

    /* yoy.csv only on request (--yoy on): at 2,000 x 500 x 20 it is 2.2 GB, and on the basis
       `all` its country rows follow from scores.csv (docs/formats.md) */
    for (int i = spec->yoy ? 0 : 1; i < 2; i++) {
        if ((st = cym__outdir_create(&f, od, names[i], err)) < 0)
            return st;
        st = i == 0 ? write_yoy(f, tr) : write_trends(f, tr);
        if (st < 0) {
            fclose(f);
            return nomem(err);
        }
        if ((st = cym__outdir_close(od, f, names[i], err)) < 0)
            return st;
    }
    return CYM_OK;
}

cym_status cym__trend_write(cym__outdir *od, const cym_results *r, const cym_trends *tr,
                            const cym_trend_spec *spec, cym_error *err)
{
    cym_status st = cym__trend_write_series(od, tr, spec, err);
    return st < 0 ? st : cym__compare_write(od, r, spec, err);
}

cym_status cym_trends_write(const cym_results *r, const cym_trend_spec *spec, const char *outdir,
                            cym_warnings *warnings, cym_error *err)
{
    cym__outdir od;
    cym_trends *tr = NULL;
    const char *w = cym_trend_scope_warning(r);
    cym_status st;
    memset(&od, 0, sizeof(od));
    if (w && warnings && cym_warnings_add(warnings, "%s", w) < 0)
        return nomem(err);
    if ((st = cym_trends_compute(&tr, r, spec, err)) < 0 ||
        (st = cym__outdir_open(&od, outdir, err)) < 0 ||
        (st = cym__trend_write(&od, r, tr, spec, err)) < 0)
        goto cleanup;
    st = cym__outdir_commit(&od, err);
cleanup:
    cym__outdir_free(&od);
    cym_trends_free(tr);
    return st;
}

const char *const cym__trend_number_names[CYM__TREND_NUMS] = {
    "first",     "last",   "change",    "cagr_pct",  "prc_change",
    "ols_slope", "ols_se", "ols_ci_lo", "ols_ci_hi", "ols_p",
    "theil_sen", "mk_s",   "mk_z",      "mk_p",      "kendall_tau"};

void cym__trend_numbers(double v[CYM__TREND_NUMS], const cym_trend_stats *s)
{
    /* cagr in percent, as pct_change and prc_change (docs/formats.md, "Units of columns") */
    const double x[CYM__TREND_NUMS] = {s->first,      s->last,      s->change,    s->cagr * 100.0,
                                       s->prc_change, s->ols.slope, s->ols.se,    s->ols.ci_lo,
                                       s->ols.ci_hi,  s->ols.p,     s->theil_sen, s->mk.s,
                                       s->mk.z,       s->mk.p,      s->mk.tau_b};
    memcpy(v, x, sizeof(x));
}
