/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * results.json: every result of a run for other programs, with the schema of
 * docs/formats.md ("schema": "cymetrics-results/1"). Built with jansson, so no escaping is
 * hand-rolled; every number is written by cym_format_double (the shortest text that reads back
 * to the identical double), as in the CSV tables: the large arrays (scores, trends) formatted
 * directly, a country at a time on every core and written in country order, the few parts
 * built as jansson objects (settings, nodes, tiers) written by jput; a missing value as null. The long arrays (scores, trends, ...) hold one record per
 * line, so the file diffs well and streams line by line; nothing in it depends on the time or
 * place of the run (no run time, no output folder), so identical inputs give identical bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "cymetrics/compare.h"
#include "cymetrics/format.h"
#include "report/report_internal.h"
#include "tables/tables.h"

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jstr(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

typedef struct out {
    cym__buf b;
    int first; /* first member of the top object */
    int oom;
    FILE *f; /* where the text goes, a block at a time (the file of a large run is GBs) */
} out;

/* Writes what is buffered once it is large. */
static void drain(out *o, size_t at_least)
{
    if (o->b.oom || o->b.n == 0 || o->b.n < at_least)
        return;
    fwrite(o->b.p, 1, o->b.n, o->f);
    o->b.n = 0;
}

/*
 * A number as the CSV tables write it (the shortest text that reads back to the same double),
 * null when missing or infinite (cym_format_double: integer arithmetic only, so the same bytes
 * under valgrind).
 */
static void fnum(cym__buf *b, double v)
{
    char buf[32];
    if (!isfinite(v)) {
        cym__buf_put(b, "null", 4);
        return;
    }
    cym__buf_put(b, buf, cym_format_double(buf, v));
}

/* A string as JSON text (quoted and escaped by jansson); NULL when out of memory. */
static char *jtext(out *o, const char *s)
{
    json_t *j = json_string(s);
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    if (!t)
        o->oom = 1;
    return t;
}

static void jquote(out *o, const char *s)
{
    char *t = jtext(o, s);
    cym__buf_puts(&o->b, t ? t : "\"\"");
    free(t);
}

/*
 * `v` as compact JSON text, written here rather than by json_dumps so that every number goes
 * through the one formatter of the tables (jansson writes reals with %.17g: a weight 0.2 as
 * 0.20000000000000001); strings are escaped by jansson. Objects keep their insertion order.
 */
static void jput(out *o, json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *m;
        int first = 1;
        cym__buf_put(&o->b, "{", 1);
        json_object_foreach(v, key, m)
        {
            if (!first)
                cym__buf_put(&o->b, ",", 1);
            first = 0;
            jquote(o, key);
            cym__buf_put(&o->b, ":", 1);
            jput(o, m);
        }
        cym__buf_put(&o->b, "}", 1);
        break;
    }
    case JSON_ARRAY:
        cym__buf_put(&o->b, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                cym__buf_put(&o->b, ",", 1);
            jput(o, json_array_get(v, i));
        }
        cym__buf_put(&o->b, "]", 1);
        break;
    case JSON_STRING:
        jquote(o, json_string_value(v));
        break;
    case JSON_INTEGER:
        cym__buf_printf(&o->b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        fnum(&o->b, json_real_value(v));
        break;
    case JSON_TRUE:
        cym__buf_puts(&o->b, "true");
        break;
    case JSON_FALSE:
        cym__buf_puts(&o->b, "false");
        break;
    default:
        cym__buf_puts(&o->b, "null");
        break;
    }
}

/* Writes `v` (stolen) compactly; NULL (out of memory in jansson) fails the file. */
static void value(out *o, json_t *v)
{
    if (!v)
        o->oom = 1;
    else
        jput(o, v);
    json_decref(v);
}

static void member(out *o, const char *key)
{
    cym__buf_puts(&o->b, o->first ? "\n  " : ",\n  ");
    jquote(o, key);
    cym__buf_puts(&o->b, ": ");
    o->first = 0;
}

/* Array of records, one per line: begin, item (stolen), end. */
static void arr_item(out *o, json_t *v, size_t i)
{
    cym__buf_puts(&o->b, i ? ",\n    " : "[\n    ");
    value(o, v);
}

static void arr_end(out *o, size_t n)
{
    cym__buf_puts(&o->b, n ? "\n  ]" : "[]");
}

