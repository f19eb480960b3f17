/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Expert weight sets: a panel of experts each gives every framework node a weight; the
 * weights used are the node-by-node mean or median of the panel (a "budget allocation" panel
 * in the OECD/JRC Handbook, section 6.1.3), rescaled among siblings by aggregation like any
 * framework weight. The median resists one expert far from the rest; the mean keeps every
 * opinion. The spread (min, max, sample sd, type-7 IQR) is written beside the weights so the
 * panel's disagreement is visible, and the Monte Carlo can draw from the experts themselves.
 *
 * Checks: each expert must give at least one child of every aggregate a positive weight (a
 * panel member who zeroes a whole pillar's contents leaves the pillar undefined in the Monte
 * Carlo), and so must the combination (three experts each backing a different child have
 * median 0 for all three).
 */
#include "cymetrics/experts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/util.h"
#include "cymetrics/methods.h"
#include "io/csv.h"
#include "framework/experts_internal.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

cym_status cym_weights_combine(double *out, const double *x, size_t n, cym_weight_combine how)
{
    double *s;
    if (!n)
        return CYM_EUSAGE;
    if (how == CYM_COMBINE_MEAN) {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += x[i];
        *out = sum / (double)n;
        return CYM_OK;
    }
    s = malloc(n * sizeof(*s));
    if (!s)
        return CYM_ENOMEM;
    memcpy(s, x, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_double);
    *out = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    free(s);
    return CYM_OK;
}

void cym_weights_spread(const double *x, size_t n, double *min, double *max, double *sd,
                        double *iqr)
{
    double lo = INFINITY, hi = -INFINITY, mean = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
        mean += x[i];
    }
    mean = n ? mean / (double)n : NAN;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    if (min)
        *min = n ? lo : NAN;
    if (max)
        *max = n ? hi : NAN;
    if (sd)
        *sd = n >= 2 ? sqrt(ss / (double)(n - 1)) : NAN;
    if (iqr)
        *iqr = n ? cym_stats_quantile(x, n, 0.75) - cym_stats_quantile(x, n, 0.25) : NAN;
}

cym_status cym_weight_combine_parse(cym_weight_combine *out, const char *text)
{
    if (strcmp(text, "mean") == 0)
        *out = CYM_COMBINE_MEAN;
    else if (strcmp(text, "median") == 0)
        *out = CYM_COMBINE_MEDIAN;
    else
        return CYM_EUSAGE;
    return CYM_OK;
}

const char *cym_weight_combine_name(cym_weight_combine how)
{
    return how == CYM_COMBINE_MEDIAN ? "median" : "mean";
}

void cym__experts_free(cym_experts *x)
{
    if (!x)
        return;
    cym__free_strings(x->names, x->n_experts);
    free(x->w);
    free(x->framework_weight);
    free(x->combined);
    free(x->path);
    free(x);
}

/* ---- reading ------------------------------------------------------------------------ */

typedef struct rd {
    const cym_framework *fw;
    cym_experts *x;
    const char *path;
    unsigned long *line; /* [node]: line of its row, 0 = none */
    unsigned long *col;  /* [node * n_experts + e]: column of the expert's field */
    unsigned long last_line;
} rd;

static cym_status on_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    rd *c = ctx;
    cym_experts *x = c->x;
    long node;
    const cym__csv_field *f = row->f;

    c->last_line = row->line;
    if (row->index == 0) {
        if (row->n < 1 || strcmp(f[0].text, "code") != 0)
            return cym_error_set(err, CYM_EDATA, c->path, f[0].line, f[0].col,
                                 "the first column must be 'code' (then one column per "
                                 "expert), not '%s'",
                                 row->n ? f[0].text : "");
        if (row->n < 2)
            return cym_error_set(err, CYM_EDATA, c->path, f[0].line, f[0].col,
                                 "no expert column after 'code' (expected code,expert_1,...)");
        x->n_experts = row->n - 1;
        x->names = calloc(x->n_experts, sizeof(char *));
        x->w = malloc(x->n_nodes * x->n_experts * sizeof(double));
        c->col = calloc(x->n_nodes * x->n_experts, sizeof(*c->col));
        if (!x->names || !x->w || !c->col)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t k = 0; k < x->n_nodes * x->n_experts; k++)
            x->w[k] = NAN;
        for (size_t e = 0; e < x->n_experts; e++) {
            const cym__csv_field *h = &f[e + 1];
            if (!h->text[0])
                return cym_error_set(err, CYM_EDATA, c->path, h->line, h->col,
                                     "expert column %zu has no name", e + 1);
            for (size_t k = 0; k < e; k++)
                if (strcmp(x->names[k], h->text) == 0)
                    return cym_error_set(err, CYM_EDATA, c->path, h->line, h->col,
                                         "expert '%s' appears twice in the header", h->text);
            if (!(x->names[e] = cym__strdup(h->text)))
                return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        }
        return CYM_OK;
    }
    if (row->n != x->n_experts + 1)
        return cym_error_set(err, CYM_EDATA, c->path, row->line,
                             row->n > x->n_experts + 1 ? f[x->n_experts + 1].col : f[row->n - 1].col,
                             "%zu fields, but the header has %zu (code and one weight per expert)",
                             row->n, x->n_experts + 1);
    node = cym_framework_find(c->fw, f[0].text);
    if (node < 0) {
        const char *hint = cym_framework_suggest(c->fw, f[0].text);
        return cym_error_set(err, CYM_EDATA, c->path, f[0].line, f[0].col,
                             "unknown node '%s' (not in the framework %s)%s%s%s", f[0].text,
                             c->fw->path, hint ? "; did you mean '" : "", hint ? hint : "",
                             hint ? "'?" : "");
    }
    if (c->line[node])
        return cym_error_set(err, CYM_EDATA, c->path, f[0].line, f[0].col,
                             "node '%s' has a second row (the first is on line %lu)", f[0].text,
                             c->line[node]);
    c->line[node] = row->line;
    for (size_t e = 0; e < x->n_experts; e++) {
        const cym__csv_field *v = &f[e + 1];
        double d;
        cym__num r = cym__parse_number(v->text, &d);
        if (r != CYM_NUM_OK)
            return cym_error_set(err, CYM_EDATA, c->path, v->line, v->col,
                                 "weight '%s' of '%s' by %s is not a number%s", v->text,
                                 f[0].text, x->names[e],
                                 r == CYM_NUM_MISSING ? " (every expert must weigh every node)"
                                                      : "");
        if (d < 0)
            return cym_error_set(err, CYM_EDATA, c->path, v->line, v->col,
                                 "weight of '%s' by %s is negative (%s)", f[0].text, x->names[e],
                                 v->text);
        x->w[(size_t)node * x->n_experts + e] = d;
        c->col[(size_t)node * x->n_experts + e] = v->col;
    }
    return CYM_OK;
}

