/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_UNCERTAINTY_UNC_INTERNAL_H
#define CYM_UNCERTAINTY_UNC_INTERNAL_H
/* Random streams shared by the Monte Carlo and the Sobol estimators. */
#include <stdint.h>

/* Stream families: Monte Carlo rows, Saltelli A and B rows, bootstrap resamples. */
#define CYM__TAG_MC 0x4d43u
#define CYM__TAG_A 0x41u
#define CYM__TAG_B 0x42u
#define CYM__TAG_BOOT 0x424fu

/*
 * The 32-bit GSL seed of stream `index` of family `tag` under the user's seed. The index is
 * added to a hash of (seed, tag) and passed through a bijective 32-bit mixer, so distinct
 * indices of one family get distinct seeds (up to 2^32 streams): no two replications of an
 * analysis share a stream.
 */
static inline unsigned long cym__stream_seed(unsigned long seed, uint32_t tag, uint64_t index)
{
    uint64_t h = (uint64_t)seed * 0x9e3779b97f4a7c15ull + tag;
    uint32_t x;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    x = (uint32_t)(h ^ (h >> 32)) + (uint32_t)index;
    /* murmur3 fmix32: a bijection on 32 bits */
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

#endif
