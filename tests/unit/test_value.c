/* tests/unit/test_value.c — value trees (value.h), string buffers (buf.h)
 * and HTML tables (table.h). */
#include <stdlib.h>

#include "buf.h"
#include "table.h"
#include "unit.h"
#include "value.h"

static void test_tree(void)
{
    rg_value *m = value_new(RG_MAP);
    CHECK(value_set(m, "n", value_int(60)) == 0);
    CHECK(value_set(m, "p", value_num(0.05)) == 0);
    rg_value *l = value_new(RG_LIST);
    CHECK(value_push(l, value_str("a", (size_t)-1)) == 0);
    CHECK(value_push(l, value_bool(1)) == 0);
    CHECK(value_set(m, "l", l) == 0);
    CHECK(m->len == 3);
    CHECK_STR(m->keys[2], "l");
    CHECK(value_get(m, "n")->u.i == 60);
    CHECK(value_get(m, "missing") == NULL);
    rg_value *c = value_copy(m);
    CHECK(c && value_equal(m, c));
    c->items[2]->items[1]->u.b = 0;
    CHECK(!value_equal(m, c));
    value_free(c);
    value_free(m);
    value_free(NULL);
}

static void test_equal_nan(void)
{
    rg_value *a = value_num(NAN), *b = value_num(NAN), *z = value_num(0.0),
             *nz = value_num(-0.0);
    CHECK(value_equal(a, b));
    CHECK(!value_equal(z, nz)); /* bit-for-bit: -0 differs from 0 */
    value_free(a);
    value_free(b);
    value_free(z);
    value_free(nz);
}

static void test_push_null_frees_nothing(void)
{
    rg_value *l = value_new(RG_LIST);
    CHECK(value_push(l, NULL) == -1); /* a failed constructor propagates */
    CHECK(value_set(l, "k", NULL) == -1);
    CHECK(l->len == 0);
    value_free(l);
}

static void test_buf(void)
{
    rg_buf b = {0};
    buf_puts(&b, "a<b");
    buf_put_html(&b, "&<>\"'", 5);
    buf_printf(&b, "%d", 42);
    CHECK_STR(buf_cstr(&b), "a<b&amp;&lt;&gt;&quot;&#39;42");
    char *s = buf_take(&b);
    CHECK(b.data == NULL && b.len == 0);
    free(s);
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, 'x');
    CHECK(b.len == 10000 && !b.failed);
    buf_free(&b);
}

static void test_table_html(void)
{
    const char *names[] = {"gene", "r"};
    rg_table *t = table_new(2, names);
    rg_value *r1[2] = {value_str("A2M", (size_t)-1), value_num(0.51234)};
    rg_value *r2[2] = {value_str("<b>", (size_t)-1), NULL};
    CHECK(table_add_row(t, r1) == 0);
    CHECK(table_add_row(t, r2) == 0);
    CHECK(table_add_col(t, "note") == 0);
    CHECK(t->ncol == 3 && t->cells[5] == NULL);
    rg_buf b = {0};
    table_html(&b, t, 3, 0, "Top & tail");
    const char *h = buf_cstr(&b);
    CHECK(strstr(h, "<caption>Top &amp; tail</caption>") != NULL);
    CHECK(strstr(h, "<th class=\"num\">r</th>") != NULL); /* numeric: right-aligned */
    CHECK(strstr(h, "<td class=\"num\">0.512</td>") != NULL);
    CHECK(strstr(h, "<td>&lt;b&gt;</td>") != NULL);       /* escaped */
    CHECK(strstr(h, "<th>note</th>") != NULL);
    buf_free(&b);
    table_html(&b, t, 3, 1, NULL);
    CHECK(strstr(buf_cstr(&b), "Showing 1 of 2 rows.") != NULL);
    buf_free(&b);
    table_free(t);
}

const unit_test value_tests[] = {
    {"value_tree", test_tree},
    {"value_equal_nan", test_equal_nan},
    {"value_push_null", test_push_null_frees_nothing},
    {"buf_basic", test_buf},
    {"table_html", test_table_html},
    {NULL, NULL}};
