/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SHA-256 of input and output files for the manifest, with nettle. Outputs are hashed while
 * they are written (cym__sha256_fdopen): the manifest then takes the hash of a file it finds
 * unchanged (same device, inode, size and modification time) instead of reading it back, which
 * cost a full read of every output (5 % of a large run's CPU time, docs/performance.md). An
 * input hashed once (cym__sha256_file) is remembered the same way.
 */
#define _GNU_SOURCE /* fopencookie, sync_file_range */
#include "io/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "io/input.h"

void cym__hex(char *out, const unsigned char *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static void to_hex(char hex[65], struct sha256_ctx *ctx)
{
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, SHA256_DIGEST_SIZE, digest);
    cym__hex(hex, digest, SHA256_DIGEST_SIZE);
}

cym_status cym__sha256_fd(char hex[65], size_t *bytes, int fd, const char *path, cym_error *err)
{
    struct sha256_ctx ctx;
    unsigned char buf[65536];
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
    to_hex(hex, &ctx);
    if (bytes)
        *bytes = total;
    return CYM_OK;
}

static void remember(const struct stat *sb, const char hex[65]);

cym_status cym__sha256_file(char hex[65], size_t *bytes, const char *path, cym_error *err)
{
    FILE *f;
    struct stat sb;
    size_t n = 0;
    cym_status st = cym__input_open(&f, path, err);
    if (st < 0)
        return st;
    int known_stat = fstat(fileno(f), &sb) == 0;
    /* an input is hashed for the run's manifest and again for its report's: once is enough */
    if (known_stat && cym__sha256_recall(hex, &n, &sb)) {
        if (bytes)
            *bytes = n;
    } else if ((st = cym__sha256_fd(hex, &n, fileno(f), path, err)) >= 0) {
        if (bytes)
            *bytes = n;
        if (known_stat && (off_t)n == sb.st_size)
            remember(&sb, hex);
    }
    fclose(f);
    return st;
}

/* ---- hashed while written ----------------------------------------------------------------- */

/* What the process remembers of a file it wrote whole: its identity and its hash. */
typedef struct known {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    char hex[65];
} known;

/* tables may be written on several threads: the list is shared under a lock */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static known *list;
static size_t n_known, cap_known;

static int same_file(const known *k, const struct stat *sb)
{
    return k->dev == sb->st_dev && k->ino == sb->st_ino;
}

/* Removes entry i (the lock held). */
static void drop(size_t i)
{
    list[i] = list[--n_known];
}

static void remember(const struct stat *sb, const char hex[65])
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_known; i++)
        if (same_file(&list[i], sb)) {
            drop(i);
            break;
        }
    if (cym__grow_array(&list, &cap_known, n_known, sizeof(*list), 32) == 0) {
        known *k = &list[n_known++];
        k->dev = sb->st_dev;
        k->ino = sb->st_ino;
        k->size = sb->st_size;
        k->mtime = sb->st_mtim;
        memcpy(k->hex, hex, 65);
    } /* out of memory: the manifest reads the file back */
    pthread_mutex_unlock(&lock);
}

int cym__sha256_recall(char hex[65], size_t *bytes, const struct stat *sb)
{
    int found = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_known; i++) {
        const known *k = &list[i];
        if (!same_file(k, sb))
            continue;
        if (k->size == sb->st_size && k->mtime.tv_sec == sb->st_mtim.tv_sec &&
            k->mtime.tv_nsec == sb->st_mtim.tv_nsec) {
            memcpy(hex, k->hex, 65);
            *bytes = (size_t)k->size;
            found = 1;
        }
        break;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

void cym__sha256_forget(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_known; i++)
        if (same_file(&list[i], &sb)) {
            drop(i);
            break;
        }
    pthread_mutex_unlock(&lock);
}

typedef struct hashing {
    int fd;
    int bad; /* a write failed: nothing is remembered */
    int remember;
    off_t written, started, dropped; /* bytes written, written back (begun), dropped */
    off_t recycle;                   /* RECYCLE, or the test hook's */
    struct sha256_ctx ctx;
} hashing;

/*
 * A large file's pages leave memory as it is written. Left to the kernel, a run's GBs of output
 * stay in the page cache until well after the run: memory that each run takes fresh (on the
 * virtual machines measured, a page touched for the first time after the guest rested costs
 * the hypervisor about 3 ns a byte: 8 s for the 2.6 GB of a large run). For each RECYCLE bytes
 * written, their write-back is begun, and what was begun before, written back by then, is
 * waited for and dropped, so the pages of the next writes are those just freed. Only hints:
 * the set's syncfs still makes everything durable and reports a failed write-back.
 */
#define RECYCLE ((off_t)32 << 20)

static void recycle(hashing *h)
{
    for (; h->written - h->started >= h->recycle; h->started += h->recycle) {
        if (h->started > h->dropped &&
            sync_file_range(h->fd, h->dropped, h->started - h->dropped,
                            SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                                SYNC_FILE_RANGE_WAIT_AFTER) == 0) {
            (void)posix_fadvise(h->fd, h->dropped, h->started - h->dropped, POSIX_FADV_DONTNEED);
            h->dropped = h->started;
        }
        (void)sync_file_range(h->fd, h->started, h->recycle, SYNC_FILE_RANGE_WRITE);
    }
}

static ssize_t hashing_write(void *cookie, const char *buf, size_t size)
{
    hashing *h = cookie;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(h->fd, buf + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            h->bad = 1;
            break;
        }
        done += (size_t)n;
    }
    /* the bytes on disk are the bytes hashed, also after a short write */
    sha256_update(&h->ctx, done, (const unsigned char *)buf);
    h->written += (off_t)done;
    recycle(h);
    return (ssize_t)done; /* fopencookie: fewer than size marks the stream in error */
}

static int hashing_close(void *cookie)
{
    hashing *h = cookie;
    struct stat sb;
    int rc;
    if (!h->bad && h->remember && fstat(h->fd, &sb) == 0) {
        char hex[65];
        to_hex(hex, &h->ctx);
        remember(&sb, hex);
    }
    rc = close(h->fd);
    free(h);
    return rc;
}

FILE *cym__sha256_fdopen(int fd, int remember_it)
{
    static const cookie_io_functions_t io = {NULL, hashing_write, NULL, hashing_close};
    hashing *h = malloc(sizeof(*h));
    const char *test;
    FILE *f;
    if (!h)
        return NULL;
    h->fd = fd;
    h->bad = 0;
    h->remember = remember_it;
    h->written = h->started = h->dropped = 0;
    /* tests/cli/outset_checks.sh (j): the small files of a test dataset recycled too */
    test = getenv("CYMETRICS_TEST_RECYCLE");
    h->recycle = test && atol(test) > 0 ? (off_t)atol(test) : RECYCLE;
    sha256_init(&h->ctx);
    if (!(f = fopencookie(h, "wb", io)))
        free(h);
    return f;
}
