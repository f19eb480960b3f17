/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Temporary entry point while the CLI is written. */
#include <stdio.h>
int main(void)
{
    puts("cymetrics " CYM_VERSION);
    return 0;
}
