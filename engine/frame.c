/* engine/frame.c — data frames and the CSV reader (frame.h).
 *
 * The file is fed to libcsv in 64 KiB blocks; the field and end-of-record
 * callbacks build the columns directly, so the file's text is never held
 * whole. Errors stop the work at the first problem and keep its location;
 * libcsv cannot be interrupted from a callback, so later fields are ignored. */
#include "frame.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fmt.h"
#include "table.h"

#define BLOCK 65536

typedef struct {
    const char *shown;
    const rg_csv_opts *o;
    rg_frame *f;
    char *err;
    size_t row;        /* 1-based record number (1 = header) */
    size_t field;      /* fields seen in the current record */
    /* the header */
    char **head;
    size_t nhead;
    size_t idcol;      /* not transposed: the ID column */
    int *kind;         /* per file column: 0 numeric, 1 string, 2 meta, 3 id */
    size_t *slot;      /* per file column: index in f->cols or f->meta */
    size_t cap;        /* capacity of the column arrays (rows) */
    /* transposed: the column being read */
    rg_col cur;
    int cur_kind;
    int started;       /* a BOM was checked */
} reader;

static void fail(reader *r, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(reader *r, size_t col, const char *fmt, ...)
{
    if (r->err)
        return;
    rg_buf b = {0};
    if (col)
        buf_printf(&b, "%s:%zu:%zu: ", r->shown, r->row, col);
    else if (r->row)
        buf_printf(&b, "%s:%zu: ", r->shown, r->row);
    else
        buf_printf(&b, "%s: ", r->shown);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    r->err = buf_take(&b);
    if (!r->err)
        r->err = strdup("out of memory");
}

/* A field as a NUL-terminated copy, or NULL when out of memory. */
static char *field_str(const void *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

/* How much of a bad cell a message quotes: at most 40 bytes, whole UTF-8
 * characters, and nothing from its first line break on (messages are one
 * line). */
static size_t quote_len(const void *cell, size_t len)
{
    const char *s = cell;
    size_t n = 0;
    while (n < len && s[n] != '\n' && s[n] != '\r')
        n++;
    return utf8_cut(s, n, 40);
}

static int is_na(const reader *r, const char *s, size_t len)
{
    static const char *const def[] = {"", "NA", "NaN", "nan", "NULL"};
    const char *const *na = r->o->na ? r->o->na : def;
    size_t nna = r->o->na ? r->o->nna : sizeof def / sizeof *def;
    for (size_t i = 0; i < nna; i++)
        if (strlen(na[i]) == len && memcmp(na[i], s, len) == 0)
            return 1;
    return 0;
}

/* Parse a numeric cell: surrounding blanks allowed, nothing else after the
 * number; hex, "inf"/"nan" words other than the NA tokens are refused. */
static int parse_number(const char *s, size_t len, double *out)
{
    char buf[128];
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (!strchr("0123456789+-.eE", buf[i])) {
            /* Inf and -Inf are numbers (R writes them); other words are not */
            if (strcmp(buf, "Inf") == 0 || strcmp(buf, "inf") == 0 ||
                strcmp(buf, "+Inf") == 0 || strcmp(buf, "+inf") == 0) {
                *out = INFINITY;
                return 0;
            }
            if (strcmp(buf, "-Inf") == 0 || strcmp(buf, "-inf") == 0) {
                *out = -INFINITY;
                return 0;
            }
            return -1;
        }
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end || end == buf)
        return -1;
    *out = v;
    return 0;
}

static int in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return 1;
    return 0;
}

static int is_meta(const char *name) { return strncmp(name, "diagnostics_", 12) == 0; }

