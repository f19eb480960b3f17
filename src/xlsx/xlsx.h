/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_XLSX_H
#define CYM_XLSX_H
/*
 * A bounded reader of .xlsx workbooks (Office Open XML spreadsheets): the zip container on
 * libzip, the XML parts on expat. It reads the list of sheets, the values of a sheet's cells
 * (with their cached formula results), whether a number is formatted as a percentage or a
 * date, hidden rows and columns and merged ranges; nothing else (no styles beyond the number
 * format, no charts, no formula evaluation).
 *
 * Every size it reads is bounded (cym__xlsx_limits, docs/security.md "Workbooks"): the
 * workbook file, each zip entry and all of them inflated (counted while inflating, never
 * trusted from the zip headers), the compression ratio, the number of entries, of shared
 * strings, of cells, the row and column, the XML nesting and the length of one string. A
 * workbook over a bound is refused with a message naming it, before more is expanded.
 * Encrypted workbooks, DTDs, and files that are not zip archives (an old .xls, a CSV file
 * named .xlsx) are refused with a message that says what the file is.
 */
#include <stddef.h>
#include <stdint.h>

#include "cymetrics/error.h"

/** The bounds of one workbook; zero fields take the defaults below. */
typedef struct cym__xlsx_limits {
    size_t max_file;    /* bytes of the .xlsx file itself */
    size_t max_total;   /* bytes inflated from all the entries read */
    size_t max_entry;   /* bytes inflated from one entry */
    unsigned max_ratio; /* inflated / compressed of an entry over 1 MiB */
    size_t max_entries; /* entries in the zip directory */
    size_t max_strings; /* shared strings */
    size_t max_cells;   /* cells of one sheet */
    unsigned max_depth; /* XML nesting */
    size_t max_string;  /* bytes of one string (shared, inline or a cell's value) */
} cym__xlsx_limits;

#define CYM_XLSX_MAX_FILE ((size_t)64 << 20)
#define CYM_XLSX_MAX_TOTAL ((size_t)64 << 20)
#define CYM_XLSX_MAX_ENTRY ((size_t)64 << 20)
#define CYM_XLSX_MAX_RATIO 200u
#define CYM_XLSX_MAX_ENTRIES ((size_t)10000)
#define CYM_XLSX_MAX_STRINGS ((size_t)1 << 20)
#define CYM_XLSX_MAX_CELLS ((size_t)4 << 20)
#define CYM_XLSX_MAX_DEPTH 64u
#define CYM_XLSX_MAX_STRING ((size_t)131072) /* 32,767 characters (Excel's) of up to 4 bytes */
/* the grid of a worksheet (Excel's) */
#define CYM_XLSX_MAX_ROW 1048576u
#define CYM_XLSX_MAX_COL 16384u

typedef struct cym__xlsx cym__xlsx;

/** A sheet's visibility in the workbook (`state` of its <sheet> element). */
typedef enum cym__xlsx_state {
    CYM_XLSX_VISIBLE = 0,
    CYM_XLSX_HIDDEN,
    CYM_XLSX_VERY_HIDDEN
} cym__xlsx_state;

/** What a cell holds (its cached value for a formula). */
typedef enum cym__xlsx_type {
    CYM_XLSX_EMPTY = 0, /* no value: a formatted empty cell, or a formula never calculated */
    CYM_XLSX_NUMBER,    /* `num`; `text` is the number as stored */
    CYM_XLSX_STRING,    /* shared, inline or a formula's string result; `text` */
    CYM_XLSX_BOOL,      /* `num` 0 or 1; `text` "FALSE" or "TRUE" */
    CYM_XLSX_ERROR      /* `text` the error value, such as "#N/A" or "#DIV/0!" */
} cym__xlsx_type;

/** How the cell's number format shows a number (styles.xml). */
typedef enum cym__xlsx_format {
    CYM_XLSX_FMT_PLAIN = 0,
    CYM_XLSX_FMT_PERCENT, /* built-in 9, 10, or a custom format with '%' */
    CYM_XLSX_FMT_DATE     /* built-in 14-22, 45-47, a custom format with date or time letters,
                             or a cell of type "d" (ISO 8601 text) */
} cym__xlsx_format;

