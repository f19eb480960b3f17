/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The index pipeline, in the order of METHODS.md, as composable stages: prepare (select
 * years, denominate, impute, orient, treat, normalise: prepare.c) -> aggregate (weights and
 * every aggregate from the leaves up: aggregate.c) -> rank the chosen nodes, tier the index
 * (rank.c). cym_pipeline_run is all of them; the Monte Carlo and the audit prepare once and
 * run only the stages a factor changes on derived results (cym_results_derive), which borrow
 * the prepared arrays.
 */
#include "cymetrics/pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "pipeline/pipeline_internal.h"

cym_status cym__nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

cym_status cym__check_finite(const cym__stage *c, double v, int computed, const char *what,
                             const char *code, long u, long t, cym_error *err)
{
    /* printf's NaN may carry a sign ("-nan") that means nothing here */
    const char *s = isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";
    if (isfinite(v) || (isnan(v) && !computed))
        return CYM_OK;
    if (u < 0)
        return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                             "%s of '%s' is %s, not a finite number: the values or weights are "
                             "too large or too small for doubles",
                             what, code, s);
    return cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                         "%s of '%s' for %s in %d is %s, not a finite number: the values or "
                         "weights are too large or too small for doubles",
                         what, code, c->ds->units[u].code, c->r->year0 + (int)t, s);
}

void cym__stage_init(cym__stage *c, cym_results *r, cym_error *err)
{
    memset(c, 0, sizeof(*c));
    c->r = r;
    c->ds = r->ds;
    c->fw = r->fw;
    c->o = &r->opts;
    c->toff = (size_t)(r->year0 - r->ds->year0);
    c->parallel = cym_cube_cells(&r->node_cube) >= CYM__PARALLEL_MIN_CELLS;
    c->ref_unit = -1;
    c->err = err;
}

cym_status cym__results_alloc_scores(cym_results *r)
{
    size_t nn = cym_cube_cells(&r->node_cube), nt = cym_cube_cells(&r->unit_cube);
    r->score = malloc((nn ? nn : 1) * sizeof(double));
    r->coverage = malloc((nn ? nn : 1) * sizeof(double));
    r->rank = malloc((nn ? nn : 1) * sizeof(double));
    r->tier = malloc((nt ? nt : 1) * sizeof(int));
    r->tier_gap = malloc((nt ? nt : 1) * sizeof(double));
    r->weight = calloc(r->n_nodes ? r->n_nodes : 1, sizeof(double));
    r->eff_weight = calloc(r->n_nodes ? r->n_nodes : 1, sizeof(double));
    if (!r->score || !r->coverage || !r->rank || !r->tier || !r->tier_gap || !r->weight ||
        !r->eff_weight)
        return CYM_ENOMEM;
    for (size_t k = 0; k < nt; k++) {
        r->tier[k] = -1;
        r->tier_gap[k] = NAN;
    }
    return CYM_OK;
}

void cym_results_free(cym_results *r)
{
    if (!r)
        return;
    if (!r->base) {
        /* stages that changed nothing share the previous stage's array */
        if (r->imputed != r->denominated)
            free(r->imputed);
        if (r->denominated != r->raw)
            free(r->denominated);
        free(r->raw);
        free(r->treated);
        free(r->normalised);
        free(r->flags);
        free(r->zero_spread);
        free(r->bounds);
        free(r->unit_order);
        free(r->treat);
    }
    free(r->score);
    free(r->coverage);
    free(r->rank);
    free(r->tier);
    free(r->tier_gap);
    free(r->weight);
    free(r->eff_weight);
    cym_warnings_clear(&r->warnings);
    free(r);
}

cym_status cym_results_derive(cym_results **out, const cym_results *base,
                              const cym_pipeline_options *opts, cym_error *err)
{
    cym_results *r = calloc(1, sizeof(*r));
    *out = NULL;
    if (!r)
        return cym__nomem(err);
    /* the prepared arrays are base's; score and the rest are this one's own */
    *r = *base;
    memset(&r->warnings, 0, sizeof(r->warnings));
    r->score = r->coverage = r->rank = r->tier_gap = r->weight = r->eff_weight = NULL;
    r->tier = NULL;
    r->break_years = NULL;
    r->n_breaks = 0;
    r->base = base;
    if (cym__results_alloc_scores(r) < 0) {
        cym_results_free(r);
        return cym__nomem(err);
    }
    cym_results_reset(r, opts);
    *out = r;
    return CYM_OK;
}

void cym_results_reset_options(cym_results *r, const cym_pipeline_options *opts)
{
    static const cym_pipeline_options defaults = CYM_PIPELINE_OPTIONS_INIT;
    const cym_results *base = r->base;
    if (!opts)
        opts = &defaults;
    /* the aggregate-stage options are the caller's, the rest the prepared data's */
    r->opts = base->opts;
    r->opts.agg = opts->agg;
    r->opts.weights = opts->weights;
    r->opts.node_weights = opts->node_weights;
    r->opts.min_coverage = opts->min_coverage;
    r->opts.n_tiers = opts->n_tiers;
    memcpy(r->opts.tiers, opts->tiers, sizeof(r->opts.tiers));
    r->opts.ties = opts->ties;
    memcpy(r->opts.tiebreak, opts->tiebreak, sizeof(r->opts.tiebreak));
    cym_warnings_clear(&r->warnings);
}

