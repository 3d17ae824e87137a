/* tests/unit/test_doc.c — tests for engine/doc.c (the study document model)
 * and the YAML typing of engine/value.c that front matter relies on.
 *
 * - spec_files: runs every example of the spec files named on the command
 *   line (tests/spec/NAME.txt; the format is described at the top of
 *   tests/spec/frontmatter.txt): each example's input is parsed with
 *   doc_parse(path "study.md") and its canonical dump (dump_doc below) must
 *   equal the expected text byte for byte. A mismatch prints
 *   "FILE:LINE: example NAME: ..." with both texts to stderr.
 * - override_*: doc_override_param (-P key=value).
 * - plain_scalar_*: value_from_plain_scalar, the typing of YAML plain scalars.
 * - doc_*: fields the dump does not show (path, name, bytes, sha256, nodes,
 *   item order) and the contract of a failed parse.
 * - fuzz_regressions: replays every file of tests/fuzz/regressions/ through
 *   doc_parse, doc_override_param and doc_free (under `make test-asan` this
 *   proves that none of them crashes or leaks any more). */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "buf.h"
#include "doc.h"
#include "fmt.h"
#include "unit.h"
#include "../fuzz/doc_target.h"
#include "value.h"

/* ---- the canonical dump ----------------------------------------------------- */

/* Shortest round-trip form (fmt_shortest); YAML spellings for the
 * non-finite values. */
static void put_double(rg_buf *b, double d)
{
    if (d != d) {
        buf_puts(b, ".nan");
        return;
    }
    if (d == HUGE_VAL || d == -HUGE_VAL) {
        buf_puts(b, d < 0 ? "-.inf" : ".inf");
        return;
    }
    fmt_shortest(b, d);
}

/* s[0..n) as a double-quoted C-style string; bytes >= 0x80 are kept (UTF-8). */
static void put_quoted(rg_buf *b, const char *s, size_t n)
{
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else if (c == '\n') {
            buf_puts(b, "\\n");
        } else if (c == '\t') {
            buf_puts(b, "\\t");
        } else if (c == '\r') {
            buf_puts(b, "\\r");
        } else if (c < 0x20 || c == 0x7F) {
            buf_printf(b, "\\x%02X", c);
        } else {
            buf_putc(b, (char)c);
        }
    }
    buf_putc(b, '"');
}

static void put_quoted_cstr(rg_buf *b, const char *s) { put_quoted(b, s, strlen(s)); }

/* A line of code as the spec files write it: tab "→", CR "␍", other control
 * bytes ⟨xHH⟩. */
static void put_visible(rg_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t')
            buf_puts(b, "\xE2\x86\x92");
        else if (c == '\r')
            buf_puts(b, "\xE2\x90\x8D");
        else if (c == 0)
            buf_puts(b, "\xE2\x90\x80");
        else if (c < 0x20 || c == 0x7F)
            buf_printf(b, "\xE2\x9F\xA8x%02X\xE2\x9F\xA9", c);
        else
            buf_putc(b, (char)c);
    }
}

/* A value in flow form with its type visible:
 * {n: int 60, p: num 0.05, f: str "x.csv", b: bool true, z: null, l: [int 1]} */
static void put_value(rg_buf *b, const rg_value *v)
{
    switch (v->type) {
    case RG_NULL:
        buf_puts(b, "null");
        break;
    case RG_BOOL:
        buf_puts(b, v->u.b ? "bool true" : "bool false");
        break;
    case RG_INT:
        buf_printf(b, "int %" PRId64, v->u.i);
        break;
    case RG_NUM:
        buf_puts(b, "num ");
        put_double(b, v->u.n);
        break;
    case RG_STR:
        buf_puts(b, "str ");
        put_quoted(b, v->u.s, v->len);
        break;
    case RG_LIST:
    case RG_MAP:
        buf_putc(b, v->type == RG_LIST ? '[' : '{');
        for (size_t i = 0; i < v->len; i++) {
            if (i)
                buf_puts(b, ", ");
            if (v->type == RG_MAP) {
                buf_puts(b, v->keys[i]);
                buf_puts(b, ": ");
            }
            put_value(b, v->items[i]);
        }
        buf_putc(b, v->type == RG_LIST ? ']' : '}');
        break;
    }
}

static char *value_text(const rg_value *v)
{
    rg_buf b = {0};
    put_value(&b, v);
    return buf_take(&b);
}

static void dump_chunk(rg_buf *b, const rg_chunk *c)
{
    const rg_chunk_opts *o = &c->opts;
    buf_printf(b, "chunk %s%s line=%d code_line=%d echo=%s eval=%s output=%s error=%s cache=%s",
               o->label, o->label_given ? "" : " (default)", c->line, c->code_line,
               o->echo ? "true" : "false", o->eval ? "true" : "false",
               o->output == RG_OUTPUT_ASIS   ? "asis"
               : o->output == RG_OUTPUT_TRUE ? "true"
                                             : "false",
               o->error ? "true" : "false", o->cache ? "true" : "false");
    if (o->fig_cap) {
        buf_puts(b, " fig-cap=");
        put_quoted_cstr(b, o->fig_cap);
    }
    if (o->fig_alt) {
        buf_puts(b, " fig-alt=");
        put_quoted_cstr(b, o->fig_alt);
    }
    if (o->tbl_cap) {
        buf_puts(b, " tbl-cap=");
        put_quoted_cstr(b, o->tbl_cap);
    }
    if (o->fig_width != 0) {
        buf_puts(b, " fig-width=");
        put_double(b, o->fig_width);
    }
    if (o->fig_height != 0) {
        buf_puts(b, " fig-height=");
        put_double(b, o->fig_height);
    }
    if (o->has_seed)
        buf_printf(b, " seed=%" PRIu64, o->seed);
    buf_putc(b, '\n');
    size_t len;
    const char *s = doc_chunk_display(c, &len);
    size_t i = 0;
    while (i < len) { /* each line of the display code, indented by 4 */
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
        if (e > i)
            buf_puts(b, "    ");
        put_visible(b, s + i, e - i);
        buf_putc(b, '\n');
        i = e + 1;
    }
}

