/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The human tables of a run, as data: the summary (rank, index, pillars, tier, coverage,
 * change since the previous year, rank change, trend direction; a mark on the countries below
 * the coverage policy), pillar ranks, the index by year, trends, the comparison with the group
 * and the leader, strengths and weaknesses, the distance to the next tier, and the framework
 * with its weights and data coverage. Each is built by one function of `builders` below from
 * the results and the trends; the Markdown, HTML and Excel writers read them all the same
 * way, so adding a table is adding a builder. Numbers stay full doubles here; only
 * cym__cell_text rounds them.
 *
 * Rows are in a fixed order (index.csv's: rank, then country code), so the outputs are
 * deterministic. Written by hand: formatting and bookkeeping, no statistics.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/util.h"
#include "cymetrics/compare.h"
#include "report/report_internal.h"

typedef struct tctx {
    const cym_results *r;
    const cym_trends *tr;
    const cym_report_options *o;
    size_t t;      /* latest year index */
    size_t *order; /* units by index rank of the latest year (unranked last), then code */
    int oom;
} tctx;

static cym__table *table_new(tctx *c, const char *id, size_t n_cols)
{
    cym__table *t = calloc(1, sizeof(*t));
    if (!t || !(t->cols = calloc(n_cols ? n_cols : 1, sizeof(cym__col)))) {
        free(t);
        c->oom = 1;
        return NULL;
    }
    t->id = id;
    t->n_cols = n_cols;
    return t;
}

static void table_free(cym__table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i].s);
    for (size_t j = 0; j < t->n_cols; j++)
        free(t->cols[j].head);
    free(t->cells);
    free(t->cols);
    free(t->title);
    free(t->note);
    free(t);
}

static char *dupf(tctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static char *dupf(tctx *c, const char *fmt, ...)
{
    va_list ap;
    int len;
    char *s;
    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = len < 0 ? NULL : malloc((size_t)len + 1);
    if (!s) {
        c->oom = 1;
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    return s;
}

static void col(tctx *c, cym__table *t, size_t j, const char *head, cym__col_kind kind)
{
    t->cols[j].head = dupf(c, "%s", head);
    t->cols[j].kind = kind;
}

/* A new row (every number NaN, every text ""); returns its index, or (size_t)-1. */
static size_t row(tctx *c, cym__table *t)
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? 2 * t->cap_rows : 16;
        if (cym__resize_array(&t->cells, cap * t->n_cols, sizeof(*t->cells)) < 0) {
            c->oom = 1;
            return (size_t)-1;
        }
        t->cap_rows = cap;
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        cym__cell *cell = &t->cells[t->n_rows * t->n_cols + j];
        cell->v = NAN;
        cell->s = NULL;
    }
    /* counted before its texts are allocated, so a failure half-way frees them with the
       table */
    t->n_rows++;
    for (size_t j = 0; j < t->n_cols; j++) {
        cym__cell *cell = &t->cells[(t->n_rows - 1) * t->n_cols + j];
        if (t->cols[j].kind == CYM__COL_TEXT && !(cell->s = dupf(c, "%s", "")))
            return (size_t)-1;
    }
    return t->n_rows - 1;
}

static void num(cym__table *t, size_t i, size_t j, double v)
{
    if (i != (size_t)-1)
        t->cells[i * t->n_cols + j].v = v;
}

static void text(tctx *c, cym__table *t, size_t i, size_t j, const char *s)
{
    char *d;
    if (i == (size_t)-1)
        return;
    if (!(d = dupf(c, "%s", s ? s : "")))
        return;
    free(t->cells[i * t->n_cols + j].s);
    t->cells[i * t->n_cols + j].s = d;
}

/* The columns Code and Country at j and j + 1, and their texts of unit u in row i. */
static void country_cols(tctx *c, cym__table *t, size_t j)
{
    col(c, t, j, "Code", CYM__COL_TEXT);
    col(c, t, j + 1, "Country", CYM__COL_TEXT);
}

static void country_text(tctx *c, cym__table *t, size_t i, size_t j, size_t u)
{
    text(c, t, i, j, c->r->ds->units[u].code);
    text(c, t, i, j + 1, c->r->ds->units[u].name);
}

static double score(const tctx *c, size_t u, size_t t, size_t node)
{
    return c->r->score[cym_cube_cell(&c->r->node_cube, u, t, node)];
}