/* Room for row index i in every column (non-transposed). */
static int grow_rows(reader *r, size_t i)
{
    if (i < r->cap)
        return 0;
    size_t cap = r->cap ? 2 * r->cap : 64;
    rg_frame *f = r->f;
    char **ids = realloc(f->ids, cap * sizeof *ids);
    if (!ids)
        return -1;
    f->ids = ids;
    for (size_t k = r->cap; k < cap; k++)
        ids[k] = NULL; /* a row that fails midway is freed from these */
    for (size_t j = 0; j < f->ncol + f->nmeta; j++) {
        rg_col *c = j < f->ncol ? &f->cols[j] : &f->meta[j - f->ncol];
        if (c->num) {
            double *v = realloc(c->num, cap * sizeof *v);
            if (!v)
                return -1;
            c->num = v;
        } else {
            char **v = realloc(c->str, cap * sizeof *v);
            if (!v)
                return -1;
            c->str = v;
            for (size_t k = r->cap; k < cap; k++)
                v[k] = NULL;
        }
    }
    r->cap = cap;
    return 0;
}

static int push_head(reader *r, char *name)
{
    char **h = realloc(r->head, (r->nhead + 1) * sizeof *h);
    if (!h) {
        free(name);
        return -1;
    }
    r->head = h;
    h[r->nhead++] = name;
    return 0;
}

/* ---- the header, then the layout of the columns ------------------------------------ */

static void header_done(reader *r)
{
    rg_frame *f = r->f;
    const rg_csv_opts *o = r->o;
    if (r->nhead == 0) {
        fail(r, 0, "the header row is empty");
        return;
    }
    /* every column needs a name, except the default ID column, which R's
     * write.csv leaves empty (and the corner cell of a transposed file) */
    for (size_t j = o->transpose ? 1 : 0; j < r->nhead; j++)
        if (!r->head[j][0] && !(j == 0 && !o->id && !o->no_id)) {
            if (o->transpose) {
                fail(r, j + 1, "missing sample ID in the header");
                return;
            }
            fail(r, j + 1, "column %zu has no name", j + 1);
            return;
        }
    for (size_t j = 0; j < r->nhead; j++)
        for (size_t k = 0; k < j; k++)
            if (strcmp(r->head[j], r->head[k]) == 0 &&
                !(o->transpose && j > 0)) {
                fail(r, j + 1, "duplicate column name '%s' (also column %zu)", r->head[j], k + 1);
                return;
            }
    if (o->transpose) {
        /* the header holds the sample IDs after the corner cell */
        if (r->nhead < 2) {
            fail(r, 0, "the header holds no sample IDs (transpose: samples are columns)");
            return;
        }
        f->nrow = r->nhead - 1;
        f->ids = calloc(f->nrow ? f->nrow : 1, sizeof *f->ids);
        if (!f->ids) {
            fail(r, 0, "out of memory");
            return;
        }
        for (size_t j = 1; j < r->nhead; j++) {
            if (!r->head[j][0]) {
                fail(r, j + 1, "missing sample ID in the header");
                return;
            }
            for (size_t k = 1; k < j; k++)
                if (strcmp(r->head[j], r->head[k]) == 0) {
                    fail(r, j + 1, "duplicate ID '%s' (also column %zu)", r->head[j], k + 1);
                    return;
                }
            f->ids[j - 1] = strdup(r->head[j]);
            if (!f->ids[j - 1]) {
                fail(r, 0, "out of memory");
                return;
            }
        }
        return;
    }
    r->idcol = (size_t)-1;
    if (!o->no_id) {
        if (!o->id)
            r->idcol = 0;
        for (size_t j = 0; o->id && j < r->nhead; j++)
            if (strcmp(r->head[j], o->id) == 0)
                r->idcol = j;
        if (r->idcol == (size_t)-1) {
            fail(r, 0, "no ID column '%s' in the header", o->id);
            return;
        }
    }
    for (size_t i = 0; i < o->nstring; i++) {
        size_t j = 0;
        while (j < r->nhead && strcmp(r->head[j], o->string_cols[i]) != 0)
            j++;
        if (j == r->nhead) {
            fail(r, 0, "string_cols names '%s', which is not a column", o->string_cols[i]);
            return;
        }
    }
    r->kind = calloc(r->nhead, sizeof *r->kind);
    r->slot = calloc(r->nhead, sizeof *r->slot);
    f->cols = calloc(r->nhead, sizeof *f->cols);
    f->meta = calloc(r->nhead, sizeof *f->meta);
    if (!r->kind || !r->slot || !f->cols || !f->meta) {
        fail(r, 0, "out of memory");
        return;
    }
    for (size_t j = 0; j < r->nhead; j++) {
        rg_col *c;
        if (j == r->idcol) {
            r->kind[j] = 3;
            continue;
        }
        if (is_meta(r->head[j])) {
            r->kind[j] = 2;
            r->slot[j] = f->nmeta;
            c = &f->meta[f->nmeta++];
        } else {
            r->kind[j] = in_list(r->head[j], o->string_cols, o->nstring);
            r->slot[j] = f->ncol;
            c = &f->cols[f->ncol++];
        }
        c->name = strdup(r->head[j]);
        /* numeric columns start with a one-element array: num != NULL marks them */
        if (r->kind[j] == 0)
            c->num = malloc(sizeof *c->num);
        else
            c->str = malloc(sizeof *c->str);
        if (!c->name || (!c->num && !c->str)) {
            fail(r, 0, "out of memory");
            return;
        }
    }
}

