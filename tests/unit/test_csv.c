/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CSV reader (src/io/csv.c): what every field holds and where it starts. The expected
 * positions are counted by hand from the inputs written next to them (lines and columns are
 * 1-based bytes, the UTF-8 BOM not counted), and the files larger than the 64 KiB read
 * buffer are built so that the interesting bytes straddle the buffer boundary.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "io/csv.h"
#include "io/hash.h"
#include "io/outdir.h"

#define BUF 65536 /* the reader's buffer size (src/io/csv.c) */

typedef struct cell {
    char *text;
    unsigned long line, col;
    int quoted;
} cell;

typedef struct rows {
    size_t n;
    size_t nf[64];        /* fields per row (first 64 rows) */
    unsigned long line[64];
    cell c[64][8];        /* first 8 fields of the first 64 rows */
    size_t total_rows;
    cell last[8];         /* fields of the last row */
    size_t last_n;
    size_t stop_after;    /* when non-zero: fail the read after this many rows */
} rows;

static void keep(cell *dst, const cym__csv_field *f)
{
    dst->text = malloc(f->len + 1);
    assert_non_null(dst->text);
    memcpy(dst->text, f->text, f->len + 1);
    assert_int_equal(strlen(f->text), f->len);
    dst->line = f->line;
    dst->col = f->col;
    dst->quoted = f->quoted;
}

static cym_status on_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    rows *r = ctx;
    if (r->stop_after && r->total_rows == r->stop_after)
        return cym_error_set(err, CYM_EDATA, "cb", row->line, 1, "stopped");
    if (r->n < 64) {
        r->nf[r->n] = row->n;
        r->line[r->n] = row->line;
        for (size_t i = 0; i < row->n && i < 8; i++)
            keep(&r->c[r->n][i], &row->f[i]);
        r->n++;
    }
    for (size_t i = 0; i < r->last_n && i < 8; i++)
        free(r->last[i].text);
    r->last_n = row->n;
    for (size_t i = 0; i < row->n && i < 8; i++)
        keep(&r->last[i], &row->f[i]);
    assert_int_equal(row->index, r->total_rows);
    r->total_rows++;
    return CYM_OK;
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (size_t j = 0; j < r->nf[i] && j < 8; j++)
            free(r->c[i][j].text);
    for (size_t i = 0; i < r->last_n && i < 8; i++)
        free(r->last[i].text);
}

static const char *write_bytes(const char *name, const char *bytes, size_t n)
{
    const char *path = cym_test_write_temp(name, "");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return path;
}

static cym_status read_text(rows *r, const char *text, const cym__csv_opts *opts,
                            cym_error *err)
{
    const char *path = cym_test_write_temp("t.csv", text);
    memset(r, 0, sizeof(*r));
    cym_error_clear(err);
    return cym__csv_read(path, opts, on_row, r, err);
}

static void assert_cell(const cell *c, const char *text, unsigned long line, unsigned long col)
{
    assert_string_equal(c->text, text);
    if (c->line != line || c->col != col)
        fail_msg("'%s' at %lu:%lu, expected %lu:%lu", text, c->line, c->col, line, col);
}

static void assert_error_at(const cym_error *err, unsigned long line, unsigned long col,
                            const char *words)
{
    assert_int_equal(err->code, CYM_EDATA);
    if (err->line != line || err->column != col)
        fail_msg("error at %lu:%lu, expected %lu:%lu (%s)", err->line, err->column, line, col,
                 err->message);
    if (!strstr(err->message, words))
        fail_msg("message '%s' does not say '%s'", err->message, words);
}

static void test_positions(void **state)
{
    rows r;
    cym_error err;
    (void)state;
    /* "  b" is trimmed but starts at its first byte, the blank */
    assert_int_equal(read_text(&r, "a,  b,c\n1,22,333\n", NULL, &err), CYM_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.nf[0], 3);
    assert_cell(&r.c[0][0], "a", 1, 1);
    assert_cell(&r.c[0][1], "b", 1, 3);
    assert_cell(&r.c[0][2], "c", 1, 7);
    assert_cell(&r.c[1][0], "1", 2, 1);
    assert_cell(&r.c[1][1], "22", 2, 3);
    assert_cell(&r.c[1][2], "333", 2, 6);
    assert_int_equal(r.line[1], 2);
    rows_free(&r);
}

static void test_multiline_quoted(void **state)
{
    rows r;
    cym_error err;
    (void)state;
    /* a quoted field spanning lines 2-3; the next field and row count lines from there */
    assert_int_equal(read_text(&r, "h1,h2\n\"x\ny, \"\"z\"\"\",w\nlast,\"q\"\n", NULL, &err),
                     CYM_OK);
    assert_int_equal(r.n, 3);
    assert_cell(&r.c[1][0], "x\ny, \"z\"", 2, 1);
    assert_true(r.c[1][0].quoted);
    assert_cell(&r.c[1][1], "w", 3, 11);
    assert_false(r.c[1][1].quoted);
    assert_int_equal(r.line[1], 2);
    assert_cell(&r.c[2][0], "last", 4, 1);
    assert_cell(&r.c[2][1], "q", 4, 6);
    assert_true(r.c[2][1].quoted);
    assert_int_equal(r.line[2], 4);
    rows_free(&r);
}

