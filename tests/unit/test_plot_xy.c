/* tests/unit/test_plot_xy.c — line, step, volcano, ROC and AUC-by-threshold
 * figures (plot_xy.c): a golden SVG of a realistic case each
 * (tests/golden/svg), what the figures must say, and odd inputs (NaN and
 * infinities, empty input, one point, hostile labels, tiny sizes) that must
 * still give well-formed SVG without NaN (check_svg). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "plot.h"
#include "stats/roc.h"
#include "unit.h"

/* occurrences of needle in hay */
static size_t count(const char *hay, const char *needle)
{
    size_t k = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        k++;
    return k;
}

/* The d attribute of the first <path> of class cls after `from` (a static
 * copy; "" when there is none). */
static const char *path_d(const char *svg, const char *cls)
{
    static char d[4096];
    char key[64];
    snprintf(key, sizeof key, "<path class=\"%s\" d=\"", cls);
    const char *p = strstr(svg, key);
    d[0] = 0;
    if (p) {
        p += strlen(key);
        size_t n = strcspn(p, "\"");
        if (n >= sizeof d)
            n = sizeof d - 1;
        memcpy(d, p, n);
        d[n] = 0;
    }
    return d;
}

/* ---- line and step ------------------------------------------------------- */

/* weight (kg) of two cohorts by week, given out of order */
static const double wk[] = {0, 8, 2, 4, 6, 10, 12};
static const double wa[] = {3.4, 6.9, 4.6, 5.6, 6.3, 7.4, 7.8};
static const double wb[] = {3.3, 6.1, 4.1, 4.9, NAN, 6.6, 7.0};

static void test_golden_line(void)
{
    rg_plot_series se[2] = {{"Breast-fed", 7, wk, wa}, {"Formula <&>", 7, wk, wb}};
    double ref[] = {5};
    rg_plot_line o = {.series = se,
                      .nseries = 2,
                      .points = 1,
                      .ref_y = ref,
                      .nref = 1,
                      .title = "Child growth",
                      .xlab = "Week",
                      .ylab = "Weight (kg)",
                      .width = 560,
                      .height = 400};
    rg_buf b = {0};
    CHECK(plot_line(&b, &o) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("golden line", svg);
    CHECK(strstr(svg, "class=\"rg-plot rg-lines\"") != NULL);
    CHECK(strstr(svg, ">Breast-fed</text>") != NULL);
    CHECK(strstr(svg, ">Formula &lt;&amp;&gt;</text>") != NULL);
    CHECK(strstr(svg, ">Weight (kg)</text>") != NULL);
    CHECK(count(svg, "class=\"rg-ref\"") == 1);
    /* sorted by x: the first series is one piece of 7 points; the second
     * breaks at week 6 (NaN) */
    const char *d = path_d(svg, "rg-line");
    CHECK(count(d, "M") == 1 && count(d, "L") == 6);
    const char *d2 = strstr(svg, "stroke=\"#D55E00\"");
    CHECK(d2 != NULL);
    CHECK(count(svg, "<path class=\"rg-line\"") == 2);
    golden("line.svg", svg);
    buf_free(&b);
}

/* cumulative incidence of relapse by month, two arms */
static const double ta[] = {0, 3, 5, 9, 14, 20, 26}, ca[] = {0, 0.08, 0.15, 0.27, 0.33, 0.41, 0.45};
static const double tb[] = {0, 2, 4, 7, 11, 18, 24, 30},
                    cb[] = {0, 0.04, 0.07, 0.12, 0.16, 0.2, 0.22, 0.25};

static void test_golden_step(void)
{
    rg_plot_series se[2] = {{"Standard", 7, ta, ca}, {"Continued therapy", 8, tb, cb}};
    rg_plot_line o = {.series = se,
                      .nseries = 2,
                      .step = 1,
                      .title = "Cumulative incidence of relapse",
                      .xlab = "Months",
                      .ylab = "Cumulative incidence",
                      .width = 560,
                      .height = 400};
    rg_buf b = {0};
    CHECK(plot_line(&b, &o) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("golden step", svg);
    CHECK(strstr(svg, "class=\"rg-plot rg-steps\"") != NULL);
    const char *d = path_d(svg, "rg-line");
    /* a right-continuous step: M, then H (to the next time) and V (to its value) */
    CHECK(count(d, "M") == 1 && count(d, "H") == 6 && count(d, "V") == 6 &&
          count(d, "L") == 0);
    CHECK(strstr(svg, "class=\"rg-pts\"") == NULL); /* no dots: no lone points */
    golden("step.svg", svg);
    buf_free(&b);
}

static void test_line_odd(void)
{
    double x[] = {NAN, 1, INFINITY, 2, 3, -1, 0}, y[] = {1, NAN, 2, -INFINITY, 4, 1e300, 0};
    double one_x[] = {5}, one_y[] = {7}, ref[] = {NAN, INFINITY, 2};
    rg_plot_series se[4] = {{"<b>&\x01\xff", 7, x, y},
                            {NULL, 0, NULL, NULL},
                            {"one", 1, one_x, one_y},
                            {"same", 2, (double[]){1, 1}, (double[]){2, 2}}};
    rg_plot_line o = {.series = se, .nseries = 4, .ref_y = ref, .nref = 3,
                      .width = 150, .height = 100, .title = "t"};
    for (int step = 0; step < 2; step++)
        for (int lg = 0; lg < 4; lg++) {
            rg_buf b = {0};
            o.step = step;
            o.logx = lg & 1;
            o.logy = lg >> 1;
            CHECK(plot_line(&b, &o) == 0);
            check_svg("line odd", buf_cstr(&b));
            CHECK(strstr(buf_cstr(&b), "\xEF\xBF\xBD") != NULL);
            buf_free(&b);
        }
    /* one point only: a dot, no legend */
    rg_plot_line p = {.series = &se[2], .nseries = 1, .width = 10, .height = 10};
    rg_buf b = {0};
    CHECK(plot_line(&b, &p) == 0);
    check_svg("line one point", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), "class=\"rg-pts\"") != NULL);
    CHECK(strstr(buf_cstr(&b), ">one</text>") == NULL);
    buf_free(&b);
    /* nothing at all */
    rg_plot_line e = {.width = 560, .height = 400};
    CHECK(plot_line(&b, &e) == 0);
    check_svg("line empty", buf_cstr(&b));
    buf_free(&b);
}

