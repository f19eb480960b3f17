/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dataset loader: countries.csv (countries.c), then the data, either one long or wide file per
 * country (<CODE>.csv in a folder, read here in name order on every core) or one combined long
 * file with a leading `country` column (data.c reads a file). Values go straight into the
 * units x years x series cube (cube.c); the year range grows as years appear, so the files
 * are read once. Every row is loaded or reported: nothing is dropped silently. Also the
 * look-ups and the coverage counts of a loaded dataset.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/mem.h"
#include "core/parallel.h"
#include "core/util.h"
#include "dataset/dataset_internal.h"

/* ---- checks of the rows of any input table (dataset_internal.h) ------------------------ */

cym_status cym__dataset_check_delimiter(const cym__csv_row *row, const char *path, char delim,
                                        cym_error *err)
{
    if (row->n != 1)
        return CYM_OK;
    if (delim == ',' && strchr(row->f[0].text, ';'))
        return cym_error_set(err, CYM_EDATA, path, row->line, 1,
                             "the file seems to be separated by ';', not ','; export it as "
                             "comma-separated CSV, or give --delimiter ';' (and --decimal ',' "
                             "for decimal commas)");
    if (delim != ',' && strchr(row->f[0].text, ','))
        return cym_error_set(err, CYM_EDATA, path, row->line, 1,
                             "the file seems to be separated by ',', not '%c' (the delimiter "
                             "setting)",
                             delim);
    return CYM_OK;
}

cym_status cym__dataset_file_format(cym__csv_file *f, cym_csv_format *fmt, cym_error *err)
{
    unsigned char delim = (unsigned char)fmt->delimiter;
    cym_status st = cym__csv_file_detect(f, &delim, &fmt->decimal, err);
    if (st < 0)
        return st;
    fmt->delimiter = (char)delim;
    if (fmt->delimiter == fmt->decimal)
        return cym_error_set(err, CYM_EDATA, f->path, 1, 1,
                             "the file is separated by '%c', which the decimal setting makes "
                             "the decimal mark too; set --decimal to '.' or auto",
                             fmt->delimiter);
    return CYM_OK;
}

cym_status cym__dataset_check_width(const cym__csv_row *row, size_t n_header, const char *path,
                                    cym_error *err)
{
    if (row->n == n_header)
        return CYM_OK;
    return cym_error_set(
        err, CYM_EDATA, path, row->line, row->n > n_header ? row->f[n_header].col : 1,
        "row has %zu field%s, the header has %zu", row->n, row->n == 1 ? "" : "s", n_header);
}

cym_status cym__dataset_soft(cym_error_list *errors, cym_status st, const cym_error *err)
{
    if (st != CYM_EDATA || !errors)
        return st;
    cym_error_list_add(errors, err);
    return CYM_OK;
}

/* ---- the data folder -------------------------------------------------------------------- */

/* 1 when the existing file `a` is one of the n files of `known` (stat of each, 0 when it
   failed): one stat per file of the folder, not four */
