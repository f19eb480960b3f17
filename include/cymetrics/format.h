/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_FORMAT_H
#define CYM_FORMAT_H

/** Numbers as the machine tables write them (the core layer: every writer uses this). */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Writes %.17g of v into buf (at least 32 bytes), "" for NaN; returns the length. */
size_t cym_format_double(char *buf, double v);

#ifdef __cplusplus
}
#endif

#endif
