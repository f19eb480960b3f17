/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the framework loader (src/framework/framework.c), the whole input a file. */
#include <stdlib.h>

#include "cymetrics/framework.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cym_framework *fw = NULL;
    fuzz_file f;
    cym_error err;
    cym_status st;

    fuzz_file_open(&f, data, size);
    cym_error_clear(&err);
    st = cym_framework_load(&fw, f.path, &err);
    /* a status and the result agree: a framework on success, none on failure, a message */
    if ((st >= 0) != (fw != NULL) || (st < 0 && (err.code != st || !err.message[0])))
        abort();
    cym_framework_free(fw);
    fuzz_file_close(&f);
    return 0;
}
