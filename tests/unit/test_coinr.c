/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Agreement with COINr on its own example data (ASEM: 51 countries, 49 indicators, 4 levels,
 * missing values; and the 2018-2022 panel). The expected scores and ranks in
 * tests/data/asem/expected/ were computed independently in R by tests/data/asem/make_expected.R,
 * a re-implementation of COINr's functions from its source (see tests/data/asem/README.md);
 * they were never produced by cymetrics. Each test imports the tables with
 * cym_import_coinr, runs the whole pipeline, and compares every country x year x node score
 * and rank with |a - b| <= 1e-12 + 1e-9 |b|.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "cymetrics/dataset.h"
#include "cymetrics/import.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"
#include "io/csv.h"

typedef struct compare_ctx {
    const cym_results *r;
    long c_country, c_year, c_code, c_score, c_rank;
    size_t rows, bad;
} compare_ctx;

static int check_num(const char *got_text, double got, const char *want_text)
{
    double want;
    if (!want_text[0])
        return isnan(got);
    want = strtod(want_text, NULL);
    (void)got_text;
    return cym_test_close(got, want, 1e-9);
}

static cym_status compare_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    compare_ctx *c = ctx;
    const cym_results *r = c->r;
    long u, n;
    int year;
    size_t cell;
    (void)err;
    if (row->index == 0) {
        c->c_country = cym__csv_col(row, "country");
        c->c_year = cym__csv_col(row, "year");
        c->c_code = cym__csv_col(row, "code");
        c->c_score = cym__csv_col(row, "score");
        c->c_rank = cym__csv_col(row, "rank");
        return CYM_OK;
    }
    u = cym_dataset_find_unit(r->ds, row->f[c->c_country].text);
    n = cym_framework_find(r->fw, row->f[c->c_code].text);
    year = atoi(row->f[c->c_year].text);
    if (u < 0 || n < 0 || year < r->year0 || year >= r->year0 + (int)r->n_years)
        fail_msg("expected row %s/%d/%s has no counterpart", row->f[c->c_country].text, year,
                 row->f[c->c_code].text);
    cell = cym_cube_cell(&r->node_cube, (size_t)u, (size_t)(year - r->year0), (size_t)n);
    c->rows++;
    if (!check_num(NULL, r->score[cell], row->f[c->c_score].text) ||
        !check_num(NULL, r->rank[cell], row->f[c->c_rank].text)) {
        if (c->bad++ < 5)
            print_message("%s %d %s: score %.17g rank %g, expected %s and %s\n",
                          row->f[c->c_country].text, year, row->f[c->c_code].text,
                          r->score[cell], r->rank[cell], row->f[c->c_score].text,
                          row->f[c->c_rank].text);
    }
    return CYM_OK;
}

/* A pipeline run on imported COINr tables, with what it borrows. */
typedef struct asem_run {
    char dir[64];
    cym_framework *fw;
    cym_dataset *ds;
    cym_results *r;
} asem_run;

/* Imports iData (+ iMeta) into a temporary folder and runs with the given overrides. */
static void asem_run_start(asem_run *a, const char *idata, const char *const *kv)
{
    char path[1024], fwpath[1100], cpath[1100];
    cym_error err;
    cym_options o;
    cym_dataset_paths p;

    memset(a, 0, sizeof(*a));
    strcpy(a->dir, "/tmp/cym-coinr-XXXXXX");
    assert_non_null(mkdtemp(a->dir));
    snprintf(path, sizeof(path), "%s/ds", a->dir);
    cym_error_clear(&err);
    if (cym_import_coinr(idata, CYM_TEST_DATA "/asem/iMeta.csv", path, "asem", 0, &err) < 0)
        fail_msg("import: %s", err.message);
    cym_options_default(&o);
    for (; kv && kv[0]; kv += 2)
        if (cym_options_set(&o, kv[0], kv[1], &err) < 0)
            fail_msg("option %s: %s", kv[0], err.message);
    snprintf(fwpath, sizeof(fwpath), "%s/framework.csv", path);
    snprintf(cpath, sizeof(cpath), "%s/countries.csv", path);
    if (cym_framework_load(&a->fw, fwpath, &err) < 0)
        fail_msg("framework: %s", err.message);
    p.countries = cpath;
    p.data = path;
    if (cym_dataset_load(&a->ds, a->fw, &p, NULL, &err) < 0)
        fail_msg("dataset: %s", err.message);
    if (cym_pipeline_run(&a->r, a->ds, &o.run, &err) < 0)
        fail_msg("pipeline: %s", err.message);
}

