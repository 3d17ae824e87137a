/* engine/svg.c — the SVG canvas, axis ticks and palette (svg.h). */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"

int svg_num(rg_buf *b, double x)
{
    if (!isfinite(x))
        return -1;
    /* a pixel is 1: tenths are finer than any screen, and fewer digits
     * keep figures small and their bytes stable */
    fmt_fixed(b, x, 1, 1);
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

/* ---- axes ---------------------------------------------------------------- */

/* v on the axis's transformed scale (positions are linear in it) */
static double axis_t(const rg_axis *a, double v)
{
    switch (a->kind) {
    case RG_AXIS_LOG:
        return v > 0 ? log10(v) : NAN;
    case RG_AXIS_NEGLOG10:
        return v > 0 ? -log10(v) : NAN;
    default:
        return v;
    }
}

/* the pixel of a transformed value */
static double pos_t(const rg_axis *a, double t)
{
    if (!isfinite(t) || !(a->b != a->a))
        return NAN;
    return a->p0 + (t - a->a) / (a->b - a->a) * (a->p1 - a->p0);
}

double svg_axis_at(const rg_axis *a, double v) { return pos_t(a, axis_t(a, v)); }

double svg_axis_band(const rg_axis *a)
{
    return a->nbands ? fabs(a->p1 - a->p0) / (double)a->nbands : 0;
}

/* tick i on the transformed scale: NEGLOG10 ticks are stored as positions */
static double tick_t(const rg_axis *a, size_t i)
{
    return a->kind == RG_AXIS_LOG ? log10(a->ticks.v[i]) : a->ticks.v[i];
}

static void tick_text(rg_buf *b, const rg_axis *a, size_t i)
{
    double v = a->ticks.v[i];
    if (a->kind == RG_AXIS_NEGLOG10) { /* v = -log10 p, a whole number */
        int k = (int)floor(v + 0.5);
        if (k <= 0)
            buf_putc(b, '1');
        else if (k <= 3)
            fmt_fixed(b, pow(10, -k), k, 1);
        else
            buf_printf(b, "1e-%d", k);
    } else if (a->at) {
        fmt_num(b, v, 6);
    } else {
        svg_tick_label(b, &a->ticks, i);
    }
}

/* The widest tick label of a, in pixels at the tick font. */
static double widest_tick(const rg_axis *a)
{
    rg_buf b = {0};
    double w = 0;
    if (a->kind == RG_AXIS_BAND) {
        for (size_t i = 0; i < a->nbands; i++)
            w = fmax(w, svg_text_width(a->bands[i] ? a->bands[i] : "", RG_SVG_SMALL));
        return w;
    }
    for (size_t i = 0; i < a->ticks.n; i++) {
        b.len = 0;
        tick_text(&b, a, i);
        w = fmax(w, svg_text_width(buf_cstr(&b) ? b.data : "", RG_SVG_SMALL));
    }
    buf_free(&b);
    return w;
}

/* Do the tick labels of a fit along len pixels without touching? */
static int ticks_fit(const rg_axis *a, double len, int horizontal)
{
    if (a->ticks.n < 2 || !(a->b != a->a))
        return 1;
    rg_buf b = {0};
    double prev_pos = 0, prev_w = 0;
    int ok = 1;
    for (size_t i = 0; i < a->ticks.n && ok; i++) {
        double pos = (tick_t(a, i) - a->a) / (a->b - a->a) * len, w = RG_SVG_SMALL + 3;
        if (horizontal) {
            b.len = 0;
            tick_text(&b, a, i);
            w = svg_text_width(buf_cstr(&b) ? b.data : "", RG_SVG_SMALL) + 8;
        }
        if (i > 0 && fabs(pos - prev_pos) < (horizontal ? (w + prev_w) / 2 : w))
            ok = 0;
        prev_pos = pos;
        prev_w = w;
    }
    buf_free(&b);
    return ok;
}

/* Keep every stride-th decade of log ticks (the 2s and 5s go first). */
static void thin_log(rg_ticks *t, int stride)
{
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        double e = log10(t->v[i]);
        double r = floor(e + 0.5);
        if (fabs(e - r) > 1e-9)
            continue; /* not a decade */
        long ri = (long)r;
        if (((ri % stride) + stride) % stride == 0)
            t->v[k++] = t->v[i];
    }
    if (k == 0 && t->n) { /* keep the ends */
        t->v[1] = t->v[t->n - 1];
        k = t->n > 1 ? 2 : 1;
    }
    t->n = k;
}

