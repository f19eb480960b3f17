/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Nanoseconds per number of cym_format_double on the values runs write: scores in [0, 100]
 * (random doubles, 16-17 digits), short decimals as data files hold them (28.9), whole numbers,
 * and random bit patterns. Usage: cym-bench-format [N] (default 2,000,000 per kind); best of
 * three passes, in CPU time (the machine may be shared). Compared with the previous %.17g formatter in docs/performance.md.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cymetrics/format.h"

static uint64_t state = 88172645463325252ULL;
static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 2000000;
    static const char *kinds[] = {"scores in [0, 100]", "short decimals (28.9)", "whole numbers",
                                  "random bit patterns"};
    double *v = malloc(n * sizeof(*v));
    if (!v)
        return 1;
    for (int k = 0; k < 4; k++) {
        double best = INFINITY;
        size_t total = 0;
        for (size_t i = 0; i < n; i++) {
            double u = (double)(next() >> 11) / 9007199254740992.0;
            uint64_t b = next();
            switch (k) {
            case 0: v[i] = u * 100.0; break;
            case 1: v[i] = (double)(next() % 1000000) / 1000.0; break;
            case 2: v[i] = (double)(next() % 100000000); break;
            default: memcpy(&v[i], &b, sizeof(double));
            }
        }
        for (int pass = 0; pass < 3; pass++) {
            char buf[40];
            double t0 = now();
            for (size_t i = 0; i < n; i++)
                total += cym_format_double(buf, v[i]);
            double t = now() - t0;
            if (t < best)
                best = t;
        }
        printf("format %-24s %7.1f ns/number (%zu chars)\n", kinds[k], best / (double)n * 1e9,
               total);
    }
    free(v);
    return 0;
}