static int same_file(const char *a, const struct stat *known, const int *ok, size_t n)
{
    struct stat sa;
    if (stat(a, &sa) != 0)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (ok[k] && sa.st_dev == known[k].st_dev && sa.st_ino == known[k].st_ino)
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

/*
 * Reads every <CODE>.csv and <CODE>.xlsx of a folder, in name order (so errors come in a
 * stable order). A workbook beside a CSV file of the same country is read after all the
 * others, so that a row it repeats is the duplicate, whatever the number of threads.
 */
static cym_status load_folder(cym_dataset *ds, const char *dir, const cym__strmap *units,
                              const cym__strmap *series, const cym_csv_format *fmt,
                              const cym_dataset_filter *filter, const cym__going_on *go,
                              cym_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char **names = NULL;
    long *units_of = NULL;
    size_t n = 0, cap = 0, first_data = SIZE_MAX;
    cym__first_failure ff;
    cym_error e1, ignored;
    cym_status st = CYM_OK;
    cym__csv_file first_file; /* the first data file, opened once for the presize */
    int first_open = 0, workbooks = 0;
    struct stat inputs[2]; /* the framework and countries.csv, which may be in the folder */
    int inputs_ok[2];

    cym__first_failure_init(&ff);
    first_file.fd = -1;
    inputs_ok[0] = stat(ds->fw->path, &inputs[0]) == 0;
    inputs_ok[1] = stat(ds->countries_path, &inputs[1]) == 0;
    cym_error_clear(&e1);

    if (!d) {
        int en = errno;
        st =
            cym_error_set(err, CYM_EIO, dir, 0, 0, "cannot open the data folder: %s", strerror(en));
        if (err)
            err->sys_errno = en;
        return st;
    }
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if ((len < 5 || strcmp(ent->d_name + len - 4, ".csv") != 0) &&
            !cym__dataset_is_workbook(ent->d_name))
            continue;
        if (cym__grow_array(&names, &cap, n, sizeof(*names), 64) < 0) {
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        names[n] = cym__strdup(ent->d_name);
        if (!names[n]) {
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    /* first, in name order: which file is whose, and what is not a data file */
    units_of = malloc((n ? n : 1) * sizeof(*units_of));
    if (!units_of) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        char code[4];
        size_t len = strlen(names[i]);
        size_t u;
        char *path = join_path(dir, names[i]);
        units_of[i] = -1;
        if (!path) {
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        if (same_file(path, inputs, inputs_ok, 2)) {
            free(path);
            continue;
        }
        if (len != (cym__dataset_is_workbook(names[i]) ? 8u : 7u) ||
            !isalpha((unsigned char)names[i][0]) || !isalpha((unsigned char)names[i][1]) ||
            !isalpha((unsigned char)names[i][2])) {
            free(path);
            if ((st = cym_warnings_add(&ds->warnings,
                                       "%s/%s: not a country data file (<CODE>.csv or "
                                       "<CODE>.xlsx); ignored",
                                       dir, names[i])) < 0)
                goto cleanup;
            continue;
        }
        memcpy(code, names[i], 3);
        code[3] = '\0';
        if (!cym__strmap_get(units, code, &u)) {
            cym_status s1 = cym_error_set(&e1, CYM_EDATA, path, 0, 0,
                                          "data file for country '%s', which is not in %s", code,
                                          ds->countries_path);
            free(path);
            /* going on, after errors in countries.csv the country's row may be the one */
            if (go && (go->countries_failed || cym__dataset_soft(go->list, s1, &e1) == CYM_OK))
                continue;
            /* reported below, unless an earlier file fails first */
            cym__first_failure_set(&ff, i, s1, &e1);
            break;
        }
        if (u == SIZE_MAX) { /* a country outside the selection */
            free(path);
            continue;
        }
        units_of[i] = (long)u;
        if (ds->units[u].file) { /* <CODE>.xlsx after <CODE>.csv (name order) */
            ds->units[u].workbook = path;
            workbooks = 1;
            continue;
        }
        ds->units[u].file = path;
        if (first_data == SIZE_MAX && !cym__dataset_is_workbook(path))
            first_data = i;
    }
    /* (a file that does not open is reported by its load, in name order) */
    if (first_data != SIZE_MAX &&
        (first_open = cym__csv_open(&first_file, ds->units[units_of[first_data]].file,
                                    &ignored) >= 0) &&
        (st = cym__dataset_presize(ds, &first_file, fmt, err)) < 0)
        goto cleanup;
    /* then the files themselves, on every core from a few files (each takes tens of
       microseconds, waking a thread a few); the error reported is the first in name order, as
       if they had been read one after the other */
    for (int second = 0; second < 1 + workbooks; second++) {
#pragma omp parallel for schedule(dynamic, 1) if (n > 8)
        for (size_t i = 0; i < n; i++) {
            cym_error e;
            cym_status s2;
            size_t stop;
            const cym_unit *un;
            const char *path;
#pragma omp atomic read
            stop = ff.at;
            if (units_of[i] < 0 || i > stop)
                continue;
            un = &ds->units[units_of[i]];
            /* the first pass reads each country's `file`, the second its workbook beside */
            path = second ? un->workbook : un->file;
            if (!path || strcmp(strrchr(path, '/') + 1, names[i]) != 0)
                continue;
            s2 = cym__dataset_load_file(ds, path,
                                        i == first_data && first_open ? &first_file : NULL,
                                        units_of[i], units, series, fmt, filter, go, &e);
            /* going on, a file that fails is reported and the others are read */
            if (cym__dataset_soft(go ? go->list : NULL, s2, &e) < 0)
                cym__first_failure_set(&ff, i, s2, &e);
        }
    }
    st = cym__first_failure_take(&ff, err);

cleanup:
    cym__csv_close(&first_file);
    closedir(d);
    cym__free_strings(names, n);
    free(units_of);
    return st;
}

/*
 * The bound on the year axis (docs/security.md, "Bounded by design"): every array of the data
 * and of a run spans the years from the first to the last with data, so a few rows far apart
 * would make the work and the outputs grow with the span rather than with the data. A span
 * wider than CYM__SPAN_FLOOR years must have data in at least one year in CYM__SPAN_RATIO;
 * else the outlying year is an error at its first row, with the --years window that fits.
 * Only the years from..to (0 = no bound) count: they are those the caller uses.
 */
#define CYM__SPAN_FLOOR 50
#define CYM__SPAN_RATIO 4
static cym_status check_span(const cym_dataset *ds, int from, int to, int combined, cym_error *err)
{
    int years[CYM__YEAR_MAX - CYM__YEAR_MIN + 1];
    size_t n = 0, a, b;
    const uint32_t *site;
    const char *file;
    int out, near, workbook;
    cym_status st;
    for (int y = CYM__YEAR_MIN; y <= CYM__YEAR_MAX; y++)
        if (ds->year_site_[3 * (size_t)(y - CYM__YEAR_MIN) + 1] && (!from || y >= from) &&
            (!to || y <= to))
            years[n++] = y;
    if (n < 2 || years[n - 1] - years[0] + 1 <= CYM__SPAN_FLOOR ||
        years[n - 1] - years[0] + 1 <= CYM__SPAN_RATIO * (int)n)
        return CYM_OK;
    /* the outlying year: the end farther from its neighbour (the first on a tie) */
    if (years[1] - years[0] >= years[n - 1] - years[n - 2])
        out = years[0], near = years[1];
    else
        out = years[n - 1], near = years[n - 2];
    /* the window to suggest: drop the outlying end until what is left fits */
    a = 0;
    b = n - 1;
    while (b > a && years[b] - years[a] + 1 > CYM__SPAN_FLOOR &&
           years[b] - years[a] + 1 > CYM__SPAN_RATIO * (int)(b - a + 1)) {
        if (years[a + 1] - years[a] >= years[b] - years[b - 1])
            a++;
        else
            b--;
    }
    site = ds->year_site_ + 3 * (size_t)(out - CYM__YEAR_MIN);
    workbook = (site[2] & CYM__SITE_WORKBOOK) != 0;
    file = combined                                   ? ds->data_path
           : workbook && ds->units[site[0]].workbook ? ds->units[site[0]].workbook
                                                      : ds->units[site[0]].file;
    st = cym_error_set(
        err, CYM_EDATA, file, site[1], site[2] & ~CYM__SITE_WORKBOOK,
        "year %d is %d years from the nearest other year with data (%d): the data would span "
        "%d-%d (%d years) with data in %zu of them, and a span over %d years needs data in "
        "at least one year in %d (docs/security.md); select the years with --years %d%s%.0d, "
        "or fix the year",
        out, out > near ? out - near : near - out, near, years[0], years[n - 1],
        years[n - 1] - years[0] + 1, n, CYM__SPAN_FLOOR, CYM__SPAN_RATIO, years[a],
        a < b ? "-" : "", a < b ? years[b] : 0);
    if (workbook)
        cym_error_set_sheet(err, "Data");
    return st;
}

static cym_status add_warnings(cym_dataset *ds, int combined, int years_from, int years_to)
{
    const cym_framework *fw = ds->fw;
    size_t t_begin = 0, t_end = ds->n_years; /* the years used: t_begin .. t_end - 1 */
    cym_status st;
    for (size_t u = 0; u < ds->n_units; u++) {
        int any = 0;
        for (size_t t = 0; t < ds->n_years && !any; t++)
            for (size_t s = 0; s < ds->n_series && !any; s++)
                any = ds->lines[cym_dataset_cell(ds, u, t, s)] != 0;
        if (any)
            continue;
        /* a combined file has no file per country: name the file that has no rows for it */
        if (combined)
            st = cym_warnings_add(&ds->warnings, "country %s (%s) has no rows in %s",
                                  ds->units[u].code, ds->units[u].name, ds->data_path);
        else
            st = cym_warnings_add(&ds->warnings, "country %s (%s) has no data%s", ds->units[u].code,
                                  ds->units[u].name, ds->units[u].file ? "" : " file");
        if (st < 0)
            return st;
    }
    /* a late submission: data in earlier years but not a value in the latest one, so the
       country is not scored there (issue 14); the years are those the caller uses (--years) */
    if (years_to && years_to < ds->year0 + (int)ds->n_years - 1)
        t_end = years_to >= ds->year0 ? (size_t)(years_to - ds->year0) + 1 : 0;
    if (years_from > ds->year0)
        t_begin = (size_t)(years_from - ds->year0);
    for (size_t u = 0; u < ds->n_units && t_end > t_begin + 1; u++) {
        size_t t = t_end - 1;
        int earlier = 0, last = 0;
        for (size_t i = 0; i < fw->n_indicators && !last; i++)
            last = !isnan(ds->values[cym_dataset_cell(ds, u, t, fw->indicators[i])]);
        for (size_t y = t_begin; y < t && !earlier && !last; y++)
            for (size_t i = 0; i < fw->n_indicators && !earlier; i++)
                earlier = !isnan(ds->values[cym_dataset_cell(ds, u, y, fw->indicators[i])]);
        if (earlier && !last &&
            (st = cym_warnings_add(&ds->warnings,
                                   "country %s (%s) has no value in %d, the latest year of the "
                                   "%s (a late submission?): it has no score for %d",
                                   ds->units[u].code, ds->units[u].name, ds->year0 + (int)t,
                                   t_end < ds->n_years ? "years selected" : "data",
                                   ds->year0 + (int)t)) < 0)
            return st;
    }
    for (size_t i = 0; i < fw->n_indicators; i++) {
        size_t s = fw->indicators[i];
        int any = 0;
        for (size_t u = 0; u < ds->n_units && !any; u++)
            for (size_t t = 0; t < ds->n_years && !any; t++)
                any = !isnan(ds->values[cym_dataset_cell(ds, u, t, s)]);
        if (!any && (st = cym_warnings_add(&ds->warnings, "indicator %s has no value at all",
                                           fw->nodes[s].code)) < 0)
            return st;
    }
    return CYM_OK;
}

/* "select: ..." with the closest of the candidates when one is near */
static cym_status no_match(cym_error *err, const char *what, const char *item, const char *best)
{
    return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "select: %s '%s'%s%s%s", what, item,
                         best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
}

/*
 * Keeps the countries `text` selects (cym_dataset_filter.select), in their order, and frees
 * the others; their codes go into *dropped (the caller frees it), so that their data can be
 * skipped rather than refused.
 */
static cym_status select_units(cym_dataset *ds, const char *text, char (**dropped)[4],
                               size_t *n_dropped, cym_error *err)
{
    unsigned char *keep = calloc(ds->n_units ? ds->n_units : 1, 1);
    size_t n = 0;
    cym_status st = CYM_OK;
    *dropped = malloc((ds->n_units ? ds->n_units : 1) * sizeof(**dropped));
    *n_dropped = 0;
    if (!keep || !*dropped) {
        free(keep);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (const char *p = text; st >= 0;) {
        size_t len = strcspn(p, ","), g = 0, hits = 0;
        char item[1024];
        char *eq;
        cym__suggest s;
        snprintf(item, sizeof(item), "%.*s", (int)len, p);
        eq = strchr(item, '=');
        if (eq) {
            *eq = '\0';
            while (g < ds->n_group_cols && strcmp(ds->group_cols[g], item) != 0)
                g++;
            if (g == ds->n_group_cols) {
                cym__suggest_init(&s, item);
                for (size_t k = 0; k < ds->n_group_cols; k++)
                    cym__suggest_add(&s, ds->group_cols[k]);
                st = no_match(err, "no column", item, s.best);
                break;
            }
        }
        cym__suggest_init(&s, eq ? eq + 1 : item);
        for (size_t u = 0; u < ds->n_units; u++) {
            const char *have = eq ? ds->units[u].groups[g] : ds->units[u].code;
            if (eq ? strcmp(have, eq + 1) == 0 : cym__strcaseeq(have, item)) {
                keep[u] = 1;
                hits++;
            }
            cym__suggest_add(&s, have);
        }
        if (!hits) {
            if (eq) {
                char what[sizeof(item) + 16];
                snprintf(what, sizeof(what), "no country has %s", item);
                st = no_match(err, what, eq + 1, s.best);
            } else {
                st = no_match(err, "no country", item, s.best);
            }
            break;
        }
        if (!p[len])
            break;
        p += len + 1;
    }
    for (size_t u = 0; u < ds->n_units && st >= 0; u++) {
        cym_unit *un = &ds->units[u];
        if (keep[u]) {
            ds->units[n++] = *un;
            continue;
        }
        memcpy((*dropped)[(*n_dropped)++], un->code, 4);
        free(un->name);
        cym__free_strings(un->groups, ds->n_group_cols);
        free(un->file);
        free(un->workbook);
    }
    if (st >= 0)
        ds->n_units = n;
    free(keep);
    return st;
}

cym_status cym_dataset_load(cym_dataset **out, const cym_framework *fw,
                            const cym_dataset_paths *paths, const cym_dataset_options *opts,
                            cym_error *err)
{
    const cym_csv_format *format = opts ? &opts->format : NULL;
    const cym_dataset_filter *filter = opts ? opts->filter : NULL;
    cym_error_list *errors = opts ? opts->errors : NULL;
    size_t errors_before = errors ? errors->total : 0;
    cym__going_on go;
    cym_dataset *ds;
    cym__strmap units, series;
    char(*dropped)[4] = NULL; /* the codes the selection leaves out */
    size_t n_dropped = 0;
    struct stat sb;
    cym_status st;
    cym_csv_format fmt = {0, 0}; /* 0: detected in each file (cym__csv_detect) */
    cym__csv_opts copts = {0};

    *out = NULL;
    if (format && format->delimiter)
        fmt.delimiter = format->delimiter;
    if (format && format->decimal)
        fmt.decimal = format->decimal;
    /* a delimiter that is also the decimal mark, a quote or a line end cannot be read back */
    if ((fmt.delimiter && fmt.delimiter != ',' && fmt.delimiter != ';' && fmt.delimiter != '\t' &&
         fmt.delimiter != '|') ||
        (fmt.decimal && fmt.decimal != '.' && fmt.decimal != ',') ||
        (fmt.delimiter && fmt.delimiter == fmt.decimal))
        return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                             "invalid CSV format: delimiter '%c' with decimal mark '%c' (the "
                             "delimiter is one of , ; | or a tab, the decimal mark . or , and "
                             "they differ)",
                             fmt.delimiter, fmt.decimal);
    copts.delim = (unsigned char)fmt.delimiter;
    memset(&units, 0, sizeof(units));
    memset(&series, 0, sizeof(series));
    ds = calloc(1, sizeof(*ds));
    if (!ds)
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    ds->fw = fw;
    ds->n_series = fw->n_nodes + fw->n_denominators;
    if (filter && filter->n_extra) {
        ds->extra = calloc(filter->n_extra, sizeof(char *));
        if (!ds->extra) {
            free(ds);
            return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        }
        for (size_t k = 0; k < filter->n_extra; k++) {
            const char *code = filter->extra[k];
            st = CYM_OK;
            if (cym_framework_find(fw, code) >= 0)
                st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                   "series '%s' is a code of the framework %s: a published "
                                   "total needs a code of its own",
                                   code, fw->path);
            for (size_t d = 0; d < fw->n_denominators && st >= 0; d++)
                if (strcmp(fw->denominators[d], code) == 0)
                    st = cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                       "series '%s' is a denominator of the framework", code);
            for (size_t j = 0; j < k && st >= 0; j++)
                if (strcmp(ds->extra[j], code) == 0)
                    st =
                        cym_error_set(err, CYM_EUSAGE, NULL, 0, 0, "series '%s' named twice", code);
            if (st >= 0 && !(ds->extra[k] = cym__strdup(code)))
                st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
            ds->n_extra = k + (ds->extra[k] != NULL);
            if (st < 0) {
                cym_dataset_free(ds);
                return st;
            }
        }
        ds->n_series += ds->n_extra;
    }
    ds->countries_path = cym__strdup(paths->countries);
    ds->data_path = cym__strdup(paths->data);
    if (!ds->countries_path || !ds->data_path) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if ((st = cym__dataset_read_countries(ds, paths->countries, &copts, errors, err)) < 0)
        goto cleanup;
    /* the data is matched to the countries: without any, it is not read */
    if (!ds->n_units)
        goto cleanup;
    if (filter && filter->select && filter->select[0] &&
        (st = select_units(ds, filter->select, &dropped, &n_dropped, err)) < 0)
        goto cleanup;

    /* the units no longer move: index them by their own codes; while loading, a country left
       out by the selection is there too, as SIZE_MAX, so that its data is skipped */
    if (cym__strmap_init(&units, ds->n_units + n_dropped) < 0) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t u = 0; u < ds->n_units; u++)
        cym__strmap_put(&units, ds->units[u].code, u, NULL);
    for (size_t k = 0; k < n_dropped; k++)
        cym__strmap_put(&units, dropped[k], SIZE_MAX, NULL);
    if (cym__strmap_init(&series, ds->n_series) < 0) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < fw->n_nodes; i++)
        cym__strmap_put(&series, fw->nodes[i].code, i, NULL);
    for (size_t d = 0; d < fw->n_denominators; d++)
        cym__strmap_put(&series, fw->denominators[d], fw->n_nodes + d, NULL);
    for (size_t k = 0; k < ds->n_extra; k++)
        cym__strmap_put(&series, ds->extra[k], fw->n_nodes + fw->n_denominators + k, NULL);

    if (stat(paths->data, &sb) != 0) {
        int en = errno;
        st = cym_error_set(err, CYM_EIO, paths->data, 0, 0, "cannot open the data: %s",
                           strerror(en));
        if (err)
            err->sys_errno = en;
        goto cleanup;
    }
    go.list = errors;
    go.countries_failed = errors && errors->total > errors_before;
    /* a filter that only selects countries reads the rows as no filter does */
    if (filter && !filter->year_from && !filter->year_to && !filter->cover_from &&
        !filter->cover_to && !filter->n_extra && !filter->recode)
        filter = NULL;
    ds->year_site_ = calloc(3 * (size_t)(CYM__YEAR_MAX - CYM__YEAR_MIN + 1), sizeof(uint32_t));
    if (!ds->year_site_) {
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if (S_ISDIR(sb.st_mode)) {
        st = load_folder(ds, paths->data, &units, &series, &fmt, filter, errors ? &go : NULL, err);
    } else {
        /* one open for the presize and the load (which reports a file that does not open) */
        cym__csv_file f;
        cym_error ignored;
        int opened = cym__csv_open(&f, paths->data, &ignored) >= 0;
        if (!opened || (st = cym__dataset_presize(ds, &f, &fmt, err)) >= 0)
            st = cym__dataset_load_file(ds, paths->data, opened ? &f : NULL, -1, &units, &series,
                                        &fmt, filter, errors ? &go : NULL, err);
        cym__csv_close(&f);
    }
    if (st < 0 || (errors && errors->total > errors_before))
        goto cleanup;
    if ((st = check_span(ds, opts ? opts->years_from : 0, opts ? opts->years_to : 0,
                         !S_ISDIR(sb.st_mode), err)) < 0)
        goto cleanup;
    free(ds->year_site_);
    ds->year_site_ = NULL;
    if ((st = cym__dataset_trim_years(ds, err)) < 0)
        goto cleanup;
    /* files were read in parallel: give the flags a fixed order */
    if ((st = cym__dataset_sort_flags(ds, err)) < 0)
        goto cleanup;
    st = add_warnings(ds, !S_ISDIR(sb.st_mode), opts ? opts->years_from : 0,
                      opts ? opts->years_to : 0);
    if (st < 0)
        st = cym_error_set(err, st, NULL, 0, 0, "out of memory");

cleanup:
    if (st >= 0 && n_dropped) {
        /* the index the dataset keeps holds its own countries only */
        cym__strmap_free(&units);
        if (cym__strmap_init(&units, ds->n_units) < 0)
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t u = 0; u < ds->n_units && st >= 0; u++)
            cym__strmap_put(&units, ds->units[u].code, u, NULL);
    }
    free(dropped);
    if (errors && (st < 0 || errors->total > errors_before)) {
        /* going on after errors: the one that stopped the load (never in the list yet) joins
           the others, and the first of them all is the load's */
        if (st < 0 && err)
            cym_error_list_add(errors, err);
        cym_error_list_sort(errors);
        if (err && errors->count)
            *err = errors->errors[0];
        st = errors->count ? errors->errors[0].code : CYM_EDATA;
    }
    if (st >= 0) {
        ds->unit_index_ = malloc(sizeof(cym__strmap));
        if (ds->unit_index_)
            *(cym__strmap *)ds->unit_index_ = units;
        else
            st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (st < 0 || !ds->unit_index_)
        cym__strmap_free(&units);
    cym__strmap_free(&series);
    if (st < 0) {
        cym_dataset_free(ds);
        return st;
    }
    *out = ds;
    return CYM_OK;
}

