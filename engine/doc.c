/* engine/doc.c — parsing a study: UTF-8 check, YAML front matter (libyaml),
 * Markdown (cmark), chunk options and inline expressions (doc.h). */
#include "doc.h"

#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"

/* Largest number of YAML nodes a front matter may expand to (aliases
 * included): a guard against alias bombs. */
#define MAX_YAML_NODES 100000

static char *msgf(const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static char *msgf(const char *path, int line, const char *fmt, ...)
{
    rg_buf b = {0};
    if (line > 0)
        buf_printf(&b, "%s:%d: ", path, line);
    else
        buf_printf(&b, "%s: ", path);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return buf_take(&b);
}

/* Edit distance for "did you mean" hints (short ASCII words only). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 31 || lb > 31)
        return 99;
    size_t d[32][32];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

static const char *closest(const char *word, const char *const *known)
{
    const char *best = NULL;
    size_t bd = 3;
    for (; *known; known++) {
        size_t d = edit_distance(word, *known);
        if (d < bd) {
            bd = d;
            best = *known;
        }
    }
    return best;
}

/* ---- UTF-8 ---------------------------------------------------------------- */

/* Returns 0 when text is valid UTF-8 without NUL bytes; else -1 with the
 * 1-based line of the first bad byte in *line and *nul set when it is a NUL. */
static int check_utf8(const unsigned char *s, size_t n, int *line, int *nul)
{
    size_t bad = n;
    const unsigned char *z = memchr(s, 0, n);
    int ok = utf8_valid((const char *)s, n, &bad);
    size_t at = z && (ok || (size_t)(z - s) < bad) ? (size_t)(z - s) : bad;
    if (ok && !z)
        return 0;
    int ln = 1;
    for (size_t i = 0; i < at; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
            ln++; /* LF, CRLF and a lone CR end a line, as for cmark */
    *line = ln;
    *nul = z && (size_t)(z - s) == at;
    return -1;
}

/* ---- lines ---------------------------------------------------------------- */

/* End of the line starting at pos (before its LF, CRLF or lone CR); *next is
 * where the next line starts. */
static size_t line_end(const char *s, size_t n, size_t pos, size_t *next)
{
    size_t e = pos;
    while (e < n && s[e] != '\n' && s[e] != '\r')
        e++;
    *next = e < n && s[e] == '\r' && e + 1 < n && s[e + 1] == '\n' ? e + 2
            : e < n                                               ? e + 1
                                                                  : e;
    return e;
}

/* ---- front matter --------------------------------------------------------- */

/* Is the line s[0..n) (without its newline) exactly `mark` plus optional
 * trailing blanks? */
static int is_marker_line(const char *s, size_t n, const char *mark)
{
    size_t m = strlen(mark);
    if (n < m || memcmp(s, mark, m) != 0)
        return 0;
    for (size_t i = m; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

typedef struct {
    const char *path;
    const char *text; /* the YAML text and its length, for line numbers */
    size_t len;
    int first_line; /* file line of the YAML text's first line */
    yaml_document_t ydoc;
    size_t budget;
    char *err;
} yctx;

/* Length of a line break at s[i] as a file counts it (LF, CRLF, lone CR),
 * and as YAML 1.1 and libyaml count it (those, NEL, U+2028, U+2029). */
static size_t file_break(const char *s, size_t n, size_t i)
{
    if (s[i] == '\n')
        return 1;
    if (s[i] == '\r')
        return i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    return 0;
}

static size_t yaml_break(const char *s, size_t n, size_t i)
{
    size_t f = file_break(s, n, i);
    if (f)
        return f;
    if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0x85)
        return 2;
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9))
        return 3;
    return 0;
}

/* The file line of libyaml's (0-based) line ylin of the YAML text. */
static int file_line_of(const char *s, size_t n, int first_line, size_t ylin)
{
    int line = first_line;
    size_t seen = 0;
    for (size_t i = 0; i < n && seen < ylin;) {
        size_t y = yaml_break(s, n, i);
        if (!y) {
            i++;
            continue;
        }
        seen++;
        if (file_break(s, n, i))
            line++;
        i += y;
    }
    return line;
}

/* The file line of a byte offset in the YAML text. */
static int file_line_at(const char *s, size_t n, int first_line, size_t off)
{
    int line = first_line;
    for (size_t i = 0; i < n && i < off;) {
        size_t f = file_break(s, n, i);
        if (f && i + f <= off)
            line++;
        i += f ? f : 1;
    }
    return line;
}

static int yline(const yctx *y, const yaml_node_t *n)
{
    return file_line_of(y->text, y->len, y->first_line, n->start_mark.line);
}

static rg_value *yaml_to_value(yctx *y, yaml_node_t *n, int depth)
{
    if (y->err)
        return NULL;
    if (y->budget-- == 0 || depth > 64) {
        y->err = msgf(y->path, yline(y, n),
                      "front matter is too large or too deeply nested");
        return NULL;
    }
    rg_value *v = NULL;
    switch (n->type) {
    case YAML_SCALAR_NODE: {
        const char *s = (const char *)n->data.scalar.value;
        size_t len = n->data.scalar.length;
        /* libyaml's loader tags every untagged scalar !!str, so the style
         * alone decides: plain scalars are typed, quoted ones are strings */
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
            v = value_from_plain_scalar(s, len);
        else
            v = value_str(s, len);
        break;
    }
    case YAML_SEQUENCE_NODE:
        v = value_new(RG_LIST);
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             v && it < n->data.sequence.items.top; it++) {
            rg_value *c = yaml_to_value(y, yaml_document_get_node(&y->ydoc, *it),
                                        depth + 1);
            if (!c || value_push(v, c) != 0) {
                value_free(v);
                v = NULL;
            }
        }
        break;
    case YAML_MAPPING_NODE:
        v = value_new(RG_MAP);
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             v && p < n->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(&y->ydoc, p->key);
            if (k->type != YAML_SCALAR_NODE) {
                y->err = msgf(y->path, yline(y, k), "map keys must be plain names");
                value_free(v);
                return NULL;
            }
            const char *key = (const char *)k->data.scalar.value;
            if (value_get(v, key)) {
                y->err = msgf(y->path, yline(y, k), "duplicate key '%s'", key);
                value_free(v);
                return NULL;
            }
            rg_value *c = yaml_to_value(y, yaml_document_get_node(&y->ydoc, p->value),
                                        depth + 1);
            if (!c || value_set(v, key, c) != 0) {
                value_free(v);
                v = NULL;
            }
        }
        break;
    default:
        break;
    }
    if (!v && !y->err)
        y->err = msgf(y->path, yline(y, n), "out of memory reading front matter");
    return v;
}

