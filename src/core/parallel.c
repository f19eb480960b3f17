/* SPDX-License-Identifier: GPL-3.0-or-later */
/* First failure of a parallel loop, kept by loop position (see parallel.h). */
#include "core/parallel.h"

void cym__first_failure_set(cym__first_failure *f, size_t i, cym_status st, const cym_error *e)
{
#pragma omp critical(cym_first_failure)
    if (i < f->at) {
        f->status = st;
        f->err = *e;
        /* atomic: loops read it without the lock to skip work after a failure */
#pragma omp atomic write
        f->at = i;
    }
}

cym_status cym__first_failure_take(const cym__first_failure *f, cym_error *err)
{
    if (f->at == SIZE_MAX)
        return CYM_OK;
    if (err)
        *err = f->err;
    return f->status;
}
