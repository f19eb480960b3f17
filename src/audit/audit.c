/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The statistical audit of a run (METHODS.md section 8), as the JRC audits composite indices
 * and COINr reports them:
 * - descriptives.csv: per indicator and year, on the raw values (before direction): n,
 *   missing, min, max, mean, median, sample sd, G1, G2, and COINr get_stats' flags (skewed
 *   and heavy-tailed: |G1| >= 2 and G2 >= 3.5; availability below 65 %; over half zeros;
 *   under half distinct values);
 * - correlations.csv: Pearson and Spearman on the normalised scores, pairwise-complete, of
 *   indicators with each other (by default only siblings once there are many: the pairs grow
 *   with the square; and siblings only under a parent of at most 100 children, as the JRC
 *   audit's within-pillar tables), and of every node with its parent and with the index;
 *   flags |r| > 0.9 between siblings (collinear) and a negative correlation with the parent;
 * - cronbach.csv: alpha of each aggregate over its direct children's scores;
 * - pca.csv: eigenvalues of the children's correlation matrix, variance explained and the
 *   first component's loadings, per aggregate and year (GSL gsl_eigen_symmv on a copy: it
 *   destroys its input, and eigenvector signs are arbitrary, so they are fixed to sum > 0);
 * - remove_one.csv: each indicator and each aggregate below the index left out in turn (its
 *   weight set to 0, the pipeline rerun): mean and largest absolute change of the index rank.
 *
 * The years are audited in parallel (descriptives, correlations, Cronbach and PCA of a year on
 * one thread), each into memory streams written in year order: the same bytes for any number of
 * threads. Within a year every column (a node's scores) is summarised once (col_prepare: its
 * units sorted by a radix sort, each unit's tie positions, its sum) and a pair of columns is
 * then one pass over the units (pair_sums): Pearson from the corrected two-pass sums,
 * compensated; Spearman from the average ranks over the pair's units, shifted by a prefix count
 * of the units the other column lacks instead of ranked again, in exact integers. Hand-written
 * (not gsl_stats_correlation, which the pair's values had to be gathered for, and which divides
 * once per value) because it made the audit of 2,000 countries x 500 indicators x 20 years take
 * 8 s; docs/performance.md, "The audit at scale".
 */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "cymetrics/methods.h"
#include "io/csv.h"
#include "ranks/ranks.h"

static cym_status nomem(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- columns and pairs ---------------------------------------------------------------- */

typedef struct vi {
    double v;
    size_t i;
} vi;

/* Sort key of a double: unsigned order = numeric order, -0 the same as +0 (no NaN here). */
static uint64_t key_of(double v)
{
    uint64_t u;
    v += 0.0; /* -0 + 0 is +0 */
    memcpy(&u, &v, sizeof(u));
    return u >> 63 ? ~u : u | UINT64_C(1) << 63;
}

/*
 * Sorts a[0..m) by value, equal values in their order in a (so by unit when a is in unit
 * order): a least-significant-digit radix sort, a byte a pass, passes where every key has the
 * same byte skipped. `tmp` holds m items. Several times faster than qsort's callbacks.
 */
static void sort_vi(vi *a, vi *tmp, size_t m)
{
    size_t cnt[8][256];
    vi *src = a, *dst = tmp, *sw;
    if (m < 2)
        return;
    memset(cnt, 0, sizeof(cnt));
    for (size_t k = 0; k < m; k++) {
        uint64_t key = key_of(a[k].v);
        for (int d = 0; d < 8; d++)
            cnt[d][key >> (8 * d) & 255]++;
    }
    for (int d = 0; d < 8; d++) {
        size_t sum = 0;
        if (cnt[d][key_of(a[0].v) >> (8 * d) & 255] == m)
            continue;
        for (int b = 0; b < 256; b++) {
            size_t c = cnt[d][b];
            cnt[d][b] = sum;
            sum += c;
        }
        for (size_t k = 0; k < m; k++)
            dst[cnt[d][key_of(src[k].v) >> (8 * d) & 255]++] = src[k];
        sw = src;
        src = dst;
        dst = sw;
    }
    if (src != a)
        memcpy(a, src, m * sizeof(vi));
}

/* One column (a node's scores in a year, over the units), summarised once for every pair. */
typedef struct col {
    const double *x;   /* the values, NaN where missing */
    uint32_t *ord;     /* [0, m): the present units by value, ties by unit; [m, len): the rest */
    uint32_t *gs, *ge; /* where present: the positions [gs, ge) of the unit's ties in ord */
    size_t m, len;
    double sum; /* of the present values */
} col;

/* Fills k (its ord, gs and ge already point to len items) from x; tmp holds 2 * len items. */
static void col_prepare(col *k, const double *x, size_t len, vi *tmp)
{
    size_t m = 0, miss = len;
    k->x = x;
    k->len = len;
    k->sum = 0;
    for (size_t u = 0; u < len; u++)
        if (isnan(x[u]))
            k->ord[--miss] = (uint32_t)u;
        else {
            tmp[m].v = x[u];
            tmp[m++].i = u;
            k->sum += x[u];
        }
    k->m = m;
    sort_vi(tmp, tmp + len, m);
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i; j < m && tmp[j].v == tmp[i].v; j++)
            k->ord[j] = (uint32_t)tmp[j].i;
        for (size_t q = i; q < j; q++) {
            k->gs[tmp[q].i] = (uint32_t)i;
            k->ge[tmp[q].i] = (uint32_t)j;
        }
    }
}

/* 1 when a takes two values or more over the units b has (exactly: its extremes there). */
static int varies_over(const col *a, const col *b)
{
    size_t lo = 0, hi = a->m;
    while (lo < hi && isnan(b->x[a->ord[lo]]))
        lo++;
    while (hi > lo && isnan(b->x[a->ord[hi - 1]]))
        hi--;
    return hi - lo >= 2 && a->x[a->ord[lo]] != a->x[a->ord[hi - 1]];
}

/* s[k] for k in [0, a->m]: how many of the units a has and b lacks come before position k of
   a's order (each counted at the start of its ties). */
