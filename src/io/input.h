/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_IO_INPUT_H
#define CYM_IO_INPUT_H
#include <stddef.h>
#include <stdio.h>

#include "cymetrics/error.h"

/**
 * Opens the input file `path` for reading, and only if it is a regular file: a FIFO, a
 * device, a socket or a folder is refused at once with "not a regular file" (CYM_EIO), never
 * waited on or read. The file is opened with O_NONBLOCK (opening a FIFO then does not wait
 * for a writer) and the open descriptor is checked with fstat, so nothing can swap the path
 * between the check and the read; O_NONBLOCK is cleared again before the stream is returned.
 * An open that fails is "cannot open: REASON" (CYM_EIO, err->sys_errno set). On success
 * *out is a stream the caller closes with fclose.
 */
cym_status cym__input_open(FILE **out, const char *path, cym_error *err);

/** cym__input_open as a file descriptor: *fd is the caller's to close (-1 on failure). */
cym_status cym__input_open_fd(int *fd, const char *path, cym_error *err);

/** What the first bytes of a file say it is, when not text (cym__input_sniff). */
typedef enum cym__input_kind {
    CYM_INPUT_OTHER = 0,
    CYM_INPUT_ZIP,  /* a zip archive ("PK\3\4", or "PK\5\6" when empty): .xlsx, .ods, ... */
    CYM_INPUT_OLE2, /* an OLE2 compound file: an old .xls, or an encrypted .xlsx */
} cym__input_kind;

/** The kind of a file from its first `n` bytes `b` (8 are enough). */
cym__input_kind cym__input_sniff(const unsigned char *b, size_t n);

#endif
