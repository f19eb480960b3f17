/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Run configuration (src/config/options.c): every key with valid and invalid values, read back
 * through cym_options_get in the form cym_options_set accepts; tiers; the INI reader with its
 * line numbers and paths resolved against the INI file's folder. Expected values are the
 * documented forms of docs/cli.md and the gci2024 tiers of the ITU GCI 2024 (95, 85, 55, 20).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "core/util.h"
#include "cymetrics/options.h"

static void test_defaults(void **state)
{
    cym_options o;
    char buf[256];
    static const struct {
        const char *key, *value;
    } defaults[] = {
        {"years", "all"},      {"denominate", "auto"},  {"impute", "none"},
        {"treat", "none"},     {"winmax", "5"},         {"skew-max", "2"},
        {"kurt-max", "3.5"},   {"normalise", "minmax"}, {"range", "0,100"},
        {"scope", "auto"},     {"aggregate", "arithmetic"}, {"weights", "framework"},
        {"min-coverage", "0"}, {"tiers", "none"},       {"rank-ties", "min"},
        {"out", ""},           {"framework", ""},
    };
    (void)state;
    cym_options_default(&o);
    for (size_t i = 0; i < sizeof(defaults) / sizeof(*defaults); i++) {
        assert_int_equal(cym_options_get(&o, defaults[i].key, buf, sizeof(buf)), CYM_OK);
        if (strcmp(buf, defaults[i].value) != 0)
            fail_msg("default %s = '%s', expected '%s'", defaults[i].key, buf,
                     defaults[i].value);
    }
    assert_int_equal(cym_options_get(&o, "nope", buf, sizeof(buf)), CYM_EUSAGE);
    /* every listed key is known and readable */
    for (size_t i = 0; cym_options_key(i); i++) {
        assert_true(cym_options_is_key(cym_options_key(i)));
        assert_int_equal(cym_options_get(&o, cym_options_key(i), buf, sizeof(buf)), CYM_OK);
    }
    assert_null(cym_options_key(1000));
}

