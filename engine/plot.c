/* engine/plot.c — Kaplan-Meier and forest figures on the SVG canvas
 * (plot.h). Layout is in pixels from the edges inwards: margins are sized
 * from the texts they hold (estimated by svg_text_width), and what is left
 * is the plotting area. */
#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "svg.h"

/* Sizes in pixels (svg.h) */
#define FONT RG_SVG_FONT
#define SMALL RG_SVG_SMALL
#define HEAD_H RG_SVG_HEAD_H
#define LINE_H RG_SVG_LINE_H
#define TICK_LEN RG_SVG_TICK
#define PAD RG_SVG_PAD
#define MIN_PLOT RG_SVG_MIN_PLOT
#define P_EPS 1e-4    /* smaller p-values read "< 0.0001" */

void plot_fmt_p(rg_buf *b, double p) { fmt_p(b, p, 2, P_EPS); }

/* The text of a short buffer; "" when it failed (the caller's buffer
 * reports the failure). */
static const char *text_of(rg_buf *b)
{
    const char *s = buf_cstr(b);
    return s ? s : "";
}

/* A linear map from data [d0, d1] to pixels [p0, p1]. */
typedef struct {
    double d0, d1, p0, p1;
} scale;

static double at(const scale *s, double v)
{
    return s->p0 + (v - s->d0) / (s->d1 - s->d0) * (s->p1 - s->p0);
}

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* ---- Kaplan-Meier -------------------------------------------------------- */

/* Subjects at risk at time t (plot.h): those of the first stored time >= t
 * (before the first time that is everyone, n_risk[0]), none past the last. */
static double at_risk(const rg_plot_curve *c, double t)
{
    for (size_t i = 0; i < c->m; i++)
        if (c->time[i] >= t)
            return c->n_risk[i];
    return 0;
}

/* The times of c on the axis: the leading ones up to xmax. */
static size_t shown_times(const rg_plot_curve *c, double xmax)
{
    size_t m = 0;
    while (m < c->m && c->time[m] <= xmax)
        m++;
    return m;
}

/* The step curve: from (0, 1) along S, to the last time shown, or on to
 * xmax when the curve goes on beyond the axis. A new step only where S
 * changes, so that censorings add nothing. */
static void km_curve(rg_svg *s, const rg_plot_curve *c, double xmax, const scale *X,
                     const scale *Y, const char *color)
{
    size_t m = shown_times(c, xmax);
    if (c->m == 0)
        return;
    double prev = 1, here = 0, end = m < c->m ? xmax : m ? c->time[m - 1] : 0;
    svg_path_move(s, at(X, 0), at(Y, 1));
    for (size_t i = 0; i < m; i++)
        if (c->surv[i] != prev) {
            svg_path_h(s, at(X, c->time[i]));
            svg_path_v(s, at(Y, c->surv[i]));
            prev = c->surv[i];
            here = c->time[i];
        }
    if (end > here) /* level to the end */
        svg_path_h(s, at(X, end));
    svg_path_end(s, "rg-line", color, NULL);
}

/* The band: one closed step polygon per run of times with both limits,
 * along the upper limit forwards and the lower one back. A limit holds from
 * its time to the next one. */
static void km_band(rg_svg *s, const rg_plot_curve *c, double xmax, const scale *X,
                    const scale *Y, const char *color)
{
    size_t m = shown_times(c, xmax), i = 0;
#define HAS(j) (isfinite(c->lower[j]) && isfinite(c->upper[j]))
    while (i < m) {
        if (!HAS(i)) {
            i++;
            continue;
        }
        size_t a = i;
        while (i + 1 < m && HAS(i + 1))
            i++;
        size_t b = i++;
        double end = b + 1 < c->m ? fmin(c->time[b + 1], xmax) : c->time[b];
        if (a == b && !(end > c->time[a]))
            continue; /* no width */
        /* a corner only where a limit changes */
        svg_path_move(s, at(X, c->time[a]), at(Y, clamp01(c->upper[a])));
        for (size_t j = a + 1; j <= b; j++)
            if (c->upper[j] != c->upper[j - 1]) {
                svg_path_h(s, at(X, c->time[j]));
                svg_path_v(s, at(Y, clamp01(c->upper[j])));
            }
        svg_path_h(s, at(X, end));
        svg_path_v(s, at(Y, clamp01(c->lower[b])));
        for (size_t j = b; j > a; j--)
            if (c->lower[j - 1] != c->lower[j]) {
                svg_path_h(s, at(X, c->time[j]));
                svg_path_v(s, at(Y, clamp01(c->lower[j - 1])));
            }
        svg_path_h(s, at(X, c->time[a]));
        svg_path_close(s);
    }
#undef HAS
    svg_path_end(s, "rg-band", NULL, color);
}

