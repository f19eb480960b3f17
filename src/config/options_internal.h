/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_CONFIG_OPTIONS_INTERNAL_H
#define CYM_CONFIG_OPTIONS_INTERNAL_H
/* Shared between options.c, unc_options.c ([uncertainty]) and trend_options.c ([trends]). */
#include <stddef.h>

#include "cymetrics/options.h"

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

/*
 * Framework editions, crosswalk and check-total keys (edition_options.c). options.c calls
 * these only for keys of its own table it does not know.
 */
void cym__edition_default(cym_edition_spec *e);
/** The INI section of an edition key (any spelling), or NULL when it is not one. */
const char *cym__edition_section(const char *key);
cym_status cym__edition_set(cym_options *o, const char *key, const char *value, cym_error *err);
void cym__edition_get(const cym_options *o, const char *key, char *buf, size_t n);
/** The i-th edition key, or NULL past the last. */
const char *cym__edition_key(size_t i);
/** Adds the edition `range` = `path`, refusing overlaps (origin:line say where, line 0 = CLI). */
cym_status cym__edition_add(cym_options *o, const char *range, const char *path,
                            const char *origin, unsigned long line, cym_error *err);
/** One INI pair of [framework], or an edition key in another section; errors carry path:line. */
cym_status cym__edition_ini(cym_options *o, const char *section, const char *name,
                            const char *value, const char *dir, const char *path,
                            unsigned long line, cym_error *err);

#endif
