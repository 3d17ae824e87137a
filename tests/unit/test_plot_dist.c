/* tests/unit/test_plot_dist.c — bar charts, histograms and box plots
 * (plot_dist.c): hist's breaks and counts and boxplot's statistics against
 * values R 4.2 printed, Kruskal-Wallis against kruskal.test, golden SVGs
 * (tests/golden/svg/{bar,bar_h,hist,box}.svg) and odd inputs that must stay
 * well-formed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "stats/tests.h"
#include "unit.h"

/* R's precip (70 US cities, inches a year) and rivers (141 lengths, miles) */
static const double precip[70] = {
    67,   54.7, 7,    48.5, 14,   17.2, 20.7, 13,   43.4, 40.2, 38.9, 54.5, 59.8, 48.3,
    22.9, 11.5, 34.4, 35.1, 38.7, 30.8, 30.6, 43.1, 56.8, 40.8, 41.8, 42.5, 31,   31.7,
    30.2, 25.9, 49.2, 37,   35.9, 15,   30.2, 7.2,  36.2, 45.5, 7.8,  33.4, 36.1, 40.2,
    42.7, 42.5, 16.2, 39,   35,   37,   31.4, 37.6, 39.9, 36.2, 42.8, 46.4, 24.7, 49.1,
    46,   35.9, 7.8,  48.2, 15.2, 32.5, 44.7, 42.6, 38.8, 17.4, 40.8, 29.1, 14.6, 59.2};
static const double rivers[141] = {
    735,  320, 325,  392,  524,  450, 1459, 135,  465,  600,  330,  336,  280,  315,  870,
    906,  202, 329,  290,  1000, 600, 505,  1450, 840,  1243, 890,  350,  407,  286,  280,
    525,  720, 390,  250,  327,  230, 265,  850,  210,  630,  260,  230,  360,  730,  600,
    306,  390, 420,  291,  710,  340, 217,  281,  352,  259,  250,  470,  680,  570,  350,
    300,  560, 900,  625,  332,  2348, 1171, 3710, 2315, 2533, 780,  280,  410,  460,  260,
    255,  431, 350,  760,  618,  338, 981,  1306, 500,  696,  605,  250,  411,  1054, 735,
    233,  435, 490,  310,  460,  383, 375,  1270, 545,  445,  1885, 380,  300,  380,  377,
    425,  276, 210,  800,  420,  350, 360,  538,  1100, 1205, 314,  237,  610,  360,  540,
    1038, 424, 310,  300,  444,  301, 268,  620,  215,  652,  900,  525,  246,  360,  529,
    500,  720, 270,  430,  671,  1770};
static const double small[12] = {-0.031, 0.0042, 0.012,  -0.0075, 0.0263,  0.0018,
                                 -0.0122, 0.0391, 0.0057, -0.0209, 0.0144, 0.0003};
/* R's InsectSprays: insects counted after sprays A to F, 12 plots each */
static const double insects[72] = {
    10, 7,  20, 14, 14, 12, 10, 23, 17, 20, 14, 13, 11, 17, 21, 11, 16, 14, 17, 17, 19, 21, 7,  13,
    0,  1,  7,  2,  3,  1,  2,  1,  3,  0,  1,  4,  3,  5,  12, 6,  4,  3,  5,  5,  5,  5,  2,  4,
    3,  5,  3,  5,  3,  6,  1,  1,  3,  2,  6,  4,  11, 9,  15, 22, 15, 16, 13, 10, 26, 26, 24, 13};
static const char *const sprays[6] = {"A", "B", "C", "D", "E", "F"};

