/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cymetrics: the command-line front end. It parses arguments, calls libcymetrics, prints, and
 * maps statuses to exit codes; all the work is in the library.
 */
#include <ctype.h>
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/util.h"
#include "ranks/ranks.h"

/*
 * Output lost on a full disk or a closed pipe must not pass for success (coreutils'
 * close_stdout): at exit, stdout is flushed and checked, and a failure exits with 3.
 */
static void close_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        int e = errno;
        fprintf(stderr, "cymetrics: cannot write the standard output: %s\n", strerror(e ? e : EIO));
        _exit(EXIT_IO);
    }
}

static int cmd_help(cli_ctx *c);
static int cmd_version(cli_ctx *c);

/* help [COMMAND]: its own help is the general one */
static const cli_spec help_spec = {.stage = CLI_STAGE_PARSE, .max_args = 1};
static const cli_spec version_spec = {.stage = CLI_STAGE_NONE};

/* Every command: its name, handler, line in the general help and spec (cli.h). */
static const cli_cmd cmds[] = {
    {"validate", cmd_validate, "check a dataset and print its coverage", &cmd_validate_spec},
    {"run", cmd_run, "run the index pipeline and write the results", &cmd_run_spec},
    {"chart", cmd_chart, "draw one chart (ranking, pillars, trends, ..., see 'chart --help')",
     &cmd_chart_spec},
    {"import-coinr", cmd_import, "convert COINr iData/iMeta tables into a dataset folder",
     &cmd_import_spec},
    {"audit", cmd_audit, "statistical audit of the indicators (correlations, alpha, PCA)",
     &cmd_audit_spec},
    {"uncertainty", cmd_uncertainty, "Monte Carlo uncertainty and Sobol sensitivity of the ranks",
     &cmd_uncertainty_spec},
    {"trends", cmd_trends, "year-over-year changes and trend statistics of every country and node",
     &cmd_trends_spec},
    {"compare", cmd_compare, "countries side by side: 'compare DATASET_DIR A B [C...]'",
     &cmd_compare_spec},
    {"report", cmd_report, "the report (report.html, report.md), or one country's profile",
     &cmd_report_spec},
    {"target", cmd_target, "what it takes a country to reach the next tier: 'target COUNTRY ...'",
     &cmd_target_spec},
    {"forms", cmd_forms, "one data collection workbook per country (<CODE>.xlsx) to fill in",
     &cmd_forms_spec},
    {"collect", cmd_collect, "returned forms into the dataset: 'collect DIR --into DATASET_DIR'",
     &cmd_collect_spec},
    {"help", cmd_help, "show this help, or one command's ('help COMMAND' or 'COMMAND --help')",
     &help_spec},
    {"version", cmd_version, "print the version", &version_spec},
};

static const cli_cmd *find(const char *name)
{
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strcmp(name, cmds[i].name) == 0)
            return &cmds[i];
    return NULL;
}

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

/* The width of "--NAME ARG" */
static int opt_width(const cli_opt *o)
{
    return (int)(strlen(o->name) + strlen(o->arg)) + 3;
}

static void opts_help(FILE *f, const cli_opt *opts)
{
    int width = 0;
    for (const cli_opt *o = opts; o && o->arg; o++)
        if (o->type == CLI_OPT_VALUE && o->help && opt_width(o) > width)
            width = opt_width(o);
    /* the help of every row starts three columns after the widest */
    for (const cli_opt *o = opts; o && o->arg; o++)
        if (o->type == CLI_OPT_VALUE && o->help)
            fprintf(f, "  --%s %s%*s%s\n", o->name, o->arg, width + 3 - opt_width(o), "", o->help);
}

/* Prints `text` from column `col` on, wrapped at WRAP columns, the first line already at
   column `at`. Markdown code spans lose their backquotes, except punctuation alone ("`,`"),
   which is quoted ("','") so that it still reads; "\\|" is "|". */
#define WRAP 92
static void wrapped(FILE *f, const char *text, int at, int col)
{
    char word[512];
    int x = at;
    while (*text) {
        size_t n = 0;
        while (*text == ' ')
            text++;
        for (; *text && *text != ' ' && n + 1 < sizeof(word); text++) {
            if (*text == '\\' && text[1] == '|')
                continue;
            word[n++] = *text;
        }
        word[n] = '\0';
        if (!n)
            continue;
        if (x > col && x + 1 + (int)n > WRAP) {
            fprintf(f, "\n%*s", col, "");
            x = col;
        } else if (x > col) {
            fputc(' ', f);
            x++;
        } else if (x < col) {
            fprintf(f, "%*s", col - x, "");
            x = col;
        }
        fputs(word, f);
        x += (int)n;
    }
    fputc('\n', f);
}

/* Markdown of the option table's help into terminal text (see wrapped). */
static void plain(char *out, size_t n, const char *md)
{
    size_t o = 0;
    while (*md && o + 3 < n) {
        const char *end;
        int punct = 1;
        if (*md != '`' || !(end = strchr(md + 1, '`'))) {
            out[o++] = *md++;
            continue;
        }
        for (const char *c = md + 1; c < end; c++)
            if (isalnum((unsigned char)*c))
                punct = 0;
        if (punct)
            out[o++] = '\'';
        for (md++; md < end && o + 3 < n; md++)
            if (*md != ' ' || !punct)
                out[o++] = *md;
        if (punct)
            out[o++] = '\'';
        md = end + 1;
    }
    out[o] = '\0';
}