/* ---- volcano ------------------------------------------------------------- */

#define NV 48

static void volcano_data(double *r, double *p, char (*names)[16], const char **labels)
{
    /* correlations over n = 40 samples; p from Fisher's z, two-sided */
    for (int i = 0; i < NV; i++) {
        double u = sin(i * 12.9898) * 43758.5453;
        u -= floor(u);
        r[i] = (u * 2 - 1) * 0.85;
        double z = atanh(r[i]) * sqrt(37.0);
        p[i] = erfc(fabs(z) / sqrt(2.0));
        snprintf(names[i], 16, "gene%02d", i + 1);
        labels[i] = names[i];
    }
    p[3] = 0; /* underflow */
    r[3] = 0.84;
    p[7] = NAN;
    snprintf(names[10], 16, "IL6 & <TNF>");
}

static void test_golden_volcano(void)
{
    double r[NV], p[NV];
    char names[NV][16];
    const char *labels[NV];
    volcano_data(r, p, names, labels);
    rg_plot_volcano o = {.n = NV,
                         .r = r,
                         .p = p,
                         .labels = labels,
                         .r_cut = 0.5,
                         .p_cut = 0.05,
                         .adjusted = 0,
                         .label_top = 10,
                         .title = "Gene correlations with the score",
                         .width = 560,
                         .height = 440};
    size_t up = 0, down = 0, other = 0;
    for (int i = 0; i < NV; i++) {
        if (!(p[i] >= 0))
            continue;
        int pass = fabs(r[i]) >= 0.5 && p[i] <= 0.05;
        up += pass && r[i] > 0;
        down += pass && r[i] < 0;
        other += !pass;
    }
    rg_buf b = {0};
    CHECK(plot_volcano(&b, &o) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("golden volcano", svg);
    char want[96];
    snprintf(want, sizeof want, ">r \xE2\x89\xA5 0.5, p \xE2\x89\xA4 0.05 (%zu)</text>", up);
    CHECK(strstr(svg, want) != NULL);
    snprintf(want, sizeof want, ">r \xE2\x89\xA4 -0.5, p \xE2\x89\xA4 0.05 (%zu)</text>", down);
    CHECK(strstr(svg, want) != NULL);
    snprintf(want, sizeof want, ">Other (%zu)</text>", other);
    CHECK(strstr(svg, want) != NULL);
    CHECK(up > 3 && down > 3 && other > 10);
    CHECK(strstr(svg, ">p-value</text>") != NULL);
    CHECK(strstr(svg, ">r</text>") != NULL);
    CHECK(strstr(svg, "class=\"rg-capped\"") != NULL); /* p = 0 */
    CHECK(strstr(svg, ">gene04</text>") != NULL);       /* the capped one is the most significant */
    CHECK(count(svg, "class=\"rg-ptlab") <= 10);
    CHECK(count(svg, "class=\"rg-ptlab") >= 5);
    /* the cuts: two vertical lines and one horizontal, one path */
    const char *d = path_d(svg, "rg-ref");
    CHECK(count(d, "M") == 3 && count(d, "V") == 2 && count(d, "H") == 1);
    golden("volcano.svg", svg);
    buf_free(&b);
    /* adjusted: the axis title and the legend say so */
    o.adjusted = 1;
    o.labels = NULL;
    CHECK(plot_volcano(&b, &o) == 0);
    CHECK(strstr(buf_cstr(&b), ">Adjusted p-value</text>") != NULL);
    CHECK(strstr(buf_cstr(&b), "adj. p \xE2\x89\xA4 0.05") != NULL);
    CHECK(strstr(buf_cstr(&b), "rg-ptlab") == NULL);
    buf_free(&b);
}

static void test_volcano_odd(void)
{
    double r[] = {NAN, INFINITY, 0.9, -0.9, 0, 1e300, 0.6};
    double p[] = {0.01, 0.01, 0, 0, -1, 0.5, 2};
    const char *labels[] = {"a", "b", "<&>\xff", "\x01", "e", "f", "g"};
    rg_plot_volcano o = {.n = 7, .r = r, .p = p, .labels = labels, .r_cut = 0.5,
                         .p_cut = 0.05, .label_top = 100, .width = 150, .height = 100};
    rg_buf b = {0};
    CHECK(plot_volcano(&b, &o) == 0); /* every p is 0: capped at the cut / 10 */
    check_svg("volcano odd", buf_cstr(&b));
    CHECK(count(buf_cstr(&b), "Z") == 2);
    buf_free(&b);
    o.n = 0; /* empty */
    CHECK(plot_volcano(&b, &o) == 0);
    check_svg("volcano empty", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">Other (0)</text>") != NULL);
    buf_free(&b);
    /* one point, cuts at the edges: no reference line at p_cut 1 or r_cut 0 */
    double r1[] = {0.3}, p1[] = {1e-200};
    rg_plot_volcano one = {.n = 1, .r = r1, .p = p1, .r_cut = 0, .p_cut = 1,
                           .width = 560, .height = 440, .xlab = "rho"};
    CHECK(plot_volcano(&b, &one) == 0);
    check_svg("volcano one", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), "rg-ref") == NULL);
    CHECK(strstr(buf_cstr(&b), ">rho</text>") != NULL);
    buf_free(&b);
}

