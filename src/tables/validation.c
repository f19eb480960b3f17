/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The JSON document of `cymetrics validate --format json`, for programs: valid or not, every
 * error kept (file, line, column, class, message) with how many there were in all, the
 * warnings, and the counts of what loaded. The layout is documented in docs/formats.md;
 * jansson does the escaping.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cymetrics/tables.h"

static const char *class_name(int code)
{
    switch (code) {
    case CYM_EDATA: return "data";
    case CYM_EUSAGE: return "usage";
    case CYM_EIO: return "io";
    case CYM_ENOMEM: return "memory";
    default: return "internal";
    }
}

/* One problem: its place (empty and 0 when it has none; in a workbook also its sheet and
   cell, the line and column being the cell's row and column) and what is wrong. */
static json_t *problem(const char *file, const char *sheet, unsigned long line,
                       unsigned long column, const char *cls, const char *message)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "file", json_string(file));
    if (sheet && sheet[0]) {
        char cell[32];
        cym_error_cell_ref(cell, sizeof(cell), line, column ? column : 1);
        json_object_set_new(o, "sheet", json_string(sheet));
        json_object_set_new(o, "cell", json_string(line ? cell : ""));
    }
    json_object_set_new(o, "line", json_integer((json_int_t)line));
    json_object_set_new(o, "column", json_integer((json_int_t)column));
    json_object_set_new(o, "class", json_string(cls));
    json_object_set_new(o, "message", json_string(message));
    return o;
}

cym_status cym_validation_json(char **out, const cym_validation *v, cym_error *err)
{
    const cym_error_list *el = v->errors;
    const cym_warnings *w = v->warnings;
    size_t n_err = el ? el->total : 0, n_warn = w ? w->count : 0;
    json_t *root = json_object(), *errors = json_array(), *warnings = json_array();
    json_t *counts = json_object();
    char *text = NULL;

    *out = NULL;
    if (!root || !errors || !warnings || !counts)
        goto cleanup;
    json_object_set_new(root, "program", json_string("cymetrics"));
    json_object_set_new(root, "version", json_string(CYM_VERSION));
    json_object_set_new(root, "dataset", json_string(v->dataset ? v->dataset : ""));
    json_object_set_new(root, "valid", json_boolean(n_err == 0));
    json_object_set_new(root, "error_count", json_integer((json_int_t)n_err));
    json_object_set_new(root, "errors_shown", json_integer((json_int_t)(el ? el->count : 0)));
    json_object_set_new(root, "warning_count", json_integer((json_int_t)n_warn));
    for (size_t i = 0; el && i < el->count; i++) {
        const cym_error *e = &el->errors[i];
        json_array_append_new(
            errors, problem(e->file, e->sheet, e->line, e->column, class_name(e->code), e->message));
    }
    for (size_t i = 0; i < n_warn; i++)
        json_array_append_new(warnings, problem("", NULL, 0, 0, "warning", w->lines[i]));
    json_object_set(root, "errors", errors);
    json_object_set(root, "warnings", warnings);
    if (v->ds) {
        const cym_dataset *ds = v->ds;
        json_object_set_new(counts, "countries", json_integer((json_int_t)ds->n_units));
        json_object_set_new(counts, "indicators", json_integer((json_int_t)ds->fw->n_indicators));
        json_object_set_new(counts, "rows", json_integer((json_int_t)ds->n_rows));
        json_object_set_new(counts, "rows_missing", json_integer((json_int_t)ds->n_rows_missing));
        if (ds->n_years) {
            json_object_set_new(counts, "year_from", json_integer(ds->year0));
            json_object_set_new(counts, "year_to",
                                json_integer(ds->year0 + (json_int_t)ds->n_years - 1));
        }
        json_object_set(root, "data", counts);
    } else {
        json_object_set_new(root, "data", json_null());
    }
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    if (text) {
        size_t len = strlen(text);
        *out = malloc(len + 2);
        if (*out) {
            memcpy(*out, text, len);
            memcpy(*out + len, "\n", 2);
        }
    }
cleanup:
    free(text);
    json_decref(root);
    json_decref(errors);
    json_decref(warnings);
    json_decref(counts);
    if (!*out)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    return CYM_OK;
}