static double rank(const tctx *c, size_t u, size_t t, size_t node)
{
    return c->r->rank[cym_cube_cell(&c->r->node_cube, u, t, node)];
}

static const cym_node *root(const tctx *c)
{
    return &c->r->fw->nodes[c->r->fw->root];
}

static size_t pillar(const tctx *c, size_t k)
{
    return root(c)->children[k];
}

/* "LEG = Legal measures; TEC = ..." for the notes */
static char *legend(tctx *c)
{
    cym__buf b = {0};
    char *s;
    for (size_t k = 0; k < root(c)->n_children; k++) {
        const cym_node *p = &c->r->fw->nodes[pillar(c, k)];
        cym__buf_printf(&b, "%s%s = %s", k ? "; " : "", p->code, p->name);
    }
    s = dupf(c, "%s", b.p && !b.oom ? b.p : "");
    c->oom |= b.oom;
    cym__buf_free(&b);
    return s;
}

static const char *scale_note(const tctx *c)
{
    return c->r->opts.norm.method == CYM_NORM_ZSCORE ? "z-scores" : "scores";
}

static int year(const tctx *c, size_t t)
{
    return c->r->year0 + (int)t;
}

/* ---- builders ------------------------------------------------------------------------- */

/* "Myanmar †" for a country-year below the coverage policy (cym_results_flagged) */
static void flag_mark(tctx *c, cym__table *tb, size_t k, size_t j, size_t u, size_t t)
{
    if (k != (size_t)-1 && cym_results_flagged(c->r, u, t)) {
        char *s = dupf(c, "%s " CYM_COVERAGE_MARK, c->r->ds->units[u].name);
        if (s) {
            free(tb->cells[k * tb->n_cols + j].s);
            tb->cells[k * tb->n_cols + j].s = s;
        }
    }
}

/* the note's sentence on the coverage column and its mark */
static char *coverage_note(tctx *c, size_t t)
{
    size_t flagged = 0;
    for (size_t u = 0; u < c->r->n_units; u++)
        flagged += (size_t)cym_results_flagged(c->r, u, t);
    if (!flagged)
        return dupf(c, "Coverage: share of the index's weight with data.");
    return dupf(c,
                "Coverage: share of the index's weight with data; " CYM_COVERAGE_MARK
                " below the coverage policy of %g %%: computed but flagged.",
                100.0 * c->r->opts.coverage_flag);
}

static cym__table *summary(tctx *c)
{
    const cym_results *r = c->r;
    size_t np = root(c)->n_children, nt = c->r->opts.n_tiers ? 1 : 0, t = c->t;
    size_t nc = 4 + np + nt + 4, root_n = r->fw->root, cv = 4 + np + nt;
    cym__table *tb = table_new(c, "summary", nc);
    char *leg, *cov;
    if (!tb)
        return NULL;
    tb->title = dupf(c, "%s %d", root(c)->name, year(c, t));
    leg = legend(c);
    cov = coverage_note(c, t);
    if (t > 0)
        tb->note = dupf(c,
                        "Index and pillar %s (%g to %g), higher is better. %s Change and rank "
                        "change since %d: + and \u25b2 are better, - and \u25bc worse. Trend: "
                        "Mann-Kendall test of the index over %d-%d at the %g %% level. %s.",
                        scale_note(c), c->r->opts.norm.lo, c->r->opts.norm.hi, cov ? cov : "",
                        year(c, t - 1), r->year0, year(c, t), c->o->trend.level * 100,
                        leg ? leg : "");
    else
        tb->note = dupf(c, "Index and pillar %s (%g to %g), higher is better. %s %s.",
                        scale_note(c), c->r->opts.norm.lo, c->r->opts.norm.hi, cov ? cov : "",
                        leg ? leg : "");
    free(leg);
    free(cov);
    col(c, tb, 0, "Rank", CYM__COL_RANK);
    country_cols(c, tb, 1);
    col(c, tb, 3, root(c)->code, CYM__COL_SCORE);
    for (size_t k = 0; k < np; k++)
        col(c, tb, 4 + k, r->fw->nodes[pillar(c, k)].code, CYM__COL_SCORE);
    if (nt)
        col(c, tb, 4 + np, "Tier", CYM__COL_TEXT);
    col(c, tb, cv, "Coverage %", CYM__COL_PCT);
    col(c, tb, cv + 1, "Change", CYM__COL_CHANGE);
    col(c, tb, cv + 2, "Rank change", CYM__COL_RANK_CHANGE);
    col(c, tb, cv + 3, "Trend", CYM__COL_TEXT);
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k = row(c, tb);
        int tier = r->tier[cym_cube_cell(&r->unit_cube, u, t, 0)];
        num(tb, k, 0, rank(c, u, t, root_n));
        country_text(c, tb, k, 1, u);
        flag_mark(c, tb, k, 2, u, t);
        num(tb, k, 3, score(c, u, t, root_n));
        for (size_t p = 0; p < np; p++)
            num(tb, k, 4 + p, score(c, u, t, pillar(c, p)));
        if (nt && tier >= 0)
            text(c, tb, k, 4 + np, c->r->opts.tiers[tier].label);
        num(tb, k, cv, 100.0 * r->coverage[cym_cube_cell(&r->node_cube, u, t, root_n)]);
        if (t > 0) {
            num(tb, k, cv + 1, score(c, u, t, root_n) - score(c, u, t - 1, root_n));
            num(tb, k, cv + 2, rank(c, u, t - 1, root_n) - rank(c, u, t, root_n));
        }
        if (c->tr)
            text(c, tb, k, cv + 3,
                 cym_trend_direction_name(c->tr->stats[u * r->n_nodes + root_n].direction));
    }
    return tb;
}

