/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The ranks of an MPI job (ranks.h). With -DCYM_MPI=ON, point-to-point messages of
 * MPI_COMM_WORLD; otherwise one rank and no MPI code at all.
 *
 * Messages are raw bytes: the ranks run the same binary on machines of one architecture (a
 * cluster's nodes), so doubles and structures travel as they are. MPI counts are int, so a
 * message is sent in pieces of at most 1 GiB.
 */
#include "ranks/ranks.h"

#ifdef CYM_MPI

#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PIECE ((size_t)1 << 30)
#define TAG 0x4359

static int initialised, my_rank, n_ranks = 1;

/*
 * Waits for a request without spinning. A blocking MPI call polls at full speed, which takes
 * the core from this rank's own OpenMP threads and, with more ranks than cores, from the rank
 * being waited for; a batch takes milliseconds, so checking every 0.2 ms costs nothing.
 */
static int wait_for(MPI_Request *rq)
{
    const struct timespec nap = {0, 200000};
    for (;;) {
        int done = 0, rc = MPI_Test(rq, &done, MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS || done)
            return rc;
        nanosleep(&nap, NULL);
    }
}

int cym__ranks_init(int *argc, char ***argv)
{
    int provided;
    /* started by a launcher (Open MPI's mpirun, a PMIx or PMI one: MPICH's Hydra, Slurm's
       srun)? A plain `cymetrics ...` stays one process and never starts MPI (a singleton
       MPI_Init is slow and noisy) */
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMIX_RANK") && !getenv("PMI_SIZE"))
        return 0;
    /* only the main thread calls MPI; the OpenMP threads of a rank never do */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return -1;
    initialised = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
    /* the other ranks print nothing on stdout: rank 0 speaks for the job */
    if (my_rank != 0 && !freopen("/dev/null", "w", stdout))
        return -1;
    return 0;
}

void cym__ranks_end(int rc)
{
    if (!initialised)
        return;
    if (rc != 0 && n_ranks > 1) {
        fflush(stdout);
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, rc);
    }
    if (n_ranks > 1) {
        /* the other ranks wait here for rank 0 to write the outputs: asleep (wait_for) */
        MPI_Request rq;
        if (MPI_Ibarrier(MPI_COMM_WORLD, &rq) == MPI_SUCCESS)
            wait_for(&rq);
    }
    MPI_Finalize();
}

int cym__ranks_rank(void)
{
    return my_rank;
}

int cym__ranks_size(void)
{
    return n_ranks;
}

#ifdef CYM_MPI_FAULTS
static void fault(void)
{
    const char *f = getenv("CYM_MPI_FAULT");
    char *end;
    long r;
    if (!f)
        return;
    r = strtol(f, &end, 10);
    if (end == f || r != my_rank)
        return;
    if (strcmp(end, ":kill") == 0)
        raise(SIGKILL);
    if (strcmp(end, ":exit") == 0)
        _exit(1);
}
#endif

static cym_status failed(cym_error *err, const char *what, int rc)
{
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(rc, msg, &len) != MPI_SUCCESS)
        snprintf(msg, sizeof(msg), "error %d", rc);
    return cym_error_set(err, CYM_EIO, NULL, 0, 0, "mpi: cannot %s: %s", what, msg);
}

/* The requests of one message, one per piece. */
typedef struct pending {
    int n;
    MPI_Request rq[];
} pending;

cym_status cym__ranks_post0(cym__ranks_send *s, const void *buf, size_t bytes, cym_error *err)
{
    const char *p = buf;
    size_t n_pieces = bytes / PIECE + 1;
    pending *q = malloc(sizeof(*q) + n_pieces * sizeof(MPI_Request));
    s->pending = NULL;
    if (!q)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    q->n = 0;
    do {
        size_t n = bytes < PIECE ? bytes : PIECE;
        int rc = MPI_Isend(p, (int)n, MPI_BYTE, 0, TAG, MPI_COMM_WORLD, &q->rq[q->n]);
        if (rc != MPI_SUCCESS) {
            free(q);
            return failed(err, "send to rank 0", rc);
        }
        q->n++;
        p += n;
        bytes -= n;
    } while (bytes);
    s->pending = q;
    return CYM_OK;
}

cym_status cym__ranks_wait(cym__ranks_send *s, cym_error *err)
{
    pending *q = s->pending;
    int rc = MPI_SUCCESS;
    if (!q)
        return CYM_OK;
    for (int i = 0; i < q->n && rc == MPI_SUCCESS; i++)
        rc = wait_for(&q->rq[i]);
    free(q);
    s->pending = NULL;
    if (rc != MPI_SUCCESS)
        return failed(err, "send to rank 0", rc);
#ifdef CYM_MPI_FAULTS
    fault();
#endif
    return CYM_OK;
}

cym_status cym__ranks_send0(const void *buf, size_t bytes, cym_error *err)
{
    cym__ranks_send s;
    cym_status st = cym__ranks_post0(&s, buf, bytes, err);
    return st < 0 ? st : cym__ranks_wait(&s, err);
}

cym_status cym__ranks_recv(void *buf, size_t bytes, int from, cym_error *err)
{
    char *p = buf;
    do {
        size_t n = bytes < PIECE ? bytes : PIECE;
        MPI_Request rq;
        int rc = MPI_Irecv(p, (int)n, MPI_BYTE, from, TAG, MPI_COMM_WORLD, &rq);
        if (rc == MPI_SUCCESS)
            rc = wait_for(&rq);
        if (rc != MPI_SUCCESS)
            return failed(err, "receive from a rank", rc);
        p += n;
        bytes -= n;
    } while (bytes);
    return CYM_OK;
}

#else /* one process */

int cym__ranks_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

void cym__ranks_end(int rc)
{
    (void)rc;
}

int cym__ranks_rank(void)
{
    return 0;
}

int cym__ranks_size(void)
{
    return 1;
}

cym_status cym__ranks_post0(cym__ranks_send *s, const void *buf, size_t bytes, cym_error *err)
{
    (void)buf;
    (void)bytes;
    s->pending = NULL;
    return cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0, "no other rank to send to");
}

cym_status cym__ranks_wait(cym__ranks_send *s, cym_error *err)
{
    (void)s;
    (void)err;
    return CYM_OK;
}

cym_status cym__ranks_send0(const void *buf, size_t bytes, cym_error *err)
{
    (void)buf;
    (void)bytes;
    return cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0, "no other rank to send to");
}

cym_status cym__ranks_recv(void *buf, size_t bytes, int from, cym_error *err)
{
    (void)buf;
    (void)bytes;
    (void)from;
    return cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0, "no other rank to receive from");
}

#endif
