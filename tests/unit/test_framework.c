/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Framework loader (src/framework/framework.c): the tree it builds and the rules it checks.
 * Expected levels, orders and counts are read off the small files written in each test (and
 * off indicators/asean-japan.csv, whose levels docs/formats.md states: TEC.IR 2, TEC 3, AJCI 4).
 * The golden tests hold the exact wording of the messages; here the position and status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cymetrics/framework.h"

static cym_framework *load_text(const char *text)
{
    cym_framework *fw = NULL;
    cym_error err;
    cym_status st = cym_framework_load(&fw, cym_test_write_temp("fw.csv", text), &err);
    if (st != CYM_OK)
        fail_msg("load failed: %lu:%lu: %s", err.line, err.column, err.message);
    return fw;
}

static const cym_node *node(const cym_framework *fw, const char *code)
{
    long i = cym_framework_find(fw, code);
    if (i < 0)
        fail_msg("no node '%s'", code);
    return &fw->nodes[i];
}

/* Every child comes before its parent, and every node appears exactly once. */
static void assert_bottom_up(const cym_framework *fw)
{
    size_t *pos = malloc(fw->n_nodes * sizeof(*pos));
    assert_non_null(pos);
    for (size_t i = 0; i < fw->n_nodes; i++)
        pos[i] = (size_t)-1;
    for (size_t k = 0; k < fw->n_nodes; k++) {
        assert_true(fw->bottom_up[k] < fw->n_nodes);
        assert_int_equal(pos[fw->bottom_up[k]], (size_t)-1);
        pos[fw->bottom_up[k]] = k;
    }
    for (size_t i = 0; i < fw->n_nodes; i++)
        if (fw->nodes[i].parent >= 0 && !(pos[i] < pos[fw->nodes[i].parent]))
            fail_msg("'%s' comes after its parent in bottom_up", fw->nodes[i].code);
    assert_int_equal(fw->bottom_up[fw->n_nodes - 1], fw->root);
    free(pos);
}

static void test_bundled(void **state)
{
    cym_framework *fw = NULL;
    cym_error err;
    const cym_node *n;
    (void)state;
    assert_int_equal(cym_framework_load(&fw, CYM_SOURCE_DIR "/indicators/asean-japan.csv", &err),
                     CYM_OK);
    /* 1 index + 5 pillars + 2 sub-pillars + 28 indicators (count of the file's rows) */
    assert_int_equal(fw->n_nodes, 36);
    assert_int_equal(fw->n_indicators, 28);
    assert_int_equal(fw->levels, 4);
    assert_string_equal(fw->nodes[fw->root].code, "AJCI");
    assert_int_equal(node(fw, "AJCI")->level, 4);
    assert_int_equal(node(fw, "TEC")->level, 3);
    assert_int_equal(node(fw, "LEG")->level, 2);
    assert_int_equal(node(fw, "TEC.IR")->level, 2);
    assert_int_equal(node(fw, "TEC.IR.CERT")->level, 1);
    /* indicators in file order: the first leaf row is LEG.CYBERCRIME, the last COO.ACK */
    assert_string_equal(fw->nodes[fw->indicators[0]].code, "LEG.CYBERCRIME");
    assert_string_equal(fw->nodes[fw->indicators[27]].code, "COO.ACK");
    for (size_t i = 1; i < fw->n_indicators; i++)
        assert_true(fw->indicators[i - 1] < fw->indicators[i]);
    for (size_t i = 0; i < fw->n_indicators; i++)
        assert_int_equal(fw->nodes[fw->indicators[i]].n_children, 0);
    assert_bottom_up(fw);
    n = node(fw, "TEC");
    assert_int_equal(n->n_children, 2);
    assert_string_equal(fw->nodes[n->children[0]].code, "TEC.IR");
    assert_string_equal(fw->nodes[n->children[1]].code, "TEC.INF");
    assert_close(node(fw, "LEG")->weight, 20.0);
    n = node(fw, "TEC.IR.RESPTIME");
    assert_int_equal(n->direction, -1);
    assert_string_equal(n->unit, "hours");
    assert_int_equal(node(fw, "TEC.IR.HANDLED")->direction, 1);
    n = node(fw, "TEC.IR.CERT");
    assert_int_equal(n->scale, CYM_SCALE_ORDINAL);
    assert_int_equal(n->scale_k, 4);
    assert_int_equal(node(fw, "LEG.CII")->scale, CYM_SCALE_BINARY);
    assert_int_equal(node(fw, "LEG.REGS")->scale, CYM_SCALE_CONTINUOUS);
    assert_true(isnan(n->goal_lo) && isnan(n->goal_hi) && isnan(n->target));
    assert_int_equal(node(fw, "TEC.IR")->line, 8);
    assert_int_equal(fw->n_denominators, 0);
    assert_int_equal(cym_framework_find(fw, "NOPE"), -1);
    cym_framework_free(fw);
}