/* hist(x, plot = FALSE)$breaks: Sturges' bins, then pretty(range(x), n, min.n = 1) */
static void check_breaks(const char *what, const double *x, size_t n, int bins,
                         const double *want, size_t nwant)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
    }
    if (bins == 0)
        bins = (int)ceil(log2((double)n) + 1);
    size_t nb = 0;
    double *b = plot_pretty(lo, hi, bins, 1, &nb);
    CHECK(b != NULL);
    if (!b)
        return;
    if (nb != nwant) {
        fprintf(stderr, "%s: %zu breaks, R has %zu\n", what, nb, nwant);
        unit_failures++;
    } else {
        for (size_t j = 0; j < nb; j++)
            if (b[j] != want[j]) { /* exactly R's doubles */
                fprintf(stderr, "%s: break %zu is %.17g, R has %.17g\n", what, j, b[j],
                        want[j]);
                unit_failures++;
            }
    }
    free(b);
}

static void check_counts(const char *what, const double *x, size_t n, const double *b,
                         size_t nb, const double *want)
{
    double c[64];
    size_t got = plot_hist_counts(x, n, b, nb, c);
    CHECK(got == n);
    for (size_t j = 0; j + 1 < nb; j++)
        if (c[j] != want[j]) {
            fprintf(stderr, "%s: bin %zu counts %g, R has %g\n", what, j, c[j], want[j]);
            unit_failures++;
        }
}

static void test_hist_breaks(void)
{
    /* Rscript -e 'hist(precip, plot = FALSE)$breaks' and so on (R 4.2.2) */
    static const double b_precip[] = {0, 10, 20, 30, 40, 50, 60, 70},
                        c_precip[] = {4, 9, 5, 25, 21, 5, 1},
                        b_rivers[] = {0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000},
                        c_rivers[] = {84, 41, 10, 2, 2, 1, 0, 1},
                        b_small[] = {-0.040000000000000001, -0.02, 0, 0.019999999999999997,
                                     0.040000000000000001},
                        c_small[] = {2, 2, 6, 2};
    check_breaks("precip", precip, 70, 0, b_precip, 8);
    check_counts("precip", precip, 70, b_precip, 8, c_precip);
    check_breaks("rivers", rivers, 141, 0, b_rivers, 9);
    check_counts("rivers", rivers, 141, b_rivers, 9, c_rivers);
    check_breaks("small", small, 12, 0, b_small, 5);
    check_counts("small", small, 12, b_small, 5, c_small);
    /* hist(precip, breaks = 30): 31 bins of 2 from 6 */
    double b30[32], c30[] = {4, 0, 1, 2, 3, 3, 0, 1, 1, 2, 0, 1, 7, 2, 5, 6,
                             5, 5, 7, 3, 1, 5, 0, 0, 2, 1, 2, 0, 0, 0, 1};
    for (int j = 0; j < 32; j++)
        b30[j] = 6 + 2 * j;
    check_breaks("precip 30", precip, 70, 30, b30, 32);
    check_counts("precip 30", precip, 70, b30, 32, c30);
    /* explicit breaks of unequal widths: hist(precip, breaks = c(0, 10, 20, 40, 70)) */
    static const double b_given[] = {0, 10, 20, 40, 70}, c_given[] = {4, 9, 30, 27};
    check_counts("precip given", precip, 70, b_given, 5, c_given);
    /* ties on the edges fall in the bin on their left: hist(c(1, 2, 2, 3, 3, 3)) */
    static const double ties[] = {1, 2, 2, 3, 3, 3}, b_ties[] = {1, 1.5, 2, 2.5, 3},
                        c_ties[] = {1, 2, 0, 3};
    check_breaks("ties", ties, 6, 0, b_ties, 5);
    check_counts("ties", ties, 6, b_ties, 5, c_ties);
    /* degenerate and far-off ranges */
    static const double five[] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, b_five[] = {0, 5},
                        zero[] = {0}, b_zero[] = {-1, 0},
                        near[] = {1e6 + 0.1, 1e6 + 0.3, 1e6 + 0.35},
                        b_near[] = {1000000, 1000000.1, 1000000.2, 1000000.3, 1000000.4},
                        wide[] = {-5.5, 2.25, 130.75, 99, 17, 3},
                        b_wide[] = {-50, 0, 50, 100, 150};
    check_breaks("rep(5, 10)", five, 10, 0, b_five, 2);
    check_breaks("0", zero, 1, 0, b_zero, 2);
    check_breaks("near 1e6", near, 3, 0, b_near, 5);
    check_breaks("wide", wide, 6, 0, b_wide, 5);
    /* non-finite ends give nothing */
    size_t nb = 9;
    CHECK(plot_pretty(NAN, 1, 5, 1, &nb) == NULL && nb == 0);
}

