/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PIPELINE_PIPELINE_INTERNAL_H
#define CYM_PIPELINE_PIPELINE_INTERNAL_H
/* What the stages of the pipeline (prepare.c, aggregate.c, rank.c) share. */
#include "cymetrics/pipeline.h"

/* below about 100,000 cells, starting threads costs more than it saves */
#define CYM__PARALLEL_MIN_CELLS ((size_t)1 << 17)

/* One stage's view of a run. */
typedef struct cym__stage {
    cym_results *r;
    const cym_dataset *ds;
    const cym_framework *fw;
    const cym_pipeline_options *o; /* r->opts */
    size_t toff;                   /* year offset of the selection in the dataset cube */
    int parallel;                  /* large enough to be worth threads */
    long ref_unit;                 /* dist2ref: the reference unit, else -1 */
    size_t *capped;                /* [indicator]: values beyond frozen bounds (normalise) */
    cym_error *err;
} cym__stage;

/* The stage of results `r` (its options, dataset and framework). */
void cym__stage_init(cym__stage *c, cym_results *r, cym_error *err);

cym_status cym__nomem(cym_error *err);

/*
 * No silent non-finite results: CYM_EDATA naming `what` ("sum aggregate", "normalised
 * score", ...) of node `code`, for unit u in year t (u < 0: no unit and year, as for a
 * weight), when v is infinite, or NaN although a value was computed (`computed`; NaN is
 * otherwise a missing value). CYM_OK otherwise. Such values would rank first or last and
 * take a tier without a word (inf from power:160, values or weights near 1e308).
 */
cym_status cym__check_finite(const cym__stage *c, double v, int computed, const char *what,
                             const char *code, long u, long t, cym_error *err);

/* Allocates score, coverage, rank (node_cube), tier, tier_gap (unit_cube; tiers -1, gaps NaN),
   weight and eff_weight of `r`. CYM_ENOMEM (what was allocated is freed with r). */
cym_status cym__results_alloc_scores(cym_results *r);

/* r->unit_order: the units by code (rank.c). CYM_ENOMEM. */
cym_status cym__unit_order(cym_results *r);

#endif
