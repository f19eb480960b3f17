/* SPDX-License-Identifier: GPL-3.0-or-later */
/* In-memory files for the fuzz targets (fuzz_util.h). */
#define _GNU_SOURCE /* memfd_create */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

void fuzz_file_open(fuzz_file *f, const uint8_t *data, size_t n)
{
    size_t done = 0;
    f->fd = memfd_create("cymfuzz", MFD_CLOEXEC);
    if (f->fd < 0) {
        perror("memfd_create");
        abort();
    }
    while (done < n) {
        ssize_t w = write(f->fd, data + done, n - done);
        if (w <= 0) {
            perror("write");
            abort();
        }
        done += (size_t)w;
    }
    snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
}

void fuzz_file_close(fuzz_file *f)
{
    close(f->fd);
    f->fd = -1;
}