static void test_crlf_and_bom(void **state)
{
    rows r;
    cym_error err;
    (void)state;
    assert_int_equal(read_text(&r, "\xEF\xBB\xBF" "code,name\r\nVNM,Viet Nam\r\n\r\nJPN,Japan",
                               NULL, &err),
                     CYM_OK);
    assert_int_equal(r.n, 3); /* the blank line is no row */
    assert_cell(&r.c[0][0], "code", 1, 1); /* no BOM left in the first header */
    assert_cell(&r.c[0][1], "name", 1, 6);
    assert_cell(&r.c[1][1], "Viet Nam", 2, 5);
    assert_cell(&r.c[2][0], "JPN", 4, 1);
    assert_cell(&r.c[2][1], "Japan", 4, 5); /* last field without a line end */
    rows_free(&r);
}

static void test_empty_fields(void **state)
{
    rows r;
    cym_error err;
    (void)state;
    /* empty, quoted empty, a short row (a field missing), empty last fields (LF, CRLF, EOF) */
    assert_int_equal(read_text(&r, "a,b,c\n,\"\",x\n1,2\n1,2,\n3,4,\r\n5,6,", NULL, &err),
                     CYM_OK);
    assert_int_equal(r.n, 6);
    assert_int_equal(r.nf[1], 3);
    assert_cell(&r.c[1][0], "", 2, 1);
    assert_false(r.c[1][0].quoted);
    assert_cell(&r.c[1][1], "", 2, 2);
    assert_true(r.c[1][1].quoted);
    assert_cell(&r.c[1][2], "x", 2, 5);
    assert_int_equal(r.nf[2], 2);
    assert_int_equal(r.nf[3], 3);
    assert_cell(&r.c[3][2], "", 4, 5);
    assert_cell(&r.c[4][2], "", 5, 5);
    assert_cell(&r.c[5][2], "", 6, 5);
    rows_free(&r);
}

static void test_max_field(void **state)
{
    rows r;
    cym_error err;
    cym__csv_opts o = {.delim = ',', .max_field = 4};
    (void)state;
    /* exactly the limit, before a delimiter, a line end and the end of the file */
    assert_int_equal(read_text(&r, "abcd,efgh\nijkl,mnop", &o, &err), CYM_OK);
    rows_free(&r);
    /* blank lines before a field do not count towards it */
    assert_int_equal(read_text(&r, "a\n\n\n\n\n\nbcde\n", &o, &err), CYM_OK);
    rows_free(&r);
    /* one byte more: reported where the field starts */
    assert_int_equal(read_text(&r, "ab,cdefg,h\n", &o, &err), CYM_EDATA);
    assert_error_at(&err, 1, 4, "longer than 4 bytes");
    rows_free(&r);
    /* quotes count: the raw field "abcd" is 6 bytes */
    assert_int_equal(read_text(&r, "x\n\"abcd\"\n", &o, &err), CYM_EDATA);
    assert_error_at(&err, 2, 1, "longer than 4 bytes");
    rows_free(&r);
}

static void test_row_limits(void **state)
{
    rows r;
    cym_error err;
    cym__csv_opts o = {.delim = ',', .max_row = 8, .max_fields = 3};
    (void)state;
    /* 3 fields of 1 byte: 6 bytes with their terminators, within both limits */
    assert_int_equal(read_text(&r, "a,b,c\nd,e,f\n", &o, &err), CYM_OK);
    rows_free(&r);
    /* a fourth field: reported where it starts */
    assert_int_equal(read_text(&r, "a,b,c\nd,e,f,g\n", &o, &err), CYM_EDATA);
    assert_error_at(&err, 2, 7, "more than 3 fields");
    rows_free(&r);
    /* "abc" + "defg" = 3 + 1 + 4 + 1 = 9 bytes > 8: reported at the field that overflows */
    assert_int_equal(read_text(&r, "ab\nabc,defg\n", &o, &err), CYM_EDATA);
    assert_error_at(&err, 2, 5, "longer than 8 bytes");
    rows_free(&r);
}

/* ---- endless input from a pipe: a 100 MB line, a 2 GB file ----------------------------- */

typedef struct stream {
    pid_t child;
    FILE *f;
    char path[64];
} stream;

/* Starts a child writing `total` bytes into a pipe: `head` once, then `unit` again and again
 * (the last copy cut short). Nothing is stored on disk, so a 2 GB file costs no space. The
 * pipe is read with cym__csv_read_stream: cym__csv_read opens regular files only. */
