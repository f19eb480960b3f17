/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The closing sections of the report, how the numbers were made: the methodology (each
 * method of the run with its formula, then every setting as recorded in manifest.json),
 * the data coverage and imputation (with the missing values by country), the warnings, and
 * the provenance of the inputs (size and SHA-256 of each file read).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* ---- methodology ------------------------------------------------------------------------ */

/* The text of method m in a table indexed by the method; `other` past the end or unset. */
static const char *text_of(const char *const *texts, size_t n, int m, const char *other)
{
    return m >= 0 && (size_t)m < n && texts[m] ? texts[m] : other;
}

#define TEXT_OF(texts, m, other) text_of(texts, sizeof(texts) / sizeof(*texts), (int)(m), other)

static const char *const norm_formulas[] = {
    [CYM_NORM_MINMAX] = "x' = (x - min) / (max - min) * (u - l) + l",
    [CYM_NORM_ZSCORE] = "x' = (x - mean) / sd * s + m (sample sd, n - 1)",
    [CYM_NORM_GOALPOSTS] = ("x' = clip((x - g_lo) / (g_hi - g_lo), 0, 1) * (u - l) + l, "
                            "goalposts from the framework"),
    [CYM_NORM_RANK] = "x' = rank among the values, 1 = worst, ties the minimum rank",
    [CYM_NORM_BORDA] = "x' = rank - 1",
    [CYM_NORM_PERCENTILE] = "x' = (rank - 1) / (n - 1) * (u - l) + l",
    [CYM_NORM_DIST2MAX] = "x' = (1 - (max - x) / (max - min)) * (u - l) + l",
    [CYM_NORM_DIST2REF] = ("x' = (1 - (x_ref - x) / (x_ref - min)) * (u - l) + l, x_ref the "
                           "reference country's value"),
    [CYM_NORM_DIST2TARGET] = ("x' = min((x - min) / (target - min), 1) * (u - l) + l, targets "
                              "from the framework"),
    [CYM_NORM_FRACMAX] = "x' = x / max * (u - l) + l",
};

static const char *const agg_formulas[] = {
    [CYM_AGG_ARITHMETIC] = "y = sum w_i x_i, weights rescaled over the children with a value",
    [CYM_AGG_GEOMETRIC] = "y = exp(sum w_i ln x_i), x_i > 0",
    [CYM_AGG_HARMONIC] = "y = 1 / sum (w_i / x_i), x_i > 0",
    [CYM_AGG_POWER] = "y = (sum w_i x_i^p)^(1/p)",
    [CYM_AGG_SUM] = "y = sum w_i x_i with the framework weights as given (points)",
    [CYM_AGG_MIN] = "y = min x_i",
    [CYM_AGG_COPELAND] = ("y_a = sum over b != a of sign(c_ab - 0.5), c_ab the weight of the "
                          "children where a beats b (ties half)"),
    [CYM_AGG_MAZZIOTTA_PARETO] = "y = mean - sd * cv over the children",
};

static const char *const impute_rules[] = {
    [CYM_IMPUTE_NONE] = ("missing values stay missing; aggregates rescale the weights over the "
                         "children with a value"),
    [CYM_IMPUTE_MEAN] = "the mean of the indicator over the countries with a value, same year",
    [CYM_IMPUTE_MEDIAN] = ("the median of the indicator over the countries with a value, same "
                           "year"),
    [CYM_IMPUTE_GROUP_MEAN] = "the mean over the countries of the same group, same year",
    [CYM_IMPUTE_GROUP_MEDIAN] = "the median over the countries of the same group, same year",
    [CYM_IMPUTE_LOCF] = "the last observed value carried forward in time",
    [CYM_IMPUTE_LINEAR] = ("linear interpolation between the nearest observed years, flat beyond "
                           "the ends"),
};

static const char *norm_formula(cym_norm_method m)
{
    return TEXT_OF(norm_formulas, m, "x' = x (no normalisation)");
}

static const char *agg_formula(cym_agg_method m)
{
    return TEXT_OF(agg_formulas, m, "");
}

static const char *impute_rule(cym_impute_method m)
{
    return TEXT_OF(impute_rules, m, "a constant value");
}

