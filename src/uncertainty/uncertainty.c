/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Monte Carlo uncertainty analysis of the index ranks, and its Sobol sensitivity analysis
 * (METHODS.md section 9; the OECD/JRC Handbook, section 7, and COINr's get_sensitivity).
 *
 * Every replication is a point U in [0,1)^D: each factor reads its own slice of U (one number
 * per perturbed weight: w * (1 + f (2u - 1)); one number for a choice among m alternatives:
 * floor(u m); one for the indicator dropped). Plain Monte Carlo draws U for replication r from
 * the GSL stream (seed, r); the Saltelli design draws row j of A and of B from streams of
 * their own, and AB_i is A's row with factor i's slice from B. So any replication can be
 * recomputed alone, from any thread or process.
 *
 * Statistics are streamed: the index rank of each country and year goes into a histogram of
 * integer ranks (exact type-7 quantiles, exact means), the score into a fixed-point sum (exact
 * and associative: the same for any order of addition) and a 2,000-bin histogram for its
 * quantiles. Replications run in batches in parallel and are folded in replication order, so
 * the output is byte-identical for any number of threads. Memory does not grow with the
 * number of runs, except for Sobol, whose estimators need every y of the design (N (k + 2)
 * doubles per output).
 */
#include "cymetrics/uncertainty.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/experts.h"
#include "cymetrics/framework.h"
#include "cymetrics/pipeline.h"
#include "uncertainty/unc_internal.h"

#define BATCH 256
#define SCORE_BINS 2000
#define FIXED_SCALE 16777216.0 /* 2^24: score sums in units of 2^-24 */
#define N_BOOT 1000

int cym_unc_declared(const cym_unc_spec *u)
{
    return u->weight_noise > 0 || u->weight_experts || u->n_norm || u->n_agg || u->n_impute ||
           u->n_treat || u->exclude;
}

const char *cym_unc_factor_name(cym_unc_factor f)
{
    static const char *const names[] = {"weights", "normalise", "aggregate",
                                        "impute",  "treat",     "exclude"};
    return f < CYM_UNC_N_FACTORS ? names[f] : "?";
}

/* The design: which factors, where their slices of U start, the perturbed nodes. */
typedef struct design {
    const cym_dataset *ds;
    const cym_framework *fw;
    const cym_options *o;
    cym_pipeline_options po;    /* the nominal run's pipeline options */
    /* prepared indicators per (normalisation, imputation, treatment) a replication can draw,
       [norm][impute][treat] with index 0 the nominal method when the factor is off; NULL
       when they would take too much memory: each replication then prepares its own */
    struct prepared *prep;
    size_t n_prep;
    size_t n_factors;
    cym_unc_factor factor[CYM_UNC_N_FACTORS];
    size_t off[CYM_UNC_N_FACTORS + 1]; /* slice of factor i: U[off[i] .. off[i + 1]) */
    size_t D;
    size_t n_pert;
    size_t *pert;   /* nodes whose weight is perturbed */
    double *base_w; /* [node] nominal weights, or NULL (PCA) */
} design;

/* One prepared data set of the cache, or the error preparing it gave. */
typedef struct prepared {
    cym_results *r;
    cym_status st;
    cym_error err;
} prepared;

/* Cache only while it takes at most this much memory. */
#define PREPARED_MAX_BYTES ((size_t)512 << 20)

/* What one replication chose (for runs.csv). */
typedef struct choice {
    int norm, agg, impute, treat;
    long excluded; /* indicator position, or -1 */
} choice;

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
static void apply(const design *d, const double *U, cym_pipeline_options *o, double *w,
                  choice *ch)
{
    const cym_unc_spec *s = &d->o->unc;
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
        case CYM_UNC_NORMALISE:
            i = pick(u[0], s->n_norm);
            o->norm = s->norm[i];
            o->norm.lo = d->o->run.norm.lo; /* the range stays the run's */
            o->norm.hi = d->o->run.norm.hi;
            ch->norm = (int)i;
            break;
        case CYM_UNC_AGGREGATE:
            i = pick(u[0], s->n_agg);
            o->agg = s->agg[i];
            ch->agg = (int)i;
            break;
        case CYM_UNC_IMPUTE:
            i = pick(u[0], s->n_impute);
            o->impute = s->impute[i];
            ch->impute = (int)i;
            break;
        case CYM_UNC_TREAT:
            i = pick(u[0], s->n_treat);
            o->treat = s->treat[i];
            ch->treat = (int)i;
            break;
        case CYM_UNC_EXCLUDE:
            i = pick(u[0], d->fw->n_indicators);
            w[d->fw->indicators[i]] = 0.0;
            ch->excluded = (long)i;
            break;
        case CYM_UNC_N_FACTORS: break;
        }
    }
}

