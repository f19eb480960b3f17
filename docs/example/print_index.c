/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * print_index DATASET_DIR: the smallest program on libcymetrics. It reads the dataset's
 * cymetrics.ini (methods, and where the framework is), loads the framework, the countries and
 * the data, runs the index pipeline and prints the rank and index score of every country in
 * the last year: the columns rank, country and <index> of the index.csv that `cymetrics run`
 * writes, numbers in the same text (cym_format_double), countries in countries.csv order.
 *
 *   cc print_index.c $(pkg-config --cflags --libs cymetrics) -o print_index
 *   ./print_index datasets/asean-japan
 *
 * tests/install/install_check.sh builds it against the installed library and compares.
 */
#include <stdio.h>

#include "cymetrics/dataset.h"
#include "cymetrics/format.h"
#include "cymetrics/framework.h"
#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"

int main(int argc, char **argv)
{
    static cym_options o; /* the settings of every command: large, so not on the stack */
    cym_framework *fw = NULL;
    cym_dataset *ds = NULL;
    cym_results *res = NULL;
    cym_dataset_paths paths;
    cym_dataset_options dopts = CYM_DATASET_OPTIONS_INIT;
    cym_error err;
    cym_status error;
    char ini[CYM_PATH_MAX], countries[CYM_PATH_MAX], rank[32], score[32];

    if (argc != 2) {
        fputs("usage: print_index DATASET_DIR\n", stderr);
        return 2;
    }
    cym_error_clear(&err);
    cym_options_default(&o);
    snprintf(ini, sizeof(ini), "%s/cymetrics.ini", argv[1]);
    snprintf(countries, sizeof(countries), "%s/countries.csv", argv[1]);
    /* relative paths in the INI (the framework) are resolved against its folder */
    error = cym_options_load_ini(&o, ini, &err);
    if (error < 0 || (error = cym_framework_load(&fw, o.framework, &err)) < 0)
        goto cleanup;
    paths.countries = o.countries[0] ? o.countries : countries;
    paths.data = o.data[0] ? o.data : argv[1];
    dopts.format.delimiter = o.delimiter;
    dopts.format.decimal = o.decimal;
    /* o.run: the methods of the INI's [run] section (and its years), as `cymetrics run` */
    error = cym_dataset_load(&ds, fw, &paths, &dopts, &err);
    if (error < 0 || (error = cym_pipeline_run(&res, ds, &o.run, &err)) < 0)
        goto cleanup;

    printf("rank,country,%s\n", fw->nodes[fw->root].code);
    for (size_t u = 0; u < res->n_units; u++) {
        size_t cell = cym_cube_cell(&res->node_cube, u, res->n_years - 1, fw->root);
        cym_format_double(rank, res->rank[cell]); /* "" when the country has no score */
        cym_format_double(score, res->score[cell]);
        printf("%s,%s,%s\n", rank, ds->units[u].code, score);
    }

cleanup:
    if (error < 0) {
        char msg[CYM_ERROR_FILE_MAX + CYM_ERROR_MESSAGE_MAX + 64];
        cym_error_format(msg, sizeof(msg), &err);
        fprintf(stderr, "print_index: %s\n", msg);
    }
    cym_results_free(res);
    cym_dataset_free(ds);
    cym_framework_free(fw);
    return error < 0 ? cym_error_exit_code(error) : 0;
}
