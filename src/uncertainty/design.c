/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The design of an uncertainty analysis: which factors are uncertain, the slice of the point
 * U in [0,1)^D each reads, the pipeline options and weights of a point, the check of each
 * alternative before the runs, and the cache of prepared indicators per combination of
 * methods a replication can draw (so a replication only aggregates and ranks).
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/experts.h"
#include "cymetrics/framework.h"
#include "uncertainty/unc_internal.h"

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

static size_t pick(double u, size_t m)
{
    size_t i = (size_t)(u * (double)m);
    return i < m ? i : m - 1;
}

/* Pipeline options and weights of the point U. */
/* The methods of choice `ch` (-1: the run's own) on the nominal options `o`. */
static void set_methods(const cym__unc_design *d, const cym__unc_choice *ch,
                        cym_pipeline_options *o)
{
    const cym_unc_spec *s = &d->o->spec;
    if (ch->norm >= 0) {
        o->norm = s->norm[ch->norm];
        o->norm.lo = d->po.norm.lo; /* the range stays the run's */
        o->norm.hi = d->po.norm.hi;
        /* frozen bounds belong to a method: an alternative without bounds, or other than
           the goalposts file's, scales by its own */
        if (!cym_norm_freezable(o->norm.method))
            o->ref_from = o->ref_to = 0;
        if (o->goalposts && o->goalposts->method != o->norm.method)
            o->goalposts = NULL;
    }
    if (ch->agg >= 0)
        o->agg = s->agg[ch->agg];
    if (ch->impute >= 0)
        o->impute = s->impute[ch->impute];
    if (ch->treat >= 0)
        o->treat = s->treat[ch->treat];
}

void cym__unc_apply(const cym__unc_design *d, const double *U, cym_pipeline_options *o, double *w,
                    cym__unc_choice *ch)
{
    const cym_unc_spec *s = &d->o->spec;
    *o = d->po;
    o->node_weights = d->base_w ? w : NULL;
    ch->norm = ch->agg = ch->impute = ch->treat = -1;
    ch->excluded = -1;
    if (d->base_w)
        memcpy(w, d->base_w, d->fw->n_nodes * sizeof(*w));
    for (size_t f = 0; f < d->n_factors; f++) {
        const double *u = U + d->off[f];
        size_t i;
        switch (d->factor[f]) {
        case CYM_UNC_WEIGHTS:
            if (s->weight_experts) {
                /* one expert per aggregate: its children take that expert's weights */
                const cym_experts *x = d->fw->experts;
                for (size_t m = 0; m < d->n_pert; m++) {
                    const cym_node *nd = &d->fw->nodes[d->pert[m]];
                    size_t e = pick(u[m], x->n_experts);
                    for (size_t j = 0; j < nd->n_children; j++)
                        w[nd->children[j]] = x->w[nd->children[j] * x->n_experts + e];
                }
                break;
            }
            for (size_t m = 0; m < d->n_pert; m++)
                w[d->pert[m]] *= 1.0 + s->weight_noise * (2.0 * u[m] - 1.0);
            break;
        case CYM_UNC_NORMALISE: ch->norm = (int)pick(u[0], s->n_norm); break;
        case CYM_UNC_AGGREGATE: ch->agg = (int)pick(u[0], s->n_agg); break;
        case CYM_UNC_IMPUTE: ch->impute = (int)pick(u[0], s->n_impute); break;
        case CYM_UNC_TREAT: ch->treat = (int)pick(u[0], s->n_treat); break;
        case CYM_UNC_EXCLUDE:
            i = pick(u[0], d->fw->n_indicators);
            w[d->fw->indicators[i]] = 0.0;
            ch->excluded = (long)i;
            break;
        case CYM_UNC_N_FACTORS: break;
        }
    }
    set_methods(d, ch, o);
}