/* The canonical dump of a parse (documented in tests/spec/frontmatter.txt). */
static char *dump_doc(const char *text, size_t len)
{
    rg_doc doc;
    char *err = NULL;
    rg_buf b = {0};
    if (doc_parse(&doc, "study.md", text, len, &err) != 0) {
        buf_puts(&b, "error: ");
        buf_puts(&b, err ? err : "(no message)");
        buf_putc(&b, '\n');
        free(err);
        return buf_take(&b);
    }
    if (err)
        buf_puts(&b, "BUG: err set on success\n");
    if (doc.title) {
        buf_puts(&b, "title: ");
        put_quoted_cstr(&b, doc.title);
        buf_putc(&b, '\n');
    }
    if (doc.author) {
        buf_puts(&b, "author: ");
        put_quoted_cstr(&b, doc.author);
        buf_putc(&b, '\n');
    }
    if (doc.date) {
        buf_puts(&b, "date: ");
        put_quoted_cstr(&b, doc.date);
        buf_putc(&b, '\n');
    }
    buf_printf(&b, "seed: %" PRIu64 "\n", doc.seed);
    buf_puts(&b, "params: ");
    put_value(&b, doc.params);
    buf_putc(&b, '\n');
    for (size_t i = 0; i < doc.nitems; i++) {
        const rg_item *it = &doc.items[i];
        if (it->kind == RG_ITEM_CHUNK) {
            dump_chunk(&b, &doc.chunks[it->index]);
        } else {
            const rg_inline *in = &doc.inlines[it->index];
            buf_printf(&b, "inline line=%d expr=", in->line);
            put_quoted_cstr(&b, in->expr);
            buf_putc(&b, '\n');
        }
    }
    doc_free(&doc);
    return buf_take(&b);
}

/* ---- the spec files ----------------------------------------------------------- */

#define FENCE "````````````````" /* 16 backticks */
#define FENCE_LEN 16

/* Decode one line of a spec input (without its newline) into out: "→" tab,
 * "␍" CR, "␀" NUL, "⟨BOM⟩" U+FEFF, "⟨xHH⟩" the byte HH, and a final
 * "⟨noeol⟩" drops the line's newline. Returns 0, or -1 on a malformed ⟨...⟩. */
static int decode_line(const char *s, size_t n, rg_buf *out)
{
    static const char noeol[] = "\xE2\x9F\xA8noeol\xE2\x9F\xA9";
    int eol = 1;
    size_t nl = sizeof noeol - 1;
    if (n >= nl && memcmp(s + n - nl, noeol, nl) == 0) {
        n -= nl;
        eol = 0;
    }
    for (size_t i = 0; i < n;) {
        const char *p = s + i;
        size_t left = n - i;
        if (left >= 3 && memcmp(p, "\xE2\x86\x92", 3) == 0) {
            buf_putc(out, '\t');
            i += 3;
        } else if (left >= 3 && memcmp(p, "\xE2\x90\x8D", 3) == 0) {
            buf_putc(out, '\r');
            i += 3;
        } else if (left >= 3 && memcmp(p, "\xE2\x90\x80", 3) == 0) {
            buf_put(out, "", 1);
            i += 3;
        } else if (left >= 3 && memcmp(p, "\xE2\x9F\xA8", 3) == 0) { /* ⟨ */
            if (left >= 9 && memcmp(p + 3, "BOM\xE2\x9F\xA9", 6) == 0) {
                buf_puts(out, "\xEF\xBB\xBF");
                i += 9;
            } else if (left >= 9 && p[3] == 'x' && memcmp(p + 6, "\xE2\x9F\xA9", 3) == 0) {
                static const char digits[] = "0123456789ABCDEF";
                const char *hi = p[4] ? strchr(digits, p[4]) : NULL;
                const char *lo = p[5] ? strchr(digits, p[5]) : NULL;
                if (!hi || !lo)
                    return -1;
                buf_putc(out, (char)((hi - digits) * 16 + (lo - digits)));
                i += 9;
            } else {
                return -1;
            }
        } else {
            buf_putc(out, *p);
            i++;
        }
    }
    if (eol)
        buf_putc(out, '\n');
    return 0;
}


/* Print a multi-line text to stderr, each line prefixed. */
static void print_block(const char *prefix, const char *s)
{
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        fprintf(stderr, "%s%.*s\n", prefix, (int)n, s);
        s += n + (e != NULL);
    }
}

/* Run every example of one spec file; returns the number of examples run,
 * or -1 when the file cannot be read. Failures count in unit_failures. */
