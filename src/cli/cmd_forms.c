/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics forms`: one data collection workbook per country, as one result set. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cymetrics/edition.h"
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

/*
 * A dataset with framework editions: the forms are those of the edition in force for the
 * year (the latest year of the data + 1 by default), on its framework and its data.
 */
static int write_edition_forms(cli_ctx *c, cym_forms_options *fo, int *year)
{
    const cym_options *o = &c->o;
    cym_editions_options eo = cli_editions_options(o);
    cym_editions *e = NULL;
    cym_error err;
    cym_status st;
    long k = -1;
    int rc = 0;

    cym_error_clear(&err);
    if ((st = cym_editions_load(&e, &eo, &err)) < 0)
        return cli_fail(st, &err);
    *year = fo->year;
    for (size_t i = 0; !fo->year && i < e->n; i++)
        if (e->ed[i].ds->n_years &&
            e->ed[i].ds->year0 + (int)e->ed[i].ds->n_years > *year)
            *year = e->ed[i].ds->year0 + (int)e->ed[i].ds->n_years;
    for (size_t i = 0; i < e->n; i++)
        if ((!e->ed[i].year_from || *year >= e->ed[i].year_from) &&
            (!e->ed[i].year_to || *year <= e->ed[i].year_to))
            k = (long)i;
    if (k < 0)
        rc = cli_usage_error("forms", "no framework edition of the dataset covers %d: declare "
                                      "it in [framework] of cymetrics.ini, or give --year",
                             *year);
    else if (fo->year = *year, (st = cym_forms_write(e->ed[k].ds, fo, c->wdir, &err)) < 0)
        rc = cli_fail(st, &err);
    cym_editions_free(e);
    return rc;
}

int cmd_forms(cli_ctx *c)
{
    cym_forms_options fo;
    cym_error err;
    cym_status st;
    int rc, year = 0;

    if (!cli_given(&c->a, "out"))
        return cli_usage_error("forms", "give the folder to write the forms into with --out DIR");
    if ((rc = cli_advance(c, CLI_STAGE_SETTINGS)) != 0)
        return rc;
    cym_error_clear(&err);
    fo = c->o.forms;
    fo.name = c->o.output.name;
    fo.title = c->o.output.title;
    fo.source = c->o.output.source;
    if (!c->o.framework[0] && c->o.edition.n) {
        if ((rc = write_edition_forms(c, &fo, &year)) != 0)
            return rc;
    } else {
        if ((rc = cli_advance(c, CLI_STAGE_LOAD)) != 0)
            return rc;
        year = cym_forms_year(c->ds, &fo);
        if ((st = cym_forms_write(c->ds, &fo, c->wdir, &err)) < 0)
            return cli_fail(st, &err);
    }
    if ((rc = cli_commit(c)) != 0)
        return rc;
    if (!c->a.quiet)
        printf("forms for %d: %s/<CODE>.xlsx, one per country; the returned forms go back "
               "with 'cymetrics collect DIR --into DATASET_DIR'\n",
               year, c->outdir);
    return 0;
}
