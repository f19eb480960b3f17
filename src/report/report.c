/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.html and report.md: the run told for people. Both are written from the same
 * sections (a pair of buffers, `doc`), the HTML with charts the plot module draws as SVG and
 * that are embedded as base64 data URIs (each chart stays a separate document: cairo's glyph
 * ids would clash inline, and an <img> never runs script), the Markdown as text and tables
 * only. The findings are sentences computed from the numbers: the leader and its margin,
 * tiers, the biggest movers since the previous year, the significant trends (Mann-Kendall at
 * the run's level), the strongest and weakest pillar on average, the countries whose rank
 * the uncertainty analysis cannot pin down (5-95 % interval over 3 places or more), coverage.
 *
 * Deterministic: no date, no run time, no output folder in either file, so identical inputs
 * give identical bytes (report.md has a golden test). Written by hand: text and bookkeeping.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/compare.h"
#include "cymetrics/plot.h"
#include "cymetrics/report.h"
#include "tables/tables.h"
#include "report/report_internal.h"

typedef struct doc {
    cym__buf h, m; /* HTML, Markdown */
    const cym_results *r;
    const cym_options *o;
    const cym_trends *tr;
    const cym_uncertainty *unc;
    const json_t *manifest;
    cym__table **tables;
    size_t n_tables;
    size_t *order; /* units by rank, latest year */
    size_t t;      /* latest year index */
    int dec;
    cym_warnings *failed;
    int oom;
} doc;

/* ---- small writers ---------------------------------------------------------------------- */

static void h_raw(doc *d, const char *s)
{
    cym__buf_puts(&d->h, s);
}

static void m_raw(doc *d, const char *s)
{
    cym__buf_puts(&d->m, s);
}

/* A heading in both; `id` names the HTML anchor (program text only). */
static void heading(doc *d, int level, const char *id, const char *text)
{
    if (id[0])
        cym__buf_printf(&d->h, "<h%d id=\"%s\">", level, id);
    else
        cym__buf_printf(&d->h, "<h%d>", level);
    cym__buf_html(&d->h, text);
    cym__buf_printf(&d->h, "</h%d>\n", level);
    for (int i = 0; i < level; i++)
        m_raw(d, "#");
    m_raw(d, " ");
    cym__buf_md(&d->m, text);
    m_raw(d, "\n\n");
}

/* A paragraph of plain text (escaped in both). */
static void para(doc *d, const char *cls, const char *text)
{
    if (cls)
        cym__buf_printf(&d->h, "<p class=\"%s\">", cls);
    else
        h_raw(d, "<p>");
    cym__buf_html(&d->h, text);
    h_raw(d, "</p>\n");
    cym__buf_md(&d->m, text);
    m_raw(d, "\n\n");
}

static void list_begin(doc *d, const char *cls)
{
    if (cls)
        cym__buf_printf(&d->h, "<ul class=\"%s\">\n", cls);
    else
        h_raw(d, "<ul>\n");
}

static void item(doc *d, const char *text)
{
    h_raw(d, "<li>");
    cym__buf_html(&d->h, text);
    h_raw(d, "</li>\n");
    m_raw(d, "- ");
    cym__buf_md(&d->m, text);
    m_raw(d, "\n");
}

static void list_end(doc *d)
{
    h_raw(d, "</ul>\n");
    m_raw(d, "\n");
}

/* printf into a fixed buffer, for sentences */
#define SAY(buf, ...) snprintf(buf, sizeof(buf), __VA_ARGS__)

static void table(doc *d, const char *id, int level)
{
    const cym__table *t = cym__tables_find(d->tables, d->n_tables, id);
    if (!t)
        return;
    cym__table_html(&d->h, t, d->dec, level);
    cym__table_md(&d->m, t, d->dec, level);
}

/* A chart as an <img> with a data URI; on failure a note, and a line in `failed`. */
static void figure(doc *d, cym_chart_kind kind, size_t unit, const char *alt, const char *caption)
{
    char *svg = NULL;
    size_t len = 0;
    cym_error e;
    cym_error_clear(&e);
    if (d->o->charts == 0)
        return; /* --charts none: no chart anywhere (fast runs, benchmarks) */
    if (cym_plot_svg(&svg, &len, d->r, d->o, kind, unit, &e) < 0) {
        char msg[CYM_ERROR_MESSAGE_MAX + CYM_ERROR_FILE_MAX + 64];
        cym_error_format(msg, sizeof(msg), &e);
        if (d->failed)
            cym_warnings_add(d->failed, "report: %s", msg);
        h_raw(d, "<p class=\"note\">(chart not drawn: ");
        cym__buf_html(&d->h, msg);
        h_raw(d, ")</p>\n");
        return;
    }
    if (!svg)
        return;
    h_raw(d, "<figure><img alt=\"");
    cym__buf_html(&d->h, alt);
    h_raw(d, "\" src=\"data:image/svg+xml;base64,");
    cym__buf_base64(&d->h, (const unsigned char *)svg, len);
    h_raw(d, "\">");
    if (caption) {
        h_raw(d, "<figcaption>");
        cym__buf_html(&d->h, caption);
        h_raw(d, "</figcaption>");
    }
    h_raw(d, "</figure>\n");
    free(svg);
}

/* ---- numbers ---------------------------------------------------------------------------- */

static double score(const doc *d, size_t u, size_t t, size_t node)
{
    return d->r->score[cym_results_node_cell(d->r, u, t, node)];
}

static double rank(const doc *d, size_t u, size_t t, size_t node)
{
    return d->r->rank[cym_results_node_cell(d->r, u, t, node)];
}

static const cym_node *node(const doc *d, size_t n)
{
    return &d->r->fw->nodes[n];
}

static const char *uname(const doc *d, size_t u)
{
    return d->r->ds->units[u].name;
}

static int year(const doc *d, size_t t)
{
    return d->r->year0 + (int)t;
}

static size_t n_ranked(const doc *d, size_t t, size_t nd)
{
    size_t n = 0;
    for (size_t u = 0; u < d->r->n_units; u++)
        n += !isnan(rank(d, u, t, nd));
    return n;
}

/* "+1.2" / "-0.8" / "0.0" with the report's decimals */
static void signed_num(char *buf, size_t n, double v, int dec)
{
    char a[512];
    int len = snprintf(a + 1, sizeof(a) - 1, "%.*f", dec, fabs(v));
    if (len < 0 || (size_t)len + 2 > n)
        a[1] = '\0';
    a[0] = v > 0 ? '+' : '-';
    if (strspn(a + 1, "0.") == strlen(a + 1))
        memmove(buf, a + 1, strlen(a + 1) + 1);
    else
        memcpy(buf, a, strlen(a) + 1);
}

static double mean_of(const doc *d, size_t t, size_t nd)
{
    double s = 0, n = 0;
    for (size_t u = 0; u < d->r->n_units; u++)
        if (!isnan(score(d, u, t, nd))) {
            s += score(d, u, t, nd);
            n++;
        }
    return n > 0 ? s / n : NAN;
}

/* ---- sections --------------------------------------------------------------------------- */

static const char *title_of(const doc *d)
{
    return d->o->title[0] ? d->o->title : d->o->name;
}

static void title_page(doc *d, long unit)
{
    const cym_results *r = d->r;
    const cym_node *root = node(d, r->fw->root);
    char s[1024];
    h_raw(d, "<header class=\"title-page\">\n<h1>");
    cym__buf_html(&d->h, title_of(d));
    h_raw(d, "</h1>\n");
    m_raw(d, "# ");
    cym__buf_md(&d->m, title_of(d));
    m_raw(d, "\n\n");
    if (unit >= 0) {
        SAY(s, "Country profile: %s (%s)", uname(d, (size_t)unit), r->ds->units[unit].code);
        para(d, "subtitle", s);
    } else if (d->o->subtitle[0])
        para(d, "subtitle", d->o->subtitle);
    h_raw(d, "<dl>\n");
#define ROW(k, v)                                                                                  \
    do {                                                                                           \
        h_raw(d, "<dt>" k "</dt><dd>");                                                            \
        cym__buf_html(&d->h, v);                                                                   \
        h_raw(d, "</dd>\n");                                                                       \
        m_raw(d, "- **" k ":** ");                                                                 \
        cym__buf_md(&d->m, v);                                                                     \
        m_raw(d, "\n");                                                                            \
    } while (0)
    ROW("Index", root->name);
    ROW("Dataset", d->o->name);
    SAY(s, "%d-%d (%zu years; rankings for %d)", r->year0, year(d, r->n_years - 1), r->n_years,
        year(d, d->t));
    ROW("Years", s);
    SAY(s, "%zu", r->n_units);
    ROW("Countries", s);
    SAY(s, "%zu indicators in %zu pillars", r->n_ind, root->n_children);
    ROW("Framework", s);
    if (d->o->source[0])
        ROW("Source", d->o->source);
    ROW("Produced by", "cymetrics " CYM_VERSION);
#undef ROW
    h_raw(d, "</dl>\n</header>\n");
    m_raw(d, "\n");
}

static void toc(doc *d, int has_unc)
{
    static const char *const ids[] = {"findings",   "ranking",  "trends",
                                      "comparison", "profiles", "methodology",
                                      "coverage",   "warnings", "provenance"};
    static const char *const names[] = {"Key findings",
                                        "Ranking",
                                        "Trends",
                                        "Comparison",
                                        "Country profiles",
                                        "Methodology",
                                        "Data coverage and imputation",
                                        "Warnings",
                                        "Input provenance"};
    (void)has_unc;
    h_raw(d, "<nav class=\"toc\"><h2 id=\"contents\">Contents</h2><ol>\n");
    for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
        cym__buf_printf(&d->h, "<li><a href=\"#%s\">%s</a></li>\n", ids[i], names[i]);
    h_raw(d, "</ol></nav>\n");
}

static void findings(doc *d)
{
    const cym_results *r = d->r;
    size_t t = d->t, root = r->fw->root, nu = r->n_units;
    const cym_node *rn = node(d, root);
    char s[2048];
    heading(d, 2, "findings", "Key findings");
    list_begin(d, "findings");
    /* leader(s) */
    {
        size_t lead[8], nl = 0, second = (size_t)-1;
        for (size_t i = 0; i < nu; i++) {
            size_t u = d->order[i];
            if (rank(d, u, t, root) == 1 && nl < 8)
                lead[nl++] = u;
            else if (second == (size_t)-1 && !isnan(rank(d, u, t, root)))
                second = u;
        }
        if (nl == 1 && second != (size_t)-1) {
            char gap[32];
            signed_num(gap, sizeof(gap), score(d, lead[0], t, root) - score(d, second, t, root),
                       d->dec);
            SAY(s, "%s leads the %s in %d with %.*f, %s points ahead of %s (%.*f).",
                uname(d, lead[0]), rn->name, year(d, t), d->dec, score(d, lead[0], t, root),
                gap + (gap[0] == '+'), uname(d, second), d->dec, score(d, second, t, root));
            item(d, s);
        } else if (nl == 1) {
            SAY(s, "%s leads the %s in %d with %.*f.", uname(d, lead[0]), rn->name, year(d, t),
                d->dec, score(d, lead[0], t, root));
            item(d, s);
        } else if (nl > 1) {
            size_t len = (size_t)SAY(s, "%zu countries share the lead in %d with %.*f:", nl,
                                     year(d, t), d->dec, score(d, lead[0], t, root));
            for (size_t k = 0; k < nl && len < sizeof(s); k++)
                len += (size_t)snprintf(s + len, sizeof(s) - len, "%s %s", k ? "," : "",
                                        uname(d, lead[k]));
            if (len < sizeof(s) - 1)
                strcat(s, ".");
            item(d, s);
        }
    }
    /* tiers */
    if (d->o->run.n_tiers) {
        size_t len = (size_t)SAY(s, "Countries per tier in %d:", year(d, t));
        for (size_t k = 0; k < d->o->run.n_tiers && len < sizeof(s); k++) {
            size_t cnt = 0;
            for (size_t u = 0; u < nu; u++)
                cnt += r->tier[u * r->n_years + t] == (int)k;
            len += (size_t)snprintf(s + len, sizeof(s) - len, "%s %s %zu", k ? "," : "",
                                    d->o->run.tiers[k].label, cnt);
        }
        if (len < sizeof(s) - 1)
            strcat(s, ".");
        item(d, s);
    }
    /* movers */
    if (t > 0) {
        long up = -1, down = -1, rup = -1, rdown = -1;
        double bu = 0, bd = 0, ru = 0, rd = 0;
        for (size_t i = 0; i < nu; i++) {
            size_t u = d->order[i];
            double ch = score(d, u, t, root) - score(d, u, t - 1, root);
            double rc = rank(d, u, t - 1, root) - rank(d, u, t, root);
            if (!isnan(ch) && ch > bu) {
                bu = ch;
                up = (long)u;
            }
            if (!isnan(ch) && ch < bd) {
                bd = ch;
                down = (long)u;
            }
            if (!isnan(rc) && rc > ru) {
                ru = rc;
                rup = (long)u;
            }
            if (!isnan(rc) && rc < rd) {
                rd = rc;
                rdown = (long)u;
            }
        }
        if (up >= 0) {
            SAY(s, "Largest gain since %d: %s, +%.*f points (rank %.0f to %.0f).", year(d, t - 1),
                uname(d, (size_t)up), d->dec, bu, rank(d, (size_t)up, t - 1, root),
                rank(d, (size_t)up, t, root));
            item(d, s);
        }
        if (down >= 0) {
            SAY(s, "Largest fall since %d: %s, -%.*f points (rank %.0f to %.0f).", year(d, t - 1),
                uname(d, (size_t)down), d->dec, -bd, rank(d, (size_t)down, t - 1, root),
                rank(d, (size_t)down, t, root));
            item(d, s);
        } else {
            SAY(s, "No country's index fell since %d.", year(d, t - 1));
            item(d, s);
        }
        if (rup >= 0 && rup != up) {
            SAY(s, "Most places gained: %s, up %.0f (to rank %.0f).", uname(d, (size_t)rup), ru,
                rank(d, (size_t)rup, t, root));
            item(d, s);
        }
        if (rdown >= 0 && rdown != down) {
            SAY(s, "Most places lost: %s, down %.0f (to rank %.0f).", uname(d, (size_t)rdown), -rd,
                rank(d, (size_t)rdown, t, root));
            item(d, s);
        }
    }
    /* trends */
    if (d->tr && r->n_years >= 2) {
        static const cym_trend_direction dirs[] = {CYM_TREND_UP, CYM_TREND_DOWN, CYM_TREND_FLAT};
        static const char *const words[] = {"Significantly improving", "Significantly declining",
                                            "No significant trend"};
        for (int k = 0; k < 3; k++) {
            size_t len = (size_t)SAY(s, "%s over %d-%d (Mann-Kendall, p < %g):", words[k], r->year0,
                                     year(d, r->n_years - 1), d->tr->level);
            size_t cnt = 0;
            for (size_t i = 0; i < nu && len < sizeof(s); i++) {
                size_t u = d->order[i];
                const cym_trend_stats *st = &d->tr->stats[u * r->n_nodes + root];
                if (st->direction != dirs[k])
                    continue;
                len += (size_t)snprintf(s + len, sizeof(s) - len, "%s %s (%s%.*f a year)",
                                        cnt ? "," : "", uname(d, u), st->theil_sen > 0 ? "+" : "",
                                        d->dec, st->theil_sen);
                cnt++;
            }
            if (cnt == 0 && len < sizeof(s))
                snprintf(s + len, sizeof(s) - len, " none");
            if (strlen(s) < sizeof(s) - 1)
                strcat(s, ".");
            item(d, s);
        }
    }
    /* pillars on average */
    if (rn->n_children > 1) {
        long lo = -1, hi = -1;
        double vlo = 0, vhi = 0;
        for (size_t k = 0; k < rn->n_children; k++) {
            double m = mean_of(d, t, rn->children[k]);
            if (isnan(m))
                continue;
            if (lo < 0 || m < vlo) {
                lo = (long)k;
                vlo = m;
            }
            if (hi < 0 || m > vhi) {
                hi = (long)k;
                vhi = m;
            }
        }
        if (lo >= 0 && hi >= 0 && lo != hi) {
            SAY(s, "Strongest pillar on average: %s (mean %.*f); weakest: %s (mean %.*f).",
                node(d, rn->children[hi])->name, d->dec, vhi, node(d, rn->children[lo])->name,
                d->dec, vlo);
            item(d, s);
        }
    }
    /* uncertain ranks */
    if (d->unc) {
        const cym_uncertainty *u = d->unc;
        size_t cnt = 0, len;
        size_t tu = (size_t)(year(d, t) - u->year0);
        len = (size_t)SAY(s,
                          "Uncertain ranks (%zu Monte Carlo runs; 5-95 %% rank interval over "
                          "3 places or more):",
                          u->runs);
        for (size_t i = 0; tu < u->n_years && i < nu && len < sizeof(s); i++) {
            size_t un = d->order[i], c = un * u->n_years + tu;
            if (!(u->rank_q95[c] - u->rank_q05[c] >= 2))
                continue;
            len += (size_t)snprintf(s + len, sizeof(s) - len, "%s %s (%.0f-%.0f)", cnt ? "," : "",
                                    uname(d, un), u->rank_q05[c], u->rank_q95[c]);
            cnt++;
        }
        if (cnt == 0 && len < sizeof(s))
            snprintf(s + len, sizeof(s) - len, " none: every rank holds within 2 places");
        if (strlen(s) < sizeof(s) - 1)
            strcat(s, ".");
        item(d, s);
    }
    list_end(d);
}

static void ranking(doc *d)
{
    char cap[512];
    heading(d, 2, "ranking", "Ranking");
    SAY(cap, "%s %d: index scores, coloured by tier.", node(d, d->r->fw->root)->name,
        year(d, d->t));
    figure(d, CYM_CHART_RANKING, 0, "Ranking chart", cap);
    figure(d, CYM_CHART_PILLARS, 0, "Composition chart",
           "Composition: the weighted contribution of each pillar to the index.");
    table(d, "summary", 3);
}

static void trends(doc *d)
{
    heading(d, 2, "trends", "Trends");
    if (d->r->n_years < 2) {
        para(d, NULL, "One year only: no trends.");
        return;
    }
    figure(d, CYM_CHART_TRENDS, 0, "Trends chart", "The index over the years.");
    figure(d, CYM_CHART_CHANGE, 0, "Change chart", "Change of the index since the previous year.");
    table(d, "trends", 3);
    table(d, "by-year", 3);
}

static void comparison(doc *d)
{
    heading(d, 2, "comparison", "Comparison");
    table(d, "compare", 3);
    table(d, "pillars", 3);
    table(d, "strengths", 3);
    table(d, "tiers", 3);
}

/* The profile of one country. */
static void profile(doc *d, size_t u)
{
    const cym_results *r = d->r;
    size_t t = d->t, root = r->fw->root;
    const cym_node *rn = node(d, root);
    const cym_trend_stats *st = d->tr ? &d->tr->stats[u * r->n_nodes + root] : NULL;
    int tier = r->tier[u * r->n_years + t];
    char s[1024], id[32], a[64];
    size_t nmax = (size_t)(d->o->trend.strengths_n > 0 ? d->o->trend.strengths_n : 3);
    size_t *strong = malloc(nmax * sizeof(size_t)), *weak = malloc(nmax * sizeof(size_t));

    if (!strong || !weak) {
        free(strong);
        free(weak);
        d->oom = 1;
        return;
    }
    SAY(id, "profile-%s", r->ds->units[u].code);
    cym__buf_printf(&d->h, "<section class=\"profile\" id=\"%s\">\n", id);
    SAY(s, "%s (%s)", uname(d, u), r->ds->units[u].code);
    heading(d, 3, "", s);
    /* key numbers */
    h_raw(d, "<div class=\"kpi\">");
    SAY(a, "%.*f", d->dec, score(d, u, t, root));
    cym__buf_printf(&d->h, "<div><b>%s</b>index %d</div>",
                    isnan(score(d, u, t, root)) ? "\u2013" : a, year(d, t));
    cym__buf_printf(&d->h, "<div><b>%.0f</b>rank of %zu</div>", rank(d, u, t, root),
                    n_ranked(d, t, root));
    if (tier >= 0) {
        h_raw(d, "<div><b>");
        cym__buf_html(&d->h, d->o->run.tiers[tier].label);
        h_raw(d, "</b>tier</div>");
    }
    if (t > 0) {
        signed_num(a, sizeof(a), score(d, u, t, root) - score(d, u, t - 1, root), d->dec);
        cym__buf_printf(&d->h, "<div><b>%s</b>since %d</div>", a, year(d, t - 1));
    }
    if (st && st->n >= 2)
        cym__buf_printf(&d->h, "<div><b>%s</b>trend %d-%d</div>",
                        cym_trend_direction_name(st->direction), st->first_year, st->last_year);
    h_raw(d, "</div>\n");
    {
        size_t len = (size_t)SAY(s, "%s %d: %.*f, rank %.0f of %zu", rn->code, year(d, t), d->dec,
                                 score(d, u, t, root), rank(d, u, t, root), n_ranked(d, t, root));
        if (tier >= 0)
            len += (size_t)snprintf(s + len, sizeof(s) - len, ", tier %s", d->o->run.tiers[tier].label);
        if (tier > 0 && len < sizeof(s))
            len += (size_t)snprintf(s + len, sizeof(s) - len, " (%.*f points to %s)", d->dec,
                                    r->tier_gap[u * r->n_years + t], d->o->run.tiers[tier - 1].label);
        if (st && st->n >= 2 && len < sizeof(s))
            snprintf(s + len, sizeof(s) - len,
                     "; trend %d-%d: %s (Theil-Sen %s%.*f a year, Mann-Kendall p = %.3f).",
                     st->first_year, st->last_year, cym_trend_direction_name(st->direction),
                     st->theil_sen > 0 ? "+" : "", d->dec, st->theil_sen, st->mk.p);
        else if (len < sizeof(s) - 1)
            strcat(s, ".");
        /* the HTML shows the numbers as cards: the sentence is for the Markdown */
        cym__buf_md(&d->m, s);
        m_raw(d, "\n\n");
    }
    h_raw(d, "<div class=\"radar\">");
    SAY(s, "Profile of %s", uname(d, u));
    if (r->n_units <= CYM_PLOT_RUN_MAX_PROFILES)
        figure(d, CYM_CHART_PROFILE, u, s, "Pillars against the group mean and the leader.");
    h_raw(d, "</div>\n<div class=\"cols\"><div>\n");
    /* the pillar table: a table model like the others */
    {
        cym__table tb;
        static char h0[] = "Node", h1[] = "Score", h2[] = "Rank", h3[] = "Mean",
                    h4[] = "Gap to mean", h5[] = "Change";
        cym__col cols[6] = {{h0, CYM__COL_TEXT},  {h1, CYM__COL_SCORE},  {h2, CYM__COL_RANK},
                            {h3, CYM__COL_SCORE}, {h4, CYM__COL_CHANGE}, {h5, CYM__COL_CHANGE}};
        size_t nrow = 1 + rn->n_children;
        cym__cell *cells = calloc(nrow * 6, sizeof(cym__cell));
        char title[64], note[256];
        if (!cells) {
            d->oom = 1;
        } else {
            for (size_t i = 0; i < nrow; i++) {
                size_t nd = i == 0 ? root : rn->children[i - 1];
                double m = mean_of(d, t, nd);
                cells[i * 6].s = node(d, nd)->name;
                cells[i * 6 + 1].v = score(d, u, t, nd);
                cells[i * 6 + 2].v = rank(d, u, t, nd);
                cells[i * 6 + 3].v = m;
                cells[i * 6 + 4].v = score(d, u, t, nd) - m;
                cells[i * 6 + 5].v = t > 0 ? score(d, u, t, nd) - score(d, u, t - 1, nd) : NAN;
            }
            SAY(title, "Scores %d", year(d, t));
            if (t > 0)
                SAY(note, "Mean: over the %zu countries; change since %d. Higher is better.",
                    r->n_units, year(d, t - 1));
            else
                SAY(note, "Mean: over the %zu countries. Higher is better.", r->n_units);
            tb.id = "profile";
            tb.title = title;
            tb.note = note;
            tb.n_cols = t > 0 ? 6 : 5;
            tb.n_rows = nrow;
            tb.cap_rows = nrow;
            tb.cols = cols;
            /* the cells are laid out for 6 columns: re-pack for 5 */
            if (tb.n_cols == 5)
                for (size_t i = 0; i < nrow; i++)
                    memmove(&cells[i * 5], &cells[i * 6], 5 * sizeof(cym__cell));
            tb.cells = cells;
            cym__table_html(&d->h, &tb, d->dec, 4);
            cym__table_md(&d->m, &tb, d->dec, 4);
            free(cells);
        }
    }
    h_raw(d, "</div><div>\n");
    /* strengths and weaknesses */
    {
        size_t ns, nw;
        cym_compare_strengths(strong, &ns, weak, &nw, r, u, t, nmax);
        for (int pass = 0; pass < 2; pass++) {
            heading(d, 4, "", pass ? "Weaknesses" : "Strengths");
            list_begin(d, NULL);
            for (size_t q = 0; q < (pass ? nw : ns); q++) {
                size_t nd = pass ? weak[q] : strong[q];
                SAY(s, "%s (%s): rank %.0f of %zu, score %.*f", node(d, nd)->name,
                    node(d, nd)->code, rank(d, u, t, nd), n_ranked(d, t, nd), d->dec,
                    score(d, u, t, nd));
                item(d, s);
            }
            if ((pass ? nw : ns) == 0)
                item(d, "none that sets the country apart");
            list_end(d);
        }
    }
    h_raw(d, "</div></div>\n</section>\n");
    free(strong);
    free(weak);
}

static void profiles(doc *d)
{
    heading(d, 2, "profiles", "Country profiles");
    for (size_t i = 0; i < d->r->n_units; i++)
        profile(d, d->order[i]);
}

/* ---- methodology ------------------------------------------------------------------------ */

static const char *norm_formula(cym_norm_method m)
{
    switch (m) {
    case CYM_NORM_MINMAX: return "x' = (x - min) / (max - min) * (u - l) + l";
    case CYM_NORM_ZSCORE: return "x' = (x - mean) / sd * s + m (sample sd, n - 1)";
    case CYM_NORM_GOALPOSTS:
        return "x' = clip((x - g_lo) / (g_hi - g_lo), 0, 1) * (u - l) + l, goalposts from the "
               "framework";
    case CYM_NORM_RANK: return "x' = rank among the values, 1 = worst, ties the minimum rank";
    case CYM_NORM_BORDA: return "x' = rank - 1";
    case CYM_NORM_PERCENTILE: return "x' = (rank - 1) / (n - 1) * (u - l) + l";
    case CYM_NORM_DIST2MAX: return "x' = (1 - (max - x) / (max - min)) * (u - l) + l";
    case CYM_NORM_DIST2REF:
        return "x' = (1 - (x_ref - x) / (x_ref - min)) * (u - l) + l, x_ref the reference "
               "country's value";
    case CYM_NORM_DIST2TARGET:
        return "x' = min((x - min) / (target - min), 1) * (u - l) + l, targets from the "
               "framework";
    case CYM_NORM_FRACMAX: return "x' = x / max * (u - l) + l";
    default: return "x' = x (no normalisation)";
    }
}

static const char *agg_formula(cym_agg_method m)
{
    switch (m) {
    case CYM_AGG_ARITHMETIC:
        return "y = sum w_i x_i, weights rescaled over the children with a value";
    case CYM_AGG_GEOMETRIC: return "y = exp(sum w_i ln x_i), x_i > 0";
    case CYM_AGG_HARMONIC: return "y = 1 / sum (w_i / x_i), x_i > 0";
    case CYM_AGG_POWER: return "y = (sum w_i x_i^p)^(1/p)";
    case CYM_AGG_SUM: return "y = sum w_i x_i with the framework weights as given (points)";
    case CYM_AGG_MIN: return "y = min x_i";
    case CYM_AGG_COPELAND:
        return "y_a = sum over b != a of sign(c_ab - 0.5), c_ab the weight of the children "
               "where a beats b (ties half)";
    case CYM_AGG_MAZZIOTTA_PARETO: return "y = mean - sd * cv over the children";
    default: return "";
    }
}

static const char *impute_rule(cym_impute_method m)
{
    switch (m) {
    case CYM_IMPUTE_NONE:
        return "missing values stay missing; aggregates rescale the weights over the children "
               "with a value";
    case CYM_IMPUTE_MEAN:
        return "the mean of the indicator over the countries with a value, same year";
    case CYM_IMPUTE_MEDIAN:
        return "the median of the indicator over the countries with a value, same year";
    case CYM_IMPUTE_GROUP_MEAN: return "the mean over the countries of the same group, same year";
    case CYM_IMPUTE_GROUP_MEDIAN:
        return "the median over the countries of the same group, same year";
    case CYM_IMPUTE_LOCF: return "the last observed value carried forward in time";
    case CYM_IMPUTE_LINEAR:
        return "linear interpolation between the nearest observed years, flat beyond the ends";
    default: return "a constant value";
    }
}

static const char *cfg(const doc *d, const char *key)
{
    const char *v =
        json_string_value(json_object_get(json_object_get(d->manifest, "configuration"), key));
    return v ? v : "";
}

static void methodology(doc *d)
{
    const cym_options *o = d->o;
    const cym_results *r = d->r;
    char s[2048];
    const char *key;
    json_t *v;
    heading(d, 2, "methodology", "Methodology");
    para(d, NULL,
         "The methods and parameters this run used, as recorded in manifest.json "
         "(docs/methodology.md defines each).");
    list_begin(d, NULL);
    SAY(s,
        "Direction: indicators where lower is better are multiplied by -1 before "
        "treatment and normalisation. Denomination by the framework's denominators: %s.",
        r->settings.denominate ? "on" : "off");
    item(d, s);
    SAY(s, "Imputation (%s): %s.", cfg(d, "impute"), impute_rule(o->run.impute.method));
    item(d, s);
    if (o->run.treat)
        SAY(s,
            "Outlier treatment (winsorise): an indicator with |skewness| >= %s and kurtosis "
            ">= %s has its extreme points winsorised, at most %s, then is log-transformed, "
            "log(x - min + 0.01 (max - min)), if it still fails.",
            cfg(d, "skew-max"), cfg(d, "kurt-max"), cfg(d, "winmax"));
    else
        SAY(s, "Outlier treatment: none.");
    item(d, s);
    SAY(s, "Normalisation (%s, range %s, over %s): %s.", cfg(d, "normalise"), cfg(d, "range"),
        r->settings.scope ? "each year separately" : "all years pooled",
        norm_formula(o->run.norm.method));
    item(d, s);
    SAY(s,
        "Weights (%s): each node's weight relative to its siblings; effective weights in "
        "weights.csv.",
        cfg(d, "weights"));
    item(d, s);
    SAY(s, "Aggregation (%s): %s. Least share of weight with data: %s.", cfg(d, "aggregate"),
        agg_formula(o->run.agg.method), cfg(d, "min-coverage"));
    item(d, s);
    for (size_t n = 0; n < r->fw->n_nodes; n++)
        if (r->fw->nodes[n].has_method) {
            SAY(s, "Aggregation of %s set by the framework (%s): %s.", r->fw->nodes[n].code,
                cym_agg_name(r->fw->nodes[n].method.method),
                agg_formula(r->fw->nodes[n].method.method));
            item(d, s);
        }
    SAY(s, "Ranks: 1 = highest score, ties %s.", cfg(d, "rank-ties"));
    item(d, s);
    if (o->run.n_tiers) {
        SAY(s,
            "Tiers (%s): a score at or above a threshold gets its label; the distance to the "
            "next tier is the threshold above minus the score.",
            cfg(d, "tiers"));
        item(d, s);
    }
    SAY(s,
        "Trends (%s basis): Theil-Sen slope = median of (y_j - y_i) / (t_j - t_i); "
        "Mann-Kendall S = sum sign(y_j - y_i), z with tie and continuity correction, "
        "improving or declining when p < %g; OLS slope with its %g %% interval.",
        cfg(d, "trend-basis"), o->trend.level, 100 * (1 - o->trend.level));
    item(d, s);
    if (d->unc) {
        SAY(s,
            "Uncertainty: %zu Monte Carlo replications (seed %s) over the declared factors; "
            "rank intervals are the 5th and 95th percentiles (type 7).",
            d->unc->runs, cfg(d, "seed"));
        item(d, s);
    }
    list_end(d);
    heading(d, 3, "settings", "Every setting");
    h_raw(d, "<div class=\"scroll\"><table><thead><tr><th>Key</th><th>Value</th></tr></thead>"
             "<tbody>\n");
    m_raw(d, "| Key | Value |\n| --- | --- |\n");
    json_object_foreach(json_object_get(d->manifest, "configuration"), key, v)
    {
        if (strcmp(key, "out") == 0)
            continue;
        h_raw(d, "<tr><td><code>");
        cym__buf_html(&d->h, key);
        h_raw(d, "</code></td><td>");
        cym__buf_html(&d->h, json_string_value(v));
        h_raw(d, "</td></tr>\n");
        m_raw(d, "| ");
        cym__buf_md(&d->m, key);
        m_raw(d, " | ");
        cym__buf_md(&d->m, json_string_value(v));
        m_raw(d, " |\n");
    }
    h_raw(d, "</tbody></table></div>\n");
    m_raw(d, "\n");
}

static void coverage(doc *d)
{
    const cym_results *r = d->r;
    cym_coverage cov;
    cym_error e;
    char s[1024];
    heading(d, 2, "coverage", "Data coverage and imputation");
    memset(&cov, 0, sizeof(cov));
    if (cym_dataset_coverage(&cov, r->ds, r->year0, year(d, r->n_years - 1), &e) < 0) {
        d->oom = 1;
        return;
    }
    list_begin(d, NULL);
    SAY(s, "%zu of %zu indicator values present over %d-%d (%.1f %%).", cov.present, cov.cells,
        cov.year_from, cov.year_to,
        cov.cells ? 100.0 * (double)cov.present / (double)cov.cells : 0.0);
    item(d, s);
    SAY(s, "Imputed values: %zu (method %s).", r->n_imputed, cfg(d, "impute"));
    item(d, s);
    {
        size_t n_treated = 0, n_zero = 0;
        for (size_t k = 0; k < r->n_treat; k++)
            n_treated += r->treat[k].r.n_high + r->treat[k].r.n_low > 0 || r->treat[k].r.log_used;
        for (size_t i = 0; i < r->n_ind; i++)
            n_zero += r->zero_spread[i];
        SAY(s, "Indicators treated for outliers: %zu; without spread (set to the mid-point): %zu.",
            n_treated, n_zero);
        item(d, s);
    }
    for (size_t f = 0; f < r->ds->n_flags; f++) {
        SAY(s, "Values flagged '%s' in the data: %zu.", r->ds->flags[f].flag,
            r->ds->flags[f].count);
        item(d, s);
    }
    list_end(d);
    {
        static char h0[] = "Country", h1[] = "Missing", h2[] = "Present %";
        cym__col cols[3] = {{h0, CYM__COL_TEXT}, {h1, CYM__COL_RANK}, {h2, CYM__COL_PCT}};
        cym__cell *cells = calloc(r->n_units * 3 + 1, sizeof(cym__cell));
        size_t per = r->n_years * r->n_ind;
        cym__table tb;
        char title[64] = "Missing values by country";
        char note[128];
        if (!cells) {
            d->oom = 1;
        } else {
            for (size_t u = 0; u < r->n_units; u++) {
                cells[u * 3].s = r->ds->units[u].name;
                cells[u * 3 + 1].v = (double)cov.missing_by_unit[u];
                cells[u * 3 + 2].v =
                    per ? 100.0 * (double)(per - cov.missing_by_unit[u]) / (double)per : NAN;
            }
            SAY(note,
                "Indicator values missing over %d-%d (of %zu per country), before "
                "imputation.",
                cov.year_from, cov.year_to, per);
            tb.id = "coverage";
            tb.title = title;
            tb.note = note;
            tb.n_cols = 3;
            tb.n_rows = tb.cap_rows = r->n_units;
            tb.cols = cols;
            tb.cells = cells;
            cym__table_html(&d->h, &tb, d->dec, 3);
            cym__table_md(&d->m, &tb, d->dec, 3);
            free(cells);
        }
    }
    cym_coverage_free(&cov);
}

static void warnings(doc *d)
{
    cym_warnings w = {0};
    heading(d, 2, "warnings", "Warnings");
    if (cym__report_warnings(&w, d->r) < 0) {
        d->oom = 1;
        return;
    }
    if (w.count == 0)
        para(d, NULL, "None.");
    else {
        list_begin(d, NULL);
        for (size_t i = 0; i < w.count; i++)
            item(d, w.lines[i]);
        list_end(d);
    }
    cym_warnings_clear(&w);
}

static void provenance(doc *d)
{
    json_t *in = json_object_get(d->manifest, "inputs"), *v;
    size_t i;
    heading(d, 2, "provenance", "Input provenance");
    para(d, NULL, "The files this run read, with their size and SHA-256 (as in manifest.json).");
    h_raw(d, "<div class=\"scroll\"><table><thead><tr><th>Role</th><th>File</th>"
             "<th class=\"num\">Bytes</th><th>SHA-256</th></tr></thead><tbody>\n");
    m_raw(d, "| Role | File | Bytes | SHA-256 |\n| --- | --- | ---: | --- |\n");
    json_array_foreach(in, i, v)
    {
        const char *role = json_string_value(json_object_get(v, "role"));
        const char *path = json_string_value(json_object_get(v, "path"));
        const char *sha = json_string_value(json_object_get(v, "sha256"));
        long long bytes = (long long)json_integer_value(json_object_get(v, "bytes"));
        h_raw(d, "<tr><td>");
        cym__buf_html(&d->h, role ? role : "");
        h_raw(d, "</td><td><code>");
        cym__buf_html(&d->h, path ? path : "");
        cym__buf_printf(&d->h, "</code></td><td class=\"num\">%lld</td><td class=\"hash\">", bytes);
        cym__buf_html(&d->h, sha ? sha : "");
        h_raw(d, "</td></tr>\n");
        m_raw(d, "| ");
        cym__buf_md(&d->m, role ? role : "");
        m_raw(d, " | ");
        cym__buf_md(&d->m, path ? path : "");
        cym__buf_printf(&d->m, " | %lld | ", bytes);
        cym__buf_md(&d->m, sha ? sha : "");
        m_raw(d, " |\n");
    }
    h_raw(d, "</tbody></table></div>\n");
    m_raw(d, "\n");
}

/* ---- the documents ---------------------------------------------------------------------- */

static void html_head(doc *d, const char *title)
{
    h_raw(d, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             /* no script, no fetch: images only from data: URIs, style only inline */
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
             "img-src data:; style-src 'unsafe-inline'\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<meta name=\"generator\" content=\"cymetrics " CYM_VERSION "\">\n<title>");
    cym__buf_html(&d->h, title);
    h_raw(d, "</title>\n<style>\n");
    h_raw(d, cym__report_css);
    h_raw(d, "</style>\n</head>\n<body>\n");
}

static void html_tail(doc *d)
{
    h_raw(d, "<footer class=\"muted\" id=\"end\"><p>Written by cymetrics " CYM_VERSION
             ". Machine-readable results: results.json, results.xlsx and the CSV tables next "
             "to this report.</p></footer>\n</body>\n</html>\n");
}

static cym_status write_file(cym__outdir *od, const char *name, const cym__buf *b, cym_error *err)
{
    FILE *f;
    cym_status st = cym__outdir_create(&f, od, name, err);
    if (st < 0)
        return st;
    fwrite(b->p, 1, b->n, f);
    return cym__outdir_close(od, f, name, err);
}

cym_status cym_report_write(const cym_results *r, const cym_options *o,
                            const struct cym_uncertainty *unc, size_t unit, const char *outdir,
                            cym_warnings *failed, cym_error *err)
{
    doc d;
    json_t *manifest = NULL;
    cym_trends *tr = NULL;
    cym__outdir od;
    cym_status st;
    char name[64];

    memset(&d, 0, sizeof(d));
    memset(&od, 0, sizeof(od));
    if (unit != CYM_REPORT_ALL && unit >= r->n_units)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "no such country");
    if ((st = cym__manifest_build(&manifest, r, o, err)) < 0)
        return st;
    if ((st = cym_trends_compute(&tr, r, o, err)) < 0)
        goto cleanup;
    d.r = r;
    d.o = o;
    d.tr = tr;
    d.unc = unc;
    d.manifest = manifest;
    d.t = r->n_years - 1;
    d.dec = o->decimals;
    d.failed = failed;
    if ((st = cym__tables_build(&d.tables, &d.n_tables, r, tr, o, err)) < 0)
        goto cleanup;
    if (!(d.order = malloc((r->n_units + 1) * sizeof(size_t)))) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    cym__report_order(d.order, r, d.t);
    if (unit == CYM_REPORT_ALL) {
        html_head(&d, title_of(&d));
        title_page(&d, -1);
        toc(&d, unc != NULL);
        findings(&d);
        ranking(&d);
        trends(&d);
        comparison(&d);
        profiles(&d);
        methodology(&d);
        coverage(&d);
        warnings(&d);
        provenance(&d);
    } else {
        char title[512];
        SAY(title, "%s: %s", title_of(&d), uname(&d, unit));
        html_head(&d, title);
        title_page(&d, (long)unit);
        profile(&d, unit);
        provenance(&d);
    }
    html_tail(&d);
    if (d.oom || d.h.oom || d.m.oom) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if ((st = cym__outdir_open(&od, outdir, err)) < 0)
        goto cleanup;
    if (unit == CYM_REPORT_ALL)
        snprintf(name, sizeof(name), "report");
    else
        snprintf(name, sizeof(name), "report-%s", r->ds->units[unit].code);
    {
        char fname[80];
        snprintf(fname, sizeof(fname), "%s.html", name);
        if ((st = write_file(&od, fname, &d.h, err)) < 0)
            goto cleanup;
        snprintf(fname, sizeof(fname), "%s.md", name);
        if ((st = write_file(&od, fname, &d.m, err)) < 0)
            goto cleanup;
    }
    st = cym__outdir_commit(&od, err);

cleanup:
    cym__outdir_free(&od);
    cym__buf_free(&d.h);
    cym__buf_free(&d.m);
    cym__tables_free(d.tables, d.n_tables);
    free(d.order);
    cym_trends_free(tr);
    json_decref(manifest);
    return st;
}