static cym__table *pillars(tctx *c)
{
    const cym_results *r = c->r;
    size_t np = root(c)->n_children, t = c->t;
    cym__table *tb = table_new(c, "pillars", 2 + 2 * np);
    char *leg;
    if (!tb)
        return NULL;
    tb->title = dupf(c, "Pillar scores and ranks %d", year(c, t));
    leg = legend(c);
    tb->note = dupf(c, "Pillar %s (%g to %g), higher is better; rank 1 is the best. %s.",
                    scale_note(c), c->r->opts.norm.lo, c->r->opts.norm.hi, leg ? leg : "");
    free(leg);
    country_cols(c, tb, 0);
    for (size_t p = 0; p < np && !c->oom; p++) {
        char h[96];
        const char *code = r->fw->nodes[pillar(c, p)].code;
        col(c, tb, 2 + 2 * p, code, CYM__COL_SCORE);
        snprintf(h, sizeof(h), "%s rank", code);
        col(c, tb, 3 + 2 * p, h, CYM__COL_RANK);
    }
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k = row(c, tb);
        country_text(c, tb, k, 0, u);
        for (size_t p = 0; p < np; p++) {
            num(tb, k, 2 + 2 * p, score(c, u, t, pillar(c, p)));
            num(tb, k, 3 + 2 * p, rank(c, u, t, pillar(c, p)));
        }
    }
    return tb;
}

static cym__table *by_year(tctx *c)
{
    const cym_results *r = c->r;
    size_t ny = r->n_years, root_n = r->fw->root;
    cym__table *tb;
    if (ny < 2)
        return NULL; /* one year: the summary says it all */
    if (!(tb = table_new(c, "by-year", 2 + ny + 2)))
        return NULL;
    tb->title = dupf(c, "%s by year", root(c)->name);
    tb->note = dupf(c,
                    "Index %s per year, higher is better. Last change: %d against %d; "
                    "since %d: %d against the first year. + and \u25b2 are better.",
                    scale_note(c), year(c, ny - 1), year(c, ny - 2), r->year0, year(c, ny - 1));
    country_cols(c, tb, 0);
    for (size_t t = 0; t < ny && !c->oom; t++) {
        char h[16];
        snprintf(h, sizeof(h), "%d", year(c, t));
        col(c, tb, 2 + t, h, CYM__COL_SCORE);
    }
    col(c, tb, 2 + ny, "Last change", CYM__COL_CHANGE);
    col(c, tb, 3 + ny, "Since first", CYM__COL_CHANGE);
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k = row(c, tb);
        country_text(c, tb, k, 0, u);
        for (size_t t = 0; t < ny; t++)
            num(tb, k, 2 + t, score(c, u, t, root_n));
        num(tb, k, 2 + ny, score(c, u, ny - 1, root_n) - score(c, u, ny - 2, root_n));
        num(tb, k, 3 + ny, score(c, u, ny - 1, root_n) - score(c, u, 0, root_n));
    }
    return tb;
}