void cym_results_reset(cym_results *r, const cym_pipeline_options *opts)
{
    size_t nn = cym_cube_cells(&r->node_cube);
    cym_results_reset_options(r, opts);
    /* the aggregates are all computed again by cym_pipeline_aggregate */
    memcpy(r->score, r->base->score, nn * sizeof(double));
    memcpy(r->coverage, r->base->coverage, nn * sizeof(double));
    for (size_t k = 0; k < nn; k++)
        r->rank[k] = NAN;
}

unsigned cym_results_later(const cym_results *r)
{
    unsigned later = 0;
    if (r->n_years < 2)
        return 0;
    /* goalposts and none scale by nothing taken from the data */
    if (!r->settings.scope && !r->settings.frozen && r->opts.norm.method != CYM_NORM_GOALPOSTS &&
        r->opts.norm.method != CYM_NORM_NONE)
        later |= CYM_LATER_NORMALISE;
    if (r->opts.treat && !r->settings.scope && !r->settings.frozen)
        later |= CYM_LATER_TREAT;
    /* linear interpolation reads the next observation, and is flat back from the first */
    if (r->opts.impute.method == CYM_IMPUTE_LINEAR)
        later |= CYM_LATER_IMPUTE;
    if (r->opts.weights == CYM_WEIGHTS_PCA)
        later |= CYM_LATER_WEIGHTS;
    return later;
}

void cym_results_later_text(char *buf, size_t n, const cym_results *r)
{
    static const char *const stage[] = {
        "the normalisation bounds, taken over all the years pooled",
        "the outlier treatment, over all the years pooled",
        "linear imputation, which reads later observations (and is flat back from the first)",
        "PCA weights, computed over every year"};
    unsigned later = cym_results_later(r);
    size_t len = 0, k = 0;
    char years[48];

    cym_results_bounds_years(years, sizeof(years), r, 0);
    if (!later) {
        const char *why =
            r->n_years < 2                               ? "only one year is run"
            : r->settings.frozen == CYM_FROZEN_FILE      ? "the normalisation bounds come from "
                                                           "a goalposts file"
            : r->settings.frozen == CYM_FROZEN_REFERENCE ? "the normalisation bounds are "
                                                           "frozen on the reference years"
            : r->opts.norm.method == CYM_NORM_GOALPOSTS  ? "the framework's goalposts are fixed"
            : r->opts.norm.method == CYM_NORM_NONE       ? "nothing is normalised"
                                                         : "each year is normalised on its own";
        snprintf(buf, n,
                 "Scores of earlier years do not depend on the data of later years: %s%s%s%s; "
                 "adding a year leaves them as they are.",
                 why, r->settings.frozen ? " (" : "", r->settings.frozen ? years : "",
                 r->settings.frozen ? ")" : "");
        return;
    }
    len = (size_t)snprintf(buf, n,
                           "Scores of earlier years depend on the data of later years, through ");
    for (unsigned b = 0; b < 4; b++)
        if (later & (1u << b) && len < n)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", k++ ? "; " : "", stage[b]);
    if (len < n)
        snprintf(buf + len, n - len, ": adding a year revises them.%s",
                 later & (CYM_LATER_NORMALISE | CYM_LATER_TREAT)
                     ? " --reference-years or --goalposts freezes the bounds (docs/methodology.md, "
                       "\"Stable published scores\")."
                     : "");
}

void cym_results_bounds_years(char *buf, size_t n, const cym_results *r, size_t s)
{
    if (r->settings.frozen == CYM_FROZEN_FILE)
        snprintf(buf, n, "%s", r->opts.goalposts->years[0] ? r->opts.goalposts->years : "file");
    else if (r->settings.frozen == CYM_FROZEN_REFERENCE)
        cym__year_range_format(buf, n, r->opts.ref_from, r->opts.ref_to);
    else if (r->settings.scope)
        snprintf(buf, n, "%d", r->year0 + (int)s);
    else
        cym__year_range_format(buf, n, r->year0, r->year0 + (int)r->n_years - 1);
}

/* A country with no value at all in the selected years is worth a warning. */
static cym_status no_data_warnings(cym_results *r)
{
    for (size_t u = 0; u < r->n_units; u++) {
        int any = 0;
        for (size_t t = 0; t < r->n_years && !any; t++)
            for (size_t i = 0; i < r->n_ind && !any; i++)
                any = !isnan(r->raw[cym_cube_cell(&r->ind_cube, u, t, i)]);
        if (!any &&
            cym_warnings_add(&r->warnings, "country %s has no data in %d-%d", r->ds->units[u].code,
                             r->year0, r->year0 + (int)r->n_years - 1) < 0)
            return CYM_ENOMEM;
    }
    return CYM_OK;
}

cym_status cym_pipeline_run(cym_results **out, const cym_dataset *ds,
                            const cym_pipeline_options *opts, cym_error *err)
{
    cym_results *r = NULL;
    cym_status st;

    *out = NULL;
    if ((st = cym_pipeline_prepare(&r, ds, opts, err)) < 0)
        return st;
    if ((st = cym_pipeline_aggregate(r, err)) < 0 || (st = cym_pipeline_rank(r, NULL, 0, err)) < 0)
        goto cleanup;
    if (cym_pipeline_tier(r) < 0 || no_data_warnings(r) < 0 ||
        cym_pipeline_policy_warnings(&r->warnings, r) < 0) {
        st = cym__nomem(err);
        goto cleanup;
    }
    r->opts.node_weights = NULL;

cleanup:
    if (st < 0) {
        cym_results_free(r);
        return st;
    }
    *out = r;
    return CYM_OK;
}
