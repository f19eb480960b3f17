/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The human tables of a run: the summary (rank, index, pillars, tier, coverage, change since
 * the previous year, rank change, trend direction; a mark on the countries below the coverage
 * policy), pillar ranks, the index by year, trends, the comparison with the group and the
 * leader, strengths and weaknesses, the distance to the next tier, and the framework with its
 * weights and data coverage. Each is built by one function of `builders` below from the
 * results and the trends (with the helpers of table.c); the Markdown, HTML and Excel writers
 * read them all the same way, so adding a table is adding a builder. Numbers stay full
 * doubles here; only cym__cell_text rounds them.
 *
 * Rows are in a fixed order (index.csv's: rank, then country code), so the outputs are
 * deterministic. Written by hand: formatting and bookkeeping, no statistics.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "cymetrics/compare.h"
#include "report/report_internal.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof(*(a)))

static double score(const cym__tctx *c, size_t u, size_t t, size_t node)
{
    return c->r->score[cym_cube_cell(&c->r->node_cube, u, t, node)];
}

static double rank(const cym__tctx *c, size_t u, size_t t, size_t node)
{
    return c->r->rank[cym_cube_cell(&c->r->node_cube, u, t, node)];
}

static const cym_node *root(const cym__tctx *c)
{
    return &c->r->fw->nodes[c->r->fw->root];
}

static size_t pillar(const cym__tctx *c, size_t k)
{
    return root(c)->children[k];
}

/* "LEG = Legal measures; TEC = ..." for the notes */
static char *legend(cym__tctx *c)
{
    cym__buf b = {0};
    char *s;
    for (size_t k = 0; k < root(c)->n_children; k++) {
        const cym_node *p = &c->r->fw->nodes[pillar(c, k)];
        cym__buf_printf(&b, "%s%s = %s", k ? "; " : "", p->code, p->name);
    }
    s = cym__tb_dupf(c, "%s", b.p && !b.oom ? b.p : "");
    c->oom |= b.oom;
    cym__buf_free(&b);
    return s;
}

static const char *scale_note(const cym__tctx *c)
{
    return c->r->opts.norm.method == CYM_NORM_ZSCORE ? "z-scores" : "scores";
}

static int year(const cym__tctx *c, size_t t)
{
    return c->r->year0 + (int)t;
}

/* ---- builders ------------------------------------------------------------------------- */

/* "Myanmar †" for a country-year below the coverage policy (cym_results_flagged) */
static void flag_mark(cym__tctx *c, cym__table *tb, size_t k, size_t j, size_t u, size_t t)
{
    if (k != (size_t)-1 && cym_results_flagged(c->r, u, t)) {
        char *s = cym__tb_dupf(c, "%s " CYM_COVERAGE_MARK, c->r->ds->units[u].name);
        if (s) {
            free(tb->cells[k * tb->n_cols + j].s);
            tb->cells[k * tb->n_cols + j].s = s;
        }
    }
}

/* the note's sentence on the coverage column and its mark */
static char *coverage_note(cym__tctx *c, size_t t)
{
    size_t flagged = 0;
    for (size_t u = 0; u < c->r->n_units; u++)
        flagged += (size_t)cym_results_flagged(c->r, u, t);
    if (!flagged)
        return cym__tb_dupf(c, "Coverage: share of the index's weight with data.");
    return cym__tb_dupf(c,
                        "Coverage: share of the index's weight with data; " CYM_COVERAGE_MARK
                        " below the coverage policy of %g %%: computed but flagged.",
                        100.0 * c->r->opts.coverage_flag);
}

static cym__table *summary(cym__tctx *c)
{
    const cym_results *r = c->r;
    size_t np = root(c)->n_children, nt = c->r->opts.n_tiers ? 1 : 0, t = c->t;
    size_t nc = 4 + np + nt + 4, root_n = r->fw->root, cv = 4 + np + nt;
    cym__table *tb = cym__tb_new(c, "summary", nc);
    char *leg, *cov;
    if (!tb)
        return NULL;
    tb->title = cym__tb_dupf(c, "%s %d", root(c)->name, year(c, t));
    leg = legend(c);
    cov = coverage_note(c, t);
    if (t > 0)
        tb->note = cym__tb_dupf(
            c,
            "Index and pillar %s (%g to %g), higher is better. %s Change and rank "
            "change since %d: + and \u25b2 are better, - and \u25bc worse. Trend: "
            "Mann-Kendall test of the index over %d-%d at the %g %% level. %s.",
            scale_note(c), c->r->opts.norm.lo, c->r->opts.norm.hi, cov ? cov : "", year(c, t - 1),
            r->year0, year(c, t), c->o->trend.level * 100, leg ? leg : "");
    else
        tb->note = cym__tb_dupf(c, "Index and pillar %s (%g to %g), higher is better. %s %s.",
                                scale_note(c), c->r->opts.norm.lo, c->r->opts.norm.hi,
                                cov ? cov : "", leg ? leg : "");
    free(leg);
    free(cov);
    cym__tb_col(c, tb, 0, "Rank", CYM__COL_RANK);
    cym__tb_country_cols(c, tb, 1);
    cym__tb_col(c, tb, 3, root(c)->code, CYM__COL_SCORE);
    for (size_t k = 0; k < np; k++)
        cym__tb_col(c, tb, 4 + k, r->fw->nodes[pillar(c, k)].code, CYM__COL_SCORE);
    if (nt)
        cym__tb_col(c, tb, 4 + np, "Tier", CYM__COL_TEXT);
    cym__tb_col(c, tb, cv, "Coverage %", CYM__COL_PCT);
    cym__tb_col(c, tb, cv + 1, "Change", CYM__COL_CHANGE);
    cym__tb_col(c, tb, cv + 2, "Rank change", CYM__COL_RANK_CHANGE);
    cym__tb_col(c, tb, cv + 3, "Trend", CYM__COL_TEXT);
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k = cym__tb_row(c, tb);
        int tier = r->tier[cym_cube_cell(&r->unit_cube, u, t, 0)];
        cym__tb_num(tb, k, 0, rank(c, u, t, root_n));
        cym__tb_country(c, tb, k, 1, u);
        flag_mark(c, tb, k, 2, u, t);
        cym__tb_num(tb, k, 3, score(c, u, t, root_n));
        for (size_t p = 0; p < np; p++)
            cym__tb_num(tb, k, 4 + p, score(c, u, t, pillar(c, p)));
        if (nt && tier >= 0)
            cym__tb_text(c, tb, k, 4 + np, c->r->opts.tiers[tier].label);
        cym__tb_num(tb, k, cv, 100.0 * r->coverage[cym_cube_cell(&r->node_cube, u, t, root_n)]);
        if (t > 0) {
            cym__tb_num(tb, k, cv + 1, score(c, u, t, root_n) - score(c, u, t - 1, root_n));
            cym__tb_num(tb, k, cv + 2, rank(c, u, t - 1, root_n) - rank(c, u, t, root_n));
        }
        if (c->tr)
            cym__tb_text(c, tb, k, cv + 3,
                         cym_trend_direction_name(c->tr->stats[u * r->n_nodes + root_n].direction));
    }
    return tb;
}

