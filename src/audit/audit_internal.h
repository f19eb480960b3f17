/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_AUDIT_AUDIT_INTERNAL_H
#define CYM_AUDIT_AUDIT_INTERNAL_H
/* The audit tables into an output folder already open (so a run commits them with its own). */
#include "cymetrics/audit.h"
#include "io/outdir.h"

cym_status cym__audit_write(cym__outdir *od, const cym_results *r, const cym_options *o,
                            cym_error *err);

#endif