static void draw(double *U, size_t D, gsl_rng *rng, unsigned long seed, uint32_t tag,
                 uint64_t index)
{
    gsl_rng_set(rng, cym__stream_seed(seed, tag, index));
    for (size_t i = 0; i < D; i++)
        U[i] = gsl_rng_uniform(rng);
}

/* ---- per-thread work and one replication -------------------------------------------- */

typedef struct work {
    gsl_rng *rng;
    double *U, *UB, *w;
    cym_pipeline_options o;
    cym_results *q; /* derived from a prepared data set of the cache, reused */
} work;

static int work_init(work *k, const design *d)
{
    k->rng = gsl_rng_alloc(gsl_rng_mt19937);
    k->U = malloc((d->D ? d->D : 1) * sizeof(double));
    k->UB = malloc((d->D ? d->D : 1) * sizeof(double));
    k->w = malloc(d->fw->n_nodes * sizeof(double));
    k->q = NULL;
    return k->rng && k->U && k->UB && k->w ? 0 : -1;
}

static void work_free(work *k)
{
    if (k->rng)
        gsl_rng_free(k->rng);
    free(k->U);
    free(k->UB);
    free(k->w);
    cym_results_free(k->q);
}

static int threads_of(const cym_options *o)
{
    return o->unc.threads > 0 ? o->unc.threads : omp_get_max_threads();
}

/* The prepared data of a replication's choices, or NULL when nothing is cached. */
static const prepared *prepared_of(const design *d, const choice *ch)
{
    const cym_unc_spec *s = &d->o->unc;
    size_t ni = s->n_impute ? s->n_impute : 1, nt = s->n_treat ? s->n_treat : 1;
    /* a factor that is off (-1) has the nominal method at index 0 */
    size_t in = ch->norm < 0 ? 0 : (size_t)ch->norm, ii = ch->impute < 0 ? 0 : (size_t)ch->impute,
           it = ch->treat < 0 ? 0 : (size_t)ch->treat;
    size_t k = (in * ni + ii) * nt + it;
    return d->prep ? &d->prep[k] : NULL;
}

/*
 * Runs the pipeline at point k->U; index ranks and scores of every cell into rank/score. Only
 * the stages the point changes run: the indicators prepared with its methods are taken from
 * the cache, aggregated with its weights and method, and only the index is ranked.
 */
static cym_status replicate(const design *d, work *k, double *rank, double *score, choice *ch,
                            cym_error *err)
{
    cym_results *own = NULL, *r;
    const prepared *p;
    cym_status st;
    choice dummy;
    if (!ch)
        ch = &dummy;
    apply(d, k->U, &k->o, k->w, ch);
    p = prepared_of(d, ch);
    if (p && p->st < 0) {
        if (err)
            *err = p->err;
        return p->st;
    }
    if (p) {
        if (k->q && k->q->base == p->r) {
            cym_results_reset(k->q, &k->o);
        } else {
            cym_results_free(k->q);
            k->q = NULL;
            if ((st = cym_results_derive(&k->q, p->r, &k->o, err)) < 0)
                return st;
        }
        r = k->q;
    } else {
        if ((st = cym_pipeline_prepare(&own, d->ds, &k->o, err)) < 0)
            return st;
        r = own;
    }
    st = cym_pipeline_aggregate(r, err);
    if (st >= 0)
        st = cym_pipeline_rank(r, &d->fw->root, 1, err);
    if (st >= 0)
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < r->n_years; t++) {
                size_t c = cym_cube_cell(&r->node_cube, u, t, d->fw->root);
                rank[u * r->n_years + t] = r->rank[c];
                if (score)
                    score[u * r->n_years + t] = r->score[c];
            }
    cym_results_free(own);
    return st;
}