void cym_dataset_free(cym_dataset *ds)
{
    if (!ds)
        return;
    for (size_t u = 0; u < ds->n_units; u++) {
        cym_unit *un = &ds->units[u];
        free(un->name);
        cym__free_strings(un->groups, ds->n_group_cols);
        free(un->file);
        free(un->workbook);
    }
    free(ds->units);
    cym__free_strings(ds->group_cols, ds->n_group_cols);
    cym__dataset_flags_free(ds->flags, ds->n_flags);
    free(ds->values);
    free(ds->lines);
    free(ds->flag_of);
    free(ds->countries_path);
    free(ds->data_path);
    cym__free_strings(ds->extra, ds->n_extra);
    free(ds->year_site_);
    cym_warnings_clear(&ds->warnings);
    cym__strmap_destroy(ds->unit_index_);
    free(ds);
}

long cym_dataset_find_unit(const cym_dataset *ds, const char *code)
{
    return cym__strmap_find(ds->unit_index_, code);
}

long cym_dataset_find_group(const cym_dataset *ds, const char *name)
{
    for (size_t g = 0; g < ds->n_group_cols; g++)
        if (strcmp(ds->group_cols[g], name) == 0)
            return (long)g;
    return -1;
}

long cym_dataset_find_series(const cym_dataset *ds, const char *code)
{
    long i = cym_framework_find(ds->fw, code);
    if (i >= 0)
        return i;
    for (size_t d = 0; d < ds->fw->n_denominators; d++)
        if (strcmp(ds->fw->denominators[d], code) == 0)
            return (long)(ds->fw->n_nodes + d);
    for (size_t k = 0; k < ds->n_extra; k++)
        if (strcmp(ds->extra[k], code) == 0)
            return (long)(ds->fw->n_nodes + ds->fw->n_denominators + k);
    return -1;
}

