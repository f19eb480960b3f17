/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_CORE_MEM_H
#define CYM_CORE_MEM_H
/*
 * Memory helpers for what every loader keeps: arrays that grow a row at a time and lists of
 * strings. `pp` is the address of an array pointer (&ds->units); on failure the array stays
 * as it was, so the caller's cleanup frees it as usual.
 */
#include <stddef.h>

/** Resizes the array at *pp to n elements of `size` bytes. 0, or -1 when out of memory. */
int cym__resize_array(void *pp, size_t n, size_t size);

/** Room for element n of the array at *pp; when full, *cap doubles (from `first`). 0, or -1. */
int cym__grow_array(void *pp, size_t *cap, size_t n, size_t size, size_t first);

/** Frees the strings v[0..n) (NULL ones too) and the array v. Accepts v NULL. */
void cym__free_strings(char **v, size_t n);

#endif
