/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Framework editions (issue 9). Each edition is loaded with the rows of its own years and run
 * through the unchanged pipeline on them (with --scope panel, the panel is the edition's
 * years), so a run without editions is untouched and each edition's tables are exactly what a
 * run of that framework on those years writes. The editions are then joined into one series
 * per country of the index (and of every node of the newest framework, node_series) on a
 * comparable basis (--across-editions):
 *   common      the indicators of the newest edition that every older edition has (same code,
 *               or mapped through the crosswalk with old raw value x factor), re-run over all
 *               the years on the newest framework with every other indicator at weight 0;
 *   rebased     each edition's index / the highest score its framework allows x 100;
 *   percentile  (rank among the year's scores, 1 = lowest, ties min - 1) / (n - 1) x 100, the
 *               percentile normalisation of METHODS.md section 4 (50 when n = 1).
 * Breaks are listed as warnings, as are scale changes: an index whose maximum differs between
 * editions, or a mapped indicator whose largest possible raw value (binary 1, ordinal K, else
 * the largest observed) differs by 10x or more after the factor, or was rescaled by a factor.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "cymetrics/edition.h"
#include "cymetrics/trend.h"
#include "io/csv.h"

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

static long indicator_pos(const cym_framework *fw, const char *code)
{
    long n = cym_framework_find(fw, code);
    if (n < 0 || fw->nodes[n].n_children)
        return -1;
    for (size_t i = 0; i < fw->n_indicators; i++)
        if (fw->indicators[i] == (size_t)n)
            return (long)i;
    return -1;
}

static const cym_crosswalk_entry *cw_find(const cym_crosswalk *cw, const char *code, size_t ed)
{
    if (!cw)
        return NULL;
    for (size_t i = 0; i < cw->n; i++)
        if (cw->e[i].edition == ed && strcmp(cw->e[i].old_code, code) == 0)
            return &cw->e[i];
    return NULL;
}

/* the code of `code` (an indicator of edition k) in edition k + 1, or NULL when dropped */
static const char *step_map(const cym_editions *e, size_t k, const char *code, double *factor,
                            const cym_crosswalk_entry **via)
{
    const cym_crosswalk_entry *c = cw_find(e->cw, code, k);
    *via = c;
    if (c) {
        *factor *= c->factor;
        return c->new_code;
    }
    return indicator_pos(e->ed[k + 1].fw, code) >= 0 ? code : NULL;
}

/* ---- loading ---------------------------------------------------------------------------- */

static cym_status check_crosswalk(cym_editions *e, cym_error *err)
{
    cym_crosswalk *cw = e->cw;
    for (size_t i = 0; cw && i < cw->n; i++) {
        cym_crosswalk_entry *c = &cw->e[i];
        long last = -1;
        /* a row applies at the break after the last edition before the newest that has the
           old code (the same code may go on, rescaled: T.PATCH,T.PATCH,100) */
        for (size_t k = 0; k + 1 < e->n; k++)
            if (indicator_pos(e->ed[k].fw, c->old_code) >= 0)
                last = (long)k;
        if (last < 0) {
            const char *hint = NULL;
            for (size_t k = 0; k + 1 < e->n && !hint; k++)
                hint = cym_framework_suggest(e->ed[k].fw, c->old_code);
            if (hint)
                return cym_error_set(err, CYM_EDATA, cw->path, c->line, 1,
                                     "old code '%s' is not an indicator of any edition before "
                                     "the newest (did you mean '%s'?)",
                                     c->old_code, hint);
            return cym_error_set(err, CYM_EDATA, cw->path, c->line, 1,
                                 "old code '%s' is not an indicator of any edition before the "
                                 "newest",
                                 c->old_code);
        }
        c->edition = (size_t)last;
        if (c->new_code && indicator_pos(e->ed[last + 1].fw, c->new_code) < 0) {
            const cym_framework *nf = e->ed[last + 1].fw;
            const char *hint = cym_framework_suggest(nf, c->new_code);
            long n = cym_framework_find(nf, c->new_code);
            if (n >= 0)
                return cym_error_set(err, CYM_EDATA, cw->path, c->line, c->col_new,
                                     "new code '%s' is an aggregate of the edition %s (%s), not "
                                     "an indicator",
                                     c->new_code, e->ed[last + 1].label, nf->path);
            if (hint)
                return cym_error_set(err, CYM_EDATA, cw->path, c->line, c->col_new,
                                     "new code '%s' is not an indicator of the edition %s (%s; "
                                     "did you mean '%s'?)",
                                     c->new_code, e->ed[last + 1].label, nf->path, hint);
            return cym_error_set(err, CYM_EDATA, cw->path, c->line, c->col_new,
                                 "new code '%s' is not an indicator of the edition %s (%s)",
                                 c->new_code, e->ed[last + 1].label, nf->path);
        }
    }
    /* two indicators of one edition mapped onto one of the next would be one cell twice */
    for (size_t k = 0; k + 1 < e->n; k++) {
        const cym_framework *fw = e->ed[k].fw;
        for (size_t i = 0; i < fw->n_indicators; i++) {
            double f = 1.0;
            const cym_crosswalk_entry *vi, *vj;
            const char *a = step_map(e, k, fw->nodes[fw->indicators[i]].code, &f, &vi);
            if (!a)
                continue;
            for (size_t j = 0; j < i; j++) {
                const char *b = step_map(e, k, fw->nodes[fw->indicators[j]].code, &f, &vj);
                if (b && strcmp(a, b) == 0) {
                    const cym_crosswalk_entry *v = vi ? vi : vj;
                    return cym_error_set(err, CYM_EDATA, cw ? cw->path : fw->path,
                                         v ? v->line : 0, v ? v->col_new : 0,
                                         "'%s' and '%s' of the edition %s both become '%s' of "
                                         "the edition %s",
                                         fw->nodes[fw->indicators[j]].code,
                                         fw->nodes[fw->indicators[i]].code, e->ed[k].label, a,
                                         e->ed[k + 1].label);
                }
            }
        }
    }
    return CYM_OK;
}

cym_status cym_editions_load(cym_editions **out, const cym_editions_options *opts, cym_error *err)
{
    cym_edition_spec spec = *opts->spec;
    cym_editions *e;
    cym_status st;
    const char *extra[16];
    size_t n_extra = 0;
    char cover[CYM_PATH_MAX + 64], ct[256];
    cym_dataset_paths paths;
    cym_csv_format fmt;

    *out = NULL;
    if ((st = cym_edition_spec_check(&spec, err)) < 0)
        return st;
    e = calloc(1, sizeof(*e));
    if (!e || !(e->ed = calloc(spec.n, sizeof(*e->ed)))) {
        free(e);
        return nomem(err);
    }
    e->n = spec.n;
    e->across = spec.across;
    e->opts = *opts;
    /* published series of --check-total are read beside the items */
    snprintf(ct, sizeof(ct), "%s", spec.check_total);
    for (char *p = ct; *p && n_extra < 16;) {
        size_t len = strcspn(p, ",");
        char *end = p + len, save = *end;
        *end = '\0';
        if (strchr(p, ':'))
            *strchr(p, ':') = '\0';
        extra[n_extra++] = p;
        if (!save)
            break;
        p = end + 1;
    }
    if (spec.ed[0].line)
        snprintf(cover, sizeof(cover), "any framework edition (the [framework] section of %s)",
                 spec.ed[0].origin);
    else
        snprintf(cover, sizeof(cover), "any framework edition (--edition)");
    paths = opts->paths;
    fmt = opts->format;
    for (size_t k = 0; k < e->n; k++) {
        cym_edition *ed = &e->ed[k];
        const cym_edition_decl *d = &spec.ed[k];
        cym_dataset_filter flt;
        ed->year_from = d->year_from;
        ed->year_to = d->year_to;
        if (d->year_from && d->year_to && d->year_from == d->year_to)
            snprintf(ed->label, sizeof(ed->label), "%d", d->year_from);
        else if (d->year_from && d->year_to)
            snprintf(ed->label, sizeof(ed->label), "%d-%d", d->year_from, d->year_to);
        else if (d->year_from)
            snprintf(ed->label, sizeof(ed->label), "%d-", d->year_from);
        else
            snprintf(ed->label, sizeof(ed->label), "-%d", d->year_to);
        if ((st = cym_framework_load(&ed->fw, d->path, err)) < 0)
            goto fail;
        memset(&flt, 0, sizeof(flt));
        flt.year_from = d->year_from;
        flt.year_to = d->year_to;
        flt.cover_from = spec.ed[0].year_from;
        flt.cover_to = spec.ed[spec.n - 1].year_to;
        flt.cover_what = cover;
        flt.n_extra = n_extra;
        flt.extra = extra;
        if ((st = cym_dataset_load(&ed->ds, ed->fw, &paths,
                                   &(cym_dataset_options){fmt, &flt, NULL, 0, 0}, err)) < 0)
            goto fail;
    }
    if (spec.crosswalk[0] && (st = cym_crosswalk_load(&e->cw, spec.crosswalk, err)) < 0)
        goto fail;
    if ((st = check_crosswalk(e, err)) < 0)
        goto fail;
    *out = e;
    return CYM_OK;
fail:
    cym_editions_free(e);
    return st;
}

void cym_editions_free(cym_editions *e)
{
    if (!e)
        return;
    for (size_t k = 0; k < e->n; k++) {
        cym_results_free(e->ed[k].res);
        cym_dataset_free(e->ed[k].ds);
        cym_framework_free(e->ed[k].fw);
    }
    free(e->ed);
    cym_crosswalk_free(e->cw);
    free(e->edition_of);
    free(e->own);
    free(e->basis);
    free(e->basis_rank);
    free(e->node_on);
    free(e->node_own);
    free(e->node_basis);
    free(e->node_rank);
    cym_results_free(e->common);
    cym_dataset_free(e->common_ds);
    cym_warnings_clear(&e->warnings);
    free(e);
}

/* ---- the common basis ------------------------------------------------------------------ */

typedef struct recode_ctx {
    const cym_editions *e;
} recode_ctx;

static long edition_of_year(const cym_editions *e, int year)
{
    for (size_t k = 0; k < e->n; k++)
        if ((!e->ed[k].year_from || year >= e->ed[k].year_from) &&
            (!e->ed[k].year_to || year <= e->ed[k].year_to))
            return (long)k;
    return -1;
}

/* the newest edition's code of indicator `code` of edition k (NULL: none), with the factor */
static const char *forward(const cym_editions *e, size_t k, const char *code, double *factor)
{
    const cym_crosswalk_entry *via;
    *factor = 1.0;
    for (; code && k + 1 < e->n; k++)
        code = step_map(e, k, code, factor, &via);
    return code;
}

static int recode(void *ctx, const char *code, int year, const char **to, double *factor)
{
    const cym_editions *e = ((recode_ctx *)ctx)->e;
    long k = edition_of_year(e, year);
    if (k < 0 || (size_t)k + 1 == e->n)
        return 2;
    if (indicator_pos(e->ed[k].fw, code) < 0)
        return cym_dataset_find_series(e->ed[e->n - 1].ds, code) >= 0 &&
                       cym_framework_find(e->ed[e->n - 1].fw, code) < 0
                   ? 2
                   : 0; /* a denominator or published series; anything else was checked */
    *to = forward(e, (size_t)k, code, factor);
    return *to ? 1 : 0;
}

static cym_status run_common(cym_editions *e, cym_error *err)
{
    const cym_framework *nf = e->ed[e->n - 1].fw;
    unsigned char *common = calloc(nf->n_nodes, 1);
    double *w = malloc(nf->n_nodes * sizeof(*w));
    cym_dataset_filter flt;
    cym_dataset_paths paths;
    cym_csv_format fmt;
    recode_ctx rc = {e};
    const char *extra[CYM_MAX_EDITIONS * 0 + 16];
    const cym_dataset *last = e->ed[e->n - 1].ds;
    cym_status st;

    if (!common || !w) {
        free(common);
        free(w);
        return nomem(err);
    }
    /* an indicator of the newest edition is common when every older edition maps onto it */
    for (size_t i = 0; i < nf->n_indicators; i++) {
        const char *code = nf->nodes[nf->indicators[i]].code;
        int all = 1;
        for (size_t k = 0; k + 1 < e->n && all; k++) {
            const cym_framework *fk = e->ed[k].fw;
            int found = 0;
            for (size_t j = 0; j < fk->n_indicators && !found; j++) {
                double f;
                const char *t = forward(e, k, fk->nodes[fk->indicators[j]].code, &f);
                found = t && strcmp(t, code) == 0;
            }
            all = found;
        }
        common[nf->indicators[i]] = (unsigned char)all;
        e->n_common += (size_t)all;
    }
    /* aggregates with a common indicator below them */
    for (size_t b = 0; b < nf->n_nodes; b++) {
        size_t n = nf->bottom_up[b];
        for (size_t j = 0; j < nf->nodes[n].n_children; j++)
            if (common[nf->nodes[n].children[j]])
                common[n] = 1;
    }
    for (size_t n = 0; n < nf->n_nodes; n++)
        w[n] = common[n] ? (e->opts.run.weights == CYM_WEIGHTS_EQUAL ? 1.0 : nf->nodes[n].weight)
                         : 0.0;
    free(e->node_on);
    e->node_on = common; /* the nodes with a series on the common basis */
    if (e->n_common == 0) {
        free(w);
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "--across-editions common: the editions have no indicator in "
                             "common (add crosswalk rows, or use rebased or percentile)");
    }
    memset(&flt, 0, sizeof(flt));
    for (size_t k = 0; k < last->n_extra && k < 16; k++)
        extra[k] = last->extra[k];
    flt.n_extra = last->n_extra < 16 ? last->n_extra : 16;
    flt.extra = extra;
    flt.recode = recode;
    flt.recode_ctx = &rc;
    paths = e->opts.paths;
    fmt = e->opts.format;
    st = cym_dataset_load(&e->common_ds, nf, &paths, &(cym_dataset_options){fmt, &flt, NULL, 0, 0},
                          err);
    if (st >= 0) {
        cym_pipeline_options po = e->opts.run;
        po.node_weights = w;
        st = cym_pipeline_run(&e->common, e->common_ds, &po, err);
    }
    free(w);
    return st;
}

