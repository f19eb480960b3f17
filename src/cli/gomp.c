/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libgomp, loaded by the first parallel loop rather than when the program starts.
 *
 * The library's loops are `#pragma omp` (compiled with -fopenmp): GCC turns them into calls
 * of the GOMP_* entry points below. The program defines those entry points itself, each
 * forwarding to libgomp.so.1 opened with dlopen on first use, and is linked with --as-needed,
 * so libgomp is no dependency of the executable (tests/cli/startup_checks.sh checks it with
 * readelf). Two gains (docs/performance.md, Start-up): OMP_WAIT_POLICY, which libgomp reads
 * once when it loads, can be set by main() (main.c) without the process starting again, and
 * a command without a parallel loop (--version, help, import-coinr) does not load libgomp.
 *
 * The signatures are libgomp's ABI (GCC's libgomp/libgomp_g.h and omp.h). A loop construct
 * that needs an entry point missing here makes the link pull libgomp in again, which the
 * startup check reports: add it to the table.
 * Only the command-line program has this file; libcymetrics links libgomp as usual.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

typedef unsigned long long ull;

/* X(V: returns nothing | R: returns a value, return type, name, parameters, arguments) */
#define CYM_GOMP(X)                                                                             \
    X(V, void, GOMP_parallel, (void (*fn)(void *), void *data, unsigned n, unsigned flags),     \
      (fn, data, n, flags))                                                                     \
    X(V, void, GOMP_barrier, (void), ())                                                        \
    X(V, void, GOMP_critical_name_start, (void **p), (p))                                       \
    X(V, void, GOMP_critical_name_end, (void **p), (p))                                         \
    X(V, void, GOMP_loop_end, (void), ())                                                       \
    X(V, void, GOMP_loop_end_nowait, (void), ())                                                \
    X(R, bool, GOMP_loop_ull_nonmonotonic_dynamic_start,                                        \
      (bool up, ull start, ull end, ull incr, ull chunk, ull *istart, ull *iend),               \
      (up, start, end, incr, chunk, istart, iend))                                              \
    X(R, bool, GOMP_loop_ull_nonmonotonic_dynamic_next, (ull * istart, ull *iend),              \
      (istart, iend))                                                                           \
    X(R, bool, GOMP_loop_ull_ordered_dynamic_start,                                             \
      (bool up, ull start, ull end, ull incr, ull chunk, ull *istart, ull *iend),               \
      (up, start, end, incr, chunk, istart, iend))                                              \
    X(R, bool, GOMP_loop_ull_ordered_dynamic_next, (ull * istart, ull *iend), (istart, iend))   \
    X(V, void, GOMP_ordered_start, (void), ())                                                  \
    X(V, void, GOMP_ordered_end, (void), ())                                                    \
    X(R, int, omp_get_max_threads, (void), ())                                                  \
    X(R, int, omp_get_num_threads, (void), ())                                                  \
    X(R, int, omp_get_thread_num, (void), ())

#define DECLARE(kind, ret, name, params, args) ret name params;
CYM_GOMP(DECLARE)

static struct {
#define FIELD(kind, ret, name, params, args) ret(*name) params;
    CYM_GOMP(FIELD)
} gomp;

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void die(const char *what, const char *why)
{
    fprintf(stderr, "cymetrics: cannot load libgomp.so.1 (GCC's OpenMP library): %s%s%s\n", what,
            why ? ": " : "", why ? why : "");
    _exit(EXIT_INTERNAL);
}

static void load(void)
{
    void *h = dlopen("libgomp.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        die(dlerror(), NULL);
#define LOOKUP(kind, ret, name, params, args)                                                   \
    {                                                                                           \
        void *sym = dlsym(h, #name);                                                            \
        if (!sym)                                                                               \
            die(#name, dlerror());                                                              \
        memcpy(&gomp.name, &sym, sizeof(sym));                                                  \
    }
    CYM_GOMP(LOOKUP)
}

#define CALL_V(call) call;
#define CALL_R(call) return call;
#define FORWARD(kind, ret, name, params, args)                                                  \
    ret name params                                                                             \
    {                                                                                           \
        pthread_once(&loaded, load);                                                            \
        CALL_##kind(gomp.name args)                                                             \
    }
CYM_GOMP(FORWARD)

static void nothing(void *data)
{
    (void)data;
}

/*
 * The team of threads made before the work that needs it (the command line calls this before
 * loading a dataset). A thread created while its creator goes on computing is often queued
 * behind it on the same CPU until the scheduler's next balancing tick (measured here: 2 to 7
 * ms on this 2-CPU virtual machine, as long as the whole output phase of a small run), while
 * a sleeping thread woken later usually starts on the idle CPU within tens of microseconds.
 * An empty parallel region makes the team while the caller waits at its barrier, so the new
 * thread runs at once; the next regions reuse it, the first the loading of the country files
 * (docs/performance.md, Start-up).
 */
void cli_threads_start(void)
{
    GOMP_parallel(nothing, NULL, 0, 0);
}
