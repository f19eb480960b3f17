/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics import-coinr`: COINr iData/iMeta tables to a dataset folder. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "cymetrics/import.h"

static const char help[] =
    "usage: cymetrics import-coinr IDATA.csv IMETA.csv --out DIR [--name NAME] [--year Y]\n"
    "\n"
    "Converts the input tables of the R package COINr (iData and iMeta, written as CSV, e.g.\n"
    "with write.csv(ASEM_iData, \"iData.csv\", row.names = FALSE)) into a cymetrics dataset\n"
    "folder: framework.csv, countries.csv, one <CODE>.csv per unit, cymetrics.ini and a\n"
    "README.md with the SHA-256 of both tables. Then: cymetrics run DIR.\n"
    "\n";

static const char *out, *name;
static long year;

static int check_year(cli_args *a, const char *value)
{
    (void)a;
    if (cym__parse_long(value, 1900, 2100, &year) < 0)
        return cli_usage_error("import-coinr", "--year: '%s' is not a year 1900-2100", value);
    return 0;
}

static const cli_opt opts[] = {
    {CLI_OPT_VALUE, "out", "DIR", &out, "the dataset folder to write (created if needed)", NULL},
    {CLI_OPT_VALUE, "name", "NAME", &name, "dataset name [the folder name]", NULL},
    {CLI_OPT_VALUE, "year", "Y", NULL, "year of the data when iData has no Time column",
     check_year},
    {0}};

/* no dataset: IDATA.csv and IMETA.csv are its two arguments */
const cli_spec cmd_import_spec = {
    .help = help, .opts = opts, .stage = CLI_STAGE_PARSE, .max_args = 2};

int cmd_import(cli_ctx *c)
{
    const cli_args *a = &c->a;
    cym_error err;
    cym_status st;

    if (a->n_positional != 2)
        return cli_usage_error("import-coinr", "give the iData and the iMeta CSV files");
    if (!out)
        return cli_usage_error("import-coinr", "give the dataset folder to write with --out");
    if (!name) {
        const char *s = strrchr(out, '/');
        name = s && s[1] ? s + 1 : out;
    }
    cym_error_clear(&err);
    st = cym_import_coinr(a->positional[0], a->positional[1], out, name, (int)year, &err);
    if (st < 0)
        return cli_fail(st, &err);
    printf("dataset written to %s/ (framework.csv, countries.csv, one file per unit)\n", out);
    return 0;
}
