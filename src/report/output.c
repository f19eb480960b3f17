/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The summary tables of a run in the formats of `--tables`: tables.md and tables.html (every
 * human table, for reading and pasting), results.xlsx (a sheet per table) and results.json
 * (every result, for programs). Written into the run's output folder with its other files, so
 * they are committed, or not, together. A run with framework editions also gets tables.md and
 * tables.html of the index across the editions in its joined folder.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"
#include "trend/trend_internal.h"

cym_status cym__report_warnings(cym_warnings *w, const cym_results *r)
{
    const char *line;
    int bad = 0;
    for (size_t i = 0; !bad && (line = cym__trend_run_warning(r, i)) != NULL; i++)
        bad = cym_warnings_add(w, "%s", line) < 0;
    if (bad) {
        /* nothing half-listed is left to the caller */
        cym_warnings_clear(w);
        return CYM_ENOMEM;
    }
    return CYM_OK;
}

cym_status cym__report_put(cym__outdir *od, const char *name, const char *text, size_t n,
                          cym_error *err)
{
    FILE *f;
    cym_status st = cym__outdir_create(&f, od, name, err);
    if (st < 0)
        return st;
    fwrite(text, 1, n, f);
    return cym__outdir_close(od, f, name, err);
}

/* tables.md and tables.html of the tables t[0..n), as `want` asks, headed "TITLE: what" */
static cym_status write_text(cym__outdir *od, cym__table *const *t, size_t n,
                             const cym_report_options *o, unsigned want, const char *what,
                             cym_error *err)
{
    cym__buf b = {0};
    cym_status st = CYM_OK;
    if (want & CYM_TABLES_MD) {
        cym__buf_puts(&b, "# ");
        cym__buf_md(&b, cym__doc_title(o));
        cym__buf_printf(&b, ": %s\n\n", what);
        for (size_t i = 0; i < n; i++)
            cym__table_md(&b, t[i], o->output.decimals, 2);
        if (b.oom || (st = cym__report_put(od, "tables.md", b.p, b.n, err)) < 0)
            goto cleanup;
        cym__buf_free(&b);
    }
    if (want & CYM_TABLES_HTML) {
        cym__buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                          "'none'; style-src 'unsafe-inline'\">\n<title>");
        cym__buf_html(&b, cym__doc_title(o));
        cym__buf_printf(&b, ": %s</title>\n<style>\n", what);
        cym__buf_puts(&b, cym__report_css);
        cym__buf_puts(&b, "</style>\n</head>\n<body>\n<h1>");
        cym__buf_html(&b, cym__doc_title(o));
        cym__buf_puts(&b, "</h1>\n");
        for (size_t i = 0; i < n; i++)
            cym__table_html(&b, t[i], o->output.decimals, 2);
        cym__buf_puts(&b, "</body>\n</html>\n");
        if (b.oom || (st = cym__report_put(od, "tables.html", b.p, b.n, err)) < 0)
            goto cleanup;
    }
cleanup:
    if (b.oom && st == CYM_OK)
        st = cym_error_set(err, CYM_ENOMEM, NULL, 0, 0, "out of memory");
    cym__buf_free(&b);
    return st;
}

/*
 * Returns to the system the memory malloc keeps after a writer freed it (libxlsxwriter's
 * worksheets, the text of tables.html, the blocks of results.json: tens of MB at 2,000
 * countries), so that the report's buffers after it do not come on top of it at the run's
 * peak (docs/performance.md, "The default run at scale"). glibc only; elsewhere nothing.
 */
static void give_back(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

cym_status cym__report_tables_write(cym__outdir *od, const cym_results *r, const cym_trends *tr,
                                    const cym_report_options *o, const cym_uncertainty *unc,
                                    const json_t *manifest, cym_error *err)
{
    cym__table **t = NULL;
    size_t n = 0;
    cym_compare_ties *ties = NULL;
    cym_status st = CYM_OK;
    unsigned want = o->output.tables;

    if (!(want & (CYM_TABLES_MD | CYM_TABLES_HTML | CYM_TABLES_XLSX | CYM_TABLES_JSON)))
        return CYM_OK;
    /* the strengths of the tables and of results.json: the ties counted once */
    if ((st = cym_compare_ties_count(&ties, r, r->n_years - 1, err)) < 0)
        return st;
    if ((want & (CYM_TABLES_MD | CYM_TABLES_HTML | CYM_TABLES_XLSX)) &&
        (st = cym__tables_build(&t, &n, r, tr, ties, o, err)) < 0)
        goto cleanup;
    if ((st = write_text(od, t, n, o, want, "summary tables", err)) < 0)
        goto cleanup;
    if (want & CYM_TABLES_XLSX) {
        const char *tmp;
        char display[CYM_PATH_MAX + 16];
        snprintf(display, sizeof(display), "%s/results.xlsx", od->dir);
        if ((st = cym__outdir_reserve(&tmp, od, "results.xlsx", err)) < 0)
            goto cleanup;
        if ((st = cym__tables_xlsx(tmp, display, t, n, r, o, manifest, o->output.decimals, err)) < 0)
            goto cleanup;
        give_back();
    }
    if (want & CYM_TABLES_JSON) {
        FILE *f;
        if ((st = cym__outdir_create(&f, od, "results.json", err)) < 0)
            goto cleanup;
        if ((st = cym__results_json(f, r, tr, ties, o, unc, manifest, err)) < 0) {
            fclose(f);
            goto cleanup;
        }
        if ((st = cym__outdir_close(od, f, "results.json", err)) < 0)
            goto cleanup;
    }
cleanup:
    cym__tables_free(t, n);
    cym_compare_ties_free(ties);
    give_back();
    return st;
}

cym_status cym__report_across_write(cym__outdir *od, const cym__across *a,
                                    const cym_report_options *o, cym_error *err)
{
    cym__table **t = NULL;
    size_t n = 0;
    cym_status st;
    if (!(o->output.tables & (CYM_TABLES_MD | CYM_TABLES_HTML)))
        return CYM_OK;
    if ((st = cym__across_tables_build(&t, &n, a, o, err)) < 0)
        return st;
    st = write_text(od, t, n, o, o->output.tables, "the index across editions", err);
    cym__tables_free(t, n);
    return st;
}
