/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_IO_INPUT_H
#define CYM_IO_INPUT_H
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

#endif