static int run_spec_file(const char *path)
{
    size_t len;
    char *text = unit_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
        unit_failures++;
        return -1;
    }
    enum { OUTSIDE, INPUT, EXPECTED } state = OUTSIDE;
    rg_buf in = {0}, want = {0};
    char name[256] = "";
    char *names[1024];
    int nnames = 0;
    int line = 0, start = 0, examples = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n')
            e++;
        const char *l = text + pos;
        size_t n = e - pos;
        pos = e + 1;
        line++;
        int fence = n >= FENCE_LEN && memcmp(l, FENCE, FENCE_LEN) == 0;
        if (state == OUTSIDE) {
            if (!fence)
                continue;
            static const char kw[] = " example ";
            if (n <= FENCE_LEN + sizeof kw - 1 ||
                memcmp(l + FENCE_LEN, kw, sizeof kw - 1) != 0) {
                fprintf(stderr, "%s:%d: a fence outside an example must read '%s example NAME'\n",
                        path, line, FENCE);
                unit_failures++;
                continue;
            }
            size_t k = FENCE_LEN + sizeof kw - 1;
            snprintf(name, sizeof name, "%.*s", (int)(n - k), l + k);
            for (int i = 0; i < nnames; i++)
                if (strcmp(names[i], name) == 0) {
                    fprintf(stderr, "%s:%d: example name '%s' is used twice\n", path, line,
                            name);
                    unit_failures++;
                }
            if (nnames < (int)(sizeof names / sizeof *names))
                names[nnames++] = strdup(name);
            start = line;
            buf_free(&in);
            buf_free(&want);
            state = INPUT;
        } else if (state == INPUT) {
            if (fence) {
                fprintf(stderr, "%s:%d: example %s: no '.' line between input and output\n",
                        path, start, name);
                unit_failures++;
                state = OUTSIDE;
            } else if (n == 1 && l[0] == '.') {
                state = EXPECTED;
            } else if (decode_line(l, n, &in) != 0) {
                fprintf(stderr, "%s:%d: example %s: bad ⟨...⟩ escape\n", path, line, name);
                unit_failures++;
            }
        } else if (fence && n == FENCE_LEN) {
            examples++;
            char *got = dump_doc(in.data ? in.data : "", in.len);
            const char *w = want.data ? buf_cstr(&want) : "";
            if (!got || strcmp(got, w) != 0) {
                fprintf(stderr, "%s:%d: example %s: got\n", path, start, name);
                print_block("  | ", got ? got : "(out of memory)");
                fprintf(stderr, "  want\n");
                print_block("  | ", w);
                unit_failures++;
            }
            free(got);
            state = OUTSIDE;
        } else {
            buf_put(&want, l, n);
            buf_putc(&want, '\n');
        }
    }
    if (state != OUTSIDE) {
        fprintf(stderr, "%s:%d: example %s is not closed by a line of 16 backticks\n", path,
                start, name);
        unit_failures++;
    }
    for (int i = 0; i < nnames; i++)
        free(names[i]);
    buf_free(&in);
    buf_free(&want);
    free(text);
    return examples;
}

static void test_spec_files(void)
{
    int files = 0, total = 0;
    for (int i = 0; i < unit_nargs; i++) {
        const char *a = unit_args[i];
        size_t n = strlen(a);
        if (n < 4 || strcmp(a + n - 4, ".txt") != 0)
            continue;
        files++;
        int k = run_spec_file(a);
        if (k == 0) {
            fprintf(stderr, "%s: no examples found\n", a);
            unit_failures++;
        }
        if (k > 0)
            total += k;
    }
    if (files == 0) {
        fprintf(stderr, "spec_files: no spec file given (run: build/unit_tests tests/spec/*.txt)\n");
        unit_failures++;
    }
    if (unit_failures)
        fprintf(stderr, "spec_files: %d examples in %d files\n", total, files);
}

/* The decoder and the dump themselves, on fixed text. */
static void test_spec_format(void)
{
    static const char line[] = "a\xE2\x86\x92" "b\xE2\x90\x8D\xE2\x90\x80"
                               "\xE2\x9F\xA8" "BOM\xE2\x9F\xA9\xE2\x9F\xA8xFF\xE2\x9F\xA9";
    rg_buf b = {0};
    CHECK(decode_line(line, sizeof line - 1, &b) == 0);
    CHECK(b.len == 10 && memcmp(b.data, "a\tb\r\0\xEF\xBB\xBF\xFF\n", 10) == 0);
    buf_free(&b);
    static const char noeol[] = "x\xE2\x9F\xA8noeol\xE2\x9F\xA9";
    CHECK(decode_line(noeol, sizeof noeol - 1, &b) == 0);
    CHECK(b.len == 1 && b.data[0] == 'x');
    buf_free(&b);
    CHECK(decode_line("\xE2\x9F\xA8zz\xE2\x9F\xA9", 8, &b) != 0);
    buf_free(&b);

    static const char study[] = "---\ntitle: T\nparams:\n  n: 1\n---\n"
                                "```lua\n--| fig-width: 2.5\nx\t= 1\n```\n";
    char *got = dump_doc(study, sizeof study - 1);
    CHECK_STR(got, "title: \"T\"\nseed: 1\nparams: {n: int 1}\n"
                   "chunk chunk-1 (default) line=6 code_line=7 echo=true eval=true "
                   "output=true error=false cache=false fig-width=2.5\n"
                   "    x\xE2\x86\x92= 1\n");
    free(got);
    got = dump_doc("\0", 1);
    CHECK_STR(got, "error: study.md:1: not a text file (NUL byte)\n");
    free(got);

    rg_value *m = value_new(RG_MAP);
    value_set(m, "p", value_num(0.05));
    value_set(m, "i", value_num(-HUGE_VAL));
    value_set(m, "s", value_str("a\"b\\c\n\x01", (size_t)-1));
    char *t = value_text(m);
    CHECK_STR(t, "{p: num 0.05, i: num -.inf, s: str \"a\\\"b\\\\c\\n\\x01\"}");
    free(t);
    value_free(m);
}

