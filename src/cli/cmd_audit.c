/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/cli.h"
int cmd_audit(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return EXIT_INTERNAL;
}
