/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The .xlsx reader (xlsx.h): the zip container through libzip, opened on a copy of the file
 * in memory (so the path and the fuzz target take one road), and the parts through expat,
 * streamed in 64 KiB pieces as they inflate. The parts read are those ECMA-376 Part 1 names:
 * xl/workbook.xml (the sheets, their names and visibility), its relationships
 * (xl/_rels/workbook.xml.rels, where each sheet's part is), xl/sharedStrings.xml,
 * xl/styles.xml (only the number format of each cell style) and the worksheets asked for.
 *
 * The bounds are counted here, on what is actually inflated and parsed: a zip header can
 * claim any size. XML with a DOCTYPE is refused (a workbook has none; it is how entity
 * expansion attacks start). Names are matched by their local part ("x:c" is "c"), as the
 * parts may use a namespace prefix. The worksheets are read in sheet.c.
 */
#include "xlsx/xlsx_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "io/input.h"

#define XML_CHUNK 65536
#define RATIO_FLOOR ((size_t)1 << 20) /* entries smaller than this are not ratio-checked */

/* ---- small helpers ------------------------------------------------------------------- */

const char *cym__xml_local_name(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

const char *cym__xml_attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(cym__xml_local_name(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

cym_status cym__xlsx_oom(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

int cym__xlsx_grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 16;
    void *q;
    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Parses a cell reference "E14" (or a column "E" with `row` NULL); 0 when it is not one. */
int cym__xlsx_parse_ref(const char *s, uint32_t *row, uint32_t *col)
{
    unsigned long c = 0, r = 0;
    size_t nl = 0, nd = 0;
    while (*s == '$')
        s++;
    for (; *s >= 'A' && *s <= 'Z' && nl < 4; s++, nl++)
        c = c * 26 + (unsigned long)(*s - 'A' + 1);
    if (*s == '$')
        s++;
    for (; *s >= '0' && *s <= '9' && nd < 8; s++, nd++)
        r = r * 10 + (unsigned long)(*s - '0');
    if (*s || !nl || c > CYM_XLSX_MAX_COL || (row && (!nd || !r || r > CYM_XLSX_MAX_ROW)) ||
        (!row && nd))
        return 0;
    *col = (uint32_t)c;
    if (row)
        *row = (uint32_t)r;
    return 1;
}

/* ---- the zip container ------------------------------------------------------------------ */

/* The message for a libzip error code. */
static cym_status zip_failure(cym_error *err, const char *name, int ze)
{
    switch (ze) {
    case ZIP_ER_NOZIP:
        return cym_error_set(err, CYM_EDATA, name, 0, 0,
                             "not a workbook: the file is not a zip archive, which an .xlsx "
                             "file is (save it as .xlsx, Excel Workbook)");
    case ZIP_ER_INCONS:
    case ZIP_ER_EOF:
    case ZIP_ER_CRC:
    case ZIP_ER_COMPRESSED_DATA:
        return cym_error_set(err, CYM_EDATA, name, 0, 0,
                             "the workbook is damaged (its zip structure is inconsistent or "
                             "truncated); save it again from a spreadsheet program");
    case ZIP_ER_MULTIDISK:
        return cym_error_set(err, CYM_EDATA, name, 0, 0,
                             "a zip archive split over several files is not supported");
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
        return cym_error_set(err, CYM_EDATA, name, 0, 0,
                             "the workbook is encrypted; remove its password in a spreadsheet "
                             "program and save it again");
    case ZIP_ER_COMPNOTSUPP:
        return cym_error_set(err, CYM_EDATA, name, 0, 0,
                             "the workbook uses a zip compression method other than deflate, "
                             "which is not supported");
    case ZIP_ER_MEMORY: return cym__xlsx_oom(err);
    default: {
        zip_error_t e;
        cym_status st;
        zip_error_init_with_code(&e, ze);
        st = cym_error_set(err, CYM_EDATA, name, 0, 0, "cannot read the workbook: %s",
                           zip_error_strerror(&e));
        zip_error_fini(&e);
        return st;
    }
    }
}

/* What a file that is not a zip archive seems to be, from its first bytes. */
static cym_status sniff(const unsigned char *p, size_t n, const char *name, cym_error *err)
{
    cym__input_kind kind = cym__input_sniff(p, n);
    if (kind == CYM_INPUT_ZIP)
        return CYM_OK;
    if (kind == CYM_INPUT_OLE2)
        return cym_error_set(err, CYM_EDATA, name, 0, 0,
                             "an old Excel 97-2003 (.xls) workbook or an encrypted .xlsx, which "
                             "cannot be read: save it as .xlsx (Excel Workbook) without a "
                             "password");
    if (n == 0)
        return cym_error_set(err, CYM_EDATA, name, 0, 0, "the workbook is an empty file");
    for (size_t i = 0; i < n && i < 512; i++)
        if (!p[i])
            return cym_error_set(err, CYM_EDATA, name, 0, 0,
                                 "not a workbook: the file is not a zip archive, which an .xlsx "
                                 "file is (save it as .xlsx, Excel Workbook)");
    return cym_error_set(err, CYM_EDATA, name, 0, 0,
                         "not a workbook: the file is text (a CSV file named .xlsx?); name a "
                         "CSV file .csv, or save the workbook as .xlsx");
}

/* ---- XML parsing common to every part ---------------------------------------------------- */

/* Stops the parse with a failure at the parser's position. */
void cym__xml_fail(xml_ctx *x, cym_status st)
{
    if (x->st >= 0)
        x->st = st;
    XML_StopParser(x->p, XML_FALSE);
}

void cym__xml_fail_msg(xml_ctx *x, const char *what)
{
    cym__xml_fail(x, cym_error_set(x->err, CYM_EDATA, x->wb->name, 0, 0, "%s, line %lu: %s",
                                   x->part, (unsigned long)XML_GetCurrentLineNumber(x->p), what));
}

int cym__xml_enter(xml_ctx *x)
{
    if (++x->depth > x->wb->lim.max_depth) {
        char m[96];
        snprintf(m, sizeof(m), "XML nested deeper than %u elements (refused)",
                 x->wb->lim.max_depth);
        cym__xml_fail_msg(x, m);
        return 0;
    }
    return 1;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    xml_ctx *x = ud;
    if (!x->collecting || x->st < 0)
        return;
    if (x->len + (size_t)len > x->wb->lim.max_string) {
        char m[96];
        snprintf(m, sizeof(m), "a string longer than %zu bytes (refused)", x->wb->lim.max_string);
        cym__xml_fail_msg(x, m);
        return;
    }
    if (cym__xlsx_grow((void **)&x->text, &x->cap, x->len + (size_t)len + 1, 1) < 0) {
        cym__xml_fail(x, cym__xlsx_oom(x->err));
        return;
    }
    memcpy(x->text + x->len, s, (size_t)len);
    x->len += (size_t)len;
    x->text[x->len] = '\0';
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
                               const XML_Char *pub, int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    cym__xml_fail_msg(ud, "a DOCTYPE, which a workbook part never has (refused)");
}

XML_Parser cym__xml_new(xml_ctx *x, cym__xlsx *wb, const char *part, cym_error *err,
                        XML_StartElementHandler start, XML_EndElementHandler end)
{
    memset(x, 0, sizeof(*x));
    x->wb = wb;
    x->part = part;
    x->err = err;
    x->p = XML_ParserCreate("UTF-8");
    if (!x->p)
        return NULL;
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, start, end);
    XML_SetCharacterDataHandler(x->p, on_text);
    XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
    return x->p;
}

void cym__xml_collect_begin(xml_ctx *x)
{
    x->collecting = 1;
    x->len = 0;
    if (x->text)
        x->text[0] = '\0';
}

const char *cym__xml_collected(const xml_ctx *x)
{
    return x->text ? x->text : "";
}

/*
 * Streams the entry `part` into the expat parser `p`, counting the bytes inflated against the
 * bounds. `missing_ok`: an absent entry is CYM_OK (sharedStrings.xml and styles.xml are
 * optional).
 */
cym_status cym__xlsx_parse_part(cym__xlsx *wb, const char *part, XML_Parser p, int missing_ok,
                                cym_error *err)
{
    xml_ctx *x = XML_GetUserData(p);
    /* part names compare without case (ECMA-376 Part 2, 9.1.1.1.2), as Excel reads them */
    zip_int64_t idx = zip_name_locate(wb->za, part, ZIP_FL_NOCASE);
    zip_stat_t zs;
    zip_file_t *zf = NULL;
    size_t done = 0;
    cym_status st = CYM_OK;
    char *buf;

    if (idx < 0) {
        if (missing_ok)
            return CYM_OK;
        return cym_error_set(err, CYM_EDATA, wb->name, 0, 0,
                             "not a workbook: it has no part %s (is it an .xlsx file?)", part);
    }
    zip_stat_init(&zs);
    if (zip_stat_index(wb->za, (zip_uint64_t)idx, 0, &zs) < 0)
        return zip_failure(err, wb->name, zip_error_code_zip(zip_get_error(wb->za)));
    if ((zs.valid & ZIP_STAT_ENCRYPTION_METHOD) && zs.encryption_method != ZIP_EM_NONE)
        return zip_failure(err, wb->name, ZIP_ER_ENCRNOTSUPP);
    if ((zs.valid & ZIP_STAT_COMP_METHOD) && zs.comp_method != ZIP_CM_STORE &&
        zs.comp_method != ZIP_CM_DEFLATE)
        return zip_failure(err, wb->name, ZIP_ER_COMPNOTSUPP);
    buf = malloc(XML_CHUNK);
    if (!buf)
        return cym__xlsx_oom(err);
    zf = zip_fopen_index(wb->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        st = zip_failure(err, wb->name, zip_error_code_zip(zip_get_error(wb->za)));
        goto cleanup;
    }
    for (;;) {
        zip_int64_t n = zip_fread(zf, buf, XML_CHUNK);
        if (n < 0) {
            st = zip_failure(err, wb->name, zip_error_code_zip(zip_file_get_error(zf)));
            goto cleanup;
        }
        /* the bounds, on the bytes actually inflated */
        done += (size_t)n;
        wb->inflated += (size_t)n;
        if (done > wb->lim.max_entry) {
            st = cym_error_set(err, CYM_EDATA, wb->name, 0, 0,
                               "%s inflates to more than %zu bytes (refused; docs/security.md)",
                               part, wb->lim.max_entry);
            goto cleanup;
        }
        if (wb->inflated > wb->lim.max_total) {
            st = cym_error_set(err, CYM_EDATA, wb->name, 0, 0,
                               "the workbook inflates to more than %zu bytes in all (refused; "
                               "docs/security.md)",
                               wb->lim.max_total);
            goto cleanup;
        }
        if (done > RATIO_FLOOR && (zs.valid & ZIP_STAT_COMP_SIZE) &&
            done / wb->lim.max_ratio > zs.comp_size) {
            st = cym_error_set(err, CYM_EDATA, wb->name, 0, 0,
                               "%s is compressed more than %u to 1, as a zip bomb is (refused; "
                               "docs/security.md)",
                               part, wb->lim.max_ratio);
            goto cleanup;
        }
        if (XML_Parse(p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (x->st < 0)
                st = x->st;
            else
                st = cym_error_set(err, CYM_EDATA, wb->name, 0, 0,
                                   "%s, line %lu, column %lu: malformed XML (%s)", part,
                                   (unsigned long)XML_GetCurrentLineNumber(p),
                                   (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
                                   XML_ErrorString(XML_GetErrorCode(p)));
            goto cleanup;
        }
        if (n == 0)
            break;
    }
    if (x->st < 0)
        st = x->st;

cleanup:
    if (zf)
        zip_fclose(zf);
    free(buf);
    return st;
}

/* Parses one whole part with the handlers; frees the parser. */
static cym_status run_part(xml_ctx *x, cym__xlsx *wb, const char *part, int missing_ok,
                           cym_error *err)
{
    cym_status st;
    if (!x->p)
        return cym__xlsx_oom(err);
    st = cym__xlsx_parse_part(wb, part, x->p, missing_ok, err);
    XML_ParserFree(x->p);
    x->p = NULL;
    free(x->text);
    x->text = NULL;
    return st;
}

/* ---- the workbook: sheets and relationships ------------------------------------------ */

typedef struct rel {
    char *id, *target;
} rel;

typedef struct wb_ctx {
    xml_ctx x;
    char **rids; /* per sheet */
    rel *rels;
    size_t n_rels, cap_rels, cap_sheets;
} wb_ctx;

static char *dup_or_fail(xml_ctx *x, const char *s)
{
    char *d = cym__strdup(s ? s : "");
    if (!d)
        cym__xml_fail(x, cym__xlsx_oom(x->err));
    return d;
}

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_ctx *c = ud;
    cym__xlsx *wb = c->x.wb;
    const char *n = cym__xml_local_name(name), *st;
    sheet_entry *se;
    char **rids;
    if (!cym__xml_enter(&c->x) || strcmp(n, "sheet") != 0)
        return;
    if (wb->n_sheets >= 4096) {
        cym__xml_fail_msg(&c->x, "more than 4096 sheets (refused)");
        return;
    }
    if (cym__xlsx_grow((void **)&wb->sheets, &c->cap_sheets, wb->n_sheets + 1,
                       sizeof(*wb->sheets)) < 0 ||
        !(rids = realloc(c->rids, c->cap_sheets * sizeof(*c->rids)))) {
        cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
        return;
    }
    c->rids = rids;
    se = &wb->sheets[wb->n_sheets];
    memset(se, 0, sizeof(*se));
    c->rids[wb->n_sheets] = NULL;
    wb->n_sheets++;
    se->name = dup_or_fail(&c->x, cym__xml_attr(atts, "name"));
    c->rids[wb->n_sheets - 1] = dup_or_fail(&c->x, cym__xml_attr(atts, "id"));
    st = cym__xml_attr(atts, "state");
    se->state = !st                             ? CYM_XLSX_VISIBLE
                : strcmp(st, "hidden") == 0     ? CYM_XLSX_HIDDEN
                : strcmp(st, "veryHidden") == 0 ? CYM_XLSX_VERY_HIDDEN
                                                : CYM_XLSX_VISIBLE;
}

static void XMLCALL any_end(void *ud, const XML_Char *name)
{
    xml_ctx *x = ud;
    (void)name;
    x->depth--;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_ctx *c = ud;
    rel *r;
    if (!cym__xml_enter(&c->x) || strcmp(cym__xml_local_name(name), "Relationship") != 0)
        return;
    if (c->n_rels >= 8192) {
        cym__xml_fail_msg(&c->x, "more than 8192 relationships (refused)");
        return;
    }
    if (cym__xlsx_grow((void **)&c->rels, &c->cap_rels, c->n_rels + 1, sizeof(*c->rels)) < 0) {
        cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
        return;
    }
    r = &c->rels[c->n_rels++];
    r->id = dup_or_fail(&c->x, cym__xml_attr(atts, "Id"));
    r->target = dup_or_fail(&c->x, cym__xml_attr(atts, "Target"));
}

/* The zip entry a relationship target of xl/workbook.xml names ("worksheets/sheet1.xml" or
   "/xl/worksheets/sheet1.xml"). */
static char *resolve_target(const char *target)
{
    char buf[1024];
    if (target[0] == '/')
        snprintf(buf, sizeof(buf), "%s", target + 1);
    else
        snprintf(buf, sizeof(buf), "xl/%s", target);
    return cym__strdup(buf);
}

static cym_status read_workbook(cym__xlsx *wb, cym_error *err)
{
    wb_ctx c;
    cym_status st;
    memset(&c, 0, sizeof(c));
    cym__xml_new(&c.x, wb, "xl/workbook.xml", err, wb_start, any_end);
    st = run_part(&c.x, wb, "xl/workbook.xml", 0, err);
    if (st >= 0) {
        cym__xml_new(&c.x, wb, "xl/_rels/workbook.xml.rels", err, rels_start, any_end);
        st = run_part(&c.x, wb, "xl/_rels/workbook.xml.rels", 0, err);
    }
    for (size_t i = 0; st >= 0 && i < wb->n_sheets; i++)
        for (size_t k = 0; k < c.n_rels; k++)
            if (c.rids[i] && c.rels[k].id && strcmp(c.rids[i], c.rels[k].id) == 0 &&
                c.rels[k].target && strstr(c.rels[k].target, "worksheets/")) {
                if (!(wb->sheets[i].part = resolve_target(c.rels[k].target)))
                    st = cym__xlsx_oom(err);
                break;
            }
    for (size_t i = 0; i < wb->n_sheets && c.rids; i++)
        free(c.rids[i]);
    free(c.rids);
    for (size_t k = 0; k < c.n_rels; k++) {
        free(c.rels[k].id);
        free(c.rels[k].target);
    }
    free(c.rels);
    return st;
}

/* ---- shared strings ---------------------------------------------------------------------- */

typedef struct sst_ctx {
    xml_ctx x;
    int in_si, in_rph;
    size_t si_start; /* pool offset of the string being read */
} sst_ctx;

static int pool_add(cym__xlsx *wb, const char *s, size_t n)
{
    if (cym__xlsx_grow((void **)&wb->pool, &wb->pool_cap, wb->pool_len + n + 1, 1) < 0)
        return -1;
    memcpy(wb->pool + wb->pool_len, s, n);
    wb->pool_len += n;
    wb->pool[wb->pool_len] = '\0';
    return 0;
}

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sst_ctx *c = ud;
    cym__xlsx *wb = c->x.wb;
    const char *n = cym__xml_local_name(name);
    (void)atts;
    if (!cym__xml_enter(&c->x))
        return;
    if (strcmp(n, "si") == 0) {
        if (wb->n_strings >= wb->lim.max_strings) {
            char m[96];
            snprintf(m, sizeof(m), "more than %zu shared strings (refused)", wb->lim.max_strings);
            cym__xml_fail_msg(&c->x, m);
            return;
        }
        c->in_si = 1;
        c->si_start = wb->pool_len;
    } else if (strcmp(n, "rPh") == 0) {
        c->in_rph = 1; /* phonetic reading: not the text */
    } else if (strcmp(n, "t") == 0 && c->in_si && !c->in_rph) {
        cym__xml_collect_begin(&c->x);
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_ctx *c = ud;
    cym__xlsx *wb = c->x.wb;
    const char *n = cym__xml_local_name(name);
    c->x.depth--;
    if (strcmp(n, "t") == 0 && c->x.collecting) {
        c->x.collecting = 0;
        if (wb->pool_len - c->si_start + c->x.len > wb->lim.max_string) {
            cym__xml_fail_msg(&c->x, "a shared string over the length bound (refused)");
            return;
        }
        /* the runs of a rich string join (without their NULs) */
        if (pool_add(wb, cym__xml_collected(&c->x), c->x.len) < 0)
            cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
    } else if (strcmp(n, "rPh") == 0) {
        c->in_rph = 0;
    } else if (strcmp(n, "si") == 0 && c->in_si) {
        c->in_si = 0;
        if (cym__xlsx_grow((void **)&wb->strings, &wb->cap_strings, wb->n_strings + 1,
                           sizeof(*wb->strings)) < 0 ||
            pool_add(wb, "", 0) < 0) {
            cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
            return;
        }
        /* pool_add wrote the NUL; step over it so the next string starts after */
        wb->pool_len++;
        wb->strings[wb->n_strings++] = c->si_start;
    }
}

/* ---- number formats ---------------------------------------------------------------------- */

/* The kind of a custom format code: '%' outside quotes, or a date or time letter. */
static cym__xlsx_format classify_code(const char *s)
{
    int pct = 0, date = 0;
    for (; *s; s++) {
        if (*s == '"') { /* literal text */
            while (s[1] && s[1] != '"')
                s++;
            if (s[1])
                s++;
        } else if (*s == '\\' && s[1]) {
            s++;
        } else if (*s == '[') { /* [Red], [$-409], [h] (elapsed hours: a time) */
            if ((s[1] == 'h' || s[1] == 'm' || s[1] == 's' || s[1] == 'H' || s[1] == 'M' ||
                 s[1] == 'S') &&
                (s[2] == ']' || s[2] == s[1]))
                date = 1;
            while (s[1] && s[1] != ']')
                s++;
            if (s[1])
                s++;
        } else if (*s == '%') {
            pct = 1;
        } else if (strchr("dmyhsDMYHS", *s)) {
            date = 1;
        } else if (*s == ';') {
            break; /* the first section decides */
        }
    }
    return pct ? CYM_XLSX_FMT_PERCENT : date ? CYM_XLSX_FMT_DATE : CYM_XLSX_FMT_PLAIN;
}

static cym__xlsx_format classify_builtin(unsigned long id)
{
    if (id == 9 || id == 10)
        return CYM_XLSX_FMT_PERCENT;
    if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47))
        return CYM_XLSX_FMT_DATE;
    return CYM_XLSX_FMT_PLAIN;
}

typedef struct style_ctx {
    xml_ctx x;
    unsigned long *custom_id;
    unsigned char *custom_fmt;
    size_t n_custom, cap_custom, cap_xf;
    int in_cellxfs;
} style_ctx;

static void XMLCALL style_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    style_ctx *c = ud;
    cym__xlsx *wb = c->x.wb;
    const char *n = cym__xml_local_name(name), *id;
    unsigned long v = 0;
    if (!cym__xml_enter(&c->x))
        return;
    if (strcmp(n, "cellXfs") == 0) {
        c->in_cellxfs = 1;
        return;
    }
    id = cym__xml_attr(atts, "numFmtId");
    if (id) {
        char *e;
        v = strtoul(id, &e, 10);
        if (*e)
            v = 0;
    }
    if (strcmp(n, "numFmt") == 0 && id) {
        size_t cap = c->cap_custom;
        const char *code = cym__xml_attr(atts, "formatCode");
        if (c->n_custom >= 65536) {
            cym__xml_fail_msg(&c->x, "more than 65536 number formats (refused)");
            return;
        }
        if (cym__xlsx_grow((void **)&c->custom_id, &c->cap_custom, c->n_custom + 1,
                           sizeof(*c->custom_id)) < 0 ||
            cym__xlsx_grow((void **)&c->custom_fmt, &cap, c->n_custom + 1, 1) < 0) {
            cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
            return;
        }
        c->custom_id[c->n_custom] = v;
        c->custom_fmt[c->n_custom++] = (unsigned char)classify_code(code ? code : "");
    } else if (strcmp(n, "xf") == 0 && c->in_cellxfs) {
        cym__xlsx_format f = classify_builtin(v);
        if (wb->n_xf >= 65536) {
            cym__xml_fail_msg(&c->x, "more than 65536 cell styles (refused)");
            return;
        }
        for (size_t i = 0; i < c->n_custom; i++)
            if (c->custom_id[i] == v)
                f = (cym__xlsx_format)c->custom_fmt[i];
        if (cym__xlsx_grow((void **)&wb->xf_format, &c->cap_xf, wb->n_xf + 1, 1) < 0) {
            cym__xml_fail(&c->x, cym__xlsx_oom(c->x.err));
            return;
        }
        wb->xf_format[wb->n_xf++] = (unsigned char)f;
    }
}

static void XMLCALL style_end(void *ud, const XML_Char *name)
{
    style_ctx *c = ud;
    c->x.depth--;
    if (strcmp(cym__xml_local_name(name), "cellXfs") == 0)
        c->in_cellxfs = 0;
}

/* ---- opening -------------------------------------------------------------------------- */

static void set_limits(cym__xlsx_limits *l, const cym__xlsx_limits *in)
{
    static const cym__xlsx_limits def = {
        CYM_XLSX_MAX_FILE,  CYM_XLSX_MAX_TOTAL,   CYM_XLSX_MAX_ENTRY,
        CYM_XLSX_MAX_RATIO, CYM_XLSX_MAX_ENTRIES, CYM_XLSX_MAX_STRINGS,
        CYM_XLSX_MAX_CELLS, CYM_XLSX_MAX_DEPTH,   CYM_XLSX_MAX_STRING};
    *l = def;
    if (!in)
        return;
#define TAKE(f)                                                                                    \
    if (in->f)                                                                                     \
    l->f = in->f
    TAKE(max_file);
    TAKE(max_total);
    TAKE(max_entry);
    TAKE(max_ratio);
    TAKE(max_entries);
    TAKE(max_strings);
    TAKE(max_cells);
    TAKE(max_depth);
    TAKE(max_string);
#undef TAKE
}

/* Opens the zip archive on wb->data and reads the workbook's parts; takes over `data`. */
static cym_status open_data(cym__xlsx **out, void *data, size_t size, const char *name,
                            const cym__xlsx_limits *lim, cym_error *err)
{
    cym__xlsx *wb = calloc(1, sizeof(*wb));
    zip_error_t ze;
    zip_source_t *src;
    cym_status st;
    zip_int64_t n;

    *out = NULL;
    if (!wb) {
        free(data);
        return cym__xlsx_oom(err);
    }
    wb->data = data;
    set_limits(&wb->lim, lim);
    snprintf(wb->name, sizeof(wb->name), "%s", name);
    if ((st = sniff(data, size, name, err)) < 0)
        goto fail;
    zip_error_init(&ze);
    src = zip_source_buffer_create(data, size, 0, &ze);
    if (!src) {
        st = zip_failure(err, name, zip_error_code_zip(&ze));
        zip_error_fini(&ze);
        goto fail;
    }
    wb->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!wb->za) {
        int code = zip_error_code_zip(&ze);
        zip_source_free(src);
        /* it starts as a zip archive (sniff) but has no directory at its end: cut short */
        st = zip_failure(err, name, code == ZIP_ER_NOZIP ? ZIP_ER_INCONS : code);
        zip_error_fini(&ze);
        goto fail;
    }
    zip_error_fini(&ze);
    n = zip_get_num_entries(wb->za, 0);
    if (n < 0 || (zip_uint64_t)n > wb->lim.max_entries) {
        st = cym_error_set(err, CYM_EDATA, name, 0, 0,
                           "the workbook has more than %zu zip entries (refused; "
                           "docs/security.md)",
                           wb->lim.max_entries);
        goto fail;
    }
    if ((st = read_workbook(wb, err)) < 0)
        goto fail;
    {
        sst_ctx c;
        memset(&c, 0, sizeof(c));
        cym__xml_new(&c.x, wb, "xl/sharedStrings.xml", err, sst_start, sst_end);
        if ((st = run_part(&c.x, wb, "xl/sharedStrings.xml", 1, err)) < 0)
            goto fail;
    }
    {
        style_ctx c;
        memset(&c, 0, sizeof(c));
        cym__xml_new(&c.x, wb, "xl/styles.xml", err, style_start, style_end);
        st = run_part(&c.x, wb, "xl/styles.xml", 1, err);
        free(c.custom_id);
        free(c.custom_fmt);
        if (st < 0)
            goto fail;
    }
    *out = wb;
    return CYM_OK;

fail:
    cym__xlsx_free(wb);
    return st;
}

cym_status cym__xlsx_open_mem(cym__xlsx **out, const void *data, size_t size, const char *name,
                              const cym__xlsx_limits *lim, cym_error *err)
{
    cym__xlsx_limits l;
    void *copy;
    set_limits(&l, lim);
    *out = NULL;
    if (size > l.max_file)
        return cym_error_set(err, CYM_EDATA, name, 0, 0,
                             "the workbook is larger than %zu bytes (refused; docs/security.md)",
                             l.max_file);
    copy = malloc(size ? size : 1);
    if (!copy)
        return cym__xlsx_oom(err);
    if (size)
        memcpy(copy, data, size);
    return open_data(out, copy, size, name, lim, err);
}

cym_status cym__xlsx_open(cym__xlsx **out, const char *path, const cym__xlsx_limits *lim,
                          cym_error *err)
{
    cym__xlsx_limits l;
    FILE *f;
    char *data = NULL;
    size_t n = 0, cap = 0;
    cym_status st;
    set_limits(&l, lim);
    *out = NULL;
    if ((st = cym__input_open(&f, path, err)) < 0)
        return st;
    for (;;) {
        size_t got;
        if (n == cap && cym__xlsx_grow((void **)&data, &cap, n + 65536, 1) < 0) {
            fclose(f);
            free(data);
            return cym__xlsx_oom(err);
        }
        got = fread(data + n, 1, cap - n, f);
        n += got;
        if (n > l.max_file) {
            fclose(f);
            free(data);
            return cym_error_set(err, CYM_EDATA, path, 0, 0,
                                 "the workbook is larger than %zu bytes (refused; "
                                 "docs/security.md)",
                                 l.max_file);
        }
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        fclose(f);
        free(data);
        return cym_error_set(err, CYM_EIO, path, 0, 0, "cannot read the workbook");
    }
    fclose(f);
    return open_data(out, data, n, path, lim, err);
}

void cym__xlsx_free(cym__xlsx *wb)
{
    if (!wb)
        return;
    if (wb->za)
        zip_discard(wb->za); /* frees the source, not the buffer (freep 0) */
    free(wb->data);
    for (size_t i = 0; i < wb->n_sheets; i++) {
        free(wb->sheets[i].name);
        free(wb->sheets[i].part);
    }
    free(wb->sheets);
    free(wb->pool);
    free(wb->strings);
    free(wb->xf_format);
    free(wb);
}

size_t cym__xlsx_sheet_count(const cym__xlsx *wb)
{
    return wb->n_sheets;
}

const char *cym__xlsx_sheet_name(const cym__xlsx *wb, size_t i)
{
    return wb->sheets[i].name;
}

cym__xlsx_state cym__xlsx_sheet_state(const cym__xlsx *wb, size_t i)
{
    return wb->sheets[i].state;
}

long cym__xlsx_sheet_find(const cym__xlsx *wb, const char *name, int nocase)
{
    for (size_t i = 0; i < wb->n_sheets; i++)
        if (nocase ? cym__strcaseeq(wb->sheets[i].name, name)
                   : strcmp(wb->sheets[i].name, name) == 0)
            return (long)i;
    return -1;
}