static void stream_start(stream *s, const char *head, const char *unit, unsigned long long total)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    s->child = fork();
    assert_true(s->child >= 0);
    if (s->child == 0) {
        static char block[1 << 16];
        size_t ul = strlen(unit), fill = 0;
        unsigned long long left = total;
        close(p[0]);
        while (fill + ul <= sizeof(block)) {
            memcpy(block + fill, unit, ul);
            fill += ul;
        }
        if (write(p[1], head, strlen(head)) < 0)
            _exit(0);
        left -= strlen(head);
        while (left) {
            size_t n = left < fill ? (size_t)left : fill;
            ssize_t w = write(p[1], block, n);
            if (w <= 0)
                _exit(0); /* the reader stopped early */
            left -= (unsigned long long)w;
        }
        _exit(0);
    }
    close(p[1]);
    s->f = fdopen(p[0], "rb");
    assert_non_null(s->f);
    snprintf(s->path, sizeof(s->path), "pipe");
}

static void stream_stop(stream *s)
{
    int wstatus;
    fclose(s->f);
    kill(s->child, SIGKILL);
    waitpid(s->child, &wstatus, 0);
}

static cym_status count_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    (void)err;
    (void)row;
    ++*(unsigned long long *)ctx;
    return CYM_OK;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void test_long_line(void **state)
{
    stream s;
    cym_error err;
    unsigned long long n = 0;
    long rss0 = peak_rss_kib();
    (void)state;
    /* a line of 100 MB of one-byte fields: stopped by the field count, at the field after
     * the 1,048,576th, which starts at byte 2 * 1048576 + 1 of line 2 */
    stream_start(&s, "h\n", "a,", 100000000ULL);
    cym_error_clear(&err);
    assert_int_equal(cym__csv_read_stream(s.f, s.path, NULL, count_row, &n, &err), CYM_EDATA);
    stream_stop(&s);
    assert_error_at(&err, 2, 2 * CYM_CSV_MAX_FIELDS_DEFAULT + 1, "more than 1048576 fields");
    /* a line of 100 MB of 1000-byte fields: stopped by the row size, at the field that
     * crosses 32 MiB (33,554,432 / 1001 bytes a field: 33,520 fields fit) */
    {
        static char unit[1002];
        memset(unit, 'x', 1000);
        unit[1000] = ',';
        stream_start(&s, "h\n", unit, 100000000ULL);
    }
    assert_int_equal(cym__csv_read_stream(s.f, s.path, NULL, count_row, &n, &err), CYM_EDATA);
    stream_stop(&s);
    assert_error_at(&err, 2, 33520UL * 1001 + 1, "longer than 33554432 bytes");
    /* one row at a time is held: the peak memory grew by less than the line (at most 40 MiB
     * of fields and 32 MiB of text, doubled while growing). ASan keeps freed blocks in a
     * quarantine of 256 MiB, so there the bound only shows that memory stays bounded. */
    long limit_kib = 128 * 1024;
#if defined(__SANITIZE_ADDRESS__)
    limit_kib = 512 * 1024;
#endif
    if (peak_rss_kib() - rss0 > limit_kib)
        fail_msg("peak memory grew by %ld KiB reading a 100 MB line", peak_rss_kib() - rss0);
    assert_int_equal(n, 2); /* the two headers */
}

static void test_huge_stream(void **state)
{
    stream s;
    cym_error err;
    unsigned long long n = 0, total = 2ULL << 30;
    const char *env = getenv("CYM_TEST_STREAM_MIB");
    long rss0 = peak_rss_kib();
    (void)state;
    /* 2 GiB by default; the sanitizer builds read 256 MiB (ten times slower per byte) */
#if defined(__SANITIZE_ADDRESS__)
    total = 256ULL << 20;
#endif
    if (env && atoll(env) > 0)
        total = (unsigned long long)atoll(env) << 20;
    /* 32-byte rows, so the count is exact: total is a multiple of 32 */
    stream_start(&s, "", "VNM,IND.ABCDE,2020,1234.5678,ok\n", total);
    cym_error_clear(&err);
    assert_int_equal(cym__csv_read_stream(s.f, s.path, NULL, count_row, &n, &err), CYM_OK);
    stream_stop(&s);
    assert_int_equal(n, total / 32);
    if (peak_rss_kib() - rss0 > 64 * 1024)
        fail_msg("peak memory grew by %ld KiB streaming %llu bytes", peak_rss_kib() - rss0,
                 total);
}