static void asem_run_end(asem_run *a)
{
    char cmd[128];
    cym_results_free(a->r);
    cym_dataset_free(a->ds);
    cym_framework_free(a->fw);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", a->dir);
    assert_int_equal(system(cmd), 0);
}

/* Compares every score and rank of a run with expected/<name>.csv. */
static void compare_with(const asem_run *a, const char *expected)
{
    cym_error err;
    compare_ctx c;

    memset(&c, 0, sizeof(c));
    c.r = a->r;
    if (cym__csv_read(expected, NULL, compare_row, &c, &err) < 0)
        fail_msg("reading %s: %s", expected, err.message);
    assert_true(c.rows >= 3060);
    if (c.bad)
        fail_msg("%zu of %zu scores or ranks differ from COINr (%s)", c.bad, c.rows, expected);
}

/* Runs with the given overrides and compares with expected/<name>.csv. */
static void run_and_compare(const char *idata, const char *expected, const char *const *kv)
{
    asem_run a;

    asem_run_start(&a, idata, kv);
    compare_with(&a, expected);
    asem_run_end(&a);
}

#define ASEM CYM_TEST_DATA "/asem/iData.csv"
#define EXPECTED(name) CYM_TEST_DATA "/asem/expected/" name ".csv"

static void coinr_default(void **s)
{
    /* COINr: new_coin(ASEM_iData, ASEM_iMeta) |> Normalise() |> Aggregate() */
    static const char *const kv[] = {"denominate", "off", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("default"), kv);
}

static void coinr_denominated(void **s)
{
    /* COINr: Denominate() |> Normalise() |> Aggregate() */
    static const char *const kv[] = {"denominate", "on", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("denominated"), kv);
}

static void coinr_zscore(void **s)
{
    /* COINr: Normalise(global_specs = list(f_n = "n_zscore", f_n_para = list(c(10, 2)))) */
    static const char *const kv[] = {"denominate", "off", "normalise", "zscore:10,2", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("zscore"), kv);
}

static void coinr_geometric(void **s)
{
    /* COINr: Normalise(l_u = c(1, 100)) |> Aggregate(f_ag = "a_gmean") */
    static const char *const kv[] = {"denominate", "off", "range", "1,100", "aggregate",
                                     "geometric", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("geometric"), kv);
}

static void coinr_group_mean_imputation(void **s)
{
    /* COINr: Impute(imtype = "i_mean_grp", use_group = "EurAsia_group") */
    static const char *const kv[] = {"denominate", "off", "impute", "group-mean:EurAsia_group",
                                     NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("imputed"), kv);
}

static void coinr_treated(void **s)
{
    /* COINr: Treat() with the default winsorisation then log_CT */
    static const char *const kv[] = {"denominate", "off", "treat", "winsorise", NULL};
    (void)s;
    run_and_compare(ASEM, EXPECTED("treated"), kv);
}

