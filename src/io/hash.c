/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SHA-256 of input files for the manifest, with nettle. */
#include "io/hash.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "io/input.h"

cym_status cym__sha256_file(char hex[65], size_t *bytes, const char *path, cym_error *err)
{
    struct sha256_ctx ctx;
    unsigned char buf[65536], digest[SHA256_DIGEST_SIZE];
    size_t n, total = 0;
    FILE *f;
    cym_status st = cym__input_open(&f, path, err);
    if (st < 0)
        return st;
    sha256_init(&ctx);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        sha256_update(&ctx, n, buf);
        total += n;
    }
    if (ferror(f)) {
        fclose(f);
        return cym_error_set(err, CYM_EIO, path, 0, 0, "read error");
    }
    fclose(f);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    if (bytes)
        *bytes = total;
    return CYM_OK;
}
