/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every key of the run configuration, once (after redis's static_configs[]): its name and
 * INI section, its type with the bounds or names it allows, its default as text (read by the
 * key's own setter), its help (the "values" column of docs/cli.md, which
 * tests/unit/test_option_table.c renders from this table and compares with the docs), and
 * the field of cym_options it sets. The order is the order of the settings in manifest.json.
 *
 * A row's type is generic (text, path, int, long, double, enum, bool, a set of names, a
 * method spec, a list of alternatives) or one with a syntax of its own (option_types.c).
 * EXPECT is what the error message says the value should be; for enums and sets it comes
 * from the names.
 */
#include <float.h>

#include "config/options_internal.h"

#define KEY(n, s) .info.name = n, .info.section = s
#define FIELD(f) .offset = offsetof(cym_options, f), .size = sizeof(((cym_options *)0)->f)
#define DEF(t) .info.def = t
#define SHOWN(t) .info.def_doc = t
#define HELP(t) .info.help = t
#define EXPECT(t) .expect = t

#define TYPED(t, f, name) .type = &cym__t_##t, .info.type = name, FIELD(f)
#define STRING(f) TYPED(string, f, "string")
#define PATH(f) TYPED(path, f, "path")
#define INT(f, l, h) TYPED(int, f, "int"), .lo = l, .hi = h
#define LONG(f, l, h) TYPED(long, f, "long"), .lo = l, .hi = h
#define DOUBLE(f, l, h) TYPED(double, f, "double"), .lo = l, .hi = h
#define ENUM(f, n) TYPED(enum, f, "enum"), .names = n
#define BOOL(f) TYPED(enum, f, "bool"), .names = on_off
#define SET(f, n, always_on) TYPED(set, f, "list"), .names = n, .always = always_on
#define SPEC(f, c) TYPED(spec, f, "method-spec"), .codec = &cym__c_##c
#define ALTS(f, n, c, most)                                                                        \
    TYPED(list, f, "list"), .codec = &cym__c_##c, .count = offsetof(cym_options, n), .max = most
#define CUSTOM(t, f) TYPED(t, f, "custom")

/* yes/no and true/false as second spellings: `--quiet=yes` reads as a user means it */
static const cym__name on_off[] = {{"on", 1},   {"off", 0},    {"yes", 1}, {"no", 0},
                                   {"true", 1}, {"false", 0},  {NULL, 0}};
/* the names, because libinih reads " ;" as the start of a comment */
static const cym__name delimiter_names[] = {
    {"auto", 0}, {"comma", ','}, {"semicolon", ';'}, {"pipe", '|'}, {"tab", '\t'},
    {",", ','},  {";", ';'},     {"|", '|'},         {"\t", '\t'},  {NULL, 0}};
static const cym__name decimal_marks[] = {{"auto", 0}, {"point", '.'}, {"comma", ','},
                                          {".", '.'},  {",", ','},     {NULL, 0}};
static const cym__name off_zero[] = {{"off", 0}, {NULL, 0}};
static const cym__name on_off_auto[] = {{"on", 1}, {"off", 0}, {"auto", -1}, {NULL, 0}};
static const cym__name scope_names[] = {{"panel", 0}, {"year", 1}, {"auto", -1}, {NULL, 0}};
static const cym__name weight_kinds[] = {{"framework", CYM_WEIGHTS_FRAMEWORK},
                                    {"equal", CYM_WEIGHTS_EQUAL},
                                    {"pca", CYM_WEIGHTS_PCA},
                                    {NULL, 0}};
static const cym__name chart_formats[] = {
    {"png", CYM_CHARTS_PNG}, {"svg", CYM_CHARTS_SVG}, {"pdf", CYM_CHARTS_PDF}, {NULL, 0}};
static const cym__name table_formats[] = {{"csv", CYM_TABLES_CSV},   {"md", CYM_TABLES_MD},
                                   {"html", CYM_TABLES_HTML}, {"xlsx", CYM_TABLES_XLSX},
                                   {"json", CYM_TABLES_JSON}, {"sqlite", CYM_TABLES_SQLITE},
                                   {NULL, 0}};
/* the values of cym_audit_pairs (cymetrics/audit.h, a module config does not use) */
static const cym__name audit_pairs[] = {{"auto", 0}, {"within", 1}, {"all", 2}, {NULL, 0}};
static const cym__name sobol_modes[] = {{"on", 1}, {"off", 0}, {"countries", 2}, {NULL, 0}};
static const cym__name trend_bases[] = {
    {"all", CYM_TREND_BASIS_ALL}, {"common", CYM_TREND_BASIS_COMMON}, {NULL, 0}};