/* Is the node a plain YAML null (empty, ~, null)? */
static int is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    rg_value *v = value_from_plain_scalar((const char *)n->data.scalar.value,
                                          n->data.scalar.length);
    int null = v && v->type == RG_NULL;
    value_free(v);
    return null;
}

/* A scalar front-matter field as text (title, date): the scalar's own text;
 * NULL (absent) for a YAML null. */
static char *scalar_text(yctx *y, yaml_node_t *n, const char *key)
{
    if (n->type != YAML_SCALAR_NODE) {
        y->err = msgf(y->path, yline(y, n), "'%s' must be a single line of text", key);
        return NULL;
    }
    if (is_null(n))
        return NULL;
    return strndup((const char *)n->data.scalar.value, n->data.scalar.length);
}

static int parse_front_matter(rg_doc *doc, const char *yaml, size_t len,
                              int first_line, char **err)
{
    static const char *const known[] = {"title", "author", "date", "seed",
                                        "params", NULL};
    yaml_parser_t parser;
    yctx y = {.path = doc->path, .text = yaml, .len = len, .first_line = first_line,
              .budget = MAX_YAML_NODES};
    if (!yaml_parser_initialize(&parser)) {
        *err = msgf(doc->path, first_line, "out of memory reading front matter");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    if (!yaml_parser_load(&parser, &y.ydoc)) {
        /* reader errors (encoding, control characters) carry a byte offset,
         * the others a mark */
        int line = parser.error == YAML_READER_ERROR
                       ? file_line_at(yaml, len, first_line, parser.problem_offset)
                       : file_line_of(yaml, len, first_line, parser.problem_mark.line);
        *err = msgf(doc->path, line, "front matter is not valid YAML: %s%s%s",
                    parser.problem ? parser.problem : "syntax error",
                    parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return -1;
    }
    yaml_parser_delete(&parser);

    yaml_node_t *root = yaml_document_get_root_node(&y.ydoc);
    if (root && root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0 &&
        root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        root = NULL; /* an empty front matter */
    if (root && root->type != YAML_MAPPING_NODE) {
        y.err = msgf(doc->path, yline(&y, root),
                     "front matter must be a map of keys (title, author, date, seed, params)");
        goto done;
    }
    for (yaml_node_pair_t *p = root ? root->data.mapping.pairs.start : NULL;
         root && p < root->data.mapping.pairs.top && !y.err; p++) {
        yaml_node_t *k = yaml_document_get_node(&y.ydoc, p->key);
        yaml_node_t *v = yaml_document_get_node(&y.ydoc, p->value);
        if (k->type != YAML_SCALAR_NODE) {
            y.err = msgf(doc->path, yline(&y, k), "front matter keys must be names");
            break;
        }
        const char *key = (const char *)k->data.scalar.value;
        for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *kq = yaml_document_get_node(&y.ydoc, q->key);
            if (kq->type == YAML_SCALAR_NODE &&
                strcmp((const char *)kq->data.scalar.value, key) == 0) {
                y.err = msgf(doc->path, yline(&y, k),
                             "duplicate front matter key '%s'", key);
                break;
            }
        }
        if (y.err)
            break;
        if (strcmp(key, "title") == 0) {
            doc->title = scalar_text(&y, v, key);
        } else if (strcmp(key, "date") == 0) {
            doc->date = scalar_text(&y, v, key);
        } else if (strcmp(key, "author") == 0) {
            if (v->type == YAML_SEQUENCE_NODE) {
                rg_buf b = {0};
                for (yaml_node_item_t *it = v->data.sequence.items.start;
                     it < v->data.sequence.items.top; it++) {
                    yaml_node_t *a = yaml_document_get_node(&y.ydoc, *it);
                    if (a->type != YAML_SCALAR_NODE) {
                        y.err = msgf(doc->path, yline(&y, a),
                                     "'author' must be a name or a list of names");
                        break;
                    }
                    if (b.len)
                        buf_puts(&b, ", ");
                    buf_put(&b, (const char *)a->data.scalar.value,
                            a->data.scalar.length);
                }
                free(doc->author);
                doc->author = buf_take(&b);
            } else if (v->type == YAML_SCALAR_NODE) {
                doc->author = scalar_text(&y, v, key);
            } else {
                y.err = msgf(doc->path, yline(&y, v),
                             "'author' must be a name or a list of names");
            }
        } else if (strcmp(key, "seed") == 0) {
            rg_value *s = v->type == YAML_SCALAR_NODE ? yaml_to_value(&y, v, 0) : NULL;
            if (!y.err && (!s || s->type != RG_INT || s->u.i < 0))
                y.err = msgf(doc->path, yline(&y, v),
                             "'seed' must be a non-negative integer");
            else if (s)
                doc->seed = (uint64_t)s->u.i;
            value_free(s);
        } else if (strcmp(key, "params") == 0) {
            rg_value *pv = yaml_to_value(&y, v, 0);
            if (pv && pv->type == RG_NULL) {
                value_free(pv);
                pv = value_new(RG_MAP);
            }
            if (!y.err && (!pv || pv->type != RG_MAP))
                y.err = msgf(doc->path, yline(&y, v),
                             "'params' must be a map of name: value");
            if (y.err) {
                value_free(pv);
            } else {
                value_free(doc->params);
                doc->params = pv;
            }
        } else {
            const char *hint = closest(key, known);
            if (hint)
                y.err = msgf(doc->path, yline(&y, k),
                             "unknown front matter key '%s' (did you mean '%s'?)",
                             key, hint);
            else
                y.err = msgf(doc->path, yline(&y, k),
                             "unknown front matter key '%s' (known keys: title, author, "
                             "date, seed, params; study parameters go under 'params:')",
                             key);
        }
    }
done:
    yaml_document_delete(&y.ydoc);
    if (y.err) {
        *err = y.err;
        return -1;
    }
    return 0;
}

/* ---- chunks --------------------------------------------------------------- */

static const char *const chunk_option_names[] = {
    "label", "echo", "eval", "output", "error", "fig-cap", "fig-alt",
    "tbl-cap", "fig-width", "fig-height", "seed", "cache", NULL};

static int parse_bool(const char *v, int *out)
{
    if (strcmp(v, "true") == 0)
        *out = 1;
    else if (strcmp(v, "false") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static int valid_label(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return 0;
    return 1;
}

/* Apply one option; returns NULL, or an error message without location
 * (malloc'd; caller frees). */
static char *optmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *optmsg(const char *fmt, ...)
{
    rg_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *m = buf_take(&b);
    return m ? m : strdup("out of memory");
}

static char *set_option(rg_chunk_opts *o, const char *key, const char *val)
{
    if (strcmp(key, "label") == 0) {
        if (!valid_label(val)) {
            return optmsg("chunk label '%s' may only hold letters, digits, "
                                  "'-' and '_'", val);
        }
        o->label = strdup(val);
        o->label_given = 1;
        return o->label ? NULL : optmsg("out of memory");
    }
    if (strcmp(key, "echo") == 0 || strcmp(key, "eval") == 0 ||
        strcmp(key, "error") == 0 || strcmp(key, "cache") == 0) {
        int *dst = key[1] == 'c' ? &o->echo
                   : key[1] == 'v' ? &o->eval
                   : key[1] == 'r' ? &o->error
                                   : &o->cache;
        if (parse_bool(val, dst) != 0) {
            return optmsg("chunk option '%s' must be true or false, got '%s'",
                     key, val);
        }
        return NULL;
    }
    if (strcmp(key, "output") == 0) {
        int b;
        if (strcmp(val, "asis") == 0)
            o->output = RG_OUTPUT_ASIS;
        else if (parse_bool(val, &b) == 0)
            o->output = b ? RG_OUTPUT_TRUE : RG_OUTPUT_FALSE;
        else {
            return optmsg("chunk option 'output' must be true, false or asis, got '%s'", val);
        }
        return NULL;
    }
    if (strcmp(key, "fig-cap") == 0 || strcmp(key, "fig-alt") == 0 ||
        strcmp(key, "tbl-cap") == 0) {
        char **slot = key[0] == 't' ? &o->tbl_cap : key[4] == 'c' ? &o->fig_cap : &o->fig_alt;
        *slot = strdup(val);
        return *slot ? NULL : optmsg("out of memory");
    }
    if (strcmp(key, "fig-width") == 0 || strcmp(key, "fig-height") == 0) {
        rg_value *v = value_from_plain_scalar(val, strlen(val));
        double d = !v ? -1 : v->type == RG_INT ? (double)v->u.i
                         : v->type == RG_NUM ? v->u.n : -1;
        value_free(v);
        if (!(d > 0 && d <= 100)) {
            return optmsg("chunk option '%s' must be a number of inches in (0, 100], got '%s'",
                     key, val);
        }
        *(key[4] == 'w' ? &o->fig_width : &o->fig_height) = d;
        return NULL;
    }
    if (strcmp(key, "seed") == 0) {
        rg_value *v = value_from_plain_scalar(val, strlen(val));
        int ok = v && v->type == RG_INT && v->u.i >= 0;
        if (ok) {
            o->seed = (uint64_t)v->u.i;
            o->has_seed = 1;
        }
        value_free(v);
        if (!ok) {
            return optmsg("chunk option 'seed' must be a non-negative integer, got '%s'", val);
        }
        return NULL;
    }
    return optmsg("unknown option '%s'", key); /* not reached: keys are checked first */
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Parse the `--| key: value` lines at the top of a chunk. */
static int parse_chunk_options(rg_doc *doc, rg_chunk *c, char **err)
{
    const char *s = c->code;
    size_t pos = 0, n = strlen(s);
    int line = c->code_line;
    int seen[16] = {0};
    c->opts.echo = c->opts.eval = 1;
    c->opts.output = RG_OUTPUT_TRUE;
    while (pos < n) {
        size_t eol = pos;
        while (eol < n && s[eol] != '\n')
            eol++;
        size_t i = pos;
        while (i < eol && is_blank(s[i]))
            i++;
        if (!(eol - i >= 3 && s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '|'))
            break;
        i += 3;
        while (i < eol && is_blank(s[i]))
            i++;
        size_t kstart = i;
        while (i < eol && s[i] != ':' && !is_blank(s[i]))
            i++;
        size_t klen = i - kstart;
        while (i < eol && is_blank(s[i]))
            i++;
        if (klen == 0 || i >= eol || s[i] != ':') {
            *err = msgf(doc->path, line,
                        "chunk option lines read '--| key: value'");
            return -1;
        }
        char key[256];
        if (klen >= sizeof key) {
            *err = msgf(doc->path, line, "chunk option name longer than %d bytes",
                        (int)sizeof key - 1);
            return -1;
        }
        memcpy(key, s + kstart, klen);
        key[klen] = '\0';
        i++;
        while (i < eol && is_blank(s[i]))
            i++;
        size_t vend = eol;
        while (vend > i && is_blank(s[vend - 1]))
            vend--;
        if (vend - i >= 2 && (s[i] == '"' || s[i] == '\'') && s[vend - 1] == s[i]) {
            i++;
            vend--;
        }
        int k = -1;
        for (int j = 0; chunk_option_names[j]; j++)
            if (strcmp(key, chunk_option_names[j]) == 0)
                k = j;
        if (k < 0) {
            const char *hint = closest(key, chunk_option_names);
            if (hint)
                *err = msgf(doc->path, line,
                            "unknown chunk option '%s' (did you mean '%s'?)", key, hint);
            else
                *err = msgf(doc->path, line,
                            "unknown chunk option '%s' (options: label, echo, eval, "
                            "output, error, fig-cap, fig-alt, tbl-cap, fig-width, fig-height, "
                            "seed, cache)",
                            key);
            return -1;
        }
        if (seen[k]) {
            *err = msgf(doc->path, line, "chunk option '%s' is given twice", key);
            return -1;
        }
        seen[k] = 1;
        char *val = strndup(s + i, vend - i);
        if (!val) {
            *err = msgf(doc->path, line, "out of memory");
            return -1;
        }
        if (!*val) {
            *err = msgf(doc->path, line, "chunk option '%s' has no value", key);
            free(val);
            return -1;
        }
        if (k == 0)
            c->opts.label_line = line;
        char *e = set_option(&c->opts, key, val);
        free(val);
        if (e) {
            *err = msgf(doc->path, line, "%s", e);
            free(e);
            return -1;
        }
        pos = eol < n ? eol + 1 : eol;
        line++;
    }
    c->body_offset = pos;
    return 0;
}

const char *doc_chunk_display(const rg_chunk *chunk, size_t *len)
{
    const char *s = chunk->code + chunk->body_offset;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || is_blank(s[n - 1])))
        n--;
    /* keep the indentation of the last line's content: trim to end of line */
    *len = n;
    return s;
}

/* Is the info string's first word "lua"? */
static int is_lua_fence(const char *info)
{
    if (!info)
        return 0;
    while (*info == ' ' || *info == '\t')
        info++;
    return strncmp(info, "lua", 3) == 0 &&
           (info[3] == '\0' || info[3] == ' ' || info[3] == '\t');
}

/* Room for item n (0-based) in *arr of elements of size sz, growing
 * geometrically (at n = 0, 4, 8, 16, ...). */
static int room_for(void **arr, size_t n, size_t sz)
{
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
        return 0;
    void *p = realloc(*arr, (n < 4 ? 4 : 2 * n) * sz);
    if (!p)
        return -1;
    *arr = p;
    return 0;
}

static int add_item(rg_doc *doc, rg_item_kind kind, size_t index)
{
    if (room_for((void **)&doc->items, doc->nitems, sizeof *doc->items) != 0)
        return -1;
    doc->items[doc->nitems++] = (rg_item){kind, index};
    return 0;
}

/* cmark's start line of an inline node is one short after a backslash hard
 * break, and a code span may put its expression on the line after "{lua}".
 * The source decides: the first "{lua}" at or after the cursor (just after
 * the previous expression, so that repeated expressions map to successive
 * occurrences), not before cmark's line nor after the enclosing block,
 * followed by blanks or line breaks (with the "> " and indentation that
 * continue a block quote or list item) and then the expression's first
 * characters: the line of those. */
typedef struct {
    size_t off; /* where the search goes on */
    int line;   /* the line at off */
} cursor;

static int line_break(const char *s, size_t n, size_t i)
{
    return s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'));
}

static int inline_line(const char *src, size_t n, cmark_node *node, const char *expr,
                       cursor *cur)
{
    int from = cmark_node_get_start_line(node), ln = cur->line;
    cmark_node *block = cmark_node_parent(node);
    while (block && cmark_node_get_end_line(block) == 0)
        block = cmark_node_parent(block);
    int last = block ? cmark_node_get_end_line(block) : from;
    if (last < from)
        last = from + 1;
    size_t k = 0;
    while (expr[k] && expr[k] != ' ' && expr[k] != '\t' && k < 16)
        k++;
    for (size_t i = cur->off; i < n && ln <= last + 1; i++) {
        if (line_break(src, n, i)) {
            ln++;
            continue;
        }
        if (ln < from || i + 5 > n || memcmp(src + i, "{lua}", 5) != 0)
            continue;
        size_t q = i + 5;
        int lq = ln;
        int prefix = 0; /* at the start of a continuation line */
        while (q < n && (src[q] == ' ' || src[q] == '\t' || src[q] == '\r' ||
                         src[q] == '\n' || (prefix && src[q] == '>'))) {
            if (line_break(src, n, q)) {
                lq++;
                prefix = 1;
            }
            q++;
        }
        if (q == i + 5)
            continue; /* "{lua}x" is ordinary code, not an expression */
        if (q + k <= n && memcmp(src + q, expr, k) == 0) {
            cur->off = q + k;
            cur->line = lq;
            return lq;
        }
    }
    return from;
}

static int collect(rg_doc *doc, const char *src, size_t srclen, char **err)
{
    cursor cur = {0, 1}; /* just after the last inline expression found */
    cmark_iter *it = cmark_iter_new(doc->root);
    cmark_event_type ev;
    int rc = 0;
    while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_CODE_BLOCK && is_lua_fence(cmark_node_get_fence_info(n))) {
            if (room_for((void **)&doc->chunks, doc->nchunks, sizeof *doc->chunks) != 0) {
                *err = msgf(doc->path, 0, "out of memory");
                rc = -1;
                break;
            }
            rg_chunk *c = &doc->chunks[doc->nchunks];
            memset(c, 0, sizeof *c);
            c->node = n;
            c->index = (int)doc->nchunks + 1;
            c->line = cmark_node_get_start_line(n);
            c->code_line = c->line + 1;
            c->code = cmark_node_get_literal(n);
            if (!c->code)
                c->code = "";
            doc->nchunks++;
            rc = parse_chunk_options(doc, c, err);
            if (rc == 0 && add_item(doc, RG_ITEM_CHUNK, doc->nchunks - 1) != 0) {
                *err = msgf(doc->path, 0, "out of memory");
                rc = -1;
            }
        } else if (t == CMARK_NODE_CODE) {
            const char *lit = cmark_node_get_literal(n);
            if (!lit || strncmp(lit, "{lua}", 5) != 0)
                continue;
            const char *e = lit + 5;
            if (*e && *e != ' ' && *e != '\t')
                continue; /* "{lua}x" is ordinary code */
            while (*e == ' ' || *e == '\t')
                e++;
            int line = inline_line(src, srclen, n, e, &cur);
            if (!*e) {
                *err = msgf(doc->path, line, "empty inline expression `{lua}`");
                rc = -1;
                break;
            }
            char *expr = strdup(e);
            if (!expr ||
                room_for((void **)&doc->inlines, doc->ninlines, sizeof *doc->inlines) != 0) {
                free(expr);
                *err = msgf(doc->path, line, "out of memory");
                rc = -1;
                break;
            }
            doc->inlines[doc->ninlines] = (rg_inline){n, line, expr};
            doc->ninlines++;
            if (add_item(doc, RG_ITEM_INLINE, doc->ninlines - 1) != 0) {
                *err = msgf(doc->path, 0, "out of memory");
                rc = -1;
            }
        }
    }
    cmark_iter_free(it);
    if (rc != 0)
        return rc;

    /* default labels, then uniqueness over all labels */
    for (size_t i = 0; i < doc->nchunks; i++) {
        rg_chunk *c = &doc->chunks[i];
        if (!c->opts.label_line)
            c->opts.label_line = c->line;
        if (!c->opts.label) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "chunk-%d", c->index);
            c->opts.label = strdup(tmp);
            if (!c->opts.label) {
                *err = msgf(doc->path, 0, "out of memory");
                return -1;
            }
        }
    }
    for (size_t i = 0; i < doc->nchunks; i++)
        for (size_t j = 0; j < i; j++) {
            rg_chunk *a = &doc->chunks[j], *b = &doc->chunks[i];
            if (strcmp(a->opts.label, b->opts.label) != 0)
                continue;
            rg_chunk *given = b->opts.label_given ? b : a;
            rg_chunk *other = given == b ? a : b;
            *err = msgf(doc->path, given->opts.label_line,
                        "duplicate chunk label '%s' (%s at line %d)", b->opts.label,
                        other->opts.label_given ? "also used by the chunk"
                                                : "the default label of the chunk",
                        other->line);
            return -1;
        }
    return 0;
}