static void lacking_before(uint32_t *s, const col *a, const col *b)
{
    memset(s, 0, (a->m + 1) * sizeof(*s));
    for (size_t k = b->m; k < b->len; k++)
        if (!isnan(a->x[b->ord[k]]))
            s[a->gs[b->ord[k]] + 1]++;
    for (size_t k = 1; k <= a->m; k++)
        s[k] += s[k - 1];
}

/* Adds p to the sum *s and the rounding error of that addition to *c (Knuth's TwoSum, exact
   whatever the magnitudes, without a branch). */
static void add_comp(double *s, double *c, double p)
{
    double t = *s + p, bp = t - *s;
    *c += (*s - (t - bp)) + (p - bp);
    *s = t;
}

/* What a pair of columns gives over the units both have: their number, the centred sums of
   squares and of products of the values, and (when asked) of twice the centred ranks. */
typedef struct pair {
    size_t n;
    double vx, vy, cxy;   /* sum (x - mx)^2, sum (y - my)^2, sum (x - mx)(y - my) */
    double rxx, ryy, rxy; /* the same of 2 (rank - (n + 1) / 2), exact integers */
} pair;

/*
 * The sums of a and b over the units both have, in one pass over the units. Values: the
 * corrected two-pass algorithm (Chan, Golub and LeVeque 1983: sum d^2 - (sum d)^2 / n, d the
 * value less the mean), the means over those units from the columns' sums less the units one
 * of them lacks. Ranks (with s: 2 * (len + 1) items of scratch): a unit's ties in a fill the
 * positions [gs, ge) of a's order; over the common units they fill [gs - l[gs], ge - l[ge])
 * (l: lacking_before), so their average rank is the mean of those positions plus one. Twice
 * the centred ranks are integers: their sums are exact (below 2^53).
 */
static void pair_sums(pair *p, const col *a, const col *b, uint32_t *s)
{
    size_t n = a->m;
    double sa = a->sum, sb = b->sum, mx, my, dx = 0, dy = 0;
    double xx = 0, yy = 0, xy = 0, cxx = 0, cyy = 0, cxy = 0; /* sums, their rounding errors */
    double rxx = 0, ryy = 0, rxy = 0;
    int64_t n1; /* n + 1, twice the mean rank */
    uint32_t *la = s, *lb = s ? s + a->len + 1 : NULL;
    for (size_t k = b->m; k < b->len; k++)
        if (!isnan(a->x[b->ord[k]])) {
            sa -= a->x[b->ord[k]];
            n--;
        }
    for (size_t k = a->m; k < a->len; k++)
        if (!isnan(b->x[a->ord[k]]))
            sb -= b->x[a->ord[k]];
    memset(p, 0, sizeof(*p));
    p->n = n;
    if (n == 0)
        return;
    mx = sa / (double)n;
    my = sb / (double)n;
    n1 = (int64_t)n + 1;
    if (s) {
        lacking_before(la, a, b);
        lacking_before(lb, b, a);
    }
    /* in blocks of 8 units, each summed plainly and added to the totals compensated: the
       accuracy of a short sum at the cost of a plain one */
    for (size_t u0 = 0; u0 < a->len; u0 += 8) {
        double bxx = 0, byy = 0, bxy = 0;
        int64_t qxx = 0, qyy = 0, qxy = 0; /* the ranks' */
        for (size_t u = u0; u < u0 + 8 && u < a->len; u++) {
            double d, e;
            if (isnan(a->x[u]) || isnan(b->x[u]))
                continue;
            d = a->x[u] - mx;
            e = b->x[u] - my;
            dx += d;
            dy += e;
            bxx += d * d;
            byy += e * e;
            bxy += d * e;
            if (s) {
                int64_t ra = (int64_t)a->gs[u] + a->ge[u] - la[a->gs[u]] - la[a->ge[u]] + 1 - n1,
                        rb = (int64_t)b->gs[u] + b->ge[u] - lb[b->gs[u]] - lb[b->ge[u]] + 1 - n1;
                qxx += ra * ra;
                qyy += rb * rb;
                qxy += ra * rb;
            }
        }
        rxx += (double)qxx;
        ryy += (double)qyy;
        rxy += (double)qxy;
        add_comp(&xx, &cxx, bxx);
        add_comp(&yy, &cyy, byy);
        add_comp(&xy, &cxy, bxy);
    }
    p->vx = (xx + cxx) - dx * dx / (double)n;
    p->vy = (yy + cyy) - dy * dy / (double)n;
    p->cxy = (xy + cxy) - dx * dy / (double)n;
    p->rxx = rxx;
    p->ryy = ryy;
    p->rxy = rxy;
}

/* c / sqrt(vx vy) within [-1, 1]; NaN unless both vary. */
static double ratio(double c, double vx, double vy)
{
    double r;
    if (!(vx > 0 && vy > 0))
        return NAN;
    r = vx * vy < INFINITY ? c / sqrt(vx * vy) : c / (sqrt(vx) * sqrt(vy));
    return r > 1 ? 1 : r < -1 ? -1 : r;
}

/* Pearson and Spearman of a and b, pairwise-complete, and the pair's sums into q; scratch:
   2 * (len + 1) items. */
static void pair_corr(double *p, double *s, pair *q, const col *a, const col *b, uint32_t *scratch)
{
    int vary = varies_over(a, b) && varies_over(b, a);
    *p = *s = NAN;
    pair_sums(q, a, b, vary ? scratch : NULL);
    if (q->n < 3 || !vary)
        return;
    *p = ratio(q->cxy, q->vx, q->vy);
    *s = ratio(q->rxy, q->rxx, q->ryy);
}

/* Cronbach's alpha of the columns cs[0..k) (see cym_audit_cronbach). The products and counts
   of pairs already summed for the correlations, when given: cxy[i * k + j] and n[i * k + j] - 1
   (0: not summed). */
