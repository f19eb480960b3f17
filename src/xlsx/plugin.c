/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The .xlsx reader plugin's one exported symbol: the table of the functions of xlsx/xlsx.h. */
#include "xlsx/plugin.h"

const cym__xlsx_plugin cym__plugin_xlsx = {CYM__PLUGIN_HEAD(cym__xlsx_plugin),
                                           cym__xlsx_open,
                                           cym__xlsx_open_mem,
                                           cym__xlsx_free,
                                           cym__xlsx_sheet_count,
                                           cym__xlsx_sheet_name,
                                           cym__xlsx_sheet_state,
                                           cym__xlsx_sheet_find,
                                           cym__xlsx_sheet_load,
                                           cym__xlsx_sheet_free,
                                           cym__xlsx_sheet_cell,
                                           cym__xlsx_hidden,
                                           cym__xlsx_merged_at};
