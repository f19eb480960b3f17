/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Growing arrays and string lists (core/mem.h). The array pointer is read and written through
 * memcpy, so one function serves every element type without casting `cym_unit **` to
 * `void **`.
 */
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int cym__resize_array(void *pp, size_t n, size_t size)
{
    void *p;
    if (size && n > SIZE_MAX / size)
        return -1;
    memcpy(&p, pp, sizeof(p));
    p = realloc(p, n * size);
    if (!p)
        return -1;
    memcpy(pp, &p, sizeof(p));
    return 0;
}

int cym__grow_array(void *pp, size_t *cap, size_t n, size_t size, size_t first)
{
    size_t c;
    if (n < *cap)
        return 0;
    c = *cap ? *cap * 2 : first;
    if (cym__resize_array(pp, c, size) < 0)
        return -1;
    *cap = c;
    return 0;
}

void cym__free_strings(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