/* Ticks for a numeric axis along len pixels whose labels do not overlap:
 * from about one per 80 (horizontal) or 45 (vertical) pixels down to 2. */
static void axis_ticks(rg_axis *a, double len, int horizontal)
{
    double lo = a->lo, hi = a->hi;
    if (a->kind == RG_AXIS_LOG && !(lo > 0 && hi > 0 && isfinite(lo) && isfinite(hi))) {
        lo = 1;
        hi = 10;
    }
    if (a->kind == RG_AXIS_NEGLOG10) {
        double t0 = lo > 0 && lo <= 1 ? -log10(lo) : 0, t1 = hi > 0 ? -log10(hi) : 1;
        if (!isfinite(t1) || !(t1 > t0))
            t1 = t0 + 1;
        lo = floor(t0);
        hi = ceil(t1);
    }
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    int target = (int)(len / (horizontal ? 80 : 45));
    target = target < 2 ? 2 : target > 10 ? 10 : target;
    for (;; target--) {
        rg_ticks *t = &a->ticks;
        if (a->kind == RG_AXIS_LINEAR && a->at) {
            memset(t, 0, sizeof *t);
            t->lo = lo;
            t->hi = hi;
            for (size_t i = 0; i < a->nat && t->n < RG_SVG_MAX_TICKS; i++)
                if (isfinite(a->at[i]))
                    t->v[t->n++] = a->at[i];
            a->a = lo;
            a->b = hi;
            return;
        }
        if (a->kind == RG_AXIS_LOG) {
            svg_log_ticks(lo, hi, a->extend, t);
            a->a = log10(t->lo);
            a->b = log10(t->hi);
            for (int stride = 1; !ticks_fit(a, len, horizontal) && stride < 64; stride++) {
                svg_log_ticks(lo, hi, a->extend, t);
                thin_log(t, stride);
            }
            return;
        }
        svg_ticks(lo, hi, target, a->kind == RG_AXIS_NEGLOG10 || a->extend, t);
        if (a->kind == RG_AXIS_NEGLOG10 && t->step < 1) { /* whole decades only */
            memset(t, 0, sizeof *t);
            t->lo = lo;
            t->hi = hi;
            t->step = 1;
            for (double k = lo; k <= hi && t->n < RG_SVG_MAX_TICKS; k++)
                t->v[t->n++] = k;
        }
        a->a = t->lo;
        a->b = t->hi;
        if (target <= 2 || ticks_fit(a, len, horizontal))
            return;
    }
}

/* Band labels: every k-th, so that they do not touch; x labels turn
 * vertical when the widest does not fit its band. */
static void axis_bands(rg_axis *a, double len, int horizontal, double max_room)
{
    a->a = 0.5;
    a->b = (double)a->nbands + 0.5;
    memset(&a->ticks, 0, sizeof a->ticks);
    double band = a->nbands ? len / (double)a->nbands : len;
    double w = fmin(widest_tick(a), max_room);
    double need = RG_SVG_SMALL + 2; /* across a label: its line */
    a->rotated = 0;
    if (horizontal && w + 6 <= band) {
        need = w + 6;
    } else if (horizontal) {
        a->rotated = 1;
    }
    size_t every = (size_t)ceil(need / fmax(band, 1e-9));
    a->every = every < 1 ? 1 : every;
    a->label_room = horizontal ? (a->rotated ? w + 4 : 14) : w;
}

/* ---- legends and texts ---------------------------------------------------- */

void svg_fit_text(rg_buf *out, const char *text, double size, double max_px)
{
    out->len = 0;
    if (!text)
        return;
    if (svg_text_width(text, size) <= max_px) {
        buf_puts(out, text);
        return;
    }
    double room = max_px / (0.6 * size) - 1; /* code points before the ellipsis */
    size_t keep = room > 0 ? (size_t)room : 0, cp = 0;
    const char *p = text;
    for (; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && cp++ == keep)
            break;
    }
    buf_put(out, text, (size_t)(p - text));
    buf_puts(out, "\xE2\x80\xA6");
}

