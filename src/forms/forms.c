/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Data collection forms: one workbook per country on libxlsxwriter, for a national focal
 * point to fill in and return, read back by `cymetrics collect` (docs/formats.md "Submission
 * workbooks", the layout agreed with the reader of src/xlsx). Three sheets:
 *
 *   Instructions  (first and active) what to fill, units, flags, how to return, the country,
 *                 the year, the dataset and its source line;
 *   Data          row 1 the headers the reader finds its columns by (code, indicator, pillar,
 *                 unit, value, flag, source/notes, allowed, direction, previous value,
 *                 previous flag), one row per indicator of the framework from row 2; only
 *                 value, flag and source/notes are unlocked, the sheet is protected without a
 *                 password (against accidents, not against a determined user), the header row
 *                 frozen;
 *   cymetrics     (hidden, protected) country, year, dataset, form-version, so that a form
 *                 saved under another country's name is refused.
 *
 * The value cell has a data validation from the framework's scale: a drop-down of the levels
 * of a binary or ordinal indicator (a whole number from 0 to K when K > 20: a longer list
 * does not fit Excel's 255 characters), any decimal number otherwise (the framework gives
 * no range for a continuous indicator). The flag cell offers the documented flags and
 * accepts any other label with an information message (docs/formats.md `flag`).
 * libxlsxwriter writes the creation time into docProps/core.xml: it is fixed, as in
 * results.xlsx, so the bytes depend on the inputs only. It is opened with dlopen by the first
 * form (io/lxw.h, shared with results.xlsx), so the program does not depend on it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "cymetrics/forms.h"
#include "io/lxw.h"

/* the headers of the Data sheet, in column order A..K: the reader finds columns by them */
static const char *const heads[] = {"code",      "indicator",      "pillar",  "unit",
                                    "value",     "flag",           "source/notes",
                                    "allowed",   "direction",      "previous value",
                                    "previous flag"};
enum { C_CODE, C_NAME, C_PILLAR, C_UNIT, C_VALUE, C_FLAG, C_SOURCE, C_ALLOWED, C_DIR, C_PREV,
       C_PREV_FLAG, N_COLS };
static const double widths[N_COLS] = {18, 48, 26, 18, 12, 16, 30, 16, 10, 15, 15};

/* the flags docs/formats.md names; any other label of at most 100 characters is accepted */
static char flag_provisional[] = "provisional", flag_not_reported[] = "not reported";
static char *flag_list[] = {flag_provisional, flag_not_reported, NULL};

#define MAX_LEVELS 20 /* "0,1,...,20" fits the 255 characters of a list validation */

typedef struct formats {
    lxw_format *head, *answer, *bold, *wrap;
} formats;

int cym_forms_year(const cym_dataset *ds, const cym_forms_options *opts)
{
    if (opts && opts->year)
        return opts->year;
    if (ds->n_years)
        return ds->year0 + (int)ds->n_years;
    {
        time_t now = time(NULL);
        struct tm tm;
        return gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 2000;
    }
}

/* The pillar of indicator node `k`: its ancestor just below the root (itself under a root
   with indicators as children). */
static const cym_node *pillar_of(const cym_framework *fw, size_t k)
{
    size_t p = k;
    while (fw->nodes[p].parent >= 0 && (size_t)fw->nodes[p].parent != fw->root)
        p = (size_t)fw->nodes[p].parent;
    return &fw->nodes[p];
}

/* The country's latest year before `year` with a row for series `s`, or -1. */
static long previous_year(const cym_dataset *ds, size_t u, size_t s, int year)
{
    long last = (long)year - ds->year0 - 1;
    if (last >= (long)ds->n_years)
        last = (long)ds->n_years - 1;
    for (long y = last; y >= 0; y--)
        if (ds->lines[cym_dataset_cell(ds, u, (size_t)y, s)])
            return y;
    return -1;
}

/* The value cell's validation of indicator `n`, and the text of the `allowed` column. */
static void validation(lxw_data_validation *dv, char *allowed, size_t n_allowed, char **levels,
                       char *level_text, size_t n_level_text, const cym_node *node)
{
    static char title[] = "value", list_msg[] = "Choose a level from the list.",
                num_msg[] = "Type a plain number in the unit of column D (not a percentage).",
                err_title[] = "Not allowed",
                err_list[] = "The value must be one of the levels of column H.",
                err_num[] = "The value must be a number (type 93.2 for 93.2 percent).";
    int k = node->scale == CYM_SCALE_BINARY ? 1 : node->scale_k;
    memset(dv, 0, sizeof(*dv));
    dv->show_input = LXW_VALIDATION_ON;
    dv->input_title = title;
    dv->error_title = err_title;
    dv->error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    if (node->scale == CYM_SCALE_CONTINUOUS) {
        /* any number: the framework declares no range for a continuous indicator */
        dv->validate = LXW_VALIDATION_TYPE_DECIMAL;
        dv->criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv->minimum_number = -1e300;
        dv->maximum_number = 1e300;
        dv->input_message = num_msg;
        dv->error_message = err_num;
        snprintf(allowed, n_allowed, "number");
        return;
    }
    if (node->scale == CYM_SCALE_BINARY)
        snprintf(allowed, n_allowed, "0 or 1");
    else
        snprintf(allowed, n_allowed, "whole number 0-%d", k);
    dv->error_message = err_list;
    if (k > MAX_LEVELS) {
        dv->validate = LXW_VALIDATION_TYPE_INTEGER;
        dv->criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv->minimum_number = 0;
        dv->maximum_number = k;
        dv->input_message = num_msg;
        return;
    }
    /* levels "0".."k" in one buffer, each NUL-terminated */
    {
        size_t at = 0;
        for (int i = 0; i <= k && at + 4 < n_level_text; i++) {
            levels[i] = level_text + at;
            at += (size_t)snprintf(level_text + at, n_level_text - at, "%d", i) + 1;
            levels[i + 1] = NULL;
        }
    }
    dv->validate = LXW_VALIDATION_TYPE_LIST;
    dv->value_list = levels;
    dv->input_message = list_msg;
}

static void flag_validation(lxw_data_validation *dv)
{
    static char title[] = "flag",
                msg[] = "provisional, not reported, or a label of your own (at most 100 "
                        "characters).",
                err_title[] = "Another flag",
                err_msg[] = "Not one of the listed flags: it is kept as written (at most 100 "
                            "characters).";
    memset(dv, 0, sizeof(*dv));
    dv->validate = LXW_VALIDATION_TYPE_LIST;
    dv->value_list = flag_list;
    dv->show_input = LXW_VALIDATION_ON;
    dv->input_title = title;
    dv->input_message = msg;
    /* an information: other labels are allowed */
    dv->error_type = LXW_VALIDATION_ERROR_TYPE_INFORMATION;
    dv->error_title = err_title;
    dv->error_message = err_msg;
}

/* The Data sheet of unit `u`. 0, or -1 when libxlsxwriter failed. */
static int data_sheet(lxw_workbook *wb, const cym_dataset *ds, size_t u, int year,
                      const formats *f)
{
    const cym_framework *fw = ds->fw;
    lxw_worksheet *ws = cym__lxw.workbook_add_worksheet(wb, "Data");
    lxw_protection prot;
    int bad = 0;
    if (!ws)
        return -1;
    for (size_t j = 0; j < N_COLS; j++) {
        bad |=
            cym__lxw.worksheet_write_string(ws, 0, (lxw_col_t)j, heads[j], f->head) != LXW_NO_ERROR;
        bad |= cym__lxw.worksheet_set_column(
                   ws, (lxw_col_t)j, (lxw_col_t)j, widths[j],
                   j == C_VALUE || j == C_FLAG || j == C_SOURCE ? f->answer : NULL) != LXW_NO_ERROR;
    }
    for (size_t i = 0; i < fw->n_indicators && !bad; i++) {
        size_t s = fw->indicators[i];
        const cym_node *node = &fw->nodes[s];
        lxw_row_t row = (lxw_row_t)(i + 1);
        lxw_data_validation dv;
        char allowed[64], level_text[128], *levels[MAX_LEVELS + 2];
        long py = previous_year(ds, u, s, year);
        bad |= cym__lxw.worksheet_write_string(ws, row, C_CODE, node->code, NULL) != LXW_NO_ERROR;
        bad |= cym__lxw.worksheet_write_string(ws, row, C_NAME, node->name, NULL) != LXW_NO_ERROR;
        bad |= cym__lxw.worksheet_write_string(ws, row, C_PILLAR, pillar_of(fw, s)->name, NULL) !=
               LXW_NO_ERROR;
        if (node->unit && node->unit[0])
            bad |=
                cym__lxw.worksheet_write_string(ws, row, C_UNIT, node->unit, NULL) != LXW_NO_ERROR;
        /* the answers: empty, unlocked cells with the column's format */
        bad |= cym__lxw.worksheet_write_blank(ws, row, C_VALUE, f->answer) != LXW_NO_ERROR;
        bad |= cym__lxw.worksheet_write_blank(ws, row, C_FLAG, f->answer) != LXW_NO_ERROR;
        bad |= cym__lxw.worksheet_write_blank(ws, row, C_SOURCE, f->answer) != LXW_NO_ERROR;
        validation(&dv, allowed, sizeof(allowed), levels, level_text, sizeof(level_text), node);
        bad |= cym__lxw.worksheet_data_validation_cell(ws, row, C_VALUE, &dv) != LXW_NO_ERROR;
        bad |= cym__lxw.worksheet_write_string(ws, row, C_ALLOWED, allowed, NULL) != LXW_NO_ERROR;
        bad |= cym__lxw.worksheet_write_string(
                   ws, row, C_DIR, node->direction < 0 ? "lower is better" : "higher is better",
                   NULL) != LXW_NO_ERROR;
        if (py >= 0) {
            size_t cell = cym_dataset_cell(ds, u, (size_t)py, s);
            if (!isnan(ds->values[cell]))
                bad |= cym__lxw.worksheet_write_number(ws, row, C_PREV, ds->values[cell], NULL) !=
                       LXW_NO_ERROR;
            if (ds->flag_of[cell])
                bad |= cym__lxw.worksheet_write_string(ws, row, C_PREV_FLAG,
                                                       ds->flags[ds->flag_of[cell] - 1].flag,
                                                       NULL) != LXW_NO_ERROR;
        }
    }
    if (fw->n_indicators && !bad) {
        lxw_data_validation dv;
        flag_validation(&dv);
        bad |= cym__lxw.worksheet_data_validation_range(ws, 1, C_FLAG, (lxw_row_t)fw->n_indicators,
                                                        C_FLAG, &dv) != LXW_NO_ERROR;
    }
    cym__lxw.worksheet_freeze_panes(ws, 1, 0);
    /* no password: the protection keeps the other cells from being changed by accident */
    memset(&prot, 0, sizeof(prot));
    cym__lxw.worksheet_protect(ws, NULL, &prot);
    return bad ? -1 : 0;
}

/* The Instructions sheet. */
static int instructions(lxw_workbook *wb, const cym_dataset *ds, size_t u, int year,
                        const cym_forms_options *o, const formats *f)
{
    lxw_worksheet *ws = cym__lxw.workbook_add_worksheet(wb, "Instructions");
    const cym_unit *un = &ds->units[u];
    char line[1024];
    lxw_row_t row = 0;
    int bad = 0;
    const char *title = o->title && o->title[0] ? o->title : o->name;
#define LINE(fmt_, ...)                                                                            \
    do {                                                                                           \
        snprintf(line, sizeof(line), __VA_ARGS__);                                                 \
        bad |= cym__lxw.worksheet_write_string(ws, row++, 0, line, fmt_) != LXW_NO_ERROR;          \
    } while (0)
    if (!ws)
        return -1;
    cym__lxw.worksheet_set_column(ws, 0, 0, 110, f->wrap);
    LINE(f->bold, "%s%sdata collection form", title ? title : "", title ? ": " : "");
    LINE(NULL, "Country: %s (%s)", un->name, un->code);
    LINE(NULL, "Year: %d", year);
    if (o->name && o->name[0])
        LINE(NULL, "Dataset: %s", o->name);
    if (o->source && o->source[0])
        LINE(NULL, "Source: %s", o->source);
    row++;
    LINE(f->bold, "What to fill");
    LINE(NULL, "On the sheet Data, one row per indicator: type the %d value in column E "
               "(value), in the unit of column D.",
         year);
    LINE(NULL, "A value is a plain number: 93.2 for 93.2 percent, not 93.2%% or 0.932; no "
               "thousands separators, no text, no formulas.");
    LINE(NULL, "Column H says what is allowed: a number, or the levels offered by the cell's "
               "drop-down (0 or 1 for yes/no; 0 to K for a level).");
    LINE(NULL, "Column I says whether a higher value is better; columns J and K hold the "
               "latest earlier value and flag of %s, for reference.",
         un->name);
    row++;
    LINE(f->bold, "Flags (column F)");
    LINE(NULL, "provisional: the value may still change.");
    LINE(NULL, "not reported: there is no value; leave column E empty.");
    LINE(NULL, "Another short label (at most 100 characters) is kept as written.");
    LINE(NULL, "Column G (source/notes): where the value comes from, or a note.");
    row++;
    LINE(f->bold, "How to return the form");
    LINE(NULL, "Only columns E, F and G can be changed. Do not rename, add or remove sheets, "
               "columns or rows.");
    LINE(NULL, "Save the workbook in Excel format (.xlsx) under its name, %s.xlsx, and send it "
               "back to the secretariat.",
         un->code);
    LINE(NULL, "The form is read back as %s %d: a form saved under another country's name is "
               "refused.",
         un->code, year);
#undef LINE
    return bad ? -1 : 0;
}

/* The hidden sheet the reader checks the form by. */
static int meta_sheet(lxw_workbook *wb, const cym_unit *un, int year, const char *name)
{
    lxw_worksheet *ws = cym__lxw.workbook_add_worksheet(wb, "cymetrics");
    lxw_protection prot;
    int bad = 0;
    if (!ws)
        return -1;
    bad |= cym__lxw.worksheet_write_string(ws, 0, 0, "country", NULL) != LXW_NO_ERROR;
    bad |= cym__lxw.worksheet_write_string(ws, 0, 1, un->code, NULL) != LXW_NO_ERROR;
    bad |= cym__lxw.worksheet_write_string(ws, 1, 0, "year", NULL) != LXW_NO_ERROR;
    bad |= cym__lxw.worksheet_write_number(ws, 1, 1, year, NULL) != LXW_NO_ERROR;
    bad |= cym__lxw.worksheet_write_string(ws, 2, 0, "dataset", NULL) != LXW_NO_ERROR;
    bad |= cym__lxw.worksheet_write_string(ws, 2, 1, name ? name : "", NULL) != LXW_NO_ERROR;
    bad |= cym__lxw.worksheet_write_string(ws, 3, 0, "form-version", NULL) != LXW_NO_ERROR;
    bad |= cym__lxw.worksheet_write_number(ws, 3, 1, CYM_FORM_VERSION, NULL) != LXW_NO_ERROR;
    memset(&prot, 0, sizeof(prot));
    cym__lxw.worksheet_protect(ws, NULL, &prot);
    cym__lxw.worksheet_hide(ws);
    return bad ? -1 : 0;
}

static cym_status write_form(const cym_dataset *ds, size_t u, int year,
                             const cym_forms_options *o, const char *dir, cym_error *err)
{
    lxw_workbook_options wopt = {0, NULL, 0};
    lxw_doc_properties props;
    lxw_workbook *wb;
    formats f;
    char path[4096], display[16], title[512], subject[256];
    static char comments[] = "written by cymetrics " CYM_VERSION;
    const cym_unit *un = &ds->units[u];
    int bad;
    cym_status st;

    snprintf(display, sizeof(display), "%s.xlsx", un->code);
    if (snprintf(path, sizeof(path), "%s/%s", dir, display) >= (int)sizeof(path))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "output path too long");
    if ((st = cym__lxw_open(err)) < 0)
        return st;
    wb = cym__lxw.workbook_new_opt(path, &wopt);
    if (!wb)
        return cym_error_set(err, CYM_EIO, display, 0, 0, "cannot create the workbook");
    memset(&props, 0, sizeof(props));
    snprintf(title, sizeof(title), "%s: %s %d", o->title && o->title[0] ? o->title
                                                : o->name                 ? o->name
                                                                          : "cymetrics",
             un->name, year);
    snprintf(subject, sizeof(subject), "data collection form %s %d", un->code, year);
    props.title = title;
    props.subject = subject;
    props.comments = comments;
    props.created = CYM__LXW_CREATED;
    cym__lxw.workbook_set_properties(wb, &props);
    f.head = cym__lxw_head_format(wb);
    f.bold = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_bold(f.bold);
    f.wrap = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_text_wrap(f.wrap);
    /* the answers: unlocked, General (a number stays a number, never a percentage) */
    f.answer = cym__lxw.workbook_add_format(wb);
    cym__lxw.format_set_unlocked(f.answer);
    cym__lxw.format_set_num_format(f.answer, "General");
    cym__lxw.format_set_bg_color(f.answer, 0xFFF8DC);
    bad = instructions(wb, ds, u, year, o, &f) < 0 || data_sheet(wb, ds, u, year, &f) < 0 ||
          meta_sheet(wb, un, year, o->name) < 0;
    return cym__lxw_close(wb, bad, display, err);
}

