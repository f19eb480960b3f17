/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `cymetrics run`: the index pipeline. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cymetrics: run: not implemented yet; use 'cymetrics validate'\n");
    return EXIT_INTERNAL;
}
