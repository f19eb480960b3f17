/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cymetrics: the command-line front end. It parses arguments, calls libcymetrics, prints, and
 * maps statuses to exit codes; all the work is in the library.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdlib.h>
#include <unistd.h>
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

static const char usage[] =
    "usage: cymetrics COMMAND [DATASET_DIR | --config FILE] [OPTIONS]\n"
    "\n"
    "Cybersecurity metrics: composite indices, trends and comparisons of countries.\n"
    "\n"
    "commands:\n"
    "  validate   check a dataset and print its coverage\n"
    "  run        run the index pipeline and write the results\n"
    "  chart      draw one chart (ranking, pillars, trends, ..., see 'chart --help')\n"
    "  import-coinr  convert COINr iData/iMeta tables into a dataset folder\n"
    "  audit      statistical audit of the indicators (correlations, alpha, PCA)\n"
    "  uncertainty  Monte Carlo uncertainty and Sobol sensitivity of the ranks\n"
    "  trends     year-over-year changes and trend statistics of every country and node\n"
    "  compare    countries side by side: 'compare DATASET_DIR A B [C...]'\n"
    "  report     the report (report.html, report.md), or one country's profile\n"
    "  target     what it takes a country to reach the next tier: 'target COUNTRY ...'\n"
    "  help       show this help (or 'cymetrics COMMAND --help')\n"
    "  version    print the version\n"
    "\n"
    "A dataset is a folder with countries.csv, one <CODE>.csv per country and optionally\n"
    "cymetrics.ini; every setting can be given as --KEY VALUE (see docs/cli.md).\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 input/output error,\n"
    "4 internal error or out of memory.\n";

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
    const char *cmd;

    prefer_passive_waiting(argv);

    /* GSL must never abort the process: every caller checks its status instead */
    gsl_set_error_handler_off();
    atexit(close_stdout);
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    /* --version is understood after any command too */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--version") == 0 || (i == 1 && strcmp(argv[i], "version") == 0)) {
            printf("cymetrics %s\n", CYM_VERSION);
            return 0;
        }
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc, argv);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc, argv);
    if (strcmp(cmd, "chart") == 0)
        return cmd_chart(argc, argv);
    if (strcmp(cmd, "import-coinr") == 0)
        return cmd_import(argc, argv);
    if (strcmp(cmd, "uncertainty") == 0)
        return cmd_uncertainty(argc, argv);
    if (strcmp(cmd, "audit") == 0)
        return cmd_audit(argc, argv);
    if (strcmp(cmd, "trends") == 0)
        return cmd_trends(argc, argv);
    if (strcmp(cmd, "compare") == 0)
        return cmd_compare(argc, argv);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc, argv);
    if (strcmp(cmd, "target") == 0)
        return cmd_target(argc, argv);
    fprintf(stderr, "cymetrics: unknown command '%s'\nTry 'cymetrics --help'.\n", cmd);
    return EXIT_USAGE;
}
