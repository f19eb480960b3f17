/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_COMPARE_COMPARE_INTERNAL_H
#define CYM_COMPARE_COMPARE_INTERNAL_H
/* compare.csv and strengths.csv into an output folder already open (a run's). */
#include "cymetrics/compare.h"
#include "cymetrics/trend.h"
#include "io/outdir.h"

cym_status cym__compare_write_tables(cym__outdir *od, const cym_results *r, const cym_trends *tr,
                                     const cym_trend_spec *spec, cym_error *err);

#endif
