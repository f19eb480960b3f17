/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * CSV input on libcsv (strict RFC 4180 parsing), with the positions libcsv does not track.
 *
 * libcsv calls back when a field or a row ends but says nothing about where. We therefore feed
 * it the input in pieces that each end at a byte that can end a field (delimiter, quote, CR,
 * LF): a field callback can then only fire on the last byte of a piece, so we know exactly
 * where every field started and ended. The same pass validates UTF-8 and rejects NUL bytes.
 * Known libcsv traps handled here: fields are only NUL-terminated with CSV_APPEND_NULL;
 * CSV_STRICT alone accepts an unterminated quote at end of file (CSV_STRICT_FINI); a UTF-8
 * BOM would stay in the first header (stripped here).
 *
 * Most lines of a large dataset are plain: printable ASCII without quotes or blanks, so every
 * delimiter ends a field and nothing is trimmed or unquoted. Such a line, starting where
 * libcsv would begin a new row, is split here directly (fast_rows) into exactly the fields,
 * positions and row libcsv and feed() would give it; any other line (a quote, a blank, a tab,
 * a byte outside ASCII, a lone CR, an empty line, a line cut by the end of the buffer or over
 * a limit) goes through libcsv as before, so its errors and positions are unchanged.
 *
 * An input file is opened and read once (cym__csv_open): its first 64 KiB serve the detection
 * of its format and are then the parse's first piece; the parse hashes the pieces it reads when
 * asked (opts->sha256), so the manifest lists the SHA-256 of the bytes the numbers came from
 * without reading the file again (it had been opened three times: detection, parse, hash).
 */
#include "io/csv.h"
#include "io/input.h"

#include <csv.h>
#include <errno.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"
#include "io/hash.h"

typedef struct reader {
    const char *path;
    cym__csv_row_fn fn;
    void *ctx;
    cym_error *err;
    cym_status status; /* first failure from the callback or memory */
    size_t max_field, max_row, max_fields;
    unsigned char delim;

    /* position of the next byte to feed */
    unsigned long line, col;
    /* start of the field being read */
    unsigned long fline, fcol;
    int need_start;
    int fquoted;
    size_t field_bytes;

    /* UTF-8 validation state carried across buffers */
    int u8_need;                /* continuation bytes still expected */
    unsigned char u8_lo, u8_hi; /* allowed range of the next continuation byte */
    unsigned long u8_line, u8_col;

    /* the row being collected */
    cym__csv_field *fields;
    size_t nfields, capfields;
    char *arena;
    size_t arena_len, arena_cap;
    size_t row_index;
    unsigned char cls[256];
    /* fast_rows: 1 when the bytes consumed so far end a line (or none were), so libcsv is
       between rows; which bytes a plain line may hold (1), end it (2: '\n'; 4: '\r' before
       one) or split it (3) */
    int at_line_start;
    unsigned char plain[256];
    size_t fast_rows;
} reader;

