/* tests/unit/test_svg.c — the SVG canvas (svg.h): number formatting, nice
 * ticks, escaping, and a strict XML well-formedness check of what it
 * writes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "svg.h"
#include "unit.h"

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
                    if (!strchr("MLHVZ0123456789.- ", v[k]))
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

/* svg must be well-formed, hold no NaN or infinity in any spelling, and
 * start and end as one SVG document. */
static void check_svg(const char *what, const char *svg)
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
    CHECK_STR(num(0.25), "0.25");
    CHECK_STR(num(1.236), "1.24");
    CHECK_STR(num(-1.236), "-1.24");
    CHECK_STR(num(1.004), "1");
    /* 1.005 is stored as 1.00499999999999989...: rounded as stored */
    CHECK_STR(num(1.005), "1");
    CHECK_STR(num(2.675), "2.67"); /* 2.67499999... */
    CHECK_STR(num(1.0051), "1.01");
    CHECK_STR(num(0.125), "0.12"); /* an exact tie: to even, as printf */
    CHECK_STR(num(-0.0), "0");
    CHECK_STR(num(-0.001), "0"); /* never "-0" */
    CHECK_STR(num(-0.004999), "0");
    CHECK_STR(num(-0.005001), "-0.01");
    CHECK_STR(num(1e-12), "0");
    CHECK_STR(num(123456.789), "123456.79");
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
              "<line class=\"rg-axis\" x1=\"0\" y1=\"0.33\" x2=\"10\" y2=\"0\"/>\n"
              "<rect class=\"rg-pt\" x=\"1\" y=\"2\" width=\"3\" height=\"4\" "
              "fill=\"#000000\"/>\n"
              "<circle cx=\"5\" cy=\"5\" r=\"2.5\" fill=\"#0072B2\"/>\n"
              "</g>\n"
              "<path class=\"rg-line\" d=\"M0 0L1 1M3 3L4 4\" stroke=\"#009E73\" "
              "fill=\"none\"/>\n"
              "<path class=\"rg-band\" d=\"M0 1H2M4 5V6.25Z\" fill=\"#CC79A7\"/>\n"
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

const unit_test svg_tests[] = {{"svg_num", test_svg_num},
                               {"svg_ticks_linear", test_ticks_linear},
                               {"svg_ticks_degenerate", test_ticks_degenerate},
                               {"svg_ticks_log", test_ticks_log},
                               {"svg_text", test_svg_text},
                               {"svg_elements", test_svg_elements},
                               {"svg_palette", test_svg_palette},
                               {"svg_xml_checker", test_xml_checker},
                               {NULL, NULL}};