/* ---- ROC ----------------------------------------------------------------- */

static void test_golden_roc(void)
{
    /* a biomarker in 12 cases and 12 controls */
    const double sc[] = {2.1, 3.4, 1.8, 4.2, 3.9, 2.8, 5.1, 3.3, 4.8, 2.5, 3.7, 4.4,
                         1.2, 2.2, 0.9, 2.9, 1.7, 3.5, 1.4, 2.0, 2.6, 1.1, 3.0, 1.9};
    int lab[24];
    for (int i = 0; i < 24; i++)
        lab[i] = i < 12;
    rg_roc r;
    memset(&r, 0, sizeof r);
    CHECK(roc_compute(sc, lab, 24, '<', &r) == 0);
    double *fpr = malloc(r.m * sizeof *fpr);
    for (size_t i = 0; i < r.m; i++)
        fpr[i] = 1 - r.spec[i];
    rg_plot_roc_curve c = {NULL,        r.m,         fpr,         r.sens,
                           r.auc,       r.lower,     r.upper,     r.youden_threshold,
                           r.youden_sens, r.youden_spec};
    rg_plot_roc o = {.curves = &c, .ncurves = 1, .title = "Biomarker", .width = 480,
                     .height = 480};
    rg_buf b = {0};
    CHECK(plot_roc(&b, &o) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("golden roc", svg);
    rg_buf want = {0};
    buf_puts(&want, ">AUC ");
    fmt_fixed(&want, r.auc, 2, 0);
    buf_puts(&want, " (95% CI ");
    fmt_fixed(&want, r.lower, 2, 0);
    CHECK(strstr(svg, buf_cstr(&want)) != NULL);
    want.len = 0;
    buf_puts(&want, ">Youden t = ");
    fmt_num(&want, r.youden_threshold, 3);
    buf_puts(&want, ": Se ");
    fmt_fixed(&want, r.youden_sens, 2, 0);
    CHECK(strstr(svg, buf_cstr(&want)) != NULL);
    buf_free(&want);
    CHECK(strstr(svg, ">1 \xE2\x88\x92 Specificity</text>") != NULL);
    CHECK(strstr(svg, ">Sensitivity</text>") != NULL);
    CHECK(count(svg, "class=\"rg-youden\"") == 1);
    CHECK(strstr(svg, "<line class=\"rg-ref\"") != NULL); /* the chance diagonal */
    golden("roc.svg", svg);
    buf_free(&b);
    /* two curves, the second named, without CI or Youden point */
    rg_plot_roc_curve two[2] = {c, {"Model <B>", r.m, r.sens, fpr, 1 - r.auc, NAN, NAN, NAN, NAN, NAN}};
    two[0].label = "Model A";
    o.curves = two;
    o.ncurves = 2;
    CHECK(plot_roc(&b, &o) == 0);
    check_svg("roc two", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">Model A: AUC ") != NULL);
    CHECK(strstr(buf_cstr(&b), ">Model &lt;B&gt;: AUC ") != NULL);
    CHECK(count(buf_cstr(&b), "class=\"rg-youden\"") == 1);
    buf_free(&b);
    free(fpr);
    roc_free(&r);
}