/* Checks that `w` (one weight per node) gives some child of every aggregate a weight > 0. */
static long zero_siblings(const cym_framework *fw, const double *w, size_t stride, size_t e)
{
    for (size_t n = 0; n < fw->n_nodes; n++) {
        const cym_node *nd = &fw->nodes[n];
        double sum = 0;
        if (!nd->n_children)
            continue;
        for (size_t j = 0; j < nd->n_children; j++)
            sum += w[nd->children[j] * stride + e];
        if (!(sum > 0))
            return (long)n;
    }
    return -1;
}

/* The last row of n's children (where the problem becomes certain). */
static size_t last_child(const cym_framework *fw, const unsigned long *line, size_t n)
{
    size_t best = fw->nodes[n].children[0];
    for (size_t j = 0; j < fw->nodes[n].n_children; j++)
        if (line[fw->nodes[n].children[j]] > line[best])
            best = fw->nodes[n].children[j];
    return best;
}

cym_status cym_framework_load_experts(cym_framework *fw, const char *path, cym_weight_combine how,
                                      cym_error *err)
{
    rd c;
    cym_experts *x = calloc(1, sizeof(*x));
    double *col = NULL;
    cym__csv_opts o = {0};
    cym_status st = CYM_OK;

    memset(&c, 0, sizeof(c));
    if (!x)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    x->n_nodes = fw->n_nodes;
    x->combine = how;
    x->path = cym__strdup(path);
    x->framework_weight = malloc(fw->n_nodes * sizeof(double));
    x->combined = malloc(fw->n_nodes * sizeof(double));
    c.line = calloc(fw->n_nodes, sizeof(*c.line));
    if (!x->path || !x->framework_weight || !x->combined || !c.line) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    c.fw = fw;
    c.x = x;
    c.path = path;
    o.sha256 = x->digest.sha256;
    o.bytes = &x->digest.bytes;
    if ((st = cym__csv_read(path, &o, on_row, &c, err)) < 0)
        goto cleanup;
    if (!x->n_experts) {
        st = cym_error_set(err, CYM_EDATA, path, 1, 1,
                           "the file is empty (expected code,expert_1,... and a row per node)");
        goto cleanup;
    }
    for (size_t n = 0; n < fw->n_nodes; n++)
        if (n != fw->root && !c.line[n]) {
            st = cym_error_set(err, CYM_EDATA, path, c.last_line + 1, 1,
                               "node '%s' has no row (every node below the index needs the "
                               "weights of every expert)",
                               fw->nodes[n].code);
            goto cleanup;
        }
    for (size_t e = 0; e < x->n_experts; e++) {
        long z = zero_siblings(fw, x->w, x->n_experts, e);
        if (z >= 0) {
            size_t ch = last_child(fw, c.line, (size_t)z);
            st = cym_error_set(err, CYM_EDATA, path, c.line[ch], c.col[ch * x->n_experts + e],
                               "%s gives weight 0 to every child of '%s' (at least one must be "
                               "positive)",
                               x->names[e], fw->nodes[z].code);
            goto cleanup;
        }
    }
    col = malloc(x->n_experts * sizeof(*col));
    if (!col) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t n = 0; n < fw->n_nodes; n++) {
        x->framework_weight[n] = fw->nodes[n].weight;
        x->combined[n] = fw->nodes[n].weight; /* the root: not read */
        if (n == fw->root)
            continue;
        memcpy(col, x->w + n * x->n_experts, x->n_experts * sizeof(*col));
        if (cym_weights_combine(&x->combined[n], col, x->n_experts, how) < 0) {
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
    }
    {
        long z = zero_siblings(fw, x->combined, 1, 0);
        if (z >= 0) {
            st = cym_error_set(err, CYM_EDATA, path, c.line[last_child(fw, c.line, (size_t)z)], 1,
                               "the %s of the experts' weights is 0 for every child of '%s' "
                               "(use --weight-combine mean, or revise the weights)",
                               cym_weight_combine_name(how), fw->nodes[z].code);
            goto cleanup;
        }
    }
    /* success: the combined weights become the framework's */
    for (size_t n = 0; n < fw->n_nodes; n++)
        if (n != fw->root)
            fw->nodes[n].weight = x->combined[n];
    if (fw->experts) {
        /* a previous set: the framework's own weights are the ones it kept */
        memcpy(x->framework_weight, fw->experts->framework_weight, fw->n_nodes * sizeof(double));
        cym__experts_free(fw->experts);
    }
    fw->experts = x;
    x = NULL;

cleanup:
    free(col);
    free(c.line);
    free(c.col);
    cym__experts_free(x);
    return st;
}
