/* engine/table.c — HTML tables (table.h). */
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

rg_table *table_new(size_t ncol, const char *const *names)
{
    rg_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    for (size_t j = 0; j < ncol; j++)
        if (table_add_col(t, names[j]) != 0) {
            table_free(t);
            return NULL;
        }
    return t;
}

int table_add_col(rg_table *t, const char *name)
{
    char *nm = strdup(name);
    char **names = nm ? realloc(t->names, (t->ncol + 1) * sizeof *names) : NULL;
    if (!names) {
        free(nm);
        return -1;
    }
    t->names = names;
    if (t->nrow) {
        rg_value **cells = calloc(t->nrow * (t->ncol + 1), sizeof *cells);
        if (!cells) {
            free(nm);
            return -1;
        }
        for (size_t i = 0; i < t->nrow; i++)
            memcpy(cells + i * (t->ncol + 1), t->cells + i * t->ncol,
                   t->ncol * sizeof *cells);
        free(t->cells);
        t->cells = cells;
    }
    t->names[t->ncol++] = nm;
    return 0;
}

int table_add_row(rg_table *t, rg_value **cells)
{
    rg_value **c = realloc(t->cells, (t->nrow + 1) * t->ncol * sizeof *c + 1);
    if (!c) {
        for (size_t j = 0; j < t->ncol; j++)
            value_free(cells[j]);
        return -1;
    }
    t->cells = c;
    memcpy(c + t->nrow * t->ncol, cells, t->ncol * sizeof *c);
    t->nrow++;
    return 0;
}

void table_free(rg_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrow * t->ncol; i++)
        value_free(t->cells[i]);
    for (size_t j = 0; j < t->ncol; j++)
        free(t->names[j]);
    free(t->cells);
    free(t->names);
    free(t);
}

void table_cell_text(rg_buf *b, const rg_value *v, int digits)
{
    if (!v)
        return;
    switch (v->type) {
    case RG_NULL:
        buf_puts(b, "NA");
        break;
    case RG_BOOL:
        buf_puts(b, v->u.b ? "true" : "false");
        break;
    case RG_INT:
        buf_printf(b, "%lld", (long long)v->u.i);
        break;
    case RG_NUM:
        fmt_num(b, v->u.n, digits);
        break;
    case RG_STR:
        buf_put(b, v->u.s, v->len);
        break;
    case RG_LIST:
    case RG_MAP:
        buf_printf(b, "%s of %zu", v->type == RG_LIST ? "list" : "map", v->len);
        break;
    }
}

static int numeric_col(const rg_table *t, size_t j)
{
    int any = 0;
    for (size_t i = 0; i < t->nrow; i++) {
        const rg_value *v = t->cells[i * t->ncol + j];
        if (!v)
            continue;
        if (v->type != RG_INT && v->type != RG_NUM)
            return 0;
        any = 1;
    }
    return any;
}

void table_html(rg_buf *b, const rg_table *t, int digits, size_t max_rows,
                const char *caption)
{
    rg_table_view v = {.digits = digits, .max_rows = max_rows, .caption = caption};
    table_html_view(b, t, &v);
}

void table_html_view(rg_buf *b, const rg_table *t, const rg_table_view *v)
{
    rg_buf cell = {0};
    size_t shown = v->max_rows && t->nrow > v->max_rows ? v->max_rows : t->nrow;
    char *num = calloc(t->ncol ? t->ncol : 1, 1);
    if (!num) {
        b->failed = 1;
        return;
    }
    for (size_t j = 0; j < t->ncol; j++)
        num[j] = (char)numeric_col(t, j);
    buf_puts(b, "<div class=\"rg-table\"");
    if (v->id) {
        buf_puts(b, " id=\"");
        buf_puts_html(b, v->id);
        buf_putc(b, '"');
    }
    buf_puts(b, "><table>\n");
    if (v->caption || v->number > 0) {
        buf_puts(b, "<caption>");
        if (v->number > 0)
            buf_printf(b, "<span class=\"rg-num\">Table %d.</span>%s", v->number,
                       v->caption ? " " : "");
        if (v->caption)
            buf_puts_html(b, v->caption);
        buf_puts(b, "</caption>\n");
    }
    buf_puts(b, "<thead><tr>");
    for (size_t j = 0; j < t->ncol; j++) {
        buf_puts(b, num[j] ? "<th class=\"num\">" : "<th>");
        buf_puts_html(b, t->names[j]);
        buf_puts(b, "</th>");
    }
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < shown; i++) {
        buf_puts(b, "<tr>");
        for (size_t j = 0; j < t->ncol; j++) {
            buf_puts(b, num[j] ? "<td class=\"num\">" : "<td>");
            cell.len = 0;
            const rg_value *c = t->cells[i * t->ncol + j];
            if (v->p_cols && v->p_cols[j] && c && c->type == RG_NUM)
                fmt_p(&cell, c->u.n, 2, v->p_eps);
            else
                table_cell_text(&cell, c, v->digits);
            buf_put_html(b, cell.data ? cell.data : "", cell.len);
            buf_puts(b, "</td>");
        }
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody></table>");
    if (shown < t->nrow || v->csv) {
        buf_puts(b, "<p class=\"rg-more\">");
        if (shown < t->nrow)
            buf_printf(b, "Showing %zu of %zu rows.", shown, t->nrow);
        if (v->csv) {
            buf_printf(b, "%s<a class=\"rg-download\" download=\"", shown < t->nrow ? " " : "");
            buf_puts_html(b, v->csv_name ? v->csv_name : "table.csv");
            buf_puts(b, "\" href=\"");
            buf_put_data_url(b, "text/csv", v->csv, v->csv_len);
            buf_puts(b, "\">All rows as CSV</a>");
        }
        buf_puts(b, "</p>");
    }
    buf_puts(b, "</div>\n");
    if (cell.failed)
        b->failed = 1;
    buf_free(&cell);
    free(num);
}

void table_csv_field(rg_buf *b, const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        buf_put(b, s, n);
        return;
    }
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_putc(b, '"');
        buf_putc(b, s[i]);
    }
    buf_putc(b, '"');
}

void table_csv(rg_buf *b, const rg_table *t)
{
    for (size_t j = 0; j < t->ncol; j++) {
        if (j)
            buf_putc(b, ',');
        table_csv_field(b, t->names[j], strlen(t->names[j]));
    }
    buf_puts(b, "\r\n");
    rg_buf cell = {0};
    for (size_t i = 0; i < t->nrow; i++) {
        for (size_t j = 0; j < t->ncol; j++) {
            if (j)
                buf_putc(b, ',');
            const rg_value *c = t->cells[i * t->ncol + j];
            cell.len = 0;
            if (!c)
                ;
            else if (c->type == RG_NUM && isnan(c->u.n))
                buf_puts(&cell, "NA");
            else if (c->type == RG_NUM)
                fmt_shortest(&cell, c->u.n);
            else
                table_cell_text(&cell, c, 17);
            table_csv_field(b, cell.data ? cell.data : "", cell.len);
        }
        buf_puts(b, "\r\n");
    }
    if (cell.failed)
        b->failed = 1;
    buf_free(&cell);
}