static void test_file_order_free(void **state)
{
    /* children listed before their parents, columns in another order, no name column */
    cym_framework *fw = load_text("parent,code,weight,goal_lo,goal_hi,target,denominator\n"
                                  "B,b1,,0,100,50,POP\n"
                                  "A,a1,2,,,,\n"
                                  "ROOT,B,1,,,,\n"
                                  "B,b2,0,,,,POP\n"
                                  ",ROOT,,,,,\n"
                                  "ROOT,A,3,,,,\n");
    const cym_node *b1;
    (void)state;
    assert_int_equal(fw->n_nodes, 6);
    assert_int_equal(fw->root, 4);
    assert_int_equal(fw->levels, 3);
    assert_bottom_up(fw);
    assert_int_equal(fw->n_indicators, 3);
    assert_string_equal(fw->nodes[fw->indicators[0]].code, "b1");
    assert_string_equal(fw->nodes[fw->indicators[1]].code, "a1");
    assert_string_equal(fw->nodes[fw->indicators[2]].code, "b2");
    b1 = node(fw, "b1");
    assert_string_equal(b1->name, "b1"); /* the name defaults to the code */
    assert_close(b1->weight, 1.0);       /* empty weight: 1 */
    assert_close(b1->goal_lo, 0.0);
    assert_close(b1->goal_hi, 100.0);
    assert_close(b1->target, 50.0);
    assert_close(node(fw, "b2")->weight, 0.0);
    assert_close(node(fw, "A")->weight, 3.0);
    assert_true(isnan(node(fw, "a1")->goal_lo));
    assert_int_equal(fw->n_denominators, 1); /* POP, named twice */
    assert_string_equal(fw->denominators[0], "POP");
    cym_framework_free(fw);

    fw = load_text("code,parent,denominator,method\n"
                   "R,,,geometric\n"
                   "P,R,,power:2\n"
                   "i1,P,POP,\n"
                   "i2,P,POP,\n"
                   "i3,R,GDP,\n");
    assert_int_equal(fw->n_denominators, 2);
    assert_string_equal(fw->denominators[0], "POP");
    assert_string_equal(fw->denominators[1], "GDP");
    assert_true(node(fw, "R")->has_method);
    assert_int_equal(node(fw, "R")->method.method, CYM_AGG_GEOMETRIC);
    assert_int_equal(node(fw, "P")->method.method, CYM_AGG_POWER);
    assert_close(node(fw, "P")->method.p, 2.0);
    assert_false(node(fw, "i1")->has_method);
    cym_framework_free(fw);
}

