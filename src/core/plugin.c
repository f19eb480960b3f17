/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Plugins opened on first use with dlopen (see plugin.h): where they are looked for, the
 * check that a plugin is of this build, one handle per plugin and process; and the libraries
 * a single file opens itself.
 */
#define _GNU_SOURCE /* dladdr */
#include "core/plugin.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CYM_PLUGIN_RELDIR_BIN
#define CYM_PLUGIN_RELDIR_BIN "../lib/cymetrics"
#endif
#ifndef CYM_PLUGIN_RELDIR_LIB
#define CYM_PLUGIN_RELDIR_LIB "cymetrics"
#endif

#define MAX_PLUGINS 8
#define DIR_MAX (PATH_MAX + 64) /* a folder and a relative path under it */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char name[32];
    const void *table;
} opened[MAX_PLUGINS];
static size_t n_opened;

/* The folder of `path` into dir ("" when it has none). */
static void folder(char *dir, size_t n, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;
    if (len >= n)
        len = 0;
    memcpy(dir, path, len);
    dir[len] = '\0';
}

/* The folders to look in, in order; returns their count. */
static size_t candidates(char dirs[][DIR_MAX], size_t max)
{
    size_t n = 0;
    char exe[PATH_MAX], base[PATH_MAX];
    Dl_info info;
    const char *env = getenv("CYM_PLUGIN_DIR");
    if (env && *env) {
        snprintf(dirs[n++], DIR_MAX, "%s", env);
        return n;
    }
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0) {
        exe[len] = '\0';
        folder(base, sizeof(base), exe);
        snprintf(dirs[n++], DIR_MAX, "%s", base);
        snprintf(dirs[n++], DIR_MAX, "%s/%s", base, CYM_PLUGIN_RELDIR_BIN);
    }
    /* a shared libcymetrics: its own folder's cymetrics/ */
    if (n < max && dladdr((void *)(size_t)&candidates, &info) && info.dli_fname &&
        strchr(info.dli_fname, '/') && (len <= 0 || strcmp(info.dli_fname, exe) != 0)) {
        folder(base, sizeof(base), info.dli_fname);
        snprintf(dirs[n++], DIR_MAX, "%s/%s", base, CYM_PLUGIN_RELDIR_LIB);
    }
    return n;
}

static cym_status open_plugin(const void **out, const char *name, size_t size, cym_error *err)
{
    char dirs[3][DIR_MAX], path[DIR_MAX + 64], first[DIR_MAX + 64] = "", also[DIR_MAX + 16] = "";
    char sym[64];
    size_t nd = candidates(dirs, 3);
    void *h = NULL;
    for (size_t i = 0; i < nd && !h; i++) {
        char real[PATH_MAX]; /* bin/../lib/cymetrics as lib/cymetrics, in messages too */
        const char *dir = realpath(dirs[i], real) ? real : dirs[i];
        int len = snprintf(path, sizeof(path), "%s/cymetrics-%s.so", dir, name);
        if (len < 0 || (size_t)len >= sizeof(path))
            continue;
        if (i == 0)
            memcpy(first, path, (size_t)len + 1);
        else if (i == 1)
            if (snprintf(also, sizeof(also), " (nor in %s)", dir) < 0)
                also[0] = '\0';
        if (access(path, F_OK) != 0)
            continue;
        if (!(h = dlopen(path, RTLD_NOW | RTLD_LOCAL)))
            return cym_error_set(err, CYM_EIO, path, 0, 0, "cannot load the %s plugin: %s", name,
                                 dlerror());
    }
    if (!h)
        return cym_error_set(err, CYM_EIO, first, 0, 0,
                             "the %s plugin is missing%s: reinstall cymetrics, or set "
                             "CYM_PLUGIN_DIR to the folder that holds cymetrics-%s.so",
                             name, also, name);
    snprintf(sym, sizeof(sym), "cym__plugin_%s", name);
    const cym__plugin_head *head = dlsym(h, sym);
    if (!head || strcmp(head->version, CYM_VERSION) != 0 || head->size != size) {
        dlclose(h);
        return cym_error_set(err, CYM_EIO, path, 0, 0,
                             "not the %s plugin of cymetrics %s (reinstall cymetrics)", name,
                             CYM_VERSION);
    }
    *out = head;
    return CYM_OK;
}

cym_status cym__plugin_load(const void **out, const char *name, size_t size, cym_error *err)
{
    cym_status st = CYM_OK;
    *out = NULL;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_opened && !*out; i++)
        if (strcmp(opened[i].name, name) == 0)
            *out = opened[i].table;
    if (!*out && (st = open_plugin(out, name, size, err)) >= 0 && n_opened < MAX_PLUGINS) {
        snprintf(opened[n_opened].name, sizeof(opened[n_opened].name), "%s", name);
        opened[n_opened++].table = *out;
    }
    pthread_mutex_unlock(&lock);
    return st;
}

cym_status cym__library_open(void *fns, const char *const *names, size_t n, const char *soname,
                             cym_error *err)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return cym_error_set(err, CYM_EIO, soname, 0, 0, "cannot load the library: %s", dlerror());
    for (size_t i = 0; i < n; i++) {
        void *sym = dlsym(h, names[i]);
        if (!sym) {
            dlclose(h);
            return cym_error_set(err, CYM_EIO, soname, 0, 0, "the library has no %s", names[i]);
        }
        /* POSIX: a function's address comes back as a void * of the same representation */
        memcpy((char *)fns + i * sizeof(sym), &sym, sizeof(sym));
    }
    return CYM_OK;
}