static const char *cfg(const cym__doc *d, const char *key)
{
    const char *v =
        json_string_value(json_object_get(json_object_get(d->manifest, "configuration"), key));
    return v ? v : "";
}

/*
 * A row of a table written by hand, in both documents: cell j is text[j] (escaped) between
 * html[j][0] and html[j][1] in the HTML, a pipe-separated cell in the Markdown.
 */
static void table_row(cym__doc *d, size_t n, const char *const html[][2], const char *const *text)
{
    cym__doc_html(d, "<tr>");
    cym__doc_md(d, "|");
    for (size_t j = 0; j < n; j++) {
        cym__doc_html(d, html[j][0]);
        cym__buf_html(&d->h, text[j]);
        cym__doc_html(d, html[j][1]);
        cym__doc_md(d, " ");
        cym__buf_md(&d->m, text[j]);
        cym__doc_md(d, " |");
    }
    cym__doc_html(d, "</tr>\n");
    cym__doc_md(d, "\n");
}

/* the cells of the settings table (key, value) and of the provenance (role, file, bytes, hash) */
static const char *const settings_html[][2] = {{"<td><code>", "</code></td>"}, {"<td>", "</td>"}};
static const char *const provenance_html[][2] = {{"<td>", "</td>"},
                                                 {"<td><code>", "</code></td>"},
                                                 {"<td class=\"num\">", "</td>"},
                                                 {"<td class=\"hash\">", "</td>"}};

