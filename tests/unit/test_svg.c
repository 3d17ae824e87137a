/* tests/unit/test_svg.c — the SVG canvas and the figures (svg.h, plot.h):
 * number formatting, nice ticks, escaping, a strict XML well-formedness
 * check of every figure (also from hostile inputs), and two golden SVGs
 * compared byte for byte (tests/golden/svg; RGLIT_UPDATE_GOLDEN=1 rewrites
 * them, as `make golden` does). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "plot.h"
#include "stats/surv.h"
#include "svg.h"
#include "unit.h"

#define GOLDEN_DIR "tests/golden/svg/"

/* ---- helpers ------------------------------------------------------------- */

/* The text of fn's output in a rotating static buffer (a few alive at once). */
static const char *keep(rg_buf *b)
{
    static char out[8][256];
    static int k;
    char *s = out[k++ % 8];
    snprintf(s, sizeof out[0], "%s", b->failed ? "(failed)" : b->data ? b->data : "");
    buf_free(b);
    return s;
}

static const char *num(double x)
{
    rg_buf b = {0};
    if (svg_num(&b, x) != 0)
        buf_puts(&b, "(refused)");
    return keep(&b);
}

/* The tick labels of t joined by spaces. */
static const char *labels(const rg_ticks *t)
{
    rg_buf b = {0};
    for (size_t i = 0; i < t->n; i++) {
        if (i)
            buf_putc(&b, ' ');
        svg_tick_label(&b, t, i);
    }
    if (!t->n)
        buf_puts(&b, "(none)");
    return keep(&b);
}

/* ---- a strict XML well-formedness check ---------------------------------- */

static int name_start(int c) { return isalpha(c) || c == '_' || c == ':'; }
static int name_char(int c)
{
    return isalnum(c) || c == '_' || c == ':' || c == '.' || c == '-';
}

/* An entity at s ('&'): &amp; &lt; &gt; &quot; &apos; &#N; &#xH;. Returns
 * its length, or 0. */
static size_t entity(const char *s)
{
    static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", NULL};
    for (const char *const *n = named; *n; n++)
        if (strncmp(s, *n, strlen(*n)) == 0)
            return strlen(*n);
    if (s[1] != '#')
        return 0;
    size_t i = 2;
    int hex = s[2] == 'x';
    i += hex;
    size_t start = i;
    while (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))
        i++;
    return i > start && s[i] == ';' ? i + 1 : 0;
}

/* A number as SVG attributes hold them here: -?digits(.digits)? */
static int is_number(const char *s, size_t n)
{
    size_t i = s[0] == '-';
    size_t d = i;
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    if (i == d)
        return 0;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i == f)
            return 0;
    }
    return i == n;
}

/* Is svg one well-formed XML element (with nothing but white space around
 * it) whose numeric attributes are plain numbers and whose paths hold
 * only path commands? Returns NULL or what is wrong, with the offset. */
