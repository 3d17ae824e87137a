/* engine/table.h — tables of typed cells rendered as HTML.
 *
 * The one place a report's tables are drawn: show() of an array of records,
 * rg.table, and the report's appendix all build an rg_table. Numbers go
 * through fmt.h; a column whose cells are all numbers (or missing) is
 * right-aligned. Pure C. */
#ifndef RG_TABLE_H
#define RG_TABLE_H

#include <stddef.h>

#include "buf.h"
#include "value.h"

typedef struct {
    size_t nrow, ncol;
    char **names;     /* ncol owned column names */
    rg_value **cells; /* nrow * ncol, row-major, owned; NULL is a missing cell */
} rg_table;

/* An empty table with ncol columns named by names (copied). Returns NULL when
 * out of memory. Free with table_free. */
rg_table *table_new(size_t ncol, const char *const *names);

/* Append a row of ncol cells (takes ownership of each, NULL allowed).
 * Returns 0, or -1 when out of memory (the cells are freed). */
int table_add_row(rg_table *t, rg_value **cells);

/* Append one column (a new name) to a table, existing rows get NULL cells.
 * Returns 0 or -1. */
int table_add_col(rg_table *t, const char *name);

void table_free(rg_table *t);

/* How a table is shown. */
typedef struct {
    int digits;          /* significant digits of numbers */
    size_t max_rows;     /* rows shown; 0: all */
    const char *caption; /* plain text, or NULL */
    int number;          /* > 0: the caption starts "Table N." */
    const char *id;      /* the id of the table's <div> (its cross-reference), or NULL */
    const char *p_cols;  /* ncol flags, or NULL: columns of p-values, written by
                          * fmt_p with 2 digits and "< p_eps" below p_eps */
    double p_eps;
    const char *csv;     /* a CSV of the whole table, offered as a download (a data:
                          * URL), or NULL; csv_name is the file's name */
    size_t csv_len;
    const char *csv_name;
} rg_table_view;

/* Render as <table>: numbers with `digits` significant digits, at most
 * max_rows rows (0: all) followed by a line saying how many were left out.
 * caption may be NULL. */
void table_html(rg_buf *b, const rg_table *t, int digits, size_t max_rows,
                const char *caption);

/* The same with every choice of the view. */
void table_html_view(rg_buf *b, const rg_table *t, const rg_table_view *v);

/* The whole table as CSV (RFC 4180): a header of the names, numbers at full
 * precision (the shortest text that reads back to the same double), NA for
 * missing values, text quoted when it holds a comma, quote or line break. */
void table_csv(rg_buf *b, const rg_table *t);

/* One CSV field: text quoted as table_csv quotes it. */
void table_csv_field(rg_buf *b, const char *s, size_t n);

/* One cell as text (numbers through fmt_num with digits). */
void table_cell_text(rg_buf *b, const rg_value *v, int digits);

#endif
