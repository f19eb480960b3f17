/* SPDX-License-Identifier: GPL-3.0-or-later */
/* String -> index hash map with linear probing; grows at 50 % load. */
#include "core/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static int alloc_table(cym__strmap *m, size_t cap)
{
    m->keys = calloc(cap, sizeof(*m->keys));
    m->vals = calloc(cap, sizeof(*m->vals));
    if (!m->keys || !m->vals) {
        free(m->keys);
        free(m->vals);
        m->keys = NULL;
        m->vals = NULL;
        return -1;
    }
    m->cap = cap;
    return 0;
}

int cym__strmap_init(cym__strmap *m, size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2)
        cap *= 2;
    m->count = 0;
    return alloc_table(m, cap);
}

void cym__strmap_free(cym__strmap *m)
{
    if (!m)
        return;
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

static size_t slot(const cym__strmap *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int grow(cym__strmap *m)
{
    cym__strmap old = *m;
    if (alloc_table(m, old.cap * 2) < 0) {
        *m = old;
        return -1;
    }
    for (size_t i = 0; i < old.cap; i++) {
        if (old.keys[i]) {
            size_t j = slot(m, old.keys[i]);
            m->keys[j] = old.keys[i];
            m->vals[j] = old.vals[i];
        }
    }
    free(old.keys);
    free(old.vals);
    return 0;
}

int cym__strmap_put(cym__strmap *m, const char *key, size_t val, size_t *old)
{
    size_t i;
    if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
        return -1;
    i = slot(m, key);
    if (m->keys[i]) {
        if (old)
            *old = m->vals[i];
        return 0;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->count++;
    return 1;
}

int cym__strmap_get(const cym__strmap *m, const char *key, size_t *val)
{
    size_t i;
    if (!m->cap)
        return 0;
    i = slot(m, key);
    if (!m->keys[i])
        return 0;
    *val = m->vals[i];
    return 1;
}

long cym__strmap_find(const cym__strmap *m, const char *key)
{
    size_t v;
    if (!m || !cym__strmap_get(m, key, &v))
        return -1;
    return (long)v;
}

void cym__strmap_destroy(cym__strmap *m)
{
    if (!m)
        return;
    cym__strmap_free(m);
    free(m);
}