/* The keys of the option table in `sections` ("dataset run"), one --KEY per line: its values,
   what it does and its default, as docs/cli.md has them. */
static void keys_help(FILE *f, const char *sections)
{
    const cym_option_info *k;
    char sec[32];
    size_t len;
    fputs("\noptions (each also a key of cymetrics.ini, in the [section] shown; defaults in "
          "brackets):\n",
          f);
    for (const char *p = sections; *p; p += len + (p[len] == ' ')) {
        len = strcspn(p, " ");
        snprintf(sec, sizeof(sec), "%.*s", (int)len, p);
        fprintf(f, " [%s]\n", sec);
        for (size_t i = 0; (k = cym_options_info(i)) != NULL; i++) {
            char text[1024];
            int at;
            if (strcmp(k->section, sec) != 0)
                continue;
            size_t end;
            plain(text, sizeof(text), k->help);
            end = strlen(text);
            snprintf(text + end, sizeof(text) - end, " [%s]",
                     k->def_doc ? k->def_doc
                     : k->def   ? k->def
                                : "none");
            at = fprintf(f, "  --%s", k->name);
            wrapped(f, text, at, 22);
        }
    }
}

void cli_help(FILE *f, const cli_cmd *cmd)
{
    const cli_spec *spec = cmd ? cmd->spec : NULL;
    if (!spec || !spec->help) {
        usage(f);
        return;
    }
    fputs(spec->help, f);
    opts_help(f, spec->opts);
    if (spec->keys)
        keys_help(f, spec->keys);
    if (spec->notes)
        fputs(spec->notes, f);
}

static int unknown_command(const char *name)
{
    cym__suggest s;
    cym__suggest_init(&s, name);
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        cym__suggest_add(&s, cmds[i].name);
    if (s.best)
        fprintf(stderr, "cymetrics: unknown command '%s' (did you mean '%s'?)\n", name, s.best);
    else
        fprintf(stderr, "cymetrics: unknown command '%s'\n", name);
    fputs("Try 'cymetrics --help'.\n", stderr);
    return EXIT_USAGE;
}

static int cmd_help(cli_ctx *c)
{
    const cli_cmd *cmd = NULL;
    if (c->a.n_positional == 1 && (cmd = find(c->a.positional[0])) == NULL)
        return unknown_command(c->a.positional[0]);
    cli_help(stdout, cmd);
    return 0;
}

static int cmd_version(cli_ctx *c)
{
    (void)c;
    printf("cymetrics %s\n", CYM_VERSION);
    return 0;
}

/*
 * OpenMP threads that wait for work spin by default. On machines whose two logical CPUs share
 * one core (most small virtual machines), a spinning thread takes the cycles of the one doing
 * the work: measured here, the trends of a run took twice as long on 2 threads as on 1. libgomp
 * reads the wait policy once, when it loads. The program does not load it at start (gomp.c
 * loads it on the first parallel loop), so setting the variable here is early enough, and the
 * process starts once (it used to set it and exec itself again: docs/performance.md,
 * Start-up). A choice of the user's stands.
 */
static void prefer_passive_waiting(void)
{
    /* on failure the threads spin: slower, not wrong */
    (void)setenv("OMP_WAIT_POLICY", "passive", 0);
}

int main(int argc, char **argv)
{
    const cli_cmd *cmd;
    cli_ctx c;
    int rc;

    prefer_passive_waiting();
    /* GSL must never abort the process: every caller checks its status instead */
    gsl_set_error_handler_off();
    atexit(close_stdout);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    /* the build's: the man page and the completions from the tables (generate.c) */
    if (strcmp(argv[1], "--generate") == 0)
        return cli_generate(argc > 2 ? argv[2] : NULL, cmds, sizeof(cmds) / sizeof(cmds[0]));
    cmd = find(argv[1]);
    /* --version is understood after any command too */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--version") == 0)
            cmd = find("version");
    if (!cmd)
        return unknown_command(argv[1]);
    /* an MPI job (docs/scale.md): started by mpirun in a build with -DCYM_MPI=ON */
    if (cym__ranks_init(&argc, &argv) < 0) {
        fprintf(stderr, "cymetrics: cannot start MPI\n");
        return EXIT_INTERNAL;
    }
    if (cym__ranks_size() > 1 && cmd->fn != cmd_uncertainty && cmd->fn != cmd_audit) {
        if (cym__ranks_rank() == 0)
            fprintf(stderr,
                    "cymetrics: %s runs on one MPI rank; only uncertainty and audit "
                    "spread their work over %d (run it without mpirun, or -np 1)\n",
                    cmd->name, cym__ranks_size());
        rc = EXIT_USAGE;
    } else {
        rc = cli_begin(&c, cmd, argc, argv);
        if (rc == 0)
            rc = cmd->fn(&c);
        cli_end(&c);
    }
    rc = rc < 0 ? 0 : rc;
    /* on failure, MPI_Abort: the other ranks stop rather than wait for this one */
    cym__ranks_end(rc);
    return rc;
}
