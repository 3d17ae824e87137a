/* engine/svg.h — an SVG canvas on rg_buf: the primitives figures are drawn
 * with (lines, paths, rectangles, circles, text, groups, clip rectangles),
 * the nice ticks of linear and log axes, and the series palette.
 *
 * Everything here is deterministic text: coordinates are written with at
 * most 1 decimal and no trailing zeros, never as NaN or Inf (an element
 * with a non-finite coordinate is left out and counted in `skipped`). Looks
 * come from classes (rg-axis, rg-grid, ...; templates/report.css), so the
 * SVGs stay small; only the colours of data series, which vary, are written
 * inline. engine/plot.c builds figures on it. Pure C. */
#ifndef RG_SVG_H
#define RG_SVG_H

#include <stddef.h>

#include "buf.h"

/* Append x rounded to 1 decimal, trailing zeros dropped, never "-0"
 * (1.5, 3, 1 for 1.04; fmt_fixed): a tenth of a pixel is
 * finer than any screen shows. Returns 0, or -1 without
 * appending when x is not finite. */
int svg_num(rg_buf *b, double x);

/* ---- the canvas ---------------------------------------------------------- */

typedef struct {
    rg_buf *b;      /* the document is appended here (borrowed) */
    rg_buf d;       /* the path being built by svg_path_* (owned) */
    int pen;        /* the path has a current point */
    size_t skipped; /* elements and path points left out: a coordinate was not finite */
} rg_svg;

/* Start a document of width x height pixels (viewBox 0 0 width height) on b.
 * cls (may be NULL) is the root's class; label (may be NULL) its
 * aria-label, what a screen reader says of the figure. */
void svg_begin(rg_svg *s, rg_buf *b, double width, double height, const char *cls,
               const char *label);

/* Close the document and free the path buffer. Returns 0, or -1 when a
 * buffer ran out of memory (the document is then incomplete). */
int svg_end(rg_svg *s);

/* <g> with a class (may be NULL) and, when clip_id is not NULL, clipped by
 * the clip rectangle of that id. Nest as needed; each begin has its end. */
void svg_group_begin(rg_svg *s, const char *cls, const char *clip_id);
void svg_group_end(rg_svg *s);

/* Define a clip rectangle for svg_group_begin. id must be unique in the
 * whole HTML report, not only in this SVG: ids share one document. */
void svg_clip_rect(rg_svg *s, const char *id, double x, double y, double w, double h);

/* The elements. cls may be NULL; a colour (stroke or fill, e.g. "#0072B2")
 * may be NULL to leave it to the class. Each returns 0, or -1 when a
 * coordinate is not finite (nothing written; counted in skipped). */
int svg_line(rg_svg *s, double x1, double y1, double x2, double y2, const char *cls,
             const char *stroke);
int svg_rect(rg_svg *s, double x, double y, double w, double h, const char *cls,
             const char *fill);
int svg_circle(rg_svg *s, double cx, double cy, double r, const char *cls,
               const char *fill);

/* Text (UTF-8) with its baseline at y; the anchor (start, middle, end) comes
 * from the class. Escaped for XML; control characters become spaces and
 * invalid UTF-8 bytes U+FFFD. svg_vtext writes it rotated by -90 degrees
 * (reading upwards) around (x, y): vertical axis titles. */
int svg_text(rg_svg *s, double x, double y, const char *cls, const char *fill,
             const char *text);
int svg_vtext(rg_svg *s, double x, double y, const char *cls, const char *text);

/* The width of text in pixels at font size `size`, estimated for the
 * report's sans-serif fonts (0.6 em per character): for layout. */
double svg_text_width(const char *text, double size);

/* A line through n points; a point with a non-finite coordinate breaks it
 * (the next finite point starts a new piece). Returns 0, or -1 when nothing
 * was drawable. */
int svg_polyline(rg_svg *s, const double *x, const double *y, size_t n, const char *cls,
                 const char *stroke);

/* Paths, built command by command, then written by svg_path_end as one
 * <path> (nothing when empty). move starts a piece; line, h (horizontal to
 * x) and v (vertical to y) continue it; close closes it. A non-finite
 * coordinate is skipped and breaks the piece; line after a break starts a
 * new piece at its point, h and v wait for the next move or line. Step
 * curves are moves followed by h and v. */
void svg_path_move(rg_svg *s, double x, double y);
void svg_path_line(rg_svg *s, double x, double y);
void svg_path_h(rg_svg *s, double x);
void svg_path_v(rg_svg *s, double y);
void svg_path_close(rg_svg *s);
int svg_path_end(rg_svg *s, const char *cls, const char *stroke, const char *fill);