/*
 * The scale of the index scores under normalisation n (onto the run's range lo, hi) and the
 * global aggregation a (a framework `method` overrides it per node), into buf (a label) and
 * sig (what is compared). The rule: the methods that map onto the range (minmax, goalposts,
 * percentile, dist2max, dist2ref, dist2target, fracmax) share one scale, "[l, u]"; zscore:M,S
 * is its own scale per (M, S); rank (1..n), borda (0..n-1) and none (raw units) are each
 * their own. The means (arithmetic, geometric, harmonic, power, min, mazziotta-pareto) keep
 * their children's scale; sum (weights as given) and copeland (counts of wins) do not, so
 * two designs share a scale only when each aggregate uses a method of the same class; a
 * copeland index is on its own scale whatever lies below.
 */
static void scale_of(char *buf, size_t size, char *sig, size_t sig_size, const cym_framework *fw,
                     const cym_norm_spec *n, const cym_agg_spec *a, double lo, double hi)
{
    char ns[96];
    const cym_node *other = NULL; /* the first aggregate by sum or copeland */
    cym_agg_method other_m = CYM_AGG_SUM;
    size_t k = 0;
    switch (n->method) {
    case CYM_NORM_ZSCORE: snprintf(ns, sizeof(ns), "z-scores %g +- %g", n->z_mean, n->z_sd); break;
    case CYM_NORM_RANK: snprintf(ns, sizeof(ns), "ranks 1..n"); break;
    case CYM_NORM_BORDA: snprintf(ns, sizeof(ns), "borda 0..n-1"); break;
    case CYM_NORM_NONE: snprintf(ns, sizeof(ns), "raw units"); break;
    default: snprintf(ns, sizeof(ns), "[%g, %g]", lo, hi); break;
    }
    {
        const cym_node *root = &fw->nodes[fw->root];
        if ((root->has_method ? root->method.method : a->method) == CYM_AGG_COPELAND) {
            snprintf(buf, size, "copeland counts");
            snprintf(sig, sig_size, "copeland");
            return;
        }
    }
    /* the class of each aggregate's method: m(ean), s(um), c(opeland) */
    k = (size_t)snprintf(sig, sig_size, "%s|", ns);
    for (size_t i = 0; i < fw->n_nodes; i++) {
        const cym_node *nd = &fw->nodes[i];
        cym_agg_method m;
        char cls;
        if (!nd->n_children)
            continue;
        m = nd->has_method ? nd->method.method : a->method;
        cls = m == CYM_AGG_SUM ? 's' : m == CYM_AGG_COPELAND ? 'c' : 'm';
        if (cls != 'm' && !other) {
            other = nd;
            other_m = m;
        }
        if (k + 1 < sig_size)
            sig[k++] = cls;
    }
    if (k < sig_size)
        sig[k] = '\0';
    if (other)
        snprintf(buf, size, "%s through %s from %s", ns, cym_agg_name(other_m), other->code);
    else
        snprintf(buf, size, "%s", ns);
}

size_t cym__unc_scales(char *buf, size_t size, const cym__unc_design *d)
{
    const cym_unc_spec *s = &d->o->spec;
    size_t nn = s->n_norm ? s->n_norm : 1, na = s->n_agg ? s->n_agg : 1, k = 0, used = 0;
    char label[CYM_MAX_ALTS * CYM_MAX_ALTS][160];
    char *sig[CYM_MAX_ALTS * CYM_MAX_ALTS] = {0};
    size_t sig_size = d->fw->n_nodes + 112;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < nn; i++)
        for (size_t j = 0; j < na; j++) {
            /* the replications' methods: an alternative, or the nominal one when the factor
               is off; the range is always the run's */
            const cym_norm_spec *n = s->n_norm ? &s->norm[i] : &d->po.norm;
            const cym_agg_spec *a = s->n_agg ? &s->agg[j] : &d->po.agg;
            size_t m;
            if (!sig[k] && !(sig[k] = malloc(sig_size))) {
                k = 0; /* out of memory: say nothing rather than something wrong */
                goto cleanup;
            }
            scale_of(label[k], sizeof(label[k]), sig[k], sig_size, d->fw, n, a, d->po.norm.lo,
                     d->po.norm.hi);
            for (m = 0; m < k && strcmp(sig[m], sig[k]) != 0; m++)
                ;
            if (m < k)
                continue;
            if (used < size) {
                int w = snprintf(buf + used, size - used, "%s%s", k ? "; " : "", label[k]);
                used += w > 0 ? (size_t)w : 0;
            }
            k++;
        }