/*
 * The log fallback on lower-is-better indicators (issue 14). With winmax 1, nine indicators
 * reach COINr's log_CT, three of them with Direction -1 (Tariff, Forest, Poverty). COINr
 * treats the raw values and applies the direction in Normalise(), so the log is
 * log(x - min + 0.01 (max - min)) of the raw x, then multiplied by -1; the scores and ranks
 * of every node are in expected/treated_winmax1.csv (make_expected.R, config 3b; the second
 * route cross_check.py agrees to 1.5e-14 relative). The treated values and the statistics
 * after treatment (on the oriented scale, as treatment.csv reports them), from R 4.2:
 *
 *   d <- read.csv("tests/data/asem/iData.csv")
 *   skew <- function(x){x<-x[!is.na(x)];n<-length(x);x<-x-mean(x)
 *     sqrt(n)*sum(x^3)/(sum(x^2)^(3/2))*sqrt(n*(n-1))/(n-2)}
 *   kurt <- function(x){x<-x[!is.na(x)];n<-length(x);x<-x-mean(x)
 *     r<-n*sum(x^4)/(sum(x^2)^2);((n+1)*(r-3)+6)*(n-1)/((n-2)*(n-3))}
 *   pass <- function(x) abs(skew(x)) < 2 | kurt(x) < 3.5
 *   for (ic in c("Tariff", "Forest", "Poverty")) {
 *     x <- d[[ic]]                                # raw values, as COINr's Treat() gets them
 *     y <- x                                      # winsorise, winmax = 1: one step
 *     if (skew(y) >= 0) { i <- which(y == max(y, na.rm = TRUE)); y[i] <- max(y[-i], na.rm = TRUE)
 *     } else { i <- which(y == min(y, na.rm = TRUE)); y[i] <- min(y[-i], na.rm = TRUE) }
 *     stopifnot(!pass(x), !pass(y))               # fails before and after: log_CT
 *     l <- log(x - min(x, na.rm = TRUE) + 0.01 * (max(x, na.rm = TRUE) - min(x, na.rm = TRUE)))
 *     t <- -1 * l                                 # Direction -1, applied after (Normalise)
 *     cat(ic, sprintf("%.17g", c(skew(t), kurt(t), t[match(c("AUT", "BGD"), d$uCode)])), "\n")
 *   }
 *   # Tariff 1.1211658975593271 5.235261081181263 -0.53374104833673153 -2.3641786569990519
 *   # Forest 0.4651659234427899 1.2093009170381546 -1.1075990471714869 -1.6581019301437139
 *   # Poverty -1.1434017714009888 0.43455032512091868 0.075801713416281974 -2.9870446451564256
 *
 * Taking the log of the flipped values instead, as the engine did before, left Tariff's skew
 * at -3.94 (worse than the -2.45 it started from).
 */
static void coinr_treated_log_on_raw(void **s)
{
    static const char *const kv[] = {"denominate", "off", "treat", "winsorise", "winmax", "1",
                                     NULL};
    static const struct {
        const char *code;
        double skew, kurt, aut, bgd;
    } want[] = {
        {"Tariff", 1.1211658975593271, 5.235261081181263, -0.53374104833673153,
         -2.3641786569990519},
        {"Forest", 0.4651659234427899, 1.2093009170381546, -1.1075990471714869,
         -1.6581019301437139},
        {"Poverty", -1.1434017714009888, 0.43455032512091868, 0.075801713416281974,
         -2.9870446451564256},
    };
    asem_run a;
    long aut, bgd;
    (void)s;
    asem_run_start(&a, ASEM, kv);
    compare_with(&a, EXPECTED("treated_winmax1"));
    aut = cym_dataset_find_unit(a.ds, "AUT");
    bgd = cym_dataset_find_unit(a.ds, "BGD");
    assert_true(aut >= 0 && bgd >= 0);
    for (size_t k = 0; k < sizeof(want) / sizeof(*want); k++) {
        const cym_treat_record *rec = NULL;
        size_t i;
        for (i = 0; i < a.r->n_ind; i++)
            if (strcmp(a.fw->nodes[a.fw->indicators[i]].code, want[k].code) == 0)
                break;
        assert_true(i < a.r->n_ind);
        for (size_t t = 0; t < a.r->n_treat; t++)
            if (a.r->treat[t].indicator == i)
                rec = &a.r->treat[t];
        assert_non_null(rec);
        assert_int_equal(rec->r.log_used, 1);
        assert_close_rel(rec->r.skew_after, want[k].skew, 1e-12);
        assert_close_rel(rec->r.kurt_after, want[k].kurt, 1e-12);
        assert_close_rel(a.r->treated[cym_cube_cell(&a.r->ind_cube, (size_t)aut, 0, i)],
                         want[k].aut, 1e-14);
        assert_close_rel(a.r->treated[cym_cube_cell(&a.r->ind_cube, (size_t)bgd, 0, i)],
                         want[k].bgd, 1e-14);
    }
    asem_run_end(&a);
}

/*
 * dist2ref with a reference country that lacks values (issue 14). KOR has no CultGood, Palma
 * or NEET in 2018: COINr's n_dist2ref returns NA for every unit there (with a warning) and
 * a_amean leaves them out; the other scores are 1 - (x_ref - x)/(x_ref - min) scaled by 100.
 * Every score and rank is in expected/dist2ref_KOR.csv (make_expected.R, config 3c;
 * cross_check.py agrees to 3.9e-16 relative). The engine gives NaN there too and one warning
 * per indicator naming it, KOR and the year.
 */
