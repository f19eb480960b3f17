/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Framework loader: reads the indicator tree (one CSV row per node, columns in any order),
 * checks every rule of docs/formats.md and reports the first violation with its position.
 * Everything here is iterative (no recursion), so a framework nested 10,000 levels deep
 * cannot overflow the stack.
 */
#include "cymetrics/framework.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/strmap.h"
#include "core/util.h"
#include "framework/experts_internal.h"
#include "io/csv.h"

enum col {
    C_CODE,
    C_PARENT,
    C_NAME,
    C_WEIGHT,
    C_DIRECTION,
    C_METHOD,
    C_SCALE,
    C_GOAL_LO,
    C_GOAL_HI,
    C_TARGET,
    C_DENOMINATOR,
    C_UNIT,
    C_SOURCE,
    C_DESCRIPTION,
    C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "code",    "parent",  "name",   "weight",      "direction", "method", "scale",
    "goal_lo", "goal_hi", "target", "denominator", "unit",      "source", "description"};

#define EXPECTED_COLS                                                                              \
    "code, parent, name, weight, direction, method, scale, goal_lo, goal_hi, target, "             \
    "denominator, unit, source, description"

/* Positions of the cells later checks may point at. */
typedef struct cellpos {
    unsigned long col[C_COUNT];
} cellpos;

typedef struct loader {
    cym_framework *fw;
    const char *path;
    char decimal;      /* the file's decimal mark (cym__csv_detect) */
    long col[C_COUNT]; /* header index of each known column, -1 if absent */
    size_t n_header;
    char **parent_codes;
    cellpos *pos;
    size_t cap;
    int explicit_direction_cap;
    unsigned char *has_direction; /* direction cell was non-empty */
    unsigned char *has_scale;
} loader;

void cym_framework_free(cym_framework *fw)
{
    if (!fw)
        return;
    for (size_t i = 0; i < fw->n_nodes; i++) {
        cym_node *n = &fw->nodes[i];
        free(n->code);
        free(n->name);
        free(n->denominator);
        free(n->unit);
        free(n->source);
        free(n->description);
        free(n->children);
    }
    free(fw->nodes);
    free(fw->indicators);
    free(fw->bottom_up);
    free(fw->denominators);
    free(fw->path);
    cym__experts_free(fw->experts);
    cym__strmap_destroy(fw->index_);
    free(fw);
}

long cym_framework_find(const cym_framework *fw, const char *code)
{
    return cym__strmap_find(fw->index_, code);
}

const char *cym_framework_suggest(const cym_framework *fw, const char *code)
{
    const char *best = NULL;
    size_t bestd = strlen(code) / 3 + 1;
    if (bestd < 2)
        bestd = 2;
    for (size_t i = 0; i < fw->n_nodes; i++) {
        size_t d = cym__edit_distance(code, fw->nodes[i].code, bestd);
        if (d < bestd || (d == bestd && !best && d <= 2)) {
            if (d <= bestd) {
                best = fw->nodes[i].code;
                bestd = d;
            }
        }
    }
    return best;
}

