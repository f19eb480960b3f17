/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The INI reader (libinih): each `key = value` goes through the key's row of the option
 * table, in the row's section, so a key means the same in the file and on the command line.
 * Relative paths are resolved against the INI file's folder. [framework] also takes
 * `YEARS = FILE`, one framework edition per line.
 *
 * inih does not report lines to its handler as built by Debian, so the stream reader below
 * counts them, and refuses lines longer than inih's fixed buffer instead of letting it split
 * them silently.
 */
#include <ini.h>
#include <stdio.h>
#include <string.h>

#include "config/options_internal.h"
#include "core/util.h"
#include "io/input.h"

typedef struct ini_ctx {
    FILE *f;
    cym_options *o;
    const char *path;
    char dir[CYM_PATH_MAX];
    unsigned long line;
    int too_long;
    cym_status status;
    unsigned long status_line; /* line of the error in `status` */
    cym_error *err;
} ini_ctx;

static char *read_line(char *str, int num, void *stream)
{
    ini_ctx *c = stream;
    size_t len;
    if (!fgets(str, num, c->f))
        return NULL;
    c->line++;
    len = strlen(str);
    if (len == (size_t)num - 1 && str[len - 1] != '\n' && !feof(c->f)) {
        c->too_long = 1;
        return NULL; /* stop: inih would split the line and misread the rest */
    }
    return str;
}

/* Keeps the status of one pair; a failure gets the file and line. Returns inih's "go on". */
static int done(ini_ctx *c, cym_status st)
{
    if (st < 0 && c->err) {
        snprintf(c->err->file, sizeof(c->err->file), "%s", c->path);
        c->err->line = c->line;
        c->err->column = 0;
    }
    c->status = st;
    return st >= 0;
}

/* A relative, non-empty path is taken from the INI file's folder. */
static cym_status resolve(ini_ctx *c, const char **value, char *buf, size_t n)
{
    if ((*value)[0] && (*value)[0] != '/' && c->dir[0]) {
        if (cym__path_join(buf, n, c->dir, *value) < 0)
            return cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0, "path too long");
        *value = buf;
    }
    return CYM_OK;
}

static int on_pair(void *user, const char *sec, const char *name, const char *value)
{
    ini_ctx *c = user;
    const cym__opt *row;
    char resolved[CYM_PATH_MAX];
    cym_status st;

    if (c->status < 0)
        return 0;
    c->status_line = c->line; /* kept only if this pair fails */
    if (strcmp(sec, "framework") == 0 && (name[0] == '-' || (name[0] >= '0' && name[0] <= '9'))) {
        if ((st = resolve(c, &value, resolved, sizeof(resolved))) < 0)
            return done(c, st);
        return done(c, cym__edition_add(&c->o->edition, name, value, c->path, c->line, c->err));
    }
    row = cym__opt_find(name);
    if (row && (row->flags & CYM__OPT_NO_INI))
        row = NULL;
    if (!row && strcmp(sec, "framework") == 0)
        return done(c, cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0,
                                     "unknown key '%s' in [framework] (expected YEARS = FILE, "
                                     "e.g. '2020- = indicators/x-v2.csv', or crosswalk = FILE)",
                                     name));
    if (!row) {
        const char *hint = cym_options_suggest(name);
        if (hint)
            return done(c, cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0,
                                         "unknown key '%s' in [%s] (did you mean '%s'?)", name,
                                         sec, hint));
        return done(c, cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0,
                                     "unknown key '%s' in [%s] (see docs/cli.md for the keys)",
                                     name, sec));
    }
    if (!sec[0])
        return done(c, cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0,
                                     "key '%s' is outside any section (put it under [%s])", name,
                                     row->info.section));
    if (strcmp(sec, row->info.section) != 0)
        return done(c, cym_error_set(c->err, CYM_EUSAGE, NULL, 0, 0,
                                     "key '%s' belongs in section [%s], not [%s]", name,
                                     row->info.section, sec));
    if (row->type == &cym__t_path && (st = resolve(c, &value, resolved, sizeof(resolved))) < 0)
        return done(c, st);
    return done(c, cym__opt_set(c->o, row, value, c->err));
}

cym_status cym_options_load_ini(cym_options *o, const char *path, cym_error *err)
{
    ini_ctx c;
    const char *slash;
    cym_status st;
    int r;

    memset(&c, 0, sizeof(c));
    c.o = o;
    c.path = path;
    c.err = err;
    slash = strrchr(path, '/');
    if (slash && (size_t)(slash - path) < sizeof(c.dir)) {
        memcpy(c.dir, path, (size_t)(slash - path));
        c.dir[slash - path] = '\0';
        if (slash == path)
            strcpy(c.dir, "/");
    }
    if ((st = cym__input_open(&c.f, path, err)) < 0) {
        /* a FIFO or a device keeps io's "not a regular file" */
        if (err && err->sys_errno)
            cym_error_set(err, CYM_EIO, path, 0, 0, "cannot open the configuration");
        return st;
    }
    r = ini_parse_stream(read_line, &c, on_pair, &c);
    fclose(c.f);
    if (c.too_long)
        return cym_error_set(err, CYM_EUSAGE, path, c.line, 0, "line longer than %d characters",
                             199);
    /* inih reports the first bad line but reads on; a syntax error before the first
     * rejected key is the first problem, and may be its cause (a broken section header) */
    if (c.status < 0 && !(r > 0 && (unsigned long)r < c.status_line))
        return c.status;
    if (r > 0)
        return cym_error_set(err, CYM_EUSAGE, path, (unsigned long)r, 0,
                             "syntax error (expected '[section]', 'key = value' or a comment)");
    if (r < 0)
        return cym_error_set(err, CYM_ENOMEM, path, 0, 0, "cannot read the configuration");
    snprintf(o->config, sizeof(o->config), "%s", path);
    return CYM_OK;
}
