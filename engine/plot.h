/* engine/plot.h — figures drawn on the SVG canvas (svg.h) from plain arrays:
 * Kaplan-Meier curves with censor marks, confidence bands and a
 * number-at-risk table, and forest plots of hazard ratios. More kinds
 * (scatter, heat maps, ROC) join here, each a struct of inputs and one
 * plot_<kind> function that writes a whole SVG document.
 *
 * The functions never fail on odd values: a non-finite coordinate is left
 * out (svg.h), and texts come from the one number formatter (fmt.h). The
 * Lua binding (lua_plot.c) checks its inputs and turns them into these
 * structs. Pure C. */
#ifndef RG_PLOT_H
#define RG_PLOT_H

#include <stddef.h>

#include "buf.h"

/* One Kaplan-Meier curve, as rg.km stores it: a value at each distinct
 * time (events and censorings). All arrays are borrowed. */
typedef struct {
    const char *label;           /* the group's name (UTF-8) */
    size_t m;                    /* distinct times */
    const double *time;          /* m, increasing, >= 0 */
    const double *n_risk;        /* m: at risk at time[i] */
    const double *n_censor;      /* m: censored at time[i]; NULL: no censor marks */
    const double *surv;          /* m: S(time[i]), in [0, 1] */
    const double *lower, *upper; /* m: confidence limits, NaN where there are none;
                                  * NULL: no band */
} rg_plot_curve;

typedef struct {
    const rg_plot_curve *curves; /* borrowed */
    size_t ncurves;
    const char *title;       /* NULL: none */
    const char *xlab, *ylab; /* NULL: "Time", "Survival probability" */
    double width, height;    /* pixels */
    double xmax;             /* the end of the time axis; NaN: the last time or break */
    const double *breaks;    /* the x ticks (increasing; those beyond xmax are left
                              * out); NULL: nice ticks */
    size_t nbreaks;
    int conf_band;       /* draw lower..upper as a shaded band */
    int risk_table;      /* numbers at risk at the x ticks, under the axis */
    int censor_marks;    /* a short vertical tick where subjects were censored */
    double p;            /* a p-value for the top-right corner; NaN: none */
    const char *p_label; /* written before it ("Log-rank"); NULL: none */
} rg_plot_km;

/* Append the SVG of Kaplan-Meier curves to out: one step curve per group
 * from S = 1 at time 0, in the colours of svg_color, with a legend when
 * there are two groups or more. The number at risk at a tick t is n_risk at
 * the first time >= t (n before the first time, 0 after the last). When the
 * risk table does not leave the curves 60 pixels, the figure grows taller
 * than asked; *height (may be NULL) receives the height drawn. Returns 0, or
 * -1 when out of memory. */
int plot_km(rg_buf *out, const rg_plot_km *km, double *height);

/* One row of a forest plot. */
typedef struct {
    const char *label;       /* the covariate (UTF-8; borrowed) */
    double hr, lower, upper; /* the estimate and its interval; "not estimable"
                              * unless all are finite and > 0 */
    double p;                /* not finite (NaN): none shown */
} rg_plot_forest_row;

typedef struct {
    const rg_plot_forest_row *rows; /* borrowed */
    size_t nrows;
    const char *title; /* NULL: none */
    const char *xlab;  /* NULL: "Hazard ratio (95% CI)" with conf's level */
    double width;      /* pixels; the height follows from the rows */
    double conf;       /* the intervals' level, e.g. 0.95 */
} rg_plot_forest;

/* Append the SVG of a forest plot to out: a row per covariate with its
 * label, the hazard ratio as a square on a log axis with its interval as a
 * line, a dashed reference line at 1, and the columns "HR (95% CI)" ("1.52
 * (1.10–2.09)") and p. *height (may be NULL) receives the height drawn.
 * Returns 0, or -1 when out of memory. */
int plot_forest(rg_buf *out, const rg_plot_forest *f, double *height);