/* ---- callbacks ------------------------------------------------------------------- */

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->err)
        return;
    size_t j = r->field++;
    rg_frame *f = r->f;
    if (memchr(s, '\0', len)) {
        fail(r, j + 1, "not a text file (NUL byte)");
        return;
    }
    if (!utf8_valid(s, len, NULL)) {
        fail(r, j + 1, "not valid UTF-8 text");
        return;
    }
    if (r->row == 1) {
        char *name = field_str(s, len);
        if (!name || push_head(r, name) != 0)
            fail(r, 0, "out of memory");
        return;
    }
    if (j >= r->nhead)
        return; /* counted; the end of the record reports it */
    if (r->o->transpose) {
        if (j == 0) {
            r->cur.name = field_str(s, len);
            if (!r->cur.name) {
                fail(r, 0, "out of memory");
                return;
            }
            r->cur_kind = is_meta(r->cur.name) ? 2
                          : in_list(r->cur.name, r->o->string_cols, r->o->nstring);
            if (!r->cur.name[0]) {
                fail(r, 1, "missing feature name");
                return;
            }
            if (r->cur_kind == 0)
                r->cur.num = malloc((f->nrow ? f->nrow : 1) * sizeof *r->cur.num);
            else
                r->cur.str = calloc(f->nrow ? f->nrow : 1, sizeof *r->cur.str);
            if (!r->cur.num && !r->cur.str)
                fail(r, 0, "out of memory");
            return;
        }
        if (r->cur_kind == 0) {
            double v = NAN;
            if (!is_na(r, s, len) && parse_number(s, len, &v) != 0) {
                fail(r, j + 1, "'%.*s' is not a number (feature '%s'; declare it in "
                               "string_cols to keep text)", (int)quote_len(s, len),
                     (const char *)s, r->cur.name);
                return;
            }
            r->cur.num[j - 1] = v;
        } else if (!(r->cur.str[j - 1] = field_str(s, len))) {
            fail(r, 0, "out of memory");
        }
        return;
    }
    size_t i = f->nrow; /* the row being read */
    if (grow_rows(r, i) != 0) {
        fail(r, 0, "out of memory");
        return;
    }
    switch (r->kind[j]) {
    case 3:
        if (len == 0) {
            fail(r, j + 1, "missing ID");
            return;
        }
        if (!(f->ids[i] = field_str(s, len)))
            fail(r, 0, "out of memory");
        return;
    case 0: {
        double v = NAN;
        if (!is_na(r, s, len) && parse_number(s, len, &v) != 0) {
            fail(r, j + 1, "'%.*s' is not a number (column '%s'; declare it in "
                           "string_cols to keep text)", (int)quote_len(s, len),
                 (const char *)s, r->head[j]);
            return;
        }
        f->cols[r->slot[j]].num[i] = v;
        return;
    }
    default: {
        rg_col *c = r->kind[j] == 2 ? &f->meta[r->slot[j]] : &f->cols[r->slot[j]];
        if (!(c->str[i] = field_str(s, len)))
            fail(r, 0, "out of memory");
    }
    }
}