/* ---- doc_override_param ------------------------------------------------------- */

static const char override_study[] =
    "---\n"
    "params:\n"
    "  n: 60\n"
    "  p: 0.05\n"
    "  f: data.csv\n"
    "  flag: true\n"
    "  l: [1, 2]\n"
    "  m: {a: 1}\n"
    "  nothing: ~\n"
    "---\n"
    "text\n";

static int parse_ok(rg_doc *doc, const char *text)
{
    char *err = NULL;
    int rc = doc_parse(doc, "study.md", text, strlen(text), &err);
    if (rc != 0) {
        fprintf(stderr, "doc_parse failed: %s\n", err ? err : "(no message)");
        free(err);
    }
    return rc;
}

/* Apply an override that must succeed, then compare the value of key. */
static void override_ok(rg_doc *doc, const char *assignment, const char *key,
                        const char *want, int line)
{
    char *err = NULL;
    if (doc_override_param(doc, assignment, &err) != 0) {
        fprintf(stderr, "%s:%d: -P %s failed: %s\n", __FILE__, line, assignment,
                err ? err : "(no message)");
        unit_failures++;
        free(err);
        return;
    }
    const rg_value *v = value_get(doc->params, key);
    char *got = v ? value_text(v) : NULL;
    if (!got || strcmp(got, want) != 0) {
        fprintf(stderr, "%s:%d: -P %s: got %s, want %s\n", __FILE__, line, assignment,
                got ? got : "(missing)", want);
        unit_failures++;
    }
    free(got);
}

/* Apply an override that must fail with exactly the message want, leaving
 * the params unchanged. */
static void override_fails(rg_doc *doc, const char *assignment, const char *want, int line)
{
    char *before = value_text(doc->params);
    size_t nover = doc->overridden->len;
    char *err = NULL;
    int rc = doc_override_param(doc, assignment, &err);
    if (rc == 0) {
        fprintf(stderr, "%s:%d: -P %s succeeded, want error \"%s\"\n", __FILE__, line,
                assignment, want);
        unit_failures++;
    } else if (!err || strcmp(err, want) != 0) {
        fprintf(stderr, "%s:%d: -P %s: got error \"%s\", want \"%s\"\n", __FILE__, line,
                assignment, err ? err : "(null)", want);
        unit_failures++;
    }
    free(err);
    char *after = value_text(doc->params);
    if (rc != 0 && (strcmp(before, after) != 0 || doc->overridden->len != nover)) {
        fprintf(stderr, "%s:%d: failed -P %s changed the params: %s -> %s\n", __FILE__, line,
                assignment, before, after);
        unit_failures++;
    }
    free(before);
    free(after);
}

#define OVERRIDE_OK(doc, a, key, want) override_ok(doc, a, key, want, __LINE__)
#define OVERRIDE_FAILS(doc, a, want) override_fails(doc, a, want, __LINE__)

static void test_override_typed(void)
{
    rg_doc doc;
    if (parse_ok(&doc, override_study) != 0) {
        unit_failures++;
        return;
    }
    OVERRIDE_OK(&doc, "n=100", "n", "int 100");
    OVERRIDE_OK(&doc, "n=0x10", "n", "int 16");
    OVERRIDE_OK(&doc, "n= 7", "n", "int 7");
    OVERRIDE_OK(&doc, "n=2.5", "n", "num 2.5"); /* integer and number are compatible */
    OVERRIDE_OK(&doc, "p=0.01", "p", "num 0.01");
    OVERRIDE_OK(&doc, "p=1", "p", "int 1");
    OVERRIDE_OK(&doc, "p=1e-3", "p", "num 0.001");
    OVERRIDE_OK(&doc, "p=.inf", "p", "num .inf");
    OVERRIDE_OK(&doc, "f=other.csv", "f", "str \"other.csv\"");
    OVERRIDE_OK(&doc, "f=\"123\"", "f", "str \"123\"");  /* quoted: stays a string */
    OVERRIDE_OK(&doc, "f='a b'", "f", "str \"a b\"");
    OVERRIDE_OK(&doc, "f=a=b", "f", "str \"a=b\""); /* split at the first '=' */
    OVERRIDE_OK(&doc, "f=été.csv", "f", "str \"été.csv\"");
    OVERRIDE_OK(&doc, "flag=false", "flag", "bool false");
    OVERRIDE_OK(&doc, "flag=True", "flag", "bool true");
    OVERRIDE_OK(&doc, "l=[3, 4.5, x]", "l", "[int 3, num 4.5, str \"x\"]");
    OVERRIDE_OK(&doc, "l=[]", "l", "[]");
    OVERRIDE_OK(&doc, "l=[[1], {k: v}]", "l", "[[int 1], {k: str \"v\"}]");
    OVERRIDE_OK(&doc, "m={a: 2, b: [x]}", "m", "{a: int 2, b: [str \"x\"]}");
    OVERRIDE_OK(&doc, "nothing=5", "nothing", "int 5"); /* a null param takes any type */
    /* the order of the params is the front matter's */
    char *all = value_text(doc.params);
    CHECK_STR(all, "{n: num 2.5, p: num .inf, f: str \"été.csv\", flag: bool true, "
                   "l: [[int 1], {k: str \"v\"}], m: {a: int 2, b: [str \"x\"]}, "
                   "nothing: int 5}");
    free(all);
    doc_free(&doc);
}

