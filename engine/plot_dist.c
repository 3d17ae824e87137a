/* engine/plot_dist.c — figures of values by category and of distributions
 * (plot.h): bar charts, histograms with R's hist breaks, and box plots with
 * R's boxplot statistics and a two- or k-sample test. Laid out and framed
 * by the panel of svg.h; categories sit on BAND axes. Pure C. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "plot.h"
#include "stats/tests.h"
#include "svg.h"

#define BAR_PX 16.0  /* a horizontal bar's band when the height is not given */
#define AUTO_MAX 4000.0 /* the tallest figure a height from the bars makes */
#define NOTE_H 16.0  /* the line above the area for a p-value or missing values */

/* The text of a short buffer; "" when it failed (the document's buffer is
 * then marked failed by the caller). */
static const char *text_of(rg_buf *b)
{
    const char *s = buf_cstr(b);
    return s ? s : "";
}

/* A note right-aligned above the plotting area (room_top kept for it). */
static void note_above(rg_svg *s, const rg_panel *f, rg_buf *t)
{
    svg_text(s, f->left + f->pw, f->top - 6, "rg-note rg-end", NULL, text_of(t));
    if (t->failed)
        s->b->failed = 1;
}

/* Free several scratch arrays at once (NULLs are fine). */
static void free4(void *a, void *b, void *c, void *d)
{
    free(a);
    free(b);
    free(c);
    free(d);
}

/* ---- bar charts ----------------------------------------------------------- */

typedef struct {
    double v;
    size_t i;
} keyed;

