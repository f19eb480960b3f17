/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_WEIGHTS_EXPERTS_INTERNAL_H
#define CYM_WEIGHTS_EXPERTS_INTERNAL_H
/* Shared between experts.c and the framework (which owns the set). */
#include "cymetrics/experts.h"

/** Frees an expert set. Accepts NULL. */
void cym__experts_free(cym_experts *x);

#endif