static cym__table *trends(tctx *c)
{
    const cym_results *r = c->r;
    const cym_trends *tr = c->tr;
    size_t root_n = r->fw->root;
    cym__table *tb;
    if (!tr || r->n_years < 2)
        return NULL;
    if (!(tb = table_new(c, "trends", 9)))
        return NULL;
    tb->title = dupf(c, "Trends of the %s", root(c)->name);
    tb->note = dupf(c,
                    "Index %s; slope: Theil-Sen, points per year (+ and \u25b2 improving); "
                    "p: Mann-Kendall, a trend is called improving or declining when p < %g. "
                    "Group rows: mean or median of the countries.",
                    scale_note(c), tr->level);
    col(c, tb, 0, "Code", CYM__COL_TEXT);
    col(c, tb, 1, "Country or group", CYM__COL_TEXT);
    col(c, tb, 2, "Years", CYM__COL_TEXT);
    col(c, tb, 3, "First", CYM__COL_SCORE);
    col(c, tb, 4, "Last", CYM__COL_SCORE);
    col(c, tb, 5, "Change", CYM__COL_CHANGE);
    col(c, tb, 6, "Slope per year", CYM__COL_CHANGE);
    col(c, tb, 7, "p", CYM__COL_P);
    col(c, tb, 8, "Direction", CYM__COL_TEXT);
    for (size_t i = 0; i < tr->n_rows && !c->oom; i++) {
        size_t rw = i < r->n_units ? c->order[i] : i, k = row(c, tb);
        const cym_trend_stats *s = &tr->stats[rw * r->n_nodes + root_n];
        char yrs[32] = "";
        text(c, tb, k, 0, rw < r->n_units ? r->ds->units[rw].code : "");
        text(c, tb, k, 1, rw < r->n_units ? r->ds->units[rw].name : tr->labels[rw - r->n_units]);
        if (s->n)
            snprintf(yrs, sizeof(yrs), "%d-%d", s->first_year, s->last_year);
        text(c, tb, k, 2, yrs);
        num(tb, k, 3, s->first);
        num(tb, k, 4, s->last);
        num(tb, k, 5, s->change);
        num(tb, k, 6, s->theil_sen);
        num(tb, k, 7, s->mk.p);
        text(c, tb, k, 8, cym_trend_direction_name(s->direction));
    }
    return tb;
}

static long group_column(const tctx *c)
{
    if (c->o->trend.group[0])
        return cym_dataset_find_group(c->r->ds, c->o->trend.group);
    return c->r->ds->n_group_cols ? 0 : -1;
}

/* Mean index score of unit u's group in year t (over the members with a score). */
static double group_mean(const tctx *c, size_t u, size_t t, size_t node, long gc)
{
    const cym_dataset *ds = c->r->ds;
    double sum = 0, n = 0;
    if (gc >= 0 && !ds->units[u].groups[gc][0])
        return NAN;
    for (size_t q = 0; q < c->r->n_units; q++) {
        double s = score(c, q, t, node);
        if (isnan(s) || (gc >= 0 && strcmp(ds->units[q].groups[gc], ds->units[u].groups[gc])))
            continue;
        sum += s;
        n += 1;
    }
    return n > 0 ? sum / n : NAN;
}

static cym__table *compare(tctx *c)
{
    const cym_results *r = c->r;
    size_t t = c->t, root_n = r->fw->root, nu = r->n_units;
    long gc = group_column(c), leader = -1;
    double *x, *pct;
    cym__table *tb = table_new(c, "compare", 8);
    if (!tb)
        return NULL;
    x = malloc((nu + 1) * sizeof(double));
    pct = malloc((nu + 1) * sizeof(double));
    if (!x || !pct) {
        free(x);
        free(pct);
        c->oom = 1;
        return tb;
    }
    for (size_t u = 0; u < nu; u++) {
        x[u] = score(c, u, t, root_n);
        if (rank(c, u, t, root_n) == 1 && leader < 0)
            leader = (long)u;
    }
    cym_compare_percentile(pct, x, nu);
    tb->title = dupf(c, "Comparison %d", year(c, t));
    tb->note = dupf(c,
                    "Index %s against the mean of the country's group (column '%s' of "
                    "countries.csv) and the leader%s%s%s; a positive gap is better. "
                    "Percentile among the countries with a score (100 = the highest).",
                    scale_note(c), gc >= 0 ? r->ds->group_cols[gc] : "all", leader >= 0 ? " (" : "",
                    leader >= 0 ? r->ds->units[leader].name : "", leader >= 0 ? ")" : "");
    country_cols(c, tb, 0);
    col(c, tb, 2, root(c)->code, CYM__COL_SCORE);
    col(c, tb, 3, "Group", CYM__COL_TEXT);
    col(c, tb, 4, "Group mean", CYM__COL_SCORE);
    col(c, tb, 5, "Gap to group", CYM__COL_CHANGE);
    col(c, tb, 6, "Gap to leader", CYM__COL_CHANGE);
    col(c, tb, 7, "Percentile", CYM__COL_PCT);
    for (size_t i = 0; i < nu && !c->oom; i++) {
        size_t u = c->order[i], k = row(c, tb);
        double gm = group_mean(c, u, t, root_n, gc);
        country_text(c, tb, k, 0, u);
        num(tb, k, 2, x[u]);
        text(c, tb, k, 3, gc >= 0 ? r->ds->units[u].groups[gc] : "all");
        num(tb, k, 4, gm);
        num(tb, k, 5, x[u] - gm);
        num(tb, k, 6, leader >= 0 ? x[u] - x[leader] : NAN);
        num(tb, k, 7, pct[u]);
    }
    free(x);
    free(pct);
    return tb;
}