static const cym__name across_bases[] = {{"common", CYM_ACROSS_COMMON},
                                   {"rebased", CYM_ACROSS_REBASED},
                                   {"percentile", CYM_ACROSS_PERCENTILE},
                                   {NULL, 0}};

const cym__opt cym__opts[] = {
    /* [dataset] */
    {KEY("name", "dataset"), STRING(output.name), SHOWN("the folder name"),
     HELP("dataset name, used in the default output folder `reports/<name>/`: a plain name "
          "(no `/`)")},
    {KEY("title", "dataset"), STRING(output.title), SHOWN("empty"),
     HELP("title of the report and the charts")},
    {KEY("subtitle", "dataset"), STRING(output.subtitle), SHOWN("empty"),
     HELP("subtitle of the report and the charts")},
    {KEY("source", "dataset"), STRING(output.source), SHOWN("empty"),
     HELP("source line of the report and the charts")},
    {KEY("framework", "dataset"), PATH(framework), SHOWN("required"), HELP("framework CSV")},
    {KEY("countries", "dataset"), PATH(countries), SHOWN("`countries.csv` in the dataset folder"),
     HELP("countries CSV")},
    {KEY("data", "dataset"), PATH(data), SHOWN("the dataset folder"),
     HELP("folder of `<CODE>.csv` files, or one combined CSV")},
    {KEY("years", "dataset"), CUSTOM(years, run.year_from), SHOWN("all years in the data"),
     EXPECT("A-B, A-, -B or A, years 1900-2100"), HELP("`A-B`, `A-`, `-B` or `A`")},
    {KEY("delimiter", "dataset"), ENUM(delimiter, delimiter_names), DEF("auto"),
     EXPECT("'auto', ',', ';', '|' or 'tab', or comma, semicolon, pipe"),
     HELP("field separator of countries and data files: `auto` (each file's own, from its "
          "header: `,`, `;` or a tab), or `,`, `;`, `|`, `tab` forced for all of them (in an INI "
          "file write `semicolon`, `comma`, `pipe`: libinih reads ` ;` as a comment)")},
    {KEY("decimal", "dataset"), ENUM(decimal, decimal_marks), DEF("auto"),
     EXPECT("'auto', '.' or ',', or point, comma"),
     HELP("decimal mark of data values: `auto` (each file's own: `,` in a file not separated "
          "by `,` whose first rows write numbers only with a decimal comma, else `.`), or `.` "
          "or `,` (`point`, `comma`) forced; with `,` a `.` in a value is an error")},
    /* [run] */
    {KEY("denominate", "run"), ENUM(run.denominate, on_off_auto), DEF("auto"),
     HELP("`on`, `off`, `auto` (on when the framework names denominators)")},
    {KEY("impute", "run"), SPEC(run.impute, impute), DEF("none"),
     HELP("`none`, `mean`, `median`, `group-mean:COL`, `group-median:COL`, `locf[:K]`, "
          "`linear`, `constant:V`")},
    {KEY("treat", "run"), SPEC(run.treat, treat), DEF("none"), HELP("`none`, `winsorise`")},
    {KEY("winmax", "run"), INT(run.treat_spec.winmax, 0, 1000000), DEF("5"),
     EXPECT("a whole number >= 0"), HELP("most points winsorised per indicator")},
    {KEY("skew-max", "run"), DOUBLE(run.treat_spec.skew_max, 0, DBL_MAX), .flags = CYM__OPT_LO_OPEN,
     DEF("2"), EXPECT("a positive number"), HELP("threshold of the skewness test")},
    {KEY("kurt-max", "run"), DOUBLE(run.treat_spec.kurt_max, 0, DBL_MAX), .flags = CYM__OPT_LO_OPEN,
     DEF("3.5"), EXPECT("a positive number"), HELP("threshold of the kurtosis test")},
    {KEY("normalise", "run"), SPEC(run.norm, norm), DEF("minmax"),
     HELP("`minmax`, `zscore[:M,S]`, `goalposts`, `rank`, `borda`, `percentile`, `dist2max`, "
          "`dist2ref:CODE[:cap]`, `dist2target`, `fracmax`, `none`")},
    {KEY("range", "run"), CUSTOM(range, run.norm), DEF("0,100"),
     EXPECT("L,U with L < U, e.g. 0,100"), HELP("`L,U`, output range of the normalisation")},
    {KEY("scope", "run"), ENUM(run.scope, scope_names), DEF("auto"),
     SHOWN("`auto`: panel with several years"),
     HELP("`panel` (pooled over the years), `year`, `auto`")},
    {KEY("reference-years", "run"), CUSTOM(refyears, run.ref_from), DEF("none"),
     SHOWN("none: bounds from the years normalised"), EXPECT("A-B or A, years 1900-2100"),
     HELP("`A-B` or `A`: the normalisation bounds are computed on these years only and "
          "applied, capped, to every year, so adding a year leaves earlier scores as they "
          "were (`minmax`, `dist2max`, `zscore`; see methodology.md)")},
    {KEY("goalposts", "run"), PATH(goalposts), SHOWN("none"),
     HELP("a `goalposts.csv` of an earlier run: its bounds normalise every year, capped "
          "(see formats.md); not with `reference-years`")},
    {KEY("aggregate", "run"), SPEC(run.agg, agg), DEF("arithmetic"), .flags = CYM__OPT_MARKS,
     .mark = offsetof(cym_options, has_agg),
     HELP("`arithmetic`, `geometric`, `harmonic`, `power:P`, `sum`, `min`, `copeland`, "
          "`mazziotta-pareto`; a framework `method` overrides it per node")},
    {KEY("weights", "run"), ENUM(run.weights, weight_kinds), DEF("framework"),
     HELP("`framework`, `equal`, `pca`")},
    {KEY("min-coverage", "run"), DOUBLE(run.min_coverage, 0, 1), DEF("0"),
     EXPECT("a number from 0 to 1"),
     HELP("0..1, least share of the weight of an aggregate's direct children with a score for "
          "it to be computed (COINr's data-availability threshold; not `coverage`)")},
    {KEY("coverage-flag", "run"), DOUBLE(run.coverage_flag, 0, 1), .names = off_zero,
     DEF("0.66"), EXPECT("a number from 0 to 1, or off"),
     HELP("0..1 or `off`: a country-year whose index has data for less than this share of its "
          "effective weight is computed but flagged (warning, marks, left out of the findings' "
          "superlatives and the targets)")},
    {KEY("target-flagged", "run"), BOOL(run.target_flagged), DEF("off"),
     HELP("`on`: `cymetrics target` and `next_tier.csv` also advise a country-year flagged by "
          "`coverage-flag`")},
    {KEY("tiers", "run"), CUSTOM(tiers, run.tiers), DEF("none"),
     HELP("`T:LABEL,...` highest first, `pT:LABEL,...` percentiles, `gci2024`, `none`")},
    {KEY("rank-ties", "run"), CUSTOM(ties, run.ties), DEF("min"),
     EXPECT("min, dense or ordinal:CODE"),
     HELP("`min` (1,2,2,4), `dense` (1,2,2,3), `ordinal:CODE`")},
    /* [output] */
    {KEY("out", "output"), PATH(out), SHOWN("`reports/<name>/`"),
     HELP("output folder of every command that writes; in an INI file only a folder under "
          "`reports/`, elsewhere only with `--out`; never an input folder")},
    {KEY("charts", "output"), SET(output.charts, chart_formats, 0), DEF("png"),
     HELP("chart formats, `png`, `svg`, `pdf` separated by commas, or `none`")},
    {KEY("highlight", "output"), TYPED(codes, output.highlight, "list"), SHOWN("the five leaders"),
     EXPECT("country codes separated by commas"),
     HELP("country codes drawn in colour in every chart, at most 12 (one colour each)")},
    {KEY("tables", "output"), SET(output.tables, table_formats, CYM_TABLES_CSV), DEF("csv,md,html,xlsx,json"),
     HELP("formats of the summary tables, separated by commas: `csv` (the machine tables, "
          "always written), `md` (`tables.md`), `html` (`tables.html`), `xlsx` "
          "(`results.xlsx`), `json` (`results.json`), `sqlite` (`results.sqlite`: every CSV "
          "table of the run in one database); or `none` for the CSV tables only")},
    {KEY("decimals", "output"), INT(output.decimals, 0, 6), DEF("1"),
     EXPECT("a whole number from 0 to 6"),
     HELP("decimals of scores and changes in the human tables and the report, 0-6 (machine "
          "tables keep every digit that matters)")},
    {KEY("report", "output"), BOOL(output.report), DEF("on"),
     HELP("`on`: `run` writes `report.html` and `report.md`; `off`")},
    {KEY("audit-pairs", "output"), ENUM(output.audit_pairs, audit_pairs), DEF("auto"),
     HELP("pairs of indicators in `audit/correlations.csv`: `auto` (all while at most 20,000 "
          "over the years, else `within`), `within` (the indicators of each parent of at most "
          "100 children with each other), `all` (every pair: grows with the square)")},
    /* [uncertainty] */
    {KEY("runs", "uncertainty"), LONG(unc.runs, 2, 100000000), DEF("1000"),
     EXPECT("a whole number from 2 to 100000000"),
     HELP("replications (with `sobol`, the base sample N), 2 to 100,000,000")},
    {KEY("seed", "uncertainty"), TYPED(seed, unc.seed, "int"), DEF("1"),
     EXPECT("a whole number >= 0"),
     HELP("random seed, a whole number; the results do not depend on `threads`")},
    {KEY("weight-noise", "uncertainty"), CUSTOM(noise, unc.weight_noise), DEF("0"), SHOWN("off"),
     EXPECT("F or F:LEVELS with 0 <= F < 1, e.g. 0.25 or 0.25:1,2, or experts"),
     HELP("`F` or `F:LEVELS`: each weight w becomes w (1 + U(-F, F)), 0 <= F < 1, at every "
          "level below the index or at the levels listed (`0.25:1,2`; 1 = indicators); or "
          "`experts`: each replication takes, for every aggregate, the weights of one expert "
          "of `expert-weights` drawn at random")},
    {KEY("alt-normalise", "uncertainty"), ALTS(unc.norm, unc.n_norm, norm, CYM_MAX_ALTS),
     SHOWN("off"),
     EXPECT("a comma-separated list of at most 8 methods, e.g. minmax,zscore:10,2"),
     HELP("list of `normalise` values, e.g. `minmax,zscore:10,2` (a field that is only a "
          "number belongs to the method before it)")},
    {KEY("alt-aggregate", "uncertainty"), ALTS(unc.agg, unc.n_agg, agg, CYM_MAX_ALTS),
     SHOWN("off"),
     EXPECT("a comma-separated list of at most 8 methods, e.g. arithmetic,geometric"),
     HELP("list of `aggregate` values, e.g. `arithmetic,geometric`")},
    {KEY("alt-impute", "uncertainty"), ALTS(unc.impute, unc.n_impute, impute, CYM_MAX_ALTS),
     SHOWN("off"), EXPECT("a comma-separated list of at most 8 methods, e.g. none,mean,linear"),
     HELP("list of `impute` values, e.g. `none,mean`")},
    {KEY("alt-treat", "uncertainty"), ALTS(unc.treat, unc.n_treat, treat, 2),
     .flags = CYM__OPT_WHOLE, SHOWN("off"), EXPECT("none,winsorise (or one of them)"),
     HELP("`none,winsorise` (or one of them)")},
    {KEY("exclude-one", "uncertainty"), BOOL(unc.exclude), DEF("off"),
     HELP("`on`: each replication leaves out one indicator at random")},
    {KEY("sobol", "uncertainty"), ENUM(unc.sobol, sobol_modes), DEF("off"),
     HELP("`on` (sensitivity of the mean absolute rank shift), `countries` (also of each "
          "country's rank), `off`")},
    {KEY("threads", "uncertainty"), INT(unc.threads, 0, 1024), DEF("0"),
     EXPECT("a whole number from 0 (every core) to 1024"),
     HELP("threads of the Monte Carlo, 0 = every core")},
    {KEY("keep-runs", "uncertainty"), BOOL(unc.keep_runs), DEF("off"),
     HELP("`on`: also write every replication to `runs.csv`")},
    /* [trends] */
    {KEY("trend-basis", "trends"), ENUM(trend.basis, trend_bases), DEF("all"),
     HELP("`all` (each year's scores as computed), `common` (each pair of years on the "
          "indicators present in both, per country, chain-linked)")},
    {KEY("trend-level", "trends"), DOUBLE(trend.level, 0, 1),
     .flags = CYM__OPT_LO_OPEN | CYM__OPT_HI_OPEN, DEF("0.05"),
     EXPECT("a number between 0 and 1, e.g. 0.05"),
     HELP("significance level of `direction` (Mann-Kendall); the OLS interval is 1 - level")},
    {KEY("strengths-n", "trends"), INT(trend.strengths_n, 1, 1000), DEF("3"),
     EXPECT("a whole number from 1 to 1000"),
     HELP("strengths and weaknesses listed per country, 1-1000")},
    {KEY("compare-group", "trends"), TYPED(column, trend.group, "string"), SHOWN("the first"),
     EXPECT("a column name of countries.csv"),
     HELP("group column of `countries.csv` for the group mean in `compare.csv`")},
    {KEY("yoy", "trends"), BOOL(trend.yoy), DEF("off"),
     HELP("`on`: `run` and `trends` also write `yoy.csv`, each score's change from its "
          "previous year (the largest table; its country rows follow from `scores.csv`, see "
          "formats.md)")},
    /* expert weight sets (issue 9) */
    {KEY("expert-weights", "run"), PATH(expert_weights), SHOWN("none"),
     HELP("an expert weight set: CSV `code,expert_1,expert_2,...` (see formats.md); the "
          "combined weights replace the framework's (needs `weights = framework`)")},
    {KEY("weight-combine", "run"), TYPED(combine, weight_combine, "enum"), DEF("mean"),
     EXPECT("mean or median"),
     HELP("`mean` or `median`: how the experts' weights of a node are combined")},
    /* framework editions and published composites (issue 9) */
    {KEY("crosswalk", "framework"), PATH(edition.crosswalk), SHOWN("none"),
     HELP("`old_code,new_code,factor` file between editions")},
    {KEY("edition", "framework"), CUSTOM(edition, edition.ed), .flags = CYM__OPT_NO_INI,
     SHOWN("none: `framework` for every year"),
     EXPECT("YEARS=FRAMEWORK, e.g. 2020-=indicators/x-v2.csv"),
     HELP("a framework edition for the years given: `YEARS = FILE` in an INI file (e.g. "
          "`2017-2019 = indicators/x-v1.csv`), `--edition YEARS=FILE` on the command line "
          "(repeatable); see formats.md")},
    {KEY("across-editions", "trends"), ENUM(edition.across, across_bases), DEF("common"),
     HELP("basis of trends across an edition break: `common`, `rebased`, `percentile`")},
    {KEY("check-total", "run"), TYPED(totals, edition.check_total, "list"), SHOWN("off"),
     EXPECT("SERIES or SERIES:NODE codes separated by commas"),
     HELP("`SERIES[:NODE],...`: published totals in the data to check against the computed "
          "scores (NODE: the index)")},
    {KEY("check-tolerance", "run"), DOUBLE(edition.check_tolerance, 0, DBL_MAX), DEF("0.005"),
     EXPECT("a number >= 0, e.g. 0.005"), HELP("absolute tolerance of `check-total`")},
    /* a subset of the countries (issue 16) */
    {KEY("select", "dataset"), CUSTOM(select, select), SHOWN("every country"),
     EXPECT("country codes or COLUMN=VALUE of countries.csv separated by commas, e.g. "
            "JPN,region=ASEAN"),
     HELP("countries to read and rank: codes (any case) or `COLUMN=VALUE` of `countries.csv` "
          "(`region=ASEAN`), separated by commas; repeatable, a country is read when any item "
          "names it; the data files of the others are skipped, and ranks are within the "
          "selection")},
    /* [forms] */
    {KEY("year", "forms"), INT(forms.year, 0, 2100), DEF("0"),
     SHOWN("the latest year of the data + 1"), EXPECT("a year from 1900 to 2100, or 0"),
     HELP("the year `cymetrics forms` asks for, 1900-2100; `0`: the latest year of the data + 1")},
    {KEY("country", "forms"), STRING(forms.country), SHOWN("every country"),
     HELP("the countries `cymetrics forms` writes a form for: codes (any case) separated by "
          "commas")},
    /* [collect] */
    {KEY("review", "collect"), PATH(collect.review),
     SHOWN("`.collect/review-<year>.csv` in the dataset folder"),
     HELP("where `cymetrics collect` writes its review of the changes, a CSV file, or `-` for "
          "the standard output")},
    {KEY("dry-run", "collect"), BOOL(collect.dry_run), DEF("off"),
     HELP("`on`: `cymetrics collect` writes the review only and replaces no file")},
};

const size_t cym__n_opts = sizeof(cym__opts) / sizeof(*cym__opts);
