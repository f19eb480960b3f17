/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_FUZZ_UTIL_H
#define CYM_FUZZ_UTIL_H
/*
 * Shared by the libFuzzer targets: the loaders take file names, so the fuzzer's bytes go into
 * an anonymous in-memory file (memfd_create) read back through /proc/self/fd/N. Nothing
 * touches the disk, and every input starts from a fresh, exactly sized file.
 */
#include <stddef.h>
#include <stdint.h>

typedef struct fuzz_file {
    int fd;
    char path[32];
} fuzz_file;

/** Creates an in-memory file holding data[0..n); aborts (a harness bug) on failure. */
void fuzz_file_open(fuzz_file *f, const uint8_t *data, size_t n);

/** Closes it (the memory goes with the last descriptor). */
void fuzz_file_close(fuzz_file *f);

#endif