static cym__table *strengths(tctx *c)
{
    const cym_results *r = c->r;
    size_t t = c->t, nmax = (size_t)(c->o->trend.strengths_n > 0 ? c->o->trend.strengths_n : 3);
    size_t *strong = malloc(nmax * sizeof(size_t)), *weak = malloc(nmax * sizeof(size_t));
    cym_compare_ties *ties = NULL;
    cym__table *tb = table_new(c, "strengths", 4);
    if (!tb || !strong || !weak || cym_compare_ties_count(&ties, r, t, NULL) < 0) {
        c->oom = 1;
        free(strong);
        free(weak);
        return tb;
    }
    tb->title = dupf(c, "Strengths and weaknesses %d", year(c, t));
    tb->note = dupf(c,
                    "The %zu indicators with the best and the worst ranks (rank in "
                    "brackets); indicators the country shares with more than half of the "
                    "countries are left out.",
                    nmax);
    country_cols(c, tb, 0);
    col(c, tb, 2, "Strengths", CYM__COL_TEXT);
    col(c, tb, 3, "Weaknesses", CYM__COL_TEXT);
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k = row(c, tb), ns, nw;
        country_text(c, tb, k, 0, u);
        cym_compare_strengths(strong, &ns, weak, &nw, ties, u, nmax);
        for (int pass = 0; pass < 2; pass++) {
            cym__buf b = {0};
            for (size_t q = 0; q < (pass ? nw : ns); q++) {
                size_t nd = pass ? weak[q] : strong[q];
                cym__buf_printf(&b, "%s%s (%.0f)", q ? "; " : "", r->fw->nodes[nd].code,
                                rank(c, u, t, nd));
            }
            c->oom |= b.oom;
            text(c, tb, k, 2 + (size_t)pass, b.p ? b.p : "");
            cym__buf_free(&b);
        }
    }
    cym_compare_ties_free(ties);
    free(strong);
    free(weak);
    return tb;
}

static cym__table *tiers(tctx *c)
{
    const cym_results *r = c->r;
    size_t t = c->t, root_n = r->fw->root;
    cym__table *tb;
    if (!r->opts.n_tiers)
        return NULL;
    if (!(tb = table_new(c, "tiers", 6)))
        return NULL;
    tb->title = dupf(c, "Distance to the next tier %d", year(c, t));
    tb->note = dupf(c, "Index points a country needs to reach the next tier up (none at the "
                       "top tier).");
    country_cols(c, tb, 0);
    col(c, tb, 2, root(c)->code, CYM__COL_SCORE);
    col(c, tb, 3, "Tier", CYM__COL_TEXT);
    col(c, tb, 4, "Next tier", CYM__COL_TEXT);
    col(c, tb, 5, "Points to next", CYM__COL_SCORE);
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k;
        int tier = r->tier[cym_cube_cell(&r->unit_cube, u, t, 0)];
        if (isnan(score(c, u, t, root_n)))
            continue;
        k = row(c, tb);
        country_text(c, tb, k, 0, u);
        num(tb, k, 2, score(c, u, t, root_n));
        if (tier >= 0)
            text(c, tb, k, 3, r->opts.tiers[tier].label);
        if (tier != 0)
            text(c, tb, k, 4, r->opts.tiers[tier > 0 ? tier - 1 : (int)r->opts.n_tiers - 1].label);
        num(tb, k, 5, r->tier_gap[cym_cube_cell(&r->unit_cube, u, t, 0)]);
    }
    return tb;
}