static void test_malformed(void **state)
{
    static const struct {
        const char *text;
        unsigned long line, col;
        const char *words;
    } cases[] = {
        {"a,b\n1,\"2\n", 2, 3, "unterminated quoted field"},
        {"a,b\n1,\"2\"\n\"3,4\n", 3, 1, "unterminated quoted field"},
        {"a,b\n1,2\"3\n", 2, 4, "stray quote"},
        {"a,b\n1,\"2\"x\n", 2, 6, "after a closing quote"},
        {"a,b\n1,\"multi\nline\"x\n", 3, 6, "after a closing quote"},
        {"a,b\n1,2\x00" "3\n", 2, 4, "NUL byte"},
        {"a,b\n1,\xC3(\n", 2, 3, "invalid UTF-8"},  /* lead byte, then no continuation */
        {"a,b\n1,\x80\n", 2, 3, "invalid UTF-8"},   /* a lone continuation byte */
        {"a,b\n1,\xC0\xAF\n", 2, 3, "invalid UTF-8"}, /* overlong '/' */
        {"a,b\n1,\xED\xA0\x80\n", 2, 3, "invalid UTF-8"}, /* a UTF-16 surrogate */
        {"a,b\n1,\xE2\x82", 2, 3, "invalid UTF-8"},  /* cut by the end of the file */
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        rows r;
        cym_error err;
        size_t n = strlen(cases[i].text);
        const char *path;
        if (strstr(cases[i].words, "NUL"))
            n = 10; /* strlen stops at the NUL */
        path = write_bytes("bad.csv", cases[i].text, n);
        memset(&r, 0, sizeof(r));
        cym_error_clear(&err);
        if (cym__csv_read(path, NULL, on_row, &r, &err) != CYM_EDATA)
            fail_msg("case %zu was accepted", i);
        assert_string_equal(err.file, path);
        assert_error_at(&err, cases[i].line, cases[i].col, cases[i].words);
        rows_free(&r);
    }
}

static void test_utf16_and_open(void **state)
{
    rows r;
    cym_error err;
    const char *path = write_bytes("u16.csv", "\xFF\xFE" "a\0,\0b\0", 8);
    (void)state;
    memset(&r, 0, sizeof(r));
    assert_int_equal(cym__csv_read(path, NULL, on_row, &r, &err), CYM_EDATA);
    assert_error_at(&err, 1, 1, "UTF-16");
    /* UTF-16 without a BOM: the first NUL byte */
    path = write_bytes("u16n.csv", "a\0,\0b\0", 6);
    assert_int_equal(cym__csv_read(path, NULL, on_row, &r, &err), CYM_EDATA);
    assert_error_at(&err, 1, 2, "NUL byte");
    assert_int_equal(cym__csv_read("/nonexistent/x.csv", NULL, on_row, &r, &err), CYM_EIO);
    assert_int_equal(err.code, CYM_EIO);
    assert_true(err.sys_errno != 0);
    rows_free(&r);
}

/* Builds "h\n" + 'a' x pad + tail, so that the tail starts at byte offset 2 + pad. */
static char *padded(size_t pad, const char *tail, size_t *len)
{
    size_t t = strlen(tail);
    char *s = malloc(2 + pad + t);
    assert_non_null(s);
    memcpy(s, "h\n", 2);
    memset(s + 2, 'a', pad);
    memcpy(s + 2 + pad, tail, t);
    *len = 2 + pad + t;
    return s;
}

static void test_utf8_across_buffer(void **state)
{
    rows r;
    cym_error err;
    size_t len;
    char *s;
    const char *path;
    (void)state;
    /* valid two- and three-byte sequences whose lead byte is the last byte of the buffer */
    s = padded(BUF - 3, "\xC3\xA9z\n", &len);
    path = write_bytes("u8a.csv", s, len);
    memset(&r, 0, sizeof(r));
    assert_int_equal(cym__csv_read(path, NULL, on_row, &r, &err), CYM_OK);
    assert_int_equal(r.last_n, 1);
    assert_int_equal(strlen(r.last[0].text), BUF - 3 + 3);
    assert_memory_equal(r.last[0].text + BUF - 3, "\xC3\xA9z", 3);
    rows_free(&r);
    free(s);
    s = padded(BUF - 4, "\xE2\x82\xAC\n", &len); /* the euro sign split 2 + 1 */
    path = write_bytes("u8b.csv", s, len);
    memset(&r, 0, sizeof(r));
    assert_int_equal(cym__csv_read(path, NULL, on_row, &r, &err), CYM_OK);
    rows_free(&r);
    free(s);
    /* invalid: a lead byte at the end of the buffer, ASCII at the start of the next one;
     * reported at the lead byte: line 2, column BUF - 2 - 1 + 1 */
    s = padded(BUF - 3, "\xC3z\n", &len);
    path = write_bytes("u8c.csv", s, len);
    memset(&r, 0, sizeof(r));
    assert_int_equal(cym__csv_read(path, NULL, on_row, &r, &err), CYM_EDATA);
    assert_error_at(&err, 2, BUF - 2, "invalid UTF-8");
    rows_free(&r);
    free(s);
    /* invalid continuation in the next buffer of a three-byte sequence */
    s = padded(BUF - 3, "\xE2\x82(\n", &len);
    path = write_bytes("u8d.csv", s, len);
    memset(&r, 0, sizeof(r));
    assert_int_equal(cym__csv_read(path, NULL, on_row, &r, &err), CYM_EDATA);
    assert_error_at(&err, 2, BUF - 2, "invalid UTF-8");
    rows_free(&r);
    free(s);
}

