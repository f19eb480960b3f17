/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one table of libxlsxwriter's functions and its loader (io/lxw.h): dlopen of the SONAME
 * found at configure time, on the first workbook.
 */
#include "io/lxw.h"

#include <pthread.h>

#include "core/plugin.h"

cym__lxw_fns cym__lxw;

cym_status cym__lxw_open(cym_error *err)
{
#define CYM_LXW_NAME(f) #f,
    static const char *const names[] = {CYM_LXW(CYM_LXW_NAME)};
#undef CYM_LXW_NAME
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static int opened;
    cym_status st = CYM_OK;
    pthread_mutex_lock(&lock);
    if (!opened) {
        st = cym__library_open(&cym__lxw, names, sizeof(names) / sizeof(names[0]),
                               CYM_XLSXWRITER_SONAME, err);
        opened = st >= 0;
    }
    pthread_mutex_unlock(&lock);
    return st;
}

lxw_format *cym__lxw_head_format(lxw_workbook *wb)
{
    lxw_format *f = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_bold(f);
    cym__lxw.format_set_bg_color(f, 0xE6ECF1);
    cym__lxw.format_set_bottom(f, LXW_BORDER_THIN);
    return f;
}

cym_status cym__lxw_close(lxw_workbook *wb, int bad, const char *display, cym_error *err)
{
    lxw_error e = cym__lxw.workbook_close(wb);
    if (bad)
        return cym_error_set(err, CYM_ENOMEM, display, 0, 0, "out of memory");
    if (e != LXW_NO_ERROR)
        return cym_error_set(err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? CYM_ENOMEM : CYM_EIO,
                             display, 0, 0, "cannot write the workbook: %s",
                             cym__lxw.lxw_strerror(e));
    return CYM_OK;
}
