/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_IO_CSV_H
#define CYM_IO_CSV_H
/*
 * Streaming CSV reader on libcsv that knows where every field starts (line and column),
 * which libcsv does not report. Rows are handed to a callback one at a time, so memory does
 * not grow with the file.
 */
#include <stddef.h>
#include <stdio.h>

#include "cymetrics/error.h"

typedef struct cym__csv_field {
    const char *text;    /* NUL-terminated, trimmed of surrounding blanks; never NULL */
    size_t len;
    unsigned long line;  /* 1-based position of the field's first byte */
    unsigned long col;
    int quoted;
} cym__csv_field;

typedef struct cym__csv_row {
    const cym__csv_field *f;
    size_t n;
    unsigned long line; /* line where the row starts */
    size_t index;       /* 0 for the header */
} cym__csv_row;

/** Row callback: return CYM_OK to go on, or a failure (with err filled) to stop reading. */
typedef cym_status (*cym__csv_row_fn)(void *ctx, const cym__csv_row *row, cym_error *err);

typedef struct cym__csv_opts {
    unsigned char delim; /* default ',' */
    size_t max_field;    /* longest field in bytes; default 1 MiB */
    size_t max_row;      /* most bytes of field text in one row; default 32 MiB */
    size_t max_fields;   /* most fields in one row; default 1,048,576 */
    /* tests: 1 = every line through libcsv, none split by the reader's own plain-line path
       (the rows must be the same either way); when set, *fast_rows gets how many rows that
       path read */
    int libcsv_only;
    size_t *fast_rows;
    /* when not NULL: the SHA-256 (65 bytes, lower-case hex) and size of the bytes the read
       parsed, which are the whole file's when it reached the end; sha256 is "" when it did
       not (a failure, or a callback that stopped it). Nothing is hashed otherwise. */
    char *sha256;
    size_t *bytes;
} cym__csv_opts;

/* The limits bound the memory of one row (the reader keeps one row at a time): a file that is
 * one endless line fails with its position instead of exhausting memory. */
#define CYM_CSV_MAX_FIELD_DEFAULT ((size_t)1 << 20)
#define CYM_CSV_MAX_ROW_DEFAULT ((size_t)32 << 20)
#define CYM_CSV_MAX_FIELDS_DEFAULT ((size_t)1 << 20)

/**
 * Reads `path` and calls `fn` for every non-empty row (the header included). Accepts a UTF-8
 * BOM and CRLF; rejects UTF-16, NUL bytes, invalid UTF-8, unterminated or stray quotes, and
 * fields or rows over the limits, with the position. `opts` may be NULL for the defaults.
 * Only a regular file is read: a FIFO, a device or a folder is refused at once with "not a
 * regular file" (cym__input_open).
 */
cym_status cym__csv_read(const char *path, const cym__csv_opts *opts, cym__csv_row_fn fn,
                         void *ctx, cym_error *err);

/**
 * cym__csv_read on a stream the caller opened (and closes), named `path` in the messages:
 * the reader itself streams any input, a pipe included (tests/unit/test_csv.c reads 2 GiB
 * from one in bounded memory).
 */
cym_status cym__csv_read_stream(FILE *f, const char *path, const cym__csv_opts *opts,
                                cym__csv_row_fn fn, void *ctx, cym_error *err);

/**
 * An input file opened once for both the detection of its format and its parse: the first
 * 64 KiB read at the open serve cym__csv_file_detect and then the parse, which goes on from
 * there (no second open or read of the head); with opts->sha256 the parse hashes what it reads.
 * The caller holds it (on its stack: a buffer allocated per file would be fresh memory for
 * every file, whose first touch costs more than its reading on a VM; docs/performance.md).
 * The fields are the reader's.
 */
typedef struct cym__csv_file {
    const char *path;
    int fd;       /* the file, or -1 for a stream (or none) */
    FILE *stream; /* cym__csv_read_stream's stream, or NULL */
    size_t n;     /* bytes in buf */
    int fresh;    /* buf holds the first bytes of the file, not parsed yet */
    int eof;      /* the end was reached */
    int rerr;     /* errno of a failed read, 0 none */
    unsigned char buf[65536];
} cym__csv_file;

/**
 * Opens the regular file `path` into *f (cym__input_open's checks and messages) and reads its
 * first 64 KiB. `path` is borrowed until cym__csv_close and names the file in messages. On
 * failure *f holds nothing to close (cym__csv_close accepts it).
 */
cym_status cym__csv_open(cym__csv_file *f, const char *path, cym_error *err);

/** cym__csv_detect on an opened file's first bytes. */
cym_status cym__csv_file_detect(cym__csv_file *f, unsigned char *delim, char *decimal,
                                cym_error *err);

/**
 * cym__csv_read on an opened file, from its first byte: a second read of the same file (after
 * one a callback stopped early) seeks back to the start and reads it again.
 */
cym_status cym__csv_file_read(cym__csv_file *f, const cym__csv_opts *opts, cym__csv_row_fn fn,
                              void *ctx, cym_error *err);

/** Closes a file of cym__csv_open, also one that failed to open. */
void cym__csv_close(cym__csv_file *f);

/**
 * Detects the format of `path` where `*delim` or `*decimal` is 0 (an explicit value is kept):
 * the delimiter (',' ';' or tab) is the one that appears outside quotes in the header line,
 * or, when several do, the one found as often in every complete data row of the first 64 KiB;
 * the decimal mark is ',' when the delimiter is not ',' and those rows hold numbers written
 * with a decimal comma and none with a point, else '.'. A header with no delimiter is one
 * column (','). Two delimiters that the rows cannot tell apart are CYM_EDATA at the header's
 * line and the column of the second, naming the setting that forces one.
 */
cym_status cym__csv_detect(const char *path, unsigned char *delim, char *decimal, cym_error *err);

/**
 * Writes the text `s` as one CSV field, in double quotes (inner quotes doubled) when it needs
 * them, and spreadsheet-safe: text starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return that is not a plain decimal number (cym__parse_number) gets a leading `'`, inside
 * double quotes (`"'=1+2"`), so a spreadsheet shows it as text instead of running it as a
 * formula (docs/formats.md, "CSV outputs"). Every text field from the inputs (names, codes,
 * labels, flags) that goes into an output CSV goes through here or cym__csv_format_text.
 */
void cym__csv_put_text(FILE *f, const char *s);

/** Writes v as one CSV field as the machine tables have it (cym_format_double), NaN as an empty field. */
void cym__csv_put_num(FILE *f, double v);

/** Writes v[0..n) as n more fields of a row, each after its comma (",v0,v1,..."). */
void cym__csv_put_nums(FILE *f, const double *v, size_t n);

/** The longest text cym__csv_format_text writes for a string of `len` bytes. */
#define CYM__CSV_TEXT_MAX(len) (2 * (len) + 3)

/**
 * cym__csv_put_text into memory: writes the field into `dst`, which has room for
 * CYM__CSV_TEXT_MAX(strlen(s)) bytes, without a NUL; returns the length written.
 */
size_t cym__csv_format_text(char *dst, const char *s);

/**
 * Writes `s` as one CSV field with the RFC 4180 quoting only, byte for byte otherwise: for
 * files cymetrics itself reads back as inputs (the dataset `import-coinr` writes), where a
 * leading `'` would change the text (and `-`, a missing-value token, must stay `-`).
 */
void cym__csv_put_verbatim(FILE *f, const char *s);

/** Finds `name` among the header fields; returns its index or -1. */
long cym__csv_col(const cym__csv_row *header, const char *name);

#endif
