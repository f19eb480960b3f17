/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_IO_OUTDIR_H
#define CYM_IO_OUTDIR_H
/*
 * Atomic output: every file of a run is written under a temporary name in the output folder
 * and renamed into place only when all of them were written, so an interrupted or failed run
 * never leaves a half-written file and earlier results stay as they were.
 */
#include <stdio.h>

#include "cymetrics/error.h"

typedef struct cym__outfile {
    char *tmp;
    char *final;
    char *name;
    char *buf; /* stdio buffer of the open file */
    int wb_fd; /* in a set's stage: the file's descriptor again, for its write-back, or -1 */
} cym__outfile;

typedef struct cym__outdir {
    char *dir;
    cym__outfile *files;
    size_t n, cap;
} cym__outdir;

/** mkdir -p `dir`: a file in the way is an error. */
cym_status cym__outdir_mkdirs(const char *dir, cym_error *err);

/** Creates `dir` (and its parents) if needed. */
cym_status cym__outdir_open(cym__outdir *od, const char *dir, cym_error *err);

/**
 * The inputs are never written: refuses (CYM_EUSAGE) an output folder `dir` that is or lies in
 * an input folder, or holds an input (file or folder), among inputs[0..n) (NULL, "" and paths
 * that do not exist are skipped), compared by canonical path and by device and inode, so a
 * symbolic link, ".." or another spelling does not get round it.
 */
cym_status cym__outdir_refuse_inputs(const char *dir, const char *const *inputs, size_t n,
                                     cym_error *err);

/**
 * Opens a new temporary file for `name` (may contain one level of sub-folder, e.g.
 * "charts/x.png", created as needed). The FILE is fully buffered; close it with
 * cym__outdir_close.
 */
cym_status cym__outdir_create(FILE **out, cym__outdir *od, const char *name, cym_error *err);

/**
 * Flushes and closes `f` written for `name`; reports a full disk or I/O error. In the stage of
 * a result set, the file's write-back to disk starts in the background (cym__outset_writeback).
 */
cym_status cym__outdir_close(cym__outdir *od, FILE *f, const char *name, cym_error *err);

/** Writes a whole file from `arg`; cannot fail (write errors are reported by the close). */
typedef void (*cym__outdir_fill_fn)(FILE *f, const void *arg);

/** Writes the file `name` in one call: cym__outdir_create, `fn`, cym__outdir_close. */
cym_status cym__outdir_write(cym__outdir *od, const char *name, cym__outdir_fill_fn fn,
                             const void *arg, cym_error *err);

/** Writes the file `name` with the text printf makes of `fmt` and the arguments. */
cym_status cym__outdir_printf(cym__outdir *od, const char *name, cym_error *err, const char *fmt,
                              ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/**
 * Reserves a temporary file for `name` that another writer fills (e.g. a chart library that
 * opens the path itself): the file is created empty, so the folder is known to be writable,
 * and *tmp_path (borrowed, valid until cym__outdir_free) is where to write. It is renamed into
 * place at commit like the others, unless dropped with cym__outdir_drop.
 */
cym_status cym__outdir_reserve(const char **tmp_path, cym__outdir *od, const char *name,
                               cym_error *err);

/** Forgets `name` (e.g. a chart that failed): its temporary file is removed, not committed. */
void cym__outdir_drop(cym__outdir *od, const char *name);

/** Renames every temporary file into place. */
cym_status cym__outdir_commit(cym__outdir *od, cym_error *err);

/** Removes the temporary files not committed and frees `od`. Always safe to call. */
void cym__outdir_free(cym__outdir *od);

#endif