static double alpha_of(const col *const *cs, size_t k, const double *cxy, const size_t *n)
{
    double off = 0, all = 0;
    if (k < 2)
        return NAN;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i; j < k; j++) {
            pair q;
            double c;
            if (n && n[i * k + j]) {
                q.cxy = cxy[i * k + j];
                q.n = n[i * k + j] - 1;
            } else
                pair_sums(&q, cs[i], cs[j], NULL);
            if (q.n < 2)
                return NAN;
            c = q.cxy / (double)(q.n - 1);
            all += i == j ? c : 2 * c;
            if (i != j)
                off += 2 * c;
        }
    if (all == 0)
        return NAN;
    return (double)(k * k) * (off / (double)(k * (k - 1))) / all;
}

/* Columns over k series of len units, their buffers in one block: *block to free. */
static col *cols_alloc(void **block, size_t k, size_t len)
{
    size_t d = k * len + 1;
    char *p = malloc(k * sizeof(col) + 3 * d * sizeof(uint32_t));
    uint32_t *o = (uint32_t *)(void *)(p + k * sizeof(col));
    col *cs = (col *)(void *)p;
    *block = p;
    if (!p)
        return NULL;
    for (size_t j = 0; j < k; j++) {
        cs[j].ord = o + j * len;
        cs[j].gs = o + d + j * len;
        cs[j].ge = o + 2 * d + j * len;
    }
    return cs;
}

cym_status cym_audit_corr(double *pearson, double *spearman, size_t *n, const double *x,
                          const double *y, size_t len, cym_error *err)
{
    void *block;
    col *cs = cols_alloc(&block, 2, len);
    vi *tmp = malloc((2 * len + 1) * sizeof(vi));
    uint32_t *scratch = malloc((2 * len + 2) * sizeof(uint32_t));
    pair q;
    cym_status st = CYM_OK;
    *pearson = *spearman = NAN;
    *n = 0;
    if (!cs || !tmp || !scratch)
        st = nomem(err);
    else {
        col_prepare(&cs[0], x, len, tmp);
        col_prepare(&cs[1], y, len, tmp);
        pair_corr(pearson, spearman, &q, &cs[0], &cs[1], scratch);
        *n = q.n;
    }
    free(block);
    free(tmp);
    free(scratch);
    return st;
}

double cym_audit_cronbach(const double *X, size_t n, size_t k)
{
    void *block;
    col *cs = cols_alloc(&block, k, n);
    const col **cp = malloc((k + 1) * sizeof(col *));
    double *x = malloc((k * n + 1) * sizeof(double)), alpha = NAN;
    vi *tmp = malloc((2 * n + 1) * sizeof(vi));
    if (cs && cp && x && tmp) {
        for (size_t j = 0; j < k; j++) {
            for (size_t r = 0; r < n; r++)
                x[j * n + r] = X[r * k + j];
            col_prepare(&cs[j], x + j * n, n, tmp);
            cp[j] = &cs[j];
        }
        alpha = alpha_of(cp, k, NULL, NULL);
    }
    free(block);
    free(cp);
    free(x);
    free(tmp);
    return alpha;
}

cym_status cym_audit_pca(double *eigval, double *loading, size_t *n_used, const double *X, size_t n,
                         size_t k, cym_error *err)
{
    double *C = NULL, *Y = NULL, *mean = NULL, *sd = NULL;
    gsl_matrix_view cv;
    gsl_vector *ev = NULL;
    gsl_matrix *evec = NULL;
    gsl_eigen_symmv_workspace *ws = NULL;
    size_t m = 0;
    cym_status st = CYM_OK;

    *n_used = 0;
    Y = malloc(n * k * sizeof(double) + 1);
    C = calloc(k * k + 1, sizeof(double));
    mean = calloc(k, sizeof(double));
    sd = calloc(k, sizeof(double));
    if (!Y || !C || !mean || !sd) {
        st = nomem(err);
        goto cleanup;
    }
    for (size_t r = 0; r < n; r++) {
        int ok = 1;
        for (size_t j = 0; j < k && ok; j++)
            ok = !isnan(X[r * k + j]);
        if (!ok)
            continue;
        memcpy(Y + m * k, X + r * k, k * sizeof(double));
        m++;
    }
    *n_used = m;
    if (m < 3) {
        st = cym_error_set(err, CYM_EDATA, NULL, 0, 0, "fewer than 3 complete rows");
        goto cleanup;
    }
    for (size_t j = 0; j < k; j++) {
        mean[j] = gsl_stats_mean(Y + j, k, m);
        sd[j] = gsl_stats_sd_m(Y + j, k, m, mean[j]);
        if (!(sd[j] > 0)) {
            st = cym_error_set(err, CYM_EDATA, NULL, 0, 0, "column %zu is constant", j + 1);
            goto cleanup;
        }
    }
    /* the covariances row by row over the centred values, one triangle (the matrix is
       symmetric, each entry summed in row order) */
    for (size_t r = 0; r < m; r++) {
        double *y = Y + r * k;
        for (size_t j = 0; j < k; j++)
            y[j] -= mean[j];
        for (size_t i = 0; i < k; i++)
            for (size_t j = i; j < k; j++)
                C[i * k + j] += y[i] * y[j];
    }
    for (size_t i = 0; i < k; i++)
        for (size_t j = i; j < k; j++)
            C[j * k + i] = C[i * k + j] = C[i * k + j] / (double)(m - 1) / (sd[i] * sd[j]);
    ev = gsl_vector_alloc(k);
    evec = gsl_matrix_alloc(k, k);
    ws = gsl_eigen_symmv_alloc(k);
    if (!ev || !evec || !ws) {
        st = nomem(err);
        goto cleanup;
    }
    cv = gsl_matrix_view_array(C, k, k); /* C is destroyed here: it is our copy */
    if (gsl_eigen_symmv(&cv.matrix, ev, evec, ws) != GSL_SUCCESS ||
        gsl_eigen_symmv_sort(ev, evec, GSL_EIGEN_SORT_VAL_DESC) != GSL_SUCCESS) {
        st = cym_error_set(err, CYM_EDATA, NULL, 0, 0, "eigen-decomposition failed");
        goto cleanup;
    }
    {
        double sum = 0, l1 = gsl_vector_get(ev, 0), s;
        for (size_t j = 0; j < k; j++) {
            eigval[j] = gsl_vector_get(ev, j);
            sum += gsl_matrix_get(evec, j, 0);
        }
        s = sum < 0 ? -1.0 : 1.0;
        for (size_t j = 0; j < k; j++)
            loading[j] = s * gsl_matrix_get(evec, j, 0) * sqrt(l1 > 0 ? l1 : 0);
    }
cleanup:
    free(Y);
    free(C);
    free(mean);
    free(sd);
    if (ev)
        gsl_vector_free(ev);
    if (evec)
        gsl_matrix_free(evec);
    if (ws)
        gsl_eigen_symmv_free(ws);
    return st;
}

