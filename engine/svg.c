/* engine/svg.c — the SVG canvas, axis ticks and palette (svg.h). */
#include "svg.h"

#include <math.h>
#include <string.h>

#include "fmt.h"

int svg_num(rg_buf *b, double x)
{
    if (!isfinite(x))
        return -1;
    /* a pixel is 1: hundredths are finer than any screen, and fewer digits
     * keep figures small and their bytes stable */
    fmt_fixed(b, x, 2, 1);
    return 0;
}

/* ---- text ---------------------------------------------------------------- */

/* Append s[0..n) (valid UTF-8) escaped for XML, control characters as
 * spaces: XML 1.0 allows no C0 control but tab, CR and LF, and a label is
 * one line. */
static void put_clean(rg_buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20) {
            buf_put_html(b, s + start, i - start);
            buf_putc(b, ' ');
            start = i + 1;
        }
    buf_put_html(b, s + start, n - start);
}

static void put_text(rg_buf *b, const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        size_t bad = n - i;
        if (utf8_valid(s + i, n - i, &bad))
            bad = n - i;
        put_clean(b, s + i, bad);
        i += bad;
        if (i < n) { /* one bad byte; what follows may be valid again */
            buf_puts(b, "\xEF\xBF\xBD");
            i++;
        }
    }
}

double svg_text_width(const char *text, double size)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        chars += (*p & 0xC0) != 0x80; /* code points, not bytes */
    return 0.6 * size * (double)chars;
}

/* ---- attributes ---------------------------------------------------------- */

static void attr_str(rg_buf *b, const char *name, const char *v)
{
    if (!v)
        return;
    buf_printf(b, " %s=\"", name);
    buf_puts_html(b, v);
    buf_putc(b, '"');
}

/* The caller has checked that v is finite. */
static void attr_num(rg_buf *b, const char *name, double v)
{
    buf_printf(b, " %s=\"", name);
    svg_num(b, v);
    buf_putc(b, '"');
}

static int finite4(double a, double b, double c, double d)
{
    return isfinite(a) && isfinite(b) && isfinite(c) && isfinite(d);
}

/* ---- document and groups ------------------------------------------------- */

void svg_begin(rg_svg *s, rg_buf *b, double width, double height, const char *cls,
               const char *label)
{
    memset(s, 0, sizeof *s);
    s->b = b;
    if (!isfinite(width) || !isfinite(height)) {
        s->skipped++;
        width = isfinite(width) ? width : 0;
        height = isfinite(height) ? height : 0;
    }
    buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    attr_str(b, "class", cls);
    attr_num(b, "width", width);
    attr_num(b, "height", height);
    buf_puts(b, " viewBox=\"0 0 ");
    svg_num(b, width);
    buf_putc(b, ' ');
    svg_num(b, height);
    buf_puts(b, "\" role=\"img\"");
    if (label) {
        buf_puts(b, " aria-label=\"");
        put_text(b, label);
        buf_putc(b, '"');
    }
    buf_puts(b, ">\n");
}

int svg_end(rg_svg *s)
{
    buf_puts(s->b, "</svg>\n");
    int failed = s->b->failed || s->d.failed;
    buf_free(&s->d);
    return failed ? -1 : 0;
}

void svg_group_begin(rg_svg *s, const char *cls, const char *clip_id)
{
    buf_puts(s->b, "<g");
    attr_str(s->b, "class", cls);
    if (clip_id) {
        buf_puts(s->b, " clip-path=\"url(#");
        buf_puts_html(s->b, clip_id);
        buf_puts(s->b, ")\"");
    }
    buf_puts(s->b, ">\n");
}

void svg_group_end(rg_svg *s) { buf_puts(s->b, "</g>\n"); }

void svg_clip_rect(rg_svg *s, const char *id, double x, double y, double w, double h)
{
    if (!finite4(x, y, w, h)) {
        s->skipped++;
        x = y = w = h = 0; /* the id must exist: groups refer to it */
    }
    buf_puts(s->b, "<clipPath");
    attr_str(s->b, "id", id);
    buf_puts(s->b, "><rect");
    attr_num(s->b, "x", x);
    attr_num(s->b, "y", y);
    attr_num(s->b, "width", w);
    attr_num(s->b, "height", h);
    buf_puts(s->b, "/></clipPath>\n");
}

