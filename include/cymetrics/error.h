/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_ERROR_H
#define CYM_ERROR_H

/**
 * Status codes and the error record every fallible call fills.
 *
 * Every fallible function returns a cym_status: CYM_OK (0) on success, a negative
 * cym_error_code on failure. It also fills an optional, caller-owned cym_error (pass NULL
 * when the details are not wanted). Nothing is allocated on the error path.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Function result: 0 for success, a negative cym_error_code for failure. */
typedef int cym_status;

/** Failure classes; the CLI maps each to an exit code (see cym_error_exit_code). */
typedef enum cym_error_code {
    CYM_OK = 0,
    CYM_EDATA = -1,     /**< bad input data (exit 1) */
    CYM_EUSAGE = -2,    /**< bad command line or configuration (exit 2) */
    CYM_EIO = -3,       /**< file system or I/O failure (exit 3) */
    CYM_ENOMEM = -4,    /**< out of memory (exit 4) */
    CYM_EINTERNAL = -5  /**< a bug: an invariant did not hold (exit 4) */
} cym_error_code;

#define CYM_ERROR_FILE_MAX 512
#define CYM_ERROR_MESSAGE_MAX 512
/** Longest sheet name kept (Excel allows 31 characters, of up to 4 bytes each), with its NUL. */
#define CYM_ERROR_SHEET_MAX 128

/** Longest path the configuration holds (with its NUL). */
#define CYM_PATH_MAX 4096

/**
 * Details of one failure. `line` and `column` are 1-based; 0 means "not applicable". In a
 * workbook (`sheet` not empty) they are the row and the column (A = 1) of a cell of that
 * sheet, and the place is written `FILE:SHEET!E14`.
 */
typedef struct cym_error {
    int code;                           /**< a cym_error_code */
    int sys_errno;                      /**< errno for CYM_EIO, else 0 */
    char file[CYM_ERROR_FILE_MAX];      /**< input file concerned, or "" */
    unsigned long line;                 /**< 1-based line (row of a sheet) in `file`, or 0 */
    unsigned long column;               /**< 1-based column (byte; of a sheet: A = 1), or 0 */
    char message[CYM_ERROR_MESSAGE_MAX]; /**< one line, lower case, no trailing period */
    char sheet[CYM_ERROR_SHEET_MAX];    /**< the workbook's sheet of the cell, or "" */
} cym_error;

/** Resets `err` (may be NULL) to "no error". */
void cym_error_clear(cym_error *err);

/**
 * Fills `err` (may be NULL) and returns `code`, so callers can write
 * `return cym_error_set(err, CYM_EDATA, path, line, col, "...", ...)`.
 * `file` may be NULL. Long messages are truncated, never overflowed.
 */
cym_status cym_error_set(cym_error *err, cym_status code, const char *file, unsigned long line,
                         unsigned long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/**
 * Places the error of `err` (may be NULL) on the sheet `sheet` of its file: its line and
 * column are then a cell's row and column (cym_error_set clears the sheet).
 */
void cym_error_set_sheet(cym_error *err, const char *sheet);

/**
 * Writes the cell reference of `row`, `column` (1-based; "E14", "AA3") into `buf` of `size`
 * bytes, always NUL-terminated. Returns the length that would have been written.
 */
size_t cym_error_cell_ref(char *buf, size_t size, unsigned long row, unsigned long column);

/**
 * Writes "FILE:LINE:COL: message", or "FILE:SHEET!E14: message" for a cell of a workbook
 * (parts that are not set are left out), into `buf` of `size` bytes, always NUL-terminated.
 * Returns the length that would have been written.
 */
size_t cym_error_format(char *buf, size_t size, const cym_error *err);

/** The CLI exit code for a status: 0 ok, 1 data, 2 usage, 3 I/O, 4 internal/memory. */
int cym_error_exit_code(cym_status status);

/**
 * The errors of a load that goes on after an error (`cymetrics validate`): the `limit` first
 * by file, line and column of all those added, and how many were added. Owned by whoever
 * holds it; zero-initialise it and set `limit` (0 keeps none and only counts).
 */
typedef struct cym_error_list {
    cym_error *errors; /**< `count` (<= limit) records, sorted by cym_error_list_sort */
    size_t count;
    size_t limit; /**< most records kept */
    size_t total; /**< errors added, kept or not */
} cym_error_list;

/**
 * Adds a copy of `e` (its code must be a failure). When the list is full, it is kept only if
 * it sorts before the last record kept, which it replaces, so the records kept are the first
 * `limit` in file, line, column order whatever the order they came in. Safe to call from
 * several threads at once. Out of memory, the error is counted and not kept.
 */
void cym_error_list_add(cym_error_list *l, const cym_error *e);

/** Sorts the records by file (byte order; no file first), sheet, line, column, then message. */
void cym_error_list_sort(cym_error_list *l);

/** Frees the records (not `l` itself) and resets it to empty, keeping `limit`. Accepts NULL. */
void cym_error_list_free(cym_error_list *l);

/** A growable list of warning lines (non-fatal events) owned by whoever holds it. */
typedef struct cym_warnings {
    char **lines; /**< `count` NUL-terminated lines */
    size_t count;
    size_t cap;
} cym_warnings;

/** Appends a formatted line. Returns CYM_OK or CYM_ENOMEM. */
cym_status cym_warnings_add(cym_warnings *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Frees the lines (not `w` itself) and resets it to empty. Accepts NULL. */
void cym_warnings_clear(cym_warnings *w);

#ifdef __cplusplus
}
#endif

#endif