size_t svg_legend(rg_svg *s, const rg_key *keys, size_t n, double left, double width,
                  double top)
{
    double x = 0, y = top + 12;
    size_t rows = 1;
    for (size_t g = 0; g < n; g++) {
        const char *label = keys[g].label ? keys[g].label : "";
        double w = 24 + svg_text_width(label, RG_SVG_FONT) + 16;
        if (x > 0 && x + w > width) {
            x = 0;
            y += RG_SVG_LINE_H;
            rows++;
        }
        if (s) {
            const char *c = keys[g].color;
            switch (keys[g].shape) {
            case RG_KEY_POINT:
                svg_circle(s, left + x + 9, y - 4, 4, "rg-dot", c);
                break;
            case RG_KEY_BOX:
                svg_rect(s, left + x + 3, y - 10, 12, 12, "rg-box", c);
                break;
            case RG_KEY_DASH:
                svg_line(s, left + x, y - 4, left + x + 18, y - 4, "rg-line rg-dash", c);
                break;
            default:
                svg_line(s, left + x, y - 4, left + x + 18, y - 4, "rg-line", c);
            }
            svg_text(s, left + x + 24, y, NULL, NULL, label);
        }
        x += w;
    }
    return rows;
}

void svg_clip_begin(rg_svg *s, double x, double y, double w, double h)
{
    if (!finite4(x, y, w, h) || w < 0 || h < 0) {
        s->skipped++;
        x = y = w = h = 0;
    }
    buf_puts(s->b, "<svg");
    attr_num(s->b, "x", x);
    attr_num(s->b, "y", y);
    attr_num(s->b, "width", w);
    attr_num(s->b, "height", h);
    buf_puts(s->b, " viewBox=\"");
    svg_num(s->b, x);
    buf_putc(s->b, ' ');
    svg_num(s->b, y);
    buf_putc(s->b, ' ');
    svg_num(s->b, w);
    buf_putc(s->b, ' ');
    svg_num(s->b, h);
    buf_puts(s->b, "\">\n");
}

void svg_clip_end(rg_svg *s) { buf_puts(s->b, "</svg>\n"); }

/* ---- the frame ------------------------------------------------------------ */

static void lay_axis(rg_axis *a, double len, int horizontal, double max_room)
{
    if (a->kind == RG_AXIS_BAND)
        axis_bands(a, len, horizontal, max_room);
    else {
        axis_ticks(a, len, horizontal);
        a->label_room = horizontal ? 14 : widest_tick(a);
    }
}

void svg_panel_layout(rg_panel *f)
{
    double W = f->width, H = f->height;
    double top = RG_SVG_PAD + (f->title ? RG_SVG_HEAD_H : 0);
    f->legend_top = top;
    if (f->nkeys)
        top += (double)svg_legend(NULL, f->keys, f->nkeys, 0, W - 2 * RG_SVG_PAD, top) *
                   RG_SVG_LINE_H +
               6;
    top += f->room_top;
    double xtitle = f->x.title ? RG_SVG_LINE_H + 4 : 0;
    double ytitle = f->y.title ? RG_SVG_FONT + 6 : 0;
    double right = 2 * RG_SVG_PAD + f->room_right;
    /* a first guess of the area's height for the y ticks, then the x axis
     * with the room the y labels leave, then the y axis again */
    double ph = fmax(H - top - (RG_SVG_TICK + 14 + xtitle + f->room_bottom + RG_SVG_PAD),
                     RG_SVG_MIN_PLOT);
    double pw = 0, left = 0, bottom = 0;
    for (int pass = 0; pass < 2; pass++) {
        lay_axis(&f->y, ph, 0, 0.35 * W);
        left = RG_SVG_PAD + f->room_left + ytitle + f->y.label_room + 4 + RG_SVG_TICK;
        pw = fmax(W - left - right, RG_SVG_MIN_PLOT);
        lay_axis(&f->x, pw, 1, 0.3 * H);
        bottom = RG_SVG_TICK + f->x.label_room + xtitle + f->room_bottom + RG_SVG_PAD;
        ph = H - top - bottom;
        if (ph < RG_SVG_MIN_PLOT) {
            ph = RG_SVG_MIN_PLOT;
            H = top + ph + bottom;
        }
    }
    f->height = H;
    f->left = left;
    f->top = top;
    f->pw = pw;
    f->ph = ph;
    f->x.p0 = left;
    f->x.p1 = left + pw;
    f->y.p0 = top + ph;
    f->y.p1 = top;
}

