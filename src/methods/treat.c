/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Outlier treatment of one indicator (METHODS.md section 3): the JRC/COINr rule, i.e. COINr's
 * Treat.numeric with f1 = winsorise, f2 = log_CT, f_pass = check_SkewKurt (R/treat.R).
 *
 * - Test: pass when |G1| < skew_max OR G2 < kurt_max (G1, G2 from stats.c); treat only when
 *   both thresholds are exceeded.
 * - Winsorise, step by step: with the current G1 >= 0, every point equal to the current
 *   maximum takes the largest of the other values (all tied maxima move together); with
 *   G1 < 0 the same at the minimum. Re-test after each step. Stop when it passes or when the
 *   number of winsorised points reaches winmax.
 * - Counting, as COINr does it: the count is the size of the last high set plus the size of
 *   the last low set (nwin <- length(imax) + length(imin)). Because points moved down earlier
 *   are tied with the new maximum, the last high set contains them all, so ties count one
 *   each and the count is cumulative. The loop condition is checked before each step, so
 *   with winmax = 5 a step that takes the count from 4 to 6 (a tie) is still made.
 * - If it still fails, the winsorisation is thrown away and the ORIGINAL values become
 *   log(x - min + 0.01 (max - min)) (COINr log_CT, default combine_treat = FALSE). Only
 *   CYM_FLAG_LOG is then set, and n_high = n_low = 0 (no output value was winsorised).
 *
 * Surprising cases, decided as COINr decides them: a spread of zero makes G1/G2 undefined,
 * which COINr's check turns into NA and Treat.numeric answers by returning the vector
 * untreated; we do the same (before treatment, and if a winsorisation step collapses the
 * spread, in which case the original values are restored). Fewer than 4 values: untouched.
 */
#include "cymetrics/methods.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cym_treat_spec_default(cym_treat_spec *spec)
{
    if (!spec)
        return;
    spec->skew_max = 2.0;
    spec->kurt_max = 3.5;
    spec->winmax = 5;
}

/* check_SkewKurt: 1 pass, 0 fail, -1 undefined (NA in COINr). */
static int check(const double *x, size_t n, const cym_treat_spec *spec, double *skew,
                 double *kurt)
{
    *skew = cym_stats_skew(x, n);
    *kurt = cym_stats_kurt(x, n);
    if (isnan(*skew) || isnan(*kurt))
        return -1;
    return fabs(*skew) < spec->skew_max || *kurt < spec->kurt_max;
}

/*
 * One winsorisation step at the top (high = 1) or bottom. Marks the moved points in `set`
 * (cleared first, like COINr's imax/imin being overwritten) and returns how many moved, or 0
 * when every value is tied (nothing to move to).
 */
static size_t step(double *x, size_t n, int high, unsigned char *set)
{
    double ext = NAN, other = NAN;
    size_t i, moved = 0;

    for (i = 0; i < n; i++)
        if (!isnan(x[i]) && (isnan(ext) || (high ? x[i] > ext : x[i] < ext)))
            ext = x[i];
    for (i = 0; i < n; i++)
        if (!isnan(x[i]) && x[i] != ext && (isnan(other) || (high ? x[i] > other : x[i] < other)))
            other = x[i];
    if (isnan(other))
        return 0;
    memset(set, 0, n);
    for (i = 0; i < n; i++)
        if (x[i] == ext) {
            x[i] = other;
            set[i] = 1;
            moved++;
        }
    return moved;
}

cym_status cym_treat_winsorise(double *x, unsigned *flags, size_t n, const cym_treat_spec *spec,
                               cym_treat_result *res, cym_error *err)
{
    cym_treat_result r;
    double *orig = NULL, mn, mx, s, k;
    unsigned char *hi, *lo;
    size_t i, n_hi = 0, n_lo = 0, moved;
    int pass;
    cym_status st = CYM_OK;

    memset(&r, 0, sizeof(r));
    r.skew_before = r.kurt_before = r.skew_after = r.kurt_after = NAN;
    if (!spec || (!x && n > 0)) {
        st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "treatment called without data");
        goto done;
    }
    r.n = cym_stats_count(x, n);
    if (r.n < 4)
        goto done;
    pass = check(x, n, spec, &r.skew_before, &r.kurt_before);
    r.skew_after = r.skew_before;
    r.kurt_after = r.kurt_before;
    if (pass != 0)
        goto done; /* passes, or undefined (zero spread): untreated, as in COINr */
    r.failed = 1;

    orig = malloc(n * (sizeof(double) + 2));
    if (!orig) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory while treating");
        goto done;
    }
    memcpy(orig, x, n * sizeof(double));
    hi = (unsigned char *)(orig + n);
    lo = hi + n;
    memset(hi, 0, 2 * n);

    s = r.skew_before;
    while (pass == 0 && n_hi + n_lo < spec->winmax) {
        int high = s >= 0.0;
        moved = step(x, n, high, high ? hi : lo);
        if (moved == 0)
            break; /* all values tied: cannot happen with a defined skew, kept for safety */
        if (high)
            n_hi = moved;
        else
            n_lo = moved;
        pass = check(x, n, spec, &s, &k);
    }

    if (pass == 1) {
        r.n_high = n_hi;
        r.n_low = n_lo;
        if (flags)
            for (i = 0; i < n; i++) {
                if (hi[i])
                    flags[i] |= CYM_FLAG_WIN_HIGH;
                if (lo[i])
                    flags[i] |= CYM_FLAG_WIN_LOW;
            }
    } else if (pass < 0) {
        /* winsorising collapsed the spread: COINr returns the vector untreated */
        memcpy(x, orig, n * sizeof(double));
    } else {
        /* log_CT on the original values */
        memcpy(x, orig, n * sizeof(double));
        mn = INFINITY;
        mx = -INFINITY;
        for (i = 0; i < n; i++) {
            if (isnan(x[i]))
                continue;
            mn = x[i] < mn ? x[i] : mn;
            mx = x[i] > mx ? x[i] : mx;
        }
        for (i = 0; i < n; i++) {
            if (isnan(x[i]))
                continue;
            x[i] = log(x[i] - mn + 0.01 * (mx - mn));
            if (flags)
                flags[i] |= CYM_FLAG_LOG;
        }
        r.log_used = 1;
    }
    r.skew_after = cym_stats_skew(x, n);
    r.kurt_after = cym_stats_kurt(x, n);

done:
    free(orig);
    if (res)
        *res = r;
    return st;
}
