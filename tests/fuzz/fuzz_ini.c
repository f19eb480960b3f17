/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the INI configuration (src/config/options.c on libinih). After a successful
 * load every key is read back, so the formatting of each value is exercised too.
 */
#include <stdlib.h>
#include <string.h>

#include "cymetrics/options.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {
        "name",        "title",      "framework", "countries", "data",      "years",
        "denominate",  "impute",     "treat",     "winmax",    "skew-max",  "kurt-max",
        "normalise",   "range",      "scope",     "aggregate", "weights",   "min-coverage",
        "tiers",       "rank-ties",  "out",       "charts",    "highlight", "runs",
        "seed",        "weight-noise", "alt-normalise", "alt-aggregate", "alt-impute",
        "alt-treat",   "exclude-one", "sobol",    "threads",   "keep-runs", "delimiter",
        "decimal",
    };
    cym_options *o = malloc(sizeof(*o));
    fuzz_file f;
    cym_error err;
    char buf[4096];

    if (!o)
        return 0;
    cym_options_default(o);
    fuzz_file_open(&f, data, size);
    cym_error_clear(&err);
    if (cym_options_load_ini(o, f.path, &err) >= 0)
        for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
            if (cym_options_is_key(keys[i]))
                cym_options_get(o, keys[i], buf, sizeof(buf));
    fuzz_file_close(&f);
    free(o);
    return 0;
}