static cym_status header_row(loader *L, const cym__csv_row *row, cym_error *err)
{
    for (int c = 0; c < C_COUNT; c++)
        L->col[c] = -1;
    if (row->n == 1 && strchr(row->f[0].text, ';'))
        return cym_error_set(err, CYM_EDATA, L->path, row->line, 1,
                             "the file seems to be separated by ';', not ','; export it as "
                             "comma-separated CSV");
    for (size_t i = 0; i < row->n; i++) {
        const char *h = row->f[i].text;
        int found = -1;
        for (int c = 0; c < C_COUNT; c++)
            if (strcmp(h, col_names[c]) == 0)
                found = c;
        if (found < 0) {
            const char *hint = "";
            for (int c = 0; c < C_COUNT; c++)
                if (cym__edit_distance(h, col_names[c], 2) <= 2) {
                    hint = col_names[c];
                    break;
                }
            if (*hint)
                return cym_error_set(
                    err, CYM_EDATA, L->path, row->line, row->f[i].col,
                    "unknown column '%s' (did you mean '%s'? expected: " EXPECTED_COLS ")", h,
                    hint);
            return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[i].col,
                                 "unknown column '%s' (expected: " EXPECTED_COLS ")", h);
        }
        if (L->col[found] >= 0)
            return cym_error_set(err, CYM_EDATA, L->path, row->line, row->f[i].col,
                                 "column '%s' appears twice in the header", h);
        L->col[found] = (long)i;
    }
    L->n_header = row->n;
    for (int c = C_CODE; c <= C_PARENT; c++)
        if (L->col[c] < 0)
            return cym_error_set(err, CYM_EDATA, L->path, row->line, 1,
                                 "missing required column '%s' (required: code, parent)",
                                 col_names[c]);
    return CYM_OK;
}

static cym_status opt_number(double *out, const cym__csv_row *row, long col, const char *what,
                             const char *path, char decimal, cym_error *err)
{
    const cym__csv_field *f;
    cym__num r;
    if (col < 0)
        return CYM_OK;
    f = &row->f[col];
    r = cym__parse_number_dec(f->text, decimal, out);
    if (r == CYM_NUM_OK)
        return CYM_OK;
    if (r == CYM_NUM_MISSING && f->text[0] == '\0') {
        *out = NAN;
        return CYM_OK;
    }
    if (r == CYM_NUM_NONFINITE)
        return cym_error_set(err, CYM_EDATA, path, f->line, f->col,
                             "%s '%s' is not a finite number", what, f->text);
    return cym_error_set(err, CYM_EDATA, path, f->line, f->col, "%s '%s' is not a number%s", what,
                         f->text, cym__number_hint(f->text));
}

