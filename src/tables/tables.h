/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_TABLES_TABLES_H
#define CYM_TABLES_TABLES_H
/*
 * The machine tables, written into an output folder already open (io/outdir.h), so that a run
 * commits them with everything else it writes (src/run/). Each writer formats numbers with
 * cym_format_double and returns CYM_ENOMEM or an I/O status with the file named.
 */
#include <jansson.h>
#include <stdio.h>

#include "cymetrics/tables.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/target.h"
#include "cymetrics/trend.h"
#include "io/outdir.h"

/** The rows of one unit of work, formatted in memory before they are written. */
typedef struct cym__block {
    char *p;
    size_t n, cap;
    int oom; /**< set when a reservation failed: the block is not written */
} cym__block;

/** Grows b for `len` more bytes (cym__block_reserve's slow path). */
int cym__block_grow(cym__block *b, size_t len);

/** Room for `len` more bytes in b; 0 (b->oom set) when out of memory. Inline: the writers
    call it for every field. */
static inline int cym__block_reserve(cym__block *b, size_t len)
{
    return (b->n + len <= b->cap && !b->oom) || cym__block_grow(b, len);
}

/** Formats the rows of item i (of the table `ctx` describes) at the end of b. */
typedef void (*cym__rows_fn)(const void *ctx, size_t i, cym__block *b);

/**
 * Writes the rows of items 0 .. n-1 into f, in that order. With `parallel`, the items are
 * formatted on every core and written in order (OpenMP `ordered`): the bytes never depend on
 * the number of threads, and one thread's fwrite overlaps the others' formatting. CYM_ENOMEM.
 */
cym_status cym__rows_write(FILE *f, size_t n, int parallel, cym__rows_fn fn, const void *ctx);

/** scores.csv, index.csv, data.csv, treatment.csv, weights.csv, tiers.csv, warnings.txt. */
cym_status cym__tables_write(cym__outdir *od, const cym_results *r, cym_error *err);

/**
 * The manifest of run `r` without its run time: program, version, dataset, every setting
 * ("configuration", as `p` lists them), the effective settings, the years and
 * the inputs with their size and SHA-256. *out (a JSON object) belongs to the caller
 * (json_decref). CYM_EIO when an input cannot be read, CYM_ENOMEM.
 */
cym_status cym__manifest_build(json_t **out, const cym_results *r, const cym_provenance *p,
                               cym_error *err);

/** manifest.json's content: `base` with the run time; *out (a new object) belongs to the
    caller (json_decref). */
cym_status cym__manifest_final(json_t **out, json_t *base, double seconds, cym_error *err);

/** Writes `root` as `name` (manifest.json's layout: indented, keys in order, ASCII). */
cym_status cym__manifest_write(cym__outdir *od, const char *name, const json_t *root,
                               cym_error *err);

/** The numbers of a trends.csv row, first .. kendall_tau, in column order (cagr_pct in
    percent), and their column names (trends.csv, results.json's trends). */
#define CYM__TREND_NUMS 15
extern const char *const cym__trend_number_names[CYM__TREND_NUMS];
void cym__trend_numbers(double v[CYM__TREND_NUMS], const cym_trend_stats *s);

/** trends.csv, compare.csv, strengths.csv (and yoy.csv with spec->yoy) of run `r`, trends `tr`:
    cym__trend_write_series, then cym__compare_write. */
cym_status cym__trend_write(cym__outdir *od, const cym_results *r, const cym_trends *tr,
                            const cym_trend_spec *spec, cym_error *err);

/** trends.csv (and yoy.csv with spec->yoy) of trends `tr`. */
cym_status cym__trend_write_series(cym__outdir *od, const cym_trends *tr,
                                   const cym_trend_spec *spec, cym_error *err);

/** compare.csv and strengths.csv of run `r`: they read the scores, not the trends. */
cym_status cym__compare_write(cym__outdir *od, const cym_results *r, const cym_trend_spec *spec,
                              cym_error *err);

/**
 * next_tier.csv when tiers are configured: for every country in the last year of the run,
 * its score, tier, the next tier up, the points needed and the steps the greedy search needs
 * (or `unreachable`).
 */
cym_status cym__target_write_next_tier(cym__outdir *od, const cym_results *r, cym_error *err);

#endif
