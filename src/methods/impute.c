/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Imputation of one indicator over units x years (METHODS.md section 2).
 *
 * The cross-sectional rules follow COINr: `mean`/`median` fill a missing cell with the mean or
 * median of the same year's observed values (i_mean, i_median), and the group rules do the same
 * within the unit's group (i_mean_grp, i_median_grp, which split by group and apply i_mean or
 * i_median to each piece). As in COINr, a group with no observed value that year leaves its
 * missing cells missing (R's mean(numeric(0)) is NaN), and so does a unit with no group.
 * Every statistic is computed from the observed values only, never from cells filled earlier
 * in the same call, so the order of units does not matter.
 *
 * The time rules act along each unit's row: `locf` carries the last *observed* value forward
 * at most max_gap years (the gap is counted from the observation, not from a carried value;
 * nothing is carried backwards), and `linear` interpolates between the nearest observed years
 * and is flat beyond the first and last observation (R's approx(rule = 2), which COINr's
 * panel imputation uses). A unit with no observation at all stays missing.
 *
 * Written by hand (no library does it); means and medians come from GSL.
 */
#include "cymetrics/methods.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* Mean or median of the first c values of buf (sorted in place for the median). */
static double centre(double *buf, size_t c, int median)
{
    if (c == 0)
        return NAN;
    if (!median)
        return gsl_stats_mean(buf, 1, c);
    gsl_sort(buf, 1, c);
    return gsl_stats_median_from_sorted_data(buf, 1, c);
}

static void fill(double *v, unsigned *flags, size_t k, double value, size_t *count)
{
    v[k] = value;
    if (flags)
        flags[k] |= CYM_FLAG_IMPUTED;
    (*count)++;
}

/* Column (same-year) rules: whole column or within the unit's group. */
static cym_status impute_cross(double *v, unsigned *flags, size_t n_units, size_t n_years,
                               int grouped, int median, const int *group, size_t *count)
{
    double *col, *buf, value;
    size_t t, u, j, c;

    col = malloc(2 * (n_units ? n_units : 1) * sizeof(*col));
    if (!col)
        return CYM_ENOMEM;
    buf = col + n_units;
    for (t = 0; t < n_years; t++) {
        /* a copy of the observed column, so filled cells never feed later statistics */
        for (u = 0; u < n_units; u++)
            col[u] = v[u * n_years + t];
        if (!grouped) {
            c = 0;
            for (u = 0; u < n_units; u++)
                if (!isnan(col[u]))
                    buf[c++] = col[u];
            if (c == 0)
                continue;
            value = centre(buf, c, median);
            for (u = 0; u < n_units; u++)
                if (isnan(col[u]))
                    fill(v, flags, u * n_years + t, value, count);
            continue;
        }
        for (u = 0; u < n_units; u++) {
            if (!isnan(col[u]) || group[u] < 0)
                continue;
            c = 0;
            for (j = 0; j < n_units; j++)
                if (group[j] == group[u] && !isnan(col[j]))
                    buf[c++] = col[j];
            if (c == 0)
                continue; /* the group has no value this year: stays missing */
            fill(v, flags, u * n_years + t, centre(buf, c, median), count);
        }
    }
    free(col);
    return CYM_OK;
}

static void impute_locf(double *v, unsigned *flags, size_t n_units, size_t n_years,
                        size_t max_gap, size_t *count)
{
    size_t u, t, last = 0;
    int seen;
    double *row;

    for (u = 0; u < n_units; u++) {
        row = v + u * n_years;
        seen = 0;
        for (t = 0; t < n_years; t++) {
            /* row[t] is read before this loop fills it, so only observations move `last` */
            if (!isnan(row[t])) {
                last = t;
                seen = 1;
                continue;
            }
            if (seen && (max_gap == 0 || t - last <= max_gap))
                fill(v, flags, u * n_years + t, row[last], count);
        }
    }
}

static void impute_linear(double *v, unsigned *flags, size_t n_units, size_t n_years,
                          size_t *count)
{
    size_t u, t, prev, next;
    int has_prev;
    double *row, value;

    for (u = 0; u < n_units; u++) {
        row = v + u * n_years;
        /* filling goes left to right and row[t] is read before it is filled, so `prev` and
         * the look-ahead `next` only ever land on observed years */
        has_prev = 0;
        prev = 0;
        for (t = 0; t < n_years; t++) {
            if (!isnan(row[t])) {
                prev = t;
                has_prev = 1;
                continue;
            }
            for (next = t + 1; next < n_years && isnan(row[next]); next++)
                ;
            if (!has_prev && next >= n_years)
                break; /* no observation at all */
            if (!has_prev)
                value = row[next];
            else if (next >= n_years)
                value = row[prev];
            else
                value = row[prev] + (row[next] - row[prev]) * (double)(t - prev) /
                                        (double)(next - prev);
            fill(v, flags, u * n_years + t, value, count);
        }
    }
}

cym_status cym_impute(double *v, unsigned *flags, size_t n_units, size_t n_years,
                      const cym_impute_spec *spec, const int *group, size_t *n_imputed,
                      cym_error *err)
{
    size_t count = 0, k;
    cym_status st = CYM_OK;

    if (n_imputed)
        *n_imputed = 0;
    if (!spec || (!v && n_units * n_years > 0))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "imputation called without data");
    switch (spec->method) {
    case CYM_IMPUTE_NONE:
        break;
    case CYM_IMPUTE_MEAN:
    case CYM_IMPUTE_MEDIAN:
        st = impute_cross(v, flags, n_units, n_years, 0, spec->method == CYM_IMPUTE_MEDIAN,
                          group, &count);
        break;
    case CYM_IMPUTE_GROUP_MEAN:
    case CYM_IMPUTE_GROUP_MEDIAN:
        if (!group && n_units > 0)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "group imputation needs the group of every unit");
        st = impute_cross(v, flags, n_units, n_years, 1,
                          spec->method == CYM_IMPUTE_GROUP_MEDIAN, group, &count);
        break;
    case CYM_IMPUTE_LOCF:
        impute_locf(v, flags, n_units, n_years, spec->max_gap, &count);
        break;
    case CYM_IMPUTE_LINEAR:
        impute_linear(v, flags, n_units, n_years, &count);
        break;
    case CYM_IMPUTE_CONSTANT:
        if (!isfinite(spec->value))
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "the imputation constant is not a finite number");
        for (k = 0; k < n_units * n_years; k++)
            if (isnan(v[k]))
                fill(v, flags, k, spec->value, &count);
        break;
    default:
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "unknown imputation method %d",
                             (int)spec->method);
    }
    if (st == CYM_ENOMEM)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory while imputing");
    if (n_imputed)
        *n_imputed = count;
    return st;
}
