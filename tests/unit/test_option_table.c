/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The option table (src/config/option_table.c): the key list of docs/cli.md is the table's
 * (rendered here and compared with the block between the `keys:begin` and `keys:end` marker
 * comments; on a mismatch the test prints the block to paste); every row is complete and its
 * default is text its own setter accepts; the method spec parsers work without a
 * configuration. The expected values are the forms documented in docs/cli.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cymetrics/methods.h"
#include "cymetrics/options.h"

#define BEGIN "<!-- keys:begin -->\n"
#define END "<!-- keys:end -->"

/* Appends `s` to buf[0..n), with '|' escaped for a Markdown table cell when `escape`. */
static void put(char *buf, size_t n, const char *s, int escape)
{
    size_t len = strlen(buf);
    for (; *s && len + 3 < n; s++) {
        if (escape && *s == '|')
            buf[len++] = '\\';
        buf[len++] = *s;
    }
    buf[len] = '\0';
}

/* The key table of docs/cli.md: a row per key, in the table's order; the default as the
 * setter reads it (in backquotes), or in words where the row gives them. */
static void render(char *buf, size_t n)
{
    const cym_option_info *k;
    buf[0] = '\0';
    put(buf, n, "| key | section | values | default |\n| --- | --- | --- | --- |\n", 0);
    for (size_t i = 0; (k = cym_options_info(i)) != NULL; i++) {
        put(buf, n, "| `", 0);
        put(buf, n, k->name, 0);
        put(buf, n, "` | ", 0);
        put(buf, n, k->section, 0);
        put(buf, n, " | ", 0);
        put(buf, n, k->help, 1);
        put(buf, n, " | ", 0);
        if (k->def_doc)
            put(buf, n, k->def_doc, 1);
        else {
            put(buf, n, "`", 0);
            put(buf, n, k->def, 1);
            put(buf, n, "`", 0);
        }
        put(buf, n, " |\n", 0);
    }
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long size;
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    return text;
}

static void test_docs_list_the_table(void **state)
{
    static char want[65536];
    char *doc = read_all(CYM_SOURCE_DIR "/docs/cli.md");
    char *begin = strstr(doc, BEGIN), *end;
    (void)state;
    render(want, sizeof(want));
    assert_true(strlen(want) + 1 < sizeof(want));
    if (!begin || !(end = strstr(begin, END))) {
        free(doc);
        fail_msg("docs/cli.md has no %s ... %s block", "<!-- keys:begin -->", END);
    }
    begin += strlen(BEGIN);
    if ((size_t)(end - begin) != strlen(want) || memcmp(begin, want, strlen(want)) != 0) {
        free(doc);
        /* the whole block, to paste (cmocka's print_message cuts long text) */
        fprintf(stdout, "docs/cli.md disagrees with src/config/option_table.c; the block "
                        "between the markers should read:\n%s", want);
        fflush(stdout);
        fail_msg("docs/cli.md: the key list is not the option table's");
    }
    free(doc);
}

static void test_rows(void **state)
{
    static const char *const sections[] = {"dataset", "run",       "output", "uncertainty",
                                           "trends",  "framework", "forms",  "collect"};
    static const char *const types[] = {"bool", "int",  "long",        "double", "string",
                                        "path", "enum", "method-spec", "list",   "custom"};
    const cym_option_info *k;
    size_t i;
    (void)state;
    for (i = 0; (k = cym_options_info(i)) != NULL; i++) {
        cym_options o, d;
        cym_error err;
        char got[4096], want[4096];
        size_t s = 0, t = 0;
        /* the same list as cym_options_key, each a key */
        assert_string_equal(k->name, cym_options_key(i));
        assert_true(cym_options_is_key(k->name));
        while (s < sizeof(sections) / sizeof(*sections) && strcmp(k->section, sections[s]) != 0)
            s++;
        while (t < sizeof(types) / sizeof(*types) && strcmp(k->type, types[t]) != 0)
            t++;
        if (s == sizeof(sections) / sizeof(*sections) || t == sizeof(types) / sizeof(*types))
            fail_msg("%s: section '%s', type '%s'", k->name, k->section, k->type);
        if (!k->help || !k->help[0] || strchr(k->help, '\n'))
            fail_msg("%s: the help is one line", k->name);
        if (!(k->def && k->def[0]) && !(k->def_doc && k->def_doc[0]))
            fail_msg("%s: neither a default nor its words", k->name);
        if (!k->def)
            continue;
        /* the default is text the setter accepts, and what cym_options_default gives */
        cym_options_default(&d);
        cym_options_default(&o);
        cym_error_clear(&err);
        if (cym_options_set(&o, k->name, k->def, &err) != CYM_OK)
            fail_msg("%s: default '%s' refused: %s", k->name, k->def, err.message);
        assert_int_equal(cym_options_get(&o, k->name, got, sizeof(got)), CYM_OK);
        assert_int_equal(cym_options_get(&d, k->name, want, sizeof(want)), CYM_OK);
        assert_string_equal(got, want);
    }
    assert_null(cym_options_key(i));
    assert_true(i > 40);
}

