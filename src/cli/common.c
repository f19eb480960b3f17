/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The prologue every command shares (cli_begin): one parser for `CMD [DATASET_DIR] [--config
 * FILE] [--KEY VALUE | --KEY=VALUE]...`, where every KEY is a configuration key (so a yearly
 * run is one INI file and any of its settings can be overridden for one run) or a flag of the
 * command's own table; then --help, the settings, the load and the pipeline, as far as the
 * command's spec asks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/util.h"
#include "cymetrics/experts.h"
#include "ranks/ranks.h"

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The key of an override, without a trailing "=value". */
static void override_key(char *key, size_t n, const char *arg)
{
    size_t len = strcspn(arg, "=");
    if (len >= n)
        len = n - 1;
    memcpy(key, arg, len);
    key[len] = '\0';
}

int cli_fail(cym_status st, const cym_error *err)
{
    char buf[CYM_ERROR_FILE_MAX + CYM_ERROR_MESSAGE_MAX + 64];
    cym_error_format(buf, sizeof(buf), err);
    fprintf(stderr, "cymetrics: %s\n", buf);
    return cym_error_exit_code(st);
}

void cli_warning(const cli_ctx *c, const char *fmt, ...)
{
    va_list ap;
    if (c->a.quiet)
        return;
    fputs("cymetrics: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fputs("cymetrics: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'cymetrics %s%s--help'.\n", command ? command : "", command ? " " : "");
    return EXIT_USAGE;
}

static int is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* The row of `opts` named `name`, or NULL. */
static const cli_opt *find_opt(const cli_opt *opts, const char *name)
{
    for (; opts && opts->arg; opts++)
        if (opts->type == CLI_OPT_VALUE && strcmp(name, opts->name) == 0)
            return opts;
    return NULL;
}

static int take(cli_args *a, const cli_opt *opt, const char *value)
{
    if (opt->value)
        *opt->value = value;
    return opt->check ? opt->check(a, value) : 0;
}

/* --quiet takes what an on/off key takes (`--quiet=yes`); 1, 0, or -1 for anything else */
static int on_off(const char *value)
{
    static const char *const on[] = {"on", "yes", "true"}, *const off[] = {"off", "no", "false"};
    for (size_t i = 0; i < sizeof(on) / sizeof(*on); i++) {
        if (strcmp(value, on[i]) == 0)
            return 1;
        if (strcmp(value, off[i]) == 0)
            return 0;
    }
    return -1;
}

/* "unknown option '--NAME'", with the closest option of the command when one is near */
static int unknown_option(const char *command, const char *name, const cli_opt *opts,
                          int dataset)
{
    cym__suggest s;
    const char *hint;
    cym__suggest_init(&s, name);
    for (const cli_opt *o = opts; o && o->arg; o++)
        if (o->type == CLI_OPT_VALUE)
            cym__suggest_add(&s, o->name);
    cym__suggest_add(&s, "help");
    if (dataset) {
        cym__suggest_add(&s, "config");
        cym__suggest_add(&s, "quiet");
        cym__suggest_add(&s, cym_options_suggest(name));
    }
    hint = s.best;
    if (hint)
        return cli_usage_error(command, "unknown option '--%s' (did you mean '--%s'?)", name,
                               hint);
    return cli_usage_error(command, "unknown option '--%s'", name);
}

/* "option '--KEY' needs a value", with what it takes */
static int needs_value(const char *command, const char *key, const char *what)
{
    char expect[256];
    if (!what && cym_options_is_key(key))
        what = cym_options_expect(expect, sizeof(expect), key);
    if (what)
        return cli_usage_error(command, "option '--%s' needs a value (%s)", key, what);
    return cli_usage_error(command, "option '--%s' needs a value", key);
}

/*
 * Parses argv[2..argc) of `command` as getopt_long would: its own flags `opts` (or NULL),
 * --help; with `dataset` also DATASET_DIR, --config, --quiet and every option key.
 * `--NAME VALUE` and `--NAME=VALUE`; an on/off key is a flag (`--sobol` is on, `--no-sobol`
 * off) that takes the next argument only when that is one of its values (`--report off`);
 * a value is never an argument starting with `--` unless written with `=`; `--` ends the
 * options. `max_positional` further positional arguments are allowed (after the dataset
 * folder). Returns 0, or an exit code after printing the error.
 */
static int parse(cli_args *a, const char *command, const cli_opt *opts, int dataset,
                 int max_positional, int argc, char **argv)
{
    size_t cap = (size_t)(argc > 0 ? argc : 1);
    int i = 2, rc, options = 1;
    const char *flag = NULL; /* the on/off key given bare just before argv[i] */
    memset(a, 0, sizeof(*a));
    a->command = command;
    a->max_positional = max_positional;
    a->keys = calloc(cap, sizeof(char *));
    a->values = calloc(cap, sizeof(char *));
    a->positional = calloc(cap, sizeof(char *));
    if (!a->keys || !a->values || !a->positional) {
        fprintf(stderr, "cymetrics: out of memory\n");
        return EXIT_INTERNAL;
    }
    for (const cli_opt *lead = opts; lead && lead->arg; lead++) {
        if (lead->type != CLI_OPT_LEAD)
            continue;
        /* the word must come first: a folder or an option there is a missing word */
        if (i < argc && is_help(argv[i])) {
            a->help = 1;
            return 0;
        }
        if (i >= argc || argv[i][0] == '-')
            return cli_usage_error(command, "%s", lead->help);
        if ((rc = take(a, lead, argv[i++])) != 0)
            return rc;
    }
    for (; i < argc; i++) {
        const char *arg = argv[i], *value = NULL, *eq;
        const char *bare = flag;
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        const cli_opt *opt;
        char name[64];
        size_t len;
        int no;
        flag = NULL;
        if (options && strcmp(arg, "--") == 0) {
            options = 0;
            continue;
        }
        if (options && is_help(arg)) {
            a->help = 1;
            continue;
        }
        if (options && dataset && strcmp(arg, "-q") == 0) {
            a->quiet = 1;
            continue;
        }
        if (!options || arg[0] != '-' || arg[1] == '\0') {
            if (dataset && !a->dataset_dir && (a->max_positional == 0 || is_dir(arg))) {
                a->dataset_dir = arg;
                continue;
            }
            if (a->n_positional >= a->max_positional && bare) {
                char expect[256];
                return cli_usage_error(command,
                                       "unexpected argument '%s' ('--%s' takes %s; alone it "
                                       "means on)",
                                       arg, bare, cym_options_expect(expect, sizeof(expect), bare));
            }
            if (a->n_positional >= a->max_positional)
                return cli_usage_error(command, "unexpected argument '%s'", arg);
            a->positional[a->n_positional++] = arg;
            continue;
        }
        if (arg[1] != '-')
            return cli_usage_error(command, "unknown option '%s'", arg);
        eq = strchr(arg + 2, '=');
        len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        if (len >= sizeof(name))
            return cli_usage_error(command, "unknown option '%s'", arg);
        memcpy(name, arg + 2, len);
        name[len] = '\0';
        if (eq)
            value = eq + 1;
        /* a value from the next argument, unless it is an option */
        if (!eq && next && strncmp(next, "--", 2) != 0)
            value = next;
        if ((opt = find_opt(opts, name)) != NULL) {
            if (!value)
                return needs_value(command, name, opt->arg);
            i += !eq;
            if ((rc = take(a, opt, value)) != 0)
                return rc;
            continue;
        }
        if (!dataset)
            return unknown_option(command, name, opts, dataset);
        no = strncmp(name, "no-", 3) == 0 &&
             (strcmp(name + 3, "quiet") == 0 || cym_options_is_flag(name + 3));
        if (no && eq)
            return cli_usage_error(command, "option '--%s' takes no value", name);
        if (strcmp(name + (no ? 3 : 0), "quiet") == 0) {
            /* a flag as the on/off keys are: the next argument is its value only when it is
               one */
            if (no)
                value = "off";
            else if (!eq && value && on_off(value) >= 0)
                i++;
            else if (!eq)
                value = "on";
            if ((a->quiet = on_off(value)) < 0)
                return cli_usage_error(command, "invalid quiet '%s' (expected on or off)",
                                       value);
            continue;
        }
        if (strcmp(name, "config") == 0) {
            if (!value)
                return needs_value(command, name, "FILE");
            i += !eq;
            a->config = value;
            continue;
        }
        if (no) {
            a->keys[a->n_overrides] = arg + 5; /* after "--no-" */
            a->values[a->n_overrides++] = "off";
            continue;
        }
        if (!cym_options_is_key(name))
            return unknown_option(command, name, opts, dataset);
        if (!eq && cym_options_is_flag(name)) {
            /* `--sobol` alone is on; `--report off` keeps working */
            value = value && cym_options_accepts(name, value) ? value : NULL;
            i += value != NULL;
            if (!value) {
                value = "on";
                flag = arg + 2; /* no "=": the name alone */
            }
        } else if (!value) {
            return needs_value(command, name, NULL);
        } else {
            i += !eq;
        }
        a->keys[a->n_overrides] = arg + 2; /* may go on with "=value": see override_key */
        a->values[a->n_overrides++] = value;
    }
    return 0;
}

int cli_given(const cli_args *a, const char *key)
{
    size_t n = strlen(key);
    for (int i = 0; i < a->n_overrides; i++)
        if (strncmp(a->keys[i], key, n) == 0 && (a->keys[i][n] == '\0' || a->keys[i][n] == '='))
            return 1;
    return 0;
}

/* Last path component of `path` without trailing slashes, into `out`. */
static void base_name(char *out, size_t n, const char *path)
{
    size_t len = strlen(path);
    const char *start;
    while (len > 1 && path[len - 1] == '/')
        len--;
    start = path + len;
    while (start > path && start[-1] != '/')
        start--;
    len = (size_t)(path + len - start);
    if (len >= n)
        len = n - 1;
    memcpy(out, start, len);
    out[len] = '\0';
}

static int set_path(char *dst, size_t n, const char *dir, const char *name)
{
    int w = snprintf(dst, n, "%s/%s", dir, name);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

/*
 * The sections whose keys only their own command reads: `--country` on `run` would be taken
 * and do nothing. A command takes them when its spec lists the section.
 */
static int foreign_key(const char *key, const char *sections)
{
    static const char *const own[] = {"forms", "collect"};
    const char *sec = cym_options_section(key);
    size_t n;
    if (!sec)
        return 0;
    n = strlen(sec);
    for (size_t i = 0; i < sizeof(own) / sizeof(*own); i++) {
        const char *p = sections;
        if (strcmp(sec, own[i]) != 0)
            continue;
        while (p && (p = strstr(p, sec)) != NULL) {
            if ((p == sections || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
                return 0;
            p += n;
        }
        return 1;
    }
    return 0;
}

/* Resolves configuration, paths and overrides into `o`; `sections` are the spec's keys.
   Returns 0 or an exit code. */
static int cli_options(cym_options *o, const cli_args *a, const char *sections)
{
    cym_error err;
    cym_status st;
    char ini[CYM_PATH_MAX];

    cym_error_clear(&err);
    cym_options_default(o);
    if (a->config) {
        st = cym_options_load_ini(o, a->config, &err);
        if (st < 0)
            return cli_fail(st, &err);
    } else if (a->dataset_dir) {
        if (set_path(ini, sizeof(ini), a->dataset_dir, "cymetrics.ini") < 0)
            return cli_usage_error(a->command, "dataset path too long");
        if (is_file(ini)) {
            st = cym_options_load_ini(o, ini, &err);
            if (st < 0)
                return cli_fail(st, &err);
        }
    }
    if (a->dataset_dir) {
        if (!is_dir(a->dataset_dir))
            return cli_usage_error(a->command, "'%s' is not a dataset folder", a->dataset_dir);
        if (!o->countries[0] &&
            set_path(o->countries, sizeof(o->countries), a->dataset_dir, "countries.csv") < 0)
            return cli_usage_error(a->command, "dataset path too long");
        if (!o->data[0])
            snprintf(o->data, sizeof(o->data), "%s", a->dataset_dir);
        if (!o->output.name[0])
            base_name(o->output.name, sizeof(o->output.name), a->dataset_dir);
    }
    for (int i = 0; i < a->n_overrides; i++) {
        char key[64];
        override_key(key, sizeof(key), a->keys[i]);
        if (foreign_key(key, sections))
            return cli_usage_error(a->command, "--%s is an option of 'cymetrics %s', not of "
                                               "'%s'", key, cym_options_section(key),
                                   a->command);
        st = cym_options_set(o, key, a->values[i], &err);
        if (st < 0) {
            char buf[CYM_ERROR_MESSAGE_MAX + 64];
            cym_error_format(buf, sizeof(buf), &err);
            return cli_usage_error(a->command, "--%s: %s", key, buf);
        }
    }
    if (!o->output.name[0] && o->config[0]) {
        char dir[CYM_PATH_MAX];
        snprintf(dir, sizeof(dir), "%s", o->config);
        if (strrchr(dir, '/'))
            *strrchr(dir, '/') = '\0';
        else
            strcpy(dir, ".");
        base_name(o->output.name, sizeof(o->output.name), dir);
    }
    if (!o->data[0] && o->countries[0]) {
        /* countries given alone: the data sits beside it */
        snprintf(o->data, sizeof(o->data), "%s", o->countries);
        if (strrchr(o->data, '/'))
            *strrchr(o->data, '/') = '\0';
        else
            strcpy(o->data, ".");
    }
    if (!o->countries[0] && o->data[0] && is_dir(o->data) &&
        set_path(o->countries, sizeof(o->countries), o->data, "countries.csv") < 0)
        return cli_usage_error(a->command, "data path too long");
    if (!o->framework[0] && !o->edition.n)
        return cli_usage_error(a->command,
                               "no framework: give --framework FILE, or set 'framework' in "
                               "[dataset] of the dataset's cymetrics.ini");
    if (!o->countries[0] || !o->data[0])
        return cli_usage_error(a->command,
                               "no dataset: give a DATASET_DIR, --config FILE, or --countries "
                               "FILE with --data DIR|FILE");
    if (!o->output.name[0]) {
        size_t len;
        base_name(o->output.name, sizeof(o->output.name), o->data);
        len = strlen(o->output.name);
        if (len > 4 && strcmp(o->output.name + len - 4, ".csv") == 0)
            o->output.name[len - 4] =
                '\0'; /* a combined data file: name the dataset without .csv */
    }
    return 0;
}

/* A failure of the load: printed, or with a list of errors added to it. The exit code. */
static int load_fail(cym_error_list *errors, cym_status st, const cym_error *err)
{
    if (!errors)
        return cli_fail(st, err);
    cym_error_list_add(errors, err);
    return cym_error_exit_code(st);
}

/*
 * Loads framework and dataset named by `o`. Returns 0 or an exit code (error printed, or in
 * `errors` when it is not NULL: the dataset's load then goes on after errors of the data).
 */
static int cli_load(cym_framework **fw, cym_dataset **ds, const cym_options *o,
                    cym_error_list *errors)
{
    cym_error err;
    cym_status st;
    cym_dataset_paths paths;
    cym_dataset_options dopt = CYM_DATASET_OPTIONS_INIT;
    cym_dataset_filter flt; /* --check-total's series; outlives the block that fills it */
    const char *extra[16];
    char buf[256];
    size_t before;

    *fw = NULL;
    *ds = NULL;
    cym_error_clear(&err);
    if (!o->framework[0] && o->edition.n)
        return cli_usage_error(NULL, "the dataset declares framework editions ([framework] of "
                                     "its cymetrics.ini): 'run' and 'validate' read them; give "
                                     "--framework FILE to use one edition here");
    st = cym_framework_load(fw, o->framework, &err);
    if (st < 0)
        return load_fail(errors, st, &err);
    if (o->expert_weights[0]) {
        /* the experts' combined weights replace the framework's (issue 9) */
        if (o->run.weights != CYM_WEIGHTS_FRAMEWORK) {
            cym_framework_free(*fw);
            *fw = NULL;
            return cli_usage_error(NULL,
                                   "--expert-weights replaces the framework's weights: "
                                   "it needs --weights framework, not %s",
                                   o->run.weights == CYM_WEIGHTS_PCA ? "pca" : "equal");
        }
        st = cym_framework_load_experts(*fw, o->expert_weights,
                                        (cym_weight_combine)o->weight_combine, &err);
        if (st < 0) {
            cym_framework_free(*fw);
            *fw = NULL;
            return load_fail(errors, st, &err);
        }
    }
    paths.countries = o->countries;
    paths.data = o->data;
    dopt.format.delimiter = o->delimiter;
    dopt.format.decimal = o->decimal;
    memset(&flt, 0, sizeof(flt));
    if (o->edition.check_total[0]) {
        /* --check-total: the published series are read beside the items */
        snprintf(buf, sizeof(buf), "%s", o->edition.check_total);
        for (char *p = buf; *p && flt.n_extra < 16;) {
            size_t len = strcspn(p, ",");
            int more = p[len] == ',';
            p[len] = '\0';
            if (strchr(p, ':'))
                *strchr(p, ':') = '\0';
            extra[flt.n_extra++] = p;
            p += len + more;
        }
        flt.extra = extra;
        dopt.filter = &flt;
    }
    dopt.errors = errors;
    dopt.years_from = o->run.year_from; /* --years: the span bound looks at those years */
    dopt.years_to = o->run.year_to;
    before = errors ? errors->total : 0;
    if (o->select[0]) { /* --select: the countries read, and ranked */
        flt.select = o->select;
        dopt.filter = &flt;
    }
    st = cym_dataset_load(ds, *fw, &paths, &dopt, &err);
    if (st < 0) {
        cym_framework_free(*fw);
        *fw = NULL;
        /* going on after errors, the dataset put each one in the list (but a usage error of
           the options, found before reading) */
        return errors && errors->total > before ? cym_error_exit_code(st)
                                                : load_fail(errors, st, &err);
    }
    return 0;
}

static void cli_outdir(char *buf, size_t n, const cym_options *o)
{
    if (o->out[0])
        snprintf(buf, n, "%s", o->out);
    else
        snprintf(buf, n, "reports/%s", o->output.name);
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *cli_clean(char *buf, size_t n, const char *text)
{
    cym__text_escape(buf, n, text);
    return buf;
}

const char *cli_pad(char *buf, size_t n, const char *text, size_t width)
{
    size_t len, w;
    cli_clean(buf, n, text);
    len = strlen(buf);
    for (w = cym__display_width(buf); w < width && len + 1 < n; w++)
        buf[len++] = ' ';
    buf[len] = '\0';
    return buf;
}

cym_editions_options cli_editions_options(const cym_options *o)
{
    cym_editions_options eo = {.spec = &o->edition, .run = o->run};
    eo.paths.countries = o->countries;
    eo.paths.data = o->data;
    eo.format.delimiter = o->delimiter;
    eo.format.decimal = o->decimal;
    return eo;
}

void cli_print_results(const cym_options *o, const char *outdir)
{
    /* the files a reader opens first, the report first: the last lines of the console */
    static const struct {
        unsigned table; /* 0: the report's */
        const char *name;
    } main_files[] = {{0, "report.html"},
                      {CYM_TABLES_HTML, "tables.html"},
                      {CYM_TABLES_XLSX, "results.xlsx"},
                      {CYM_TABLES_SQLITE, "results.sqlite"},
                      {CYM_TABLES_CSV, "index.csv"}};
    char b[CYM_ERROR_MESSAGE_MAX];
    if (o->output.source[0])
        printf("source: %s\n", cli_clean(b, sizeof(b), o->output.source));
    printf("results: %s/\n", outdir);
    for (size_t i = 0; i < sizeof(main_files) / sizeof(*main_files); i++)
        if (main_files[i].table ? (o->output.tables & main_files[i].table) != 0
                                : o->output.report != 0)
            printf("  %s/%s\n", outdir, main_files[i].name);
}

int cli_begin(cli_ctx *c, const cli_cmd *cmd, int argc, char **argv)
{
    const cli_spec *spec = cmd->spec;
    int rc;
    memset(c, 0, sizeof(*c));
    c->cmd = cmd;
    c->t0 = cli_now();
    if (spec->stage == CLI_STAGE_NONE)
        return 0;
    rc = parse(&c->a, cmd->name, spec->opts, spec->dataset, spec->max_args, argc, argv);
    if (rc)
        return rc;
    if (c->a.help) {
        cli_help(stdout, cmd);
        return -1;
    }
    /* the other ranks of an MPI job print only their errors: rank 0 speaks for the job */
    if (cym__ranks_rank() != 0)
        c->a.quiet = 1;
    c->stage = CLI_STAGE_PARSE;
    return cli_advance(c, spec->stage);
}

int cli_advance(cli_ctx *c, cli_stage to)
{
    cym_error err;
    cym_status st;
    int rc = 0;
    cym_error_clear(&err);
    /* the command line is parsed by cli_begin alone: a command without one goes no further */
    if (c->stage == CLI_STAGE_NONE)
        return 0;
    while (c->stage < to) {
        cli_stage next = (cli_stage)(c->stage + 1);
        if (next == CLI_STAGE_SETTINGS) {
            if ((rc = cli_options(&c->o, &c->a, c->cmd->spec->keys)) != 0)
                return rc;
            cli_outdir(c->outdir, sizeof(c->outdir), &c->o);
            /* rank 0 alone writes in an MPI job, so it alone takes the output folder */
            if (c->cmd->spec->writes && cym__ranks_rank() == 0) {
                if ((rc = cli_guard_outdir(c)) != 0)
                    return rc;
                /* the lock and the check of the output folder before any work */
                if ((st = cym_run_set_begin(&c->set, c->outdir, &err)) < 0)
                    return cli_fail(st, &err);
                c->wdir = cym_run_set_path(c->set);
            }
        } else if (next == CLI_STAGE_LOAD) {
            cli_threads_start();
            if ((rc = cli_load(&c->fw, &c->ds, &c->o, c->errors)) != 0)
                return rc;
            if (c->o.goalposts[0]) {
                if ((st = cym_goalposts_load(&c->gp, c->o.goalposts, c->fw, &err)) < 0)
                    return cli_fail(st, &err);
                c->o.run.goalposts = c->gp;
            }
            c->t_load = cli_now();
        } else if (next == CLI_STAGE_PIPELINE) {
            /* from here on nothing names a data line: their cube is memory at the peak */
            cym_dataset_drop_lines(c->ds);
            st = cym_pipeline_run(&c->res, c->ds, &c->o.run, &err);
            c->t_pipe = cli_now();
            if (st < 0)
                return cli_fail(st, &err);
        }
        c->stage = next;
    }
    return 0;
}

int cli_commit(cli_ctx *c)
{
    cym_error err;
    cym_status st = cym_run_set_commit(c->set, &err);
    return st < 0 ? cli_fail(st, &err) : 0;
}

void cli_end(cli_ctx *c)
{
    cym_run_set_free(c->set); /* not committed: the stage is removed, the folder untouched */
    cym_results_free(c->res);
    cym_goalposts_free(c->gp);
    cym_dataset_free(c->ds);
    cym_framework_free(c->fw);
    free(c->a.keys);
    free(c->a.values);
    free(c->a.positional);
    free(c->prov_mem);
}

int cli_drawn(int rc, cym_status st, cym_warnings *failed, const cym_error *err)
{
    for (size_t i = 0; i < failed->count; i++)
        fprintf(stderr, "cymetrics: %s\n", failed->lines[i]);
    if (st < 0)
        rc = failed->count ? cym_error_exit_code(st) : cli_fail(st, err);
    cym_warnings_clear(failed);
    return rc;
}

const char *cli_country_code(const cli_ctx *c, const char *code)
{
    const char *found = NULL;
    if (cym_dataset_find_unit(c->ds, code) >= 0)
        return code;
    for (size_t k = 0; k < c->ds->n_units; k++)
        if (cym__strcaseeq(code, c->ds->units[k].code)) {
            if (found)
                return code; /* two codes differ only in case: neither is guessed */
            found = c->ds->units[k].code;
        }
    return found ? found : code;
}

int cli_find_country(size_t *unit, const cli_ctx *c, const char *code)
{
    long u = cym_dataset_find_unit(c->ds, cli_country_code(c, code));
    cym__suggest s;
    char list[512];
    size_t len = 0;
    if (u >= 0) {
        *unit = (size_t)u;
        return 0;
    }
    cym__suggest_init(&s, code);
    for (size_t k = 0; k < c->ds->n_units; k++)
        cym__suggest_add(&s, c->ds->units[k].code);
    if (s.best)
        return cli_usage_error(c->cmd->name, "no country '%s' in the dataset (did you mean '%s'?)",
                               code, s.best);
    /* no code near it: the valid codes, as many as a line holds */
    for (size_t i = 0; i < c->ds->n_units && len + 16 < sizeof(list); i++)
        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
                                c->ds->units[i].code);
    return cli_usage_error(c->cmd->name, "no country '%s' in the dataset (countries: %s%s)", code,
                           list, len + 16 >= sizeof(list) ? ", ..." : "");
}

int cli_run_options(cym_run_options *ro, cli_ctx *c, const struct cym_uncertainty *unc)
{
    cym_error err;
    cym_status st;
    if (!c->prov_mem && (st = cym_options_provenance(&c->prov, &c->prov_mem, &c->o, c->outdir, &err)) < 0)
        return cli_fail(st, &err);
    memset(ro, 0, sizeof(*ro));
    ro->report.output = c->o.output;
    ro->report.trend = c->o.trend;
    ro->report.provenance = c->prov;
    ro->report.unc = unc;
    ro->edition = &c->o.edition;
    /* SOURCE_DATE_EPOCH (reproducible-builds.org): the run time, the one field of the
       manifest that changes between identical runs, is recorded as 0 */
    ro->seconds = getenv("SOURCE_DATE_EPOCH") ? 0.0 : cli_now() - c->t0;
    return 0;
}
