/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_TESTUTIL_H
#define CYM_TESTUTIL_H
/* Shared helpers for the cmocka unit tests. Include after <cmocka.h>'s prerequisites. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cymetrics/edition.h"
#include "cymetrics/options.h"
#include "cymetrics/uncertainty.h"

/** Installs a GSL error handler that fails the running test (call at the start of main). */
void cym_test_install_gsl_handler(void);

/** |a - b| <= 1e-12 + rel |b|, with NaN equal only to NaN. */
int cym_test_close(double a, double b, double rel);

#define assert_close(a, b) assert_close_rel((a), (b), 1e-9)
#define assert_close_rel(a, b, rel)                                                           \
    do {                                                                                       \
        double a_ = (a), b_ = (b);                                                             \
        if (!cym_test_close(a_, b_, (rel)))                                                    \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                \
    } while (0)

/** Loads the bundled dataset (indicators/asean-japan.csv, datasets/asean-japan) into *fw and
 *  *ds; -1 on failure (a cmocka group setup's result). */
int cym_test_load_bundled(cym_framework **fw, cym_dataset **ds);

/** Makes a new folder `$TMPDIR/PREFIX.XXXXXX` (TMPDIR or /tmp) in buf[0..n), removed with
 *  everything in it when the test program exits; NULL when it cannot be made. */
char *cym_test_tempdir(char *buf, size_t n, const char *prefix);

/** Writes `text` to a new temporary file and returns its path (static buffer per call slot). */
const char *cym_test_write_temp(const char *name, const char *text);

/* The options of one call, from a cym_options (compound literals: valid in the enclosing
   block). */
#define TEST_UNC_OPTIONS(o, prog, user)                                                            \
    (&(cym_uncertainty_options){                                                                   \
        .run = (o)->run, .spec = (o)->unc, .progress = (prog), .progress_user = (user)})
#define TEST_EDITIONS_OPTIONS(o)                                                                   \
    (&(cym_editions_options){.spec = &(o)->edition,                                                \
                             .run = (o)->run,                                                      \
                             .paths = {.countries = (o)->countries, .data = (o)->data},            \
                             .format = {.delimiter = (o)->delimiter, .decimal = (o)->decimal}})

#endif