void cym__section_methodology(cym__doc *d)
{
    const cym_report_options *o = d->o;
    const cym_results *r = d->r;
    char s[2048];
    const char *key;
    json_t *v;
    cym__doc_heading(d, 2, "methodology", "Methodology");
    cym__doc_para(d, NULL,
                  "The methods and parameters this run used, as recorded in manifest.json "
                  "(docs/methodology.md defines each).");
    cym__doc_list_begin(d, NULL);
    CYM__SAY(s,
             "Direction: indicators where lower is better are multiplied by -1 before "
             "treatment and normalisation. Denomination by the framework's denominators: %s.",
             r->settings.denominate ? "on" : "off");
    cym__doc_item(d, s);
    CYM__SAY(s, "Imputation (%s): %s.", cfg(d, "impute"), impute_rule(r->opts.impute.method));
    cym__doc_item(d, s);
    if (r->opts.treat)
        CYM__SAY(s,
                 "Outlier treatment (winsorise): an indicator with |skewness| >= %s and kurtosis "
                 ">= %s has its extreme points winsorised, at most %s, then is log-transformed, "
                 "log(x - min + 0.01 (max - min)), if it still fails.",
                 cfg(d, "skew-max"), cfg(d, "kurt-max"), cfg(d, "winmax"));
    else
        CYM__SAY(s, "Outlier treatment: none.");
    cym__doc_item(d, s);
    CYM__SAY(s, "Normalisation (%s, range %s, over %s): %s.", cfg(d, "normalise"), cfg(d, "range"),
             r->settings.frozen  ? "all years, with the frozen bounds below"
             : r->settings.scope ? "each year separately"
                                 : "all years pooled",
             norm_formula(r->opts.norm.method));
    cym__doc_item(d, s);
    if (r->settings.frozen) {
        char years[48];
        cym_results_bounds_years(years, sizeof(years), r, 0);
        if (r->settings.frozen == CYM_FROZEN_FILE)
            CYM__SAY(
                s,
                "Normalisation bounds from the goalposts file %.1024s (computed on %s), applied "
                "to every year; values beyond them score the end of the range. Outlier "
                "treatment, if any, runs per year.",
                r->opts.goalposts->path, years);
        else
            CYM__SAY(s,
                     "Normalisation bounds frozen on the reference years %s and applied to "
                     "every year; values beyond them score the end of the range. Outlier "
                     "treatment, if any, runs per year. The bounds are in goalposts.csv.",
                     years);
        cym__doc_item(d, s);
    }
    cym_results_later_text(s, sizeof(s), r);
    cym__doc_item(d, s);
    CYM__SAY(s,
             "Weights (%s): each node's weight relative to its siblings; effective weights in "
             "weights.csv.",
             cfg(d, "weights"));
    cym__doc_item(d, s);
    CYM__SAY(s, "Aggregation (%s): %s. Least share of weight with data: %s.", cfg(d, "aggregate"),
             agg_formula(r->opts.agg.method), cfg(d, "min-coverage"));
    cym__doc_item(d, s);
    for (size_t n = 0; n < r->fw->n_nodes; n++)
        if (r->fw->nodes[n].has_method) {
            CYM__SAY(s, "Aggregation of %s set by the framework (%s): %s.", r->fw->nodes[n].code,
                     cym_agg_name(r->fw->nodes[n].method.method),
                     agg_formula(r->fw->nodes[n].method.method));
            cym__doc_item(d, s);
        }
    CYM__SAY(s, "Ranks: 1 = highest score, ties %s.", cfg(d, "rank-ties"));
    cym__doc_item(d, s);
    if (cfg(d, "select")[0]) { /* --select (issue 16) */
        CYM__SAY(s,
                 "Countries: a selection (select = %s), %zu of the countries file; ranks, "
                 "normalisation and group means are within the selection.",
                 cfg(d, "select"), r->n_units);
        cym__doc_item(d, s);
    }
    if (r->opts.n_tiers) {
        CYM__SAY(s,
                 "Tiers (%s): a score at or above a threshold gets its label; the distance to the "
                 "next tier is the threshold above minus the score.",
                 cfg(d, "tiers"));
        cym__doc_item(d, s);
    }
    CYM__SAY(s,
             "Trends (%s basis): Theil-Sen slope = median of (y_j - y_i) / (t_j - t_i); "
             "Mann-Kendall S = sum sign(y_j - y_i), z with tie and continuity correction, "
             "improving or declining when p < %g; OLS slope with its %g %% interval.",
             cfg(d, "trend-basis"), o->trend.level, 100 * (1 - o->trend.level));
    cym__doc_item(d, s);
    if (d->unc) {
        CYM__SAY(s,
                 "Uncertainty: %zu Monte Carlo replications (seed %s) over the declared factors; "
                 "rank intervals are the 5th and 95th percentiles (type 7).",
                 d->unc->runs, cfg(d, "seed"));
        cym__doc_item(d, s);
    }
    {
        size_t len = (size_t)CYM__SAY(s, "Coverage: a score's coverage is the share of its "
                                         "effective weight whose indicators have an observed "
                                         "value (imputed values do not count). Coverage policy: ");
        if (!(r->opts.coverage_flag > 0))
            snprintf(s + len, sizeof(s) - len, "off.");
        else
            snprintf(s + len, sizeof(s) - len,
                     "a country-year whose index has data for less than %g %% of its weight is "
                     "computed but flagged (" CYM_COVERAGE_MARK "), left out of the key findings' "
                     "movers%s.",
                     100.0 * r->opts.coverage_flag,
                     r->opts.target_flagged ? "" : " and given no advice towards the next tier");
        cym__doc_item(d, s);
    }
    cym__doc_list_end(d);
    {
        const cym__table *t = cym__tables_find(d->tables, d->n_tables, "framework");
        if (t)
            cym__doc_table(d, t, 3);
    }
    cym__doc_heading(d, 3, "settings", "Every setting");
    cym__doc_html(d,
                  "<div class=\"scroll\"><table><thead><tr><th>Key</th><th>Value</th></tr></thead>"
                  "<tbody>\n");
    cym__doc_md(d, "| Key | Value |\n| --- | --- |\n");
    json_object_foreach(json_object_get(d->manifest, "configuration"), key, v)
    {
        if (strcmp(key, "out") == 0)
            continue;
        const char *text[] = {key, json_string_value(v)};
        table_row(d, 2, settings_html, text);
    }
    cym__doc_html(d, "</tbody></table></div>\n");
    cym__doc_md(d, "\n");
}