cym_status cym_dataset_coverage(cym_coverage *out, const cym_dataset *ds, int year_from,
                                int year_to, cym_error *err)
{
    const cym_framework *fw = ds->fw;
    int y0 = ds->year0, y1 = ds->year0 + (int)ds->n_years - 1;
    size_t ny;

    memset(out, 0, sizeof(*out));
    if (year_from && year_from > y0)
        y0 = year_from;
    if (year_to && year_to < y1)
        y1 = year_to;
    out->year_from = y0;
    out->year_to = y1;
    ny = ds->n_years && y1 >= y0 ? (size_t)(y1 - y0 + 1) : 0;
    out->missing_by_indicator = calloc(fw->n_indicators ? fw->n_indicators : 1, sizeof(size_t));
    out->missing_by_unit = calloc(ds->n_units ? ds->n_units : 1, sizeof(size_t));
    out->missing_by_year = calloc(ny ? ny : 1, sizeof(size_t));
    if (!out->missing_by_indicator || !out->missing_by_unit || !out->missing_by_year) {
        cym_coverage_free(out);
        return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t u = 0; u < ds->n_units; u++)
        for (size_t t = 0; t < ny; t++) {
            size_t ti = (size_t)(y0 - ds->year0) + t;
            for (size_t i = 0; i < fw->n_indicators; i++) {
                double v = ds->values[cym_dataset_cell(ds, u, ti, fw->indicators[i])];
                out->cells++;
                if (isnan(v)) {
                    out->missing_by_indicator[i]++;
                    out->missing_by_unit[u]++;
                    out->missing_by_year[t]++;
                } else {
                    out->present++;
                }
            }
        }
    return CYM_OK;
}

void cym_coverage_free(cym_coverage *cov)
{
    if (!cov)
        return;
    free(cov->missing_by_indicator);
    free(cov->missing_by_unit);
    free(cov->missing_by_year);
    cov->missing_by_indicator = cov->missing_by_unit = cov->missing_by_year = NULL;
}