typedef struct cym__xlsx_cell {
    uint32_t row, col; /* 1-based: A1 is 1, 1 */
    cym__xlsx_type type;
    cym__xlsx_format format;
    int formula;      /* the cell has a formula (its cached value is what is read) */
    const char *text; /* NUL-terminated, never NULL; "" for an empty cell. Borrowed */
    double num;       /* the number (NUMBER, BOOL), else NaN */
} cym__xlsx_cell;

/** A rectangle of cells, inclusive (a merged range, or a span of hidden columns r1 = r2 = 0). */
typedef struct cym__xlsx_range {
    uint32_t r1, c1, r2, c2;
} cym__xlsx_range;

/** One sheet read into memory; owned by the caller, freed with cym__xlsx_sheet_free. */
typedef struct cym__xlsx_sheet {
    const cym__xlsx_cell *cells; /* by row, then column; no two at the same place */
    size_t n_cells;
    const cym__xlsx_range *merged;
    size_t n_merged;
    const uint32_t *hidden_rows; /* increasing */
    size_t n_hidden_rows;
    const cym__xlsx_range *hidden_cols; /* c1..c2 */
    size_t n_hidden_cols;
} cym__xlsx_sheet;

/**
 * Opens the workbook at `path` (a regular file, read whole, at most lim->max_file bytes) and
 * reads its list of sheets, shared strings and number formats. `lim` may be NULL (defaults).
 * CYM_EDATA for a file that is not a readable .xlsx (with what it seems to be instead), over a
 * bound, encrypted or damaged; CYM_EIO when it cannot be read. *out is freed with
 * cym__xlsx_free.
 */
cym_status cym__xlsx_open(cym__xlsx **out, const char *path, const cym__xlsx_limits *lim,
                          cym_error *err);

/** cym__xlsx_open on `size` bytes in memory (copied), named `name` in messages. */
cym_status cym__xlsx_open_mem(cym__xlsx **out, const void *data, size_t size, const char *name,
                              const cym__xlsx_limits *lim, cym_error *err);

/** Frees the workbook. Accepts NULL. */
void cym__xlsx_free(cym__xlsx *wb);

/** Number of sheets (worksheets; chart sheets and the like are not listed). */
size_t cym__xlsx_sheet_count(const cym__xlsx *wb);

/** The name of sheet `i`. Borrowed. */
const char *cym__xlsx_sheet_name(const cym__xlsx *wb, size_t i);

/** The visibility of sheet `i`. */
cym__xlsx_state cym__xlsx_sheet_state(const cym__xlsx *wb, size_t i);

/** The index of the sheet named `name` (exactly; Excel compares without case: `nocase`), or -1. */
long cym__xlsx_sheet_find(const cym__xlsx *wb, const char *name, int nocase);

/**
 * Reads sheet `i` into *out: its cells in order, merged ranges, hidden rows and columns.
 * CYM_EDATA (the workbook, the part and the position in the message) for damaged XML, a bound
 * passed, a cell reference outside the grid or given twice. CYM_ENOMEM.
 */
cym_status cym__xlsx_sheet_load(cym__xlsx_sheet **out, cym__xlsx *wb, size_t i, cym_error *err);

/** Frees a sheet. Accepts NULL. */
void cym__xlsx_sheet_free(cym__xlsx_sheet *s);

/** The cell at row, col, or NULL when the sheet has none there. Borrowed. */
const cym__xlsx_cell *cym__xlsx_sheet_cell(const cym__xlsx_sheet *s, uint32_t row, uint32_t col);

/** 1 when row `row` (or column `col`; 0 = not asked) is hidden. */
int cym__xlsx_hidden(const cym__xlsx_sheet *s, uint32_t row, uint32_t col);

/** The merged range that holds row, col, or NULL. Borrowed. */
const cym__xlsx_range *cym__xlsx_merged_at(const cym__xlsx_sheet *s, uint32_t row, uint32_t col);

#endif
