/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The profile of a country in the report (and the whole of `report --country`): its key
 * numbers as cards (HTML) or a sentence (Markdown), its radar chart, the table of its index
 * and pillars against the mean, and its strengths and weaknesses (cym_compare_strengths).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/compare.h"
#include "cymetrics/plot.h"
#include "report/report_internal.h"

/*
 * The mean score and the number of ranked countries of every node in year d->t, which each
 * profile reads: computed once (they were over every country for every profile, O(countries^2)
 * at 2,000 countries). 0 when out of memory.
 */
static int node_stats(cym__doc *d)
{
    size_t nn = d->r->n_nodes;
    if (d->node_mean)
        return 1;
    d->node_mean = malloc(nn * sizeof(*d->node_mean));
    d->node_ranked = malloc(nn * sizeof(*d->node_ranked));
    if (!d->node_mean || !d->node_ranked) {
        free(d->node_mean);
        free(d->node_ranked);
        d->node_mean = NULL;
        d->node_ranked = NULL;
        d->oom = 1;
        return 0;
    }
    for (size_t nd = 0; nd < nn; nd++) {
        size_t n = 0;
        for (size_t u = 0; u < d->r->n_units; u++)
            n += !isnan(cym__doc_rank(d, u, d->t, nd));
        d->node_mean[nd] = cym__doc_mean(d, d->t, nd);
        d->node_ranked[nd] = n;
    }
    return 1;
}

static size_t n_ranked(const cym__doc *d, size_t nd)
{
    return d->node_ranked[nd];
}

