/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics report`: runs the pipeline and writes the report, or one country's profile. */
#include <stdio.h>

#include "cli/cli.h"
#include "cymetrics/report.h"

static const char help[] =
    "usage: cymetrics report [DATASET_DIR | --config FILE] [--country CODE] [--out DIR]\n"
    "                        [--decimals N] [OPTIONS]\n"
    "\n"
    "Runs the index pipeline and writes the report into the output folder (default\n"
    "reports/<dataset-name>/): report.html (self-contained: charts embedded, no network) and\n"
    "report.md. With --country CODE only that country's profile, as report-CODE.html and\n"
    "report-CODE.md. 'cymetrics run' writes the whole report with its tables.\n"
    "\n"
    "Every option of 'cymetrics run' is accepted (methods, years, tiers).\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 I/O error, 4 internal.\n";

static const char *country;

/* --country is told in the help's text */
static const cli_opt opts[] = {{CLI_OPT_VALUE, "country", "CODE", &country, NULL, NULL}, {0}};

/* stops at the load: an unknown --country is told before the pipeline runs */
const cli_spec cmd_report_spec = {
    .writes = 1, .help = help, .opts = opts, .stage = CLI_STAGE_LOAD, .dataset = 1};

int cmd_report(cli_ctx *c)
{
    const char *outdir = c->outdir;
    cym_run_options ro;
    cym_error err;
    cym_status st;
    cym_warnings failed = {0};
    size_t unit = CYM_REPORT_ALL;
    int rc;

    cym_error_clear(&err);
    if (country && (rc = cli_find_country(&unit, c, country)) != 0)
        return rc;
    if ((rc = cli_advance(c, CLI_STAGE_PIPELINE)) != 0)
        return rc;
    if ((rc = cli_run_options(&ro, c, NULL)) != 0)
        return rc;
    st = cym_report_write(c->res, &ro.report, unit, c->wdir, &failed, &err);
    for (size_t i = 0; i < failed.count; i++)
        fprintf(stderr, "cymetrics: %s\n", failed.lines[i]);
    if (st < 0)
        rc = cli_fail(st, &err);
    else if (failed.count)
        rc = EXIT_IO;
    if (rc == 0)
        rc = cli_commit(c);
    if (rc == 0 && !c->a.quiet) {
        if (country)
            printf("report: %s/report-%s.html, %s/report-%s.md\n", outdir,
                   c->ds->units[unit].code, outdir, c->ds->units[unit].code);
        else
            printf("report: %s/report.html, %s/report.md\n", outdir, outdir);
    }
    cym_warnings_clear(&failed);
    return rc;
}