static void check_box(const char *what, const double *x, size_t n, const double *want,
                      size_t nwant)
{
    double st[5];
    size_t used = 0;
    CHECK(plot_box_stats(x, n, st, &used) == 0);
    CHECK(used == nwant);
    for (int j = 0; j < 5; j++)
        if (st[j] != want[j]) {
            fprintf(stderr, "%s: stats[%d] is %.17g, R has %.17g\n", what, j + 1, st[j],
                    want[j]);
            unit_failures++;
        }
}

static void test_box_stats(void)
{
    /* Rscript -e 'boxplot.stats(precip)$stats' and so on (R 4.2.2) */
    static const double s_precip[] = {11.5, 29.100000000000001, 36.600000000000001,
                                      42.799999999999997, 59.799999999999997};
    check_box("precip", precip, 70, s_precip, 70); /* out: 67, 7, 7.2, 7.8, 7.8 */
    static const double aml[] = {9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5,
                                 5, 8,  8,  12, 16, 23, 27, 30, 33, 43, 45},
                        s_aml[] = {5, 12.5, 23, 33.5, 48};
    check_box("aml", aml, 23, s_aml, 23); /* out: 161 */
    /* outliers on both sides, an even n; NaN and Inf are left out */
    static const double y[] = {-3.2, 0.4, NAN, 0.9, 1.1, 1.3, 1.8, 2.05, INFINITY, 2.2, 9.7, -0.1},
                        s_y[] = {-0.10000000000000001, 0.40000000000000002, 1.2000000000000002,
                                 2.0499999999999998, 2.2000000000000002};
    check_box("y", y, 12, s_y, 10);
    static const double four[] = {4, 2, 3, 1}, s_four[] = {1, 1.5, 2.5, 3.5, 4},
                        seven[] = {7}, s_seven[] = {7, 7, 7, 7, 7};
    check_box("1:4", four, 4, s_four, 4);
    check_box("7", seven, 1, s_seven, 1);
    double st[5];
    size_t used = 9;
    CHECK(plot_box_stats(NULL, 0, st, &used) == 0 && used == 0 && isnan(st[2]));
}

static void test_kruskal(void)
{
    size_t g[72];
    for (size_t i = 0; i < 72; i++)
        g[i] = i / 12;
    rg_kwtest r;
    /* kruskal.test(count ~ spray, InsectSprays) */
    CHECK(kwtest(insects, g, 72, 6, &r) == 0);
    CHECK(r.status == RG_TEST_OK && r.n == 72 && r.k == 6 && r.df == 5);
    CHECK_NEAR(r.H, 54.6913446223714, 1e-12);
    CHECK_NEAR(r.p / 1.5108444394185103e-10, 1, 1e-9);
    /* kruskal.test(list(c(2.9, 3.0, 2.5, 2.6, 3.2), c(3.8, 2.7, 4.0, 2.4),
     * c(2.8, 3.4, 3.7, 2.2, 2.0))): no ties; a NaN and an empty group dropped */
    double x[] = {2.9, 3.0, 2.5, 2.6, 3.2, 3.8, 2.7, 4.0, 2.4, NAN, 2.8, 3.4, 3.7, 2.2, 2.0};
    size_t gx[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 3, 2, 2, 2, 2, 2};
    CHECK(kwtest(x, gx, 15, 4, &r) == 0);
    CHECK(r.k == 3 && r.n == 14);
    CHECK_NEAR(r.H, 0.77142857142857224, 1e-12);
    CHECK_NEAR(r.p, 0.67996477357889362, 1e-10);
    /* one group; one value everywhere */
    CHECK(kwtest(x, g, 5, 6, &r) == 0 && r.status == RG_TEST_TOO_FEW && isnan(r.p));
    double same[] = {1, 1, 1, 1};
    size_t gs[] = {0, 1, 0, 1};
    CHECK(kwtest(same, gs, 4, 2, &r) == 0 && r.status == RG_TEST_CONSTANT && isnan(r.p));
}