/* Censor marks: a vertical tick through the curve at each time with
 * censored subjects. */
static void km_censor(rg_svg *s, const rg_plot_curve *c, double xmax, const scale *X,
                      const scale *Y, const char *color)
{
    size_t m = shown_times(c, xmax);
    for (size_t i = 0; i < m; i++)
        if (c->n_censor[i] > 0) {
            double y = at(Y, c->surv[i]);
            svg_path_move(s, at(X, c->time[i]), y - 4);
            svg_path_v(s, y + 4);
        }
    svg_path_end(s, "rg-cens", color, NULL);
}

/* The x ticks: the breaks given (within [0, xmax]), else nice ones. */
static void km_xticks(const rg_plot_km *km, double xmax, double pw, rg_ticks *t)
{
    if (km->breaks) {
        memset(t, 0, sizeof *t);
        t->lo = 0;
        t->hi = xmax;
        for (size_t i = 0; i < km->nbreaks && t->n < RG_SVG_MAX_TICKS; i++)
            if (km->breaks[i] >= 0 && km->breaks[i] <= xmax)
                t->v[t->n++] = km->breaks[i];
        return;
    }
    int target = (int)(pw / 90);
    svg_ticks(0, xmax, target < 2 ? 2 : target > 10 ? 10 : target, 0, t);
}

/* The label of x tick i: breaks as given (up to 7 digits), nice ticks with
 * the decimals of their step. */
static void km_xlabel(rg_buf *b, const rg_plot_km *km, const rg_ticks *t, size_t i)
{
    if (km->breaks)
        fmt_num(b, t->v[i], RG_FMT_DIGITS_VALUE);
    else
        svg_tick_label(b, t, i);
}

/* The legend entries of the curves: a line in each group's colour. */
static rg_key *km_keys(const rg_plot_km *km)
{
    rg_key *k = malloc((km->ncurves ? km->ncurves : 1) * sizeof *k);
    for (size_t g = 0; k && g < km->ncurves; g++)
        k[g] = (rg_key){km->curves[g].label, svg_color(g), RG_KEY_LINE};
    return k;
}