/* ---- the whole document ---------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int doc_parse(rg_doc *doc, const char *path, const char *text, size_t len,
              char **err)
{
    memset(doc, 0, sizeof *doc);
    *err = NULL;
    doc->path = strdup(path);
    doc->name = doc->path ? strdup(base_name(path)) : NULL;
    doc->params = value_new(RG_MAP);
    doc->overridden = value_new(RG_LIST);
    doc->seed = 1;
    doc->bytes = len;
    char *body = NULL;
    if (!doc->path || !doc->name || !doc->params || !doc->overridden)
        goto oom;
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, len, (const uint8_t *)text);
    sha256_digest(&h, sizeof doc->sha256, doc->sha256);

    int bad_line, nul;
    if (check_utf8((const unsigned char *)text, len, &bad_line, &nul) != 0) {
        *err = msgf(path, bad_line,
                    nul ? "not a text file (NUL byte)" : "not valid UTF-8 text");
        goto fail;
    }
    /* body: the text without BOM and with the front matter blanked to
     * newlines, so cmark's line numbers are the file's. */
    size_t off = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    body = malloc(len - off + 1);
    if (!body)
        goto oom;
    memcpy(body, text + off, len - off);
    size_t blen = len - off;
    body[blen] = '\0';

    size_t first_next;
    size_t eol = line_end(body, blen, 0, &first_next);
    if (is_marker_line(body, eol, "---") && eol < blen) {
        size_t ystart = first_next, pos = ystart, yend = 0, fm_end = 0;
        int found = 0;
        while (pos < blen) {
            size_t next;
            size_t e = line_end(body, blen, pos, &next);
            if (is_marker_line(body + pos, e - pos, "---") ||
                is_marker_line(body + pos, e - pos, "...")) {
                yend = pos;
                fm_end = e;
                found = 1;
                break;
            }
            pos = next;
        }
        if (!found) {
            *err = msgf(path, 1, "front matter opened here is never closed "
                                 "(expected a line '---')");
            goto fail;
        }
        /* libyaml rejects tabs as indentation; it also copes with CRLF. */
        if (parse_front_matter(doc, body + ystart, yend - ystart, 2, err) != 0)
            goto fail;
        for (size_t i = 0; i < fm_end; i++)
            if (body[i] != '\n' && body[i] != '\r')
                body[i] = ' ';
    }
    doc->root = cmark_parse_document(body, blen, CMARK_OPT_DEFAULT);
    if (!doc->root)
        goto oom;
    if (collect(doc, body, blen, err) != 0)
        goto fail;
    free(body);
    return 0;