static cym__table *pillars(cym__tctx *c)
{
    const cym_results *r = c->r;
    size_t np = root(c)->n_children, t = c->t;
    cym__table *tb = cym__tb_new(c, "pillars", 2 + 2 * np);
    char *leg;
    if (!tb)
        return NULL;
    tb->title = cym__tb_dupf(c, "Pillar scores and ranks %d", year(c, t));
    leg = legend(c);
    tb->note = cym__tb_dupf(c, "Pillar %s (%g to %g), higher is better; rank 1 is the best. %s.",
                            scale_note(c), c->r->opts.norm.lo, c->r->opts.norm.hi, leg ? leg : "");
    free(leg);
    cym__tb_country_cols(c, tb, 0);
    for (size_t p = 0; p < np && !c->oom; p++) {
        char h[96];
        const char *code = r->fw->nodes[pillar(c, p)].code;
        cym__tb_col(c, tb, 2 + 2 * p, code, CYM__COL_SCORE);
        snprintf(h, sizeof(h), "%s rank", code);
        cym__tb_col(c, tb, 3 + 2 * p, h, CYM__COL_RANK);
    }
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k = cym__tb_row(c, tb);
        cym__tb_country(c, tb, k, 0, u);
        for (size_t p = 0; p < np; p++) {
            cym__tb_num(tb, k, 2 + 2 * p, score(c, u, t, pillar(c, p)));
            cym__tb_num(tb, k, 3 + 2 * p, rank(c, u, t, pillar(c, p)));
        }
    }
    return tb;
}