static void test_defaults_unmarked(void **state)
{
    static cym_options o;
    cym_error err;
    (void)state;
    /* the default aggregation is not an explicit one: a framework `method` still wins */
    cym_options_default(&o);
    assert_false(o.has_agg);
    assert_int_equal(o.run.agg.method, CYM_AGG_ARITHMETIC);
    assert_close(o.run.agg.p, 1.0);
    assert_int_equal(cym_options_set(&o, "aggregate", "arithmetic", &err), CYM_OK);
    assert_true(o.has_agg);
    /* the documented defaults, field by field (docs/cli.md, METHODS.md) */
    cym_options_default(&o);
    assert_int_equal(o.delimiter, 0); /* auto: each file's own */
    assert_int_equal(o.decimal, 0);
    assert_int_equal(o.run.denominate, -1);
    assert_int_equal(o.run.scope, -1);
    assert_int_equal(o.run.treat_spec.winmax, 5);
    assert_close(o.run.treat_spec.skew_max, 2.0);
    assert_close(o.run.treat_spec.kurt_max, 3.5);
    assert_int_equal(o.run.norm.method, CYM_NORM_MINMAX);
    assert_close(o.run.norm.lo, 0.0);
    assert_close(o.run.norm.hi, 100.0);
    assert_close(o.run.norm.z_sd, 1.0);
    assert_int_equal(o.output.charts, CYM_CHARTS_PNG);
    assert_int_equal(o.output.tables, CYM_TABLES_ALL);
    assert_int_equal(o.output.decimals, 1);
    assert_int_equal(o.output.report, 1);
    assert_int_equal(o.unc.runs, 1000);
    assert_int_equal(o.unc.seed, 1);
    assert_close(o.trend.level, 0.05);
    assert_int_equal(o.trend.strengths_n, 3);
    assert_close(o.edition.check_tolerance, 0.005);
    assert_int_equal(o.run.n_tiers, 0);
    assert_int_equal(o.unc.n_norm, 0);
    /* each module's own defaults (its _INIT value) say the same as the table: a struct of
       defaults put in place of the table's, every key reads the same */
    {
        static cym_options p;
        static const cym_pipeline_options run = CYM_PIPELINE_OPTIONS_INIT;
        static const cym_unc_spec unc = CYM_UNC_SPEC_INIT;
        static const cym_trend_spec trend = CYM_TREND_SPEC_INIT;
        static const cym_edition_spec edition = CYM_EDITION_SPEC_INIT;
        static const cym_output_options output = CYM_OUTPUT_OPTIONS_INIT;
        static const cym_forms_options forms = CYM_FORMS_OPTIONS_INIT;
        static const cym_collect_options collect = CYM_COLLECT_OPTIONS_INIT;
        static const char *const names[] = {"CYM_PIPELINE_OPTIONS_INIT", "CYM_UNC_SPEC_INIT",
                                            "CYM_TREND_SPEC_INIT", "CYM_EDITION_SPEC_INIT",
                                            "CYM_FORMS_OPTIONS_INIT", "CYM_COLLECT_OPTIONS_INIT",
                                            "CYM_OUTPUT_OPTIONS_INIT"};
        const char *key;
        char a[4096], b[4096];
        for (int k = 0; k < 7; k++) {
            p = o;
            switch (k) {
            case 0: p.run = run; break;
            case 1: p.unc = unc; break;
            case 2: p.trend = trend; break;
            case 3: p.edition = edition; break;
            case 4: p.forms = forms; break;
            case 5: p.collect = collect; break;
            default:
                p.output = output;
                /* the name and texts default to the dataset's: not the module's to say */
                memcpy(p.output.name, o.output.name, sizeof(p.output.name));
                break;
            }
            for (size_t i = 0; (key = cym_options_key(i)) != NULL; i++) {
                cym_options_get(&o, key, a, sizeof(a));
                cym_options_get(&p, key, b, sizeof(b));
                if (strcmp(a, b) != 0)
                    fail_msg("default %s: '%s' in the table, '%s' in %s", key, a, b, names[k]);
            }
        }
    }
}