/* ---- figures -------------------------------------------------------------- */

static size_t count_of(const char *s, const char *what)
{
    size_t c = 0;
    for (const char *p = s; (p = strstr(p, what)); p++)
        c++;
    return c;
}

/* RMSE:STDEV of 12 genes: vertical bars sorted, the failing ones coloured */
static const char *const genes[12] = {"CD274", "PDCD1", "CTLA4", "LAG3", "HAVCR2", "TIGIT",
                                      "IDO1",  "CXCL9", "CXCL10", "GZMB", "PRF1", "IFNG"};
static const double ratio[12] = {0.82, 1.07, 0.64, 0.91, 1.21, 0.77,
                                 0.99, 0.58, 0.71, 1.03, 0.88, 1.35};

static void test_golden_bar(void)
{
    rg_plot_bar o = {.n = 12, .labels = genes, .values = ratio, .ref = (const double[]){1},
                     .nref = 1, .sort = 1, .color_by_ref = 1, .title = "Test error per gene",
                     .ylab = "RMSE:STDEV", .width = 640, .height = 420};
    rg_buf b = {0};
    double h = 0;
    CHECK(plot_bar(&b, &o, &h) == 0 && h == 420);
    const char *svg = buf_cstr(&b);
    check_svg("golden bar", svg);
    CHECK(strstr(svg, ">\xE2\x89\xA4 1</text>") && strstr(svg, ">&gt; 1</text>"));
    CHECK(count_of(svg, "class=\"rg-bar\"") == 2); /* one path per colour */
    CHECK(count_of(svg, "class=\"rg-ref\"") == 1);
    /* sorted increasing: CXCL9 (0.58) first, IFNG (1.35) last */
    const char *a = strstr(svg, ">CXCL9<"), *z = strstr(svg, ">IFNG<"), *m = strstr(svg, ">IDO1<");
    CHECK(a && z && m && a < m && m < z);
    golden("bar.svg", svg);
    buf_free(&b);
}

static void test_golden_bar_h(void)
{
    static const double err[12] = {0.05, 0.08, 0.04, 0.06, 0.11, 0.05,
                                   0.07, 0.03, 0.05, 0.09, 0.06, 0.12};
    static const char *const set[12] = {"checkpoint", "checkpoint", "checkpoint", "checkpoint",
                                        "checkpoint", "checkpoint", "interferon", "interferon",
                                        "interferon", "cytotoxic",  "cytotoxic",  "interferon"};
    rg_plot_bar o = {.n = 12, .labels = genes, .values = ratio, .err = err, .group = set,
                     .ref = (const double[]){1, 0.8}, .nref = 2, .horizontal = 1, .sort = -1,
                     .xlab = "RMSE:STDEV", .width = 560};
    rg_buf b = {0};
    double h = 0;
    CHECK(plot_bar(&b, &o, &h) == 0);
    CHECK(h > 12 * 16 && h < 12 * 16 + 140); /* 16 pixels a bar */
    const char *svg = buf_cstr(&b);
    check_svg("golden bar_h", svg);
    CHECK(count_of(svg, "class=\"rg-bar\"") == 3);
    CHECK(count_of(svg, "class=\"rg-err\"") == 1);
    CHECK(strstr(svg, ">interferon</text>") && strstr(svg, ">cytotoxic</text>"));
    /* decreasing from the top: band labels are written from the bottom up */
    CHECK(strstr(svg, ">CXCL9<") < strstr(svg, ">IFNG<"));
    golden("bar_h.svg", svg);
    buf_free(&b);
}