void cym__section_coverage(cym__doc *d)
{
    const cym_results *r = d->r;
    cym_coverage cov;
    cym_error e;
    char s[1024];
    cym__doc_heading(d, 2, "coverage", "Data coverage and imputation");
    memset(&cov, 0, sizeof(cov));
    if (cym_dataset_coverage(&cov, r->ds, r->year0, cym__doc_year(d, r->n_years - 1), &e) < 0) {
        d->oom = 1;
        return;
    }
    cym__doc_list_begin(d, NULL);
    CYM__SAY(s, "%zu of %zu indicator values present over %d-%d (%.1f %%).", cov.present, cov.cells,
             cov.year_from, cov.year_to,
             cov.cells ? 100.0 * (double)cov.present / (double)cov.cells : 0.0);
    cym__doc_item(d, s);
    CYM__SAY(s, "Imputed values: %zu (method %s).", r->n_imputed, cfg(d, "impute"));
    cym__doc_item(d, s);
    {
        size_t n_treated = 0, n_zero = 0;
        for (size_t k = 0; k < r->n_treat; k++)
            n_treated += r->treat[k].r.n_high + r->treat[k].r.n_low > 0 || r->treat[k].r.log_used;
        for (size_t i = 0; i < r->n_ind; i++)
            n_zero += r->zero_spread[i];
        CYM__SAY(
            s, "Indicators treated for outliers: %zu; without spread (set to the mid-point): %zu.",
            n_treated, n_zero);
        cym__doc_item(d, s);
    }
    for (size_t f = 0; f < r->ds->n_flags; f++) {
        CYM__SAY(s, "Values flagged '%s' in the data: %zu.", r->ds->flags[f].flag,
                 r->ds->flags[f].count);
        cym__doc_item(d, s);
    }
    cym__doc_list_end(d);
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
            CYM__SAY(note,
                     "Indicator values missing over %d-%d (of %zu per country), before "
                     "imputation.",
                     cov.year_from, cov.year_to, per);
            tb = (cym__table){.id = "coverage",
                              .title = title,
                              .note = note,
                              .n_cols = 3,
                              .n_rows = r->n_units,
                              .cap_rows = r->n_units,
                              .cols = cols,
                              .cells = cells};
            cym__doc_table(d, &tb, 3);
            free(cells);
        }
    }
    cym_coverage_free(&cov);
}

void cym__section_warnings(cym__doc *d)
{
    cym_warnings w = {0};
    cym__doc_heading(d, 2, "warnings", "Warnings");
    if (cym__report_warnings(&w, d->r) < 0) {
        d->oom = 1;
        return;
    }
    if (w.count == 0)
        cym__doc_para(d, NULL, "None.");
    else {
        cym__doc_list_begin(d, NULL);
        for (size_t i = 0; i < w.count; i++)
            cym__doc_item(d, w.lines[i]);
        cym__doc_list_end(d);
    }
    cym_warnings_clear(&w);
}

void cym__section_provenance(cym__doc *d)
{
    cym__doc_heading(d, 2, "provenance", "Input provenance");
    cym__doc_para(d, NULL,
                  "The files this run read, with their size and SHA-256 (as in manifest.json).");
    cym__doc_inputs(d, d->manifest);
}

void cym__doc_inputs(cym__doc *d, const json_t *manifest)
{
    json_t *in = json_object_get(manifest, "inputs"), *v;
    size_t i;
    cym__doc_html(d, "<div class=\"scroll\"><table><thead><tr><th>Role</th><th>File</th>"
                     "<th class=\"num\">Bytes</th><th>SHA-256</th></tr></thead><tbody>\n");
    cym__doc_md(d, "| Role | File | Bytes | SHA-256 |\n| --- | --- | ---: | --- |\n");
    json_array_foreach(in, i, v)
    {
        const char *role = json_string_value(json_object_get(v, "role"));
        const char *path = json_string_value(json_object_get(v, "path"));
        const char *sha = json_string_value(json_object_get(v, "sha256"));
        char bytes[32];
        const char *text[] = {role ? role : "", path ? path : "", bytes, sha ? sha : ""};
        CYM__SAY(bytes, "%lld", (long long)json_integer_value(json_object_get(v, "bytes")));
        table_row(d, 4, provenance_html, text);
    }
    cym__doc_html(d, "</tbody></table></div>\n");
    cym__doc_md(d, "\n");
}
