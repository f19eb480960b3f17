/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _XOPEN_SOURCE 700 /* nftw */
#include "testutil.h"

#include <ftw.h>
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

int cym_test_load_bundled(cym_framework **fw, cym_dataset **ds)
{
    cym_dataset_paths p = {CYM_SOURCE_DIR "/datasets/asean-japan/countries.csv",
                           CYM_SOURCE_DIR "/datasets/asean-japan"};
    cym_error err;
    if (cym_framework_load(fw, CYM_SOURCE_DIR "/indicators/asean-japan.csv", &err) < 0 ||
        cym_dataset_load(ds, *fw, &p, NULL, &err) < 0)
        return -1;
    return 0;
}

/* ---- temporary folders, removed when the test program exits ---- */

static char **temp_dirs;
static size_t n_temp_dirs;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) != 0 ? 0 : 0; /* best effort: go on with the others */
}

static void remove_temp_dirs(void)
{
    for (size_t i = 0; i < n_temp_dirs; i++) {
        nftw(temp_dirs[i], remove_one, 16, FTW_DEPTH | FTW_PHYS);
        free(temp_dirs[i]);
    }
    free(temp_dirs);
    temp_dirs = NULL;
    n_temp_dirs = 0;
}

char *cym_test_tempdir(char *buf, size_t n, const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, n, "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
    if (!mkdtemp(buf))
        return NULL;
    if (n_temp_dirs == 0)
        atexit(remove_temp_dirs);
    char **grown = realloc(temp_dirs, (n_temp_dirs + 1) * sizeof(*temp_dirs));
    if (grown && (grown[n_temp_dirs] = strdup(buf)) != NULL)
        n_temp_dirs++;
    temp_dirs = grown ? grown : temp_dirs;
    return buf;
}

const char *cym_test_write_temp(const char *name, const char *text)
{
    static char paths[8][512];
    static int slot;
    static char dir[256];
    char *p = paths[slot++ % 8];
    FILE *f;

    if (!dir[0]) {
        if (!cym_test_tempdir(dir, sizeof(dir), "cymtest"))
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
