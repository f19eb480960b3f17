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
#include "cymetrics/format.h"

#include <errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cymetrics/experts.h"
#include "cymetrics/framework.h"
#include "cymetrics/pipeline.h"
#include "io/csv.h"
#include "ranks/ranks.h"
#include "uncertainty/unc_internal.h"

#define BATCH 256
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

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
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
    /* [combination]: results derived from the cache's prepared data set of that index, made
       when a replication first draws it and reused by the thread's later ones; one slot,
       derived again whenever the combination changes, when they would take more than
       DERIVED_MAX_BYTES */
    cym_results **q;
    size_t n_q;
} work;

/* Per thread, for the derived results of every combination (their score, coverage, rank). */
#define DERIVED_MAX_BYTES ((size_t)64 << 20)

static int work_init(work *k, const cym__unc_design *d)
{
    k->rng = gsl_rng_alloc(gsl_rng_mt19937);
    k->U = malloc((d->D ? d->D : 1) * sizeof(double));
    k->UB = malloc((d->D ? d->D : 1) * sizeof(double));
    k->w = malloc(d->fw->n_nodes * sizeof(double));
    size_t nn = d->ds->n_units * d->ds->n_years * d->fw->n_nodes;
    k->n_q = d->n_prep && d->n_prep <= DERIVED_MAX_BYTES / (3 * sizeof(double) * (nn ? nn : 1))
                 ? d->n_prep
                 : 1;
    k->q = calloc(k->n_q, sizeof(*k->q));
    return k->rng && k->U && k->UB && k->w && k->q ? 0 : -1;
}

static void work_free(work *k)
{
    if (k->rng)
        gsl_rng_free(k->rng);
    free(k->U);
    free(k->UB);
    free(k->w);
    for (size_t i = 0; k->q && i < k->n_q; i++)
        cym_results_free(k->q[i]);
    free(k->q);
}

/*
 * Runs the pipeline at point k->U; index ranks and scores of every cell into rank/score. Only
 * the stages the point changes run: the indicators prepared with its methods are taken from
 * the cache, aggregated with its weights and method, and only the index is ranked.
 */