/* ---- comparable series ----------------------------------------------------------------- */

/* competition ranks of v[0..n) (NaN skipped), 1 = highest; `asc`: 1 = lowest */
static void ranks(double *out, const double *v, size_t n, size_t stride, int asc)
{
    for (size_t i = 0; i < n; i++) {
        double x = v[i * stride], r = 1;
        if (isnan(x)) {
            out[i * stride] = NAN;
            continue;
        }
        for (size_t j = 0; j < n; j++) {
            double y = v[j * stride];
            if (!isnan(y) && (asc ? y < x : y > x))
                r++;
        }
        out[i * stride] = r;
    }
}

/* largest possible raw value of an indicator: binary 1, ordinal K, else the largest observed */
static double raw_top(const cym_edition *ed, size_t node)
{
    const cym_node *nd = &ed->fw->nodes[node];
    const cym_dataset *ds = ed->ds;
    double m = NAN;
    if (nd->scale == CYM_SCALE_BINARY)
        return 1.0;
    if (nd->scale == CYM_SCALE_ORDINAL)
        return nd->scale_k;
    if (!isnan(nd->goal_hi) && !isnan(nd->goal_lo))
        return fmax(fabs(nd->goal_hi), fabs(nd->goal_lo));
    for (size_t u = 0; u < ds->n_units; u++)
        for (size_t t = 0; t < ds->n_years; t++) {
            double v = ds->values[cym_dataset_cell(ds, u, t, node)];
            if (!isnan(v) && (isnan(m) || fabs(v) > m))
                m = fabs(v);
        }
    return m;
}

