/* engine/frame.h — data frames: named columns over rows identified by
 * string IDs, read from CSV/TSV files with libcsv.
 *
 * A numeric column is a double array (NaN for missing values); a string
 * column (declared with string_cols) an array of strings. The reader streams
 * the file through libcsv and keeps only the parsed cells, about 8 bytes per
 * numeric cell plus names. PyRadiomics "diagnostics_*" columns are kept apart
 * as metadata (strings), never mixed with features. Every error names the
 * file, the row (1 is the header) and, where one applies, the column. Pure C. */
#ifndef RG_FRAME_H
#define RG_FRAME_H

#include <stddef.h>

#include "buf.h"
#include <stdint.h>

typedef struct {
    char *name;
    double *num;   /* nrow values, or NULL for a string column */
    char **str;    /* nrow strings, or NULL for a numeric column */
} rg_col;

typedef struct {
    size_t nrow, ncol;
    char **ids;    /* nrow row IDs, unique */
    rg_col *cols;  /* ncol columns, unique names */
    size_t nmeta;
    rg_col *meta;  /* diagnostics_* columns of the file, as strings */
} rg_frame;

typedef struct {
    const char *id;            /* the ID column's name; NULL: the first column */
    int no_id;                 /* rows are numbered "1", "2", ... (id = false) */
    char sep;                  /* 0: ',' ('\t' for .tsv/.tab files) */
    int transpose;             /* features in rows, samples in columns */
    const char *const *na;     /* NA tokens; NULL: "", NA, NaN, nan, NULL */
    size_t nna;
    const char *const *string_cols; /* columns kept as text */
    size_t nstring;
} rg_csv_opts;

/* Read the CSV file at path, naming it `shown` in messages (borrowed).
 * Returns 0 with *out filled (free with frame_free), or -1 with *err a
 * malloc'd "SHOWN:ROW:COL: message" (or "SHOWN: message"). Also returns the
 * file's size and SHA-256 (hex) for the provenance. Memory is charged to
 * nothing here: the caller accounts for frame_bytes(). */
int frame_read_csv(const char *path, const char *shown, const rg_csv_opts *opts,
                   rg_frame *out, size_t *bytes, char sha256_hex[65], char **err);

/* The same from a buffer (tests, fuzzing). */
int frame_parse_csv(const char *data, size_t len, const char *shown,
                    const rg_csv_opts *opts, rg_frame *out, char **err);

/* A new frame of the rows rows[0..nrow) (NULL: all, in order) and columns
 * cols[0..ncol) (NULL: all) of f; metadata columns follow the rows. Indices
 * must be valid (the caller checks). Returns 0, or -1 when out of memory
 * (*out left empty). */
int frame_subset(const rg_frame *f, const size_t *rows, size_t nrow, const size_t *cols,
                 size_t ncol, rg_frame *out);

/* Add the column name to f, or replace the one of that name: num (nrow
 * values) or str (nrow strings) is copied. Returns 0 or -1 (out of memory). */
int frame_set_col(rg_frame *f, const char *name, const double *num, const char *const *str);

/* Index of the column named name, or -1. */
long frame_col_index(const rg_frame *f, const char *name);

/* The rows of each frame fs[k] whose IDs all the frames share, in the order
 * of the first frame: rows[k][i] (caller frees rows[k] and rows) and *n.
 * Returns 0 or -1 (out of memory). */
int frame_join_rows(const rg_frame *const *fs, size_t nf, size_t ***rows, size_t *n);

/* Approximate heap bytes held by f. */
size_t frame_bytes(const rg_frame *f);

/* The column named name, or NULL. */
const rg_col *frame_col(const rg_frame *f, const char *name);

void frame_free(rg_frame *f);

/* The whole frame as CSV, as table_csv writes tables: the ID column named
 * id_name first, numbers at full precision, NA for missing values. */
void frame_csv(rg_buf *b, const rg_frame *f, const char *id_name);

#endif
