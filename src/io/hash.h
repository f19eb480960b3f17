/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_IO_HASH_H
#define CYM_IO_HASH_H
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cymetrics/error.h"

/** The n bytes b as 2n lower-case hex digits and a NUL into out. */
void cym__hex(char *out, const unsigned char *b, size_t n);

/**
 * SHA-256 of a file as 64 lower-case hex digits into hex[65]; *bytes gets its size. Remembered
 * as cym__sha256_fdopen does: the same file unchanged is not read again.
 */
cym_status cym__sha256_file(char hex[65], size_t *bytes, const char *path, cym_error *err);

/** The same of the open file `fd` (read to its end; not closed); `path` names it in errors. */
cym_status cym__sha256_fd(char hex[65], size_t *bytes, int fd, const char *path, cym_error *err);

/**
 * A write-only stream on `fd` (taken over: fclose closes it) that hashes what it writes. When
 * `remember` is non-zero and every write succeeded, fclose remembers the file's SHA-256 under
 * its device, inode, size and modification time (process-wide, thread-safe) for
 * cym__sha256_recall. Not seekable; fileno() is -1. NULL when out of memory (fd left open).
 */
FILE *cym__sha256_fdopen(int fd, int remember);

/**
 * 1 with the remembered SHA-256 and size of the file `sb` (from stat) describes when it was
 * written whole through cym__sha256_fdopen and is unchanged since (same size and modification
 * time); 0 otherwise (hash it from its bytes).
 */
int cym__sha256_recall(char hex[65], size_t *bytes, const struct stat *sb);

/** Forgets what is remembered of the file at `path` (call before removing it). */
void cym__sha256_forget(const char *path);

#endif