/* ---- the tables ---------------------------------------------------------------------- */

static const char *code_of(const cym_results *r, size_t node)
{
    return r->fw->nodes[node].code;
}

/* Indicators whose raw values the descriptives read out of the cube at a time (a unit's row of
   them is contiguous in the cube: few cache lines, and not a year's copy of the raw cube). */
#define RAW_CHUNK 64

/* What one thread needs to audit a year: the columns of every node, scratch. */
typedef struct year_ctx {
    const cym_results *r;
    int all;           /* every pair of indicators, else siblings under a small parent */
    col *cols;         /* [node] */
    void *block;       /* the columns' buffers */
    double *x;         /* [node][unit] scores of the year */
    double *raw;       /* [RAW_CHUNK indicators][unit] raw values of the year */
    double *buf;       /* [unit] */
    uint32_t *scratch; /* [2 * (unit + 1)] */
    vi *tmp;           /* [2 * unit] */
    double *X;         /* [unit][child]: an aggregate's children for the PCA */
    const col **cp;    /* [child] */
    /* the sibling pairs' sums kept for Cronbach's alpha: node p's children i, j at
       at[p] + i * k + j of cxy and n (n + 1; 0 when not summed), at[p] = SIZE_MAX when p has
       more than CYM_AUDIT_SIBLINGS_MAX children; pos[node]: its place among its siblings */
    size_t *at, *pos, *n, n_kept;
    double *cxy;
} year_ctx;

static int year_ctx_init(year_ctx *yc, const cym_results *r, int all, size_t maxk)
{
    size_t nu = r->n_units, nn = r->fw->n_nodes;
    memset(yc, 0, sizeof(*yc));
    yc->r = r;
    yc->all = all;
    yc->cols = cols_alloc(&yc->block, nn, nu);
    yc->x = malloc((nn * nu + 1) * sizeof(double));
    yc->raw = malloc((RAW_CHUNK * nu + 1) * sizeof(double));
    yc->buf = malloc((nu + 1) * sizeof(double));
    yc->scratch = malloc((2 * nu + 2) * sizeof(uint32_t));
    yc->tmp = malloc((2 * nu + 1) * sizeof(vi));
    yc->X = malloc((nu * maxk + 1) * sizeof(double));
    yc->cp = malloc((maxk + 1) * sizeof(col *));
    yc->at = malloc((nn + 1) * sizeof(size_t));
    yc->pos = malloc((nn + 1) * sizeof(size_t));
    if (!yc->at || !yc->pos)
        return 0;
    for (size_t p = 0; p < nn; p++) {
        const cym_node *nd = &r->fw->nodes[p];
        yc->at[p] = SIZE_MAX;
        if (nd->n_children <= CYM_AUDIT_SIBLINGS_MAX) {
            yc->at[p] = yc->n_kept;
            yc->n_kept += nd->n_children * nd->n_children;
        }
        for (size_t j = 0; j < nd->n_children; j++)
            yc->pos[nd->children[j]] = j;
    }
    yc->cxy = malloc((yc->n_kept + 1) * sizeof(double));
    yc->n = malloc((yc->n_kept + 1) * sizeof(size_t));
    return yc->cols && yc->x && yc->raw && yc->buf && yc->scratch && yc->tmp && yc->X && yc->cp &&
           yc->cxy && yc->n;
}

static void year_ctx_free(year_ctx *yc)
{
    free(yc->block);
    free(yc->x);
    free(yc->raw);
    free(yc->buf);
    free(yc->scratch);
    free(yc->tmp);
    free(yc->X);
    free(yc->cp);
    free(yc->at);
    free(yc->pos);
    free(yc->cxy);
    free(yc->n);
}

/* The mean and the sample sd of x[0..n), n >= 1 (sd NaN under 2): compensated sums, the
   corrected two-pass variance (as the correlations'). */
static void mean_sd(double *mean, double *sd, const double *x, size_t n)
{
    double s = 0, c = 0, d = 0, ss = 0, cs = 0;
    for (size_t i = 0; i < n; i++)
        add_comp(&s, &c, x[i]);
    *mean = (s + c) / (double)n;
    for (size_t i = 0; i < n; i++) {
        double e = x[i] - *mean;
        d += e;
        add_comp(&ss, &cs, e * e);
    }
    *sd = n > 1 ? sqrt(((ss + cs) - d * d / (double)n) / (double)(n - 1)) : NAN;
}

/*
 * The raw values x[0..len) sorted into buf (returns how many): most often the order of the
 * indicator's scores (column k) already is theirs, or its reverse (normalisation is monotone),
 * which one pass checks; else (treatment, imputation, ties) sorted. A zero takes the sort too,
 * so that -0 and +0 keep the order of the units.
 */