static cym_status replicate(const cym__unc_design *d, work *k, double *rank, double *score,
                            cym__unc_choice *ch, cym_error *err)
{
    cym_results *own = NULL, *r;
    const cym__unc_prepared *p;
    cym_status st;
    cym__unc_choice dummy;
    if (!ch)
        ch = &dummy;
    cym__unc_apply(d, k->U, &k->o, k->w, ch);
    p = cym__unc_prepared_of(d, ch);
    if (p && p->st < 0) {
        if (err)
            *err = p->err;
        return p->st;
    }
    if (p) {
        cym_results **q = &k->q[k->n_q > 1 ? (size_t)(p - d->prep) : 0];
        if (*q && (*q)->base == p->r) {
            /* only the options: the aggregation below writes every aggregate score again
               and only the index's ranks are read (cym_results_reset_options) */
            cym_results_reset_options(*q, &k->o);
        } else {
            cym_results_free(*q);
            *q = NULL;
            if ((st = cym_results_derive(q, p->r, &k->o, err)) < 0)
                return st;
        }
        r = *q;
    } else {
        if ((st = cym_pipeline_prepare(&own, d->ds, &k->o, err)) < 0)
            return st;
        r = own;
    }
    /* nothing reads the aggregates' data coverage */
    st = cym_pipeline_aggregate_scores(r, err);
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

/* ---- the results --------------------------------------------------------------------- */

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

/* ---- the runs ------------------------------------------------------------------------ */

/* The first failure of a batch, by row, so the error does not depend on threads. */
typedef struct failure {
    size_t row;
    cym_status st;
    cym_error err;
} failure;

static void keep_row(FILE *f, const cym_uncertainty *u, const cym__unc_design *d, size_t run,
                     const cym__unc_choice *ch, const double *rank, const double *score)
{
    const cym_unc_spec *s = &d->o->spec;
    char nm[96] = "", ag[96] = "", im[96] = "", num[32];
    if (ch->norm >= 0)
        cym_norm_spec_format(nm, sizeof(nm), &s->norm[ch->norm]);
    if (ch->agg >= 0)
        cym_agg_spec_format(ag, sizeof(ag), &s->agg[ch->agg]);
    if (ch->impute >= 0)
        cym_impute_spec_format(im, sizeof(im), &s->impute[ch->impute]);
    for (size_t un = 0; un < u->n_units; un++)
        for (size_t t = 0; t < u->n_years; t++) {
            size_t c = un * u->n_years + t;
            fprintf(f, "%zu,%s,%d,", run + 1, d->ds->units[un].code, u->year0 + (int)t);
            cym_format_double(num, rank[c]);
            fputs(num, f);
            fputc(',', f);
            cym_format_double(num, score[c]);
            fputs(num, f);
            fprintf(f, ",\"%s\",\"%s\",\"%s\",%s,", nm, ag, im,
                    ch->treat < 0         ? ""
                    : s->treat[ch->treat] ? "winsorise"
                                          : "none");
            if (ch->excluded >= 0)
                cym__csv_put_text(f, d->fw->nodes[d->fw->indicators[ch->excluded]].code);
            fputc('\n', f);
        }
}

/*
 * Runs `total` rows in batches. Row g's point is made by point_of; its index ranks (and
 * scores) go to rank/score + (g % BATCH) * cells; after each batch fold(batch rows) is called
 * in row order on the calling thread.
 */
typedef struct runner {
    const cym__unc_design *d;
    cym_uncertainty *u;
    size_t cells;
    /* Sobol: N base rows */
    int sobol;
    size_t N;
    cym__unc_stats *st;
    double *y; /* Sobol outputs, [output][block][N] with block 0 A, 1 B, 2 + i AB_i */
    FILE *keep;
} runner;

/* The point of row g: plain Monte Carlo, or a Saltelli row (block = g % (k + 2)). */
static void point_of(const runner *rn, work *k, size_t g, int *block, size_t *j)
{
    const cym__unc_design *d = rn->d;
    unsigned long seed = d->o->spec.seed;
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

/*
 * One batch of rows, as computed by one rank and folded by rank 0: a single block of memory,
 * so that a rank sends it to rank 0 as it is (ranks.h), with the first failure of the batch
 * by row (SIZE_MAX: none) in front.
 */
typedef struct batch_head {
    size_t fail_row;
    int nomem;
    cym_status st;
    cym_error err;
} batch_head;

typedef struct batch {
    void *mem;
    size_t bytes;
    batch_head *head;
    double *rank, *score; /* [row][cell] */
    size_t *js;
    cym__unc_choice *ch;
    int *blocks;
} batch;

static size_t round16(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

static int batch_init(batch *b, size_t cells)
{
    size_t o_rank = round16(sizeof(batch_head)),
           o_score = o_rank + round16(BATCH * cells * sizeof(double)),
           o_js = o_score + round16(BATCH * cells * sizeof(double)),
           o_ch = o_js + round16(BATCH * sizeof(size_t)),
           o_blocks = o_ch + round16(BATCH * sizeof(cym__unc_choice));
    char *m;
    b->bytes = o_blocks + round16(BATCH * sizeof(int));
    /* calloc: the padding between the parts is sent too */
    if (!(b->mem = m = calloc(1, b->bytes)))
        return -1;
    b->head = (batch_head *)(void *)m;
    b->rank = (double *)(void *)(m + o_rank);
    b->score = (double *)(void *)(m + o_score);
    b->js = (size_t *)(void *)(m + o_js);
    b->ch = (cym__unc_choice *)(void *)(m + o_ch);
    b->blocks = (int *)(void *)(m + o_blocks);
    return 0;
}

/* Rows start .. start + n - 1 into b, on the threads of this rank. */
static void compute_batch(const runner *rn, batch *b, size_t start, size_t n)
{
    const cym__unc_design *d = rn->d;
    size_t cells = rn->cells;
    failure fl;
    int nomem_flag = 0;
    fl.row = SIZE_MAX;
#pragma omp parallel num_threads(cym__unc_threads(d->o))
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
            point_of(rn, &k, start + i, &b->blocks[i], &b->js[i]);
            s2 = replicate(d, &k, b->rank + i * cells, b->score + i * cells, &b->ch[i], &e);
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
    b->head->nomem = nomem_flag;
    b->head->fail_row = fl.row;
    if (fl.row != SIZE_MAX) {
        b->head->st = fl.st;
        b->head->err = fl.err;
    }
}

/*
 * The batches of a rank other than 0 (batch i is rank i % size's), each sent to rank 0 as it
 * is done. Up to AHEAD of them are in flight, so this rank goes on computing while rank 0 is
 * busy with its own batches or another rank's. CYM_OK once they are sent, also after sending
 * the one that failed: rank 0 reports it, in its order.
 */
#define AHEAD 4
static cym_status send_rows(const runner *rn, size_t total, cym_error *err)
{
    batch b[AHEAD];
    cym__ranks_send sent[AHEAD];
    size_t k = 0, size = (size_t)cym__ranks_size();
    cym_status st = CYM_OK;

    memset(b, 0, sizeof(b));
    memset(sent, 0, sizeof(sent));
    for (size_t i = 0; i < AHEAD; i++)
        if (batch_init(&b[i], rn->cells) < 0) {
            st = nomem(err);
            goto cleanup;
        }
    for (size_t bi = (size_t)cym__ranks_rank(); bi * BATCH < total; bi += size, k++) {
        batch *x = &b[k % AHEAD];
        size_t start = bi * BATCH, n = total - start < BATCH ? total - start : BATCH;
        if ((st = cym__ranks_wait(&sent[k % AHEAD], err)) < 0)
            break;
        compute_batch(rn, x, start, n);
        if ((st = cym__ranks_post0(&sent[k % AHEAD], x->mem, x->bytes, err)) < 0)
            break;
        if (x->head->nomem || x->head->fail_row != SIZE_MAX)
            break;
    }
cleanup:
    for (size_t i = 0; i < AHEAD; i++) {
        cym_status s2 = cym__ranks_wait(&sent[i], err);
        if (st >= 0)
            st = s2;
        free(b[i].mem);
    }
    return st;
}

/*
 * Runs `total` rows in batches of BATCH and folds them: their failures (the first by row),
 * the statistics, the Sobol outputs at their rows' places, runs.csv in row order. Batch i is
 * computed by rank i % size (ranks.h), on its threads. With `gather` (runs.csv on several
 * ranks), rank 0 folds every batch in order, its own or received (the other ranks run
 * send_rows): it holds one batch at a time. Without, each rank folds its own batches and
 * merge_ranks adds the statistics up at the end: they are exact sums and counts, so the
 * result is the same bytes, and only the statistics travel, not every replication. On a
 * failure *at is the batch it happened in (SIZE_MAX: interrupted).
 */
static cym_status run_rows(runner *rn, size_t total, int gather, size_t *at,
                           cym_progress_fn progress, void *user, cym_error *err)
{
    size_t cells = rn->cells, bad;
    int me = cym__ranks_rank();
    unsigned char use[BATCH];
    batch b;
    cym_status st = CYM_OK;

    *at = (size_t)me; /* an allocation failure: as in this rank's first batch */
    if (batch_init(&b, cells) < 0)
        return nomem(err);
    for (size_t start = 0, bi = 0; start < total; start += BATCH, bi++) {
        size_t n = total - start < BATCH ? total - start : BATCH;
        int owner = cym__ranks_owner(bi);
        *at = bi;
        if (owner == me)
            compute_batch(rn, &b, start, n);
        else if (!gather)
            continue;
        else if ((st = cym__ranks_recv(b.mem, b.bytes, owner, err)) < 0)
            goto cleanup;
        if (b.head->nomem) {
            st = nomem(err);
            goto cleanup;
        }
        if (b.head->fail_row != SIZE_MAX) {
            char msg[CYM_ERROR_MESSAGE_MAX];
            snprintf(msg, sizeof(msg), "%s", b.head->err.message);
            st = cym_error_set(err, b.head->st, NULL, 0, 0, "replication %zu: %s",
                               b.head->fail_row + 1, msg);
            goto cleanup;
        }
        /* the statistics of A and B rows (or every Monte Carlo row), the cells in parallel */
        for (size_t i = 0; i < n; i++)
            use[i] = b.blocks[i] < 2;
        bad = cym__unc_stats_add_rows(rn->st, b.rank, b.score, n, use, cym__unc_threads(rn->d->o));
        if (bad != SIZE_MAX) {
            st = cym_error_set(err, CYM_EDATA, NULL, 0, 0,
                               "replication %zu: an index score beyond 2^38 cannot be summarised",
                               start + bad + 1);
            goto cleanup;
        }
        /* in row order: the Sobol outputs and runs.csv */
        for (size_t i = 0; i < n; i++) {
            const double *rank = b.rank + i * cells, *score = b.score + i * cells;
            if (rn->sobol)
                outputs_of(rn, rank, b.blocks[i], b.js[i]);
            if (!use[i])
                continue;
            rn->u->runs++;
            if (rn->keep)
                keep_row(rn->keep, rn->u, rn->d, start + i, &b.ch[i], rank, score);
        }
        /* without gather, the other ranks are about as far: batch bi is as good a measure */
        if (progress && progress(user, start + n, total)) {
            *at = SIZE_MAX;
            st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "interrupted");
            goto cleanup;
        }
    }
cleanup:
    free(b.mem);
    return st;
}

/* What a rank tells rank 0 after folding its own batches: its first failure, if any. */
typedef struct fold_head {
    size_t at; /* the batch of the failure; SIZE_MAX: none */
    cym_status st;
    unsigned long long runs;
    cym_error err;
} fold_head;

/*
 * After run_rows without gather: the other ranks send rank 0 their first failure, or their
 * statistics and Sobol outputs, which rank 0 adds to its own (the Sobol outputs of a row are
 * 0 on every rank but the one that computed it). The failure reported is the one of the
 * earliest batch, as one process would have stopped at it. st and at are this rank's.
 */
static cym_status merge_ranks(runner *rn, cym_status st, size_t at, cym__unc_stats *tmp,
                              double *tmp_y, size_t n_y, cym_error *err)
{
    fold_head h;
    memset(&h, 0, sizeof(h));
    if (cym__ranks_rank() != 0) {
        h.at = st < 0 ? at : SIZE_MAX;
        h.st = st;
        h.runs = rn->u->runs;
        if (st < 0 && err)
            h.err = *err;
        if ((st = cym__ranks_send0(&h, sizeof(h), err)) < 0 || h.at != SIZE_MAX)
            return st;
        if ((st = cym__unc_stats_send(rn->st, err)) < 0)
            return st;
        return n_y ? cym__ranks_send0(rn->y, n_y * sizeof(double), err) : CYM_OK;
    }
    {
        fold_head first = h;
        first.at = st < 0 ? at : SIZE_MAX;
        first.st = st;
        if (st < 0 && err)
            first.err = *err;
        for (int p = 1; p < cym__ranks_size(); p++) {
            if ((st = cym__ranks_recv(&h, sizeof(h), p, err)) < 0)
                return st;
            if (h.at != SIZE_MAX) {
                if (h.at < first.at)
                    first = h;
                continue;
            }
            if ((st = cym__unc_stats_recv_add(rn->st, tmp, p, err)) < 0)
                return st;
            if (n_y) {
                if ((st = cym__ranks_recv(tmp_y, n_y * sizeof(double), p, err)) < 0)
                    return st;
                for (size_t i = 0; i < n_y; i++)
                    rn->y[i] += tmp_y[i];
            }
            rn->u->runs += h.runs;
        }
        if (first.at == SIZE_MAX)
            return CYM_OK;
        if (err)
            *err = first.err;
        return first.st;
    }
}

/*
 * The spool of keep-runs (runs.csv, copied into the output folder at the end): an unnamed
 * file in $TMPDIR (else /tmp), as large as the replications need, so it goes where the user
 * put the room for temporary files. *path gets its name, for a message.
 */
static FILE *spool(char *path, size_t n)
{
    const char *dir = getenv("TMPDIR");
    FILE *f;
    int fd;
    snprintf(path, n, "%s/cymetrics-runs-XXXXXX", dir && *dir ? dir : "/tmp");
    if ((fd = mkstemp(path)) < 0)
        return NULL;
    unlink(path); /* gone with the last close, whatever happens */
    if (!(f = fdopen(fd, "w+")))
        close(fd);
    return f;
}

cym_status cym_uncertainty_run(cym_uncertainty **out, const cym_dataset *ds,
                               const cym_uncertainty_options *o, cym_error *err)
{
    cym__unc_design d;
    cym__unc_stats s;
    runner rn;
    cym_uncertainty *u = NULL;
    cym_results *nom = NULL;
    double lo = INFINITY, hi = -INFINITY;
    size_t cells, total, N = (size_t)o->spec.runs, at, n_y = 0;
    int me = cym__ranks_rank(), size = cym__ranks_size(), gather;
    cym__unc_stats tmp;
    double *tmp_y = NULL;
    cym_status st;

    *out = NULL;
    memset(&s, 0, sizeof(s));
    memset(&tmp, 0, sizeof(tmp));
    memset(&rn, 0, sizeof(rn));
    if ((st = cym__unc_design_init(&d, ds, o, err)) < 0)
        goto cleanup;
    if ((st = cym_pipeline_run(&nom, ds, &d.po, err)) < 0)
        goto cleanup;
    cym__unc_widen(&lo, &hi, nom);
    if ((st = cym__unc_check_alternatives(&d, &lo, &hi, err)) < 0)
        goto cleanup;
    if ((st = cym__unc_prepare_cache(&d, nom, err)) < 0)
        goto cleanup;
    rn.d = &d;
    rn.cells = nom->n_units * nom->n_years;
    rn.sobol = o->spec.sobol != 0;
    rn.N = N;
    total = rn.sobol ? N * (d.n_factors + 2) : N;
    /* runs.csv on several ranks: every replication goes to rank 0, in order */
    gather = o->spec.keep_runs && size > 1;
    if (gather && me != 0) {
        st = send_rows(&rn, total, err);
        goto cleanup;
    }
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
    if (!u->nominal_rank || !u->nominal_score || cym__unc_stats_init(&s, cells, u->n_units) < 0) {
        st = nomem(err);
        goto cleanup;
    }
    for (size_t un = 0; un < u->n_units; un++)
        for (size_t t = 0; t < u->n_years; t++) {
            size_t c = cym_cube_cell(&nom->node_cube, un, t, ds->fw->root);
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

    rn.u = u;
    rn.st = &s;
    if (o->spec.keep_runs) {
        char path[4096];
        if (!(rn.keep = spool(path, sizeof(path)))) {
            st = cym_error_set(err, CYM_EIO, path, 0, 0,
                               "cannot create a temporary file for keep-runs: %s", strerror(errno));
            goto cleanup;
        }
        u->keep_ = rn.keep;
    }
    if (rn.sobol) {
        u->n_factors = d.n_factors;
        memcpy(u->factors, d.factor, sizeof(d.factor));
        u->n_outputs = u->n_years + (o->spec.sobol == 2 ? cells : 0);
        n_y = u->n_outputs * (d.n_factors + 2) * N;
        /* zeros: on several ranks, each fills the rows it computed */
        rn.y = calloc(n_y, sizeof(double));
        u->sobol = malloc(u->n_outputs * d.n_factors * sizeof(cym_sobol_index));
        if (!rn.y || !u->sobol) {
            st = nomem(err);
            goto cleanup;
        }
    }
    st = run_rows(&rn, total, gather, &at, me == 0 ? o->progress : NULL, o->progress_user, err);
    if (size > 1 && !gather && at != SIZE_MAX) {
        /* every rank folded its own batches: rank 0 adds them up */
        if (me == 0 && (cym__unc_stats_init(&tmp, cells, u->n_units) < 0 ||
                        (n_y && !(tmp_y = malloc(n_y * sizeof(double)))))) {
            st = nomem(err);
            goto cleanup;
        }
        st = merge_ranks(&rn, st, at, &tmp, tmp_y, rn.sobol ? n_y : 0, err);
    }
    if (st < 0 || me != 0)
        goto cleanup;
    if (o->progress && size > 1)
        o->progress(o->progress_user, total, total);
    if ((st = cym__unc_stats_finish(u, &s, err)) < 0)
        goto cleanup;
    u->rank_count = s.rank_count;
    s.rank_count = NULL;
    if ((u->n_scales = cym__unc_scales(u->scales, sizeof(u->scales), &d)) == 0) {
        st = nomem(err);
        goto cleanup;
    }
    if (u->n_scales > 1)
        /* scores of different scales: their mean and quantiles would mean nothing (the ranks
           are comparable; each replication's score is in runs.csv with its methods) */
        for (size_t c = 0; c < cells; c++)
            u->score_mean[c] = u->score_median[c] = u->score_q05[c] = u->score_q95[c] = NAN;
    if (rn.sobol) {
        size_t nb = d.n_factors + 2;
        for (size_t k = 0; k < u->n_outputs; k++) {
            const double *y = rn.y + k * nb * N;
            st = cym_sobol_estimate(u->sobol + k * d.n_factors, y, y + N, y + 2 * N, N, d.n_factors,
                                    N_BOOT, o->spec.seed, err);
            if (st < 0)
                goto cleanup;
        }
    }

cleanup:
    cym__unc_design_free(&d);
    cym__unc_stats_free(&s);
    cym__unc_stats_free(&tmp);
    free(rn.y);
    free(tmp_y);
    cym_results_free(nom);
    if (st < 0 || me != 0) {
        /* another rank of an MPI job: rank 0 has the results */
        cym_uncertainty_free(u);
        return st;
    }
    *out = u;
    return CYM_OK;
}
