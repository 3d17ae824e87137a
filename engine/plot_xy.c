/* engine/plot_xy.c — figures of points and lines on two numeric axes
 * (plot.h): scatter plots. Laid out and framed by the panel of svg.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "plot.h"
#include "stats/cor.h"
#include "svg.h"

void plot_groups(const char *const *v, size_t n, size_t *first, size_t *k, size_t *which)
{
    *k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t g = 0;
        while (g < *k && strcmp(v[first[g]], v[i]) != 0)
            g++;
        if (g == *k)
            first[(*k)++] = i;
        if (which)
            which[i] = g;
    }
}

/* The finite range of v[0..n) (> 0 only when positive), widened by 4% on
 * each side so that no point sits on an axis; [0, 1] when there is none. */
static void data_range(const double *v, size_t n, int positive, double *lo, double *hi)
{
    double a = INFINITY, b = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && (!positive || v[i] > 0)) {
            a = fmin(a, v[i]);
            b = fmax(b, v[i]);
        }
    if (!(a <= b)) {
        a = positive ? 1 : 0;
        b = positive ? 10 : 1;
    }
    if (positive) {
        double pad = pow(b / a, 0.04);
        *lo = a / pad;
        *hi = b * pad;
    } else {
        double pad = (b - a) * 0.04;
        *lo = a - pad;
        *hi = b + pad;
    }
}

/* Order of the points by outlyingness, largest first, for labels. */
typedef struct {
    double score;
    size_t i;
} ranked;

static int by_score(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int plot_scatter(rg_buf *out, const rg_plot_scatter *o)
{
    size_t n = o->n;
    size_t *first = malloc((n ? n : 1) * sizeof *first),
           *which = malloc((n ? n : 1) * sizeof *which), k = 0;
    ranked *rk = malloc((n ? n : 1) * sizeof *rk);
    rg_key *keys = malloc((n ? n : 1) * sizeof *keys);
    if (!first || !which || !rk || !keys) {
        free(first);
        free(which);
        free(rk);
        free(keys);
        return -1;
    }
    if (o->group)
        plot_groups(o->group, n, first, &k, which);
    for (size_t g = 0; g < k; g++)
        keys[g] = (rg_key){o->group[first[g]], svg_color(g), RG_KEY_POINT};

    /* the least-squares line and the correlation, over the pairs drawn */
    double slope = NAN, icept = NAN;
    rg_cor_result cr;
    memset(&cr, 0, sizeof cr);
    cr.r = cr.p = NAN;
    if (o->ols && !o->logx && !o->logy) {
        double sx = 0, sy = 0, m = 0;
        for (size_t i = 0; i < n; i++)
            if (isfinite(o->x[i]) && isfinite(o->y[i])) {
                sx += o->x[i];
                sy += o->y[i];
                m++;
            }
        double mx = sx / m, my = sy / m, sxx = 0, sxy = 0;
        for (size_t i = 0; i < n; i++)
            if (isfinite(o->x[i]) && isfinite(o->y[i])) {
                sxx += (o->x[i] - mx) * (o->x[i] - mx);
                sxy += (o->x[i] - mx) * (o->y[i] - my);
            }
        if (m >= 2 && sxx > 0) {
            slope = sxy / sxx;
            icept = my - slope * mx;
        }
        if (cor_test(o->x, o->y, n, RG_COR_PEARSON, &cr) != 0)
            cr.r = cr.p = NAN;
    }

    rg_panel f;
    memset(&f, 0, sizeof f);
    f.width = o->width;
    f.height = o->height;
    f.cls = "rg-plot rg-scatter";
    f.title = o->title;
    f.label = o->title ? o->title : "Scatter plot";
    f.x.kind = o->logx ? RG_AXIS_LOG : RG_AXIS_LINEAR;
    f.y.kind = o->logy ? RG_AXIS_LOG : RG_AXIS_LINEAR;
    data_range(o->x, n, o->logx, &f.x.lo, &f.x.hi);
    data_range(o->y, n, o->logy, &f.y.lo, &f.y.hi);
    f.x.title = o->xlab;
    f.y.title = o->ylab;
    f.keys = keys;
    f.nkeys = k > 1 ? k : 0;
    f.grid = 2;
    f.room_top = o->ols ? RG_SVG_LINE_H : 0; /* r, p and n above the points */
    svg_panel_layout(&f);

    rg_svg s;
    svg_panel_begin(&s, out, &f);
    const char *col0 = svg_color(0);
    for (size_t i = 0; i < n; i++) {
        double px = svg_axis_at(&f.x, o->x[i]), py = svg_axis_at(&f.y, o->y[i]);
        if (isfinite(px) && isfinite(py))
            svg_circle(&s, px, py, 3.5, "rg-dot", o->group ? svg_color(which[i]) : col0);
    }
    if (isfinite(slope)) {
        double x0 = f.x.lo, x1 = f.x.hi;
        svg_line(&s, svg_axis_at(&f.x, x0), svg_axis_at(&f.y, icept + slope * x0),
                 svg_axis_at(&f.x, x1), svg_axis_at(&f.y, icept + slope * x1), "rg-fit",
                 NULL);
    }
    /* labels of the most outlying points, right of the point */
    size_t m = 0;
    if (o->labels && o->nlabel) {
        double cx = 0, cy = 0, sx = 0, sy = 0, c = 0;
        for (size_t i = 0; i < n; i++)
            if (isfinite(o->x[i]) && isfinite(o->y[i])) {
                cx += o->x[i];
                cy += o->y[i];
                c++;
            }
        cx /= c;
        cy /= c;
        for (size_t i = 0; i < n; i++)
            if (isfinite(o->x[i]) && isfinite(o->y[i])) {
                sx += (o->x[i] - cx) * (o->x[i] - cx);
                sy += (o->y[i] - cy) * (o->y[i] - cy);
            }
        sx = sqrt(sx / c);
        sy = sqrt(sy / c);
        for (size_t i = 0; i < n; i++) {
            if (!(isfinite(o->x[i]) && isfinite(o->y[i])))
                continue;
            double score;
            if (isfinite(slope))
                score = fabs(o->y[i] - (icept + slope * o->x[i]));
            else
                score = hypot(sx > 0 ? (o->x[i] - cx) / sx : 0, sy > 0 ? (o->y[i] - cy) / sy : 0);
            rk[m++] = (ranked){score, i};
        }
        qsort(rk, m, sizeof *rk, by_score);
        if (m > o->nlabel)
            m = o->nlabel;
        for (size_t j = 0; j < m; j++) {
            size_t i = rk[j].i;
            svg_text(&s, svg_axis_at(&f.x, o->x[i]) + 6, svg_axis_at(&f.y, o->y[i]) - 4,
                     "rg-ptlab", NULL, o->labels[i]);
        }
    }
    svg_panel_end(&s, &f);
    if (o->ols && isfinite(cr.r)) {
        rg_buf t = {0};
        buf_puts(&t, "r = ");
        fmt_fixed(&t, cr.r, 2, 0);
        buf_puts(&t, cr.p < 1e-4 ? ", p " : ", p = ");
        plot_fmt_p(&t, cr.p);
        buf_printf(&t, ", n = %zu", cr.n);
        svg_text(&s, f.left + f.pw, f.top - 6, "rg-p rg-end", NULL,
                 buf_cstr(&t) ? t.data : "");
        if (t.failed)
            out->failed = 1;
        buf_free(&t);
    }
    free(first);
    free(which);
    free(rk);
    free(keys);
    return svg_end(&s);
}