static size_t sorted_raw(double *buf, const double *x, size_t len, const col *k, vi *tmp)
{
    size_t n = 0, m = 0;
    int up = 1, down = 1, zero = 0;
    for (size_t u = 0; u < len; u++)
        if (!isnan(x[u])) {
            tmp[m].v = x[u];
            tmp[m++].i = u;
            zero |= x[u] == 0;
        }
    for (size_t j = 0; j < k->m && !zero; j++) {
        double v = x[k->ord[j]];
        if (isnan(v))
            continue;
        if (n) {
            up &= buf[n - 1] <= v;
            down &= buf[n - 1] >= v;
        }
        buf[n++] = v;
    }
    if (n == m && !zero && (up || down)) {
        for (size_t j = 0; !up && j < n / 2; j++) {
            double v = buf[j];
            buf[j] = buf[n - 1 - j];
            buf[n - 1 - j] = v;
        }
        return n;
    }
    sort_vi(tmp, tmp + len, m);
    for (size_t j = 0; j < m; j++)
        buf[j] = tmp[j].v;
    return m;
}

/* The descriptives of year t (its rows), the columns of the scores prepared. */
static void descriptives_year(FILE *f, year_ctx *yc, size_t t)
{
    const cym_results *r = yc->r;
    size_t nu = r->n_units, ni = r->n_ind;
    double *buf = yc->buf;
    for (size_t i = 0; i < ni; i++) {
        size_t n, zeros = 0, distinct = 0;
        double mean = NAN, sd = NAN, med = NAN, mn = NAN, mx = NAN, sk, ku;
        char flags[128] = "";
        if (i % RAW_CHUNK == 0)
            /* the year's raw values of the next indicators, read a unit's row at a time */
            for (size_t u = 0; u < nu; u++)
                for (size_t j = i; j < ni && j < i + RAW_CHUNK; j++)
                    yc->raw[(j - i) * nu + u] = r->raw[cym_cube_cell(&r->ind_cube, u, t, j)];
        n = sorted_raw(buf, yc->raw + i % RAW_CHUNK * nu, nu, &yc->cols[r->fw->indicators[i]],
                       yc->tmp);
        for (size_t j = 0; j < n; j++) {
            zeros += buf[j] == 0;
            distinct += j == 0 || buf[j] != buf[j - 1];
        }
        if (n) {
            mn = buf[0];
            mx = buf[n - 1];
            mean_sd(&mean, &sd, buf, n);
            med = gsl_stats_median_from_sorted_data(buf, 1, n);
        }
        sk = cym_stats_skew(buf, n);
        ku = cym_stats_kurt(buf, n);
        if (fabs(sk) >= 2 && ku >= 3.5)
            strcat(flags, "skewed;");
        if ((double)n < 0.65 * (double)nu)
            strcat(flags, "low-availability;");
        if (n && (double)zeros > 0.5 * (double)n)
            strcat(flags, "many-zeros;");
        if (n && (double)distinct < 0.5 * (double)n)
            strcat(flags, "many-ties;");
        if (flags[0])
            flags[strlen(flags) - 1] = '\0';
        fprintf(f, "%d,", r->year0 + (int)t);
        cym__csv_put_text(f, code_of(r, r->fw->indicators[i]));
        fprintf(f, ",%zu,%zu", n, nu - n);
        cym__csv_put_nums(f, (const double[]){mn, mx, mean, med, sd, sk, ku}, 7);
        fprintf(f, ",%s\n", flags);
    }
}

enum relation { SIBLINGS, INDICATORS, PARENT, INDEX };

static void corr_row(FILE *f, year_ctx *yc, size_t t, size_t a, size_t b, enum relation rel)
{
    static const char *const names[] = {"siblings", "indicators", "parent", "index"};
    const cym_results *r = yc->r;
    const cym_framework *fw = r->fw;
    size_t par = (size_t)fw->nodes[a].parent, n;
    double p, s;
    const char *flag = "";
    pair q;
    pair_corr(&p, &s, &q, &yc->cols[a], &yc->cols[b], yc->scratch);
    n = q.n;
    if (rel == SIBLINGS && yc->at[par] != SIZE_MAX) {
        /* for the parent's alpha: the sums of (a, b) and (b, a) are the same numbers */
        size_t k = fw->nodes[par].n_children, i = yc->pos[a], j = yc->pos[b];
        yc->cxy[yc->at[par] + i * k + j] = yc->cxy[yc->at[par] + j * k + i] = q.cxy;
        yc->n[yc->at[par] + i * k + j] = yc->n[yc->at[par] + j * k + i] = q.n + 1;
    }
    if (rel == SIBLINGS && fabs(p) > 0.9)
        flag = "collinear";
    else if (rel == PARENT && p < 0)
        flag = "negative";
    /* a row per pair: without printf (the year and the count by the formatter's integer path) */
    cym__csv_put_num(f, r->year0 + (int)t);
    fputc(',', f);
    cym__csv_put_text(f, code_of(r, a));
    fputc(',', f);
    cym__csv_put_text(f, code_of(r, b));
    fputc(',', f);
    fputs(names[rel], f);
    cym__csv_put_nums(f, (const double[]){p, s, (double)n}, 3);
    fputc(',', f);
    fputs(flag, f);
    fputc('\n', f);
}

/* 1 when `pairs` has every pair of indicators of r written. */
static int every_pair(const cym_results *r, cym_audit_pairs pairs)
{
    double n = (double)r->n_ind;
    if (pairs == CYM_AUDIT_PAIRS_ALL)
        return 1;
    return pairs == CYM_AUDIT_PAIRS_AUTO &&
           n * (n - 1) / 2 * (double)r->n_years <= CYM_AUDIT_PAIRS_AUTO_MAX;
}

cym_status cym_audit_limits(cym_warnings *w, const cym_results *r, cym_audit_pairs pairs)
{
    const cym_framework *fw = r->fw;
    double n = (double)r->n_ind;
    cym_status st = CYM_OK;
    if (every_pair(r, pairs))
        return CYM_OK;
    if (pairs == CYM_AUDIT_PAIRS_AUTO)
        st = cym_warnings_add(w,
                              "audit: %.0f pairs of indicators over the years (over %d): "
                              "audit/correlations.csv pairs only indicators of the same parent "
                              "(audit-pairs = all pairs them all)",
                              n * (n - 1) / 2 * (double)r->n_years, CYM_AUDIT_PAIRS_AUTO_MAX);
    for (size_t p = 0; p < fw->n_nodes && st >= 0; p++) {
        double k = (double)fw->nodes[p].n_children;
        if (fw->nodes[p].n_children > CYM_AUDIT_SIBLINGS_MAX)
            st = cym_warnings_add(w,
                                  "audit: the %zu children of %s are not paired with each other "
                                  "in audit/correlations.csv (%.0f pairs a year; at most %d "
                                  "children are; audit-pairs = all pairs them)",
                                  fw->nodes[p].n_children, fw->nodes[p].code, k * (k - 1) / 2,
                                  CYM_AUDIT_SIBLINGS_MAX);
    }
    return st;
}

