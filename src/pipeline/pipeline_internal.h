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
    cym_error *err;
} cym__stage;

/* The stage of results `r` (its options, dataset and framework). */
void cym__stage_init(cym__stage *c, cym_results *r, cym_error *err);

cym_status cym__nomem(cym_error *err);

/* Allocates score, coverage, rank (node_cube), tier, tier_gap (unit_cube; tiers -1, gaps NaN),
   weight and eff_weight of `r`. CYM_ENOMEM (what was allocated is freed with r). */
cym_status cym__results_alloc_scores(cym_results *r);

#endif