/*
 * The framework as a published index lists it: every indicator with its pillar (the ancestor
 * just below the index), unit, direction, weight relative to its siblings and effective
 * weight in the index (weights.csv's), and its data coverage in the latest year: the share
 * of the countries with an observed (not imputed) value.
 */
static cym__table *framework(tctx *c)
{
    const cym_results *r = c->r;
    const cym_framework *fw = r->fw;
    size_t t = c->t;
    cym__table *tb = table_new(c, "framework", 8);
    if (!tb)
        return NULL;
    tb->title = dupf(c, "The framework: %zu indicators", r->n_ind);
    tb->note = dupf(c,
                    "Weight: relative to the siblings under the same parent; effective weight: "
                    "the share of the index (the product of the weights down the tree). "
                    "Coverage: share of the %zu countries with an observed value in %d "
                    "(imputed values do not count).",
                    r->n_units, year(c, t));
    col(c, tb, 0, "Code", CYM__COL_TEXT);
    col(c, tb, 1, "Indicator", CYM__COL_TEXT);
    col(c, tb, 2, "Pillar", CYM__COL_TEXT);
    col(c, tb, 3, "Unit", CYM__COL_TEXT);
    col(c, tb, 4, "Direction", CYM__COL_TEXT);
    col(c, tb, 5, "Weight %", CYM__COL_SCORE);
    col(c, tb, 6, "Effective weight %", CYM__COL_SCORE);
    col(c, tb, 7, "Coverage %", CYM__COL_PCT);
    for (size_t i = 0; i < r->n_ind && !c->oom; i++) {
        size_t n = fw->indicators[i], k = row(c, tb), p = n, seen = 0;
        const cym_node *nd = &fw->nodes[n];
        while (fw->nodes[p].parent >= 0 && (size_t)fw->nodes[p].parent != fw->root)
            p = (size_t)fw->nodes[p].parent;
        for (size_t u = 0; u < r->n_units; u++)
            seen += r->coverage[cym_cube_cell(&r->node_cube, u, t, n)] > 0;
        text(c, tb, k, 0, nd->code);
        text(c, tb, k, 1, nd->name);
        if (p != n)
            text(c, tb, k, 2, fw->nodes[p].name);
        text(c, tb, k, 3, nd->unit);
        text(c, tb, k, 4, nd->direction < 0 ? "lower is better" : "higher is better");
        num(tb, k, 5, 100.0 * r->weight[n]);
        num(tb, k, 6, 100.0 * r->eff_weight[n]);
        num(tb, k, 7, r->n_units ? 100.0 * (double)seen / (double)r->n_units : NAN);
    }
    return tb;
}

/* The tables in the order of the report; a builder returns NULL when it does not apply. */
static cym__table *(*const builders[])(tctx *c) = {summary, pillars,   by_year, trends,
                                                   compare, strengths, tiers,   framework};

static const cym_results *sort_r;
static size_t sort_t;
static int cmp_rank(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    size_t root_n = sort_r->fw->root;
    double ra = sort_r->rank[cym_cube_cell(&sort_r->node_cube, a, sort_t, root_n)];
    double rb = sort_r->rank[cym_cube_cell(&sort_r->node_cube, b, sort_t, root_n)];
    if (isnan(ra) != isnan(rb))
        return isnan(ra) ? 1 : -1;
    if (!isnan(ra) && ra != rb)
        return ra < rb ? -1 : 1;
    return strcmp(sort_r->ds->units[a].code, sort_r->ds->units[b].code);
}

void cym__report_order(size_t *order, const cym_results *r, size_t t)
{
    for (size_t u = 0; u < r->n_units; u++)
        order[u] = u;
    /* single-threaded: the report is written from one thread */
    sort_r = r;
    sort_t = t;
    qsort(order, r->n_units, sizeof(size_t), cmp_rank);
}

