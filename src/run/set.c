/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A result set: everything one command writes into its output folder, staged beside it and
 * swapped in whole (the mechanism, the lock and the stage are io's, io/outset.h). What makes a
 * set is the run's: a folder is an earlier set when its manifest.json says it was written by
 * cymetrics, and the set's manifest.json, written last, lists every file of the set with its
 * size and SHA-256 ("outputs"), on top of what the run's tables put in it.
 */
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cymetrics/run.h"
#include "io/outdir.h"
#include "io/outset.h"
#include "run/run_internal.h"
#include "tables/tables.h"

struct cym_run_set {
    cym__outset io;
    cym_trends *trends; /* of the run written, for its report */
    json_t *manifest;   /* of the run written, without its outputs */
};

/* how every manifest.json the program writes begins (cym__manifest_write) */
static const char own_start[] = "{\n  \"program\": \"cymetrics\",\n";

/* 1 when `dir`/manifest.json is a regular file (not a link) of a JSON object whose "program"
   is "cymetrics": the folder is an earlier result set, which may be replaced. A file that
   begins as the program writes them is one without being parsed whole (ASEM's: 14 KB, 0.15 ms
   of a 13 ms run) */
static int holds_set(const char *dir)
{
    char path[4096], head[sizeof(own_start) - 1];
    struct stat sb;
    json_t *j, *prog;
    char *text;
    int fd, yes;
    if (snprintf(path, sizeof(path), "%s/manifest.json", dir) >= (int)sizeof(path))
        return 0;
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (64 << 20)) {
        close(fd);
        return 0;
    }
    if (pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
        memcmp(head, own_start, sizeof(head)) == 0) {
        close(fd);
        return 1;
    }
    /* read whole, then parsed: jansson's json_loadfd reads one byte per system call (14,000
       of them for ASEM's manifest, 3 ms: docs/performance.md, "Start-up"); without memory for
       the buffer, json_loadfd still, so a failed allocation is not taken for a folder of no
       set */
    text = malloc((size_t)sb.st_size + 1);
    if (!text) {
        j = json_loadfd(fd, 0, NULL);
    } else {
        size_t got = 0;
        ssize_t k;
        while (got < (size_t)sb.st_size && (k = read(fd, text + got, (size_t)sb.st_size - got)) > 0)
            got += (size_t)k;
        j = json_loadb(text, got, 0, NULL);
        free(text);
    }
    close(fd);
    prog = json_is_object(j) ? json_object_get(j, "program") : NULL;
    yes = json_is_string(prog) && strcmp(json_string_value(prog), "cymetrics") == 0;
    json_decref(j);
    return yes;
}

cym_status cym_run_set_begin(cym_run_set **out, const char *outdir, cym_error *err)
{
    cym_run_set *s = malloc(sizeof(*s));
    cym_status st;
    *out = NULL;
    if (!s)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    s->trends = NULL;
    s->manifest = NULL;
    if ((st = cym__outset_begin(&s->io, outdir, holds_set, err)) < 0) {
        cym__outset_free(&s->io);
        free(s);
        return st;
    }
    *out = s;
    return CYM_OK;
}

const char *cym_run_set_path(const cym_run_set *s)
{
    return s->io.stage;
}

const char *cym_run_set_destination(const cym_run_set *s)
{
    return s->io.dest;
}

cym_status cym_run_set_write(cym_run_set *s, const cym_results *r, const cym_run_options *opts,
                             cym_error *err)
{
    cym_status st = cym__run_refuse_inputs(r, s->io.dest, err);
    if (st < 0)
        return st;
    cym_trends_free(s->trends);
    s->trends = NULL;
    cym__run_set_manifest(s, NULL);
    return cym__run_write_folder(&s->trends, &s->manifest, r, opts, s->io.stage, err);
}

void cym__run_set_manifest(cym_run_set *s, json_t *manifest)
{
    json_decref(s->manifest);
    s->manifest = manifest;
}

const cym_trends *cym_run_set_trends(const cym_run_set *s)
{
    return s->trends;
}

/* manifest.json of the stage (the run's, or a new one naming the program) with "outputs" */
static cym_status manifest_with_outputs(json_t **out, const cym_run_set *s, cym_error *err)
{
    char path[4096];
    cym__outset_file *files = NULL;
    size_t n = 0;
    json_t *root = NULL, *arr = json_array();
    cym_status st;

    *out = NULL;
    snprintf(path, sizeof(path), "%s/manifest.json", s->io.stage);
    if ((st = cym__outset_files(&files, &n, &s->io, err)) < 0)
        goto cleanup;
    if (s->manifest) { /* the run's, handed over rather than written and read back */
        root = json_incref(s->manifest);
    } else if (access(path, F_OK) == 0) {
        json_error_t je;
        if (!(root = json_load_file(path, 0, &je)) || !json_is_object(root)) {
            st = cym_error_set(err, CYM_EINTERNAL, path, je.line, je.column, "%s", je.text);
            goto cleanup;
        }
    } else {
        root = json_object();
        if (root) {
            json_object_set_new(root, "program", json_string("cymetrics"));
            json_object_set_new(root, "version", json_string(CYM_VERSION));
        }
    }
    if (!root || !arr)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s, s:I, s:s}", "path", files[i].path, "bytes",
                              (json_int_t)files[i].bytes, "sha256", files[i].sha256);
        if (!o || json_array_append_new(arr, o) != 0)
            goto nomem;
    }
    if (json_object_set(root, "outputs", arr) != 0)
        goto nomem;
    *out = root;
    root = NULL;
    goto cleanup;
nomem:
    st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
cleanup:
    cym__outset_files_free(files, n);
    json_decref(root);
    json_decref(arr);
    return st;
}

cym_status cym_run_set_commit(cym_run_set *s, cym_error *err)
{
    cym__outdir od;
    json_t *manifest = NULL;
    cym_status st;

    memset(&od, 0, sizeof(od));
    /* the manifest last, listing every other file, then the swap */
    if ((st = manifest_with_outputs(&manifest, s, err)) < 0)
        goto cleanup;
    if ((st = cym__outdir_open(&od, s->io.stage, err)) < 0 ||
        (st = cym__manifest_write(&od, "manifest.json", manifest, err)) < 0 ||
        (st = cym__outdir_commit(&od, err)) < 0)
        goto cleanup;
    st = cym__outset_commit(&s->io, err);
cleanup:
    json_decref(manifest);
    cym__outdir_free(&od);
    return st;
}

void cym_run_set_free(cym_run_set *s)
{
    if (!s)
        return;
    cym__outset_free(&s->io);
    cym_trends_free(s->trends);
    json_decref(s->manifest);
    free(s);
}