/*
 * Prepares, once, the indicators of every combination of methods a replication can draw (in
 * parallel), when they fit in PREPARED_MAX_BYTES; a combination the data cannot take keeps
 * its error for the replications that draw it.
 */
static cym_status prepare_cache(design *d, const cym_results *nominal, cym_error *err)
{
    const cym_unc_spec *s = &d->o->unc;
    size_t nn = s->n_norm ? s->n_norm : 1, ni = s->n_impute ? s->n_impute : 1,
           nt = s->n_treat ? s->n_treat : 1;
    size_t n = nn * ni * nt;
    /* raw, denominated, imputed, treated, normalised, flags, score, coverage */
    size_t bytes = cym_cube_cells(&nominal->ind_cube) * (6 * sizeof(double) + sizeof(unsigned)) +
                   cym_cube_cells(&nominal->node_cube) * 3 * sizeof(double);
    if (bytes && n > PREPARED_MAX_BYTES / bytes)
        return CYM_OK;
    d->prep = calloc(n, sizeof(*d->prep));
    if (!d->prep)
        return nomem(err);
    d->n_prep = n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_of(d->o))
    for (size_t k = 0; k < n; k++) {
        cym_pipeline_options o = d->po;
        size_t in = k / (ni * nt), ii = k / nt % ni, it = k % nt;
        if (s->n_norm) {
            o.norm = s->norm[in];
            o.norm.lo = d->po.norm.lo; /* the range stays the run's */
            o.norm.hi = d->po.norm.hi;
        }
        if (s->n_impute)
            o.impute = s->impute[ii];
        if (s->n_treat)
            o.treat = s->treat[it];
        d->prep[k].st = cym_pipeline_prepare(&d->prep[k].r, d->ds, &o, &d->prep[k].err);
    }
    for (size_t k = 0; k < n; k++)
        if (d->prep[k].st == CYM_ENOMEM)
            return nomem(err);
    return CYM_OK;
}

/* ---- streamed statistics ------------------------------------------------------------- */

typedef struct stats {
    size_t cells, n_units;
    unsigned long long *rank_count;  /* [cell][0..n_units] */
    unsigned long long *score_count; /* [cell][SCORE_BINS + 2]: under, bins, over */
    int64_t *score_sum;              /* fixed point */
    unsigned long long *score_n;
    double *score_min, *score_max;
    double lo, hi; /* histogram range of the scores */
} stats;

static int stats_init(stats *s, size_t cells, size_t n_units)
{
    memset(s, 0, sizeof(*s));
    s->cells = cells;
    s->n_units = n_units;
    s->rank_count = calloc(cells * (n_units + 1), sizeof(*s->rank_count));
    s->score_count = calloc(cells * (SCORE_BINS + 2), sizeof(*s->score_count));
    s->score_sum = calloc(cells, sizeof(*s->score_sum));
    s->score_n = calloc(cells, sizeof(*s->score_n));
    s->score_min = malloc(cells * sizeof(double));
    s->score_max = malloc(cells * sizeof(double));
    if (!s->rank_count || !s->score_count || !s->score_sum || !s->score_n || !s->score_min ||
        !s->score_max)
        return -1;
    for (size_t c = 0; c < cells; c++) {
        s->score_min[c] = INFINITY;
        s->score_max[c] = -INFINITY;
    }
    return 0;
}

static void stats_free(stats *s)
{
    free(s->rank_count);
    free(s->score_count);
    free(s->score_sum);
    free(s->score_n);
    free(s->score_min);
    free(s->score_max);
}

/* Folds one replication in. Scores beyond +-2^38 cannot be summed in fixed point. */
static int stats_add(stats *s, const double *rank, const double *score)
{
    for (size_t c = 0; c < s->cells; c++) {
        double r = rank[c], x = score[c];
        size_t b;
        s->rank_count[c * (s->n_units + 1) + (isnan(r) ? 0 : (size_t)r)]++;
        if (isnan(x))
            continue;
        if (fabs(x) > 274877906944.0) /* 2^38 */
            return -1;
        s->score_sum[c] += (int64_t)llround(x * FIXED_SCALE);
        s->score_n[c]++;
        if (x < s->score_min[c])
            s->score_min[c] = x;
        if (x > s->score_max[c])
            s->score_max[c] = x;
        if (x < s->lo)
            b = 0;
        else if (x >= s->hi)
            b = SCORE_BINS + 1;
        else {
            b = 1 + (size_t)((x - s->lo) / (s->hi - s->lo) * SCORE_BINS);
            if (b > SCORE_BINS)
                b = SCORE_BINS;
        }
        s->score_count[c * (SCORE_BINS + 2) + b]++;
    }
    return 0;
}

