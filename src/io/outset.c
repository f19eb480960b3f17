/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The output folder as one set, swapped whole. Every output of a command is written into a
 * hidden staging folder beside the destination, <parent>/.<name>.stage-<pid>; at the end the
 * stage is synced and exchanged with the destination in one step, renameat2(RENAME_EXCHANGE)
 * (Linux 3.15; ext4, xfs, btrfs, tmpfs), so the destination holds the old set or the new one
 * and never a mixture; the old set, now under the staging name, is then removed with
 * openat/unlinkat without following links. A lock beside the destination, <parent>/.<name>.lock
 * (flock), keeps a second command out while the first writes, and whoever holds it removes the
 * stages of killed runs. Everything is done relative to the parent's descriptor, so a folder
 * swapped for a link in between is not followed.
 */
#define _GNU_SOURCE /* renameat2, syncfs, fdopendir */
#include "io/outset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/util.h"
#include "io/hash.h"
#include "io/outdir.h"

#define MAX_DEPTH 32

static cym_status sys_error(cym_error *err, const char *path, const char *what, int e)
{
    cym_status st = cym_error_set(err, CYM_EIO, path, 0, 0, "%s: %s", what, strerror(e));
    if (err)
        err->sys_errno = e;
    return st;
}

/* ---- the stages of this process ------------------------------------------------------- */

/* the stages begun and not yet committed or freed (a command has one; past MAX_LIVE, the
   writers into a stage sync their files themselves, as before) */
#define MAX_LIVE 8
static const cym__outset *live[MAX_LIVE];
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

static void live_set(const cym__outset *s, int on)
{
    pthread_mutex_lock(&live_lock);
    for (size_t i = 0; i < MAX_LIVE; i++)
        if (on ? !live[i] : live[i] == s) {
            live[i] = on ? s : NULL;
            break;
        }
    pthread_mutex_unlock(&live_lock);
}

int cym__outset_staging(const char *dir)
{
    int yes = 0;
    pthread_mutex_lock(&live_lock);
    for (size_t i = 0; i < MAX_LIVE && !yes; i++) {
        size_t l = live[i] ? strlen(live[i]->stage) : 0;
        yes = l && strncmp(dir, live[i]->stage, l) == 0 && (dir[l] == '\0' || dir[l] == '/');
    }
    pthread_mutex_unlock(&live_lock);
    return yes;
}

/* ---- removing a tree ------------------------------------------------------------------ */

/*
 * A folder's files are unlinked by several threads at once. On a file system mounted with
 * online discard (ext4 -o discard, as on the virtual machines measured) each unlink of a file
 * waits for the device to discard its blocks, and those waits overlap: removing the earlier
 * set of the minimal ASEM run took 2.0 ms one by one (docs/performance.md, "Start-up"). The
 * folders go after what they hold, deepest first. Links are removed, not followed.
 */
#define REMOVERS 8
#define MAX_WALKED 64

typedef struct tree_entry {
    DIR *parent; /* NULL: the descriptor given */
    DIR *self;   /* a folder's, open until its files are gone */
    char *name;
} tree_entry;

typedef struct tree {
    int top;                  /* the descriptor given */
    tree_entry *files, *dirs; /* dirs after what they hold */
    size_t n_files, n_dirs, cap_files, cap_dirs, next;
    pthread_mutex_t lock;
} tree;

static int tree_add(tree_entry **v, size_t *n, size_t *cap, DIR *parent, DIR *self,
                    const char *name)
{
    char *copy = strdup(name);
    if (!copy || cym__grow_array(v, cap, *n, sizeof(**v), 16) < 0) {
        free(copy);
        return -1;
    }
    (*v)[(*n)++] = (tree_entry){parent, self, copy};
    return 0;
}

static int entry_fd(const tree *t, const tree_entry *e)
{
    return e->parent ? dirfd(e->parent) : t->top;
}

static void *tree_unlink(void *arg)
{
    tree *t = arg;
    for (;;) {
        size_t k;
        pthread_mutex_lock(&t->lock);
        k = t->next++;
        pthread_mutex_unlock(&t->lock);
        if (k >= t->n_files)
            return NULL;
        unlinkat(entry_fd(t, &t->files[k]), t->files[k].name, 0);
    }
}

