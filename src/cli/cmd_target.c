/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `cymetrics target COUNTRY`: the shortest list of indicator improvements (greedy, with the
 * normalisation and the other countries held fixed) that brings COUNTRY to a tier or a score;
 * prints it and writes targets.csv. The search is in the library (src/target/).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "cymetrics/compare.h"
#include "cymetrics/target.h"

static const char help[] =
    "usage: cymetrics target COUNTRY [DATASET_DIR | --config FILE] [--tier LABEL | --score X]\n"
    "                        [--year Y] [--out DIR] [OPTIONS]\n"
    "\n"
    "What it takes COUNTRY (a code of countries.csv) to reach a tier: the shortest list of\n"
    "indicator improvements found greedily, each raising one indicator to its best value (the\n"
    "goalpost under goalposts normalisation, full marks for binary and ordinal items, else the\n"
    "best value observed that year), the biggest gain first, the index recomputed after each\n"
    "step with the normalisation and the other countries held fixed. Prints the steps and\n"
    "writes <out>/targets.csv; says when the target cannot be reached, and by how much.\n"
    "\n";

static const char notes[] =
    "Every option of 'cymetrics run' applies (methods, --tiers, --out, ...).\n"
    "\n"
    "exit status: 0 ok (also when the target is out of reach or already reached), 1 bad\n"
    "data, 2 bad usage or configuration, 3 I/O error, 4 internal.\n";

static const char *opt_tier, *opt_score, *opt_year, *opt_work;

/* The default bound on the search's work (children visited while rescoring): a few
   seconds on this machine however many indicators (3 s on 4,000; issue 15) */
#define TARGET_WORK "500000000"

static const cli_opt opts[] = {
    {CLI_OPT_VALUE, "tier", "LABEL", &opt_tier,
     "the tier to reach (a label of --tiers) [the next tier up]", NULL},
    {CLI_OPT_VALUE, "score", "X", &opt_score, "a score to reach instead of a tier", NULL},
    {CLI_OPT_VALUE, "year", "Y", &opt_year, "the year [the last year of the data]", NULL},
    {CLI_OPT_VALUE, "max-work", "N", &opt_work,
     "bound on the search's work, children visited while rescoring; 0 = none [" TARGET_WORK "]",
     NULL},
    {0}};

/* stops at the parse: COUNTRY and --tier/--score are checked before the settings */
const cli_spec cmd_target_spec = {.writes = 1,
                                  .help = help,
                                  .opts = opts,
                                  .notes = notes,
                                  .stage = CLI_STAGE_PARSE,
                                  .dataset = 1,
                                  .max_args = 1};

static void print_plan(const cym_target_plan *p, const cym_results *r, const char *label,
                       const char *tier_now)
{
    const cym_framework *fw = r->fw;
    printf("%s %d: %s %.2f%s%s%s; target %.2f%s%s%s\n", r->ds->units[p->unit].code, p->year,
           fw->nodes[fw->root].code, p->current, tier_now ? " (" : "", tier_now ? tier_now : "",
           tier_now ? ")" : "", p->target, label ? " (" : "", label ? label : "", label ? ")" : "");
    if (p->current >= p->target) {
        printf("already reached: %.2f >= %.2f, nothing to do\n", p->current, p->target);
        return;
    }
    if (p->n_steps) {
        printf("  step  %-24s %-10s %12s %12s %8s %8s\n", "indicator", "pillar", "current",
               "target", "gain", "score");
        for (size_t k = 0; k < p->n_steps; k++) {
            const cym_target_step *s = &p->steps[k];
            size_t node = fw->indicators[s->indicator];
            long pil = cym_target_pillar(fw, node);
            char cur[32];
            if (isnan(s->current))
                snprintf(cur, sizeof(cur), "missing");
            else
                snprintf(cur, sizeof(cur), "%.4g", s->current);
            printf("  %4zu  %-24s %-10s %12s %12.4g %8.2f %8.2f\n", k + 1, fw->nodes[node].code,
                   pil >= 0 && (size_t)pil != node ? fw->nodes[pil].code : "", cur, s->target_value,
                   s->gain, s->score_after);
        }
    }
    if (p->reached)
        printf("reached: %.2f >= %.2f in %zu step%s\n", p->steps[p->n_steps - 1].score_after,
               p->target, p->n_steps, p->n_steps == 1 ? "" : "s");
    else if (p->truncated)
        printf("stopped at the work bound (--max-work) after %zu step%s, %.2f short of %.2f: "
               "the steps so far are in targets.csv\n",
               p->n_steps, p->n_steps == 1 ? "" : "s",
               p->target - (p->n_steps ? p->steps[p->n_steps - 1].score_after : p->current),
               p->target);
    else
        printf("cannot reach %.2f: with every indicator at its best the index is %.2f, "
               "%.2f short\n",
               p->target, p->max_score, p->target - p->max_score);
}