static cym_status break_warnings(cym_editions *e, cym_error *err)
{
    static const char *const basis[] = {"common", "rebased", "percentile"};
    for (size_t k = 0; k + 1 < e->n; k++) {
        const cym_edition *a = &e->ed[k], *b = &e->ed[k + 1];
        const cym_framework *fa = a->fw;
        int year = b->year_from;
        if (cym_warnings_add(&e->warnings,
                             "edition break at %d: %s (%s) -> %s (%s); trends across it on the "
                             "%s basis",
                             year, a->label, fa->path, b->label, b->fw->path,
                             basis[e->across]) < 0)
            return nomem(err);
        if (a->res && b->res && !isnan(a->max_score) && !isnan(b->max_score) &&
            fabs(a->max_score - b->max_score) > 1e-9 * fmax(fabs(a->max_score), 1.0) &&
            cym_warnings_add(&e->warnings,
                             "scale change at %d: the index %s has a maximum of %g in %s and "
                             "%s of %g in %s",
                             year, fa->nodes[fa->root].code, a->max_score, a->label,
                             b->fw->nodes[b->fw->root].code, b->max_score, b->label) < 0)
            return nomem(err);
        for (size_t i = 0; i < fa->n_indicators; i++) {
            const char *code = fa->nodes[fa->indicators[i]].code, *to;
            const cym_crosswalk_entry *via;
            double f = 1.0, ta, tb, ratio;
            to = step_map(e, k, code, &f, &via);
            if (!to) {
                if (!via && cym_warnings_add(&e->warnings,
                                             "indicator %s of %s has no counterpart in %s and "
                                             "no crosswalk row: dropped at %d",
                                             code, a->label, b->label, year) < 0)
                    return nomem(err);
                if (via && cym_warnings_add(&e->warnings,
                                            "indicator %s of %s has no equivalent in %s (%s:%lu)",
                                            code, a->label, b->label, e->cw->path,
                                            via->line) < 0)
                    return nomem(err);
                continue;
            }
            ta = raw_top(a, fa->indicators[i]) * f;
            tb = raw_top(b, (size_t)cym_framework_find(b->fw, to));
            ratio = tb / ta;
            if (f != 1.0) {
                if (cym_warnings_add(&e->warnings,
                                     "scale change at %d: %s (%s, largest %g) -> %s (%s, largest "
                                     "%g), old values x %g (%s:%lu)",
                                     year, code, a->label, ta / f, to, b->label, tb, f,
                                     e->cw->path, via->line) < 0)
                    return nomem(err);
            } else if (ta > 0 && tb > 0 && (ratio >= 10 || ratio <= 0.1) &&
                       cym_warnings_add(&e->warnings,
                                        "possible scale change at %d: %s is at most %g in %s and "
                                        "%g in %s; a crosswalk row '%s,%s,%g' would rescale it",
                                        year, code, ta, a->label, tb, b->label, code, to,
                                        ratio) < 0)
                return nomem(err);
        }
    }
    /* indicators new in an edition: nothing maps onto them */
    for (size_t k = 0; k + 1 < e->n; k++) {
        const cym_framework *fa = e->ed[k].fw, *fb = e->ed[k + 1].fw;
        for (size_t j = 0; j < fb->n_indicators; j++) {
            const char *code = fb->nodes[fb->indicators[j]].code;
            int found = 0;
            for (size_t i = 0; i < fa->n_indicators && !found; i++) {
                const cym_crosswalk_entry *via;
                double f = 1.0;
                const char *t = step_map(e, k, fa->nodes[fa->indicators[i]].code, &f, &via);
                found = t && strcmp(t, code) == 0;
            }
            if (!found && cym_warnings_add(&e->warnings, "indicator %s is new in %s (not in %s)",
                                           code, e->ed[k + 1].label, e->ed[k].label) < 0)
                return nomem(err);
        }
    }
    return CYM_OK;
}

