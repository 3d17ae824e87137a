/* engine/plot_xy.c — figures of points and lines on two numeric axes
 * (plot.h): scatter plots, line and step curves, volcano plots, ROC curves
 * and AUC by decision threshold. Laid out and framed by the panel of svg.h. */
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

/* ---- lines and steps ----------------------------------------------------- */

#define GREY "#999999"  /* points that do not pass a volcano plot's cuts */
#define LEGEND_MAX 12   /* auc_threshold: more series get a note, not a legend */
#define PASS_COLOR "#5b6670" /* the pass line's legend key: the muted grey of rg-ref */

/* The finite extent of values, accumulated: lo > hi while there is none. */
typedef struct {
    double lo, hi;
} span;

static span span_none(void) { return (span){INFINITY, -INFINITY}; }

static void span_add(span *r, const double *v, size_t n, int positive)
{
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && (!positive || v[i] > 0)) {
            r->lo = fmin(r->lo, v[i]);
            r->hi = fmax(r->hi, v[i]);
        }
}

/* The span widened by 4% on each side, as data_range does. */
static void span_range(span r, int positive, double *lo, double *hi)
{
    double v[2] = {r.lo, r.hi};
    data_range(v, r.lo <= r.hi ? 2 : 0, positive, lo, hi);
}

typedef struct {
    double x;
    size_t i;
} xkey;

static int by_x(const void *a, const void *b)
{
    const xkey *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->i < q->i ? -1 : p->i > q->i;
}

/* One series as a line (or steps) in colour col, sorted by x into the
 * scratch array sc (n entries). Dots go into the path of s->d after the
 * line, so the caller ends that path: all points if `points`, else those
 * that no segment touches. */
static void draw_series(rg_svg *s, const rg_panel *f, const rg_plot_series *se, int step,
                        int points, const char *col, const char *cls, xkey *sc)
{
    size_t m = 0;
    for (size_t i = 0; i < se->n; i++)
        if (isfinite(se->x[i]))
            sc[m++] = (xkey){se->x[i], i};
    qsort(sc, m, sizeof *sc, by_x);
#define PX(j) svg_axis_at(&f->x, sc[j].x)
#define PY(j) svg_axis_at(&f->y, se->y[sc[j].i])
    int on = 0;
    for (size_t j = 0; j < m; j++) {
        double px = PX(j), py = PY(j);
        int ok = isfinite(px) && isfinite(py);
        if (step) {
            if (on && isfinite(px))
                svg_path_h(s, px);
            if (ok && on)
                svg_path_v(s, py);
            else if (ok)
                svg_path_move(s, px, py);
        } else if (ok) {
            if (on)
                svg_path_line(s, px, py);
            else
                svg_path_move(s, px, py);
        }
        on = ok;
    }
    svg_path_end(s, cls, col, NULL);
    for (size_t j = 0; j < m; j++) {
        double px = PX(j), py = PY(j);
        if (!(isfinite(px) && isfinite(py)))
            continue;
        /* a segment from the point before, or to the next one (a step
         * reaches the next x whatever its y) */
        int before = j > 0 && isfinite(PX(j - 1)) && isfinite(PY(j - 1));
        int after = j + 1 < m && isfinite(PX(j + 1)) && (step || isfinite(PY(j + 1)));
        if (points || (!before && !after)) {
            svg_path_move(s, px, py);
            svg_path_h(s, px);
        }
    }
#undef PX
#undef PY
    svg_path_end(s, "rg-pts", col, NULL);
}

/* The dashed horizontal lines at the values v[0..n) of the y axis. */
static void ref_lines(rg_svg *s, const rg_panel *f, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        svg_path_move(s, f->left, svg_axis_at(&f->y, v[i]));
        svg_path_h(s, f->left + f->pw);
    }
    svg_path_end(s, "rg-ref", NULL, NULL);
}

/* The longest series: the size of draw_series's scratch. */
static size_t longest(const rg_plot_series *se, size_t k)
{
    size_t n = 1;
    for (size_t g = 0; g < k; g++)
        if (se[g].n > n)
            n = se[g].n;
    return n;
}

