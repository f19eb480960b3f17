/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a run with framework editions writes (src/edition/ computes it): each edition's folder
 * as an ordinary run of its framework writes it, and at the top the joined tables on the
 * comparable basis (editions_index.csv, yoy.csv, trends.csv, editions.csv), the warnings, the
 * check of published totals and the manifest, all one result set (set.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "cymetrics/edition.h"
#include "cymetrics/run.h"
#include "cymetrics/plot.h"
#include "cymetrics/trend.h"
#include "io/csv.h"
#include "io/hash.h"
#include "io/outdir.h"
#include "report/report_internal.h"
#include "run/run_internal.h"
#include "tables/tables.h"

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- output ----------------------------------------------------------------------------- */

static const char *const basis_names[] = {"common", "rebased", "percentile"};

static void write_scores(FILE *f, const void *arg)
{
    const cym_editions *e = arg;
    fputs("country,year,code,level,score,rank,coverage,edition\n", f);
    for (size_t u = 0; u < e->n_units; u++)
        for (size_t t = 0; t < e->n_years; t++) {
            int k = e->edition_of[t];
            const cym_results *r;
            size_t rt;
            if (k < 0)
                continue;
            r = e->ed[k].res;
            rt = (size_t)(e->year0 + (int)t - r->year0);
            for (size_t n = 0; n < r->n_nodes; n++) {
                size_t cell = cym_cube_cell(&r->node_cube, u, rt, n);
                fprintf(f, "%s,%d,", r->ds->units[u].code, e->year0 + (int)t);
                cym__csv_put_text(f, r->fw->nodes[n].code);
                fprintf(f, ",%d", r->fw->nodes[n].level);
                cym__csv_put_nums(
                    f, (const double[]){r->score[cell], r->rank[cell], r->coverage[cell]}, 3);
                fprintf(f, ",%s\n", e->ed[k].label);
            }
        }
}

static void write_editions(FILE *f, const void *arg)
{
    const cym_editions *e = arg;
    fputs("edition,year_from,year_to,framework,indicators,index,max_score,first_year,"
          "last_year\n",
          f);
    for (size_t k = 0; k < e->n; k++) {
        const cym_edition *ed = &e->ed[k];
        fprintf(f, "%s,", ed->label);
        if (ed->year_from)
            fprintf(f, "%d", ed->year_from);
        fputc(',', f);
        if (ed->year_to)
            fprintf(f, "%d", ed->year_to);
        fputc(',', f);
        cym__csv_put_text(f, ed->fw->path);
        fprintf(f, ",%zu,", ed->fw->n_indicators);
        cym__csv_put_text(f, ed->fw->nodes[ed->fw->root].code);
        cym__csv_put_nums(f, &ed->max_score, 1);
        if (ed->res)
            fprintf(f, ",%d,%d\n", ed->res->year0, ed->res->year0 + (int)ed->res->n_years - 1);
        else
            fputs(",,\n", f);
    }
}

static const char *root_code(const cym_editions *e, int k)
{
    return e->ed[k].fw->nodes[e->ed[k].fw->root].code;
}

/* code of node n of the newest framework in a row of edition k (the index: k's own code) */
static const char *node_code(const cym_editions *e, size_t n, int k)
{
    const cym_framework *nf = e->ed[e->n - 1].fw;
    return n == nf->root ? root_code(e, k) : nf->nodes[n].code;
}

/* rows: country, then node in the newest framework's order, then year */
static void write_series(FILE *f, const void *arg)
{
    const cym_editions *e = arg;
    size_t nu = e->n_units, ny = e->n_years;
    fputs("country,year,edition,code,score,basis,basis_score,basis_rank\n", f);
    for (size_t u = 0; u < nu; u++)
        for (size_t n = 0; n < e->n_nodes; n++)
            for (size_t t = 0; t < ny; t++) {
                int k = e->edition_of[t];
                size_t c = (n * nu + u) * ny + t;
                if (k < 0 || !e->node_on[n] || (isnan(e->node_own[c]) && isnan(e->node_basis[c])))
                    continue;
                fprintf(f, "%s,%d,%s,", e->ed[k].ds->units[u].code, e->year0 + (int)t,
                        e->ed[k].label);
                cym__csv_put_text(f, node_code(e, n, k));
                cym__csv_put_nums(f, &e->node_own[c], 1);
                fprintf(f, ",%s", basis_names[e->across]);
                cym__csv_put_nums(f, (const double[]){e->node_basis[c], e->node_rank[c]}, 2);
                fputc('\n', f);
            }
}

static void write_yoy(FILE *f, const void *arg)
{
    const cym_editions *e = arg;
    fputs("country,code,year,edition,score,prev_year,prev_edition,prev_score,change,pct_change,"
          "rank,prev_rank,rank_change,basis,break\n",
          f);
    for (size_t u = 0; u < e->n_units; u++)
        for (size_t n = 0; n < e->n_nodes; n++) {
            const double *bs = e->node_basis + (n * e->n_units + u) * e->n_years;
            const double *rk = e->node_rank + (n * e->n_units + u) * e->n_years;
            long prev = -1;
            if (!e->node_on[n])
                continue;
            for (size_t t = 0; t < e->n_years; t++) {
                size_t p;
                int k = e->edition_of[t], pk;
                if (k < 0 || isnan(bs[t]))
                    continue;
                if (prev < 0) {
                    prev = (long)t;
                    continue;
                }
                p = (size_t)prev;
                pk = e->edition_of[prev];
                fprintf(f, "%s,", e->ed[k].ds->units[u].code);
                cym__csv_put_text(f, node_code(e, n, k));
                fprintf(f, ",%d,%s", e->year0 + (int)t, e->ed[k].label);
                cym__csv_put_nums(f, &bs[t], 1);
                fprintf(f, ",%d,%s", e->year0 + (int)prev, e->ed[pk].label);
                cym__csv_put_nums(f,
                                  (const double[]){bs[p], bs[t] - bs[p],
                                                   cym_trend_pct_change(bs[p], bs[t]), rk[t], rk[p],
                                                   rk[p] - rk[t]},
                                  6);
                fprintf(f, ",%s,%d\n", basis_names[e->across], pk != k);
                prev = (long)t;
            }
        }
}

/* What trends.csv is written from: the editions, the level of `direction`, and room for one
   series (years ty, values yy) of n_years points. */
typedef struct trends_of {
    const cym_editions *e;
    double level;
    double *ty, *yy;
} trends_of;

static void write_trends(FILE *f, const void *arg)
{
    const trends_of *a = arg;
    const cym_editions *e = a->e;
    double *ty = a->ty, *yy = a->yy;
    fputs("country,code,first_year,last_year,n,first,last,change,cagr_pct,prc_change,ols_slope,"
          "ols_se,ols_ci_lo,ols_ci_hi,ols_p,theil_sen,mk_s,mk_z,mk_p,kendall_tau,direction,"
          "basis,breaks\n",
          f);
    for (size_t u = 0; u < e->n_units; u++)
        for (size_t nd = 0; nd < e->n_nodes; nd++) {
            const double *bs = e->node_basis + (nd * e->n_units + u) * e->n_years;
            size_t n = 0;
            cym_trend_stats s;
            double v[CYM__TREND_NUMS];
            int sep = 0;
            if (!e->node_on[nd])
                continue;
            for (size_t t = 0; t < e->n_years; t++)
                if (e->edition_of[t] >= 0 && !isnan(bs[t])) {
                    ty[n] = e->year0 + (int)t;
                    yy[n++] = bs[t];
                }
            cym_trend_series(&s, ty, yy, n, a->level);
            fprintf(f, "%s,", e->ed[e->n - 1].ds->units[u].code);
            cym__csv_put_text(f, node_code(e, nd, (int)e->n - 1));
            if (n)
                fprintf(f, ",%d,%d,%zu,", s.first_year, s.last_year, s.n);
            else
                fputs(",,,0,", f);
            cym__trend_numbers(v, &s);
            cym__csv_put_num(f, v[0]);
            cym__csv_put_nums(f, v + 1, CYM__TREND_NUMS - 1);
            fprintf(f, ",%s,%s,", cym_trend_direction_name(s.direction), basis_names[e->across]);
            for (size_t b = 0; b < e->n_breaks && n; b++)
                if (e->break_years[b] > s.first_year && e->break_years[b] <= s.last_year) {
                    fprintf(f, "%s%d", sep ? ";" : "", e->break_years[b]);
                    sep = 1;
                }
            fputc('\n', f);
        }
}

/* every warning of the run, in warnings.txt's order: the editions', then each edition's
   dataset's and run's */
static cym_status collect_warnings(cym_warnings *w, const cym_editions *e, cym_error *err)
{
    int bad = 0;
    for (size_t i = 0; i < e->warnings.count; i++)
        bad |= cym_warnings_add(w, "%s", e->warnings.lines[i]) < 0;
    for (size_t k = 0; k < e->n; k++) {
        for (size_t i = 0; i < e->ed[k].ds->warnings.count; i++)
            bad |= cym_warnings_add(w, "edition %s: %s", e->ed[k].label,
                                    e->ed[k].ds->warnings.lines[i]) < 0;
        for (size_t i = 0; e->ed[k].res && i < e->ed[k].res->warnings.count; i++)
            bad |= cym_warnings_add(w, "edition %s: %s", e->ed[k].label,
                                    e->ed[k].res->warnings.lines[i]) < 0;
    }
    return bad ? nomem(err) : CYM_OK;
}

static void write_warnings(FILE *f, const void *arg)
{
    const cym_warnings *w = arg;
    for (size_t i = 0; i < w->count; i++)
        fprintf(f, "%s\n", w->lines[i]);
}

cym_status cym_run_write_check(FILE *f, const cym_check *c, const cym_dataset *ds)
{
    fputs("country,year,edition,series,node,published,computed,difference,status\n", f);
    for (size_t i = 0; i < c->n; i++) {
        const cym_check_row *r = &c->rows[i];
        fprintf(f, "%s,%d,%s,", ds->units[r->unit].code, r->year, r->edition);
        cym__csv_put_text(f, r->series);
        fputc(',', f);
        cym__csv_put_text(f, r->node);
        cym__csv_put_nums(f, (const double[]){r->published, r->computed, r->difference}, 3);
        fprintf(f, ",%s\n", r->status);
    }
    return CYM_OK;
}

/* check_total.csv: a check and the dataset of its countries */
typedef struct check_of {
    const cym_check *c;
    const cym_dataset *ds;
} check_of;

static void write_check(FILE *f, const void *arg)
{
    cym_run_write_check(f, ((const check_of *)arg)->c, ((const check_of *)arg)->ds);
}

/*
 * The top folder's manifest.json: each edition's manifest as in its own folder (settings,
 * years, inputs with their SHA-256) under "editions", the crosswalk with its SHA-256, the
 * comparable basis, and the run time, so that every table of the folder says where its
 * numbers came from.
 */
static cym_status build_manifest(json_t **out, const cym_editions *e, const cym_run_options *o,
                                 cym_error *err)
{
    json_t *root = json_object(), *eds = json_array(), *years = json_array(), *rt = json_object();
    cym_status st = CYM_OK;
    static const char *const basis[] = {"common", "rebased", "percentile"};

    *out = NULL;
    if (!root || !eds || !years || !rt)
        goto nomem;
    json_object_set_new(root, "program", json_string("cymetrics"));
    json_object_set_new(root, "version", json_string(CYM_VERSION));
    json_object_set_new(root, "dataset", json_string(o->report.output.name));
    json_array_append_new(years, json_integer(e->year0));
    json_array_append_new(years, json_integer(e->year0 + (int)e->n_years - 1));
    json_object_set(root, "years", years);
    json_object_set_new(root, "across_editions", json_string(basis[e->across]));
    for (size_t k = 0; k < e->n; k++) {
        json_t *m;
        if (!e->ed[k].res)
            continue;
        if ((st = cym__manifest_build(&m, e->ed[k].res, &o->report.provenance, err)) < 0)
            goto cleanup;
        json_object_set_new(m, "edition", json_string(e->ed[k].label));
        json_object_set_new(m, "folder", json_sprintf("edition-%s", e->ed[k].label));
        json_array_append_new(eds, m);
    }
    json_object_set(root, "editions", eds);
    if (e->cw) {
        char hex[65], rel[CYM_PATH_MAX];
        size_t bytes;
        if ((st = cym__sha256_file(hex, &bytes, e->cw->path, err)) < 0)
            goto cleanup;
        json_object_set_new(root, "crosswalk",
                            json_pack("{s:s, s:I, s:s}", "path",
                                      o->report.provenance.base &&
                                              cym__path_relative(rel, sizeof(rel), e->cw->path,
                                                                 o->report.provenance.base) == 0
                                          ? rel
                                          : e->cw->path,
                                      "bytes", (json_int_t)bytes, "sha256", hex));
    }
    json_object_set_new(rt, "seconds", json_real(o->seconds));
    if (json_object_set(root, "run_time", rt) == 0) {
        *out = root;
        root = NULL;
        goto cleanup;
    }
nomem:
    st = nomem(err);
cleanup:
    json_decref(root);
    json_decref(eds);
    json_decref(years);
    json_decref(rt);
    return st;
}

/*
 * What the joined folder's human tables, charts and report read (cym__across) and the memory
 * it owns: each year's own rank, read from its edition's run; the comparable series as a run
 * of the newest framework with the index only (as the charts draw it, when there are two
 * years or more); the editions; every warning.
 */
typedef struct across_of {
    cym__across a;
    double *own_rank;
    cym_results cr;
    cym__across_edition ed[CYM_MAX_EDITIONS];
    cym_warnings warnings;
} across_of;

static void across_free(across_of *x)
{
    free(x->own_rank);
    free(x->cr.score);
    free(x->cr.rank);
    free(x->cr.tier);
    cym_warnings_clear(&x->warnings);
}

/* the comparable series as a run of the newest framework `last` with the index only */
static cym_status basis_run(cym_results *cr, const cym_editions *e, const cym_edition *last,
                            cym_error *err)
{
    size_t nn = last->fw->n_nodes, cells;
    cr->ds = last->ds;
    cr->fw = last->fw;
    cr->settings = last->res->settings;
    cr->year0 = e->year0;
    cr->n_years = e->n_years;
    cr->n_units = e->n_units;
    cr->n_nodes = nn;
    cr->n_ind = last->fw->n_indicators;
    cr->opts = last->res->opts; /* tiers and the normalisation's range, as the charts read them */
    cr->ind_cube = (cym_cube){e->n_units, e->n_years, cr->n_ind};
    cr->node_cube = (cym_cube){e->n_units, e->n_years, nn};
    cr->unit_cube = (cym_cube){e->n_units, e->n_years, 1};
    cells = cym_cube_cells(&cr->node_cube);
    cr->score = malloc(cells * sizeof(double));
    cr->rank = malloc(cells * sizeof(double));
    cr->tier = malloc(e->n_units * e->n_years * sizeof(int));
    cr->break_years = e->break_years;
    cr->n_breaks = e->n_breaks;
    if (!cr->score || !cr->rank || !cr->tier)
        return nomem(err);
    for (size_t i = 0; i < cells; i++)
        cr->score[i] = cr->rank[i] = NAN;
    for (size_t u = 0; u < e->n_units; u++)
        for (size_t t = 0; t < e->n_years; t++) {
            size_t c = cym_cube_cell(&cr->node_cube, u, t, last->fw->root);
            cr->score[c] = e->basis[u * e->n_years + t];
            cr->rank[c] = e->basis_rank[u * e->n_years + t];
            cr->tier[cym_cube_cell(&cr->unit_cube, u, t, 0)] = -1;
        }
    return CYM_OK;
}

/* x->a.last stays NULL when no edition has a year of the data */
static cym_status across_make(across_of *x, const cym_editions *e, cym_error *err)
{
    const cym_edition *last = NULL;
    size_t cells = e->n_units * e->n_years, n_ed = 0;
    cym_status st;

    memset(x, 0, sizeof(*x));
    for (size_t k = 0; k < e->n; k++)
        if (e->ed[k].res) {
            last = &e->ed[k];
            x->ed[n_ed++] = (cym__across_edition){e->ed[k].label, e->ed[k].res};
        }
    if (!last)
        return CYM_OK;
    if ((st = collect_warnings(&x->warnings, e, err)) < 0)
        return st;
    if (!(x->own_rank = malloc((cells ? cells : 1) * sizeof(double))))
        return nomem(err);
    for (size_t u = 0; u < e->n_units; u++)
        for (size_t t = 0; t < e->n_years; t++) {
            int k = e->edition_of[t];
            const cym_results *r = k >= 0 ? e->ed[k].res : NULL;
            int rt = r ? e->year0 + (int)t - r->year0 : -1;
            x->own_rank[u * e->n_years + t] =
                r && rt >= 0 && (size_t)rt < r->n_years
                    ? r->rank[cym_cube_cell(&r->node_cube, u, (size_t)rt, r->fw->root)]
                    : NAN;
        }
    if (e->n_years >= 2 && (st = basis_run(&x->cr, e, last, err)) < 0)
        return st;
    x->a = (cym__across){last->res,
                         e->year0,
                         e->n_years,
                         e->own,
                         x->own_rank,
                         e->basis,
                         e->basis_rank,
                         basis_names[e->across],
                         e->n_years >= 2 ? &x->cr : NULL,
                         x->ed,
                         n_ed,
                         e->cw ? e->cw->path : NULL,
                         &x->warnings};
    return CYM_OK;
}

/* tables.md and tables.html of the index across the editions */
static cym_status write_across(cym__outdir *od, const cym_editions *e, const cym_run_options *o,
                               cym_error *err)
{
    across_of x;
    cym_status st;
    if (!(o->report.output.tables & (CYM_TABLES_MD | CYM_TABLES_HTML)))
        return CYM_OK;
    if ((st = across_make(&x, e, err)) >= 0 && x.a.last)
        st = cym__report_across_write(od, &x.a, &o->report, err);
    across_free(&x);
    return st;
}

cym_status cym_run_report_editions(const cym_editions *e, const cym_report_options *o,
                                   const char *outdir, cym_warnings *failed, cym_error *err)
{
    across_of x;
    cym_status st = across_make(&x, e, err);
    if (st >= 0 && x.a.last)
        st = cym__across_report_write(&x.a, o, outdir, failed, err);
    across_free(&x);
    return st;
}

/* The output folder may be none of the inputs of any edition, nor lie in nor hold one. */
static cym_status refuse_inputs(const cym_editions *e, const char *outdir, cym_error *err)
{
    cym_status st = CYM_OK;
    for (size_t k = 0; k < e->n && st >= 0; k++)
        if (e->ed[k].res)
            st = cym__run_refuse_inputs(e->ed[k].res, outdir, err);
    return st;
}

cym_status cym_run_write_editions(const cym_editions *e, const cym_run_options *o,
                                  const char *outdir, cym_error *err)
{
    cym_run_set *set = NULL;
    /* the inputs first: nothing is made beside an input folder */
    cym_status st = refuse_inputs(e, outdir, err);
    if (st >= 0)
        st = cym_run_set_begin(&set, outdir, err);
    if (st >= 0 && (st = cym_run_set_write_editions(set, e, o, err)) >= 0)
        st = cym_run_set_commit(set, err);
    cym_run_set_free(set);
    return st;
}

cym_status cym_run_set_write_editions(cym_run_set *set, const cym_editions *e,
                                      const cym_run_options *o, cym_error *err)
{
    const char *outdir = cym_run_set_path(set);
    cym__outdir od;
    cym_status st = CYM_OK;
    char sub[CYM_PATH_MAX];
    json_t *manifest = NULL;
    trends_of tro = {e, o->report.trend.level, NULL, NULL};
    cym_warnings warnings = {0};
    cym_check chk;

    memset(&od, 0, sizeof(od));
    memset(&chk, 0, sizeof(chk));
    if ((st = refuse_inputs(e, cym_run_set_destination(set), err)) < 0)
        return st;
    for (size_t k = 0; k < e->n; k++) {
        if (!e->ed[k].res)
            continue;
        if (snprintf(sub, sizeof(sub), "%s/edition-%s", outdir, e->ed[k].label) >= (int)sizeof(sub))
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "output path too long");
        {
            /* each edition's manifest gives its inputs relative to its own folder */
            cym_run_options ko = *o;
            char base[CYM_PATH_MAX];
            snprintf(base, sizeof(base), "%s/edition-%s", cym_run_set_destination(set),
                     e->ed[k].label);
            if (ko.report.provenance.base)
                ko.report.provenance.base = base;
            if ((st = cym__run_write_folder(NULL, NULL, e->ed[k].res, &ko, sub, err)) < 0)
                return st;
        }
    }
    if ((st = cym__outdir_open(&od, outdir, err)) < 0)
        goto cleanup;
    tro.ty = malloc((e->n_years ? e->n_years : 1) * sizeof(double));
    tro.yy = malloc((e->n_years ? e->n_years : 1) * sizeof(double));
    if (!tro.ty || !tro.yy) {
        st = nomem(err);
        goto cleanup;
    }
    if ((st = cym__outdir_write(&od, "scores.csv", write_scores, e, err)) < 0 ||
        (st = cym__outdir_write(&od, "editions.csv", write_editions, e, err)) < 0 ||
        (st = cym__outdir_write(&od, "editions_index.csv", write_series, e, err)) < 0 ||
        (st = cym__outdir_write(&od, "yoy.csv", write_yoy, e, err)) < 0 ||
        (st = cym__outdir_write(&od, "trends.csv", write_trends, &tro, err)) < 0 ||
        (st = collect_warnings(&warnings, e, err)) < 0 ||
        (st = cym__outdir_write(&od, "warnings.txt", write_warnings, &warnings, err)) < 0 ||
        (st = write_across(&od, e, o, err)) < 0)
        goto cleanup;
    if (o->edition && o->edition->check_total[0]) {
        if ((st = cym_editions_check(&chk, e, err)) < 0)
            goto cleanup;
        if ((st = cym__outdir_write(&od, "check_total.csv", write_check,
                                    &(const check_of){&chk, e->ed[e->n - 1].ds}, err)) < 0)
            goto cleanup;
    }
    /* the manifest last, as in every output folder: handed to the set, which adds the outputs
       and writes it */
    if ((st = build_manifest(&manifest, e, o, err)) < 0)
        goto cleanup;
    cym__run_set_manifest(set, manifest);
    manifest = NULL;
    st = cym__outdir_commit(&od, err);
cleanup:
    json_decref(manifest);
    free(tro.ty);
    free(tro.yy);
    cym_check_free(&chk);
    cym_warnings_clear(&warnings);
    cym__outdir_free(&od);
    return st;
}

cym_status cym_run_plot_editions(const cym_editions *e, const cym_output_options *o,
                                 const char *outdir, cym_warnings *failed, cym_error *err)
{
    across_of x;
    cym_status st = CYM_OK, st2;
    char sub[CYM_PATH_MAX];

    if (!o->charts)
        return CYM_OK;
    for (size_t k = 0; k < e->n; k++) {
        if (!e->ed[k].res)
            continue;
        snprintf(sub, sizeof(sub), "%s/edition-%s", outdir, e->ed[k].label);
        st2 = cym_plot_run(e->ed[k].res, o, sub, failed, err);
        if (st2 < 0 && st >= 0)
            st = st2;
    }
    if ((st2 = across_make(&x, e, err)) >= 0 && x.a.basis_res) {
        st2 = cym_plot_chart(x.a.basis_res, o, CYM_CHART_TRENDS, 0, outdir, failed, err);
        if (st2 >= 0)
            st2 = cym_plot_chart(x.a.basis_res, o, CYM_CHART_BUMP, 0, outdir, failed, err);
    }
    if (st2 < 0 && st >= 0)
        st = st2;
    across_free(&x);
    return st;
}
