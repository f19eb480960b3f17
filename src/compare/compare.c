/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Comparisons in the latest year of a run (the last selected year).
 *
 * compare.csv, per country and node: score and rank; the mean of the country's group (the
 * group column `compare-group`, default the first column of countries.csv; over the members
 * with a score) and the gap to it; the leader (rank 1; the first in countries.csv order when
 * several share it) and the gap to it (score - leader's, so <= 0); the percentile among the
 * countries with a score, 100 * (countries strictly lower) / (m - 1), the `percentile`
 * normalisation of METHODS.md section 4.
 *
 * strengths.csv: per country the N best and N worst indicators by rank, with their pillar
 * (the ancestor just below the index). An indicator on which the country shares its exact
 * score with more than half of the ranked countries (a binary law most countries have, say)
 * is skipped: a shared rank tells nothing about this country.
 *
 * Written by hand: these are plain counts and means over a column.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_internal.h"
#include "cymetrics/output.h"
#include "io/csv.h"

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

void cym_compare_percentile(double *out, const double *x, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(x[i]);
    for (size_t i = 0; i < n; i++) {
        size_t below = 0;
        if (isnan(x[i]) || m < 2) {
            out[i] = NAN;
            continue;
        }
        for (size_t j = 0; j < n; j++)
            below += !isnan(x[j]) && x[j] < x[i];
        out[i] = 100.0 * (double)below / (double)(m - 1);
    }
}

cym_status cym_compare_find_units(size_t *idx, const cym_dataset *ds, const char *const *codes,
                                  size_t n, cym_error *err)
{
    for (size_t i = 0; i < n; i++) {
        long u = cym_dataset_find_unit(ds, codes[i]);
        if (u < 0) {
            char list[CYM_ERROR_MESSAGE_MAX];
            size_t len = 0, shown = 0;
            list[0] = '\0';
            /* as many codes as fit in one message line */
            for (size_t k = 0; k < ds->n_units; k++) {
                if (len + 8 > 300)
                    break;
                len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", k ? ", " : "",
                                        ds->units[k].code);
                shown++;
            }
            if (shown < ds->n_units)
                snprintf(list + len, sizeof(list) - len, " and %zu more", ds->n_units - shown);
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "unknown country '%s' (the dataset has %s)", codes[i], list);
        }
        for (size_t k = 0; k < i; k++)
            if (idx[k] == (size_t)u)
                return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                     "country '%s' is named twice", codes[i]);
        idx[i] = (size_t)u;
    }
    return CYM_OK;
}

/* Ranked countries of node n in year t, and how many share unit u's score. */
static void tie_count(const cym_results *r, size_t u, size_t t, size_t n, size_t *ranked,
                      size_t *tied)
{
    double s = r->score[cym_results_node_cell(r, u, t, n)];
    *ranked = *tied = 0;
    for (size_t q = 0; q < r->n_units; q++) {
        size_t c = cym_results_node_cell(r, q, t, n);
        if (isnan(r->rank[c]))
            continue;
        (*ranked)++;
        *tied += r->score[c] == s;
    }
}

void cym_compare_strengths(size_t *strong, size_t *n_strong, size_t *weak, size_t *n_weak,
                           const cym_results *r, size_t u, size_t t, size_t n_max)
{
    const cym_framework *fw = r->fw;
    *n_strong = *n_weak = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t *out = pass ? weak : strong, *cnt = pass ? n_weak : n_strong;
        while (*cnt < n_max) {
            long best = -1;
            double best_rank = 0;
            for (size_t i = 0; i < fw->n_indicators; i++) {
                size_t nd = fw->indicators[i], ranked, tied;
                double rk = r->rank[cym_results_node_cell(r, u, t, nd)];
                int taken = 0;
                if (isnan(rk))
                    continue;
                for (size_t k = 0; k < *n_strong && !taken; k++)
                    taken = strong[k] == nd;
                for (size_t k = 0; pass && k < *n_weak && !taken; k++)
                    taken = weak[k] == nd;
                if (taken)
                    continue;
                /* strictly better only: ties keep framework order */
                if (best >= 0 && !(pass ? rk > best_rank : rk < best_rank))
                    continue;
                tie_count(r, u, t, nd, &ranked, &tied);
                if (2 * tied > ranked)
                    continue;
                best = (long)nd;
                best_rank = rk;
            }
            if (best < 0)
                break;
            out[(*cnt)++] = (size_t)best;
        }
    }
}

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

static void put_num(FILE *f, double v)
{
    char buf[32];
    fwrite(buf, 1, cym_format_double(buf, v), f);
}

/* The group column of compare.csv: -1 for "all". */
static long group_column(const cym_results *r, const cym_options *o)
{
    if (o->trend.group[0])
        return cym_dataset_find_group(r->ds, o->trend.group);
    return r->ds->n_group_cols ? 0 : -1;
}

