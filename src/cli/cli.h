/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_CLI_H
#define CYM_CLI_H
/*
 * The command-line front end. Each command is a row of the table in main.c (name, handler,
 * summary, spec); its spec says what it accepts and how far the shared prologue, cli_begin,
 * goes before the handler runs (parse and --help, settings, load, pipeline), so a handler
 * holds only what is particular to its command (libgit2's cli_cmds[] and cli_opt_spec).
 */
#include <stdio.h>

#include "cymetrics/dataset.h"
#include "cymetrics/error.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/run.h"
#include "cymetrics/pipeline.h"

/** What every command accepts: a dataset folder or --config, and option overrides. */
typedef struct cli_args {
    const char *command;
    const char *dataset_dir; /* positional DATASET_DIR, or NULL */
    const char *config;      /* --config FILE, or NULL */
    const char **positional; /* further positional arguments (e.g. country codes) */
    int n_positional;
    int max_positional;          /* how many are allowed (a check may change it) */
    const char **keys, **values; /* option overrides, in command-line order */
    int n_overrides;
    int help, quiet;
} cli_args;

typedef enum cli_opt_type {
    CLI_OPT_VALUE, /* --NAME VALUE or --NAME=VALUE */
    CLI_OPT_LEAD,  /* the word right after the command, required (chart's KIND) */
} cli_opt_type;

/**
 * One flag of one command, a row of the command's own table (libgit2's cli_opt_spec); the
 * table ends with a row whose arg is NULL. The option keys of cymetrics.ini are not rows here:
 * every command that reads a dataset takes them (cym_options_is_key).
 */
typedef struct cli_opt {
    cli_opt_type type;
    const char *name;   /* NAME of --NAME (NULL for CLI_OPT_LEAD) */
    const char *arg;    /* what the value is, in the help: "CODE" */
    const char **value; /* where the value goes (a static of the command), or NULL */
    /*
     * Its line in the help (NULL: the command's text tells it). For CLI_OPT_LEAD, the hint
     * printed when the word is missing.
     */
    const char *help;
    /* Optional: checks or converts the value as soon as it is parsed; 0 or an exit code. */
    int (*check)(cli_args *a, const char *value);
} cli_opt;

/** How far the prologue goes; each stage needs the ones before it. */
typedef enum cli_stage {
    CLI_STAGE_NONE,     /* nothing: the command takes no arguments (version) */
    CLI_STAGE_PARSE,    /* the command line parsed (ctx.a); --help printed */
    CLI_STAGE_SETTINGS, /* defaults, INI file and overrides resolved (ctx.o, ctx.outdir) */
    CLI_STAGE_LOAD,     /* the framework and the dataset loaded (ctx.fw, ctx.ds) */
    CLI_STAGE_PIPELINE, /* the index pipeline run (ctx.res) */
} cli_stage;

/** What a command accepts and needs. */
typedef struct cli_spec {
    const char *help;    /* usage and description, the start of --help (NULL: the general) */
    const cli_opt *opts; /* its own flags, or NULL */
    const char *notes;   /* printed after the flags' help lines, or NULL */
    /* the INI sections whose keys --help lists, from the option table ("dataset run"), or
       NULL; printed after the flags */
    const char *keys;
    cli_stage stage;     /* how far cli_begin goes before the handler */
    int dataset;         /* reads a dataset: DATASET_DIR, --config, --quiet, the option keys */
    int max_args;        /* positional arguments besides DATASET_DIR */
    int writes;          /* writes into the output folder: checked against the inputs */
} cli_spec;

typedef struct cli_ctx cli_ctx;

/** A row of the command table. */
typedef struct cli_cmd {
    const char *name;
    int (*fn)(cli_ctx *c); /* 0 or an exit code, the error printed */
    const char *summary;   /* its line in the general help */
    const cli_spec *spec;
} cli_cmd;

/** The settings of loading a dataset with framework editions, from the options' own. */
cym_editions_options cli_editions_options(const cym_options *o);

/** One command's run: what the prologue made, freed by cli_end. */
struct cli_ctx {
    const cli_cmd *cmd;
    cli_stage stage; /* the last stage done */
    cli_args a;
    cym_options o;
    char outdir[CYM_PATH_MAX]; /* --out / `out`, else reports/<dataset name> */
    /* a command that writes: its result set, begun with the settings (the lock taken, the
       output folder checked), and the set's staging folder, where its writers write */
    cym_run_set *set;
    const char *wdir;
    cym_framework *fw;
    cym_dataset *ds;
    cym_results *res;
    cym_goalposts *gp;         /* --goalposts, read with the framework (o.run.goalposts) */
    /* NULL: the load stops at the first error and prints it; else it goes on after errors of
       the data, and every error (the framework's too) goes here, unprinted (validate) */
    cym_error_list *errors;
    double t0, t_load, t_pipe; /* cli_now() at the start, after loading, after the pipeline */
    cym_provenance prov;       /* cli_run_options: the settings as text, built once */
    void *prov_mem;
};

/** Exit codes (also in --help). */
enum { EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_IO = 3, EXIT_INTERNAL = 4 };