oom:
    *err = msgf(path, 0, "out of memory");
fail:
    free(body);
    doc_free(doc);
    return -1;
}

/* "an integer", "a string", ... for messages. */
static const char *with_article(rg_value_type t)
{
    switch (t) {
    case RG_NULL:
        return "null";
    case RG_INT:
        return "an integer";
    default:
        break;
    }
    static char buf[8][24];
    static int k;
    char *b = buf[k++ % 8];
    snprintf(b, sizeof buf[0], "a %s", value_type_name(t));
    return b;
}

/* Are a front-matter value and its -P replacement of compatible types? */
static int compatible(const rg_value *old, const rg_value *new)
{
    if (old->type == RG_NULL)
        return 1;
    if ((old->type == RG_INT || old->type == RG_NUM) &&
        (new->type == RG_INT || new->type == RG_NUM))
        return 1;
    return old->type == new->type;
}

int doc_override_param(rg_doc *doc, const char *assignment, char **err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) {
        *err = msgf("-P", 0, "expected key=value, got '%s'", assignment);
        return -1;
    }
    char *key = strndup(assignment, (size_t)(eq - assignment));
    if (!key) {
        *err = msgf("-P", 0, "out of memory");
        return -1;
    }
    size_t idx = 0;
    while (idx < doc->params->len && strcmp(doc->params->keys[idx], key) != 0)
        idx++;
    if (idx == doc->params->len) {
        rg_buf b = {0};
        buf_printf(&b, "-P: unknown param '%s'; ", key);
        if (doc->params->len == 0)
            buf_puts(&b, "the study declares no params");
        for (size_t i = 0; i < doc->params->len; i++)
            buf_printf(&b, "%s%s", i ? ", " : "the study's params are: ",
                       doc->params->keys[i]);
        *err = buf_take(&b);
        free(key);
        return -1;
    }
    /* Type the value as YAML: a one-key document "v: VALUE" would misparse
     * "a: b", so parse VALUE alone. */
    const char *val = eq + 1;
    yaml_parser_t parser;
    yctx y = {.path = "-P", .first_line = 0, .budget = MAX_YAML_NODES};
    rg_value *v = NULL;
    if (!yaml_parser_initialize(&parser)) {
        free(key);
        *err = msgf("-P", 0, "out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)val, strlen(val));
    if (!yaml_parser_load(&parser, &y.ydoc)) {
        *err = msgf("-P", 0, "%s: value '%s' is not valid YAML: %s", key, val,
                    parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        free(key);
        return -1;
    }
    yaml_parser_delete(&parser);
    yaml_node_t *root = yaml_document_get_root_node(&y.ydoc);
    v = root ? yaml_to_value(&y, root, 0) : value_new(RG_NULL);
    yaml_document_delete(&y.ydoc);
    if (!v) {
        free(y.err);
        *err = msgf("-P", 0, "%s: cannot read value '%s'", key, val);
        free(key);
        return -1;
    }
    rg_value *old = doc->params->items[idx];
    if (!compatible(old, v)) {
        if (old->type == RG_STR)
            *err = msgf("-P", 0, "%s: the front matter gives a string, but '%s' is %s "
                                 "(quote it to pass a string: -P '%s=\"%s\"')",
                        key, val, with_article(v->type), key, val);
        else
            *err = msgf("-P", 0, "%s: the front matter gives %s, but '%s' is %s", key,
                        with_article(old->type), val, with_article(v->type));
        value_free(v);
        free(key);
        return -1;
    }
    value_free(old);
    doc->params->items[idx] = v;
    int listed = 0;
    for (size_t i = 0; i < doc->overridden->len; i++)
        if (strcmp(doc->overridden->items[i]->u.s, key) == 0)
            listed = 1;
    if (!listed && value_push(doc->overridden, value_str(key, (size_t)-1)) != 0) {
        free(key);
        *err = msgf("-P", 0, "out of memory");
        return -1;
    }
    free(key);
    return 0;
}

void doc_free(rg_doc *doc)
{
    for (size_t i = 0; i < doc->nchunks; i++) {
        free(doc->chunks[i].opts.label);
        free(doc->chunks[i].opts.fig_cap);
        free(doc->chunks[i].opts.fig_alt);
        free(doc->chunks[i].opts.tbl_cap);
    }
    for (size_t i = 0; i < doc->ninlines; i++)
        free(doc->inlines[i].expr);
    free(doc->chunks);
    free(doc->inlines);
    free(doc->items);
    if (doc->root)
        cmark_node_free(doc->root);
    value_free(doc->params);
    value_free(doc->overridden);
    free(doc->path);
    free(doc->name);
    free(doc->title);
    free(doc->author);
    free(doc->date);
    memset(doc, 0, sizeof *doc);
}