cleanup:
    for (size_t i = 0; i < CYM_MAX_ALTS * CYM_MAX_ALTS; i++)
        free(sig[i]);
    return k;
}

int cym__unc_threads(const cym_uncertainty_options *o)
{
    return o->spec.threads > 0 ? o->spec.threads : omp_get_max_threads();
}

/* The prepared data of a replication's choices, or NULL when nothing is cached. */
const cym__unc_prepared *cym__unc_prepared_of(const cym__unc_design *d, const cym__unc_choice *ch)
{
    const cym_unc_spec *s = &d->o->spec;
    size_t ni = s->n_impute ? s->n_impute : 1, nt = s->n_treat ? s->n_treat : 1;
    /* a factor that is off (-1) has the nominal method at index 0 */
    size_t in = ch->norm < 0 ? 0 : (size_t)ch->norm, ii = ch->impute < 0 ? 0 : (size_t)ch->impute,
           it = ch->treat < 0 ? 0 : (size_t)ch->treat;
    size_t k = (in * ni + ii) * nt + it;
    return d->prep ? &d->prep[k] : NULL;
}

/*
 * Prepares, once, the indicators of every combination of methods a replication can draw (in
 * parallel), when they fit in CYM__UNC_PREPARED_MAX_BYTES; a combination the data cannot take keeps
 * its error for the replications that draw it.
 */
cym_status cym__unc_prepare_cache(cym__unc_design *d, const cym_results *nominal, cym_error *err)
{
    const cym_unc_spec *s = &d->o->spec;
    size_t nn = s->n_norm ? s->n_norm : 1, ni = s->n_impute ? s->n_impute : 1,
           nt = s->n_treat ? s->n_treat : 1;
    size_t n = nn * ni * nt;
    /* raw, denominated, imputed, treated, normalised, flags, score, coverage */
    size_t bytes = cym_cube_cells(&nominal->ind_cube) * (6 * sizeof(double) + sizeof(unsigned)) +
                   cym_cube_cells(&nominal->node_cube) * 3 * sizeof(double);
    if (bytes && n > CYM__UNC_PREPARED_MAX_BYTES / bytes)
        return CYM_OK;
    d->prep = calloc(n, sizeof(*d->prep));
    if (!d->prep)
        return nomem(err);
    d->n_prep = n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(cym__unc_threads(d->o))
    for (size_t k = 0; k < n; k++) {
        cym_pipeline_options o = d->po;
        /* the inverse of cym__unc_prepared_of's index */
        cym__unc_choice ch = {s->n_norm ? (int)(k / (ni * nt)) : -1, -1,
                              s->n_impute ? (int)(k / nt % ni) : -1,
                              s->n_treat ? (int)(k % nt) : -1, -1};
        set_methods(d, &ch, &o);
        d->prep[k].st = cym_pipeline_prepare(&d->prep[k].r, d->ds, &o, &d->prep[k].err);
    }
    for (size_t k = 0; k < n; k++)
        if (d->prep[k].st == CYM_ENOMEM)
            return nomem(err);
    return CYM_OK;
}