static int reserve_arena(reader *r, size_t extra)
{
    if (r->arena_len + extra > r->arena_cap) {
        size_t cap = r->arena_cap ? r->arena_cap : 4096;
        char *p;
        while (cap < r->arena_len + extra)
            cap *= 2;
        p = realloc(r->arena, cap);
        if (!p)
            return -1;
        r->arena = p;
        r->arena_cap = cap;
    }
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    const char *txt = s ? s : "";
    cym__csv_field *f;

    if (r->status < 0)
        return;
    /* libcsv trims unquoted blanks already; also trim what it leaves for quoted fields */
    if (!r->fquoted) {
        while (len && is_blank(txt[len - 1]))
            len--;
        while (len && is_blank(*txt)) {
            txt++;
            len--;
        }
    }
    /* one row is held in memory: bound it (a 100 MB line of short fields would otherwise
     * grow both arrays until memory runs out) */
    if (r->nfields == r->max_fields) {
        r->status = cym_error_set(r->err, CYM_EDATA, r->path, r->fline, r->fcol,
                                  "row has more than %zu fields (is this really a CSV file?)",
                                  r->max_fields);
        return;
    }
    if (r->arena_len + len + 1 > r->max_row) {
        r->status = cym_error_set(r->err, CYM_EDATA, r->path, r->fline, r->fcol,
                                  "row is longer than %zu bytes (is this really a CSV file?)",
                                  r->max_row);
        return;
    }
    if (r->nfields == r->capfields && /* tested here first: this runs for every field */
        cym__grow_array(&r->fields, &r->capfields, r->nfields, sizeof(*r->fields), 16) < 0) {
        r->status = cym_error_set(r->err, CYM_ENOMEM, r->path, 0, 0, "out of memory");
        return;
    }
    if (reserve_arena(r, len + 1) < 0) {
        r->status = cym_error_set(r->err, CYM_ENOMEM, r->path, 0, 0, "out of memory");
        return;
    }
    f = &r->fields[r->nfields++];
    /* store the offset now; arena may move, pointers are fixed up at row end */
    f->text = (const char *)(uintptr_t)r->arena_len;
    memcpy(r->arena + r->arena_len, txt, len);
    r->arena[r->arena_len + len] = '\0';
    r->arena_len += len + 1;
    f->len = len;
    f->line = r->fline;
    f->col = r->fcol;
    f->quoted = r->fquoted;
    r->need_start = 1;
    r->fquoted = 0;
    r->field_bytes = 0;
}

static void on_row(int c, void *data)
{
    reader *r = data;
    cym__csv_row row;
    (void)c;

    if (r->status < 0)
        return;
    for (size_t i = 0; i < r->nfields; i++)
        r->fields[i].text = r->arena + (uintptr_t)r->fields[i].text;
    row.f = r->fields;
    row.n = r->nfields;
    row.line = r->nfields ? r->fields[0].line : r->line;
    row.index = r->row_index++;
    r->status = r->fn(r->ctx, &row, r->err);
    r->nfields = 0;
    r->arena_len = 0;
}

/* Byte classes for the scanner: 1 = ends a piece, 2 = needs a closer look. */
static void init_classes(unsigned char *cls, unsigned char delim)
{
    memset(cls, 0, 256);
    cls['"'] = 1;
    cls['\n'] = 1;
    cls['\r'] = 1;
    cls[delim] = 1;
    cls[0] = 2;
    for (int i = 0x80; i < 0x100; i++)
        cls[i] = 2;
}