/* The correlations of year t (its rows), the columns prepared. */
static void corr_year(FILE *f, year_ctx *yc, size_t t)
{
    const cym_framework *fw = yc->r->fw;
    size_t nn = fw->n_nodes;
    if (yc->all) {
        for (size_t i = 0; i < yc->r->n_ind; i++)
            for (size_t j = i + 1; j < yc->r->n_ind; j++) {
                size_t a = fw->indicators[i], b = fw->indicators[j];
                int sib = fw->nodes[a].parent == fw->nodes[b].parent;
                corr_row(f, yc, t, a, b, sib ? SIBLINGS : INDICATORS);
            }
    } else {
        /* parent by parent, so the work too stays linear: at most 99 rows per child */
        for (size_t p = 0; p < nn; p++) {
            const cym_node *pn = &fw->nodes[p];
            if (pn->n_children > CYM_AUDIT_SIBLINGS_MAX)
                continue;
            for (size_t i = 0; i < pn->n_children; i++)
                for (size_t j = i + 1; j < pn->n_children; j++) {
                    size_t a = pn->children[i], b = pn->children[j];
                    if (!fw->nodes[a].n_children && !fw->nodes[b].n_children)
                        corr_row(f, yc, t, a, b, SIBLINGS);
                }
        }
    }
    for (size_t n = 0; n < nn; n++) {
        if (n == fw->root)
            continue;
        corr_row(f, yc, t, n, (size_t)fw->nodes[n].parent, PARENT);
        if ((size_t)fw->nodes[n].parent != fw->root)
            corr_row(f, yc, t, n, fw->root, INDEX);
    }
}

/* Cronbach's alpha and the PCA of every aggregate in year t (their rows), the columns
   prepared; CYM_ENOMEM. */
static cym_status cronbach_pca_year(FILE *fc, FILE *fp, year_ctx *yc, size_t t, cym_error *err)
{
    const cym_results *r = yc->r;
    const cym_framework *fw = r->fw;
    size_t nu = r->n_units;
    for (size_t n = 0; n < fw->n_nodes; n++) {
        const cym_node *nd = &fw->nodes[n];
        size_t k = nd->n_children, used;
        double ev[256], ld[256];
        cym_status st;
        int kept;
        if (!k)
            continue;
        for (size_t j = 0; j < k; j++)
            yc->cp[j] = &yc->cols[nd->children[j]];
        fprintf(fc, "%d,", r->year0 + (int)t);
        cym__csv_put_text(fc, nd->code);
        fprintf(fc, ",%zu", k);
        kept = yc->at[n] != SIZE_MAX;
        cym__csv_put_nums(fc,
                          (const double[]){alpha_of(yc->cp, k, kept ? yc->cxy + yc->at[n] : NULL,
                                                    kept ? yc->n + yc->at[n] : NULL)},
                          1);
        fputc('\n', fc);
        if (k < 2 || k > 256)
            continue;
        for (size_t u = 0; u < nu; u++)
            for (size_t j = 0; j < k; j++)
                yc->X[u * k + j] = yc->cp[j]->x[u];
        st = cym_audit_pca(ev, ld, &used, yc->X, nu, k, err);
        if (st == CYM_ENOMEM)
            return st;
        for (size_t j = 0; j < k; j++) {
            fprintf(fp, "%d,", r->year0 + (int)t);
            cym__csv_put_text(fp, nd->code);
            fprintf(fp, ",%zu,%zu", used, j + 1);
            cym__csv_put_nums(
                fp, (const double[]){st < 0 ? NAN : ev[j], st < 0 ? NAN : ev[j] / (double)k}, 2);
            fputc(',', fp);
            cym__csv_put_text(fp, code_of(r, nd->children[j]));
            cym__csv_put_nums(fp, (const double[]){st < 0 ? NAN : ld[j]}, 1);
            fputc('\n', fp);
        }
    }
    return CYM_OK;
}

/* Year t into f[0..4) (descriptives, correlations, Cronbach, PCA); CYM_ENOMEM. */
static cym_status audit_year(FILE *const f[4], year_ctx *yc, size_t t, cym_error *err)
{
    const cym_results *r = yc->r;
    size_t nu = r->n_units, nn = r->fw->n_nodes;
    /* the year's scores by node, read a unit's row at a time (the cube's order) */
    for (size_t u = 0; u < nu; u++)
        for (size_t n = 0; n < nn; n++)
            yc->x[n * nu + u] = r->score[cym_cube_cell(&r->node_cube, u, t, n)];
    for (size_t n = 0; n < nn; n++)
        col_prepare(&yc->cols[n], yc->x + n * nu, nu, yc->tmp);
    descriptives_year(f[0], yc, t);
    memset(yc->n, 0, yc->n_kept * sizeof(size_t));
    corr_year(f[1], yc, t);
    return cronbach_pca_year(f[2], f[3], yc, t, err);
}

/* The tables of every year: the years in parallel, each into memory streams, written in year
   order as soon as the years before are (so the same bytes for any number of threads, and the
   text of few years held at a time). */