int plot_line(rg_buf *out, const rg_plot_line *o)
{
    size_t k = o->nseries;
    xkey *sc = malloc(longest(o->series, k) * sizeof *sc);
    rg_key *keys = malloc((k ? k : 1) * sizeof *keys);
    if (!sc || !keys) {
        free(sc);
        free(keys);
        return -1;
    }
    span sx = span_none(), sy = span_none();
    for (size_t g = 0; g < k; g++) {
        const rg_plot_series *se = &o->series[g];
        span_add(&sx, se->x, se->n, o->logx);
        span_add(&sy, se->y, se->n, o->logy);
        keys[g] = (rg_key){se->label ? se->label : "", svg_color(g), RG_KEY_LINE};
    }
    if (o->ref_y)
        span_add(&sy, o->ref_y, o->nref, o->logy);

    rg_panel f;
    memset(&f, 0, sizeof f);
    f.width = o->width;
    f.height = o->height;
    f.cls = o->step ? "rg-plot rg-steps" : "rg-plot rg-lines";
    f.title = o->title;
    f.label = o->title ? o->title : o->step ? "Step curves" : "Line plot";
    f.x.kind = o->logx ? RG_AXIS_LOG : RG_AXIS_LINEAR;
    f.y.kind = o->logy ? RG_AXIS_LOG : RG_AXIS_LINEAR;
    span_range(sx, o->logx, &f.x.lo, &f.x.hi);
    span_range(sy, o->logy, &f.y.lo, &f.y.hi);
    f.x.title = o->xlab;
    f.y.title = o->ylab;
    f.keys = keys;
    f.nkeys = k > 1 ? k : 0;
    f.grid = 2;
    svg_panel_layout(&f);

    rg_svg s;
    svg_panel_begin(&s, out, &f);
    if (o->ref_y)
        ref_lines(&s, &f, o->ref_y, o->nref);
    for (size_t g = 0; g < k; g++)
        draw_series(&s, &f, &o->series[g], o->step, o->points, svg_color(g), "rg-line", sc);
    svg_panel_end(&s, &f);
    free(sc);
    free(keys);
    return svg_end(&s);
}

/* ---- volcano ------------------------------------------------------------- */

typedef struct {
    double p, r;
    size_t i;
} sig;