/* ---- scatter (plot_xy.c) ------------------------------------------------- */

typedef struct {
    size_t n;
    const double *x, *y;          /* n values; a pair with NaN is not drawn */
    const char *const *group;     /* n group labels (a colour each, in order of first
                                   * appearance) or NULL */
    const char *const *labels;    /* n point labels or NULL */
    size_t nlabel;                /* how many of the most outlying points get their label
                                   * (largest |residual| from the OLS line, else
                                   * farthest from the centre); 0: none */
    int ols;                      /* draw the least-squares line of all points, with
                                   * Pearson's r, its p and n above the top-right corner */
    int logx, logy;               /* log10 axes (values <= 0 are not drawn) */
    const char *title, *xlab, *ylab; /* NULL: none */
    double width, height;         /* pixels */
} rg_plot_scatter;

/* Append the SVG of a scatter plot to out. Returns 0, or -1 when out of
 * memory. */
int plot_scatter(rg_buf *out, const rg_plot_scatter *o);

/* The distinct labels of v[0..n) in order of first appearance: their
 * indexes into v in first[0..*k), and for each i the number of its group in
 * which[i] (may be NULL). first and which are caller-allocated (n each).
 * Groups share colours and legend entries across plot kinds. */
void plot_groups(const char *const *v, size_t n, size_t *first, size_t *k, size_t *which);

/* ---- lines, steps, volcano, ROC, AUC by threshold (plot_xy.c) ----------- */

/* One series of points joined by a line. */
typedef struct {
    const char *label;    /* the legend's name (UTF-8); NULL: "" */
    size_t n;
    const double *x, *y;  /* n values (borrowed), in any order: drawn sorted by x
                           * (ties in input order); a non-finite y breaks the
                           * line, a non-finite x is left out */
} rg_plot_series;

typedef struct {
    const rg_plot_series *series; /* borrowed */
    size_t nseries;
    int step;             /* right-continuous steps: y[i] holds from x[i] to x[i+1] */
    int points;           /* a dot at every point (a lone point always has one) */
    int logx, logy;       /* log10 axes (values <= 0 break the line) */
    const double *ref_y;  /* dashed horizontal reference lines (borrowed) */
    size_t nref;
    const char *title, *xlab, *ylab; /* NULL: none */
    double width, height; /* pixels */
} rg_plot_line;

/* Append the SVG of line (or step) curves to out: one per series in the
 * colours of svg_color (cycling after 8), a legend when there are two or
 * more. Returns 0, or -1 when out of memory. */
int plot_line(rg_buf *out, const rg_plot_line *o);

typedef struct {
    size_t n;
    const double *r, *p;       /* n effects and p-values; a pair with a non-finite
                                * r, or p outside [0, 1], is not drawn */
    const char *const *labels; /* n point labels or NULL */
    double r_cut, p_cut;       /* a point passes with |r| >= r_cut and p <= p_cut */
    int adjusted;              /* the p-values are adjusted (the axis title says so) */
    size_t label_top;          /* label this many passing points, smallest p first */
    const char *title, *xlab, *ylab; /* xlab NULL: "r"; ylab NULL: "p-value" or
                                      * "Adjusted p-value" */
    double width, height;
} rg_plot_volcano;

/* Append a volcano plot: r across, p on a -log10 axis labelled as p-values,
 * dashed lines at +-r_cut and p_cut, passing points in two colours (r > 0,
 * r < 0) and the rest grey, with their counts in the legend. p = 0 (an
 * underflow) is drawn at the smallest positive p as a triangle (class
 * rg-capped). Returns 0, or -1 when out of memory. */
int plot_volcano(rg_buf *out, const rg_plot_volcano *o);

/* One ROC curve, as rg.roc returns it. */
typedef struct {
    const char *label;        /* NULL or "": no name in the legend */
    size_t m;
    const double *fpr, *tpr;  /* m points (borrowed); drawn sorted, from (0, 0) to (1, 1) */
    double auc, lower, upper; /* NaN: none */
    double youden_t, youden_se, youden_sp; /* the Youden point; NaN se or sp: none */
} rg_plot_roc_curve;

