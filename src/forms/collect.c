/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `collect`: returned forms back into the dataset's country files (issue 17).
 *
 * 1. The forms' folder is loaded as the data folder of the dataset (its countries.csv and
 *    framework): the dataset module reads each <CODE>.xlsx (src/dataset/workbook.c, on the
 *    xlsx module's reader) through the checks of a data file, so a form is checked exactly
 *    as `validate` checks it, and every problem of every form is listed, `FORM.xlsx:Data!E14:
 *    message`, before anything is written. Each form's rows are then read again, through the
 *    same reader, for their text (value, flag, source).
 * 2. Each country's <CODE>.csv (long form) is read field by field; the rows of the form's
 *    year are replaced by the form's, in the form's order, where the year's rows were; other
 *    rows are written back field for field (quoted only where RFC 4180 needs it).
 * 3. The review of what changes is written first; then the new files are staged and synced
 *    in DATASET/.collect/stage-PID/, the old files hard-linked into DATASET/.collect/undo-PID/,
 *    and each new file renamed over the old one. A rename failing half-way renames the old
 *    files back, so the dataset holds the old set or the new one. A collect killed half-way
 *    leaves undo-PID/ without its `done` mark: the next collect renames those files back
 *    before anything else. Readers running during the renames may see some files new and
 *    others old (the files are replaced one by one, each atomically).
 *
 * CYMETRICS_TEST_COLLECT_FAIL=N makes the N-th rename fail, =kill:N kills the process there
 * (tests/cli/forms_checks.sh).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "cymetrics/forms.h"
#include "io/csv.h"
#include "dataset/dataset_internal.h"

/* one answered row of a form */
typedef struct answer {
    size_t series;  /* framework node */
    double value;   /* NaN: none */
    char *flag;     /* "" none */
    char *source;   /* "" none */
} answer;

typedef struct form {
    char path[CYM_PATH_MAX];
    size_t unit;
    int year;
    answer *rows;
    size_t n;
} form;

/* a row of a country file, its fields as text */
typedef struct line {
    char **f;
    size_t n;
} line;

typedef struct table {
    line *rows; /* rows[0] is the header */
    size_t n, cap;
    long c_ind, c_year, c_value, c_flag, c_source;
    unsigned char delim;
    char decimal;
} table;

static void form_free(form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->rows[i].flag);
        free(f->rows[i].source);
    }
    free(f->rows);
    f->rows = NULL;
    f->n = 0;
}

/* one row of a form, as the dataset's reader hands it over (indicator, year, value, flag,
   source), the header first */
typedef struct form_ctx {
    form *f;
    const cym_framework *fw;
} form_ctx;

static cym_status form_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    form_ctx *c = ctx;
    form *f = c->f;
    answer *a;
    long k, year;
    double v;
    if (row->index == 0 || row->n < 5)
        return CYM_OK;
    k = cym_framework_find(c->fw, row->f[0].text);
    /* checked by the load already: only the framework's indicators get here */
    if (k < 0 || c->fw->nodes[k].n_children || f->n >= c->fw->n_indicators ||
        cym__parse_long(row->f[1].text, 1900, 2100, &year) < 0)
        return CYM_OK;
    f->year = (int)year;
    a = &f->rows[f->n];
    a->series = (size_t)k;
    a->value = cym__parse_number(row->f[2].text, &v) == CYM_NUM_OK ? v : NAN;
    a->flag = cym__strdup(row->f[3].text);
    a->source = cym__strdup(row->f[4].text);
    f->n++;
    if (!a->flag || !a->source)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    return CYM_OK;
}

/* The rows of the form `path` of unit `u` (checked by the load of the forms before). */
static cym_status read_form(form *f, const cym_dataset *ds, size_t u, const char *path,
                            cym_error *err)
{
    form_ctx c = {f, ds->fw};
    memset(f, 0, sizeof(*f));
    snprintf(f->path, sizeof(f->path), "%s", path);
    f->unit = u;
    if (!(f->rows = calloc(ds->fw->n_indicators ? ds->fw->n_indicators : 1, sizeof(*f->rows))))
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    return cym__dataset_read_workbook(path, ds->units[u].code, form_row, &c, NULL, NULL, err);
}

