/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_AUDIT_H
#define CYM_AUDIT_H

/**
 * Statistical audit of a run (METHODS.md section 8; the JRC audit and COINr's get_stats,
 * get_corr, get_cronbach, get_PCA): descriptives of the raw indicators, correlations of the
 * normalised scores, Cronbach's alpha and principal components per aggregate, and the rank
 * changes when each indicator or pillar is left out.
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Pearson and Spearman (average ranks for ties) correlation of x and y over the positions
 * where both are present (pairwise-complete); *n receives that count. NaN when n < 3 or a
 * variable is constant there. Computed centred (the corrected two-pass sums) and clamped to
 * [-1, 1]; Spearman's sums of ranks are exact. CYM_ENOMEM (then NaN and *n 0).
 */
cym_status cym_audit_corr(double *pearson, double *spearman, size_t *n, const double *x,
                          const double *y, size_t len, cym_error *err);

/**
 * Cronbach's alpha of the k columns of X (n x k row-major, NaN = missing): k^2 times the mean
 * off-diagonal covariance over the sum of all covariances, each covariance over the rows where
 * both columns are present (divisor n - 1). NaN when k < 2, a covariance cannot be formed or
 * memory runs out.
 */
double cym_audit_cronbach(const double *X, size_t n, size_t k);

/**
 * Principal components of the correlation matrix of the k columns of X (complete rows only):
 * eigenvalues in decreasing order into eigval[0..k), the first component's loadings
 * (eigenvector * sqrt(eigenvalue), signed so they sum positive) into loading[0..k), and the
 * number of complete rows into *n_used. CYM_EDATA when fewer than 3 complete rows or a column
 * is constant; CYM_ENOMEM.
 */
cym_status cym_audit_pca(double *eigval, double *loading, size_t *n_used, const double *X, size_t n,
                         size_t k, cym_error *err);

/**
 * Which pairs of indicators audit/correlations.csv correlates, besides every node with its
 * parent and with the index (the setting `audit-pairs`). Siblings (indicators of one parent)
 * are paired only under a parent of at most CYM_AUDIT_SIBLINGS_MAX children, unless ALL: so by
 * default the table grows at most linearly with the framework and the years.
 */
typedef enum cym_audit_pairs {
    /** every pair of indicators while there are at most CYM_AUDIT_PAIRS_AUTO_MAX of them over
        the years, else as WITHIN */
    CYM_AUDIT_PAIRS_AUTO = 0,
    /** the indicators of each parent with each other (the JRC audit's within-pillar table) */
    CYM_AUDIT_PAIRS_WITHIN = 1,
    /** every pair of indicators, however many: grows with the square of the indicators */
    CYM_AUDIT_PAIRS_ALL = 2
} cym_audit_pairs;

/** Most children of a parent whose indicators are paired with each other (but with ALL). */
#define CYM_AUDIT_SIBLINGS_MAX 100
/** Most indicator pairs over the years that AUTO writes every pair for. */
#define CYM_AUDIT_PAIRS_AUTO_MAX 20000

/**
 * Adds to `w` one line for each limit that `pairs` puts on correlations.csv of `r`: pairs of
 * indicators of different parents left out (AUTO over its bound), and each parent whose
 * children are not paired (more than CYM_AUDIT_SIBLINGS_MAX). Adds nothing with ALL.
 * CYM_ENOMEM.
 */
cym_status cym_audit_limits(cym_warnings *w, const cym_results *r, cym_audit_pairs pairs);

/**
 * Writes audit/descriptives.csv, audit/correlations.csv (with the pairs `pairs` says),
 * audit/cronbach.csv, audit/pca.csv and audit/remove_one.csv for the run `r` into `outdir`,
 * atomically. In a build with -DCYM_MPI=ON started by mpirun, every rank calls this with the
 * same run: the remove-one reruns are spread over the ranks and only rank 0 writes (the same
 * bytes as one process; docs/scale.md).
 */
cym_status cym_audit_write(const cym_results *r, const char *outdir, cym_audit_pairs pairs,
                           cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
