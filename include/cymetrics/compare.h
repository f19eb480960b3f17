/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_COMPARE_H
#define CYM_COMPARE_H

/**
 * Comparing countries in the latest year of a run: each country against its group mean, the
 * leader and the field (compare.csv), its strongest and weakest indicators (strengths.csv),
 * and a side-by-side view of a few chosen countries (`cymetrics compare A B ...`).
 */

#include <stddef.h>

#include "cymetrics/dataset.h"
#include "cymetrics/error.h"
#include "cymetrics/trend.h"
#include "cymetrics/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Percentile of each x[i] among the n values present: 100 * (number of values strictly
 * lower) / (m - 1), m the values present (so the lowest is 0 and the highest 100, ties share
 * the lower position, as the `percentile` normalisation of METHODS.md section 4). NaN for a
 * missing x[i], or when fewer than 2 values are present.
 */
void cym_compare_percentile(double *out, const double *x, size_t n);

/**
 * Looks up country codes: idx[i] = position of codes[i] in ds->units. CYM_EUSAGE for an
 * unknown or repeated code, with a message that lists the valid codes (as many as fit).
 */
cym_status cym_compare_find_units(size_t *idx, const cym_dataset *ds, const char *const *codes,
                                  size_t n, cym_error *err);

/**
 * The ties of every indicator in one year of a run, for the strengths and weaknesses: per
 * indicator the number of ranked countries, per country and indicator the number of ranked
 * countries with exactly its score (itself included when ranked; 0 for a missing score).
 */
typedef struct cym_compare_ties cym_compare_ties;

/**
 * Counts the ties of year index t of run `r` (which must outlive them), sorting each
 * indicator's column once: O(indicators x countries log countries). Into *out, freed by the
 * caller with cym_compare_ties_free. CYM_ENOMEM.
 */
cym_status cym_compare_ties_count(cym_compare_ties **out, const cym_results *r, size_t t,
                                  cym_error *err);

/** Ranked countries of indicator position i (r->fw->indicators[i]). */
size_t cym_compare_ties_ranked(const cym_compare_ties *ties, size_t i);

/** Ranked countries sharing unit u's exact score on indicator position i. */
size_t cym_compare_ties_tied(const cym_compare_ties *ties, size_t u, size_t i);

/** Frees ties. Accepts NULL. */
void cym_compare_ties_free(cym_compare_ties *ties);

/**
 * Strengths and weaknesses of unit u in the year of `ties`: the indicators (node indices) with
 * the best ranks into strong[0..*n_strong) and the worst into weak[0..*n_weak), at most n_max
 * each, best (worst) first, ties in framework order; an indicator is never both. Indicators
 * where the unit shares its score with more than half of the ranked countries are skipped:
 * such a rank says nothing about the country. Both arrays hold n_max entries.
 */
void cym_compare_strengths(size_t *strong, size_t *n_strong, size_t *weak, size_t *n_weak,
                           const cym_compare_ties *ties, size_t u, size_t n_max);

/**
 * `cymetrics compare`: the side-by-side view of units[0..n) (n >= 1) in the latest year:
 * writes compare_<A>_<B>....csv into `outdir` (atomically) and returns the terminal table in
 * *table (the caller frees it with free()). The index, each pillar and indicator, the trend
 * direction of the index and the biggest gaps between the countries.
 */
cym_status cym_compare_countries(char **table, const cym_results *r, const cym_trend_spec *spec,
                                 const size_t *units, size_t n, const char *outdir,
                                 cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