static void test_golden_hist(void)
{
    double x[72];
    memcpy(x, precip, sizeof precip);
    x[70] = NAN;
    x[71] = INFINITY;
    rg_plot_hist o = {.n = 72, .x = x, .title = "Annual precipitation, 70 US cities",
                      .xlab = "Inches", .width = 560, .height = 380};
    rg_buf b = {0};
    CHECK(plot_hist(&b, &o) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("golden hist", svg);
    CHECK(strstr(svg, ">2 missing</text>") != NULL);
    CHECK(strstr(svg, ">Count</text>") != NULL);
    CHECK(count_of(svg, "class=\"rg-hist\"") == 1);
    CHECK(count_of(svg, "Z") == 7); /* 7 bars */
    golden("hist.svg", svg);
    buf_free(&b);
    /* density: the bars' areas sum to 1, so the tallest is 25 / (70 * 10) */
    o.density = 1;
    CHECK(plot_hist(&b, &o) == 0);
    CHECK(strstr(buf_cstr(&b), ">Density</text>") != NULL);
    buf_free(&b);
}

static void test_golden_box(void)
{
    /* sprays A and C: wilcox.test(A, C)$p.value = 3.8362545441263766e-05 (normal,
     * ties), t.test(A, C)$p.value = 5.2784765440012282e-07 */
    double v[24];
    const char *g[24];
    for (size_t i = 0; i < 12; i++) {
        v[i] = insects[i];
        g[i] = "Spray A";
        v[12 + i] = insects[24 + i];
        g[12 + i] = "Spray C";
    }
    rg_mwtest mw;
    CHECK(mwtest(v, 12, v + 12, 12, -1, 1, &mw) == 0);
    CHECK_NEAR(mw.p, 3.8362545441263766e-05, 1e-9);
    rg_plot_box o = {.n = 24, .values = v, .group = g, .test = RG_BOX_MANN_WHITNEY,
                     .points = 1, .title = "Insects after two sprays",
                     .ylab = "Insects per plot", .xlab = "Spray", .width = 480, .height = 400};
    rg_buf b = {0};
    CHECK(plot_box(&b, &o) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("golden box", svg);
    CHECK(strstr(svg, ">Mann-Whitney p &lt; 0.0001</text>") != NULL);
    CHECK(count_of(svg, ">n = 12</text>") == 2);
    CHECK(count_of(svg, "class=\"rg-dot\"") == 24);
    CHECK(count_of(svg, "class=\"rg-bx\"") == 2);
    golden("box.svg", svg);
    /* the same bytes again: the jitter is a hash of the index */
    rg_buf again = {0};
    CHECK(plot_box(&again, &o) == 0 && strcmp(buf_cstr(&again), svg) == 0);
    buf_free(&again);
    buf_free(&b);
    o.test = RG_BOX_T;
    o.points = 0;
    CHECK(plot_box(&b, &o) == 0);
    CHECK(strstr(buf_cstr(&b), ">Welch t-test p &lt; 0.0001</text>") != NULL);
    CHECK(strstr(buf_cstr(&b), "rg-dot") == NULL);
    CHECK(count_of(buf_cstr(&b), "class=\"rg-out\"") == 1); /* C's 7 */
    buf_free(&b);
    /* six sprays, Kruskal-Wallis; order puts F first */
    const char *g6[72];
    for (size_t i = 0; i < 72; i++)
        g6[i] = sprays[i / 12];
    const char *ord[] = {"F"};
    rg_plot_box o6 = {.n = 72, .values = insects, .group = g6, .order = ord, .norder = 1,
                      .test = RG_BOX_KRUSKAL, .points = 1, .width = 560, .height = 420};
    CHECK(plot_box(&b, &o6) == 0);
    svg = buf_cstr(&b);
    check_svg("box kruskal", svg);
    CHECK(strstr(svg, ">Kruskal-Wallis p &lt; 0.0001</text>") != NULL);
    CHECK(strstr(svg, ">F</text>") < strstr(svg, ">A</text>"));
    buf_free(&b);
    /* many groups in a narrow figure: "n = " goes into the labels */
    o6.width = 200;
    o6.horizontal = 0;
    CHECK(plot_box(&b, &o6) == 0);
    check_svg("box narrow", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">A (n = 12)</text>") != NULL);
    buf_free(&b);
    o6.horizontal = 1;
    o6.width = 560;
    CHECK(plot_box(&b, &o6) == 0);
    check_svg("box horizontal", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">A (n = 12)</text>") != NULL);
    buf_free(&b);
}