cym_status cym__unc_design_init(cym__unc_design *d, const cym_dataset *ds,
                                const cym_uncertainty_options *o, cym_error *err)
{
    const cym_unc_spec *s = &o->spec;
    const cym_framework *fw = ds->fw;
    memset(d, 0, sizeof(*d));
    d->ds = ds;
    d->fw = fw;
    d->o = o;
    d->po = o->run;
    if (s->weight_noise > 0) {
        if (o->run.weights == CYM_WEIGHTS_PCA)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "weight-noise: PCA weights come from the data and cannot be "
                                 "perturbed (use --weights framework or equal)");
        for (unsigned l = 1; l < 32; l++)
            if ((s->weight_levels & (1u << l)) && (int)l >= fw->levels)
                return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                     "weight-noise: level %u is not below the index (the "
                                     "framework has levels 1 to %d, %d being the index)",
                                     l, fw->levels - 1 > 0 ? fw->levels - 1 : 1, fw->levels);
        d->pert = malloc(fw->n_nodes * sizeof(*d->pert));
        if (!d->pert)
            return nomem(err);
        for (size_t n = 0; n < fw->n_nodes; n++) {
            int lv = fw->nodes[n].level;
            if (n == fw->root)
                continue;
            if (!s->weight_levels || (lv < 32 && (s->weight_levels & (1u << lv))))
                d->pert[d->n_pert++] = n;
        }
        if (!d->n_pert)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "weight-noise: no weight at the levels asked for");
        d->factor[d->n_factors++] = CYM_UNC_WEIGHTS;
    }
    if (s->weight_experts) {
        if (!fw->experts || o->run.weights != CYM_WEIGHTS_FRAMEWORK)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "weight-noise experts needs an expert weight set "
                                 "(--expert-weights FILE) and --weights framework");
        d->pert = malloc(fw->n_nodes * sizeof(*d->pert));
        if (!d->pert)
            return nomem(err);
        /* the factor's slice: one number per aggregate, choosing its expert */
        for (size_t b = 0; b < fw->n_nodes; b++)
            if (fw->nodes[fw->bottom_up[b]].n_children)
                d->pert[d->n_pert++] = fw->bottom_up[b];
        d->factor[d->n_factors++] = CYM_UNC_WEIGHTS;
    }
    if (s->n_norm)
        d->factor[d->n_factors++] = CYM_UNC_NORMALISE;
    if (s->n_agg)
        d->factor[d->n_factors++] = CYM_UNC_AGGREGATE;
    if (s->n_impute)
        d->factor[d->n_factors++] = CYM_UNC_IMPUTE;
    if (s->n_treat)
        d->factor[d->n_factors++] = CYM_UNC_TREAT;
    if (s->exclude) {
        if (o->run.weights == CYM_WEIGHTS_PCA)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "exclude-one: PCA weights are computed from the indicators "
                                 "present; use --weights framework or equal");
        if (fw->n_indicators < 2)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "exclude-one needs at least 2 indicators");
        d->factor[d->n_factors++] = CYM_UNC_EXCLUDE;
    }
    if (!d->n_factors)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "no uncertain factor: declare at least one of weight-noise, "
                             "alt-normalise, alt-aggregate, alt-impute, alt-treat, "
                             "exclude-one (in [uncertainty] or as --KEY VALUE)");
    for (size_t f = 0; f < d->n_factors; f++) {
        d->off[f + 1] = d->off[f] + (d->factor[f] == CYM_UNC_WEIGHTS ? d->n_pert : 1);
    }
    d->D = d->off[d->n_factors];
    if (s->weight_noise > 0 || s->weight_experts || s->exclude) {
        d->base_w = malloc(fw->n_nodes * sizeof(double));
        if (!d->base_w)
            return nomem(err);
        for (size_t n = 0; n < fw->n_nodes; n++)
            d->base_w[n] = o->run.weights == CYM_WEIGHTS_EQUAL ? 1.0 : fw->nodes[n].weight;
    }
    return CYM_OK;
}

void cym__unc_design_free(cym__unc_design *d)
{
    for (size_t k = 0; k < d->n_prep; k++)
        cym_results_free(d->prep[k].r);
    free(d->prep);
    free(d->pert);
    free(d->base_w);
}

/* Widens the score range [lo, hi] with the index scores of r. */
void cym__unc_widen(double *lo, double *hi, const cym_results *r)
{
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++) {
            double x = r->score[cym_cube_cell(&r->node_cube, u, t, r->fw->root)];
            if (isnan(x))
                continue;
            if (x < *lo)
                *lo = x;
            if (x > *hi)
                *hi = x;
        }
}