static cym__table *by_year(cym__tctx *c)
{
    const cym_results *r = c->r;
    size_t ny = r->n_years, root_n = r->fw->root;
    cym__table *tb;
    if (ny < 2)
        return NULL; /* one year: the summary says it all */
    if (!(tb = cym__tb_new(c, "by-year", 2 + ny + 2)))
        return NULL;
    tb->title = cym__tb_dupf(c, "%s by year", root(c)->name);
    tb->note =
        cym__tb_dupf(c,
                     "Index %s per year, higher is better. Last change: %d against %d; "
                     "since %d: %d against the first year. + and \u25b2 are better.",
                     scale_note(c), year(c, ny - 1), year(c, ny - 2), r->year0, year(c, ny - 1));
    cym__tb_country_cols(c, tb, 0);
    for (size_t t = 0; t < ny && !c->oom; t++) {
        char h[16];
        snprintf(h, sizeof(h), "%d", year(c, t));
        cym__tb_col(c, tb, 2 + t, h, CYM__COL_SCORE);
    }
    cym__tb_col(c, tb, 2 + ny, "Last change", CYM__COL_CHANGE);
    cym__tb_col(c, tb, 3 + ny, "Since first", CYM__COL_CHANGE);
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k = cym__tb_row(c, tb);
        cym__tb_country(c, tb, k, 0, u);
        for (size_t t = 0; t < ny; t++)
            cym__tb_num(tb, k, 2 + t, score(c, u, t, root_n));
        cym__tb_num(tb, k, 2 + ny, score(c, u, ny - 1, root_n) - score(c, u, ny - 2, root_n));
        cym__tb_num(tb, k, 3 + ny, score(c, u, ny - 1, root_n) - score(c, u, 0, root_n));
    }
    return tb;
}

/* clang-format off */
static const cym__col_spec trend_cols[] = {
    {"Code", CYM__COL_TEXT}, {"Country or group", CYM__COL_TEXT}, {"Years", CYM__COL_TEXT},
    {"First", CYM__COL_SCORE}, {"Last", CYM__COL_SCORE}, {"Change", CYM__COL_CHANGE},
    {"Slope per year", CYM__COL_CHANGE}, {"p", CYM__COL_P}, {"Direction", CYM__COL_TEXT}};
/* clang-format on */

static cym__table *trends(cym__tctx *c)
{
    const cym_results *r = c->r;
    const cym_trends *tr = c->tr;
    size_t root_n = r->fw->root;
    cym__table *tb;
    if (!tr || r->n_years < 2)
        return NULL;
    if (!(tb = cym__tb_new(c, "trends", ARRAY_LEN(trend_cols))))
        return NULL;
    tb->title = cym__tb_dupf(c, "Trends of the %s", root(c)->name);
    tb->note =
        cym__tb_dupf(c,
                     "Index %s; slope: Theil-Sen, points per year (+ and \u25b2 improving); "
                     "p: Mann-Kendall, a trend is called improving or declining when p < %g. "
                     "Group rows: mean or median of the countries.",
                     scale_note(c), tr->level);
    cym__tb_cols(c, tb, 0, trend_cols, ARRAY_LEN(trend_cols));
    for (size_t i = 0; i < tr->n_rows && !c->oom; i++) {
        size_t rw = i < r->n_units ? c->order[i] : i, k = cym__tb_row(c, tb);
        const cym_trend_stats *s = &tr->stats[rw * r->n_nodes + root_n];
        char yrs[32] = "";
        cym__tb_text(c, tb, k, 0, rw < r->n_units ? r->ds->units[rw].code : "");
        cym__tb_text(c, tb, k, 1,
                     rw < r->n_units ? r->ds->units[rw].name : tr->labels[rw - r->n_units]);
        if (s->n)
            snprintf(yrs, sizeof(yrs), "%d-%d", s->first_year, s->last_year);
        cym__tb_text(c, tb, k, 2, yrs);
        cym__tb_num(tb, k, 3, s->first);
        cym__tb_num(tb, k, 4, s->last);
        cym__tb_num(tb, k, 5, s->change);
        cym__tb_num(tb, k, 6, s->theil_sen);
        cym__tb_num(tb, k, 7, s->mk.p);
        cym__tb_text(c, tb, k, 8, cym_trend_direction_name(s->direction));
    }
    return tb;
}

long cym__tb_group_column(const cym__tctx *c)
{
    if (c->o->trend.group[0])
        return cym_dataset_find_group(c->r->ds, c->o->trend.group);
    return c->r->ds->n_group_cols ? 0 : -1;
}

/* Mean index score of unit u's group in year t (over the members with a score). */
static double group_mean(const cym__tctx *c, size_t u, size_t t, size_t node, long gc)
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

