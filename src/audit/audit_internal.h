/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_AUDIT_AUDIT_INTERNAL_H
#define CYM_AUDIT_AUDIT_INTERNAL_H
/*
 * The audit tables into an output folder already open (so a run commits them with its own),
 * the correlations with the pairs `pairs` says (cym_audit_pairs). With `full` 0 (a run), a
 * large dataset is audited in less depth, so the audit never costs more than the run:
 * remove_one.csv (one pipeline rerun per node) only while the data has at most 200,000
 * indicator cells. `cymetrics audit` passes 1: every rerun, always.
 */
#include "cymetrics/audit.h"
#include "io/outdir.h"

cym_status cym__audit_write(cym__outdir *od, const cym_results *r, int full,
                            cym_audit_pairs pairs, cym_error *err);

#endif