static cym_status write_years(FILE *const f[4], const cym_results *r, cym_audit_pairs pairs,
                              cym_error *err)
{
    int all = every_pair(r, pairs), failed = 0;
    size_t ny = r->n_years, maxk = 1;
    for (size_t n = 0; n < r->fw->n_nodes; n++)
        if (r->fw->nodes[n].n_children > maxk)
            maxk = r->fw->nodes[n].n_children;
    fputs("year,code,n,missing,min,max,mean,median,sd,skew,kurt,flags\n", f[0]);
    fputs("year,a,b,relation,pearson,spearman,n,flag\n", f[1]);
    fputs("year,code,k,alpha\n", f[2]);
    fputs("year,code,n,component,eigenvalue,variance_explained,child,loading\n", f[3]);
#pragma omp parallel if (ny > 1 && r->n_units * r->fw->n_nodes * ny > 100000)
    {
        year_ctx yc;
        int ready = year_ctx_init(&yc, r, all, maxk);
        cym_error e;
#pragma omp for schedule(dynamic, 1) ordered
        for (size_t t = 0; t < ny; t++) {
            FILE *m[4] = {NULL, NULL, NULL, NULL};
            char *text[4] = {NULL, NULL, NULL, NULL};
            size_t len[4] = {0, 0, 0, 0};
            int bad, stop;
#pragma omp atomic read
            stop = failed;
            bad = stop || !ready;
            for (size_t q = 0; q < 4 && !bad; q++) {
                bad = !(m[q] = open_memstream(&text[q], &len[q]));
                /* this thread's own: stdio need not lock it for each fputc (it does once the
                   program has a second thread, as every run has) */
                if (!bad)
                    __fsetlocking(m[q], FSETLOCKING_BYCALLER);
            }
            if (!bad && audit_year(m, &yc, t, &e) < 0)
                bad = 1;
            for (size_t q = 0; q < 4; q++)
                if (m[q] && fclose(m[q]) != 0)
                    bad = 1;
            if (bad) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp ordered
            {
#pragma omp atomic read
                stop = failed;
                for (size_t q = 0; q < 4; q++) {
                    if (!stop && text[q])
                        fwrite(text[q], 1, len[q], f[q]);
                    free(text[q]);
                }
            }
        }
        year_ctx_free(&yc);
    }
    return failed ? nomem(err) : CYM_OK;
}

/* The weights of the remove-one, none left out yet: the framework's, or all equal. */
static void remove_weights(double *w, const cym_results *r)
{
    for (size_t m = 0; m < r->fw->n_nodes; m++)
        w[m] = r->opts.weights == CYM_WEIGHTS_EQUAL ? 1.0 : r->fw->nodes[m].weight;
}

/*
 * 1 when q, aggregated with the weights of remove_weights, holds the run's aggregate scores,
 * bit for bit (so the run was aggregated with those: not with per-node weights given, say);
 * q then holds the run's scores everywhere.
 */
static int same_aggregates(cym_results *q, cym_pipeline_options *po, double *w,
                           const cym_results *r)
{
    size_t cells = cym_cube_cells(&r->node_cube);
    cym_error e;
    remove_weights(w, r);
    cym_results_reset_options(q, po);
    if (cym_pipeline_aggregate_scores(q, &e) < 0)
        return 0;
    for (size_t c = 0; c < cells; c++)
        if (memcmp(&q->score[c], &r->score[c], sizeof(double)) != 0)
            return 0;
    return 1;
}

/*
 * What the remove-one of node n gives: per year the mean and the largest rank change. Only
 * n's weight differs from the run's, so with `above` (q holds the run's scores:
 * same_aggregates) only n's ancestors are aggregated again, and get the run's scores back
 * after; else every aggregate.
 */
static void remove_node(double *mean, double *mx, const cym_results *r, cym_results *q,
                        cym_pipeline_options *po, double *w, size_t n, int above, int *failed)
{
    const cym_framework *fw = r->fw;
    size_t ny = r->n_years;
    cym_error e;
    cym_status st;
    remove_weights(w, r);
    w[n] = 0;
    /* only the options, as the uncertainty analysis does: the aggregation writes the
       aggregates' scores again, the index's ranks are ranked again and are all that is read,
       and nothing reads the aggregates' data coverage (src/uncertainty/uncertainty.c) */
    cym_results_reset_options(q, po);
    st = above ? cym_pipeline_aggregate_above(q, n, &e) : cym_pipeline_aggregate_scores(q, &e);
    if (st >= 0)
        st = cym_pipeline_rank(q, &fw->root, 1, &e);
    if (st == CYM_ENOMEM) {
#pragma omp atomic write
        *failed = 1;
    }
    /* a removal the methods cannot take leaves its row empty */
    for (size_t t = 0; t < ny && st >= 0; t++) {
        double sum = 0, big = NAN;
        size_t cnt = 0;
        for (size_t u = 0; u < r->n_units; u++) {
            size_t c = cym_cube_cell(&r->node_cube, u, t, fw->root);
            double d = fabs(q->rank[c] - r->rank[c]);
            if (isnan(d))
                continue;
            sum += d;
            cnt++;
            if (isnan(big) || d > big)
                big = d;
        }
        mean[t] = cnt ? sum / (double)cnt : NAN;
        mx[t] = big;
    }
    for (long a = fw->nodes[n].parent; above && a >= 0; a = fw->nodes[a].parent)
        for (size_t u = 0; u < r->n_units; u++)
            for (size_t t = 0; t < ny; t++) {
                size_t c = cym_cube_cell(&r->node_cube, u, t, (size_t)a);
                q->score[c] = r->score[c];
            }
}

/*
 * The remove-one of every node below the index ([node][year] mean and largest change, NaN
 * when the removal could not be computed) on rank 0; on the other ranks of an MPI job, their
 * share of the nodes, sent to rank 0 (node n is rank n % size's, ranks.h). Each node is
 * computed whole on one thread of one rank, so the numbers do not depend on either.
 */
