/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_IO_LXW_H
#define CYM_IO_LXW_H
/*
 * libxlsxwriter, opened with dlopen by the first workbook written (results.xlsx in
 * src/report/xlsx.c, the data collection forms in src/forms/forms.c), so that a command that
 * writes none loads neither it nor the libraries under it (minizip, zlib, OpenSSL's
 * libcrypto): docs/architecture.md "Plugins", docs/performance.md "Start-up". The program,
 * linked --as-needed, does not depend on it because every call goes through `cym__lxw`.
 *
 * CYM_LXW lists every function either file calls (add one here when a file needs it).
 */
#include <xlsxwriter.h>

#include "cymetrics/error.h"

#define CYM_LXW(X)                                                                                 \
    X(workbook_new_opt)                                                                            \
    X(workbook_set_properties)                                                                     \
    X(workbook_add_format)                                                                         \
    X(workbook_add_worksheet)                                                                      \
    X(workbook_close)                                                                              \
    X(format_set_bold)                                                                             \
    X(format_set_bg_color)                                                                         \
    X(format_set_bottom)                                                                           \
    X(format_set_num_format)                                                                       \
    X(format_set_text_wrap)                                                                        \
    X(format_set_unlocked)                                                                         \
    X(worksheet_write_string)                                                                      \
    X(worksheet_write_number)                                                                      \
    X(worksheet_write_blank)                                                                       \
    X(worksheet_set_column)                                                                        \
    X(worksheet_freeze_panes)                                                                      \
    X(worksheet_data_validation_cell)                                                              \
    X(worksheet_data_validation_range)                                                             \
    X(worksheet_protect)                                                                           \
    X(worksheet_hide)                                                                              \
    X(lxw_strerror)

typedef struct cym__lxw_fns {
#define CYM_LXW_FIELD(f) __typeof__(&f) f;
    CYM_LXW(CYM_LXW_FIELD)
#undef CYM_LXW_FIELD
} cym__lxw_fns;

/** The functions of libxlsxwriter, filled by cym__lxw_open. */
extern cym__lxw_fns cym__lxw;

/**
 * Opens libxlsxwriter (once per process; thread-safe) and fills cym__lxw. CYM_EIO naming the
 * library when it or one of the functions is missing.
 */
cym_status cym__lxw_open(cym_error *err);

/** The creation time written into every workbook (2000-01-01T00:00:00Z): reproducible bytes. */
#define CYM__LXW_CREATED 946684800

/** The header cells of every table of our workbooks: bold on pale blue, a thin line below. */
lxw_format *cym__lxw_head_format(lxw_workbook *wb);

/**
 * Closes (writes and frees) `wb`. `bad`: building its sheets ran out of memory. CYM_ENOMEM or
 * CYM_EIO with the library's reason, located at `display` (the path the user sees).
 */
cym_status cym__lxw_close(lxw_workbook *wb, int bad, const char *display, cym_error *err);

#endif
