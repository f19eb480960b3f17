/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The tables of an uncertainty analysis: uncertainty.csv (per country and year the nominal
 * rank and the mean, median, 5th and 95th percentile of the ranks, then the same of the
 * score; empty, with a score_note column, when the replications' scores are on different
 * scales), rank_frequency.csv (how often each country took each rank), sensitivity.csv (Sobol
 * indices with bootstrap 90 % intervals) and runs.csv (keep-runs). Written atomically.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/tables.h"
#include "io/csv.h"
#include "io/outdir.h"

static void write_summary(FILE *f, const void *arg)
{
    const cym_uncertainty *u = arg;
    /* when the replications' scores are on different scales, their statistics are empty
       and a last column says why, on every row (so it survives filtering and sorting) */
    int mixed = u->n_scales > 1;
    char note[400];
    snprintf(note, sizeof(note),
             "not summarised: the replications' scores are on %zu scales (%s); ranks are "
             "comparable, scores per replication in runs.csv (keep-runs on)",
             u->n_scales, u->scales);
    fputs("country,year,nominal,mean,median,q05,q95,score_nominal,score_mean,score_median,"
          "score_q05,score_q95",
          f);
    fputs(mixed ? ",score_note\n" : "\n", f);
    for (size_t un = 0; un < u->n_units; un++)
        for (size_t t = 0; t < u->n_years; t++) {
            size_t c = un * u->n_years + t;
            const double v[] = {u->nominal_rank[c], u->rank_mean[c],    u->rank_median[c],
                                u->rank_q05[c],     u->rank_q95[c],     u->nominal_score[c],
                                u->score_mean[c],   u->score_median[c], u->score_q05[c],
                                u->score_q95[c]};
            fprintf(f, "%s,%d", u->ds->units[un].code, u->year0 + (int)t);
            cym__csv_put_nums(f, v, sizeof(v) / sizeof(*v));
            if (mixed) {
                fputc(',', f);
                cym__csv_put_text(f, note);
            }
            fputc('\n', f);
        }
}

static void write_frequency(FILE *f, const void *arg)
{
    const cym_uncertainty *u = arg;
    fputs("country,year,rank,count,share\n", f);
    for (size_t un = 0; un < u->n_units; un++)
        for (size_t t = 0; t < u->n_years; t++) {
            const unsigned long long *cnt =
                &u->rank_count[(un * u->n_years + t) * (u->n_units + 1)];
            for (size_t r = 0; r <= u->n_units; r++) {
                size_t rr = r == u->n_units ? 0 : r + 1; /* "no rank" (0) last, as empty */
                if (!cnt[rr])
                    continue;
                fprintf(f, "%s,%d,", u->ds->units[un].code, u->year0 + (int)t);
                if (rr)
                    fprintf(f, "%zu", rr);
                fprintf(f, ",%llu,", cnt[rr]);
                cym__csv_put_num(f, (double)cnt[rr] / (double)u->runs);
                fputc('\n', f);
            }
        }
}

static void write_sensitivity(FILE *f, const void *arg)
{
    const cym_uncertainty *u = arg;
    fputs("output,country,year,factor,S1,S1_q05,S1_q95,ST,ST_q05,ST_q95\n", f);
    for (size_t k = 0; k < u->n_outputs; k++) {
        size_t t = k < u->n_years ? k : (k - u->n_years) % u->n_years;
        const char *country =
            k < u->n_years ? "" : u->ds->units[(k - u->n_years) / u->n_years].code;
        for (size_t i = 0; i < u->n_factors; i++) {
            const cym_sobol_index *s = &u->sobol[k * u->n_factors + i];
            const double v[] = {s->s1, s->s1_lo, s->s1_hi, s->st, s->st_lo, s->st_hi};
            fprintf(f, "%s,%s,%d,%s", k < u->n_years ? "mean_abs_rank_shift" : "rank", country,
                    u->year0 + (int)t, cym_unc_factor_name(u->factors[i]));
            cym__csv_put_nums(f, v, 6);
            fputc('\n', f);
        }
    }
}

static cym_status copy_runs(FILE *f, FILE *keep)
{
    char buf[65536];
    size_t n;
    fputs("run,country,year,rank,score,normalise,aggregate,impute,treat,excluded\n", f);
    if (fflush(keep) != 0 || fseek(keep, 0, SEEK_SET) != 0)
        return CYM_EIO;
    while ((n = fread(buf, 1, sizeof(buf), keep)) > 0)
        fwrite(buf, 1, n, f);
    return ferror(keep) ? CYM_EIO : CYM_OK;
}

cym_status cym_uncertainty_write(const cym_uncertainty *u, const char *outdir, cym_error *err)
{
    cym__outdir od;
    FILE *f = NULL;
    cym_status st;

    memset(&od, 0, sizeof(od));
    if ((st = cym__outdir_open(&od, outdir, err)) < 0 ||
        (st = cym__outdir_write(&od, "uncertainty.csv", write_summary, u, err)) < 0 ||
        (st = cym__outdir_write(&od, "rank_frequency.csv", write_frequency, u, err)) < 0)
        goto cleanup;
    if (u->sobol && (st = cym__outdir_write(&od, "sensitivity.csv", write_sensitivity, u, err)) < 0)
        goto cleanup;
    if (u->keep_) {
        if ((st = cym__outdir_create(&f, &od, "runs.csv", err)) < 0)
            goto cleanup;
        if (copy_runs(f, (FILE *)u->keep_) < 0) {
            st = cym_error_set(err, CYM_EIO, NULL, 0, 0, "cannot read back the kept runs");
            goto cleanup;
        }
        st = cym__outdir_close(&od, f, "runs.csv", err);
        f = NULL;
        if (st < 0)
            goto cleanup;
    }
    st = cym__outdir_commit(&od, err);
cleanup:
    if (f)
        fclose(f);
    cym__outdir_free(&od);
    return st;
}
