/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the .xlsx reader (src/xlsx), the whole input a workbook read from memory. The
 * bounds are made small, so that the fuzzer reaches them with inputs of its size: what it
 * must never do is expand past one, crash, leak, or return a status that disagrees with its
 * result. Every sheet is loaded and every cell looked up again.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "xlsx/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cym__xlsx_limits lim = {0};
    cym__xlsx *wb = NULL;
    cym_error err;
    cym_status st;

    lim.max_total = lim.max_entry = (size_t)4 << 20;
    lim.max_cells = 20000;
    lim.max_strings = 20000;
    lim.max_string = 4096;
    cym_error_clear(&err);
    st = cym__xlsx_open_mem(&wb, data, size, "fuzz.xlsx", &lim, &err);
    if ((st >= 0) != (wb != NULL) || (st < 0 && (err.code != st || !err.message[0])))
        abort();
    for (size_t i = 0; wb && i < cym__xlsx_sheet_count(wb); i++) {
        cym__xlsx_sheet *s = NULL;
        if (!cym__xlsx_sheet_name(wb, i))
            abort();
        st = cym__xlsx_sheet_load(&s, wb, i, &err);
        if ((st >= 0) != (s != NULL) || (st < 0 && !err.message[0]))
            abort();
        for (size_t k = 0; s && k < s->n_cells; k++) {
            const cym__xlsx_cell *c = &s->cells[k];
            if (cym__xlsx_sheet_cell(s, c->row, c->col) != c || !c->text || c->row < 1 ||
                c->row > CYM_XLSX_MAX_ROW || c->col < 1 || c->col > CYM_XLSX_MAX_COL ||
                (k && (s->cells[k - 1].row > c->row)))
                abort();
            (void)strlen(c->text);
            (void)cym__xlsx_hidden(s, c->row, c->col);
            (void)cym__xlsx_merged_at(s, c->row, c->col);
        }
        cym__xlsx_sheet_free(s);
    }
    cym__xlsx_free(wb);
    return 0;
}
