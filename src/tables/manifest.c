/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The run's manifest (manifest.json): program, version, dataset, every setting as the option
 * table writes it, the effective settings, the years, and each input with its size and
 * SHA-256, so a result folder says exactly where its numbers came from. The SHA-256 is the
 * one the loader computed from the bytes it parsed (cym_input_digest), so an input is not
 * read again here; one without (the INI file, a submission workbook) is hashed here.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/experts.h"
#include "core/util.h"
#include "io/hash.h"
#include "tables/tables.h"

/* ---- manifest ---------------------------------------------------------------------------- */

/* One input: `d` (may be NULL) its digest as read; the path relative to the base of `base`
   (NULL: as given). */
static int add_input(json_t *arr, const char *role, const char *path, const cym_input_digest *d,
                     cym__relative *base, cym_error *err)
{
    char hex[65], rel[4096];
    size_t bytes = 0;
    json_t *o;
    if (d && d->sha256[0]) {
        memcpy(hex, d->sha256, sizeof(hex));
        bytes = d->bytes;
    } else if (cym__sha256_file(hex, &bytes, path, err) < 0) {
        return -1;
    }
    o = json_object();
    json_object_set_new(o, "role", json_string(role));
    json_object_set_new(
        o, "path",
        json_string(base && cym__relative_path(base, rel, sizeof(rel), path) == 0 ? rel : path));
    json_object_set_new(o, "bytes", json_integer((json_int_t)bytes));
    json_object_set_new(o, "sha256", json_string(hex));
    json_array_append_new(arr, o);
    return 0;
}

/*
 * "stable_scores": whether scores of earlier years depend on the data of later ones, through
 * which stages, and the bounds of the normalisation (docs/methodology.md, "Stable published
 * scores").
 */
static int stable_scores(json_t *root, const cym_results *r)
{
    static const char *const names[] = {"normalisation", "treatment", "imputation", "weights"};
    static const char *const kinds[] = {"data", "reference-years", "goalposts"};
    unsigned later = cym_results_later(r);
    json_t *o = json_object(), *stages = json_array();
    char text[1024], years[48];
    if (!o || !stages) {
        json_decref(o);
        json_decref(stages);
        return -1;
    }
    for (unsigned b = 0; b < 4; b++)
        if (later & (1u << b))
            json_array_append_new(stages, json_string(names[b]));
    cym_results_later_text(text, sizeof(text), r);
    cym_results_bounds_years(years, sizeof(years), r, 0);
    json_object_set_new(o, "earlier_years_depend_on_later_data", json_boolean(later != 0));
    json_object_set_new(o, "stages", stages);
    json_object_set_new(o, "bounds_from", json_string(kinds[r->settings.frozen]));
    json_object_set_new(o, "bounds_years",
                        r->settings.scope ? json_string("each year") : json_string(years));
    json_object_set_new(o, "note", json_string(text));
    return json_object_set_new(root, "stable_scores", o);
}

cym_status cym__manifest_build(json_t **out, const cym_results *r, const cym_provenance *p,
                               cym_error *err)
{
    json_t *root = json_object(), *cfg = json_object(), *inputs = json_array(),
           *eff = json_object(), *years = json_array();
    /* the inputs' paths relative to the base, which is made canonical once */
    cym__relative *base = p && p->base ? malloc(sizeof(*base)) : NULL;
    const cym_dataset *ds = r->ds;
    cym_status st = CYM_OK;

    *out = NULL;
    if (base)
        cym__relative_init(base, p->base);
    if (!root || !cfg || !inputs || !eff || !years || (p && p->base && !base)) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    json_object_set_new(root, "program", json_string("cymetrics"));
    json_object_set_new(root, "version", json_string(CYM_VERSION));
    json_object_set_new(root, "dataset", json_string(p && p->dataset ? p->dataset : ""));
    for (size_t i = 0; p && i < p->n_settings; i++)
        json_object_set_new(cfg, p->keys[i], json_string(p->values[i]));
    json_object_set(root, "configuration", cfg);
    if (json_string_length(json_object_get(cfg, "select")) > 0) {
        /* --select (issue 16): the countries read, every rank within them */
        json_t *sel = json_object(), *codes = json_array();
        for (size_t u = 0; sel && codes && u < r->n_units; u++)
            json_array_append_new(codes, json_string(r->ds->units[u].code));
        json_object_set_new(sel, "countries", codes);
        json_object_set_new(sel, "ranks", json_string("within the selection"));
        json_object_set_new(root, "selection", sel);
    }
    json_object_set_new(eff, "denominate", json_boolean(r->settings.denominate));
    json_object_set_new(eff, "scope", json_string(r->settings.scope ? "year" : "panel"));
    json_object_set(root, "effective", eff);
    if (stable_scores(root, r) < 0) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    json_array_append_new(years, json_integer(r->year0));
    json_array_append_new(years, json_integer(r->year0 + (int)r->n_years - 1));
    json_object_set(root, "years", years);
    if (p && p->config && p->config[0] &&
        add_input(inputs, "configuration", p->config, NULL, base, err) < 0)
        goto io;
    if (add_input(inputs, "framework", r->fw->path, &r->fw->digest, base, err) < 0 ||
        add_input(inputs, "countries", ds->countries_path, &ds->countries_digest, base, err) < 0)
        goto io;
    if (r->fw->experts && add_input(inputs, "expert-weights", r->fw->experts->path,
                                    &r->fw->experts->digest, base, err) < 0)
        goto io;
    if (r->opts.goalposts && add_input(inputs, "goalposts", r->opts.goalposts->path,
                                       &r->opts.goalposts->digest, base, err) < 0)
        goto io;
    {
        int per_unit = 0;
        for (size_t u = 0; u < r->n_units; u++) {
            const cym_unit *un = &ds->units[u];
            if (!un->file)
                continue;
            per_unit = 1;
            if (add_input(inputs, "data", un->file, &un->digest, base, err) < 0 ||
                (un->workbook && add_input(inputs, "data", un->workbook, NULL, base, err) < 0))
                goto io;
        }
        if (!per_unit && add_input(inputs, "data", ds->data_path, &ds->data_digest, base, err) < 0)
            goto io;
    }
    json_object_set(root, "inputs", inputs);
    *out = root;
    root = NULL;
    goto cleanup;
io:
    st = CYM_EIO;
cleanup:
    free(base);
    json_decref(root);
    json_decref(cfg);
    json_decref(inputs);
    json_decref(eff);
    json_decref(years);
    return st;
}

cym_status cym__manifest_final(json_t **out, json_t *base, double seconds, cym_error *err)
{
    json_t *root = json_copy(base), *rt = json_object();
    *out = NULL;
    if (root && rt && json_object_set_new(rt, "seconds", json_real(seconds)) == 0 &&
        json_object_set(root, "run_time", rt) == 0) {
        *out = root;
        root = NULL;
    }
    json_decref(root);
    json_decref(rt);
    return *out ? CYM_OK : cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

cym_status cym__manifest_write(cym__outdir *od, const char *name, const json_t *root,
                               cym_error *err)
{
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    cym_status st = text ? cym__outdir_printf(od, name, err, "%s\n", text)
                         : cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    free(text);
    return st;
}