cym_status cym__tables_build(cym__table ***out, size_t *n, const cym_results *r,
                             const cym_trends *tr, const cym_report_options *o, cym_error *err)
{
    enum { n_builders = sizeof(builders) / sizeof(*builders) };
    tctx c = {r, tr, o, r->n_years - 1, NULL, 0};
    cym__table **t = calloc(n_builders, sizeof(*t));
    size_t k = 0;
    *out = NULL;
    *n = 0;
    c.order = malloc((r->n_units + 1) * sizeof(size_t));
    if (!t || !c.order) {
        free(t);
        free(c.order);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    cym__report_order(c.order, r, c.t);
    for (size_t b = 0; b < n_builders && !c.oom; b++) {
        cym__table *tb = builders[b](&c);
        if (tb)
            t[k++] = tb;
        if (tb && (!tb->title || !tb->note))
            c.oom = 1;
        for (size_t j = 0; tb && j < tb->n_cols; j++)
            if (!tb->cols[j].head)
                c.oom = 1;
    }
    free(c.order);
    if (c.oom) {
        cym__tables_free(t, k);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = t;
    *n = k;
    return CYM_OK;
}

void cym__tables_free(cym__table **t, size_t n)
{
    if (!t)
        return;
    for (size_t i = 0; i < n; i++)
        table_free(t[i]);
    free(t);
}

const cym__table *cym__tables_find(cym__table *const *t, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i]->id, id) == 0)
            return t[i];
    return NULL;
}

void cym__cell_text(char *buf, size_t n, const cym__table *t, size_t row_i, size_t j, int decimals)
{
    const cym__cell *cell = &t->cells[row_i * t->n_cols + j];
    double v = cell->v;
    switch (t->cols[j].kind) {
    case CYM__COL_TEXT: snprintf(buf, n, "%s", cell->s ? cell->s : ""); return;
    default: break;
    }
    if (isnan(v)) {
        snprintf(buf, n, "\u2013"); /* en dash: no value */
        return;
    }
    switch (t->cols[j].kind) {
    case CYM__COL_SCORE: {
        double x = v;
        /* no "-0.0" */
        snprintf(buf, n, "%.*f", decimals, x);
        if (strspn(buf, "-0.") == strlen(buf) && buf[0] == '-')
            memmove(buf, buf + 1, strlen(buf));
        return;
    }
    case CYM__COL_RANK: snprintf(buf, n, "%.0f", v); return;
    case CYM__COL_PCT: snprintf(buf, n, "%.0f", v); return;
    case CYM__COL_P:
        if (v < 0.001)
            snprintf(buf, n, "<0.001");
        else
            snprintf(buf, n, "%.3f", v);
        return;
    case CYM__COL_CHANGE:
    case CYM__COL_RANK_CHANGE: {
        int d = t->cols[j].kind == CYM__COL_CHANGE ? decimals : 0;
        char num_s[64];
        snprintf(num_s, sizeof(num_s), "%.*f", d, fabs(v));
        /* the sign and arrow of the rounded value: +0.0 is no change */
        if (strspn(num_s, "0.") == strlen(num_s))
            snprintf(buf, n, "%s", num_s);
        else
            snprintf(buf, n, "%s%s %s", v > 0 ? "+" : "\u2212", num_s, v > 0 ? "\u25b2" : "\u25bc");
        return;
    }
    default: snprintf(buf, n, "?");
    }
}

/* ---- the index across framework editions (the joined folder of an editions run) -------- */

static const cym__across *sort_a;
static size_t sort_last;
static int cmp_across(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    double ra = sort_a->basis_rank[a * sort_a->n_years + sort_last];
    double rb = sort_a->basis_rank[b * sort_a->n_years + sort_last];
    if (isnan(ra) != isnan(rb))
        return isnan(ra) ? 1 : -1;
    if (!isnan(ra) && ra != rb)
        return ra < rb ? -1 : 1;
    return strcmp(sort_a->last->ds->units[a].code, sort_a->last->ds->units[b].code);
}

