/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A growable text buffer for the report's writers, with the escapes that keep text from the
 * inputs (country names, titles, group values, tier labels, paths) from becoming markup:
 * HTML entities for & < > " ', and for Markdown also a backslash before the characters that
 * open emphasis, links, code or table cells. An allocation failure sets `oom` once and drops
 * the rest, so writers check one flag at the end instead of every call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

static int grow(cym__buf *b, size_t more)
{
    size_t cap;
    char *p;
    if (b->oom)
        return -1;
    if (b->n + more + 1 <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more + 1)
        cap *= 2;
    p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void cym__buf_put(cym__buf *b, const char *s, size_t len)
{
    if (grow(b, len) < 0)
        return;
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
}

void cym__buf_puts(cym__buf *b, const char *s)
{
    cym__buf_put(b, s, strlen(s));
}

void cym__buf_printf(cym__buf *b, const char *fmt, ...)
{
    va_list ap;
    int len;
    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || grow(b, (size_t)len) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}

static const char *entity(char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

void cym__buf_html(cym__buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *e = entity(*s);
        if (!e)
            continue;
        cym__buf_put(b, run, (size_t)(s - run));
        cym__buf_puts(b, e);
        run = s + 1;
    }
    cym__buf_put(b, run, (size_t)(s - run));
}

void cym__buf_md(cym__buf *b, const char *s)
{
    for (; *s; s++) {
        /* quotes are plain text in Markdown outside raw HTML: left as they are */
        const char *e = *s == '"' || *s == '\'' ? NULL : entity(*s);
        if (e)
            cym__buf_puts(b, e);
        else if (*s == '\n' || *s == '\r' || *s == '\t')
            cym__buf_put(b, " ", 1);
        else if (strchr("\\`*_[]|#", *s)) {
            cym__buf_put(b, "\\", 1);
            cym__buf_put(b, s, 1);
        } else
            cym__buf_put(b, s, 1);
    }
}

void cym__buf_base64(cym__buf *b, const unsigned char *p, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    if (grow(b, (n + 2) / 3 * 4) < 0)
        return;
    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        char q[4] = {abc[v >> 18], abc[(v >> 12) & 63], abc[(v >> 6) & 63], abc[v & 63]};
        memcpy(b->p + b->n, q, 4);
        b->n += 4;
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0u);
        char q[4] = {abc[v >> 18], abc[(v >> 12) & 63], i + 1 < n ? abc[(v >> 6) & 63] : '=', '='};
        memcpy(b->p + b->n, q, 4);
        b->n += 4;
    }
    b->p[b->n] = '\0';
}

void cym__buf_free(cym__buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}