/* Length of the longest prefix of `s` made of code characters. */
static size_t code_prefix(const char *s)
{
    size_t i = 0;
    while (s[i] && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
                    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' || s[i] == '-'))
        i++;
    return i;
}

static char *opt_text(const cym__csv_row *row, long col)
{
    return cym__strdup(col >= 0 ? row->f[col].text : "");
}

static cym_status data_row(loader *L, const cym__csv_row *row, cym_error *err)
{
    cym_framework *fw = L->fw;
    cym_node *n;
    const cym__csv_field *f;
    size_t i = fw->n_nodes;
    cym_status st;

    if (row->n != L->n_header)
        return cym_error_set(
            err, CYM_EDATA, L->path, row->line, row->n > L->n_header ? row->f[L->n_header].col : 1,
            "row has %zu field%s, the header has %zu", row->n, row->n == 1 ? "" : "s", L->n_header);
    if (i == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 64;
        if (cym__resize_array(&fw->nodes, cap, sizeof(*fw->nodes)) < 0 ||
            cym__resize_array(&L->parent_codes, cap, sizeof(*L->parent_codes)) < 0 ||
            cym__resize_array(&L->pos, cap, sizeof(*L->pos)) < 0 ||
            cym__resize_array(&L->has_direction, cap, sizeof(*L->has_direction)) < 0 ||
            cym__resize_array(&L->has_scale, cap, sizeof(*L->has_scale)) < 0)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        L->cap = cap;
    }
    n = &fw->nodes[i];
    memset(n, 0, sizeof(*n));
    L->parent_codes[i] = NULL;
    fw->n_nodes++; /* counted now so that cleanup frees what is allocated below */
    n->line = row->line;
    for (int c = 0; c < C_COUNT; c++)
        L->pos[i].col[c] = L->col[c] >= 0 ? row->f[L->col[c]].col : 1;
    L->has_direction[i] = 0;
    L->has_scale[i] = 0;

    f = &row->f[L->col[C_CODE]];
    if (!f->text[0])
        return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col, "empty code");
    if (f->text[code_prefix(f->text)])
        /* point at the first character that is not allowed (quoted fields start 1 later) */
        return cym_error_set(err, CYM_EDATA, L->path, f->line,
                             f->col + (unsigned long)f->quoted + code_prefix(f->text),
                             "invalid character in code '%s' (codes use only A-Z a-z 0-9 _ . "
                             "-)",
                             f->text);
    if (!cym__valid_code(f->text))
        return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                             "code '%.16s...' is %zu characters long (at most 64)", f->text,
                             f->len);
    n->code = cym__strdup(f->text);
    n->parent = -1;
    L->parent_codes[i] = cym__strdup(row->f[L->col[C_PARENT]].text);
    n->name = cym__strdup(L->col[C_NAME] >= 0 && row->f[L->col[C_NAME]].text[0]
                              ? row->f[L->col[C_NAME]].text
                              : f->text);
    n->denominator = opt_text(row, L->col[C_DENOMINATOR]);
    n->unit = opt_text(row, L->col[C_UNIT]);
    n->source = opt_text(row, L->col[C_SOURCE]);
    n->description = opt_text(row, L->col[C_DESCRIPTION]);
    if (!n->code || !n->name || !L->parent_codes[i] || !n->denominator || !n->unit || !n->source ||
        !n->description)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    if (n->denominator[0] && !cym__valid_code(n->denominator)) {
        f = &row->f[L->col[C_DENOMINATOR]];
        return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                             "invalid denominator code '%s'", f->text);
    }

    n->weight = 1.0;
    if (L->col[C_WEIGHT] >= 0) {
        f = &row->f[L->col[C_WEIGHT]];
        if (f->text[0]) {
            cym__num r = cym__parse_number_dec(f->text, L->decimal, &n->weight);
            if (r == CYM_NUM_NONFINITE)
                return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                                     "weight '%s' of '%s' is not a finite number", f->text,
                                     n->code);
            if (r != CYM_NUM_OK)
                return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                                     "weight '%s' of '%s' is not a number%s", f->text, n->code,
                                     cym__number_hint(f->text));
            if (n->weight < 0)
                return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                                     "weight of '%s' is negative (%s)", n->code, f->text);
        }
    }

    n->direction = 1;
    if (L->col[C_DIRECTION] >= 0) {
        const char *d;
        f = &row->f[L->col[C_DIRECTION]];
        d = f->text;
        if (d[0])
            L->has_direction[i] = 1;
        if (strcmp(d, "-") == 0 || strcmp(d, "-1") == 0)
            n->direction = -1;
        else if (d[0] && strcmp(d, "+") != 0 && strcmp(d, "1") != 0 && strcmp(d, "+1") != 0)
            return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                                 "direction '%s' of '%s' must be '+' (higher is better) or "
                                 "'-' (lower is better)",
                                 d, n->code);
    }

    if (L->col[C_METHOD] >= 0 && row->f[L->col[C_METHOD]].text[0]) {
        f = &row->f[L->col[C_METHOD]];
        st = cym_agg_parse(&n->method, f->text, err);
        if (st < 0) {
            if (err) {
                err->code = CYM_EDATA;
                err->line = f->line;
                err->column = f->col;
                snprintf(err->file, sizeof(err->file), "%s", L->path);
            }
            return CYM_EDATA;
        }
        n->has_method = 1;
    }

    n->scale = CYM_SCALE_CONTINUOUS;
    if (L->col[C_SCALE] >= 0 && row->f[L->col[C_SCALE]].text[0]) {
        const char *s;
        long k;
        f = &row->f[L->col[C_SCALE]];
        s = f->text;
        L->has_scale[i] = 1;
        if (strcmp(s, "binary") == 0)
            n->scale = CYM_SCALE_BINARY;
        else if (strncmp(s, "ordinal:", 8) == 0 && cym__parse_long(s + 8, 1, 1000000, &k) == 0) {
            n->scale = CYM_SCALE_ORDINAL;
            n->scale_k = (int)k;
        } else if (strcmp(s, "continuous") != 0)
            return cym_error_set(err, CYM_EDATA, L->path, f->line, f->col,
                                 "scale '%s' of '%s' must be continuous, binary or ordinal:K "
                                 "(K the highest level, e.g. ordinal:4)",
                                 s, n->code);
    }
    if ((st = opt_number(&n->goal_lo, row, L->col[C_GOAL_LO], "goal_lo", L->path, L->decimal,
                         err)) < 0 ||
        (st = opt_number(&n->goal_hi, row, L->col[C_GOAL_HI], "goal_hi", L->path, L->decimal,
                         err)) < 0 ||
        (st = opt_number(&n->target, row, L->col[C_TARGET], "target", L->path, L->decimal, err)) <
            0)
        return st;
    if (L->col[C_GOAL_LO] < 0)
        n->goal_lo = NAN;
    if (L->col[C_GOAL_HI] < 0)
        n->goal_hi = NAN;
    if (L->col[C_TARGET] < 0)
        n->target = NAN;
    return CYM_OK;
}