/* rows of the units of `order` (all, or those of group column gc with a value) */
static cym__table *across(tctx *c, const cym__across *a, const size_t *years, size_t ny, long gc)
{
    const cym_dataset *ds = c->r->ds;
    size_t extra = gc >= 0 ? 1 : 0, nc = 2 + extra + 3 * ny, n_grp = 0;
    cym__table *tb = table_new(c, gc >= 0 ? "across-groups" : "across", nc);
    char head[64];
    if (!tb)
        return NULL;
    country_cols(c, tb, 0);
    if (gc >= 0)
        col(c, tb, 2, ds->group_cols[gc], CYM__COL_TEXT);
    for (size_t k = 0; k < ny; k++) {
        int y = a->year0 + (int)years[k];
        snprintf(head, sizeof(head), "%d score", y);
        col(c, tb, 2 + extra + 3 * k, head, CYM__COL_SCORE);
        snprintf(head, sizeof(head), "%d rank", y);
        col(c, tb, 3 + extra + 3 * k, head, CYM__COL_RANK);
        snprintf(head, sizeof(head), "%d %s", y, a->basis_name);
        col(c, tb, 4 + extra + 3 * k, head,
            strcmp(a->basis_name, "percentile") == 0 ? CYM__COL_PCT : CYM__COL_SCORE);
    }
    /* by group, in the order each value first appears in countries.csv, then as `order` */
    for (size_t g = 0; g < (gc >= 0 ? ds->n_units : 1); g++) {
        const char *v = gc >= 0 ? ds->units[g].groups[gc] : NULL;
        int seen = 0;
        if (gc >= 0) {
            for (size_t q = 0; q < g && !seen; q++)
                seen = strcmp(ds->units[q].groups[gc], v) == 0;
            if (seen || !v[0])
                continue;
            n_grp++;
        }
        for (size_t i = 0; i < ds->n_units; i++) {
            size_t u = c->order[i], k;
            if (gc >= 0 && strcmp(ds->units[u].groups[gc], v) != 0)
                continue;
            k = row(c, tb);
            country_text(c, tb, k, 0, u);
            if (gc >= 0)
                text(c, tb, k, 2, v);
            for (size_t j = 0; j < ny; j++) {
                size_t cell = u * a->n_years + years[j];
                num(tb, k, 2 + extra + 3 * j, a->own[cell]);
                num(tb, k, 3 + extra + 3 * j, a->own_rank[cell]);
                num(tb, k, 4 + extra + 3 * j, a->basis[cell]);
            }
        }
    }
    if (gc >= 0)
        tb->title = dupf(c, "The index across editions, by %s", ds->group_cols[gc]);
    else
        tb->title = dupf(c, "The index across editions, every country");
    tb->note = dupf(
        c,
        "Each edition's index as it scored it (its own scale; rank 1 = the highest) and on the "
        "comparable basis, %s: %s. Higher is better. Rows %sby the %s rank of %d.",
        a->basis_name,
        strcmp(a->basis_name, "percentile") == 0
            ? "the position among the countries scored that year, 0 = the lowest, 100 = the "
              "highest"
        : strcmp(a->basis_name, "rebased") == 0
            ? "the index as a share of the highest score its edition allows, x 100"
            : "the index on the indicators every edition has",
        gc >= 0 ? "by group, then " : "", a->basis_name, a->year0 + (int)sort_last);
    if (gc >= 0 && !n_grp) {
        table_free(tb);
        return NULL;
    }
    return tb;
}

cym_status cym__across_tables_build(cym__table ***out, size_t *n, const cym__across *a,
                                    const cym_report_options *o, cym_error *err)
{
    tctx c = {a->last, NULL, o, 0, NULL, 0};
    size_t *years = malloc((a->n_years ? a->n_years : 1) * sizeof(size_t)), ny = 0, nu;
    cym__table **t = calloc(2, sizeof(*t)), *tb;
    size_t k = 0;
    long gc = group_column(&c);

    *out = NULL;
    *n = 0;
    nu = a->last->n_units;
    c.order = malloc((nu + 1) * sizeof(size_t));
    if (!t || !years || !c.order) {
        free(t);
        free(years);
        free(c.order);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* the years an edition scored (not a year between editions without any score) */
    for (size_t y = 0; y < a->n_years; y++)
        for (size_t u = 0; u < nu; u++)
            if (!isnan(a->own[u * a->n_years + y])) {
                years[ny++] = y;
                break;
            }
    for (size_t u = 0; u < nu; u++)
        c.order[u] = u;
    sort_a = a;
    sort_last = ny ? years[ny - 1] : 0;
    qsort(c.order, nu, sizeof(size_t), cmp_across);
    if (gc >= 0 && (tb = across(&c, a, years, ny, gc)) != NULL)
        t[k++] = tb;
    if (!c.oom && (tb = across(&c, a, years, ny, -1)) != NULL)
        t[k++] = tb;
    for (size_t i = 0; i < k; i++) {
        if (!t[i]->title || !t[i]->note)
            c.oom = 1;
        for (size_t j = 0; j < t[i]->n_cols; j++)
            if (!t[i]->cols[j].head)
                c.oom = 1;
    }
    free(years);
    free(c.order);
    if (c.oom) {
        cym__tables_free(t, k);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = t;
    *n = k;
    return CYM_OK;
}