static const char *xml_check(const char *s)
{
    static char why[160];
    const char *stack[64];
    size_t nstack[64];
    int depth = 0, roots = 0;
    static const char *const numeric[] = {"x",  "y",  "x1", "y1",    "x2",     "y2",
                                          "cx", "cy", "r",  "width", "height", NULL};
#define BAD(...)                                                                           \
    do {                                                                                   \
        snprintf(why, sizeof why, __VA_ARGS__);                                            \
        return why;                                                                        \
    } while (0)
    const char *p = s;
    while (*p) {
        if (*p != '<') { /* text */
            if (*p == '&') {
                size_t e = entity(p);
                if (!e)
                    BAD("raw '&' in text at %ld", (long)(p - s));
                p += e;
                continue;
            }
            if (depth == 0 && !isspace((unsigned char)*p))
                BAD("text outside the root at %ld", (long)(p - s));
            if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
                BAD("control character at %ld", (long)(p - s));
            p++;
            continue;
        }
        p++;
        if (*p == '/') { /* an end tag */
            p++;
            const char *name = p;
            while (name_char((unsigned char)*p))
                p++;
            size_t len = (size_t)(p - name);
            if (depth == 0 || len != nstack[depth - 1] ||
                strncmp(name, stack[depth - 1], len))
                BAD("end tag </%.*s> does not close the open element at %ld", (int)len,
                    name, (long)(name - s));
            if (*p++ != '>')
                BAD("end tag not closed at %ld", (long)(p - s));
            depth--;
            continue;
        }
        if (!name_start((unsigned char)*p))
            BAD("'<' not starting a tag at %ld", (long)(p - s));
        const char *name = p;
        while (name_char((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - name);
        if (depth == 0 && roots++)
            BAD("a second root element at %ld", (long)(name - s));
        const char *seen[32];
        size_t nseen[32], nattr = 0;
        for (;;) {
            int space = 0;
            while (isspace((unsigned char)*p)) {
                p++;
                space = 1;
            }
            if (*p == '/' && p[1] == '>') {
                p += 2;
                break;
            }
            if (*p == '>') {
                p++;
                if (depth == 64)
                    BAD("nested too deeply");
                stack[depth] = name;
                nstack[depth++] = len;
                break;
            }
            if (!space || !name_start((unsigned char)*p))
                BAD("bad attribute at %ld", (long)(p - s));
            const char *an = p;
            while (name_char((unsigned char)*p))
                p++;
            size_t alen = (size_t)(p - an);
            for (size_t k = 0; k < nattr; k++)
                if (nseen[k] == alen && strncmp(seen[k], an, alen) == 0)
                    BAD("attribute %.*s twice at %ld", (int)alen, an, (long)(an - s));
            if (nattr < 32) {
                seen[nattr] = an;
                nseen[nattr++] = alen;
            }
            if (*p++ != '=' || (*p != '"' && *p != '\''))
                BAD("attribute %.*s without a quoted value at %ld", (int)alen, an,
                    (long)(an - s));
            char q = *p++;
            const char *v = p;
            while (*p && *p != q) {
                if (*p == '<')
                    BAD("'<' in an attribute value at %ld", (long)(p - s));
                if (*p == '&' && !entity(p))
                    BAD("raw '&' in an attribute value at %ld", (long)(p - s));
                p++;
            }
            if (!*p)
                BAD("unterminated attribute value at %ld", (long)(v - s));
            size_t vlen = (size_t)(p - v);
            p++;
            for (const char *const *k = numeric; *k; k++)
                if (strlen(*k) == alen && strncmp(*k, an, alen) == 0 && !is_number(v, vlen))
                    BAD("%.*s=\"%.*s\" is not a number", (int)alen, an, (int)vlen, v);
            if (alen == 1 && an[0] == 'd')
                for (size_t k = 0; k < vlen; k++)
                    if (!strchr("MLHVZmlhvz0123456789.- ", v[k]))
                        BAD("path data with '%c' at %ld", v[k], (long)(v + k - s));
        }
    }
    if (depth)
        BAD("%d element(s) left open", depth);
    if (roots != 1)
        BAD("%d root elements", roots);
    return NULL;
#undef BAD
}

void check_svg(const char *what, const char *svg)
{
    const char *why = xml_check(svg);
    if (why) {
        fprintf(stderr, "%s: not well-formed: %s\n", what, why);
        unit_failures++;
    }
    for (const char *p = svg; *p; p++)
        if (strncasecmp(p, "nan", 3) == 0 || strncasecmp(p, "inf", 3) == 0) {
            fprintf(stderr, "%s: '%.3s' at %ld\n", what, p, (long)(p - svg));
            unit_failures++;
            break;
        }
    CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    size_t n = strlen(svg);
    CHECK(n > 7 && strcmp(svg + n - 7, "</svg>\n") == 0);
}

/* ---- numbers ------------------------------------------------------------- */

static void test_svg_num(void)
{
    CHECK_STR(num(1.5), "1.5");
    CHECK_STR(num(2.0), "2");
    CHECK_STR(num(0.25), "0.2"); /* an exact tie: to even, as printf */
    CHECK_STR(num(1.236), "1.2");
    CHECK_STR(num(-1.26), "-1.3");
    CHECK_STR(num(1.04), "1");
    /* 1.05 is stored as 1.0500000000000000444...: rounded as stored */
    CHECK_STR(num(1.05), "1.1");
    CHECK_STR(num(2.675), "2.7");
    CHECK_STR(num(0.35), "0.3"); /* 0.34999999999999997... */
    CHECK_STR(num(-0.0), "0");
    CHECK_STR(num(-0.01), "0"); /* never "-0" */
    CHECK_STR(num(-0.04999), "0");
    CHECK_STR(num(-0.05001), "-0.1");
    CHECK_STR(num(1e-12), "0");
    CHECK_STR(num(123456.789), "123456.8");
    CHECK_STR(num(1e15), "1000000000000000");
    CHECK_STR(num(NAN), "(refused)");
    CHECK_STR(num(INFINITY), "(refused)");
    CHECK_STR(num(-INFINITY), "(refused)");
    /* refused means nothing written */
    rg_buf b = {0};
    buf_puts(&b, "x=");
    CHECK(svg_num(&b, NAN) == -1 && b.len == 2);
    buf_free(&b);
}

static void test_plot_fmt_p(void)
{
    rg_buf b = {0};
    plot_fmt_p(&b, 0.0013);
    CHECK_STR(keep(&b), "0.0013");
    plot_fmt_p(&b, 0.06534);
    CHECK_STR(keep(&b), "0.065");
    plot_fmt_p(&b, 0.5);
    CHECK_STR(keep(&b), "0.5");
    plot_fmt_p(&b, 1);
    CHECK_STR(keep(&b), "1");
    plot_fmt_p(&b, 0.0001);
    CHECK_STR(keep(&b), "0.0001");
    plot_fmt_p(&b, 0.0000999);
    CHECK_STR(keep(&b), "< 0.0001");
    plot_fmt_p(&b, 0);
    CHECK_STR(keep(&b), "< 0.0001");
    plot_fmt_p(&b, NAN);
    CHECK_STR(keep(&b), "NA");
}

/* ---- ticks --------------------------------------------------------------- */

/* Ticks are increasing, inside [t->lo, t->hi], and their labels distinct. */
static void check_ticks(const char *what, const rg_ticks *t)
{
    for (size_t i = 0; i < t->n; i++) {
        if (i && !(t->v[i] > t->v[i - 1])) {
            fprintf(stderr, "%s: ticks %zu and %zu not increasing\n", what, i - 1, i);
            unit_failures++;
        }
        double tol = 1e-9 * fmax(fabs(t->lo), fabs(t->hi));
        if (!(t->v[i] >= t->lo - tol && t->v[i] <= t->hi + tol)) {
            fprintf(stderr, "%s: tick %.17g outside [%.17g, %.17g]\n", what, t->v[i], t->lo,
                    t->hi);
            unit_failures++;
        }
    }
    rg_buf a = {0}, b = {0};
    for (size_t i = 1; i < t->n; i++) {
        a.len = b.len = 0;
        svg_tick_label(&a, t, i - 1);
        svg_tick_label(&b, t, i);
        if (strcmp(buf_cstr(&a), buf_cstr(&b)) == 0) {
            fprintf(stderr, "%s: two ticks labelled %s\n", what, buf_cstr(&a));
            unit_failures++;
        }
    }
    buf_free(&a);
    buf_free(&b);
}

static void test_ticks_linear(void)
{
    rg_ticks t;
    CHECK(svg_ticks(0, 1, 5, 0, &t) == 0);
    CHECK_STR(labels(&t), "0 0.2 0.4 0.6 0.8 1");
    CHECK(t.step == 0.2 && t.v[3] == 0.6); /* 3 * 2 / 10, not 3 * 0.2 */
    CHECK(svg_ticks(0, 1022, 6, 0, &t) == 0);
    CHECK_STR(labels(&t), "0 200 400 600 800 1000");
    CHECK(t.lo == 0 && t.hi == 1022);
    CHECK(svg_ticks(0, 1022, 6, 1, &t) == 0);
    CHECK_STR(labels(&t), "0 200 400 600 800 1000 1200");
    CHECK(t.hi == 1200);
    CHECK(svg_ticks(-3.7, 12.2, 5, 1, &t) == 0);
    CHECK_STR(labels(&t), "-5 0 5 10 15");
    CHECK(t.lo == -5 && t.hi == 15);
    CHECK(svg_ticks(10, 0, 2, 0, &t) == 0); /* swapped */
    CHECK_STR(labels(&t), "0 5 10");
    CHECK(svg_ticks(0.001, 0.0042, 4, 0, &t) == 0);
    CHECK_STR(labels(&t), "0.001 0.002 0.003 0.004");
    CHECK(svg_ticks(-0.3, 0.3, 6, 0, &t) == 0);
    CHECK_STR(labels(&t), "-0.3 -0.2 -0.1 0 0.1 0.2 0.3"); /* no "-0" */
    CHECK(svg_ticks(0, 1e300, 5, 0, &t) == 0 && t.n == 6);
    check_ticks("0..1e300", &t);
    CHECK(svg_ticks(0, 50, 100, 0, &t) == 0 && t.n == 11); /* target at most 20 */
    CHECK(svg_ticks(0, 50, 0, 0, &t) == 0 && t.n == 2);    /* target at least 1 */
    CHECK_STR(labels(&t), "0 50");
}

static void test_ticks_degenerate(void)
{
    rg_ticks t;
    CHECK(svg_ticks(5, 5, 5, 0, &t) == 0); /* widened to [4.5, 5.5] */
    CHECK_STR(labels(&t), "4.6 4.8 5 5.2 5.4");
    CHECK(svg_ticks(5, 5, 5, 1, &t) == 0);
    CHECK(t.lo == 4.4 && t.hi == 5.6);
    CHECK(svg_ticks(0, 0, 4, 0, &t) == 0); /* widened to [-1, 1] */
    CHECK_STR(labels(&t), "-1 -0.5 0 0.5 1");
    CHECK(svg_ticks(-2, -2, 4, 0, &t) == 0);
    CHECK_STR(labels(&t), "-2.2 -2.1 -2 -1.9 -1.8");
    /* a tiny range keeps its ticks apart */
    CHECK(svg_ticks(1, 1 + 1e-6, 4, 0, &t) == 0);
    CHECK_STR(labels(&t), "1 1.0000005 1.000001");
    CHECK(svg_ticks(1, 1 + 1e-6, 10, 0, &t) == 0);
    CHECK_STR(labels(&t), "1 1.0000001 1.0000002 1.0000003 1.0000004 1.0000005 1.0000006 "
                          "1.0000007 1.0000008 1.0000009 1.000001");
    check_ticks("1..1+1e-6", &t);
    CHECK(svg_ticks(1e-8, 3e-8, 2, 0, &t) == 0);
    CHECK_STR(labels(&t), "1e-08 2e-08 3e-08"); /* below 1e-4: scientific, as fmt_num */
    CHECK(svg_ticks(1e-8, 2e-8, 4, 0, &t) == 0);
    CHECK_STR(labels(&t), "1e-08 1.5e-08 2e-08"); /* the digits the step needs */
    CHECK(svg_ticks(0, 3e-5, 3, 0, &t) == 0);
    CHECK_STR(labels(&t), "0 1e-05 2e-05 3e-05");
    /* narrower than 1e-9 of its size: no readable ticks, widened */
    CHECK(svg_ticks(1, 1 + 1e-12, 4, 0, &t) == 0);
    CHECK_STR(labels(&t), "0.9 0.95 1 1.05 1.1");
    CHECK(svg_ticks(4.9e-324, 4.9e-324, 4, 0, &t) == 0);
    check_ticks("denormal", &t);
    CHECK(svg_ticks(NAN, 1, 5, 0, &t) == -1 && t.n == 0);
    CHECK(svg_ticks(0, INFINITY, 5, 0, &t) == -1 && t.n == 0);
    CHECK(svg_ticks(-1e308, 1e308, 5, 0, &t) == -1); /* the width overflows */
}

static void test_ticks_log(void)
{
    rg_ticks t;
    /* 0.3..40 spans 2.1 decades: 1, 2 and 5 */
    CHECK(svg_log_ticks(0.3, 40, 1, &t) == 0);
    CHECK_STR(labels(&t), "0.2 0.5 1 2 5 10 20 50");
    CHECK(t.lo == 0.2 && t.hi == 50 && t.step == 0);
    CHECK(svg_log_ticks(0.3, 40, 0, &t) == 0);
    CHECK_STR(labels(&t), "0.5 1 2 5 10 20");
    CHECK(t.lo == 0.3 && t.hi == 40);
    /* 6 decades: decades only */
    CHECK(svg_log_ticks(0.001, 1000, 0, &t) == 0);
    CHECK_STR(labels(&t), "0.001 0.01 0.1 1 10 100 1000");
    CHECK(svg_log_ticks(0.002, 700, 1, &t) == 0);
    CHECK_STR(labels(&t), "0.001 0.01 0.1 1 10 100 1000");
    /* 40 decades: every fifth */
    CHECK(svg_log_ticks(1e-20, 1e20, 0, &t) == 0);
    CHECK_STR(labels(&t), "1e-20 1e-15 1e-10 1e-05 1 100000 10000000000 1e+15 1e+20");
    check_ticks("1e-20..1e20", &t);
    /* less than half a decade: linear ticks */
    CHECK(svg_log_ticks(0.8, 1.3, 1, &t) == 0);
    CHECK_STR(labels(&t), "0.8 0.9 1 1.1 1.2 1.3");
    CHECK(svg_log_ticks(0.02, 0.05, 1, &t) == 0);
    CHECK_STR(labels(&t), "0.02 0.03 0.04 0.05");
    check_ticks("0.02..0.05", &t);
    CHECK(svg_log_ticks(0.01, 0.03, 1, &t) == 0); /* widening stops above 0 */
    CHECK(t.lo > 0 && t.n > 0 && t.v[0] > 0);
    check_ticks("0.01..0.03", &t);
    /* equal ends: halved and doubled */
    CHECK(svg_log_ticks(2, 2, 1, &t) == 0);
    CHECK_STR(labels(&t), "1 2 5");
    CHECK(svg_log_ticks(1, 1, 0, &t) == 0);
    CHECK_STR(labels(&t), "0.5 1 2");
    CHECK(svg_log_ticks(0, 10, 1, &t) == -1 && t.n == 0);
    CHECK(svg_log_ticks(-1, 10, 1, &t) == -1);
    CHECK(svg_log_ticks(1, NAN, 1, &t) == -1);
    CHECK(svg_log_ticks(1, INFINITY, 1, &t) == -1);
    CHECK(svg_log_ticks(1e-300, 1e300, 1, &t) == 0);
    check_ticks("1e-300..1e300", &t);
    CHECK(t.n >= 2 && t.n <= 11);
}

/* ---- the canvas ---------------------------------------------------------- */

static void test_svg_text(void)
{
    rg_buf b = {0};
    rg_svg s;
    svg_begin(&s, &b, 100, 50, "rg-plot", "A & B");
    svg_text(&s, 1, 2, "rg-end", NULL, "a<b & \"c\" 'd'>");
    svg_text(&s, 1, 2, NULL, "#D55E00",
             "tab\there\x01 bad\xff\xfe ok \xC3\xA9\xE2\x80\x93");
    svg_vtext(&s, 10, 25.5, "rg-mid", "up");
    CHECK(svg_text(&s, NAN, 2, NULL, NULL, "never") == -1);
    CHECK(s.skipped == 1);
    CHECK(svg_end(&s) == 0);
    const char *out = buf_cstr(&b);
    CHECK_STR(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rg-plot\" width=\"100\" "
        "height=\"50\" viewBox=\"0 0 100 50\" role=\"img\" aria-label=\"A &amp; B\">\n"
        "<text class=\"rg-end\" x=\"1\" y=\"2\">a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        "</text>\n"
        "<text x=\"1\" y=\"2\" fill=\"#D55E00\">tab here  bad\xEF\xBF\xBD\xEF\xBF\xBD ok "
        "\xC3\xA9\xE2\x80\x93</text>\n"
        "<text class=\"rg-mid\" transform=\"translate(10 25.5) rotate(-90)\">up</text>\n"
        "</svg>\n");
    check_svg("text", out);
    buf_free(&b);
    CHECK(svg_text_width("abc", 10) == 18);
    CHECK(svg_text_width("\xC3\xA9\xE2\x80\x93", 10) == 12); /* code points, not bytes */
}

static void test_svg_elements(void)
{
    rg_buf b = {0};
    rg_svg s;
    svg_begin(&s, &b, 200, 100.5, NULL, NULL);
    svg_clip_rect(&s, "rg-clip-1", 10, 10, 180, 80);
    svg_group_begin(&s, "rg-data", "rg-clip-1");
    CHECK(svg_line(&s, 0, 0.333, 10, -0.001, "rg-axis", NULL) == 0);
    CHECK(svg_line(&s, 0, NAN, 10, 1, "rg-axis", NULL) == -1);
    CHECK(svg_rect(&s, 1, 2, 3, 4, "rg-pt", "#000000") == 0);
    CHECK(svg_rect(&s, 1, 2, INFINITY, 4, NULL, NULL) == -1);
    CHECK(svg_circle(&s, 5, 5, 2.5, NULL, "#0072B2") == 0);
    CHECK(svg_circle(&s, 5, 5, NAN, NULL, NULL) == -1);
    svg_group_end(&s);
    /* a non-finite point breaks a line into pieces */
    double x[] = {0, 1, 2, 3, 4}, y[] = {0, 1, NAN, 3, 4};
    CHECK(svg_polyline(&s, x, y, 5, "rg-line", "#009E73") == 0);
    double nx[] = {NAN}, ny[] = {1};
    CHECK(svg_polyline(&s, nx, ny, 1, "rg-line", NULL) == -1); /* nothing drawable */
    /* steps; h and v without a current point wait for the next move */
    svg_path_move(&s, 0, 1);
    svg_path_h(&s, 2);
    svg_path_v(&s, NAN);
    svg_path_h(&s, 3);
    svg_path_move(&s, 4, 5);
    svg_path_v(&s, 6.25);
    svg_path_close(&s);
    svg_path_h(&s, 7);
    CHECK(svg_path_end(&s, "rg-band", NULL, "#CC79A7") == 0);
    CHECK(svg_path_end(&s, "rg-band", NULL, NULL) == -1); /* empty: nothing written */
    CHECK(s.skipped == 8);
    CHECK(svg_end(&s) == 0);
    const char *out = buf_cstr(&b);
    CHECK_STR(out,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100.5\" "
              "viewBox=\"0 0 200 100.5\" role=\"img\">\n"
              "<clipPath id=\"rg-clip-1\"><rect x=\"10\" y=\"10\" width=\"180\" "
              "height=\"80\"/></clipPath>\n"
              "<g class=\"rg-data\" clip-path=\"url(#rg-clip-1)\">\n"
              "<line class=\"rg-axis\" x1=\"0\" y1=\"0.3\" x2=\"10\" y2=\"0\"/>\n"
              "<rect class=\"rg-pt\" x=\"1\" y=\"2\" width=\"3\" height=\"4\" "
              "fill=\"#000000\"/>\n"
              "<circle cx=\"5\" cy=\"5\" r=\"2.5\" fill=\"#0072B2\"/>\n"
              "</g>\n"
              "<path class=\"rg-line\" d=\"M0 0L1 1M3 3L4 4\" stroke=\"#009E73\" "
              "fill=\"none\"/>\n"
              "<path class=\"rg-band\" d=\"M0 1H2M4 5V6.2Z\" fill=\"#CC79A7\"/>\n"
              "</svg>\n");
    check_svg("elements", out);
    buf_free(&b);
}

static void test_svg_palette(void)
{
    CHECK_STR(svg_color(0), "#0072B2");
    CHECK_STR(svg_color(1), "#D55E00");
    CHECK_STR(svg_color(7), "#000000");
    CHECK_STR(svg_color(8), "#0072B2"); /* cycles */
    for (size_t i = 0; i < RG_SVG_NCOLORS; i++)
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(svg_color(i), svg_color(j)) != 0);
}

/* The well-formedness checker itself must fail on broken documents. */
static void test_xml_checker(void)
{
    CHECK(xml_check("<svg a=\"1\"><g><text>x &amp; y</text></g></svg>\n") == NULL);
    CHECK(xml_check("<svg><g></svg>") != NULL);
    CHECK(xml_check("<svg></g></svg>") != NULL);
    CHECK(xml_check("<svg a=1/>") != NULL);
    CHECK(xml_check("<svg a=\"1\" a=\"2\"/>") != NULL);
    CHECK(xml_check("<svg a=\"1\"b=\"2\"/>") != NULL);
    CHECK(xml_check("<svg><text>a < b</text></svg>") != NULL);
    CHECK(xml_check("<svg><text>a & b</text></svg>") != NULL);
    CHECK(xml_check("<svg t=\"a & b\"/>") != NULL);
    CHECK(xml_check("<svg/><svg/>") != NULL);
    CHECK(xml_check("x<svg/>") != NULL);
    CHECK(xml_check("<svg x=\"1e5\"/>") != NULL);
    CHECK(xml_check("<svg width=\"-\"/>") != NULL);
    CHECK(xml_check("<svg d=\"M1 2Q3\"/>") != NULL);
    CHECK(xml_check("<svg>\x01</svg>") != NULL);
    CHECK(xml_check("<svg") != NULL);
}

/* ---- figures ------------------------------------------------------------- */

/* R's aml data (survival package: Miller 1981), maintained chemotherapy or
 * not: weeks to relapse, 1 relapse, 0 censored. */
static const double aml_time[2][12] = {{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161},
                                       {5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45}};
static const int aml_status[2][12] = {{1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0},
                                      {1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}};
static const size_t aml_n[2] = {11, 12};

static void curve_of(const rg_km *k, const char *label, rg_plot_curve *c)
{
    memset(c, 0, sizeof *c);
    c->label = label;
    c->m = k->m;
    c->time = k->time;
    c->n_risk = k->n_risk;
    c->n_censor = k->n_censor;
    c->surv = k->surv;
    c->lower = k->lower;
    c->upper = k->upper;
}

void golden(const char *file, const char *got)
{
    char path[128];
    snprintf(path, sizeof path, GOLDEN_DIR "%s", file);
    if (getenv("RGLIT_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        CHECK(f && fwrite(got, 1, strlen(got), f) == strlen(got));
        if (f)
            fclose(f);
        fprintf(stderr, "updated %s\n", path);
        return;
    }
    size_t len;
    char *want = unit_read_file(path, &len);
    if (!want || len != strlen(got) || memcmp(want, got, len) != 0) {
        fprintf(stderr,
                "%s differs from the golden file (%zu bytes, golden %zu); review, "
                "then make golden\n",
                path, strlen(got), want ? len : 0);
        unit_failures++;
    }
    free(want);
}

static void test_golden_km(void)
{
    rg_km k[2];
    memset(k, 0, sizeof k);
    rg_plot_curve c[2];
    const char *labels2[2] = {"Maintained", "Nonmaintained"};
    double t[23];
    int st[23];
    size_t g[23], n = 0;
    for (size_t a = 0; a < 2; a++) {
        CHECK(km_fit(aml_time[a], aml_status[a], aml_n[a], RG_KM_LOG, 0.95, &k[a]) == 0);
        curve_of(&k[a], labels2[a], &c[a]);
        for (size_t i = 0; i < aml_n[a]; i++, n++) {
            t[n] = aml_time[a][i];
            st[n] = aml_status[a][i];
            g[n] = a;
        }
    }
    rg_logrank lr;
    memset(&lr, 0, sizeof lr);
    CHECK(logrank(t, st, g, 2, NULL, n, &lr) == 0);
    CHECK_NEAR(lr.p, 0.065344, 1e-4); /* R: survdiff(Surv(time, status) ~ x, aml) */
    rg_plot_km o = {.curves = c,
                    .ncurves = 2,
                    .title = "Acute myelogenous leukaemia",
                    .xlab = "Weeks",
                    .width = 640,
                    .height = 420,
                    .xmax = NAN,
                    .conf_band = 1,
                    .risk_table = 1,
                    .censor_marks = 1,
                    .p = lr.p,
                    .p_label = "Log-rank"};
    rg_buf b = {0};
    double h = 0;
    CHECK(plot_km(&b, &o, &h) == 0);
    CHECK(h == 420);
    const char *svg = buf_cstr(&b);
    check_svg("golden km", svg);
    CHECK(strstr(svg, ">Log-rank p = 0.065</text>") != NULL);
    CHECK(strstr(svg, ">Number at risk</text>") != NULL);
    CHECK(strstr(svg, "class=\"rg-band\"") != NULL);
    CHECK(strstr(svg, "class=\"rg-cens\"") != NULL);
    golden("km.svg", svg);
    buf_free(&b);
    for (size_t a = 0; a < 2; a++)
        km_free(&k[a]);
    logrank_free(&lr);
}

static const rg_plot_forest_row forest_rows[] = {
    {"Age (per year)", 1.0172, 0.9989, 1.0358, 0.065},
    {"Sex: female", 0.5986, 0.4311, 0.8311, 0.0021},
    {"ECOG 2 & 3 vs <2", 2.1093, 1.4602, 3.0469, 0.000067},
    {"Weight loss", NAN, NAN, NAN, NAN},
    {"Stage IV", 1.52, 1.10, 2.09, 0.0107}};

static void test_golden_forest(void)
{
    rg_plot_forest o = {
        .rows = forest_rows, .nrows = 5, .title = "Cox model", .width = 640, .conf = 0.95};
    rg_buf b = {0};
    double h = 0;
    CHECK(plot_forest(&b, &o, &h) == 0);
    CHECK(h > 5 * 24);
    const char *svg = buf_cstr(&b);
    check_svg("golden forest", svg);
    CHECK(strstr(svg, ">1.52 (1.10\xE2\x80\x93"
                      "2.09)</text>") != NULL);
    CHECK(strstr(svg, ">0.60 (0.43\xE2\x80\x93"
                      "0.83)</text>") != NULL);
    CHECK(strstr(svg, ">&lt; 0.0001</text>") != NULL);
    CHECK(strstr(svg, ">ECOG 2 &amp; 3 vs &lt;2</text>") != NULL);
    CHECK(strstr(svg, "class=\"rg-na\" x=\"") != NULL);
    CHECK(strstr(svg, ">not estimable</text>") != NULL);
    CHECK(strstr(svg, ">HR (95% CI)</text>") != NULL);
    CHECK(strstr(svg, ">Hazard ratio (95% CI)</text>") != NULL);
    /* four squares: the not-estimable row has no marks */
    size_t squares = 0;
    for (const char *p = svg; (p = strstr(p, "class=\"rg-pt\"")); p++)
        squares++;
    CHECK(squares == 4);
    golden("forest.svg", svg);
    buf_free(&b);
}

/* Odd inputs draw well-formed SVG without NaN: non-finite values, empty
 * curves, hostile labels, sizes too small for the layout. */
static void test_km_odd(void)
{
    double time[] = {0, 1, 2, INFINITY}, risk[] = {5, 4, 3, 1}, cens[] = {1, 0, 2, 1},
           surv[] = {1, 0.5, NAN, 0.25}, lo[] = {NAN, NAN, NAN, NAN},
           up[] = {NAN, 2, -1, NAN}, brk[] = {-1, 0, 1.5, NAN, 99};
    rg_plot_curve c[3] = {{"<b> & \x01\xff", 4, time, risk, cens, surv, lo, up},
                          {"", 0, NULL, NULL, NULL, NULL, NULL, NULL},
                          {"x", 3, time, risk, NULL, surv, NULL, NULL}};
    rg_plot_km o = {.curves = c,
                    .ncurves = 3,
                    .width = 150,
                    .height = 100,
                    .xmax = NAN,
                    .conf_band = 1,
                    .risk_table = 1,
                    .censor_marks = 1,
                    .p = 0.00001,
                    .p_label = "Log-rank"};
    rg_buf b = {0};
    double h = 0;
    CHECK(plot_km(&b, &o, &h) == 0);
    CHECK(h > 100); /* grown: the risk table leaves the curves 60 pixels */
    check_svg("km odd", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">Log-rank p &lt; 0.0001</text>") != NULL);
    buf_free(&b);
    /* breaks, an xmax before the first event, no table, no marks, p without a name */
    o.breaks = brk;
    o.nbreaks = 5;
    o.xmax = 0.5;
    o.risk_table = 0;
    o.p = 0.5;
    o.p_label = NULL;
    o.title = "t";
    CHECK(plot_km(&b, &o, &h) == 0 && h > 100);
    check_svg("km odd breaks", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">p = 0.5</text>") != NULL);
    buf_free(&b);
}

