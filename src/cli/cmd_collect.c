/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics collect`: returned forms into the dataset's country files. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/util.h"
#include "cymetrics/forms.h"

static const char help[] =
    "usage: cymetrics collect DIR --into DATASET_DIR [--review FILE|-] [--dry-run]\n"
    "\n"
    "Reads every returned form DIR/<CODE>.xlsx (written by 'cymetrics forms', filled in) and\n"
    "merges each form's year into DATASET_DIR/<CODE>.csv: that year's rows replaced by the\n"
    "form's, the other years untouched. Every form is checked first, each problem printed as\n"
    "FORM.xlsx:Data!E14: message, and nothing is written when there is one. Then the review\n"
    "of the changes (country, indicator, year, old and new value and flag, kind) is written\n"
    "(default DATASET_DIR/.collect/review-<year>.csv), and the country files are replaced as\n"
    "one set: all of them or, after a failure, none. The forms are never modified; collect is\n"
    "the one command that writes into a dataset (docs/security.md).\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 I/O error.\n";

/* `collect DIR --into DATASET`: DATASET is the prologue's dataset folder; the folder the
   parser took as the dataset before --into came is the forms' */
static int into(cli_args *a, const char *value)
{
    if (a->dataset_dir && a->n_positional < 1)
        a->positional[a->n_positional++] = a->dataset_dir;
    a->dataset_dir = value;
    return 0;
}

static const cli_opt opts[] = {
    {CLI_OPT_VALUE, "into", "DATASET_DIR", NULL, "the dataset whose country files are merged into",
     into},
    {0}};

const cli_spec cmd_collect_spec = {.help = help,
                                   .opts = opts,
                                   .keys = "collect",
                                   .stage = CLI_STAGE_PARSE,
                                   .dataset = 1,
                                   .max_args = 1};

int cmd_collect(cli_ctx *c)
{
    cym_error_list errors = {NULL, 0, 50, 0};
    cym_collect_summary sum;
    cym_error err;
    cym_status st;
    char forms[PATH_MAX], data[PATH_MAX], review[PATH_MAX];
    struct stat sb;
    int rc;

    if (c->a.n_positional != 1 || !c->a.dataset_dir)
        return cli_usage_error("collect", "give the folder of returned forms and --into "
                                          "DATASET_DIR");
    if ((rc = cli_advance(c, CLI_STAGE_LOAD)) != 0)
        return rc;
    if (stat(c->o.data, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return cli_usage_error("collect", "collect merges into a folder of <CODE>.csv files, not "
                                          "the combined file %s",
                               c->o.data);
    /* the forms are never written: not the dataset's folder, and the review not among them */
    if (cym__path_canonical(forms, sizeof(forms), c->a.positional[0]) < 0 ||
        cym__path_canonical(data, sizeof(data), c->o.data) < 0)
        return cli_usage_error("collect", "path too long");
    if (strcmp(forms, data) == 0)
        return cli_usage_error("collect", "'%s' is the dataset's own folder: give the folder "
                                          "of the returned forms",
                               c->a.positional[0]);
    if (c->o.collect.review[0] && strcmp(c->o.collect.review, "-") != 0 &&
        (cym__path_canonical(review, sizeof(review), c->o.collect.review) < 0 ||
         cym__path_within(review, forms)))
        return cli_usage_error("collect", "--review %s: the forms' folder is never written",
                               c->o.collect.review);
    cym_error_clear(&err);
    st = cym_collect(&sum, c->ds, c->a.positional[0], c->o.data, &c->o.collect, stdout, &errors,
                     &err);
    if (errors.count) {
        cym_error_list_sort(&errors); /* by file, row and column, as validate lists them */
        for (size_t i = 0; i < errors.count; i++)
            cli_fail(errors.errors[i].code, &errors.errors[i]);
        if (errors.total > errors.count)
            fprintf(stderr, "cymetrics: %zu more errors not shown\n",
                    errors.total - errors.count);
        if (errors.total > 1)
            fprintf(stderr, "cymetrics: %zu errors; nothing was written\n", errors.total);
        rc = cym_error_exit_code(errors.errors[0].code);
    } else if (st < 0) {
        rc = cli_fail(st, &err);
    } else if (!c->a.quiet) {
        FILE *o = strcmp(c->o.collect.review, "-") == 0 ? stderr : stdout;
        fprintf(o, "collect: %zu form%s for %d: %zu added, %zu changed, %zu removed\n",
                sum.forms, sum.forms == 1 ? "" : "s", sum.year, sum.added, sum.changed,
                sum.removed);
        if (sum.review[0])
            fprintf(o, "review: %s\n", sum.review);
        if (c->o.collect.dry_run)
            fprintf(o, "dry run: no file replaced\n");
        else
            fprintf(o, "replaced %zu country file%s in %s/\n", sum.files,
                    sum.files == 1 ? "" : "s", c->o.data);
    }
    cym_error_list_free(&errors);
    return rc;
}
