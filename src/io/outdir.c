/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Atomic output folder: temporary files ".NAME.tmp-PID" are created with O_EXCL|O_NOFOLLOW
 * (a symlink planted in the folder is never followed), written, synced to disk, and renamed
 * into place together at the end. rename(2) replaces a symlink itself, never its target, and
 * a sub-folder (charts/, audit/) that is a symlink is refused.
 */
#define _GNU_SOURCE /* syncfs */
#include "io/outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/util.h"
#include "io/hash.h"
#include "io/outset.h"

/* A file's stdio buffer. Not larger: glibc copies a write smaller than the buffer into it,
   and the large tables write blocks of rows of about 700 KB each (tables.c), which a 64 KiB
   buffer lets through to the hashing stream almost without a copy (a 1 MiB one copied all
   2.2 GB of a 2,000 x 500 x 20 run's tables: 0.35-1.2 s more in interleaved minimal runs) */
#define OUT_BUFSIZE ((size_t)64 << 10)

static cym_status io_error(cym_error *err, const char *path, const char *what, int e)
{
    cym_status st = cym_error_set(err, CYM_EIO, path, 0, 0, "%s: %s", what, strerror(e));
    if (err)
        err->sys_errno = e;
    return st;
}

cym_status cym__outdir_mkdirs(const char *dir, cym_error *err)
{
    char path[4096];
    size_t len = strlen(dir);
    struct stat sb;
    if (len >= sizeof(path))
        return cym_error_set(err, CYM_EUSAGE, dir, 0, 0, "output path too long");
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return io_error(err, path, "cannot create the output folder", errno);
        if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
            return cym_error_set(err, CYM_EIO, path, 0, 0,
                                 "cannot create the output folder: a file is in the way");
        if (i < len)
            path[i] = '/';
    }
    return CYM_OK;
}

cym_status cym__outdir_open(cym__outdir *od, const char *dir, cym_error *err)
{
    memset(od, 0, sizeof(*od));
    od->dir = cym__strdup(dir);
    if (!od->dir)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    return cym__outdir_mkdirs(dir, err);
}

static char *concat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *p = malloc(la + lb + lc + 1);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    memcpy(p + la, b, lb);
    memcpy(p + la + lb, c, lc + 1);
    return p;
}

