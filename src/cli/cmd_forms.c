/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics forms`: one data collection workbook per country, as one result set. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cymetrics/forms.h"

static const char help[] =
    "usage: cymetrics forms DATASET_DIR --out DIR [--year Y] [--country CODES] [OPTIONS]\n"
    "\n"
    "Writes one Excel workbook per country, DIR/<CODE>.xlsx, for the country's focal point to\n"
    "fill in: a sheet Data with one row per indicator of the framework (code, name, pillar,\n"
    "unit, the value and flag to fill, source/notes, what is allowed, direction, the latest\n"
    "earlier value and flag), an Instructions sheet, and the country and year in the\n"
    "workbook, so a form cannot be read back as another country's. The year defaults to the\n"
    "latest year of the data + 1. DIR is written as one result set with manifest.json; the\n"
    "returned forms go back into the dataset with 'cymetrics collect'.\n";

/* --out is required: the default output folder, reports/<name>, is the run's */
const cli_spec cmd_forms_spec = {.writes = 1,
                                 .help = help,
                                 .stage = CLI_STAGE_PARSE,
                                 .keys = "forms",
                                 .dataset = 1};

static int given(const cli_args *a, const char *key)
{
    size_t n = strlen(key);
    for (int i = 0; i < a->n_overrides; i++)
        if (strncmp(a->keys[i], key, n) == 0 && (a->keys[i][n] == '\0' || a->keys[i][n] == '='))
            return 1;
    return 0;
}

int cmd_forms(cli_ctx *c)
{
    cym_forms_options fo;
    cym_error err;
    cym_status st;
    int rc, year;

    if (!given(&c->a, "out"))
        return cli_usage_error("forms", "give the folder to write the forms into with --out DIR");
    if ((rc = cli_advance(c, CLI_STAGE_LOAD)) != 0)
        return rc;
    cym_error_clear(&err);
    fo = c->o.forms;
    fo.name = c->o.output.name;
    fo.title = c->o.output.title;
    fo.source = c->o.output.source;
    year = cym_forms_year(c->ds, &fo);
    if ((st = cym_forms_write(c->ds, &fo, c->wdir, &err)) < 0)
        return cli_fail(st, &err);
    if ((rc = cli_commit(c)) != 0)
        return rc;
    if (!c->a.quiet)
        printf("forms for %d: %s/<CODE>.xlsx, one per country; the returned forms go back "
               "with 'cymetrics collect DIR --into DATASET_DIR'\n",
               year, c->outdir);
    return 0;
}
