/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics validate`: load and check a dataset, print its coverage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "cymetrics/edition.h"
#include "cymetrics/tables.h"
#include "cymetrics/pipeline.h"

static const char help[] =
    "usage: cymetrics validate [DATASET_DIR | --config FILE] [--framework FILE]\n"
    "                          [--countries FILE] [--data DIR|FILE] [--years A-B]\n"
    "                          [--format text|json] [--max-errors N]\n"
    "\n"
    "Loads the framework, the countries and the data, checks every rule of docs/formats.md\n"
    "and prints a coverage summary. Errors are printed as FILE:LINE:COLUMN: message, every\n"
    "one found in one pass (sorted by file, line and column), up to --max-errors: a bad row\n"
    "or value is reported and the rest read on; a file whose header or CSV syntax is wrong is\n"
    "reported and the other files read; a broken framework, or countries.csv without a valid\n"
    "country, stops what depends on it.\n"
    "Warns of every country with no value, or with data for less than --coverage-flag of\n"
    "the index's weight, in the latest year.\n"
    "\n"
    "exit status: 0 valid, 1 invalid data, 2 bad usage or configuration, 3 I/O error\n"
    "(with several errors, the status of the first listed).\n";

#define MAX_ERRORS "50"
static const char *opt_format, *opt_max;

static const cli_opt opts[] = {
    {CLI_OPT_VALUE, "format", "FMT", &opt_format,
     "text, or json: one JSON document on stdout (docs/formats.md) [text]", NULL},
    {CLI_OPT_VALUE, "max-errors", "N", &opt_max,
     "most errors listed, 1-100000; the others are counted [" MAX_ERRORS "]", NULL},
    {0}};

/* a dataset with framework editions is loaded edition by edition: the prologue stops at the
   settings */
const cli_spec cmd_validate_spec = {
    .help = help, .opts = opts, .stage = CLI_STAGE_SETTINGS, .dataset = 1};

/*
 * Prints what was found: in JSON the whole document on stdout; else each error listed, how
 * many were not, and how many in all (a valid dataset's summary is printed by the caller).
 * The exit code: that of the first error, 0 without any.
 */
static int report(int json, const char *name, const cym_error_list *errors,
                  const cym_warnings *warnings, const cym_dataset *ds)
{
    if (json) {
        cym_validation v = {name, errors, warnings, ds};
        cym_error err;
        char *text = NULL;
        cym_status st = cym_validation_json(&text, &v, &err);
        if (st < 0)
            return cli_fail(st, &err);
        fputs(text, stdout);
        free(text);
    } else {
        for (size_t i = 0; i < errors->count; i++)
            cli_fail(errors->errors[i].code, &errors->errors[i]);
        if (errors->total > errors->count)
            fprintf(stderr, "cymetrics: %zu more error%s not shown (--max-errors %zu)\n",
                    errors->total - errors->count, errors->total - errors->count == 1 ? "" : "s",
                    errors->limit);
        if (errors->total > 1)
            fprintf(stderr, "cymetrics: %zu errors\n", errors->total);
    }
    return errors->count ? cym_error_exit_code(errors->errors[0].code) : 0;
}

/*
 * Every edition's framework and rows, the crosswalk against them (cym_editions_load), which
 * stops at the first error.
 */
static int validate_editions(cli_ctx *c, int json, cym_error_list *errors)
{
    const cym_options *o = &c->o;
    cym_editions_options eo = cli_editions_options(o);
    cym_editions *e = NULL;
    cym_warnings all = {NULL, 0, 0};
    cym_error err;
    cym_status st;
    int rc = 0;

    cym_error_clear(&err);
    if ((st = cym_editions_load(&e, &eo, &err)) < 0) {
        cym_error_list_add(errors, &err);
        return report(json, o->output.name, errors, NULL, NULL);
    }
    for (size_t k = 0; k < e->n; k++)
        for (size_t i = 0; i < e->ed[k].ds->warnings.count; i++)
            if (cym_warnings_add(&all, "edition %s: %s", e->ed[k].label,
                                 e->ed[k].ds->warnings.lines[i]) < 0) {
                rc = cli_fail(cym_error_set(&err, CYM_ENOMEM, NULL, 0, 0, "out of memory"),
                              &err);
                goto cleanup;
            }
    if (json) {
        rc = report(json, o->output.name, errors, &all, NULL);
        goto cleanup;
    }
    printf("dataset: %s\n", o->output.name);
    for (size_t k = 0; k < e->n; k++) {
        const cym_edition *ed = &e->ed[k];
        printf("edition %s: framework %s: %zu nodes, %zu indicators", ed->label, ed->fw->path,
               ed->fw->n_nodes, ed->fw->n_indicators);
        if (ed->ds->n_years)
            printf("; data in %d-%d", ed->ds->year0, ed->ds->year0 + (int)ed->ds->n_years - 1);
        else
            printf("; no data");
        printf("\n");
    }
    if (e->cw)
        printf("crosswalk: %s: %zu rows\n", e->cw->path, e->cw->n);
    fflush(stdout);
    for (size_t i = 0; i < all.count; i++)
        cli_warning(c, "%s", all.lines[i]);
    printf("valid: %zu framework editions, %zu warning%s\n", e->n, all.count,
           all.count == 1 ? "" : "s");
cleanup:
    cym_warnings_clear(&all);
    cym_editions_free(e);
    return rc;
}

typedef struct ranked {
    const char *label;
    size_t missing;
} ranked;

static int by_missing(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->missing != y->missing)
        return x->missing < y->missing ? 1 : -1;
    return strcmp(x->label, y->label);
}

static void print_missing(const char *title, ranked *r, size_t n, size_t per)
{
    size_t shown = 0, more = 0;
    qsort(r, n, sizeof(*r), by_missing);
    printf("missing cells by %s:", title);
    for (size_t i = 0; i < n && r[i].missing; i++) {
        if (shown == 12) {
            more++;
            continue;
        }
        printf("%s %s %zu/%zu", shown ? "," : "", r[i].label, r[i].missing, per);
        shown++;
    }
    if (more)
        printf(" and %zu more", more);
    printf("%s\n", shown ? "" : " none");
}

int cmd_validate(cli_ctx *c)
{
    const cym_framework *fw;
    const cym_dataset *ds;
    cym_coverage cov;
    cym_warnings policy = {0};
    cym_error err;
    ranked *r = NULL;
    int rc;

    long max = 0;
    int json = opt_format && strcmp(opt_format, "json") == 0;
    cym_error_list errors = {NULL, 0, 0, 0};

    if (opt_format && !json && strcmp(opt_format, "text") != 0)
        return cli_usage_error("validate", "invalid format '%s' (expected text or json)",
                               opt_format);
    if (cym__parse_long(opt_max ? opt_max : MAX_ERRORS, 1, 100000, &max) < 0)
        return cli_usage_error(
            "validate", "invalid max-errors '%s' (expected a whole number 1-100000)", opt_max);
    errors.limit = (size_t)max;
    memset(&cov, 0, sizeof(cov));
    if (c->o.edition.n && !c->o.framework[0]) {
        rc = validate_editions(c, json, &errors);
        goto cleanup;
    }
    c->errors = &errors;
    if ((rc = cli_advance(c, CLI_STAGE_LOAD)) != 0) {
        /* the errors of the load are in the list, a usage error was printed */
        if (errors.total)
            rc = report(json, c->o.output.name, &errors, NULL, NULL);
        goto cleanup;
    }
    fw = c->fw;
    ds = c->ds;
    cym_error_clear(&err);
    /* the countries below the coverage policy in the latest year, as the run will flag them */
    if (cym_pipeline_policy_check(&policy, ds, &c->o.run, &err) < 0) {
        rc = cli_fail(CYM_ENOMEM, &err);
        goto cleanup;
    }
    if (json) {
        /* the dataset's warnings, then the policy's: as the text output lists them */
        cym_warnings all = {NULL, 0, 0};
        int st = 0;
        for (size_t i = 0; i < ds->warnings.count && st >= 0; i++)
            st = cym_warnings_add(&all, "%s", ds->warnings.lines[i]);
        for (size_t i = 0; i < policy.count && st >= 0; i++)
            st = cym_warnings_add(&all, "%s", policy.lines[i]);
        rc = st < 0 ? cli_fail(cym_error_set(&err, CYM_ENOMEM, NULL, 0, 0, "out of memory"), &err)
                    : report(json, c->o.output.name, &errors, &all, ds);
        cym_warnings_clear(&all);
        goto cleanup;
    }
    if (cym_dataset_coverage(&cov, ds, c->o.run.year_from, c->o.run.year_to, &err) < 0) {
        rc = cli_fail(CYM_ENOMEM, &err);
        goto cleanup;
    }

    printf("dataset: %s\n", c->o.output.name);
    printf("framework: %s: %zu nodes, %zu indicators, %d levels\n", fw->path, fw->n_nodes,
           fw->n_indicators, fw->levels);
    printf("countries: %zu (%s)", ds->n_units, ds->countries_path);
    if (ds->n_group_cols) {
        printf(", group columns:");
        for (size_t g = 0; g < ds->n_group_cols; g++)
            printf("%s %s", g ? "," : "", ds->group_cols[g]);
    }
    printf("\n");
    if (ds->n_years)
        printf("data: %s: %zu rows (%zu with a missing value), years %d-%d\n", ds->data_path,
               ds->n_rows, ds->n_rows_missing, ds->year0, ds->year0 + (int)ds->n_years - 1);
    else
        printf("data: %s: no rows\n", ds->data_path);
    if (ds->n_flags) {
        printf("flags:");
        for (size_t i = 0; i < ds->n_flags; i++) {
            char flag[256];
            printf("%s %s %zu", i ? "," : "", cli_clean(flag, sizeof(flag), ds->flags[i].flag),
                   ds->flags[i].count);
        }
        printf("\n");
    }
    if (cov.cells) {
        size_t ny = (size_t)(cov.year_to - cov.year_from + 1);
        printf("coverage %d-%d: %zu of %zu indicator cells present (%.1f %%)\n", cov.year_from,
               cov.year_to, cov.present, cov.cells,
               100.0 * (double)cov.present / (double)cov.cells);
        r = malloc((fw->n_indicators + ds->n_units + 1) * sizeof(*r));
        if (!r) {
            fprintf(stderr, "cymetrics: out of memory\n");
            rc = EXIT_INTERNAL;
            goto cleanup;
        }
        for (size_t i = 0; i < fw->n_indicators; i++) {
            r[i].label = fw->nodes[fw->indicators[i]].code;
            r[i].missing = cov.missing_by_indicator[i];
        }
        print_missing("indicator", r, fw->n_indicators, ds->n_units * ny);
        for (size_t u = 0; u < ds->n_units; u++) {
            r[u].label = ds->units[u].code;
            r[u].missing = cov.missing_by_unit[u];
        }
        print_missing("country", r, ds->n_units, fw->n_indicators * ny);
    }
    fflush(stdout);
    for (size_t i = 0; i < ds->warnings.count; i++)
        cli_warning(c, "%s", ds->warnings.lines[i]);
    for (size_t i = 0; i < policy.count; i++)
        cli_warning(c, "%s", policy.lines[i]);
    printf("valid: %zu warning%s\n", ds->warnings.count + policy.count,
           ds->warnings.count + policy.count == 1 ? "" : "s");

cleanup:
    cym_warnings_clear(&policy);
    free(r);
    cym_coverage_free(&cov);
    cym_error_list_free(&errors);
    c->errors = NULL;
    return rc;
}
