/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_UNCERTAINTY_UNC_INTERNAL_H
#define CYM_UNCERTAINTY_UNC_INTERNAL_H
/* Shared by the files of the uncertainty module: random streams, the design, statistics. */
#include <stdint.h>

/* Stream families: Monte Carlo rows, Saltelli A and B rows, bootstrap resamples. */
#define CYM__TAG_MC 0x4d43u
#define CYM__TAG_A 0x41u
#define CYM__TAG_B 0x42u
#define CYM__TAG_BOOT 0x424fu

/*
 * The 32-bit GSL seed of stream `index` of family `tag` under the user's seed. The index is
 * added to a hash of (seed, tag) and passed through a bijective 32-bit mixer, so distinct
 * indices of one family get distinct seeds (up to 2^32 streams): no two replications of an
 * analysis share a stream.
 */
static inline unsigned long cym__stream_seed(unsigned long seed, uint32_t tag, uint64_t index)
{
    uint64_t h = (uint64_t)seed * 0x9e3779b97f4a7c15ull + tag;
    uint32_t x;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    x = (uint32_t)(h ^ (h >> 32)) + (uint32_t)index;
    /* murmur3 fmix32: a bijection on 32 bits */
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

#include <stddef.h>

#include "cymetrics/pipeline.h"
#include "cymetrics/uncertainty.h"

/* ---- the design (design.c) ----------------------------------------------------------- */

/* The design: which factors, where their slices of U start, the perturbed nodes. */
typedef struct cym__unc_design {
    const cym_dataset *ds;
    const cym_framework *fw;
    const cym_uncertainty_options *o;
    cym_pipeline_options po; /* the nominal run's pipeline options */
    /* prepared indicators per (normalisation, imputation, treatment) a replication can draw,
       [norm][impute][treat] with index 0 the nominal method when the factor is off; NULL
       when they would take too much memory: each replication then prepares its own */
    struct cym__unc_prepared *prep;
    size_t n_prep;
    size_t n_factors;
    cym_unc_factor factor[CYM_UNC_N_FACTORS];
    size_t off[CYM_UNC_N_FACTORS + 1]; /* slice of factor i: U[off[i] .. off[i + 1]) */
    size_t D;
    size_t n_pert;
    size_t *pert;   /* nodes whose weight is perturbed */
    double *base_w; /* [node] nominal weights, or NULL (PCA) */
} cym__unc_design;

/* One prepared data set of the cache, or the error preparing it gave. */
typedef struct cym__unc_prepared {
    cym_results *r;
    cym_status st;
    cym_error err;
} cym__unc_prepared;

/* Cache only while it takes at most this much memory. */
#define CYM__UNC_PREPARED_MAX_BYTES ((size_t)512 << 20)

/* What one replication chose (for runs.csv). */
typedef struct cym__unc_choice {
    int norm, agg, impute, treat;
    long excluded; /* indicator position, or -1 */
} cym__unc_choice;

/* The uncertain factors of `o` and the nominal weights; CYM_EUSAGE for a factor the run cannot
   take. Free with cym__unc_design_free (also after a failure). */
cym_status cym__unc_design_init(cym__unc_design *d, const cym_dataset *ds,
                                const cym_uncertainty_options *o, cym_error *err);
void cym__unc_design_free(cym__unc_design *d);

/* The pipeline options and weights (w: n_nodes) of the point U, and what it chose. */
void cym__unc_apply(const cym__unc_design *d, const double *U, cym_pipeline_options *o, double *w,
                    cym__unc_choice *ch);

/* The number of distinct output scales of the index scores the design can draw (every
   normalisation x aggregation it can combine); their descriptions, "; "-separated, into
   buf[0..size); 0 when out of memory. */
size_t cym__unc_scales(char *buf, size_t size, const cym__unc_design *d);

/* Threads of the analysis: `threads`, or every core. */
int cym__unc_threads(const cym_uncertainty_options *o);

/* Widens the score range [lo, hi] with the index scores of r. */
void cym__unc_widen(double *lo, double *hi, const cym_results *r);

/* Each alternative once (naming the one the data cannot take); widens [lo, hi]. */
cym_status cym__unc_check_alternatives(const cym__unc_design *d, double *lo, double *hi,
                                       cym_error *err);

/* The prepared indicators of every combination a replication can draw, when they fit. */
cym_status cym__unc_prepare_cache(cym__unc_design *d, const cym_results *nominal, cym_error *err);

/* The cached preparation of a replication's choices, or NULL when nothing is cached. */
const cym__unc_prepared *cym__unc_prepared_of(const cym__unc_design *d, const cym__unc_choice *ch);

/* ---- streamed statistics (unc_stats.c) ----------------------------------------------- */

typedef struct cym__unc_stats {
    size_t cells, n_units;
    unsigned long long *rank_count;  /* [cell][0..n_units] */
    unsigned long long *score_count; /* [cell][SCORE_BINS + 2]: under, bins, over */
    int64_t *score_sum;              /* fixed point */
    unsigned long long *score_n;
    double *score_min, *score_max;
    double lo, hi; /* histogram range of the scores */
} cym__unc_stats;

int cym__unc_stats_init(cym__unc_stats *s, size_t cells, size_t n_units);
void cym__unc_stats_free(cym__unc_stats *s);
/* Adds the index ranks and scores of the rows i < n with use[i] (rank/score + i * cells), on
   `threads` threads; the first row with a score beyond 2^38 (not summed), or SIZE_MAX. */
size_t cym__unc_stats_add_rows(cym__unc_stats *s, const double *rank, const double *score, size_t n,
                               const unsigned char *use, int threads);
/* To rank 0 (from another rank of an MPI job, ranks.h): the statistics s. */
cym_status cym__unc_stats_send(const cym__unc_stats *s, cym_error *err);
/* On rank 0: the statistics of rank `from` into tmp (as large as s), added to s. Counts and
   the fixed-point sums add up exactly, min and max are order-free: the sum of the ranks'
   statistics is the statistics of all their replications, to the bit. */
cym_status cym__unc_stats_recv_add(cym__unc_stats *s, cym__unc_stats *tmp, int from,
                                   cym_error *err);
/* The means and quantiles of ranks and scores into u. CYM_ENOMEM. */
cym_status cym__unc_stats_finish(cym_uncertainty *u, const cym__unc_stats *s, cym_error *err);

#endif