static cym_status remove_one(double *mean, double *mx, const cym_results *r, cym_error *err)
{
    const cym_framework *fw = r->fw;
    size_t ny = r->n_years;
    int failed = 0, me = cym__ranks_rank(), size = cym__ranks_size();
    double *pack = NULL;
    cym_status st = CYM_OK;
    for (size_t i = 0; i < fw->n_nodes * ny; i++)
        mean[i] = mx[i] = NAN;
        /* per node, in parallel: the run's prepared indicators aggregated again with the node's
           weight at 0 and the index ranked (the pipeline's own loops then run alone) */
#pragma omp parallel
    {
        double *w = malloc(fw->n_nodes * sizeof(double));
        cym_pipeline_options po = r->opts;
        cym_results *q = NULL;
        cym_error e;
        int above;
        po.node_weights = w;
        if (w && cym_results_derive(&q, r, &po, &e) < 0)
            q = NULL;
        above = q && same_aggregates(q, &po, w, r);
#pragma omp for schedule(dynamic, 1)
        for (size_t n = 0; n < fw->n_nodes; n++) {
            if (n == fw->root || cym__ranks_owner(n) != me)
                continue;
            if (!q) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            remove_node(mean + n * ny, mx + n * ny, r, q, &po, w, n, above, &failed);
        }
        cym_results_free(q);
        free(w);
    }
    if (size == 1)
        return failed ? nomem(err) : CYM_OK;
    /* a rank's message: its failure flag, then the mean and largest change of its nodes */
    pack = malloc((1 + 2 * ny * (fw->n_nodes / (size_t)size + 1)) * sizeof(double));
    if (!pack)
        return nomem(err);
    for (int p = me ? me : 1; p < (me ? me + 1 : size); p++) {
        size_t k = 1;
        if (me == 0) {
            size_t len = 1;
            for (size_t n = 0; n < fw->n_nodes; n++)
                len += cym__ranks_owner(n) == p ? 2 * ny : 0;
            if ((st = cym__ranks_recv(pack, len * sizeof(double), p, err)) < 0)
                break;
            failed |= pack[0] != 0;
        } else
            pack[0] = failed;
        for (size_t n = 0; n < fw->n_nodes; n++) {
            if (cym__ranks_owner(n) != p)
                continue;
            for (size_t t = 0; t < ny; t++, k += 2) {
                double *a = &pack[k], *b = &pack[k + 1];
                if (me == 0) {
                    mean[n * ny + t] = *a;
                    mx[n * ny + t] = *b;
                } else {
                    *a = mean[n * ny + t];
                    *b = mx[n * ny + t];
                }
            }
        }
        if (me != 0)
            st = cym__ranks_send0(pack, k * sizeof(double), err);
    }
    free(pack);
    if (st >= 0 && failed && me == 0)
        st = nomem(err);
    return st;
}

static cym_status write_remove_one(FILE *f, const cym_results *r, int run, cym_error *err)
{
    const cym_framework *fw = r->fw;
    size_t ny = r->n_years;
    double *mean = NULL, *mx = NULL;
    cym_status st = CYM_OK;
    fputs("year,code,level,mean_abs_rank_change,max_abs_rank_change\n", f);
    if (!run || r->opts.weights == CYM_WEIGHTS_PCA)
        return CYM_OK;
    mean = malloc(fw->n_nodes * ny * sizeof(double));
    mx = malloc(fw->n_nodes * ny * sizeof(double));
    if (!mean || !mx) {
        st = nomem(err);
        goto cleanup;
    }
    if ((st = remove_one(mean, mx, r, err)) < 0)
        goto cleanup;
    for (size_t t = 0; t < ny; t++)
        for (size_t n = 0; n < fw->n_nodes; n++) {
            if (n == fw->root)
                continue;
            fprintf(f, "%d,", r->year0 + (int)t);
            cym__csv_put_text(f, fw->nodes[n].code);
            fprintf(f, ",%d", fw->nodes[n].level);
            cym__csv_put_nums(f, (const double[]){mean[n * ny + t], mx[n * ny + t]}, 2);
            fputc('\n', f);
        }
cleanup:
    free(mean);
    free(mx);
    return st;
}

cym_status cym__audit_write(cym__outdir *od, const cym_results *r, int full, cym_audit_pairs pairs,
                            cym_error *err)
{
    static const char *const names[] = {"audit/descriptives.csv", "audit/correlations.csv",
                                        "audit/cronbach.csv", "audit/pca.csv",
                                        "audit/remove_one.csv"};
    FILE *f[5] = {NULL};
    cym_status st = CYM_OK;

    for (size_t i = 0; i < 5; i++)
        if ((st = cym__outdir_create(&f[i], od, names[i], err)) < 0)
            goto cleanup;
    if ((st = write_years(f, r, pairs, err)) < 0)
        goto cleanup;
    if ((st = write_remove_one(f[4], r, full || r->n_units * r->n_years * r->n_ind <= 200000,
                               err)) < 0)
        goto cleanup;
    for (size_t i = 0; i < 5; i++) {
        FILE *fi = f[i];
        f[i] = NULL;
        if ((st = cym__outdir_close(od, fi, names[i], err)) < 0)
            goto cleanup;
    }
cleanup:
    for (size_t i = 0; i < 5; i++)
        if (f[i])
            fclose(f[i]);
    return st;
}

cym_status cym_audit_write(const cym_results *r, const char *outdir, cym_audit_pairs pairs,
                           cym_error *err)
{
    cym__outdir od;
    cym_status st;
    memset(&od, 0, sizeof(od));
    if (cym__ranks_rank() != 0) {
        /* another rank of an MPI job: its share of the remove-one, for rank 0 to write */
        size_t cells = r->fw->n_nodes * r->n_years;
        double *mean, *mx;
        if (r->opts.weights == CYM_WEIGHTS_PCA)
            return CYM_OK;
        mean = malloc(cells * sizeof(double));
        mx = malloc(cells * sizeof(double));
        st = mean && mx ? remove_one(mean, mx, r, err) : nomem(err);
        free(mean);
        free(mx);
        return st;
    }
    if ((st = cym__outdir_open(&od, outdir, err)) < 0)
        goto cleanup;
    if ((st = cym__audit_write(&od, r, 1, pairs, err)) < 0)
        goto cleanup;
    st = cym__outdir_commit(&od, err);
cleanup:
    cym__outdir_free(&od);
    return st;
}
