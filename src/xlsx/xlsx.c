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
 * parts may use a namespace prefix.
 */
#include "xlsx/xlsx.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/util.h"
#include "io/input.h"

#define XML_CHUNK 65536
#define RATIO_FLOOR ((size_t)1 << 20) /* entries smaller than this are not ratio-checked */

typedef struct sheet_entry {
    char *name;
    char *part; /* the zip entry of its worksheet, or NULL (not a worksheet) */
    cym__xlsx_state state;
} sheet_entry;

struct cym__xlsx {
    cym__xlsx_limits lim;
    char name[CYM_ERROR_FILE_MAX];
    void *data; /* the file */
    zip_t *za;
    size_t inflated; /* bytes inflated so far, against lim.max_total */
    sheet_entry *sheets;
    size_t n_sheets;
    /* shared strings: offsets into one pool */
    char *pool;
    size_t pool_len, pool_cap;
    size_t *strings;
    size_t n_strings, cap_strings;
    /* number format of each cell style (cellXfs) */
    unsigned char *xf_format;
    size_t n_xf;
};

/* ---- small helpers ------------------------------------------------------------------- */

static const char *local_name(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local_name(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

static cym_status oom(cym_error *err)
{
    return cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
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
static int parse_ref(const char *s, uint32_t *row, uint32_t *col)
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
    case ZIP_ER_MEMORY: return oom(err);
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

typedef struct xml_ctx {
    cym__xlsx *wb;
    const char *part;
    XML_Parser p;
    unsigned depth;
    cym_error *err;
    cym_status st; /* a failure of a handler, which stopped the parser */
    /* character data of the element being collected */
    char *text;
    size_t len, cap;
    int collecting;
} xml_ctx;

/* Stops the parse with a failure at the parser's position. */
static void xml_fail(xml_ctx *x, cym_status st)
{
    if (x->st >= 0)
        x->st = st;
    XML_StopParser(x->p, XML_FALSE);
}

static void xml_fail_msg(xml_ctx *x, const char *what)
{
    xml_fail(x, cym_error_set(x->err, CYM_EDATA, x->wb->name, 0, 0, "%s, line %lu: %s", x->part,
                              (unsigned long)XML_GetCurrentLineNumber(x->p), what));
}

static int enter(xml_ctx *x)
{
    if (++x->depth > x->wb->lim.max_depth) {
        char m[96];
        snprintf(m, sizeof(m), "XML nested deeper than %u elements (refused)",
                 x->wb->lim.max_depth);
        xml_fail_msg(x, m);
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
        xml_fail_msg(x, m);
        return;
    }
    if (grow((void **)&x->text, &x->cap, x->len + (size_t)len + 1, 1) < 0) {
        xml_fail(x, oom(x->err));
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
    xml_fail_msg(ud, "a DOCTYPE, which a workbook part never has (refused)");
}

static XML_Parser xml_new(xml_ctx *x, cym__xlsx *wb, const char *part, cym_error *err,
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

static void collect_begin(xml_ctx *x)
{
    x->collecting = 1;
    x->len = 0;
    if (x->text)
        x->text[0] = '\0';
}

static const char *collected(const xml_ctx *x)
{
    return x->text ? x->text : "";
}

/*
 * Streams the entry `part` into the expat parser `p`, counting the bytes inflated against the
 * bounds. `missing_ok`: an absent entry is CYM_OK (sharedStrings.xml and styles.xml are
 * optional).
 */
static cym_status parse_part(cym__xlsx *wb, const char *part, XML_Parser p, int missing_ok,
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
        return oom(err);
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
        return oom(err);
    st = parse_part(wb, part, x->p, missing_ok, err);
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
        xml_fail(x, oom(x->err));
    return d;
}

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_ctx *c = ud;
    cym__xlsx *wb = c->x.wb;
    const char *n = local_name(name), *st;
    sheet_entry *se;
    char **rids;
    if (!enter(&c->x) || strcmp(n, "sheet") != 0)
        return;
    if (wb->n_sheets >= 4096) {
        xml_fail_msg(&c->x, "more than 4096 sheets (refused)");
        return;
    }
    if (grow((void **)&wb->sheets, &c->cap_sheets, wb->n_sheets + 1, sizeof(*wb->sheets)) < 0 ||
        !(rids = realloc(c->rids, c->cap_sheets * sizeof(*c->rids)))) {
        xml_fail(&c->x, oom(c->x.err));
        return;
    }
    c->rids = rids;
    se = &wb->sheets[wb->n_sheets];
    memset(se, 0, sizeof(*se));
    c->rids[wb->n_sheets] = NULL;
    wb->n_sheets++;
    se->name = dup_or_fail(&c->x, attr(atts, "name"));
    c->rids[wb->n_sheets - 1] = dup_or_fail(&c->x, attr(atts, "id"));
    st = attr(atts, "state");
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
    if (!enter(&c->x) || strcmp(local_name(name), "Relationship") != 0)
        return;
    if (c->n_rels >= 8192) {
        xml_fail_msg(&c->x, "more than 8192 relationships (refused)");
        return;
    }
    if (grow((void **)&c->rels, &c->cap_rels, c->n_rels + 1, sizeof(*c->rels)) < 0) {
        xml_fail(&c->x, oom(c->x.err));
        return;
    }
    r = &c->rels[c->n_rels++];
    r->id = dup_or_fail(&c->x, attr(atts, "Id"));
    r->target = dup_or_fail(&c->x, attr(atts, "Target"));
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
    xml_new(&c.x, wb, "xl/workbook.xml", err, wb_start, any_end);
    st = run_part(&c.x, wb, "xl/workbook.xml", 0, err);
    if (st >= 0) {
        xml_new(&c.x, wb, "xl/_rels/workbook.xml.rels", err, rels_start, any_end);
        st = run_part(&c.x, wb, "xl/_rels/workbook.xml.rels", 0, err);
    }
    for (size_t i = 0; st >= 0 && i < wb->n_sheets; i++)
        for (size_t k = 0; k < c.n_rels; k++)
            if (c.rids[i] && c.rels[k].id && strcmp(c.rids[i], c.rels[k].id) == 0 &&
                c.rels[k].target && strstr(c.rels[k].target, "worksheets/")) {
                if (!(wb->sheets[i].part = resolve_target(c.rels[k].target)))
                    st = oom(err);
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
    if (grow((void **)&wb->pool, &wb->pool_cap, wb->pool_len + n + 1, 1) < 0)
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
    const char *n = local_name(name);
    (void)atts;
    if (!enter(&c->x))
        return;
    if (strcmp(n, "si") == 0) {
        if (wb->n_strings >= wb->lim.max_strings) {
            char m[96];
            snprintf(m, sizeof(m), "more than %zu shared strings (refused)", wb->lim.max_strings);
            xml_fail_msg(&c->x, m);
            return;
        }
        c->in_si = 1;
        c->si_start = wb->pool_len;
    } else if (strcmp(n, "rPh") == 0) {
        c->in_rph = 1; /* phonetic reading: not the text */
    } else if (strcmp(n, "t") == 0 && c->in_si && !c->in_rph) {
        collect_begin(&c->x);
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_ctx *c = ud;
    cym__xlsx *wb = c->x.wb;
    const char *n = local_name(name);
    c->x.depth--;
    if (strcmp(n, "t") == 0 && c->x.collecting) {
        c->x.collecting = 0;
        if (wb->pool_len - c->si_start + c->x.len > wb->lim.max_string) {
            xml_fail_msg(&c->x, "a shared string over the length bound (refused)");
            return;
        }
        /* the runs of a rich string join (without their NULs) */
        if (pool_add(wb, collected(&c->x), c->x.len) < 0)
            xml_fail(&c->x, oom(c->x.err));
    } else if (strcmp(n, "rPh") == 0) {
        c->in_rph = 0;
    } else if (strcmp(n, "si") == 0 && c->in_si) {
        c->in_si = 0;
        if (grow((void **)&wb->strings, &wb->cap_strings, wb->n_strings + 1, sizeof(*wb->strings)) <
                0 ||
            pool_add(wb, "", 0) < 0) {
            xml_fail(&c->x, oom(c->x.err));
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
    const char *n = local_name(name), *id;
    unsigned long v = 0;
    if (!enter(&c->x))
        return;
    if (strcmp(n, "cellXfs") == 0) {
        c->in_cellxfs = 1;
        return;
    }
    id = attr(atts, "numFmtId");
    if (id) {
        char *e;
        v = strtoul(id, &e, 10);
        if (*e)
            v = 0;
    }
    if (strcmp(n, "numFmt") == 0 && id) {
        size_t cap = c->cap_custom;
        const char *code = attr(atts, "formatCode");
        if (c->n_custom >= 65536) {
            xml_fail_msg(&c->x, "more than 65536 number formats (refused)");
            return;
        }
        if (grow((void **)&c->custom_id, &c->cap_custom, c->n_custom + 1, sizeof(*c->custom_id)) <
                0 ||
            grow((void **)&c->custom_fmt, &cap, c->n_custom + 1, 1) < 0) {
            xml_fail(&c->x, oom(c->x.err));
            return;
        }
        c->custom_id[c->n_custom] = v;
        c->custom_fmt[c->n_custom++] = (unsigned char)classify_code(code ? code : "");
    } else if (strcmp(n, "xf") == 0 && c->in_cellxfs) {
        cym__xlsx_format f = classify_builtin(v);
        if (wb->n_xf >= 65536) {
            xml_fail_msg(&c->x, "more than 65536 cell styles (refused)");
            return;
        }
        for (size_t i = 0; i < c->n_custom; i++)
            if (c->custom_id[i] == v)
                f = (cym__xlsx_format)c->custom_fmt[i];
        if (grow((void **)&wb->xf_format, &c->cap_xf, wb->n_xf + 1, 1) < 0) {
            xml_fail(&c->x, oom(c->x.err));
            return;
        }
        wb->xf_format[wb->n_xf++] = (unsigned char)f;
    }
}

static void XMLCALL style_end(void *ud, const XML_Char *name)
{
    style_ctx *c = ud;
    c->x.depth--;
    if (strcmp(local_name(name), "cellXfs") == 0)
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
        return oom(err);
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
        xml_new(&c.x, wb, "xl/sharedStrings.xml", err, sst_start, sst_end);
        if ((st = run_part(&c.x, wb, "xl/sharedStrings.xml", 1, err)) < 0)
            goto fail;
    }
    {
        style_ctx c;
        memset(&c, 0, sizeof(c));
        xml_new(&c.x, wb, "xl/styles.xml", err, style_start, style_end);
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
        return oom(err);
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
        if (n == cap && grow((void **)&data, &cap, n + 65536, 1) < 0) {
            fclose(f);
            free(data);
            return oom(err);
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

/* ---- a worksheet ------------------------------------------------------------------------ */

typedef struct cell_rec {
    cym__xlsx_cell c;
    size_t off; /* of its text in the sheet's pool */
} cell_rec;

struct sheet_impl {
    cym__xlsx_sheet pub;
    cell_rec *recs;
    cym__xlsx_cell *cells;
    cym__xlsx_range *merged, *hcols;
    uint32_t *hrows;
    char *pool;
};

typedef struct ws_ctx {
    xml_ctx x;
    cell_rec *recs;
    size_t n, cap;
    char *pool;
    size_t pool_len, pool_cap;
    cym__xlsx_range *merged, *hcols;
    size_t n_merged, cap_merged, n_hcols, cap_hcols;
    uint32_t *hrows;
    size_t n_hrows, cap_hrows;
    uint32_t row, col; /* of the current cell, and the last row seen */
    char type[12];
    unsigned long style;
    int in_c, in_v, in_is, has_f, has_v, in_sheetdata;
} ws_ctx;

static void ws_fail_cell(ws_ctx *c, const char *what, const char *ref)
{
    char m[256];
    snprintf(m, sizeof(m), "%s '%.40s'", what, ref ? ref : "");
    xml_fail_msg(&c->x, m);
}

static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    ws_ctx *c = ud;
    const char *n = local_name(name);
    if (!enter(&c->x))
        return;
    if (strcmp(n, "sheetData") == 0) {
        c->in_sheetdata = 1;
    } else if (strcmp(n, "row") == 0 && c->in_sheetdata) {
        const char *r = attr(atts, "r"), *h = attr(atts, "hidden");
        if (r) {
            long v;
            if (cym__parse_long(r, 1, CYM_XLSX_MAX_ROW, &v) < 0) {
                ws_fail_cell(c, "a row number outside 1-1048576:", r);
                return;
            }
            c->row = (uint32_t)v;
        } else {
            if (c->row >= CYM_XLSX_MAX_ROW) {
                ws_fail_cell(c, "a row after the last row of the grid", "");
                return;
            }
            c->row++;
        }
        c->col = 0;
        if (h && (strcmp(h, "1") == 0 || strcmp(h, "true") == 0)) {
            if (grow((void **)&c->hrows, &c->cap_hrows, c->n_hrows + 1, sizeof(*c->hrows)) < 0) {
                xml_fail(&c->x, oom(c->x.err));
                return;
            }
            c->hrows[c->n_hrows++] = c->row;
        }
    } else if (strcmp(n, "c") == 0 && c->in_sheetdata) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        if (r) {
            uint32_t row, col;
            if (!parse_ref(r, &row, &col)) {
                ws_fail_cell(c, "a cell reference outside the grid (A1:XFD1048576):", r);
                return;
            }
            c->row = row; /* a row element without r took its number from here */
            c->col = col;
        } else {
            if (c->col >= CYM_XLSX_MAX_COL || !c->row) {
                ws_fail_cell(c, "a cell outside the grid", "");
                return;
            }
            c->col++;
        }
        snprintf(c->type, sizeof(c->type), "%s", t ? t : "n");
        c->style = s ? strtoul(s, NULL, 10) : 0;
        c->in_c = 1;
        c->has_f = c->has_v = 0;
        collect_begin(&c->x);
        c->x.collecting = 0;
    } else if (c->in_c && strcmp(n, "f") == 0) {
        c->has_f = 1;
    } else if (c->in_c && strcmp(n, "v") == 0) {
        c->in_v = 1;
        c->has_v = 1;
        collect_begin(&c->x);
    } else if (c->in_c && strcmp(n, "is") == 0) {
        c->in_is = 1;
        c->has_v = 1;
        collect_begin(&c->x);
        c->x.collecting = 0;
    } else if (c->in_is && strcmp(n, "t") == 0) {
        c->x.collecting = 1; /* the runs of an inline string join */
    } else if (c->in_is && strcmp(n, "rPh") == 0) {
        c->in_is = 2; /* phonetic: not the text */
    } else if (strcmp(n, "col") == 0) {
        const char *h = attr(atts, "hidden"), *a = attr(atts, "min"), *b = attr(atts, "max");
        long lo, hi;
        if (!h || !(strcmp(h, "1") == 0 || strcmp(h, "true") == 0))
            return;
        if (!a || !b || cym__parse_long(a, 1, CYM_XLSX_MAX_COL, &lo) < 0 ||
            cym__parse_long(b, lo, CYM_XLSX_MAX_COL, &hi) < 0) {
            ws_fail_cell(c, "a column range outside the grid", a);
            return;
        }
        if (c->n_hcols >= 65536 ||
            grow((void **)&c->hcols, &c->cap_hcols, c->n_hcols + 1, sizeof(*c->hcols)) < 0) {
            xml_fail(&c->x, oom(c->x.err));
            return;
        }
        c->hcols[c->n_hcols++] = (cym__xlsx_range){0, (uint32_t)lo, 0, (uint32_t)hi};
    } else if (strcmp(n, "mergeCell") == 0) {
        const char *ref = attr(atts, "ref");
        char a[32];
        const char *colon = ref ? strchr(ref, ':') : NULL;
        cym__xlsx_range m;
        if (!ref || !colon || (size_t)(colon - ref) >= sizeof(a)) {
            ws_fail_cell(c, "a merged range that is not A1:B2", ref);
            return;
        }
        memcpy(a, ref, (size_t)(colon - ref));
        a[colon - ref] = '\0';
        if (!parse_ref(a, &m.r1, &m.c1) || !parse_ref(colon + 1, &m.r2, &m.c2) || m.r2 < m.r1 ||
            m.c2 < m.c1) {
            ws_fail_cell(c, "a merged range outside the grid", ref);
            return;
        }
        if (c->n_merged >= 65536 ||
            grow((void **)&c->merged, &c->cap_merged, c->n_merged + 1, sizeof(*c->merged)) < 0) {
            xml_fail(&c->x, oom(c->x.err));
            return;
        }
        c->merged[c->n_merged++] = m;
    }
}

static int ws_pool_add(ws_ctx *c, const char *s, size_t n, size_t *off)
{
    if (grow((void **)&c->pool, &c->pool_cap, c->pool_len + n + 1, 1) < 0)
        return -1;
    *off = c->pool_len;
    memcpy(c->pool + c->pool_len, s, n);
    c->pool[c->pool_len + n] = '\0';
    c->pool_len += n + 1;
    return 0;
}

/* The cell just closed, from its type, value and style. */
static void ws_cell(ws_ctx *c)
{
    cym__xlsx *wb = c->x.wb;
    cell_rec *r;
    const char *v = collected(&c->x), *text = v;
    size_t tlen = c->x.len;
    char ref[64];
    if (c->n >= wb->lim.max_cells) {
        char m[96];
        snprintf(m, sizeof(m), "more than %zu cells (refused)", wb->lim.max_cells);
        xml_fail_msg(&c->x, m);
        return;
    }
    if (grow((void **)&c->recs, &c->cap, c->n + 1, sizeof(*c->recs)) < 0) {
        xml_fail(&c->x, oom(c->x.err));
        return;
    }
    r = &c->recs[c->n];
    memset(r, 0, sizeof(*r));
    r->c.row = c->row;
    r->c.col = c->col;
    r->c.formula = c->has_f;
    r->c.num = NAN;
    r->c.format =
        c->style < wb->n_xf ? (cym__xlsx_format)wb->xf_format[c->style] : CYM_XLSX_FMT_PLAIN;
    snprintf(ref, sizeof(ref), "row %lu, column %lu", (unsigned long)c->row, (unsigned long)c->col);
    if (!c->has_v || (strcmp(c->type, "inlineStr") != 0 && !v[0])) {
        r->c.type = CYM_XLSX_EMPTY;
        text = "";
        tlen = 0;
    } else if (strcmp(c->type, "s") == 0) {
        long i;
        if (cym__parse_long(v, 0, (long)wb->n_strings - 1, &i) < 0) {
            ws_fail_cell(c, "a shared string index out of the table at", ref);
            return;
        }
        r->c.type = CYM_XLSX_STRING;
        text = wb->pool + wb->strings[i];
        tlen = strlen(text);
    } else if (strcmp(c->type, "str") == 0 || strcmp(c->type, "inlineStr") == 0) {
        r->c.type = CYM_XLSX_STRING;
    } else if (strcmp(c->type, "d") == 0) {
        r->c.type = CYM_XLSX_STRING;
        r->c.format = CYM_XLSX_FMT_DATE;
    } else if (strcmp(c->type, "b") == 0) {
        r->c.type = CYM_XLSX_BOOL;
        if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
            ws_fail_cell(c, "a boolean that is not 0 or 1 at", ref);
            return;
        }
        r->c.num = v[0] == '1';
        text = v[0] == '1' ? "TRUE" : "FALSE";
        tlen = strlen(text);
    } else if (strcmp(c->type, "e") == 0) {
        r->c.type = CYM_XLSX_ERROR;
    } else if (strcmp(c->type, "n") == 0) {
        if (cym__parse_number(v, &r->c.num) != CYM_NUM_OK) {
            ws_fail_cell(c, "a number cell that holds no number at", ref);
            return;
        }
        r->c.type = CYM_XLSX_NUMBER;
    } else {
        ws_fail_cell(c, "an unknown cell type", c->type);
        return;
    }
    if (ws_pool_add(c, text, tlen, &r->off) < 0) {
        xml_fail(&c->x, oom(c->x.err));
        return;
    }
    c->n++;
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
    ws_ctx *c = ud;
    const char *n = local_name(name);
    c->x.depth--;
    if (strcmp(n, "sheetData") == 0) {
        c->in_sheetdata = 0;
    } else if (strcmp(n, "v") == 0 && c->in_v) {
        c->in_v = 0;
        c->x.collecting = 0;
    } else if (strcmp(n, "is") == 0 && c->in_is) {
        c->in_is = 0;
        c->x.collecting = 0;
    } else if (strcmp(n, "rPh") == 0 && c->in_is == 2) {
        c->in_is = 1;
    } else if (strcmp(n, "t") == 0 && c->in_is) {
        c->x.collecting = 0;
    } else if (strcmp(n, "c") == 0 && c->in_c) {
        c->in_c = 0;
        c->x.collecting = 0;
        ws_cell(c);
    }
}

static int cell_cmp(const void *a, const void *b)
{
    const cell_rec *x = a, *y = b;
    if (x->c.row != y->c.row)
        return x->c.row < y->c.row ? -1 : 1;
    return x->c.col < y->c.col ? -1 : x->c.col > y->c.col;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

void cym__xlsx_sheet_free(cym__xlsx_sheet *s)
{
    struct sheet_impl *si = (struct sheet_impl *)s;
    if (!si)
        return;
    free(si->cells);
    free(si->merged);
    free(si->hcols);
    free(si->hrows);
    free(si->pool);
    free(si);
}

cym_status cym__xlsx_sheet_load(cym__xlsx_sheet **out, cym__xlsx *wb, size_t i, cym_error *err)
{
    ws_ctx c;
    struct sheet_impl *si;
    cym_status st;
    *out = NULL;
    if (i >= wb->n_sheets)
        return cym_error_set(err, CYM_EINTERNAL, wb->name, 0, 0, "no sheet %zu", i);
    if (!wb->sheets[i].part)
        return cym_error_set(err, CYM_EDATA, wb->name, 0, 0,
                             "sheet '%s' is not a worksheet (a chart sheet?)", wb->sheets[i].name);
    memset(&c, 0, sizeof(c));
    if (!xml_new(&c.x, wb, wb->sheets[i].part, err, ws_start, ws_end))
        return oom(err);
    st = parse_part(wb, wb->sheets[i].part, c.x.p, 0, err);
    XML_ParserFree(c.x.p);
    free(c.x.text);
    si = calloc(1, sizeof(*si));
    if (st >= 0 && !si)
        st = oom(err);
    if (st >= 0 && !(si->cells = malloc((c.n ? c.n : 1) * sizeof(*si->cells))))
        st = oom(err);
    if (st >= 0) {
        if (c.n) /* (qsort and bsearch take no NULL, even for no elements) */
            qsort(c.recs, c.n, sizeof(*c.recs), cell_cmp);
        for (size_t k = 0; k < c.n && st >= 0; k++) {
            if (k && cell_cmp(&c.recs[k - 1], &c.recs[k]) == 0)
                st = cym_error_set(err, CYM_EDATA, wb->name, 0, 0,
                                   "%s: the cell at row %lu, column %lu is given twice (a "
                                   "damaged workbook)",
                                   wb->sheets[i].part, (unsigned long)c.recs[k].c.row,
                                   (unsigned long)c.recs[k].c.col);
            si->cells[k] = c.recs[k].c;
            si->cells[k].text = c.pool + c.recs[k].off;
        }
        if (c.n_hrows)
            qsort(c.hrows, c.n_hrows, sizeof(*c.hrows), u32_cmp);
    }
    free(c.recs);
    if (st < 0) {
        free(c.pool);
        free(c.merged);
        free(c.hcols);
        free(c.hrows);
        if (si)
            cym__xlsx_sheet_free(&si->pub);
        return st;
    }
    si->pool = c.pool;
    si->merged = c.merged;
    si->hcols = c.hcols;
    si->hrows = c.hrows;
    si->pub.cells = si->cells;
    si->pub.n_cells = c.n;
    si->pub.merged = c.merged;
    si->pub.n_merged = c.n_merged;
    si->pub.hidden_rows = c.hrows;
    si->pub.n_hidden_rows = c.n_hrows;
    si->pub.hidden_cols = c.hcols;
    si->pub.n_hidden_cols = c.n_hcols;
    *out = &si->pub;
    return CYM_OK;
}

const cym__xlsx_cell *cym__xlsx_sheet_cell(const cym__xlsx_sheet *s, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = s->n_cells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const cym__xlsx_cell *m = &s->cells[mid];
        if (m->row < row || (m->row == row && m->col < col))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n_cells && s->cells[lo].row == row && s->cells[lo].col == col)
        return &s->cells[lo];
    return NULL;
}

int cym__xlsx_hidden(const cym__xlsx_sheet *s, uint32_t row, uint32_t col)
{
    if (row && s->n_hidden_rows &&
        bsearch(&row, s->hidden_rows, s->n_hidden_rows, sizeof(*s->hidden_rows), u32_cmp))
        return 1;
    for (size_t i = 0; col && i < s->n_hidden_cols; i++)
        if (col >= s->hidden_cols[i].c1 && col <= s->hidden_cols[i].c2)
            return 1;
    return 0;
}

const cym__xlsx_range *cym__xlsx_merged_at(const cym__xlsx_sheet *s, uint32_t row, uint32_t col)
{
    for (size_t i = 0; i < s->n_merged; i++) {
        const cym__xlsx_range *m = &s->merged[i];
        if (row >= m->r1 && row <= m->r2 && col >= m->c1 && col <= m->c2)
            return m;
    }
    return NULL;
}