/* ---- the country files ------------------------------------------------------------------ */

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t j = 0; j < t->rows[i].n; j++)
            free(t->rows[i].f[j]);
        free(t->rows[i].f);
    }
    free(t->rows);
    memset(t, 0, sizeof(*t));
}

static int push(table *t, line l)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        line *r = realloc(t->rows, cap * sizeof(*r));
        if (!r)
            return -1;
        t->rows = r;
        t->cap = cap;
    }
    t->rows[t->n++] = l;
    return 0;
}

static cym_status keep_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    table *t = ctx;
    line l = {calloc(row->n ? row->n : 1, sizeof(char *)), row->n};
    if (!l.f)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t j = 0; j < row->n; j++)
        if (!(l.f[j] = cym__strdup(row->f[j].text))) {
            for (size_t k = 0; k < j; k++)
                free(l.f[k]);
            free(l.f);
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        }
    if (push(t, l) < 0) {
        for (size_t j = 0; j < l.n; j++)
            free(l.f[j]);
        free(l.f);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return CYM_OK;
}

static long col_of(const line *h, const char *name)
{
    for (size_t j = 0; j < h->n; j++)
        if (strcmp(h->f[j], name) == 0)
            return (long)j;
    return -1;
}

/* Reads <CODE>.csv (a long-form file) into t; a missing file is an empty table with the
   dataset's usual header. */
static cym_status read_table(table *t, const char *path, cym_error *err)
{
    static const char *const head[] = {"indicator", "year", "value", "flag", "source"};
    cym__csv_opts o = {0};
    cym_status st;
    memset(t, 0, sizeof(*t));
    t->delim = 0;
    t->decimal = 0;
    if (access(path, F_OK) != 0) {
        line l = {calloc(5, sizeof(char *)), 5};
        t->delim = ',';
        t->decimal = '.';
        if (!l.f || push(t, l) < 0) {
            free(l.f);
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        }
        for (size_t j = 0; j < 5; j++)
            if (!(l.f[j] = cym__strdup(head[j])))
                return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    } else {
        if ((st = cym__csv_detect(path, &t->delim, &t->decimal, err)) < 0)
            return st;
        o.delim = t->delim;
        if ((st = cym__csv_read(path, &o, keep_row, t, err)) < 0)
            return st;
    }
    if (!t->n)
        return cym_error_set(err, CYM_EDATA, path, 1, 1, "empty file");
    t->c_ind = col_of(&t->rows[0], "indicator");
    t->c_year = col_of(&t->rows[0], "year");
    t->c_value = col_of(&t->rows[0], "value");
    t->c_flag = col_of(&t->rows[0], "flag");
    t->c_source = col_of(&t->rows[0], "source");
    if (t->c_ind < 0 || t->c_year < 0 || t->c_value < 0)
        return cym_error_set(err, CYM_EUSAGE, path, 1, 1,
                             "collect merges into long-form files (indicator, year, value): "
                             "this file is not one");
    return CYM_OK;
}

static int row_year(const table *t, size_t i)
{
    long y;
    const line *l = &t->rows[i];
    if ((size_t)t->c_year >= l->n || cym__parse_long(l->f[t->c_year], 1900, 2100, &y) < 0)
        return 0;
    return (int)y;
}

static const char *field(const table *t, size_t i, long c)
{
    return c >= 0 && (size_t)c < t->rows[i].n ? t->rows[i].f[c] : "";
}

/* the number as the machine tables write it, with the file's decimal mark */
static void fmt_value(char *buf, size_t n, double v, char decimal)
{
    if (isnan(v)) {
        buf[0] = '\0';
        return;
    }
    cym__fmt_shortest(buf, n, v);
    if (decimal == ',')
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
}