/* the node of edition k that is node n of the newest framework (-1: none): the root is the
 * root, an aggregate has the same code, an indicator is the one of the same code or the one the
 * crosswalk maps onto it */
static long node_in(const cym_editions *e, size_t k, size_t n)
{
    const cym_framework *nf = e->ed[e->n - 1].fw, *fk = e->ed[k].fw;
    const cym_node *nd = &nf->nodes[n];
    if (n == nf->root)
        return (long)fk->root;
    if (k + 1 == e->n)
        return (long)n;
    if (nd->n_children) {
        long m = cym_framework_find(fk, nd->code);
        return m >= 0 && fk->nodes[m].n_children ? m : -1;
    }
    for (size_t j = 0; j < fk->n_indicators; j++) {
        double f;
        const char *to = forward(e, k, fk->nodes[fk->indicators[j]].code, &f);
        if (to && strcmp(to, nd->code) == 0)
            return (long)fk->indicators[j];
    }
    return -1;
}

/* the comparable series of every node of the newest framework, as the index's (the root's
 * slice equals e->basis / e->basis_rank): common the common-basis run's score of the node
 * (nodes with no common indicator below them have none); rebased the node's score in its
 * year's edition / the highest score it allows there x 100; percentile its percentile rank
 * within the year. A node its year's edition does not have is missing in that year. */
