/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The inputs are never written (docs/security.md): before a command that writes opens its
 * output folder, the folder is checked against every file and folder it reads (the
 * framework, the countries, the data, the INI file, expert weights, the crosswalk, the
 * goalposts file, every edition's framework), with io's cym__outdir_refuse_inputs (the run
 * module checks its own inputs with it again, for callers of the library). A dataset's
 * cymetrics.ini is not trusted to choose where results go: its `out` must stay under reports/ of
 * the working folder (the command line's --out may go anywhere), and the dataset `name`, which
 * names the default folder reports/<name>, must be a plain name.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "io/outdir.h"

int cli_guard_outdir(cli_ctx *c)
{
    const cym_options *o = &c->o;
    const char *cmd = c->cmd->name;
    char out[PATH_MAX], reports[PATH_MAX];
    const char *name = o->output.name;

    if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return cli_usage_error(cmd,
                               "dataset name '%s' must be a plain name (it names the "
                               "folder reports/<name>)",
                               name);
    if (cym__path_canonical(out, sizeof(out), c->outdir) < 0)
        return cli_usage_error(cmd, "output path too long");
    if (o->out[0] && o->config[0] && !cli_given(&c->a, "out")) {
        if (cym__path_canonical(reports, sizeof(reports), "reports") < 0 ||
            !cym__path_within(out, reports) || strcmp(out, reports) == 0)
            return cli_usage_error(cmd,
                                   "%s: 'out = %s' would write outside reports/: only --out "
                                   "on the command line may choose another folder",
                                   o->config, o->out);
    }
    {
        const char *inputs[7 + CYM_MAX_EDITIONS] = {
            o->data,           o->countries,         o->framework, o->config,
            o->expert_weights, o->edition.crosswalk, o->goalposts};
        size_t n = 7;
        cym_error err;
        for (size_t k = 0; k < o->edition.n; k++)
            inputs[n++] = o->edition.ed[k].path;
        if (cym__outdir_refuse_inputs(out, inputs, n, &err) < 0)
            return cli_usage_error(cmd, "%s", err.message);
    }
    return 0;
}