/* Increasing values, NaN last, ties in input order. */
static int by_value_up(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int nx = isnan(x->v), ny = isnan(y->v);
    if (nx != ny)
        return nx - ny;
    if (!nx && x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Decreasing values, NaN last, ties in input order. */
static int by_value_down(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int nx = isnan(x->v), ny = isnan(y->v);
    if (nx != ny)
        return nx - ny;
    if (!nx && x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Is v beyond the reference r: further from 0 than r, on r's side? */
static int beyond(double v, double r) { return r >= 0 ? v > r : v < r; }

/* Widen [*lo, *hi] to hold v (when finite; > 0 on a log axis). */
static void grow(double *lo, double *hi, double v, int log)
{
    if (isfinite(v) && (!log || v > 0)) {
        *lo = fmin(*lo, v);
        *hi = fmax(*hi, v);
    }
}

/* A rectangle as a subpath between pixels (x0, y0) and (x1, y1). */
static void rect_path(rg_svg *s, double x0, double y0, double x1, double y1)
{
    svg_path_move(s, x0, y0);
    svg_path_v(s, y1);
    svg_path_h(s, x1);
    svg_path_v(s, y0);
    svg_path_close(s);
}

int plot_bar(rg_buf *out, const rg_plot_bar *o, double *height)
{
    size_t n = o->n, m = n ? n : 1;
    keyed *ord = malloc(m * sizeof *ord);
    const char **bands = malloc(m * sizeof *bands);
    size_t *first = malloc(m * sizeof *first), *which = malloc(m * sizeof *which), k = 0;
    rg_key *keys = malloc((m + 2) * sizeof *keys);
    if (!ord || !bands || !first || !which || !keys) {
        free4(ord, bands, first, which);
        free(keys);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        ord[i] = (keyed){isfinite(o->values[i]) ? o->values[i] : NAN, i};
    if (o->sort)
        qsort(ord, n, sizeof *ord, o->sort > 0 ? by_value_up : by_value_down);
    /* bar j (drawn order) sits in band j + 1, or n - j when horizontal (the
     * first on top) */
    for (size_t j = 0; j < n; j++) {
        const char *l = o->labels && o->labels[ord[j].i] ? o->labels[ord[j].i] : "";
        bands[o->horizontal ? n - 1 - j : j] = l;
    }

    /* colours: by group, by the reference, or one */
    rg_buf lab[2] = {{0}, {0}};
    size_t nkeys = 0;
    double r0 = o->nref ? o->ref[0] : NAN;
    if (o->group) {
        plot_groups(o->group, n, first, &k, which);
        for (size_t g = 0; g < k; g++)
            keys[g] = (rg_key){o->group[first[g]], svg_color(g), RG_KEY_BOX};
        nkeys = k > 1 ? k : 0;
    } else if (o->color_by_ref && isfinite(r0)) {
        buf_puts(&lab[0], r0 >= 0 ? "\xE2\x89\xA4 " : "\xE2\x89\xA5 "); /* ≤ ≥ */
        fmt_num(&lab[0], r0, 4);
        buf_puts(&lab[1], r0 >= 0 ? "> " : "< ");
        fmt_num(&lab[1], r0, 4);
        keys[0] = (rg_key){text_of(&lab[0]), svg_color(0), RG_KEY_BOX};
        keys[1] = (rg_key){text_of(&lab[1]), svg_color(1), RG_KEY_BOX};
        nkeys = 2;
    }

    /* the value axis: 0, the bars with their whiskers, the references */
    double lo = INFINITY, hi = -INFINITY;
    if (!o->log)
        lo = hi = 0;
    for (size_t i = 0; i < n; i++) {
        double v = o->values[i], e = o->err && isfinite(o->err[i]) ? fabs(o->err[i]) : 0;
        if (!isfinite(v) || (o->log && !(v > 0)))
            continue;
        grow(&lo, &hi, v, o->log);
        grow(&lo, &hi, v + e, o->log);
        grow(&lo, &hi, v - e, o->log);
    }
    for (size_t r = 0; r < o->nref; r++)
        grow(&lo, &hi, o->ref[r], o->log);
    if (!(lo < hi)) { /* nothing, or all equal */
        if (o->log) {
            lo = lo <= hi ? lo / 2 : 1;
            hi = lo <= hi ? hi * 2 : 10;
        } else {
            hi = lo == 0 && hi == 0 ? 1 : fmax(hi, 0);
            lo = fmin(lo, 0);
            if (!(lo < hi))
                hi = lo + 1;
        }
    }

    rg_panel f;
    memset(&f, 0, sizeof f);
    f.width = o->width;
    f.height = o->height > 0 ? o->height : o->horizontal ? 120 + BAR_PX * (double)n : 420;
    f.cls = "rg-plot rg-bar-chart";
    f.title = o->title;
    f.label = o->title ? o->title : "Bar chart";
    rg_axis *cat = o->horizontal ? &f.y : &f.x, *val = o->horizontal ? &f.x : &f.y;
    cat->kind = RG_AXIS_BAND;
    cat->bands = bands;
    cat->nbands = n;
    val->kind = o->log ? RG_AXIS_LOG : RG_AXIS_LINEAR;
    val->lo = lo;
    val->hi = hi;
    val->extend = 1;
    f.x.title = o->xlab;
    f.y.title = o->ylab;
    f.keys = keys;
    f.nkeys = nkeys;
    f.grid = 2;
    svg_panel_layout(&f);
    if (o->horizontal && !(o->height > 0)) { /* 16 pixels a bar */
        f.height = fmin(fmax(f.height - f.ph + BAR_PX * (double)n, 150), AUTO_MAX);
        svg_panel_layout(&f);
    }

    rg_svg s;
    svg_panel_begin(&s, out, &f);
    double band = svg_axis_band(cat), w = 0.75 * band;
    /* the baseline: 0, or the low end of a log axis */
    double base = o->log ? (o->horizontal ? f.x.p0 : f.y.p0) : svg_axis_at(val, 0);
    size_t ncol = o->group ? (k ? k : 1) : nkeys ? 2 : 1;
    for (size_t c = 0; c < ncol; c++) {
        for (size_t j = 0; j < n; j++) {
            size_t i = ord[j].i;
            double v = o->values[i];
            size_t col = o->group ? which[i] : nkeys ? (size_t)beyond(v, r0) : 0;
            if (col != c || !isfinite(v) || (o->log && !(v > 0)))
                continue;
            double mid = svg_axis_at(cat, o->horizontal ? (double)(n - j) : (double)j + 1);
            double pv = svg_axis_at(val, v);
            if (o->horizontal)
                rect_path(&s, base, mid - w / 2, pv, mid + w / 2);
            else
                rect_path(&s, mid - w / 2, base, mid + w / 2, pv);
        }
        svg_path_end(&s, "rg-bar", NULL, o->group || nkeys ? svg_color(c) : svg_color(0));
    }
    if (o->err) { /* whiskers with caps, in one path */
        double cap = fmin(w * 0.25, 5);
        for (size_t j = 0; j < n; j++) {
            size_t i = ord[j].i;
            double v = o->values[i], e = fabs(o->err[i]);
            if (!isfinite(v) || !isfinite(e) || e == 0 || (o->log && !(v > 0)))
                continue;
            double mid = svg_axis_at(cat, o->horizontal ? (double)(n - j) : (double)j + 1);
            double a = v - e > 0 || !o->log ? svg_axis_at(val, v - e) : base,
                   b = svg_axis_at(val, v + e);
            if (o->horizontal) {
                svg_path_move(&s, a, mid);
                svg_path_h(&s, b);
                svg_path_move(&s, a, mid - cap);
                svg_path_v(&s, mid + cap);
                svg_path_move(&s, b, mid - cap);
                svg_path_v(&s, mid + cap);
            } else {
                svg_path_move(&s, mid, a);
                svg_path_v(&s, b);
                svg_path_move(&s, mid - cap, a);
                svg_path_h(&s, mid + cap);
                svg_path_move(&s, mid - cap, b);
                svg_path_h(&s, mid + cap);
            }
        }
        svg_path_end(&s, "rg-err", NULL, NULL);
    }
    if (!o->log && val->a < 0) { /* the zero baseline inside the area */
        if (o->horizontal) {
            svg_path_move(&s, base, f.top);
            svg_path_v(&s, f.top + f.ph);
        } else {
            svg_path_move(&s, f.left, base);
            svg_path_h(&s, f.left + f.pw);
        }
        svg_path_end(&s, "rg-zero", NULL, NULL);
    }
    for (size_t r = 0; r < o->nref; r++) {
        double p = svg_axis_at(val, o->ref[r]);
        if (o->horizontal) {
            svg_path_move(&s, p, f.top);
            svg_path_v(&s, f.top + f.ph);
        } else {
            svg_path_move(&s, f.left, p);
            svg_path_h(&s, f.left + f.pw);
        }
    }
    svg_path_end(&s, "rg-ref", NULL, NULL);
    svg_panel_end(&s, &f);
    if (lab[0].failed || lab[1].failed)
        out->failed = 1;
    buf_free(&lab[0]);
    buf_free(&lab[1]);
    free4(ord, bands, first, which);
    free(keys);
    if (height)
        *height = f.height;
    return svg_end(&s);
}

/* ---- histograms ----------------------------------------------------------- */

double *plot_pretty(double lo, double hi, int n, int min_n, size_t *count)
{
    /* R_pretty (src/appl/pretty.c) with pretty.default's arguments:
     * shrink.sml 0.75, high.u.bias 1.5, u5.bias 2.75, f.min 2^-20, no eps
     * correction, bounds returned */
    const double h = 1.5, h5 = 0.5 + 1.5 * h, f_min = 0x1p-20, reps = 1e-10;
    *count = 0;
    if (!isfinite(lo) || !isfinite(hi))
        return NULL;
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (n < 1)
        n = 1;
    if (min_n < 0)
        min_n = 0;
    double dx = hi - lo, cell;
    int small;
    if (dx == 0 && hi == 0) {
        cell = 1;
        small = 1;
    } else {
        cell = fmax(fabs(lo), fabs(hi));
        double U = 1 + ((h5 >= 1.5 * h + .5) ? 1 / (1 + h) : 1.5 / (1 + h5));
        U *= (double)(n > 1 ? n : 1) * 2.220446049250313e-16;
        small = dx < cell * U * 3;
    }
    if (small) {
        if (cell > 10)
            cell = 9 + cell / 10;
        cell *= 0.75;
        if (min_n > 1)
            cell /= min_n;
    } else {
        cell = dx;
        if (isfinite(dx)) {
            if (n > 1)
                cell /= n;
        } else if (n >= 2) {
            cell = hi / n - lo / n;
        }
    }
    double subsmall = f_min * 2.2250738585072014e-308;
    if (cell < subsmall)
        cell = subsmall;
    else if (cell > 1.7976931348623157e308 / 1.25)
        cell = 1.7976931348623157e308 / 1.25;
    double base = pow(10.0, floor(log10(cell))), unit = base, U;
    if ((U = 2 * base) - cell < h * (cell - unit)) {
        unit = U;
        if ((U = 5 * base) - cell < h5 * (cell - unit)) {
            unit = U;
            if ((U = 10 * base) - cell < h * (cell - unit))
                unit = U;
        }
    }
    double ns = floor(lo / unit + reps), nu = ceil(hi / unit - reps);
    while (ns * unit > lo + reps * unit)
        ns--;
    while (!isfinite(ns * unit))
        ns++;
    while (nu * unit < hi - reps * unit)
        nu++;
    while (!isfinite(nu * unit))
        nu--;
    int k = (int)(0.5 + nu - ns), ndiv;
    if (k < min_n) {
        k = min_n - k;
        if (lo == 0 && ns == 0 && hi != 0) {
            nu += k;
        } else if (hi == 0 && nu == 0 && lo != 0) {
            ns -= k;
        } else if (ns >= 0) {
            nu += k / 2;
            ns -= k / 2 + k % 2;
        } else {
            ns -= k / 2;
            nu += k / 2 + k % 2;
        }
        ndiv = min_n;
    } else {
        ndiv = k;
    }
    double l = lo, u = hi;
    if (ns * unit < l)
        l = ns * unit;
    if (nu * unit > u)
        u = nu * unit;
    /* seq.int(l, u, length.out = ndiv + 1), then zeros from rounding zapped */
    size_t len = (size_t)ndiv + 1;
    double *s = malloc(len * sizeof *s);
    if (!s)
        return NULL;
    s[0] = l;
    if (len > 1)
        s[len - 1] = u;
    if (len > 2) {
        double by = (u - l) / (double)(len - 1);
        if (!isfinite(by)) /* a range past DBL_MAX */
            by = u / (double)(len - 1) - l / (double)(len - 1);
        for (size_t i = 1; i < len - 1; i++)
            s[i] = l + (double)i * by; /* R 4.2's seq.int; later ones count from u too */
    }
    if (ndiv) {
        double delta = isfinite(u - l) ? (u - l) / ndiv : u / ndiv - l / ndiv;
        for (size_t i = 0; i < len; i++)
            if (fabs(s[i]) < 1e-14 * delta)
                s[i] = 0;
    }
    *count = len;
    return s;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* hist's fuzz: 1e-7 of the median bin width (more than 5 breaks), of the
 * range of x (3 breaks or fewer), else of the narrowest positive width. */
static double hist_diddle(const double *x, size_t n, const double *b, size_t nb)
{
    if (nb <= 3) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++)
            grow(&lo, &hi, x[i], 0);
        return lo <= hi ? 1e-7 * (hi - lo) : 0;
    }
    size_t m = nb - 1;
    double *h = malloc(m * sizeof *h), d = INFINITY;
    if (!h) { /* the narrowest width does as well */
        for (size_t j = 0; j < m; j++)
            if (b[j + 1] - b[j] > 0)
                d = fmin(d, b[j + 1] - b[j]);
        return isfinite(d) ? 1e-7 * d : 0;
    }
    for (size_t j = 0; j < m; j++)
        h[j] = b[j + 1] - b[j];
    if (nb > 5) {
        qsort(h, m, sizeof *h, by_double);
        d = m % 2 ? h[m / 2] : (h[m / 2 - 1] + h[m / 2]) / 2;
    } else {
        for (size_t j = 0; j < m; j++)
            if (h[j] > 0)
                d = fmin(d, h[j]);
    }
    free(h);
    return isfinite(d) ? 1e-7 * d : 0;
}

/* R's C_BinCount with right-closed bins and the lowest edge included, over
 * the x[i] with which[i] == g (which NULL: all), on breaks moved by the
 * fuzz. Returns the values counted. */
static size_t bin_count(const double *x, size_t n, const size_t *which, size_t g,
                        const double *b, size_t nb, double diddle, double *counts)
{
    size_t got = 0, nb1 = nb - 1;
    for (size_t j = 0; j < nb1; j++)
        counts[j] = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || (which && which[i] != g))
            continue;
        double lo_edge = b[0] - diddle, hi_edge = b[nb1] + diddle;
        if (!(lo_edge <= x[i] && x[i] <= hi_edge))
            continue;
        size_t lo = 0, hi = nb1;
        while (hi - lo >= 2) {
            size_t mid = (hi + lo) / 2;
            if (x[i] > b[mid] + diddle)
                lo = mid;
            else
                hi = mid;
        }
        counts[lo]++;
        got++;
    }
    return got;
}

size_t plot_hist_counts(const double *x, size_t n, const double *b, size_t nb,
                        double *counts)
{
    if (nb < 2)
        return 0;
    return bin_count(x, n, NULL, 0, b, nb, hist_diddle(x, n, b, nb), counts);
}

int plot_hist(rg_buf *out, const rg_plot_hist *o)
{
    size_t n = o->n, m = n ? n : 1, k = 1;
    size_t *first = malloc(m * sizeof *first), *which = malloc(m * sizeof *which);
    rg_key *keys = malloc(m * sizeof *keys);
    if (!first || !which || !keys) {
        free4(first, which, keys, NULL);
        return -1;
    }
    if (o->group) {
        plot_groups(o->group, n, first, &k, which);
        for (size_t g = 0; g < k; g++)
            keys[g] = (rg_key){o->group[first[g]], svg_color(g), RG_KEY_BOX};
    }
    if (k == 0)
        k = 1;
    double lo = INFINITY, hi = -INFINITY;
    size_t finite = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(o->x[i])) {
            grow(&lo, &hi, o->x[i], 0);
            finite++;
        }
    /* the breaks: given, or Sturges' number of bins made pretty */
    double *b = NULL;
    size_t nb = 0;
    if (o->breaks && o->nbreaks >= 2) {
        b = malloc(o->nbreaks * sizeof *b);
        if (b) {
            memcpy(b, o->breaks, o->nbreaks * sizeof *b);
            nb = o->nbreaks;
        }
    } else if (finite) {
        int bins = o->bins > 0 ? o->bins : (int)ceil(log2((double)finite) + 1);
        b = plot_pretty(lo, hi, bins, 1, &nb);
    }
    double *y = malloc(((nb ? nb : 1) * k) * sizeof *y);
    size_t *ng = calloc(k, sizeof *ng);
    int want = (o->breaks && o->nbreaks >= 2) || finite;
    if ((want && !b) || !y || !ng) {
        free4(first, which, keys, b);
        free4(y, ng, NULL, NULL);
        return -1;
    }
    size_t counted = 0;
    double top = 0;
    if (nb >= 2) {
        double diddle = hist_diddle(o->x, n, b, nb);
        for (size_t g = 0; g < k; g++) {
            double *c = y + g * (nb - 1);
            counted += bin_count(o->x, n, o->group ? which : NULL, g, b, nb, diddle, c);
            for (size_t i = 0; i < n; i++)
                ng[g] += isfinite(o->x[i]) && (!o->group || which[i] == g);
            for (size_t j = 0; j + 1 < nb; j++) {
                if (o->density)
                    c[j] = ng[g] && b[j + 1] > b[j] ? c[j] / ((double)ng[g] * (b[j + 1] - b[j]))
                                                    : 0;
                top = fmax(top, c[j]);
            }
        }
    }

    rg_buf note = {0};
    if (n > finite)
        buf_printf(&note, "%zu missing", n - finite);
    if (finite > counted && nb >= 2)
        buf_printf(&note, "%s%zu outside the breaks", note.len ? ", " : "", finite - counted);

    rg_panel f;
    memset(&f, 0, sizeof f);
    f.width = o->width;
    f.height = o->height;
    f.cls = "rg-plot rg-histogram";
    f.title = o->title;
    f.label = o->title ? o->title : "Histogram";
    f.x.kind = RG_AXIS_LINEAR;
    if (nb >= 2) {
        double pad = (b[nb - 1] - b[0]) * 0.02;
        f.x.lo = b[0] - pad;
        f.x.hi = b[nb - 1] + pad;
    } else {
        f.x.lo = 0;
        f.x.hi = 1;
    }
    f.y.kind = RG_AXIS_LINEAR;
    f.y.lo = 0;
    f.y.hi = top > 0 ? top * 1.04 : 1; /* headroom over the highest bar */
    f.y.extend = 1;
    f.x.title = o->xlab;
    f.y.title = o->ylab ? o->ylab : o->density ? "Density" : "Count";
    f.keys = keys;
    f.nkeys = k > 1 ? k : 0;
    f.grid = 1;
    f.room_top = note.len ? NOTE_H : 0;
    svg_panel_layout(&f);

    rg_svg s;
    svg_panel_begin(&s, out, &f);
    double base = svg_axis_at(&f.y, 0);
    for (size_t g = 0; g < k && nb >= 2; g++) {
        const double *c = y + g * (nb - 1);
        for (size_t j = 0; j + 1 < nb; j++)
            if (c[j] > 0)
                rect_path(&s, svg_axis_at(&f.x, b[j]), base, svg_axis_at(&f.x, b[j + 1]),
                          svg_axis_at(&f.y, c[j]));
        if (k > 1)
            svg_path_end(&s, "rg-over", svg_color(g), svg_color(g));
        else
            svg_path_end(&s, "rg-hist", NULL, svg_color(0));
    }
    svg_panel_end(&s, &f);
    if (note.len)
        note_above(&s, &f, &note);
    buf_free(&note);
    free4(first, which, keys, b);
    free4(y, ng, NULL, NULL);
    return svg_end(&s);
}

/* ---- box plots -------------------------------------------------------------- */

/* boxplot.stats of sorted finite v[0..n), n >= 1. */
static void box_stats_sorted(const double *v, size_t n, double st[5])
{
    double n4 = floor((double)(n + 3) / 2) / 2;
    double d[5] = {1, n4, (double)(n + 1) / 2, (double)n + 1 - n4, (double)n};
    for (int j = 0; j < 5; j++) /* fivenum: 1-based positions, halves averaged */
        st[j] = 0.5 * (v[(size_t)floor(d[j]) - 1] + v[(size_t)ceil(d[j]) - 1]);
    double iqr = st[3] - st[1], lo = st[1] - 1.5 * iqr, hi = st[3] + 1.5 * iqr;
    size_t a = 0, b = n;
    while (a < n && v[a] < lo)
        a++;
    while (b > a && v[b - 1] > hi)
        b--;
    if (a < b && (a > 0 || b < n)) { /* outliers: whiskers to the values within */
        st[0] = v[a];
        st[4] = v[b - 1];
    }
}

int plot_box_stats(const double *x, size_t n, double st[5], size_t *used)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            v[m++] = x[i];
    if (used)
        *used = m;
    if (m == 0) {
        for (int j = 0; j < 5; j++)
            st[j] = NAN;
    } else {
        qsort(v, m, sizeof *v, by_double);
        box_stats_sorted(v, m, st);
    }
    free(v);
    return 0;
}