/* ---- odd inputs ------------------------------------------------------------ */

static const double odd_v[] = {NAN, INFINITY, -INFINITY, 1e308, -1e308, 0, -2.5, 3};
static const char *const odd_l[] = {"<b>&amp;</b>", "\xff\xfe bad", "", "a\x01z",
                                    "\"q\"",         "'s'",         "x", "long label long label long label"};

static void test_bar_odd(void)
{
    rg_buf b = {0};
    double h;
    static const double err[] = {1, NAN, 2, INFINITY, 1e308, 0, 0.5, -1};
    for (int horizontal = 0; horizontal < 2; horizontal++)
        for (int log = 0; log < 2; log++) {
            rg_plot_bar o = {.n = 8, .labels = odd_l, .values = odd_v, .err = err,
                             .group = odd_l, .ref = (const double[]){NAN, 1}, .nref = 2,
                             .horizontal = horizontal, .log = log, .sort = -1,
                             .title = "<&>", .xlab = "\xff", .width = 150, .height = 150};
            CHECK(plot_bar(&b, &o, &h) == 0);
            check_svg("bar odd", buf_cstr(&b));
            buf_free(&b);
            o.n = 0; /* empty */
            CHECK(plot_bar(&b, &o, &h) == 0);
            check_svg("bar empty", buf_cstr(&b));
            buf_free(&b);
            o.n = 1;
            o.values = (const double[]){-4};
            o.group = NULL;
            o.color_by_ref = 1;
            o.height = 0;
            CHECK(plot_bar(&b, &o, &h) == 0 && h >= 150);
            check_svg("bar one", buf_cstr(&b));
            buf_free(&b);
        }
    /* all zero, all NaN, a negative reference colouring */
    static const double zeros[] = {0, 0, NAN};
    rg_plot_bar z = {.n = 3, .labels = odd_l, .values = zeros, .ref = (const double[]){-1},
                     .nref = 1, .color_by_ref = 1, .width = 300, .height = 200};
    CHECK(plot_bar(&b, &z, &h) == 0);
    check_svg("bar zeros", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">&lt; -1</text>") != NULL);
    buf_free(&b);
    /* 200 bars: the labels are thinned and turned, every one well-formed */
    double v[200];
    const char *l[200];
    char names[200][16];
    for (int i = 0; i < 200; i++) {
        v[i] = sin(i / 7.0) * (1 + i / 100.0);
        snprintf(names[i], sizeof names[i], "ENSG%05d", i);
        l[i] = names[i];
    }
    rg_plot_bar many = {.n = 200, .labels = l, .values = v, .width = 640, .height = 420};
    CHECK(plot_bar(&b, &many, &h) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("bar 200", svg);
    size_t shown = count_of(svg, ">ENSG");
    CHECK(shown >= 20 && shown < 200);
    CHECK(strstr(svg, "rotate(-90") != NULL);
    CHECK(strstr(svg, "class=\"rg-zero\"") != NULL);
    buf_free(&b);
    many.horizontal = 1;
    many.height = 0;
    CHECK(plot_bar(&b, &many, &h) == 0);
    CHECK(h > 200 * 16 && h < 200 * 16 + 200); /* 16 pixels a bar */
    check_svg("bar 200 horizontal", buf_cstr(&b));
    buf_free(&b);
}