static void test_override_errors(void)
{
    rg_doc doc;
    if (parse_ok(&doc, override_study) != 0) {
        unit_failures++;
        return;
    }
    OVERRIDE_FAILS(&doc, "zz=1",
                   "-P: unknown param 'zz'; the study's params are: n, p, f, flag, l, m, "
                   "nothing");
    OVERRIDE_FAILS(&doc, "N=1",
                   "-P: unknown param 'N'; the study's params are: n, p, f, flag, l, m, "
                   "nothing");
    OVERRIDE_FAILS(&doc, "n", "-P: expected key=value, got 'n'");
    OVERRIDE_FAILS(&doc, "", "-P: expected key=value, got ''");
    OVERRIDE_FAILS(&doc, "=5", "-P: expected key=value, got '=5'");
    OVERRIDE_FAILS(&doc, "f=123",
                   "-P: f: the front matter gives a string, but '123' is an integer "
                   "(quote it to pass a string: -P 'f=\"123\"')");
    OVERRIDE_FAILS(&doc, "n=abc",
                   "-P: n: the front matter gives an integer, but 'abc' is a string");
    OVERRIDE_FAILS(&doc, "n=\"5\"",
                   "-P: n: the front matter gives an integer, but '\"5\"' is a string");
    OVERRIDE_FAILS(&doc, "p=[1]",
                   "-P: p: the front matter gives a number, but '[1]' is a list");
    OVERRIDE_FAILS(&doc, "flag=1",
                   "-P: flag: the front matter gives a boolean, but '1' is an integer");
    OVERRIDE_FAILS(&doc, "flag=yes", /* YAML 1.2: yes is a string */
                   "-P: flag: the front matter gives a boolean, but 'yes' is a string");
    OVERRIDE_FAILS(&doc, "l=5", "-P: l: the front matter gives a list, but '5' is an integer");
    OVERRIDE_FAILS(&doc, "l={a: 1}",
                   "-P: l: the front matter gives a list, but '{a: 1}' is a map");
    OVERRIDE_FAILS(&doc, "m=[1]", "-P: m: the front matter gives a map, but '[1]' is a list");
    OVERRIDE_FAILS(&doc, "l=[1, 2",
                   "-P: l: value '[1, 2' is not valid YAML: did not find expected ',' or ']'");
    /* an empty value is YAML null, which only a null param takes */
    char *err = NULL;
    CHECK(doc_override_param(&doc, "n=", &err) == -1);
    CHECK(err && strncmp(err, "-P: n: ", 7) == 0);
    free(err);
    CHECK(doc.overridden->len == 0);
    doc_free(&doc);

    /* a study without params */
    if (parse_ok(&doc, "# no front matter\n") != 0) {
        unit_failures++;
        return;
    }
    OVERRIDE_FAILS(&doc, "n=1", "-P: unknown param 'n'; the study declares no params");
    doc_free(&doc);
}

static void test_override_twice(void)
{
    rg_doc doc;
    if (parse_ok(&doc, override_study) != 0) {
        unit_failures++;
        return;
    }
    CHECK(doc.overridden && doc.overridden->type == RG_LIST && doc.overridden->len == 0);
    OVERRIDE_OK(&doc, "n=1", "n", "int 1");
    OVERRIDE_OK(&doc, "n=2", "n", "int 2");
    OVERRIDE_FAILS(&doc, "l=x", "-P: l: the front matter gives a list, but 'x' is a string");
    OVERRIDE_OK(&doc, "f=b.csv", "f", "str \"b.csv\"");
    OVERRIDE_OK(&doc, "n=3", "n", "int 3");
    char *t = value_text(doc.overridden);
    CHECK_STR(t, "[str \"n\", str \"f\"]");
    free(t);
    doc_free(&doc);
}

/* ---- value_from_plain_scalar ---------------------------------------------------- */

static void check_scalar(const char *s, size_t len, const char *want, int line)
{
    rg_value *v = value_from_plain_scalar(s, len);
    char *got = v ? value_text(v) : NULL;
    if (!got || strcmp(got, want) != 0) {
        fprintf(stderr, "%s:%d: value_from_plain_scalar(\"%.*s\"): got %s, want %s\n",
                __FILE__, line, (int)len, s, got ? got : "(null)", want);
        unit_failures++;
    }
    free(got);
    value_free(v);
}

#define SCALAR(s, want) check_scalar(s, strlen(s), want, __LINE__)