/* Validates one byte of UTF-8 (b >= 0x80) at the current position; 0 ok, -1 invalid. */
static int utf8_byte(reader *r, unsigned char b)
{
    if (r->u8_need) {
        if (b < r->u8_lo || b > r->u8_hi)
            return -1;
        r->u8_need--;
        r->u8_lo = 0x80;
        r->u8_hi = 0xBF;
        return 0;
    }
    r->u8_line = r->line;
    r->u8_col = r->col;
    r->u8_lo = 0x80;
    r->u8_hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        r->u8_need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
        r->u8_need = 2;
        if (b == 0xE0)
            r->u8_lo = 0xA0; /* overlong */
        if (b == 0xED)
            r->u8_hi = 0x9F; /* surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        r->u8_need = 3;
        if (b == 0xF0)
            r->u8_lo = 0x90;
        if (b == 0xF4)
            r->u8_hi = 0x8F;
    } else {
        return -1;
    }
    return 0;
}

static cym_status parse_error(reader *r, const unsigned char *p, int in_quotes)
{
    unsigned char c = *p;
    if (c == '"' && !in_quotes)
        return cym_error_set(r->err, CYM_EDATA, r->path, r->line, r->col,
                             "stray quote inside an unquoted field (quote the whole field "
                             "and double the inner quotes)");
    return cym_error_set(r->err, CYM_EDATA, r->path, r->line, r->col,
                         "unexpected character after a closing quote");
}

/* The bytes a plain line may hold: printable ASCII but the quote (no blank to trim); the
   line end; the delimiter. A tab delimiter is a blank to libcsv: no line is plain then. */
static void init_plain(unsigned char *plain, unsigned char delim)
{
    memset(plain, 0, 256);
    if (delim == '\t' || delim == ' ')
        return;
    for (int c = 0x21; c < 0x7F; c++)
        plain[c] = 1;
    plain['"'] = 0;
    plain['\n'] = 2;
    plain[delim] = 3;
    plain['\r'] = 4; /* plain before a '\n' only: alone, it ends a row for libcsv */
}

/*
 * Reads the plain lines at the start of buf[0..n) (above), each a row handed to r->fn as
 * on_field and on_row would; returns the bytes consumed, up to the first line that is not
 * plain or not complete. Call only at the start of a line (r->at_line_start) with libcsv
 * between rows and no field started (r->need_start, r->nfields == 0).
 */
static size_t fast_rows(reader *r, const unsigned char *buf, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t start = i, nf = 1, len, end;
        cym__csv_row row;
        unsigned char k = 0;
        /* the line: plain bytes and delimiters up to its '\n' (or CR LF) */
        for (; i < n; i++) {
            k = r->plain[buf[i]];
            if (k != 1) {
                if (k != 3)
                    break;
                nf++;
            }
        }
        end = i;
        if (k == 4 && i + 1 < n && buf[i + 1] == '\n')
            k = r->plain[buf[++i]];
        if (i == n || k != 2)
            return start; /* cut by the buffer's end, or a byte that is not plain */
        len = end - start;
        /* an empty line (libcsv skips it), or a line near a limit: libcsv's path, which
           reports the limit where the old path did */
        if (len == 0 || len > r->max_field || len + 1 > r->max_row || nf > r->max_fields)
            return start;
        while (nf > r->capfields)
            if (cym__grow_array(&r->fields, &r->capfields, r->capfields, sizeof(*r->fields),
                                16) < 0) {
                r->status = cym_error_set(r->err, CYM_ENOMEM, r->path, 0, 0, "out of memory");
                return start;
            }
        if (reserve_arena(r, len + 1) < 0) {
            r->status = cym_error_set(r->err, CYM_ENOMEM, r->path, 0, 0, "out of memory");
            return start;
        }
        /* the line into the arena, each delimiter and the end made a NUL */
        memcpy(r->arena, buf + start, len);
        r->arena[len] = '\0';
        {
            size_t f = 0, from = 0;
            for (size_t j = 0; j <= len; j++) {
                if (j < len && r->arena[j] != (char)r->delim)
                    continue;
                r->arena[j] = '\0';
                r->fields[f].text = r->arena + from;
                r->fields[f].len = j - from;
                r->fields[f].line = r->line;
                r->fields[f].col = from + 1;
                r->fields[f].quoted = 0;
                f++;
                from = j + 1;
            }
        }
        row.f = r->fields;
        row.n = nf;
        row.line = r->line;
        row.index = r->row_index++;
        r->status = r->fn(r->ctx, &row, r->err);
        r->line++;
        r->col = 1;
        r->fast_rows++;
        i++; /* the '\n' */
        if (r->status < 0)
            return i;
    }
    return i;
}

