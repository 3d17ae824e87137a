/* engine/plot_heatmap.c — clustered heat maps (plot.h): a matrix of values
 * as coloured cells, rows and columns in the order of their dendrograms
 * (given as plain arrays, R's hclust convention; the clustering itself is
 * the caller's), the dendrograms, labels and a colour bar.
 *
 * The cells are what makes a heat map large, so they are written compactly:
 * colours quantised to NLEVELS levels of the ramp, one <path> per level,
 * each run of equal colour in a row one piece of it, on a grid whose unit
 * is one cell (a scale transform): "M12 30h3" is three cells of row 30, a
 * stroke one row thick. 60 x 200 cells of noisy correlations take about
 * 80 KB. Pure C. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "plot.h"
#include "svg.h"

#define NLEVELS 63        /* odd: 0 is the middle of a level (white) when diverging */
#define CELL_MIN_W 28.0   /* cell values ("auto"): cells at least this wide, */
#define CELL_MIN_H 16.0   /* this high, */
#define CELL_MAX_N 400    /* and this few */
#define GAP 4.0           /* between the cells and a dendrogram or labels */
#define BAR_W 12.0
#define BAR_GAP 16.0

/* Is t a tree over n >= 2 leaves: an order that is a permutation, and
 * merges that each join two leaves or earlier clusters not joined before?
 * used: 2n - 1 scratch flags. */
static int tree_ok(const rg_plot_tree *t, size_t n, unsigned char *used)
{
    if (!t || n < 2 || t->n != n || !t->merge || !t->height || !t->order)
        return 0;
    memset(used, 0, 2 * n - 1);
    for (size_t i = 0; i < n; i++) {
        int o = t->order[i];
        if (o < 1 || (size_t)o > n || used[o - 1])
            return 0;
        used[o - 1] = 1;
    }
    memset(used, 0, 2 * n - 1);
    for (size_t k = 0; k < n - 1; k++)
        for (int s = 0; s < 2; s++) {
            int m = t->merge[2 * k + s];
            size_t node; /* leaves 0..n-1, merges n.. */
            if (m < 0 && (size_t)(-(long)m) <= n)
                node = (size_t)(-(long)m) - 1;
            else if (m > 0 && (size_t)m <= k)
                node = n + (size_t)m - 1;
            else
                return 0;
            if (used[node])
                return 0;
            used[node] = 1;
        }
    return 1;
}

/* The display order: at[i] is the row (column) drawn at place i. */
static void display_order(const rg_plot_tree *t, int ok, size_t n, size_t *at)
{
    for (size_t i = 0; i < n; i++)
        at[i] = ok ? (size_t)t->order[i] - 1 : i;
}

static double tree_height(const rg_plot_tree *t, size_t k)
{
    double h = t->height[k];
    return isfinite(h) && h > 0 ? h : 0;
}

/* Draw the dendrogram of a valid tree as one path: leaf places from
 * place[] (0-based, the cell's centre at place + 0.5), positions
 * p0 + (place + 0.5) * step along the cells, heights from base (0) to
 * base + span (the largest merge height) across them. vertical: the tree
 * stands above columns (heights up), else it lies left of rows (heights
 * leftwards). node: 2n - 1 scratch positions. */
static void draw_tree(rg_svg *s, const rg_plot_tree *t, const size_t *place, double p0,
                      double step, double base, double span, int vertical, double *node)
{
    size_t n = t->n;
    double hmax = 0;
    for (size_t k = 0; k + 1 < n; k++)
        hmax = fmax(hmax, tree_height(t, k));
    if (!(hmax > 0))
        hmax = 1;
    for (size_t i = 0; i < n; i++)
        node[i] = p0 + ((double)place[i] + 0.5) * step;
    for (size_t k = 0; k + 1 < n; k++) {
        double pos[2], h[2], hk = base - tree_height(t, k) / hmax * span;
        for (int c = 0; c < 2; c++) {
            int m = t->merge[2 * k + c];
            size_t idx = m < 0 ? (size_t)(-(long)m) - 1 : n + (size_t)m - 1;
            pos[c] = node[idx];
            h[c] = m < 0 ? base : base - tree_height(t, (size_t)m - 1) / hmax * span;
        }
        node[n + k] = (pos[0] + pos[1]) / 2;
        if (vertical) {
            svg_path_move(s, pos[0], h[0]);
            svg_path_v(s, hk);
            svg_path_h(s, pos[1]);
            svg_path_v(s, h[1]);
        } else {
            svg_path_move(s, h[0], pos[0]);
            svg_path_h(s, hk);
            svg_path_v(s, pos[1]);
            svg_path_h(s, h[1]);
        }
    }
    svg_path_end(s, "rg-dendro", NULL, NULL);
}

