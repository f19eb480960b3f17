/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the dataset loader (src/dataset/dataset.c) on a fixed framework (the golden
 * tests' one: an index, two pillars, a binary, an ordinal:4 and a continuous indicator).
 * The input is countries.csv, a line "#DATA", then one combined data file; without the
 * marker the whole input is the data file, with fixed countries. A first line "#SEMI"
 * switches to --delimiter ';' --decimal ','.
 */
#include <stdlib.h>
#include <string.h>

#include "cymetrics/dataset.h"
#include "cymetrics/framework.h"
#include "fuzz_util.h"

static const char framework_csv[] = "code,name,parent,weight,direction,scale\n"
                                    "IDX,Index,,1,,\n"
                                    "P1,Pillar one,IDX,1,,\n"
                                    "P2,Pillar two,IDX,1,,\n"
                                    "A.BIN,A binary indicator,P1,1,+,binary\n"
                                    "A.ORD,An ordinal indicator,P1,1,+,ordinal:4\n"
                                    "B.CONT,A continuous indicator,P2,1,-,\n";
static const char countries_csv[] = "code,name,group\nVNM,Viet Nam,ASEAN\nJPN,Japan,Japan\n";

static cym_framework *fw;

static const uint8_t *find(const uint8_t *h, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(h + i, needle, k) == 0)
            return h + i;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cym_dataset *ds = NULL;
    cym_dataset_paths paths;
    cym_csv_format fmt = {0, 0};
    fuzz_file cf, df;
    cym_error err;
    cym_status st;
    const uint8_t *mark;

    if (!fw) {
        fuzz_file ff;
        fuzz_file_open(&ff, (const uint8_t *)framework_csv, sizeof(framework_csv) - 1);
        if (cym_framework_load(&fw, ff.path, &err) < 0)
            abort();
        /* ff stays open: the loader compares data paths with the framework's */
    }
    if (size >= 6 && memcmp(data, "#SEMI\n", 6) == 0) {
        fmt.delimiter = ';';
        fmt.decimal = ',';
        data += 6;
        size -= 6;
    }
    mark = find(data, size, "\n#DATA\n");
    if (mark) {
        fuzz_file_open(&cf, data, (size_t)(mark - data) + 1);
        fuzz_file_open(&df, mark + 7, size - (size_t)(mark - data) - 7);
    } else {
        fuzz_file_open(&cf, (const uint8_t *)countries_csv, sizeof(countries_csv) - 1);
        fuzz_file_open(&df, data, size);
    }
    paths.countries = cf.path;
    paths.data = df.path;
    cym_error_clear(&err);
    st = cym_dataset_load(&ds, fw, &paths, &(cym_dataset_options){fmt, NULL, NULL, 0, 0}, &err);
    if ((st >= 0) != (ds != NULL) || (st < 0 && (err.code != st || !err.message[0])))
        abort();
    cym_dataset_free(ds);
    ds = NULL;
    {
        /* going on after errors (validate): fails exactly when the first load did, with the
           first error of its list */
        cym_error_list list = {NULL, 0, 4, 0};
        cym_status st2;
        cym_error_clear(&err);
        st2 = cym_dataset_load(&ds, fw, &paths, &(cym_dataset_options){fmt, NULL, &list, 0, 0},
                               &err);
        if ((st2 >= 0) != (st >= 0) || (st2 >= 0) != (ds != NULL) ||
            (st2 < 0 && (!list.count || err.code != st2 || list.errors[0].code != st2 ||
                         strcmp(err.message, list.errors[0].message) != 0)) ||
            (st2 >= 0 && list.total))
            abort();
        cym_dataset_free(ds);
        cym_error_list_free(&list);
    }
    fuzz_file_close(&cf);
    fuzz_file_close(&df);
    return 0;
}
