/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The expert weight keys of [run] (issue 9): `expert-weights` (a file with one column per
 * expert, cymetrics/experts.h) and `weight-combine` (mean or median). The file is read when
 * the framework is, so these setters only store and check the text.
 */
#include <stdio.h>
#include <string.h>

#include "config/options_internal.h"
#include "cymetrics/experts.h"

int cym__expert_is_key(const char *key)
{
    return strcmp(key, "expert-weights") == 0 || strcmp(key, "weight-combine") == 0;
}

cym_status cym__expert_set(cym_options *o, const char *key, const char *value, cym_error *err)
{
    if (strcmp(key, "expert-weights") == 0) {
        if (strlen(value) >= sizeof(o->expert_weights))
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "expert-weights is too long (at most %zu bytes)",
                                 sizeof(o->expert_weights) - 1);
        memcpy(o->expert_weights, value, strlen(value) + 1);
        return CYM_OK;
    }
    if (strcmp(key, "weight-combine") == 0) {
        cym_weight_combine how;
        if (cym_weight_combine_parse(&how, value) < 0)
            return cym_error_set(err, CYM_EUSAGE, NULL, 0, 0,
                                 "invalid weight-combine '%s' (expected mean or median)", value);
        o->weight_combine = (int)how;
        return CYM_OK;
    }
    return cym_error_set(err, CYM_EINTERNAL, NULL, 0, 0, "option '%s' has no setter", key);
}

void cym__expert_get(const cym_options *o, const char *key, char *buf, size_t n)
{
    if (strcmp(key, "expert-weights") == 0)
        snprintf(buf, n, "%s", o->expert_weights);
    else if (strcmp(key, "weight-combine") == 0)
        snprintf(buf, n, "%s", cym_weight_combine_name((cym_weight_combine)o->weight_combine));
}