static void test_forest_odd(void)
{
    rg_plot_forest_row rows[] = {{"a", NAN, 1, 2, 0.5},      {"b", 0, 0.5, 2, NAN},
                                 {"c", 1, -1, 2, INFINITY},  {"d", 1e-30, 1e-31, 1e-29, 0},
                                 {"e", 1e30, 1e29, 1e31, 1}, {"<&>", 1, 1, 1, 0.2}};
    rg_plot_forest o = {.rows = rows, .nrows = 6, .width = 150, .conf = 0.9, .xlab = "HR"};
    rg_buf b = {0};
    CHECK(plot_forest(&b, &o, NULL) == 0);
    check_svg("forest odd", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">HR (90% CI)</text>") != NULL);
    CHECK(strstr(buf_cstr(&b), ">1e-30 (1e-31\xE2\x80\x93"
                               "1e-29)</text>") != NULL);
    buf_free(&b);
    o.nrows = 0; /* no rows: an axis around 1 */
    CHECK(plot_forest(&b, &o, NULL) == 0);
    check_svg("forest empty", buf_cstr(&b));
    buf_free(&b);
    o.rows = rows;
    o.nrows = 3; /* nothing estimable */
    CHECK(plot_forest(&b, &o, NULL) == 0);
    check_svg("forest none", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), "rg-pt") == NULL);
    buf_free(&b);
}