static void on_record(int term, void *data)
{
    (void)term;
    reader *r = data;
    size_t n = r->field;
    r->field = 0;
    if (r->err)
        goto next;
    if (r->row == 1) {
        header_done(r);
        goto next;
    }
    if (n != r->nhead) {
        fail(r, 0, "%zu fields, but the header has %zu", n, r->nhead);
        goto next;
    }
    rg_frame *f = r->f;
    if (r->o->transpose) {
        rg_col *cols;
        size_t *count = r->cur_kind == 2 ? &f->nmeta : &f->ncol;
        cols = realloc(r->cur_kind == 2 ? f->meta : f->cols, (*count + 1) * sizeof *cols);
        if (!cols) {
            fail(r, 0, "out of memory");
            goto next;
        }
        if (r->cur_kind == 2)
            f->meta = cols;
        else
            f->cols = cols;
        for (size_t k = 0; k < *count; k++)
            if (strcmp(cols[k].name, r->cur.name) == 0) {
                fail(r, 1, "duplicate feature '%s'", r->cur.name);
                goto next;
            }
        cols[(*count)++] = r->cur;
        memset(&r->cur, 0, sizeof r->cur);
        goto next;
    }
    if (r->o->no_id) { /* (IDs read from the file are checked for duplicates at the end) */
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%zu", f->nrow + 1);
        if (grow_rows(r, f->nrow) != 0 || !(f->ids[f->nrow] = strdup(tmp))) {
            fail(r, 0, "out of memory");
            goto next;
        }
    }
    f->nrow++;
next:
    r->row++;
}

static const rg_col *meta_col(const rg_frame *f, const char *name)
{
    for (size_t j = 0; j < f->nmeta; j++)
        if (strcmp(f->meta[j].name, name) == 0)
            return &f->meta[j];
    return NULL;
}

/* ---- the whole file ---------------------------------------------------------------- */

typedef struct {
    const char *id;
    size_t row;
} idref;

static int by_id(const void *a, const void *b)
{
    const idref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->row < y->row ? -1 : x->row > y->row);
}

