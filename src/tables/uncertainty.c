/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The tables of an uncertainty analysis: uncertainty.csv (per country and year the nominal
 * rank and the mean, median, 5th and 95th percentile of the ranks, then the same of the
 * score), rank_frequency.csv (how often each country took each rank), sensitivity.csv (Sobol
 * indices with bootstrap 90 % intervals) and runs.csv (keep-runs). Written atomically.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/format.h"
#include "cymetrics/tables.h"
#include "io/outdir.h"

static void num(FILE *f, double v)
{
    char buf[32];
    fwrite(buf, 1, cym_format_double(buf, v), f);
}

static void write_summary(FILE *f, const cym_uncertainty *u)
{
    fputs("country,year,nominal,mean,median,q05,q95,score_nominal,score_mean,score_median,"
          "score_q05,score_q95\n",
          f);
    for (size_t un = 0; un < u->n_units; un++)
        for (size_t t = 0; t < u->n_years; t++) {
            size_t c = un * u->n_years + t;
            const double v[] = {u->nominal_rank[c], u->rank_mean[c],    u->rank_median[c],
                                u->rank_q05[c],     u->rank_q95[c],     u->nominal_score[c],
                                u->score_mean[c],   u->score_median[c], u->score_q05[c],
                                u->score_q95[c]};
            fprintf(f, "%s,%d", u->ds->units[un].code, u->year0 + (int)t);
            for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
                fputc(',', f);
                num(f, v[i]);
            }
            fputc('\n', f);
        }
}

static void write_frequency(FILE *f, const cym_uncertainty *u)
{
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
                num(f, (double)cnt[rr] / (double)u->runs);
                fputc('\n', f);
            }
        }
}

static void write_sensitivity(FILE *f, const cym_uncertainty *u)
{
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
            for (size_t j = 0; j < 6; j++) {
                fputc(',', f);
                num(f, v[j]);
            }
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
    if ((st = cym__outdir_open(&od, outdir, err)) < 0)
        goto cleanup;
    if ((st = cym__outdir_create(&f, &od, "uncertainty.csv", err)) < 0)
        goto cleanup;
    write_summary(f, u);
    st = cym__outdir_close(&od, f, "uncertainty.csv", err);
    f = NULL;
    if (st < 0 || (st = cym__outdir_create(&f, &od, "rank_frequency.csv", err)) < 0)
        goto cleanup;
    write_frequency(f, u);
    st = cym__outdir_close(&od, f, "rank_frequency.csv", err);
    f = NULL;
    if (st < 0)
        goto cleanup;
    if (u->sobol) {
        if ((st = cym__outdir_create(&f, &od, "sensitivity.csv", err)) < 0)
            goto cleanup;
        write_sensitivity(f, u);
        st = cym__outdir_close(&od, f, "sensitivity.csv", err);
        f = NULL;
        if (st < 0)
            goto cleanup;
    }
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
