/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_OUTPUT_OUTPUT_INTERNAL_H
#define CYM_OUTPUT_OUTPUT_INTERNAL_H
/* The run's manifest as data, shared with the report (src/report/). */
#include <jansson.h>

#include "cymetrics/options.h"
#include "cymetrics/pipeline.h"

/**
 * The manifest of run `r` without its run time: program, version, dataset, every setting
 * ("configuration", as cym_options_get writes them), the effective settings, the years and
 * the inputs with their size and SHA-256. *out (a JSON object) belongs to the caller
 * (json_decref). CYM_EIO when an input cannot be read, CYM_ENOMEM.
 */
cym_status cym__manifest_build(json_t **out, const cym_results *r, const cym_options *o,
                               cym_error *err);

#endif