typedef struct {
    const rg_plot_roc_curve *curves; /* borrowed */
    size_t ncurves;
    const char *title, *xlab, *ylab; /* NULL: "1 - Specificity", "Sensitivity" */
    double width, height;
} rg_plot_roc;

/* Append ROC curves: the dashed chance diagonal, each curve in its colour
 * with its Youden point marked and its threshold written next to it, and a
 * legend in the lower right of the square area ("AUC 0.81 (0.72-0.90)",
 * "Youden t = 3.2: Se 0.85, Sp 0.77"). Returns 0, or -1 when out of memory. */
int plot_roc(rg_buf *out, const rg_plot_roc *o);

typedef struct {
    const rg_plot_series *series; /* x: the thresholds, y: the AUC (NaN breaks) */
    size_t nseries;
    double pass;                  /* a dashed line at this AUC; NaN: none */
    const char *title, *xlab, *ylab; /* NULL: "Decision threshold", "AUC" */
    double width, height;
} rg_plot_auc_threshold;

/* Append AUC against decision threshold, one line per output: a legend up
 * to 12 series, else the note "N outputs". Returns 0, or -1 when out of
 * memory. */
int plot_auc_threshold(rg_buf *out, const rg_plot_auc_threshold *o);

/* ---- heat map (plot_heatmap.c) ------------------------------------------- */

/* A dendrogram over n leaves as R's hclust returns it (all borrowed). */
typedef struct {
    size_t n;             /* leaves */
    const int *merge;     /* (n - 1) x 2, row by row: -i leaf i, +k the cluster of
                           * merge k (1-based; earlier merges only) */
    const double *height; /* n - 1 merge heights */
    const int *order;     /* n leaves (1-based) in drawing order */
} rg_plot_tree;

typedef struct {
    size_t nrow, ncol;
    const double *z;                 /* nrow x ncol values, row by row; NaN: grey */
    const char *const *row_names;    /* nrow labels (right of the rows) or NULL */
    const char *const *col_names;    /* ncol labels (under the columns) or NULL */
    const rg_plot_tree *row_tree;    /* n = nrow: rows in its order, its dendrogram on the
                                      * left; NULL (or not a valid tree): input order */
    const rg_plot_tree *col_tree;    /* n = ncol: likewise, above the columns */
    int diverging;                   /* blue-white-red centred on 0; else viridis */
    double zlo, zhi;                 /* the colour limits; NaN: +-max|z| (diverging) or
                                      * the range of z */
    int cell_labels;                 /* values in the cells: 1 yes, 0 no, -1 when cells
                                      * are at least 28 x 16 pixels and 400 or fewer */
    const char *title, *xlab, *ylab; /* NULL: none */
    const char *legend_title;        /* over the colour bar; NULL: none */
    double width, height;            /* pixels */
} rg_plot_heatmap;

/* Append the SVG of a heat map to out: the cells as one path per colour
 * (the ramp in 63 levels; NaN grey; a run of equal colour in a row is one
 * stroke on a grid of cells), dendrograms left of the rows and above the columns,
 * row labels on the right and column labels underneath (every k-th when
 * they would touch; vertical when they do not fit a column), and a colour
 * bar. When the cells would get less than 60 pixels of height the figure
 * grows; *height (may be NULL) receives the height drawn. Returns 0, or -1
 * when out of memory. */
int plot_heatmap(rg_buf *out, const rg_plot_heatmap *o, double *height);

/* ---- bar, hist, box (plot_dist.c) ---------------------------------------- */