/* Feeds buf[0..n) to libcsv in pieces; updates positions. */
static cym_status feed(reader *r, struct csv_parser *p, const unsigned char *buf, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        unsigned long sline = r->line, scol = r->col;
        /* scan to the end of the piece */
        while (i < n) {
            unsigned char c = buf[i];
            unsigned char k = r->cls[c];
            if (r->u8_need && c < 0x80)
                return cym_error_set(r->err, CYM_EDATA, r->path, r->u8_line, r->u8_col,
                                     "invalid UTF-8 byte sequence (save the file as UTF-8)");
            if (k == 2) {
                if (c == 0)
                    return cym_error_set(r->err, CYM_EDATA, r->path, r->line, r->col,
                                         "NUL byte in text (a binary or UTF-16 file?)");
                if (utf8_byte(r, c) < 0)
                    return cym_error_set(r->err, CYM_EDATA, r->path,
                                         r->u8_need ? r->u8_line : r->line,
                                         r->u8_need ? r->u8_col : r->col,
                                         "invalid UTF-8 byte sequence (save the file as UTF-8)");
            }
            if (r->need_start) {
                /* a line end here either ends an empty last field (which then starts here)
                 * or a blank line (no field); only other bytes surely start a field */
                r->fline = r->line;
                r->fcol = r->col;
                r->fquoted = c == '"';
                r->field_bytes = 0;
                if (c != '\n' && c != '\r')
                    r->need_start = 0;
            }
            i++;
            if (c == '\n') {
                r->line++;
                r->col = 1;
            } else {
                r->col++;
            }
            /* raw bytes of the field, quotes included, the byte that may end it excluded */
            if (c != '\n' && c != '\r' && c != r->delim && ++r->field_bytes > r->max_field)
                return cym_error_set(r->err, CYM_EDATA, r->path, r->fline, r->fcol,
                                     "field longer than %zu bytes (is this really a CSV "
                                     "file?)",
                                     r->max_field);
            if (k == 1)
                break;
        }
        {
            size_t len = i - start;
            size_t done = csv_parse(p, buf + start, len, on_field, on_row, r);
            if (r->status < 0)
                return r->status;
            if (done < len) {
                int err = csv_error(p);
                if (err == CSV_ENOMEM || err == CSV_ETOOBIG)
                    return cym_error_set(r->err, CYM_ENOMEM, r->path, 0, 0, "out of memory");
                /* recompute the position of the offending byte */
                r->line = sline;
                r->col = scol;
                for (size_t j = start; j < start + done; j++) {
                    if (buf[j] == '\n') {
                        r->line++;
                        r->col = 1;
                    } else {
                        r->col++;
                    }
                }
                return parse_error(r, buf + start + done, r->fquoted && buf[start + done] != '"');
            }
        }
    }
    return CYM_OK;
}

/*
 * Reads buf[0..n): the plain lines with fast_rows, the others fed to libcsv line by line
 * (a quoted field may span lines: libcsv keeps its state across them).
 */
static cym_status feed_lines(reader *r, struct csv_parser *p, const unsigned char *buf, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const unsigned char *nl;
        size_t len;
        cym_status st;
        if (r->at_line_start && r->need_start && r->nfields == 0) {
            i += fast_rows(r, buf + i, n - i);
            if (r->status < 0)
                return r->status;
            if (i == n)
                break;
        }
        nl = memchr(buf + i, '\n', n - i);
        len = nl ? (size_t)(nl - (buf + i)) + 1 : n - i;
        if ((st = feed(r, p, buf + i, len)) < 0)
            return st;
        r->at_line_start = nl != NULL;
        i += len;
    }
    return CYM_OK;
}

long cym__csv_col(const cym__csv_row *header, const char *name)
{
    for (size_t i = 0; i < header->n; i++)
        if (strcmp(header->f[i].text, name) == 0)
            return (long)i;
    return -1;
}

/*
 * A spreadsheet workbook given where a CSV file is read: said so, with what to do, rather than
 * "NUL byte" (an .xlsx is a zip archive, an old .xls an OLE2 compound file).
 */
static cym_status workbook_magic(const unsigned char *b, size_t n, const char *path,
                                 cym_error *err)
{
    cym__input_kind kind = cym__input_sniff(b, n);
    if (kind == CYM_INPUT_ZIP)
        return cym_error_set(err, CYM_EDATA, path, 0, 0,
                             "the file is a spreadsheet workbook (.xlsx, a zip archive), not "
                             "CSV: a country's submission workbook goes in the data folder as "
                             "<CODE>.xlsx (docs/formats.md, \"Submission workbooks\"); other "
                             "tables must be saved as CSV UTF-8");
    if (kind == CYM_INPUT_OLE2)
        return cym_error_set(err, CYM_EDATA, path, 0, 0,
                             "the file is an old Excel 97-2003 (.xls) workbook, not CSV: save it "
                             "as CSV UTF-8, or a submission form as .xlsx (docs/formats.md)");
    return CYM_OK;
}

/* ---- input files: opened once, read in pieces ------------------------------------------- */

#define PIECE sizeof(((cym__csv_file *)0)->buf)

