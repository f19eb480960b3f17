/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Input files are regular files. Opening a FIFO for reading waits for a writer and reading
 * it waits for data, so a FIFO named like a country file would hang `validate` forever; a
 * device such as /dev/zero or a terminal would be read without end or block. Every reader
 * of input files (the CSV reader, the SHA-256 of the manifest, the INI reader) opens through
 * cym__input_open: open with O_NONBLOCK, then fstat the descriptor (not stat then open, which
 * a swap of the path in between would defeat).
 */
#include "io/input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

cym_status cym__input_open(FILE **out, const char *path, cym_error *err)
{
    struct stat sb;
    int flags, e;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    *out = NULL;
    if (fd < 0) {
        cym_status st;
        e = errno;
        st = cym_error_set(err, CYM_EIO, path, 0, 0, "cannot open: %s", strerror(e));
        if (err)
            err->sys_errno = e;
        return st;
    }
    if (fstat(fd, &sb) != 0) {
        cym_status st;
        e = errno;
        close(fd);
        st = cym_error_set(err, CYM_EIO, path, 0, 0, "cannot open: %s", strerror(e));
        if (err)
            err->sys_errno = e;
        return st;
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return cym_error_set(err, CYM_EIO, path, 0, 0, "not a regular file");
    }
    /* reads of a regular file do not block anyway; clear the flag so they behave as usual */
    if ((flags = fcntl(fd, F_GETFL)) == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1 ||
        !(*out = fdopen(fd, "rb"))) {
        cym_status st;
        e = errno;
        close(fd);
        st = e == ENOMEM ? cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory")
                         : cym_error_set(err, CYM_EIO, path, 0, 0, "cannot open: %s", strerror(e));
        if (err && e != ENOMEM)
            err->sys_errno = e;
        return st;
    }
    return CYM_OK;
}
