/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_CONFIG_OPTIONS_INTERNAL_H
#define CYM_CONFIG_OPTIONS_INTERNAL_H
/* Shared between options.c, unc_options.c ([uncertainty]) and trend_options.c ([trends]). */
#include <stddef.h>

#include "cymetrics/options.h"

/** Setters of one method key, shared so that lists of alternatives parse like the key. */
cym_status cym__set_normalise(cym_options *o, const char *v, cym_error *err);
cym_status cym__set_impute(cym_options *o, const char *v, cym_error *err);

/** Defaults of the [uncertainty] keys. */
void cym__unc_default(cym_unc_spec *u);

/** Sets / gets one [uncertainty] key (canonical name). */
cym_status cym__unc_set(cym_options *o, const char *key, const char *value, cym_error *err);
void cym__unc_get(const cym_options *o, const char *key, char *buf, size_t n);

/** Defaults, setter and getter of the [trends] keys (trend_options.c). */
void cym__trend_default(cym_trend_spec *t);
cym_status cym__trend_set(cym_options *o, const char *key, const char *value, cym_error *err);
void cym__trend_get(const cym_options *o, const char *key, char *buf, size_t n);

/** The expert weight keys (expert_options.c): expert-weights, weight-combine. */
int cym__expert_is_key(const char *key);
cym_status cym__expert_set(cym_options *o, const char *key, const char *value, cym_error *err);
void cym__expert_get(const cym_options *o, const char *key, char *buf, size_t n);

#endif
