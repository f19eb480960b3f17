/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_IO_HASH_H
#define CYM_IO_HASH_H
#include <stddef.h>

#include "cymetrics/error.h"

/** SHA-256 of a file as 64 lower-case hex digits into hex[65]; *bytes gets its size. */
cym_status cym__sha256_file(char hex[65], size_t *bytes, const char *path, cym_error *err);

/** The same of the open file `fd` (read to its end; not closed); `path` names it in errors. */
cym_status cym__sha256_fd(char hex[65], size_t *bytes, int fd, const char *path, cym_error *err);

#endif