/* Type-7 quantile of integer ranks from their histogram count[1..m] (n values). */
static double rank_quantile(const unsigned long long *count, size_t m, unsigned long long n,
                            double p)
{
    double h = (double)(n - 1) * p;
    unsigned long long lo = (unsigned long long)floor(h);
    double x_lo = NAN, x_hi = NAN;
    unsigned long long cum = 0;
    for (size_t r = 1; r <= m; r++) {
        cum += count[r];
        if (isnan(x_lo) && cum > lo)
            x_lo = (double)r;
        if (cum > lo + 1 || (cum > lo && lo + 1 >= n)) {
            x_hi = (double)r;
            break;
        }
    }
    if (lo + 1 >= n)
        return x_lo;
    return x_lo + (h - (double)lo) * (x_hi - x_lo);
}

/* The value of order statistic i (0-based) as read from the score histogram of one cell. */
static double score_order(const stats *s, size_t c, unsigned long long i)
{
    const unsigned long long *cnt = &s->score_count[c * (SCORE_BINS + 2)];
    double width = (s->hi - s->lo) / SCORE_BINS;
    unsigned long long cum = 0;
    for (size_t b = 0; b < SCORE_BINS + 2; b++) {
        double a, z;
        if (cum + cnt[b] <= i) {
            cum += cnt[b];
            continue;
        }
        /* the points of a bin are taken as spread evenly over it */
        if (b == 0) {
            a = s->score_min[c];
            z = s->lo;
        } else if (b == SCORE_BINS + 1) {
            a = s->hi;
            z = s->score_max[c];
        } else {
            a = s->lo + (double)(b - 1) * width;
            z = a + width;
        }
        if (a < s->score_min[c])
            a = s->score_min[c];
        if (z > s->score_max[c])
            z = s->score_max[c];
        return a + ((double)(i - cum) + 0.5) / (double)cnt[b] * (z - a);
    }
    return NAN;
}

static double score_quantile(const stats *s, size_t c, double p)
{
    unsigned long long n = s->score_n[c];
    double h, lo;
    if (!n)
        return NAN;
    h = (double)(n - 1) * p;
    lo = floor(h);
    if ((unsigned long long)lo + 1 >= n)
        return score_order(s, c, (unsigned long long)lo);
    return score_order(s, c, (unsigned long long)lo) +
           (h - lo) * (score_order(s, c, (unsigned long long)lo + 1) -
                       score_order(s, c, (unsigned long long)lo));
}

/* ---- set-up and checks --------------------------------------------------------------- */

void cym_uncertainty_free(cym_uncertainty *u)
{
    if (!u)
        return;
    free(u->nominal_rank);
    free(u->nominal_score);
    free(u->rank_mean);
    free(u->rank_median);
    free(u->rank_q05);
    free(u->rank_q95);
    free(u->score_mean);
    free(u->score_median);
    free(u->score_q05);
    free(u->score_q95);
    free(u->rank_count);
    free(u->sobol);
    if (u->keep_)
        fclose((FILE *)u->keep_);
    free(u);
}

