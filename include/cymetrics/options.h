/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_OPTIONS_H
#define CYM_OPTIONS_H

/**
 * The run configuration: where the data is and which methods to use. Read from an INI file
 * (`cymetrics.ini`) and overridden key by key from the command line; both go through
 * cym_options_set, so a key means the same thing in both places. Every key is one row of one
 * table (src/config/option_table.c): its section, type, allowed values, default, help and
 * field; the reader, the setter, the getter, the defaults and the key list in docs/cli.md all
 * come from that row (cym_options_info lists them).
 */

#include <stddef.h>

#include "cymetrics/error.h"
#include "cymetrics/methods.h"
#include "cymetrics/edition.h"
#include "cymetrics/forms.h"
#include "cymetrics/pipeline.h"
#include "cymetrics/tables.h"
#include "cymetrics/trend.h"
#include "cymetrics/uncertainty.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cym_options {
    /* dataset */
    char framework[CYM_PATH_MAX];
    char countries[CYM_PATH_MAX];
    char data[CYM_PATH_MAX];
    char config[CYM_PATH_MAX]; /**< the INI file read, or "" */
    char delimiter;            /**< field separator of countries and data files [auto: 0] */
    char decimal;              /**< decimal mark of data values [auto: 0] */
    char select[1024];         /**< countries read: "CODE,COLUMN=VALUE,...", "" = all */
    /* pipeline: years (of [dataset]) and methods ([run]) */
    cym_pipeline_options run;
    int has_agg;               /**< 1 when `aggregate` was set explicitly */
    char expert_weights[CYM_PATH_MAX]; /**< expert weights file (cymetrics/experts.h), or "" */
    int weight_combine;        /**< cym_weight_combine of the experts' weights [mean] */
    char goalposts[CYM_PATH_MAX]; /**< goalposts file whose bounds normalise (run.goalposts
                                       is loaded from it), or "" */
    /* output: the folder, and what is written there (name, texts, charts, tables, report) */
    char out[CYM_PATH_MAX];
    cym_output_options output;
    /* uncertainty */
    cym_unc_spec unc;
    /* trends and comparisons */
    cym_trend_spec trend;
    /* framework editions and published composites */
    cym_edition_spec edition;
    /* data collection forms (`cymetrics forms`) */
    cym_forms_options forms;
    /* returned forms into the dataset (`cymetrics collect`) */
    cym_collect_options collect;
} cym_options;

/** The defaults of docs/cli.md: each key's default text read by its own setter. */
void cym_options_default(cym_options *o);



/**
 * Sets one key ("impute", "normalise", "range", ... as in docs/cli.md; '_' and '-' are the
 * same) from its text. CYM_EUSAGE with a message naming the key when the key is unknown or
 * the value invalid. Paths are stored as given.
 */
cym_status cym_options_set(cym_options *o, const char *key, const char *value, cym_error *err);

/**
 * Reads an INI file into `o`. Relative paths in it are resolved against the file's folder.
 * Unknown sections and keys are errors with the line (CYM_EUSAGE).
 */
cym_status cym_options_load_ini(cym_options *o, const char *path, cym_error *err);

/** 1 when `key` is a known option key. */
int cym_options_is_key(const char *key);

/** The INI section of `key` ("run"), or NULL for an unknown key. Static text. */
const char *cym_options_section(const char *key);

/** The key closest to the unknown `key` (edit distance, for "did you mean"), or NULL. */
const char *cym_options_suggest(const char *key);

/**
 * 1 when `key` is on or off (its values include `on` and `off`): on the command line it is
 * a flag, `--KEY` meaning on and `--no-KEY` off.
 */
int cym_options_is_flag(const char *key);

/**
 * The i-th documented value of a key with named values (enum, bool, set of names), without
 * the second spellings; NULL past the last or for a key whose values are not names. For the
 * help, the man page and the shell completions.
 */
const char *cym_options_value(const char *key, size_t i);

/**
 * What `key` takes, in words, as its error messages say it ("on or off", "a whole number
 * from 0 to 6"), into buf[0..n); returns buf, or NULL (buf empty) when the table has no
 * such words for it (its help says it).
 */
const char *cym_options_expect(char *buf, size_t n, const char *key);

/** 1 when `value` is a name `key` takes, in any of its spellings (`--report off`). */
int cym_options_accepts(const char *key, const char *value);

/** Parses "threshold:label,..." or "p90:label,..." tiers into `o` (exposed for tests). */
cym_status cym_tiers_parse(cym_options *o, const char *text, cym_error *err);

/** The i-th option key (canonical spelling), or NULL past the last: for listing settings. */
const char *cym_options_key(size_t i);

/** What the table says of one key, for help texts and docs/cli.md. Every string is static. */
typedef struct cym_option_info {
    const char *name;    /**< canonical key, the INI key and the option --NAME ("skew-max") */
    const char *section; /**< INI section ("run") */
    const char *type;    /**< "bool", "int", "long", "double", "string", "path", "enum",
                              "list", "method-spec" or "custom" */
    const char *help;    /**< the values it takes and what it does: one line, Markdown with
                              code in `backquotes` */
    const char *def;     /**< the default as cym_options_set reads it, or NULL when the
                              default is "not set" (empty text, no bound, no list) */
    const char *def_doc; /**< the default in words where `def` does not say it ("the folder
                              name"), or NULL */
} cym_option_info;

/**
 * The i-th key of the table, in the order of cym_options_key, or NULL past the last.
 * Borrowed: static data.
 */
const cym_option_info *cym_options_info(size_t i);

/**
 * Writes the effective value of `key` as text (the form cym_options_set accepts) into
 * buf[0..n). Returns CYM_OK, or CYM_EUSAGE for an unknown key.
 */
cym_status cym_options_get(const cym_options *o, const char *key, char *buf, size_t n);

/**
 * Where a run with `o` gets its numbers from, for manifest.json and the report: the dataset's
 * name, the INI file read and every setting as cym_options_get writes it, in the table's
 * order; with `base` (the output folder, or NULL) the path settings and the inputs are given
 * relative to it, so that any spelling of the same places gives the same bytes. The strings are o's or held in *mem, which the caller frees with free() after the
 * last use of *out (and before `o` changes). CYM_ENOMEM.
 */
cym_status cym_options_provenance(cym_provenance *out, void **mem, const cym_options *o,
                                  const char *base, cym_error *err);

#ifdef __cplusplus
}
#endif

#endif