static cym__table *compare(cym__tctx *c)
{
    const cym_results *r = c->r;
    size_t t = c->t, root_n = r->fw->root, nu = r->n_units;
    long gc = cym__tb_group_column(c), leader = -1;
    double *x, *pct;
    cym__table *tb = cym__tb_new(c, "compare", 8);
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
    tb->title = cym__tb_dupf(c, "Comparison %d", year(c, t));
    tb->note = cym__tb_dupf(c,
                            "Index %s against the mean of the country's group (column '%s' of "
                            "countries.csv) and the leader%s%s%s; a positive gap is better. "
                            "Percentile among the countries with a score (100 = the highest).",
                            scale_note(c), gc >= 0 ? r->ds->group_cols[gc] : "all",
                            leader >= 0 ? " (" : "", leader >= 0 ? r->ds->units[leader].name : "",
                            leader >= 0 ? ")" : "");
    cym__tb_country_cols(c, tb, 0);
    cym__tb_col(c, tb, 2, root(c)->code, CYM__COL_SCORE);
    cym__tb_col(c, tb, 3, "Group", CYM__COL_TEXT);
    cym__tb_col(c, tb, 4, "Group mean", CYM__COL_SCORE);
    cym__tb_col(c, tb, 5, "Gap to group", CYM__COL_CHANGE);
    cym__tb_col(c, tb, 6, "Gap to leader", CYM__COL_CHANGE);
    cym__tb_col(c, tb, 7, "Percentile", CYM__COL_PCT);
    for (size_t i = 0; i < nu && !c->oom; i++) {
        size_t u = c->order[i], k = cym__tb_row(c, tb);
        double gm = group_mean(c, u, t, root_n, gc);
        cym__tb_country(c, tb, k, 0, u);
        cym__tb_num(tb, k, 2, x[u]);
        cym__tb_text(c, tb, k, 3, gc >= 0 ? r->ds->units[u].groups[gc] : "all");
        cym__tb_num(tb, k, 4, gm);
        cym__tb_num(tb, k, 5, x[u] - gm);
        cym__tb_num(tb, k, 6, leader >= 0 ? x[u] - x[leader] : NAN);
        cym__tb_num(tb, k, 7, pct[u]);
    }
    free(x);
    free(pct);
    return tb;
}

static cym__table *strengths(cym__tctx *c)
{
    const cym_results *r = c->r;
    size_t t = c->t, nmax = (size_t)(c->o->trend.strengths_n > 0 ? c->o->trend.strengths_n : 3);
    size_t *strong = malloc(nmax * sizeof(size_t)), *weak = malloc(nmax * sizeof(size_t));
    cym__table *tb = cym__tb_new(c, "strengths", 4);
    if (!tb || !strong || !weak) {
        c->oom = 1;
        free(strong);
        free(weak);
        return tb;
    }
    tb->title = cym__tb_dupf(c, "Strengths and weaknesses %d", year(c, t));
    tb->note = cym__tb_dupf(c,
                            "The %zu indicators with the best and the worst ranks (rank in "
                            "brackets); indicators the country shares with more than half of the "
                            "countries are left out.",
                            nmax);
    cym__tb_country_cols(c, tb, 0);
    cym__tb_col(c, tb, 2, "Strengths", CYM__COL_TEXT);
    cym__tb_col(c, tb, 3, "Weaknesses", CYM__COL_TEXT);
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k = cym__tb_row(c, tb), ns, nw;
        cym__tb_country(c, tb, k, 0, u);
        cym_compare_strengths(strong, &ns, weak, &nw, c->ties, u, nmax);
        for (int pass = 0; pass < 2; pass++) {
            cym__buf b = {0};
            for (size_t q = 0; q < (pass ? nw : ns); q++) {
                size_t nd = pass ? weak[q] : strong[q];
                cym__buf_printf(&b, "%s%s (%.0f)", q ? "; " : "", r->fw->nodes[nd].code,
                                rank(c, u, t, nd));
            }
            c->oom |= b.oom;
            cym__tb_text(c, tb, k, 2 + (size_t)pass, b.p ? b.p : "");
            cym__buf_free(&b);
        }
    }
    free(strong);
    free(weak);
    return tb;
}

