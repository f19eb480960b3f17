/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The inputs are never written (docs/security.md): before a command that writes opens its
 * output folder, the folder is checked against every file and folder it reads (the
 * framework, the countries, the data, the INI file, expert weights, the crosswalk, every
 * edition's framework). The output folder may not be an input folder, lie inside one, or
 * contain an input; compared by resolved path and by device and inode, so another spelling,
 * a symbolic link or a bind mount does not get round it. A dataset's cymetrics.ini is not
 * trusted to choose where results go: its `out` must stay under reports/ of the working
 * folder (the command line's --out may go anywhere), and the dataset `name`, which names the
 * default folder reports/<name>, must be a plain name.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/util.h"

/* 1 when canonical path `a` is `b` or lies inside it */
static int within(const char *a, const char *b)
{
    size_t lb = strlen(b);
    if (strcmp(b, "/") == 0)
        return 1;
    return strncmp(a, b, lb) == 0 && (a[lb] == '\0' || a[lb] == '/');
}

/* 1 when an existing ancestor-or-self of canonical `path` has the device and inode of `st` */
static int under_inode(const char *path, const struct stat *st)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof(buf), "%s", path);
    for (;;) {
        struct stat a;
        char *slash;
        if (stat(buf, &a) == 0 && a.st_dev == st->st_dev && a.st_ino == st->st_ino)
            return 1;
        slash = strrchr(buf, '/');
        if (!slash || buf[0] == '\0' || strcmp(buf, "/") == 0)
            return 0;
        if (slash == buf)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
}

/*
 * Refuses `out` when it is or lies in the input folder `path` (pass 0), or holds the input
 * `path`, a file or a folder (pass 1).
 */
static int check_input(const char *command, const char *out, const char *path, int pass)
{
    char in[PATH_MAX];
    struct stat st, os;
    if (!path || !path[0] || stat(path, &st) != 0 || cym__path_canonical(in, sizeof(in), path) < 0)
        return 0; /* not there: its loader says so */
    if (pass == 0 && S_ISDIR(st.st_mode) && (within(out, in) || under_inode(out, &st)))
        return cli_usage_error(command,
                               "refusing to write results into an input folder ('%s' is or "
                               "lies in the input '%s'); choose another --out",
                               out, path);
    if (pass == 1 && (within(in, out) || (stat(out, &os) == 0 && under_inode(in, &os))))
        return cli_usage_error(command,
                               "refusing to write results into '%s': it holds the input '%s'; "
                               "choose another --out",
                               out, path);
    return 0;
}

static int from_command_line(const cli_args *a, const char *key)
{
    for (int i = 0; i < a->n_overrides; i++)
        if (strncmp(a->keys[i], key, strlen(key)) == 0 &&
            (a->keys[i][strlen(key)] == '\0' || a->keys[i][strlen(key)] == '='))
            return 1;
    return 0;
}

int cli_guard_outdir(cli_ctx *c)
{
    const cym_options *o = &c->o;
    const char *cmd = c->cmd->name;
    char out[PATH_MAX], reports[PATH_MAX];
    const char *name = o->output.name;
    int rc;

    if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return cli_usage_error(cmd,
                               "dataset name '%s' must be a plain name (it names the "
                               "folder reports/<name>)",
                               name);
    if (cym__path_canonical(out, sizeof(out), c->outdir) < 0)
        return cli_usage_error(cmd, "output path too long");
    if (o->out[0] && o->config[0] && !from_command_line(&c->a, "out")) {
        if (cym__path_canonical(reports, sizeof(reports), "reports") < 0 || !within(out, reports) ||
            strcmp(out, reports) == 0)
            return cli_usage_error(cmd,
                                   "%s: 'out = %s' would write outside reports/: only --out "
                                   "on the command line may choose another folder",
                                   o->config, o->out);
    }
    for (int pass = 0; pass < 2; pass++) {
        const char *inputs[] = {o->data,   o->countries,      o->framework,
                                o->config, o->expert_weights, o->edition.crosswalk};
        for (size_t i = 0; i < sizeof(inputs) / sizeof(*inputs); i++)
            if ((rc = check_input(cmd, out, inputs[i], pass)) != 0)
                return rc;
        for (size_t k = 0; k < o->edition.n; k++)
            if ((rc = check_input(cmd, out, o->edition.ed[k].path, pass)) != 0)
                return rc;
    }
    return 0;
}