static void test_deep_chain(void **state)
{
    /* 10,000 levels: N0 the root, N(i) the parent of N(i+1); must not overflow the stack */
    enum { DEPTH = 10000 };
    size_t cap = (size_t)DEPTH * 24 + 32, len = 0;
    char *text = malloc(cap);
    cym_framework *fw;
    (void)state;
    assert_non_null(text);
    len += (size_t)sprintf(text + len, "code,parent\nN0,\n");
    for (int i = 1; i < DEPTH; i++)
        len += (size_t)sprintf(text + len, "N%d,N%d\n", i, i - 1);
    fw = load_text(text);
    assert_int_equal(fw->n_nodes, DEPTH);
    assert_int_equal(fw->levels, DEPTH);
    assert_int_equal(fw->n_indicators, 1);
    assert_string_equal(fw->nodes[fw->indicators[0]].code, "N9999");
    assert_int_equal(node(fw, "N1")->level, DEPTH - 1);
    assert_bottom_up(fw);
    assert_int_equal(fw->bottom_up[0], DEPTH - 1);
    cym_framework_free(fw);

    /* the same chain, closed into a cycle far from the root: found without recursion */
    len = 0;
    len += (size_t)sprintf(text + len, "code,parent\nR,\nleaf,R\n");
    for (int i = 0; i < DEPTH; i++)
        len += (size_t)sprintf(text + len, "C%d,C%d\n", i, (i + 1) % DEPTH);
    {
        cym_error err;
        fw = NULL;
        assert_int_equal(cym_framework_load(&fw, cym_test_write_temp("cyc.csv", text), &err),
                         CYM_EDATA);
        assert_null(fw);
        assert_non_null(strstr(err.message, "cycle in the framework: C"));
    }
    free(text);
}