static cym_status design_init(design *d, const cym_dataset *ds, const cym_options *o,
                              cym_error *err)
{
    const cym_unc_spec *s = &o->unc;
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

static void design_free(design *d)
{
    for (size_t k = 0; k < d->n_prep; k++)
        cym_results_free(d->prep[k].r);
    free(d->prep);
    free(d->pert);
    free(d->base_w);
}

/* Widens the score range [lo, hi] with the index scores of r. */
static void widen(double *lo, double *hi, const cym_results *r)
{
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++) {
            double x = r->score[cym_results_node_cell(r, u, t, r->fw->root)];
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
static cym_status check_alternatives(const design *d, double *lo, double *hi, cym_error *err)
{
    const cym_unc_spec *s = &d->o->unc;
    cym_options *o = malloc(sizeof(*o));
    double *w = d->base_w ? malloc(d->fw->n_nodes * sizeof(double)) : NULL;
    cym_pipeline_options po;
    cym_results *r = NULL;
    cym_status st = CYM_OK;
    char name[96];

    if (!o || (d->base_w && !w)) {
        st = nomem(err);
        goto cleanup;
    }
#define TRY(key, label)                                                                            \
    do {                                                                                           \
        po = o->run;                                                                               \
        po.node_weights = d->base_w ? w : NULL;                                                    \
        st = cym_pipeline_run(&r, d->ds, &po, err);                                                \
        if (st < 0) {                                                                              \
            st = alt_failed(err, st, key, label);                                                  \
            goto cleanup;                                                                          \
        }                                                                                          \
        widen(lo, hi, r);                                                                          \
        cym_results_free(r);                                                                       \
        r = NULL;                                                                                  \
    } while (0)
    for (size_t i = 0; i < s->n_norm; i++) {
        *o = *d->o;
        if (w)
            memcpy(w, d->base_w, d->fw->n_nodes * sizeof(double));
        o->run.norm = s->norm[i];
        o->run.norm.lo = d->o->run.norm.lo;
        o->run.norm.hi = d->o->run.norm.hi;
        cym_options_get(o, "normalise", name, sizeof(name));
        TRY("alt-normalise", name);
    }
    for (size_t i = 0; i < s->n_agg; i++) {
        *o = *d->o;
        if (w)
            memcpy(w, d->base_w, d->fw->n_nodes * sizeof(double));
        o->run.agg = s->agg[i];
        o->has_agg = 1;
        cym_options_get(o, "aggregate", name, sizeof(name));
        TRY("alt-aggregate", name);
    }
    for (size_t i = 0; i < s->n_impute; i++) {
        *o = *d->o;
        if (w)
            memcpy(w, d->base_w, d->fw->n_nodes * sizeof(double));
        o->run.impute = s->impute[i];
        cym_options_get(o, "impute", name, sizeof(name));
        TRY("alt-impute", name);
    }
    for (size_t i = 0; i < s->n_treat; i++) {
        *o = *d->o;
        if (w)
            memcpy(w, d->base_w, d->fw->n_nodes * sizeof(double));
        o->run.treat = s->treat[i];
        TRY("alt-treat", s->treat[i] ? "winsorise" : "none");
    }
    if (s->weight_noise > 0) {
        /* the lowest and the highest weights the noise can give */
        for (int sign = -1; sign <= 1; sign += 2) {
            *o = *d->o;
            memcpy(w, d->base_w, d->fw->n_nodes * sizeof(double));
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
            *o = *d->o;
            memcpy(w, d->base_w, d->fw->n_nodes * sizeof(double));
            for (size_t n = 0; n < d->fw->n_nodes; n++)
                if (n != d->fw->root)
                    w[n] = x->w[n * x->n_experts + e];
            snprintf(name, sizeof(name), "experts (%.60s)", x->names[e]);
            TRY("weight-noise", name);
        }
    }
#undef TRY
cleanup:
    cym_results_free(r);
    free(o);
    free(w);
    return st;
}

/* ---- the runs ------------------------------------------------------------------------ */

/* The first failure of a batch, by row, so the error does not depend on threads. */
typedef struct failure {
    size_t row;
    cym_status st;
    cym_error err;
} failure;

static void keep_row(FILE *f, const cym_uncertainty *u, const design *d, size_t run,
                     const choice *ch, const double *rank, const double *score)
{
    const cym_unc_spec *s = &d->o->unc;
    char nm[96] = "", ag[96] = "", im[96] = "";
    cym_options tmp;
    cym_options_default(&tmp);
    if (ch->norm >= 0) {
        tmp.run.norm = s->norm[ch->norm];
        cym_options_get(&tmp, "normalise", nm, sizeof(nm));
    }
    if (ch->agg >= 0) {
        tmp.run.agg = s->agg[ch->agg];
        cym_options_get(&tmp, "aggregate", ag, sizeof(ag));
    }
    if (ch->impute >= 0) {
        tmp.run.impute = s->impute[ch->impute];
        cym_options_get(&tmp, "impute", im, sizeof(im));
    }
    for (size_t un = 0; un < u->n_units; un++)
        for (size_t t = 0; t < u->n_years; t++) {
            size_t c = un * u->n_years + t;
            fprintf(f, "%zu,%s,%d,", run + 1, d->ds->units[un].code, u->year0 + (int)t);
            if (!isnan(rank[c]))
                fprintf(f, "%.17g", rank[c]);
            fputc(',', f);
            if (!isnan(score[c]))
                fprintf(f, "%.17g", score[c]);
            fprintf(f, ",\"%s\",\"%s\",\"%s\",%s,%s\n", nm, ag, im,
                    ch->treat < 0         ? ""
                    : s->treat[ch->treat] ? "winsorise"
                                          : "none",
                    ch->excluded < 0 ? "" : d->fw->nodes[d->fw->indicators[ch->excluded]].code);
        }
}

/*
 * Runs `total` rows in batches. Row g's point is made by point_of; its index ranks (and
 * scores) go to rank/score + (g % BATCH) * cells; after each batch fold(batch rows) is called
 * in row order on the calling thread.
 */
typedef struct runner {
    const design *d;
    cym_uncertainty *u;
    size_t cells;
    /* Sobol: N base rows */
    int sobol;
    size_t N;
    stats *st;
    double *y; /* Sobol outputs, [output][block][N] with block 0 A, 1 B, 2 + i AB_i */
    FILE *keep;
} runner;

/* The point of row g: plain Monte Carlo, or a Saltelli row (block = g % (k + 2)). */
static void point_of(const runner *rn, work *k, size_t g, int *block, size_t *j)
{
    const design *d = rn->d;
    unsigned long seed = d->o->unc.seed;
    if (!rn->sobol) {
        draw(k->U, d->D, k->rng, seed, CYM__TAG_MC, g);
        *block = 0;
        *j = g;
        return;
    }
    *block = (int)(g % (d->n_factors + 2));
    *j = g / (d->n_factors + 2);
    if (*block == 1) {
        draw(k->U, d->D, k->rng, seed, CYM__TAG_B, *j);
        return;
    }
    draw(k->U, d->D, k->rng, seed, CYM__TAG_A, *j);
    if (*block >= 2) {
        size_t f = (size_t)(*block - 2);
        draw(k->UB, d->D, k->rng, seed, CYM__TAG_B, *j);
        memcpy(k->U + d->off[f], k->UB + d->off[f], (d->off[f + 1] - d->off[f]) * sizeof(double));
    }
}

/* Sobol outputs of one row: per year the mean |rank - nominal|, then each unit's rank. */
static void outputs_of(runner *rn, const double *rank, int block, size_t j)
{
    cym_uncertainty *u = rn->u;
    size_t nb = rn->d->n_factors + 2;
    for (size_t t = 0; t < u->n_years; t++) {
        double sum = 0;
        size_t n = 0;
        for (size_t un = 0; un < u->n_units; un++) {
            size_t c = un * u->n_years + t;
            if (isnan(rank[c]) || isnan(u->nominal_rank[c]))
                continue;
            sum += fabs(rank[c] - u->nominal_rank[c]);
            n++;
        }
        rn->y[(t * nb + (size_t)block) * rn->N + j] = n ? sum / (double)n : 0.0;
    }
    if (u->n_outputs > u->n_years)
        for (size_t c = 0; c < rn->cells; c++) {
            /* a country without a rank counts as last + 1 */
            double r = isnan(rank[c]) ? (double)u->n_units + 1 : rank[c];
            rn->y[((u->n_years + c) * nb + (size_t)block) * rn->N + j] = r;
        }
}

static cym_status run_rows(runner *rn, size_t total, cym_progress_fn progress, void *user,
                           cym_error *err)
{
    const design *d = rn->d;
    size_t cells = rn->cells;
    double *rank = malloc(BATCH * cells * sizeof(double));
    double *score = malloc(BATCH * cells * sizeof(double));
    int *blocks = malloc(BATCH * sizeof(int));
    size_t *js = malloc(BATCH * sizeof(size_t));
    choice *ch = malloc(BATCH * sizeof(choice));
    failure fl;
    int nomem_flag = 0;
    cym_status st = CYM_OK;

    if (!rank || !score || !blocks || !js || !ch) {
        st = nomem(err);
        goto cleanup;
    }
    for (size_t start = 0; start < total; start += BATCH) {
        size_t n = total - start < BATCH ? total - start : BATCH;
        fl.row = SIZE_MAX;
#pragma omp parallel num_threads(threads_of(d->o))
        {
            work k;
            int ok = work_init(&k, d) == 0;
#pragma omp for schedule(dynamic, 1)
            for (size_t i = 0; i < n; i++) {
                cym_error e;
                cym_status s2;
                if (!ok) {
#pragma omp atomic write
                    nomem_flag = 1;
                    continue;
                }
                point_of(rn, &k, start + i, &blocks[i], &js[i]);
                s2 = replicate(d, &k, rank + i * cells, score + i * cells, &ch[i], &e);
                if (s2 < 0) {
#pragma omp critical(cym_unc_failure)
                    if (start + i < fl.row) {
                        fl.row = start + i;
                        fl.st = s2;
                        fl.err = e;
                    }
                }
            }
            work_free(&k);
        }
        if (nomem_flag) {
            st = nomem(err);
            goto cleanup;
        }
        if (fl.row != SIZE_MAX) {
            char msg[CYM_ERROR_MESSAGE_MAX];
            snprintf(msg, sizeof(msg), "%s", fl.err.message);
            st = cym_error_set(err, fl.st, NULL, 0, 0, "replication %zu: %s", fl.row + 1, msg);
            goto cleanup;
        }
        /* fold in row order: the statistics of A and B rows (or every Monte Carlo row) */
        for (size_t i = 0; i < n; i++) {
            if (rn->sobol)
                outputs_of(rn, rank + i * cells, blocks[i], js[i]);
            if (blocks[i] >= 2)
                continue;
            if (stats_add(rn->st, rank + i * cells, score + i * cells) < 0) {
                st = cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                                   "replication %zu: an index score beyond 2^38 cannot be "
                                   "summarised",
                                   start + i + 1);
                goto cleanup;
            }
            rn->u->runs++;
            if (rn->keep)
                keep_row(rn->keep, rn->u, d, start + i, &ch[i], rank + i * cells,
                         score + i * cells);
        }
        if (progress && progress(user, start + n, total)) {
            st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "interrupted");
            goto cleanup;
        }
    }
cleanup:
    free(rank);
    free(score);
    free(blocks);
    free(js);
    free(ch);
    return st;
}

