/* tests/unit/test_frame.c — tests for engine/frame.c (data frames and the
 * CSV/TSV reader, frame.h).
 *
 * Valid inputs are parsed with frame_parse_csv and the whole frame is
 * compared with a canonical dump (dump_frame below: the IDs, then every
 * feature column as num or str, then the meta columns, strings quoted);
 * every failure pins the exact message and checks that *out was left empty
 * (it is filled with garbage before each call). frame_read_csv is tested on
 * a temporary file: the file's size and SHA-256 (pinned from `sha256sum`),
 * an input larger than the reader's 64 KiB blocks and a missing file.
 *
 * frame_bug_* tests document open bugs found while writing these tests or
 * by fuzzing (tests/fuzz/fuzz_csv.c); they fail until engine/frame.c is
 * fixed, and are then renamed to what they check.
 * frame_fuzz_regressions replays every file of tests/fuzz/regressions_csv/
 * through fuzz_csv_target (tests/fuzz/csv_target.c), from the repository
 * root; under `make test-asan` it also proves none of them crashes or leaks. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fuzz/csv_target.h"
#include "buf.h"
#include "frame.h"
#include "fmt.h"
#include "unit.h"

/* ---- helpers -------------------------------------------------------------------- */

static const rg_csv_opts DEFAULTS = {0};

#define OPTS(...) (&(rg_csv_opts){__VA_ARGS__})
#define LIST(...) ((const char *const[]){__VA_ARGS__})
#define NLIST(...) (sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* Shortest round-trip form (fmt_shortest); NA for NaN. */
static void put_num(rg_buf *b, double d)
{
    if (d != d) {
        buf_puts(b, "NA");
        return;
    }
    fmt_shortest(b, d); /* Inf, -Inf as the report writes them */
}

/* s in double quotes; '"', '\\', newline, CR and tab escaped. */
static void put_quoted(rg_buf *b, const char *s)
{
    if (!s) {
        buf_puts(b, "(null)");
        return;
    }
    buf_putc(b, '"');
    for (; *s; s++) {
        switch (*s) {
        case '"':
            buf_puts(b, "\\\"");
            break;
        case '\\':
            buf_puts(b, "\\\\");
            break;
        case '\n':
            buf_puts(b, "\\n");
            break;
        case '\r':
            buf_puts(b, "\\r");
            break;
        case '\t':
            buf_puts(b, "\\t");
            break;
        default:
            buf_putc(b, *s);
        }
    }
    buf_putc(b, '"');
}

static void put_col(rg_buf *b, const char *kind, const rg_col *c, size_t nrow)
{
    buf_printf(b, "\n%s ",
               c->num && c->str ? "BOTH"
               : kind           ? kind
               : c->num         ? "num"
                                : "str");
    put_quoted(b, c->name);
    buf_putc(b, ':');
    for (size_t i = 0; i < nrow; i++) {
        buf_putc(b, ' ');
        if (c->num)
            put_num(b, c->num[i]);
        else if (c->str)
            put_quoted(b, c->str[i]);
        else
            buf_puts(b, "NEITHER");
    }
}

/* The frame as text: 'ids: "a" "b"', then one line per column
 * ('num "x": 1 NA', 'str "s": "t" "u"', 'meta "diagnostics_a": "v" "w"').
 * malloc'd. */
static char *dump_frame(const rg_frame *f)
{
    rg_buf b = {0};
    buf_puts(&b, "ids:");
    for (size_t i = 0; i < f->nrow; i++) {
        buf_putc(&b, ' ');
        put_quoted(&b, f->ids ? f->ids[i] : NULL);
    }
    for (size_t j = 0; j < f->ncol; j++)
        put_col(&b, NULL, &f->cols[j], f->nrow);
    for (size_t j = 0; j < f->nmeta; j++)
        put_col(&b, f->meta[j].str && !f->meta[j].num ? "meta" : "BADMETA", &f->meta[j],
                f->nrow);
    return buf_take(&b);
}

/* Parse text as shown with o and compare the dump with want. */
static void ok_at(int line, const char *text, size_t len, const char *shown,
                  const rg_csv_opts *o, const char *want)
{
    rg_frame f;
    char *err = NULL;
    memset(&f, 0x5A, sizeof f);
    int rc = frame_parse_csv(text, len, shown, o, &f, &err);
    if (rc != 0) {
        fprintf(stderr, "%s:%d: parse failed (rc %d): %s\n", __FILE__, line, rc,
                err ? err : "(no message)");
        unit_failures++;
        free(err);
        return;
    }
    if (err) {
        fprintf(stderr, "%s:%d: a successful parse set a message: %s\n", __FILE__, line,
                err);
        unit_failures++;
        free(err);
    }
    char *got = dump_frame(&f);
    if (!got || strcmp(got, want) != 0) {
        fprintf(stderr, "%s:%d: frame differs\n--- got\n%s\n--- want\n%s\n", __FILE__, line,
                got ? got : "(null)", want);
        unit_failures++;
    }
    free(got);
    frame_free(&f);
    if (f.nrow || f.ncol || f.nmeta || f.ids || f.cols || f.meta) {
        fprintf(stderr, "%s:%d: frame_free did not empty the frame\n", __FILE__, line);
        unit_failures++;
    }
}

static int frame_is_empty(const rg_frame *f)
{
    return f->nrow == 0 && f->ncol == 0 && f->nmeta == 0 && !f->ids && !f->cols && !f->meta;
}

/* Parse text as shown with o: it must fail with exactly the message want
 * and leave the frame empty. */
static void err_at(int line, const char *text, size_t len, const char *shown,
                   const rg_csv_opts *o, const char *want)
{
    rg_frame f;
    char *err = NULL;
    memset(&f, 0x5A, sizeof f);
    int rc = frame_parse_csv(text, len, shown, o, &f, &err);
    if (rc != -1) {
        fprintf(stderr, "%s:%d: rc %d, want -1 with \"%s\"\n", __FILE__, line, rc, want);
        unit_failures++;
        if (rc == 0) {
            char *d = dump_frame(&f);
            fprintf(stderr, "  parsed as:\n%s\n", d ? d : "(null)");
            free(d);
            frame_free(&f);
        }
        free(err);
        return;
    }
    if (!err || strcmp(err, want) != 0) {
        fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, line,
                err ? err : "(null)", want);
        unit_failures++;
    }
    free(err);
    if (!frame_is_empty(&f)) {
        fprintf(stderr, "%s:%d: a failed parse left *out not empty\n", __FILE__, line);
        unit_failures++;
        return; /* not freed: its fields may be garbage */
    }
    frame_free(&f);
}

/* text must be a string literal (its length is taken with sizeof, so it may
 * hold NUL bytes). */
#define OK(text, shown, o, want) ok_at(__LINE__, text, sizeof(text) - 1, shown, o, want)
#define ERR(text, shown, o, want) err_at(__LINE__, text, sizeof(text) - 1, shown, o, want)

