/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * results.sqlite (`--tables sqlite`): the time cym_database_write takes on the CSV tables of an
 * output folder, and the database's size, for each page size given (bench/sqlite.sh; numbers in
 * docs/performance.md, "results.sqlite"). Wall and CPU time of the best of `runs` writes.
 * Usage: cym-bench-sqlite DIR RUNS PAGE_SIZE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cymetrics/database.h"

static double now(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    char path[4096];
    int runs;
    if (argc < 4) {
        fprintf(stderr, "usage: cym-bench-sqlite DIR RUNS PAGE_SIZE...\n");
        return 2;
    }
    runs = atoi(argv[2]);
    snprintf(path, sizeof(path), "%s/%s", argv[1], CYM_DATABASE_FILE);
    for (int a = 3; a < argc; a++) {
        double best = 0, best_cpu = 0;
        struct stat sb;
        setenv("CYMETRICS_BENCH_SQLITE_PAGE_SIZE", argv[a], 1);
        for (int i = 0; i < runs; i++) {
            cym_error err;
            double t0, c0, t, c;
            unlink(path);
            t0 = now(CLOCK_MONOTONIC);
            c0 = now(CLOCK_PROCESS_CPUTIME_ID);
            if (cym_database_write(argv[1], &err) < 0) {
                fprintf(stderr, "cym-bench-sqlite: %s: %s\n", err.file, err.message);
                return 1;
            }
            t = now(CLOCK_MONOTONIC) - t0;
            c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
            if (i == 0 || t < best)
                best = t;
            if (i == 0 || c < best_cpu)
                best_cpu = c;
        }
        if (stat(path, &sb) != 0)
            return 1;
        printf("page_size %6s: %8.3f s wall %8.3f s cpu %10.1f MB\n", argv[a], best, best_cpu,
               (double)sb.st_size / 1e6);
    }
    unlink(path);
    return 0;
}
