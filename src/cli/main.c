/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cymetrics: the command-line front end. It parses arguments, calls libcymetrics, prints, and
 * maps statuses to exit codes; all the work is in the library.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/*
 * Output lost on a full disk or a closed pipe must not pass for success (coreutils'
 * close_stdout): at exit, stdout is flushed and checked, and a failure exits with 3.
 */
static void close_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        int e = errno;
        fprintf(stderr, "cymetrics: cannot write the standard output: %s\n",
                strerror(e ? e : EIO));
        _exit(EXIT_IO);
    }
}

/* One row per command: its name, its handler and its line in the general help. */
typedef struct cli_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} cli_cmd;

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const cli_cmd cmds[] = {
    {"validate", cmd_validate, "check a dataset and print its coverage"},
    {"run", cmd_run, "run the index pipeline and write the results"},
    {"chart", cmd_chart, "draw one chart (ranking, pillars, trends, ..., see 'chart --help')"},
    {"import-coinr", cmd_import, "convert COINr iData/iMeta tables into a dataset folder"},
    {"audit", cmd_audit, "statistical audit of the indicators (correlations, alpha, PCA)"},
    {"uncertainty", cmd_uncertainty, "Monte Carlo uncertainty and Sobol sensitivity of the ranks"},
    {"trends", cmd_trends, "year-over-year changes and trend statistics of every country and node"},
    {"compare", cmd_compare, "countries side by side: 'compare DATASET_DIR A B [C...]'"},
    {"report", cmd_report, "the report (report.html, report.md), or one country's profile"},
    {"target", cmd_target, "what it takes a country to reach the next tier: 'target COUNTRY ...'"},
    {"help", cmd_help, "show this help (or 'cymetrics COMMAND --help')"},
    {"version", cmd_version, "print the version"},
};

/* The general help, its list of commands from the table. */
static void usage(FILE *f)
{
    fputs("usage: cymetrics COMMAND [DATASET_DIR | --config FILE] [OPTIONS]\n"
          "\n"
          "Cybersecurity metrics: composite indices, trends and comparisons of countries.\n"
          "\n"
          "commands:\n",
          f);
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        int pad = 11 - (int)strlen(cmds[i].name);
        fprintf(f, "  %s%*s%s\n", cmds[i].name, pad < 2 ? 2 : pad, "", cmds[i].summary);
    }
    fputs("\n"
          "A dataset is a folder with countries.csv, one <CODE>.csv per country and optionally\n"
          "cymetrics.ini; every setting can be given as --KEY VALUE (see docs/cli.md).\n"
          "\n"
          "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 input/output error,\n"
          "4 internal error or out of memory.\n",
          f);
}

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    usage(stdout);
    return 0;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("cymetrics %s\n", CYM_VERSION);
    return 0;
}

/*
 * OpenMP threads that wait for work spin by default. On machines whose two logical CPUs share
 * one core (most small virtual machines), a spinning thread takes the cycles of the one doing
 * the work: measured here, the trends of a run took twice as long on 2 threads as on 1. The
 * wait policy is read when libgomp loads, before main, so when the user has not chosen one we
 * set "passive" and start again (once: the variable is then set).
 */
static void prefer_passive_waiting(char **argv)
{
    if (getenv("OMP_WAIT_POLICY"))
        return;
    if (setenv("OMP_WAIT_POLICY", "passive", 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    /* if it could not start again, go on with spinning threads: slower, not wrong */
}

int main(int argc, char **argv)
{
    const char *name;

    prefer_passive_waiting(argv);

    /* GSL must never abort the process: every caller checks its status instead */
    gsl_set_error_handler_off();
    atexit(close_stdout);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0)
        return cmd_help(argc, argv);
    /* --version is understood after any command too */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--version") == 0 || (i == 1 && strcmp(argv[i], "version") == 0))
            return cmd_version(argc, argv);
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strcmp(name, cmds[i].name) == 0)
            return cmds[i].fn(argc, argv);
    fprintf(stderr, "cymetrics: unknown command '%s'\nTry 'cymetrics --help'.\n", name);
    return EXIT_USAGE;
}