/* ---- elements ------------------------------------------------------------ */

int svg_line(rg_svg *s, double x1, double y1, double x2, double y2, const char *cls,
             const char *stroke)
{
    if (!finite4(x1, y1, x2, y2)) {
        s->skipped++;
        return -1;
    }
    buf_puts(s->b, "<line");
    attr_str(s->b, "class", cls);
    attr_num(s->b, "x1", x1);
    attr_num(s->b, "y1", y1);
    attr_num(s->b, "x2", x2);
    attr_num(s->b, "y2", y2);
    attr_str(s->b, "stroke", stroke);
    buf_puts(s->b, "/>\n");
    return 0;
}

int svg_rect(rg_svg *s, double x, double y, double w, double h, const char *cls,
             const char *fill)
{
    if (!finite4(x, y, w, h)) {
        s->skipped++;
        return -1;
    }
    buf_puts(s->b, "<rect");
    attr_str(s->b, "class", cls);
    attr_num(s->b, "x", x);
    attr_num(s->b, "y", y);
    attr_num(s->b, "width", w);
    attr_num(s->b, "height", h);
    attr_str(s->b, "fill", fill);
    buf_puts(s->b, "/>\n");
    return 0;
}

int svg_circle(rg_svg *s, double cx, double cy, double r, const char *cls, const char *fill)
{
    if (!finite4(cx, cy, r, 0)) {
        s->skipped++;
        return -1;
    }
    buf_puts(s->b, "<circle");
    attr_str(s->b, "class", cls);
    attr_num(s->b, "cx", cx);
    attr_num(s->b, "cy", cy);
    attr_num(s->b, "r", r);
    attr_str(s->b, "fill", fill);
    buf_puts(s->b, "/>\n");
    return 0;
}

int svg_text(rg_svg *s, double x, double y, const char *cls, const char *fill,
             const char *text)
{
    if (!finite4(x, y, 0, 0)) {
        s->skipped++;
        return -1;
    }
    buf_puts(s->b, "<text");
    attr_str(s->b, "class", cls);
    attr_num(s->b, "x", x);
    attr_num(s->b, "y", y);
    attr_str(s->b, "fill", fill);
    buf_putc(s->b, '>');
    put_text(s->b, text);
    buf_puts(s->b, "</text>\n");
    return 0;
}

int svg_vtext(rg_svg *s, double x, double y, const char *cls, const char *text)
{
    if (!finite4(x, y, 0, 0)) {
        s->skipped++;
        return -1;
    }
    buf_puts(s->b, "<text");
    attr_str(s->b, "class", cls);
    buf_puts(s->b, " transform=\"translate(");
    svg_num(s->b, x);
    buf_putc(s->b, ' ');
    svg_num(s->b, y);
    buf_puts(s->b, ") rotate(-90)\">");
    put_text(s->b, text);
    buf_puts(s->b, "</text>\n");
    return 0;
}

/* ---- paths --------------------------------------------------------------- */

static void path_point(rg_svg *s, char cmd, double x, double y)
{
    buf_putc(&s->d, cmd);
    svg_num(&s->d, x);
    buf_putc(&s->d, ' ');
    svg_num(&s->d, y);
    s->pen = 1;
}

void svg_path_move(rg_svg *s, double x, double y)
{
    if (!isfinite(x) || !isfinite(y)) {
        s->skipped++;
        s->pen = 0;
        return;
    }
    path_point(s, 'M', x, y);
}

void svg_path_line(rg_svg *s, double x, double y)
{
    if (!isfinite(x) || !isfinite(y)) {
        s->skipped++;
        s->pen = 0;
        return;
    }
    path_point(s, s->pen ? 'L' : 'M', x, y);
}