#define NOT_NUM(cell, col)                                                                 \
    "'" cell "' is not a number (column '" col "'; declare it in "                         \
    "string_cols to keep text)"


/* Write len bytes to a new temporary file; its path (malloc'd) or NULL. */
static char *temp_file(const char *data, size_t len)
{
    const char *dir = getenv("TMPDIR");
    rg_buf b = {0};
    buf_printf(&b, "%s/rglit-frame-XXXXXX", dir && *dir ? dir : "/tmp");
    char *path = buf_take(&b);
    if (!path)
        return NULL;
    int fd = mkstemp(path);
    if (fd < 0) {
        free(path);
        return NULL;
    }
    FILE *fp = fdopen(fd, "wb");
    if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
        if (!fp)
            close(fd);
        unlink(path);
        free(path);
        return NULL;
    }
    return path;
}


/* ---- valid inputs ---------------------------------------------------------------- */

static void test_comma(void)
{
    OK("id,a,b\nr1,1,2.5\nr2,-3,0\n", "x.csv", &DEFAULTS,
       "ids: \"r1\" \"r2\"\n"
       "num \"a\": 1 -3\n"
       "num \"b\": 2.5 0");
    /* frame_col and frame_bytes */
    rg_frame f;
    char *err = NULL;
    const char *t = "id,a,b\nr1,1,2.5\nr2,-3,0\n";
    if (frame_parse_csv(t, strlen(t), "x.csv", &DEFAULTS, &f, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        unit_failures++;
        free(err);
        return;
    }
    CHECK(f.nrow == 2 && f.ncol == 2 && f.nmeta == 0);
    CHECK(frame_col(&f, "b") == &f.cols[1]);
    CHECK(frame_col(&f, "a") == &f.cols[0]);
    CHECK(frame_col(&f, "id") == NULL); /* the ID column is not a feature */
    CHECK(frame_col(&f, "c") == NULL);
    size_t fb = frame_bytes(&f);
    CHECK(fb >= sizeof f + 2 * sizeof(char *) + 2 * 3 + 2 * (sizeof(rg_col) + 2) +
                    2 * 2 * sizeof(double));
    CHECK(fb < 4096);
    frame_free(&f);
    CHECK(frame_is_empty(&f));
    frame_free(&f); /* freeing an empty frame again is harmless */
}

static void test_semicolon(void)
{
    OK("id;a;s\nr1;1.5;x,y\nr2;2;\"p;q\"\n", "x.csv",
       OPTS(.sep = ';', .string_cols = LIST("s"), .nstring = 1),
       "ids: \"r1\" \"r2\"\n"
       "num \"a\": 1.5 2\n"
       "str \"s\": \"x,y\" \"p;q\"");
    /* a decimal comma is not a number */
    ERR("id;a\nr1;1,5\n", "x.csv", OPTS(.sep = ';'), "x.csv:2:2: " NOT_NUM("1,5", "a"));
}

static void test_tsv(void)
{
    OK("id\ta\tb\nr1\t1\t2\nr2\t3\t4\n", "data/x.tsv", &DEFAULTS,
       "ids: \"r1\" \"r2\"\n"
       "num \"a\": 1 3\n"
       "num \"b\": 2 4");
    OK("id\ta\nr1\t1\n", "x.tab", &DEFAULTS, "ids: \"r1\"\nnum \"a\": 1");
    /* commas are text in a TSV file */
    OK("id\ts\n\"r,1\"\ta,b\n", "x.tsv", OPTS(.string_cols = LIST("s"), .nstring = 1),
       "ids: \"r,1\"\nstr \"s\": \"a,b\"");
    /* an explicit sep wins over the name */
    OK("id,a\nr1,1\n", "x.tsv", OPTS(.sep = ','), "ids: \"r1\"\nnum \"a\": 1");
    OK("id\ta\nr1\t1\n", "x.csv", OPTS(.sep = '\t'), "ids: \"r1\"\nnum \"a\": 1");
    /* a .csv with tabs is one column */
    OK("id\ta\nr1\t1\n", "x.csv", &DEFAULTS, "ids: \"r1\\t1\"");
}

static void test_quoted(void)
{
    OK("\"id\",\"a\",\"s\"\n"
       "\"r,1\",\"1.5\",\"he said \"\"hi\"\", then left\"\n"
       "r2,2,\"two\nlines\"\n"
       "r3,\"3\",\"\"\n",
       "x.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
       "ids: \"r,1\" \"r2\" \"r3\"\n"
       "num \"a\": 1.5 2 3\n"
       "str \"s\": \"he said \\\"hi\\\", then left\" \"two\\nlines\" \"\"");
    /* a quoted header name with a comma and a quoted empty cell (NA) */
    OK("id,\"a,b\"\nr1,\"\"\n", "x.csv", &DEFAULTS, "ids: \"r1\"\nnum \"a,b\": NA");
}

static void test_bom_crlf(void)
{
    /* the BOM is not part of the first name */
    OK("\xEF\xBB\xBFid,a\nr1,1\n", "x.csv", &DEFAULTS, "ids: \"r1\"\nnum \"a\": 1");
    OK("\xEF\xBB\xBFid,a\nr1,1\n", "x.csv", OPTS(.id = "id"), "ids: \"r1\"\nnum \"a\": 1");
    OK("id,a\r\nr1,1\r\nr2,2\r\n", "x.csv", &DEFAULTS,
       "ids: \"r1\" \"r2\"\nnum \"a\": 1 2");
    OK("\xEF\xBB\xBFid,a\r\nr1,1\r\nr2,2", "x.csv", &DEFAULTS,
       "ids: \"r1\" \"r2\"\nnum \"a\": 1 2");
    /* old Mac line ends */
    OK("id,a\rr1,1\rr2,2\r", "x.csv", &DEFAULTS, "ids: \"r1\" \"r2\"\nnum \"a\": 1 2");
    /* CRLF inside a quoted field is kept */
    OK("id,s\r\nr1,\"a\r\nb\"\r\n", "x.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
       "ids: \"r1\"\nstr \"s\": \"a\\r\\nb\"");
}

static void test_no_trailing_newline(void)
{
    OK("id,a,b\nr1,1,2\nr2,3,4", "x.csv", &DEFAULTS,
       "ids: \"r1\" \"r2\"\nnum \"a\": 1 3\nnum \"b\": 2 4");
    OK("id,a\nr1,", "x.csv", &DEFAULTS, "ids: \"r1\"\nnum \"a\": NA");
    OK("id,s\nr1,\"q\"", "x.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
       "ids: \"r1\"\nstr \"s\": \"q\"");
}

static void test_blank_lines(void)
{
    /* blank lines (trailing, or between rows) are skipped, as by R's read.csv */
    OK("id,a\nr1,1\n\n\n", "x.csv", &DEFAULTS, "ids: \"r1\"\nnum \"a\": 1");
    OK("id,a\nr1,1\r\n\r\n", "x.csv", &DEFAULTS, "ids: \"r1\"\nnum \"a\": 1");
    OK("id,a\n\nr1,1\n\nr2,2\n", "x.csv", &DEFAULTS, "ids: \"r1\" \"r2\"\nnum \"a\": 1 2");
    /* a row of empty fields is not blank */
    OK("id,a,b\nr1,,\n", "x.csv", &DEFAULTS, "ids: \"r1\"\nnum \"a\": NA\nnum \"b\": NA");
}

static void test_numbers(void)
{
    /* upper-case exponents as PyRadiomics writes them, and their bit patterns */
    const double a = 4.94E-24, b = -3.2E-16, c = 2.14521E+11;
    rg_frame f;
    char *err = NULL;
    const char *t = "id,x\nr1,4.94E-24\nr2,-3.2E-16\nr3,2.14521E+11\n";
    if (frame_parse_csv(t, strlen(t), "x.csv", &DEFAULTS, &f, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        unit_failures++;
        free(err);
    } else {
        CHECK(f.nrow == 3 && f.ncol == 1 && f.cols[0].num);
        if (f.nrow == 3 && f.ncol == 1 && f.cols[0].num) {
            CHECK(memcmp(&f.cols[0].num[0], &a, sizeof a) == 0);
            CHECK(memcmp(&f.cols[0].num[1], &b, sizeof b) == 0);
            CHECK(memcmp(&f.cols[0].num[2], &c, sizeof c) == 0);
        }
        frame_free(&f);
    }
    OK("id,x\nr1,4.94E-24\nr2,-3.2E-16\nr3,2.14521E+11\nr4,1e3\nr5,1E+0\nr6,2.5e-3\n",
       "x.csv", &DEFAULTS,
       "ids: \"r1\" \"r2\" \"r3\" \"r4\" \"r5\" \"r6\"\n"
       "num \"x\": 4.94e-24 -3.2e-16 214521000000 1000 1 0.0025");
    /* integers, signs, leading zeros, bare fractions */
    OK("id,x\nr1,42\nr2,-7\nr3,+3\nr4,007\nr5,.5\nr6,-0\nr7,5.\nr8,-230\n", "x.csv",
       &DEFAULTS,
       "ids: \"r1\" \"r2\" \"r3\" \"r4\" \"r5\" \"r6\" \"r7\" \"r8\"\n"
       "num \"x\": 42 -7 3 7 0.5 -0 5 -230");
    /* blanks around numbers, unquoted and quoted */
    OK("id,x,y\nr1, 1.5 ,  -2\nr2,\" 3 \",\"\t4\t\"\n", "x.csv", &DEFAULTS,
       "ids: \"r1\" \"r2\"\nnum \"x\": 1.5 3\nnum \"y\": -2 4");
    /* Inf and -Inf (R's spelling) and the lower-case forms */
    OK("id,x\nr1,Inf\nr2,-Inf\nr3,inf\nr4,-inf\n", "x.csv", &DEFAULTS,
       "ids: \"r1\" \"r2\" \"r3\" \"r4\"\nnum \"x\": Inf -Inf Inf -Inf");
    /* the largest and smallest doubles */
    OK("id,x\nr1,1.7976931348623157e308\nr2,4.9406564584124654e-324\n", "x.csv", &DEFAULTS,
       "ids: \"r1\" \"r2\"\nnum \"x\": 1.7976931348623157e+308 4.94065645841247e-324");
}

static void test_not_numbers(void)
{
    ERR("id,x\nr1,1\nr2,abc\n", "x.csv", &DEFAULTS, "x.csv:3:2: " NOT_NUM("abc", "x"));
    ERR("id,x\nr1,0x10\n", "x.csv", &DEFAULTS, "x.csv:2:2: " NOT_NUM("0x10", "x"));
    ERR("id,x\nr1,1e\n", "x.csv", &DEFAULTS, "x.csv:2:2: " NOT_NUM("1e", "x"));
    ERR("id,x\nr1,1.2.3\n", "x.csv", &DEFAULTS, "x.csv:2:2: " NOT_NUM("1.2.3", "x"));
    ERR("id,x\nr1,1 2\n", "x.csv", &DEFAULTS, "x.csv:2:2: " NOT_NUM("1 2", "x"));
    ERR("id,x\nr1,-\n", "x.csv", &DEFAULTS, "x.csv:2:2: " NOT_NUM("-", "x"));
    ERR("id,x\nr1,Infinity\n", "x.csv", &DEFAULTS, "x.csv:2:2: " NOT_NUM("Infinity", "x"));
    ERR("id,x\nr1,TRUE\n", "x.csv", &DEFAULTS, "x.csv:2:2: " NOT_NUM("TRUE", "x"));
    /* NA tokens are exact: no case folding, no blanks inside quotes */
    ERR("id,x\nr1,na\n", "x.csv", &DEFAULTS, "x.csv:2:2: " NOT_NUM("na", "x"));
    ERR("id,x\nr1,\" NA\"\n", "x.csv", &DEFAULTS, "x.csv:2:2: " NOT_NUM(" NA", "x"));
    /* the cell is cut to 40 bytes in the message */
    ERR("id,a,b\nr1,1,abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\n", "x.csv",
        &DEFAULTS, "x.csv:2:3: " NOT_NUM("abcdefghijklmnopqrstuvwxyzabcdefghijklmn", "b"));
    /* the first bad cell is reported, in the third column of the fourth row */
    ERR("id,a,b,c\nr1,1,2,3\nr2,1,2,3\nr3,1,2,x\nr4,y,2,3\n", "x.csv", &DEFAULTS,
        "x.csv:4:4: " NOT_NUM("x", "c"));
}

static void test_na(void)
{
    OK("id,x\nr1,\nr2,NA\nr3,NaN\nr4,nan\nr5,NULL\nr6,1\n", "x.csv", &DEFAULTS,
       "ids: \"r1\" \"r2\" \"r3\" \"r4\" \"r5\" \"r6\"\n"
       "num \"x\": NA NA NA NA NA 1");
    /* a custom list replaces the default tokens */
    static const char *const na[] = {"-", ".", "missing"};
    OK("id,x\nr1,-\nr2,.\nr3,missing\nr4,2\n", "x.csv", OPTS(.na = na, .nna = 3),
       "ids: \"r1\" \"r2\" \"r3\" \"r4\"\nnum \"x\": NA NA NA 2");
    ERR("id,x\nr1,-\nr2,NA\n", "x.csv", OPTS(.na = na, .nna = 3),
        "x.csv:3:2: " NOT_NUM("NA", "x"));
    ERR("id,x\nr1,-\nr2,\n", "x.csv", OPTS(.na = na, .nna = 3),
        "x.csv:3:2: " NOT_NUM("", "x"));
    ERR("id,x\nr1,NaN\n", "x.csv", OPTS(.na = na, .nna = 3),
        "x.csv:2:2: " NOT_NUM("NaN", "x"));
    /* an empty custom list: nothing is NA */
    ERR("id,x\nr1,\n", "x.csv", OPTS(.na = na, .nna = 0), "x.csv:2:2: " NOT_NUM("", "x"));
    /* string columns keep NA tokens as text */
    OK("id,s\nr1,NA\nr2,\n", "x.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
       "ids: \"r1\" \"r2\"\nstr \"s\": \"NA\" \"\"");
}

static void test_id_option(void)
{
    OK("x,sample,y\n1,S1,2\n3,S2,4\n", "x.csv", OPTS(.id = "sample"),
       "ids: \"S1\" \"S2\"\nnum \"x\": 1 3\nnum \"y\": 2 4");
    OK("x,y,sample\n1,2,S1\n", "x.csv", OPTS(.id = "sample"),
       "ids: \"S1\"\nnum \"x\": 1\nnum \"y\": 2");
    /* IDs are text: numbers and NA tokens are kept as written */
    OK("id,x\n007,1\nNA,2\n1e3,3\n", "x.csv", &DEFAULTS,
       "ids: \"007\" \"NA\" \"1e3\"\nnum \"x\": 1 2 3");
    /* an ID column only */
    OK("id\nr1\nr2\n", "x.csv", &DEFAULTS, "ids: \"r1\" \"r2\"");
    /* R's write.csv: an empty name over the row names */
    OK("\"\",\"x\"\n\"1\",0.5\n\"2\",NA\n", "x.csv", &DEFAULTS,
       "ids: \"1\" \"2\"\nnum \"x\": 0.5 NA");
}

static void test_no_id(void)
{
    OK("a,b\n1,2\n3,4\n5,6\n", "x.csv", OPTS(.no_id = 1),
       "ids: \"1\" \"2\" \"3\"\nnum \"a\": 1 3 5\nnum \"b\": 2 4 6");
    /* no_id wins over id */
    OK("a,b\n1,2\n", "x.csv", OPTS(.no_id = 1, .id = "b"),
       "ids: \"1\"\nnum \"a\": 1\nnum \"b\": 2");
    /* duplicates are fine: nothing is an ID */
    OK("a\n1\n1\n", "x.csv", OPTS(.no_id = 1), "ids: \"1\" \"2\"\nnum \"a\": 1 1");
    /* rows 10, 11, ...: numbering is decimal */
    OK("a\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "x.csv", OPTS(.no_id = 1),
       "ids: \"1\" \"2\" \"3\" \"4\" \"5\" \"6\" \"7\" \"8\" \"9\" \"10\" \"11\"\n"
       "num \"a\": 0 1 2 3 4 5 6 7 8 9 10");
}

static void test_string_cols(void)
{
    OK("id,sex,x,stage\nr1,M,1,IIIa\nr2,F,2,\n", "x.csv",
       OPTS(.string_cols = LIST("stage", "sex"), .nstring = 2),
       "ids: \"r1\" \"r2\"\n"
       "str \"sex\": \"M\" \"F\"\n"
       "num \"x\": 1 2\n"
       "str \"stage\": \"IIIa\" \"\"");
    /* numbers in a string column stay text, as written */
    OK("id,s\nr1,1.50\n", "x.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
       "ids: \"r1\"\nstr \"s\": \"1.50\"");
    /* blanks around unquoted fields are dropped (libcsv), quoted ones kept */
    OK("id , s ,x\n r1 ,  a b  ,1\nr2,\" c \",2\n", "x.csv",
       OPTS(.string_cols = LIST("s"), .nstring = 1),
       "ids: \"r1\" \"r2\"\nstr \"s\": \"a b\" \" c \"\nnum \"x\": 1 2");
    /* naming the ID column is harmless */
    OK("id,x\nr1,1\n", "x.csv", OPTS(.string_cols = LIST("id"), .nstring = 1),
       "ids: \"r1\"\nnum \"x\": 1");
}

static void test_diagnostics(void)
{
    OK("ID,diagnostics_Versions_PyRadiomics,original_shape_Elongation,"
       "diagnostics_Mask-original_Spacing,original_firstorder_Energy\n"
       "R01-901,v3.0.1,0.717,\"(0.98, 0.98, 2.5)\",2.14521E+11\n"
       "R01-902,v3.0.1,0.862,\"(0.7, 0.7, 1.25)\",NA\n",
       "x.csv", &DEFAULTS,
       "ids: \"R01-901\" \"R01-902\"\n"
       "num \"original_shape_Elongation\": 0.717 0.862\n"
       "num \"original_firstorder_Energy\": 214521000000 NA\n"
       "meta \"diagnostics_Versions_PyRadiomics\": \"v3.0.1\" \"v3.0.1\"\n"
       "meta \"diagnostics_Mask-original_Spacing\": \"(0.98, 0.98, 2.5)\" \"(0.7, 0.7, "
       "1.25)\"");
    /* numeric-looking diagnostics stay text; they are not features */
    rg_frame f;
    char *err = NULL;
    const char *t = "id,diagnostics_n,x\nr1,12,1\n";
    if (frame_parse_csv(t, strlen(t), "x.csv", &DEFAULTS, &f, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        unit_failures++;
        free(err);
        return;
    }
    CHECK(frame_col(&f, "diagnostics_n") == NULL);
    CHECK(f.nmeta == 1 && f.meta[0].str && !f.meta[0].num);
    CHECK_STR(f.nmeta == 1 ? f.meta[0].str[0] : NULL, "12");
    frame_free(&f);
    /* only the exact prefix counts */
    OK("id,Diagnostics_x,diagnostics\nr1,1,2\n", "x.csv", &DEFAULTS,
       "ids: \"r1\"\nnum \"Diagnostics_x\": 1\nnum \"diagnostics\": 2");
}

static void test_transpose(void)
{
    OK("feature,S1,S2,S3\n"
       "f1,1,2,3\n"
       "diagnostics_x,a,b,c\n"
       "label,u,,w\n"
       "f2,NA,-1,4.94E-24\n",
       "x.csv", OPTS(.transpose = 1, .string_cols = LIST("label"), .nstring = 1),
       "ids: \"S1\" \"S2\" \"S3\"\n"
       "num \"f1\": 1 2 3\n"
       "str \"label\": \"u\" \"\" \"w\"\n"
       "num \"f2\": NA -1 4.94e-24\n"
       "meta \"diagnostics_x\": \"a\" \"b\" \"c\"");
    /* the corner cell may be empty or repeat a sample ID; id and no_id do not apply */
    OK(",S1,S2\nf,1,2\n", "x.csv", OPTS(.transpose = 1),
       "ids: \"S1\" \"S2\"\nnum \"f\": 1 2");
    OK("S1,S1\nf,1\n", "x.csv", OPTS(.transpose = 1, .no_id = 1, .id = "zz"),
       "ids: \"S1\"\nnum \"f\": 1");
    /* TSV, BOM, CRLF, no trailing newline */
    OK("\xEF\xBB\xBFgene\tLUNG1\tLUNG2\r\nA2M\t51.9796\t1.26557\r\nAAAS\t3.17768\t4.37203",
       "x.tsv", OPTS(.transpose = 1),
       "ids: \"LUNG1\" \"LUNG2\"\nnum \"A2M\": 51.9796 1.26557\nnum \"AAAS\": 3.17768 "
       "4.37203");
    /* a file of diagnostics only */
    OK("f,S1\ndiagnostics_a,x\n", "x.csv", OPTS(.transpose = 1),
       "ids: \"S1\"\nmeta \"diagnostics_a\": \"x\"");
}

static void test_one_row(void)
{
    OK("id,a,b\nonly,1,2\n", "x.csv", &DEFAULTS,
       "ids: \"only\"\nnum \"a\": 1\nnum \"b\": 2");
    OK("id,a\nonly,1", "x.csv", &DEFAULTS, "ids: \"only\"\nnum \"a\": 1");
    OK("f,S1\ng,1\n", "x.csv", OPTS(.transpose = 1), "ids: \"S1\"\nnum \"g\": 1");
}

static void test_unicode(void)
{
    OK("患者,été,s\n"
       "患者1,1.5,αβγ\n"
       "\xF0\x9F\xA7\xAC,2,\"naïve, 😀\"\n",
       "données.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
       "ids: \"患者1\" \"\xF0\x9F\xA7\xAC\"\n"
       "num \"été\": 1.5 2\n"
       "str \"s\": \"αβγ\" \"naïve, 😀\"");
    rg_frame f;
    char *err = NULL;
    const char *t = "id,été\nr1,1\n";
    if (frame_parse_csv(t, strlen(t), "x.csv", &DEFAULTS, &f, &err) == 0) {
        CHECK(frame_col(&f, "été") == &f.cols[0]);
        frame_free(&f);
    } else {
        fprintf(stderr, "%s\n", err);
        unit_failures++;
        free(err);
    }
    /* the shown name is used as given in messages */
    ERR("id,été\nr1,x\n", "données/été.csv", &DEFAULTS,
        "données/été.csv:2:2: " NOT_NUM("x", "été"));
}

/* Many rows: the column arrays grow (64, 128, ...), and a partial row freed
 * on failure does not leak. */
static void test_many_rows(void)
{
    rg_buf in = {0}, want = {0}, nums = {0}, strs = {0};
    buf_puts(&in, "id,x,s,diagnostics_d\n");
    buf_puts(&want, "ids:");
    for (int i = 0; i < 300; i++) {
        buf_printf(&in, "r%d,%d,t%d,d%d\n", i, i, i, i);
        buf_printf(&want, " \"r%d\"", i);
        buf_printf(&nums, " %d", i);
        buf_printf(&strs, " \"t%d\"", i);
    }
    buf_printf(&want,
               "\nnum \"x\":%s\nstr \"s\":%s\nmeta \"diagnostics_d\":", buf_cstr(&nums),
               buf_cstr(&strs));
    for (int i = 0; i < 300; i++)
        buf_printf(&want, " \"d%d\"", i);
    ok_at(__LINE__, buf_cstr(&in), in.len, "x.csv",
          OPTS(.string_cols = LIST("s"), .nstring = 1), buf_cstr(&want));
    /* the same with a bad last row: the strings of that row are freed */
    buf_puts(&in, "r300,1,t,d,extra\n");
    err_at(__LINE__, buf_cstr(&in), in.len, "x.csv",
           OPTS(.string_cols = LIST("s"), .nstring = 1),
           "x.csv:302: 5 fields, but the header has 4");
    buf_free(&in);
    buf_free(&want);
    buf_free(&nums);
    buf_free(&strs);
}

/* ---- errors ------------------------------------------------------------------------ */

static void test_err_empty(void)
{
    ERR("", "x.csv", &DEFAULTS, "x.csv: the file is empty");
    ERR("\xEF\xBB\xBF", "x.csv", &DEFAULTS, "x.csv: the file is empty");
    ERR("\n\n\r\n", "x.csv", &DEFAULTS, "x.csv: the file is empty");
    ERR("", "x.csv", OPTS(.transpose = 1), "x.csv: the file is empty");
    ERR("id,a\n", "x.csv", &DEFAULTS, "x.csv: the file has a header but no rows");
    ERR("id,a", "x.csv", &DEFAULTS, "x.csv: the file has a header but no rows");
    ERR("\xEF\xBB\xBFid,a\r\n\r\n", "x.csv", &DEFAULTS,
        "x.csv: the file has a header but no rows");
    ERR("a,b\n", "x.csv", OPTS(.no_id = 1), "x.csv: the file has a header but no rows");
    ERR("f,S1,S2\n", "x.csv", OPTS(.transpose = 1),
        "x.csv: the file has a header but no feature rows");
}

static void test_err_ragged(void)
{
    ERR("id,a,b\nr1,1,2\nr2,1,2,3\n", "x.csv", &DEFAULTS,
        "x.csv:3: 4 fields, but the header has 3");
    ERR("id,a,b\nr1,1\nr2,1,2\n", "x.csv", &DEFAULTS,
        "x.csv:2: 2 fields, but the header has 3");
    ERR("id,a,b\nr1,1,2\nr2", "x.csv", &DEFAULTS,
        "x.csv:3: 1 fields, but the header has 3");
    /* a trailing comma is one more (empty) field */
    ERR("id,a\nr1,1,\n", "x.csv", &DEFAULTS, "x.csv:2: 3 fields, but the header has 2");
    /* the partial row holds strings: they are freed */
    ERR("id,s,t\nr1,a,b\nr2,c\n", "x.csv",
        OPTS(.string_cols = LIST("s", "t"), .nstring = 2),
        "x.csv:3: 2 fields, but the header has 3");
    ERR("a,b\n1,2\n3\n", "x.csv", OPTS(.no_id = 1),
        "x.csv:3: 1 fields, but the header has 2");
    /* rows are records: a quoted newline does not start a row */
    ERR("id,s\nr1,\"x\ny\"\nr2\n", "x.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
        "x.csv:3: 1 fields, but the header has 2");
}

static void test_err_duplicate_id(void)
{
    ERR("id,x\na,1\nb,2\na,3\n", "x.csv", &DEFAULTS,
        "x.csv:4:1: duplicate ID 'a' (also row 2)");
    ERR("id,x\nb,1\na,2\nc,3\na,4\na,5\n", "x.csv", &DEFAULTS,
        "x.csv:5:1: duplicate ID 'a' (also row 3)");
    ERR("x,sample\n1,S1\n2,S1\n", "x.csv", OPTS(.id = "sample"),
        "x.csv:3:2: duplicate ID 'S1' (also row 2)");
    /* blanks around unquoted IDs are dropped, so these are the same */
    ERR("id,x\na,1\n a ,2\n", "x.csv", &DEFAULTS,
        "x.csv:3:1: duplicate ID 'a' (also row 2)");
    /* case matters */
    OK("id,x\na,1\nA,2\n", "x.csv", &DEFAULTS, "ids: \"a\" \"A\"\nnum \"x\": 1 2");
}

static void test_err_duplicate_column(void)
{
    ERR("id,a,a\nr1,1,2\n", "x.csv", &DEFAULTS,
        "x.csv:1:3: duplicate column name 'a' (also column 2)");
    ERR("id,a,b,c,b\nr1,1,2,3,4\n", "x.csv", &DEFAULTS,
        "x.csv:1:5: duplicate column name 'b' (also column 3)");
    ERR("id,diagnostics_a,diagnostics_a\nr1,x,y\n", "x.csv", &DEFAULTS,
        "x.csv:1:3: duplicate column name 'diagnostics_a' (also column 2)");
    ERR("id,x,id\nr1,1,r\n", "x.csv", &DEFAULTS,
        "x.csv:1:3: duplicate column name 'id' (also column 1)");
    ERR("a,b,a\n1,2,3\n", "x.csv", OPTS(.no_id = 1),
        "x.csv:1:3: duplicate column name 'a' (also column 1)");
}

static void test_err_missing_id(void)
{
    ERR("id,x\nr1,1\n,2\n", "x.csv", &DEFAULTS, "x.csv:3:1: missing ID");
    ERR("id,x\nr1,1\n\"\",2\n", "x.csv", &DEFAULTS, "x.csv:3:1: missing ID");
    ERR("id,x\n  ,2\n", "x.csv", &DEFAULTS, "x.csv:2:1: missing ID");
    ERR("x,sample\n1,S1\n2,\n", "x.csv", OPTS(.id = "sample"), "x.csv:3:2: missing ID");
}

static void test_err_options(void)
{
    ERR("x,y\n1,2\n", "x.csv", OPTS(.id = "sample"),
        "x.csv:1: no ID column 'sample' in the header");
    ERR("x,y\n1,2\n", "x.csv", OPTS(.id = "X"), "x.csv:1: no ID column 'X' in the header");
    ERR("id,x\nr1,1\n", "x.csv", OPTS(.string_cols = LIST("x", "nope"), .nstring = 2),
        "x.csv:1: string_cols names 'nope', which is not a column");
}

static void test_err_quoting(void)
{
    ERR("id,x\nr1,1\nr2,\"2\n", "x.csv", &DEFAULTS,
        "x.csv:3: unterminated quoted field (a quote opened here is never closed)");
    ERR("id,s\nr1,\"a\nb\nc\n", "x.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
        "x.csv:2: unterminated quoted field (a quote opened here is never closed)");
    ERR("\"id,x\nr1,1\n", "x.csv", &DEFAULTS,
        "x.csv:1: unterminated quoted field (a quote opened here is never closed)");
    ERR("id,x\nr1,1\nr2,2\"3\n", "x.csv", &DEFAULTS,
        "x.csv:3:2: malformed quoting (a quote inside an unquoted field, or text after a "
        "closing quote)");
    ERR("id,x,y\nr1,\"1\"2,3\n", "x.csv", &DEFAULTS,
        "x.csv:2:2: malformed quoting (a quote inside an unquoted field, or text after a "
        "closing quote)");
    ERR("i\"d,x\nr1,1\n", "x.csv", &DEFAULTS,
        "x.csv:1:1: malformed quoting (a quote inside an unquoted field, or text after a "
        "closing quote)");
}

static void test_err_encoding(void)
{
    ERR("id,x\nr1,1\0\n", "x.csv", &DEFAULTS, "x.csv:2:2: not a text file (NUL byte)");
    ERR("i\0d,x\nr1,1\n", "x.csv", &DEFAULTS, "x.csv:1:1: not a text file (NUL byte)");
    ERR("id,s\nr1,\"a\0b\"\n", "x.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
        "x.csv:2:2: not a text file (NUL byte)");
    ERR("id,x\n\xFFr1,1\n", "x.csv", &DEFAULTS, "x.csv:2:1: not valid UTF-8 text");
    ERR("id,x\n\xC0\x80,1\n", "x.csv", &DEFAULTS, "x.csv:2:1: not valid UTF-8 text");
    ERR("id,x\nr\xC3,1\n", "x.csv", &DEFAULTS, "x.csv:2:1: not valid UTF-8 text");
    ERR("id,caf\xE9\nr1,1\n", "x.csv", &DEFAULTS, "x.csv:1:2: not valid UTF-8 text");
    /* Latin-1 in a string cell */
    ERR("id,s\nr1,1\nr2,na\xEFve\n", "x.csv", OPTS(.string_cols = LIST("s"), .nstring = 1),
        "x.csv:3:2: not valid UTF-8 text");
    /* a BOM is only skipped at the start */
    ERR("\xEF\xBB\xBF\xEF\xBB\xBFid,x\nr1,1\n", "x.csv", OPTS(.id = "id"),
        "x.csv:1: no ID column 'id' in the header");
}

static void test_err_transposed(void)
{
    const rg_csv_opts *t = OPTS(.transpose = 1);
    ERR("f,S1,S2,S1\ng,1,2,3\n", "x.csv", t,
        "x.csv:1:4: duplicate ID 'S1' (also column 2)");
    ERR("f,S1,,S2\ng,1,2,3\n", "x.csv", t, "x.csv:1:3: missing sample ID in the header");
    ERR("f,S1,S2\ng,1,2\n,3,4\n", "x.csv", t, "x.csv:3:1: missing feature name");
    ERR("f,S1,S2\ng,1,2\nh,3,4\ng,5,6\n", "x.csv", t, "x.csv:4:1: duplicate feature 'g'");
    ERR("f,S1,S2\ng,1,2\nh,3\n", "x.csv", t, "x.csv:3: 2 fields, but the header has 3");
    ERR("f,S1,S2\ng,1,2\nh,3,4,5\n", "x.csv", t, "x.csv:3: 4 fields, but the header has 3");
    ERR("f,S1,S2\ng,1,abc\n", "x.csv", t,
        "x.csv:2:3: 'abc' is not a number (feature 'g'; declare it in string_cols to keep "
        "text)");
    /* a string feature and a numeric one of the same name */
    ERR("f,S1\ns,a\ns,1\n", "x.csv",
        OPTS(.transpose = 1, .string_cols = LIST("s"), .nstring = 1),
        "x.csv:3:1: duplicate feature 's'");
    /* a ragged string row: its cells are freed */
    ERR("f,S1,S2\ns,a\n", "x.csv",
        OPTS(.transpose = 1, .string_cols = LIST("s"), .nstring = 1),
        "x.csv:2: 2 fields, but the header has 3");
    ERR("f,S1,S2\ndiagnostics_a,a,b,c\n", "x.csv", t,
        "x.csv:2: 4 fields, but the header has 3");
    ERR("f,S1\ng,1\0\n", "x.csv", t, "x.csv:2:2: not a text file (NUL byte)");
    ERR("f,S1\ng,\"1\n", "x.csv", t,
        "x.csv:2: unterminated quoted field (a quote opened here is never closed)");
}

/* ---- files ------------------------------------------------------------------------ */

/* printf 'id,x,s\nr1,1.5,hello\nr2,NA,"a,b"\n' > f.csv; sha256sum f.csv; wc -c f.csv */
#define FILE_TEXT "id,x,s\nr1,1.5,hello\nr2,NA,\"a,b\"\n"
#define FILE_SHA "60723ce00c8a5982f9914c265f782c76dd1ab46e306b7e7ab935def056054b14"

static void test_read_file(void)
{
    char *path = temp_file(FILE_TEXT, sizeof FILE_TEXT - 1);
    if (!path) {
        fprintf(stderr, "cannot write a temporary file: %s\n", strerror(errno));
        unit_failures++;
        return;
    }
    rg_frame f;
    char *err = NULL;
    size_t bytes = 99;
    char sha[65];
    memset(sha, 'z', sizeof sha);
    int rc =
        frame_read_csv(path, "data/f.csv", OPTS(.string_cols = LIST("s"), .nstring = 1), &f,
                       &bytes, sha, &err);
    CHECK(rc == 0);
    if (rc == 0) {
        char *d = dump_frame(&f);
        CHECK_STR(d, "ids: \"r1\" \"r2\"\nnum \"x\": 1.5 NA\nstr \"s\": \"hello\" \"a,b\"");
        free(d);
        frame_free(&f);
    } else {
        fprintf(stderr, "%s\n", err ? err : "(no message)");
    }
    free(err);
    CHECK(bytes == 32);
    CHECK(sha[64] == '\0');
    CHECK_STR(sha[64] == '\0' ? sha : "(not terminated)", FILE_SHA);

    /* a failure names the shown name, not the path, and still gives size and hash */
    err = NULL;
    memset(&f, 0x5A, sizeof f);
    rc = frame_read_csv(path, "data/f.csv", &DEFAULTS, &f, &bytes, sha, &err);
    CHECK(rc == -1);
    CHECK_STR(err, "data/f.csv:2:3: " NOT_NUM("hello", "s"));
    CHECK(frame_is_empty(&f));
    CHECK(bytes == 32);
    CHECK_STR(sha, FILE_SHA);
    free(err);
    if (frame_is_empty(&f))
        frame_free(&f);
    unlink(path);
    free(path);

    /* a .tsv shown name picks the tab */
    path = temp_file("id\tx\nr1\t2\n", 10);
    if (path) {
        err = NULL;
        rc = frame_read_csv(path, "f.tsv", &DEFAULTS, &f, &bytes, sha, &err);
        CHECK(rc == 0);
        if (rc == 0) {
            char *d = dump_frame(&f);
            CHECK_STR(d, "ids: \"r1\"\nnum \"x\": 2");
            free(d);
            frame_free(&f);
        }
        free(err);
        CHECK(bytes == 10);
        /* printf 'id\tx\nr1\t2\n' | sha256sum */
        CHECK_STR(sha, "2cf88748b11d3e3d6695023b11c3def031c321db2a486e39abbd94cc0d2f8416");
        unlink(path);
        free(path);
    } else {
        unit_failures++;
    }

    /* an empty file */
    path = temp_file("", 0);
    if (path) {
        err = NULL;
        memset(&f, 0x5A, sizeof f);
        rc = frame_read_csv(path, "e.csv", &DEFAULTS, &f, &bytes, sha, &err);
        CHECK(rc == -1);
        CHECK_STR(err, "e.csv: the file is empty");
        CHECK(frame_is_empty(&f));
        CHECK(bytes == 0);
        CHECK_STR(sha, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        free(err);
        unlink(path);
        free(path);
    } else {
        unit_failures++;
    }
}

static void test_read_missing_file(void)
{
    rg_frame f;
    char *err = NULL;
    size_t bytes = 99;
    char sha[65] = {0};
    memset(&f, 0x5A, sizeof f);
    int rc = frame_read_csv("/nonexistent/rglit/x.csv", "x.csv", &DEFAULTS, &f, &bytes, sha,
                            &err);
    CHECK(rc == -1);
    CHECK_STR(err, "x.csv: cannot open: No such file or directory");
    CHECK(frame_is_empty(&f));
    CHECK(bytes == 0);
    free(err);
    if (frame_is_empty(&f))
        frame_free(&f);
}

/* An input of several 64 KiB blocks: fields and quoted newlines that span a
 * block boundary; the file and the buffer give the same frame. */
static void test_large_input(void)
{
    rg_buf in = {0};
    buf_puts(&in, "id,x,s\n");
    int rows = 0;
    while (in.len < 3 * 65536 + 1000) {
        buf_printf(&in, "sample_%06d,%d.25,\"line one, %d\nline two \"\"q\"\"\"\n", rows,
                   rows, rows);
        rows++;
    }
    const rg_csv_opts *o = OPTS(.string_cols = LIST("s"), .nstring = 1);
    rg_frame a, b;
    char *err = NULL;
    int rc = frame_parse_csv(buf_cstr(&in), in.len, "big.csv", o, &a, &err);
    CHECK(rc == 0);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err ? err : "(no message)");
        free(err);
        buf_free(&in);
        return;
    }
    CHECK(a.nrow == (size_t)rows && a.ncol == 2);
    int bad = 0;
    for (int i = 0; i < rows && a.nrow == (size_t)rows && a.ncol == 2; i++) {
        char want[64];
        snprintf(want, sizeof want, "sample_%06d", i);
        bad += strcmp(a.ids[i], want) != 0;
        bad += a.cols[0].num[i] != i + 0.25;
        snprintf(want, sizeof want, "line one, %d\nline two \"q\"", i);
        bad += strcmp(a.cols[1].str[i], want) != 0;
    }
    CHECK(bad == 0);
    char *path = temp_file(buf_cstr(&in), in.len);
    CHECK(path != NULL);
    if (path) {
        size_t bytes = 0;
        char sha[65];
        rc = frame_read_csv(path, "big.csv", o, &b, &bytes, sha, &err);
        CHECK(rc == 0);
        CHECK(bytes == in.len);
        if (rc == 0) {
            char *da = dump_frame(&a), *db = dump_frame(&b);
            CHECK(da && db && strcmp(da, db) == 0);
            free(da);
            free(db);
            frame_free(&b);
        } else {
            fprintf(stderr, "%s\n", err ? err : "(no message)");
            free(err);
        }
        unlink(path);
        free(path);
    }
    frame_free(&a);
    /* an error past the first block is located */
    buf_puts(&in, "late,1,x,oops\n");
    char want[128];
    snprintf(want, sizeof want, "big.csv:%d: 4 fields, but the header has 3", rows + 2);
    err_at(__LINE__, buf_cstr(&in), in.len, "big.csv", o, want);
    buf_free(&in);
}

/* ---- found by fuzzing (fixed), and open bugs (frame_bug_*) ---------------------- */

/* A cell cut to 40 bytes in the "is not a number" message must not end
 * inside a UTF-8 sequence (a bug found by fuzz_csv, fixed by utf8_cut;
 * tests/fuzz/regressions_csv/message-cuts-utf8-sequence*.csv). */
static void test_err_message_cut_utf8(void)
{
    /* 39 ASCII bytes, then U+00E9 (2 bytes) straddling the 40-byte cut */
    const char *t = "id,x\nr1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xC3\xA9\n";
    rg_frame f;
    char *err = NULL;
    int rc = frame_parse_csv(t, strlen(t), "x.csv", &DEFAULTS, &f, &err);
    CHECK(rc == -1);
    CHECK(err &&
          strncmp(err, "x.csv:2:2: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 50) == 0);
    CHECK(err && fuzz_utf8_strict(err));
    if (rc == 0)
        frame_free(&f);
    free(err);
    /* a 3-byte character (U+60A3) at the cut in a transposed file */
    t = "f,S1\ng,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xE6\x82\xA3\n";
    err = NULL;
    rc = frame_parse_csv(t, strlen(t), "x.csv", OPTS(.transpose = 1), &f, &err);
    CHECK(rc == -1);
    CHECK(err && fuzz_utf8_strict(err));
    if (rc == 0)
        frame_free(&f);
    free(err);
}

/* UTF-8 as RFC 3629 and doc.c have it: UTF-16 surrogates, overlong 3- and
 * 4-byte forms and code points past U+10FFFF are refused (frame.c's first
 * check accepted them; found by fuzz_csv). */
static void test_err_utf8_strict(void)
{
    ERR("id,x\n\xED\xA0\x80,1\n", "x.csv", &DEFAULTS, "x.csv:2:1: not valid UTF-8 text");
    ERR("id,x\n\xE0\x80\xAF,1\n", "x.csv", &DEFAULTS, "x.csv:2:1: not valid UTF-8 text");
    ERR("id,x\n\xF0\x80\x80\xAF,1\n", "x.csv", &DEFAULTS,
        "x.csv:2:1: not valid UTF-8 text");
    ERR("id,x\n\xF4\x90\x80\x80,1\n", "x.csv", &DEFAULTS,
        "x.csv:2:1: not valid UTF-8 text");
}

/* Transposed edge cases the reader first got wrong (found by fuzz_csv and
 * these tests): two diagnostics_ rows of one name were both kept, string_cols
 * naming no row was ignored, a header without sample IDs gave a frame of no
 * rows. */
static void test_err_transposed_edges(void)
{
    const rg_csv_opts *t = OPTS(.transpose = 1);
    ERR("f,S1\ndiagnostics_a,x\ndiagnostics_a,y\n", "x.csv", t,
        "x.csv:3:1: duplicate feature 'diagnostics_a'");
    ERR("f,S1,S2\ng,1,2\n", "x.csv",
        OPTS(.transpose = 1, .string_cols = LIST("g", "nope"), .nstring = 2),
        "x.csv: string_cols names 'nope', which is not a feature row");
    ERR("feature\ng\nh\n", "x.csv", t,
        "x.csv:1: the header holds no sample IDs (transpose: samples are columns)");
    ERR("f\n", "x.csv", t,
        "x.csv:1: the header holds no sample IDs (transpose: samples are columns)");
}

/* Transposed, string_cols naming a diagnostics_ row is refused ("not a
 * feature row"), though the row exists; not transposed, naming a
 * diagnostics_ column is accepted (it is text in meta either way). */
static void test_bug_transposed_string_col_diagnostics(void)
{
    OK("id,diagnostics_a,x\nr1,d,1\n", "x.csv",
       OPTS(.string_cols = LIST("diagnostics_a"), .nstring = 1),
       "ids: \"r1\"\nnum \"x\": 1\nmeta \"diagnostics_a\": \"d\"");
    OK("f,S1\ndiagnostics_a,d\nx,1\n", "x.csv",
       OPTS(.transpose = 1, .string_cols = LIST("diagnostics_a"), .nstring = 1),
       "ids: \"S1\"\nnum \"x\": 1\nmeta \"diagnostics_a\": \"d\"");
}

/* ---- the fuzz regressions -------------------------------------------------------- */

#define REGRESSIONS "tests/fuzz/regressions_csv"

static const char *csv_target(const uint8_t *data, size_t len, const char *path)
{
    (void)path;
    return fuzz_csv_target(data, len);
}

static void test_fuzz_regressions(void) { unit_replay(REGRESSIONS, csv_target); }

const unit_test frame_tests[] = {{"frame_comma", test_comma},
                                 {"frame_semicolon", test_semicolon},
                                 {"frame_tsv", test_tsv},
                                 {"frame_quoted", test_quoted},
                                 {"frame_bom_crlf", test_bom_crlf},
                                 {"frame_no_trailing_newline", test_no_trailing_newline},
                                 {"frame_blank_lines", test_blank_lines},
                                 {"frame_numbers", test_numbers},
                                 {"frame_not_numbers", test_not_numbers},
                                 {"frame_na", test_na},
                                 {"frame_id_option", test_id_option},
                                 {"frame_no_id", test_no_id},
                                 {"frame_string_cols", test_string_cols},
                                 {"frame_diagnostics", test_diagnostics},
                                 {"frame_transpose", test_transpose},
                                 {"frame_one_row", test_one_row},
                                 {"frame_unicode", test_unicode},
                                 {"frame_many_rows", test_many_rows},
                                 {"frame_err_empty", test_err_empty},
                                 {"frame_err_ragged", test_err_ragged},
                                 {"frame_err_duplicate_id", test_err_duplicate_id},
                                 {"frame_err_duplicate_column", test_err_duplicate_column},
                                 {"frame_err_missing_id", test_err_missing_id},
                                 {"frame_err_options", test_err_options},
                                 {"frame_err_quoting", test_err_quoting},
                                 {"frame_err_encoding", test_err_encoding},
                                 {"frame_err_transposed", test_err_transposed},
                                 {"frame_read_file", test_read_file},
                                 {"frame_read_missing_file", test_read_missing_file},
                                 {"frame_large_input", test_large_input},
                                 {"frame_err_message_cut_utf8", test_err_message_cut_utf8},
                                 {"frame_err_utf8_strict", test_err_utf8_strict},
                                 {"frame_err_transposed_edges", test_err_transposed_edges},
                                 {"frame_bug_transposed_string_col_diagnostics",
                                  test_bug_transposed_string_col_diagnostics},
                                 {"frame_fuzz_regressions", test_fuzz_regressions},
                                 {NULL, NULL}};