/* removes the files listed, then the folders listed (each walked whole) */
static void tree_flush(tree *t)
{
    pthread_t th[REMOVERS - 1];
    size_t started = 0;
    t->next = 0;
    /* one file per thread at least; a thread that cannot start leaves its share to the others */
    while (started + 1 < REMOVERS && started + 1 < t->n_files &&
           pthread_create(&th[started], NULL, tree_unlink, t) == 0)
        started++;
    tree_unlink(t);
    while (started > 0)
        pthread_join(th[--started], NULL);
    for (size_t i = 0; i < t->n_files; i++)
        free(t->files[i].name);
    for (size_t i = 0; i < t->n_dirs; i++) {
        closedir(t->dirs[i].self);
        unlinkat(entry_fd(t, &t->dirs[i]), t->dirs[i].name, AT_REMOVEDIR);
        free(t->dirs[i].name);
    }
    t->n_files = t->n_dirs = 0;
}

/* lists the folder `name` in `parent` (NULL: t->top) into t, and removes what is listed each
   time MAX_WALKED folders are (the descriptors open stay few); what cannot be listed stays */
static void tree_walk(tree *t, DIR *parent, const char *name, int depth)
{
    struct dirent *e;
    DIR *d;
    int fd = openat(parent ? dirfd(parent) : t->top, name,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    if (!(d = fdopendir(fd))) {
        close(fd);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        struct stat sb;
        int dir = e->d_type == DT_DIR;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (e->d_type == DT_UNKNOWN)
            dir =
                fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode);
        if (dir && depth < MAX_DEPTH)
            tree_walk(t, d, e->d_name, depth + 1);
        else if (!dir && tree_add(&t->files, &t->n_files, &t->cap_files, d, NULL, e->d_name) < 0)
            break;
    }
    if (tree_add(&t->dirs, &t->n_dirs, &t->cap_dirs, parent, d, name) < 0) {
        tree_flush(t); /* its files are removed; the folder stays */
        closedir(d);
    } else if (t->n_dirs >= MAX_WALKED) {
        tree_flush(t);
    }
}

/* Removes `name` in `dfd` and, for a folder, all it holds. */
static void remove_tree(int dfd, const char *name)
{
    tree t;
    if (unlinkat(dfd, name, 0) == 0 || (errno != EISDIR && errno != EPERM))
        return;
    memset(&t, 0, sizeof(t));
    t.top = dfd;
    pthread_mutex_init(&t.lock, NULL);
    tree_walk(&t, NULL, name, 0);
    tree_flush(&t);
    free(t.files);
    free(t.dirs);
    pthread_mutex_destroy(&t.lock);
}

