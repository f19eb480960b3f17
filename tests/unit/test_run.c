/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The run module's result set, as a library user drives it (cym_run_set_*): staged beside the
 * destination, committed whole with manifest.json listing every file, aborted without a
 * trace, a folder of the user's files refused, one writer at a time. The SHA-256 values are
 * Python's: hashlib.sha256(b"hello\n").hexdigest() and hashlib.sha256(b"sub\n").hexdigest().
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "cymetrics/run.h"
#include "io/outset.h"

#define SHA_HELLO "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
#define SHA_SUB "a9294fcd1dbc598ec49a7879ba2d0702c9bf1ba7a0fe2d7881707cbbda36f50b"

static char root[64];

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path)
{
    static char buf[8192];
    FILE *f = fopen(path, "r");
    size_t n;
    if (!f)
        return NULL;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* the entries of `dir` but "out", joined by spaces */
static const char *beside(const char *dir)
{
    static char buf[1024];
    struct dirent *e;
    DIR *d = opendir(dir);
    buf[0] = '\0';
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "out")) {
            strcat(buf, e->d_name);
            strcat(buf, " ");
        }
    closedir(d);
    return buf;
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof(root), "/tmp/cym-test-run-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_commit(void **state)
{
    char out[128], path[256], sub[256];
    cym_run_set *s = NULL;
    cym_error err;
    const char *m;
    (void)state;
    snprintf(out, sizeof(out), "%s/out", root);
    assert_int_equal(cym_run_set_begin(&s, out, &err), CYM_OK);
    /* the stage is beside the destination, hidden, and the destination not made yet */
    snprintf(path, sizeof(path), "%s/.out.stage-%ld", root, (long)getpid());
    assert_string_equal(cym_run_set_path(s), path);
    assert_int_equal(access(out, F_OK), -1);
    put(cym_run_set_path(s), "a.txt", "hello\n");
    snprintf(sub, sizeof(sub), "%s/sub", cym_run_set_path(s));
    assert_int_equal(mkdir(sub, 0777), 0);
    put(sub, "b.txt", "sub\n");
    assert_int_equal(cym_run_set_commit(s, &err), CYM_OK);
    cym_run_set_free(s);
    snprintf(path, sizeof(path), "%s/manifest.json", out);
    m = slurp(path);
    assert_non_null(m);
    assert_non_null(strstr(m, "\"program\": \"cymetrics\""));
    assert_non_null(
        strstr(m, "\"path\": \"a.txt\",\n      \"bytes\": 6,\n      \"sha256\": \"" SHA_HELLO));
    assert_non_null(
        strstr(m, "\"path\": \"sub/b.txt\",\n      \"bytes\": 4,\n      \"sha256\": \"" SHA_SUB));
    assert_null(strstr(m, "\"path\": \"manifest.json\""));
    /* the lock is gone, and no stage is left */
    assert_string_equal(beside(root), "");

    /* a second set replaces the first whole: a.txt, not written again, is gone */
    assert_int_equal(cym_run_set_begin(&s, out, &err), CYM_OK);
    put(cym_run_set_path(s), "c.txt", "hello\n");
    assert_int_equal(cym_run_set_commit(s, &err), CYM_OK);
    cym_run_set_free(s);
    snprintf(path, sizeof(path), "%s/a.txt", out);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof(path), "%s/c.txt", out);
    assert_int_equal(access(path, F_OK), 0);
    assert_string_equal(beside(root), "");
}

static void test_abort_and_lock(void **state)
{
    char out[128], path[256];
    cym_run_set *s = NULL, *s2 = NULL;
    cym_error err;
    (void)state;
    snprintf(out, sizeof(out), "%s/out", root);
    assert_int_equal(cym_run_set_begin(&s, out, &err), CYM_OK);
    put(cym_run_set_path(s), "x.txt", "hello\n");
    assert_int_equal(cym_run_set_commit(s, &err), CYM_OK);
    cym_run_set_free(s);

    /* a second writer while the first holds the lock: refused at once */
    assert_int_equal(cym_run_set_begin(&s, out, &err), CYM_OK);
    assert_int_equal(cym_run_set_begin(&s2, out, &err), CYM_EIO);
    assert_null(s2);
    assert_non_null(strstr(err.message, "another cymetrics command is writing into this folder"));
    /* abandoned: the stage goes, the earlier set stays */
    put(cym_run_set_path(s), "y.txt", "hello\n");
    cym_run_set_free(s);
    snprintf(path, sizeof(path), "%s/x.txt", out);
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof(path), "%s/y.txt", out);
    assert_int_equal(access(path, F_OK), -1);
    assert_string_equal(beside(root), "");
    cym_run_set_free(NULL);
}