void cym__section_profile(cym__doc *d, size_t u)
{
    const cym_results *r = d->r;
    size_t t = d->t, root = r->fw->root;
    const cym_node *rn = cym__doc_node(d, root);
    const cym_trend_stats *st = d->tr ? &d->tr->stats[u * r->n_nodes + root] : NULL;
    int tier = r->tier[cym_cube_cell(&r->unit_cube, u, t, 0)];
    char s[1024], id[32], a[64];
    size_t nmax = (size_t)(d->o->trend.strengths_n > 0 ? d->o->trend.strengths_n : 3);
    size_t *strong = malloc(nmax * sizeof(size_t)), *weak = malloc(nmax * sizeof(size_t));

    if (!strong || !weak || !node_stats(d)) {
        free(strong);
        free(weak);
        d->oom = 1;
        return;
    }
    CYM__SAY(id, "profile-%s", r->ds->units[u].code);
    cym__buf_printf(&d->h, "<section class=\"profile\" id=\"%s\">\n", id);
    CYM__SAY(s, "%s (%s)", cym__doc_uname(d, u), r->ds->units[u].code);
    cym__doc_heading(d, 3, "", s);
    /* key numbers */
    cym__doc_html(d, "<div class=\"kpi\">");
    CYM__SAY(a, "%.*f", d->dec, cym__doc_score(d, u, t, root));
    cym__buf_printf(&d->h, "<div><b>%s</b>index %d</div>",
                    isnan(cym__doc_score(d, u, t, root)) ? "\u2013" : a, cym__doc_year(d, t));
    cym__buf_printf(&d->h, "<div><b>%.0f</b>rank of %zu</div>", cym__doc_rank(d, u, t, root),
                    n_ranked(d, root));
    if (tier >= 0) {
        cym__doc_html(d, "<div><b>");
        cym__buf_html(&d->h, d->r->opts.tiers[tier].label);
        cym__doc_html(d, "</b>tier</div>");
    }
    if (t > 0) {
        cym__doc_signed(a, sizeof(a),
                        cym__doc_score(d, u, t, root) - cym__doc_score(d, u, t - 1, root), d->dec);
        cym__buf_printf(&d->h, "<div><b>%s</b>since %d</div>", a, cym__doc_year(d, t - 1));
    }
    if (st && st->n >= 2)
        cym__buf_printf(&d->h, "<div><b>%s</b>trend %d-%d</div>",
                        cym_trend_direction_name(st->direction), st->first_year, st->last_year);
    cym__doc_html(d, "</div>\n");
    {
        size_t len = (size_t)CYM__SAY(s, "%s %d: %.*f, rank %.0f of %zu", rn->code,
                                      cym__doc_year(d, t), d->dec, cym__doc_score(d, u, t, root),
                                      cym__doc_rank(d, u, t, root), n_ranked(d, root));
        if (tier >= 0)
            len += (size_t)snprintf(s + len, sizeof(s) - len, ", tier %s",
                                    d->r->opts.tiers[tier].label);
        if (tier > 0 && len < sizeof(s))
            len +=
                (size_t)snprintf(s + len, sizeof(s) - len, " (%.*f points to %s)", d->dec,
                                 r->tier_gap[cym_cube_cell(&r->unit_cube, u, t, 0)], d->r->opts.tiers[tier - 1].label);
        if (cym_results_flagged(r, u, t) && len < sizeof(s))
            len += (size_t)snprintf(
                s + len, sizeof(s) - len,
                "; " CYM_COVERAGE_MARK " on data for %.0f %% of the index's weight, below the "
                "coverage policy",
                100.0 * r->coverage[cym_cube_cell(&r->node_cube, u, t, root)]);
        if (st && st->n >= 2 && len < sizeof(s))
            snprintf(s + len, sizeof(s) - len,
                     "; trend %d-%d: %s (Theil-Sen %s%.*f a year, Mann-Kendall p = %.3f).",
                     st->first_year, st->last_year, cym_trend_direction_name(st->direction),
                     st->theil_sen > 0 ? "+" : "", d->dec, st->theil_sen, st->mk.p);
        else if (len < sizeof(s) - 1)
            strcat(s, ".");
        /* the HTML shows the numbers as cards: the sentence is for the Markdown */
        cym__buf_md(&d->m, s);
        cym__doc_md(d, "\n\n");
    }
    cym__doc_html(d, "<div class=\"radar\">");
    CYM__SAY(s, "Profile of %s", cym__doc_uname(d, u));
    if (r->n_units <= CYM_PLOT_RUN_MAX_PROFILES)
        cym__doc_figure(d, CYM_CHART_PROFILE, u, s,
                        "Pillars against the group mean and the leader.");
    cym__doc_html(d, "</div>\n<div class=\"cols\"><div>\n");
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
                double m = d->node_mean[nd];
                cells[i * 6].s = cym__doc_node(d, nd)->name;
                cells[i * 6 + 1].v = cym__doc_score(d, u, t, nd);
                cells[i * 6 + 2].v = cym__doc_rank(d, u, t, nd);
                cells[i * 6 + 3].v = m;
                cells[i * 6 + 4].v = cym__doc_score(d, u, t, nd) - m;
                cells[i * 6 + 5].v =
                    t > 0 ? cym__doc_score(d, u, t, nd) - cym__doc_score(d, u, t - 1, nd) : NAN;
            }
            CYM__SAY(title, "Scores %d", cym__doc_year(d, t));
            if (t > 0)
                CYM__SAY(note, "Mean: over the %zu countries; change since %d. Higher is better.",
                         r->n_units, cym__doc_year(d, t - 1));
            else
                CYM__SAY(note, "Mean: over the %zu countries. Higher is better.", r->n_units);
            /* the cells are laid out for 6 columns: re-pack for 5 */
            if (t == 0)
                for (size_t i = 0; i < nrow; i++)
                    memmove(&cells[i * 5], &cells[i * 6], 5 * sizeof(cym__cell));
            tb = (cym__table){.id = "profile",
                              .title = title,
                              .note = note,
                              .n_cols = t > 0 ? 6 : 5,
                              .n_rows = nrow,
                              .cap_rows = nrow,
                              .cols = cols,
                              .cells = cells};
            cym__doc_table(d, &tb, 4);
            free(cells);
        }
    }
    cym__doc_html(d, "</div><div>\n");
    /* strengths and weaknesses */
    {
        size_t ns, nw;
        cym_compare_strengths(strong, &ns, weak, &nw, d->ties, u, nmax);
        for (int pass = 0; pass < 2; pass++) {
            cym__doc_heading(d, 4, "", pass ? "Weaknesses" : "Strengths");
            cym__doc_list_begin(d, NULL);
            for (size_t q = 0; q < (pass ? nw : ns); q++) {
                size_t nd = pass ? weak[q] : strong[q];
                CYM__SAY(s, "%s (%s): rank %.0f of %zu, score %.*f", cym__doc_node(d, nd)->name,
                         cym__doc_node(d, nd)->code, cym__doc_rank(d, u, t, nd), n_ranked(d, nd),
                         d->dec, cym__doc_score(d, u, t, nd));
                cym__doc_item(d, s);
            }
            if ((pass ? nw : ns) == 0)
                cym__doc_item(d, "none that sets the country apart");
            cym__doc_list_end(d);
        }
    }
    cym__doc_html(d, "</div></div>\n</section>\n");
    free(strong);
    free(weak);
}

void cym__section_profiles(cym__doc *d)
{
    cym__doc_heading(d, 2, "profiles", "Country profiles");
    for (size_t i = 0; i < d->r->n_units; i++)
        cym__section_profile(d, d->order[i]);
}