static void path_hv(rg_svg *s, char cmd, double v)
{
    if (!isfinite(v) || !s->pen) {
        s->skipped++;
        s->pen = s->pen && isfinite(v);
        return;
    }
    buf_putc(&s->d, cmd);
    svg_num(&s->d, v);
}

void svg_path_h(rg_svg *s, double x) { path_hv(s, 'H', x); }

void svg_path_v(rg_svg *s, double y) { path_hv(s, 'V', y); }

void svg_path_close(rg_svg *s)
{
    if (s->pen)
        buf_putc(&s->d, 'Z');
    s->pen = 0;
}

int svg_path_end(rg_svg *s, const char *cls, const char *stroke, const char *fill)
{
    int drawn = s->d.len > 0;
    if (s->d.failed)
        s->b->failed = 1;
    if (drawn && !s->d.failed) {
        buf_puts(s->b, "<path");
        attr_str(s->b, "class", cls);
        buf_puts(s->b, " d=\"");
        buf_put(s->b, s->d.data, s->d.len);
        buf_putc(s->b, '"');
        attr_str(s->b, "stroke", stroke);
        attr_str(s->b, "fill", fill);
        buf_puts(s->b, "/>\n");
    }
    s->d.len = 0;
    s->pen = 0;
    return drawn ? 0 : -1;
}

int svg_polyline(rg_svg *s, const double *x, const double *y, size_t n, const char *cls,
                 const char *stroke)
{
    for (size_t i = 0; i < n; i++)
        svg_path_line(s, x[i], y[i]);
    return svg_path_end(s, cls, stroke, "none");
}

/* ---- ticks --------------------------------------------------------------- */

/* m x 10^e, exact where it can be: 3 / 10 is 0.3, 3 * 0.1 is not */
static double scaled(double m, int e) { return e >= 0 ? m * pow(10, e) : m / pow(10, -e); }

#define TICK_EPS 1e-9 /* values this close (relatively) to a tick count as on it */

int svg_ticks(double lo, double hi, int target, int extend, rg_ticks *t)
{
    memset(t, 0, sizeof *t);
    if (!isfinite(lo) || !isfinite(hi) || !isfinite(hi - lo))
        return -1;
    if (lo > hi) {
        double tmp = lo;
        lo = hi;
        hi = tmp;
    }
    if (target < 1)
        target = 1;
    if (target > 20)
        target = 20;
    double mag = fmax(fabs(lo), fabs(hi));
    /* a range narrower than this has no ticks with readable labels */
    if (!(hi - lo > mag * TICK_EPS) || hi - lo < 1e-290) {
        double c = lo / 2 + hi / 2, d = fabs(c) >= 1e-290 ? fabs(c) * 0.1 : 1;
        lo = c - d;
        hi = c + d;
    }
    double raw = (hi - lo) / target;
    int e = (int)floor(log10(raw));
    double f = raw / scaled(1, e);
    int m;
    if (f <= 1 + TICK_EPS) {
        m = 1;
    } else if (f <= 2 + TICK_EPS) {
        m = 2;
    } else if (f <= 5 + TICK_EPS) {
        m = 5;
    } else {
        m = 1;
        e++;
    }
    double step = scaled(m, e);
    double k0 = ceil(lo / step - TICK_EPS), k1 = floor(hi / step + TICK_EPS);
    if (extend) {
        double elo = scaled(floor(lo / step + TICK_EPS) * m, e);
        double ehi = scaled(ceil(hi / step - TICK_EPS) * m, e);
        if (isfinite(elo) && isfinite(ehi)) {
            lo = elo;
            hi = ehi;
            k0 = floor(lo / step + 0.5);
            k1 = floor(hi / step + 0.5);
        }
    }
    t->lo = lo;
    t->hi = hi;
    t->step = step;
    for (double k = k0; k <= k1 && t->n < RG_SVG_MAX_TICKS; k++) {
        double v = scaled(k * m, e);
        t->v[t->n++] = v == 0 ? 0 : v; /* no -0 */
    }
    return 0;
}