int plot_km(rg_buf *out, const rg_plot_km *km, double *height)
{
    const char *xlab = km->xlab ? km->xlab : "Time";
    const char *ylab = km->ylab ? km->ylab : "Survival probability";
    double W = km->width, H = km->height;
    int legend = km->ncurves > 1;

    /* the time axis: [0, xmax] */
    double xmax = km->xmax;
    if (!(isfinite(xmax) && xmax > 0)) {
        xmax = 0;
        for (size_t g = 0; g < km->ncurves; g++) {
            const rg_plot_curve *c = &km->curves[g];
            if (c->m && isfinite(c->time[c->m - 1]))
                xmax = fmax(xmax, c->time[c->m - 1]);
        }
        for (size_t i = 0; km->breaks && i < km->nbreaks; i++)
            if (isfinite(km->breaks[i]))
                xmax = fmax(xmax, km->breaks[i]);
        if (!(xmax > 0))
            xmax = 1;
    }

    /* margins */
    rg_ticks yt;
    svg_ticks(0, 1, 5, 0, &yt);
    double left = PAD + FONT + 6 + svg_text_width("0.8", SMALL) + 6 + TICK_LEN;
    /* risk table labels end clear of the numbers centred on the first tick */
    double risk_gap = 0;
    rg_buf tmp = {0};
    for (size_t g = 0; km->risk_table && g < km->ncurves; g++) {
        tmp.len = 0;
        const rg_plot_curve *c = &km->curves[g]; /* the widest count: at the start */
        fmt_num(&tmp, c->m ? fmax(c->n_risk[0], 0) : 0, RG_FMT_DIGITS_VALUE);
        risk_gap = fmax(risk_gap, svg_text_width(text_of(&tmp), SMALL) / 2 + 6);
    }
    for (size_t g = 0; km->risk_table && g < km->ncurves; g++)
        left = fmax(left, PAD + svg_text_width(km->curves[g].label, SMALL) + risk_gap);
    double right = 3 * PAD;
    double top = PAD + (km->title ? HEAD_H : 0);
    double legend_top = top;
    rg_key *keys = legend ? km_keys(km) : NULL;
    if (legend && !keys)
        return -1;
    if (legend)
        top += (double)svg_legend(NULL, keys, km->ncurves, left, W - left - right, top) * LINE_H + 6;
    double axis_h = TICK_LEN + 14 + LINE_H + 4; /* ticks, their labels, xlab */
    double risk_h = km->risk_table ? 6 + LINE_H + (double)km->ncurves * LINE_H : 0;
    double bottom = axis_h + risk_h + PAD;
    double pw = fmax(W - left - right, MIN_PLOT), ph = H - top - bottom;
    if (ph < MIN_PLOT) {
        ph = MIN_PLOT;
        H = top + ph + bottom;
    }
    if (height)
        *height = H;
    scale X = {0, xmax, left, left + pw}, Y = {0, 1, top + ph, top};
    rg_ticks xt;
    km_xticks(km, xmax, pw, &xt);

    rg_svg s;
    svg_begin(&s, out, W, H, "rg-plot rg-km",
              km->title ? km->title : "Kaplan-Meier curves");
    if (km->title)
        svg_text(&s, left, PAD + 14, "rg-head", NULL, km->title);
    if (legend)
        svg_legend(&s, keys, km->ncurves, left, W - left - right, legend_top);
    free(keys);

    /* grid, data, axes */
    for (size_t i = 0; i < yt.n; i++) {
        svg_path_move(&s, left, at(&Y, yt.v[i]));
        svg_path_h(&s, left + pw);
    }
    svg_path_end(&s, "rg-grid", NULL, NULL);
    for (size_t g = 0; km->conf_band && g < km->ncurves; g++)
        if (km->curves[g].lower && km->curves[g].upper)
            km_band(&s, &km->curves[g], xmax, &X, &Y, svg_color(g));
    for (size_t g = 0; g < km->ncurves; g++)
        km_curve(&s, &km->curves[g], xmax, &X, &Y, svg_color(g));
    for (size_t g = 0; km->censor_marks && g < km->ncurves; g++)
        if (km->curves[g].n_censor)
            km_censor(&s, &km->curves[g], xmax, &X, &Y, svg_color(g));
    svg_path_move(&s, left, top);
    svg_path_v(&s, top + ph);
    svg_path_h(&s, left + pw);
    for (size_t i = 0; i < yt.n; i++) {
        svg_path_move(&s, left, at(&Y, yt.v[i]));
        svg_path_h(&s, left - TICK_LEN);
    }
    for (size_t i = 0; i < xt.n; i++) {
        svg_path_move(&s, at(&X, xt.v[i]), top + ph);
        svg_path_v(&s, top + ph + TICK_LEN);
    }
    svg_path_end(&s, "rg-axis", NULL, NULL);

    /* texts */
    svg_group_begin(&s, "rg-tick", NULL);
    for (size_t i = 0; i < yt.n; i++) {
        tmp.len = 0;
        svg_tick_label(&tmp, &yt, i);
        svg_text(&s, left - TICK_LEN - 3, at(&Y, yt.v[i]) + 4, "rg-end", NULL,
                 text_of(&tmp));
    }
    for (size_t i = 0; i < xt.n; i++) {
        tmp.len = 0;
        km_xlabel(&tmp, km, &xt, i);
        svg_text(&s, at(&X, xt.v[i]), top + ph + TICK_LEN + 12, "rg-mid", NULL,
                 text_of(&tmp));
    }
    svg_group_end(&s);
    svg_text(&s, left + pw / 2, top + ph + axis_h, "rg-lab rg-mid", NULL, xlab);
    svg_vtext(&s, PAD + FONT, top + ph / 2, "rg-lab rg-mid", ylab);
    if (isfinite(km->p)) {
        tmp.len = 0;
        if (km->p_label) {
            buf_puts(&tmp, km->p_label);
            buf_putc(&tmp, ' ');
        }
        buf_puts(&tmp, km->p < P_EPS ? "p " : "p = ");
        plot_fmt_p(&tmp, km->p);
        svg_text(&s, left + pw - 6, top + 16, "rg-p rg-end", NULL, text_of(&tmp));
    }
    if (km->risk_table) {
        double y = top + ph + axis_h + 6 + LINE_H;
        svg_text(&s, PAD, y, "rg-lab", NULL, "Number at risk");
        svg_group_begin(&s, "rg-risk", NULL);
        for (size_t g = 0; g < km->ncurves; g++) {
            const rg_plot_curve *c = &km->curves[g];
            y += LINE_H;
            svg_text(&s, left - risk_gap, y, "rg-end", svg_color(g), c->label);
            for (size_t i = 0; i < xt.n; i++) {
                double r = at_risk(c, xt.v[i]);
                if (!isfinite(r))
                    continue; /* figures never write NaN */
                tmp.len = 0;
                fmt_num(&tmp, r, RG_FMT_DIGITS_VALUE);
                svg_text(&s, at(&X, xt.v[i]), y, "rg-mid", NULL, text_of(&tmp));
            }
        }
        svg_group_end(&s);
    }
    if (tmp.failed)
        out->failed = 1;
    buf_free(&tmp);
    return svg_end(&s);
}