void svg_panel_begin(rg_svg *s, rg_buf *out, const rg_panel *f)
{
    svg_begin(s, out, f->width, f->height, f->cls,
              f->label ? f->label : f->title ? f->title : f->cls);
    if (f->title)
        svg_text(s, RG_SVG_PAD, RG_SVG_PAD + 14, "rg-head", NULL, f->title);
    if (f->nkeys)
        svg_legend(s, f->keys, f->nkeys, f->left, f->width - f->left - RG_SVG_PAD,
                   f->legend_top);
    if (f->grid && f->y.kind != RG_AXIS_BAND)
        for (size_t i = 0; i < f->y.ticks.n; i++) {
            svg_path_move(s, f->left, pos_t(&f->y, tick_t(&f->y, i)));
            svg_path_h(s, f->left + f->pw);
        }
    if (f->grid == 2 && f->x.kind != RG_AXIS_BAND)
        for (size_t i = 0; i < f->x.ticks.n; i++) {
            svg_path_move(s, pos_t(&f->x, tick_t(&f->x, i)), f->top);
            svg_path_v(s, f->top + f->ph);
        }
    svg_path_end(s, "rg-grid", NULL, NULL);
    svg_clip_begin(s, f->left, f->top, f->pw, f->ph);
}

/* The pixel of tick or band i of a. */
static double tick_pos(const rg_axis *a, size_t i)
{
    return a->kind == RG_AXIS_BAND ? pos_t(a, (double)i + 1) : pos_t(a, tick_t(a, i));
}

static size_t tick_count(const rg_axis *a)
{
    return a->kind == RG_AXIS_BAND ? a->nbands : a->ticks.n;
}