typedef struct {
    size_t n;                    /* bars */
    const char *const *labels;   /* n category names (UTF-8) */
    const double *values;        /* n; a non-finite value draws no bar */
    const double *err;           /* n error half-widths (whiskers) or NULL */
    const char *const *group;    /* n group labels (a colour each, a legend) or NULL */
    const double *ref;           /* nref dashed reference lines across the bars */
    size_t nref;
    int horizontal;              /* bars along x, categories down the y axis */
    int sort;                    /* 0: as given; 1: increasing; -1: decreasing */
    int color_by_ref;            /* bars beyond ref[0] (further from 0 on its side) in
                                  * the second colour, with a legend */
    int log;                     /* a log10 value axis (values <= 0 draw no bar) */
    const char *title, *xlab, *ylab; /* NULL: none */
    double width, height;        /* pixels; height 0 (horizontal): 16 per bar */
} rg_plot_bar;

/* Append the SVG of a bar chart to out: bars from a zero baseline (from
 * the axis on a log scale) on a band axis of categories, one path per
 * colour. *height (may be NULL) receives the height drawn. Returns 0, or
 * -1 when out of memory. */
int plot_bar(rg_buf *out, const rg_plot_bar *o, double *height);

typedef struct {
    size_t n;
    const double *x;             /* n values; non-finite ones are counted as missing */
    const char *const *group;    /* n labels: overlaid histograms, or NULL */
    int bins;                    /* the suggested number of bins; 0: Sturges */
    const double *breaks;        /* nbreaks increasing bin edges, or NULL: pretty */
    size_t nbreaks;
    int density;                 /* y as density (count / (n width)) */
    const char *title, *xlab, *ylab; /* ylab NULL: "Count" or "Density" */
    double width, height;
} rg_plot_hist;

/* R's pretty(c(lo, hi), n, min.n) (R 4.2, defaults otherwise): the
 * breaks hist draws, in a new array of *count values (caller frees);
 * NULL when out of memory or lo, hi not finite. */
double *plot_pretty(double lo, double hi, int n, int min_n, size_t *count);

/* The counts of hist(): x in (b[j], b[j+1]], the first bin closed, with
 * R's fuzz of 1e-7 of the median bin width; counts has nb - 1 entries.
 * Returns the values counted (finite and within the breaks). */
size_t plot_hist_counts(const double *x, size_t n, const double *b, size_t nb,
                        double *counts);

/* Append the SVG of a histogram (R's hist breaks: Sturges' number of bins
 * and pretty) to out: one path of bars per group. Returns 0, or -1 when
 * out of memory. */
int plot_hist(rg_buf *out, const rg_plot_hist *o);

typedef enum { RG_BOX_NONE, RG_BOX_MANN_WHITNEY, RG_BOX_T, RG_BOX_KRUSKAL } rg_box_test;

typedef struct {
    size_t n;
    const double *values;        /* n; non-finite values are left out */
    const char *const *group;    /* n group labels, or NULL: one box */
    const char *const *order;    /* norder group labels in the order drawn (groups not
                                  * named come after them), or NULL: first appearance */
    size_t norder;
    rg_box_test test;            /* the p-value above the plot; needs 2 groups for
                                  * Mann-Whitney and t (Welch) */
    int points;                  /* every value as a jittered point over its box */
    int horizontal;
    const char *title, *xlab, *ylab;
    double width, height;
} rg_plot_box;

/* R's boxplot.stats(x)$stats (coef 1.5): fivenum's hinges, whiskers at the
 * most extreme values within 1.5 IQR of them, of the finite values of
 * x[0..n); their count in *used (may be NULL). NaN when there are none.
 * Returns 0, or -1 when out of memory. */
int plot_box_stats(const double *x, size_t n, double st[5], size_t *used);

/* Append the SVG of box plots to out, with "n = 23" under each group's
 * label. Returns 0, or -1 when out of memory. */
int plot_box(rg_buf *out, const rg_plot_box *o);

/* Append a p-value as figures write it: 2 significant digits ("0.0013",
 * "0.12"), "< 0.0001" below 1e-4; NaN as "NA". */
void plot_fmt_p(rg_buf *b, double p);

#endif
