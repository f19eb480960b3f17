/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * yoy.csv and trends.csv: the trends of a run as machine tables (numbers by cym_format_double, missing as
 * empty cells, countries in countries.csv order then the group rows, nodes in framework
 * order, years ascending). Large tables are formatted row by row on every core and written in
 * order, so the bytes never depend on the number of threads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_internal.h"
#include "cymetrics/format.h"
#include "io/csv.h"
#include "tables/tables.h"

/* A growable text block: one country's rows. */
typedef struct blk {
    char *p;
    size_t n, cap;
    int oom;
} blk;

/* Room for `len` more bytes; 0 when out of memory. */
static int reserve(blk *b, size_t len)
{
    if (b->oom)
        return 0;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *p;
        while (cap < b->n + len + 1)
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

static void put(blk *b, const char *s, size_t len)
{
    if (!reserve(b, len))
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
    if (reserve(b, CYM__CSV_TEXT_MAX(strlen(s))))
        b->n += cym__csv_format_text(b->p + b->n, s);
}

static void num(blk *b, double v)
{
    char buf[32];
    put(b, buf, cym_format_double(buf, v));
}

static void comma(blk *b)
{
    put(b, ",", 1);
}

static const char *row_label(const cym_trends *tr, size_t row)
{
    return row < tr->r->n_units ? tr->r->ds->units[row].code : tr->labels[row - tr->r->n_units];
}

static const char *basis_name(const cym_trends *tr)
{
    return tr->basis == CYM_TREND_BASIS_COMMON ? "common" : "all";
}

typedef void (*row_fn)(const cym_trends *tr, size_t row, blk *b);

static cym_status by_row(FILE *f, const cym_trends *tr, row_fn fn)
{
    int failed = 0;
    const cym_results *r = tr->r;
    int big = tr->n_rows > 1 && tr->n_rows * r->n_nodes * r->n_years >= ((size_t)1 << 16);
#pragma omp parallel if (big)
    {
        blk b = {NULL, 0, 0, 0};
#pragma omp for ordered schedule(dynamic, 1)
        for (size_t row = 0; row < tr->n_rows; row++) {
            b.n = 0;
            fn(tr, row, &b);
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

static void yoy_rows(const cym_trends *tr, size_t row, blk *b)
{
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

static void trend_rows(const cym_trends *tr, size_t row, blk *b)
{
    const cym_results *r = tr->r;
    const char *label = row_label(tr, row);
    char buf[64];
    double v[CYM__TREND_NUMS];
    for (size_t n = 0; n < r->n_nodes; n++) {
        const cym_trend_stats *s = &tr->stats[row * r->n_nodes + n];
        text(b, label);
        comma(b);
        text(b, r->fw->nodes[n].code);
        if (s->n)
            snprintf(buf, sizeof(buf), ",%d,%d,%zu,", s->first_year, s->last_year, s->n);
        else
            snprintf(buf, sizeof(buf), ",,,0,");
        puts_(b, buf);
        cym__trend_numbers(v, s);
        for (size_t i = 0; i < CYM__TREND_NUMS; i++) {
            if (i)
                comma(b);
            num(b, v[i]);
        }
        comma(b);
        puts_(b, cym_trend_direction_name(s->direction));
        comma(b);
        puts_(b, basis_name(tr));
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

cym_status cym__trend_write(cym__outdir *od, const cym_results *r, const cym_trends *tr,
                            const cym_trend_spec *spec, cym_error *err)
{
    static const char *const names[] = {"yoy.csv", "trends.csv"};
    cym_status st;
    FILE *f = NULL;

    /* yoy.csv only on request (--yoy on): at 2,000 x 500 x 20 it is 2.2 GB, and on the basis
       `all` its country rows follow from scores.csv (docs/formats.md) */
    for (int i = spec->yoy ? 0 : 1; i < 2; i++) {
        if ((st = cym__outdir_create(&f, od, names[i], err)) < 0)
            goto cleanup;
        st = i == 0 ? write_yoy(f, tr) : write_trends(f, tr);
        if (st < 0) {
            fclose(f);
            cym_error_set(err, st, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        if ((st = cym__outdir_close(od, f, names[i], err)) < 0)
            goto cleanup;
    }
    st = cym__compare_write_tables(od, r, tr, spec, err);
cleanup:
    return st;
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
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
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