void svg_panel_end(rg_svg *s, const rg_panel *f)
{
    svg_clip_end(s);
    double left = f->left, top = f->top, pw = f->pw, ph = f->ph, base = top + ph;
    const rg_axis *x = &f->x, *y = &f->y;
    svg_path_move(s, left, top);
    svg_path_v(s, base);
    svg_path_h(s, left + pw);
    for (size_t i = 0; i < tick_count(y); i++)
        if (y->kind != RG_AXIS_BAND || i % y->every == 0) {
            svg_path_move(s, left, tick_pos(y, i));
            svg_path_h(s, left - RG_SVG_TICK);
        }
    for (size_t i = 0; i < tick_count(x); i++)
        if (x->kind != RG_AXIS_BAND || i % x->every == 0) {
            svg_path_move(s, tick_pos(x, i), base);
            svg_path_v(s, base + RG_SVG_TICK);
        }
    svg_path_end(s, "rg-axis", NULL, NULL);

    rg_buf t = {0};
    svg_group_begin(s, "rg-tick", NULL);
    for (size_t i = 0; i < tick_count(y); i++) {
        t.len = 0;
        if (y->kind == RG_AXIS_BAND) {
            if (i % y->every)
                continue;
            svg_fit_text(&t, y->bands[i], RG_SVG_SMALL, y->label_room);
        } else {
            tick_text(&t, y, i);
        }
        svg_text(s, left - RG_SVG_TICK - 3, tick_pos(y, i) + 4, "rg-end", NULL,
                 buf_cstr(&t) ? t.data : "");
    }
    for (size_t i = 0; i < tick_count(x); i++) {
        t.len = 0;
        if (x->kind == RG_AXIS_BAND) {
            if (i % x->every)
                continue;
            svg_fit_text(&t, x->bands[i], RG_SVG_SMALL, x->rotated ? x->label_room - 4 : 1e9);
        } else {
            tick_text(&t, x, i);
        }
        if (x->rotated)
            svg_vtext(s, tick_pos(x, i) + 4, base + RG_SVG_TICK + 3, "rg-end",
                      buf_cstr(&t) ? t.data : "");
        else
            svg_text(s, tick_pos(x, i), base + RG_SVG_TICK + 12, "rg-mid", NULL,
                     buf_cstr(&t) ? t.data : "");
    }
    svg_group_end(s);
    if (t.failed)
        s->b->failed = 1;
    buf_free(&t);
    if (x->title)
        svg_text(s, left + pw / 2, base + RG_SVG_TICK + x->label_room + RG_SVG_LINE_H,
                 "rg-lab rg-mid", NULL, x->title);
    if (y->title)
        svg_vtext(s, RG_SVG_PAD + f->room_left + RG_SVG_FONT, top + ph / 2, "rg-lab rg-mid",
                  y->title);
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

/* Linear interpolation between n anchor colours at t in [0, 1]. */
static void ramp(const unsigned char (*anchor)[3], size_t n, double t, char out[8])
{
    if (!isfinite(t)) {
        snprintf(out, 8, "#BBBBBB");
        return;
    }
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double u = t * (double)(n - 1);
    size_t i = (size_t)u;
    if (i >= n - 1)
        i = n - 2;
    double f = u - (double)i;
    int c[3];
    for (int k = 0; k < 3; k++)
        c[k] = (int)floor(anchor[i][k] + f * (anchor[i + 1][k] - anchor[i][k]) + 0.5);
    snprintf(out, 8, "#%02X%02X%02X", c[0], c[1], c[2]);
}

void svg_diverging(double t, char out[8])
{
    /* ColorBrewer RdBu, 11 classes, from blue (-1) to red (+1) */
    static const unsigned char rdbu[11][3] = {
        {5, 48, 97},    {33, 102, 172}, {67, 147, 195}, {146, 197, 222},
        {209, 229, 240}, {247, 247, 247}, {253, 219, 199}, {244, 165, 130},
        {214, 96, 77},  {178, 24, 43},  {103, 0, 31}};
    ramp(rdbu, 11, isfinite(t) ? (t + 1) / 2 : t, out);
}

void svg_sequential(double t, char out[8])
{
    /* viridis at 0, 1/8, ..., 1 */
    static const unsigned char viridis[9][3] = {
        {68, 1, 84},    {71, 44, 122},  {59, 81, 139},   {44, 113, 142}, {33, 144, 141},
        {39, 173, 129}, {92, 200, 99},  {170, 220, 50},  {253, 231, 37}};
    ramp(viridis, 9, t, out);
}

#define BAR_STEPS 32

/* The colour bar's ticks: nice values in [lo, hi]. */
static void bar_ticks(double lo, double hi, rg_ticks *t)
{
    if (!(isfinite(lo) && isfinite(hi) && hi > lo)) {
        lo = isfinite(lo) ? lo : 0;
        hi = lo + 1;
    }
    svg_ticks(lo, hi, 4, 0, t);
}

double svg_colorbar_room(double lo, double hi, const char *title)
{
    rg_ticks t;
    bar_ticks(lo, hi, &t);
    rg_buf b = {0};
    double w = 0;
    for (size_t i = 0; i < t.n; i++) {
        b.len = 0;
        svg_tick_label(&b, &t, i);
        w = fmax(w, svg_text_width(buf_cstr(&b) ? b.data : "", RG_SVG_SMALL));
    }
    buf_free(&b);
    w += RG_SVG_TICK + 4;
    if (title)
        w = fmax(w, svg_text_width(title, RG_SVG_SMALL) - 12);
    return w;
}

void svg_colorbar(rg_svg *s, double x, double y, double w, double h, double lo, double hi,
                  int diverging, const char *title)
{
    rg_ticks t;
    bar_ticks(lo, hi, &t);
    lo = t.lo;
    hi = t.hi;
    double m = fmax(fabs(lo), fabs(hi));
    char c[8];
    if (title) {
        svg_group_begin(s, "rg-tick", NULL);
        svg_text(s, x, y - 6, NULL, NULL, title);
        svg_group_end(s);
    }
    for (int k = 0; k < BAR_STEPS; k++) { /* top is hi */
        double v = hi - (k + 0.5) / BAR_STEPS * (hi - lo);
        if (diverging)
            svg_diverging(m > 0 ? v / m : 0, c);
        else
            svg_sequential((v - lo) / (hi - lo), c);
        svg_rect(s, x, y + h * k / BAR_STEPS, w, h / BAR_STEPS + 0.3, NULL, c);
    }
    svg_rect(s, x, y, w, h, "rg-frame", NULL);
    rg_buf b = {0};
    for (size_t i = 0; i < t.n; i++) {
        double py = y + (hi - t.v[i]) / (hi - lo) * h;
        svg_path_move(s, x + w, py);
        svg_path_h(s, x + w + RG_SVG_TICK);
    }
    svg_path_end(s, "rg-axis", NULL, NULL);
    svg_group_begin(s, "rg-tick", NULL);
    for (size_t i = 0; i < t.n; i++) {
        double py = y + (hi - t.v[i]) / (hi - lo) * h;
        b.len = 0;
        svg_tick_label(&b, &t, i);
        svg_text(s, x + w + RG_SVG_TICK + 3, py + 4, NULL, NULL, buf_cstr(&b) ? b.data : "");
    }
    svg_group_end(s);
    if (b.failed)
        s->b->failed = 1;
    buf_free(&b);
}