int svg_log_ticks(double lo, double hi, int extend, rg_ticks *t)
{
    memset(t, 0, sizeof *t);
    if (!(lo > 0 && hi > 0 && isfinite(lo) && isfinite(hi)))
        return -1;
    if (lo > hi) {
        double tmp = lo;
        lo = hi;
        hi = tmp;
    }
    if (hi / lo < 1 + TICK_EPS) {
        lo /= 2;
        hi *= 2;
    }
    double decades = log10(hi) - log10(lo);
    if (decades < 0.5) { /* not even one 1-2-5 step inside: linear ticks */
        double l0 = lo;
        svg_ticks(lo, hi, 5, extend, t);
        if (t->lo <= 0) { /* widened below zero: keep the low end */
            size_t k = 0;
            for (size_t i = 0; i < t->n; i++)
                if (t->v[i] > 0)
                    t->v[k++] = t->v[i];
            t->n = k;
            t->lo = l0;
        }
        return 0;
    }
    static const int all[] = {1, 2, 5}, one[] = {1};
    const int *ms = decades < 3 ? all : one;
    int nm = decades < 3 ? 3 : 1;
    int e0 = (int)floor(log10(lo)), e1 = (int)ceil(log10(hi));
    int stride = decades > 10 ? (int)ceil((e1 - e0 + 1) / 10.0) : 1;
    double elo = 0, ehi = 0; /* the candidates at or around lo and hi */
    for (int e = e0 - stride; e <= e1 + stride; e++) {
        if (((e % stride) + stride) % stride != 0)
            continue;
        for (int j = 0; j < nm; j++) {
            double v = scaled(ms[j], e);
            if (!(v > 0 && isfinite(v)))
                continue;
            if (v <= lo * (1 + TICK_EPS))
                elo = v;
            if (v >= hi * (1 - TICK_EPS) && ehi == 0)
                ehi = v;
        }
    }
    if (extend && elo > 0 && ehi > 0) {
        lo = elo;
        hi = ehi;
    }
    t->lo = lo;
    t->hi = hi;
    for (int e = e0 - stride; e <= e1 + stride; e++) {
        if (((e % stride) + stride) % stride != 0)
            continue;
        for (int j = 0; j < nm; j++) {
            double v = scaled(ms[j], e);
            if (v >= lo * (1 - TICK_EPS) && v <= hi * (1 + TICK_EPS) && v > 0 &&
                isfinite(v) && t->n < RG_SVG_MAX_TICKS)
                t->v[t->n++] = v;
        }
    }
    return 0;
}

/* The decimals that write x, a value of 1, 2 or 5 x 10^k, exactly. */
static int decimals_of(double x)
{
    if (!(x > 0))
        return 0;
    int e = (int)floor(log10(x) + TICK_EPS);
    return e < 0 ? -e : 0;
}

void svg_tick_label(rg_buf *b, const rg_ticks *t, size_t i)
{
    double v = t->v[i];
    double step = t->step > 0 ? t->step : v; /* log ticks: each its own */
    int dec = decimals_of(step);
    if (fabs(v) >= 1e15 || (v != 0 && fabs(v) < 1e-4) || dec > 12) {
        /* where fmt_num goes scientific, with the digits the step needs */
        int digits =
            (int)floor(log10(fabs(v)) + TICK_EPS) - (int)floor(log10(step) + TICK_EPS) + 1;
        fmt_num(b, v, digits < 1 ? 1 : digits);
    } else {
        fmt_fixed(b, v, dec, 1);
    }
}

/* ---- colours ------------------------------------------------------------- */

const char *svg_color(size_t i)
{
    /* Okabe & Ito (2008), "Color Universal Design"; black last, as axes are
     * black, and yellow late, as it is faint on white */
    static const char *const okabe_ito[RG_SVG_NCOLORS] = {"#0072B2", "#D55E00", "#009E73",
                                                          "#CC79A7", "#E69F00", "#56B4E9",
                                                          "#F0E442", "#000000"};
    return okabe_ito[i % RG_SVG_NCOLORS];
}