static void test_large_file(void **state)
{
    /* 20,000 rows (about 340 KiB): every row is seen, in order, with its line */
    size_t cap = 20000 * 40, len = 0;
    char *s = malloc(cap);
    rows r;
    cym_error err;
    const char *path;
    (void)state;
    assert_non_null(s);
    len += (size_t)sprintf(s + len, "key,value,text\n");
    for (int i = 1; i <= 20000; i++)
        len += (size_t)sprintf(s + len, "k%d,%d,\"t,%d\"\n", i, i * 3, i);
    path = write_bytes("big.csv", s, len);
    memset(&r, 0, sizeof(r));
    assert_int_equal(cym__csv_read(path, NULL, on_row, &r, &err), CYM_OK);
    assert_int_equal(r.total_rows, 20001);
    assert_cell(&r.last[0], "k20000", 20001, 1);
    assert_cell(&r.last[1], "60000", 20001, 8);
    assert_cell(&r.last[2], "t,20000", 20001, 14);
    rows_free(&r);
    /* a callback failure stops the read and is returned as it is */
    memset(&r, 0, sizeof(r));
    r.stop_after = 15000;
    assert_int_equal(cym__csv_read(path, NULL, on_row, &r, &err), CYM_EDATA);
    assert_string_equal(err.message, "stopped");
    assert_int_equal(err.line, 15001);
    assert_int_equal(r.total_rows, 15000);
    rows_free(&r);
    free(s);
}

/* ---- the plain-line path against libcsv ---------------------------------------------- */

/* Everything a read hands out, as text: each row's index, line and fields (text, length,
   position, quoted), then the status and the error. */
typedef struct trace {
    char *s;
    size_t len, cap;
} trace;

static void trace_add(trace *t, const char *bytes, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->len, bytes, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static cym_status trace_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    trace *t = ctx;
    char head[96];
    (void)err;
    trace_add(t, head,
              (size_t)snprintf(head, sizeof(head), "row %zu line %lu n %zu:", row->index,
                               row->line, row->n));
    for (size_t i = 0; i < row->n; i++) {
        const cym__csv_field *f = &row->f[i];
        assert_int_equal(strlen(f->text), f->len);
        trace_add(t, head,
                  (size_t)snprintf(head, sizeof(head), " [%zu %lu:%lu %d]", f->len, f->line,
                                   f->col, f->quoted));
        trace_add(t, f->text, f->len);
    }
    trace_add(t, "\n", 1);
    return CYM_OK;
}

/* Reads bytes[0..n) with `o`, through libcsv alone when libcsv_only; returns the trace. */
static char *trace_read(const char *bytes, size_t n, cym__csv_opts o, int libcsv_only,
                        size_t *fast)
{
    trace t = {NULL, 0, 0};
    cym_error err;
    cym_status st;
    char tail[CYM_ERROR_MESSAGE_MAX + 64];
    const char *path = write_bytes("diff.csv", bytes, n);
    o.libcsv_only = libcsv_only;
    o.fast_rows = fast;
    cym_error_clear(&err);
    st = cym__csv_read(path, &o, trace_row, &t, &err);
    trace_add(&t, tail,
              (size_t)snprintf(tail, sizeof(tail), "status %d, %lu:%lu %s\n", (int)st, err.line,
                               err.column, st < 0 ? err.message : ""));
    return t.s;
}

/* Random bytes from a small alphabet weighted towards plain CSV: every kind of line the
   plain-line path must leave to libcsv (quotes, blanks, tabs, CR, NUL, UTF-8 and invalid
   bytes, empty lines) next to plain ones. */
static size_t random_csv(char *buf, size_t cap, unsigned long *seed, size_t rows, int valid)
{
    static const char *const pieces[] = {"a", "1", "2.5", "x_y", ",", ",", ";", "\t", " ",
                                         "\"", "\"\"", "\r\n", "\r", "\n", "\n\n", "\xc3\xa9",
                                         "\xff", "-", "|"};
    /* valid CSV only (a long file then reaches its end): fields quoted whole, with inner
       quotes, delimiters and line ends */
    static const char *const valid_pieces[] = {
        "a", "1", "2.5", ",", ";", "|", "\t", " ", "\r\n", "\r", "\n", "\n\n", "\xc3\xa9", "-",
        ",\"q,\"\"x\"\";|\",", ",\"l1\nl2\r\nl3\","};
    size_t len = 0;
    for (size_t r = 0; r < rows; r++) {
        /* most rows plain: code,year,value */
        *seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
        if ((*seed >> 33) % 4) {
            len += (size_t)snprintf(buf + len, cap - len, "i%lu,%lu,%lu.%lu\n", (*seed >> 40) % 50,
                                    2000 + (*seed >> 20) % 20, (*seed >> 10) % 1000,
                                    (*seed >> 5) % 100);
            continue;
        }
        for (int k = 0; k < 6; k++) {
            const char *p;
            *seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
            p = valid ? valid_pieces[(*seed >> 33) % (sizeof(valid_pieces) / sizeof(*valid_pieces))]
                      : pieces[(*seed >> 33) % (sizeof(pieces) / sizeof(*pieces))];
            len += (size_t)snprintf(buf + len, cap - len, "%s", p);
        }
        len += (size_t)snprintf(buf + len, cap - len, "\n");
    }
    return len;
}