/* The next piece into f->buf: PIECE bytes, fewer only at the end or after a read error. */
static void fill(cym__csv_file *f)
{
    f->n = 0;
    if (f->eof || f->rerr)
        return;
    if (f->stream) {
        f->n = fread(f->buf, 1, PIECE, f->stream);
        if (f->n < PIECE) {
            if (ferror(f->stream))
                f->rerr = errno ? errno : EIO;
            else
                f->eof = 1;
        }
        return;
    }
    while (f->n < PIECE) {
        ssize_t k = read(f->fd, f->buf + f->n, PIECE - f->n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k < 0)
                f->rerr = errno;
            else
                f->eof = 1;
            break;
        }
        f->n += (size_t)k;
    }
}

/* Makes buf the file's first bytes again (a seek back when they were parsed already). */
static cym_status head(cym__csv_file *f, cym_error *err)
{
    if (f->fresh)
        return CYM_OK;
    if (f->stream || lseek(f->fd, 0, SEEK_SET) != 0)
        return cym_error_set(err, CYM_EIO, f->path, 0, 0, "read error: %s",
                             f->stream ? "cannot read a stream twice" : strerror(errno));
    f->eof = f->rerr = 0;
    fill(f);
    f->fresh = 1;
    return CYM_OK;
}

/* f on `path` (and the stream `stream`, or NULL), its first piece read */
static void file_init(cym__csv_file *f, const char *path, FILE *stream)
{
    f->path = path;
    f->stream = stream;
    f->n = 0;
    f->eof = f->rerr = 0;
    if (stream || f->fd >= 0)
        fill(f);
    f->fresh = 1;
}

cym_status cym__csv_open(cym__csv_file *f, const char *path, cym_error *err)
{
    cym_status st = cym__input_open_fd(&f->fd, path, err);
    file_init(f, path, NULL);
    return st;
}

void cym__csv_close(cym__csv_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

cym_status cym__csv_file_read(cym__csv_file *f, const cym__csv_opts *opts, cym__csv_row_fn fn,
                              void *ctx, cym_error *err)
{
    struct csv_parser p;
    struct sha256_ctx sha;
    reader r;
    cym_status status = CYM_OK;
    int first = 1;
    size_t total = 0;
    unsigned char delim = opts && opts->delim ? opts->delim : ',';
    char *hex = opts ? opts->sha256 : NULL;

    if (hex) {
        hex[0] = '\0';
        sha256_init(&sha);
    }
    if (opts && opts->bytes)
        *opts->bytes = 0;
    memset(&r, 0, sizeof(r));
    r.path = f->path;
    r.fn = fn;
    r.ctx = ctx;
    r.err = err;
    r.line = r.col = 1;
    r.fline = r.fcol = 1;
    r.need_start = 1;
    r.max_field = opts && opts->max_field ? opts->max_field : CYM_CSV_MAX_FIELD_DEFAULT;
    r.max_row = opts && opts->max_row ? opts->max_row : CYM_CSV_MAX_ROW_DEFAULT;
    r.max_fields = opts && opts->max_fields ? opts->max_fields : CYM_CSV_MAX_FIELDS_DEFAULT;
    r.delim = delim;
    init_classes(r.cls, delim);
    if (!(opts && opts->libcsv_only))
        init_plain(r.plain, delim);
    r.at_line_start = 1;

    if ((status = head(f, err)) < 0)
        return status;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
        return cym_error_set(err, CYM_ENOMEM, f->path, 0, 0, "out of memory");
    csv_set_delim(&p, delim);

    for (;; fill(f)) {
        size_t n = f->n;
        const unsigned char *b = f->buf;
        f->fresh = 0;
        if (n == 0)
            break;
        /* the bytes as read, a BOM included: what the manifest names */
        if (hex)
            sha256_update(&sha, n, b);
        total += n;
        if (first) {
            first = 0;
            if ((status = workbook_magic(b, n, f->path, err)) < 0)
                goto cleanup;
            if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
                status = cym_error_set(err, CYM_EDATA, f->path, 1, 1,
                                       "file is UTF-16 encoded; save it as UTF-8 "
                                       "(\"CSV UTF-8\" in spreadsheet programs)");
                goto cleanup;
            }
            if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
                b += 3;
                n -= 3;
            }
        }
        status = feed_lines(&r, &p, b, n);
        if (status < 0)
            goto cleanup;
    }
    if (f->rerr) {
        status = cym_error_set(err, CYM_EIO, f->path, 0, 0, "read error: %s", strerror(f->rerr));
        goto cleanup;
    }
    if (r.u8_need) {
        status = cym_error_set(err, CYM_EDATA, f->path, r.u8_line, r.u8_col,
                               "invalid UTF-8 byte sequence (save the file as UTF-8)");
        goto cleanup;
    }
    if (r.need_start) {
        /* an empty last field at the end of a file without a final line end starts here */
        r.fline = r.line;
        r.fcol = r.col;
        r.fquoted = 0;
    }
    if (csv_fini(&p, on_field, on_row, &r) != 0) {
        if (r.status < 0)
            status = r.status;
        else
            status = cym_error_set(err, CYM_EDATA, f->path, r.fline, r.fcol,
                                   "unterminated quoted field (the quote opened here is "
                                   "never closed)");
        goto cleanup;
    }
    status = r.status;
    if (status >= 0 && hex) {
        unsigned char digest[SHA256_DIGEST_SIZE];
        sha256_digest(&sha, SHA256_DIGEST_SIZE, digest);
        cym__hex(hex, digest, SHA256_DIGEST_SIZE);
        if (opts->bytes)
            *opts->bytes = total;
    }