static void test_spec_parsers(void **state)
{
    static const struct {
        const char *text, *canon; /* canon "" = the text itself, NULL = refused */
    } impute[] = {
        {"none", ""},         {"mean", ""},          {"locf", ""},
        {"locf:3", ""},       {"constant:-2.5", ""}, {"group-mean:region", ""},
        {"group-median:g", ""}, {"locf:0", NULL},    {"constant:nan", NULL},
        {"group-mean:", NULL},  {"knn", NULL},       {"mean:1", NULL},
    },
      norm[] = {
          {"minmax", ""},          {"zscore", "zscore:0,1"}, {"zscore:10,2", ""},
          {"dist2ref:JPN:cap", ""}, {"fracmax", ""},         {"zscore:10", NULL},
          {"zscore:1,0", NULL},     {"dist2ref:JP", NULL},   {"foo", NULL},
      };
    char buf[128];
    cym_error err;
    (void)state;
    for (size_t i = 0; i < sizeof(impute) / sizeof(*impute); i++) {
        cym_impute_spec s, again;
        memset(&s, 0x5a, sizeof(s));
        again = s;
        if (!impute[i].canon) {
            assert_int_equal(cym_impute_spec_parse(&s, impute[i].text, &err), CYM_EUSAGE);
            assert_non_null(strstr(err.message, "invalid impute"));
            assert_memory_equal(&s, &again, sizeof(s)); /* unchanged */
            continue;
        }
        assert_int_equal(cym_impute_spec_parse(&s, impute[i].text, &err), CYM_OK);
        cym_impute_spec_format(buf, sizeof(buf), &s);
        assert_string_equal(buf, impute[i].canon[0] ? impute[i].canon : impute[i].text);
        assert_string_equal(cym_impute_name(s.method), strtok(buf, ":"));
    }
    for (size_t i = 0; i < sizeof(norm) / sizeof(*norm); i++) {
        cym_norm_spec s, again;
        cym_norm_spec_default(&s);
        s.lo = -1;
        s.hi = 1;
        again = s;
        if (!norm[i].canon) {
            assert_int_equal(cym_norm_spec_parse(&s, norm[i].text, &err), CYM_EUSAGE);
            assert_non_null(strstr(err.message, "invalid normalise"));
            assert_memory_equal(&s, &again, sizeof(s));
            continue;
        }
        assert_int_equal(cym_norm_spec_parse(&s, norm[i].text, &err), CYM_OK);
        cym_norm_spec_format(buf, sizeof(buf), &s);
        assert_string_equal(buf, norm[i].canon[0] ? norm[i].canon : norm[i].text);
        /* the range is not part of the spec */
        assert_close(s.lo, -1.0);
        assert_close(s.hi, 1.0);
    }
    assert_string_equal(cym_norm_name(CYM_NORM_DIST2TARGET), "dist2target");
    assert_string_equal(cym_impute_name(CYM_IMPUTE_GROUP_MEDIAN), "group-median");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_list_the_table),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_defaults_unmarked),
        cmocka_unit_test(test_spec_parsers),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
