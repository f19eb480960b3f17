/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Input files are regular files. Opening a FIFO for reading waits for a writer and reading
 * it waits for data, so a FIFO named like a country file would hang `validate` forever; a
 * device such as /dev/zero or a terminal would be read without end or block. Every reader
 * of input files (the CSV reader, the SHA-256 of the manifest, the INI reader) opens through
 * cym__input_open: open with O_NONBLOCK, then fstat the descriptor (not stat then open, which
 * a swap of the path in between would defeat). Also what a file's first bytes say it is
 * (a zip archive, an OLE2 file), so that a workbook given as CSV is named as one.
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

cym__input_kind cym__input_sniff(const unsigned char *b, size_t n)
{
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n >= 4 && b[0] == 'P' && b[1] == 'K' &&
        ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6)))
        return CYM_INPUT_ZIP;
    if (n >= 8 && memcmp(b, ole, 8) == 0)
        return CYM_INPUT_OLE2;
    return CYM_INPUT_OTHER;
}