/* Reports a failed alternative with the factor's key and value. */
static cym_status alt_failed(cym_error *err, cym_status st, const char *key, const char *value)
{
    if (err) {
        char msg[CYM_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof(msg), "%s", err->message);
        cym_error_set(err, st, NULL, 0, 0, "%s %s: %s", key, value, msg);
    }
    return st;
}

/*
 * Tries each alternative of each factor once, the others nominal (and the extreme weights),
 * so that a factor the data cannot take fails here, named, and not in replication 7,312. The
 * index scores seen set the range of the score histograms.
 */
cym_status cym__unc_check_alternatives(const cym__unc_design *d, double *lo, double *hi,
                                       cym_error *err)
{
    const cym_unc_spec *s = &d->o->spec;
    double *w = d->base_w ? malloc(d->fw->n_nodes * sizeof(double)) : NULL;
    static const cym__unc_choice nominal = {-1, -1, -1, -1, -1};
    cym__unc_choice ch;
    cym_pipeline_options po;
    cym_results *r = NULL;
    cym_status st = CYM_OK;
    char name[96];

    if (d->base_w && !w)
        return nomem(err);
        /* the nominal options and weights, then the one factor changed */
#define NOMINAL()                                                                                  \
    do {                                                                                           \
        po = d->po;                                                                                \
        po.node_weights = w;                                                                       \
        if (w)                                                                                     \
            memcpy(w, d->base_w, d->fw->n_nodes * sizeof(double));                                 \
    } while (0)
#define TRY(key, label)                                                                            \
    do {                                                                                           \
        st = cym_pipeline_run(&r, d->ds, &po, err);                                                \
        if (st < 0) {                                                                              \
            st = alt_failed(err, st, key, label);                                                  \
            goto cleanup;                                                                          \
        }                                                                                          \
        cym__unc_widen(lo, hi, r);                                                                 \
        cym_results_free(r);                                                                       \
        r = NULL;                                                                                  \
    } while (0)
    for (int i = 0; i < (int)s->n_norm; i++) {
        NOMINAL();
        ch = nominal;
        ch.norm = i;
        set_methods(d, &ch, &po);
        cym_norm_spec_format(name, sizeof(name), &s->norm[i]);
        TRY("alt-normalise", name);
    }
    for (int i = 0; i < (int)s->n_agg; i++) {
        NOMINAL();
        ch = nominal;
        ch.agg = i;
        set_methods(d, &ch, &po);
        cym_agg_spec_format(name, sizeof(name), &s->agg[i]);
        TRY("alt-aggregate", name);
    }
    for (int i = 0; i < (int)s->n_impute; i++) {
        NOMINAL();
        ch = nominal;
        ch.impute = i;
        set_methods(d, &ch, &po);
        cym_impute_spec_format(name, sizeof(name), &s->impute[i]);
        TRY("alt-impute", name);
    }
    for (int i = 0; i < (int)s->n_treat; i++) {
        NOMINAL();
        ch = nominal;
        ch.treat = i;
        set_methods(d, &ch, &po);
        TRY("alt-treat", s->treat[i] ? "winsorise" : "none");
    }
    if (s->weight_noise > 0) {
        /* the lowest and the highest weights the noise can give */
        for (int sign = -1; sign <= 1; sign += 2) {
            NOMINAL();
            for (size_t m = 0; m < d->n_pert; m++)
                w[d->pert[m]] *= 1.0 + sign * s->weight_noise;
            snprintf(name, sizeof(name), "%g", s->weight_noise);
            TRY("weight-noise", name);
        }
    }
    if (s->weight_experts) {
        /* each expert's own weights throughout */
        const cym_experts *x = d->fw->experts;
        for (size_t e = 0; e < x->n_experts; e++) {
            NOMINAL();
            for (size_t n = 0; n < d->fw->n_nodes; n++)
                if (n != d->fw->root)
                    w[n] = x->w[n * x->n_experts + e];
            snprintf(name, sizeof(name), "experts (%.60s)", x->names[e]);
            TRY("weight-noise", name);
        }
    }
#undef NOMINAL
#undef TRY
cleanup:
    cym_results_free(r);
    free(w);
    return st;
}
