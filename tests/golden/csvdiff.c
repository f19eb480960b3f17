/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csvdiff ACTUAL EXPECTED: compares two CSV files cell by cell for the golden tests. Cells that
 * both read as numbers must agree within |a - b| <= 1e-12 + 1e-9 |b| (b the expected value;
 * NaN equals NaN, infinities equal themselves); any other cell must match exactly, text for
 * text. Prints the first difference as FILE:LINE:COLUMN (of the actual file) and exits 1; exits
 * 0 when the files agree, 2 on usage or read errors.
 *
 * csvdiff --text ACTUAL EXPECTED compares any text (JSON, say) the same way: character by
 * character, except that where both files have a number (a run of characters strtod reads,
 * starting with a digit or a minus sign after a character that cannot be part of a word), the
 * two numbers are compared within the tolerance. Last-bit differences (another libm, valgrind's
 * 64-bit long double) then pass, and anything else fails as in a plain diff.
 *
 * The parser is a small hand-written RFC 4180 reader on purpose: it must not share code with
 * the reader it helps to test (src/io/csv.c). It accepts CRLF and quoted fields spanning lines.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cell {
    char *text;
    unsigned long line, col;
} cell;

typedef struct table {
    const char *path;
    cell *cells;
    size_t n, cap;
    size_t *row_start; /* index of the first cell of each row, plus one past the end */
    size_t rows, row_cap;
} table;

static void die(const char *path, const char *what)
{
    fprintf(stderr, "csvdiff: %s: %s\n", path, what);
    exit(2);
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    while (*cap < need)
        *cap = *cap ? *cap * 2 : 64;
    p = realloc(p, *cap * size);
    if (!p)
        die("csvdiff", "out of memory");
    return p;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    if (!f)
        die(path, strerror(errno));
    do {
        buf = grow(buf, &cap, n + 65536 + 1, 1);
        r = fread(buf + n, 1, 65536, f);
        n += r;
    } while (r > 0);
    if (ferror(f))
        die(path, "read error");
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void add_cell(table *t, const char *text, size_t len, unsigned long line,
                     unsigned long col)
{
    cell *c;
    t->cells = grow(t->cells, &t->cap, t->n + 1, sizeof(*t->cells));
    c = &t->cells[t->n++];
    c->text = malloc(len + 1);
    if (!c->text)
        die("csvdiff", "out of memory");
    memcpy(c->text, text, len);
    c->text[len] = '\0';
    c->line = line;
    c->col = col;
}

static void end_row(table *t)
{
    t->row_start = grow(t->row_start, &t->row_cap, t->rows + 2, sizeof(*t->row_start));
    t->row_start[++t->rows] = t->n;
}

static void parse(table *t, const char *path)
{
    size_t len, i = 0;
    char *s = read_all(path, &len);
    char *field = malloc(len + 1);
    unsigned long line = 1, col = 1;

    if (!field)
        die("csvdiff", "out of memory");
    memset(t, 0, sizeof(*t));
    t->path = path;
    t->row_start = grow(NULL, &t->row_cap, 2, sizeof(*t->row_start));
    t->row_start[0] = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        unsigned long fline = line, fcol = col;
        size_t flen = 0;
        if (s[i] == '"') {
            i++, col++;
            for (;;) {
                if (i >= len)
                    die(path, "unterminated quoted field");
                if (s[i] == '"' && s[i + 1] == '"') {
                    field[flen++] = '"';
                    i += 2, col += 2;
                } else if (s[i] == '"') {
                    i++, col++;
                    break;
                } else {
                    if (s[i] == '\n')
                        line++, col = 0;
                    field[flen++] = s[i++];
                    col++;
                }
            }
        } else {
            while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
                field[flen++] = s[i++], col++;
        }
        add_cell(t, field, flen, fline, fcol);
        if (i < len && s[i] == ',') {
            i++, col++;
            if (i == len || s[i] == '\n' || s[i] == '\r')
                add_cell(t, "", 0, line, col); /* empty last field */
            else
                continue;
        }
        if (i < len && s[i] == '\r')
            i++;
        if (i < len && s[i] != '\n')
            die(path, "unexpected text after a closing quote");
        i++;
        line++, col = 1;
        end_row(t);
    }
    free(field);
    free(s);
}

