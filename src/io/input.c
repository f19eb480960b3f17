/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Input files are regular files. Opening a FIFO for reading waits for a writer and reading
 * it waits for data, so a FIFO named like a country file would hang `validate` forever; a
 * device such as /dev/zero or a terminal would be read without end or block. Every reader
 * of input files (the CSV reader, the SHA-256 of the manifest, the INI reader) opens through
 * cym__input_open (or cym__input_open_fd, the CSV reader's): open with O_NONBLOCK, then fstat
 * the descriptor (not stat then open, which a swap of the path in between would defeat). Also
 * what a file's first bytes say it is (a zip archive, an OLE2 file), so that a workbook given
 * as CSV is named as one.
 */
#include "io/input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static cym_status open_error(const char *path, int e, cym_error *err)
{
    cym_status st = cym_error_set(err, CYM_EIO, path, 0, 0, "cannot open: %s", strerror(e));
    if (err)
        err->sys_errno = e;
    return st;
}

cym_status cym__input_open_fd(int *out, const char *path, cym_error *err)
{
    struct stat sb;
    int e;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    *out = -1;
    if (fd < 0)
        return open_error(path, errno, err);
    if (fstat(fd, &sb) != 0) {
        e = errno;
        close(fd);
        return open_error(path, e, err);
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return cym_error_set(err, CYM_EIO, path, 0, 0, "not a regular file");
    }
    /* reads of a regular file do not block anyway; clear the flag so they behave as usual
       (O_NONBLOCK is the only status flag the open set: one call, not F_GETFL first) */
    if (fcntl(fd, F_SETFL, 0) == -1) {
        e = errno;
        close(fd);
        return open_error(path, e, err);
    }
    *out = fd;
    return CYM_OK;
}

cym_status cym__input_open(FILE **out, const char *path, cym_error *err)
{
    int fd, e;
    cym_status st = cym__input_open_fd(&fd, path, err);
    *out = NULL;
    if (st < 0)
        return st;
    if (!(*out = fdopen(fd, "rb"))) {
        e = errno;
        close(fd);
        return e == ENOMEM ? cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory")
                           : open_error(path, e, err);
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