static void test_keys(void **state)
{
    /* value given, accepted?, what cym_options_get then says ("" = the value itself) */
    static const struct {
        const char *key, *value;
        int ok;
        const char *get;
    } cases[] = {
        {"name", "asean-japan", 1, ""},
        {"title", "ASEAN-Japan Cybersecurity Index", 1, ""},
        {"subtitle", "2017-2024", 1, ""},
        {"source", "synthetic", 1, ""},
        {"framework", "../../indicators/x.csv", 1, ""},
        {"countries", "countries.csv", 1, ""},
        {"data", "/abs/data", 1, ""},
        {"out", "reports/x", 1, ""},
        {"years", "2017-2024", 1, ""},
        {"years", "2020", 1, ""},
        {"years", "2017-", 1, ""},
        {"years", "-2024", 1, ""},
        {"years", "1900-2100", 1, ""},
        {"years", "2024-2017", 0, NULL},
        {"years", "1899-2000", 0, NULL},
        {"years", "2000-2101", 0, NULL},
        {"years", "-", 0, NULL},
        {"years", "20x4", 0, NULL},
        {"years", "", 0, NULL},
        {"denominate", "on", 1, ""},
        {"denominate", "off", 1, ""},
        {"denominate", "auto", 1, ""},
        {"denominate", "yes", 0, NULL},
        {"impute", "none", 1, ""},
        {"impute", "mean", 1, ""},
        {"impute", "median", 1, ""},
        {"impute", "linear", 1, ""},
        {"impute", "locf", 1, ""},
        {"impute", "locf:3", 1, ""},
        {"impute", "group-mean:region", 1, ""},
        {"impute", "group-median:group", 1, ""},
        {"impute", "constant:0", 1, ""},
        {"impute", "constant:-2.5", 1, ""},
        {"impute", "locf:0", 0, NULL},
        {"impute", "locf:x", 0, NULL},
        {"impute", "constant:", 0, NULL},
        {"impute", "constant:nan", 0, NULL},
        {"impute", "group-mean:", 0, NULL},
        {"impute", "group-mean:bad col", 0, NULL},
        {"impute", "knn", 0, NULL},
        {"treat", "none", 1, ""},
        {"treat", "winsorise", 1, ""},
        {"treat", "winsorize", 1, "winsorise"},
        {"treat", "log", 0, NULL},
        {"winmax", "0", 1, ""},
        {"winmax", "12", 1, ""},
        {"winmax", "-1", 0, NULL},
        {"winmax", "1.5", 0, NULL},
        {"skew-max", "2.25", 1, ""},
        {"skew-max", "0", 0, NULL},
        {"kurt-max", "4", 1, ""},
        {"kurt-max", "-3", 0, NULL},
        {"normalise", "minmax", 1, ""},
        {"normalise", "zscore", 1, "zscore:0,1"},
        {"normalise", "zscore:10,2", 1, ""},
        {"normalise", "goalposts", 1, ""},
        {"normalise", "rank", 1, ""},
        {"normalise", "borda", 1, ""},
        {"normalise", "percentile", 1, ""},
        {"normalise", "dist2max", 1, ""},
        {"normalise", "dist2ref:JPN", 1, ""},
        {"normalise", "dist2ref:JPN:cap", 1, ""},
        {"normalise", "dist2target", 1, ""},
        {"normalise", "fracmax", 1, ""},
        {"normalise", "none", 1, ""},
        {"normalise", "foo", 0, NULL},
        {"normalise", "zscore:10", 0, NULL},
        {"normalise", "zscore:10,0", 0, NULL},
        {"normalise", "dist2ref:JP", 0, NULL},
        {"normalise", "dist2ref:JPN:x", 0, NULL},
        {"range", "0,100", 1, ""},
        {"range", "-1,1", 1, ""},
        {"range", "1,10", 1, ""},
        {"range", "100,0", 0, NULL},
        {"range", "5,5", 0, NULL},
        {"range", "0;100", 0, NULL},
        {"range", "a,b", 0, NULL},
        {"scope", "panel", 1, ""},
        {"scope", "year", 1, ""},
        {"scope", "auto", 1, ""},
        {"scope", "years", 0, NULL},
        {"aggregate", "arithmetic", 1, ""},
        {"aggregate", "geometric", 1, ""},
        {"aggregate", "harmonic", 1, ""},
        {"aggregate", "power:2", 1, ""},
        {"aggregate", "power:0.5", 1, ""},
        {"aggregate", "sum", 1, ""},
        {"aggregate", "min", 1, ""},
        {"aggregate", "copeland", 1, ""},
        {"aggregate", "mazziotta-pareto", 1, ""},
        {"aggregate", "power:0", 0, NULL},
        {"aggregate", "mean", 0, NULL},
        {"weights", "framework", 1, ""},
        {"weights", "equal", 1, ""},
        {"weights", "pca", 1, ""},
        {"weights", "random", 0, NULL},
        {"min-coverage", "0", 1, ""},
        {"min-coverage", "0.75", 1, ""},
        {"min-coverage", "1", 1, ""},
        {"min-coverage", "1.5", 0, NULL},
        {"min-coverage", "-0.1", 0, NULL},
        {"min-coverage", "75%", 0, NULL},
        {"tiers", "none", 1, ""},
        {"tiers", "80:Leading,60:Advanced,0:Rest", 1, ""},
        {"tiers", "50,0", 1, "50:Tier 1,0:Tier 2"},
        {"tiers", "p90:Top,p0:Rest", 1, ""},
        {"tiers", "0:A,50:B", 0, NULL},
        {"tiers", "p90:A,50:B", 0, NULL},
        {"tiers", "p120:A", 0, NULL},
        {"tiers", "x:A", 0, NULL},
        {"tiers", "50:A,,0:B", 0, NULL},
        {"rank-ties", "min", 1, ""},
        {"rank-ties", "dense", 1, ""},
        {"rank-ties", "ordinal:AJCI", 1, ""},
        {"rank-ties", "ordinal:", 0, NULL},
        {"rank-ties", "average", 0, NULL},
        {"nonsense", "1", 0, NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym_options o, again;
        cym_error err;
        char buf[512], buf2[512];
        cym_status st;
        cym_options_default(&o);
        cym_error_clear(&err);
        st = cym_options_set(&o, cases[i].key, cases[i].value, &err);
        if (!cases[i].ok) {
            if (st != CYM_EUSAGE)
                fail_msg("%s = '%s' was accepted", cases[i].key, cases[i].value);
            assert_int_equal(err.code, CYM_EUSAGE);
            /* the message names the key (or its stem: "aggregation" for aggregate) */
            {
                char stem[5];
                snprintf(stem, sizeof(stem), "%s", cases[i].key);
                if (!strstr(err.message, stem))
                    fail_msg("message '%s' does not name %s", err.message, cases[i].key);
            }
            continue;
        }
        if (st != CYM_OK)
            fail_msg("%s = '%s' rejected: %s", cases[i].key, cases[i].value, err.message);
        assert_int_equal(cym_options_get(&o, cases[i].key, buf, sizeof(buf)), CYM_OK);
        if (strcmp(buf, cases[i].get[0] ? cases[i].get : cases[i].value) != 0)
            fail_msg("%s = '%s' reads back as '%s'", cases[i].key, cases[i].value, buf);
        /* what get says, set accepts, with the same meaning */
        cym_options_default(&again);
        assert_int_equal(cym_options_set(&again, cases[i].key, buf, &err), CYM_OK);
        assert_int_equal(cym_options_get(&again, cases[i].key, buf2, sizeof(buf2)), CYM_OK);
        assert_string_equal(buf, buf2);
    }
}

static void test_key_spelling_and_fields(void **state)
{
    cym_options o;
    cym_error err;
    char longname[200];
    (void)state;
    cym_options_default(&o);
    /* '_' and '-' are the same in keys */
    assert_int_equal(cym_options_set(&o, "min_coverage", "0.5", &err), CYM_OK);
    assert_close(o.run.min_coverage, 0.5);
    assert_true(cym_options_is_key("rank_ties"));
    assert_false(cym_options_is_key("config"));
    assert_int_equal(cym_options_set(&o, "years", "2018-2023", &err), CYM_OK);
    assert_int_equal(o.run.year_from, 2018);
    assert_int_equal(o.run.year_to, 2023);
    assert_int_equal(cym_options_set(&o, "normalise", "zscore:10,2", &err), CYM_OK);
    assert_int_equal(o.run.norm.method, CYM_NORM_ZSCORE);
    assert_close(o.run.norm.z_mean, 10.0);
    assert_close(o.run.norm.z_sd, 2.0);
    assert_int_equal(cym_options_set(&o, "normalise", "dist2ref:JPN:cap", &err), CYM_OK);
    assert_string_equal(o.run.norm.ref_unit, "JPN");
    assert_true(o.run.norm.cap_ref);
    assert_int_equal(cym_options_set(&o, "range", "-1,1", &err), CYM_OK);
    assert_close(o.run.norm.lo, -1.0);
    assert_close(o.run.norm.hi, 1.0);
    assert_int_equal(cym_options_set(&o, "impute", "locf:3", &err), CYM_OK);
    assert_int_equal(o.run.impute.method, CYM_IMPUTE_LOCF);
    assert_int_equal(o.run.impute.max_gap, 3);
    assert_int_equal(cym_options_set(&o, "impute", "group-median:region", &err), CYM_OK);
    assert_int_equal(o.run.impute.method, CYM_IMPUTE_GROUP_MEDIAN);
    assert_string_equal(o.run.impute.group_column, "region");
    assert_int_equal(cym_options_set(&o, "impute", "group-mean:income", &err), CYM_OK);
    assert_int_equal(o.run.impute.method, CYM_IMPUTE_GROUP_MEAN);
    assert_int_equal(cym_options_set(&o, "aggregate", "power:-1", &err), CYM_OK);
    assert_true(o.has_agg);
    assert_int_equal(o.run.agg.method, CYM_AGG_POWER);
    assert_close(o.run.agg.p, -1.0);
    assert_int_equal(cym_options_set(&o, "rank-ties", "ordinal:TEC.IR", &err), CYM_OK);
    assert_int_equal(o.run.ties, CYM_TIES_ORDINAL);
    assert_string_equal(o.run.tiebreak, "TEC.IR");
    /* text that does not fit is refused, not cut */
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(cym_options_set(&o, "name", longname, &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "too long"));
    assert_string_equal(o.output.name, "");
}

static void test_tiers(void **state)
{
    cym_options o;
    cym_error err;
    char many[256] = "";
    (void)state;
    cym_options_default(&o);
    /* ITU GCI 2024: tiers from 95, 85, 55 and 20 points, and the rest */
    assert_int_equal(cym_tiers_parse(&o, "gci2024", &err), CYM_OK);
    assert_int_equal(o.run.n_tiers, 5);
    assert_close(o.run.tiers[0].threshold, 95.0);
    assert_close(o.run.tiers[1].threshold, 85.0);
    assert_close(o.run.tiers[2].threshold, 55.0);
    assert_close(o.run.tiers[3].threshold, 20.0);
    assert_close(o.run.tiers[4].threshold, 0.0);
    assert_string_equal(o.run.tiers[0].label, "Tier 1 role-modelling");
    assert_string_equal(o.run.tiers[4].label, "Tier 5 building");
    assert_false(o.run.tiers[0].percentile);
    assert_int_equal(cym_tiers_parse(&o, "p75:Upper quartile,p0", &err), CYM_OK);
    assert_int_equal(o.run.n_tiers, 2);
    assert_true(o.run.tiers[0].percentile);
    assert_close(o.run.tiers[0].threshold, 75.0);
    assert_string_equal(o.run.tiers[0].label, "Upper quartile");
    assert_string_equal(o.run.tiers[1].label, "Tier 2");
    /* a label may hold spaces and a colon after the first one */
    assert_int_equal(cym_tiers_parse(&o, "50:Tier A: strong,0:Rest", &err), CYM_OK);
    assert_string_equal(o.run.tiers[0].label, "Tier A: strong");
    /* a failed parse leaves the tiers as they were */
    assert_int_equal(cym_tiers_parse(&o, "10:a,20:b", &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "decreasing"));
    assert_int_equal(o.run.n_tiers, 2);
    assert_string_equal(o.run.tiers[0].label, "Tier A: strong");
    assert_int_equal(cym_tiers_parse(&o, "p50,10", &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "mix"));
    for (int i = 16; i >= 0; i--) /* 17 tiers: one too many */
        snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s%d", i < 16 ? "," : "",
                 i);
    assert_int_equal(cym_tiers_parse(&o, many, &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "too many tiers"));
    assert_int_equal(cym_tiers_parse(&o, "none", &err), CYM_OK);
    assert_int_equal(o.run.n_tiers, 0);
}