static void test_plain_scalar_core_schema(void)
{
    /* null */
    SCALAR("~", "null");
    SCALAR("null", "null");
    SCALAR("Null", "null");
    SCALAR("NULL", "null");
    SCALAR("", "null");
    SCALAR("nULL", "str \"nULL\"");
    /* booleans: YAML 1.2, so yes/no/on/off are strings */
    SCALAR("true", "bool true");
    SCALAR("True", "bool true");
    SCALAR("TRUE", "bool true");
    SCALAR("false", "bool false");
    SCALAR("FALSE", "bool false");
    SCALAR("tRUE", "str \"tRUE\"");
    SCALAR("yes", "str \"yes\"");
    SCALAR("on", "str \"on\"");
    SCALAR("n", "str \"n\"");
    /* integers */
    SCALAR("0", "int 0");
    SCALAR("-0", "int 0");
    SCALAR("007", "int 7");
    SCALAR("+12", "int 12");
    SCALAR("-12", "int -12");
    SCALAR("0x1F", "int 31");
    SCALAR("0xff", "int 255");
    SCALAR("0o17", "int 15");
    SCALAR("9223372036854775807", "int 9223372036854775807");
    SCALAR("-9223372036854775808", "int -9223372036854775808");
    SCALAR("0x7FFFFFFFFFFFFFFF", "int 9223372036854775807");
    /* too large for 64 bits: a decimal becomes a number */
    SCALAR("9223372036854775808", "num 9.223372036854776e+18");
    SCALAR("-9223372036854775809", "num -9.223372036854776e+18");
    /* not integers in the core schema */
    SCALAR("0X1F", "str \"0X1F\"");
    SCALAR("0O17", "str \"0O17\"");
    SCALAR("+0x1F", "str \"+0x1F\"");
    SCALAR("0x", "str \"0x\"");
    SCALAR("0xG", "str \"0xG\"");
    SCALAR("0x-1", "str \"0x-1\"");
    SCALAR("0o8", "str \"0o8\"");
    SCALAR("0o", "str \"0o\"");
    SCALAR("0b101", "str \"0b101\"");
    SCALAR("1_000", "str \"1_000\"");
    SCALAR("1 000", "str \"1 000\"");
    SCALAR("1,000", "str \"1,000\"");
    SCALAR("12abc", "str \"12abc\"");
    SCALAR("+", "str \"+\"");
    SCALAR("-", "str \"-\"");
    SCALAR("--1", "str \"--1\"");
    /* floats */
    SCALAR("1e3", "num 1000");
    SCALAR("1E3", "num 1000");
    SCALAR("1e+3", "num 1000");
    SCALAR("2.5e-3", "num 0.0025");
    SCALAR("0.05", "num 0.05");
    SCALAR("-0.5", "num -0.5");
    SCALAR("+0.5", "num 0.5");
    SCALAR(".5", "num 0.5");
    SCALAR("5.", "num 5");
    SCALAR("1.0", "num 1");
    SCALAR("1e400", "num .inf");
    SCALAR(".inf", "num .inf");
    SCALAR(".Inf", "num .inf");
    SCALAR(".INF", "num .inf");
    SCALAR("+.inf", "num .inf");
    SCALAR("-.inf", "num -.inf");
    SCALAR("-.Inf", "num -.inf");
    SCALAR(".nan", "num .nan");
    SCALAR(".NaN", "num .nan");
    SCALAR(".NAN", "num .nan");
    /* not floats */
    SCALAR(".", "str \".\"");
    SCALAR("1e", "str \"1e\"");
    SCALAR("e3", "str \"e3\"");
    SCALAR("1.2.3", "str \"1.2.3\"");
    SCALAR("inf", "str \"inf\"");
    SCALAR("NaN", "str \"NaN\"");
    SCALAR("-.nan", "str \"-.nan\"");
    SCALAR(".infinity", "str \".infinity\"");
    SCALAR("0x1.8p1", "str \"0x1.8p1\"");
    SCALAR("1d3", "str \"1d3\"");
    SCALAR(" 1", "str \" 1\"");
    /* only len bytes are read */
    check_scalar("123abc", 3, "int 123", __LINE__);
    check_scalar("truex", 4, "bool true", __LINE__);
    check_scalar("0x1Fzz", 4, "int 31", __LINE__);
    check_scalar("1e3zz", 3, "num 1000", __LINE__);
}

/* Long digit strings are still numbers in the core schema, however many
 * digits they have. */
static void check_long_number(const char *s, double want, int line)
{
    rg_value *v = value_from_plain_scalar(s, strlen(s));
    if (!v || v->type != RG_NUM || !(fabs(v->u.n - want) <= 1e-15 * fabs(want))) {
        char *got = v ? value_text(v) : NULL;
        fprintf(stderr, "%s:%d: value_from_plain_scalar(%zu digits \"%.12s...\"): got %.40s%s, "
                "want num %.17g\n", __FILE__, line, strlen(s), s, got ? got : "(null)",
                got && strlen(got) > 40 ? "..." : "", want);
        unit_failures++;
        free(got);
    }
    value_free(v);
}

static void test_plain_scalar_long_numbers(void)
{
    char s[200];
    memset(s, '1', 70);
    s[70] = '\0';
    check_long_number(s, 1.1111111111111111e69, __LINE__);
    memset(s, '1', 150);
    s[150] = '\0';
    check_long_number(s, 1.1111111111111111e149, __LINE__);
    /* 0.000...0001 with 140 zeros */
    memcpy(s, "0.", 2);
    memset(s + 2, '0', 140);
    memcpy(s + 142, "1", 2);
    check_long_number(s, 1e-141, __LINE__);
}