static cym_status node_series(cym_editions *e, cym_error *err)
{
    const cym_framework *nf = e->ed[e->n - 1].fw;
    size_t nn = nf->n_nodes, nu = e->n_units, ny = e->n_years;
    e->n_nodes = nn;
    if (!e->node_on) {
        if (!(e->node_on = malloc(nn)))
            return nomem(err);
        memset(e->node_on, 1, nn);
    }
    e->node_own = malloc(nn * nu * ny * sizeof(double));
    e->node_basis = malloc(nn * nu * ny * sizeof(double));
    e->node_rank = malloc(nn * nu * ny * sizeof(double));
    if (!e->node_own || !e->node_basis || !e->node_rank)
        return nomem(err);
    for (size_t n = 0; n < nn; n++)
        for (size_t t = 0; t < ny; t++) {
            int k = e->edition_of[t];
            const cym_results *r = k >= 0 ? e->ed[k].res : NULL;
            long m = r ? node_in(e, (size_t)k, n) : -1;
            size_t rt = r ? (size_t)(e->year0 + (int)t - r->year0) : 0;
            double mx = m >= 0 && e->across == CYM_ACROSS_REBASED
                            ? cym_edition_node_bound(r, (size_t)m, 1)
                            : NAN;
            double *own = e->node_own + n * nu * ny, *b = e->node_basis + n * nu * ny;
            size_t cnt = 0;
            for (size_t u = 0; u < nu; u++) {
                double v = m >= 0 ? r->score[cym_cube_cell(&r->node_cube, u, rt, (size_t)m)] : NAN;
                double x = NAN;
                own[u * ny + t] = v;
                cnt += !isnan(v);
                if (m < 0 || !e->node_on[n])
                    x = NAN;
                else if (e->across == CYM_ACROSS_REBASED)
                    x = mx > 0 ? v / mx * 100.0 : NAN;
                else if (e->across == CYM_ACROSS_COMMON && e->common) {
                    const cym_results *c = e->common;
                    long ct = e->year0 + (long)t - c->year0;
                    x = ct >= 0 && ct < (long)c->n_years
                            ? c->score[cym_cube_cell(&c->node_cube, u, (size_t)ct, n)]
                            : NAN;
                } else if (e->across == CYM_ACROSS_COMMON)
                    x = v; /* one edition: nothing to bridge */
                b[u * ny + t] = x;
            }
            if (e->across == CYM_ACROSS_PERCENTILE) {
                ranks(b + t, own + t, nu, ny, 1);
                for (size_t u = 0; u < nu; u++)
                    if (!isnan(b[u * ny + t]))
                        b[u * ny + t] = cnt > 1 ? (b[u * ny + t] - 1.0) / (double)(cnt - 1) * 100.0
                                                : 50.0;
            }
            ranks(e->node_rank + n * nu * ny + t, b + t, nu, ny, 0);
        }
    return CYM_OK;
}

