/* tests/fuzz/csv_target.c — the body of the CSV reader's fuzz target
 * (csv_target.h).
 *
 * Byte 0 of the input selects the options; bytes 1.. are the CSV text:
 *   bits 0-1  0: sep 0 and the name "fuzz.csv" (','), 1: sep ';',
 *             2: sep 0 and the name "fuzz.tsv" (tab), 3: sep '\t'
 *   bit 2     transpose
 *   bit 3     no_id
 *   bit 4     string_cols = {"s"}
 *   bit 5     na = {"-", "NA"} (replacing the default tokens)
 *   bit 6     id = "id"
 * The text is then parsed a second time with the default options.
 *
 * Invariants checked: the return value is 0 or -1. On success: no message;
 * at least one row (and one feature row when transposed); every ID non-NULL,
 * non-empty and unique ("1", "2", ... with no_id); every column has a name
 * and exactly one of num/str, a string column's cells are all non-NULL; a
 * column is text exactly when string_cols names it; meta columns are the
 * diagnostics_* ones, as text, and features never are; names are unique
 * across features and meta; frame_col finds every feature; every ID, name
 * and text cell is valid UTF-8. On failure: a message starting with
 * "fuzz.csv:" (or .tsv), valid UTF-8, and *out left empty. */
#include "csv_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

/* Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF),
 * written apart from engine/buf.c's utf8_valid so that the tests do not
 * check the engine with its own code. */
int fuzz_utf8_strict(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; s[i];) {
        unsigned c = s[i], cp, min;
        size_t len;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4, min = 0x10000;
        } else {
            return 0;
        }
        cp = c & (0x7Fu >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0; /* also stops at the terminating NUL */
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 when the n strings v[0..n) hold a duplicate (sorted copy). */
static int has_duplicate(const char *const *v, size_t n, int *oom)
{
    if (n < 2)
        return 0;
    const char **s = malloc(n * sizeof *s);
    if (!s) {
        *oom = 1;
        return 0;
    }
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, by_str);
    int dup = 0;
    for (size_t i = 1; i < n && !dup; i++)
        dup = strcmp(s[i], s[i - 1]) == 0;
    free(s);
    return dup;
}

static const char *check_col(const rg_col *c, size_t nrow)
{
    if (!c->name)
        return "a column has no name";
    if (!fuzz_utf8_strict(c->name))
        return "a column name is not valid UTF-8";
    if (!c->num == !c->str)
        return "a column has both or neither of num and str";
    for (size_t i = 0; c->str && i < nrow; i++) {
        if (!c->str[i])
            return "a text cell is NULL";
        if (!fuzz_utf8_strict(c->str[i]))
            return "a text cell is not valid UTF-8";
    }
    return NULL;
}

static const char *check_frame(const rg_frame *f, const rg_csv_opts *o)
{
    if (f->nrow == 0 || (o->transpose && f->ncol + f->nmeta == 0))
        return "a successful parse gave an empty frame";
    if (f->nrow && !f->ids)
        return "a frame with rows has no IDs";
    if ((f->ncol && !f->cols) || (f->nmeta && !f->meta))
        return "a frame with columns has no column array";
    for (size_t i = 0; i < f->nrow; i++) {
        if (!f->ids[i])
            return "a row ID is NULL";
        if (!f->ids[i][0])
            return "a row ID is empty";
        if (!fuzz_utf8_strict(f->ids[i]))
            return "a row ID is not valid UTF-8";
        if (o->no_id && !o->transpose) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%zu", i + 1);
            if (strcmp(tmp, f->ids[i]) != 0)
                return "no_id: rows are not numbered 1, 2, ...";
        }
    }
    int oom = 0;
    if (has_duplicate((const char *const *)f->ids, f->nrow, &oom))
        return "two rows have the same ID";
    const char *broken;
    for (size_t j = 0; j < f->ncol; j++) {
        const rg_col *c = &f->cols[j];
        if ((broken = check_col(c, f->nrow)) != NULL)
            return broken;
        if (strncmp(c->name, "diagnostics_", 12) == 0)
            return "a diagnostics_ column is among the features";
        int named = 0;
        for (size_t k = 0; k < o->nstring; k++)
            named |= strcmp(c->name, o->string_cols[k]) == 0;
        if (named != (c->str != NULL))
            return "a column is text but not in string_cols, or the reverse";
        if (frame_col(f, c->name) != c)
            return "frame_col does not find a column";
    }
    for (size_t j = 0; j < f->nmeta; j++) {
        const rg_col *c = &f->meta[j];
        if ((broken = check_col(c, f->nrow)) != NULL)
            return broken;
        if (strncmp(c->name, "diagnostics_", 12) != 0)
            return "a meta column is not a diagnostics_ one";
        if (!c->str)
            return "a meta column is not text";
        if (frame_col(f, c->name))
            return "frame_col finds a meta column";
    }
    size_t n = f->ncol + f->nmeta;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names)
        return NULL;
    for (size_t j = 0; j < n; j++)
        names[j] = j < f->ncol ? f->cols[j].name : f->meta[j - f->ncol].name;
    int dup = has_duplicate(names, n, &oom);
    free(names);
    if (dup)
        return "two columns have the same name";
    if (frame_bytes(f) < sizeof *f)
        return "frame_bytes is smaller than the frame";
    return NULL;
}

static const char *parse(const char *text, size_t len, const char *shown,
                         const rg_csv_opts *o)
{
    rg_frame f;
    char *err = NULL;
    memset(&f, 0xA5, sizeof f); /* frame_parse_csv must set every field */
    int rc = frame_parse_csv(text, len, shown, o, &f, &err);
    const char *broken = NULL;
    if (rc == 0) {
        if (err)
            broken = "a successful parse set a message";
        else
            broken = check_frame(&f, o);
        frame_free(&f);
    } else if (rc != -1) {
        broken = "frame_parse_csv returned neither 0 nor -1";
    } else if (!err) {
        broken = "a failed parse gave no message";
    } else {
        size_t n = strlen(shown);
        if (strncmp(err, shown, n) != 0 || err[n] != ':')
            broken = "a failed parse did not say 'SHOWN:...: why'";
        else if (!fuzz_utf8_strict(err))
            broken = "an error message is not valid UTF-8";
        else if (f.nrow || f.ncol || f.nmeta || f.ids || f.cols || f.meta)
            broken = "a failed parse left *out not empty";
        free(err);
    }
    return broken;
}

const char *fuzz_csv_target(const uint8_t *data, size_t size)
{
    if (size == 0)
        return NULL;
    unsigned sel = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    static const char *const strings[] = {"s"};
    static const char *const na[] = {"-", "NA"};
    rg_csv_opts o = {0};
    const char *shown = "fuzz.csv";
    switch (sel & 3) {
    case 1:
        o.sep = ';';
        break;
    case 2:
        shown = "fuzz.tsv";
        break;
    case 3:
        o.sep = '\t';
        break;
    default:
        break;
    }
    o.transpose = (sel & 4) != 0;
    o.no_id = (sel & 8) != 0;
    if (sel & 16) {
        o.string_cols = strings;
        o.nstring = 1;
    }
    if (sel & 32) {
        o.na = na;
        o.nna = 2;
    }
    if (sel & 64)
        o.id = "id";
    const char *broken = parse(text, len, shown, &o);
    if (!broken) {
        rg_csv_opts d = {0};
        broken = parse(text, len, "fuzz.csv", &d);
    }
    return broken;
}