/* The colour level of v: 0 .. NLEVELS - 1, NLEVELS for NaN. */
static int level_of(double v, double lo, double hi, int diverging)
{
    if (isnan(v))
        return NLEVELS;
    v = v < lo ? lo : v > hi ? hi : v;
    double t;
    if (diverging) {
        double m = fmax(fabs(lo), fabs(hi));
        t = m > 0 ? (v / m + 1) / 2 : 0.5;
    } else {
        t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    }
    int k = (int)floor(t * NLEVELS);
    return k < 0 ? 0 : k >= NLEVELS ? NLEVELS - 1 : k;
}

static void level_color(int k, int diverging, char c[8])
{
    double t = k >= NLEVELS ? NAN : (k + 0.5) / NLEVELS;
    if (diverging)
        svg_diverging(isnan(t) ? t : 2 * t - 1, c);
    else
        svg_sequential(t, c);
}

/* Dark enough for white text? */
static int dark(const char c[8])
{
    unsigned r = 0, g = 0, b = 0;
    for (int i = 1; i < 7; i++) {
        unsigned d = (unsigned)(c[i] <= '9' ? c[i] - '0' : (c[i] | 0x20) - 'a' + 10);
        if (i < 3)
            r = r * 16 + d;
        else if (i < 5)
            g = g * 16 + d;
        else
            b = b * 16 + d;
    }
    return 0.299 * r + 0.587 * g + 0.114 * b < 140;
}

/* The colour limits: given, else symmetric about 0 (diverging) or the range. */
static void limits(const rg_plot_heatmap *o, double *lo, double *hi)
{
    size_t n = o->nrow * o->ncol;
    if (isfinite(o->zlo) && isfinite(o->zhi) && o->zhi > o->zlo) {
        *lo = o->zlo;
        *hi = o->zhi;
        return;
    }
    double a = INFINITY, b = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(o->z[i])) {
            a = fmin(a, o->z[i]);
            b = fmax(b, o->z[i]);
        }
    if (o->diverging) {
        double m = fmax(fabs(a), fabs(b));
        if (!(isfinite(m) && m > 0))
            m = 1;
        *lo = -m;
        *hi = m;
    } else if (!(a <= b)) {
        *lo = 0;
        *hi = 1;
    } else if (a == b) {
        *lo = a - 0.5;
        *hi = b + 0.5;
    } else {
        *lo = a;
        *hi = b;
    }
}

static double widest(const char *const *v, size_t n, double size)
{
    double w = 0;
    for (size_t i = 0; v && i < n; i++)
        w = fmax(w, svg_text_width(v[i] ? v[i] : "", size));
    return w;
}

/* Append the move to cell (c, r) from the pen at (*x, *y): absolute or
 * relative, whichever is shorter (absolute on a tie). */
static void move_to(rg_buf *b, size_t c, size_t r, size_t *x, size_t *y)
{
    char abs_[48], rel[48];
    long dx = (long)c - (long)*x, dy = (long)r - (long)*y;
    int na = snprintf(abs_, sizeof abs_, "M%zu %zu", c, r);
    int nr = snprintf(rel, sizeof rel, "m%ld %ld", dx, dy);
    buf_puts(b, nr < na ? rel : abs_);
    *x = c;
    *y = r;
}

/* The cells, lev their levels in display order (nr x nc): one path per
 * colour level, in a group whose unit is a cell. A run of equal colour in a
 * row is a horizontal stroke one row thick with butt ends, "M12 30h3": the
 * rectangle of those cells in half the bytes of "M12 30h3v1h-3z" (the
 * group is moved down half a row, so that row r's strokes are centred on
 * y = r). */
static void draw_cells(rg_svg *s, const unsigned char *lev, size_t nr, size_t nc, double left,
                       double top, double cw, double ch, int diverging)
{
    if (!(isfinite(left) && isfinite(top) && cw > 0 && ch > 0 && isfinite(cw) &&
          isfinite(ch))) {
        s->skipped++;
        return;
    }
    rg_buf *b = s->b;
    buf_puts(b, "<g class=\"rg-cells\" transform=\"translate(");
    svg_num(b, left);
    buf_putc(b, ' ');
    fmt_fixed(b, top + ch / 2, 3, 1);
    buf_puts(b, ") scale(");
    fmt_fixed(b, cw, 4, 1);
    buf_putc(b, ' ');
    fmt_fixed(b, ch, 4, 1);
    buf_puts(b, ")\">\n");
    unsigned char present[NLEVELS + 1];
    memset(present, 0, sizeof present);
    for (size_t i = 0; i < nr * nc; i++)
        present[lev[i]] = 1;
    char col[8];
    for (int k = 0; k <= NLEVELS; k++) {
        if (!present[k])
            continue;
        level_color(k, diverging, col);
        buf_printf(b, "<path stroke=\"%s\" d=\"", col);
        size_t x = 0, y = 0; /* the pen; "M" first, as a path must begin */
        int first = 1;
        for (size_t r = 0; r < nr; r++)
            for (size_t c = 0, e; c < nc; c = e) {
                const unsigned char *row = lev + r * nc;
                for (e = c + 1; e < nc && row[e] == row[c];)
                    e++;
                if (row[c] != k)
                    continue;
                if (first)
                    buf_printf(b, "M%zu %zu", c, r);
                else
                    move_to(b, c, r, &x, &y);
                x = e;
                y = r;
                first = 0;
                buf_printf(b, "h%zu", e - c);
            }
        buf_puts(b, "\"/>\n");
    }
    buf_puts(b, "</g>\n");
}

