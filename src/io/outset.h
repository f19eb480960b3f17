/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_IO_OUTSET_H
#define CYM_IO_OUTSET_H
/*
 * The output folder as one set, swapped whole (docs/security.md "Atomic results"): a command
 * locks <parent>/.<name>.lock, stages every output in <parent>/.<name>.stage-<pid>, and at
 * the end exchanges the stage with the destination in one renameat2(RENAME_EXCHANGE), then
 * removes the old set without following links. The mechanism only: what goes into the set
 * (and its manifest) is the run module's.
 */
#include <stddef.h>

#include "cymetrics/error.h"

typedef struct cym__outset {
    char *dest;   /* the destination, canonical (a symbolic link to a folder: that folder) */
    char *parent; /* its folder */
    char *name;   /* its last component */
    char *stage;  /* parent/.name.stage-PID: where the writers write */
    char stage_name[300], lock_name[300];
    char *made; /* the first folder of the parent's path that begin created, or NULL */
    int parent_fd, lock_fd;
    int committed;
    struct cym__outset_wb *wb; /* the write-back thread (cym__outset_writeback), or NULL */
    size_t wb_min;             /* the smallest file written back early, in bytes */
} cym__outset;

/* 1 when the non-empty folder `dir` holds an earlier result set and may be replaced. */
typedef int (*cym__outset_accept_fn)(const char *dir);

/**
 * Begins a set for the output folder `dest`: creates its parent if needed, takes the lock
 * (another holder: CYM_EIO "another cymetrics command is writing into ..." at once, no wait),
 * puts back a set that a killed fallback swap left under .name.old-PID, removes the stages
 * and old sets of killed runs, checks the destination (missing, empty, or `accept` says it
 * holds a result set; else CYM_EUSAGE) and creates the empty staging folder. On failure
 * nothing was changed; cym__outset_free is still needed.
 */
cym_status cym__outset_begin(cym__outset *s, const char *dest, cym__outset_accept_fn accept,
                             cym_error *err);

/** One file of a staged set: its path relative to the set, size and SHA-256. */
typedef struct cym__outset_file {
    char *path;
    size_t bytes;
    char sha256[65];
} cym__outset_file;

/**
 * Every file of the stage, sorted by path (byte order), "manifest.json" at the top excepted;
 * sub-folders are walked without following links (a link found is listed as an error).
 * *files belongs to the caller: cym__outset_files_free.
 */
cym_status cym__outset_files(cym__outset_file **files, size_t *n, const cym__outset *s,
                             cym_error *err);
void cym__outset_files_free(cym__outset_file *files, size_t n);

/**
 * Waits for the write-back started early (cym__outset_writeback; a failed one: CYM_EIO, as a
 * failed sync), syncs the stage, exchanges it with the destination (RENAME_EXCHANGE; a
 * destination that does not exist: RENAME_NOREPLACE) and removes the old set. Where the file
 * system has no RENAME_EXCHANGE (EINVAL, ENOSYS): the destination is renamed to
 * .name.old-PID, the stage to the destination, and the old set removed; a kill between the two
 * renames leaves no destination, and the next cym__outset_begin puts the old set back.
 */
cym_status cym__outset_commit(cym__outset *s, cym_error *err);

/**
 * 1 when the folder `dir` is, or lies in, the stage of a set of this process that is not yet
 * committed. Files written there need no sync of their own: cym__outset_commit syncs the
 * whole stage (one syncfs) before anything points at it (io/outdir.c skips its own).
 */
int cym__outset_staging(const char *dir);

/**
 * Starts writing the finished file `fd` back to disk early when the folder `dir` is, or lies
 * in, the stage of a set of this process not yet committed and the file holds 1 MiB or more
 * (smaller ones are cheaper left to the commit's syncfs): one thread of the set (started on
 * the first file) calls sync_file_range(SYNC_FILE_RANGE_WRITE) on each file handed to it and
 * closes it, while the writers go on with the next files; cym__outset_commit waits for it
 * before its syncfs, which then has less left to write (docs/performance.md, "Write-back
 * started early"). 1 when `fd` was taken over (the set closes it), 0 when not (not staged,
 * small, or no thread: the caller closes it; the commit's syncfs writes the file all the
 * same). A failed write-back fails the commit (CYM_EIO), as a failed syncfs does.
 */
int cym__outset_writeback(const char *dir, int fd);

/**
 * Removes the stage unless committed, and then the parent folders begin created if they are
 * empty; removes the lock file and releases the lock; frees `s`. Always safe to call.
 */
void cym__outset_free(cym__outset *s);

#endif