static json_t *without_out(const json_t *cfg)
{
    json_t *c = json_deep_copy(cfg);
    if (c)
        json_object_del(c, "out");
    return c;
}

static const char *dir_name(int d)
{
    return d < 0 ? "-" : "+";
}

/* An integer, as %d would write it (without printf: millions of them). */
static void fint(cym__buf *b, long long v)
{
    char buf[24];
    size_t n = sizeof(buf);
    unsigned long long x = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        buf[--n] = (char)('0' + x % 10);
    while (x /= 10);
    if (v < 0)
        buf[--n] = '-';
    cym__buf_put(b, buf + n, sizeof(buf) - n);
}

/* What the record writers read: the run, its trends and the tier labels as JSON text. */
typedef struct recs {
    const cym_results *r;
    const cym_trends *tr;
    char *const *tier_json;
} recs;

/* The records of one country (scores) or trends row, appended to b; b->oom on failure. */
typedef void (*records_fn)(cym__buf *b, const recs *c, size_t i);

/* `{"country":...}` for each year of country u: score, rank and coverage of every node. */
static void score_unit(cym__buf *b, const recs *c, size_t u)
{
    const cym_results *r = c->r;
    for (size_t t = 0; t < r->n_years; t++) {
        size_t uc = cym_cube_cell(&r->unit_cube, u, t, 0);
        int tier = r->tier[uc];
        cym__buf_puts(b, u || t ? ",\n    {\"country\":\"" : "[\n    {\"country\":\"");
        cym__buf_puts(b, r->ds->units[u].code);
        cym__buf_puts(b, "\",\"year\":");
        fint(b, r->year0 + (int)t);
        for (int a = 0; a < 3; a++) {
            const double *arr = a == 0 ? r->score : a == 1 ? r->rank : r->coverage;
            cym__buf_puts(b, a == 0   ? ",\"score\":["
                             : a == 1 ? "],\"rank\":["
                                      : "],\"coverage\":[");
            for (size_t n = 0; n < r->n_nodes; n++) {
                if (n)
                    cym__buf_put(b, ",", 1);
                fnum(b, arr[cym_cube_cell(&r->node_cube, u, t, n)]);
            }
        }
        cym__buf_puts(b, "],\"tier\":");
        cym__buf_puts(b, tier >= 0 && c->tier_json[tier] ? c->tier_json[tier] : "null");
        cym__buf_puts(b, ",\"points_to_next_tier\":");
        fnum(b, r->tier_gap[uc]);
        cym__buf_puts(b, cym_results_flagged(r, u, t) ? ",\"flagged\":true}"
                                                      : ",\"flagged\":false}");
    }
}

/* `{"row":...}` for each node of trends row `row` (a country, then the group rows). */
static void trend_row(cym__buf *b, const recs *c, size_t row)
{
    const cym_results *r = c->r;
    const cym_trends *tr = c->tr;
    json_t *j = json_string(row < r->n_units ? r->ds->units[row].code
                                             : tr->labels[row - r->n_units]);
    char *label = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    if (!label) {
        b->oom = 1;
        return;
    }
    for (size_t n = 0; n < r->n_nodes; n++) {
        const cym_trend_stats *st = &tr->stats[row * r->n_nodes + n];
        double v[CYM__TREND_NUMS];
        cym__buf_puts(b, row || n ? ",\n    {\"row\":" : "[\n    {\"row\":");
        cym__buf_puts(b, label);
        cym__buf_puts(b, ",\"node\":\"");
        cym__buf_puts(b, r->fw->nodes[n].code);
        if (st->n) {
            cym__buf_puts(b, "\",\"first_year\":");
            fint(b, st->first_year);
            cym__buf_puts(b, ",\"last_year\":");
            fint(b, st->last_year);
        } else
            cym__buf_puts(b, "\",\"first_year\":null,\"last_year\":null");
        cym__buf_puts(b, ",\"n\":");
        fint(b, (long long)st->n);
        cym__trend_numbers(v, st);
        for (size_t q = 0; q < CYM__TREND_NUMS; q++) {
            cym__buf_puts(b, ",\"");
            cym__buf_puts(b, cym__trend_number_names[q]);
            cym__buf_puts(b, "\":");
            fnum(b, v[q]);
        }
        cym__buf_puts(b, ",\"direction\":\"");
        cym__buf_puts(b, cym_trend_direction_name(st->direction));
        cym__buf_puts(b, tr->basis == CYM_TREND_BASIS_COMMON ? "\",\"basis\":\"common\"}"
                                                             : "\",\"basis\":\"all\"}");
    }
    free(label);
}

