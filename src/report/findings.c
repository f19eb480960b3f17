/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The key findings of the report: sentences computed from the numbers, in this order: the
 * leader and its margin (or the countries sharing the lead), the countries per tier, the
 * biggest movers since the previous year (score and places; countries below the coverage
 * policy in either year are left out, and named), the significant trends
 * (Mann-Kendall at the run's level), the strongest and weakest pillar on average, and the
 * countries whose rank the uncertainty analysis cannot pin down (5-95 % interval over 3
 * places or more).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/*
 * Ends the sentence in b, a list of countries of any length (issue 14: never cut): `none`
 * when there is no country (NULL otherwise) and a full stop; writes it as a findings item
 * and frees b. Out of memory, the report fails as for its own text.
 */
static void list_item(cym__doc *d, cym__buf *b, const char *none)
{
    if (none)
        cym__buf_puts(b, none);
    cym__buf_puts(b, ".");
    if (b->oom)
        d->h.oom = 1;
    else
        cym__doc_item(d, b->p);
    cym__buf_free(b);
}

/* *best, *who = v, u when v goes beyond *best: above it (sign 1) or below it (-1); NaN never */
static void keep_extreme(double *best, long *who, double v, size_t u, int sign)
{
    if (!isnan(v) && (sign > 0 ? v > *best : v < *best)) {
        *best = v;
        *who = (long)u;
    }
}

void cym__section_findings(cym__doc *d)
{
    const cym_results *r = d->r;
    size_t t = d->t, root = r->fw->root, nu = r->n_units;
    const cym_node *rn = cym__doc_node(d, root);
    char s[2048];
    cym__doc_heading(d, 2, "findings", "Key findings");
    cym__doc_list_begin(d, "findings");
    /* leader(s) */
    {
        size_t lead = 0, nl = 0, second = (size_t)-1;
        for (size_t i = 0; i < nu; i++) {
            size_t u = d->order[i];
            if (cym__doc_rank(d, u, t, root) == 1 && nl++ == 0)
                lead = u;
            else if (second == (size_t)-1 && !isnan(cym__doc_rank(d, u, t, root)))
                second = u;
        }
        if (nl == 1 && second != (size_t)-1) {
            char gap[32];
            cym__doc_signed(
                gap, sizeof(gap),
                cym__doc_score(d, lead, t, root) - cym__doc_score(d, second, t, root), d->dec);
            CYM__SAY(s, "%s leads the %s in %d with %.*f, %s points ahead of %s (%.*f).",
                     cym__doc_uname(d, lead), rn->name, cym__doc_year(d, t), d->dec,
                     cym__doc_score(d, lead, t, root), gap + (gap[0] == '+'),
                     cym__doc_uname(d, second), d->dec, cym__doc_score(d, second, t, root));
            cym__doc_item(d, s);
        } else if (nl == 1) {
            CYM__SAY(s, "%s leads the %s in %d with %.*f.", cym__doc_uname(d, lead), rn->name,
                     cym__doc_year(d, t), d->dec, cym__doc_score(d, lead, t, root));
            cym__doc_item(d, s);
        } else if (nl > 1) {
            cym__buf b = {0};
            size_t k = 0;
            cym__buf_printf(&b, "%zu countries share the lead in %d with %.*f:", nl,
                            cym__doc_year(d, t), d->dec, cym__doc_score(d, lead, t, root));
            for (size_t i = 0; i < nu; i++)
                if (cym__doc_rank(d, d->order[i], t, root) == 1)
                    cym__buf_printf(&b, "%s %s", k++ ? "," : "",
                                    cym__doc_uname(d, d->order[i]));
            list_item(d, &b, NULL);
        }
    }
    /* a leader on little data is still the leader by rank, but the reader should know */
    for (size_t i = 0; i < nu; i++) {
        size_t u = d->order[i];
        if (cym__doc_rank(d, u, t, root) == 1 && cym_results_flagged(r, u, t)) {
            CYM__SAY(s,
                     "%s ranks first on data for %.0f %% of the index's weight, below the "
                     "coverage policy of %g %%.",
                     cym__doc_uname(d, u),
                     100.0 * r->coverage[cym_cube_cell(&r->node_cube, u, t, root)],
                     100.0 * r->opts.coverage_flag);
            cym__doc_item(d, s);
        }
    }
    /* tiers */
    if (d->r->opts.n_tiers) {
        cym__buf b = {0};
        cym__buf_printf(&b, "Countries per tier in %d:", cym__doc_year(d, t));
        for (size_t k = 0; k < d->r->opts.n_tiers; k++) {
            size_t cnt = 0;
            for (size_t u = 0; u < nu; u++)
                cnt += r->tier[cym_cube_cell(&r->unit_cube, u, t, 0)] == (int)k;
            cym__buf_printf(&b, "%s %s %zu", k ? "," : "", d->r->opts.tiers[k].label, cnt);
        }
        list_item(d, &b, NULL);
    }
    /* movers, of the countries above the coverage policy in both years: a change to or from
       a score on little data says more about the data than the country */
    if (t > 0) {
        long up = -1, down = -1, rup = -1, rdown = -1;
        double bu = 0, bd = 0, ru = 0, rd = 0;
        size_t n_out = 0;
        cym__buf out = {0}; /* as long as the list of countries left out */
        cym__buf_printf(&out,
                        "Left out of the movers (data for less than %g %% of the index's weight "
                        "in %d or %d, the coverage policy):",
                        100.0 * r->opts.coverage_flag, cym__doc_year(d, t - 1),
                        cym__doc_year(d, t));
        for (size_t i = 0; i < nu; i++) {
            size_t u = d->order[i];
            if (cym_results_flagged(r, u, t) || cym_results_flagged(r, u, t - 1)) {
                cym__buf_printf(&out, "%s %s", n_out++ ? "," : "", cym__doc_uname(d, u));
                continue;
            }
            double ch = cym__doc_score(d, u, t, root) - cym__doc_score(d, u, t - 1, root);
            double rc = cym__doc_rank(d, u, t - 1, root) - cym__doc_rank(d, u, t, root);
            keep_extreme(&bu, &up, ch, u, 1);
            keep_extreme(&bd, &down, ch, u, -1);
            keep_extreme(&ru, &rup, rc, u, 1);
            keep_extreme(&rd, &rdown, rc, u, -1);
        }
        if (up >= 0) {
            CYM__SAY(s, "Largest gain since %d: %s, +%.*f points (rank %.0f to %.0f).",
                     cym__doc_year(d, t - 1), cym__doc_uname(d, (size_t)up), d->dec, bu,
                     cym__doc_rank(d, (size_t)up, t - 1, root),
                     cym__doc_rank(d, (size_t)up, t, root));
            cym__doc_item(d, s);
        }
        if (down >= 0) {
            CYM__SAY(s, "Largest fall since %d: %s, -%.*f points (rank %.0f to %.0f).",
                     cym__doc_year(d, t - 1), cym__doc_uname(d, (size_t)down), d->dec, -bd,
                     cym__doc_rank(d, (size_t)down, t - 1, root),
                     cym__doc_rank(d, (size_t)down, t, root));
            cym__doc_item(d, s);
        } else {
            CYM__SAY(s, "No country's index fell since %d%s.", cym__doc_year(d, t - 1),
                     n_out ? " (of those above the coverage policy)" : "");
            cym__doc_item(d, s);
        }
        if (rup >= 0 && rup != up) {
            CYM__SAY(s, "Most places gained: %s, up %.0f (to rank %.0f).",
                     cym__doc_uname(d, (size_t)rup), ru, cym__doc_rank(d, (size_t)rup, t, root));
            cym__doc_item(d, s);
        }
        if (rdown >= 0 && rdown != down) {
            CYM__SAY(s, "Most places lost: %s, down %.0f (to rank %.0f).",
                     cym__doc_uname(d, (size_t)rdown), -rd,
                     cym__doc_rank(d, (size_t)rdown, t, root));
            cym__doc_item(d, s);
        }
        if (n_out) {
            cym__buf_puts(&out, ".");
            if (out.oom)
                d->oom = 1;
            else
                cym__doc_item(d, out.p);
        }
        cym__buf_free(&out);
    }
    /* trends */
    if (d->tr && r->n_years >= 2) {
        static const cym_trend_direction dirs[] = {CYM_TREND_UP, CYM_TREND_DOWN, CYM_TREND_FLAT};
        static const char *const words[] = {"Significantly improving", "Significantly declining",
                                            "No significant trend"};
        for (int k = 0; k < 3; k++) {
            cym__buf b = {0};
            size_t cnt = 0;
            cym__buf_printf(&b, "%s over %d-%d (Mann-Kendall, p < %g):", words[k], r->year0,
                            cym__doc_year(d, r->n_years - 1), d->tr->level);
            for (size_t i = 0; i < nu; i++) {
                size_t u = d->order[i];
                const cym_trend_stats *st = &d->tr->stats[u * r->n_nodes + root];
                if (st->direction != dirs[k])
                    continue;
                cym__buf_printf(&b, "%s %s (%s%.*f a year)", cnt ? "," : "", cym__doc_uname(d, u),
                                st->theil_sen > 0 ? "+" : "", d->dec, st->theil_sen);
                cnt++;
            }
            list_item(d, &b, cnt ? NULL : " none");
        }
    }
    /* pillars on average */
    if (rn->n_children > 1) {
        long lo = -1, hi = -1;
        double vlo = 0, vhi = 0;
        for (size_t k = 0; k < rn->n_children; k++) {
            double m = cym__doc_mean(d, t, rn->children[k]);
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
            CYM__SAY(s, "Strongest pillar on average: %s (mean %.*f); weakest: %s (mean %.*f).",
                     cym__doc_node(d, rn->children[hi])->name, d->dec, vhi,
                     cym__doc_node(d, rn->children[lo])->name, d->dec, vlo);
            cym__doc_item(d, s);
        }
    }
    /* uncertain ranks */
    if (d->unc) {
        const cym_uncertainty *u = d->unc;
        cym__buf b = {0};
        size_t cnt = 0;
        size_t tu = (size_t)(cym__doc_year(d, t) - u->year0);
        cym__buf_printf(&b,
                        "Uncertain ranks (%zu Monte Carlo runs; 5-95 %% rank interval over 3 "
                        "places or more):",
                        u->runs);
        for (size_t i = 0; tu < u->n_years && i < nu; i++) {
            size_t un = d->order[i], c = un * u->n_years + tu;
            if (!(u->rank_q95[c] - u->rank_q05[c] >= 2))
                continue;
            cym__buf_printf(&b, "%s %s (%.0f-%.0f)", cnt ? "," : "", cym__doc_uname(d, un),
                            u->rank_q05[c], u->rank_q95[c]);
            cnt++;
        }
        list_item(d, &b, cnt ? NULL : " none: every rank holds within 2 places");
    }
    cym__doc_list_end(d);
}

/* why unit u has no index score in year position t (it has none) */
static void unranked_reason(const cym__doc *d, char *s, size_t n, size_t u, size_t t)
{
    const cym_results *r = d->r;
    int in_year = 0, any = 0;
    double cov = r->coverage[cym_cube_cell(&r->node_cube, u, t, r->fw->root)];
    for (size_t y = 0; y < r->n_years; y++)
        for (size_t i = 0; i < r->n_ind; i++)
            if (!isnan(r->raw[cym_cube_cell(&r->ind_cube, u, y, i)])) {
                any = 1;
                in_year |= y == t;
            }
    if (!any)
        snprintf(s, n, "%s (%s): no data in %d-%d", cym__doc_uname(d, u), r->ds->units[u].code,
                 r->year0, cym__doc_year(d, r->n_years - 1));
    else if (!in_year)
        snprintf(s, n, "%s (%s): no data in %d (a late submission?)", cym__doc_uname(d, u),
                 r->ds->units[u].code, cym__doc_year(d, t));
    else if (r->opts.min_coverage > 0)
        snprintf(s, n,
                 "%s (%s): an aggregate had less than %g %% of its weight with data "
                 "(--min-coverage); data for %.0f %% of the index's weight",
                 cym__doc_uname(d, u), r->ds->units[u].code, 100.0 * r->opts.min_coverage,
                 100.0 * cov);
    else
        snprintf(s, n, "%s (%s): no indicator score in %d (data for %.0f %% of the index's weight)",
                 cym__doc_uname(d, u), r->ds->units[u].code, cym__doc_year(d, t), 100.0 * cov);
}

void cym__section_unranked(cym__doc *d)
{
    const cym_results *r = d->r;
    size_t t = d->t, root = r->fw->root, n_out = 0, n_flag = 0;
    char s[1024];
    for (size_t u = 0; u < r->n_units; u++) {
        n_out += isnan(cym__doc_score(d, u, t, root));
        n_flag += (size_t)cym_results_flagged(r, u, t);
    }
    if (!n_out) {
        CYM__SAY(s, "Every country has an index score in %d.", cym__doc_year(d, t));
        cym__doc_para(d, NULL, s);
    } else {
        CYM__SAY(s, "Not ranked in %d: %zu of %zu countries, for these reasons.",
                 cym__doc_year(d, t), n_out, r->n_units);
        cym__doc_para(d, NULL, s);
        cym__doc_list_begin(d, "unranked");
        for (size_t i = 0; i < r->n_units; i++) {
            size_t u = d->order[i];
            if (!isnan(cym__doc_score(d, u, t, root)))
                continue;
            unranked_reason(d, s, sizeof(s) - 1, u, t);
            strcat(s, ".");
            cym__doc_item(d, s);
        }
        cym__doc_list_end(d);
    }
    if (n_flag) {
        CYM__SAY(s,
                 "Ranked on little data in %d (" CYM_COVERAGE_MARK "): data for less than %g %% of "
                 "the index's weight, the coverage policy; computed, but to be read with care.",
                 cym__doc_year(d, t), 100.0 * r->opts.coverage_flag);
        cym__doc_para(d, NULL, s);
        cym__doc_list_begin(d, "flagged");
        for (size_t i = 0; i < r->n_units; i++) {
            size_t u = d->order[i];
            if (!cym_results_flagged(r, u, t))
                continue;
            CYM__SAY(s, "%s (%s): rank %.0f on data for %.0f %% of the index's weight.",
                     cym__doc_uname(d, u), r->ds->units[u].code, cym__doc_rank(d, u, t, root),
                     100.0 * r->coverage[cym_cube_cell(&r->node_cube, u, t, root)]);
            cym__doc_item(d, s);
        }
        cym__doc_list_end(d);
    }
}
