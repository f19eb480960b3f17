/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_XLSX_PLUGIN_H
#define CYM_XLSX_PLUGIN_H
/*
 * The .xlsx reader plugin's table (core/plugin.h): cymetrics-xlsx.so exports it as
 * cym__plugin_xlsx (plugin.c), and the front linked into libcymetrics (front/front.c)
 * forwards the functions of xlsx/xlsx.h through it. One member per function, in the header's
 * order.
 */
#include "core/plugin.h"
#include "xlsx/xlsx.h"

typedef struct cym__xlsx_plugin {
    cym__plugin_head head;
    cym_status (*open)(cym__xlsx **out, const char *path, const cym__xlsx_limits *lim,
                       cym_error *err);
    cym_status (*open_mem)(cym__xlsx **out, const void *data, size_t size, const char *name,
                           const cym__xlsx_limits *lim, cym_error *err);
    void (*free)(cym__xlsx *wb);
    size_t (*sheet_count)(const cym__xlsx *wb);
    const char *(*sheet_name)(const cym__xlsx *wb, size_t i);
    cym__xlsx_state (*sheet_state)(const cym__xlsx *wb, size_t i);
    long (*sheet_find)(const cym__xlsx *wb, const char *name, int nocase);
    cym_status (*sheet_load)(cym__xlsx_sheet **out, cym__xlsx *wb, size_t i, cym_error *err);
    void (*sheet_free)(cym__xlsx_sheet *s);
    const cym__xlsx_cell *(*sheet_cell)(const cym__xlsx_sheet *s, uint32_t row, uint32_t col);
    int (*hidden)(const cym__xlsx_sheet *s, uint32_t row, uint32_t col);
    const cym__xlsx_range *(*merged_at)(const cym__xlsx_sheet *s, uint32_t row, uint32_t col);
} cym__xlsx_plugin;

/** The table, in cymetrics-xlsx.so only. */
extern const cym__xlsx_plugin cym__plugin_xlsx;

#endif
