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
    {CLI_OPT_VALUE, "out", "DIR", &out, "the dataset folder to write (created if needed)",
     NULL},
    {CLI_OPT_VALUE, "name", "NAME", &name, "dataset name [the folder name]", NULL},
    {CLI_OPT_VALUE, "year", "Y", NULL, "year of the data when iData has no Time column",
     check_year},
    {0}};

int cmd_import(int argc, char **argv)
{
    cli_args a;
    cym_error err;
    cym_status st;
    int rc;

    if ((rc = cli_parse(&a, "import-coinr", opts, 0, 2, argc, argv)) != 0)
        goto cleanup;
    if (a.help) {
        fputs(help, stdout);
        cli_opts_help(stdout, opts);
        goto cleanup;
    }
    if (a.n_positional != 2) {
        rc = cli_usage_error("import-coinr", "give the iData and the iMeta CSV files");
        goto cleanup;
    }
    if (!out) {
        rc = cli_usage_error("import-coinr", "give the dataset folder to write with --out");
        goto cleanup;
    }
    if (!name) {
        const char *s = strrchr(out, '/');
        name = s && s[1] ? s + 1 : out;
    }
    cym_error_clear(&err);
    st = cym_import_coinr(a.positional[0], a.positional[1], out, name, (int)year, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    printf("dataset written to %s/ (framework.csv, countries.csv, one file per unit)\n", out);

cleanup:
    cli_args_free(&a);
    return rc;
}