/* a field as RFC 4180 wants it with delimiter `d`: as it is, or in quotes */
static void put_field(FILE *f, const char *s, unsigned char d)
{
    if (!strchr(s, d) && !strpbrk(s, "\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* One new row of the form's year, in the header's columns. */
static void put_answer(FILE *f, const table *t, size_t ncols, const cym_node *node, int year,
                       const answer *a)
{
    char num[64], y[16];
    snprintf(y, sizeof(y), "%d", year);
    fmt_value(num, sizeof(num), a->value, t->decimal);
    for (size_t j = 0; j < ncols; j++) {
        const char *s = "";
        if (j)
            fputc(t->delim, f);
        if ((long)j == t->c_ind)
            s = node->code;
        else if ((long)j == t->c_year)
            s = y;
        else if ((long)j == t->c_value)
            s = num;
        else if ((long)j == t->c_flag)
            s = a->flag;
        else if ((long)j == t->c_source)
            s = a->source;
        put_field(f, s, t->delim);
    }
    fputc('\n', f);
}

static void put_line(FILE *f, const line *l, size_t ncols, unsigned char d)
{
    for (size_t j = 0; j < ncols; j++) {
        if (j)
            fputc(d, f);
        put_field(f, j < l->n ? l->f[j] : "", d);
    }
    fputc('\n', f);
}

/* 1 when the form's row says something (a value, a flag or a source) */
static int answered(const answer *a)
{
    return !isnan(a->value) || a->flag[0] || a->source[0];
}

/* The framework indicator of row i of t, or -1 (a denominator, a published total) */
static long row_series(const table *t, size_t i, const cym_framework *fw)
{
    long k = cym_framework_find(fw, field(t, i, t->c_ind));
    return k >= 0 && !fw->nodes[k].n_children ? k : -1;
}

/* 1 when row i is one the form replaces: the form's year, an indicator of the framework
   (rows of other series, such as denominators, are kept) */
static int replaced(const table *t, size_t i, int year, const cym_framework *fw)
{
    return row_year(t, i) == year && row_series(t, i, fw) >= 0;
}

/* Writes the merged file of form `fm` over table `t` to `f`. */
static void write_merged(FILE *f, table *t, const form *fm, const cym_framework *fw)
{
    size_t ncols = t->rows[0].n, at = t->n;
    int placed = 0;
    /* a flag or a source the header has no column for: the column is added */
    for (size_t i = 0; i < fm->n; i++) {
        if (t->c_flag < 0 && fm->rows[i].flag[0])
            t->c_flag = (long)ncols++;
        if (t->c_source < 0 && fm->rows[i].source[0])
            t->c_source = (long)ncols++;
    }
    /* where the year's rows go: where they were, else before the first later year */
    for (size_t i = 1; i < t->n && at == t->n; i++)
        if (row_year(t, i) >= fm->year)
            at = i;
    for (size_t i = 0; i <= t->n; i++) {
        if (i == at && !placed) {
            for (size_t k = 0; k < fm->n; k++)
                if (answered(&fm->rows[k]))
                    put_answer(f, t, ncols, &fw->nodes[fm->rows[k].series], fm->year,
                               &fm->rows[k]);
            placed = 1;
        }
        if (i == t->n)
            break;
        if (i == 0) {
            /* the header, with the columns added */
            const line *h = &t->rows[0];
            for (size_t j = 0; j < ncols; j++) {
                if (j)
                    fputc(t->delim, f);
                put_field(f, j < h->n ? h->f[j] : (long)j == t->c_flag ? "flag" : "source",
                          t->delim);
            }
            fputc('\n', f);
            continue;
        }
        if (!replaced(t, i, fm->year, fw))
            put_line(f, &t->rows[i], ncols, t->delim);
    }
}

/* ---- the review ----------------------------------------------------------------------- */

static void review_row(FILE *f, const char *country, const char *code, int year,
                       const char *old_v, const char *new_v, const char *old_f,
                       const char *new_f, const char *kind)
{
    cym__csv_put_text(f, country);
    fputc(',', f);
    cym__csv_put_text(f, code);
    fprintf(f, ",%d,", year);
    cym__csv_put_text(f, old_v);
    fputc(',', f);
    cym__csv_put_text(f, new_v);
    fputc(',', f);
    cym__csv_put_text(f, old_f);
    fputc(',', f);
    cym__csv_put_text(f, new_f);
    fprintf(f, ",%s\n", kind);
}

/* The review rows of form `fm` against table `t` (to `f` when not NULL), counted in `sum`. */
static void review(FILE *f, const table *t, const form *fm, const cym_dataset *ds,
                   cym_collect_summary *sum)
{
    const cym_framework *fw = ds->fw;
    const char *country = ds->units[fm->unit].code;
    for (size_t k = 0; k < fm->n; k++) {
        const answer *a = &fm->rows[k];
        const char *code = fw->nodes[a->series].code;
        size_t old = 0;
        char num[64];
        double ov = NAN;
        if (!answered(a))
            continue;
        for (size_t i = 1; i < t->n && !old; i++)
            if (replaced(t, i, fm->year, fw) && row_series(t, i, fw) == (long)a->series)
                old = i;
        fmt_value(num, sizeof(num), a->value, t->decimal);
        if (!old) {
            sum->added++;
            if (f)
                review_row(f, country, code, fm->year, "", num, "", a->flag, "added");
            continue;
        }
        if (cym__parse_number_dec(field(t, old, t->c_value), t->decimal, &ov) != CYM_NUM_OK)
            ov = NAN;
        if ((isnan(ov) != isnan(a->value) || (!isnan(ov) && ov != a->value)) ||
            strcmp(field(t, old, t->c_flag), a->flag) != 0 ||
            strcmp(field(t, old, t->c_source), a->source) != 0) {
            sum->changed++;
            if (f)
                review_row(f, country, code, fm->year, field(t, old, t->c_value), num,
                           field(t, old, t->c_flag), a->flag, "changed");
        }
    }
    for (size_t i = 1; i < t->n; i++) {
        long sk = row_series(t, i, fw);
        int kept = 0;
        if (!replaced(t, i, fm->year, fw))
            continue;
        for (size_t k = 0; k < fm->n && !kept; k++)
            kept = fm->rows[k].series == (size_t)sk && answered(&fm->rows[k]);
        if (kept)
            continue;
        sum->removed++;
        if (f)
            review_row(f, country, field(t, i, t->c_ind), fm->year, field(t, i, t->c_value), "",
                       field(t, i, t->c_flag), "", "removed");
    }
}

/* ---- replacing the files as a set --------------------------------------------------------- */

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* snprintf into a path buffer: 0, or -1 when it does not fit */
static int fmt_path(char *out, size_t n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fmt_path(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    int w;
    va_start(ap, fmt);
    w = vsnprintf(out, n, fmt, ap);
    va_end(ap);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int path2(char *out, size_t n, const char *a, const char *b)
{
    return fmt_path(out, n, "%s/%s", a, b);
}

/* Removes the files of folder `dir` (no sub-folders are made there) and the folder. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[CYM_PATH_MAX];
    if (!d)
        return;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            path2(p, sizeof(p), dir, e->d_name) == 0)
            unlink(p);
    closedir(d);
    rmdir(dir);
}

/*
 * Puts back the files an undo folder holds: <CODE>.csv (a link to the file before) renamed
 * over the dataset's, <CODE>.csv.absent (there was none) the dataset's removed. With `done`
 * in it the collect completed, and the folder is only removed.
 */
static int undo(const char *undo_dir, const char *dataset_dir)
{
    DIR *d;
    struct dirent *e;
    char from[CYM_PATH_MAX], to[CYM_PATH_MAX], name[256];
    int bad = 0;
    if (path2(from, sizeof(from), undo_dir, "done") == 0 && access(from, F_OK) == 0) {
        remove_dir(undo_dir);
        return 0;
    }
    if (!(d = opendir(undo_dir)))
        return -1;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len >= sizeof(name))
            continue;
        memcpy(name, e->d_name, len + 1);
        if (len > 7 && strcmp(name + len - 7, ".absent") == 0) {
            name[len - 7] = '\0';
            if (path2(to, sizeof(to), dataset_dir, name) == 0 && unlink(to) != 0 &&
                errno != ENOENT)
                bad = 1;
            continue;
        }
        if (path2(from, sizeof(from), undo_dir, name) < 0 ||
            path2(to, sizeof(to), dataset_dir, name) < 0 || rename(from, to) != 0)
            bad = 1;
    }
    closedir(d);
    if (sync_dir(dataset_dir) != 0)
        bad = 1;
    if (!bad)
        remove_dir(undo_dir);
    return bad ? -1 : 0;
}

/* Undoes every collect that was interrupted (an undo-* folder left in `work`). */
static cym_status recover(const char *work, const char *dataset_dir, cym_error *err)
{
    DIR *d = opendir(work);
    struct dirent *e;
    char p[CYM_PATH_MAX];
    cym_status st = CYM_OK;
    if (!d)
        return CYM_OK;
    while ((e = readdir(d)) != NULL && st == CYM_OK)
        if (strncmp(e->d_name, "undo-", 5) == 0 && path2(p, sizeof(p), work, e->d_name) == 0 &&
            undo(p, dataset_dir) < 0)
            st = cym_error_set(err, CYM_EIO, p, 0, 0,
                               "cannot put back the files of an interrupted collect: %s",
                               strerror(errno));
        else if (strncmp(e->d_name, "stage-", 6) == 0 &&
                 path2(p, sizeof(p), work, e->d_name) == 0)
            remove_dir(p);
    closedir(d);
    return st;
}

/* the rename that CYMETRICS_TEST_COLLECT_FAIL=N makes fail (1-based), 0 none */
static long fault_at(int *kill)
{
    const char *s = getenv("CYMETRICS_TEST_COLLECT_FAIL");
    long n;
    *kill = s && strncmp(s, "kill:", 5) == 0;
    return s && cym__parse_long(s + (*kill ? 5 : 0), 1, 1000000, &n) == 0 ? n : 0;
}

/*
 * Replaces dataset_dir/<names[k]> by stage/<names[k]> for every k, as a set (see the comment
 * at the top).
 */
static cym_status replace_set(const char *work, const char *stage, const char *dataset_dir,
                              char (*names)[16], size_t n, cym_error *err)
{
    char undo_dir[CYM_PATH_MAX], from[CYM_PATH_MAX], to[CYM_PATH_MAX], keep[CYM_PATH_MAX];
    int kill_there;
    long fault = fault_at(&kill_there);
    size_t k;
    int e = 0;

    if (fmt_path(undo_dir, sizeof(undo_dir), "%s/undo-%ld", work, (long)getpid()) < 0 ||
        mkdir(undo_dir, 0700) != 0)
        return cym_error_set(err, CYM_EIO, undo_dir, 0, 0, "cannot create: %s", strerror(errno));
    /* the files before, kept as links (or marked absent) before any is replaced */
    for (k = 0; k < n; k++) {
        if (path2(to, sizeof(to), dataset_dir, names[k]) < 0 ||
            path2(keep, sizeof(keep), undo_dir, names[k]) < 0)
            goto fail;
        if (link(to, keep) != 0) {
            int fd;
            if (errno != ENOENT || strlen(keep) + 8 > sizeof(keep))
                goto fail;
            strcat(keep, ".absent");
            if ((fd = open(keep, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
                goto fail;
            close(fd);
        }
    }
    if (sync_dir(undo_dir) != 0)
        goto fail;
    for (k = 0; k < n; k++) {
        if (path2(from, sizeof(from), stage, names[k]) < 0 ||
            path2(to, sizeof(to), dataset_dir, names[k]) < 0)
            goto rollback;
        if (fault && (long)k + 1 == fault) {
            if (kill_there) /* a collect killed half-way: the next one puts the files back */
                raise(SIGKILL);
            errno = EIO;
            goto rollback;
        }
        if (rename(from, to) != 0)
            goto rollback;
    }
    if (sync_dir(dataset_dir) != 0)
        goto rollback;
    /* done: the undo folder is no longer needed */
    if (path2(keep, sizeof(keep), undo_dir, "done") == 0) {
        int fd = open(keep, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
        sync_dir(undo_dir);
    }
    remove_dir(undo_dir);
    return CYM_OK;
rollback:
    e = errno;
    if (undo(undo_dir, dataset_dir) < 0)
        return cym_error_set(err, CYM_EIO, dataset_dir, 0, 0,
                             "replacing %s failed (%s) and the files before could not all be "
                             "put back: they are in %s",
                             names[k], strerror(e), undo_dir);
    return cym_error_set(err, CYM_EIO, to, 0, 0,
                         "cannot replace: %s; the dataset's files are as they were",
                         strerror(e));
fail:
    e = errno;
    remove_dir(undo_dir);
    return cym_error_set(err, CYM_EIO, keep, 0, 0, "cannot keep the file before: %s",
                         strerror(e));
}

/* ---- collect ------------------------------------------------------------------------------ */

/* Writes the review to `f` for every form (tables t). */
static void write_review(FILE *f, const form *forms, const table *t, size_t n,
                         const cym_dataset *ds, cym_collect_summary *sum)
{
    if (f)
        fputs("country,indicator,year,old_value,new_value,old_flag,new_flag,kind\n", f);
    sum->added = sum->changed = sum->removed = 0;
    for (size_t i = 0; i < n; i++)
        review(f, &t[i], &forms[i], ds, sum);
}

static cym_status write_file(const char *path, FILE **out, cym_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 || !(*out = fdopen(fd, "w"))) {
        if (fd >= 0)
            close(fd);
        return cym_error_set(err, CYM_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
    }
    return CYM_OK;
}

static cym_status close_synced(FILE *f, const char *path, cym_error *err)
{
    int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    int e = errno;
    if (fclose(f) != 0)
        bad = 1;
    return bad ? cym_error_set(err, CYM_EIO, path, 0, 0, "cannot write: %s", strerror(e))
               : CYM_OK;
}

cym_status cym_collect(cym_collect_summary *out, const cym_dataset *ds, const char *forms_dir,
                       const char *dataset_dir, const cym_collect_options *opts,
                       FILE *review_stream, cym_error_list *errors, cym_error *err)
{
    static const cym_collect_options defaults = CYM_COLLECT_OPTIONS_INIT;
    const cym_collect_options *o = opts ? opts : &defaults;
    form *forms = NULL;
    table *tables = NULL;
    char (*names)[16] = NULL;
    char work[CYM_PATH_MAX], stage[CYM_PATH_MAX], p[CYM_PATH_MAX], tmp[CYM_PATH_MAX];
    size_t n = 0, before = errors->total;
    int lock = -1, stage_made = 0;
    cym_status st = CYM_OK;
    cym_dataset *fds = NULL;
    cym_dataset_paths paths;
    cym_dataset_options dopt = CYM_DATASET_OPTIONS_INIT;
    FILE *f = NULL;

    memset(out, 0, sizeof(*out));
    if (!(forms = calloc(ds->n_units ? ds->n_units : 1, sizeof(*forms))) ||
        !(tables = calloc(ds->n_units ? ds->n_units : 1, sizeof(*tables))) ||
        !(names = calloc(ds->n_units ? ds->n_units : 1, sizeof(*names)))) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    /* the work folder, its lock, and what an interrupted collect left (put back
       first, whatever this collect finds: not by a dry run, which changes nothing) */
    if (path2(work, sizeof(work), dataset_dir, ".collect") < 0) {
        st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "dataset path too long");
        goto cleanup;
    }
    if (mkdir(work, 0755) != 0 && errno != EEXIST) {
        st = cym_error_set(err, CYM_EIO, work, 0, 0, "cannot create: %s", strerror(errno));
        goto cleanup;
    }
    path2(p, sizeof(p), work, "lock");
    if ((lock = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0 ||
        flock(lock, LOCK_EX | LOCK_NB) != 0) {
        st = cym_error_set(err, CYM_EIO, p, 0, 0,
                           "another collect is writing into the dataset (or the lock cannot "
                           "be taken: %s)",
                           strerror(errno));
        goto cleanup;
    }
    if (!o->dry_run && (st = recover(work, dataset_dir, err)) < 0)
        goto cleanup;

    /* 1. every form, checked before anything is written: the forms' folder loaded as the
       data of the dataset (its countries, its framework), with every check of a data file
       and each problem at its cell, every one listed */
    paths.countries = ds->countries_path;
    paths.data = forms_dir;
    dopt.errors = errors;
    st = cym_dataset_load(&fds, ds->fw, &paths, &dopt, err);
    if (st < 0 && errors->total == before)
        goto cleanup;
    st = CYM_OK;
    for (size_t u = 0; u < ds->n_units && errors->total == before; u++) {
        char name[16];
        snprintf(name, sizeof(name), "%s.xlsx", ds->units[u].code);
        if (path2(p, sizeof(p), forms_dir, name) < 0 || access(p, F_OK) != 0)
            continue;
        st = read_form(&forms[n], ds, u, p, err);
        snprintf(names[n], sizeof(names[n]), "%s.csv", ds->units[u].code);
        n++;
        if (st < 0)
            goto cleanup;
        if (forms[n - 1].year != forms[0].year) {
            cym_error_set(err, CYM_EDATA, forms[n - 1].path, 0, 0,
                          "a form for %d among forms for %d (%s): collect one year at a time",
                          forms[n - 1].year, forms[0].year, forms[0].path);
            cym_error_list_add(errors, err);
        }
    }
    if (errors->total > before) {
        st = errors->errors[0].code;
        goto cleanup;
    }
    if (!n) {
        st = cym_error_set(err, CYM_EUSAGE, forms_dir, 0, 0,
                           "no form (<CODE>.xlsx of a country of the dataset) in the folder");
        goto cleanup;
    }
    out->forms = n;
    out->year = forms[0].year;

    /* 2. the country files as they are */
    for (size_t i = 0; i < n; i++) {
        if (path2(p, sizeof(p), dataset_dir, names[i]) < 0) {
            st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "dataset path too long");
            goto cleanup;
        }
        if ((st = read_table(&tables[i], p, err)) < 0)
            goto cleanup;
    }

    /* 3. the review, before anything is replaced */
    if (strcmp(o->review, "-") == 0) {
        write_review(review_stream, forms, tables, n, ds, out);
    } else {
        if (o->review[0])
            snprintf(out->review, sizeof(out->review), "%s", o->review);
        else
            fmt_path(out->review, sizeof(out->review), "%s/review-%d.csv", work, out->year);
        if (fmt_path(tmp, sizeof(tmp), "%s.tmp-%ld", out->review, (long)getpid()) < 0) {
            st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "review path too long");
            goto cleanup;
        }
        if ((st = write_file(tmp, &f, err)) < 0)
            goto cleanup;
        write_review(f, forms, tables, n, ds, out);
        st = close_synced(f, tmp, err);
        f = NULL;
        if (st == CYM_OK && rename(tmp, out->review) != 0)
            st = cym_error_set(err, CYM_EIO, out->review, 0, 0, "cannot write: %s",
                               strerror(errno));
        if (st < 0) {
            unlink(tmp);
            goto cleanup;
        }
    }
    if (o->dry_run)
        goto cleanup;

    /* 4. the new files, staged and synced, then replaced as a set */
    if (fmt_path(stage, sizeof(stage), "%s/stage-%ld", work, (long)getpid()) < 0 ||
        mkdir(stage, 0700) != 0) {
        st = cym_error_set(err, CYM_EIO, stage, 0, 0, "cannot create: %s", strerror(errno));
        goto cleanup;
    }
    stage_made = 1;
    for (size_t i = 0; i < n; i++) {
        path2(p, sizeof(p), stage, names[i]);
        if ((st = write_file(p, &f, err)) < 0)
            goto cleanup;
        write_merged(f, &tables[i], &forms[i], ds->fw);
        st = close_synced(f, p, err);
        f = NULL;
        if (st < 0)
            goto cleanup;
    }
    if (sync_dir(stage) != 0) {
        st = cym_error_set(err, CYM_EIO, stage, 0, 0, "cannot sync: %s", strerror(errno));
        goto cleanup;
    }
    if ((st = replace_set(work, stage, dataset_dir, names, n, err)) < 0)
        goto cleanup;
    out->files = n;
cleanup:
    if (f)
        fclose(f);
    if (stage_made)
        remove_dir(stage);
    if (lock >= 0)
        close(lock);
    for (size_t i = 0; forms && i < (ds->n_units ? ds->n_units : 1); i++)
        form_free(&forms[i]);
    for (size_t i = 0; tables && i < (ds->n_units ? ds->n_units : 1); i++)
        table_free(&tables[i]);
    free(forms);
    free(tables);
    free(names);
    cym_dataset_free(fds);
    return st;
}
