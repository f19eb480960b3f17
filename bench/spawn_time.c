/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Wall time of a whole process, start to exit, for the start-up benchmark (bench/startup.sh):
 * posix_spawn and wait4 around it, CLOCK_MONOTONIC, standard output and error to /dev/null.
 * A shell's or Python's own start is not counted; what remains of the timer is a few tens of
 * microseconds, the same for every program timed. Also the CPU time of the process (user +
 * system, its children included, from wait4), which other programs' load disturbs less.
 * Usage: cym-bench-spawn RUNS PROGRAM [ARGS...]: prints "best median best-cpu" in
 * milliseconds; exits 1 when a run fails.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    posix_spawn_file_actions_t fa;
    int runs = argc > 2 ? atoi(argv[1]) : 0;
    double *ms, cpu = -1;
    if (runs < 1 || !(ms = malloc((size_t)runs * sizeof(*ms)))) {
        fputs("usage: cym-bench-spawn RUNS PROGRAM [ARGS...]\n", stderr);
        return 2;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
    for (int i = 0; i < runs; i++) {
        struct timespec t0, t1;
        struct rusage ru;
        pid_t pid;
        int status;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (posix_spawn(&pid, argv[2], &fa, NULL, argv + 2, environ) != 0 ||
            wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "cym-bench-spawn: %s failed\n", argv[2]);
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        double c = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                   (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
        if (cpu < 0 || c < cpu)
            cpu = c;
    }
    qsort(ms, (size_t)runs, sizeof(*ms), cmp);
    printf("%.2f %.2f %.2f\n", ms[0], ms[runs / 2], cpu);
    free(ms);
    return 0;
}