/* smallest p first, then largest |r|, then input order */
static int by_sig(const void *a, const void *b)
{
    const sig *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    if (fabs(x->r) != fabs(y->r))
        return fabs(x->r) > fabs(y->r) ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

typedef struct {
    double x0, y0, x1, y1;
} box;

static int boxes_meet(const box *a, const box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* "r >= 0.5, p <= 0.05 (12)" into b */
static void volcano_key(rg_buf *b, const rg_plot_volcano *o, int sign, size_t count)
{
    if (sign) {
        buf_puts(b, sign > 0 ? "r \xE2\x89\xA5 " : "r \xE2\x89\xA4 ");
        fmt_num(b, sign > 0 ? o->r_cut : -o->r_cut, 3);
        buf_puts(b, o->adjusted ? ", adj. p \xE2\x89\xA4 " : ", p \xE2\x89\xA4 ");
        fmt_num(b, o->p_cut, 3);
    } else {
        buf_puts(b, "Other");
    }
    buf_printf(b, " (%zu)", count);
}

int plot_volcano(rg_buf *out, const rg_plot_volcano *o)
{
    size_t n = o->n;
    unsigned char *cat = malloc(n ? n : 1); /* 0 other, 1 up, 2 down, 3 not drawn */
    sig *top = malloc((n ? n : 1) * sizeof *top);
    box *placed = malloc((o->label_top ? 2 * o->label_top : 1) * sizeof *placed);
    if (!cat || !top || !placed) {
        free(cat);
        free(top);
        free(placed);
        return -1;
    }
    double rmax = 0, pmin = INFINITY;
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        double r = o->r[i], p = o->p[i];
        if (!(isfinite(r) && p >= 0 && p <= 1)) {
            cat[i] = 3;
            continue;
        }
        rmax = fmax(rmax, fabs(r));
        if (p > 0)
            pmin = fmin(pmin, p);
        int pass = fabs(r) >= o->r_cut && p <= o->p_cut;
        cat[i] = pass ? (r >= 0 ? 1 : 2) : 0;
        count[cat[i]]++;
    }
    int cut_p = o->p_cut > 0 && o->p_cut < 1, cut_r = isfinite(o->r_cut) && o->r_cut > 0;
    /* p = 0 is drawn at the top: the smallest positive p */
    double cap = isfinite(pmin) ? pmin : cut_p ? o->p_cut / 10 : 1e-3;
    double ptop = cut_p ? fmin(cap, o->p_cut) : cap;
    double ttop = -log10(ptop);
    if (cut_r)
        rmax = fmax(rmax, o->r_cut);
    if (!(rmax > 0))
        rmax = 1;

    rg_buf kb[3] = {{0}, {0}, {0}};
    volcano_key(&kb[0], o, 1, count[1]);
    volcano_key(&kb[1], o, -1, count[2]);
    volcano_key(&kb[2], o, 0, count[0]);
    const char *colors[3] = {GREY, svg_color(1), svg_color(0)}; /* by cat */
    rg_key keys[3] = {{buf_cstr(&kb[0]) ? kb[0].data : "", colors[1], RG_KEY_POINT},
                      {buf_cstr(&kb[1]) ? kb[1].data : "", colors[2], RG_KEY_POINT},
                      {buf_cstr(&kb[2]) ? kb[2].data : "", colors[0], RG_KEY_POINT}};

    rg_panel f;
    memset(&f, 0, sizeof f);
    f.width = o->width;
    f.height = o->height;
    f.cls = "rg-plot rg-volcano";
    f.title = o->title;
    f.label = o->title ? o->title : "Volcano plot";
    f.x.kind = RG_AXIS_LINEAR;
    f.x.lo = -rmax * 1.08;
    f.x.hi = rmax * 1.08;
    f.y.kind = RG_AXIS_NEGLOG10;
    f.y.lo = 1;
    f.y.hi = pow(10, -(ttop * 1.04 + 0.04)); /* room above the top point */
    f.x.title = o->xlab ? o->xlab : "r";
    f.y.title = o->ylab ? o->ylab : o->adjusted ? "Adjusted p-value" : "p-value";
    f.keys = keys;
    f.nkeys = 3;
    f.grid = 2;
    svg_panel_layout(&f);

    rg_svg s;
    svg_panel_begin(&s, out, &f);
    if (cut_r) {
        svg_path_move(&s, svg_axis_at(&f.x, -o->r_cut), f.top);
        svg_path_v(&s, f.top + f.ph);
        svg_path_move(&s, svg_axis_at(&f.x, o->r_cut), f.top);
        svg_path_v(&s, f.top + f.ph);
    }
    if (cut_p) {
        svg_path_move(&s, f.left, svg_axis_at(&f.y, o->p_cut));
        svg_path_h(&s, f.left + f.pw);
    }
    svg_path_end(&s, "rg-ref", NULL, NULL);
    /* the grey points first, the passing ones over them; capped points as
     * triangles pointing up */
    for (int c = 0; c < 3; c++) {
        for (size_t i = 0; i < n; i++)
            if (cat[i] == c && o->p[i] > 0) {
                double px = svg_axis_at(&f.x, o->r[i]), py = svg_axis_at(&f.y, o->p[i]);
                svg_path_move(&s, px, py);
                svg_path_h(&s, px);
            }
        svg_path_end(&s, "rg-pts", colors[c], NULL);
        for (size_t i = 0; i < n; i++)
            if (cat[i] == c && o->p[i] == 0) {
                double px = svg_axis_at(&f.x, o->r[i]), py = svg_axis_at(&f.y, cap);
                svg_path_move(&s, px, py - 4.5);
                svg_path_line(&s, px + 4, py + 2.5);
                svg_path_line(&s, px - 4, py + 2.5);
                svg_path_close(&s);
            }
        svg_path_end(&s, "rg-capped", NULL, colors[c]);
    }
    /* labels of the most significant passing points, towards the middle,
     * moved up or down to miss the labelled points and the labels placed
     * before, else left out */
    size_t m = 0, np = 0;
    if (o->labels && o->label_top) {
        for (size_t i = 0; i < n; i++)
            if (cat[i] == 1 || cat[i] == 2)
                top[m++] = (sig){o->p[i], o->r[i], i};
        qsort(top, m, sizeof *top, by_sig);
        if (m > o->label_top)
            m = o->label_top;
    }
    for (size_t j = 0; j < m; j++) { /* no label hides a labelled point */
        size_t i = top[j].i;
        double px = svg_axis_at(&f.x, o->r[i]);
        double py = svg_axis_at(&f.y, o->p[i] > 0 ? o->p[i] : cap);
        placed[np++] = (box){px - 3, py - 3, px + 3, py + 3};
    }
    rg_buf t = {0};
    static const double shift[] = {0, -11, 11, -22, 22};
    for (size_t j = 0; j < m; j++) {
        size_t i = top[j].i;
        double px = svg_axis_at(&f.x, o->r[i]);
        double py = svg_axis_at(&f.y, o->p[i] > 0 ? o->p[i] : cap);
        svg_fit_text(&t, o->labels[i], 10, fmin(140, f.pw / 2));
        double w = svg_text_width(buf_cstr(&t) ? t.data : "", 10);
        int right = o->r[i] >= 0; /* the label goes left of the point */
        for (size_t k = 0; k < sizeof shift / sizeof *shift; k++) {
            double y = py + 3.5 + shift[k];
            box bx = {right ? px - 6 - w : px + 6, y - 9, right ? px - 6 : px + 6 + w, y + 2};
            int fits = bx.x0 >= f.left && bx.x1 <= f.left + f.pw && bx.y0 >= f.top &&
                       bx.y1 <= f.top + f.ph;
            for (size_t q = 0; q < np && fits; q++)
                fits = !boxes_meet(&bx, &placed[q]);
            if (!fits)
                continue;
            placed[np++] = bx;
            svg_text(&s, right ? px - 6 : px + 6, y, right ? "rg-ptlab rg-halo rg-end" : "rg-ptlab rg-halo",
                     NULL, buf_cstr(&t) ? t.data : "");
            break;
        }
    }
    svg_panel_end(&s, &f);
    int failed = t.failed || kb[0].failed || kb[1].failed || kb[2].failed;
    buf_free(&t);
    for (int c = 0; c < 3; c++)
        buf_free(&kb[c]);
    free(cat);
    free(top);
    free(placed);
    if (failed)
        out->failed = 1;
    return svg_end(&s);
}

/* ---- ROC curves ---------------------------------------------------------- */

typedef struct {
    double x, y;
} pt;

static int by_pt(const void *a, const void *b)
{
    const pt *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->y < q->y ? -1 : p->y > q->y;
}

/* "t = 3.2" (infinite thresholds as the sign of infinity, none when NaN)
 * and the separator before what follows */
static void put_threshold(rg_buf *b, double t, const char *sep)
{
    if (isnan(t))
        return;
    buf_puts(b, "t = ");
    if (isinf(t))
        buf_puts(b, t > 0 ? "\xE2\x88\x9E" : "\xE2\x88\x92\xE2\x88\x9E");
    else
        fmt_num(b, t, 3);
    buf_puts(b, sep);
}

/* "A: AUC 0.81 (95% CI 0.72–0.90)" and "Youden t = 3.2: Se 0.85, Sp 0.77" */
static void roc_texts(rg_buf *a, rg_buf *y, const rg_plot_roc_curve *c)
{
    if (c->label && *c->label) {
        buf_puts(a, c->label);
        if (isfinite(c->auc))
            buf_puts(a, ": ");
    }
    if (isfinite(c->auc)) {
        buf_puts(a, "AUC ");
        fmt_fixed(a, c->auc, 2, 0);
        if (isfinite(c->lower) && isfinite(c->upper)) {
            buf_puts(a, " (95% CI ");
            fmt_fixed(a, c->lower, 2, 0);
            buf_puts(a, "\xE2\x80\x93");
            fmt_fixed(a, c->upper, 2, 0);
            buf_putc(a, ')');
        }
    }
    if (isfinite(c->youden_se) && isfinite(c->youden_sp)) {
        buf_puts(y, "Youden ");
        put_threshold(y, c->youden_t, ": ");
        buf_puts(y, "Se ");
        fmt_fixed(y, c->youden_se, 2, 0);
        buf_puts(y, ", Sp ");
        fmt_fixed(y, c->youden_sp, 2, 0);
    }
}

int plot_roc(rg_buf *out, const rg_plot_roc *o)
{
    size_t k = o->ncurves, mmax = 0;
    for (size_t g = 0; g < k; g++)
        mmax = o->curves[g].m > mmax ? o->curves[g].m : mmax;
    pt *sc = malloc((mmax + 2) * sizeof *sc);
    double *px = malloc((mmax + 2) * sizeof *px), *py = malloc((mmax + 2) * sizeof *py);
    if (!sc || !px || !py) {
        free(sc);
        free(px);
        free(py);
        return -1;
    }
    static const double at[] = {0, 0.2, 0.4, 0.6, 0.8, 1};
    rg_panel f;
    memset(&f, 0, sizeof f);
    f.width = o->width;
    f.height = o->height;
    f.cls = "rg-plot rg-roc";
    f.title = o->title;
    f.label = o->title ? o->title : "ROC curves";
    f.x.kind = f.y.kind = RG_AXIS_LINEAR;
    f.x.lo = f.y.lo = -0.02;
    f.x.hi = f.y.hi = 1.02;
    f.x.at = f.y.at = at;
    f.x.nat = f.y.nat = 6;
    f.x.title = o->xlab ? o->xlab : "1 \xE2\x88\x92 Specificity";
    f.y.title = o->ylab ? o->ylab : "Sensitivity";
    f.grid = 2;
    svg_panel_layout(&f);
    if (f.pw > f.ph + 1) /* square: the area as tall as wide */
        f.room_right = f.pw - f.ph;
    else if (f.ph > f.pw + 1)
        f.room_top = f.ph - f.pw;
    svg_panel_layout(&f);

    rg_svg s;
    svg_panel_begin(&s, out, &f);
    svg_line(&s, svg_axis_at(&f.x, 0), svg_axis_at(&f.y, 0), svg_axis_at(&f.x, 1),
             svg_axis_at(&f.y, 1), "rg-ref", NULL);
    for (size_t g = 0; g < k; g++) {
        const rg_plot_roc_curve *c = &o->curves[g];
        size_t m = 0;
        sc[m++] = (pt){0, 0};
        for (size_t i = 0; i < c->m; i++)
            if (isfinite(c->fpr[i]) && isfinite(c->tpr[i]))
                sc[m++] = (pt){c->fpr[i], c->tpr[i]};
        sc[m++] = (pt){1, 1};
        qsort(sc, m, sizeof *sc, by_pt);
        for (size_t i = 0; i < m; i++) {
            px[i] = svg_axis_at(&f.x, sc[i].x);
            py[i] = svg_axis_at(&f.y, sc[i].y);
        }
        svg_polyline(&s, px, py, m, "rg-line", svg_color(g));
    }
    /* Youden points over every curve, with their thresholds */
    rg_buf t = {0}, u = {0};
    for (size_t g = 0; g < k; g++) {
        const rg_plot_roc_curve *c = &o->curves[g];
        double x = svg_axis_at(&f.x, 1 - c->youden_sp), y = svg_axis_at(&f.y, c->youden_se);
        if (!(isfinite(x) && isfinite(y)))
            continue;
        svg_circle(&s, x, y, 4, "rg-youden", svg_color(g));
        t.len = 0;
        put_threshold(&t, c->youden_t, "");
        double w = svg_text_width(buf_cstr(&t) ? t.data : "", 10);
        int left = x + 7 + w > f.left + f.pw;
        svg_text(&s, left ? x - 7 : x + 7, y + 13, left ? "rg-ptlab rg-halo rg-end" : "rg-ptlab rg-halo",
                 NULL, buf_cstr(&t) ? t.data : "");
    }
    /* the legend, in the lower right of the area */
    double wmax = 0, maxw = f.pw - 40;
    size_t lines = 0;
    for (size_t g = 0; g < k; g++) {
        t.len = u.len = 0;
        roc_texts(&t, &u, &o->curves[g]);
        if (t.len) {
            wmax = fmax(wmax, svg_text_width(buf_cstr(&t) ? t.data : "", RG_SVG_FONT));
            lines++;
        }
        if (u.len) {
            wmax = fmax(wmax, svg_text_width(buf_cstr(&u) ? u.data : "", RG_SVG_SMALL));
            lines++;
        }
    }
    if (lines) {
        wmax = fmin(wmax, maxw);
        double bw = wmax + 34, bh = (double)lines * RG_SVG_LINE_H + 8;
        double bx = f.left + f.pw - 6 - bw, y = f.top + f.ph - 6 - bh;
        svg_rect(&s, bx, y, bw, bh, "rg-legbox", NULL);
        rg_buf fit = {0};
        y += 4;
        for (size_t g = 0; g < k; g++) {
            t.len = u.len = 0;
            roc_texts(&t, &u, &o->curves[g]);
            if (t.len) {
                y += RG_SVG_LINE_H;
                svg_line(&s, bx + 6, y - 4, bx + 24, y - 4, "rg-line", svg_color(g));
                svg_fit_text(&fit, buf_cstr(&t) ? t.data : "", RG_SVG_FONT, maxw);
                svg_text(&s, bx + 28, y, NULL, NULL, buf_cstr(&fit) ? fit.data : "");
            }
            if (u.len) {
                y += RG_SVG_LINE_H;
                if (!t.len)
                    svg_circle(&s, bx + 15, y - 4, 4, "rg-youden", svg_color(g));
                svg_fit_text(&fit, buf_cstr(&u) ? u.data : "", RG_SVG_SMALL, maxw);
                svg_text(&s, bx + 28, y, "rg-note", NULL, buf_cstr(&fit) ? fit.data : "");
            }
        }
        if (fit.failed)
            out->failed = 1;
        buf_free(&fit);
    }
    svg_panel_end(&s, &f);
    if (t.failed || u.failed)
        out->failed = 1;
    buf_free(&t);
    buf_free(&u);
    free(sc);
    free(px);
    free(py);
    return svg_end(&s);
}

/* ---- AUC by decision threshold ------------------------------------------- */

int plot_auc_threshold(rg_buf *out, const rg_plot_auc_threshold *o)
{
    size_t k = o->nseries;
    xkey *sc = malloc(longest(o->series, k) * sizeof *sc);
    rg_key *keys = malloc((k + 1) * sizeof *keys);
    if (!sc || !keys) {
        free(sc);
        free(keys);
        return -1;
    }
    span sx = span_none(), sy = span_none();
    int points = k <= LEGEND_MAX;
    for (size_t g = 0; g < k; g++) {
        const rg_plot_series *se = &o->series[g];
        span_add(&sx, se->x, se->n, 0);
        span_add(&sy, se->y, se->n, 0);
        keys[g] = (rg_key){se->label ? se->label : "", svg_color(g), RG_KEY_LINE};
        points = points && se->n <= 20;
    }
    /* the legend: the series (2 to LEGEND_MAX; one only beside a pass
     * line, when it has a name), then the pass line */
    size_t nkeys = k > 1 && k <= LEGEND_MAX ? k : 0;
    if (k == 1 && isfinite(o->pass) && o->series[0].label && *o->series[0].label)
        nkeys = 1;
    rg_buf t = {0};
    if (isfinite(o->pass)) {
        span_add(&sy, &o->pass, 1, 0);
        buf_puts(&t, "AUC ");
        fmt_num(&t, o->pass, 3);
        keys[nkeys++] = (rg_key){buf_cstr(&t) ? t.data : "", PASS_COLOR, RG_KEY_DASH};
    }

    rg_panel f;
    memset(&f, 0, sizeof f);
    f.width = o->width;
    f.height = o->height;
    f.cls = "rg-plot rg-auc-threshold";
    f.title = o->title;
    f.label = o->title ? o->title : "AUC by decision threshold";
    f.x.kind = f.y.kind = RG_AXIS_LINEAR;
    span_range(sx, 0, &f.x.lo, &f.x.hi);
    span_range(sy, 0, &f.y.lo, &f.y.hi);
    if (sy.lo >= 0 && sy.hi <= 1) { /* AUC: no ticks beyond [0, 1] */
        f.y.lo = fmax(f.y.lo, -0.02);
        f.y.hi = fmin(f.y.hi, 1.02);
    }
    f.x.title = o->xlab ? o->xlab : "Decision threshold";
    f.y.title = o->ylab ? o->ylab : "AUC";
    f.keys = keys;
    f.nkeys = nkeys;
    f.room_top = k > LEGEND_MAX ? RG_SVG_LINE_H : 0; /* the note "N outputs" */
    f.grid = 2;
    svg_panel_layout(&f);

    rg_svg s;
    svg_panel_begin(&s, out, &f);
    if (isfinite(o->pass))
        ref_lines(&s, &f, &o->pass, 1);
    for (size_t g = 0; g < k; g++)
        draw_series(&s, &f, &o->series[g], 0, points, svg_color(g),
                    k > LEGEND_MAX ? "rg-line rg-thin" : "rg-line", sc);
    svg_panel_end(&s, &f);
    if (k > LEGEND_MAX) {
        t.len = 0;
        buf_printf(&t, "%zu outputs", k);
        svg_text(&s, f.left + f.pw, f.top - 6, "rg-note rg-end", NULL,
                 buf_cstr(&t) ? t.data : "");
    }
    if (t.failed)
        out->failed = 1;
    buf_free(&t);
    free(sc);
    free(keys);
    return svg_end(&s);
}