static void check_ids(reader *r)
{
    rg_frame *f = r->f;
    if (r->err || f->nrow < 2 || r->o->transpose) /* transposed: checked in the header */
        return;
    idref *v = malloc(f->nrow * sizeof *v);
    if (!v) {
        fail(r, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < f->nrow; i++)
        v[i] = (idref){f->ids[i], i};
    qsort(v, f->nrow, sizeof *v, by_id);
    for (size_t i = 1; i < f->nrow; i++)
        if (strcmp(v[i].id, v[i - 1].id) == 0) {
            r->row = v[i].row + 2;
            fail(r, r->idcol + 1, "duplicate ID '%s' (also row %zu)", v[i].id,
                 v[i - 1].row + 2);
            break;
        }
    free(v);
}

static void reader_free(reader *r)
{
    rg_frame *f = r->f;
    if (!r->o->transpose && f->ids && f->nrow < r->cap) { /* a row read in part */
        free(f->ids[f->nrow]);
        f->ids[f->nrow] = NULL;
        for (size_t j = 0; j < f->ncol + f->nmeta; j++) {
            rg_col *c = j < f->ncol ? &f->cols[j] : &f->meta[j - f->ncol];
            if (c->str) {
                free(c->str[f->nrow]);
                c->str[f->nrow] = NULL;
            }
        }
    }
    for (size_t j = 0; j < r->nhead; j++)
        free(r->head[j]);
    free(r->head);
    free(r->kind);
    free(r->slot);
    free(r->cur.name);
    free(r->cur.num);
    if (r->cur.str)
        for (size_t i = 0; i < r->f->nrow; i++)
            free(r->cur.str[i]);
    free(r->cur.str);
}

typedef struct {
    struct csv_parser p;
    reader r;
} session;

static int begin(session *s, const char *shown, const rg_csv_opts *o, rg_frame *out)
{
    memset(s, 0, sizeof *s);
    memset(out, 0, sizeof *out);
    s->r.shown = shown;
    s->r.o = o;
    s->r.f = out;
    s->r.row = 1;
    if (csv_init(&s->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return -1;
    csv_set_delim(&s->p, (unsigned char)(o->sep ? o->sep : ','));
    return 0;
}

static void feed(session *s, const char *data, size_t len)
{
    if (s->r.err)
        return;
    if (!s->r.started) {
        s->r.started = 1;
        if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
            data += 3;
            len -= 3;
        }
    }
    if (csv_parse(&s->p, data, len, on_field, on_record, &s->r) != len && !s->r.err) {
        int e = csv_error(&s->p);
        if (e == CSV_EPARSE)
            fail(&s->r, s->r.field + 1, "malformed quoting (a quote inside an unquoted "
                                        "field, or text after a closing quote)");
        else
            fail(&s->r, 0, "%s", csv_strerror(e));
    }
}

static int finish(session *s, char **err)
{
    reader *r = &s->r;
    if (!r->err && csv_fini(&s->p, on_field, on_record, r) != 0 && !r->err)
        fail(r, 0, "unterminated quoted field (a quote opened here is never closed)");
    csv_free(&s->p);
    if (!r->err) {
        if (r->row == 1) {
            r->row = 0;
            fail(r, 0, "the file is empty");
        }
        else if (!r->o->transpose && r->f->nrow == 0) {
            r->row = 0;
            fail(r, 0, "the file has a header but no rows");
        } else if (r->o->transpose && r->f->ncol + r->f->nmeta == 0) {
            r->row = 0;
            fail(r, 0, "the file has a header but no feature rows");
        }
        for (size_t i = 0; !r->err && r->o->transpose && i < r->o->nstring; i++)
            if (!frame_col(r->f, r->o->string_cols[i]) &&
                !meta_col(r->f, r->o->string_cols[i])) {
                r->row = 0;
                fail(r, 0, "string_cols names '%s', which is not a feature row",
                     r->o->string_cols[i]);
            }
    }
    check_ids(r);
    reader_free(r);
    if (r->err) {
        frame_free(r->f);
        *err = r->err;
        return -1;
    }
    return 0;
}

static char default_sep(const char *path, const rg_csv_opts *o)
{
    if (o->sep)
        return o->sep;
    const char *dot = strrchr(path, '.');
    return dot && (strcasecmp(dot, ".tsv") == 0 || strcasecmp(dot, ".tab") == 0) ? '\t'
                                                                                  : ',';
}

int frame_parse_csv(const char *data, size_t len, const char *shown,
                    const rg_csv_opts *opts, rg_frame *out, char **err)
{
    rg_csv_opts o = *opts;
    o.sep = default_sep(shown, opts);
    session s;
    *err = NULL;
    if (begin(&s, shown, &o, out) != 0) {
        *err = strdup("out of memory");
        return -1;
    }
    for (size_t off = 0; off < len; off += BLOCK)
        feed(&s, data + off, len - off < BLOCK ? len - off : BLOCK);
    return finish(&s, err);
}

int frame_read_csv(const char *path, const char *shown, const rg_csv_opts *opts,
                   rg_frame *out, size_t *bytes, char sha256_hex[65], char **err)
{
    rg_csv_opts o = *opts;
    o.sep = default_sep(shown, opts);
    *err = NULL;
    *bytes = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        rg_buf b = {0};
        buf_printf(&b, "%s: cannot open: %s", shown, strerror(errno));
        *err = buf_take(&b);
        memset(out, 0, sizeof *out);
        return -1;
    }
    session s;
    if (begin(&s, shown, &o, out) != 0) {
        fclose(fp);
        *err = strdup("out of memory");
        return -1;
    }
    struct sha256_ctx h;
    sha256_init(&h);
    char *blk = malloc(BLOCK);
    size_t n;
    while (blk && (n = fread(blk, 1, BLOCK, fp)) > 0) {
        sha256_update(&h, n, (const uint8_t *)blk);
        *bytes += n;
        feed(&s, blk, n);
    }
    if (!blk)
        fail(&s.r, 0, "out of memory");
    else if (ferror(fp))
        fail(&s.r, 0, "read error");
    free(blk);
    fclose(fp);
    uint8_t d[32];
    sha256_digest(&h, sizeof d, d);
    for (int i = 0; i < 32; i++)
        snprintf(sha256_hex + 2 * i, 3, "%02x", d[i]);
    return finish(&s, err);
}

size_t frame_bytes(const rg_frame *f)
{
    size_t b = sizeof *f + f->nrow * sizeof(char *);
    for (size_t i = 0; i < f->nrow; i++)
        b += strlen(f->ids[i]) + 1;
    for (size_t j = 0; j < f->ncol + f->nmeta; j++) {
        const rg_col *c = j < f->ncol ? &f->cols[j] : &f->meta[j - f->ncol];
        b += sizeof *c + strlen(c->name) + 1 + f->nrow * sizeof(double);
        if (c->str)
            for (size_t i = 0; i < f->nrow; i++)
                b += c->str[i] ? strlen(c->str[i]) + 1 : 0;
    }
    return b;
}

const rg_col *frame_col(const rg_frame *f, const char *name)
{
    for (size_t j = 0; j < f->ncol; j++)
        if (strcmp(f->cols[j].name, name) == 0)
            return &f->cols[j];
    return NULL;
}

static void col_free(rg_col *c, size_t nrow)
{
    free(c->name);
    free(c->num);
    if (c->str)
        for (size_t i = 0; i < nrow; i++)
            free(c->str[i]);
    free(c->str);
}

void frame_free(rg_frame *f)
{
    for (size_t i = 0; f->ids && i < f->nrow; i++)
        free(f->ids[i]);
    free(f->ids);
    for (size_t j = 0; j < f->ncol; j++)
        col_free(&f->cols[j], f->nrow);
    for (size_t j = 0; j < f->nmeta; j++)
        col_free(&f->meta[j], f->nrow);
    free(f->cols);
    free(f->meta);
    memset(f, 0, sizeof *f);
}

/* ---- operations ---------------------------------------------------------------- */

static int copy_col(const rg_col *c, const size_t *rows, size_t nrow, rg_col *out)
{
    memset(out, 0, sizeof *out);
    out->name = strdup(c->name);
    if (!out->name)
        return -1;
    if (c->num) {
        out->num = malloc((nrow ? nrow : 1) * sizeof *out->num);
        if (!out->num)
            return -1;
        for (size_t i = 0; i < nrow; i++)
            out->num[i] = c->num[rows ? rows[i] : i];
    } else {
        out->str = calloc(nrow ? nrow : 1, sizeof *out->str);
        if (!out->str)
            return -1;
        for (size_t i = 0; i < nrow; i++) {
            const char *v = c->str[rows ? rows[i] : i];
            if (v && !(out->str[i] = strdup(v)))
                return -1;
        }
    }
    return 0;
}

int frame_subset(const rg_frame *f, const size_t *rows, size_t nrow, const size_t *cols,
                 size_t ncol, rg_frame *out)
{
    memset(out, 0, sizeof *out);
    if (!rows)
        nrow = f->nrow;
    if (!cols)
        ncol = f->ncol;
    out->ids = calloc(nrow ? nrow : 1, sizeof *out->ids);
    out->cols = calloc(ncol ? ncol : 1, sizeof *out->cols);
    out->meta = calloc(f->nmeta ? f->nmeta : 1, sizeof *out->meta);
    if (!out->ids || !out->cols || !out->meta)
        goto oom;
    out->nrow = nrow;
    for (size_t i = 0; i < nrow; i++)
        if (!(out->ids[i] = strdup(f->ids[rows ? rows[i] : i])))
            goto oom;
    for (size_t j = 0; j < ncol; j++) {
        out->ncol = j + 1; /* so that frame_free frees what was made */
        if (copy_col(&f->cols[cols ? cols[j] : j], rows, nrow, &out->cols[j]) != 0)
            goto oom;
    }
    for (size_t j = 0; j < f->nmeta; j++) {
        out->nmeta = j + 1;
        if (copy_col(&f->meta[j], rows, nrow, &out->meta[j]) != 0)
            goto oom;
    }
    return 0;
oom:
    frame_free(out);
    return -1;
}

long frame_col_index(const rg_frame *f, const char *name)
{
    for (size_t j = 0; j < f->ncol; j++)
        if (strcmp(f->cols[j].name, name) == 0)
            return (long)j;
    return -1;
}

int frame_set_col(rg_frame *f, const char *name, const double *num, const char *const *str)
{
    rg_col src = {(char *)name, (double *)num, (char **)str}, c;
    if (copy_col(&src, NULL, f->nrow, &c) != 0) {
        col_free(&c, f->nrow);
        return -1;
    }
    long j = frame_col_index(f, name);
    if (j >= 0) {
        col_free(&f->cols[j], f->nrow);
        f->cols[j] = c;
        return 0;
    }
    rg_col *cols = realloc(f->cols, (f->ncol + 1) * sizeof *cols);
    if (!cols) {
        col_free(&c, f->nrow);
        return -1;
    }
    f->cols = cols;
    cols[f->ncol++] = c;
    return 0;
}

typedef struct {
    const char *id;
    size_t row;
} keyed;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->id, ((const keyed *)b)->id);
}