static cym_status finish_stats(cym_uncertainty *u, const stats *s, cym_error *err)
{
    size_t cells = s->cells, m = u->n_units;
    double **arr[] = {&u->rank_mean,  &u->rank_median,  &u->rank_q05,  &u->rank_q95,
                      &u->score_mean, &u->score_median, &u->score_q05, &u->score_q95};
    for (size_t i = 0; i < sizeof(arr) / sizeof(*arr); i++) {
        *arr[i] = malloc(cells * sizeof(double));
        if (!*arr[i])
            return nomem(err);
    }
    for (size_t c = 0; c < cells; c++) {
        const unsigned long long *cnt = &s->rank_count[c * (m + 1)];
        unsigned long long n = 0;
        double sum = 0;
        for (size_t r = 1; r <= m; r++) {
            n += cnt[r];
            sum += (double)r * (double)cnt[r];
        }
        u->rank_mean[c] = n ? sum / (double)n : NAN;
        u->rank_median[c] = n ? rank_quantile(cnt, m, n, 0.5) : NAN;
        u->rank_q05[c] = n ? rank_quantile(cnt, m, n, 0.05) : NAN;
        u->rank_q95[c] = n ? rank_quantile(cnt, m, n, 0.95) : NAN;
        u->score_mean[c] =
            s->score_n[c] ? (double)s->score_sum[c] / FIXED_SCALE / (double)s->score_n[c] : NAN;
        u->score_median[c] = score_quantile(s, c, 0.5);
        u->score_q05[c] = score_quantile(s, c, 0.05);
        u->score_q95[c] = score_quantile(s, c, 0.95);
    }
    return CYM_OK;
}

