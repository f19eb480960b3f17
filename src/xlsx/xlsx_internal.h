/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_XLSX_INTERNAL_H
#define CYM_XLSX_INTERNAL_H
/*
 * What the two files of the reader share: the open workbook (xlsx.c: the zip container, the
 * workbook part, shared strings and styles) and the XML streaming every part goes through,
 * which the worksheets (sheet.c) use too.
 */
#include <expat.h>
#include <zip.h>

#include "xlsx/xlsx.h"

typedef struct sheet_entry {
    char *name;
    char *part; /* the zip entry of its worksheet, or NULL (not a worksheet) */
    cym__xlsx_state state;
} sheet_entry;

struct cym__xlsx {
    cym__xlsx_limits lim;
    char name[CYM_ERROR_FILE_MAX];
    void *data; /* the file */
    zip_t *za;
    size_t inflated; /* bytes inflated so far, against lim.max_total */
    sheet_entry *sheets;
    size_t n_sheets;
    /* shared strings: offsets into one pool */
    char *pool;
    size_t pool_len, pool_cap;
    size_t *strings;
    size_t n_strings, cap_strings;
    /* number format of each cell style (cellXfs) */
    unsigned char *xf_format;
    size_t n_xf;
};

typedef struct xml_ctx {
    cym__xlsx *wb;
    const char *part;
    XML_Parser p;
    unsigned depth;
    cym_error *err;
    cym_status st; /* a failure of a handler, which stopped the parser */
    /* character data of the element being collected */
    char *text;
    size_t len, cap;
    int collecting;
} xml_ctx;

/* "x:c" -> "c": parts may prefix their names with a namespace */
const char *cym__xml_local_name(const char *name);
/* the value of attribute `name` (local name) in expat's list, or NULL */
const char *cym__xml_attr(const char **atts, const char *name);
/* CYM_ENOMEM "out of memory" */
cym_status cym__xlsx_oom(cym_error *err);
/* *p grown to hold `need` items of `size` bytes (doubling *cap); 0, or -1 out of memory */
int cym__xlsx_grow(void **p, size_t *cap, size_t need, size_t size);
/* "E14" -> row 14, column 5 (1-based; a column "E" with `row` NULL), within the sheet's grid:
   1, or 0 when it is not one */
int cym__xlsx_parse_ref(const char *s, uint32_t *row, uint32_t *col);

/* Stops the parse with failure `st` / with a CYM_EDATA message at the parser's position. */
void cym__xml_fail(xml_ctx *x, cym_status st);
void cym__xml_fail_msg(xml_ctx *x, const char *what);
/* One level deeper: 1, or 0 when the nesting bound is reached (the parse is stopped). */
int cym__xml_enter(xml_ctx *x);
/* A parser for `part` of `wb` with these handlers and x as its user data; NULL out of memory. */
XML_Parser cym__xml_new(xml_ctx *x, cym__xlsx *wb, const char *part, cym_error *err,
                        XML_StartElementHandler start, XML_EndElementHandler end);
/* Collects the character data of the element begun, until cym__xml_collected reads it. */
void cym__xml_collect_begin(xml_ctx *x);
const char *cym__xml_collected(const xml_ctx *x);
/* Streams zip entry `part` through parser p within the bounds; a missing part is an error
   unless missing_ok. */
cym_status cym__xlsx_parse_part(cym__xlsx *wb, const char *part, XML_Parser p, int missing_ok,
                                cym_error *err);

#endif
