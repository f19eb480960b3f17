/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics uncertainty`: Monte Carlo uncertainty and Sobol sensitivity of the index ranks. */
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cymetrics/database.h"
#include "cymetrics/uncertainty.h"

/* Countries the console summary lists by nominal rank; the others are counted. */
#define SHOWN 10

static const char help[] =
    "usage: cymetrics uncertainty [DATASET_DIR | --config FILE] [--out DIR] [OPTIONS]\n"
    "\n"
    "Reruns the index pipeline many times with the uncertain factors drawn at random and\n"
    "writes uncertainty.csv (nominal, mean, median, 5th and 95th percentile rank and score\n"
    "per country and year; scores only when every replication is on one scale) and\n"
    "rank_frequency.csv, and with --sobol sensitivity.csv (first-order and total Sobol\n"
    "indices with bootstrap 90 % intervals). The nominal methods are those of\n"
    "'cymetrics run' with the same options (see 'cymetrics run --help').\n";

static const char notes[] =
    "  --out DIR           output folder [reports/<dataset-name>]\n"
    "  --quiet             no progress bar and no summary\n"
    "\n"
    "exit status: 0 ok, 1 bad data, 2 bad usage or configuration, 3 I/O error, 4 internal,\n"
    "130 interrupted (nothing written).\n";

const cli_spec cmd_uncertainty_spec = {.help = help,
                                       .keys = "uncertainty",
                                       .notes = notes,
                                       .stage = CLI_STAGE_LOAD,
                                       .dataset = 1,
                                       .writes = 1};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct bar {
    int show;
    int last;
} bar;

static int progress(void *user, size_t done, size_t total)
{
    bar *b = user;
    if (b->show) {
        int pct = (int)(100.0 * (double)done / (double)total);
        if (pct != b->last) {
            int w = pct * 40 / 100;
            fprintf(stderr, "\r[%.*s%*s] %3d%% %zu/%zu", w,
                    "########################################", 40 - w, "", pct, done, total);
            if (done == total)
                fputc('\n', stderr);
            fflush(stderr);
            b->last = pct;
        }
    }
    return interrupted != 0;
}

int cli_run_uncertainty(cym_uncertainty **u, const cym_dataset *ds, const cym_options *o, int quiet)
{
    struct sigaction sa, old;
    bar b = {0, -1};
    cym_uncertainty_options uo = CYM_UNCERTAINTY_OPTIONS_INIT;
    cym_error err;
    cym_status st;
    int handler, rc = 0;

    cym_error_clear(&err);
    interrupted = 0;
#ifdef M_TRIM_THRESHOLD
    /* Each replication frees what the pipeline allocated; glibc then gives the top of the
       heap back to the kernel and takes it again in the next one, a page fault or two per
       replication, which on a virtual machine cost 40 % of the time. Keep up to 64 MiB. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    handler = sigaction(SIGINT, &sa, &old) == 0;
    b.show = !quiet && isatty(STDERR_FILENO);
    uo.run = o->run;
    uo.spec = o->unc;
    uo.progress = progress;
    uo.progress_user = &b;
    st = cym_uncertainty_run(u, ds, &uo, &err);
    if (st < 0) {
        if (b.show && b.last >= 0 && b.last < 100)
            fputc('\n', stderr);
        if (interrupted) {
            fprintf(stderr, "cymetrics: interrupted; nothing was written\n");
            rc = 130;
        } else
            rc = cli_fail(st, &err);
    }
    if (handler)
        sigaction(SIGINT, &old, NULL);
    return rc;
}

int cmd_uncertainty(cli_ctx *c)
{
    const char *outdir = c->outdir;
    cym_uncertainty *u = NULL;
    cym_error err;
    cym_status st;
    int rc;

    cym_error_clear(&err);
    if ((rc = cli_run_uncertainty(&u, c->ds, &c->o, c->a.quiet)) != 0)
        goto cleanup;
    if (!u) /* another rank of an MPI job: rank 0 writes */
        goto cleanup;
    st = cym_uncertainty_write(u, c->wdir, &err);
    /* results.sqlite (--tables sqlite): the uncertainty tables, as a run's */
    if (st >= 0 && (c->o.output.tables & CYM_TABLES_SQLITE))
        st = cym_database_write(c->wdir, &err);
    if (st < 0) {
        rc = cli_fail(st, &err);
        goto cleanup;
    }
    if ((rc = cli_commit(c)) != 0)
        goto cleanup;
    if (!c->a.quiet) {
        size_t t = u->n_years - 1, shown = 0, unranked = 0;
        printf("%s: %zu replications, %d (nominal rank, 90 %% interval, country):\n",
               c->o.output.name, u->runs, u->year0 + (int)t);
        /* the top SHOWN by nominal rank (all tied at the last one shown), then a count of the
           rest, so that a country left out is never left out silently */
        for (double want = 1; want <= SHOWN; want++)
            for (size_t un = 0; un < u->n_units; un++) {
                size_t cell = un * u->n_years + t;
                if (u->nominal_rank[cell] == want) {
                    printf("  %3.0f  [%3.0f, %3.0f]  %s\n", u->nominal_rank[cell],
                           u->rank_q05[cell], u->rank_q95[cell], c->ds->units[un].code);
                    shown++;
                }
            }
        for (size_t un = 0; un < u->n_units; un++)
            unranked += u->nominal_rank[un * u->n_years + t] != u->nominal_rank[un * u->n_years + t];
        if (shown < u->n_units) {
            printf("  ... and %zu more", u->n_units - shown);
            if (unranked)
                printf(" (%zu without a nominal rank)", unranked);
            printf(": see %s/uncertainty.csv\n", outdir);
        }
        if (u->n_scales > 1)
            printf("scores not summarised: the alternatives put them on %zu scales (%s)\n",
                   u->n_scales, u->scales);
        printf("results: %s/uncertainty.csv\n", outdir);
    }

cleanup:
    cym_uncertainty_free(u);
    return rc;
}