static cym__table *tiers(cym__tctx *c)
{
    const cym_results *r = c->r;
    size_t t = c->t, root_n = r->fw->root;
    cym__table *tb;
    if (!r->opts.n_tiers)
        return NULL;
    if (!(tb = cym__tb_new(c, "tiers", 6)))
        return NULL;
    tb->title = cym__tb_dupf(c, "Distance to the next tier %d", year(c, t));
    tb->note =
        cym__tb_dupf(c, "Index points a country needs to reach the next tier up (none at the "
                        "top tier).");
    cym__tb_country_cols(c, tb, 0);
    cym__tb_col(c, tb, 2, root(c)->code, CYM__COL_SCORE);
    cym__tb_col(c, tb, 3, "Tier", CYM__COL_TEXT);
    cym__tb_col(c, tb, 4, "Next tier", CYM__COL_TEXT);
    cym__tb_col(c, tb, 5, "Points to next", CYM__COL_SCORE);
    for (size_t i = 0; i < r->n_units && !c->oom; i++) {
        size_t u = c->order[i], k;
        int tier = r->tier[cym_cube_cell(&r->unit_cube, u, t, 0)];
        if (isnan(score(c, u, t, root_n)))
            continue;
        k = cym__tb_row(c, tb);
        cym__tb_country(c, tb, k, 0, u);
        cym__tb_num(tb, k, 2, score(c, u, t, root_n));
        if (tier >= 0)
            cym__tb_text(c, tb, k, 3, r->opts.tiers[tier].label);
        if (tier != 0)
            cym__tb_text(c, tb, k, 4,
                         r->opts.tiers[tier > 0 ? tier - 1 : (int)r->opts.n_tiers - 1].label);
        cym__tb_num(tb, k, 5, r->tier_gap[cym_cube_cell(&r->unit_cube, u, t, 0)]);
    }
    return tb;
}

/*
 * The framework as a published index lists it: every indicator with its pillar (the ancestor
 * just below the index), unit, direction, weight relative to its siblings and effective
 * weight in the index (weights.csv's), and its data coverage in the latest year: the share
 * of the countries with an observed (not imputed) value.
 */
/* clang-format off */
static const cym__col_spec framework_cols[] = {
    {"Code", CYM__COL_TEXT}, {"Indicator", CYM__COL_TEXT}, {"Pillar", CYM__COL_TEXT},
    {"Unit", CYM__COL_TEXT}, {"Direction", CYM__COL_TEXT}, {"Weight %", CYM__COL_SCORE},
    {"Effective weight %", CYM__COL_SCORE}, {"Coverage %", CYM__COL_PCT}};
/* clang-format on */

static cym__table *framework(cym__tctx *c)
{
    const cym_results *r = c->r;
    const cym_framework *fw = r->fw;
    size_t t = c->t;
    cym__table *tb = cym__tb_new(c, "framework", ARRAY_LEN(framework_cols));
    if (!tb)
        return NULL;
    tb->title = cym__tb_dupf(c, "The framework: %zu indicators", r->n_ind);
    tb->note =
        cym__tb_dupf(c,
                     "Weight: relative to the siblings under the same parent; effective weight: "
                     "the share of the index (the product of the weights down the tree). "
                     "Coverage: share of the %zu countries with an observed value in %d "
                     "(imputed values do not count).",
                     r->n_units, year(c, t));
    cym__tb_cols(c, tb, 0, framework_cols, ARRAY_LEN(framework_cols));
    for (size_t i = 0; i < r->n_ind && !c->oom; i++) {
        size_t n = fw->indicators[i], k = cym__tb_row(c, tb), p = n, seen = 0;
        const cym_node *nd = &fw->nodes[n];
        while (fw->nodes[p].parent >= 0 && (size_t)fw->nodes[p].parent != fw->root)
            p = (size_t)fw->nodes[p].parent;
        for (size_t u = 0; u < r->n_units; u++)
            seen += r->coverage[cym_cube_cell(&r->node_cube, u, t, n)] > 0;
        cym__tb_text(c, tb, k, 0, nd->code);
        cym__tb_text(c, tb, k, 1, nd->name);
        if (p != n)
            cym__tb_text(c, tb, k, 2, fw->nodes[p].name);
        cym__tb_text(c, tb, k, 3, nd->unit);
        cym__tb_text(c, tb, k, 4, nd->direction < 0 ? "lower is better" : "higher is better");
        cym__tb_num(tb, k, 5, 100.0 * r->weight[n]);
        cym__tb_num(tb, k, 6, 100.0 * r->eff_weight[n]);
        cym__tb_num(tb, k, 7, r->n_units ? 100.0 * (double)seen / (double)r->n_units : NAN);
    }
    return tb;
}

/* The tables in the order of the report; a builder returns NULL when it does not apply. */
static cym__table *(*const builders[])(cym__tctx *c) = {summary, pillars,   by_year, trends,
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
                             const cym_trends *tr, const cym_compare_ties *ties,
                             const cym_report_options *o, cym_error *err)
{
    enum { n_builders = sizeof(builders) / sizeof(*builders) };
    cym__tctx c = {r, tr, o, r->n_years - 1, NULL, 0, ties};
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
    }
    free(c.order);
    return cym__tb_done(out, n, t, k, c.oom, err);
}