/* ---- ticks --------------------------------------------------------------- */

#define RG_SVG_MAX_TICKS 64

typedef struct {
    double lo, hi; /* the axis range: the data range, widened to the outer ticks if asked */
    double step;   /* linear ticks: the step (1, 2 or 5 x 10^k); 0: log ticks */
    size_t n;
    double v[RG_SVG_MAX_TICKS]; /* increasing */
} rg_ticks;

/* Linear ticks: the multiples of a step of 1, 2 or 5 x 10^k that lie in
 * [lo, hi], at most target + 1 of them (target 1 to 20). With extend, lo
 * and hi move out to the ticks at or beyond them. A degenerate range (lo ==
 * hi, or a width below 1e-9 of its magnitude) is widened around its middle
 * by 10% of it (by 1 around 0). lo > hi are swapped. Returns 0, or -1 when
 * lo, hi or their difference is not finite (t->n = 0). */
int svg_ticks(double lo, double hi, int target, int extend, rg_ticks *t);

/* Ticks of a log axis for [lo, hi] (both > 0): the decades 10^k; with 2 and
 * 5 x 10^k too when the range spans fewer than 3 decades; nice linear
 * ticks (svg_ticks, target 5) when it spans less than half a decade; and
 * every second (third, ...) decade when there would be more than 10. With
 * extend, lo and hi move out to the ticks at or beyond them (an equal lo and
 * hi first become lo / 2 and hi * 2). Returns 0, or -1 when lo or hi is not
 * finite and positive (t->n = 0). */
int svg_log_ticks(double lo, double hi, int extend, rg_ticks *t);

/* Append the label of tick i: linear ticks with the decimals of the step,
 * log ticks with those of the value (0.05, 0.2, 1, 10), trailing zeros
 * dropped; magnitudes below 1e-4 (but 0) or from 1e15, and steps below
 * 1e-12, in scientific notation as fmt_num writes them ("2e-08"), with the
 * significant digits the step needs. */
void svg_tick_label(rg_buf *b, const rg_ticks *t, size_t i);

/* ---- axes, legends and the plotting frame ----------------------------------- */

/* Sizes in pixels shared by every figure; the font sizes are those of
 * templates/plot.css (.rg-plot text, .rg-tick text, .rg-head). */
#define RG_SVG_FONT 12.0
#define RG_SVG_SMALL 11.0
#define RG_SVG_HEAD_H 22.0 /* a title line */
#define RG_SVG_LINE_H 16.0 /* a line of text: legend, table rows */
#define RG_SVG_TICK 5.0    /* tick length */
#define RG_SVG_PAD 8.0     /* between the figure's edge and what it holds */
#define RG_SVG_MIN_PLOT 60.0 /* the least plotting area a figure keeps */

typedef enum {
    RG_AXIS_LINEAR,   /* values as they are; nice 1-2-5 ticks */
    RG_AXIS_LOG,      /* values > 0 on a log10 scale; decade ticks */
    RG_AXIS_NEGLOG10, /* p-values at -log10(p), 0 at p = 1; ticks at whole
                       * decades labelled as p (1, 0.1, 0.01, 0.001, 1e-4) */
    RG_AXIS_BAND      /* categories 1..nbands, each a band of equal width */
} rg_axis_kind;

typedef struct {
    /* set by the caller */
    rg_axis_kind kind;
    double lo, hi;   /* the range shown, in data units (NEGLOG10: p-values, so
                      * lo is the largest p, usually 1); BAND: ignored */
    int extend;      /* LINEAR, LOG: widen the range out to the outer ticks */
    const char *title; /* the axis title; NULL: none */
    const char *const *bands; /* BAND: nbands labels (borrowed) */
    size_t nbands;
    const double *at; /* LINEAR: ticks wanted at these values instead of nice
                       * ones (borrowed; natural, increasing); NULL: nice */
    size_t nat;
    /* set by svg_panel_layout */
    double p0, p1;   /* pixels of lo and hi (y: p0 is the bottom) */
    double a, b;     /* the transformed range: position = p0 + (t(v) - a) / (b - a) * (p1 - p0) */
    rg_ticks ticks;  /* LINEAR, LOG, NEGLOG10 (values in data units) */
    size_t every;    /* BAND: every k-th label is written (1: all) */
    int rotated;     /* x BAND labels written vertically */
    double label_room; /* pixels the tick labels take across the axis */
} rg_axis;

