/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_PLUGIN_H
#define CYM_PLUGIN_H
/*
 * Plugins: a module whose third-party libraries are heavy and seldom needed (the charts:
 * PLplot, cairo, pango, fontconfig, ...) is built as a private shared object,
 * cymetrics-NAME.so, opened with dlopen the first time it is used, so that a run that does
 * not need it does not load those libraries at start (docs/architecture.md, Plugins).
 *
 * The plugin exports one symbol, `cym__plugin_NAME`: a constant table of function pointers
 * that starts with a cym__plugin_head. The module's front, linked into libcymetrics, forwards
 * each call of the module's API through that table. To make a module a plugin: mark its
 * cym_module() line PLUGIN, put the table in src/NAME/ and the front in src/NAME/front/
 * (src/plot is the example).
 *
 * A library that a file or two call (libxlsxwriter, io/lxw.h) needs no plugin: it is
 * opened with cym__library_open and called through a struct of function pointers.
 *
 * Where a plugin is looked for: in $CYM_PLUGIN_DIR alone when that is set; else beside the
 * program (the build tree), in the program's <prefix>/bin/../<libdir>/cymetrics, and in
 * <libdir>/cymetrics beside a shared libcymetrics (the installed layouts).
 */
#include <stddef.h>

#include "cymetrics/error.h"

/** The first member of every plugin's table: checked against the loading build's. */
typedef struct cym__plugin_head {
    const char *version; /* CYM_VERSION of the build that made it */
    size_t size;         /* sizeof the whole table */
} cym__plugin_head;

#define CYM__PLUGIN_HEAD(type)                                                                     \
    {                                                                                              \
        CYM_VERSION, sizeof(type)                                                                  \
    }

/**
 * Opens plugin `name` once per process (later calls return the same table) and points *out
 * to its table, which must be `size` bytes and of this version. CYM_EIO with the path and the
 * reason when it cannot be found or opened, or is of another build. Thread-safe.
 */
cym_status cym__plugin_load(const void **out, const char *name, size_t size, cym_error *err);

/**
 * The same for a third-party library that one file calls directly (src/report/xlsx.c):
 * opens `soname` (dlopen; loaded once per process however often it is called) and stores its
 * functions `names[0..n-1]` in `fns`, a struct of n function pointers in that order
 * (`__typeof__(&f) f;` each). CYM_EIO naming the library when it or a symbol is missing.
 */
cym_status cym__library_open(void *fns, const char *const *names, size_t n, const char *soname,
                             cym_error *err);

#endif
