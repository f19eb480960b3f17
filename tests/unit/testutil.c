/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "testutil.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fail_on_gsl_error(const char *reason, const char *file, int line, int gsl_errno)
{
    fail_msg("GSL error %d at %s:%d: %s", gsl_errno, file, line, reason);
}

void cym_test_install_gsl_handler(void)
{
    gsl_set_error_handler(fail_on_gsl_error);
}

int cym_test_close(double a, double b, double rel)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    if (isinf(a) || isinf(b))
        return a == b;
    return fabs(a - b) <= 1e-12 + rel * fabs(b);
}

const char *cym_test_write_temp(const char *name, const char *text)
{
    static char paths[8][512];
    static int slot;
    static char dir[256];
    char *p = paths[slot++ % 8];
    FILE *f;

    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "%s/cymtest.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(dir))
            fail_msg("mkdtemp failed");
    }
    snprintf(p, 512, "%s/%s", dir, name);
    f = fopen(p, "wb");
    if (!f)
        fail_msg("cannot write %s", p);
    fputs(text, f);
    fclose(f);
    return p;
}
