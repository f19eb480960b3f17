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
 */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
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

/* Gathers the pairwise-complete values of x and y into a, b; 1 when both vary. */
static size_t gather_pairs(double *a, double *b, const double *x, const double *y, size_t len,
                           int *varies)
{
    size_t m = 0;
    int va = 0, vb = 0;
    for (size_t i = 0; i < len; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            a[m] = x[i];
            b[m] = y[i];
            va |= a[m] != a[0];
            vb |= b[m] != b[0];
            m++;
        }
    *varies = va && vb;
    return m;
}

void cym_audit_corr(double *pearson, double *spearman, size_t *n, const double *x, const double *y,
                    size_t len, double *work)
{
    double *a = work, *b = work + len;
    int varies;
    size_t m = gather_pairs(a, b, x, y, len, &varies);
    *n = m;
    *pearson = *spearman = NAN;
    if (m < 3 || !varies)
        return;
    *pearson = gsl_stats_correlation(a, 1, b, 1, m);
    *spearman = gsl_stats_spearman(a, 1, b, 1, m, work + 2 * len);
}

double cym_audit_cronbach(const double *X, size_t n, size_t k)
{
    double off = 0, all = 0;
    if (k < 2)
        return NAN;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i; j < k; j++) {
            double mi = 0, mj = 0, c = 0;
            size_t m = 0;
            for (size_t r = 0; r < n; r++)
                if (!isnan(X[r * k + i]) && !isnan(X[r * k + j])) {
                    mi += X[r * k + i];
                    mj += X[r * k + j];
                    m++;
                }
            if (m < 2)
                return NAN;
            mi /= (double)m;
            mj /= (double)m;
            for (size_t r = 0; r < n; r++)
                if (!isnan(X[r * k + i]) && !isnan(X[r * k + j]))
                    c += (X[r * k + i] - mi) * (X[r * k + j] - mj);
            c /= (double)(m - 1);
            all += i == j ? c : 2 * c;
            if (i != j)
                off += 2 * c;
        }
    if (all == 0)
        return NAN;
    return (double)(k * k) * (off / (double)(k * (k - 1))) / all;
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
    C = malloc(k * k * sizeof(double));
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
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double c = 0;
            for (size_t r = 0; r < m; r++)
                c += (Y[r * k + i] - mean[i]) * (Y[r * k + j] - mean[j]);
            C[i * k + j] = c / (double)(m - 1) / (sd[i] * sd[j]);
        }
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void write_descriptives(FILE *f, const cym_results *r, double *buf)
{
    size_t nu = r->n_units;
    fputs("year,code,n,missing,min,max,mean,median,sd,skew,kurt,flags\n", f);
    for (size_t t = 0; t < r->n_years; t++)
        for (size_t i = 0; i < r->n_ind; i++) {
            size_t n = 0, zeros = 0, distinct = 0;
            double mean = NAN, sd = NAN, med = NAN, mn = NAN, mx = NAN, sk, ku;
            char flags[128] = "";
            for (size_t u = 0; u < nu; u++) {
                double x = r->raw[cym_cube_cell(&r->ind_cube, u, t, i)];
                if (isnan(x))
                    continue;
                buf[n++] = x;
                zeros += x == 0;
            }
            qsort(buf, n, sizeof(double), cmp_double);
            for (size_t j = 0; j < n; j++)
                distinct += j == 0 || buf[j] != buf[j - 1];
            if (n) {
                mn = buf[0];
                mx = buf[n - 1];
                mean = gsl_stats_mean(buf, 1, n);
                med = gsl_stats_median_from_sorted_data(buf, 1, n);
                if (n > 1)
                    sd = gsl_stats_sd_m(buf, 1, n, mean);
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

/*
 * Correlations of one year. Spearman is Pearson on average ranks over the pairwise-complete
 * units. Each column's present units are sorted once per year (`ord`); a pair then ranks each
 * column by walking its order and skipping the units the other column lacks, which is linear
 * instead of a sort per pair: what makes the audit of a large framework affordable.
 */
typedef struct corr_ctx {
    const cym_results *r;
    int all; /* every pair of indicators, else siblings under a small parent */
    size_t t;
    double *cols; /* [node][unit] scores of year t */
    size_t *ord;  /* [node][..]: present units sorted by score (ties by unit) */
    size_t *n_ord;
    double *rx, *ry, *work;
    struct vi *tmp;
} corr_ctx;

typedef struct vi {
    double v;
    size_t i;
} vi;

static int by_value(const void *p, const void *q)
{
    const vi *a = p, *b = q;
    if (a->v != b->v)
        return (a->v > b->v) - (a->v < b->v);
    return (a->i > b->i) - (a->i < b->i);
}

/* Average ranks of column x (order ord[0..m)) over the units where `other` is present. */
static void ranks_over(double *rk, const double *x, const size_t *ord, size_t m,
                       const double *other)
{
    size_t pos = 0, i = 0;
    while (i < m) {
        size_t j, k, cnt = 0;
        if (isnan(other[ord[i]])) {
            i++;
            continue;
        }
        /* the tie group of x[ord[i]] among the kept units */
        for (j = i; j < m && x[ord[j]] == x[ord[i]]; j++)
            cnt += !isnan(other[ord[j]]);
        for (k = i; k < j; k++)
            if (!isnan(other[ord[k]]))
                rk[ord[k]] = (double)pos + (double)(cnt + 1) / 2.0;
        pos += cnt;
        i = j;
    }
}

static void corr_row(FILE *f, corr_ctx *cc, size_t a, size_t b, const char *relation)
{
    const cym_results *r = cc->r;
    size_t nu = r->n_units, n = 0;
    const double *x = cc->cols + a * nu, *y = cc->cols + b * nu;
    double p = NAN, s = NAN, *ga = cc->work, *gb = cc->work + nu, *ra = cc->work + 2 * nu,
           *rb = cc->work + 3 * nu;
    int va = 0, vb = 0;
    const char *flag = "";
    ranks_over(cc->rx, x, cc->ord + a * nu, cc->n_ord[a], y);
    ranks_over(cc->ry, y, cc->ord + b * nu, cc->n_ord[b], x);
    for (size_t u = 0; u < nu; u++)
        if (!isnan(x[u]) && !isnan(y[u])) {
            ga[n] = x[u];
            gb[n] = y[u];
            ra[n] = cc->rx[u];
            rb[n] = cc->ry[u];
            va |= ga[n] != ga[0];
            vb |= gb[n] != gb[0];
            n++;
        }
    if (n >= 3 && va && vb) {
        p = gsl_stats_correlation(ga, 1, gb, 1, n);
        s = gsl_stats_correlation(ra, 1, rb, 1, n);
    }
    if (strcmp(relation, "siblings") == 0 && fabs(p) > 0.9)
        flag = "collinear";
    else if (strcmp(relation, "parent") == 0 && p < 0)
        flag = "negative";
    fprintf(f, "%d,", r->year0 + (int)cc->t);
    cym__csv_put_text(f, code_of(r, a));
    fputc(',', f);
    cym__csv_put_text(f, code_of(r, b));
    fprintf(f, ",%s", relation);
    cym__csv_put_nums(f, (const double[]){p, s}, 2);
    fprintf(f, ",%zu,%s\n", n, flag);
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

/* The rows of year t. */
static void corr_year(FILE *f, corr_ctx *cc, size_t t)
{
    const cym_results *r = cc->r;
    const cym_framework *fw = r->fw;
    size_t nu = r->n_units, nn = fw->n_nodes;
    cc->t = t;
    for (size_t n = 0; n < nn; n++) {
        size_t m = 0;
        for (size_t u = 0; u < nu; u++) {
            double v = r->score[cym_cube_cell(&r->node_cube, u, t, n)];
            cc->cols[n * nu + u] = v;
            if (!isnan(v)) {
                cc->tmp[m].v = v;
                cc->tmp[m++].i = u;
            }
        }
        cc->n_ord[n] = m;
        qsort(cc->tmp, m, sizeof(vi), by_value);
        for (size_t k = 0; k < m; k++)
            cc->ord[n * nu + k] = cc->tmp[k].i;
    }
    if (cc->all) {
        for (size_t i = 0; i < r->n_ind; i++)
            for (size_t j = i + 1; j < r->n_ind; j++) {
                size_t a = fw->indicators[i], b = fw->indicators[j];
                int sib = fw->nodes[a].parent == fw->nodes[b].parent;
                corr_row(f, cc, a, b, sib ? "siblings" : "indicators");
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
                        corr_row(f, cc, a, b, "siblings");
                }
        }
    }
    for (size_t n = 0; n < nn; n++) {
        if (n == fw->root)
            continue;
        corr_row(f, cc, n, (size_t)fw->nodes[n].parent, "parent");
        if ((size_t)fw->nodes[n].parent != fw->root)
            corr_row(f, cc, n, fw->root, "index");
    }
}

/* Years in parallel, each into a memory stream, written in year order. */
static cym_status write_correlations(FILE *f, const cym_results *r, cym_audit_pairs pairs,
                                     cym_error *err)
{
    int all = every_pair(r, pairs);
    size_t nu = r->n_units, nn = r->fw->n_nodes, ny = r->n_years;
    char **text = calloc(ny, sizeof(char *));
    size_t *len = calloc(ny, sizeof(size_t));
    int failed = !text || !len;
    fputs("year,a,b,relation,pearson,spearman,n,flag\n", f);
#pragma omp parallel if (!failed && ny > 1)
    {
        corr_ctx cc;
        memset(&cc, 0, sizeof(cc));
        cc.r = r;
        cc.all = all;
        cc.cols = malloc((nn * nu + 1) * sizeof(double));
        cc.ord = malloc((nn * nu + 1) * sizeof(size_t));
        cc.n_ord = malloc((nn + 1) * sizeof(size_t));
        cc.rx = malloc((nu + 1) * sizeof(double));
        cc.ry = malloc((nu + 1) * sizeof(double));
        cc.tmp = malloc((nu + 1) * sizeof(vi));
        cc.work = malloc((4 * nu + 1) * sizeof(double));
#pragma omp for schedule(dynamic, 1)
        for (size_t t = 0; t < ny; t++) {
            FILE *m;
            if (failed || !cc.cols || !cc.ord || !cc.n_ord || !cc.rx || !cc.ry || !cc.tmp ||
                !cc.work || !(m = open_memstream(&text[t], &len[t]))) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            corr_year(m, &cc, t);
            if (fclose(m) != 0) {
#pragma omp atomic write
                failed = 1;
            }
        }
        free(cc.cols);
        free(cc.ord);
        free(cc.n_ord);
        free(cc.rx);
        free(cc.ry);
        free(cc.tmp);
        free(cc.work);
    }
    for (size_t t = 0; t < ny; t++) {
        if (!failed && text[t])
            fwrite(text[t], 1, len[t], f);
        if (text)
            free(text[t]);
    }
    free(text);
    free(len);
    return failed ? nomem(err) : CYM_OK;
}

/* Children scores of aggregate `node` in year t: X[u * k + j]. */
static void children(const cym_results *r, size_t node, size_t t, double *X)
{
    const cym_node *nd = &r->fw->nodes[node];
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t j = 0; j < nd->n_children; j++)
            X[u * nd->n_children + j] = r->score[cym_cube_cell(&r->node_cube, u, t, nd->children[j])];
}

static cym_status write_cronbach_pca(FILE *fc, FILE *fp, const cym_results *r, double *X,
                                     cym_error *err)
{
    const cym_framework *fw = r->fw;
    fputs("year,code,k,alpha\n", fc);
    fputs("year,code,n,component,eigenvalue,variance_explained,child,loading\n", fp);
    for (size_t t = 0; t < r->n_years; t++)
        for (size_t n = 0; n < fw->n_nodes; n++) {
            const cym_node *nd = &fw->nodes[n];
            size_t k = nd->n_children, used;
            double ev[256], ld[256];
            cym_status st;
            if (!k)
                continue;
            children(r, n, t, X);
            fprintf(fc, "%d,", r->year0 + (int)t);
            cym__csv_put_text(fc, nd->code);
            fprintf(fc, ",%zu", k);
            cym__csv_put_nums(fc, (const double[]){cym_audit_cronbach(X, r->n_units, k)}, 1);
            fputc('\n', fc);
            if (k < 2 || k > 256)
                continue;
            st = cym_audit_pca(ev, ld, &used, X, r->n_units, k, err);
            if (st == CYM_ENOMEM)
                return st;
            for (size_t j = 0; j < k; j++) {
                fprintf(fp, "%d,", r->year0 + (int)t);
                cym__csv_put_text(fp, nd->code);
                fprintf(fp, ",%zu,%zu", used, j + 1);
                cym__csv_put_nums(
                    fp, (const double[]){st < 0 ? NAN : ev[j], st < 0 ? NAN : ev[j] / (double)k},
                    2);
                fputc(',', fp);
                cym__csv_put_text(fp, code_of(r, nd->children[j]));
                cym__csv_put_nums(fp, (const double[]){st < 0 ? NAN : ld[j]}, 1);
                fputc('\n', fp);
            }
        }
    return CYM_OK;
}

/* What the remove-one of node n gives: per year the mean and the largest rank change. */
static void remove_node(double *mean, double *mx, const cym_results *r, cym_results *q,
                        cym_pipeline_options *po, double *w, size_t n, int *failed)
{
    const cym_framework *fw = r->fw;
    size_t ny = r->n_years;
    cym_error e;
    cym_status st;
    for (size_t m = 0; m < fw->n_nodes; m++)
        w[m] = r->opts.weights == CYM_WEIGHTS_EQUAL ? 1.0 : fw->nodes[m].weight;
    w[n] = 0;
    cym_results_reset(q, po);
    st = cym_pipeline_aggregate(q, &e);
    if (st >= 0)
        st = cym_pipeline_rank(q, &fw->root, 1, &e);
    if (st == CYM_ENOMEM) {
#pragma omp atomic write
        *failed = 1;
    }
    if (st < 0)
        return; /* a removal the methods cannot take leaves its row empty */
    for (size_t t = 0; t < ny; t++) {
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
        po.node_weights = w;
        if (w && cym_results_derive(&q, r, &po, &e) < 0)
            q = NULL;
#pragma omp for schedule(dynamic, 1)
        for (size_t n = 0; n < fw->n_nodes; n++) {
            if (n == fw->root || cym__ranks_owner(n) != me)
                continue;
            if (!q) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            remove_node(mean + n * ny, mx + n * ny, r, q, &po, w, n, &failed);
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
    size_t maxk = 1, nu = r->n_units;
    double *x = NULL, *y = NULL, *work = NULL, *X = NULL;
    cym_status st = CYM_OK;

    for (size_t n = 0; n < r->fw->n_nodes; n++)
        if (r->fw->nodes[n].n_children > maxk)
            maxk = r->fw->nodes[n].n_children;
    x = malloc((nu + 1) * sizeof(double));
    y = malloc((nu + 1) * sizeof(double));
    work = malloc(4 * (nu + 1) * sizeof(double));
    X = malloc((nu + 1) * maxk * sizeof(double));
    if (!x || !y || !work || !X) {
        st = nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < 5; i++)
        if ((st = cym__outdir_create(&f[i], od, names[i], err)) < 0)
            goto cleanup;
    write_descriptives(f[0], r, work);
    if ((st = write_correlations(f[1], r, pairs, err)) < 0)
        goto cleanup;
    if ((st = write_cronbach_pca(f[2], f[3], r, X, err)) < 0)
        goto cleanup;
    if ((st = write_remove_one(f[4], r, full || nu * r->n_years * r->n_ind <= 200000, err)) < 0)
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
    free(x);
    free(y);
    free(work);
    free(X);
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
