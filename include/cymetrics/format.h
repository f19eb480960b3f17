/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_FORMAT_H
#define CYM_FORMAT_H

/** Numbers as the machine tables write them (the core layer: every writer uses this). */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Writes v into buf (at least 32 bytes) as the shortest text that reads back (strtod) to the
 * same double, in the layout of %.17g (plain notation for decimal exponents -4 to 16, else
 * "1e-05"): 0.3 as "0.3", 1e16 as "10000000000000000", 1.5e17 as "1.5e+17", infinities as
 * "inf"/"-inf", NaN as ""; returns the length.
 */
size_t cym_format_double(char *buf, double v);

#ifdef __cplusplus
}
#endif

#endif