static cym_status on_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    loader *L = ctx;
    if (row->index == 0)
        return header_row(L, row, err);
    return data_row(L, row, err);
}

/* Links parents and children, finds the root, rejects cycles; fills levels and orders. */
static cym_status build_tree(loader *L, cym_error *err)
{
    cym_framework *fw = L->fw;
    size_t n = fw->n_nodes;
    cym__strmap *map = fw->index_;
    size_t *count = NULL, *queue = NULL;
    long root = -1;
    cym_status st = CYM_OK;

    for (size_t i = 0; i < n; i++) {
        size_t prev;
        int r = cym__strmap_put(map, fw->nodes[i].code, i, &prev);
        if (r < 0)
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        if (r == 0)
            return cym_error_set(err, CYM_EDATA, L->path, fw->nodes[i].line, L->pos[i].col[C_CODE],
                                 "duplicate code '%s' (first defined on line %lu)",
                                 fw->nodes[i].code, fw->nodes[prev].line);
    }
    for (size_t i = 0; i < n; i++) {
        const char *pc = L->parent_codes[i];
        size_t p;
        if (!pc[0]) {
            if (root >= 0)
                return cym_error_set(err, CYM_EDATA, L->path, fw->nodes[i].line,
                                     L->pos[i].col[C_PARENT],
                                     "'%s' has no parent, but '%s' (line %lu) is already the "
                                     "root: only the index may have an empty parent",
                                     fw->nodes[i].code, fw->nodes[root].code, fw->nodes[root].line);
            root = (long)i;
            continue;
        }
        if (!cym__strmap_get(map, pc, &p)) {
            const char *hint = cym_framework_suggest(fw, pc);
            if (hint)
                return cym_error_set(err, CYM_EDATA, L->path, fw->nodes[i].line,
                                     L->pos[i].col[C_PARENT],
                                     "parent '%s' of '%s' is not defined (did you mean '%s'?)", pc,
                                     fw->nodes[i].code, hint);
            return cym_error_set(err, CYM_EDATA, L->path, fw->nodes[i].line,
                                 L->pos[i].col[C_PARENT], "parent '%s' of '%s' is not defined", pc,
                                 fw->nodes[i].code);
        }
        fw->nodes[i].parent = (long)p;
    }
    if (root < 0)
        return cym_error_set(err, CYM_EDATA, L->path, n ? fw->nodes[0].line : 1, 0,
                             n ? "no root: exactly one row (the index) must have an empty "
                                 "parent"
                               : "the framework has no rows");
    fw->root = (size_t)root;

    /* children lists, in file order */
    count = calloc(n, sizeof(*count));
    queue = malloc(n * sizeof(*queue));
    if (!count || !queue) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        if (fw->nodes[i].parent >= 0)
            count[fw->nodes[i].parent]++;
    for (size_t i = 0; i < n; i++) {
        if (count[i]) {
            fw->nodes[i].children = malloc(count[i] * sizeof(size_t));
            if (!fw->nodes[i].children) {
                st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
                goto cleanup;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        long p = fw->nodes[i].parent;
        if (p >= 0)
            fw->nodes[p].children[fw->nodes[p].n_children++] = i;
    }

    /* breadth-first from the root: what it does not reach hangs in a cycle */
    {
        size_t head = 0, tail = 0;
        unsigned char *seen = (unsigned char *)count; /* reuse: count is no longer needed */
        memset(seen, 0, n * sizeof(*count));
        queue[tail++] = (size_t)root;
        seen[root] = 1;
        while (head < tail) {
            cym_node *nd = &fw->nodes[queue[head++]];
            for (size_t c = 0; c < nd->n_children; c++) {
                seen[nd->children[c]] = 1;
                queue[tail++] = nd->children[c];
            }
        }
        if (tail < n) {
            /* walk up from the first unreached node until a node repeats */
            size_t start = 0, cur;
            char path[400];
            size_t len = 0;
            while (seen[start])
                start++;
            /* mark the walk with 2 to find the first repeated node */
            cur = start;
            while (seen[cur] != 2) {
                seen[cur] = 2;
                cur = (size_t)fw->nodes[cur].parent;
            }
            /* cur is on the cycle: print it from cur around to cur */
            {
                size_t c = cur;
                do {
                    int w = snprintf(path + len, sizeof(path) - len, "%s -> ", fw->nodes[c].code);
                    if (w < 0 || (size_t)w >= sizeof(path) - len) {
                        len = sizeof(path) - 1;
                        break;
                    }
                    len += (size_t)w;
                    c = (size_t)fw->nodes[c].parent;
                } while (c != cur);
                if (len < sizeof(path) - 1)
                    snprintf(path + len, sizeof(path) - len, "%s", fw->nodes[cur].code);
            }
            st = cym_error_set(err, CYM_EDATA, L->path, fw->nodes[cur].line,
                               L->pos[cur].col[C_PARENT],
                               "cycle in the framework: %s (each node's parent is the next)", path);
            goto cleanup;
        }
    }

    /* bottom-up order = reverse breadth-first order; levels from the leaves up */
    fw->bottom_up = malloc(n * sizeof(size_t));
    fw->indicators = malloc(n * sizeof(size_t));
    if (!fw->bottom_up || !fw->indicators) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        fw->bottom_up[i] = queue[n - 1 - i];
    for (size_t i = 0; i < n; i++) {
        cym_node *nd = &fw->nodes[fw->bottom_up[i]];
        int lv = 1;
        for (size_t c = 0; c < nd->n_children; c++)
            if (fw->nodes[nd->children[c]].level + 1 > lv)
                lv = fw->nodes[nd->children[c]].level + 1;
        nd->level = lv;
    }
    fw->levels = fw->nodes[root].level;
    for (size_t i = 0; i < n; i++) {
        cym_node *nd = &fw->nodes[i];
        if (nd->n_children == 0) {
            fw->indicators[fw->n_indicators++] = i;
            if (nd->has_method) {
                st = cym_error_set(err, CYM_EDATA, L->path, nd->line, L->pos[i].col[C_METHOD],
                                   "'%s' is an indicator: an aggregation method belongs to "
                                   "aggregates only",
                                   nd->code);
                goto cleanup;
            }
            continue;
        }
        if (L->has_direction[i]) {
            st = cym_error_set(err, CYM_EDATA, L->path, nd->line, L->pos[i].col[C_DIRECTION],
                               "'%s' is an aggregate: direction applies to indicators only "
                               "(leave it empty)",
                               nd->code);
            goto cleanup;
        }
        if (L->has_scale[i]) {
            st = cym_error_set(err, CYM_EDATA, L->path, nd->line, L->pos[i].col[C_SCALE],
                               "'%s' is an aggregate: scale applies to indicators only", nd->code);
            goto cleanup;
        }
        {
            double wsum = 0;
            for (size_t c = 0; c < nd->n_children; c++)
                wsum += fw->nodes[nd->children[c]].weight;
            if (!(wsum > 0)) {
                st = cym_error_set(err, CYM_EDATA, L->path, nd->line, L->pos[i].col[C_CODE],
                                   "all %zu children of '%s' have weight 0", nd->n_children,
                                   nd->code);
                goto cleanup;
            }
        }
    }
    if (fw->n_nodes < 2) {
        st = cym_error_set(err, CYM_EDATA, L->path, fw->nodes[root].line, 0,
                           "the framework has only the root '%s': add indicators under it",
                           fw->nodes[root].code);
        goto cleanup;
    }

    /* distinct denominators */
    fw->denominators = malloc(n * sizeof(char *));
    if (!fw->denominators) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t ii = 0; ii < fw->n_indicators; ii++) {
        cym_node *nd = &fw->nodes[fw->indicators[ii]];
        int dup = 0;
        size_t tmp;
        if (!nd->denominator[0])
            continue;
        if (cym__strmap_get(map, nd->denominator, &tmp)) {
            st = cym_error_set(err, CYM_EDATA, L->path, nd->line,
                               L->pos[fw->indicators[ii]].col[C_DENOMINATOR],
                               "denominator '%s' of '%s' is a node of the framework; it must "
                               "be a separate data series",
                               nd->denominator, nd->code);
            goto cleanup;
        }
        for (size_t d = 0; d < fw->n_denominators; d++)
            if (strcmp(fw->denominators[d], nd->denominator) == 0)
                dup = 1;
        if (!dup)
            fw->denominators[fw->n_denominators++] = nd->denominator;
    }
    for (size_t i = 0; i < n; i++) {
        cym_node *nd = &fw->nodes[i];
        if (nd->n_children && nd->denominator[0]) {
            st = cym_error_set(err, CYM_EDATA, L->path, nd->line, L->pos[i].col[C_DENOMINATOR],
                               "'%s' is an aggregate: denominator applies to indicators only",
                               nd->code);
            goto cleanup;
        }
    }

cleanup:
    free(count);
    free(queue);
    return st;
}

cym_status cym_framework_load(cym_framework **out, const char *path, cym_error *err)
{
    loader L;
    cym_framework *fw;
    cym_status st;

    *out = NULL;
    memset(&L, 0, sizeof(L));
    fw = calloc(1, sizeof(*fw));
    if (!fw)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    L.fw = fw;
    L.path = path;
    fw->path = cym__strdup(path);
    fw->index_ = calloc(1, sizeof(cym__strmap));
    if (!fw->path || !fw->index_) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    {
        unsigned char delim = 0; /* the framework's own format, whatever the data's */
        cym__csv_opts o = {.sha256 = fw->digest.sha256, .bytes = &fw->digest.bytes};
        cym__csv_file f;
        if ((st = cym__csv_open(&f, path, err)) >= 0 &&
            (st = cym__csv_file_detect(&f, &delim, &L.decimal, err)) >= 0) {
            o.delim = delim;
            st = cym__csv_file_read(&f, &o, on_row, &L, err);
        }
        cym__csv_close(&f);
    }
    if (st < 0)
        goto cleanup;
    if (L.n_header == 0) {
        st = cym_error_set(err, CYM_EDATA, path, 1, 0,
                           "the file is empty; expected a header with at least the columns "
                           "code and parent");
        goto cleanup;
    }
    if (cym__strmap_init(fw->index_, fw->n_nodes) < 0) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    st = build_tree(&L, err);

cleanup:
    cym__free_strings(L.parent_codes, fw->n_nodes);
    free(L.pos);
    free(L.has_direction);
    free(L.has_scale);
    if (st < 0) {
        cym_framework_free(fw);
        return st;
    }
    *out = fw;
    return CYM_OK;
}
