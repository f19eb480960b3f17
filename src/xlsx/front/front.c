/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The .xlsx reader's front, in libcymetrics: the functions of xlsx/xlsx.h, each forwarding to
 * the reader plugin, cymetrics-xlsx.so (src/xlsx/plugin.h), opened by the first workbook. So
 * libzip, expat and the libraries under libzip (OpenSSL's libcrypto, libbz2, liblzma, ...)
 * are loaded only by a command that reads a workbook (docs/architecture.md, Plugins). A
 * missing plugin is an I/O error naming the file, from cym__xlsx_open.
 *
 * Only the two openers load the plugin: every other function takes a workbook or a sheet,
 * which exists only once it has been loaded, so they read the table saved by the openers
 * (atomically: forms may be read on several threads).
 */
#include <stdatomic.h>

#include "xlsx/plugin.h"

static _Atomic(const cym__xlsx_plugin *) loaded;

static cym_status plugin(const cym__xlsx_plugin **p, cym_error *err)
{
    const void *t;
    cym_status st = cym__plugin_load(&t, "xlsx", sizeof(cym__xlsx_plugin), err);
    *p = t;
    if (st >= 0)
        atomic_store_explicit(&loaded, *p, memory_order_release);
    return st;
}

/* The table, once a workbook is open. */
static const cym__xlsx_plugin *table(void)
{
    return atomic_load_explicit(&loaded, memory_order_acquire);
}

cym_status cym__xlsx_open(cym__xlsx **out, const char *path, const cym__xlsx_limits *lim,
                          cym_error *err)
{
    const cym__xlsx_plugin *p;
    cym_status st;
    *out = NULL;
    st = plugin(&p, err);
    return st < 0 ? st : p->open(out, path, lim, err);
}

cym_status cym__xlsx_open_mem(cym__xlsx **out, const void *data, size_t size, const char *name,
                              const cym__xlsx_limits *lim, cym_error *err)
{
    const cym__xlsx_plugin *p;
    cym_status st;
    *out = NULL;
    st = plugin(&p, err);
    return st < 0 ? st : p->open_mem(out, data, size, name, lim, err);
}

void cym__xlsx_free(cym__xlsx *wb)
{
    if (wb)
        table()->free(wb);
}

size_t cym__xlsx_sheet_count(const cym__xlsx *wb)
{
    return table()->sheet_count(wb);
}

const char *cym__xlsx_sheet_name(const cym__xlsx *wb, size_t i)
{
    return table()->sheet_name(wb, i);
}

cym__xlsx_state cym__xlsx_sheet_state(const cym__xlsx *wb, size_t i)
{
    return table()->sheet_state(wb, i);
}

long cym__xlsx_sheet_find(const cym__xlsx *wb, const char *name, int nocase)
{
    return table()->sheet_find(wb, name, nocase);
}

cym_status cym__xlsx_sheet_load(cym__xlsx_sheet **out, cym__xlsx *wb, size_t i, cym_error *err)
{
    return table()->sheet_load(out, wb, i, err);
}

void cym__xlsx_sheet_free(cym__xlsx_sheet *s)
{
    if (s)
        table()->sheet_free(s);
}

const cym__xlsx_cell *cym__xlsx_sheet_cell(const cym__xlsx_sheet *s, uint32_t row, uint32_t col)
{
    return table()->sheet_cell(s, row, col);
}

int cym__xlsx_hidden(const cym__xlsx_sheet *s, uint32_t row, uint32_t col)
{
    return table()->hidden(s, row, col);
}

const cym__xlsx_range *cym__xlsx_merged_at(const cym__xlsx_sheet *s, uint32_t row, uint32_t col)
{
    return table()->merged_at(s, row, col);
}