static void test_roc_odd(void)
{
    double f[] = {NAN, 0.5, INFINITY, -3}, t[] = {0.2, NAN, 0.5, 7};
    rg_plot_roc_curve c[3] = {
        {"\xff<&>", 4, f, t, NAN, 0.2, NAN, INFINITY, 0.5, 0.5},
        {"", 0, NULL, NULL, NAN, NAN, NAN, NAN, NAN, NAN},
        {"long label that will not fit in the little legend box at all, never", 1, f + 1,
         t + 2, 0.5, 0.1, 0.9, -INFINITY, 2, -1}};
    rg_plot_roc o = {.curves = c, .ncurves = 3, .width = 150, .height = 150};
    rg_buf b = {0};
    CHECK(plot_roc(&b, &o) == 0);
    check_svg("roc odd", buf_cstr(&b));
    buf_free(&b);
    o.ncurves = 0;
    o.width = 10;
    o.height = 900;
    CHECK(plot_roc(&b, &o) == 0);
    check_svg("roc none", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), "rg-legbox") == NULL);
    buf_free(&b);
}

/* ---- AUC by decision threshold ------------------------------------------- */

static void test_golden_auc_threshold(void)
{
    static const double th[] = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
    static const double a1[] = {0.62, 0.68, 0.74, 0.79, 0.81, 0.77, 0.7};
    static const double a2[] = {0.55, 0.6, 0.66, 0.71, NAN, 0.69, 0.64};
    static const double a3[] = {0.51, 0.53, 0.58, 0.61, 0.63, 0.6, NAN};
    rg_plot_series se[3] = {{"IL6", 7, th, a1}, {"TNF", 7, th, a2}, {"CRP", 7, th, a3}};
    rg_plot_auc_threshold o = {.series = se,
                               .nseries = 3,
                               .pass = 0.7,
                               .title = "Test AUC by decision threshold",
                               .width = 640,
                               .height = 420};
    rg_buf b = {0};
    CHECK(plot_auc_threshold(&b, &o) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("golden auc_threshold", svg);
    CHECK(strstr(svg, ">Decision threshold</text>") != NULL);
    CHECK(strstr(svg, ">AUC</text>") != NULL);
    CHECK(strstr(svg, ">AUC 0.7</text>") != NULL);
    CHECK(strstr(svg, ">TNF</text>") != NULL);
    CHECK(count(svg, "class=\"rg-ref\"") == 1);
    CHECK(count(svg, "class=\"rg-pts\"") == 3); /* few thresholds: dots */
    golden("auc_threshold.svg", svg);
    buf_free(&b);
}

static void test_auc_threshold_many(void)
{
    static const double th[] = {0.1, 0.5, 0.9};
    double v[50][3];
    rg_plot_series se[50];
    char names[50][16];
    for (int k = 0; k < 50; k++) {
        for (int j = 0; j < 3; j++)
            v[k][j] = 0.5 + 0.4 * sin(k + j);
        if (k % 7 == 0)
            v[k][1] = NAN;
        snprintf(names[k], sizeof names[k], "y%d", k);
        se[k] = (rg_plot_series){names[k], 3, th, v[k]};
    }
    rg_plot_auc_threshold o = {.series = se, .nseries = 50, .pass = NAN, .width = 640,
                               .height = 420};
    rg_buf b = {0};
    CHECK(plot_auc_threshold(&b, &o) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("auc_threshold many", svg);
    CHECK(strstr(svg, ">50 outputs</text>") != NULL);
    CHECK(strstr(svg, ">y1</text>") == NULL); /* no legend */
    CHECK(count(svg, "class=\"rg-line rg-thin\"") == 50);
    CHECK(strstr(svg, "rg-ref") == NULL);
    buf_free(&b);
    /* 12 series: a legend, no note */
    o.nseries = 12;
    CHECK(plot_auc_threshold(&b, &o) == 0);
    CHECK(strstr(buf_cstr(&b), ">y11</text>") != NULL);
    CHECK(strstr(buf_cstr(&b), "outputs") == NULL);
    buf_free(&b);
}

static void test_auc_threshold_odd(void)
{
    double th[] = {NAN, INFINITY, 0.5}, a[] = {INFINITY, 0.5, NAN};
    rg_plot_series se[2] = {{"<&>\xc3", 3, th, a}, {NULL, 0, NULL, NULL}};
    rg_plot_auc_threshold o = {.series = se, .nseries = 2, .pass = 2, .width = 150,
                               .height = 150, .title = "\x01"};
    rg_buf b = {0};
    CHECK(plot_auc_threshold(&b, &o) == 0);
    check_svg("auc_threshold odd", buf_cstr(&b));
    buf_free(&b);
    o.nseries = 0;
    CHECK(plot_auc_threshold(&b, &o) == 0);
    check_svg("auc_threshold empty", buf_cstr(&b));
    buf_free(&b);
    double one_t[] = {0.5}, one_a[] = {0.8};
    rg_plot_series one = {"only", 1, one_t, one_a};
    o.series = &one;
    o.nseries = 1;
    o.pass = 0.8;
    CHECK(plot_auc_threshold(&b, &o) == 0);
    check_svg("auc_threshold one", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), "class=\"rg-pts\"") != NULL);
    buf_free(&b);
}

const unit_test xy_tests[] = {{"xy_golden_line", test_golden_line},
                              {"xy_golden_step", test_golden_step},
                              {"xy_line_odd", test_line_odd},
                              {"xy_golden_volcano", test_golden_volcano},
                              {"xy_volcano_odd", test_volcano_odd},
                              {"xy_golden_roc", test_golden_roc},
                              {"xy_roc_odd", test_roc_odd},
                              {"xy_golden_auc_threshold", test_golden_auc_threshold},
                              {"xy_auc_threshold_many", test_auc_threshold_many},
                              {"xy_auc_threshold_odd", test_auc_threshold_odd},
                              {NULL, NULL}};
