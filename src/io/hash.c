/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SHA-256 of input and output files for the manifest, with nettle. */
#include "io/hash.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/input.h"

cym_status cym__sha256_fd(char hex[65], size_t *bytes, int fd, const char *path, cym_error *err)
{
    struct sha256_ctx ctx;
    unsigned char buf[65536], digest[SHA256_DIGEST_SIZE];
    size_t total = 0;
    ssize_t n;
    sha256_init(&ctx);
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return cym_error_set(err, CYM_EIO, path, 0, 0, "read error: %s", strerror(errno));
        }
        sha256_update(&ctx, (size_t)n, buf);
        total += (size_t)n;
    }
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    if (bytes)
        *bytes = total;
    return CYM_OK;
}

cym_status cym__sha256_file(char hex[65], size_t *bytes, const char *path, cym_error *err)
{
    FILE *f;
    cym_status st = cym__input_open(&f, path, err);
    if (st < 0)
        return st;
    st = cym__sha256_fd(hex, bytes, fileno(f), path, err);
    fclose(f);
    return st;
}