cleanup:
    if (opts && opts->fast_rows)
        *opts->fast_rows = r.fast_rows;
    csv_free(&p);
    free(r.fields);
    free(r.arena);
    return status;
}

cym_status cym__csv_read(const char *path, const cym__csv_opts *opts, cym__csv_row_fn fn, void *ctx,
                         cym_error *err)
{
    cym__csv_file f;
    cym_status st = cym__csv_open(&f, path, err);
    if (st >= 0)
        st = cym__csv_file_read(&f, opts, fn, ctx, err);
    cym__csv_close(&f);
    return st;
}

cym_status cym__csv_read_stream(FILE *stream, const char *path, const cym__csv_opts *opts,
                                cym__csv_row_fn fn, void *ctx, cym_error *err)
{
    cym__csv_file f;
    f.fd = -1;
    file_init(&f, path, stream);
    return cym__csv_file_read(&f, opts, fn, ctx, err);
}

/* ---- format detection (cym__csv_detect) ---------------------------------------------------- */

static const unsigned char detect_delims[3] = {',', ';', '\t'};
static const char *const detect_names[3] = {"','", "';'", "a tab"};

/* The next line of buf[*pos..n) (quoted line ends belong to the field): the counts of each
 * candidate delimiter outside quotes, the column of the first of each, and whether the line
 * ended before n (or is the end of a file read whole). */
static int detect_line(const unsigned char *buf, size_t n, int whole, size_t *pos, size_t count[3],
                       size_t first[3])
{
    /* what a byte is to this scan: 1 a quote, 2 a line end, 3 + k the delimiter k */
    static const unsigned char kind[256] = {['"'] = 1, ['\n'] = 2, ['\r'] = 2,
                                            [','] = 3, [';'] = 4, ['\t'] = 5};
    int quoted = 0;
    size_t i = *pos;
    memset(count, 0, 3 * sizeof(size_t));
    memset(first, 0, 3 * sizeof(size_t));
    for (; i < n; i++) {
        unsigned char k = kind[buf[i]];
        if (!k)
            continue;
        if (k == 1)
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (k == 2)
            break;
        else if (count[k - 3]++ == 0)
            first[k - 3] = i - *pos + 1;
    }
    if (i >= n) { /* the last line is complete when the window holds the whole file */
        int complete = whole && i > *pos;
        *pos = n;
        return complete;
    }
    while (i < n && (buf[i] == '\n' || buf[i] == '\r'))
        i++;
    *pos = i;
    return 1;
}

