/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_TARGET_INTERNAL_H
#define CYM_TARGET_INTERNAL_H
/* Shared between the target module and the run's tables (src/output/tables.c). */
#include "cymetrics/target.h"
#include "io/outdir.h"

/**
 * Writes next_tier.csv into `od` when tiers are configured: for every country in the last
 * year of the run, its score, tier, the next tier up, the points needed and the steps the
 * greedy search needs (or `unreachable`).
 */
cym_status cym__target_write_next_tier(cym__outdir *od, const cym_results *r,
                                       const cym_options *o, cym_error *err);

#endif