static void test_refuses_user_folder(void **state)
{
    char out[128], parent[128];
    cym_run_set *s = NULL;
    cym_error err;
    (void)state;
    /* a folder of the user's files, and parent folders made for a refused set */
    snprintf(out, sizeof(out), "%s/mine", root);
    assert_int_equal(mkdir(out, 0777), 0);
    put(out, "notes.txt", "hello\n");
    put(out, "manifest.json", "{\"program\": \"other\"}\n");
    assert_int_equal(cym_run_set_begin(&s, out, &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "not a cymetrics result set"));
    assert_string_equal(slurp(strcat(out, "/notes.txt")), "hello\n");
    assert_string_equal(beside(root), "mine ");
    /* a set begun in folders that did not exist, then abandoned, leaves none of them */
    snprintf(parent, sizeof(parent), "%s/new/deeper/out", root);
    assert_int_equal(cym_run_set_begin(&s, parent, &err), CYM_OK);
    cym_run_set_free(s);
    assert_string_equal(beside(root), "mine ");
}

/* An earlier set is recognised by its manifest.json read whole (not a byte per system call):
   one larger than any read buffer is still a set; a manifest cut short, or followed by more
   than white space, is not. */
static void test_earlier_manifest(void **state)
{
    char out[128], path[256];
    cym_run_set *s = NULL;
    cym_error err;
    FILE *f;
    (void)state;
    snprintf(out, sizeof(out), "%s/out", root);
    assert_int_equal(mkdir(out, 0777), 0);
    snprintf(path, sizeof(path), "%s/manifest.json", out);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"program\": \"cymetrics\", \"pad\": \"", f);
    for (int i = 0; i < 300000; i++)
        fputc('x', f);
    fputs("\"}\n\n", f);
    fclose(f);
    put(out, "old.txt", "hello\n");
    assert_int_equal(cym_run_set_begin(&s, out, &err), CYM_OK);
    cym_run_set_free(s);
    put(out, "manifest.json", "{\"program\": \"cymetrics\"");
    assert_int_equal(cym_run_set_begin(&s, out, &err), CYM_EUSAGE);
    assert_non_null(strstr(err.message, "not a cymetrics result set"));
    put(out, "manifest.json", "{\"program\": \"cymetrics\"} {}");
    assert_int_equal(cym_run_set_begin(&s, out, &err), CYM_EUSAGE);
    assert_null(s);
}

/* The files written into a stage are synced once, by the set's commit: a folder is "staging"
   from the set's begin to its commit (or free), the stage and what lies in it, nothing else. */
static void test_staging(void **state)
{
    char out[128], path[320];
    cym_run_set *s = NULL, *s2 = NULL;
    cym_error err;
    const char *stage;
    (void)state;
    snprintf(out, sizeof(out), "%s/out", root);
    assert_int_equal(cym_run_set_begin(&s, out, &err), CYM_OK);
    stage = cym_run_set_path(s);
    assert_int_equal(cym__outset_staging(stage), 1);
    snprintf(path, sizeof(path), "%s/audit", stage);
    assert_int_equal(cym__outset_staging(path), 1);
    snprintf(path, sizeof(path), "%sx", stage); /* a sibling that begins with its name */
    assert_int_equal(cym__outset_staging(path), 0);
    assert_int_equal(cym__outset_staging(out), 0);
    assert_int_equal(cym__outset_staging(root), 0);
    /* two sets of one process, each its own */
    snprintf(path, sizeof(path), "%s/out2", root);
    assert_int_equal(cym_run_set_begin(&s2, path, &err), CYM_OK);
    assert_int_equal(cym__outset_staging(cym_run_set_path(s2)), 1);
    snprintf(path, sizeof(path), "%s", cym_run_set_path(s2));
    cym_run_set_free(s2); /* abandoned */
    assert_int_equal(cym__outset_staging(path), 0);
    assert_int_equal(cym__outset_staging(stage), 1);
    snprintf(path, sizeof(path), "%s", stage);
    put(stage, "a.txt", "hello\n");
    assert_int_equal(cym_run_set_commit(s, &err), CYM_OK);
    assert_int_equal(cym__outset_staging(path), 0);
    cym_run_set_free(s);
    snprintf(path, sizeof(path), "%s/a.txt", out);
    assert_int_equal(access(path, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort_and_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_user_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_earlier_manifest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staging, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
