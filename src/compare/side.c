/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `cymetrics compare A B [C...]`: a few countries side by side in the latest year: score and
 * rank of the index and every aggregate, the trend direction of each (Mann-Kendall, as in
 * trends.csv) and the indicators where they differ most. The gap is A - B for two countries
 * and the spread (highest - lowest) for more. The table is returned as text; the library
 * does not print.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/compare.h"
#include "cymetrics/trend.h"
#include "io/csv.h"
#include "io/outdir.h"

#define SHOW_GAPS 5

static double gap_of(const cym_results *r, const size_t *units, size_t n, size_t t, size_t nd)
{
    double lo = INFINITY, hi = -INFINITY;
    if (n == 2)
        return r->score[cym_cube_cell(&r->node_cube, units[0], t, nd)] -
               r->score[cym_cube_cell(&r->node_cube, units[1], t, nd)];
    for (size_t i = 0; i < n; i++) {
        double s = r->score[cym_cube_cell(&r->node_cube, units[i], t, nd)];
        if (isnan(s))
            return NAN;
        lo = s < lo ? s : lo;
        hi = s > hi ? s : hi;
    }
    return n ? hi - lo : NAN;
}

static int depth_of(const cym_framework *fw, size_t nd)
{
    int d = 0;
    for (long p = fw->nodes[nd].parent; p >= 0; p = fw->nodes[p].parent)
        d++;
    return d;
}

static void write_csv(FILE *f, const cym_results *r, const cym_trends *tr, const size_t *units,
                      size_t n)
{
    const cym_framework *fw = r->fw;
    size_t t = r->n_years - 1;
    fputs("code,level,year", f);
    for (size_t i = 0; i < n; i++) {
        const char *c = r->ds->units[units[i]].code;
        fprintf(f, ",%s_score,%s_rank,%s_trend", c, c, c);
    }
    fputs(",gap\n", f);
    for (size_t nd = 0; nd < fw->n_nodes; nd++) {
        cym__csv_put_text(f, fw->nodes[nd].code);
        fprintf(f, ",%d,%d", fw->nodes[nd].level, r->year0 + (int)t);
        for (size_t i = 0; i < n; i++) {
            size_t c = cym_cube_cell(&r->node_cube, units[i], t, nd);
            cym__csv_put_nums(f, (const double[]){r->score[c], r->rank[c]}, 2);
            fprintf(f, ",%s",
                    cym_trend_direction_name(tr->stats[units[i] * r->n_nodes + nd].direction));
        }
        cym__csv_put_nums(f, (const double[]){gap_of(r, units, n, t, nd)}, 1);
        fputc('\n', f);
    }
}