/* Append a cell's value: 2 decimals when every value is within [-1, 1]
 * (correlations), else 3 significant digits. */
static void cell_text(rg_buf *t, double v, int unit)
{
    t->len = 0;
    if (unit)
        fmt_fixed(t, v, 2, 0);
    else
        fmt_num(t, v, 3);
}

int plot_heatmap(rg_buf *out, const rg_plot_heatmap *o, double *height)
{
    size_t nr = o->z ? o->nrow : 0, nc = o->z ? o->ncol : 0, ncell = nr * nc;
    size_t nmax = (nr > nc ? nr : nc) + 1;
    size_t *rat = malloc(nmax * sizeof *rat), *cat = malloc(nmax * sizeof *cat);
    size_t *rplace = malloc(nmax * sizeof *rplace), *cplace = malloc(nmax * sizeof *cplace);
    unsigned char *used = malloc(2 * nmax), *lev = malloc(ncell ? ncell : 1);
    double *node = malloc(2 * nmax * sizeof *node);
    if (!rat || !cat || !rplace || !cplace || !used || !lev || !node) {
        free(rat);
        free(cat);
        free(rplace);
        free(cplace);
        free(used);
        free(lev);
        free(node);
        return -1;
    }
    int rtree = tree_ok(o->row_tree, nr, used), ctree = tree_ok(o->col_tree, nc, used);
    display_order(o->row_tree, rtree, nr, rat);
    display_order(o->col_tree, ctree, nc, cat);
    for (size_t i = 0; i < nr; i++)
        rplace[rat[i]] = i;
    for (size_t j = 0; j < nc; j++)
        cplace[cat[j]] = j;
    double lo, hi;
    limits(o, &lo, &hi);
    int unit = 1;
    for (size_t i = 0; i < ncell; i++)
        if (isfinite(o->z[i]) && fabs(o->z[i]) > 1)
            unit = 0;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++)
            lev[i * nc + j] =
                (unsigned char)level_of(o->z[rat[i] * nc + cat[j]], lo, hi, o->diverging);

    /* ---- layout ---- */
    double W = isfinite(o->width) && o->width > 0 ? o->width : 0;
    double H = isfinite(o->height) && o->height > 0 ? o->height : 0;
    double top0 = RG_SVG_PAD + (o->title ? RG_SVG_HEAD_H : 0);
    double dh = ctree ? fmin(fmax(0.12 * H, 24), 70) : 0;
    double T = top0 + (ctree ? dh + GAP : 0);
    double ytitle = o->ylab ? RG_SVG_FONT + 6 : 0;
    double dw = rtree ? fmin(fmax(0.12 * W, 24), 80) : 0;
    double L = RG_SVG_PAD + ytitle + (rtree ? dw + GAP : 0);
    double bar_room = BAR_GAP + BAR_W + svg_colorbar_room(lo, hi, o->legend_title);
    double rl = o->row_names ? fmin(widest(o->row_names, nr, RG_SVG_SMALL), 0.25 * W) : 0;
    double pw = W - L - (rl > 0 ? rl + GAP : 0) - bar_room - RG_SVG_PAD;
    if (pw < RG_SVG_MIN_PLOT) { /* labels give way first */
        rl = fmax(rl - (RG_SVG_MIN_PLOT - pw), 0);
        pw = fmax(W - L - (rl > 0 ? rl + GAP : 0) - bar_room - RG_SVG_PAD, RG_SVG_MIN_PLOT);
    }
    double cw = nc ? pw / (double)nc : pw;
    double wc = o->col_names ? fmin(widest(o->col_names, nc, RG_SVG_SMALL), 0.3 * H) : 0;
    int rotated = o->col_names && wc + 6 > cw;
    size_t every_c = 1;
    if (rotated) {
        double e = ceil((RG_SVG_SMALL + 2) / fmax(cw, 1e-9));
        every_c = e > 1 ? (size_t)fmin(e, 1e9) : 1;
    }
    double clab = o->col_names ? GAP + (rotated ? wc + 2 : 14) : 0;
    double bottom = clab + (o->xlab ? RG_SVG_LINE_H + 6 : 0) + RG_SVG_PAD;
    double ph = H - T - bottom;
    if (ph < RG_SVG_MIN_PLOT) {
        ph = RG_SVG_MIN_PLOT;
        H = T + ph + bottom;
    }
    double ch = nr ? ph / (double)nr : ph;
    size_t every_r = 1;
    {
        double e = ceil((RG_SVG_SMALL + 2) / fmax(ch, 1e-9));
        every_r = e > 1 ? (size_t)fmin(e, 1e9) : 1;
    }
    int values = o->cell_labels > 0 ||
                 (o->cell_labels < 0 && cw >= CELL_MIN_W && ch >= CELL_MIN_H &&
                  ncell <= CELL_MAX_N);

    /* ---- drawing ---- */
    rg_svg s;
    svg_begin(&s, out, W, H, "rg-plot rg-heatmap", o->title ? o->title : "Heat map");
    rg_buf t = {0};
    if (o->title) { /* shortened to the width (at the title's 14 px) */
        svg_fit_text(&t, o->title, 14, W - 2 * RG_SVG_PAD);
        svg_text(&s, RG_SVG_PAD, RG_SVG_PAD + 14, "rg-head", NULL, buf_cstr(&t) ? t.data : "");
    }
    if (ncell)
        draw_cells(&s, lev, nr, nc, L, T, cw, ch, o->diverging);
    if (values && ncell) {
        svg_group_begin(&s, "rg-cellv rg-mid", NULL);
        for (size_t i = 0; i < nr; i++)
            for (size_t j = 0; j < nc; j++) {
                double v = o->z[rat[i] * nc + cat[j]];
                if (!isfinite(v))
                    continue;
                char c[8];
                level_color(lev[i * nc + j], o->diverging, c);
                cell_text(&t, v, unit);
                svg_text(&s, L + ((double)j + 0.5) * cw, T + ((double)i + 0.5) * ch + 3.5,
                         dark(c) ? "rg-inv" : NULL, NULL, buf_cstr(&t) ? t.data : "");
            }
        svg_group_end(&s);
    }
    if (rtree)
        draw_tree(&s, o->row_tree, rplace, T, ch, L - GAP, dw, 0, node);
    if (ctree)
        draw_tree(&s, o->col_tree, cplace, L, cw, T - GAP, dh, 1, node);
    svg_group_begin(&s, "rg-tick", NULL);
    if (o->row_names && rl > 0)
        for (size_t i = 0; i < nr; i += every_r) {
            const char *name = o->row_names[rat[i]];
            svg_fit_text(&t, name ? name : "", RG_SVG_SMALL, rl);
            svg_text(&s, L + pw + GAP, T + ((double)i + 0.5) * ch + 4, NULL, NULL,
                     buf_cstr(&t) ? t.data : "");
        }
    if (o->col_names)
        for (size_t j = 0; j < nc; j += every_c) {
            const char *name = o->col_names[cat[j]];
            double x = L + ((double)j + 0.5) * cw;
            svg_fit_text(&t, name ? name : "", RG_SVG_SMALL, rotated ? wc : 1e9);
            if (rotated)
                svg_vtext(&s, x + 4, T + ph + GAP, "rg-end", buf_cstr(&t) ? t.data : "");
            else
                svg_text(&s, x, T + ph + GAP + 11, "rg-mid", NULL, buf_cstr(&t) ? t.data : "");
        }
    svg_group_end(&s);
    if (o->xlab)
        svg_text(&s, L + pw / 2, T + ph + clab + RG_SVG_LINE_H, "rg-lab rg-mid", NULL,
                 o->xlab);
    if (o->ylab)
        svg_vtext(&s, RG_SVG_PAD + RG_SVG_FONT, T + ph / 2, "rg-lab rg-mid", o->ylab);
    double bx = L + pw + (rl > 0 ? rl + GAP : 0) + BAR_GAP;
    double by = ctree && dh >= 16 ? T : T + 16;
    double bh = fmax(fmin(T + ph - by, 220), 40);
    svg_colorbar(&s, bx, by, BAR_W, bh, lo, hi, o->diverging, o->legend_title);
    if (t.failed)
        out->failed = 1;
    buf_free(&t);
    free(rat);
    free(cat);
    free(rplace);
    free(cplace);
    free(used);
    free(lev);
    free(node);
    if (height)
        *height = H;
    return svg_end(&s);
}