/*
 * The records of items 0..n by `fn`, after what is buffered: on every core for a large run,
 * each thread formatting whole items into its own buffer, written in item order (OpenMP
 * `ordered`), so the bytes do not depend on the number of threads.
 */
static void records(out *w, size_t n, records_fn fn, const recs *c)
{
    const cym_results *r = c->r;
    int failed = 0;
    int many = n > 1 && r->n_units * r->n_years * r->n_nodes >= ((size_t)1 << 16);
    drain(w, 0);
#pragma omp parallel if (many)
    {
        cym__buf b = {0};
#pragma omp for ordered schedule(dynamic, 1)
        for (size_t i = 0; i < n; i++) {
            b.n = 0;
            fn(&b, c, i);
#pragma omp ordered
            {
                if (b.oom)
                    failed = 1;
                else if (!failed)
                    fwrite(b.p, 1, b.n, w->f);
            }
        }
        cym__buf_free(&b);
    }
    if (failed)
        w->oom = 1;
}

cym_status cym__results_json(FILE *f, const cym_results *r, const cym_trends *tr,
                             const cym_compare_ties *ties, const cym_report_options *o,
                             const cym_uncertainty *unc, const json_t *manifest, cym_error *err)
{
    const cym_framework *fw = r->fw;
    const cym_dataset *ds = r->ds;
    out w = {{0}, 1, 0, f};
    json_t *j;
    size_t k = 0, t_last = r->n_years - 1;
    size_t nmax = (size_t)(o->trend.strengths_n > 0 ? o->trend.strengths_n : 3);
    size_t *strong = malloc(nmax * sizeof(size_t)), *weak = malloc(nmax * sizeof(size_t));
    cym_warnings warn = {0};
    char *tier_json[CYM_MAX_TIERS] = {NULL};
    const recs rc = {r, tr, tier_json};

    for (size_t i = 0; i < r->opts.n_tiers; i++)
        tier_json[i] = jtext(&w, r->opts.tiers[i].label);
    if (!strong || !weak || cym__report_warnings(&warn, r) < 0) {
        free(strong);
        free(weak);
        cym_warnings_clear(&warn);
        for (size_t i = 0; i < r->opts.n_tiers; i++)
            free(tier_json[i]);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    cym__buf_puts(&w.b, "{");
    member(&w, "schema");
    value(&w, json_string("cymetrics-results/1"));
    member(&w, "program");
    value(&w, json_string("cymetrics"));
    member(&w, "version");
    value(&w, json_string(CYM_VERSION));
    member(&w, "dataset");
    value(&w, json_pack("{s:o,s:o,s:o,s:o}", "name", jstr(o->output.name), "title", jstr(o->output.title),
                        "subtitle", jstr(o->output.subtitle), "source", jstr(o->output.source)));
    member(&w, "years");
    value(&w, json_pack("[i,i]", r->year0, r->year0 + (int)r->n_years - 1));
    member(&w, "configuration");
    value(&w, without_out(json_object_get(manifest, "configuration")));
    member(&w, "effective");
    value(&w, json_deep_copy(json_object_get(manifest, "effective")));
    member(&w, "inputs");
    {
        json_t *in = json_object_get(manifest, "inputs"), *v;
        size_t i;
        json_array_foreach(in, i, v) arr_item(&w, json_deep_copy(v), i);
        arr_end(&w, json_array_size(in));
    }
    member(&w, "nodes");
    for (size_t n = 0; n < fw->n_nodes; n++) {
        const cym_node *nd = &fw->nodes[n];
        j = json_pack("{s:s,s:s,s:o,s:i,s:o,s:o,s:o,s:o}", "code", nd->code, "name", nd->name,
                      "parent", nd->parent >= 0 ? jstr(fw->nodes[nd->parent].code) : json_null(),
                      "level", nd->level, "direction",
                      nd->n_children ? json_null() : json_string(dir_name(nd->direction)),
                      "framework_weight", jnum(nd->weight), "weight", jnum(r->weight[n]),
                      "effective_weight", jnum(r->eff_weight[n]));
        arr_item(&w, j, n);
    }
    arr_end(&w, fw->n_nodes);
    member(&w, "countries");
    for (size_t u = 0; u < r->n_units; u++) {
        json_t *g = json_object();
        for (size_t c = 0; g && c < ds->n_group_cols; c++)
            json_object_set_new(g, ds->group_cols[c], jstr(ds->units[u].groups[c]));
        j = json_pack("{s:s,s:s,s:o}", "code", ds->units[u].code, "name", ds->units[u].name,
                      "groups", g ? g : json_null());
        arr_item(&w, j, u);
    }
    arr_end(&w, r->n_units);
    member(&w, "tiers");
    for (size_t i = 0; i < r->opts.n_tiers; i++) {
        j = json_pack("{s:s,s:o,s:b}", "label", r->opts.tiers[i].label, "threshold",
                      jnum(r->opts.tiers[i].threshold), "percentile", r->opts.tiers[i].percentile);
        arr_item(&w, j, i);
    }
    arr_end(&w, r->opts.n_tiers);
    /* scores and trends: the large arrays (countries x years x nodes), formatted here rather
       than through jansson objects, which cost several times more, a country at a time on
       every core and written in order; codes are validated ([A-Za-z0-9_.-]) and need no
       escaping, labels from the inputs are escaped by jansson once each */
    member(&w, "scores");
    records(&w, r->n_units, score_unit, &rc);
    arr_end(&w, r->n_units);
    member(&w, "trends");
    records(&w, tr ? tr->n_rows : 0, trend_row, &rc);
    arr_end(&w, tr ? tr->n_rows : 0);
    member(&w, "strengths");
    for (size_t u = 0; u < r->n_units; u++) {
        size_t ns, nw;
        json_t *lists[2];
        cym_compare_strengths(strong, &ns, weak, &nw, ties, u, nmax);
        for (int pass = 0; pass < 2; pass++) {
            lists[pass] = json_array();
            for (size_t q = 0; lists[pass] && q < (pass ? nw : ns); q++) {
                size_t nd = pass ? weak[q] : strong[q];
                size_t c = cym_cube_cell(&r->node_cube, u, t_last, nd);
                json_array_append_new(
                    lists[pass], json_pack("{s:s,s:o,s:o}", "indicator", fw->nodes[nd].code,
                                           "score", jnum(r->score[c]), "rank", jnum(r->rank[c])));
            }
        }
        j = json_pack("{s:s,s:i,s:o,s:o}", "country", ds->units[u].code, "year",
                      r->year0 + (int)t_last, "strengths", lists[0] ? lists[0] : json_null(),
                      "weaknesses", lists[1] ? lists[1] : json_null());
        arr_item(&w, j, u);
    }
    arr_end(&w, r->n_units);
    member(&w, "uncertainty");
    if (!unc)
        value(&w, json_null());
    else {
        k = 0;
        for (size_t u = 0; u < unc->n_units; u++)
            for (size_t t = 0; t < unc->n_years; t++) {
                size_t c = u * unc->n_years + t;
                j = json_pack("{s:s,s:i,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "country",
                              unc->ds->units[u].code, "year", unc->year0 + (int)t, "runs",
                              (json_int_t)unc->runs, "nominal_rank", jnum(unc->nominal_rank[c]),
                              "rank_mean", jnum(unc->rank_mean[c]), "rank_median",
                              jnum(unc->rank_median[c]), "rank_q05", jnum(unc->rank_q05[c]),
                              "rank_q95", jnum(unc->rank_q95[c]), "nominal_score",
                              jnum(unc->nominal_score[c]), "score_mean", jnum(unc->score_mean[c]),
                              "score_median", jnum(unc->score_median[c]), "score_q05",
                              jnum(unc->score_q05[c]), "score_q95", jnum(unc->score_q95[c]));
                arr_item(&w, j, k++);
            }
        arr_end(&w, k);
    }
    member(&w, "warnings");
    for (size_t i = 0; i < warn.count; i++)
        arr_item(&w, json_string(warn.lines[i]), i);
    arr_end(&w, warn.count);
    cym__buf_puts(&w.b, "\n}\n");
    free(strong);
    free(weak);
    cym_warnings_clear(&warn);
    for (size_t i = 0; i < r->opts.n_tiers; i++)
        free(tier_json[i]);
    drain(&w, 0);
    cym__buf_free(&w.b);
    if (w.oom || w.b.oom)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    return CYM_OK;
}