/* 1 when `entry` is ".<name><kind><digits>" (a stage or old set of a run into `name`) */
static int is_leftover(const char *entry, const char *name, const char *kind)
{
    size_t ln = strlen(name), lk = strlen(kind);
    const char *p = entry + 1 + ln + lk;
    if (entry[0] != '.' || strncmp(entry + 1, name, ln) != 0 || strncmp(entry + 1 + ln, kind, lk))
        return 0;
    if (!*p)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

/*
 * Under the lock: a destination missing beside an .old set is a fallback swap killed between
 * its renames, so the old set goes back; then every stage and old set left is removed.
 */
static void clean_leftovers(cym__outset *s)
{
    struct stat sb;
    struct dirent *e;
    int fd = dup(s->parent_fd);
    int missing = fstatat(s->parent_fd, s->name, &sb, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT;
    DIR *d;
    if (fd < 0)
        return;
    if (!(d = fdopendir(fd))) {
        close(fd);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        struct stat ob;
        if (missing && is_leftover(e->d_name, s->name, ".old-") &&
            fstatat(s->parent_fd, e->d_name, &ob, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISDIR(ob.st_mode)) { /* a folder, never a link planted under that name */
            if (renameat(s->parent_fd, e->d_name, s->parent_fd, s->name) == 0) {
                missing = 0;
                continue;
            }
        }
        if (is_leftover(e->d_name, s->name, ".stage-") || is_leftover(e->d_name, s->name, ".old-"))
            remove_tree(s->parent_fd, e->d_name);
    }
    closedir(d);
}

/* 1 when the folder `fd` (taken over) holds nothing */
static int is_empty(int fd)
{
    struct dirent *e;
    int empty = 1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return 0;
    }
    while (empty && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = 0;
    closedir(d);
    return empty;
}

/* May the destination be replaced? Missing, an empty folder, or an earlier result set. */
static cym_status check_dest(const cym__outset *s, cym__outset_accept_fn accept, cym_error *err)
{
    struct stat sb;
    int fd;
    if (fstatat(s->parent_fd, s->name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return CYM_OK;
        return sys_error(err, s->dest, "cannot use the output folder", errno);
    }
    if (S_ISLNK(sb.st_mode))
        return cym_error_set(err, CYM_EUSAGE, s->dest, 0, 0,
                             "the output folder is a symbolic link to nothing; remove it or "
                             "choose another --out");
    if (!S_ISDIR(sb.st_mode))
        return cym_error_set(err, CYM_EUSAGE, s->dest, 0, 0,
                             "the output folder exists and is not a folder; choose another --out");
    fd = openat(s->parent_fd, s->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return sys_error(err, s->dest, "cannot open the output folder", errno);
    if (is_empty(fd) || (accept && accept(s->dest)))
        return CYM_OK;
    return cym_error_set(err, CYM_EUSAGE, s->dest, 0, 0,
                         "the output folder holds files that are not a cymetrics result set "
                         "(no manifest.json of one); refusing to replace them: choose a new or "
                         "empty folder with --out");
}

/*
 * Takes the lock: flock of <parent>/.<name>.lock, without waiting. The holder removes the file
 * when it is done (a failed command leaves nothing behind), so a lock taken on a file already
 * removed or replaced is no lock: its holder checks that the name is still its file, else
 * tries again.
 */
static cym_status take_lock(cym__outset *s, cym_error *err)
{
    snprintf(s->lock_name, sizeof(s->lock_name), ".%s.lock", s->name);
    for (int tries = 0; tries < 100; tries++) {
        struct stat a, b;
        int fd =
            openat(s->parent_fd, s->lock_name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0)
            return sys_error(err, s->dest, "cannot create the lock file beside the output folder",
                             errno);
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e == EWOULDBLOCK)
                return cym_error_set(err, CYM_EIO, s->dest, 0, 0,
                                     "another cymetrics command is writing into this folder (it "
                                     "holds %s/%s); try again when it has finished",
                                     s->parent, s->lock_name);
            return sys_error(err, s->dest, "cannot lock the output folder", e);
        }
        if (fstat(fd, &a) == 0 &&
            fstatat(s->parent_fd, s->lock_name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
            a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            s->lock_fd = fd;
            return CYM_OK;
        }
        close(fd); /* its holder removed it in between: take the new one */
    }
    return cym_error_set(err, CYM_EIO, s->dest, 0, 0, "cannot lock the output folder");
}

cym_status cym__outset_begin(cym__outset *s, const char *dest, cym__outset_accept_fn accept,
                             cym_error *err)
{
    char canon[PATH_MAX];
    const char *slash;
    cym_status st;

    memset(s, 0, sizeof(*s));
    s->parent_fd = s->lock_fd = -1;
    /* a destination that is a symbolic link to a folder: that folder is the set (the link
       stays); the canonical path resolves every link of the parent as well */
    if (cym__path_canonical(canon, sizeof(canon), dest) < 0)
        return cym_error_set(err, CYM_EUSAGE, dest, 0, 0, "output path too long");
    slash = strrchr(canon, '/');
    if (!slash || !slash[1] || strlen(slash + 1) > 200)
        return cym_error_set(err, CYM_EUSAGE, dest, 0, 0,
                             "cannot use this output folder (the root, or a name over 200 bytes)");
    s->dest = cym__strdup(canon);
    s->name = cym__strdup(slash + 1);
    s->parent = slash == canon ? cym__strdup("/") : cym__strdup(canon);
    if (!s->dest || !s->name || !s->parent)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    if (slash != canon)
        s->parent[slash - canon] = '\0';
    {
        /* the parent folders made here go again if the set is not committed */
        char probe[PATH_MAX];
        struct stat sb;
        snprintf(probe, sizeof(probe), "%s", s->parent);
        for (char *cut; stat(probe, &sb) != 0 && (cut = strrchr(probe, '/')) && cut != probe;) {
            free(s->made);
            if (!(s->made = cym__strdup(probe)))
                return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            *cut = '\0';
        }
    }
    if ((st = cym__outdir_mkdirs(s->parent, err)) < 0)
        return st;
    s->parent_fd = open(s->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->parent_fd < 0)
        return sys_error(err, s->parent, "cannot open the output folder's parent", errno);

    if ((st = take_lock(s, err)) < 0)
        return st;
    clean_leftovers(s);
    if ((st = check_dest(s, accept, err)) < 0)
        return st;
    snprintf(s->stage_name, sizeof(s->stage_name), ".%s.stage-%ld", s->name, (long)getpid());
    if (mkdirat(s->parent_fd, s->stage_name, 0777) != 0)
        return sys_error(err, s->dest, "cannot create the staging folder beside the output folder",
                         errno);
    s->stage = malloc(strlen(s->parent) + strlen(s->stage_name) + 2);
    if (!s->stage)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    sprintf(s->stage, "%s/%s", strcmp(s->parent, "/") ? s->parent : "", s->stage_name);
    live_set(s, 1);
    return CYM_OK;
}

/* ---- the files of the stage ------------------------------------------------------------ */

typedef struct walk {
    cym__outset_file *f;
    size_t n, cap;
    cym_error *err;
    const char *root;
} walk;

static cym_status walk_dir(walk *w, int dfd, const char *prefix, int depth)
{
    struct dirent *e;
    cym_status st = CYM_OK;
    DIR *d;
    if (depth > MAX_DEPTH) {
        close(dfd);
        return cym_error_set(w->err, CYM_EINTERNAL, w->root, 0, 0,
                             "output folders nested too deep");
    }
    if (!(d = fdopendir(dfd))) {
        close(dfd);
        return sys_error(w->err, w->root, "cannot read the staging folder", errno);
    }
    while (st >= 0 && (e = readdir(d)) != NULL) {
        char rel[PATH_MAX];
        struct stat sb;
        int fd;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            (depth == 0 && strcmp(e->d_name, "manifest.json") == 0))
            continue;
        if (snprintf(rel, sizeof(rel), "%s%s", prefix, e->d_name) >= (int)sizeof(rel)) {
            st = cym_error_set(w->err, CYM_EUSAGE, w->root, 0, 0, "output path too long");
            break;
        }
        fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0 || fstat(fd, &sb) != 0) {
            st = sys_error(w->err, rel, "cannot read an output", errno);
            if (fd >= 0)
                close(fd);
            break;
        }
        if (S_ISDIR(sb.st_mode)) {
            size_t l = strlen(rel);
            if (l + 2 > sizeof(rel)) {
                close(fd);
                st = cym_error_set(w->err, CYM_EUSAGE, w->root, 0, 0, "output path too long");
                break;
            }
            rel[l] = '/';
            rel[l + 1] = '\0';
            st = walk_dir(w, fd, rel, depth + 1);
            continue;
        }
        if (!S_ISREG(sb.st_mode)) {
            close(fd);
            st = cym_error_set(w->err, CYM_EINTERNAL, rel, 0, 0, "an output is not a regular file");
            break;
        }
        if (cym__grow_array(&w->f, &w->cap, w->n, sizeof(*w->f), 64) < 0 ||
            !(w->f[w->n].path = cym__strdup(rel))) {
            close(fd);
            st = cym_error_set(w->err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        /* hashed while written (io/hash.c) unless another writer filled it */
        if (!cym__sha256_recall(w->f[w->n].sha256, &w->f[w->n].bytes, &sb))
            st = cym__sha256_fd(w->f[w->n].sha256, &w->f[w->n].bytes, fd, rel, w->err);
        close(fd);
        w->n++;
    }
    closedir(d);
    return st;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const cym__outset_file *)a)->path, ((const cym__outset_file *)b)->path);
}

cym_status cym__outset_files(cym__outset_file **files, size_t *n, const cym__outset *s,
                             cym_error *err)
{
    walk w = {NULL, 0, 0, err, s->stage};
    cym_status st;
    int fd = openat(s->parent_fd, s->stage_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    *files = NULL;
    *n = 0;
    if (fd < 0)
        return sys_error(err, s->stage, "cannot read the staging folder", errno);
    st = walk_dir(&w, fd, "", 0);
    if (st < 0) {
        cym__outset_files_free(w.f, w.n);
        return st;
    }
    if (w.n)
        qsort(w.f, w.n, sizeof(*w.f), by_path);
    *files = w.f;
    *n = w.n;
    return CYM_OK;
}

void cym__outset_files_free(cym__outset_file *files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(files[i].path);
    free(files);
}

/* ---- the swap ---------------------------------------------------------------------------- */

/* renameat2, or EINVAL as a file system without RENAME_EXCHANGE gives it when the test hook
   CYMETRICS_TEST_NO_EXCHANGE is set (tests/cli/outset_checks.sh tries the fallback) */
static int rename2(int fd, const char *from, const char *to, unsigned flags)
{
    if (getenv("CYMETRICS_TEST_NO_EXCHANGE")) {
        errno = EINVAL;
        return -1;
    }
    return renameat2(fd, from, fd, to, flags);
}

cym_status cym__outset_commit(cym__outset *s, cym_error *err)
{
    struct stat sb;
    char old[300];
    const char *remove = s->stage_name;
    int sfd = openat(s->parent_fd, s->stage_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int exists;

    live_set(s, 0); /* from here on, what is written into it is synced by its writer */
    /* every file on disk before any name points at it: one syncfs for the whole set */
    if (sfd < 0)
        return sys_error(err, s->stage, "cannot open the staging folder", errno);
    if (syncfs(sfd) != 0 || fsync(sfd) != 0) {
        int e = errno;
        close(sfd);
        return sys_error(err, s->dest, "cannot write", e);
    }
    close(sfd);
    exists = fstatat(s->parent_fd, s->name, &sb, AT_SYMLINK_NOFOLLOW) == 0;
    if (rename2(s->parent_fd, s->stage_name, s->name,
                exists ? RENAME_EXCHANGE : RENAME_NOREPLACE) != 0) {
        int e = errno;
        if (e != EINVAL && e != ENOSYS)
            return sys_error(err, s->dest, "cannot move the results into place", e);
        /* no RENAME_EXCHANGE here: two renames, the destination missing in between */
        snprintf(old, sizeof(old), ".%s.old-%ld", s->name, (long)getpid());
        if (exists && renameat(s->parent_fd, s->name, s->parent_fd, old) != 0)
            return sys_error(err, s->dest, "cannot move the earlier results aside", errno);
        if (renameat(s->parent_fd, s->stage_name, s->parent_fd, s->name) != 0) {
            e = errno;
            if (exists)
                renameat(s->parent_fd, old, s->parent_fd, s->name);
            return sys_error(err, s->dest, "cannot move the results into place", e);
        }
        remove = exists ? old : NULL;
    } else if (!exists) {
        remove = NULL;
    }
    s->committed = 1;
    fsync(s->parent_fd); /* the swap itself; failure here loses nothing already written */
    if (remove)
        remove_tree(s->parent_fd, remove);
    return CYM_OK;
}

void cym__outset_free(cym__outset *s)
{
    live_set(s, 0);
    if (s->parent_fd >= 0 && s->stage && !s->committed)
        remove_tree(s->parent_fd, s->stage_name);
    if (s->lock_fd >= 0) {
        unlinkat(s->parent_fd, s->lock_name, 0); /* while held: see take_lock */
        close(s->lock_fd);                       /* releases the flock */
    }
    if (s->parent_fd >= 0)
        close(s->parent_fd);
    /* a command that failed leaves no folder it made (empty ones only: rmdir) */
    if (s->made && !s->committed) {
        size_t lm = strlen(s->made);
        char *p = s->parent;
        for (char *cut; strlen(p) >= lm && rmdir(p) == 0 && (cut = strrchr(p, '/')) && cut != p;)
            *cut = '\0';
    }
    free(s->dest);
    free(s->parent);
    free(s->name);
    free(s->stage);
    free(s->made);
    memset(s, 0, sizeof(*s));
    s->parent_fd = s->lock_fd = -1;
}
