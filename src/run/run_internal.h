/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_RUN_INTERNAL_H
#define CYM_RUN_INTERNAL_H
#include "cymetrics/run.h"

/* The output folder may be none of the inputs of `r`, nor lie in nor hold one (CYM_EUSAGE). */
cym_status cym__run_refuse_inputs(const cym_results *r, const char *outdir, cym_error *err);

#include <jansson.h>

/* Writes the tables of run `r` into the folder `dir` (a staging folder or a folder of one),
   manifest.json without its outputs list last; the inputs are not checked here. The trends
   computed for the tables go to *trends (the caller's: cym_trends_free) when it is not NULL;
   with `manifest`, the manifest is not written but goes to *manifest (json_decref). */
cym_status cym__run_write_folder(cym_trends **trends, json_t **manifest, const cym_results *r,
                                 const cym_run_options *o, const char *dir, cym_error *err);

/* The manifest of what was written into the set's stage (without its outputs list), taken
   over by the set: its commit adds the outputs and writes manifest.json once, rather than
   reading back one written into the stage. Replaces one handed over before. */
void cym__run_set_manifest(cym_run_set *s, json_t *manifest);

#endif
