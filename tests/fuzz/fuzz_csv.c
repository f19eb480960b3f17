/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the CSV reader (src/io/csv.c). The first byte picks the delimiter and small
 * limits (so the field, row and field-count limits are reached often); the rest is the file.
 * Every field handed to the callback must be NUL-terminated at its length, with a position
 * inside the file, and rows must be numbered in order; the reader's own path for plain lines
 * must give what libcsv alone gives (cym__csv_opts.libcsv_only): the same rows, fields,
 * positions and error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "io/csv.h"

typedef struct state {
    size_t rows;
    size_t limit; /* stop (as a loader does on bad data) after this many rows, 0 = never */
    size_t bytes;
    uint64_t hash; /* FNV-1a of every row handed out */
} state;

static void mix(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ b[i]) * 1099511628211u;
}

static cym_status on_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    state *s = ctx;
    if (row->index != s->rows)
        abort();
    for (size_t i = 0; i < row->n; i++) {
        const cym__csv_field *f = &row->f[i];
        if (strlen(f->text) != f->len || f->line < 1 || f->col < 1 ||
            f->line > s->bytes + 1 || f->col > s->bytes + 1)
            abort();
        mix(&s->hash, f->text, f->len + 1);
        mix(&s->hash, &f->line, sizeof(f->line));
        mix(&s->hash, &f->col, sizeof(f->col));
        mix(&s->hash, &f->quoted, sizeof(f->quoted));
    }
    mix(&s->hash, &row->line, sizeof(row->line));
    mix(&s->hash, &row->n, sizeof(row->n));
    if (s->limit && ++s->rows == s->limit)
        return cym_error_set(err, CYM_EDATA, "cb", row->line, 1, "stop");
    if (!s->limit)
        s->rows++;
    return CYM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char delims[] = {',', ';', '\t', '|'};
    cym__csv_opts o;
    fuzz_file f;
    state s;
    cym_error err, err2;
    cym_status st, st2;
    state s2;
    unsigned char mode;

    if (size < 1)
        return 0;
    mode = data[0];
    memset(&o, 0, sizeof(o));
    o.delim = delims[mode & 3];
    if (mode & 4) {
        o.max_field = 1 + (mode >> 5);   /* 1..8 bytes */
        o.max_row = 4 + (mode >> 4);     /* 4..19 bytes */
        o.max_fields = 1 + (mode >> 6);  /* 1..4 fields */
    }
    memset(&s, 0, sizeof(s));
    s.limit = mode & 8 ? 3 : 0;
    s.bytes = size - 1;
    s2 = s;
    fuzz_file_open(&f, data + 1, size - 1);
    cym_error_clear(&err);
    cym_error_clear(&err2);
    st = cym__csv_read(f.path, &o, on_row, &s, &err);
    o.libcsv_only = 1; /* the same file through libcsv alone: the same rows and error */
    st2 = cym__csv_read(f.path, &o, on_row, &s2, &err2);
    if (st != st2 || s.hash != s2.hash || s.rows != s2.rows || err.line != err2.line ||
        err.column != err2.column || strcmp(err.message, err2.message) != 0)
        abort();
    fuzz_file_close(&f);
    return 0;
}