int frame_join_rows(const rg_frame *const *fs, size_t nf, size_t ***rows, size_t *n)
{
    *rows = calloc(nf, sizeof **rows);
    keyed **sorted = calloc(nf, sizeof *sorted);
    int rc = -1;
    if (!*rows || !sorted)
        goto done;
    for (size_t k = 0; k < nf; k++) {
        (*rows)[k] = malloc((fs[0]->nrow ? fs[0]->nrow : 1) * sizeof ***rows);
        sorted[k] = malloc((fs[k]->nrow ? fs[k]->nrow : 1) * sizeof **sorted);
        if (!(*rows)[k] || !sorted[k])
            goto done;
        for (size_t i = 0; i < fs[k]->nrow; i++)
            sorted[k][i] = (keyed){fs[k]->ids[i], i};
        qsort(sorted[k], fs[k]->nrow, sizeof **sorted, by_key);
    }
    *n = 0;
    for (size_t i = 0; i < fs[0]->nrow; i++) {
        keyed key = {fs[0]->ids[i], 0};
        int all = 1;
        for (size_t k = 1; k < nf && all; k++) {
            keyed *hit = bsearch(&key, sorted[k], fs[k]->nrow, sizeof *sorted[k], by_key);
            if (hit)
                (*rows)[k][*n] = hit->row;
            else
                all = 0;
        }
        if (all)
            (*rows)[0][(*n)++] = i;
    }
    rc = 0;
done:
    for (size_t k = 0; sorted && k < nf; k++)
        free(sorted[k]);
    free(sorted);
    if (rc != 0 && *rows) {
        for (size_t k = 0; k < nf; k++)
            free((*rows)[k]);
        free(*rows);
        *rows = NULL;
    }
    return rc;
}

void frame_csv(rg_buf *b, const rg_frame *f, const char *id_name)
{
    table_csv_field(b, id_name, strlen(id_name));
    for (size_t j = 0; j < f->ncol; j++) {
        buf_putc(b, ',');
        table_csv_field(b, f->cols[j].name, strlen(f->cols[j].name));
    }
    buf_puts(b, "\r\n");
    rg_buf cell = {0};
    for (size_t i = 0; i < f->nrow; i++) {
        table_csv_field(b, f->ids[i], strlen(f->ids[i]));
        for (size_t j = 0; j < f->ncol; j++) {
            const rg_col *c = &f->cols[j];
            buf_putc(b, ',');
            cell.len = 0;
            if (c->str)
                buf_puts(&cell, c->str[i] ? c->str[i] : "");
            else if (isnan(c->num[i]))
                buf_puts(&cell, "NA");
            else
                fmt_shortest(&cell, c->num[i]);
            table_csv_field(b, cell.data ? cell.data : "", cell.len);
        }
        buf_puts(b, "\r\n");
    }
    if (cell.failed)
        b->failed = 1;
    buf_free(&cell);
}