static void test_plain_lines(void **state)
{
    static const unsigned char delims[] = {',', ';', '\t', '|'};
    size_t cap = 1 << 20, fast = 0, fast_total = 0;
    char *buf = malloc(cap);
    unsigned long seed = 18;
    (void)state;
    assert_non_null(buf);
    /* a plain file is read by the plain-line path, row for row what libcsv reads */
    {
        const char *text = "indicator,year,value\ni1,2000,1.5\r\ni2,2001,\ni3,,-2e3\n";
        char *a = trace_read(text, strlen(text), (cym__csv_opts){.delim = ','}, 1, &fast);
        char *b;
        assert_int_equal(fast, 0);
        b = trace_read(text, strlen(text), (cym__csv_opts){.delim = ','}, 0, &fast);
        assert_string_equal(a, b);
        assert_int_equal(fast, 4);
        free(a);
        free(b);
    }
    /* random files, small and over the 64 KiB buffer, each delimiter, with and without
       tight limits: the same rows, positions, statuses and errors either way */
    for (int i = 0; i < 800; i++) {
        cym__csv_opts o = {.delim = i % 50 ? delims[i % 4] : ','};
        size_t n = i % 50 == 0 ? random_csv(buf, cap, &seed, 8000, 1)
                               : random_csv(buf, cap, &seed, 1 + (size_t)i % 13, i % 2);
        char *a, *b;
        if (i % 3 == 1 && i % 50) {
            o.max_field = 3 + (size_t)i % 7;
            o.max_row = 8 + (size_t)i % 11;
            o.max_fields = 2 + (size_t)i % 3;
        }
        a = trace_read(buf, n, o, 1, NULL);
        b = trace_read(buf, n, o, 0, &fast);
        if (strcmp(a, b) != 0)
            fail_msg("input %d (%zu bytes): libcsv read\n%.2000s\nthe plain-line path\n%.2000s", i,
                     n, a, b);
        fast_total += fast;
        free(a);
        free(b);
    }
    assert_true(fast_total > 10000);
    free(buf);
}

static cym_status header_only(void *ctx, const cym__csv_row *row, cym_error *err)
{
    (void)err;
    if (row->index == 0) {
        assert_int_equal(cym__csv_col(row, "code"), 0);
        assert_int_equal(cym__csv_col(row, "name"), 2);
        assert_int_equal(cym__csv_col(row, "nam"), -1);
        *(int *)ctx = 1;
    }
    return CYM_OK;
}

static void test_col_and_delim(void **state)
{
    int seen = 0;
    cym_error err;
    cym__csv_opts o = {.delim = ';'};
    rows r;
    (void)state;
    assert_int_equal(cym__csv_read(cym_test_write_temp("h.csv", "code,x,name\n"), NULL,
                                   header_only, &seen, &err),
                     CYM_OK);
    assert_true(seen);
    assert_int_equal(read_text(&r, "a;b,c;\"d;e\"\n", &o, &err), CYM_OK);
    assert_int_equal(r.nf[0], 3);
    assert_cell(&r.c[0][1], "b,c", 1, 3);
    assert_cell(&r.c[0][2], "d;e", 1, 7);
    rows_free(&r);
}

/* Numbers as the machine tables write them: %.17g, NaN as an empty field, each after its
   comma in a row (expected bytes from Python: repr(0.1), repr(-2.5e-9) with %.17g's two-digit exponent). */
static void test_put_nums(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    (void)state;
    assert_non_null(f);
    cym__csv_put_num(f, 0.1);
    cym__csv_put_nums(f, (const double[]){1, NAN, -2.5e-9}, 3);
    cym__csv_put_num(f, NAN);
    cym__csv_put_nums(f, NULL, 0);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(text, "0.1,1,,-2.5e-09");
    free(text);
}

/*
 * The CSV text writer (src/io/csv_write.c): RFC 4180 quoting and the spreadsheet guard of
 * docs/formats.md ("CSV outputs"). The expected fields follow from the rule as written there:
 * a leading `'` inside double quotes for text starting with = + - @ TAB CR that is not a plain
 * decimal number; quotes doubled; quoting only where needed.
 */