/* Marks in `want` the units opts->country names; CYM_EUSAGE for a code not in `ds`. */
static cym_status chosen(unsigned char *want, const cym_dataset *ds, const char *list,
                         cym_error *err)
{
    char code[64];
    if (!list[0]) {
        memset(want, 1, ds->n_units);
        return CYM_OK;
    }
    memset(want, 0, ds->n_units);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        long found = -1;
        cym__suggest s;
        snprintf(code, sizeof(code), "%.*s", (int)(len < sizeof(code) ? len : sizeof(code) - 1),
                 p);
        p += len + (p[len] == ',');
        if (!code[0])
            continue;
        cym__suggest_init(&s, code);
        for (size_t k = 0; k < ds->n_units; k++) {
            if (cym__strcaseeq(code, ds->units[k].code))
                found = (long)k;
            cym__suggest_add(&s, ds->units[k].code);
        }
        if (found < 0)
            return s.best ? cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                          "country: no country '%s' in the dataset (did you "
                                          "mean '%s'?)",
                                          code, s.best)
                          : cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                          "country: no country '%s' in the dataset", code);
        want[found] = 1;
    }
    return CYM_OK;
}

cym_status cym_forms_write(const cym_dataset *ds, const cym_forms_options *opts, const char *dir,
                           cym_error *err)
{
    static const cym_forms_options defaults = CYM_FORMS_OPTIONS_INIT;
    const cym_forms_options *o = opts ? opts : &defaults;
    int year = cym_forms_year(ds, o);
    unsigned char *want;
    cym_status st = CYM_OK;

    if (year < 1900 || year > 2100)
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "year: %d is not a year 1900-2100", year);
    if (!(want = malloc(ds->n_units ? ds->n_units : 1)))
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    st = chosen(want, ds, o->country, err);
    for (size_t u = 0; u < ds->n_units && st == CYM_OK; u++)
        if (want[u])
            st = write_form(ds, u, year, o, dir, err);
    free(want);
    return st;
}
