/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_REPORT_REPORT_INTERNAL_H
#define CYM_REPORT_REPORT_INTERNAL_H
/*
 * Shared by the report module's files and the run's output (src/output/tables.c): a growable
 * text buffer with the escapes of HTML and Markdown, and the human tables as data (columns
 * with a kind that says how to format and what "better" means, rows of numbers or texts), so
 * each writer (Markdown, HTML, Excel) is one loop over the same tables and a new table is one
 * builder more in table_run.c. Then the report document (report.html and report.md written
 * together) and its sections, for the report's own files.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "cymetrics/compare.h"
#include "cymetrics/plot.h"
#include "cymetrics/report.h"
#include "cymetrics/trend.h"
#include "cymetrics/uncertainty.h"
#include "io/outdir.h"

/* ---- text buffer ------------------------------------------------------------------------ */

typedef struct cym__buf {
    char *p; /* NUL-terminated while not oom */
    size_t n, cap;
    int oom; /* an allocation failed: everything after it was dropped */
} cym__buf;

void cym__buf_put(cym__buf *b, const char *s, size_t len);
void cym__buf_puts(cym__buf *b, const char *s);
void cym__buf_printf(cym__buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Text from the inputs into HTML: & < > " ' become entities (safe in text and attributes). */
void cym__buf_html(cym__buf *b, const char *s);
/**
 * Text from the inputs into Markdown: & < > as entities (renderers pass raw HTML through;
 * quotes stay), a backslash before \ ` * _ [ ] | # so no emphasis, link or table cell is
 * opened, and line breaks as blanks.
 */
void cym__buf_md(cym__buf *b, const char *s);
/** Base64 (RFC 4648) of p[0..n). */
void cym__buf_base64(cym__buf *b, const unsigned char *p, size_t n);
void cym__buf_free(cym__buf *b);

/* ---- human tables ----------------------------------------------------------------------- */

/** How a column is formatted (decimals = cym_options.decimals for scores). */
typedef enum cym__col_kind {
    CYM__COL_TEXT = 0,    /* text from the inputs or the program */
    CYM__COL_SCORE,       /* a score: fixed decimals */
    CYM__COL_RANK,        /* a rank or a count: no decimals */
    CYM__COL_CHANGE,      /* a change of score: sign, decimals, arrow (up is better) */
    CYM__COL_RANK_CHANGE, /* places gained (+) or lost (-): sign and arrow */
    CYM__COL_PCT,         /* a percentile or share in percent, no decimals */
    CYM__COL_P            /* a p-value: 3 decimals */
} cym__col_kind;

typedef struct cym__col {
    char *head; /* owned */
    cym__col_kind kind;
} cym__col;

typedef struct cym__cell {
    double v; /* numeric kinds; NaN = no value */
    char *s;  /* CYM__COL_TEXT: owned, never NULL once set ("" when empty) */
} cym__cell;

typedef struct cym__table {
    const char *id; /* static: file-safe name, Excel sheet name (<= 31 bytes) */
    char *title;    /* owned */
    char *note;     /* owned: units and which direction is better */
    size_t n_cols, n_rows, cap_rows;
    cym__col *cols;
    cym__cell *cells; /* [row][col] */
} cym__table;

/* ---- building tables (table.c) ---------------------------------------------------------- */

/** What a table builder works with; every helper sets `oom` when an allocation fails. */
typedef struct cym__tctx {
    const cym_results *r;        /* the countries (and, for a run's tables, its numbers) */
    const cym_trends *tr;        /* may be NULL */
    const cym_report_options *o;
    size_t t;      /* latest year index */
    size_t *order; /* units in row order: by index rank of the latest year (unranked last), code */
    int oom;
    const cym_compare_ties *ties; /* of year t, for a run's strengths (cym__tables_build) */
} cym__tctx;

/** A column's heading and kind, for cym__tb_cols. */
typedef struct cym__col_spec {
    const char *head;
    cym__col_kind kind;
} cym__col_spec;

/** A table `id` (static) of n_cols columns and no rows; NULL out of memory. */
cym__table *cym__tb_new(cym__tctx *c, const char *id, size_t n_cols);
void cym__tb_free(cym__table *t);
/** A formatted string in malloc'ed memory (NULL out of memory). */
char *cym__tb_dupf(cym__tctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Column j: its heading and kind; cym__tb_cols: columns j .. j + n - 1 from `spec`. */
void cym__tb_col(cym__tctx *c, cym__table *t, size_t j, const char *head, cym__col_kind kind);
void cym__tb_cols(cym__tctx *c, cym__table *t, size_t j, const cym__col_spec *spec, size_t n);
/** A new row (every number NaN, every text ""); its index, or (size_t)-1 out of memory, which
    the setters below ignore. */
size_t cym__tb_row(cym__tctx *c, cym__table *t);
void cym__tb_num(cym__table *t, size_t i, size_t j, double v);
void cym__tb_text(cym__tctx *c, cym__table *t, size_t i, size_t j, const char *s);
/** The columns Code and Country at j and j + 1, and their texts of unit u (c->r) in row i. */
void cym__tb_country_cols(cym__tctx *c, cym__table *t, size_t j);
void cym__tb_country(cym__tctx *c, cym__table *t, size_t i, size_t j, size_t u);
/** The group column of the comparisons: `compare-group`, else the first; -1 when none. */
long cym__tb_group_column(const cym__tctx *c);
/**
 * The end of a builder of tables t[0..k): out of memory (`oom`, or a title, note or heading
 * missing), frees them and returns CYM_ENOMEM; else hands them to *out, *n.
 */
cym_status cym__tb_done(cym__table ***out, size_t *n, cym__table **t, size_t k, int oom,
                        cym_error *err);

/** The human tables of a run, in report order (NULL entries never); `ties` are those of its
    latest year (cym_compare_ties_count), which the caller counts once for every reader.
    CYM_ENOMEM. */
cym_status cym__tables_build(cym__table ***out, size_t *n, const cym_results *r,
                             const cym_trends *tr, const cym_compare_ties *ties,
                             const cym_report_options *o, cym_error *err);
void cym__tables_free(cym__table **t, size_t n);

/**
 * The index across framework editions, for the joined folder of an editions run: [unit][year]
 * arrays over the years year0 .. year0 + n_years - 1 (NaN = no score). Borrowed.
 */
typedef struct cym__across_edition {
    const char *label;      /* "2018-2019", its folder edition-<label> */
    const cym_results *res; /* its run (NULL: no year of the data is its) */
} cym__across_edition;

typedef struct cym__across {
    const cym_results *last; /* the newest edition's run: the countries and their groups */
    int year0;
    size_t n_years;
    const double *own;        /* the index as its year's edition scored it */
    const double *own_rank;   /* its rank in that edition's run */
    const double *basis;      /* on the comparable basis */
    const double *basis_rank; /* rank on it (1 = highest) */
    const char *basis_name;   /* "common", "rebased" or "percentile" */
    /* for the report of the joined folder (cym__across_report_write) only: */
    const cym_results *basis_res; /* the comparable series as a run of the newest framework
                                     with the index only, as its charts are drawn; or NULL */
    const cym__across_edition *ed; /* the editions, oldest first */
    size_t n_ed;
    const char *crosswalk;         /* its path as given, or NULL */
    const cym_warnings *warnings;  /* every warning of the run, as warnings.txt */
} cym__across;

/**
 * Its human tables: the countries with a value in the group column (`compare-group`, else the
 * first) by group, then every country; rows by the comparable rank of the last scored year.
 * CYM_ENOMEM.
 */
cym_status cym__across_tables_build(cym__table ***out, size_t *n, const cym__across *a,
                                    const cym_report_options *o, cym_error *err);
/**
 * The tables of the report of the joined folder: the published ranks per edition of the
 * countries of the group column ("across-ranks") and of the first `top` by the newest
 * edition's rank ("across-top"), their movement on the comparable basis ("across-move"), and
 * their positions in the indices beside the index in the newest edition, the children of its
 * root with effective weight 0 ("across-beside"; none when there are none). CYM_ENOMEM.
 */
cym_status cym__across_report_tables(cym__table ***out, size_t *n, const cym__across *a,
                                     size_t top, const cym_report_options *o, cym_error *err);
/**
 * Writes report.html and report.md of the joined folder `outdir` (atomically, as
 * cym_report_write): the title page, key findings, the published ranks per edition, the
 * movement on the comparable basis with its caveat, the indices beside the index, the charts
 * across the editions, the editions with links to their own reports, provenance and terms, and
 * the warnings. Failures to draw a chart as cym_report_write.
 */
cym_status cym__across_report_write(const cym__across *a, const cym_report_options *o,
                                    const char *outdir, cym_warnings *failed, cym_error *err);
/**
 * order[0..n_units) = the units by index rank in year index t (unranked last), ties by code:
 * index.csv's order. Not thread-safe (qsort with a file-scope context).
 */
void cym__report_order(size_t *order, const cym_results *r, size_t t);
/** Finds a table by id, or NULL. Borrowed. */
const cym__table *cym__tables_find(cym__table *const *t, size_t n, const char *id);

/** The human text of a cell (no escaping) into buf[0..n). */
void cym__cell_text(char *buf, size_t n, const cym__table *t, size_t row, size_t col, int decimals);

/** A table as Markdown (heading level `level`, note, pipe table). */
void cym__table_md(cym__buf *b, const cym__table *t, int decimals, int level);
/** A table as an HTML <section> with <h`level`>, note and a <table>. */
void cym__table_html(cym__buf *b, const cym__table *t, int decimals, int level);

/** The style sheet of the HTML tables and the report (no network, prints cleanly). */
extern const char cym__report_css[];

/**
 * Writes the tables as a workbook at `path` (a sheet per table, then "Methodology" with the
 * settings of `manifest` and the warnings). CYM_EIO naming `display`.
 */
cym_status cym__tables_xlsx(const char *path, const char *display, cym__table *const *t, size_t n,
                            const cym_results *r, const cym_report_options *o, const json_t *manifest,
                            int decimals, cym_error *err);

/**
 * Writes results.json to `f`: every result of the run for other programs (docs/formats.md has
 * the schema), a block at a time. `ties` are those of the run's latest year (its strengths),
 * `unc` may be NULL. CYM_ENOMEM (write errors show when `f` is closed).
 */
cym_status cym__results_json(FILE *f, const cym_results *r, const cym_trends *tr,
                             const cym_compare_ties *ties, const cym_report_options *o,
                             const cym_uncertainty *unc, const json_t *manifest, cym_error *err);

/**
 * Writes the summary tables of `o->output.tables` (tables.md, tables.html, results.xlsx,
 * results.json) into an output folder already open. `manifest` as the run's, without the
 * run time.
 */
cym_status cym__report_tables_write(cym__outdir *od, const cym_results *r, const cym_trends *tr,
                                    const cym_report_options *o, const cym_uncertainty *unc,
                                    const json_t *manifest, cym_error *err);

/**
 * Writes tables.md and tables.html (as o->output.tables asks) of the index across framework
 * editions into the joined folder, already open.
 */
cym_status cym__report_across_write(cym__outdir *od, const cym__across *a,
                                    const cym_report_options *o, cym_error *err);

/** Writes text[0..n) as the file `name` of an output folder already open. */
cym_status cym__report_put(cym__outdir *od, const char *name, const char *text, size_t n,
                           cym_error *err);

/**
 * Every warning of a run (dataset's, results', trends' scope warning), appended to the empty
 * list `w`. CYM_ENOMEM leaves `w` empty.
 */
cym_status cym__report_warnings(cym_warnings *w, const cym_results *r);

/* ---- the report (report.c; its sections in findings.c, profile.c, methodology.c) ------- */

/* a chart of the HTML, drawn when the document is complete (cym__doc_figure) */
typedef struct cym__doc_fig {
    size_t at;            /* its place in the HTML: the byte offset in h */
    char *alt, *caption;  /* the figure's texts (caption may be NULL) */
} cym__doc_fig;

/** The report being written: every section goes into the HTML and the Markdown at once. */
typedef struct cym__doc {
    cym__buf h, m; /* HTML, Markdown */
    const cym_results *r;
    const cym_report_options *o;
    const cym_trends *tr;
    const cym_uncertainty *unc;
    const json_t *manifest;
    cym__table **tables;
    size_t n_tables;
    size_t *order; /* units by rank, latest year */
    size_t t;      /* latest year index */
    cym_compare_ties *ties; /* of year t, counted once for every profile */
    double *node_mean;      /* of year t per node (cym__doc_mean), and the number of */
    size_t *node_ranked;    /* countries ranked: for the profiles, NULL until the first */
    int dec;
    cym_warnings *failed;
    int oom;
    /* the charts asked for, drawn all at once at the end (cym_plot_svgs) */
    cym__doc_fig *figs;
    cym_plot_svg_req *fig_req;
    size_t n_figs, cap_figs;
} cym__doc;

/* printf into a fixed buffer, for sentences */
#define CYM__SAY(buf, ...) snprintf(buf, sizeof(buf), __VA_ARGS__)

/** The start of report.html (head, style) with <title> `title`, and its end: a footer naming
    `files`, what else the folder holds for programs. */
void cym__doc_head(cym__doc *d, const char *title);
void cym__doc_tail(cym__doc *d, const char *files);
/** The title page: its heading (the title), `subtitle` (NULL or "" for none) and the start
    of its list of cym__doc_title_row; then its end (the source and the program). */
void cym__doc_title_begin(cym__doc *d, const char *subtitle);
void cym__doc_title_end(cym__doc *d);
/** The contents (HTML only): a link to section ids[i] named names[i]; a NULL id is left out. */
void cym__doc_toc(cym__doc *d, const char *const *ids, const char *const *names, size_t n);
/** The title of the report: the dataset's title, else its name. Borrowed. */
const char *cym__doc_title(const cym_report_options *o);
/** A row "key: value" of the title page's list (key: program text, value: any text). */
void cym__doc_title_row(cym__doc *d, const char *key, const char *value);
/** Draws the figures noted by cym__doc_figure into their places, then writes the document as
    NAME.html and NAME.md into `outdir` (one commit); CYM_ENOMEM when
    the text ran out of memory. */
cym_status cym__doc_save(cym__doc *d, const char *outdir, const char *name, cym_error *err);
/* frees the figures noted by cym__doc_figure (after cym__doc_save, which draws them) */
void cym__doc_figures_free(cym__doc *d);
/** Program text as it is, into the HTML or the Markdown only. */
void cym__doc_html(cym__doc *d, const char *s);
void cym__doc_md(cym__doc *d, const char *s);
/** A heading in both; `id` names the HTML anchor (program text only; "" for none). */
void cym__doc_heading(cym__doc *d, int level, const char *id, const char *text);
/** A paragraph of plain text (escaped in both); `cls` an HTML class or NULL. */
void cym__doc_para(cym__doc *d, const char *cls, const char *text);
/** A list in both: begin (`cls` an HTML class or NULL), items of plain text, end. */
void cym__doc_list_begin(cym__doc *d, const char *cls);
void cym__doc_item(cym__doc *d, const char *text);
void cym__doc_list_end(cym__doc *d);
/** A table in both, under a heading of level `level`. */
void cym__doc_table(cym__doc *d, const cym__table *t, int level);
/** A chart as an <img> with a data URI (HTML only); on failure a note, and a line in d->failed. */
void cym__doc_figure(cym__doc *d, cym_chart_kind kind, size_t unit, const char *alt,
                     const char *caption);
/** "+1.2" / "-0.8" / "0.0" with `dec` decimals into buf[0..n). */
void cym__doc_signed(char *buf, size_t n, double v, int dec);
/** Mean score of node `nd` in year index t over the countries with one; NaN when none. */
double cym__doc_mean(const cym__doc *d, size_t t, size_t nd);

static inline double cym__doc_score(const cym__doc *d, size_t u, size_t t, size_t node)
{
    return d->r->score[cym_cube_cell(&d->r->node_cube, u, t, node)];
}

static inline double cym__doc_rank(const cym__doc *d, size_t u, size_t t, size_t node)
{
    return d->r->rank[cym_cube_cell(&d->r->node_cube, u, t, node)];
}

static inline const cym_node *cym__doc_node(const cym__doc *d, size_t n)
{
    return &d->r->fw->nodes[n];
}

static inline const char *cym__doc_uname(const cym__doc *d, size_t u)
{
    return d->r->ds->units[u].name;
}

static inline int cym__doc_year(const cym__doc *d, size_t t)
{
    return d->r->year0 + (int)t;
}

/* the sections of the report, in their order (each sets d->oom when out of memory) */
void cym__section_findings(cym__doc *d);
/** Under the ranking: the countries not ranked in the latest year and why, and those ranked
    below the coverage policy (findings.c). */
void cym__section_unranked(cym__doc *d);
void cym__section_profiles(cym__doc *d);
/** The profile of country u: a section of the report, and the whole of `report --country`. */
void cym__section_profile(cym__doc *d, size_t u);
void cym__section_methodology(cym__doc *d);
void cym__section_coverage(cym__doc *d);
void cym__section_warnings(cym__doc *d);
void cym__section_provenance(cym__doc *d);
/** The table of the inputs of `manifest` (role, file, bytes, SHA-256), in both. */
void cym__doc_inputs(cym__doc *d, const json_t *manifest);

#endif