static char tmp_root[512];

static const char *put(const char *rel, const char *text)
{
    static char paths[8][700];
    static int slot;
    char *p = paths[slot++ % 8];
    FILE *f;
    if (!tmp_root[0]) {
        if (!cym_test_tempdir(tmp_root, sizeof(tmp_root), "cymopt"))
            fail_msg("mkdtemp failed");
    }
    snprintf(p, 700, "%s/%s", tmp_root, rel);
    {
        /* create the folders on the way */
        char dir[700];
        for (char *s = strchr(p + strlen(tmp_root) + 1, '/'); s; s = strchr(s + 1, '/')) {
            memcpy(dir, p, (size_t)(s - p));
            dir[s - p] = '\0';
            mkdir(dir, 0700);
        }
    }
    f = fopen(p, "wb");
    if (!f)
        fail_msg("cannot write %s", p);
    fputs(text, f);
    fclose(f);
    return p;
}

static void test_ini(void **state)
{
    cym_options o;
    cym_error err;
    char want[800];
    const char *path;
    (void)state;
    path = put("sets/asean/cymetrics.ini",
               "; comment\n"
               "[dataset]\n"
               "name = asean\n"
               "framework = ../../indicators/fw.csv\n"
               "countries = countries.csv\n"
               "data = /srv/data\n"
               "years = 2018-2024\n"
               "delimiter = semicolon\n"
               "decimal = ,\n"
               "\n"
               "[run]\n"
               "normalise = zscore:10,2\n"
               "min_coverage = 0.5\n"
               "tiers = gci2024\n"
               "[output]\n"
               "out = ./out/../reports\n");
    cym_options_default(&o);
    assert_int_equal(cym_options_load_ini(&o, path, &err), CYM_OK);
    assert_string_equal(o.config, path);
    assert_string_equal(o.output.name, "asean");
    /* relative paths are taken from the INI file's folder, absolute ones as they are */
    snprintf(want, sizeof(want), "%s/indicators/fw.csv", tmp_root);
    assert_string_equal(o.framework, want);
    snprintf(want, sizeof(want), "%s/sets/asean/countries.csv", tmp_root);
    assert_string_equal(o.countries, want);
    assert_string_equal(o.data, "/srv/data");
    snprintf(want, sizeof(want), "%s/sets/asean/reports", tmp_root);
    assert_string_equal(o.out, want);
    assert_int_equal(o.run.year_from, 2018);
    /* "delimiter = ;" would be an empty value: libinih takes " ;" for a comment */
    assert_int_equal(o.delimiter, ';');
    assert_int_equal(o.decimal, ',');
    assert_int_equal(o.run.norm.method, CYM_NORM_ZSCORE);
    assert_close(o.run.min_coverage, 0.5);
    assert_int_equal(o.run.n_tiers, 5);
}

