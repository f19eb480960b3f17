/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The coverage policy (issue 14): a country-year whose index rests on data for less than
 * `coverage_flag` of its effective weight (cym_results.coverage of the index, default 0.66,
 * the JRC handbook's practice of about two-thirds availability) is still computed, but
 * flagged: a warning names it here, and the tables, charts, findings and targets mark it or
 * leave it out (cym_results_flagged). The policy is not --min-coverage, which keeps COINr's
 * meaning (the share of an aggregate's direct children with a score, below which the
 * aggregate is not computed): a pillar with one indicator of five passes any min-coverage
 * when the index's other pillars are complete, but it is 4 % of the index's weight.
 *
 * cym_pipeline_policy_check is the same test before a run, on the data as loaded, for
 * `cymetrics validate`.
 */
#include <math.h>
#include <stdlib.h>

#include "pipeline/pipeline_internal.h"

/* below the policy by more than rounding (0.2 + 0.2 + 0.2 is not 0.6 in doubles) */
static int below(double coverage, double flag)
{
    return flag > 0 && coverage < flag - 1e-9;
}

int cym_results_flagged(const cym_results *r, size_t u, size_t t)
{
    size_t cell = cym_cube_cell(&r->node_cube, u, t, r->fw->root);
    /* results made of other results' scores alone (the editions' comparable series) have no
       coverage */
    return r->coverage && !isnan(r->score[cell]) && below(r->coverage[cell], r->opts.coverage_flag);
}

static cym_status warn(cym_warnings *w, const cym_unit *unit, int year, double coverage,
                       double flag)
{
    return cym_warnings_add(w,
                            "country %s (%s) has data for %.1f %% of the index's weight in %d, "
                            "below the coverage policy of %g %% (--coverage-flag): its %d scores "
                            "are computed but flagged",
                            unit->code, unit->name, 100.0 * coverage, year, 100.0 * flag, year) < 0
               ? CYM_ENOMEM
               : CYM_OK;
}

cym_status cym_pipeline_policy_warnings(cym_warnings *w, const cym_results *r)
{
    for (size_t u = 0; u < r->n_units; u++)
        for (size_t t = 0; t < r->n_years; t++)
            if (cym_results_flagged(r, u, t) &&
                warn(w, &r->ds->units[u], r->year0 + (int)t,
                     r->coverage[cym_cube_cell(&r->node_cube, u, t, r->fw->root)],
                     r->opts.coverage_flag) < 0)
                return CYM_ENOMEM;
    return CYM_OK;
}

cym_status cym_pipeline_policy_check(cym_warnings *w, const cym_dataset *ds,
                                     const cym_pipeline_options *opts, cym_error *err)
{
    static const cym_pipeline_options defaults = CYM_PIPELINE_OPTIONS_INIT;
    const cym_framework *fw = ds->fw;
    double *cov = NULL, *rel = NULL;
    long t;
    int denominate;
    cym_status st = CYM_OK;

    if (!opts)
        opts = &defaults;
    /* the latest year of the selection that has data */
    t = (long)ds->n_years - 1;
    if (opts->year_to && opts->year_to < ds->year0 + t)
        t = opts->year_to - ds->year0;
    if (t < 0 || !(opts->coverage_flag > 0) || (opts->year_from && opts->year_from > ds->year0 + t))
        return CYM_OK;
    denominate = opts->denominate < 0 ? fw->n_denominators > 0 : opts->denominate;
    cov = malloc(fw->n_nodes * sizeof(*cov));
    rel = malloc(fw->n_nodes * sizeof(*rel));
    if (!cov || !rel) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    /* each node's weight relative to its siblings, as the run's framework or equal weights */
    for (size_t n = 0; n < fw->n_nodes; n++) {
        const cym_node *nd = &fw->nodes[n];
        double sum = 0;
        for (size_t j = 0; j < nd->n_children; j++)
            sum += rel[nd->children[j]] =
                opts->weights == CYM_WEIGHTS_EQUAL ? 1.0 : fw->nodes[nd->children[j]].weight;
        for (size_t j = 0; j < nd->n_children; j++)
            rel[nd->children[j]] = sum > 0 ? rel[nd->children[j]] / sum : 0.0;
    }
    for (size_t u = 0; u < ds->n_units; u++) {
        int any = 0;
        for (size_t b = 0; b < fw->n_nodes; b++) {
            size_t n = fw->bottom_up[b];
            const cym_node *nd = &fw->nodes[n];
            if (!nd->n_children) {
                double x = ds->values[cym_dataset_cell(ds, u, (size_t)t, n)];
                if (denominate && nd->denominator[0] && !isnan(x)) {
                    long s = cym_dataset_find_series(ds, nd->denominator);
                    double d =
                        s < 0 ? NAN : ds->values[cym_dataset_cell(ds, u, (size_t)t, (size_t)s)];
                    if (isnan(d) || d == 0.0)
                        x = NAN;
                }
                cov[n] = isnan(x) ? 0.0 : 1.0;
                any |= !isnan(x);
                continue;
            }
            cov[n] = 0;
            for (size_t j = 0; j < nd->n_children; j++)
                cov[n] += rel[nd->children[j]] * cov[nd->children[j]];
        }
        /* no value at all: the dataset's late-submission warning says so */
        if (any && below(cov[fw->root], opts->coverage_flag) &&
            (st = warn(w, &ds->units[u], ds->year0 + (int)t, cov[fw->root], opts->coverage_flag)) <
                0) {
            cym_error_set(err, st, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
    }

cleanup:
    free(cov);
    free(rel);
    return st;
}
