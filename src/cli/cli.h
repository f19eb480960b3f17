/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_CLI_H
#define CYM_CLI_H
/* The command-line front end: argument parsing shared by every command, and the commands. */
#include <stdio.h>

#include "cymetrics/dataset.h"
#include "cymetrics/error.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"

/** What every command accepts: a dataset folder or --config, and option overrides. */
typedef struct cli_args {
    const char *command;
    const char *dataset_dir;  /* positional DATASET_DIR, or NULL */
    const char *config;       /* --config FILE, or NULL */
    const char **positional;  /* further positional arguments (e.g. country codes) */
    int n_positional;
    int max_positional;       /* how many are allowed (a check may change it) */
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
 * table ends with a row whose arg is NULL. The option keys of cymetrics.ini are not
 * rows here: every command that reads a dataset takes them (cym_options_is_key).
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

/** Exit codes (also in --help). */
enum { EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_IO = 3, EXIT_INTERNAL = 4 };

/** Prints "cymetrics: <formatted error>" to stderr and returns the exit code of `st`. */
int cli_fail(cym_status st, const cym_error *err);

/** Prints a usage error and the hint line; returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/**
 * Parses argv[2..argc) of `command`: its own flags `opts` (or NULL), --help; with `dataset`
 * also DATASET_DIR, --config, --quiet and every option key. `max_positional` further
 * positional arguments are allowed (after the dataset folder). Returns 0, or an exit code
 * after printing the error.
 */
int cli_parse(cli_args *a, const char *command, const cli_opt *opts, int dataset,
              int max_positional, int argc, char **argv);
/** Prints the help lines of the rows of `opts` that have one, aligned. */
void cli_opts_help(FILE *f, const cli_opt *opts);
void cli_args_free(cli_args *a);

/** Resolves configuration, paths and overrides into `o`. Returns 0 or an exit code. */
int cli_options(cym_options *o, const cli_args *a);

/** Loads framework and dataset named by `o`. Returns 0 or an exit code (error printed). */
int cli_load(cym_framework **fw, cym_dataset **ds, const cym_options *o);

int cmd_validate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_chart(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_uncertainty(int argc, char **argv);

struct cym_uncertainty;
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
/** The output folder: --out / `out`, else reports/<dataset name>. */
void cli_outdir(char *buf, size_t n, const cym_options *o);

int cli_run_editions(const cym_options *o, const char *outdir, int quiet, double seconds);
int cmd_audit(int argc, char **argv);
int cmd_trends(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_target(int argc, char **argv);

#endif
