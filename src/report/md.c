/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The human tables as Markdown (GitHub-flavoured pipe tables) and as HTML, and the style
 * sheet they share with the report. Every text from the inputs goes through the escapes of
 * buf.c; numbers are formatted by cym__cell_text and right-aligned.
 */
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"

static int numeric(const cym__table *t, size_t j)
{
    return t->cols[j].kind != CYM__COL_TEXT;
}

void cym__table_md(cym__buf *b, const cym__table *t, int decimals, int level)
{
    char cell[512];
    for (int i = 0; i < level; i++)
        cym__buf_put(b, "#", 1);
    cym__buf_put(b, " ", 1);
    cym__buf_md(b, t->title);
    cym__buf_puts(b, "\n\n");
    cym__buf_md(b, t->note);
    cym__buf_puts(b, "\n\n|");
    for (size_t j = 0; j < t->n_cols; j++) {
        cym__buf_put(b, " ", 1);
        cym__buf_md(b, t->cols[j].head);
        cym__buf_puts(b, " |");
    }
    cym__buf_puts(b, "\n|");
    for (size_t j = 0; j < t->n_cols; j++)
        cym__buf_puts(b, numeric(t, j) ? " ---: |" : " --- |");
    cym__buf_puts(b, "\n");
    for (size_t i = 0; i < t->n_rows; i++) {
        cym__buf_puts(b, "|");
        for (size_t j = 0; j < t->n_cols; j++) {
            cym__cell_text(cell, sizeof(cell), t, i, j, decimals);
            cym__buf_put(b, " ", 1);
            cym__buf_md(b, cell);
            cym__buf_puts(b, " |");
        }
        cym__buf_puts(b, "\n");
    }
    cym__buf_puts(b, "\n");
}

/* A class for coloured changes: better (up), worse (down). */
static const char *change_class(const cym__table *t, size_t i, size_t j, const char *text)
{
    cym__col_kind k = t->cols[j].kind;
    (void)i;
    if (k != CYM__COL_CHANGE && k != CYM__COL_RANK_CHANGE)
        return "";
    if (text[0] == '+')
        return " class=\"up\"";
    if (strncmp(text, "\u2212", 3) == 0)
        return " class=\"down\"";
    return "";
}

void cym__table_html(cym__buf *b, const cym__table *t, int decimals, int level)
{
    char cell[512];
    cym__buf_printf(b, "<section class=\"table\" id=\"table-%s\">\n<h%d>", t->id, level);
    cym__buf_html(b, t->title);
    cym__buf_printf(b, "</h%d>\n<p class=\"note\">", level);
    cym__buf_html(b, t->note);
    cym__buf_puts(b, "</p>\n<div class=\"scroll\"><table>\n<thead><tr>");
    for (size_t j = 0; j < t->n_cols; j++) {
        cym__buf_puts(b, numeric(t, j) ? "<th class=\"num\">" : "<th>");
        cym__buf_html(b, t->cols[j].head);
        cym__buf_puts(b, "</th>");
    }
    cym__buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < t->n_rows; i++) {
        cym__buf_puts(b, "<tr>");
        for (size_t j = 0; j < t->n_cols; j++) {
            cym__cell_text(cell, sizeof(cell), t, i, j, decimals);
            if (numeric(t, j)) {
                const char *cls = change_class(t, i, j, cell);
                cym__buf_printf(b, "<td class=\"num\"><span%s>", cls);
                cym__buf_html(b, cell);
                cym__buf_puts(b, "</span></td>");
            } else {
                cym__buf_puts(b, "<td>");
                cym__buf_html(b, cell);
                cym__buf_puts(b, "</td>");
            }
        }
        cym__buf_puts(b, "</tr>\n");
    }
    cym__buf_puts(b, "</tbody></table></div>\n</section>\n");
}

const char cym__report_css[] =
    ":root{--ink:#1d2733;--muted:#5b6770;--rule:#d5dbe0;--band:#f3f6f8;--accent:#0b4f8a;"
    "--up:#007a4d;--down:#b23a00}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:'DejaVu Sans','Noto Sans',Helvetica,Arial,sans-serif;color:var(--ink);"
    "margin:0 auto;max-width:1100px;padding:24px 32px;line-height:1.45;font-size:15px}\n"
    "h1{font-size:2.1em;margin:.2em 0;color:var(--accent)}\n"
    "h2{font-size:1.45em;border-bottom:2px solid var(--accent);padding-bottom:.2em;"
    "margin-top:2em}\n"
    "h3{font-size:1.15em;margin-top:1.6em}\n"
    "p.note,.muted{color:var(--muted);font-size:.88em}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.88em}\n"
    "th,td{padding:3px 8px;border-bottom:1px solid var(--rule);text-align:left;"
    "vertical-align:top}\n"
    "th{background:var(--band);border-bottom:2px solid var(--rule)}\n"
    "th.num,td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "tbody tr:nth-child(even){background:#fafbfc}\n"
    "span.up{color:var(--up)}span.down{color:var(--down)}\n"
    "figure{margin:1em 0;break-inside:avoid}\n"
    "figure img{width:100%;height:auto;border:1px solid var(--rule)}\n"
    "figcaption{color:var(--muted);font-size:.85em}\n"
    ".title-page{border-left:8px solid var(--accent);padding:40px 0 28px 28px;"
    "margin-bottom:24px}\n"
    ".title-page .subtitle{font-size:1.3em;color:var(--muted)}\n"
    ".title-page dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px;"
    "margin-top:2em}\n"
    ".title-page dt{font-weight:bold}.title-page dd{margin:0}\n"
    "nav.toc ol{columns:2}\n"
    ".findings li{margin:.35em 0}\n"
    ".profile{border-top:1px solid var(--rule);margin-top:2em}\n"
    ".profile .cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px;"
    "align-items:start}\n"
    ".radar{max-width:780px;margin:0 auto}\n"
    ".kpi{display:flex;gap:28px;flex-wrap:wrap;margin:.6em 0}\n"
    ".kpi div{background:var(--band);padding:8px 14px;border-radius:4px}\n"
    ".kpi b{display:block;font-size:1.5em}\n"
    "code,.hash{font-family:'DejaVu Sans Mono',monospace;font-size:.85em;word-break:break-all}\n"
    ".formula{font-family:'DejaVu Serif',serif;background:var(--band);padding:2px 6px}\n"
    "@media print{body{max-width:none;padding:0;font-size:11pt}"
    ".title-page{height:250mm;display:flex;flex-direction:column;justify-content:center;"
    "break-after:page}"
    "h2{break-before:page;break-after:avoid}h3{break-after:avoid}"
    ".profile{break-before:page;border:0}h2+.profile{break-before:auto}"
    "table,figure,tr{break-inside:avoid}.scroll{overflow:visible}"
    "nav.toc{break-after:page}"
    "a{color:inherit;text-decoration:none}}\n"
    "@page{size:A4;margin:16mm 14mm}\n";
