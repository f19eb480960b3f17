/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Error records and warning lists. The error path never allocates: messages are formatted
 * into the fixed buffers of the caller's cym_error. Warnings (non-fatal numerical events)
 * do allocate, and report CYM_ENOMEM when they cannot.
 */
#include "cymetrics/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void cym_error_clear(cym_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof(*err));
}

cym_status cym_error_set(cym_error *err, cym_status code, const char *file, unsigned long line,
                         unsigned long column, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    err->code = code;
    err->sys_errno = 0;
    err->line = line;
    err->column = column;
    err->file[0] = '\0';
    if (file)
        snprintf(err->file, sizeof(err->file), "%s", file);
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return code;
}

size_t cym_error_format(char *buf, size_t size, const cym_error *err)
{
    int n;

    if (err->file[0] && err->line && err->column)
        n = snprintf(buf, size, "%s:%lu:%lu: %s", err->file, err->line, err->column, err->message);
    else if (err->file[0] && err->line)
        n = snprintf(buf, size, "%s:%lu: %s", err->file, err->line, err->message);
    else if (err->file[0])
        n = snprintf(buf, size, "%s: %s", err->file, err->message);
    else
        n = snprintf(buf, size, "%s", err->message);
    return n < 0 ? 0 : (size_t)n;
}

int cym_error_exit_code(cym_status status)
{
    switch (status) {
    case CYM_OK: return 0;
    case CYM_EDATA: return 1;
    case CYM_EUSAGE: return 2;
    case CYM_EIO: return 3;
    default: return 4;
    }
}

cym_status cym_warnings_add(cym_warnings *w, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *line;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return CYM_EINTERNAL;
    if (cym__grow_array(&w->lines, &w->cap, w->count, sizeof(*w->lines), 8) < 0)
        return CYM_ENOMEM;
    line = malloc((size_t)n + 1);
    if (!line)
        return CYM_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(line, (size_t)n + 1, fmt, ap);
    va_end(ap);
    w->lines[w->count++] = line;
    return CYM_OK;
}

void cym_warnings_clear(cym_warnings *w)
{
    if (!w)
        return;
    cym__free_strings(w->lines, w->count);
    w->lines = NULL;
    w->count = w->cap = 0;
}