static void coinr_dist2ref_missing_reference(void **s)
{
    static const char *const kv[] = {"denominate", "off", "normalise", "dist2ref:KOR", NULL};
    static const char *const missing[] = {"CultGood", "Palma", "NEET"};
    asem_run a;
    (void)s;
    asem_run_start(&a, ASEM, kv);
    compare_with(&a, EXPECTED("dist2ref_KOR"));
    assert_int_equal(a.r->warnings.count, 3);
    for (size_t k = 0; k < 3; k++) {
        char line[256];
        long n = cym_framework_find(a.fw, missing[k]);
        assert_true(n >= 0);
        snprintf(line, sizeof(line),
                 "indicator %s: the dist2ref reference country KOR has no value in 2018, so "
                 "the indicator is missing for every country there",
                 missing[k]);
        assert_string_equal(a.r->warnings.lines[k], line);
        for (size_t u = 0; u < a.r->n_units; u++)
            assert_true(isnan(a.r->score[cym_cube_cell(&a.r->node_cube, u, 0, (size_t)n)]));
    }
    asem_run_end(&a);
}

static void coinr_panel(void **s)
{
    /* COINr purse of ASEM_iData_p, Normalise(global = TRUE): one min and max per indicator */
    static const char *const kv[] = {"denominate", "off", NULL};
    (void)s;
    run_and_compare(CYM_TEST_DATA "/asem/iData_p.csv", EXPECTED("panel"), kv);
}

/*
 * PCA weights at every level of ASEM (49 indicators, 8 pillars, 2 sub-indices, the index),
 * each from the scores of the level below, and the resulting index. Expected values from
 * this R code (R 4.2.2), independent of cymetrics except for the COINr-method min-max scores
 * it starts from (tests/data/asem/expected/default.csv, made by make_expected.R):
 *
 * # PCA weights on ASEM, independent of cymetrics: min-max scores from the COINr-method reference
 * # (expected/default.csv, level-1 rows), then per aggregate bottom-up: complete cases of the
 * # children, eigen() of their correlation matrix, first eigenvector squared (sums to 1);
 * # aggregate = weighted mean over available children with weights rescaled.
 * d <- read.csv("/work/main/tests/data/asem/expected/default.csv", stringsAsFactors = FALSE)
 * m <- read.csv("/work/main/tests/data/asem/iMeta.csv", stringsAsFactors = FALSE)
 * m <- m[m$Type %in% c("Indicator", "Aggregate"), ]
 * units <- unique(d$country)
 * score <- list()
 * for (code in m$iCode[m$Type == "Indicator"]) {
 *   s <- d[d$code == code, ]; v <- setNames(as.numeric(s$score), s$country); score[[code]] <- v[units]
 * }
 * w_out <- c()
 * for (lev in 2:4) for (code in m$iCode[m$Level == lev]) {
 *   kids <- m$iCode[m$Parent == code & !is.na(m$Parent)]
 *   X <- sapply(kids, function(k) score[[k]])
 *   cc <- X[complete.cases(X), , drop = FALSE]
 *   e <- eigen(cor(cc), symmetric = TRUE)
 *   w <- e$vectors[, 1]^2; w <- w / sum(w); names(w) <- kids
 *   w_out <- c(w_out, w)
 *   agg <- apply(X, 1, function(x) { ok <- !is.na(x); if (!any(ok)) NA else sum(w[ok] * x[ok]) / sum(w[ok]) })
 *   score[[code]] <- agg
 * }
 * for (k in names(w_out)) cat(sprintf("%s %.17g\n", k, w_out[[k]]))
 * cat(sprintf("INDEX %s %.17g\n", units[1:3], score[["Index"]][1:3]))
 */