static void test_ini_errors(void **state)
{
    static const struct {
        const char *text;
        unsigned long line;
        int code;
        const char *words;
    } cases[] = {
        {"[run]\nimpute = mean\nimputation = mean\n", 3, CYM_EUSAGE,
         "unknown key 'imputation' in [run]"},
        {"[run]\nnormalize = minmax\n", 2, CYM_EUSAGE,
         "unknown key 'normalize' in [run] (did you mean 'normalise'?)"},
        {"[run]\nframework = x.csv\n", 2, CYM_EUSAGE, "belongs in section [dataset]"},
        {"[extra]\nname = x\n", 2, CYM_EUSAGE, "belongs in section [dataset], not [extra]"},
        {"[run]\n\nnormalise = foo\n", 3, CYM_EUSAGE, "invalid normalise 'foo'"},
        {"[run]\nthis is not a pair\n", 2, CYM_EUSAGE, "syntax error"},
        {"impute = mean\n[run]\n", 1, CYM_EUSAGE, "outside any section (put it under [run])"},
        {"[run\nimpute = mean\n", 1, CYM_EUSAGE, "syntax error"},
        {"[dataset]\ntitle = "
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
         2, CYM_EUSAGE, "longer than 199"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym_options o;
        cym_error err;
        const char *path = put("bad/cymetrics.ini", cases[i].text);
        cym_options_default(&o);
        cym_error_clear(&err);
        if (cym_options_load_ini(&o, path, &err) != cases[i].code)
            fail_msg("case %zu (%s): status %d", i, cases[i].words, err.code);
        assert_string_equal(err.file, path);
        if (err.line != cases[i].line || !strstr(err.message, cases[i].words))
            fail_msg("case %zu: line %lu: %s; expected line %lu: ...%s...", i, err.line,
                     err.message, cases[i].line, cases[i].words);
    }
    {
        cym_options o;
        cym_error err;
        cym_options_default(&o);
        assert_int_equal(cym_options_load_ini(&o, "/nonexistent/cymetrics.ini", &err), CYM_EIO);
    }
}

/* The edit distance of "did you mean" (optimal string alignment, case ignored): each expected
   value counted by hand, one edit per insertion, deletion, substitution or swap of
   neighbours; and the candidate chosen within a third of the word (issue 16). */
static void test_suggest(void **state)
{
    static const struct {
        const char *a, *b;
        size_t d;
    } dist[] = {
        {"rnu", "run", 1},             /* swap */
        {"impte", "impute", 1},        /* insertion */
        {"normalize", "normalise", 1}, /* substitution */
        {"VNM", "vnm", 0},             /* case */
        {"ca", "abc", 3},              /* OSA, not unrestricted Damerau (2) */
        {"kitten", "sitting", 3},      {"", "abc", 3},
    };
    static const struct {
        const char *key, *hint; /* NULL: no key near enough */
    } keys[] = {
        {"normalize", "normalise"}, {"impte", "impute"},   {"sobl", "sobol"},
        {"imputation", NULL},       {"frobnicate", NULL}, {"treshold", NULL},
    };
    cym__suggest s;
    (void)state;
    for (size_t i = 0; i < sizeof(dist) / sizeof(*dist); i++) {
        if (cym__edit_distance(dist[i].a, dist[i].b, 10) != dist[i].d)
            fail_msg("distance %s %s: %zu, expected %zu", dist[i].a, dist[i].b,
                     cym__edit_distance(dist[i].a, dist[i].b, 10), dist[i].d);
        assert_int_equal(cym__edit_distance(dist[i].b, dist[i].a, 10), dist[i].d);
    }
    assert_int_equal(cym__edit_distance("kitten", "sitting", 2), 3); /* capped: cap + 1 */
    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
        const char *hint = cym_options_suggest(keys[i].key);
        if (keys[i].hint ? !hint || strcmp(hint, keys[i].hint) != 0 : hint != NULL)
            fail_msg("suggest %s: %s, expected %s", keys[i].key, hint ? hint : "none",
                     keys[i].hint ? keys[i].hint : "none");
    }
    /* a three-letter word takes one edit at most; the first of equally close ones wins */
    cym__suggest_init(&s, "jnp");
    cym__suggest_add(&s, "VNM");
    cym__suggest_add(&s, "JPN");
    cym__suggest_add(&s, "JNX");
    assert_string_equal(s.best, "JPN");
    cym__suggest_init(&s, "xyz");
    cym__suggest_add(&s, "JPN");
    assert_null(s.best);
}