static cym_status write_compare(FILE *f, const cym_results *r, const cym_options *o,
                                cym_error *err)
{
    const cym_framework *fw = r->fw;
    size_t t = r->n_years - 1, nu = r->n_units;
    long gc = group_column(r, o);
    double *x = calloc(nu ? nu : 1, sizeof(double)), *pct = calloc(nu ? nu : 1, sizeof(double));
    double *gmean = malloc((nu ? nu : 1) * sizeof(double));
    if (!x || !pct || !gmean) {
        free(x);
        free(pct);
        free(gmean);
        return nomem(err);
    }
    fputs("country,code,level,year,score,rank,group,group_mean,gap_to_group_mean,leader,"
          "leader_score,gap_to_leader,percentile\n",
          f);
    for (size_t n = 0; n < fw->n_nodes; n++) {
        long leader = -1;
        for (size_t u = 0; u < nu; u++) {
            size_t c = cym_results_node_cell(r, u, t, n);
            x[u] = r->score[c];
            if (r->rank[c] == 1 && leader < 0)
                leader = (long)u;
        }
        cym_compare_percentile(pct, x, nu);
        for (size_t u = 0; u < nu; u++) {
            double sum = 0;
            size_t m = 0;
            const char *g = gc >= 0 ? r->ds->units[u].groups[gc] : "";
            for (size_t q = 0; q < nu; q++)
                if (!isnan(x[q]) && (gc < 0 || strcmp(r->ds->units[q].groups[gc], g) == 0)) {
                    sum += x[q];
                    m++;
                }
            gmean[u] = m && (gc < 0 || g[0]) ? sum / (double)m : NAN;
        }
        for (size_t u = 0; u < nu; u++) {
            size_t c = cym_results_node_cell(r, u, t, n);
            double ls = leader >= 0 ? x[leader] : NAN;
            fprintf(f, "%s,", r->ds->units[u].code);
            cym__csv_put_text(f, fw->nodes[n].code);
            fprintf(f, ",%d,%d,", fw->nodes[n].level, r->year0 + (int)t);
            put_num(f, x[u]);
            fputc(',', f);
            put_num(f, r->rank[c]);
            fputc(',', f);
            if (gc < 0)
                fputs("all", f);
            else if (r->ds->units[u].groups[gc][0]) {
                char label[512];
                snprintf(label, sizeof(label), "%s=%s", r->ds->group_cols[gc],
                         r->ds->units[u].groups[gc]);
                cym__csv_put_text(f, label);
            }
            fputc(',', f);
            put_num(f, gmean[u]);
            fputc(',', f);
            put_num(f, x[u] - gmean[u]);
            fputc(',', f);
            if (leader >= 0)
                fputs(r->ds->units[leader].code, f);
            fputc(',', f);
            put_num(f, ls);
            fputc(',', f);
            put_num(f, x[u] - ls);
            fputc(',', f);
            put_num(f, pct[u]);
            fputc('\n', f);
        }
    }
    free(x);
    free(pct);
    free(gmean);
    return CYM_OK;
}

static cym_status write_strengths(FILE *f, const cym_results *r, const cym_options *o,
                                  cym_error *err)
{
    const cym_framework *fw = r->fw;
    size_t t = r->n_years - 1, nmax = (size_t)(o->trend.strengths_n > 0 ? o->trend.strengths_n : 3);
    size_t *strong = malloc(nmax * sizeof(size_t)), *weak = malloc(nmax * sizeof(size_t));
    if (!strong || !weak) {
        free(strong);
        free(weak);
        return nomem(err);
    }
    fputs("country,year,kind,position,indicator,pillar,score,rank,ranked,tied\n", f);
    for (size_t u = 0; u < r->n_units; u++) {
        size_t ns, nw;
        cym_compare_strengths(strong, &ns, weak, &nw, r, u, t, nmax);
        for (int pass = 0; pass < 2; pass++)
            for (size_t k = 0; k < (pass ? nw : ns); k++) {
                size_t nd = pass ? weak[k] : strong[k], ranked, tied;
                size_t c = cym_results_node_cell(r, u, t, nd);
                long p = pillar_of(fw, nd);
                tie_count(r, u, t, nd, &ranked, &tied);
                fprintf(f, "%s,%d,%s,%zu,", r->ds->units[u].code, r->year0 + (int)t,
                        pass ? "weakness" : "strength", k + 1);
                cym__csv_put_text(f, fw->nodes[nd].code);
                fputc(',', f);
                if (p >= 0)
                    cym__csv_put_text(f, fw->nodes[p].code);
                fputc(',', f);
                put_num(f, r->score[c]);
                fputc(',', f);
                put_num(f, r->rank[c]);
                fprintf(f, ",%zu,%zu\n", ranked, tied);
            }
    }
    free(strong);
    free(weak);
    return CYM_OK;
}

cym_status cym__compare_write_tables(cym__outdir *od, const cym_results *r, const cym_trends *tr,
                                     const cym_options *o, cym_error *err)
{
    static const char *const names[] = {"compare.csv", "strengths.csv"};
    cym_status st = CYM_OK;
    (void)tr;
    if (o->trend.group[0] && cym_dataset_find_group(r->ds, o->trend.group) < 0)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "compare-group '%s' is not a column of countries.csv",
                             o->trend.group);
    for (int i = 0; i < 2; i++) {
        FILE *f;
        if ((st = cym__outdir_create(&f, od, names[i], err)) < 0)
            return st;
        st = i == 0 ? write_compare(f, r, o, err) : write_strengths(f, r, o, err);
        if (st < 0) {
            fclose(f);
            return st;
        }
        if ((st = cym__outdir_close(od, f, names[i], err)) < 0)
            return st;
    }
    return CYM_OK;
}