static const struct {
    const char *code;
    double weight;
} pca_expected[] = {
    {"LPI", 0.21087774906042356},
    {"Flights", 0.16994160550276816},
    {"Ship", 0.035150779507173761},
    {"Bord", 0.063668582945020827},
    {"Elec", 0.19382731703860046},
    {"Gas", 0.11961760101081664},
    {"ConSpeed", 0.099383159257456832},
    {"Cov4G", 0.10753320567773984},
    {"Goods", 0.22172930064769539},
    {"Services", 0.24157806468200418},
    {"FDI", 0.20779904227765261},
    {"PRemit", 0.21251374862171554},
    {"ForPort", 0.11637984377093219},
    {"Embs", 0.29439480912804999},
    {"IGOs", 0.50242853929119757},
    {"UNVote", 0.20317665158075249},
    {"CostImpEx", 0.22738410326572489},
    {"Tariff", 0.10681904704837662},
    {"TBTs", 0.19748782957810287},
    {"TIRcon", 0.079457190723843676},
    {"RTAs", 0.21608141792347704},
    {"Visa", 0.17277041146047481},
    {"StMob", 0.15854977395317621},
    {"Research", 0.18803815052814116},
    {"Pat", 0.14292241579981521},
    {"CultServ", 0.099971385182062361},
    {"CultGood", 0.17151124818384728},
    {"Tourist", 0.12949766535409216},
    {"MigStock", 0.10949837525411842},
    {"Lang", 1.0985744747154662e-05},
    {"Renew", 0.22326587520101226},
    {"PrimEner", 0.098084422445963979},
    {"CO2", 0.33808289844238693},
    {"MatCon", 0.29458435784564163},
    {"Forest", 0.045982446064995242},
    {"Poverty", 0.07298004706912456},
    {"Palma", 0.091413518383850811},
    {"TertGrad", 0.12376487147400067},
    {"FreePress", 0.16111568452898975},
    {"TolMin", 0.12016089893876018},
    {"NGOs", 0.036361052513200577},
    {"CPI", 0.1740827685692419},
    {"FemLab", 0.10528401559769088},
    {"WomParl", 0.11483714292514073},
    {"PubDebt", 0.051375568791605569},
    {"PrivDebt", 0.24202044979123921},
    {"GDPGrow", 0.22284271332601091},
    {"RDExp", 0.28080181983527336},
    {"NEET", 0.20295944825587087},
    {"Physical", 0.27269255929944636},
    {"ConEcFin", 0.23043675896876903},
    {"Political", 0.22070620282058778},
    {"Instit", 0.047144548161793295},
    {"P2P", 0.22901993074940349},
    {"Environ", 0.44949974891301647},
    {"Social", 0.27591917905659347},
    {"SusEcFin", 0.27458107203039017},
    {"Conn", 0.5},
    {"Sust", 0.5},
};
static const struct {
    const char *unit;
    double index;
} pca_index_expected[] = {
    {"AUT", 52.728318103430766},
    {"BEL", 53.0501758945232},
    {"BGR", 39.695933656751158},
};

static void pca_weights_every_level(void **s)
{
    static const char *const kv[] = {"denominate", "off", "weights", "pca", NULL};
    asem_run a;
    (void)s;
    asem_run_start(&a, ASEM, kv);
    for (size_t i = 0; i < sizeof(pca_expected) / sizeof(*pca_expected); i++) {
        long n = cym_framework_find(a.fw, pca_expected[i].code);
        assert_true(n >= 0);
        assert_close(a.r->weight[n], pca_expected[i].weight);
    }
    for (size_t i = 0; i < sizeof(pca_index_expected) / sizeof(*pca_index_expected); i++) {
        long u = cym_dataset_find_unit(a.ds, pca_index_expected[i].unit);
        assert_true(u >= 0);
        assert_close(a.r->score[cym_cube_cell(&a.r->node_cube, (size_t)u, 0, a.fw->root)],
                     pca_index_expected[i].index);
    }
    asem_run_end(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(coinr_default),
        cmocka_unit_test(coinr_denominated),
        cmocka_unit_test(coinr_zscore),
        cmocka_unit_test(coinr_geometric),
        cmocka_unit_test(coinr_group_mean_imputation),
        cmocka_unit_test(coinr_treated),
        cmocka_unit_test(coinr_treated_log_on_raw),
        cmocka_unit_test(coinr_dist2ref_missing_reference),
        cmocka_unit_test(coinr_panel),
        cmocka_unit_test(pca_weights_every_level),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
