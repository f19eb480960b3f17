/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * results.sqlite (`--tables sqlite`): every CSV table of a run loaded into one SQLite database,
 * for queries on runs too large to read whole (docs/formats.md has the schema and queries).
 *
 * The CSV files are the definition of each table's rows: this module reads them back from the
 * staging folder (io's reader) once every writer is done, instead of formatting the results a
 * second time, so a table of the database has exactly its CSV's rows, in the same order, and
 * a new CSV table is in the database with no code here. Each cell gets the type of its
 * column: the numbers written with the shortest round-trip digits read back to the identical
 * double (INTEGER when the column is one of counts, years or ranks), an empty cell is NULL,
 * and a number column keeps a cell that is not a number as TEXT (next_tier.csv's steps:
 * `unreachable`, `flagged`). Column types come from the column names (the same names recur
 * in every table); a name not listed is a number column (index.csv has a column per node).
 *
 * Written with prepared statements in one transaction, without a journal and without syncs
 * (journal_mode=OFF, synchronous=OFF): the file is a temporary file of the result set's stage,
 * renamed into place and then swapped in with the whole set, so a crash halfway leaves
 * nothing a reader can see, and the output folder's previous set stays. The indexes are built
 * after the rows, and the tables are loaded in the order of their sorted paths, so the same
 * CSV bytes give the same database bytes (SQLite writes no time into the file).
 */
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"
#include "cymetrics/database.h"
#include "io/csv.h"
#include "io/outdir.h"

/* 8192: measured against 4096, 16384 and 65536 on a 500 x 50 x 20 run (docs/performance.md,
   "results.sqlite"): the smallest file, its time within the noise of the fastest */
#define PAGE_SIZE 8192

typedef enum col_type { COL_REAL, COL_INTEGER, COL_TEXT } col_type;
static const char *const type_names[] = {"REAL", "INTEGER", "TEXT"};

/* the columns of text and of whole numbers, by name; every other column holds numbers */
static const char *const text_cols[] = {
    "country",       "name",   "code",   "indicator", "direction", "flags",
    "reported_flag", "parent", "tier",   "next_tier", "edition",   "prev_edition",
    "series",        "node",   "status", "normalise", "years",     "basis",
    "break",         "a",      "b",      "relation",  "flag",      "child",
    "kind",          "pillar", "group",  "leader",    "framework", "index"};
static const char *const integer_cols[] = {
    "year",           "rank",     "level",     "n",       "missing",    "k",
    "component",      "position", "ranked",    "tied",    "first_year", "last_year",
    "prev_year",      "step",     "count",     "nominal", "failed",     "winsorised_high",
    "winsorised_low", "log",      "mk_s",      "steps",   "flagged",    "rank_change",
    "year_from",      "year_to",  "indicators"};

static int listed(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The type of column `name` of table `table`; treatment.csv's year is `panel` or a year (the
   table `treatment`, or `edition-2017-2019_treatment` of a run with editions). */
static col_type column_type(const char *table, const char *name)
{
    if ((strcmp(table, "treatment") == 0 || ends_with(table, "_treatment")) &&
        strcmp(name, "year") == 0)
        return COL_TEXT;
    /* compare_A_B.csv: A_trend (a direction), A_rank */
    if (listed(name, text_cols, sizeof(text_cols) / sizeof(*text_cols)) ||
        ends_with(name, "_trend"))
        return COL_TEXT;
    if (listed(name, integer_cols, sizeof(integer_cols) / sizeof(*integer_cols)) ||
        ends_with(name, "_rank"))
        return COL_INTEGER;
    return COL_REAL;
}

/* ---- the CSV files of the folder, sorted ------------------------------------------------- */

typedef struct paths {
    char **p;
    size_t n, cap;
} paths;

static int add_path(paths *ps, const char *rel, const char *name)
{
    size_t len = strlen(rel) + strlen(name) + 2;
    char *s = malloc(len);
    if (!s)
        return -1;
    snprintf(s, len, "%s%s%s", rel, rel[0] ? "/" : "", name);
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 32;
        char **p = realloc(ps->p, cap * sizeof(*p));
        if (!p) {
            free(s);
            return -1;
        }
        ps->p = p;
        ps->cap = cap;
    }
    ps->p[ps->n++] = s;
    return 0;
}