/* ---- other parts of rg_doc -------------------------------------------------------- */

static void test_doc_fields(void)
{
    static const char text[] = "abc";
    rg_doc doc;
    char *err = NULL;
    CHECK(doc_parse(&doc, "dir/sub/study.md", text, 3, &err) == 0);
    CHECK(err == NULL);
    CHECK_STR(doc.path, "dir/sub/study.md");
    CHECK_STR(doc.name, "study.md");
    CHECK(doc.bytes == 3);
    static const unsigned char sha_abc[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    CHECK(memcmp(doc.sha256, sha_abc, 32) == 0);
    CHECK(doc.seed == 1 && !doc.seed_overridden);
    CHECK(doc.title == NULL && doc.author == NULL && doc.date == NULL);
    CHECK(doc.params && doc.params->type == RG_MAP && doc.params->len == 0);
    CHECK(doc.root && cmark_node_get_type(doc.root) == CMARK_NODE_DOCUMENT);
    CHECK(doc.nchunks == 0 && doc.ninlines == 0 && doc.nitems == 0);
    doc_free(&doc);

    /* messages name the path as given */
    CHECK(doc_parse(&doc, "dir/sub/study.md", "---\nx: 1\n", 9, &err) == -1);
    CHECK_STR(err, "dir/sub/study.md:1: front matter opened here is never closed "
                   "(expected a line '---')");
    free(err);
    /* a failed parse leaves the document empty (and doc_free harmless) */
    CHECK(doc.root == NULL && doc.params == NULL && doc.chunks == NULL &&
          doc.nchunks == 0 && doc.path == NULL && doc.title == NULL);
    doc_free(&doc);

    /* a failure after chunks were collected */
    static const char dup[] = "---\ntitle: T\n---\n```lua\n--| label: a\n```\n"
                              "`{lua} 1`\n\n```lua\n--| label: a\n```\n";
    err = NULL;
    CHECK(doc_parse(&doc, "study.md", dup, sizeof dup - 1, &err) == -1);
    CHECK(err != NULL);
    free(err);
    CHECK(doc.root == NULL && doc.chunks == NULL && doc.inlines == NULL &&
          doc.items == NULL && doc.title == NULL && doc.nitems == 0);
}

static void test_doc_nodes(void)
{
    static const char text[] = "---\nseed: 5\n---\n"
                               "# Title `{lua} a`\n"
                               "\n"
                               "```lua\n"
                               "--| label: first\n"
                               "--| echo: false\n"
                               "x = 1\n"
                               "\n"
                               "\n"
                               "```\n"
                               "\n"
                               "Then `{lua}  b` and ``{lua} c``.\n"
                               "\n"
                               "```lua\n"
                               "```\n";
    rg_doc doc;
    char *err = NULL;
    CHECK(doc_parse(&doc, "study.md", text, sizeof text - 1, &err) == 0);
    if (err) {
        fprintf(stderr, "%s\n", err);
        free(err);
        unit_failures++;
        return;
    }
    CHECK(doc.seed == 5);
    CHECK(doc.nchunks == 2 && doc.ninlines == 3 && doc.nitems == 5);
    if (doc.nchunks != 2 || doc.ninlines != 3 || doc.nitems != 5) {
        doc_free(&doc);
        return;
    }
    static const rg_item_kind kinds[] = {RG_ITEM_INLINE, RG_ITEM_CHUNK, RG_ITEM_INLINE,
                                         RG_ITEM_INLINE, RG_ITEM_CHUNK};
    static const size_t idx[] = {0, 0, 1, 2, 1};
    for (size_t i = 0; i < 5; i++)
        CHECK(doc.items[i].kind == kinds[i] && doc.items[i].index == idx[i]);
    rg_chunk *c = &doc.chunks[0];
    CHECK(c->index == 1 && doc.chunks[1].index == 2);
    CHECK(cmark_node_get_type(c->node) == CMARK_NODE_CODE_BLOCK);
    CHECK(c->code == cmark_node_get_literal(c->node));
    CHECK_STR(c->code, "--| label: first\n--| echo: false\nx = 1\n\n\n");
    CHECK(c->body_offset == strlen("--| label: first\n--| echo: false\n"));
    size_t len = 0;
    const char *d = doc_chunk_display(c, &len);
    CHECK(d == c->code + c->body_offset);
    CHECK(len == 5 && memcmp(d, "x = 1", 5) == 0);
    CHECK(doc.chunks[1].code != NULL && doc.chunks[1].code[0] == '\0');
    d = doc_chunk_display(&doc.chunks[1], &len);
    CHECK(d != NULL && len == 0);
    CHECK(doc.chunks[1].opts.label_given == 0);
    CHECK_STR(doc.chunks[1].opts.label, "chunk-2");
    CHECK(doc.chunks[0].opts.fig_width == 0 && doc.chunks[0].opts.fig_height == 0);
    CHECK(!doc.chunks[0].opts.has_seed);
    for (size_t i = 0; i < doc.ninlines; i++)
        CHECK(cmark_node_get_type(doc.inlines[i].node) == CMARK_NODE_CODE);
    CHECK_STR(doc.inlines[0].expr, "a");
    CHECK_STR(doc.inlines[1].expr, "b"); /* blanks after {lua} are skipped */
    CHECK_STR(doc.inlines[2].expr, "c");
    CHECK(doc.inlines[0].line == 4 && doc.inlines[1].line == 14 && doc.inlines[2].line == 14);
    /* the front matter is blanked out of the AST: its first block is the heading */
    cmark_node *first = cmark_node_first_child(doc.root);
    CHECK(first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
          cmark_node_get_start_line(first) == 4);
    doc_free(&doc);
}

/* Messages quote what the study says in full, however long, and stay valid
 * UTF-8 (they are written into terminals and reports). */
static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!n)
            return 0;
        for (int k = 1; k < n; k++)
            if ((p[k] & 0xC0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

/* The last ~n bytes of s, starting on a character boundary. */
static const char *tail_of(const char *s, size_t n)
{
    size_t l = strlen(s);
    const char *t = s + (l > n ? l - n : 0);
    while (t > s && ((unsigned char)*t & 0xC0) == 0x80)
        t--;
    return t;
}

static void check_long_message(const char *study, const char *want)
{
    char *got = dump_doc(study, strlen(study));
    if (!got || strcmp(got, want) != 0) {
        size_t gl = got ? strlen(got) : 0, wl = strlen(want);
        fprintf(stderr, "%s: long message: got %zu bytes (%s UTF-8) ending \"%s\", "
                        "want %zu bytes ending \"%s\"\n",
                __FILE__, gl, got && valid_utf8(got) ? "valid" : "INVALID",
                got ? tail_of(got, 40) : "(null)", wl, tail_of(want, 70));
        unit_failures++;
    }
    free(got);
}

static void test_long_messages(void)
{
    rg_buf word = {0}, study = {0}, want = {0};
    for (int i = 0; i < 300; i++)
        buf_puts(&word, "\xC3\xA9"); /* é */
    const char *w = buf_cstr(&word);

    buf_printf(&study, "```lua\n--| label: %s\n```\n", w);
    buf_printf(&want, "error: study.md:2: chunk label '%s' may only hold letters, digits, "
                      "'-' and '_'\n", w);
    check_long_message(buf_cstr(&study), buf_cstr(&want));
    buf_free(&study);
    buf_free(&want);

    buf_printf(&study, "```lua\n--| echo: %s\n```\n", w);
    buf_printf(&want, "error: study.md:2: chunk option 'echo' must be true or false, got '%s'\n",
               w);
    check_long_message(buf_cstr(&study), buf_cstr(&want));
    buf_free(&study);
    buf_free(&want);

    /* 450 two-byte characters: a 900-byte key, within libyaml's 1024 */
    for (int i = 0; i < 150; i++)
        buf_puts(&word, "\xC3\xA9");
    w = buf_cstr(&word);
    buf_printf(&study, "---\nparams:\n  %s: 1\n  %s: 2\n---\n", w, w);
    buf_printf(&want, "error: study.md:4: duplicate key '%s'\n", w);
    check_long_message(buf_cstr(&study), buf_cstr(&want));
    buf_free(&study);
    buf_free(&want);

    /* a 1400-byte quoted key: longer than any fixed message buffer */
    for (int i = 0; i < 250; i++)
        buf_puts(&word, "\xC3\xA9");
    w = buf_cstr(&word);
    buf_printf(&study, "---\n\"%s\": 1\n---\n", w);
    buf_printf(&want, "error: study.md:2: unknown front matter key '%s' (known keys: title, "
                      "author, date, seed, params; study parameters go under 'params:')\n", w);
    check_long_message(buf_cstr(&study), buf_cstr(&want));
    buf_free(&study);
    buf_free(&want);
    buf_free(&word);
}

/* Line numbers of many inline expressions are right (each found after the
 * previous one, in one pass over the source). No timing: tests never assert
 * on time. */
static void test_inline_lines_scale(void)
{
    enum { N = 8000 };
    rg_buf b = {0};
    for (int i = 0; i < N; i++)
        buf_printf(&b, "Value %d is `{lua} v[%d]`.\n\n", i, i);
    rg_doc doc;
    char *err = NULL;
    int rc = doc_parse(&doc, "study.md", buf_cstr(&b), b.len, &err);
    buf_free(&b);
    CHECK(rc == 0);
    if (rc != 0) {
        free(err);
        return;
    }
    CHECK(doc.ninlines == N);
    int bad = 0;
    for (size_t i = 0; i < doc.ninlines; i++)
        if (doc.inlines[i].line != 2 * (int)i + 1)
            bad++;
    CHECK(bad == 0);
    doc_free(&doc);
}

/* ---- the fuzz regressions ------------------------------------------------------- */

#define REGRESSIONS "tests/fuzz/regressions"

static void test_fuzz_regressions(void) { unit_replay(REGRESSIONS, fuzz_doc_target); }

const unit_test doc_tests[] = {
    {"doc_spec_format", test_spec_format},
    {"doc_spec_files", test_spec_files},
    {"doc_override_typed", test_override_typed},
    {"doc_override_errors", test_override_errors},
    {"doc_override_twice", test_override_twice},
    {"doc_plain_scalar_core_schema", test_plain_scalar_core_schema},
    {"doc_plain_scalar_long_numbers", test_plain_scalar_long_numbers},
    {"doc_fields", test_doc_fields},
    {"doc_nodes", test_doc_nodes},
    {"doc_long_messages", test_long_messages},
    {"doc_inline_lines_scale", test_inline_lines_scale},
    {"doc_fuzz_regressions", test_fuzz_regressions},
    {NULL, NULL}};
