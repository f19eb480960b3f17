/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Wall time of a whole process, start to exit, for the start-up benchmark (bench/startup.sh):
 * posix_spawn and waitpid around it, CLOCK_MONOTONIC, standard output and error to /dev/null.
 * A shell's or Python's own start is not counted; what remains of the timer is a few tens of
 * microseconds, the same for every program timed.
 * Usage: cym-bench-spawn RUNS PROGRAM [ARGS...]: prints "best median" in milliseconds; exits
 * 1 when a run fails.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
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
    double *ms;
    if (runs < 1 || !(ms = malloc((size_t)runs * sizeof(*ms)))) {
        fputs("usage: cym-bench-spawn RUNS PROGRAM [ARGS...]\n", stderr);
        return 2;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
    for (int i = 0; i < runs; i++) {
        struct timespec t0, t1;
        pid_t pid;
        int status;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (posix_spawn(&pid, argv[2], &fa, NULL, argv + 2, environ) != 0 ||
            waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "cym-bench-spawn: %s failed\n", argv[2]);
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    }
    qsort(ms, (size_t)runs, sizeof(*ms), cmp);
    printf("%.2f %.2f\n", ms[0], ms[runs / 2]);
    free(ms);
    return 0;
}