static void test_write_text(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Viet Nam", "Viet Nam"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"=1+2", "\"'=1+2\""},
        {"+Japan", "\"'+Japan\""},
        {"-Korea", "\"'-Korea\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\t=1+2", "\"'\t=1+2\""},
        {"\r=1+2", "\"'\r=1+2\""},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"-", "\"'-\""},       /* a missing-value token, not a number */
        {"-inf", "\"'-inf\""}, /* not a finite number */
        {"-0x10", "\"'-0x10\""},
        {"-1+2", "\"'-1+2\""},
        {"-5", "-5"}, /* plain decimal numbers: a spreadsheet reads the number */
        {"+2.5", "+2.5"},
        {"-1.5e3", "-1.5e3"},
        {"-.5", "-.5"},
        {"'=1", "'=1"},       /* only the first byte counts */
        {" =1", " =1"},
        {"a=1", "a=1"},
        {"Việt Nam", "Việt Nam"},
    };
    char buf[256];
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        size_t n = cym__csv_format_text(buf, cases[i].in);
        char *mem = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&mem, &len);
        assert_true(n <= CYM__CSV_TEXT_MAX(strlen(cases[i].in)));
        buf[n] = '\0';
        assert_string_equal(buf, cases[i].out);
        /* the stream writer writes the same bytes */
        assert_non_null(f);
        cym__csv_put_text(f, cases[i].in);
        assert_int_equal(fclose(f), 0);
        assert_string_equal(mem, cases[i].out);
        free(mem);
    }
}

/* The verbatim writer (files cymetrics reads back): quoting only, no guard. */
static void test_write_verbatim(void **state)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    (void)state;
    assert_non_null(f);
    cym__csv_put_verbatim(f, "-");
    fputc('|', f);
    cym__csv_put_verbatim(f, "=1+2");
    fputc('|', f);
    cym__csv_put_verbatim(f, "-a,b");
    assert_int_equal(fclose(f), 0);
    assert_string_equal(mem, "-|=1+2|\"-a,b\"");
    free(mem);
}

/*
 * Only regular files are read (issue 15): a FIFO, a device and a folder are refused at once
 * with "not a regular file", by the CSV reader and by the SHA-256 of the manifest. Opening a
 * FIFO for reading would wait for a writer: an alarm turns a regression into a failure (the
 * test process is killed) instead of a hang.
 */
static void test_not_regular(void **state)
{
    rows r;
    cym_error err;
    char fifo[600], hex[65];
    const char *dir;
    size_t bytes;
    (void)state;
    snprintf(fifo, sizeof(fifo), "%s", cym_test_write_temp("plain.csv", "a\n1\n"));
    *strrchr(fifo, '/') = '\0';
    dir = fifo[0] ? strdup(fifo) : NULL;
    assert_non_null(dir);
    strcat(fifo, "/fifo.csv");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    alarm(20);
    memset(&r, 0, sizeof(r));
    {
        const char *paths[] = {fifo, "/dev/null", "/dev/zero", dir};
        for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
            assert_int_equal(cym__csv_read(paths[i], NULL, on_row, &r, &err), CYM_EIO);
            assert_string_equal(err.file, paths[i]);
            assert_string_equal(err.message, "not a regular file");
            assert_int_equal(err.line, 0);
            assert_int_equal(cym__sha256_file(hex, &bytes, paths[i], &err), CYM_EIO);
            assert_string_equal(err.message, "not a regular file");
        }
    }
    assert_int_equal(r.total_rows, 0);
    /* a regular file still reads, and hashes */
    assert_int_equal(read_text(&r, "a\n1\n", NULL, &err), CYM_OK);
    assert_int_equal(r.total_rows, 2);
    rows_free(&r);
    assert_int_equal(
        cym__sha256_file(hex, &bytes, cym_test_write_temp("h.csv", "abc"), &err), CYM_OK);
    /* sha256sum of "abc" (coreutils): */
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(bytes, 3);
    alarm(0);
    unlink(fifo);
    free((void *)dir);
}

static void test_detect(void **state)
{
    static const struct {
        const char *text;
        unsigned char delim_in, delim;
        char decimal_in, decimal;
    } cases[] = {
        {"indicator,year,value\nA,2023,12.5\n", 0, ',', 0, '.'},
        {"indicator;year;value\nA;2023;12,5\nB;2023;3\n", 0, ';', 0, ','},
        {"indicator;year;value\r\nA;2023;12.5\r\n", 0, ';', 0, '.'},
        {"indicator\tyear\tvalue\nA\t2023\t\"1,5\"\n", 0, '\t', 0, ','},
        {"\xEF\xBB\xBF"
         "code;name\nVNM;\"Viet Nam, the\"\n",
         0, ';', 0, '.'},
        {"code,\"name;x\",group\nVNM,Viet Nam,A\n", 0, ',', 0, '.'},
        /* ';' in a name of the header, not in the rows: ',' is the one the rows agree with */
        {"code,name;x\nVNM,Viet Nam\nJPN,Japan\n", 0, ',', 0, '.'},
        /* mixed 1,5 and 2.5: the point wins (the comma is then reported with its hint) */
        {"i;y;v\nA;2023;1,5\nB;2023;2.5\n", 0, ';', 0, '.'},
        {"code\nVNM\n", 0, ',', 0, '.'},
        {"a;b\n1;2,5", 0, ';', 0, ','}, /* no final line end: the file is read whole */
        /* a setting is kept; the other is detected with it */
        {"i;y;v\nA;2023;1,5\n", ';', ';', 0, ','},
        {"i;y;v\nA;2023;1,5\n", 0, ';', '.', '.'},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym_error err;
        unsigned char delim = cases[i].delim_in;
        char decimal = cases[i].decimal_in;
        cym_error_clear(&err);
        if (cym__csv_detect(cym_test_write_temp("d.csv", cases[i].text), &delim, &decimal, &err) !=
                CYM_OK ||
            delim != cases[i].delim || decimal != cases[i].decimal)
            fail_msg("case %zu: '%c' '%c' (%s)", i, delim, decimal, err.message);
    }
}