/* The pixel of value v on axis a (after svg_panel_layout); NaN where v has
 * no place (not finite, <= 0 on LOG and NEGLOG10 axes). A BAND value is a
 * category number: 1 is the centre of the first band. */
double svg_axis_at(const rg_axis *a, double v);

/* The width of one band in pixels (BAND axes). */
double svg_axis_band(const rg_axis *a);

/* A legend entry. */
typedef enum { RG_KEY_LINE, RG_KEY_DASH, RG_KEY_POINT, RG_KEY_BOX } rg_key_shape;

typedef struct {
    const char *label; /* UTF-8, borrowed */
    const char *color; /* "#rrggbb", borrowed */
    rg_key_shape shape;
} rg_key;

/* A figure with one plotting area framed by axes: title, legend (above the
 * area, wrapped into rows), axis titles, ticks with labels that never
 * overlap (fewer ticks, every k-th band label, or vertical band labels),
 * grid lines, and a clipped group for the data. */
typedef struct {
    /* set by the caller */
    double width, height; /* the whole figure, pixels */
    const char *cls;      /* the root's classes, e.g. "rg-plot rg-scatter" */
    const char *title;    /* NULL: none */
    const char *label;    /* aria-label; NULL: the title, else cls */
    rg_axis x, y;
    const rg_key *keys;   /* the legend (borrowed); none when nkeys is 0 */
    size_t nkeys;
    int grid;             /* 1: lines at the y ticks; 2: at the x ticks too; 0: none */
    double room_right;    /* pixels kept free right of the area (colour bars, labels) */
    double room_top;      /* pixels kept free above the area, under the legend */
    double room_left;     /* pixels kept free left of the y tick labels */
    double room_bottom;   /* pixels kept free under the x axis title */
    /* set by svg_panel_layout */
    double left, top, pw, ph; /* the plotting area */
    double legend_top;
} rg_panel;

/* Lay the frame out: margins from the texts they hold, the area, ticks
 * that fit. When the height leaves the area less than RG_SVG_MIN_PLOT, the
 * figure grows (f->height changes). Deterministic; never fails: an empty or
 * non-finite range gets a default one. */
void svg_panel_layout(rg_panel *f);

/* Begin the document on out (svg_begin), draw title, legend and grid, and
 * open the data group, clipped to the area. Call svg_panel_layout first. */
void svg_panel_begin(rg_svg *s, rg_buf *out, const rg_panel *f);

/* Close the data group and draw the axes, ticks, tick labels and axis
 * titles over it. The caller may draw more, then calls svg_end. */
void svg_panel_end(rg_svg *s, const rg_panel *f);

/* Draw legend entries in rows no wider than width from (left, top). With
 * s NULL only measures. Returns the number of rows. */
size_t svg_legend(rg_svg *s, const rg_key *keys, size_t n, double left, double width,
                  double top);

/* Text shortened with an ellipsis to fit max_px at font size `size`, into
 * out (cleared first). */
void svg_fit_text(rg_buf *out, const char *text, double size, double max_px);

/* A nested <svg> that clips what is drawn until svg_clip_end to the
 * rectangle, in the same coordinates (no ids needed, unlike clipPath). */
void svg_clip_begin(rg_svg *s, double x, double y, double w, double h);
void svg_clip_end(rg_svg *s);

/* ---- colours ------------------------------------------------------------- */

#define RG_SVG_NCOLORS 8

/* The colour of series i (0-based): the Okabe-Ito palette, which stays
 * distinguishable with the common colour-vision deficiencies; blue,
 * vermillion, bluish green, reddish purple, orange, sky blue, yellow, black,
 * then again from blue. */
const char *svg_color(size_t i);

/* The diverging colour of t in [-1, 1] (clamped): blue through white (0)
 * to red, ColorBrewer's RdBu interpolated, readable with the common
 * colour-vision deficiencies; NaN is grey. Written as "#rrggbb" into out. */
void svg_diverging(double t, char out[8]);

/* The sequential colour of t in [0, 1] (clamped): viridis, dark to light;
 * NaN is grey. */
void svg_sequential(double t, char out[8]);

/* A vertical colour bar in the area (x, y, w, h): the colours of the range
 * [lo, hi] (diverging: t = v / max(|lo|, |hi|); else (v - lo) / (hi - lo)),
 * drawn as bands, with ticks and labels on its right and the title above. */
void svg_colorbar(rg_svg *s, double x, double y, double w, double h, double lo, double hi,
                  int diverging, const char *title);

/* The width the colour bar's labels need right of the bar. */
double svg_colorbar_room(double lo, double hi, const char *title);

#endif