cym_status cym_uncertainty_run(cym_uncertainty **out, const cym_dataset *ds, const cym_options *o,
                               cym_progress_fn progress, void *user, cym_error *err)
{
    design d;
    stats s;
    runner rn;
    cym_uncertainty *u = NULL;
    cym_results *nom = NULL;
    double lo = INFINITY, hi = -INFINITY;
    size_t cells, total, N = (size_t)o->unc.runs;
    cym_status st;

    *out = NULL;
    memset(&s, 0, sizeof(s));
    memset(&rn, 0, sizeof(rn));
    if ((st = design_init(&d, ds, o, err)) < 0)
        goto cleanup;
    if ((st = cym_pipeline_run(&nom, ds, &d.po, err)) < 0)
        goto cleanup;
    widen(&lo, &hi, nom);
    if ((st = check_alternatives(&d, &lo, &hi, err)) < 0)
        goto cleanup;
    if ((st = prepare_cache(&d, nom, err)) < 0)
        goto cleanup;
    u = calloc(1, sizeof(*u));
    if (!u) {
        st = nomem(err);
        goto cleanup;
    }
    u->ds = ds;
    u->year0 = nom->year0;
    u->n_years = nom->n_years;
    u->n_units = nom->n_units;
    cells = u->n_units * u->n_years;
    u->nominal_rank = malloc(cells * sizeof(double));
    u->nominal_score = malloc(cells * sizeof(double));
    if (!u->nominal_rank || !u->nominal_score || stats_init(&s, cells, u->n_units) < 0) {
        st = nomem(err);
        goto cleanup;
    }
    for (size_t un = 0; un < u->n_units; un++)
        for (size_t t = 0; t < u->n_years; t++) {
            size_t c = cym_results_node_cell(nom, un, t, ds->fw->root);
            u->nominal_rank[un * u->n_years + t] = nom->rank[c];
            u->nominal_score[un * u->n_years + t] = nom->score[c];
        }
    /* the histogram range: every score seen so far, and half as much again each side */
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    }
    s.lo = lo - 0.5 * (hi - lo) - 1e-9 * (fabs(lo) + 1);
    s.hi = hi + 0.5 * (hi - lo) + 1e-9 * (fabs(hi) + 1);

    rn.d = &d;
    rn.u = u;
    rn.cells = cells;
    rn.st = &s;
    rn.sobol = o->unc.sobol != 0;
    rn.N = N;
    total = N;
    if (o->unc.keep_runs) {
        rn.keep = tmpfile();
        if (!rn.keep) {
            st = cym_error_set(err, CYM_EIO, NULL, 0, 0,
                               "cannot create a temporary file for keep-runs");
            goto cleanup;
        }
        u->keep_ = rn.keep;
    }
    if (rn.sobol) {
        u->n_factors = d.n_factors;
        memcpy(u->factors, d.factor, sizeof(d.factor));
        u->n_outputs = u->n_years + (o->unc.sobol == 2 ? cells : 0);
        total = N * (d.n_factors + 2);
        rn.y = malloc(u->n_outputs * (d.n_factors + 2) * N * sizeof(double));
        u->sobol = malloc(u->n_outputs * d.n_factors * sizeof(cym_sobol_index));
        if (!rn.y || !u->sobol) {
            st = nomem(err);
            goto cleanup;
        }
    }
    if ((st = run_rows(&rn, total, progress, user, err)) < 0)
        goto cleanup;
    if ((st = finish_stats(u, &s, err)) < 0)
        goto cleanup;
    u->rank_count = s.rank_count;
    s.rank_count = NULL;
    if (rn.sobol) {
        size_t nb = d.n_factors + 2;
        for (size_t k = 0; k < u->n_outputs; k++) {
            const double *y = rn.y + k * nb * N;
            st = cym_sobol_estimate(u->sobol + k * d.n_factors, y, y + N, y + 2 * N, N, d.n_factors,
                                    N_BOOT, o->unc.seed, err);
            if (st < 0)
                goto cleanup;
        }
    }

cleanup:
    design_free(&d);
    stats_free(&s);
    free(rn.y);
    cym_results_free(nom);
    if (st < 0) {
        cym_uncertainty_free(u);
        return st;
    }
    *out = u;
    return CYM_OK;
}