static void free_table(table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->cells[i].text);
    free(t->cells);
    free(t->row_start);
}

/* 1 when the whole text reads as a number (strtod also takes nan and inf, as %g writes them) */
static int number(const char *s, double *out)
{
    char *end;
    if (!*s)
        return 0;
    errno = 0;
    *out = strtod(s, &end);
    return *end == '\0';
}

static int same_number(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    if (isinf(a) || isinf(b))
        return a == b;
    return fabs(a - b) <= 1e-12 + 1e-9 * fabs(b);
}

static int starts_number(const char *p, const char *begin)
{
    if (!(*p == '-' || (*p >= '0' && *p <= '9')))
        return 0;
    if (p > begin) {
        char q = p[-1];
        if ((q >= '0' && q <= '9') || (q >= 'a' && q <= 'z') || (q >= 'A' && q <= 'Z') ||
            q == '.' || q == '_')
            return 0;
    }
    return 1;
}

static int text_diff(const char *pa, const char *pb)
{
    size_t la, lb;
    char *a = read_all(pa, &la), *b = read_all(pb, &lb);
    const char *x = a, *y = b;
    unsigned long line = 1;
    int rc = 0;
    while (*x && *y) {
        if (starts_number(x, a) && starts_number(y, b)) {
            char *ex, *ey;
            double dx = strtod(x, &ex), dy = strtod(y, &ey);
            if (ex > x && ey > y) {
                if (!same_number(dx, dy)) {
                    printf("%s:%lu: %.*s, expected %.*s (%s)\n", pa, line, (int)(ex - x), x,
                           (int)(ey - y), y, pb);
                    rc = 1;
                    break;
                }
                x = ex;
                y = ey;
                continue;
            }
        }
        if (*x != *y) {
            printf("%s:%lu: differs from %s\n", pa, line, pb);
            rc = 1;
            break;
        }
        line += *x == '\n';
        x++;
        y++;
    }
    if (!rc && (*x || *y)) {
        printf("%s:%lu: %s\n", pa, line, *x ? "longer than expected" : "shorter than expected");
        rc = 1;
    }
    free(a);
    free(b);
    return rc;
}

int main(int argc, char **argv)
{
    table a, b;
    int rc = 0;

    if (argc == 4 && strcmp(argv[1], "--text") == 0)
        return text_diff(argv[2], argv[3]);
    if (argc != 3) {
        fprintf(stderr, "usage: csvdiff [--text] ACTUAL EXPECTED\n");
        return 2;
    }
    parse(&a, argv[1]);
    parse(&b, argv[2]);
    for (size_t r = 0; r < a.rows && r < b.rows && !rc; r++) {
        size_t na = a.row_start[r + 1] - a.row_start[r];
        size_t nb = b.row_start[r + 1] - b.row_start[r];
        for (size_t c = 0; c < na && c < nb; c++) {
            const cell *x = &a.cells[a.row_start[r] + c], *y = &b.cells[b.row_start[r] + c];
            double dx, dy;
            if (number(x->text, &dx) && number(y->text, &dy)) {
                if (same_number(dx, dy))
                    continue;
            } else if (strcmp(x->text, y->text) == 0) {
                continue;
            }
            printf("%s:%lu:%lu: '%s', expected '%s' (%s:%lu:%lu)\n", a.path, x->line, x->col,
                   x->text, y->text, b.path, y->line, y->col);
            rc = 1;
            break;
        }
        if (!rc && na != nb) {
            printf("%s:%lu: row has %zu fields, expected %zu (%s:%lu)\n", a.path,
                   a.cells[a.row_start[r]].line, na, nb, b.path, b.cells[b.row_start[r]].line);
            rc = 1;
        }
    }
    if (!rc && a.rows != b.rows) {
        printf("%s: %zu rows, expected %zu (%s)\n", a.path, a.rows, b.rows, b.path);
        rc = 1;
    }
    free_table(&a);
    free_table(&b);
    return rc;
}