/* The flags of the command line: the keys whose values are on and off, their values listed
   without the second spellings, which are still accepted; and what a key expects. */
static void test_flags(void **state)
{
    static const char *const flags[] = {"report", "sobol", "exclude-one", "keep-runs",
                                        "denominate"};
    static const char *const not_flags[] = {"runs", "charts", "normalise", "scope", "nokey"};
    char buf[256];
    cym_options o;
    cym_error err;
    (void)state;
    for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++)
        if (!cym_options_is_flag(flags[i]))
            fail_msg("%s is not a flag", flags[i]);
    for (size_t i = 0; i < sizeof(not_flags) / sizeof(*not_flags); i++)
        if (cym_options_is_flag(not_flags[i]))
            fail_msg("%s is a flag", not_flags[i]);
    assert_string_equal(cym_options_value("sobol", 0), "on");
    assert_string_equal(cym_options_value("sobol", 2), "countries");
    assert_null(cym_options_value("sobol", 3));
    assert_string_equal(cym_options_value("report", 1), "off");
    assert_null(cym_options_value("report", 2)); /* yes, no, true, false: second spellings */
    assert_null(cym_options_value("runs", 0));
    assert_true(cym_options_accepts("report", "yes"));
    assert_true(cym_options_accepts("sobol", "countries"));
    assert_false(cym_options_accepts("sobol", "maybe"));
    assert_false(cym_options_accepts("runs", "10"));
    cym_options_default(&o);
    assert_int_equal(cym_options_set(&o, "keep-runs", "yes", &err), CYM_OK);
    assert_int_equal(cym_options_get(&o, "keep-runs", buf, sizeof(buf)), CYM_OK);
    assert_string_equal(buf, "on");
    assert_int_equal(cym_options_set(&o, "report", "false", &err), CYM_OK);
    assert_int_equal(cym_options_get(&o, "report", buf, sizeof(buf)), CYM_OK);
    assert_string_equal(buf, "off");
    assert_string_equal(cym_options_expect(buf, sizeof(buf), "sobol"), "on, off or countries");
    assert_string_equal(cym_options_expect(buf, sizeof(buf), "charts"),
                        "none or a list of png, svg, pdf");
    assert_string_equal(cym_options_expect(buf, sizeof(buf), "decimals"),
                        "a whole number from 0 to 6");
    assert_string_equal(cym_options_expect(buf, sizeof(buf), "out"), "a path");
    assert_null(cym_options_expect(buf, sizeof(buf), "nokey"));
    /* an enum value near a name is hinted; a method name too */
    assert_int_equal(cym_options_set(&o, "scope", "pannel", &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "did you mean 'panel'?"));
    assert_int_equal(cym_options_set(&o, "normalise", "minmx", &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "did you mean 'minmax'?"));
    assert_int_equal(cym_options_set(&o, "impute", "lineer", &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "did you mean 'linear'?"));
    assert_int_equal(cym_options_set(&o, "aggregate", "geometrc", &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "did you mean 'geometric'?"));
    assert_int_equal(cym_options_set(&o, "normalise", "qqqqqq", &err), CYM_EUSAGE);
    assert_null(strstr(err.message, "did you mean"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults), cmocka_unit_test(test_keys),
        cmocka_unit_test(test_key_spelling_and_fields), cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_ini), cmocka_unit_test(test_ini_errors),
        cmocka_unit_test(test_suggest), cmocka_unit_test(test_flags),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