/* Every regular file `*.csv` under dir/rel, `depth` levels of sub-folders (audit/,
   edition-2017-2019/audit/), links and hidden (temporary) files left out. */
static cym_status find_csv(paths *ps, const char *dir, const char *rel, int depth, cym_error *err)
{
    char path[4096];
    struct dirent *e;
    DIR *d;
    cym_status st = CYM_OK;

    snprintf(path, sizeof(path), "%s%s%s", dir, rel[0] ? "/" : "", rel);
    if (!(d = opendir(path)))
        return cym_error_set(err, CYM_EIO, path, 0, 0, "cannot read the folder");
    while (st >= 0 && (e = readdir(d)) != NULL) {
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && depth > 0) {
            char sub[4096];
            snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
            st = find_csv(ps, dir, sub, depth - 1, err);
        } else if (S_ISREG(sb.st_mode) && ends_with(e->d_name, ".csv") &&
                   add_path(ps, rel, e->d_name) < 0) {
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    closedir(d);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- one table --------------------------------------------------------------------------- */

typedef struct load {
    sqlite3 *db;
    sqlite3_stmt *ins;
    const char *file; /* the CSV's path, for messages */
    char table[256];  /* the table's name: the path without .csv, '/' as '_' */
    col_type *types;
    char **cols;
    size_t ncol;
} load;

/* Appends `s` to `sql` as a quoted SQL identifier ("a""b"). */
static void put_ident(char *sql, const char *s)
{
    char *p = sql + strlen(sql);
    *p++ = '"';
    for (; *s; s++) {
        if (*s == '"')
            *p++ = '"';
        *p++ = *s;
    }
    *p++ = '"';
    *p = '\0';
}

static cym_status db_fail(load *l, cym_error *err)
{
    return cym_error_set(err, CYM_EIO, CYM_DATABASE_FILE, 0, 0, "cannot write table '%s': %s",
                         l->table, sqlite3_errmsg(l->db));
}

/* SQLite's last error on `db` (NULL: it could not even allocate one) */
static cym_status db_error(sqlite3 *db, cym_error *err)
{
    return cym_error_set(err, CYM_EIO, CYM_DATABASE_FILE, 0, 0, "cannot write: %s",
                         db ? sqlite3_errmsg(db) : "out of memory");
}

static cym_status exec(sqlite3 *db, const char *sql, cym_error *err)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? CYM_OK : db_error(db, err);
}

/* The header: CREATE TABLE with the typed columns, and the INSERT statement. */
static cym_status begin_table(load *l, const cym__csv_row *row, cym_error *err)
{
    size_t len = strlen(l->table) * 2 + 64;
    char *create, *insert;
    cym_status st = CYM_OK;

    for (size_t i = 0; i < row->n; i++)
        len += 2 * row->f[i].len + 16;
    l->types = malloc(row->n * sizeof(*l->types));
    l->cols = calloc(row->n, sizeof(*l->cols));
    create = malloc(len);
    insert = malloc(len);
    if (!l->types || !l->cols || !create || !insert) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    l->ncol = row->n;
    strcpy(create, "CREATE TABLE ");
    put_ident(create, l->table);
    strcat(create, " (");
    strcpy(insert, "INSERT INTO ");
    put_ident(insert, l->table);
    strcat(insert, " VALUES (");
    for (size_t i = 0; i < row->n; i++) {
        l->types[i] = column_type(l->table, row->f[i].text);
        if (!(l->cols[i] = strdup(row->f[i].text))) {
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        if (i) {
            strcat(create, ", ");
            strcat(insert, ", ");
        }
        put_ident(create, row->f[i].text);
        strcat(create, " ");
        strcat(create, type_names[l->types[i]]);
        strcat(insert, "?");
    }
    strcat(create, ")");
    strcat(insert, ")");
    if ((st = exec(l->db, create, err)) < 0)
        goto cleanup;
    if (sqlite3_prepare_v2(l->db, insert, -1, &l->ins, NULL) != SQLITE_OK)
        st = db_fail(l, err);
cleanup:
    free(create);
    free(insert);
    return st;
}

/* One cell: NULL when empty, a number in a number column, else text. */
static int bind_cell(sqlite3_stmt *s, int i, col_type t, const cym__csv_field *f)
{
    double v;
    if (f->len == 0)
        return sqlite3_bind_null(s, i);
    if (t != COL_TEXT) {
        cym__num k = cym__parse_number(f->text, &v);
        if (k == CYM_NUM_MISSING && strcmp(f->text, "NA") == 0)
            return sqlite3_bind_null(s, i);
        if (k == CYM_NUM_OK) {
            /* whole numbers exactly representable as such go in as integers */
            if (t == COL_INTEGER && v >= -9007199254740992.0 && v <= 9007199254740992.0 &&
                v == (double)(sqlite3_int64)v)
                return sqlite3_bind_int64(s, i, (sqlite3_int64)v);
            return sqlite3_bind_double(s, i, v);
        }
    }
    return sqlite3_bind_text(s, i, f->text, (int)f->len, SQLITE_STATIC);
}

static cym_status on_row(void *ctx, const cym__csv_row *row, cym_error *err)
{
    load *l = ctx;
    if (row->index == 0)
        return begin_table(l, row, err);
    if (row->n != l->ncol)
        return cym_error_set(err, CYM_EINTERNAL, l->file, row->line, 1,
                             "%zu fields where the header has %zu", row->n, l->ncol);
    for (size_t i = 0; i < row->n; i++)
        if (bind_cell(l->ins, (int)i + 1, l->types[i], &row->f[i]) != SQLITE_OK)
            return db_fail(l, err);
    if (sqlite3_step(l->ins) != SQLITE_DONE)
        return db_fail(l, err);
    sqlite3_reset(l->ins);
    return CYM_OK;
}

static long find_col(const load *l, const char *name)
{
    for (size_t i = 0; i < l->ncol; i++)
        if (strcmp(l->cols[i], name) == 0)
            return (long)i;
    return -1;
}

/* CREATE INDEX "TABLE_FIRST" ON TABLE (the columns of `idx`, -1 ends the list) */
static cym_status make_index(load *l, const long idx[3], cym_error *err)
{
    char sql[1024], name[600];
    snprintf(name, sizeof(name), "%s_%s", l->table, l->cols[idx[0]]);
    strcpy(sql, "CREATE INDEX ");
    put_ident(sql, name);
    strcat(sql, " ON ");
    put_ident(sql, l->table);
    strcat(sql, " (");
    for (int k = 0; k < 3 && idx[k] >= 0; k++) {
        if (k)
            strcat(sql, ", ");
        put_ident(sql, l->cols[idx[k]]);
    }
    strcat(sql, ")");
    if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(l, err);
    return CYM_OK;
}

/*
 * The indexes a query selects rows by, led by each of country, code (or indicator) and year:
 * (country, code, year), (code, year), (year), with the columns the table has. The composite
 * ones let a join of a table with itself (a year and the one before, of the same country and
 * code) find each row at once: with one index a column, SQLite picks one and scans the rest
 * (the largest yearly rises took 161 s instead of a second on 540,000 scores, bench/sqlite.sh).
 */
static cym_status make_indexes(load *l, cym_error *err)
{
    long c = find_col(l, "country"), k = find_col(l, "code"), y = find_col(l, "year");
    cym_status st = CYM_OK;
    if (k < 0)
        k = find_col(l, "indicator");
    if (c >= 0) {
        long idx[3] = {c, k >= 0 ? k : y, k >= 0 ? y : -1};
        st = make_index(l, idx, err);
    }
    if (st >= 0 && k >= 0)
        st = make_index(l, (const long[3]){k, y, -1}, err);
    if (st >= 0 && y >= 0)
        st = make_index(l, (const long[3]){y, -1, -1}, err);
    return st;
}

static void load_clear(load *l)
{
    sqlite3_finalize(l->ins);
    l->ins = NULL;
    for (size_t i = 0; l->cols && i < l->ncol; i++)
        free(l->cols[i]);
    free(l->cols);
    free(l->types);
    l->cols = NULL;
    l->types = NULL;
    l->ncol = 0;
}

static cym_status load_table(sqlite3 *db, const char *dir, const char *rel, cym_error *err)
{
    char path[4096];
    load l;
    cym_status st;
    size_t n = strlen(rel) - 4; /* without ".csv" */

    memset(&l, 0, sizeof(l));
    l.db = db;
    l.file = path;
    if (n >= sizeof(l.table))
        return cym_error_set(err, CYM_EINTERNAL, rel, 0, 0, "table name too long");
    for (size_t i = 0; i < n; i++)
        l.table[i] = rel[i] == '/' ? '_' : rel[i];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    st = cym__csv_read(path, NULL, on_row, &l, err);
    if (st >= 0 && l.ncol)
        st = make_indexes(&l, err);
    load_clear(&l);
    return st;
}

/* ---- the database ------------------------------------------------------------------------ */

cym_status cym_database_write(const char *dir, cym_error *err)
{
    cym__outdir od;
    paths ps = {NULL, 0, 0};
    sqlite3 *db = NULL;
    const char *tmp, *page;
    char sql[160];
    cym_status st;

    memset(&od, 0, sizeof(od));
    if ((st = find_csv(&ps, dir, "", 2, err)) < 0)
        goto cleanup;
    qsort(ps.p, ps.n, sizeof(*ps.p), cmp_str);
    if ((st = cym__outdir_open(&od, dir, err)) < 0 ||
        (st = cym__outdir_reserve(&tmp, &od, CYM_DATABASE_FILE, err)) < 0)
        goto cleanup;
    if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        st = db_error(db, err);
        goto cleanup;
    }
    /* bench/sqlite.sh measures other page sizes through this variable */
    page = getenv("CYMETRICS_BENCH_SQLITE_PAGE_SIZE");
    snprintf(sql, sizeof(sql),
             "PRAGMA page_size=%d; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
             "PRAGMA locking_mode=EXCLUSIVE; BEGIN",
             page ? atoi(page) : PAGE_SIZE);
    if ((st = exec(db, sql, err)) < 0)
        goto cleanup;
    for (size_t i = 0; i < ps.n && st >= 0; i++) {
        st = load_table(db, dir, ps.p[i], err);
        /* tests/cli/sqlite_checks.sh: a write that fails halfway leaves the previous set */
        if (st >= 0 && i == 0 && getenv("CYMETRICS_TEST_SQLITE_FAULT"))
            st = cym_error_set(err, CYM_EIO, CYM_DATABASE_FILE, 0, 0,
                               "cannot write: injected fault (CYMETRICS_TEST_SQLITE_FAULT)");
    }
    if (st < 0 || (st = exec(db, "COMMIT", err)) < 0)
        goto cleanup;
    if (sqlite3_close(db) != SQLITE_OK) {
        st = db_error(db, err);
        goto cleanup;
    }
    db = NULL;
    st = cym__outdir_commit(&od, err);
cleanup:
    sqlite3_close(db);
    for (size_t i = 0; i < ps.n; i++)
        free(ps.p[i]);
    free(ps.p);
    cym__outdir_free(&od);
    return st;
}