static void write_table(FILE *f, const cym_results *r, const cym_trends *tr,
                        const size_t *units, size_t n)
{
    const cym_framework *fw = r->fw;
    size_t t = r->n_years - 1;
    size_t top[SHOW_GAPS], n_top = 0;

    fprintf(f, "%-28s", "");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %14s", r->ds->units[units[i]].code);
    fprintf(f, "\n%-28s", "score (rank), year");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %14d", r->year0 + (int)t);
    fputc('\n', f);
    for (size_t nd = 0; nd < fw->n_nodes; nd++) {
        char name[64];
        if (!fw->nodes[nd].n_children)
            continue; /* the index and the pillars; indicators are in the CSV file */
        snprintf(name, sizeof(name), "%*s%s", 2 * depth_of(fw, nd), "", fw->nodes[nd].code);
        fprintf(f, "%-28s", name);
        for (size_t i = 0; i < n; i++) {
            size_t c = cym_cube_cell(&r->node_cube, units[i], t, nd);
            char cell[32];
            if (isnan(r->score[c]))
                snprintf(cell, sizeof(cell), "-");
            else
                snprintf(cell, sizeof(cell), "%.1f (%.0f)", r->score[c], r->rank[c]);
            fprintf(f, "  %14s", cell);
        }
        fputc('\n', f);
    }
    {
        const cym_trend_stats *s0 = &tr->stats[units[0] * r->n_nodes + fw->root];
        char head[64];
        snprintf(head, sizeof(head), "trend of %s", fw->nodes[fw->root].code);
        fprintf(f, "%-28s", head);
        (void)s0;
        for (size_t i = 0; i < n; i++) {
            const cym_trend_stats *s = &tr->stats[units[i] * r->n_nodes + fw->root];
            const char *d = cym_trend_direction_name(s->direction);
            fprintf(f, "  %14s",
                    s->direction == CYM_TREND_FLAT ? "none" : d[0] ? d : "-");
        }
        fputc('\n', f);
        fprintf(f, "%-28s", "  change per year (OLS)");
        for (size_t i = 0; i < n; i++) {
            const cym_trend_stats *s = &tr->stats[units[i] * r->n_nodes + fw->root];
            char cell[32];
            if (isnan(s->ols.slope))
                snprintf(cell, sizeof(cell), "-");
            else
                snprintf(cell, sizeof(cell), "%+.2f", s->ols.slope);
            fprintf(f, "  %14s", cell);
        }
        fputc('\n', f);
    }
    /* the indicators with the largest gaps (absolute), framework order among equals */
    for (size_t i = 0; i < fw->n_indicators; i++) {
        size_t nd = fw->indicators[i], k;
        double g = fabs(gap_of(r, units, n, t, nd));
        if (isnan(g) || g == 0)
            continue;
        for (k = n_top; k > 0 && fabs(gap_of(r, units, n, t, top[k - 1])) < g; k--)
            if (k < SHOW_GAPS)
                top[k] = top[k - 1];
        if (k < SHOW_GAPS) {
            top[k] = nd;
            if (n_top < SHOW_GAPS)
                n_top++;
        }
    }
    if (n_top) {
        if (n == 2)
            fprintf(f, "biggest gaps (%s - %s):\n", r->ds->units[units[0]].code,
                    r->ds->units[units[1]].code);
        else
            fputs("biggest gaps (highest - lowest):\n", f);
        for (size_t k = 0; k < n_top; k++)
            fprintf(f, "  %-26s  %+14.1f  %s\n", fw->nodes[top[k]].code,
                    gap_of(r, units, n, t, top[k]), fw->nodes[top[k]].name);
    }
}

cym_status cym_compare_countries(char **table, const cym_results *r, const cym_trend_spec *spec,
                                 const size_t *units, size_t n, const char *outdir,
                                 cym_error *err)
{
    cym_trends *tr = NULL;
    cym__outdir od;
    char name[256];
    size_t len = 0, size = 0;
    FILE *f = NULL, *mem = NULL;
    cym_status st;

    *table = NULL;
    memset(&od, 0, sizeof(od));
    if (n < 1 || !r->n_years)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "name at least one country");
    len = (size_t)snprintf(name, sizeof(name), "compare");
    for (size_t i = 0; i < n && len + 5 < sizeof(name); i++)
        len += (size_t)snprintf(name + len, sizeof(name) - len, "_%s", r->ds->units[units[i]].code);
    if (len + 5 >= sizeof(name))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "too many countries to compare");
    snprintf(name + len, sizeof(name) - len, ".csv");
    if ((st = cym_trends_compute(&tr, r, spec, err)) < 0)
        return st;
    if ((st = cym__outdir_open(&od, outdir, err)) < 0 ||
        (st = cym__outdir_create(&f, &od, name, err)) < 0)
        goto cleanup;
    write_csv(f, r, tr, units, n);
    if ((st = cym__outdir_close(&od, f, name, err)) < 0)
        goto cleanup;
    if ((st = cym__outdir_commit(&od, err)) < 0)
        goto cleanup;
    mem = open_memstream(table, &size);
    if (!mem) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    write_table(mem, r, tr, units, n);
    if (fclose(mem) != 0) {
        free(*table);
        *table = NULL;
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
cleanup:
    cym__outdir_free(&od);
    cym_trends_free(tr);
    return st;
}