/* cym__outdir_create; `remember`: the hash of what is written is kept for the manifest */
static cym_status create_file(FILE **out, cym__outdir *od, const char *name, int remember,
                              cym_error *err)
{
    cym__outfile *f;
    char suffix[48];
    const char *slash = strrchr(name, '/');
    char *tmpname;
    struct stat sb;
    int fd;

    *out = NULL;
    if (cym__grow_array(&od->files, &od->cap, od->n, sizeof(*od->files), 16) < 0)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    if (slash) {
        char sub[4096];
        int w = snprintf(sub, sizeof(sub), "%s/%.*s", od->dir, (int)(slash - name), name);
        cym_status st;
        if (w < 0 || (size_t)w >= sizeof(sub))
            return cym_error_set(err, CYM_EUSAGE, od->dir, 0, 0, "output path too long");
        if ((st = cym__outdir_mkdirs(sub, err)) < 0)
            return st;
        /* a sub-folder of the output folder that is a symlink would take the files (and
         * the renames) elsewhere: refuse it (the output folder itself is the user's choice) */
        if (lstat(sub, &sb) != 0 || !S_ISDIR(sb.st_mode))
            return cym_error_set(err, CYM_EIO, sub, 0, 0,
                                 "is a symbolic link or not a folder; refusing to write "
                                 "through it (remove it)");
    }
    f = &od->files[od->n];
    snprintf(suffix, sizeof(suffix), ".tmp-%ld", (long)getpid());
    f->final = concat3(od->dir, "/", name);
    /* the temporary file sits beside the final one, hidden: dir/[sub/].NAME.tmp-PID */
    if (slash) {
        char *head = malloc((size_t)(slash - name) + 2);
        if (head) {
            memcpy(head, name, (size_t)(slash - name) + 1);
            head[slash - name + 1] = '\0';
            tmpname = concat3(head, ".", slash + 1);
            free(head);
        } else {
            tmpname = NULL;
        }
    } else {
        tmpname = concat3("", ".", name);
    }
    f->tmp = tmpname ? concat3(od->dir, "/", tmpname) : NULL;
    free(tmpname);
    if (f->tmp) {
        char *t = concat3(f->tmp, suffix, "");
        free(f->tmp);
        f->tmp = t;
    }
    f->name = cym__strdup(name);
    f->buf = NULL;
    f->wb_fd = -1;
    if (!f->final || !f->tmp || !f->name) {
        free(f->final);
        free(f->tmp);
        free(f->name);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    od->n++;
    unlink(f->tmp); /* a leftover of a killed run with the same pid */
    fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return io_error(err, f->final, "cannot write", errno);
    /* in a set's stage its write-back may start when it is closed (cym__outdir_close,
       cym__outset_writeback), from a descriptor of its own: the stream's is not reachable
       (fileno -1) and closed with it; without one the commit's syncfs writes the file all the
       same */
    if (remember && cym__outset_staging(od->dir))
        f->wb_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    /* hashed on the way (io/hash.c): the manifest need not read the file back */
    *out = cym__sha256_fdopen(fd, remember);
    if (!*out) { /* its only failure */
        close(fd);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* glibc ignores the size when given no buffer: give it one */
    f->buf = malloc(OUT_BUFSIZE);
    if (f->buf)
        setvbuf(*out, f->buf, _IOFBF, OUT_BUFSIZE);
    return CYM_OK;
}

cym_status cym__outdir_create(FILE **out, cym__outdir *od, const char *name, cym_error *err)
{
    return create_file(out, od, name, 1, err);
}

cym_status cym__outdir_close(cym__outdir *od, FILE *f, const char *name, cym_error *err)
{
    int bad = 0, e = 0;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", od->dir, name);
    if (fflush(f) != 0 || ferror(f)) {
        bad = 1;
        e = errno;
    }
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    for (size_t i = 0; i < od->n; i++)
        if (od->files[i].name && strcmp(od->files[i].name, name) == 0) {
            cym__outfile *o = &od->files[i];
            free(o->buf);
            o->buf = NULL;
            if (o->wb_fd >= 0 && (bad || !cym__outset_writeback(od->dir, o->wb_fd)))
                close(o->wb_fd);
            o->wb_fd = -1;
        }
    if (bad)
        return io_error(err, path, "cannot write", e ? e : EIO);
    return CYM_OK;
}

cym_status cym__outdir_write(cym__outdir *od, const char *name, cym__outdir_fill_fn fn,
                             const void *arg, cym_error *err)
{
    FILE *f;
    cym_status st = cym__outdir_create(&f, od, name, err);
    if (st < 0)
        return st;
    fn(f, arg);
    return cym__outdir_close(od, f, name, err);
}

cym_status cym__outdir_printf(cym__outdir *od, const char *name, cym_error *err, const char *fmt,
                              ...)
{
    FILE *f;
    va_list ap;
    cym_status st = cym__outdir_create(&f, od, name, err);
    if (st < 0)
        return st;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    return cym__outdir_close(od, f, name, err);
}

cym_status cym__outdir_reserve(const char **tmp_path, cym__outdir *od, const char *name,
                               cym_error *err)
{
    FILE *f;
    cym_status st;
    *tmp_path = NULL;
    /* another writer fills it: its hash is whatever the file holds then */
    if ((st = create_file(&f, od, name, 0, err)) < 0)
        return st;
    if ((st = cym__outdir_close(od, f, name, err)) < 0)
        return st;
    *tmp_path = od->files[od->n - 1].tmp;
    return CYM_OK;
}

/* Removes f's temporary file, unless committed (tmp NULL), and frees what f holds. */
static void outfile_free(cym__outfile *f)
{
    if (f->wb_fd >= 0) /* created and never closed */
        close(f->wb_fd);
    if (f->tmp) {
        cym__sha256_forget(f->tmp); /* its inode may be reused by another file */
        unlink(f->tmp);
    }
    free(f->tmp);
    free(f->final);
    free(f->name);
    free(f->buf);
}

void cym__outdir_drop(cym__outdir *od, const char *name)
{
    for (size_t i = 0; i < od->n; i++) {
        cym__outfile *f = &od->files[i];
        if (!f->name || strcmp(f->name, name) != 0)
            continue;
        outfile_free(f);
        od->files[i] = od->files[--od->n];
        return;
    }
}

cym_status cym__outdir_commit(cym__outdir *od, cym_error *err)
{
    /* the data on disk before any name points at it: one syncfs for all the files (an
       fsync per file costs a millisecond or more each), then the renames, then the folder;
       in the stage of a result set, the set's commit syncs it all once (io/outset.h) */
    int staged = cym__outset_staging(od->dir);
    int dfd = open(od->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return io_error(err, od->dir, "cannot open the output folder", errno);
    if (!staged && syncfs(dfd) != 0) {
        int e = errno;
        close(dfd);
        return io_error(err, od->dir, "cannot write", e);
    }
    for (size_t i = 0; i < od->n; i++) {
        cym__outfile *f = &od->files[i];
        if (rename(f->tmp, f->final) != 0) {
            int e = errno;
            close(dfd);
            return io_error(err, f->final, "cannot move the result into place", e);
        }
        free(f->tmp);
        f->tmp = NULL;
    }
    if (!staged)
        fsync(dfd); /* the renames themselves; failure here loses nothing already written */
    close(dfd);
    return CYM_OK;
}

void cym__outdir_free(cym__outdir *od)
{
    for (size_t i = 0; i < od->n; i++)
        outfile_free(&od->files[i]);
    free(od->files);
    free(od->dir);
    memset(od, 0, sizeof(*od));
}

/* ---- the inputs are never written ------------------------------------------------------ */

/* 1 when an existing ancestor-or-self of canonical `path` has the device and inode of `st` */
static int under_inode(const char *path, const struct stat *st)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof(buf), "%s", path);
    for (;;) {
        struct stat a;
        char *slash;
        if (stat(buf, &a) == 0 && a.st_dev == st->st_dev && a.st_ino == st->st_ino)
            return 1;
        slash = strrchr(buf, '/');
        if (!slash || buf[0] == '\0' || strcmp(buf, "/") == 0)
            return 0;
        if (slash == buf)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
}

/*
 * Refuses the canonical `out` when it is or lies in the input folder `path` (pass 0), or holds
 * the input `path`, a file or a folder (pass 1).
 */
static cym_status check_input(const char *out, const char *path, int pass, cym_error *err)
{
    char in[PATH_MAX];
    struct stat st, os;
    if (!path || !path[0] || stat(path, &st) != 0 || cym__path_canonical(in, sizeof(in), path) < 0)
        return CYM_OK; /* not there: its loader says so */
    if (pass == 0 && S_ISDIR(st.st_mode) && (cym__path_within(out, in) || under_inode(out, &st)))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "refusing to write results into an input folder ('%s' is or lies "
                             "in the input '%s'); choose another --out",
                             out, path);
    if (pass == 1 && (cym__path_within(in, out) || (stat(out, &os) == 0 && under_inode(in, &os))))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "refusing to write results into '%s': it holds the input '%s'; "
                             "choose another --out",
                             out, path);
    return CYM_OK;
}

cym_status cym__outdir_refuse_inputs(const char *dir, const char *const *inputs, size_t n,
                                     cym_error *err)
{
    char out[PATH_MAX];
    cym_status st;
    if (cym__path_canonical(out, sizeof(out), dir) < 0)
        return cym_error_set(err, CYM_EUSAGE, dir, 0, 0, "output path too long");
    /* first every folder the output is or lies in, then every input it would hold */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++)
            if ((st = check_input(out, inputs[i], pass, err)) < 0)
                return st;
    return CYM_OK;
}