/* A deterministic jitter in [-1, 1] for value i (splitmix64 of the index). */
static double jitter(size_t i)
{
    uint64_t z = (uint64_t)i + 0x9E3779B97F4A7C15u;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1p-52 - 1;
}

int plot_box(rg_buf *out, const rg_plot_box *o)
{
    size_t n = o->n, m = n ? n : 1, k = 0;
    size_t *first = malloc(m * sizeof *first), *which = malloc(m * sizeof *which);
    size_t *pos = malloc(m * sizeof *pos); /* group (appearance) -> drawn place */
    double *sorted = malloc(m * sizeof *sorted);
    double(*st)[5] = malloc(m * sizeof *st);
    size_t *cnt = calloc(m, sizeof *cnt), *off = calloc(m + 1, sizeof *off);
    const char **bands = malloc(m * sizeof *bands);
    rg_buf *texts = calloc(m, sizeof *texts); /* "n = 23", or "A (n = 23)" */
    if (!first || !which || !pos || !sorted || !st || !cnt || !off || !bands || !texts) {
        free4(first, which, pos, sorted);
        free4(st, cnt, off, bands);
        free(texts);
        return -1;
    }
    if (o->group) {
        plot_groups(o->group, n, first, &k, which);
    } else {
        k = 1;
        memset(which, 0, m * sizeof *which);
    }
    /* the drawn order: the groups named in order, then the others */
    size_t placed = 0;
    for (size_t g = 0; g < k; g++)
        pos[g] = SIZE_MAX;
    for (size_t j = 0; o->group && o->order && j < o->norder; j++)
        for (size_t g = 0; g < k; g++)
            if (pos[g] == SIZE_MAX && o->order[j] && strcmp(o->order[j], o->group[first[g]]) == 0)
                pos[g] = placed++;
    for (size_t g = 0; g < k; g++)
        if (pos[g] == SIZE_MAX)
            pos[g] = placed++;
    /* the finite values of each group, sorted, from off[g] */
    for (size_t i = 0; i < n; i++)
        cnt[which[i]] += isfinite(o->values[i]);
    for (size_t g = 0; g < k; g++)
        off[g + 1] = off[g] + cnt[g];
    memset(cnt, 0, m * sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        if (isfinite(o->values[i]))
            sorted[off[which[i]] + cnt[which[i]]++] = o->values[i];
    double lo = INFINITY, hi = -INFINITY;
    for (size_t g = 0; g < k; g++) {
        qsort(sorted + off[g], cnt[g], sizeof *sorted, by_double);
        if (cnt[g]) {
            box_stats_sorted(sorted + off[g], cnt[g], st[g]);
            grow(&lo, &hi, sorted[off[g]], 0);
            grow(&lo, &hi, sorted[off[g] + cnt[g] - 1], 0);
        }
    }
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    }
    double pad = (hi - lo) * 0.04;

    /* the test, on the finite values (the C functions drop NaN only) */
    rg_buf p = {0};
    double pv = NAN;
    const char *tname = NULL;
    int status = 0;
    if ((o->test == RG_BOX_MANN_WHITNEY || o->test == RG_BOX_T) && k == 2) {
        const double *x = sorted + off[0], *yv = sorted + off[1];
        if (o->test == RG_BOX_T) {
            rg_ttest r;
            status = ttest(x, cnt[0], yv, cnt[1], 0, &r);
            pv = r.status == RG_TEST_OK ? r.p : NAN;
            tname = "Welch t-test";
        } else {
            rg_mwtest r;
            status = mwtest(x, cnt[0], yv, cnt[1], -1, 1, &r);
            pv = r.status == RG_TEST_OK ? r.p : NAN;
            tname = "Mann-Whitney";
        }
    } else if (o->test == RG_BOX_KRUSKAL && k >= 2) {
        rg_kwtest r;
        size_t *gi = malloc(m * sizeof *gi);
        size_t nn = 0;
        for (size_t g = 0; gi && g < k; g++)
            for (size_t j = 0; j < cnt[g]; j++)
                gi[nn++] = g;
        status = gi ? kwtest(sorted, gi, nn, k, &r) : -1;
        pv = status == 0 && r.status == RG_TEST_OK ? r.p : NAN;
        free(gi);
        tname = "Kruskal-Wallis";
    }
    if (status != 0) {
        free4(first, which, pos, sorted);
        free4(st, cnt, off, bands);
        free(texts);
        return -1;
    }
    if (tname) {
        buf_printf(&p, "%s p %s", tname, pv < 1e-4 ? "" : "= ");
        plot_fmt_p(&p, pv);
    }

    rg_panel f;
    memset(&f, 0, sizeof f);
    f.width = o->width;
    f.height = o->height;
    f.cls = "rg-plot rg-boxplot";
    f.title = o->title;
    f.label = o->title ? o->title : "Box plot";
    rg_axis *cat = o->horizontal ? &f.y : &f.x, *val = o->horizontal ? &f.x : &f.y;
    cat->kind = RG_AXIS_BAND;
    cat->bands = bands;
    cat->nbands = k;
    val->kind = RG_AXIS_LINEAR;
    val->lo = lo - pad;
    val->hi = hi + pad;
    f.y.title = o->ylab;
    f.grid = 2;
    f.room_top = p.len ? NOTE_H : 0;
    /* band b (1-based) of group g: its place, from the left or the top */
    double widest = 0;
    for (size_t g = 0; g < k; g++) {
        buf_printf(&texts[g], "n = %zu", cnt[g]);
        widest = fmax(widest, svg_text_width(text_of(&texts[g]), RG_SVG_SMALL));
        bands[o->horizontal ? k - 1 - pos[g] : pos[g]] = o->group ? o->group[first[g]] : "";
    }
    /* "n = 23" on a line under the labels when it fits the bands; else in
     * the label, "A (n = 23)", the name shortened so that the panel, which
     * cuts labels longer than 0.3 of the height (x) or 0.35 of the width
     * (y), keeps the n */
    int nline = !o->horizontal;
    if (nline) {
        f.x.title = NULL; /* drawn here, under the line of n */
        f.room_bottom = RG_SVG_LINE_H + (o->xlab ? RG_SVG_LINE_H + 4 : 0);
        svg_panel_layout(&f);
        nline = f.x.every == 1 && widest + 6 <= svg_axis_band(&f.x);
    }
    if (!nline) {
        double cap = o->horizontal ? 0.35 * o->width : 0.3 * o->height;
        rg_buf name = {0}, tail = {0};
        for (size_t g = 0; g < k; g++) {
            size_t b = o->horizontal ? k - 1 - pos[g] : pos[g];
            tail.len = 0;
            buf_printf(&tail, "%sn = %zu%s", o->group ? " (" : "", cnt[g], o->group ? ")" : "");
            svg_fit_text(&name, bands[b], RG_SVG_SMALL,
                         cap - svg_text_width(text_of(&tail), RG_SVG_SMALL));
            texts[g].len = 0;
            buf_printf(&texts[g], "%s%s", name.len ? text_of(&name) : "", text_of(&tail));
            bands[b] = text_of(&texts[g]);
        }
        if (name.failed || tail.failed)
            out->failed = 1;
        buf_free(&name);
        buf_free(&tail);
        f.x.title = o->xlab;
        f.room_bottom = 0;
        f.height = o->height;
        svg_panel_layout(&f);
    }

    rg_svg s;
    svg_panel_begin(&s, out, &f);
    double band = svg_axis_band(cat), bw = fmin(0.6 * band, 80), cap = bw / 4;
#define AT(c, v) (o->horizontal ? (v) : (c)), (o->horizontal ? (c) : (v))
    /* boxes: one path per group, in its colour */
    for (size_t g = 0; g < k; g++) {
        if (!cnt[g])
            continue;
        double c = svg_axis_at(cat, o->horizontal ? (double)(k - pos[g]) : (double)pos[g] + 1);
        double q1 = svg_axis_at(val, st[g][1]), q3 = svg_axis_at(val, st[g][3]);
        svg_path_move(&s, AT(c - bw / 2, q1));
        svg_path_line(&s, AT(c - bw / 2, q3));
        svg_path_line(&s, AT(c + bw / 2, q3));
        svg_path_line(&s, AT(c + bw / 2, q1));
        svg_path_close(&s);
        svg_path_end(&s, "rg-bx", NULL, svg_color(k > 1 ? g : 0));
    }
    /* whiskers with caps, then the medians */
    for (size_t g = 0; g < k; g++) {
        if (!cnt[g])
            continue;
        double c = svg_axis_at(cat, o->horizontal ? (double)(k - pos[g]) : (double)pos[g] + 1);
        for (int e = 0; e < 2; e++) {
            double from = svg_axis_at(val, st[g][e ? 3 : 1]), to = svg_axis_at(val, st[g][e ? 4 : 0]);
            svg_path_move(&s, AT(c, from));
            svg_path_line(&s, AT(c, to));
            svg_path_move(&s, AT(c - cap, to));
            svg_path_line(&s, AT(c + cap, to));
        }
    }
    svg_path_end(&s, "rg-whisk", NULL, NULL);
    for (size_t g = 0; g < k; g++) {
        if (!cnt[g])
            continue;
        double c = svg_axis_at(cat, o->horizontal ? (double)(k - pos[g]) : (double)pos[g] + 1);
        double md = svg_axis_at(val, st[g][2]);
        svg_path_move(&s, AT(c - bw / 2, md));
        svg_path_line(&s, AT(c + bw / 2, md));
    }
    svg_path_end(&s, "rg-med", NULL, NULL);
    /* the values as jittered points, or the outliers alone */
    double r = bw < 12 ? 2 : 2.5;
    for (size_t i = 0; i < n; i++) {
        double v = o->values[i];
        size_t g = which[i];
        if (!isfinite(v) || (!o->points && v >= st[g][0] && v <= st[g][4]))
            continue;
        double c = svg_axis_at(cat, o->horizontal ? (double)(k - pos[g]) : (double)pos[g] + 1);
        if (o->points)
            c += jitter(i) * bw * 0.35;
        double pv_px = svg_axis_at(val, v);
        if (o->points)
            svg_circle(&s, AT(c, pv_px), r, "rg-dot", svg_color(k > 1 ? g : 0));
        else
            svg_circle(&s, AT(c, pv_px), r, "rg-out", NULL);
    }
#undef AT
    svg_panel_end(&s, &f);
    if (nline) {
        double y0 = f.top + f.ph + RG_SVG_TICK + f.x.label_room;
        svg_group_begin(&s, "rg-tick", NULL);
        for (size_t g = 0; g < k; g++)
            svg_text(&s, svg_axis_at(&f.x, (double)pos[g] + 1), y0 + 13, "rg-mid", NULL,
                     text_of(&texts[g]));
        svg_group_end(&s);
        if (o->xlab)
            svg_text(&s, f.left + f.pw / 2, y0 + RG_SVG_LINE_H + RG_SVG_LINE_H + 2,
                     "rg-lab rg-mid", NULL, o->xlab);
    }
    if (p.len)
        note_above(&s, &f, &p);
    for (size_t g = 0; g < k; g++) {
        if (texts[g].failed)
            out->failed = 1;
        buf_free(&texts[g]);
    }
    buf_free(&p);
    free4(first, which, pos, sorted);
    free4(st, cnt, off, bands);
    free(texts);
    return svg_end(&s);
}