/**
 * The prologue of `cmd`: parses argv[2..argc), prints the help when asked, then goes on to
 * cmd->spec->stage. Returns 0 to run the handler, -1 when the help was printed, or an exit
 * code after printing the error. Call cli_end whatever it returns.
 */
int cli_begin(cli_ctx *c, const cli_cmd *cmd, int argc, char **argv);

/*
 * Refuses an output folder that is, lies in or holds an input, a dataset name that is not a
 * plain name, and an `out` of the INI file outside reports/ (guard.c). 0, or an exit code
 * with the error printed.
 */
int cli_guard_outdir(cli_ctx *c);
/**
 * Completes the command's result set (manifest.json, then the swap into the output folder):
 * call it when every output was written, before printing where they are. 0, or an exit code
 * with the error printed. A command that returns without it leaves the output folder as it was.
 */
int cli_commit(cli_ctx *c);
/** 1 when the option key `key` was given on the command line (`--out DIR`, `--out=DIR`). */
int cli_given(const cli_args *a, const char *key);

/** Goes on with the prologue up to `to` (for a handler that checks something between). */
int cli_advance(cli_ctx *c, cli_stage to);
void cli_end(cli_ctx *c);

/** The help of `cmd` (NULL, or a spec without help: the general help). In main.c. */
void cli_help(FILE *f, const cli_cmd *cmd);

/** Makes the OpenMP team now, before the work (gomp.c). */
void cli_threads_start(void);

/** Seconds on a monotonic clock. */
double cli_now(void);

/** The last lines of a run's summary: "source: ..." when the dataset has one, "results: DIR/". */
void cli_print_results(const cym_options *o, const char *outdir);

/** Prints "cymetrics: <formatted error>" to stderr and returns the exit code of `st`. */
int cli_fail(cym_status st, const cym_error *err);

/** Prints "cymetrics: warning: <message>" to stderr, unless --quiet (errors only). */
void cli_warning(const cli_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Prints a usage error and the hint line; returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/**
 * After a call that draws charts: prints each chart of `failed` it could not draw, and clears
 * `failed`. Returns the exit code of `st` when it failed (its message printed when no chart
 * tells it), else `rc`.
 */
int cli_drawn(int rc, cym_status st, cym_warnings *failed, const cym_error *err);

/**
 * The code of ctx.ds that `code` names in any case (`vnm` is VNM, unless two codes differ
 * only in case), else `code` itself. Borrowed.
 */
const char *cli_country_code(const cli_ctx *c, const char *code);

/** The index of the country `code` (any case, cli_country_code) in ctx.ds; else 2 after
    printing the usage error, with the closest code. */
int cli_find_country(size_t *unit, const cli_ctx *c, const char *code);

/* `text` from the inputs as the terminal may show it (control characters escaped), in buf. */
const char *cli_clean(char *buf, size_t n, const char *text);

/* cli_clean's text padded with spaces to `width` terminal columns (cym__display_width: CJK
   characters take two, combining marks none), for aligned console tables; printf's %-28s
   pads by bytes. */
const char *cli_pad(char *buf, size_t n, const char *text, size_t width);

struct cym_uncertainty;
/*
 * What the run, the report and the editions write with, from the settings of `c`: the output
 * options, the trends, the provenance (every setting as text), `unc` (may be NULL), check-total
 * and the run time so far. 0, or an exit code with the error printed.
 */
int cli_run_options(cym_run_options *ro, cli_ctx *c, const struct cym_uncertainty *unc);
/**
 * Runs the uncertainty analysis of `o` with a progress bar (unless quiet) and Ctrl-C handling.
 * Returns 0, or an exit code after printing the error (130 when interrupted).
 */
int cli_run_uncertainty(struct cym_uncertainty **u, const cym_dataset *ds, const cym_options *o,
                        int quiet);
/**
 * `run` of a dataset with framework editions (o->edition.n > 0): loads, runs, writes and
 * draws every edition and the joins across them. Returns 0 or an exit code (error printed).
 */
int cli_run_editions(cli_ctx *c);

/**
 * `cymetrics --generate man|bash|zsh` (generate.c): the man page or a shell completion, from
 * the `n` commands `cmds` and the option table, to stdout. 0, or EXIT_USAGE (error printed).
 */
int cli_generate(const char *what, const cli_cmd *cmds, size_t n);

/* The commands: handlers and specs, in the order of the table in main.c. */
int cmd_validate(cli_ctx *c);
int cmd_run(cli_ctx *c);
int cmd_chart(cli_ctx *c);
int cmd_import(cli_ctx *c);
int cmd_audit(cli_ctx *c);
int cmd_uncertainty(cli_ctx *c);
int cmd_trends(cli_ctx *c);
int cmd_compare(cli_ctx *c);
int cmd_report(cli_ctx *c);
int cmd_target(cli_ctx *c);
int cmd_forms(cli_ctx *c);
int cmd_collect(cli_ctx *c);
extern const cli_spec cmd_validate_spec, cmd_run_spec, cmd_chart_spec, cmd_import_spec,
    cmd_audit_spec, cmd_uncertainty_spec, cmd_trends_spec, cmd_compare_spec, cmd_report_spec,
    cmd_target_spec, cmd_forms_spec, cmd_collect_spec;

#endif