static void test_hist_odd(void)
{
    rg_buf b = {0};
    rg_plot_hist o = {.n = 8, .x = odd_v, .group = odd_l, .title = "<&>", .width = 150,
                      .height = 100};
    CHECK(plot_hist(&b, &o) == 0);
    check_svg("hist odd", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">3 missing") != NULL);
    buf_free(&b);
    o.n = 0;
    CHECK(plot_hist(&b, &o) == 0);
    check_svg("hist empty", buf_cstr(&b));
    buf_free(&b);
    static const double nan3[] = {NAN, NAN, NAN}, one[] = {2.5};
    o.x = nan3;
    o.n = 3;
    o.group = NULL;
    CHECK(plot_hist(&b, &o) == 0);
    check_svg("hist all missing", buf_cstr(&b));
    buf_free(&b);
    o.x = one;
    o.n = 1;
    o.density = 1;
    CHECK(plot_hist(&b, &o) == 0);
    check_svg("hist one", buf_cstr(&b));
    buf_free(&b);
    /* breaks that leave values out, and many bins */
    static const double br[] = {10, 20, 30};
    rg_plot_hist p = {.n = 70, .x = precip, .breaks = br, .nbreaks = 3, .width = 400,
                      .height = 300};
    CHECK(plot_hist(&b, &p) == 0);
    check_svg("hist breaks", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">56 outside the breaks</text>") != NULL);
    buf_free(&b);
    p.breaks = NULL;
    p.bins = 1000;
    CHECK(plot_hist(&b, &p) == 0);
    check_svg("hist 1000 bins", buf_cstr(&b));
    buf_free(&b);
}

static void test_box_odd(void)
{
    rg_buf b = {0};
    rg_plot_box o = {.n = 8, .values = odd_v, .group = odd_l, .test = RG_BOX_KRUSKAL,
                     .points = 1, .title = "<&>", .width = 150, .height = 100};
    CHECK(plot_box(&b, &o) == 0);
    check_svg("box odd", buf_cstr(&b));
    buf_free(&b);
    o.points = 0;
    o.horizontal = 1;
    CHECK(plot_box(&b, &o) == 0);
    check_svg("box odd horizontal", buf_cstr(&b));
    buf_free(&b);
    /* a long name is shortened, its n kept */
    o.width = 560;
    o.height = 420;
    CHECK(plot_box(&b, &o) == 0);
    CHECK(strstr(buf_cstr(&b), ">long label long labe\xE2\x80\xA6 (n = 1)</text>") != NULL);
    buf_free(&b);
    o.n = 0;
    CHECK(plot_box(&b, &o) == 0);
    check_svg("box empty", buf_cstr(&b));
    buf_free(&b);
    /* one value; two groups of which one is all NaN; no groups */
    static const double v[] = {1, NAN, NAN};
    static const char *const g[] = {"a", "b", "b"};
    rg_plot_box t = {.n = 3, .values = v, .group = g, .test = RG_BOX_MANN_WHITNEY,
                     .points = 1, .width = 300, .height = 300};
    CHECK(plot_box(&b, &t) == 0);
    check_svg("box one", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">Mann-Whitney p = NA</text>") != NULL);
    CHECK(strstr(buf_cstr(&b), ">n = 0</text>") != NULL);
    buf_free(&b);
    t.group = NULL;
    t.test = RG_BOX_NONE;
    CHECK(plot_box(&b, &t) == 0);
    check_svg("box no group", buf_cstr(&b));
    CHECK(strstr(buf_cstr(&b), ">n = 1</text>") != NULL);
    buf_free(&b);
}

const unit_test plot_dist_tests[] = {{"dist_hist_breaks", test_hist_breaks},
                                     {"dist_box_stats", test_box_stats},
                                     {"dist_kruskal", test_kruskal},
                                     {"dist_golden_bar", test_golden_bar},
                                     {"dist_golden_bar_h", test_golden_bar_h},
                                     {"dist_golden_hist", test_golden_hist},
                                     {"dist_golden_box", test_golden_box},
                                     {"dist_bar_odd", test_bar_odd},
                                     {"dist_hist_odd", test_hist_odd},
                                     {"dist_box_odd", test_box_odd},
                                     {NULL, NULL}};
