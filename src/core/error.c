/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Error records and warning lists. The error path never allocates: messages are formatted
 * into the fixed buffers of the caller's cym_error. Warnings (non-fatal numerical events)
 * do allocate, and report CYM_ENOMEM when they cannot.
 *
 * Messages and warnings quote input text (names, codes, values, file names), and are printed
 * on a terminal: every one is formatted here and passed through cym__text_escape
 * (core/escape.c), so control characters and invalid UTF-8 in that text are shown escaped
 * (`\x1b`, `\n`) wherever it is quoted, and a message stays one line.
 */
#include "cymetrics/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/util.h"

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
    /* room for more than the message holds, so an over-long message is cut by the escaping,
     * between characters (also safe when an argument is err->message itself) */
    char raw[2 * CYM_ERROR_MESSAGE_MAX];
    char path[CYM_ERROR_FILE_MAX]; /* `file` may be err->file itself */

    if (!err)
        return code;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    snprintf(path, sizeof(path), "%s", file ? file : "");
    err->code = code;
    err->sys_errno = 0;
    err->line = line;
    err->column = column;
    err->sheet[0] = '\0';
    cym__text_escape(err->file, sizeof(err->file), path);
    cym__text_escape(err->message, sizeof(err->message), raw);
    return code;
}

void cym_error_set_sheet(cym_error *err, const char *sheet)
{
    if (err)
        cym__text_escape(err->sheet, sizeof(err->sheet), sheet ? sheet : "");
}

size_t cym_error_cell_ref(char *buf, size_t size, unsigned long row, unsigned long column)
{
    char letters[16];
    size_t n = sizeof(letters) - 1;
    letters[n] = '\0';
    for (; column && n; column = (column - 1) / 26)
        letters[--n] = (char)('A' + (column - 1) % 26);
    return (size_t)snprintf(buf, size, "%s%lu", letters + n, row);
}

/* A sheet name as a reference writes it: in single quotes (inner ones doubled) unless it is
   letters, digits and '_' (Excel's rule, short of its exceptions for names like cell refs). */
static void sheet_name(char *buf, size_t size, const char *s)
{
    size_t n = 0;
    int plain = s[0] != '\0';
    for (const char *p = s; *p; p++)
        if (!(((unsigned char)*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || (unsigned char)*p >= 0x80))
            plain = 0;
    if (plain) {
        snprintf(buf, size, "%s", s);
        return;
    }
    if (size < 3)
        return;
    buf[n++] = '\'';
    for (const char *p = s; *p && n + 3 < size; p++) {
        if (*p == '\'')
            buf[n++] = '\'';
        buf[n++] = *p;
    }
    buf[n++] = '\'';
    buf[n] = '\0';
}

size_t cym_error_format(char *buf, size_t size, const cym_error *err)
{
    /* cym_error_set escaped both parts already; a record filled by hand is escaped here */
    char raw[CYM_ERROR_FILE_MAX + CYM_ERROR_MESSAGE_MAX + 2 * CYM_ERROR_SHEET_MAX + 64];

    if (err->file[0] && err->sheet[0]) {
        char sheet[2 * CYM_ERROR_SHEET_MAX + 3], cell[32] = "";
        sheet_name(sheet, sizeof(sheet), err->sheet);
        if (err->line)
            cym_error_cell_ref(cell, sizeof(cell), err->line, err->column ? err->column : 1);
        snprintf(raw, sizeof(raw), "%s:%s%s%s: %s", err->file, sheet, cell[0] ? "!" : "", cell,
                 err->message);
    } else if (err->file[0] && err->line && err->column)
        snprintf(raw, sizeof(raw), "%s:%lu:%lu: %s", err->file, err->line, err->column,
                 err->message);
    else if (err->file[0] && err->line)
        snprintf(raw, sizeof(raw), "%s:%lu: %s", err->file, err->line, err->message);
    else if (err->file[0])
        snprintf(raw, sizeof(raw), "%s: %s", err->file, err->message);
    else
        snprintf(raw, sizeof(raw), "%s", err->message);
    return cym__text_escape(size ? buf : NULL, size, raw);
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

static int error_cmp(const void *pa, const void *pb)
{
    const cym_error *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c || (c = strcmp(a->sheet, b->sheet)))
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    return strcmp(a->message, b->message);
}

/* The list is small (a limit of tens): a full list is scanned for its last record. */
static void list_add(cym_error_list *l, const cym_error *e)
{
    size_t last = 0;
    l->total++;
    if (!l->limit)
        return;
    if (!l->errors && !(l->errors = malloc(l->limit * sizeof(*l->errors))))
        return;
    if (l->count < l->limit) {
        l->errors[l->count++] = *e;
        return;
    }
    for (size_t i = 1; i < l->count; i++)
        if (error_cmp(&l->errors[i], &l->errors[last]) > 0)
            last = i;
    if (error_cmp(e, &l->errors[last]) < 0)
        l->errors[last] = *e;
}

void cym_error_list_add(cym_error_list *l, const cym_error *e)
{
#pragma omp critical(cym_error_list)
    list_add(l, e);
}

void cym_error_list_sort(cym_error_list *l)
{
    if (l->count > 1)
        qsort(l->errors, l->count, sizeof(*l->errors), error_cmp);
}

void cym_error_list_free(cym_error_list *l)
{
    if (!l)
        return;
    free(l->errors);
    l->errors = NULL;
    l->count = l->total = 0;
}

cym_status cym_warnings_add(cym_warnings *w, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *line;
    size_t len;

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
    /* escapes only make text longer: an unchanged length means nothing to escape */
    len = cym__text_escape(NULL, 0, line);
    if (len != (size_t)n) {
        char *esc = malloc(len + 1);
        if (!esc) {
            free(line);
            return CYM_ENOMEM;
        }
        cym__text_escape(esc, len + 1, line);
        free(line);
        line = esc;
    }
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
