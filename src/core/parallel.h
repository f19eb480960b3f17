/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PARALLEL_H
#define CYM_PARALLEL_H
/*
 * The first failure of a parallel loop, by loop position: whatever the number of threads and
 * the order they finish in, the error reported is the one a serial loop would have stopped at.
 */
#include <stddef.h>
#include <stdint.h>

#include "cymetrics/error.h"

typedef struct cym__first_failure {
    size_t at; /* SIZE_MAX: no failure */
    cym_status status;
    cym_error err;
} cym__first_failure;

static inline void cym__first_failure_init(cym__first_failure *f)
{
    f->at = SIZE_MAX;
    f->status = CYM_OK;
}

/** Records a failure at loop position i if it comes before the one recorded (thread-safe). */
void cym__first_failure_set(cym__first_failure *f, size_t i, cym_status st, const cym_error *e);

/** CYM_OK when nothing failed; else copies the error into err (may be NULL), returns it. */
cym_status cym__first_failure_take(const cym__first_failure *f, cym_error *err);

#endif