static void test_detect_ambiguous(void **state)
{
    cym_error err;
    unsigned char delim = 0;
    char decimal = 0;
    const char *path =
        cym_test_write_temp("a.csv", "\ncode,name;group\nVNM,Viet Nam;ASEAN\nJPN,Japan;Japan\n");
    (void)state;
    cym_error_clear(&err);
    assert_int_equal(cym__csv_detect(path, &delim, &decimal, &err), CYM_EDATA);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 10);
    assert_non_null(strstr(err.message, "as well with ',' as with ';'"));
    assert_non_null(strstr(err.message, "--delimiter"));
}

/*
 * Outputs are hashed while they are written (src/io/hash.c): a file written through
 * cym__outdir_create is remembered with its SHA-256, which must be the hash of its bytes
 * (4.3 MB, more than the 1 MiB stdio buffer; Python: hashlib.sha256(b"".join(b"row %d,%d\n" %
 * (i, i * i % 977) for i in range(300000))).hexdigest()), and not offered for a file changed
 * after it was closed or filled by another writer (reserved).
 */
static void test_hash_while_written(void **state)
{
    char dir[4096];
    const char *tmp;
    cym__outdir od;
    cym_error err;
    struct stat sb;
    char hex[65];
    size_t bytes = 0;
    FILE *f;
    (void)state;
    assert_non_null(cym_test_tempdir(dir, sizeof(dir), "hash"));
    assert_int_equal(cym__outdir_open(&od, dir, &err), CYM_OK);
    assert_int_equal(cym__outdir_create(&f, &od, "big.csv", &err), CYM_OK);
    for (int i = 0; i < 300000; i++)
        fprintf(f, "row %d,%d\n", i, (int)((long)i * i % 977));
    assert_int_equal(cym__outdir_close(&od, f, "big.csv", &err), CYM_OK);
    tmp = od.files[0].tmp;
    assert_int_equal(stat(tmp, &sb), 0);
    assert_int_equal(cym__sha256_recall(hex, &bytes, &sb), 1);
    assert_string_equal(hex, "35fd47273a0280841665a46b60c417d0850c38956a2cf42fdf6788e2947a1a31");
    assert_int_equal(bytes, 4352647);

    /* changed after it was written: read back instead */
    assert_int_equal(cym__outdir_printf(&od, "small.csv", &err, "a\n"), CYM_OK);
    assert_non_null(f = fopen(od.files[1].tmp, "ab"));
    fputs("b\n", f);
    fclose(f);
    assert_int_equal(stat(od.files[1].tmp, &sb), 0);
    assert_int_equal(cym__sha256_recall(hex, &bytes, &sb), 0);
    /* hashed from its bytes (sha256sum of "a\nb\n"), and remembered */
    assert_int_equal(cym__sha256_file(hex, &bytes, od.files[1].tmp, &err), CYM_OK);
    assert_string_equal(hex, "911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2");
    assert_int_equal(cym__sha256_recall(hex, &bytes, &sb), 1);
    assert_int_equal(bytes, 4);

    /* filled by another writer */
    assert_int_equal(cym__outdir_reserve(&tmp, &od, "other.bin", &err), CYM_OK);
    assert_int_equal(stat(tmp, &sb), 0);
    assert_int_equal(cym__sha256_recall(hex, &bytes, &sb), 0);
    cym__outdir_free(&od);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),       cmocka_unit_test(test_multiline_quoted),
        cmocka_unit_test(test_crlf_and_bom),    cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_max_field),       cmocka_unit_test(test_row_limits),
        cmocka_unit_test(test_long_line),       cmocka_unit_test(test_huge_stream),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_utf16_and_open),  cmocka_unit_test(test_utf8_across_buffer),
        cmocka_unit_test(test_large_file),      cmocka_unit_test(test_col_and_delim),
        cmocka_unit_test(test_put_nums),
        cmocka_unit_test(test_write_text),      cmocka_unit_test(test_write_verbatim),
        cmocka_unit_test(test_not_regular),     cmocka_unit_test(test_detect),
        cmocka_unit_test(test_detect_ambiguous), cmocka_unit_test(test_hash_while_written),
        cmocka_unit_test(test_plain_lines),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
