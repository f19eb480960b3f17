/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.html and report.md of the joined folder of a run with framework editions: what an
 * analyst opens first. In this order: the title page; key findings; the ranks each edition
 * published (the countries of the group column, then the top ten of the newest edition); their
 * movement on the comparable basis, with the caveat that scores of different editions are not
 * compared, and the trends and bump charts of that basis; the indices the newest edition
 * carries beside the index (its root's children of weight 0, such as the NCSI beside the GCI);
 * the editions, each with a link to its own report; provenance and terms; the warnings.
 *
 * The tables come from across.c, the writers from report.c (the same cym__doc as a run's
 * report); the findings are read from those tables, so they say what the tables show.
 * Deterministic as the run's report: no date, no run time, no output folder in either file.
 * Written by hand: text and bookkeeping.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"
#include "tables/tables.h"

/* the countries of the tables "the top N" */
#define TOP 10

static const cym__cell *cell(const cym__table *t, size_t i, size_t j)
{
    return &t->cells[i * t->n_cols + j];
}

/* the column of table t headed `head`, or -1 */
static long column(const cym__table *t, const char *head)
{
    for (size_t j = 0; t && j < t->n_cols; j++)
        if (strcmp(t->cols[j].head, head) == 0)
            return (long)j;
    return -1;
}

static void title_page(cym__doc *d, const cym__across *a, size_t n_years_scored, const char *scored)
{
    cym__buf ed = {0};
    char s[1024];
    if (d->o->output.subtitle[0])
        CYM__SAY(s, "Across the framework editions. %s", d->o->output.subtitle);
    else
        CYM__SAY(s, "Across the framework editions");
    cym__doc_title_begin(d, s);
    for (size_t k = 0; k < a->n_ed; k++) {
        const cym_framework *fw = a->ed[k].res->fw;
        cym__buf_printf(&ed, "%s%s (%s)", k ? "; " : "", a->ed[k].label, fw->nodes[fw->root].name);
    }
    d->oom |= ed.oom;
    cym__doc_title_row(d, "Editions", ed.p && !ed.oom ? ed.p : "");
    cym__buf_free(&ed);
    cym__doc_title_row(d, "Dataset", d->o->output.name);
    CYM__SAY(s, "%d-%d (%zu with an edition's scores: %s)", a->year0,
             a->year0 + (int)a->n_years - 1, n_years_scored, scored);
    cym__doc_title_row(d, "Years", s);
    CYM__SAY(s, "%zu", a->last->n_units);
    cym__doc_title_row(d, "Countries", s);
    CYM__SAY(s, "%s (editions_index.csv)", a->basis_name);
    cym__doc_title_row(d, "Across editions", s);
    cym__doc_title_end(d);
}

static void toc(cym__doc *d, int beside)
{
    const char *const ids[] = {"findings", "ranks",      "movement", beside ? "beside" : NULL,
                               "editions", "provenance", "warnings"};
    static const char *const names[] = {
        "Key findings",     "Published ranks per edition",    "Movement across editions",
        "Beside the index", "The editions and their reports", "Provenance and terms",
        "Warnings"};
    cym__doc_toc(d, ids, names, sizeof(ids) / sizeof(*ids));
}

/* a section: its heading, a paragraph (HTML class `cls` or NULL) and a table */
static void section(cym__doc *d, const char *id, const char *heading, const char *cls,
                    const char *text, const cym__table *t)
{
    cym__doc_heading(d, 2, id, heading);
    cym__doc_para(d, cls, text);
    cym__doc_table(d, t, 3);
}

/*
 * The findings, read from the tables: who ranks first in the newest scored year; per group,
 * its highest and lowest member then; the largest rise and fall on the comparable basis from
 * the first to the last scored year.
 */
static void findings(cym__doc *d, const cym__across *a, const cym__table *ranks,
                     const cym__table *top, const cym__table *move, int last_year, int first_year)
{
    const cym_node *root = &a->last->fw->nodes[a->last->fw->root];
    char s[2048], head[64];
    long rk, sc, ch;
    int grouped =
        column(ranks, "Country") == 1 && ranks->n_cols > 2 && ranks->cols[2].kind == CYM__COL_TEXT;
    cym__doc_heading(d, 2, "findings", "Key findings");
    cym__doc_list_begin(d, "findings");
    CYM__SAY(head, "%d rank", last_year);
    rk = column(top, head);
    CYM__SAY(head, "%d score", last_year);
    sc = column(top, head);
    if (rk >= 0 && sc >= 0 && top->n_rows && cell(top, 0, (size_t)rk)->v == 1) {
        cym__buf b = {0};
        size_t n1 = 0;
        for (size_t i = 0; i < top->n_rows && cell(top, i, (size_t)rk)->v == 1; i++)
            cym__buf_printf(&b, "%s%s", n1++ ? ", " : "", cell(top, i, 1)->s);
        cym__buf_printf(&b, " %s first in %d (%s), with %.*f.", n1 > 1 ? "share the rank" : "ranks",
                        last_year, root->name, d->dec, cell(top, 0, (size_t)sc)->v);
        d->oom |= b.oom;
        if (!b.oom)
            cym__doc_item(d, b.p);
        cym__buf_free(&b);
    }
    CYM__SAY(head, "%d rank", last_year);
    rk = column(ranks, head);
    for (size_t i = 0; grouped && rk >= 0 && i < ranks->n_rows; i++) {
        const char *g = cell(ranks, i, 2)->s;
        long hi = -1, lo = -1;
        size_t n = 0;
        if (!g[0] || (i > 0 && strcmp(cell(ranks, i - 1, 2)->s, g) == 0))
            continue;
        for (size_t q = i; q < ranks->n_rows && strcmp(cell(ranks, q, 2)->s, g) == 0; q++) {
            double v = cell(ranks, q, (size_t)rk)->v;
            n++;
            if (isnan(v))
                continue;
            if (hi < 0 || v < cell(ranks, (size_t)hi, (size_t)rk)->v)
                hi = (long)q;
            if (lo < 0 || v > cell(ranks, (size_t)lo, (size_t)rk)->v)
                lo = (long)q;
        }
        if (hi < 0)
            continue;
        if (n == 1 || hi == lo)
            CYM__SAY(s, "%s ranks %.0f in %d.", cell(ranks, (size_t)hi, 1)->s,
                     cell(ranks, (size_t)hi, (size_t)rk)->v, last_year);
        else
            CYM__SAY(s, "%s (%zu countries) in %d: highest %s (rank %.0f), lowest %s (rank %.0f).",
                     g, n, last_year, cell(ranks, (size_t)hi, 1)->s,
                     cell(ranks, (size_t)hi, (size_t)rk)->v, cell(ranks, (size_t)lo, 1)->s,
                     cell(ranks, (size_t)lo, (size_t)rk)->v);
        cym__doc_item(d, s);
    }
    CYM__SAY(head, "%d\u2192%d", first_year, last_year);
    ch = column(move, head);
    if (ch >= 0) {
        long up = -1, down = -1;
        for (size_t i = 0; i < move->n_rows; i++) {
            double v = cell(move, i, (size_t)ch)->v;
            if (isnan(v))
                continue;
            if (up < 0 || v > cell(move, (size_t)up, (size_t)ch)->v)
                up = (long)i;
            if (down < 0 || v < cell(move, (size_t)down, (size_t)ch)->v)
                down = (long)i;
        }
        /* a rise only when someone rose, a fall only when someone fell */
        if (up >= 0 && !(cell(move, (size_t)up, (size_t)ch)->v > 0))
            up = -1;
        if (down >= 0 && !(cell(move, (size_t)down, (size_t)ch)->v < 0))
            down = -1;
        if (up >= 0 || down >= 0) {
            char g1[32] = "", g2[32] = "", rise[256] = "", fall[256] = "";
            if (up >= 0) {
                cym__doc_signed(g1, sizeof(g1), cell(move, (size_t)up, (size_t)ch)->v, d->dec);
                CYM__SAY(rise, "the largest rise %s (%s points)", cell(move, (size_t)up, 1)->s, g1);
            }
            if (down >= 0) {
                cym__doc_signed(g2, sizeof(g2), cell(move, (size_t)down, (size_t)ch)->v, d->dec);
                CYM__SAY(fall, "the largest fall %s (%s points)", cell(move, (size_t)down, 1)->s,
                         g2);
            }
            CYM__SAY(s, "On the %s basis, %d to %d, of the countries above: %s%s%s.", a->basis_name,
                     first_year, last_year, rise, rise[0] && fall[0] ? ", " : "", fall);
            cym__doc_item(d, s);
        }
    }
    cym__doc_item(d, "The scores of different editions are not compared: each edition has its "
                     "own questionnaire and scale. Movements are read on the comparable basis.");
    cym__doc_list_end(d);
}

static void editions(cym__doc *d, const cym__across *a)
{
    char s[512];
    cym__doc_heading(d, 2, "editions", "The editions and their reports");
    cym__doc_para(d, NULL,
                  "Each edition is run on its own framework, in its own folder, with its own "
                  "report (its ranking, trends, comparisons, country profiles and methodology).");
    cym__doc_list_begin(d, NULL);
    for (size_t k = 0; k < a->n_ed; k++) {
        const cym_results *r = a->ed[k].res;
        char href[96];
        CYM__SAY(s, "%s: %s; indicators: %zu; its report: ", a->ed[k].label,
                 r->fw->nodes[r->fw->root].name, r->n_ind);
        cym__doc_html(d, "<li>");
        cym__buf_html(&d->h, s);
        cym__doc_md(d, "- ");
        cym__buf_md(&d->m, s);
        /* the HTML links the edition's HTML report, the Markdown its Markdown */
        CYM__SAY(href, "edition-%s/report.html", a->ed[k].label);
        cym__buf_printf(&d->h, "<a href=\"%s\">%s</a></li>\n", href, href);
        CYM__SAY(href, "edition-%s/report.md", a->ed[k].label);
        cym__buf_printf(&d->m, "[%s](%s)\n", href, href);
    }
    cym__doc_list_end(d);
}

static void provenance(cym__doc *d, const cym__across *a, cym_status *st, cym_error *err)
{
    char s[1024];
    cym__doc_heading(d, 2, "provenance", "Provenance and terms");
    if (d->o->output.source[0]) {
        CYM__SAY(s, "Source: %s.", d->o->output.source);
        cym__doc_para(d, NULL, s);
        cym__doc_para(d, NULL,
                      "The numbers are those of the publishers the source names: cite them, "
                      "not cymetrics, for them. Every chart carries this source line; the "
                      "dataset's own documentation gives the provenance of each value and the "
                      "terms of its use.");
    } else
        cym__doc_para(d, NULL, "The dataset names no source (`source` of [dataset]).");
    if (a->crosswalk) {
        CYM__SAY(s, "The crosswalk between the editions: %s.", a->crosswalk);
        cym__doc_para(d, NULL, s);
    }
    /* each edition's inputs but its data files, which its own report lists */
    for (size_t k = 0; k < a->n_ed && *st >= 0; k++) {
        json_t *m = NULL, *in, *v, *other = json_array(), *wrap = json_object();
        size_t i, n_data = 0;
        CYM__SAY(s, "Edition %s: its inputs", a->ed[k].label);
        cym__doc_heading(d, 3, "", s);
        if (!other || !wrap)
            d->oom = 1;
        else if ((*st = cym__manifest_build(&m, a->ed[k].res, &d->o->provenance, err)) >= 0) {
            in = json_object_get(m, "inputs");
            json_array_foreach(in, i, v)
            {
                const char *role = json_string_value(json_object_get(v, "role"));
                if (role && strcmp(role, "data") == 0)
                    n_data++;
                else
                    json_array_append(other, v);
            }
            json_object_set(wrap, "inputs", other);
            cym__doc_inputs(d, wrap);
            CYM__SAY(s,
                     "And %zu data files: their sizes and SHA-256 are in manifest.json and "
                     "the edition's report.",
                     n_data);
            cym__doc_para(d, NULL, s);
        }
        json_decref(other);
        json_decref(wrap);
        json_decref(m);
    }
}

static void warnings(cym__doc *d, const cym__across *a)
{
    cym__doc_heading(d, 2, "warnings", "Warnings");
    if (!a->warnings || !a->warnings->count) {
        cym__doc_para(d, NULL, "None.");
        return;
    }
    cym__doc_para(d, NULL, "As in warnings.txt: the editions', then each edition's.");
    cym__doc_list_begin(d, NULL);
    for (size_t i = 0; i < a->warnings->count; i++)
        cym__doc_item(d, a->warnings->lines[i]);
    cym__doc_list_end(d);
}

cym_status cym__across_report_write(const cym__across *a, const cym_report_options *o,
                                    const char *outdir, cym_warnings *failed, cym_error *err)
{
    cym__doc d;
    cym__table **t = NULL;
    const cym__table *ranks, *top, *move, *beside;
    size_t n = 0, n_scored = 0;
    int first = 0, last = 0;
    cym__buf scored = {0};
    cym_status st;
    char s[512];

    memset(&d, 0, sizeof(d));
    if ((st = cym__across_report_tables(&t, &n, a, TOP, o, err)) < 0)
        return st;
    ranks = cym__tables_find(t, n, "across-ranks");
    top = cym__tables_find(t, n, "across-top");
    move = cym__tables_find(t, n, "across-move");
    beside = cym__tables_find(t, n, "across-beside");
    if (!top)
        top = ranks; /* no group column: the first table is the top */
    /* the scored years, as the columns of the movement table name them */
    for (size_t y = 0; y < a->n_years; y++) {
        CYM__SAY(s, "%d %s", a->year0 + (int)y, a->basis_name);
        if (column(move, s) < 0)
            continue;
        if (!n_scored++)
            first = a->year0 + (int)y;
        last = a->year0 + (int)y;
        cym__buf_printf(&scored, "%s%d", n_scored > 1 ? ", " : "", last);
    }
    d.r = a->basis_res ? a->basis_res : a->last; /* the charts draw the comparable series */
    d.o = o;
    d.dec = o->output.decimals;
    d.failed = failed;
    d.oom = scored.oom;
    CYM__SAY(s, "%s: across the editions", cym__doc_title(o));
    cym__doc_head(&d, s);
    title_page(&d, a, n_scored, scored.p ? scored.p : "");
    toc(&d, beside != NULL);
    findings(&d, a, ranks, top, move, last, first);

    section(&d, "ranks", "Published ranks per edition", NULL,
            "Each edition's index and its rank as that edition's run computed them, with the "
            "run's rank-ties: for a published index whose publisher ranks the same way, the "
            "ranks it published.",
            ranks);
    if (top != ranks && a->last->n_units > TOP)
        cym__doc_table(&d, top, 3); /* not when it would repeat every country */

    CYM__SAY(s,
             "Caveat: the editions are not comparable as scores. Each has its own questionnaire "
             "and scale (a new edition begins at each break), so the raw scores are not "
             "compared; a country's movement is read on the %s basis (across-editions = "
             "%s)%s.",
             a->basis_name, a->basis_name,
             strcmp(a->basis_name, "percentile") == 0
                 ? ": its position among the countries each edition scored"
                 : "");
    section(&d, "movement", "Movement across editions", "note", s, move);
    if (a->basis_res) {
        CYM__SAY(s,
                 "The index across the editions on the %s basis; the breaks mark a new "
                 "edition.",
                 a->basis_name);
        cym__doc_figure(&d, CYM_CHART_TRENDS, 0, "Trends chart across the editions", s);
        CYM__SAY(s, "Ranks on the %s basis across the editions.", a->basis_name);
        cym__doc_figure(&d, CYM_CHART_BUMP, 0, "Bump chart across the editions", s);
    }

    if (beside)
        section(&d, "beside", "Beside the index", NULL,
                "Other published indices the newest edition's framework carries with weight 0: "
                "each scored and ranked on its own, none part of the index. Their names say "
                "which snapshot or year each one is.",
                beside);
    editions(&d, a);
    provenance(&d, a, &st, err);
    if (st >= 0) {
        warnings(&d, a);
        cym__doc_tail(&d, "editions_index.csv, trends.csv, yoy.csv, scores.csv and each "
                          "edition's folder");
        st = cym__doc_save(&d, outdir, "report", err);
    }
    cym__buf_free(&scored);
    cym__doc_figures_free(&d);
    cym__buf_free(&d.h);
    cym__buf_free(&d.m);
    cym__tables_free(t, n);
    return st;
}
