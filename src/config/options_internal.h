/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_CONFIG_OPTIONS_INTERNAL_H
#define CYM_CONFIG_OPTIONS_INTERNAL_H
/*
 * The option table (option_table.c) and what reads it: options.c (set, get, defaults, key
 * list), ini.c (the INI reader), option_types.c (the types with a syntax of their own) and
 * editions.c (framework edition declarations).
 */
#include <stddef.h>

#include "cymetrics/options.h"

typedef struct cym__opt cym__opt;

/**
 * How a row's text becomes its field and back. `parse` stores nothing when it fails, and
 * names the key in its message; `format` writes the form `parse` reads back.
 */
typedef struct cym__type {
    cym_status (*parse)(cym_options *o, const cym__opt *row, const char *text, cym_error *err);
    void (*format)(char *buf, size_t n, const cym_options *o, const cym__opt *row);
} cym__type;

/** One value of a method spec or a list item, without the options around it. */
typedef struct cym__codec {
    size_t size;                /* bytes of one value */
    void (*init)(void *value);  /* what a list item starts from; NULL: zeroed */
    cym_status (*parse)(void *value, const char *text, cym_error *err);
    void (*format)(char *buf, size_t n, const void *value);
} cym__codec;

/** A name of an enum, a bool or a set; a later name with an earlier value is an alias. */
typedef struct cym__name {
    const char *name;
    int value;
} cym__name;

#define CYM__OPT_LO_OPEN 1u /* double: the lower bound itself is refused */
#define CYM__OPT_HI_OPEN 2u /* double: the upper bound itself is refused */
#define CYM__OPT_NO_INI 4u  /* command line only (the INI spells it otherwise) */
#define CYM__OPT_WHOLE 8u   /* list: a bad item is reported with the whole list */
#define CYM__OPT_MARKS 16u  /* setting it explicitly sets the int at `mark` to 1 */

/** One key. Only `info`, `type` and the field are needed; the rest is per type. */
struct cym__opt {
    cym_option_info info;     /* name, section, type name, help, default: see options.h */
    const cym__type *type;
    size_t offset, size;      /* the field in cym_options */
    unsigned flags;           /* CYM__OPT_* */
    double lo, hi;            /* int, long, double: the bounds */
    const char *expect;       /* what the error message expects; NULL: the names */
    const cym__name *names;   /* enum, bool, set: ended by {NULL} */
    unsigned always;          /* set: bits always on ("none" leaves these) */
    const cym__codec *codec;  /* method-spec, list: one value */
    size_t count, max;        /* list: offset of its size_t count, most items */
    size_t mark;              /* with CYM__OPT_MARKS: offset of the int set to 1 */
};

/** The table, in the order of cym_options_key (the order of manifest.json). */
extern const cym__opt cym__opts[];
extern const size_t cym__n_opts;

/** The row of `key` ('_' and '-' the same), or NULL. */
const cym__opt *cym__opt_find(const char *key);

/** Parses `text` into the row's field, marking it as set. */
cym_status cym__opt_set(cym_options *o, const cym__opt *row, const char *text, cym_error *err);

/** The field of `row` in `o`. */
void *cym__opt_field(cym_options *o, const cym__opt *row);
const void *cym__opt_cfield(const cym_options *o, const cym__opt *row);

/** "invalid KEY 'VALUE' (expected EXPECT)", CYM_EUSAGE. */
cym_status cym__opt_bad(cym_error *err, const char *key, const char *value, const char *expect);

/* The types of the table: generic ones (options.c) and those with a syntax of their own
 * (option_types.c). */
extern const cym__type cym__t_string, cym__t_path, cym__t_int, cym__t_long, cym__t_double,
    cym__t_enum, cym__t_set, cym__t_spec, cym__t_list;
extern const cym__type cym__t_years, cym__t_refyears, cym__t_range, cym__t_tiers, cym__t_ties,
    cym__t_seed, cym__t_noise, cym__t_combine, cym__t_edition, cym__t_codes, cym__t_column,
    cym__t_totals, cym__t_select;
/* The method specs, one value each (option_types.c). */
extern const cym__codec cym__c_impute, cym__c_treat, cym__c_norm, cym__c_agg;

/*
 * Years: "A-B" (closed), "A-" (open end), "-B" (open start) or "A" (one year), years
 * 1900-2100, 0 = open. Returns 0, -1 when it is not a range, -2 when A > B.
 */
int cym__years_parse(const char *s, int *from, int *to);
/** The range as cym__years_parse reads it; "all" when both ends are open. */
void cym__years_format(char *buf, size_t n, int from, int to);

/** Adds the edition `range` = `path`, refusing overlaps (origin:line say where, line 0 = CLI). */
cym_status cym__edition_add(cym_edition_spec *e, const char *range, const char *path,
                            const char *origin, unsigned long line, cym_error *err);

#endif