int cmd_target(cli_ctx *c)
{
    unsigned long long work;
    const cym_options *o = &c->o;
    const cym_framework *fw;
    const cym_results *res;
    cym_target_plan *plan = NULL;
    cym_error err;
    cym_status st;
    const char *label = NULL, *tier_now = NULL, *code;
    size_t unit, t;
    double target;
    int rc;

    cym_error_clear(&err);
    if (c->a.n_positional != 1)
        return cli_usage_error("target", "give the country: 'cymetrics target COUNTRY "
                                         "[DATASET_DIR]'");
    if (opt_tier && opt_score)
        return cli_usage_error("target", "give --tier or --score, not both");
    if ((rc = cli_advance(c, CLI_STAGE_LOAD)) != 0)
        return rc;
    code = cli_country_code(c, c->a.positional[0]); /* any case */
    if ((st = cym_compare_find_units(&unit, c->ds, &code, 1, &err)) < 0)
        return cli_fail(st, &err);
    if ((rc = cli_advance(c, CLI_STAGE_PIPELINE)) != 0)
        return rc;
    fw = c->fw;
    res = c->res;
    t = res->n_years - 1;
    if (opt_year) {
        long y;
        if (cym__parse_long(opt_year, res->year0, res->year0 + (long)res->n_years - 1, &y) < 0) {
            rc = cli_usage_error("target", "--year %s: not a year of the run (%d-%d)", opt_year,
                                 res->year0, res->year0 + (int)res->n_years - 1);
            goto cleanup;
        }
        t = (size_t)(y - res->year0);
    }
    {
        double s = res->score[cym_cube_cell(&res->node_cube, unit, t, fw->root)];
        int tier = res->tier[cym_cube_cell(&res->unit_cube, unit, t, 0)];
        if (isnan(s)) {
            st = cym_error_set(&err, CYM_EDATA, NULL, 0, 0,
                               "%s has no index score in %d (no data, or too little for "
                               "--min-coverage)",
                               code, res->year0 + (int)t);
            rc = cli_fail(st, &err);
            goto cleanup;
        }
        /* advice on a score that rests on little data would chase the gaps, not the country */
        if (cym_results_flagged(res, unit, t) && !res->opts.target_flagged) {
            st = cym_error_set(&err, CYM_EDATA, NULL, 0, 0,
                               "%s has data for %.1f %% of the index's weight in %d, below the "
                               "coverage policy of %g %% (--coverage-flag): no advice on a "
                               "flagged score (--target-flagged on to advise anyway)",
                               code,
                               100.0 * res->coverage[cym_cube_cell(&res->node_cube, unit, t,
                                                                   fw->root)],
                               res->year0 + (int)t, 100.0 * res->opts.coverage_flag);
            rc = cli_fail(st, &err);
            goto cleanup;
        }
        if (tier >= 0)
            tier_now = o->run.tiers[tier].label;
        if (opt_score) {
            if (cym__parse_number(opt_score, &target) != CYM_NUM_OK) {
                rc = cli_usage_error("target", "--score '%s' is not a number", opt_score);
                goto cleanup;
            }
        } else if (!o->run.n_tiers) {
            rc = cli_usage_error("target", "no tiers configured: give --score X, or --tiers "
                                           "with --tier LABEL");
            goto cleanup;
        } else {
            long k = -1;
            if (opt_tier) {
                char list[CYM_ERROR_MESSAGE_MAX / 2] = "";
                size_t len = 0;
                for (size_t i = 0; i < o->run.n_tiers; i++) {
                    if (strcmp(o->run.tiers[i].label, opt_tier) == 0)
                        k = (long)i;
                    if (len < sizeof(list) - 70)
                        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s'%s'",
                                                i ? ", " : "", o->run.tiers[i].label);
                }
                if (k < 0) {
                    rc = cli_usage_error("target", "unknown tier '%s' (the tiers are %s)", opt_tier,
                                         list);
                    goto cleanup;
                }
            } else if (tier == 0) {
                printf("%s %d: %s %.2f is in the top tier (%s): no tier above\n", code,
                       res->year0 + (int)t, fw->nodes[fw->root].code, s, o->run.tiers[0].label);
                k = -1;
            } else {
                k = tier > 0 ? tier - 1 : (long)o->run.n_tiers - 1;
            }
            if (k < 0) {
                target = s; /* top tier: nothing to do, an empty targets.csv */
            } else {
                label = o->run.tiers[k].label;
                target = cym_target_tier_threshold(res, t, (size_t)k);
            }
        }
    }
    {
        char *end;
        const char *w = opt_work ? opt_work : TARGET_WORK;
        work = strtoull(w, &end, 10);
        if (!*w || *end || w[0] == '-')
            return cli_usage_error("target",
                                   "invalid max-work '%s' (expected a whole number, "
                                   "0 for no bound)",
                                   w);
    }
    if ((st = cym_target_search(&plan, res, unit, t, target, (size_t)work, &err)) < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    if ((st = cym_target_write(plan, res, c->wdir, &err)) < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    if ((rc = cli_commit(c)) != 0)
        goto cleanup;
    if (!c->a.quiet) {
        if (!(opt_tier == NULL && opt_score == NULL && o->run.n_tiers &&
              res->tier[cym_cube_cell(&res->unit_cube, unit, t, 0)] == 0))
            print_plan(plan, res, label, tier_now);
        printf("results: %s/targets.csv\n", c->outdir);
    }

cleanup:
    cym_target_plan_free(plan);
    return rc;
}