/* A scatter plot of a marker against a feature: two groups, the OLS line
 * with r and p, the three most outlying points labelled. */
static void test_golden_scatter(void)
{
    double x[40], y[40];
    const char *grp[40], *lab[40];
    static char names[40][16];
    for (int i = 0; i < 40; i++) {
        x[i] = i / 4.0;
        y[i] = 1.5 * x[i] + 2 * sin(i * 1.7);
        grp[i] = i % 3 ? "low grade" : "high grade";
        snprintf(names[i], sizeof names[i], "P%02d", i + 1);
        lab[i] = names[i];
    }
    y[7] = 25; /* an outlier */
    x[8] = NAN; /* left out */
    rg_plot_scatter o = {.n = 40, .x = x, .y = y, .group = grp, .labels = lab, .nlabel = 3,
                         .ols = 1, .title = "Marker against feature",
                         .xlab = "original_glcm_Contrast", .ylab = "miR-1246 (log2)",
                         .width = 560, .height = 420};
    rg_buf b = {0};
    CHECK(plot_scatter(&b, &o) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("golden scatter", svg);
    CHECK(strstr(svg, ">P08</text>") != NULL); /* the outlier is labelled */
    CHECK(strstr(svg, "class=\"rg-fit\"") != NULL);
    CHECK(strstr(svg, ">r = 0.") != NULL && strstr(svg, ", n = 39</text>") != NULL);
    CHECK(strstr(svg, ">high grade</text>") != NULL && strstr(svg, ">low grade</text>") != NULL);
    size_t dots = 0;
    for (const char *p = svg; (p = strstr(p, "<circle class=\"rg-dot\"")); p++)
        dots++;
    CHECK(dots == 39 + 2); /* the points and the two legend keys */
    golden("scatter.svg", svg);
    buf_free(&b);
}

/* Odd inputs: no points, one point, all NaN, constant values, log axes with
 * values <= 0, hostile labels, a tiny size. */
static void test_scatter_odd(void)
{
    double x[] = {1, 1, 1, NAN, INFINITY, -2}, y[] = {0, -1, 3, 2, 1, NAN};
    const char *lab[] = {"<&>", "\xff\xfe", "", "a", "b", "c"};
    rg_plot_scatter o = {.x = x, .y = y, .labels = lab, .nlabel = 6, .ols = 1,
                         .width = 150, .height = 150, .title = "\x01odd"};
    rg_buf b = {0};
    for (size_t n = 0; n <= 6; n++) {
        o.n = n;
        CHECK(plot_scatter(&b, &o) == 0);
        check_svg("scatter odd", buf_cstr(&b));
        buf_free(&b);
    }
    o.ols = 0;
    o.logx = o.logy = 1;
    CHECK(plot_scatter(&b, &o) == 0);
    check_svg("scatter log odd", buf_cstr(&b));
    buf_free(&b);
}

const unit_test svg_tests[] = {{"svg_num", test_svg_num},
                               {"svg_plot_fmt_p", test_plot_fmt_p},
                               {"svg_ticks_linear", test_ticks_linear},
                               {"svg_ticks_degenerate", test_ticks_degenerate},
                               {"svg_ticks_log", test_ticks_log},
                               {"svg_text", test_svg_text},
                               {"svg_elements", test_svg_elements},
                               {"svg_palette", test_svg_palette},
                               {"svg_xml_checker", test_xml_checker},
                               {"svg_golden_km", test_golden_km},
                               {"svg_golden_forest", test_golden_forest},
                               {"svg_km_odd", test_km_odd},
                               {"svg_forest_odd", test_forest_odd},
                               {"svg_golden_scatter", test_golden_scatter},
                               {"svg_scatter_odd", test_scatter_odd},
                               {NULL, NULL}};
