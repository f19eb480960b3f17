/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The floor of the start-up benchmark (bench/startup.sh, docs/performance.md "Start-up"): what
 * any program that does the minimal ASEM run has to do, and nothing else. It reads every
 * input file whole, then writes the bytes of a reference run, compiled in, as one atomic set
 * the way src/io/outset.c does: a stage folder beside the destination, the files, syncfs and
 * fsync, renameat2(RENAME_EXCHANGE) with the old set (or a rename when there is none), fsync
 * of the parent, removal of the old set. No parsing, no arithmetic, no formatting: the
 * difference to `cymetrics run` is the price of being a real program.
 *
 * bench/startup.sh generates FLOOR_FILES, a header of FLOOR_DIR("audit") and
 * FLOOR_FILE(id, "audit/x.csv", "/path/of/the/reference/audit/x.csv") lines, and compiles:
 *   cc -O2 -DFLOOR_FILES='"files.h"' -I DIR bench/floor.c -o floor
 * Usage: floor OUT INPUT_FILE...
 */
#define _GNU_SOURCE /* renameat2, syncfs */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the reference files' bytes, placed in the program by the assembler */
#define FLOOR_DIR(path)
#define FLOOR_FILE(id, path, src)                                                                  \
    extern const char id##_start[], id##_end[];                                                    \
    __asm__(".section .rodata\n" #id "_start:\n.incbin \"" src "\"\n" #id "_end:\n.previous\n");
#include FLOOR_FILES
#undef FLOOR_DIR
#undef FLOOR_FILE

static void die(const char *what, const char *path)
{
    fprintf(stderr, "floor: %s %s\n", what, path);
    exit(1);
}

static void write_file(int dir, const char *path, const char *p, size_t n)
{
    int fd = openat(dir, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        die("cannot create", path);
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            die("cannot write", path);
        p += w;
        n -= (size_t)w;
    }
    close(fd);
}

/* the old set, after the exchange: files first, then the folders, deepest first */
static void remove_set(int dir)
{
#define FLOOR_DIR(path)
#define FLOOR_FILE(id, path, src) unlinkat(dir, path, 0);
#include FLOOR_FILES
#undef FLOOR_DIR
#undef FLOOR_FILE
    static const char *const dirs[] = {
#define FLOOR_DIR(path) path,
#define FLOOR_FILE(id, path, src)
#include FLOOR_FILES
#undef FLOOR_DIR
#undef FLOOR_FILE
        NULL};
    size_t n = 0;
    while (dirs[n])
        n++;
    while (n-- > 0)
        unlinkat(dir, dirs[n], AT_REMOVEDIR);
}

int main(int argc, char **argv)
{
    static char buf[1 << 16];
    char stage[4096];
    if (argc < 2)
        die("usage:", "floor OUT INPUT_FILE...");
    for (int i = 2; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            die("cannot open", argv[i]);
        while (read(fd, buf, sizeof(buf)) > 0)
            ;
        close(fd);
    }
    snprintf(stage, sizeof(stage), "%s.stage-%ld", argv[1], (long)getpid());
    if (mkdir(stage, 0777) != 0)
        die("cannot create", stage);
    int sfd = open(stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (sfd < 0)
        die("cannot open", stage);
#define FLOOR_DIR(path)                                                                            \
    if (mkdirat(sfd, path, 0777) != 0)                                                             \
        die("cannot create", path);
#define FLOOR_FILE(id, path, src)                                                                  \
    write_file(sfd, path, id##_start, (size_t)(id##_end - id##_start));
#include FLOOR_FILES
#undef FLOOR_DIR
#undef FLOOR_FILE
    if (syncfs(sfd) != 0 || fsync(sfd) != 0)
        die("cannot sync", stage);
    close(sfd);
    if (renameat2(AT_FDCWD, stage, AT_FDCWD, argv[1], RENAME_EXCHANGE) == 0) {
        int old = open(stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (old >= 0) {
            remove_set(old);
            close(old);
        }
        rmdir(stage);
    } else if (rename(stage, argv[1]) != 0) {
        die("cannot rename to", argv[1]);
    }
    /* the parent's entry: as outset.c, the swap itself made durable */
    char parent[4096];
    snprintf(parent, sizeof(parent), "%s", argv[1]);
    char *slash = strrchr(parent, '/');
    if (slash)
        *slash = '\0';
    int pfd = open(slash ? parent : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd >= 0) {
        fsync(pfd);
        close(pfd);
    }
    return 0;
}