/* A number written with `mark` as its decimal mark: [+-]digits mark digits, blanks around. */
static int has_decimal(const unsigned char *s, size_t len, unsigned char mark)
{
    size_t i = 0, d1, d2;
    while (i < len && (s[i] == ' ' || s[i] == '"'))
        i++;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    for (d1 = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    if (i == d1 || i >= len || s[i] != mark)
        return 0;
    for (d2 = ++i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    if (i == d2)
        return 0;
    while (i < len && (s[i] == ' ' || s[i] == '"'))
        i++;
    return i == len;
}

static char detect_decimal(const unsigned char *buf, size_t n, int whole, size_t pos,
                           unsigned char delim)
{
    size_t commas = 0, points = 0;
    while (pos < n) {
        size_t start = pos, end = pos;
        int quoted = 0;
        while (end < n && (quoted || (buf[end] != '\n' && buf[end] != '\r'))) {
            if (buf[end] == '"')
                quoted = !quoted;
            end++;
        }
        if (end >= n && !whole)
            break; /* a line cut by the 64 KiB window is not looked at */
        for (size_t i = start, f = start; i <= end; i++)
            if (i == end || buf[i] == delim) {
                commas += has_decimal(buf + f, i - f, ',');
                points += has_decimal(buf + f, i - f, '.');
                f = i + 1;
            }
        pos = end + 1;
    }
    return commas && !points ? ',' : '.';
}

/* The detection on the first n bytes of the file (whole: they are all of it). */
static cym_status detect(const unsigned char *buf, size_t n, int whole, const char *path,
                         unsigned char *delim, char *decimal, cym_error *err)
{
    size_t pos = 0, hcount[3], hfirst[3], count[3], first[3], header_line = 1;
    int fits[3] = {1, 1, 1}, found = 0, pick = -1, second = -1;
    cym_status st;

    if ((st = workbook_magic(buf, n, path, err)) < 0)
        return st;
    if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
        pos = 3;
    while (pos < n && (buf[pos] == '\n' || buf[pos] == '\r'))
        header_line += buf[pos++] == '\n'; /* blank lines before the header */
    if (!*delim) {
        int complete = detect_line(buf, n, whole, &pos, hcount, hfirst);
        size_t after_header = pos;
        /* one candidate (or none) in the header is the pick whatever the rows say */
        if ((hcount[0] > 0) + (hcount[1] > 0) + (hcount[2] > 0) < 2)
            complete = 0;
        while (complete && pos < n && (complete = detect_line(buf, n, whole, &pos, count, first)))
            for (int k = 0; k < 3; k++)
                fits[k] &= count[k] == hcount[k];
        for (int k = 0; k < 3; k++)
            found += hcount[k] > 0 && fits[k];
        for (int k = 0; k < 3; k++) /* several in the header: those the rows agree with */
            if (hcount[k] && (found == 0 || fits[k])) {
                if (pick < 0)
                    pick = k;
                else if (second < 0 || hfirst[k] < hfirst[second])
                    second = k;
            }
        if (second >= 0) {
            if (hfirst[second] < hfirst[pick]) {
                int t = pick;
                pick = second;
                second = t;
            }
            return cym_error_set(err, CYM_EDATA, path, header_line, hfirst[second],
                                 "cannot tell the delimiter: the header and the first rows read "
                                 "as well with %s as with %s; force one with --delimiter "
                                 "(delimiter = comma, semicolon or tab in an INI file)",
                                 detect_names[pick], detect_names[second]);
        }
        *delim = pick >= 0 ? detect_delims[pick] : ',';
        pos = after_header;
    } else {
        detect_line(buf, n, whole, &pos, hcount, hfirst);
    }
    if (!*decimal)
        *decimal = *delim == ',' ? '.' : detect_decimal(buf, n, whole, pos, *delim);
    return CYM_OK;
}

cym_status cym__csv_file_detect(cym__csv_file *f, unsigned char *delim, char *decimal,
                                cym_error *err)
{
    cym_status st;
    if (*delim && *decimal)
        return CYM_OK;
    if ((st = head(f, err)) < 0)
        return st;
    return detect(f->buf, f->n, f->n < PIECE, f->path, delim, decimal, err);
}

cym_status cym__csv_detect(const char *path, unsigned char *delim, char *decimal, cym_error *err)
{
    cym__csv_file f;
    cym_status st;
    if (*delim && *decimal)
        return CYM_OK;
    if ((st = cym__csv_open(&f, path, err)) >= 0)
        st = cym__csv_file_detect(&f, delim, decimal, err);
    cym__csv_close(&f);
    return st;
}