/* ---- forest -------------------------------------------------------------- */

#define ROW_H 24.0

static int estimable(const rg_plot_forest_row *r)
{
    return isfinite(r->hr) && isfinite(r->lower) && isfinite(r->upper) && r->hr > 0 &&
           r->lower > 0 && r->upper > 0;
}

/* A ratio for the text column: 2 decimals as tables of hazard ratios
 * print them ("1.10"), in scientific notation beyond. */
static void ratio_text(rg_buf *b, double v)
{
    if (v >= 0.01 && v < 1e4)
        fmt_fixed(b, v, 2, 0);
    else
        fmt_num(b, v, 2);
}

/* "1.52 (1.10–2.09)", or "not estimable". */
static void hr_text(rg_buf *b, const rg_plot_forest_row *r)
{
    if (!estimable(r)) {
        buf_puts(b, "not estimable");
        return;
    }
    ratio_text(b, r->hr);
    buf_puts(b, " (");
    ratio_text(b, r->lower);
    buf_puts(b, "\xE2\x80\x93"); /* an en dash: a hyphen reads as a minus */
    ratio_text(b, r->upper);
    buf_putc(b, ')');
}

int plot_forest(rg_buf *out, const rg_plot_forest *f, double *height)
{
    double W = f->width;
    rg_buf tmp = {0}, head = {0}, xlab = {0};
    /* "95%" from the level */
    fmt_num(&tmp, f->conf * 100, 3);
    buf_printf(&head, "HR (%s%% CI)", text_of(&tmp));
    if (f->xlab)
        buf_puts(&xlab, f->xlab);
    else
        buf_printf(&xlab, "Hazard ratio (%s%% CI)", text_of(&tmp));

    /* columns: labels | plot | HR (CI) | p */
    double lw = 0, tw = svg_text_width(text_of(&head), FONT),
           pcw = svg_text_width("p", FONT);
    double lo = 1, hi = 1; /* the axis holds the reference line */
    for (size_t i = 0; i < f->nrows; i++) {
        const rg_plot_forest_row *r = &f->rows[i];
        lw = fmax(lw, svg_text_width(r->label, FONT));
        tmp.len = 0;
        hr_text(&tmp, r);
        tw = fmax(tw, svg_text_width(text_of(&tmp), FONT));
        if (isfinite(r->p)) {
            tmp.len = 0;
            plot_fmt_p(&tmp, r->p);
            pcw = fmax(pcw, svg_text_width(text_of(&tmp), FONT));
        }
        if (estimable(r)) {
            lo = fmin(lo, fmin(r->lower, r->hr));
            hi = fmax(hi, fmax(r->upper, r->hr));
        }
    }
    double left = PAD + fmin(lw, 0.4 * W) + 2 * PAD;
    double right = PAD + tw + 2 * PAD + pcw + PAD;
    double pw = fmax(W - left - right, MIN_PLOT);
    double tx = left + pw + 2 * PAD, px = tx + tw + 2 * PAD; /* the text columns */
    double top = PAD + (f->title ? HEAD_H : 0);
    double rows_top = top + HEAD_H, rows_bottom = rows_top + (double)f->nrows * ROW_H;
    double axis_y = rows_bottom + 6;
    double H = axis_y + TICK_LEN + 14 + LINE_H + 4 + PAD;
    if (height)
        *height = H;
    rg_ticks xt;
    svg_log_ticks(lo, hi, 1, &xt);
    scale X = {log10(xt.lo), log10(xt.hi), left, left + pw};

    rg_svg s;
    svg_begin(&s, out, W, H, "rg-plot rg-forest", f->title ? f->title : "Forest plot");
    if (f->title)
        svg_text(&s, PAD, PAD + 14, "rg-head", NULL, f->title);
    svg_text(&s, tx, top + 14, "rg-lab", NULL, text_of(&head));
    svg_text(&s, px, top + 14, "rg-lab", NULL, "p");
    svg_line(&s, at(&X, 0), rows_top, at(&X, 0), axis_y, "rg-ref", NULL);
    for (size_t i = 0; i < f->nrows; i++) {
        const rg_plot_forest_row *r = &f->rows[i];
        double y = rows_top + ((double)i + 0.5) * ROW_H;
        svg_text(&s, PAD, y + 4, NULL, NULL, r->label);
        tmp.len = 0;
        hr_text(&tmp, r);
        svg_text(&s, tx, y + 4, estimable(r) ? NULL : "rg-na", NULL, text_of(&tmp));
        if (isfinite(r->p)) {
            tmp.len = 0;
            plot_fmt_p(&tmp, r->p);
            svg_text(&s, px, y + 4, NULL, NULL, text_of(&tmp));
        }
        if (!estimable(r))
            continue;
        svg_line(&s, at(&X, log10(r->lower)), y, at(&X, log10(r->upper)), y, "rg-ci", NULL);
        svg_rect(&s, at(&X, log10(r->hr)) - 4, y - 4, 8, 8, "rg-pt", NULL);
    }
    svg_path_move(&s, left, axis_y);
    svg_path_h(&s, left + pw);
    for (size_t i = 0; i < xt.n; i++) {
        svg_path_move(&s, at(&X, log10(xt.v[i])), axis_y);
        svg_path_v(&s, axis_y + TICK_LEN);
    }
    svg_path_end(&s, "rg-axis", NULL, NULL);
    svg_group_begin(&s, "rg-tick", NULL);
    for (size_t i = 0; i < xt.n; i++) {
        tmp.len = 0;
        svg_tick_label(&tmp, &xt, i);
        svg_text(&s, at(&X, log10(xt.v[i])), axis_y + TICK_LEN + 12, "rg-mid", NULL,
                 text_of(&tmp));
    }
    svg_group_end(&s);
    svg_text(&s, left + pw / 2, axis_y + TICK_LEN + 14 + LINE_H, "rg-lab rg-mid", NULL,
             text_of(&xlab));
    if (tmp.failed || head.failed || xlab.failed)
        out->failed = 1;
    buf_free(&tmp);
    buf_free(&head);
    buf_free(&xlab);
    return svg_end(&s);
}