cym_status cym_editions_run(cym_editions *e, cym_error *err)
{
    int y0 = 0, y1 = 0;
    size_t nu, ny;
    cym_status st;
    for (size_t k = 0; k < e->n; k++) {
        cym_edition *ed = &e->ed[k];
        const cym_results *r;
        int lo = ed->ds->year0, hi = ed->ds->year0 + (int)ed->ds->n_years - 1;
        ed->max_score = NAN;
        if (!ed->ds->n_years || (e->opts.run.year_from && hi < e->opts.run.year_from) ||
            (e->opts.run.year_to && lo > e->opts.run.year_to))
            continue; /* no selected year of this edition has data */
        if ((st = cym_pipeline_run(&ed->res, ed->ds, &e->opts.run, err)) < 0) {
            char msg[CYM_ERROR_MESSAGE_MAX + 64];
            if (err) {
                snprintf(msg, sizeof(msg), "edition %s: %s", ed->label, err->message);
                memcpy(err->message, msg, sizeof(err->message) - 1);
                err->message[sizeof(err->message) - 1] = '\0';
            }
            return st;
        }
        r = ed->res;
        ed->max_score = cym_edition_node_bound(r, ed->fw->root, 1);
        if (!y0 || r->year0 < y0)
            y0 = r->year0;
        if (!y1 || r->year0 + (int)r->n_years - 1 > y1)
            y1 = r->year0 + (int)r->n_years - 1;
    }
    if (!y0)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "no edition has data in the years "
                                                          "selected");
    e->year0 = y0;
    e->n_years = ny = (size_t)(y1 - y0 + 1);
    for (size_t k = 0; k < e->n; k++)
        if (e->ed[k].ds) {
            e->n_units = e->ed[k].ds->n_units;
            break;
        }
    nu = e->n_units;
    e->edition_of = malloc(ny * sizeof(int));
    e->own = malloc(nu * ny * sizeof(double));
    e->basis = malloc(nu * ny * sizeof(double));
    e->basis_rank = malloc(nu * ny * sizeof(double));
    if (!e->edition_of || !e->own || !e->basis || !e->basis_rank)
        return nomem(err);
    for (size_t t = 0; t < ny; t++) {
        long k = edition_of_year(e, y0 + (int)t);
        const cym_results *r = k >= 0 ? e->ed[k].res : NULL;
        long rt = r ? y0 + (long)t - r->year0 : -1;
        e->edition_of[t] = r && rt >= 0 && rt < (long)r->n_years ? (int)k : -1;
        for (size_t u = 0; u < nu; u++)
            e->own[u * ny + t] = e->edition_of[t] >= 0
                                     ? r->score[cym_cube_cell(&r->node_cube, u, (size_t)rt,
                                                                      r->fw->root)]
                                     : NAN;
    }
    for (size_t k = 1; k < e->n; k++)
        if (e->ed[k].res && e->ed[k - 1].res)
            e->break_years[e->n_breaks++] = e->ed[k].year_from;
    if (e->across == CYM_ACROSS_COMMON && e->n > 1) {
        if ((st = run_common(e, err)) < 0)
            return st;
    }
    for (size_t t = 0; t < ny; t++) {
        int k = e->edition_of[t];
        for (size_t u = 0; u < nu; u++) {
            double v = e->own[u * ny + t], b = NAN;
            if (k >= 0 && e->across == CYM_ACROSS_REBASED)
                b = e->ed[k].max_score > 0 ? v / e->ed[k].max_score * 100.0 : NAN;
            else if (k >= 0 && e->across == CYM_ACROSS_COMMON && e->common) {
                const cym_results *c = e->common;
                long ct = y0 + (long)t - c->year0;
                b = ct >= 0 && ct < (long)c->n_years
                        ? c->score[cym_cube_cell(&c->node_cube, u, (size_t)ct, c->fw->root)]
                        : NAN;
            } else if (k >= 0 && e->across == CYM_ACROSS_COMMON)
                b = v; /* one edition: nothing to bridge */
            e->basis[u * ny + t] = b;
        }
        if (e->across == CYM_ACROSS_PERCENTILE) {
            size_t n = 0;
            for (size_t u = 0; u < nu; u++)
                n += !isnan(e->own[u * ny + t]);
            ranks(e->basis + t, e->own + t, nu, ny, 1);
            for (size_t u = 0; u < nu; u++) {
                double *b = &e->basis[u * ny + t];
                if (!isnan(*b))
                    *b = n > 1 ? (*b - 1.0) / (double)(n - 1) * 100.0 : 50.0;
            }
        }
        ranks(e->basis_rank + t, e->basis + t, nu, ny, 0);
    }
    if ((st = node_series(e, err)) < 0)
        return st;
    return break_warnings(e, err);
}

cym_status cym_editions_check(cym_check *out, const cym_editions *e, cym_error *err)
{
    memset(out, 0, sizeof(*out));
    for (size_t k = 0; k < e->n; k++) {
        cym_status st;
        if (e->ed[k].res && (st = cym_check_total(out, e->ed[k].res, e->opts.spec, e->ed[k].label, err)) < 0)
            return st;
    }
    return CYM_OK;
}

