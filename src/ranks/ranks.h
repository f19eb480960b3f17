/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_RANKS_RANKS_H
#define CYM_RANKS_RANKS_H
/*
 * The ranks of an MPI job (docs/scale.md), behind an interface without MPI types: the only
 * place of cymetrics that includes <mpi.h>, and only in a build configured with -DCYM_MPI=ON.
 * Without it, or when the program was not started by mpirun, there is one rank (0 of 1) and
 * nothing is sent.
 *
 * The work of an analysis is spread by position: unit b of the work (a batch of replications,
 * a node of the remove-one) belongs to rank b % size. Every rank computes its own units; the
 * others send theirs to rank 0, the only rank that folds, reports progress and writes, in the
 * order of the units, so its outputs are those of one process whatever the number of ranks.
 */
#include <stddef.h>

#include "cymetrics/error.h"

/** MPI_Init when started by an MPI launcher (mpirun, srun); else nothing. -1 on failure. */
int cym__ranks_init(int *argc, char ***argv);

/**
 * Ends the job with this rank's exit code: MPI_Finalize after a success, MPI_Abort(rc) after
 * a failure when there are other ranks, so that none waits for a rank that gave up.
 */
void cym__ranks_end(int rc);

/** This rank (0 .. size - 1) and the number of ranks. */
int cym__ranks_rank(void);
int cym__ranks_size(void);

/** The rank that computes unit b of a job spread by position. */
static inline int cym__ranks_owner(size_t b)
{
    return (int)(b % (size_t)cym__ranks_size());
}

/** A message to rank 0 in flight (cym__ranks_post0), until cym__ranks_wait. Zero: none. */
typedef struct cym__ranks_send {
    void *pending;
} cym__ranks_send;

/**
 * Starts sending buf[0..bytes) to rank 0 (from a rank other than 0); buf must stay as it is
 * until cym__ranks_wait(s). So a rank computes its next unit while rank 0 takes this one.
 */
cym_status cym__ranks_post0(cym__ranks_send *s, const void *buf, size_t bytes, cym_error *err);

/**
 * Waits until the message of s is sent (at once when none is in flight). A build with
 * -DCYM_MPI_FAULTS=ON reads CYM_MPI_FAULT=RANK:kill or RANK:exit here: after its first message,
 * that rank is killed (SIGKILL) or exits with status 1 without finalizing (the tests of a rank
 * lost in the middle of a job).
 */
cym_status cym__ranks_wait(cym__ranks_send *s, cym_error *err);

/** cym__ranks_post0, then cym__ranks_wait. */
cym_status cym__ranks_send0(const void *buf, size_t bytes, cym_error *err);

/** On rank 0: receives buf[0..bytes) from rank `from` (blocking). */
cym_status cym__ranks_recv(void *buf, size_t bytes, int from, cym_error *err);

#endif
