/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics report`: runs the pipeline and writes the report, or one country's profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cymetrics/pipeline.h"
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

int cmd_report(int argc, char **argv)
{
    cli_args a;
    cym_options o;
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *res = NULL;
    cym_error err;
    cym_status st;
    cym_warnings failed = {0};
    char outdir[CYM_PATH_MAX];
    size_t unit = CYM_REPORT_ALL;
    int rc;

    cym_error_clear(&err);
    rc = cli_parse(&a, "report", opts, 1, 0, argc, argv);
    if (rc)
        goto cleanup;
    if (a.help) {
        fputs(help, stdout);
        goto cleanup;
    }
    if ((rc = cli_options(&o, &a)) != 0)
        goto cleanup;
    if ((rc = cli_load(&fw, &ds, &o)) != 0)
        goto cleanup;
    if (country) {
        long u = cym_dataset_find_unit(ds, country);
        if (u < 0) {
            rc = cli_usage_error("report", "no country '%s' in the dataset", country);
            goto cleanup;
        }
        unit = (size_t)u;
    }
    st = cym_pipeline_run(&res, ds, &o, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    cli_outdir(outdir, sizeof(outdir), &o);
    st = cym_report_write(res, &o, NULL, unit, outdir, &failed, &err);
    for (size_t i = 0; i < failed.count; i++)
        fprintf(stderr, "cymetrics: %s\n", failed.lines[i]);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    if (failed.count)
        rc = EXIT_IO;
    if (!a.quiet) {
        if (country)
            printf("report: %s/report-%s.html, %s/report-%s.md\n", outdir, country, outdir,
                   country);
        else
            printf("report: %s/report.html, %s/report.md\n", outdir, outdir);
    }

cleanup:
    cym_warnings_clear(&failed);
    cym_results_free(res);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    cli_args_free(&a);
    return rc;
}
