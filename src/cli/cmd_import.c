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
    "\n"
    "  --out DIR     the dataset folder to write (created if needed)\n"
    "  --name NAME   dataset name [the folder name]\n"
    "  --year Y      year of the data when iData has no Time column\n";

int cmd_import(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL}, *out = NULL, *name = NULL;
    int nfiles = 0;
    long year = 0;
    cym_error err;
    cym_status st;

    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(help, stdout);
            return 0;
        }
        if (strcmp(a, "--out") == 0 || strcmp(a, "--name") == 0 || strcmp(a, "--year") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("import-coinr", "option '%s' needs a value", a);
            if (strcmp(a, "--out") == 0)
                out = argv[++i];
            else if (strcmp(a, "--name") == 0)
                name = argv[++i];
            else if (cym__parse_long(argv[++i], 1900, 2100, &year) < 0)
                return cli_usage_error("import-coinr", "--year: '%s' is not a year 1900-2100",
                                       argv[i]);
            continue;
        }
        if (a[0] == '-' && a[1])
            return cli_usage_error("import-coinr", "unknown option '%s'", a);
        if (nfiles == 2)
            return cli_usage_error("import-coinr", "unexpected argument '%s'", a);
        files[nfiles++] = a;
    }
    if (nfiles != 2)
        return cli_usage_error("import-coinr", "give the iData and the iMeta CSV files");
    if (!out)
        return cli_usage_error("import-coinr", "give the dataset folder to write with --out");
    if (!name) {
        const char *s = strrchr(out, '/');
        name = s && s[1] ? s + 1 : out;
    }
    cym_error_clear(&err);
    st = cym_import_coinr(files[0], files[1], out, name, (int)year, &err);
    if (st < 0)
        return cli_fail(st, &err);
    printf("dataset written to %s/ (framework.csv, countries.csv, one file per unit)\n", out);
    return 0;
}
