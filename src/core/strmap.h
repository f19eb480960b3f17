/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_STRMAP_H
#define CYM_STRMAP_H
/*
 * A string -> index map (open addressing, FNV-1a), for code look-ups in frameworks and
 * datasets of up to millions of codes. Keys are borrowed: they must outlive the map.
 */
#include <stddef.h>

typedef struct cym__strmap {
    const char **keys;
    size_t *vals;
    size_t cap; /* power of two */
    size_t count;
} cym__strmap;

/** Returns 0, or -1 when out of memory. */
int cym__strmap_init(cym__strmap *m, size_t expected);
void cym__strmap_free(cym__strmap *m);
/** Inserts key -> val. Returns 1 when inserted, 0 when the key exists (*old set), -1 on ENOMEM. */
int cym__strmap_put(cym__strmap *m, const char *key, size_t val, size_t *old);
/** Returns 1 and sets *val when found, else 0. */
int cym__strmap_get(const cym__strmap *m, const char *key, size_t *val);
/** The value of `key` as an index, or -1 when it is absent or `m` is NULL (a code look-up). */
long cym__strmap_find(const cym__strmap *m, const char *key);
/** Frees a map allocated with malloc and the map itself. Accepts NULL. */
void cym__strmap_destroy(cym__strmap *m);

#endif