static void test_errors(void **state)
{
    /* positions counted by hand in each text */
    static const struct {
        const char *text;
        unsigned long line, col;
        const char *words;
    } cases[] = {
        {"", 1, 0, "empty"},
        {"code,parent\n", 1, 0, "no rows"},
        {"code,parent;x\nR,;\n", 1, 12, "cannot tell the delimiter"},
        {"code,parnet\n", 1, 6, "did you mean 'parent'"},
        {"code,name\nR,x\n", 1, 1, "missing required column 'parent'"},
        {"code,parent,code\n", 1, 13, "appears twice"},
        {"code,parent\nR,\ni,R,x\n", 3, 5, "3 fields, the header has 2"},
        {"code,parent\nR,\ni\n", 3, 1, "1 field, the header has 2"},
        {"code,parent\nR,\n,R\n", 3, 1, "empty code"},
        {"code,parent\nR,\nab$c,R\n", 3, 3, "invalid character in code"},
        {"code,parent\nR,\n\"a b\",R\n", 3, 3, "invalid character in code"},
        {"code,parent\nR,\n"
         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,R\n",
         3, 1, "65 characters long"},
        {"code,parent\nR,\ni,R\ni,R\n", 4, 1, "duplicate code 'i' (first defined on line 3)"},
        {"code,parent\nR,\ni,R\nj,\n", 4, 3, "already the root"},
        {"code,parent\nR,i\ni,R\n", 2, 0, "no root"},
        {"code,parent\nR,\ni,QX\nQQ,R\n", 3, 3,
         "parent 'QX' of 'i' is not defined (did you mean 'QQ'?)"},
        {"code,parent\nR,\ni,R\nj,k\nk,j\n", 4, 3, "cycle in the framework: j -> k -> j"},
        {"code,parent\nR,\ni,i\nj,R\n", 3, 3, "cycle in the framework: i -> i"},
        {"code,parent,weight\nR,,\ni,R,-1\n", 3, 5, "negative"},
        {"code,parent,weight\nR,,\ni,R,NaN\n", 3, 5, "not a finite number"},
        {"code,parent,weight\nR,,\ni,R,1e999\n", 3, 5, "not a finite number"},
        {"code,parent,weight\nR,,\ni,R,\"1,5\"\n", 3, 5, "decimal comma"},
        {"code,parent,weight\nR,,\ni,R,0\nj,R,0\n", 2, 1, "all 2 children of 'R' have weight 0"},
        {"code,parent,direction\nR,,+\ni,R,\n", 2, 4, "direction applies to indicators only"},
        {"code,parent,direction\nR,,\ni,R,up\n", 3, 5, "direction 'up' of 'i'"},
        {"code,parent,scale\nR,,binary\ni,R,\n", 2, 4, "scale applies to indicators only"},
        {"code,parent,scale\nR,,\ni,R,ordinal:0\n", 3, 5, "ordinal:K"},
        {"code,parent,scale\nR,,\ni,R,ordinal:x\n", 3, 5, "ordinal:K"},
        {"code,parent,method\nR,,\ni,R,sum\n", 3, 5, "aggregation method belongs to aggregates"},
        {"code,parent,method\nR,,mean\ni,R,\n", 2, 4, "unknown aggregation method 'mean'"},
        {"code,parent,method\nR,,power:0\ni,R,\n", 2, 4, "non-zero exponent"},
        {"code,parent,goal_lo\nR,,\ni,R,low\n", 3, 5, "goal_lo 'low' is not a number"},
        {"code,parent,denominator\nR,,\ni,R,R\n", 3, 5, "is a node of the framework"},
        {"code,parent,denominator\nR,,POP\ni,R,\n", 2, 4, "denominator applies to indicators"},
        {"code,parent,denominator\nR,,\ni,R,P P\n", 3, 5, "invalid denominator code"},
        {"code,parent\nR,\n", 2, 0, "only the root"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cym_framework *fw = (cym_framework *)1;
        cym_error err;
        const char *path = cym_test_write_temp("bad.csv", cases[i].text);
        cym_error_clear(&err);
        if (cym_framework_load(&fw, path, &err) != CYM_EDATA)
            fail_msg("case %zu (%s) was accepted", i, cases[i].words);
        assert_null(fw);
        assert_string_equal(err.file, path);
        if (err.line != cases[i].line || err.column != cases[i].col ||
            !strstr(err.message, cases[i].words))
            fail_msg("case %zu: %lu:%lu: %s; expected %lu:%lu: ...%s...", i, err.line,
                     err.column, err.message, cases[i].line, cases[i].col, cases[i].words);
    }
}

static void test_suggest_and_methods(void **state)
{
    cym_framework *fw = load_text("code,parent\nINDEX,\nLEG,INDEX\nLEG.CYBERCRIME,LEG\n"
                                  "TEC,INDEX\nTEC.CERT,TEC\n");
    cym_agg_spec a;
    cym_error err;
    (void)state;
    assert_string_equal(cym_framework_suggest(fw, "LEG.CYBERCRME"), "LEG.CYBERCRIME");
    assert_string_equal(cym_framework_suggest(fw, "tec.cert"), "TEC.CERT");
    assert_string_equal(cym_framework_suggest(fw, "LGE"), "LEG");
    assert_null(cym_framework_suggest(fw, "SOMETHING.ELSE"));
    cym_framework_free(fw);

    assert_int_equal(cym_agg_parse(&a, "power:-1", &err), CYM_OK);
    assert_int_equal(a.method, CYM_AGG_POWER);
    assert_close(a.p, -1.0);
    assert_int_equal(cym_agg_parse(&a, "mazziotta-pareto", &err), CYM_OK);
    assert_int_equal(a.method, CYM_AGG_MAZZIOTTA_PARETO);
    assert_int_equal(cym_agg_parse(&a, "power:", &err), CYM_EUSAGE);
    assert_int_equal(cym_agg_parse(&a, "Arithmetic", &err), CYM_EUSAGE);
    for (int m = CYM_AGG_ARITHMETIC; m <= CYM_AGG_MAZZIOTTA_PARETO; m++) {
        if (m == CYM_AGG_POWER)
            continue;
        assert_int_equal(cym_agg_parse(&a, cym_agg_name((cym_agg_method)m), &err), CYM_OK);
        assert_int_equal(a.method, m);
    }
    cym_framework_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled),    cmocka_unit_test(test_file_order_free),
        cmocka_unit_test(test_deep_chain), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_suggest_and_methods),
    };
    cym_test_install_gsl_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
